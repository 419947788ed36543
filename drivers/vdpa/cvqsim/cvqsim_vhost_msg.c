/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Hooks on raw vhost-user messages (rte_vhost_extern_callback_register):
 * the two messages the vDPA ops do not show the driver.
 * - SET_MEM_TABLE unmaps the frontend's old memory inside the vhost
 *   library, with queues that may run before dev_conf: they are stopped
 *   before the message and served again after it; the VMM's callback
 *   (rte_pmd_cvqsim_mem_event_register) hears of it first and last.
 * - SET_STATUS carries the driver status: DRIVER_OK opens the control
 *   queue, 0 resets the device.
 * - SET_FEATURES with features the device does not offer is refused by
 *   the vhost library without naming them: name them here.
 * Before all of them, every message goes through the screen
 * (cvqsim_vhost_screen.h): what DPDK 22.11's vhost library would take
 * unchecked and crash on is refused before it acts.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linux/virtio_net.h>

#include "cvqsim_dev.h"
#include "cvqsim_lifecycle.h"
#include "cvqsim_log.h"
#include "cvqsim_vhost_msg.h"
#include "cvqsim_vhost_screen.h"
#include "cvqsim_virtio.h"

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

/*
 * The frontend gets a REPLY_ACK of 1, or loses the connection if it asked
 * for no reply (the library's way with its own failures). Screened whether
 * or not the connection is bound to the device: a second connection's
 * messages reach the library too.
 */
static enum rte_vhost_msg_result
screen_msg(int vid, void *msg)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);
	struct cvqsim_screen_ctx ctx = {
		.config_size = sizeof(struct cvqsim_virtio_net_config),
	};
	enum cvqsim_screen_verdict verdict;
	char why[192], name[32];

	rte_vhost_get_negotiated_features(vid, &ctx.features);
	rte_vhost_get_negotiated_protocol_features(vid, &ctx.protocol_features);
	verdict = cvqsim_screen_msg(&ctx, msg, why, sizeof(why));
	if (verdict == CVQSIM_SCREEN_PASS)
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	if (dev != NULL) {
		__atomic_fetch_add(&dev->msgs_refused, 1, __ATOMIC_RELAXED);
		CVQSIM_DEV_LOG(ERR, dev, "vhost device %d: refused %s: %s", vid,
			cvqsim_vu_request_name(cvqsim_vu_msg_request(msg), name,
				sizeof(name)), why);
	}
	return verdict == CVQSIM_SCREEN_REPLY ? RTE_VHOST_MSG_RESULT_REPLY :
		RTE_VHOST_MSG_RESULT_ERR;
}

/* A SET_MEM_TABLE the library failed (no post-handler call since). */
static void
check_mem_table_lost(int vid)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);

	if (dev == NULL)
		return;
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->vid == vid && dev->mem_table_pending)
		cvqsim_lifecycle_mem_lost(dev);
	pthread_mutex_unlock(&dev->ctl_lock);
}

/*
 * The VMM's memory table callback (rte_pmd_cvqsim_mem_event_register),
 * called without the driver's locks: it may use the public API, and wait
 * for the device to answer a request it is relaying.
 */
static void
tell_vmm(int vid, enum rte_pmd_cvqsim_mem_event event)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);
	rte_pmd_cvqsim_mem_cb cb = NULL;
	void *arg = NULL;

	if (dev == NULL)
		return;
	pthread_mutex_lock(&dev->ctl_lock);
	cb = dev->mem_cb;
	arg = dev->mem_cb_arg;
	pthread_mutex_unlock(&dev->ctl_lock);
	if (cb != NULL)
		cb(dev->vdpa, vid, event, arg);
}

static enum rte_vhost_msg_result
cvqsim_pre_msg(int vid, void *msg)
{
	enum rte_vhost_msg_result screened = screen_msg(vid, msg);
	struct cvqsim_dev *dev;
	uint64_t status;

	if (screened != RTE_VHOST_MSG_RESULT_NOT_HANDLED)
		return screened;
	check_mem_table_lost(vid);

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
	/* The VMM first: it may wait for the device to answer it. */
	tell_vmm(vid, RTE_PMD_CVQSIM_MEM_CHANGING);
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
	tell_vmm(vid, RTE_PMD_CVQSIM_MEM_CHANGED);
	return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

static const struct rte_vhost_user_extern_ops cvqsim_msg_hooks = {
	.pre_msg_handle = cvqsim_pre_msg,
	.post_msg_handle = cvqsim_post_msg,
};

int
cvqsim_vhost_msg_attach(struct cvqsim_dev *dev, int vid)
{
	if (rte_vhost_extern_callback_register(vid, &cvqsim_msg_hooks, dev) == 0)
		return 0;
	CVQSIM_DEV_LOG(WARNING, dev, "cannot hook the vhost-user messages:"
		" they are not screened, and a memory table change while queues"
		" run before dev_conf is not handled");
	return -EIO;
}
