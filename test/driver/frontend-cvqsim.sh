#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# The test-vdpa-cvq frontend against the cvqsim device hosted by
# dpdk-test-vdpa-cvq (backend role): the control queue as a real vring
# (vring 2 * max_pairs, group 1), commands in every descriptor layout, a
# command whose feature is masked off (must be ERR), a control-queue batch,
# traffic through the device's loopback with content checks, stop/resume
# with the control queue's index kept.
#
#   frontend-cvqsim.sh FRONTEND_CHECK_BINARY   (env CVQSIM_APP: the app)
#
# With SHADOW=1 the app runs --shadow-cvq (the VM case): every command of
# this separate frontend process goes through the app's shadow ring in
# ASID 1, and the app must end with the shadow's state equal to the
# device's.

set -u

CHECK=${1:?usage: $0 frontend-check-binary}
NAME=frontend-cvqsim
APP=${CVQSIM_APP:-}
BE_OPTS=()
[ "${SHADOW:-0}" = 1 ] && BE_OPTS=(--shadow-cvq) && NAME=frontend-cvqsim-shadow
. "$(dirname "$0")/fe-lib.sh"

[ -x "$APP" ] || fail "CVQSIM_APP not set or not executable"


# Start the app with one cvqsim device (2 pairs) behind the socket; the
# device is polled by its own thread on CPU 1.
start_backend() {
	local prefix=fecvq$$_$1
	PREFIXES+=("$prefix")
	rm -f "$SOCK"
	stdbuf -oL "$APP" --no-huge -m 256 --no-pci --file-prefix "$prefix" \
		-l 0 --vdev "vdpa_cvqsim0,queues=2,poll=thread,cpu=1" \
		--log-level=pmd.vdpa.cvqsim:info --log-level=user1:info \
		-- --iface "$SOCK" "${BE_OPTS[@]}" \
		>"$DIR/backend-$1.log" 2>&1 </dev/null &
	BE_PID=$!
	PIDS+=("$BE_PID")
	wait_socket "$BE_PID" "backend $1"
}

start_backend a

# Full negotiation (CONFIG gives max pairs and the MAC); the CVQ is vring 4.
# Every command (VQ_PAIRS_SET 2, in every layout and in a batch) must be
# acknowledged OK. Resume is a new vhost-user connection, i.e. a reset
# device with one pair in use: the frames queued on pair 1 while stopped
# are taken once the driver sets the pairs again (ctrl), as a driver
# restores its settings after a reset.
check full --frames 2000 --rx-any --dev-mac --ack 0 --depth 16 \
	open ctrl ctrl-bench traffic stop queue resume ctrl expect-rx traffic
grep -q 'cvq 4' "$DIR/check-full.log" || fail "CVQ not at vring 4"
grep -q 'config yes' "$DIR/check-full.log" || fail "no GET_CONFIG"
grep -Eq 'stop: .* 4:[0-9]+' "$DIR/check-full.log" || fail "no CVQ base"

# MQ and RSS masked off: one pair, the CVQ moves to vring 2 and
# VQ_PAIRS_SET must be ERR.
check gated --frames 500 --rx-any --dev-mac --mask-off MQ,RSS \
	open ctrl-gated traffic stop queue restart expect-rx
grep -q 'cvq 2' "$DIR/check-gated.log" || fail "CVQ not at vring 2"

# Mergeable RX through the device: 1042-byte frames in 256-byte buffers
# (on both pairs: ctrl puts pair 1 in use first).
check mrg --frames 500 --rx-any --dev-mac --rx-buf 256 --len 1000 \
	open ctrl traffic
grep -q 'merged 500' "$DIR/check-mrg.log" || fail "frames were not merged"

stop_pid "$BE_PID"
grep -q 'errors 0' "$DIR/backend-a.log" || fail "device counted errors"
if [ ${#BE_OPTS[@]} -gt 0 ]; then
	relayed=$(grep -c 'relaying control queue' "$DIR/backend-a.log")
	[ "$relayed" -ge 3 ] || fail "the shadow relayed on $relayed connections"
	grep -q 'equals the device state' "$DIR/backend-a.log" &&
		! grep -q 'DIFFERS' "$DIR/backend-a.log" ||
		fail "the shadow's state is not the device's"
	log "the shadow relayed the control queue of $relayed connections"
fi

OK=1
log "PASS"
exit 0
