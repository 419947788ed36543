#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Control-command effects on the datapath that the app's scripts cannot
# reach: runs datapath-check (one cvqsim device and the app's frontend in
# one process, see its header) with a time limit.
#
# Usage: datapath.sh DATAPATH_CHECK_BINARY

. "$(dirname "$0")/lib.sh"

CHECK=${1:?usage: $0 datapath-check-binary}
t_init
LOG=$T_DIR/datapath.log
timeout -s INT 60 "$CHECK" "$T_DIR" >"$LOG" 2>&1 &
pid=$!
T_PIDS+=("$pid")
wait "$pid"
rc=$?
grep -E '^(setup|csum|hostile|mtu|filter|tunnel|coalescing|FAIL)' "$LOG" |
	while read -r line; do t_log "$line"; done
[ "$rc" = 0 ] || t_fail "datapath-check exited with $rc"
grep -q '^PASS$' "$LOG" || t_fail "datapath-check did not pass"
t_pass
