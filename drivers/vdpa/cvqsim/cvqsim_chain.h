/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_CHAIN_H
#define CVQSIM_CHAIN_H

/*
 * The bottom of the ring engine: the state of a device-side virtqueue
 * (struct cvqsim_vq), the chains it hands out, and what both ring layouts
 * share to build them (cvqsim_chain.c): buffer translation through the
 * queue's AS with a one-entry TLB, readable-before-writable and length
 * checks, indirect tables, and how a violation breaks the queue.
 *
 * The ring engine's calls go one way: the interface (cvqsim_vq.c) ->
 * the layouts (cvqsim_vq_split.c, cvqsim_vq_packed.c) -> this file. Users
 * of the engine include cvqsim_vq.h, which includes this header.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "cvqsim_as.h"

/* Largest queue the device accepts (both layouts' maximum). */
#define CVQSIM_VQ_MAX_SIZE	32768
/*
 * Packed rings: the vring base (GET/SET_VRING_BASE, rte_vhost_*_vring_base)
 * carries the ring position in bits 0-14 and its wrap counter in bit 15.
 */
#define CVQSIM_VQ_WRAP_BIT	(1u << 15)
/* Most chains cvqsim_vq_unpop() can give back at once. */
#define CVQSIM_VQ_UNPOP_MAX	64
/*
 * Most iovecs one chain may produce. A longer chain is treated as a broken
 * ring: no virtio-net request or frame legitimately needs more.
 */
#define CVQSIM_CHAIN_MAX_IOV	256

/* One request popped from the avail ring, translated to host memory. */
struct cvqsim_chain {
	uint16_t head;		/* id to hand back (split: head index,
				 * packed: buffer id) */
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

/* Per buffer id of a packed ring, while the device holds the buffer. */
struct cvqsim_vq_inflight {
	uint16_t ndesc;		/* ring descriptors it took; 0: not held */
	uint32_t in_len;	/* bytes writable: the most a used length says */
};

struct cvqsim_vq {
	/*
	 * The three areas, resolved through the group's AS at setup: the
	 * split ring's descriptor table, avail and used rings, or the packed
	 * ring's descriptor ring, driver and device event suppression.
	 */
	union {
		struct {
			struct vring_desc *desc;
			struct vring_avail *avail;
			struct vring_used *used;
		};
		struct {
			struct vring_packed_desc *desc_packed;
			struct vring_packed_desc_event *driver_event;
			struct vring_packed_desc_event *device_event;
		};
	};
	uint16_t size;
	/*
	 * Split: free-running indices. Packed: positions in 0..size-1, with
	 * their wrap counters in avail_wrap and used_wrap.
	 */
	uint16_t last_avail_idx;	/* next avail entry to pop */
	uint16_t used_idx;		/* next used entry to write */
	uint16_t signalled_used;	/* used_idx at the last notification */
	bool signalled_used_valid;
	bool packed;			/* VIRTIO_F_RING_PACKED negotiated */
	bool avail_wrap;		/* packed: driver ring wrap counter */
	bool used_wrap;			/* packed: device ring wrap counter */
	bool signalled_wrap;		/* packed: used_wrap at signalled_used */
	bool event_idx;			/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;			/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	bool in_order;			/* VIRTIO_F_IN_ORDER negotiated */
	bool ready;			/* set up and enabled */
	bool broken;			/* a ring violation was seen */
	uint16_t index;			/* virtqueue index in the device */
	uint32_t group;			/* CVQSIM_GROUP_* */
	const struct cvqsim_as *as;	/* AS of the group */
	int kickfd;			/* -1 when none */
	int callfd;			/* -1 when none */
	const char *error;		/* reason of the first violation */
	struct cvqsim_vq_stats stats;

	/* Private to cvqsim_vq*.c. */
	uint16_t avail_idx_shadow;	/* split: avail->idx as last read */
	uint64_t desc_iova;		/* ring IOVAs, re-translated when */
	uint64_t avail_iova;		/* the AS generation changes */
	uint64_t used_iova;		/* (packed: driver, device areas) */
	/* Packed: buffers held, by id (size entries, malloc'ed at setup). */
	struct cvqsim_vq_inflight *inflight;
	/* Packed: ids of the last pops, for cvqsim_vq_unpop(). */
	uint16_t popped_ids[CVQSIM_VQ_UNPOP_MAX];
	uint16_t popped_top;		/* where the next pop's id goes */
	uint16_t nr_popped;		/* ids of popped_ids still valid */
	/* Packed: flags of the next avail descriptor, for cvqsim_vq_peek(). */
	const uint16_t *peek_flags;
	/* Packed: the first used entry not yet published by flush. */
	uint16_t flush_idx;
	uint16_t flush_flags;
	uint16_t nr_unflushed;
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
/* What a flush writes in the driver's memory (cvqsim_vq_unflushed()). */
struct cvqsim_vq_written {
	struct iovec entries[2];
	unsigned int nr;
	struct iovec publish;
};

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
 * The fields cvqsim_vq_peek() reads without poll_lock (ready, avail, as,
 * ring_gen, last_avail_idx, packed, avail_wrap, peek_flags) are stored
 * with relaxed atomics wherever they are set outside the pop/push of the
 * poll thread itself: the peek must read a value, not race with a plain
 * store (C11, ThreadSanitizer). Ordering comes from poll_lock and
 * cvqsim_poller_sync().
 */
#define CVQSIM_VQ_SET_PEEKED(field, value) \
	__atomic_store_n(&(field), (value), __ATOMIC_RELAXED)

/* Break the queue: record why, count the error, return err. */
int cvqsim_vq_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold));
/* Refuse a setup: the queue stays not ready, no ring error is counted. */
int cvqsim_vq_setup_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4), cold));

/* Walk state of one chain, across ring descriptors and an indirect table. */
struct cvqsim_vq_walk {
	bool in_indirect;
	bool seen_writable;
	uint64_t total;		/* bytes so far, readable and writable */
};

/* One descriptor as the device reads it, whatever the layout. */
struct cvqsim_vq_buf {
	uint64_t addr;
	uint32_t len;
	bool writable;
	uint32_t index;		/* descriptor index or position, for errors */
};

/* Start a chain: c empty, head recorded. */
void cvqsim_vq_chain_start(struct cvqsim_vq_walk *w, struct cvqsim_chain *c,
		uint16_t head);

/*
 * Translate one buffer into c's iovecs: readable ones before writable ones,
 * 4 GiB per chain at most, CVQSIM_CHAIN_MAX_IOV iovecs. Breaks the queue
 * and returns -EIO / -EFAULT on a violation.
 */
int cvqsim_vq_add_buf(struct cvqsim_vq *vq, struct cvqsim_vq_walk *w,
		struct cvqsim_chain *c, const struct cvqsim_vq_buf *b);

/*
 * Map an indirect table of len bytes at addr whose entries are entry_size
 * bytes, named by descriptor i: INDIRECT_DESC negotiated, not nested, a
 * non-zero multiple of entry_size, at most CVQSIM_VQ_MAX_SIZE entries,
 * inside one readable mapping. Returns the table and sets *entries, or NULL
 * with the queue broken and *err set.
 */
const void *cvqsim_vq_map_indirect(struct cvqsim_vq *vq,
		struct cvqsim_vq_walk *w, uint64_t addr, uint32_t len,
		uint32_t entry_size, uint32_t i, uint32_t *entries, int *err);

#endif /* CVQSIM_CHAIN_H */
