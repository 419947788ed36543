/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_AS_H
#define CVQSIM_AS_H

/*
 * Address spaces and virtqueue groups.
 *
 * An address space (AS, identified by its ASID) is a set of IOVA -> host
 * virtual address mappings with access permissions: an IOTLB. A virtqueue
 * group is the smallest set of virtqueues that must share an address space.
 * cvqsim has two groups: every data queue is in group 0, the control queue
 * is in group 1. Each group is bound to one AS; every guest address the
 * device touches is translated through the AS of its queue's group.
 *
 * In the vhost-user case both groups are bound to AS 0, which is built from
 * the frontend's memory table. A VMM that shadows the control queue binds
 * group 1 to AS 1 so that the guest cannot reach the control queue's memory.
 *
 * Pure C: no EAL, no vhost. Not thread-safe: the device quiesces the queues
 * of a group before changing the AS that group is bound to, and changes a
 * live AS only through a batch (struct cvqsim_as_batch): the changes are
 * staged in private copies and swapped in at once while the poller is
 * outside the device, so a queue never sees half a batch.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#define CVQSIM_NUM_GROUPS	2
#define CVQSIM_GROUP_DATA	0	/* every receive and transmit queue */
#define CVQSIM_GROUP_CVQ	1	/* the control queue */
#define CVQSIM_NUM_AS		2

/* Access the device needs on a mapping. */
#define CVQSIM_PERM_RO		0x1	/* device reads (driver -> device) */
#define CVQSIM_PERM_WO		0x2	/* device writes (device -> driver) */
#define CVQSIM_PERM_RW		(CVQSIM_PERM_RO | CVQSIM_PERM_WO)

/* Upper bound of mappings in one AS, so a frontend cannot grow it forever. */
#define CVQSIM_AS_MAX_MAPS	1024

struct cvqsim_as_map {
	uint64_t iova;
	uint64_t size;		/* > 0, iova + size does not wrap */
	uint64_t hva;
	uint32_t perm;		/* CVQSIM_PERM_* */
};

struct cvqsim_as {
	uint32_t asid;
	uint32_t nr_maps;
	uint32_t cap_maps;
	/* Sorted by iova, never overlapping: lookups are binary searches. */
	struct cvqsim_as_map *maps;
	/* Bumped on every change so cached translations can be invalidated. */
	uint64_t generation;
};

void cvqsim_as_init(struct cvqsim_as *as, uint32_t asid);
/* Drop every mapping and free the table. */
void cvqsim_as_fini(struct cvqsim_as *as);
/* Drop every mapping, keep the table. */
void cvqsim_as_clear(struct cvqsim_as *as);

/*
 * Add [iova, iova + size) -> hva with perm.
 * Returns 0, -EINVAL (size 0, wrap-around, overlap with an existing map,
 * bad perm), -ENOSPC (CVQSIM_AS_MAX_MAPS reached) or -ENOMEM.
 */
int cvqsim_as_map(struct cvqsim_as *as, uint64_t iova, uint64_t size,
		uint64_t hva, uint32_t perm);

/*
 * Remove every mapping that lies entirely inside [iova, iova + size).
 * Returns the number of mappings removed, or -EINVAL for a range that would
 * split a mapping.
 */
int cvqsim_as_unmap(struct cvqsim_as *as, uint64_t iova, uint64_t size);

/* The mapping that contains iova, or NULL. */
const struct cvqsim_as_map *cvqsim_as_lookup(const struct cvqsim_as *as,
		uint64_t iova);

/*
 * Host pointer for [iova, iova + len) when the whole range lies inside one
 * mapping that grants perm; NULL otherwise (unmapped, straddling, too short,
 * wrap-around, len 0 is allowed and needs iova mapped).
 */
void *cvqsim_as_translate(const struct cvqsim_as *as, uint64_t iova,
		uint64_t len, uint32_t perm);

/*
 * Translate [iova, iova + len), which may span several adjacent mappings,
 * into at most max_iov iovecs appended at iov.
 * Returns the number of iovecs written, -EFAULT when some byte is unmapped
 * or lacks perm, -E2BIG when more than max_iov iovecs would be needed.
 */
int cvqsim_as_translate_iov(const struct cvqsim_as *as, uint64_t iova,
		uint64_t len, uint32_t perm, struct iovec *iov,
		unsigned int max_iov);

/*
 * Copy of up to max mappings of as, from the first-th on, in IOVA order.
 * Returns the number of mappings of as (call with max 0 to size out).
 */
uint32_t cvqsim_as_query(const struct cvqsim_as *as, uint32_t first,
		struct cvqsim_as_map *out, uint32_t max);

/* The address spaces of one device and the binding of its groups to them. */
struct cvqsim_as_set {
	struct cvqsim_as as[CVQSIM_NUM_AS];
	uint32_t group_asid[CVQSIM_NUM_GROUPS];
};

/* All address spaces empty, every group bound to AS 0. */
void cvqsim_as_set_init(struct cvqsim_as_set *set);
void cvqsim_as_set_fini(struct cvqsim_as_set *set);

/* Bind group to asid. -EINVAL on a bad group or asid. */
int cvqsim_as_set_bind(struct cvqsim_as_set *set, uint32_t group,
		uint32_t asid);

/* The address space a group's queues translate through. */
static inline const struct cvqsim_as *
cvqsim_as_set_group_as(const struct cvqsim_as_set *set, uint32_t group)
{
	return &set->as[set->group_asid[group]];
}

/*
 * A batch of IOTLB updates (VHOST_IOTLB_BATCH_BEGIN .. _END): every map and
 * unmap goes to a private copy of its AS, taken on the first change of that
 * AS in the batch; commit swaps the copies in, each live AS getting a new
 * generation, in one step the caller makes atomic with respect to the
 * queues (the device holds its poll lock). The tables the live AS had
 * before are then kept by the batch until release, which the caller calls
 * once no reader can still be using them.
 *
 *   cvqsim_as_batch_begin(&b);
 *   cvqsim_as_batch_map(&b, set, 1, iova, size, hva, perm); ...
 *   lock; cvqsim_as_batch_commit(&b, set); unlock;
 *   wait for readers; cvqsim_as_batch_release(&b);
 */
struct cvqsim_as_batch {
	bool open;			/* between begin and commit */
	bool staged[CVQSIM_NUM_AS];	/* copy taken (AS changed in the batch) */
	struct cvqsim_as copy[CVQSIM_NUM_AS];
};

/* A closed, empty batch. */
void cvqsim_as_batch_init(struct cvqsim_as_batch *b);
/* Open a batch. -EBUSY if one is open already. */
int cvqsim_as_batch_begin(struct cvqsim_as_batch *b);
/*
 * cvqsim_as_map / cvqsim_as_unmap on the batch's copy of set->as[asid]:
 * same returns, plus -EINVAL for a bad asid and -ENOMEM when the copy
 * cannot be taken. The live AS is untouched until commit.
 */
int cvqsim_as_batch_map(struct cvqsim_as_batch *b,
		const struct cvqsim_as_set *set, uint32_t asid, uint64_t iova,
		uint64_t size, uint64_t hva, uint32_t perm);
int cvqsim_as_batch_unmap(struct cvqsim_as_batch *b,
		const struct cvqsim_as_set *set, uint32_t asid, uint64_t iova,
		uint64_t size);
/* The AS as the batch would leave it (the copy, or the live one). */
const struct cvqsim_as *cvqsim_as_batch_view(const struct cvqsim_as_batch *b,
		const struct cvqsim_as_set *set, uint32_t asid);
/*
 * Make the batch's changes live and close it. Returns a bit mask of the
 * ASIDs whose table changed.
 */
uint32_t cvqsim_as_batch_commit(struct cvqsim_as_batch *b,
		struct cvqsim_as_set *set);
/* Free the old tables (after commit) or the copies (abandoned batch). */
void cvqsim_as_batch_release(struct cvqsim_as_batch *b);

/* "readable", "writable" or "readable and writable", for messages. */
const char *cvqsim_as_perm_name(uint32_t perm);

#endif /* CVQSIM_AS_H */
