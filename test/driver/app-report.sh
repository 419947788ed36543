#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# What dpdk-test-vdpa-cvq tells a user about a frontend that does not fit
# the device, and its reports, one process per side:
#   mismatch   testpmd's virtio-user with 2 queue pairs on a 1-pair device:
#              the backend names both counts and the devarg to change
#              (the vhost library only says a message failed);
#   fe-pairs   the app's frontend asking for more pairs than the device
#              has: both counts and the devarg;
#   period     --stats-period prints rates (pps, bps, control commands per
#              second) and only the counters that are not zero;
#   telemetry  /cvqsim/info without a name or with an unknown one answers
#              with an error message, not null;
#   probe      a --vdev that failed to probe is named as such, instead of
#              asking for a --vdev the user gave.
#
#   features   a frontend asking for features the device does not offer
#              (frontend-check --force): the driver names them;
#
#   app-report.sh [FRONTEND_CHECK [CASE...]]    (env CVQSIM_APP: the app)

. "$(dirname "$0")/lib.sh"

FE_CHECK=${1:-}
[ $# -gt 0 ] && shift

# backend NAME QUEUES [APP-ARGS...]: a backend on $T_DIR/NAME.sock.
backend() {
	local name=$1 queues=$2
	shift 2
	SOCK=$T_DIR/$name.sock
	t_start_backend "$name" "${T_EAL[@]}" \
		--vdev "vdpa_cvqsim0,queues=$queues,cpu=1" -- --iface "$SOCK" "$@"
	t_wait_log "$BE_LOG" "attached \(server\)" 1 20 ||
		t_fail "$name: the backend did not start"
}

# frontend NAME SCRIPT-TEXT [APP-ARGS...]: the app's frontend on $SOCK.
frontend() {
	local name=$1 script=$2
	shift 2
	printf '%b' "$script" >"$T_DIR/$name.cmd"
	timeout 40 "$CVQSIM_APP" --no-huge -m 256 --no-pci \
		--file-prefix "cvqsim-$name-$$" "${T_EAL[@]}" -- --connect "$SOCK" \
		--fe-ctrl-timeout 5000 --cmdline-file "$T_DIR/$name.cmd" "$@" \
		>"$T_DIR/$name.log" 2>&1
}

case_mismatch() {
	t_need_testpmd
	backend mismatch 1
	t_start_testpmd mismatch-tp -l 0,1 --main-lcore 1 \
		--vdev "net_virtio_user0,path=$SOCK,queues=2" -- -i --nb-cores=1
	t_wait_log "$BE_LOG" "the frontend set up" 1 20 ||
		t_fail "mismatch: the backend does not say what does not fit"
	local want="BACKEND: $SOCK: the frontend set up 4 vrings (2 queue pairs)"
	want+=" but vdpa_cvqsim0 has 1 queue pair (3 vrings with the control"
	want+=" queue) and does not offer MQ: start it with --vdev"
	want+=" vdpa_cvqsim0,queues=2, or give the frontend 1 queue pair"
	grep -qF "$want" "$BE_LOG" ||
		t_fail "mismatch: the line does not name both counts and queues="
	[ "$(grep -c "the frontend set up" "$BE_LOG")" = 1 ] ||
		t_fail "mismatch: said more than once for one connection"
	# testpmd may be gone already: no SIGPIPE for a closed fifo.
	(trap '' PIPE; echo quit >&3) 2>/dev/null
	t_stop_pid "$TP_PID" 2
	t_stop_pid "$BE_PID"
	t_log "mismatch: 2 pairs on a 1-pair device named with queues=2"
}

case_fe_pairs() {
	backend fe-pairs 2
	frontend fe-pairs-fe 'show device\n' --fe-pairs 4 &&
		t_fail "fe-pairs: the frontend started with 4 pairs on 2"
	local want="4 queue pairs asked, the device has 2: ask for 2 at most,"
	want+=" or give the device more (cvqsim: devarg queues=4)"
	grep -qF "$want" "$T_DIR/fe-pairs-fe.log" ||
		t_fail "fe-pairs: no counts and devarg"
	t_stop_pid "$BE_PID"
	t_log "fe-pairs: both counts and queues=4 named"
}

case_period() {
	local block
	backend period 1 --stats-period 1
	frontend period-fe 'ctrl rx promisc on\nctrl rx allmulti on\n'\
'ctrl rx promisc on\nsend count 100\nrecv\nsleep 2500\n' ||
		t_fail "period: the frontend script failed"
	t_stop_pid "$BE_PID"
	# The period lines: from the first header to "stopping".
	block=$(sed -n '/^######## /,/^stopping/p' "$BE_LOG")
	echo "$block" |
		grep -Eq "^  vq   1 tx   pps [1-9][0-9]* +bps [1-9][0-9]* +.*packets=100 " ||
		t_fail "period: no TX rate in a period"
	echo "$block" | grep -Eq "^  vq   0 rx   pps [1-9][0-9]* +bps [1-9]" ||
		t_fail "period: no RX rate in a period"
	echo "$block" | grep -Eq "^  vq   2 cvq  cmd/s [1-9][0-9]* +.*ctrl_commands=3" ||
		t_fail "period: no control commands per second"
	echo "$block" | grep -Eq "^  vq .*=0( |$)" &&
		t_fail "period: a counter at zero is printed"
	t_log "period: rates and non-zero counters only"
}

case_telemetry() {
	local reply
	backend telemetry 1
	reply=$(t_telemetry "/cvqsim/info") || t_fail "telemetry: no reply"
	[ "$(t_json "$reply" "d['error']")" = "a device name is needed" ] ||
		t_fail "telemetry: no error without a name: $reply"
	[ "$(t_json "$reply" "d['devices']")" = "['vdpa_cvqsim0']" ] ||
		t_fail "telemetry: the devices are not listed: $reply"
	reply=$(t_telemetry "/cvqsim/info,nope") || t_fail "telemetry: no reply"
	[ "$(t_json "$reply" "d['error']")" = "no cvqsim device named 'nope'" ] ||
		t_fail "telemetry: no error for an unknown name: $reply"
	[ "$(t_json "$reply" "d['usage']")" = "/cvqsim/info,<name> (names: /cvqsim/list)" ] ||
		t_fail "telemetry: no usage: $reply"
	reply=$(t_telemetry "/cvqsim/stats,nope") || t_fail "telemetry: no reply"
	[ "$(t_json "$reply" "d['error']")" = "no cvqsim device named 'nope'" ] ||
		t_fail "telemetry: /cvqsim/stats: $reply"
	reply=$(t_telemetry "/cvqsim/info,vdpa_cvqsim0") || t_fail "telemetry: no reply"
	[ "$(t_json "$reply" "d['name']")" = vdpa_cvqsim0 ] ||
		t_fail "telemetry: a good name no longer answers: $reply"
	t_stop_pid "$BE_PID"
	t_log "telemetry: errors with a message, usage and devices"
}

case_features() {
	local want
	[ -x "$FE_CHECK" ] || t_skip "features: no frontend-check binary given"
	backend features 1
	# VERSION_1 with MQ and GUEST_TSO4, which a 1-pair device lacks.
	timeout 30 "$FE_CHECK" --socket "$SOCK" --force 0x100400080 open \
		>"$T_DIR/features-fe.log" 2>&1 && t_fail "features: SET_FEATURES accepted"
	want="vdpa_cvqsim0: the frontend asks for features 0x400080 that the device"
	want+=" does not offer (0x"
	t_wait_log "$BE_LOG" "does not offer" 1 10 || t_fail "features: not named"
	grep -qF "$want" "$BE_LOG" || t_fail "features: the line does not name them"
	grep -qF "MQ needs 2 queue pairs or more (devarg queues=N)" "$BE_LOG" ||
		t_fail "features: no devarg for MQ"
	t_stop_pid "$BE_PID"
	t_log "features: 0x400080 named, queues= for MQ"
}

case_probe() {
	t_start_backend probe "${T_EAL[@]}" --vdev vdpa_cvqsim0,queues=999,cpu=1 \
		--vdev vdpa_cvqsim1,cpu=1 -- --iface "$T_DIR/p0.sock" \
		--iface "$T_DIR/p1.sock"
	t_wait_log "$BE_LOG" "cvqsim device" 1 20 || t_fail "probe: no word"
	local want="2 --iface but 1 cvqsim device(s): 1 of the 2 --vdev"
	want+=" vdpa_cvqsim given failed to probe"
	grep -qF "$want" "$BE_LOG" || t_fail "probe: the failed probe is not named"
	grep -q "add --vdev" "$BE_LOG" && t_fail "probe: asks for a --vdev given"
	t_stop_pid "$BE_PID"
	t_log "probe: a failed probe is named, no --vdev asked for"
}

[ $# -gt 0 ] || set -- mismatch fe_pairs period telemetry probe features
t_app_cases "$@"
