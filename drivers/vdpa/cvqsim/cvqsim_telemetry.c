/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Telemetry commands (dpdk-telemetry.py, or the v2 socket):
 *   /cvqsim/list              device names
 *   /cvqsim/info,<name>       configuration and connection state
 *   /cvqsim/stats,<name>      per-queue counters: one array per counter,
 *                             indexed like the "vq" array of queue indices
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "cvqsim_dev.h"

static void
add_name(struct cvqsim_dev *dev, void *arg)
{
	rte_tel_data_add_array_string(arg, dev->name);
}

static int
tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	cvqsim_dev_foreach(add_name, d);
	return 0;
}

static struct cvqsim_dev *
tel_device(const char *params)
{
	if (params == NULL || params[0] == '\0')
		return NULL;
	return cvqsim_dev_from_name(params);
}

/* The vring index a queue slot answers to, under the current layout. */
static int
slot_vring(const struct cvqsim_dev *dev, uint16_t slot)
{
	uint64_t f = cvqsim_layout_features(dev);

	if (slot == cvqsim_cvq_slot(dev))
		return (f & (UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ)) ?
			cvqsim_cvq_index(dev, f) : -1;
	return cvqsim_vring_to_slot(dev, f, slot) == slot ? slot : -1;
}

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(params);
	struct rte_tel_data *enabled, *served;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	uint16_t i;

	if (dev == NULL)
		return -EINVAL;
	enabled = rte_tel_data_alloc();
	served = rte_tel_data_alloc();
	if (enabled == NULL || served == NULL) {
		rte_tel_data_free(enabled);
		rte_tel_data_free(served);
		return -ENOMEM;
	}
	rte_tel_data_start_array(enabled, RTE_TEL_INT_VAL);
	rte_tel_data_start_array(served, RTE_TEL_INT_VAL);

	rte_tel_data_start_dict(d);
	pthread_mutex_lock(&dev->ctl_lock);
	rte_tel_data_add_dict_string(d, "name", dev->name);
	rte_ether_format_addr(mac, sizeof(mac), &dev->conf.mac);
	rte_tel_data_add_dict_string(d, "mac", mac);
	rte_tel_data_add_dict_int(d, "queue_pairs", dev->conf.max_pairs);
	rte_tel_data_add_dict_int(d, "mtu", dev->conf.mtu);
	rte_tel_data_add_dict_int(d, "mac_table", (int)dev->conf.mac_table);
	rte_tel_data_add_dict_string(d, "poll",
		cvqsim_poll_mode_name(dev->conf.poll));
	rte_tel_data_add_dict_int(d, "cpu", dev->conf.cpu);
	rte_tel_data_add_dict_u64(d, "features", dev->features);
	rte_tel_data_add_dict_u64(d, "protocol_features",
		dev->protocol_features);
	rte_tel_data_add_dict_int(d, "vid", dev->vid);
	rte_tel_data_add_dict_u64(d, "negotiated_features",
		dev->features_valid ? dev->negotiated : 0);
	rte_tel_data_add_dict_int(d, "configured", dev->configured);
	rte_tel_data_add_dict_int(d, "cvq_index",
		cvqsim_cvq_index(dev, cvqsim_layout_features(dev)));
	rte_tel_data_add_dict_int(d, "memory_regions", (int)dev->nr_mem);
	for (i = 0; i < dev->nr_queues; i++) {
		int vring = slot_vring(dev, i);

		if (vring < 0)
			continue;
		if (dev->queues[i].enabled)
			rte_tel_data_add_array_int(enabled, vring);
		if (dev->queues[i].vq.ready)
			rte_tel_data_add_array_int(served, vring);
	}
	rte_tel_data_add_dict_container(d, "enabled_vqs", enabled, 0);
	rte_tel_data_add_dict_container(d, "served_vqs", served, 0);

	rte_spinlock_lock(&dev->poll_lock);
	rte_tel_data_add_dict_int(d, "failed", dev->failed);
	rte_tel_data_add_dict_int(d, "device_status", dev->device_status);
	rte_tel_data_add_dict_u64(d, "failures", dev->failures);
	rte_tel_data_add_dict_string(d, "last_failure", dev->failure);
	rte_tel_data_add_dict_int(d, "group_data_asid",
		(int)dev->as_set.group_asid[CVQSIM_GROUP_DATA]);
	rte_tel_data_add_dict_int(d, "group_cvq_asid",
		(int)dev->as_set.group_asid[CVQSIM_GROUP_CVQ]);
	rte_tel_data_add_dict_u64(d, "poll_passes", dev->poller.passes);
	rte_tel_data_add_dict_u64(d, "poll_sleeps", dev->poller.sleeps);
	rte_spinlock_unlock(&dev->poll_lock);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(params);
	unsigned int n = cvqsim_stats_count(), k;
	struct rte_tel_data *vqs, *arr[16];
	uint64_t v[16];
	uint16_t i;

	if (dev == NULL)
		return -EINVAL;
	if (n > RTE_DIM(arr))
		return -ENOSPC;
	vqs = rte_tel_data_alloc();
	for (k = 0; k < n; k++)
		arr[k] = rte_tel_data_alloc();
	for (k = 0; k < n && vqs != NULL; k++)
		if (arr[k] == NULL)
			break;
	if (vqs == NULL || k < n) {
		rte_tel_data_free(vqs);
		for (k = 0; k < n; k++)
			rte_tel_data_free(arr[k]);
		return -ENOMEM;
	}
	rte_tel_data_start_array(vqs, RTE_TEL_INT_VAL);
	for (k = 0; k < n; k++)
		rte_tel_data_start_array(arr[k], RTE_TEL_U64_VAL);

	pthread_mutex_lock(&dev->ctl_lock);
	for (i = 0; i < dev->nr_queues; i++) {
		int vring = slot_vring(dev, i);

		if (vring < 0)
			continue;
		rte_tel_data_add_array_int(vqs, vring);
		cvqsim_queue_stats(&dev->queues[i], v);
		for (k = 0; k < n; k++)
			rte_tel_data_add_array_u64(arr[k], v[k]);
	}
	pthread_mutex_unlock(&dev->ctl_lock);

	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_container(d, "vq", vqs, 0);
	for (k = 0; k < n; k++)
		rte_tel_data_add_dict_container(d, cvqsim_stat_name(k), arr[k], 0);
	return 0;
}

RTE_INIT(cvqsim_telemetry_init)
{
	rte_telemetry_register_cmd("/cvqsim/list", tel_list,
		"cvqsim device names. No parameters");
	rte_telemetry_register_cmd("/cvqsim/info", tel_info,
		"cvqsim device configuration and state. Parameter: device name");
	rte_telemetry_register_cmd("/cvqsim/stats", tel_stats,
		"cvqsim per-queue counters. Parameter: device name");
}
