/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * bad-config-check: bad configuration of the cvqsim vdev and of the
 * vhost-user sockets in one EAL process, hot-plugging devices with
 * rte_vdev_init()/rte_vdev_uninit().
 *
 * Every refusal must be a clear error naming the problem (checked in the
 * log) and leave nothing behind: no vDPA device registered, no thread, no
 * fd, and the same name probes with valid devargs right after. Cases:
 * - every devarg's invalid values, unknown and repeated keys;
 * - the same device created twice (the first one keeps working);
 * - a socket path in a directory that does not exist, one longer than a
 *   socket address holds, and a path given twice: the backend refuses, and
 *   a valid path works afterwards with a frontend passing traffic. (A
 *   client socket nobody listens on is not an error: the vhost library
 *   keeps reconnecting until a server appears.)
 *
 *   bad-config-check WORK_DIR [CASE...]   (devargs, duplicate, socket-*)
 *
 * Prints one "case ..." line per case, then PASS or FAIL.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_log.h>
#include <rte_vdpa.h>

#include <rte_pmd_cvqsim.h>

#include "backend.h"
#include "proc_check.h"

#define NAME	"vdpa_cvqsim0"

/* ---- observations ---------------------------------------------------------- */

static unsigned int
dir_entries(const char *path)
{
	struct dirent *e;
	unsigned int n = 0;
	DIR *d = opendir(path);

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

struct snapshot {
	unsigned int fds;
	unsigned int threads;
};

static void
snapshot(struct snapshot *s)
{
	s->fds = dir_entries("/proc/self/fd");
	s->threads = dir_entries("/proc/self/task");
}

/* Whether the EAL log since the last mark has a line containing pat. */
static bool
logged(const char *pat, char *line, size_t len)
{
	return pc_log_count(pat, line, len) > 0;
}

/* The same fds and threads as in s, allowing a moment to wind down. */
static int
same_as(const struct snapshot *s, const char *what)
{
	struct snapshot now;
	int i;

	for (i = 0; i < 50; i++) {
		snapshot(&now);
		if (now.fds == s->fds && now.threads == s->threads)
			return 0;
		usleep(20000);
	}
	printf("FAIL: %s: fds %u -> %u, threads %u -> %u\n", what, s->fds,
		now.fds, s->threads, now.threads);
	return -1;
}

/* A valid device under NAME: probes, is registered, goes away cleanly. */
static int
probe_valid(const struct snapshot *before)
{
	CHECK(rte_vdev_init(NAME, "queues=2") == 0, "valid devargs after a"
		" refusal: the probe failed");
	CHECK(rte_pmd_cvqsim_is_cvqsim(rte_vdpa_find_device_by_name(NAME)) == 1,
		"valid device not registered");
	CHECK(rte_vdev_uninit(NAME) == 0, "remove the valid device");
	CHECK(rte_vdpa_find_device_by_name(NAME) == NULL,
		"device still registered after its removal");
	return same_as(before, "probe and remove of a valid device");
}

/* ---- devargs ----------------------------------------------------------------- */

struct bad_devargs {
	const char *args;
	const char *message;	/* the log must say it */
};

static const struct bad_devargs bad_devargs[] = {
	{ "queues=0", "devarg queues=0: expected an integer in 1..127" },
	{ "queues=129", "devarg queues=129: expected an integer in 1..127" },
	{ "queues=abc", "devarg queues=abc: expected an integer in 1..127" },
	{ "queues=128", "devarg queues=128: at most 127 queue pairs" },
	{ "mac=zz", "devarg mac=zz: expected xx:xx:xx:xx:xx:xx" },
	{ "mac=01:00:5e:00:00:01", "not a unicast address" },
	{ "mtu=67", "devarg mtu=67: expected an integer in 68..9000" },
	{ "mtu=9001", "devarg mtu=9001: expected an integer in 68..9000" },
	{ "mac_table=0", "devarg mac_table=0: expected an integer in 1..4096" },
	{ "poll=bogus", "devarg poll=bogus: expected thread, service or adaptive" },
	{ "cpu=999", "devarg cpu=999: expected an integer in 0.." },
	{ "poll=service,cpu=0", "cpu is for poll=thread or poll=adaptive" },
	{ "bogus=1", "unknown devarg \"bogus\"" },
	{ "queues=2,queues=2", "devarg \"queues\" given more than once" },
};

static int
test_bad_devargs(void)
{
	struct snapshot before;
	char line[512];
	unsigned int i;
	int ret;

	snapshot(&before);
	for (i = 0; i < RTE_DIM(bad_devargs); i++) {
		const struct bad_devargs *c = &bad_devargs[i];

		pc_log_mark();
		ret = rte_vdev_init(NAME, c->args);
		CHECK(ret < 0, "\"%s\" accepted", c->args);
		CHECK(logged(c->message, line, sizeof(line)), "\"%s\": no log line"
			" saying \"%s\"", c->args, c->message);
		CHECK(logged(NAME ": probe failed", NULL, 0),
			"\"%s\": the probe failure does not name the device", c->args);
		CHECK(rte_vdpa_find_device_by_name(NAME) == NULL,
			"\"%s\": a vDPA device is left registered", c->args);
		if (same_as(&before, c->args) < 0 || probe_valid(&before) < 0)
			return -1;
		printf("case devargs \"%s\": refused, nothing left, valid devargs"
			" probe next: %s\n", c->args, strstr(line, "devarg") != NULL ?
			strstr(line, "devarg") : line);
	}
	return 0;
}

static int
test_duplicate(void)
{
	struct snapshot before;
	char line[512] = "";
	int ret;

	snapshot(&before);
	CHECK(rte_vdev_init(NAME, "queues=1") == 0, "first device");
	pc_log_mark();
	ret = rte_vdev_init(NAME, "queues=4");
	CHECK(ret == -EEXIST, "the same device twice: %d, expected -EEXIST", ret);
	logged(NAME, line, sizeof(line));
	CHECK(rte_pmd_cvqsim_is_cvqsim(rte_vdpa_find_device_by_name(NAME)) == 1,
		"the first device is gone");
	CHECK(rte_vdev_uninit(NAME) == 0, "remove the first device");
	if (same_as(&before, "duplicate") < 0)
		return -1;
	printf("case duplicate device: -EEXIST, the first one intact: %s\n",
		line[0] != '\0' ? line : "(no log line)");
	return 0;
}

/* ---- sockets --------------------------------------------------------------------- */

/* Socket files left in the work directory (none once torn down). */
static unsigned int
sockets_left(void)
{
	struct dirent *e;
	unsigned int n = 0;
	DIR *d = opendir(pc_work_dir());

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_type == DT_SOCK;
	closedir(d);
	return n;
}

/* A frontend on path passes frames: the backend there works. */
static int
frontend_works(const char *path)
{
	static const uint8_t frame[64] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	struct fe_config cfg;
	struct fe_dev *fe;
	char err[256];
	int i, got;

	fe_config_init(&cfg);
	cfg.socket_path = path;
	CHECK(fe_dev_open(&cfg, &fe, err, sizeof(err)) == 0, "frontend: %s", err);
	for (i = 0; i < 8; i++)
		fe_tx_frame(fe, 0, frame, sizeof(frame), NULL);
	got = fe_rx_drain(fe, 100, 3000, NULL, NULL);
	fe_dev_destroy(fe);
	CHECK(got == 8, "%d of 8 frames back", got);
	return 0;
}

struct bad_socket {
	const char *name;	/* case name on the command line */
	const char *what;
	const char *path;	/* NULL: built by the case */
	bool client;
	bool twice;		/* the same path for two devices */
	const char *message;
};

static int
test_bad_socket(const struct bad_socket *c)
{
	char path[400], good[300], line[512] = "";
	struct backend_conf conf;
	struct snapshot before;
	int ret;

	CHECK(rte_vdev_init("vdpa_cvqsim1", "") == 0 &&
		rte_vdev_init("vdpa_cvqsim2", "") == 0, "devices");
	if (c->path != NULL)
		snprintf(path, sizeof(path), "%s", c->path);
	else if (c->client || c->twice)
		snprintf(path, sizeof(path), "%s/%s.sock", pc_work_dir(),
			c->client ? "nobody" : "twice");
	else	/* longer than sun_path (108) */
		snprintf(path, sizeof(path), "%s/%0200d.sock", pc_work_dir(), 0);
	memset(&conf, 0, sizeof(conf));
	conf.ifaces[conf.nr_ifaces++] = path;
	if (c->twice)
		conf.ifaces[conf.nr_ifaces++] = path;
	conf.client = c->client;

	snapshot(&before);
	pc_log_mark();
	ret = backend_setup(&conf);
	CHECK(ret < 0, "%s: accepted", c->what);
	CHECK(logged(c->message, line, sizeof(line)), "%s: no log line saying"
		" \"%s\"", c->what, c->message);
	if (same_as(&before, c->what) < 0)
		return -1;

	/* Nothing half set up: the same devices serve a good socket now. */
	snprintf(good, sizeof(good), "%s/good.sock", pc_work_dir());
	memset(&conf, 0, sizeof(conf));
	conf.ifaces[conf.nr_ifaces++] = good;
	CHECK(backend_setup(&conf) == 0, "%s: a good socket after it fails",
		c->what);
	if (frontend_works(good) < 0)
		return -1;
	backend_teardown();
	CHECK(rte_vdev_uninit("vdpa_cvqsim1") == 0 &&
		rte_vdev_uninit("vdpa_cvqsim2") == 0, "remove the devices");
	CHECK(sockets_left() == 0, "%s: %u socket file(s) left in %s", c->what,
		sockets_left(), pc_work_dir());
	printf("case socket %s: refused (%d), a good socket works next: %s\n",
		c->what, ret, line);
	return 0;
}

static const struct bad_socket bad_sockets[] = {
	{ "socket-missing-dir", "in a missing directory",
		"/nonexistent-cvqsim-dir/x.sock", false, false,
		"directory /nonexistent-cvqsim-dir does not exist" },
	{ "socket-too-long", "path too long", NULL, false, false, "too long" },
	{ "socket-twice", "same path twice", NULL, false, true,
		"given twice" },
};

/*
 * The vhost library starts its event thread (and its pipe) at the first
 * rte_vhost_driver_start() and keeps it for the life of the process, even
 * when that start fails: start it once with a good socket first, so that
 * the counts compared are per attempt.
 */
static int
vhost_warm_up(void)
{
	struct backend_conf conf;
	char good[300];

	CHECK(rte_vdev_init("vdpa_cvqsim1", "") == 0, "warm-up device");
	snprintf(good, sizeof(good), "%s/warm-up.sock", pc_work_dir());
	memset(&conf, 0, sizeof(conf));
	conf.ifaces[conf.nr_ifaces++] = good;
	CHECK(backend_setup(&conf) == 0, "warm-up socket");
	backend_teardown();
	CHECK(rte_vdev_uninit("vdpa_cvqsim1") == 0, "warm-up device removal");
	return 0;
}

static int
run(void)
{
	unsigned int i;

	if (pc_selected("devargs") && test_bad_devargs() < 0)
		return -1;
	if (pc_selected("duplicate") && test_duplicate() < 0)
		return -1;
	if (vhost_warm_up() < 0)
		return -1;
	for (i = 0; i < RTE_DIM(bad_sockets); i++)
		if (pc_selected(bad_sockets[i].name) &&
				test_bad_socket(&bad_sockets[i]) < 0)
			return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	/* No device at start: the cases create and remove their own. */
	const struct pc_env env = { .tag = "badcfg" };

	return pc_main(argc, argv, &env, run);
}
