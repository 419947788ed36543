/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Options of the frontend roles and the session they make: which device
 * lives in this process (the one attached to our first socket), and the
 * frontend connected to it (--self) or to another process (--connect).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_vdpa.h>
#include <rte_vhost.h>

#include "cmds_priv.h"

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

/* The device attached to our first socket, when it lives here. */
static void
session_find_device(const struct backend_conf *be)
{
	struct rte_vdpa_device *dev;

	if (be->nr_ifaces == 0)
		return;
	dev = rte_vhost_driver_get_vdpa_device(be->ifaces[0]);
	if (dev == NULL)
		return;
	cmds.vdpa = dev;
	cmds.socket = be->ifaces[0];
	snprintf(cmds.vdpa_name, sizeof(cmds.vdpa_name), "%s",
		rte_dev_name(rte_vdpa_get_rte_device(dev)));
}

static void
session_describe(void)
{
	struct fe_dev_info info;
	char buf[1024];

	fe_dev_info_get(cmds.fe, &info);
	fe_features_format(info.features, buf, sizeof(buf));
	cmds_out("frontend connected to %s: %u of %u queue pairs, %s rings, "
		"control queue vring %d, layout %s\n  features %s\n",
		info.socket_path, info.nr_pairs, info.max_pairs,
		info.features & FE_BIT(FE_F_RING_PACKED) ? "packed" : "split",
		info.ctrl_vq, fe_ctrl_layout_name(fe_ctrl_get_layout(cmds.fe)),
		buf);
}

int
cmds_session_start(const struct backend_conf *be)
{
	struct cmds_options *o = cmds.opts;
	struct fe_dev_info info;
	struct fe_config cfg = o->fe;
	char err[256];
	int ret;

	session_find_device(be);
	if (cmds.vdpa != NULL)
		cmds_out("device %s serves %s\n", cmds.vdpa_name, cmds.socket);
	if (o->connect == NULL && !o->self)
		return 0;
	cfg.socket_path = o->self ? be->ifaces[0] : o->connect;
	ret = fe_dev_open(&cfg, &cmds.fe, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "frontend: cannot bring up %s: %s\n",
			cfg.socket_path, err);
		cmds.fe = NULL;
		return ret;
	}
	if (fe_ctrl_set_layout(cmds.fe, o->layout) < 0)
		fprintf(stderr, "frontend: layout %s refused: %s\n",
			fe_ctrl_layout_name(o->layout), fe_dev_error(cmds.fe));
	fe_dev_info_get(cmds.fe, &info);
	cmds_view_reset(&info);
	session_describe();
	return 0;
}

void
cmds_session_stop(void)
{
	if (cmds.fe != NULL) {
		fe_dev_destroy(cmds.fe);
		cmds.fe = NULL;
	}
}

int
cmds_session_stop_fe(void)
{
	struct fe_dev *fe = cmds_need_fe();
	struct fe_dev_info info;
	uint16_t vring, base;
	int ret;

	if (fe == NULL)
		return -ENODEV;
	ret = fe_dev_stop(fe);
	if (ret < 0) {
		cmds_error("device stop: %s", fe_dev_error(fe));
		return ret;
	}
	fe_dev_info_get(fe, &info);
	cmds_out("frontend stopped; ring indices from GET_VRING_BASE:");
	for (vring = 0; vring < info.nr_vrings; vring++)
		if (fe_dev_vring_base(fe, vring, &base) == 0)
			cmds_out(" %u:%u", vring, base);
	cmds_out("\n");
	return 0;
}

int
cmds_session_reconnect(void)
{
	struct fe_dev *fe = cmds_need_fe();
	struct fe_dev_info info;
	int ret;

	if (fe == NULL)
		return -ENODEV;
	fe_dev_info_get(fe, &info);
	if (info.state == FE_STATE_RUNNING) {
		ret = cmds_session_stop_fe();
		if (ret < 0)
			return ret;
	}
	ret = fe_dev_resume(fe);
	if (ret < 0) {
		cmds_error("device reconnect: %s", fe_dev_error(fe));
		return ret;
	}
	fe_dev_info_get(fe, &info);
	/*
	 * A new vhost-user connection is a new device instance: cvqsim resets
	 * its model, and this frontend does not replay its commands.
	 */
	cmds_view_reset(&info);
	cmds_out("frontend reconnected to %s (reconnect %" PRIu64 "), rings "
		"resumed at the kept indices, device state at its reset "
		"defaults\n", info.socket_path, info.reconnects);
	return 0;
}
