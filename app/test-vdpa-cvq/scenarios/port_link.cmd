# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VF-parent mode: the port's link is the device's LINK_UP (config space
# status), signalled to the driver as a config change; frames still flow
# when it comes back.
#@ vdev: queues=1
#@ port: net_ring0
#@ modes: self
expect state config link on
expect stat port.link_changes == 0
port link down
sleep 300
expect stat port.link_up == 0
expect state config link off
expect stat port.link_changes == 1
port link up
sleep 300
expect state config link on
expect stat port.link_changes == 2
send count 4
recv
expect rx 4
