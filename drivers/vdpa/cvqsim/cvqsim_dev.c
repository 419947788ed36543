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

#include <rte_common.h>
#include <rte_malloc.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"

#define BIT64(n) (UINT64_C(1) << (n))

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
	cvqsim_ctrl_init(cvqsim_dev_ctrl(dev), &cvqsim_net_ctrl_ops, &dev->net);
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
	uint64_t f = BIT64(VIRTIO_F_VERSION_1) |
		BIT64(VIRTIO_F_ANY_LAYOUT) |
		BIT64(VIRTIO_RING_F_INDIRECT_DESC) |
		BIT64(VIRTIO_RING_F_EVENT_IDX) |
		BIT64(VIRTIO_F_RING_PACKED) |
		BIT64(VIRTIO_NET_F_CSUM) |
		BIT64(VIRTIO_NET_F_GUEST_CSUM) |
		BIT64(VIRTIO_NET_F_MRG_RXBUF) |
		BIT64(VIRTIO_NET_F_MAC) |
		BIT64(VIRTIO_NET_F_MTU) |
		BIT64(VIRTIO_NET_F_STATUS) |
		BIT64(VIRTIO_NET_F_CTRL_VQ) |
		BIT64(VIRTIO_NET_F_CTRL_RX) |
		BIT64(VIRTIO_NET_F_CTRL_RX_EXTRA) |
		BIT64(VIRTIO_NET_F_CTRL_VLAN) |
		BIT64(VIRTIO_NET_F_GUEST_ANNOUNCE) |
		BIT64(VIRTIO_NET_F_CTRL_MAC_ADDR) |
		BIT64(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |
		BIT64(VIRTIO_NET_F_RSS) |
		BIT64(VIRTIO_NET_F_HASH_REPORT) |
		BIT64(VIRTIO_NET_F_NOTF_COAL) |
		BIT64(VIRTIO_NET_F_VQ_NOTF_COAL) |
		BIT64(VIRTIO_NET_F_DEVICE_STATS) |
		BIT64(VIRTIO_NET_F_HASH_TUNNEL) |
		BIT64(VHOST_F_LOG_ALL) |
		BIT64(VHOST_USER_F_PROTOCOL_FEATURES);

	/* Like QEMU: multiqueue is offered only with more than one pair. */
	if (conf->max_pairs > 1)
		f |= BIT64(VIRTIO_NET_F_MQ);
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
	return BIT64(VHOST_USER_PROTOCOL_F_MQ) |
		BIT64(VHOST_USER_PROTOCOL_F_LOG_SHMFD) |
		BIT64(VHOST_USER_PROTOCOL_F_REPLY_ACK) |
		BIT64(VHOST_USER_PROTOCOL_F_SLAVE_REQ) |
		BIT64(VHOST_USER_PROTOCOL_F_CONFIG) |
		BIT64(VHOST_USER_PROTOCOL_F_STATUS);
}

int
cvqsim_notify_config_change(struct cvqsim_dev *dev, int vid)
{
	const uint64_t need = BIT64(VHOST_USER_PROTOCOL_F_SLAVE_REQ) |
		BIT64(VHOST_USER_PROTOCOL_F_CONFIG);
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

uint16_t
cvqsim_cvq_index(const struct cvqsim_dev *dev, uint64_t features)
{
	if (features & (BIT64(VIRTIO_NET_F_MQ) | BIT64(VIRTIO_NET_F_RSS)))
		return (uint16_t)(2 * dev->conf.max_pairs);
	return 2;
}

int
cvqsim_vring_to_slot(const struct cvqsim_dev *dev, uint64_t features,
		uint16_t vring)
{
	uint16_t cvq = cvqsim_cvq_index(dev, features);

	if ((features & BIT64(VIRTIO_NET_F_CTRL_VQ)) && vring == cvq)
		return cvqsim_cvq_slot(dev);
	if (vring < cvq)
		return vring;
	return -1;
}
