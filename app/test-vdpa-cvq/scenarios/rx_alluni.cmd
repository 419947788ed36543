# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# ALLUNI accepts unicast to any address with promiscuous mode off.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
send dst 02:00:00:00:00:99 count 3
recv
expect rx 0
ctrl rx alluni on
expect ack ok
send dst 02:00:00:00:00:99 count 3
recv
expect rx 3
ctrl rx alluni off
expect ack ok
send dst 02:00:00:00:00:99 count 3
recv
expect rx 0
