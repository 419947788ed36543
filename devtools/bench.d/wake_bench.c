/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * wake_bench: the floor under the adaptive poller's wake-up latency on
 * this machine. A thread pinned to SLEEPER_CPU sleeps in poll() on an
 * eventfd, as the adaptive poller does on its kick eventfds; after GAP_MS
 * of silence a thread pinned to WAKER_CPU writes the eventfd and spins
 * until the sleeper has noted the time it returned from poll(). Nothing
 * else runs: what it measures is the kernel's (and the hypervisor's)
 * wake-up of a sleeping thread on another CPU, which no device can beat.
 *
 *   wake_bench WAKES GAP_MS SLEEPER_CPU WAKER_CPU
 *
 * Prints one JSON object: p50, p99, max of the wake-ups in ns.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "bench_pin.h"

static int efd = -1;
static int sleeper_cpu;
static uint64_t woke_ns;	/* written by the sleeper, 0 while asleep */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void *
sleeper(void *arg)
{
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	eventfd_t v;

	(void)arg;
	bench_pin(sleeper_cpu);
	for (;;) {
		if (poll(&pfd, 1, -1) <= 0)
			continue;
		__atomic_store_n(&woke_ns, now_ns(), __ATOMIC_RELEASE);
		eventfd_read(efd, &v);
	}
	return NULL;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct timespec gap;
	unsigned long wakes, i;
	uint64_t *lat, t0, w;
	pthread_t t;

	if (argc != 5) {
		fprintf(stderr, "usage: wake_bench WAKES GAP_MS SLEEPER_CPU WAKER_CPU\n");
		return 2;
	}
	wakes = strtoul(argv[1], NULL, 0);
	gap.tv_sec = strtol(argv[2], NULL, 0) / 1000;
	gap.tv_nsec = strtol(argv[2], NULL, 0) % 1000 * 1000000L;
	sleeper_cpu = atoi(argv[3]);
	lat = calloc(wakes ? wakes : 1, sizeof(*lat));
	efd = eventfd(0, 0);
	if (wakes == 0 || lat == NULL || efd < 0 || bench_pin(atoi(argv[4])) != 0 ||
			pthread_create(&t, NULL, sleeper, NULL) != 0) {
		fprintf(stderr, "wake_bench: setup failed\n");
		return 1;
	}
	for (i = 0; i < wakes; i++) {
		while (nanosleep(&gap, NULL) != 0 && errno == EINTR)
			;
		__atomic_store_n(&woke_ns, 0, __ATOMIC_RELAXED);
		t0 = now_ns();
		eventfd_write(efd, 1);
		while ((w = __atomic_load_n(&woke_ns, __ATOMIC_ACQUIRE)) == 0)
			;
		lat[i] = w - t0;
	}
	qsort(lat, wakes, sizeof(*lat), cmp_u64);
	printf("{\"mode\": \"wake_floor\", \"count\": %lu, \"p50_ns\": %" PRIu64
		", \"p99_ns\": %" PRIu64 ", \"max_ns\": %" PRIu64 "}\n", wakes,
		lat[(wakes - 1) / 2], lat[(wakes * 99 + 99) / 100 - 1], lat[wakes - 1]);
	return 0;
}
