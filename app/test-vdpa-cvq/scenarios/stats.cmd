# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Device statistics: STATS_QUERY names the types the negotiated features
# allow (RX_BASIC, TX_BASIC, CVQ here); STATS_GET returns one record per
# queue and type with the device's counters; an invalid request fails as a
# whole; a reply is cut at the end of the driver's buffer.
#@ vdev: queues=2
ctrl stats query
expect ack ok
expect stat ctrl.supported_stats_types == 0x100010001
expect stat ctrl.used_len == 9
send count 10
recv
expect rx 10
ctrl stats get vq 0 types rx_basic vq 1 types tx_basic vq 4 types cvq
expect ack ok
expect stat ctrl.records == 3
expect stat ctrl.used_len == 137
expect stat ctrl.vq0.rx_packets == 10
expect stat ctrl.vq0.rx_bytes == 1060
expect stat ctrl.vq1.tx_packets == 10
expect stat ctrl.vq1.tx_bytes == 1060
# Both counters include the current command: QUERY, then this GET.
expect stat ctrl.vq4.command_num == 2
expect stat ctrl.vq4.ok_num == 2
ctrl stats get all
expect ack ok
expect stat ctrl.records == 3
# A TX type on an RX queue, a type not negotiated, a queue out of range.
ctrl stats get vq 0 types tx_basic
expect ack err
ctrl stats get vq 0 types rx_csum
expect ack err
ctrl stats get vq 9 types rx_basic
expect ack err
ctrl stats get vq 0 types rx_basic vq 1 types tx_basic buf 60
expect ack ok
expect stat ctrl.records == 1
expect stat ctrl.used_len == 61
