# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Multicast filtering: with promiscuous mode off, a multicast frame is
# received only with ALLMULTI or when its address is in the multicast part
# of the MAC table.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
send mcast count 3
recv
expect rx 0
ctrl rx allmulti on
expect ack ok
send mcast count 3
send dst 01:00:5e:12:34:56 count 3
recv
expect rx 6
ctrl rx allmulti off
expect ack ok
ctrl mac table mc 01:00:5e:00:00:01
expect ack ok
send mcast count 3
send dst 01:00:5e:12:34:56 count 3
recv
expect rx 3
