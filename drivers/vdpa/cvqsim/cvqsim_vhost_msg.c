/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Hooks on raw vhost-user messages (rte_vhost_extern_callback_register):
 * the two messages the vDPA ops do not show the driver.
 * - SET_MEM_TABLE unmaps the frontend's old memory inside the vhost
 *   library, with queues that may run before dev_conf: they are stopped
 *   before the message and served again after it.
 * - SET_STATUS carries the driver status: DRIVER_OK opens the control
 *   queue, 0 resets the device.
 * - SET_FEATURES with features the device does not offer is refused by
 *   the vhost library without naming them: name them here.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "cvqsim_dev.h"
#include "cvqsim_lifecycle.h"
#include "cvqsim_log.h"
#include "cvqsim_vhost_msg.h"

#define CVQSIM_VHOST_USER_SET_FEATURES	2	/* vhost-user message numbers */
#define CVQSIM_VHOST_USER_SET_MEM_TABLE	5
#define CVQSIM_VHOST_USER_SET_STATUS	39
/* The message: u32 request, u32 flags, u32 size, then the payload. */
#define CVQSIM_VHOST_USER_PAYLOAD_OFF	12

static uint32_t
msg_request(const void *msg)
{
	uint32_t request;

	memcpy(&request, msg, sizeof(request));
	return request;
}

static bool
is_set_mem_table(const void *msg)
{
	return msg_request(msg) == CVQSIM_VHOST_USER_SET_MEM_TABLE;
}

/*
 * The frontend asks for features: say which ones the device lacks
 * (dev->features, the offered set, is fixed at probe).
 */
static void
check_features(struct cvqsim_dev *dev, const void *msg)
{
	uint64_t asked, extra;

	memcpy(&asked, (const uint8_t *)msg + CVQSIM_VHOST_USER_PAYLOAD_OFF,
		sizeof(asked));
	extra = asked & ~dev->features;
	if (extra == 0)
		return;
	CVQSIM_DEV_LOG(ERR, dev, "the frontend asks for features 0x%" PRIx64
		" that the device does not offer (0x%" PRIx64 "): %s", extra,
		dev->features, (extra & (UINT64_C(1) << VIRTIO_NET_F_MQ)) ?
		"MQ needs 2 queue pairs or more (devarg queues=N)" :
		"cvqsim does not implement them, turn them off in the frontend");
}

static enum rte_vhost_msg_result
cvqsim_pre_msg(int vid, void *msg)
{
	struct cvqsim_dev *dev;
	uint64_t status;

	if (msg_request(msg) == CVQSIM_VHOST_USER_SET_FEATURES) {
		/* Only look: the set_features op binds the connection. */
		dev = cvqsim_dev_from_vid(vid);
		if (dev != NULL)
			check_features(dev, msg);
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	}

	if (msg_request(msg) == CVQSIM_VHOST_USER_SET_STATUS) {
		dev = cvqsim_lifecycle_lock(vid, "SET_STATUS", NULL);
		if (dev != NULL) {
			memcpy(&status, (const uint8_t *)msg +
				CVQSIM_VHOST_USER_PAYLOAD_OFF, sizeof(status));
			cvqsim_lifecycle_set_status(dev, status);
			pthread_mutex_unlock(&dev->ctl_lock);
		}
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	}
	if (!is_set_mem_table(msg))
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	dev = cvqsim_lifecycle_lock(vid, "SET_MEM_TABLE", NULL);
	if (dev == NULL)
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	cvqsim_lifecycle_mem_pause(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

static enum rte_vhost_msg_result
cvqsim_post_msg(int vid, void *msg)
{
	struct cvqsim_dev *dev;

	if (!is_set_mem_table(msg))
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	dev = cvqsim_lifecycle_lock(vid, "SET_MEM_TABLE", NULL);
	if (dev == NULL)
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	cvqsim_lifecycle_mem_resume(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
	return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

static const struct rte_vhost_user_extern_ops cvqsim_msg_hooks = {
	.pre_msg_handle = cvqsim_pre_msg,
	.post_msg_handle = cvqsim_post_msg,
};

void
cvqsim_vhost_msg_attach(struct cvqsim_dev *dev, int vid)
{
	if (rte_vhost_extern_callback_register(vid, &cvqsim_msg_hooks, dev) != 0)
		CVQSIM_DEV_LOG(WARNING, dev, "cannot hook the vhost-user"
			" messages: a memory table change while queues run"
			" before dev_conf is not handled");
}
