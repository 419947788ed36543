/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: the device side of a virtqueue (cvqsim_vq*.c) against
 * arbitrary guest memory. Built twice: fuzz_vq drives split rings,
 * fuzz_vq_packed (FUZZ_VQ_PACKED) packed rings.
 *
 * The input picks the regions of guest memory and their mappings
 * (fuzz_guest.h), the queue size, features and ring addresses, a script
 * of queue operations, and then every byte of guest memory: descriptor
 * tables, avail ring, indirect tables and buffers are all the fuzzer's.
 *
 * Invariants checked on every operation:
 * - nothing outside a mapping is read or written (ASan poison, guard pages,
 *   read-only pages), and no undefined behaviour (UBSan);
 * - a popped chain is made of iovecs that each lie inside one mapping that
 *   grants the access (readable first, then writable), whose lengths add up
 *   to out_len / in_len, at most CVQSIM_CHAIN_MAX_IOV of them, with a head
 *   (packed: buffer id) below the ring size;
 * - a successful pop moves the ring (split: by one entry), a failed or
 *   empty one does not; a failed pop returns -EIO or -EFAULT, breaks the
 *   queue with a reason, and every later pop returns -EIO;
 * - packed: the vring base stays inside the ring, and a push of an id the
 *   device does not hold writes nothing.
 * - the burst pop (the datapath's fast path) agrees with the general pop
 *   on a copy of the queue (before any buffer is written): the same
 *   chains, iovec for iovec; it never pops a chain the general pop
 *   refuses, and it breaks the queue only where the general pop does,
 *   with the same reason (packed rings have no burst pop: it pops none).
 *
 * Input layout: region layout (fuzz_guest_setup), then
 *   u8  flags: bit 0 EVENT_IDX, bit 1 INDIRECT_DESC, bit 2 ring addresses
 *       from the input (else one after the other at the start of region
 *       0); packed: bits 3-7 are taken off the queue size (no power of
 *       two needed)
 *   u8  log2 of the queue size (mod 16)
 *   u16 last_avail_idx, u16 used_idx (packed: wrap counter in bit 15)
 *   [3 x (u8 region, u16 offset) ring addresses if flag bit 2]
 *   u8  number of operations (mod 64), then the operations (one u8 each,
 *       plus their operands)
 *   the rest: guest memory contents.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>

#include "cvqsim_iov.h"
#include "cvqsim_vq.h"
#include "fuzz_guest.h"
#include "fuzz_input.h"

#ifdef FUZZ_VQ_PACKED
#define RING_FEATURES	(1ULL << VIRTIO_F_RING_PACKED)
#else
#define RING_FEATURES	0ULL
#endif

enum vq_op {
	OP_POP,
	OP_POP_ALL,
	OP_UNPOP,
	OP_PUSH,
	OP_FLUSH,
	OP_NOTIFY,
	OP_KICK,
	OP_AVAIL_COUNT,
	OP_WRITE16,	/* the driver writes a u16 while the device runs */
	OP_UNMAP,	/* the AS changes under a running queue */
	OP_REMAP,
	OP_RESETUP,
	OP_POP_BURST,	/* cvqsim_vq_pop_burst, checked against cvqsim_vq_pop */
	OP_PUSH_BURST,	/* cvqsim_vq_push_burst of a transmit burst (no lengths) */
	OP_MAX
};

struct vq_fuzz {
	struct fuzz_guest g;
	struct cvqsim_vq vq;
	struct cvqsim_chain chain;
	struct cvqsim_small_chain small[64];
	struct cvqsim_vq twin;		/* the general path's copy of vq */
	uint64_t ring_iova[3];
	uint16_t size;
	uint16_t last_avail, used_idx;
	bool event_idx, indirect, in_order;
	bool set_up;
	uint16_t popped;	/* pops not yet given back or pushed */
	uint16_t last_head;
	uint8_t scratch[FUZZ_GUEST_REGION_CAP * FUZZ_GUEST_REGIONS];
};

static struct vq_fuzz F;
/* FUZZ_VQ_TRACE=1: one line per pop (to check seeds by hand). */
static int trace = -1;

static uint64_t
iova_in_region(struct fuzz_input *in)
{
	uint8_t k = fuzz_u8(in) % FUZZ_GUEST_REGIONS;
	uint16_t off = fuzz_u16(in);

	return F.g.r[k].iova + off;
}

/* Check a popped chain against the mappings and touch every byte of it. */
static void
check_chain(const struct cvqsim_chain *c)
{
	uint64_t out = 0, in = 0;
	unsigned int i, n = (unsigned int)c->nr_out + c->nr_in;

	FUZZ_CHECK(c->head < F.size, "head %u, ring size %u", c->head, F.size);
	FUZZ_CHECK(n <= CVQSIM_CHAIN_MAX_IOV, "%u iovecs", n);
	for (i = 0; i < n; i++) {
		const struct iovec *v = &c->iov[i];
		bool w = i >= c->nr_out;

		FUZZ_CHECK(fuzz_guest_check_iov(&F.g, v->iov_base, v->iov_len,
				w ? CVQSIM_PERM_WO : CVQSIM_PERM_RO),
			"iovec %u [%p, +%zu) %s outside the mappings that allow it",
			i, v->iov_base, v->iov_len, w ? "writable" : "readable");
		if (w)
			in += v->iov_len;
		else
			out += v->iov_len;
	}
	FUZZ_CHECK(out == c->out_len && in == c->in_len,
		"lengths %lu/%lu, chain says %u/%u", (unsigned long)out,
		(unsigned long)in, c->out_len, c->in_len);
	/* What a device does with a chain: read the request, write the reply. */
	cvqsim_iov_to_buf(c->iov, c->nr_out, 0, F.scratch, sizeof(F.scratch));
	cvqsim_buf_to_iov(&c->iov[c->nr_out], c->nr_in,
		0, F.scratch, sizeof(F.scratch));
}

/* The ring position as the vring base says it (packed: with wrap bit). */
static uint32_t
ring_base(void)
{
	uint16_t avail, used;

	cvqsim_vq_get_base(&F.vq, &avail, &used);
	if (RING_FEATURES != 0 && F.set_up)
		FUZZ_CHECK((avail & 0x7fff) < F.size && (used & 0x7fff) < F.size,
			"packed base %#x/%#x outside a ring of %u", avail, used,
			F.size);
	return (uint32_t)avail << 16 | used;
}

/* Where a successful pop leaves the split ring: one entry further. */
static bool
pop_moved_right(uint32_t before)
{
	uint32_t after = ring_base();

	if (RING_FEATURES != 0)
		return after != before;
	return after >> 16 == (uint16_t)((before >> 16) + 1) &&
		(after & 0xffff) == (before & 0xffff);
}

static void
do_pop(void)
{
	uint32_t before = ring_base();
	bool was_broken = F.vq.broken;
	int ret = cvqsim_vq_pop(&F.vq, &F.chain);

	if (trace)
		fprintf(stderr, "pop: %d head %u out %u/%u in %u/%u%s%s\n", ret,
			F.chain.head, F.chain.nr_out, F.chain.out_len,
			F.chain.nr_in, F.chain.in_len, ret < 0 ? " error: " : "",
			ret < 0 ? F.vq.error : "");

	if (ret == 1) {
		FUZZ_CHECK(!was_broken, "pop succeeded on a broken queue");
		FUZZ_CHECK(pop_moved_right(before), "pop moved the ring %#x -> %#x",
			before, ring_base());
		check_chain(&F.chain);
		F.popped++;
		F.last_head = F.chain.head;
		return;
	}
	FUZZ_CHECK(ring_base() == before, "pop returning %d moved the ring"
		" %#x -> %#x", ret, before, ring_base());
	if (ret == 0) {
		FUZZ_CHECK(!was_broken, "pop on a broken queue returned 0");
		return;
	}
	FUZZ_CHECK(ret == -EIO || ret == -EFAULT, "pop returned %d", ret);
	FUZZ_CHECK(F.vq.broken && F.vq.error != NULL,
		"pop failed (%d) without breaking the queue", ret);
	FUZZ_CHECK(!was_broken || ret == -EIO, "broken queue pop gave %d", ret);
	FUZZ_CHECK(strlen(F.vq.error) > 0, "empty error");
	FUZZ_CHECK(cvqsim_vq_pop(&F.vq, &F.chain) == -EIO,
		"broken queue popped again");
}

/*
 * A burst of up to max small chains, and the general pop on a copy of the
 * queue taken before it: both must see the same ring.
 */
static void
do_pop_burst(unsigned int max)
{
	bool was_broken = F.vq.broken;
	int ret, k, g;

	F.twin = F.vq;
	if (F.vq.error == F.vq.error_buf)
		F.twin.error = F.twin.error_buf;
	ret = cvqsim_vq_pop_burst(&F.vq, F.small, max);
	if (trace)
		fprintf(stderr, "pop_burst(%u): %d%s%s\n", max, ret,
			ret < 0 ? " error: " : "", ret < 0 ? F.vq.error : "");
	if (ret < 0) {
		FUZZ_CHECK(ret == -EIO && F.vq.broken && !was_broken,
			"burst returned %d (broken %d, was %d)", ret, F.vq.broken,
			was_broken);
		g = cvqsim_vq_pop(&F.twin, &F.chain);
		FUZZ_CHECK(g == -EIO && strcmp(F.twin.error, F.vq.error) == 0,
			"burst failed (%s), the general pop gave %d (%s)",
			F.vq.error, g, g < 0 ? F.twin.error : "");
		return;
	}
	FUZZ_CHECK((unsigned int)ret <= max, "burst of %d, max %u", ret, max);
	FUZZ_CHECK(!was_broken || ret == 0, "burst popped a broken queue");
	FUZZ_CHECK(F.vq.broken == was_broken, "a burst broke the queue");
	for (k = 0; k < ret; k++) {
		const struct cvqsim_small_chain *sc = &F.small[k];
		unsigned int n = (unsigned int)sc->nr_out + sc->nr_in;

		g = cvqsim_vq_pop(&F.twin, &F.chain);
		FUZZ_CHECK(g == 1, "burst chain %d (head %u) is refused by the"
			" general pop: %d %s", k, sc->head, g,
			g < 0 ? F.twin.error : "");
		FUZZ_CHECK(F.chain.head == sc->head && F.chain.nr_out == sc->nr_out &&
			F.chain.nr_in == sc->nr_in && F.chain.out_len == sc->out_len &&
			F.chain.in_len == sc->in_len && n >= 1 &&
			n <= CVQSIM_SMALL_CHAIN_IOV &&
			memcmp(F.chain.iov, sc->iov, n * sizeof(sc->iov[0])) == 0,
			"burst chain %d differs from the general pop's (head %u/%u,"
			" out %u/%u, in %u/%u)", k, sc->head, F.chain.head,
			sc->out_len, F.chain.out_len, sc->in_len, F.chain.in_len);
	}
	FUZZ_CHECK(F.vq.last_avail_idx == F.twin.last_avail_idx &&
		F.vq.stats.chains == F.twin.stats.chains,
		"burst and general pops disagree on the ring position");
	/* Only now use the buffers: a reply may land on the rings. */
	for (k = 0; k < ret; k++) {
		const struct cvqsim_small_chain *sc = &F.small[k];

		F.chain.head = sc->head;
		F.chain.nr_out = sc->nr_out;
		F.chain.nr_in = sc->nr_in;
		F.chain.out_len = sc->out_len;
		F.chain.in_len = sc->in_len;
		memcpy(F.chain.iov, sc->iov,
			(sc->nr_out + sc->nr_in) * sizeof(sc->iov[0]));
		check_chain(&F.chain);
		F.popped++;
		F.last_head = sc->head;
	}
}

static void
do_setup(void)
{
	int ret = cvqsim_vq_setup(&F.vq, &F.g.as, F.ring_iova[0], F.ring_iova[1],
		F.ring_iova[2], F.size, F.last_avail, F.used_idx,
		(F.event_idx ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
		(F.indirect ? 1ULL << VIRTIO_RING_F_INDIRECT_DESC : 0) |
		(F.in_order ? 1ULL << VIRTIO_F_IN_ORDER : 0) |
		RING_FEATURES);

	F.set_up = ret == 0;
	if (trace)
		fprintf(stderr, "setup: %d%s%s\n", ret, ret ? " " : "",
			ret ? F.vq.error : "");
	F.popped = 0;
	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -EFAULT ||
		(RING_FEATURES != 0 && ret == -ENOMEM), "setup returned %d", ret);
	FUZZ_CHECK(ret != 0 || F.vq.ready, "set up but not ready");
	FUZZ_CHECK(ret == 0 || (!F.vq.ready && F.vq.error != NULL),
		"setup failed (%d) and left the queue ready or without reason",
		ret);
}

static void
run_op(uint8_t op, struct fuzz_input *in)
{
	unsigned int i;
	int ret;

	switch (op % OP_MAX) {
	case OP_POP:
		do_pop();
		break;
	case OP_POP_ALL:
		for (i = 0; i <= F.size + 1u && !F.vq.broken; i++) {
			uint32_t before = ring_base();

			do_pop();
			if (ring_base() == before)
				break;
		}
		break;
	case OP_UNPOP: {
		uint16_t n = fuzz_u8(in) % (F.popped + 1);

		cvqsim_vq_unpop(&F.vq, n);
		F.popped -= n;
		break;
	}
	case OP_PUSH: {
		uint32_t len = fuzz_u32(in);
		/* Packed: sometimes an id the device may not hold. */
		uint16_t id = RING_FEATURES != 0 && (len & 1) ?
			(uint16_t)(len >> 16) : F.last_head;
		uint32_t used_before = ring_base() & 0xffff;
		uint64_t errors = F.vq.stats.errors;

		cvqsim_vq_push(&F.vq, id, len);
		if (RING_FEATURES == 0) {
			if (F.popped > 0)
				F.popped--;
		} else if (F.vq.stats.errors != errors) {
			FUZZ_CHECK((ring_base() & 0xffff) == used_before,
				"push of an unheld id %u moved the used ring", id);
		} else {
			/* Only chains popped after a push may be given back. */
			F.popped = 0;
		}
		break;
	}
	case OP_PUSH_BURST: {
		/*
		 * Split: a transmit burst of n of the chains popped. The index
		 * moves by n; with IN_ORDER only the last element is written
		 * (the others are as they were), without it every one.
		 */
		uint16_t heads[4], n = fuzz_u8(in) % 5, k, before, mask;
		struct vring_used_elem old[4];

		if (RING_FEATURES != 0 || !F.vq.ready || n == 0 || n > F.popped ||
				n > F.size)
			break;
		/* Rings translated for the current AS, queue not broken. */
		if (cvqsim_vq_avail_count(&F.vq) < 0)
			break;
		before = F.vq.used_idx;
		mask = (uint16_t)(F.size - 1);
		for (k = 0; k < n; k++) {
			heads[k] = (uint16_t)(F.last_head + k) & mask;
			old[k] = F.vq.used->ring[(uint16_t)(before + k) & mask];
		}
		cvqsim_vq_push_burst(&F.vq, heads, NULL, n);
		FUZZ_CHECK(F.vq.used_idx == (uint16_t)(before + n),
			"push_burst of %u moved the used index by %u", n,
			(uint16_t)(F.vq.used_idx - before));
		for (k = 0; k < n; k++) {
			const struct vring_used_elem *e =
				&F.vq.used->ring[(uint16_t)(before + k) & mask];

			if (F.in_order && k + 1 < n)
				FUZZ_CHECK(memcmp(e, &old[k], sizeof(*e)) == 0,
					"IN_ORDER batch wrote element %u of %u", k, n);
			else
				FUZZ_CHECK(rte_le_to_cpu_32(e->id) == heads[k] &&
					e->len == 0, "element %u of the batch", k);
		}
		F.popped -= n;
		break;
	}
	case OP_FLUSH:
		cvqsim_vq_flush(&F.vq);
		break;
	case OP_NOTIFY:
		cvqsim_vq_notify(&F.vq);
		break;
	case OP_KICK:
		cvqsim_vq_enable_kick(&F.vq, fuzz_u8(in) & 1);
		break;
	case OP_AVAIL_COUNT:
		ret = cvqsim_vq_avail_count(&F.vq);
		FUZZ_CHECK(ret == -EIO || (ret >= 0 && ret <= F.size),
			"avail_count %d, size %u", ret, F.size);
		FUZZ_CHECK(ret != -EIO || F.vq.broken, "-EIO without broken");
		break;
	case OP_WRITE16: {
		uint64_t iova = iova_in_region(in);
		uint16_t v = fuzz_u16(in);
		uint8_t *p = cvqsim_as_translate(&F.g.as, iova, 2, CVQSIM_PERM_WO);

		/* The driver writes its own memory; RO pages stay read-only. */
		if (p != NULL)
			memcpy(p, &v, sizeof(v));
		break;
	}
	case OP_UNMAP: {
		const struct fuzz_region *r = &F.g.r[fuzz_u8(in) % F.g.nr];

		if (r->mapped)
			cvqsim_as_unmap(&F.g.as, r->iova, r->size);
		break;
	}
	case OP_REMAP: {
		unsigned int k = fuzz_u8(in) % F.g.nr;
		const struct fuzz_region *r = &F.g.r[k];

		if (r->mapped)
			cvqsim_as_map(&F.g.as, r->iova, r->size,
				(uint64_t)(uintptr_t)fuzz_guest_hva(&F.g, k), r->perm);
		break;
	}
	case OP_POP_BURST:
		do_pop_burst(1u + fuzz_u8(in) %
			(unsigned int)(sizeof(F.small) / sizeof(F.small[0])));
		break;
	default:
		cvqsim_vq_get_base(&F.vq, &F.last_avail, &F.used_idx);
		cvqsim_vq_teardown(&F.vq);
		do_setup();
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint8_t ops[64], flags, log2;
	unsigned int nr_ops, i;
	struct fuzz_input opin;

	if (trace < 0)
		trace = getenv("FUZZ_VQ_TRACE") != NULL;
	fuzz_guest_setup(&F.g, &in);
	flags = fuzz_u8(&in);
	log2 = fuzz_u8(&in) % 16;
	F.size = (uint16_t)(1u << log2);
	if (RING_FEATURES != 0 && F.size > (flags >> 3))
		F.size -= flags >> 3;
	F.event_idx = flags & 1;
	F.indirect = flags & 2;
	/* Split: bit 3 negotiates IN_ORDER (packed: part of the size). */
	F.in_order = RING_FEATURES == 0 && (flags & 8);
	F.last_avail = fuzz_u16(&in);
	F.used_idx = fuzz_u16(&in);
	if (flags & 4) {
		for (i = 0; i < 3; i++)
			F.ring_iova[i] = iova_in_region(&in);
	} else if (RING_FEATURES != 0) {
		/* Descriptor ring, driver then device event suppression. */
		F.ring_iova[0] = F.g.r[0].iova;
		F.ring_iova[1] = F.ring_iova[0] + 16ULL * F.size;
		F.ring_iova[2] = F.ring_iova[1] + 4;
	} else {
		/* The legacy layout, packed: desc, avail, used (4-aligned). */
		F.ring_iova[0] = F.g.r[0].iova;
		F.ring_iova[1] = F.ring_iova[0] + 16ULL * F.size;
		F.ring_iova[2] = (F.ring_iova[1] + 6 + 2ULL * F.size + 3) & ~3ULL;
	}
	/* Operations and their operands: a bounded slice of the input. */
	nr_ops = fuzz_u8(&in) % 64;
	opin.p = in.p;
	opin.len = in.len < 4 * nr_ops ? in.len : 4 * nr_ops;
	in.p += opin.len;
	in.len -= opin.len;
	for (i = 0; i < nr_ops; i++)
		ops[i] = fuzz_u8(&opin);

	fuzz_guest_fill(&F.g, &in);
	fuzz_guest_seal(&F.g, true);

	cvqsim_vq_init(&F.vq, 0, CVQSIM_GROUP_DATA);
	do_setup();
	if (nr_ops == 0)
		run_op(OP_POP_ALL, &opin);
	for (i = 0; i < nr_ops; i++)
		run_op(ops[i], &opin);

	cvqsim_vq_teardown(&F.vq);
	fuzz_guest_release(&F.g);
	return 0;
}
