# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Feature gating: with CTRL_VLAN and RSS refused by the frontend, VLAN and
# RSS commands are refused by the device and change nothing: every VLAN
# passes (no VLAN filter without CTRL_VLAN) and steering stays automatic.
#@ vdev: queues=4
#@ args: --fe-features-off CTRL_VLAN,RSS
ctrl vlan add 100
expect ack err
ctrl rss types ipv4 key default table 3 pairs 4
expect ack err
ctrl rx promisc off
expect ack ok
send vlan 100 count 2
send vlan 3000 count 2
recv
expect rx 4
ctrl mq pairs 2
expect ack ok
send queue 1 count 2
recv
expect rx 2 on queue 1
