/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The backend's reports on a device: a frontend that does not fit it, and
 * the periodic statistics of --stats-period.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_log.h>

#include <rte_pmd_cvqsim.h>

#include "be_report.h"

#define REPORT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, RTE_LOGTYPE_USER1, "BACKEND: " fmt "\n", \
		##__VA_ARGS__)

#define REPORT_MAX_VQS		(2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 1)
#define REPORT_MAX_STATS	128

bool
be_report_vrings(const struct be_report_dev *rd, uint32_t vrings, bool *logged)
{
	uint64_t features = 0;
	uint32_t pairs = 0, want;

	if (rte_vdpa_get_queue_num(rd->dev, &pairs) != 0 || vrings <= 2 * pairs + 1)
		return false;
	if (*logged)
		return true;
	*logged = true;
	rte_vdpa_get_features(rd->dev, &features);
	want = vrings / 2;
	REPORT_LOG(ERR, "%s: the frontend set up %u vrings (%u queue pairs) but"
		" %s has %u queue pair%s (%u vrings with the control queue)%s:"
		" start it with --vdev %s,queues=%u, or give the frontend %u queue"
		" pair%s", rd->path, vrings, want, rd->name, pairs,
		pairs == 1 ? "" : "s", 2 * pairs + 1,
		(features & (UINT64_C(1) << VIRTIO_NET_F_MQ)) ? "" :
		" and does not offer MQ", rd->name,
		RTE_MIN(want, (uint32_t)RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS), pairs,
		pairs == 1 ? "" : "s");
	return true;
}

struct be_report_prev {
	uint64_t ns;
	uint64_t packets[REPORT_MAX_VQS];
	uint64_t bytes[REPORT_MAX_VQS];
	uint64_t ctrl[REPORT_MAX_VQS];
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* One vq's counters: those above zero as "name=value ...", and the three
 * the rates come from. */
struct vq_counters {
	uint64_t packets, bytes, ctrl;
	char nonzero[2048];
};

static bool
read_vq(const struct be_report_dev *rd, uint16_t qid,
		const struct rte_vdpa_stat_name *names, int nr_names,
		struct vq_counters *c)
{
	struct rte_vdpa_stat stats[REPORT_MAX_STATS];
	size_t off = 0;
	int n, k;

	memset(c, 0, offsetof(struct vq_counters, nonzero) + 1);
	n = rte_vdpa_get_stats(rd->dev, qid, stats, (unsigned int)nr_names);
	for (k = 0; k < n; k++) {
		const char *name;

		if (stats[k].id >= (uint64_t)nr_names)
			continue;
		name = names[stats[k].id].name;
		if (strcmp(name, "packets") == 0)
			c->packets = stats[k].value;
		else if (strcmp(name, "bytes") == 0)
			c->bytes = stats[k].value;
		else if (strcmp(name, "ctrl_commands") == 0)
			c->ctrl = stats[k].value;
		if (stats[k].value != 0 && off < sizeof(c->nonzero))
			off += (size_t)snprintf(c->nonzero + off,
				sizeof(c->nonzero) - off, " %s=%" PRIu64, name,
				stats[k].value);
	}
	return n > 0;
}

/* Per second over secs; 0 for a counter that went back (cleared). */
static double
rate(uint64_t now, uint64_t before, double secs)
{
	return now >= before && secs > 0 ? (double)(now - before) / secs : 0;
}

void
be_report_period(FILE *f, const struct be_report_dev *rd,
		struct be_report_prev **prevp)
{
	static struct rte_vdpa_stat_name names[REPORT_MAX_STATS];
	struct be_report_prev *prev = *prevp;
	struct vq_counters c;
	uint64_t ns = now_ns();
	unsigned int shown = 0;
	uint32_t pairs = 0;
	int nr_names;
	double secs;
	uint16_t q;

	if (prev == NULL) {
		prev = calloc(1, sizeof(*prev));
		if (prev == NULL)
			return;
		*prevp = prev;
	}
	nr_names = rte_vdpa_get_stats_names(rd->dev, names, RTE_DIM(names));
	if (nr_names <= 0 || rte_vdpa_get_queue_num(rd->dev, &pairs) != 0)
		return;
	secs = prev->ns != 0 ? (double)(ns - prev->ns) / 1e9 : 0;
	if (f != NULL)
		fprintf(f, "######## %s (%s): last %.1f s ########\n", rd->name,
			rd->path, secs);
	for (q = 0; q <= 2 * pairs && q < REPORT_MAX_VQS; q++) {
		bool cvq = rte_pmd_cvqsim_vq_group(rd->dev, q) ==
			RTE_PMD_CVQSIM_GROUP_CVQ;

		if (!read_vq(rd, q, names, nr_names, &c))
			continue;
		if (f != NULL && c.nonzero[0] != '\0') {
			if (cvq)
				fprintf(f, "  vq %3u cvq  cmd/s %-10.0f%s\n", q,
					rate(c.ctrl, prev->ctrl[q], secs), c.nonzero);
			else
				fprintf(f, "  vq %3u %s   pps %-10.0f bps %-12.0f%s\n",
					q, q % 2 ? "tx" : "rx",
					rate(c.packets, prev->packets[q], secs),
					8 * rate(c.bytes, prev->bytes[q], secs),
					c.nonzero);
			shown++;
		}
		prev->packets[q] = c.packets;
		prev->bytes[q] = c.bytes;
		prev->ctrl[q] = c.ctrl;
	}
	if (f != NULL && shown == 0)
		fprintf(f, "  every counter is zero\n");
	prev->ns = ns;
	if (f != NULL)
		fflush(f);
}

void
be_report_prev_free(struct be_report_prev *prev)
{
	free(prev);
}
