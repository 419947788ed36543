/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * devargs_autotest: the vdev devargs parser, cvqsim_devargs_parse(), with
 * every key's invalid values. Each refusal must be -EINVAL with a log line
 * that names the key (or the whole problem) so that a user knows what to
 * fix; each valid string must give exactly the values it says, and the
 * defaults for what it does not say.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "cvqsim_devargs.h"
#include "rte_pmd_cvqsim.h"
#include "test.h"

/* The plugin registers it in cvqsim.c; the parser alone needs one. */
int cvqsim_logtype;

static char *log_buf;
static size_t log_size;
static FILE *log_stream;
static FILE *saved_stream;

static int
log_capture_start(void)
{
	log_stream = open_memstream(&log_buf, &log_size);
	if (log_stream == NULL)
		return -1;
	saved_stream = rte_log_get_stream();
	if (rte_openlog_stream(log_stream) != 0)
		return -1;
	if (cvqsim_logtype == 0) {
		cvqsim_logtype = rte_log_register("pmd.vdpa.cvqsim");
		if (cvqsim_logtype < 0)
			return -1;
	}
	rte_log_set_level(cvqsim_logtype, RTE_LOG_DEBUG);
	return 0;
}

static void
log_capture_stop(void)
{
	rte_openlog_stream(saved_stream == stderr ? NULL : saved_stream);
	if (log_stream != NULL)
		fclose(log_stream);
	free(log_buf);
	log_stream = NULL;
	log_buf = NULL;
}

/* Parse args; the log it produced is in log_buf (NUL-terminated). */
static int
parse(const char *args, struct cvqsim_devargs *conf)
{
	int ret;

	rewind(log_stream);
	fflush(log_stream);
	memset(conf, 0x5a, sizeof(*conf));
	ret = cvqsim_devargs_parse("vdpa_cvqsim7", args, 7, conf);
	fputc('\0', log_stream);
	fflush(log_stream);
	return ret;
}

struct bad_case {
	const char *args;
	const char *message;	/* must appear in the log */
};

/* Every key's invalid values, and the string-level errors. */
static const struct bad_case bad_cases[] = {
	{ "queues=0", "queues=0: expected an integer in 1..127" },
	{ "queues=128", "queues=128: at most 127 queue pairs" },
	{ "queues=129", "queues=129: expected an integer in 1..127" },
	{ "queues=abc", "queues=abc: expected an integer" },
	{ "queues=-1", "queues=-1: expected an integer" },
	{ "queues=+2", "queues=+2: expected an integer" },
	{ "queues= 2", "queues= 2: expected an integer" },
	{ "queues=2x", "queues=2x: expected an integer" },
	{ "queues=", "queues=: expected an integer" },
	{ "queues=18446744073709551617", "expected an integer in 1..127" },
	{ "mac=zz", "mac=zz: expected xx:xx:xx:xx:xx:xx" },
	{ "mac=zz:zz:zz:zz:zz:zz", "expected xx:xx:xx:xx:xx:xx" },
	{ "mac=02:00:00:00:00", "expected xx:xx:xx:xx:xx:xx" },
	{ "mac=02:00:00:00:00:00:01", "expected xx:xx:xx:xx:xx:xx" },
	{ "mac=0200.0000.0001", "expected xx:xx:xx:xx:xx:xx" },
	{ "mac=01:00:5e:00:00:01", "not a unicast address" },
	{ "mac=ff:ff:ff:ff:ff:ff", "not a unicast address" },
	{ "mac=00:00:00:00:00:00", "not a unicast address" },
	{ "mtu=0", "mtu=0: expected an integer in 68..9000" },
	{ "mtu=67", "mtu=67: expected an integer in 68..9000" },
	{ "mtu=9001", "mtu=9001: expected an integer in 68..9000" },
	{ "mtu=65536", "mtu=65536: expected an integer in 68..9000" },
	{ "mtu=1500.0", "expected an integer in 68..9000" },
	{ "mac_table=0", "mac_table=0: expected an integer in 1..4096" },
	{ "mac_table=4097", "mac_table=4097: expected an integer in 1..4096" },
	{ "poll=bogus", "poll=bogus: expected thread, service or adaptive" },
	{ "poll=", "expected thread, service or adaptive" },
	{ "poll=THREAD", "expected thread, service or adaptive" },
	{ "cpu=999", "cpu=999: expected an integer in 0.." },
	{ "cpu=-1", "cpu=-1: expected an integer in 0.." },
	{ "cpu=abc", "cpu=abc: expected an integer in 0.." },
	{ "poll=service,cpu=0", "cpu is for poll=thread or poll=adaptive" },
	{ "bogus=1", "unknown devarg \"bogus\"" },
	{ "queue=2", "unknown devarg \"queue\"" },
	{ "QUEUES=2", "unknown devarg \"QUEUES\"" },
	{ "queues=2,queues=2", "devarg \"queues\" given more than once" },
	{ "mtu=1500,mtu=9000", "devarg \"mtu\" given more than once" },
	{ "queues=2,bogus=1,mtu=9000", "unknown devarg \"bogus\"" },
	{ "=2", "unknown devarg \"\"" },
	{ "port=", "port=: expected an ethdev name of 1..63 characters" },
	{ "port=0123456789012345678901234567890123456789012345678901234567890123",
		"expected an ethdev name of 1..63 characters" },
	{ "port=net ring0", "the ethdev name has a space or control character" },
	{ "port=net_ring0,port=net_ring1", "devarg \"port\" given more than once" },
	{ "in_order=2", "in_order=2: expected an integer in 0..1" },
	{ "in_order=yes", "in_order=yes: expected an integer in 0..1" },
	{ "in_order=", "expected an integer in 0..1" },
};

static int
test_bad(void)
{
	struct cvqsim_devargs conf;
	unsigned int i;
	int ret;

	for (i = 0; i < RTE_DIM(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		ret = parse(c->args, &conf);
		TEST_ASSERT_EQUAL(ret, -EINVAL, "\"%s\": returned %d, expected -EINVAL",
			c->args, ret);
		TEST_ASSERT(strstr(log_buf, "VDPA_CVQSIM") != NULL,
			"\"%s\": refused without a log line", c->args);
		TEST_ASSERT(strstr(log_buf, c->message) != NULL,
			"\"%s\": log does not say \"%s\":\n%s", c->args, c->message,
			log_buf);
		printf("  %-32s -> %s", c->args, strchr(log_buf, ':') != NULL ?
			strchr(log_buf, ':') + 2 : log_buf);
	}
	return TEST_SUCCESS;
}

/* Every refusal is one line per problem, not a cascade. */
static int
test_one_line_per_problem(void)
{
	struct cvqsim_devargs conf;
	const char *p;
	unsigned int lines = 0;

	TEST_ASSERT_EQUAL(parse("queues=0", &conf), -EINVAL, "queues=0");
	for (p = log_buf; *p != '\0'; p++)
		lines += *p == '\n';
	TEST_ASSERT_EQUAL(lines, 1u, "queues=0 logged %u lines:\n%s", lines,
		log_buf);
	TEST_ASSERT_EQUAL(parse("bogus=1,other=2", &conf), -EINVAL, "two keys");
	TEST_ASSERT(strstr(log_buf, "\"bogus\"") != NULL &&
		strstr(log_buf, "\"other\"") != NULL,
		"both unknown keys must be named:\n%s", log_buf);
	return TEST_SUCCESS;
}

static int
test_defaults(void)
{
	static const uint8_t mac[6] = { 0x02, 0x63, 0x76, 0x71, 0x00, 0x07 };
	struct cvqsim_devargs conf;
	const char *none[] = { NULL, "" };
	unsigned int i;

	for (i = 0; i < RTE_DIM(none); i++) {
		TEST_ASSERT_SUCCESS(parse(none[i], &conf), "no devargs");
		TEST_ASSERT_EQUAL(conf.max_pairs, 1, "default queues");
		TEST_ASSERT_BUFFERS_ARE_EQUAL(conf.mac.addr_bytes, mac, 6,
			"default mac from the device index");
		TEST_ASSERT_EQUAL(conf.mtu, RTE_PMD_CVQSIM_MTU_DEFAULT, "default mtu");
		TEST_ASSERT_EQUAL(conf.mac_table, (uint32_t)RTE_PMD_CVQSIM_MAC_TABLE_DEFAULT,
			"default mac_table");
		TEST_ASSERT_EQUAL(conf.poll, CVQSIM_POLL_THREAD, "default poll");
		TEST_ASSERT_EQUAL(conf.cpu, -1, "default cpu");
		TEST_ASSERT(conf.in_order, "IN_ORDER not offered by default");
		TEST_ASSERT(log_buf[0] == '\0', "valid devargs logged: %s", log_buf);
	}
	return TEST_SUCCESS;
}

static int
test_valid(void)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x42 };
	struct cvqsim_devargs conf;

	TEST_ASSERT_SUCCESS(parse("queues=127,mac=02:00:00:00:00:42,mtu=9000,"
		"mac_table=4096,poll=adaptive,cpu=0", &conf), "all keys: %s",
		log_buf);
	TEST_ASSERT_EQUAL(conf.max_pairs, 127, "queues");
	TEST_ASSERT_BUFFERS_ARE_EQUAL(conf.mac.addr_bytes, mac, 6, "mac");
	TEST_ASSERT_EQUAL(conf.mtu, 9000, "mtu");
	TEST_ASSERT_EQUAL(conf.mac_table, 4096u, "mac_table");
	TEST_ASSERT_EQUAL(conf.poll, CVQSIM_POLL_ADAPTIVE, "poll");
	TEST_ASSERT_EQUAL(conf.cpu, 0, "cpu");
	TEST_ASSERT_EQUAL(conf.port[0], '\0', "no port: loopback");

	TEST_ASSERT(conf.in_order, "in_order default");
	TEST_ASSERT_SUCCESS(parse("in_order=0", &conf), "in_order=0: %s", log_buf);
	TEST_ASSERT(!conf.in_order, "in_order=0");
	TEST_ASSERT_SUCCESS(parse("in_order=1", &conf), "in_order=1: %s", log_buf);
	TEST_ASSERT(conf.in_order, "in_order=1");

	TEST_ASSERT_SUCCESS(parse("port=net_pcap0", &conf), "port: %s", log_buf);
	TEST_ASSERT(strcmp(conf.port, "net_pcap0") == 0, "port %s", conf.port);

	TEST_ASSERT_SUCCESS(parse("queues=1,mtu=68,mac_table=1,poll=service",
		&conf), "lower bounds: %s", log_buf);
	TEST_ASSERT_EQUAL(conf.max_pairs, 1, "queues");
	TEST_ASSERT_EQUAL(conf.mtu, 68, "mtu");
	TEST_ASSERT_EQUAL(conf.poll, CVQSIM_POLL_SERVICE, "poll");
	TEST_ASSERT_EQUAL(conf.cpu, -1, "cpu");

	/* Numbers are decimal: a leading zero is not octal, hex is refused. */
	TEST_ASSERT_SUCCESS(parse("queues=010,mtu=01500", &conf), "zeros: %s",
		log_buf);
	TEST_ASSERT_EQUAL(conf.max_pairs, 10, "queues=010");
	TEST_ASSERT_EQUAL(conf.mtu, 1500, "mtu=01500");
	TEST_ASSERT_FAIL(parse("queues=0x10", &conf), "queues=0x10 accepted");
	/* rte_kvargs skips empty pairs: tolerated, like every DPDK driver. */
	TEST_ASSERT_SUCCESS(parse("queues=2,,mtu=9000", &conf), "empty pair: %s",
		log_buf);
	TEST_ASSERT(conf.max_pairs == 2 && conf.mtu == 9000, "empty pair values");
	TEST_ASSERT_SUCCESS(parse("mac=02:AB:cd:00:00:01", &conf), "mixed case");
	TEST_ASSERT_EQUAL(conf.mac.addr_bytes[1], 0xab, "mac byte 1");
	return TEST_SUCCESS;
}

static struct unit_test_suite devargs_suite = {
	.suite_name = "devargs",
	.setup = log_capture_start,
	.teardown = log_capture_stop,
	.unit_test_cases = {
		TEST_CASE(test_defaults),
		TEST_CASE(test_valid),
		TEST_CASE(test_bad),
		TEST_CASE(test_one_line_per_problem),
		TEST_CASES_END(),
	},
};

static int
devargs_autotest(void)
{
	return unit_test_suite_runner(&devargs_suite);
}

REGISTER_TEST_COMMAND(devargs_autotest, devargs_autotest);
