/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Device side of a packed virtqueue (virtio 1.x, "Packed Virtqueues"),
 * behind the interface of cvqsim_vq.h. cvqsim_vq.c has checked that the
 * queue is ready, not broken and its areas resolved for the current AS
 * before any function here touches them.
 *
 * One descriptor ring carries both directions. The driver makes a
 * descriptor available by setting VRING_PACKED_DESC_F_AVAIL to its wrap
 * counter and VRING_PACKED_DESC_F_USED to the inverse; the device marks a
 * buffer used by writing one descriptor (buffer id, written length, both
 * bits equal to its own wrap counter) at its next used position and
 * skipping as many positions as the buffer took. Buffers may complete in
 * any order, so the device remembers, per buffer id, how many descriptors
 * the buffer took (vq->inflight).
 *
 * Ring violations (-EIO), each breaking the queue:
 *   - a descriptor of a chain after the first not made available (the
 *     driver must make the first available last), or a chain longer than
 *     the ring;
 *   - a buffer id beyond the ring size, or one the device still holds;
 *   - an indirect descriptor with VRING_DESC_F_NEXT or inside a chain, an
 *     indirect table entry that is itself indirect, a bad table length,
 *     indirect without VIRTIO_RING_F_INDIRECT_DESC;
 *   - readable after writable, more than 4 GiB or CVQSIM_CHAIN_MAX_IOV
 *     iovecs in one chain.
 * Unmapped buffers and tables are -EFAULT. A failed pop consumes nothing.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "cvqsim_vq_layout.h"

#define PDESC_SIZE	sizeof(struct vring_packed_desc)
#define F_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define F_USED		(1u << VRING_PACKED_DESC_F_USED)
#define POS_MASK	(CVQSIM_VQ_WRAP_BIT - 1)

void
cvqsim_vq_packed_areas(uint16_t size, uint64_t len[3], uint64_t align[3])
{
	len[0] = PDESC_SIZE * (uint64_t)size;
	len[1] = sizeof(struct vring_packed_desc_event);
	len[2] = sizeof(struct vring_packed_desc_event);
	align[0] = 16;
	align[1] = 4;
	align[2] = 4;
}

/* Available: AVAIL matches the driver's wrap counter, USED does not. */
static inline bool
desc_is_avail(uint16_t flags, bool wrap)
{
	return !!(flags & F_AVAIL) == wrap && !!(flags & F_USED) != wrap;
}

static inline uint16_t
load_flags(const struct vring_packed_desc *d)
{
	/* Acquire: the descriptor's other fields are read after its flags. */
	return rte_le_to_cpu_16(__atomic_load_n(&d->flags, __ATOMIC_ACQUIRE));
}

/* Where cvqsim_vq_peek() looks: the next avail descriptor's flags. */
static inline void
vq_set_peek(struct cvqsim_vq *vq)
{
	const uint16_t *flags = NULL;

	/* The ring is gone once the queue broke on an AS change. */
	if (vq->desc_packed != NULL)
		flags = &vq->desc_packed[vq->last_avail_idx].flags;
	__atomic_store_n(&vq->peek_flags, flags, __ATOMIC_RELAXED);
}

static inline void
pos_advance(const struct cvqsim_vq *vq, uint16_t *pos, bool *wrap, uint16_t n)
{
	*pos = (uint16_t)(*pos + n);
	if (*pos >= vq->size) {
		*pos = (uint16_t)(*pos - vq->size);
		*wrap = !*wrap;
	}
}

int
cvqsim_vq_packed_start(struct cvqsim_vq *vq, uint16_t last_avail,
		uint16_t last_used)
{
	uint16_t avail_pos = last_avail & POS_MASK;
	uint16_t used_pos = last_used & POS_MASK;

	if (avail_pos >= vq->size || used_pos >= vq->size)
		return cvqsim_vq_setup_fail(vq, -EINVAL,
			"vring base avail 0x%04x used 0x%04x: position beyond"
			" ring size %u", last_avail, last_used, vq->size);
	vq->inflight = calloc(vq->size, sizeof(*vq->inflight));
	if (vq->inflight == NULL)
		return cvqsim_vq_setup_fail(vq, -ENOMEM,
			"no memory for %u buffer ids", vq->size);
	/* Set by the control path: the poller peeks at them (cvqsim_vq.c). */
	__atomic_store_n(&vq->last_avail_idx, avail_pos, __ATOMIC_RELAXED);
	__atomic_store_n(&vq->avail_wrap, !!(last_avail & CVQSIM_VQ_WRAP_BIT),
		__ATOMIC_RELAXED);
	vq->used_idx = used_pos;
	vq->used_wrap = last_used & CVQSIM_VQ_WRAP_BIT;
	vq->signalled_used = used_pos;
	vq->signalled_wrap = vq->used_wrap;
	vq->nr_popped = 0;
	vq->nr_unflushed = 0;
	vq_set_peek(vq);
	return 0;
}

void
cvqsim_vq_packed_stop(struct cvqsim_vq *vq)
{
	__atomic_store_n(&vq->peek_flags, NULL, __ATOMIC_RELAXED);
	free(vq->inflight);
	vq->inflight = NULL;
	vq->nr_unflushed = 0;
	vq->nr_popped = 0;
}

void
cvqsim_vq_packed_get_base(const struct cvqsim_vq *vq, uint16_t *avail,
		uint16_t *used)
{
	*avail = vq->last_avail_idx | (vq->avail_wrap ? CVQSIM_VQ_WRAP_BIT : 0);
	*used = vq->used_idx | (vq->used_wrap ? CVQSIM_VQ_WRAP_BIT : 0);
}

int
cvqsim_vq_packed_avail_count(struct cvqsim_vq *vq)
{
	return desc_is_avail(load_flags(&vq->desc_packed[vq->last_avail_idx]),
		vq->avail_wrap);
}

bool
cvqsim_vq_packed_peek(const struct cvqsim_vq *vq)
{
	const uint16_t *flags = __atomic_load_n(&vq->peek_flags, __ATOMIC_RELAXED);

	if (flags == NULL)
		return false;
	return desc_is_avail(rte_le_to_cpu_16(__atomic_load_n(flags,
		__ATOMIC_RELAXED)), __atomic_load_n(&vq->avail_wrap,
		__ATOMIC_RELAXED));
}

/* One descriptor, read from shared memory exactly once. */
struct pdesc_copy {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};

static inline void
read_pdesc(const struct vring_packed_desc *d, uint16_t flags,
		struct pdesc_copy *c)
{
	const volatile struct vring_packed_desc *vd = d;

	c->addr = rte_le_to_cpu_64(vd->addr);
	c->len = rte_le_to_cpu_32(vd->len);
	c->id = rte_le_to_cpu_16(vd->id);
	c->flags = flags;
}

/* The buffers of an indirect table: only VRING_DESC_F_WRITE counts. */
static int
vq_walk_indirect(struct cvqsim_vq *vq, struct cvqsim_vq_walk *w,
		struct cvqsim_chain *c, const struct pdesc_copy *d, uint16_t pos)
{
	const struct vring_packed_desc *table;
	struct cvqsim_vq_buf b;
	uint32_t entries, j;
	int err;

	if (unlikely(d->flags & VRING_DESC_F_NEXT))
		return cvqsim_vq_fail(vq, -EIO,
			"indirect descriptor %u also has VRING_DESC_F_NEXT", pos);
	table = cvqsim_vq_map_indirect(vq, w, d->addr, d->len, PDESC_SIZE, pos,
		&entries, &err);
	if (unlikely(table == NULL))
		return err;
	for (j = 0; j < entries; j++) {
		const volatile struct vring_packed_desc *e = &table[j];
		uint16_t flags = rte_le_to_cpu_16(e->flags);
		int ret;

		if (unlikely(flags & VRING_DESC_F_INDIRECT))
			return cvqsim_vq_fail(vq, -EIO,
				"indirect descriptor %u inside an indirect table", j);
		b.addr = rte_le_to_cpu_64(e->addr);
		b.len = rte_le_to_cpu_32(e->len);
		b.writable = flags & VRING_DESC_F_WRITE;
		b.index = j;
		ret = cvqsim_vq_add_buf(vq, w, c, &b);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/*
 * Walk the chain starting at the next avail position, whose flags (read
 * with acquire) say it is available. Returns 0 with *ndesc, *pos and *wrap
 * just past the chain and c->head its buffer id, or a ring error.
 */
static int
vq_walk_chain(struct cvqsim_vq *vq, struct cvqsim_chain *c, uint16_t flags,
		uint16_t *ndesc, uint16_t *pos, bool *wrap)
{
	struct cvqsim_vq_walk w;
	struct cvqsim_vq_buf b;
	struct pdesc_copy d;
	uint16_t n = 0;
	int ret;

	*ndesc = 0;
	cvqsim_vq_chain_start(&w, c, 0);
	for (;;) {
		if (n > 0) {
			flags = load_flags(&vq->desc_packed[*pos]);
			if (unlikely(!desc_is_avail(flags, *wrap)))
				return cvqsim_vq_fail(vq, -EIO,
					"descriptor %u (wrap %u) of the chain at %u not"
					" available: flags 0x%04x", *pos, *wrap,
					vq->last_avail_idx, flags);
		}
		if (unlikely(++n > vq->size))
			return cvqsim_vq_fail(vq, -EIO,
				"chain at %u longer than the %u descriptors of the"
				" ring", vq->last_avail_idx, vq->size);
		read_pdesc(&vq->desc_packed[*pos], flags, &d);
		c->head = d.id;		/* the last descriptor's id counts */
		if (d.flags & VRING_DESC_F_INDIRECT) {
			if (unlikely(n > 1))
				return cvqsim_vq_fail(vq, -EIO,
					"indirect descriptor %u inside a chain",
					*pos);
			ret = vq_walk_indirect(vq, &w, c, &d, *pos);
		} else {
			b.addr = d.addr;
			b.len = d.len;
			b.writable = d.flags & VRING_DESC_F_WRITE;
			b.index = *pos;
			ret = cvqsim_vq_add_buf(vq, &w, c, &b);
		}
		if (ret < 0)
			return ret;
		pos_advance(vq, pos, wrap, 1);
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
	}
	*ndesc = n;
	return 0;
}

int
cvqsim_vq_packed_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c)
{
	uint16_t pos = vq->last_avail_idx, flags, ndesc, id;
	bool wrap = vq->avail_wrap;
	int ret;

	flags = load_flags(&vq->desc_packed[pos]);
	if (!desc_is_avail(flags, wrap))
		return 0;
	ret = vq_walk_chain(vq, c, flags, &ndesc, &pos, &wrap);
	if (ret < 0)
		return ret;
	id = c->head;
	if (unlikely(id >= vq->size))
		return cvqsim_vq_fail(vq, -EIO,
			"chain at %u: buffer id %u beyond ring size %u",
			vq->last_avail_idx, id, vq->size);
	if (unlikely(vq->inflight[id].ndesc != 0))
		return cvqsim_vq_fail(vq, -EIO,
			"chain at %u: buffer id %u made available again before"
			" it was used", vq->last_avail_idx, id);

	vq->inflight[id].ndesc = ndesc;
	vq->inflight[id].in_len = c->in_len;
	vq->popped_ids[vq->popped_top] = id;
	vq->popped_top = (vq->popped_top + 1) % CVQSIM_VQ_UNPOP_MAX;
	if (vq->nr_popped < CVQSIM_VQ_UNPOP_MAX)
		vq->nr_popped++;
	vq->last_avail_idx = pos;
	vq->avail_wrap = wrap;
	vq_set_peek(vq);
	vq->stats.chains++;
	return 1;
}

void
cvqsim_vq_packed_unpop(struct cvqsim_vq *vq, uint16_t n)
{
	if (vq->inflight == NULL)
		return;
	n = RTE_MIN(n, vq->nr_popped);
	while (n-- > 0) {
		uint16_t id, back;

		vq->popped_top = (vq->popped_top + CVQSIM_VQ_UNPOP_MAX - 1) %
			CVQSIM_VQ_UNPOP_MAX;
		vq->nr_popped--;
		id = vq->popped_ids[vq->popped_top];
		back = vq->inflight[id].ndesc;

		vq->inflight[id].ndesc = 0;
		if (vq->last_avail_idx >= back) {
			vq->last_avail_idx -= back;
		} else {
			vq->last_avail_idx += vq->size - back;
			vq->avail_wrap = !vq->avail_wrap;
		}
	}
	vq_set_peek(vq);
}

void
cvqsim_vq_packed_push(struct cvqsim_vq *vq, uint16_t id, uint32_t len)
{
	struct vring_packed_desc *d;
	uint16_t flags;

	if (unlikely(id >= vq->size || vq->inflight[id].ndesc == 0)) {
		vq->stats.errors++;	/* our bug, not the driver's */
		return;
	}
	/* The used length counts bytes written: never more than there was. */
	len = RTE_MIN(len, vq->inflight[id].in_len);
	d = &vq->desc_packed[vq->used_idx];
	d->id = rte_cpu_to_le_16(id);
	d->len = rte_cpu_to_le_32(len);
	flags = vq->used_wrap ? F_AVAIL | F_USED : 0;
	if (len > 0)
		flags |= VRING_DESC_F_WRITE;
	/*
	 * The first used descriptor of a batch is published by flush, last:
	 * the driver, which reads in ring order, then sees the batch whole.
	 */
	if (vq->nr_unflushed++ == 0) {
		vq->flush_idx = vq->used_idx;
		vq->flush_flags = flags;
	} else {
		__atomic_store_n(&d->flags, rte_cpu_to_le_16(flags),
			__ATOMIC_RELEASE);
	}
	pos_advance(vq, &vq->used_idx, &vq->used_wrap, vq->inflight[id].ndesc);
	vq->inflight[id].ndesc = 0;
}

void
cvqsim_vq_packed_flush(struct cvqsim_vq *vq)
{
	if (vq->nr_unflushed == 0)
		return;
	/* Release: id, len and the batch's other flags are seen first. */
	__atomic_store_n(&vq->desc_packed[vq->flush_idx].flags,
		rte_cpu_to_le_16(vq->flush_flags), __ATOMIC_RELEASE);
	vq->nr_unflushed = 0;
}

void
cvqsim_vq_packed_unflushed(const struct cvqsim_vq *vq,
		struct cvqsim_vq_written *w)
{
	uint16_t first = vq->flush_idx, n, run;

	if (vq->nr_unflushed == 0)
		return;
	/* The used descriptors lie in [first, used_idx), a whole lap at most. */
	n = vq->used_idx > first ? (uint16_t)(vq->used_idx - first) :
		(uint16_t)(vq->used_idx + vq->size - first);
	run = RTE_MIN(n, (uint16_t)(vq->size - first));
	w->entries[0].iov_base = &vq->desc_packed[first];
	w->entries[0].iov_len = (size_t)run * PDESC_SIZE;
	w->entries[1].iov_base = &vq->desc_packed[0];
	w->entries[1].iov_len = (size_t)(n - run) * PDESC_SIZE;
	w->nr = run < n ? 2 : 1;
	w->publish.iov_base = &vq->desc_packed[first].flags;
	w->publish.iov_len = sizeof(vq->desc_packed[first].flags);
}

unsigned int
cvqsim_vq_packed_device_fields(const struct cvqsim_vq *vq, struct iovec r[2])
{
	r[0].iov_base = vq->device_event;
	r[0].iov_len = sizeof(*vq->device_event);
	return 1;
}

bool
cvqsim_vq_packed_need_notify(struct cvqsim_vq *vq)
{
	uint16_t old = vq->signalled_used, new = vq->used_idx;
	uint16_t flags, off_wrap, off;
	bool old_wrap = vq->signalled_wrap, valid = vq->signalled_used_valid;

	vq->signalled_used = new;
	vq->signalled_wrap = vq->used_wrap;
	vq->signalled_used_valid = true;
	/* Nothing used since the last notification: nothing to say. */
	if (valid && old == new && old_wrap == vq->used_wrap)
		return false;

	flags = rte_le_to_cpu_16(__atomic_load_n(&vq->driver_event->flags,
		__ATOMIC_ACQUIRE)) & 0x3;
	if (!vq->event_idx || flags != VRING_PACKED_EVENT_FLAG_DESC)
		return flags != VRING_PACKED_EVENT_FLAG_DISABLE;
	if (unlikely(!valid))
		return true;
	off_wrap = rte_le_to_cpu_16(__atomic_load_n(&vq->driver_event->off_wrap,
		__ATOMIC_ACQUIRE));
	off = off_wrap & POS_MASK;
	/*
	 * Positions in one numbering as in DPDK's vhost: the last used
	 * position before new on the previous lap, the event's offset on the
	 * previous lap when its wrap counter is not ours; then the split
	 * ring's test whether the event lies in (old, new].
	 */
	if (new <= old)
		old = (uint16_t)(old - vq->size);
	if (!!(off_wrap & CVQSIM_VQ_WRAP_BIT) != vq->used_wrap)
		off = (uint16_t)(off - vq->size);
	return vring_need_event(off, new, old);
}

void
cvqsim_vq_packed_enable_kick(struct cvqsim_vq *vq, bool enable)
{
	uint16_t flags = VRING_PACKED_EVENT_FLAG_DISABLE;

	if (enable && vq->event_idx) {
		/* Kick when the next descriptor we would pop is made available. */
		vq->device_event->off_wrap = rte_cpu_to_le_16(vq->last_avail_idx |
			(vq->avail_wrap ? CVQSIM_VQ_WRAP_BIT : 0));
		flags = VRING_PACKED_EVENT_FLAG_DESC;
	} else if (enable) {
		flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	}
	__atomic_store_n(&vq->device_event->flags, rte_cpu_to_le_16(flags),
		__ATOMIC_RELEASE);
}
