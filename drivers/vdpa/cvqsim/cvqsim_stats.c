/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Statistics: the names and values of the per-queue and device-wide
 * counters, as the vDPA stats ops, telemetry and the public API report
 * them.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_dev.h"
#include "cvqsim_net_rx.h"
#include "cvqsim_poller.h"
#include "cvqsim_stats.h"
#include "rte_pmd_cvqsim.h"

/* Stats, per queue, in this order. */
static const char * const cvqsim_stat_names[] = {
	"chains",
	"packets",
	"bytes",
	"drops",
	"errors",
	"kicks",
	"notifies",
	"notifies_suppressed",
	"notify_errors",
};

unsigned int
cvqsim_stats_count(void)
{
	return RTE_DIM(cvqsim_stat_names);
}

/*
 * Device-wide counters (struct rte_pmd_cvqsim_stats), exported after the
 * per-queue ones on the control queue's vq_index only: control commands per
 * class and outcome, receive filter verdicts, datapath drops.
 */
_Static_assert(RTE_DIM(cvqsim_stat_names) == CVQSIM_QUEUE_STATS,
	"CVQSIM_QUEUE_STATS counts cvqsim_stat_names");

static char cvqsim_dev_stat_names[CVQSIM_DEV_STATS][RTE_VDPA_STATS_NAME_SIZE];

/* "drop-vlan" -> "rx_filter_drop_vlan" */
static void
verdict_stat_name(char *buf, size_t len, unsigned int v)
{
	char *c;

	snprintf(buf, len, "rx_filter_%s", cvqsim_net_rx_verdict_name(v));
	for (c = buf; *c != '\0'; c++)
		if (*c == '-')
			*c = '_';
}

RTE_INIT(cvqsim_dev_stat_names_init)
{
	unsigned int i = 0, k;

	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"ctrl_commands");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"ctrl_no_ack");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"ctrl_oversize");
	for (k = 0; k < CVQSIM_NR_CLASS_SLOTS; k++) {
		snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
			"ctrl_%s_ok", cvqsim_ctrl_class_name((uint8_t)k));
		snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
			"ctrl_%s_err", cvqsim_ctrl_class_name((uint8_t)k));
	}
	for (k = 0; k < RTE_PMD_CVQSIM_RX_VERDICT_MAX; k++)
		verdict_stat_name(cvqsim_dev_stat_names[i++],
			RTE_VDPA_STATS_NAME_SIZE, k);
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"rx_inactive");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"rx_overruns");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"tx_malformed");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"tx_csum_completed");
	RTE_VERIFY(i == CVQSIM_DEV_STATS);
}

unsigned int
cvqsim_dev_stats_count(void)
{
	return CVQSIM_DEV_STATS;
}

const char *
cvqsim_dev_stat_name(unsigned int i)
{
	return i < CVQSIM_DEV_STATS ? cvqsim_dev_stat_names[i] : NULL;
}

void
cvqsim_dev_stats_values(const struct rte_pmd_cvqsim_stats *st, uint64_t *v)
{
	unsigned int i = 0, k;

	v[i++] = st->ctrl_commands;
	v[i++] = st->ctrl_no_ack;
	v[i++] = st->ctrl_oversize;
	for (k = 0; k < CVQSIM_NR_CLASS_SLOTS; k++) {
		v[i++] = st->ctrl_ok[k];
		v[i++] = st->ctrl_err[k];
	}
	for (k = 0; k < RTE_PMD_CVQSIM_RX_VERDICT_MAX; k++)
		v[i++] = st->rx_filter[k];
	v[i++] = st->rx_inactive;
	v[i++] = st->rx_overruns;
	v[i++] = st->tx_malformed;
	v[i++] = st->tx_csum_completed;
}

const char *
cvqsim_stat_name(unsigned int i)
{
	return i < RTE_DIM(cvqsim_stat_names) ? cvqsim_stat_names[i] : NULL;
}

static void
stats_values(const struct cvqsim_vq_stats *s, uint64_t v[])
{
	v[0] = s->chains;
	v[1] = s->packets;
	v[2] = s->bytes;
	v[3] = s->drops;
	v[4] = s->errors;
	v[5] = s->kicks;
	v[6] = s->notifies;
	v[7] = s->notifies_suppressed;
	v[8] = s->notify_errors;
}

/*
 * The poller writes the counters with plain stores during its passes,
 * which hold poll_lock: the reader takes poll_lock for its copy (it waits
 * at most one pass), then subtracts the reset baseline.
 */
void
cvqsim_queue_stats(struct cvqsim_dev *dev, const struct cvqsim_queue *q,
		uint64_t *values)
{
	uint64_t base[RTE_DIM(cvqsim_stat_names)];
	unsigned int i;

	cvqsim_poller_quiesce(dev);
	stats_values(&q->vq.stats, values);
	stats_values(&q->stats_base, base);
	cvqsim_poller_resume(dev);
	for (i = 0; i < RTE_DIM(base); i++)
		values[i] -= base[i];
}

const char *
cvqsim_stats_any_name(unsigned int i)
{
	if (i < RTE_DIM(cvqsim_stat_names))
		return cvqsim_stat_names[i];
	return cvqsim_dev_stat_name(i - RTE_DIM(cvqsim_stat_names));
}

/*
 * Per-queue counters first, then the device-wide ones: every vq_index reports
 * all of them, the device-wide ones are non-zero on the control queue's
 * vq_index only (so sums over queues stay right).
 */
int
cvqsim_stats_names(struct rte_vdpa_stat_name *names, unsigned int size)
{
	unsigned int i, n = CVQSIM_ALL_STATS;

	if (names == NULL)
		return (int)n;
	for (i = 0; i < n && i < size; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s",
			cvqsim_stats_any_name(i));
	return (int)i;
}

static struct cvqsim_queue *
queue_of_vq_index(struct cvqsim_dev *dev, int vq_index)
{
	int slot;

	if (vq_index < 0 || vq_index > UINT16_MAX)
		return NULL;
	slot = cvqsim_vq_index_to_slot(dev, cvqsim_layout_features(dev),
		(uint16_t)vq_index);
	return slot < 0 ? NULL : &dev->queues[slot];
}

int
cvqsim_stats_get(struct cvqsim_dev *dev, int vq_index, struct rte_vdpa_stat *stats,
		unsigned int n)
{
	uint64_t now[CVQSIM_ALL_STATS];
	struct rte_pmd_cvqsim_stats st;
	unsigned int i, nr = RTE_DIM(cvqsim_stat_names);
	struct cvqsim_queue *q;

	if (stats == NULL)
		return -EINVAL;
	/* The queue layout follows the negotiated features (ctl_lock). */
	pthread_mutex_lock(&dev->ctl_lock);
	q = queue_of_vq_index(dev, vq_index);
	if (q != NULL)
		cvqsim_queue_stats(dev, q, now);
	pthread_mutex_unlock(&dev->ctl_lock);
	if (q == NULL)
		return -EINVAL;
	/* The device-wide control counters belong to the control queue's vq_index. */
	if (q == &dev->queues[cvqsim_cvq_slot(dev)]) {
		cvqsim_dev_stats_get(dev, &st);
		cvqsim_dev_stats_values(&st, &now[nr]);
		nr = CVQSIM_ALL_STATS;
	}
	for (i = 0; i < n && i < nr; i++) {
		stats[i].id = i;
		stats[i].value = now[i];
	}
	return (int)i;
}

int
cvqsim_stats_reset(struct cvqsim_dev *dev, int vq_index)
{
	struct cvqsim_queue *q;

	pthread_mutex_lock(&dev->ctl_lock);
	q = queue_of_vq_index(dev, vq_index);
	if (q != NULL) {
		cvqsim_poller_quiesce(dev);
		q->stats_base = q->vq.stats;
		cvqsim_poller_resume(dev);
	}
	pthread_mutex_unlock(&dev->ctl_lock);
	return q == NULL ? -EINVAL : 0;
}

/*
 * Counters are written by the poller's pass: read under poll_lock, one
 * instant of the device.
 */
void
cvqsim_dev_stats_get(struct cvqsim_dev *dev, struct rte_pmd_cvqsim_stats *st)
{
	const struct cvqsim_ctrl_stats *c = &dev->ctrl.stats;
	unsigned int i;

	RTE_BUILD_BUG_ON(RTE_DIM(st->ctrl_ok) != RTE_DIM(c->ok));
	RTE_BUILD_BUG_ON(RTE_DIM(st->rx_filter) !=
		RTE_DIM(dev->net.stats.rx_filter));
	memset(st, 0, sizeof(*st));
	/* Counted by the poller's pass, with plain stores for the most part. */
	cvqsim_poller_quiesce(dev);
	st->ctrl_commands = __atomic_load_n(&c->commands, __ATOMIC_RELAXED);
	for (i = 0; i < RTE_DIM(st->ctrl_ok); i++) {
		st->ctrl_ok[i] = __atomic_load_n(&c->ok[i], __ATOMIC_RELAXED);
		st->ctrl_err[i] = __atomic_load_n(&c->err[i], __ATOMIC_RELAXED);
	}
	st->ctrl_no_ack = __atomic_load_n(&c->no_ack, __ATOMIC_RELAXED);
	st->ctrl_oversize = __atomic_load_n(&c->oversize, __ATOMIC_RELAXED);
	for (i = 0; i < RTE_DIM(st->rx_filter); i++)
		st->rx_filter[i] = __atomic_load_n(&dev->net.stats.rx_filter[i],
			__ATOMIC_RELAXED);
	st->rx_inactive = __atomic_load_n(&dev->dp_stats.rx_inactive,
		__ATOMIC_RELAXED);
	st->rx_overruns = __atomic_load_n(&dev->dp_stats.rx_overruns,
		__ATOMIC_RELAXED);
	st->tx_malformed = __atomic_load_n(&dev->dp_stats.tx_malformed,
		__ATOMIC_RELAXED);
	st->tx_csum_completed = __atomic_load_n(&dev->dp_stats.tx_csum_completed,
		__ATOMIC_RELAXED);
	cvqsim_poller_resume(dev);
}
