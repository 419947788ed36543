/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: the control-queue path end to end, as the poller runs
 * it: a request chain in guest memory -> cvqsim_vq_pop() through the AS ->
 * cvqsim_ctrl_process() -> the cvqsim_net model -> ack and result written
 * back -> used ring. Then the model's datapath decisions (receive filter,
 * steering) on frames from the input, with the state the commands set.
 *
 * The fuzzer controls the device configuration (features, pairs, MAC table
 * size, tunnel types), and per request: its bytes (class, command, data,
 * any length, also around CVQSIM_CTRL_MAX_REQ), how they are cut into
 * readable descriptors, the writable descriptors (ack and result, none at
 * all, zero-length ones), direct or indirect, and where buffers go in guest
 * memory (across two mappings, overlapping readable and writable buffers).
 * The chains are always well-formed: ring violations are fuzz_vq's job,
 * this harness goes deep into the decoder and the model.
 *
 * Invariants:
 * - memory safety (ASan, poisoned bytes outside the mappings), no UB;
 * - a well-formed chain is always popped, with the lengths it was built with;
 * - the decoder answers OK or ERR with 1 <= used_len <= writable bytes and
 *   the ack in the first writable byte, or -ENOBUFS exactly when there is
 *   no writable byte; oversize and header-less requests are ERR;
 * - ERR and -ENOBUFS change nothing in the model (byte-identical state);
 * - model state stays in range (pairs, MAC table, RSS table and key), and
 *   steering only picks receive pairs that exist.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bitops.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_iov.h"
#include "cvqsim_net.h"
#include "cvqsim_net_rx.h"
#include "cvqsim_vq.h"
#include "fuzz_guest.h"
#include "fuzz_input.h"

#define RING_AREA		8192	/* rings + indirect table, region 0 */
#define INDIRECT_OFF		6144
#define REGION_SIZE		FUZZ_GUEST_REGION_CAP
#define GPA_BASE		0x40000000ULL
#define MAX_REQUESTS		48
#define MAX_OUT			8
#define MAX_IN			3

/* Every feature the decoder knows a command for. */
#define CTRL_FEATURES (RTE_BIT64(VIRTIO_F_VERSION_1) | RTE_BIT64(VIRTIO_NET_F_CTRL_VQ) | \
	RTE_BIT64(VIRTIO_NET_F_CTRL_RX) | RTE_BIT64(VIRTIO_NET_F_CTRL_VLAN) |	\
	RTE_BIT64(VIRTIO_NET_F_GUEST_ANNOUNCE) | RTE_BIT64(VIRTIO_NET_F_MQ) |	\
	RTE_BIT64(VIRTIO_NET_F_CTRL_MAC_ADDR) | RTE_BIT64(VIRTIO_NET_F_CTRL_RX_EXTRA) | \
	RTE_BIT64(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | RTE_BIT64(VIRTIO_NET_F_RSS) | \
	RTE_BIT64(VIRTIO_NET_F_HASH_REPORT) | RTE_BIT64(VIRTIO_NET_F_NOTF_COAL) | \
	RTE_BIT64(VIRTIO_NET_F_VQ_NOTF_COAL) | RTE_BIT64(VIRTIO_NET_F_DEVICE_STATS) | \
	RTE_BIT64(VIRTIO_NET_F_HASH_TUNNEL) | RTE_BIT64(VIRTIO_NET_F_GUEST_CSUM) | \
	RTE_BIT64(VIRTIO_NET_F_GUEST_TSO4) | RTE_BIT64(VIRTIO_NET_F_GUEST_TSO6) | \
	RTE_BIT64(VIRTIO_NET_F_CSUM) | RTE_BIT64(VIRTIO_NET_F_HOST_TSO4))

struct ctrl_fuzz {
	struct fuzz_guest g;
	struct cvqsim_vq vq;
	struct cvqsim_chain chain;
	struct cvqsim_ctrl ctrl;
	struct cvqsim_net net;
	struct cvqsim_net_state before;
	struct vring_desc *desc;
	struct vring_avail *avail;
	uint16_t size;
	uint16_t avail_idx;
	/* Buffer cursors: readable anywhere, writable in RW regions only. */
	uint64_t rd_cur, wr_cur;
	uint64_t rd_start, rd_end, wr_end;
	uint8_t req[CVQSIM_CTRL_MAX_REQ + 256];
	uint8_t ack_area[MAX_IN][2048];
};

static struct ctrl_fuzz F;
/* FUZZ_CTRL_TRACE=1: one line per request (to check seeds by hand). */
static int trace = -1;

static uint64_t
alloc_buf(uint64_t *cur, uint64_t end, uint32_t len)
{
	uint64_t a;

	if (*cur + len > end)
		*cur = F.rd_start;
	a = *cur;
	*cur += len;
	return a;
}

static void
write_desc(struct vring_desc *table, unsigned int i, uint64_t addr,
		uint32_t len, uint16_t flags, uint16_t next)
{
	table[i].addr = addr;
	table[i].len = len;
	table[i].flags = flags;
	table[i].next = next;
}

static void
check_model(void)
{
	const struct cvqsim_net_state *st = &F.net.state;
	uint16_t pairs = F.net.params.max_queue_pairs;
	unsigned int i;

	FUZZ_CHECK(st->curr_queue_pairs >= 1 && st->curr_queue_pairs <= pairs,
		"curr_queue_pairs %u of %u", st->curr_queue_pairs, pairs);
	FUZZ_CHECK(st->mac_table_capacity <= RTE_PMD_CVQSIM_MAC_TABLE_MAX &&
		(uint32_t)st->uc_count + st->mc_count <= st->mac_table_capacity,
		"MAC table %u + %u of %u", st->uc_count, st->mc_count,
		st->mac_table_capacity);
	FUZZ_CHECK(st->rss.table_len <= RTE_PMD_CVQSIM_RSS_TABLE_LEN &&
		(st->rss.table_len & (st->rss.table_len - 1)) == 0,
		"RSS table length %u", st->rss.table_len);
	FUZZ_CHECK(st->rss.key_len <= RTE_PMD_CVQSIM_RSS_KEY_SIZE, "key %u",
		st->rss.key_len);
	if (st->rss.steering) {
		FUZZ_CHECK(st->rss.table_len >= 1, "steering, empty table");
		FUZZ_CHECK(st->rss.unclassified_queue < pairs, "unclassified %u",
			st->rss.unclassified_queue);
		for (i = 0; i < st->rss.table_len; i++)
			FUZZ_CHECK(st->rss.table[i] < pairs, "table[%u] = %u", i,
				st->rss.table[i]);
	}
}

static void
check_frame(const uint8_t *frame, uint32_t len, uint16_t tx_pair)
{
	struct cvqsim_net_rx_steer out;
	enum cvqsim_net_rx_verdict v;

	v = cvqsim_net_rx_filter(&F.net, frame, len);
	FUZZ_CHECK(v < CVQSIM_NET_RX_VERDICT_MAX, "verdict %d", v);
	cvqsim_net_rx_steer(&F.net, tx_pair % F.net.params.max_queue_pairs,
		frame, len, &out);
	FUZZ_CHECK(out.pair < F.net.params.max_queue_pairs,
		"steered to pair %u of %u", out.pair, F.net.params.max_queue_pairs);
	FUZZ_CHECK(out.hash_report != VIRTIO_NET_HASH_REPORT_NONE ||
		out.hash_value == 0, "hash value without a report");
}

static uint32_t
request_len(uint16_t raw)
{
	if (raw < 0xe000)
		return raw % 1024;
	if (raw < 0xf000)
		return (raw % 0x1000) * 8;	/* big MAC tables, STATS_GET */
	return CVQSIM_CTRL_MAX_REQ - 128 + (raw & 0xff);
}

/* Build one request chain from the input, pop it, process it, complete it. */
static void
one_request(struct fuzz_input *in)
{
	uint8_t ctl = fuzz_u8(in);
	unsigned int nr_out = 1 + (ctl & 7), nr_in = (ctl >> 4) & 3;
	bool indirect = ctl & 8;
	uint32_t len = request_len(fuzz_u16(in));
	uint32_t seg[MAX_OUT], in_len[MAX_IN], rem, in_total = 0;
	uint64_t addr[MAX_OUT + MAX_IN];
	struct vring_desc *table;
	unsigned int n = nr_out + nr_in, i;
	uint32_t used_len = 0;
	uint64_t table_iova;
	int ret;

	if (ctl & 0x40)
		F.rd_cur += fuzz_u16(in);
	if (ctl & 0x80)
		F.wr_cur += fuzz_u16(in);
	fuzz_bytes(in, F.req, len);
	rem = len;
	for (i = 0; i < nr_out; i++) {
		uint8_t s = fuzz_u8(in);

		seg[i] = i + 1 == nr_out ? rem : (rem ? s % (rem + 1) : 0);
		rem -= seg[i];
	}
	for (i = 0; i < nr_in; i++) {
		in_len[i] = fuzz_u16(in) % sizeof(F.ack_area[0]);
		in_total += in_len[i];
	}

	/* Buffers: readable data, then the writable part pre-filled with 0xff. */
	rem = 0;
	for (i = 0; i < nr_out; i++) {
		addr[i] = alloc_buf(&F.rd_cur, F.rd_end, seg[i]);
		fuzz_guest_write(&F.g, addr[i], F.req + rem, seg[i]);
		rem += seg[i];
	}
	for (i = 0; i < nr_in; i++) {
		addr[nr_out + i] = alloc_buf(&F.wr_cur, F.wr_end, in_len[i]);
		memset(F.ack_area[i], 0xff, in_len[i]);
		fuzz_guest_write(&F.g, addr[nr_out + i], F.ack_area[i], in_len[i]);
	}

	/* A chain longer than the ring has to go through an indirect table. */
	if (n > F.size)
		indirect = true;
	table_iova = GPA_BASE + INDIRECT_OFF;
	table = indirect ? (struct vring_desc *)(fuzz_guest_hva(&F.g, 0) +
		INDIRECT_OFF) : F.desc;
	for (i = 0; i < n; i++) {
		uint16_t flags = i >= nr_out ? VRING_DESC_F_WRITE : 0;
		uint32_t l = i >= nr_out ? in_len[i - nr_out] : seg[i];

		if (i + 1 < n)
			flags |= VRING_DESC_F_NEXT;
		write_desc(table, i, addr[i], l, flags, (uint16_t)(i + 1));
	}
	if (indirect)
		write_desc(F.desc, 0, table_iova, 16 * n, VRING_DESC_F_INDIRECT, 0);
	F.avail->ring[F.avail_idx % F.size] = 0;
	F.avail_idx++;
	__atomic_store_n(&F.avail->idx, F.avail_idx, __ATOMIC_RELEASE);

	ret = cvqsim_vq_pop(&F.vq, &F.chain);
	FUZZ_CHECK(ret == 1, "well-formed chain refused: %d (%s)", ret,
		F.vq.error ? F.vq.error : "");
	FUZZ_CHECK(F.chain.out_len == len && F.chain.in_len == in_total,
		"chain lengths %u/%u, built %u/%u", F.chain.out_len,
		F.chain.in_len, len, in_total);

	F.before = F.net.state;
	ret = cvqsim_ctrl_process(&F.ctrl, &F.chain, &used_len);
	if (in_total == 0) {
		FUZZ_CHECK(ret == -ENOBUFS && used_len == 0,
			"no writable byte: ret %d used %u", ret, used_len);
	} else {
		uint8_t ack = 0xee;

		FUZZ_CHECK(ret == VIRTIO_NET_OK || ret == VIRTIO_NET_ERR,
			"process returned %d", ret);
		FUZZ_CHECK(used_len >= 1 && used_len <= in_total,
			"used_len %u, writable %u", used_len, in_total);
		cvqsim_iov_to_buf(cvqsim_chain_in_iov(&F.chain), F.chain.nr_in, 0,
			&ack, 1);
		FUZZ_CHECK(ack == ret, "ack byte %u, returned %d", ack, ret);
		FUZZ_CHECK(ret == VIRTIO_NET_ERR || (len >= 2 &&
			len <= CVQSIM_CTRL_MAX_REQ), "OK for a %u-byte request", len);
		FUZZ_CHECK(ret == VIRTIO_NET_OK || used_len == 1,
			"ERR with used_len %u", used_len);
	}
	if (ret != VIRTIO_NET_OK)
		FUZZ_CHECK(memcmp(&F.before, &F.net.state, sizeof(F.before)) == 0,
			"a refused command (class %u cmd %u) changed the model",
			len > 0 ? F.req[0] : 0, len > 1 ? F.req[1] : 0);
	if (trace)
		fprintf(stderr, "request class %u cmd %u len %u: ret %d used %u\n",
			len > 0 ? F.req[0] : 0, len > 1 ? F.req[1] : 0, len, ret,
			used_len);
	check_model();
	cvqsim_vq_push(&F.vq, F.chain.head, used_len);
	cvqsim_vq_flush(&F.vq);
	cvqsim_vq_notify(&F.vq);

	/* The datapath under the state just set: the request as a frame. */
	check_frame(F.req + 2 * (len > 2), len > 258 ? 256 : len - 2 * (len > 2),
		ctl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t sizes[3] = { REGION_SIZE, REGION_SIZE, REGION_SIZE };
	static const uint32_t perms[3] = {
		CVQSIM_PERM_RW, CVQSIM_PERM_RW, CVQSIM_PERM_RO,
	};
	struct fuzz_input in = { data, size };
	struct cvqsim_net_params params;
	uint8_t fmode = fuzz_u8(&in), misc;
	uint64_t fbits = fuzz_u64(&in), features;
	unsigned int i;
	int ret;

	if (trace < 0)
		trace = getenv("FUZZ_CTRL_TRACE") != NULL;
	memset(&params, 0, sizeof(params));
	params.mac[0] = 0x02;
	params.mac[5] = 0x01;
	params.max_queue_pairs = 1 + fuzz_u8(&in) % RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS;
	params.mtu = 1500;
	params.speed = 0xffffffff;
	params.duplex = 0xff;
	params.link_up = true;
	params.mac_table_entries = fuzz_u16(&in) % (RTE_PMD_CVQSIM_MAC_TABLE_MAX + 1);
	params.supported_tunnel_types = fuzz_u32(&in) &
		CVQSIM_NET_TUNNEL_TYPES_SUPPORTED;
	misc = fuzz_u8(&in);
	ret = cvqsim_net_init(&F.net, &params);
	FUZZ_CHECK(ret == 0, "net init %d", ret);
	/* Odd modes: everything but what the input masks off; even: raw bits. */
	features = (fmode & 1) ? CTRL_FEATURES & ~fbits : fbits;
	cvqsim_net_set_features(&F.net, features);
	if (misc & 1)
		cvqsim_net_announce(&F.net);
	/* The driver may have disabled some data queues (SET_VRING_ENABLE 0). */
	if (misc & 2)
		for (i = 0; i < 2u * params.max_queue_pairs; i += 1 + (misc >> 4))
			cvqsim_net_set_vq_enabled(&F.net, (uint16_t)i, false);
	cvqsim_ctrl_init(&F.ctrl, &cvqsim_net_ctrl_ops, &F.net);

	fuzz_guest_setup_fixed(&F.g, 3, GPA_BASE, sizes, perms);
	F.size = (uint16_t)(1u << ((misc >> 2) & 3) * 2);	/* 1, 4, 16, 64 */
	F.desc = (struct vring_desc *)fuzz_guest_hva(&F.g, 0);
	F.avail = (struct vring_avail *)(fuzz_guest_hva(&F.g, 0) + 16 * F.size);
	F.avail_idx = 0;
	F.rd_start = GPA_BASE + RING_AREA;
	F.rd_cur = F.rd_start;
	/* Writable buffers start in region 1: no overlap unless jumps make one. */
	F.wr_cur = GPA_BASE + REGION_SIZE;
	F.rd_end = GPA_BASE + 3ULL * REGION_SIZE;
	F.wr_end = GPA_BASE + 2ULL * REGION_SIZE;
	fuzz_guest_seal(&F.g, false);

	cvqsim_vq_init(&F.vq, 0, CVQSIM_GROUP_CVQ);
	ret = cvqsim_vq_setup(&F.vq, &F.g.as, GPA_BASE, GPA_BASE + 16 * F.size,
		GPA_BASE + 4096, F.size, 0, 0,
		(misc & 0x80 ? 1ULL << VIRTIO_RING_F_EVENT_IDX : 0) |
		1ULL << VIRTIO_RING_F_INDIRECT_DESC);
	FUZZ_CHECK(ret == 0, "ring setup %d: %s", ret, F.vq.error);

	for (i = 0; i < MAX_REQUESTS && in.len > 0; i++)
		one_request(&in);

	FUZZ_CHECK(F.ctrl.stats.commands == i, "%lu commands counted, %u sent",
		(unsigned long)F.ctrl.stats.commands, i);
	cvqsim_vq_teardown(&F.vq);
	fuzz_guest_release(&F.g);
	return 0;
}
