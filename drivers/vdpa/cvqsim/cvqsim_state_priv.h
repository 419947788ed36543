/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_STATE_PRIV_H
#define CVQSIM_STATE_PRIV_H

/*
 * Shared by cvqsim_state.c (save, replay list) and cvqsim_state_restore.c
 * (parser, replay): the fixed sizes of the format and its byte helpers.
 */

#include <stdint.h>

#define CVQSIM_STATE_VLAN_TABLE_LEN	(CVQSIM_NET_VLAN_IDS / 8)
#define CVQSIM_STATE_VQ_CFG_LEN		32
#define CVQSIM_STATE_NET_CONFIG_LEN	32
#define CVQSIM_STATE_DATA_VQS		(2 * CVQSIM_NET_MAX_QUEUE_PAIRS)
/* Counters of the STATS part per pair: receive then transmit. */
#define CVQSIM_STATE_RXQ_COUNTERS (sizeof(struct cvqsim_net_rxq_stats) / 8)
#define CVQSIM_STATE_TXQ_COUNTERS (sizeof(struct cvqsim_net_txq_stats) / 8)

/*
 * Byte helpers (every field of the format is little-endian, unaligned).
 */

static inline void
cvqsim_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
cvqsim_put_le32(uint8_t *p, uint32_t v)
{
	cvqsim_put_le16(p, (uint16_t)v);
	cvqsim_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void
cvqsim_put_le64(uint8_t *p, uint64_t v)
{
	cvqsim_put_le32(p, (uint32_t)v);
	cvqsim_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t
cvqsim_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
cvqsim_get_le32(const uint8_t *p)
{
	return cvqsim_get_le16(p) | (uint32_t)cvqsim_get_le16(p + 2) << 16;
}

static inline uint64_t
cvqsim_get_le64(const uint8_t *p)
{
	return cvqsim_get_le32(p) | (uint64_t)cvqsim_get_le32(p + 4) << 32;
}

/* Bytes of the STATS part of a device with max_pairs pairs. */
static inline uint32_t
cvqsim_state_stats_len(uint16_t max_pairs)
{
	return (uint32_t)(8 * (1 + CVQSIM_NET_RX_VERDICT_MAX + max_pairs *
		(CVQSIM_STATE_RXQ_COUNTERS + CVQSIM_STATE_TXQ_COUNTERS)));
}

#endif /* CVQSIM_STATE_PRIV_H */
