#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Interop with Debian's testpmd over virtio-user: the app hosts a cvqsim
# device, testpmd forwards (io, tx_first) through it, and must receive what
# it sent. With 2 queue pairs testpmd first uses 1 of the 2 pairs it
# created (the vhost library never calls dev_conf then: the device must work
# anyway), then 2, then 1 again: each change reaches the device as vring
# enable/disable and traffic keeps flowing.
#
# The placements a user gets without asking (no cpu=, no -s), the backend
# on -l 0,1 --main-lcore 0 as in issue 12: natural (the poll thread goes to
# CPU 1, where lcore 1 idles, never next to the main lcore on CPU 0) and
# service-natural (poll=service: the app makes lcore 1 a service lcore and
# maps the device to it).
#
# With RING packed, virtio-user drives packed virtqueues (packed_vq=1) and
# the device's negotiated features (telemetry /cvqsim/info) must show
# RING_PACKED; with split (the default) they must not. Both layouts must
# show IN_ORDER, which virtio-user asks for and the device offers: the
# frames then go through testpmd's in-order receive and transmit paths and
# the device's batched used elements.
#
# Usage: interop.sh QUEUES [POLL [RING]]   (POLL: thread (default), service,
# adaptive, natural, service-natural; RING: split (default), packed;
# env: CVQSIM_APP, TESTPMD)

. "$(dirname "$0")/lib.sh"

QUEUES=${1:-1}
POLL=${2:-thread}
RING=${3:-split}
# Packets in flight per pair: one tx_first burst of 32.
MARGIN_PER_PAIR=32
RUN_SECONDS=${RUN_SECONDS:-1}

[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set or not executable"
t_need_testpmd
t_init
T_NAME="interop-q$QUEUES-$POLL-$RING"
case $RING in
split) vu_ring= ;;
packed) vu_ring=,packed_vq=1 ;;
*) t_fail "unknown ring layout $RING" ;;
esac

SOCK=$T_DIR/vhost.sock
# Backend: main lcore on CPU 0, the device polled on CPU 1 (its own thread,
# or service lcore 1).
case $POLL in
thread|adaptive) be_eal=(-l 0) devargs="poll=$POLL,cpu=1" ;;
service) be_eal=(-l 0,1 -s 0x2) devargs="poll=service" ;;
natural) be_eal=(-l 0,1 --main-lcore 0) devargs="poll=thread" ;;
service-natural) be_eal=(-l 0,1 --main-lcore 0) devargs="poll=service" ;;
*) t_fail "unknown poll mode $POLL" ;;
esac
t_start_backend backend "${be_eal[@]}" \
	--vdev "vdpa_cvqsim0,queues=$QUEUES,$devargs" \
	--log-level=pmd.vdpa.cvqsim:info --log-level=user1:info \
	-- --iface "$SOCK"
t_wait_socket "$SOCK" 20 || t_fail "backend socket $SOCK not created"
case $POLL in
natural)
	t_wait_log "$BE_LOG" 'poll thread on CPU 1: the CPU of a worker lcore' 1 5 ||
		t_fail "the poll thread was not placed on CPU 1"
	! grep -q 'WARNING\|poll thread on CPU 0' "$BE_LOG" ||
		t_fail "placement warning or CPU 0: $(grep 'CPU 0\|WARN' "$BE_LOG")" ;;
service-natural)
	t_wait_log "$BE_LOG" 'service [0-9]* runs on lcore 1 .CPU 1.' 1 5 ||
		t_fail "the service was not mapped to lcore 1" ;;
esac

# Frontend: main lcore on CPU 1, forwarding lcore 0 on CPU 0.
t_start_testpmd testpmd -l 0,1 --main-lcore 1 \
	--vdev "net_virtio_user0,path=$SOCK,queues=$QUEUES$vu_ring" -- \
	-i --forward-mode=io --rxq=1 --txq=1 --nb-cores=1
t_wait_log "$TP_LOG" 'testpmd> ' 1 30 || t_fail "testpmd did not start"
t_wait_log "$BE_LOG" 'vring 1 up' 1 20 || t_fail "vring 1 never came up"

# One forwarding session of RUN_SECONDS with traffic injected.
session() {
	local what=$1 pairs=$2
	t_tp "start tx_first"
	sleep "$RUN_SECONDS"
	t_tp "show port stats all"
	t_tp_stop_counters
	t_assert_loop "$what" $((MARGIN_PER_PAIR * pairs))
	t_check_budget
}

# Change testpmd's queue count and check the device saw it.
set_pairs() {
	local n=$1
	t_tp "port stop all"
	t_tp "port config all rxq $n"
	t_tp "port config all txq $n"
	t_tp "port start all"
	t_wait_log "$TP_LOG" 'Port 0: [0-9A-F:]*$' 2 20 || t_fail "port did not restart"
}

# While the first pair runs, the device state seen through telemetry.
check_telemetry() {
	local info stats
	info=$(t_telemetry "/cvqsim/info,vdpa_cvqsim0") || t_fail "telemetry info"
	stats=$(t_telemetry "/cvqsim/stats,vdpa_cvqsim0") || t_fail "telemetry stats"
	t_log "telemetry: served vqs $(t_json "$info" "d['served_vqs']")," \
		"configured $(t_json "$info" "d['configured']")," \
		"TX packets $(t_json "$stats" "d['packets'][d['vq'].index(1)]")"
	[ "$(t_json "$info" "d['served_vqs'][:2] == [0, 1] and d['failed'] == 0")" = True ] ||
		t_fail "telemetry: vrings 0 and 1 not served: $info"
	[ "$(t_json "$stats" "d['packets'][d['vq'].index(1)] > 0")" = True ] ||
		t_fail "telemetry: no TX packets counted: $stats"
	# VIRTIO_F_RING_PACKED is bit 34 of the negotiated features.
	packed=$(t_json "$info" "(d['negotiated_features'] >> 34) & 1")
	t_log "telemetry: negotiated features" \
		"$(t_json "$info" "hex(d['negotiated_features'])"), RING_PACKED $packed"
	[ "$packed" = "$([ "$RING" = packed ] && echo 1 || echo 0)" ] ||
		t_fail "telemetry: RING_PACKED is $packed with $RING rings: $info"
	# virtio-user asks for VIRTIO_F_IN_ORDER (bit 35, its in_order=1
	# default) and the device offers it: testpmd runs its in-order paths,
	# the device publishes a transmit burst as one used element.
	[ "$(t_json "$info" "(d['negotiated_features'] >> 35) & 1")" = 1 ] ||
		t_fail "telemetry: IN_ORDER not negotiated: $info"
}

t_tp "start tx_first"
sleep 1
check_telemetry
if [ "$QUEUES" -ge 2 ]; then
	# testpmd created 4 vrings and enabled 2: the vhost library waits for
	# all of them before dev_conf, the device serves the two anyway.
	[ "$(t_json "$(t_telemetry "/cvqsim/info,vdpa_cvqsim0")" "d['configured']")" = 0 ] ||
		t_log "note: dev_conf came although vrings 2 and 3 are disabled"
fi
t_tp stop
session "1 pair" 1
if [ "$QUEUES" -ge 2 ]; then
	ups=$(grep -c 'vring 3 up' "$BE_LOG")
	set_pairs 2
	t_wait_log "$BE_LOG" 'vring 3 up' $((ups + 1)) 20 ||
		t_fail "enabling pair 1 did not reach the device (vring 3)"
	session "2 pairs" 2
	downs=$(grep -c 'vring 3 down' "$BE_LOG")
	set_pairs 1
	t_wait_log "$BE_LOG" 'vring 3 down' $((downs + 1)) 20 ||
		t_fail "disabling pair 1 did not reach the device (vring 3)"
	session "back to 1 pair" 1
fi

if [ "$POLL" = adaptive ]; then
	# testpmd is idle now: the poll thread must be asleep, not spinning.
	sleep 1
	t0=$(t_thread_ticks "$BE_PID" cvqsim-poll0) || t_fail "no cvqsim-poll0 thread"
	sleep 2
	t1=$(t_thread_ticks "$BE_PID" cvqsim-poll0)
	hz=$(getconf CLK_TCK)
	t_log "idle poll thread used $((t1 - t0)) ticks in 2 s ($hz ticks/s)"
	[ $((t1 - t0)) -lt $((hz / 5)) ] ||
		t_fail "adaptive poll thread busy while idle: $((t1 - t0)) ticks in 2 s"
fi

t_tp "quit"
t_wait_log "$TP_LOG" 'Bye' 1 15 || t_log "testpmd did not say Bye"
t_stop_pid "$TP_PID" 10
t_stop_pid "$BE_PID" 10
wait "$BE_PID"
be_rc=$?
summary=$(grep 'summary:' "$BE_LOG")
t_log "device: $summary"
echo "$summary" | grep -q ' errors 0$' || t_fail "the device reports errors"
[ "$be_rc" = 0 ] || t_fail "backend exited with $be_rc"
if [ "$POLL" = adaptive ]; then
	# Woken by the driver's kicks: the TX queue counted some.
	kicks=$(sed -n 's/.*vq *1 tx .* kicks=\([0-9]*\).*/\1/p' "$BE_LOG")
	[ "${kicks:-0}" -gt 0 ] || t_fail "adaptive mode never woke up on a kick"
	t_log "TX queue 0 kicks: $kicks"
fi
if grep -q 'device stopped' "$BE_LOG"; then
	t_fail "the device stopped: $(grep 'device stopped' "$BE_LOG")"
fi
t_pass
