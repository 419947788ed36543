# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# MAC_ADDR_SET: the config space mac follows (MAC negotiated) and the new
# address is what the receive filter accepts; the old one is dropped.
#@ vdev: queues=2,mac=02:63:76:71:00:10
expect state config mac 02:63:76:71:00:10
ctrl rx promisc off
expect ack ok
ctrl mac addr 02:11:22:33:44:55
expect ack ok
expect state config mac 02:11:22:33:44:55
send dst 02:11:22:33:44:55 count 3
recv
expect rx 3
send dst 02:63:76:71:00:10 count 3
recv
expect rx 0
