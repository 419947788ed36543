/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef SHADOW_GUEST_H
#define SHADOW_GUEST_H

/**
 * @file
 * The guest's side of the shadow control queue (shadow.h): the guest's
 * control ring in guest memory, reached through the vhost-user memory
 * table, and every write of the shadow into that memory (logged for live
 * migration). All with the shadow's lock held.
 */

#include <stdint.h>

#include <rte_pmd_cvqsim.h>

#include "cvqsim_chain.h"

struct shadow;

/**
 * Serve the guest's control queue @p vring with the driver's ring engine:
 * the guest's memory from the current table, the ring from the vhost
 * library at the indices it holds. 0 or a negative errno.
 */
int shadow_guest_setup(struct shadow *sh, uint16_t vring, uint64_t features);

/** Complete the guest's chain @p c with the device's reply (sh->resp). */
void shadow_guest_complete(struct shadow *sh, const struct cvqsim_chain *c,
		uint32_t used_len);

/** Ask the guest for a kick on its next request. */
void shadow_guest_want_kick(struct shadow *sh);

/**
 * The frontend's memory table changes (rte_pmd_cvqsim_mem_cb, arg: the
 * shadow): stop using the old table before it goes, translate the guest's
 * ring through the new one after.
 */
void shadow_guest_mem_event(struct rte_vdpa_device *dev, int vid,
		enum rte_pmd_cvqsim_mem_event event, void *arg);

#endif /* SHADOW_GUEST_H */
