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
 * This file is the burst loop; each frame's delivery is in
 * cvqsim_dp_fast.c (small chains) and cvqsim_dp_deliver.c (the general
 * path, below both: cvqsim_dp_priv.h).
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
#include "cvqsim_dp_deliver.h"
#include "cvqsim_dp_fast.h"
#include "cvqsim_dp_frame.h"
#include "cvqsim_iov.h"
#include "cvqsim_log.h"
#include "cvqsim_log_dirty.h"

/* A transmit pair whose frames are taken: in use, enabled and served. */
static bool
dp_tx_active(const struct cvqsim_dev *dev, uint16_t pair)
{
	return pair < dev->net.state.curr_queue_pairs &&
		cvqsim_net_vq_enabled(&dev->net, (uint16_t)(2 * pair + 1)) &&
		dev->queues[2 * pair + 1].vq.ready;
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
	/* dp_deliver_plain's frames: sent, and accepted by the filter. */
	s->fast_tx_packets += s->fast_plain;
	s->fast_accepted += s->fast_plain;
	txq->stats.packets += s->fast_tx_packets;
	txq->stats.bytes += s->fast_tx_bytes;
	s->tx_tally.packets += s->fast_tx_packets;
	s->tx_tally.bytes += s->fast_tx_bytes;
	/* NEEDS_CSUM frames: only with GUEST_CSUM (cvqsim_dp_fast.c). */
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
	 * chain of a port-backed device (its frames go to the port).
	 */
	fast = cvqsim_dp_fast_path && !dev->log_dirty.on && dev->port == NULL;
	cvqsim_dp_fast_begin(dev, pair);
	while (n < CVQSIM_DP_BURST) {
		if (likely(fast)) {
			ret = cvqsim_vq_pop_burst(txq, s->txb, CVQSIM_DP_BURST - n);
			if (unlikely(ret < 0)) {
				cvqsim_dp_fast_flush(dev);
				cvqsim_dp_fail(dev, txq, txq->error);
				break;
			}
			if (ret > 0) {
				n += cvqsim_dp_fast_tx(dev, pair, hdr_len, n,
					(unsigned int)ret);
				if (n == CVQSIM_DP_BURST || cvqsim_dev_failed(dev))
					break;
				/*
				 * Pop again, as the general path pops until the
				 * burst is full: once the known entries are
				 * taken it reads the index again, and a driver
				 * that moved it beyond the ring is caught in
				 * this burst by both.
				 */
				continue;
			}
			/* Empty (the index was read), or not a small chain. */
			if (!cvqsim_vq_known_avail(txq))
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
	slot = cvqsim_dp_steer(dev, (uint16_t)(queue % pairs), s->peek, peek, &st,
		&drops);
	if (slot < 0)
		return 1;
	return cvqsim_dp_deliver_from(dev, cvqsim_dp_hdr_len(dev), f->iov, f->nr, 0,
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
