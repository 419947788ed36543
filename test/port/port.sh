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
#   tap      a net_tap port: the guest's frames (the app's own frontend)
#            reach the kernel interface, frames the kernel sends on it reach
#            the guest, both checked by tag and pattern; skipped (77) when
#            /dev/net/tun is missing or the tap cannot be created
#            (env PORT_TAP_IFACE: the interface name, default cvqtap<pid>)
#
# Usage: port.sh CASE...   (env: CVQSIM_APP, TESTPMD)

. "$(dirname "$0")/../driver/lib.sh"

PCAP_PY=$(dirname "$0")/pcap.py
TAP_PY=$(dirname "$0")/tap.py
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

# Wait until the port has sent all $FRAMES frames back, or its counters
# stopped moving for PCAP_IDLE seconds (frames lost: no use waiting), or
# PCAP_WAIT seconds in all (a slow build still moving). Sets tx.
PCAP_IDLE=5
PCAP_WAIT=30
pcap_wait() {
	local start=$SECONDS moved=$SECONDS rx last=
	while :; do
		rx=$(port_stat rx_frames 2>/dev/null)
		tx=$(port_stat tx_frames 2>/dev/null)
		[ "${tx:-0}" -ge "$FRAMES" ] && return
		[ "${rx:-0}/${tx:-0}" = "$last" ] || moved=$SECONDS
		last=${rx:-0}/${tx:-0}
		[ $((SECONDS - moved)) -lt "$PCAP_IDLE" ] || return
		[ $((SECONDS - start)) -lt "$PCAP_WAIT" ] || return
		sleep 0.25
	done
}

# Where the frames are, on failure: testpmd's port counters (what the
# virtio-user port received and sent) and forward counters (what io
# forwarding took and dropped), the device's per-queue counters.
pcap_where() {
	t_tp "show port stats all"
	t_tp "show fwd stats all"
	sleep 1
	t_log "device queues: $(t_telemetry "/cvqsim/stats,vdpa_cvqsim0" 2>&1)"
	t_log "device: $(t_telemetry "/cvqsim/dev_stats,vdpa_cvqsim0" 2>&1)"
}

# The guest is testpmd with --no-flush-rx: without it, "start" frees
# whatever its receive queue holds, after it has printed "io packet
# forwarding" (the line the test waits for), so frames the device placed
# around that moment were lost (seen under ThreadSanitizer: 104 or 0 of
# 200 sent back, testpmd's port counting 200 received, its forwarding
# fewer). The first $PCAP_EARLY frames are fed before "start", and must
# wait in the guest's receive ring; the others once it forwards. The
# pcap port reads a named pipe, written by the feeder (until the frames
# come, the device's poll thread waits in the pcap port's read: nothing
# else needs it in this test).
PCAP_EARLY=64	# whole bursts of 32, fewer than the ring holds

case_pcap() {
	local sock=$T_DIR/pcap.sock fifo=$T_DIR/in.fifo in=$T_DIR/in.pcap
	local out=$T_DIR/out.pcap go=$T_DIR/go go2=$T_DIR/go2 tx rx i feeder
	t_need_testpmd
	mkfifo "$fifo" || t_fail "mkfifo"
	/usr/bin/python3 "$PCAP_PY" feed "$fifo" "$in" "$FRAMES" "$go" \
		"$PCAP_EARLY" "$go2" &
	feeder=$!
	T_PIDS+=("$feeder")
	t_start_backend backend -l 0 \
		--vdev "net_pcap0,rx_pcap=$fifo,tx_pcap=$out" \
		--vdev vdpa_cvqsim0,port=net_pcap0,cpu=1 -- --iface "$sock"
	t_wait_socket "$sock" 20 || t_fail "backend socket $sock not created"
	t_start_testpmd testpmd -l 0,1 --main-lcore 1 \
		--vdev "net_virtio_user0,path=$sock" -- \
		-i --forward-mode=io --rxq=1 --txq=1 --nb-cores=1 --no-flush-rx
	t_wait_log "$TP_LOG" 'testpmd> ' 1 30 || t_fail "testpmd did not start"
	# The early frames into the guest's receive ring (not forwarding yet).
	touch "$go"
	for ((i = 0; i < 120; i++)); do
		rx=$(port_stat rx_frames 2>/dev/null)
		[ "${rx:-0}" -ge "$PCAP_EARLY" ] && break
		sleep 0.25
	done
	t_log "before start: port rx ${rx:-0}, tx $(port_stat tx_frames)"
	[ "${rx:-0}" = "$PCAP_EARLY" ] || {
		pcap_where
		t_fail "$PCAP_EARLY frames fed before start, ${rx:-0} received"
	}
	t_tp "start"
	t_wait_log "$TP_LOG" 'io packet forwarding' 1 10 ||
		t_fail "testpmd did not start forwarding"
	touch "$go2"
	pcap_wait
	t_log "port: rx $(port_stat rx_frames), rx dropped $(port_stat rx_dropped)," \
		"tx $(port_stat tx_frames), tx dropped $(port_stat tx_dropped)"
	[ "${tx:-0}" = "$FRAMES" ] || {
		pcap_where
		t_fail "$FRAMES frames fed to the pcap port, ${tx:-0} sent back to it"
	}
	t_tp "stop"
	t_tp "quit"
	t_stop_pid "$TP_PID" 10
	# The output pcap is complete once the backend closed the port.
	t_stop_pid "$BE_PID" 10
	/usr/bin/python3 "$PCAP_PY" same "$in" "$out" ||
		t_fail "the output pcap differs from the input"
	t_log "pcap round trip: $FRAMES frames byte for byte, in order"
}

# The app at its prompt, commands through a fifo on fd 4: app_start NAME
# EAL-AND-APP-ARGS... (sets BE_PID, BE_LOG, BE_PREFIX as t_start_backend).
app_start() {
	local name=$1 fifo=$T_DIR/$1.fifo
	shift
	mkfifo "$fifo" || t_fail "mkfifo"
	BE_LOG=$T_DIR/$name.log
	BE_PREFIX=cvqsim-$name-$$
	stdbuf -oL "$CVQSIM_APP" --no-huge -m 256 --no-pci \
		--file-prefix "$BE_PREFIX" "$@" <"$fifo" >"$BE_LOG" 2>&1 &
	BE_PID=$!
	T_PIDS+=("$BE_PID")
	exec 4>"$fifo"
}

# Run one command at the app's prompt; wait for the prompt after it.
app_cmd() {
	local n
	n=$(grep -o 'testvdpacvq> ' "$BE_LOG" | wc -l)
	echo "$*" >&4 || t_fail "the app is gone (command: $*)"
	t_wait_log "$BE_LOG" 'testvdpacvq> ' $((n + 1)) 20 ||
		t_fail "no prompt after '$*'"
}

TAP_FRAMES=32

case_tap() {
	local ifc=${PORT_TAP_IFACE:-cvqtap$$} cap=$T_DIR/cap.out ready=$T_DIR/cap.ready
	local k0 k1 capper dst
	ifc=${ifc:0:15}
	[ -c /dev/net/tun ] || t_skip "tap: /dev/net/tun is missing"
	app_start tap "${T_EAL[@]}" --vdev "net_tap0,iface=$ifc" \
		--vdev vdpa_cvqsim0,port=net_tap0,queues=1,cpu=1 -- --self -i
	t_wait_log "$BE_LOG" 'testvdpacvq> |failed to initialize net_tap0' 1 30
	# Only the tap PMD's own failure is a skip; the device's is not.
	grep -qF 'failed to initialize net_tap0' "$BE_LOG" &&
		t_skip "tap: no tap interface here:" \
			"$(grep -iE 'tap' "$BE_LOG" | head -n 2 | tr '\n' ' ')"
	grep -qF 'testvdpacvq> ' "$BE_LOG" ||
		t_fail "tap: the app did not come to its prompt"
	[ -d "/sys/class/net/$ifc" ] || t_fail "tap: no kernel interface $ifc"
	# The kernel's own IPv6 chatter must not reach the guest's checks.
	echo 1 >"/proc/sys/net/ipv6/conf/$ifc/disable_ipv6" 2>/dev/null
	app_cmd ctrl rx promisc off
	app_cmd ctrl rx allmulti off
	app_cmd recv timeout 200
	app_cmd clear stats
	app_cmd expect stat port.promisc == 0
	# Guest -> port -> kernel.
	k0=$(cat "/sys/class/net/$ifc/statistics/rx_packets")
	/usr/bin/python3 "$TAP_PY" capture "$ifc" "$TAP_FRAMES" 10 "$ready" \
		>"$cap" 2>&1 &
	capper=$!
	T_PIDS+=("$capper")
	for ((i = 0; i < 50; i++)); do
		[ -e "$ready" ] && break
		sleep 0.1
	done
	[ -e "$ready" ] || t_fail "tap: the AF_PACKET capture did not start"
	app_cmd send count $TAP_FRAMES raw len 200
	wait "$capper" || t_fail "tap: $(head -n 1 "$cap")"
	t_log "tap: $(head -n 1 "$cap")"
	k1=$(cat "/sys/class/net/$ifc/statistics/rx_packets")
	[ $((k1 - k0)) -ge "$TAP_FRAMES" ] ||
		t_fail "tap: $ifc rx_packets grew by $((k1 - k0)), not $TAP_FRAMES"
	app_cmd expect stat port.tx_frames == $TAP_FRAMES
	# Kernel -> port -> guest, to the MAC the guest's frames carried.
	dst=$(sed -n 's/^dst //p' "$cap")
	/usr/bin/python3 "$TAP_PY" inject "$ifc" "$dst" "$TAP_FRAMES" >>"$cap" ||
		t_fail "tap: AF_PACKET send on $ifc failed: $(tail -n 1 "$cap")"
	app_cmd recv
	app_cmd expect rx $TAP_FRAMES
	app_cmd expect stat rx.bad_payload == 0
	app_cmd expect stat port.rx_frames '>=' $TAP_FRAMES
	grep -E 'expect failed|^error' "$BE_LOG" &&
		t_fail "tap: an expectation failed (log above)"
	t_log "tap: $TAP_FRAMES frames guest -> $ifc (rx_packets +$((k1 - k0)))," \
		"$TAP_FRAMES frames $ifc -> guest, tags and patterns intact"
	echo quit >&4
	exec 4>&-
	t_stop_pid "$BE_PID" 10
}

t_app_cases "$@"
