/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * csum_autotest: receive checksum validation (cvqsim_csum.c), what the
 * device does before it sets VIRTIO_NET_HDR_F_DATA_VALID: TCP and UDP over
 * IPv4 and IPv6, with VLAN tags, the frame cut into iovecs anywhere (odd
 * offsets too), a wrong checksum, and what it cannot check.
 */

#include <string.h>
#include <sys/uio.h>

#include <rte_common.h>

#include "cvqsim_csum.h"
#include "frames.h"
#include "test.h"

#define FRAME_CAP	512

static uint8_t frame[FRAME_CAP];
static uint32_t frame_bytes;

/* A frame of the frames.c stream described by text (valid checksums). */
static int
build(const char *text)
{
	struct frame_spec spec;
	char err[128];

	frame_spec_init(&spec);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&spec, text, err, sizeof(err)),
		"%s: %s", text, err);
	frame_bytes = frame_build(&spec, 3, frame, sizeof(frame));
	TEST_ASSERT(frame_bytes > 0, "%s: build", text);
	return TEST_SUCCESS;
}

/* The verdict on the frame cut into iovecs at a and b (a <= b <= len). */
static enum cvqsim_csum_verdict
verify_cut(uint32_t a, uint32_t b)
{
	struct iovec iov[3] = {
		{ frame, a },
		{ frame + a, b - a },
		{ frame + b, frame_bytes - b },
	};

	return cvqsim_csum_verify(iov, RTE_DIM(iov), 0, frame_bytes);
}

/* The same verdict whole and cut at every pair of a few offsets. */
static int
expect(enum cvqsim_csum_verdict want, const char *what)
{
	static const uint32_t cuts[] = { 0, 1, 13, 14, 33, 35, 41, 54, 77 };
	unsigned int i, j;

	for (i = 0; i < RTE_DIM(cuts); i++)
		for (j = i; j < RTE_DIM(cuts); j++) {
			uint32_t a = RTE_MIN(cuts[i], frame_bytes);
			uint32_t b = RTE_MIN(cuts[j], frame_bytes);
			enum cvqsim_csum_verdict got = verify_cut(a, b);

			TEST_ASSERT_EQUAL(got, want, "%s: verdict %d, expected"
				" %d (cut at %u and %u)", what, got, want, a, b);
		}
	return TEST_SUCCESS;
}

static int
test_valid_and_bad(void)
{
	static const char * const streams[] = {
		"ipv4 udp len=100",
		"ipv4 tcp len=101",
		"ipv6 udp len=64",
		"ipv6 tcp len=333",
		"vlan=100 ipv4 tcp len=80",
		"vlan=7 ipv6 udp len=17",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(streams); i++) {
		TEST_ASSERT_SUCCESS(build(streams[i]), "build");
		TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_VALID, streams[i]),
			"valid");
		/* One payload bit: the sum no longer folds to 0xffff. */
		frame[frame_bytes - 1] ^= 0x10;
		TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_BAD, streams[i]), "bad");
		frame[frame_bytes - 1] ^= 0x10;
		/* Ethernet padding after the datagram is not summed. */
		frame[frame_bytes] = 0xab;
		frame[frame_bytes + 1] = 0xcd;
		frame_bytes += 2;
		TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_VALID, streams[i]),
			"padded");
	}
	return TEST_SUCCESS;
}

static int
test_not_checked(void)
{
	uint32_t l3 = 14, l4 = 14 + 20;

	/* Not IP. */
	TEST_ASSERT_SUCCESS(build("ipv4 udp len=64"), "build");
	frame[12] = 0x88;
	frame[13] = 0xb5;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "ethertype 0x88b5"), "");
	/* Neither TCP nor UDP (the IP header checksum is not the point). */
	TEST_ASSERT_SUCCESS(build("ipv4 udp len=64"), "build");
	frame[l3 + 9] = 47;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "GRE"), "");
	/* A fragment: the segment is not all here. */
	TEST_ASSERT_SUCCESS(build("ipv4 udp len=64"), "build");
	frame[l3 + 6] |= 0x20;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "fragment"), "");
	/* UDP over IPv4 without a checksum. */
	TEST_ASSERT_SUCCESS(build("ipv4 udp len=64"), "build");
	frame[l4 + 6] = 0;
	frame[l4 + 7] = 0;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "UDP checksum 0"), "");
	/* The IP header says more than the frame holds. */
	TEST_ASSERT_SUCCESS(build("ipv4 tcp len=64"), "build");
	frame_bytes -= 1;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "truncated"), "");
	/*
	 * IPv6 with an extension header (hop-by-hop, PadN): its TCP/UDP
	 * checksum is intact, but the parser does not name the L4 header
	 * behind extension headers for validation (cvqsim_hash_parse_l4),
	 * so the frame goes up without DATA_VALID and the driver checks it.
	 */
	TEST_ASSERT_SUCCESS(build("ipv6 udp len=64"), "build");
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_VALID, "ipv6 udp"), "");
	memmove(frame + 14 + 48, frame + 14 + 40, frame_bytes - (14 + 40));
	memcpy(frame + 14 + 40, (const uint8_t[]){ 17, 0, 1, 4, 0, 0, 0, 0 }, 8);
	frame[14 + 6] = 0;	/* next header: hop-by-hop */
	frame[14 + 5] += 8;	/* payload length (below 256 here) */
	frame_bytes += 8;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "IPv6 hop-by-hop"), "");
	/* Headers cut short. */
	TEST_ASSERT_SUCCESS(build("ipv6 tcp len=64"), "build");
	frame_bytes = 14 + 40 + 10;
	TEST_ASSERT_SUCCESS(expect(CVQSIM_CSUM_NONE, "short TCP header"), "");
	frame_bytes = 0;
	TEST_ASSERT_EQUAL(cvqsim_csum_verify(NULL, 0, 0, 0), CVQSIM_CSUM_NONE,
		"empty");
	return TEST_SUCCESS;
}

static struct unit_test_suite csum_suite = {
	.suite_name = "receive checksum validation",
	.unit_test_cases = {
		TEST_CASE(test_valid_and_bad),
		TEST_CASE(test_not_checked),
		TEST_CASES_END(),
	},
};

static int
csum_autotest(void)
{
	return unit_test_suite_runner(&csum_suite);
}

REGISTER_TEST_COMMAND(csum_autotest, csum_autotest);
