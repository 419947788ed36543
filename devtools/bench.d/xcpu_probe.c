/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * xcpu_probe: the round trip of one cache line between two CPUs, the
 * cost every ring index and entry pays between the frontend's CPU and the
 * device's. On a virtual machine it depends on where the host runs the two
 * vCPUs at that moment (two threads of one core, two cores of one cache
 * complex, or further apart), which no guest setting controls; the loopback
 * bench records it next to each run so that runs can be compared in kind.
 *
 *   xcpu_probe ROUND_TRIPS CPU_A CPU_B
 *
 * Prints one JSON object: the mean round trip in ns.
 */

#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_pin.h"

static struct {
	volatile uint64_t seq;
} __attribute__((aligned(64))) line;
static uint64_t round_trips;

/* Answers each odd value with the next even one. */
static void *
answer(void *arg)
{
	uint64_t i;

	if (bench_pin(*(int *)arg) != 0)
		return NULL;
	for (i = 1; i <= round_trips; i++) {
		while (line.seq != 2 * i - 1)
			;
		line.seq = 2 * i;
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	pthread_t peer;
	int cpu_a, cpu_b;
	uint64_t i;
	double ns;

	if (argc != 4) {
		fprintf(stderr, "usage: %s ROUND_TRIPS CPU_A CPU_B\n", argv[0]);
		return 2;
	}
	round_trips = strtoull(argv[1], NULL, 0);
	cpu_a = atoi(argv[2]);
	cpu_b = atoi(argv[3]);
	if (round_trips == 0 || bench_pin(cpu_a) != 0) {
		fprintf(stderr, "xcpu_probe: bad round trips or CPU %d\n", cpu_a);
		return 1;
	}
	if (pthread_create(&peer, NULL, answer, &cpu_b) != 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 1; i <= round_trips; i++) {
		line.seq = 2 * i - 1;
		while (line.seq != 2 * i)
			;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(peer, NULL);
	ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
	printf("{\"round_trip_ns\": %.1f, \"round_trips\": %" PRIu64 "}\n",
		ns / (double)round_trips, round_trips);
	return 0;
}
