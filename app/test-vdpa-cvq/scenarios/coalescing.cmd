# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Notification coalescing: TX_SET/RX_SET apply to every TX/RX queue,
# VQ_SET to one, the last value written wins, VQ_GET reads it back; the
# control queue and queues that do not exist are refused. Traffic still
# flows (coalescing is best effort).
#@ vdev: queues=2
ctrl coal tx usecs 50 pkts 16
expect ack ok
ctrl coal rx usecs 20 pkts 8
expect ack ok
ctrl coal vq 1 get
expect ack ok
expect stat ctrl.max_usecs == 50
expect stat ctrl.max_packets == 16
ctrl coal vq 0 get
expect ack ok
expect stat ctrl.max_usecs == 20
expect stat ctrl.max_packets == 8
ctrl coal vq 2 usecs 7 pkts 3
expect ack ok
ctrl coal vq 2 get
expect ack ok
expect stat ctrl.max_usecs == 7
expect stat ctrl.max_packets == 3
expect stat ctrl.used_len == 9
ctrl coal vq 0 get
expect stat ctrl.max_usecs == 20
# RX_SET again overrides vq 2.
ctrl coal rx usecs 30 pkts 4
expect ack ok
ctrl coal vq 2 get
expect stat ctrl.max_usecs == 30
expect stat ctrl.max_packets == 4
# vq 4 is the control queue of a 2-pair device, vq 100 does not exist.
ctrl coal vq 4 get
expect ack err
ctrl coal vq 100 get
expect ack err
ctrl coal vq 4 usecs 1 pkts 1
expect ack err
send count 32
recv
expect rx 32
