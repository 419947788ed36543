/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * drv_vq_packed_autotest: the frontend's driver side of a packed virtqueue
 * (app/test-vdpa-cvq/drv_vq_packed.c) against the device's packed engine
 * (cvqsim_vq_packed.c), both in this process: the device reaches the
 * driver's guest memory only through an address space at the guest's
 * addresses. Chains of every shape go round a ring of a size that is no
 * power of two, are completed out of order, and each side checks the
 * other; kicks and interrupts are suppressed as each side asks; each
 * packed fault the driver can write is refused by the device.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cvqsim_vq.h"
#include "drv_vq.h"
#include "test.h"

#define GPA_BASE	0x40000000ULL
#define QSZ		7
#define BUF_LEN		64

static struct drv_mem mem;
static struct drv_vq drv;
static struct cvqsim_as as;
static struct cvqsim_vq dev;
static struct cvqsim_chain chain;
static uint8_t *bufs;

static uint64_t
dev_features(void)
{
	return (1ULL << VIRTIO_F_RING_PACKED) |
		(1ULL << VIRTIO_RING_F_EVENT_IDX) |
		(1ULL << VIRTIO_RING_F_INDIRECT_DESC);
}

static int
setup(void)
{
	uint16_t base;

	memset(&dev, 0, sizeof(dev));
	if (drv_mem_init(&mem, 4 << 20, GPA_BASE) < 0 ||
			drv_vq_init(&drv, &mem, 1, QSZ, DRV_VQ_F_PACKED |
				DRV_VQ_F_EVENT_IDX | DRV_VQ_F_INDIRECT) < 0)
		return TEST_FAILED;
	bufs = drv_mem_alloc(&mem, 64 * BUF_LEN, 64);
	cvqsim_as_init(&as, 0);
	if (bufs == NULL || cvqsim_as_map(&as, mem.gpa, mem.size,
			(uint64_t)(uintptr_t)mem.va, CVQSIM_PERM_RW) < 0)
		return TEST_FAILED;
	base = drv_vq_avail_base(&drv);
	cvqsim_vq_init(&dev, 1, CVQSIM_GROUP_DATA);
	if (cvqsim_vq_setup(&dev, &as, drv.desc_gpa, drv.avail_gpa, drv.used_gpa,
			QSZ, base, base, dev_features()) < 0) {
		printf("device setup: %s\n", dev.error);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

static void
teardown(void)
{
	cvqsim_vq_teardown(&dev);
	cvqsim_as_fini(&as);
	drv_vq_free(&drv);
	drv_mem_free(&mem);
}

/* Add a chain of nout readable and nin writable buffers, cookie k. */
static int
add(unsigned int nout, unsigned int nin, bool indirect, uintptr_t k)
{
	struct drv_buf b[4];
	unsigned int i;

	for (i = 0; i < nout + nin; i++) {
		b[i].va = bufs + ((k * 4 + i) % 64) * BUF_LEN;
		b[i].len = BUF_LEN;
		b[i].writable = i >= nout;
	}
	return drv_vq_add(&drv, b, nout + nin, indirect, (void *)k);
}

static int
test_setup_base(void)
{
	uint16_t a, u;

	TEST_ASSERT_EQUAL(drv_vq_avail_base(&drv), 0x8000, "fresh base");
	cvqsim_vq_get_base(&dev, &a, &u);
	TEST_ASSERT(a == 0x8000 && u == 0x8000, "device base %#x %#x", a, u);
	TEST_ASSERT_EQUAL(drv_vq_device_used_base(&drv), 0x8000, "nothing used");
	return TEST_SUCCESS;
}

/* Many laps of chains of every shape, completed in reverse order. */
static int
test_laps_out_of_order(void)
{
	uintptr_t next = 1, done = 0;
	unsigned int round;

	srand(7);
	for (round = 0; round < 300; round++) {
		uint16_t popped[QSZ], n = 0, i;
		void *cookie;
		uint32_t len;
		int ret;

		/* Fill what fits: 1 to 3 buffers, some through a table. */
		for (;;) {
			unsigned int nout = 1 + rand() % 2, nin = rand() % 2;

			if (add(nout, nin, rand() % 3 == 0, next) < 0)
				break;
			next++;
		}
		drv_vq_publish(&drv);
		while ((ret = cvqsim_vq_pop(&dev, &chain)) == 1) {
			TEST_ASSERT(chain.out_len + chain.in_len > 0, "a chain");
			popped[n++] = chain.head;
		}
		TEST_ASSERT_EQUAL(ret, 0, "pop: %s", dev.error ? dev.error : "");
		TEST_ASSERT(n > 0, "round %u: nothing popped", round);
		for (i = n; i-- > 0;)
			cvqsim_vq_push(&dev, popped[i], 3);
		cvqsim_vq_flush(&dev);
		TEST_ASSERT_EQUAL(drv_vq_used_pending(&drv), n, "used pending");
		while ((ret = drv_vq_get_used(&drv, &cookie, &len)) == 1)
			done++;
		TEST_ASSERT_EQUAL(ret, 0, "get_used: %s", drv.err);
		TEST_ASSERT_EQUAL(drv_vq_in_flight(&drv), 0, "all back");
	}
	TEST_ASSERT_EQUAL(done, next - 1, "every chain completed once");
	TEST_ASSERT_EQUAL(drv.stats.bad_used, 0ull, "no bad used entry");
	TEST_ASSERT_EQUAL(dev.stats.errors, 0ull, "no device error");
	return TEST_SUCCESS;
}

/* A used length counts only with VRING_DESC_F_WRITE, never past the chain. */
static int
test_used_length(void)
{
	void *cookie;
	uint32_t len;

	TEST_ASSERT_SUCCESS(add(1, 0, false, 1), "readable only");
	TEST_ASSERT_SUCCESS(add(1, 1, false, 2), "with a writable buffer");
	drv_vq_publish(&drv);
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&dev, &chain), 1, "pop 1");
	cvqsim_vq_push(&dev, chain.head, 10);	/* nothing writable: 0 */
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&dev, &chain), 1, "pop 2");
	cvqsim_vq_push(&dev, chain.head, 100000);
	cvqsim_vq_flush(&dev);
	TEST_ASSERT_EQUAL(drv_vq_get_used(&drv, &cookie, &len), 1, "used 1");
	TEST_ASSERT(cookie == (void *)1 && len == 0, "readable chain: len %u", len);
	TEST_ASSERT_EQUAL(drv_vq_get_used(&drv, &cookie, &len), 1, "used 2");
	TEST_ASSERT(cookie == (void *)2 && len == BUF_LEN, "len %u", len);
	return TEST_SUCCESS;
}

/* Each side's event suppression, as the other reads it. */
static int
test_suppression(void)
{
	void *cookie;
	uint32_t len;

	TEST_ASSERT_SUCCESS(add(1, 0, false, 1), "add");
	cvqsim_vq_enable_kick(&dev, false);
	TEST_ASSERT_EQUAL(drv_vq_kick(&drv), 0, "device busy-polls: no kick");
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&dev, &chain), 1, "pop");
	/* EVENT_IDX: a kick for the next descriptor, not for an old one. */
	cvqsim_vq_enable_kick(&dev, true);
	TEST_ASSERT_SUCCESS(add(1, 0, false, 2), "add");
	TEST_ASSERT_EQUAL(drv_vq_kick(&drv), 1, "kick at the event");
	TEST_ASSERT_SUCCESS(add(1, 0, false, 3), "add");
	TEST_ASSERT_EQUAL(drv_vq_kick(&drv), 0, "past the event: no kick");

	drv_vq_enable_interrupts(&drv, false);
	cvqsim_vq_push(&dev, chain.head, 0);
	cvqsim_vq_flush(&dev);
	TEST_ASSERT(!cvqsim_vq_need_notify(&dev), "interrupts off");
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&dev, &chain), 1, "pop");
	cvqsim_vq_push(&dev, chain.head, 0);
	cvqsim_vq_flush(&dev);
	TEST_ASSERT(!cvqsim_vq_need_notify(&dev), "still off");
	/* The driver takes what was used, then asks for the next. */
	while (drv_vq_get_used(&drv, &cookie, &len) == 1)
		;
	drv_vq_enable_interrupts(&drv, true);
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&dev, &chain), 1, "pop");
	cvqsim_vq_push(&dev, chain.head, 0);
	cvqsim_vq_flush(&dev);
	TEST_ASSERT(cvqsim_vq_need_notify(&dev), "interrupts on at the event");
	return TEST_SUCCESS;
}

/* Arm fault f, add a chain, and expect the device to break on it. */
static int
expect_refused(enum drv_vq_fault f, unsigned int nout, unsigned int nin,
		bool indirect, const char *reason)
{
	int ret;

	TEST_ASSERT_SUCCESS(drv_vq_inject(&drv, f), "inject %s",
		drv_vq_fault_name(f));
	TEST_ASSERT_SUCCESS(add(nout, nin, indirect, 9), "add");
	drv_vq_publish(&drv);
	while ((ret = cvqsim_vq_pop(&dev, &chain)) == 1)
		;
	TEST_ASSERT(ret == -EIO && strstr(dev.error, reason) != NULL,
		"%s: pop %d, '%s', expected '%s'", drv_vq_fault_name(f), ret,
		dev.error ? dev.error : "", reason);
	return TEST_SUCCESS;
}

static int
test_fault_wrap_lie(void)
{
	return expect_refused(DRV_VQ_FAULT_WRAP_LIE, 1, 0, false, "not available");
}

static int
test_fault_id_out_of_range(void)
{
	return expect_refused(DRV_VQ_FAULT_HEAD_OUT_OF_RANGE, 1, 1, false,
		"beyond ring size");
}

static int
test_fault_indirect_in_chain(void)
{
	return expect_refused(DRV_VQ_FAULT_INDIRECT_IN_CHAIN, 1, 1, false,
		"inside a chain");
}

static int
test_fault_nested_indirect(void)
{
	return expect_refused(DRV_VQ_FAULT_NESTED_INDIRECT, 2, 0, true,
		"inside an indirect table");
}

static int
test_fault_id_in_flight(void)
{
	/* The device holds the first chain when the id comes again. */
	TEST_ASSERT_SUCCESS(add(1, 0, false, 1), "add");
	drv_vq_publish(&drv);
	TEST_ASSERT_EQUAL(cvqsim_vq_pop(&dev, &chain), 1, "pop");
	return expect_refused(DRV_VQ_FAULT_ID_IN_FLIGHT, 1, 0, false,
		"made available again");
}

static int
test_fault_layouts(void)
{
	TEST_ASSERT_EQUAL(drv_vq_inject(&drv, DRV_VQ_FAULT_AVAIL_IDX_JUMP),
		-ENOTSUP, "no avail index in a packed ring");
	TEST_ASSERT_EQUAL(drv_vq_inject(&drv, DRV_VQ_FAULT_NEXT_OUT_OF_RANGE),
		-ENOTSUP, "no next field in a packed ring");
	TEST_ASSERT_SUCCESS(drv_vq_inject(&drv, DRV_VQ_FAULT_NONE), "disarm");
	return TEST_SUCCESS;
}

static struct unit_test_suite drv_vq_packed_suite = {
	.suite_name = "test-vdpa-cvq packed driver ring against the device's",
	.unit_test_cases = {
		TEST_CASE_ST(setup, teardown, test_setup_base),
		TEST_CASE_ST(setup, teardown, test_laps_out_of_order),
		TEST_CASE_ST(setup, teardown, test_used_length),
		TEST_CASE_ST(setup, teardown, test_suppression),
		TEST_CASE_ST(setup, teardown, test_fault_wrap_lie),
		TEST_CASE_ST(setup, teardown, test_fault_id_out_of_range),
		TEST_CASE_ST(setup, teardown, test_fault_indirect_in_chain),
		TEST_CASE_ST(setup, teardown, test_fault_nested_indirect),
		TEST_CASE_ST(setup, teardown, test_fault_id_in_flight),
		TEST_CASE_ST(setup, teardown, test_fault_layouts),
		TEST_CASES_END(),
	}
};

static int
test_drv_vq_packed(void)
{
	return unit_test_suite_runner(&drv_vq_packed_suite);
}

REGISTER_TEST_COMMAND(drv_vq_packed_autotest, test_drv_vq_packed);
