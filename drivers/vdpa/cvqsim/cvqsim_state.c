/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Device state <-> virtio 1.4 device parts; see cvqsim_state.h for the
 * format. Sections: byte helpers, the control configurations that differ
 * from reset (shared by save and replay), save, restore, replay.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <rte_bitops.h>
#include <rte_hash_crc.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_state.h"
#include "cvqsim_state_priv.h"

#define NO_VECTOR		0xffff
#define VLAN_TABLE_LEN		CVQSIM_STATE_VLAN_TABLE_LEN
#define VQ_CFG_LEN		CVQSIM_STATE_VQ_CFG_LEN
#define NET_CONFIG_LEN		CVQSIM_STATE_NET_CONFIG_LEN
#define DATA_VQS		CVQSIM_STATE_DATA_VQS
#define RXQ_COUNTERS		CVQSIM_STATE_RXQ_COUNTERS
#define TXQ_COUNTERS		CVQSIM_STATE_TXQ_COUNTERS

static inline bool
has_feature(const struct cvqsim_net_state *st, unsigned int bit)
{
	return (st->features & RTE_BIT64(bit)) != 0;
}

static inline bool
vq_bit(const struct cvqsim_net_state *st, uint32_t vq_index)
{
	return (st->vq_enabled[vq_index / 64] & RTE_BIT64(vq_index % 64)) != 0;
}

static inline bool
coal_equal(const struct rte_pmd_cvqsim_net_coal *a,
		const struct rte_pmd_cvqsim_net_coal *b)
{
	return a->max_packets == b->max_packets && a->max_usecs == b->max_usecs;
}

/* The value a data queue's coalescing holds unless VQ_SET changed it. */
static inline const struct rte_pmd_cvqsim_net_coal *
coal_default(const struct cvqsim_net_state *st, uint32_t vq_index)
{
	return (vq_index & 1) ? &st->coal_tx : &st->coal_rx;
}

/*
 * Control configurations that differ from reset, in QEMU's restore order.
 * One callback per command; the VLAN table comes as one VLAN_ADD whose data
 * is the whole 512-byte table (the spec's part), which replay expands.
 * extra: also what the spec has no part for (GUEST_OFFLOADS_SET in QEMU's
 * place, NOTF_COAL and HASH_TUNNEL_SET at the end) - the replay list.
 */

typedef int (*cfg_emit_t)(void *arg, uint8_t cls, uint8_t cmd,
		const uint8_t *data, uint32_t len);

struct cfg_ctx {
	const struct cvqsim_net *net;
	const struct cvqsim_net_state *st;
	cfg_emit_t emit;
	void *arg;
	uint8_t *scratch;	/* room for the largest command */
};

#define CFG_SCRATCH_LEN		CVQSIM_CTRL_MAX_REQ

static int
cfg_mac(struct cfg_ctx *c)
{
	const struct cvqsim_net_state *st = c->st;
	uint32_t cap = st->mac_table_capacity, n_uc, n_mc, i;
	uint8_t *p = c->scratch;
	int ret;

	if (memcmp(st->mac, c->net->params.mac, 6) != 0) {
		ret = c->emit(c->arg, VIRTIO_NET_CTRL_MAC,
			VIRTIO_NET_CTRL_MAC_ADDR_SET, st->mac, 6);
		if (ret != 0)
			return ret;
	}
	if (st->uc_count == 0 && st->mc_count == 0 && !st->uc_overflow &&
			!st->mc_overflow)
		return 0;
	/*
	 * A list that overflowed was stored as nothing but its flag; one
	 * entry more than the room it had sets the same flag again.
	 */
	n_uc = st->uc_overflow ? cap + 1 : st->uc_count;
	n_mc = st->mc_overflow ? cap - st->uc_count + 1 : st->mc_count;
	memset(p, 0, 8 + (size_t)(n_uc + n_mc) * 6);
	cvqsim_put_le32(p, n_uc);
	if (!st->uc_overflow)
		memcpy(p + 4, st->macs, (size_t)n_uc * 6);
	cvqsim_put_le32(p + 4 + n_uc * 6, n_mc);
	if (!st->mc_overflow)
		memcpy(p + 8 + n_uc * 6, st->macs[st->uc_count],
			(size_t)n_mc * 6);
	else	/* the decoder wants group addresses in the multicast list */
		for (i = 0; i < n_mc; i++)
			p[8 + (n_uc + i) * 6] = 0x01;
	return c->emit(c->arg, VIRTIO_NET_CTRL_MAC,
		VIRTIO_NET_CTRL_MAC_TABLE_SET, p, 8 + (n_uc + n_mc) * 6);
}

static bool
rss_is_reset(const struct rte_pmd_cvqsim_net_rss *rss)
{
	struct rte_pmd_cvqsim_net_rss reset;

	memset(&reset, 0, sizeof(reset));
	reset.table_len = 1;
	return memcmp(rss, &reset, sizeof(reset)) == 0;
}

static int
emit_rss_config(struct cfg_ctx *c)
{
	const struct rte_pmd_cvqsim_net_rss *rss = &c->st->rss;
	uint8_t *p = c->scratch;
	uint32_t i, off;

	cvqsim_put_le32(p, rss->hash_types);
	cvqsim_put_le16(p + 4, (uint16_t)(rss->table_len - 1));
	cvqsim_put_le16(p + 6, rss->unclassified_queue);
	off = 8;
	for (i = 0; i < rss->table_len; i++, off += 2)
		cvqsim_put_le16(p + off, rss->table[i]);
	cvqsim_put_le16(p + off, c->st->curr_queue_pairs);
	p[off + 2] = rss->key_len;
	memcpy(p + off + 3, rss->key, rss->key_len);
	return c->emit(c->arg, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_RSS_CONFIG, p, off + 3 + rss->key_len);
}

static int
emit_hash_config(struct cfg_ctx *c)
{
	const struct rte_pmd_cvqsim_net_rss *rss = &c->st->rss;
	uint8_t *p = c->scratch;

	memset(p, 0, 13);
	cvqsim_put_le32(p, rss->hash_types);
	p[12] = rss->key_len;
	memcpy(p + 13, rss->key, rss->key_len);
	return c->emit(c->arg, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_HASH_CONFIG, p, 13u + rss->key_len);
}

/*
 * Class 4. Steering on: RSS_CONFIG (its max_tx_vq is the pair count).
 * Steering off with hash parameters: HASH_CONFIG when they fit it, else
 * the RSS_CONFIG that stored them, followed by VQ_PAIRS_SET when that
 * RSS_CONFIG would turn steering on (VQ_PAIRS_SET keeps the parameters
 * and turns it off). Otherwise VQ_PAIRS_SET when the pairs differ from 1.
 */
static int
cfg_mq(struct cfg_ctx *c)
{
	const struct cvqsim_net_state *st = c->st;
	const struct rte_pmd_cvqsim_net_rss *rss = &st->rss;
	bool pairs = st->curr_queue_pairs != 1;
	uint8_t v[2];
	int ret;

	if (rss->steering)
		return emit_rss_config(c);
	if (!rss_is_reset(rss)) {
		if (rss->table_len == 1 && rss->table[0] == 0 &&
				rss->unclassified_queue == 0 &&
				has_feature(st, VIRTIO_NET_F_HASH_REPORT)) {
			ret = emit_hash_config(c);
		} else {
			ret = emit_rss_config(c);
			pairs = rss->key_len != 0 || rss->hash_types != 0;
		}
		if (ret != 0)
			return ret;
	}
	if (!pairs)
		return 0;
	cvqsim_put_le16(v, st->curr_queue_pairs);
	return c->emit(c->arg, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, v, 2);
}

static int
cfg_offloads(struct cfg_ctx *c)
{
	uint8_t v[8];

	if (c->st->guest_offloads ==
			(c->st->features & CVQSIM_CTRL_GUEST_OFFLOADS))
		return 0;
	cvqsim_put_le64(v, c->st->guest_offloads);
	return c->emit(c->arg, VIRTIO_NET_CTRL_GUEST_OFFLOADS,
		VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, v, 8);
}

static int
cfg_rx(struct cfg_ctx *c)
{
	const struct rte_pmd_cvqsim_net_rx_mode *m = &c->st->rx_mode;
	const uint8_t now[6] = { m->promisc, m->allmulti, m->alluni,
		m->nomulti, m->nouni, m->nobcast };
	/* Reset: promiscuous (QEMU), everything else off. */
	const uint8_t reset[6] = { 1, 0, 0, 0, 0, 0 };
	uint8_t cmd;
	int ret;

	for (cmd = 0; cmd < 6; cmd++) {
		if (now[cmd] == reset[cmd])
			continue;
		ret = c->emit(c->arg, VIRTIO_NET_CTRL_RX, cmd, &now[cmd], 1);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
cfg_vlan(struct cfg_ctx *c)
{
	const struct cvqsim_net_state *st = c->st;
	uint8_t *p = c->scratch;
	bool any = false;
	uint32_t i;

	if (!has_feature(st, VIRTIO_NET_F_CTRL_VLAN))
		return 0;
	for (i = 0; i < RTE_PMD_CVQSIM_VLAN_IDS / 32; i++) {
		cvqsim_put_le32(p + 4 * i, st->vlan_filter[i]);
		any |= st->vlan_filter[i] != 0;
	}
	if (!any)
		return 0;
	return c->emit(c->arg, VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD,
		p, VLAN_TABLE_LEN);
}

static int
emit_coal(struct cfg_ctx *c, uint8_t cmd,
		const struct rte_pmd_cvqsim_net_coal *v)
{
	uint8_t p[8];

	cvqsim_put_le32(p, v->max_packets);
	cvqsim_put_le32(p + 4, v->max_usecs);
	return c->emit(c->arg, VIRTIO_NET_CTRL_NOTF_COAL, cmd, p, 8);
}

/* NOTF_COAL and HASH_TUNNEL_SET: replayed by cvqsim, not by QEMU. */
static int
cfg_extra(struct cfg_ctx *c)
{
	const struct rte_pmd_cvqsim_net_state *st = c->st;
	static const struct rte_pmd_cvqsim_net_coal zero;
	uint8_t p[12];
	uint32_t vq_index;
	int ret = 0;

	if (!coal_equal(&st->coal_tx, &zero))
		ret = emit_coal(c, VIRTIO_NET_CTRL_NOTF_COAL_TX_SET, &st->coal_tx);
	if (ret == 0 && !coal_equal(&st->coal_rx, &zero))
		ret = emit_coal(c, VIRTIO_NET_CTRL_NOTF_COAL_RX_SET, &st->coal_rx);
	for (vq_index = 0; ret == 0 && vq_index < DATA_VQS; vq_index++) {
		if (coal_equal(&st->coal_vq[vq_index], coal_default(st, vq_index)))
			continue;
		cvqsim_put_le16(p, (uint16_t)vq_index);
		cvqsim_put_le16(p + 2, 0);
		cvqsim_put_le32(p + 4, st->coal_vq[vq_index].max_packets);
		cvqsim_put_le32(p + 8, st->coal_vq[vq_index].max_usecs);
		ret = c->emit(c->arg, VIRTIO_NET_CTRL_NOTF_COAL,
			VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, p, 12);
	}
	if (ret == 0 && st->tunnel_types != 0) {
		cvqsim_put_le32(p, st->tunnel_types);
		ret = c->emit(c->arg, VIRTIO_NET_CTRL_HASH_TUNNEL,
			VIRTIO_NET_CTRL_HASH_TUNNEL_SET, p, 4);
	}
	return ret;
}

static int
cfg_walk(const struct cvqsim_net *net, const struct cvqsim_net_state *st,
		bool extra, cfg_emit_t emit, void *arg)
{
	struct cfg_ctx c = { .net = net, .st = st, .emit = emit, .arg = arg };
	int ret;

	c.scratch = malloc(CFG_SCRATCH_LEN);
	if (c.scratch == NULL)
		return -ENOMEM;
	ret = cfg_mac(&c);
	if (ret == 0)
		ret = cfg_mq(&c);
	if (ret == 0 && extra)
		ret = cfg_offloads(&c);
	if (ret == 0)
		ret = cfg_rx(&c);
	if (ret == 0)
		ret = cfg_vlan(&c);
	if (ret == 0 && extra)
		ret = cfg_extra(&c);
	free(c.scratch);
	return ret;
}

/*
 * Save
 */

struct wbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
	uint32_t parts;
};

/* Append a part; returns its zeroed value area, NULL without memory. */
static uint8_t *
part_add(struct wbuf *w, uint16_t type, uint8_t flags, const uint8_t *sel,
		uint32_t len)
{
	size_t need = w->len + VIRTIO_DEV_PART_HDR_LEN + len;
	uint8_t *h;

	if (need > w->cap) {
		size_t cap = w->cap * 2 > need ? w->cap * 2 : need;
		uint8_t *p = realloc(w->p, cap);

		if (p == NULL)
			return NULL;
		w->p = p;
		w->cap = cap;
	}
	h = w->p + w->len;
	memset(h, 0, VIRTIO_DEV_PART_HDR_LEN + len);
	cvqsim_put_le16(h, type);
	h[2] = flags;
	if (sel != NULL)
		memcpy(h + 4, sel, 8);
	cvqsim_put_le32(h + 12, len);
	w->len = need;
	w->parts++;
	return h + VIRTIO_DEV_PART_HDR_LEN;
}

static uint8_t *
part_vq(struct wbuf *w, uint16_t type, uint32_t vq_index, uint32_t len)
{
	uint8_t sel[8] = { 0 };

	cvqsim_put_le16(sel, (uint16_t)vq_index);
	return part_add(w, type, 0, sel, len);
}

static int
emit_cvq_part(void *arg, uint8_t cls, uint8_t cmd, const uint8_t *data,
		uint32_t len)
{
	uint8_t sel[8] = { cls, cmd };
	uint8_t *v = part_add(arg, VIRTIO_NET_DEV_PART_CVQ_CFG_PART, 0, sel,
		len);

	if (v == NULL)
		return -ENOMEM;
	memcpy(v, data, len);
	return 0;
}

/* Virtqueues described: the transport's, or the model's layout. */
static uint32_t
save_nr_vqs(const struct cvqsim_net *net, const struct cvqsim_net_state *st,
		const struct cvqsim_state_dev *dev)
{
	uint32_t nr = dev != NULL ? dev->nr_vqs :
		cvqsim_cvq_index(net->state.features,
			net->state.max_queue_pairs) +
		(has_feature(st, VIRTIO_NET_F_CTRL_VQ) ? 1u : 0u);
	uint32_t vq_index;

	for (vq_index = nr; vq_index < DATA_VQS; vq_index++)
		if (vq_bit(st, vq_index))
			nr = vq_index + 1;
	return nr < CVQSIM_STATE_MAX_VQS ? nr : CVQSIM_STATE_MAX_VQS;
}

static int
save_common(struct wbuf *w, const struct cvqsim_net *net,
		const struct cvqsim_net_state *st,
		const struct cvqsim_state_dev *dev)
{
	uint32_t vq_index, nr = save_nr_vqs(net, st, dev);
	uint16_t cvq = cvqsim_cvq_index(net->state.features,
		net->state.max_queue_pairs);
	uint8_t sel[8] = { 0 }, *v;

	if (dev != NULL) {
		v = part_add(w, VIRTIO_DEV_PART_DEV_FEATURES,
			1u << VIRTIO_DEV_PART_F_OPTIONAL, NULL, 8);
		if (v == NULL)
			return -ENOMEM;
		cvqsim_put_le64(v, dev->offered_features);
	}
	v = part_add(w, VIRTIO_DEV_PART_DRV_FEATURES, 0, NULL, 8);
	if (v == NULL)
		return -ENOMEM;
	cvqsim_put_le64(v, st->features);
	cvqsim_put_le32(sel, 18);	/* num_queues in virtio_pci_common_cfg */
	v = part_add(w, VIRTIO_DEV_PART_PCI_COMMON_CFG, 0, sel, 2);
	if (v == NULL)
		return -ENOMEM;
	cvqsim_put_le16(v, (uint16_t)(cvq + (has_feature(st, VIRTIO_NET_F_CTRL_VQ))));
	v = part_add(w, VIRTIO_DEV_PART_DEVICE_STATUS, 0, NULL, 1);
	if (v == NULL)
		return -ENOMEM;
	v[0] = dev != NULL ? dev->device_status : st->features != 0 ?
		VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER |
		VIRTIO_CONFIG_S_FEATURES_OK | VIRTIO_CONFIG_S_DRIVER_OK : 0;
	for (vq_index = 0; vq_index < nr; vq_index++) {
		const struct cvqsim_state_vq *q = dev != NULL &&
			vq_index < dev->nr_vqs ? &dev->vq[vq_index] : NULL;
		bool on = vq_index == cvq ? q != NULL && q->enabled :
			vq_index < DATA_VQS && vq_bit(st, vq_index);

		v = part_vq(w, VIRTIO_DEV_PART_VQ_CFG, vq_index, VQ_CFG_LEN);
		if (v == NULL)
			return -ENOMEM;
		cvqsim_put_le16(v, q != NULL ? q->size : 0);
		cvqsim_put_le16(v + 2, NO_VECTOR);
		cvqsim_put_le16(v + 4, on);
		cvqsim_put_le64(v + 8, q != NULL ? q->desc : 0);
		cvqsim_put_le64(v + 16, q != NULL ? q->driver : 0);
		cvqsim_put_le64(v + 24, q != NULL ? q->device : 0);
	}
	return 0;
}

static void
stats_put(uint8_t *v, const struct cvqsim_net *net,
		const struct cvqsim_net_state *st,
		const struct cvqsim_net_stats *s)
{
	uint32_t pair, i;

	cvqsim_put_le64(v, st->announces);
	v += 8;
	for (i = 0; i < CVQSIM_NET_RX_VERDICT_MAX; i++, v += 8)
		cvqsim_put_le64(v, s->rx_filter[i]);
	for (pair = 0; pair < net->params.max_queue_pairs; pair++) {
		const uint64_t *rx = (const uint64_t *)&s->rxq[pair];
		const uint64_t *tx = (const uint64_t *)&s->txq[pair];

		for (i = 0; i < RXQ_COUNTERS; i++, v += 8)
			cvqsim_put_le64(v, rx[i]);
		for (i = 0; i < TXQ_COUNTERS; i++, v += 8)
			cvqsim_put_le64(v, tx[i]);
	}
}

static int
save_own(struct wbuf *w, const struct cvqsim_net *net,
		const struct cvqsim_net_state *st,
		const struct cvqsim_net_stats *stats,
		const struct cvqsim_state_dev *dev)
{
	uint8_t *v;
	uint32_t vq_index;

	v = part_add(w, CVQSIM_PART_NET_CONFIG, 0, NULL, NET_CONFIG_LEN);
	if (v == NULL)
		return -ENOMEM;
	cvqsim_state_net_config_put(v, net->params.mac, st);
	if (st->guest_offloads != (st->features & CVQSIM_CTRL_GUEST_OFFLOADS)) {
		v = part_add(w, CVQSIM_PART_OFFLOADS, 0, NULL, 8);
		if (v == NULL)
			return -ENOMEM;
		cvqsim_put_le64(v, st->guest_offloads);
	}
	if (st->tunnel_types != 0) {
		v = part_add(w, CVQSIM_PART_TUNNEL, 0, NULL, 4);
		if (v == NULL)
			return -ENOMEM;
		cvqsim_put_le32(v, st->tunnel_types);
	}
	v = part_add(w, CVQSIM_PART_COAL, 0, NULL, 16);
	if (v == NULL)
		return -ENOMEM;
	cvqsim_put_le32(v, st->coal_tx.max_packets);
	cvqsim_put_le32(v + 4, st->coal_tx.max_usecs);
	cvqsim_put_le32(v + 8, st->coal_rx.max_packets);
	cvqsim_put_le32(v + 12, st->coal_rx.max_usecs);
	for (vq_index = 0; vq_index < DATA_VQS; vq_index++) {
		if (coal_equal(&st->coal_vq[vq_index], coal_default(st, vq_index)))
			continue;
		v = part_vq(w, CVQSIM_PART_VQ_COAL, vq_index, 8);
		if (v == NULL)
			return -ENOMEM;
		cvqsim_put_le32(v, st->coal_vq[vq_index].max_packets);
		cvqsim_put_le32(v + 4, st->coal_vq[vq_index].max_usecs);
	}
	for (vq_index = 0; dev != NULL && vq_index < dev->nr_vqs; vq_index++) {
		v = part_vq(w, CVQSIM_PART_VQ_STATE, vq_index, 4);
		if (v == NULL)
			return -ENOMEM;
		cvqsim_put_le16(v, dev->vq[vq_index].last_avail_idx);
		cvqsim_put_le16(v + 2, dev->vq[vq_index].last_used_idx);
	}
	v = part_add(w, CVQSIM_PART_STATS, 0, NULL,
		cvqsim_state_stats_len(net->params.max_queue_pairs));
	if (v == NULL)
		return -ENOMEM;
	stats_put(v, net, st, stats);
	return 0;
}

static void
header_put(struct wbuf *w)
{
	uint8_t *h = w->p;

	memcpy(h, CVQSIM_STATE_MAGIC, 8);
	cvqsim_put_le16(h + 8, CVQSIM_STATE_VERSION);
	cvqsim_put_le16(h + 10, CVQSIM_STATE_HDR_LEN);
	cvqsim_put_le32(h + 12, w->parts);
	cvqsim_put_le32(h + 16, (uint32_t)(w->len - CVQSIM_STATE_HDR_LEN));
	cvqsim_put_le32(h + 20, 0);
	/* CRC-32C of header (this field zero) and parts. */
	cvqsim_put_le32(h + 20, rte_hash_crc(h, (uint32_t)w->len, 0xffffffff));
}

int
cvqsim_state_save(const struct cvqsim_net *net,
		const struct cvqsim_state_dev *dev, uint8_t **out, size_t *len)
{
	struct wbuf w = { .cap = 4096 };
	struct cvqsim_net_state *st;
	struct cvqsim_net_stats *stats;
	int ret = -ENOMEM;

	st = malloc(sizeof(*st));
	stats = malloc(sizeof(*stats));
	w.p = malloc(w.cap);
	if (st == NULL || stats == NULL || w.p == NULL)
		goto out;
	cvqsim_net_state_get(net, st);
	cvqsim_net_stats_get(net, stats);
	memset(w.p, 0, CVQSIM_STATE_HDR_LEN);
	w.len = CVQSIM_STATE_HDR_LEN;
	ret = save_common(&w, net, st, dev);
	if (ret == 0)
		ret = cfg_walk(net, st, false, emit_cvq_part, &w);
	if (ret == 0)
		ret = save_own(&w, net, st, stats, dev);
	if (ret == 0) {
		header_put(&w);
		*out = w.p;
		*len = w.len;
		w.p = NULL;
	}
out:
	free(w.p);
	free(stats);
	free(st);
	return ret;
}

void
cvqsim_state_canonical(const struct cvqsim_net *net,
		struct cvqsim_net_state *out)
{
	cvqsim_net_state_get(net, out);
	out->generation = 0;
	out->announces = 0;
	/* An event, raised again by the VMM on the destination (QEMU). */
	out->status &= ~VIRTIO_NET_S_ANNOUNCE;
}

/*
 * Replay list
 */

struct replay_build {
	struct cvqsim_state_replay *r;
	uint32_t cap;		/* entries of cmds */
	size_t data_len;
	size_t data_cap;
};

static int
replay_push(struct replay_build *b, uint8_t cls, uint8_t cmd,
		const uint8_t *data, uint32_t len)
{
	struct cvqsim_state_replay *r = b->r;

	if (r->n == b->cap) {
		uint32_t cap = b->cap != 0 ? 2 * b->cap : 16;
		struct cvqsim_state_cmd *c = realloc(r->cmds, cap * sizeof(*c));

		if (c == NULL)
			return -ENOMEM;
		r->cmds = c;
		b->cap = cap;
	}
	if (b->data_len + len > b->data_cap) {
		size_t cap = b->data_cap * 2 > b->data_len + len ?
			b->data_cap * 2 : b->data_len + len + 4096;
		uint8_t *d = realloc(r->data, cap);

		if (d == NULL)
			return -ENOMEM;
		r->data = d;
		b->data_cap = cap;
	}
	memcpy(r->data + b->data_len, data, len);
	/* Offsets now, pointers once the storage stops moving. */
	r->cmds[r->n] = (struct cvqsim_state_cmd){ .cls = cls, .cmd = cmd,
		.len = len, .data = (const uint8_t *)(uintptr_t)b->data_len };
	r->n++;
	b->data_len += len;
	return 0;
}

/* QEMU sends the VLAN table as one VLAN_ADD per VLAN id. */
static int
replay_emit(void *arg, uint8_t cls, uint8_t cmd, const uint8_t *data,
		uint32_t len)
{
	uint8_t vid[2];
	uint32_t i;
	int ret;

	if (cls != VIRTIO_NET_CTRL_VLAN)
		return replay_push(arg, cls, cmd, data, len);
	for (i = 0; i < RTE_PMD_CVQSIM_VLAN_IDS; i++) {
		if ((data[i / 8] & (1u << (i % 8))) == 0)
			continue;
		cvqsim_put_le16(vid, (uint16_t)i);
		ret = replay_push(arg, cls, cmd, vid, 2);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
cvqsim_state_replay_build(const struct cvqsim_net *net,
		struct cvqsim_state_replay *r)
{
	struct replay_build b = { .r = r };
	struct cvqsim_net_state *st = malloc(sizeof(*st));
	uint32_t i;
	int ret;

	memset(r, 0, sizeof(*r));
	if (st == NULL)
		return -ENOMEM;
	cvqsim_net_state_get(net, st);
	ret = cfg_walk(net, st, true, replay_emit, &b);
	free(st);
	if (ret != 0) {
		cvqsim_state_replay_free(r);
		return ret;
	}
	for (i = 0; i < r->n; i++)
		r->cmds[i].data = r->data + (uintptr_t)r->cmds[i].data;
	return 0;
}

void
cvqsim_state_replay_free(struct cvqsim_state_replay *r)
{
	free(r->cmds);
	free(r->data);
	memset(r, 0, sizeof(*r));
}
