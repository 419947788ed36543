#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# The test-vdpa-cvq frontend against DPDK's vhost PMD (Debian's testpmd, io
# forwarding: what the frontend sends on TX queue k comes back on RX queue
# k). Covers negotiation, the memory table at a GPA base, traffic on one and
# two pairs, mergeable and plain RX buffers, a control queue nobody answers
# (timeout), stop/resume with frames queued while stopped, and a backend
# killed and restarted under the frontend.
#
#   frontend-testpmd.sh FRONTEND_CHECK_BINARY

set -u

CHECK=${1:?usage: $0 frontend-check-binary}
TESTPMD=${TESTPMD:-$(command -v dpdk-testpmd || echo /usr/bin/dpdk-testpmd)}
NAME=frontend-testpmd
. "$(dirname "$0")/fe-lib.sh"

[ -x "$TESTPMD" ] || { log "SKIP: no dpdk-testpmd"; exit 77; }

# Start testpmd as the vhost-user server; sets TP_PID.
start_testpmd() {
	local prefix=fe$$_$1
	PREFIXES+=("$prefix")
	rm -f "$SOCK"
	stdbuf -oL "$TESTPMD" --no-huge -m 512 --no-pci --file-prefix "$prefix" \
		-l 0,1 --vdev "net_vhost0,iface=$SOCK,queues=2,client=0" -- \
		--forward-mode=io --stats-period 1 --total-num-mbufs 16384 \
		--rxq=2 --txq=2 >"$DIR/testpmd-$1.log" 2>&1 </dev/null &
	TP_PID=$!
	PIDS+=("$TP_PID")
	wait_socket "$TP_PID" "testpmd $1"
}

start_testpmd a

# One pair, CVQ masked off (the vhost PMD has no CVQ): negotiation,
# traffic, stop, frames queued in the stopped rings, resume, traffic.
check basic --mask-off CTRL_VQ --frames 2000 \
	open traffic stop queue resume expect-rx traffic
grep -q 'gpa 0x40000000' "$DIR/check-basic.log" || fail "GPA base not used"

# Two pairs: MQ without CTRL_VQ is only possible forced (the spec ties MQ to
# CTRL_VQ); VERSION_1 MRG_RXBUF MQ ANY_LAYOUT INDIRECT EVENT_IDX PROTOCOL.
check mq --force 0x178408000 --pairs 2 --frames 2000 \
	open traffic stop queue resume expect-rx traffic

# Mergeable RX: 128-byte buffers, 642-byte frames take 6 buffers each.
check mrg --mask-off CTRL_VQ --rx-buf 128 --len 600 --frames 500 open traffic
grep -q 'merged 500' "$DIR/check-mrg.log" || fail "frames were not merged"

# Plain RX buffers (no MRG_RXBUF), near-MTU frames.
check plain --mask-off CTRL_VQ,MRG_RXBUF --len 1400 --frames 500 \
	open traffic stop queue restart expect-rx
grep -q 'mergeable 0' "$DIR/check-plain.log" || fail "MRG_RXBUF was negotiated"

# CTRL_VQ without MQ: the CVQ is vring 2, a real vring the vhost PMD never
# serves: the command must time out, and traffic must still work.
check cvq-timeout --mask-off MQ --timeout-ms 300 open ctrl-timeout traffic
grep -q 'cvq 2' "$DIR/check-cvq-timeout.log" || fail "CVQ not at vring 2"

# Backend killed under a running frontend, then restarted: the frontend
# reports the dead backend, resumes on the new one from the used indices.
log "check crash: kill testpmd under the frontend, restart, resume"
coproc CHK { timeout 120 "$CHECK" --socket "$SOCK" --mask-off CTRL_VQ \
	--frames 1000 open traffic wait-line expect-dead wait-line resume \
	traffic 2>&1; }
chk_pid=$CHK_PID
exec 4<&"${CHK[0]}" 5>&"${CHK[1]}"
waits=0
while IFS= read -r -u 4 line; do
	echo "    $line"
	echo "$line" >>"$DIR/check-crash.log"
	[ "$line" = WAITING ] || continue
	waits=$((waits + 1))
	if [ $waits = 1 ]; then
		stop_pid "$TP_PID" KILL
		log "testpmd a killed (pid $TP_PID)"
	else
		start_testpmd b
		log "testpmd b started (pid $TP_PID)"
	fi
	echo go >&5
done
wait "$chk_pid"
rc=$?
[ $rc = 0 ] || fail "check crash exited $rc"
grep -q 'expect-dead: stop returned' "$DIR/check-crash.log" ||
	fail "dead backend not reported"
grep -q 'all steps passed' "$DIR/check-crash.log" || fail "crash check incomplete"

OK=1
log "PASS"
exit 0
