/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * datapath-check: the effects of control commands that the app's scripts
 * cannot reach, end to end through a cvqsim device hosted by the app's
 * backend module and driven by its vhost-user frontend, in one process.
 * The frontend forces CSUM and GUEST_CSUM (it does not implement them
 * itself) on top of everything else the device offers.
 *
 * Checks, in order:
 * - checksum offload: a NEEDS_CSUM frame arrives with NEEDS_CSUM and the
 *   same csum_start/csum_offset while GUEST_CSUM is enabled; after
 *   GUEST_OFFLOADS_SET 0 it arrives with flags 0 and a complete, valid
 *   UDP checksum (tx_csum_completed counted);
 * - receive checksum validation with GUEST_CSUM: a frame sent without
 *   NEEDS_CSUM arrives with DATA_VALID when its UDP checksum is right,
 *   without it when wrong or not TCP/UDP (STATS_GET RX_CSUM counts each);
 * - hostile TX headers (checksum field beyond the frame, csum_start past
 *   the end, a GSO type without a segmentation feature): dropped, counted
 *   as malformed, completed, nothing delivered;
 * - the receive filter's drop counters and the control counters of
 *   rte_pmd_cvqsim_stats_get();
 * - HASH_TUNNEL: with VXLAN enabled, a VXLAN frame reports the Toeplitz
 *   hash of its inner UDP/IPv4 flow, otherwise that of the outer flow;
 * - notification coalescing (RX_SET, TX_SET, VQ_SET on an RX and a TX
 *   queue): fewer than max_packets frames get no used-buffer notification
 *   until max_usecs passed, max_packets frames get one at once;
 * - rte_pmd_cvqsim_setup_time_get(): the bring-up just done is timed
 *   (dev_conf once, every vring the frontend created set up).
 *
 *   datapath-check WORK_DIR
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_thash.h>
#include <rte_vdpa.h>

#include <rte_pmd_cvqsim.h>

#include "cvqsim_virtio.h"	/* control classes newer than the uapi header */
#include "frames.h"
#include "proc_check.h"

#define BIT(n)		(1ULL << (n))
#define ETH_LEN		14
#define IP_LEN		20
#define UDP_LEN		8
#define VXLAN_LEN	8
#define PAYLOAD		32
#define SIP		0x0a000001	/* 10.0.0.1 */
#define DIP		0x0a000002

/* Coalescing under test: 8 packets or 1 s (8 frames take milliseconds). */
#define COAL_PKTS	8
#define COAL_USECS	1000000

static const uint8_t dev_mac[6] = { 0x02, 0x63, 0x76, 0x71, 0x00, 0x00 };
/* The Microsoft RSS verification key. */
static const uint8_t rss_key[40] __rte_aligned(4) = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static struct pc_dev dev = {
	.vdev = "vdpa_cvqsim0,queues=2,poll=adaptive",
	.pairs = 2,
};

/* The frames of the last drain. */
struct rx_log {
	unsigned int n;
	struct virtio_net_hdr_v1_hash hdr[8];
	uint8_t data[8][256];
	uint32_t len[8];
	uint16_t queue[8];
};
static struct rx_log rxl;

static void
rx_cb(const struct fe_rx_pkt *pkt, void *arg)
{
	struct rx_log *l = arg;

	if (l->n < RTE_DIM(l->hdr)) {
		l->hdr[l->n] = pkt->hdr;
		l->len[l->n] = RTE_MIN(pkt->len, (uint32_t)sizeof(l->data[0]));
		memcpy(l->data[l->n], pkt->data, l->len[l->n]);
		l->queue[l->n] = pkt->queue;
	}
	l->n++;
}

static int
drain(void)
{
	memset(&rxl, 0, sizeof(rxl));
	return fe_rx_drain(dev.fe, 100, 2000, rx_cb, &rxl);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An Ethernet + IPv4 + UDP frame to dst (frames.h builds it). */
static void
udp4_spec(struct frame_spec *spec, const uint8_t dst[6], uint32_t sip,
		uint32_t dip, uint16_t sport, uint16_t dport, uint32_t payload)
{
	uint32_t sip_be = rte_cpu_to_be_32(sip), dip_be = rte_cpu_to_be_32(dip);

	frame_spec_init(spec);
	memcpy(spec->dst, dst, 6);
	memcpy(spec->sip, &sip_be, 4);
	memcpy(spec->dip, &dip_be, 4);
	spec->sport = sport;
	spec->dport = dport;
	spec->payload_len = payload;
}

/* udp4_spec() built into f (of cap bytes); returns its length. */
static uint32_t
build_udp4(uint8_t *f, uint32_t cap, const uint8_t dst[6], uint32_t sip,
		uint32_t dip, uint16_t sport, uint16_t dport, uint32_t payload)
{
	struct frame_spec spec;

	udp4_spec(&spec, dst, sip, dip, sport, dport, payload);
	return frame_build(&spec, 0, f, cap);
}

static int
ctrl(uint8_t cls, uint8_t cmd, const void *data, size_t len, const char *what)
{
	return pc_ctrl_ok(dev.fe, cls, cmd, data, len, what);
}

static int
guest_offloads(uint64_t offloads)
{
	uint8_t le[8];
	unsigned int i;

	for (i = 0; i < 8; i++)
		le[i] = (uint8_t)(offloads >> (8 * i));
	return ctrl(VIRTIO_NET_CTRL_GUEST_OFFLOADS,
		VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, le, sizeof(le),
		"GUEST_OFFLOADS_SET");
}

static int
check_csum(void)
{
	struct virtio_net_hdr_v1 h;
	struct rte_pmd_cvqsim_stats st;
	struct frame_spec spec;
	uint8_t f[128], full[128];
	uint32_t len;
	uint8_t *udp = f + ETH_LEN + IP_LEN;

	udp4_spec(&spec, dev_mac, 0x0a000001, 0x0a000002, 1000, 2000, PAYLOAD);
	len = frame_build(&spec, 0, full, sizeof(full));
	memcpy(f, full, len);
	/* What a driver puts there for CHECKSUM_PARTIAL: the pseudo sum. */
	put16(udp + 6, frame_pseudo_csum(&spec));
	memset(&h, 0, sizeof(h));
	h.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h.csum_start = ETH_LEN + IP_LEN;
	h.csum_offset = 6;

	/* GUEST_CSUM enabled (negotiated offloads start enabled). */
	CHECK(fe_tx_frame(dev.fe, 0, f, len, &h) == 1, "tx: %s", fe_dev_error(dev.fe));
	CHECK(drain() == 1, "partial: %u frames", rxl.n);
	CHECK(rxl.hdr[0].hdr.flags == VIRTIO_NET_HDR_F_NEEDS_CSUM &&
		rxl.hdr[0].hdr.csum_start == h.csum_start &&
		rxl.hdr[0].hdr.csum_offset == h.csum_offset,
		"partial: flags %u start %u offset %u", rxl.hdr[0].hdr.flags,
		rxl.hdr[0].hdr.csum_start, rxl.hdr[0].hdr.csum_offset);
	CHECK(rxl.len[0] == len && memcmp(rxl.data[0], f, len) == 0,
		"partial: frame changed");
	printf("csum: GUEST_CSUM on: NEEDS_CSUM start %u offset %u passed"
		" through\n", h.csum_start, h.csum_offset);

	/* GUEST_CSUM off: the device completes the checksum. */
	if (guest_offloads(0) < 0)
		return -1;
	CHECK(fe_tx_frame(dev.fe, 0, f, len, &h) == 1, "tx: %s", fe_dev_error(dev.fe));
	CHECK(drain() == 1, "complete: %u frames", rxl.n);
	CHECK(rxl.hdr[0].hdr.flags == 0, "complete: flags %u",
		rxl.hdr[0].hdr.flags);
	udp = rxl.data[0] + ETH_LEN + IP_LEN;
	/* The frame with its full checksum, as frames.c computes it. */
	CHECK(rxl.len[0] == len && memcmp(rxl.data[0], full, len) == 0,
		"complete: UDP checksum 0x%02x%02x, expected 0x%02x%02x (or"
		" other bytes changed)", udp[6], udp[7],
		full[ETH_LEN + IP_LEN + 6], full[ETH_LEN + IP_LEN + 7]);
	CHECK(rte_pmd_cvqsim_stats_get(dev.vdpa, &st) == 0, "stats");
	CHECK(st.tx_csum_completed == 1, "tx_csum_completed %" PRIu64,
		st.tx_csum_completed);
	printf("csum: GUEST_CSUM off: flags 0, checksum 0x%02x%02x completed"
		" and valid\n", udp[6], udp[7]);
	return guest_offloads(BIT(VIRTIO_NET_F_GUEST_CSUM));
}

/* STATS_GET RX_CSUM of receiveq vq_index: valid, needs, none, bad. */
static int
rx_csum_stats(uint16_t vq_index, uint64_t c[4])
{
	uint8_t req[16], res[8 + 4 * 8], ack = 0xff;
	uint32_t used = 0;
	unsigned int i, k;

	memset(req, 0, sizeof(req));
	req[0] = (uint8_t)vq_index;
	req[1] = (uint8_t)(vq_index >> 8);
	req[8] = (uint8_t)VIRTIO_NET_STATS_TYPE_RX_CSUM;
	CHECK(fe_ctrl(dev.fe, VIRTIO_NET_CTRL_STATS, VIRTIO_NET_CTRL_STATS_GET,
		req, sizeof(req), res, sizeof(res), &ack, &used) == 0 &&
		ack == VIRTIO_NET_OK, "STATS_GET RX_CSUM: ack %u", ack);
	CHECK(res[0] == VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM &&
		(res[2] | res[3] << 8) == vq_index &&
		(res[6] | res[7] << 8) == sizeof(res),
		"STATS_GET RX_CSUM: record type %u vq %u size %u", res[0],
		res[2] | res[3] << 8, res[6] | res[7] << 8);
	for (i = 0; i < 4; i++)
		for (c[i] = 0, k = 0; k < 8; k++)
			c[i] |= (uint64_t)res[8 + 8 * i + k] << (8 * k);
	return 0;
}

/* Send f as is (no NEEDS_CSUM); the one frame received must equal it. */
static int
rx_one(const uint8_t *f, uint32_t len, const char *what)
{
	CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "%s: tx: %s", what,
		fe_dev_error(dev.fe));
	CHECK(drain() == 1, "%s: %u frames", what, rxl.n);
	CHECK(rxl.queue[0] == 0, "%s: on pair %u", what, rxl.queue[0]);
	CHECK(rxl.len[0] == len && memcmp(rxl.data[0], f, len) == 0,
		"%s: frame changed", what);
	return 0;
}

/*
 * GUEST_CSUM enabled: the device validates the checksum of a frame sent
 * without NEEDS_CSUM, as a NIC does: a right UDP checksum arrives with
 * DATA_VALID (rx_csum_valid), a wrong one without (rx_csum_bad), a frame
 * that is not TCP/UDP without (rx_csum_none). None is changed.
 */
static int
check_rx_csum(void)
{
	uint64_t before[4], after[4];
	uint8_t f[128];
	uint32_t len = build_udp4(f, sizeof(f), dev_mac, SIP, DIP, 1000, 2000,
		PAYLOAD);

	if (rx_csum_stats(0, before) < 0 || rx_one(f, len, "valid") < 0)
		return -1;
	CHECK(rxl.hdr[0].hdr.flags == VIRTIO_NET_HDR_F_DATA_VALID,
		"valid: flags %u", rxl.hdr[0].hdr.flags);
	f[len - 1] ^= 0x01;
	if (rx_one(f, len, "bad") < 0)
		return -1;
	CHECK(rxl.hdr[0].hdr.flags == 0, "bad: flags %u", rxl.hdr[0].hdr.flags);
	f[12] = 0x88;	/* ethertype 0x88b5: not IP */
	f[13] = 0xb5;
	if (rx_one(f, len, "not IP") < 0)
		return -1;
	CHECK(rxl.hdr[0].hdr.flags == 0, "not IP: flags %u",
		rxl.hdr[0].hdr.flags);
	if (rx_csum_stats(0, after) < 0)
		return -1;
	CHECK(after[0] - before[0] == 1 && after[3] - before[3] == 1 &&
		after[2] - before[2] == 1 && after[1] == before[1],
		"RX_CSUM counted valid +%" PRIu64 " needs +%" PRIu64 " none +%"
		PRIu64 " bad +%" PRIu64 ", expected 1 0 1 1",
		after[0] - before[0], after[1] - before[1],
		after[2] - before[2], after[3] - before[3]);
	printf("csum: GUEST_CSUM on: right UDP checksum DATA_VALID, wrong one"
		" rx_csum_bad, not IP rx_csum_none\n");
	return 0;
}

static int
check_hostile(void)
{
	struct rte_pmd_cvqsim_stats before, after;
	struct virtio_net_hdr_v1 h[3];
	struct fe_q_stats q0, q1;
	uint8_t f[128];
	uint32_t len = build_udp4(f, sizeof(f), dev_mac, SIP, DIP, 1000,
		2000, PAYLOAD);
	unsigned int i;

	memset(h, 0, sizeof(h));
	/* The 2-byte field would end one byte past the frame. */
	h[0].flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h[0].csum_start = (uint16_t)(len - 1);
	h[0].csum_offset = 0;
	/* csum_start + csum_offset far beyond the frame (and 16 bits). */
	h[1].flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	h[1].csum_start = 0xfff0;
	h[1].csum_offset = 0xfff0;
	/* Segmentation without HOST_TSO4. */
	h[2].gso_type = VIRTIO_NET_HDR_GSO_TCPV4;
	h[2].gso_size = 100;

	CHECK(rte_pmd_cvqsim_stats_get(dev.vdpa, &before) == 0, "stats");
	fe_stats_get(dev.fe, 0, &q0);
	for (i = 0; i < RTE_DIM(h); i++)
		CHECK(fe_tx_frame(dev.fe, 0, f, len, &h[i]) == 1, "tx: %s",
			fe_dev_error(dev.fe));
	CHECK(drain() == 0, "hostile: %u frames delivered", rxl.n);
	fe_stats_get(dev.fe, 0, &q1);
	CHECK(rte_pmd_cvqsim_stats_get(dev.vdpa, &after) == 0, "stats");
	CHECK(after.tx_malformed - before.tx_malformed == RTE_DIM(h),
		"tx_malformed +%" PRIu64, after.tx_malformed - before.tx_malformed);
	CHECK(q1.tx_done - q0.tx_done == RTE_DIM(h), "completed %" PRIu64,
		q1.tx_done - q0.tx_done);
	printf("hostile: %u bad headers dropped as malformed and completed\n",
		(unsigned int)RTE_DIM(h));
	return 0;
}

/*
 * VIRTIO_NET_F_MTU: a frame longer than the MTU plus an Ethernet header with
 * one VLAN tag is not delivered (dropped as malformed); one at the limit is.
 */
static int
check_oversize(void)
{
	struct rte_pmd_cvqsim_stats before, after;
	const uint32_t limit = 1500 + ETH_LEN + 4;
	static uint8_t f[2048];
	uint32_t len;

	CHECK(rte_pmd_cvqsim_stats_get(dev.vdpa, &before) == 0, "stats");
	len = build_udp4(f, sizeof(f), dev_mac, SIP, DIP, 7, 8,
		limit + 1 - ETH_LEN - IP_LEN - UDP_LEN);
	CHECK(len == limit + 1, "oversize frame is %u bytes", len);
	CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "tx: %s", fe_dev_error(dev.fe));
	CHECK(drain() == 0, "oversize: %u frames delivered", rxl.n);
	CHECK(rte_pmd_cvqsim_stats_get(dev.vdpa, &after) == 0, "stats");
	CHECK(after.tx_malformed - before.tx_malformed == 1,
		"tx_malformed +%" PRIu64, after.tx_malformed - before.tx_malformed);
	len = build_udp4(f, sizeof(f), dev_mac, SIP, DIP, 7, 8,
		limit - ETH_LEN - IP_LEN - UDP_LEN);
	CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "tx: %s", fe_dev_error(dev.fe));
	CHECK(drain() == 1, "frame at the MTU limit: %u delivered", rxl.n);
	printf("mtu: a %u-byte frame dropped, a %u-byte one delivered\n",
		limit + 1, limit);
	return 0;
}

static int
check_filter_stats(void)
{
	static const uint8_t other[6] = { 0x02, 0, 0, 0, 0, 0x99 };
	struct rte_pmd_cvqsim_stats st;
	uint8_t off = 0, on = 1, f[128];
	uint32_t len = build_udp4(f, sizeof(f), other, SIP, DIP, 1, 2,
		PAYLOAD);

	if (ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, &off, 1,
			"PROMISC off") < 0)
		return -1;
	CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "tx");
	CHECK(drain() == 0, "filtered frame delivered");
	CHECK(rte_pmd_cvqsim_stats_get(dev.vdpa, &st) == 0, "stats");
	CHECK(st.rx_filter[RTE_PMD_CVQSIM_RX_DROP_UNI] == 1, "drop-uni %" PRIu64,
		st.rx_filter[RTE_PMD_CVQSIM_RX_DROP_UNI]);
	CHECK(st.ctrl_ok[VIRTIO_NET_CTRL_RX] == 1, "rx class ok %" PRIu64,
		st.ctrl_ok[VIRTIO_NET_CTRL_RX]);
	CHECK(st.ctrl_ok[VIRTIO_NET_CTRL_GUEST_OFFLOADS] == 2,
		"offloads class ok %" PRIu64,
		st.ctrl_ok[VIRTIO_NET_CTRL_GUEST_OFFLOADS]);
	printf("filter: PROMISC off drops a frame to another MAC: %s %" PRIu64
		", control OK per class counted\n",
		rte_pmd_cvqsim_rx_verdict_name(RTE_PMD_CVQSIM_RX_DROP_UNI),
		st.rx_filter[RTE_PMD_CVQSIM_RX_DROP_UNI]);
	return ctrl(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, &on, 1,
		"PROMISC on");
}

/* RSS_CONFIG: UDPv4 hashing, one-entry table (queue 0), 2 pairs. */
static int
rss_udp4(void)
{
	uint8_t c[8 + 2 + 2 + 1 + sizeof(rss_key)];
	uint32_t types = VIRTIO_NET_RSS_HASH_TYPE_UDPv4;

	memset(c, 0, sizeof(c));
	c[0] = (uint8_t)types;
	c[1] = (uint8_t)(types >> 8);
	/* mask 0, unclassified 0, table[0] = 0 */
	c[10] = 2;			/* max_tx_vq */
	c[12] = sizeof(rss_key);
	memcpy(c + 13, rss_key, sizeof(rss_key));
	return ctrl(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG, c,
		sizeof(c), "RSS_CONFIG");
}

static int
tunnel_types(uint32_t types)
{
	uint8_t le[4] = { (uint8_t)types, (uint8_t)(types >> 8),
		(uint8_t)(types >> 16), (uint8_t)(types >> 24) };

	return ctrl(VIRTIO_NET_CTRL_HASH_TUNNEL, VIRTIO_NET_CTRL_HASH_TUNNEL_SET,
		le, sizeof(le), "HASH_TUNNEL_SET");
}

static uint32_t
udp4_hash(uint32_t sip, uint32_t dip, uint16_t sport, uint16_t dport)
{
	uint32_t t[3] = { sip, dip, (uint32_t)sport << 16 | dport };

	return rte_softrss(t, RTE_DIM(t), rss_key);
}

static int
check_tunnel(void)
{
	static const uint8_t inner_mac[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	uint32_t osip = 0xc0a80001, odip = 0xc0a80002;
	/* The first flow of the Microsoft verification suite, inside. */
	uint32_t isip = 0x420995bb, idip = 0xa18e6450;
	uint16_t osport = 49152, isport = 2794, idport = 1766;
	uint32_t inner_hash = udp4_hash(isip, idip, isport, idport);
	uint32_t outer_hash = udp4_hash(osip, odip, osport, 4789);
	uint8_t f[256], *vx;
	uint32_t ilen, len;

	/* VXLAN: outer UDP to 4789, 8-byte VXLAN header, inner Ethernet. */
	ilen = ETH_LEN + IP_LEN + UDP_LEN + PAYLOAD;
	len = build_udp4(f, sizeof(f), dev_mac, osip, odip, osport, 4789,
		VXLAN_LEN + ilen);
	vx = f + ETH_LEN + IP_LEN + UDP_LEN;
	memset(vx, 0, VXLAN_LEN);
	vx[0] = 0x08;			/* I flag: VNI valid */
	vx[6] = 0x01;			/* VNI 256 */
	build_udp4(vx + VXLAN_LEN, (uint32_t)(f + sizeof(f) - vx - VXLAN_LEN),
		inner_mac, isip, idip, isport, idport, PAYLOAD);
	put16(vx - 2, 0);		/* outer UDP: no checksum */

	if (rss_udp4() < 0 || tunnel_types(VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN) < 0)
		return -1;
	CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "tx");
	CHECK(drain() == 1, "vxlan: %u frames", rxl.n);
	CHECK(rxl.hdr[0].hash_report == VIRTIO_NET_HASH_REPORT_UDPv4 &&
		rxl.hdr[0].hash_value == inner_hash,
		"vxlan on: report %u hash 0x%08x, expected inner 0x%08x",
		rxl.hdr[0].hash_report, rxl.hdr[0].hash_value, inner_hash);
	printf("tunnel: VXLAN enabled: inner UDPv4 hash 0x%08x reported\n",
		inner_hash);

	if (tunnel_types(0) < 0)
		return -1;
	CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "tx");
	CHECK(drain() == 1, "vxlan off: %u frames", rxl.n);
	CHECK(rxl.hdr[0].hash_report == VIRTIO_NET_HASH_REPORT_UDPv4 &&
		rxl.hdr[0].hash_value == outer_hash,
		"vxlan off: report %u hash 0x%08x, expected outer 0x%08x",
		rxl.hdr[0].hash_report, rxl.hdr[0].hash_value, outer_hash);
	printf("tunnel: disabled: outer UDPv4 hash 0x%08x reported\n",
		outer_hash);
	return 0;
}

/* Used-buffer notification decisions of vq (sent or suppressed). */
static uint64_t
notifications(uint16_t vq)
{
	return pc_counter(&dev, vq, "notifies") +
		pc_counter(&dev, vq, "notifies_suppressed");
}

static int
send_n(unsigned int n)
{
	uint8_t f[128];
	uint32_t len = build_udp4(f, sizeof(f), dev_mac, SIP, DIP, 5, 6,
		PAYLOAD);
	unsigned int i;

	for (i = 0; i < n; i++)
		CHECK(fe_tx_frame(dev.fe, 0, f, len, NULL) == 1, "tx");
	CHECK(drain() == (int)n, "coalescing: %u of %u frames", rxl.n, n);
	return 0;
}

/*
 * Coalescing of vq (RX vq 0 or TX vq 1) set by command cmd: fewer than
 * max_packets frames get no notification, max_packets get one, one more
 * gets one after max_usecs. Then back to 0/0.
 */
static int
coal_round(const char *what, uint8_t cmd, uint16_t vq)
{
	uint8_t d[12], *c = d;
	size_t len = 8;
	uint64_t n0, n1, n2, n3;
	unsigned int i;

	memset(d, 0, sizeof(d));
	if (cmd == VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET) {
		d[0] = (uint8_t)vq;	/* le16 vq_index, le16 reserved */
		c = d + 4;
		len = 12;
	}
	for (i = 0; i < 4; i++) {
		c[i] = (uint8_t)(COAL_PKTS >> (8 * i));
		c[4 + i] = (uint8_t)(COAL_USECS >> (8 * i));
	}
	if (ctrl(VIRTIO_NET_CTRL_NOTF_COAL, cmd, d, len, what) < 0)
		return -1;
	n0 = notifications(vq);
	/* Half of max_packets, well within max_usecs: no notification. */
	if (send_n(COAL_PKTS / 2) < 0)
		return -1;
	n1 = notifications(vq);
	CHECK(n1 == n0, "%s: %u frames: %" PRIu64 " notifications on vq %u,"
		" expected none", what, COAL_PKTS / 2, n1 - n0, vq);
	/* max_packets reached: one notification. */
	if (send_n(COAL_PKTS / 2) < 0)
		return -1;
	n2 = notifications(vq);
	CHECK(n2 == n1 + 1, "%s: %u frames: %" PRIu64 " notifications on vq %u,"
		" expected 1", what, COAL_PKTS, n2 - n1, vq);
	/* One frame, then max_usecs pass: one notification. */
	if (send_n(1) < 0)
		return -1;
	for (i = 0; i < 100 && notifications(vq) == n2; i++)
		usleep(COAL_USECS / 50);
	n3 = notifications(vq);
	CHECK(n3 == n2 + 1, "%s: after max_usecs: %" PRIu64 " notifications on"
		" vq %u, expected 1", what, n3 - n2, vq);
	printf("coalescing: %s vq %u, %u packets or %u us: no notification for"
		" %u frames, one at %u, one after the timer\n", what, vq,
		COAL_PKTS, COAL_USECS, COAL_PKTS / 2, COAL_PKTS);
	memset(c, 0, 8);
	return ctrl(VIRTIO_NET_CTRL_NOTF_COAL, cmd, d, len, what);
}

static int
check_coalescing(void)
{
	if (coal_round("RX_SET", VIRTIO_NET_CTRL_NOTF_COAL_RX_SET, 0) < 0 ||
			coal_round("TX_SET", VIRTIO_NET_CTRL_NOTF_COAL_TX_SET, 1) < 0 ||
			coal_round("VQ_SET", VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 1) < 0 ||
			coal_round("VQ_SET", VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET, 0) < 0)
		return -1;
	return 0;
}

/* The device timed its own side of the bring-up fe_dev_open just did. */
static int
check_setup_time(void)
{
	struct rte_pmd_cvqsim_setup_time t;
	struct fe_dev_info info;
	int i;

	CHECK(rte_pmd_cvqsim_setup_time_get(dev.vdpa, NULL) == -EINVAL,
		"setup_time_get(NULL) accepted");
	CHECK(fe_dev_info_get(dev.fe, &info) == 0, "frontend info");
	/* dev_conf comes from the vhost-events thread after DRIVER_OK. */
	for (i = 0; i < 200; i++) {
		CHECK(rte_pmd_cvqsim_setup_time_get(dev.vdpa, &t) == 0, "setup time");
		if (t.dev_conf_calls > 0)
			break;
		usleep(10000);
	}
	printf("setup time: dev_conf %" PRIu64 " ns (%" PRIu64 " calls), %u queue"
		" setups %" PRIu64 " ns, longest %" PRIu64 " ns\n", t.dev_conf_ns,
		t.dev_conf_calls, t.queues_started, t.queue_start_ns,
		t.queue_start_max_ns);
	CHECK(t.dev_conf_calls == 1 && t.dev_conf_ns > 0,
		"dev_conf not timed: %" PRIu64 " calls, %" PRIu64 " ns",
		t.dev_conf_calls, t.dev_conf_ns);
	CHECK(t.queues_started >= info.nr_vrings,
		"%u queue setups timed for %u vrings", t.queues_started,
		info.nr_vrings);
	CHECK(t.queue_start_max_ns > 0 && t.queue_start_max_ns <= t.queue_start_ns,
		"queue setup times: longest %" PRIu64 " ns of %" PRIu64 " ns",
		t.queue_start_max_ns, t.queue_start_ns);
	return 0;
}

static int
open_frontend(void)
{
	struct fe_config cfg;
	uint64_t offered = 0;

	CHECK(rte_vdpa_get_features(dev.vdpa, &offered) == 0, "features");
	CHECK((offered & (BIT(VIRTIO_NET_F_CSUM) | BIT(VIRTIO_NET_F_GUEST_CSUM) |
		BIT(VIRTIO_NET_F_HASH_TUNNEL))) == (BIT(VIRTIO_NET_F_CSUM) |
		BIT(VIRTIO_NET_F_GUEST_CSUM) | BIT(VIRTIO_NET_F_HASH_TUNNEL)),
		"CSUM, GUEST_CSUM or HASH_TUNNEL not offered: 0x%" PRIx64, offered);
	fe_config_init(&cfg);
	/* Everything the frontend implements, plus the checksum offloads. */
	cfg.force_features = offered & (FE_FEATURES_ALL | BIT(VIRTIO_NET_F_CSUM) |
		BIT(VIRTIO_NET_F_GUEST_CSUM));
	return pc_open_frontend(&dev, &cfg);
}

static int
run(void)
{
	if (open_frontend() < 0 || check_setup_time() < 0)
		return -1;
	if (check_csum() < 0 || check_rx_csum() < 0 || check_hostile() < 0 ||
			check_oversize() < 0 ||
			check_filter_stats() < 0 || check_tunnel() < 0 ||
			check_coalescing() < 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	const struct pc_env env = { .tag = "dp", .devs = &dev, .nr_devs = 1 };

	return pc_main(argc, argv, &env, run);
}
