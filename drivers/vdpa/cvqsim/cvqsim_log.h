/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_LOG_H
#define CVQSIM_LOG_H

#include <rte_log.h>

extern int cvqsim_logtype;

#define CVQSIM_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, cvqsim_logtype, \
		"VDPA_CVQSIM: %s(): " fmt "\n", __func__, ##__VA_ARGS__)

/* Log a device-scoped message prefixed with the device name. */
#define CVQSIM_DEV_LOG(level, dev, fmt, ...) \
	CVQSIM_LOG(level, "%s: " fmt, (dev)->name, ##__VA_ARGS__)

#endif /* CVQSIM_LOG_H */
