/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Packed virtqueue unit tests. The test plays the driver of a packed ring
 * ("Packed Virtqueues" in virtio 1.x): it writes descriptors with its own
 * wrap counter into memory mapped in an address space at IOVAs unlike the
 * host addresses, and checks what the device side pops, rejects, writes
 * back as used descriptors and signals.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "cvqsim_vq.h"
#include "test.h"
#include "test_vq_util.h"

#define RING_IOVA	0x200000000ULL	/* descriptor ring, RW */
#define RING_MEM	0x80000		/* room for 32768 descriptors */
#define EVT_IOVA	0x200100000ULL	/* driver event RO, device event WO */
#define EVT_PAGE	0x1000
#define BUF_IOVA	0x200200000ULL	/* buffers and indirect tables, RW */
#define BUF_MEM		0x100000
#define IND_OFF		0x80000
#define UNMAPPED_IOVA	0x900000000ULL

#define F_AVAIL		(1u << VRING_PACKED_DESC_F_AVAIL)
#define F_USED		(1u << VRING_PACKED_DESC_F_USED)

struct pfixture {
	struct cvqsim_as as;
	uint8_t *ring_mem, *evt_mem, *buf_mem;
	struct vring_packed_desc *desc;
	struct vring_packed_desc_event *drv_evt, *dev_evt;
	uint16_t size;
	uint16_t avail_pos;	/* the driver's next descriptor */
	bool avail_wrap;
	uint16_t used_pos;	/* the driver's next used descriptor to read */
	bool used_wrap;
	struct cvqsim_vq vq;
	struct cvqsim_chain chain;
};

static struct pfixture fx;

/* A buffer of a chain the driver adds: offset in buffer memory. */
struct tbuf {
	uint64_t off;
	uint32_t len;
	bool writable;
};

static uint64_t
features(bool event_idx, bool indirect)
{
	return (1ULL << VIRTIO_F_RING_PACKED) |
		(event_idx ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
		(indirect ? 1ULL << VIRTIO_RING_F_INDIRECT_DESC : 0);
}

/* Set the ring up at a base, the driver's view following it. */
static int
setup_at(uint16_t size, bool event_idx, uint16_t avail_base, uint16_t used_base)
{
	memset(fx.ring_mem, 0, RING_MEM);
	fx.size = size;
	fx.avail_pos = avail_base & 0x7fff;
	fx.avail_wrap = avail_base >> 15;
	fx.used_pos = used_base & 0x7fff;
	fx.used_wrap = used_base >> 15;
	return cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA, EVT_IOVA,
		EVT_IOVA + EVT_PAGE, size, avail_base, used_base,
		features(event_idx, true));
}

static void ut_teardown(void);

static int
ut_setup(void)
{
	memset(&fx, 0, sizeof(fx));
	cvqsim_as_init(&fx.as, 0);
	fx.ring_mem = test_vq_zalloc(RING_MEM);
	fx.evt_mem = test_vq_zalloc(2 * EVT_PAGE);
	fx.buf_mem = test_vq_zalloc(BUF_MEM);
	if (fx.ring_mem == NULL || fx.evt_mem == NULL || fx.buf_mem == NULL)
		goto fail;
	fx.desc = (struct vring_packed_desc *)fx.ring_mem;
	fx.drv_evt = (struct vring_packed_desc_event *)fx.evt_mem;
	fx.dev_evt = (struct vring_packed_desc_event *)(fx.evt_mem + EVT_PAGE);
	if (cvqsim_as_map(&fx.as, RING_IOVA, RING_MEM, (uintptr_t)fx.ring_mem,
				CVQSIM_PERM_RW) ||
			cvqsim_as_map(&fx.as, EVT_IOVA, EVT_PAGE,
				(uintptr_t)fx.evt_mem, CVQSIM_PERM_RO) ||
			cvqsim_as_map(&fx.as, EVT_IOVA + EVT_PAGE, EVT_PAGE,
				(uintptr_t)fx.evt_mem + EVT_PAGE, CVQSIM_PERM_WO) ||
			cvqsim_as_map(&fx.as, BUF_IOVA, BUF_MEM,
				(uintptr_t)fx.buf_mem, CVQSIM_PERM_RW))
		goto fail;
	cvqsim_vq_init(&fx.vq, 1, CVQSIM_GROUP_DATA);
	if (setup_at(256, false, CVQSIM_VQ_WRAP_BIT, CVQSIM_VQ_WRAP_BIT) != 0)
		goto fail;
	return TEST_SUCCESS;
fail:
	printf("fixture setup failed: %s\n", fx.vq.error ? fx.vq.error : "allocation");
	ut_teardown();
	return TEST_FAILED;
}

static void
ut_teardown(void)
{
	cvqsim_vq_teardown(&fx.vq);
	cvqsim_as_fini(&fx.as);
	free(fx.ring_mem);
	free(fx.evt_mem);
	free(fx.buf_mem);
	memset(&fx, 0, sizeof(fx));
}

/* ---- the driver ---- */

static uint16_t
avail_flags(bool wrap)
{
	return wrap ? F_AVAIL : F_USED;
}

static void
write_desc(struct vring_packed_desc *d, uint64_t addr, uint32_t len,
		uint16_t id, uint16_t flags)
{
	d->addr = rte_cpu_to_le_64(addr);
	d->len = rte_cpu_to_le_32(len);
	d->id = rte_cpu_to_le_16(id);
	__atomic_store_n(&d->flags, rte_cpu_to_le_16(flags), __ATOMIC_RELEASE);
}

/*
 * Make a chain of n buffers available under buffer id, the head's flags
 * written last as the spec asks. extra is OR'ed into every descriptor's
 * flags. Returns the position of the head.
 */
static uint16_t
add_chain(const struct tbuf *b, unsigned int n, uint16_t id, uint16_t extra)
{
	uint16_t head = fx.avail_pos, head_flags = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint16_t flags = avail_flags(fx.avail_wrap) | extra;

		if (b[i].writable)
			flags |= VRING_DESC_F_WRITE;
		if (i + 1 < n)
			flags |= VRING_DESC_F_NEXT;
		if (i == 0) {
			head_flags = flags;
			write_desc(&fx.desc[fx.avail_pos], BUF_IOVA + b[i].off,
				b[i].len, id, 0);
		} else {
			write_desc(&fx.desc[fx.avail_pos], BUF_IOVA + b[i].off,
				b[i].len, id, flags);
		}
		if (++fx.avail_pos == fx.size) {
			fx.avail_pos = 0;
			fx.avail_wrap = !fx.avail_wrap;
		}
	}
	/* Only the last descriptor's id counts: the others get junk. */
	for (i = 0; i + 1 < n; i++)
		fx.desc[(head + i) % fx.size].id = rte_cpu_to_le_16(0xdead);
	__atomic_store_n(&fx.desc[head].flags, rte_cpu_to_le_16(head_flags),
		__ATOMIC_RELEASE);
	return head;
}

static uint16_t
add_one(uint64_t off, uint32_t len, bool writable, uint16_t id)
{
	struct tbuf b = { off, len, writable };

	return add_chain(&b, 1, id, 0);
}

/* An indirect table at IND_OFF with n entries, made available as id. */
static void
add_indirect(const struct tbuf *b, unsigned int n, uint16_t id, uint16_t head_extra)
{
	struct vring_packed_desc *t = (void *)(fx.buf_mem + IND_OFF);
	struct tbuf head = { IND_OFF, n * sizeof(*t), false };
	unsigned int i;

	for (i = 0; i < n; i++) {
		t[i].addr = rte_cpu_to_le_64(BUF_IOVA + b[i].off);
		t[i].len = rte_cpu_to_le_32(b[i].len);
		t[i].id = rte_cpu_to_le_16(0xbeef);	/* reserved: ignored */
		/* NEXT is reserved in a table: a device ignores it */
		t[i].flags = rte_cpu_to_le_16((b[i].writable ? VRING_DESC_F_WRITE : 0) |
			(i + 1 < n ? VRING_DESC_F_NEXT : 0));
	}
	add_chain(&head, 1, id, VRING_DESC_F_INDIRECT | head_extra);
}

/* The driver reads the next used descriptor: 1 with id/len/flags, or 0. */
static int
get_used(uint16_t *id, uint32_t *len, uint16_t *flags, uint16_t ndesc)
{
	struct vring_packed_desc *d = &fx.desc[fx.used_pos];
	uint16_t f = rte_le_to_cpu_16(__atomic_load_n(&d->flags, __ATOMIC_ACQUIRE));

	if (!!(f & F_USED) != fx.used_wrap || !!(f & F_AVAIL) != fx.used_wrap)
		return 0;
	*id = rte_le_to_cpu_16(d->id);
	*len = rte_le_to_cpu_32(d->len);
	*flags = f;
	fx.used_pos = (uint16_t)(fx.used_pos + ndesc);
	if (fx.used_pos >= fx.size) {
		fx.used_pos -= fx.size;
		fx.used_wrap = !fx.used_wrap;
	}
	return 1;
}

static int
pop_ok(void)
{
	return test_vq_pop_ok(&fx.vq, &fx.chain);
}

/* A pop failure: errno, broken, counted once, reason, nothing consumed. */
static int
expect_broken(int err, const char *what)
{
	uint16_t avail, used, avail2, used2;
	int ret;

	cvqsim_vq_get_base(&fx.vq, &avail, &used);
	ret = cvqsim_vq_pop(&fx.vq, &fx.chain);
	TEST_ASSERT_EQUAL(ret, err, "pop returned %d, expected %d (%s)", ret, err,
		fx.vq.error ? fx.vq.error : "no reason");
	TEST_ASSERT(fx.vq.broken, "queue not marked broken");
	TEST_ASSERT_EQUAL(fx.vq.stats.errors, 1ull, "errors %" PRIu64,
		fx.vq.stats.errors);
	TEST_ASSERT_NOT_NULL(fx.vq.error, "no reason");
	TEST_ASSERT_NOT_NULL(strstr(fx.vq.error, what), "reason '%s' lacks '%s'",
		fx.vq.error, what);
	cvqsim_vq_get_base(&fx.vq, &avail2, &used2);
	TEST_ASSERT(avail == avail2 && used == used2, "a failed pop moved the ring");
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), -EIO, "pop after break");
	TEST_ASSERT_EQUAL(cvqsim_vq_avail_count(&fx.vq), -EIO, "count after break");
	TEST_ASSERT_EQUAL(fx.vq.stats.errors, 1ull, "counted once");
	return TEST_SUCCESS;
}

/* ---- setup ---- */

static int
test_setup(void)
{
	uint16_t avail, used;

	TEST_ASSERT(fx.vq.ready && fx.vq.packed, "ready, packed");
	TEST_ASSERT(fx.vq.desc_packed == fx.desc, "descriptor ring translated");
	TEST_ASSERT(fx.vq.driver_event == fx.drv_evt, "driver area translated");
	TEST_ASSERT(fx.vq.device_event == fx.dev_evt, "device area translated");
	TEST_ASSERT(fx.vq.avail_wrap && fx.vq.used_wrap, "wrap counters start at 1");
	cvqsim_vq_get_base(&fx.vq, &avail, &used);
	TEST_ASSERT(avail == 0x8000 && used == 0x8000, "base %#x %#x", avail, used);
	TEST_ASSERT_EQUAL(cvqsim_vq_avail_count(&fx.vq), 0, "empty");
	TEST_ASSERT(!cvqsim_vq_peek(&fx.vq), "peek: empty");
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), 0, "nothing to pop");

	/* a packed ring needs no power of two */
	TEST_ASSERT_SUCCESS(setup_at(100, false, 0x8000, 0x8000), "size 100: %s",
		fx.vq.error);
	TEST_ASSERT_SUCCESS(setup_at(CVQSIM_VQ_MAX_SIZE, false, 0x8000, 0x8000),
		"largest: %s", fx.vq.error);
	TEST_ASSERT_SUCCESS(setup_at(1, false, 0x8000, 0x8000), "one: %s",
		fx.vq.error);
	/* a resume position must be inside the ring */
	TEST_ASSERT_EQUAL(setup_at(100, false, 0x8000 | 100, 0x8000), -EINVAL,
		"avail position = size accepted");
	TEST_ASSERT(!fx.vq.ready && strstr(fx.vq.error, "beyond") != NULL,
		"reason: %s", fx.vq.error);
	TEST_ASSERT_EQUAL(setup_at(100, false, 0x8000, 0x7fff), -EINVAL,
		"used position beyond size accepted");
	TEST_ASSERT_EQUAL(setup_at(0, false, 0x8000, 0x8000), -EINVAL, "size 0");
	TEST_ASSERT_EQUAL(fx.vq.stats.errors, 0ull, "setup failures are no ring errors");
	return TEST_SUCCESS;
}

static int
test_setup_areas(void)
{
	/* the descriptor ring is written by the device: RO is refused */
	TEST_ASSERT_EQUAL(cvqsim_vq_setup(&fx.vq, &fx.as, EVT_IOVA, EVT_IOVA,
		EVT_IOVA + EVT_PAGE, 4, 0x8000, 0x8000, features(false, false)),
		-EFAULT, "read-only descriptor ring");
	TEST_ASSERT_NOT_NULL(strstr(fx.vq.error, "descriptor ring"), "%s",
		fx.vq.error);
	/* the device event area is written: RO refused */
	TEST_ASSERT_EQUAL(cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA, EVT_IOVA,
		EVT_IOVA, 4, 0x8000, 0x8000, features(false, false)),
		-EFAULT, "read-only device area");
	TEST_ASSERT_NOT_NULL(strstr(fx.vq.error, "device event"), "%s", fx.vq.error);
	/* alignment: 16 for the ring, 4 for the event areas */
	TEST_ASSERT_EQUAL(cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA + 8, EVT_IOVA,
		EVT_IOVA + EVT_PAGE, 4, 0x8000, 0x8000, features(false, false)),
		-EINVAL, "ring at 8 bytes");
	TEST_ASSERT_EQUAL(cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA, EVT_IOVA + 2,
		EVT_IOVA + EVT_PAGE, 4, 0x8000, 0x8000, features(false, false)),
		-EINVAL, "driver area at 2 bytes");
	TEST_ASSERT_EQUAL(cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA, UNMAPPED_IOVA,
		EVT_IOVA + EVT_PAGE, 4, 0x8000, 0x8000, features(false, false)),
		-EFAULT, "unmapped driver area");
	TEST_ASSERT(!fx.vq.ready, "not ready");
	return TEST_SUCCESS;
}

/* ---- pop and push ---- */

static int
test_pop_push_one(void)
{
	uint16_t id, flags;
	uint32_t len;

	memcpy(fx.buf_mem + 0x100, "hello", 5);
	add_one(0x100, 5, false, 7);
	TEST_ASSERT_EQUAL(cvqsim_vq_avail_count(&fx.vq), 1, "one available");
	TEST_ASSERT(cvqsim_vq_peek(&fx.vq), "peek sees it");
	TEST_ASSERT_SUCCESS(pop_ok(), "pop");
	TEST_ASSERT_EQUAL(fx.chain.head, 7, "buffer id");
	TEST_ASSERT(fx.chain.nr_out == 1 && fx.chain.nr_in == 0, "one readable");
	TEST_ASSERT(fx.chain.iov[0].iov_base == fx.buf_mem + 0x100 &&
		fx.chain.iov[0].iov_len == 5, "translated");
	TEST_ASSERT(!cvqsim_vq_peek(&fx.vq), "peek: consumed");
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), 0, "nothing more");

	cvqsim_vq_push(&fx.vq, 7, 0);
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 1), 0,
		"used descriptor visible before flush");
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 1), 1, "used after flush");
	TEST_ASSERT(id == 7 && len == 0, "id %u len %u", id, len);
	TEST_ASSERT(!(flags & VRING_DESC_F_WRITE), "nothing written: no WRITE flag");
	TEST_ASSERT_EQUAL(fx.vq.used_idx, 1, "used position");
	return TEST_SUCCESS;
}

static int
test_chain_and_lengths(void)
{
	struct tbuf b[3] = {
		{ 0x000, 12, false }, { 0x100, 1500, true }, { 0x800, 500, true },
	};
	uint16_t id, flags;
	uint32_t len;

	add_chain(b, 3, 42, 0);
	TEST_ASSERT_SUCCESS(pop_ok(), "pop chain");
	TEST_ASSERT_EQUAL(fx.chain.head, 42, "the last descriptor's id");
	TEST_ASSERT(fx.chain.nr_out == 1 && fx.chain.nr_in == 2, "1 + 2 iovecs");
	TEST_ASSERT(fx.chain.out_len == 12 && fx.chain.in_len == 2000, "lengths");
	TEST_ASSERT_EQUAL(fx.vq.last_avail_idx, 3, "three descriptors consumed");
	/* a used length above what the chain holds is cut to it */
	cvqsim_vq_push(&fx.vq, 42, 999999);
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 3), 1, "used");
	TEST_ASSERT(id == 42 && len == 2000, "id %u len %u", id, len);
	TEST_ASSERT(flags & VRING_DESC_F_WRITE, "written: WRITE flag");
	TEST_ASSERT_EQUAL(fx.vq.used_idx, 3, "device skipped the chain");
	/* the next chain starts after the skipped descriptors */
	add_one(0x40, 64, true, 0);
	TEST_ASSERT_SUCCESS(pop_ok(), "pop next");
	cvqsim_vq_push(&fx.vq, 0, 64);
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 1), 1, "used 2");
	TEST_ASSERT(id == 0 && len == 64, "id %u len %u", id, len);
	return TEST_SUCCESS;
}

static int
test_out_of_order(void)
{
	struct tbuf two[2] = { { 0x0, 10, false }, { 0x100, 10, true } };
	uint16_t id, flags, pos_b;
	uint32_t len;

	add_chain(two, 2, 5, 0);		/* A: positions 0-1 */
	pos_b = add_one(0x200, 10, true, 9);	/* B: position 2 */
	add_one(0x300, 10, true, 3);		/* C: position 3 */
	TEST_ASSERT_EQUAL(pos_b, 2, "B at 2");
	TEST_ASSERT_SUCCESS(pop_ok(), "A");
	TEST_ASSERT_SUCCESS(pop_ok(), "B");
	TEST_ASSERT_SUCCESS(pop_ok(), "C");
	/* complete C, A, B: used descriptors at 0, 1 and 3 */
	cvqsim_vq_push(&fx.vq, 3, 1);
	cvqsim_vq_push(&fx.vq, 5, 2);
	cvqsim_vq_push(&fx.vq, 9, 3);
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT(get_used(&id, &len, &flags, 1) == 1 && id == 3 && len == 1,
		"first used: C (id %u)", id);
	TEST_ASSERT(get_used(&id, &len, &flags, 2) == 1 && id == 5 && len == 2,
		"second used: A (id %u)", id);
	TEST_ASSERT(get_used(&id, &len, &flags, 1) == 1 && id == 9 && len == 3,
		"third used: B (id %u)", id);
	TEST_ASSERT_EQUAL(fx.vq.used_idx, 4, "used position after 4 descriptors");
	/* ids are free again: the driver may reuse them */
	add_one(0x0, 8, true, 5);
	TEST_ASSERT_SUCCESS(pop_ok(), "id 5 again");
	return TEST_SUCCESS;
}

static int
test_wrap_around(void)
{
	struct tbuf two[2] = { { 0x0, 4, false }, { 0x100, 4, true } };
	uint16_t id, flags, avail, used;
	uint32_t len;
	unsigned int i;

	TEST_ASSERT_SUCCESS(setup_at(5, false, 0x8000, 0x8000), "size 5");
	/* 2-descriptor chains on a ring of 5: every lap ends mid-chain */
	for (i = 0; i < 23; i++) {
		add_chain(two, 2, (uint16_t)(i % 5), 0);
		TEST_ASSERT_SUCCESS(pop_ok(), "pop %u", i);
		TEST_ASSERT_EQUAL(fx.chain.head, i % 5, "id");
		cvqsim_vq_push(&fx.vq, fx.chain.head, 4);
		cvqsim_vq_flush(&fx.vq);
		TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 2), 1, "used %u", i);
		TEST_ASSERT(id == i % 5 && len == 4, "round %u: id %u len %u", i,
			id, len);
	}
	/* 46 descriptors: 9 laps and 1 */
	TEST_ASSERT(fx.vq.last_avail_idx == 1 && fx.vq.used_idx == 1, "positions");
	TEST_ASSERT(fx.vq.avail_wrap == fx.avail_wrap && !fx.vq.avail_wrap,
		"avail wrap flipped 9 times");
	cvqsim_vq_get_base(&fx.vq, &avail, &used);
	TEST_ASSERT(avail == 1 && used == 1, "base %#x %#x", avail, used);
	return TEST_SUCCESS;
}

static int
test_resume_from_base(void)
{
	uint16_t avail, used, id, flags;
	uint32_t len;

	TEST_ASSERT_SUCCESS(setup_at(8, true, 0x0006, 0x0006), "resume at 6, wrap 0");
	TEST_ASSERT(!fx.vq.avail_wrap && !fx.vq.used_wrap, "wrap 0");
	add_one(0x0, 4, true, 1);	/* position 6 */
	add_one(0x0, 4, true, 2);	/* position 7, then wrap */
	add_one(0x0, 4, true, 3);	/* position 0, wrap 1 */
	TEST_ASSERT(pop_ok() == 0 && pop_ok() == 0 && pop_ok() == 0, "three");
	cvqsim_vq_get_base(&fx.vq, &avail, &used);
	TEST_ASSERT_EQUAL(avail, 0x8001, "avail base carries the flipped wrap");
	TEST_ASSERT_EQUAL(used, 0x0006, "nothing used yet");
	cvqsim_vq_push(&fx.vq, 1, 4);
	cvqsim_vq_push(&fx.vq, 2, 4);
	cvqsim_vq_push(&fx.vq, 3, 4);
	cvqsim_vq_flush(&fx.vq);
	cvqsim_vq_get_base(&fx.vq, &avail, &used);
	TEST_ASSERT(avail == 0x8001 && used == 0x8001, "%#x %#x", avail, used);
	/* stop and resume where it stopped: the wrap survives */
	cvqsim_vq_teardown(&fx.vq);
	TEST_ASSERT_SUCCESS(cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA, EVT_IOVA,
		EVT_IOVA + EVT_PAGE, 8, avail, used, features(true, true)), "resume");
	TEST_ASSERT(get_used(&id, &len, &flags, 1) && id == 1, "used 1");
	TEST_ASSERT(get_used(&id, &len, &flags, 1) && id == 2, "used 2");
	TEST_ASSERT(get_used(&id, &len, &flags, 1) && id == 3, "used 3");
	add_one(0x0, 4, true, 4);	/* position 1, wrap 1 */
	TEST_ASSERT_SUCCESS(pop_ok(), "pop after resume");
	TEST_ASSERT_EQUAL(fx.chain.head, 4, "the new buffer");
	return TEST_SUCCESS;
}

static int
test_unpop(void)
{
	struct tbuf two[2] = { { 0x0, 4, true }, { 0x100, 4, true } };
	uint16_t avail, used, avail2, used2;

	TEST_ASSERT_SUCCESS(setup_at(4, false, 0x8003, 0x8003), "at 3");
	cvqsim_vq_get_base(&fx.vq, &avail, &used);
	add_chain(two, 2, 0, 0);	/* 3 and, wrapped, 0 */
	add_one(0x200, 4, true, 1);	/* 1 */
	TEST_ASSERT(pop_ok() == 0 && pop_ok() == 0, "pop two");
	TEST_ASSERT(fx.vq.last_avail_idx == 2 && !fx.vq.avail_wrap, "past the wrap");
	cvqsim_vq_unpop(&fx.vq, 2);
	cvqsim_vq_get_base(&fx.vq, &avail2, &used2);
	TEST_ASSERT(avail2 == avail && used2 == used, "back at %#x (%#x)", avail,
		avail2);
	TEST_ASSERT_EQUAL(fx.vq.stats.chains, 0ull, "chains uncounted");
	TEST_ASSERT_SUCCESS(pop_ok(), "pop again");
	TEST_ASSERT(fx.chain.head == 0 && fx.chain.nr_in == 2, "the same chain");
	TEST_ASSERT_SUCCESS(pop_ok(), "and the next");
	TEST_ASSERT_EQUAL(fx.chain.head, 1, "the same second chain");
	cvqsim_vq_unpop(&fx.vq, 1);
	TEST_ASSERT_SUCCESS(pop_ok(), "once more");
	TEST_ASSERT_EQUAL(fx.chain.head, 1, "id 1 was given back, not held");
	return TEST_SUCCESS;
}

static int
test_push_unknown_id(void)
{
	uint16_t id, flags;
	uint32_t len;

	add_one(0x0, 4, true, 2);
	TEST_ASSERT_SUCCESS(pop_ok(), "pop");
	cvqsim_vq_push(&fx.vq, 3, 4);		/* never popped */
	cvqsim_vq_push(&fx.vq, 999, 4);		/* beyond the ring */
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 1), 0, "nothing written");
	TEST_ASSERT_EQUAL(fx.vq.stats.errors, 2ull, "counted");
	cvqsim_vq_push(&fx.vq, 2, 4);
	cvqsim_vq_push(&fx.vq, 2, 4);		/* twice */
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT(get_used(&id, &len, &flags, 1) == 1 && id == 2, "used once");
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 1), 0, "not twice");
	TEST_ASSERT_EQUAL(fx.vq.stats.errors, 3ull, "the second counted");
	return TEST_SUCCESS;
}

/* ---- indirect ---- */

static int
test_indirect(void)
{
	struct tbuf t[3] = {
		{ 0x0, 10, false }, { 0x100, 20, false }, { 0x200, 1000, true },
	};
	uint16_t id, flags;
	uint32_t len;

	/* the WRITE flag of the indirect descriptor itself is ignored */
	add_indirect(t, 3, 11, VRING_DESC_F_WRITE);
	TEST_ASSERT_SUCCESS(pop_ok(), "pop indirect");
	TEST_ASSERT_EQUAL(fx.chain.head, 11, "id of the ring descriptor");
	TEST_ASSERT(fx.chain.nr_out == 2 && fx.chain.nr_in == 1, "2 + 1");
	TEST_ASSERT(fx.chain.out_len == 30 && fx.chain.in_len == 1000, "lengths");
	TEST_ASSERT_EQUAL(fx.vq.last_avail_idx, 1, "one ring descriptor");
	cvqsim_vq_push(&fx.vq, 11, 1000);
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT(get_used(&id, &len, &flags, 1) == 1 && id == 11 && len == 1000,
		"used");
	return TEST_SUCCESS;
}

static int
test_indirect_with_next(void)
{
	struct tbuf t[1] = { { 0x0, 10, false } };
	struct tbuf more = { 0x100, 4, true };

	/* an indirect head with NEXT set and a second descriptor after it */
	add_indirect(t, 1, 1, VRING_DESC_F_NEXT);
	add_chain(&more, 1, 1, 0);
	return expect_broken(-EIO, "also has VRING_DESC_F_NEXT");
}

static int
test_indirect_in_chain(void)
{
	struct tbuf b[2] = { { 0x0, 10, false }, { IND_OFF, 16, false } };
	struct vring_packed_desc *t = (void *)(fx.buf_mem + IND_OFF);

	t[0].addr = rte_cpu_to_le_64(BUF_IOVA);
	t[0].len = rte_cpu_to_le_32(4);
	add_chain(b, 2, 1, 0);
	/* the second descriptor of the chain turns indirect */
	fx.desc[1].flags |= rte_cpu_to_le_16(VRING_DESC_F_INDIRECT);
	return expect_broken(-EIO, "inside a chain");
}

static int
test_indirect_nested(void)
{
	struct tbuf t[2] = { { 0x0, 10, false }, { 0x100, 16, false } };
	struct vring_packed_desc *tab = (void *)(fx.buf_mem + IND_OFF);

	add_indirect(t, 2, 1, 0);
	tab[1].flags = rte_cpu_to_le_16(VRING_DESC_F_INDIRECT);
	return expect_broken(-EIO, "inside an indirect table");
}

static int
test_indirect_bad(void)
{
	struct tbuf t[1] = { { 0x0, 10, false } };
	struct tbuf odd = { IND_OFF, 24, false };

	add_chain(&odd, 1, 1, VRING_DESC_F_INDIRECT);
	TEST_ASSERT_SUCCESS(expect_broken(-EIO, "not a non-zero multiple"), "odd");
	/* not negotiated */
	TEST_ASSERT_SUCCESS(cvqsim_vq_setup(&fx.vq, &fx.as, RING_IOVA, EVT_IOVA,
		EVT_IOVA + EVT_PAGE, 16, 0x8000, 0x8000, features(false, false)),
		"setup without indirect");
	memset(fx.ring_mem, 0, RING_MEM);
	fx.size = 16;
	fx.avail_pos = 0;
	fx.avail_wrap = true;
	fx.vq.stats.errors = 0;
	add_indirect(t, 1, 1, 0);
	return expect_broken(-EIO, "not negotiated");
}

static int
test_indirect_unmapped(void)
{
	struct tbuf bad = { 0, 32, false };
	struct vring_packed_desc *d;

	add_chain(&bad, 1, 1, VRING_DESC_F_INDIRECT);
	d = &fx.desc[0];
	d->addr = rte_cpu_to_le_64(UNMAPPED_IOVA);
	return expect_broken(-EFAULT, "not inside one readable mapping");
}

/* ---- what a hostile driver writes ---- */

static int
test_id_out_of_range(void)
{
	add_one(0x0, 4, true, 256);
	return expect_broken(-EIO, "beyond ring size");
}

static int
test_id_reused_in_flight(void)
{
	add_one(0x0, 4, true, 17);
	add_one(0x100, 4, true, 17);
	TEST_ASSERT_SUCCESS(pop_ok(), "first");
	return expect_broken(-EIO, "made available again");
}

static int
test_chain_rest_not_available(void)
{
	struct tbuf b[3] = { { 0x0, 4, false }, { 0x100, 4, true }, { 0x200, 4, true } };

	add_chain(b, 3, 1, 0);
	/* the driver flips the third descriptor's bits under the device */
	fx.desc[2].flags ^= rte_cpu_to_le_16(F_AVAIL | F_USED);
	return expect_broken(-EIO, "not available");
}

static int
test_wrap_counter_lie(void)
{
	uint16_t n = 0;

	/* marked with the wrong wrap counter: never available */
	write_desc(&fx.desc[0], BUF_IOVA, 4, 1, avail_flags(false));
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), 0, "wrong wrap");
	/* both bits equal: a used descriptor, not an available one */
	write_desc(&fx.desc[0], BUF_IOVA, 4, 1, F_AVAIL | F_USED);
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), 0, "used-looking");
	write_desc(&fx.desc[0], BUF_IOVA, 4, 1, 0);
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), 0, "zero flags");
	TEST_ASSERT(!fx.vq.broken && fx.vq.stats.errors == 0, "not an error");
	/* a ring all of whose descriptors chain on: longer than the ring */
	TEST_ASSERT_SUCCESS(setup_at(4, false, 0x8000, 0x8000), "size 4");
	for (n = 0; n < 4; n++)
		write_desc(&fx.desc[n], BUF_IOVA, 4, 1,
			avail_flags(true) | VRING_DESC_F_NEXT);
	return expect_broken(-EIO, "not available");
}

static int
test_read_after_write(void)
{
	struct tbuf b[2] = { { 0x0, 4, true }, { 0x100, 4, false } };

	add_chain(b, 2, 1, 0);
	return expect_broken(-EIO, "readable descriptor 1 after a writable");
}

static int
test_unmapped_buffer(void)
{
	struct tbuf b = { 0, 4, true };

	add_chain(&b, 1, 1, 0);
	fx.desc[0].addr = rte_cpu_to_le_64(UNMAPPED_IOVA);
	return expect_broken(-EFAULT, "not mapped");
}

static int
test_as_change(void)
{
	add_one(0x0, 4, true, 1);
	add_one(0x0, 4, true, 2);
	TEST_ASSERT_SUCCESS(pop_ok(), "pop before the change");
	/* the ring moves away from under the queue: broken, not a crash */
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&fx.as, RING_IOVA, RING_MEM), 1, "unmap");
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&fx.vq, &fx.chain), -EFAULT, "pop");
	TEST_ASSERT(fx.vq.broken && strstr(fx.vq.error, "after an AS change"),
		"reason: %s", fx.vq.error);
	/* giving back what was popped must not look at the ring that is gone
	 * (fuzz_vq_packed regression unpop-after-as-change) */
	cvqsim_vq_unpop(&fx.vq, 1);
	TEST_ASSERT(!cvqsim_vq_peek(&fx.vq), "nothing to peek at");
	return TEST_SUCCESS;
}

/* ---- notifications ---- */

static int
test_notify_flags(void)
{
	fx.drv_evt->flags = rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_ENABLE);
	TEST_ASSERT(cvqsim_vq_need_notify(&fx.vq), "first: enabled");
	TEST_ASSERT(!cvqsim_vq_need_notify(&fx.vq), "nothing used since");
	add_one(0x0, 4, true, 1);
	pop_ok();
	cvqsim_vq_push(&fx.vq, 1, 4);
	cvqsim_vq_flush(&fx.vq);
	fx.drv_evt->flags = rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_DISABLE);
	TEST_ASSERT(!cvqsim_vq_need_notify(&fx.vq), "disabled");
	add_one(0x0, 4, true, 1);
	pop_ok();
	cvqsim_vq_push(&fx.vq, 1, 4);
	cvqsim_vq_flush(&fx.vq);
	/* DESC without EVENT_IDX is not honoured: enabled */
	fx.drv_evt->flags = rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_DESC);
	TEST_ASSERT(cvqsim_vq_need_notify(&fx.vq), "desc without event_idx");
	return TEST_SUCCESS;
}

/* Use n single-descriptor buffers. */
static void
use_n(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		add_one(0x0, 4, true, (uint16_t)i);
		pop_ok();
		cvqsim_vq_push(&fx.vq, (uint16_t)i, 4);
	}
	cvqsim_vq_flush(&fx.vq);
}

static int
test_notify_event_idx(void)
{
	TEST_ASSERT_SUCCESS(setup_at(8, true, 0x8000, 0x8000), "event_idx");
	fx.drv_evt->flags = rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_DESC);
	/* interrupt when the descriptor at 3 (wrap 1) is used */
	fx.drv_evt->off_wrap = rte_cpu_to_le_16(0x8000 | 3);
	use_n(2);			/* 0, 1 */
	TEST_ASSERT(cvqsim_vq_need_notify(&fx.vq), "the first always goes");
	use_n(1);			/* 2 */
	TEST_ASSERT(!cvqsim_vq_need_notify(&fx.vq), "event not reached");
	use_n(2);			/* 3, 4 */
	TEST_ASSERT(cvqsim_vq_need_notify(&fx.vq), "event at 3 crossed");
	use_n(2);			/* 5, 6 */
	TEST_ASSERT(!cvqsim_vq_need_notify(&fx.vq), "event behind");
	/* an event on the next lap (wrap 0): crossed only after wrapping */
	fx.drv_evt->off_wrap = rte_cpu_to_le_16(1);
	use_n(1);			/* 7 */
	TEST_ASSERT(!cvqsim_vq_need_notify(&fx.vq), "next lap not reached");
	use_n(2);			/* 0, 1 on wrap 0 */
	TEST_ASSERT(cvqsim_vq_need_notify(&fx.vq), "next lap's 1 crossed");
	/* ENABLE with EVENT_IDX: every time */
	fx.drv_evt->flags = rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_ENABLE);
	use_n(1);
	TEST_ASSERT(cvqsim_vq_need_notify(&fx.vq), "enabled");
	fx.drv_evt->flags = rte_cpu_to_le_16(VRING_PACKED_EVENT_FLAG_DISABLE);
	use_n(1);
	TEST_ASSERT(!cvqsim_vq_need_notify(&fx.vq), "disabled");
	return TEST_SUCCESS;
}

static int
test_enable_kick(void)
{
	cvqsim_vq_enable_kick(&fx.vq, false);
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(fx.dev_evt->flags),
		VRING_PACKED_EVENT_FLAG_DISABLE, "disabled");
	cvqsim_vq_enable_kick(&fx.vq, true);
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(fx.dev_evt->flags),
		VRING_PACKED_EVENT_FLAG_ENABLE, "enabled");
	TEST_ASSERT_SUCCESS(setup_at(8, true, 0x0005, 0x0005), "event_idx at 5/0");
	cvqsim_vq_enable_kick(&fx.vq, true);
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(fx.dev_evt->flags),
		VRING_PACKED_EVENT_FLAG_DESC, "descriptor event");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(fx.dev_evt->off_wrap), 5,
		"at the next avail position, wrap 0");
	cvqsim_vq_enable_kick(&fx.vq, false);
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(fx.dev_evt->flags),
		VRING_PACKED_EVENT_FLAG_DISABLE, "disabled again");
	return TEST_SUCCESS;
}

/* Batches are published whole: the first used descriptor goes last. */
static int
test_flush_publishes_batch(void)
{
	uint16_t id, flags;
	uint32_t len;

	add_one(0x0, 4, true, 1);
	add_one(0x0, 4, true, 2);
	pop_ok();
	pop_ok();
	cvqsim_vq_push(&fx.vq, 1, 4);
	cvqsim_vq_push(&fx.vq, 2, 4);
	TEST_ASSERT_EQUAL(get_used(&id, &len, &flags, 1), 0, "first not yet");
	cvqsim_vq_flush(&fx.vq);
	TEST_ASSERT(get_used(&id, &len, &flags, 1) == 1 && id == 1, "first");
	TEST_ASSERT(get_used(&id, &len, &flags, 1) == 1 && id == 2, "second");
	return TEST_SUCCESS;
}

/* What a flush writes, for dirty logging: the used descriptors, wrapped. */
static int
test_unflushed_areas(void)
{
	struct tbuf two[2] = { { 0x0, 4, false }, { 0x100, 4, true } };
	struct cvqsim_vq_written w;
	struct iovec r[2];

	TEST_ASSERT_SUCCESS(setup_at(4, false, 0x8003, 0x8003), "at 3");
	cvqsim_vq_unflushed(&fx.vq, &w);
	TEST_ASSERT(w.nr == 0 && w.publish.iov_len == 0, "nothing pending");
	add_chain(two, 2, 0, 0);	/* positions 3 and 0 */
	add_one(0x200, 4, true, 1);	/* position 1 */
	TEST_ASSERT(pop_ok() == 0 && pop_ok() == 0, "pop two");
	cvqsim_vq_push(&fx.vq, 1, 4);	/* written at 3 */
	cvqsim_vq_push(&fx.vq, 0, 4);	/* written at 0, ends at 2 */
	cvqsim_vq_unflushed(&fx.vq, &w);
	TEST_ASSERT_EQUAL(w.nr, 2u, "wrapped: two pieces");
	TEST_ASSERT(w.entries[0].iov_base == &fx.desc[3] &&
		w.entries[0].iov_len == 16, "position 3");
	TEST_ASSERT(w.entries[1].iov_base == &fx.desc[0] &&
		w.entries[1].iov_len == 32, "positions 0 and 1");
	TEST_ASSERT(w.publish.iov_base == &fx.desc[3].flags, "published by 3's flags");
	cvqsim_vq_flush(&fx.vq);
	cvqsim_vq_unflushed(&fx.vq, &w);
	TEST_ASSERT(w.nr == 0 && w.publish.iov_len == 0, "flushed");
	TEST_ASSERT_EQUAL(cvqsim_vq_device_fields(&fx.vq, r), 1u, "one area");
	TEST_ASSERT(r[0].iov_base == fx.dev_evt && r[0].iov_len == 4,
		"the device event suppression area");
	return TEST_SUCCESS;
}

/* Random descriptor rings: a pop gives a chain or breaks, never crashes. */
static int
test_random_rings(void)
{
	unsigned int round, i;

	srand(14);
	for (round = 0; round < 2000; round++) {
		uint16_t size = (uint16_t)(1 + rand() % 16);

		TEST_ASSERT_SUCCESS(setup_at(size, rand() & 1,
			(uint16_t)((rand() & 0x8000) | (rand() % size)), 0x8000),
			"setup");
		for (i = 0; i < size; i++) {
			uint32_t r = (uint32_t)rand();

			write_desc(&fx.desc[i], BUF_IOVA + (r & 0xfff0),
				r >> 20, (uint16_t)(rand() % (size + 2)),
				(uint16_t)(rand() & (VRING_DESC_F_NEXT |
				VRING_DESC_F_WRITE | VRING_DESC_F_INDIRECT |
				F_AVAIL | F_USED)));
		}
		for (i = 0; i < 2u * size; i++) {
			int ret = cvqsim_vq_pop(&fx.vq, &fx.chain);

			if (ret <= 0) {
				TEST_ASSERT(ret == 0 || fx.vq.broken, "error unbroken");
				break;
			}
			TEST_ASSERT(fx.chain.head < size, "id in range");
			if (rand() & 1) {
				cvqsim_vq_push(&fx.vq, fx.chain.head, 0);
				cvqsim_vq_flush(&fx.vq);
			}
		}
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite vq_packed_suite = {
	.suite_name = "cvqsim packed virtqueue",
	.unit_test_cases = {
		TEST_CASE_ST(ut_setup, ut_teardown, test_setup),
		TEST_CASE_ST(ut_setup, ut_teardown, test_setup_areas),
		TEST_CASE_ST(ut_setup, ut_teardown, test_pop_push_one),
		TEST_CASE_ST(ut_setup, ut_teardown, test_chain_and_lengths),
		TEST_CASE_ST(ut_setup, ut_teardown, test_out_of_order),
		TEST_CASE_ST(ut_setup, ut_teardown, test_wrap_around),
		TEST_CASE_ST(ut_setup, ut_teardown, test_resume_from_base),
		TEST_CASE_ST(ut_setup, ut_teardown, test_unpop),
		TEST_CASE_ST(ut_setup, ut_teardown, test_push_unknown_id),
		TEST_CASE_ST(ut_setup, ut_teardown, test_indirect),
		TEST_CASE_ST(ut_setup, ut_teardown, test_indirect_with_next),
		TEST_CASE_ST(ut_setup, ut_teardown, test_indirect_in_chain),
		TEST_CASE_ST(ut_setup, ut_teardown, test_indirect_nested),
		TEST_CASE_ST(ut_setup, ut_teardown, test_indirect_bad),
		TEST_CASE_ST(ut_setup, ut_teardown, test_indirect_unmapped),
		TEST_CASE_ST(ut_setup, ut_teardown, test_id_out_of_range),
		TEST_CASE_ST(ut_setup, ut_teardown, test_id_reused_in_flight),
		TEST_CASE_ST(ut_setup, ut_teardown, test_chain_rest_not_available),
		TEST_CASE_ST(ut_setup, ut_teardown, test_wrap_counter_lie),
		TEST_CASE_ST(ut_setup, ut_teardown, test_read_after_write),
		TEST_CASE_ST(ut_setup, ut_teardown, test_unmapped_buffer),
		TEST_CASE_ST(ut_setup, ut_teardown, test_as_change),
		TEST_CASE_ST(ut_setup, ut_teardown, test_notify_flags),
		TEST_CASE_ST(ut_setup, ut_teardown, test_notify_event_idx),
		TEST_CASE_ST(ut_setup, ut_teardown, test_enable_kick),
		TEST_CASE_ST(ut_setup, ut_teardown, test_flush_publishes_batch),
		TEST_CASE_ST(ut_setup, ut_teardown, test_unflushed_areas),
		TEST_CASE_ST(ut_setup, ut_teardown, test_random_rings),
		TEST_CASES_END()
	}
};

static int
test_vq_packed(void)
{
	return unit_test_suite_runner(&vq_packed_suite);
}

REGISTER_TEST_COMMAND(vq_packed_autotest, test_vq_packed);
