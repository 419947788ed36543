# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# NOMULTI drops multicast even with ALLMULTI on, and does not touch
# broadcast (spec 1.4, "Packet Receive Filtering").
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
ctrl rx allmulti on
expect ack ok
ctrl rx nomulti on
expect ack ok
send mcast count 3
recv
expect rx 0
send bcast count 3
recv
expect rx 3
ctrl rx nomulti off
expect ack ok
send mcast count 3
recv
expect rx 3
