/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The saved-state parser and the two restore paths (parts, replay).
 *
 * Nothing is trusted: every length is checked before it is read, parts must
 * come in the spec's order and each at most once, every control part goes
 * through the control queue decoder's own validation (on a scratch copy of
 * the model bound to a scratch decoder), and the device is written only
 * once the whole state has been accepted: a refused state changes nothing.
 */

#include <errno.h>
#include <inttypes.h>
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

#define VQ_WORDS	((CVQSIM_STATE_MAX_VQS + 63) / 64)
#define DATA_VQS	CVQSIM_STATE_DATA_VQS
#define STATUS_BITS	(VIRTIO_NET_S_LINK_UP | VIRTIO_NET_S_ANNOUNCE)

/* Rank of each part type in the spec's order; own parts come last. */
enum part_rank {
	RANK_DEV_FEATURES,
	RANK_DRV_FEATURES,
	RANK_PCI_COMMON_CFG,
	RANK_DEVICE_STATUS,
	RANK_VQ_CFG,
	RANK_VQ_NOTIFY_CFG,
	RANK_NET,
	RANK_OWN,
	RANK_UNKNOWN,
};

struct part {
	uint32_t idx;		/* position in the list, for messages */
	uint16_t type;
	uint8_t flags;
	const uint8_t *sel;	/* 8 bytes */
	const uint8_t *v;
	uint32_t len;
};

struct restore {
	struct cvqsim_net *net;		/* the device: read until commit */
	struct cvqsim_net *scratch;	/* the state being built */
	struct cvqsim_ctrl ctrl;	/* decoder bound to scratch */
	struct cvqsim_chain chain;
	struct cvqsim_state_dev dev;
	struct cvqsim_state_err *err;
	uint64_t offered;
	enum part_rank rank;
	bool seen_rank[RANK_UNKNOWN];
	uint16_t version;		/* of the state's format */
	uint32_t own_seen;		/* bit (type - 0xcf00) */
	uint16_t cvq_seen[CVQSIM_CTRL_NR_CLASSES];	/* bit per command */
	uint64_t vq_cfg[VQ_WORDS];
	uint64_t vq_on[VQ_WORDS];
	uint64_t vq_state[VQ_WORDS];
	uint64_t vq_coal[VQ_WORDS];
	struct rte_pmd_cvqsim_net_coal coal[DATA_VQS];
	uint16_t status;
	uint64_t offloads;
	uint32_t tunnel;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct restore *r, int code, const char *fmt, ...)
{
	va_list ap;

	if (r->err != NULL) {
		r->err->code = code;
		va_start(ap, fmt);
		vsnprintf(r->err->msg, sizeof(r->err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

static inline bool
bit_test_set(uint64_t *map, uint32_t i)
{
	bool was = (map[i / 64] & RTE_BIT64(i % 64)) != 0;

	map[i / 64] |= RTE_BIT64(i % 64);
	return was;
}

static inline bool
bit_test(const uint64_t *map, uint32_t i)
{
	return (map[i / 64] & RTE_BIT64(i % 64)) != 0;
}

/* One command through the decoder, as the control queue would carry it. */
static int
ctrl_apply(struct cvqsim_ctrl *ctrl, struct cvqsim_chain *ch, uint8_t cls,
		uint8_t cmd, const uint8_t *data, uint32_t len)
{
	uint8_t hdr[2] = { cls, cmd }, ack = 0xff;
	uint32_t used;

	ch->head = 0;
	ch->nr_out = len != 0 ? 2 : 1;
	ch->nr_in = 1;
	ch->out_len = 2 + len;
	ch->in_len = 1;
	ch->iov[0] = (struct iovec){ .iov_base = hdr, .iov_len = 2 };
	ch->iov[1] = (struct iovec){ .iov_base = (void *)(uintptr_t)data,
		.iov_len = len };
	ch->iov[ch->nr_out] = (struct iovec){ .iov_base = &ack, .iov_len = 1 };
	if (cvqsim_ctrl_process(ctrl, ch, &used) != VIRTIO_NET_OK)
		return -EINVAL;
	return 0;
}

static enum part_rank
part_rank(uint16_t type)
{
	if (type >= VIRTIO_DEV_PART_DEV_FEATURES &&
			type <= VIRTIO_DEV_PART_VQ_NOTIFY_CFG)
		return (enum part_rank)(type - VIRTIO_DEV_PART_DEV_FEATURES);
	if (type == VIRTIO_NET_DEV_PART_CVQ_CFG_PART)
		return RANK_NET;
	if (type >= CVQSIM_PART_NET_CONFIG && type <= CVQSIM_PART_STATS)
		return RANK_OWN;
	return RANK_UNKNOWN;
}

static int
want_len(struct restore *r, const struct part *p, uint32_t len)
{
	if (p->len == len)
		return 0;
	return fail(r, -EBADMSG, "part %u (type 0x%x): %u bytes, expected %u",
		p->idx, p->type, p->len, len);
}

/* Feature parts: le64 words; bits past 63 cannot be negotiated here. */
static int
features_get(struct restore *r, const struct part *p, uint64_t *f)
{
	uint32_t i;

	if (p->len < 8 || p->len % 8 != 0)
		return fail(r, -EBADMSG, "part %u: feature part of %u bytes",
			p->idx, p->len);
	for (i = 8; i < p->len; i++)
		if (p->v[i] != 0)
			return fail(r, -EINVAL,
				"part %u: feature bits above 63 set", p->idx);
	*f = cvqsim_get_le64(p->v);
	return 0;
}

static int
part_dev_features(struct restore *r, const struct part *p)
{
	uint64_t f;
	int ret = features_get(r, p, &f);

	if (ret != 0)
		return ret;
	/* Spec: verified, never set. */
	if (f != r->offered)
		return fail(r, -EINVAL,
			"saved device offered features 0x%" PRIx64
			", this device offers 0x%" PRIx64, f, r->offered);
	return 0;
}

static int
part_drv_features(struct restore *r, const struct part *p)
{
	uint64_t f;
	int ret = features_get(r, p, &f);

	if (ret != 0)
		return ret;
	if ((f & ~r->offered) != 0)
		return fail(r, -EINVAL,
			"negotiated features 0x%" PRIx64 " not offered here",
			f & ~r->offered);
	if (f != 0)
		cvqsim_net_set_features(r->scratch, f);
	return 0;
}

static uint16_t
layout_vqs(const struct cvqsim_net *net)
{
	return (uint16_t)(cvqsim_cvq_index(net->state.features,
			net->state.max_queue_pairs) +
		((net->state.features & RTE_BIT64(VIRTIO_NET_F_CTRL_VQ)) ? 1 : 0));
}

static int
part_pci_common_cfg(struct restore *r, const struct part *p)
{
	uint32_t offset = cvqsim_get_le32(p->sel);
	int ret;

	if (offset != 18)	/* num_queues, the only one saved */
		return fail(r, -ENOTSUP,
			"part %u: PCI common config offset %u not supported",
			p->idx, offset);
	ret = want_len(r, p, 2);
	if (ret == 0 && cvqsim_get_le16(p->v) != layout_vqs(r->scratch))
		return fail(r, -EINVAL,
			"saved device has %u virtqueues, this one %u",
			cvqsim_get_le16(p->v), layout_vqs(r->scratch));
	return ret;
}

static int
part_vq_cfg(struct restore *r, const struct part *p)
{
	uint16_t vq_index = cvqsim_get_le16(p->sel);
	struct cvqsim_state_vq *q;
	int ret = want_len(r, p, CVQSIM_STATE_VQ_CFG_LEN);

	if (ret != 0)
		return ret;
	if (vq_index >= CVQSIM_STATE_MAX_VQS || bit_test_set(r->vq_cfg, vq_index))
		return fail(r, -EBADMSG, "part %u: virtqueue %u %s", p->idx,
			vq_index, vq_index >= CVQSIM_STATE_MAX_VQS ? "out of range" :
			"described twice");
	q = &r->dev.vq[vq_index];
	q->size = cvqsim_get_le16(p->v);
	q->enabled = cvqsim_get_le16(p->v + 4) != 0;
	q->desc = cvqsim_get_le64(p->v + 8);
	q->driver = cvqsim_get_le64(p->v + 16);
	q->device = cvqsim_get_le64(p->v + 24);
	if (q->enabled)
		bit_test_set(r->vq_on, vq_index);
	if (vq_index >= r->dev.nr_vqs)
		r->dev.nr_vqs = vq_index + 1;
	return 0;
}

/* Selectors of VIRTIO_NET_DEV_PART_CVQ_CFG_PART the spec lists. */
static bool
cvq_selector_known(uint8_t cls, uint8_t cmd)
{
	switch (cls) {
	case VIRTIO_NET_CTRL_RX:
		return cmd <= VIRTIO_NET_CTRL_RX_NOBCAST;
	case VIRTIO_NET_CTRL_MAC:
		return cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET ||
			cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET;
	case VIRTIO_NET_CTRL_VLAN:
		return cmd == VIRTIO_NET_CTRL_VLAN_ADD;
	case VIRTIO_NET_CTRL_MQ:
		return cmd <= VIRTIO_NET_CTRL_MQ_HASH_CONFIG;
	default:
		return false;
	}
}

/* The VLAN part is the whole table: one VLAN_ADD per VLAN id set. */
static int
cvq_vlan_table(struct restore *r, const struct part *p)
{
	uint8_t vid[2];
	uint32_t i;
	int ret = want_len(r, p, CVQSIM_STATE_VLAN_TABLE_LEN);

	for (i = 0; ret == 0 && i < RTE_PMD_CVQSIM_VLAN_IDS; i++) {
		if ((p->v[i / 8] & (1u << (i % 8))) == 0)
			continue;
		cvqsim_put_le16(vid, (uint16_t)i);
		if (ctrl_apply(&r->ctrl, &r->chain, VIRTIO_NET_CTRL_VLAN,
				VIRTIO_NET_CTRL_VLAN_ADD, vid, 2) != 0)
			ret = fail(r, -EINVAL,
				"part %u: VLAN %u refused by the device",
				p->idx, i);
	}
	return ret;
}

static int
part_cvq(struct restore *r, const struct part *p)
{
	uint8_t cls = p->sel[0], cmd = p->sel[1];

	if (!cvq_selector_known(cls, cmd))
		return fail(r, -ENOTSUP,
			"part %u: control class %u command %u has no part",
			p->idx, cls, cmd);
	if ((r->cvq_seen[cls] & (1u << cmd)) != 0)
		return fail(r, -EBADMSG,
			"part %u: control class %u command %u twice",
			p->idx, cls, cmd);
	r->cvq_seen[cls] |= 1u << cmd;
	if (cls == VIRTIO_NET_CTRL_VLAN)
		return cvq_vlan_table(r, p);
	if (ctrl_apply(&r->ctrl, &r->chain, cls, cmd, p->v, p->len) != 0)
		return fail(r, -EINVAL,
			"part %u: control command %s/%u refused by the device",
			p->idx, cvqsim_ctrl_class_name(cls), cmd);
	return 0;
}

/* Creation parameters must match: restore does not reshape a device. */
static int
own_net_config(struct restore *r, const struct part *p)
{
	const struct cvqsim_net_state *st = &r->scratch->state;
	uint8_t mine[CVQSIM_STATE_NET_CONFIG_LEN];
	int ret = want_len(r, p, CVQSIM_STATE_NET_CONFIG_LEN);
	uint32_t i;

	if (ret != 0)
		return ret;
	cvqsim_state_net_config_put(mine, r->net->params.mac, st);
	for (i = 0; i < sizeof(mine); i++) {
		if (i == 6 || i == 7)	/* status: state, not a parameter */
			continue;
		if (p->v[i] != mine[i])
			return fail(r, -EINVAL,
				"device parameters differ from the saved "
				"device's (config byte %u: saved 0x%02x, here "
				"0x%02x): create it with the same devargs",
				i, p->v[i], mine[i]);
	}
	r->status = cvqsim_get_le16(p->v + 6);
	if ((r->status & ~STATUS_BITS) != 0)
		return fail(r, -EINVAL, "config status 0x%x has unknown bits",
			r->status);
	return 0;
}

static int
own_offloads_tunnel(struct restore *r, const struct part *p)
{
	const struct cvqsim_net_state *st = &r->scratch->state;
	int ret;

	if (p->type == CVQSIM_PART_OFFLOADS) {
		ret = want_len(r, p, 8);
		r->offloads = ret == 0 ? cvqsim_get_le64(p->v) : 0;
		if (ret == 0 && (r->offloads &
				~(st->features & CVQSIM_CTRL_GUEST_OFFLOADS)))
			return fail(r, -EINVAL,
				"guest offloads 0x%" PRIx64 " not negotiated",
				r->offloads);
		return ret;
	}
	ret = want_len(r, p, 4);
	r->tunnel = ret == 0 ? cvqsim_get_le32(p->v) : 0;
	if (ret == 0 && ((r->tunnel & ~st->supported_tunnel_types) != 0 ||
			(r->tunnel != 0 &&
			 !(st->features & RTE_BIT64(VIRTIO_NET_F_HASH_TUNNEL)))))
		return fail(r, -EINVAL, "tunnel types 0x%x not available",
			r->tunnel);
	return ret;
}

static int
own_coal(struct restore *r, const struct part *p)
{
	struct cvqsim_net_state *st = &r->scratch->state;
	uint32_t vq_index;
	int ret = want_len(r, p, 16);

	if (ret != 0)
		return ret;
	st->coal_tx.max_packets = cvqsim_get_le32(p->v);
	st->coal_tx.max_usecs = cvqsim_get_le32(p->v + 4);
	st->coal_rx.max_packets = cvqsim_get_le32(p->v + 8);
	st->coal_rx.max_usecs = cvqsim_get_le32(p->v + 12);
	for (vq_index = 0; vq_index < DATA_VQS; vq_index++)
		st->coal_vq[vq_index] = (vq_index & 1) ? st->coal_tx : st->coal_rx;
	return 0;
}

static int
own_vq(struct restore *r, const struct part *p)
{
	uint16_t vq_index = cvqsim_get_le16(p->sel);
	bool coal = p->type == CVQSIM_PART_VQ_COAL;
	int ret = want_len(r, p, coal ? 8 : 4);

	if (ret != 0)
		return ret;
	if (vq_index >= (coal ? DATA_VQS : CVQSIM_STATE_MAX_VQS) ||
			bit_test_set(coal ? r->vq_coal : r->vq_state, vq_index))
		return fail(r, -EBADMSG, "part %u (type 0x%x): virtqueue %u "
			"out of range or twice", p->idx, p->type, vq_index);
	if (coal) {
		r->coal[vq_index].max_packets = cvqsim_get_le32(p->v);
		r->coal[vq_index].max_usecs = cvqsim_get_le32(p->v + 4);
		return 0;
	}
	r->dev.vq[vq_index].last_avail_idx = cvqsim_get_le16(p->v);
	r->dev.vq[vq_index].last_used_idx = cvqsim_get_le16(p->v + 2);
	if (vq_index >= r->dev.nr_vqs)
		r->dev.nr_vqs = vq_index + 1;
	return 0;
}

static int
own_stats(struct restore *r, const struct part *p)
{
	struct cvqsim_net_stats *s = &r->scratch->stats;
	const uint8_t *v = p->v + 8;
	bool v1 = r->version == 1;
	uint32_t pair, i;
	int ret = want_len(r, p, cvqsim_state_stats_len_v(r->version,
		r->net->params.max_queue_pairs));

	if (ret != 0)
		return ret;
	r->scratch->state.announces = cvqsim_get_le64(p->v);
	for (i = 0; i < CVQSIM_NET_RX_VERDICT_MAX; i++, v += 8)
		s->rx_filter[i] = cvqsim_get_le64(v);
	for (pair = 0; pair < r->net->params.max_queue_pairs; pair++) {
		uint64_t *rx = (uint64_t *)&s->rxq[pair];
		uint64_t *tx = (uint64_t *)&s->txq[pair];

		for (i = 0; i < CVQSIM_STATE_RXQ_COUNTERS; i++, v += 8)
			rx[i] = cvqsim_get_le64(v);
		/* Version 1's GSO counters (always 0) are dropped. */
		if (v1)
			v += 8 * (CVQSIM_STATE_V1_RXQ_COUNTERS -
				CVQSIM_STATE_RXQ_COUNTERS);
		for (i = 0; i < CVQSIM_STATE_TXQ_COUNTERS; i++, v += 8)
			tx[i] = cvqsim_get_le64(v);
		if (v1)
			v += 8 * (CVQSIM_STATE_V1_TXQ_COUNTERS -
				CVQSIM_STATE_TXQ_COUNTERS);
	}
	return 0;
}

static int
part_own(struct restore *r, const struct part *p)
{
	uint32_t bit = 1u << (p->type - CVQSIM_PART_NET_CONFIG);

	if (p->type == CVQSIM_PART_VQ_COAL || p->type == CVQSIM_PART_VQ_STATE)
		return own_vq(r, p);
	if ((r->own_seen & bit) != 0)
		return fail(r, -EBADMSG, "part %u: type 0x%x twice", p->idx,
			p->type);
	r->own_seen |= bit;
	switch (p->type) {
	case CVQSIM_PART_NET_CONFIG:
		return own_net_config(r, p);
	case CVQSIM_PART_OFFLOADS:
	case CVQSIM_PART_TUNNEL:
		return own_offloads_tunnel(r, p);
	case CVQSIM_PART_COAL:
		return own_coal(r, p);
	default:
		return own_stats(r, p);
	}
}

/* Order, uniqueness, then the part's own handler. */
static int
part_apply(struct restore *r, const struct part *p)
{
	enum part_rank rank = part_rank(p->type);

	if (rank == RANK_UNKNOWN) {
		if (p->flags & (1u << VIRTIO_DEV_PART_F_OPTIONAL))
			return 0;
		return fail(r, -ENOTSUP, "part %u: type 0x%x unknown to this "
			"cvqsim (newer producer?)", p->idx, p->type);
	}
	if (rank < r->rank)
		return fail(r, -EBADMSG, "part %u: type 0x%x out of the spec's "
			"order", p->idx, p->type);
	if (rank > RANK_DRV_FEATURES && !r->seen_rank[RANK_DRV_FEATURES])
		return fail(r, -EBADMSG, "part %u: type 0x%x before "
			"DRV_FEATURES", p->idx, p->type);
	if (rank <= RANK_DEVICE_STATUS && r->seen_rank[rank])
		return fail(r, -EBADMSG, "part %u: type 0x%x twice", p->idx,
			p->type);
	r->rank = rank;
	r->seen_rank[rank] = true;
	switch (rank) {
	case RANK_DEV_FEATURES:
		return part_dev_features(r, p);
	case RANK_DRV_FEATURES:
		return part_drv_features(r, p);
	case RANK_PCI_COMMON_CFG:
		return part_pci_common_cfg(r, p);
	case RANK_DEVICE_STATUS:
		r->dev.device_status = p->len == 1 ? p->v[0] : 0;
		return want_len(r, p, 1);
	case RANK_VQ_CFG:
		return part_vq_cfg(r, p);
	case RANK_VQ_NOTIFY_CFG:	/* PCI notification: nothing here */
		return want_len(r, p, 8);
	case RANK_NET:
		return part_cvq(r, p);
	default:
		return part_own(r, p);
	}
}

static int
header_check(struct restore *r, const uint8_t *buf, size_t len,
		uint32_t *nparts)
{
	uint8_t hdr[CVQSIM_STATE_HDR_LEN];
	uint32_t body, crc;
	uint16_t version;

	if (len < CVQSIM_STATE_HDR_LEN)
		return fail(r, -EBADMSG, "state truncated: %zu bytes, the "
			"header alone is %u", len, CVQSIM_STATE_HDR_LEN);
	if (memcmp(buf, CVQSIM_STATE_MAGIC, 8) != 0)
		return fail(r, -EBADMSG, "not a cvqsim device state (magic)");
	version = cvqsim_get_le16(buf + 8);
	if (version > CVQSIM_STATE_VERSION)
		return fail(r, -ENOTSUP, "state version %u is newer than this "
			"cvqsim's (%u)", version, CVQSIM_STATE_VERSION);
	if (version == 0 || cvqsim_get_le16(buf + 10) != CVQSIM_STATE_HDR_LEN)
		return fail(r, -EBADMSG, "bad state header");
	r->version = version;
	body = cvqsim_get_le32(buf + 16);
	if (len > CVQSIM_STATE_MAX_LEN ||
			len - CVQSIM_STATE_HDR_LEN != body)
		return fail(r, -EBADMSG, "state %s: header says %u bytes of "
			"parts, %zu present",
			len - CVQSIM_STATE_HDR_LEN < body ? "truncated" :
			"has trailing bytes", body, len - CVQSIM_STATE_HDR_LEN);
	memcpy(hdr, buf, sizeof(hdr));
	cvqsim_put_le32(hdr + 20, 0);
	crc = rte_hash_crc(hdr, sizeof(hdr), 0xffffffff);
	crc = rte_hash_crc(buf + sizeof(hdr), body, crc);
	if (crc != cvqsim_get_le32(buf + 20))
		return fail(r, -EBADMSG, "state corrupt: checksum 0x%08x, "
			"expected 0x%08x", crc, cvqsim_get_le32(buf + 20));
	*nparts = cvqsim_get_le32(buf + 12);
	return 0;
}

static int
parts_walk(struct restore *r, const uint8_t *buf, size_t len,
		uint32_t nparts)
{
	size_t off = CVQSIM_STATE_HDR_LEN;
	struct part p = { .idx = 0 };
	int ret;

	for (; off < len; p.idx++) {
		if (len - off < VIRTIO_DEV_PART_HDR_LEN)
			return fail(r, -EBADMSG, "part %u: header truncated",
				p.idx);
		p.type = cvqsim_get_le16(buf + off);
		p.flags = buf[off + 2];
		p.sel = buf + off + 4;
		p.len = cvqsim_get_le32(buf + off + 12);
		p.v = buf + off + VIRTIO_DEV_PART_HDR_LEN;
		off += VIRTIO_DEV_PART_HDR_LEN;
		if (p.len > len - off)
			return fail(r, -EBADMSG, "part %u (type 0x%x): %u "
				"bytes, past the end", p.idx, p.type, p.len);
		ret = part_apply(r, &p);
		if (ret != 0)
			return ret;
		off += p.len;
	}
	if (p.idx != nparts)
		return fail(r, -EBADMSG, "%u parts, header says %u", p.idx,
			nparts);
	if (!r->seen_rank[RANK_DRV_FEATURES] ||
			!(r->own_seen & (1u << 0)))
		return fail(r, -EBADMSG, "DRV_FEATURES or NET_CONFIG missing");
	return 0;
}

/*
 * What the control queue does not carry, last: data queues enabled after
 * the control configuration (QEMU's order), then per-queue coalescing,
 * offloads, tunnel types and status.
 */
static int
finish(struct restore *r)
{
	struct cvqsim_net_state *st = &r->scratch->state;
	uint16_t cvq = cvqsim_cvq_index(r->scratch->state.features,
		r->scratch->state.max_queue_pairs);
	uint32_t vq_index;

	for (vq_index = 0; vq_index < DATA_VQS; vq_index++) {
		if (vq_index == cvq || !bit_test(r->vq_cfg, vq_index))
			continue;
		cvqsim_net_set_vq_enabled(r->scratch, (uint16_t)vq_index,
			bit_test(r->vq_on, vq_index));
	}
	for (vq_index = 0; vq_index < DATA_VQS; vq_index++) {
		if (!bit_test(r->vq_coal, vq_index))
			continue;
		if (!cvqsim_net_vq_enabled(r->scratch, (uint16_t)vq_index))
			return fail(r, -EINVAL,
				"coalescing saved for disabled queue %u", vq_index);
		st->coal_vq[vq_index] = r->coal[vq_index];
	}
	if (r->own_seen & (1u << (CVQSIM_PART_OFFLOADS - CVQSIM_PART_NET_CONFIG)))
		st->guest_offloads = r->offloads;
	st->tunnel_types = r->tunnel;
	st->status = r->status;
	return 0;
}

int
cvqsim_state_restore(struct cvqsim_net *net, uint64_t offered_features,
		const uint8_t *buf, size_t len, struct cvqsim_state_dev *dev_out,
		struct cvqsim_state_err *err)
{
	struct restore *r = calloc(1, sizeof(*r));
	uint32_t nparts = 0;
	int ret;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (r == NULL)
		return -ENOMEM;
	r->net = net;
	r->err = err;
	r->offered = offered_features;
	r->scratch = malloc(sizeof(*r->scratch));
	if (r->scratch == NULL) {
		free(r);
		return -ENOMEM;
	}
	ret = cvqsim_net_init(r->scratch, &net->params);
	cvqsim_ctrl_init(&r->ctrl, &cvqsim_net_ctrl_ops, r->scratch);
	if (ret == 0)
		ret = header_check(r, buf, len, &nparts);
	if (ret == 0)
		ret = parts_walk(r, buf, len, nparts);
	if (ret == 0)
		ret = finish(r);
	if (ret == 0) {
		cvqsim_net_state_load(net, &r->scratch->state,
			(r->own_seen & (1u << (CVQSIM_PART_STATS -
				CVQSIM_PART_NET_CONFIG))) ?
			&r->scratch->stats : NULL);
		if (dev_out != NULL)
			*dev_out = r->dev;
	}
	free(r->scratch);
	free(r);
	return ret;
}

int
cvqsim_state_features(const uint8_t *buf, size_t len, uint64_t *features,
		struct cvqsim_state_err *err)
{
	struct restore *r = calloc(1, sizeof(*r));
	uint32_t nparts = 0;
	size_t off = CVQSIM_STATE_HDR_LEN;
	int ret;

	if (err != NULL)
		memset(err, 0, sizeof(*err));
	if (r == NULL)
		return -ENOMEM;
	r->err = err;
	ret = header_check(r, buf, len, &nparts);
	while (ret == 0) {
		uint32_t plen;

		if (len - off < VIRTIO_DEV_PART_HDR_LEN) {
			ret = fail(r, -EBADMSG, "DRV_FEATURES missing");
			break;
		}
		plen = cvqsim_get_le32(buf + off + 12);
		if (plen > len - off - VIRTIO_DEV_PART_HDR_LEN) {
			ret = fail(r, -EBADMSG, "part past the end");
			break;
		}
		if (cvqsim_get_le16(buf + off) == VIRTIO_DEV_PART_DRV_FEATURES &&
				plen >= 8) {
			*features = cvqsim_get_le64(buf + off +
				VIRTIO_DEV_PART_HDR_LEN);
			break;
		}
		off += VIRTIO_DEV_PART_HDR_LEN + plen;
	}
	free(r);
	return ret;
}

int
cvqsim_state_check(const struct cvqsim_net *net, uint64_t offered_features,
		size_t *len, uint32_t *commands, struct cvqsim_state_err *err)
{
	struct cvqsim_net_state *want = malloc(sizeof(*want));
	struct cvqsim_net_state *got = malloc(sizeof(*got));
	struct cvqsim_net *scratch = malloc(sizeof(*scratch));
	struct cvqsim_state_replay rl = { 0 };
	uint8_t *buf = NULL;
	struct cvqsim_state_err local;
	uint32_t failed = 0, vq_index;
	int ret = -ENOMEM;

	if (err == NULL)
		err = &local;
	memset(err, 0, sizeof(*err));
	if (want == NULL || got == NULL || scratch == NULL)
		goto out;
	cvqsim_state_canonical(net, want);
	ret = cvqsim_state_save(net, NULL, &buf, len);
	if (ret == 0)
		ret = cvqsim_net_init(scratch, &net->params);
	if (ret == 0)
		ret = cvqsim_state_restore(scratch, offered_features, buf, *len,
			NULL, err);
	if (ret != 0)
		goto out;
	cvqsim_state_canonical(scratch, got);
	if (memcmp(want, got, sizeof(*want)) != 0) {
		ret = -EPROTO;
		snprintf(err->msg, sizeof(err->msg), "restored from the parts, "
			"the state differs from the saved one");
		goto out;
	}
	/* The VMM's way: negotiate, replay on the CVQ, enable the queues. */
	cvqsim_net_reset(scratch);
	cvqsim_net_set_features(scratch, want->features);
	ret = cvqsim_state_replay_build(net, &rl);
	if (ret == 0)
		ret = cvqsim_state_replay_apply(scratch, &rl, &failed);
	if (ret != 0) {
		snprintf(err->msg, sizeof(err->msg), "replay: command %u "
			"(class %u, command %u) refused", failed,
			rl.n > failed ? rl.cmds[failed].cls : 0,
			rl.n > failed ? rl.cmds[failed].cmd : 0);
		goto out;
	}
	*commands = rl.n;
	for (vq_index = 0; vq_index < DATA_VQS; vq_index++)
		cvqsim_net_set_vq_enabled(scratch, (uint16_t)vq_index,
			cvqsim_net_vq_enabled(net, (uint16_t)vq_index));
	cvqsim_state_canonical(scratch, got);
	if (memcmp(want, got, sizeof(*want)) != 0) {
		ret = -EPROTO;
		snprintf(err->msg, sizeof(err->msg), "replayed, the state "
			"differs from the saved one");
	}
out:
	if (ret != 0 && err->code == 0)
		err->code = ret;
	cvqsim_state_replay_free(&rl);
	free(buf);
	free(scratch);
	free(got);
	free(want);
	return ret;
}

int
cvqsim_state_replay_apply(struct cvqsim_net *net,
		const struct cvqsim_state_replay *rl, uint32_t *failed)
{
	struct restore *r = malloc(sizeof(*r));
	uint32_t i;
	int ret = 0;

	if (r == NULL)
		return -ENOMEM;
	cvqsim_ctrl_init(&r->ctrl, &cvqsim_net_ctrl_ops, net);
	for (i = 0; ret == 0 && i < rl->n; i++) {
		const struct cvqsim_state_cmd *c = &rl->cmds[i];

		ret = ctrl_apply(&r->ctrl, &r->chain, c->cls, c->cmd, c->data,
			c->len);
		if (ret != 0 && failed != NULL)
			*failed = i;
	}
	free(r);
	return ret;
}
