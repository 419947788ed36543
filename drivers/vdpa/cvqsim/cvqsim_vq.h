/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VQ_H
#define CVQSIM_VQ_H

/*
 * The device side of a virtqueue: one interface above the split ring
 * (cvqsim_vq_split.c, virtio 1.x "Split Virtqueues") and the packed ring
 * (cvqsim_vq_packed.c, "Packed Virtqueues"). The layout is chosen at setup
 * from the negotiated features (VIRTIO_F_RING_PACKED); the datapath and the
 * control queue pop, push, flush and notify without knowing which it is.
 *
 * Rings and buffers are reached only through the address space of the
 * queue's group (cvqsim_as.h). Everything read from shared memory is
 * validated: avail index jumps or descriptors not marked available, buffer
 * ids, descriptor indices, chain length and loops, indirect tables, lengths
 * and address translation. The first violation marks the queue broken (it
 * is then never touched again until it is set up anew) and is reported with
 * a negative errno and a reason string; the caller stops the device and
 * logs once.
 *
 * Pure C: no EAL, no vhost. One thread owns a queue at a time, except
 * cvqsim_vq_peek() which only reads.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include "cvqsim_as.h"
#include "cvqsim_chain.h"

/* A zeroed, not ready queue with no fds. */
void cvqsim_vq_init(struct cvqsim_vq *vq, uint16_t index, uint32_t group);

/*
 * Attach a queue to its rings. The ring addresses are IOVAs in as: the
 * descriptor area, the driver area (split: avail ring; packed: driver event
 * suppression) and the device area (split: used ring; packed: device event
 * suppression). Each must be mapped whole with the right permission (the
 * used ring and the packed descriptor ring writable, the rest readable)
 * and aligned as the spec says. features are the negotiated ones: they
 * choose the layout (VIRTIO_F_RING_PACKED), VIRTIO_RING_F_EVENT_IDX and
 * VIRTIO_RING_F_INDIRECT_DESC. size is a power of two in
 * 1..CVQSIM_VQ_MAX_SIZE for a split ring, any value in that range for a
 * packed one. last_avail and last_used resume a queue where a previous
 * connection left it: the vring base, with the wrap counter in bit 15 for
 * packed rings (CVQSIM_VQ_WRAP_BIT; a fresh packed ring starts at 0x8000).
 * Returns 0, or -EINVAL / -EFAULT / -ENOMEM with vq->error set and the queue
 * not ready.
 */
int cvqsim_vq_setup(struct cvqsim_vq *vq, const struct cvqsim_as *as,
		uint64_t desc_iova, uint64_t driver_iova, uint64_t device_iova,
		uint16_t size, uint16_t last_avail, uint16_t last_used,
		uint64_t features);

/* Detach the rings; the indices stay readable for GET_VRING_BASE. */
void cvqsim_vq_teardown(struct cvqsim_vq *vq);

/*
 * The vring base to hand back (rte_vhost_set_vring_base): the next avail
 * and used positions, with the wrap counters in bit 15 for packed rings.
 */
void cvqsim_vq_get_base(const struct cvqsim_vq *vq, uint16_t *last_avail,
		uint16_t *last_used);

/*
 * Entries the driver has made available and the device has not popped yet.
 * A split ring counts them from avail->idx; a packed ring has no index to
 * count from and says 1 when the next descriptor is available, else 0.
 * Returns the count, or -EIO (queue broken) when the avail index moved by
 * more than the ring size.
 */
int cvqsim_vq_avail_count(struct cvqsim_vq *vq);

/*
 * Whether the queue may have work, read without owning the queue (another
 * thread may be setting it up or tearing it down): a ready queue whose next
 * avail entry is there, or whose rings must be resolved again after an AS
 * change. Only a hint: the owner pops under its lock. The memory it reads
 * stays mapped while the caller is inside the device (cvqsim_dp_sync).
 */
bool cvqsim_vq_peek(const struct cvqsim_vq *vq);

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
 * They must be the last chains popped, none of them pushed, and n at most
 * CVQSIM_VQ_UNPOP_MAX.
 */
void cvqsim_vq_unpop(struct cvqsim_vq *vq, uint16_t n);

/*
 * Complete the chain popped as head (cvqsim_chain.head: the split ring's
 * head index, the packed ring's buffer id) with len bytes written to its
 * writable buffers. Chains may complete in any order. It becomes visible to
 * the driver at the next cvqsim_vq_flush(). A packed ring writes the used
 * descriptor with VRING_DESC_F_WRITE when len > 0, never says more than
 * the chain could hold, and ignores an id it does not hold (a device bug,
 * counted in stats.errors).
 */
void cvqsim_vq_push(struct cvqsim_vq *vq, uint16_t head, uint32_t len);

/*
 * Publish the pushed used elements: a release barrier, then used->idx
 * (split) or the flags of the first used descriptor (packed: the others'
 * flags were written at push time, so the driver sees the batch at once).
 */
void cvqsim_vq_flush(struct cvqsim_vq *vq);

/*
 * Whether the driver wants an interrupt for what was flushed since the last
 * notification: VRING_AVAIL_F_NO_INTERRUPT or used_event with EVENT_IDX
 * (split); the driver event suppression flags, and off_wrap with
 * EVENT_IDX (packed).
 * Records used_idx as signalled (as vhost does), so call it once per flush
 * and signal when it says so; cvqsim_vq_notify() does both.
 */
bool cvqsim_vq_need_notify(struct cvqsim_vq *vq);

/*
 * Where the device writes in the driver's memory, for dirty-page logging
 * (host addresses; the caller maps them back to guest addresses).
 * entries: the used entries the next cvqsim_vq_flush() publishes (split:
 * used->ring from used->idx on; packed: the descriptors from the first
 * unpublished used one to the next used position), in at most two pieces
 * as the ring wraps; publish: the word whose store publishes them (split:
 * used->idx; packed: that first descriptor's flags), to log again once
 * flushed. Empty (nr 0, publish.iov_len 0) when nothing is pending.
 */
void cvqsim_vq_unflushed(const struct cvqsim_vq *vq, struct cvqsim_vq_written *w);

/*
 * The notification fields the device writes (split: used->flags and
 * avail_event; packed: the device event suppression area). Returns how
 * many of r[0..1] it filled.
 */
unsigned int cvqsim_vq_device_fields(const struct cvqsim_vq *vq,
		struct iovec r[2]);

/* Signal the call eventfd if cvqsim_vq_need_notify(); counts either way. */
void cvqsim_vq_notify(struct cvqsim_vq *vq);

/*
 * With EVENT_IDX, publish avail_event = last_avail_idx (split) or a
 * descriptor event at the next avail position (packed) so the driver kicks
 * on its next buffer; otherwise toggle VRING_USED_F_NO_NOTIFY (split) or
 * the device event suppression flags (packed). Used by the adaptive poller
 * before it sleeps on the kick eventfd.
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
 * A packed ring has no burst pop: it pops none and every chain goes
 * through cvqsim_vq_pop() (cvqsim_vq_known_avail says when one is there).
 * Returns the chains popped (0: empty, not ready, or the next chain is for
 * cvqsim_vq_pop()), or -EIO when the avail index moved beyond the ring
 * while no entry was known (the queue is broken, as cvqsim_vq_pop() would
 * have found it).
 */
int cvqsim_vq_pop_burst(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		unsigned int max);

/*
 * Whether entries seen available have not been popped yet (a packed ring
 * has no index to know from: whether its next descriptor is available).
 */
static inline bool
cvqsim_vq_known_avail(const struct cvqsim_vq *vq)
{
	if (vq->packed)
		return cvqsim_vq_peek(vq);
	return vq->avail_idx_shadow != vq->last_avail_idx;
}

/*
 * Write n used elements (heads[i], lens[i]; every len 0 when lens is NULL)
 * in the used ring; visible at the next cvqsim_vq_flush(). With
 * VIRTIO_F_IN_ORDER on a split ring and no lengths (a transmit queue) the
 * batch is one used element, the last head's, and the index covers all n
 * (virtio 1.4 "In-order use of descriptors"): the driver knows the others
 * from the order. Lengths, as a receive queue has, are all written.
 */
void cvqsim_vq_push_burst(struct cvqsim_vq *vq, const uint16_t *heads,
		const uint32_t *lens, unsigned int n);

#endif /* CVQSIM_VQ_H */
