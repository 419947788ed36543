/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * frontend-check: drives the test-vdpa-cvq frontend against a running
 * vhost-user backend and checks what comes back. Used by the driver-tests
 * (test/driver/frontend-*.sh), which start and stop the backends.
 *
 *   frontend-check --socket PATH [options] STEP...
 *
 * Steps run in order; each prints one "step: ..." line with its numbers and
 * the program exits 1 at the first failed check:
 *   open            create, connect, start; print the negotiation
 *   traffic         send --frames on every pair, expect each back (see
 *                   --rx-any), payload checked byte by byte
 *   ctrl            VQ_PAIRS_SET (or RX_PROMISC) in every layout; ack 0
 *   ctrl-gated      a command whose feature is not negotiated: ack 1
 *   ctrl-timeout    one command must time out (backend without a CVQ)
 *   ctrl-bench      --frames commands, --depth in flight; prints rate
 *   stop            SET_VRING_ENABLE 0 + GET_VRING_BASE everywhere
 *   queue           send --frames per pair into the stopped rings
 *   resume          reconnect and resume from the kept bases
 *   restart         fe_dev_start on a stopped device: same connection
 *   expect-rx       expect every frame queued while stopped to arrive
 *   wait-line       print "WAITING" and read one line from stdin (lets a
 *                   script kill and restart the backend here)
 *   expect-dead     the next vhost-user message must fail with
 *                   ECONNRESET or EPIPE and a clear message
 *   close           fe_dev_destroy
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend.h"

struct opts {
	struct fe_config cfg;
	uint32_t frames;
	uint32_t len;
	unsigned int depth;
	bool rx_any;
	bool use_dev_mac;
	int ack;		/* expected ack of allowed commands, -1 any */
};

/* Frames per TX burst: well under a ring of RX buffers. */
#define BURST	32

static struct fe_dev *dev;
static struct opts o;
static uint32_t queued_while_stopped;
static struct fe_q_stats before_stop;

#define FAIL(...) do {							\
	printf("FAIL: " __VA_ARGS__);					\
	printf("\n");							\
	return -1;							\
} while (0)

static void
usage(const char *prog)
{
	printf("usage: %s --socket PATH [--pairs N] [--mask-off F1,F2]\n"
		"  [--force HEX] [--frames N] [--len N] [--rx-buf N] [--depth N]\n"
		"  [--rx-any] [--dev-mac] [--timeout-ms N] [--ack 0|1|-1] [-v]\n"
		"  STEP...\n", prog);
}

static int
parse_features(const char *list, uint64_t *out)
{
	char buf[512], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	*out = 0;
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		int bit = fe_feature_bit(tok);

		if (bit < 0) {
			fprintf(stderr, "unknown feature %s\n", tok);
			return -1;
		}
		*out |= FE_BIT(bit);
	}
	return 0;
}

static void
base_spec(struct frame_spec *spec, uint16_t q)
{
	struct fe_dev_info info;

	frame_spec_init(spec);
	fe_dev_info_get(dev, &info);
	if (o.use_dev_mac && (info.features & FE_BIT(VIRTIO_NET_F_MAC)))
		memcpy(spec->dst, info.mac, 6);
	spec->stream = q;
	spec->payload_len = o.len;
	spec->sport = (uint16_t)(1000 + q);
}

static int
step_open(void)
{
	struct fe_dev_info info;
	char err[256], feats[1024];
	int ret;

	ret = fe_dev_create(&o.cfg, &dev, err, sizeof(err));
	if (ret < 0)
		FAIL("create: %s", err);
	ret = fe_dev_connect(dev);
	if (ret < 0)
		FAIL("connect: %s", fe_dev_error(dev));
	fe_dev_info_get(dev, &info);
	fe_features_format(info.device_features, feats, sizeof(feats));
	printf("open: offered 0x%" PRIx64 " [%s]\n", info.device_features,
		feats);
	printf("open: protocol offered 0x%" PRIx64 " negotiated 0x%" PRIx64
		" queue_num %u max_pairs %u config %s (%u bytes)\n",
		info.protocol_offered, info.protocol_features, info.queue_num,
		info.max_pairs, info.have_config ? "yes" : "no",
		info.config_len);
	ret = fe_dev_start(dev);
	if (ret < 0)
		FAIL("start: %s", fe_dev_error(dev));
	fe_dev_info_get(dev, &info);
	fe_features_format(info.features, feats, sizeof(feats));
	printf("open: negotiated 0x%" PRIx64 " [%s]\n", info.features, feats);
	printf("open: pairs %u vrings %u cvq %d hdr %u mergeable %d "
		"rx_buf %u status 0x%02x gpa 0x%" PRIx64 " mem %" PRIu64 " MiB\n",
		info.nr_pairs, info.nr_vrings, info.ctrl_vq, info.hdr_len,
		info.mergeable, info.rx_buf_len, info.status, info.gpa_base,
		info.mem_size >> 20);
	if (info.gpa_base == 0)
		FAIL("guest memory not created");
	return 0;
}

static int
check_counts(const char *step, uint16_t q, const struct fe_q_stats *st,
		uint64_t sent, uint64_t got)
{
	printf("%s: pair %u sent %" PRIu64 " received %" PRIu64
		" check ok %" PRIu64 " bad %" PRIu64 " merged %" PRIu64
		" out-of-order %" PRIu64 " bad-hdr %" PRIu64 "\n", step, q,
		sent, got, st->rx_check_ok, st->rx_check_bad, st->rx_merged,
		st->rx_out_of_order, st->rx_bad_hdr);
	if (got != sent)
		FAIL("%s: pair %u: %" PRIu64 " sent, %" PRIu64 " received",
			step, q, sent, got);
	if (st->rx_check_bad != 0 || st->rx_bad_hdr != 0)
		FAIL("%s: pair %u: damaged frames", step, q);
	if (st->rx_check_ok != got)
		FAIL("%s: pair %u: %" PRIu64 " checked of %" PRIu64, step, q,
			st->rx_check_ok, got);
	return 0;
}

/* Send in bursts and receive in between: a device drops what does not fit
 * in our RX ring, as a NIC would.
 */
static int
send_and_poll(uint16_t q, const struct frame_spec *spec, uint32_t n)
{
	struct fe_dev_info info;
	uint32_t done = 0, burst, per_frame, max_burst;
	struct fe_q_stats tot;
	uint64_t deadline, rx0;
	uint16_t r;
	int ret;

	fe_dev_info_get(dev, &info);
	/* RX buffers one frame takes, and the frames a ring of them holds. */
	per_frame = (frame_len(spec) + info.hdr_len + info.rx_buf_len - 1) /
		info.rx_buf_len;
	max_burst = info.ring_size / per_frame / 2;
	if (max_burst > BURST)
		max_burst = BURST;
	if (max_burst == 0)
		max_burst = 1;
	fe_stats_total(dev, &tot);
	rx0 = tot.rx_pkts;
	while (done < n) {
		burst = n - done < max_burst ? n - done : max_burst;
		ret = fe_tx(dev, q, spec, burst);
		if (ret < 0 || (uint32_t)ret != burst)
			FAIL("traffic: tx on pair %u: %d (%s)", q, ret,
				fe_dev_error(dev));
		done += burst;
		/* Keep at most two bursts outstanding. */
		deadline = fe_now_ns() + 2000000000ULL;
		for (;;) {
			for (r = 0; r < info.nr_pairs; r++)
				if (fe_rx_poll(dev, r, 0, NULL, NULL) < 0)
					FAIL("traffic: rx: %s", fe_dev_error(dev));
			fe_stats_total(dev, &tot);
			if (tot.rx_pkts + max_burst >= rx0 + done ||
					fe_now_ns() > deadline)
				break;
		}
	}
	return 0;
}

static int
step_traffic(void)
{
	struct fe_dev_info info;
	struct frame_spec spec;
	struct fe_q_stats st, tot;
	uint64_t t0, t1, got_total = 0;
	uint16_t q;
	int ret;

	fe_dev_info_get(dev, &info);
	t0 = fe_now_ns();
	for (q = 0; q < info.nr_pairs; q++) {
		fe_stats_reset(dev);
		base_spec(&spec, q);
		fe_rx_set_check(dev, &spec);
		ret = send_and_poll(q, &spec, o.frames);
		if (ret < 0)
			return ret;
		ret = fe_rx_drain(dev, 200, 10000, NULL, NULL);
		if (ret < 0)
			FAIL("traffic: rx: %s", fe_dev_error(dev));
		if (o.rx_any) {
			fe_stats_total(dev, &tot);
			got_total += tot.rx_pkts;
			if (check_counts("traffic", q, &tot, o.frames,
					tot.rx_pkts) < 0)
				return -1;
			continue;
		}
		fe_stats_get(dev, q, &st);
		got_total += st.rx_pkts;
		if (check_counts("traffic", q, &st, o.frames, st.rx_pkts) < 0)
			return -1;
		fe_stats_total(dev, &tot);
		if (tot.rx_pkts != st.rx_pkts)
			FAIL("traffic: frames of pair %u arrived on other pairs",
				q);
	}
	t1 = fe_now_ns();
	printf("traffic: %" PRIu64 " frames of %u bytes in %.3f ms "
		"(incl. 200 ms quiet wait per pair)\n", got_total,
		frame_len(&spec), (t1 - t0) / 1e6);
	return 0;
}

/*
 * A command the negotiated features allow: VQ_PAIRS_SET (MQ) to the pairs
 * created, else RX_PROMISC on (CTRL_RX). *allowed is false when neither is
 * negotiated (the device must then answer ERR).
 */
static void
pick_command(bool want_allowed, uint8_t *cls, uint8_t *cmd, uint8_t *data,
		size_t *len, bool *allowed)
{
	struct fe_dev_info info;
	bool mq, rx;

	fe_dev_info_get(dev, &info);
	mq = info.features & FE_BIT(VIRTIO_NET_F_MQ);
	rx = info.features & FE_BIT(VIRTIO_NET_F_CTRL_RX);
	if ((want_allowed && mq) || (!want_allowed && !mq)) {
		*cls = VIRTIO_NET_CTRL_MQ;
		*cmd = VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET;
		data[0] = (uint8_t)info.nr_pairs;	/* le16 */
		data[1] = (uint8_t)(info.nr_pairs >> 8);
		*len = 2;
		*allowed = mq;
	} else {
		*cls = VIRTIO_NET_CTRL_RX;
		*cmd = VIRTIO_NET_CTRL_RX_PROMISC;
		data[0] = 1;
		*len = 1;
		*allowed = rx;
	}
}

/* The same allowed command in every layout: each must be acked OK. */
static int
step_ctrl(void)
{
	struct fe_dev_info info;
	enum fe_ctrl_layout l;
	uint8_t cls, cmd, data[2], ack;
	size_t len;
	uint32_t used;
	bool allowed;
	int ret;

	pick_command(true, &cls, &cmd, data, &len, &allowed);
	if (!allowed)
		FAIL("ctrl: neither MQ nor CTRL_RX negotiated");
	fe_dev_info_get(dev, &info);
	for (l = 0; l < FE_LAYOUT_MAX; l++) {
		uint64_t t;

		if (l == FE_LAYOUT_INDIRECT && !(info.features & FE_BIT(28)))
			continue;
		fe_ctrl_set_layout(dev, l);
		t = fe_now_ns();
		ret = fe_ctrl(dev, cls, cmd, data, len, NULL, 0, &ack, &used);
		if (ret < 0)
			FAIL("ctrl: layout %s: %s", fe_ctrl_layout_name(l),
				fe_dev_error(dev));
		printf("ctrl: layout %s class %u cmd %u ack %u used_len %u "
			"%.1f us\n", fe_ctrl_layout_name(l), cls, cmd, ack, used,
			(fe_now_ns() - t) / 1e3);
		if (o.ack >= 0 && ack != o.ack)
			FAIL("ctrl: layout %s: ack %u, expected %d",
				fe_ctrl_layout_name(l), ack, o.ack);
		if (used < 1)
			FAIL("ctrl: used length %u", used);
	}
	fe_ctrl_set_layout(dev, FE_LAYOUT_SPLIT);
	return 0;
}

/* A command whose feature was not negotiated must get ERR. */
static int
step_ctrl_gated(void)
{
	uint8_t cls, cmd, data[2], ack = 0xee;
	size_t len;
	bool allowed;
	int ret;

	pick_command(false, &cls, &cmd, data, &len, &allowed);
	if (allowed)
		FAIL("ctrl-gated: MQ and CTRL_RX both negotiated (mask one off)");
	ret = fe_ctrl(dev, cls, cmd, data, len, NULL, 0, &ack, NULL);
	if (ret < 0)
		FAIL("ctrl-gated: %s", fe_dev_error(dev));
	printf("ctrl-gated: class %u cmd %u without its feature: ack %u\n",
		cls, cmd, ack);
	if (ack != VIRTIO_NET_ERR)
		FAIL("ctrl-gated: expected ERR");
	return 0;
}

static int
step_ctrl_timeout(void)
{
	uint8_t on = 1, ack = 0;
	uint64_t t = fe_now_ns();
	int ret;

	ret = fe_ctrl(dev, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, &on,
		1, NULL, 0, &ack, NULL);
	printf("ctrl-timeout: ret %d after %.1f ms: %s\n", ret,
		(fe_now_ns() - t) / 1e6, fe_dev_error(dev));
	if (ret != -ETIMEDOUT)
		FAIL("ctrl-timeout: expected -ETIMEDOUT");
	if (fe_ctrl_in_flight(dev) != 1)
		FAIL("ctrl-timeout: command should still be in flight");
	return 0;
}

static int
step_ctrl_bench(void)
{
	uint8_t data[2];
	struct iovec iov = { data, 0 };
	struct fe_ctrl_req req = {
		.data = &iov, .n_data = 1, .layout = FE_LAYOUT_SPLIT,
	};
	struct fe_ctrl_bench b;
	bool allowed;
	int ret;

	pick_command(true, &req.class_, &req.cmd, data, &iov.iov_len, &allowed);

	ret = fe_ctrl_batch(dev, &req, o.frames, o.depth, &b);
	if (ret < 0)
		FAIL("ctrl-bench: %s", fe_dev_error(dev));
	printf("ctrl-bench: %" PRIu64 " commands depth %u in %.3f ms: "
		"%.0f cmd/s, rtt min %.1f avg %.1f max %.1f us, ok %" PRIu64
		" err %" PRIu64 "\n", b.completed, o.depth, b.total_ns / 1e6,
		b.completed * 1e9 / (double)b.total_ns, b.rtt_min_ns / 1e3,
		b.rtt_sum_ns / 1e3 / (double)b.completed, b.rtt_max_ns / 1e3,
		b.ok, b.err);
	if (b.completed != o.frames)
		FAIL("ctrl-bench: not all commands completed");
	if ((o.ack == VIRTIO_NET_OK && b.ok != o.frames) ||
			(o.ack == VIRTIO_NET_ERR && b.err != o.frames))
		FAIL("ctrl-bench: unexpected acks");
	return 0;
}

static int
step_stop(void)
{
	struct fe_dev_info info;
	uint16_t i, base;
	int ret;

	fe_stats_total(dev, &before_stop);
	ret = fe_dev_stop(dev);
	if (ret < 0)
		FAIL("stop: %s", fe_dev_error(dev));
	fe_dev_info_get(dev, &info);
	printf("stop: state %s bases", fe_state_name(info.state));
	for (i = 0; i < info.nr_vrings; i++)
		if (fe_dev_vring_base(dev, i, &base) == 0)
			printf(" %u:%u", i, base);
	printf("\n");
	return 0;
}

static int
step_queue(void)
{
	struct fe_dev_info info;
	struct frame_spec spec;
	uint16_t q;
	int ret;

	fe_dev_info_get(dev, &info);
	fe_stats_reset(dev);
	queued_while_stopped = 0;
	for (q = 0; q < info.nr_pairs; q++) {
		base_spec(&spec, q);
		/* Fewer than a ring: nobody completes TX while stopped. */
		ret = fe_tx(dev, q, &spec, o.frames < info.ring_size ?
			o.frames : info.ring_size / 2);
		if (ret <= 0)
			FAIL("queue: pair %u: %d (%s)", q, ret,
				fe_dev_error(dev));
		queued_while_stopped += (uint32_t)ret;
	}
	printf("queue: %u frames waiting in stopped rings (state %s)\n",
		queued_while_stopped, fe_state_name(info.state));
	return 0;
}

static int
step_resume(void)
{
	struct fe_dev_info info;
	uint64_t t = fe_now_ns();
	int ret;

	ret = fe_dev_resume(dev);
	if (ret < 0)
		FAIL("resume: %s", fe_dev_error(dev));
	fe_dev_info_get(dev, &info);
	printf("resume: state %s reconnects %" PRIu64 " in %.1f ms\n",
		fe_state_name(info.state), info.reconnects,
		(fe_now_ns() - t) / 1e6);
	return 0;
}

/* Restart a stopped device on the same connection (no reconnect). */
static int
step_restart(void)
{
	int ret;

	ret = fe_dev_start(dev);
	if (ret < 0)
		FAIL("restart: %s", fe_dev_error(dev));
	printf("restart: running again on the same connection\n");
	return 0;
}

static int
step_expect_rx(void)
{
	struct fe_q_stats tot;
	struct frame_spec spec;
	int ret;

	/* Streams differ per pair: check each frame against its own. */
	base_spec(&spec, 0);
	fe_rx_set_check(dev, NULL);
	ret = fe_rx_drain(dev, 300, 10000, NULL, NULL);
	if (ret < 0)
		FAIL("expect-rx: %s", fe_dev_error(dev));
	fe_stats_total(dev, &tot);
	printf("expect-rx: queued %u received %" PRIu64 " tx done %" PRIu64
		" pattern bad %" PRIu64 "\n", queued_while_stopped,
		tot.rx_pkts, tot.tx_done, tot.rx_bad_hdr);
	if (tot.rx_pkts != queued_while_stopped)
		FAIL("expect-rx: frames queued while stopped were lost");
	return 0;
}

static int
step_wait_line(void)
{
	char line[64];

	printf("WAITING\n");
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		FAIL("wait-line: stdin closed");
	return 0;
}

static int
step_expect_dead(void)
{
	int ret;

	ret = fe_dev_stop(dev);
	printf("expect-dead: stop returned %d: %s\n", ret, fe_dev_error(dev));
	if (ret != -ECONNRESET && ret != -EPIPE)
		FAIL("expect-dead: expected ECONNRESET or EPIPE");
	if (strstr(fe_dev_error(dev), "backend closed the connection") == NULL)
		FAIL("expect-dead: unclear error message");
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} steps[] = {
	{ "open", step_open },
	{ "traffic", step_traffic },
	{ "ctrl", step_ctrl },
	{ "ctrl-gated", step_ctrl_gated },
	{ "ctrl-timeout", step_ctrl_timeout },
	{ "ctrl-bench", step_ctrl_bench },
	{ "stop", step_stop },
	{ "queue", step_queue },
	{ "resume", step_resume },
	{ "restart", step_restart },
	{ "expect-rx", step_expect_rx },
	{ "wait-line", step_wait_line },
	{ "expect-dead", step_expect_dead },
};

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "pairs", required_argument, NULL, 'p' },
		{ "mask-off", required_argument, NULL, 'm' },
		{ "force", required_argument, NULL, 'f' },
		{ "frames", required_argument, NULL, 'n' },
		{ "len", required_argument, NULL, 'l' },
		{ "rx-buf", required_argument, NULL, 'r' },
		{ "depth", required_argument, NULL, 'd' },
		{ "rx-any", no_argument, NULL, 'a' },
		{ "dev-mac", no_argument, NULL, 'M' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "ack", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t off;
	int c, i;
	size_t k;

	fe_config_init(&o.cfg);
	o.frames = 1000;
	o.len = 64;
	o.depth = 16;
	o.ack = VIRTIO_NET_OK;
	while ((c = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			o.cfg.socket_path = optarg;
			break;
		case 'p':
			o.cfg.nr_pairs = (uint16_t)atoi(optarg);
			break;
		case 'm':
			if (parse_features(optarg, &off) < 0)
				return 2;
			o.cfg.feature_mask &= ~off;
			break;
		case 'f':
			o.cfg.force_features = strtoull(optarg, NULL, 0);
			break;
		case 'n':
			o.frames = (uint32_t)atoi(optarg);
			break;
		case 'l':
			o.len = (uint32_t)atoi(optarg);
			break;
		case 'r':
			o.cfg.rx_buf_len = (uint32_t)atoi(optarg);
			break;
		case 'd':
			o.depth = (unsigned int)atoi(optarg);
			break;
		case 'a':
			o.rx_any = true;
			break;
		case 'M':
			o.use_dev_mac = true;
			break;
		case 't':
			o.cfg.ctrl_timeout_ms = (uint32_t)atoi(optarg);
			break;
		case 'A':
			o.ack = atoi(optarg);
			break;
		case 'v':
			o.cfg.verbose = true;
			break;
		default:
			usage(argv[0]);
			return 2;
		}
	}
	if (o.cfg.socket_path == NULL || optind >= argc) {
		usage(argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = optind; i < argc; i++) {
		if (strcmp(argv[i], "close") == 0) {
			fe_dev_destroy(dev);
			dev = NULL;
			printf("close: done\n");
			continue;
		}
		for (k = 0; k < sizeof(steps) / sizeof(steps[0]); k++)
			if (strcmp(argv[i], steps[k].name) == 0)
				break;
		if (k == sizeof(steps) / sizeof(steps[0])) {
			fprintf(stderr, "unknown step %s\n", argv[i]);
			return 2;
		}
		if (strcmp(argv[i], "open") != 0 && dev == NULL) {
			fprintf(stderr, "step %s needs open first\n", argv[i]);
			return 2;
		}
		if (steps[k].fn() < 0) {
			fe_dev_destroy(dev);
			return 1;
		}
	}
	fe_dev_destroy(dev);
	printf("frontend-check: all steps passed\n");
	return 0;
}
