# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Parse errors, a word that is not among the command's choices: the word,
# the choices and the usage.
#@ vdev: queues=2
#@ modes: self
try expect ack maybe
expect error expect ack maybe: 'maybe' is not one of ok|err; usage: expect ack ok|err
try help bogus
expect error help bogus: 'bogus' is not one of all|show|ctrl|traffic|device|expect; usage: help all|show|ctrl|traffic|device|expect
try ctrl rx promiscuous on
expect error 'promiscuous' is not one of promisc|allmulti|alluni|nomulti|nouni|nobcast; usage: ctrl rx
try ctrl mac bogus
expect error 'bogus' is not one of addr|table; usage: ctrl mac addr XX:XX:XX:XX:XX:XX | ctrl mac table
expect stat ctrl.sent == 0
