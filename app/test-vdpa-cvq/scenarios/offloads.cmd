# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# GUEST_OFFLOADS_SET: only negotiated receive offloads may be enabled.
# This frontend negotiates none (no GUEST_CSUM/TSO), so 0 is accepted and
# any offload bit, or a bit that is not a receive offload, is refused.
#@ vdev: queues=2
ctrl offloads none
expect ack ok
ctrl offloads guest_csum
expect ack err
ctrl offloads guest_tso4,guest_tso6
expect ack err
# Bit 0 is CSUM, a transmit feature, not a receive offload.
ctrl offloads 0x1
expect ack err
send count 4
recv
expect rx 4
