/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The options of the frontend and command-line roles: parsed for main.c,
 * checked together, and the usage text.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmds_args.h"
#include "cmds_opts.h"

void
cmds_options_init(struct cmds_options *o)
{
	memset(o, 0, sizeof(*o));
	fe_config_init(&o->fe);
	o->layout = FE_LAYOUT_SPLIT;
}

static int
opt_number(const char *opt, const char *arg, uint64_t min, uint64_t max,
		uint64_t *v)
{
	if (cmds_parse_u64(arg, max, v) < 0 || *v < min) {
		fprintf(stderr, "--%s %s: expected %" PRIu64 "..%" PRIu64 "\n", opt,
			arg, min, max);
		return -EINVAL;
	}
	return 0;
}

static int
opt_ring_size(const char *opt, const char *arg, uint16_t *size)
{
	uint64_t v;

	if (opt_number(opt, arg, 1, 32768, &v) < 0)
		return -EINVAL;
	if ((v & (v - 1)) != 0) {
		fprintf(stderr, "--%s %s: a power of two\n", opt, arg);
		return -EINVAL;
	}
	*size = (uint16_t)v;
	return 0;
}

/* "CTRL_VLAN,RSS": clear those bits from what the frontend may accept. */
static int
opt_features_off(struct cmds_options *o, const char *arg)
{
	char copy[512], *save = NULL, *tok;
	int bit;

	snprintf(copy, sizeof(copy), "%s", arg);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		bit = fe_feature_bit(tok);
		if (bit < 0) {
			fprintf(stderr, "--fe-features-off: unknown feature %s "
				"(names as 'show features' prints them)\n", tok);
			return -EINVAL;
		}
		o->fe.feature_mask &= ~FE_BIT(bit);
	}
	return 0;
}

int
cmds_parse_option(struct cmds_options *o, int opt, const char *arg)
{
	uint64_t v;

	switch (opt) {
	case 'i':
	case CMDS_OPT_INTERACTIVE:
		o->interactive = true;
		return 0;
	case CMDS_OPT_CONNECT:
		o->connect = arg;
		return 0;
	case CMDS_OPT_SELF:
		o->self = true;
		return 0;
	case CMDS_OPT_CMDLINE_FILE:
		o->cmdline_file = arg;
		return 0;
	case CMDS_OPT_FE_PAIRS:
		if (opt_number("fe-pairs", arg, 0, FE_MAX_PAIRS, &v) < 0)
			return -EINVAL;
		o->fe.nr_pairs = (uint16_t)v;
		return 0;
	case CMDS_OPT_FE_QUEUE_SIZE:
		return opt_ring_size("fe-queue-size", arg, &o->fe.ring_size);
	case CMDS_OPT_FE_CTRL_QUEUE_SIZE:
		return opt_ring_size("fe-ctrl-queue-size", arg,
			&o->fe.ctrl_ring_size);
	case CMDS_OPT_FE_FEATURES_OFF:
		return opt_features_off(o, arg);
	case CMDS_OPT_FE_CTRL_TIMEOUT:
		if (opt_number("fe-ctrl-timeout", arg, 1, 600000, &v) < 0)
			return -EINVAL;
		o->fe.ctrl_timeout_ms = (uint32_t)v;
		return 0;
	case CMDS_OPT_FE_VERBOSE:
		o->fe.verbose = true;
		return 0;
	case CMDS_OPT_PACKED:
		o->fe.packed = true;
		return 0;
	case CMDS_OPT_CTRL_LAYOUT:
		o->layout = fe_ctrl_layout_from_name(arg);
		if (o->layout == FE_LAYOUT_MAX) {
			fprintf(stderr, "--ctrl-layout %s: split, one, bytes or "
				"indirect\n", arg);
			return -EINVAL;
		}
		return 0;
	default:
		return -ENOENT;
	}
}

int
cmds_check_options(struct cmds_options *o, struct backend_conf *be)
{
	const char *tmp = getenv("TMPDIR");

	if (o->connect != NULL && o->self) {
		fprintf(stderr, "--connect and --self exclude each other\n");
		return -EINVAL;
	}
	if (o->self && be->client) {
		fprintf(stderr, "--self: the backend must listen (no --client)\n");
		return -EINVAL;
	}
	if (o->self && be->nr_ifaces == 0) {
		/* A private socket in the temporary directory. */
		if (tmp == NULL || tmp[0] == '\0')
			tmp = "/tmp";
		if ((size_t)snprintf(o->self_path, sizeof(o->self_path),
				"%s/dpdk-test-vdpa-cvq.%d.sock", tmp, (int)getpid()) >=
				sizeof(o->self_path)) {
			fprintf(stderr, "--self: TMPDIR too long for a socket path; "
				"give --iface PATH\n");
			return -EINVAL;
		}
		be->ifaces[be->nr_ifaces++] = o->self_path;
	}
	if (be->nr_ifaces == 0 && o->connect == NULL) {
		fprintf(stderr, "give --iface PATH (backend), --connect PATH "
			"(frontend) or --self (both)\n");
		return -EINVAL;
	}
	if ((o->connect != NULL || o->self) && !o->interactive &&
			o->cmdline_file == NULL) {
		fprintf(stderr, "--%s: give -i or --cmdline-file FILE\n",
			o->self ? "self" : "connect");
		return -EINVAL;
	}
	return 0;
}

void
cmds_usage(FILE *f)
{
	fprintf(f,
		"Frontend and command line:\n"
		"  --self              backend and frontend in this process: the\n"
		"                      frontend connects to the first --iface (or a\n"
		"                      private socket) over vhost-user\n"
		"  --connect PATH      frontend only: drive the backend listening\n"
		"                      on PATH in another process\n"
		"  -i, --interactive   command prompt (testvdpacvq> )\n"
		"  --cmdline-file FILE run the commands of FILE; a failed command\n"
		"                      or expectation makes the exit status 1\n"
		"  --fe-pairs N        queue pairs the frontend creates (default:\n"
		"                      the device maximum)\n"
		"  --fe-queue-size N   data ring size (default 256)\n"
		"  --fe-ctrl-queue-size N  control ring size (default 64)\n"
		"  --fe-features-off LIST  features the frontend refuses, e.g.\n"
		"                      CTRL_VLAN,RSS\n"
		"  --fe-ctrl-timeout MS    wait for a control answer (default 1000)\n"
		"  --fe-verbose        log every vhost-user message\n"
		"  --ctrl-layout L     split, one, bytes or indirect (default split)\n"
		"  --packed            packed virtqueues (VIRTIO_F_RING_PACKED; the\n"
		"                      device must offer it), default split\n");
}

bool
cmds_active(const struct cmds_options *o)
{
	return o->connect != NULL || o->self || o->interactive ||
		o->cmdline_file != NULL;
}
