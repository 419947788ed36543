/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: the whole device datapath, cvqsim_poller_poll(), over
 * rings in fuzzer-controlled guest memory.
 *
 * One real device is probed once (EAL with --no-huge, the driver linked in,
 * poll=service so that no thread of its own runs: this harness calls the
 * poll loop itself). Per input, the connection state a frontend would set
 * up is set directly: AS 0 from the guest regions of the input
 * (fuzz_guest.h: out-of-mapping bytes poisoned, read-only pages
 * write-protected), negotiated features, every queue's ring. Then a few
 * passes of the poll loop run: TX chains with their virtio-net headers
 * (checksum requests, GSO types), mergeable RX buffers, control requests,
 * notification coalescing, all from the input's bytes; between passes the
 * input may move avail indices (the driver keeps going).
 *
 * Invariants: no memory error, leak or undefined behaviour; nothing read
 * or written outside the guest mappings; a failed device has every queue
 * torn down and NEEDS_RESET set; queue counters only grow; every queue
 * completes its buffers in ring order (check_in_order).
 *
 * Every input runs twice, first with every chain on the general path
 * (cvqsim_dp_fast_path = false), then with the fast path: both runs must
 * leave the same guest memory, ring positions, counters (queues, datapath,
 * device model) and failure, so the fast path accepts, rejects, delivers
 * and counts exactly what the general path does. Except when a writable
 * buffer overlaps a ring or an indirect table (the guest makes the device
 * write its own rings): then the order in which a burst reads descriptors
 * and writes frames shows, and only the invariants above are checked.
 *
 * Input layout: region layout (fuzz_guest_setup), then
 *   u64 features the frontend refuses (negotiated = offered & ~this)
 *   per queue (rx0 tx0 rx1 tx1 cvq): u8 bit 0 set up, bits 1-3 log2 size
 *   u8  passes (1..8), then per pass: u8 vq, u16 avail idx increment
 *   the rest: guest memory. Each queue's rings are packed in region 0 in
 *   queue order: desc (16 * size), avail (6 + 2 * size, 4-aligned), used
 *   (6 + 8 * size, 16-aligned next desc).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_config.h>

#include <rte_bus_vdev.h>
#include <rte_eal.h>
#include <rte_log.h>

#include "cvqsim_dev.h"
#include "cvqsim_dp_fast.h"
#include "fuzz_guest.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define DEV_NAME	"vdpa_cvqsim0"
#define MAX_PASSES	8

static struct cvqsim_dev *dev;
static struct fuzz_guest guest;
/* FUZZ_DP_TRACE=1: what each queue did (to check seeds by hand). */
static bool trace;

static void
trace_queues(const char *when)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		const struct cvqsim_vq *vq = &dev->queues[i].vq;

		fprintf(stderr, "%s: vq %u ready %d chains %lu packets %lu drops %lu"
			" errors %lu%s%s\n", when, i, vq->ready,
			(unsigned long)vq->stats.chains,
			(unsigned long)vq->stats.packets,
			(unsigned long)vq->stats.drops,
			(unsigned long)vq->stats.errors, vq->error ? ": " : "",
			vq->error ? vq->error : "");
	}
	for (i = 0; i < 2; i++) {
		const struct cvqsim_net_rxq_stats *r = &dev->net.stats.rxq[i];

		fprintf(stderr, "%s: rx pair %u csum valid %lu needs %lu none %lu"
			" bad %lu\n", when, i, (unsigned long)r->csum_valid,
			(unsigned long)r->needs_csum, (unsigned long)r->csum_none,
			(unsigned long)r->csum_bad);
	}
	fprintf(stderr, "%s: failed %d (%s) status 0x%x curr pairs %u\n", when,
		cvqsim_dev_failed(dev), dev->failure, dev->device_status,
		dev->net.state.curr_queue_pairs);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char prefix[64];
	char *eal_argv[] = {
		(char *)(uintptr_t)"fuzz_dp", (char *)(uintptr_t)"-l0",
		(char *)(uintptr_t)"--no-huge", (char *)(uintptr_t)"-m64",
		(char *)(uintptr_t)"--no-pci", (char *)(uintptr_t)"--no-telemetry",
		(char *)(uintptr_t)"--log-level=*:crit", prefix, NULL,
	};

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	snprintf(prefix, sizeof(prefix), "--file-prefix=fuzz-dp-%d",
		(int)getpid());
	if (rte_eal_init((int)RTE_DIM(eal_argv) - 1, eal_argv) < 0 ||
			rte_vdev_init(DEV_NAME, "queues=2,poll=service") != 0) {
		fprintf(stderr, "fuzz_dp: cannot create %s\n", DEV_NAME);
		abort();
	}
	dev = cvqsim_dev_from_name(DEV_NAME);
	if (dev == NULL)
		abort();
	/* The log of a stopped device is expected: keep stderr for reports. */
	trace = getenv("FUZZ_DP_TRACE") != NULL;
	rte_log_set_global_level(trace ? RTE_LOG_DEBUG : RTE_LOG_CRIT);
	return 0;
}

/* Tear every queue down and forget the connection: a fresh device. */
static void
dev_reset(void)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		cvqsim_vq_teardown(&dev->queues[i].vq);
		cvqsim_queue_event(&dev->queues[i], CVQSIM_QUEUE_RESET);
	}
	/*
	 * Free the table, not only empty it: the device lives in rte_malloc
	 * memory, which LeakSanitizer does not scan, so a table kept across
	 * inputs would look leaked.
	 */
	cvqsim_as_fini(&dev->as_set.as[0]);
	/* Counters start at zero: the two runs of an input are compared. */
	for (i = 0; i < dev->nr_queues; i++)
		memset(&dev->queues[i].vq.stats, 0, sizeof(dev->queues[i].vq.stats));
	memset(&dev->dp_stats, 0, sizeof(dev->dp_stats));
	/* A connection bound, the state a frontend's first op leaves. */
	dev->state = CVQSIM_DEV_CONNECTED;
	dev->device_status = 0;
	dev->config_change = false;
	dev->cvq_serve = false;
	dev->features_valid = false;
	cvqsim_net_reset(&dev->net);
	cvqsim_ctrl_stats_reset(&dev->ctrl);
}

/* AS 0 = the input's guest regions (the mappings the test checks against). */
static void
map_guest(void)
{
	unsigned int k;

	for (k = 0; k < guest.nr; k++)
		if (guest.r[k].mapped)
			cvqsim_as_map(&dev->as_set.as[0], guest.r[k].iova,
				guest.r[k].size,
				(uint64_t)(uintptr_t)fuzz_guest_hva(&guest, k),
				guest.r[k].perm);
}

static void
check_stopped(void)
{
	uint16_t i;

	FUZZ_CHECK(dev->device_status & VIRTIO_CONFIG_S_NEEDS_RESET,
		"failed without NEEDS_RESET");
	for (i = 0; i < dev->nr_queues; i++)
		FUZZ_CHECK(!dev->queues[i].vq.ready,
			"queue %u still served after a failure", i);
}

/*
 * The device uses buffers in the order they were made available (what
 * VIRTIO_F_IN_ORDER promises; offered unless the input refuses bit 35):
 * the last used element of every split queue names the head of the avail
 * entry at the same position (both start at 0). With IN_ORDER a transmit
 * burst is one element, the last, so that is the one compared.
 */
static void
check_in_order(void)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		const struct cvqsim_vq *vq = &dev->queues[i].vq;
		uint16_t k;

		if (!vq->ready || vq->packed || vq->used_idx == 0)
			continue;
		k = (uint16_t)(vq->used_idx - 1) & (vq->size - 1);
		FUZZ_CHECK(rte_le_to_cpu_32(vq->used->ring[k].id) ==
			rte_le_to_cpu_16(vq->avail->ring[k]),
			"queue %u: used element %u names %u, avail entry %u",
			i, k, rte_le_to_cpu_32(vq->used->ring[k].id),
			rte_le_to_cpu_16(vq->avail->ring[k]));
	}
}

/* What a run leaves behind, compared between the two paths. */
struct dp_outcome {
	unsigned int nr_regions;
	uint64_t region_size[FUZZ_GUEST_REGIONS];
	uint8_t mem[FUZZ_GUEST_REGIONS][FUZZ_GUEST_REGION_CAP];
	struct cvqsim_vq_stats vq_stats[8];
	uint16_t last_avail[8], used_idx[8];
	bool ready[8];
	struct cvqsim_dp_stats dp_stats;
	struct cvqsim_net_stats net_stats;
	bool failed;
	uint8_t status;
	char failure[sizeof(((struct cvqsim_dev *)NULL)->failure)];
};

static struct dp_outcome outcome[2];

/* Ring memory: the rings of the queues set up and every indirect table. */
#define MAX_AREAS	1024
static struct {
	uint64_t iova, len;
} areas[MAX_AREAS];
static unsigned int nr_areas;

static void
add_area(uint64_t iova, uint64_t len)
{
	if (nr_areas < MAX_AREAS && len > 0) {
		areas[nr_areas].iova = iova;
		areas[nr_areas].len = len;
		nr_areas++;
	}
}

static bool
hits_area(uint64_t iova, uint64_t len)
{
	unsigned int a;

	for (a = 0; a < nr_areas; a++)
		if (iova < areas[a].iova + areas[a].len &&
				areas[a].iova < iova + len)
			return true;
	return nr_areas == MAX_AREAS;	/* too many to tell: assume so */
}

/*
 * The indirect table of descriptor d, if it is one the device can read
 * (any alignment: read its entries with entry()).
 */
static const uint8_t *
indirect_table(const struct vring_desc *d, uint32_t *entries)
{
	if (!(d->flags & VRING_DESC_F_INDIRECT) || d->len < sizeof(*d))
		return NULL;
	*entries = d->len / sizeof(*d);
	return cvqsim_as_translate(&dev->as_set.as[0], d->addr, d->len,
		CVQSIM_PERM_RO);
}

static struct vring_desc
entry(const uint8_t *table, uint32_t e)
{
	struct vring_desc d;

	memcpy(&d, table + (size_t)e * sizeof(d), sizeof(d));
	return d;
}

/* Whether some writable descriptor points into ring memory. */
static bool
rings_aliased(void)
{
	uint16_t i, d;
	uint32_t e, n;

	nr_areas = 0;
	for (i = 0; i < dev->nr_queues; i++) {
		const struct cvqsim_vq *vq = &dev->queues[i].vq;

		if (!vq->ready)
			continue;
		add_area(vq->desc_iova, 16ULL * vq->size);
		add_area(vq->avail_iova, 6 + 2ULL * vq->size);
		add_area(vq->used_iova, 6 + 8ULL * vq->size);
		for (d = 0; d < vq->size; d++)
			if (vq->desc[d].flags & VRING_DESC_F_INDIRECT)
				add_area(vq->desc[d].addr, vq->desc[d].len);
	}
	for (i = 0; i < dev->nr_queues; i++) {
		const struct cvqsim_vq *vq = &dev->queues[i].vq;

		for (d = 0; vq->ready && d < vq->size; d++) {
			const uint8_t *t = indirect_table(&vq->desc[d], &n);

			if ((vq->desc[d].flags & VRING_DESC_F_WRITE) &&
					hits_area(vq->desc[d].addr, vq->desc[d].len))
				return true;
			for (e = 0; t != NULL && e < n; e++) {
				struct vring_desc x = entry(t, e);

				if ((x.flags & VRING_DESC_F_WRITE) &&
						hits_area(x.addr, x.len))
					return true;
			}
		}
	}
	return false;
}

static void
record(struct dp_outcome *o)
{
	unsigned int k;
	uint16_t i;

	memset(o, 0, sizeof(*o));
	o->nr_regions = guest.nr;
	for (k = 0; k < guest.nr; k++) {
		/* A region the AS refused is poisoned: nothing to compare. */
		o->region_size[k] = guest.r[k].mapped ? guest.r[k].size : 0;
		if (o->region_size[k] > 0)
			memcpy(o->mem[k], fuzz_guest_hva(&guest, k), guest.r[k].size);
	}
	for (i = 0; i < dev->nr_queues && i < RTE_DIM(o->vq_stats); i++) {
		const struct cvqsim_vq *vq = &dev->queues[i].vq;

		o->vq_stats[i] = vq->stats;
		o->last_avail[i] = vq->last_avail_idx;
		o->used_idx[i] = vq->used_idx;
		o->ready[i] = vq->ready;
	}
	o->dp_stats = dev->dp_stats;
	o->net_stats = dev->net.stats;
	o->failed = cvqsim_dev_failed(dev);
	o->status = dev->device_status;
	memcpy(o->failure, dev->failure, sizeof(o->failure));
}

static void
compare(const struct dp_outcome *g, const struct dp_outcome *f)
{
	unsigned int k;
	uint16_t i;

	FUZZ_CHECK(g->nr_regions == f->nr_regions, "region layouts differ");
	for (k = 0; k < g->nr_regions; k++)
		FUZZ_CHECK(g->region_size[k] == f->region_size[k] &&
			memcmp(g->mem[k], f->mem[k], g->region_size[k]) == 0,
			"region %u: guest memory differs after the fast path", k);
	for (i = 0; i < dev->nr_queues && i < RTE_DIM(g->vq_stats); i++) {
		FUZZ_CHECK(memcmp(&g->vq_stats[i], &f->vq_stats[i],
				sizeof(g->vq_stats[i])) == 0,
			"vq %u: counters differ (chains %lu/%lu packets %lu/%lu"
			" drops %lu/%lu)", i,
			(unsigned long)g->vq_stats[i].chains,
			(unsigned long)f->vq_stats[i].chains,
			(unsigned long)g->vq_stats[i].packets,
			(unsigned long)f->vq_stats[i].packets,
			(unsigned long)g->vq_stats[i].drops,
			(unsigned long)f->vq_stats[i].drops);
		FUZZ_CHECK(g->last_avail[i] == f->last_avail[i] &&
			g->used_idx[i] == f->used_idx[i] && g->ready[i] == f->ready[i],
			"vq %u: ring position differs (avail %u/%u used %u/%u)", i,
			g->last_avail[i], f->last_avail[i], g->used_idx[i],
			f->used_idx[i]);
	}
	FUZZ_CHECK(memcmp(&g->dp_stats, &f->dp_stats, sizeof(g->dp_stats)) == 0,
		"datapath counters differ");
	FUZZ_CHECK(memcmp(&g->net_stats, &f->net_stats, sizeof(g->net_stats)) == 0,
		"device model counters differ");
	FUZZ_CHECK(g->failed == f->failed && g->status == f->status &&
		strcmp(g->failure, f->failure) == 0,
		"failure differs: \"%s\" / \"%s\"", g->failure, f->failure);
}

/* Returns whether the rings were aliased (see above). */
static bool
run_input(const uint8_t *data, size_t size, struct dp_outcome *o)
{
	bool aliased;
	struct fuzz_input in = { data, size };
	uint64_t ring = 0, refused, before[8];
	uint8_t qflags[8], nr_passes;
	struct {
		uint8_t vq;
		uint16_t bump;
	} passes[MAX_PASSES];
	uint16_t i;
	unsigned int p;

	fuzz_guest_setup(&guest, &in);
	refused = fuzz_u64(&in);
	for (i = 0; i < dev->nr_queues; i++)
		qflags[i] = fuzz_u8(&in);
	nr_passes = 1 + fuzz_u8(&in) % MAX_PASSES;
	for (p = 0; p < nr_passes; p++) {
		passes[p].vq = fuzz_u8(&in);
		passes[p].bump = fuzz_u16(&in);
	}
	fuzz_guest_fill(&guest, &in);
	fuzz_guest_seal(&guest, true);

	dev_reset();
	map_guest();
	/* The harness writes split rings. */
	dev->negotiated = dev->features & ~refused &
		~(1ULL << VIRTIO_F_RING_PACKED);
	dev->features_valid = true;
	cvqsim_net_set_features(&dev->net, dev->negotiated);
	for (i = 0; i < dev->nr_queues; i++) {
		uint16_t qsize = (uint16_t)(1u << ((qflags[i] >> 1) & 7));
		uint64_t desc = guest.r[0].iova + ring;
		uint64_t avail = desc + 16ULL * qsize;
		uint64_t used = (avail + 6 + 2ULL * qsize + 3) & ~3ULL;

		ring = ((used + 6 + 8ULL * qsize + 15) & ~15ULL) - guest.r[0].iova;
		if (!(qflags[i] & 1))
			continue;
		cvqsim_queue_event(&dev->queues[i], CVQSIM_QUEUE_ENABLE);
		cvqsim_vq_setup(&dev->queues[i].vq,
			cvqsim_as_set_group_as(&dev->as_set,
				dev->queues[i].vq.group),
			desc, avail, used, qsize, 0, 0, dev->negotiated);
	}
	dev->cvq_serve = dev->queues[cvqsim_cvq_slot(dev)].vq.ready;
	aliased = rings_aliased();

	for (p = 0; p < nr_passes; p++) {
		struct cvqsim_vq *vq = &dev->queues[passes[p].vq %
			dev->nr_queues].vq;

		for (i = 0; i < dev->nr_queues && i < RTE_DIM(before); i++)
			before[i] = dev->queues[i].vq.stats.chains;
		cvqsim_poller_poll(dev);
		if (trace)
			trace_queues(cvqsim_dp_fast_path ? "fast pass" : "pass");
		if (cvqsim_dev_failed(dev)) {
			check_stopped();
			break;
		}
		for (i = 0; i < dev->nr_queues && i < RTE_DIM(before); i++)
			FUZZ_CHECK(dev->queues[i].vq.stats.chains >= before[i],
				"queue %u chains went back", i);
		if (!aliased)
			check_in_order();
		/* The driver makes more buffers available (its own memory). */
		if (vq->ready && guest.r[0].perm != CVQSIM_PERM_RO) {
			uint16_t idx = (uint16_t)(vq->avail->idx + passes[p].bump);

			__atomic_store_n(&vq->avail->idx, idx, __ATOMIC_RELEASE);
		}
	}
	record(o);
	dev_reset();
	fuzz_guest_release(&guest);
	return aliased;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool aliased;

	cvqsim_dp_fast_path = false;
	aliased = run_input(data, size, &outcome[0]);
	cvqsim_dp_fast_path = true;
	run_input(data, size, &outcome[1]);
	if (trace && aliased)
		fprintf(stderr, "rings aliased by writable buffers: not compared\n");
	if (!aliased)
		compare(&outcome[0], &outcome[1]);
	return 0;
}
