# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# VQ_PAIRS_SET: after reset one pair is in use, so a flow sent on pair 1
# is received on pair 0; with N pairs a flow is received on the pair that
# sent it (automatic steering) and never beyond pair N; 0 and more than the
# device's maximum are refused and change nothing.
#@ vdev: queues=4
send queue 1 count 4
recv
expect rx 4 on queue 0
ctrl mq pairs 4
expect ack ok
send queue 1 count 4
send queue 2 count 4
send queue 3 count 4
recv
expect rx 12
expect rx 4 on queue 1
expect rx 4 on queue 2
expect rx 4 on queue 3
ctrl mq pairs 2
expect ack ok
send queue 1 count 4
send queue 3 count 4
recv
expect rx 4 on queue 1
expect rx 4 on queue 0
expect rx 0 on queue 3
ctrl mq pairs 0
expect ack err
ctrl mq pairs 5
expect ack err
# Still two pairs.
send queue 2 count 2
send queue 1 count 2
recv
expect rx 2 on queue 0
expect rx 2 on queue 1
expect stat rx.steer_bad == 0
