#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# A cvqsim device moved between two backend processes by the app's own
# frontend (driver-tests, about 15 s):
#
#   backend A --(migrate save S)-->  S  --(--restore S)--> backend B
#       ^                                                      ^
#       +----- frontend: migrate stop ...... migrate resume ---+
#
# The frontend configures RSS over 4 pairs, the receive filter (promiscuous
# off, a unicast table) and a VLAN, checks that traffic follows them, stops
# the device (frames then queued stay in its rings: in flight), backend A
# saves the state, backend B starts with it and loads it when the frontend
# negotiates (before the data queues are enabled: QEMU's order), the
# frontend resumes on B with the same memory and rings. Then: B's device
# model equals A's ("show state"), what arrives of the frames in flight is
# well steered, RSS spreads and steers as before (the frontend checks each
# frame against its own view of the state), the filter still drops what it
# dropped, and "migrate check" passes on B. A refused state (corrupt file)
# leaves B unchanged. Then B is killed: A, which kept serving, takes the
# state back and the frontend resumes there with the same behaviour.
#
# Usage: app-migrate.sh   (CVQSIM_APP: dpdk-test-vdpa-cvq)

. "$(dirname "$0")/../driver/lib.sh"

[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set"
t_init

EAL=(--no-huge -m 256 --no-pci -l 0 --log-level=lib.eal:warning
	--log-level=lib.vhost.config:warning)
MARK=0

# start NAME FIFO-FD APP-ARGS...: an interactive app reading from a fifo.
start() {
	local name=$1 fd=$2
	shift 2
	mkfifo "$T_DIR/$name.fifo"
	"$CVQSIM_APP" "${EAL[@]}" --file-prefix "cvqsim-appmig-$name-$$" "$@" \
		-i <"$T_DIR/$name.fifo" >"$T_DIR/$name.log" 2>&1 &
	T_PIDS+=($!)
	eval "exec $fd>\"$T_DIR/$name.fifo\""
}

# run NAME FD COMMAND...: send commands, then wait for them to be done.
run() {
	local name=$1 fd=$2 c
	shift 2
	for c in "$@"; do
		echo "$c" >&"$fd"
	done
	MARK=$((MARK + 1))
	echo "echo MARK-$MARK" >&"$fd"
	t_wait_log "$T_DIR/$name.log" "^MARK-$MARK\$" 1 30 ||
		t_fail "$name: no answer to: $*"
}

# Every "expect" of the frontend must have held (interactive: only printed)
# since the last check.
FE_FROM=1
check_fe() {
	! tail -n +"$FE_FROM" "$T_DIR/fe.log" | grep -aE 'expect failed|^error' ||
		t_fail "frontend: $1"
	FE_FROM=$(($(wc -l <"$T_DIR/fe.log") + 1))
	t_log "$1: ok"
}

# The frontend's traffic checks: RSS spread and steering, then the filter.
traffic() {
	run fe 5 "clear stats" \
		"send count 64 udp 1000 2000 sport-range 64" "recv" \
		"expect rx 64" "expect stat rx.steer_ok == 64" \
		"expect stat rx.steer_bad == 0" "expect stat rx.q0 > 0" \
		"expect stat rx.q1 > 0" "expect stat rx.q2 > 0" \
		"expect stat rx.q3 > 0" \
		"send dst 02:00:00:00:00:99 count 3" "recv timeout 300" \
		"expect rx 0" \
		"send dst 02:00:00:00:00:77 vlan 100 count 3" "recv" \
		"expect rx 3" \
		"send dst 02:00:00:00:00:77 vlan 200 count 3" \
		"recv timeout 300" "expect rx 0"
}

start a 3 --vdev vdpa_cvqsim0,queues=4,cpu=1 -- --iface "$T_DIR/a.sock"
t_wait_socket "$T_DIR/a.sock" 20 || t_fail "backend A: no socket"
start fe 5 -- --connect "$T_DIR/a.sock" --fe-ctrl-timeout 5000
run fe 5 \
	"ctrl rss types ipv4,tcpv4,udpv4 key default table 0,1,2,3 tablelen 128 pairs 4" \
	"expect ack ok" "ctrl rx promisc off" "expect ack ok" \
	"ctrl mac table uc 02:00:00:00:00:77 mc -" "expect ack ok" \
	"ctrl vlan add 100" "expect ack ok"
traffic
check_fe "backend A: RSS over 4 pairs, unicast table, VLAN 100"

# Stop; frames queued now wait in the rings for the next backend.
run fe 5 "migrate stop" "send count 8 udp 1000 2000 sport-range 8"
run a 3 "show state" "migrate save $T_DIR/state.bin"
grep -q "state saved" "$T_DIR/a.log" || t_fail "backend A did not save"
sed -n '/^device model/,/^  coalescing/p' "$T_DIR/a.log" >"$T_DIR/state-a.txt"

# A corrupt state is refused by B and changes nothing.
cp "$T_DIR/state.bin" "$T_DIR/bad.bin"
printf '\x55' | dd of="$T_DIR/bad.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
start b 4 --vdev vdpa_cvqsim0,queues=4,cpu=1 -- --iface "$T_DIR/b.sock" \
	--restore "$T_DIR/state.bin"
t_wait_socket "$T_DIR/b.sock" 20 || t_fail "backend B: no socket"
grep -q "accepted" "$T_DIR/b.log" || t_fail "backend B refused the state"
run b 4 "try migrate restore $T_DIR/bad.bin"
grep -q "refused: state corrupt: checksum" "$T_DIR/b.log" ||
	t_fail "backend B took a corrupt state"
t_log "backend B: state accepted, a corrupt copy refused"

# The frames queued while stopped are in flight: B sends them as soon as
# their transmit ring is up, and those steered to a receive ring not up yet
# are dropped (TX never waits for RX). What arrives must be well steered.
run fe 5 "migrate resume $T_DIR/b.sock" "recv" \
	"expect stat rx.steer_bad == 0"
grep -q "frontend resumed on" "$T_DIR/fe.log" || t_fail "no resume"
inflight=$(grep -aoE '^received [0-9]+ frames' "$T_DIR/fe.log" | tail -n 1 |
	cut -d' ' -f2)
[ "${inflight:-9}" -le 8 ] || t_fail "more frames than were in flight"
check_fe "resumed on backend B ($inflight of the 8 frames in flight received)"
grep -q "saved state loaded" "$T_DIR/b.log" ||
	t_fail "backend B did not load the state at negotiation"

run b 4 "show state" "migrate check"
sed -n '/^device model/,/^  coalescing/p' "$T_DIR/b.log" >"$T_DIR/state-b.txt"
[ -s "$T_DIR/state-a.txt" ] || t_fail "no state from A"
diff -u "$T_DIR/state-a.txt" "$T_DIR/state-b.txt" ||
	t_fail "device model on B differs from A's"
grep -q "state check: .* the same state byte for byte" "$T_DIR/b.log" ||
	t_fail "migrate check failed on B"
t_log "backend B: device model equal to A's, migrate check passed"

traffic
check_fe "backend B: RSS, unicast table and VLAN behave as on A"

# Interrupted the other way: B dies under the frontend. A still serves: it
# takes the saved state back and the frontend resumes there.
kill -KILL "${T_PIDS[2]}"
run a 3 "migrate restore $T_DIR/state.bin"
grep -q "accepted" "$T_DIR/a.log" || t_fail "backend A refused its own state"
# The frontend finds B gone when it stops (an error, expected here).
run fe 5 "migrate stop"
grep -aq "backend closed the connection" "$T_DIR/fe.log" ||
	t_fail "the frontend did not see B gone"
FE_FROM=$(($(wc -l <"$T_DIR/fe.log") + 1))
run fe 5 "migrate resume $T_DIR/a.sock" "recv timeout 300"
grep -c "frontend resumed on" "$T_DIR/fe.log" | grep -qx 2 ||
	t_fail "no resume on A"
traffic
check_fe "backend B killed: back on backend A with the same state"
echo quit >&5
t_pass
