/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * extfe's view of the device state: reset values, then each control
 * request the device acknowledged with VIRTIO_NET_OK, applied from the
 * bytes extfe sent (virtio 1.4 "Control Virtqueue"). "expect state" and
 * the receive checks read it.
 */

#include <string.h>

#include "extfe.h"

void
xfe_view_reset(struct xfe *x)
{
	struct xfe_view *v = &x->view;

	memset(v, 0, sizeof(*v));
	memcpy(v->mac, x->config, 6);
	/* After reset (QEMU's default): promiscuous, one pair. */
	v->promisc = true;
	v->pairs = 1;
}

static bool *
rx_mode_of(struct xfe_view *v, unsigned int cmd)
{
	bool *m[] = { &v->promisc, &v->allmulti, &v->alluni, &v->nomulti,
		&v->nouni, &v->nobcast };

	return cmd < 6 ? m[cmd] : NULL;
}

static void
apply_rss(struct xfe_view *v, const uint8_t *d)
{
	uint16_t mask = (uint16_t)xfe_get_le(d + 4, 2), i;
	const uint8_t *k = d + 8 + 2 * (mask + 1u);

	v->rss = true;
	v->rss_types = (uint32_t)xfe_get_le(d, 4);
	v->unclassified = (uint16_t)xfe_get_le(d + 6, 2);
	v->table_len = (uint16_t)(mask + 1);
	for (i = 0; i <= mask && i < XFE_MAX_RING; i++)
		v->table[i] = (uint16_t)xfe_get_le(d + 8 + 2 * i, 2);
	v->pairs = (uint16_t)xfe_get_le(k, 2);
	v->rss_key_len = k[2] <= XFE_KEY_MAX ? k[2] : 0;
	memcpy(v->rss_key, k + 3, v->rss_key_len);
}

/* The device said OK to request req: what it set is in force. */
void
xfe_view_apply(struct xfe *x, const uint8_t *req)
{
	struct xfe_view *v = &x->view;
	const uint8_t *d = req + 2;
	bool *mode;
	uint16_t vid;

	switch (req[0]) {
	case C_RX:
		mode = rx_mode_of(v, req[1]);
		if (mode != NULL)
			*mode = d[0] != 0;
		break;
	case C_MAC:
		if (req[1] == 1)
			memcpy(v->mac, d, 6);
		break;
	case C_VLAN:
		vid = (uint16_t)xfe_get_le(d, 2);
		if (vid < 4096 && req[1] == 0)
			v->vlans[vid / 8] |= (uint8_t)(1u << (vid % 8));
		else if (vid < 4096)
			v->vlans[vid / 8] &= (uint8_t)~(1u << (vid % 8));
		break;
	case C_MQ:
		if (req[1] == MQ_PAIRS) {
			v->pairs = (uint16_t)xfe_get_le(d, 2);
			v->rss = false;
		} else if (req[1] == MQ_RSS) {
			apply_rss(v, d);
		} else if (req[1] == MQ_HASH) {
			v->hash_types = (uint32_t)xfe_get_le(d, 4);
			v->hash_key_len = d[12] <= XFE_KEY_MAX ? d[12] : 0;
			memcpy(v->hash_key, d + 13, v->hash_key_len);
		}
		break;
	case C_OFFLOADS:
		v->offloads = xfe_get_le(d, 8);
		break;
	case C_TUNNEL:
		v->tunnel_types = (uint32_t)xfe_get_le(d, 4);
		break;
	}
}
