/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VQ_H
#define CVQSIM_VQ_H

/*
 * The device side of a split virtqueue.
 *
 * Rings and buffers are reached only through the address space of the
 * queue's group (cvqsim_as.h). Everything read from shared memory is
 * validated: avail index jumps, descriptor indices, chain length and loops,
 * indirect tables, lengths and address translation. The first violation
 * marks the queue broken (it is then never touched again until it is set up
 * anew) and is reported with a negative errno and a reason string; the
 * caller stops the device and logs once.
 *
 * Pure C: no EAL, no vhost. One thread owns a queue at a time.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <linux/virtio_ring.h>

#include "cvqsim_as.h"

/* Largest queue the device accepts (the split-ring maximum). */
#define CVQSIM_VQ_MAX_SIZE	32768
/*
 * Most iovecs one chain may produce. A longer chain is treated as a broken
 * ring: no virtio-net request or frame legitimately needs more.
 */
#define CVQSIM_CHAIN_MAX_IOV	256

/* One request popped from the avail ring, translated to host memory. */
struct cvqsim_chain {
	uint16_t head;		/* id to hand back in the used ring */
	uint16_t nr_out;	/* device-readable iovecs: iov[0 .. nr_out) */
	uint16_t nr_in;		/* device-writable iovecs follow them */
	uint32_t out_len;	/* total bytes readable */
	uint32_t in_len;	/* total bytes writable */
	struct iovec iov[CVQSIM_CHAIN_MAX_IOV];
};

static inline struct iovec *
cvqsim_chain_in_iov(struct cvqsim_chain *c)
{
	return &c->iov[c->nr_out];
}

struct cvqsim_vq_stats {
	uint64_t chains;	/* chains popped */
	uint64_t packets;	/* frames (data queues) or commands (CVQ) */
	uint64_t bytes;
	uint64_t drops;		/* frames dropped (no buffer, filter, ...) */
	uint64_t errors;	/* ring violations */
	uint64_t kicks;		/* kick eventfd reads */
	uint64_t notifies;	/* call eventfd writes */
	uint64_t notifies_suppressed;
	uint64_t notify_errors;	/* call fd writes that failed (EPIPE, EBADF) */
};

struct cvqsim_vq {
	/* Ring, resolved through the group's AS at setup. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint16_t size;
	uint16_t last_avail_idx;	/* next avail entry to pop */
	uint16_t used_idx;		/* shadow of used->idx, published by flush */
	uint16_t signalled_used;	/* used_idx at the last notification */
	bool signalled_used_valid;
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool ready;			/* set up and enabled */
	bool broken;			/* a ring violation was seen */
	uint16_t index;			/* virtqueue index in the device */
	uint32_t group;			/* CVQSIM_GROUP_* */
	const struct cvqsim_as *as;	/* AS of the group */
	int kickfd;			/* -1 when none */
	int callfd;			/* -1 when none */
	const char *error;		/* reason of the first violation */
	struct cvqsim_vq_stats stats;

	/* Private to cvqsim_vq.c. */
	uint16_t avail_idx_shadow;	/* avail->idx as last read */
	uint64_t desc_iova;		/* ring IOVAs, re-translated when */
	uint64_t avail_iova;		/* the AS generation changes */
	uint64_t used_iova;
	uint64_t ring_gen;		/* as->generation the rings match */
	/*
	 * Last mapping a buffer hit: most buffers of a queue share it.
	 * Emptied whenever the rings are resolved, i.e. on every AS change.
	 */
	uint64_t tlb_iova;
	uint64_t tlb_size;		/* 0: empty */
	uint64_t tlb_hva;
	uint32_t tlb_perm;
	char error_buf[128];		/* vq->error points here */
};

/* A zeroed, not ready queue with no fds. */
void cvqsim_vq_init(struct cvqsim_vq *vq, uint16_t index, uint32_t group);

/*
 * Attach a queue to its rings. The ring addresses are IOVAs in as; each ring
 * must be mapped whole with the right permission (desc and avail readable,
 * used writable) and suitably aligned. size must be a power of two in
 * 1..CVQSIM_VQ_MAX_SIZE. last_avail_idx and used_idx resume a queue where a
 * previous connection left it.
 * Returns 0, or -EINVAL / -EFAULT with vq->error set and the queue not ready.
 */
int cvqsim_vq_setup(struct cvqsim_vq *vq, const struct cvqsim_as *as,
		uint64_t desc_iova, uint64_t avail_iova, uint64_t used_iova,
		uint16_t size, uint16_t last_avail_idx, uint16_t used_idx,
		bool event_idx, bool indirect);

/* Detach the rings; the indices stay readable for GET_VRING_BASE. */
void cvqsim_vq_teardown(struct cvqsim_vq *vq);

/*
 * Entries the driver has made available and the device has not popped yet.
 * Returns the count, or -EIO (queue broken) when the avail index moved by
 * more than the ring size.
 */
int cvqsim_vq_avail_count(struct cvqsim_vq *vq);

/*
 * Pop the next available chain into c, translating every descriptor through
 * the queue's AS (indirect tables included).
 * Returns 1 when a chain was popped, 0 when the ring is empty or the queue
 * not set up, or a negative errno when the ring is malformed (the queue is
 * then broken, vq->error says why, stats.errors is incremented):
 *   -EIO    bad structure: avail index jump, head or next index out of
 *           range, loop, bad indirect descriptor or table, readable after
 *           writable, total length above UINT32_MAX, more than
 *           CVQSIM_CHAIN_MAX_IOV iovecs; also every call once broken;
 *   -EFAULT a buffer, indirect table or (after an AS change) ring not
 *           mapped with the access the device needs.
 * A failed pop consumes nothing (last_avail_idx is unchanged).
 */
int cvqsim_vq_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c);

/*
 * Give back the last n popped chains unused (e.g. not enough RX buffers).
 * n must not exceed the chains popped since they were last given back.
 */
void cvqsim_vq_unpop(struct cvqsim_vq *vq, uint16_t n);

/*
 * Write a used element (head, len) in the used ring. It becomes visible to
 * the driver at the next cvqsim_vq_flush().
 */
void cvqsim_vq_push(struct cvqsim_vq *vq, uint16_t head, uint32_t len);

/* Publish the pushed used elements (release barrier, then used->idx). */
void cvqsim_vq_flush(struct cvqsim_vq *vq);

/*
 * Whether the driver wants an interrupt for what was flushed since the last
 * notification: VRING_AVAIL_F_NO_INTERRUPT, or used_event with EVENT_IDX.
 * Records used_idx as signalled (as vhost does), so call it once per flush
 * and signal when it says so; cvqsim_vq_notify() does both.
 */
bool cvqsim_vq_need_notify(struct cvqsim_vq *vq);

/* Signal the call eventfd if cvqsim_vq_need_notify(); counts either way. */
void cvqsim_vq_notify(struct cvqsim_vq *vq);

/*
 * With EVENT_IDX, publish avail_event = last_avail_idx so the driver kicks
 * on its next buffer; otherwise toggle VRING_USED_F_NO_NOTIFY. Used by the
 * adaptive poller before it sleeps on the kick eventfd.
 */
void cvqsim_vq_enable_kick(struct cvqsim_vq *vq, bool enable);

/* Read the kick eventfd if one is set and count it. Non-blocking. */
void cvqsim_vq_drain_kick(struct cvqsim_vq *vq);

/*
 * Burst operations: the datapath's fast path. The common chains (a frame
 * in one descriptor, or a header and a frame in two; a receive buffer in
 * one or two) cost a few loads and compares each instead of the general
 * walk, and a burst reads the avail index once and publishes its used
 * entries with one index store (cvqsim_vq_flush).
 */

/* Most iovecs of a chain popped by cvqsim_vq_pop_burst(). */
#define CVQSIM_SMALL_CHAIN_IOV	2

/* A chain of one or two direct descriptors, each inside one mapping. */
struct cvqsim_small_chain {
	uint16_t head;		/* id to hand back in the used ring */
	uint16_t nr_out;	/* device-readable iovecs: iov[0 .. nr_out) */
	uint16_t nr_in;		/* device-writable iovecs follow them */
	uint32_t out_len;	/* total bytes readable */
	uint32_t in_len;	/* total bytes writable */
	struct iovec iov[CVQSIM_SMALL_CHAIN_IOV];
};

/*
 * Pop up to max chains made of one or two direct descriptors that are not
 * empty, readable ones first, each buffer inside one mapping of the
 * queue's AS with the access the device needs. The avail index is read at
 * most once per call, when fewer than max entries are known to be
 * available, and the descriptors of the burst are prefetched before they
 * are walked.
 *
 * Stops before the first chain that is anything else (longer, indirect,
 * an empty or straddling buffer, or any violation in it) and leaves it to
 * cvqsim_vq_pop(), which pops it or reports the violation as it does for
 * every chain: the two paths reject exactly the same rings. Known entries
 * left after a burst (cvqsim_vq_known_avail) mean such a chain is next.
 * Returns the chains popped (0: empty, not ready, or the next chain is for
 * cvqsim_vq_pop()), or -EIO when the avail index moved beyond the ring
 * while no entry was known (the queue is broken, as cvqsim_vq_pop() would
 * have found it).
 */
int cvqsim_vq_pop_burst(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		unsigned int max);

/* Whether entries seen available have not been popped yet. */
static inline bool
cvqsim_vq_known_avail(const struct cvqsim_vq *vq)
{
	return vq->avail_idx_shadow != vq->last_avail_idx;
}

/*
 * Write n used elements (heads[i], lens[i]; every len 0 when lens is NULL)
 * in the used ring; visible at the next cvqsim_vq_flush().
 */
void cvqsim_vq_push_burst(struct cvqsim_vq *vq, const uint16_t *heads,
		const uint32_t *lens, unsigned int n);

#endif /* CVQSIM_VQ_H */
