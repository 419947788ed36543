#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Bad configuration: each refused with a clear error naming the problem,
# nothing left behind, valid configuration still working afterwards.
# - bad-config-check (one EAL process, devices hot-plugged): every devarg's
#   invalid values, the same device twice, bad socket paths;
# - the app: a device with bad devargs next to a valid one (the valid one
#   probes and serves a frontend), a socket in a missing directory and
#   more sockets than devices (the app refuses to start, exit status 1).
#
# Usage: bad-config.sh BAD_CONFIG_CHECK [CASE...]   (env: CVQSIM_APP)
# With CASEs only those cases of bad-config-check run.

. "$(dirname "$0")/../driver/lib.sh"

CHECK=${1:?usage: $0 bad-config-check [CASE...]}
shift
t_init

run_check() {
	local log=$T_DIR/check.log
	timeout -s INT 60 "$CHECK" "$T_DIR" "$@" >"$log" 2>&1
	local rc=$?
	grep -E '^(case|FAIL)' "$log" | while read -r line; do t_log "$line"; done
	[ "$rc" = 0 ] && grep -q '^PASS$' "$log" ||
		t_fail "bad-config-check $* failed (exit $rc)"
}

if [ $# -gt 0 ]; then
	run_check "$@"
	t_pass
fi
run_check devargs duplicate socket-missing-dir socket-twice socket-too-long

[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set or not executable"

# A device with bad devargs and a valid one: the valid one serves.
SOCK=$T_DIR/valid.sock
t_start_backend app-mixed -l 0 --vdev vdpa_cvqsim0,queues=0 \
	--vdev vdpa_cvqsim1,queues=2 -- --iface "$SOCK"
t_wait_socket "$SOCK" 20 || t_fail "the valid device's socket never appeared"
grep -q 'devarg queues=0: expected an integer in 1..127' "$BE_LOG" ||
	t_fail "no message naming queues=0"
grep -q 'vdpa_cvqsim1: probed: 2 queue pairs' "$BE_LOG" ||
	t_fail "the valid device did not probe"
grep -q "$SOCK: vdpa_cvqsim1 attached" "$BE_LOG" ||
	t_fail "the socket is not attached to the valid device"
cat >"$T_DIR/fe.cmd" <<CMD
ctrl mq pairs 2
expect ack ok
send count 4
recv
expect rx 4
CMD
"$CVQSIM_APP" --no-huge -m 256 --no-pci -l 1 --file-prefix "cvqsim-badcfg-fe-$$" \
	-- --connect "$SOCK" --cmdline-file "$T_DIR/fe.cmd" >"$T_DIR/fe.log" 2>&1 ||
	t_fail "a frontend on the valid device failed:" \
		"$(grep -E 'error|FAIL' "$T_DIR/fe.log" | head -3)"
t_log "bad devargs on one device: refused by name; the valid device serves a frontend"
t_stop_pid "$BE_PID" 10

# The app refuses to start: exit status 1 and a message naming the problem.
app_refuses() {
	local what=$1 expect=$2 log=$T_DIR/app-refuses.log rc
	shift 2
	timeout 20 "$CVQSIM_APP" --no-huge -m 256 --no-pci -l 0 \
		--file-prefix "cvqsim-badcfg-$$" "$@" >"$log" 2>&1
	rc=$?
	[ "$rc" = 1 ] || t_fail "$what: exit status $rc, expected 1"
	grep -qE -- "$expect" "$log" || t_fail "$what: no message matching '$expect'"
	t_log "$what: exit 1, \"$(grep -E -- "$expect" "$log" | head -1)\""
}
app_refuses "socket in a missing directory" 'directory /nonexistent-cvqsim-dir does not exist' \
	--vdev vdpa_cvqsim0 -- --iface /nonexistent-cvqsim-dir/x.sock
app_refuses "more sockets than devices" '2 --iface but 1 cvqsim device' \
	--vdev vdpa_cvqsim0 -- --iface "$T_DIR/a.sock" --iface "$T_DIR/b.sock"
app_refuses "only invalid devices" '1 --iface but 0 cvqsim device' \
	--vdev vdpa_cvqsim0,mtu=9001 -- --iface "$T_DIR/c.sock"
[ -z "$(find "$T_DIR" -type s)" ] || t_fail "socket files left: $(find "$T_DIR" -type s)"
t_pass
