/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_CPU_H
#define CVQSIM_CPU_H

/*
 * Where a busy poller goes: the choice of a CPU for a device's poll thread
 * from what the process has (pure C: the driver gathers the view from EAL,
 * the unit tests build it by hand).
 *
 * A DPDK user expects a device's poller to behave like a forwarding lcore:
 * alone on a CPU of the process, not next to the main lcore and never next
 * to another busy poller. The cost of getting it wrong is not a few
 * percent: two busy pollers on one CPU run in scheduler slices (0.03 Mpps
 * instead of 8 in the loopback).
 */

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>

/* What the process looks like to a new poller. */
struct cvqsim_cpu_view {
	cpu_set_t allowed;	/* CPUs the process may run on */
	cpu_set_t lcores;	/* CPUs of EAL lcores (main included) */
	cpu_set_t main;		/* CPUs of the main lcore */
	/* Busy pollers already on each CPU: busy lcores, other poll threads. */
	uint8_t pollers[CPU_SETSIZE];
};

/* Why the chosen CPU is where it is, best first. */
enum cvqsim_cpu_why {
	CVQSIM_CPU_FREE,	/* a CPU no lcore uses */
	CVQSIM_CPU_IDLE_LCORE,	/* the CPU of a worker lcore that does not poll */
	CVQSIM_CPU_MAIN,	/* only the main lcore's CPU was left */
	CVQSIM_CPU_SHARED,	/* every CPU already has a busy poller */
	CVQSIM_CPU_NONE,	/* the view allows no CPU */
};

void cvqsim_cpu_view_init(struct cvqsim_cpu_view *v);

/*
 * The best CPU for one more busy poller: the fewest busy pollers first,
 * then a CPU that is not the main lcore's, then one no lcore uses, then
 * the lowest number. Returns the CPU (why says what kind), or -1.
 */
int cvqsim_cpu_choose(const struct cvqsim_cpu_view *v, enum cvqsim_cpu_why *why);

/* What a given CPU would be for one more busy poller (cpu= devarg). */
enum cvqsim_cpu_why cvqsim_cpu_classify(const struct cvqsim_cpu_view *v,
		int cpu);

/* First CPU of a set, -1 when empty. */
int cvqsim_cpu_first(const cpu_set_t *set);

#endif /* CVQSIM_CPU_H */
