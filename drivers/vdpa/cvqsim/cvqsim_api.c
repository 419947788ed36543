/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The public API (rte_pmd_cvqsim.h): virtqueue groups and address spaces,
 * the device model, announce, the device-wide counters.
 */

#include <errno.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_common.h>

#include "rte_pmd_cvqsim.h"
#include "cvqsim_dev.h"
#include "cvqsim_log.h"
#include "cvqsim_net_rx.h"
#include "cvqsim_poller.h"
#include "cvqsim_port.h"
#include "cvqsim_stats.h"
#include "cvqsim_vhost_msg.h"

int
rte_pmd_cvqsim_is_cvqsim(struct rte_vdpa_device *vdpa)
{
	return cvqsim_dev_from_vdpa(vdpa) != NULL;
}

int
rte_pmd_cvqsim_vhost_connection(int vid)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);

	if (dev == NULL)
		return -ENODEV;
	return cvqsim_vhost_msg_attach(dev, vid);
}

int
rte_pmd_cvqsim_num_groups(struct rte_vdpa_device *vdpa)
{
	if (cvqsim_dev_from_vdpa(vdpa) == NULL)
		return -EINVAL;
	return CVQSIM_NUM_GROUPS;
}

int
rte_pmd_cvqsim_num_as(struct rte_vdpa_device *vdpa)
{
	if (cvqsim_dev_from_vdpa(vdpa) == NULL)
		return -EINVAL;
	return CVQSIM_NUM_AS;
}

int
rte_pmd_cvqsim_vq_group(struct rte_vdpa_device *vdpa, uint16_t vq_index)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	uint64_t features;
	int slot, group;

	if (dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	features = cvqsim_layout_features(dev);
	/* The group of the queue, even before CTRL_VQ is negotiated. */
	if (vq_index == cvqsim_cvq_index(features, dev->conf.max_pairs))
		slot = cvqsim_cvq_slot(dev);
	else
		slot = cvqsim_vq_index_to_slot(dev, features, vq_index);
	group = slot < 0 ? -EINVAL : (int)dev->queues[slot].vq.group;
	pthread_mutex_unlock(&dev->ctl_lock);
	return group;
}

int
rte_pmd_cvqsim_group_asid(struct rte_vdpa_device *vdpa, uint32_t group)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	int asid;

	if (dev == NULL || group >= CVQSIM_NUM_GROUPS)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	asid = (int)dev->as_set.group_asid[group];
	pthread_mutex_unlock(&dev->ctl_lock);
	return asid;
}

int
rte_pmd_cvqsim_device_status(struct rte_vdpa_device *vdpa)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	int status;

	if (dev == NULL)
		return -EINVAL;
	cvqsim_poller_quiesce(dev);
	status = dev->device_status;
	cvqsim_poller_resume(dev);
	return status;
}

/* The device model and the device-wide counters. */

int
rte_pmd_cvqsim_net_state_get(struct rte_vdpa_device *vdpa,
		struct rte_pmd_cvqsim_net_state *state)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL || state == NULL)
		return -EINVAL;
	/* The model's seqcount gives one consistent state without a lock. */
	cvqsim_net_state_get(&dev->net, state);
	return 0;
}

int
rte_pmd_cvqsim_announce(struct rte_vdpa_device *vdpa)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	const uint64_t need = (UINT64_C(1) << VIRTIO_NET_F_GUEST_ANNOUNCE) |
		(UINT64_C(1) << VIRTIO_NET_F_CTRL_VQ);
	int ret, vid;

	if (dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	vid = dev->vid;
	if (vid < 0) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return -ENOTCONN;
	}
	/* The model changes with the poller quiesced only (cvqsim_dev.h). */
	cvqsim_poller_quiesce(dev);
	if ((dev->net.state.features & need) != need)
		ret = -ENOTSUP;
	else
		ret = cvqsim_net_announce(&dev->net) ? 0 : -EALREADY;
	cvqsim_poller_resume(dev);
	/* Without a config-change message the driver sees it on a read. */
	if (ret == 0)
		cvqsim_notify_config_change(dev, vid);
	pthread_mutex_unlock(&dev->ctl_lock);
	if (ret == 0)
		CVQSIM_DEV_LOG(INFO, dev, "VIRTIO_NET_S_ANNOUNCE raised");
	return ret;
}

int
rte_pmd_cvqsim_stats_get(struct rte_vdpa_device *vdpa,
		struct rte_pmd_cvqsim_stats *stats)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL || stats == NULL)
		return -EINVAL;
	cvqsim_dev_stats_get(dev, stats);
	return 0;
}

int
rte_pmd_cvqsim_setup_time_get(struct rte_vdpa_device *vdpa,
		struct rte_pmd_cvqsim_setup_time *t)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	struct cvqsim_setup_time c;

	if (dev == NULL || t == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	c = dev->setup_time;
	pthread_mutex_unlock(&dev->ctl_lock);
	memset(t, 0, sizeof(*t));
	t->dev_conf_ns = cvqsim_cycles_to_ns(c.dev_conf_cycles);
	t->dev_conf_calls = c.dev_conf_calls;
	t->queue_start_ns = cvqsim_cycles_to_ns(c.queue_start_cycles);
	t->queue_start_max_ns = cvqsim_cycles_to_ns(c.queue_start_max_cycles);
	t->queues_started = c.queues_started;
	return 0;
}

const char *
rte_pmd_cvqsim_rx_verdict_name(enum rte_pmd_cvqsim_rx_verdict v)
{
	return cvqsim_net_rx_verdict_name(v);
}

const char *
rte_pmd_cvqsim_ctrl_class_name(uint8_t cls)
{
	return cvqsim_ctrl_class_name(cls);
}

int
rte_pmd_cvqsim_port_info_get(struct rte_vdpa_device *vdpa,
		struct rte_pmd_cvqsim_port_info *info)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL || info == NULL)
		return -EINVAL;
	/* The port is attached at probe and detached at remove only. */
	if (dev->port == NULL)
		return -ENOTSUP;
	cvqsim_port_info_get(dev, info);
	return 0;
}
