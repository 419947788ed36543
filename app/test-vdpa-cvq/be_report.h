/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef BE_REPORT_H
#define BE_REPORT_H

/**
 * @file
 * What the backend tells the user about a device it serves, beyond the
 * vhost library's own logs:
 *
 * - be_report_vrings(): a frontend that sets up more vrings than the
 *   device has (more queue pairs, or pairs without MQ) gets one line
 *   naming both counts and the devarg to change; the vhost library only
 *   says that a message failed, or nothing, and the frontend's port stays
 *   down;
 * - be_report_period(): testpmd-style periodic statistics: per queue the
 *   packet and bit rates and the counters that are not zero, control
 *   commands per second.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_vdpa.h>

/* The device a backend socket serves, as the reports name it. */
struct be_report_dev {
	const char *path;		/* its vhost-user socket */
	struct rte_vdpa_device *dev;
	const char *name;		/* vdpa_cvqsimN */
};

/*
 * The frontend of vdev uses vrings vrings (highest index + 1): log once
 * (per *logged, reset per connection) if the device has fewer.
 * Returns true when it did not fit.
 */
bool be_report_vrings(const struct be_report_dev *rd, uint32_t vrings,
		bool *logged);

/* Counters of the previous period, per device (opaque). */
struct be_report_prev;

/*
 * Print the period's statistics of a device: rates since *prev (which is
 * allocated on the first call and updated), and the non-zero counters.
 * Free *prev with be_report_prev_free().
 */
void be_report_period(FILE *f, const struct be_report_dev *rd,
		struct be_report_prev **prev);
void be_report_prev_free(struct be_report_prev *prev);

#endif /* BE_REPORT_H */
