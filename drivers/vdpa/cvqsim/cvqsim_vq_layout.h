/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VQ_LAYOUT_H
#define CVQSIM_VQ_LAYOUT_H

/*
 * Private to the ring engine: what each layout (cvqsim_vq_split.c,
 * cvqsim_vq_packed.c) implements behind the interface cvqsim_vq.c
 * dispatches from. What both layouts share is below them, in
 * cvqsim_chain.h. Nothing outside cvqsim_vq*.c includes this.
 */

#include <sys/uio.h>

#include "cvqsim_chain.h"

/* ---- cvqsim_vq_split.c ---- */

/* Bytes and alignment of the three areas, in the order of setup. */
void cvqsim_vq_split_areas(uint16_t size, uint64_t len[3], uint64_t align[3]);
int cvqsim_vq_split_start(struct cvqsim_vq *vq, uint16_t last_avail,
		uint16_t last_used);
void cvqsim_vq_split_get_base(const struct cvqsim_vq *vq, uint16_t *avail,
		uint16_t *used);
int cvqsim_vq_split_avail_count(struct cvqsim_vq *vq);
bool cvqsim_vq_split_peek(const struct cvqsim_vq *vq);
int cvqsim_vq_split_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c);
void cvqsim_vq_split_unpop(struct cvqsim_vq *vq, uint16_t n);
void cvqsim_vq_split_push(struct cvqsim_vq *vq, uint16_t head, uint32_t len);
void cvqsim_vq_split_flush(struct cvqsim_vq *vq);
bool cvqsim_vq_split_need_notify(struct cvqsim_vq *vq);
void cvqsim_vq_split_enable_kick(struct cvqsim_vq *vq, bool enable);
void cvqsim_vq_split_unflushed(const struct cvqsim_vq *vq,
		struct cvqsim_vq_written *w);
unsigned int cvqsim_vq_split_device_fields(const struct cvqsim_vq *vq,
		struct iovec r[2]);
int cvqsim_vq_split_pop_burst(struct cvqsim_vq *vq,
		struct cvqsim_small_chain *c, unsigned int max);
void cvqsim_vq_split_push_burst(struct cvqsim_vq *vq, const uint16_t *heads,
		const uint32_t *lens, unsigned int n);

/* ---- cvqsim_vq_packed.c ---- */

void cvqsim_vq_packed_areas(uint16_t size, uint64_t len[3], uint64_t align[3]);
int cvqsim_vq_packed_start(struct cvqsim_vq *vq, uint16_t last_avail,
		uint16_t last_used);
void cvqsim_vq_packed_stop(struct cvqsim_vq *vq);
void cvqsim_vq_packed_get_base(const struct cvqsim_vq *vq, uint16_t *avail,
		uint16_t *used);
int cvqsim_vq_packed_avail_count(struct cvqsim_vq *vq);
bool cvqsim_vq_packed_peek(const struct cvqsim_vq *vq);
int cvqsim_vq_packed_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c);
void cvqsim_vq_packed_unpop(struct cvqsim_vq *vq, uint16_t n);
void cvqsim_vq_packed_push(struct cvqsim_vq *vq, uint16_t id, uint32_t len);
void cvqsim_vq_packed_flush(struct cvqsim_vq *vq);
bool cvqsim_vq_packed_need_notify(struct cvqsim_vq *vq);
void cvqsim_vq_packed_enable_kick(struct cvqsim_vq *vq, bool enable);
void cvqsim_vq_packed_unflushed(const struct cvqsim_vq *vq,
		struct cvqsim_vq_written *w);
unsigned int cvqsim_vq_packed_device_fields(const struct cvqsim_vq *vq,
		struct iovec r[2]);

#endif /* CVQSIM_VQ_LAYOUT_H */
