/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* What every file of the frontend uses on the device object. */

#include <stdio.h>
#include <time.h>

#include "fe_dev.h"

int
fe_err(struct fe_dev *dev, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->err, sizeof(dev->err), fmt, ap);
	va_end(ap);
	if (dev->cfg.verbose)
		fprintf(stderr, "fe: %s\n", dev->err);
	return ret;
}

const char *
fe_dev_error(const struct fe_dev *dev)
{
	return dev == NULL ? "no device" : dev->err;
}

uint64_t
fe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void
fe_idle(void)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 20000 };

	nanosleep(&ts, NULL);
}

const char *
fe_state_name(enum fe_state s)
{
	switch (s) {
	case FE_STATE_CREATED:
		return "created";
	case FE_STATE_CONNECTED:
		return "connected";
	case FE_STATE_RUNNING:
		return "running";
	case FE_STATE_STOPPED:
		return "stopped";
	case FE_STATE_BROKEN:
		return "broken";
	}
	return "?";
}
