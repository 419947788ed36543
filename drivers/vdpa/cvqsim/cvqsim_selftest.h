/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_SELFTEST_H
#define CVQSIM_SELFTEST_H

#include <stdint.h>

struct cvqsim_dev;

/*
 * Check through the public vDPA API that the vhost library reaches our ops
 * (a registration must have called get_dev_type since the count given).
 */
int cvqsim_selftest(struct cvqsim_dev *dev, uint64_t dev_type_calls_before);

#endif /* CVQSIM_SELFTEST_H */
