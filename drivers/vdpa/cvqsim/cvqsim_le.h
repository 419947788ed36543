/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_LE_H
#define CVQSIM_LE_H

/*
 * Little-endian fields at any alignment, as the control queue's command
 * data and results (virtio 1.4 5.1.6.5) and the state format carry them:
 * memcpy for the access, DPDK's byte-order macros for the order.
 */

#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

static inline void
cvqsim_put_le16(uint8_t *p, uint16_t v)
{
	rte_le16_t le = rte_cpu_to_le_16(v);

	memcpy(p, &le, sizeof(le));
}

static inline void
cvqsim_put_le32(uint8_t *p, uint32_t v)
{
	rte_le32_t le = rte_cpu_to_le_32(v);

	memcpy(p, &le, sizeof(le));
}

static inline void
cvqsim_put_le64(uint8_t *p, uint64_t v)
{
	rte_le64_t le = rte_cpu_to_le_64(v);

	memcpy(p, &le, sizeof(le));
}

static inline uint16_t
cvqsim_get_le16(const uint8_t *p)
{
	rte_le16_t le;

	memcpy(&le, p, sizeof(le));
	return rte_le_to_cpu_16(le);
}

static inline uint32_t
cvqsim_get_le32(const uint8_t *p)
{
	rte_le32_t le;

	memcpy(&le, p, sizeof(le));
	return rte_le_to_cpu_32(le);
}

static inline uint64_t
cvqsim_get_le64(const uint8_t *p)
{
	rte_le64_t le;

	memcpy(&le, p, sizeof(le));
	return rte_le_to_cpu_64(le);
}

#endif /* CVQSIM_LE_H */
