/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FUZZ_GUEST_H
#define FUZZ_GUEST_H

/*
 * "Guest memory" for the ring fuzzers: up to FUZZ_GUEST_REGIONS regions,
 * each mapped in a cvqsim_as at an IOVA the input picks, with a permission
 * the input picks. The harness then checks that the device only touches
 * what the AS lets it touch, three ways:
 * - every region lives in its own pages, with an inaccessible page between
 *   regions, so regions are never adjacent in host memory;
 * - the bytes of a region outside [hva, hva + size) are ASan-poisoned: a
 *   read or write one byte outside a mapping is reported;
 * - a read-only mapping's pages are mprotect()ed PROT_READ: a device write
 *   into memory it may only read is a SIGSEGV.
 * fuzz_guest_check_iov() checks an iovec against the regions (oracle for
 * what cvqsim_vq_pop() returns).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "cvqsim_as.h"
#include "fuzz_input.h"

#define FUZZ_GUEST_REGIONS	4
#define FUZZ_GUEST_REGION_CAP	(64 * 1024)

struct fuzz_region {
	uint8_t *base;		/* FUZZ_GUEST_REGION_CAP bytes of our own */
	uint32_t off;		/* hva = base + off, 8-byte aligned */
	uint64_t iova;
	uint64_t size;		/* 0: not mapped */
	uint32_t perm;
	bool mapped;		/* cvqsim_as_map() accepted it */
};

struct fuzz_guest {
	struct cvqsim_as as;
	unsigned int nr;
	struct fuzz_region r[FUZZ_GUEST_REGIONS];
};

/* Allocate the region pages once per process (libFuzzer runs many inputs). */
void fuzz_guest_global_init(void);

/*
 * Read the region layout from the input and map the regions in g->as
 * (an overlapping or otherwise refused region stays unmapped, which is a
 * case worth fuzzing too). Memory is zeroed and writable until
 * fuzz_guest_seal().
 */
void fuzz_guest_setup(struct fuzz_guest *g, struct fuzz_input *in);

/*
 * A fixed layout instead of one read from the input: nr regions of
 * sizes[k] bytes with perms[k], adjacent in IOVA space from iova.
 */
void fuzz_guest_setup_fixed(struct fuzz_guest *g, unsigned int nr,
		uint64_t iova, const uint32_t *sizes, const uint32_t *perms);

/* Host pointer of region k's first mapped byte. */
static inline uint8_t *
fuzz_guest_hva(const struct fuzz_guest *g, unsigned int k)
{
	return g->r[k].base + g->r[k].off;
}

/* Fill the mapped bytes of every region, in order, from the input. */
void fuzz_guest_fill(struct fuzz_guest *g, struct fuzz_input *in);

/*
 * Write len bytes at iova, through our own knowledge of the regions (the
 * driver's view), possibly across regions; bytes outside every region are
 * skipped. Must happen before fuzz_guest_seal().
 */
void fuzz_guest_write(struct fuzz_guest *g, uint64_t iova, const void *buf,
		uint64_t len);

/*
 * Poison what lies outside the mappings and, with protect_ro, write-protect
 * the read-only regions (the driver cannot write them any more either).
 */
void fuzz_guest_seal(struct fuzz_guest *g, bool protect_ro);

/* Undo fuzz_guest_seal() and the AS: ready for the next input. */
void fuzz_guest_release(struct fuzz_guest *g);

/*
 * Whether [base, base + len) lies inside the mapped bytes of one region
 * that grants perm.
 */
bool fuzz_guest_check_iov(const struct fuzz_guest *g, const void *base,
		size_t len, uint32_t perm);

#endif /* FUZZ_GUEST_H */
