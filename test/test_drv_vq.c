/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * drv_vq_autotest: the driver side of a split virtqueue used by the
 * test-vdpa-cvq frontend, against a minimal device written here that reads
 * the rings through GPAs only.
 */

#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "drv_vq.h"
#include "test.h"

#define GPA_BASE	0x40000000ULL
#define QSZ		8

static struct drv_mem mem;
static struct drv_vq vq;

static int
setup_vq(uint32_t flags)
{
	int ret;

	ret = drv_mem_init(&mem, 1 << 20, GPA_BASE);
	if (ret < 0)
		return ret;
	return drv_vq_init(&vq, &mem, 2, QSZ, flags);
}

static void
teardown_vq(void)
{
	drv_vq_free(&vq);
	drv_mem_free(&mem);
}

static int
setup_plain(void)
{
	return setup_vq(0) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

static int
setup_event_indirect(void)
{
	return setup_vq(DRV_VQ_F_EVENT_IDX | DRV_VQ_F_INDIRECT) == 0 ?
		TEST_SUCCESS : TEST_FAILED;
}

/* The device: the descriptor a GPA names, or NULL. */
static struct vring_desc *
dev_desc_table(uint64_t gpa, uint32_t len)
{
	return drv_mem_va(&mem, gpa, len);
}

/* The device takes the next avail head and completes it with len. */
static int
dev_complete_next(uint16_t *last_avail, uint32_t len)
{
	uint16_t head;

	if (*last_avail == vq.avail->idx)
		return -1;
	head = vq.avail->ring[*last_avail % QSZ];
	(*last_avail)++;
	vq.used->ring[vq.used->idx % QSZ].id = head;
	vq.used->ring[vq.used->idx % QSZ].len = len;
	__atomic_store_n(&vq.used->idx, (uint16_t)(vq.used->idx + 1),
		__ATOMIC_RELEASE);
	return head;
}

static int
test_mem_gpa(void)
{
	uint8_t *p;

	TEST_ASSERT(mem.gpa == GPA_BASE, "gpa base");
	TEST_ASSERT((uint64_t)(uintptr_t)mem.va != mem.gpa,
		"GPA must differ from the mapping address");
	p = drv_mem_alloc(&mem, 100, 64);
	TEST_ASSERT_NOT_NULL(p, "alloc");
	TEST_ASSERT_EQUAL(drv_mem_gpa(&mem, p) % 64, 0u, "alignment");
	TEST_ASSERT(drv_mem_va(&mem, drv_mem_gpa(&mem, p), 100) == p, "roundtrip");
	TEST_ASSERT_NULL(drv_mem_va(&mem, GPA_BASE - 1, 2), "below");
	TEST_ASSERT_NULL(drv_mem_va(&mem, GPA_BASE + mem.size - 1, 2), "across end");
	TEST_ASSERT_EQUAL(drv_mem_gpa(&mem, &mem), UINT64_MAX, "outside");
	TEST_ASSERT_NULL(drv_mem_alloc(&mem, mem.size, 8), "exhaustion");
	return TEST_SUCCESS;
}

static int
test_chain_and_complete(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 16, 16), *b = drv_mem_alloc(&mem, 8, 8);
	struct drv_buf bufs[2] = { { a, 16, false }, { b, 8, true } };
	uint16_t last_avail = 0, round;
	struct vring_desc *d;
	void *cookie;
	uint32_t len;
	int head;

	/* Many more chains than the ring holds: the free list must recycle. */
	for (round = 0; round < 5 * QSZ; round++) {
		TEST_ASSERT_SUCCESS(drv_vq_add(&vq, bufs, 2, false,
			(void *)(uintptr_t)(round + 1)), "add %u", round);
		drv_vq_publish(&vq);
		head = dev_complete_next(&last_avail, 3);
		TEST_ASSERT(head >= 0 && head < QSZ, "head %d", head);
		d = &vq.desc[head];
		TEST_ASSERT_EQUAL(d->addr, drv_mem_gpa(&mem, a), "GPA in desc");
		TEST_ASSERT_EQUAL(d->len, 16u, "len");
		TEST_ASSERT_EQUAL(d->flags, VRING_DESC_F_NEXT, "flags");
		TEST_ASSERT_EQUAL(vq.desc[d->next].flags, VRING_DESC_F_WRITE,
			"second is writable, last");
		TEST_ASSERT_EQUAL(drv_vq_get_used(&vq, &cookie, &len), 1, "used");
		TEST_ASSERT_EQUAL((uintptr_t)cookie, (uintptr_t)round + 1, "cookie");
		TEST_ASSERT_EQUAL(len, 3u, "used len");
		TEST_ASSERT_EQUAL(drv_vq_get_used(&vq, &cookie, &len), 0, "empty");
	}
	TEST_ASSERT_EQUAL(vq.num_free, QSZ, "all descriptors back");
	/* Ring full: QSZ/2 two-descriptor chains, then ENOSPC. */
	for (round = 0; round < QSZ / 2; round++)
		TEST_ASSERT_SUCCESS(drv_vq_add(&vq, bufs, 2, false, NULL), "fill");
	TEST_ASSERT_EQUAL(drv_vq_add(&vq, bufs, 2, false, NULL), -ENOSPC, "full");
	TEST_ASSERT_EQUAL(drv_vq_in_flight(&vq), QSZ / 2, "in flight");
	return TEST_SUCCESS;
}

static int
test_bad_input(void)
{
	uint8_t local[8];
	uint8_t *a = drv_mem_alloc(&mem, 16, 16);
	struct drv_buf outside = { local, 8, false };
	struct drv_buf order[2] = { { a, 8, true }, { a + 8, 8, false } };
	struct drv_buf ok = { a, 16, false };

	TEST_ASSERT_EQUAL(drv_vq_add(&vq, &outside, 1, false, NULL), -EINVAL,
		"buffer outside guest memory accepted");
	TEST_ASSERT_EQUAL(drv_vq_add(&vq, order, 2, false, NULL), -EINVAL,
		"readable after writable accepted");
	TEST_ASSERT_EQUAL(drv_vq_add(&vq, &ok, 0, false, NULL), -EINVAL, "n=0");
	TEST_ASSERT_EQUAL(drv_vq_add(&vq, &ok, 1, true, NULL), -ENOTSUP,
		"indirect without the feature");
	TEST_ASSERT_EQUAL(vq.num_free, QSZ, "nothing leaked");
	return TEST_SUCCESS;
}

/* A device that writes nonsense in the used ring gets -EIO, no crash. */
static int
test_bad_used(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 16, 16);
	struct drv_buf b = { a, 16, true };
	void *cookie;
	uint32_t len;

	TEST_ASSERT_SUCCESS(drv_vq_add(&vq, &b, 1, false, NULL), "add");
	drv_vq_publish(&vq);
	vq.used->ring[0].id = 1000;
	vq.used->idx = 1;
	TEST_ASSERT_EQUAL(drv_vq_get_used(&vq, &cookie, &len), -EIO, "bad id");
	vq.used->ring[1].id = 5;	/* valid index, not in flight */
	vq.used->idx = 2;
	TEST_ASSERT_EQUAL(drv_vq_get_used(&vq, &cookie, &len), -EIO,
		"id not in flight");
	vq.used->idx = (uint16_t)(vq.last_used + QSZ + 1);
	TEST_ASSERT_EQUAL(drv_vq_get_used(&vq, &cookie, &len), -EIO,
		"used idx ran ahead");
	TEST_ASSERT_EQUAL(vq.stats.bad_used, 3u, "counted");
	TEST_ASSERT(vq.err[0] != '\0', "message");
	return TEST_SUCCESS;
}

static int
kicks_seen(void)
{
	uint64_t n = 0;

	if (read(vq.kickfd, &n, sizeof(n)) != sizeof(n))
		return 0;
	return (int)n;
}

static int
test_kick_no_notify(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 16, 16);
	struct drv_buf b = { a, 16, false };

	drv_vq_add(&vq, &b, 1, false, NULL);
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 1, "kick");
	TEST_ASSERT_EQUAL(kicks_seen(), 1, "eventfd written");
	vq.used->flags = VRING_USED_F_NO_NOTIFY;
	drv_vq_add(&vq, &b, 1, false, NULL);
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 0, "suppressed");
	TEST_ASSERT_EQUAL(kicks_seen(), 0, "no eventfd write");
	TEST_ASSERT_EQUAL(vq.avail->idx, 2, "published anyway");
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 0, "nothing new: no kick");
	return TEST_SUCCESS;
}

static int
test_kick_event_idx(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 16, 16);
	struct drv_buf b = { a, 16, false };
	uint16_t *avail_event = (uint16_t *)&vq.used->ring[QSZ];
	uint64_t one = 1;

	/* Device wants a kick when entry 0 is published. */
	*avail_event = 0;
	drv_vq_add(&vq, &b, 1, false, NULL);
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 1, "kick for idx 0");
	kicks_seen();
	/* Device says: wake me at entry 3; publishing 1 and 2 stays quiet. */
	*avail_event = 3;
	drv_vq_add(&vq, &b, 1, false, NULL);
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 0, "idx 1 suppressed");
	drv_vq_add(&vq, &b, 1, false, NULL);
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 0, "idx 2 suppressed");
	drv_vq_add(&vq, &b, 1, false, NULL);
	drv_vq_add(&vq, &b, 1, false, NULL);
	TEST_ASSERT_EQUAL(drv_vq_kick(&vq), 1, "crossing 3 kicks");
	TEST_ASSERT_EQUAL(vq.stats.kicks_suppressed, 2u, "counted");

	/* used_event follows last_used when interrupts are on. */
	drv_vq_enable_interrupts(&vq, true);
	TEST_ASSERT_EQUAL(vq.avail->ring[QSZ], vq.last_used, "used_event");
	drv_vq_enable_interrupts(&vq, false);
	TEST_ASSERT(vq.avail->flags & VRING_AVAIL_F_NO_INTERRUPT, "flag");
	TEST_ASSERT_EQUAL(vq.avail->ring[QSZ],
		(uint16_t)(vq.last_used + 0x8000), "used_event far away");

	/* The call eventfd. */
	TEST_ASSERT_EQUAL(drv_vq_wait_call(&vq, 1000000), 0, "timeout");
	TEST_ASSERT_EQUAL(write(vq.callfd, &one, sizeof(one)), 8, "signal");
	TEST_ASSERT_EQUAL(drv_vq_wait_call(&vq, 1000000), 1, "signalled");
	return TEST_SUCCESS;
}

static int
test_indirect(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 64, 16);
	struct drv_buf bufs[3] = {
		{ a, 2, false }, { a + 2, 30, false }, { a + 32, 1, true },
	};
	struct vring_desc *d, *t;
	uint16_t last_avail = 0;
	int head;

	TEST_ASSERT_SUCCESS(drv_vq_add(&vq, bufs, 3, true, NULL), "add");
	TEST_ASSERT_EQUAL(vq.num_free, QSZ - 1, "one ring descriptor");
	drv_vq_publish(&vq);
	head = dev_complete_next(&last_avail, 1);
	d = &vq.desc[head];
	TEST_ASSERT_EQUAL(d->flags, VRING_DESC_F_INDIRECT, "indirect flag");
	TEST_ASSERT_EQUAL(d->len, 3 * sizeof(struct vring_desc), "table len");
	t = dev_desc_table(d->addr, d->len);
	TEST_ASSERT_NOT_NULL(t, "table GPA translates");
	TEST_ASSERT(t[0].addr == drv_mem_gpa(&mem, a) && t[0].len == 2 &&
		t[0].flags == VRING_DESC_F_NEXT && t[0].next == 1, "entry 0");
	TEST_ASSERT(t[2].flags == VRING_DESC_F_WRITE && t[2].len == 1, "entry 2");
	return TEST_SUCCESS;
}

/* Each fault writes what it names, once, and taints the ring. */
static int
test_faults(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 64, 16);
	struct drv_buf bufs[2] = { { a, 16, false }, { a + 16, 8, true } };
	uint16_t slot;
	struct vring_desc *d;
	uint16_t head;

	TEST_ASSERT_EQUAL(drv_vq_fault_from_name("desc-loop"),
		DRV_VQ_FAULT_DESC_LOOP, "name lookup");
	TEST_ASSERT_EQUAL(drv_vq_fault_from_name("nope"), DRV_VQ_FAULT_MAX,
		"unknown name");
	TEST_ASSERT_EQUAL(drv_vq_inject(&vq, DRV_VQ_FAULT_MAX), -EINVAL, "bad");

/* Add a chain of n of bufs with fault f armed; d is its head descriptor. */
#define ADD_WITH(f, n, ind) do {					\
	slot = vq.avail_idx % QSZ;					\
	head = vq.free_head;						\
	TEST_ASSERT_SUCCESS(drv_vq_inject(&vq, f), "inject");		\
	TEST_ASSERT_SUCCESS(drv_vq_add(&vq, bufs, n, ind, NULL), "add"); \
	d = &vq.desc[head];						\
} while (0)

	ADD_WITH(DRV_VQ_FAULT_LEN_ZERO, 1, false);
	TEST_ASSERT_EQUAL(d->len, 0u, "len zero");
	TEST_ASSERT(vq.tainted, "tainted");
	ADD_WITH(DRV_VQ_FAULT_LEN_4G, 1, false);
	TEST_ASSERT_EQUAL(d->len, UINT32_MAX, "len 4G");
	ADD_WITH(DRV_VQ_FAULT_ADDR_UNMAPPED, 1, false);
	TEST_ASSERT_NULL(drv_mem_va(&mem, d->addr, 1), "unmapped");
	ADD_WITH(DRV_VQ_FAULT_DESC_LOOP, 2, false);
	TEST_ASSERT(vq.desc[d->next].flags & VRING_DESC_F_NEXT, "loop flag");
	TEST_ASSERT_EQUAL(vq.desc[d->next].next, head, "loops to head");
	TEST_ASSERT_EQUAL(vq.stats.faults, 4u, "four faults");
	/* One-shot: the next add is clean again. */
	slot = vq.avail_idx % QSZ;
	head = vq.free_head;
	TEST_ASSERT_SUCCESS(drv_vq_add(&vq, bufs, 2, false, NULL), "clean add");
	TEST_ASSERT_EQUAL(vq.desc[head].len, 16u, "clean");
	TEST_ASSERT_EQUAL(vq.avail->ring[slot], head, "clean avail");
	return TEST_SUCCESS;
}

static int
test_faults_indirect_and_avail(void)
{
	uint8_t *a = drv_mem_alloc(&mem, 64, 16);
	struct drv_buf bufs[2] = { { a, 16, false }, { a + 16, 8, true } };
	struct vring_desc *d, *t;
	uint16_t slot, head, before;

	ADD_WITH(DRV_VQ_FAULT_NESTED_INDIRECT, 2, true);
	t = dev_desc_table(d->addr, d->len);
	TEST_ASSERT_NOT_NULL(t, "table");
	TEST_ASSERT(t[0].flags & VRING_DESC_F_INDIRECT, "nested indirect");
	ADD_WITH(DRV_VQ_FAULT_INDIRECT_LEN_ODD, 2, false);
	TEST_ASSERT(d->flags & VRING_DESC_F_INDIRECT, "forced indirect");
	TEST_ASSERT(d->len % 16 != 0, "odd table length");
	ADD_WITH(DRV_VQ_FAULT_NEXT_OUT_OF_RANGE, 2, true);
	t = dev_desc_table(d->addr, d->len);
	TEST_ASSERT(t[1].flags & VRING_DESC_F_NEXT && t[1].next >= 2,
		"next beyond the table");
	ADD_WITH(DRV_VQ_FAULT_HEAD_OUT_OF_RANGE, 2, false);
	TEST_ASSERT(vq.avail->ring[slot] >= QSZ, "head beyond the ring");
	(void)d;

	before = vq.avail_idx;
	TEST_ASSERT_SUCCESS(drv_vq_inject(&vq, DRV_VQ_FAULT_AVAIL_IDX_JUMP),
		"inject");
	drv_vq_publish(&vq);
	TEST_ASSERT_EQUAL(vq.avail->idx, (uint16_t)(before + QSZ + 1),
		"avail idx jumped");

	TEST_ASSERT_SUCCESS(drv_vq_write_desc_raw(&vq, 1, 0xdead0000, 7,
		VRING_DESC_F_NEXT, 1), "raw desc");
	TEST_ASSERT(vq.desc[1].addr == 0xdead0000 && vq.desc[1].next == 1,
		"raw written");
	TEST_ASSERT_EQUAL(drv_vq_write_desc_raw(&vq, QSZ, 0, 0, 0, 0), -EINVAL,
		"raw index checked");
	drv_vq_set_avail_idx_raw(&vq, 0x1234);
	TEST_ASSERT_EQUAL(vq.avail->idx, 0x1234, "raw avail idx");

	/* A reset gives a clean ring back. */
	drv_vq_reset(&vq);
	TEST_ASSERT(!vq.tainted && vq.num_free == QSZ && vq.avail->idx == 0,
		"reset");
	return TEST_SUCCESS;
}

static struct unit_test_suite drv_vq_suite = {
	.suite_name = "test-vdpa-cvq driver virtqueue",
	.unit_test_cases = {
		TEST_CASE_ST(setup_plain, teardown_vq, test_mem_gpa),
		TEST_CASE_ST(setup_plain, teardown_vq, test_chain_and_complete),
		TEST_CASE_ST(setup_plain, teardown_vq, test_bad_input),
		TEST_CASE_ST(setup_plain, teardown_vq, test_bad_used),
		TEST_CASE_ST(setup_plain, teardown_vq, test_kick_no_notify),
		TEST_CASE_ST(setup_event_indirect, teardown_vq,
			test_kick_event_idx),
		TEST_CASE_ST(setup_event_indirect, teardown_vq, test_indirect),
		TEST_CASE_ST(setup_event_indirect, teardown_vq, test_faults),
		TEST_CASE_ST(setup_event_indirect, teardown_vq,
			test_faults_indirect_and_avail),
		TEST_CASES_END(),
	},
};

static int
test_drv_vq(void)
{
	return unit_test_suite_runner(&drv_vq_suite);
}

REGISTER_TEST_COMMAND(drv_vq_autotest, test_drv_vq);
