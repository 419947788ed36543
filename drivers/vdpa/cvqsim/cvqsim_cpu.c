/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The choice of a CPU for a busy poller (cvqsim_cpu.h).
 */

#include <string.h>

#include "cvqsim_cpu.h"

void
cvqsim_cpu_view_init(struct cvqsim_cpu_view *v)
{
	memset(v, 0, sizeof(*v));
	CPU_ZERO(&v->allowed);
	CPU_ZERO(&v->lcores);
	CPU_ZERO(&v->main);
}

int
cvqsim_cpu_first(const cpu_set_t *set)
{
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, set))
			return cpu;
	return -1;
}

enum cvqsim_cpu_why
cvqsim_cpu_classify(const struct cvqsim_cpu_view *v, int cpu)
{
	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return CVQSIM_CPU_NONE;
	if (v->pollers[cpu] > 0)
		return CVQSIM_CPU_SHARED;
	if (CPU_ISSET(cpu, &v->main))
		return CVQSIM_CPU_MAIN;
	if (CPU_ISSET(cpu, &v->lcores))
		return CVQSIM_CPU_IDLE_LCORE;
	return CVQSIM_CPU_FREE;
}

/* Smaller is better: busy pollers, then main, then lcore, then number. */
static unsigned long
cpu_cost(const struct cvqsim_cpu_view *v, int cpu)
{
	unsigned long cost = (unsigned long)v->pollers[cpu] << 2;

	if (CPU_ISSET(cpu, &v->main))
		cost |= 2;
	else if (CPU_ISSET(cpu, &v->lcores))
		cost |= 1;
	return cost;
}

int
cvqsim_cpu_choose(const struct cvqsim_cpu_view *v, enum cvqsim_cpu_why *why)
{
	unsigned long best_cost = 0;
	int cpu, best = -1;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		unsigned long cost;

		if (!CPU_ISSET(cpu, &v->allowed))
			continue;
		cost = cpu_cost(v, cpu);
		if (best < 0 || cost < best_cost) {
			best = cpu;
			best_cost = cost;
		}
	}
	*why = cvqsim_cpu_classify(v, best);
	return best;
}
