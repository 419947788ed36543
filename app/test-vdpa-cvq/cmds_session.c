/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The session the options make: which device lives in this process (the
 * one attached to our first socket), and the frontend connected to it
 * (--self) or to another process (--connect).
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

#include "cmds_ctx.h"
#include "cmds_opts.h"
#include "cmds_session.h"
#include "cmds_view.h"

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
