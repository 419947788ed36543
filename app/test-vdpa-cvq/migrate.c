/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Moving a device between two backend processes: state files on the device
 * side, stop and resume on another socket on the frontend side (migrate.h).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_pmd_cvqsim.h>

#include "cmds_args.h"
#include "cmds_ctx.h"
#include "cmds_session.h"
#include "migrate.h"

/* A state is at most a few tens of KiB; refuse anything absurd. */
#define MIGRATE_MAX_FILE	(1u << 20)

int
migrate_save_file(struct rte_vdpa_device *dev, const char *path, char *msg,
		size_t len)
{
	uint8_t *buf = NULL;
	size_t n = 0;
	FILE *f;
	int ret;

	ret = rte_pmd_cvqsim_state_save(dev, &buf, &n);
	if (ret != 0) {
		snprintf(msg, len, "cannot save the state: %s", strerror(-ret));
		return ret;
	}
	f = fopen(path, "wb");
	if (f == NULL || fwrite(buf, 1, n, f) != n || fflush(f) != 0) {
		ret = -errno;
		snprintf(msg, len, "cannot write %s: %s", path, strerror(errno));
	} else {
		snprintf(msg, len, "state saved: %zu bytes in %s", n, path);
	}
	if (f != NULL && fclose(f) != 0 && ret == 0) {
		ret = -errno;
		snprintf(msg, len, "cannot write %s: %s", path, strerror(errno));
	}
	free(buf);
	return ret;
}

int
migrate_restore_file(struct rte_vdpa_device *dev, const char *path,
		char *msg, size_t len)
{
	char err[256] = "";
	struct stat st;
	uint8_t *buf;
	FILE *f;
	size_t n;
	int ret;

	f = fopen(path, "rb");
	if (f == NULL || fstat(fileno(f), &st) != 0) {
		snprintf(msg, len, "cannot read %s: %s", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -errno;
	}
	if (st.st_size <= 0 || st.st_size > MIGRATE_MAX_FILE) {
		fclose(f);
		snprintf(msg, len, "%s: %lld bytes is not a cvqsim state", path,
			(long long)st.st_size);
		return -EINVAL;
	}
	buf = malloc((size_t)st.st_size);
	n = buf != NULL ? fread(buf, 1, (size_t)st.st_size, f) : 0;
	fclose(f);
	if (n != (size_t)st.st_size) {
		free(buf);
		snprintf(msg, len, "cannot read %s", path);
		return -EIO;
	}
	ret = rte_pmd_cvqsim_state_restore(dev, buf, n, err, sizeof(err));
	free(buf);
	if (ret != 0)
		snprintf(msg, len, "state in %s refused: %s", path, err);
	else
		snprintf(msg, len, "state from %s accepted (%zu bytes): loaded, "
			"or kept until a frontend negotiates", path, n);
	return ret;
}

static void
migrate_check(void)
{
	struct rte_vdpa_device *dev = cmds_need_vdpa();
	uint32_t commands = 0;
	char err[256] = "";
	size_t len = 0;
	int ret;

	if (dev == NULL)
		return;
	ret = rte_pmd_cvqsim_state_check(dev, &len, &commands, err,
		sizeof(err));
	if (ret != 0) {
		cmds_error("state check: %s (%s)", err, strerror(-ret));
		return;
	}
	cmds_out("state check: %zu bytes of device parts; restored from the "
		"parts and by replaying %" PRIu32 " control commands, the same "
		"state byte for byte\n", len, commands);
}

/* Frontend: resume on another backend's socket, same memory and rings. */
static void
migrate_resume(const char *path)
{
	struct fe_dev *fe = cmds_need_fe();
	struct fe_dev_info info;
	int ret;

	if (fe == NULL)
		return;
	fe_dev_info_get(fe, &info);
	if (info.state == FE_STATE_RUNNING) {
		cmds_error("migrate resume: stop first (migrate stop)");
		return;
	}
	ret = fe_dev_set_socket(fe, path);
	if (ret == 0)
		ret = fe_dev_resume(fe);
	if (ret < 0) {
		cmds_error("migrate resume on %s: %s", path, fe_dev_error(fe));
		return;
	}
	fe_dev_info_get(fe, &info);
	/* The device state moved with the device: the view stays. */
	cmds_out("frontend resumed on %s: rings at the kept indices, the "
		"device state is the one restored there\n", info.socket_path);
}

void
cmds_migrate(const char *args)
{
	char buf[CMDS_ARGS_MAX], msg[512], *argv[3];
	struct rte_vdpa_device *dev;
	unsigned int argc;
	int ret;

	snprintf(buf, sizeof(buf), "%s", args);
	argc = cmds_split(buf, argv, 3);
	if (argc == 1 && strcmp(argv[0], "check") == 0) {
		migrate_check();
	} else if (argc == 1 && strcmp(argv[0], "stop") == 0) {
		cmds_session_stop_fe();
	} else if (argc == 2 && strcmp(argv[0], "resume") == 0) {
		migrate_resume(argv[1]);
	} else if (argc == 2 && (strcmp(argv[0], "save") == 0 ||
			strcmp(argv[0], "restore") == 0)) {
		dev = cmds_need_vdpa();
		if (dev == NULL)
			return;
		ret = argv[0][0] == 's' ?
			migrate_save_file(dev, argv[1], msg, sizeof(msg)) :
			migrate_restore_file(dev, argv[1], msg, sizeof(msg));
		if (ret != 0)
			cmds_error("%s", msg);
		else
			cmds_out("%s\n", msg);
	} else {
		cmds_error("usage: migrate save FILE | restore FILE | check | "
			"stop | resume SOCKET");
	}
}
