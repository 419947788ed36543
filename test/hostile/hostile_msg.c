/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * hostile-msg: hostile vhost-user messages against a backend process (the
 * app, started by hostile-msg.sh), then a check that the backend is alive
 * and still serves a well-behaved frontend.
 *
 *   hostile-msg case PID SOCKET OTHER_SOCKET NAME...
 *       Each named case (see cases[] below; "all" for every one): the
 *       hostile messages on SOCKET with the raw client (vu_raw.c), the
 *       backend's answer checked, then the backend process PID must be
 *       alive and a good frontend (the app's frontend library) must pass
 *       frames and a control command on SOCKET and on OTHER_SOCKET.
 *   hostile-msg stall PID SOCKET OTHER_SOCKET HOLD_S MAX_MS
 *       A frontend on SOCKET sends a header announcing a payload and then
 *       nothing for HOLD_S seconds. Meanwhile a frontend on OTHER_SOCKET
 *       asks for the features; prints how long it waited and fails if that
 *       is more than MAX_MS.
 *   hostile-msg fuzz PID SOCKET OTHER_SOCKET SEED SESSIONS SECONDS
 *       The protocol fuzzer (hostile_fuzz.c).
 *
 * No EAL in this process. Exit status 0 when every check passed.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "fe_dev.h"
#include "frontend.h"
#include "hostile_msg.h"
#include "vu_raw.h"

#define GOOD_FRAMES	16
#define GOOD_FRAME_LEN	128
#define OPEN_TRIES	300	/* 10 ms apart: the backend may still clean up */

/* ---- the backend and a good frontend -------------------------------------- */

bool
hm_backend_alive(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* "pid (comm) S ...": a dead child not yet reaped is a zombie. */
	p = strrchr(buf, ')');
	return p != NULL && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
}

static void
good_frame(uint8_t *f, uint32_t seq)
{
	unsigned int i;

	memset(f, 0xff, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x42", 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	memcpy(f + 14, &seq, sizeof(seq));
	for (i = 18; i < GOOD_FRAME_LEN; i++)
		f[i] = (uint8_t)(i ^ seq);
}

/*
 * Receive until every frame sent came back, for at most 5 s: "nothing for
 * 50 ms" alone gives up on a backend slowed by a loaded machine.
 */
static int
drain_all(struct fe_dev *dev, int sent)
{
	uint64_t deadline = fe_now_ns() + 5000000000ULL;
	int got = 0, n;

	while (got < sent && fe_now_ns() < deadline) {
		n = fe_rx_drain(dev, 50, 1000, NULL, NULL);
		if (n < 0)
			break;
		got += n;
	}
	return got;
}

int
hm_good_client(const char *sock, char *why, size_t why_len)
{
	static const uint8_t on = 1;
	struct fe_dev_info info;
	struct fe_config cfg;
	struct fe_dev *dev = NULL;
	uint8_t frame[GOOD_FRAME_LEN], ack = 0xff;
	char err[256] = "";
	uint32_t seq = 0;
	int ret = -1, sent = 0, got;
	unsigned int i, q;

	fe_config_init(&cfg);
	cfg.socket_path = sock;
	cfg.ring_size = 64;
	cfg.ctrl_timeout_ms = 2000;
	cfg.reply_timeout_ms = 3000;
	cfg.connect_timeout_ms = 2000;
	/* The backend refuses a second frontend until the first is gone. */
	for (i = 0; i < OPEN_TRIES; i++) {
		ret = fe_dev_open(&cfg, &dev, err, sizeof(err));
		if (ret == 0)
			break;
		usleep(10000);
	}
	if (ret != 0) {
		snprintf(why, why_len, "%s: cannot open: %s", sock, err);
		return -1;
	}
	if (fe_dev_info_get(dev, &info) == 0 && info.nr_pairs > 1) {
		uint8_t pairs[2] = { (uint8_t)info.nr_pairs, 0 };

		ret = fe_ctrl(dev, VIRTIO_NET_CTRL_MQ,
			VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, pairs, sizeof(pairs),
			NULL, 0, &ack, NULL);
		if (ret != 0 || ack != VIRTIO_NET_OK) {
			snprintf(why, why_len, "%s: VQ_PAIRS_SET: %d ack %u (%s)",
				sock, ret, ack, fe_dev_error(dev));
			goto out;
		}
	} else {
		info.nr_pairs = 1;
	}
	for (q = 0; q < info.nr_pairs; q++)
		for (i = 0; i < GOOD_FRAMES; i++) {
			good_frame(frame, seq++);
			sent += fe_tx_frame(dev, (uint16_t)q, frame, sizeof(frame),
				NULL) == 1;
		}
	got = drain_all(dev, sent);
	ack = 0xff;
	ret = fe_ctrl(dev, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC, &on, 1,
		NULL, 0, &ack, NULL);
	if (sent != (int)(GOOD_FRAMES * info.nr_pairs) || got != sent) {
		snprintf(why, why_len, "%s: sent %d frames, received %d", sock,
			sent, got);
		ret = -1;
	} else if (ret != 0 || ack != VIRTIO_NET_OK) {
		snprintf(why, why_len, "%s: control command: %d ack %u (%s)", sock,
			ret, ack, fe_dev_error(dev));
		ret = -1;
	}
out:
	fe_dev_destroy(dev);
	return ret;
}

int
hm_check_backend(const struct hm_target *t, const char *what)
{
	char why[512];

	if (!hm_backend_alive(t->pid)) {
		printf("FAIL: %s: the backend (pid %d) died\n", what, (int)t->pid);
		return -1;
	}
	if (hm_good_client(t->sock, why, sizeof(why)) < 0 ||
			hm_good_client(t->other_sock, why, sizeof(why)) < 0) {
		printf("FAIL: %s: backend alive but %s\n", what, why);
		return -1;
	}
	return 0;
}

/* ---- the cases ---------------------------------------------------------------- */

#define CHECK(cond, fmt, ...) do { \
	if (!(cond)) { \
		printf("FAIL: %s: " fmt "\n", __func__, ##__VA_ARGS__); \
		return -1; \
	} \
} while (0)

/* The answer to a refused message: a REPLY_ACK of 1, or the connection closed. */
static int
expect_refused(struct vu_raw *c, int ret, const char *what)
{
	if (ret == 1 || ret == -EPIPE ||
			(ret == -ETIMEDOUT && vu_raw_closed_by_peer(c, 500)))
		return 0;
	printf("FAIL: %s: not refused (%s)\n", what, ret == 0 ? "acknowledged" :
		c->err);
	return -1;
}

/*
 * 1. A call fd that is a pipe whose reader has gone, on the RX ring of a
 * running device: the device's notification write must not kill the
 * process (SIGPIPE). It is refused (the call fd must be an eventfd) or,
 * where it gets through, counted as a failed notification.
 */
static int
case_sigpipe_call_fd(const struct hm_target *t)
{
	struct fe_config cfg;
	struct fe_dev *dev = NULL;
	uint8_t frame[GOOD_FRAME_LEN];
	char err[256];
	unsigned int i, v;
	int p[2], ret;

	fe_config_init(&cfg);
	cfg.socket_path = t->sock;
	cfg.ring_size = 64;
	for (i = 0; i < OPEN_TRIES; i++) {
		if (fe_dev_open(&cfg, &dev, err, sizeof(err)) == 0)
			break;
		usleep(10000);
	}
	CHECK(dev != NULL, "open: %s", err);
	for (v = 0; v < 2; v++) {
		uint64_t idx = v;
		uint64_t ack = UINT64_MAX;

		CHECK(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0, "pipe");
		close(p[0]);	/* the reader is gone */
		ret = fe_vu_raw(dev, VU_SET_VRING_CALL,
			VU_VERSION | VU_FLAG_NEED_REPLY, &idx, sizeof(idx), &p[1], 1,
			&ack, sizeof(ack));
		close(p[1]);
		if (ret < 0)
			break;	/* refused by closing the connection */
	}
	/* RX buffers used and TX completions: both rings notify. */
	for (i = 0; i < 8; i++) {
		good_frame(frame, i);
		fe_tx_frame(dev, 0, frame, sizeof(frame), NULL);
	}
	fe_rx_drain(dev, 50, 1000, NULL, NULL);
	fe_dev_destroy(dev);
	return 0;
}

/* 2. GET_CONFIG asking for more than the config space (or any buffer). */
static int
get_config_sized(const struct hm_target *t, uint32_t offset, uint32_t size)
{
	struct vu_raw_session s;
	struct vu_msg r;
	struct { uint32_t offset, size, flags; } __attribute__((packed)) req = {
		offset, size, 0 };
	int ret;

	ret = vu_raw_session_open(&s, t->sock, ~0ULL,
		1ULL << VU_RAW_PF_CONFIG, 1 << 20);
	CHECK(ret == 0, "session: %s", s.c.err);
	CHECK(s.protocol_features & (1ULL << VU_RAW_PF_CONFIG),
		"the device does not offer CONFIG");
	ret = vu_raw_send(&s.c, VU_GET_CONFIG, VU_VERSION, &req,
		sizeof(req), NULL, 0);
	if (ret == 0)
		ret = vu_raw_recv(&s.c, &r, 2000);
	vu_raw_session_close(&s);
	/* Refused: an empty reply (the vhost library's way), or closed. */
	CHECK(ret == 0 || ret == -EPIPE,
		"GET_CONFIG offset %u size %u: %s", offset, size,
		ret > 0 ? "answered with data" : s.c.err);
	return 0;
}

static int
case_get_config_4096(const struct hm_target *t)
{
	return get_config_sized(t, 0, 4096);
}

static int
case_get_config_huge(const struct hm_target *t)
{
	return get_config_sized(t, 0, 0xffffffff);
}

static int
case_get_config_offset(const struct hm_target *t)
{
	return get_config_sized(t, 250, 16);
}

/* A good frontend's session on the attacked device: a running device. */
static struct fe_dev *
running_session(const struct hm_target *t)
{
	struct fe_config cfg;
	struct fe_dev *dev = NULL;
	char err[256] = "";
	unsigned int i;

	fe_config_init(&cfg);
	cfg.socket_path = t->sock;
	cfg.ring_size = 64;
	for (i = 0; i < OPEN_TRIES; i++) {
		if (fe_dev_open(&cfg, &dev, err, sizeof(err)) == 0)
			return dev;
		usleep(10000);
	}
	printf("FAIL: open %s: %s\n", t->sock, err);
	return NULL;
}

/* SET_MEM_TABLE on the session's connection: REPLY_ACK 0/1, or -EPIPE. */
static int
session_table(struct fe_dev *dev, const struct vu_mem_region *r,
		unsigned int n, const int *fds)
{
	struct {
		uint32_t nregions, padding;
		struct vu_mem_region r[VU_MAX_REGIONS];
	} __attribute__((packed)) table = { .nregions = n };
	uint64_t ack = UINT64_MAX;

	memcpy(table.r, r, n * sizeof(*r));
	if (fe_vu_raw(dev, VU_SET_MEM_TABLE, VU_VERSION |
			VU_FLAG_NEED_REPLY, &table, 8 + 32 * n, fds, (int)n, &ack,
			sizeof(ack)) < 0)
		return -EPIPE;
	return ack == 0 ? 0 : 1;
}

/* Frames through the session's own rings. */
static int
session_traffic(struct fe_dev *dev)
{
	uint8_t frame[GOOD_FRAME_LEN];
	int sent = 0, got;
	unsigned int i;

	for (i = 0; i < GOOD_FRAMES; i++) {
		good_frame(frame, i);
		sent += fe_tx_frame(dev, 0, frame, sizeof(frame), NULL) == 1;
	}
	got = drain_all(dev, sent);
	return sent == GOOD_FRAMES && got == sent ? 0 : -1;
}

static struct vu_mem_region
own_region(const struct fe_dev *dev)
{
	return (struct vu_mem_region){ dev->mem.gpa, dev->mem.size,
		(uint64_t)(uintptr_t)dev->mem.va, 0 };
}

/*
 * A table change that fails while the device runs, found by the driver's
 * check: the frontend's memory plus a region of size 0 (or overlapping,
 * or wrapping). Refused before the vhost library drops its table, so the
 * device goes on with the table it has, on the same connection.
 */
static int
running_bad_table(const struct hm_target *t, const struct vu_mem_region *extra)
{
	struct vu_mem_region r[2];
	struct fe_dev *dev = running_session(t);
	int fds[2], ret;

	if (dev == NULL)
		return -1;
	r[0] = own_region(dev);
	r[1] = *extra;
	fds[0] = fds[1] = dev->mem.fd;
	ret = session_table(dev, r, 2, fds);
	if (ret != 1) {
		printf("FAIL: %s: table not refused (%s)\n", __func__,
			ret == 0 ? "acknowledged" : "connection closed");
		fe_dev_destroy(dev);
		return -1;
	}
	ret = session_traffic(dev);
	if (ret < 0)
		printf("FAIL: %s: the device did not keep its last good table:"
			" no traffic after the refusal (%s)\n", __func__,
			fe_dev_error(dev));
	fe_dev_destroy(dev);
	return ret;
}

static int
case_mem_size_zero(const struct hm_target *t)
{
	const struct vu_mem_region z = { 0x100000000ULL, 0, 0x7e0000000000ULL, 0 };

	return running_bad_table(t, &z);
}

static int
case_mem_overlap(const struct hm_target *t)
{
	/* Its second 4 KiB page again, at a GPA inside the first region. */
	const struct vu_mem_region o = { 0x40001000ULL, 4096, 0x7e0000000000ULL,
		4096 };

	return running_bad_table(t, &o);
}

static int
case_mem_wrap(const struct hm_target *t)
{
	const struct vu_mem_region w = { UINT64_MAX - 4095, 8192,
		0x7e0000000000ULL, 0 };

	return running_bad_table(t, &w);
}

/*
 * A table change the vhost library itself fails on while the device runs:
 * a read-only fd (it cannot map it writable). The library has dropped
 * the old table by then: the device must stop cleanly (NEEDS_RESET,
 * hostile-msg.sh checks the log line), not read a table that is gone.
 */
static int
case_mem_map_fails(const struct hm_target *t)
{
	struct fe_dev *dev = running_session(t);
	char path[] = "/tmp/cvqsim-hostile-ro.XXXXXX";
	struct vu_mem_region r;
	int fd, ro, ret;

	if (dev == NULL)
		return -1;
	fd = mkstemp(path);
	CHECK(fd >= 0 && ftruncate(fd, (off_t)dev->mem.size) == 0, "tmp file");
	ro = open(path, O_RDONLY | O_CLOEXEC);
	unlink(path);
	close(fd);
	CHECK(ro >= 0, "open read-only");
	/*
	 * Another frontend address: the vhost library compares only GPA,
	 * frontend address and size, and takes an equal layout as "not
	 * changed" whatever the fd.
	 */
	r = own_region(dev);
	r.uaddr += 1ULL << 40;
	ret = session_table(dev, &r, 1, &ro);
	close(ro);
	fe_dev_destroy(dev);
	CHECK(ret == 1 || ret == -EPIPE, "read-only table not refused");
	return 0;
}

/*
 * A region extending past the end of its fd (a 4 KiB memfd declared as
 * 1 GiB; or an mmap_offset at the fd's end), then a vring in the part the
 * fd does not have: the vhost library reads the used index there at
 * SET_VRING_KICK (SIGBUS) unless the table is refused. A valid table
 * sent afterwards must be taken.
 */
static int
short_fd_region(const struct hm_target *t, uint64_t size, uint64_t offset)
{
	const uint64_t uaddr = 0x7e0000000000ULL, gpa = 0x40000000ULL;
	struct vu_mem_region r = { gpa, size, uaddr, offset };
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} __attribute__((packed)) addr = { 0, 0, uaddr + size - 12288,
		uaddr + size - 4096, uaddr + size - 8192, 0 };
	struct { uint32_t index, num; } st = { 0, 64 };
	struct vu_raw_session s;
	struct vu_raw_mem good;
	uint64_t idx = 0;
	int fd, kick, ret, refused;

	ret = vu_raw_negotiate(&s, t->sock, ~0ULL, ~0ULL);
	CHECK(ret == 0, "negotiate: %s", s.c.err);
	fd = memfd_create("hostile-short", MFD_CLOEXEC);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0, "memfd");
	ret = vu_raw_set_mem_table(&s.c, &r, 1, &fd);
	close(fd);
	refused = expect_refused(&s.c, ret, "region past the end of its fd");
	if (ret == 1) {
		/* Refused, still connected: the right table now is taken. */
		struct vu_mem_region ok;

		CHECK(vu_raw_mem_create(&good, 1 << 20, gpa) == 0, "memfd");
		ok = (struct vu_mem_region){ gpa, good.size,
			(uint64_t)(uintptr_t)good.va, 0 };
		ret = vu_raw_set_mem_table(&s.c, &ok, 1, &good.fd);
		vu_raw_mem_destroy(&good);
		if (ret != 0) {
			printf("FAIL: %s: a valid table after the refused one: %s\n",
				__func__, ret > 0 ? "refused" : s.c.err);
			vu_raw_session_close(&s);
			return -1;
		}
	}
	if (ret >= 0) {
		/* A vring where the bad region's fd has nothing. */
		kick = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		vu_raw_send(&s.c, VU_SET_VRING_NUM, VU_VERSION, &st,
			sizeof(st), NULL, 0);
		st.num = 0;
		vu_raw_send(&s.c, VU_SET_VRING_BASE, VU_VERSION, &st,
			sizeof(st), NULL, 0);
		vu_raw_send(&s.c, VU_SET_VRING_ADDR, VU_VERSION, &addr,
			sizeof(addr), NULL, 0);
		vu_raw_send(&s.c, VU_SET_VRING_KICK, VU_VERSION, &idx,
			sizeof(idx), &kick, 1);
		close(kick);
		/* Round trip: the backend has handled all of it. */
		vu_raw_get_u64(&s.c, VU_GET_FEATURES, &idx);
	}
	vu_raw_session_close(&s);
	return refused;
}

static int
case_mem_past_fd_end(const struct hm_target *t)
{
	return short_fd_region(t, 1ULL << 30, 0);
}

static int
case_mem_offset_past_fd_end(const struct hm_target *t)
{
	return short_fd_region(t, 64 << 10, 4096);
}

/*
 * SET_INFLIGHT_FD although INFLIGHT_SHMFD was never negotiated: a 4 KiB
 * memfd presented as 1 MiB for 2 queues of 4096 entries. The vhost
 * library would map it and write each queue's header past the fd's end.
 */
static int
case_inflight_not_negotiated(const struct hm_target *t)
{
	struct vu_raw_session s;
	/* The vhost library's layout: 24 bytes, with its padding. */
	struct {
		uint64_t mmap_size, mmap_offset;
		uint16_t num_queues, queue_size;
	} inflight = { 1 << 20, 0, 2, 4096 };
	int fd, ret;

	ret = vu_raw_session_open(&s, t->sock, ~0ULL, ~0ULL, 1 << 20);
	CHECK(ret == 0, "session: %s", s.c.err);
	CHECK(!(s.protocol_features & (1ULL << VU_RAW_PF_INFLIGHT_SHMFD)),
		"INFLIGHT_SHMFD was negotiated: the case needs it not to be");
	fd = memfd_create("hostile-inflight", MFD_CLOEXEC);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0, "memfd");
	ret = vu_raw_acked(&s.c, VU_SET_INFLIGHT_FD, &inflight,
		sizeof(inflight), &fd, 1);
	close(fd);
	ret = expect_refused(&s.c, ret, "SET_INFLIGHT_FD not negotiated");
	vu_raw_session_close(&s);
	return ret;
}

/* GET_INFLIGHT_FD likewise: no shared memory made for a feature not agreed. */
static int
case_get_inflight_not_negotiated(const struct hm_target *t)
{
	struct vu_raw_session s;
	struct vu_msg r;
	struct {
		uint64_t mmap_size, mmap_offset;
		uint16_t num_queues, queue_size;
	} inflight = { 0, 0, 2, 256 };
	int ret;

	ret = vu_raw_negotiate(&s, t->sock, ~0ULL, ~0ULL);
	CHECK(ret == 0, "negotiate: %s", s.c.err);
	ret = vu_raw_send(&s.c, VU_GET_INFLIGHT_FD, VU_VERSION,
		&inflight, sizeof(inflight), NULL, 0);
	if (ret == 0)
		ret = vu_raw_recv(&s.c, &r, 2000);
	vu_raw_session_close(&s);
	CHECK(ret == -EPIPE, "GET_INFLIGHT_FD not negotiated: %s",
		ret >= 0 ? "answered" : s.c.err);
	return 0;
}

struct hm_case {
	const char *name;
	int (*run)(const struct hm_target *t);
	const char *what;
};

static const struct hm_case cases[] = {
	{ "sigpipe-call-fd", case_sigpipe_call_fd,
		"call fds that are pipes without a reader (issue 17 #1)" },
	{ "get-config-4096", case_get_config_4096,
		"GET_CONFIG of 4096 bytes (#2)" },
	{ "get-config-huge", case_get_config_huge,
		"GET_CONFIG of 0xffffffff bytes (#2)" },
	{ "get-config-offset", case_get_config_offset,
		"GET_CONFIG at offset 250 (#2)" },
	{ "mem-size-zero-running", case_mem_size_zero,
		"a region of size 0 while running (#3)" },
	{ "mem-overlap-running", case_mem_overlap,
		"overlapping regions while running (#3)" },
	{ "mem-wrap-running", case_mem_wrap,
		"a region wrapping 2^64 while running (#3)" },
	{ "mem-map-fails-running", case_mem_map_fails,
		"a table the vhost library fails to map, while running (#3)" },
	{ "mem-past-fd-end", case_mem_past_fd_end,
		"a 4 KiB fd declared as 1 GiB (#4)" },
	{ "mem-offset-past-fd-end", case_mem_offset_past_fd_end,
		"an mmap_offset at the fd's end (#4)" },
	{ "inflight-not-negotiated", case_inflight_not_negotiated,
		"SET_INFLIGHT_FD without INFLIGHT_SHMFD (#5)" },
	{ "get-inflight-not-negotiated", case_get_inflight_not_negotiated,
		"GET_INFLIGHT_FD without INFLIGHT_SHMFD (#5)" },
};

static int
run_cases(const struct hm_target *t, int argc, char **argv)
{
	unsigned int i, n = 0;
	int k;

	for (k = 0; k < argc; k++) {
		bool all = strcmp(argv[k], "all") == 0, found = all;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			if (!all && strcmp(argv[k], cases[i].name) != 0)
				continue;
			found = true;
			if (cases[i].run(t) < 0 ||
					hm_check_backend(t, cases[i].name) < 0) {
				printf("case %s: FAIL (%s)\n", cases[i].name,
					cases[i].what);
				return -1;
			}
			printf("case %s: refused, backend alive, both devices"
				" serve a new frontend (%s)\n", cases[i].name,
				cases[i].what);
			n++;
		}
		if (!found) {
			printf("FAIL: no case %s\n", argv[k]);
			return -1;
		}
	}
	printf("%u cases passed\n", n);
	return n > 0 ? 0 : -1;
}

/* ---- the stalled message ------------------------------------------------------ */

static uint64_t
now_ms(void)
{
	return fe_now_ns() / 1000000;
}

/*
 * A child holds a connection on t->sock that announced an 8-byte payload
 * and sent none, for hold_s seconds. The parent times a GET_FEATURES round
 * trip on t->other_sock.
 */
static int
run_stall(const struct hm_target *t, unsigned int hold_s, unsigned int max_ms)
{
	struct vu_raw stalled, other;
	const uint32_t hdr[3] = { VU_SET_FEATURES, VU_VERSION, 8 };
	uint64_t start, waited, features;
	pid_t child;
	int status, ret, p[2];
	char c;

	CHECK(pipe(p) == 0, "pipe");
	child = fork();
	CHECK(child >= 0, "fork");
	if (child == 0) {
		close(p[0]);
		if (vu_raw_connect(&stalled, t->sock, 3000) < 0 ||
				vu_raw_send_bytes(&stalled, hdr, sizeof(hdr), NULL,
					0) < 0)
			_exit(1);
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		sleep(hold_s);
		_exit(0);
	}
	close(p[1]);
	ret = read(p[0], &c, 1) == 1 ? 0 : -1;
	close(p[0]);
	if (ret < 0) {
		waitpid(child, &status, 0);
		printf("FAIL: the stalling frontend could not connect\n");
		return -1;
	}
	usleep(100000);	/* the backend reads the header and waits */
	start = now_ms();
	ret = vu_raw_connect(&other, t->other_sock, 3000);
	if (ret == 0)
		ret = vu_raw_get_u64(&other, VU_GET_FEATURES, &features);
	if (ret == -ETIMEDOUT) {
		/* Past the reply timeout: keep waiting, to measure. */
		struct vu_msg m;

		ret = vu_raw_recv(&other, &m, (hold_s + 10) * 1000);
		ret = ret < 0 ? ret : 0;
	}
	waited = now_ms() - start;
	vu_raw_close(&other);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	CHECK(ret == 0, "the other device never answered: %s", other.err);
	printf("stall: a frontend of another device waited %" PRIu64 " ms for"
		" GET_FEATURES while one frontend stalled for %u s (limit %u ms)\n",
		waited, hold_s, max_ms);
	if (waited > max_ms) {
		printf("FAIL: blocked %" PRIu64 " ms > %u ms\n", waited, max_ms);
		return -1;
	}
	return hm_check_backend(t, "after the stall");
}

int
main(int argc, char **argv)
{
	struct hm_target t;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A backend that closes on us must not kill the test. */
	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		unsigned int i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
			printf("%s\n", cases[i].name);
		return 0;
	}
	if (argc < 5)
		goto usage;
	t.pid = (pid_t)atoi(argv[2]);
	t.sock = argv[3];
	t.other_sock = argv[4];
	if (strcmp(argv[1], "case") == 0 && argc > 5)
		ret = run_cases(&t, argc - 5, argv + 5);
	else if (strcmp(argv[1], "stall") == 0 && argc == 7)
		ret = run_stall(&t, (unsigned int)atoi(argv[5]),
			(unsigned int)atoi(argv[6]));
	else if (strcmp(argv[1], "fuzz") == 0 && argc == 8)
		ret = hm_fuzz(&t, strtoul(argv[5], NULL, 0),
			strtoul(argv[6], NULL, 0), (unsigned int)atoi(argv[7]));
	else
		goto usage;
	printf("%s\n", ret == 0 ? "PASS" : "FAIL");
	return ret == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: %s case PID SOCKET OTHER_SOCKET NAME...|all\n"
		"       %s stall PID SOCKET OTHER_SOCKET HOLD_S MAX_MS\n"
		"       %s fuzz PID SOCKET OTHER_SOCKET SEED SESSIONS SECONDS\n",
		argv[0], argv[0], argv[0]);
	return 2;
}
