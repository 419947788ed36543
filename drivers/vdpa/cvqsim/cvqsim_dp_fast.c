/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The fast path. A TX chain of one or two buffers whose first holds the
 * whole header, into one RX chain of one or two writable buffers whose
 * first holds the header and which holds the frame: the common case of
 * every driver (testpmd sends one descriptor, a header-apart driver two).
 * The ring engine pops both kinds in bursts (cvqsim_vq_pop_burst), RX
 * chains ahead for one RX queue at a time; their used entries are written
 * together. The frame is judged by the same functions as on the general
 * path (cvqsim_dp_tx_check, dp_select_rxq, cvqsim_dp_rx_hdr) and anything else goes
 * there: a frame whose checksum the device must complete, one that needs
 * several RX chains or meets an RX chain that is not a small one. Before
 * the general path touches an RX queue, the chains popped ahead are given
 * back and the used entries owed are written (dp_rxb_flush), so both paths
 * see one ring in one order. Within the fast path, a frame of a burst the
 * model judges alike that asks for nothing (testpmd's frames) takes the
 * shortest way, dp_deliver_plain; dp_deliver_fast judges the others.
 */

#include <stdio.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_prefetch.h>

#include "cvqsim_dev.h"
#include "cvqsim_dp_deliver.h"
#include "cvqsim_dp_fast.h"
#include "cvqsim_dp_frame.h"
#include "cvqsim_iov.h"

bool cvqsim_dp_fast_path = true;

void
cvqsim_dp_fast_flush(struct cvqsim_dev *dev)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_net_tally *t;
	struct cvqsim_vq *rxq;
	unsigned int i;

	if (s->rxb_slot == CVQSIM_DP_NO_SLOT)
		return;
	rxq = &dev->queues[s->rxb_slot].vq;
	if (s->nr_rx_used > 0) {
		cvqsim_vq_push_burst(rxq, s->rx_heads, s->rx_lens, s->nr_rx_used);
		/* The counters of these frames, at once. */
		i = cvqsim_dp_touch_index(s, s->rxb_slot);
		s->touched_frames[i] += s->nr_rx_used;
		t = &s->rx_tally[i];
		t->packets += s->nr_rx_used;
		t->bytes += s->rx_bytes;
		t->needs_csum += s->rx_needs_csum;
		t->csum_none += s->nr_rx_used - s->rx_needs_csum;
		/* Validated (GUEST_CSUM): not among the unchecked. */
		if (unlikely((s->rx_csum_valid | s->rx_csum_bad) != 0)) {
			t->csum_valid += s->rx_csum_valid;
			t->csum_bad += s->rx_csum_bad;
			t->csum_none -= s->rx_csum_valid + s->rx_csum_bad;
			s->rx_csum_valid = 0;
			s->rx_csum_bad = 0;
		}
		rxq->stats.packets += s->nr_rx_used;
		rxq->stats.bytes += s->rx_bytes;
	}
	cvqsim_vq_unpop(rxq, (uint16_t)(s->rxb_nr - s->rxb_next));
	s->nr_rx_used = 0;
	s->rx_bytes = 0;
	s->rx_needs_csum = 0;
	s->rxb_next = 0;
	s->rxb_nr = 0;
	s->rxb_slot = CVQSIM_DP_NO_SLOT;
}

/*
 * The next small RX chain of queue slot, popping up to want ahead: NULL
 * when there is none (empty, or the next chain is the general path's), or
 * with *err = -EIO when the RX ring is malformed (device stopped).
 */
static inline struct cvqsim_small_chain *
dp_rxb_take(struct cvqsim_dev *dev, uint16_t slot, unsigned int want, int *err)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	int ret;

	if (s->rxb_slot != slot) {
		cvqsim_dp_fast_flush(dev);
		s->rxb_slot = slot;
	}
	if (s->rxb_next == s->rxb_nr) {
		s->rxb_next = 0;
		s->rxb_nr = 0;
		ret = cvqsim_vq_pop_burst(&dev->queues[slot].vq, s->rxb, want);
		if (unlikely(ret < 0)) {
			cvqsim_dp_fast_flush(dev);
			cvqsim_dp_fail(dev, &dev->queues[slot].vq, dev->queues[slot].vq.error);
			*err = -EIO;
			return NULL;
		}
		if (ret == 0)
			return NULL;
		s->rxb_nr = (uint16_t)ret;
	}
	return &s->rxb[s->rxb_next++];
}

/* A virtio-net header: the usual 12 bytes as one fixed-size copy. */
static inline void
dp_copy_hdr(void *dst, const void *src, uint32_t hdr_len)
{
	if (likely(hdr_len == sizeof(struct virtio_net_hdr_mrg_rxbuf)))
		memcpy(dst, src, sizeof(struct virtio_net_hdr_mrg_rxbuf));
	else
		memcpy(dst, src, hdr_len);
}

/* A small chain as the general path takes it, in s->tx. */
static void
dp_small_to_chain(const struct cvqsim_small_chain *sc, struct cvqsim_chain *c)
{
	c->head = sc->head;
	c->nr_out = sc->nr_out;
	c->nr_in = sc->nr_in;
	c->out_len = sc->out_len;
	c->in_len = sc->in_len;
	memcpy(c->iov, sc->iov, sizeof(sc->iov[0]) * (sc->nr_out + sc->nr_in));
}

/* A TX chain the fast path does not take, through the general path. */
static int
dp_deliver_general(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len,
		const struct cvqsim_small_chain *tx)
{
	cvqsim_dp_fast_flush(dev);
	dp_small_to_chain(tx, &dev->scratch->tx);
	return cvqsim_dp_deliver(dev, pair, hdr_len);
}

/*
 * The frame is in the RX chain rx (counted when its used entry is written;
 * needs_csum: delivered with NEEDS_CSUM, which the fast path does only with
 * GUEST_CSUM; the validated ones are counted where they are validated).
 */
static inline void
dp_rx_fast_done(struct cvqsim_dp_scratch *s,
		const struct cvqsim_small_chain *rx, uint32_t used_len,
		uint32_t frame_len, bool needs_csum)
{
	s->rx_heads[s->nr_rx_used] = rx->head;
	s->rx_lens[s->nr_rx_used] = used_len;
	s->nr_rx_used++;
	s->rx_bytes += frame_len;
	s->rx_needs_csum += needs_csum;
}

/*
 * The commonest frame of a burst the model judges alike (s->plain_hdr12):
 * one readable descriptor (or the header's and the frame's), the 12-byte
 * header asking for nothing (flags and gso_type 0), a frame neither a runt
 * nor over the MTU, and an RX chain
 * popped ahead for the burst's queue whose first writable buffer holds
 * header and frame. Every check of dp_deliver_fast() has a known answer
 * for such a frame (the header is read once here, as there), so only the
 * copy and the bookkeeping are left. False, with nothing done, for any
 * other frame: dp_deliver_fast() takes it.
 */
static inline bool
dp_deliver_plain(struct cvqsim_dp_scratch *s, const struct cvqsim_small_chain *tx)
{
	const uint32_t hdr_len = sizeof(struct virtio_net_hdr_mrg_rxbuf);
	const uint16_t *hdr = tx->iov[0].iov_base;
	const uint8_t *frame = (const uint8_t *)tx->iov[0].iov_base + hdr_len;
	uint32_t frame_len = (uint32_t)tx->iov[0].iov_len - hdr_len;
	struct cvqsim_small_chain *rx;
	uint8_t *dst;

	/* The header and the frame in one buffer, or the header apart. */
	if (unlikely(tx->nr_out != 1)) {
		if (tx->nr_out != 2 || frame_len != 0)
			return false;
		frame = tx->iov[1].iov_base;
		frame_len = (uint32_t)tx->iov[1].iov_len;
	}
	/*
	 * No runt, not over the MTU; a buffer shorter than the header wraps
	 * frame_len above the span too.
	 */
	if (frame_len - CVQSIM_NET_RX_NO_RUNT > s->plain_frame_span ||
			s->rxb_slot != (uint16_t)s->plain_slot || s->rxb_next == s->rxb_nr)
		return false;
	/* flags and gso_type, the header's first two bytes, read once. */
	if (*(const volatile uint16_t *)hdr != 0)
		return false;
	rx = &s->rxb[s->rxb_next];
	if (rx->nr_out != 0 || rx->iov[0].iov_len < hdr_len + frame_len)
		return false;
	s->rxb_next++;
	rte_prefetch0(rx[1].iov[0].iov_base);	/* rxb has a spare entry */
	/* The bookkeeping first: less is live across the copy's call. */
	s->fast_plain++;	/* a TX frame, and an accepted one */
	s->fast_tx_bytes += frame_len;
	dp_rx_fast_done(s, rx, hdr_len + frame_len, frame_len, false);
	/* Frame first, header last, as the general path (buffers may overlap). */
	dst = rx->iov[0].iov_base;
	memmove(dst + hdr_len, frame, frame_len);
	cvqsim_dp_put_rx_hdr12(dst, &s->rx_hdr_plain);
	return true;
}

/*
 * One frame on the fast path (tx popped by the burst, left: frames of the
 * burst from this one on). Returns 0, or -EIO when an RX ring was
 * malformed (device stopped).
 */
static __rte_noinline int
dp_deliver_fast(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len,
		const struct cvqsim_small_chain *tx, unsigned int left)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_small_chain *rx;
	struct cvqsim_net_rx_steer st;
	struct virtio_net_hdr_v1_hash rh;
	const struct virtio_net_hdr_v1_hash *hdr = &rh;
	struct cvqsim_dp_tx_info ti;
	const uint8_t *frame, *peek;
	uint32_t seg, peek_len;
	uint8_t *dst;
	int slot, err = 0;

	if (unlikely(tx->nr_out == 0 || tx->iov[0].iov_len < hdr_len))
		return dp_deliver_general(dev, pair, hdr_len, tx);
	memset(&ti, 0, sizeof(ti));
	dp_copy_hdr(&ti.hdr, tx->iov[0].iov_base, hdr_len);
	ti.frame_len = tx->out_len - hdr_len;
	if (unlikely(!cvqsim_dp_tx_check(dev, &ti))) {
		cvqsim_dp_tx_drop_malformed(dev, pair);
		return 0;
	}
	/*
	 * A checksum to complete is the general path's work: a NEEDS_CSUM
	 * frame to a driver without GUEST_CSUM. With it the partial checksum
	 * is passed on (cvqsim_dp_rx_hdr).
	 */
	if (unlikely(ti.needs_csum && !s->guest_csum))
		return dp_deliver_general(dev, pair, hdr_len, tx);
	s->fast_tx_packets++;
	s->fast_tx_needs_csum += ti.needs_csum;
	s->fast_tx_bytes += ti.frame_len;

	frame = (const uint8_t *)tx->iov[0].iov_base + hdr_len;
	seg = (uint32_t)tx->iov[0].iov_len - hdr_len;
	if (seg == 0 && tx->nr_out > 1) {
		frame = tx->iov[1].iov_base;
		seg = (uint32_t)tx->iov[1].iov_len;
	}
	if (likely(s->plain_slot >= 0 && seg >= CVQSIM_NET_RX_NO_RUNT)) {
		/*
		 * What the filter and the steering say of every frame of the
		 * burst that is not a runt (cvqsim_net_rx_plain).
		 */
		slot = s->plain_slot;
		st = s->plain_st;
		s->fast_accepted++;
	} else {
		peek_len = RTE_MIN(ti.frame_len, (uint32_t)CVQSIM_DP_PEEK_LEN);
		peek = frame;
		if (unlikely(seg < peek_len)) {
			cvqsim_iov_to_buf(tx->iov, tx->nr_out, hdr_len, s->peek,
				peek_len);
			peek = s->peek;
		}
		slot = cvqsim_dp_select_rxq(dev, pair, peek, peek_len, &st);
		if (slot < 0)
			return 0;
	}

	rx = dp_rxb_take(dev, (uint16_t)slot, left, &err);
	if (unlikely(rx == NULL || rx->nr_out != 0 ||
			rx->iov[0].iov_len < hdr_len ||
			rx->in_len < hdr_len + ti.frame_len)) {
		if (err != 0)
			return err;
		if (rx != NULL)
			s->rxb_next--;	/* the general path pops it again */
		cvqsim_dp_fast_flush(dev);
		dp_small_to_chain(tx, &s->tx);
		return cvqsim_dp_deliver_to(dev, hdr_len, &ti, &st, slot);
	}
	if (s->rxb_next < s->rxb_nr)
		rte_prefetch0(s->rxb[s->rxb_next].iov[0].iov_base);

	/* Frame first, header last, as the general path (buffers may overlap). */
	dst = rx->iov[0].iov_base;
	if (likely(seg >= ti.frame_len &&
			rx->iov[0].iov_len - hdr_len >= ti.frame_len))
		memmove(dst + hdr_len, frame, ti.frame_len);
	else
		cvqsim_iov_copy(rx->iov, rx->nr_in, hdr_len, tx->iov, tx->nr_out,
			hdr_len, ti.frame_len);
	if (likely(s->plain && !ti.needs_csum && !s->guest_csum)) {
		hdr = &s->rx_hdr_plain;
	} else {
		cvqsim_dp_rx_hdr(dev, &ti, &st, 1, &rh);
		/* As the general path: the source validated after the copy. */
		if (s->guest_csum && !ti.needs_csum) {
			s->rx_csum_bad += cvqsim_dp_rx_csum_validate(tx->iov,
				tx->nr_out, hdr_len, ti.frame_len, &rh);
			s->rx_csum_valid += !!(rh.hdr.flags &
				VIRTIO_NET_HDR_F_DATA_VALID);
		}
	}
	cvqsim_dp_put_rx_hdr(dst, hdr, hdr_len);
	dp_rx_fast_done(s, rx, hdr_len + ti.frame_len, ti.frame_len,
		ti.needs_csum);
	return 0;
}

void
cvqsim_dp_fast_begin(struct cvqsim_dev *dev, uint16_t pair)
{
	struct cvqsim_dp_scratch *s = dev->scratch;

	s->nr_touched_rx = 0;
	memset(&s->tx_tally, 0, sizeof(s->tx_tally));
	s->fast_tx_packets = 0;
	s->fast_tx_needs_csum = 0;
	s->fast_tx_bytes = 0;
	s->fast_accepted = 0;
	s->fast_plain = 0;
	s->rxb_slot = CVQSIM_DP_NO_SLOT;
	s->rxb_next = 0;
	s->rxb_nr = 0;
	s->nr_rx_used = 0;
	s->rx_bytes = 0;
	s->rx_needs_csum = 0;
	/* rx_csum_valid and rx_csum_bad: 0 since the last flush. */
	s->guest_csum = cvqsim_dp_guest_csum(dev);
	s->plain = cvqsim_net_rx_plain(&dev->net, pair, &s->plain_st);
	s->plain_slot = -1;
	s->plain_hdr12 = false;
	if (s->plain) {
		struct cvqsim_dp_tx_info none;

		memset(&none, 0, sizeof(none));
		if (cvqsim_dp_rx_active(dev, s->plain_st.pair))
			s->plain_slot = 2 * s->plain_st.pair;
		/* The header cvqsim_dp_rx_hdr() gives a frame without csum. */
		cvqsim_dp_rx_hdr(dev, &none, &s->plain_st, 1, &s->rx_hdr_plain);
		/* With GUEST_CSUM every frame has its checksum validated. */
		s->plain_hdr12 = s->plain_slot >= 0 && !s->guest_csum &&
			cvqsim_dp_hdr_len(dev) ==
			sizeof(struct virtio_net_hdr_mrg_rxbuf);
		/*
		 * Frame lengths from CVQSIM_NET_RX_NO_RUNT to the longest
		 * cvqsim_dp_tx_check() passes, as one unsigned range.
		 */
		s->plain_frame_span = (cvqsim_dp_has(dev, VIRTIO_NET_F_MTU) ?
			(uint32_t)dev->conf.mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN :
			UINT32_MAX - (uint32_t)sizeof(struct virtio_net_hdr_mrg_rxbuf)) -
			CVQSIM_NET_RX_NO_RUNT;
	}
}

unsigned int
cvqsim_dp_fast_tx(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len,
		unsigned int at, unsigned int k)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	/* Set by cvqsim_dp_fast_begin for the whole burst. */
	const bool plain = s->plain_hdr12;
	uint16_t *heads = &s->tx_heads[at];
	unsigned int i;

	for (i = 0; i < k; i++) {
		const struct cvqsim_small_chain *tx = &s->txb[i];

		rte_prefetch0(tx[1].iov[0].iov_base);
		heads[i] = tx->head;
		if (likely(plain) && dp_deliver_plain(s, tx))
			continue;
		if (unlikely(dp_deliver_fast(dev, pair, hdr_len, tx, k - i) < 0)) {
			/* Device stopped: the rest stays where the driver put it. */
			cvqsim_vq_unpop(&dev->queues[2 * pair + 1].vq,
				(uint16_t)(k - i - 1));
			return i + 1;
		}
	}
	return k;
}

