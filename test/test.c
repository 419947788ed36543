/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * cvqsim-autotest: runs registered test commands by name, like dpdk-test.
 *   cvqsim-autotest as_autotest vq_autotest
 *   DPDK_TEST=ctrl_autotest cvqsim-autotest
 *   cvqsim-autotest --list
 * The unit tests need no EAL: the code under test is the pure C core.
 */

#include <stdlib.h>

#include "test.h"

static struct test_command *commands;

void
add_test_command(struct test_command *t)
{
	t->next = commands;
	commands = t;
}

static struct test_command *
find_command(const char *name)
{
	struct test_command *t;

	for (t = commands; t != NULL; t = t->next)
		if (strcmp(t->command, name) == 0)
			return t;
	return NULL;
}

int
unit_test_suite_runner(struct unit_test_suite *suite)
{
	unsigned int total = 0, passed = 0, failed = 0, skipped = 0;
	struct unit_test_case *tc;
	int ret;

	printf(" + ------------------------------------------------------- +\n");
	printf(" + Test Suite : %s\n", suite->suite_name);
	if (suite->setup != NULL) {
		ret = suite->setup();
		if (ret != TEST_SUCCESS) {
			printf(" + Suite setup failed: %d\n", ret);
			return ret == TEST_SKIPPED ? TEST_SKIPPED : TEST_FAILED;
		}
	}
	for (tc = suite->unit_test_cases; tc->testcase != NULL; tc++) {
		total++;
		if (!tc->enabled) {
			skipped++;
			continue;
		}
		ret = tc->setup != NULL ? tc->setup() : TEST_SUCCESS;
		if (ret == TEST_SUCCESS) {
			ret = tc->testcase();
			if (tc->teardown != NULL)
				tc->teardown();
		}
		if (ret == TEST_SUCCESS) {
			passed++;
			printf(" + TestCase [%2u] : %s succeeded\n", total,
				tc->name);
		} else if (ret == TEST_SKIPPED) {
			skipped++;
			printf(" + TestCase [%2u] : %s skipped\n", total,
				tc->name);
		} else {
			failed++;
			printf(" + TestCase [%2u] : %s failed\n", total,
				tc->name);
		}
	}
	if (suite->teardown != NULL)
		suite->teardown();
	printf(" + ------------------------------------------------------- +\n");
	printf(" + Tests Total : %2u\n + Tests Skipped : %2u\n"
		" + Tests Passed : %2u\n + Tests Failed : %2u\n",
		total, skipped, passed, failed);
	if (failed > 0)
		return TEST_FAILED;
	if (passed == 0)
		return TEST_SKIPPED;
	return TEST_SUCCESS;
}

static int
run_command(const char *name)
{
	struct test_command *t = find_command(name);
	int ret;

	if (t == NULL) {
		fprintf(stderr, "unknown test '%s' (--list lists them)\n", name);
		return TEST_FAILED;
	}
	ret = t->callback();
	printf("%s: %s\n", name, ret == TEST_SUCCESS ? "Test OK" :
		ret == TEST_SKIPPED ? "Test Skipped" : "Test Failed");
	return ret;
}

int
main(int argc, char **argv)
{
	const char *env = getenv("DPDK_TEST");
	struct test_command *t;
	int i, ret, worst = TEST_SUCCESS;

	if (argc > 1 && strcmp(argv[1], "--list") == 0) {
		for (t = commands; t != NULL; t = t->next)
			printf("%s\n", t->command);
		return 0;
	}
	if (argc < 2 && (env == NULL || env[0] == '\0')) {
		fprintf(stderr, "usage: %s TEST... | --list (or DPDK_TEST=TEST)\n",
			argv[0]);
		return 2;
	}
	for (i = argc < 2 ? 0 : 1; i < (argc < 2 ? 1 : argc); i++) {
		ret = run_command(argc < 2 ? env : argv[i]);
		if (ret == TEST_FAILED)
			worst = TEST_FAILED;
		else if (ret == TEST_SKIPPED && worst == TEST_SUCCESS)
			worst = TEST_SKIPPED;
	}
	return worst == TEST_FAILED ? 1 : worst == TEST_SKIPPED ? 77 : 0;
}
