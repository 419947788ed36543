# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Parse errors, a missing argument: what is missing and the usage.
#@ vdev: queues=2
#@ modes: self
try ctrl rx promisc
expect error ctrl rx promisc: missing on|off; usage: ctrl rx promisc|allmulti|alluni|nomulti|nouni|nobcast on|off
try ctrl vlan add
expect error ctrl vlan add: missing VID; usage: ctrl vlan add|del VID
try ctrl coal tx usecs 10
expect error missing pkts; usage: ctrl coal tx|rx usecs U pkts P
try expect
expect error expect: missing
expect stat ctrl.sent == 0
