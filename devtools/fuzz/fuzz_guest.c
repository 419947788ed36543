/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define FUZZ_HAVE_ASAN 1
#endif
#endif
#ifndef FUZZ_HAVE_ASAN
#define ASAN_POISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#define ASAN_UNPOISON_MEMORY_REGION(a, n) ((void)(a), (void)(n))
#endif

#include "fuzz_guest.h"

static uint8_t *region_pages[FUZZ_GUEST_REGIONS];

void
fuzz_guest_global_init(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t stride = FUZZ_GUEST_REGION_CAP + page;
	uint8_t *all;
	unsigned int k;

	if (region_pages[0] != NULL)
		return;
	/* One reservation, a PROT_NONE page after each region. */
	all = mmap(NULL, stride * FUZZ_GUEST_REGIONS, PROT_NONE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (all == MAP_FAILED) {
		perror("mmap");
		abort();
	}
	for (k = 0; k < FUZZ_GUEST_REGIONS; k++) {
		region_pages[k] = all + k * stride;
		if (mprotect(region_pages[k], FUZZ_GUEST_REGION_CAP,
				PROT_READ | PROT_WRITE) != 0) {
			perror("mprotect");
			abort();
		}
	}
}

/*
 * Region layout, per region (input order):
 *   u8  how the IOVA is chosen (low 2 bits) and the permission (bits 2-3)
 *   u16 offset of the first byte in the region's pages (times 8)
 *   u16 size - 1 (cut to what fits)
 *   u64 IOVA material (meaning depends on the mode)
 * Modes: 0 right after the previous region (adjacent IOVAs, so buffers
 * can straddle two mappings), 1 a fixed spacing plus a small offset,
 * 2 any 64-bit IOVA, 3 the very end of the IOVA space.
 */
void
fuzz_guest_setup(struct fuzz_guest *g, struct fuzz_input *in)
{
	unsigned int k;
	uint64_t next_iova = 0x40000000;

	fuzz_guest_global_init();
	cvqsim_as_init(&g->as, 0);
	g->nr = 1 + fuzz_u8(in) % FUZZ_GUEST_REGIONS;
	for (k = 0; k < FUZZ_GUEST_REGIONS; k++) {
		struct fuzz_region *r = &g->r[k];

		memset(r, 0, sizeof(*r));
		r->base = region_pages[k];
	}
	for (k = 0; k < g->nr; k++) {
		struct fuzz_region *r = &g->r[k];
		uint8_t mode = fuzz_u8(in);
		uint32_t off = (fuzz_u16(in) % 512) * 8;
		uint32_t size = 1 + fuzz_u16(in) % (FUZZ_GUEST_REGION_CAP - off);
		uint64_t material = fuzz_u64(in);

		r->off = off;
		r->size = size;
		memset(fuzz_guest_hva(g, k), 0, size);
		/* 1 RO, 2 WO, 3 RW; 0 is refused by the AS (kept: it must be). */
		r->perm = (mode >> 2) & 3;
		if (k == 0 && r->perm == 0)
			r->perm = CVQSIM_PERM_RW;
		switch (mode & 3) {
		case 0:
			r->iova = next_iova;
			break;
		case 1:
			r->iova = 0x40000000 + 0x100000ULL * (k + 1) +
				(material & 0xfff8);
			break;
		case 2:
			r->iova = material;
			break;
		default:
			r->iova = (uint64_t)0 - size;
			break;
		}
		next_iova = r->iova + size;
		r->mapped = cvqsim_as_map(&g->as, r->iova, r->size,
			(uint64_t)(uintptr_t)fuzz_guest_hva(g, k), r->perm) == 0;
	}
}

void
fuzz_guest_setup_fixed(struct fuzz_guest *g, unsigned int nr, uint64_t iova,
		const uint32_t *sizes, const uint32_t *perms)
{
	unsigned int k;

	fuzz_guest_global_init();
	cvqsim_as_init(&g->as, 0);
	g->nr = nr < FUZZ_GUEST_REGIONS ? nr : FUZZ_GUEST_REGIONS;
	for (k = 0; k < FUZZ_GUEST_REGIONS; k++) {
		struct fuzz_region *r = &g->r[k];

		memset(r, 0, sizeof(*r));
		r->base = region_pages[k];
		if (k >= g->nr)
			continue;
		r->size = sizes[k] < FUZZ_GUEST_REGION_CAP ? sizes[k] :
			FUZZ_GUEST_REGION_CAP;
		memset(r->base, 0, r->size);
		r->perm = perms[k];
		r->iova = iova;
		iova += r->size;
		r->mapped = cvqsim_as_map(&g->as, r->iova, r->size,
			(uint64_t)(uintptr_t)r->base, r->perm) == 0;
	}
}

void
fuzz_guest_fill(struct fuzz_guest *g, struct fuzz_input *in)
{
	unsigned int k;

	for (k = 0; k < g->nr && in->len > 0; k++)
		fuzz_bytes(in, fuzz_guest_hva(g, k), g->r[k].size);
}

void
fuzz_guest_write(struct fuzz_guest *g, uint64_t iova, const void *buf,
		uint64_t len)
{
	const uint8_t *src = buf;
	unsigned int k;

	/* Per region, the part of [iova, iova + len) it holds (no wrap). */
	for (k = 0; k < g->nr; k++) {
		const struct fuzz_region *r = &g->r[k];
		uint64_t start = iova > r->iova ? iova : r->iova;
		uint64_t end_a = iova + len < iova ? UINT64_MAX : iova + len;
		uint64_t end_r = r->iova + r->size < r->iova ? UINT64_MAX :
			r->iova + r->size;
		uint64_t end = end_a < end_r ? end_a : end_r;

		if (start < end)
			memcpy(fuzz_guest_hva(g, k) + (start - r->iova),
				src + (start - iova), end - start);
	}
}

void
fuzz_guest_seal(struct fuzz_guest *g, bool protect_ro)
{
	unsigned int k;

	for (k = 0; k < g->nr; k++) {
		struct fuzz_region *r = &g->r[k];

		ASAN_POISON_MEMORY_REGION(r->base, FUZZ_GUEST_REGION_CAP);
		if (r->mapped)
			ASAN_UNPOISON_MEMORY_REGION(fuzz_guest_hva(g, k), r->size);
		if (protect_ro && r->mapped && r->perm == CVQSIM_PERM_RO &&
				mprotect(r->base, FUZZ_GUEST_REGION_CAP, PROT_READ) != 0) {
			perror("mprotect");
			abort();
		}
	}
	/* Regions beyond nr are not mapped: wholly poisoned. */
	for (; k < FUZZ_GUEST_REGIONS; k++)
		ASAN_POISON_MEMORY_REGION(g->r[k].base, FUZZ_GUEST_REGION_CAP);
}

void
fuzz_guest_release(struct fuzz_guest *g)
{
	unsigned int k;

	for (k = 0; k < FUZZ_GUEST_REGIONS; k++) {
		ASAN_UNPOISON_MEMORY_REGION(g->r[k].base, FUZZ_GUEST_REGION_CAP);
		if (mprotect(g->r[k].base, FUZZ_GUEST_REGION_CAP,
				PROT_READ | PROT_WRITE) != 0) {
			perror("mprotect");
			abort();
		}
	}
	cvqsim_as_fini(&g->as);
}

bool
fuzz_guest_check_iov(const struct fuzz_guest *g, const void *base, size_t len,
		uint32_t perm)
{
	uintptr_t p = (uintptr_t)base;
	unsigned int k;

	for (k = 0; k < g->nr; k++) {
		const struct fuzz_region *r = &g->r[k];
		uintptr_t start = (uintptr_t)fuzz_guest_hva(g, k);

		if (!r->mapped || p < start || p - start >= r->size)
			continue;
		return len <= r->size - (p - start) && (r->perm & perm) == perm;
	}
	return false;
}
