# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# A memory table that leaves out the guest's control ring while the VMM's
# shadow relays it (extfe only: "memtable nocvq" splits the guest memory
# in two regions around the ring's pages). The shadow cannot translate the
# ring: it says so and relays nothing from it; the vhost library cannot
# either and takes the ring down. A later table that has the ring again
# does not bring it back (DPDK 22.11 translates again only the rings whose
# addresses it still holds): as QEMU's virtio_error(), the queue stays
# broken until the driver sets the device up anew. The data queues, still
# mapped, keep passing frames throughout. The requests made meanwhile are
# never answered and never reach the device (allmulti stays off); after
# the driver starts again from fresh rings (a new device: counters and
# filters as at reset) the shadow relays again.
#@ vdev: queues=2
#@ args: --fe-ctrl-timeout 2000
#@ backend-log: guest control queue 4: not in the new memory table, not relayed
ctrl rx promisc off
expect ack ok
memtable nocvq
send count 2
recv
expect rx 2
try ctrl rx allmulti on
expect error no answer from the device
memtable same
send count 2
recv
expect rx 2
# allmulti never reached the device: promisc is off, a multicast dropped.
send dst 01:00:5e:00:00:01 count 2
recv
expect rx 0
try ctrl rx allmulti on
expect error no answer from the device
# A new device: the model as at reset (promisc on), the shadow relaying.
device reconnect fresh
ctrl rx promisc off
expect ack ok
ctrl rx nouni on
expect ack ok
send count 2
recv
expect rx 0
ctrl rx nouni off
expect ack ok
ctrl stats get vq 4 types cvq
expect ack ok
expect stat ctrl.vq4.command_num == 4
expect stat ctrl.vq4.ok_num == 4
