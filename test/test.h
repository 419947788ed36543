/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_TEST_H
#define CVQSIM_TEST_H

/*
 * The unit test harness, shaped like DPDK's app/test: rte_test.h assertions,
 * suites of cases with setup and teardown, and commands registered by name
 * and picked on the command line or through DPDK_TEST.
 *
 * Debian does not install rte_test.h; when it is missing the assertion
 * macros are defined here with the same names and meaning.
 */

#include <stdio.h>
#include <stdint.h>
#include <string.h>

#if defined(__has_include) && __has_include(<rte_test.h>)
#include <rte_test.h>
#else
#define RTE_TEST_ASSERT(cond, msg, ...) do {				\
	if (!(cond)) {							\
		printf("Test assert %s line %d failed: " msg "\n",	\
			__func__, __LINE__, ##__VA_ARGS__);		\
		return -1;						\
	}								\
} while (0)
#define RTE_TEST_ASSERT_EQUAL(a, b, msg, ...) \
	RTE_TEST_ASSERT((a) == (b), msg, ##__VA_ARGS__)
#define RTE_TEST_ASSERT_NOT_EQUAL(a, b, msg, ...) \
	RTE_TEST_ASSERT((a) != (b), msg, ##__VA_ARGS__)
#define RTE_TEST_ASSERT_SUCCESS(val, msg, ...) \
	RTE_TEST_ASSERT((val) == 0, msg, ##__VA_ARGS__)
#define RTE_TEST_ASSERT_FAIL(val, msg, ...) \
	RTE_TEST_ASSERT((val) != 0, msg, ##__VA_ARGS__)
#define RTE_TEST_ASSERT_NULL(val, msg, ...) \
	RTE_TEST_ASSERT((val) == NULL, msg, ##__VA_ARGS__)
#define RTE_TEST_ASSERT_NOT_NULL(val, msg, ...) \
	RTE_TEST_ASSERT((val) != NULL, msg, ##__VA_ARGS__)
#endif

#define TEST_ASSERT RTE_TEST_ASSERT
#define TEST_ASSERT_EQUAL RTE_TEST_ASSERT_EQUAL
#define TEST_ASSERT_NOT_EQUAL RTE_TEST_ASSERT_NOT_EQUAL
#define TEST_ASSERT_SUCCESS RTE_TEST_ASSERT_SUCCESS
#define TEST_ASSERT_FAIL RTE_TEST_ASSERT_FAIL
#define TEST_ASSERT_NULL RTE_TEST_ASSERT_NULL
#define TEST_ASSERT_NOT_NULL RTE_TEST_ASSERT_NOT_NULL

/* Compare two buffers and print where they differ. */
#define TEST_ASSERT_BUFFERS_ARE_EQUAL(a, b, len, msg, ...) do {	\
	const uint8_t *_a = (const uint8_t *)(a);			\
	const uint8_t *_b = (const uint8_t *)(b);			\
	size_t _i;							\
	for (_i = 0; _i < (size_t)(len); _i++)			\
		if (_a[_i] != _b[_i])					\
			break;						\
	TEST_ASSERT(_i == (size_t)(len),				\
		"byte %zu: 0x%02x != 0x%02x: " msg, _i,		\
		_i < (size_t)(len) ? _a[_i] : 0,			\
		_i < (size_t)(len) ? _b[_i] : 0, ##__VA_ARGS__);	\
} while (0)

#define TEST_SUCCESS	0
#define TEST_FAILED	(-1)
#define TEST_SKIPPED	77

struct unit_test_case {
	int (*setup)(void);
	void (*teardown)(void);
	int (*testcase)(void);
	const char *name;
	int enabled;
};

#define TEST_CASE(fn) { NULL, NULL, fn, #fn, 1 }
#define TEST_CASE_ST(setup, teardown, fn) { setup, teardown, fn, #fn, 1 }
#define TEST_CASE_NAMED(name, fn) { NULL, NULL, fn, name, 1 }
#define TEST_CASES_END() { NULL, NULL, NULL, NULL, 0 }

struct unit_test_suite {
	const char *suite_name;
	int (*setup)(void);
	void (*teardown)(void);
	struct unit_test_case unit_test_cases[];
};

/* Runs every case; returns TEST_SUCCESS, TEST_FAILED or TEST_SKIPPED. */
int unit_test_suite_runner(struct unit_test_suite *suite);

typedef int (cmd_func_t)(void);
struct test_command {
	struct test_command *next;
	const char *command;
	cmd_func_t *callback;
};

void add_test_command(struct test_command *t);

/* Register a test command by name, as DPDK's REGISTER_TEST_COMMAND. */
#define REGISTER_TEST_COMMAND(cmd, func)				\
	static struct test_command test_struct_##cmd = {		\
		.command = #cmd,					\
		.callback = func,					\
	};								\
	static void __attribute__((constructor, used))		\
	test_register_##cmd(void)					\
	{								\
		add_test_command(&test_struct_##cmd);			\
	}

#endif /* CVQSIM_TEST_H */
