/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The control virtqueue decoder: gather, validate completely, apply through
 * cvqsim_ctrl_ops, acknowledge. See cvqsim_ctrl.h for the contract; each
 * validation function below says which rule it follows and where it comes
 * from (spec = virtio 1.4 device-types/net/description.tex).
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_bitops.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_iov.h"
#include "cvqsim_le.h"

#define STATS_RX_TYPES							\
	(VIRTIO_NET_STATS_TYPE_RX_BASIC | VIRTIO_NET_STATS_TYPE_RX_CSUM |	\
	 VIRTIO_NET_STATS_TYPE_RX_GSO | VIRTIO_NET_STATS_TYPE_RX_SPEED)
#define STATS_TX_TYPES							\
	(VIRTIO_NET_STATS_TYPE_TX_BASIC | VIRTIO_NET_STATS_TYPE_TX_CSUM |	\
	 VIRTIO_NET_STATS_TYPE_TX_GSO | VIRTIO_NET_STATS_TYPE_TX_SPEED)
#define STATS_ENTRY_SIZE	16	/* one virtio_net_ctrl_queue_stats entry */
#define STATS_MAX_COUNTERS	6	/* largest record: 6 le64 counters */

/* The command's data, after class and command. */
struct cmd_data {
	const uint8_t *p;
	uint32_t len;
};

/* Where results go: the writable part, after the ack byte. */
struct reply {
	const struct iovec *iov;
	unsigned int nr_iov;
	uint32_t len;		/* result bytes written so far */
};

/* Append result bytes after the ack, cut at the end of the driver's buffer. */
static void
reply_put(struct reply *r, const void *buf, uint32_t len)
{
	r->len += (uint32_t)cvqsim_buf_to_iov(r->iov, r->nr_iov, 1 + r->len,
			buf, len);
}

static inline uint8_t
ack_of(int ret)
{
	return ret == 0 ? VIRTIO_NET_OK : VIRTIO_NET_ERR;
}

/*
 * The feature that gates a command, or -1 for an unknown class or command.
 * The spec's driver rules name the gates; two choices:
 * - MAC_ADDR_SET is gated on CTRL_MAC_ADDR alone: the spec's MAC class text
 *   says CTRL_RX, but Linux sends it with CTRL_MAC_ADDR only and vdpa_sim
 *   offers CTRL_MAC_ADDR without CTRL_RX.
 * - Class 9 (RSS contexts) needs feature 64, which a 64-bit transport
 *   (vhost-user) cannot negotiate: unknown here.
 */
static int
command_feature(uint8_t cls, uint8_t cmd)
{
	switch (cls) {
	case VIRTIO_NET_CTRL_RX:
		if (cmd <= VIRTIO_NET_CTRL_RX_ALLMULTI)
			return VIRTIO_NET_F_CTRL_RX;
		if (cmd <= VIRTIO_NET_CTRL_RX_NOBCAST)
			return VIRTIO_NET_F_CTRL_RX_EXTRA;
		return -1;
	case VIRTIO_NET_CTRL_MAC:
		if (cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET)
			return VIRTIO_NET_F_CTRL_RX;
		if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET)
			return VIRTIO_NET_F_CTRL_MAC_ADDR;
		return -1;
	case VIRTIO_NET_CTRL_VLAN:
		return cmd <= VIRTIO_NET_CTRL_VLAN_DEL ? VIRTIO_NET_F_CTRL_VLAN : -1;
	case VIRTIO_NET_CTRL_ANNOUNCE:
		return cmd == VIRTIO_NET_CTRL_ANNOUNCE_ACK ?
			VIRTIO_NET_F_GUEST_ANNOUNCE : -1;
	case VIRTIO_NET_CTRL_MQ:
		if (cmd == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET)
			return VIRTIO_NET_F_MQ;
		if (cmd == VIRTIO_NET_CTRL_MQ_RSS_CONFIG)
			return VIRTIO_NET_F_RSS;
		if (cmd == VIRTIO_NET_CTRL_MQ_HASH_CONFIG)
			return VIRTIO_NET_F_HASH_REPORT;
		return -1;
	case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
		return cmd == VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET ?
			VIRTIO_NET_F_CTRL_GUEST_OFFLOADS : -1;
	case VIRTIO_NET_CTRL_NOTF_COAL:
		if (cmd <= VIRTIO_NET_CTRL_NOTF_COAL_RX_SET)
			return VIRTIO_NET_F_NOTF_COAL;
		if (cmd <= VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET)
			return VIRTIO_NET_F_VQ_NOTF_COAL;
		return -1;
	case VIRTIO_NET_CTRL_HASH_TUNNEL:
		return cmd == VIRTIO_NET_CTRL_HASH_TUNNEL_SET ?
			VIRTIO_NET_F_HASH_TUNNEL : -1;
	case VIRTIO_NET_CTRL_STATS:
		return cmd <= VIRTIO_NET_CTRL_STATS_GET ?
			VIRTIO_NET_F_DEVICE_STATS : -1;
	default:
		return -1;
	}
}

static inline bool
is_group_addr(const uint8_t *mac)
{
	return (mac[0] & 1) != 0;
}

static inline bool
is_zero_addr(const uint8_t *mac)
{
	return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) == 0;
}

/*
 * Class 0. Exactly one byte (QEMU tolerates more; nothing sends more). The
 * spec defines 0 and 1; like Linux's header and QEMU, any non-zero is "on".
 */
static int
handle_rx(struct cvqsim_ctrl *ctrl, uint8_t cmd, const struct cmd_data *d)
{
	if (d->len != 1 || ctrl->ops->rx_mode == NULL)
		return -EINVAL;
	return ctrl->ops->rx_mode(ctrl->ctx, cmd, d->p[0] != 0);
}

/*
 * MAC_TABLE_SET: le32 U, U addresses, le32 M, M addresses, nothing after
 * (QEMU's parse; products in 64 bits so hostile counts cannot wrap). Any
 * count is valid: what does not fit the device's table is the backend's
 * overflow rule (QEMU: accept that whole class, still OK). Stricter than
 * QEMU: the spec makes the driver put unicast addresses in the first table
 * and multicast ones in the second; a misplaced address is ERR.
 */
static int
handle_mac_table(struct cvqsim_ctrl *ctrl, const struct cmd_data *d)
{
	uint32_t n_uc, n_mc, off, i;
	const uint8_t *uc, *mc;

	if (d->len < 4)
		return -EINVAL;
	n_uc = cvqsim_get_le32(d->p);
	off = 4;
	if ((uint64_t)n_uc * 6 > d->len - off)
		return -EINVAL;
	uc = d->p + off;
	off += n_uc * 6;
	if (d->len - off < 4)
		return -EINVAL;
	n_mc = cvqsim_get_le32(d->p + off);
	off += 4;
	if ((uint64_t)n_mc * 6 != d->len - off)
		return -EINVAL;
	mc = d->p + off;
	for (i = 0; i < n_uc; i++)
		if (is_group_addr(uc + 6 * i))
			return -EINVAL;
	for (i = 0; i < n_mc; i++)
		if (!is_group_addr(mc + 6 * i))
			return -EINVAL;
	if (ctrl->ops->mac_table_set == NULL)
		return -ENOTSUP;
	return ctrl->ops->mac_table_set(ctrl->ctx, uc, n_uc, mc, n_mc);
}

/*
 * MAC_ADDR_SET: exactly 6 bytes (QEMU). Stricter than QEMU: a primary
 * address must be a valid station address (not multicast, not zero), as
 * Linux itself checks before sending.
 */
static int
handle_mac_addr(struct cvqsim_ctrl *ctrl, const struct cmd_data *d)
{
	if (d->len != 6 || is_group_addr(d->p) || is_zero_addr(d->p))
		return -EINVAL;
	if (ctrl->ops->mac_addr_set == NULL)
		return -ENOTSUP;
	return ctrl->ops->mac_addr_set(ctrl->ctx, d->p);
}

static int
handle_mac(struct cvqsim_ctrl *ctrl, uint8_t cmd, const struct cmd_data *d)
{
	if (cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET)
		return handle_mac_table(ctrl, d);
	return handle_mac_addr(ctrl, d);
}

/*
 * Class 2: exactly 2 bytes; VID 0..4095 (QEMU accepts 0 and 4095 too),
 * larger is ERR. Linux sends the VID unmasked.
 */
static int
handle_vlan(struct cvqsim_ctrl *ctrl, uint8_t cmd, const struct cmd_data *d)
{
	uint16_t vid;

	if (d->len != 2)
		return -EINVAL;
	vid = cvqsim_get_le16(d->p);
	if (vid >= 4096 || ctrl->ops->vlan == NULL)
		return -EINVAL;
	return ctrl->ops->vlan(ctrl->ctx, vid, cmd == VIRTIO_NET_CTRL_VLAN_ADD);
}

/* Class 3: no data; ERR unless an announcement is pending (QEMU). */
static int
handle_announce(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		const struct cmd_data *d)
{
	if (d->len != 0 || !info->announce_pending ||
			ctrl->ops->announce_ack == NULL)
		return -EINVAL;
	return ctrl->ops->announce_ack(ctrl->ctx);
}

/* VQ_PAIRS_SET: exactly 2 bytes, 1 .. min(0x8000, max pairs) (QEMU). */
static int
handle_vq_pairs(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		const struct cmd_data *d)
{
	uint16_t pairs;

	if (d->len != 2)
		return -EINVAL;
	pairs = cvqsim_get_le16(d->p);
	if (pairs < VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MIN ||
			pairs > VIRTIO_NET_CTRL_MQ_VQ_PAIRS_MAX ||
			pairs > info->max_queue_pairs)
		return -EINVAL;
	if (ctrl->ops->vq_pairs_set == NULL)
		return -ENOTSUP;
	return ctrl->ops->vq_pairs_set(ctrl->ctx, pairs);
}

/*
 * The key part shared by RSS_CONFIG and HASH_CONFIG, from offset off:
 * key_len <= rss_max_key_size; key_len 0 only with hash_types 0 (QEMU: "no
 * key provided"); hash_types within supported_hash_types (checklist: the
 * driver MUST NOT set others, QEMU does not check); the key present; at
 * most ONE byte after it (Linux sizes the trailer with its padded C struct).
 */
static int
parse_hash_key(const struct cvqsim_ctrl_info *info, const struct cmd_data *d,
		uint32_t off, struct cvqsim_ctrl_rss *rss)
{
	uint32_t rest;

	if (rss->key_len > info->rss_max_key_size)
		return -EINVAL;
	if (rss->key_len == 0 && rss->hash_types != 0)
		return -EINVAL;
	if ((rss->hash_types & ~info->supported_hash_types) != 0)
		return -EINVAL;
	rest = d->len - off;
	if (rest < rss->key_len || rest - rss->key_len > 1)
		return -EINVAL;
	rss->key = d->p + off;
	return 0;
}

/*
 * RSS_CONFIG, QEMU's checks in QEMU's order plus the checklist's: table
 * length (mask + 1) a power of two within rss_max_indirection_table_length;
 * unclassified_queue and every table entry below max_queue_pairs (an entry
 * with the reserved bit 15 set is therefore out of range); max_tx_vq in
 * 1 .. max_queue_pairs. Key 0 with hash_types 0 is valid: RSS off, OK.
 */
static int
handle_rss_config(struct cvqsim_ctrl *ctrl,
		const struct cvqsim_ctrl_info *info, const struct cmd_data *d)
{
	struct cvqsim_ctrl_rss rss;
	uint32_t table_len, off, i;
	int ret;

	if (d->len < 8)
		return -EINVAL;
	rss.hash_types = cvqsim_get_le32(d->p);
	table_len = (uint32_t)cvqsim_get_le16(d->p + 4) + 1;
	rss.unclassified_queue = cvqsim_get_le16(d->p + 6);
	if ((table_len & (table_len - 1)) != 0 ||
			table_len > info->rss_max_indirection_table_length ||
			table_len > CVQSIM_CTRL_RSS_TABLE_MAX)
		return -EINVAL;
	if (rss.unclassified_queue >= info->max_queue_pairs)
		return -EINVAL;
	off = 8;
	if (d->len - off < 2 * table_len)
		return -EINVAL;
	for (i = 0; i < table_len; i++) {
		uint16_t pair = cvqsim_get_le16(d->p + off + 2 * i);

		if (pair >= info->max_queue_pairs)
			return -EINVAL;
		ctrl->rss_table[i] = pair;
	}
	off += 2 * table_len;
	if (d->len - off < 3)
		return -EINVAL;
	rss.max_tx_vq = cvqsim_get_le16(d->p + off);
	rss.key_len = d->p[off + 2];
	off += 3;
	if (rss.max_tx_vq < 1 || rss.max_tx_vq > info->max_queue_pairs)
		return -EINVAL;
	ret = parse_hash_key(info, d, off, &rss);
	if (ret != 0)
		return ret;
	rss.table_len = (uint16_t)table_len;
	rss.table = ctrl->rss_table;
	if (ctrl->ops->rss_config == NULL)
		return -ENOTSUP;
	return ctrl->ops->rss_config(ctrl->ctx, &rss);
}

/*
 * HASH_CONFIG: le32 hash_types, 8 reserved bytes (ignored: Linux puts
 * max_tx_vq there), key length, key. Same key rules as RSS_CONFIG.
 */
static int
handle_hash_config(struct cvqsim_ctrl *ctrl,
		const struct cvqsim_ctrl_info *info, const struct cmd_data *d)
{
	struct cvqsim_ctrl_rss hash;
	int ret;

	if (d->len < 13)
		return -EINVAL;
	hash.hash_types = cvqsim_get_le32(d->p);
	hash.key_len = d->p[12];
	ret = parse_hash_key(info, d, 13, &hash);
	if (ret != 0)
		return ret;
	ctrl->rss_table[0] = 0;
	hash.table = ctrl->rss_table;
	hash.table_len = 1;
	hash.unclassified_queue = 0;
	hash.max_tx_vq = 0;
	if (ctrl->ops->hash_config == NULL)
		return -ENOTSUP;
	return ctrl->ops->hash_config(ctrl->ctx, &hash);
}

static int
handle_mq(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		uint8_t cmd, const struct cmd_data *d)
{
	if (cmd == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET)
		return handle_vq_pairs(ctrl, info, d);
	if (cmd == VIRTIO_NET_CTRL_MQ_RSS_CONFIG)
		return handle_rss_config(ctrl, info, d);
	return handle_hash_config(ctrl, info, d);
}

/*
 * Class 5: exactly 8 bytes; every set bit must be a receive offload whose
 * feature was negotiated (spec driver rule; QEMU also ERRs). RSC_EXT and
 * GUEST_HDRLEN count as offloads: QEMU takes bit 61 as the RSC switch and
 * Linux includes bit 59 in the offloads it restores after XDP.
 */
static int
handle_offloads(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		const struct cmd_data *d)
{
	uint64_t offloads;

	if (d->len != 8)
		return -EINVAL;
	offloads = cvqsim_get_le64(d->p);
	if ((offloads & ~(info->features & CVQSIM_CTRL_GUEST_OFFLOADS)) != 0)
		return -EINVAL;
	if (ctrl->ops->guest_offloads_set == NULL)
		return -ENOTSUP;
	return ctrl->ops->guest_offloads_set(ctrl->ctx, offloads);
}

/*
 * vq_index of VQ_SET/VQ_GET must be an enabled transmit or receive queue
 * (device MUST): below 2 * max_queue_pairs (the CVQ's own index is invalid)
 * and enabled by the driver.
 */
static bool
coal_vq_valid(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		uint16_t vq_index)
{
	if (vq_index >= 2 * (uint32_t)info->max_queue_pairs)
		return false;
	return ctrl->ops->vq_enabled == NULL ||
		ctrl->ops->vq_enabled(ctrl->ctx, vq_index);
}

/*
 * Class 6. TX_SET/RX_SET: exactly 8 bytes. VQ_SET: exactly 12, reserved
 * ignored. VQ_GET: the spec has the driver write vq_index and reserved
 * (4 bytes); a 2024 Linux patch sent vq_index only: 2 or 4 bytes accepted.
 * Its result is the 8-byte virtio_net_ctrl_coal after the ack.
 */
static int
handle_coal(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		uint8_t cmd, const struct cmd_data *d, struct reply *r)
{
	const struct cvqsim_ctrl_ops *ops = ctrl->ops;
	struct cvqsim_ctrl_coal c;
	uint8_t out[8];
	uint16_t vq_index;
	int ret;

	switch (cmd) {
	case VIRTIO_NET_CTRL_NOTF_COAL_TX_SET:
	case VIRTIO_NET_CTRL_NOTF_COAL_RX_SET:
		if (d->len != 8 || ops->coal_set == NULL)
			return -EINVAL;
		c.max_packets = cvqsim_get_le32(d->p);
		c.max_usecs = cvqsim_get_le32(d->p + 4);
		return ops->coal_set(ctrl->ctx,
			cmd == VIRTIO_NET_CTRL_NOTF_COAL_TX_SET, &c);
	case VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET:
		if (d->len != 12 || ops->coal_vq_set == NULL)
			return -EINVAL;
		vq_index = cvqsim_get_le16(d->p);
		if (!coal_vq_valid(ctrl, info, vq_index))
			return -EINVAL;
		c.max_packets = cvqsim_get_le32(d->p + 4);
		c.max_usecs = cvqsim_get_le32(d->p + 8);
		return ops->coal_vq_set(ctrl->ctx, vq_index, &c);
	default: /* VQ_GET */
		if ((d->len != 2 && d->len != 4) || ops->coal_vq_get == NULL)
			return -EINVAL;
		vq_index = cvqsim_get_le16(d->p);
		if (!coal_vq_valid(ctrl, info, vq_index))
			return -EINVAL;
		ret = ops->coal_vq_get(ctrl->ctx, vq_index, &c);
		if (ret != 0)
			return ret;
		cvqsim_put_le32(out, c.max_packets);
		cvqsim_put_le32(out + 4, c.max_usecs);
		reply_put(r, out, sizeof(out));
		return 0;
	}
}

/*
 * Class 7: exactly 4 bytes; bits outside supported_tunnel_types are ERR
 * (device SHOULD). 0 disables inner hashing.
 */
static int
handle_hash_tunnel(struct cvqsim_ctrl *ctrl,
		const struct cvqsim_ctrl_info *info, const struct cmd_data *d)
{
	uint32_t types;

	if (d->len != 4)
		return -EINVAL;
	types = cvqsim_get_le32(d->p);
	if ((types & ~info->supported_tunnel_types) != 0 ||
			ctrl->ops->hash_tunnel_set == NULL)
		return -EINVAL;
	return ctrl->ops->hash_tunnel_set(ctrl->ctx, types);
}

uint64_t
cvqsim_ctrl_stats_types_allowed(uint64_t features, uint64_t supported)
{
	uint64_t allowed;

	if ((features & RTE_BIT64(VIRTIO_NET_F_DEVICE_STATS)) == 0)
		return 0;
	/* No feature needed beyond DEVICE_STATS (the SPEED types name none). */
	allowed = VIRTIO_NET_STATS_TYPE_RX_BASIC | VIRTIO_NET_STATS_TYPE_TX_BASIC |
		VIRTIO_NET_STATS_TYPE_CVQ | VIRTIO_NET_STATS_TYPE_RX_SPEED |
		VIRTIO_NET_STATS_TYPE_TX_SPEED;
	if (features & RTE_BIT64(VIRTIO_NET_F_GUEST_CSUM))
		allowed |= VIRTIO_NET_STATS_TYPE_RX_CSUM;
	if (features & RTE_BIT64(VIRTIO_NET_F_CSUM))
		allowed |= VIRTIO_NET_STATS_TYPE_TX_CSUM;
	if (features & (RTE_BIT64(VIRTIO_NET_F_GUEST_TSO4) |
			RTE_BIT64(VIRTIO_NET_F_GUEST_TSO6)))
		allowed |= VIRTIO_NET_STATS_TYPE_RX_GSO;
	if (features & (RTE_BIT64(VIRTIO_NET_F_HOST_TSO4) |
			RTE_BIT64(VIRTIO_NET_F_HOST_TSO6) |
			RTE_BIT64(VIRTIO_NET_F_HOST_USO)))
		allowed |= VIRTIO_NET_STATS_TYPE_TX_GSO;
	return allowed & supported;
}

/* Size of a reply record of type bit, header included; 0 if unknown. */
static uint16_t
stats_record_size(unsigned int bit)
{
	switch (bit) {
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_BASIC:
		return CVQSIM_STATS_RX_BASIC_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM:
		return CVQSIM_STATS_RX_CSUM_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_GSO:
		return CVQSIM_STATS_RX_GSO_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_SPEED:
		return CVQSIM_STATS_RX_SPEED_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_BASIC:
		return CVQSIM_STATS_TX_BASIC_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_CSUM:
		return CVQSIM_STATS_TX_CSUM_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_GSO:
		return CVQSIM_STATS_TX_GSO_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_SPEED:
		return CVQSIM_STATS_TX_SPEED_SIZE;
	case VIRTIO_NET_STATS_TYPE_REPLY_CVQ:
		return CVQSIM_STATS_CVQ_SIZE;
	default:
		return 0;
	}
}

/*
 * The types valid for vq: receive types on even data queues, transmit
 * types on odd ones, CVQ on the control queue; anything else (or a vq past
 * the control queue) gets 0.
 */
static uint64_t
stats_types_of_vq(const struct cvqsim_ctrl_info *info, uint16_t vq_index)
{
	uint16_t cvq = cvqsim_cvq_index(info->features, info->max_queue_pairs);

	if (vq_index == cvq)
		return VIRTIO_NET_STATS_TYPE_CVQ;
	if (vq_index > cvq)
		return 0;
	return (vq_index & 1) ? STATS_TX_TYPES : STATS_RX_TYPES;
}

static uint64_t
ok_total(const struct cvqsim_ctrl_stats *s)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i <= CVQSIM_CTRL_NR_CLASSES; i++)
		sum += s->ok[i];
	return sum;
}

/* Write the records of one GET entry; the entry was validated. */
static int
stats_write_entry(struct cvqsim_ctrl *ctrl, uint16_t vq_index, uint64_t types,
		struct reply *r)
{
	uint8_t rec[8 + 8 * STATS_MAX_COUNTERS];
	uint64_t counters[STATS_MAX_COUNTERS];
	unsigned int bit, i, n;
	uint16_t size;
	int ret;

	while (types != 0) {
		bit = (unsigned int)__builtin_ctzll(types);
		types &= types - 1;
		size = stats_record_size(bit);
		n = (size - 8u) / 8u;
		if (bit == VIRTIO_NET_STATS_TYPE_REPLY_CVQ) {
			/* Both count the current command (spec). */
			counters[0] = ctrl->stats.commands;
			counters[1] = ok_total(&ctrl->stats) + 1;
		} else {
			ret = ctrl->ops->stats_read(ctrl->ctx, vq_index, (uint8_t)bit,
					counters, n);
			if (ret != 0)
				return ret;
		}
		memset(rec, 0, 8);
		rec[0] = (uint8_t)bit;
		cvqsim_put_le16(rec + 2, vq_index);
		cvqsim_put_le16(rec + 6, size);
		for (i = 0; i < n; i++)
			cvqsim_put_le64(rec + 8 + 8 * i, counters[i]);
		reply_put(r, rec, size);
	}
	return 0;
}

/*
 * Class 8. QUERY: no data; result le64 of the types the driver may request
 * (what the backend counts, minus the types whose feature was not
 * negotiated, so a driver that trusts the answer never gets ERR).
 * GET: a non-empty whole number of 16-byte entries; every entry is checked
 * before anything is written (device MUST fail the whole command): vq_index
 * names an existing queue, every type bit is known, valid for that queue
 * kind and allowed. Reserved fields are ignored. Records follow the entries'
 * order, types in increasing bit order, cut at the end of the buffer.
 */
static int
handle_stats(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		uint8_t cmd, const struct cmd_data *d, struct reply *r)
{
	uint64_t allowed = cvqsim_ctrl_stats_types_allowed(info->features,
			info->supported_stats_types);
	uint8_t out[8];
	uint32_t off;
	int ret;

	/* Without stats_read only the decoder's own CVQ record exists. */
	if (ctrl->ops->stats_read == NULL)
		allowed &= VIRTIO_NET_STATS_TYPE_CVQ;
	if (cmd == VIRTIO_NET_CTRL_STATS_QUERY) {
		if (d->len != 0)
			return -EINVAL;
		cvqsim_put_le64(out, allowed);
		reply_put(r, out, sizeof(out));
		return 0;
	}
	if (d->len == 0 || d->len % STATS_ENTRY_SIZE != 0)
		return -EINVAL;
	for (off = 0; off < d->len; off += STATS_ENTRY_SIZE) {
		uint16_t vq_index = cvqsim_get_le16(d->p + off);
		uint64_t types = cvqsim_get_le64(d->p + off + 8);

		if (vq_index > 2 * (uint32_t)info->max_queue_pairs)
			return -EINVAL;
		if ((types & ~(allowed & stats_types_of_vq(info, vq_index))) != 0)
			return -EINVAL;
	}
	for (off = 0; off < d->len; off += STATS_ENTRY_SIZE) {
		ret = stats_write_entry(ctrl, cvqsim_get_le16(d->p + off),
				cvqsim_get_le64(d->p + off + 8), r);
		if (ret != 0)
			return ret;
	}
	return 0;
}

static int
dispatch(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_info *info,
		uint8_t cls, uint8_t cmd, const struct cmd_data *d,
		struct reply *r)
{
	int feature = command_feature(cls, cmd);

	if (feature < 0)
		return -ENOTSUP;
	if ((info->features & RTE_BIT64(VIRTIO_NET_F_CTRL_VQ)) == 0 ||
			(info->features & RTE_BIT64(feature)) == 0)
		return -EPERM;
	switch (cls) {
	case VIRTIO_NET_CTRL_RX:
		return handle_rx(ctrl, cmd, d);
	case VIRTIO_NET_CTRL_MAC:
		return handle_mac(ctrl, cmd, d);
	case VIRTIO_NET_CTRL_VLAN:
		return handle_vlan(ctrl, cmd, d);
	case VIRTIO_NET_CTRL_ANNOUNCE:
		return handle_announce(ctrl, info, d);
	case VIRTIO_NET_CTRL_MQ:
		return handle_mq(ctrl, info, cmd, d);
	case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
		return handle_offloads(ctrl, info, d);
	case VIRTIO_NET_CTRL_NOTF_COAL:
		return handle_coal(ctrl, info, cmd, d, r);
	case VIRTIO_NET_CTRL_HASH_TUNNEL:
		return handle_hash_tunnel(ctrl, info, d);
	default: /* VIRTIO_NET_CTRL_STATS, the only class left */
		return handle_stats(ctrl, info, cmd, d, r);
	}
}

void
cvqsim_ctrl_init(struct cvqsim_ctrl *ctrl, const struct cvqsim_ctrl_ops *ops,
		void *ctx)
{
	ctrl->ops = ops;
	ctrl->ctx = ctx;
	cvqsim_ctrl_stats_reset(ctrl);
}

void
cvqsim_ctrl_stats_reset(struct cvqsim_ctrl *ctrl)
{
	memset(&ctrl->stats, 0, sizeof(ctrl->stats));
}

int
cvqsim_ctrl_process(struct cvqsim_ctrl *ctrl, const struct cvqsim_chain *chain,
		uint32_t *used_len)
{
	struct reply r = {
		.iov = &chain->iov[chain->nr_out],
		.nr_iov = chain->nr_in,
		.len = 0,
	};
	struct cvqsim_ctrl_info info;
	struct cmd_data d;
	unsigned int slot = CVQSIM_CTRL_CLASS_OTHER;
	uint8_t ack;
	size_t len;
	int ret = -EINVAL;

	ctrl->stats.commands++;
	*used_len = 0;
	/* Probe for the ack byte first: without it nothing may be applied. */
	ack = VIRTIO_NET_ERR;
	if (chain->in_len == 0 ||
			cvqsim_buf_to_iov(r.iov, r.nr_iov, 0, &ack, 1) != 1) {
		ctrl->stats.no_ack++;
		return -ENOBUFS;
	}
	if (chain->out_len > CVQSIM_CTRL_MAX_REQ) {
		ctrl->stats.oversize++;
		goto done;
	}
	len = cvqsim_iov_to_buf(chain->iov, chain->nr_out, 0, ctrl->req,
			chain->out_len);
	if (len != chain->out_len || len < 2)
		goto done;
	if (ctrl->req[0] < CVQSIM_CTRL_NR_CLASSES)
		slot = ctrl->req[0];
	d.p = ctrl->req + 2;
	d.len = (uint32_t)len - 2;
	ctrl->ops->get_info(ctrl->ctx, &info);
	ret = dispatch(ctrl, &info, ctrl->req[0], ctrl->req[1], &d, &r);
done:
	ack = ack_of(ret);
	cvqsim_buf_to_iov(r.iov, r.nr_iov, 0, &ack, 1);
	if (ack == VIRTIO_NET_OK) {
		ctrl->stats.ok[slot]++;
		*used_len = 1 + r.len;
	} else {
		ctrl->stats.err[slot]++;
		*used_len = 1;
	}
	return ack;
}

const char *
cvqsim_ctrl_class_name(uint8_t cls)
{
	static const char *const names[CVQSIM_CTRL_NR_CLASSES] = {
		"rx", "mac", "vlan", "announce", "mq", "guest_offloads",
		"notf_coal", "hash_tunnel", "stats", "rss_ctx",
	};

	return cls < CVQSIM_CTRL_NR_CLASSES ? names[cls] : "unknown";
}
