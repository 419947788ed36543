/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* The driver-side virtqueue's faults by name, its error message, and a
 * chain fault applied the same way in both layouts. */

#include <stdio.h>
#include <strings.h>

#include "drv_vq_base.h"

static const char *const fault_names[DRV_VQ_FAULT_MAX] = {
	[DRV_VQ_FAULT_NONE] = "none",
	[DRV_VQ_FAULT_HEAD_OUT_OF_RANGE] = "head-out-of-range",
	[DRV_VQ_FAULT_DESC_LOOP] = "desc-loop",
	[DRV_VQ_FAULT_NEXT_OUT_OF_RANGE] = "next-out-of-range",
	[DRV_VQ_FAULT_LEN_ZERO] = "len-zero",
	[DRV_VQ_FAULT_LEN_4G] = "len-4g",
	[DRV_VQ_FAULT_ADDR_UNMAPPED] = "addr-unmapped",
	[DRV_VQ_FAULT_ADDR_WRAP] = "addr-wrap",
	[DRV_VQ_FAULT_NESTED_INDIRECT] = "nested-indirect",
	[DRV_VQ_FAULT_INDIRECT_LEN_ODD] = "indirect-len-odd",
	[DRV_VQ_FAULT_READ_AFTER_WRITE] = "read-after-write",
	[DRV_VQ_FAULT_AVAIL_IDX_JUMP] = "avail-idx-jump",
	[DRV_VQ_FAULT_WRAP_LIE] = "wrap-lie",
	[DRV_VQ_FAULT_ID_IN_FLIGHT] = "id-in-flight",
	[DRV_VQ_FAULT_INDIRECT_IN_CHAIN] = "indirect-in-chain",
	[DRV_VQ_FAULT_AVAIL_FLIP] = "avail-flip",
};

const char *
drv_vq_fault_name(enum drv_vq_fault f)
{
	if ((unsigned int)f >= DRV_VQ_FAULT_MAX)
		return "?";
	return fault_names[f];
}

enum drv_vq_fault
drv_vq_fault_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < DRV_VQ_FAULT_MAX; i++)
		if (strcasecmp(name, fault_names[i]) == 0)
			return (enum drv_vq_fault)i;
	return DRV_VQ_FAULT_MAX;
}

void
drv_vq_err(struct drv_vq *vq, const char *msg, unsigned long a, unsigned long b)
{
	snprintf(vq->err, sizeof(vq->err), "vq %u: %s (%lu, %lu)", vq->index,
		msg, a, b);
}

/* Apply a chain fault to the first descriptor of a chain or table. */
void
drv_vq_fault_first(const struct drv_vq *vq, uint64_t *addr, uint32_t *len,
		enum drv_vq_fault f)
{
	switch (f) {
	case DRV_VQ_FAULT_LEN_ZERO:
		*len = 0;
		break;
	case DRV_VQ_FAULT_LEN_4G:
		*len = UINT32_MAX;
		break;
	case DRV_VQ_FAULT_ADDR_UNMAPPED:
		/* 1 GiB past the end of guest memory: in no region. */
		*addr = vq->mem->gpa + vq->mem->size + (1ULL << 30);
		break;
	case DRV_VQ_FAULT_ADDR_WRAP:
		*addr = UINT64_MAX - 15;
		if (*len < 32)
			*len = 32;
		break;
	default:
		break;
	}
}
