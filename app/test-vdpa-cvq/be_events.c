/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Waking the vhost library's event thread (be_events.h).
 */

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_common.h>

#include "be_events.h"

/* The name rte_vhost_driver_start() gives the thread (rte_ctrl_thread). */
#define BE_EVENTS_THREAD	"vhost-events"

/* A real-time signal: neither DPDK nor glibc's reserved ones use it. */
#define BE_EVENTS_SIGNAL	(SIGRTMIN + 3)

static void
be_events_nop(int sig)
{
	RTE_SET_USED(sig);
}

/* Install the do-nothing handler once; without one the signal kills. */
static int
be_events_handler(void)
{
	static int installed;
	struct sigaction sa;

	if (installed)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = be_events_nop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(BE_EVENTS_SIGNAL, &sa, NULL) != 0)
		return -errno;
	installed = 1;
	return 0;
}

/* Does task tid of this process carry the event thread's name? */
static int
be_events_is_thread(long tid)
{
	char path[64], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/comm", tid);
	f = fopen(path, "re");
	if (f == NULL)
		return 0;
	if (fgets(comm, sizeof(comm), f) == NULL)
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return strcmp(comm, BE_EVENTS_THREAD) == 0;
}

/* The event thread's kernel thread id, or -ESRCH. */
static long
be_events_tid(void)
{
	struct dirent *de;
	long tid, found = -ESRCH;
	DIR *d;

	d = opendir("/proc/self/task");
	if (d == NULL)
		return -errno;
	while (found < 0 && (de = readdir(d)) != NULL) {
		tid = strtol(de->d_name, NULL, 10);
		if (tid > 0 && be_events_is_thread(tid))
			found = tid;
	}
	closedir(d);
	return found;
}

int
be_events_wake(void)
{
	long tid = be_events_tid();
	int ret;

	if (tid < 0)
		return (int)tid;
	ret = be_events_handler();
	if (ret != 0)
		return ret;
	if (syscall(SYS_tgkill, (long)getpid(), tid, BE_EVENTS_SIGNAL) != 0)
		return -errno;
	return 0;
}
