/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cvqsim_as.h"

/*
 * Every change of the mappings bumps the generation; the poller reads it
 * without poll_lock (cvqsim_poller.c), so it is stored atomically.
 */
static inline void
as_changed(struct cvqsim_as *as)
{
	__atomic_store_n(&as->generation, as->generation + 1, __ATOMIC_RELAXED);
}

/* First table size: vhost-user memory tables have at most 8 or 32 regions. */
#define AS_INITIAL_CAP	16

void
cvqsim_as_init(struct cvqsim_as *as, uint32_t asid)
{
	memset(as, 0, sizeof(*as));
	as->asid = asid;
}

void
cvqsim_as_fini(struct cvqsim_as *as)
{
	free(as->maps);
	as->maps = NULL;
	as->nr_maps = 0;
	as->cap_maps = 0;
	as_changed(as);
}

void
cvqsim_as_clear(struct cvqsim_as *as)
{
	as->nr_maps = 0;
	as_changed(as);
}

/* Index of the first mapping whose iova is greater than addr. */
static uint32_t
as_upper_bound(const struct cvqsim_as *as, uint64_t addr)
{
	uint32_t lo = 0, hi = as->nr_maps;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (as->maps[mid].iova <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
as_grow(struct cvqsim_as *as)
{
	uint32_t cap = as->cap_maps == 0 ? AS_INITIAL_CAP : as->cap_maps * 2;
	struct cvqsim_as_map *maps;

	if (cap > CVQSIM_AS_MAX_MAPS)
		cap = CVQSIM_AS_MAX_MAPS;
	maps = realloc(as->maps, cap * sizeof(*maps));
	if (maps == NULL)
		return -ENOMEM;
	as->maps = maps;
	as->cap_maps = cap;
	return 0;
}

int
cvqsim_as_map(struct cvqsim_as *as, uint64_t iova, uint64_t size,
		uint64_t hva, uint32_t perm)
{
	uint32_t pos;
	int ret;

	if (size == 0 || size > UINT64_MAX - iova || size > UINT64_MAX - hva)
		return -EINVAL;
	if (perm == 0 || (perm & ~(uint32_t)CVQSIM_PERM_RW) != 0)
		return -EINVAL;

	/* maps[pos - 1] is the last mapping starting at or below iova. */
	pos = as_upper_bound(as, iova);
	if (pos > 0 && iova - as->maps[pos - 1].iova < as->maps[pos - 1].size)
		return -EINVAL;
	if (pos < as->nr_maps && as->maps[pos].iova - iova < size)
		return -EINVAL;

	if (as->nr_maps >= CVQSIM_AS_MAX_MAPS)
		return -ENOSPC;
	if (as->nr_maps == as->cap_maps) {
		ret = as_grow(as);
		if (ret < 0)
			return ret;
	}
	memmove(&as->maps[pos + 1], &as->maps[pos],
		(as->nr_maps - pos) * sizeof(as->maps[0]));
	as->maps[pos] = (struct cvqsim_as_map){
		.iova = iova, .size = size, .hva = hva, .perm = perm,
	};
	as->nr_maps++;
	as_changed(as);
	return 0;
}

int
cvqsim_as_unmap(struct cvqsim_as *as, uint64_t iova, uint64_t size)
{
	/* Inclusive bounds: a range may reach the very end of the IOVA space. */
	uint64_t last;
	uint32_t first, end, i;

	if (size == 0 || size - 1 > UINT64_MAX - iova)
		return -EINVAL;
	last = iova + (size - 1);

	/* Mappings [first, end) intersect [iova, last]. */
	first = as_upper_bound(as, iova);
	if (first > 0 && iova - as->maps[first - 1].iova < as->maps[first - 1].size)
		first--;
	end = as_upper_bound(as, last);

	for (i = first; i < end; i++) {
		const struct cvqsim_as_map *m = &as->maps[i];

		if (m->iova < iova || m->size - 1 > last - m->iova)
			return -EINVAL;
	}
	if (end == first)
		return 0;
	memmove(&as->maps[first], &as->maps[end],
		(as->nr_maps - end) * sizeof(as->maps[0]));
	as->nr_maps -= end - first;
	as_changed(as);
	return (int)(end - first);
}

const struct cvqsim_as_map *
cvqsim_as_lookup(const struct cvqsim_as *as, uint64_t iova)
{
	uint32_t pos = as_upper_bound(as, iova);
	const struct cvqsim_as_map *m;

	if (pos == 0)
		return NULL;
	m = &as->maps[pos - 1];
	return iova - m->iova < m->size ? m : NULL;
}

static inline bool
map_grants(const struct cvqsim_as_map *m, uint32_t perm)
{
	return (m->perm & perm) == perm;
}

void *
cvqsim_as_translate(const struct cvqsim_as *as, uint64_t iova,
		uint64_t len, uint32_t perm)
{
	const struct cvqsim_as_map *m = cvqsim_as_lookup(as, iova);
	uint64_t off;

	if (m == NULL || !map_grants(m, perm))
		return NULL;
	off = iova - m->iova;
	if (len > m->size - off)
		return NULL;
	return (void *)(uintptr_t)(m->hva + off);
}

int
cvqsim_as_translate_iov(const struct cvqsim_as *as, uint64_t iova,
		uint64_t len, uint32_t perm, struct iovec *iov,
		unsigned int max_iov)
{
	uint32_t pos;
	unsigned int n = 0;

	if (len == 0)
		return 0;
	/* Mappings never wrap, so a wrapping range has an unmapped byte. */
	if (len - 1 > UINT64_MAX - iova)
		return -EFAULT;

	pos = as_upper_bound(as, iova);
	if (pos == 0)
		return -EFAULT;
	pos--;
	while (len > 0) {
		const struct cvqsim_as_map *m;
		uint64_t off, chunk, hva;

		/* Sorted and non-overlapping: the next byte is in the next map. */
		if (pos >= as->nr_maps)
			return -EFAULT;
		m = &as->maps[pos];
		/* A hole before m makes off wrap to a huge value. */
		off = iova - m->iova;
		if (off >= m->size || !map_grants(m, perm))
			return -EFAULT;
		chunk = m->size - off < len ? m->size - off : len;
		hva = m->hva + off;

		/* Adjacent in host memory too: extend the previous iovec. */
		if (n > 0 && (uintptr_t)iov[n - 1].iov_base + iov[n - 1].iov_len == hva) {
			iov[n - 1].iov_len += chunk;
		} else {
			if (n == max_iov)
				return -E2BIG;
			iov[n].iov_base = (void *)(uintptr_t)hva;
			iov[n].iov_len = chunk;
			n++;
		}
		iova += chunk;
		len -= chunk;
		pos++;
	}
	return (int)n;
}

uint32_t
cvqsim_as_query(const struct cvqsim_as *as, uint32_t first,
		struct cvqsim_as_map *out, uint32_t max)
{
	uint32_t n;

	if (first < as->nr_maps && max > 0) {
		n = as->nr_maps - first < max ? as->nr_maps - first : max;
		memcpy(out, &as->maps[first], n * sizeof(*out));
	}
	return as->nr_maps;
}

void
cvqsim_as_set_init(struct cvqsim_as_set *set)
{
	uint32_t i;

	for (i = 0; i < CVQSIM_NUM_AS; i++)
		cvqsim_as_init(&set->as[i], i);
	for (i = 0; i < CVQSIM_NUM_GROUPS; i++)
		set->group_asid[i] = 0;
}

void
cvqsim_as_set_fini(struct cvqsim_as_set *set)
{
	uint32_t i;

	for (i = 0; i < CVQSIM_NUM_AS; i++)
		cvqsim_as_fini(&set->as[i]);
}

int
cvqsim_as_set_bind(struct cvqsim_as_set *set, uint32_t group, uint32_t asid)
{
	if (group >= CVQSIM_NUM_GROUPS || asid >= CVQSIM_NUM_AS)
		return -EINVAL;
	set->group_asid[group] = asid;
	return 0;
}

/* Batches of IOTLB updates. */

void
cvqsim_as_batch_init(struct cvqsim_as_batch *b)
{
	uint32_t i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < CVQSIM_NUM_AS; i++)
		cvqsim_as_init(&b->copy[i], i);
}

int
cvqsim_as_batch_begin(struct cvqsim_as_batch *b)
{
	if (b->open)
		return -EBUSY;
	cvqsim_as_batch_release(b);
	b->open = true;
	return 0;
}

/* The batch's copy of AS asid, taken on first use; NULL on -ENOMEM. */
static struct cvqsim_as *
batch_copy(struct cvqsim_as_batch *b, const struct cvqsim_as_set *set,
		uint32_t asid)
{
	const struct cvqsim_as *live = &set->as[asid];
	struct cvqsim_as *c = &b->copy[asid];

	if (b->staged[asid])
		return c;
	c->nr_maps = 0;
	if (live->nr_maps > c->cap_maps) {
		struct cvqsim_as_map *maps = realloc(c->maps,
			live->nr_maps * sizeof(*maps));

		if (maps == NULL)
			return NULL;
		c->maps = maps;
		c->cap_maps = live->nr_maps;
	}
	if (live->nr_maps > 0)
		memcpy(c->maps, live->maps, live->nr_maps * sizeof(*c->maps));
	c->nr_maps = live->nr_maps;
	b->staged[asid] = true;
	return c;
}

int
cvqsim_as_batch_map(struct cvqsim_as_batch *b, const struct cvqsim_as_set *set,
		uint32_t asid, uint64_t iova, uint64_t size, uint64_t hva,
		uint32_t perm)
{
	struct cvqsim_as *c;

	if (!b->open || asid >= CVQSIM_NUM_AS)
		return -EINVAL;
	c = batch_copy(b, set, asid);
	if (c == NULL)
		return -ENOMEM;
	return cvqsim_as_map(c, iova, size, hva, perm);
}

int
cvqsim_as_batch_unmap(struct cvqsim_as_batch *b,
		const struct cvqsim_as_set *set, uint32_t asid, uint64_t iova,
		uint64_t size)
{
	struct cvqsim_as *c;

	if (!b->open || asid >= CVQSIM_NUM_AS)
		return -EINVAL;
	c = batch_copy(b, set, asid);
	if (c == NULL)
		return -ENOMEM;
	return cvqsim_as_unmap(c, iova, size);
}

const struct cvqsim_as *
cvqsim_as_batch_view(const struct cvqsim_as_batch *b,
		const struct cvqsim_as_set *set, uint32_t asid)
{
	return b->open && b->staged[asid] ? &b->copy[asid] : &set->as[asid];
}

/* Exchange the tables of two address spaces (not their ids). */
static void
as_swap_tables(struct cvqsim_as *a, struct cvqsim_as *c)
{
	struct cvqsim_as_map *maps = a->maps;
	uint32_t nr = a->nr_maps, cap = a->cap_maps;

	a->maps = c->maps;
	a->nr_maps = c->nr_maps;
	a->cap_maps = c->cap_maps;
	c->maps = maps;
	c->nr_maps = nr;
	c->cap_maps = cap;
}

uint32_t
cvqsim_as_batch_commit(struct cvqsim_as_batch *b, struct cvqsim_as_set *set)
{
	uint32_t i, changed = 0;

	if (!b->open)
		return 0;
	for (i = 0; i < CVQSIM_NUM_AS; i++) {
		if (!b->staged[i])
			continue;
		as_swap_tables(&set->as[i], &b->copy[i]);
		as_changed(&set->as[i]);
		changed |= 1u << i;
	}
	b->open = false;
	return changed;
}

void
cvqsim_as_batch_release(struct cvqsim_as_batch *b)
{
	uint32_t i;

	for (i = 0; i < CVQSIM_NUM_AS; i++) {
		free(b->copy[i].maps);
		cvqsim_as_init(&b->copy[i], i);
		b->staged[i] = false;
	}
	b->open = false;
}

const char *
cvqsim_as_perm_name(uint32_t perm)
{
	return perm == CVQSIM_PERM_WO ? "writable" :
		perm == CVQSIM_PERM_RW ? "readable and writable" : "readable";
}
