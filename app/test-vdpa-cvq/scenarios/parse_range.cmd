# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Parse errors, numbers: out of the field's range, or not a number; the
# argument, the range and the usage are named. The largest value passes.
#@ vdev: queues=2
#@ modes: self
try ctrl vlan add 70000
expect error ctrl vlan add 70000: VID 70000 is out of range 0..65535; usage: ctrl vlan add|del VID
try ctrl mq pairs two
expect error ctrl mq pairs two: N 'two' is not a number (0..65535); usage: ctrl mq pairs N
try ctrl vlan add 7x
expect error VID '7x' is not a number (0..65535)
try ctrl mq pairs two
expect error ctrl mq pairs two: N 'two' is not a number (0..65535); usage: ctrl mq pairs N
try ctrl coal vq 1 usecs 5000000000 pkts 1
expect error U 5000000000 is out of range 0..4294967295
try expect rx -1
expect error COUNT '-1' is not a number (0..4294967295)
expect stat ctrl.sent == 0
ctrl vlan add 65535
expect ack err
