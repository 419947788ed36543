/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <stdbool.h>
#include <string.h>

#include "cvqsim_hash.h"
#include "cvqsim_net_rx.h"


static inline bool
has_feature(const struct cvqsim_net_state *st, unsigned int bit)
{
	return (st->features & (1ULL << bit)) != 0;
}

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

	if (cvqsim_net_rx_runt(frame, len))
		return CVQSIM_NET_RX_DROP_RUNT;
	tagged = frame[12] == 0x81 && frame[13] == 0x00;
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

/* Steering: queue selection (the hash is cvqsim_hash.c's). */

bool
cvqsim_net_rx_plain(const struct cvqsim_net *net, uint16_t tx_pair,
		struct cvqsim_net_rx_steer *out)
{
	const struct cvqsim_net_state *st = &net->state;
	const struct rte_pmd_cvqsim_net_rss *rss = &st->rss;

	/* cvqsim_net_rx_filter() and cvqsim_net_rx_steer(), with these. */
	if (!st->rx_mode.promisc || rss->steering ||
			(rss->hashing && has_feature(st, VIRTIO_NET_F_HASH_REPORT)))
		return false;
	out->pair = tx_pair < st->curr_queue_pairs ? tx_pair : 0;
	out->hash_report = VIRTIO_NET_HASH_REPORT_NONE;
	out->hash_value = 0;
	return true;
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
		type = cvqsim_hash_frame(frame, len, rss->hash_types,
				st->tunnel_types, rss->key, &hash);
	if (rss->steering)
		out->pair = type != VIRTIO_NET_HASH_REPORT_NONE ?
			rss->table[hash & (rss->table_len - 1u)] :
			rss->unclassified_queue;
	else
		out->pair = tx_pair < st->curr_queue_pairs ? tx_pair : 0;
	if (report && type != VIRTIO_NET_HASH_REPORT_NONE) {
		out->hash_report = type;
		out->hash_value = hash;
	} else {
		out->hash_report = VIRTIO_NET_HASH_REPORT_NONE;
		out->hash_value = 0;
	}
}
