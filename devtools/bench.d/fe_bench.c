/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * fe_bench: the frontend side of devtools/bench. It links the frontend of
 * dpdk-test-vdpa-cvq (no EAL) and drives devices hosted by a separate
 * dpdk-test-vdpa-cvq backend process, so that the backend's CPU use can be
 * read from /proc without the frontend in it.
 *
 *   fe_bench rtt SOCK COUNT              single commands: RTT percentiles
 *   fe_bench batch SOCK COUNT DEPTH      fe_ctrl_batch: commands per second
 *   fe_bench idle SOCK SECONDS WAKES GAP_MS
 *                                        connect, print "IDLE", stay idle,
 *                                        then WAKES commands each after GAP_MS
 *                                        of silence (wake-up latency)
 *   fe_bench conf SOCK PAIRS             bring-up time with PAIRS data pairs
 *   fe_bench traffic SECONDS SIZE SOCK...
 *                                        loopback traffic on every device
 *
 * Every mode prints one JSON object on the last line of stdout; progress
 * and errors go to stderr. Exit status 0 only if the mode did what it says
 * (commands answered, frames came back).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>

#include <linux/virtio_net.h>

#include "frontend.h"

/* Busy-poll the used ring this long before sleeping: the device's latency,
 * not the frontend's wake-up, is what is measured.
 */
#define BENCH_SPIN_NS		(200 * 1000 * 1000)

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static uint64_t
percentile(const uint64_t *v, size_t n, double p)
{
	size_t rank;

	if (n == 0)
		return 0;
	rank = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return v[rank - 1];
}

static void
sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
open_dev(const char *sock, uint16_t pairs, struct fe_dev **dev)
{
	struct fe_config cfg;
	char err[256] = "";
	int ret;

	fe_config_init(&cfg);
	cfg.socket_path = sock;
	cfg.nr_pairs = pairs;
	cfg.ctrl_spin_ns = BENCH_SPIN_NS;
	cfg.connect_timeout_ms = 20000;
	cfg.reply_timeout_ms = 20000;
	ret = fe_dev_open(&cfg, dev, err, sizeof(err));
	if (ret < 0)
		fprintf(stderr, "fe_bench: %s: %s\n", sock, err);
	return ret;
}

/*
 * The command every latency figure uses: RX PROMISC on. One data byte,
 * gated by CTRL_RX, which cvqsim offers; the cheapest real command.
 */
static const uint8_t promisc_on = 1;

static int
one_cmd(struct fe_dev *dev, uint64_t *rtt_ns, uint8_t *ack)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)&promisc_on,
		.iov_len = 1 };
	struct fe_ctrl_req req = {
		.class_ = VIRTIO_NET_CTRL_RX, .cmd = VIRTIO_NET_CTRL_RX_PROMISC,
		.data = &iov, .n_data = 1, .layout = FE_LAYOUT_SPLIT,
	};
	struct fe_ctrl_res res;
	int ret;

	ret = fe_ctrl_ex(dev, &req, &res);
	if (ret < 0) {
		fprintf(stderr, "fe_bench: control command: %s\n",
			fe_dev_error(dev));
		return ret;
	}
	*rtt_ns = res.rtt_ns;
	*ack = res.ack;
	return 0;
}

/*
 * Run n commands, record their RTTs; returns the OK count or -errno. A
 * command whose ack byte the device did not write fails the run: an answer
 * without an ack is not an answer.
 */
static long
run_cmds(struct fe_dev *dev, uint64_t *rtt, size_t n, unsigned int gap_ms)
{
	long ok = 0;
	uint8_t ack;
	size_t i;

	for (i = 0; i < n; i++) {
		if (gap_ms > 0)
			sleep_ms(gap_ms);
		if (one_cmd(dev, &rtt[i], &ack) < 0)
			return -EIO;
		if (ack != VIRTIO_NET_OK && ack != VIRTIO_NET_ERR) {
			fprintf(stderr, "fe_bench: command %zu: ack byte 0x%02x\n",
				i, ack);
			return -EIO;
		}
		ok += ack == VIRTIO_NET_OK;
	}
	return ok;
}

static void
print_rtt(const char *mode, uint64_t *rtt, size_t n, long ok)
{
	double sum = 0;
	size_t i;

	qsort(rtt, n, sizeof(*rtt), cmp_u64);
	for (i = 0; i < n; i++)
		sum += (double)rtt[i];
	printf("{\"mode\": \"%s\", \"count\": %zu, \"ok\": %ld, "
		"\"p50_ns\": %" PRIu64 ", \"p99_ns\": %" PRIu64
		", \"max_ns\": %" PRIu64 ", \"min_ns\": %" PRIu64
		", \"mean_ns\": %.0f}\n", mode, n, ok,
		percentile(rtt, n, 50), percentile(rtt, n, 99),
		n ? rtt[n - 1] : 0, n ? rtt[0] : 0, n ? sum / (double)n : 0);
}

static int
mode_rtt(const char *sock, size_t count)
{
	struct fe_dev *dev;
	uint64_t *rtt;
	long ok;

	rtt = calloc(count + 100, sizeof(*rtt));
	if (rtt == NULL || open_dev(sock, 1, &dev) < 0) {
		free(rtt);
		return 1;
	}
	/* Warm-up: caches, page faults, the device leaving any sleep. */
	ok = run_cmds(dev, rtt, 100, 0);
	if (ok >= 0)
		ok = run_cmds(dev, rtt, count, 0);
	if (ok >= 0)
		print_rtt("rtt", rtt, count, ok);
	fe_dev_destroy(dev);
	free(rtt);
	return ok < 0;
}

static int
mode_batch(const char *sock, uint64_t count, unsigned int depth)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)&promisc_on,
		.iov_len = 1 };
	struct fe_ctrl_req req = {
		.class_ = VIRTIO_NET_CTRL_RX, .cmd = VIRTIO_NET_CTRL_RX_PROMISC,
		.data = &iov, .n_data = 1, .layout = FE_LAYOUT_SPLIT,
	};
	struct fe_ctrl_bench st;
	struct fe_dev *dev;
	int ret;

	if (open_dev(sock, 1, &dev) < 0)
		return 1;
	ret = fe_ctrl_batch(dev, &req, count / 10 + 1, depth, &st);
	if (ret == 0)
		ret = fe_ctrl_batch(dev, &req, count, depth, &st);
	if (ret < 0) {
		fprintf(stderr, "fe_bench: batch: %s\n", fe_dev_error(dev));
		fe_dev_destroy(dev);
		return 1;
	}
	printf("{\"mode\": \"batch\", \"count\": %" PRIu64 ", \"depth\": %u, "
		"\"completed\": %" PRIu64 ", \"ok\": %" PRIu64 ", \"err\": %" PRIu64
		", \"total_ns\": %" PRIu64 ", \"cmds_per_s\": %.0f, "
		"\"rtt_mean_ns\": %.0f, \"rtt_max_ns\": %" PRIu64 "}\n",
		count, depth, st.completed, st.ok, st.err, st.total_ns,
		st.total_ns ? (double)st.completed * 1e9 / (double)st.total_ns : 0,
		st.completed ? (double)st.rtt_sum_ns / (double)st.completed : 0,
		st.rtt_max_ns);
	fe_dev_destroy(dev);
	return st.completed != count;
}

static int
mode_idle(const char *sock, unsigned int seconds, size_t wakes,
		unsigned int gap_ms)
{
	struct fe_dev *dev;
	uint64_t *rtt;
	long ok;

	rtt = calloc(wakes + 100, sizeof(*rtt));
	if (rtt == NULL || open_dev(sock, 1, &dev) < 0) {
		free(rtt);
		return 1;
	}
	ok = run_cmds(dev, rtt, 10, 0);
	if (ok < 0)
		goto out;
	/* The bench samples the backend's CPU time between these lines. */
	printf("IDLE_START\n");
	fflush(stdout);
	sleep_ms(seconds * 1000);
	printf("IDLE_END\n");
	fflush(stdout);
	ok = run_cmds(dev, rtt, wakes, gap_ms);
	if (ok >= 0)
		print_rtt("wake", rtt, wakes, ok);
out:
	fe_dev_destroy(dev);
	free(rtt);
	return ok < 0;
}

static int
mode_conf(const char *sock, uint16_t pairs)
{
	struct fe_config cfg;
	struct fe_dev_info info;
	struct fe_dev *dev;
	char err[256] = "";
	uint64_t t0, t1, t2, rtt;
	struct rusage ru;
	uint8_t ack;
	int ret;

	fe_config_init(&cfg);
	cfg.socket_path = sock;
	cfg.nr_pairs = pairs;
	cfg.ctrl_spin_ns = BENCH_SPIN_NS;
	cfg.connect_timeout_ms = 20000;
	cfg.reply_timeout_ms = 20000;
	/* Small rings: the figure is the per-queue setup cost, not memory. */
	cfg.ring_size = 64;
	ret = fe_dev_create(&cfg, &dev, err, sizeof(err));
	if (ret == 0)
		ret = fe_dev_connect(dev);
	if (ret < 0) {
		fprintf(stderr, "fe_bench: %s: %s\n", sock,
			ret == 0 ? "" : (dev ? fe_dev_error(dev) : err));
		return 1;
	}
	t0 = fe_now_ns();
	ret = fe_dev_start(dev);
	t1 = fe_now_ns();
	if (ret < 0) {
		fprintf(stderr, "fe_bench: start: %s\n", fe_dev_error(dev));
		fe_dev_destroy(dev);
		return 1;
	}
	/* The first answered command: every queue is up and served. */
	ret = one_cmd(dev, &rtt, &ack);
	t2 = fe_now_ns();
	fe_dev_info_get(dev, &info);
	/* What a frontend of that many pairs costs (guest memory included). */
	getrusage(RUSAGE_SELF, &ru);
	if (ret == 0)
		printf("{\"mode\": \"conf\", \"pairs\": %u, \"vrings\": %u, "
			"\"start_ns\": %" PRIu64 ", \"first_cmd_ns\": %" PRIu64
			", \"ack\": %u, \"guest_mem_kb\": %" PRIu64
			", \"fe_maxrss_kb\": %ld}\n", info.nr_pairs, info.nr_vrings,
			t1 - t0, t2 - t0, ack, info.mem_size >> 10, ru.ru_maxrss);
	fe_dev_destroy(dev);
	return ret != 0;
}

static int
mode_traffic(unsigned int seconds, uint32_t size, char **socks, int n)
{
	struct fe_dev **devs = calloc((size_t)n, sizeof(*devs));
	struct frame_spec spec;
	struct fe_dev_info info;
	struct fe_q_stats st;
	uint64_t t0, t1, deadline, tx = 0, rx = 0, silent = 0;
	int i, ret = 1;

	if (devs == NULL)
		return 1;
	for (i = 0; i < n; i++)
		if (open_dev(socks[i], 1, &devs[i]) < 0)
			goto out;
	frame_spec_init(&spec);
	/* The frame's L2 length is the benchmark's size. */
	spec.payload_len = 64;
	spec.payload_len += size - frame_len(&spec);
	printf("TRAFFIC_START\n");
	fflush(stdout);
	t0 = fe_now_ns();
	deadline = t0 + (uint64_t)seconds * 1000000000ULL;
	while (fe_now_ns() < deadline) {
		for (i = 0; i < n; i++) {
			/* Addressed to the device's own MAC: passes any filter. */
			fe_dev_info_get(devs[i], &info);
			memcpy(spec.dst, info.mac, 6);
			if (fe_tx(devs[i], 0, &spec, 32) < 0 ||
					fe_rx_poll(devs[i], 0, 0, NULL, NULL) < 0) {
				fprintf(stderr, "fe_bench: %s: %s\n", socks[i],
					fe_dev_error(devs[i]));
				goto out;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (fe_rx_drain(devs[i], 20, 2000, NULL, NULL) < 0)
			goto out;
	t1 = fe_now_ns();
	for (i = 0; i < n; i++) {
		fe_stats_total(devs[i], &st);
		tx += st.tx_pkts;
		rx += st.rx_pkts;
		silent += st.rx_pkts == 0;
	}
	printf("{\"mode\": \"traffic\", \"devices\": %d, \"size\": %u, "
		"\"tx\": %" PRIu64 ", \"rx\": %" PRIu64 ", \"silent_devices\": %"
		PRIu64 ", \"seconds\": %.3f, \"rx_pps\": %.0f}\n", n, size, tx, rx,
		silent, (double)(t1 - t0) / 1e9,
		(double)rx * 1e9 / (double)(t1 - t0));
	ret = silent != 0 || rx == 0;
out:
	for (i = 0; i < n; i++)
		fe_dev_destroy(devs[i]);
	free(devs);
	return ret;
}

static void
usage(void)
{
	fprintf(stderr, "usage: fe_bench rtt SOCK COUNT | batch SOCK COUNT DEPTH |"
		" idle SOCK SECONDS WAKES GAP_MS | conf SOCK PAIRS |"
		" traffic SECONDS SIZE SOCK...\n");
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "rtt") == 0)
		return mode_rtt(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 5 && strcmp(argv[1], "batch") == 0)
		return mode_batch(argv[2], strtoull(argv[3], NULL, 0),
			(unsigned int)strtoul(argv[4], NULL, 0));
	if (argc == 6 && strcmp(argv[1], "idle") == 0)
		return mode_idle(argv[2], (unsigned int)strtoul(argv[3], NULL, 0),
			strtoul(argv[4], NULL, 0),
			(unsigned int)strtoul(argv[5], NULL, 0));
	if (argc == 4 && strcmp(argv[1], "conf") == 0)
		return mode_conf(argv[2], (uint16_t)strtoul(argv[3], NULL, 0));
	if (argc >= 5 && strcmp(argv[1], "traffic") == 0)
		return mode_traffic((unsigned int)strtoul(argv[2], NULL, 0),
			(uint32_t)strtoul(argv[3], NULL, 0), &argv[4], argc - 4);
	usage();
	return 2;
}
