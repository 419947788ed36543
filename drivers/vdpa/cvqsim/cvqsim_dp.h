/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DP_H
#define CVQSIM_DP_H

/*
 * The loopback datapath: TX chains delivered to RX chains, the control
 * queue served through the decoder, notification coalescing. Runs inside
 * a poller pass, with poll_lock held (cvqsim_poller.h).
 */

#include <stdbool.h>

struct cvqsim_dev;

/*
 * The work of one pass, poll_lock held: a burst of every TX queue of a
 * pair in use (unless data_queues is false), the control queue, the
 * coalescing timers. Returns the chains processed. A ring violation stops
 * the device (CVQSIM_DEV_FAILED, NEEDS_RESET): the caller reports it once the
 * lock is released.
 */
unsigned int cvqsim_dp_burst(struct cvqsim_dev *dev, bool data_queues);

#endif /* CVQSIM_DP_H */
