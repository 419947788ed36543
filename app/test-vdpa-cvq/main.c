/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * dpdk-test-vdpa-cvq: hosts cvqsim devices behind vhost-user sockets.
 *
 *   dpdk-test-vdpa-cvq [EAL options] --vdev vdpa_cvqsim0,queues=N -- \
 *       --iface PATH [--iface PATH2 ...] [--client] [--stats-period SEC]
 *
 * main.c parses the options into struct app_options and runs the backend
 * (backend.c, behind a setup/run/teardown API) and the command line.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_log.h>

#include <rte_vhost.h>

#include "backend.h"
#include "cmds.h"
#include "shadow.h"
#include "shadow_show.h"
#include "migrate.h"

struct app_options {
	struct backend_conf backend;
	unsigned int stats_period;	/* seconds, 0: only at exit */
	/* --shadow-cvq: every interface, or those named. */
	bool shadow_all;
	const char *shadow_paths[BACKEND_MAX_IFACES];
	unsigned int nr_shadow_paths;
	const char *restore;		/* --restore FILE: first device */
	struct cmds_options cli;	/* frontend roles, command line */
};

static volatile sig_atomic_t app_quit;

static void
app_signal(int sig)
{
	RTE_SET_USED(sig);
	app_quit = 1;
}

static void
app_usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [options]\n"
		"Backend role (hosts the cvqsim devices given with --vdev):\n"
		"  --iface PATH        vhost-user socket for the next cvqsim device\n"
		"                      (repeat: n-th --iface -> n-th device)\n"
		"  --client            connect to the sockets instead of listening\n"
		"  --stats-period SEC  print the device stats every SEC seconds\n"
		"  --shadow-cvq[=PATH] the VMM role: relay the control queue of every\n"
		"                      interface (or of --iface PATH; repeat) through\n"
		"                      a shadow ring in ASID 1 (the VM case)\n"
		"  --restore FILE      load the first device's state saved by\n"
		"                      \"migrate save\" when a frontend negotiates\n"
		"  --help              this text\n", prog);
	cmds_usage(stdout);
}

enum {
	OPT_IFACE = 256,
	OPT_CLIENT,
	OPT_STATS_PERIOD,
	OPT_SHADOW_CVQ,
	OPT_RESTORE,
	OPT_HELP,
};

static const struct option app_long_options[] = {
	{ "iface", required_argument, NULL, OPT_IFACE },
	{ "client", no_argument, NULL, OPT_CLIENT },
	{ "stats-period", required_argument, NULL, OPT_STATS_PERIOD },
	{ "shadow-cvq", optional_argument, NULL, OPT_SHADOW_CVQ },
	{ "restore", required_argument, NULL, OPT_RESTORE },
	{ "help", no_argument, NULL, OPT_HELP },
	CMDS_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* Mark the interfaces --shadow-cvq names (after --self made its socket). */
static int
app_shadow_ifaces(struct app_options *opts)
{
	struct backend_conf *be = &opts->backend;
	unsigned int i, k;

	for (i = 0; i < be->nr_ifaces; i++)
		be->shadow_cvq[i] = opts->shadow_all;
	for (k = 0; k < opts->nr_shadow_paths; k++) {
		for (i = 0; i < be->nr_ifaces; i++)
			if (strcmp(be->ifaces[i], opts->shadow_paths[k]) == 0)
				break;
		if (i == be->nr_ifaces) {
			fprintf(stderr, "--shadow-cvq=%s: no --iface with that path\n",
				opts->shadow_paths[k]);
			return -EINVAL;
		}
		be->shadow_cvq[i] = true;
	}
	return 0;
}

/* Without --shadow-cvq the VMM role takes no thread and no memory. */
static bool
app_wants_shadow(const struct app_options *opts)
{
	return opts->shadow_all || opts->nr_shadow_paths > 0;
}

/* Returns 0, 1 for --help, or -EINVAL with the reason printed. */
static int
app_parse_args(int argc, char **argv, struct app_options *opts)
{
	char *end;
	unsigned long v;
	int opt, ret;

	memset(opts, 0, sizeof(*opts));
	cmds_options_init(&opts->cli);
	optind = 1;
	while ((opt = getopt_long(argc, argv, CMDS_SHORT_OPTIONS,
			app_long_options, NULL)) != -1) {
		switch (opt) {
		case OPT_IFACE:
			if (opts->backend.nr_ifaces == BACKEND_MAX_IFACES) {
				fprintf(stderr, "at most %u --iface\n",
					BACKEND_MAX_IFACES);
				return -EINVAL;
			}
			opts->backend.ifaces[opts->backend.nr_ifaces++] = optarg;
			break;
		case OPT_CLIENT:
			opts->backend.client = true;
			break;
		case OPT_STATS_PERIOD:
			errno = 0;
			v = strtoul(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg || v > 3600) {
				fprintf(stderr, "--stats-period %s: expected 0..3600\n",
					optarg);
				return -EINVAL;
			}
			opts->stats_period = (unsigned int)v;
			break;
		case OPT_SHADOW_CVQ:
			if (optarg == NULL)
				opts->shadow_all = true;
			else if (opts->nr_shadow_paths < BACKEND_MAX_IFACES)
				opts->shadow_paths[opts->nr_shadow_paths++] = optarg;
			break;
		case OPT_RESTORE:
			opts->restore = optarg;
			break;
		case OPT_HELP:
			app_usage(argv[0]);
			return 1;
		default:
			ret = cmds_parse_option(&opts->cli, opt, optarg);
			if (ret == 0)
				break;
			if (ret == -ENOENT)
				app_usage(argv[0]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "unexpected argument: %s\n", argv[optind]);
		return -EINVAL;
	}
	ret = cmds_check_options(&opts->cli, &opts->backend);
	return ret != 0 ? ret : app_shadow_ifaces(opts);
}

static void
app_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = app_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Wait for a signal, printing stats every period seconds if asked. */
static void
app_run_backend(const struct app_options *opts)
{
	struct timespec tick = { .tv_sec = 0, .tv_nsec = 100 * 1000 * 1000 };
	unsigned int ticks = 0;

	printf("backend running, Ctrl-C to stop\n");
	fflush(stdout);
	if (opts->stats_period != 0)
		backend_print_period(NULL);	/* the counters rates start from */
	while (!app_quit) {
		nanosleep(&tick, NULL);
		if (opts->stats_period != 0 &&
				++ticks >= opts->stats_period * 10) {
			ticks = 0;
			backend_print_period(stdout);
		}
	}
}

/* --restore FILE: the first device takes the state (or keeps it pending). */
static int
app_restore(const struct app_options *opts)
{
	struct rte_vdpa_device *dev;
	char msg[512];

	if (opts->restore == NULL)
		return 0;
	dev = opts->backend.nr_ifaces == 0 ? NULL :
		rte_vhost_driver_get_vdpa_device(opts->backend.ifaces[0]);
	if (dev == NULL) {
		fprintf(stderr, "--restore: no cvqsim device behind a --iface\n");
		return -ENODEV;
	}
	if (migrate_restore_file(dev, opts->restore, msg, sizeof(msg)) != 0) {
		fprintf(stderr, "--restore: %s\n", msg);
		return -EINVAL;
	}
	printf("%s\n", msg);
	return 0;
}

int
main(int argc, char **argv)
{
	struct app_options opts;
	unsigned long errors;
	int ret, status = 0;

	/*
	 * As DPDK applications do: a write to a socket or pipe whose reader is
	 * gone (a vhost-user frontend that vanished, a call fd that is a
	 * pipe) fails with EPIPE instead of killing the process. Before EAL,
	 * so that no thread ever has the default action.
	 */
	signal(SIGPIPE, SIG_IGN);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;

	ret = app_parse_args(argc, argv, &opts);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
	}
	app_install_signals();

	if (opts.backend.nr_ifaces > 0) {
		ret = backend_setup(&opts.backend);
		if (ret != 0) {
			fprintf(stderr, "backend setup failed: %s\n", strerror(-ret));
			rte_eal_cleanup();
			return EXIT_FAILURE;
		}
		ret = app_wants_shadow(&opts) ? shadow_setup(&opts.backend) : 0;
		if (ret != 0) {
			fprintf(stderr, "shadow setup failed: %s\n", strerror(-ret));
			shadow_teardown();
			backend_teardown();
			rte_eal_cleanup();
			return EXIT_FAILURE;
		}
	}
	if (app_restore(&opts) != 0) {
		backend_teardown();
		rte_eal_cleanup();
		return EXIT_FAILURE;
	}
	if (cmds_active(&opts.cli))
		status = cmds_run(&opts.cli, &opts.backend, &app_quit);
	else
		app_run_backend(&opts);

	printf("stopping\n");
	backend_teardown();
	/* The VMM's view of every shadowed device must be the device's. */
	if (shadow_check(stdout) != 0)
		status = 1;
	shadow_teardown();
	errors = backend_print_stats(stdout);
	rte_eal_cleanup();
	return errors == 0 && status == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
