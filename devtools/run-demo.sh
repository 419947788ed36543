#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# The main job, from a fresh clone: install what is missing, build, then
#  1. dpdk-test-vdpa-cvq hosting a cvqsim device behind a vhost-user socket
#     and its own frontend connected to that socket, which passes the control
#     queue to the device: control commands and the traffic they shape
#     (app/test-vdpa-cvq/scenarios/demo.cmd, every step asserted);
#  2. the same backend with a stock client, Debian's testpmd over
#     virtio-user (which keeps the control queue to itself), passing traffic
#     through the device's loopback;
# and print a summary of both.
#
# Env: QUEUES (queue pairs, default 2), SECONDS_RUN (default 10),
#      BUILD_DIR (default build-demo).

set -eu

src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$src"
"$src/devtools/install-deps.sh"

build=${BUILD_DIR:-build-demo}
QUEUES=${QUEUES:-2}
SECONDS_RUN=${SECONDS_RUN:-10}

if [ -f "$build/build.ninja" ]; then
	out=$(meson setup --reconfigure "$build" 2>&1)
else
	out=$(meson setup "$build" 2>&1)
fi || { echo "$out"; echo "=== meson setup $build failed"; exit 1; }
ninja -C "$build" app/test-vdpa-cvq/dpdk-test-vdpa-cvq >/dev/null

APP=$src/$build/app/test-vdpa-cvq/dpdk-test-vdpa-cvq
echo "=== part 1: the device and the app's frontend, control commands and traffic"
SCENARIO_BUDGET=120 bash "$src/app/test-vdpa-cvq/scenarios/run.sh" self "$APP" \
	"$src/app/test-vdpa-cvq/scenarios/demo.cmd" || {
	echo "=== FAILED: part 1 (control commands and traffic)"
	exit 1
}
echo
echo "=== part 2: the device and Debian's testpmd over virtio-user"

set +e
CVQSIM_APP=$APP
TEST_BUDGET=$((SECONDS_RUN + 60))
. "$src/test/driver/lib.sh"
T_NAME=demo
t_need_testpmd
t_init

SOCK=$T_DIR/vhost.sock
t_log "backend: dpdk-test-vdpa-cvq with vdpa_cvqsim0 ($QUEUES queue pairs), socket $SOCK"
t_start_backend backend -l 0 --vdev "vdpa_cvqsim0,queues=$QUEUES,cpu=1" \
	--log-level=pmd.vdpa.cvqsim:info --log-level=user1:info -- --iface "$SOCK"
t_wait_socket "$SOCK" 20 || t_fail "the backend did not create $SOCK"

t_log "client: dpdk-testpmd with net_virtio_user0 ($QUEUES queue pairs), io forwarding"
t_start_testpmd client -l 0,1 --main-lcore 1 \
	--vdev "net_virtio_user0,path=$SOCK,queues=$QUEUES" -- \
	-i --forward-mode=io --rxq="$QUEUES" --txq="$QUEUES" --nb-cores=1
t_wait_log "$TP_LOG" 'testpmd> ' 1 30 || t_fail "testpmd did not start"

t_log "forwarding for ${SECONDS_RUN}s (tx_first: one burst of 32 per queue circulates)"
t_tp "start tx_first"
sleep "$SECONDS_RUN"
t_tp_stop_counters
t_tp quit
t_wait_log "$TP_LOG" 'Bye' 1 15
t_stop_pid "$TP_PID" 10
t_stop_pid "$BE_PID" 10

echo
echo "=== cvqsim demo summary"
printf '  client sent      %12s packets\n' "$TP_TX"
printf '  client received  %12s packets (in flight at stop: %s)\n' "$TP_RX" \
	$((TP_TX - TP_RX))
printf '  loopback rate    %12s packets/s (64-byte frames, averaged over %ss)\n' \
	$((TP_RX / SECONDS_RUN)) "$SECONDS_RUN"
echo "  device vrings seen by the driver:"
grep -E 'vring [0-9]+ (up|down)' "$BE_LOG" | sed 's/.*vdpa_cvqsim0: /    /'
echo "  device counters (per virtqueue):"
sed -n '/per-queue stats:/,/summary:/p' "$BE_LOG" | sed 's/^/  /'
if [ "$TP_RX" -gt 0 ] && grep -q 'summary:.* errors 0$' "$BE_LOG"; then
	T_OK=1
	echo "=== OK: control commands acked and enforced (part 1), traffic passed through" \
		"the cvqsim device with no device errors (part 2)"
	exit 0
fi
t_fail "no traffic, or the device reported errors"
