/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_PLACEMENT_H
#define CVQSIM_PLACEMENT_H

/*
 * The CPU of a device's poll thread (poll=thread|adaptive): the cpu=
 * devarg, or by default the best CPU of the process for a busy poller
 * (cvqsim_cpu.h): never one an EAL lcore of the process busy-polls (service
 * lcores, launched workers), another poll thread's, or the main lcore's
 * when another is available. Every choice is logged; a poller that shares
 * a CPU with another busy poller or with the main lcore gets a warning that
 * names the CPU and the fix.
 */

#include <pthread.h>
#include <stdbool.h>

struct cvqsim_placement {
	int cpu;		/* the poll thread's CPU, -1 before pinning */
	bool chosen;		/* chosen by the driver (no cpu= devarg) */
};

/*
 * Pin a poll thread just created with rte_ctrl_thread_create() (it still
 * has the EAL control-thread CPU set): on cpu_arg, or where the driver
 * chooses when cpu_arg < 0. Returns 0 or a negative errno.
 */
int cvqsim_placement_pin(struct cvqsim_placement *pl, const char *name,
		pthread_t thread, int cpu_arg);

/*
 * Called by the poll thread when it starts serving: an lcore may have
 * started busy-polling on its CPU since (an application maps services or
 * launches workers after probe). A thread the driver placed moves to a
 * better CPU then; one pinned with cpu= stays and gets the warning.
 */
void cvqsim_placement_recheck(struct cvqsim_placement *pl, const char *name);

/* The poll thread is gone: its CPU is free for the next one. */
void cvqsim_placement_release(struct cvqsim_placement *pl);

#endif /* CVQSIM_PLACEMENT_H */
