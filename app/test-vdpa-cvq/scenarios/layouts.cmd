# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Descriptor layouts: the same commands give the same acks and results
# whether header, data and ack share descriptors, have one each, take one
# byte per descriptor or go through an indirect table.
#@ vdev: queues=2
#@ args: --fe-ctrl-queue-size 128
set ctrl layout split
ctrl rx promisc off
expect ack ok
ctrl mac table uc 02:00:00:00:00:01 mc 01:00:5e:00:00:01
expect ack ok
ctrl vlan add 5000
expect ack err
ctrl stats get vq 0 types rx_basic
expect ack ok
expect stat ctrl.records == 1
set ctrl layout one
ctrl rx promisc off
expect ack ok
ctrl mac table uc 02:00:00:00:00:01 mc 01:00:5e:00:00:01
expect ack ok
ctrl vlan add 5000
expect ack err
ctrl stats get vq 0 types rx_basic
expect ack ok
expect stat ctrl.records == 1
set ctrl layout bytes
ctrl rx promisc off
expect ack ok
ctrl mac table uc 02:00:00:00:00:01 mc 01:00:5e:00:00:01
expect ack ok
ctrl vlan add 5000
expect ack err
ctrl stats get vq 0 types rx_basic
expect ack ok
expect stat ctrl.records == 1
set ctrl layout indirect
ctrl rx promisc off
expect ack ok
ctrl mac table uc 02:00:00:00:00:01 mc 01:00:5e:00:00:01
expect ack ok
ctrl vlan add 5000
expect ack err
ctrl stats get vq 0 types rx_basic
expect ack ok
expect stat ctrl.records == 1
# The table took effect whatever the layout.
send dst 02:00:00:00:00:01 count 2
recv
expect rx 2
