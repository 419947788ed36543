#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# The hostile-frontend suite: runs hostile-check (two cvqsim devices and a
# hostile frontend in one process, see its header) with a time limit and
# checks its verdicts: every case passed, one 'device stopped' log line per
# stopping case and none for the bystander device.
#
# Usage: hostile.sh HOSTILE_CHECK_BINARY [CASE...]

. "$(dirname "$0")/../driver/lib.sh"

CHECK=${1:?usage: $0 hostile-check-binary [CASE...]}
shift
t_init
LOG=$T_DIR/hostile.log
timeout -s INT "${TEST_BUDGET}" "$CHECK" "$T_DIR" "$@" >"$LOG" 2>&1 &
pid=$!
T_PIDS+=("$pid")
wait "$pid"
rc=$?
grep -E '^(case|FAIL)' "$LOG" | while read -r line; do t_log "$line"; done
# The backend's log lives next to the sockets: show it on failure too.
cp "$T_DIR/backend.log" "$T_DIR/backend-tail.log" 2>/dev/null
[ "$rc" = 0 ] || t_fail "hostile-check exited with $rc"
grep -q '^PASS$' "$LOG" || t_fail "hostile-check did not pass"
stopping=$(grep -c '^case .*: stopped' "$LOG")
stops=$(grep -c 'vdpa_cvqsim0: device stopped' "$T_DIR/backend.log")
[ "$stops" = "$stopping" ] ||
	t_fail "$stopping stopping cases but $stops 'device stopped' lines"
grep -q 'vdpa_cvqsim1: device stopped' "$T_DIR/backend.log" &&
	t_fail "the bystander device stopped"
t_log "$(grep -c '^case ' "$LOG") cases, $stopping stopped the device"
t_pass
