/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The virtqueue interface (cvqsim_vq.h) and what both ring layouts share:
 * the areas' translation through the queue's AS and its re-translation
 * after an AS change, buffer translation with a one-entry TLB, building a
 * chain's iovecs, indirect tables, kick and call eventfds. The layouts live
 * in cvqsim_vq_split.c and cvqsim_vq_packed.c.
 *
 * Errors from shared memory are reported as:
 *   -EIO    the ring is malformed (see each layout), and every call on a
 *           queue that is already broken;
 *   -EFAULT a ring, buffer or indirect table is not mapped in the AS with
 *           the access the device needs;
 *   -EINVAL bad arguments to cvqsim_vq_setup().
 * The first error marks the queue broken; vq->error says what was wrong.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "cvqsim_vq.h"
#include "cvqsim_vq_layout.h"

void
cvqsim_vq_init(struct cvqsim_vq *vq, uint16_t index, uint32_t group)
{
	memset(vq, 0, sizeof(*vq));
	vq->index = index;
	vq->group = group;
	vq->kickfd = -1;
	vq->callfd = -1;
}

/*
 * (Re)translate the three areas. Returns 0, or -EFAULT/-EINVAL with the
 * reason in vq->error_buf (not yet published in vq->error).
 */
static int
vq_map_rings(struct cvqsim_vq *vq)
{
	static const struct {
		const char *name[2];	/* split, packed */
		uint32_t perm[2];
	} area[3] = {
		{ { "descriptor table", "descriptor ring" },
		  { CVQSIM_PERM_RO, CVQSIM_PERM_RW } },
		{ { "avail ring", "driver event suppression" },
		  { CVQSIM_PERM_RO, CVQSIM_PERM_RO } },
		{ { "used ring", "device event suppression" },
		  { CVQSIM_PERM_WO, CVQSIM_PERM_WO } },
	};
	const uint64_t iova[3] = { vq->desc_iova, vq->avail_iova, vq->used_iova };
	const unsigned int l = vq->packed;
	uint64_t len[3], align[3];
	void *p[3];
	int i;

	if (vq->packed)
		cvqsim_vq_packed_areas(vq->size, len, align);
	else
		cvqsim_vq_split_areas(vq->size, len, align);
	for (i = 0; i < 3; i++) {
		if (iova[i] % align[i] != 0) {
			snprintf(vq->error_buf, sizeof(vq->error_buf),
				"%s iova 0x%" PRIx64 " not %" PRIu64 "-byte aligned",
				area[i].name[l], iova[i], align[i]);
			return -EINVAL;
		}
		p[i] = cvqsim_as_translate(vq->as, iova[i], len[i],
			area[i].perm[l]);
		if (p[i] == NULL) {
			snprintf(vq->error_buf, sizeof(vq->error_buf),
				"%s [0x%" PRIx64 ", +%" PRIu64 ") not mapped %s in AS %u",
				area[i].name[l], iova[i], len[i],
				cvqsim_as_perm_name(area[i].perm[l]), vq->as->asid);
			return -EFAULT;
		}
		/* The ring indices and flags are accessed atomically. */
		if ((uintptr_t)p[i] % align[i] != 0) {
			snprintf(vq->error_buf, sizeof(vq->error_buf),
				"%s host address %p not %" PRIu64 "-byte aligned",
				area[i].name[l], p[i], align[i]);
			return -EINVAL;
		}
	}
	vq->desc = p[0];
	CVQSIM_VQ_SET_PEEKED(vq->avail, p[1]);
	vq->used = p[2];
	CVQSIM_VQ_SET_PEEKED(vq->ring_gen, vq->as->generation);
	vq->tlb_size = 0;
	return 0;
}

static void
vq_unmap_rings(struct cvqsim_vq *vq)
{
	vq->desc = NULL;
	CVQSIM_VQ_SET_PEEKED(vq->avail, NULL);
	vq->used = NULL;
	vq->tlb_size = 0;
}

int
cvqsim_vq_setup(struct cvqsim_vq *vq, const struct cvqsim_as *as,
		uint64_t desc_iova, uint64_t driver_iova, uint64_t device_iova,
		uint16_t size, uint16_t last_avail, uint16_t last_used,
		uint64_t features)
{
	bool packed = features & (1ULL << VIRTIO_F_RING_PACKED);
	int ret;

	CVQSIM_VQ_SET_PEEKED(vq->ready, false);
	vq->broken = false;
	vq->error = NULL;
	vq_unmap_rings(vq);
	cvqsim_vq_packed_stop(vq);

	/* uint16_t caps size at 32768 for a power of two. */
	if (!packed && (size == 0 || (size & (size - 1)) != 0))
		return cvqsim_vq_setup_fail(vq, -EINVAL,
			"queue size %u not a power of two in 1..%u",
			size, CVQSIM_VQ_MAX_SIZE);
	if (packed && (size == 0 || size > CVQSIM_VQ_MAX_SIZE))
		return cvqsim_vq_setup_fail(vq, -EINVAL,
			"packed queue size %u not in 1..%u",
			size, CVQSIM_VQ_MAX_SIZE);
	if (as == NULL)
		return cvqsim_vq_setup_fail(vq, -EINVAL, "no address space");

	CVQSIM_VQ_SET_PEEKED(vq->as, as);
	vq->size = size;
	CVQSIM_VQ_SET_PEEKED(vq->packed, packed);
	vq->desc_iova = desc_iova;
	vq->avail_iova = driver_iova;
	vq->used_iova = device_iova;
	ret = vq_map_rings(vq);
	if (ret < 0) {
		vq->error = vq->error_buf;
		return ret;
	}
	vq->event_idx = features & (1ULL << VIRTIO_RING_F_EVENT_IDX);
	vq->indirect = features & (1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	vq->in_order = features & (1ULL << VIRTIO_F_IN_ORDER);
	vq->signalled_used_valid = false;
	ret = packed ? cvqsim_vq_packed_start(vq, last_avail, last_used) :
		cvqsim_vq_split_start(vq, last_avail, last_used);
	if (ret < 0) {
		vq_unmap_rings(vq);
		return ret;
	}
	CVQSIM_VQ_SET_PEEKED(vq->ready, true);
	return 0;
}

void
cvqsim_vq_teardown(struct cvqsim_vq *vq)
{
	CVQSIM_VQ_SET_PEEKED(vq->ready, false);
	vq_unmap_rings(vq);
	cvqsim_vq_packed_stop(vq);
}

void
cvqsim_vq_get_base(const struct cvqsim_vq *vq, uint16_t *last_avail,
		uint16_t *last_used)
{
	if (vq->packed)
		cvqsim_vq_packed_get_base(vq, last_avail, last_used);
	else
		cvqsim_vq_split_get_base(vq, last_avail, last_used);
}

/*
 * The rings were resolved for an older AS: resolve them again, or break the
 * queue if the AS no longer maps them. Cheap enough to check on every call.
 */
static inline int
vq_check_rings(struct cvqsim_vq *vq)
{
	char reason[sizeof(vq->error_buf)];

	if (likely(vq->ring_gen == vq->as->generation))
		return 0;
	if (vq_map_rings(vq) == 0)
		return 0;
	memcpy(reason, vq->error_buf, sizeof(reason));
	vq_unmap_rings(vq);
	return cvqsim_vq_fail(vq, -EFAULT, "after an AS change: %s", reason);
}

/* Whether the rings may be touched at all. */
static inline bool
vq_usable(struct cvqsim_vq *vq)
{
	return vq->ready && !vq->broken && vq_check_rings(vq) == 0;
}

int
cvqsim_vq_avail_count(struct cvqsim_vq *vq)
{
	if (vq->broken)
		return -EIO;
	if (!vq->ready)
		return 0;
	if (vq_check_rings(vq) < 0)
		return -EIO;
	return vq->packed ? cvqsim_vq_packed_avail_count(vq) :
		cvqsim_vq_split_avail_count(vq);
}

bool
cvqsim_vq_peek(const struct cvqsim_vq *vq)
{
	const struct cvqsim_as *as;

	if (!__atomic_load_n(&vq->ready, __ATOMIC_RELAXED))
		return false;
	as = __atomic_load_n(&vq->as, __ATOMIC_RELAXED);
	if (as == NULL || __atomic_load_n(&vq->avail, __ATOMIC_RELAXED) == NULL)
		return false;
	if (__atomic_load_n(&vq->ring_gen, __ATOMIC_RELAXED) !=
			__atomic_load_n(&as->generation, __ATOMIC_RELAXED))
		return true;
	return __atomic_load_n(&vq->packed, __ATOMIC_RELAXED) ?
		cvqsim_vq_packed_peek(vq) : cvqsim_vq_split_peek(vq);
}

int
cvqsim_vq_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c)
{
	if (unlikely(vq->broken))
		return -EIO;
	if (unlikely(!vq->ready))
		return 0;
	if (unlikely(vq_check_rings(vq) < 0))
		return -EFAULT;
	return vq->packed ? cvqsim_vq_packed_pop(vq, c) :
		cvqsim_vq_split_pop(vq, c);
}

void
cvqsim_vq_unpop(struct cvqsim_vq *vq, uint16_t n)
{
	if (vq->packed)
		cvqsim_vq_packed_unpop(vq, n);
	else
		cvqsim_vq_split_unpop(vq, n);
	vq->stats.chains -= n < vq->stats.chains ? n : vq->stats.chains;
}

void
cvqsim_vq_push(struct cvqsim_vq *vq, uint16_t head, uint32_t len)
{
	if (unlikely(!vq_usable(vq)))
		return;
	if (vq->packed)
		cvqsim_vq_packed_push(vq, head, len);
	else
		cvqsim_vq_split_push(vq, head, len);
}

void
cvqsim_vq_flush(struct cvqsim_vq *vq)
{
	if (unlikely(!vq_usable(vq)))
		return;
	if (vq->packed)
		cvqsim_vq_packed_flush(vq);
	else
		cvqsim_vq_split_flush(vq);
}

bool
cvqsim_vq_need_notify(struct cvqsim_vq *vq)
{
	if (unlikely(!vq_usable(vq)))
		return false;
	/*
	 * Full fence: the used index or flags store must be globally visible
	 * before the driver's suppression fields are read, or both sides may
	 * conclude the other will act and the interrupt is lost.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return vq->packed ? cvqsim_vq_packed_need_notify(vq) :
		cvqsim_vq_split_need_notify(vq);
}

void
cvqsim_vq_unflushed(const struct cvqsim_vq *vq, struct cvqsim_vq_written *w)
{
	memset(w, 0, sizeof(*w));
	if (!vq->ready || vq->broken || vq->used == NULL)
		return;
	if (vq->packed)
		cvqsim_vq_packed_unflushed(vq, w);
	else
		cvqsim_vq_split_unflushed(vq, w);
}

unsigned int
cvqsim_vq_device_fields(const struct cvqsim_vq *vq, struct iovec r[2])
{
	if (!vq->ready || vq->broken || vq->used == NULL)
		return 0;
	return vq->packed ? cvqsim_vq_packed_device_fields(vq, r) :
		cvqsim_vq_split_device_fields(vq, r);
}

void
cvqsim_vq_notify(struct cvqsim_vq *vq)
{
	if (!cvqsim_vq_need_notify(vq)) {
		vq->stats.notifies_suppressed++;
		return;
	}
	if (vq->callfd < 0)
		return;
	/* A call fd that is a pipe without a reader: EPIPE (SIGPIPE blocked). */
	if (eventfd_write(vq->callfd, 1) == 0)
		vq->stats.notifies++;
	else
		vq->stats.notify_errors++;
}

void
cvqsim_vq_enable_kick(struct cvqsim_vq *vq, bool enable)
{
	if (unlikely(!vq_usable(vq)))
		return;
	if (vq->packed)
		cvqsim_vq_packed_enable_kick(vq, enable);
	else
		cvqsim_vq_split_enable_kick(vq, enable);
	/*
	 * The caller re-checks the ring next: that load must not pass the
	 * store above, or a buffer added in between is never kicked.
	 */
	if (enable)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
cvqsim_vq_drain_kick(struct cvqsim_vq *vq)
{
	eventfd_t v;

	if (vq->kickfd >= 0 && read(vq->kickfd, &v, sizeof(v)) == sizeof(v))
		vq->stats.kicks++;
}

/* Burst operations (cvqsim_vq.h): the split ring's fast path. */

int
cvqsim_vq_pop_burst(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		unsigned int max)
{
	/* Not ready, broken, or rings to resolve again: the general path. */
	if (unlikely(!vq->ready || vq->broken ||
			vq->ring_gen != vq->as->generation))
		return 0;
	/* A packed ring has no burst pop: every chain takes cvqsim_vq_pop(). */
	if (vq->packed)
		return 0;
	return cvqsim_vq_split_pop_burst(vq, c, max);
}

void
cvqsim_vq_push_burst(struct cvqsim_vq *vq, const uint16_t *heads,
		const uint32_t *lens, unsigned int n)
{
	unsigned int i;

	if (unlikely(!vq_usable(vq)))
		return;
	if (!vq->packed) {
		cvqsim_vq_split_push_burst(vq, heads, lens, n);
		return;
	}
	for (i = 0; i < n; i++)
		cvqsim_vq_packed_push(vq, heads[i], lens != NULL ? lens[i] : 0);
}
