/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* The driver's log type (cvqsim_log.h), registered at load. */

#include <rte_log.h>

#include "cvqsim_log.h"

RTE_LOG_REGISTER(cvqsim_logtype, pmd.vdpa.cvqsim, NOTICE);
