# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Feature gating: with only CTRL_VQ negotiated every command is refused
# and nothing changes: the device stays promiscuous.
#@ vdev: queues=2
#@ args: --fe-features-off CTRL_RX,CTRL_VLAN,CTRL_RX_EXTRA,GUEST_ANNOUNCE,MQ,CTRL_MAC_ADDR,CTRL_GUEST_OFFLOADS,NOTF_COAL,VQ_NOTF_COAL,DEVICE_STATS,HASH_TUNNEL,RSS,HASH_REPORT
ctrl rx promisc off
expect ack err
ctrl rx allmulti on
expect ack err
ctrl rx nobcast on
expect ack err
ctrl mac table uc 02:00:00:00:00:01
expect ack err
ctrl mac addr 02:11:22:33:44:55
expect ack err
ctrl vlan add 1
expect ack err
ctrl announce ack
expect ack err
ctrl mq pairs 1
expect ack err
ctrl rss
expect ack err
ctrl hash types ipv4 key default
expect ack err
ctrl offloads none
expect ack err
ctrl coal tx usecs 1 pkts 1
expect ack err
ctrl coal vq 0 get
expect ack err
ctrl hash tunnel none
expect ack err
ctrl stats query
expect ack err
expect stat ctrl.ok == 0
send dst 02:00:00:00:00:99 count 2
send bcast count 2
recv
expect rx 4
