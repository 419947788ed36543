/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The virtio-net device model: lifecycle, config space, the control queue
 * backend (cvqsim_net_ctrl_ops) and the counters. What the datapath asks of
 * it per frame (receive filter, steering) is in cvqsim_net_rx.c.
 */

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_bitops.h>
#include <rte_byteorder.h>

#include "cvqsim_net.h"

static inline bool
has_feature(const struct cvqsim_net_state *st, unsigned int bit)
{
	return (st->features & RTE_BIT64(bit)) != 0;
}

/*
 * Writer side of the snapshot seqcount: every change of net->state happens
 * between these two calls.
 */
static inline void
state_begin(struct cvqsim_net *net)
{
	rte_seqcount_write_begin(&net->seq);
}

/* The state is copied as 64-bit words (its first member is one). */
static_assert(sizeof(struct cvqsim_net_state) % sizeof(uint64_t) == 0,
	"cvqsim_net_state is not a whole number of 64-bit words");
#define STATE_WORDS (sizeof(struct cvqsim_net_state) / sizeof(uint64_t))

static inline void
state_end(struct cvqsim_net *net)
{
	const uint64_t *from = (const uint64_t *)&net->state;
	uint64_t *to = (uint64_t *)&net->published;
	size_t i;

	net->state.generation++;
	for (i = 0; i < STATE_WORDS; i++)
		__atomic_store_n(&to[i], from[i], __ATOMIC_RELAXED);
	rte_seqcount_write_end(&net->seq);
}

/* A consistent copy of the published state (any thread). */
static void
state_read(const struct cvqsim_net *net, struct cvqsim_net_state *out)
{
	const uint64_t *from = (const uint64_t *)&net->published;
	uint64_t *to = (uint64_t *)out;
	uint32_t sn;
	size_t i;

	do {
		sn = rte_seqcount_read_begin(&net->seq);
		for (i = 0; i < STATE_WORDS; i++)
			to[i] = __atomic_load_n(&from[i], __ATOMIC_RELAXED);
	} while (rte_seqcount_read_retry(&net->seq, sn));
}

/* The counters are plain uint64_t arrays: zero them with atomic stores. */
static void
stats_zero(struct cvqsim_net_stats *stats)
{
	uint64_t *c = (uint64_t *)stats;
	size_t i;

	for (i = 0; i < sizeof(*stats) / sizeof(uint64_t); i++)
		__atomic_store_n(&c[i], 0, __ATOMIC_RELAXED);
}

/*
 * Lifecycle
 */

static void
vlan_fill(struct cvqsim_net_state *st, bool all_pass)
{
	memset(st->vlan_filter, all_pass ? 0xff : 0, sizeof(st->vlan_filter));
}

static void
vq_enabled_fill(struct cvqsim_net_state *st, uint16_t pairs)
{
	uint32_t vq_index;

	memset(st->vq_enabled, 0, sizeof(st->vq_enabled));
	for (vq_index = 0; vq_index < 2 * (uint32_t)pairs; vq_index++)
		st->vq_enabled[vq_index / 64] |= RTE_BIT64(vq_index % 64);
}

int
cvqsim_net_init(struct cvqsim_net *net, const struct cvqsim_net_params *params)
{
	struct cvqsim_net_params p = *params;

	if (p.max_queue_pairs < 1 ||
			p.max_queue_pairs > RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return -EINVAL;
	if (p.mac_table_entries == 0)
		p.mac_table_entries = RTE_PMD_CVQSIM_MAC_TABLE_DEFAULT;
	if (p.mac_table_entries > RTE_PMD_CVQSIM_MAC_TABLE_MAX)
		return -EINVAL;
	if (p.mtu < 68)
		return -EINVAL;
	if (p.supported_hash_types == 0)
		p.supported_hash_types = CVQSIM_VIRTIO_NET_HASH_TYPE_ALL;
	if ((p.supported_hash_types & ~CVQSIM_VIRTIO_NET_HASH_TYPE_ALL) != 0)
		return -EINVAL;
	if ((p.supported_tunnel_types & ~CVQSIM_NET_TUNNEL_TYPES_SUPPORTED) != 0)
		return -EINVAL;
	memset(net, 0, sizeof(*net));
	rte_seqcount_init(&net->seq);
	net->params = p;
	cvqsim_net_reset(net);
	return 0;
}

void
cvqsim_net_reset(struct cvqsim_net *net)
{
	const struct cvqsim_net_params *p = &net->params;
	struct cvqsim_net_state *st = &net->state;
	uint64_t generation = st->generation;
	uint64_t announces = st->announces;

	state_begin(net);
	memset(st, 0, sizeof(*st));
	st->generation = generation;
	st->announces = announces;
	memcpy(st->mac, p->mac, sizeof(st->mac));
	st->status = p->link_up ? VIRTIO_NET_S_LINK_UP : 0;
	st->max_queue_pairs = p->max_queue_pairs;
	st->mtu = p->mtu;
	st->speed = p->speed;
	st->duplex = p->duplex;
	st->rss_max_key_size = RTE_PMD_CVQSIM_RSS_KEY_SIZE;
	st->rss_max_indirection_table_length = RTE_PMD_CVQSIM_RSS_TABLE_LEN;
	st->supported_hash_types = p->supported_hash_types;
	st->supported_tunnel_types = p->supported_tunnel_types;
	st->curr_queue_pairs = 1;
	/* QEMU: promiscuous "for compatibility" until the driver says. */
	st->rx_mode.promisc = 1;
	st->mac_table_capacity = p->mac_table_entries;
	st->rss.table_len = 1;
	/* No feature negotiated, so no CTRL_VLAN: every VLAN passes. */
	vlan_fill(st, true);
	state_end(net);
	stats_zero(&net->stats);
}

void
cvqsim_net_set_features(struct cvqsim_net *net, uint64_t features)
{
	struct cvqsim_net_state *st = &net->state;

	state_begin(net);
	st->features = features;
	st->guest_offloads = features & CVQSIM_CTRL_GUEST_OFFLOADS;
	vlan_fill(st, !has_feature(st, VIRTIO_NET_F_CTRL_VLAN));
	vq_enabled_fill(st, cvqsim_net_queue_pairs_max(net));
	state_end(net);
}

uint16_t
cvqsim_net_queue_pairs_max(const struct cvqsim_net *net)
{
	const struct cvqsim_net_state *st = &net->state;

	if (has_feature(st, VIRTIO_NET_F_MQ) || has_feature(st, VIRTIO_NET_F_RSS))
		return st->max_queue_pairs;
	return 1;
}

bool
cvqsim_net_vq_enabled(const struct cvqsim_net *net, uint16_t vq_index)
{
	if (vq_index >= 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return false;
	return (net->state.vq_enabled[vq_index / 64] & RTE_BIT64(vq_index % 64)) != 0;
}

void
cvqsim_net_set_vq_enabled(struct cvqsim_net *net, uint16_t vq_index, bool enabled)
{
	struct cvqsim_net_state *st = &net->state;

	if (vq_index >= 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS ||
			cvqsim_net_vq_enabled(net, vq_index) == enabled)
		return;
	state_begin(net);
	if (enabled) {
		st->vq_enabled[vq_index / 64] |= RTE_BIT64(vq_index % 64);
		/* Spec: re-enabled queues take the last TX_SET/RX_SET values. */
		st->coal_vq[vq_index] = (vq_index & 1) ? st->coal_tx : st->coal_rx;
	} else {
		st->vq_enabled[vq_index / 64] &= ~RTE_BIT64(vq_index % 64);
		/*
		 * Unobservable while disabled (VQ_GET needs an enabled queue)
		 * and replaced on re-enable: hold the default, so that equal
		 * configurations are equal bytes (saved state, replay).
		 */
		st->coal_vq[vq_index] = (vq_index & 1) ? st->coal_tx : st->coal_rx;
	}
	state_end(net);
}

void
cvqsim_net_state_load(struct cvqsim_net *net,
		const struct cvqsim_net_state *st,
		const struct cvqsim_net_stats *stats)
{
	uint64_t generation = net->state.generation;
	const uint64_t *src = (const uint64_t *)stats;
	uint64_t *dst = (uint64_t *)&net->stats;
	size_t i;

	state_begin(net);
	net->state = *st;
	net->state.generation = generation;
	state_end(net);
	if (stats == NULL)
		return;
	for (i = 0; i < sizeof(*stats) / sizeof(uint64_t); i++)
		__atomic_store_n(&dst[i], src[i], __ATOMIC_RELAXED);
}

bool
cvqsim_net_announce(struct cvqsim_net *net)
{
	struct cvqsim_net_state *st = &net->state;

	if (!has_feature(st, VIRTIO_NET_F_GUEST_ANNOUNCE) ||
			!has_feature(st, VIRTIO_NET_F_CTRL_VQ) ||
			(st->status & VIRTIO_NET_S_ANNOUNCE) != 0)
		return false;
	state_begin(net);
	st->status |= VIRTIO_NET_S_ANNOUNCE;
	st->announces++;
	state_end(net);
	return true;
}

bool
cvqsim_net_set_link(struct cvqsim_net *net, bool up)
{
	struct cvqsim_net_state *st = &net->state;
	uint16_t status = up ? st->status | VIRTIO_NET_S_LINK_UP :
		st->status & ~VIRTIO_NET_S_LINK_UP;

	if (status == st->status)
		return false;
	state_begin(net);
	st->status = status;
	state_end(net);
	return true;
}

/*
 * Config space
 */

uint32_t
cvqsim_net_config_size(uint64_t offered)
{
	if (offered & RTE_BIT64(VIRTIO_NET_F_HASH_TUNNEL))
		return offsetof(struct cvqsim_virtio_net_config,
			supported_tunnel_types) + 4;
	if (offered & (RTE_BIT64(VIRTIO_NET_F_RSS) | RTE_BIT64(VIRTIO_NET_F_HASH_REPORT)))
		return offsetof(struct cvqsim_virtio_net_config,
			supported_tunnel_types);
	if (offered & RTE_BIT64(VIRTIO_NET_F_SPEED_DUPLEX))
		return offsetof(struct cvqsim_virtio_net_config, duplex) + 1;
	if (offered & RTE_BIT64(VIRTIO_NET_F_MTU))
		return offsetof(struct cvqsim_virtio_net_config, speed);
	if (offered & RTE_BIT64(VIRTIO_NET_F_MQ))
		return offsetof(struct cvqsim_virtio_net_config, mtu);
	if (offered & RTE_BIT64(VIRTIO_NET_F_STATUS))
		return offsetof(struct cvqsim_virtio_net_config,
			max_virtqueue_pairs);
	return offsetof(struct cvqsim_virtio_net_config, status);
}

static void
config_build(const struct cvqsim_net_state *st,
		struct cvqsim_virtio_net_config *c)
{
	memcpy(c->mac, st->mac, sizeof(c->mac));
	c->status = rte_cpu_to_le_16(st->status);
	c->max_virtqueue_pairs = rte_cpu_to_le_16(st->max_queue_pairs);
	c->mtu = rte_cpu_to_le_16(st->mtu);
	c->speed = rte_cpu_to_le_32(st->speed);
	c->duplex = st->duplex;
	c->rss_max_key_size = st->rss_max_key_size;
	c->rss_max_indirection_table_length =
		rte_cpu_to_le_16(st->rss_max_indirection_table_length);
	c->supported_hash_types = rte_cpu_to_le_32(st->supported_hash_types);
	c->supported_tunnel_types = rte_cpu_to_le_32(st->supported_tunnel_types);
}

uint32_t
cvqsim_net_config_read(const struct cvqsim_net *net, uint32_t offset,
		void *buf, uint32_t len)
{
	struct cvqsim_virtio_net_config c;
	struct cvqsim_net_state st;

	if (offset >= sizeof(c))
		return 0;
	if (len > sizeof(c) - offset)
		len = sizeof(c) - offset;
	/* Any thread may read config space: from the published state. */
	state_read(net, &st);
	config_build(&st, &c);
	memcpy(buf, (const uint8_t *)&c + offset, len);
	return len;
}

/*
 * Control queue backend. The decoder has validated everything; these only
 * store, between state_begin() and state_end().
 */

static void
ctrl_get_info(void *ctx, struct cvqsim_ctrl_info *info)
{
	const struct cvqsim_net *net = ctx;
	const struct cvqsim_net_state *st = &net->state;

	info->features = st->features;
	info->max_queue_pairs = cvqsim_net_queue_pairs_max(net);
	info->rss_max_indirection_table_length =
		st->rss_max_indirection_table_length;
	info->rss_max_key_size = st->rss_max_key_size;
	info->supported_hash_types = st->supported_hash_types;
	info->supported_tunnel_types = st->supported_tunnel_types;
	info->supported_stats_types = CVQSIM_NET_STATS_TYPES_SUPPORTED;
	info->announce_pending = (st->status & VIRTIO_NET_S_ANNOUNCE) != 0;
}

static bool
ctrl_vq_enabled(void *ctx, uint16_t vq_index)
{
	return cvqsim_net_vq_enabled(ctx, vq_index);
}

static int
ctrl_rx_mode(void *ctx, uint8_t cmd, bool on)
{
	struct cvqsim_net *net = ctx;
	struct rte_pmd_cvqsim_net_rx_mode *m = &net->state.rx_mode;
	uint8_t *flag;

	switch (cmd) {
	case VIRTIO_NET_CTRL_RX_PROMISC:
		flag = &m->promisc;
		break;
	case VIRTIO_NET_CTRL_RX_ALLMULTI:
		flag = &m->allmulti;
		break;
	case VIRTIO_NET_CTRL_RX_ALLUNI:
		flag = &m->alluni;
		break;
	case VIRTIO_NET_CTRL_RX_NOMULTI:
		flag = &m->nomulti;
		break;
	case VIRTIO_NET_CTRL_RX_NOUNI:
		flag = &m->nouni;
		break;
	case VIRTIO_NET_CTRL_RX_NOBCAST:
		flag = &m->nobcast;
		break;
	default:
		return -EINVAL;
	}
	state_begin(net);
	*flag = on;
	state_end(net);
	return 0;
}

/*
 * QEMU's table semantics: one table of mac_table_capacity entries, unicast
 * first. A list larger than the room left stores nothing and sets its
 * overflow flag (that class is then accepted whole); still OK.
 */
static int
ctrl_mac_table_set(void *ctx, const uint8_t *uc, uint32_t n_uc,
		const uint8_t *mc, uint32_t n_mc)
{
	struct cvqsim_net *net = ctx;
	struct cvqsim_net_state *st = &net->state;
	uint32_t cap = st->mac_table_capacity;

	state_begin(net);
	/* No stale entries past the lists: equal tables are equal bytes. */
	memset(st->macs, 0, (size_t)(st->uc_count + st->mc_count) * 6);
	st->uc_count = 0;
	st->mc_count = 0;
	/* Empty lists may come with NULL pointers: no memcpy for them. */
	st->uc_overflow = n_uc > cap;
	if (!st->uc_overflow && n_uc > 0) {
		memcpy(st->macs, uc, (size_t)n_uc * 6);
		st->uc_count = (uint16_t)n_uc;
	}
	st->mc_overflow = n_mc > cap - st->uc_count;
	if (!st->mc_overflow && n_mc > 0) {
		memcpy(st->macs[st->uc_count], mc, (size_t)n_mc * 6);
		st->mc_count = (uint16_t)n_mc;
	}
	state_end(net);
	return 0;
}

static int
ctrl_mac_addr_set(void *ctx, const uint8_t mac[6])
{
	struct cvqsim_net *net = ctx;

	state_begin(net);
	memcpy(net->state.mac, mac, 6);
	state_end(net);
	return 0;
}

static int
ctrl_vlan(void *ctx, uint16_t vid, bool add)
{
	struct cvqsim_net *net = ctx;
	uint32_t *word = &net->state.vlan_filter[vid / 32];

	state_begin(net);
	if (add)
		*word |= 1u << (vid % 32);
	else
		*word &= ~(1u << (vid % 32));
	state_end(net);
	return 0;
}

static int
ctrl_announce_ack(void *ctx)
{
	struct cvqsim_net *net = ctx;

	state_begin(net);
	net->state.status &= ~VIRTIO_NET_S_ANNOUNCE;
	state_end(net);
	return 0;
}

/* Automatic steering over pairs 0 .. pairs - 1; hash parameters are kept. */
static int
ctrl_vq_pairs_set(void *ctx, uint16_t pairs)
{
	struct cvqsim_net *net = ctx;

	state_begin(net);
	net->state.curr_queue_pairs = pairs;
	net->state.rss.steering = 0;
	state_end(net);
	return 0;
}

static void
rss_store(struct rte_pmd_cvqsim_net_rss *rss, const struct cvqsim_ctrl_rss *c)
{
	rss->hash_types = c->hash_types;
	rss->hashing = c->hash_types != 0;
	rss->table_len = c->table_len;
	rss->unclassified_queue = c->unclassified_queue;
	memset(rss->table, 0, sizeof(rss->table));
	memcpy(rss->table, c->table, (size_t)c->table_len * 2);
	rss->key_len = c->key_len;
	memset(rss->key, 0, sizeof(rss->key));
	memcpy(rss->key, c->key, c->key_len);
}

/*
 * RSS_CONFIG sets the pair count to max_tx_vq (QEMU, and Linux's header
 * comment). Key length 0 with hash types 0 turns RSS off (QEMU).
 */
static int
ctrl_rss_config(void *ctx, const struct cvqsim_ctrl_rss *c)
{
	struct cvqsim_net *net = ctx;
	struct cvqsim_net_state *st = &net->state;

	if (c->table_len > RTE_PMD_CVQSIM_RSS_TABLE_LEN ||
			c->key_len > RTE_PMD_CVQSIM_RSS_KEY_SIZE)
		return -EINVAL;
	state_begin(net);
	rss_store(&st->rss, c);
	st->rss.steering = !(c->key_len == 0 && c->hash_types == 0);
	st->curr_queue_pairs = c->max_tx_vq;
	state_end(net);
	return 0;
}

/* HASH_CONFIG: hash parameters only; as the last MQ command, steering off. */
static int
ctrl_hash_config(void *ctx, const struct cvqsim_ctrl_rss *c)
{
	struct cvqsim_net *net = ctx;

	if (c->key_len > RTE_PMD_CVQSIM_RSS_KEY_SIZE)
		return -EINVAL;
	state_begin(net);
	rss_store(&net->state.rss, c);
	net->state.rss.steering = 0;
	state_end(net);
	return 0;
}

static int
ctrl_guest_offloads_set(void *ctx, uint64_t offloads)
{
	struct cvqsim_net *net = ctx;

	state_begin(net);
	net->state.guest_offloads = offloads;
	state_end(net);
	return 0;
}

static inline struct rte_pmd_cvqsim_net_coal
coal_of(const struct cvqsim_ctrl_coal *c)
{
	struct rte_pmd_cvqsim_net_coal v = {
		.max_packets = c->max_packets,
		.max_usecs = c->max_usecs,
	};

	return v;
}

/* TX_SET / RX_SET: every transmit (receive) queue, enabled or not. */
static int
ctrl_coal_set(void *ctx, bool tx, const struct cvqsim_ctrl_coal *c)
{
	struct cvqsim_net *net = ctx;
	struct cvqsim_net_state *st = &net->state;
	uint32_t vq_index;

	state_begin(net);
	if (tx)
		st->coal_tx = coal_of(c);
	else
		st->coal_rx = coal_of(c);
	for (vq_index = tx ? 1 : 0;
			vq_index < 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS;
			vq_index += 2)
		st->coal_vq[vq_index] = coal_of(c);
	state_end(net);
	return 0;
}

static int
ctrl_coal_vq_set(void *ctx, uint16_t vq_index, const struct cvqsim_ctrl_coal *c)
{
	struct cvqsim_net *net = ctx;

	if (vq_index >= 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return -EINVAL;
	state_begin(net);
	net->state.coal_vq[vq_index] = coal_of(c);
	state_end(net);
	return 0;
}

static int
ctrl_coal_vq_get(void *ctx, uint16_t vq_index, struct cvqsim_ctrl_coal *c)
{
	const struct cvqsim_net *net = ctx;

	if (vq_index >= 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return -EINVAL;
	c->max_packets = net->state.coal_vq[vq_index].max_packets;
	c->max_usecs = net->state.coal_vq[vq_index].max_usecs;
	return 0;
}

static int
ctrl_hash_tunnel_set(void *ctx, uint32_t types)
{
	struct cvqsim_net *net = ctx;

	state_begin(net);
	net->state.tunnel_types = types;
	state_end(net);
	return 0;
}

static inline uint64_t
counter_read(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

/* Copy n consecutive counters starting at first. */
static void
counters_copy(uint64_t *out, const uint64_t *first, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		out[i] = counter_read(&first[i]);
}

/* The records copy runs of the model's counters, in the spec's order. */
_Static_assert(offsetof(struct cvqsim_net_rxq_stats, csum_bad) -
	offsetof(struct cvqsim_net_rxq_stats, csum_valid) == 3 * 8 &&
	offsetof(struct cvqsim_net_rxq_stats, drop_overruns) -
	offsetof(struct cvqsim_net_rxq_stats, notifications) == 5 * 8 &&
	offsetof(struct cvqsim_net_txq_stats, drop_malformed) -
	offsetof(struct cvqsim_net_txq_stats, notifications) == 5 * 8 &&
	offsetof(struct cvqsim_net_txq_stats, needs_csum) -
	offsetof(struct cvqsim_net_txq_stats, csum_none) == 8,
	"STATS_GET records and the model's counters disagree");

static int
ctrl_stats_read(void *ctx, uint16_t vq_index, uint8_t type_bit, uint64_t *out,
		unsigned int n)
{
	const struct cvqsim_net *net = ctx;
	const struct cvqsim_net_rxq_stats *rx;
	const struct cvqsim_net_txq_stats *tx;
	const uint64_t *first;

	if (vq_index / 2 >= RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return -EINVAL;
	rx = &net->stats.rxq[vq_index / 2];
	tx = &net->stats.txq[vq_index / 2];
	switch (type_bit) {
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_BASIC:
		first = &rx->notifications;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM:
		first = &rx->csum_valid;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_GSO:
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_GSO:
		/* No segmentation, no coalescing: the layout, all 0. */
		memset(out, 0, n * sizeof(*out));
		return 0;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_BASIC:
		first = &tx->notifications;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_CSUM:
		first = &tx->csum_none;
		break;
	default:
		return -ENOTSUP;
	}
	counters_copy(out, first, n);
	return 0;
}

const struct cvqsim_ctrl_ops cvqsim_net_ctrl_ops = {
	.get_info = ctrl_get_info,
	.vq_enabled = ctrl_vq_enabled,
	.rx_mode = ctrl_rx_mode,
	.mac_table_set = ctrl_mac_table_set,
	.mac_addr_set = ctrl_mac_addr_set,
	.vlan = ctrl_vlan,
	.announce_ack = ctrl_announce_ack,
	.vq_pairs_set = ctrl_vq_pairs_set,
	.rss_config = ctrl_rss_config,
	.hash_config = ctrl_hash_config,
	.guest_offloads_set = ctrl_guest_offloads_set,
	.coal_set = ctrl_coal_set,
	.coal_vq_set = ctrl_coal_vq_set,
	.coal_vq_get = ctrl_coal_vq_get,
	.hash_tunnel_set = ctrl_hash_tunnel_set,
	.stats_read = ctrl_stats_read,
};

/*
 * Counters
 */

void
cvqsim_net_count_tx_tally(struct cvqsim_net *net, uint16_t pair,
		const struct cvqsim_net_tally *t)
{
	struct cvqsim_net_txq_stats *s;

	if (pair >= RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS || t->packets == 0)
		return;
	s = &net->stats.txq[pair];
	cvqsim_net_count(&s->packets, t->packets);
	cvqsim_net_count(&s->bytes, t->bytes);
	if (t->needs_csum != 0)
		cvqsim_net_count(&s->needs_csum, t->needs_csum);
	if (t->csum_none != 0)
		cvqsim_net_count(&s->csum_none, t->csum_none);
}

void
cvqsim_net_count_tx_drop(struct cvqsim_net *net, uint16_t pair, bool malformed)
{
	if (pair >= RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return;
	cvqsim_net_count(&net->stats.txq[pair].drops, 1);
	if (malformed)
		cvqsim_net_count(&net->stats.txq[pair].drop_malformed, 1);
}

void
cvqsim_net_count_rx_tally(struct cvqsim_net *net, uint16_t pair,
		const struct cvqsim_net_tally *t)
{
	struct cvqsim_net_rxq_stats *s;

	if (pair >= RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS || t->packets == 0)
		return;
	s = &net->stats.rxq[pair];
	cvqsim_net_count(&s->packets, t->packets);
	cvqsim_net_count(&s->bytes, t->bytes);
	if (t->csum_valid != 0)
		cvqsim_net_count(&s->csum_valid, t->csum_valid);
	if (t->needs_csum != 0)
		cvqsim_net_count(&s->needs_csum, t->needs_csum);
	if (t->csum_none != 0)
		cvqsim_net_count(&s->csum_none, t->csum_none);
	if (t->csum_bad != 0)
		cvqsim_net_count(&s->csum_bad, t->csum_bad);
}

void
cvqsim_net_count_rx_drop(struct cvqsim_net *net, uint16_t pair, bool overrun)
{
	if (pair >= RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return;
	cvqsim_net_count(&net->stats.rxq[pair].drops, 1);
	if (overrun)
		cvqsim_net_count(&net->stats.rxq[pair].drop_overruns, 1);
}

void
cvqsim_net_count_kick(struct cvqsim_net *net, uint16_t vq_index)
{
	if (vq_index >= 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return;
	if (vq_index & 1)
		cvqsim_net_count(&net->stats.txq[vq_index / 2].notifications, 1);
	else
		cvqsim_net_count(&net->stats.rxq[vq_index / 2].notifications, 1);
}

void
cvqsim_net_count_interrupt(struct cvqsim_net *net, uint16_t vq_index)
{
	if (vq_index >= 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
		return;
	if (vq_index & 1)
		cvqsim_net_count(&net->stats.txq[vq_index / 2].interrupts, 1);
	else
		cvqsim_net_count(&net->stats.rxq[vq_index / 2].interrupts, 1);
}

/*
 * Introspection
 */

void
cvqsim_net_state_get(const struct cvqsim_net *net, struct cvqsim_net_state *out)
{
	state_read(net, out);
}

void
cvqsim_net_stats_get(const struct cvqsim_net *net, struct cvqsim_net_stats *out)
{
	counters_copy((uint64_t *)out, (const uint64_t *)&net->stats,
		sizeof(*out) / sizeof(uint64_t));
}
