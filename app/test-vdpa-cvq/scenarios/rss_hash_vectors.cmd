# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# RSS hash and hash report against published values: the spec's example
# key (Microsoft's RSS verification key) and vectors of the 82599 RSS
# verification suite, as DPDK's test_thash.c has them. The queue is
# table[hash & 3] and the header carries the hash and its type.
#@ vdev: queues=4
# 66.9.149.187:2794 -> 161.142.100.80:1766, 4-tuple 0x51ccc178 -> queue 0
ctrl rss types tcpv4 key default table 0,1,2,3 pairs 4
expect ack ok
send ipv4 66.9.149.187 161.142.100.80 tcp 2794 1766
recv
expect rx 1 on queue 0
expect stat rx.q0.hash_value == 0x51ccc178
expect stat rx.q0.hash_report == 2
# The same frame, IPv4 2-tuple only: 0x323e8fc2 -> queue 2, report IPv4
ctrl rss types ipv4 key default table 0,1,2,3 pairs 4
expect ack ok
send ipv4 66.9.149.187 161.142.100.80 tcp 2794 1766
recv
expect rx 1 on queue 2
expect stat rx.q2.hash_value == 0x323e8fc2
expect stat rx.q2.hash_report == 1
# 199.92.111.2:14230 -> 65.69.140.83:4739 UDP, 0xc626b0ea -> queue 2
ctrl rss types udpv4 key default table 0,1,2,3 pairs 4
expect ack ok
send ipv4 199.92.111.2 65.69.140.83 udp 14230 4739
recv
expect rx 1 on queue 2
expect stat rx.q2.hash_value == 0xc626b0ea
expect stat rx.q2.hash_report == 3
# IPv6 TCP 3ffe:2501:200:1fff::7:2794 -> 3ffe:2501:200:3::1:1766,
# 0x40207d3d -> queue 1, report TCPv6
ctrl rss types tcpv6 key default table 0,1,2,3 pairs 4
expect ack ok
send ipv6 3ffe:2501:200:1fff::7 3ffe:2501:200:3::1 tcp 2794 1766
recv
expect rx 1 on queue 1
expect stat rx.q1.hash_value == 0x40207d3d
expect stat rx.q1.hash_report == 5
expect stat rx.hash_bad == 0
expect stat rx.steer_bad == 0
