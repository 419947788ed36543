#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Runs one process-level check (test/proc_check.h: cvqsim devices and the
# app's frontend in one process) in a private work directory within
# TEST_BUDGET seconds: passes when it exits 0 after printing PASS. Every
# line the check prints is relayed; on failure the tails of its output and
# of its EAL log (backend.log) are shown.
#
# Usage: check.sh CHECK_BINARY [CASE...]

. "$(dirname "$0")/lib.sh"

CHECK=${1:?usage: $0 check-binary [CASE...]}
T_NAME=$(basename "$CHECK" -check)
shift
t_init
LOG=$T_DIR/check.log
timeout -s INT "$TEST_BUDGET" "$CHECK" "$T_DIR" "$@" >"$LOG" 2>&1 &
pid=$!
T_PIDS+=("$pid")
wait "$pid"
rc=$?
while read -r line; do t_log "$line"; done <"$LOG"
[ "$rc" = 0 ] || t_fail "$(basename "$CHECK") exited with $rc"
grep -q '^PASS$' "$LOG" || t_fail "$(basename "$CHECK") did not pass"
t_pass
