# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# HASH_TUNNEL_SET: only types among the config's supported_tunnel_types
# (none on this device) may be enabled; 0 is always accepted.
#@ vdev: queues=2
expect state config tunnel_types none
ctrl hash tunnel none
expect ack ok
ctrl hash tunnel vxlan
expect ack err
ctrl hash tunnel 0x200
expect ack err
