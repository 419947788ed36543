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

/* Command data and results are little-endian at any alignment. */
#include "cvqsim_le.h"

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

#endif /* CMDS_CTRL_H */
