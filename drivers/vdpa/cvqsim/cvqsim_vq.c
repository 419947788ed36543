/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Device side of a split virtqueue (virtio 1.x, section 2.7).
 *
 * Errors from shared memory are reported as:
 *   -EIO    the ring is malformed (avail index jump, index out of range,
 *           loop, bad indirect table, ordering, length overflow, too many
 *           iovecs), and every call on a queue that is already broken;
 *   -EFAULT a ring, buffer or indirect table is not mapped in the AS with
 *           the access the device needs;
 *   -EINVAL bad arguments to cvqsim_vq_setup().
 * The first error marks the queue broken; vq->error says what was wrong.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_prefetch.h>

#include "cvqsim_vq.h"

/*
 * The fields the poller peeks at without poll_lock (cvqsim_poller.c: ready,
 * avail, as, ring_gen, last_avail_idx) are stored with relaxed atomics
 * wherever they are set outside the pop/push of the poll thread itself:
 * the peek must read a value, not race with a plain store (C11,
 * ThreadSanitizer). Ordering comes from poll_lock and cvqsim_poller_sync().
 */
#define VQ_SET_PEEKED(field, value) \
	__atomic_store_n(&(field), (value), __ATOMIC_RELAXED)

#define DESC_SIZE	sizeof(struct vring_desc)
/* An indirect table is at most as long as the largest ring. */
#define INDIRECT_MAX_ENTRIES	32768u

/* Ring sizes including the used_event/avail_event trailers. */
static inline uint64_t
desc_ring_bytes(uint16_t size)
{
	return DESC_SIZE * (uint64_t)size;
}

static inline uint64_t
avail_ring_bytes(uint16_t size)
{
	return 6 + 2 * (uint64_t)size;
}

static inline uint64_t
used_ring_bytes(uint16_t size)
{
	return 6 + 8 * (uint64_t)size;
}

static int __rte_cold __attribute__((format(printf, 3, 4)))
vq_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vq->error_buf, sizeof(vq->error_buf), fmt, ap);
	va_end(ap);
	vq->error = vq->error_buf;
	vq->broken = true;
	vq->stats.errors++;
	return err;
}

/* Setup failures leave the queue not ready but are not ring violations. */
static int __rte_cold __attribute__((format(printf, 3, 4)))
vq_setup_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(vq->error_buf, sizeof(vq->error_buf), fmt, ap);
	va_end(ap);
	vq->error = vq->error_buf;
	VQ_SET_PEEKED(vq->ready, false);
	return err;
}

void
cvqsim_vq_init(struct cvqsim_vq *vq, uint16_t index, uint32_t group)
{
	memset(vq, 0, sizeof(*vq));
	vq->index = index;
	vq->group = group;
	vq->kickfd = -1;
	vq->callfd = -1;
}

static const char *
perm_name(uint32_t perm)
{
	return perm == CVQSIM_PERM_WO ? "writable" : "readable";
}

/* Resolve one ring; NULL when not mapped whole with perm. */
static void *
vq_map_ring(const struct cvqsim_as *as, uint64_t iova, uint64_t len,
		uint32_t perm)
{
	return cvqsim_as_translate(as, iova, len, perm);
}

/*
 * (Re)translate the three rings. Returns 0, or -EFAULT/-EINVAL with the
 * reason in vq->error_buf (not yet published in vq->error).
 */
static int
vq_map_rings(struct cvqsim_vq *vq)
{
	static const struct {
		const char *name;
		uint32_t perm;
		uint64_t align;
	} ring[3] = {
		{ "descriptor table", CVQSIM_PERM_RO, 16 },
		{ "avail ring", CVQSIM_PERM_RO, 2 },
		{ "used ring", CVQSIM_PERM_WO, 4 },
	};
	const uint64_t iova[3] = { vq->desc_iova, vq->avail_iova, vq->used_iova };
	const uint64_t len[3] = {
		desc_ring_bytes(vq->size),
		avail_ring_bytes(vq->size),
		used_ring_bytes(vq->size),
	};
	void *p[3];
	int i;

	for (i = 0; i < 3; i++) {
		if (iova[i] % ring[i].align != 0) {
			snprintf(vq->error_buf, sizeof(vq->error_buf),
				"%s iova 0x%" PRIx64 " not %" PRIu64 "-byte aligned",
				ring[i].name, iova[i], ring[i].align);
			return -EINVAL;
		}
		p[i] = vq_map_ring(vq->as, iova[i], len[i], ring[i].perm);
		if (p[i] == NULL) {
			snprintf(vq->error_buf, sizeof(vq->error_buf),
				"%s [0x%" PRIx64 ", +%" PRIu64 ") not mapped %s in AS %u",
				ring[i].name, iova[i], len[i],
				perm_name(ring[i].perm), vq->as->asid);
			return -EFAULT;
		}
		/* The ring indices are accessed atomically. */
		if ((uintptr_t)p[i] % ring[i].align != 0) {
			snprintf(vq->error_buf, sizeof(vq->error_buf),
				"%s host address %p not %" PRIu64 "-byte aligned",
				ring[i].name, p[i], ring[i].align);
			return -EINVAL;
		}
	}
	vq->desc = p[0];
	VQ_SET_PEEKED(vq->avail, p[1]);
	vq->used = p[2];
	VQ_SET_PEEKED(vq->ring_gen, vq->as->generation);
	vq->tlb_size = 0;
	return 0;
}

int
cvqsim_vq_setup(struct cvqsim_vq *vq, const struct cvqsim_as *as,
		uint64_t desc_iova, uint64_t avail_iova, uint64_t used_iova,
		uint16_t size, uint16_t last_avail_idx, uint16_t used_idx,
		bool event_idx, bool indirect)
{
	int ret;

	VQ_SET_PEEKED(vq->ready, false);
	vq->broken = false;
	vq->error = NULL;
	vq->desc = NULL;
	VQ_SET_PEEKED(vq->avail, NULL);
	vq->used = NULL;
	vq->tlb_size = 0;

	/* uint16_t caps size at 32768 for a power of two. */
	if (size == 0 || (size & (size - 1)) != 0)
		return vq_setup_fail(vq, -EINVAL,
			"queue size %u not a power of two in 1..%u",
			size, CVQSIM_VQ_MAX_SIZE);
	if (as == NULL)
		return vq_setup_fail(vq, -EINVAL, "no address space");

	VQ_SET_PEEKED(vq->as, as);
	vq->size = size;
	vq->desc_iova = desc_iova;
	vq->avail_iova = avail_iova;
	vq->used_iova = used_iova;
	ret = vq_map_rings(vq);
	if (ret < 0) {
		vq->error = vq->error_buf;
		return ret;
	}

	VQ_SET_PEEKED(vq->last_avail_idx, last_avail_idx);
	vq->avail_idx_shadow = last_avail_idx;
	vq->used_idx = used_idx;
	vq->signalled_used = used_idx;
	vq->signalled_used_valid = false;
	vq->event_idx = event_idx;
	vq->indirect = indirect;
	VQ_SET_PEEKED(vq->ready, true);
	return 0;
}

void
cvqsim_vq_teardown(struct cvqsim_vq *vq)
{
	VQ_SET_PEEKED(vq->ready, false);
	vq->desc = NULL;
	VQ_SET_PEEKED(vq->avail, NULL);
	vq->used = NULL;
	vq->tlb_size = 0;
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
	vq->desc = NULL;
	VQ_SET_PEEKED(vq->avail, NULL);
	vq->used = NULL;
	return vq_fail(vq, -EFAULT, "after an AS change: %s", reason);
}

/* Whether the rings may be touched at all. */
static inline bool
vq_usable(struct cvqsim_vq *vq)
{
	return vq->ready && !vq->broken && vq_check_rings(vq) == 0;
}

static inline uint16_t
vq_load_avail_idx(const struct cvqsim_vq *vq)
{
	/* Acquire: ring entries below idx are read only after idx. */
	return rte_le_to_cpu_16(__atomic_load_n(&vq->avail->idx,
		__ATOMIC_ACQUIRE));
}

/* Re-read avail->idx; -EIO when the driver moved it beyond the ring. */
static int
vq_refresh_avail(struct cvqsim_vq *vq)
{
	uint16_t idx = vq_load_avail_idx(vq);
	uint16_t count = (uint16_t)(idx - vq->last_avail_idx);

	if (unlikely(count > vq->size))
		return vq_fail(vq, -EIO,
			"avail index %u is %u entries ahead of %u, beyond ring size %u",
			idx, count, vq->last_avail_idx, vq->size);
	vq->avail_idx_shadow = idx;
	return count;
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
	return vq_refresh_avail(vq);
}

/* One descriptor, read from shared memory exactly once. */
struct desc_copy {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static inline void
read_desc(const struct vring_desc *table, uint32_t i, struct desc_copy *d)
{
	const volatile struct vring_desc *vd = &table[i];

	d->addr = rte_le_to_cpu_64(vd->addr);
	d->len = rte_le_to_cpu_32(vd->len);
	d->flags = rte_le_to_cpu_16(vd->flags);
	d->next = rte_le_to_cpu_16(vd->next);
}

/*
 * Translate one buffer. The last mapping hit usually contains the next
 * buffer too: that case costs a few compares instead of a binary search.
 * Returns iovecs written, -EFAULT or -E2BIG.
 */
static inline int
vq_map_buf(struct cvqsim_vq *vq, uint64_t iova, uint32_t len, uint32_t perm,
		struct iovec *iov, unsigned int max_iov)
{
	const struct cvqsim_as_map *m;
	uint64_t off = iova - vq->tlb_iova;

	/* vq_check_rings() emptied the cache if the AS changed since. */
	if (likely(off < vq->tlb_size && len <= vq->tlb_size - off &&
			(vq->tlb_perm & perm) == perm)) {
		if (unlikely(max_iov == 0))
			return -E2BIG;
		iov->iov_base = (void *)(uintptr_t)(vq->tlb_hva + off);
		iov->iov_len = len;
		return 1;
	}

	m = cvqsim_as_lookup(vq->as, iova);
	if (m == NULL)
		return -EFAULT;
	vq->tlb_iova = m->iova;
	vq->tlb_size = m->size;
	vq->tlb_hva = m->hva;
	vq->tlb_perm = m->perm;
	off = iova - m->iova;
	if (len <= m->size - off && (m->perm & perm) == perm && max_iov > 0) {
		iov->iov_base = (void *)(uintptr_t)(m->hva + off);
		iov->iov_len = len;
		return 1;
	}
	/* Straddling several mappings, or an error to report: the general path. */
	return cvqsim_as_translate_iov(vq->as, iova, len, perm, iov, max_iov);
}

/* Walk state of one chain. */
struct chain_walk {
	const struct vring_desc *table;
	uint32_t table_size;
	bool in_indirect;
	bool seen_writable;
	uint64_t total;
};

static int
vq_enter_indirect(struct cvqsim_vq *vq, struct chain_walk *w,
		const struct desc_copy *d, uint32_t i)
{
	uint32_t entries;

	if (unlikely(!vq->indirect))
		return vq_fail(vq, -EIO,
			"descriptor %u is indirect but VIRTIO_RING_F_INDIRECT_DESC"
			" was not negotiated", i);
	if (unlikely(w->in_indirect))
		return vq_fail(vq, -EIO,
			"indirect descriptor %u inside an indirect table", i);
	if (unlikely(d->flags & VRING_DESC_F_NEXT))
		return vq_fail(vq, -EIO,
			"indirect descriptor %u also has VRING_DESC_F_NEXT", i);
	if (unlikely(d->len == 0 || d->len % DESC_SIZE != 0))
		return vq_fail(vq, -EIO,
			"indirect descriptor %u: table length %u not a non-zero"
			" multiple of %zu", i, d->len, DESC_SIZE);
	entries = d->len / DESC_SIZE;
	if (unlikely(entries > INDIRECT_MAX_ENTRIES))
		return vq_fail(vq, -EIO,
			"indirect descriptor %u: table of %u entries exceeds %u",
			i, entries, INDIRECT_MAX_ENTRIES);
	/*
	 * Like QEMU, the table must be contiguous in one mapping (a guest
	 * allocates it as one physically contiguous block).
	 */
	w->table = cvqsim_as_translate(vq->as, d->addr, d->len, CVQSIM_PERM_RO);
	if (unlikely(w->table == NULL))
		return vq_fail(vq, -EFAULT,
			"indirect descriptor %u: table [0x%" PRIx64 ", +%u) not"
			" inside one readable mapping", i, d->addr, d->len);
	w->table_size = entries;
	w->in_indirect = true;
	return 0;
}

static int
vq_add_buf(struct cvqsim_vq *vq, struct chain_walk *w, struct cvqsim_chain *c,
		const struct desc_copy *d, uint32_t i)
{
	bool writable = d->flags & VRING_DESC_F_WRITE;
	unsigned int used = c->nr_out + c->nr_in;
	uint32_t perm = writable ? CVQSIM_PERM_WO : CVQSIM_PERM_RO;
	int n;

	if (writable)
		w->seen_writable = true;
	else if (unlikely(w->seen_writable))
		return vq_fail(vq, -EIO,
			"readable descriptor %u after a writable one%s", i,
			w->in_indirect ? " (indirect table)" : "");
	w->total += d->len;
	if (unlikely(w->total > UINT32_MAX))
		return vq_fail(vq, -EIO,
			"chain from head %u longer than 4 GiB at descriptor %u",
			c->head, i);
	/* Legal but carries nothing. */
	if (d->len == 0)
		return 0;

	n = vq_map_buf(vq, d->addr, d->len, perm, &c->iov[used],
		CVQSIM_CHAIN_MAX_IOV - used);
	if (unlikely(n == -E2BIG))
		return vq_fail(vq, -EIO,
			"chain from head %u needs more than %u iovecs",
			c->head, CVQSIM_CHAIN_MAX_IOV);
	if (unlikely(n < 0))
		return vq_fail(vq, -EFAULT,
			"descriptor %u%s: buffer [0x%" PRIx64 ", +%u) not mapped %s",
			i, w->in_indirect ? " (indirect table)" : "",
			d->addr, d->len, perm_name(perm));
	if (writable) {
		c->nr_in += n;
		c->in_len += d->len;
	} else {
		c->nr_out += n;
		c->out_len += d->len;
	}
	return 0;
}

int
cvqsim_vq_pop(struct cvqsim_vq *vq, struct cvqsim_chain *c)
{
	struct chain_walk w;
	struct desc_copy d;
	uint32_t i, visited;
	uint16_t slot;
	int ret;

	if (unlikely(vq->broken))
		return -EIO;
	if (unlikely(!vq->ready))
		return 0;
	if (unlikely(vq_check_rings(vq) < 0))
		return -EFAULT;
	if (vq->avail_idx_shadow == vq->last_avail_idx) {
		ret = vq_refresh_avail(vq);
		if (ret <= 0)
			return ret;
	}

	slot = vq->last_avail_idx & (vq->size - 1);
	i = rte_le_to_cpu_16(((const volatile uint16_t *)vq->avail->ring)[slot]);
	if (unlikely(i >= vq->size))
		return vq_fail(vq, -EIO,
			"avail entry %u: head index %u beyond ring size %u",
			vq->last_avail_idx, i, vq->size);

	c->head = (uint16_t)i;
	c->nr_out = 0;
	c->nr_in = 0;
	c->out_len = 0;
	c->in_len = 0;
	w.table = vq->desc;
	w.table_size = vq->size;
	w.in_indirect = false;
	w.seen_writable = false;
	w.total = 0;
	visited = 0;

	for (;;) {
		/* A chain visiting more descriptors than exist loops. */
		if (unlikely(++visited > w.table_size))
			return vq_fail(vq, -EIO,
				"chain from head %u loops or exceeds the %u descriptors"
				" of its %s", c->head, w.table_size,
				w.in_indirect ? "indirect table" : "ring");
		read_desc(w.table, i, &d);
		if (d.flags & VRING_DESC_F_INDIRECT) {
			ret = vq_enter_indirect(vq, &w, &d, i);
			if (ret < 0)
				return ret;
			i = 0;
			visited = 0;
			continue;
		}
		ret = vq_add_buf(vq, &w, c, &d, i);
		if (ret < 0)
			return ret;
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
		if (unlikely(d.next >= w.table_size))
			return vq_fail(vq, -EIO,
				"descriptor %u: next index %u beyond %s size %u",
				i, d.next, w.in_indirect ? "indirect table" : "ring",
				w.table_size);
		i = d.next;
	}

	vq->last_avail_idx++;
	vq->stats.chains++;
	return 1;
}

void
cvqsim_vq_unpop(struct cvqsim_vq *vq, uint16_t n)
{
	vq->last_avail_idx -= n;
	vq->stats.chains -= n < vq->stats.chains ? n : vq->stats.chains;
}

void
cvqsim_vq_push(struct cvqsim_vq *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e;

	if (unlikely(!vq_usable(vq)))
		return;
	e = &vq->used->ring[vq->used_idx & (vq->size - 1)];
	e->id = rte_cpu_to_le_32(head);
	e->len = rte_cpu_to_le_32(len);
	vq->used_idx++;
}

void
cvqsim_vq_flush(struct cvqsim_vq *vq)
{
	if (unlikely(!vq_usable(vq)))
		return;
	/* Release: the elements are visible before the index that covers them. */
	__atomic_store_n(&vq->used->idx, rte_cpu_to_le_16(vq->used_idx),
		__ATOMIC_RELEASE);
}

/* used_event lives after the avail ring entries, avail_event after used's. */
static inline volatile uint16_t *
vq_used_event(const struct cvqsim_vq *vq)
{
	return (volatile uint16_t *)&vq->avail->ring[vq->size];
}

static inline volatile uint16_t *
vq_avail_event(const struct cvqsim_vq *vq)
{
	return (volatile uint16_t *)&vq->used->ring[vq->size];
}

bool
cvqsim_vq_need_notify(struct cvqsim_vq *vq)
{
	uint16_t old, new;
	bool valid;

	if (unlikely(!vq_usable(vq)))
		return false;
	/*
	 * Full fence: the used index store must be globally visible before
	 * the driver's flags or used_event are read, or both sides may
	 * conclude the other will act and the interrupt is lost.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	old = vq->signalled_used;
	new = vq->used_idx;
	valid = vq->signalled_used_valid;
	vq->signalled_used = new;
	vq->signalled_used_valid = true;

	if (vq->event_idx) {
		if (unlikely(!valid))
			return true;
		return vring_need_event(rte_le_to_cpu_16(*vq_used_event(vq)),
			new, old);
	}
	/* Nothing flushed since the last notification: nothing to say. */
	if (valid && old == new)
		return false;
	return !(rte_le_to_cpu_16(*(volatile uint16_t *)&vq->avail->flags) &
		VRING_AVAIL_F_NO_INTERRUPT);
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
	if (vq->event_idx) {
		/* Without an update the driver stops kicking by itself. */
		if (!enable)
			return;
		*vq_avail_event(vq) = rte_cpu_to_le_16(vq->last_avail_idx);
	} else {
		*(volatile uint16_t *)&vq->used->flags =
			rte_cpu_to_le_16(enable ? 0 : VRING_USED_F_NO_NOTIFY);
	}
	/*
	 * The caller re-checks the avail index next: that load must not pass
	 * the store above, or a buffer added in between is never kicked.
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

/* Burst operations (cvqsim_vq.h): the fast path of common chains. */

/*
 * One buffer of a small chain: inside the last mapping hit or inside the
 * one mapping containing its start, with perm. Anything else (unmapped,
 * straddling) is for the general path, which reports or splits it.
 */
static inline bool
vq_map_small(struct cvqsim_vq *vq, uint64_t iova, uint32_t len, uint32_t perm,
		struct iovec *iov)
{
	const struct cvqsim_as_map *m;
	uint64_t off = iova - vq->tlb_iova;

	if (likely(off < vq->tlb_size && len <= vq->tlb_size - off &&
			(vq->tlb_perm & perm) == perm)) {
		iov->iov_base = (void *)(uintptr_t)(vq->tlb_hva + off);
		iov->iov_len = len;
		return true;
	}
	m = cvqsim_as_lookup(vq->as, iova);
	if (m == NULL)
		return false;
	vq->tlb_iova = m->iova;
	vq->tlb_size = m->size;
	vq->tlb_hva = m->hva;
	vq->tlb_perm = m->perm;
	off = iova - m->iova;
	if (len > m->size - off || (m->perm & perm) != perm)
		return false;
	iov->iov_base = (void *)(uintptr_t)(m->hva + off);
	iov->iov_len = len;
	return true;
}

/* Add one descriptor's buffer to a small chain; false: not for the burst. */
static inline bool
vq_small_add(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		const struct desc_copy *d)
{
	struct iovec *iov = &c->iov[c->nr_out + c->nr_in];

	if (d->len == 0 || (d->flags & VRING_DESC_F_INDIRECT))
		return false;
	if (d->flags & VRING_DESC_F_WRITE) {
		if (!vq_map_small(vq, d->addr, d->len, CVQSIM_PERM_WO, iov))
			return false;
		c->nr_in++;
		c->in_len += d->len;
		return true;
	}
	/* Readable after writable: the general path reports it. */
	if (c->nr_in != 0 ||
			!vq_map_small(vq, d->addr, d->len, CVQSIM_PERM_RO, iov))
		return false;
	c->nr_out++;
	c->out_len += d->len;
	return true;
}

/* The chain from head, if it is one or two plain descriptors. */
static inline bool
vq_small_chain(struct cvqsim_vq *vq, uint16_t head,
		struct cvqsim_small_chain *c)
{
	struct desc_copy d;

	c->head = head;
	c->nr_out = 0;
	c->nr_in = 0;
	c->out_len = 0;
	c->in_len = 0;
	read_desc(vq->desc, head, &d);
	if (!vq_small_add(vq, c, &d))
		return false;
	if (!(d.flags & VRING_DESC_F_NEXT))
		return true;
	if (d.next >= vq->size)
		return false;
	read_desc(vq->desc, d.next, &d);
	/*
	 * A third descriptor (or the second pointing back at the first) is
	 * for the general walk. Two lengths below 4 GiB each cannot make the
	 * chain's total overflow the general path's 64-bit sum, but can pass
	 * UINT32_MAX: that is its check to make.
	 */
	if (d.flags & VRING_DESC_F_NEXT)
		return false;
	if ((uint64_t)c->out_len + c->in_len + d.len > UINT32_MAX)
		return false;
	return vq_small_add(vq, c, &d);
}

int
cvqsim_vq_pop_burst(struct cvqsim_vq *vq, struct cvqsim_small_chain *c,
		unsigned int max)
{
	const volatile uint16_t *ring;
	uint16_t avail, mask, last;
	unsigned int n, i;
	int ret;

	/* Not ready, broken, or rings to resolve again: the general path. */
	if (unlikely(!vq->ready || vq->broken ||
			vq->ring_gen != vq->as->generation))
		return 0;
	last = vq->last_avail_idx;
	avail = (uint16_t)(vq->avail_idx_shadow - last);
	if (avail == 0) {
		/* Nothing known: as cvqsim_vq_pop() would, judge the index. */
		ret = vq_refresh_avail(vq);
		if (ret <= 0)
			return ret;
		avail = (uint16_t)ret;
	} else if (avail < max) {
		uint16_t idx = vq_load_avail_idx(vq);

		/* A jump is reported once the known entries are popped. */
		if ((uint16_t)(idx - last) <= vq->size) {
			vq->avail_idx_shadow = idx;
			avail = (uint16_t)(idx - last);
		}
	}
	n = RTE_MIN((unsigned int)avail, max);
	mask = (uint16_t)(vq->size - 1);
	ring = (const volatile uint16_t *)vq->avail->ring;
	for (i = 0; i < n; i++) {
		uint16_t head = rte_le_to_cpu_16(ring[(uint16_t)(last + i) & mask]);

		if (head >= vq->size)
			break;
		c[i].head = head;
		rte_prefetch0(&vq->desc[head]);
	}
	n = i;
	for (i = 0; i < n; i++)
		if (!vq_small_chain(vq, c[i].head, &c[i]))
			break;
	vq->last_avail_idx = (uint16_t)(last + i);
	vq->stats.chains += i;
	return (int)i;
}

void
cvqsim_vq_push_burst(struct cvqsim_vq *vq, const uint16_t *heads,
		const uint32_t *lens, unsigned int n)
{
	uint16_t mask = (uint16_t)(vq->size - 1), idx;
	struct vring_used_elem *ring;
	unsigned int i;

	if (unlikely(!vq_usable(vq)))
		return;
	ring = vq->used->ring;
	idx = vq->used_idx;

	if (lens != NULL)
		for (i = 0; i < n; i++, idx++) {
			ring[idx & mask].id = rte_cpu_to_le_32(heads[i]);
			ring[idx & mask].len = rte_cpu_to_le_32(lens[i]);
		}
	else
		for (i = 0; i < n; i++, idx++) {
			ring[idx & mask].id = rte_cpu_to_le_32(heads[i]);
			ring[idx & mask].len = 0;
		}
	vq->used_idx = idx;
}
