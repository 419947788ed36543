/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * cpu_autotest: where a device's poll thread goes by default
 * (cvqsim_cpu_choose), on the views of the setups users run: the natural
 * side-by-side one of issue 12 (-l 0,1 --main-lcore 0 on two CPUs), a
 * single lcore, service lcores, several devices, a crowded process.
 */

#include "cvqsim_cpu.h"
#include "test.h"

/* A process on CPUs 0..ncpu-1 with lcore i on CPU i for i < nlcores. */
static void
view(struct cvqsim_cpu_view *v, int ncpu, int nlcores, int main_cpu)
{
	int cpu;

	cvqsim_cpu_view_init(v);
	for (cpu = 0; cpu < ncpu; cpu++)
		CPU_SET(cpu, &v->allowed);
	for (cpu = 0; cpu < nlcores; cpu++)
		CPU_SET(cpu, &v->lcores);
	CPU_SET(main_cpu, &v->main);
}

/* -l 0,1 --main-lcore 0: lcore 1 idles, the poller takes its CPU. */
static int
test_natural_two_lcores(void)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why why;

	view(&v, 2, 2, 0);
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 1, "not CPU 1");
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_IDLE_LCORE, "why %d", why);
	/* --main-lcore 1: CPU 0 then. */
	view(&v, 2, 2, 1);
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 0, "not CPU 0");
	return TEST_SUCCESS;
}

/* A CPU no lcore uses beats an idle worker's. */
static int
test_free_cpu_first(void)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why why;

	view(&v, 4, 2, 0);
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 2, "not CPU 2");
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_FREE, "why %d", why);
	return TEST_SUCCESS;
}

/* A service lcore (or a launched worker) on CPU 1: the poller avoids it. */
static int
test_busy_lcore_avoided(void)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why why;

	view(&v, 3, 3, 0);
	v.pollers[1] = 1;
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 2, "not CPU 2");
	/* Two CPUs, the other one busy: the main lcore's CPU, with why. */
	view(&v, 2, 2, 0);
	v.pollers[1] = 1;
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 0, "not CPU 0");
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_MAIN, "why %d", why);
	return TEST_SUCCESS;
}

/* Devices one after the other spread over the CPUs, then share. */
static int
test_devices_spread(void)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why why;
	int a, b, c;

	view(&v, 3, 1, 0);
	a = cvqsim_cpu_choose(&v, &why);
	v.pollers[a]++;
	b = cvqsim_cpu_choose(&v, &why);
	v.pollers[b]++;
	TEST_ASSERT(a != b && a != 0 && b != 0, "a %d b %d", a, b);
	c = cvqsim_cpu_choose(&v, &why);
	TEST_ASSERT_EQUAL(c, 0, "third device not on the main CPU: %d", c);
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_MAIN, "why %d", why);
	v.pollers[c]++;
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 1, "fourth");
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_SHARED, "why %d", why);
	return TEST_SUCCESS;
}

/* One lcore, one CPU: the main lcore's CPU, said so. */
static int
test_single_cpu(void)
{
	struct cvqsim_cpu_view v;
	enum cvqsim_cpu_why why;

	view(&v, 1, 1, 0);
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), 0, "not CPU 0");
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_MAIN, "why %d", why);
	cvqsim_cpu_view_init(&v);
	TEST_ASSERT_EQUAL(cvqsim_cpu_choose(&v, &why), -1, "empty view");
	TEST_ASSERT_EQUAL(why, CVQSIM_CPU_NONE, "why %d", why);
	return TEST_SUCCESS;
}

/* cpu= given: what it is, for the warning. */
static int
test_classify(void)
{
	struct cvqsim_cpu_view v;

	view(&v, 3, 2, 0);
	v.pollers[1] = 1;
	TEST_ASSERT_EQUAL(cvqsim_cpu_classify(&v, 0), CVQSIM_CPU_MAIN, "0");
	TEST_ASSERT_EQUAL(cvqsim_cpu_classify(&v, 1), CVQSIM_CPU_SHARED, "1");
	TEST_ASSERT_EQUAL(cvqsim_cpu_classify(&v, 2), CVQSIM_CPU_FREE, "2");
	TEST_ASSERT_EQUAL(cvqsim_cpu_classify(&v, -1), CVQSIM_CPU_NONE, "-1");
	return TEST_SUCCESS;
}

static struct unit_test_suite cpu_suite = {
	.suite_name = "cvqsim poll thread placement",
	.unit_test_cases = {
		TEST_CASE(test_natural_two_lcores),
		TEST_CASE(test_free_cpu_first),
		TEST_CASE(test_busy_lcore_avoided),
		TEST_CASE(test_devices_spread),
		TEST_CASE(test_single_cpu),
		TEST_CASE(test_classify),
		TEST_CASES_END()
	},
};

static int
cpu_autotest(void)
{
	return unit_test_suite_runner(&cpu_suite);
}

REGISTER_TEST_COMMAND(cpu_autotest, cpu_autotest);
