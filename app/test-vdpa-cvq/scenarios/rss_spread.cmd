# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# RSS_CONFIG: flows are spread by the Toeplitz hash of their headers over
# the indirection table (each frame is checked against our own hash of it);
# frames no enabled hash type applies to go to the unclassified queue;
# VQ_PAIRS_SET ends RSS steering.
#@ vdev: queues=4
ctrl rss types ipv4,tcpv4,udpv4 key default table 0,1,2,3 tablelen 128 pairs 4
expect ack ok
send count 64 udp 1000 2000 sport-range 64
recv
expect rx 64
expect stat rx.steer_ok == 64
expect stat rx.steer_bad == 0
expect stat rx.q0 > 0
expect stat rx.q1 > 0
expect stat rx.q2 > 0
expect stat rx.q3 > 0
# A one-entry table: everything on pair 3, whichever pair sent it.
ctrl rss types udpv4 key default table 3 pairs 4
expect ack ok
send count 16 sport-range 16
send queue 1 count 16 sport-range 16
recv
expect rx 32 on queue 3
# A TCP frame with only udpv4 enabled gets no hash: unclassified queue.
ctrl rss types udpv4 key default table 3 unclassified 1 pairs 4
expect ack ok
send tcp count 4
recv
expect rx 4 on queue 1
# Back to automatic steering.
ctrl mq pairs 4
expect ack ok
send queue 2 count 4 sport-range 4
recv
expect rx 4 on queue 2
expect stat rx.steer_bad == 0
expect stat rx.bad_payload == 0
