/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vdpa.h>

#include <rte_pmd_cvqsim.h>

#include "backend.h"
#include "fe_dev.h"
#include "frames.h"
#include "proc_check.h"

#define EAL_ARGS_MAX	64
/* Local experimental ethertype: no filter or steering rule applies. */
#define RAW_ETHERTYPE	0x88b5
#define ETH_HDR_LEN	14
/* The longest wait for frames expected back. */
#define RX_WAIT_MS	3000

static const char *work_dir;
static char **cases;
static int nr_cases;
static struct pc_dev *devs;
static unsigned int nr_devs;
static char log_path[300];
static FILE *log_file;
static long log_mark;

const char *
pc_work_dir(void)
{
	return work_dir;
}

bool
pc_selected(const char *name)
{
	int i;

	for (i = 0; i < nr_cases; i++)
		if (strcmp(cases[i], name) == 0)
			return true;
	return nr_cases == 0;
}

/* The EAL log goes to WORK_DIR/backend.log, line by line. */
static int
log_open(void)
{
	snprintf(log_path, sizeof(log_path), "%s/backend.log", work_dir);
	log_file = fopen(log_path, "w");
	if (log_file == NULL) {
		printf("FAIL: %s: %s\n", log_path, strerror(errno));
		return -1;
	}
	setvbuf(log_file, NULL, _IOLBF, 0);
	return rte_openlog_stream(log_file);
}

static int
eal_init(const char *prog, const struct pc_env *env)
{
	char *argv[EAL_ARGS_MAX];
	char prefix[64];
	int argc = 0;
	unsigned int i;

	snprintf(prefix, sizeof(prefix), "--file-prefix=cvqsim-%s-%d", env->tag,
		(int)getpid());
	argv[argc++] = (char *)(uintptr_t)prog;
	argv[argc++] = (char *)(uintptr_t)"-l0";
	argv[argc++] = (char *)(uintptr_t)"--no-huge";
	argv[argc++] = (char *)(uintptr_t)"-m256";
	argv[argc++] = (char *)(uintptr_t)"--no-pci";
	argv[argc++] = prefix;
	for (i = 0; env->eal_args != NULL && env->eal_args[i] != NULL &&
			argc < EAL_ARGS_MAX - 1; i++)
		argv[argc++] = (char *)(uintptr_t)env->eal_args[i];
	for (i = 0; i < env->nr_devs && argc < EAL_ARGS_MAX - 2; i++) {
		argv[argc++] = (char *)(uintptr_t)"--vdev";
		argv[argc++] = (char *)(uintptr_t)env->devs[i].vdev;
	}
	argv[argc] = NULL;
	if (rte_eal_init(argc, argv) < 0) {
		printf("FAIL: EAL init: %s (log: %s)\n", rte_strerror(rte_errno),
			log_path);
		return -1;
	}
	return 0;
}

/* One socket per device, in probe order (the backend's rule). */
static int
backend_start(void)
{
	struct backend_conf conf;
	unsigned int i;
	int ret;

	memset(&conf, 0, sizeof(conf));
	for (i = 0; i < nr_devs; i++) {
		struct pc_dev *d = &devs[i];

		snprintf(d->name, sizeof(d->name), "%.*s",
			(int)strcspn(d->vdev, ","), d->vdev);
		snprintf(d->sock, sizeof(d->sock), "%s/%s.sock", work_dir,
			d->name);
		d->vdpa = rte_vdpa_find_device_by_name(d->name);
		if (d->vdpa == NULL) {
			printf("FAIL: %s: no such vDPA device\n", d->name);
			return -1;
		}
		conf.ifaces[conf.nr_ifaces++] = d->sock;
	}
	if (nr_devs == 0)
		return 0;
	ret = backend_setup(&conf);
	if (ret < 0) {
		printf("FAIL: backend setup: %s\n", strerror(-ret));
		return -1;
	}
	return 0;
}

int
pc_init(int argc, char **argv, const struct pc_env *env)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s WORK_DIR [CASE...]\n", argv[0]);
		exit(2);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	work_dir = argv[1];
	cases = argv + 2;
	nr_cases = argc - 2;
	devs = env->devs;
	nr_devs = env->nr_devs;
	if (log_open() < 0 || eal_init(argv[0], env) < 0)
		return -1;
	return backend_start();
}

int
pc_exit(int ret)
{
	unsigned int i;

	for (i = 0; i < nr_devs; i++) {
		fe_dev_destroy(devs[i].fe);
		devs[i].fe = NULL;
	}
	backend_teardown();
	rte_eal_cleanup();
	if (log_file != NULL) {
		rte_openlog_stream(NULL);
		fclose(log_file);
		log_file = NULL;
	}
	printf("%s\n", ret == 0 ? "PASS" : "FAIL");
	return ret == 0 ? 0 : 1;
}

int
pc_main(int argc, char **argv, const struct pc_env *env, int (*run)(void))
{
	int ret = pc_init(argc, argv, env);

	if (ret == 0)
		ret = run();
	return pc_exit(ret);
}

void
pc_log_mark(void)
{
	fflush(log_file);
	log_mark = ftell(log_file);
}

unsigned int
pc_log_count(const char *pat, char *last, size_t last_len)
{
	char line[512];
	unsigned int n = 0;
	FILE *f;

	fflush(log_file);
	f = fopen(log_path, "r");
	if (f == NULL)
		return 0;
	fseek(f, log_mark, SEEK_SET);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strstr(line, pat) == NULL)
			continue;
		n++;
		if (last != NULL) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(last, last_len, "%s", line);
		}
	}
	fclose(f);
	return n;
}

unsigned int
pc_dev_log_count(const struct pc_dev *d, const char *what, char *last,
		size_t last_len)
{
	char pat[200];

	snprintf(pat, sizeof(pat), "%s: %s", d->name, what);
	return pc_log_count(pat, last, last_len);
}

int
pc_ctrl_ok(struct fe_dev *fe, uint8_t class_, uint8_t cmd, const void *data,
		size_t len, const char *what)
{
	uint8_t ack = FE_CTRL_ACK_UNSET;

	CHECK(fe_ctrl(fe, class_, cmd, data, len, NULL, 0, &ack, NULL) == 0,
		"%s: %s", what, fe_dev_error(fe));
	CHECK(ack == VIRTIO_NET_OK, "%s: ack %u", what, ack);
	return 0;
}

/* A reset device serves pair 0 only: the driver asks for the others. */
int
pc_set_pairs(struct pc_dev *d)
{
	uint8_t data[2] = { (uint8_t)d->pairs, (uint8_t)(d->pairs >> 8) };

	if (d->pairs < 2)
		return 0;
	return pc_ctrl_ok(d->fe, VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, data, sizeof(data),
		"VQ_PAIRS_SET");
}

int
pc_open_frontend(struct pc_dev *d, struct fe_config *cfg)
{
	struct fe_config defaults;
	char err[256];

	if (cfg == NULL) {
		fe_config_init(&defaults);
		cfg = &defaults;
	}
	cfg->socket_path = d->sock;
	CHECK(fe_dev_open(cfg, &d->fe, err, sizeof(err)) == 0, "%s: frontend: %s",
		d->name, err);
	return pc_set_pairs(d);
}

int
pc_mem_table_split(struct pc_dev *d, uint64_t split, uint64_t gap)
{
	const struct drv_mem *m = &d->fe->mem;
	struct {
		uint32_t nregions, padding;
		struct { uint64_t gpa, size, uaddr, offset; } r[2];
	} __attribute__((packed)) t = {
		.nregions = 2,
		.r = {
			{ m->gpa, split, (uint64_t)(uintptr_t)m->va, 0 },
			{ m->gpa + split + gap, m->size - split,
				(uint64_t)(uintptr_t)m->va + split, split },
		},
	};
	int fds[2] = { m->fd, m->fd };
	uint64_t ack = UINT64_MAX;
	int ret;

	ret = fe_vu_raw(d->fe, VU_SET_MEM_TABLE, VU_VERSION | VU_FLAG_NEED_REPLY, &t,
		sizeof(t), fds, 2, &ack, sizeof(ack));
	CHECK(ret == (int)sizeof(ack) && ack == 0,
		"SET_MEM_TABLE split at 0x%" PRIx64 " gap 0x%" PRIx64 ": ret %d ack %"
		PRIu64 " (%s)", split, gap, ret, ack, fe_dev_error(d->fe));
	return 0;
}

int
pc_wait_status(const struct pc_dev *d, int want, unsigned int ms)
{
	unsigned int i;
	int s = -1;

	for (i = 0; i <= ms / 10; i++) {
		s = rte_pmd_cvqsim_device_status(d->vdpa);
		if (s == want)
			return 0;
		usleep(10000);
	}
	printf("FAIL: %s: device status 0x%x, expected 0x%x\n", d->name, s,
		want);
	return -1;
}

uint64_t
pc_counter(const struct pc_dev *d, uint16_t qid, const char *name)
{
	struct rte_vdpa_stat_name names[256];
	struct rte_vdpa_stat st[256];
	int n, i;

	n = rte_vdpa_get_stats_names(d->vdpa, names, RTE_DIM(names));
	if (n <= 0)
		return UINT64_MAX;
	n = rte_vdpa_get_stats(d->vdpa, qid, st, (unsigned int)n);
	for (i = 0; i < n; i++)
		if (st[i].id < RTE_DIM(names) &&
				strcmp(names[st[i].id].name, name) == 0)
			return st[i].value;
	return UINT64_MAX;
}

uint64_t
pc_counter_total(const struct pc_dev *d, const char *name)
{
	uint64_t sum = 0, v;
	uint16_t q;

	for (q = 0; q <= 2 * RTE_MAX(d->pairs, 1); q++) {
		v = pc_counter(d, q, name);
		if (v != UINT64_MAX)
			sum += v;
	}
	return sum;
}

void
pc_frame_spec(struct frame_spec *spec, uint32_t len)
{
	frame_spec_init(spec);
	memset(spec->dst, 0xff, 6);	/* broadcast: every filter passes it */
	spec->l3 = FRAME_L3_NONE;
	spec->ethertype = RAW_ETHERTYPE;
	spec->payload_len = len - ETH_HDR_LEN;
}

int
pc_send_frames(struct pc_dev *d, unsigned int n, uint32_t len)
{
	struct frame_spec spec;
	uint16_t q;
	int ret, sent = 0;

	pc_frame_spec(&spec, len);
	for (q = 0; q < RTE_MAX(d->pairs, 1); q++) {
		ret = fe_tx(d->fe, q, &spec, n);
		if (ret > 0)
			sent += ret;
	}
	return sent;
}

/*
 * A quiet spell of 100 ms is not the end while frames are missing (a
 * sleeping poller, a ThreadSanitizer build, a loaded machine may take
 * longer to answer).
 */
int
pc_rx_expect(struct pc_dev *d, int want)
{
	uint64_t end = fe_now_ns() + RX_WAIT_MS * 1000000ULL;
	int got = 0, n;

	do {
		n = fe_rx_drain(d->fe, 100, RX_WAIT_MS, NULL, NULL);
		if (n < 0)
			return n;
		got += n;
	} while (got < want && fe_now_ns() < end);
	return got;
}

int
pc_loop_frames(struct pc_dev *d, unsigned int n, uint32_t len)
{
	int want = (int)(n * RTE_MAX(d->pairs, 1));
	int sent = pc_send_frames(d, n, len);
	int got = pc_rx_expect(d, want);

	return sent == want ? got : -1;
}

int
pc_check_traffic(struct pc_dev *d, unsigned int n, uint32_t len,
		const char *what)
{
	unsigned int want = n * RTE_MAX(d->pairs, 1);
	int got = pc_loop_frames(d, n, len);

	CHECK(got == (int)want, "%s: %s: %d of %u frames back", d->name, what,
		got, want);
	return 0;
}
