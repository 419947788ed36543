/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * regress_dp_autotest: regressions found by fuzz_dp in the datapath,
 * tested on the function at fault (cvqsim_iov_copy, cvqsim_iov.h; no
 * device, no EAL).
 *
 * - memcpy-overlap-tx-rx (devtools/fuzz/dp/regressions/): a frontend may
 *   give an RX buffer that overlaps the TX buffer being delivered (it is
 *   all its own memory). memcpy on overlapping ranges is undefined
 *   behaviour in the backend (ASan: memcpy-param-overlap): the copy uses
 *   memmove. The autotest is linked with -Wl,--wrap=memcpy: while a case
 *   runs, every memcpy call (the core library's included) is checked for
 *   overlap, so the test fails in any build, not only under ASan. (In a
 *   sanitizer build the compiler calls the sanitizer's memcpy instead,
 *   which checks overlap itself.)
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cvqsim_iov.h"
#include "test.h"

static bool regress_armed;
static bool regress_overlap_seen;

/* The linker's names for the real memcpy and for the one calls reach. */
void *__real_memcpy(void *dst, const void *src, size_t n);
void *__wrap_memcpy(void *dst, const void *src, size_t n);

/* While armed: records overlapping ranges, and copies them as memmove. */
void *
__wrap_memcpy(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst, s = (uintptr_t)src;

	if (regress_armed && n > 0 && d < s + n && s < d + n) {
		regress_overlap_seen = true;
		return memmove(dst, src, n);
	}
	return __real_memcpy(dst, src, n);
}

/* One guest buffer; TX reads from offset tx_off, RX writes at rx_off. */
static int
overlap_case(size_t tx_off, size_t rx_off, size_t len, bool split)
{
	uint8_t guest[1024], want[1024];
	struct iovec src[2], dst[2];
	unsigned int nsrc = 1, ndst = 1;
	size_t i, done;

	for (i = 0; i < sizeof(guest); i++)
		guest[i] = (uint8_t)(i * 7 + 3);
	memcpy(want, guest, sizeof(want));
	memmove(want + rx_off, want + tx_off, len);

	src[0] = (struct iovec){ guest + tx_off, len };
	dst[0] = (struct iovec){ guest + rx_off, len };
	if (split) {
		/* The RX side in two pieces, as with two mappings. */
		dst[0].iov_len = len / 2;
		dst[1] = (struct iovec){ guest + rx_off + len / 2, len - len / 2 };
		ndst = 2;
	}
	regress_overlap_seen = false;
	regress_armed = true;
	done = cvqsim_iov_copy(dst, ndst, 0, src, nsrc, 0, len);
	regress_armed = false;
	TEST_ASSERT_EQUAL(done, len, "copied %zu of %zu", done, len);
	TEST_ASSERT(!regress_overlap_seen, "tx %zu, rx %zu, %zu bytes: memcpy on"
		" overlapping ranges (undefined behaviour)", tx_off, rx_off, len);
	/*
	 * Copied piece by piece (split), a destination overlapping the source
	 * ahead of it reads bytes an earlier piece wrote: equal to one memmove
	 * only with a bounce buffer, which the datapath does not pay for. The
	 * driver asked for undefined content; the backend stays defined.
	 */
	if (split)
		return TEST_SUCCESS;
	TEST_ASSERT_BUFFERS_ARE_EQUAL(guest, want, sizeof(guest),
		"tx %zu, rx %zu, %zu bytes: not what memmove gives", tx_off, rx_off,
		len);
	return TEST_SUCCESS;
}

/* The fuzzer's case: RX 256 bytes above TX, 456 bytes (ranges overlap). */
static int
test_overlap_tx_rx(void)
{
	TEST_ASSERT_SUCCESS(overlap_case(0x100, 0x200, 456, false), "rx above");
	TEST_ASSERT_SUCCESS(overlap_case(0x200, 0x100, 456, false), "rx below");
	TEST_ASSERT_SUCCESS(overlap_case(0x100, 0x104, 300, true), "split rx");
	TEST_ASSERT_SUCCESS(overlap_case(0x100, 0x100, 300, false), "same");
	return TEST_SUCCESS;
}

/* Disjoint buffers still copy exactly (the common case). */
static int
test_disjoint(void)
{
	return overlap_case(0, 512, 400, true);
}

static struct unit_test_suite regress_dp_suite = {
	.suite_name = "regress_dp",
	.unit_test_cases = {
		TEST_CASE(test_disjoint),
		TEST_CASE(test_overlap_tx_rx),
		TEST_CASES_END(),
	},
};

static int
regress_dp_autotest(void)
{
	return unit_test_suite_runner(&regress_dp_suite);
}

REGISTER_TEST_COMMAND(regress_dp_autotest, regress_dp_autotest);
