/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef DRV_VQ_PACKED_H
#define DRV_VQ_PACKED_H

/*
 * Private to drv_vq.c: the packed ring's own parts of the driver-side
 * virtqueue (drv_vq_packed.c). drv_vq.c validates the arguments and keeps
 * what both layouts share (buffers, faults bookkeeping, eventfds).
 */

#include "drv_mem.h"
#include "drv_vq_base.h"

/* Carve the ring and event areas from guest memory, allocate the lists. */
int drv_vq_packed_alloc(struct drv_vq *vq);
/* Zero the areas, every id free, both wrap counters 1. */
void drv_vq_packed_fresh(struct drv_vq *vq);
void drv_vq_packed_set_base(struct drv_vq *vq, uint16_t avail, uint16_t used);
uint16_t drv_vq_packed_device_used_base(const struct drv_vq *vq);
/*
 * Write a chain (checked by drv_vq_add(): fits, ordered, in guest memory)
 * with fault f; the head becomes available at the next publish.
 */
void drv_vq_packed_add(struct drv_vq *vq, const struct drv_buf *bufs,
		const uint64_t *gpas, unsigned int n, bool indirect, void *cookie,
		enum drv_vq_fault f);
/* Descriptors a chain of n buffers takes with fault f. */
unsigned int drv_vq_packed_ndesc(const struct drv_buf *bufs, unsigned int n,
		bool indirect, enum drv_vq_fault f);
void drv_vq_packed_publish(struct drv_vq *vq);
/* Whether the device wants a kick for what was published since the last. */
bool drv_vq_packed_need_kick(struct drv_vq *vq);
int drv_vq_packed_get_used(struct drv_vq *vq, void **cookie, uint32_t *len);
uint16_t drv_vq_packed_used_pending(const struct drv_vq *vq);
void drv_vq_packed_enable_interrupts(struct drv_vq *vq, bool on);
void drv_vq_packed_add_raw(struct drv_vq *vq, const struct drv_raw_desc *d,
		unsigned int n);
void drv_vq_packed_write_desc_raw(struct drv_vq *vq, uint16_t idx,
		uint64_t addr, uint32_t len, uint16_t flags, uint16_t id);


#endif /* DRV_VQ_PACKED_H */
