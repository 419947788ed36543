/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The context of the command line (cmds_ctx.h) and the messages of a
 * command: what it prints, its errors (which make it count as failed, and
 * name FILE:LINE in a script), a failed expectation.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmds_ctx.h"

struct cmds_ctx cmds;

void
cmds_ctx_init(struct cmds_options *opts, volatile sig_atomic_t *quit)
{
	memset(&cmds, 0, sizeof(cmds));
	cmds.opts = opts;
	cmds.quit = quit;
	cmds.last_ack = -1;
}

void
cmds_out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void
where(char *buf, size_t len)
{
	if (cmds.batch)
		snprintf(buf, len, " at %s:%u", cmds.file, cmds.line);
	else
		buf[0] = '\0';
}

void
cmds_error(const char *fmt, ...)
{
	char at[300];
	va_list ap;

	where(at, sizeof(at));
	va_start(ap, fmt);
	vsnprintf(cmds.last_error, sizeof(cmds.last_error), fmt, ap);
	va_end(ap);
	printf("error%s: %s\n", at, cmds.last_error);
	cmds.cmd_failed = true;
}

void
cmds_arg_error(const char *fmt, ...)
{
	char reason[sizeof(cmds.last_error)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (cmds.usage != NULL)
		cmds_error("%s; usage: %s", reason, cmds.usage);
	else
		cmds_error("%s", reason);
}

void
cmds_expect_failed(const char *expected, const char *saw)
{
	char at[300];

	where(at, sizeof(at));
	printf("expect failed%s: expected %s, saw %s\n", at, expected, saw);
	cmds.cmd_failed = true;
}

struct fe_dev *
cmds_need_fe(void)
{
	if (cmds.fe == NULL)
		cmds_error("no frontend in this process (start with --self or "
			"--connect PATH)");
	return cmds.fe;
}

struct rte_vdpa_device *
cmds_need_vdpa(void)
{
	if (cmds.vdpa == NULL)
		cmds_error("the device is not in this process (--self or --iface "
			"hosts it here)");
	return cmds.vdpa;
}
