# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Parse errors, unknown command: the word is named with the list of
# commands, and nothing is sent to the device.
#@ vdev: queues=2
#@ modes: self
try bogus 1 2
expect error unknown command 'bogus'; the commands: show clear ctrl set send recv device migrate port expect try echo sleep help quit
try ctl rx promisc on
expect error unknown command 'ctl'
expect stat ctrl.sent == 0
