#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# dpdk-test-vdpa-cvq's vhost-user sockets as a user meets them, one process
# per case:
#   live     a second backend on a socket a live backend listens on is
#            refused with the path named, and the first keeps serving it;
#   stale    the socket of a backend killed with SIGKILL is removed and the
#            next backend starts at the first try;
#   nodir    a socket in a missing directory: "directory ... does not exist";
#   client   --client on a socket nobody serves logs once per back-off step
#            (1, 2, 4 s), with the reason.
#
#   sockets.sh [CASE...]    (env CVQSIM_APP: the app)

. "$(dirname "$0")/lib.sh"


# A frontend process passes frames through the backend on $1.
frontend_works() {
	local sock=$1 name=$2
	printf 'send count 4\nrecv\nexpect rx 4\n' >"$T_DIR/$name.cmd"
	timeout 30 "$CVQSIM_APP" --no-huge -m 256 --no-pci \
		--file-prefix "cvqsim-$name-$$" "${T_EAL[@]}" -- --connect "$sock" \
		--fe-ctrl-timeout 5000 --cmdline-file "$T_DIR/$name.cmd" \
		>"$T_DIR/$name.log" 2>&1
}

# The backend started last exits by itself: its status in BE_STATUS.
wait_exit() {
	local i
	for ((i = 0; i < 200; i++)); do
		kill -0 "$BE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$BE_PID" 2>/dev/null && t_fail "$1: the backend did not exit"
	wait "$BE_PID"
	BE_STATUS=$?
}

case_live() {
	local sock=$T_DIR/live.sock first
	t_start_backend live-a "${T_EAL[@]}" --vdev vdpa_cvqsim0,cpu=1 -- \
		--iface "$sock"
	first=$BE_PID
	t_wait_log "$BE_LOG" "attached \(server\)" 1 20 ||
		t_fail "live: the first backend did not start"
	t_start_backend live-b "${T_EAL[@]}" --vdev vdpa_cvqsim0,cpu=1 -- \
		--iface "$sock"
	wait_exit live
	[ "$BE_STATUS" = 1 ] || t_fail "live: second backend status $BE_STATUS"
	grep -q "BACKEND: $sock is in use: a live process listens on it" \
		"$BE_LOG" || t_fail "live: the refusal does not name the socket"
	grep -q "attached" "$BE_LOG" && t_fail "live: the second one attached"
	[ -S "$sock" ] || t_fail "live: the first backend's socket is gone"
	frontend_works "$sock" live-fe ||
		t_fail "live: no frontend reaches the first backend any more"
	t_stop_pid "$first"
	t_log "live: refused, the first backend still serves $sock"
}

case_stale() {
	local sock=$T_DIR/stale.sock
	t_start_backend stale-a "${T_EAL[@]}" --vdev vdpa_cvqsim0,cpu=1 -- \
		--iface "$sock"
	t_wait_log "$BE_LOG" "attached \(server\)" 1 20 ||
		t_fail "stale: the first backend did not start"
	kill -KILL "$BE_PID"
	wait "$BE_PID" 2>/dev/null
	[ -S "$sock" ] || t_fail "stale: no socket left behind by SIGKILL"
	t_start_backend stale-b "${T_EAL[@]}" --vdev vdpa_cvqsim0,cpu=1 -- \
		--iface "$sock"
	t_wait_log "$BE_LOG" "attached \(server\)" 1 20 ||
		t_fail "stale: the restarted backend did not start at the first try"
	grep -q "$sock: removed a stale socket" "$BE_LOG" ||
		t_fail "stale: the removal is not logged"
	frontend_works "$sock" stale-fe ||
		t_fail "stale: the restarted backend does not serve"
	t_stop_pid "$BE_PID"
	t_log "stale: removed, the backend started at the first try"
}

case_nodir() {
	local sock=$T_DIR/missing/x.sock
	t_start_backend nodir "${T_EAL[@]}" --vdev vdpa_cvqsim0,cpu=1 -- \
		--iface "$sock"
	wait_exit nodir
	[ "$BE_STATUS" = 1 ] || t_fail "nodir: status $BE_STATUS"
	grep -q "BACKEND: $sock: directory $T_DIR/missing does not exist" \
		"$BE_LOG" || t_fail "nodir: no 'directory ... does not exist'"
	t_log "nodir: refused, directory named"
}

case_client() {
	local sock=$T_DIR/client.sock n
	t_start_backend client "${T_EAL[@]}" --vdev vdpa_cvqsim0,cpu=1 -- \
		--iface "$sock" --client
	t_wait_log "$BE_LOG" "not connected after 4 s" 1 20 ||
		t_fail "client: no log at the 4 s step"
	sleep 1	# past 5 s: nothing more until the 8 s step
	for n in 1 2 4; do
		[ "$(grep -c "$sock: not connected after $n s, still trying: no socket there yet" \
			"$BE_LOG")" = 1 ] ||
			t_fail "client: the $n s step is not logged once with its reason"
	done
	[ "$(grep -c 'not connected after' "$BE_LOG")" = 3 ] ||
		t_fail "client: logged outside the back-off steps"
	t_stop_pid "$BE_PID"
	t_log "client: one line at 1, 2 and 4 s"
}

[ $# -gt 0 ] || set -- live stale nodir client
t_app_cases "$@"
