/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_STATE_PRIV_H
#define CVQSIM_STATE_PRIV_H

/*
 * Shared by cvqsim_state.c (save, replay list) and cvqsim_state_restore.c
 * (parser, replay): the fixed sizes of the format (its fields are
 * little-endian and unaligned: cvqsim_le.h).
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

#include "cvqsim_le.h"
#include "cvqsim_net.h"
#include "cvqsim_state.h"

#define CVQSIM_STATE_VLAN_TABLE_LEN	(RTE_PMD_CVQSIM_VLAN_IDS / 8)
#define CVQSIM_STATE_VQ_CFG_LEN		32
#define CVQSIM_STATE_NET_CONFIG_LEN	32
#define CVQSIM_STATE_DATA_VQS		(2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS)
/* Counters of the STATS part per pair: receive then transmit. */
#define CVQSIM_STATE_RXQ_COUNTERS (sizeof(struct cvqsim_net_rxq_stats) / 8)
#define CVQSIM_STATE_TXQ_COUNTERS (sizeof(struct cvqsim_net_txq_stats) / 8)
/*
 * Version 1 also carried, after those, the GSO counters the device never
 * counted: receive gso_packets, gso_bytes, gso_packets_coalesced,
 * gso_bytes_coalesced; transmit gso_packets, gso_bytes, gso_segments,
 * gso_segments_bytes, gso_packets_noseg, gso_bytes_noseg.
 */
#define CVQSIM_STATE_V1_RXQ_COUNTERS	14
#define CVQSIM_STATE_V1_TXQ_COUNTERS	14
_Static_assert(CVQSIM_STATE_RXQ_COUNTERS == 10 &&
	CVQSIM_STATE_TXQ_COUNTERS == 8,
	"a new model counter changes the STATS part: bump the version");

/*
 * The NET_CONFIG part: the reset MAC, status, and the config space fields
 * and creation parameters a restore must find equal.
 */
static inline void
cvqsim_state_net_config_put(uint8_t *v, const uint8_t mac[6],
		const struct cvqsim_net_state *st)
{
	memcpy(v, mac, 6);
	cvqsim_put_le16(v + 6, st->status);
	cvqsim_put_le16(v + 8, st->max_queue_pairs);
	cvqsim_put_le16(v + 10, st->mtu);
	cvqsim_put_le32(v + 12, st->speed);
	v[16] = st->duplex;
	v[17] = st->rss_max_key_size;
	cvqsim_put_le16(v + 18, st->rss_max_indirection_table_length);
	cvqsim_put_le32(v + 20, st->supported_hash_types);
	cvqsim_put_le32(v + 24, st->supported_tunnel_types);
	cvqsim_put_le16(v + 28, st->mac_table_capacity);
	v[30] = 0;
	v[31] = 0;
}

/* Counters per pair of the STATS part of a state version. */
static inline uint32_t
cvqsim_state_pair_counters(uint16_t version)
{
	return version == 1 ?
		CVQSIM_STATE_V1_RXQ_COUNTERS + CVQSIM_STATE_V1_TXQ_COUNTERS :
		CVQSIM_STATE_RXQ_COUNTERS + CVQSIM_STATE_TXQ_COUNTERS;
}

/* Bytes of the STATS part of version's format, max_pairs pairs. */
static inline uint32_t
cvqsim_state_stats_len_v(uint16_t version, uint16_t max_pairs)
{
	return (uint32_t)(8 * (1 + CVQSIM_NET_RX_VERDICT_MAX + max_pairs *
		cvqsim_state_pair_counters(version)));
}

/* Bytes of the STATS part this version writes. */
static inline uint32_t
cvqsim_state_stats_len(uint16_t max_pairs)
{
	return cvqsim_state_stats_len_v(CVQSIM_STATE_VERSION, max_pairs);
}

#endif /* CVQSIM_STATE_PRIV_H */
