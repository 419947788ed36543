#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VF-parent mode (devarg port=) with real ports:
#   pcap     200 frames of mixed sizes from a pcap file go through the
#            device to Debian's testpmd over virtio-user (io forwarding),
#            back through the device, and land in the output pcap byte
#            for byte and in order
#   missing  a port that does not exist fails the probe, naming it
#   busy     a port another device owns fails the probe, naming the owner
#
# Usage: port.sh CASE...   (env: CVQSIM_APP, TESTPMD)

. "$(dirname "$0")/../driver/lib.sh"

PCAP_PY=$(dirname "$0")/pcap.py
FRAMES=200

# The backend must fail to start and say $2 (a regex) in its log.
refused() {
	local what=$1 re=$2
	shift 2
	t_start_backend "$what" "${T_EAL[@]}" "$@"
	t_stop_pid_wait "$BE_PID" 20 || t_fail "$what: the backend kept running"
	grep -qE -- "$re" "$BE_LOG" || t_fail "$what: no '$re' in the log"
	t_log "$what: refused: $(grep -E -- "$re" "$BE_LOG" | head -n 1)"
}

# Wait up to $2 seconds for pid $1 to exit by itself; 1 if it did not.
t_stop_pid_wait() {
	local pid=$1 timeout=$2 i
	for ((i = 0; i < timeout * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

case_missing() {
	refused missing 'port=net_ring7: no such ethdev port' \
		--vdev vdpa_cvqsim0,port=net_ring7 -- --iface "$T_DIR/m.sock"
}

case_busy() {
	refused busy "port=net_ring0: the port is busy: owned by 'vdpa_cvqsim0'" \
		--vdev net_ring0 --vdev vdpa_cvqsim0,port=net_ring0 \
		--vdev vdpa_cvqsim1,port=net_ring0 -- \
		--iface "$T_DIR/b0.sock" --iface "$T_DIR/b1.sock"
}

# The device's port counters through telemetry: port_stat FIELD.
port_stat() {
	t_json "$(t_telemetry "/cvqsim/port,vdpa_cvqsim0")" "d['$1']"
}

# The guest (testpmd) must be forwarding before the first frame comes: a
# frame that arrives while it starts is flushed by its own port start. So
# the pcap port reads a named pipe, and the frames are written into it
# only once testpmd forwards (until then the device's poll thread waits in
# the pcap port's read: nothing else needs it in this test).
case_pcap() {
	local sock=$T_DIR/pcap.sock fifo=$T_DIR/in.fifo in=$T_DIR/in.pcap
	local out=$T_DIR/out.pcap go=$T_DIR/go i tx feeder
	t_need_testpmd
	mkfifo "$fifo" || t_fail "mkfifo"
	/usr/bin/python3 "$PCAP_PY" feed "$fifo" "$in" "$FRAMES" "$go" &
	feeder=$!
	T_PIDS+=("$feeder")
	t_start_backend backend -l 0 \
		--vdev "net_pcap0,rx_pcap=$fifo,tx_pcap=$out" \
		--vdev vdpa_cvqsim0,port=net_pcap0,cpu=1 -- --iface "$sock"
	t_wait_socket "$sock" 20 || t_fail "backend socket $sock not created"
	t_start_testpmd testpmd -l 0,1 --main-lcore 1 \
		--vdev "net_virtio_user0,path=$sock" -- \
		-i --forward-mode=io --rxq=1 --txq=1 --nb-cores=1
	t_wait_log "$TP_LOG" 'testpmd> ' 1 30 || t_fail "testpmd did not start"
	t_tp "start"
	t_wait_log "$TP_LOG" 'io packet forwarding' 1 10 ||
		t_fail "testpmd did not start forwarding"
	touch "$go"
	for ((i = 0; i < 60; i++)); do
		tx=$(port_stat tx_frames 2>/dev/null)
		[ "${tx:-0}" -ge "$FRAMES" ] && break
		sleep 0.25
	done
	t_log "port: rx $(port_stat rx_frames), rx dropped $(port_stat rx_dropped)," \
		"tx $(port_stat tx_frames), tx dropped $(port_stat tx_dropped)"
	[ "${tx:-0}" = "$FRAMES" ] ||
		t_fail "$FRAMES frames fed to the pcap port, ${tx:-0} sent back to it"
	t_tp "stop"
	t_tp "quit"
	t_stop_pid "$TP_PID" 10
	# The output pcap is complete once the backend closed the port.
	t_stop_pid "$BE_PID" 10
	/usr/bin/python3 "$PCAP_PY" same "$in" "$out" ||
		t_fail "the output pcap differs from the input"
	t_log "pcap round trip: $FRAMES frames byte for byte, in order"
}

t_app_cases "$@"
