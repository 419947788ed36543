/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * stress-check: every thread that touches a cvqsim device, at once, for a
 * bounded time (STRESS_SECONDS, default 8). Its point is the
 * ThreadSanitizer build (devtools/tsan.sh), where any data race between
 * them is a failure; in any build it checks that nothing is lost or torn.
 *
 * Two devices in one process, each with its own poll thread:
 * - main thread, device A (poll=thread, 2 pairs): cycles of connect,
 *   VQ_PAIRS_SET, traffic on both pairs, control commands (MAC table,
 *   receive modes, RSS), a memory table change with frames in flight,
 *   traffic again, and disconnect (graceful or by closing the socket);
 * - frontend thread, device B (poll=adaptive): traffic and control
 *   commands on one connection the whole time;
 * - API reader thread: rte_pmd_cvqsim_* getters and rte_vdpa_get_stats on
 *   both devices; every MAC table it reads must be one the main thread
 *   wrote, never a mix of two (the snapshot's seqcount);
 * - telemetry thread: /cvqsim/list, info, stats, dev_stats, state over
 *   the process's own telemetry socket, each answered with its JSON.
 * plus the vhost library's event thread that brings every connection up
 * and down.
 *
 *   stress-check WORK_DIR
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_vdpa.h>

#include <rte_pmd_cvqsim.h>

#include "fe_dev.h"
#include "proc_check.h"

#define FRAMES		32
#define FRAME_LEN	256
#define MACS_MAX	8
#define MIN_CYCLES	2	/* reconnect cycles at the least, any build */

static struct pc_dev devs[2] = {
	{ .vdev = "vdpa_cvqsim0,queues=2,poll=thread", .pairs = 2 },
	{ .vdev = "vdpa_cvqsim1,poll=adaptive", .pairs = 1 },
};
#define A (&devs[0])
#define B (&devs[1])

static atomic_bool stop;

/* What each side did, and the first failure of a side thread. */
struct side {
	const char *name;
	uint64_t rounds;
	uint64_t items;
	char error[256];
};

static void
side_fail(struct side *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
side_fail(struct side *s, const char *fmt, ...)
{
	va_list ap;

	if (s->error[0] == '\0') {
		va_start(ap, fmt);
		vsnprintf(s->error, sizeof(s->error), fmt, ap);
		va_end(ap);
	}
	atomic_store(&stop, true);
}

/* ---- control commands ------------------------------------------------------ */

/*
 * MAC_TABLE_SET with n unicast entries 02:00:00:00:n:i (and no multicast):
 * a reader can tell the entries of one table from those of another.
 */
static int
mac_table_set(struct fe_dev *fe, unsigned int n)
{
	uint8_t data[4 + MACS_MAX * 6 + 4];
	uint8_t *p = data;
	unsigned int i;

	memset(data, 0, sizeof(data));
	p[0] = (uint8_t)n;
	p += 4;
	for (i = 0; i < n; i++, p += 6) {
		p[0] = 0x02;
		p[4] = (uint8_t)n;
		p[5] = (uint8_t)i;
	}
	p += 4;				/* no multicast entries */
	return pc_ctrl_ok(fe, VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET,
		data, (size_t)(p - data), "MAC_TABLE_SET");
}

/* A MAC table in a snapshot is one mac_table_set() wrote, whole. */
static bool
mac_table_whole(const struct rte_pmd_cvqsim_net_state *st)
{
	unsigned int i;

	if (st->uc_overflow || st->uc_count > MACS_MAX)
		return false;
	for (i = 0; i < st->uc_count; i++)
		if (st->macs[i][0] != 0x02 || st->macs[i][4] != st->uc_count ||
				st->macs[i][5] != i)
			return false;
	return true;
}

static int
commands(struct fe_dev *fe, uint64_t round)
{
	uint8_t promisc = round & 1, allmulti = !(round & 1);

	if (mac_table_set(fe, (unsigned int)(round % (MACS_MAX + 1))) < 0)
		return -1;
	if (pc_ctrl_ok(fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
			&promisc, 1, "PROMISC") < 0)
		return -1;
	return pc_ctrl_ok(fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI,
		&allmulti, 1, "ALLMULTI");
}

/* ---- device A: the reconnect cycles (main thread) ------------------------------ */

/* A page boundary inside the TX buffers of pair 0: frames straddle it. */
static uint64_t
split_in_tx_buffers(struct pc_dev *d)
{
	uint64_t off = (uint64_t)(d->fe->pairs[0].tx_bufs - d->fe->mem.va);

	return (off + 4096 + 100) & ~4095ULL;
}

/*
 * Connect to A, retrying while the backend still cleans the previous
 * connection up (it refuses a second frontend until then).
 */
static int
open_a(void)
{
	struct fe_config cfg;
	char err[256] = "";
	int i;

	fe_config_init(&cfg);
	cfg.socket_path = A->sock;
	for (i = 0; i < 300; i++) {
		if (fe_dev_open(&cfg, &A->fe, err, sizeof(err)) == 0)
			return pc_set_pairs(A);
		usleep(10000);
	}
	CHECK(false, "%s: no new connection in 3 s: %s", A->name, err);
}

static int
cycle(struct side *s)
{
	int sent, got;

	if (open_a() < 0 || pc_check_traffic(A, FRAMES, FRAME_LEN, "connected") < 0 ||
			commands(A->fe, s->rounds) < 0)
		return -1;
	/* The memory table changes under frames in flight. */
	sent = pc_send_frames(A, FRAMES, FRAME_LEN);
	if (pc_mem_table_split(A, split_in_tx_buffers(A), 0) < 0)
		return -1;
	got = pc_rx_expect(A, sent);
	CHECK(got == sent, "cycle %" PRIu64 ": %d of %d frames across the"
		" table change", s->rounds, got, sent);
	if (pc_check_traffic(A, FRAMES, FRAME_LEN, "new table") < 0)
		return -1;
	s->items += 2 * FRAMES * A->pairs + (uint64_t)sent;
	/* Every other cycle leaves without stopping the rings. */
	if (s->rounds & 1)
		fe_dev_disconnect(A->fe);
	fe_dev_destroy(A->fe);
	A->fe = NULL;
	return 0;
}

/* ---- device B: one connection, traffic and commands (a thread) -------------- */

static void *
traffic_thread(void *arg)
{
	struct side *s = arg;
	int got;

	while (!atomic_load(&stop)) {
		got = pc_loop_frames(B, FRAMES, FRAME_LEN);
		if (got != FRAMES) {
			side_fail(s, "round %" PRIu64 ": %d of %d frames back",
				s->rounds, got, FRAMES);
			break;
		}
		if (commands(B->fe, s->rounds) < 0) {
			side_fail(s, "round %" PRIu64 ": a command failed",
				s->rounds);
			break;
		}
		s->items += FRAMES;
		s->rounds++;
	}
	return NULL;
}

/* ---- API readers (a thread) ---------------------------------------------------- */

static int
read_device(struct side *s, struct pc_dev *d)
{
	struct rte_pmd_cvqsim_net_state st;
	struct rte_pmd_cvqsim_stats stats;
	struct rte_pmd_cvqsim_setup_time t;
	int status = rte_pmd_cvqsim_device_status(d->vdpa);

	if (status < 0 || rte_pmd_cvqsim_net_state_get(d->vdpa, &st) != 0 ||
			rte_pmd_cvqsim_stats_get(d->vdpa, &stats) != 0 ||
			rte_pmd_cvqsim_setup_time_get(d->vdpa, &t) != 0) {
		side_fail(s, "%s: a getter failed (status %d)", d->name, status);
		return -1;
	}
	if (!mac_table_whole(&st)) {
		side_fail(s, "%s: torn MAC table: %u entries, first %02x:%02x",
			d->name, st.uc_count, st.macs[0][4], st.macs[0][5]);
		return -1;
	}
	/* Per-queue counters, the control queue's too. */
	s->items += pc_counter_total(d, "packets") != UINT64_MAX;
	return 0;
}

static void *
reader_thread(void *arg)
{
	struct side *s = arg;

	while (!atomic_load(&stop)) {
		if (read_device(s, A) < 0 || read_device(s, B) < 0)
			break;
		s->rounds++;
	}
	return NULL;
}

/* ---- telemetry (a thread) -------------------------------------------------------- */

static int
telemetry_connect(struct side *s)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char hello[1024];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
			read(fd, hello, sizeof(hello)) <= 0) {
		side_fail(s, "telemetry socket %s: %s", sun.sun_path,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* One command; its answer must be {"<cmd>": ...}. */
static int
telemetry_ask(struct side *s, int fd, const char *cmd, const char *param)
{
	static char reply[256 * 1024];
	char req[128], want[128];
	ssize_t n;

	snprintf(req, sizeof(req), "%s%s%s", cmd, param ? "," : "",
		param ? param : "");
	snprintf(want, sizeof(want), "{\"%s\":", cmd);
	if (write(fd, req, strlen(req)) < 0 ||
			(n = read(fd, reply, sizeof(reply) - 1)) <= 0) {
		side_fail(s, "%s: %s", req, strerror(errno));
		return -1;
	}
	reply[n] = '\0';
	if (strncmp(reply, want, strlen(want)) != 0 ||
			strstr(reply, "null") == reply + strlen(want)) {
		side_fail(s, "%s: answered %.80s", req, reply);
		return -1;
	}
	s->items++;
	return 0;
}

static void *
telemetry_thread(void *arg)
{
	static const char *const cmds[] = {
		"/cvqsim/info", "/cvqsim/stats", "/cvqsim/dev_stats",
		"/cvqsim/state",
	};
	struct side *s = arg;
	unsigned int i, d;
	int fd = telemetry_connect(s);

	while (fd >= 0 && !atomic_load(&stop)) {
		if (telemetry_ask(s, fd, "/cvqsim/list", NULL) < 0)
			break;
		for (d = 0; d < RTE_DIM(devs); d++)
			for (i = 0; i < RTE_DIM(cmds); i++)
				if (telemetry_ask(s, fd, cmds[i], devs[d].name) < 0)
					goto out;
		s->rounds++;
	}
out:
	if (fd >= 0)
		close(fd);
	return NULL;
}

/* ---- the run ------------------------------------------------------------------------ */

static int
run(void)
{
	struct side main_side = { .name = "reconnect" };
	struct side sides[] = {
		{ .name = "traffic" }, { .name = "api" }, { .name = "telemetry" },
	};
	void *(*const fns[])(void *) = {
		traffic_thread, reader_thread, telemetry_thread,
	};
	pthread_t th[RTE_DIM(sides)];
	const char *env = getenv("STRESS_SECONDS");
	uint64_t deadline = fe_now_ns() +
		(uint64_t)(env ? atoi(env) : 8) * 1000000000ULL;
	unsigned int i;
	int ret = 0;

	if (pc_open_frontend(B, NULL) < 0)
		return -1;
	for (i = 0; i < RTE_DIM(sides); i++)
		CHECK(pthread_create(&th[i], NULL, fns[i], &sides[i]) == 0,
			"thread %s", sides[i].name);
	while (!atomic_load(&stop) && (fe_now_ns() < deadline ||
			main_side.rounds < MIN_CYCLES)) {
		if (cycle(&main_side) < 0) {
			ret = -1;
			break;
		}
		main_side.rounds++;
	}
	atomic_store(&stop, true);
	for (i = 0; i < RTE_DIM(sides); i++)
		pthread_join(th[i], NULL);
	printf("stress: %s: %" PRIu64 " cycles, %" PRIu64 " frames\n",
		main_side.name, main_side.rounds, main_side.items);
	for (i = 0; i < RTE_DIM(sides); i++) {
		printf("stress: %s: %" PRIu64 " rounds, %" PRIu64 " items%s%s\n",
			sides[i].name, sides[i].rounds, sides[i].items,
			sides[i].error[0] ? ": FAIL: " : "", sides[i].error);
		if (sides[i].error[0] != '\0' || sides[i].rounds == 0)
			ret = -1;
	}
	return ret;
}

int
main(int argc, char **argv)
{
	const struct pc_env env = {
		.tag = "stress",
		.devs = devs,
		.nr_devs = RTE_DIM(devs),
	};

	return pc_main(argc, argv, &env, run);
}
