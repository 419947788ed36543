/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DEV_STATE_H
#define CVQSIM_DEV_STATE_H

/*
 * A device's saved state: the public calls rte_pmd_cvqsim_state_*() and
 * the restore kept for the next negotiation (cvqsim_dev_state.c).
 */

struct cvqsim_dev;

/*
 * Load the state kept by rte_pmd_cvqsim_state_restore(), if any, now that
 * a frontend negotiated features: set_features, ctl_lock held, before any
 * data queue is enabled (QEMU's order). Logs the outcome.
 */
void cvqsim_dev_state_load_pending(struct cvqsim_dev *dev);

#endif /* CVQSIM_DEV_STATE_H */
