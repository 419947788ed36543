# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# NOUNI drops every unicast frame, the primary MAC's included, and wins
# over ALLUNI; multicast and broadcast are not affected.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
ctrl rx nouni on
expect ack ok
send count 3
recv
expect rx 0
ctrl rx alluni on
expect ack ok
send dst 02:00:00:00:00:99 count 3
recv
expect rx 0
send bcast count 3
recv
expect rx 3
ctrl rx nouni off
expect ack ok
send count 3
recv
expect rx 3
