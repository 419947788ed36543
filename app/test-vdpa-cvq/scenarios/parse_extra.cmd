# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Parse errors, extra words and malformed values: the word at fault and
# the usage.
#@ vdev: queues=2
#@ modes: self
try show state extra
expect error show state extra: unexpected 'extra' at the end; usage: show device|groups|config|state|stats|features
try ctrl announce ack now
expect error unexpected 'now' at the end; usage: ctrl announce ack
try ctrl mac addr 02:00:00:00:00
expect error '02:00:00:00:00' is not a MAC address (XX:XX:XX:XX:XX:XX); usage: ctrl mac addr XX:XX:XX:XX:XX:XX
try try echo nested
expect error COMMAND cannot be another try
expect stat ctrl.sent == 0
