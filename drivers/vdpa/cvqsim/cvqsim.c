/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The vdev driver: probe and remove, the list of devices. The devargs
 * parser is in cvqsim_devargs.c.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_devargs.h>
#include <rte_malloc.h>

#include "cvqsim_dev.h"
#include "cvqsim_devargs.h"
#include "cvqsim_log.h"

RTE_LOG_REGISTER(cvqsim_logtype, pmd.vdpa.cvqsim, NOTICE);

static TAILQ_HEAD(, cvqsim_dev) cvqsim_devs = TAILQ_HEAD_INITIALIZER(cvqsim_devs);
static pthread_mutex_t cvqsim_devs_lock = PTHREAD_MUTEX_INITIALIZER;

struct cvqsim_dev *
cvqsim_dev_from_vdpa(const struct rte_vdpa_device *vdpa)
{
	struct cvqsim_dev *dev, *found = NULL;

	if (vdpa == NULL)
		return NULL;
	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_FOREACH(dev, &cvqsim_devs, next) {
		if (dev->vdpa == vdpa) {
			found = dev;
			break;
		}
	}
	pthread_mutex_unlock(&cvqsim_devs_lock);
	return found;
}

struct cvqsim_dev *
cvqsim_dev_from_name(const char *name)
{
	struct cvqsim_dev *dev, *found = NULL;

	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_FOREACH(dev, &cvqsim_devs, next) {
		if (strcmp(dev->name, name) == 0) {
			found = dev;
			break;
		}
	}
	pthread_mutex_unlock(&cvqsim_devs_lock);
	return found;
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

const char *
cvqsim_poll_mode_name(enum cvqsim_poll_mode mode)
{
	switch (mode) {
	case CVQSIM_POLL_THREAD:
		return "thread";
	case CVQSIM_POLL_SERVICE:
		return "service";
	case CVQSIM_POLL_ADAPTIVE:
		return "adaptive";
	}
	return "?";
}

struct cvqsim_dev *
cvqsim_dev_from_vid(int vid)
{
	return cvqsim_dev_from_vdpa(rte_vhost_get_vdpa_device(vid));
}

/* The numeric suffix of the device name ("vdpa_cvqsim3" -> 3), else 0. */
static unsigned int
name_index(const char *name)
{
	size_t len = strlen(name), i = len;

	while (i > 0 && isdigit((unsigned char)name[i - 1]))
		i--;
	if (i == len || len - i > 5)
		return 0;
	return (unsigned int)strtoul(&name[i], NULL, 10) & 0xffff;
}

static void
dev_free(struct cvqsim_dev *dev)
{
	if (dev == NULL)
		return;
	cvqsim_as_set_fini(&dev->as_set);
	free(dev->mem);
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

static struct cvqsim_dev *
dev_alloc(const char *name, unsigned int index,
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
	dev->features = cvqsim_offered_features(conf);
	dev->protocol_features = cvqsim_offered_protocol_features();

	if (dev_init_net(dev) < 0) {
		dev_free(dev);
		return NULL;
	}

	dev->nr_queues = (uint16_t)(2 * conf->max_pairs + 1);
	dev->queues = rte_zmalloc("cvqsim_queues",
		sizeof(*dev->queues) * dev->nr_queues, 0);
	dev->scratch = rte_zmalloc("cvqsim_scratch", sizeof(*dev->scratch), 0);
	if (dev->queues == NULL || dev->scratch == NULL) {
		dev_free(dev);
		return NULL;
	}
	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_vq_init(&dev->queues[i].vq, i,
			i == cvqsim_cvq_slot(dev) ? CVQSIM_GROUP_CVQ :
			CVQSIM_GROUP_DATA);
	return dev;
}

static void
list_remove(struct cvqsim_dev *dev)
{
	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_REMOVE(&cvqsim_devs, dev, next);
	pthread_mutex_unlock(&cvqsim_devs_lock);
}

static int
cvqsim_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	const struct rte_devargs *da = rte_dev_devargs(&vdev->device);
	struct rte_vdpa_device *vdpa;
	struct cvqsim_devargs conf;
	struct cvqsim_dev *dev;
	unsigned int index = name_index(name);
	char mac[RTE_ETHER_ADDR_FMT_SIZE];
	char cpu[32] = "";
	uint64_t dev_type_calls;
	int ret;

	ret = cvqsim_devargs_parse(name, da != NULL ? da->args : NULL, index,
		&conf);
	if (ret < 0) {
		CVQSIM_LOG(ERR, "%s: probe failed: invalid devargs", name);
		return ret;
	}
	dev = dev_alloc(name, index, &conf);
	if (dev == NULL) {
		CVQSIM_LOG(ERR, "%s: probe failed: out of memory", name);
		return -ENOMEM;
	}
	dev->vdev = vdev;

	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_INSERT_TAIL(&cvqsim_devs, dev, next);
	pthread_mutex_unlock(&cvqsim_devs_lock);

	dev_type_calls = cvqsim_ops_dev_type_calls();
	vdpa = rte_vdpa_register_device(&vdev->device, &cvqsim_vdpa_ops);
	if (vdpa == NULL) {
		CVQSIM_LOG(ERR, "%s: probe failed: rte_vdpa_register_device refused"
			" the device", name);
		ret = -EIO;
		goto fail_list;
	}
	pthread_mutex_lock(&cvqsim_devs_lock);
	dev->vdpa = vdpa;
	pthread_mutex_unlock(&cvqsim_devs_lock);

	ret = cvqsim_ops_selftest(dev, dev_type_calls);
	if (ret < 0) {
		CVQSIM_LOG(ERR, "%s: probe failed: the vhost library does not reach"
			" the driver ops as declared (cvqsim_sdk.h layouts do not match"
			" this DPDK)", name);
		goto fail_vdpa;
	}
	ret = cvqsim_dp_start(dev);
	if (ret < 0) {
		CVQSIM_LOG(ERR, "%s: probe failed: cannot start the poller: %s",
			name, strerror(-ret));
		goto fail_vdpa;
	}

	rte_ether_format_addr(mac, sizeof(mac), &conf.mac);
	if (conf.cpu >= 0)
		snprintf(cpu, sizeof(cpu), " on cpu %d", conf.cpu);
	CVQSIM_LOG(NOTICE, "%s: probed: %u queue pairs, mac %s, mtu %u,"
		" mac_table %u, poll %s%s, features 0x%" PRIx64,
		name, conf.max_pairs, mac, conf.mtu, conf.mac_table,
		cvqsim_poll_mode_name(conf.poll), cpu, dev->features);
	return 0;

fail_vdpa:
	rte_vdpa_unregister_device(vdpa);
fail_list:
	list_remove(dev);
	dev_free(dev);
	return ret;
}

static int
cvqsim_remove(struct rte_vdev_device *vdev)
{
	struct cvqsim_dev *dev, *found = NULL;

	pthread_mutex_lock(&cvqsim_devs_lock);
	TAILQ_FOREACH(dev, &cvqsim_devs, next) {
		if (dev->vdev == vdev) {
			found = dev;
			break;
		}
	}
	pthread_mutex_unlock(&cvqsim_devs_lock);
	if (found == NULL)
		return -ENODEV;

	cvqsim_dp_stop(found);
	if (rte_vdpa_unregister_device(found->vdpa) != 0)
		CVQSIM_LOG(WARNING, "%s: rte_vdpa_unregister_device failed",
			found->name);
	list_remove(found);
	CVQSIM_LOG(NOTICE, "%s: removed", found->name);
	dev_free(found);
	return 0;
}

static struct rte_vdev_driver cvqsim_vdev_driver = {
	.probe = cvqsim_probe,
	.remove = cvqsim_remove,
};

RTE_PMD_REGISTER_VDEV(vdpa_cvqsim, cvqsim_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(vdpa_cvqsim,
	"queues=<1-127> "
	"mac=<xx:xx:xx:xx:xx:xx> "
	"mtu=<68-9000> "
	"mac_table=<1-4096> "
	"poll=<thread|service|adaptive> "
	"cpu=<int>");
