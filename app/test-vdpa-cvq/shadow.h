/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef SHADOW_H
#define SHADOW_H

/**
 * @file
 * The shadow control queue: the application in the role of a VMM (the VM
 * case of the driver guide).
 *
 * For every connection of a shadowed interface (--shadow-cvq) the shadow
 * binds the device's control-queue group to ASID 1, maps there its own ring
 * and two buffers (request: device-readable, reply: device-writable) and
 * nothing of the guest, and points the device's control queue at that ring
 * (rte_pmd_cvqsim_vring_addr_set). The guest's control queue, in guest
 * memory, is then served by the shadow, not by the device: a relay thread
 * pops each guest request (the driver's ring engine on a private copy of
 * the guest's memory table: any layout, indirect tables, every check the
 * device makes), copies it once into the request buffer, forwards it through
 * the shadow ring, waits for the device's reply, applies the command to its
 * own device model when the device said VIRTIO_NET_OK, and completes the
 * guest's chain with the device's reply bytes and used length.
 *
 * Every write into guest memory (reply bytes, used ring, vring base) goes
 * through shadow_guest_complete() in shadow.c.
 *
 *   shadow_setup(&be_conf)  after backend_setup(): hooks, relay thread
 *   ... connections come and go ...
 *   shadow_check(f)         "show shadow" of each device (shadow_show.h)
 *   shadow_teardown()
 */

#include <stdbool.h>
#include <stdio.h>

#include <rte_vdpa.h>

#include "backend.h"
#include "shadow_table.h"

/** IOVA of the shadow's memory in ASID 1 (nothing of the guest there). */
#define SHADOW_IOVA	0x100000000000ULL

/**
 * Start the relay thread and hook the backend's connection events for the
 * interfaces be->shadow_cvq marks. Returns 0 or a negative errno.
 */
int shadow_setup(const struct backend_conf *be);

/** Stop the relay thread, unmap and free everything. Safe to call twice. */
void shadow_teardown(void);

/**
 * Shadow the control queue of interface @p iface from its next connection
 * on (on), or leave the next ones in the DPDK case (off).
 * Returns 0, -ENODEV (no such interface), -ENOTSUP (no shadow set up:
 * the application runs without --shadow-cvq).
 */
int shadow_set(unsigned int iface, bool on);

/** Returns 0, or -ENODEV (no such interface or no shadow set up). */
int shadow_info_get(unsigned int iface, struct shadow_info *info);

/**
 * The VMM raised VIRTIO_NET_S_ANNOUNCE on @p dev (rte_pmd_cvqsim_announce
 * returned 0): the shadow's model raises it too, so the guest's
 * ANNOUNCE_ACK is applied to both.
 */
void shadow_announce(struct rte_vdpa_device *dev);

#endif /* SHADOW_H */
