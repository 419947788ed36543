/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The poll loop and the datapath.
 *
 * One pass over a device, with poll_lock held: for every queue pair in use
 * (the model's curr_queue_pairs) whose TX queue is enabled and served, pop
 * a burst of TX chains and deliver each frame the receive filter accepts to
 * the RX queue the model steers it to (automatic steering: the pair that
 * sent it; or RSS), with one copy from the TX buffers into the RX buffers
 * and no mbufs; then serve the control queue, whose commands the decoder
 * applies to the model (cvqsim_net.h) right there, under the same lock.
 * Used entries are flushed once per burst and queue; the driver is
 * notified then, or later when notification coalescing asks for it.
 *
 * Who runs the passes (devarg poll=):
 * - thread:   a thread of the driver busy-polls while any queue is served;
 *             it looks at the avail indices without poll_lock and takes the
 *             lock only for a pass that may find work (an empty pass costs
 *             no atomic instruction, and the control path rarely finds the
 *             lock held by a preempted poller); cvqsim_dp_sync() keeps
 *             those looks away from memory about to be unmapped;
 * - service:  an rte_service component; the application maps it to a
 *             service lcore (service name = device name); every pass
 *             takes poll_lock;
 * - adaptive: like thread, but after a bounded idle spin it enables the
 *             driver's kicks, re-checks the rings (a buffer made available
 *             before the enable would otherwise never be kicked) and sleeps
 *             in poll() on the kick eventfds.
 *
 * A malformed ring stops the whole device (every queue), logs one line and
 * records NEEDS_RESET; the frontend recovers it by setting the queues up
 * again (see cvqsim_ops.c).
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_service_component.h>
#include <rte_string_fns.h>
#include <rte_thread.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"
#include "cvqsim_placement.h"

#define BIT64(n) (UINT64_C(1) << (n))

/* Adaptive mode: idle passes before sleeping, and the longest sleep. */
#define DP_ADAPTIVE_IDLE_PASSES	2048
#define DP_SLEEP_MS		1000
/* Idle wait (no queue served) before re-checking the stop flag. */
#define DP_IDLE_WAIT_MS		200
/* Idle passes between two checks that some queue is served, minus one. */
#define DP_READY_CHECK_MASK	255

static inline bool
dp_has(const struct cvqsim_dev *dev, unsigned int bit)
{
	return (dev->net.state.features & BIT64(bit)) != 0;
}

/*
 * The virtio-net header both directions carry, per the negotiated features
 * (virtio 1.4 "Packet Transmission": with HASH_REPORT the header is
 * virtio_net_hdr_v1_hash in both directions).
 */
static inline uint32_t
dp_hdr_len(const struct cvqsim_dev *dev)
{
	if (dp_has(dev, VIRTIO_NET_F_HASH_REPORT))
		return sizeof(struct virtio_net_hdr_v1_hash);
	if (dp_has(dev, VIRTIO_F_VERSION_1) || dp_has(dev, VIRTIO_NET_F_MRG_RXBUF))
		return sizeof(struct virtio_net_hdr_mrg_rxbuf);
	return sizeof(struct virtio_net_hdr);
}

/*
 * Stop the device after a ring violation (poll_lock held): no queue is
 * touched again until the frontend sets it up anew. The log line and the
 * config-change message are sent by the caller once the lock is released.
 */
static void __rte_cold
dp_fail(struct cvqsim_dev *dev, struct cvqsim_vq *vq, const char *reason)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_vq_teardown(&dev->queues[i].vq);
	dev->failed = true;
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
	dp_fail(dev, vq, reason);
}

/* Copy len bytes from src (at src_off) to dst (at dst_off); returns copied. */
static size_t
dp_iov_copy(const struct iovec *dst, unsigned int nr_dst, size_t dst_off,
		const struct iovec *src, unsigned int nr_src, size_t src_off,
		size_t len)
{
	unsigned int d = 0, s = 0;
	size_t done = 0;

	while (d < nr_dst && dst_off >= dst[d].iov_len)
		dst_off -= dst[d++].iov_len;
	while (s < nr_src && src_off >= src[s].iov_len)
		src_off -= src[s++].iov_len;
	while (done < len && d < nr_dst && s < nr_src) {
		size_t n = RTE_MIN(dst[d].iov_len - dst_off,
			src[s].iov_len - src_off);

		n = RTE_MIN(n, len - done);
		/*
		 * Both sides are guest memory: a frontend may post an RX
		 * buffer overlapping the TX buffer being delivered.
		 */
		memmove((char *)dst[d].iov_base + dst_off,
			(const char *)src[s].iov_base + src_off, n);
		done += n;
		dst_off += n;
		src_off += n;
		if (dst_off == dst[d].iov_len) {
			d++;
			dst_off = 0;
		}
		if (src_off == src[s].iov_len) {
			s++;
			src_off = 0;
		}
	}
	return done;
}

/*
 * The Internet checksum (RFC 1071) of len bytes of iovecs from offset, in
 * the host-order form rte_raw_cksum() gives (store it as is). A piece that
 * starts at an odd distance from the start has its bytes in the other
 * halves of the 16-bit words: its partial sum is byte-swapped.
 */
static uint16_t
dp_iov_cksum(const struct iovec *iov, unsigned int nr, size_t off, size_t len)
{
	uint32_t sum = 0;
	size_t done = 0;
	unsigned int i = 0;

	while (i < nr && off >= iov[i].iov_len)
		off -= iov[i++].iov_len;
	for (; i < nr && done < len; i++, off = 0) {
		size_t n = RTE_MIN(iov[i].iov_len - off, len - done);
		uint32_t part;

		part = __rte_raw_cksum_reduce(__rte_raw_cksum(
			(const char *)iov[i].iov_base + off, n, 0));
		if (done & 1)
			part = rte_bswap16((uint16_t)part);
		sum += part;
		done += n;
	}
	return (uint16_t)__rte_raw_cksum_reduce(sum);
}

/* What the datapath learnt from a TX chain's virtio-net header. */
struct dp_tx_info {
	struct virtio_net_hdr_v1_hash hdr;	/* as sent, host order */
	uint32_t frame_len;			/* bytes after the header */
	uint16_t csum_start;
	uint16_t csum_offset;
	bool needs_csum;
};

/*
 * Read and check the TX header. The device offers no segmentation offload,
 * and a checksum request needs VIRTIO_NET_F_CSUM and a checksum field
 * inside the frame: anything else is a malformed frame (dropped, counted).
 * Whatever the header says, nothing outside the frame is ever read or
 * written.
 */
static bool
dp_tx_parse(struct cvqsim_dev *dev, const struct cvqsim_chain *tx,
		uint32_t hdr_len, struct dp_tx_info *ti)
{
	memset(ti, 0, sizeof(*ti));
	if (unlikely(tx->out_len < hdr_len))
		return false;
	cvqsim_iov_to_buf(tx->iov, tx->nr_out, 0, &ti->hdr, hdr_len);
	ti->frame_len = tx->out_len - hdr_len;
	if (unlikely((ti->hdr.hdr.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) !=
			VIRTIO_NET_HDR_GSO_NONE))
		return false;
	/*
	 * With VIRTIO_NET_F_MTU the device must not pass received frames
	 * larger than the MTU plus the link-level header (here Ethernet with
	 * one VLAN tag): an oversize frame from a misbehaving driver is
	 * dropped as malformed instead of delivered.
	 */
	if (unlikely(dp_has(dev, VIRTIO_NET_F_MTU) &&
			ti->frame_len > (uint32_t)dev->conf.mtu +
			RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN))
		return false;
	if (!(ti->hdr.hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return true;
	ti->needs_csum = true;
	ti->csum_start = rte_le_to_cpu_16(ti->hdr.hdr.csum_start);
	ti->csum_offset = rte_le_to_cpu_16(ti->hdr.hdr.csum_offset);
	if (!dp_has(dev, VIRTIO_NET_F_CSUM))
		return false;
	/* The 2-byte field at csum_start + csum_offset lies in the frame. */
	return (uint32_t)ti->csum_start + ti->csum_offset + 2 <= ti->frame_len;
}

static void
dp_tx_drop_malformed(struct cvqsim_dev *dev, uint16_t pair)
{
	dev->queues[2 * pair + 1].vq.stats.drops++;
	dev->dp_stats.tx_malformed++;
	cvqsim_net_count_tx_drop(&dev->net, pair, true);
}

/* A receive pair frames may be placed on: in use, enabled and served. */
static bool
dp_rx_active(const struct cvqsim_dev *dev, uint16_t q)
{
	return q < dev->net.state.curr_queue_pairs && q < dev->conf.max_pairs &&
		cvqsim_net_vq_enabled(&dev->net, (uint16_t)(2 * q)) &&
		dev->queues[2 * q].vq.ready;
}

/* A transmit pair whose frames are taken: in use, enabled and served. */
static bool
dp_tx_active(const struct cvqsim_dev *dev, uint16_t pair)
{
	return pair < dev->net.state.curr_queue_pairs &&
		cvqsim_net_vq_enabled(&dev->net, (uint16_t)(2 * pair + 1)) &&
		dev->queues[2 * pair + 1].vq.ready;
}

/*
 * Receive filter and steering: the slot of the RX queue that gets the frame
 * in s->tx, or -1 when it is dropped (counted here). The model decides from
 * the first CVQSIM_DP_PEEK_LEN bytes of the frame: the filter (MAC, VLAN,
 * RX modes), then RSS or automatic steering, which also gives the hash to
 * report. A frame steered to a pair that is not in use is dropped: the
 * device never places frames beyond curr_queue_pairs (virtio 1.4, automatic
 * steering and RSS), nor on a disabled or stopped queue.
 */
static int
dp_select_rxq(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len,
		const struct dp_tx_info *ti, struct cvqsim_net_rx_steer *st)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	enum cvqsim_net_rx_verdict v;
	uint32_t peek;

	peek = (uint32_t)cvqsim_iov_to_buf(s->tx.iov, s->tx.nr_out, hdr_len,
		s->peek, RTE_MIN(ti->frame_len, (uint32_t)sizeof(s->peek)));
	v = cvqsim_net_rx_filter(&dev->net, s->peek, peek);
	cvqsim_net_count_filter(&dev->net, v);
	if (v != CVQSIM_NET_RX_ACCEPT) {
		dev->queues[2 * pair + 1].vq.stats.drops++;
		return -1;
	}
	cvqsim_net_rx_steer(&dev->net, pair, s->peek, peek, st);
	if (unlikely(!dp_rx_active(dev, st->queue))) {
		dev->dp_stats.rx_inactive++;
		cvqsim_net_count_rx_drop(&dev->net, st->queue, false);
		if (st->queue < dev->conf.max_pairs)
			dev->queues[2 * st->queue].vq.stats.drops++;
		else
			dev->queues[2 * pair + 1].vq.stats.drops++;
		return -1;
	}
	return 2 * st->queue;
}

/*
 * A frame was delivered on RX queue slot in this burst: count it there
 * (published with the burst, dp_burst_count).
 */
static void
dp_touch_rx(struct cvqsim_dp_scratch *s, uint16_t slot,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes)
{
	unsigned int i;

	for (i = 0; i < s->nr_touched_rx; i++)
		if (s->touched_rx[i] == slot)
			break;
	if (i == s->nr_touched_rx) {
		/* A burst has at most CVQSIM_DP_BURST frames: always room. */
		s->touched_rx[i] = slot;
		s->touched_frames[i] = 0;
		memset(&s->rx_tally[i], 0, sizeof(s->rx_tally[i]));
		s->nr_touched_rx++;
	}
	s->touched_frames[i]++;
	cvqsim_net_tally_frame(&s->rx_tally[i], hdr, bytes, true);
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
 * The receive header, and whether the device completes the checksum
 * itself: a NEEDS_CSUM frame keeps its partial checksum (NEEDS_CSUM,
 * csum_start/offset passed through) only when GUEST_CSUM is negotiated and
 * enabled (GUEST_OFFLOADS_SET); otherwise the driver must get a complete
 * checksum and flags 0 (virtio 1.4 "Processing of Incoming Packets").
 */
static bool
dp_rx_hdr(const struct cvqsim_dev *dev, const struct dp_tx_info *ti,
		const struct cvqsim_net_rx_steer *st, uint16_t num_buffers,
		struct virtio_net_hdr_v1_hash *rh)
{
	bool guest_csum = dp_has(dev, VIRTIO_NET_F_GUEST_CSUM) &&
		(dev->net.state.guest_offloads & BIT64(VIRTIO_NET_F_GUEST_CSUM));
	bool complete = ti->needs_csum && !guest_csum;

	memset(rh, 0, sizeof(*rh));
	rh->hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (ti->needs_csum && guest_csum) {
		rh->hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		rh->hdr.csum_start = rte_cpu_to_le_16(ti->csum_start);
		rh->hdr.csum_offset = rte_cpu_to_le_16(ti->csum_offset);
	}
	rh->hdr.num_buffers = rte_cpu_to_le_16(num_buffers);
	rh->hash_value = rte_cpu_to_le_32(st->hash_value);
	rh->hash_report = rte_cpu_to_le_16(st->hash_report);
	return complete;
}

/*
 * Deliver the frame in s->tx: filter and steer it, pop as many RX chains
 * as it needs (several with MRG_RXBUF), write the header and copy the
 * frame, completing its checksum when the driver cannot take it partial.
 * A filtered frame, no buffer, too little room, or a queue not in use: the
 * frame is dropped and counted; TX never waits for RX.
 * Returns 0, or -EIO when the RX ring was malformed (device stopped).
 */
static int
dp_deliver(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_vq *txq = &dev->queues[2 * pair + 1].vq;
	struct cvqsim_chain *tx = &s->tx;
	struct cvqsim_net_rx_steer st;
	struct virtio_net_hdr_v1_hash rh;
	struct dp_tx_info ti;
	bool mrg = dp_has(dev, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int max_chains = mrg ? CVQSIM_DP_MAX_MRG : 1;
	uint32_t need, src_off, j;
	uint64_t have = 0;
	uint16_t popped = 0, q;
	struct cvqsim_vq *rxq;
	int slot, ret;

	if (unlikely(!dp_tx_parse(dev, tx, hdr_len, &ti))) {
		dp_tx_drop_malformed(dev, pair);
		return 0;
	}
	txq->stats.packets++;
	txq->stats.bytes += ti.frame_len;
	cvqsim_net_tally_frame(&s->tx_tally, &ti.hdr.hdr, ti.frame_len, false);

	slot = dp_select_rxq(dev, pair, hdr_len, &ti, &st);
	if (slot < 0)
		return 0;
	q = st.queue;
	rxq = &dev->queues[slot].vq;

	need = hdr_len + ti.frame_len;
	while (have < need && popped < max_chains) {
		struct cvqsim_chain *rx = &s->rx[popped];

		ret = cvqsim_vq_pop(rxq, rx);
		if (unlikely(ret < 0)) {
			dp_fail(dev, rxq, rxq->error);
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
		cvqsim_net_count_rx_drop(&dev->net, q, true);
		return 0;
	}

	src_off = hdr_len;
	for (j = 0; j < popped; j++) {
		struct cvqsim_chain *rx = &s->rx[j];
		uint32_t off = j == 0 ? hdr_len : 0;
		uint32_t n = RTE_MIN(rx->in_len - off, need - src_off);

		dp_iov_copy(cvqsim_chain_in_iov(rx), rx->nr_in, off,
			tx->iov, tx->nr_out, src_off, n);
		src_off += n;
		s->rx_len[j] = off + n;
	}
	if (dp_rx_hdr(dev, &ti, &st, popped, &rh)) {
		/* The field holds the pseudo-header sum: it is part of the sum. */
		uint16_t c = (uint16_t)~dp_iov_cksum(tx->iov, tx->nr_out,
			hdr_len + ti.csum_start, ti.frame_len - ti.csum_start);

		if (c == 0)
			c = 0xffff;	/* as Linux's skb_checksum_help() */
		dp_rx_patch(s, popped, hdr_len + ti.csum_start + ti.csum_offset,
			&c, sizeof(c));
		dev->dp_stats.tx_csum_completed++;
	}
	cvqsim_buf_to_iov(cvqsim_chain_in_iov(&s->rx[0]), s->rx[0].nr_in, 0,
		&rh, hdr_len);
	for (j = 0; j < popped; j++)
		cvqsim_vq_push(rxq, s->rx[j].head, s->rx_len[j]);
	rxq->stats.packets++;
	rxq->stats.bytes += ti.frame_len;
	dp_touch_rx(s, (uint16_t)slot, &rh.hdr, ti.frame_len);
	return 0;
}

/*
 * Used-buffer notifications, with notification coalescing (NOTF_COAL,
 * VQ_NOTF_COAL): for each data vq, a notification is due once max_packets
 * used entries are pending or max_usecs have passed since the first of
 * them; with either parameter 0 after every burst (virtio 1.4
 * "Notifications Coalescing / Operation"). Entries are always published at
 * once; only the notification waits. Driver suppression still applies
 * (cvqsim_vq_notify). Timeouts are checked on every pass.
 */
static void
dp_signal(struct cvqsim_dev *dev, uint16_t slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	uint64_t sent = q->vq.stats.notifies;

	q->coal_pending = 0;
	cvqsim_vq_notify(&q->vq);
	if (slot != cvqsim_cvq_slot(dev) && q->vq.stats.notifies != sent)
		cvqsim_net_count_interrupt(&dev->net, slot);
}

static bool
dp_coal_due(const struct cvqsim_queue *q, const struct rte_pmd_cvqsim_net_coal *c,
		uint64_t now)
{
	if (c->max_packets == 0 || c->max_usecs == 0)
		return true;
	if (q->coal_pending >= c->max_packets)
		return true;
	return now - q->coal_first >=
		(uint64_t)c->max_usecs * rte_get_timer_hz() / 1000000;
}

/* Used entries of n more packets of data vq slot were published. */
static void
dp_used_published(struct cvqsim_dev *dev, uint16_t slot, uint32_t n)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	const struct rte_pmd_cvqsim_net_coal *c = &dev->net.state.coal_vq[slot];
	uint64_t now = 0;

	if (c->max_packets != 0 && c->max_usecs != 0) {
		now = rte_get_timer_cycles();
		if (q->coal_pending == 0)
			q->coal_first = now;
	}
	q->coal_pending += n;
	if (dp_coal_due(q, c, now))
		dp_signal(dev, slot);
	else
		dev->poller.coal_armed = true;
}

/*
 * Every pass: notifications whose time has come (or whose rule changed).
 * Only while some are pending: the walk covers every data queue.
 */
static void
dp_coal_expire(struct cvqsim_dev *dev)
{
	uint16_t slot, n = (uint16_t)(2 * dev->conf.max_pairs);
	bool armed = false;
	uint64_t now = 0;

	if (!dev->poller.coal_armed)
		return;
	for (slot = 0; slot < n; slot++) {
		struct cvqsim_queue *q = &dev->queues[slot];

		if (q->coal_pending == 0)
			continue;
		if (!q->vq.ready) {
			q->coal_pending = 0;
			continue;
		}
		if (now == 0)
			now = rte_get_timer_cycles();
		if (dp_coal_due(q, &dev->net.state.coal_vq[slot], now))
			dp_signal(dev, slot);
		else
			armed = true;
	}
	dev->poller.coal_armed = armed;
}

/* The model counters of the frames of a burst (before its used entries). */
static void
dp_burst_count(struct cvqsim_dev *dev, uint16_t pair)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	unsigned int i;

	cvqsim_net_count_tx_tally(&dev->net, pair, &s->tx_tally);
	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_net_count_rx_tally(&dev->net, s->touched_rx[i] / 2,
			&s->rx_tally[i]);
}

/* One burst of TX queue `pair`; returns chains processed. */
static unsigned int
dp_tx_burst(struct cvqsim_dev *dev, uint16_t pair)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_vq *txq = &dev->queues[2 * pair + 1].vq;
	uint32_t hdr_len = dp_hdr_len(dev);
	unsigned int n = 0, i;
	int ret;

	if (!dp_tx_active(dev, pair))
		return 0;
	s->nr_touched_rx = 0;
	memset(&s->tx_tally, 0, sizeof(s->tx_tally));
	while (n < CVQSIM_DP_BURST) {
		ret = cvqsim_vq_pop(txq, &s->tx);
		if (ret == 0)
			break;
		if (unlikely(ret < 0)) {
			dp_fail(dev, txq, txq->error);
			break;
		}
		n++;
		if (unlikely(dp_deliver(dev, pair, hdr_len) < 0))
			break;
		/* The device writes nothing into a TX chain. */
		cvqsim_vq_push(txq, s->tx.head, 0);
	}
	if (n == 0)
		return 0;
	dp_burst_count(dev, pair);
	if (unlikely(dev->failed))
		return n;
	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_vq_flush(&dev->queues[s->touched_rx[i]].vq);
	cvqsim_vq_flush(txq);
	for (i = 0; i < s->nr_touched_rx; i++)
		dp_used_published(dev, s->touched_rx[i], s->touched_frames[i]);
	dp_used_published(dev, (uint16_t)(2 * pair + 1), n);
	return n;
}

/*
 * Control queue: one request through the decoder (cvqsim_ctrl.c) bound to
 * the device model. The command is validated and applied to the model here,
 * with poll_lock held (the model's rule: mutators run under poll_lock), so
 * it is in force before its used entry is published and for every frame
 * of the next pass. Returns the used length.
 *
 * A request without a single writable byte cannot be acknowledged: it is
 * completed with used length 0 (the driver's synchronous wait ends) and
 * the device records VIRTIO_CONFIG_S_NEEDS_RESET, as QEMU marks such a
 * device broken ("ctrl missing headers"), and signals a config change. It
 * keeps serving: the decision to reset is the driver's.
 */
static uint32_t
dp_ctrl_request(struct cvqsim_dev *dev, struct cvqsim_chain *c)
{
	uint32_t used = 0;
	int ret;

	ret = cvqsim_ctrl_process(cvqsim_dev_ctrl(dev), c, &used);
	if (unlikely(ret == -ENOBUFS)) {
		if (!(dev->device_status & VIRTIO_CONFIG_S_NEEDS_RESET))
			dev->config_change = true;
		dev->device_status |= VIRTIO_CONFIG_S_NEEDS_RESET;
		return 0;
	}
	return used;
}

static unsigned int
dp_ctrl_burst(struct cvqsim_dev *dev)
{
	struct cvqsim_vq *cvq = &dev->queues[cvqsim_cvq_slot(dev)].vq;
	struct cvqsim_chain *c = &dev->scratch->ctrl;
	unsigned int n = 0;
	int ret;

	if (!cvq->ready || !dev->cvq_serve)
		return 0;
	while (n < CVQSIM_DP_BURST) {
		ret = cvqsim_vq_pop(cvq, c);
		if (ret == 0)
			break;
		if (unlikely(ret < 0)) {
			dp_fail(dev, cvq, cvq->error);
			return n;
		}
		n++;
		cvq->stats.packets++;
		cvqsim_vq_push(cvq, c->head, dp_ctrl_request(dev, c));
	}
	if (n > 0) {
		cvqsim_vq_flush(cvq);
		cvqsim_vq_notify(cvq);
	}
	return n;
}

static unsigned int
dp_count_ready(const struct cvqsim_dev *dev)
{
	unsigned int n = 0;
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		n += dev->queues[i].vq.ready;
	return n;
}

/* Log the failure and tell the frontend, outside poll_lock. */
static void __rte_cold
dp_report_failure(struct cvqsim_dev *dev, const char *failure, int vid)
{
	CVQSIM_DEV_LOG(ERR, dev, "device stopped (NEEDS_RESET): %s", failure);
	cvqsim_notify_config_change(dev, vid);
}

/* A control request could not be acknowledged: NEEDS_RESET was recorded. */
static void __rte_cold
dp_report_needs_reset(struct cvqsim_dev *dev, int vid)
{
	CVQSIM_DEV_LOG(ERR, dev, "control request without a writable byte:"
		" completed empty, device needs reset");
	cvqsim_notify_config_change(dev, vid);
}

/*
 * The poll thread and cvqsim_dp_sync(). Between two passes the poller
 * reads sync_req (acquire) and acknowledges it: a request it has seen
 * there was made after the control path's teardown, so every later look
 * at the rings sees that teardown, and every earlier one is over
 * (release). Offline (asleep, stopped) it looks at nothing; coming back
 * online, the fence makes either the control path see it online, or it
 * see the request.
 */
static inline void
dp_quiescent(struct cvqsim_poller *p)
{
	uint64_t req = __atomic_load_n(&p->sync_req, __ATOMIC_ACQUIRE);

	if (req != p->sync_ack)
		__atomic_store_n(&p->sync_ack, req, __ATOMIC_RELEASE);
}

static void
dp_offline(struct cvqsim_poller *p)
{
	__atomic_store_n(&p->online, false, __ATOMIC_RELEASE);
}

static void
dp_online(struct cvqsim_poller *p)
{
	if (!p->peek)
		return;
	__atomic_store_n(&p->online, true, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	dp_quiescent(p);
}

void
cvqsim_dp_sync(struct cvqsim_dev *dev)
{
	struct cvqsim_poller *p = &dev->poller;
	unsigned int spins = 0;
	uint64_t req;

	if (!p->peek)
		return;
	req = __atomic_add_fetch(&p->sync_req, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&p->online, __ATOMIC_SEQ_CST) &&
			__atomic_load_n(&p->sync_ack, __ATOMIC_ACQUIRE) < req) {
		/* The poll thread may share our CPU: let it run its pass. */
		if (++spins < 64)
			rte_pause();
		else
			sched_yield();
	}
}

/*
 * Whether the rings of vq may hold something new, read without poll_lock:
 * any field may be changing under the control path. Every ring pointer it
 * can read is mapped (cvqsim_dp_sync); a queue whose rings must be
 * resolved again (AS change) counts as work, for the locked pass.
 */
static inline bool
dp_vq_peek(const struct cvqsim_vq *vq)
{
	const struct vring_avail *avail;
	const struct cvqsim_as *as;
	uint16_t idx;

	if (!__atomic_load_n(&vq->ready, __ATOMIC_RELAXED))
		return false;
	avail = __atomic_load_n(&vq->avail, __ATOMIC_RELAXED);
	as = __atomic_load_n(&vq->as, __ATOMIC_RELAXED);
	if (avail == NULL || as == NULL)
		return false;
	if (__atomic_load_n(&vq->ring_gen, __ATOMIC_RELAXED) !=
			__atomic_load_n(&as->generation, __ATOMIC_RELAXED))
		return true;
	idx = rte_le_to_cpu_16(__atomic_load_n(&avail->idx, __ATOMIC_RELAXED));
	return idx != __atomic_load_n(&vq->last_avail_idx, __ATOMIC_RELAXED);
}

/*
 * Whether a pass may find work: a TX queue of a pair in use or the served
 * control queue has new entries, or a coalesced notification waits for its
 * time. What is found is then processed under poll_lock; what a stale read
 * misses is seen on a later pass.
 */
static bool
dp_peek(const struct cvqsim_dev *dev)
{
	uint16_t pairs = RTE_MIN(__atomic_load_n(&dev->net.state.curr_queue_pairs,
		__ATOMIC_RELAXED), dev->conf.max_pairs);
	uint16_t pair;

	if (dev->poller.coal_armed)
		return true;
	for (pair = 0; pair < pairs; pair++)
		if (dp_vq_peek(&dev->queues[2 * pair + 1].vq))
			return true;
	return __atomic_load_n(&dev->cvq_serve, __ATOMIC_RELAXED) &&
		dp_vq_peek(&dev->queues[cvqsim_cvq_slot(dev)].vq);
}

unsigned int
cvqsim_dp_poll_if_work(struct cvqsim_dev *dev)
{
	unsigned int work = 0;

	if (dp_peek(dev))
		work = cvqsim_dp_poll(dev);
	else
		__atomic_store_n(&dev->poller.passes, dev->poller.passes + 1,
			__ATOMIC_RELAXED);
	dp_quiescent(&dev->poller);
	return work;
}

/*
 * One pass under poll_lock: the TX queues (unless data_queues is false:
 * the adaptive poller woken by the control queue alone), the control
 * queue, the coalescing timers; then, outside the lock, what must be told.
 */
static inline unsigned int
dp_pass(struct cvqsim_dev *dev, bool data_queues)
{
	char failure[sizeof(dev->failure)];
	unsigned int work = 0;
	bool was_failed, config_change;
	uint16_t pair;
	int vid;

	rte_spinlock_lock(&dev->poll_lock);
	was_failed = dev->failed;
	for (pair = 0; data_queues && pair < dev->conf.max_pairs && !dev->failed;
			pair++)
		work += dp_tx_burst(dev, pair);
	if (!dev->failed)
		work += dp_ctrl_burst(dev);
	if (!dev->failed)
		dp_coal_expire(dev);
	__atomic_store_n(&dev->poller.passes, dev->poller.passes + 1,
		__ATOMIC_RELAXED);
	vid = dev->vid;
	if (dev->failed && !was_failed) {
		memcpy(failure, dev->failure, sizeof(failure));
		dev->config_change = false;
		rte_spinlock_unlock(&dev->poll_lock);
		/*
		 * A config-change message may wait for the frontend, which may
		 * wait for the vhost-events thread: never block it in
		 * cvqsim_dp_sync() meanwhile.
		 */
		dp_offline(&dev->poller);
		dp_report_failure(dev, failure, vid);
		dp_online(&dev->poller);
		return work;
	}
	config_change = dev->config_change;
	dev->config_change = false;
	rte_spinlock_unlock(&dev->poll_lock);
	if (unlikely(config_change)) {
		dp_offline(&dev->poller);
		dp_report_needs_reset(dev, vid);
		dp_online(&dev->poller);
	}
	return work;
}

unsigned int
cvqsim_dp_poll(struct cvqsim_dev *dev)
{
	return dp_pass(dev, true);
}

/* Poller plumbing. */

void
cvqsim_dp_wake(struct cvqsim_dev *dev)
{
	if (dev->poller.wake_fd >= 0)
		eventfd_write(dev->poller.wake_fd, 1);
}

static void
dp_drain_wake(struct cvqsim_dev *dev)
{
	eventfd_t v;

	eventfd_read(dev->poller.wake_fd, &v);
}

static bool
dp_should_stop(struct cvqsim_dev *dev)
{
	return __atomic_load_n(&dev->poller.stop, __ATOMIC_ACQUIRE);
}

/* Whether a wake-up came from anything but the control queue's kick. */
static bool
dp_data_kicked(const struct cvqsim_dev *dev, const struct pollfd *pfd,
		const uint16_t *slot_of, unsigned int n)
{
	unsigned int i;

	if (pfd[n].revents != 0)
		return true;	/* wake_fd: the control path changed something */
	for (i = 0; i < n; i++)
		if (pfd[i].revents != 0 && slot_of[i] != cvqsim_cvq_slot(dev))
			return true;
	return false;
}

/*
 * Adaptive mode: enable the kicks of the queues that bring work (TX queues
 * and the control queue; RX buffers alone never make work for a loopback),
 * re-check their rings, and sleep until a kick or a wake-up. Woken, serve
 * the device first and only then disable the kicks again and drain the
 * eventfds: what woke us is answered one lock round, a ring write and a
 * read() per queue sooner, and a kick meanwhile only costs the driver a
 * syscall. A TX queue that did not kick had nothing when we slept (its
 * kicks were on): when only the control queue kicked, that first pass
 * serves the control queue alone (the next one serves everything).
 */
static void
dp_sleep_on_kicks(struct cvqsim_dev *dev)
{
	struct pollfd pfd[2 * CVQSIM_MAX_QUEUE_PAIRS + 2];
	uint16_t slot_of[RTE_DIM(pfd)];
	unsigned int n = 0, i;
	bool pending = false, woken = false;
	uint16_t q;

	rte_spinlock_lock(&dev->poll_lock);
	/* A coalesced notification waits for its timer: no sleep. */
	pending = dev->poller.coal_armed;
	for (q = 0; q < dev->nr_queues && !pending; q++) {
		struct cvqsim_vq *vq = &dev->queues[q].vq;

		if (!vq->ready || (q % 2 == 0 && q != cvqsim_cvq_slot(dev)))
			continue;
		if (vq->kickfd < 0) {
			pending = true;	/* cannot sleep on a queue without kicks */
			break;
		}
		cvqsim_vq_enable_kick(vq, true);
		if (cvqsim_vq_avail_count(vq) != 0)
			pending = true;
		pfd[n].fd = vq->kickfd;
		pfd[n].events = POLLIN;
		slot_of[n] = q;
		n++;
	}
	rte_spinlock_unlock(&dev->poll_lock);

	if (!pending) {
		pfd[n].fd = dev->poller.wake_fd;
		pfd[n].events = POLLIN;
		dp_offline(&dev->poller);
		woken = poll(pfd, n + 1, DP_SLEEP_MS) > 0;
		dp_online(&dev->poller);
		dev->poller.sleeps++;
		if (woken)
			dp_pass(dev, dp_data_kicked(dev, pfd, slot_of, n));
		if (woken && (pfd[n].revents & POLLIN))
			dp_drain_wake(dev);
	}
	if (!woken)
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;

	rte_spinlock_lock(&dev->poll_lock);
	for (i = 0; i < n; i++) {
		struct cvqsim_vq *vq = &dev->queues[slot_of[i]].vq;

		/* The queue may have been replaced while we slept. */
		if (!vq->ready || vq->kickfd != pfd[i].fd)
			continue;
		cvqsim_vq_enable_kick(vq, false);
		if (pfd[i].revents & POLLIN) {
			cvqsim_vq_drain_kick(vq);
			/* Driver notifications of data queues (STATS_GET). */
			if (slot_of[i] != cvqsim_cvq_slot(dev))
				cvqsim_net_count_kick(&dev->net, slot_of[i]);
		}
	}
	rte_spinlock_unlock(&dev->poll_lock);
}

/* No queue served: wait for the control path to change that. */
static void
dp_idle_wait(struct cvqsim_dev *dev)
{
	struct pollfd pfd = { .fd = dev->poller.wake_fd, .events = POLLIN };

	dp_offline(&dev->poller);
	if (poll(&pfd, 1, DP_IDLE_WAIT_MS) > 0)
		dp_drain_wake(dev);
	dp_online(&dev->poller);
}

static void *
dp_thread_main(void *arg)
{
	struct cvqsim_dev *dev = arg;
	bool adaptive = dev->poller.mode == CVQSIM_POLL_ADAPTIVE;
	unsigned int idle = 0;
	bool unserved = false;

	dp_online(&dev->poller);
	while (!dp_should_stop(dev)) {
		if (cvqsim_dp_poll_if_work(dev) > 0) {
			idle = 0;
			continue;
		}
		idle++;
		/*
		 * Nothing served: wait for the control path. Checked on the
		 * first idle pass and then now and then (it walks every queue).
		 */
		if ((idle & DP_READY_CHECK_MASK) == 1 && dp_count_ready(dev) == 0) {
			dp_idle_wait(dev);
			idle = 0;
			unserved = true;
			continue;
		}
		if (unlikely(unserved)) {
			/* Serving again: lcores may have started polling since. */
			cvqsim_placement_recheck(&dev->poller.placement, dev->name);
			unserved = false;
		}
		if (adaptive && idle >= DP_ADAPTIVE_IDLE_PASSES) {
			dp_sleep_on_kicks(dev);
			idle = 0;
			continue;
		}
		rte_pause();
	}
	dp_offline(&dev->poller);
	return NULL;
}

static int32_t
dp_service_run(void *arg)
{
	return cvqsim_dp_poll(arg) > 0 ? 0 : -EAGAIN;
}

static int
dp_start_thread(struct cvqsim_dev *dev)
{
	char name[RTE_MAX_THREAD_NAME_LEN];
	int ret;

	snprintf(name, sizeof(name), "cvqsim-poll%u", dev->index);
	ret = rte_ctrl_thread_create(&dev->poller.thread, name, NULL,
		dp_thread_main, dev);
	if (ret != 0)
		return -ret;
	dev->poller.thread_running = true;
	return cvqsim_placement_pin(&dev->poller.placement, dev->name,
		dev->poller.thread, dev->conf.cpu);
}

static int
dp_start_service(struct cvqsim_dev *dev)
{
	struct rte_service_spec spec;
	int ret;

	memset(&spec, 0, sizeof(spec));
	if (rte_strscpy(spec.name, dev->name, sizeof(spec.name)) < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "poll=service: the device name is longer"
			" than a service name (%zu characters)", sizeof(spec.name) - 1);
		return -ENAMETOOLONG;
	}
	spec.callback = dp_service_run;
	spec.callback_userdata = dev;
	spec.socket_id = SOCKET_ID_ANY;
	/* Not MT-safe: one lcore at a time runs a device. */
	ret = rte_service_component_register(&spec, &dev->poller.service_id);
	if (ret != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "cannot register service \"%s\": %s",
			spec.name, strerror(-ret));
		return ret;
	}
	dev->poller.service_registered = true;
	rte_service_component_runstate_set(dev->poller.service_id, 1);
	CVQSIM_DEV_LOG(INFO, dev, "service \"%s\" (id %u) registered: map it to a"
		" service lcore", spec.name, dev->poller.service_id);
	return 0;
}

int
cvqsim_dp_start(struct cvqsim_dev *dev)
{
	int ret;

	cvqsim_ctrl_init(cvqsim_dev_ctrl(dev), &cvqsim_net_ctrl_ops, &dev->net);
	dev->poller.mode = dev->conf.poll;
	dev->poller.placement.cpu = -1;
	dev->poller.stop = false;
	/* A service lcore may stop calling us at any time: it never peeks. */
	dev->poller.peek = dev->poller.mode != CVQSIM_POLL_SERVICE;
	dev->poller.online = false;
	dev->poller.coal_armed = false;
	dev->poller.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (dev->poller.wake_fd < 0)
		return -errno;
	if (dev->poller.mode == CVQSIM_POLL_SERVICE)
		ret = dp_start_service(dev);
	else
		ret = dp_start_thread(dev);
	if (ret < 0)
		cvqsim_dp_stop(dev);
	return ret;
}

void
cvqsim_dp_stop(struct cvqsim_dev *dev)
{
	struct cvqsim_poller *p = &dev->poller;
	uint64_t deadline;

	__atomic_store_n(&p->stop, true, __ATOMIC_RELEASE);
	if (p->thread_running) {
		cvqsim_dp_wake(dev);
		pthread_join(p->thread, NULL);
		p->thread_running = false;
		cvqsim_placement_release(&p->placement);
	}
	if (p->service_registered) {
		rte_service_component_runstate_set(p->service_id, 0);
		/* Wait (bounded) for a service lcore to leave the callback. */
		deadline = rte_get_timer_cycles() + rte_get_timer_hz();
		while (rte_service_may_be_active(p->service_id) == 1 &&
				rte_get_timer_cycles() < deadline)
			rte_pause();
		rte_service_component_unregister(p->service_id);
		p->service_registered = false;
	}
	if (p->wake_fd >= 0) {
		close(p->wake_fd);
		p->wake_fd = -1;
	}
}
