# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# NOBCAST drops broadcast, even with ALLMULTI on; broadcast is received by
# default with promiscuous mode off.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
send bcast count 2
recv
expect rx 2
ctrl rx nobcast on
expect ack ok
send bcast count 2
recv
expect rx 0
ctrl rx allmulti on
expect ack ok
send bcast count 2
recv
expect rx 0
# Unicast to the primary MAC is not affected.
send count 2
recv
expect rx 2
ctrl rx nobcast off
expect ack ok
send bcast count 2
recv
expect rx 2
