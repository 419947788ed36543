/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * vhost_screen_autotest: cvqsim_screen_msg(), the driver's check of raw
 * vhost-user messages before DPDK's vhost library acts on them, on
 * messages laid out as the library hands them to a pre-handler. Each
 * message of issue 17 that crashed the backend is refused (and its fds
 * closed), the well-formed ones pass untouched.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cvqsim_vhost_screen.h"
#include "test.h"

#define PF(bit)	(1ULL << (bit))
#define PF_CONFIG		9
#define PF_INFLIGHT_SHMFD	12
#define PF_LOG_SHMFD		1

struct region {
	uint64_t gpa, size, uaddr, offset;
};

/* A pre-handler message: header, payload, fds[8], fd_num. */
struct msg {
	uint8_t b[CVQSIM_VU_CTX_SIZE];
};

static void
msg_init(struct msg *m, uint32_t request, const void *payload, uint32_t size,
		const int *fds, int nfds)
{
	const uint32_t hdr[3] = { request, 1, size };
	int i, none = -1;

	memset(m, 0, sizeof(*m));
	memcpy(m->b, hdr, sizeof(hdr));
	if (size > 0)
		memcpy(m->b + CVQSIM_VU_HDR_SIZE, payload, size);
	for (i = 0; i < CVQSIM_VU_MAX_FDS; i++)
		memcpy(m->b + CVQSIM_VU_FDS_OFF + 4 * i, i < nfds ? &fds[i] : &none,
			sizeof(int));
	memcpy(m->b + CVQSIM_VU_FD_NUM_OFF, &nfds, sizeof(nfds));
}

static int
msg_fd_slot(const struct msg *m, int i)
{
	int fd;

	memcpy(&fd, m->b + CVQSIM_VU_FDS_OFF + 4 * i, sizeof(fd));
	return fd;
}

static uint32_t
msg_size(const struct msg *m)
{
	uint32_t size;

	memcpy(&size, m->b + 8, sizeof(size));
	return size;
}

static int
memfd_of(uint64_t size)
{
	int fd = memfd_create("screen-test", MFD_CLOEXEC);

	if (fd >= 0 && ftruncate(fd, (off_t)size) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool
fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

static const struct cvqsim_screen_ctx ctx_none = { .config_size = 60 };

static enum cvqsim_screen_verdict
screen(const struct cvqsim_screen_ctx *ctx, struct msg *m)
{
	char why[192];

	return cvqsim_screen_msg(ctx, m, why, sizeof(why));
}

/*
 * A memory table of n regions over fds of fd_size bytes each; the verdict.
 * A refusal must close every fd and clear its slot; a pass touch none.
 */
static int
table_verdict(const struct region *r, uint32_t n, uint64_t fd_size,
		enum cvqsim_screen_verdict *verdict)
{
	uint8_t payload[8 + 8 * sizeof(struct region)];
	int fds[8];
	struct msg m;
	uint32_t i;

	for (i = 0; i < n; i++) {
		fds[i] = memfd_of(fd_size);
		TEST_ASSERT(fds[i] >= 0, "memfd");
	}
	memset(payload, 0, sizeof(payload));
	memcpy(payload, &n, sizeof(n));
	memcpy(payload + 8, r, n * sizeof(*r));
	msg_init(&m, CVQSIM_VU_SET_MEM_TABLE, payload,
		8 + n * (uint32_t)sizeof(*r), fds, (int)n);
	*verdict = screen(&ctx_none, &m);
	for (i = 0; i < n; i++) {
		if (*verdict == CVQSIM_SCREEN_PASS) {
			TEST_ASSERT(fd_open(fds[i]) && msg_fd_slot(&m, (int)i) ==
				fds[i], "a passed message keeps fd %u", i);
			close(fds[i]);
		} else {
			TEST_ASSERT(!fd_open(fds[i]) && msg_fd_slot(&m, (int)i) ==
				-1, "a refused message's fd %u is closed", i);
		}
	}
	return 0;
}

#define EXPECT_TABLE(r, n, fd_size, want) do { \
	enum cvqsim_screen_verdict _v; \
	TEST_ASSERT_SUCCESS(table_verdict(r, n, fd_size, &_v), "table"); \
	TEST_ASSERT_EQUAL(_v, want, "table at line %d: verdict %d", __LINE__, \
		_v); \
} while (0)

static int
test_mem_tables(void)
{
	const uint64_t MB = 1 << 20;
	struct region r[2] = {
		{ 0x40000000, MB, 0x7f0000000000ULL, 0 },
		{ 0x80000000, MB, 0x7f1000000000ULL, 0 },
	};

	EXPECT_TABLE(r, 2, MB, CVQSIM_SCREEN_PASS);
	/* Issue 17 #3: a region of size 0. */
	r[1].size = 0;
	EXPECT_TABLE(r, 2, MB, CVQSIM_SCREEN_REFUSE);
	r[1].size = MB;
	/* #4: a 4 KiB fd declared as 1 MiB; an offset at the fd's end. */
	EXPECT_TABLE(r, 1, 4096, CVQSIM_SCREEN_REFUSE);
	r[0].offset = MB;
	EXPECT_TABLE(r, 1, MB, CVQSIM_SCREEN_REFUSE);
	r[0].offset = 4096;
	EXPECT_TABLE(r, 1, MB + 4096, CVQSIM_SCREEN_PASS);
	r[0].offset = 0;
	/* Wrapping GPA, frontend address, offset. */
	r[0].gpa = UINT64_MAX - 4095;
	EXPECT_TABLE(r, 1, MB, CVQSIM_SCREEN_REFUSE);
	r[0].gpa = UINT64_MAX - MB + 1;		/* ends exactly at 2^64 */
	EXPECT_TABLE(r, 1, MB, CVQSIM_SCREEN_PASS);
	r[0].gpa = 0x40000000;
	r[0].uaddr = UINT64_MAX - 4095;
	EXPECT_TABLE(r, 1, MB, CVQSIM_SCREEN_REFUSE);
	r[0].uaddr = 0x7f0000000000ULL;
	r[0].offset = UINT64_MAX - 4095;
	EXPECT_TABLE(r, 1, MB, CVQSIM_SCREEN_REFUSE);
	r[0].offset = 0;
	/* Overlap in GPA; in frontend addresses; adjacent is fine. */
	r[1].gpa = r[0].gpa + MB - 1;
	EXPECT_TABLE(r, 2, MB, CVQSIM_SCREEN_REFUSE);
	r[1].gpa = r[0].gpa + MB;
	EXPECT_TABLE(r, 2, MB, CVQSIM_SCREEN_PASS);
	r[1].uaddr = r[0].uaddr + 4096;
	EXPECT_TABLE(r, 2, MB, CVQSIM_SCREEN_REFUSE);
	return 0;
}

static int
test_mem_table_shape(void)
{
	struct region r = { 0x40000000, 4096, 0x7f0000000000ULL, 0 };
	uint8_t payload[8 + 9 * sizeof(r)];
	uint32_t n;
	int fds[2], p[2];
	struct msg m;

	fds[0] = memfd_of(4096);
	fds[1] = memfd_of(4096);
	TEST_ASSERT(fds[0] >= 0 && fds[1] >= 0, "memfd");
	memset(payload, 0, sizeof(payload));
	/* One region announced, two fds. */
	n = 1;
	memcpy(payload, &n, 4);
	memcpy(payload + 8, &r, sizeof(r));
	msg_init(&m, CVQSIM_VU_SET_MEM_TABLE, payload, 8 + sizeof(r), fds, 2);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"fd count");
	TEST_ASSERT(!fd_open(fds[0]) && !fd_open(fds[1]), "fds closed");
	/* Nine regions. */
	n = 9;
	memcpy(payload, &n, 4);
	msg_init(&m, CVQSIM_VU_SET_MEM_TABLE, payload, sizeof(payload), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"9 regions");
	/* Two regions in a payload that holds one. */
	fds[0] = memfd_of(4096);
	fds[1] = memfd_of(4096);
	n = 2;
	memcpy(payload, &n, 4);
	msg_init(&m, CVQSIM_VU_SET_MEM_TABLE, payload, 8 + sizeof(r), fds, 2);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"short payload");
	/* A pipe is not memory. */
	TEST_ASSERT_SUCCESS(pipe(p), "pipe");
	n = 1;
	memcpy(payload, &n, 4);
	msg_init(&m, CVQSIM_VU_SET_MEM_TABLE, payload, 8 + sizeof(r), p, 1);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE, "pipe");
	close(p[1]);
	return 0;
}

/* #5 and friends: requests of protocol features not negotiated. */
static int
test_protocol_features(void)
{
	struct cvqsim_screen_ctx ctx = ctx_none;
	struct {
		uint64_t size, offset;
		uint16_t num_queues, queue_size;
	} inflight = { 1 << 20, 0, 2, 4096 };
	struct msg m;
	int fd;

	fd = memfd_of(4096);
	msg_init(&m, CVQSIM_VU_SET_INFLIGHT_FD, &inflight, sizeof(inflight),
		&fd, 1);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REFUSE,
		"SET_INFLIGHT_FD without INFLIGHT_SHMFD");
	TEST_ASSERT(!fd_open(fd), "inflight fd closed");
	/* Negotiated, the fd must still cover the area. */
	ctx.protocol_features = PF(PF_INFLIGHT_SHMFD);
	fd = memfd_of(4096);
	msg_init(&m, CVQSIM_VU_SET_INFLIGHT_FD, &inflight, sizeof(inflight),
		&fd, 1);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REFUSE,
		"inflight fd shorter than the area");
	fd = memfd_of(1 << 20);
	msg_init(&m, CVQSIM_VU_SET_INFLIGHT_FD, &inflight, sizeof(inflight),
		&fd, 1);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_PASS, "inflight ok");
	close(fd);
	msg_init(&m, CVQSIM_VU_GET_INFLIGHT_FD, &inflight, sizeof(inflight),
		NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"GET_INFLIGHT_FD");
	msg_init(&m, CVQSIM_VU_SET_STATUS, &inflight, 8, NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"SET_STATUS without STATUS");
	msg_init(&m, CVQSIM_VU_GET_QUEUE_NUM, NULL, 0, NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"GET_QUEUE_NUM without MQ");
	msg_init(&m, CVQSIM_VU_GET_FEATURES, NULL, 0, NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_PASS,
		"GET_FEATURES");
	/* A log fd shorter than the log. */
	ctx.protocol_features = PF(PF_LOG_SHMFD);
	fd = memfd_of(4096);
	inflight.size = 8192;
	msg_init(&m, CVQSIM_VU_SET_LOG_BASE, &inflight, 16, &fd, 1);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REFUSE, "short log");
	return 0;
}

/* #2: GET_CONFIG beyond the config space answers empty, in place. */
static int
test_get_config(void)
{
	struct cvqsim_screen_ctx ctx = ctx_none;
	uint32_t cfg[3] = { 0, 4096, 0 };
	struct msg m;

	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, sizeof(cfg), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REPLY,
		"GET_CONFIG without CONFIG");
	ctx.protocol_features = PF(PF_CONFIG);
	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, sizeof(cfg), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REPLY, "4096 bytes");
	TEST_ASSERT_EQUAL(msg_size(&m), 0u, "empty reply");
	cfg[1] = 0xffffffff;
	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, sizeof(cfg), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REPLY, "4 GiB");
	cfg[1] = 61;
	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, sizeof(cfg), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REPLY,
		"one byte past the config space");
	cfg[0] = 4;
	cfg[1] = 6;
	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, sizeof(cfg), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REPLY, "an offset");
	cfg[0] = 0;
	cfg[1] = 60;
	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, sizeof(cfg), NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_PASS, "all of it");
	TEST_ASSERT_EQUAL(msg_size(&m), 12u, "untouched");
	msg_init(&m, CVQSIM_VU_GET_CONFIG, cfg, 8, NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx, &m), CVQSIM_SCREEN_REPLY, "short");
	return 0;
}

/* #1: call, kick and error fds are eventfds (or none, with NOFD). */
static int
test_vring_fds(void)
{
	uint64_t idx = 1;
	struct msg m;
	int p[2], efd;

	TEST_ASSERT_SUCCESS(pipe(p), "pipe");
	close(p[0]);
	msg_init(&m, CVQSIM_VU_SET_VRING_CALL, &idx, 8, &p[1], 1);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"pipe as call fd");
	TEST_ASSERT(!fd_open(p[1]), "closed");
	efd = eventfd(0, EFD_CLOEXEC);
	msg_init(&m, CVQSIM_VU_SET_VRING_KICK, &idx, 8, &efd, 1);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_PASS, "eventfd");
	TEST_ASSERT(fd_open(efd), "kept");
	msg_init(&m, CVQSIM_VU_SET_VRING_CALL, &idx, 8, NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"no fd without NOFD");
	idx |= 1 << 8;
	msg_init(&m, CVQSIM_VU_SET_VRING_CALL, &idx, 8, NULL, 0);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_PASS, "NOFD");
	msg_init(&m, CVQSIM_VU_SET_VRING_CALL, &idx, 8, &efd, 1);
	TEST_ASSERT_EQUAL(screen(&ctx_none, &m), CVQSIM_SCREEN_REFUSE,
		"NOFD with an fd");
	return 0;
}

static int
test_vhost_screen(void)
{
	if (test_mem_tables() < 0 || test_mem_table_shape() < 0 ||
			test_protocol_features() < 0 || test_get_config() < 0 ||
			test_vring_fds() < 0)
		return -1;
	return 0;
}

REGISTER_TEST_COMMAND(vhost_screen_autotest, test_vhost_screen);
