/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* frames_autotest: the test-vdpa-cvq frame builder, parser and checker. */

#include <arpa/inet.h>
#include <errno.h>

#include "frames.h"
#include "test.h"

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* One's complement sum that must fold to 0xffff over a valid checksum. */
static uint16_t
fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t
sum_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += rd16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static int
test_ipv4_udp_roundtrip(void)
{
	struct frame_spec spec;
	struct frame_info info;
	uint8_t buf[FRAME_MAX_LEN], pseudo[12];
	uint32_t len, l4len;
	char err[128];

	frame_spec_init(&spec);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&spec,
		"dst=02:00:00:00:00:0a src=02:00:00:00:00:0b ipv4 udp "
		"sip=192.168.1.1 dip=192.168.1.2 sport=4000 dport=53 len=100 "
		"stream=7", err, sizeof(err)), "parse: %s", err);
	len = frame_build(&spec, 42, buf, sizeof(buf));
	TEST_ASSERT_EQUAL(len, 14u + 20 + 8 + 100, "length %u", len);
	TEST_ASSERT_EQUAL(len, frame_len(&spec), "frame_len");
	TEST_ASSERT_EQUAL(rd16(buf + 12), 0x0800, "ethertype");
	TEST_ASSERT_SUCCESS(frame_parse(buf, len, &info), "parse");
	TEST_ASSERT(info.l3 == FRAME_L3_IPV4 && info.l4 == FRAME_L4_UDP, "l3/l4");
	TEST_ASSERT(info.l3_csum_ok, "IPv4 checksum");
	TEST_ASSERT_EQUAL(info.sport, 4000, "sport");
	TEST_ASSERT_EQUAL(info.dport, 53, "dport");
	TEST_ASSERT(info.has_tag && info.pattern_ok, "tag and pattern");
	TEST_ASSERT_EQUAL(info.seq, 42u, "seq");
	TEST_ASSERT_EQUAL(info.stream, 7u, "stream");
	TEST_ASSERT_EQUAL(info.dst[5], 0x0a, "dst");
	TEST_ASSERT_EQUAL(info.sip[3], 1, "sip");

	/* UDP checksum over the pseudo-header verifies to 0xffff. */
	l4len = 8 + 100;
	memcpy(pseudo, buf + 14 + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = FRAME_L4_UDP;
	pseudo[10] = (uint8_t)(l4len >> 8);
	pseudo[11] = (uint8_t)l4len;
	TEST_ASSERT_EQUAL(fold(sum_bytes(sum_bytes(0, pseudo, 12),
		buf + 34, l4len)), 0xffff, "UDP checksum");

	TEST_ASSERT_SUCCESS(frame_check(&spec, buf, len, NULL, err,
		sizeof(err)), "check: %s", err);
	return TEST_SUCCESS;
}

static int
test_ipv6_tcp_vlan(void)
{
	struct frame_spec spec;
	struct frame_info info;
	uint8_t buf[FRAME_MAX_LEN], v6[16];
	uint32_t len, seq;
	char err[128];

	frame_spec_init(&spec);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&spec,
		"vlan=100 pcp=5 ipv6 tcp dip=2001:db8::9 sport=80 dport=8080 "
		"len=300", err, sizeof(err)), "parse: %s", err);
	len = frame_build(&spec, 7, buf, sizeof(buf));
	TEST_ASSERT_EQUAL(len, 18u + 40 + 20 + 300, "length %u", len);
	TEST_ASSERT_EQUAL(rd16(buf + 12), 0x8100, "TPID");
	TEST_ASSERT_EQUAL(rd16(buf + 14), (5 << 13) | 100, "TCI");
	TEST_ASSERT_SUCCESS(frame_parse(buf, len, &info), "parse");
	TEST_ASSERT(info.has_vlan && info.vlan_tci == ((5 << 13) | 100), "vlan");
	TEST_ASSERT(info.l3 == FRAME_L3_IPV6 && info.l4 == FRAME_L4_TCP, "l3/l4");
	inet_pton(AF_INET6, "2001:db8::9", v6);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(info.dip, v6, 16, "dip");
	/* No source given on the switch to IPv6: fd00::1. */
	TEST_ASSERT(info.sip[0] == 0xfd && info.sip[15] == 1, "default sip");
	TEST_ASSERT(info.has_tag && info.pattern_ok && info.seq == 7, "tag");
	TEST_ASSERT_SUCCESS(frame_check(&spec, buf, len, &seq, err,
		sizeof(err)), "check: %s", err);
	TEST_ASSERT_EQUAL(seq, 7u, "seq");
	return TEST_SUCCESS;
}

static int
test_check_detects_damage(void)
{
	struct frame_spec spec, other;
	uint8_t buf[FRAME_MAX_LEN];
	uint32_t len, i;
	char err[128];

	frame_spec_init(&spec);
	len = frame_build(&spec, 1000, buf, sizeof(buf));
	TEST_ASSERT(len > 0, "build");
	/* Every single-byte change anywhere is caught. */
	for (i = 0; i < len; i++) {
		buf[i] ^= 0x20;
		TEST_ASSERT_EQUAL(frame_check(&spec, buf, len, NULL, err,
			sizeof(err)), -EINVAL, "byte %u flipped unnoticed", i);
		buf[i] ^= 0x20;
	}
	TEST_ASSERT_EQUAL(frame_check(&spec, buf, len - 1, NULL, err,
		sizeof(err)), -EINVAL, "short frame unnoticed");
	other = spec;
	other.stream = 3;
	TEST_ASSERT_EQUAL(frame_check(&other, buf, len, NULL, err,
		sizeof(err)), -EINVAL, "stream mismatch unnoticed");
	TEST_ASSERT(strstr(err, "stream") != NULL, "message: %s", err);
	TEST_ASSERT_EQUAL(frame_check(&spec, buf, 10, NULL, err, sizeof(err)),
		-EINVAL, "runt unnoticed");
	return TEST_SUCCESS;
}

static int
test_port_ranges(void)
{
	struct frame_spec spec;
	struct frame_info info;
	uint8_t buf[FRAME_MAX_LEN];
	uint32_t seq, len;
	char err[128];

	frame_spec_init(&spec);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&spec, "sport=1000 sport-range=4 "
		"dport=9 dport-range=3", err, sizeof(err)), "parse: %s", err);
	for (seq = 0; seq < 12; seq++) {
		len = frame_build(&spec, seq, buf, sizeof(buf));
		TEST_ASSERT_SUCCESS(frame_parse(buf, len, &info), "parse");
		TEST_ASSERT_EQUAL(info.sport, 1000 + seq % 4, "sport %u", seq);
		TEST_ASSERT_EQUAL(info.dport, 9 + seq % 3, "dport %u", seq);
		TEST_ASSERT_SUCCESS(frame_check(&spec, buf, len, NULL, err,
			sizeof(err)), "check: %s", err);
	}
	return TEST_SUCCESS;
}

static int
test_spec_text(void)
{
	static const char *const bad[] = {
		"dst=02:00:00:00:00", "vlan=4096", "pcp=8", "sport=65536",
		"len=3", "ipv6 sip=10.0.0.1", "bogus", "sip=300.1.1.1",
		"ethertype=0x100", "len=9300",
	};
	struct frame_spec spec, again;
	char err[128], text[512];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		frame_spec_init(&spec);
		again = spec;
		TEST_ASSERT_EQUAL(frame_spec_parse(&spec, bad[i], err,
			sizeof(err)), -EINVAL, "'%s' accepted", bad[i]);
		TEST_ASSERT(err[0] != '\0', "no message for '%s'", bad[i]);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(&spec, &again, sizeof(spec),
			"'%s' changed the spec", bad[i]);
	}
	/* format -> parse gives the same stream. */
	frame_spec_init(&spec);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&spec, "vlan=7 ipv6 tcp "
		"sip=fd00::5 dip=fd00::6 sport=1 dport=2 sport-range=8 len=77 "
		"count=9 stream=4", err, sizeof(err)), "parse: %s", err);
	frame_spec_format(&spec, text, sizeof(text));
	frame_spec_init(&again);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&again, text, err, sizeof(err)),
		"reparse '%s': %s", text, err);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&spec, &again, sizeof(spec),
		"roundtrip of '%s'", text);
	/* Raw L2 frames still carry a checkable tag. */
	frame_spec_init(&spec);
	TEST_ASSERT_SUCCESS(frame_spec_parse(&spec, "raw ethertype=0x88b6 len=50",
		err, sizeof(err)), "parse: %s", err);
	TEST_ASSERT_EQUAL(frame_len(&spec), 64u, "raw length");
	return TEST_SUCCESS;
}

static int
test_mac_text(void)
{
	uint8_t mac[6];
	char buf[18];

	TEST_ASSERT_SUCCESS(frame_parse_mac("52:54:00:ab:CD:ef", mac), "parse");
	TEST_ASSERT_EQUAL(strcmp(frame_format_mac(mac, buf),
		"52:54:00:ab:cd:ef"), 0, "format %s", buf);
	TEST_ASSERT_FAIL(frame_parse_mac("52:54:00:ab:cd:ef:01", mac), "7 bytes");
	TEST_ASSERT_FAIL(frame_parse_mac("52:54:00:ab:cd:1ef", mac), "overflow");
	return TEST_SUCCESS;
}

static struct unit_test_suite frames_suite = {
	.suite_name = "test-vdpa-cvq frames",
	.unit_test_cases = {
		TEST_CASE(test_ipv4_udp_roundtrip),
		TEST_CASE(test_ipv6_tcp_vlan),
		TEST_CASE(test_check_detects_damage),
		TEST_CASE(test_port_ranges),
		TEST_CASE(test_spec_text),
		TEST_CASE(test_mac_text),
		TEST_CASES_END(),
	},
};

static int
test_frames(void)
{
	return unit_test_suite_runner(&frames_suite);
}

REGISTER_TEST_COMMAND(frames_autotest, test_frames);
