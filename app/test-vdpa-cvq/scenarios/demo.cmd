# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# The demo: a cvqsim device and the frontend in one process, a few
# control commands and their effect on traffic.
#@ vdev: queues=4
echo == the device and its control queue (group 1, its own vq group) ==
show device
show groups
show config
echo == traffic through the device loopback ==
send count 8
recv
expect rx 8
echo == receive filter: promiscuous off drops a frame to another MAC ==
ctrl rx promisc off
expect ack ok
send dst 02:00:00:00:00:99 count 4
recv
expect rx 0
echo == the MAC table accepts it ==
ctrl mac table uc 02:00:00:00:00:99
expect ack ok
send dst 02:00:00:00:00:99 count 4
recv
expect rx 4
echo == RSS: 64 flows spread over 4 pairs by the Toeplitz hash ==
ctrl rss types ipv4,tcpv4,udpv4 key default table 0,1,2,3 pairs 4
expect ack ok
send count 64 sport-range 64
recv
expect rx 64
expect stat rx.steer_bad == 0
show state
show stats
