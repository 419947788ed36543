/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The rte_vdpa_dev_ops glue: what the vhost library asks of the device.
 *
 * Queues come up one by one on set_vring_state(q, 1), independently of
 * dev_conf: once the application exposes the device's features with
 * rte_vhost_driver_set_features(), the vhost library calls dev_conf only
 * when every vring the frontend created is ready, which never happens
 * with a frontend that creates more queues than it enables (virtio-user
 * queues=2 with one active pair). dev_conf then only means "configured"
 * (and rebuilds AS 0 when the memory table changed under dev_close).
 *
 * set_vring_state and set_features may run with every vq access_lock of
 * the vhost device held (before dev_conf): only vhost getters that take no
 * lock are called from here (get_mem_table, get_vhost_vring,
 * get_vring_base, set_vring_base, get_negotiated_features).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_bitops.h>
#include <rte_common.h>
#include <rte_cycles.h>

#include "cvqsim_dev.h"
#include "cvqsim_dev_state.h"
#include "cvqsim_lifecycle.h"
#include "cvqsim_log.h"
#include "cvqsim_log_dirty.h"
#include "cvqsim_ops.h"
#include "cvqsim_poller.h"
#include "cvqsim_stats.h"
#include "cvqsim_vhost_msg.h"
#include "cvqsim_vhost_screen.h"

/* Device ops (no vid). */

static int
cvqsim_get_queue_num(struct rte_vdpa_device *vdpa, uint32_t *queue_num)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	*queue_num = dev->conf.max_pairs;
	return 0;
}

static int
cvqsim_get_features(struct rte_vdpa_device *vdpa, uint64_t *features)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	*features = dev->features;
	return 0;
}

static int
cvqsim_get_protocol_features(struct rte_vdpa_device *vdpa, uint64_t *features)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	*features = dev->protocol_features;
	return 0;
}

static uint64_t cvqsim_dev_type_calls;

/*
 * Called by rte_vdpa_register_device() under the vDPA list lock: no lookup
 * here, and never fail (a failure makes 22.11 return a device it never
 * listed).
 */
static int
cvqsim_get_dev_type(struct rte_vdpa_device *vdpa, uint32_t *type)
{
	__atomic_fetch_add(&cvqsim_dev_type_calls, 1, __ATOMIC_RELAXED);
	*type = RTE_VHOST_VDPA_DEVICE_TYPE_NET;
	return 0;
}

static int
cvqsim_get_stats_names(struct rte_vdpa_device *vdpa,
		struct rte_vdpa_stat_name *names, unsigned int size)
{
	if (cvqsim_dev_from_vdpa(vdpa) == NULL)
		return -ENODEV;
	return cvqsim_stats_names(names, size);
}

static int
cvqsim_get_stats(struct rte_vdpa_device *vdpa, int vq_index,
		struct rte_vdpa_stat *stats, unsigned int n)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	return cvqsim_stats_get(dev, vq_index, stats, n);
}

static int
cvqsim_reset_stats(struct rte_vdpa_device *vdpa, int vq_index)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	return cvqsim_stats_reset(dev, vq_index);
}

/* Connection ops (vid). */

/* The device serving vid, ctl_lock held; hooks its messages when bound. */
static struct cvqsim_dev *
dev_lock_vid(int vid, const char *op)
{
	bool bound_now = false;
	struct cvqsim_dev *dev = cvqsim_lifecycle_lock(vid, op, &bound_now);

	if (dev != NULL && bound_now)
		cvqsim_vhost_msg_attach(dev, vid);
	return dev;
}

static int
cvqsim_set_vring_state(int vid, int vq_index, int state)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	int slot, ret = 0;

	if (dev == NULL)
		return -ENODEV;
	cvqsim_lifecycle_refresh_features(dev);
	slot = vq_index < 0 || vq_index > UINT16_MAX ? -1 :
		cvqsim_vq_index_to_slot(dev, cvqsim_layout_features(dev),
			(uint16_t)vq_index);
	if (slot < 0) {
		CVQSIM_DEV_LOG(WARNING, dev, "vring %d is not a queue of this"
			" device (%u pairs, features 0x%" PRIx64 "): ignored",
			vq_index, dev->conf.max_pairs, cvqsim_layout_features(dev));
		pthread_mutex_unlock(&dev->ctl_lock);
		return -EINVAL;
	}
	if (state)
		cvqsim_queue_event(&dev->queues[slot], CVQSIM_QUEUE_ENABLE);
	if (slot != cvqsim_cvq_slot(dev)) {
		cvqsim_poller_quiesce(dev);
		cvqsim_net_set_vq_enabled(&dev->net, (uint16_t)vq_index, state != 0);
		cvqsim_poller_resume(dev);
	}
	if (state) {
		ret = cvqsim_lifecycle_queue_start(dev, (uint16_t)vq_index, slot);
	} else {
		cvqsim_lifecycle_queue_stop(dev, slot);
		cvqsim_queue_event(&dev->queues[slot], CVQSIM_QUEUE_DISABLE);
	}
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

static int
cvqsim_set_features(int vid)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	uint64_t before;
	bool was_valid;
	uint16_t i, cvq;

	if (dev == NULL)
		return -ENODEV;
	was_valid = dev->features_valid;
	before = dev->negotiated;
	cvqsim_lifecycle_refresh_features(dev);
	/*
	 * While running, the vhost library lets only LOG_ALL change: a
	 * frontend starting or ending a migration. The device's state stays.
	 */
	if (was_valid && (before ^ dev->negotiated) == RTE_BIT64(VHOST_F_LOG_ALL)) {
		cvqsim_poller_quiesce(dev);
		cvqsim_log_dirty_update(dev);
		cvqsim_poller_resume(dev);
		pthread_mutex_unlock(&dev->ctl_lock);
		return 0;
	}
	cvqsim_poller_quiesce(dev);
	/* LOG_ALL is the transport's, not the device model's. */
	cvqsim_net_set_features(&dev->net,
		dev->negotiated & ~RTE_BIT64(VHOST_F_LOG_ALL));
	/* set_features marks every data vq enabled: restore what is known. */
	cvq = cvqsim_cvq_index(dev->negotiated, dev->conf.max_pairs);
	for (i = 0; i < cvq; i++)
		cvqsim_net_set_vq_enabled(&dev->net, i,
			cvqsim_queue_enabled(&dev->queues[i]));
	/*
	 * A vhost-user frontend that keeps the control queue to itself
	 * (virtio-user and QEMU clear CTRL_VQ in SET_FEATURES but keep MQ)
	 * never sends VQ_PAIRS_SET: it puts pairs in use by enabling their
	 * vrings. Every pair is then in use as far as the model goes, and the
	 * enabled vrings decide.
	 */
	if (!(dev->negotiated & RTE_BIT64(VIRTIO_NET_F_CTRL_VQ)) &&
			(dev->negotiated & (RTE_BIT64(VIRTIO_NET_F_MQ) |
				RTE_BIT64(VIRTIO_NET_F_RSS))))
		cvqsim_net_ctrl_ops.vq_pairs_set(&dev->net,
			cvqsim_net_queue_pairs_max(&dev->net));
	cvqsim_log_dirty_update(dev);
	cvqsim_poller_resume(dev);
	CVQSIM_DEV_LOG(INFO, dev, "features negotiated: 0x%" PRIx64,
		dev->negotiated);
	cvqsim_dev_state_load_pending(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

static int
cvqsim_dev_conf(int vid)
{
	uint64_t t0 = rte_rdtsc();
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	uint64_t cycles;
	uint16_t i;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	if (dev->mem_table_pending) {
		/* Right after a SET_MEM_TABLE the library failed. */
		cvqsim_lifecycle_mem_lost(dev);
		pthread_mutex_unlock(&dev->ctl_lock);
		return -ENODATA;
	}
	cvqsim_lifecycle_refresh_features(dev);
	ret = cvqsim_lifecycle_sync_as(dev);
	if (ret < 0) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return ret;
	}
	cvqsim_poller_quiesce(dev);
	cvqsim_dev_event(dev, CVQSIM_DEV_CONF);
	cvqsim_poller_resume(dev);
	/* With STATUS, the vhost library configures only after DRIVER_OK. */
	if (dev->status_proto) {
		__atomic_store_n(&dev->driver_status,
			dev->driver_status | VIRTIO_CONFIG_S_DRIVER_OK,
			__ATOMIC_RELAXED);
		cvqsim_lifecycle_cvq_gate(dev);
	}
	/*
	 * Queues already enabled but not served were stopped by a dev_close
	 * for a memory table change (the vhost library does not re-enable
	 * them): serve them again. A device stopped by a ring violation is
	 * not restarted here: after NEEDS_RESET it waits for the driver to
	 * set its queues up again or to reset it.
	 */
	for (i = 0; i < dev->nr_queues; i++) {
		struct cvqsim_queue *q = &dev->queues[i];
		bool start;

		/* The poller may fail the device meanwhile. */
		cvqsim_poller_quiesce(dev);
		start = !cvqsim_dev_failed(dev) && cvqsim_queue_enabled(q) &&
			!q->vq.ready;
		cvqsim_poller_resume(dev);
		if (start)
			cvqsim_lifecycle_queue_start(dev, q->vq.index, i);
	}
	cycles = rte_rdtsc() - t0;
	dev->setup_time.dev_conf_cycles = cycles;
	dev->setup_time.dev_conf_calls++;
	CVQSIM_DEV_LOG(INFO, dev, "configured (vhost device %d) in %.1f us", vid,
		(double)cvqsim_cycles_to_ns(cycles) / 1e3);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

static void
stop_all_queues(struct cvqsim_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_lifecycle_queue_stop(dev, i);
}

static int
cvqsim_dev_close(int vid)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);

	if (dev == NULL)
		return -ENODEV;
	stop_all_queues(dev);
	cvqsim_poller_quiesce(dev);
	cvqsim_dev_event(dev, CVQSIM_DEV_CLOSE);
	cvqsim_poller_resume(dev);
	CVQSIM_DEV_LOG(INFO, dev, "closed (vhost device %d)", vid);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

/* The connection is gone; runs before the frontend's memory is unmapped. */
static int
cvqsim_dev_cleanup(int vid)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);

	if (dev == NULL)
		return -ENODEV;
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->vid != vid) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return 0;
	}
	cvqsim_lifecycle_unbind(dev);
	CVQSIM_DEV_LOG(INFO, dev, "released vhost device %d", vid);
	pthread_mutex_unlock(&dev->ctl_lock);
	cvqsim_poller_wake(dev);
	return 0;
}

static int
cvqsim_get_config(int vid, uint8_t *config, uint32_t size)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	uint32_t len;

	if (dev == NULL)
		return -ENODEV;
	/*
	 * The vhost library passes the frontend's size unchecked with its
	 * 256-byte buffer (the screen refuses it first when the hooks are in).
	 */
	if (size > CVQSIM_VU_CONFIG_MAX) {
		CVQSIM_DEV_LOG(ERR, dev, "GET_CONFIG of %u bytes: at most %u",
			size, CVQSIM_VU_CONFIG_MAX);
		pthread_mutex_unlock(&dev->ctl_lock);
		return -EINVAL;
	}
	/* Only the fields the offered features make present (QEMU's rule). */
	len = RTE_MIN(size, cvqsim_net_config_size(dev->features));
	memset(config, 0, size);
	cvqsim_poller_quiesce(dev);
	cvqsim_net_config_read(&dev->net, 0, config, len);
	cvqsim_poller_resume(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

struct rte_vdpa_dev_ops cvqsim_vdpa_ops = {
	.get_queue_num = cvqsim_get_queue_num,
	.get_features = cvqsim_get_features,
	.get_protocol_features = cvqsim_get_protocol_features,
	.dev_conf = cvqsim_dev_conf,
	.dev_close = cvqsim_dev_close,
	.dev_cleanup = cvqsim_dev_cleanup,
	.set_vring_state = cvqsim_set_vring_state,
	.set_features = cvqsim_set_features,
	.get_stats_names = cvqsim_get_stats_names,
	.get_stats = cvqsim_get_stats,
	.reset_stats = cvqsim_reset_stats,
	.get_config = cvqsim_get_config,
	.get_dev_type = cvqsim_get_dev_type,
};

uint64_t
cvqsim_ops_dev_type_calls(void)
{
	return __atomic_load_n(&cvqsim_dev_type_calls, __ATOMIC_RELAXED);
}
