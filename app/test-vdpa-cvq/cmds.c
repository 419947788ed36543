/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Running the command line (cmds.h): the session, then the two ways of
 * running commands of the table (cmds_table.c).
 *
 * - Interactive (-i): librte_cmdline's line editor and its prompt
 *   (cmds_line.c); a failed command or expectation only prints.
 * - Batch (--cmdline-file): the file is read here line by line and each
 *   line is handed to cmdline_parse(), so that every message can name
 *   FILE:LINE and a line that does not parse, a command that fails or an
 *   expectation that does not hold stops the run with exit status 1.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds.h"
#include "cmds_ctx.h"
#include "cmds_line.h"
#include "cmds_session.h"
#include "cmds_table.h"
#include "cmds_view.h"

#define PROMPT		"testvdpacvq> "

/* Blank, or only a comment. */
static bool
is_empty(const char *s)
{
	s += strspn(s, " \t\r\n");
	return *s == '\0' || *s == '#';
}

/*
 * Run the commands of a file. Returns 0 if every line parsed and every
 * command and expectation succeeded, 1 at the first failure.
 */
static int
run_file(const char *path)
{
	char *line = NULL, *buf;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int status = 0;

	f = fopen(path, "r");
	if (f == NULL) {
		printf("cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	cmds.batch = true;
	cmds.file = path;
	cmds.line = 0;
	while (!cmds.quit_requested && (len = getline(&line, &cap, f)) >= 0) {
		cmds.line++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (is_empty(line))
			continue;
		if (cmds.quit != NULL && *cmds.quit) {
			printf("interrupted at %s:%u\n", path, cmds.line);
			status = 1;
			break;
		}
		if ((size_t)len >= CMDS_ARGS_MAX) {
			printf("error at %s:%u: line longer than %u bytes\n", path,
				cmds.line, CMDS_ARGS_MAX - 1);
			status = 1;
			break;
		}
		/* cmdline_parse() wants the end of line. */
		buf = malloc((size_t)len + 2);
		if (buf == NULL) {
			status = 1;
			break;
		}
		memcpy(buf, line, (size_t)len);
		buf[len] = '\n';
		buf[len + 1] = '\0';
		printf("%s%s\n", PROMPT, line);
		cmds.nr_commands++;
		cmds_exec_line(buf);
		free(buf);
		fflush(stdout);
		if (cmds.cmd_failed) {
			cmds.nr_failures++;
			status = 1;
			break;
		}
	}
	free(line);
	fclose(f);
	cmds.batch = false;
	printf("%s: %u commands, %u expectations: %s\n", path, cmds.nr_commands,
		cmds.nr_expects, status == 0 ? "PASS" : "FAIL");
	fflush(stdout);
	return status;
}

static void
run_interactive(void)
{
	/* Parses and completes; cmds_interact() reads the keys. */
	if (cmds_table_cmdline(STDOUT_FILENO) == NULL) {
		printf("cannot start the command line\n");
		return;
	}
	cmds_interact(PROMPT, cmds.quit);
	cmds_table_cmdline_free();
	printf("\n");
}

int
cmds_run(struct cmds_options *o, const struct backend_conf *be,
		volatile sig_atomic_t *quit)
{
	int status = 0;

	/* Our lines and librte_cmdline's direct writes in their order. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	cmds_ctx_init(o, quit);
	if (cmds_view_init() < 0) {
		printf("out of memory\n");
		return 1;
	}
	if (cmds_session_start(be) < 0) {
		cmds_view_free();
		return 1;
	}
	fflush(stdout);
	if (o->cmdline_file != NULL) {
		/* A command line that only parses: no terminal, no prompt. */
		if (cmds_table_cmdline(STDOUT_FILENO) == NULL) {
			printf("cannot create the command line\n");
			status = 1;
		} else {
			status = run_file(o->cmdline_file);
			cmds_table_cmdline_free();
		}
	}
	if (o->interactive && !cmds.quit_requested && !(quit != NULL && *quit))
		run_interactive();
	cmds_session_stop();
	cmds_view_free();
	return status;
}
