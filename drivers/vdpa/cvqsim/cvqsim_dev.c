/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The device: the list of probed devices, a device's creation from its
 * devargs (model, queues, scratch), what it offers, and its queue layout.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_bitops.h>
#include <rte_common.h>
#include <rte_malloc.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"

static TAILQ_HEAD(, cvqsim_dev) cvqsim_devs = TAILQ_HEAD_INITIALIZER(cvqsim_devs);
static pthread_mutex_t cvqsim_devs_lock = PTHREAD_MUTEX_INITIALIZER;

/* The first device of the list match() accepts, or NULL. */
static struct cvqsim_dev *
dev_find(bool (*match)(const struct cvqsim_dev *dev, const void *key),
		const void *key)
{
	struct cvqsim_dev *dev, *found = NULL;

	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_FOREACH(dev, &cvqsim_devs, next) {
		if (match(dev, key)) {
			found = dev;
			break;
		}
	}
	pthread_mutex_unlock(&cvqsim_devs_lock);
	return found;
}

static bool
has_vdpa(const struct cvqsim_dev *dev, const void *vdpa)
{
	return dev->vdpa == vdpa;
}

static bool
has_name(const struct cvqsim_dev *dev, const void *name)
{
	return strcmp(dev->name, name) == 0;
}

static bool
has_vdev(const struct cvqsim_dev *dev, const void *vdev)
{
	return dev->vdev == vdev;
}

struct cvqsim_dev *
cvqsim_dev_from_vdpa(const struct rte_vdpa_device *vdpa)
{
	return vdpa == NULL ? NULL : dev_find(has_vdpa, vdpa);
}

struct cvqsim_dev *
cvqsim_dev_from_name(const char *name)
{
	return dev_find(has_name, name);
}

struct cvqsim_dev *
cvqsim_dev_from_vdev(const struct rte_vdev_device *vdev)
{
	return dev_find(has_vdev, vdev);
}

struct cvqsim_dev *
cvqsim_dev_from_vid(int vid)
{
	return cvqsim_dev_from_vdpa(rte_vhost_get_vdpa_device(vid));
}

void
cvqsim_dev_foreach(void (*fn)(struct cvqsim_dev *dev, void *arg), void *arg)
{
	struct cvqsim_dev *dev;

	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_FOREACH(dev, &cvqsim_devs, next)
		fn(dev, arg);
	pthread_mutex_unlock(&cvqsim_devs_lock);
}

void
cvqsim_dev_free(struct cvqsim_dev *dev)
{
	uint16_t i;

	if (dev == NULL)
		return;
	cvqsim_as_batch_release(&dev->iotlb_batch);
	for (i = 0; dev->queues != NULL && i < dev->nr_queues; i++)
		cvqsim_vq_teardown(&dev->queues[i].vq);	/* frees packed state */
	cvqsim_as_set_fini(&dev->as_set);
	free(dev->mem);
	free(dev->pending_state);
	rte_free(dev->scratch);
	rte_free(dev->queues);
	pthread_mutex_destroy(&dev->ctl_lock);
	rte_free(dev);
}

/* The device model, from the devargs. */
static int
dev_init_net(struct cvqsim_dev *dev)
{
	struct cvqsim_net_params params;
	int ret;

	memset(&params, 0, sizeof(params));
	memcpy(params.mac, dev->conf.mac.addr_bytes, sizeof(params.mac));
	params.max_queue_pairs = dev->conf.max_pairs;
	params.mtu = dev->conf.mtu;
	params.speed = UINT32_MAX;	/* unknown (no SPEED_DUPLEX offered) */
	params.duplex = 0xff;
	params.link_up = true;
	params.mac_table_entries = (uint16_t)dev->conf.mac_table;
	/* Every encapsulation the steering code hashes inside (HASH_TUNNEL). */
	params.supported_tunnel_types = CVQSIM_NET_TUNNEL_TYPES_SUPPORTED;
	ret = cvqsim_net_init(&dev->net, &params);
	if (ret < 0)
		CVQSIM_LOG(ERR, "%s: the device model refused the parameters: %s",
			dev->name, strerror(-ret));
	return ret;
}

struct cvqsim_dev *
cvqsim_dev_alloc(const char *name, unsigned int index,
		const struct cvqsim_devargs *conf)
{
	struct cvqsim_dev *dev;
	uint16_t i;

	dev = rte_zmalloc("cvqsim_dev", sizeof(*dev), 0);
	if (dev == NULL)
		return NULL;
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->index = index;
	dev->conf = *conf;
	dev->vid = -1;
	dev->poller.wake_fd = -1;
	pthread_mutex_init(&dev->ctl_lock, NULL);
	rte_spinlock_init(&dev->poll_lock);
	cvqsim_as_set_init(&dev->as_set);
	cvqsim_as_batch_init(&dev->iotlb_batch);
	dev->features = cvqsim_offered_features(conf);
	dev->protocol_features = cvqsim_offered_protocol_features();

	if (dev_init_net(dev) < 0) {
		cvqsim_dev_free(dev);
		return NULL;
	}

	dev->nr_queues = (uint16_t)(2 * conf->max_pairs + 1);
	dev->queues = rte_zmalloc("cvqsim_queues",
		sizeof(*dev->queues) * dev->nr_queues, 0);
	dev->scratch = rte_zmalloc("cvqsim_scratch", sizeof(*dev->scratch), 0);
	if (dev->queues == NULL || dev->scratch == NULL) {
		cvqsim_dev_free(dev);
		return NULL;
	}
	/* The control queue's decoder applies commands to the model. */
	cvqsim_ctrl_init(&dev->ctrl, &cvqsim_net_ctrl_ops, &dev->net);
	for (i = 0; i < dev->nr_queues; i++) {
		cvqsim_vq_init(&dev->queues[i].vq, i,
			i == cvqsim_cvq_slot(dev) ? CVQSIM_GROUP_CVQ :
			CVQSIM_GROUP_DATA);
		dev->queues[i].notify_failed_fd = -1;
	}
	return dev;
}

void
cvqsim_dev_list_add(struct cvqsim_dev *dev)
{
	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_INSERT_TAIL(&cvqsim_devs, dev, next);
	pthread_mutex_unlock(&cvqsim_devs_lock);
}

void
cvqsim_dev_list_remove(struct cvqsim_dev *dev)
{
	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_REMOVE(&cvqsim_devs, dev, next);
	pthread_mutex_unlock(&cvqsim_devs_lock);
}

void
cvqsim_dev_set_vdpa(struct cvqsim_dev *dev, struct rte_vdpa_device *vdpa)
{
	pthread_mutex_lock(&cvqsim_devs_lock);
	dev->vdpa = vdpa;
	pthread_mutex_unlock(&cvqsim_devs_lock);
}

/*
 * What the device offers: the control queue and every command class the
 * decoder and the model implement and the datapath enforces (receive
 * filter, VLAN table, MAC address, announce, multiqueue, RSS and hash
 * report with inner hashing of tunnels, guest offloads, notification
 * coalescing, statistics), checksum
 * offload both ways (the loopback completes the checksum when the driver
 * did not enable GUEST_CSUM). No segmentation offload (HOST_TSO*,
 * GUEST_TSO*): the loopback cannot segment.
 */
uint64_t
cvqsim_offered_features(const struct cvqsim_devargs *conf)
{
	uint64_t f = RTE_BIT64(VIRTIO_F_VERSION_1) |
		RTE_BIT64(VIRTIO_F_ANY_LAYOUT) |
		RTE_BIT64(VIRTIO_RING_F_INDIRECT_DESC) |
		RTE_BIT64(VIRTIO_RING_F_EVENT_IDX) |
		RTE_BIT64(VIRTIO_F_RING_PACKED) |
		RTE_BIT64(VIRTIO_NET_F_CSUM) |
		RTE_BIT64(VIRTIO_NET_F_GUEST_CSUM) |
		RTE_BIT64(VIRTIO_NET_F_MRG_RXBUF) |
		RTE_BIT64(VIRTIO_NET_F_MAC) |
		RTE_BIT64(VIRTIO_NET_F_MTU) |
		RTE_BIT64(VIRTIO_NET_F_STATUS) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_VQ) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_RX) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_RX_EXTRA) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_VLAN) |
		RTE_BIT64(VIRTIO_NET_F_GUEST_ANNOUNCE) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_MAC_ADDR) |
		RTE_BIT64(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |
		RTE_BIT64(VIRTIO_NET_F_RSS) |
		RTE_BIT64(VIRTIO_NET_F_HASH_REPORT) |
		RTE_BIT64(VIRTIO_NET_F_NOTF_COAL) |
		RTE_BIT64(VIRTIO_NET_F_VQ_NOTF_COAL) |
		RTE_BIT64(VIRTIO_NET_F_DEVICE_STATS) |
		RTE_BIT64(VIRTIO_NET_F_HASH_TUNNEL) |
		RTE_BIT64(VHOST_F_LOG_ALL) |
		RTE_BIT64(VHOST_USER_F_PROTOCOL_FEATURES);

	/*
	 * Every queue of both layouts uses its buffers in the order they were
	 * made available (TX and RX pop and push in ring order, the control
	 * queue one command at a time), so IN_ORDER is offered for split and
	 * packed rings alike unless in_order=0 (devargs).
	 */
	if (conf->in_order)
		f |= RTE_BIT64(VIRTIO_F_IN_ORDER);
	/* Like QEMU: multiqueue is offered only with more than one pair. */
	if (conf->max_pairs > 1)
		f |= RTE_BIT64(VIRTIO_NET_F_MQ);
	return f;
}

uint64_t
cvqsim_offered_protocol_features(void)
{
	/*
	 * SLAVE_REQ carries the config-change notification sent when the
	 * device stops on a ring violation. LOG_SHMFD: the frontend's dirty
	 * log (cvqsim_log_dirty.c marks every guest page the device writes).
	 */
	return RTE_BIT64(VHOST_USER_PROTOCOL_F_MQ) |
		RTE_BIT64(VHOST_USER_PROTOCOL_F_LOG_SHMFD) |
		RTE_BIT64(VHOST_USER_PROTOCOL_F_REPLY_ACK) |
		RTE_BIT64(VHOST_USER_PROTOCOL_F_SLAVE_REQ) |
		RTE_BIT64(VHOST_USER_PROTOCOL_F_CONFIG) |
		RTE_BIT64(VHOST_USER_PROTOCOL_F_STATUS);
}

int
cvqsim_notify_config_change(struct cvqsim_dev *dev, int vid)
{
	const uint64_t need = RTE_BIT64(VHOST_USER_PROTOCOL_F_SLAVE_REQ) |
		RTE_BIT64(VHOST_USER_PROTOCOL_F_CONFIG);
	uint64_t negotiated = 0;

	if (vid < 0 || rte_vhost_get_negotiated_protocol_features(vid,
			&negotiated) != 0 || (negotiated & need) != need) {
		CVQSIM_DEV_LOG(DEBUG, dev, "no config-change message: the"
			" frontend did not negotiate SLAVE_REQ and CONFIG");
		return -ENOTSUP;
	}
	if (rte_vhost_slave_config_change(vid, false) != 0) {
		CVQSIM_DEV_LOG(WARNING, dev, "config-change message not sent");
		return -EIO;
	}
	return 0;
}

/*
 * The binding and ASID 1 are the VMM's and stay: the next connection's
 * new_connection hook may already have set them (the vhost library accepts
 * it before it cleans the old one up).
 */
void
cvqsim_dev_forget_vmm_rings(struct cvqsim_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		dev->queues[i].vmm_set = false;
		dev->queues[i].faulted = false;
		dev->queues[i].fault_logged = false;
		dev->queues[i].faults = 0;
	}
	dev->fault_report = false;
}

int
cvqsim_vq_index_to_slot(const struct cvqsim_dev *dev, uint64_t features,
		uint16_t vq_index)
{
	uint16_t cvq = cvqsim_cvq_index(features, dev->conf.max_pairs);

	if ((features & RTE_BIT64(VIRTIO_NET_F_CTRL_VQ)) && vq_index == cvq)
		return cvqsim_cvq_slot(dev);
	if (vq_index < cvq)
		return vq_index;
	return -1;
}

void
cvqsim_dev_event(struct cvqsim_dev *dev, enum cvqsim_dev_event ev)
{
	enum cvqsim_dev_state from = dev->state, to = from;

	switch (ev) {
	case CVQSIM_DEV_BIND:
		RTE_VERIFY(from == CVQSIM_DEV_DETACHED);
		to = CVQSIM_DEV_CONNECTED;
		break;
	case CVQSIM_DEV_CONF:
	case CVQSIM_DEV_CLOSE:
		RTE_VERIFY(from != CVQSIM_DEV_DETACHED);
		to = ev == CVQSIM_DEV_CONF ? CVQSIM_DEV_CONFIGURED :
			CVQSIM_DEV_CONNECTED;
		/* A failed device stays stopped: it only changes its return. */
		if (from == CVQSIM_DEV_FAILED) {
			dev->resume_state = to;
			to = from;
		}
		break;
	case CVQSIM_DEV_FAIL:
		RTE_VERIFY(from == CVQSIM_DEV_CONNECTED ||
			from == CVQSIM_DEV_CONFIGURED);
		dev->resume_state = from;
		to = CVQSIM_DEV_FAILED;
		break;
	case CVQSIM_DEV_RECOVER:
		RTE_VERIFY(from == CVQSIM_DEV_FAILED);
		to = dev->resume_state;
		break;
	case CVQSIM_DEV_UNBIND:
		to = CVQSIM_DEV_DETACHED;
		break;
	}
	__atomic_store_n(&dev->state, to, __ATOMIC_RELAXED);
}

void
cvqsim_queue_event(struct cvqsim_queue *q, enum cvqsim_queue_event ev)
{
	enum cvqsim_queue_state from = q->state, to = from;

	switch (ev) {
	case CVQSIM_QUEUE_ENABLE:
		/* Enabled again while started: it stays started. */
		if (from == CVQSIM_QUEUE_DISABLED)
			to = CVQSIM_QUEUE_ENABLED;
		break;
	case CVQSIM_QUEUE_DISABLE:
		/* STOP first: a started queue has indices to hand back. */
		RTE_VERIFY(from != CVQSIM_QUEUE_STARTED);
		to = CVQSIM_QUEUE_DISABLED;
		break;
	case CVQSIM_QUEUE_START:
		RTE_VERIFY(from != CVQSIM_QUEUE_DISABLED);
		to = CVQSIM_QUEUE_STARTED;
		break;
	case CVQSIM_QUEUE_STOP:
		if (from == CVQSIM_QUEUE_STARTED)
			to = CVQSIM_QUEUE_ENABLED;
		break;
	case CVQSIM_QUEUE_PAUSE:
		RTE_VERIFY(from == CVQSIM_QUEUE_ENABLED);
		to = CVQSIM_QUEUE_PAUSED;
		break;
	case CVQSIM_QUEUE_RESUME:
		RTE_VERIFY(from == CVQSIM_QUEUE_PAUSED);
		to = CVQSIM_QUEUE_ENABLED;
		break;
	case CVQSIM_QUEUE_RESET:
		to = CVQSIM_QUEUE_DISABLED;
		break;
	}
	q->state = to;
}

const char *
cvqsim_dev_state_name(enum cvqsim_dev_state state)
{
	static const char * const names[CVQSIM_DEV_STATES] = {
		[CVQSIM_DEV_DETACHED] = "detached",
		[CVQSIM_DEV_CONNECTED] = "connected",
		[CVQSIM_DEV_CONFIGURED] = "configured",
		[CVQSIM_DEV_FAILED] = "failed",
	};

	return (unsigned int)state < CVQSIM_DEV_STATES ? names[state] : "?";
}
