/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef BENCH_PIN_H
#define BENCH_PIN_H

/* The benchmarks' threads, each on one CPU (wake_bench, xcpu_probe). */

#include <pthread.h>
#include <sched.h>

/* Pin the calling thread to cpu: 0 or an errno. */
static inline int
bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

#endif /* BENCH_PIN_H */
