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

#include "backend.h"
#include "cmds_opts.h"

/**
 * Run the session: bring the frontend up (--self, --connect), run the file,
 * then the interactive prompt, tear the frontend down. Stops early when
 * @p quit becomes non-zero (signal). Returns 0 when every command and
 * expectation succeeded, 1 otherwise.
 */
int cmds_run(struct cmds_options *o, const struct backend_conf *be,
		volatile sig_atomic_t *quit);

#endif /* CMDS_H */
