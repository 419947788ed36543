/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: address spaces (cvqsim_as.c) against a reference
 * model.
 *
 * The input is a sequence of IOTLB operations - map, unmap, lookup,
 * translate, translate_iov, clear, and batches (begin, commit, abandon) -
 * on AS 1 of a cvqsim_as_set and on a deliberately
 * naive model (an unsorted array, every answer by brute force over
 * mappings, with 128-bit arithmetic for range ends). Every result is
 * compared: return codes, mapping counts, host addresses, iovec arrays.
 * Host addresses are numbers here (nothing is dereferenced), so any value,
 * including the top of the address space, can be used.
 *
 * Inside a batch every operation acts on the batch's view and the model
 * follows the view; the live AS must not change (same table, same
 * generation) until commit, which must make the whole batch live with one
 * new generation; an abandoned batch must leave the live AS as it was.
 *
 * Addresses and sizes come from small "coordinates" most of the time so
 * that ranges collide, touch and straddle often, with escapes to arbitrary
 * 64-bit values and to the end of the address space.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cvqsim_as.h"
#include "fuzz_input.h"

typedef unsigned __int128 u128;

struct ref_map {
	uint64_t iova, size, hva;
	uint32_t perm;
};

struct ref_as {
	unsigned int nr;
	struct ref_map m[CVQSIM_AS_MAX_MAPS];
};

static struct cvqsim_as_set SET;
static struct cvqsim_as_batch BATCH;
static struct ref_as REF;	/* what the view (batch or live) must hold */
static struct ref_as LIVE;	/* the live table while a batch is open */
#define FUZZ_ASID	1
#define AS		(*cvqsim_as_batch_view(&BATCH, &SET, FUZZ_ASID))

static bool
ref_overlaps(uint64_t iova, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < REF.nr; i++) {
		const struct ref_map *m = &REF.m[i];

		if ((u128)iova < (u128)m->iova + m->size &&
				(u128)m->iova < (u128)iova + size)
			return true;
	}
	return false;
}

static int
ref_map(uint64_t iova, uint64_t size, uint64_t hva, uint32_t perm)
{
	/*
	 * The documented contract: iova + size and hva + size do not wrap,
	 * so a mapping cannot include the last byte of either space.
	 */
	if (size == 0 || (u128)iova + size > UINT64_MAX ||
			(u128)hva + size > UINT64_MAX)
		return -EINVAL;
	if (perm == 0 || (perm & ~(uint32_t)CVQSIM_PERM_RW) != 0)
		return -EINVAL;
	if (ref_overlaps(iova, size))
		return -EINVAL;
	if (REF.nr >= CVQSIM_AS_MAX_MAPS)
		return -ENOSPC;
	REF.m[REF.nr++] = (struct ref_map){ iova, size, hva, perm };
	return 0;
}

static int
ref_unmap(uint64_t iova, uint64_t size)
{
	u128 end = (u128)iova + size;
	unsigned int i, n = 0;

	if (size == 0 || end > (u128)UINT64_MAX + 1)
		return -EINVAL;
	/* Refused as a whole if any intersecting mapping sticks out. */
	for (i = 0; i < REF.nr; i++) {
		const struct ref_map *m = &REF.m[i];
		u128 mend = (u128)m->iova + m->size;

		if (m->iova < end && iova < mend && (m->iova < iova || mend > end))
			return -EINVAL;
	}
	for (i = 0; i < REF.nr;) {
		const struct ref_map *m = &REF.m[i];

		if (m->iova >= iova && (u128)m->iova + m->size <= end) {
			REF.m[i] = REF.m[--REF.nr];
			n++;
		} else {
			i++;
		}
	}
	return (int)n;
}

static const struct ref_map *
ref_lookup(uint64_t iova)
{
	unsigned int i;

	for (i = 0; i < REF.nr; i++)
		if (iova >= REF.m[i].iova && iova - REF.m[i].iova < REF.m[i].size)
			return &REF.m[i];
	return NULL;
}

static uint64_t
ref_translate(uint64_t iova, uint64_t len, uint32_t perm)
{
	const struct ref_map *m = ref_lookup(iova);

	if (m == NULL || (m->perm & perm) != perm)
		return 0;
	if ((u128)iova + len > (u128)m->iova + m->size)
		return 0;
	return m->hva + (iova - m->iova);
}

/* Byte-by-mapping walk; host-adjacent pieces are merged into one iovec. */
static int
ref_translate_iov(uint64_t iova, uint64_t len, uint32_t perm,
		struct iovec *iov, unsigned int max)
{
	u128 cur = iova, end = (u128)iova + len;
	unsigned int n = 0;

	if (len == 0)
		return 0;
	if (end > (u128)UINT64_MAX + 1)
		return -EFAULT;
	while (cur < end) {
		const struct ref_map *m = ref_lookup((uint64_t)cur);
		u128 mend;
		uint64_t hva, chunk;

		if (m == NULL || (m->perm & perm) != perm)
			return -EFAULT;
		mend = (u128)m->iova + m->size;
		chunk = (uint64_t)((mend < end ? mend : end) - cur);
		hva = m->hva + ((uint64_t)cur - m->iova);
		if (n > 0 && (u128)(uintptr_t)iov[n - 1].iov_base +
				iov[n - 1].iov_len == hva) {
			iov[n - 1].iov_len += chunk;
		} else {
			if (n == max)
				return -E2BIG;
			iov[n].iov_base = (void *)(uintptr_t)hva;
			iov[n].iov_len = chunk;
			n++;
		}
		cur += chunk;
	}
	return (int)n;
}

/* An address from a coordinate, so that ranges meet often. */
static uint64_t
coord(struct fuzz_input *in)
{
	uint8_t sel = fuzz_u8(in);

	switch (sel >> 6) {
	case 0:
		return (uint64_t)(sel & 0x3f) * 0x1000;
	case 1:
		return (uint64_t)(sel & 0x3f) * 0x1000 + (fuzz_u8(in) & 0xf) - 8;
	case 2:
		return (uint64_t)0 - (uint64_t)(sel & 0x3f) * 0x1000;
	default:
		return fuzz_u64(in);
	}
}

static uint64_t
length(struct fuzz_input *in)
{
	uint8_t sel = fuzz_u8(in);

	switch (sel >> 6) {
	case 0:
		return (uint64_t)(sel & 0x3f) * 0x1000;
	case 1:
		return (uint64_t)(sel & 0x3f) * 0x1000 + (fuzz_u8(in) & 0xf) - 8;
	case 2:
		return sel & 0x3f;
	default:
		return fuzz_u64(in);
	}
}

static void
compare_tables(void)
{
	unsigned int i;

	FUZZ_CHECK(AS.nr_maps == REF.nr, "%u maps, model has %u", AS.nr_maps,
		REF.nr);
	for (i = 0; i < AS.nr_maps; i++) {
		const struct cvqsim_as_map *m = &AS.maps[i];
		const struct ref_map *r = ref_lookup(m->iova);

		FUZZ_CHECK(i == 0 || AS.maps[i - 1].iova < m->iova, "not sorted");
		FUZZ_CHECK(r != NULL && r->iova == m->iova && r->size == m->size &&
			r->hva == m->hva && r->perm == m->perm,
			"map %u [0x%lx, +0x%lx) not in the model", i,
			(unsigned long)m->iova, (unsigned long)m->size);
	}
}

/*
 * Batch operations: 0 clear (outside a batch), 1 begin, 2 commit,
 * 3 abandon. Returns whether the live table changed.
 */
static bool
batch_op(unsigned int sel)
{
	bool was_open = BATCH.open;
	uint32_t changed;
	int ret;

	switch (sel) {
	case 0:
		if (BATCH.open)
			return false;
		cvqsim_as_clear(&SET.as[FUZZ_ASID]);
		REF.nr = 0;
		return true;
	case 1:
		ret = cvqsim_as_batch_begin(&BATCH);
		FUZZ_CHECK(ret == (was_open ? -EBUSY : 0), "begin: %d", ret);
		if (ret == 0)
			memcpy(&LIVE, &REF, sizeof(LIVE));
		return false;
	case 2:
		if (!BATCH.open)
			return false;
		changed = cvqsim_as_batch_commit(&BATCH, &SET);
		FUZZ_CHECK(!BATCH.open, "commit left the batch open");
		FUZZ_CHECK(changed == 0 || changed == 1u << FUZZ_ASID,
			"commit changed ASIDs 0x%x", changed);
		/* The view is the live AS again: it must hold the whole batch. */
		compare_tables();
		cvqsim_as_batch_release(&BATCH);
		return changed != 0;
	default:
		if (!BATCH.open)
			return false;
		cvqsim_as_batch_release(&BATCH);
		memcpy(&REF, &LIVE, sizeof(REF));
		compare_tables();
		return false;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct iovec iov[8], ref_iov[8];
	uint64_t gen = 0;
	unsigned int ops = 0;

	cvqsim_as_set_init(&SET);
	cvqsim_as_batch_init(&BATCH);
	REF.nr = 0;
	while (in.len > 0 && ops++ < 1024) {
		uint8_t op = fuzz_u8(&in);
		uint64_t a = coord(&in), l, hva;
		uint32_t perm = op >> 4 & 3;
		unsigned int max = (op >> 6) + 1;	/* iovec room 1..4 */
		unsigned int nr_before = SET.as[FUZZ_ASID].nr_maps;
		const struct cvqsim_as *live;
		bool changed = false;
		int ret, ref;

		switch (op % 8) {
		case 0:
		case 1:
		case 2:
			l = length(&in);
			/* Host addresses: near the IOVA, or anywhere. */
			hva = (op & 8) ? coord(&in) : a + 0x100000000ULL;
			ret = BATCH.open ? cvqsim_as_batch_map(&BATCH, &SET,
				FUZZ_ASID, a, l, hva, perm) :
				cvqsim_as_map(&SET.as[FUZZ_ASID], a, l, hva, perm);
			ref = ref_map(a, l, hva, perm);
			FUZZ_CHECK(ret == ref, "map(0x%lx, 0x%lx, perm %u): %d, model %d",
				(unsigned long)a, (unsigned long)l, perm, ret, ref);
			changed = ret == 0;
			break;
		case 3:
			l = length(&in);
			ret = BATCH.open ? cvqsim_as_batch_unmap(&BATCH, &SET,
				FUZZ_ASID, a, l) :
				cvqsim_as_unmap(&SET.as[FUZZ_ASID], a, l);
			ref = ref_unmap(a, l);
			FUZZ_CHECK(ret == ref, "unmap(0x%lx, 0x%lx): %d, model %d",
				(unsigned long)a, (unsigned long)l, ret, ref);
			changed = ret > 0;
			break;
		case 4: {
			const struct cvqsim_as_map *m = cvqsim_as_lookup(&AS, a);
			const struct ref_map *r = ref_lookup(a);

			FUZZ_CHECK((m == NULL) == (r == NULL) &&
				(m == NULL || m->iova == r->iova),
				"lookup(0x%lx) differs", (unsigned long)a);
			break;
		}
		case 5: {
			void *p;

			l = length(&in);
			if (perm == 0)
				perm = CVQSIM_PERM_RO;
			p = cvqsim_as_translate(&AS, a, l, perm);
			FUZZ_CHECK((uint64_t)(uintptr_t)p == ref_translate(a, l, perm),
				"translate(0x%lx, 0x%lx, %u) = %p, model 0x%lx",
				(unsigned long)a, (unsigned long)l, perm, p,
				(unsigned long)ref_translate(a, l, perm));
			break;
		}
		case 6:
			l = length(&in);
			if (perm == 0)
				perm = CVQSIM_PERM_WO;
			memset(iov, 0, sizeof(iov));
			memset(ref_iov, 0, sizeof(ref_iov));
			ret = cvqsim_as_translate_iov(&AS, a, l, perm, iov, max);
			ref = ref_translate_iov(a, l, perm, ref_iov, max);
			FUZZ_CHECK(ret == ref, "translate_iov(0x%lx, 0x%lx, %u, %u): %d,"
				" model %d", (unsigned long)a, (unsigned long)l, perm,
				max, ret, ref);
			FUZZ_CHECK(ret <= 0 || memcmp(iov, ref_iov,
				(size_t)ret * sizeof(iov[0])) == 0,
				"translate_iov(0x%lx, 0x%lx): iovecs differ",
				(unsigned long)a, (unsigned long)l);
			break;
		default:
			changed = batch_op(op >> 3 & 3);
			break;
		}
		/* Any change must bump the generation (cached rings depend on it). */
		live = &SET.as[FUZZ_ASID];
		FUZZ_CHECK(live->generation >= gen, "generation went back");
		if (BATCH.open)
			FUZZ_CHECK(live->generation == gen &&
				live->nr_maps == LIVE.nr, "live AS changed inside a batch");
		else if (live->nr_maps != nr_before || changed)
			FUZZ_CHECK(live->generation > gen, "op %u changed the table, same"
				" generation", op % 8);
		gen = live->generation;
		/* Brute force is quadratic: spot-check big tables. */
		if (REF.nr < 64 || ops % 64 == 0)
			compare_tables();
	}
	cvqsim_as_batch_release(&BATCH);
	cvqsim_as_set_fini(&SET);
	return 0;
}
