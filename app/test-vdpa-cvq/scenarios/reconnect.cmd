# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Stop and reconnect: frames the device delivered before the stop are
# still in the receive rings after the reconnect (the rings resume at the
# indices GET_VRING_BASE returned), traffic and the control queue work on
# the new connection, nothing is lost or damaged.
#@ vdev: queues=2
send count 8
recv
expect rx 8
# Delivered, not yet taken by the frontend.
send count 8
sleep 100
device stop
device reconnect
expect stat fe.reconnects == 1
recv
expect rx 8
send count 8
recv
expect rx 8
ctrl rx promisc off
expect ack ok
send dst 02:00:00:00:00:99 count 2
recv
expect rx 0
expect stat fe.rx_pkts == 24
expect stat rx.bad_payload == 0
expect stat fe.rx_out_of_order == 0
