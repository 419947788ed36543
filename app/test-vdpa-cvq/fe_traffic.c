/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Data queues of the frontend: TX from frame streams, RX buffers on every
 * created receive queue (mergeable or not, as negotiated), reassembly of
 * mergeable frames, per-queue counters and optional content checks.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe_traffic.h"
#include "fe_vu.h"

/* Kick the TX queue at least this often while filling it. */
#define TX_KICK_BATCH	32

int
fe_traffic_setup(struct fe_dev *dev)
{
	uint16_t i, j;

	for (i = 0; i < dev->nr_pairs; i++) {
		struct fe_pair *p = &dev->pairs[i];

		p->tx_bufs = drv_mem_alloc(&dev->mem,
			(uint64_t)dev->ring_size * dev->tx_slot_len, 64);
		p->rx_bufs = drv_mem_alloc(&dev->mem,
			(uint64_t)dev->ring_size * dev->rx_buf_len, 64);
		p->tx_free = calloc(dev->ring_size, sizeof(*p->tx_free));
		p->asm_buf = malloc(FRAME_MAX_LEN);
		p->last_buf = malloc(FRAME_MAX_LEN);
		if (p->tx_bufs == NULL || p->rx_bufs == NULL ||
				p->tx_free == NULL || p->asm_buf == NULL ||
				p->last_buf == NULL)
			return -ENOMEM;
		for (j = 0; j < dev->ring_size; j++)
			p->tx_free[j] = (uint16_t)(dev->ring_size - 1 - j);
		p->tx_nfree = dev->ring_size;
	}
	return 0;
}

void
fe_traffic_free(struct fe_dev *dev)
{
	uint16_t i;

	if (dev->pairs == NULL)
		return;
	for (i = 0; i < dev->nr_pairs; i++) {
		free(dev->pairs[i].tx_free);
		free(dev->pairs[i].asm_buf);
		free(dev->pairs[i].last_buf);
		dev->pairs[i].tx_free = NULL;
		dev->pairs[i].asm_buf = NULL;
		dev->pairs[i].last_buf = NULL;
	}
}

void
fe_traffic_forget(struct fe_dev *dev)
{
	uint16_t i;

	if (dev->pairs == NULL)
		return;
	for (i = 0; i < dev->nr_pairs; i++) {
		dev->pairs[i].asm_left = 0;
		dev->pairs[i].asm_len = 0;
		dev->pairs[i].have_seq = false;
	}
}

static int
post_rx_buf(struct fe_dev *dev, struct fe_pair *p, uint16_t idx)
{
	struct drv_buf b = {
		.va = p->rx_bufs + (size_t)idx * dev->rx_buf_len,
		.len = dev->rx_buf_len,
		.writable = true,
	};

	return drv_vq_add(&p->rx, &b, 1, false, (void *)(uintptr_t)(idx + 1u));
}

void
fe_traffic_post_rx(struct fe_dev *dev)
{
	uint16_t i, j;

	for (i = 0; i < dev->nr_pairs; i++) {
		struct fe_pair *p = &dev->pairs[i];

		for (j = 0; j < dev->ring_size; j++)
			if (post_rx_buf(dev, p, j) < 0)
				break;
		/* We poll the data queues: no interrupts wanted. */
		drv_vq_enable_interrupts(&p->rx, false);
		drv_vq_enable_interrupts(&p->tx, false);
		drv_vq_publish(&p->rx);
	}
}

static int
pair_ready(struct fe_dev *dev, uint16_t q)
{
	if (!dev->rings_built)
		return fe_err(dev, -EINVAL, "device not started");
	if (q >= dev->nr_pairs)
		return fe_err(dev, -EINVAL, "queue %u: only %u pairs", q,
			dev->nr_pairs);
	return 0;
}

int
fe_tx_reclaim(struct fe_dev *dev, struct fe_pair *p)
{
	void *cookie;
	uint32_t len;
	int n = 0, ret;

	for (;;) {
		ret = drv_vq_get_used(&p->tx, &cookie, &len);
		if (ret < 0)
			return fe_err(dev, ret, "%s", p->tx.err);
		if (ret == 0)
			return n;
		p->tx_free[p->tx_nfree++] = (uint16_t)((uintptr_t)cookie - 1);
		p->st.tx_done++;
		n++;
	}
}

/* A free TX slot, waiting (kicking) up to ctrl_timeout_ms for one. */
static int
tx_slot(struct fe_dev *dev, struct fe_pair *p, uint16_t *slot)
{
	uint64_t deadline = 0;
	int ret;

	for (;;) {
		if (p->tx_nfree == 0) {
			ret = fe_tx_reclaim(dev, p);
			if (ret < 0)
				return ret;
		}
		if (p->tx_nfree > 0) {
			*slot = p->tx_free[--p->tx_nfree];
			return 0;
		}
		if (deadline == 0) {
			drv_vq_kick(&p->tx);
			deadline = fe_now_ns() +
				(uint64_t)dev->cfg.ctrl_timeout_ms * 1000000ULL;
		} else if (fe_now_ns() >= deadline) {
			p->st.tx_full++;
			return fe_err(dev, -ETIMEDOUT,
				"tx queue %u: ring full, no completion in %u ms",
				p->tx.index / 2, dev->cfg.ctrl_timeout_ms);
		}
		if (fe_sock_dead(dev))
			return fe_err(dev, -ECONNRESET,
				"backend closed the connection during tx");
		fe_idle();
	}
}

static int
tx_add(struct fe_dev *dev, struct fe_pair *p, uint16_t slot, uint32_t flen)
{
	struct drv_buf b = {
		.va = p->tx_bufs + (size_t)slot * dev->tx_slot_len,
		.len = dev->hdr_len + flen,
		.writable = false,
	};
	int ret;

	ret = drv_vq_add(&p->tx, &b, 1, false, (void *)(uintptr_t)(slot + 1u));
	if (ret < 0) {
		p->tx_free[p->tx_nfree++] = slot;
		return fe_err(dev, ret, "tx: %s", p->tx.err);
	}
	p->st.tx_pkts++;
	p->st.tx_bytes += flen;
	return 0;
}

int
fe_tx(struct fe_dev *dev, uint16_t q, const struct frame_spec *spec,
		uint32_t n)
{
	struct fe_pair *p;
	uint32_t i, flen, sent = 0;
	uint16_t slot;
	int ret;

	ret = pair_ready(dev, q);
	if (ret < 0)
		return ret;
	p = &dev->pairs[q];
	if (n == 0)
		n = spec->count;
	flen = frame_len(spec);
	if (flen + dev->hdr_len > dev->tx_slot_len)
		return fe_err(dev, -EMSGSIZE, "frame of %u bytes over the %u-byte limit",
			flen, dev->tx_slot_len - dev->hdr_len);
	for (i = 0; i < n; i++) {
		uint8_t *buf;

		ret = tx_slot(dev, p, &slot);
		if (ret < 0)
			break;
		buf = p->tx_bufs + (size_t)slot * dev->tx_slot_len;
		memset(buf, 0, dev->hdr_len);
		if (frame_build(spec, dev->tx_seq, buf + dev->hdr_len,
				dev->tx_slot_len - dev->hdr_len) != flen) {
			p->tx_free[p->tx_nfree++] = slot;
			ret = fe_err(dev, -EINVAL, "invalid frame spec");
			break;
		}
		ret = tx_add(dev, p, slot, flen);
		if (ret < 0)
			break;
		dev->tx_seq++;
		sent++;
		if (sent % TX_KICK_BATCH == 0)
			drv_vq_kick(&p->tx);
	}
	drv_vq_kick(&p->tx);
	if (sent == 0 && ret < 0)
		return ret;
	return (int)sent;
}

int
fe_tx_frame(struct fe_dev *dev, uint16_t q, const void *frame, uint32_t len,
		const struct virtio_net_hdr_v1 *hdr)
{
	struct fe_pair *p;
	uint16_t slot;
	uint8_t *buf;
	int ret;

	ret = pair_ready(dev, q);
	if (ret < 0)
		return ret;
	p = &dev->pairs[q];
	if (len + dev->hdr_len > dev->tx_slot_len)
		return fe_err(dev, -EMSGSIZE, "frame of %u bytes over the %u-byte limit",
			len, dev->tx_slot_len - dev->hdr_len);
	ret = tx_slot(dev, p, &slot);
	if (ret < 0)
		return ret;
	buf = p->tx_bufs + (size_t)slot * dev->tx_slot_len;
	memset(buf, 0, dev->hdr_len);
	if (hdr != NULL)
		memcpy(buf, hdr, sizeof(*hdr));
	memcpy(buf + dev->hdr_len, frame, len);
	ret = tx_add(dev, p, slot, len);
	if (ret < 0)
		return ret;
	drv_vq_kick(&p->tx);
	return 1;
}

static void
deliver(struct fe_dev *dev, struct fe_pair *p, uint16_t q, fe_rx_cb cb,
		void *arg)
{
	struct fe_rx_pkt pkt;
	char err[128];

	memset(&pkt, 0, sizeof(pkt));
	pkt.queue = q;
	pkt.data = p->asm_buf;
	pkt.len = p->asm_len;
	pkt.hdr = p->asm_hdr;
	pkt.num_buffers = p->asm_nbuf;
	pkt.check = 1;
	frame_parse(pkt.data, pkt.len, &pkt.info);

	p->st.rx_pkts++;
	p->st.rx_bytes += pkt.len;
	if (pkt.num_buffers > 1)
		p->st.rx_merged++;
	if (dev->hdr_len >= sizeof(struct virtio_net_hdr_v1_hash) &&
			pkt.hdr.hash_report != 0)
		p->st.rx_hash_reported++;
	if (pkt.info.has_tag) {
		if (p->have_seq && pkt.info.seq < p->last_seq)
			p->st.rx_out_of_order++;
		p->last_seq = pkt.info.seq;
		p->have_seq = true;
	}
	if (dev->check_on) {
		pkt.check = frame_check(&dev->check, pkt.data, pkt.len, NULL,
			err, sizeof(err));
		if (pkt.check == 0)
			p->st.rx_check_ok++;
		else
			p->st.rx_check_bad++;
	}
	memcpy(p->last_buf, pkt.data, pkt.len);
	p->last = pkt;
	p->last.data = p->last_buf;
	p->have_last = true;
	if (cb != NULL)
		cb(&pkt, arg);
}

/* Start or continue a frame with one used RX buffer; false if it is bad. */
static bool
gather(struct fe_dev *dev, struct fe_pair *p, const uint8_t *buf,
		uint32_t len)
{
	uint32_t data_off = 0;

	if (len > dev->rx_buf_len)
		return false;
	if (p->asm_left == 0) {
		uint16_t nb = 1;

		if (len < dev->hdr_len)
			return false;
		memset(&p->asm_hdr, 0, sizeof(p->asm_hdr));
		memcpy(&p->asm_hdr, buf, dev->hdr_len);
		if (dev->mrg) {
			nb = p->asm_hdr.hdr.num_buffers;
			if (nb == 0 || nb > dev->ring_size)
				return false;
		}
		p->asm_nbuf = nb;
		p->asm_left = nb;
		p->asm_len = 0;
		data_off = dev->hdr_len;
	}
	if (p->asm_len + (len - data_off) > FRAME_MAX_LEN)
		return false;
	memcpy(p->asm_buf + p->asm_len, buf + data_off, len - data_off);
	p->asm_len += len - data_off;
	p->asm_left--;
	return true;
}

int
fe_rx_poll(struct fe_dev *dev, uint16_t q, unsigned int max, fe_rx_cb cb,
		void *arg)
{
	struct fe_pair *p;
	unsigned int n = 0, reposted = 0;
	void *cookie;
	uint32_t len;
	int ret;

	ret = pair_ready(dev, q);
	if (ret < 0)
		return ret;
	p = &dev->pairs[q];
	while (max == 0 || n < max) {
		uint16_t idx;

		ret = drv_vq_get_used(&p->rx, &cookie, &len);
		if (ret < 0) {
			p->st.rx_bad_hdr++;
			fe_err(dev, ret, "rx: %s", p->rx.err);
			break;
		}
		if (ret == 0)
			break;
		idx = (uint16_t)((uintptr_t)cookie - 1);
		p->st.rx_bufs++;
		if (!gather(dev, p, p->rx_bufs + (size_t)idx * dev->rx_buf_len,
				len)) {
			p->st.rx_bad_hdr++;
			p->asm_left = 0;
		} else if (p->asm_left == 0) {
			deliver(dev, p, q, cb, arg);
			n++;
		}
		if (post_rx_buf(dev, p, idx) == 0)
			reposted++;
	}
	if (reposted > 0)
		drv_vq_kick(&p->rx);
	if (ret < 0 && n == 0)
		return ret;
	return (int)n;
}

int
fe_rx_drain(struct fe_dev *dev, uint32_t quiet_ms, uint32_t timeout_ms,
		fe_rx_cb cb, void *arg)
{
	uint64_t start = fe_now_ns(), last = start, now;
	int total = 0, got, ret;
	uint16_t q;

	if (!dev->rings_built)
		return fe_err(dev, -EINVAL, "device not started");
	for (;;) {
		got = 0;
		for (q = 0; q < dev->nr_pairs; q++) {
			ret = fe_rx_poll(dev, q, 0, cb, arg);
			if (ret < 0)
				return ret;
			got += ret;
			ret = fe_tx_reclaim(dev, &dev->pairs[q]);
			if (ret < 0)
				return ret;
		}
		total += got;
		now = fe_now_ns();
		if (got > 0)
			last = now;
		else if (now - last >= (uint64_t)quiet_ms * 1000000ULL)
			break;
		if (now - start >= (uint64_t)timeout_ms * 1000000ULL)
			break;
		if (got == 0)
			fe_idle();
	}
	return total;
}

void
fe_rx_set_check(struct fe_dev *dev, const struct frame_spec *spec)
{
	dev->check_on = spec != NULL;
	if (spec != NULL)
		dev->check = *spec;
}

int
fe_rx_last(const struct fe_dev *dev, uint16_t q, struct fe_rx_pkt *pkt)
{
	if (dev->pairs == NULL || q >= dev->nr_pairs)
		return -EINVAL;
	if (!dev->pairs[q].have_last)
		return -ENOENT;
	*pkt = dev->pairs[q].last;
	return 0;
}

int
fe_stats_get(const struct fe_dev *dev, uint16_t q, struct fe_q_stats *st)
{
	if (dev->pairs == NULL || q >= dev->nr_pairs)
		return -EINVAL;
	*st = dev->pairs[q].st;
	return 0;
}

int
fe_stats_total(const struct fe_dev *dev, struct fe_q_stats *st)
{
	uint64_t *dst = (uint64_t *)st;
	size_t k, nfields = sizeof(*st) / sizeof(uint64_t);
	uint16_t q;

	memset(st, 0, sizeof(*st));
	if (dev->pairs == NULL)
		return -EINVAL;
	for (q = 0; q < dev->nr_pairs; q++) {
		const uint64_t *src = (const uint64_t *)&dev->pairs[q].st;

		for (k = 0; k < nfields; k++)
			dst[k] += src[k];
	}
	return 0;
}

void
fe_stats_reset(struct fe_dev *dev)
{
	uint16_t q;

	if (dev->pairs == NULL)
		return;
	for (q = 0; q < dev->nr_pairs; q++) {
		memset(&dev->pairs[q].st, 0, sizeof(dev->pairs[q].st));
		dev->pairs[q].have_seq = false;
	}
}
