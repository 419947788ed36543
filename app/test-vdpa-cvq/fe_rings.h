/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_RINGS_H
#define FE_RINGS_H

/* The frontend's rings in guest memory and their setup on the backend
 * (fe_rings.c). */

#include <stdbool.h>
#include <stdint.h>

#include "drv_vq.h"
#include "fe_dev.h"

/* Carve guest memory into fresh rings and buffers (frees the old ones). */
int fe_rings_build(struct fe_dev *dev);
/* Free the rings and buffers; guest memory stays. */
void fe_rings_free(struct fe_dev *dev);
/* SET_MEM_TABLE: guest memory as one region. */
int fe_rings_send_mem_table(struct fe_dev *dev);
/* A vring's NUM, BASE (base), ADDR, CALL and KICK. */
int fe_rings_send_vring(struct fe_dev *dev, struct drv_vq *vq, uint16_t base);

/** The driver-side queue of vring @p vring (fault injection), or NULL. */
struct drv_vq *fe_dev_vq(struct fe_dev *dev, uint16_t vring);
/** SET_VRING_ENABLE on one vring (as QEMU does on queue changes). */
int fe_vring_enable(struct fe_dev *dev, uint16_t vring, bool on);

#endif /* FE_RINGS_H */
