/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The device model as the application knows it.
 *
 * The frontend starts from the reset defaults of the features it negotiated
 * (QEMU's: promiscuous on, other modes off, empty MAC table, one pair, RSS
 * and hashing off, coalescing 0, every negotiated receive offload on, the
 * VLAN table empty with CTRL_VLAN and all-pass without) and cmds_ctrl.c
 * applies every command the device acknowledged with OK, with the device's
 * rules (VQ_PAIRS_SET ends RSS steering, RSS_CONFIG sets the pair count,
 * a MAC list over the table capacity turns that class accept-all).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_pmd_cvqsim.h>

#include "cmds_args.h"
#include "cmds_ctx.h"
#include "cmds_view.h"

/*
 * The device's own state, when the device lives in this process: read with
 * rte_pmd_cvqsim_net_state_get() at every use and shown in the view's form.
 */
static struct rte_pmd_cvqsim_net_state dev_state;
static struct cmds_view dev_view;

int
cmds_view_init(void)
{
	struct cmds_view *v = &cmds.view;

	v->uc = calloc(CMDS_VIEW_MACS, sizeof(*v->uc));
	v->mc = calloc(CMDS_VIEW_MACS, sizeof(*v->mc));
	dev_view.uc = calloc(CMDS_VIEW_MACS, sizeof(*dev_view.uc));
	dev_view.mc = calloc(CMDS_VIEW_MACS, sizeof(*dev_view.mc));
	if (v->uc == NULL || v->mc == NULL || dev_view.uc == NULL ||
			dev_view.mc == NULL) {
		cmds_view_free();
		return -ENOMEM;
	}
	return 0;
}

void
cmds_view_free(void)
{
	free(cmds.view.uc);
	free(cmds.view.mc);
	cmds.view.uc = NULL;
	cmds.view.mc = NULL;
	free(dev_view.uc);
	free(dev_view.mc);
	dev_view.uc = NULL;
	dev_view.mc = NULL;
}

void
cmds_view_reset(const struct fe_dev_info *info)
{
	struct cmds_view *v = &cmds.view;
	uint8_t (*uc)[6] = v->uc, (*mc)[6] = v->mc;
	uint64_t f = info->features;
	uint64_t offloads = 0;
	unsigned int i;

	memset(v, 0, sizeof(*v));
	v->uc = uc;
	v->mc = mc;
	v->valid = true;
	v->features = f;
	if (info->have_config && info->config_len >= 6)
		memcpy(v->mac, info->config, 6);
	v->max_pairs = (f & (FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS))) ?
		info->max_pairs : 1;
	v->pairs = 1;
	v->promisc = 1;
	memset(v->vlans, (f & FE_BIT(VIRTIO_NET_F_CTRL_VLAN)) ? 0 : 0xff,
		sizeof(v->vlans));
	for (i = 0; cmds_offload_names[i].name != NULL; i++)
		offloads |= cmds_offload_names[i].bit;
	/* Offloads start enabled; RSC_EXT and GUEST_HDRLEN are not receive
	 * offloads of their own until the driver asks for them. */
	v->offloads = f & offloads & ~(FE_BIT(59) | FE_BIT(61));
}

/* The device model read from the device, in the view's form. */
static const struct cmds_view *
view_from_device(void)
{
	const struct rte_pmd_cvqsim_net_state *st = &dev_state;
	struct cmds_view *v = &dev_view;
	uint8_t (*uc)[6] = v->uc, (*mc)[6] = v->mc;
	unsigned int k;

	if (cmds.vdpa == NULL || uc == NULL || mc == NULL ||
			rte_pmd_cvqsim_net_state_get(cmds.vdpa, &dev_state) != 0)
		return NULL;
	memset(v, 0, sizeof(*v));
	v->uc = uc;
	v->mc = mc;
	v->valid = true;
	v->features = st->features;
	memcpy(v->mac, st->mac, 6);
	v->max_pairs = (st->features & (FE_BIT(VIRTIO_NET_F_MQ) |
		FE_BIT(VIRTIO_NET_F_RSS))) ? st->max_queue_pairs : 1;
	v->pairs = st->curr_queue_pairs;
	v->promisc = st->rx_mode.promisc;
	v->allmulti = st->rx_mode.allmulti;
	v->alluni = st->rx_mode.alluni;
	v->nomulti = st->rx_mode.nomulti;
	v->nouni = st->rx_mode.nouni;
	v->nobcast = st->rx_mode.nobcast;
	v->n_uc = RTE_MIN((unsigned int)st->uc_count, (unsigned int)CMDS_VIEW_MACS);
	v->n_mc = RTE_MIN((unsigned int)st->mc_count, (unsigned int)CMDS_VIEW_MACS);
	v->uc_overflow = st->uc_overflow;
	v->mc_overflow = st->mc_overflow;
	memcpy(uc, st->macs, (size_t)v->n_uc * 6);
	memcpy(mc, st->macs[st->uc_count], (size_t)v->n_mc * 6);
	RTE_BUILD_BUG_ON(sizeof(v->vlans) != sizeof(st->vlan_filter));
	memcpy(v->vlans, st->vlan_filter, sizeof(v->vlans));
	v->rss = st->rss.steering;
	v->hash_types = st->rss.hash_types;
	v->key_len = RTE_MIN(st->rss.key_len, (uint8_t)CMDS_RSS_KEY_LEN);
	memcpy(v->key, st->rss.key, v->key_len);
	v->table_len = RTE_MIN(st->rss.table_len, (uint16_t)CMDS_RSS_TABLE_MAX);
	memcpy(v->table, st->rss.table, (size_t)v->table_len * 2);
	v->unclassified = st->rss.unclassified_queue;
	v->tunnel_types = st->tunnel_types;
	v->offloads = st->guest_offloads;
	v->coal_tx_usecs = st->coal_tx.max_usecs;
	v->coal_tx_pkts = st->coal_tx.max_packets;
	v->coal_rx_usecs = st->coal_rx.max_usecs;
	v->coal_rx_pkts = st->coal_rx.max_packets;
	for (k = 0; k < RTE_DIM(v->coal_vq_usecs); k++) {
		v->coal_vq_usecs[k] = st->coal_vq[k].max_usecs;
		v->coal_vq_pkts[k] = st->coal_vq[k].max_packets;
	}
	return v;
}

const struct cmds_view *
cmds_view_get(const char **source)
{
	const struct cmds_view *v = view_from_device();

	if (v != NULL) {
		if (source != NULL)
			*source = "device (rte_pmd_cvqsim_net_state_get)";
		return v;
	}
	if (source != NULL)
		*source = "frontend (acknowledged commands)";
	return &cmds.view;
}

bool
cmds_view_vlan(const struct cmds_view *v, uint16_t vid)
{
	return vid < 4096 && (v->vlans[vid / 32] & (1u << (vid % 32)));
}

bool
cmds_view_has_mac(const struct cmds_view *v, const uint8_t mac[6],
		bool multicast)
{
	uint8_t (*tab)[6] = multicast ? v->mc : v->uc;
	uint32_t n = multicast ? v->n_mc : v->n_uc, i;

	for (i = 0; i < n; i++)
		if (memcmp(tab[i], mac, 6) == 0)
			return true;
	return false;
}
