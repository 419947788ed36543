/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_OPS_H
#define CVQSIM_OPS_H

#include <stdint.h>

#include "cvqsim_sdk.h"

/* What rte_vdpa_register_device() is given for every cvqsim device. */
extern struct rte_vdpa_dev_ops cvqsim_vdpa_ops;
/* Times the vhost library called get_dev_type (during registration). */
uint64_t cvqsim_ops_dev_type_calls(void);

#endif /* CVQSIM_OPS_H */
