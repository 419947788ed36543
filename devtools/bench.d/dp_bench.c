/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * dp_bench: the device side of the loopback datapath in one thread, with
 * no vhost-user, no second process and no scheduler in the way: a driver
 * (the app's drv_vq) posts TX frames and RX buffers in guest memory, then
 * cvqsim_poller_poll() moves them as the poll thread would. On a shared machine
 * this is the stable figure to optimise against: run it under callgrind
 * (--toggle-collect=cvqsim_poller_poll) for instructions per packet.
 *
 *   dp_bench [--general] [--split] [--packed] [--no-in-order] [PACKETS [FRAME_LEN]]
 *   dp_bench log PACKETS [FRAME_LEN]
 *   dp_bench idle PASSES
 *
 * A frame is one descriptor (header and frame, as testpmd sends it), or
 * with --split two (the header apart, as a driver without ANY_LAYOUT);
 * both take the datapath's fast path, --general sends every chain through
 * the general path (cvqsim_dp_fast_path = false) for comparison.
 * --packed runs both queues on packed rings (VIRTIO_F_RING_PACKED; they
 * always take the general path). The features are those virtio-user
 * negotiates, VIRTIO_F_IN_ORDER included (a transmit burst comes back as
 * one used element); --no-in-order leaves it out (in_order=0).
 *
 * Prints one JSON object: device-side ns per packet (time inside
 * cvqsim_poller_poll only, hot caches: a lower bound of the real cost, which
 * adds the cache misses of a second core) and the packets that came back.
 * Fails unless every frame sent arrived intact in size.
 *
 * log: the same with dirty-page logging on (VHOST_F_LOG_ALL, as during a
 * live migration): every receive buffer, used entry and index written is
 * marked in a log bitmap. rte_vhost_log_write() is wrapped here by a copy
 * of what the vhost library does (an atomic OR per 4 KiB page), since there
 * is no vhost device: the difference with the plain run is the logging
 * cost per packet.
 *
 * idle: the cost of an empty pass of the poll thread (rings set up, nothing
 * available): ns per pass, and under callgrind
 * (--toggle-collect=dp_bench_idle_pass) instructions per pass.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_ip.h>
#include <rte_log.h>
#include <rte_udp.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_dev.h"
#include "cvqsim_dp_fast.h"
#include "cvqsim_net.h"
#include "drv_vq.h"

/* The plugin's cvqsim_log.c owns the log type; dp_bench has none. */
int cvqsim_logtype;

#define RING		256
#define BURST		32
#define RX_BUF_LEN	2048
#define HDR_LEN		((uint32_t)sizeof(struct virtio_net_hdr_mrg_rxbuf))
#define GPA_BASE	0x40000000ULL
#define MEM_SIZE	(16ULL << 20)
/* Polls in a row without a packet back before the run is declared stuck. */
#define MAX_IDLE_POLLS	1000
#define LOG_PAGE	4096

/* The dirty log of "log" mode: one bit per page of guest memory. */
static uint8_t log_map[(GPA_BASE + MEM_SIZE) / LOG_PAGE / 8];
static uint64_t log_calls;

/*
 * Stands in for the vhost library's rte_vhost_log_write(): the bench links
 * with -Wl,--wrap=rte_vhost_log_write, so the driver's calls land here. The
 * library marks each page of [addr, addr + len) with an atomic OR.
 */
void __wrap_rte_vhost_log_write(int vid, uint64_t addr, uint64_t len);

void
__wrap_rte_vhost_log_write(int vid, uint64_t addr, uint64_t len)
{
	uint64_t page;

	(void)vid;
	log_calls++;
	if (len == 0 || addr + len > GPA_BASE + MEM_SIZE)
		return;
	for (page = addr / LOG_PAGE; page * LOG_PAGE < addr + len; page++)
		__atomic_fetch_or(&log_map[page / 8], (uint8_t)(1u << (page % 8)),
			__ATOMIC_RELAXED);
}

/* The ring layout of both queues (third argument). */
static bool packed;
/* VIRTIO_F_IN_ORDER negotiated (default, as virtio-user asks for it). */
static bool in_order = true;
/*
 * --guest-csum: VIRTIO_NET_F_GUEST_CSUM negotiated (a Linux guest's
 * driver), the frames UDP over IPv4 with a right checksum that the device
 * validates (DATA_VALID on every one, or the run fails).
 */
static bool guest_csum;

/* A UDP/IPv4 frame of flen bytes at p with its right checksum. */
static void
udp4_frame(uint8_t *p, uint32_t flen)
{
	struct rte_ipv4_hdr *ip = (void *)(p + 14);
	struct rte_udp_hdr *udp = (void *)(p + 34);

	memset(p, 0x5a, flen);
	memcpy(p, "\x02\x63\x76\x71\x00\x00\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(flen - 14));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = rte_cpu_to_be_32(0x0a000001);
	ip->dst_addr = rte_cpu_to_be_32(0x0a000002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(1024);
	udp->dst_port = rte_cpu_to_be_16(1025);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(flen - 34));
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
}

static uint64_t
ring_features(void)
{
	return (packed ? 1ULL << VIRTIO_F_RING_PACKED : 0) |
		(in_order ? 1ULL << VIRTIO_F_IN_ORDER : 0);
}

/*
 * IN_ORDER on a split ring: the device may publish a transmit burst as one
 * used element, the last. An in-order driver knows the others from the
 * order (used element k is avail entry k: both started at 0); drv_vq reads
 * every element, so fill in what the driver infers before it does.
 */
static void
tx_in_order_fill(struct drv_vq *tx)
{
	uint16_t k, end, mask = (uint16_t)(tx->size - 1);

	if (!in_order || packed)
		return;
	end = __atomic_load_n(&tx->used->idx, __ATOMIC_ACQUIRE);
	for (k = tx->last_used; k != end; k++) {
		tx->used->ring[k & mask].id = tx->avail->ring[k & mask];
		tx->used->ring[k & mask].len = 0;
	}
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
attach(struct cvqsim_vq *vq, const struct cvqsim_as *as, struct drv_vq *d)
{
	uint16_t base = drv_vq_avail_base(d);
	int ret = cvqsim_vq_setup(vq, as, d->desc_gpa, d->avail_gpa, d->used_gpa,
			d->size, base, base, ring_features());

	if (ret < 0)
		fprintf(stderr, "dp_bench: vq %u setup: %s\n", vq->index, vq->error);
	/* Polled both ways: no kicks, no interrupts (the testpmd setting). */
	cvqsim_vq_enable_kick(vq, false);
	drv_vq_enable_interrupts(d, false);
	return ret;
}

static int
post_rx(struct drv_vq *rx, uint8_t *bufs, uint16_t slot)
{
	struct drv_buf b = { .va = bufs + (size_t)slot * RX_BUF_LEN,
		.len = RX_BUF_LEN, .writable = true };

	return drv_vq_add(rx, &b, 1, false, (void *)(uintptr_t)(slot + 1));
}

/*
 * One pass of the poll thread over a device with nothing to do; a function
 * of its own (no inlining, no tail call) for callgrind's --toggle-collect.
 */
static unsigned int __attribute__((noinline, noipa))
dp_bench_idle_pass(struct cvqsim_dev *dev)
{
	unsigned int n = cvqsim_poller_poll_if_work(dev);

	__asm__ volatile("" : : : "memory");
	return n;
}

static int
run_idle(struct cvqsim_dev *dev, unsigned long passes)
{
	unsigned long i, work = 0;
	uint64_t t0 = now_ns();

	for (i = 0; i < passes; i++)
		work += dp_bench_idle_pass(dev);
	t0 = now_ns() - t0;
	printf("{\"mode\": \"idle\", \"passes\": %lu, \"work\": %lu, "
		"\"ns_per_pass\": %.1f}\n", passes, work,
		(double)t0 / (double)passes);
	return work == 0 ? 0 : 1;
}

static int
dp_bench_run(int argc, char **argv, bool split)
{
	static struct cvqsim_dev dev;
	static struct cvqsim_queue queues[3];
	static struct cvqsim_dp_scratch scratch;
	static struct cvqsim_as as;
	struct cvqsim_net_params params;
	unsigned int idle_polls = 0;
	bool idle = argc > 1 && strcmp(argv[1], "idle") == 0;
	bool logging = argc > 1 && strcmp(argv[1], "log") == 0;
	int a = idle || logging;
	unsigned long packets = argc > 1 + a ?
		strtoul(argv[1 + a], NULL, 0) : 2000000;
	uint32_t flen = !idle && argc > 2 + a ?
		(uint32_t)strtoul(argv[2 + a], NULL, 0) : 64;
	struct cvqsim_mem_region region;
	uint32_t ring_flags;
	struct drv_vq rx, tx;
	struct drv_mem mem;
	uint8_t *rx_bufs, *tx_bufs;
	uint64_t dev_ns = 0, t0, t_all;
	unsigned long sent = 0, got = 0, bad_len = 0;
	uint16_t i, tx_free = RING;
	void *cookie;
	uint32_t len;

	if (flen < 60 || flen + HDR_LEN > RX_BUF_LEN || packets == 0) {
		fprintf(stderr, "usage: dp_bench [--general] [--split] [--packed] "
			"[--no-in-order] [log] [PACKETS [FRAME_LEN 60..%u]]"
			" | dp_bench idle PASSES\n",
			RX_BUF_LEN - HDR_LEN);
		return 2;
	}
	ring_flags = packed ? DRV_VQ_F_PACKED : 0;
	rte_log_set_level(cvqsim_logtype, RTE_LOG_ERR);
	if (drv_mem_init(&mem, MEM_SIZE, GPA_BASE) < 0 ||
			drv_vq_init(&rx, &mem, 0, RING, ring_flags) < 0 ||
			drv_vq_init(&tx, &mem, 1, RING, ring_flags) < 0) {
		fprintf(stderr, "dp_bench: guest memory\n");
		return 1;
	}
	rx_bufs = drv_mem_alloc(&mem, (uint64_t)RING * RX_BUF_LEN, 64);
	tx_bufs = drv_mem_alloc(&mem, (uint64_t)RING * RX_BUF_LEN, 64);
	if (rx_bufs == NULL || tx_bufs == NULL)
		return 1;

	/* One device, one pair, negotiated as virtio-user does. */
	cvqsim_as_init(&as, 0);
	if (cvqsim_as_map(&as, mem.gpa, MEM_SIZE, (uint64_t)(uintptr_t)mem.va,
			CVQSIM_PERM_RW) < 0)
		return 1;
	dev.conf.max_pairs = 1;
	dev.nr_queues = 3;
	dev.queues = queues;
	dev.scratch = &scratch;
	dev.vid = -1;
	dev.negotiated = (1ULL << VIRTIO_F_VERSION_1) |
		(1ULL << VIRTIO_NET_F_MRG_RXBUF) | ring_features() |
		(guest_csum ? 1ULL << VIRTIO_NET_F_GUEST_CSUM : 0);
	dev.features_valid = true;
	dev.state = CVQSIM_DEV_CONNECTED;
	rte_spinlock_init(&dev.poll_lock);
	/* The device model as probe and set_features leave it (promiscuous). */
	memset(&params, 0, sizeof(params));
	memcpy(params.mac, "\x02\x63\x76\x71\x00\x00", 6);
	params.max_queue_pairs = 1;
	params.mtu = 1500;
	params.speed = UINT32_MAX;
	params.duplex = 0xff;
	params.link_up = true;
	if (cvqsim_net_init(&dev.net, &params) < 0)
		return 1;
	cvqsim_net_set_features(&dev.net, dev.negotiated);
	cvqsim_ctrl_init(&dev.ctrl, &cvqsim_net_ctrl_ops, &dev.net);
	for (i = 0; i < 3; i++)
		cvqsim_vq_init(&queues[i].vq, i, i == 2 ? CVQSIM_GROUP_CVQ :
			CVQSIM_GROUP_DATA);
	if (attach(&queues[0].vq, &as, &rx) < 0 ||
			attach(&queues[1].vq, &as, &tx) < 0)
		return 1;

	/* Every TX slot holds a header and a frame; contents do not matter. */
	for (i = 0; i < RING; i++) {
		memset(tx_bufs + (size_t)i * RX_BUF_LEN, 0, HDR_LEN);
		if (guest_csum)
			udp4_frame(tx_bufs + (size_t)i * RX_BUF_LEN + HDR_LEN, flen);
		else
			memset(tx_bufs + (size_t)i * RX_BUF_LEN + HDR_LEN, 0x5a,
				flen);
		if (post_rx(&rx, rx_bufs, i) < 0)
			return 1;
	}
	drv_vq_publish(&rx);
	if (idle)
		return run_idle(&dev, packets);
	if (logging) {
		/* What set_features and the memory table leave: logging on. */
		region.gpa = mem.gpa;
		region.hva = (uint64_t)(uintptr_t)mem.va;
		region.size = MEM_SIZE;
		dev.mem = &region;
		dev.nr_mem = 1;
		dev.log_dirty.on = true;
	}

	t_all = now_ns();
	while (got < packets) {
		uint16_t n = 0;

		/* A burst of TX, as testpmd's io forwarding sends it. */
		while (n < BURST && tx_free > 0 && sent < packets) {
			uint16_t slot = (uint16_t)(sent % RING);
			uint8_t *va = tx_bufs + (size_t)slot * RX_BUF_LEN;
			struct drv_buf b[2] = {
				{ .va = va, .len = HDR_LEN + flen, .writable = false },
				{ .va = va + HDR_LEN, .len = flen, .writable = false },
			};

			if (split)
				b[0].len = HDR_LEN;
			if (drv_vq_add(&tx, b, split ? 2 : 1, false,
					(void *)(uintptr_t)(slot + 1)) < 0)
				break;
			tx_free--;
			sent++;
			n++;
		}
		drv_vq_publish(&tx);

		t0 = now_ns();
		cvqsim_poller_poll(&dev);
		dev_ns += now_ns() - t0;
		if (cvqsim_dev_failed(&dev)) {
			fprintf(stderr, "dp_bench: device failed: %s\n", dev.failure);
			return 1;
		}

		tx_in_order_fill(&tx);
		while (drv_vq_get_used(&tx, &cookie, &len) == 1)
			tx_free++;
		idle_polls++;
		while (drv_vq_get_used(&rx, &cookie, &len) == 1) {
			idle_polls = 0;
			got++;
			bad_len += len != HDR_LEN + flen;
			if (post_rx(&rx, rx_bufs, (uint16_t)((uintptr_t)cookie - 1)) < 0)
				return 1;
		}
		drv_vq_publish(&rx);
		if (idle_polls > MAX_IDLE_POLLS) {
			fprintf(stderr, "dp_bench: stuck: %lu sent, %lu back\n",
				sent, got);
			break;
		}
	}
	t_all = now_ns() - t_all;
	printf("{\"ring\": \"%s\", \"in_order\": %s, \"log\": %s, "
		"\"log_calls\": %" PRIu64 ", ", packed ? "packed" : "split",
		in_order ? "true" : "false", logging ? "true" : "false", log_calls);
	printf("\"frame_len\": %u, \"packets\": %lu, \"received\": %lu, "
		"\"bad_len\": %lu, \"drops\": %" PRIu64 ", \"device_ns_per_pkt\": %.1f, "
		"\"loop_ns_per_pkt\": %.1f, \"passes\": %" PRIu64 ", "
		"\"guest_csum\": %s, \"csum_valid\": %" PRIu64 "}\n",
		flen, sent, got, bad_len,
		queues[0].vq.stats.drops + queues[1].vq.stats.drops,
		got ? (double)dev_ns / (double)got : 0,
		got ? (double)t_all / (double)got : 0, dev.poller.passes,
		guest_csum ? "true" : "false", dev.net.stats.rxq[0].csum_valid);
	cvqsim_as_fini(&as);
	drv_vq_free(&rx);
	drv_vq_free(&tx);
	drv_mem_free(&mem);
	return got == packets && bad_len == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	bool split = false;

	/* Options first: --general, --split. */
	while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		if (strcmp(argv[1], "--general") == 0)
			cvqsim_dp_fast_path = false;
		else if (strcmp(argv[1], "--packed") == 0)
			packed = true;
		else if (strcmp(argv[1], "--split") == 0)
			split = true;
		else if (strcmp(argv[1], "--no-in-order") == 0)
			in_order = false;
		else if (strcmp(argv[1], "--guest-csum") == 0)
			guest_csum = true;
		else
			break;
		argv++;
		argc--;
	}
	return dp_bench_run(argc, argv, split);
}
