/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The virtio-net device model: lifecycle, config space, the control queue
 * backend (cvqsim_net_ctrl_ops), the receive filter, the counters, and the
 * frame parsing and Toeplitz hashing behind RX steering (last section).
 */

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
/*
 * rte_thash.h pulls rte_mbuf.h, whose headers test GCC_VERSION because
 * Debian's rte_config.h says RTE_TOOLCHAIN_GCC; clang never defines it,
 * and -Wundef would reject DPDK's own header.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#include <rte_thash.h>
#pragma GCC diagnostic pop

#include "cvqsim_net.h"

#define BIT64(n)	(1ULL << (n))
#define ETH_HDR_LEN	14	/* destination, source, ethertype */

static inline bool
has_feature(const struct cvqsim_net_state *st, unsigned int bit)
{
	return (st->features & BIT64(bit)) != 0;
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

static inline void
state_end(struct cvqsim_net *net)
{
	net->state.generation++;
	rte_seqcount_write_end(&net->seq);
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
	uint32_t vq;

	memset(st->vq_enabled, 0, sizeof(st->vq_enabled));
	for (vq = 0; vq < 2 * (uint32_t)pairs; vq++)
		st->vq_enabled[vq / 64] |= BIT64(vq % 64);
}

int
cvqsim_net_init(struct cvqsim_net *net, const struct cvqsim_net_params *params)
{
	struct cvqsim_net_params p = *params;

	if (p.max_queue_pairs < 1 ||
			p.max_queue_pairs > CVQSIM_NET_MAX_QUEUE_PAIRS)
		return -EINVAL;
	if (p.mac_table_entries == 0)
		p.mac_table_entries = CVQSIM_NET_MAC_TABLE_DEFAULT;
	if (p.mac_table_entries > CVQSIM_NET_MAC_TABLE_MAX)
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
	st->rss_max_key_size = CVQSIM_NET_RSS_KEY_SIZE;
	st->rss_max_indirection_table_length = CVQSIM_NET_RSS_TABLE_LEN;
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

uint16_t
cvqsim_net_cvq_index(const struct cvqsim_net *net)
{
	return (uint16_t)(2 * cvqsim_net_queue_pairs_max(net));
}

bool
cvqsim_net_vq_enabled(const struct cvqsim_net *net, uint16_t vq)
{
	if (vq >= 2 * CVQSIM_NET_MAX_QUEUE_PAIRS)
		return false;
	return (net->state.vq_enabled[vq / 64] & BIT64(vq % 64)) != 0;
}

void
cvqsim_net_set_vq_enabled(struct cvqsim_net *net, uint16_t vq, bool enabled)
{
	struct cvqsim_net_state *st = &net->state;

	if (vq >= 2 * CVQSIM_NET_MAX_QUEUE_PAIRS ||
			cvqsim_net_vq_enabled(net, vq) == enabled)
		return;
	state_begin(net);
	if (enabled) {
		st->vq_enabled[vq / 64] |= BIT64(vq % 64);
		/* Spec: re-enabled queues take the last TX_SET/RX_SET values. */
		st->coal_vq[vq] = (vq & 1) ? st->coal_tx : st->coal_rx;
	} else {
		st->vq_enabled[vq / 64] &= ~BIT64(vq % 64);
		/*
		 * Unobservable while disabled (VQ_GET needs an enabled queue)
		 * and replaced on re-enable: hold the default, so that equal
		 * configurations are equal bytes (saved state, replay).
		 */
		st->coal_vq[vq] = (vq & 1) ? st->coal_tx : st->coal_rx;
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
	if (offered & BIT64(VIRTIO_NET_F_HASH_TUNNEL))
		return offsetof(struct cvqsim_virtio_net_config,
			supported_tunnel_types) + 4;
	if (offered & (BIT64(VIRTIO_NET_F_RSS) | BIT64(VIRTIO_NET_F_HASH_REPORT)))
		return offsetof(struct cvqsim_virtio_net_config,
			supported_tunnel_types);
	if (offered & BIT64(VIRTIO_NET_F_SPEED_DUPLEX))
		return offsetof(struct cvqsim_virtio_net_config, duplex) + 1;
	if (offered & BIT64(VIRTIO_NET_F_MTU))
		return offsetof(struct cvqsim_virtio_net_config, speed);
	if (offered & BIT64(VIRTIO_NET_F_MQ))
		return offsetof(struct cvqsim_virtio_net_config, mtu);
	if (offered & BIT64(VIRTIO_NET_F_STATUS))
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
	uint32_t sn;

	if (offset >= sizeof(c))
		return 0;
	if (len > sizeof(c) - offset)
		len = sizeof(c) - offset;
	/* Any thread may read config space: same protocol as state_get. */
	do {
		sn = rte_seqcount_read_begin(&net->seq);
		config_build(&net->state, &c);
	} while (rte_seqcount_read_retry(&net->seq, sn));
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
ctrl_vq_enabled(void *ctx, uint16_t vq)
{
	return cvqsim_net_vq_enabled(ctx, vq);
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

	if (c->table_len > CVQSIM_NET_RSS_TABLE_LEN ||
			c->key_len > CVQSIM_NET_RSS_KEY_SIZE)
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

	if (c->key_len > CVQSIM_NET_RSS_KEY_SIZE)
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
	uint32_t vq;

	state_begin(net);
	if (tx)
		st->coal_tx = coal_of(c);
	else
		st->coal_rx = coal_of(c);
	for (vq = tx ? 1 : 0; vq < 2 * CVQSIM_NET_MAX_QUEUE_PAIRS; vq += 2)
		st->coal_vq[vq] = coal_of(c);
	state_end(net);
	return 0;
}

static int
ctrl_coal_vq_set(void *ctx, uint16_t vq, const struct cvqsim_ctrl_coal *c)
{
	struct cvqsim_net *net = ctx;

	if (vq >= 2 * CVQSIM_NET_MAX_QUEUE_PAIRS)
		return -EINVAL;
	state_begin(net);
	net->state.coal_vq[vq] = coal_of(c);
	state_end(net);
	return 0;
}

static int
ctrl_coal_vq_get(void *ctx, uint16_t vq, struct cvqsim_ctrl_coal *c)
{
	const struct cvqsim_net *net = ctx;

	if (vq >= 2 * CVQSIM_NET_MAX_QUEUE_PAIRS)
		return -EINVAL;
	c->max_packets = net->state.coal_vq[vq].max_packets;
	c->max_usecs = net->state.coal_vq[vq].max_usecs;
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

static int
ctrl_stats_read(void *ctx, uint16_t vq, uint8_t type_bit, uint64_t *out,
		unsigned int n)
{
	const struct cvqsim_net *net = ctx;
	const struct cvqsim_net_rxq_stats *rx;
	const struct cvqsim_net_txq_stats *tx;
	const uint64_t *first;

	if (vq / 2 >= CVQSIM_NET_MAX_QUEUE_PAIRS)
		return -EINVAL;
	rx = &net->stats.rxq[vq / 2];
	tx = &net->stats.txq[vq / 2];
	switch (type_bit) {
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_BASIC:
		first = &rx->notifications;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM:
		first = &rx->csum_valid;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_RX_GSO:
		first = &rx->gso_packets;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_BASIC:
		first = &tx->notifications;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_CSUM:
		first = &tx->csum_none;
		break;
	case VIRTIO_NET_STATS_TYPE_REPLY_TX_GSO:
		first = &tx->gso_packets;
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
 * Receive filter
 */

static inline bool
mac_equal(const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, 6) == 0;
}

static bool
mac_in(const uint8_t (*macs)[6], uint32_t n, const uint8_t *mac)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (mac_equal(macs[i], mac))
			return true;
	return false;
}

static inline bool
vlan_passes(const struct cvqsim_net_state *st, uint16_t tci)
{
	uint16_t vid = tci & 0xfff;

	return (st->vlan_filter[vid / 32] & (1u << (vid % 32))) != 0;
}

/*
 * QEMU's precedence, which meets the spec's SHOULDs: PROMISC accepts all;
 * an 802.1Q tag (TPID 0x8100 at offset 12, as QEMU) must name a VID of the
 * table; broadcast passes unless NOBCAST; other multicast: NOMULTI drops,
 * ALLMULTI or table overflow accepts, else the multicast table decides;
 * unicast: NOUNI drops, ALLUNI or overflow accepts, else the primary MAC or
 * the unicast table. A frame too short to hold its Ethernet (and 802.1Q)
 * header is dropped as a runt, even in promiscuous mode: it has no
 * destination to deliver to.
 */
enum cvqsim_net_rx_verdict
cvqsim_net_rx_filter(const struct cvqsim_net *net, const uint8_t *frame,
		uint32_t len)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	const struct cvqsim_net_state *st = &net->state;
	const struct rte_pmd_cvqsim_net_rx_mode *m = &st->rx_mode;
	bool tagged;

	if (len < ETH_HDR_LEN)
		return CVQSIM_NET_RX_DROP_RUNT;
	tagged = frame[12] == 0x81 && frame[13] == 0x00;
	if (tagged && len < ETH_HDR_LEN + 4)
		return CVQSIM_NET_RX_DROP_RUNT;
	if (m->promisc)
		return CVQSIM_NET_RX_ACCEPT;
	if (tagged && !vlan_passes(st, (uint16_t)(frame[14] << 8 | frame[15])))
		return CVQSIM_NET_RX_DROP_VLAN;
	if (frame[0] & 1) {
		if (mac_equal(frame, bcast))
			return m->nobcast ? CVQSIM_NET_RX_DROP_NOBCAST :
				CVQSIM_NET_RX_ACCEPT;
		if (m->nomulti)
			return CVQSIM_NET_RX_DROP_NOMULTI;
		if (m->allmulti || st->mc_overflow ||
				mac_in(&st->macs[st->uc_count], st->mc_count, frame))
			return CVQSIM_NET_RX_ACCEPT;
		return CVQSIM_NET_RX_DROP_MULTI;
	}
	if (m->nouni)
		return CVQSIM_NET_RX_DROP_NOUNI;
	if (m->alluni || st->uc_overflow || mac_equal(frame, st->mac) ||
			mac_in(st->macs, st->uc_count, frame))
		return CVQSIM_NET_RX_ACCEPT;
	return CVQSIM_NET_RX_DROP_UNI;
}

const char *
cvqsim_net_rx_verdict_name(enum cvqsim_net_rx_verdict v)
{
	static const char *const names[CVQSIM_NET_RX_VERDICT_MAX] = {
		[CVQSIM_NET_RX_ACCEPT] = "accept",
		[CVQSIM_NET_RX_DROP_RUNT] = "drop-runt",
		[CVQSIM_NET_RX_DROP_VLAN] = "drop-vlan",
		[CVQSIM_NET_RX_DROP_NOBCAST] = "drop-nobcast",
		[CVQSIM_NET_RX_DROP_NOMULTI] = "drop-nomulti",
		[CVQSIM_NET_RX_DROP_MULTI] = "drop-multi",
		[CVQSIM_NET_RX_DROP_NOUNI] = "drop-nouni",
		[CVQSIM_NET_RX_DROP_UNI] = "drop-uni",
	};

	return (unsigned int)v < CVQSIM_NET_RX_VERDICT_MAX ? names[v] : "?";
}

/*
 * Counters
 */

void
cvqsim_net_count_tx_tally(struct cvqsim_net *net, uint16_t q,
		const struct cvqsim_net_tally *t)
{
	struct cvqsim_net_txq_stats *s;

	if (q >= CVQSIM_NET_MAX_QUEUE_PAIRS || t->packets == 0)
		return;
	s = &net->stats.txq[q];
	cvqsim_net_count(&s->packets, t->packets);
	cvqsim_net_count(&s->bytes, t->bytes);
	if (t->needs_csum != 0)
		cvqsim_net_count(&s->needs_csum, t->needs_csum);
	if (t->csum_none != 0)
		cvqsim_net_count(&s->csum_none, t->csum_none);
	if (t->gso_packets != 0) {
		/* The loopback passes GSO frames whole: never segmented. */
		cvqsim_net_count(&s->gso_packets, t->gso_packets);
		cvqsim_net_count(&s->gso_bytes, t->gso_bytes);
		cvqsim_net_count(&s->gso_packets_noseg, t->gso_packets);
		cvqsim_net_count(&s->gso_bytes_noseg, t->gso_bytes);
	}
}

void
cvqsim_net_count_tx(struct cvqsim_net *net, uint16_t q,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes)
{
	struct cvqsim_net_tally t;

	memset(&t, 0, sizeof(t));
	cvqsim_net_tally_frame(&t, hdr, bytes, false);
	cvqsim_net_count_tx_tally(net, q, &t);
}

void
cvqsim_net_count_tx_drop(struct cvqsim_net *net, uint16_t q, bool malformed)
{
	if (q >= CVQSIM_NET_MAX_QUEUE_PAIRS)
		return;
	cvqsim_net_count(&net->stats.txq[q].drops, 1);
	if (malformed)
		cvqsim_net_count(&net->stats.txq[q].drop_malformed, 1);
}

void
cvqsim_net_count_rx_tally(struct cvqsim_net *net, uint16_t q,
		const struct cvqsim_net_tally *t)
{
	struct cvqsim_net_rxq_stats *s;

	if (q >= CVQSIM_NET_MAX_QUEUE_PAIRS || t->packets == 0)
		return;
	s = &net->stats.rxq[q];
	cvqsim_net_count(&s->packets, t->packets);
	cvqsim_net_count(&s->bytes, t->bytes);
	if (t->csum_valid != 0)
		cvqsim_net_count(&s->csum_valid, t->csum_valid);
	if (t->needs_csum != 0)
		cvqsim_net_count(&s->needs_csum, t->needs_csum);
	if (t->csum_none != 0)
		cvqsim_net_count(&s->csum_none, t->csum_none);
	if (t->gso_packets != 0) {
		cvqsim_net_count(&s->gso_packets, t->gso_packets);
		cvqsim_net_count(&s->gso_bytes, t->gso_bytes);
	}
}

void
cvqsim_net_count_rx(struct cvqsim_net *net, uint16_t q,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes)
{
	struct cvqsim_net_tally t;

	memset(&t, 0, sizeof(t));
	cvqsim_net_tally_frame(&t, hdr, bytes, true);
	cvqsim_net_count_rx_tally(net, q, &t);
}

void
cvqsim_net_count_rx_drop(struct cvqsim_net *net, uint16_t q, bool overrun)
{
	if (q >= CVQSIM_NET_MAX_QUEUE_PAIRS)
		return;
	cvqsim_net_count(&net->stats.rxq[q].drops, 1);
	if (overrun)
		cvqsim_net_count(&net->stats.rxq[q].drop_overruns, 1);
}

void
cvqsim_net_count_kick(struct cvqsim_net *net, uint16_t vq)
{
	if (vq >= 2 * CVQSIM_NET_MAX_QUEUE_PAIRS)
		return;
	if (vq & 1)
		cvqsim_net_count(&net->stats.txq[vq / 2].notifications, 1);
	else
		cvqsim_net_count(&net->stats.rxq[vq / 2].notifications, 1);
}

void
cvqsim_net_count_interrupt(struct cvqsim_net *net, uint16_t vq)
{
	if (vq >= 2 * CVQSIM_NET_MAX_QUEUE_PAIRS)
		return;
	if (vq & 1)
		cvqsim_net_count(&net->stats.txq[vq / 2].interrupts, 1);
	else
		cvqsim_net_count(&net->stats.rxq[vq / 2].interrupts, 1);
}

/*
 * Introspection
 */

void
cvqsim_net_state_get(const struct cvqsim_net *net, struct cvqsim_net_state *out)
{
	uint32_t sn;

	do {
		sn = rte_seqcount_read_begin(&net->seq);
		memcpy(out, &net->state, sizeof(*out));
	} while (rte_seqcount_read_retry(&net->seq, sn));
}

void
cvqsim_net_stats_get(const struct cvqsim_net *net, struct cvqsim_net_stats *out)
{
	counters_copy((uint64_t *)out, (const uint64_t *)&net->stats,
		sizeof(*out) / sizeof(uint64_t));
}

/*
 * Steering: frame parsing, Toeplitz hash, queue selection.
 */

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_TEB		0x6558	/* transparent Ethernet bridging */
#define IPPROTO_V4		4	/* IPv4 in IP */
#define IPPROTO_V6		41	/* IPv6 in IP */
#define IPPROTO_GRE_		47
#define IP6_HOPOPTS		0
#define IP6_ROUTING		43
#define IP6_FRAGMENT		44
#define IP6_AH			51
#define IP6_DSTOPTS		60
#define IP6_MAX_EXT		8	/* extension headers walked at most */
#define IP6_OPT_PAD1		0
#define IP6_OPT_HOME_ADDRESS	0xc9
#define UDP_PORT_VXLAN		4789
#define UDP_PORT_VXLAN_GPE	4790
#define UDP_PORT_GENEVE		6081
#define UDP_PORT_GRE		4754	/* GRE-in-UDP, RFC 8086 */
#define GRE_C			0x8000
#define GRE_R			0x4000
#define GRE_K			0x2000
#define GRE_S			0x1000
#define GRE_VERSION		0x0007

/* What hashing needs from one IP header and what follows it. */
struct flow {
	uint8_t version;	/* 4, 6, or 0: not IP */
	uint8_t proto;		/* L4 protocol (IPv6: after the ext headers) */
	bool l4;		/* TCP/UDP ports readable, not a fragment */
	bool fragment;		/* IPv4/IPv6 fragment: no L4 header */
	bool ext;		/* IPv6 with extension headers */
	const uint8_t *src;	/* 4 or 16 bytes */
	const uint8_t *dst;
	const uint8_t *home;	/* IPv6 Home Address option, or NULL */
	const uint8_t *rt2;	/* IPv6 Type 2 Routing Header address, or NULL */
	const uint8_t *l4p;	/* L4 header */
	uint32_t l4len;		/* bytes of it in the buffer */
};

static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static void
flow_set_l4(struct flow *f, const uint8_t *p, uint32_t len, uint8_t proto,
		bool fragment)
{
	f->proto = proto;
	f->fragment = fragment;
	f->l4p = p;
	f->l4len = len;
	f->l4 = !fragment && (proto == IPPROTO_TCP || proto == IPPROTO_UDP) &&
		len >= 4;
}

/*
 * IPv4: header complete in the buffer; a fragment (MF set or offset not 0)
 * has no L4 header for hashing (QEMU).
 */
static bool
parse_ipv4(const uint8_t *p, uint32_t len, struct flow *f)
{
	uint32_t hlen;
	bool fragment;

	if (len < 20 || (p[0] >> 4) != 4)
		return false;
	hlen = (uint32_t)(p[0] & 0xf) * 4;
	if (hlen < 20 || hlen > len)
		return false;
	f->version = 4;
	f->src = p + 12;
	f->dst = p + 16;
	fragment = (be16(p + 6) & 0x3fff) != 0;
	flow_set_l4(f, p + hlen, len - hlen, p[9], fragment);
	return true;
}

static inline bool
is_ipv6_ext(uint8_t next)
{
	return next == IP6_HOPOPTS || next == IP6_ROUTING ||
		next == IP6_FRAGMENT || next == IP6_DSTOPTS || next == IP6_AH;
}

/* Destination options: find a Home Address option (16-byte address). */
static void
scan_dstopts(const uint8_t *h, uint32_t hlen, struct flow *f)
{
	uint32_t off = 2;

	while (off < hlen) {
		if (h[off] == IP6_OPT_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > hlen || off + 2 + h[off + 1] > hlen)
			return;
		if (h[off] == IP6_OPT_HOME_ADDRESS && h[off + 1] == 16)
			f->home = h + off + 2;
		off += 2u + h[off + 1];
	}
}

/*
 * IPv6: walk hop-by-hop, routing, fragment, destination options and AH
 * headers (at most IP6_MAX_EXT). Notes for the _EX hash types: a Type 2
 * Routing Header with one address gives the destination, a Home Address
 * option the source. A non-first or non-last fragment has no L4 header
 * (QEMU: fragments hash as IP only); an extension header cut by the
 * buffer end leaves no L4 header either.
 */
static bool
parse_ipv6(const uint8_t *p, uint32_t len, struct flow *f)
{
	uint32_t off = 40, hlen, n;
	bool fragment = false;
	uint8_t next;

	if (len < 40 || (p[0] >> 4) != 6)
		return false;
	f->version = 6;
	f->src = p + 8;
	f->dst = p + 24;
	next = p[6];
	for (n = 0; is_ipv6_ext(next); n++) {
		const uint8_t *h = p + off;

		f->ext = true;
		if (n == IP6_MAX_EXT)
			goto truncated;
		if (len - off < 8)
			goto truncated;
		if (next == IP6_FRAGMENT)
			hlen = 8;
		else if (next == IP6_AH)
			hlen = ((uint32_t)h[1] + 2) * 4;
		else
			hlen = ((uint32_t)h[1] + 1) * 8;
		if (hlen > len - off)
			goto truncated;
		if (next == IP6_DSTOPTS)
			scan_dstopts(h, hlen, f);
		else if (next == IP6_ROUTING && h[2] == 2 && h[3] == 1 &&
				hlen >= 24)
			f->rt2 = h + 8;
		else if (next == IP6_FRAGMENT && (be16(h + 2) & 0xfff9) != 0)
			fragment = true;
		next = h[0];
		off += hlen;
	}
	flow_set_l4(f, p + off, len - off, next, fragment);
	return true;
truncated:
	flow_set_l4(f, p + off, 0, next, true);
	return true;
}

static bool
parse_ip(uint16_t ethertype, const uint8_t *p, uint32_t len, struct flow *f)
{
	memset(f, 0, sizeof(*f));
	if (ethertype == ETHERTYPE_IPV4)
		return parse_ipv4(p, len, f);
	if (ethertype == ETHERTYPE_IPV6)
		return parse_ipv6(p, len, f);
	return false;
}

/* Ethernet with up to two VLAN tags: the ethertype and the L3 offset. */
static bool
parse_eth(const uint8_t *p, uint32_t len, uint16_t *ethertype, uint32_t *off)
{
	uint32_t o = 12;
	uint16_t type;
	int tags;

	if (len < ETH_HDR_LEN)
		return false;
	type = be16(p + o);
	for (tags = 0; tags < 2 && (type == ETHERTYPE_VLAN ||
			type == ETHERTYPE_QINQ); tags++) {
		o += 4;
		if (len < o + 2)
			return false;
		type = be16(p + o);
	}
	*ethertype = type;
	*off = o + 2;
	return true;
}

/* The inner headers an encapsulation carries: Ethernet or IP. */
static bool
parse_inner(uint16_t proto, const uint8_t *p, uint32_t len, struct flow *f)
{
	uint16_t type;
	uint32_t off;

	if (proto == ETHERTYPE_TEB) {
		if (!parse_eth(p, len, &type, &off))
			return false;
		return parse_ip(type, p + off, len - off, f);
	}
	return parse_ip(proto, p, len, f);
}

/*
 * GRE (RFC 2784 base header, RFC 2890 key and sequence number), version 0,
 * no routing. The encapsulation types it matches: GRE_2784 without key and
 * sequence, GRE_2890 with either, GRE_7676 when the outer header is IPv6,
 * NVGRE for a keyed GRE carrying Ethernet. Returns the matched types and
 * points *inner / *proto at the payload.
 */
static uint32_t
gre_match(const uint8_t *g, uint32_t len, bool outer_v6, const uint8_t **inner,
		uint32_t *inner_len, uint16_t *proto)
{
	uint32_t hlen = 4, types = 0;
	uint16_t flags;

	if (len < 4)
		return 0;
	flags = be16(g);
	if ((flags & (GRE_R | GRE_VERSION)) != 0)
		return 0;
	hlen += (flags & GRE_C) ? 4 : 0;
	hlen += (flags & GRE_K) ? 4 : 0;
	hlen += (flags & GRE_S) ? 4 : 0;
	if (hlen > len)
		return 0;
	*proto = be16(g + 2);
	*inner = g + hlen;
	*inner_len = len - hlen;
	if (flags & (GRE_K | GRE_S))
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2890;
	else
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784;
	if (outer_v6)
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_7676;
	if ((flags & GRE_K) && *proto == ETHERTYPE_TEB)
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE;
	return types;
}

/* UDP encapsulations, recognised by their IANA destination port. */
static uint32_t
udp_tunnel_match(const uint8_t *u, uint32_t len, const uint8_t **inner,
		uint32_t *inner_len, uint16_t *proto)
{
	const uint8_t *h = u + 8;
	uint32_t hlen, opt;

	if (len < 8)
		return 0;
	hlen = len - 8;
	switch (be16(u + 2)) {
	case UDP_PORT_VXLAN:
		if (hlen < 8)
			return 0;
		*proto = ETHERTYPE_TEB;
		*inner = h + 8;
		*inner_len = hlen - 8;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN;
	case UDP_PORT_VXLAN_GPE:
		if (hlen < 8)
			return 0;
		/* Next protocol: 1 IPv4, 2 IPv6, 3 Ethernet. */
		if (h[3] == 1)
			*proto = ETHERTYPE_IPV4;
		else if (h[3] == 2)
			*proto = ETHERTYPE_IPV6;
		else if (h[3] == 3)
			*proto = ETHERTYPE_TEB;
		else
			return 0;
		*inner = h + 8;
		*inner_len = hlen - 8;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN_GPE;
	case UDP_PORT_GENEVE:
		if (hlen < 8)
			return 0;
		opt = (uint32_t)(h[0] & 0x3f) * 4;
		if (hlen < 8 + opt)
			return 0;
		*proto = be16(h + 2);
		*inner = h + 8 + opt;
		*inner_len = hlen - 8 - opt;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE;
	case UDP_PORT_GRE:
		if (gre_match(h, hlen, false, inner, inner_len, proto) == 0)
			return 0;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_UDP;
	default:
		return 0;
	}
}

/*
 * One level of encapsulation (spec): when the outer packet is an enabled
 * encapsulation type and its inner packet is IP, hash the inner one.
 */
static void
apply_tunnel(struct flow *f, uint32_t enabled)
{
	const uint8_t *inner = NULL;
	uint32_t inner_len = 0, types = 0;
	uint16_t proto = 0;
	struct flow in;

	if (f->fragment || f->l4len == 0)
		return;
	switch (f->proto) {
	case IPPROTO_V4:
	case IPPROTO_V6:
		types = VIRTIO_NET_HASH_TUNNEL_TYPE_IPIP;
		proto = f->proto == IPPROTO_V4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
		inner = f->l4p;
		inner_len = f->l4len;
		break;
	case IPPROTO_GRE_:
		types = gre_match(f->l4p, f->l4len, f->version == 6, &inner,
				&inner_len, &proto);
		break;
	case IPPROTO_UDP:
		if (f->l4)
			types = udp_tunnel_match(f->l4p, f->l4len, &inner,
					&inner_len, &proto);
		break;
	default:
		break;
	}
	if ((types & enabled) == 0)
		return;
	if (parse_inner(proto, inner, inner_len, &in))
		*f = in;
}

/* Load 16 address bytes as four host-order words (rte_softrss input). */
static inline void
load_v6(uint32_t *w, const uint8_t *a)
{
	w[0] = be32(a);
	w[1] = be32(a + 4);
	w[2] = be32(a + 8);
	w[3] = be32(a + 12);
}

/*
 * Toeplitz over src || dst [|| sport || dport] with DPDK's rte_softrss,
 * whose input is an array of host-order 32-bit words of the network-order
 * byte string (the layout of struct rte_ipv4_tuple / rte_ipv6_tuple).
 */
static uint32_t
toeplitz(const struct flow *f, const uint8_t *src, const uint8_t *dst,
		bool ports, const uint8_t *key)
{
	uint32_t t[RTE_THASH_V6_L4_LEN];
	uint32_t n;

	if (f->version == 4) {
		t[0] = be32(src);
		t[1] = be32(dst);
		n = RTE_THASH_V4_L3_LEN;
	} else {
		load_v6(&t[0], src);
		load_v6(&t[4], dst);
		n = RTE_THASH_V6_L3_LEN;
	}
	if (ports)
		t[n++] = be32(f->l4p);	/* sport << 16 | dport */
	return rte_softrss(t, n, key);
}

/* The spec's hash rule ladders (see "Hash calculation for incoming ..."). */
static uint16_t
hash_flow(const struct flow *f, uint32_t types, const uint8_t *key,
		uint32_t *hash)
{
	bool tcp = f->l4 && f->proto == IPPROTO_TCP;
	bool udp = f->l4 && f->proto == IPPROTO_UDP;

	if (f->version == 4) {
		if ((types & VIRTIO_NET_RSS_HASH_TYPE_TCPv4) && tcp) {
			*hash = toeplitz(f, f->src, f->dst, true, key);
			return VIRTIO_NET_HASH_REPORT_TCPv4;
		}
		if ((types & VIRTIO_NET_RSS_HASH_TYPE_UDPv4) && udp) {
			*hash = toeplitz(f, f->src, f->dst, true, key);
			return VIRTIO_NET_HASH_REPORT_UDPv4;
		}
		if (types & VIRTIO_NET_RSS_HASH_TYPE_IPv4) {
			*hash = toeplitz(f, f->src, f->dst, false, key);
			return VIRTIO_NET_HASH_REPORT_IPv4;
		}
		return VIRTIO_NET_HASH_REPORT_NONE;
	}
	if (f->version != 6)
		return VIRTIO_NET_HASH_REPORT_NONE;
	/*
	 * The _EX types apply to packets WITH extension headers (spec); QEMU
	 * also uses them without, which hashes the same bytes but reports
	 * *_EX: we follow the spec.
	 */
	if (f->ext) {
		const uint8_t *src = f->home != NULL ? f->home : f->src;
		const uint8_t *dst = f->rt2 != NULL ? f->rt2 : f->dst;

		if ((types & VIRTIO_NET_RSS_HASH_TYPE_TCP_EX) && tcp) {
			*hash = toeplitz(f, src, dst, true, key);
			return VIRTIO_NET_HASH_REPORT_TCPv6_EX;
		}
		if ((types & VIRTIO_NET_RSS_HASH_TYPE_UDP_EX) && udp) {
			*hash = toeplitz(f, src, dst, true, key);
			return VIRTIO_NET_HASH_REPORT_UDPv6_EX;
		}
		if (types & VIRTIO_NET_RSS_HASH_TYPE_IP_EX) {
			*hash = toeplitz(f, src, dst, false, key);
			return VIRTIO_NET_HASH_REPORT_IPv6_EX;
		}
	}
	if ((types & VIRTIO_NET_RSS_HASH_TYPE_TCPv6) && tcp) {
		*hash = toeplitz(f, f->src, f->dst, true, key);
		return VIRTIO_NET_HASH_REPORT_TCPv6;
	}
	if ((types & VIRTIO_NET_RSS_HASH_TYPE_UDPv6) && udp) {
		*hash = toeplitz(f, f->src, f->dst, true, key);
		return VIRTIO_NET_HASH_REPORT_UDPv6;
	}
	if (types & VIRTIO_NET_RSS_HASH_TYPE_IPv6) {
		*hash = toeplitz(f, f->src, f->dst, false, key);
		return VIRTIO_NET_HASH_REPORT_IPv6;
	}
	return VIRTIO_NET_HASH_REPORT_NONE;
}

uint16_t
cvqsim_net_hash(const uint8_t *frame, uint32_t len, uint32_t hash_types,
		uint32_t tunnel_types, const uint8_t *key, uint32_t *hash)
{
	struct flow f;
	uint16_t type;
	uint32_t off;

	*hash = 0;
	if (hash_types == 0 || !parse_eth(frame, len, &type, &off) ||
			!parse_ip(type, frame + off, len - off, &f))
		return VIRTIO_NET_HASH_REPORT_NONE;
	if (tunnel_types != 0)
		apply_tunnel(&f, tunnel_types);
	return hash_flow(&f, hash_types, key, hash);
}

void
cvqsim_net_rx_steer(const struct cvqsim_net *net, uint16_t tx_pair,
		const uint8_t *frame, uint32_t len, struct cvqsim_net_rx_steer *out)
{
	const struct cvqsim_net_state *st = &net->state;
	const struct rte_pmd_cvqsim_net_rss *rss = &st->rss;
	bool report = has_feature(st, VIRTIO_NET_F_HASH_REPORT);
	uint16_t type = VIRTIO_NET_HASH_REPORT_NONE;
	uint32_t hash = 0;

	if (rss->hashing && (rss->steering || report))
		type = cvqsim_net_hash(frame, len, rss->hash_types,
				st->tunnel_types, rss->key, &hash);
	if (rss->steering)
		out->queue = type != VIRTIO_NET_HASH_REPORT_NONE ?
			rss->table[hash & (rss->table_len - 1u)] :
			rss->unclassified_queue;
	else
		out->queue = tx_pair < st->curr_queue_pairs ? tx_pair : 0;
	if (report && type != VIRTIO_NET_HASH_REPORT_NONE) {
		out->hash_report = type;
		out->hash_value = hash;
	} else {
		out->hash_report = VIRTIO_NET_HASH_REPORT_NONE;
		out->hash_value = 0;
	}
}
