/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: the command line of dpdk-test-vdpa-cvq, the way
 * --cmdline-file feeds it: each input line goes through cmdline_parse()
 * with the app's command table, then to the command's own argument parser
 * (MAC lists, hash type names, hex keys, RSS tables, stats requests, raw
 * control bytes, expectations) and its request building. There is no
 * frontend and no device in this process, so every command stops where it
 * would talk to one, with an error message: what is fuzzed is everything
 * before that.
 *
 * The command code is linked as a library built from the app's own list
 * of sources (app_cmds_sources), instrumented; the harness drives it
 * through its entry points: a fresh context (cmds_ctx_init), a command
 * line over the table (cmds_table_cmdline) and one line at a time
 * (cmds_exec_line), as the app's script runner does.
 *
 * Input: up to 16 lines. Lines naming "sleep" are skipped (a valid sleep
 * would only make the fuzzer slow). Invariants: no memory error, leak or
 * undefined behaviour.
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "cmds_args.h"
#include "cmds_ctx.h"
#include "cmds_line.h"
#include "cmds_table.h"
#include "cmds_view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MAX_LINES	16

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int devnull = open("/dev/null", O_WRONLY);

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	if (devnull < 0)
		abort();
	/* The commands print a lot: keep stderr for the sanitizers only. */
	if (getenv("FUZZ_CMDLINE_VERBOSE") == NULL)
		dup2(devnull, STDOUT_FILENO);
	cmds_ctx_init(NULL, NULL);
	cmds.batch = true;
	cmds.file = "fuzz";
	if (cmds_view_init() < 0)
		abort();
	if (cmds_table_cmdline(devnull) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[CMDS_ARGS_MAX + 2];
	size_t off = 0;
	unsigned int lines = 0;

	while (off < size && lines++ < MAX_LINES) {
		const uint8_t *nl = memchr(data + off, '\n', size - off);
		size_t len = (nl != NULL ? (size_t)(nl - data) : size) - off;

		if (len < CMDS_ARGS_MAX - 1) {
			memcpy(buf, data + off, len);
			buf[len] = '\n';
			buf[len + 1] = '\0';
			if (strstr(buf, "sleep") == NULL) {
				cmds.line = lines;
				cmds.quit_requested = false;
				/* Parse errors are explained too. */
				cmds_exec_line(buf);
			}
		}
		off += len + 1;
	}
	return 0;
}
