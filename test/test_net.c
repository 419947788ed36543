/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * net_autotest: the virtio-net device model. The receive filter as a truth
 * table (RX modes x frame kinds), MAC table overflow, VLAN filtering, RX
 * steering (automatic, RSS, HASH_CONFIG, inner hashing of tunnels), config
 * space, reset defaults, feature negotiation, counters, and the seqcount
 * snapshot read concurrently with a writer.
 */

#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include <rte_byteorder.h>

#include "cvqsim_hash.h"
#include "cvqsim_net.h"
#include "cvqsim_net_rx.h"
#include "test.h"
#include "test_model.h"
#include "test_pkt.h"

#define F(bit)		(1ULL << (bit))
#define PAIRS		4

static const uint8_t *const primary = test_model_mac;
static const uint8_t uc_in[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 };
static const uint8_t uc_out[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x03 };
static const uint8_t mc_in[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
static const uint8_t mc_out[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static const uint64_t filter_features = F(VIRTIO_F_VERSION_1) |
	F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_CTRL_RX) |
	F(VIRTIO_NET_F_CTRL_RX_EXTRA) | F(VIRTIO_NET_F_CTRL_VLAN) |
	F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS);

static struct cvqsim_net net;

static int
net_setup(uint64_t features, uint16_t mac_table)
{
	TEST_ASSERT_SUCCESS(test_model_init(&net, PAIRS, mac_table), "init");
	cvqsim_net_set_features(&net, features);
	return TEST_SUCCESS;
}

static void
rx_modes(uint8_t promisc, uint8_t allmulti, uint8_t alluni, uint8_t nomulti,
		uint8_t nouni, uint8_t nobcast)
{
	const struct cvqsim_ctrl_ops *ops = &cvqsim_net_ctrl_ops;

	ops->rx_mode(&net, VIRTIO_NET_CTRL_RX_PROMISC, promisc);
	ops->rx_mode(&net, VIRTIO_NET_CTRL_RX_ALLMULTI, allmulti);
	ops->rx_mode(&net, VIRTIO_NET_CTRL_RX_ALLUNI, alluni);
	ops->rx_mode(&net, VIRTIO_NET_CTRL_RX_NOMULTI, nomulti);
	ops->rx_mode(&net, VIRTIO_NET_CTRL_RX_NOUNI, nouni);
	ops->rx_mode(&net, VIRTIO_NET_CTRL_RX_NOBCAST, nobcast);
}

static enum cvqsim_net_rx_verdict
filter(const uint8_t *dst, uint32_t tci)
{
	struct pkt f;

	pkt_eth(&f, dst, NULL, tci, 0x0800);
	pkt_ipv4(&f, IP4(10, 0, 0, 1), IP4(10, 0, 0, 2), IPPROTO_UDP, 0);
	pkt_udp(&f, 1000, 2000);
	return cvqsim_net_rx_filter(&net, f.b, f.len);
}

/* Short names for the truth table. */
#define A	CVQSIM_NET_RX_ACCEPT
#define RUNT	CVQSIM_NET_RX_DROP_RUNT
#define VLAN	CVQSIM_NET_RX_DROP_VLAN
#define NOBC	CVQSIM_NET_RX_DROP_NOBCAST
#define NOMC	CVQSIM_NET_RX_DROP_NOMULTI
#define MC	CVQSIM_NET_RX_DROP_MULTI
#define NOUC	CVQSIM_NET_RX_DROP_NOUNI
#define UC	CVQSIM_NET_RX_DROP_UNI

/*
 * Each RX mode combination against broadcast, multicast in / not in the
 * table, unicast to the primary MAC / in the table / elsewhere. Expected
 * verdicts written out from the spec's SHOULDs and QEMU's precedence.
 */
static int
test_filter_truth_table(void)
{
	static const struct {
		const char *name;
		uint8_t m[6];	/* promisc allmulti alluni nomulti nouni nobcast */
		uint8_t v[6];	/* bcast mc_in mc_out primary uc_in uc_out */
	} rows[] = {
		{ "none", { 0, 0, 0, 0, 0, 0 }, { A, A, MC, A, A, UC } },
		{ "promisc", { 1, 0, 0, 0, 0, 0 }, { A, A, A, A, A, A } },
		{ "allmulti", { 0, 1, 0, 0, 0, 0 }, { A, A, A, A, A, UC } },
		{ "alluni", { 0, 0, 1, 0, 0, 0 }, { A, A, MC, A, A, A } },
		{ "nomulti", { 0, 0, 0, 1, 0, 0 }, { A, NOMC, NOMC, A, A, UC } },
		{ "nouni", { 0, 0, 0, 0, 1, 0 }, { A, A, MC, NOUC, NOUC, NOUC } },
		{ "nobcast", { 0, 0, 0, 0, 0, 1 }, { NOBC, A, MC, A, A, UC } },
		{ "allmulti+nomulti", { 0, 1, 0, 1, 0, 0 },
			{ A, NOMC, NOMC, A, A, UC } },
		{ "alluni+nouni", { 0, 0, 1, 0, 1, 0 },
			{ A, A, MC, NOUC, NOUC, NOUC } },
		{ "allmulti+nobcast", { 0, 1, 0, 0, 0, 1 },
			{ NOBC, A, A, A, A, UC } },
		{ "allmulti+alluni", { 0, 1, 1, 0, 0, 0 }, { A, A, A, A, A, A } },
		{ "promisc+all no*", { 1, 0, 0, 1, 1, 1 }, { A, A, A, A, A, A } },
	};
	const uint8_t *dst[6] = { bcast, mc_in, mc_out, primary, uc_in, uc_out };
	unsigned int r, c;

	TEST_ASSERT_SUCCESS(net_setup(filter_features, 0), "setup");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_table_set(&net, uc_in, 1,
		mc_in, 1), "table");
	for (r = 0; r < RTE_DIM(rows); r++) {
		rx_modes(rows[r].m[0], rows[r].m[1], rows[r].m[2], rows[r].m[3],
			rows[r].m[4], rows[r].m[5]);
		for (c = 0; c < 6; c++) {
			enum cvqsim_net_rx_verdict v = filter(dst[c], PKT_NO_VLAN);

			TEST_ASSERT_EQUAL((unsigned int)v, rows[r].v[c],
				"%s, frame %u: %s, expected %s", rows[r].name, c,
				cvqsim_net_rx_verdict_name(v),
				cvqsim_net_rx_verdict_name(
					(enum cvqsim_net_rx_verdict)rows[r].v[c]));
		}
	}
	return TEST_SUCCESS;
}

/* Reset state: promiscuous, so everything passes until the driver says. */
static int
test_filter_defaults(void)
{
	TEST_ASSERT_SUCCESS(net_setup(filter_features, 0), "setup");
	TEST_ASSERT_EQUAL(filter(uc_out, PKT_NO_VLAN), A, "promisc at reset");
	/* Without CTRL_RX the driver cannot leave promiscuous mode (QEMU). */
	TEST_ASSERT_SUCCESS(net_setup(F(VIRTIO_F_VERSION_1) |
		F(VIRTIO_NET_F_CTRL_VQ), 0), "setup");
	TEST_ASSERT_EQUAL(filter(uc_out, PKT_NO_VLAN), A, "no CTRL_RX");
	TEST_ASSERT_EQUAL(filter(mc_out, 7), A, "no CTRL_RX, tagged");
	return TEST_SUCCESS;
}

/* QEMU overflow: a list that does not fit stores nothing, class open. */
static int
test_filter_overflow(void)
{
	uint8_t uc[5][6], mc[3][6];
	unsigned int i;

	for (i = 0; i < 5; i++) {
		memcpy(uc[i], uc_in, 6);
		uc[i][4] = (uint8_t)(0x10 + i);
	}
	for (i = 0; i < 3; i++) {
		memcpy(mc[i], mc_in, 6);
		mc[i][4] = (uint8_t)(0x10 + i);
	}
	TEST_ASSERT_SUCCESS(net_setup(filter_features, 4), "setup");
	rx_modes(0, 0, 0, 0, 0, 0);
	/* 5 unicast > 4: unicast overflow, multicast (1) still fits. */
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_table_set(&net, uc[0], 5,
		mc_in, 1), "table");
	TEST_ASSERT(net.state.uc_overflow && !net.state.mc_overflow, "flags");
	TEST_ASSERT_EQUAL(net.state.uc_count, 0, "no unicast stored");
	TEST_ASSERT_EQUAL(net.state.mc_count, 1, "multicast stored");
	TEST_ASSERT_EQUAL(filter(uc_out, PKT_NO_VLAN), A, "uc overflow: all");
	TEST_ASSERT_EQUAL(filter(mc_in, PKT_NO_VLAN), A, "mc in table");
	TEST_ASSERT_EQUAL(filter(mc_out, PKT_NO_VLAN), MC, "mc filtered");
	/* 3 unicast fit, 3 multicast > 4 - 3: multicast overflow. */
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_table_set(&net, uc[0], 3,
		mc[0], 3), "table");
	TEST_ASSERT(!net.state.uc_overflow && net.state.mc_overflow, "flags");
	TEST_ASSERT_EQUAL(net.state.uc_count, 3, "unicast stored");
	TEST_ASSERT_EQUAL(filter(uc[2], PKT_NO_VLAN), A, "uc in table");
	TEST_ASSERT_EQUAL(filter(uc[3], PKT_NO_VLAN), UC, "uc not stored");
	TEST_ASSERT_EQUAL(filter(mc_out, PKT_NO_VLAN), A, "mc overflow: all");
	/* Exactly full: 2 + 2. */
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_table_set(&net, uc[0], 2,
		mc[0], 2), "table");
	TEST_ASSERT(!net.state.uc_overflow && !net.state.mc_overflow, "fits");
	TEST_ASSERT_EQUAL(filter(mc[1], PKT_NO_VLAN), A, "second mc");
	TEST_ASSERT_EQUAL(filter(mc[2], PKT_NO_VLAN), MC, "third mc");
	TEST_ASSERT_EQUAL(filter(uc[1], PKT_NO_VLAN), A, "second uc");
	/* Both overflow. */
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_table_set(&net, uc[0], 5,
		mc[0], 5), "table");
	TEST_ASSERT(net.state.uc_overflow && net.state.mc_overflow, "both");
	/* An empty table clears the flags. */
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_table_set(&net, NULL, 0,
		NULL, 0), "empty");
	TEST_ASSERT(!net.state.uc_overflow && !net.state.mc_overflow, "clear");
	TEST_ASSERT_EQUAL(filter(uc_out, PKT_NO_VLAN), UC, "uc filtered");
	TEST_ASSERT_EQUAL(filter(primary, PKT_NO_VLAN), A, "primary");
	return TEST_SUCCESS;
}

static int
test_filter_vlan(void)
{
	struct pkt f;

	TEST_ASSERT_SUCCESS(net_setup(filter_features, 0), "setup");
	rx_modes(0, 0, 0, 0, 0, 0);
	/* CTRL_VLAN negotiated: the table starts empty. */
	TEST_ASSERT_EQUAL(filter(primary, 5), VLAN, "vid 5 not in table");
	TEST_ASSERT_EQUAL(filter(primary, PKT_NO_VLAN), A, "untagged");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vlan(&net, 5, true), "add");
	TEST_ASSERT_EQUAL(filter(primary, 5), A, "vid 5 in table");
	TEST_ASSERT_EQUAL(filter(primary, 0xe005), A, "PCP/DEI ignored");
	TEST_ASSERT_EQUAL(filter(primary, 6), VLAN, "vid 6");
	TEST_ASSERT_EQUAL(filter(bcast, 6), VLAN, "VLAN before broadcast");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vlan(&net, 4095, true), "add");
	TEST_ASSERT_EQUAL(filter(primary, 4095), A, "vid 4095");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vlan(&net, 5, false), "del");
	TEST_ASSERT_EQUAL(filter(primary, 5), VLAN, "vid 5 deleted");
	/* A tagged frame still goes through the MAC rules. */
	TEST_ASSERT_EQUAL(filter(uc_out, 4095), UC, "vid ok, mac not");
	/* Promiscuous skips the VLAN table (QEMU). */
	rx_modes(1, 0, 0, 0, 0, 0);
	TEST_ASSERT_EQUAL(filter(primary, 6), A, "promisc");
	rx_modes(0, 0, 0, 0, 0, 0);
	/* Only 802.1Q (0x8100) is looked at, as QEMU does. */
	pkt_eth(&f, primary, NULL, PKT_NO_VLAN, 0x88a8);
	pkt_put16(&f, 6);
	pkt_put16(&f, 0x0800);
	TEST_ASSERT_EQUAL(cvqsim_net_rx_filter(&net, f.b, f.len), A, "802.1ad");
	/* Runts, even in promiscuous mode. */
	pkt_eth(&f, primary, NULL, PKT_NO_VLAN, 0x0800);
	TEST_ASSERT_EQUAL(cvqsim_net_rx_filter(&net, f.b, 13), RUNT, "13 bytes");
	TEST_ASSERT_EQUAL(cvqsim_net_rx_filter(&net, f.b, 14), A, "14 bytes");
	pkt_eth(&f, primary, NULL, 5, 0x0800);
	TEST_ASSERT_EQUAL(cvqsim_net_rx_filter(&net, f.b, 17), RUNT, "cut tag");
	rx_modes(1, 0, 0, 0, 0, 0);
	TEST_ASSERT_EQUAL(cvqsim_net_rx_filter(&net, f.b, 0), RUNT, "empty");
	/* CTRL_VLAN not negotiated: every VLAN passes. */
	TEST_ASSERT_SUCCESS(net_setup(filter_features &
		~F(VIRTIO_NET_F_CTRL_VLAN), 0), "setup");
	rx_modes(0, 0, 0, 0, 0, 0);
	TEST_ASSERT_EQUAL(filter(primary, 5), A, "no CTRL_VLAN: vid 5");
	TEST_ASSERT_EQUAL(filter(primary, 4095), A, "no CTRL_VLAN: vid 4095");
	TEST_ASSERT_EQUAL(filter(uc_out, 5), UC, "no CTRL_VLAN: mac rules");
	return TEST_SUCCESS;
}

static int
test_primary_mac(void)
{
	uint8_t cfg[6];

	TEST_ASSERT_SUCCESS(net_setup(filter_features, 0), "setup");
	rx_modes(0, 0, 0, 0, 0, 0);
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.mac_addr_set(&net, uc_out),
		"addr");
	TEST_ASSERT_EQUAL(filter(uc_out, PKT_NO_VLAN), A, "new primary");
	TEST_ASSERT_EQUAL(filter(primary, PKT_NO_VLAN), UC, "old primary");
	TEST_ASSERT_EQUAL(cvqsim_net_config_read(&net, 0, cfg, 6), 6, "read");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(cfg, uc_out, 6, "config mac");
	/* Reset restores the configured MAC. */
	cvqsim_net_reset(&net);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(net.state.mac, primary, 6, "reset mac");
	return TEST_SUCCESS;
}

static const uint64_t mq_features = F(VIRTIO_F_VERSION_1) |
	F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_MQ);

static void
tcp4_frame(struct pkt *f, uint32_t src, uint16_t sport)
{
	pkt_eth(f, primary, NULL, PKT_NO_VLAN, 0x0800);
	pkt_ipv4(f, src, IP4(10, 0, 0, 2), IPPROTO_TCP, 0);
	pkt_tcp(f, sport, 80);
}

static uint16_t
steer(uint16_t tx_pair, const struct pkt *f, struct cvqsim_net_rx_steer *out)
{
	cvqsim_net_rx_steer(&net, tx_pair, f->b, f->len, out);
	return out->pair;
}

/* Automatic steering: received on the pair that sent, if in use. */
static int
test_steer_auto(void)
{
	struct cvqsim_net_rx_steer out;
	struct pkt f;
	uint16_t q;

	TEST_ASSERT_SUCCESS(net_setup(mq_features, 0), "setup");
	tcp4_frame(&f, IP4(10, 0, 0, 1), 1234);
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 1, "one pair at reset");
	for (q = 0; q < PAIRS; q++)
		TEST_ASSERT_EQUAL(steer(q, &f, &out), 0, "tx %u -> 0", q);
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vq_pairs_set(&net, 3), "pairs");
	for (q = 0; q < 3; q++)
		TEST_ASSERT_EQUAL(steer(q, &f, &out), q, "tx %u -> %u", q, q);
	TEST_ASSERT_EQUAL(steer(3, &f, &out), 0, "pair 3 not in use");
	TEST_ASSERT_EQUAL(steer(200, &f, &out), 0, "bogus pair");
	TEST_ASSERT_EQUAL(out.hash_report, VIRTIO_NET_HASH_REPORT_NONE, "none");
	TEST_ASSERT_EQUAL(out.hash_value, 0, "no hash");
	return TEST_SUCCESS;
}

static const uint8_t key40[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static int
rss_config(uint32_t types, const uint16_t *table, uint16_t len,
		uint16_t unclassified, uint16_t max_tx_vq, uint8_t key_len)
{
	struct cvqsim_ctrl_rss rss = {
		.hash_types = types,
		.table_len = len,
		.unclassified_queue = unclassified,
		.max_tx_vq = max_tx_vq,
		.key_len = key_len,
		.key = key40,
		.table = table,
	};

	return cvqsim_net_ctrl_ops.rss_config(&net, &rss);
}

static int
test_steer_rss(void)
{
	static const uint16_t table4[4] = { 3, 1, 2, 0 };
	struct cvqsim_net_rx_steer out;
	uint32_t hash;
	struct pkt f, arp;
	unsigned int i;
	bool seen[PAIRS] = { false };

	TEST_ASSERT_SUCCESS(net_setup(mq_features | F(VIRTIO_NET_F_RSS), 0),
		"setup");
	TEST_ASSERT_SUCCESS(rss_config(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, table4,
		4, 2, 4, 40), "rss");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 4, "max_tx_vq");
	TEST_ASSERT(net.state.rss.steering && net.state.rss.hashing, "on");
	for (i = 0; i < 64; i++) {
		/* Independent pseudo-random addresses and ports. */
		uint32_t x = (i + 1) * 2654435761u;

		tcp4_frame(&f, x, (uint16_t)(x >> 7));
		steer(0, &f, &out);
		/* HASH_REPORT not negotiated: nothing reported. */
		TEST_ASSERT_EQUAL(out.hash_report, VIRTIO_NET_HASH_REPORT_NONE,
			"no report");
		TEST_ASSERT_EQUAL(cvqsim_hash_frame(f.b, f.len,
			VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 0, net.state.rss.key,
			&hash), VIRTIO_NET_HASH_REPORT_TCPv4, "hash");
		TEST_ASSERT_EQUAL(out.pair, table4[hash & 3], "table");
		seen[out.pair] = true;
	}
	for (i = 0; i < PAIRS; i++)
		TEST_ASSERT(seen[i], "64 flows reach queue %u", i);
	/* No hash (ARP, or UDP with TCPv4 only): unclassified queue. */
	pkt_eth(&arp, bcast, NULL, PKT_NO_VLAN, 0x0806);
	pkt_zero(&arp, 28);
	TEST_ASSERT_EQUAL(steer(1, &arp, &out), 2, "arp unclassified");
	pkt_eth(&f, primary, NULL, PKT_NO_VLAN, 0x0800);
	pkt_ipv4(&f, IP4(1, 2, 3, 4), IP4(5, 6, 7, 8), IPPROTO_UDP, 0);
	pkt_udp(&f, 1, 2);
	TEST_ASSERT_EQUAL(steer(1, &f, &out), 2, "udp unclassified");
	/* Hash types 0 with a key (Linux: RXHASH off): all unclassified. */
	TEST_ASSERT_SUCCESS(rss_config(0, table4, 4, 1, 4, 40), "rss");
	TEST_ASSERT(net.state.rss.steering && !net.state.rss.hashing, "steer");
	TEST_ASSERT_EQUAL(steer(0, &f, &out), 1, "types 0");
	/* Key 0 and types 0: RSS off, pair count from max_tx_vq (QEMU). */
	TEST_ASSERT_SUCCESS(rss_config(0, table4, 4, 0, 2, 0), "rss off");
	TEST_ASSERT(!net.state.rss.steering, "off");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 2, "pairs");
	TEST_ASSERT_EQUAL(steer(1, &f, &out), 1, "automatic again");
	/* VQ_PAIRS_SET switches RSS steering off. */
	TEST_ASSERT_SUCCESS(rss_config(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, table4,
		4, 2, 4, 40), "rss");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vq_pairs_set(&net, 4), "pairs");
	TEST_ASSERT(!net.state.rss.steering, "VQ_PAIRS_SET: automatic");
	TEST_ASSERT_EQUAL(steer(3, &arp, &out), 3, "automatic");
	return TEST_SUCCESS;
}

/*
 * cvqsim_net_rx_plain(), which lets the datapath skip the filter and the
 * steering per frame: whenever it says yes, both give what it promised,
 * for frames of every length and kind (runts, tagged, multicast, random).
 */
static int
check_plain_promise(uint16_t tx_pair)
{
	struct cvqsim_net_rx_steer plain, out;
	uint8_t buf[48];
	unsigned int i, k;

	TEST_ASSERT(cvqsim_net_rx_plain(&net, tx_pair, &plain), "plain");
	for (i = 0; i < 4000; i++) {
		uint32_t x = (i + 1) * 2654435761u;
		uint32_t len = x % (sizeof(buf) + 1);
		enum cvqsim_net_rx_verdict v;

		for (k = 0; k < sizeof(buf); k++)
			buf[k] = (uint8_t)((x >> (k % 24)) + k * 37);
		if (i % 3 == 0) {	/* tagged */
			buf[12] = 0x81;
			buf[13] = 0x00;
		}
		TEST_ASSERT(len < CVQSIM_NET_RX_NO_RUNT ||
			!cvqsim_net_rx_runt(buf, len), "%u bytes, a runt", len);
		v = cvqsim_net_rx_filter(&net, buf, len);
		TEST_ASSERT_EQUAL(v == CVQSIM_NET_RX_ACCEPT,
			!cvqsim_net_rx_runt(buf, len), "frame %u (%u bytes)", i, len);
		cvqsim_net_rx_steer(&net, tx_pair, buf, len, &out);
		TEST_ASSERT(out.pair == plain.pair &&
			out.hash_report == plain.hash_report &&
			out.hash_value == plain.hash_value,
			"frame %u steered to %u, promised %u", i, out.pair,
			plain.pair);
	}
	return TEST_SUCCESS;
}

static int
test_rx_plain(void)
{
	static const uint16_t table4[4] = { 3, 1, 2, 0 };
	struct cvqsim_net_rx_steer plain;
	struct cvqsim_ctrl_rss hash = {
		.hash_types = VIRTIO_NET_RSS_HASH_TYPE_IPv4,
		.table_len = 1,
		.key_len = 40,
		.key = key40,
		.table = table4,
	};

	TEST_ASSERT_SUCCESS(net_setup(filter_features | mq_features |
		F(VIRTIO_NET_F_RSS), 0), "setup");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vq_pairs_set(&net, 3), "pairs");
	TEST_ASSERT_SUCCESS(check_plain_promise(2), "pair 2");
	TEST_ASSERT_SUCCESS(check_plain_promise(3), "pair 3, not in use");
	TEST_ASSERT(cvqsim_net_rx_plain(&net, 3, &plain) && plain.pair == 0,
		"pair 3 -> 0");
	rx_modes(0, 0, 0, 0, 0, 0);
	TEST_ASSERT(!cvqsim_net_rx_plain(&net, 0, &plain), "not promiscuous");
	rx_modes(1, 0, 0, 0, 0, 0);
	TEST_ASSERT_SUCCESS(rss_config(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, table4,
		4, 2, 4, 40), "rss");
	TEST_ASSERT(!cvqsim_net_rx_plain(&net, 0, &plain), "RSS steering");
	/* Hashing for a report only (HASH_CONFIG). */
	TEST_ASSERT_SUCCESS(net_setup(mq_features |
		F(VIRTIO_NET_F_HASH_REPORT), 0), "setup");
	TEST_ASSERT_SUCCESS(check_plain_promise(0), "nothing configured");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.hash_config(&net, &hash),
		"hash_config");
	TEST_ASSERT(!cvqsim_net_rx_plain(&net, 0, &plain), "hash report");
	return TEST_SUCCESS;
}

/* Hash report: with RSS steering, and with HASH_CONFIG alone. */
static int
test_hash_report(void)
{
	static const uint16_t table1[1] = { 0 };
	struct cvqsim_ctrl_rss hash = {
		.hash_types = VIRTIO_NET_RSS_HASH_TYPE_IPv4 |
			VIRTIO_NET_RSS_HASH_TYPE_TCPv4,
		.table_len = 1,
		.key_len = 40,
		.key = key40,
		.table = table1,
	};
	struct cvqsim_net_rx_steer out;
	uint32_t expect;
	struct pkt f;

	/* The first IPv4 verification vector. */
	pkt_eth(&f, primary, NULL, PKT_NO_VLAN, 0x0800);
	pkt_ipv4(&f, IP4(66, 9, 149, 187), IP4(161, 142, 100, 80), IPPROTO_TCP,
		0);
	pkt_tcp(&f, 2794, 1766);
	/* HASH_REPORT + MQ, no RSS: HASH_CONFIG then VQ_PAIRS_SET (Linux). */
	TEST_ASSERT_SUCCESS(net_setup(mq_features |
		F(VIRTIO_NET_F_HASH_REPORT), 0), "setup");
	steer(0, &f, &out);
	TEST_ASSERT_EQUAL(out.hash_report, VIRTIO_NET_HASH_REPORT_NONE,
		"nothing configured yet");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.hash_config(&net, &hash),
		"hash_config");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.vq_pairs_set(&net, 4), "pairs");
	TEST_ASSERT(net.state.rss.hashing && !net.state.rss.steering, "state");
	cvqsim_hash_frame(f.b, f.len, hash.hash_types, 0, net.state.rss.key,
		&expect);
	TEST_ASSERT_EQUAL(steer(2, &f, &out), 2, "automatic steering");
	TEST_ASSERT_EQUAL(out.hash_report, VIRTIO_NET_HASH_REPORT_TCPv4, "rep");
	TEST_ASSERT_EQUAL(out.hash_value, expect, "value");
	TEST_ASSERT_EQUAL(expect, 0x51ccc178, "Microsoft vector");
	/* Hash types 0: no hash. */
	hash.hash_types = 0;
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.hash_config(&net, &hash), "off");
	steer(2, &f, &out);
	TEST_ASSERT_EQUAL(out.hash_report, VIRTIO_NET_HASH_REPORT_NONE, "off");
	/* RSS + HASH_REPORT: the RSS parameters are reported. */
	TEST_ASSERT_SUCCESS(net_setup(mq_features | F(VIRTIO_NET_F_RSS) |
		F(VIRTIO_NET_F_HASH_REPORT), 0), "setup");
	TEST_ASSERT_SUCCESS(rss_config(VIRTIO_NET_RSS_HASH_TYPE_TCPv4,
		(const uint16_t[]){ 1, 3 }, 2, 0, 4, 40), "rss");
	steer(0, &f, &out);
	TEST_ASSERT_EQUAL(out.hash_report, VIRTIO_NET_HASH_REPORT_TCPv4, "rep");
	TEST_ASSERT_EQUAL(out.hash_value, 0x51ccc178, "value");
	TEST_ASSERT_EQUAL(out.pair, (0x51ccc178 & 1) ? 3 : 1, "queue");
	return TEST_SUCCESS;
}

/* Outer headers of the encapsulations, followed by the inner frame. */
enum encap { ENC_VXLAN, ENC_VXLAN_GPE, ENC_GENEVE, ENC_GRE, ENC_GRE_KEY,
	ENC_NVGRE, ENC_GRE6, ENC_GRE_UDP, ENC_IPIP, ENC_NR };

static const struct {
	const char *name;
	uint32_t type;
} encaps[ENC_NR] = {
	[ENC_VXLAN] = { "vxlan", VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN },
	[ENC_VXLAN_GPE] = { "vxlan-gpe", VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN_GPE },
	[ENC_GENEVE] = { "geneve", VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE },
	[ENC_GRE] = { "gre", VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784 },
	[ENC_GRE_KEY] = { "gre-key", VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2890 },
	[ENC_NVGRE] = { "nvgre", VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE },
	[ENC_GRE6] = { "gre-ipv6", VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_7676 },
	[ENC_GRE_UDP] = { "gre-udp", VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_UDP },
	[ENC_IPIP] = { "ipip", VIRTIO_NET_HASH_TUNNEL_TYPE_IPIP },
};

static void
inner_ip_tcp(struct pkt *f)
{
	pkt_ipv4(f, IP4(66, 9, 149, 187), IP4(161, 142, 100, 80), IPPROTO_TCP, 0);
	pkt_tcp(f, 2794, 1766);
}

static void
inner_eth_ip_tcp(struct pkt *f)
{
	static const uint8_t in_dst[6] = { 0x02, 1, 2, 3, 4, 5 };

	pkt_bytes(f, in_dst, 6);
	pkt_bytes(f, in_dst, 6);
	pkt_put16(f, 0x0800);
	inner_ip_tcp(f);
}

static void
encap_frame(struct pkt *f, enum encap e)
{
	static const uint8_t s6[16] = { 0xfd, [15] = 1 };
	static const uint8_t d6[16] = { 0xfd, [15] = 2 };
	uint32_t osrc = IP4(192, 168, 0, 1), odst = IP4(192, 168, 0, 2);

	pkt_eth(f, primary, NULL, PKT_NO_VLAN, e == ENC_GRE6 ? 0x86dd : 0x0800);
	switch (e) {
	case ENC_VXLAN:
	case ENC_VXLAN_GPE:
	case ENC_GENEVE:
	case ENC_GRE_UDP:
		pkt_ipv4(f, osrc, odst, IPPROTO_UDP, 0);
		pkt_udp(f, 55555, e == ENC_VXLAN ? 4789 : e == ENC_VXLAN_GPE ?
			4790 : e == ENC_GENEVE ? 6081 : 4754);
		if (e == ENC_VXLAN) {
			pkt_put32(f, 0x08000000);
			pkt_put32(f, 0x00006400);
			inner_eth_ip_tcp(f);
		} else if (e == ENC_VXLAN_GPE) {
			pkt_put32(f, 0x0c000001);	/* next protocol IPv4 */
			pkt_put32(f, 0x00006400);
			inner_ip_tcp(f);
		} else if (e == ENC_GENEVE) {
			pkt_put16(f, 0x0100);		/* 4 bytes of options */
			pkt_put16(f, 0x6558);
			pkt_put32(f, 0x00006400);
			pkt_put32(f, 0x01020300);	/* the option */
			inner_eth_ip_tcp(f);
		} else {
			pkt_put16(f, 0);
			pkt_put16(f, 0x0800);
			inner_ip_tcp(f);
		}
		break;
	case ENC_GRE:
	case ENC_GRE_KEY:
	case ENC_NVGRE:
		pkt_ipv4(f, osrc, odst, 47, 0);
		pkt_put16(f, e == ENC_GRE ? 0x8000 : 0x2000);	/* C or K */
		pkt_put16(f, e == ENC_NVGRE ? 0x6558 : 0x0800);
		pkt_put32(f, 0x12345600);	/* checksum+reserved or key */
		if (e == ENC_NVGRE)
			inner_eth_ip_tcp(f);
		else
			inner_ip_tcp(f);
		break;
	case ENC_GRE6:
		pkt_ipv6(f, s6, d6, 47);
		pkt_put16(f, 0);
		pkt_put16(f, 0x0800);
		inner_ip_tcp(f);
		break;
	default: /* ENC_IPIP */
		pkt_ipv4(f, osrc, odst, 4, 0);
		inner_ip_tcp(f);
		break;
	}
}

/*
 * Inner header hash: an enabled encapsulation hashes the inner packet (the
 * Microsoft vector's 4-tuple); any other type enabled: the outer one.
 */
static int
test_tunnel_hash(void)
{
	const uint32_t types = VIRTIO_NET_RSS_HASH_TYPE_IPv4 |
		VIRTIO_NET_RSS_HASH_TYPE_TCPv4 | VIRTIO_NET_RSS_HASH_TYPE_UDPv4 |
		VIRTIO_NET_RSS_HASH_TYPE_IPv6;
	uint32_t h_in, h_out, h_other;
	uint16_t r;
	struct pkt f;
	unsigned int e;

	for (e = 0; e < ENC_NR; e++) {
		uint32_t other = CVQSIM_NET_TUNNEL_TYPES_SUPPORTED &
			~encaps[e].type;

		encap_frame(&f, e);
		r = cvqsim_hash_frame(f.b, f.len, types, encaps[e].type, key40,
			&h_in);
		TEST_ASSERT_EQUAL(r, VIRTIO_NET_HASH_REPORT_TCPv4, "%s: inner",
			encaps[e].name);
		TEST_ASSERT_EQUAL(h_in, 0x51ccc178, "%s: inner hash",
			encaps[e].name);
		cvqsim_hash_frame(f.b, f.len, types, 0, key40, &h_out);
		TEST_ASSERT_NOT_EQUAL(h_out, h_in, "%s: outer", encaps[e].name);
		/* NVGRE is also keyed GRE (2890): exclude that from "other". */
		if (e == ENC_NVGRE)
			other &= ~VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2890;
		if (e == ENC_GRE6)
			other &= ~VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784;
		cvqsim_hash_frame(f.b, f.len, types, other, key40, &h_other);
		TEST_ASSERT_EQUAL(h_other, h_out, "%s: other types enabled",
			encaps[e].name);
	}
	/* Through rx_steer: the model's enabled types (HASH_TUNNEL_SET). */
	TEST_ASSERT_SUCCESS(net_setup(mq_features | F(VIRTIO_NET_F_RSS) |
		F(VIRTIO_NET_F_HASH_REPORT) | F(VIRTIO_NET_F_HASH_TUNNEL), 0),
		"setup");
	TEST_ASSERT_SUCCESS(rss_config(types, (const uint16_t[]){ 0 }, 1, 0, 1,
		40), "rss");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.hash_tunnel_set(&net,
		VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN), "tunnel");
	encap_frame(&f, ENC_VXLAN);
	{
		struct cvqsim_net_rx_steer out;

		steer(0, &f, &out);
		TEST_ASSERT_EQUAL(out.hash_value, 0x51ccc178, "steer inner");
	}
	return TEST_SUCCESS;
}

static int
test_config_space(void)
{
	struct cvqsim_virtio_net_config c;
	uint8_t part[4];

	TEST_ASSERT_SUCCESS(net_setup(mq_features, 0), "setup");
	TEST_ASSERT_EQUAL(cvqsim_net_config_read(&net, 0, &c, sizeof(c)), 28,
		"whole");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(c.mac, primary, 6, "mac");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(c.status), VIRTIO_NET_S_LINK_UP, "");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(c.max_virtqueue_pairs), PAIRS, "");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(c.mtu), 1500, "mtu");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_32(c.speed), 10000, "speed");
	TEST_ASSERT_EQUAL(c.duplex, 1, "duplex");
	TEST_ASSERT_EQUAL(c.rss_max_key_size, 40, "key size");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_16(c.rss_max_indirection_table_length),
		128, "table length");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_32(c.supported_hash_types), 0x1ff, "");
	TEST_ASSERT_EQUAL(rte_le_to_cpu_32(c.supported_tunnel_types),
		CVQSIM_NET_TUNNEL_TYPES_SUPPORTED, "tunnel types");
	/* Partial and out-of-range reads. */
	TEST_ASSERT_EQUAL(cvqsim_net_config_read(&net, 6, part, 2), 2, "status");
	TEST_ASSERT_EQUAL(part[0] | part[1] << 8, VIRTIO_NET_S_LINK_UP, "le16");
	TEST_ASSERT_EQUAL(cvqsim_net_config_read(&net, 26, part, 4), 2, "tail");
	TEST_ASSERT_EQUAL(cvqsim_net_config_read(&net, 28, part, 4), 0, "past");
	/* Size by offered features (QEMU's rule). */
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_MAC)), 6, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_STATUS)), 8, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_MQ)), 10, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_MTU)), 12, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_SPEED_DUPLEX)),
		17, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_RSS)), 24, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_HASH_REPORT) |
		F(VIRTIO_NET_F_MQ)), 24, "");
	TEST_ASSERT_EQUAL(cvqsim_net_config_size(F(VIRTIO_NET_F_HASH_TUNNEL)),
		28, "");
	/* Link and announce change status. */
	TEST_ASSERT(cvqsim_net_set_link(&net, false), "link down");
	TEST_ASSERT(!cvqsim_net_set_link(&net, false), "no change");
	cvqsim_net_config_read(&net, 6, part, 2);
	TEST_ASSERT_EQUAL(part[0], 0, "down");
	TEST_ASSERT(!cvqsim_net_announce(&net), "no GUEST_ANNOUNCE");
	cvqsim_net_set_features(&net, mq_features |
		F(VIRTIO_NET_F_GUEST_ANNOUNCE));
	TEST_ASSERT(cvqsim_net_announce(&net), "announce");
	TEST_ASSERT(!cvqsim_net_announce(&net), "already pending");
	cvqsim_net_config_read(&net, 6, part, 2);
	TEST_ASSERT_EQUAL(part[0], VIRTIO_NET_S_ANNOUNCE, "announce bit");
	/* Bad parameters. */
	{
		struct cvqsim_net_params p = net.params;

		p.max_queue_pairs = 0;
		TEST_ASSERT_FAIL(cvqsim_net_init(&net, &p), "0 pairs");
		p.max_queue_pairs = RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 1;
		TEST_ASSERT_FAIL(cvqsim_net_init(&net, &p), "too many pairs");
		p.max_queue_pairs = 1;
		p.mac_table_entries = RTE_PMD_CVQSIM_MAC_TABLE_MAX + 1;
		TEST_ASSERT_FAIL(cvqsim_net_init(&net, &p), "mac table");
		p.mac_table_entries = 0;
		p.mtu = 67;
		TEST_ASSERT_FAIL(cvqsim_net_init(&net, &p), "mtu");
		p.mtu = 1500;
		p.supported_hash_types = 0x200;
		TEST_ASSERT_FAIL(cvqsim_net_init(&net, &p), "hash types");
		p.supported_hash_types = 0;
		p.supported_tunnel_types = 1u << 9;
		TEST_ASSERT_FAIL(cvqsim_net_init(&net, &p), "tunnel types");
	}
	return TEST_SUCCESS;
}

/* Feature negotiation and reset defaults (QEMU's, notes §6.1). */
static int
test_features_and_reset(void)
{
	static struct cvqsim_net_state fresh;
	const uint64_t feats = mq_features | F(VIRTIO_NET_F_CTRL_VLAN) |
		F(VIRTIO_NET_F_GUEST_CSUM) | F(VIRTIO_NET_F_GUEST_TSO4) |
		F(VIRTIO_NET_F_CSUM) | F(VIRTIO_NET_F_GUEST_ANNOUNCE);
	struct cvqsim_ctrl_coal c = { 7, 8 };
	unsigned int i;

	TEST_ASSERT_SUCCESS(net_setup(0, 0), "setup");
	/* Fresh = after init: no feature negotiated, no queue enabled. */
	TEST_ASSERT_SUCCESS(cvqsim_net_init(&net, &net.params), "init");
	fresh = net.state;
	TEST_ASSERT_EQUAL(fresh.rx_mode.promisc, 1, "promisc");
	TEST_ASSERT_EQUAL(fresh.curr_queue_pairs, 1, "one pair");
	TEST_ASSERT_EQUAL(fresh.status, VIRTIO_NET_S_LINK_UP, "status");
	TEST_ASSERT_EQUAL(fresh.mac_table_capacity, 64, "QEMU's 64");
	TEST_ASSERT_EQUAL(fresh.vlan_filter[0], 0xffffffff, "all VLANs pass");
	TEST_ASSERT_EQUAL(cvqsim_cvq_index(net.state.features,
		net.params.max_queue_pairs), 2, "cvq 2");
	cvqsim_net_set_features(&net, feats);
	TEST_ASSERT_EQUAL(cvqsim_cvq_index(net.state.features,
		net.params.max_queue_pairs), 2 * PAIRS, "cvq 2N");
	TEST_ASSERT_EQUAL(net.state.guest_offloads, F(VIRTIO_NET_F_GUEST_CSUM) |
		F(VIRTIO_NET_F_GUEST_TSO4), "offloads start on");
	for (i = 0; i < RTE_DIM(net.state.vlan_filter); i++)
		TEST_ASSERT_EQUAL(net.state.vlan_filter[i], 0, "CTRL_VLAN: empty");
	for (i = 0; i < 2 * PAIRS; i++)
		TEST_ASSERT(cvqsim_net_vq_enabled(&net, (uint16_t)i), "vq %u", i);
	TEST_ASSERT(!cvqsim_net_vq_enabled(&net, 2 * PAIRS), "cvq not data");
	/* Change everything a command can change, then reset. */
	rx_modes(0, 1, 1, 1, 1, 1);
	cvqsim_net_ctrl_ops.mac_table_set(&net, uc_in, 1, mc_in, 1);
	cvqsim_net_ctrl_ops.mac_addr_set(&net, uc_out);
	cvqsim_net_ctrl_ops.vlan(&net, 10, true);
	cvqsim_net_ctrl_ops.vq_pairs_set(&net, 3);
	rss_config(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, (const uint16_t[]){ 1 }, 1,
		1, 2, 40);
	cvqsim_net_ctrl_ops.guest_offloads_set(&net, 0);
	cvqsim_net_ctrl_ops.coal_set(&net, true, &c);
	cvqsim_net_ctrl_ops.coal_set(&net, false, &c);
	cvqsim_net_ctrl_ops.hash_tunnel_set(&net, 1);
	cvqsim_net_announce(&net);
	pkt_count(&net, 0, NULL, 60, true);
	cvqsim_net_reset(&net);
	/* Byte-identical to the fresh state but for the counters of changes. */
	fresh.generation = net.state.generation;
	fresh.announces = net.state.announces;
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&net.state, &fresh, sizeof(fresh),
		"reset state");
	TEST_ASSERT_EQUAL(net.stats.rxq[0].packets, 0, "stats zeroed");
	return TEST_SUCCESS;
}

/* Coalescing on queue disable/enable (spec: back to the last *_SET). */
static int
test_vq_enable_coal(void)
{
	struct cvqsim_ctrl_coal tx = { 16, 50 }, one = { 1, 2 }, got;

	TEST_ASSERT_SUCCESS(net_setup(mq_features, 0), "setup");
	cvqsim_net_ctrl_ops.coal_set(&net, true, &tx);
	cvqsim_net_ctrl_ops.coal_vq_set(&net, 1, &one);
	cvqsim_net_ctrl_ops.coal_vq_set(&net, 0, &one);
	cvqsim_net_set_vq_enabled(&net, 1, false);
	TEST_ASSERT(!cvqsim_net_vq_enabled(&net, 1), "disabled");
	cvqsim_net_set_vq_enabled(&net, 1, true);
	cvqsim_net_ctrl_ops.coal_vq_get(&net, 1, &got);
	TEST_ASSERT(got.max_packets == 16 && got.max_usecs == 50, "tx global");
	/* RX never set: re-enabled receive queue goes back to 0. */
	cvqsim_net_set_vq_enabled(&net, 0, false);
	cvqsim_net_set_vq_enabled(&net, 0, true);
	cvqsim_net_ctrl_ops.coal_vq_get(&net, 0, &got);
	TEST_ASSERT(got.max_packets == 0 && got.max_usecs == 0, "rx 0");
	/* Enabling an enabled queue changes nothing. */
	cvqsim_net_ctrl_ops.coal_vq_set(&net, 3, &one);
	cvqsim_net_set_vq_enabled(&net, 3, true);
	cvqsim_net_ctrl_ops.coal_vq_get(&net, 3, &got);
	TEST_ASSERT_EQUAL(got.max_packets, 1, "kept");
	return TEST_SUCCESS;
}

static int
test_counters(void)
{
	struct virtio_net_hdr_v1 csum = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM };
	struct virtio_net_hdr_v1 gso = { .gso_type = VIRTIO_NET_HDR_GSO_TCPV4 |
		VIRTIO_NET_HDR_GSO_ECN };
	struct virtio_net_hdr_v1 valid = { .flags = VIRTIO_NET_HDR_F_DATA_VALID };
	struct virtio_net_hdr_v1 none = { .flags = 0 };
	static struct cvqsim_net_stats s;
	struct cvqsim_net_tally bad;
	uint64_t c[6];

	TEST_ASSERT_SUCCESS(net_setup(mq_features, 0), "setup");
	pkt_count(&net, 1, &csum, 100, false);
	pkt_count(&net, 1, &gso, 9000, false);
	pkt_count(&net, 1, NULL, 60, false);
	cvqsim_net_count_tx_drop(&net, 1, true);
	cvqsim_net_count_tx_drop(&net, 1, false);
	pkt_count(&net, 2, &valid, 100, true);
	pkt_count(&net, 2, &csum, 200, true);
	pkt_count(&net, 2, &gso, 9000, true);
	cvqsim_net_count_rx_drop(&net, 2, true);
	cvqsim_net_count_kick(&net, 3);
	cvqsim_net_count_kick(&net, 4);
	cvqsim_net_count_interrupt(&net, 5);
	cvqsim_net_count_interrupt(&net, 4);
	cvqsim_net_count_filter(&net, CVQSIM_NET_RX_DROP_VLAN);
	/* Out of range: ignored, no crash. */
	pkt_count(&net, RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS, NULL, 1, false);
	cvqsim_net_count_kick(&net, 2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS);
	cvqsim_net_stats_get(&net, &s);
	TEST_ASSERT_EQUAL(s.txq[1].packets, 3, "tx packets");
	TEST_ASSERT_EQUAL(s.txq[1].bytes, 9160, "tx bytes");
	TEST_ASSERT_EQUAL(s.txq[1].needs_csum, 1, "tx needs csum");
	TEST_ASSERT_EQUAL(s.txq[1].csum_none, 1, "tx csum none");
	TEST_ASSERT_EQUAL(s.txq[1].drops, 2, "tx drops");
	TEST_ASSERT_EQUAL(s.txq[1].drop_malformed, 1, "malformed");
	TEST_ASSERT_EQUAL(s.txq[1].notifications, 1, "vq 3 kick");
	TEST_ASSERT_EQUAL(s.txq[2].interrupts, 1, "vq 5 interrupt");
	TEST_ASSERT_EQUAL(s.rxq[2].packets, 3, "rx packets");
	TEST_ASSERT_EQUAL(s.rxq[2].csum_valid, 1, "rx valid");
	TEST_ASSERT_EQUAL(s.rxq[2].needs_csum, 1, "rx needs");
	TEST_ASSERT_EQUAL(s.rxq[2].csum_none, 1, "rx none");
	TEST_ASSERT_EQUAL(s.rxq[2].drop_overruns, 1, "overrun");
	TEST_ASSERT_EQUAL(s.rxq[2].notifications, 1, "vq 4 kick");
	TEST_ASSERT_EQUAL(s.rxq[2].interrupts, 1, "vq 4 interrupt");
	TEST_ASSERT_EQUAL(s.rx_filter[CVQSIM_NET_RX_DROP_VLAN], 1, "filter");
	/* The STATS_GET backend returns the same, in record order. */
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.stats_read(&net, 3,
		VIRTIO_NET_STATS_TYPE_REPLY_TX_BASIC, c, 6), "tx basic");
	TEST_ASSERT(c[0] == 1 && c[1] == 3 && c[2] == 9160 && c[3] == 0 &&
		c[4] == 2 && c[5] == 1, "tx basic record");
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.stats_read(&net, 4,
		VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM, c, 4), "rx csum");
	TEST_ASSERT(c[0] == 1 && c[1] == 1 && c[2] == 1 && c[3] == 0, "csum");
	/* A frame whose checksum the device found wrong: rx_csum_bad. */
	memset(&bad, 0, sizeof(bad));
	cvqsim_net_tally_rx(&bad, &none, 70, true);
	cvqsim_net_count_rx_tally(&net, 2, &bad);
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.stats_read(&net, 4,
		VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM, c, 4), "rx csum");
	TEST_ASSERT(c[0] == 1 && c[1] == 1 && c[2] == 1 && c[3] == 1,
		"csum_bad: %" PRIu64, c[3]);
	/*
	 * No segmentation, no coalescing: the GSO records keep the spec's
	 * layout, all 0, even after GSO-typed frames went through.
	 */
	memset(c, 0xff, sizeof(c));
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.stats_read(&net, 4,
		VIRTIO_NET_STATS_TYPE_REPLY_RX_GSO, c, 4), "rx gso");
	TEST_ASSERT(c[0] == 0 && c[1] == 0 && c[2] == 0 && c[3] == 0,
		"rx gso record not 0");
	memset(c, 0xff, sizeof(c));
	TEST_ASSERT_SUCCESS(cvqsim_net_ctrl_ops.stats_read(&net, 3,
		VIRTIO_NET_STATS_TYPE_REPLY_TX_GSO, c, 6), "tx gso");
	TEST_ASSERT(c[0] == 0 && c[1] == 0 && c[2] == 0 && c[3] == 0 &&
		c[4] == 0 && c[5] == 0, "tx gso record not 0");
	TEST_ASSERT_FAIL(cvqsim_net_ctrl_ops.stats_read(&net, 4,
		VIRTIO_NET_STATS_TYPE_REPLY_RX_SPEED, c, 2), "speed: none");
	/* Wrap to 0 (spec). */
	net.stats.rxq[0].packets = UINT64_MAX;
	pkt_count(&net, 0, NULL, 1, true);
	TEST_ASSERT_EQUAL(net.stats.rxq[0].packets, 0, "wraps");
	return TEST_SUCCESS;
}

/*
 * A burst counted through a tally (the datapath's way) gives the same
 * counters as the same frames counted one by one.
 */
static int
test_counters_tally(void)
{
	static const struct virtio_net_hdr_v1 hdrs[] = {
		{ .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM },
		{ .flags = VIRTIO_NET_HDR_F_DATA_VALID },
		{ .flags = VIRTIO_NET_HDR_F_DATA_VALID | VIRTIO_NET_HDR_F_NEEDS_CSUM },
		{ .gso_type = VIRTIO_NET_HDR_GSO_UDP },
		{ .gso_type = VIRTIO_NET_HDR_GSO_ECN },
		{ .flags = 0 },
	};
	static struct cvqsim_net_stats one, burst;
	struct cvqsim_net_tally tx, rx;
	unsigned int i;

	TEST_ASSERT_SUCCESS(net_setup(mq_features, 0), "setup");
	for (i = 0; i < 2 * RTE_DIM(hdrs); i++) {
		const struct virtio_net_hdr_v1 *h =
			i < RTE_DIM(hdrs) ? &hdrs[i] : NULL;

		pkt_count(&net, 1, h, 60 + i, false);
		pkt_count(&net, 2, h, 100 + i, true);
	}
	cvqsim_net_stats_get(&net, &one);

	TEST_ASSERT_SUCCESS(net_setup(mq_features, 0), "setup");
	memset(&tx, 0, sizeof(tx));
	memset(&rx, 0, sizeof(rx));
	/* An empty tally counts nothing. */
	cvqsim_net_count_tx_tally(&net, 1, &tx);
	cvqsim_net_count_rx_tally(&net, 2, &rx);
	for (i = 0; i < 2 * RTE_DIM(hdrs); i++) {
		const struct virtio_net_hdr_v1 *h =
			i < RTE_DIM(hdrs) ? &hdrs[i] : NULL;

		if (h == NULL) {
			tx.packets++;
			tx.bytes += 60 + i;
			rx.packets++;
			rx.bytes += 100 + i;
			continue;
		}
		cvqsim_net_tally_tx(&tx, h, 60 + i);
		cvqsim_net_tally_rx(&rx, h, 100 + i, false);
	}
	cvqsim_net_count_tx_tally(&net, 1, &tx);
	cvqsim_net_count_rx_tally(&net, 2, &rx);
	/* Out of range: ignored, no crash. */
	cvqsim_net_count_rx_tally(&net, RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS, &rx);
	cvqsim_net_stats_get(&net, &burst);

	TEST_ASSERT_EQUAL(burst.txq[1].packets, 12, "tx packets");
	TEST_ASSERT_EQUAL(burst.rxq[2].csum_valid, 2, "rx DATA_VALID");
	TEST_ASSERT_EQUAL(burst.txq[1].needs_csum, 2, "tx NEEDS_CSUM");
	TEST_ASSERT_EQUAL(burst.txq[1].csum_none, 4, "tx without NEEDS_CSUM");
	TEST_ASSERT(memcmp(&one, &burst, sizeof(one)) == 0,
		"tally counters differ from frame-by-frame counters");
	return TEST_SUCCESS;
}

/*
 * Snapshots from another thread while the owner keeps changing the MAC
 * table: every snapshot must be one whole table (count k, all entries k).
 */
static int stop_writer;	/* atomic: the writer thread polls it */

static void *
table_writer(void *arg)
{
	static uint8_t macs[64][6];
	uint32_t k = 0;

	(void)arg;
	while (!__atomic_load_n(&stop_writer, __ATOMIC_RELAXED)) {
		uint32_t i, n = k % 64;

		for (i = 0; i < n; i++) {
			memset(macs[i], 0, 6);
			macs[i][5] = (uint8_t)n;
			macs[i][4] = (uint8_t)i;
		}
		cvqsim_net_ctrl_ops.mac_table_set(&net, macs[0], n, NULL, 0);
		k++;
	}
	return NULL;
}

static uint64_t
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)(t.tv_sec - t0->tv_sec) * 1000 +
		(uint64_t)(t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int
test_snapshot_concurrent(void)
{
	static struct cvqsim_net_state snap;
	uint64_t last_gen = 0, changes = 0;
	struct timespec t0;
	pthread_t writer;
	unsigned int round, i;

	TEST_ASSERT_SUCCESS(net_setup(filter_features, 64), "setup");
	__atomic_store_n(&stop_writer, 0, __ATOMIC_RELAXED);
	TEST_ASSERT_SUCCESS(pthread_create(&writer, NULL, table_writer, NULL),
		"thread");
	/*
	 * 20000 snapshots or 2 s (ThreadSanitizer makes each much slower),
	 * and at least a few changes seen: on a loaded machine the writer may
	 * get its CPU late. 10 s at most.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (round = 0; ; round++) {
		if ((round & 255) == 0) {
			uint64_t ms = elapsed_ms(&t0);

			if (ms > 10000 || ((round >= 20000 || ms > 2000) &&
					changes > 3))
				break;
		}
		cvqsim_net_state_get(&net, &snap);
		for (i = 0; i < snap.uc_count; i++)
			if (snap.macs[i][5] != snap.uc_count ||
					snap.macs[i][4] != i)
				break;
		if (i != snap.uc_count) {
			__atomic_store_n(&stop_writer, 1, __ATOMIC_RELAXED);
			pthread_join(writer, NULL);
			TEST_ASSERT(0, "torn snapshot: count %u, entry %u",
				snap.uc_count, i);
		}
		if (snap.generation != last_gen)
			changes++;
		last_gen = snap.generation;
	}
	__atomic_store_n(&stop_writer, 1, __ATOMIC_RELAXED);
	pthread_join(writer, NULL);
	TEST_ASSERT(changes > 1, "the writer ran (%" PRIu64 " changes seen)",
		changes);
	return TEST_SUCCESS;
}

static struct unit_test_suite net_suite = {
	.suite_name = "cvqsim virtio-net device model",
	.unit_test_cases = {
		TEST_CASE(test_filter_truth_table),
		TEST_CASE(test_filter_defaults),
		TEST_CASE(test_filter_overflow),
		TEST_CASE(test_filter_vlan),
		TEST_CASE(test_primary_mac),
		TEST_CASE(test_steer_auto),
		TEST_CASE(test_rx_plain),
		TEST_CASE(test_steer_rss),
		TEST_CASE(test_hash_report),
		TEST_CASE(test_tunnel_hash),
		TEST_CASE(test_config_space),
		TEST_CASE(test_features_and_reset),
		TEST_CASE(test_vq_enable_coal),
		TEST_CASE(test_counters),
		TEST_CASE(test_counters_tally),
		TEST_CASE(test_snapshot_concurrent),
		TEST_CASES_END()
	},
};

static int
net_autotest(void)
{
	return unit_test_suite_runner(&net_suite);
}

REGISTER_TEST_COMMAND(net_autotest, net_autotest);
