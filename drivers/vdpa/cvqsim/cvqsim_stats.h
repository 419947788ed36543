/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_STATS_H
#define CVQSIM_STATS_H

#include <stdint.h>

#include "cvqsim_sdk.h"
#include "rte_pmd_cvqsim.h"

struct cvqsim_dev;
struct cvqsim_queue;

/* Counters per queue, device-wide (on the control queue's vq_index), all. */
#define CVQSIM_QUEUE_STATS	9
#define CVQSIM_NR_CLASS_SLOTS	(RTE_PMD_CVQSIM_CTRL_CLASSES + 1)
#define CVQSIM_DEV_STATS \
	(3 + 2 * CVQSIM_NR_CLASS_SLOTS + RTE_PMD_CVQSIM_RX_VERDICT_MAX + 4)
#define CVQSIM_ALL_STATS	(CVQSIM_QUEUE_STATS + CVQSIM_DEV_STATS)

/* Stats exported per queue, in get_stats order. */
unsigned int cvqsim_stats_count(void);
const char *cvqsim_stat_name(unsigned int i);
/*
 * The counters of a queue since its last reset_stats, in that order. Takes
 * poll_lock: never from a pass.
 */
void cvqsim_queue_stats(struct cvqsim_dev *dev, const struct cvqsim_queue *q,
		uint64_t *values);
/*
 * Device-wide counters (struct rte_pmd_cvqsim_stats) as a flat list, in the
 * order of their names; get_stats appends them on the control queue's vq_index.
 */
unsigned int cvqsim_dev_stats_count(void);
const char *cvqsim_dev_stat_name(unsigned int i);
void cvqsim_dev_stats_values(const struct rte_pmd_cvqsim_stats *st,
		uint64_t *values);
/* The device-wide counters, read from any thread. */
void cvqsim_dev_stats_get(struct cvqsim_dev *dev,
		struct rte_pmd_cvqsim_stats *st);

/* Every name get_stats_names reports: the per-queue, then the device-wide. */
const char *cvqsim_stats_any_name(unsigned int i);
/*
 * The vDPA stats ops: names (NULL: their number), the counters of virtqueue
 * vq_index (the device-wide ones too on the control queue's), and a reset of
 * vq_index's. -EINVAL for a vq_index the device does not have.
 */
int cvqsim_stats_names(struct rte_vdpa_stat_name *names, unsigned int size);
int cvqsim_stats_get(struct cvqsim_dev *dev, int vq_index,
		struct rte_vdpa_stat *stats, unsigned int n);
int cvqsim_stats_reset(struct cvqsim_dev *dev, int vq_index);

#endif /* CVQSIM_STATS_H */
