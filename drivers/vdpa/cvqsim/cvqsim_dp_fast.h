/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DP_FAST_H
#define CVQSIM_DP_FAST_H

/*
 * The datapath's fast path (cvqsim_dp_fast.c): bursts of 1- and
 * 2-descriptor chains, judged by the same checks as the general path
 * (cvqsim_dp_frame.h), anything else handed to it (cvqsim_dp_deliver.h).
 */

#include <stdbool.h>
#include <stdint.h>

#include "cvqsim_dev.h"

/*
 * A new burst of TX queue pair: nothing popped ahead, no fast counters,
 * and what the model says of all its frames (cvqsim_net_rx_plain).
 */
void cvqsim_dp_fast_begin(struct cvqsim_dev *dev, uint16_t pair);
/*
 * The k small TX chains of s->txb (popped by cvqsim_vq_pop_burst), their
 * heads stored at s->tx_heads[at] on. Returns the chains taken: all, or
 * up to the one whose RX ring was malformed (device stopped; the chains
 * after it are given back).
 */
unsigned int cvqsim_dp_fast_tx(struct cvqsim_dev *dev, uint16_t pair,
		uint32_t hdr_len, unsigned int at, unsigned int k);
/*
 * Write the used entries owed to the RX queue the fast path popped ahead
 * from and give back the chains it did not use: before the general path
 * touches an RX queue, and at the end of a burst.
 */
void cvqsim_dp_fast_flush(struct cvqsim_dev *dev);

/*
 * Whether the datapath takes small chains on its fast path (default); with
 * false every chain goes through the general path. For the tools that
 * compare the two: fuzz_dp (same guest memory and counters either way),
 * dp_bench (instructions of each).
 */
extern bool cvqsim_dp_fast_path;

#endif /* CVQSIM_DP_FAST_H */
