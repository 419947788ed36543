/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * A device's saved state (rte_pmd_cvqsim_state_save/_restore/_check): the
 * pure core (cvqsim_state.h) applied to a device under its locks, and a
 * restore kept until the next frontend negotiates features.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_bitops.h>
#include <rte_common.h>

#include "rte_pmd_cvqsim.h"
#include "cvqsim_dev.h"
#include "cvqsim_dev_state.h"
#include "cvqsim_log.h"
#include "cvqsim_poller.h"
#include "cvqsim_state.h"

/*
 * Device state (cvqsim_state.h): save, restore now or at the next
 * negotiation, check both restore paths.
 */

/* The virtqueues as the transport knows them (ctl_lock and poll_lock). */
static void
state_dev_fill(const struct cvqsim_dev *dev, struct cvqsim_state_dev *sd)
{
	uint64_t f = cvqsim_layout_features(dev);
	uint16_t v, nr = (uint16_t)(cvqsim_cvq_index(f, dev->conf.max_pairs) +
		((f & RTE_BIT64(VIRTIO_NET_F_CTRL_VQ)) ? 1 : 0));
	int slot;

	memset(sd, 0, sizeof(*sd));
	sd->offered_features = dev->features;
	sd->device_status = (uint8_t)(dev->driver_status | dev->device_status);
	sd->nr_vqs = RTE_MIN(nr, (uint16_t)CVQSIM_STATE_MAX_VQS);
	for (v = 0; v < sd->nr_vqs; v++) {
		const struct cvqsim_queue *q;

		slot = cvqsim_vq_index_to_slot(dev, f, v);
		if (slot < 0)
			continue;
		q = &dev->queues[slot];
		sd->vq[v].size = q->vq.size;
		sd->vq[v].last_avail_idx = q->vq.last_avail_idx;
		sd->vq[v].last_used_idx = q->vq.used_idx;
		sd->vq[v].enabled = cvqsim_queue_enabled(q);
	}
}

int
rte_pmd_cvqsim_state_save(struct rte_vdpa_device *vdpa, uint8_t **buf,
		size_t *len)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	struct cvqsim_state_dev *sd;
	int ret;

	if (dev == NULL || buf == NULL || len == NULL)
		return -EINVAL;
	sd = malloc(sizeof(*sd));
	if (sd == NULL)
		return -ENOMEM;
	pthread_mutex_lock(&dev->ctl_lock);
	cvqsim_poller_quiesce(dev);
	state_dev_fill(dev, sd);
	ret = cvqsim_state_save(&dev->net, sd, buf, len);
	cvqsim_poller_resume(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	free(sd);
	if (ret == 0)
		CVQSIM_DEV_LOG(INFO, dev, "state saved: %zu bytes", *len);
	return ret;
}

static void
err_copy(char *dst, size_t len, const struct cvqsim_state_err *e)
{
	if (dst != NULL && len > 0)
		snprintf(dst, len, "%s", e->msg);
}

/* Load buf into the connected device (ctl_lock held, features known). */
static int
state_load(struct cvqsim_dev *dev, const uint8_t *buf, size_t len,
		struct cvqsim_state_err *e)
{
	uint64_t saved, now = dev->negotiated & ~RTE_BIT64(VHOST_F_LOG_ALL);
	int ret = cvqsim_state_features(buf, len, &saved, e);

	if (ret != 0)
		return ret;
	if (saved != now) {
		snprintf(e->msg, sizeof(e->msg), "the frontend negotiated "
			"features 0x%" PRIx64 ", the state has 0x%" PRIx64,
			now, saved);
		return -EINVAL;
	}
	cvqsim_poller_quiesce(dev);
	ret = cvqsim_state_restore(&dev->net, dev->features, buf, len, NULL, e);
	cvqsim_poller_resume(dev);
	return ret;
}

/* Check a state against the device's parameters without touching it. */
static int
state_try(struct cvqsim_dev *dev, const uint8_t *buf, size_t len,
		struct cvqsim_state_err *e)
{
	struct cvqsim_net *scratch = malloc(sizeof(*scratch));
	int ret;

	if (scratch == NULL)
		return -ENOMEM;
	ret = cvqsim_net_init(scratch, &dev->net.params);
	if (ret == 0)
		ret = cvqsim_state_restore(scratch, dev->features, buf, len,
			NULL, e);
	free(scratch);
	return ret;
}

int
rte_pmd_cvqsim_state_restore(struct rte_vdpa_device *vdpa, const uint8_t *buf,
		size_t len, char *err, size_t err_len)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	struct cvqsim_state_err e = { 0 };
	uint8_t *copy;
	int ret;

	if (dev == NULL || buf == NULL) {
		err_copy(err, err_len, &(struct cvqsim_state_err){ .msg =
			"not a cvqsim device, or no state" });
		return -EINVAL;
	}
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->vid >= 0 && dev->features_valid) {
		ret = state_load(dev, buf, len, &e);
		if (ret == 0)
			CVQSIM_DEV_LOG(INFO, dev, "state restored (%zu bytes)",
				len);
	} else {
		ret = state_try(dev, buf, len, &e);
		copy = ret == 0 ? malloc(len) : NULL;
		if (ret == 0 && copy == NULL)
			ret = -ENOMEM;
		if (ret == 0) {
			memcpy(copy, buf, len);
			free(dev->pending_state);
			dev->pending_state = copy;
			dev->pending_len = len;
			CVQSIM_DEV_LOG(INFO, dev, "state checked (%zu bytes),"
				" loaded when the next frontend negotiates", len);
		}
	}
	pthread_mutex_unlock(&dev->ctl_lock);
	if (ret != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "state refused: %s", e.msg);
		err_copy(err, err_len, &e);
	}
	return ret;
}

void
cvqsim_dev_state_load_pending(struct cvqsim_dev *dev)
{
	struct cvqsim_state_err e = { 0 };
	int ret;

	if (dev->pending_state == NULL)
		return;
	ret = state_load(dev, dev->pending_state, dev->pending_len, &e);
	if (ret == 0)
		CVQSIM_DEV_LOG(NOTICE, dev, "saved state loaded (%zu bytes) "
			"before the data queues are enabled", dev->pending_len);
	else
		CVQSIM_DEV_LOG(ERR, dev, "saved state not loaded: %s", e.msg);
	free(dev->pending_state);
	dev->pending_state = NULL;
	dev->pending_len = 0;
}

int
rte_pmd_cvqsim_state_check(struct rte_vdpa_device *vdpa, size_t *len,
		uint32_t *commands, char *err, size_t err_len)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	struct cvqsim_state_err e = { 0 };
	struct cvqsim_net *snap;
	int ret;

	if (dev == NULL || len == NULL || commands == NULL)
		return -EINVAL;
	/* A private copy of the model: the checks run without the lock. */
	snap = malloc(sizeof(*snap));
	if (snap == NULL)
		return -ENOMEM;
	cvqsim_poller_quiesce(dev);
	ret = cvqsim_net_init(snap, &dev->net.params);
	if (ret == 0)
		cvqsim_net_state_load(snap, &dev->net.state, NULL);
	cvqsim_poller_resume(dev);
	if (ret == 0)
		ret = cvqsim_state_check(snap, dev->features, len, commands, &e);
	free(snap);
	if (ret != 0)
		err_copy(err, err_len, &e);
	return ret;
}
