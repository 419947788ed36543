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

#include "cmds_priv.h"

int
cmds_view_init(void)
{
	struct cmds_view *v = &cmds.view;

	v->uc = calloc(CMDS_VIEW_MACS, sizeof(*v->uc));
	v->mc = calloc(CMDS_VIEW_MACS, sizeof(*v->mc));
	if (v->uc == NULL || v->mc == NULL) {
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

const struct cmds_view *
cmds_view_get(const char **source)
{
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
