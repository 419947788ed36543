/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_H
#define CMDS_H

/**
 * @file
 * The testpmd-style command line of dpdk-test-vdpa-cvq and the roles that
 * need it.
 *
 * Roles (the backend role itself is backend.c):
 *   backend only   --iface PATH (no frontend; -i gives the device commands)
 *   frontend only  --connect PATH: the in-process frontend drives a backend
 *                  living in another process
 *   both           --self: the backend socket (first --iface, or a private
 *                  path) and the in-process frontend connected to it over
 *                  that real socket; one command runs a whole scenario
 *
 * Commands run interactively (-i, prompt "testvdpacvq> ") or from a file
 * (--cmdline-file FILE, '#' comments, blank lines ignored). In a file, a
 * command error or a failed "expect" stops the run and makes the
 * application exit non-zero; interactively they only print.
 *
 * main.c hooks (a few lines each):
 *   CMDS_SHORT_OPTIONS / CMDS_LONG_OPTIONS in its getopt tables;
 *   cmds_parse_option() for every option main.c does not know;
 *   cmds_check_options() after the loop (it may provide the --self socket);
 *   backend_setup() only when there is an iface (not with --connect alone);
 *   cmds_active() whether cmds_run() replaces the plain backend loop.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
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

/**
 * Run the session: bring the frontend up (--self, --connect), run the file,
 * then the interactive prompt, tear the frontend down. Stops early when
 * @p quit becomes non-zero (signal). Returns 0 when every command and
 * expectation succeeded, 1 otherwise.
 */
int cmds_run(struct cmds_options *o, const struct backend_conf *be,
		volatile sig_atomic_t *quit);

#endif /* CMDS_H */
