/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The frontend's rings: carved out of guest memory with their buffers
 * (the control slots by fe_ctrl.c, the data buffers by fe_traffic.c), and
 * told to the backend (SET_MEM_TABLE, each vring's NUM, BASE, ADDR, CALL,
 * KICK, ENABLE).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fe_ctrl.h"
#include "fe_rings.h"
#include "fe_traffic.h"
#include "fe_vu.h"

static uint64_t
mem_needed(const struct fe_dev *dev)
{
	uint64_t ring = 4096ULL * 3 + 16ULL * dev->ring_size +
		8ULL * dev->ring_size + 4096;
	uint64_t per_pair = 2 * ring +
		(uint64_t)dev->ring_size * (dev->rx_buf_len + dev->tx_slot_len + 64);
	uint64_t ctrl = 4096ULL * 3 + 32ULL * dev->ctrl_ring_size +
		(uint64_t)dev->ctrl_ring_size * DRV_VQ_INDIRECT_MAX * 16 +
		(uint64_t)dev->ctrl_ring_size *
		(2 + FE_CTRL_MAX_DATA + 1 + FE_CTRL_MAX_RESULT + 128);

	return per_pair * dev->nr_pairs + ctrl + (1ULL << 20);
}

void
fe_rings_free(struct fe_dev *dev)
{
	uint16_t i;

	fe_traffic_free(dev);
	if (dev->pairs != NULL) {
		for (i = 0; i < dev->nr_pairs; i++) {
			drv_vq_free(&dev->pairs[i].rx);
			drv_vq_free(&dev->pairs[i].tx);
		}
		free(dev->pairs);
		dev->pairs = NULL;
	}
	drv_vq_free(&dev->cvq);
	free(dev->cslots);
	dev->cslots = NULL;
	free(dev->bases);
	free(dev->have_base);
	dev->bases = NULL;
	dev->have_base = NULL;
	dev->ctrl_in_flight = 0;
	dev->rings_built = false;
}

/* Carve guest memory into fresh rings and buffers. */
int
fe_rings_build(struct fe_dev *dev)
{
	uint32_t flags = 0, cflags;
	uint64_t need = dev->cfg.mem_size ? dev->cfg.mem_size : mem_needed(dev);
	uint16_t i;
	int ret;

	fe_rings_free(dev);
	if (dev->mem.va == NULL || dev->mem.size < need) {
		drv_mem_free(&dev->mem);
		ret = drv_mem_init(&dev->mem, need, dev->cfg.gpa_base);
		if (ret < 0)
			return fe_err(dev, ret, "guest memory of %" PRIu64
				" bytes: %s", need, strerror(-ret));
	}
	dev->mem.used = 0;
	if (dev->features & FE_BIT(29))
		flags |= DRV_VQ_F_EVENT_IDX;
	if (dev->features & FE_BIT(FE_F_RING_PACKED))
		flags |= DRV_VQ_F_PACKED;
	cflags = flags;
	/* Only the CVQ gets indirect tables: the data path never uses them
	 * and they cost DRV_VQ_INDIRECT_MAX descriptors per ring entry.
	 */
	if (dev->features & FE_BIT(28))
		cflags |= DRV_VQ_F_INDIRECT;

	dev->pairs = calloc(dev->nr_pairs ? dev->nr_pairs : 1,
		sizeof(*dev->pairs));
	dev->bases = calloc(dev->nr_vrings, sizeof(*dev->bases));
	dev->have_base = calloc(dev->nr_vrings, sizeof(*dev->have_base));
	if (dev->pairs == NULL || dev->bases == NULL || dev->have_base == NULL)
		goto nomem;
	for (i = 0; i < dev->nr_pairs; i++) {
		ret = drv_vq_init(&dev->pairs[i].rx, &dev->mem, 2 * i,
			dev->ring_size, flags);
		if (ret == 0)
			ret = drv_vq_init(&dev->pairs[i].tx, &dev->mem, 2 * i + 1,
				dev->ring_size, flags);
		if (ret < 0)
			goto fail;
	}
	if (dev->ctrl_idx >= 0) {
		ret = drv_vq_init(&dev->cvq, &dev->mem, (uint16_t)dev->ctrl_idx,
			dev->ctrl_ring_size, cflags);
		if (ret < 0)
			goto fail;
		ret = fe_ctrl_setup(dev);
		if (ret < 0)
			goto fail;
	}
	ret = fe_traffic_setup(dev);
	if (ret < 0)
		goto fail;
	dev->rings_built = true;
	return 0;
nomem:
	ret = -ENOMEM;
fail:
	fe_rings_free(dev);
	return fe_err(dev, ret, "building rings: %s", strerror(-ret));
}

/* Every created driver-side queue, by vring index. */
struct drv_vq *
fe_dev_vq(struct fe_dev *dev, uint16_t vring)
{
	if (!dev->rings_built)
		return NULL;
	if (dev->ctrl_idx >= 0 && vring == dev->ctrl_idx)
		return &dev->cvq;
	if (vring >= 2 * dev->nr_pairs)
		return NULL;
	return vring & 1 ? &dev->pairs[vring / 2].tx : &dev->pairs[vring / 2].rx;
}

int
fe_rings_send_mem_table(struct fe_dev *dev)
{
	struct {
		uint32_t nregions, padding;
		struct vu_mem_region region;
	} __attribute__((packed)) m = {
		.nregions = 1,
		.region = {
			.gpa = dev->mem.gpa,
			.size = dev->mem.size,
			.uaddr = (uint64_t)(uintptr_t)dev->mem.va,
			.mmap_offset = 0,
		},
	};

	return fe_vu_set(dev, VU_SET_MEM_TABLE, &m, sizeof(m), &dev->mem.fd, 1);
}

int
fe_rings_send_vring(struct fe_dev *dev, struct drv_vq *vq, uint16_t base)
{
	struct { uint32_t index, num; } st = { vq->index, vq->size };
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} __attribute__((packed)) addr = {
		.index = vq->index,
		/* Ring addresses are in the frontend's address space. */
		.desc = (uint64_t)(uintptr_t)vq->desc,
		.used = (uint64_t)(uintptr_t)vq->used,
		.avail = (uint64_t)(uintptr_t)vq->avail,
	};
	uint64_t idx = vq->index;
	int ret;

	ret = fe_vu_set(dev, VU_SET_VRING_NUM, &st, sizeof(st), NULL, 0);
	if (ret < 0)
		return ret;
	st.num = base;
	ret = fe_vu_set(dev, VU_SET_VRING_BASE, &st, sizeof(st), NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_vu_set(dev, VU_SET_VRING_ADDR, &addr, sizeof(addr), NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_vu_set(dev, VU_SET_VRING_CALL, &idx, sizeof(idx), &vq->callfd, 1);
	if (ret < 0)
		return ret;
	return fe_vu_set(dev, VU_SET_VRING_KICK, &idx, sizeof(idx), &vq->kickfd, 1);
}

int
fe_vring_enable(struct fe_dev *dev, uint16_t vring, bool on)
{
	struct { uint32_t index, num; } st = { vring, on ? 1 : 0 };

	if (dev->sock < 0)
		return fe_err(dev, -ENOTCONN, "not connected");
	if (!(dev->features & FE_BIT(FE_F_PROTOCOL_FEATURES)))
		return fe_err(dev, -ENOTSUP,
			"SET_VRING_ENABLE needs PROTOCOL_FEATURES");
	return fe_vu_set(dev, VU_SET_VRING_ENABLE, &st, sizeof(st), NULL, 0);
}
