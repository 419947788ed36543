# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Announce: the device raises VIRTIO_NET_S_ANNOUNCE in the config status;
# ANNOUNCE_ACK clears it; an ACK with nothing to acknowledge is refused
# (QEMU). The device side needs the device in this process.
#@ vdev: queues=2
#@ modes: self
expect state config announce off
ctrl announce ack
expect ack err
device announce
expect state config announce on
ctrl announce ack
expect ack ok
expect state config announce off
ctrl announce ack
expect ack err
