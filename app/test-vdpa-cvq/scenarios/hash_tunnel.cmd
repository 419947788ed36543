# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# HASH_TUNNEL_SET: only types among the config's supported_tunnel_types
# (the nine encapsulations the device hashes inside) may be enabled; 0 is
# always accepted and turns inner hashing off. (The effect on traffic is
# checked by test/datapath_check.c with VXLAN frames.)
#@ vdev: queues=2
expect state config tunnel_types 0x1ff
expect state tunnel_types none
ctrl hash tunnel vxlan
expect ack ok
expect state tunnel_types vxlan
ctrl hash tunnel gre_2784,geneve,ipip,nvgre
expect ack ok
expect state tunnel_types gre_2784,geneve,ipip,nvgre
# Bit 9 is no tunnel type.
ctrl hash tunnel 0x200
expect ack err
expect state tunnel_types gre_2784,geneve,ipip,nvgre
ctrl hash tunnel none
expect ack ok
expect state tunnel_types none
