/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_LINE_H
#define CMDS_LINE_H

/* One line of commands: parsed and run, parse errors explained; the
 * prompt (cmds_line.c). */

#include <signal.h>

#include <cmdline_parse.h>

/* Parse and run one line (ending in '\n') with cmds.cl: 0, or -1 if it
 * failed (a line that does not parse is explained). */
int cmds_exec_line(const char *line);
/*
 * Say in one error why librte_cmdline could not parse line (ret its
 * CMDLINE_PARSE_* code): the word at fault, the range, the usage.
 */
void cmds_explain_parse_error(cmdline_parse_ctx_t *table, const char *line,
		int ret);
/* The prompt on stdin until quit, Ctrl-D or *quit (parses with cmds.cl). */
void cmds_interact(const char *prompt, volatile sig_atomic_t *quit);

#endif /* CMDS_LINE_H */
