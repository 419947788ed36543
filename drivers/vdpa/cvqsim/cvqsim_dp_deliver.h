/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DP_DELIVER_H
#define CVQSIM_DP_DELIVER_H

/*
 * The general path of the datapath and the delivery pieces the fast path
 * uses too (cvqsim_dp_deliver.c). Calls go one way: cvqsim_dp.c (the burst
 * loop) calls the fast path (cvqsim_dp_fast.h) and this file; the fast path
 * calls this file; this file calls neither.
 */

#include <stdint.h>
#include <sys/uio.h>

#include <rte_common.h>

#include "cvqsim_dev.h"
#include "cvqsim_dp_frame.h"
#include "cvqsim_dp_scratch.h"

/* Stop the device after a ring violation (poll_lock held). */
void __rte_cold cvqsim_dp_fail(struct cvqsim_dev *dev, struct cvqsim_vq *vq,
		const char *reason);
/* A TX frame with a bad header or checksum request: dropped, counted. */
void cvqsim_dp_tx_drop_malformed(struct cvqsim_dev *dev, uint16_t pair);
/*
 * Receive filter and steering of a frame sent by pair whose first bytes
 * are peek (CVQSIM_DP_PEEK_LEN, or all of a shorter frame): the slot of
 * the RX queue it goes to, or -1 when it is dropped (counted).
 */
int cvqsim_dp_select_rxq(struct cvqsim_dev *dev, uint16_t pair,
		const uint8_t *peek, uint32_t peek_len,
		struct cvqsim_net_rx_steer *st);
/* The same, a frame's drops counted on *drops (the port's receive side). */
int cvqsim_dp_steer(struct cvqsim_dev *dev, uint16_t pair, const uint8_t *peek,
		uint32_t peek_len, struct cvqsim_net_rx_steer *st, uint64_t *drops);
/* The touched_rx entry of RX queue slot in this burst, added if new. */
unsigned int cvqsim_dp_touch_index(struct cvqsim_dp_scratch *s, uint16_t slot);
/*
 * The general path of the frame in s->tx, whole (dp_deliver) or from the
 * RX side on (dp_deliver_to: checked as ti, accepted and steered to slot
 * as st). Return 0, or -EIO when an RX ring was malformed.
 */
int cvqsim_dp_deliver(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len);
int cvqsim_dp_deliver_to(struct cvqsim_dev *dev, uint32_t hdr_len,
		const struct cvqsim_dp_tx_info *ti, const struct cvqsim_net_rx_steer *st,
		int slot);
/*
 * The RX side of the general path for a frame at offset src_start of the
 * iovecs src (checked as ti, steered to slot as st): what dp_deliver_to
 * does for s->tx, and the port's receive side for a port frame.
 */
int cvqsim_dp_deliver_from(struct cvqsim_dev *dev, uint32_t hdr_len,
		const struct iovec *src, unsigned int nr_src, uint32_t src_start,
		const struct cvqsim_dp_tx_info *ti,
		const struct cvqsim_net_rx_steer *st, int slot);

#endif /* CVQSIM_DP_DELIVER_H */
