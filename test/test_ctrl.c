/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * ctrl_autotest: the control queue decoder with the device model as its
 * backend. Every command valid and invalid, in every descriptor layout
 * (Linux's header/data/ack split, one readable descriptor, byte per
 * descriptor, the readable part split at every offset, the writable part
 * split), gating on negotiated features, unknown classes and commands,
 * short and long payloads, the value checks of each command, results
 * (NOTF_COAL_VQ_GET, STATS_QUERY/GET), framing errors, and that every
 * rejected command leaves the device state byte-identical.
 */

#include <errno.h>
#include <stdbool.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_net.h"
#include "test.h"
#include "test_pkt.h"

#define F(bit)		(1ULL << (bit))
#define PAIRS		4
#define CVQ_INDEX	(2 * PAIRS)
#define WR_DEFAULT	512	/* writable bytes offered by default */

static const uint64_t all_features = F(VIRTIO_F_VERSION_1) |
	F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS) |
	F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_CTRL_RX) |
	F(VIRTIO_NET_F_CTRL_RX_EXTRA) | F(VIRTIO_NET_F_CTRL_VLAN) |
	F(VIRTIO_NET_F_GUEST_ANNOUNCE) | F(VIRTIO_NET_F_MQ) |
	F(VIRTIO_NET_F_CTRL_MAC_ADDR) | F(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |
	F(VIRTIO_NET_F_GUEST_CSUM) | F(VIRTIO_NET_F_GUEST_TSO4) |
	F(VIRTIO_NET_F_GUEST_TSO6) | F(VIRTIO_NET_F_GUEST_ECN) |
	F(VIRTIO_NET_F_GUEST_UFO) | F(VIRTIO_NET_F_CSUM) |
	F(VIRTIO_NET_F_HOST_TSO4) | F(VIRTIO_NET_F_NOTF_COAL) |
	F(VIRTIO_NET_F_VQ_NOTF_COAL) | F(VIRTIO_NET_F_HASH_TUNNEL) |
	F(VIRTIO_NET_F_DEVICE_STATS) | F(VIRTIO_NET_F_HASH_REPORT) |
	F(VIRTIO_NET_F_RSS);

static struct cvqsim_net net;
static struct cvqsim_ctrl ctrl;
static struct cvqsim_chain chain;
static uint8_t rd[CVQSIM_CTRL_MAX_REQ + 64];
static uint8_t wr[8192];
static uint32_t used;
static struct cvqsim_net_state before, after, ref_state;
static uint8_t ref_result[WR_DEFAULT];

/* The request being built. */
static struct {
	uint8_t b[CVQSIM_CTRL_MAX_REQ + 64];
	uint32_t len;
} rq;

static void
req(uint8_t cls, uint8_t cmd)
{
	rq.len = 0;
	rq.b[rq.len++] = cls;
	rq.b[rq.len++] = cmd;
}

static void
put8(uint8_t v)
{
	rq.b[rq.len++] = v;
}

static void
put16(uint16_t v)
{
	put8((uint8_t)v);
	put8((uint8_t)(v >> 8));
}

static void
put32(uint32_t v)
{
	put16((uint16_t)v);
	put16((uint16_t)(v >> 16));
}

static void
put64(uint64_t v)
{
	put32((uint32_t)v);
	put32((uint32_t)(v >> 32));
}

static void
putb(const void *p, uint32_t n)
{
	memcpy(rq.b + rq.len, p, n);
	rq.len += n;
}

static uint64_t
get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint16_t
get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* A fresh device with the given negotiated features. */
static int
setup(uint64_t features)
{
	struct cvqsim_net_params p = {
		.mac = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 },
		.max_queue_pairs = PAIRS,
		.mtu = 1500,
		.link_up = true,
		.supported_tunnel_types = VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN |
			VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE |
			VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784,
	};

	if (cvqsim_net_init(&net, &p) != 0)
		return TEST_FAILED;
	cvqsim_net_set_features(&net, features);
	cvqsim_ctrl_init(&ctrl, &cvqsim_net_ctrl_ops, &net);
	return TEST_SUCCESS;
}

/*
 * Descriptor layouts. Readable part: LINUX = header | data; ONE = one
 * descriptor; BYTES = one byte per descriptor (pieces when longer than
 * 200); SPLIT = two descriptors cut at `split` (0 and len give an empty
 * one). Writable part: LINUX = ack | result; BYTES = byte per descriptor
 * (pieces past 40); SPLIT = an empty descriptor, then 1 byte, then the
 * rest; the others one descriptor.
 */
enum layout { LAY_LINUX, LAY_ONE, LAY_BYTES, LAY_SPLIT, LAY_NR };

static const char *const layout_names[LAY_NR] = {
	"linux", "one", "bytes", "split",
};

static void
add_iov(void *base, size_t len)
{
	struct iovec *v = &chain.iov[chain.nr_out + chain.nr_in];

	v->iov_base = base;
	v->iov_len = len;
}

static void
add_readable(uint32_t off, uint32_t len)
{
	add_iov(rd + off, len);
	chain.nr_out++;
	chain.out_len += len;
}

static void
add_writable(uint32_t off, uint32_t len)
{
	add_iov(wr + off, len);
	chain.nr_in++;
	chain.in_len += len;
}

static void
lay_out(uint32_t len, enum layout lay, uint32_t split, uint32_t wr_len)
{
	uint32_t off, piece;

	memset(&chain, 0, sizeof(chain));
	chain.head = 7;
	switch (lay) {
	case LAY_LINUX:
		add_readable(0, len < 2 ? len : 2);
		if (len > 2)
			add_readable(2, len - 2);
		break;
	case LAY_ONE:
		add_readable(0, len);
		break;
	case LAY_BYTES:
		piece = len <= 200 ? 1 : (len + 199) / 200;
		for (off = 0; off < len; off += piece)
			add_readable(off, len - off < piece ? len - off : piece);
		break;
	default: /* LAY_SPLIT */
		add_readable(0, split);
		add_readable(split, len - split);
		break;
	}
	if (wr_len == 0)
		return;
	switch (lay) {
	case LAY_LINUX:
		add_writable(0, 1);
		if (wr_len > 1)
			add_writable(1, wr_len - 1);
		break;
	case LAY_BYTES:
		piece = wr_len <= 40 ? 1 : (wr_len + 39) / 40;
		for (off = 0; off < wr_len; off += piece)
			add_writable(off, wr_len - off < piece ? wr_len - off :
				piece);
		break;
	case LAY_SPLIT:
		add_writable(0, 0);
		add_writable(0, 1);
		if (wr_len > 1)
			add_writable(1, wr_len - 1);
		break;
	default:
		add_writable(0, wr_len);
		break;
	}
}

/* Submit rq; returns what cvqsim_ctrl_process() returned. */
static int
submit(enum layout lay, uint32_t split, uint32_t wr_len)
{
	memcpy(rd, rq.b, rq.len);
	memset(wr, 0xff, sizeof(wr));	/* Linux pre-fills the status */
	lay_out(rq.len, lay, split, wr_len);
	return cvqsim_ctrl_process(&ctrl, &chain, &used);
}

/*
 * rq must be rejected in the main layouts: ack ERR written, used length 1,
 * and the device state byte-identical.
 */
static int
expect_err(const char *what)
{
	static const enum layout lays[] = { LAY_LINUX, LAY_ONE, LAY_BYTES };
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(lays); i++) {
		cvqsim_net_state_get(&net, &before);
		ret = submit(lays[i], 0, WR_DEFAULT);
		cvqsim_net_state_get(&net, &after);
		TEST_ASSERT_EQUAL(ret, VIRTIO_NET_ERR, "%s (%s): ret %d", what,
			layout_names[lays[i]], ret);
		TEST_ASSERT_EQUAL(wr[0], VIRTIO_NET_ERR, "%s: ack byte", what);
		TEST_ASSERT_EQUAL(used, 1, "%s: used %u", what, used);
		TEST_ASSERT_BUFFERS_ARE_EQUAL(&after, &before, sizeof(before),
			"%s: state changed by a rejected command", what);
	}
	return TEST_SUCCESS;
}

/* rq must succeed (Linux layout) with result_len result bytes. */
static int
expect_ok(const char *what, uint32_t result_len)
{
	int ret = submit(LAY_LINUX, 0, WR_DEFAULT);

	TEST_ASSERT_EQUAL(ret, VIRTIO_NET_OK, "%s: ret %d", what, ret);
	TEST_ASSERT_EQUAL(wr[0], VIRTIO_NET_OK, "%s: ack byte", what);
	TEST_ASSERT_EQUAL(used, 1 + result_len, "%s: used %u", what, used);
	return TEST_SUCCESS;
}

#define ERR(what) TEST_ASSERT_SUCCESS(expect_err(what), "%s", what)
#define OK(what) TEST_ASSERT_SUCCESS(expect_ok(what, 0), "%s", what)

/*
 * Valid commands, one per builder; each also names its gating feature and
 * a precondition. The layout test runs them all.
 */
static const uint8_t mac_a[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x01 };
static const uint8_t mac_b[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0x02 };
static const uint8_t mc_a[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
static const uint8_t mc_b[6] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t mc_c[6] = { 0x33, 0x33, 0xff, 0x00, 0x00, 0x02 };

static uint8_t rss_key[40];

static void
build_rx_promisc_off(void)
{
	req(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC);
	put8(0);
}

static void
build_rx_nobcast_on(void)
{
	req(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOBCAST);
	put8(1);
}

static void
build_mac_table(void)
{
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET);
	put32(2);
	putb(mac_a, 6);
	putb(mac_b, 6);
	put32(3);
	putb(mc_a, 6);
	putb(mc_b, 6);
	putb(mc_c, 6);
}

static void
build_mac_addr(void)
{
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET);
	putb(mac_b, 6);
}

static void
build_vlan_add(void)
{
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(100);
}

static void
build_announce_ack(void)
{
	req(VIRTIO_NET_CTRL_ANNOUNCE, VIRTIO_NET_CTRL_ANNOUNCE_ACK);
}

/* Set the bit directly: the gating test runs without GUEST_ANNOUNCE. */
static void
pre_announce(void)
{
	net.state.status |= VIRTIO_NET_S_ANNOUNCE;
}

static void
build_vq_pairs(void)
{
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(3);
}

/* What Linux sends: T = 128, table i % pairs, key 40, one trailing byte. */
static void
build_rss_linux(void)
{
	unsigned int i;

	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG);
	put32(0x3f);
	put16(127);
	put16(0);
	for (i = 0; i < 128; i++)
		put16((uint16_t)(i % PAIRS));
	put16(PAIRS);
	put8(40);
	putb(rss_key, 40);
	put8(0);	/* the padding byte of Linux's trailer struct */
}

/* Linux's HASH_CONFIG: reserved[3] carries max_tx_vq, one trailing byte. */
static void
build_hash_config(void)
{
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_HASH_CONFIG);
	put32(0x3f);
	put16(0);
	put16(0);
	put16(0);
	put16(PAIRS);
	put8(40);
	putb(rss_key, 40);
	put8(0);
}

static void
build_offloads(void)
{
	req(VIRTIO_NET_CTRL_GUEST_OFFLOADS, VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET);
	put64(F(VIRTIO_NET_F_GUEST_CSUM) | F(VIRTIO_NET_F_GUEST_TSO4));
}

static void
build_coal_tx(void)
{
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_TX_SET);
	put32(32);
	put32(100);
}

static void
build_coal_rx(void)
{
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_RX_SET);
	put32(64);
	put32(8);
}

static void
build_coal_vq_set(void)
{
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET);
	put16(3);
	put16(0xffff);	/* reserved: ignored */
	put32(5);
	put32(6);
}

static void
build_coal_vq_get(void)
{
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET);
	put16(3);
	put16(0);
}

static void
pre_coal_vq(void)
{
	struct cvqsim_ctrl_coal c = { 11, 22 };

	cvqsim_net_ctrl_ops.coal_vq_set(&net, 3, &c);
}

static void
build_hash_tunnel(void)
{
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put32(VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN |
		VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE);
}

static void
build_stats_query(void)
{
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_QUERY);
}

static void
stats_entry(uint16_t vq, uint64_t types)
{
	put16(vq);
	put16(0);
	put16(0);
	put16(0);
	put64(types);
}

static void
build_stats_get(void)
{
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	stats_entry(1, VIRTIO_NET_STATS_TYPE_TX_BASIC);
	stats_entry(CVQ_INDEX, VIRTIO_NET_STATS_TYPE_CVQ);
}

static void
pre_counters(void)
{
	pkt_count(&net, 0, NULL, 1000, true);
	pkt_count(&net, 0, NULL, 60, false);
	pkt_count(&net, 0, NULL, 60, false);
}

struct valid_case {
	const char *name;
	void (*build)(void);
	void (*pre)(void);
	uint32_t result_len;
	unsigned int feature;	/* the gate */
};

static const struct valid_case valid_cases[] = {
	{ "rx promisc off", build_rx_promisc_off, NULL, 0, VIRTIO_NET_F_CTRL_RX },
	{ "rx nobcast on", build_rx_nobcast_on, NULL, 0,
		VIRTIO_NET_F_CTRL_RX_EXTRA },
	{ "mac table", build_mac_table, NULL, 0, VIRTIO_NET_F_CTRL_RX },
	{ "mac addr", build_mac_addr, NULL, 0, VIRTIO_NET_F_CTRL_MAC_ADDR },
	{ "vlan add", build_vlan_add, NULL, 0, VIRTIO_NET_F_CTRL_VLAN },
	{ "announce ack", build_announce_ack, pre_announce, 0,
		VIRTIO_NET_F_GUEST_ANNOUNCE },
	{ "vq pairs", build_vq_pairs, NULL, 0, VIRTIO_NET_F_MQ },
	{ "rss config", build_rss_linux, NULL, 0, VIRTIO_NET_F_RSS },
	{ "hash config", build_hash_config, NULL, 0, VIRTIO_NET_F_HASH_REPORT },
	{ "offloads", build_offloads, NULL, 0,
		VIRTIO_NET_F_CTRL_GUEST_OFFLOADS },
	{ "coal tx", build_coal_tx, NULL, 0, VIRTIO_NET_F_NOTF_COAL },
	{ "coal rx", build_coal_rx, NULL, 0, VIRTIO_NET_F_NOTF_COAL },
	{ "coal vq set", build_coal_vq_set, NULL, 0, VIRTIO_NET_F_VQ_NOTF_COAL },
	{ "coal vq get", build_coal_vq_get, pre_coal_vq, 8,
		VIRTIO_NET_F_VQ_NOTF_COAL },
	{ "hash tunnel", build_hash_tunnel, NULL, 0, VIRTIO_NET_F_HASH_TUNNEL },
	{ "stats query", build_stats_query, NULL, 8, VIRTIO_NET_F_DEVICE_STATS },
	{ "stats get", build_stats_get, pre_counters, 56 + 56 + 24,
		VIRTIO_NET_F_DEVICE_STATS },
};

static int
run_valid(const struct valid_case *vc, enum layout lay, uint32_t split)
{
	int ret;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	if (vc->pre != NULL)
		vc->pre();
	vc->build();
	ret = submit(lay, split, WR_DEFAULT);
	TEST_ASSERT_EQUAL(ret, VIRTIO_NET_OK, "%s (%s, split %u): ret %d",
		vc->name, layout_names[lay], split, ret);
	TEST_ASSERT_EQUAL(used, 1 + vc->result_len, "%s (%s): used %u",
		vc->name, layout_names[lay], used);
	return TEST_SUCCESS;
}

/*
 * Every valid command in every layout, the readable part split at every
 * offset: same ack, same used length, same result bytes, same state.
 */
static int
test_layouts(void)
{
	unsigned int i, lay;
	uint32_t split, len;

	for (i = 0; i < RTE_DIM(valid_cases); i++) {
		const struct valid_case *vc = &valid_cases[i];

		TEST_ASSERT_SUCCESS(run_valid(vc, LAY_ONE, 0), "reference");
		cvqsim_net_state_get(&net, &ref_state);
		memcpy(ref_result, wr + 1, vc->result_len);
		len = rq.len;
		for (lay = 0; lay < LAY_NR; lay++) {
			uint32_t last = lay == LAY_SPLIT ? len : 0;

			for (split = 0; split <= last; split++) {
				TEST_ASSERT_SUCCESS(run_valid(vc, lay, split),
					"run");
				cvqsim_net_state_get(&net, &after);
				TEST_ASSERT_BUFFERS_ARE_EQUAL(&after, &ref_state,
					sizeof(after), "%s (%s, split %u): state",
					vc->name, layout_names[lay], split);
				TEST_ASSERT_BUFFERS_ARE_EQUAL(wr + 1, ref_result,
					vc->result_len, "%s (%s): result",
					vc->name, layout_names[lay]);
			}
		}
	}
	return TEST_SUCCESS;
}

/* Without its gating feature (or without CTRL_VQ) each command is ERR. */
static int
test_gating(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(valid_cases); i++) {
		const struct valid_case *vc = &valid_cases[i];

		TEST_ASSERT_SUCCESS(setup(all_features & ~F(vc->feature)),
			"setup");
		if (vc->pre != NULL)
			vc->pre();
		vc->build();
		TEST_ASSERT_SUCCESS(expect_err(vc->name), "gate of %s",
			vc->name);
		TEST_ASSERT_SUCCESS(setup(all_features &
			~F(VIRTIO_NET_F_CTRL_VQ)), "setup");
		vc->build();
		TEST_ASSERT_SUCCESS(expect_err(vc->name), "no CTRL_VQ: %s",
			vc->name);
	}
	/* MAC_ADDR_SET needs CTRL_MAC_ADDR, not CTRL_RX (Linux, vdpa_sim). */
	TEST_ASSERT_SUCCESS(setup(F(VIRTIO_F_VERSION_1) |
		F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_CTRL_MAC_ADDR)), "setup");
	build_mac_addr();
	OK("mac addr without CTRL_RX");
	build_mac_table();
	ERR("mac table without CTRL_RX");
	/* CTRL_RX without RX_EXTRA: PROMISC/ALLMULTI only. */
	TEST_ASSERT_SUCCESS(setup(all_features &
		~F(VIRTIO_NET_F_CTRL_RX_EXTRA)), "setup");
	req(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI);
	put8(1);
	OK("allmulti");
	req(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLUNI);
	put8(1);
	ERR("alluni without RX_EXTRA");
	/* NOTF_COAL and VQ_NOTF_COAL gate different commands. */
	TEST_ASSERT_SUCCESS(setup(all_features & ~F(VIRTIO_NET_F_NOTF_COAL)),
		"setup");
	build_coal_vq_set();
	OK("vq set without NOTF_COAL");
	return TEST_SUCCESS;
}

/* Unknown classes, unknown commands of known classes, RSS contexts. */
static int
test_unknown(void)
{
	static const struct { uint8_t cls, cmd; } bad[] = {
		{ 0, 6 }, { 0, 255 }, { 1, 2 }, { 2, 2 }, { 3, 1 }, { 4, 3 },
		{ 5, 1 }, { 6, 4 }, { 7, 1 }, { 8, 2 },
		{ 9, 0 }, { 9, 1 }, { 9, 2 }, { 9, 3 },	/* RSS contexts */
		{ 10, 0 }, { 63, 0 }, { 255, 255 },
	};
	unsigned int i;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	for (i = 0; i < RTE_DIM(bad); i++) {
		req(bad[i].cls, bad[i].cmd);
		put32(0);
		ERR("unknown");
		req(bad[i].cls, bad[i].cmd);
		ERR("unknown, no data");
	}
	/* Each rejected submission counted under its class. */
	TEST_ASSERT_EQUAL(ctrl.stats.err[CVQSIM_CTRL_CLASS_OTHER], 3 * 2 * 3,
		"class >= 10 counted as other");
	TEST_ASSERT_EQUAL(ctrl.stats.err[9], 4 * 2 * 3, "class 9");
	TEST_ASSERT_EQUAL(ctrl.stats.err[0], 2 * 2 * 3, "class 0");
	return TEST_SUCCESS;
}

static int
test_rx_mode(void)
{
	uint8_t cmd;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	for (cmd = VIRTIO_NET_CTRL_RX_PROMISC; cmd <= VIRTIO_NET_CTRL_RX_NOBCAST;
			cmd++) {
		const uint8_t *flag = &net.state.rx_mode.promisc + cmd;

		req(VIRTIO_NET_CTRL_RX, cmd);
		put8(1);
		OK("on");
		TEST_ASSERT_EQUAL(*flag, 1, "cmd %u on", cmd);
		req(VIRTIO_NET_CTRL_RX, cmd);
		put8(0);
		OK("off");
		TEST_ASSERT_EQUAL(*flag, 0, "cmd %u off", cmd);
		/* Non-zero is on (Linux header, QEMU). */
		req(VIRTIO_NET_CTRL_RX, cmd);
		put8(0x80);
		OK("0x80");
		TEST_ASSERT_EQUAL(*flag, 1, "cmd %u 0x80", cmd);
		req(VIRTIO_NET_CTRL_RX, cmd);
		ERR("no byte");
		req(VIRTIO_NET_CTRL_RX, cmd);
		put16(0);
		ERR("two bytes");
	}
	return TEST_SUCCESS;
}

static void
mac_table_req(uint32_t n_uc, uint32_t n_mc)
{
	uint8_t mac[6];
	uint32_t i;

	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET);
	put32(n_uc);
	for (i = 0; i < n_uc; i++) {
		memcpy(mac, mac_a, 6);
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		putb(mac, 6);
	}
	put32(n_mc);
	for (i = 0; i < n_mc; i++) {
		memcpy(mac, mc_b, 6);
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		putb(mac, 6);
	}
}

static int
test_mac_table(void)
{
	uint32_t full, cut;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_mac_table();
	OK("2 + 3");
	TEST_ASSERT(net.state.uc_count == 2 && net.state.mc_count == 3, "n");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(net.state.macs[1], mac_b, 6, "uc 1");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(net.state.macs[4], mc_c, 6, "mc 2");
	mac_table_req(0, 0);
	OK("empty tables");
	TEST_ASSERT(net.state.uc_count == 0 && net.state.mc_count == 0, "0");
	/* Every truncation of a valid request is ERR. */
	build_mac_table();
	full = rq.len;
	for (cut = 2; cut < full; cut++) {
		build_mac_table();
		rq.len = cut;
		ERR("truncated");
	}
	build_mac_table();
	put8(0);
	ERR("one extra byte");
	build_mac_table();
	putb(mac_a, 6);
	ERR("one extra address");
	/* Hostile counts: 32-bit products must not wrap. */
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET);
	put32(0xffffffff);
	put32(0);
	ERR("uc count 2^32-1");
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET);
	put32(0);
	put32(0x2aaaaaab);	/* * 6 wraps to 2 in 32 bits */
	put16(0x0101);		/* looks like the start of a multicast MAC */
	ERR("mc count wrapping");
	/* Misplaced addresses. */
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET);
	put32(1);
	putb(mc_a, 6);
	put32(0);
	ERR("multicast in the unicast table");
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET);
	put32(0);
	put32(1);
	putb(mac_a, 6);
	ERR("unicast in the multicast table");
	/* Overflow (QEMU): OK, the class is flagged, nothing stored. */
	mac_table_req(65, 2);
	OK("65 unicast");
	TEST_ASSERT(net.state.uc_overflow && !net.state.mc_overflow, "uc ovf");
	TEST_ASSERT(net.state.uc_count == 0 && net.state.mc_count == 2, "n");
	mac_table_req(40, 25);
	OK("40 + 25");
	TEST_ASSERT(!net.state.uc_overflow && net.state.mc_overflow, "mc ovf");
	TEST_ASSERT_EQUAL(net.state.uc_count, 40, "uc stored");
	mac_table_req(40, 24);
	OK("40 + 24: exactly full");
	TEST_ASSERT(!net.state.uc_overflow && !net.state.mc_overflow, "full");
	TEST_ASSERT_EQUAL(net.state.mc_count, 24, "mc stored");
	/* The largest table that fits the request buffer. */
	mac_table_req(2000, 3000);
	OK("5000 addresses");
	TEST_ASSERT(net.state.uc_overflow && net.state.mc_overflow, "both");
	/* Oversize: more than CVQSIM_CTRL_MAX_REQ bytes. */
	mac_table_req(0, (CVQSIM_CTRL_MAX_REQ - 8) / 6 + 1);
	TEST_ASSERT(rq.len > CVQSIM_CTRL_MAX_REQ, "oversize");
	ERR("oversize");
	TEST_ASSERT(ctrl.stats.oversize > 0, "oversize counted");
	return TEST_SUCCESS;
}

static int
test_mac_addr(void)
{
	static const uint8_t zero[6] = { 0 };

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_mac_addr();
	OK("addr");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(net.state.mac, mac_b, 6, "mac");
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET);
	putb(mac_a, 5);
	ERR("5 bytes");
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET);
	putb(mac_a, 6);
	put8(0);
	ERR("7 bytes");
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET);
	putb(mc_a, 6);
	ERR("multicast primary");
	req(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET);
	putb(zero, 6);
	ERR("zero primary");
	return TEST_SUCCESS;
}

static bool
vlan_set(uint16_t vid)
{
	return (net.state.vlan_filter[vid / 32] >> (vid % 32)) & 1;
}

static int
test_vlan(void)
{
	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	TEST_ASSERT(!vlan_set(0) && !vlan_set(4095), "empty at start");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(0);
	OK("vid 0");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(4095);
	OK("vid 4095");
	TEST_ASSERT(vlan_set(0) && vlan_set(4095) && !vlan_set(1), "added");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL);
	put16(4095);
	OK("del 4095");
	TEST_ASSERT(!vlan_set(4095), "deleted");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL);
	put16(17);
	OK("del absent");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(4096);
	ERR("vid 4096");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(0xffff);
	ERR("vid 0xffff");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_DEL);
	put16(0x8005);
	ERR("del vid with high bits");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put8(5);
	ERR("1 byte");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(5);
	put8(0);
	ERR("3 bytes");
	return TEST_SUCCESS;
}

static int
test_announce(void)
{
	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_announce_ack();
	ERR("ack without pending announce");
	TEST_ASSERT(cvqsim_net_announce(&net), "raise");
	TEST_ASSERT(net.state.status & VIRTIO_NET_S_ANNOUNCE, "pending");
	build_announce_ack();
	put8(0);
	ERR("ack with data");
	TEST_ASSERT(net.state.status & VIRTIO_NET_S_ANNOUNCE, "still pending");
	build_announce_ack();
	OK("ack");
	TEST_ASSERT_EQUAL(net.state.status, VIRTIO_NET_S_LINK_UP, "cleared");
	build_announce_ack();
	ERR("second ack");
	/* Without GUEST_ANNOUNCE nothing can be raised nor acked. */
	TEST_ASSERT_SUCCESS(setup(all_features &
		~F(VIRTIO_NET_F_GUEST_ANNOUNCE)), "setup");
	TEST_ASSERT(!cvqsim_net_announce(&net), "not negotiated");
	return TEST_SUCCESS;
}

static int
test_vq_pairs(void)
{
	uint16_t pairs;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	for (pairs = 1; pairs <= PAIRS; pairs++) {
		req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
		put16(pairs);
		OK("pairs");
		TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, pairs, "set");
	}
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(0);
	ERR("0 pairs");
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(PAIRS + 1);
	ERR("above max");
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(0x8001);
	ERR("above 0x8000");
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put8(2);
	ERR("1 byte");
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(2);
	put16(0);
	ERR("4 bytes");
	/* It ends RSS steering (the last MQ command sets the mode). */
	build_rss_linux();
	expect_ok("rss", 0);
	TEST_ASSERT(net.state.rss.steering, "rss on");
	build_vq_pairs();
	OK("pairs");
	TEST_ASSERT(!net.state.rss.steering, "rss off");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 3, "3");
	return TEST_SUCCESS;
}

/* An RSS_CONFIG with explicit fields; entries 0, 1, 0, ..., entry. */
static void
rss_req(uint32_t types, uint32_t table_len, uint16_t unclassified,
		uint16_t entry, uint16_t max_tx, uint8_t key_len, uint32_t extra)
{
	uint32_t i;

	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG);
	put32(types);
	put16((uint16_t)(table_len - 1));
	put16(unclassified);
	for (i = 0; i < table_len; i++)
		put16(i == table_len - 1 ? entry : (uint16_t)(i % 2));
	put16(max_tx);
	put8(key_len);
	for (i = 0; i < key_len; i++)
		put8((uint8_t)(i + 1));
	for (i = 0; i < extra; i++)
		put8(0);
}

static int
test_rss(void)
{
	uint32_t full, cut;
	unsigned int i;

	for (i = 0; i < sizeof(rss_key); i++)
		rss_key[i] = (uint8_t)(0xa0 + i);
	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_rss_linux();
	OK("linux rss");
	TEST_ASSERT(net.state.rss.steering && net.state.rss.hashing, "on");
	TEST_ASSERT_EQUAL(net.state.rss.hash_types, 0x3f, "types");
	TEST_ASSERT_EQUAL(net.state.rss.table_len, 128, "table len");
	TEST_ASSERT_EQUAL(net.state.rss.table[127], 127 % PAIRS, "entry");
	TEST_ASSERT_EQUAL(net.state.rss.key_len, 40, "key len");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(net.state.rss.key, rss_key, 40, "key");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, PAIRS, "max_tx_vq");
	/* Without the trailing byte too; two trailing bytes are too many. */
	rss_req(0x1ff, 8, 3, 3, 2, 40, 0);
	OK("exact length");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 2, "max_tx_vq 2");
	TEST_ASSERT_EQUAL(net.state.rss.unclassified_queue, 3, "unclassified");
	TEST_ASSERT_EQUAL(net.state.rss.key[39], 40, "last key byte");
	rss_req(0x1ff, 8, 3, 3, 2, 40, 2);
	ERR("two trailing bytes");
	rss_req(0x1ff, 1, 0, 0, 1, 40, 1);
	OK("table of 1");
	/* Every truncation of a valid request. */
	rss_req(0x3f, 4, 0, 1, 4, 40, 0);
	full = rq.len;
	for (cut = 2; cut < full; cut++) {
		rss_req(0x3f, 4, 0, 1, 4, 40, 0);
		rq.len = cut;
		ERR("truncated");
	}
	/* Table length: power of two, at most 128. */
	rss_req(0x3f, 3, 0, 0, 4, 40, 0);
	ERR("table of 3");
	rss_req(0x3f, 6, 0, 0, 4, 40, 0);
	ERR("table of 6");
	rss_req(0x3f, 256, 0, 0, 4, 40, 0);
	ERR("table of 256");
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG);
	put32(0x3f);
	put16(0xffff);	/* 65536 entries: mask + 1 must not wrap to 0 */
	put16(0);
	ERR("mask 0xffff");
	/* Queues below max pairs. */
	rss_req(0x3f, 4, PAIRS, 0, 4, 40, 0);
	ERR("unclassified = max pairs");
	rss_req(0x3f, 4, 0, PAIRS, 4, 40, 0);
	ERR("entry = max pairs");
	rss_req(0x3f, 4, 0, 0x8001, 4, 40, 0);
	ERR("entry with the reserved bit");
	/* max_tx_vq in 1 .. max pairs. */
	rss_req(0x3f, 4, 0, 0, 0, 40, 0);
	ERR("max_tx_vq 0");
	rss_req(0x3f, 4, 0, 0, PAIRS + 1, 40, 0);
	ERR("max_tx_vq above max");
	/* Key: at most 40; 0 only without hash types. */
	rss_req(0x3f, 4, 0, 0, 4, 41, 0);
	ERR("key 41");
	rss_req(0x3f, 4, 0, 0, 4, 0, 0);
	ERR("no key with hash types");
	rss_req(0x3f, 4, 0, 0, 4, 39, 0);
	OK("key 39");
	TEST_ASSERT_EQUAL(net.state.rss.key[39], 0, "zero-padded");
	/* Hash types within supported_hash_types. */
	rss_req(0x200, 4, 0, 0, 4, 40, 0);
	ERR("unknown hash type");
	net.params.supported_hash_types = 0x3f;
	cvqsim_net_reset(&net);
	cvqsim_net_set_features(&net, all_features);
	rss_req(0x40, 4, 0, 0, 4, 40, 0);
	ERR("unsupported hash type");
	/* Key 0 and types 0: RSS off, pair count applied (QEMU). */
	rss_req(0x3f, 4, 0, 0, 4, 40, 0);
	OK("on");
	rss_req(0, 4, 0, 0, 2, 0, 0);
	OK("off");
	TEST_ASSERT(!net.state.rss.steering && !net.state.rss.hashing, "off");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 2, "pairs");
	/* A rejected RSS_CONFIG keeps the previous configuration (cvqsim). */
	rss_req(0x3f, 4, 0, 2, 4, 40, 0);
	OK("on again");
	rss_req(0x3f, 3, 0, 0, 4, 40, 0);
	ERR("bad");
	TEST_ASSERT(net.state.rss.steering, "previous RSS kept");
	return TEST_SUCCESS;
}

static void
hash_req(uint32_t types, uint16_t reserved, uint8_t key_len, uint32_t extra)
{
	uint32_t i;

	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_HASH_CONFIG);
	put32(types);
	for (i = 0; i < 4; i++)
		put16(reserved);
	put8(key_len);
	for (i = 0; i < key_len; i++)
		put8((uint8_t)(0x10 + i));
	for (i = 0; i < extra; i++)
		put8(0);
}

static int
test_hash_config(void)
{
	uint32_t full, cut;

	TEST_ASSERT_SUCCESS(setup(all_features & ~F(VIRTIO_NET_F_RSS)), "setup");
	build_hash_config();
	OK("linux hash config");
	TEST_ASSERT(net.state.rss.hashing && !net.state.rss.steering, "state");
	TEST_ASSERT_EQUAL(net.state.rss.hash_types, 0x3f, "types");
	TEST_ASSERT_EQUAL(net.state.curr_queue_pairs, 1, "pairs unchanged");
	hash_req(0x7, 0xffff, 40, 0);
	OK("reserved ignored, exact length");
	TEST_ASSERT_EQUAL(net.state.rss.key[0], 0x10, "key");
	hash_req(0x7, 0, 40, 2);
	ERR("two trailing bytes");
	hash_req(0x7, 0, 41, 0);
	ERR("key 41");
	hash_req(0x7, 0, 0, 0);
	ERR("no key");
	hash_req(0x400, 0, 40, 0);
	ERR("unknown type");
	hash_req(0, 0, 0, 0);
	OK("off");
	TEST_ASSERT(!net.state.rss.hashing, "hashing off");
	hash_req(0x7, 0, 40, 0);
	full = rq.len;
	for (cut = 2; cut < full; cut++) {
		hash_req(0x7, 0, 40, 0);
		rq.len = cut;
		ERR("truncated");
	}
	return TEST_SUCCESS;
}

static void
offloads_req(uint64_t v)
{
	req(VIRTIO_NET_CTRL_GUEST_OFFLOADS, VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET);
	put64(v);
}

static int
test_offloads(void)
{
	const uint64_t on = F(VIRTIO_NET_F_GUEST_CSUM) |
		F(VIRTIO_NET_F_GUEST_TSO4) | F(VIRTIO_NET_F_GUEST_TSO6) |
		F(VIRTIO_NET_F_GUEST_ECN) | F(VIRTIO_NET_F_GUEST_UFO);

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	TEST_ASSERT_EQUAL(net.state.guest_offloads, on, "negotiated: on");
	offloads_req(0);
	OK("all off (XDP)");
	TEST_ASSERT_EQUAL(net.state.guest_offloads, 0, "off");
	offloads_req(on);
	OK("restore");
	TEST_ASSERT_EQUAL(net.state.guest_offloads, on, "on");
	offloads_req(F(VIRTIO_NET_F_GUEST_USO4));
	ERR("USO4 not negotiated");
	offloads_req(F(VIRTIO_NET_F_RSC_EXT));
	ERR("RSC_EXT not negotiated");
	offloads_req(F(VIRTIO_NET_F_CSUM));
	ERR("CSUM is not a receive offload");
	offloads_req(F(VIRTIO_NET_F_MQ));
	ERR("MQ is not an offload");
	offloads_req(1ULL << 63);
	ERR("bit 63");
	req(VIRTIO_NET_CTRL_GUEST_OFFLOADS, VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET);
	put32(0);
	put16(0);
	put8(0);
	ERR("7 bytes");
	offloads_req(0);
	put8(0);
	ERR("9 bytes");
	/* Negotiated USO / RSC_EXT / HDRLEN become settable. */
	TEST_ASSERT_SUCCESS(setup(all_features | F(VIRTIO_NET_F_GUEST_USO4) |
		F(VIRTIO_NET_F_RSC_EXT) | F(VIRTIO_NET_F_GUEST_HDRLEN)), "setup");
	offloads_req(F(VIRTIO_NET_F_GUEST_USO4) | F(VIRTIO_NET_F_RSC_EXT) |
		F(VIRTIO_NET_F_GUEST_HDRLEN));
	OK("negotiated extras");
	return TEST_SUCCESS;
}

static void
coal_vq_req(uint8_t cmd, uint16_t vq, uint32_t pkts, uint32_t usecs)
{
	req(VIRTIO_NET_CTRL_NOTF_COAL, cmd);
	put16(vq);
	put16(0);
	if (cmd == VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET) {
		put32(pkts);
		put32(usecs);
	}
}

/* VQ_GET of vq: OK with 8 result bytes equal to (pkts, usecs). */
static int
expect_coal(uint16_t vq, uint32_t pkts, uint32_t usecs)
{
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET, vq, 0, 0);
	TEST_ASSERT_SUCCESS(expect_ok("vq get", 8), "vq %u", vq);
	TEST_ASSERT_EQUAL(get_le16(wr + 1) | (uint32_t)get_le16(wr + 3) << 16,
		pkts, "vq %u max_packets", vq);
	TEST_ASSERT_EQUAL(get_le16(wr + 5) | (uint32_t)get_le16(wr + 7) << 16,
		usecs, "vq %u max_usecs", vq);
	return TEST_SUCCESS;
}

static int
test_coal(void)
{
	uint16_t vq;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	for (vq = 0; vq < 2 * PAIRS; vq++)
		TEST_ASSERT_SUCCESS(expect_coal(vq, 0, 0), "0 after reset");
	/* The spec's example, commands 1 to 6. */
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_RX_SET);
	put32(15);
	put32(10);
	OK("1: rx set");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 0, 3, 4);
	OK("2: vq 0 set");
	TEST_ASSERT_SUCCESS(expect_coal(0, 3, 4), "3: vq 0 get");
	TEST_ASSERT_SUCCESS(expect_coal(2, 15, 10), "vq 2 from rx set");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 1, 7, 8);
	OK("4: vq 1 set");
	TEST_ASSERT_SUCCESS(expect_coal(3, 0, 0), "vq 3 untouched");
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_TX_SET);
	put32(1);
	put32(2);
	OK("5: tx set");
	TEST_ASSERT_SUCCESS(expect_coal(1, 1, 2), "6: vq 1 from tx set");
	TEST_ASSERT_SUCCESS(expect_coal(3, 1, 2), "vq 3 from tx set");
	TEST_ASSERT_SUCCESS(expect_coal(0, 3, 4), "vq 0 kept");
	/* VQ_GET with vq_index only (2 bytes). */
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET);
	put16(0);
	TEST_ASSERT_SUCCESS(expect_ok("2-byte get", 8), "2-byte get");
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET);
	put16(0);
	put8(0);
	ERR("3-byte get");
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET);
	put8(0);
	ERR("1-byte get");
	/* VQ_GET's result cut at the end of the driver's buffer. */
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET, 0, 0, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 5), VIRTIO_NET_OK, "short buffer");
	TEST_ASSERT_EQUAL(used, 5, "4 result bytes written");
	TEST_ASSERT_EQUAL(wr[5], 0xff, "nothing past the buffer");
	/* vq_index: an enabled data queue. */
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, CVQ_INDEX, 1, 1);
	ERR("set on the cvq");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET, CVQ_INDEX, 0, 0);
	ERR("get on the cvq");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 0xffff, 1, 1);
	ERR("vq 0xffff");
	cvqsim_net_set_vq_enabled(&net, 5, false);
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 5, 1, 1);
	ERR("set on a disabled vq");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET, 5, 0, 0);
	ERR("get on a disabled vq");
	cvqsim_net_set_vq_enabled(&net, 5, true);
	TEST_ASSERT_SUCCESS(expect_coal(5, 1, 2), "re-enabled: tx set values");
	/* Lengths. */
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_TX_SET);
	put32(1);
	ERR("tx set, 4 bytes");
	req(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_RX_SET);
	put64(1);
	put8(0);
	ERR("rx set, 9 bytes");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 0, 1, 1);
	rq.len--;
	ERR("vq set, 11 bytes");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 0, 1, 1);
	put8(0);
	ERR("vq set, 13 bytes");
	/* Without MQ there is one pair: vq 2 does not exist. */
	TEST_ASSERT_SUCCESS(setup(all_features & ~F(VIRTIO_NET_F_MQ) &
		~F(VIRTIO_NET_F_RSS)), "setup");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 2, 1, 1);
	ERR("vq 2 of a single pair device");
	coal_vq_req(VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 1, 1, 1);
	OK("vq 1");
	return TEST_SUCCESS;
}

static int
test_hash_tunnel(void)
{
	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_hash_tunnel();
	OK("vxlan + geneve");
	TEST_ASSERT_EQUAL(net.state.tunnel_types,
		VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN |
		VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE, "types");
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put32(VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE);
	ERR("not in supported_tunnel_types");
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put32(1u << 9);
	ERR("undefined type");
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put16(0);
	ERR("2 bytes");
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put32(0);
	put8(0);
	ERR("5 bytes");
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put32(0);
	OK("0 disables");
	TEST_ASSERT_EQUAL(net.state.tunnel_types, 0, "off");
	return TEST_SUCCESS;
}

/* Check one STATS_GET record at off; returns its size. */
static int
check_record(uint32_t off, uint8_t type, uint16_t vq, uint16_t size,
		const uint64_t *counters)
{
	unsigned int i;

	TEST_ASSERT_EQUAL(wr[1 + off], type, "type at %u", off);
	TEST_ASSERT_EQUAL(wr[2 + off], 0, "reserved");
	TEST_ASSERT_EQUAL(get_le16(wr + 3 + off), vq, "vq_index at %u", off);
	TEST_ASSERT_EQUAL(get_le16(wr + 5 + off), 0, "reserved1");
	TEST_ASSERT_EQUAL(get_le16(wr + 7 + off), size, "size at %u", off);
	for (i = 0; i < (size - 8u) / 8u; i++)
		TEST_ASSERT_EQUAL(get_le64(wr + 9 + off + 8 * i), counters[i],
			"type %u counter %u", type, i);
	return TEST_SUCCESS;
}

static int
test_stats(void)
{
	const uint64_t allowed = VIRTIO_NET_STATS_TYPE_RX_BASIC |
		VIRTIO_NET_STATS_TYPE_RX_CSUM | VIRTIO_NET_STATS_TYPE_RX_GSO |
		VIRTIO_NET_STATS_TYPE_TX_BASIC | VIRTIO_NET_STATS_TYPE_TX_CSUM |
		VIRTIO_NET_STATS_TYPE_TX_GSO | VIRTIO_NET_STATS_TYPE_CVQ;
	struct virtio_net_hdr_v1 csum = { .flags = VIRTIO_NET_HDR_F_NEEDS_CSUM };
	struct virtio_net_hdr_v1 plain = { .flags = 0 };
	uint64_t rx0[6] = { 2, 1, 1000, 3, 1, 1 }, tx3[6] = { 1, 2, 120, 0, 0, 0 };
	uint64_t txcsum[2] = { 1, 1 }, cvq[2];
	uint64_t before_cmds, before_ok;
	uint32_t full;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_stats_query();
	TEST_ASSERT_SUCCESS(expect_ok("query", 8), "query");
	TEST_ASSERT_EQUAL(get_le64(wr + 1), allowed, "supported types");
	/* Types whose feature is missing are not announced. */
	TEST_ASSERT_SUCCESS(setup(all_features & ~F(VIRTIO_NET_F_GUEST_CSUM) &
		~F(VIRTIO_NET_F_HOST_TSO4)), "setup");
	build_stats_query();
	TEST_ASSERT_SUCCESS(expect_ok("query", 8), "query");
	TEST_ASSERT_EQUAL(get_le64(wr + 1), allowed &
		~VIRTIO_NET_STATS_TYPE_RX_CSUM & ~VIRTIO_NET_STATS_TYPE_TX_GSO,
		"gated types");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_CSUM);
	ERR("rx csum without GUEST_CSUM");
	build_stats_query();
	put8(0);
	ERR("query with data");

	/* GET: records in request order, types by bit, counters right. */
	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	cvqsim_net_count_kick(&net, 0);
	cvqsim_net_count_kick(&net, 0);
	pkt_count(&net, 0, NULL, 600, true);
	cvqsim_net_count_rx_drop(&net, 0, true);
	cvqsim_net_count_interrupt(&net, 0);
	cvqsim_net_count_interrupt(&net, 0);
	cvqsim_net_count_interrupt(&net, 0);
	cvqsim_net_count_kick(&net, 3);
	pkt_count(&net, 1, &csum, 60, false);
	pkt_count(&net, 1, &plain, 60, false);
	net.stats.rxq[0].bytes = 1000;
	build_vq_pairs();
	OK("one command before");
	before_cmds = ctrl.stats.commands;
	before_ok = 1;
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(3, VIRTIO_NET_STATS_TYPE_TX_CSUM |
		VIRTIO_NET_STATS_TYPE_TX_BASIC);
	stats_entry(CVQ_INDEX, VIRTIO_NET_STATS_TYPE_CVQ);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	stats_entry(2, 0);	/* nothing asked: no record */
	full = 56 + 24 + 24 + 56;
	TEST_ASSERT_SUCCESS(expect_ok("get", full), "get");
	TEST_ASSERT_SUCCESS(check_record(0, 16, 3, 56, tx3), "tx basic");
	TEST_ASSERT_SUCCESS(check_record(56, 17, 3, 24, txcsum), "tx csum");
	cvq[0] = before_cmds + 1;	/* the current command counts */
	cvq[1] = before_ok + 1;
	TEST_ASSERT_SUCCESS(check_record(80, 32, CVQ_INDEX, 24, cvq), "cvq");
	TEST_ASSERT_SUCCESS(check_record(104, 0, 0, 56, rx0), "rx basic");
	/* A buffer too small: filled up to its end, used = its size. */
	TEST_ASSERT_EQUAL(submit(LAY_BYTES, 0, 1 + 60), VIRTIO_NET_OK, "short");
	TEST_ASSERT_EQUAL(used, 61, "cut at the buffer end");
	TEST_ASSERT_EQUAL(wr[57], 17, "second record begun: type");
	TEST_ASSERT_EQUAL(get_le16(wr + 59), 3, "second record: vq_index");
	TEST_ASSERT_EQUAL(wr[61], 0xff, "nothing past the buffer");
	/* Only the ack byte: OK, used 1. */
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_OK, "ack only");
	TEST_ASSERT_EQUAL(used, 1, "no room for results");
	/* Invalid entries fail the whole command; nothing written. */
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	stats_entry(CVQ_INDEX + 1, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	ERR("vq past the cvq");
	TEST_ASSERT_EQUAL(wr[1], 0xff, "no record written");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(CVQ_INDEX + 1, 0);
	ERR("vq past the cvq, no type asked");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_TX_BASIC);
	ERR("tx type on a receive queue");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(1, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	ERR("rx type on a transmit queue");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_CVQ);
	ERR("cvq type on a data queue");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(CVQ_INDEX, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	ERR("rx type on the cvq");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, 1ULL << 4);
	ERR("unknown type bit");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_SPEED);
	ERR("type the device does not count");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	ERR("no entry");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	rq.len--;
	ERR("15-byte entry");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(0, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	put8(0);
	ERR("17 bytes");
	/* Without MQ/RSS there is one pair and the cvq is vq 2. */
	TEST_ASSERT_SUCCESS(setup(all_features & ~F(VIRTIO_NET_F_MQ) &
		~F(VIRTIO_NET_F_RSS)), "setup");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(2, VIRTIO_NET_STATS_TYPE_CVQ);
	TEST_ASSERT_SUCCESS(expect_ok("cvq is 2", 24), "single pair cvq");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(2, VIRTIO_NET_STATS_TYPE_RX_BASIC);
	ERR("vq 2 is the cvq");
	return TEST_SUCCESS;
}

/* Framing: no writable byte, tiny or empty requests, empty descriptors. */
static int
test_framing(void)
{
	int ret;

	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	/* No writable part: nothing applied, -ENOBUFS, used 0. */
	build_rx_promisc_off();
	cvqsim_net_state_get(&net, &before);
	ret = submit(LAY_LINUX, 0, 0);
	TEST_ASSERT_EQUAL(ret, -ENOBUFS, "no ack possible");
	TEST_ASSERT_EQUAL(used, 0, "used 0");
	cvqsim_net_state_get(&net, &after);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&after, &before, sizeof(before), "same");
	TEST_ASSERT_EQUAL(ctrl.stats.no_ack, 1, "counted");
	/* Writable descriptors of length 0 only. */
	memcpy(rd, rq.b, rq.len);
	lay_out(rq.len, LAY_ONE, 0, 0);
	add_writable(0, 0);
	add_writable(0, 0);
	TEST_ASSERT_EQUAL(cvqsim_ctrl_process(&ctrl, &chain, &used), -ENOBUFS,
		"empty writable descriptors");
	/* An empty descriptor before the ack byte is fine (LAY_SPLIT). */
	TEST_ASSERT_EQUAL(submit(LAY_SPLIT, 1, 1), VIRTIO_NET_OK, "split");
	TEST_ASSERT_EQUAL(wr[0], VIRTIO_NET_OK, "ack");
	TEST_ASSERT_EQUAL(net.state.rx_mode.promisc, 0, "applied");
	/* Readable part shorter than class + command. */
	rq.len = 1;
	ERR("1 byte");
	rq.len = 0;
	ERR("0 bytes");
	/* out_len claims more than the iovecs hold: rejected. */
	build_rx_promisc_off();
	memcpy(rd, rq.b, rq.len);
	lay_out(rq.len, LAY_ONE, 0, 4);
	chain.out_len += 10;
	cvqsim_net_state_get(&net, &before);
	TEST_ASSERT_EQUAL(cvqsim_ctrl_process(&ctrl, &chain, &used),
		VIRTIO_NET_ERR, "inconsistent out_len");
	cvqsim_net_state_get(&net, &after);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&after, &before, sizeof(before), "same");
	return TEST_SUCCESS;
}

/* Per-class OK/ERR counters and the class names. */
static int
test_counters(void)
{
	TEST_ASSERT_SUCCESS(setup(all_features), "setup");
	build_vlan_add();
	OK("vlan");
	build_vlan_add();
	OK("vlan again");
	req(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put16(5000);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "bad vid");
	TEST_ASSERT_EQUAL(ctrl.stats.ok[VIRTIO_NET_CTRL_VLAN], 2, "ok");
	TEST_ASSERT_EQUAL(ctrl.stats.err[VIRTIO_NET_CTRL_VLAN], 1, "err");
	TEST_ASSERT_EQUAL(ctrl.stats.commands, 3, "commands");
	TEST_ASSERT_EQUAL(strcmp(cvqsim_ctrl_class_name(2), "vlan"), 0, "name");
	TEST_ASSERT_EQUAL(strcmp(cvqsim_ctrl_class_name(200), "unknown"), 0,
		"unknown name");
	cvqsim_ctrl_stats_reset(&ctrl);
	TEST_ASSERT_EQUAL(ctrl.stats.commands, 0, "reset");
	return TEST_SUCCESS;
}

/*
 * A backend that implements nothing but get_info (a minimal VF driver):
 * every command is ERR, STATS_QUERY offers the CVQ record only.
 */
static void
null_get_info(void *ctx, struct cvqsim_ctrl_info *info)
{
	(void)ctx;
	memset(info, 0, sizeof(*info));
	info->features = all_features;
	info->max_queue_pairs = 1;
	info->rss_max_indirection_table_length = 128;
	info->rss_max_key_size = 40;
	info->supported_hash_types = 0x1ff;
	info->supported_stats_types = ~0ULL;
	info->announce_pending = true;
}

static int
test_null_backend(void)
{
	static const struct cvqsim_ctrl_ops null_ops = {
		.get_info = null_get_info,
	};
	unsigned int i;

	cvqsim_ctrl_init(&ctrl, &null_ops, NULL);
	for (i = 0; i < RTE_DIM(valid_cases); i++) {
		if (valid_cases[i].build == build_stats_query)
			continue;
		valid_cases[i].build();
		TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, WR_DEFAULT), VIRTIO_NET_ERR,
			"%s without a callback", valid_cases[i].name);
	}
	build_stats_query();
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, WR_DEFAULT), VIRTIO_NET_OK, "q");
	TEST_ASSERT_EQUAL(get_le64(wr + 1), VIRTIO_NET_STATS_TYPE_CVQ, "cvq");
	req(VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET);
	stats_entry(2, VIRTIO_NET_STATS_TYPE_CVQ);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, WR_DEFAULT), VIRTIO_NET_OK, "get");
	TEST_ASSERT_EQUAL(used, 25, "cvq record");
	return TEST_SUCCESS;
}

/*
 * The decoder's own checks use the limits get_info() reports, not the
 * model's: a backend with smaller limits that records the apply calls.
 */
static unsigned int apply_calls;

static void
small_get_info(void *ctx, struct cvqsim_ctrl_info *info)
{
	null_get_info(ctx, info);
	info->max_queue_pairs = 2;
	info->rss_max_indirection_table_length = 16;
	info->rss_max_key_size = 20;
	info->supported_hash_types = VIRTIO_NET_RSS_HASH_TYPE_TCPv4;
	info->supported_tunnel_types = VIRTIO_NET_HASH_TUNNEL_TYPE_IPIP;
	info->announce_pending = false;
}

static int
count_rss(void *ctx, const struct cvqsim_ctrl_rss *rss)
{
	(void)ctx;
	(void)rss;
	apply_calls++;
	return 0;
}

static int
count_u32(void *ctx, uint32_t v)
{
	(void)ctx;
	(void)v;
	apply_calls++;
	return 0;
}

static int
count_u16(void *ctx, uint16_t v)
{
	(void)ctx;
	(void)v;
	apply_calls++;
	return 0;
}

static int
count_void(void *ctx)
{
	(void)ctx;
	apply_calls++;
	return 0;
}

/* A backend that fails to apply: ERR, and the decoder counts it as ERR. */
static int
fail_u16(void *ctx, uint16_t v)
{
	(void)ctx;
	(void)v;
	apply_calls++;
	return -EIO;
}

static int
test_backend_limits(void)
{
	static const struct cvqsim_ctrl_ops small_ops = {
		.get_info = small_get_info,
		.rss_config = count_rss,
		.hash_config = count_rss,
		.hash_tunnel_set = count_u32,
		.vq_pairs_set = count_u16,
		.announce_ack = count_void,
	};
	static const struct cvqsim_ctrl_ops failing_ops = {
		.get_info = small_get_info,
		.vq_pairs_set = fail_u16,
	};
	unsigned int calls;

	cvqsim_ctrl_init(&ctrl, &small_ops, NULL);
	apply_calls = 0;
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 16, 1, 1, 2, 20, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_OK, "within");
	TEST_ASSERT_EQUAL(apply_calls, 1, "applied once");
	calls = apply_calls;
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 32, 1, 1, 2, 20, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "table 32");
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 16, 1, 1, 2, 21, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "key 21");
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_IPv4, 16, 1, 1, 2, 20, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "types");
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 16, 2, 1, 2, 20, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "uncl 2");
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 16, 1, 2, 2, 20, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "entry 2");
	rss_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 16, 1, 1, 3, 20, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "max_tx 3");
	hash_req(VIRTIO_NET_RSS_HASH_TYPE_TCPv4, 0, 21, 0);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "hash key 21");
	req(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET);
	put32(VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "tunnel");
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(3);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "pairs 3");
	build_announce_ack();
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "no announce");
	TEST_ASSERT_EQUAL(apply_calls, calls, "no callback for a rejection");
	/* The backend refuses: ERR. */
	cvqsim_ctrl_init(&ctrl, &failing_ops, NULL);
	req(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put16(2);
	TEST_ASSERT_EQUAL(submit(LAY_ONE, 0, 1), VIRTIO_NET_ERR, "backend -EIO");
	TEST_ASSERT_EQUAL(ctrl.stats.err[VIRTIO_NET_CTRL_MQ], 1, "counted");
	return TEST_SUCCESS;
}

static struct unit_test_suite ctrl_suite = {
	.suite_name = "cvqsim control queue decoder",
	.unit_test_cases = {
		TEST_CASE(test_layouts),
		TEST_CASE(test_gating),
		TEST_CASE(test_unknown),
		TEST_CASE(test_rx_mode),
		TEST_CASE(test_mac_table),
		TEST_CASE(test_mac_addr),
		TEST_CASE(test_vlan),
		TEST_CASE(test_announce),
		TEST_CASE(test_vq_pairs),
		TEST_CASE(test_rss),
		TEST_CASE(test_hash_config),
		TEST_CASE(test_offloads),
		TEST_CASE(test_coal),
		TEST_CASE(test_hash_tunnel),
		TEST_CASE(test_stats),
		TEST_CASE(test_framing),
		TEST_CASE(test_counters),
		TEST_CASE(test_null_backend),
		TEST_CASE(test_backend_limits),
		TEST_CASES_END()
	},
};

static int
ctrl_autotest(void)
{
	return unit_test_suite_runner(&ctrl_suite);
}

REGISTER_TEST_COMMAND(ctrl_autotest, ctrl_autotest);
