/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * thash_autotest: cvqsim's RSS hash against the Microsoft RSS verification
 * suite (the vectors DPDK's test_thash.c carries, key included), through
 * the datapath's path: RSS_CONFIG applied to the model, then a frame into
 * cvqsim_net_rx_steer(), hash value and report out, queue from the table.
 */

#include <arpa/inet.h>

#include "cvqsim_hash.h"
#include "cvqsim_net.h"
#include "cvqsim_net_rx.h"
#include "test.h"
#include "test_pkt.h"

static const uint8_t ms_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

struct v4_vector {
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t hash_l3, hash_l4;
};

static const struct v4_vector v4_vectors[] = {
	{ IP4(66, 9, 149, 187), IP4(161, 142, 100, 80), 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ IP4(199, 92, 111, 2), IP4(65, 69, 140, 83), 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ IP4(24, 19, 198, 95), IP4(12, 22, 207, 184), 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ IP4(38, 27, 205, 30), IP4(209, 142, 163, 6), 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ IP4(153, 39, 163, 191), IP4(202, 188, 127, 2), 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
};

struct v6_vector {
	const char *src, *dst;
	uint16_t sport, dport;
	uint32_t hash_l3, hash_l4;
};

static const struct v6_vector v6_vectors[] = {
	{ "3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf",
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};

static const uint8_t dst_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };

#define PAIRS	4

static struct cvqsim_net net;

/* RSS and hash report negotiated, RSS_CONFIG with the verification key. */
static int
rss_setup(uint32_t hash_types)
{
	struct cvqsim_net_params p = {
		.max_queue_pairs = PAIRS,
		.mtu = 1500,
		.link_up = true,
	};
	uint16_t table[RTE_PMD_CVQSIM_RSS_TABLE_LEN];
	struct cvqsim_ctrl_rss rss = {
		.hash_types = hash_types,
		.table_len = RTE_PMD_CVQSIM_RSS_TABLE_LEN,
		.unclassified_queue = 3,
		.max_tx_vq = PAIRS,
		.key_len = sizeof(ms_key),
		.key = ms_key,
		.table = table,
	};
	unsigned int i;

	memcpy(p.mac, dst_mac, 6);
	TEST_ASSERT_SUCCESS(cvqsim_net_init(&net, &p), "init");
	cvqsim_net_set_features(&net, 1ULL << VIRTIO_F_VERSION_1 |
		1ULL << VIRTIO_NET_F_CTRL_VQ | 1ULL << VIRTIO_NET_F_MQ |
		1ULL << VIRTIO_NET_F_RSS | 1ULL << VIRTIO_NET_F_HASH_REPORT);
	/* Entry i = (i * 7) % PAIRS: not the identity, to see the lookup. */
	for (i = 0; i < RTE_PMD_CVQSIM_RSS_TABLE_LEN; i++)
		table[i] = (uint16_t)((i * 7) % PAIRS);
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.rss_config(&net, &rss),
		"rss_config");
	return TEST_SUCCESS;
}

static int
expect_hash(const struct pkt *f, uint32_t hash, uint16_t report,
		const char *what, unsigned int idx)
{
	struct cvqsim_net_rx_steer out;

	cvqsim_net_rx_steer(&net, 0, f->b, f->len, &out);
	TEST_ASSERT_EQUAL(out.hash_report, report,
		"%s #%u: report %u, expected %u", what, idx, out.hash_report,
		report);
	TEST_ASSERT_EQUAL(out.hash_value, hash,
		"%s #%u: hash 0x%08x, expected 0x%08x", what, idx,
		out.hash_value, hash);
	TEST_ASSERT_EQUAL(out.pair, report == VIRTIO_NET_HASH_REPORT_NONE ?
		net.state.rss.unclassified_queue :
		net.state.rss.table[hash & (RTE_PMD_CVQSIM_RSS_TABLE_LEN - 1)],
		"%s #%u: queue %u", what, idx, out.pair);
	return TEST_SUCCESS;
}

static void
v4_frame(struct pkt *f, const struct v4_vector *v, uint8_t proto,
		uint16_t frag)
{
	pkt_eth(f, dst_mac, NULL, PKT_NO_VLAN, 0x0800);
	pkt_ipv4(f, v->src, v->dst, proto, frag);
	if (proto == IPPROTO_TCP)
		pkt_tcp(f, v->sport, v->dport);
	else
		pkt_udp(f, v->sport, v->dport);
}

static int
test_ipv4_4tuple(void)
{
	struct pkt f;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IPv4 |
		VIRTIO_NET_RSS_HASH_TYPE_TCPv4 | VIRTIO_NET_RSS_HASH_TYPE_UDPv4),
		"setup");
	for (i = 0; i < RTE_DIM(v4_vectors); i++) {
		v4_frame(&f, &v4_vectors[i], IPPROTO_TCP, 0);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v4_vectors[i].hash_l4,
			VIRTIO_NET_HASH_REPORT_TCPv4, "tcpv4", i), "tcp");
		v4_frame(&f, &v4_vectors[i], IPPROTO_UDP, 0);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v4_vectors[i].hash_l4,
			VIRTIO_NET_HASH_REPORT_UDPv4, "udpv4", i), "udp");
	}
	return TEST_SUCCESS;
}

static int
test_ipv4_2tuple(void)
{
	struct pkt f;
	unsigned int i;

	/* Only IPv4 enabled: TCP frames hash on the addresses. */
	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IPv4), "setup");
	for (i = 0; i < RTE_DIM(v4_vectors); i++) {
		v4_frame(&f, &v4_vectors[i], IPPROTO_TCP, 0);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v4_vectors[i].hash_l3,
			VIRTIO_NET_HASH_REPORT_IPv4, "ipv4", i), "ipv4");
	}
	/* TCPv4 enabled but the frame is UDP: fall back to IPv4. */
	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IPv4 |
		VIRTIO_NET_RSS_HASH_TYPE_TCPv4), "setup");
	for (i = 0; i < RTE_DIM(v4_vectors); i++) {
		v4_frame(&f, &v4_vectors[i], IPPROTO_UDP, 0);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v4_vectors[i].hash_l3,
			VIRTIO_NET_HASH_REPORT_IPv4, "udp->ipv4", i), "ladder");
	}
	return TEST_SUCCESS;
}

/* Fragments have no L4 header for hashing (QEMU): IPv4 2-tuple. */
static int
test_ipv4_fragment(void)
{
	static const uint16_t frags[] = { 0x2000 /* MF */, 0x0010, 0x2010 };
	struct pkt f;
	unsigned int i, j;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IPv4 |
		VIRTIO_NET_RSS_HASH_TYPE_TCPv4), "setup");
	for (i = 0; i < RTE_DIM(v4_vectors); i++)
		for (j = 0; j < RTE_DIM(frags); j++) {
			v4_frame(&f, &v4_vectors[i], IPPROTO_TCP, frags[j]);
			TEST_ASSERT_SUCCESS(expect_hash(&f,
				v4_vectors[i].hash_l3,
				VIRTIO_NET_HASH_REPORT_IPv4, "frag", i), "frag");
		}
	/* DF alone is not a fragment. */
	v4_frame(&f, &v4_vectors[0], IPPROTO_TCP, 0x4000);
	return expect_hash(&f, v4_vectors[0].hash_l4,
		VIRTIO_NET_HASH_REPORT_TCPv4, "df", 0);
}

static void
v6_addrs(const struct v6_vector *v, uint8_t *src, uint8_t *dst)
{
	inet_pton(AF_INET6, v->src, src);
	inet_pton(AF_INET6, v->dst, dst);
}

static void
v6_frame(struct pkt *f, const struct v6_vector *v, uint8_t proto)
{
	uint8_t src[16], dst[16];

	v6_addrs(v, src, dst);
	pkt_eth(f, dst_mac, NULL, PKT_NO_VLAN, 0x86dd);
	pkt_ipv6(f, src, dst, proto);
	if (proto == IPPROTO_TCP)
		pkt_tcp(f, v->sport, v->dport);
	else
		pkt_udp(f, v->sport, v->dport);
}

static int
test_ipv6_4tuple(void)
{
	struct pkt f;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IPv6 |
		VIRTIO_NET_RSS_HASH_TYPE_TCPv6 | VIRTIO_NET_RSS_HASH_TYPE_UDPv6),
		"setup");
	for (i = 0; i < RTE_DIM(v6_vectors); i++) {
		v6_frame(&f, &v6_vectors[i], IPPROTO_TCP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v6_vectors[i].hash_l4,
			VIRTIO_NET_HASH_REPORT_TCPv6, "tcpv6", i), "tcp");
		v6_frame(&f, &v6_vectors[i], IPPROTO_UDP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v6_vectors[i].hash_l4,
			VIRTIO_NET_HASH_REPORT_UDPv6, "udpv6", i), "udp");
	}
	return TEST_SUCCESS;
}

static int
test_ipv6_2tuple(void)
{
	struct pkt f;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IPv6), "setup");
	for (i = 0; i < RTE_DIM(v6_vectors); i++) {
		v6_frame(&f, &v6_vectors[i], IPPROTO_TCP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v6_vectors[i].hash_l3,
			VIRTIO_NET_HASH_REPORT_IPv6, "ipv6", i), "ipv6");
	}
	return TEST_SUCCESS;
}

/*
 * IPv6 with extension headers (spec "IPv6 packets with extension header"):
 * the packet's own addresses are decoys; the Home Address option in a
 * Destination Options header stands for the source and a Type 2 Routing
 * Header's address for the destination, so the vector hash must come out.
 */
static void
v6_ex_frame(struct pkt *f, const struct v6_vector *v, uint8_t proto)
{
	static const uint8_t decoy_src[16] = { 0x20, 0x01, 0xd, 0xb8, [15] = 1 };
	static const uint8_t decoy_dst[16] = { 0x20, 0x01, 0xd, 0xb8, [15] = 2 };
	uint8_t src[16], dst[16];

	v6_addrs(v, src, dst);
	pkt_eth(f, dst_mac, NULL, PKT_NO_VLAN, 0x86dd);
	pkt_ipv6(f, decoy_src, decoy_dst, 0 /* hop-by-hop */);
	/* Hop-by-hop: next = routing, 8 bytes, PadN(4) + Pad1 + Pad1. */
	pkt_put8(f, 43);
	pkt_put8(f, 0);
	pkt_put8(f, 1);
	pkt_put8(f, 2);
	pkt_zero(f, 2);
	pkt_put8(f, 0);
	pkt_put8(f, 0);
	/* Routing type 2: next = dstopts, 24 bytes, 1 segment left. */
	pkt_put8(f, 60);
	pkt_put8(f, 2);
	pkt_put8(f, 2);
	pkt_put8(f, 1);
	pkt_zero(f, 4);
	pkt_bytes(f, dst, 16);
	/* Destination options: PadN(0), Home Address, Pad1, Pad1. */
	pkt_put8(f, proto);
	pkt_put8(f, 2);		/* (2 + 1) * 8 = 24 bytes */
	pkt_put8(f, 1);
	pkt_put8(f, 0);		/* PadN, 0 bytes of data */
	pkt_put8(f, 0xc9);
	pkt_put8(f, 16);
	pkt_bytes(f, src, 16);
	pkt_put8(f, 0);		/* Pad1 */
	pkt_put8(f, 0);		/* Pad1 */
	if (proto == IPPROTO_TCP)
		pkt_tcp(f, v->sport, v->dport);
	else
		pkt_udp(f, v->sport, v->dport);
}

static int
test_ipv6_ex(void)
{
	struct pkt f;
	unsigned int i;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IP_EX |
		VIRTIO_NET_RSS_HASH_TYPE_TCP_EX | VIRTIO_NET_RSS_HASH_TYPE_UDP_EX),
		"setup");
	for (i = 0; i < RTE_DIM(v6_vectors); i++) {
		v6_ex_frame(&f, &v6_vectors[i], IPPROTO_TCP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v6_vectors[i].hash_l4,
			VIRTIO_NET_HASH_REPORT_TCPv6_EX, "tcp_ex", i), "tcp");
		v6_ex_frame(&f, &v6_vectors[i], IPPROTO_UDP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v6_vectors[i].hash_l4,
			VIRTIO_NET_HASH_REPORT_UDPv6_EX, "udp_ex", i), "udp");
	}
	/* Only IP_EX: the substituted 2-tuple. */
	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_IP_EX), "setup");
	for (i = 0; i < RTE_DIM(v6_vectors); i++) {
		v6_ex_frame(&f, &v6_vectors[i], IPPROTO_TCP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, v6_vectors[i].hash_l3,
			VIRTIO_NET_HASH_REPORT_IPv6_EX, "ip_ex", i), "ip_ex");
		/* Without extension headers the _EX types do not apply. */
		v6_frame(&f, &v6_vectors[i], IPPROTO_TCP);
		TEST_ASSERT_SUCCESS(expect_hash(&f, 0,
			VIRTIO_NET_HASH_REPORT_NONE, "no-ext", i), "no ext");
	}
	return TEST_SUCCESS;
}

/*
 * Extension headers present but no _EX type enabled: skip them and hash
 * the packet's own addresses (here the decoys, so compare with a plain
 * frame carrying the decoys).
 */
static int
test_ipv6_ext_skipped(void)
{
	static const uint8_t decoy_src[16] = { 0x20, 0x01, 0xd, 0xb8, [15] = 1 };
	static const uint8_t decoy_dst[16] = { 0x20, 0x01, 0xd, 0xb8, [15] = 2 };
	struct cvqsim_net_rx_steer a, b;
	struct pkt f, plain;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_TCPv6), "setup");
	v6_ex_frame(&f, &v6_vectors[0], IPPROTO_TCP);
	pkt_eth(&plain, dst_mac, NULL, PKT_NO_VLAN, 0x86dd);
	pkt_ipv6(&plain, decoy_src, decoy_dst, IPPROTO_TCP);
	pkt_tcp(&plain, v6_vectors[0].sport, v6_vectors[0].dport);
	cvqsim_net_rx_steer(&net, 0, f.b, f.len, &a);
	cvqsim_net_rx_steer(&net, 0, plain.b, plain.len, &b);
	TEST_ASSERT_EQUAL(a.hash_report, VIRTIO_NET_HASH_REPORT_TCPv6, "report");
	TEST_ASSERT_EQUAL(a.hash_value, b.hash_value, "same 4-tuple");
	/* A non-first fragment header: no L4, and TCPv6 only -> no hash. */
	pkt_eth(&f, dst_mac, NULL, PKT_NO_VLAN, 0x86dd);
	pkt_ipv6(&f, decoy_src, decoy_dst, 44);
	pkt_put8(&f, IPPROTO_TCP);
	pkt_put8(&f, 0);
	pkt_put16(&f, 0x0008);	/* offset 1 */
	pkt_put32(&f, 7);
	pkt_tcp(&f, 1, 2);
	cvqsim_net_rx_steer(&net, 0, f.b, f.len, &a);
	TEST_ASSERT_EQUAL(a.hash_report, VIRTIO_NET_HASH_REPORT_NONE, "frag");
	TEST_ASSERT_EQUAL(a.pair, 3, "no hash: unclassified queue");
	return TEST_SUCCESS;
}

/*
 * A shorter key is the 40-byte key with zeros after it. The IPv4 4-tuple
 * (12 bytes) reads 16 key bytes: a 12-byte key must change the hash.
 */
static int
test_short_key(void)
{
	static const uint16_t table[1] = { 0 };
	uint8_t key[40] __attribute__((aligned(4))) = { 0 };
	struct cvqsim_ctrl_rss rss = {
		.hash_types = VIRTIO_NET_RSS_HASH_TYPE_TCPv4,
		.table_len = 1,
		.max_tx_vq = 1,
		.key_len = 12,
		.key = ms_key,
		.table = table,
	};
	struct cvqsim_net_rx_steer out;
	uint32_t h_padded;
	struct pkt f;

	TEST_ASSERT_SUCCESS(rss_setup(VIRTIO_NET_RSS_HASH_TYPE_TCPv4), "setup");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.rss_config(&net, &rss), "rss");
	v4_frame(&f, &v4_vectors[1], IPPROTO_TCP, 0);
	memcpy(key, ms_key, 12);
	TEST_ASSERT_EQUAL(cvqsim_hash_frame(f.b, f.len,
		VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 0, key, &h_padded),
		VIRTIO_NET_HASH_REPORT_TCPv4, "report");
	cvqsim_net_rx_steer(&net, 0, f.b, f.len, &out);
	TEST_ASSERT_EQUAL(out.hash_value, h_padded, "12-byte key");
	TEST_ASSERT_NOT_EQUAL(out.hash_value, v4_vectors[1].hash_l4,
		"the key length matters");
	return TEST_SUCCESS;
}

static struct unit_test_suite thash_suite = {
	.suite_name = "cvqsim RSS Toeplitz hash (Microsoft verification suite)",
	.unit_test_cases = {
		TEST_CASE(test_ipv4_4tuple),
		TEST_CASE(test_ipv4_2tuple),
		TEST_CASE(test_ipv4_fragment),
		TEST_CASE(test_ipv6_4tuple),
		TEST_CASE(test_ipv6_2tuple),
		TEST_CASE(test_ipv6_ex),
		TEST_CASE(test_ipv6_ext_skipped),
		TEST_CASE(test_short_key),
		TEST_CASES_END()
	},
};

static int
thash_autotest(void)
{
	return unit_test_suite_runner(&thash_suite);
}

REGISTER_TEST_COMMAND(thash_autotest, thash_autotest);
