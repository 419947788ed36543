/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The device's side of a vhost-user connection: binding it, the
 * negotiated features, AS 0 built from the memory table, queues brought up
 * and down, the driver status, the memory-table pause, the end of the
 * connection. Called with ctl_lock held (cvqsim_lifecycle_lock); quiesces
 * the poller (cvqsim_poller_quiesce) to change what it reads. The states
 * themselves change in cvqsim_dev_event() and cvqsim_queue_event().
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_bitops.h>
#include <rte_common.h>
#include <rte_cycles.h>

#include "cvqsim_dev.h"
#include "cvqsim_lifecycle.h"
#include "cvqsim_log.h"
#include "cvqsim_log_dirty.h"
#include "cvqsim_poller.h"
#include "cvqsim_port.h"

/*
 * The device model and every device-wide counter back to their reset state
 * (a new connection, or the driver's reset), the poller quiesced.
 */
static void
reset_model(struct cvqsim_dev *dev)
{
	cvqsim_net_reset(&dev->net);
	cvqsim_port_reset(dev);
	cvqsim_ctrl_stats_reset(&dev->ctrl);
	memset(&dev->dp_stats, 0, sizeof(dev->dp_stats));
}

/*
 * Forget the connection's state. A new connection is a new device instance:
 * the model and the device-wide counters start from their reset values
 * then (BIND). When a connection ends (UNBIND) they are kept, so that what the
 * last frontend did can still be read (state, counters) until the next one.
 */
static void
connection_reset(struct cvqsim_dev *dev, enum cvqsim_dev_event ev)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_queue_event(&dev->queues[i], CVQSIM_QUEUE_RESET);
	dev->features_valid = false;
	dev->mem_table_pending = false;
	/* The poller reads them for VF-parent receive (dp_rx_room). */
	__atomic_store_n(&dev->status_proto, false, __ATOMIC_RELAXED);
	__atomic_store_n(&dev->driver_status, 0, __ATOMIC_RELAXED);
	cvqsim_poller_quiesce(dev);
	cvqsim_dev_event(dev, ev);
	dev->device_status = 0;
	dev->config_change = false;
	__atomic_store_n(&dev->cvq_serve, true, __ATOMIC_RELAXED);
	dev->log_dirty.on = false;
	if (ev == CVQSIM_DEV_BIND) {
		memset(&dev->setup_time, 0, sizeof(dev->setup_time));
		reset_model(dev);
	}
	cvqsim_poller_resume(dev);
}

/*
 * Whether the poller serves the control queue (ctl_lock held): the device
 * uses no buffer before the driver set DRIVER_OK (virtio 1.x "Device
 * Status Field"). That is known when the frontend uses the STATUS protocol
 * feature (SET_STATUS messages; the vhost library also calls dev_conf only
 * after DRIVER_OK then); without it, the control queue is served once its
 * vring is enabled.
 */
void
cvqsim_lifecycle_cvq_gate(struct cvqsim_dev *dev)
{
	bool serve = !dev->status_proto ||
		(dev->driver_status & VIRTIO_CONFIG_S_DRIVER_OK) != 0;

	cvqsim_poller_quiesce(dev);
	__atomic_store_n(&dev->cvq_serve, serve, __ATOMIC_RELAXED);
	cvqsim_poller_resume(dev);
	cvqsim_poller_wake(dev);
}

struct cvqsim_dev *
cvqsim_lifecycle_lock(int vid, const char *op, bool *bound_now)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);

	if (dev == NULL) {
		CVQSIM_LOG(ERR, "%s: vid %d is not attached to a cvqsim device",
			op, vid);
		return NULL;
	}
	pthread_mutex_lock(&dev->ctl_lock);
	if (bound_now != NULL)
		*bound_now = dev->vid == -1;
	if (dev->vid == -1) {
		/* The poller reads it without ctl_lock (failure reports). */
		__atomic_store_n(&dev->vid, vid, __ATOMIC_RELAXED);
		connection_reset(dev, CVQSIM_DEV_BIND);
		CVQSIM_DEV_LOG(INFO, dev, "bound to vhost device %d", vid);
	} else if (dev->vid != vid) {
		CVQSIM_DEV_LOG(ERR, dev, "%s: refusing vhost device %d: already"
			" serving vhost device %d", op, vid, dev->vid);
		pthread_mutex_unlock(&dev->ctl_lock);
		return NULL;
	}
	return dev;
}

void
cvqsim_lifecycle_refresh_features(struct cvqsim_dev *dev)
{
	uint64_t f;

	if (rte_vhost_get_negotiated_features(dev->vid, &f) == 0) {
		dev->negotiated = f;
		dev->features_valid = true;
	}
	if (!dev->status_proto &&
			rte_vhost_get_negotiated_protocol_features(dev->vid, &f) == 0 &&
			(f & RTE_BIT64(VHOST_USER_PROTOCOL_F_STATUS))) {
		__atomic_store_n(&dev->status_proto, true, __ATOMIC_RELAXED);
		cvqsim_lifecycle_cvq_gate(dev);
	}
}

static bool
mem_table_equal(const struct cvqsim_dev *dev, const struct rte_vhost_memory *mem)
{
	uint32_t i;

	if (dev->mem == NULL || dev->nr_mem != mem->nregions)
		return false;
	for (i = 0; i < mem->nregions; i++) {
		const struct rte_vhost_mem_region *r = &mem->regions[i];

		if (dev->mem[i].gpa != r->guest_phys_addr ||
				dev->mem[i].hva != r->host_user_addr ||
				dev->mem[i].size != r->size)
			return false;
	}
	return true;
}

/*
 * Build AS 0 from the vhost-user memory table when it differs from the one
 * it was built from: iova = guest physical address, hva = this process's
 * mapping, read-write. Queues set up on the old table re-translate their
 * rings on their next use (the AS generation changed), or stop the device
 * if the rings are no longer mapped.
 */
int
cvqsim_lifecycle_sync_as(struct cvqsim_dev *dev)
{
	struct cvqsim_as *as0 = &dev->as_set.as[0];
	struct rte_vhost_memory *mem = NULL;
	struct cvqsim_mem_region *regions;
	uint32_t i;
	int ret = 0;

	/*
	 * DPDK 22.11's rte_vhost_get_mem_table dereferences a table the
	 * library dropped on a failed SET_MEM_TABLE (hardening guide): ask
	 * only when it has one.
	 */
	if (dev->mem_table_pending) {
		CVQSIM_DEV_LOG(ERR, dev, "no memory table: the last change failed");
		return -ENODATA;
	}
	if (rte_vhost_get_mem_table(dev->vid, &mem) != 0 || mem == NULL) {
		CVQSIM_DEV_LOG(ERR, dev, "no memory table from the frontend yet");
		return -ENODATA;
	}
	if (mem_table_equal(dev, mem)) {
		free(mem);
		return 0;
	}
	regions = calloc(mem->nregions ? mem->nregions : 1, sizeof(*regions));
	if (regions == NULL) {
		free(mem);
		return -ENOMEM;
	}

	cvqsim_poller_quiesce(dev);
	cvqsim_as_clear(as0);
	for (i = 0; i < mem->nregions; i++) {
		const struct rte_vhost_mem_region *r = &mem->regions[i];

		regions[i].gpa = r->guest_phys_addr;
		regions[i].hva = r->host_user_addr;
		regions[i].size = r->size;
		ret = cvqsim_as_map(as0, r->guest_phys_addr, r->size,
			r->host_user_addr, CVQSIM_PERM_RW);
		if (ret < 0) {
			CVQSIM_DEV_LOG(ERR, dev, "memory region %u [0x%" PRIx64
				", +0x%" PRIx64 ") rejected by AS 0: %s", i,
				r->guest_phys_addr, r->size, strerror(-ret));
			cvqsim_as_clear(as0);
			break;
		}
	}
	cvqsim_poller_resume(dev);

	free(dev->mem);
	if (ret < 0) {
		dev->mem = NULL;
		dev->nr_mem = 0;
		free(regions);
	} else {
		dev->mem = regions;
		dev->nr_mem = mem->nregions;
		CVQSIM_DEV_LOG(INFO, dev, "AS 0 built from %u memory regions",
			mem->nregions);
	}
	free(mem);
	return ret;
}

/* Guest address of a pointer into the frontend's memory, like ifc's hva_to_gpa. */
static int
hva_to_iova(const struct cvqsim_dev *dev, const void *ptr, uint64_t *iova)
{
	uint64_t hva = (uint64_t)(uintptr_t)ptr;
	uint32_t i;

	for (i = 0; i < dev->nr_mem; i++) {
		const struct cvqsim_mem_region *r = &dev->mem[i];

		if (hva >= r->hva && hva - r->hva < r->size) {
			*iova = r->gpa + (hva - r->hva);
			return 0;
		}
	}
	return -EFAULT;
}

/* With every enabled queue served again, a failed device has recovered. */
static void
dev_check_recovered(struct cvqsim_dev *dev)
{
	uint16_t i;

	if (cvqsim_dev_state_get(dev) != CVQSIM_DEV_FAILED)
		return;
	for (i = 0; i < dev->nr_queues; i++)
		if (cvqsim_queue_enabled(&dev->queues[i]) &&
				!dev->queues[i].vq.ready)
			return;
	cvqsim_poller_quiesce(dev);
	cvqsim_dev_event(dev, CVQSIM_DEV_RECOVER);
	dev->device_status &= ~VIRTIO_CONFIG_S_NEEDS_RESET;
	cvqsim_poller_resume(dev);
	CVQSIM_DEV_LOG(NOTICE, dev, "recovered: every enabled queue set up again");
}

/* What a queue_start cost, for rte_pmd_cvqsim_setup_time_get. */
static void
setup_time_queue(struct cvqsim_dev *dev, uint64_t cycles)
{
	struct cvqsim_setup_time *t = &dev->setup_time;

	t->queue_start_cycles += cycles;
	t->queue_start_max_cycles = RTE_MAX(t->queue_start_max_cycles, cycles);
	t->queues_started++;
}

/*
 * queue_start of a queue whose group is not on ASID 0 (the VM case): serve
 * the ring the VMM gave in its AS (rte_pmd_cvqsim_vring_addr_set), or wait
 * for it (0) when none was given.
 */
static int
queue_start_vmm(struct cvqsim_dev *dev, uint16_t vq_index, int slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	const struct rte_pmd_cvqsim_vring_addr *a = &q->vmm;
	uint32_t asid = dev->as_set.group_asid[q->vq.group];
	int ret;

	if (!q->vmm_set) {
		CVQSIM_DEV_LOG(INFO, dev, "vring %u (group %u, ASID %u): waiting"
			" for the VMM's ring", vq_index, q->vq.group, asid);
		return 0;
	}
	/*
	 * Stopped by a fault, it stays stopped until the VMM gives a ring
	 * again: not restarted by dev_conf or a memory table change.
	 */
	if (q->faulted)
		return 0;
	cvqsim_poller_quiesce(dev);
	ret = cvqsim_vq_setup(&q->vq, &dev->as_set.as[asid], a->desc, a->avail,
		a->used, a->size, a->last_avail_idx, a->used_idx,
		a->ring_features);
	if (ret == 0) {
		q->vq.index = vq_index;
		q->vq.kickfd = a->kickfd;
		q->vq.callfd = a->callfd;
		/* The VMM's indices: never handed to the vhost library. */
		cvqsim_queue_event(q, CVQSIM_QUEUE_STOP);
		cvqsim_vq_enable_kick(&q->vq, false);
	}
	cvqsim_poller_resume(dev);
	if (ret < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u (group %u, ASID %u): cannot set"
			" up the VMM's ring: %s", vq_index, q->vq.group, asid,
			q->vq.error != NULL ? q->vq.error : strerror(-ret));
		return ret;
	}
	CVQSIM_DEV_LOG(INFO, dev, "vring %u up on the VMM's ring (group %u,"
		" ASID %u): desc 0x%" PRIx64 ", size %u", vq_index, q->vq.group,
		asid, a->desc, a->size);
	cvqsim_poller_wake(dev);
	return 0;
}

/*
 * Serve vq_index (in dev->queues[slot]): map its rings through the AS of the
 * queue's group and resume at the indices the vhost library holds (set by
 * the frontend's SET_VRING_BASE, or handed back by cvqsim_lifecycle_queue_stop).
 */
int
cvqsim_lifecycle_queue_start(struct cvqsim_dev *dev, uint16_t vq_index, int slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	uint64_t t0 = rte_rdtsc();
	struct rte_vhost_vring vr;
	uint64_t desc, avail, used;
	uint16_t last_avail, last_used;
	int ret;

	/* The VM case: the VMM's ring in its AS, not the frontend's. */
	if (cvqsim_queue_isolated(dev, q))
		return queue_start_vmm(dev, vq_index, slot);
	ret = cvqsim_lifecycle_sync_as(dev);
	if (ret < 0)
		return ret;
	if (rte_vhost_get_vhost_vring(dev->vid, vq_index, &vr) != 0 ||
			vr.desc == NULL || vr.avail == NULL || vr.used == NULL) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: rings not available", vq_index);
		return -ENODATA;
	}
	if (hva_to_iova(dev, vr.desc, &desc) < 0 ||
			hva_to_iova(dev, vr.avail, &avail) < 0 ||
			hva_to_iova(dev, vr.used, &used) < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: rings outside the memory table",
			vq_index);
		return -EFAULT;
	}
	if (rte_vhost_get_vring_base(dev->vid, vq_index, &last_avail,
			&last_used) != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: no ring base", vq_index);
		return -ENODATA;
	}

	cvqsim_poller_quiesce(dev);
	ret = cvqsim_vq_setup(&q->vq,
		cvqsim_as_set_group_as(&dev->as_set, q->vq.group),
		desc, avail, used, vr.size, last_avail, last_used,
		dev->negotiated);
	if (ret == 0) {
		q->vq.index = vq_index;
		q->vq.kickfd = vr.kickfd >= 0 ? vr.kickfd : -1;
		q->vq.callfd = vr.callfd >= 0 ? vr.callfd : -1;
		q->coal_pending = 0;
		/* Every mode starts busy-polling: no kicks wanted. */
		cvqsim_vq_enable_kick(&q->vq, false);
		cvqsim_log_dirty_used_hdr(dev, &q->vq);
	}
	cvqsim_poller_resume(dev);

	if (ret < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: cannot set up: %s", vq_index,
			q->vq.error ? q->vq.error : strerror(-ret));
		return ret;
	}
	cvqsim_queue_event(q, CVQSIM_QUEUE_START);
	/* The log line is not part of the cost (INFO is off by default). */
	setup_time_queue(dev, rte_rdtsc() - t0);
	CVQSIM_DEV_LOG(INFO, dev, "vring %u up (group %u): size %u, avail %u,"
		" used %u, kickfd %d, callfd %d", vq_index, q->vq.group, vr.size,
		last_avail, last_used, q->vq.kickfd, q->vq.callfd);
	dev_check_recovered(dev);
	cvqsim_poller_wake(dev);
	return 0;
}

/*
 * Stop serving a queue; once the poller is quiesced it is outside the
 * device and will not touch the queue again. Hand the indices of a started
 * queue back to the vhost library: GET_VRING_BASE replies with them, and a
 * later enable without a new SET_VRING_BASE resumes from them.
 */
void
cvqsim_lifecycle_queue_stop(struct cvqsim_dev *dev, int slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	uint16_t last_avail, last_used;
	bool was_ready;

	cvqsim_poller_quiesce(dev);
	was_ready = q->vq.ready;
	cvqsim_vq_teardown(&q->vq);
	cvqsim_poller_resume(dev);

	/*
	 * The VMM's ring: its indices are the VMM's, kept here so that a
	 * restart the VMM did not ask for (a memory table change, dev_conf)
	 * resumes where the queue stopped, not at the ring's first entry.
	 */
	if (was_ready && q->vmm_set && cvqsim_queue_isolated(dev, q))
		cvqsim_vq_get_base(&q->vq, &q->vmm.last_avail_idx,
			&q->vmm.used_idx);
	if (q->state != CVQSIM_QUEUE_STARTED)
		return;
	/*
	 * Only once per start: a later stop must not overwrite what the
	 * frontend sets with SET_VRING_BASE in between.
	 */
	cvqsim_queue_event(q, CVQSIM_QUEUE_STOP);
	/* Packed rings: the wrap counters travel in bit 15. */
	cvqsim_vq_get_base(&q->vq, &last_avail, &last_used);
	rte_vhost_set_vring_base(dev->vid, q->vq.index, last_avail, last_used);
	if (was_ready)
		CVQSIM_DEV_LOG(INFO, dev, "vring %u down: avail 0x%x, used 0x%x",
			q->vq.index, last_avail, last_used);
}

/*
 * SET_STATUS: the driver status byte. DRIVER_OK opens the control queue;
 * 0 is a device reset: the model returns to its reset state (the driver
 * negotiates again) and NEEDS_RESET is cleared.
 */
void
cvqsim_lifecycle_set_status(struct cvqsim_dev *dev, uint64_t status)
{
	__atomic_store_n(&dev->status_proto, true, __ATOMIC_RELAXED);
	__atomic_store_n(&dev->driver_status, (uint8_t)status, __ATOMIC_RELAXED);
	if (status == 0) {
		cvqsim_poller_quiesce(dev);
		reset_model(dev);
		if (!cvqsim_dev_failed(dev))
			dev->device_status &= ~VIRTIO_CONFIG_S_NEEDS_RESET;
		cvqsim_poller_resume(dev);
	}
	cvqsim_lifecycle_cvq_gate(dev);
}

/*
 * Before the vhost library unmaps the frontend's memory (queues already
 * torn down): empty AS 0 and wait until the poller can no longer be looking
 * at the old rings.
 */
static void
forget_guest_memory(struct cvqsim_dev *dev)
{
	cvqsim_poller_quiesce(dev);
	cvqsim_as_clear(&dev->as_set.as[0]);
	cvqsim_poller_resume(dev);
	cvqsim_poller_sync(dev);
	free(dev->mem);
	dev->mem = NULL;
	dev->nr_mem = 0;
}

/*
 * SET_MEM_TABLE unmaps the frontend's old memory inside the vhost library.
 * It calls dev_close first only when the device is configured, and dev_conf
 * may never come (see cvqsim_ops.c) while queues already run: so stop
 * every served queue before the message is handled, and serve them again,
 * through an AS rebuilt from the new table, once it is.
 */
void
cvqsim_lifecycle_mem_pause(struct cvqsim_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		if (!dev->queues[i].vq.ready)
			continue;
		cvqsim_lifecycle_queue_stop(dev, i);
		cvqsim_queue_event(&dev->queues[i], CVQSIM_QUEUE_PAUSE);
	}
	forget_guest_memory(dev);
	dev->mem_table_pending = true;
}

void
cvqsim_lifecycle_mem_resume(struct cvqsim_dev *dev)
{
	uint16_t i;

	dev->mem_table_pending = false;
	for (i = 0; i < dev->nr_queues; i++) {
		struct cvqsim_queue *q = &dev->queues[i];

		if (q->state != CVQSIM_QUEUE_PAUSED)
			continue;
		cvqsim_queue_event(q, CVQSIM_QUEUE_RESUME);
		if (!q->vq.ready)
			cvqsim_lifecycle_queue_start(dev, q->vq.index, i);
	}
}

/*
 * The last SET_MEM_TABLE passed the screen but the vhost library failed
 * it (no post-handler call followed): the library dropped its table. A
 * device that was serving queues stops cleanly, NEEDS_RESET, instead of
 * looking for rings in memory that is gone; the frontend recovers it with
 * a new table and its queues set up again, or a reset. Acts once.
 */
void
cvqsim_lifecycle_mem_lost(struct cvqsim_dev *dev)
{
	bool serving = cvqsim_dev_configured(dev);
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		struct cvqsim_queue *q = &dev->queues[i];

		if (q->state != CVQSIM_QUEUE_PAUSED)
			continue;
		serving = true;
		cvqsim_queue_event(q, CVQSIM_QUEUE_RESUME);
	}
	cvqsim_poller_quiesce(dev);
	/* dev_conf is no longer in force: the vhost library closed it. */
	cvqsim_dev_event(dev, CVQSIM_DEV_CLOSE);
	if (!serving) {
		cvqsim_poller_resume(dev);
		return;
	}
	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_vq_teardown(&dev->queues[i].vq);
	if (!cvqsim_dev_failed(dev))
		cvqsim_dev_event(dev, CVQSIM_DEV_FAIL);
	dev->failures++;
	dev->device_status |= VIRTIO_CONFIG_S_NEEDS_RESET;
	snprintf(dev->failure, sizeof(dev->failure), "the vhost library failed"
		" a memory table change and dropped the table");
	cvqsim_poller_resume(dev);
	CVQSIM_DEV_LOG(ERR, dev, "device stopped (NEEDS_RESET): %s", dev->failure);
}

/* The connection is gone; runs before the frontend's memory is unmapped. */
void
cvqsim_lifecycle_unbind(struct cvqsim_dev *dev)
{
	uint16_t i;

	cvqsim_poller_quiesce(dev);
	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_vq_teardown(&dev->queues[i].vq);
	cvqsim_poller_resume(dev);
	forget_guest_memory(dev);
	connection_reset(dev, CVQSIM_DEV_UNBIND);
	/* The VMM's rings were this connection's (its binding stays). */
	cvqsim_poller_quiesce(dev);
	cvqsim_dev_forget_vmm_rings(dev);
	cvqsim_poller_resume(dev);
	__atomic_store_n(&dev->vid, -1, __ATOMIC_RELAXED);
}
