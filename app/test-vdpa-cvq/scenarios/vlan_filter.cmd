# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VLAN filter: with CTRL_VLAN negotiated the table starts empty, so a
# tagged frame is dropped (promiscuous mode off; QEMU skips the VLAN
# filter in promiscuous mode) while untagged frames pass; VLAN_ADD lets
# that VID through, VLAN_DEL stops it again; VID 4096 is out of range.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
send vlan 100 count 3
send count 3
recv
expect rx 3
expect stat rx.vlan_tagged == 0
ctrl vlan add 100
expect ack ok
send vlan 100 count 3
send vlan 200 count 3
recv
expect rx 3
expect stat rx.vlan_tagged == 3
expect stat rx.q0.vlan == 100
ctrl vlan del 100
expect ack ok
send vlan 100 count 3
recv
expect rx 0
ctrl vlan add 4096
expect ack err
# VID 0 and 4095 are valid VIDs (QEMU accepts both).
ctrl vlan add 4095
expect ack ok
send vlan 4095
recv
expect rx 1
