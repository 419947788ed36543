/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef DRV_VQ_H
#define DRV_VQ_H

/**
 * @file
 * Driver side of a virtqueue, split or packed (DRV_VQ_F_PACKED), the way a
 * virtio driver in a guest sees it, living in "guest memory" shared with
 * the device. The split ring is in drv_vq.c, the packed ring's own parts in
 * drv_vq_packed.c; the API is the same for both. Guest memory is
 * drv_mem.h, what both layouts share drv_vq_base.h.
 *
 * Guest memory (struct drv_mem) is one memfd mapped MAP_SHARED in this
 * process. It has a guest-physical address (GPA) base that differs from its
 * virtual address, so the device must really translate: every descriptor
 * carries a GPA, never a pointer of ours.
 *
 * A split drv_vq owns a descriptor table, an avail ring and a used ring
 * carved from guest memory, a free list of descriptors, per-chain cookies
 * and, when indirect descriptors are used, one indirect table per head. A
 * packed one owns a descriptor ring and the two event suppression areas,
 * its wrap counters, a free list of buffer ids and one indirect table per
 * id.
 *
 * Everything the device writes (used ring, used ids, lengths) is validated:
 * a misbehaving device gets -EIO and an error string, never a crash.
 *
 * A fault-injection hook (drv_vq_inject) makes the next chain added, or the
 * next publication, deliberately malformed, and raw writers
 * (drv_vq_write_desc_raw, drv_vq_push_avail_raw, drv_vq_set_avail_idx_raw)
 * write whatever the caller wants. After a fault the ring is "tainted": the
 * device may never complete it; stop the device and start with fresh rings.
 *
 * Threading: a drv_vq is driven by one thread (the one driving its fe_dev).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_ring.h>

#include "drv_mem.h"
#include "drv_vq_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Allocate the rings in @p mem and the eventfds. @p size is a power of two
 * (1..32768). Creates a non-blocking kick eventfd and call eventfd.
 * Returns 0 or -errno (-ENOMEM when guest memory is exhausted).
 */
int drv_vq_init(struct drv_vq *vq, struct drv_mem *mem, uint16_t index,
		uint16_t size, uint32_t flags);
/** Close the eventfds and free host-side arrays (guest memory stays). */
void drv_vq_free(struct drv_vq *vq);
/**
 * Forget all chains and zero the rings, keeping memory and eventfds:
 * a fresh queue as after init (used after a device reset).
 */
void drv_vq_reset(struct drv_vq *vq);
/**
 * Set the ring position on resume: avail index, used index, as a device
 * reported them (GET_VRING_BASE; packed: position with the wrap counter in
 * bit 15). Only valid with nothing in flight, or when the slots in flight
 * stay in flight (then only last_used moves).
 */
void drv_vq_set_base(struct drv_vq *vq, uint16_t avail_idx, uint16_t used_idx);
/**
 * The driver's next avail position as a vring base: the avail index
 * (split), the position with the wrap counter in bit 15 (packed; a fresh
 * ring is at 0x8000). What SET_VRING_BASE carries for a fresh ring.
 */
uint16_t drv_vq_avail_base(const struct drv_vq *vq);
/**
 * Where the device's used entries end, as a vring base: used->idx (split),
 * or the position and wrap counter after the last used descriptor the
 * device wrote (packed). What a frontend resumes from when the device
 * could not report its base.
 */
uint16_t drv_vq_device_used_base(const struct drv_vq *vq);

/**
 * Add a chain of @p n buffers; readable ones must come before writable ones.
 * With @p indirect (needs DRV_VQ_F_INDIRECT) the chain goes through one
 * indirect table and uses one ring descriptor. Not yet visible to the
 * device: call drv_vq_publish() or drv_vq_kick().
 * Returns 0, -ENOSPC if the ring is full, -EINVAL (bad buffer, address not
 * in guest memory, order), -E2BIG (too many for the table).
 */
int drv_vq_add(struct drv_vq *vq, const struct drv_buf *bufs, unsigned int n,
		bool indirect, void *cookie);
/** Make added chains visible to the device (write barrier + avail->idx). */
void drv_vq_publish(struct drv_vq *vq);
/**
 * Publish and notify the device if it wants it (VRING_USED_F_NO_NOTIFY, or
 * avail_event with EVENT_IDX). Returns 1 if the kick eventfd was written,
 * 0 if suppressed, -errno on a write failure.
 */
int drv_vq_kick(struct drv_vq *vq);
/** Write the kick eventfd unconditionally. 0 or -errno. */
int drv_vq_notify(struct drv_vq *vq);

/**
 * Take one used entry. Returns 1 and fills @p cookie and @p len, 0 if none,
 * -EIO if the device wrote an invalid entry (unknown id, id not in flight,
 * used->idx running ahead by more than the ring size); see vq->err.
 */
int drv_vq_get_used(struct drv_vq *vq, void **cookie, uint32_t *len);
/** Number of used entries the device has published and we have not taken. */
uint16_t drv_vq_used_pending(const struct drv_vq *vq);
/** Chains made available and not yet used. */
uint16_t drv_vq_in_flight(const struct drv_vq *vq);

/**
 * Ask for (on) or suppress (off) used-buffer notifications: sets or clears
 * VRING_AVAIL_F_NO_INTERRUPT and, with EVENT_IDX, used_event = last_used.
 */
void drv_vq_enable_interrupts(struct drv_vq *vq, bool on);
/**
 * Wait up to @p timeout_ns for the call eventfd (poll), consuming its count.
 * Returns 1 if signalled, 0 on timeout, -errno on error.
 */
int drv_vq_wait_call(struct drv_vq *vq, uint64_t timeout_ns);
/** Read and clear the call eventfd without blocking: count, 0 or -errno. */
int drv_vq_read_call(struct drv_vq *vq);

/* ---- fault injection ---- */

/**
 * Arm a one-shot fault for the next add or publish. 0, -EINVAL, or
 * -ENOTSUP for a fault of the other ring layout.
 */
int drv_vq_inject(struct drv_vq *vq, enum drv_vq_fault fault);
/**
 * Write one descriptor of the table verbatim (no free-list change); packed:
 * of the ring, @p next going into its id field.
 */
int drv_vq_write_desc_raw(struct drv_vq *vq, uint16_t idx, uint64_t addr,
		uint32_t len, uint16_t flags, uint16_t next);
/** Put any value in the next avail ring slot and advance the shadow index
 * (split rings only; nothing on a packed one). */
void drv_vq_push_avail_raw(struct drv_vq *vq, uint16_t head);
/** Write avail->idx verbatim, shadow follows (split only). */
void drv_vq_set_avail_idx_raw(struct drv_vq *vq, uint16_t idx);

/**
 * Make a chain of @p n raw descriptors available, in either layout,
 * unchecked: split, at descriptors head, head + 1, ... (mod size) linked by
 * next, head put in the avail ring; packed, at the next ring positions
 * with the driver's wrap counter, under the next free buffer id, the head
 * available at the next publish. No chain is recorded in flight; the ring
 * is tainted. Returns 0 or -EINVAL (n is 0 or exceeds the ring).
 */
int drv_vq_add_raw(struct drv_vq *vq, const struct drv_raw_desc *d,
		unsigned int n);

#ifdef __cplusplus
}
#endif

#endif /* DRV_VQ_H */
