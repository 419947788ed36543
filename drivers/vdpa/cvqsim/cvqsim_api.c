/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The public API (rte_pmd_cvqsim.h): virtqueue groups and address spaces.
 */

#include <errno.h>

#include "rte_pmd_cvqsim.h"
#include "cvqsim_dev.h"

int
rte_pmd_cvqsim_is_cvqsim(struct rte_vdpa_device *vdpa)
{
	return cvqsim_dev_from_vdpa(vdpa) != NULL;
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
	if (vq_index == cvqsim_cvq_index(dev, features))
		slot = cvqsim_cvq_slot(dev);
	else
		slot = cvqsim_vring_to_slot(dev, features, vq_index);
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
	rte_spinlock_lock(&dev->poll_lock);
	status = dev->device_status;
	rte_spinlock_unlock(&dev->poll_lock);
	return status;
}
