/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_CTRL_H
#define CMDS_CTRL_H

/* Control-queue commands: encode, send, print the ack (cmds_ctrl.c). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

/*
 * Send one command built from segments, print "<what>: OK|ERR" (noting when
 * feature gate_bit, if >= 0, was not negotiated), record the ack and copy
 * up to result_len bytes of result on OK. Returns the ack (>= 0), or
 * -errno with the error printed (no ack: timeout, dead backend).
 */
int cmds_ctrl_send(const char *what, int gate_bit, uint8_t cls, uint8_t cmd,
		const struct iovec *segs, unsigned int n_segs, void *result,
		size_t result_len, uint32_t *result_got);
/* Forget the named results of the previous command; add one. */
void cmds_results_clear(void);
void cmds_result_add(const char *name, uint64_t value);

void cmds_ctrl_rx(const char *mode, bool on);
void cmds_ctrl_mac_addr(const uint8_t mac[6]);
void cmds_ctrl_mac_table(const char *args);
void cmds_ctrl_vlan(bool add, uint16_t vid);
void cmds_ctrl_mq_pairs(uint16_t pairs);
void cmds_ctrl_offloads(const char *args);
void cmds_ctrl_coal(bool tx, uint32_t usecs, uint32_t pkts);
void cmds_ctrl_coal_vq_set(uint16_t vq, uint32_t usecs, uint32_t pkts);
void cmds_ctrl_coal_vq_get(uint16_t vq);
void cmds_ctrl_announce_ack(void);
void cmds_ctrl_hash_tunnel(const char *args);
void cmds_ctrl_raw(const char *args);
void cmds_ctrl_layout(const char *name);

/* Little-endian fields of command data and results (any alignment). */
static inline void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void
put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
get_le32(const uint8_t *p)
{
	return get_le16(p) | (uint32_t)get_le16(p + 2) << 16;
}

static inline uint64_t
get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

#endif /* CMDS_CTRL_H */
