/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * dp_frame_autotest: the receive header store both datapath paths use
 * (cvqsim_dp_put_rx_hdr, cvqsim_dp_frame.h). A header the buffer already
 * holds must not be written at all: the test puts it on a read-only page,
 * where any store faults. Any other header must be written whole, and
 * nothing around it.
 */

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include "cvqsim_dp_frame.h"
#include "test.h"

#define HDR12	sizeof(struct virtio_net_hdr_mrg_rxbuf)
#define HDR20	sizeof(struct virtio_net_hdr_v1_hash)
#define CANARY	0xa5

/* What the device writes for a plain frame with MRG_RXBUF: num_buffers 1. */
static void
fill_hdr(uint8_t *h, size_t len)
{
	memset(h, 0, len);
	h[10] = 1;
	if (len > HDR12)
		h[12] = 0x5a;	/* a hash value */
}

/*
 * The buffer already holds the header: on a page made read-only, the
 * store must not be attempted (a write would kill the test with SIGSEGV).
 */
static int
test_same_hdr_not_written(size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	uint8_t hdr[HDR20];
	uint8_t *buf;
	int ret = 0;

	buf = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(buf != MAP_FAILED, "mmap");
	/* The header ends a page's first line, as in an mbuf's headroom. */
	fill_hdr(buf + 64 - len, len);
	fill_hdr(hdr, len);
	if (mprotect(buf, (size_t)page, PROT_READ) != 0) {
		munmap(buf, (size_t)page);
		TEST_ASSERT(0, "mprotect");
	}
	cvqsim_dp_put_rx_hdr(buf + 64 - len, hdr, (uint32_t)len);
	if (memcmp(buf + 64 - len, hdr, len) != 0)
		ret = -1;
	munmap(buf, (size_t)page);
	TEST_ASSERT(ret == 0, "%zu-byte header changed", len);
	return 0;
}

/* Any byte different: the whole header written, and no byte around it. */
static int
test_other_hdr_written(size_t len)
{
	uint8_t buf[HDR20 + 2], hdr[HDR20];
	size_t i;

	for (i = 0; i < len; i++) {
		memset(buf, CANARY, sizeof(buf));
		fill_hdr(buf + 1, len);
		fill_hdr(hdr, len);
		hdr[i] ^= 0x80;
		cvqsim_dp_put_rx_hdr(buf + 1, hdr, (uint32_t)len);
		TEST_ASSERT(memcmp(buf + 1, hdr, len) == 0,
			"%zu-byte header with byte %zu different not written",
			len, i);
		TEST_ASSERT(buf[0] == CANARY && buf[len + 1] == CANARY,
			"%zu-byte header: a byte around it written", len);
	}
	/* A buffer of other data (a driver that does not recycle). */
	memset(buf, CANARY, sizeof(buf));
	fill_hdr(hdr, len);
	cvqsim_dp_put_rx_hdr(buf + 1, hdr, (uint32_t)len);
	TEST_ASSERT(memcmp(buf + 1, hdr, len) == 0,
		"%zu-byte header over other data not written", len);
	TEST_ASSERT(buf[len + 1] == CANARY, "%zu-byte header overran", len);
	return 0;
}

static int
dp_frame_autotest(void)
{
	static const size_t lens[] = { HDR12, HDR20 };
	size_t i;

	for (i = 0; i < RTE_DIM(lens); i++) {
		if (test_same_hdr_not_written(lens[i]) != 0 ||
				test_other_hdr_written(lens[i]) != 0)
			return -1;
	}
	return 0;
}

REGISTER_TEST_COMMAND(dp_frame_autotest, dp_frame_autotest);
