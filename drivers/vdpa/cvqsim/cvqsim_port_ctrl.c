/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * VF-parent mode, control path: each command applied to the device model
 * and programmed onto the port where rte_ethdev can express it.
 *
 * The device's software path (receive filter, steering, hash report) sees
 * every frame that comes from the port, so the virtio semantics are exact
 * whatever the port does. The port is programmed so that it accepts at
 * least what the driver's filter accepts: a filter the port cannot hold
 * (MAC table full, no multicast list, ALLUNI) leaves it promiscuous or
 * all-multicast, and the software filter drops the rest. A command's path
 * is "hardware" when the port took its part, "software" when the device's
 * own path does the work; most commands are both.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>

#include "cvqsim_log.h"
#include "cvqsim_net.h"
#include "cvqsim_port_ctrl.h"

/*
 * Paths of a command. The device's software path sees every frame, so no
 * command is ever in force in hardware alone.
 */
enum port_path {
	PATH_SW = RTE_PMD_CVQSIM_PATH_SOFTWARE,
	PATH_BOTH = RTE_PMD_CVQSIM_PATH_SOFTWARE | RTE_PMD_CVQSIM_PATH_HARDWARE,
};

/* The commands a port-backed device reports (RX ones in command order). */
enum port_cmd {
	PC_RX_PROMISC, PC_RX_ALLMULTI, PC_RX_ALLUNI, PC_RX_NOMULTI, PC_RX_NOUNI,
	PC_RX_NOBCAST, PC_MAC_TABLE_SET, PC_MAC_ADDR_SET, PC_VLAN_ADD,
	PC_VLAN_DEL, PC_ANNOUNCE_ACK, PC_MQ_VQ_PAIRS_SET, PC_MQ_RSS_CONFIG,
	PC_MQ_HASH_CONFIG, PC_GUEST_OFFLOADS_SET, PC_NOTF_COAL,
	PC_HASH_TUNNEL_SET, PC_MAX
};

static const struct {
	uint8_t cls;
	uint8_t cmd;
} port_cmds[PC_MAX] = {
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC },
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI },
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLUNI },
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOMULTI },
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOUNI },
	{ VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOBCAST },
	{ VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET },
	{ VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET },
	{ VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD },
	{ VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL },
	{ VIRTIO_NET_CTRL_ANNOUNCE, VIRTIO_NET_CTRL_ANNOUNCE_ACK },
	{ VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET },
	{ VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG },
	{ VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_HASH_CONFIG },
	{ VIRTIO_NET_CTRL_GUEST_OFFLOADS, VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET },
	{ VIRTIO_NET_CTRL_NOTF_COAL, 0 },	/* every NOTF_COAL set command */
	{ VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET },
};


static void
port_count(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
		__ATOMIC_RELAXED);
}

/* A command was applied through `path`. */
static void
port_record(struct cvqsim_port_ctrl *p, enum port_cmd c, enum port_path path)
{
	struct rte_pmd_cvqsim_port_cmd *r = &p->cmds[c];

	__atomic_store_n(&r->last_path, (uint8_t)path, __ATOMIC_RELAXED);
	port_count(path == PATH_BOTH ? &r->both : &r->software, 1);
}

/* Path of a command whose hardware part returned ret. */
static enum port_path
path_of(int ret)
{
	return ret == 0 ? PATH_BOTH : PATH_SW;
}

/*
 * Receive filter on the port
 */

/* Promiscuous mode on or off; 0 when the port is in that mode now. */
static int
port_set_promisc(const struct cvqsim_port_ctrl *p, bool on)
{
	int cur = rte_eth_promiscuous_get(p->port_id);

	if (cur == (int)on)
		return 0;
	return on ? rte_eth_promiscuous_enable(p->port_id) :
		rte_eth_promiscuous_disable(p->port_id);
}

static int
port_set_allmulti(const struct cvqsim_port_ctrl *p, bool on)
{
	int cur = rte_eth_allmulticast_get(p->port_id);

	if (cur == (int)on)
		return 0;
	return on ? rte_eth_allmulticast_enable(p->port_id) :
		rte_eth_allmulticast_disable(p->port_id);
}

/*
 * Bring the port's modes to a superset of the driver's filter: promiscuous
 * when the driver wants it, asked for all unicast (ethdev has no such
 * mode), or the unicast table did not fit (in the model or on the port);
 * all-multicast likewise. Returns the promiscuous and all-multicast calls'
 * results in *promisc / *allmulti.
 */
static void
port_sync_modes(struct cvqsim_port_ctrl *p, int *promisc, int *allmulti)
{
	const struct cvqsim_net_state *st = &p->net->state;
	bool want_promisc = st->rx_mode.promisc || st->rx_mode.alluni ||
		st->uc_overflow || !p->hw_uc_ok;
	bool want_allmulti = st->rx_mode.allmulti || st->mc_overflow ||
		!p->hw_mc_ok;

	*promisc = port_set_promisc(p, want_promisc);
	*allmulti = port_set_allmulti(p, want_allmulti);
	if (*promisc != 0 && want_promisc)
		CVQSIM_LOG(WARNING, "%s: port %s cannot enter promiscuous"
			" mode (%s): frames it filters never reach the driver",
			p->dev_name, p->name, strerror(-*promisc));
}

static void
port_clear_uc(struct cvqsim_port_ctrl *p)
{
	uint32_t i;

	for (i = 0; i < p->nb_hw_uc; i++)
		rte_eth_dev_mac_addr_remove(p->port_id, &p->hw_uc[i]);
	p->nb_hw_uc = 0;
}

/* The driver's unicast table onto the port; 0 when all of it is there. */
static int
port_program_uc(struct cvqsim_port_ctrl *p, const struct cvqsim_net_state *st)
{
	uint32_t i;
	int ret;

	port_clear_uc(p);
	for (i = 0; i < st->uc_count; i++) {
		memcpy(&p->hw_uc[p->nb_hw_uc], st->macs[i], RTE_ETHER_ADDR_LEN);
		ret = rte_eth_dev_mac_addr_add(p->port_id, &p->hw_uc[p->nb_hw_uc], 0);
		if (ret != 0)
			return ret;
		p->nb_hw_uc++;
	}
	return 0;
}

static int
port_program_mc(struct cvqsim_port_ctrl *p, const struct cvqsim_net_state *st)
{
	struct rte_ether_addr mc[RTE_PMD_CVQSIM_MAC_TABLE_MAX];
	uint32_t i;

	for (i = 0; i < st->mc_count; i++)
		memcpy(&mc[i], st->macs[st->uc_count + i], RTE_ETHER_ADDR_LEN);
	return rte_eth_dev_set_mc_addr_list(p->port_id, st->mc_count ? mc : NULL,
		st->mc_count);
}

/*
 * Control commands: the model first (the decoder validated the command;
 * when the model refuses, nothing changed anywhere), then the port.
 */

static void
port_get_info(void *ctx, struct cvqsim_ctrl_info *info)
{
	struct cvqsim_port_ctrl *p = ctx;

	cvqsim_net_ctrl_ops.get_info(p->net, info);
}

static bool
port_vq_enabled(void *ctx, uint16_t vq_index)
{
	struct cvqsim_port_ctrl *p = ctx;

	return cvqsim_net_ctrl_ops.vq_enabled(p->net, vq_index);
}

/*
 * The port took an RX mode command when its mode is now the one the
 * driver asked for (a port that must stay promiscuous for a filter it
 * cannot hold did not take "promisc off").
 */
static enum port_path
port_mode_path(int ret, int now, bool on)
{
	return ret == 0 && now == (int)on ? PATH_BOTH : PATH_SW;
}

static int
port_rx_mode(void *ctx, uint8_t cmd, bool on)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret, promisc, allmulti;

	ret = cvqsim_net_ctrl_ops.rx_mode(p->net, cmd, on);
	if (ret < 0)
		return ret;
	port_sync_modes(p, &promisc, &allmulti);
	switch (cmd) {
	case VIRTIO_NET_CTRL_RX_PROMISC:
		port_record(p, PC_RX_PROMISC, port_mode_path(promisc,
			rte_eth_promiscuous_get(p->port_id), on));
		break;
	case VIRTIO_NET_CTRL_RX_ALLMULTI:
		port_record(p, PC_RX_ALLMULTI, port_mode_path(allmulti,
			rte_eth_allmulticast_get(p->port_id), on));
		break;
	default:
		/*
		 * ALLUNI, NOMULTI, NOUNI, NOBCAST: ethdev has no such filters
		 * (for ALLUNI the port is left promiscuous, a superset).
		 */
		port_record(p, PC_RX_PROMISC + cmd, PATH_SW);
		break;
	}
	return 0;
}

static int
port_mac_table_set(void *ctx, const uint8_t *uc, uint32_t n_uc,
		const uint8_t *mc, uint32_t n_mc)
{
	struct cvqsim_port_ctrl *p = ctx;
	const struct cvqsim_net_state *st = &p->net->state;
	int ret, uc_ret, mc_ret, promisc, allmulti;

	ret = cvqsim_net_ctrl_ops.mac_table_set(p->net, uc, n_uc, mc, n_mc);
	if (ret < 0)
		return ret;
	/* An overflowed list stores nothing: the class is accepted whole. */
	uc_ret = st->uc_overflow ? -ENOSPC : port_program_uc(p, st);
	mc_ret = st->mc_overflow ? -ENOSPC : port_program_mc(p, st);
	p->hw_uc_ok = uc_ret == 0;
	p->hw_mc_ok = mc_ret == 0;
	port_sync_modes(p, &promisc, &allmulti);
	port_record(p, PC_MAC_TABLE_SET, path_of(uc_ret | mc_ret));
	return 0;
}

static int
port_mac_addr_set(void *ctx, const uint8_t mac[6])
{
	struct cvqsim_port_ctrl *p = ctx;
	struct rte_ether_addr addr;
	int ret;

	ret = cvqsim_net_ctrl_ops.mac_addr_set(p->net, mac);
	if (ret < 0)
		return ret;
	memcpy(&addr, mac, sizeof(addr));
	ret = rte_eth_dev_default_mac_addr_set(p->port_id, &addr);
	if (ret != 0) {
		int promisc, allmulti;

		/* The port would drop the driver's new address: widen it. */
		p->hw_uc_ok = false;
		port_sync_modes(p, &promisc, &allmulti);
	}
	port_record(p, PC_MAC_ADDR_SET, path_of(ret));
	return 0;
}

static int
port_vlan(void *ctx, uint16_t vid, bool add)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret, hw = -ENOTSUP;

	ret = cvqsim_net_ctrl_ops.vlan(p->net, vid, add);
	if (ret < 0)
		return ret;
	if (p->vlan_filter_capable && !p->vlan_filter_on) {
		/*
		 * With CTRL_VLAN the driver's table starts empty: the first
		 * VLAN command turns the port's filter on, empty, then adds.
		 */
		int mask = rte_eth_dev_get_vlan_offload(p->port_id);

		if (mask >= 0 && rte_eth_dev_set_vlan_offload(p->port_id,
				mask | RTE_ETH_VLAN_FILTER_OFFLOAD) == 0)
			p->vlan_filter_on = true;
	}
	if (p->vlan_filter_on)
		hw = rte_eth_dev_vlan_filter(p->port_id, vid, add);
	if (hw == 0 && add)
		p->hw_vlan[vid / 32] |= 1u << (vid % 32);
	else if (hw == 0)
		p->hw_vlan[vid / 32] &= ~(1u << (vid % 32));
	port_record(p, add ? PC_VLAN_ADD : PC_VLAN_DEL, path_of(hw));
	return 0;
}

static int
port_announce_ack(void *ctx)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret = cvqsim_net_ctrl_ops.announce_ack(p->net);

	if (ret == 0)
		port_record(p, PC_ANNOUNCE_ACK, PATH_SW);
	return ret;
}

static int port_program_reta(struct cvqsim_port_ctrl *p, const uint16_t *table,
		uint16_t table_len);

/*
 * The port's receive queues follow the pairs in use when the device set
 * one up per pair: 0 when the port started or stopped the ones that
 * changed (the datapath polls the started ones of the pairs in use).
 */
static int
port_queues_follow(struct cvqsim_port_ctrl *p)
{
	uint16_t q, up = RTE_MIN(p->net->state.curr_queue_pairs, p->nb_rxq);
	int ret = 0;

	if (!p->queues_owned)
		return -ENOTSUP;
	for (q = up; q < p->rxq_started && ret == 0; q++) {
		ret = rte_eth_dev_rx_queue_stop(p->port_id, q);
		if (ret == 0)
			__atomic_store_n(&p->rxq_started, q, __ATOMIC_RELAXED);
	}
	for (q = p->rxq_started; q < up && ret == 0; q++) {
		ret = rte_eth_dev_rx_queue_start(p->port_id, q);
		if (ret == 0)
			__atomic_store_n(&p->rxq_started, (uint16_t)(q + 1),
				__ATOMIC_RELAXED);
	}
	/* The port's RSS spreads over the queues in use only. */
	if (p->reta_size != 0 && port_program_reta(p, NULL, 0) != 0)
		ret = -EIO;
	return ret;
}

static int
port_vq_pairs_set(void *ctx, uint16_t pairs)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret;

	ret = cvqsim_net_ctrl_ops.vq_pairs_set(p->net, pairs);
	if (ret < 0)
		return ret;
	port_record(p, PC_MQ_VQ_PAIRS_SET, path_of(port_queues_follow(p)));
	return 0;
}

/* virtio hash types as ethdev RSS types. */
static uint64_t
port_rss_hf(uint32_t virtio_types)
{
	static const struct {
		uint32_t virtio;
		uint64_t eth;
	} map[] = {
		{ VIRTIO_NET_RSS_HASH_TYPE_IPv4, RTE_ETH_RSS_IPV4 },
		{ VIRTIO_NET_RSS_HASH_TYPE_TCPv4, RTE_ETH_RSS_NONFRAG_IPV4_TCP },
		{ VIRTIO_NET_RSS_HASH_TYPE_UDPv4, RTE_ETH_RSS_NONFRAG_IPV4_UDP },
		{ VIRTIO_NET_RSS_HASH_TYPE_IPv6, RTE_ETH_RSS_IPV6 },
		{ VIRTIO_NET_RSS_HASH_TYPE_TCPv6, RTE_ETH_RSS_NONFRAG_IPV6_TCP },
		{ VIRTIO_NET_RSS_HASH_TYPE_UDPv6, RTE_ETH_RSS_NONFRAG_IPV6_UDP },
		{ VIRTIO_NET_RSS_HASH_TYPE_IP_EX, RTE_ETH_RSS_IPV6_EX },
		{ VIRTIO_NET_RSS_HASH_TYPE_TCP_EX, RTE_ETH_RSS_IPV6_TCP_EX },
		{ VIRTIO_NET_RSS_HASH_TYPE_UDP_EX, RTE_ETH_RSS_IPV6_UDP_EX },
	};
	uint64_t hf = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(map); i++)
		if (virtio_types & map[i].virtio)
			hf |= map[i].eth;
	return hf;
}

/*
 * The port's indirection table: the driver's table (entries taken modulo
 * the port queues in use: port queue q serves pair q), or with table NULL
 * the queues in use round robin.
 */
static int
port_program_reta(struct cvqsim_port_ctrl *p, const uint16_t *table,
		uint16_t table_len)
{
	struct rte_eth_rss_reta_entry64 reta[RTE_ETH_RSS_RETA_SIZE_512 /
		RTE_ETH_RETA_GROUP_SIZE];
	uint16_t i, nq = RTE_MAX(RTE_MIN(p->rxq_started,
		p->net->state.curr_queue_pairs), (uint16_t)1);

	if (p->reta_size == 0 || p->reta_size > RTE_ETH_RSS_RETA_SIZE_512)
		return -ENOTSUP;
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < p->reta_size; i++) {
		struct rte_eth_rss_reta_entry64 *e =
			&reta[i / RTE_ETH_RETA_GROUP_SIZE];

		e->mask |= 1ULL << (i % RTE_ETH_RETA_GROUP_SIZE);
		e->reta[i % RTE_ETH_RETA_GROUP_SIZE] = table != NULL ?
			table[i % table_len] % nq : i % nq;
	}
	return rte_eth_dev_rss_reta_update(p->port_id, reta, p->reta_size);
}

/*
 * The key and hash types, and for RSS_CONFIG the indirection table, onto
 * the port: 0 when the port took all of it.
 */
static int
port_program_rss(struct cvqsim_port_ctrl *p, const struct cvqsim_ctrl_rss *rss,
		bool table)
{
	struct rte_eth_rss_conf conf = {
		.rss_key = rss->key_len ? (uint8_t *)(uintptr_t)rss->key : NULL,
		.rss_key_len = rss->key_len,
		.rss_hf = port_rss_hf(rss->hash_types) & p->rss_offloads,
	};
	int ret;

	if (p->reta_size == 0)
		return -ENOTSUP;
	ret = rte_eth_dev_rss_hash_update(p->port_id, &conf);
	if (ret != 0 || !table)
		return ret;
	return port_program_reta(p, rss->table, rss->table_len);
}

static int
port_rss_config(void *ctx, const struct cvqsim_ctrl_rss *rss)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret;

	ret = cvqsim_net_ctrl_ops.rss_config(p->net, rss);
	if (ret < 0)
		return ret;
	/* RSS_CONFIG sets the pairs in use too (max_tx_vq). */
	port_queues_follow(p);
	port_record(p, PC_MQ_RSS_CONFIG,
		path_of(port_program_rss(p, rss, true)));
	return 0;
}

static int
port_hash_config(void *ctx, const struct cvqsim_ctrl_rss *hash)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret;

	ret = cvqsim_net_ctrl_ops.hash_config(p->net, hash);
	if (ret < 0)
		return ret;
	port_record(p, PC_MQ_HASH_CONFIG,
		path_of(port_program_rss(p, hash, false)));
	return 0;
}

/* Commands with no ethdev counterpart: the device's own path only. */

static int
port_guest_offloads_set(void *ctx, uint64_t offloads)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret = cvqsim_net_ctrl_ops.guest_offloads_set(p->net, offloads);

	if (ret == 0)
		port_record(p, PC_GUEST_OFFLOADS_SET, PATH_SW);
	return ret;
}

static int
port_coal_set(void *ctx, bool tx, const struct cvqsim_ctrl_coal *c)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret = cvqsim_net_ctrl_ops.coal_set(p->net, tx, c);

	if (ret == 0)
		port_record(p, PC_NOTF_COAL, PATH_SW);
	return ret;
}

static int
port_coal_vq_set(void *ctx, uint16_t vq_index, const struct cvqsim_ctrl_coal *c)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret = cvqsim_net_ctrl_ops.coal_vq_set(p->net, vq_index, c);

	if (ret == 0)
		port_record(p, PC_NOTF_COAL, PATH_SW);
	return ret;
}

static int
port_coal_vq_get(void *ctx, uint16_t vq_index, struct cvqsim_ctrl_coal *c)
{
	struct cvqsim_port_ctrl *p = ctx;

	return cvqsim_net_ctrl_ops.coal_vq_get(p->net, vq_index, c);
}

static int
port_hash_tunnel_set(void *ctx, uint32_t types)
{
	struct cvqsim_port_ctrl *p = ctx;
	int ret = cvqsim_net_ctrl_ops.hash_tunnel_set(p->net, types);

	if (ret == 0)
		port_record(p, PC_HASH_TUNNEL_SET, PATH_SW);
	return ret;
}

static int
port_stats_read(void *ctx, uint16_t vq_index, uint8_t type_bit, uint64_t *counters,
		unsigned int n)
{
	struct cvqsim_port_ctrl *p = ctx;

	return cvqsim_net_ctrl_ops.stats_read(p->net, vq_index, type_bit,
		counters, n);
}

const struct cvqsim_ctrl_ops cvqsim_port_ctrl_ops = {
	.get_info = port_get_info,
	.vq_enabled = port_vq_enabled,
	.rx_mode = port_rx_mode,
	.mac_table_set = port_mac_table_set,
	.mac_addr_set = port_mac_addr_set,
	.vlan = port_vlan,
	.announce_ack = port_announce_ack,
	.vq_pairs_set = port_vq_pairs_set,
	.rss_config = port_rss_config,
	.hash_config = port_hash_config,
	.guest_offloads_set = port_guest_offloads_set,
	.coal_set = port_coal_set,
	.coal_vq_set = port_coal_vq_set,
	.coal_vq_get = port_coal_vq_get,
	.hash_tunnel_set = port_hash_tunnel_set,
	.stats_read = port_stats_read,
};

void
cvqsim_port_ctrl_reset(struct cvqsim_port_ctrl *p)
{
	struct rte_ether_addr mac;
	int promisc, allmulti;

	port_clear_uc(p);
	rte_eth_dev_set_mc_addr_list(p->port_id, NULL, 0);
	p->hw_uc_ok = true;
	p->hw_mc_ok = true;
	memcpy(&mac, p->net->state.mac, sizeof(mac));
	if (rte_eth_dev_default_mac_addr_set(p->port_id, &mac) != 0)
		p->hw_uc_ok = false;
	if (p->vlan_filter_on) {
		int mask = rte_eth_dev_get_vlan_offload(p->port_id);
		uint16_t vid;

		for (vid = 0; vid < RTE_PMD_CVQSIM_VLAN_IDS; vid++)
			if (p->hw_vlan[vid / 32] & (1u << (vid % 32)))
				rte_eth_dev_vlan_filter(p->port_id, vid, 0);
		memset(p->hw_vlan, 0, sizeof(p->hw_vlan));

		if (mask >= 0 && rte_eth_dev_set_vlan_offload(p->port_id,
				mask & ~RTE_ETH_VLAN_FILTER_OFFLOAD) == 0)
			p->vlan_filter_on = false;
	}
	port_queues_follow(p);
	port_sync_modes(p, &promisc, &allmulti);
}


void
cvqsim_port_ctrl_cmds_get(const struct cvqsim_port_ctrl *p,
		struct rte_pmd_cvqsim_port_info *info)
{
	unsigned int i;

	RTE_BUILD_BUG_ON(PC_MAX > RTE_PMD_CVQSIM_PORT_CMDS);
	for (i = 0; i < PC_MAX; i++) {
		struct rte_pmd_cvqsim_port_cmd *c = &info->cmds[i];

		c->cls = port_cmds[i].cls;
		c->cmd = port_cmds[i].cmd;
		c->last_path = __atomic_load_n(&p->cmds[i].last_path,
			__ATOMIC_RELAXED);
		c->software = __atomic_load_n(&p->cmds[i].software,
			__ATOMIC_RELAXED);
		c->both = __atomic_load_n(&p->cmds[i].both, __ATOMIC_RELAXED);
	}
	info->nb_cmds = PC_MAX;
}
