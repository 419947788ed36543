/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The backend role: vhost-user sockets with cvqsim devices attached.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>

#include <rte_common.h>
#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_service.h>
#include <rte_vdpa.h>
#include <rte_vhost.h>

#include <rte_pmd_cvqsim.h>

#include "backend.h"
#include "be_events.h"
#include "be_report.h"
#include "be_sock.h"

#define BE_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, RTE_LOGTYPE_USER1, "BACKEND: " fmt "\n", \
		##__VA_ARGS__)

struct backend_iface {
	const char *path;
	struct rte_vdpa_device *dev;
	char dev_name[RTE_DEV_NAME_MAX_LEN];
	bool registered;
	bool service_mapped;
	uint32_t service_id;
	bool mismatch_logged;		/* this connection's, once */
	struct be_report_prev *period;	/* --stats-period: last counters */
};

static struct backend_iface be_ifaces[BACKEND_MAX_IFACES];
static unsigned int be_nr_ifaces;
static const struct backend_conn_ops *be_conn_ops;
/* Open vhost-user connections of the process (be_events.h needs none). */
static unsigned int be_live_conns;

void
backend_set_conn_ops(const struct backend_conn_ops *ops)
{
	__atomic_store_n(&be_conn_ops, ops, __ATOMIC_RELEASE);
}

struct rte_vdpa_device *
backend_iface_dev(unsigned int iface)
{
	return iface < be_nr_ifaces ? be_ifaces[iface].dev : NULL;
}

static struct backend_iface *
be_iface_of_vid(int vid)
{
	char path[PATH_MAX];
	unsigned int i;

	if (rte_vhost_get_ifname(vid, path, sizeof(path)) != 0)
		return NULL;
	for (i = 0; i < be_nr_ifaces; i++)
		if (be_ifaces[i].path != NULL &&
				strcmp(be_ifaces[i].path, path) == 0)
			return &be_ifaces[i];
	return NULL;
}

/* A frontend with more vrings than the device of vid has is named. */
static void
be_check_vrings(int vid, uint32_t vrings)
{
	struct backend_iface *bi = be_iface_of_vid(vid);
	struct be_report_dev rd;

	if (bi == NULL)
		return;
	rd.path = bi->path;
	rd.dev = bi->dev;
	rd.name = bi->dev_name;
	be_report_vrings(&rd, vrings, &bi->mismatch_logged);
}

/* The hooks of a VMM role (shadow.c) for interface bi, NULL if none. */
static const struct backend_conn_ops *
be_hooks(const struct backend_iface *bi)
{
	if (bi == NULL)
		return NULL;
	return __atomic_load_n(&be_conn_ops, __ATOMIC_ACQUIRE);
}

static unsigned int
be_iface_index(const struct backend_iface *bi)
{
	return (unsigned int)(bi - be_ifaces);
}

/*
 * A frontend connected: the driver screens its messages from the first
 * one (rte_pmd_cvqsim_vhost_connection), and the connection's reads and
 * writes are bounded in time (be_sock_bound_io); the driver does the
 * device's work.
 */
static int
be_new_connection(int vid)
{
	struct backend_iface *bi = be_iface_of_vid(vid);
	const struct backend_conn_ops *ops = be_hooks(bi);
	int ret;

	__atomic_fetch_add(&be_live_conns, 1, __ATOMIC_RELAXED);
	if (bi == NULL)
		return 0;
	bi->mismatch_logged = false;
	be_sock_watch_connected(bi->path);
	ret = rte_pmd_cvqsim_vhost_connection(vid);
	if (ret != 0)
		BE_LOG(WARNING, "%s: vhost device %d: the driver cannot screen"
			" its messages (%s)", bi->path, vid, strerror(-ret));
	if (be_sock_bound_io(bi->path) == 0)
		BE_LOG(WARNING, "%s: vhost device %d: connection not found, its"
			" reads are not bounded in time", bi->path, vid);
	if (ops != NULL && ops->new_connection != NULL)
		ops->new_connection(be_iface_index(bi), bi->dev, vid);
	return 0;
}

static void
be_destroy_connection(int vid)
{
	struct backend_iface *bi = be_iface_of_vid(vid);
	const struct backend_conn_ops *ops = be_hooks(bi);

	__atomic_fetch_sub(&be_live_conns, 1, __ATOMIC_RELAXED);
	/* A frontend refused for its vrings is gone by now: say why. */
	be_check_vrings(vid, (uint32_t)rte_vhost_get_vring_num(vid));
	if (bi != NULL)
		be_sock_watch_disconnected(bi->path);
	if (ops != NULL && ops->destroy_connection != NULL)
		ops->destroy_connection(be_iface_index(bi), vid);
}

static int
be_new_device(int vid)
{
	char path[PATH_MAX];

	rte_vhost_get_ifname(vid, path, sizeof(path));
	BE_LOG(INFO, "%s: frontend ready (vhost device %d)", path, vid);
	be_check_vrings(vid, (uint32_t)rte_vhost_get_vring_num(vid));
	return 0;
}

static void
be_destroy_device(int vid)
{
	char path[PATH_MAX];

	rte_vhost_get_ifname(vid, path, sizeof(path));
	BE_LOG(INFO, "%s: frontend gone (vhost device %d)", path, vid);
}

static int
be_vring_state_changed(int vid, uint16_t vring, int enable)
{
	struct backend_iface *bi = be_iface_of_vid(vid);
	const struct backend_conn_ops *ops = be_hooks(bi);

	BE_LOG(DEBUG, "vhost device %d: vring %u %s", vid, vring,
		enable ? "enabled" : "disabled");
	/* The frontend set every vring up before it enables them. */
	be_check_vrings(vid, RTE_MAX((uint32_t)vring + 1,
		(uint32_t)rte_vhost_get_vring_num(vid)));
	if (ops != NULL && ops->vring_state_changed != NULL)
		ops->vring_state_changed(be_iface_index(bi), vid, vring,
			enable != 0);
	return 0;
}

static const struct rte_vhost_device_ops be_vhost_ops = {
	.new_device = be_new_device,
	.destroy_device = be_destroy_device,
	.vring_state_changed = be_vring_state_changed,
	.new_connection = be_new_connection,
	.destroy_connection = be_destroy_connection,
};

/* The cvqsim devices, in probe order. */
static unsigned int
be_find_devices(struct rte_vdpa_device **devs, unsigned int max)
{
	struct rte_dev_iterator it;
	struct rte_device *rdev;
	unsigned int n = 0;

	RTE_DEV_FOREACH(rdev, "class=vdpa", &it) {
		struct rte_vdpa_device *dev;

		dev = rte_vdpa_find_device_by_name(rte_dev_name(rdev));
		if (dev == NULL || !rte_pmd_cvqsim_is_cvqsim(dev))
			continue;
		if (n < max)
			devs[n] = dev;
		n++;
	}
	return n;
}

/*
 * The lcores that run poll=service devices, as testpmd runs forwarding on
 * the lcores of -l other than the main one: the service cores the user
 * gave (-s / -S), or else every worker lcore, each made a service core.
 * Found once, when the first device needs one.
 */
static uint32_t be_svc_lcores[RTE_MAX_LCORE];
static int be_nr_svc_lcores = -1;
/* Devices mapped to each lcore (the warning for a shared CPU). */
static unsigned int be_svc_devs[RTE_MAX_LCORE];

static int
be_service_lcores(void)
{
	unsigned int lcore;
	int ret;

	if (be_nr_svc_lcores >= 0)
		return be_nr_svc_lcores;
	be_nr_svc_lcores = rte_service_lcore_list(be_svc_lcores,
		RTE_DIM(be_svc_lcores));
	if (be_nr_svc_lcores > 0) {
		BE_LOG(INFO, "poll=service devices run on the %d service lcore(s)"
			" of -s/-S", be_nr_svc_lcores);
		return be_nr_svc_lcores;
	}
	be_nr_svc_lcores = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		ret = rte_service_lcore_add(lcore);
		if (ret != 0) {
			BE_LOG(WARNING, "lcore %u cannot become a service lcore: %s",
				lcore, strerror(-ret));
			continue;
		}
		be_svc_lcores[be_nr_svc_lcores++] = lcore;
	}
	if (be_nr_svc_lcores > 0)
		BE_LOG(INFO, "poll=service devices run on the %d worker lcore(s)"
			" of -l", be_nr_svc_lcores);
	return be_nr_svc_lcores;
}

/* First CPU of an lcore, -1 if it floats over none. */
static int
be_lcore_cpu(unsigned int lcore)
{
	rte_cpuset_t cs = rte_lcore_cpuset(lcore);
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, &cs))
			return cpu;
	return -1;
}

/*
 * A service lcore busy-polls its CPU: warn when that CPU is the main
 * lcore's, or another service lcore with devices polls it too.
 */
static void
be_check_service_cpus(void)
{
	rte_cpuset_t main_cs = rte_lcore_cpuset(rte_get_main_lcore());
	int i, k;

	for (i = 0; i < be_nr_svc_lcores; i++) {
		uint32_t l = be_svc_lcores[i];
		rte_cpuset_t cs = rte_lcore_cpuset(l);
		int cpu = be_lcore_cpu(l);

		if (be_svc_devs[l] == 0 || cpu < 0)
			continue;
		if (CPU_ISSET(cpu, &main_cs))
			BE_LOG(WARNING, "service lcore %u polls CPU %d, the main"
				" lcore's: it competes with the main thread; give the"
				" service lcores CPUs of their own (-l/--lcores, e.g."
				" -l 0,1 --main-lcore 0 puts lcore 1 on CPU 1)", l, cpu);
		for (k = 0; k < i; k++) {
			uint32_t o = be_svc_lcores[k];
			rte_cpuset_t ocs = rte_lcore_cpuset(o);
			rte_cpuset_t both;

			CPU_AND(&both, &cs, &ocs);
			if (be_svc_devs[o] == 0 || CPU_COUNT(&both) == 0)
				continue;
			BE_LOG(WARNING, "service lcores %u and %u both busy-poll CPU"
				" %d: they run in turns and both crawl; give each its"
				" own CPU (--lcores), or use fewer service lcores (one"
				" lcore polls several devices)", o, l, cpu);
		}
	}
}

/*
 * poll=service: the device registered an rte_service named after itself.
 * Map it to a service lcore (devices spread over them) and start it.
 */
static int
be_map_service(struct backend_iface *bi, unsigned int nth)
{
	int nr, ret;
	uint32_t lcore;

	if (rte_service_get_by_name(bi->dev_name, &bi->service_id) != 0)
		return 0;	/* polled by its own thread */
	nr = be_service_lcores();
	if (nr <= 0) {
		BE_LOG(ERR, "%s uses poll=service but no lcore can run it: give"
			" EAL a worker lcore (e.g. -l 0,1: lcore 1 polls) or a"
			" service core (-s COREMASK / -S CORELIST)", bi->dev_name);
		return -ENODEV;
	}
	lcore = be_svc_lcores[nth % (unsigned int)nr];
	ret = rte_service_map_lcore_set(bi->service_id, lcore, 1);
	if (ret == 0)
		ret = rte_service_runstate_set(bi->service_id, 1);
	if (ret != 0) {
		BE_LOG(ERR, "%s: cannot map service %u to lcore %u: %s",
			bi->dev_name, bi->service_id, lcore, strerror(-ret));
		return ret;
	}
	bi->service_mapped = true;
	be_svc_devs[lcore]++;
	ret = rte_service_lcore_start(lcore);
	if (ret != 0 && ret != -EALREADY) {
		BE_LOG(ERR, "cannot start service lcore %u: %s", lcore,
			strerror(-ret));
		return ret;
	}
	BE_LOG(INFO, "%s: service %u runs on lcore %u (CPU %d)", bi->dev_name,
		bi->service_id, lcore, be_lcore_cpu(lcore));
	return 0;
}

static int
be_setup_iface(struct backend_iface *bi, bool client, unsigned int nth)
{
	const size_t path_max = sizeof(((struct sockaddr_un *)NULL)->sun_path);
	uint64_t features, pfeatures;
	int ret;

	/* The vhost library would silently truncate it into sun_path. */
	if (strlen(bi->path) >= path_max) {
		BE_LOG(ERR, "%s: socket path too long (%zu bytes, at most %zu)",
			bi->path, strlen(bi->path), path_max - 1);
		return -ENAMETOOLONG;
	}
	ret = be_sock_check(bi->path, client);
	if (ret != 0)
		return ret;
	ret = rte_vhost_driver_register(bi->path, client ? RTE_VHOST_USER_CLIENT : 0);
	if (ret != 0) {
		BE_LOG(ERR, "%s: rte_vhost_driver_register failed", bi->path);
		return -EIO;
	}
	bi->registered = true;
	/*
	 * The socket's default feature set would mask MAC, STATUS and the
	 * CVQ-gated bits, and its protocol set masks CONFIG: expose exactly
	 * what the device offers.
	 */
	if (rte_vdpa_get_features(bi->dev, &features) != 0 ||
			rte_vdpa_get_protocol_features(bi->dev, &pfeatures) != 0) {
		BE_LOG(ERR, "%s: cannot read the device's features", bi->dev_name);
		return -EIO;
	}
	if (rte_vhost_driver_set_features(bi->path, features) != 0 ||
			rte_vhost_driver_set_protocol_features(bi->path,
				pfeatures) != 0) {
		BE_LOG(ERR, "%s: cannot set the socket's features", bi->path);
		return -EIO;
	}
	if (rte_vhost_driver_attach_vdpa_device(bi->path, bi->dev) != 0) {
		BE_LOG(ERR, "%s: cannot attach %s", bi->path, bi->dev_name);
		return -EIO;
	}
	if (rte_vhost_driver_callback_register(bi->path, &be_vhost_ops) != 0) {
		BE_LOG(ERR, "%s: cannot register the vhost callbacks", bi->path);
		return -EIO;
	}
	ret = be_map_service(bi, nth);
	if (ret != 0)
		return ret;
	/* Before start: a client may connect inside rte_vhost_driver_start. */
	if (client && be_sock_watch_start(bi->path) != 0)
		return -ENOSPC;
	if (rte_vhost_driver_start(bi->path) != 0) {
		BE_LOG(ERR, "%s: rte_vhost_driver_start failed", bi->path);
		return -EIO;
	}
	/* Accept the first frontend now, not at the event thread's 1 s. */
	if (!client && __atomic_load_n(&be_live_conns, __ATOMIC_RELAXED) == 0 &&
			be_events_wake() != 0)
		BE_LOG(DEBUG, "%s: vhost event thread not woken", bi->path);
	BE_LOG(NOTICE, "%s: %s attached (%s), features 0x%" PRIx64
		", protocol features 0x%" PRIx64, bi->path, bi->dev_name,
		client ? "client" : "server", features, pfeatures);
	return 0;
}

/*
 * Fewer cvqsim devices than sockets: --vdev missing, or given and refused
 * by the driver's probe (which logged why).
 */
static void
be_explain_missing_devices(unsigned int nr_ifaces, unsigned int nr_devs)
{
	struct rte_devargs *da;
	unsigned int given = 0;

	RTE_EAL_DEVARGS_FOREACH("vdev", da)
		if (strncmp(da->name, "vdpa_cvqsim", 11) == 0)
			given++;
	if (given > nr_devs)
		BE_LOG(ERR, "%u --iface but %u cvqsim device(s): %u of the %u"
			" --vdev vdpa_cvqsim given failed to probe (the VDPA_CVQSIM"
			" line above says why): fix their device arguments",
			nr_ifaces, nr_devs, given - nr_devs, given);
	else
		BE_LOG(ERR, "%u --iface but %u cvqsim device(s): add --vdev"
			" vdpa_cvqsim<N> for each socket", nr_ifaces, nr_devs);
}

int
backend_setup(const struct backend_conf *conf)
{
	struct rte_vdpa_device *devs[BACKEND_MAX_IFACES];
	unsigned int nr_devs, i, j;
	int ret;

	if (conf->nr_ifaces == 0 || conf->nr_ifaces > BACKEND_MAX_IFACES) {
		BE_LOG(ERR, "give 1 to %u --iface", BACKEND_MAX_IFACES);
		return -EINVAL;
	}
	for (i = 0; i < conf->nr_ifaces; i++)
		for (j = 0; j < i; j++)
			if (strcmp(conf->ifaces[i], conf->ifaces[j]) == 0) {
				BE_LOG(ERR, "--iface %s given twice: each device"
					" needs a socket of its own", conf->ifaces[i]);
				return -EINVAL;
			}
	nr_devs = be_find_devices(devs, RTE_DIM(devs));
	if (nr_devs < conf->nr_ifaces) {
		be_explain_missing_devices(conf->nr_ifaces, nr_devs);
		return -ENODEV;
	}
	if (nr_devs > conf->nr_ifaces)
		BE_LOG(WARNING, "%u cvqsim devices, %u sockets: the last %u stay"
			" unattached", nr_devs, conf->nr_ifaces,
			nr_devs - conf->nr_ifaces);

	for (i = 0; i < conf->nr_ifaces; i++) {
		struct backend_iface *bi = &be_ifaces[i];

		memset(bi, 0, sizeof(*bi));
		bi->path = conf->ifaces[i];
		bi->dev = devs[i];
		snprintf(bi->dev_name, sizeof(bi->dev_name), "%s",
			rte_dev_name(rte_vdpa_get_rte_device(devs[i])));
		be_nr_ifaces = i + 1;
		ret = be_setup_iface(bi, conf->client, i);
		if (ret != 0) {
			backend_teardown();
			return ret;
		}
	}
	be_check_service_cpus();
	return 0;
}

void
backend_teardown(void)
{
	unsigned int i;

	for (i = 0; i < be_nr_ifaces; i++) {
		struct backend_iface *bi = &be_ifaces[i];

		be_sock_watch_stop(bi->path);
		if (bi->registered) {
			/* Closes a live connection: the driver's dev_close runs here. */
			if (rte_vhost_driver_unregister(bi->path) != 0)
				BE_LOG(WARNING, "%s: rte_vhost_driver_unregister failed",
					bi->path);
			bi->registered = false;
		}
		if (bi->service_mapped) {
			rte_service_runstate_set(bi->service_id, 0);
			bi->service_mapped = false;
		}
		be_report_prev_free(bi->period);
		bi->period = NULL;
	}
	memset(be_svc_devs, 0, sizeof(be_svc_devs));
}

unsigned long
backend_print_stats(FILE *f)
{
	struct rte_vdpa_stat_name names[128];
	struct rte_vdpa_stat stats[128];
	unsigned long total_errors = 0;
	unsigned int i;

	for (i = 0; i < be_nr_ifaces; i++) {
		struct backend_iface *bi = &be_ifaces[i];
		uint64_t tx = 0, rx = 0, drops = 0, errors = 0;
		uint32_t pairs = 0;
		int nr_names, qid;

		if (bi->dev == NULL)
			continue;
		nr_names = rte_vdpa_get_stats_names(bi->dev, names, RTE_DIM(names));
		if (nr_names <= 0 || rte_vdpa_get_queue_num(bi->dev, &pairs) != 0)
			continue;
		fprintf(f, "%s (%s) per-queue stats:\n", bi->dev_name, bi->path);
		for (qid = 0; qid <= (int)(2 * pairs); qid++) {
			bool cvq = rte_pmd_cvqsim_vq_group(bi->dev, (uint16_t)qid) ==
				RTE_PMD_CVQSIM_GROUP_CVQ;
			uint64_t packets = 0;
			int n, k;

			n = rte_vdpa_get_stats(bi->dev, (uint16_t)qid, stats,
				(unsigned int)nr_names);
			if (n <= 0)
				continue;
			fprintf(f, "  vq %3d %-3s", qid, cvq ? "cvq" :
				qid % 2 ? "tx" : "rx");
			for (k = 0; k < n; k++) {
				const char *name = names[stats[k].id].name;

				fprintf(f, " %s=%" PRIu64, name, stats[k].value);
				if (strcmp(name, "packets") == 0)
					packets = stats[k].value;
				else if (strcmp(name, "drops") == 0)
					drops += stats[k].value;
				else if (strcmp(name, "errors") == 0)
					errors += stats[k].value;
			}
			fprintf(f, "\n");
			if (!cvq && qid % 2)
				tx += packets;
			else if (!cvq)
				rx += packets;
		}
		fprintf(f, "%s summary: tx_packets %" PRIu64 " rx_packets %" PRIu64
			" drops %" PRIu64 " errors %" PRIu64 "\n",
			bi->dev_name, tx, rx, drops, errors);
		total_errors += errors;
	}
	fflush(f);
	return total_errors;
}

void
backend_print_period(FILE *f)
{
	unsigned int i;

	for (i = 0; i < be_nr_ifaces; i++) {
		struct backend_iface *bi = &be_ifaces[i];
		struct be_report_dev rd = {
			.path = bi->path, .dev = bi->dev, .name = bi->dev_name,
		};

		if (bi->dev != NULL)
			be_report_period(f, &rd, &bi->period);
	}
}
