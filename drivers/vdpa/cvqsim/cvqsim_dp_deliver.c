/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Delivery of one frame, below both paths of the datapath: the general
 * path's whole delivery (any chain the ring engine pops: header read and
 * checked, receive filter and steering, as many RX chains as the frame
 * needs, checksum completed, header written; in VF-parent mode, the frame
 * sent on the port), and the pieces the fast path (cvqsim_dp_fast.c), the
 * port's receive side and the burst loop (cvqsim_dp.c) share: the checks,
 * the steering, the RX side from a checked frame on, the per-burst RX
 * counters and stopping the device on a ring violation. Nothing here
 * calls up into the burst loop or the fast path.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "cvqsim_dev.h"
#include "cvqsim_dp_deliver.h"
#include "cvqsim_dp_frame.h"
#include "cvqsim_iov.h"
#include "cvqsim_log_dirty.h"

/*
 * Stop the device after a ring violation (poll_lock held): no queue is
 * touched again until the frontend sets it up anew. The log line and the
 * config-change message are sent by the caller once the lock is released.
 */
void __rte_cold
cvqsim_dp_fail(struct cvqsim_dev *dev, struct cvqsim_vq *vq, const char *reason)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_vq_teardown(&dev->queues[i].vq);
	cvqsim_dev_event(dev, CVQSIM_DEV_FAIL);
	dev->failures++;
	dev->device_status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	snprintf(dev->failure, sizeof(dev->failure), "vring %u: %s", vq->index,
		reason != NULL ? reason : "ring error");
}

/* A device-level violation the ring engine does not see (e.g. framing). */
static void __rte_cold
dp_fail_vq(struct cvqsim_dev *dev, struct cvqsim_vq *vq, const char *reason)
{
	vq->stats.errors++;
	cvqsim_dp_fail(dev, vq, reason);
}

/*
 * Read and check the TX header (cvqsim_dp_tx_check: the fast path checks the
 * header where it lies).
 */
static bool
dp_tx_parse(struct cvqsim_dev *dev, const struct cvqsim_chain *tx,
		uint32_t hdr_len, struct cvqsim_dp_tx_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	if (unlikely(tx->out_len < hdr_len))
		return false;
	cvqsim_iov_to_buf(tx->iov, tx->nr_out, 0, &ti->hdr, hdr_len);
	ti->frame_len = tx->out_len - hdr_len;
	return cvqsim_dp_tx_check(dev, ti);
}

void
cvqsim_dp_tx_drop_malformed(struct cvqsim_dev *dev, uint16_t pair)
{
	dev->queues[2 * pair + 1].vq.stats.drops++;
	dev->dp_stats.tx_malformed++;
	cvqsim_net_count_tx_drop(&dev->net, pair, true);
}

/*
 * Receive filter and steering: the slot of the RX queue that gets the frame
 * whose first bytes are peek, or -1 when it is dropped (counted here; one
 * that reaches no receive queue on *drops), `pair` being the queue pair it
 * came in on (automatic steering). The
 * model decides from the first CVQSIM_DP_PEEK_LEN bytes of the frame (or
 * all of a shorter one): the filter (MAC, VLAN,
 * RX modes), then RSS or automatic steering, which also gives the hash to
 * report. A frame steered to a pair that is not in use is dropped: the
 * device never places frames beyond curr_queue_pairs (virtio 1.4, automatic
 * steering and RSS), nor on a disabled or stopped queue.
 */
int
cvqsim_dp_steer(struct cvqsim_dev *dev, uint16_t pair, const uint8_t *peek,
		uint32_t peek_len, struct cvqsim_net_rx_steer *st, uint64_t *drops)
{
	enum cvqsim_net_rx_verdict v;

	v = cvqsim_net_rx_filter(&dev->net, peek, peek_len);
	cvqsim_net_count_filter(&dev->net, v);
	if (v != CVQSIM_NET_RX_ACCEPT) {
		(*drops)++;
		return -1;
	}
	cvqsim_net_rx_steer(&dev->net, pair, peek, peek_len, st);
	if (unlikely(!cvqsim_dp_rx_active(dev, st->pair))) {
		dev->dp_stats.rx_inactive++;
		cvqsim_net_count_rx_drop(&dev->net, st->pair, false);
		if (st->pair < dev->conf.max_pairs)
			dev->queues[2 * st->pair].vq.stats.drops++;
		else
			(*drops)++;
		return -1;
	}
	return 2 * st->pair;
}

/* A frame the driver sent on `pair`: its drops count on that TX queue. */
int
cvqsim_dp_select_rxq(struct cvqsim_dev *dev, uint16_t pair, const uint8_t *peek,
		uint32_t peek_len, struct cvqsim_net_rx_steer *st)
{
	return cvqsim_dp_steer(dev, pair, peek, peek_len, st,
		&dev->queues[2 * pair + 1].vq.stats.drops);
}

unsigned int
cvqsim_dp_touch_index(struct cvqsim_dp_scratch *s, uint16_t slot)
{
	unsigned int i;

	for (i = 0; i < s->nr_touched_rx; i++)
		if (s->touched_rx[i] == slot)
			return i;
	/* A burst has at most CVQSIM_DP_BURST frames: always room. */
	s->touched_rx[i] = slot;
	s->touched_frames[i] = 0;
	memset(&s->rx_tally[i], 0, sizeof(s->rx_tally[i]));
	s->nr_touched_rx++;
	return i;
}

/*
 * A frame was delivered on RX queue slot in this burst: count it there
 * (published with the burst, dp_burst_count).
 */
static void
dp_touch_rx(struct cvqsim_dp_scratch *s, uint16_t slot,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes, bool csum_bad)
{
	unsigned int i = cvqsim_dp_touch_index(s, slot);

	s->touched_frames[i]++;
	cvqsim_net_tally_rx(&s->rx_tally[i], hdr, bytes, csum_bad);
}

/* Write len bytes at offset off of the frame as copied into the RX chains. */
static void
dp_rx_patch(struct cvqsim_dp_scratch *s, uint16_t popped, uint32_t off,
		const void *buf, uint32_t len)
{
	const uint8_t *p = buf;
	uint16_t j;

	for (j = 0; j < popped && len > 0; j++) {
		uint32_t n;

		if (off >= s->rx_len[j]) {
			off -= s->rx_len[j];
			continue;
		}
		n = RTE_MIN(len, s->rx_len[j] - off);
		cvqsim_buf_to_iov(cvqsim_chain_in_iov(&s->rx[j]), s->rx[j].nr_in,
			off, p, n);
		p += n;
		len -= n;
		off = 0;
	}
}

/*
 * The receive side of the general path: the frame at offset src_start of
 * the iovecs src (checked, ti), accepted and steered to RX queue slot (st),
 * into as many RX chains as it needs, popped here (several with
 * MRG_RXBUF); its header written, its checksum completed when the driver
 * cannot take it partial. No buffer or too little room: the frame is
 * dropped and counted (TX never waits).
 * Returns 0, or -EIO when the RX ring was malformed (device stopped).
 */
int
cvqsim_dp_deliver_from(struct cvqsim_dev *dev, uint32_t hdr_len,
		const struct iovec *src, unsigned int nr_src, uint32_t src_start,
		const struct cvqsim_dp_tx_info *ti,
		const struct cvqsim_net_rx_steer *st, int slot)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct virtio_net_hdr_v1_hash rh;
	bool mrg = cvqsim_dp_has(dev, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int max_chains = mrg ? CVQSIM_DP_MAX_MRG : 1;
	struct cvqsim_vq *rxq = &dev->queues[slot].vq;
	const struct iovec *in;
	uint32_t need, copied = 0, j;
	uint64_t have = 0;
	uint16_t popped = 0;
	bool csum_bad = false;
	int ret;

	need = hdr_len + ti->frame_len;
	while (have < need && popped < max_chains) {
		struct cvqsim_chain *rx = &s->rx[popped];

		ret = cvqsim_vq_pop(rxq, rx);
		if (unlikely(ret < 0)) {
			cvqsim_dp_fail(dev, rxq, rxq->error);
			return -EIO;
		}
		if (ret == 0)
			break;
		popped++;
		if (unlikely(rx->in_len == 0)) {
			dp_fail_vq(dev, rxq, "receive chain without a writable buffer");
			return -EIO;
		}
		have += rx->in_len;
	}
	if (have < need || s->rx[0].in_len < hdr_len) {
		cvqsim_vq_unpop(rxq, popped);
		rxq->stats.drops++;
		dev->dp_stats.rx_overruns++;
		cvqsim_net_count_rx_drop(&dev->net, st->pair, true);
		return 0;
	}

	for (j = 0; j < popped; j++) {
		struct cvqsim_chain *rx = &s->rx[j];
		uint32_t off = j == 0 ? hdr_len : 0;
		uint32_t n = RTE_MIN(rx->in_len - off, ti->frame_len - copied);

		cvqsim_iov_copy(cvqsim_chain_in_iov(rx), rx->nr_in, off,
			src, nr_src, src_start + copied, n);
		copied += n;
		s->rx_len[j] = off + n;
	}
	if (cvqsim_dp_rx_hdr(dev, ti, st, popped, &rh)) {
		/* The field holds the pseudo-header sum: it is part of the sum. */
		uint16_t c = (uint16_t)~cvqsim_iov_cksum(src, nr_src,
			src_start + ti->csum_start, ti->frame_len - ti->csum_start);

		if (c == 0)
			c = 0xffff;	/* as Linux's skb_checksum_help() */
		dp_rx_patch(s, popped, hdr_len + ti->csum_start + ti->csum_offset,
			&c, sizeof(c));
		dev->dp_stats.tx_csum_completed++;
	} else if (!ti->needs_csum && cvqsim_dp_guest_csum(dev)) {
		csum_bad = cvqsim_dp_rx_csum_validate(src, nr_src, src_start,
			ti->frame_len, &rh);
	}
	in = cvqsim_chain_in_iov(&s->rx[0]);
	if (likely(in[0].iov_len >= hdr_len))
		cvqsim_dp_put_rx_hdr(in[0].iov_base, &rh, hdr_len);
	else
		cvqsim_buf_to_iov(in, s->rx[0].nr_in, 0, &rh, hdr_len);
	for (j = 0; j < popped; j++) {
		cvqsim_log_dirty_chain(dev, &s->rx[j], s->rx_len[j],
			CVQSIM_LOG_DIRTY_RX);
		cvqsim_vq_push(rxq, s->rx[j].head, s->rx_len[j]);
	}
	rxq->stats.packets++;
	rxq->stats.bytes += ti->frame_len;
	dp_touch_rx(s, (uint16_t)slot, &rh.hdr, ti->frame_len, csum_bad);
	return 0;
}

/* The frame in s->tx (after its header) to RX queue slot. */
int
cvqsim_dp_deliver_to(struct cvqsim_dev *dev, uint32_t hdr_len,
		const struct cvqsim_dp_tx_info *ti, const struct cvqsim_net_rx_steer *st,
		int slot)
{
	struct cvqsim_chain *tx = &dev->scratch->tx;

	return cvqsim_dp_deliver_from(dev, hdr_len, tx->iov, tx->nr_out, hdr_len, ti,
		st, slot);
}

/*
 * VF-parent mode: the frame leaves through the port, its checksum
 * completed by the device when the driver asked for it (the port is not
 * asked for any offload).
 */
static void
dp_to_port(struct cvqsim_dev *dev, const struct cvqsim_chain *tx,
		uint32_t hdr_len, const struct cvqsim_dp_tx_info *ti)
{
	struct cvqsim_port_csum csum = {
		.needed = ti->needs_csum,
		.start = ti->csum_start,
		.offset = ti->csum_offset,
	};

	if (cvqsim_port_tx_frame(dev, tx->iov, tx->nr_out, hdr_len,
			ti->frame_len, &csum) == 0 && ti->needs_csum)
		dev->dp_stats.tx_csum_completed++;
}

/*
 * The general path: deliver the frame in s->tx (any chain the ring engine
 * pops; in VF-parent mode, send it on the port): filter and steer it, pop
 * as many RX chains as it needs (several with MRG_RXBUF), write the
 * header and copy the frame, completing its checksum when the driver
 * cannot take it partial. A filtered frame, no
 * buffer, too little room, or a queue not in use: the frame is dropped and
 * counted; TX never waits for RX.
 * Returns 0, or -EIO when the RX ring was malformed (device stopped).
 */
int
cvqsim_dp_deliver(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_vq *txq = &dev->queues[2 * pair + 1].vq;
	struct cvqsim_chain *tx = &s->tx;
	struct cvqsim_net_rx_steer st;
	struct cvqsim_dp_tx_info ti;
	uint32_t peek;
	int slot;

	if (unlikely(!dp_tx_parse(dev, tx, hdr_len, &ti))) {
		cvqsim_dp_tx_drop_malformed(dev, pair);
		return 0;
	}
	txq->stats.packets++;
	txq->stats.bytes += ti.frame_len;
	cvqsim_net_tally_tx(&s->tx_tally, &ti.hdr.hdr, ti.frame_len);
	if (dev->port != NULL) {
		dp_to_port(dev, tx, hdr_len, &ti);
		return 0;
	}

	peek = (uint32_t)cvqsim_iov_to_buf(tx->iov, tx->nr_out, hdr_len,
		s->peek, RTE_MIN(ti.frame_len, (uint32_t)sizeof(s->peek)));
	slot = cvqsim_dp_select_rxq(dev, pair, s->peek, peek, &st);
	if (slot < 0)
		return 0;
	return cvqsim_dp_deliver_to(dev, hdr_len, &ti, &st, slot);
}
