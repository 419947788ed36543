#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Broken rings stop one device, not the process: runs device-fault-check
# (two cvqsim devices and two frontends in one process, see its header)
# with a time limit, and checks the driver logged one line per stop.
#
# Usage: device-fault.sh DEVICE_FAULT_CHECK_BINARY

. "$(dirname "$0")/lib.sh"

CHECK=${1:?usage: $0 device-fault-check-binary}
t_init
LOG=$T_DIR/device-fault.log
timeout -s INT 50 "$CHECK" "$T_DIR" >"$LOG" 2>&1 &
pid=$!
T_PIDS+=("$pid")
wait "$pid"
rc=$?
grep -E '^(config|traffic|fault) ' "$LOG" | while read -r line; do t_log "$line"; done
[ "$rc" = 0 ] || t_fail "device-fault-check exited with $rc"
grep -q '^PASS$' "$LOG" || t_fail "device-fault-check did not pass"
faults=$(grep -c '^fault ' "$LOG")
stops=$(grep -c 'vdpa_cvqsim0: device stopped (NEEDS_RESET)' "$LOG")
[ "$stops" = "$faults" ] ||
	t_fail "$faults faults but $stops 'device stopped' log lines (expected one each)"
grep -q 'vdpa_cvqsim1: device stopped' "$LOG" && t_fail "the other device stopped"
t_pass
