/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The loopback datapath.
 *
 * One pass over a device (the poller holds poll_lock): for every queue
 * pair in use (the model's curr_queue_pairs) whose TX queue is enabled and
 * served, pop a burst of TX chains and deliver each frame the receive
 * filter accepts to the RX queue the model steers it to (automatic
 * steering: the pair that sent it; or RSS), with one copy from the TX
 * buffers into the RX buffers and no mbufs; then serve the control queue,
 * whose commands the decoder applies to the model (cvqsim_net.h) right
 * there, under the same lock. Used entries are flushed once per burst and
 * queue; the driver is notified then, or later when notification
 * coalescing asks for it.
 *
 * A malformed ring stops the whole device (every queue) and records
 * NEEDS_RESET; the poller logs it and tells the frontend once the lock is
 * released, and the frontend recovers the device by setting the queues up
 * again (cvqsim_lifecycle.c).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>

#include "cvqsim_dev.h"
#include "cvqsim_dp.h"
#include "cvqsim_iotlb.h"
#include "cvqsim_iov.h"
#include "cvqsim_log_dirty.h"

#define BIT64(n) (UINT64_C(1) << (n))

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

		cvqsim_iov_copy(cvqsim_chain_in_iov(rx), rx->nr_in, off,
			tx->iov, tx->nr_out, src_off, n);
		src_off += n;
		s->rx_len[j] = off + n;
	}
	if (dp_rx_hdr(dev, &ti, &st, popped, &rh)) {
		/* The field holds the pseudo-header sum: it is part of the sum. */
		uint16_t c = (uint16_t)~cvqsim_iov_cksum(tx->iov, tx->nr_out,
			hdr_len + ti.csum_start, ti.frame_len - ti.csum_start);

		if (c == 0)
			c = 0xffff;	/* as Linux's skb_checksum_help() */
		dp_rx_patch(s, popped, hdr_len + ti.csum_start + ti.csum_offset,
			&c, sizeof(c));
		dev->dp_stats.tx_csum_completed++;
	}
	cvqsim_buf_to_iov(cvqsim_chain_in_iov(&s->rx[0]), s->rx[0].nr_in, 0,
		&rh, hdr_len);
	for (j = 0; j < popped; j++) {
		cvqsim_log_dirty_chain(dev, &s->rx[j], s->rx_len[j],
			CVQSIM_LOG_DIRTY_RX);
		cvqsim_vq_push(rxq, s->rx[j].head, s->rx_len[j]);
	}
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
		cvqsim_log_dirty_publish(dev, &dev->queues[s->touched_rx[i]].vq);
	cvqsim_log_dirty_publish(dev, txq);
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

/*
 * A violation on the control queue: in the VM case (its group on the
 * VMM's ASID) it stops that queue only, else the whole device.
 */
static void __rte_cold
dp_fail_cvq(struct cvqsim_dev *dev)
{
	struct cvqsim_queue *q = &dev->queues[cvqsim_cvq_slot(dev)];

	if (cvqsim_iotlb_queue_isolated(dev, q))
		cvqsim_iotlb_fault(dev, q);
	else
		dp_fail(dev, &q->vq, q->vq.error);
}

static unsigned int
dp_ctrl_burst(struct cvqsim_dev *dev)
{
	struct cvqsim_vq *cvq = &dev->queues[cvqsim_cvq_slot(dev)].vq;
	struct cvqsim_chain *c = &dev->scratch->ctrl;
	unsigned int n = 0;
	uint32_t used;
	int ret;

	if (!cvq->ready || !dev->cvq_serve)
		return 0;
	while (n < CVQSIM_DP_BURST) {
		ret = cvqsim_vq_pop(cvq, c);
		if (ret == 0)
			break;
		if (unlikely(ret < 0)) {
			dp_fail_cvq(dev);
			return n;
		}
		n++;
		cvq->stats.packets++;
		used = dp_ctrl_request(dev, c);
		cvqsim_log_dirty_chain(dev, c, used, CVQSIM_LOG_DIRTY_CTRL);
		cvqsim_vq_push(cvq, c->head, used);
	}
	if (n > 0) {
		cvqsim_log_dirty_publish(dev, cvq);
		cvqsim_vq_notify(cvq);
	}
	return n;
}

unsigned int
cvqsim_dp_burst(struct cvqsim_dev *dev, bool data_queues)
{
	unsigned int work = 0;
	uint16_t pair;

	for (pair = 0; data_queues && pair < dev->conf.max_pairs && !dev->failed;
			pair++)
		work += dp_tx_burst(dev, pair);
	if (!dev->failed)
		work += dp_ctrl_burst(dev);
	if (!dev->failed)
		dp_coal_expire(dev);
	return work;
}
