/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Where a device's poll thread runs (cvqsim_placement.h). The view of the
 * process comes from EAL: the CPU sets of its lcores and their roles and
 * states, the control-thread CPU set (what a thread made by
 * rte_ctrl_thread_create() starts with: the process's CPUs minus the
 * lcores', or the main lcore's CPU when none is left), and the CPUs the
 * driver's other poll threads hold.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "cvqsim_cpu.h"
#include "cvqsim_log.h"
#include "cvqsim_placement.h"

static pthread_mutex_t placement_lock = PTHREAD_MUTEX_INITIALIZER;
/* Poll threads of this driver on each CPU (under placement_lock). */
static uint8_t placement_threads[CPU_SETSIZE];
/* The EAL control-thread CPU set, seen on the first poll thread. */
static cpu_set_t placement_ctrl_set;
static bool placement_ctrl_known;

/* Whether an lcore busy-polls its CPU: a service lcore, a launched worker. */
static bool
lcore_polls(unsigned int lcore)
{
	if (rte_eal_lcore_role(lcore) == ROLE_SERVICE)
		return true;
	return lcore != rte_get_main_lcore() &&
		rte_eal_get_lcore_state(lcore) == RUNNING;
}

/* The process as a new poller sees it (placement_lock held). */
static void
placement_view(struct cvqsim_cpu_view *v)
{
	unsigned int lcore;
	int cpu;

	cvqsim_cpu_view_init(v);
	CPU_OR(&v->allowed, &v->allowed, &placement_ctrl_set);
	for (lcore = 0; lcore < RTE_MAX_LCORE; lcore++) {
		enum rte_lcore_role_t role = rte_eal_lcore_role(lcore);
		rte_cpuset_t cs;
		bool polls;

		if (role != ROLE_RTE && role != ROLE_SERVICE)
			continue;
		cs = rte_lcore_cpuset(lcore);
		CPU_OR(&v->allowed, &v->allowed, &cs);
		CPU_OR(&v->lcores, &v->lcores, &cs);
		if (lcore == rte_get_main_lcore())
			CPU_OR(&v->main, &v->main, &cs);
		polls = lcore_polls(lcore);
		for (cpu = 0; polls && cpu < CPU_SETSIZE; cpu++)
			if (CPU_ISSET(cpu, &cs))
				v->pollers[cpu]++;
	}
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		v->pollers[cpu] = (uint8_t)RTE_MIN(255,
			v->pollers[cpu] + placement_threads[cpu]);
}

/* Who busy-polls cpu besides the caller (placement_lock held). */
static void
placement_who(int cpu, char *buf, size_t len)
{
	unsigned int lcore;
	size_t n = 0;

	buf[0] = '\0';
	for (lcore = 0; lcore < RTE_MAX_LCORE && n + 1 < len; lcore++) {
		enum rte_lcore_role_t role = rte_eal_lcore_role(lcore);
		rte_cpuset_t cs;

		if (role != ROLE_RTE && role != ROLE_SERVICE)
			continue;
		cs = rte_lcore_cpuset(lcore);
		if (!CPU_ISSET(cpu, &cs) || !lcore_polls(lcore))
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%s%s lcore %u",
			n > 0 ? ", " : "", role == ROLE_SERVICE ? "service" :
			"worker", lcore);
	}
	if (placement_threads[cpu] > 0 && n + 1 < len)
		snprintf(buf + n, len - n, "%s%u other cvqsim poll thread(s)",
			n > 0 ? ", " : "", placement_threads[cpu]);
}

/* The warning for a poller on a shared CPU or the main lcore's. */
static void
placement_warn(const char *name, int cpu, enum cvqsim_cpu_why why,
		bool chosen, const char *busy)
{
	const char *fix = chosen ?
		"give the process a CPU of its own for it (EAL -l with one more"
		" CPU, or taskset), or pin it with the devarg cpu=N" :
		"choose another CPU with the devarg cpu=N (or leave cpu= out"
		" and let the driver choose)";

	if (why == CVQSIM_CPU_SHARED)
		CVQSIM_LOG(WARNING, "%s: poll thread on CPU %d, which already has a"
			" busy poller (%s): two busy pollers on one CPU run in turns"
			" and both crawl; %s", name, cpu, busy, fix);
	else if (why == CVQSIM_CPU_MAIN)
		CVQSIM_LOG(WARNING, "%s: poll thread on CPU %d, the main lcore's:"
			" it competes with the application's main thread; %s",
			name, cpu, fix);
}

static const char *
why_text(enum cvqsim_cpu_why why)
{
	switch (why) {
	case CVQSIM_CPU_FREE:
		return "a CPU no lcore uses";
	case CVQSIM_CPU_IDLE_LCORE:
		return "the CPU of a worker lcore that does not poll";
	case CVQSIM_CPU_MAIN:
		return "the main lcore's CPU, the only one left";
	case CVQSIM_CPU_SHARED:
		return "every CPU of the process already has a busy poller";
	default:
		return "no CPU";
	}
}

static int
placement_set(pthread_t thread, int cpu)
{
	cpu_set_t cs;

	CPU_ZERO(&cs);
	CPU_SET(cpu, &cs);
	return pthread_setaffinity_np(thread, sizeof(cs), &cs);
}

int
cvqsim_placement_pin(struct cvqsim_placement *pl, const char *name,
		pthread_t thread, int cpu_arg)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why why;
	char busy[128];
	int cpu, ret;

	pthread_mutex_lock(&placement_lock);
	if (!placement_ctrl_known &&
			pthread_getaffinity_np(thread, sizeof(placement_ctrl_set),
				&placement_ctrl_set) == 0)
		placement_ctrl_known = true;
	placement_view(&v);
	if (cpu_arg >= 0) {
		cpu = cpu_arg;
		why = cvqsim_cpu_classify(&v, cpu);
	} else {
		cpu = cvqsim_cpu_choose(&v, &why);
	}
	if (cpu < 0) {
		pthread_mutex_unlock(&placement_lock);
		CVQSIM_LOG(ERR, "%s: no CPU for the poll thread", name);
		return -ENODEV;
	}
	ret = placement_set(thread, cpu);
	if (ret != 0) {
		pthread_mutex_unlock(&placement_lock);
		CVQSIM_LOG(ERR, "%s: cannot pin the poll thread on CPU %d%s: %s",
			name, cpu, cpu_arg >= 0 ? " (devarg cpu)" : "",
			strerror(ret));
		return -ret;
	}
	placement_who(cpu, busy, sizeof(busy));
	placement_threads[cpu]++;
	pl->cpu = cpu;
	pl->chosen = cpu_arg < 0;
	pthread_mutex_unlock(&placement_lock);

	if (cpu_arg >= 0)
		CVQSIM_LOG(INFO, "%s: poll thread on CPU %d (devarg cpu)", name, cpu);
	else
		CVQSIM_LOG(INFO, "%s: poll thread on CPU %d: %s", name, cpu,
			why_text(why));
	placement_warn(name, cpu, why, pl->chosen, busy);
	return 0;
}

void
cvqsim_placement_recheck(struct cvqsim_placement *pl, const char *name)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why now, better_why;
	char busy[128], was[128];
	int better, old = pl->cpu;

	if (old < 0)
		return;
	pthread_mutex_lock(&placement_lock);
	placement_threads[old]--;
	placement_view(&v);
	now = cvqsim_cpu_classify(&v, old);
	better = cvqsim_cpu_choose(&v, &better_why);
	placement_who(old, was, sizeof(was));
	if (now != CVQSIM_CPU_SHARED || !pl->chosen || better < 0 ||
			better_why == CVQSIM_CPU_SHARED ||
			placement_set(pthread_self(), better) != 0) {
		placement_threads[old]++;
		pthread_mutex_unlock(&placement_lock);
		if (now == CVQSIM_CPU_SHARED)
			placement_warn(name, old, now, pl->chosen, was);
		return;
	}
	placement_who(better, busy, sizeof(busy));
	placement_threads[better]++;
	pl->cpu = better;
	pthread_mutex_unlock(&placement_lock);
	CVQSIM_LOG(NOTICE, "%s: poll thread moved from CPU %d (now busy-polled"
		" by %s) to CPU %d: %s", name, old, was, better,
		why_text(better_why));
	placement_warn(name, better, better_why, true, busy);
}

void
cvqsim_placement_release(struct cvqsim_placement *pl)
{
	if (pl->cpu < 0)
		return;
	pthread_mutex_lock(&placement_lock);
	if (placement_threads[pl->cpu] > 0)
		placement_threads[pl->cpu]--;
	pthread_mutex_unlock(&placement_lock);
	pl->cpu = -1;
}
