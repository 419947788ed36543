# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# RX_PROMISC: on after reset (QEMU's default), so a frame to another MAC
# is received; off, only frames to the primary MAC get through; on again,
# everything is received.
#@ vdev: queues=2
send dst 02:00:00:00:00:99 count 4
recv
expect rx 4
ctrl rx promisc off
expect ack ok
send dst 02:00:00:00:00:99 count 4
recv
expect rx 0
# To the primary MAC (send's default destination).
send count 4
recv
expect rx 4 on queue 0
ctrl rx promisc on
expect ack ok
send dst 02:00:00:00:00:99 count 4
recv
expect rx 4
expect stat rx.bad_payload == 0
expect stat rx.steer_bad == 0
