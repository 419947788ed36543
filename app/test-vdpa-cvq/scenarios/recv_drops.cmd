# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# recv reports the frames the device dropped since the last recv, and why:
# with 16 receive buffers, some of 64 frames find none (how many depends on
# how far the device got before recv refills the ring); with promiscuous
# mode off, frames to another MAC are dropped by the receive filter. Every
# frame sent is either received or counted as dropped.
#@ vdev: queues=1
#@ args: --fe-queue-size 16
#@ modes: self
send count 64
# The last 16 frames may still sit in the 16-entry TX ring when send
# returns: let the device take them before recv gives buffers back.
sleep 200
recv
expect stat rx.sent == 64
expect stat rx.total >= 16
expect stat rx.drop_no_buffer > 0
expect stat rx.drop_filter == 0
expect stat rx.missing == 0
ctrl rx promisc off
expect ack ok
send count 5 dst 02:00:00:00:00:99
send count 2
recv
expect rx 2
expect stat rx.drop_filter == 5
expect stat rx.drop_no_buffer == 0
expect stat rx.dropped == 5
expect stat rx.missing == 0
