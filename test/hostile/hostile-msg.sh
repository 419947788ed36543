#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Hostile vhost-user messages against the app (issue 17). The app hosts
# two cvqsim devices; hostile-msg attacks device 0 with a raw vhost-user
# client and then checks that the process is alive and that both devices
# serve a well-behaved frontend.
#
#   hostile-msg.sh HOSTILE_MSG cases [CASE...]
#       every case (or those named), each against a fresh backend
#   hostile-msg.sh HOSTILE_MSG stall [HOLD_S [MAX_MS]]
#       a frontend stalls mid-message for HOLD_S (10) seconds; another
#       device's frontend must be answered within MAX_MS (3000) ms
#   hostile-msg.sh HOSTILE_MSG fuzz [SEED [SESSIONS [SECONDS]]]
#       the protocol fuzzer (defaults: seed from the clock, no session
#       limit, 45 s)
#
# Env: CVQSIM_APP (the app), TEST_BUDGET.

. "$(dirname "$0")/../driver/lib.sh"

HM=${1:?usage: $0 hostile-msg-binary cases|stall|fuzz [ARGS...]}
MODE=${2:?usage: $0 hostile-msg-binary cases|stall|fuzz [ARGS...]}
shift 2
TEST_BUDGET=${TEST_BUDGET:-110}
[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set or not executable"
t_init

SOCK0=$T_DIR/dev0.sock
SOCK1=$T_DIR/dev1.sock

# A fresh backend: device 0 (2 pairs) is attacked, device 1 looks on.
start_backend() {
	local name=$1
	rm -f "$SOCK0" "$SOCK1"
	t_start_backend "$name" -l 0 \
		--log-level=pmd.vdpa.cvqsim:info \
		--vdev "vdpa_cvqsim0,queues=2,poll=adaptive" \
		--vdev "vdpa_cvqsim1,poll=adaptive" \
		-- --iface "$SOCK0" --iface "$SOCK1"
	t_wait_socket "$SOCK0" 20 && t_wait_socket "$SOCK1" 20 ||
		t_fail "$name: backend sockets not created"
}

stop_backend() {
	t_stop_pid "$BE_PID" 5
	wait "$BE_PID" 2>/dev/null
}

# How the backend died: its exit status (128 + signal) and last words.
death() {
	local rc sig
	wait "$BE_PID"
	rc=$?
	sig=$((rc > 128 ? rc - 128 : 0))
	echo "exit status $rc${sig:+ (signal $sig: $(kill -l "$sig" 2>/dev/null))}" \
		"$(grep -m1 -E 'stack smashing|Segmentation|Bus error' "$BE_LOG")"
}

run_cases() {
	local list=("$@") c n=0 out
	[ ${#list[@]} -gt 0 ] || list=($("$HM" list 2>/dev/null))
	[ ${#list[@]} -gt 0 ] || t_fail "no case listed"
	for c in "${list[@]}"; do
		t_check_budget
		start_backend "backend-$c"
		out=$T_DIR/case-$c.out
		"$HM" case "$BE_PID" "$SOCK0" "$SOCK1" "$c" >"$out" 2>&1
		rc=$?
		t_log "$(grep -m1 -E '^case ' "$out")"
		[ "$rc" = 0 ] || {
			cat "$out"
			kill -0 "$BE_PID" 2>/dev/null || t_log "backend died: $(death)"
			t_fail "case $c"
		}
		if [ "$c" = mem-map-fails-running ]; then
			grep -q 'vdpa_cvqsim0: .*NEEDS_RESET' "$BE_LOG" ||
				t_fail "$c: no NEEDS_RESET line for device 0"
			t_log "$c: $(grep -m1 -o 'vdpa_cvqsim0: .*NEEDS_RESET.*' "$BE_LOG")"
		fi
		grep -q 'vdpa_cvqsim1: device stopped' "$BE_LOG" &&
			t_fail "$c: the bystander device stopped"
		stop_backend
		n=$((n + 1))
	done
	t_log "$n cases: each refused, backend alive, both devices serve"
}

case "$MODE" in
cases)
	run_cases "$@"
	;;
stall)
	start_backend backend-stall
	"$HM" stall "$BE_PID" "$SOCK0" "$SOCK1" "${1:-10}" "${2:-3000}" \
		>"$T_DIR/stall.out" 2>&1
	rc=$?
	t_log "$(grep -m1 '^stall' "$T_DIR/stall.out")"
	[ "$rc" = 0 ] || { cat "$T_DIR/stall.out"; t_fail "stall"; }
	;;
fuzz)
	seed=${1:-}
	[ -n "$seed" ] || seed=$(date +%s)
	start_backend backend-fuzz
	t_log "seed $seed"
	"$HM" fuzz "$BE_PID" "$SOCK0" "$SOCK1" "$seed" "${2:-0}" "${3:-45}" \
		>"$T_DIR/fuzz.out" 2>&1
	rc=$?
	tail -n 3 "$T_DIR/fuzz.out" | while read -r l; do t_log "$l"; done
	[ "$rc" = 0 ] || {
		tail -n 30 "$T_DIR/fuzz.out"
		kill -0 "$BE_PID" 2>/dev/null || t_log "backend died: $(death)"
		t_fail "fuzz (seed $seed)"
	}
	;;
*)
	t_fail "unknown mode $MODE"
	;;
esac
t_pass
