/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Device side of a split virtqueue (virtio 1.x, "Split Virtqueues"), behind
 * the interface of cvqsim_vq.h. cvqsim_vq.c has checked that the queue is
 * ready, not broken and its rings resolved for the current AS before any
 * function here touches them.
 *
 * Ring violations (-EIO): avail index more than the ring size ahead, head
 * or next index out of range, a chain longer than its table (a loop), a bad
 * indirect descriptor or table, readable after writable, more than 4 GiB or
 * CVQSIM_CHAIN_MAX_IOV iovecs; unmapped buffers or tables are -EFAULT.
 */

#include <errno.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_prefetch.h>

#include "cvqsim_vq_layout.h"

#define DESC_SIZE	sizeof(struct vring_desc)

void
cvqsim_vq_split_areas(uint16_t size, uint64_t len[3], uint64_t align[3])
{
	/* Ring sizes including the used_event/avail_event trailers. */
	len[0] = DESC_SIZE * (uint64_t)size;
	len[1] = 6 + 2 * (uint64_t)size;
	len[2] = 6 + 8 * (uint64_t)size;
	align[0] = 16;
	align[1] = 2;
	align[2] = 4;
}

int
cvqsim_vq_split_start(struct cvqsim_vq *vq, uint16_t last_avail,
		uint16_t last_used)
{
	/* Set by the control path: the poller peeks at it (cvqsim_vq.c). */
	__atomic_store_n(&vq->last_avail_idx, last_avail, __ATOMIC_RELAXED);
	vq->avail_idx_shadow = last_avail;
	vq->used_idx = last_used;
	vq->signalled_used = last_used;
	return 0;
}

void
cvqsim_vq_split_get_base(const struct cvqsim_vq *vq, uint16_t *avail,
		uint16_t *used)
{
	*avail = vq->last_avail_idx;
	*used = vq->used_idx;
}

static inline uint16_t
vq_load_avail_idx(const struct cvqsim_vq *vq)
{
	/* Acquire: ring entries below idx are read only after idx. */
	return rte_le_to_cpu_16(__atomic_load_n(&vq->avail->idx,
		__ATOMIC_ACQUIRE));
}

/* Re-read avail->idx; -EIO when the driver moved it beyond the ring. */
static int
vq_refresh_avail(struct cvqsim_vq *vq)
{
	uint16_t idx = vq_load_avail_idx(vq);
	uint16_t count = (uint16_t)(idx - vq->last_avail_idx);

	if (unlikely(count > vq->size))
		return cvqsim_vq_fail(vq, -EIO,
			"avail index %u is %u entries ahead of %u, beyond ring size %u",
			idx, count, vq->last_avail_idx, vq->size);
	vq->avail_idx_shadow = idx;
	return count;
}

int
cvqsim_vq_split_avail_count(struct cvqsim_vq *vq)
{
	return vq_refresh_avail(vq);
}

bool
cvqsim_vq_split_peek(const struct cvqsim_vq *vq)
{
	const struct vring_avail *avail;
	uint16_t idx;

	avail = __atomic_load_n(&vq->avail, __ATOMIC_RELAXED);
	if (avail == NULL)
		return false;
	idx = rte_le_to_cpu_16(__atomic_load_n(&avail->idx, __ATOMIC_RELAXED));
	return idx != __atomic_load_n(&vq->last_avail_idx, __ATOMIC_RELAXED);
}

/* One descriptor, read from shared memory exactly once. */
struct desc_copy {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static inline void
read_desc(const struct vring_desc *table, uint32_t i, struct desc_copy *d)
{
	const volatile struct vring_desc *vd = &table[i];

	d->addr = rte_le_to_cpu_64(vd->addr);
	d->len = rte_le_to_cpu_32(vd->len);
	d->flags = rte_le_to_cpu_16(vd->flags);
	d->next = rte_le_to_cpu_16(vd->next);
}

/* Walk state of one chain. */
struct chain_walk {
	struct cvqsim_vq_walk w;
	const struct vring_desc *table;
	uint32_t table_size;
};

static int
vq_enter_indirect(struct cvqsim_vq *vq, struct chain_walk *cw,
		const struct desc_copy *d, uint32_t i)
{
	uint32_t entries;
	int err;

	/* The common checks first: nesting is the clearer message. */
	if (unlikely(vq->indirect && !cw->w.in_indirect &&
			(d->flags & VRING_DESC_F_NEXT)))
		return cvqsim_vq_fail(vq, -EIO,
			"indirect descriptor %u also has VRING_DESC_F_NEXT", i);
	cw->table = cvqsim_vq_map_indirect(vq, &cw->w, d->addr, d->len,
		DESC_SIZE, i, &entries, &err);
	if (unlikely(cw->table == NULL))
		return err;
	cw->table_size = entries;
	return 0;
}

int
cvqsim_vq_split_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c)
{
	struct chain_walk cw;
	struct cvqsim_vq_buf b;
	struct desc_copy d;
	uint32_t i, visited;
	uint16_t slot;
	int ret;

	if (vq->avail_idx_shadow == vq->last_avail_idx) {
		ret = vq_refresh_avail(vq);
		if (ret <= 0)
			return ret;
	}

	slot = vq->last_avail_idx & (vq->size - 1);
	i = rte_le_to_cpu_16(((const volatile uint16_t *)vq->avail->ring)[slot]);
	if (unlikely(i >= vq->size))
		return cvqsim_vq_fail(vq, -EIO,
			"avail entry %u: head index %u beyond ring size %u",
			vq->last_avail_idx, i, vq->size);

	cvqsim_vq_chain_start(&cw.w, c, (uint16_t)i);
	cw.table = vq->desc;
	cw.table_size = vq->size;
	visited = 0;

	for (;;) {
		/* A chain visiting more descriptors than exist loops. */
		if (unlikely(++visited > cw.table_size))
			return cvqsim_vq_fail(vq, -EIO,
				"chain from head %u loops or exceeds the %u descriptors"
				" of its %s", c->head, cw.table_size,
				cw.w.in_indirect ? "indirect table" : "ring");
		read_desc(cw.table, i, &d);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			ret = vq_enter_indirect(vq, &cw, &d, i);
			if (ret < 0)
				return ret;
			i = 0;
			visited = 0;
			continue;
		}
		b.addr = d.addr;
		b.len = d.len;
		b.writable = d.flags & VRING_DESC_F_WRITE;
		b.index = i;
		ret = cvqsim_vq_add_buf(vq, &cw.w, c, &b);
		if (ret < 0)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
		if (unlikely(d.next >= cw.table_size))
			return cvqsim_vq_fail(vq, -EIO,
				"descriptor %u: next index %u beyond %s size %u",
				i, d.next,
				cw.w.in_indirect ? "indirect table" : "ring",
				cw.table_size);
		i = d.next;
	}

	vq->last_avail_idx++;
	vq->stats.chains++;
	return 1;
}

void
cvqsim_vq_split_unpop(struct cvqsim_vq *vq, uint16_t n)
{
	vq->last_avail_idx -= n;
}

void
cvqsim_vq_split_push(struct cvqsim_vq *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e;

	e = &vq->used->ring[vq->used_idx & (vq->size - 1)];
	e->id = rte_cpu_to_le_32(head);
	e->len = rte_cpu_to_le_32(len);
	vq->used_idx++;
}

void
cvqsim_vq_split_flush(struct cvqsim_vq *vq)
{
	/* Release: the elements are visible before the index that covers them. */
	__atomic_store_n(&vq->used->idx, rte_cpu_to_le_16(vq->used_idx),
		__ATOMIC_RELEASE);
}

/* used_event lives after the avail ring entries, avail_event after used's. */
static inline volatile uint16_t *
vq_used_event(const struct cvqsim_vq *vq)
{
	return (volatile uint16_t *)&vq->avail->ring[vq->size];
}

static inline volatile uint16_t *
vq_avail_event(const struct cvqsim_vq *vq)
{
	return (volatile uint16_t *)&vq->used->ring[vq->size];
}

bool
cvqsim_vq_split_need_notify(struct cvqsim_vq *vq)
{
	uint16_t old, new;
	bool valid;

	old = vq->signalled_used;
	new = vq->used_idx;
	valid = vq->signalled_used_valid;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;

	if (vq->event_idx) {
		if (unlikely(!valid))
			return true;
		return vring_need_event(rte_le_to_cpu_16(*vq_used_event(vq)),
			new, old);
	}
	/* Nothing flushed since the last notification: nothing to say. */
	if (valid && old == new)
		return false;
	return !(rte_le_to_cpu_16(*(volatile uint16_t *)&vq->avail->flags) &
		VRING_AVAIL_F_NO_INTERRUPT);
}

void
cvqsim_vq_split_unflushed(const struct cvqsim_vq *vq,
		struct cvqsim_vq_written *w)
{
	uint16_t published, n, first, run;

	/* Entries pushed since the index the driver last saw. */
	published = rte_le_to_cpu_16(__atomic_load_n(&vq->used->idx,
		__ATOMIC_RELAXED));
	n = (uint16_t)(vq->used_idx - published);
	if (n > vq->size)
		n = vq->size;
	first = published & (vq->size - 1);
	run = RTE_MIN(n, (uint16_t)(vq->size - first));
	w->entries[0].iov_base = &vq->used->ring[first];
	w->entries[0].iov_len = (size_t)run * sizeof(vq->used->ring[0]);
	w->entries[1].iov_base = &vq->used->ring[0];
	w->entries[1].iov_len = (size_t)(n - run) * sizeof(vq->used->ring[0]);
	w->nr = n == 0 ? 0 : run < n ? 2 : 1;
	w->publish.iov_base = &vq->used->idx;
	w->publish.iov_len = sizeof(vq->used->idx);
}

unsigned int
cvqsim_vq_split_device_fields(const struct cvqsim_vq *vq, struct iovec r[2])
{
	r[0].iov_base = &vq->used->flags;
	r[0].iov_len = sizeof(vq->used->flags);
	/* avail_event, after the ring (EVENT_IDX). */
	r[1].iov_base = (void *)(uintptr_t)vq_avail_event(vq);
	r[1].iov_len = sizeof(uint16_t);
	return 2;
}

void
cvqsim_vq_split_enable_kick(struct cvqsim_vq *vq, bool enable)
{
	if (vq->event_idx) {
		/* Without an update the driver stops kicking by itself. */
		if (!enable)
			return;
		*vq_avail_event(vq) = rte_cpu_to_le_16(vq->last_avail_idx);
	} else {
		*(volatile uint16_t *)&vq->used->flags =
			rte_cpu_to_le_16(enable ? 0 : VRING_USED_F_NO_NOTIFY);
	}
}

/* Burst operations (cvqsim_vq.h): the fast path of common chains. */

/*
 * One buffer of a small chain: inside the last mapping hit or inside the
 * one mapping containing its start, with perm. Anything else (unmapped,
 * straddling) is for the general path, which reports or splits it.
 */
static inline bool
vq_map_small(struct cvqsim_vq *vq, uint64_t iova, uint32_t len, uint32_t perm,
		struct iovec *iov)
{
	const struct cvqsim_as_map *m;
	uint64_t off = iova - vq->tlb_iova;

	if (likely(off < vq->tlb_size && len <= vq->tlb_size - off &&
			(vq->tlb_perm & perm) == perm)) {
		iov->iov_base = (void *)(uintptr_t)(vq->tlb_hva + off);
		iov->iov_len = len;
		return true;
	}
	m = cvqsim_as_lookup(vq->as, iova);
	if (m == NULL)
		return false;
	vq->tlb_iova = m->iova;
	vq->tlb_size = m->size;
	vq->tlb_hva = m->hva;
	vq->tlb_perm = m->perm;
	off = iova - m->iova;
	if (len > m->size - off || (m->perm & perm) != perm)
		return false;
	iov->iov_base = (void *)(uintptr_t)(m->hva + off);
	iov->iov_len = len;
	return true;
}

/* Add one descriptor's buffer to a small chain; false: not for the burst. */
static inline bool
vq_small_add(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		const struct desc_copy *d)
{
	struct iovec *iov = &c->iov[c->nr_out + c->nr_in];

	if (d->len == 0 || (d->flags & VRING_DESC_F_INDIRECT))
		return false;
	if (d->flags & VRING_DESC_F_WRITE) {
		if (!vq_map_small(vq, d->addr, d->len, CVQSIM_PERM_WO, iov))
			return false;
		c->nr_in++;
		c->in_len += d->len;
		return true;
	}
	/* Readable after writable: the general path reports it. */
	if (c->nr_in != 0 ||
			!vq_map_small(vq, d->addr, d->len, CVQSIM_PERM_RO, iov))
		return false;
	c->nr_out++;
	c->out_len += d->len;
	return true;
}

/* The chain from head (in c->head), if it is one or two plain descriptors. */
static inline bool
vq_small_chain(struct cvqsim_vq *vq, uint16_t head,
		struct cvqsim_small_chain *c)
{
	struct desc_copy d;

	/* c->head is the burst's (cvqsim_vq_split_pop_burst). */
	c->nr_out = 0;
	c->nr_in = 0;
	c->out_len = 0;
	c->in_len = 0;
	read_desc(vq->desc, head, &d);
	if (!vq_small_add(vq, c, &d))
		return false;
	if (!(d.flags & VRING_DESC_F_NEXT))
		return true;
	if (d.next >= vq->size)
		return false;
	read_desc(vq->desc, d.next, &d);
	/*
	 * A third descriptor (or the second pointing back at the first) is
	 * for the general walk. Two lengths below 4 GiB each cannot make the
	 * chain's total overflow the general path's 64-bit sum, but can pass
	 * UINT32_MAX: that is its check to make.
	 */
	if (d.flags & VRING_DESC_F_NEXT)
		return false;
	if ((uint64_t)c->out_len + c->in_len + d.len > UINT32_MAX)
		return false;
	return vq_small_add(vq, c, &d);
}

int
cvqsim_vq_split_pop_burst(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		unsigned int max)
{
	const volatile uint16_t *ring;
	const struct vring_desc *desc;
	uint16_t avail, mask, last, size, idx;
	unsigned int n, i;
	int ret;

	last = vq->last_avail_idx;
	avail = (uint16_t)(vq->avail_idx_shadow - last);
	if (avail == 0) {
		/* Nothing known: as cvqsim_vq_pop() would, judge the index. */
		ret = vq_refresh_avail(vq);
		if (ret <= 0)
			return ret;
		avail = (uint16_t)ret;
	} else if (avail < max) {
		uint16_t idx = vq_load_avail_idx(vq);
		uint16_t ahead = (uint16_t)(idx - last);

		/*
		 * Only more entries are taken: as cvqsim_vq_pop(), the burst
		 * pops what the index last said before it reads it again (a
		 * driver that moved it back is caught there), and a jump is
		 * reported once the known entries are popped.
		 */
		if (ahead > avail && ahead <= vq->size) {
			vq->avail_idx_shadow = idx;
			avail = ahead;
		}
	}
	n = RTE_MIN((unsigned int)avail, max);
	/* In a local: the uint16_t stores into c may alias vq->size. */
	size = vq->size;
	mask = (uint16_t)(size - 1);
	ring = (const volatile uint16_t *)vq->avail->ring;
	desc = vq->desc;
	for (i = 0, idx = last; i < n; i++, idx++) {
		uint16_t head = rte_le_to_cpu_16(ring[idx & mask]);

		if (unlikely(head >= size))
			break;
		c[i].head = head;
		/*
		 * A cache line holds four descriptors and an in-order driver's
		 * heads follow each other: every fourth head's line, and the
		 * last one's, cover the burst.
		 */
		if ((i & 3) == 0)
			rte_prefetch0(&desc[head]);
	}
	n = i;
	if (n > 0)
		rte_prefetch0(&desc[c[n - 1].head]);
	for (i = 0; i < n; i++)
		if (!vq_small_chain(vq, c[i].head, &c[i]))
			break;
	vq->last_avail_idx = (uint16_t)(last + i);
	vq->stats.chains += i;
	return (int)i;
}

void
cvqsim_vq_split_push_burst(struct cvqsim_vq *vq, const uint16_t *heads,
		const uint32_t *lens, unsigned int n)
{
	uint16_t mask = (uint16_t)(vq->size - 1), idx;
	struct vring_used_elem *ring;
	unsigned int i;

	ring = vq->used->ring;
	idx = vq->used_idx;

	if (lens == NULL && vq->in_order && n > 0) {
		/* One used element for the batch: the last buffer's. */
		idx = (uint16_t)(idx + n - 1);
		ring[idx & mask].id = rte_cpu_to_le_32(heads[n - 1]);
		ring[idx & mask].len = 0;
		vq->used_idx = (uint16_t)(idx + 1);
		return;
	}
	if (lens != NULL)
		for (i = 0; i < n; i++, idx++) {
			ring[idx & mask].id = rte_cpu_to_le_32(heads[i]);
			ring[idx & mask].len = rte_cpu_to_le_32(lens[i]);
		}
	else
		for (i = 0; i < n; i++, idx++) {
			ring[idx & mask].id = rte_cpu_to_le_32(heads[i]);
			ring[idx & mask].len = 0;
		}
	vq->used_idx = idx;
}
