/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef RTE_PMD_CVQSIM_H
#define RTE_PMD_CVQSIM_H

/**
 * @file
 * cvqsim: a software virtio-net vDPA device with a device-side control
 * virtqueue.
 *
 * Devices are named by their vDPA handle, as returned by
 * rte_vdpa_find_device_by_name("vdpa_cvqsim0").
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_compat.h>
#include <rte_vdpa.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Virtqueue group of every receive and transmit queue. */
#define RTE_PMD_CVQSIM_GROUP_DATA	0
/** Virtqueue group of the control queue. */
#define RTE_PMD_CVQSIM_GROUP_CVQ	1

/**
 * Whether a vDPA device is a cvqsim device.
 *
 * @return 1 if it is, 0 if not.
 */
__rte_experimental
int rte_pmd_cvqsim_is_cvqsim(struct rte_vdpa_device *dev);

/**
 * Number of virtqueue groups of the device (2: data queues, control queue).
 *
 * @return the count, or -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_num_groups(struct rte_vdpa_device *dev);

/**
 * Number of address spaces (ASIDs) of the device.
 *
 * @return the count, or -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_num_as(struct rte_vdpa_device *dev);

/**
 * Virtqueue group of a virtqueue.
 *
 * The control queue is the last virtqueue: index 2 * max_queue_pairs when
 * VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS is negotiated, 2 otherwise. Before
 * features are negotiated the offered features decide.
 *
 * @return the group, or -EINVAL (not cvqsim, index out of range).
 */
__rte_experimental
int rte_pmd_cvqsim_vq_group(struct rte_vdpa_device *dev, uint16_t vq_index);

/**
 * Address space a virtqueue group is bound to.
 *
 * @return the ASID, or -EINVAL (not cvqsim, bad group).
 */
__rte_experimental
int rte_pmd_cvqsim_group_asid(struct rte_vdpa_device *dev, uint32_t group);

/**
 * Virtio device status bits the device sets by itself: VIRTIO_CONFIG_S_NEEDS_RESET
 * (0x40) from the moment it stopped because the frontend broke a ring, until
 * the frontend sets every enabled queue up again.
 *
 * @return the bits (>= 0), or -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_device_status(struct rte_vdpa_device *dev);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_CVQSIM_H */
