/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Telemetry commands (dpdk-telemetry.py, or the v2 socket):
 *   /cvqsim/list              device names
 *   /cvqsim/info,<name>       configuration and connection state
 *   /cvqsim/stats,<name>      per-queue counters: one array per counter,
 *                             indexed like the "vq" array of queue indices
 *   /cvqsim/dev_stats,<name>  device-wide counters: control commands per
 *                             class and outcome, receive filter verdicts,
 *                             datapath drops (rte_pmd_cvqsim_stats_get)
 *   /cvqsim/state,<name>      the device model: receive modes, MAC and VLAN
 *                             tables, queue pairs, RSS, offloads, coalescing
 *   /cvqsim/port,<name>       VF-parent mode: the port, its counters, and
 *                             the path each control command took
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "cvqsim_dev.h"
#include "cvqsim_poller.h"
#include "cvqsim_port.h"
#include "cvqsim_stats.h"
#include "rte_pmd_cvqsim.h"

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

/*
 * The device params names. Without one, the reply says why instead of a
 * bare null: {"error": "...", "usage": "<cmd>,<name>", "devices": [...]},
 * and the handler returns 0 so that the telemetry library sends it.
 */
static struct cvqsim_dev *
tel_device(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = NULL;
	struct rte_tel_data *names;
	char msg[RTE_TEL_MAX_STRING_LEN];

	if (params != NULL && params[0] != '\0')
		dev = cvqsim_dev_from_name(params);
	if (dev != NULL)
		return dev;
	if (params == NULL || params[0] == '\0')
		snprintf(msg, sizeof(msg), "a device name is needed");
	else
		snprintf(msg, sizeof(msg), "no cvqsim device named '%.40s'",
			params);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "error", msg);
	snprintf(msg, sizeof(msg), "%.60s,<name> (names: /cvqsim/list)", cmd);
	rte_tel_data_add_dict_string(d, "usage", msg);
	names = rte_tel_data_alloc();
	if (names != NULL) {
		rte_tel_data_start_array(names, RTE_TEL_STRING_VAL);
		cvqsim_dev_foreach(add_name, names);
		rte_tel_data_add_dict_container(d, "devices", names, 0);
	}
	return NULL;
}

/* The vq_index a queue slot answers to, under the current layout. */
static int
slot_to_vq_index(const struct cvqsim_dev *dev, uint16_t slot)
{
	uint64_t f = cvqsim_layout_features(dev);

	if (slot == cvqsim_cvq_slot(dev))
		return (f & (UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ)) ?
			cvqsim_cvq_index(f, dev->conf.max_pairs) : -1;
	return cvqsim_vq_index_to_slot(dev, f, slot) == slot ? slot : -1;
}

static int
tel_info(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(cmd, params, d);
	struct rte_tel_data *enabled, *served;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	enum cvqsim_dev_state state;
	uint16_t i;

	if (dev == NULL)
		return 0;	/* the reply says why */
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
	rte_tel_data_add_dict_int(d, "cvq_index",
		cvqsim_cvq_index(cvqsim_layout_features(dev),
			dev->conf.max_pairs));
	rte_tel_data_add_dict_int(d, "memory_regions", (int)dev->nr_mem);
	/* The device's own bring-up cost (rte_pmd_cvqsim_setup_time_get). */
	rte_tel_data_add_dict_u64(d, "dev_conf_ns",
		cvqsim_cycles_to_ns(dev->setup_time.dev_conf_cycles));
	rte_tel_data_add_dict_u64(d, "dev_conf_calls",
		dev->setup_time.dev_conf_calls);
	rte_tel_data_add_dict_u64(d, "queue_start_ns",
		cvqsim_cycles_to_ns(dev->setup_time.queue_start_cycles));
	rte_tel_data_add_dict_u64(d, "queue_start_max_ns",
		cvqsim_cycles_to_ns(dev->setup_time.queue_start_max_cycles));
	rte_tel_data_add_dict_int(d, "queues_started",
		(int)dev->setup_time.queues_started);
	for (i = 0; i < dev->nr_queues; i++) {
		int vq_index = slot_to_vq_index(dev, i);

		if (vq_index < 0)
			continue;
		if (cvqsim_queue_enabled(&dev->queues[i]))
			rte_tel_data_add_array_int(enabled, vq_index);
		if (dev->queues[i].vq.ready)
			rte_tel_data_add_array_int(served, vq_index);
	}
	rte_tel_data_add_dict_container(d, "enabled_vqs", enabled, 0);
	rte_tel_data_add_dict_container(d, "served_vqs", served, 0);

	cvqsim_poller_quiesce(dev);
	state = dev->state;
	/* A failed device still tells whether dev_conf is in force. */
	rte_tel_data_add_dict_string(d, "state", cvqsim_dev_state_name(state));
	rte_tel_data_add_dict_int(d, "configured", cvqsim_dev_configured(dev));
	rte_tel_data_add_dict_int(d, "failed", state == CVQSIM_DEV_FAILED);
	rte_tel_data_add_dict_int(d, "device_status", dev->device_status);
	rte_tel_data_add_dict_u64(d, "failures", dev->failures);
	rte_tel_data_add_dict_string(d, "last_failure", dev->failure);
	rte_tel_data_add_dict_int(d, "group_data_asid",
		(int)dev->as_set.group_asid[CVQSIM_GROUP_DATA]);
	rte_tel_data_add_dict_int(d, "group_cvq_asid",
		(int)dev->as_set.group_asid[CVQSIM_GROUP_CVQ]);
	/* Counted by the poller outside poll_lock. */
	rte_tel_data_add_dict_u64(d, "poll_passes",
		__atomic_load_n(&dev->poller.passes, __ATOMIC_RELAXED));
	rte_tel_data_add_dict_u64(d, "poll_sleeps",
		__atomic_load_n(&dev->poller.sleeps, __ATOMIC_RELAXED));
	cvqsim_poller_resume(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(cmd, params, d);
	unsigned int n = cvqsim_stats_count(), k;
	struct rte_tel_data *vqs, *arr[16];
	uint64_t v[16];
	uint16_t i;

	if (dev == NULL)
		return 0;	/* the reply says why */
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
		int vq_index = slot_to_vq_index(dev, i);

		if (vq_index < 0)
			continue;
		rte_tel_data_add_array_int(vqs, vq_index);
		cvqsim_queue_stats(dev, &dev->queues[i], v);
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

static int
tel_dev_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(cmd, params, d);
	uint64_t v[128];
	struct rte_pmd_cvqsim_stats st;
	unsigned int i, n = cvqsim_dev_stats_count();

	if (dev == NULL)
		return 0;	/* the reply says why */
	if (n > RTE_DIM(v))
		return -ENOSPC;
	cvqsim_dev_stats_get(dev, &st);
	cvqsim_dev_stats_values(&st, v);
	rte_tel_data_start_dict(d);
	for (i = 0; i < n; i++)
		rte_tel_data_add_dict_u64(d, cvqsim_dev_stat_name(i), v[i]);
	return 0;
}

/* An array of u64 in a container, or -ENOMEM. */
static int
add_u64_array(struct rte_tel_data *d, const char *name, const uint64_t *v,
		unsigned int n)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	unsigned int i;

	if (a == NULL)
		return -ENOMEM;
	rte_tel_data_start_array(a, RTE_TEL_U64_VAL);
	for (i = 0; i < n; i++)
		rte_tel_data_add_array_u64(a, v[i]);
	rte_tel_data_add_dict_container(d, name, a, 0);
	return 0;
}

static int
tel_state(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(cmd, params, d);
	struct rte_pmd_cvqsim_net_state *st;
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	uint64_t v[RTE_PMD_CVQSIM_RSS_TABLE_LEN];
	unsigned int i, vlans = 0;
	int ret = 0;

	if (dev == NULL)
		return 0;	/* the reply says why */
	/* About 25 KB (the MAC table): not on the telemetry thread's stack. */
	st = malloc(sizeof(*st));
	if (st == NULL)
		return -ENOMEM;
	cvqsim_net_state_get(&dev->net, st);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "generation", st->generation);
	rte_tel_data_add_dict_u64(d, "features", st->features);
	rte_ether_format_addr(mac, sizeof(mac),
		(const struct rte_ether_addr *)st->mac);
	rte_tel_data_add_dict_string(d, "mac", mac);
	rte_tel_data_add_dict_int(d, "status", st->status);
	rte_tel_data_add_dict_int(d, "curr_queue_pairs", st->curr_queue_pairs);
	rte_tel_data_add_dict_int(d, "promisc", st->rx_mode.promisc);
	rte_tel_data_add_dict_int(d, "allmulti", st->rx_mode.allmulti);
	rte_tel_data_add_dict_int(d, "alluni", st->rx_mode.alluni);
	rte_tel_data_add_dict_int(d, "nomulti", st->rx_mode.nomulti);
	rte_tel_data_add_dict_int(d, "nouni", st->rx_mode.nouni);
	rte_tel_data_add_dict_int(d, "nobcast", st->rx_mode.nobcast);
	rte_tel_data_add_dict_int(d, "uc_count", st->uc_count);
	rte_tel_data_add_dict_int(d, "mc_count", st->mc_count);
	rte_tel_data_add_dict_int(d, "uc_overflow", st->uc_overflow);
	rte_tel_data_add_dict_int(d, "mc_overflow", st->mc_overflow);
	for (i = 0; i < RTE_PMD_CVQSIM_VLAN_IDS; i++)
		vlans += (st->vlan_filter[i / 32] >> (i % 32)) & 1;
	rte_tel_data_add_dict_int(d, "vlans_accepted", (int)vlans);
	rte_tel_data_add_dict_int(d, "rss_steering", st->rss.steering);
	rte_tel_data_add_dict_u64(d, "hash_types", st->rss.hash_types);
	rte_tel_data_add_dict_int(d, "rss_key_len", st->rss.key_len);
	rte_tel_data_add_dict_int(d, "rss_unclassified_queue",
		st->rss.unclassified_queue);
	for (i = 0; i < st->rss.table_len && i < RTE_DIM(v); i++)
		v[i] = st->rss.table[i];
	ret = add_u64_array(d, "rss_table", v, i);
	rte_tel_data_add_dict_u64(d, "tunnel_types", st->tunnel_types);
	rte_tel_data_add_dict_u64(d, "guest_offloads", st->guest_offloads);
	rte_tel_data_add_dict_u64(d, "coal_tx_max_packets",
		st->coal_tx.max_packets);
	rte_tel_data_add_dict_u64(d, "coal_tx_max_usecs",
		st->coal_tx.max_usecs);
	rte_tel_data_add_dict_u64(d, "coal_rx_max_packets",
		st->coal_rx.max_packets);
	rte_tel_data_add_dict_u64(d, "coal_rx_max_usecs",
		st->coal_rx.max_usecs);
	rte_tel_data_add_dict_u64(d, "announces", st->announces);
	free(st);
	return ret;
}

/* One command's path record: "<class> <command>": {last_path, ...}. */
static void
tel_port_cmd(struct rte_tel_data *d, const struct rte_pmd_cvqsim_port_cmd *c)
{
	struct rte_tel_data *r = rte_tel_data_alloc();
	char name[RTE_TEL_MAX_STRING_LEN];

	if (r == NULL)
		return;
	rte_tel_data_start_dict(r);
	rte_tel_data_add_dict_string(r, "last_path",
		c->last_path == 0 ? "none" :
		(c->last_path & RTE_PMD_CVQSIM_PATH_HARDWARE) ? "both" :
		"software");
	rte_tel_data_add_dict_u64(r, "software", c->software);
	rte_tel_data_add_dict_u64(r, "both", c->both);
	snprintf(name, sizeof(name), "%s_%u",
		rte_pmd_cvqsim_ctrl_class_name(c->cls), c->cmd);
	rte_tel_data_add_dict_container(d, name, r, 0);
}

static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct cvqsim_dev *dev = tel_device(cmd, params, d);
	struct rte_pmd_cvqsim_port_info info;
	struct rte_tel_data *cmds;
	uint16_t i;

	if (dev == NULL)
		return 0;	/* the reply says why */
	rte_tel_data_start_dict(d);
	if (dev->port == NULL) {
		rte_tel_data_add_dict_string(d, "error",
			"the device has no port (loopback): devarg port=");
		return 0;
	}
	cvqsim_port_info_get(dev, &info);
	rte_tel_data_add_dict_string(d, "port", info.name);
	rte_tel_data_add_dict_int(d, "port_id", info.port_id);
	rte_tel_data_add_dict_int(d, "nb_rx_queues", info.nb_rx_queues);
	rte_tel_data_add_dict_int(d, "nb_tx_queues", info.nb_tx_queues);
	rte_tel_data_add_dict_int(d, "rx_queues_started",
		info.rx_queues_started);
	rte_tel_data_add_dict_int(d, "configured_by_device",
		info.configured_by_device);
	rte_tel_data_add_dict_int(d, "link_up", info.link_up);
	rte_tel_data_add_dict_u64(d, "rx_frames", info.stats.rx_frames);
	rte_tel_data_add_dict_u64(d, "rx_dropped", info.stats.rx_dropped);
	rte_tel_data_add_dict_u64(d, "tx_frames", info.stats.tx_frames);
	rte_tel_data_add_dict_u64(d, "tx_dropped", info.stats.tx_dropped);
	rte_tel_data_add_dict_u64(d, "link_changes", info.stats.link_changes);
	cmds = rte_tel_data_alloc();
	if (cmds == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(cmds);
	for (i = 0; i < info.nb_cmds; i++)
		tel_port_cmd(cmds, &info.cmds[i]);
	rte_tel_data_add_dict_container(d, "commands", cmds, 0);
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
	rte_telemetry_register_cmd("/cvqsim/dev_stats", tel_dev_stats,
		"cvqsim device-wide counters: control commands per class, receive"
		" filter verdicts, drops. Parameter: device name");
	rte_telemetry_register_cmd("/cvqsim/state", tel_state,
		"cvqsim device model (control queue state). Parameter: device name");
	rte_telemetry_register_cmd("/cvqsim/port", tel_port,
		"cvqsim VF-parent mode: the port, its counters, each command's"
		" path. Parameter: device name");
}
