/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The poll loop and the datapath.
 *
 * One pass over a device, with poll_lock held: for every queue pair whose
 * TX queue is served, pop a burst of TX chains and deliver each frame to
 * the RX queue dp_select_rxq() picks (the loopback: the same pair), with one
 * copy from the TX buffers into the RX buffers and no mbufs; then serve the
 * control queue. Used entries are flushed and the driver notified once per
 * burst and queue.
 *
 * Who runs the passes (devarg poll=):
 * - thread:   a thread of the driver busy-polls while any queue is served;
 * - service:  an rte_service component; the application maps it to a
 *             service lcore (service name = device name);
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
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_service_component.h>
#include <rte_string_fns.h>
#include <rte_thread.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"

#define BIT64(n) (UINT64_C(1) << (n))

/* Adaptive mode: idle passes before sleeping, and the longest sleep. */
#define DP_ADAPTIVE_IDLE_PASSES	2048
#define DP_SLEEP_MS		1000
/* Idle wait (no queue served) before re-checking the stop flag. */
#define DP_IDLE_WAIT_MS		200

/* The virtio-net header both directions carry, per the negotiated features. */
static inline uint32_t
dp_hdr_len(const struct cvqsim_dev *dev)
{
	if (dev->negotiated & (BIT64(VIRTIO_F_VERSION_1) |
			BIT64(VIRTIO_NET_F_MRG_RXBUF)))
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
		memcpy((char *)dst[d].iov_base + dst_off,
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
 * HOOK (receive filter and steering): the slot of the RX queue that gets a
 * frame sent on TX queue of `pair`, or -1 to drop it. The frame starts at
 * byte hdr_len of tx's readable iovecs. The loopback delivers on the same
 * pair; the device model's filter, multiqueue and RSS steering replace this.
 */
static int
dp_select_rxq(struct cvqsim_dev *dev, uint16_t pair,
		const struct cvqsim_chain *tx, uint32_t hdr_len)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(tx);
	RTE_SET_USED(hdr_len);
	return 2 * pair;
}

static void
dp_touch_rx(struct cvqsim_dp_scratch *s, uint16_t slot)
{
	unsigned int i;

	for (i = 0; i < s->nr_touched_rx; i++)
		if (s->touched_rx[i] == slot)
			return;
	if (s->nr_touched_rx < RTE_DIM(s->touched_rx))
		s->touched_rx[s->nr_touched_rx++] = slot;
}

/*
 * Deliver the frame in s->tx to an RX queue: pop as many RX chains as the
 * frame needs (several with MRG_RXBUF), write the header and copy the frame.
 * No buffer, too little room or a stopped queue: the frame is dropped and
 * counted on that RX queue; TX never waits for RX.
 * Returns 0, or -EIO when the RX ring was malformed (device stopped).
 */
static int
dp_deliver(struct cvqsim_dev *dev, uint16_t pair, uint32_t hdr_len)
{
	struct cvqsim_dp_scratch *s = dev->scratch;
	struct cvqsim_vq *txq = &dev->queues[2 * pair + 1].vq;
	struct cvqsim_chain *tx = &s->tx;
	struct virtio_net_hdr_mrg_rxbuf hdr;
	bool mrg = dev->negotiated & BIT64(VIRTIO_NET_F_MRG_RXBUF);
	unsigned int max_chains = mrg ? CVQSIM_DP_MAX_MRG : 1;
	uint32_t frame_len, need, src_off, j;
	uint64_t have = 0;
	uint16_t popped = 0;
	struct cvqsim_vq *rxq;
	int slot, ret;

	if (unlikely(tx->out_len < hdr_len)) {
		/* A frame without its header: drop it, the ring itself is fine. */
		txq->stats.drops++;
		return 0;
	}
	frame_len = tx->out_len - hdr_len;
	txq->stats.packets++;
	txq->stats.bytes += frame_len;

	slot = dp_select_rxq(dev, pair, tx, hdr_len);
	if (slot < 0) {
		txq->stats.drops++;
		return 0;
	}
	rxq = &dev->queues[slot].vq;
	if (unlikely(!rxq->ready)) {
		rxq->stats.drops++;
		return 0;
	}

	need = hdr_len + frame_len;
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
		return 0;
	}

	/* No offloads are negotiated: a clean header, num_buffers for MRG. */
	memset(&hdr, 0, sizeof(hdr));
	hdr.hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	hdr.num_buffers = rte_cpu_to_le_16(popped);
	cvqsim_buf_to_iov(cvqsim_chain_in_iov(&s->rx[0]), s->rx[0].nr_in, 0,
		&hdr, hdr_len);

	src_off = hdr_len;
	for (j = 0; j < popped; j++) {
		struct cvqsim_chain *rx = &s->rx[j];
		uint32_t off = j == 0 ? hdr_len : 0;
		uint32_t n = RTE_MIN(rx->in_len - off, need - src_off);

		dp_iov_copy(cvqsim_chain_in_iov(rx), rx->nr_in, off,
			tx->iov, tx->nr_out, src_off, n);
		src_off += n;
		cvqsim_vq_push(rxq, rx->head, off + n);
	}
	rxq->stats.packets++;
	rxq->stats.bytes += frame_len;
	dp_touch_rx(s, (uint16_t)slot);
	return 0;
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

	if (!txq->ready)
		return 0;
	s->nr_touched_rx = 0;
	while (n < CVQSIM_DP_BURST) {
		ret = cvqsim_vq_pop(txq, &s->tx);
		if (ret == 0)
			break;
		if (unlikely(ret < 0)) {
			dp_fail(dev, txq, txq->error);
			return n;
		}
		n++;
		if (unlikely(dp_deliver(dev, pair, hdr_len) < 0))
			return n;
		/* The device writes nothing into a TX chain. */
		cvqsim_vq_push(txq, s->tx.head, 0);
	}
	if (n == 0)
		return 0;
	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_vq_flush(&dev->queues[s->touched_rx[i]].vq);
	cvqsim_vq_flush(txq);
	for (i = 0; i < s->nr_touched_rx; i++)
		cvqsim_vq_notify(&dev->queues[s->touched_rx[i]].vq);
	cvqsim_vq_notify(txq);
	return n;
}

/*
 * HOOK (control queue): handle one control request and return the number
 * of bytes written into its writable part (the ack is its last byte), or a
 * negative errno when the request is malformed (the device stops, as QEMU
 * marks the device broken).
 *
 * Until the control-queue decoder is integrated, every command is answered
 * VIRTIO_NET_ERR, which is what a device that does not implement a command
 * must reply.
 */
static int
dp_ctrl_request(struct cvqsim_dev *dev, struct cvqsim_chain *c)
{
	uint8_t ack = VIRTIO_NET_ERR;

	RTE_SET_USED(dev);
	if (c->out_len < sizeof(struct virtio_net_ctrl_hdr) || c->in_len < 1)
		return -EINVAL;
	cvqsim_buf_to_iov(cvqsim_chain_in_iov(c), c->nr_in, c->in_len - 1,
		&ack, 1);
	return 1;
}

static unsigned int
dp_ctrl_burst(struct cvqsim_dev *dev)
{
	struct cvqsim_vq *cvq = &dev->queues[cvqsim_cvq_slot(dev)].vq;
	struct cvqsim_chain *c = &dev->scratch->ctrl;
	unsigned int n = 0;
	int ret;

	if (!cvq->ready)
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
		ret = dp_ctrl_request(dev, c);
		if (unlikely(ret < 0)) {
			dp_fail_vq(dev, cvq, "control request without header or ack"
				" byte");
			return n;
		}
		cvq->stats.packets++;
		cvqsim_vq_push(cvq, c->head, (uint32_t)ret);
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
	int ret = -1;

	CVQSIM_DEV_LOG(ERR, dev, "device stopped (NEEDS_RESET): %s", failure);
	if (vid >= 0)
		ret = rte_vhost_slave_config_change(vid, false);
	if (ret != 0)
		CVQSIM_DEV_LOG(DEBUG, dev, "no config-change message sent"
			" (needs the SLAVE_REQ and CONFIG protocol features)");
}

unsigned int
cvqsim_dp_poll(struct cvqsim_dev *dev)
{
	char failure[sizeof(dev->failure)];
	unsigned int work = 0;
	bool was_failed;
	uint16_t pair;
	int vid;

	rte_spinlock_lock(&dev->poll_lock);
	was_failed = dev->failed;
	for (pair = 0; pair < dev->conf.max_pairs && !dev->failed; pair++)
		work += dp_tx_burst(dev, pair);
	if (!dev->failed)
		work += dp_ctrl_burst(dev);
	dev->poller.passes++;
	if (dev->failed && !was_failed) {
		memcpy(failure, dev->failure, sizeof(failure));
		vid = dev->vid;
		rte_spinlock_unlock(&dev->poll_lock);
		dp_report_failure(dev, failure, vid);
		return work;
	}
	rte_spinlock_unlock(&dev->poll_lock);
	return work;
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

/*
 * Adaptive mode: enable the kicks of the queues that bring work (TX queues
 * and the control queue; RX buffers alone never make work for a loopback),
 * re-check their rings, and sleep until a kick or a wake-up.
 */
static void
dp_sleep_on_kicks(struct cvqsim_dev *dev)
{
	struct pollfd pfd[2 * CVQSIM_MAX_QUEUE_PAIRS + 2];
	uint16_t slot_of[RTE_DIM(pfd)];
	unsigned int n = 0, i;
	bool pending = false;
	uint16_t q;

	rte_spinlock_lock(&dev->poll_lock);
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
		if (poll(pfd, n + 1, DP_SLEEP_MS) > 0 && (pfd[n].revents & POLLIN))
			dp_drain_wake(dev);
		dev->poller.sleeps++;
	} else {
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;
	}

	rte_spinlock_lock(&dev->poll_lock);
	for (i = 0; i < n; i++) {
		struct cvqsim_vq *vq = &dev->queues[slot_of[i]].vq;

		/* The queue may have been replaced while we slept. */
		if (!vq->ready || vq->kickfd != pfd[i].fd)
			continue;
		cvqsim_vq_enable_kick(vq, false);
		if (pfd[i].revents & POLLIN)
			cvqsim_vq_drain_kick(vq);
	}
	rte_spinlock_unlock(&dev->poll_lock);
}

/* No queue served: wait for the control path to change that. */
static void
dp_idle_wait(struct cvqsim_dev *dev)
{
	struct pollfd pfd = { .fd = dev->poller.wake_fd, .events = POLLIN };

	if (poll(&pfd, 1, DP_IDLE_WAIT_MS) > 0)
		dp_drain_wake(dev);
}

static void *
dp_thread_main(void *arg)
{
	struct cvqsim_dev *dev = arg;
	bool adaptive = dev->poller.mode == CVQSIM_POLL_ADAPTIVE;
	unsigned int idle = 0;

	while (!dp_should_stop(dev)) {
		if (cvqsim_dp_poll(dev) > 0) {
			idle = 0;
			continue;
		}
		if (dp_count_ready(dev) == 0) {
			dp_idle_wait(dev);
			continue;
		}
		if (adaptive && ++idle >= DP_ADAPTIVE_IDLE_PASSES) {
			dp_sleep_on_kicks(dev);
			idle = 0;
			continue;
		}
		rte_pause();
	}
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
	rte_cpuset_t cpus;
	int ret;

	snprintf(name, sizeof(name), "cvqsim-poll%u", dev->index);
	ret = rte_ctrl_thread_create(&dev->poller.thread, name, NULL,
		dp_thread_main, dev);
	if (ret != 0)
		return -ret;
	dev->poller.thread_running = true;
	if (dev->conf.cpu < 0)
		return 0;
	CPU_ZERO(&cpus);
	CPU_SET(dev->conf.cpu, &cpus);
	ret = pthread_setaffinity_np(dev->poller.thread, sizeof(cpus), &cpus);
	if (ret != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "devarg cpu=%d: cannot pin the poll thread"
			" there: %s", dev->conf.cpu, strerror(ret));
		return -ret;
	}
	return 0;
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

	dev->poller.mode = dev->conf.poll;
	dev->poller.stop = false;
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
