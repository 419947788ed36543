# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# A MAC table longer than the device's (64 entries by default) is not an
# error: the class it overflows is then accepted whole (QEMU's rule).
#@ vdev: queues=2,mac_table=64
ctrl rx promisc off
expect ack ok
ctrl mac table uc gen 64
expect ack ok
# 02:00:00:00:00:3f is in the table, 02:00:00:00:01:00 is not.
send dst 02:00:00:00:00:3f
send dst 02:00:00:00:01:00
recv
expect rx 1
ctrl mac table uc gen 65
expect ack ok
send dst 02:00:00:00:01:00
send dst 02:00:00:00:77:77
recv
expect rx 2
# Multicast overflow: 64 unicast entries leave no room for one multicast.
ctrl mac table uc gen 64 mc 01:00:5e:00:00:01
expect ack ok
send dst 01:00:5e:00:00:42
recv
expect rx 1
