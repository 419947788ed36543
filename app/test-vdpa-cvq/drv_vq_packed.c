/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The driver side of a packed virtqueue (virtio 1.x "Packed Virtqueues",
 * "Supplying Buffers to The Device" and "Receiving Used Buffers From The
 * Device"), as Linux's virtio_ring.c drives one: descriptors written in
 * ring order with the driver's wrap counter, the head's flags last (at
 * publish), buffer ids from a free list, used descriptors read in ring
 * order and validated, event suppression both ways.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drv_vq_packed.h"

#define F_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define F_USED		(1u << VRING_PACKED_DESC_F_USED)
#define WRAP_BIT	(1u << VRING_PACKED_EVENT_F_WRAP_CTR)
#define POS_MASK	(WRAP_BIT - 1)

#define RD_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WR_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/* The flags that make a descriptor available on a lap with wrap. */
static inline uint16_t
avail_bits(bool wrap)
{
	return wrap ? F_AVAIL : F_USED;
}

static inline bool
is_used(uint16_t flags, bool wrap)
{
	return !!(flags & F_AVAIL) == wrap && !!(flags & F_USED) == wrap;
}

static inline void
advance(const struct drv_vq *vq, uint16_t *pos, bool *wrap, uint16_t n)
{
	*pos = (uint16_t)(*pos + n);
	if (*pos >= vq->size) {
		*pos = (uint16_t)(*pos - vq->size);
		*wrap = !*wrap;
	}
}

int
drv_vq_packed_alloc(struct drv_vq *vq)
{
	vq->pdesc = drv_mem_alloc(vq->mem,
		sizeof(struct vring_packed_desc) * vq->size, 4096);
	vq->driver_event = drv_mem_alloc(vq->mem,
		sizeof(struct vring_packed_desc_event), 64);
	vq->device_event = drv_mem_alloc(vq->mem,
		sizeof(struct vring_packed_desc_event), 64);
	if (vq->pdesc == NULL || vq->driver_event == NULL ||
			vq->device_event == NULL)
		return -ENOMEM;
	vq->pend_pos = calloc(vq->size, sizeof(*vq->pend_pos));
	vq->pend_flags = calloc(vq->size, sizeof(*vq->pend_flags));
	if (vq->pend_pos == NULL || vq->pend_flags == NULL)
		return -ENOMEM;
	return 0;
}

void
drv_vq_packed_fresh(struct drv_vq *vq)
{
	uint16_t i;

	/*
	 * A device may be looking at the ring meanwhile: the flags and the
	 * event areas are stored as it reads them, atomically; the rest of a
	 * descriptor is read only once its flags show it.
	 */
	for (i = 0; i < vq->size; i++) {
		__atomic_store_n(&vq->pdesc[i].flags, 0, __ATOMIC_RELAXED);
		vq->pdesc[i].addr = 0;
		vq->pdesc[i].len = 0;
		vq->pdesc[i].id = 0;
	}
	__atomic_store_n(&vq->driver_event->flags, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&vq->driver_event->off_wrap, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&vq->device_event->flags, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&vq->device_event->off_wrap, 0, __ATOMIC_RELAXED);
	drv_vq_packed_set_base(vq, WRAP_BIT, WRAP_BIT);
}

void
drv_vq_packed_set_base(struct drv_vq *vq, uint16_t avail, uint16_t used)
{
	vq->avail_pos = avail & POS_MASK;
	vq->avail_wrap = avail & WRAP_BIT;
	vq->kick_pos = vq->avail_pos;
	vq->kick_wrap = vq->avail_wrap;
	vq->used_pos = used & POS_MASK;
	vq->used_wrap = used & WRAP_BIT;
	vq->nr_pend = 0;
}

/* Walk the used descriptors the device wrote from pos on; returns count. */
static uint16_t
scan_used(const struct drv_vq *vq, uint16_t *pos, bool *wrap)
{
	uint16_t n = 0;

	while (n < vq->size) {
		const struct vring_packed_desc *d = &vq->pdesc[*pos];
		uint16_t flags = __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE);
		uint16_t id = RD_ONCE(d->id);
		uint16_t step = 1;

		if (!is_used(flags, *wrap))
			break;
		if (id < vq->size && vq->slots[id].in_flight)
			step = vq->slots[id].ndesc;
		advance(vq, pos, wrap, step);
		n++;
	}
	return n;
}

uint16_t
drv_vq_packed_device_used_base(const struct drv_vq *vq)
{
	uint16_t pos = vq->used_pos;
	bool wrap = vq->used_wrap;

	scan_used(vq, &pos, &wrap);
	return pos | (wrap ? WRAP_BIT : 0);
}

uint16_t
drv_vq_packed_used_pending(const struct drv_vq *vq)
{
	uint16_t pos = vq->used_pos;
	bool wrap = vq->used_wrap;

	return scan_used(vq, &pos, &wrap);
}

unsigned int
drv_vq_packed_ndesc(const struct drv_buf *bufs, unsigned int n, bool indirect,
		enum drv_vq_fault f)
{
	if (f == DRV_VQ_FAULT_INDIRECT_IN_CHAIN)
		return 2;
	if (f == DRV_VQ_FAULT_WRAP_LIE && !indirect && n == 1 && bufs[0].len >= 2)
		return 2;
	return indirect ? 1 : n;
}

/*
 * One descriptor of the ring; the head's flags wait for publish. lie: mark
 * it with the other lap's wrap counter.
 */
static void
put_desc(struct drv_vq *vq, unsigned int k, uint64_t addr, uint32_t len,
		uint16_t id, uint16_t flags, bool lie)
{
	struct vring_packed_desc *d = &vq->pdesc[vq->avail_pos];

	d->addr = addr;
	d->len = len;
	d->id = id;
	flags |= avail_bits(lie ? !vq->avail_wrap : vq->avail_wrap);
	if (k == 0) {
		vq->pend_pos[vq->nr_pend] = vq->avail_pos;
		vq->pend_flags[vq->nr_pend] = flags;
		vq->nr_pend++;
	} else {
		__atomic_store_n(&d->flags, flags, __ATOMIC_RELEASE);
	}
	advance(vq, &vq->avail_pos, &vq->avail_wrap, 1);
}

/* The chain's buffers in an indirect table of this id; returns its GPA. */
static uint64_t
fill_table(struct drv_vq *vq, uint16_t id, const struct drv_buf *bufs,
		const uint64_t *gpas, unsigned int n, enum drv_vq_fault f)
{
	struct vring_packed_desc *t = (struct vring_packed_desc *)
		&vq->indirect[(size_t)id * DRV_VQ_INDIRECT_MAX];
	uint64_t gpa = drv_mem_gpa(vq->mem, t);
	unsigned int i;

	for (i = 0; i < n; i++) {
		t[i].addr = gpas[i];
		t[i].len = bufs[i].len;
		t[i].id = 0;
		t[i].flags = bufs[i].writable ? VRING_DESC_F_WRITE : 0;
	}
	if (n > 0) {
		uint64_t addr = t[0].addr;
		uint32_t len = t[0].len;

		drv_vq_fault_first(vq, &addr, &len, f);
		t[0].addr = addr;
		t[0].len = len;
	}
	if (f == DRV_VQ_FAULT_NESTED_INDIRECT) {
		t[0].addr = gpa;
		t[0].len = n * sizeof(*t);
		t[0].flags |= VRING_DESC_F_INDIRECT;
	} else if (f == DRV_VQ_FAULT_READ_AFTER_WRITE && n >= 2) {
		t[0].flags |= VRING_DESC_F_WRITE;
	}
	return gpa;
}

/* The id the chain is made available under (its own but for one fault). */
static uint16_t
chain_id(const struct drv_vq *vq, uint16_t own, enum drv_vq_fault f)
{
	uint16_t i;

	if (f == DRV_VQ_FAULT_HEAD_OUT_OF_RANGE)
		return (uint16_t)(vq->size + 7);
	if (f != DRV_VQ_FAULT_ID_IN_FLIGHT)
		return own;
	for (i = 0; i < vq->size; i++)
		if (i != own && vq->slots[i].in_flight)
			return i;
	return own;
}

static void
add_direct(struct drv_vq *vq, const struct drv_buf *bufs, const uint64_t *gpas,
		unsigned int n, uint16_t id, unsigned int ndesc, enum drv_vq_fault f)
{
	unsigned int k;

	for (k = 0; k < ndesc; k++) {
		/* WRAP_LIE on one buffer: its two halves. */
		const struct drv_buf *b = &bufs[k < n ? k : 0];
		uint64_t addr = gpas[k < n ? k : 0];
		uint32_t len = b->len;
		uint16_t flags = b->writable ? VRING_DESC_F_WRITE : 0;

		if (ndesc > n) {
			len = k == 0 ? b->len / 2 : b->len - b->len / 2;
			addr += k == 0 ? 0 : b->len / 2;
		}
		if (k == 0)
			drv_vq_fault_first(vq, &addr, &len, f);
		if (f == DRV_VQ_FAULT_READ_AFTER_WRITE && k == 0 && n >= 2)
			flags |= VRING_DESC_F_WRITE;
		if (k + 1 < ndesc || f == DRV_VQ_FAULT_DESC_LOOP)
			flags |= VRING_DESC_F_NEXT;
		put_desc(vq, k, addr, len, id, flags,
			f == DRV_VQ_FAULT_WRAP_LIE && k == 1);
	}
}

void
drv_vq_packed_add(struct drv_vq *vq, const struct drv_buf *bufs,
		const uint64_t *gpas, unsigned int n, bool indirect, void *cookie,
		enum drv_vq_fault f)
{
	unsigned int ndesc = drv_vq_packed_ndesc(bufs, n, indirect, f);
	uint16_t own = vq->free_head, id = chain_id(vq, own, f);
	struct drv_vq_slot *slot = &vq->slots[own];

	vq->free_head = vq->next_free[own];
	vq->num_free = (uint16_t)(vq->num_free - ndesc);
	slot->cookie = cookie;
	slot->ndesc = (uint16_t)ndesc;
	slot->in_flight = true;
	slot->indirect = indirect;
	vq->flip_pos = vq->avail_pos;

	if (f == DRV_VQ_FAULT_INDIRECT_IN_CHAIN) {
		uint64_t table = fill_table(vq, own, bufs, gpas, n, DRV_VQ_FAULT_NONE);

		put_desc(vq, 0, gpas[0], bufs[0].writable ? 0 : bufs[0].len, id,
			VRING_DESC_F_NEXT, false);
		put_desc(vq, 1, table, n * sizeof(struct vring_packed_desc), id,
			VRING_DESC_F_INDIRECT, false);
	} else if (indirect) {
		uint64_t table = fill_table(vq, own, bufs, gpas, n, f);
		uint32_t len = n * sizeof(struct vring_packed_desc);

		if (f == DRV_VQ_FAULT_INDIRECT_LEN_ODD)
			len += 5;
		put_desc(vq, 0, table, len, id, VRING_DESC_F_INDIRECT, false);
	} else {
		add_direct(vq, bufs, gpas, n, id, ndesc, f);
	}
}

void
drv_vq_packed_publish(struct drv_vq *vq)
{
	uint16_t i;

	/* Descriptors before the head flags that expose them, in ring order. */
	for (i = 0; i < vq->nr_pend; i++)
		__atomic_store_n(&vq->pdesc[vq->pend_pos[i]].flags,
			vq->pend_flags[i], __ATOMIC_RELEASE);
	if (vq->armed == DRV_VQ_FAULT_AVAIL_FLIP && vq->nr_pend > 0) {
		struct vring_packed_desc *d = &vq->pdesc[vq->flip_pos];
		uint16_t f = RD_ONCE(d->flags);

		/* Flip under the device, and leave it looking used. */
		for (i = 0; i < 64; i++)
			__atomic_store_n(&d->flags, (uint16_t)(f ^ (i & 1 ?
				F_AVAIL | F_USED : 0)), __ATOMIC_RELEASE);
		__atomic_store_n(&d->flags, (uint16_t)(f | F_AVAIL | F_USED),
			__ATOMIC_RELEASE);
		vq->armed = DRV_VQ_FAULT_NONE;
		vq->tainted = true;
		vq->stats.faults++;
	}
	vq->nr_pend = 0;
}

bool
drv_vq_packed_need_kick(struct drv_vq *vq)
{
	uint16_t old = vq->kick_pos, new_pos = vq->avail_pos, added, off, flags;
	bool old_wrap = vq->kick_wrap, new_wrap = vq->avail_wrap;
	uint16_t off_wrap;

	vq->kick_pos = new_pos;
	vq->kick_wrap = new_wrap;
	if (old == new_pos && old_wrap == new_wrap)
		return false;
	/* The flags stores must be visible before we read the device's
	 * suppression state, or both sides may decide not to notify.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	flags = RD_ONCE(vq->device_event->flags) & 0x3;
	if (!(vq->flags & DRV_VQ_F_EVENT_IDX) ||
			flags != VRING_PACKED_EVENT_FLAG_DESC)
		return flags != VRING_PACKED_EVENT_FLAG_DISABLE;
	off_wrap = RD_ONCE(vq->device_event->off_wrap);
	off = off_wrap & POS_MASK;
	/* As Linux: positions of one numbering, the event on our lap. */
	added = old_wrap == new_wrap ? (uint16_t)(new_pos - old) :
		(uint16_t)(new_pos + vq->size - old);
	if (!!(off_wrap & WRAP_BIT) != new_wrap)
		off = (uint16_t)(off - vq->size);
	return (uint16_t)(new_pos - off - 1) < added;
}

int
drv_vq_packed_get_used(struct drv_vq *vq, void **cookie, uint32_t *len)
{
	struct vring_packed_desc *d = &vq->pdesc[vq->used_pos];
	uint16_t flags = __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE);
	struct drv_vq_slot *slot;
	uint16_t id;
	uint32_t l;

	if (!is_used(flags, vq->used_wrap))
		return 0;
	id = RD_ONCE(d->id);
	l = RD_ONCE(d->len);
	if (id >= vq->size || !vq->slots[id].in_flight) {
		/* Skip it so that a broken device cannot wedge us. */
		advance(vq, &vq->used_pos, &vq->used_wrap, 1);
		vq->stats.bad_used++;
		drv_vq_err(vq, "used id is not a buffer in flight", id, l);
		return -EIO;
	}
	slot = &vq->slots[id];
	/* Without VRING_DESC_F_WRITE the length is reserved: nothing written. */
	*len = flags & VRING_DESC_F_WRITE ? l : 0;
	*cookie = slot->cookie;
	advance(vq, &vq->used_pos, &vq->used_wrap, slot->ndesc);
	vq->num_free = (uint16_t)(vq->num_free + slot->ndesc);
	vq->next_free[id] = vq->free_head;
	vq->free_head = id;
	slot->in_flight = false;
	slot->cookie = NULL;
	vq->stats.completed++;
	/* With EVENT_IDX and notifications on, keep asking for the next. */
	if ((vq->flags & DRV_VQ_F_EVENT_IDX) && RD_ONCE(vq->driver_event->flags) ==
			VRING_PACKED_EVENT_FLAG_DESC)
		WR_ONCE(vq->driver_event->off_wrap, (uint16_t)(vq->used_pos |
			(vq->used_wrap ? WRAP_BIT : 0)));
	return 1;
}

void
drv_vq_packed_enable_interrupts(struct drv_vq *vq, bool on)
{
	uint16_t flags = VRING_PACKED_EVENT_FLAG_DISABLE;

	if (on && (vq->flags & DRV_VQ_F_EVENT_IDX)) {
		WR_ONCE(vq->driver_event->off_wrap, (uint16_t)(vq->used_pos |
			(vq->used_wrap ? WRAP_BIT : 0)));
		flags = VRING_PACKED_EVENT_FLAG_DESC;
	} else if (on) {
		flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	}
	__atomic_store_n(&vq->driver_event->flags, flags, __ATOMIC_RELEASE);
	/* Publish the request before the caller re-checks the used ring. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
drv_vq_packed_add_raw(struct drv_vq *vq, const struct drv_raw_desc *d,
		unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++)
		put_desc(vq, k, d[k].addr, d[k].len, vq->free_head, d[k].flags,
			false);
}

void
drv_vq_packed_write_desc_raw(struct drv_vq *vq, uint16_t idx, uint64_t addr,
		uint32_t len, uint16_t flags, uint16_t id)
{
	struct vring_packed_desc *d = &vq->pdesc[idx];

	d->addr = addr;
	d->len = len;
	d->id = id;
	__atomic_store_n(&d->flags, flags, __ATOMIC_RELEASE);
}
