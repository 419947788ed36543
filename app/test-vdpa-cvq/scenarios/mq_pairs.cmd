# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VQ_PAIRS_SET: after reset one pair is in use; with N pairs a flow is
# received on the pair that sent it (automatic steering) and never beyond
# pair N; 0 and more than the device's maximum are refused and change
# nothing. The device takes frames only from the transmit queues of pairs
# in use (a driver must not use the others, virtio 1.4 "Automatic receive
# steering in multiqueue mode"): frames queued on another pair wait in its
# ring until the pair is in use.
#@ vdev: queues=4
send queue 1 count 4
recv timeout 300
expect rx 0
expect stat fe.q1.tx_done == 0
ctrl mq pairs 4
expect ack ok
# Pair 1 in use: its 4 waiting frames, then 4 more, all received on pair 1.
send queue 1 count 4
send queue 2 count 4
send queue 3 count 4
recv
expect rx 16
expect rx 8 on queue 1
expect rx 4 on queue 2
expect rx 4 on queue 3
expect stat fe.q1.tx_done == 8
ctrl mq pairs 2
expect ack ok
send queue 1 count 4
send queue 3 count 4
recv timeout 300
expect rx 4 on queue 1
expect rx 0 on queue 0
expect rx 0 on queue 3
expect stat fe.q3.tx_done == 4
ctrl mq pairs 0
expect ack err
ctrl mq pairs 5
expect ack err
# Still two pairs.
expect state pairs 2
send queue 0 count 2
send queue 1 count 2
recv timeout 300
expect rx 2 on queue 0
expect rx 2 on queue 1
# Four pairs again: the frames held on pair 3 are received there.
ctrl mq pairs 4
expect ack ok
recv
expect rx 4 on queue 3
expect stat fe.q3.tx_done == 8
expect stat rx.steer_bad == 0
