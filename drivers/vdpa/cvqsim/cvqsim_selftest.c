/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The probe self-test, built only against a DPDK without the driver SDK
 * headers: the driver then declares the vDPA and vdev driver layouts itself
 * (cvqsim_sdk.h), and this checks them against the running library.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"
#include "cvqsim_ops.h"
#include "cvqsim_selftest.h"
#include "cvqsim_stats.h"

#define SELFTEST_FAIL(dev, fmt, ...) do { \
	CVQSIM_DEV_LOG(ERR, dev, "self-test: " fmt, ##__VA_ARGS__); \
	return -EPROTO; \
} while (0)

/*
 * Go through the public vDPA API the way an application does and check
 * that each call lands in our ops with our values: a wrong member offset in
 * cvqsim_sdk.h would call another op or read garbage.
 */
int
cvqsim_selftest(struct cvqsim_dev *dev, uint64_t dev_type_calls_before)
{
	unsigned int nstats = CVQSIM_ALL_STATS, i;
	struct rte_vdpa_stat_name names[CVQSIM_ALL_STATS];
	struct rte_vdpa_stat stats[CVQSIM_ALL_STATS];
	uint64_t features = 0, pfeatures = 0;
	uint32_t qnum = 0;
	uint16_t cvq;
	int ret;

	if (cvqsim_ops_dev_type_calls() == dev_type_calls_before)
		SELFTEST_FAIL(dev, "registration did not call get_dev_type");
	if (rte_vdpa_find_device_by_name(dev->name) != dev->vdpa)
		SELFTEST_FAIL(dev, "rte_vdpa_find_device_by_name(\"%s\") does not"
			" return the registered device", dev->name);
	if (rte_vdpa_get_rte_device(dev->vdpa) != &dev->vdev->device)
		SELFTEST_FAIL(dev, "rte_vdpa_get_rte_device does not return our"
			" rte_device");
	ret = rte_vdpa_get_queue_num(dev->vdpa, &qnum);
	if (ret != 0 || qnum != dev->conf.max_pairs)
		SELFTEST_FAIL(dev, "rte_vdpa_get_queue_num: ret %d, %u pairs,"
			" expected %u", ret, qnum, dev->conf.max_pairs);
	ret = rte_vdpa_get_features(dev->vdpa, &features);
	if (ret != 0 || features != dev->features)
		SELFTEST_FAIL(dev, "rte_vdpa_get_features: ret %d, 0x%" PRIx64
			", expected 0x%" PRIx64, ret, features, dev->features);
	ret = rte_vdpa_get_protocol_features(dev->vdpa, &pfeatures);
	if (ret != 0 || pfeatures != dev->protocol_features)
		SELFTEST_FAIL(dev, "rte_vdpa_get_protocol_features: ret %d, 0x%"
			PRIx64 ", expected 0x%" PRIx64, ret, pfeatures,
			dev->protocol_features);
	ret = rte_vdpa_get_stats_names(dev->vdpa, NULL, 0);
	if (ret != (int)nstats)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats_names(NULL): %d, expected %u",
			ret, nstats);
	memset(names, 0, sizeof(names));
	ret = rte_vdpa_get_stats_names(dev->vdpa, names, nstats);
	if (ret != (int)nstats)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats_names: %d, expected %u",
			ret, nstats);
	for (i = 0; i < nstats; i++)
		if (strcmp(names[i].name, cvqsim_stats_any_name(i)) != 0)
			SELFTEST_FAIL(dev, "stat name %u is \"%.*s\", expected \"%s\"",
				i, (int)sizeof(names[i].name), names[i].name,
				cvqsim_stats_any_name(i));
	/* A data queue has the per-queue counters, the control queue all. */
	ret = rte_vdpa_get_stats(dev->vdpa, 0, stats, nstats);
	if (ret != (int)cvqsim_stats_count())
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats(queue 0): %d, expected %u",
			ret, cvqsim_stats_count());
	cvq = cvqsim_cvq_index(cvqsim_layout_features(dev),
		dev->conf.max_pairs);
	ret = rte_vdpa_get_stats(dev->vdpa, cvq, stats, nstats);
	if (ret != (int)nstats)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats(queue %u): %d, expected %u",
			cvq, ret, nstats);
	for (i = 0; i < nstats; i++)
		if (stats[i].id != i || stats[i].value != 0)
			SELFTEST_FAIL(dev, "stat %u: id %" PRIu64 " value %" PRIu64
				", expected id %u value 0", i, stats[i].id,
				stats[i].value, i);
	ret = rte_vdpa_reset_stats(dev->vdpa, 0);
	if (ret != 0)
		SELFTEST_FAIL(dev, "rte_vdpa_reset_stats(queue 0): %d", ret);
	ret = rte_vdpa_get_stats(dev->vdpa, (uint16_t)dev->nr_queues, stats, nstats);
	if (ret != -EINVAL)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats(queue %u) accepted a queue"
			" the device does not have: %d", dev->nr_queues, ret);
	CVQSIM_DEV_LOG(DEBUG, dev, "self-test passed");
	return 0;
}
