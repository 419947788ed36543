# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VF-parent mode over net_ring (a loopback port: what the device sends on
# ring N comes back on ring N): the receive filter is programmed onto the
# port where it can hold it and always enforced by the device, and each
# command's path is reported. net_ring has one MAC slot, no default MAC
# setter, no multicast list: it must stay promiscuous and all-multicast
# for the driver's filters, which the device's software filter enforces.
#@ vdev: queues=2
#@ port: net_ring0
#@ modes: self
expect stat port.link_up == 1
expect stat port.rx_queues_started == 2
# Promiscuous off: the port cannot hold the primary MAC, so it stays
# promiscuous (software path), and the device drops foreign unicast.
ctrl rx promisc off
expect ack ok
expect stat port.promisc == 1
expect stat port.path.rx.promisc == 1
send dst 02:00:00:00:00:99 count 4
recv
expect rx 0
expect stat port.tx_frames == 4
expect stat port.rx_frames == 4
expect stat port.rx_dropped == 4
send count 4
recv
expect rx 4
# One unicast entry fits the port's MAC slot; the multicast list does not
# (net_ring has none): all-multicast on the port, software path.
ctrl mac table uc 02:00:00:00:00:11 mc 01:00:5e:00:00:01
expect ack ok
expect stat port.mac.02-00-00-00-00-11 == 1
expect stat port.macs == 1
expect stat port.allmulti == 1
expect stat port.path.mac.table_set == 1
send dst 02:00:00:00:00:11 count 4
send dst 01:00:5e:00:00:01 count 4
send dst 01:00:5e:00:00:02 count 4
recv
expect rx 8
# A second table: net_ring's one slot is ethdev's default-address slot,
# which cannot be removed, so 22 does not fit. The port stays promiscuous
# (a superset) and the device alone decides: 11 is dropped, 22 accepted.
ctrl mac table uc 02:00:00:00:00:22 mc -
expect ack ok
expect stat port.mac.02-00-00-00-00-22 == 0
expect stat port.promisc == 1
expect stat port.path.mac.table_set == 1
send dst 02:00:00:00:00:11 count 4
send dst 02:00:00:00:00:22 count 4
recv
expect rx 4
# Commands ethdev has no filter for: the device's path only.
ctrl rx nobcast on
expect ack ok
expect stat port.path.rx.nobcast == 1
send bcast count 4
recv
expect rx 0
# VLAN: net_ring has no VLAN filter offload, so the port keeps passing
# every tag and the device's table decides (software path).
ctrl vlan add 5
expect ack ok
expect stat port.vlan_filter == 0
expect stat port.path.vlan.add == 1
send vlan 5 count 4
send vlan 6 count 4
recv
expect rx 4
# Frames on pair 1 leave on port queue 1 and come back there.
ctrl mq pairs 2
expect ack ok
send queue 1 count 8 sport-range 8
recv
expect rx 8 on queue 1
expect stat port.tx_dropped == 0
expect stat rx.bad_payload == 0
