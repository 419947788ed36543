/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_SDK_H
#define CVQSIM_SDK_H

/*
 * The driver-side DPDK interfaces cvqsim needs: the vdev bus driver and
 * device, and the vDPA device ops.
 *
 * When the installed DPDK ships its driver SDK headers (vdpa_driver.h,
 * bus_vdev_driver.h) they are used as they are. Debian's DPDK 22.11 does not
 * ship them although its libraries export the symbols, so in that case this
 * file declares them itself, written from the documented 22.11 (ABI 23)
 * layouts. meson.build refuses to use these declarations with any other
 * DPDK ABI, and cvqsim_ops.c checks at probe time, through the public vDPA
 * API, that the vhost library reaches our ops through this layout.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_dev.h>
#include <rte_vdpa.h>
#include <rte_vhost.h>

#ifdef CVQSIM_HAVE_DRIVER_SDK

#include <bus_vdev_driver.h>
#include <vdpa_driver.h>

#else /* !CVQSIM_HAVE_DRIVER_SDK: DPDK 22.11 layouts */

struct rte_devargs;

/* lib/eal/include/dev_driver.h */
struct rte_driver {
	TAILQ_ENTRY(rte_driver) next;
	const char *name;
	const char *alias;
};

struct rte_device {
	TAILQ_ENTRY(rte_device) next;
	const char *name;
	const char *bus_info;
	const struct rte_driver *driver;
	const struct rte_bus *bus;
	int numa_node;
	struct rte_devargs *devargs;
};

/* drivers/bus/vdev/bus_vdev_driver.h */
struct rte_vdev_device {
	TAILQ_ENTRY(rte_vdev_device) next;
	struct rte_device device;
};

#define RTE_DEV_TO_VDEV(ptr) \
	container_of(ptr, struct rte_vdev_device, device)

typedef int (rte_vdev_probe_t)(struct rte_vdev_device *dev);
typedef int (rte_vdev_remove_t)(struct rte_vdev_device *dev);
typedef int (rte_vdev_dma_map_t)(struct rte_vdev_device *dev, void *addr,
		uint64_t iova, size_t len);
typedef int (rte_vdev_dma_unmap_t)(struct rte_vdev_device *dev, void *addr,
		uint64_t iova, size_t len);

struct rte_vdev_driver {
	TAILQ_ENTRY(rte_vdev_driver) next;
	struct rte_driver driver;
	rte_vdev_probe_t *probe;
	rte_vdev_remove_t *remove;
	rte_vdev_dma_map_t *dma_map;
	rte_vdev_dma_unmap_t *dma_unmap;
	uint32_t drv_flags;
};

#define RTE_VDEV_DRV_NEED_IOVA_AS_VA 0x0001

void rte_vdev_register(struct rte_vdev_driver *driver);
void rte_vdev_unregister(struct rte_vdev_driver *driver);

static inline const char *
rte_vdev_device_name(const struct rte_vdev_device *dev)
{
	return dev->device.name;
}

#define RTE_PMD_REGISTER_VDEV(nm, vdrv) \
static const char *vdrvinit_ ## nm ## _alias; \
RTE_INIT(vdrvinitfn_ ## vdrv) \
{ \
	(vdrv).driver.name = RTE_STR(nm); \
	(vdrv).driver.alias = vdrvinit_ ## nm ## _alias; \
	rte_vdev_register(&vdrv); \
} \
RTE_PMD_EXPORT_NAME(nm, __COUNTER__)

#define RTE_PMD_REGISTER_ALIAS(nm, alias) \
static const char *vdrvinit_ ## nm ## _alias = RTE_STR(alias)

/* lib/vhost/vdpa_driver.h */
#define RTE_VHOST_QUEUE_ALL UINT16_MAX

struct rte_vdpa_dev_ops {
	int (*get_queue_num)(struct rte_vdpa_device *dev, uint32_t *queue_num);
	int (*get_features)(struct rte_vdpa_device *dev, uint64_t *features);
	int (*get_protocol_features)(struct rte_vdpa_device *dev,
			uint64_t *protocol_features);
	int (*dev_conf)(int vid);
	int (*dev_close)(int vid);
	int (*dev_cleanup)(int vid);
	int (*set_vring_state)(int vid, int vring, int state);
	int (*set_features)(int vid);
	int (*migration_done)(int vid);
	int (*get_vfio_group_fd)(int vid);
	int (*get_vfio_device_fd)(int vid);
	int (*get_notify_area)(int vid, int qid, uint64_t *offset,
			uint64_t *size);
	int (*get_stats_names)(struct rte_vdpa_device *dev,
			struct rte_vdpa_stat_name *stats_names,
			unsigned int size);
	int (*get_stats)(struct rte_vdpa_device *dev, int qid,
			struct rte_vdpa_stat *stats, unsigned int n);
	int (*reset_stats)(struct rte_vdpa_device *dev, int qid);
	int (*get_config)(int vid, uint8_t *config, uint32_t size);
	int (*set_config)(int vid, uint8_t *config, uint32_t offset,
			uint32_t size, uint32_t flags);
	int (*get_dev_type)(struct rte_vdpa_device *dev, uint32_t *type);
};

struct rte_vdpa_device {
	TAILQ_ENTRY(rte_vdpa_device) next;
	struct rte_device *device;
	struct rte_vdpa_dev_ops *ops;
	uint32_t type;
};

struct rte_vdpa_device *rte_vdpa_register_device(struct rte_device *rte_dev,
		struct rte_vdpa_dev_ops *ops);
int rte_vdpa_unregister_device(struct rte_vdpa_device *dev);
int rte_vhost_host_notifier_ctrl(int vid, uint16_t qid, bool enable);

/* The documented 22.11 sizes; a mismatch means the layouts above are wrong. */
_Static_assert(sizeof(struct rte_driver) == 32, "rte_driver layout");
_Static_assert(sizeof(struct rte_device) == 64, "rte_device layout");
_Static_assert(sizeof(struct rte_vdev_device) == 80, "rte_vdev_device layout");
_Static_assert(sizeof(struct rte_vdev_driver) == 88, "rte_vdev_driver layout");
_Static_assert(sizeof(struct rte_vdpa_dev_ops) == 144, "rte_vdpa_dev_ops layout");
_Static_assert(sizeof(struct rte_vdpa_device) == 40, "rte_vdpa_device layout");

#endif /* CVQSIM_HAVE_DRIVER_SDK */

#endif /* CVQSIM_SDK_H */
