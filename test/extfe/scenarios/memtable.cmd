# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# A memory table change while the VMM's shadow relays the control queue
# (extfe only: "memtable"). The frontend adds a second region and moves its
# control requests there, drops it again (the backend unmaps it) and sends
# the same table once more: the shadow must translate the guest's control
# ring and buffers through the new table each time (no stale host
# pointers), keep relaying, and the device's ring in ASID 1 stays valid.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
send dst 02:00:00:00:00:99 count 2
recv
expect rx 0
memtable add
ctrl mac table uc 02:00:00:00:00:99
expect ack ok
send dst 02:00:00:00:00:99 count 2
recv
expect rx 2
ctrl vlan add 5
expect ack ok
set ctrl layout indirect
ctrl rx allmulti on
expect ack ok
memtable drop
set ctrl layout bytes
ctrl mac table
expect ack ok
send dst 02:00:00:00:00:99 count 2
recv
expect rx 0
memtable same
set ctrl layout split
ctrl rx promisc on
expect ack ok
send dst 02:00:00:00:00:98 count 2
recv
expect rx 2
ctrl stats get vq 4 types cvq
expect ack ok
expect stat ctrl.vq4.command_num == 7
expect stat ctrl.vq4.ok_num == 7
expect stat rx.bad_payload == 0
