/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_IOTLB_H
#define CVQSIM_IOTLB_H

/*
 * The VM case inside the driver (cvqsim_iotlb.c): queues of a group bound
 * to an ASID other than 0 run on the ring the VMM gave, and a fault there
 * stops that queue only. The public calls are in rte_pmd_cvqsim.h.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cvqsim_dev.h"

/*
 * queue_start of a queue whose group is not on ASID 0 (ctl_lock held):
 * serve the VMM's ring, or wait for it (0) when none was given.
 */
int cvqsim_iotlb_queue_start(struct cvqsim_dev *dev, uint16_t vq_index, int slot);

/* Whether a violation of q stops q alone (its group is not on ASID 0). */
static inline bool
cvqsim_iotlb_queue_isolated(const struct cvqsim_dev *dev,
		const struct cvqsim_queue *q)
{
	return dev->as_set.group_asid[q->vq.group] != 0;
}

/*
 * Stop q after a fault and count it (poll_lock held, the poller's side);
 * the poller logs it once its pass is over (dev->fault_report).
 */
static inline void
cvqsim_iotlb_fault(struct cvqsim_dev *dev, struct cvqsim_queue *q)
{
	q->faulted = true;
	q->faults++;
	cvqsim_vq_teardown(&q->vq);
	dev->fault_report = true;
}

/* End of a connection: the VMM's rings and the faults forgotten. */
void cvqsim_iotlb_connection_end(struct cvqsim_dev *dev);

#endif /* CVQSIM_IOTLB_H */
