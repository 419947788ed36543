# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Argument errors of the commands that parse their own arguments (send,
# recv, sleep, ctrl rss, expect stat ...): the value at fault, its range,
# then the usage, as for the fixed grammars.
#@ vdev: queues=2
#@ modes: self
try send count 99999999
expect error send: count takes a number 0..1000000; usage: send [queue Q] [count N]
try send queue 7
expect error send: queue 7: Q is 0..1 (the frontend uses 2 queue pairs); usage: send [queue Q]
try recv timeout 700000
expect error recv: timeout MS is 0..600000; usage: recv [timeout MS]
try sleep 70000
expect error sleep: MS is 0..60000; usage: sleep MS
try ctrl rss table 1,x
expect error bad table entry 'x' (at most 128 entries of 0..32767); usage: ctrl rss [types LIST]
try ctrl raw 300 0
expect error ctrl raw: CLASS and CMD are numbers 0..255; usage: ctrl raw CLASS CMD [HEXDATA] [result BYTES]
try expect stat rx.total ~ 1
expect error expect stat: a NAME, an operator among ==|!=|<|<=|>|>= and a VALUE 0..2^64-1; usage: expect stat NAME
expect stat ctrl.sent == 0
