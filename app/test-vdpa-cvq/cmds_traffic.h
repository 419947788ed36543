/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_TRAFFIC_H
#define CMDS_TRAFFIC_H

/* send / recv and the per-frame checks: steering, hash (cmds_traffic.c). */

#include <stdint.h>

void cmds_send(const char *args);
void cmds_recv(const char *args);
/* Toeplitz hash of a parsed frame under hash types and key, with the
 * report type; returns VIRTIO_NET_HASH_REPORT_NONE when no rule applies. */
uint16_t cmds_frame_hash(const uint8_t *frame, uint32_t len,
		uint32_t hash_types, const uint8_t *key, uint32_t *hash);

#endif /* CMDS_TRAFFIC_H */
