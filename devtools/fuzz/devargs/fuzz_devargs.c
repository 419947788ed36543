/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: the devargs parser of the vdev driver,
 * cvqsim_devargs_parse() (cvqsim_devargs.c), on its own.
 *
 * Input: a device-name index byte, then the devargs string (bytes up to the
 * first NUL). Invariants:
 * - no memory error, leak or UB (ASan, LSan, UBSan), whatever the string;
 * - accepted: every field in its documented range;
 * - refused: -EINVAL and at least one ERR log line saying what is wrong.
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
#include "fuzz_input.h"

/* The plugin registers it in cvqsim.c; the parser alone needs one. */
int cvqsim_logtype;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char *log_buf;
static size_t log_len;
static FILE *log_stream;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	/* Capture what the parser logs (rte_log works before EAL init). */
	log_stream = open_memstream(&log_buf, &log_len);
	if (log_stream == NULL || rte_openlog_stream(log_stream) != 0)
		abort();
	cvqsim_logtype = rte_log_register("pmd.vdpa.cvqsim");
	if (cvqsim_logtype < 0)
		abort();
	rte_log_set_level(cvqsim_logtype, RTE_LOG_DEBUG);
	return 0;
}

static void
check_conf(const struct cvqsim_devargs *c)
{
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);

	FUZZ_CHECK(c->max_pairs >= 1 && c->max_pairs <= RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS,
		"queues %u", c->max_pairs);
	FUZZ_CHECK(c->mtu >= RTE_PMD_CVQSIM_MTU_MIN && c->mtu <= RTE_PMD_CVQSIM_MTU_MAX,
		"mtu %u", c->mtu);
	FUZZ_CHECK(c->mac_table >= 1 && c->mac_table <= RTE_PMD_CVQSIM_MAC_TABLE_MAX,
		"mac_table %u", c->mac_table);
	FUZZ_CHECK(c->poll == CVQSIM_POLL_THREAD || c->poll == CVQSIM_POLL_SERVICE ||
		c->poll == CVQSIM_POLL_ADAPTIVE, "poll %d", (int)c->poll);
	FUZZ_CHECK(c->cpu == -1 || (c->cpu >= 0 && c->cpu < ncpu), "cpu %d",
		c->cpu);
	FUZZ_CHECK(c->cpu == -1 || c->poll != CVQSIM_POLL_SERVICE,
		"cpu with poll=service");
	FUZZ_CHECK(rte_is_unicast_ether_addr(&c->mac) &&
		!rte_is_zero_ether_addr(&c->mac), "mac not unicast");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct cvqsim_devargs conf;
	char name[32], *args;
	unsigned int index = fuzz_u8(&in);
	int ret;

	snprintf(name, sizeof(name), "vdpa_cvqsim%u", index);
	args = strndup((const char *)in.p, in.len);
	if (args == NULL)
		return 0;
	rewind(log_stream);

	memset(&conf, 0xa5, sizeof(conf));
	ret = cvqsim_devargs_parse(name, args, index, &conf);
	fflush(log_stream);
	/* What this input logged: from the start up to the stream position. */
	log_len = (size_t)ftell(log_stream);
	if (ret == 0) {
		check_conf(&conf);
	} else {
		FUZZ_CHECK(ret == -EINVAL, "cvqsim_devargs_parse returned %d", ret);
		FUZZ_CHECK(log_len > 0 && memmem(log_buf, log_len, "VDPA_CVQSIM",
			11) != NULL, "\"%s\" refused without a log line", args);
	}
	free(args);
	return 0;
}
