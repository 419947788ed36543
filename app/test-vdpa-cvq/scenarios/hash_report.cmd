# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# HASH_CONFIG (HASH_REPORT without RSS): no hash is reported after reset;
# once hash types are set every frame carries the hash of its headers and
# its type (checked against our own Toeplitz), with no change of queue;
# types 0 without a key turns it off again; RSS_CONFIG is refused.
#@ vdev: queues=2
#@ args: --fe-features-off RSS
send count 8 sport-range 8
recv
expect rx 8
expect stat rx.hash_none == 8
expect stat rx.hash_ok == 8
ctrl hash types ipv4,udpv4 key default
expect ack ok
clear stats
send count 8 sport-range 8
recv
expect rx 8 on queue 0
expect stat rx.hash_ok == 8
expect stat rx.hash_bad == 0
expect stat fe.rx_hash_reported == 8
expect stat rx.q0.hash_report == 3
# A key is needed when a type is enabled.
ctrl hash types ipv4 key none
expect ack err
ctrl hash types none key none
expect ack ok
clear stats
send count 4
recv
expect stat rx.hash_none == 4
expect stat rx.hash_ok == 4
ctrl rss
expect ack err
