/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_OPTS_H
#define CMDS_OPTS_H

/**
 * @file
 * The options of the frontend and command-line roles (cmds_opts.c), for
 * main.c's getopt tables and the session they start (cmds_session.c).
 */

#include <stdbool.h>
#include <stdio.h>

#include "backend.h"
#include "frontend.h"

/** Options of the frontend and command-line roles. */
struct cmds_options {
	const char *connect;		/**< --connect PATH */
	bool self;			/**< --self */
	bool interactive;		/**< -i */
	const char *cmdline_file;	/**< --cmdline-file FILE */
	/** Frontend: pairs, ring sizes, feature mask, timeouts. */
	struct fe_config fe;
	enum fe_ctrl_layout layout;	/**< --ctrl-layout (default split) */
	/** --self without --iface: the private socket path we made. */
	char self_path[108];
};

/* Option codes, above those of main.c. */
enum {
	CMDS_OPT_CONNECT = 1024,
	CMDS_OPT_SELF,
	CMDS_OPT_INTERACTIVE,
	CMDS_OPT_CMDLINE_FILE,
	CMDS_OPT_FE_PAIRS,
	CMDS_OPT_FE_QUEUE_SIZE,
	CMDS_OPT_FE_CTRL_QUEUE_SIZE,
	CMDS_OPT_FE_FEATURES_OFF,
	CMDS_OPT_FE_CTRL_TIMEOUT,
	CMDS_OPT_FE_VERBOSE,
	CMDS_OPT_CTRL_LAYOUT,
	CMDS_OPT_PACKED,
};

#define CMDS_SHORT_OPTIONS	"i"

#define CMDS_LONG_OPTIONS \
	{ "connect", required_argument, NULL, CMDS_OPT_CONNECT }, \
	{ "self", no_argument, NULL, CMDS_OPT_SELF }, \
	{ "interactive", no_argument, NULL, CMDS_OPT_INTERACTIVE }, \
	{ "cmdline-file", required_argument, NULL, CMDS_OPT_CMDLINE_FILE }, \
	{ "fe-pairs", required_argument, NULL, CMDS_OPT_FE_PAIRS }, \
	{ "fe-queue-size", required_argument, NULL, CMDS_OPT_FE_QUEUE_SIZE }, \
	{ "fe-ctrl-queue-size", required_argument, NULL, \
		CMDS_OPT_FE_CTRL_QUEUE_SIZE }, \
	{ "fe-features-off", required_argument, NULL, CMDS_OPT_FE_FEATURES_OFF }, \
	{ "fe-ctrl-timeout", required_argument, NULL, CMDS_OPT_FE_CTRL_TIMEOUT }, \
	{ "fe-verbose", no_argument, NULL, CMDS_OPT_FE_VERBOSE }, \
	{ "ctrl-layout", required_argument, NULL, CMDS_OPT_CTRL_LAYOUT }, \
	{ "packed", no_argument, NULL, CMDS_OPT_PACKED }

/** Defaults: no role beyond the backend, frontend defaults of frontend.h. */
void cmds_options_init(struct cmds_options *o);

/**
 * Handle one getopt result main.c does not know ('i' or a CMDS_OPT_*).
 * Returns 0, -ENOENT if @p opt is not ours, -EINVAL with the reason printed.
 */
int cmds_parse_option(struct cmds_options *o, int opt, const char *arg);

/**
 * Check the options together and complete the backend configuration: with
 * --self and no --iface, a private socket path becomes the first iface.
 * Returns 0 or -EINVAL with the reason printed.
 */
int cmds_check_options(struct cmds_options *o, struct backend_conf *be);

/** Options text for main.c's usage. */
void cmds_usage(FILE *f);

/** Whether cmds_run() drives this run (frontend, -i or a file). */
bool cmds_active(const struct cmds_options *o);

#endif /* CMDS_OPTS_H */
