/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The shadows of the interfaces and the relay's wake-up (shadow_table.h).
 * The table is filled once by shadow_setup() before the relay thread and
 * the connection hooks start, and cleared by shadow_teardown() after they
 * stopped: readers need no lock for the table itself, each shadow has its own.
 */

#include <errno.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "backend.h"
#include "shadow_table.h"

static struct shadow *shadows[BACKEND_MAX_IFACES];
static unsigned int nr_shadows;
static int wake_fd = -1;

int
shadow_table_add(struct shadow *sh)
{
	if (nr_shadows >= BACKEND_MAX_IFACES)
		return -ENOSPC;
	shadows[nr_shadows++] = sh;
	return 0;
}

unsigned int
shadow_count(void)
{
	return nr_shadows;
}

struct shadow *
shadow_of(unsigned int iface)
{
	return iface < nr_shadows ? shadows[iface] : NULL;
}

void
shadow_table_clear(void)
{
	nr_shadows = 0;
}

int
shadow_wake_open(void)
{
	wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	return wake_fd < 0 ? -errno : 0;
}

void
shadow_wake_close(void)
{
	if (wake_fd >= 0)
		close(wake_fd);
	wake_fd = -1;
}

int
shadow_wake_fd(void)
{
	return wake_fd;
}

void
shadow_wake_drain(void)
{
	uint64_t cnt;

	if (read(wake_fd, &cnt, sizeof(cnt)) < 0)
		return;
}

void
shadow_relay_wake(void)
{
	uint64_t one = 1;

	if (wake_fd >= 0 && write(wake_fd, &one, sizeof(one)) < 0)
		return;
}
