# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Small rings (data 16 entries, control 4) go round many times, and a stop
# and reconnect lands in the middle of a lap: the vring base the device
# hands back (GET_VRING_BASE; for packed rings with the wrap counters in
# bit 15) resumes every ring where it stopped, and traffic and control
# commands go on. Run in both ring layouts (SCENARIO_LAYOUT).
#@ vdev: queues=2
#@ args: --fe-queue-size 16 --fe-ctrl-queue-size 4
send count 12
recv
expect rx 12
send count 13
recv
expect rx 13
ctrl rx promisc off
expect ack ok
ctrl rx promisc on
expect ack ok
ctrl rx allmulti on
expect ack ok
# 25 frames: data rings are 9 entries into their second lap; the control
# ring has used 3 of 4 entries.
device stop
device reconnect
expect stat fe.reconnects == 1
send count 11
recv
expect rx 11
ctrl rx allmulti off
expect ack ok
ctrl rx promisc off
expect ack ok
ctrl mac table uc 02:00:00:00:00:99
expect ack ok
send dst 02:00:00:00:00:99 count 15
recv
expect rx 15
send dst 02:00:00:00:00:98 count 2
recv
expect rx 0
device stop
device reconnect
expect stat fe.reconnects == 2
send count 14
recv
expect rx 14
ctrl rx promisc on
expect ack ok
expect stat fe.rx_pkts == 65
expect stat rx.bad_payload == 0
expect stat fe.rx_out_of_order == 0
