/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * ctrl_bench: cost of the control-queue decoder alone (cvqsim_ctrl_process
 * with the cvqsim_net model behind it), on request chains built in memory:
 * no ring, no address space, no vhost. Used by devtools/bench.
 *
 *   ctrl_bench [ITERS [REPS [COMMAND]]]
 *
 * For every command (or only COMMAND), runs REPS timed loops of ITERS
 * requests and prints one JSON object per command with the median ns per
 * command. Every request must be acknowledged VIRTIO_NET_OK, else the
 * program fails: a decoder that rejects the input would look fast.
 * Under callgrind (--toggle-collect=cvqsim_ctrl_process) the instruction
 * count per command is the collected total divided by ITERS * REPS.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_bitops.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_net.h"

#define MAX_REPS	64
#define PAIRS		4

struct bench_cmd {
	const char *name;
	uint8_t class_;
	uint8_t cmd;
	uint8_t data[1024];
	uint32_t len;
};

static struct bench_cmd cmds[8];
static unsigned int nr_cmds;

static struct bench_cmd *
add_cmd(const char *name, uint8_t class_, uint8_t cmd)
{
	struct bench_cmd *c = &cmds[nr_cmds++];

	c->name = name;
	c->class_ = class_;
	c->cmd = cmd;
	return c;
}

static void
put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

/* The commands a driver sends most: small ones, and the two big ones. */
static void
build_cmds(void)
{
	struct bench_cmd *c;
	uint8_t *p;
	unsigned int i;

	c = add_cmd("rx_promisc", VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC);
	c->data[0] = 1;
	c->len = 1;

	c = add_cmd("mac_addr_set", VIRTIO_NET_CTRL_MAC,
		VIRTIO_NET_CTRL_MAC_ADDR_SET);
	memcpy(c->data, "\x02\x00\x00\x00\x00\x01", 6);
	c->len = 6;

	c = add_cmd("vlan_add", VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD);
	put_le16(c->data, 100);
	c->len = 2;

	c = add_cmd("mq_pairs_set", VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET);
	put_le16(c->data, 2);
	c->len = 2;

	/* 8 unicast and 8 multicast entries. */
	c = add_cmd("mac_table_set_8_8", VIRTIO_NET_CTRL_MAC,
		VIRTIO_NET_CTRL_MAC_TABLE_SET);
	p = c->data;
	put_le32(p, 8);
	p += 4;
	for (i = 0; i < 8; i++, p += 6)
		memcpy(p, (const uint8_t[]){ 0x02, 0, 0, 0, 1, (uint8_t)i }, 6);
	put_le32(p, 8);
	p += 4;
	for (i = 0; i < 8; i++, p += 6)
		memcpy(p, (const uint8_t[]){ 0x01, 0, 0x5e, 0, 1, (uint8_t)i }, 6);
	c->len = (uint32_t)(p - c->data);

	/* RSS_CONFIG: every hash type, 128-entry table over PAIRS, 40-byte key. */
	c = add_cmd("rss_config_128", VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_RSS_CONFIG);
	p = c->data;
	put_le32(p, 0x1ff);		/* hash_types */
	put_le16(p + 4, 127);		/* indirection_table_mask */
	put_le16(p + 6, 0);		/* unclassified_queue */
	p += 8;
	for (i = 0; i < 128; i++, p += 2)
		put_le16(p, (uint16_t)(i % PAIRS));
	put_le16(p, PAIRS);		/* max_tx_vq */
	p[2] = 40;			/* hash_key_length */
	p += 3;
	for (i = 0; i < 40; i++)
		*p++ = (uint8_t)(0x6d + i);
	c->len = (uint32_t)(p - c->data);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The chain a driver would post: [hdr][data] readable, [ack] writable. */
static void
make_chain(struct cvqsim_chain *ch, struct virtio_net_ctrl_hdr *hdr,
		struct bench_cmd *c, uint8_t *ack)
{
	memset(ch, 0, sizeof(*ch));
	hdr->class = c->class_;
	hdr->cmd = c->cmd;
	ch->iov[0].iov_base = hdr;
	ch->iov[0].iov_len = sizeof(*hdr);
	ch->nr_out = 1;
	if (c->len > 0) {
		ch->iov[1].iov_base = c->data;
		ch->iov[1].iov_len = c->len;
		ch->nr_out = 2;
	}
	ch->out_len = (uint32_t)sizeof(*hdr) + c->len;
	ch->iov[ch->nr_out].iov_base = ack;
	ch->iov[ch->nr_out].iov_len = 1;
	ch->nr_in = 1;
	ch->in_len = 1;
}

static int
bench_one(struct cvqsim_ctrl *ctrl, struct bench_cmd *c, unsigned long iters,
		unsigned int reps)
{
	static struct cvqsim_chain ch;
	struct virtio_net_ctrl_hdr hdr;
	double ns[MAX_REPS];
	uint8_t ack = 0xff;
	uint32_t used;
	unsigned long i, bad = 0;
	unsigned int r;
	uint64_t t0;

	make_chain(&ch, &hdr, c, &ack);
	for (r = 0; r < reps; r++) {
		t0 = now_ns();
		for (i = 0; i < iters; i++) {
			ack = 0xff;
			if (cvqsim_ctrl_process(ctrl, &ch, &used) != VIRTIO_NET_OK)
				bad++;
		}
		ns[r] = (double)(now_ns() - t0) / (double)iters;
	}
	if (bad != 0 || ack != VIRTIO_NET_OK) {
		fprintf(stderr, "ctrl_bench: %s: %lu of %lu requests not OK (ack %u)\n",
			c->name, bad, iters * reps, ack);
		return -EIO;
	}
	qsort(ns, reps, sizeof(ns[0]), cmp_double);
	printf("{\"command\": \"%s\", \"bytes\": %u, \"iters\": %lu, \"reps\": %u, "
		"\"ns_per_cmd\": %.1f, \"min_ns\": %.1f, \"max_ns\": %.1f}\n",
		c->name, 2 + c->len, iters, reps, ns[reps / 2], ns[0],
		ns[reps - 1]);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct cvqsim_net net;
	static struct cvqsim_ctrl ctrl;
	struct cvqsim_net_params params;
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 1000000;
	unsigned int reps = argc > 2 ? (unsigned int)strtoul(argv[2], NULL, 0) : 5;
	const char *only = argc > 3 ? argv[3] : NULL;
	unsigned int i, ran = 0;
	int ret;

	if (iters == 0 || reps == 0 || reps > MAX_REPS) {
		fprintf(stderr, "usage: ctrl_bench [ITERS [REPS(1..%u) [COMMAND]]]\n",
			MAX_REPS);
		return 2;
	}
	memset(&params, 0, sizeof(params));
	memcpy(params.mac, "\x02\x63\x76\x71\x00\x00", 6);
	params.max_queue_pairs = PAIRS;
	params.mtu = 1500;
	params.link_up = true;
	ret = cvqsim_net_init(&net, &params);
	if (ret < 0) {
		fprintf(stderr, "ctrl_bench: cvqsim_net_init: %s\n", strerror(-ret));
		return 1;
	}
	cvqsim_net_set_features(&net, RTE_BIT64(VIRTIO_F_VERSION_1) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_VQ) | RTE_BIT64(VIRTIO_NET_F_CTRL_RX) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_VLAN) | RTE_BIT64(VIRTIO_NET_F_MQ) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_MAC_ADDR) | RTE_BIT64(VIRTIO_NET_F_RSS) |
		RTE_BIT64(VIRTIO_NET_F_MAC));
	cvqsim_ctrl_init(&ctrl, &cvqsim_net_ctrl_ops, &net);
	build_cmds();
	for (i = 0; i < nr_cmds; i++) {
		if (only != NULL && strcmp(only, cmds[i].name) != 0)
			continue;
		ran++;
		if (bench_one(&ctrl, &cmds[i], iters, reps) < 0)
			return 1;
	}
	if (ran == 0) {
		fprintf(stderr, "ctrl_bench: no command named %s\n", only);
		return 2;
	}
	return 0;
}
