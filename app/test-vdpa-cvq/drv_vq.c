/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "drv_vq.h"
#include "drv_vq_packed.h"

/* The used ring and descriptors are written by another party: keep every
 * access to shared ring fields explicit and ordered.
 */
#define RD_ONCE(x)	__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WR_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

static bool
is_packed(const struct drv_vq *vq)
{
	return vq->flags & DRV_VQ_F_PACKED;
}

/* Rebuild the free list as 0 -> 1 -> ... -> size-1 and empty the rings. */
static void
vq_fresh(struct drv_vq *vq)
{
	uint32_t i;

	if (is_packed(vq)) {
		drv_vq_packed_fresh(vq);
	} else {
		/*
		 * A device may be looking at the rings meanwhile (cvqsim's poller
		 * reads the avail index between passes): the indices and flags are
		 * stored as the device reads them, atomically; the entries behind
		 * them are read only once an index shows them.
		 */
		__atomic_store_n(&vq->avail->flags, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&vq->avail->idx, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&vq->used->flags, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&vq->used->idx, 0, __ATOMIC_RELEASE);
		memset(vq->desc, 0, sizeof(*vq->desc) * vq->size);
		memset(vq->avail->ring, 0, sizeof(uint16_t) * (vq->size + 1u));
		memset(vq->used->ring, 0,
			sizeof(struct vring_used_elem) * vq->size + sizeof(uint16_t));
	}
	for (i = 0; i < vq->size; i++) {
		vq->next_free[i] = (uint16_t)(i + 1);
		memset(&vq->slots[i], 0, sizeof(vq->slots[i]));
	}
	vq->free_head = 0;
	vq->num_free = vq->size;
	vq->avail_idx = 0;
	vq->published = 0;
	vq->last_used = 0;
	vq->armed = DRV_VQ_FAULT_NONE;
	vq->tainted = false;
}

int
drv_vq_init(struct drv_vq *vq, struct drv_mem *mem, uint16_t index,
		uint16_t size, uint32_t flags)
{
	size_t avail_len, used_len;

	memset(vq, 0, sizeof(*vq));
	vq->kickfd = -1;
	vq->callfd = -1;
	/* A packed ring needs no power of two. */
	if (size == 0 || size > 32768 ||
			(!(flags & DRV_VQ_F_PACKED) && (size & (size - 1)) != 0))
		return -EINVAL;
	vq->index = index;
	vq->size = size;
	vq->flags = flags;
	vq->mem = mem;

	if (is_packed(vq)) {
		if (drv_vq_packed_alloc(vq) < 0) {
			drv_vq_free(vq);
			return -ENOMEM;
		}
	} else {
		avail_len = sizeof(struct vring_avail) +
			sizeof(uint16_t) * (size + 1u);
		used_len = sizeof(struct vring_used) +
			sizeof(struct vring_used_elem) * size + sizeof(uint16_t);
		vq->desc = drv_mem_alloc(mem, sizeof(struct vring_desc) * size,
			4096);
		vq->avail = drv_mem_alloc(mem, avail_len, 64);
		vq->used = drv_mem_alloc(mem, used_len, 4096);
		if (vq->desc == NULL || vq->avail == NULL || vq->used == NULL)
			return -ENOMEM;
	}
	vq->desc_gpa = drv_mem_gpa(mem, vq->desc);
	vq->avail_gpa = drv_mem_gpa(mem, vq->avail);
	vq->used_gpa = drv_mem_gpa(mem, vq->used);
	if (flags & DRV_VQ_F_INDIRECT) {
		vq->indirect = drv_mem_alloc(mem, (uint64_t)size *
			DRV_VQ_INDIRECT_MAX * sizeof(struct vring_desc), 16);
		if (vq->indirect == NULL)
			return -ENOMEM;
	}
	vq->next_free = calloc(size, sizeof(*vq->next_free));
	vq->slots = calloc(size, sizeof(*vq->slots));
	if (vq->next_free == NULL || vq->slots == NULL) {
		drv_vq_free(vq);
		return -ENOMEM;
	}
	vq->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	vq->callfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (vq->kickfd < 0 || vq->callfd < 0) {
		int ret = -errno;

		drv_vq_free(vq);
		return ret;
	}
	vq_fresh(vq);
	return 0;
}

void
drv_vq_free(struct drv_vq *vq)
{
	if (vq->kickfd >= 0)
		close(vq->kickfd);
	if (vq->callfd >= 0)
		close(vq->callfd);
	vq->kickfd = -1;
	vq->callfd = -1;
	free(vq->next_free);
	free(vq->slots);
	free(vq->pend_pos);
	free(vq->pend_flags);
	vq->next_free = NULL;
	vq->slots = NULL;
	vq->pend_pos = NULL;
	vq->pend_flags = NULL;
}

void
drv_vq_reset(struct drv_vq *vq)
{
	uint64_t cnt;

	if (vq->slots == NULL)
		return;
	vq_fresh(vq);
	/* Stale notifications would look like completions of new work. */
	if (vq->callfd >= 0 && read(vq->callfd, &cnt, sizeof(cnt)) < 0)
		cnt = 0;
	if (vq->kickfd >= 0 && read(vq->kickfd, &cnt, sizeof(cnt)) < 0)
		cnt = 0;
}

void
drv_vq_set_base(struct drv_vq *vq, uint16_t avail_idx, uint16_t used_idx)
{
	if (is_packed(vq)) {
		drv_vq_packed_set_base(vq, avail_idx, used_idx);
		return;
	}
	vq->avail_idx = avail_idx;
	vq->published = avail_idx;
	vq->last_used = used_idx;
	WR_ONCE(vq->avail->idx, avail_idx);
	WR_ONCE(vq->used->idx, used_idx);
}

uint16_t
drv_vq_avail_base(const struct drv_vq *vq)
{
	if (is_packed(vq))
		return (uint16_t)(vq->avail_pos | (vq->avail_wrap ? 0x8000 : 0));
	return vq->avail_idx;
}

uint16_t
drv_vq_device_used_base(const struct drv_vq *vq)
{
	if (is_packed(vq))
		return drv_vq_packed_device_used_base(vq);
	return __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
}

static int
check_buf(struct drv_vq *vq, const struct drv_buf *b, uint64_t *gpa)
{
	*gpa = drv_mem_gpa(vq->mem, b->va);
	if (*gpa == UINT64_MAX || b->len > vq->mem->size ||
			drv_mem_va(vq->mem, *gpa, b->len) == NULL) {
		drv_vq_err(vq, "buffer outside guest memory",
			(unsigned long)(uintptr_t)b->va, b->len);
		return -EINVAL;
	}
	return 0;
}

static void
fault_first(struct drv_vq *vq, struct vring_desc *d, enum drv_vq_fault f)
{
	uint64_t addr = d->addr;
	uint32_t len = d->len;

	drv_vq_fault_first(vq, &addr, &len, f);
	d->addr = addr;
	d->len = len;
}

/* Fill n descriptors of a table (ring or indirect) from bufs, linked by
 * next indices given in idx[] (idx[i] is where buf i goes).
 */
static void
fill_descs(struct vring_desc *table, const uint16_t *idx,
		const struct drv_buf *bufs, const uint64_t *gpas, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct vring_desc *d = &table[idx[i]];

		d->addr = gpas[i];
		d->len = bufs[i].len;
		d->flags = bufs[i].writable ? VRING_DESC_F_WRITE : 0;
		d->next = 0;
		if (i + 1 < n) {
			d->flags |= VRING_DESC_F_NEXT;
			d->next = idx[i + 1];
		}
	}
}

/* Count a chain added; a chain fault is spent on it. */
static int
chain_added(struct drv_vq *vq, enum drv_vq_fault f)
{
	vq->stats.added++;
	if (f != DRV_VQ_FAULT_NONE && f != DRV_VQ_FAULT_AVAIL_IDX_JUMP &&
			f != DRV_VQ_FAULT_AVAIL_FLIP) {
		vq->armed = DRV_VQ_FAULT_NONE;
		vq->tainted = true;
		vq->stats.faults++;
	}
	return 0;
}

int
drv_vq_add(struct drv_vq *vq, const struct drv_buf *bufs, unsigned int n,
		bool indirect, void *cookie)
{
	enum drv_vq_fault f = vq->armed;
	uint64_t gpas[DRV_VQ_INDIRECT_MAX];
	uint16_t idx[DRV_VQ_INDIRECT_MAX];
	struct drv_vq_slot *slot;
	bool seen_write = false;
	uint16_t head, last, i;
	unsigned int ndesc;
	int ret;

	if (n == 0 || n > DRV_VQ_INDIRECT_MAX) {
		drv_vq_err(vq, "chain length out of range", n, DRV_VQ_INDIRECT_MAX);
		return n == 0 ? -EINVAL : -E2BIG;
	}
	for (i = 0; i < n; i++) {
		ret = check_buf(vq, &bufs[i], &gpas[i]);
		if (ret < 0)
			return ret;
		if (bufs[i].writable)
			seen_write = true;
		else if (seen_write) {
			drv_vq_err(vq, "readable buffer after a writable one", i, n);
			return -EINVAL;
		}
	}
	/* These faults only exist in an indirect table. */
	if (f == DRV_VQ_FAULT_NESTED_INDIRECT ||
			f == DRV_VQ_FAULT_INDIRECT_LEN_ODD)
		indirect = true;
	if ((indirect || f == DRV_VQ_FAULT_INDIRECT_IN_CHAIN) &&
			vq->indirect == NULL) {
		drv_vq_err(vq, "indirect descriptors not negotiated", 0, 0);
		return -ENOTSUP;
	}
	ndesc = is_packed(vq) ? drv_vq_packed_ndesc(bufs, n, indirect, f) :
		indirect ? 1 : n;
	if (vq->num_free < ndesc) {
		vq->stats.full++;
		return -ENOSPC;
	}
	if (is_packed(vq)) {
		drv_vq_packed_add(vq, bufs, gpas, n, indirect, cookie, f);
		return chain_added(vq, f);
	}

	/* Take ndesc descriptors off the free list; they stay linked through
	 * next_free, which is how the chain is given back later (the device
	 * can scribble on the shared table, our links stay ours).
	 */
	head = vq->free_head;
	last = head;
	for (i = 0; i < ndesc; i++) {
		idx[i] = last;
		if ((unsigned int)i + 1 < ndesc)
			last = vq->next_free[last];
	}
	vq->free_head = vq->next_free[last];
	vq->num_free -= ndesc;

	slot = &vq->slots[head];
	slot->cookie = cookie;
	slot->ndesc = (uint16_t)ndesc;
	slot->last = last;
	slot->in_flight = true;
	slot->indirect = indirect;

	if (indirect) {
		struct vring_desc *table =
			&vq->indirect[(size_t)head * DRV_VQ_INDIRECT_MAX];
		struct vring_desc *d = &vq->desc[head];

		for (i = 0; i < n; i++)
			idx[i] = i;
		fill_descs(table, idx, bufs, gpas, n);
		d->addr = drv_mem_gpa(vq->mem, table);
		d->len = n * sizeof(struct vring_desc);
		d->flags = VRING_DESC_F_INDIRECT;
		d->next = 0;
		fault_first(vq, &table[0], f);
		switch (f) {
		case DRV_VQ_FAULT_DESC_LOOP:
			table[n - 1].flags |= VRING_DESC_F_NEXT;
			table[n - 1].next = 0;
			break;
		case DRV_VQ_FAULT_NEXT_OUT_OF_RANGE:
			table[n - 1].flags |= VRING_DESC_F_NEXT;
			table[n - 1].next = (uint16_t)(n + 3);
			break;
		case DRV_VQ_FAULT_NESTED_INDIRECT:
			table[0].addr = d->addr;
			table[0].len = d->len;
			table[0].flags |= VRING_DESC_F_INDIRECT;
			break;
		case DRV_VQ_FAULT_INDIRECT_LEN_ODD:
			d->len += 5;
			break;
		case DRV_VQ_FAULT_READ_AFTER_WRITE:
			if (n >= 2)
				table[0].flags |= VRING_DESC_F_WRITE;
			break;
		default:
			break;
		}
	} else {
		fill_descs(vq->desc, idx, bufs, gpas, n);
		fault_first(vq, &vq->desc[head], f);
		switch (f) {
		case DRV_VQ_FAULT_DESC_LOOP:
			vq->desc[last].flags |= VRING_DESC_F_NEXT;
			vq->desc[last].next = head;
			break;
		case DRV_VQ_FAULT_NEXT_OUT_OF_RANGE:
			vq->desc[last].flags |= VRING_DESC_F_NEXT;
			vq->desc[last].next = (uint16_t)(vq->size + 3);
			break;
		case DRV_VQ_FAULT_READ_AFTER_WRITE:
			if (n >= 2)
				vq->desc[head].flags |= VRING_DESC_F_WRITE;
			break;
		default:
			break;
		}
	}

	vq->avail->ring[vq->avail_idx & (vq->size - 1)] =
		f == DRV_VQ_FAULT_HEAD_OUT_OF_RANGE ?
		(uint16_t)(vq->size + 7) : head;
	vq->avail_idx++;
	return chain_added(vq, f);
}

void
drv_vq_publish(struct drv_vq *vq)
{
	if (is_packed(vq)) {
		drv_vq_packed_publish(vq);
		return;
	}
	if (vq->armed == DRV_VQ_FAULT_AVAIL_IDX_JUMP) {
		vq->avail_idx = (uint16_t)(vq->avail_idx + vq->size + 1);
		vq->armed = DRV_VQ_FAULT_NONE;
		vq->tainted = true;
		vq->stats.faults++;
	}
	/* Descriptors and ring entries before the index that exposes them. */
	__atomic_store_n(&vq->avail->idx, vq->avail_idx, __ATOMIC_RELEASE);
}

int
drv_vq_notify(struct drv_vq *vq)
{
	uint64_t one = 1;

	if (vq->kickfd < 0)
		return -EBADF;
	if (write(vq->kickfd, &one, sizeof(one)) != sizeof(one))
		return -errno;
	vq->stats.kicks++;
	return 1;
}

/* The virtio event index test: did new_idx move past event since old? */
static bool
need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

int
drv_vq_kick(struct drv_vq *vq)
{
	uint16_t old = vq->published;
	uint16_t new_idx;
	bool kick;

	drv_vq_publish(vq);
	if (is_packed(vq)) {
		if (drv_vq_packed_need_kick(vq))
			return drv_vq_notify(vq);
		vq->stats.kicks_suppressed++;
		return 0;
	}
	new_idx = vq->avail_idx;
	vq->published = new_idx;
	if (old == new_idx)
		return 0;
	/* The index store must be visible before we read the device's
	 * suppression state, or both sides may decide not to notify.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->flags & DRV_VQ_F_EVENT_IDX) {
		uint16_t *avail_event = (uint16_t *)&vq->used->ring[vq->size];

		kick = need_event(RD_ONCE(*avail_event), new_idx, old);
	} else {
		kick = !(RD_ONCE(vq->used->flags) & VRING_USED_F_NO_NOTIFY);
	}
	if (!kick) {
		vq->stats.kicks_suppressed++;
		return 0;
	}
	return drv_vq_notify(vq);
}

uint16_t
drv_vq_used_pending(const struct drv_vq *vq)
{
	if (is_packed(vq))
		return drv_vq_packed_used_pending(vq);
	return (uint16_t)(__atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE) -
		vq->last_used);
}

uint16_t
drv_vq_in_flight(const struct drv_vq *vq)
{
	uint16_t n = 0, i;

	for (i = 0; i < vq->size; i++)
		if (vq->slots[i].in_flight)
			n++;
	return n;
}

static void
free_chain(struct drv_vq *vq, uint16_t head)
{
	struct drv_vq_slot *slot = &vq->slots[head];

	vq->next_free[slot->last] = vq->free_head;
	vq->free_head = head;
	vq->num_free += slot->ndesc;
	slot->in_flight = false;
	slot->cookie = NULL;
}

int
drv_vq_get_used(struct drv_vq *vq, void **cookie, uint32_t *len)
{
	uint16_t used_idx, pending;
	struct vring_used_elem e;

	if (is_packed(vq))
		return drv_vq_packed_get_used(vq, cookie, len);
	used_idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	pending = (uint16_t)(used_idx - vq->last_used);
	if (pending == 0)
		return 0;
	if (pending > vq->size) {
		vq->stats.bad_used++;
		drv_vq_err(vq, "used->idx ran ahead of the ring",
			used_idx, vq->last_used);
		return -EIO;
	}
	e.id = RD_ONCE(vq->used->ring[vq->last_used & (vq->size - 1)].id);
	e.len = RD_ONCE(vq->used->ring[vq->last_used & (vq->size - 1)].len);
	/* Skip the bad entry so that a broken device cannot wedge us. */
	vq->last_used++;
	if (e.id >= vq->size || !vq->slots[e.id].in_flight) {
		vq->stats.bad_used++;
		drv_vq_err(vq, "used id is not a chain in flight", e.id, e.len);
		return -EIO;
	}
	*cookie = vq->slots[e.id].cookie;
	*len = e.len;
	free_chain(vq, (uint16_t)e.id);
	vq->stats.completed++;
	/* With EVENT_IDX and notifications on, keep asking for the next. */
	if ((vq->flags & DRV_VQ_F_EVENT_IDX) &&
			!(vq->avail->flags & VRING_AVAIL_F_NO_INTERRUPT))
		WR_ONCE(vq->avail->ring[vq->size], vq->last_used);
	return 1;
}

void
drv_vq_enable_interrupts(struct drv_vq *vq, bool on)
{
	uint16_t *used_event;

	if (is_packed(vq)) {
		drv_vq_packed_enable_interrupts(vq, on);
		return;
	}
	used_event = &vq->avail->ring[vq->size];
	if (on) {
		vq->avail->flags &= (uint16_t)~VRING_AVAIL_F_NO_INTERRUPT;
		WR_ONCE(*used_event, vq->last_used);
	} else {
		vq->avail->flags |= VRING_AVAIL_F_NO_INTERRUPT;
		/* Half a ring-index space away: the device will not cross it. */
		WR_ONCE(*used_event, (uint16_t)(vq->last_used + 0x8000));
	}
	/* Publish the request before the caller re-checks the used ring. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

int
drv_vq_read_call(struct drv_vq *vq)
{
	uint64_t cnt;

	if (vq->callfd < 0)
		return -EBADF;
	if (read(vq->callfd, &cnt, sizeof(cnt)) != sizeof(cnt))
		return errno == EAGAIN ? 0 : -errno;
	vq->stats.calls++;
	return cnt > INT32_MAX ? INT32_MAX : (int)cnt;
}

int
drv_vq_wait_call(struct drv_vq *vq, uint64_t timeout_ns)
{
	struct pollfd pfd = { .fd = vq->callfd, .events = POLLIN };
	struct timespec ts = {
		.tv_sec = (time_t)(timeout_ns / 1000000000ULL),
		.tv_nsec = (long)(timeout_ns % 1000000000ULL),
	};
	int ret;

	if (vq->callfd < 0)
		return -EBADF;
	ret = ppoll(&pfd, 1, &ts, NULL);
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return 0;
	ret = drv_vq_read_call(vq);
	return ret < 0 ? ret : 1;
}

int
drv_vq_inject(struct drv_vq *vq, enum drv_vq_fault fault)
{
	bool packed_only = fault >= DRV_VQ_FAULT_WRAP_LIE;
	bool split_only = fault == DRV_VQ_FAULT_AVAIL_IDX_JUMP ||
		fault == DRV_VQ_FAULT_NEXT_OUT_OF_RANGE;

	if ((unsigned int)fault >= DRV_VQ_FAULT_MAX)
		return -EINVAL;
	if ((packed_only && !is_packed(vq)) || (split_only && is_packed(vq)))
		return -ENOTSUP;
	vq->armed = fault;
	return 0;
}

int
drv_vq_write_desc_raw(struct drv_vq *vq, uint16_t idx, uint64_t addr,
		uint32_t len, uint16_t flags, uint16_t next)
{
	struct vring_desc *d;

	if (idx >= vq->size)
		return -EINVAL;
	vq->tainted = true;
	vq->stats.faults++;
	if (is_packed(vq)) {
		drv_vq_packed_write_desc_raw(vq, idx, addr, len, flags, next);
		return 0;
	}
	d = &vq->desc[idx];
	d->addr = addr;
	d->len = len;
	d->flags = flags;
	d->next = next;
	return 0;
}

void
drv_vq_push_avail_raw(struct drv_vq *vq, uint16_t head)
{
	if (is_packed(vq))
		return;
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	vq->tainted = true;
	vq->stats.faults++;
}

int
drv_vq_add_raw(struct drv_vq *vq, const struct drv_raw_desc *d, unsigned int n)
{
	uint16_t head = vq->free_head;
	unsigned int k;

	if (n == 0 || n > vq->size)
		return -EINVAL;
	vq->tainted = true;
	vq->stats.faults++;
	if (is_packed(vq)) {
		drv_vq_packed_add_raw(vq, d, n);
		return 0;
	}
	for (k = 0; k < n; k++) {
		struct vring_desc *v = &vq->desc[(head + k) % vq->size];

		v->addr = d[k].addr;
		v->len = d[k].len;
		v->flags = d[k].flags;
		v->next = (uint16_t)((head + k + 1) % vq->size);
	}
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	vq->avail_idx++;
	return 0;
}

void
drv_vq_set_avail_idx_raw(struct drv_vq *vq, uint16_t idx)
{
	if (is_packed(vq))
		return;
	vq->avail_idx = idx;
	__atomic_store_n(&vq->avail->idx, idx, __ATOMIC_RELEASE);
	vq->tainted = true;
	vq->stats.faults++;
}
