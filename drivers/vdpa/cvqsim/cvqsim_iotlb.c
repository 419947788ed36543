/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The VM case (rte_pmd_cvqsim.h, "Address spaces and the IOTLB"): a host
 * application, the VMM, binds the control-queue group to ASID 1, maps its
 * own memory there and points the control queue at its own ring.
 *
 * Locks (cvqsim_dev.h): every call takes ctl_lock; an address space or a
 * group binding changes under poll_lock too, so the poller sees a batch
 * whole or not at all. Memory an update removed may still be looked at by
 * the poll thread's lock-free peek until cvqsim_poller_sync() returns: every
 * call that removes a mapping syncs before it returns, so the caller may
 * free that memory then.
 *
 * This file is the top of the VM case: it exports the public calls only,
 * and uses the lifecycle (queue stop and start) and the poller (quiesce,
 * sync). What the lower layers need of the VM case lives below them: the
 * isolation query and the fault accounting in cvqsim_dev.h, the start of
 * a queue on the VMM's ring in cvqsim_lifecycle.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <linux/virtio_ring.h>

#include <rte_common.h>

#include "cvqsim_dev.h"
#include "cvqsim_lifecycle.h"
#include "cvqsim_log.h"
#include "cvqsim_poller.h"
#include "rte_pmd_cvqsim.h"

/* The ASIDs a VMM may change: every one but the memory table's. */
static int
iotlb_check_asid(uint32_t asid)
{
	if (asid >= CVQSIM_NUM_AS)
		return -EINVAL;
	return asid == 0 ? -EPERM : 0;
}

/* Make the open batch live, then wait until nothing uses what it removed. */
static void
iotlb_commit(struct cvqsim_dev *dev)
{
	uint32_t changed;

	cvqsim_poller_quiesce(dev);
	changed = cvqsim_as_batch_commit(&dev->iotlb_batch, &dev->as_set);
	cvqsim_poller_resume(dev);
	if (changed != 0) {
		cvqsim_poller_sync(dev);
		cvqsim_poller_wake(dev);
	}
	cvqsim_as_batch_release(&dev->iotlb_batch);
}

/* One update outside a batch is a batch of one. */
static int
iotlb_single(struct cvqsim_dev *dev, uint32_t asid, uint64_t iova,
		uint64_t size, const struct rte_pmd_cvqsim_iotlb_entry *e)
{
	int ret = cvqsim_as_batch_begin(&dev->iotlb_batch);

	if (ret < 0)
		return ret;
	if (e != NULL)
		ret = cvqsim_as_batch_map(&dev->iotlb_batch, &dev->as_set, asid,
			e->iova, e->size, e->uaddr, e->perm);
	else
		ret = cvqsim_as_batch_unmap(&dev->iotlb_batch, &dev->as_set,
			asid, iova, size);
	if (ret < 0)
		cvqsim_as_batch_release(&dev->iotlb_batch);
	else
		iotlb_commit(dev);
	return ret;
}

int
rte_pmd_cvqsim_iotlb_update(struct rte_vdpa_device *vdpa, uint32_t asid,
		const struct rte_pmd_cvqsim_iotlb_entry *e)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	int ret;

	if (dev == NULL || e == NULL)
		return -EINVAL;
	ret = iotlb_check_asid(asid);
	if (ret < 0)
		return ret;
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->iotlb_batch.open)
		ret = cvqsim_as_batch_map(&dev->iotlb_batch, &dev->as_set, asid,
			e->iova, e->size, e->uaddr, e->perm);
	else
		ret = iotlb_single(dev, asid, 0, 0, e);
	pthread_mutex_unlock(&dev->ctl_lock);
	if (ret < 0)
		CVQSIM_DEV_LOG(ERR, dev, "IOTLB update ASID %u [0x%" PRIx64
			", +0x%" PRIx64 ") perm %u refused: %s", asid, e->iova,
			e->size, e->perm, strerror(-ret));
	return ret;
}

int
rte_pmd_cvqsim_iotlb_invalidate(struct rte_vdpa_device *vdpa, uint32_t asid,
		uint64_t iova, uint64_t size)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	int ret;

	if (dev == NULL)
		return -EINVAL;
	ret = iotlb_check_asid(asid);
	if (ret < 0)
		return ret;
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->iotlb_batch.open)
		ret = cvqsim_as_batch_unmap(&dev->iotlb_batch, &dev->as_set,
			asid, iova, size);
	else
		ret = iotlb_single(dev, asid, iova, size, NULL);
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

int
rte_pmd_cvqsim_iotlb_batch_begin(struct rte_vdpa_device *vdpa)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	int ret;

	if (dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	ret = cvqsim_as_batch_begin(&dev->iotlb_batch);
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

int
rte_pmd_cvqsim_iotlb_batch_end(struct rte_vdpa_device *vdpa)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	int ret = 0;

	if (dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	if (!dev->iotlb_batch.open)
		ret = -EINVAL;
	else
		iotlb_commit(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

int
rte_pmd_cvqsim_iotlb_query(struct rte_vdpa_device *vdpa, uint32_t asid,
		uint32_t first, struct rte_pmd_cvqsim_iotlb_entry *entries,
		uint32_t max)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	const struct cvqsim_as *as;
	uint32_t i, total;

	if (dev == NULL || asid >= CVQSIM_NUM_AS || (entries == NULL && max > 0))
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	as = cvqsim_as_batch_view(&dev->iotlb_batch, &dev->as_set, asid);
	total = as->nr_maps;
	for (i = 0; i < max && first < total && i < total - first; i++) {
		const struct cvqsim_as_map *m = &as->maps[first + i];

		entries[i] = (struct rte_pmd_cvqsim_iotlb_entry){
			.iova = m->iova, .size = m->size, .uaddr = m->hva,
			.perm = m->perm,
		};
	}
	pthread_mutex_unlock(&dev->ctl_lock);
	return (int)total;
}

/* Groups. */

int
rte_pmd_cvqsim_group_asid_set(struct rte_vdpa_device *vdpa, uint32_t group,
		uint32_t asid)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	uint16_t i;
	int ret = 0;

	if (dev == NULL || group >= CVQSIM_NUM_GROUPS || asid >= CVQSIM_NUM_AS)
		return -EINVAL;
	/* The data queues' rings are the frontend's: only ASID 0 has them. */
	if (group == CVQSIM_GROUP_DATA && asid != 0)
		return -ENOTSUP;
	pthread_mutex_lock(&dev->ctl_lock);
	/* Binding a group where it already is changes nothing: allowed. */
	for (i = 0; dev->as_set.group_asid[group] != asid && i < dev->nr_queues;
			i++)
		if (dev->queues[i].vq.group == group && dev->queues[i].vq.ready)
			ret = -EBUSY;
	if (ret == 0 && dev->as_set.group_asid[group] != asid) {
		cvqsim_poller_quiesce(dev);
		ret = cvqsim_as_set_bind(&dev->as_set, group, asid);
		cvqsim_poller_resume(dev);
		if (ret == 0)
			CVQSIM_DEV_LOG(INFO, dev, "group %u bound to ASID %u",
				group, asid);
	}
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

/*
 * The device of vdpa with ctl_lock held and the slot of vq_index under the
 * current layout in *slot; NULL (nothing held) if either is not there.
 */
static struct cvqsim_dev *
iotlb_lock_vq(struct rte_vdpa_device *vdpa, uint16_t vq_index, int *slot)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	uint64_t features;

	if (dev == NULL)
		return NULL;
	pthread_mutex_lock(&dev->ctl_lock);
	features = cvqsim_layout_features(dev);
	if (vq_index == cvqsim_cvq_index(features, dev->conf.max_pairs))
		*slot = cvqsim_cvq_slot(dev);
	else
		*slot = cvqsim_vq_index_to_slot(dev, features, vq_index);
	if (*slot < 0) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return NULL;
	}
	return dev;
}

int
rte_pmd_cvqsim_vring_addr_set(struct rte_vdpa_device *vdpa, uint16_t vq_index,
		const struct rte_pmd_cvqsim_vring_addr *addr)
{
	struct cvqsim_queue *q;
	struct cvqsim_dev *dev;
	int slot, ret = 0;

	dev = iotlb_lock_vq(vdpa, vq_index, &slot);
	if (dev == NULL)
		return -EINVAL;
	q = &dev->queues[slot];
	if (dev->as_set.group_asid[q->vq.group] == 0) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return -EPERM;
	}
	cvqsim_lifecycle_queue_stop(dev, slot);
	cvqsim_poller_quiesce(dev);
	q->faulted = false;
	q->fault_logged = false;
	cvqsim_poller_resume(dev);
	q->vmm_set = addr != NULL;
	if (addr != NULL)
		q->vmm = *addr;
	if (addr != NULL && cvqsim_queue_enabled(q) && dev->vid >= 0)
		ret = cvqsim_lifecycle_queue_start(dev, vq_index, slot);
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

int
rte_pmd_cvqsim_vq_info_get(struct rte_vdpa_device *vdpa, uint16_t vq_index,
		struct rte_pmd_cvqsim_vq_info *info)
{
	const struct cvqsim_queue *q;
	struct cvqsim_dev *dev;
	int slot;

	if (info == NULL)
		return -EINVAL;
	memset(info, 0, sizeof(*info));
	dev = iotlb_lock_vq(vdpa, vq_index, &slot);
	if (dev == NULL)
		return -EINVAL;
	q = &dev->queues[slot];
	cvqsim_poller_quiesce(dev);
	info->enabled = cvqsim_queue_enabled(q);
	info->served = q->vq.ready;
	info->faulted = q->faulted;
	info->group = q->vq.group;
	info->asid = dev->as_set.group_asid[q->vq.group];
	cvqsim_vq_get_base(&q->vq, &info->last_avail_idx, &info->used_idx);
	info->faults = q->faults;
	if (q->vq.error != NULL)
		snprintf(info->error, sizeof(info->error), "%s", q->vq.error);
	cvqsim_poller_resume(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

int
rte_pmd_cvqsim_mem_event_register(struct rte_vdpa_device *vdpa,
		rte_pmd_cvqsim_mem_cb cb, void *arg)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -EINVAL;
	pthread_mutex_lock(&dev->ctl_lock);
	dev->mem_cb = cb;
	dev->mem_cb_arg = arg;
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}
