/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * lifecycle-fe: a frontend that connects to a cvqsim backend over and over
 * with work in flight, for test/lifecycle/lifecycle.sh.
 *
 *   lifecycle-fe SOCKET cycles N SECONDS
 *       N connect/disconnect cycles, at most SECONDS. Each cycle connects,
 *       asks for every queue pair, puts frames and control commands in
 *       flight and leaves without waiting for them, in turn: gracefully
 *       (vrings stopped, then closed), by closing the socket, and after
 *       stop + resume on a new connection. Every 10th cycle waits for its
 *       work instead and checks it all completed. Prints one summary line.
 *   lifecycle-fe SOCKET traffic
 *       connect, print "RUNNING", then keep frames and commands in flight
 *       until killed (the script SIGKILLs it mid-traffic).
 *   lifecycle-fe SOCKET check
 *       connect, pass frames on every pair and control commands; exit 0
 *       only if everything came back.
 *
 * No EAL: the frontend is plain C. Exit status 0 on success, 1 on failure.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "frames.h"
#include "frontend.h"

#define FRAME_LEN	200
#define BURST		16
#define CTRL_BURST	4
#define OPEN_TRIES	200	/* 10 ms apart: the backend may still clean up */

static const char *sock_path;

static uint64_t
now_ms(void)
{
	return fe_now_ns() / 1000000;
}

/* Frame seq of a broadcast raw L2 stream (frames.h: tagged, patterned). */
static void
make_frame(uint8_t *f, uint32_t seq)
{
	struct frame_spec spec;

	frame_spec_init(&spec);
	memset(spec.dst, 0xff, 6);
	spec.l3 = FRAME_L3_NONE;
	spec.payload_len = FRAME_LEN - 14;
	frame_build(&spec, seq, f, FRAME_LEN);
}

/*
 * Connect, retrying while the backend still holds the previous connection
 * (it refuses a second frontend on the same device until the first one is
 * cleaned up). Asks for every queue pair the device has.
 */
static struct fe_dev *
open_dev(unsigned int *retries)
{
	struct fe_dev_info info;
	struct fe_config cfg;
	struct fe_dev *dev = NULL;
	char err[256] = "";
	unsigned int i;
	int ret = -1;

	fe_config_init(&cfg);
	cfg.socket_path = sock_path;
	cfg.ring_size = 128;
	cfg.ctrl_timeout_ms = 2000;
	for (i = 0; i < OPEN_TRIES; i++) {
		ret = fe_dev_open(&cfg, &dev, err, sizeof(err));
		if (ret == 0)
			break;
		if (retries != NULL)
			(*retries)++;
		usleep(10000);
	}
	if (ret != 0) {
		printf("FAIL: cannot connect to %s: %s\n", sock_path, err);
		return NULL;
	}
	if (fe_dev_info_get(dev, &info) == 0 && info.nr_pairs > 1) {
		uint8_t pairs[2] = { (uint8_t)info.nr_pairs, 0 }, ack = 0xff;

		ret = fe_ctrl(dev, VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET,
			pairs, sizeof(pairs), NULL, 0, &ack, NULL);
		if (ret != 0 || ack != VIRTIO_NET_OK) {
			printf("FAIL: VQ_PAIRS_SET %u: ret %d ack %u: %s\n",
				info.nr_pairs, ret, ack, fe_dev_error(dev));
			fe_dev_destroy(dev);
			return NULL;
		}
	}
	return dev;
}

static uint16_t
pairs_of(struct fe_dev *dev)
{
	struct fe_dev_info info;

	return fe_dev_info_get(dev, &info) == 0 ? info.nr_pairs : 1;
}

/* Frames on every pair and control commands, none waited for. */
static int
put_in_flight(struct fe_dev *dev, uint32_t *seq, unsigned int *frames,
		unsigned int *cmds)
{
	static const uint8_t on = 1;
	struct iovec data = { .iov_base = (void *)(uintptr_t)&on, .iov_len = 1 };
	struct fe_ctrl_req req = {
		.class_ = VIRTIO_NET_CTRL_RX,
		.cmd = VIRTIO_NET_CTRL_RX_PROMISC,
		.data = &data,
		.n_data = 1,
		.layout = FE_LAYOUT_SPLIT,
	};
	uint8_t frame[FRAME_LEN];
	uint16_t q, pairs = pairs_of(dev);
	unsigned int i;

	for (q = 0; q < pairs; q++)
		for (i = 0; i < BURST; i++) {
			make_frame(frame, (*seq)++);
			if (fe_tx_frame(dev, q, frame, sizeof(frame), NULL) == 1)
				(*frames)++;
		}
	for (i = 0; i < CTRL_BURST; i++) {
		req.layout = (enum fe_ctrl_layout)(i % FE_LAYOUT_MAX);
		if (fe_ctrl_submit(dev, &req) == 0)
			(*cmds)++;
	}
	return fe_ctrl_kick(dev);
}

/* Wait for every command and frame put in flight; 0 if all came back OK. */
static int
reap_all(struct fe_dev *dev, unsigned int frames, unsigned int cmds)
{
	struct fe_ctrl_res res;
	uint64_t deadline = now_ms() + 3000;
	unsigned int done = 0, ok = 0;
	int got, ret;

	got = fe_rx_drain(dev, 100, 3000, NULL, NULL);
	while (done < cmds && now_ms() < deadline) {
		ret = fe_ctrl_poll(dev, &res);
		if (ret < 0)
			break;
		if (ret == 0) {
			usleep(1000);
			continue;
		}
		done++;
		ok += res.ack == VIRTIO_NET_OK;
	}
	if (got != (int)frames || ok != cmds) {
		printf("FAIL: %d of %u frames back, %u of %u commands OK (%u done):"
			" %s\n", got, frames, ok, cmds, done, fe_dev_error(dev));
		return -1;
	}
	return 0;
}

static int
run_cycles(unsigned int n, unsigned int seconds)
{
	uint64_t deadline = now_ms() + 1000ULL * seconds;
	unsigned int i, retries = 0, checked = 0, graceful = 0, abrupt = 0;
	unsigned int resumed = 0, frames_total = 0, cmds_total = 0;
	uint32_t seq = 0;

	for (i = 0; i < n && now_ms() < deadline; i++) {
		unsigned int frames = 0, cmds = 0;
		struct fe_dev *dev = open_dev(&retries);

		if (dev == NULL)
			return 1;
		if (put_in_flight(dev, &seq, &frames, &cmds) < 0) {
			printf("FAIL: cycle %u: %s\n", i, fe_dev_error(dev));
			fe_dev_destroy(dev);
			return 1;
		}
		frames_total += frames;
		cmds_total += cmds;
		if (i % 10 == 9) {
			if (reap_all(dev, frames, cmds) < 0) {
				printf("FAIL: cycle %u\n", i);
				fe_dev_destroy(dev);
				return 1;
			}
			checked++;
			fe_dev_destroy(dev);
			continue;
		}
		switch (i % 3) {
		case 0:		/* stop the vrings, then close */
			graceful++;
			break;
		case 1:		/* drop the socket with everything in flight */
			fe_dev_disconnect(dev);
			abrupt++;
			break;
		default:	/* stop, resume on a new connection, then close */
			if (fe_dev_stop(dev) == 0 && fe_dev_resume(dev) == 0)
				resumed++;
			break;
		}
		fe_dev_destroy(dev);
	}
	printf("cycles %u: %u graceful, %u abrupt, %u resumed, %u checked;"
		" %u frames and %u commands put in flight; %u connect retries\n",
		i, graceful, abrupt, resumed, checked, frames_total, cmds_total,
		retries);
	return i > 0 && checked > 0 ? 0 : 1;
}

static int
run_traffic(void)
{
	struct fe_dev *dev = open_dev(NULL);
	struct fe_ctrl_res res;
	unsigned int frames = 0, cmds = 0;
	uint32_t seq = 0;

	if (dev == NULL)
		return 1;
	printf("RUNNING\n");
	fflush(stdout);
	for (;;) {
		put_in_flight(dev, &seq, &frames, &cmds);
		/* Take some back so the rings never fill up for good. */
		fe_rx_poll(dev, 0, 0, NULL, NULL);
		while (fe_ctrl_poll(dev, &res) > 0)
			;
		fe_rx_drain(dev, 1, 5, NULL, NULL);
	}
	return 0;
}

static int
run_check(void)
{
	struct fe_dev *dev = open_dev(NULL);
	unsigned int frames = 0, cmds = 0;
	uint32_t seq = 0;
	int ret;

	if (dev == NULL)
		return 1;
	ret = put_in_flight(dev, &seq, &frames, &cmds);
	if (ret == 0)
		ret = reap_all(dev, frames, cmds);
	if (ret == 0)
		printf("check: %u frames and %u commands completed\n", frames, cmds);
	fe_dev_destroy(dev);
	return ret == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 5 && strcmp(argv[2], "cycles") == 0) {
		sock_path = argv[1];
		return run_cycles((unsigned int)strtoul(argv[3], NULL, 10),
			(unsigned int)strtoul(argv[4], NULL, 10));
	}
	if (argc == 3 && strcmp(argv[2], "traffic") == 0) {
		sock_path = argv[1];
		return run_traffic();
	}
	if (argc == 3 && strcmp(argv[2], "check") == 0) {
		sock_path = argv[1];
		return run_check();
	}
	fprintf(stderr, "usage: %s SOCKET cycles N SECONDS | traffic | check\n",
		argv[0]);
	return 2;
}
