/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Split virtqueues, driver side (virtio 1.4 "Split Virtqueues"): the
 * descriptor table, the available ring the driver writes and the used ring
 * the device writes, all in guest memory. The free descriptors form a list
 * through next_free[]; a chain's head names it in the used ring.
 *
 * The used ring is the device's word, so it is checked: an index that
 * runs ahead of what is in flight, an id that is no chain's head, a length
 * longer than the chain's writable bytes are protocol errors, reported.
 */

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <linux/virtio_ring.h>

#include "extfe.h"

int
xfe_ring_alloc(struct xfe *x, struct xfe_ring *r, uint16_t index,
		uint16_t size, bool own_pages)
{
	memset(r, 0, sizeof(*r));
	r->index = index;
	r->size = size;
	/*
	 * The control ring on pages of its own (own_pages): a memory table can
	 * then leave it out and nothing else ("memtable nocvq").
	 */
	r->desc = xfe_alloc(&x->mem, 16ULL * size, own_pages ? XFE_PAGE : 16);
	r->avail = xfe_alloc(&x->mem, 6 + 2ULL * size, 2);
	r->used = xfe_alloc(&x->mem, 6 + 8ULL * size, XFE_PAGE);
	if (r->desc == NULL || r->avail == NULL || r->used == NULL ||
			(own_pages && xfe_alloc(&x->mem, 0, XFE_PAGE) == NULL))
		return xfe_fail(x, -ENOMEM, "guest memory for vring %u", index);
	r->desc_gpa = xfe_gpa(x, r->desc);
	r->avail_gpa = xfe_gpa(x, r->avail);
	r->used_gpa = xfe_gpa(x, r->used);
	r->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	r->callfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (r->kickfd < 0 || r->callfd < 0)
		return xfe_fail(x, -errno, "eventfd: %s", strerror(errno));
	xfe_ring_reset(r);
	return 0;
}

/* A fresh ring: every descriptor free, both indices 0. */
void
xfe_ring_reset(struct xfe_ring *r)
{
	uint16_t i;

	memset(r->desc, 0, 16u * r->size);
	memset(r->avail, 0, 6 + 2u * r->size);
	memset(r->used, 0, 6 + 8u * r->size);
	for (i = 0; i < r->size; i++) {
		r->next_free[i] = (uint16_t)(i + 1);
		r->chain_len[i] = 0;
	}
	r->free_head = 0;
	r->num_free = r->size;
	r->avail_idx = 0;
	r->last_used = 0;
}

unsigned int
xfe_ring_in_flight(const struct xfe_ring *r)
{
	return (uint16_t)(r->avail_idx - r->last_used);
}

int
xfe_ring_add(struct xfe_ring *r, const struct xfe_seg *s, unsigned int n,
		uint32_t cookie, void *ind, uint64_t ind_gpa)
{
	struct vring_desc *d;
	unsigned int i, need = ind != NULL ? 1 : n;
	uint16_t head, cur, next;
	uint32_t in = 0;

	if (n == 0 || need > r->num_free)
		return -ENOSPC;
	head = r->free_head;
	cur = head;
	for (i = 0; i < n; i++)
		in += s[i].write ? s[i].len : 0;
	if (ind != NULL) {
		/* One descriptor here, the chain in the table (VIRTQ_DESC_F_INDIRECT). */
		d = ind;
		for (i = 0; i < n; i++) {
			d[i].addr = s[i].gpa;
			d[i].len = s[i].len;
			d[i].flags = (uint16_t)((s[i].write ? VRING_DESC_F_WRITE : 0) |
				(i + 1 < n ? VRING_DESC_F_NEXT : 0));
			d[i].next = (uint16_t)(i + 1 < n ? i + 1 : 0);
		}
		r->desc[cur].addr = ind_gpa;
		r->desc[cur].len = 16u * n;
		r->desc[cur].flags = VRING_DESC_F_INDIRECT;
		r->free_head = r->next_free[cur];
	} else {
		for (i = 0; i < n; i++) {
			next = r->next_free[cur];
			r->desc[cur].addr = s[i].gpa;
			r->desc[cur].len = s[i].len;
			r->desc[cur].flags = (uint16_t)((s[i].write ?
				VRING_DESC_F_WRITE : 0) |
				(i + 1 < n ? VRING_DESC_F_NEXT : 0));
			r->desc[cur].next = i + 1 < n ? next : 0;
			if (i + 1 < n)
				cur = next;
			else
				r->free_head = next;
		}
	}
	r->num_free = (uint16_t)(r->num_free - need);
	r->chain_len[head] = (uint16_t)need;
	r->chain_in[head] = in;
	r->cookie[head] = cookie;
	r->avail->ring[r->avail_idx % r->size] = head;
	r->avail_idx++;
	/* The entry before the index that publishes it. */
	__atomic_store_n(&r->avail->idx, r->avail_idx, __ATOMIC_RELEASE);
	return 0;
}

int
xfe_ring_kick(struct xfe_ring *r)
{
	return eventfd_write(r->kickfd, 1) == 0 ? 0 : -errno;
}

/* Give a completed chain's descriptors back to the free list. */
static void
ring_free_chain(struct xfe_ring *r, uint16_t head)
{
	uint16_t i, cur = head, n = r->chain_len[head];

	for (i = 0; i + 1 < n; i++)
		cur = r->desc[cur].next;
	r->next_free[cur] = r->free_head;
	r->free_head = head;
	r->num_free = (uint16_t)(r->num_free + n);
	r->chain_len[head] = 0;
}

int
xfe_ring_used(struct xfe *x, struct xfe_ring *r, struct xfe_used *u)
{
	uint16_t idx = __atomic_load_n(&r->used->idx, __ATOMIC_ACQUIRE);
	uint16_t ahead = (uint16_t)(idx - r->last_used);
	struct vring_used_elem e;

	if (ahead == 0)
		return 0;
	if (ahead > xfe_ring_in_flight(r))
		return xfe_fail(x, -EPROTO, "vring %u: the device's used index"
			" %u is %u entries ahead of ours, with %u chains in"
			" flight", r->index, idx, ahead, xfe_ring_in_flight(r));
	/* One copy of the entry: what we check is what we use. */
	memcpy(&e, &r->used->ring[r->last_used % r->size], sizeof(e));
	if (e.id >= r->size || r->chain_len[e.id] == 0)
		return xfe_fail(x, -EPROTO, "vring %u: the device used id %u,"
			" which is no chain in flight", r->index, e.id);
	if (e.len > r->chain_in[e.id])
		return xfe_fail(x, -EPROTO, "vring %u: the device wrote %u"
			" bytes into chain %u, which has %u writable", r->index,
			e.len, e.id, r->chain_in[e.id]);
	u->head = (uint16_t)e.id;
	u->cookie = r->cookie[e.id];
	u->len = e.len;
	ring_free_chain(r, (uint16_t)e.id);
	r->last_used++;
	return 1;
}
