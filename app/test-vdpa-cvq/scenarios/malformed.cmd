# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Malformed commands (raw bytes): unknown class or command, a byte missing
# or too many, are refused with ERR; the device keeps serving.
#@ vdev: queues=2
ctrl raw 99 0
expect ack err
ctrl raw 0 9 01
expect ack err
ctrl raw 0 0
expect ack err
ctrl raw 0 0 0100
expect ack err
ctrl raw 4 0 01
expect ack err
ctrl raw 1 1 0211223344
expect ack err
ctrl raw 2 0 640000
expect ack err
# The well-formed PROMISC off.
ctrl raw 0 0 00
expect ack ok
expect stat ctrl.used_len == 1
send dst 02:00:00:00:00:99 count 2
send count 2
recv
expect rx 2
