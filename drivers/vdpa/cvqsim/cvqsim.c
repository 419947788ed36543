/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The vdev driver: probe and remove. The devargs parser is in
 * cvqsim_devargs.c, the device and the device list in cvqsim_dev.c.
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

#include "cvqsim_dev.h"
#include "cvqsim_devargs.h"
#include "cvqsim_log.h"
#include "cvqsim_ops.h"
#include "cvqsim_poller.h"
#include "cvqsim_port.h"
#include "cvqsim_port_ctrl.h"
#ifndef CVQSIM_HAVE_DRIVER_SDK
#include "cvqsim_selftest.h"
#endif

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
	dev = cvqsim_dev_alloc(name, index, &conf);
	if (dev == NULL) {
		CVQSIM_LOG(ERR, "%s: probe failed: out of memory", name);
		return -ENOMEM;
	}
	dev->vdev = vdev;

	cvqsim_dev_list_add(dev);

	dev_type_calls = cvqsim_ops_dev_type_calls();
	vdpa = rte_vdpa_register_device(&vdev->device, &cvqsim_vdpa_ops);
	if (vdpa == NULL) {
		CVQSIM_LOG(ERR, "%s: probe failed: rte_vdpa_register_device refused"
			" the device", name);
		ret = -EIO;
		goto fail_list;
	}
	cvqsim_dev_set_vdpa(dev, vdpa);

#ifndef CVQSIM_HAVE_DRIVER_SDK
	ret = cvqsim_selftest(dev, dev_type_calls);
	if (ret < 0) {
		CVQSIM_LOG(ERR, "%s: probe failed: the vhost library does not reach"
			" the driver ops as declared (cvqsim_sdk.h layouts do not match"
			" this DPDK)", name);
		goto fail_vdpa;
	}
#else
	RTE_SET_USED(dev_type_calls);
#endif
	if (conf.port[0] != '\0') {
		ret = cvqsim_port_attach(dev, conf.port);
		if (ret < 0) {
			CVQSIM_LOG(ERR, "%s: probe failed: port=%s: %s", name,
				conf.port, strerror(-ret));
			goto fail_vdpa;
		}
		/* The decoder applies commands to the model and the port. */
		cvqsim_ctrl_init(&dev->ctrl, &cvqsim_port_ctrl_ops,
			cvqsim_port_ctrl_of(dev));
	}
	ret = cvqsim_poller_start(dev);
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
	cvqsim_port_detach(dev);
	rte_vdpa_unregister_device(vdpa);
fail_list:
	cvqsim_dev_list_remove(dev);
	cvqsim_dev_free(dev);
	return ret;
}

static int
cvqsim_remove(struct rte_vdev_device *vdev)
{
	struct cvqsim_dev *found = cvqsim_dev_from_vdev(vdev);

	if (found == NULL)
		return -ENODEV;
	cvqsim_poller_stop(found);
	cvqsim_port_detach(found);
	if (rte_vdpa_unregister_device(found->vdpa) != 0)
		CVQSIM_LOG(WARNING, "%s: rte_vdpa_unregister_device failed",
			found->name);
	cvqsim_dev_list_remove(found);
	CVQSIM_LOG(NOTICE, "%s: removed", found->name);
	cvqsim_dev_free(found);
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
	"cpu=<int> "
	"port=<ethdev> "
	"in_order=<0|1>");
