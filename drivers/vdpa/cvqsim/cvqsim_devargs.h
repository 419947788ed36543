/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DEVARGS_H
#define CVQSIM_DEVARGS_H

#include "cvqsim_dev.h"

/*
 * Parse the devargs string of device name (args may be NULL or empty) into
 * conf, starting from the defaults: 1 queue pair, MAC 02:63:76:71:hi:lo
 * from index (the numeric suffix of the name), MTU 1500, 64 MAC table
 * entries, poll=thread, no CPU. Every key is checked (unknown keys and keys
 * given twice are errors too) and each problem is logged once, at ERR,
 * naming the key and what was expected.
 * Returns 0, or -EINVAL with conf partly filled (the caller discards it).
 */
int cvqsim_devargs_parse(const char *name, const char *args,
		unsigned int index, struct cvqsim_devargs *conf);

#endif /* CVQSIM_DEVARGS_H */
