# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Feature gating within a class: without CTRL_RX_EXTRA, PROMISC and
# ALLMULTI (CTRL_RX) work while ALLUNI, NOMULTI, NOUNI and NOBCAST are
# refused: broadcast still passes after a refused NOBCAST.
#@ vdev: queues=2
#@ args: --fe-features-off CTRL_RX_EXTRA
ctrl rx promisc off
expect ack ok
ctrl rx allmulti on
expect ack ok
ctrl rx alluni on
expect ack err
ctrl rx nomulti on
expect ack err
ctrl rx nouni on
expect ack err
ctrl rx nobcast on
expect ack err
send bcast count 2
send count 2
send dst 02:00:00:00:00:99 count 2
recv
expect rx 4
