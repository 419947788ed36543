# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VF-parent mode over net_null (RSS with a 128-entry RETA, a MAC address
# setter, no promiscuous control, no receive: no-rx=1): RSS and the
# primary MAC are programmed onto the port (path "both" = 3), what the
# port cannot take stays on the device's path ("software" = 1), and the
# driver's frames leave through the port.
#@ vdev: queues=4
#@ port: net_null0,no-rx=1
#@ modes: self
expect stat port.reta_size == 128
ctrl rss types ipv4,tcpv4,udpv4 key default table 0,1,2,3 tablelen 128 pairs 4
expect ack ok
expect stat port.path.mq.rss_config == 3
expect stat port.reta.0 == 0
expect stat port.reta.1 == 1
expect stat port.reta.2 == 2
expect stat port.reta.3 == 3
expect stat port.reta.127 == 3
# A one-entry table: every port RETA entry on queue 3.
ctrl rss types udpv4 key default table 3 pairs 4
expect ack ok
expect stat port.reta.0 == 3
expect stat port.reta.64 == 3
# Two pairs: the port cannot stop its queues (net_null), so VQ_PAIRS_SET is
# the device's, but the port's RSS is spread over the two queues in use.
ctrl mq pairs 2
expect ack ok
expect stat port.path.mq.vq_pairs_set == 1
expect stat port.reta.0 == 0
expect stat port.reta.1 == 1
expect stat port.reta.2 == 0
# net_null has no promiscuous control: software.
ctrl rx promisc off
expect ack ok
expect stat port.path.rx.promisc == 1
# The primary MAC onto the port.
ctrl mac addr 02:00:00:00:00:42
expect ack ok
expect stat port.path.mac.addr_set == 3
expect stat port.mac.02-00-00-00-00-42 == 1
send count 8
send queue 1 count 8
sleep 200
expect stat port.tx_frames == 16
expect stat port.rx_frames == 0
