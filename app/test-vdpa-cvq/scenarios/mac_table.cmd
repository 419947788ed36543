# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# MAC_TABLE_SET: with promiscuous mode off, a unicast address in the table
# is accepted besides the primary MAC; a new table replaces the old one; an
# empty table leaves only the primary MAC.
#@ vdev: queues=2
ctrl rx promisc off
expect ack ok
send dst 02:00:00:00:aa:01 count 2
recv
expect rx 0
ctrl mac table uc 02:00:00:00:aa:01,02:00:00:00:aa:02 mc -
expect ack ok
send dst 02:00:00:00:aa:01 count 2
send dst 02:00:00:00:aa:02 count 2
send dst 02:00:00:00:aa:03 count 2
recv
expect rx 4
# Replace: only aa:03 now.
ctrl mac table uc 02:00:00:00:aa:03
expect ack ok
send dst 02:00:00:00:aa:01 count 2
send dst 02:00:00:00:aa:03 count 2
recv
expect rx 2
# Empty lists are allowed.
ctrl mac table
expect ack ok
send dst 02:00:00:00:aa:03 count 2
send count 2
recv
expect rx 2
