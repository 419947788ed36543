#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Debian's dpdk-testpmd loads the built plugin with -d and probes cvqsim
# devices from --vdev: two devices in one process (each logs its probe and
# passes the self-test that checks our driver SDK layouts), and devargs
# errors that fail the probe with a message naming the bad key or value.
#
# EAL refuses -d when any directory on the plugin's path is world-writable,
# so the plugin is copied to a private directory first.
#
# Usage: probe.sh   (env: CVQSIM_PLUGIN, TESTPMD)

. "$(dirname "$0")/lib.sh"

[ -f "$CVQSIM_PLUGIN" ] || t_fail "CVQSIM_PLUGIN not set or missing"
t_need_testpmd
t_init

# A directory path EAL accepts for -d: no component world-writable.
path_is_private() {
	local d
	d=$(readlink -f "$1")
	while :; do
		[ -n "$(find "$d" -maxdepth 0 -perm -0002 2>/dev/null)" ] && return 1
		[ "$d" = / ] && return 0
		d=$(dirname "$d")
	done
}

PLUGIN_DIR=
for base in "$(dirname "$(readlink -f "$CVQSIM_PLUGIN")")" "${HOME:-/root}"; do
	if [ -d "$base" ] && path_is_private "$base"; then
		PLUGIN_DIR=$(mktemp -d "$base/.cvqsim-plugin.XXXXXX") && break
	fi
done
[ -n "$PLUGIN_DIR" ] || t_skip "no private directory for the plugin (EAL -d)"
chmod 0755 "$PLUGIN_DIR"
trap 'rm -rf "$PLUGIN_DIR"; t_cleanup' EXIT
PLUGIN=$PLUGIN_DIR/librte_vdpa_cvqsim.so.23.0
cp "$CVQSIM_PLUGIN" "$PLUGIN" || t_fail "cannot copy the plugin"
path_is_private "$PLUGIN_DIR" || t_fail "$PLUGIN_DIR is not private"

# run_testpmd NAME VDEV-ARGS...: testpmd with the plugin, "quit" on stdin.
run_testpmd() {
	local name=$1
	shift
	LOG=$T_DIR/$name.log
	# A small mbuf pool: testpmd's default one takes 15 s to set up
	# under ThreadSanitizer (the plugin is instrumented), 1.5 s without.
	timeout 30 "$TESTPMD" -l 0,1 --no-huge -m 256 --no-pci \
		--file-prefix "cvqsim-$name-$$" -d "$PLUGIN" "$@" \
		--vdev net_null0 -- -i --total-num-mbufs=8192 <<<"quit" >"$LOG" 2>&1
}

# Two devices in one process.
run_testpmd probe-two --vdev vdpa_cvqsim0 \
	--vdev "vdpa_cvqsim1,queues=4,mac=02:00:00:00:00:42,mtu=9000,poll=adaptive"
rc=$?
[ "$rc" = 0 ] || t_fail "testpmd with two cvqsim devices exited with $rc"
grep -q 'vdpa_cvqsim0: probed: 1 queue pairs, mac 02:63:76:71:00:00, mtu 1500' "$LOG" ||
	t_fail "vdpa_cvqsim0 did not log its probe with the defaults"
grep -q 'vdpa_cvqsim1: probed: 4 queue pairs, mac 02:00:00:00:00:42, mtu 9000.*adaptive' \
	"$LOG" ||
	t_fail "vdpa_cvqsim1 did not log its probe with its devargs"
grep -q 'self-test' "$LOG" && t_fail "self-test complained: $(grep self-test "$LOG")"
[ "$(grep -c 'VDPA_CVQSIM.*removed' "$LOG")" = 2 ] ||
	t_fail "the devices were not removed at exit"
t_log "two devices probed, self-test passed, removed at exit"

# Devargs errors: probe fails, the message names the key or value.
bad_devargs() {
	local args=$1 expect=$2
	run_testpmd probe-bad "--vdev" "vdpa_cvqsim0,$args"
	grep -q 'vdpa_cvqsim0: probed' "$LOG" && t_fail "devargs \"$args\" were accepted"
	grep -qE -- "$expect" "$LOG" ||
		t_fail "devargs \"$args\": no message matching \"$expect\""
	grep -q 'failed to initialize vdpa_cvqsim0' "$LOG" ||
		t_fail "devargs \"$args\": the probe did not fail"
	t_log "rejected \"$args\": $(grep -E -- "$expect" "$LOG" | head -1 |
		sed 's/^VDPA_CVQSIM: //')"
}
bad_devargs "bogus=1" 'unknown devarg "bogus"'
bad_devargs "queues=128" 'queues=128: at most 127'
bad_devargs "queues=0" 'queues=0: expected an integer in 1..127'
bad_devargs "mtu=67" 'mtu=67: expected an integer in 68..9000'
bad_devargs "mac=01:02:03:04:05:06" 'mac=01:02:03:04:05:06: not a unicast'
bad_devargs "mac=02:00:00:00:00" 'mac=02:00:00:00:00: expected'
bad_devargs "poll=sometimes" 'poll=sometimes: expected thread, service or adaptive'
bad_devargs "mac_table=0" 'mac_table=0: expected'
bad_devargs "poll=service,cpu=1" 'cpu is for poll=thread'
bad_devargs "queues=2,queues=3" '"queues" given more than once'
t_pass
