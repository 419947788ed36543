/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VQ_LAYOUT_H
#define CVQSIM_VQ_LAYOUT_H

/*
 * Private to the ring engine: what cvqsim_vq.c (the interface, translation
 * and chain building both layouts share) gives cvqsim_vq_split.c and
 * cvqsim_vq_packed.c, and what each layout implements behind the interface.
 * Nothing outside cvqsim_vq*.c includes this.
 */

#include "cvqsim_vq.h"

/* ---- cvqsim_vq.c: shared by both layouts ---- */

/* Break the queue: record why, count the error, return err. */
int cvqsim_vq_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold));
/* Refuse a setup: the queue stays not ready, no ring error is counted. */
int cvqsim_vq_setup_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold));

/* Walk state of one chain, across ring descriptors and an indirect table. */
struct cvqsim_vq_walk {
	bool in_indirect;
	bool seen_writable;
	uint64_t total;		/* bytes so far, readable and writable */
};

/* One descriptor as the device reads it, whatever the layout. */
struct cvqsim_vq_buf {
	uint64_t addr;
	uint32_t len;
	bool writable;
	uint32_t index;		/* descriptor index or position, for errors */
};

/* Start a chain: c empty, head recorded. */
void cvqsim_vq_chain_start(struct cvqsim_vq_walk *w, struct cvqsim_chain *c,
		uint16_t head);

/*
 * Translate one buffer into c's iovecs: readable ones before writable ones,
 * 4 GiB per chain at most, CVQSIM_CHAIN_MAX_IOV iovecs. Breaks the queue
 * and returns -EIO / -EFAULT on a violation.
 */
int cvqsim_vq_add_buf(struct cvqsim_vq *vq, struct cvqsim_vq_walk *w,
		struct cvqsim_chain *c, const struct cvqsim_vq_buf *b);

/*
 * Map an indirect table of len bytes at addr whose entries are entry_size
 * bytes, named by descriptor i: INDIRECT_DESC negotiated, not nested, a
 * non-zero multiple of entry_size, at most CVQSIM_VQ_MAX_SIZE entries,
 * inside one readable mapping. Returns the table and sets *entries, or NULL
 * with the queue broken and *err set.
 */
const void *cvqsim_vq_map_indirect(struct cvqsim_vq *vq,
		struct cvqsim_vq_walk *w, uint64_t addr, uint32_t len,
		uint32_t entry_size, uint32_t i, uint32_t *entries, int *err);

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
