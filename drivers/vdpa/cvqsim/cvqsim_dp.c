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

#include "cvqsim_csum.h"
#include "cvqsim_dev.h"
#include "cvqsim_dp.h"
#include "cvqsim_dp_priv.h"
#include "cvqsim_iov.h"
#include "cvqsim_log.h"
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
static int
dp_select_rxq(struct cvqsim_dev *dev, uint16_t pair, const uint8_t *peek,
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
	return dp_select_rxq(dev, pair, peek, peek_len, st,
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
 * With GUEST_CSUM, a frame the driver gets without NEEDS_CSUM has its
 * TCP/UDP checksum validated, as a NIC's receive checksum offload does:
 * right, it is delivered with DATA_VALID; wrong, without it, and counted
 * (rx_csum_bad). Returns whether it was wrong.
 */
static bool
dp_rx_csum_validate(const struct iovec *src, unsigned int nr_src,
		uint32_t src_start, uint32_t frame_len,
		struct virtio_net_hdr_v1_hash *rh)
{
	switch (cvqsim_csum_verify(src, nr_src, src_start, frame_len)) {
	case CVQSIM_CSUM_VALID:
		rh->hdr.flags |= VIRTIO_NET_HDR_F_DATA_VALID;
		return false;
	case CVQSIM_CSUM_BAD:
		return true;
	default:
		return false;
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
static int
dp_deliver_from(struct cvqsim_dev *dev, uint32_t hdr_len,
		const struct iovec *src, unsigned int nr_src, uint32_t src_start,
		const struct cvqsim_dp_tx_info *ti,
		const struct cvqsim_net_rx_steer *st, int slot)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct virtio_net_hdr_v1_hash rh;
	bool mrg = cvqsim_dp_has(dev, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int max_chains = mrg ? CVQSIM_DP_MAX_MRG : 1;
	struct cvqsim_vq *rxq = &dev->queues[slot].vq;
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
		csum_bad = dp_rx_csum_validate(src, nr_src, src_start,
			ti->frame_len, &rh);
	}
	cvqsim_buf_to_iov(cvqsim_chain_in_iov(&s->rx[0]), s->rx[0].nr_in, 0,
		&rh, hdr_len);
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

	return dp_deliver_from(dev, hdr_len, tx->iov, tx->nr_out, hdr_len, ti,
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

/*
 * Used-buffer notifications, with notification coalescing (NOTF_COAL,
 * VQ_NOTF_COAL): for each data vq, a notification is due once max_packets
 * used entries are pending or max_usecs have passed since the first of
 * them; with either parameter 0 after every burst (virtio 1.4
 * "Notifications Coalescing / Operation"). Entries are always published at
 * once; only the notification waits. Driver suppression still applies
 * (cvqsim_vq_notify). Timeouts are checked on every pass.
 */
/*
 * Notify the driver of queue q. A call fd whose write fails (a pipe or
 * socket whose reader is gone: EPIPE, the poll thread blocks SIGPIPE; a
 * closed fd) is counted in notify_errors; its first failure is logged.
 */
static void
dp_notify(struct cvqsim_dev *dev, struct cvqsim_queue *q)
{
	uint64_t failed = q->vq.stats.notify_errors;

	cvqsim_vq_notify(&q->vq);
	if (likely(q->vq.stats.notify_errors == failed) ||
			q->vq.callfd == q->notify_failed_fd)
		return;
	q->notify_failed_fd = q->vq.callfd;
	CVQSIM_DEV_LOG(ERR, dev, "vring %u: notification failed on call fd %d:"
		" %s (counted in notify_errors)", q->vq.index, q->vq.callfd,
		strerror(errno));
}

static void
dp_signal(struct cvqsim_dev *dev, uint16_t slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	uint64_t sent = q->vq.stats.notifies;

	q->coal_pending = 0;
	dp_notify(dev, q);
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

	struct cvqsim_vq *txq = &dev->queues[2 * pair + 1].vq;

	/* The fast path's TX frames: headers without GSO, checked. */
	txq->stats.packets += s->fast_tx_packets;
	txq->stats.bytes += s->fast_tx_bytes;
	s->tx_tally.packets += s->fast_tx_packets;
	s->tx_tally.bytes += s->fast_tx_bytes;
	s->tx_tally.needs_csum += s->fast_tx_needs_csum;
	s->tx_tally.csum_none += s->fast_tx_packets - s->fast_tx_needs_csum;
	cvqsim_net_count_tx_tally(&dev->net, pair, &s->tx_tally);
	if (s->fast_accepted != 0)
		cvqsim_net_count(&dev->net.stats.rx_filter[CVQSIM_NET_RX_ACCEPT],
			s->fast_accepted);
	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_net_count_rx_tally(&dev->net, s->touched_rx[i] / 2,
			&s->rx_tally[i]);
}

/*
 * One burst of TX queue `pair`: small chains on the fast path, any other
 * chain (cvqsim_vq_pop) on the general path, in ring order; the used
 * entries written together, one index store and one notification decision
 * per queue. Returns chains processed.
 */
static unsigned int
dp_tx_burst(struct cvqsim_dev *dev, uint16_t pair)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_vq *txq = &dev->queues[2 * pair + 1].vq;
	uint32_t hdr_len = cvqsim_dp_hdr_len(dev);
	unsigned int n = 0, i;
	bool fast;
	int ret;

	if (!dp_tx_active(dev, pair))
		return 0;
	/*
	 * While the frontend logs dirty pages (live migration) every chain
	 * takes the general path, whose guest writes are logged; so does every
	 * chain of a port-backed device (its frames go to the port), and of a
	 * driver with GUEST_CSUM (the device validates its frames' checksums).
	 */
	fast = cvqsim_dp_fast_path && !dev->log_dirty.on && dev->port == NULL &&
		!cvqsim_dp_guest_csum(dev);
	cvqsim_dp_fast_begin(dev, pair);
	while (n < CVQSIM_DP_BURST) {
		if (likely(fast)) {
			ret = cvqsim_vq_pop_burst(txq, s->txb, CVQSIM_DP_BURST - n);
			if (unlikely(ret < 0)) {
				cvqsim_dp_fast_flush(dev);
				cvqsim_dp_fail(dev, txq, txq->error);
				break;
			}
			n += cvqsim_dp_fast_tx(dev, pair, hdr_len, n,
				(unsigned int)ret);
			if (n == CVQSIM_DP_BURST || cvqsim_dev_failed(dev) ||
					!cvqsim_vq_known_avail(txq))
				break;
		}
		/* The next chain is not a small one: the general path. */
		cvqsim_dp_fast_flush(dev);
		ret = cvqsim_vq_pop(txq, &s->tx);
		if (ret == 0)
			break;
		if (unlikely(ret < 0)) {
			cvqsim_dp_fail(dev, txq, txq->error);
			break;
		}
		s->tx_heads[n++] = s->tx.head;
		if (unlikely(cvqsim_dp_deliver(dev, pair, hdr_len) < 0))
			break;
	}
	cvqsim_dp_fast_flush(dev);
	if (n == 0)
		return 0;
	if (dev->port != NULL)
		cvqsim_port_tx_flush(dev, pair);
	dp_burst_count(dev, pair);
	if (unlikely(cvqsim_dev_failed(dev)))
		return n;
	/* The device writes nothing into a TX chain. */
	cvqsim_vq_push_burst(txq, s->tx_heads, NULL, n);
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

	ret = cvqsim_ctrl_process(&dev->ctrl, c, &used);
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

	if (cvqsim_queue_isolated(dev, q))
		cvqsim_queue_fault(dev, q);
	else
		cvqsim_dp_fail(dev, &q->vq, q->vq.error);
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
		dp_notify(dev, &dev->queues[cvqsim_cvq_slot(dev)]);
	}
	return n;
}

/*
 * VF-parent mode, receive side: how many receive buffers the driver has
 * posted on the queues frames may be placed on, 0 before DRIVER_OK. The
 * port is polled only while there are some, and for at most that many
 * frames: like a NIC whose descriptors run out, it keeps (and, full,
 * drops and counts) what the driver has no room for.
 */
static unsigned int
dp_rx_room(struct cvqsim_dev *dev)
{
	unsigned int room = 0;
	uint16_t pair;

	/* Control-path fields (ctl_lock), stored atomically for this look. */
	if (!cvqsim_dev_configured(dev) ||
			(__atomic_load_n(&dev->status_proto, __ATOMIC_RELAXED) &&
			!(__atomic_load_n(&dev->driver_status, __ATOMIC_RELAXED) &
			VIRTIO_CONFIG_S_DRIVER_OK)))
		return 0;
	for (pair = 0; pair < dev->net.state.curr_queue_pairs; pair++) {
		int n;

		if (!cvqsim_dp_rx_active(dev, pair))
			continue;
		n = cvqsim_vq_avail_count(&dev->queues[2 * pair].vq);
		if (n > 0)
			room += (unsigned int)n;
	}
	return room;
}

/*
 * One frame from the port, arrived on port queue `queue`: 0 placed, 1
 * dropped (filter, queue not in use, no buffer, over the MTU), -EIO when a
 * receive ring was malformed (the device stopped).
 */
static int
dp_port_frame(struct cvqsim_dev *dev, uint16_t queue,
		const struct cvqsim_port_frame *f)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	uint16_t pairs = RTE_MAX(dev->net.state.curr_queue_pairs, (uint16_t)1);
	struct cvqsim_net_rx_steer st;
	struct cvqsim_dp_tx_info ti;
	uint64_t drops = 0;
	uint32_t peek;
	int slot;

	/* The MTU binds frames from the port as it binds the driver's. */
	if (unlikely(cvqsim_dp_has(dev, VIRTIO_NET_F_MTU) &&
			f->len > (uint32_t)dev->conf.mtu + RTE_ETHER_HDR_LEN +
			RTE_VLAN_HLEN))
		return 1;
	memset(&ti, 0, sizeof(ti));
	ti.frame_len = f->len;
	peek = (uint32_t)cvqsim_iov_to_buf(f->iov, f->nr, 0, s->peek,
		RTE_MIN(f->len, (uint32_t)sizeof(s->peek)));
	/* Automatic steering: port queue q stands for queue pair q. */
	slot = dp_select_rxq(dev, (uint16_t)(queue % pairs), s->peek, peek, &st,
		&drops);
	if (slot < 0)
		return 1;
	return dp_deliver_from(dev, cvqsim_dp_hdr_len(dev), f->iov, f->nr, 0,
		&ti, &st, slot);
}

/* Used entries and notifications of the RX queues a burst touched. */
static void
dp_rx_publish(struct cvqsim_dev *dev)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	unsigned int i;

	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_net_count_rx_tally(&dev->net, s->touched_rx[i] / 2,
			&s->rx_tally[i]);
	if (unlikely(cvqsim_dev_failed(dev)))
		return;
	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_log_dirty_publish(dev, &dev->queues[s->touched_rx[i]].vq);
	for (i = 0; i < s->nr_touched_rx; i++)
		dp_used_published(dev, s->touched_rx[i], s->touched_frames[i]);
}

/* A burst of every port queue in use into the driver's receive queues. */
static unsigned int
dp_port_rx(struct cvqsim_dev *dev)
{
	struct cvqsim_port_frame frames[CVQSIM_DP_BURST];
	unsigned int total = 0, n, i, dropped, room;
	uint16_t q, nq;

	room = dp_rx_room(dev);
	nq = cvqsim_port_rx_queues(dev);
	for (q = 0; q < nq && room > 0 && !cvqsim_dev_failed(dev); q++) {
		n = cvqsim_port_rx_burst(dev, q, frames,
			RTE_MIN(room, (unsigned int)RTE_DIM(frames)));
		room -= n;
		if (n == 0)
			continue;
		dev->scratch->nr_touched_rx = 0;
		dropped = 0;
		for (i = 0; i < n; i++) {
			int ret = cvqsim_dev_failed(dev) ? 1 : dp_port_frame(dev, q, &frames[i]);

			if (ret != 0)
				dropped++;
		}
		dp_rx_publish(dev);
		cvqsim_port_rx_release(dev, dropped);
		total += n;
	}
	return total;
}

unsigned int
cvqsim_dp_burst(struct cvqsim_dev *dev, bool data_queues)
{
	unsigned int work = 0;
	uint16_t pair;

	if (dev->port != NULL && data_queues) {
		if (cvqsim_port_link_poll(dev))
			dev->config_change = true;
		work += dp_port_rx(dev);
	}

	for (pair = 0; data_queues && pair < dev->conf.max_pairs &&
			!cvqsim_dev_failed(dev); pair++)
		work += dp_tx_burst(dev, pair);
	if (!cvqsim_dev_failed(dev))
		work += dp_ctrl_burst(dev);
	if (!cvqsim_dev_failed(dev))
		dp_coal_expire(dev);
	return work;
}
