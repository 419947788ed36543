/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_LIFECYCLE_H
#define CVQSIM_LIFECYCLE_H

/*
 * What a vhost-user connection does to a device, from the vDPA ops and the
 * vhost-user message hooks. Every function but cvqsim_lifecycle_lock()
 * runs with ctl_lock held.
 */

#include <stdbool.h>
#include <stdint.h>

struct cvqsim_dev;

/*
 * The device serving vid, with ctl_lock held, binding vid when no
 * connection is bound (*bound_now, if not NULL, tells): a new connection is
 * a new device instance (model and counters reset). A second connection on
 * the same socket is refused (NULL): the device has one set of queues.
 */
struct cvqsim_dev *cvqsim_lifecycle_lock(int vid, const char *op,
		bool *bound_now);
/* Read the negotiated features (and whether STATUS is in use). */
void cvqsim_lifecycle_refresh_features(struct cvqsim_dev *dev);
/*
 * Whether the poller serves the control queue: after DRIVER_OK when the
 * frontend uses the STATUS protocol feature, else once its vring is enabled.
 */
void cvqsim_lifecycle_cvq_gate(struct cvqsim_dev *dev);
/* Build AS 0 from the memory table when it changed. */
int cvqsim_lifecycle_sync_as(struct cvqsim_dev *dev);
/* Serve vq_index in dev->queues[slot]; stop serving it (indices handed back). */
int cvqsim_lifecycle_queue_start(struct cvqsim_dev *dev, uint16_t vq_index,
		int slot);
void cvqsim_lifecycle_queue_stop(struct cvqsim_dev *dev, int slot);
/* The driver status byte of SET_STATUS (0: device reset). */
void cvqsim_lifecycle_set_status(struct cvqsim_dev *dev, uint64_t status);
/*
 * Around SET_MEM_TABLE: stop the served queues and forget AS 0 before the
 * old memory is unmapped; serve them again on the new table after.
 */
void cvqsim_lifecycle_mem_pause(struct cvqsim_dev *dev);
void cvqsim_lifecycle_mem_resume(struct cvqsim_dev *dev);
/*
 * The vhost library failed the SET_MEM_TABLE that mem_pause prepared for
 * (dev->mem_table_pending still set): stop a serving device, NEEDS_RESET.
 */
void cvqsim_lifecycle_mem_lost(struct cvqsim_dev *dev);
/* The connection is gone: every queue down, AS 0 empty, vid unbound. */
void cvqsim_lifecycle_unbind(struct cvqsim_dev *dev);

#endif /* CVQSIM_LIFECYCLE_H */
