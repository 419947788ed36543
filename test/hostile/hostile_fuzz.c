/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The vhost-user protocol fuzzer: seeded, randomized mutations of a whole
 * valid session against a real backend process.
 *
 * A session starts as the well-formed sequence a frontend sends (features,
 * protocol features, owner, config, status, memory table, three vrings,
 * DRIVER_OK, frames and a control request in flight, GET_VRING_BASE,
 * reset) and gets 0 to 6 mutations: a step dropped, repeated or moved; a
 * random message inserted; a payload field set to a boundary value or
 * random bytes; the size field lying; descriptors dropped, added or
 * replaced (pipes without a reader, sockets, /dev/null, short memfds,
 * read-only files); memory regions emptied, enlarged, moved past their
 * fd, made to overlap or wrap; vring indices, sizes, bases and addresses
 * out of range; random descriptors in the rings; and the connection cut at
 * any step. After every session the backend must be alive and serve a good
 * frontend (hm_check_backend on the attacked device, and on the other
 * device every 25 sessions).
 *
 * Session i is generated from its own seed (seed, i): a failure names the
 * seed and the index; HM_FUZZ_FIRST=i replays from session i.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/virtio_ring.h>

#include "frontend.h"
#include "hostile_msg.h"
#include "vu_raw.h"

#define MAX_STEPS	64
#define MEM_SIZE	(2u << 20)
#define MEM_GPA		0x40000000ULL
#define RING		64
#define NR_VRINGS	3
#define OTHER_EVERY	25

/* What a step carries besides its message. */
enum step_kind {
	STEP_MSG,	/* send the message, drain replies */
	STEP_TRAFFIC,	/* frames in flight on vrings 0/1 */
	STEP_CTRL,	/* a control request in flight on the CVQ */
};

/* Descriptors a message can carry, made when it is sent. */
enum fd_kind {
	FDK_MEM,	/* the session's guest memory */
	FDK_KICK0, FDK_KICK1, FDK_KICK2,
	FDK_CALL0, FDK_CALL1, FDK_CALL2,
	FDK_EVENTFD,	/* a fresh eventfd */
	FDK_PIPE_NO_READER,
	FDK_PIPE_READ,
	FDK_SOCKET,
	FDK_DEVNULL,
	FDK_SHORT_MEMFD,	/* 4 KiB */
	FDK_RDONLY,
	FDK_COUNT,
};

struct step {
	enum step_kind kind;
	uint32_t request, flags, size;
	uint8_t payload[VU_MAX_PAYLOAD];
	uint8_t fds[VU_MAX_FDS];
	int nfds;
	uint32_t send_len;	/* bytes of payload actually sent */
};

struct session {
	uint64_t rng;
	struct vu_raw c;
	struct vu_raw_mem mem;
	int kick[NR_VRINGS], call[NR_VRINGS];
	uint16_t vring_idx[NR_VRINGS];
	uint64_t desc[NR_VRINGS], avail[NR_VRINGS], used[NR_VRINGS];
	uint16_t avail_idx[NR_VRINGS];
	uint16_t next_desc[NR_VRINGS];
	struct step steps[MAX_STEPS];
	unsigned int nr_steps;
	unsigned long msgs;
};

/* ---- randomness ------------------------------------------------------------ */

static uint64_t
splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t
rnd(struct session *s)
{
	s->rng = splitmix(s->rng);
	return s->rng;
}

static uint32_t
below(struct session *s, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(rnd(s) % n);
}

/* A boundary value for a field of width bytes, or random bits. */
static uint64_t
interesting(struct session *s, unsigned int width)
{
	static const uint64_t v[] = {
		0, 1, 2, 3, 4, 7, 8, 63, 64, 255, 256, 4095, 4096, 32768,
		65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ULL, MEM_GPA, MEM_GPA + MEM_SIZE, MEM_GPA + MEM_SIZE - 1,
		UINT64_MAX, UINT64_MAX - 4095, 1ULL << 63,
	};
	uint64_t x = below(s, 4) == 0 ? rnd(s) : v[below(s, sizeof(v) / sizeof(v[0]))];

	return width >= 8 ? x : x & ((1ULL << (8 * width)) - 1);
}

/* ---- the well-formed session --------------------------------------------------- */

static struct step *
add(struct session *s, enum step_kind kind, uint32_t request, uint32_t flags,
		const void *payload, uint32_t size)
{
	struct step *st = &s->steps[s->nr_steps++];

	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->request = request;
	st->flags = VU_VERSION | flags;
	st->size = size;
	st->send_len = size;
	if (size > 0)
		memcpy(st->payload, payload, size);
	return st;
}

static void
add_u64(struct session *s, uint32_t request, uint32_t flags, uint64_t v)
{
	add(s, STEP_MSG, request, flags, &v, sizeof(v));
}

static void
add_vring(struct session *s, unsigned int v)
{
	uint32_t st[2] = { s->vring_idx[v], RING };
	uint64_t idx = s->vring_idx[v];
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} __attribute__((packed)) addr = { s->vring_idx[v], 0,
		(uint64_t)(uintptr_t)s->mem.va + (s->desc[v] - MEM_GPA),
		(uint64_t)(uintptr_t)s->mem.va + (s->used[v] - MEM_GPA),
		(uint64_t)(uintptr_t)s->mem.va + (s->avail[v] - MEM_GPA), 0 };
	struct step *x;

	x = add(s, STEP_MSG, VU_SET_VRING_CALL, 0, &idx, 8);
	x->fds[x->nfds++] = (uint8_t)(FDK_CALL0 + v);
	add(s, STEP_MSG, VU_SET_VRING_NUM, 0, st, sizeof(st));
	st[1] = 0;
	add(s, STEP_MSG, VU_SET_VRING_BASE, 0, st, sizeof(st));
	add(s, STEP_MSG, VU_SET_VRING_ADDR, 0, &addr, sizeof(addr));
	x = add(s, STEP_MSG, VU_SET_VRING_KICK, 0, &idx, 8);
	x->fds[x->nfds++] = (uint8_t)(FDK_KICK0 + v);
	st[1] = 1;
	add(s, STEP_MSG, VU_SET_VRING_ENABLE, VU_FLAG_NEED_REPLY, st,
		sizeof(st));
}

static void
build_template(struct session *s)
{
	struct vu_mem_region r = { MEM_GPA, MEM_SIZE,
		(uint64_t)(uintptr_t)s->mem.va, 0 };
	uint8_t table[8 + sizeof(r)] = { 1 };
	uint32_t cfg[3] = { 0, 12, 0 };
	uint32_t st[2];
	unsigned int v;
	struct step *x;

	memcpy(table + 8, &r, sizeof(r));
	add(s, STEP_MSG, VU_GET_FEATURES, 0, NULL, 0);
	add_u64(s, VU_SET_FEATURES, 0, 0x140468000ULL);
	add(s, STEP_MSG, VU_GET_PROTOCOL_FEATURES, 0, NULL, 0);
	add_u64(s, VU_SET_PROTOCOL_FEATURES, 0, 0x10229);
	add(s, STEP_MSG, VU_SET_OWNER, 0, NULL, 0);
	add(s, STEP_MSG, VU_GET_QUEUE_NUM, 0, NULL, 0);
	add(s, STEP_MSG, VU_GET_CONFIG, 0, cfg, sizeof(cfg));
	add_u64(s, VU_SET_STATUS, VU_FLAG_NEED_REPLY, 3);
	x = add(s, STEP_MSG, VU_SET_MEM_TABLE, VU_FLAG_NEED_REPLY, table,
		sizeof(table));
	x->fds[x->nfds++] = FDK_MEM;
	for (v = 0; v < NR_VRINGS; v++)
		add_vring(s, v);
	add_u64(s, VU_SET_STATUS, VU_FLAG_NEED_REPLY, 0xf);
	add(s, STEP_TRAFFIC, 0, 0, NULL, 0);
	add(s, STEP_CTRL, 0, 0, NULL, 0);
	st[0] = 1;
	st[1] = 0;
	add(s, STEP_MSG, VU_GET_VRING_BASE, 0, st, sizeof(st));
	add_u64(s, VU_SET_STATUS, VU_FLAG_NEED_REPLY, 0);
}

/* ---- mutations ---------------------------------------------------------------------- */

static void
mutate_field(struct session *s, struct step *x)
{
	static const unsigned int widths[] = { 1, 2, 4, 8 };
	unsigned int w = widths[below(s, 4)];
	uint64_t v = interesting(s, w);
	uint32_t off;

	/* Within the bytes sent (the size field may lie about them). */
	if (x->send_len < w)
		x->size = x->send_len = w;
	off = below(s, x->send_len - w + 1);
	memcpy(x->payload + off, &v, w);
}

/* Memory table: one region made hostile (or a second one added). */
static void
mutate_table(struct session *s, struct step *x)
{
	struct vu_mem_region r;
	uint32_t n;

	memcpy(&n, x->payload, 4);
	if (n == 0 || n > VU_MAX_REGIONS || x->size < 8 + 32)
		return mutate_field(s, x);
	memcpy(&r, x->payload + 8, sizeof(r));
	switch (below(s, 7)) {
	case 0: r.size = interesting(s, 8); break;
	case 1: r.mmap_offset = interesting(s, 8); break;
	case 2: r.gpa = interesting(s, 8); break;
	case 3: r.uaddr = interesting(s, 8); break;
	case 4: r.size = 1ULL << 30; break;	/* past the fd */
	case 5:	/* a second region overlapping or next to the first */
		if (n < VU_MAX_REGIONS && x->nfds < VU_MAX_FDS) {
			struct vu_mem_region r2 = r;

			r2.gpa += below(s, 2) ? r.size : r.size / 2;
			r2.uaddr += below(s, 2) ? r.size : 4096;
			memcpy(x->payload + 8 + 32 * n, &r2, sizeof(r2));
			n++;
			memcpy(x->payload, &n, 4);
			x->size = x->send_len = 8 + 32 * n;
			x->fds[x->nfds++] = FDK_MEM;
		}
		return;
	default:
		n = (uint32_t)interesting(s, 4);
		memcpy(x->payload, &n, 4);
		return;
	}
	memcpy(x->payload + 8, &r, sizeof(r));
}

static void
mutate_fds(struct session *s, struct step *x)
{
	switch (below(s, 3)) {
	case 0:
		if (x->nfds > 0)
			x->nfds--;
		break;
	case 1:
		if (x->nfds < VU_MAX_FDS)
			x->fds[x->nfds++] = (uint8_t)below(s, FDK_COUNT);
		break;
	default:
		if (x->nfds > 0)
			x->fds[below(s, (uint32_t)x->nfds)] =
				(uint8_t)below(s, FDK_COUNT);
		break;
	}
}

static void
insert_random(struct session *s, unsigned int at)
{
	struct step *x;
	unsigned int i;

	if (s->nr_steps >= MAX_STEPS)
		return;
	memmove(&s->steps[at + 1], &s->steps[at],
		(s->nr_steps - at) * sizeof(s->steps[0]));
	s->nr_steps++;
	x = &s->steps[at];
	memset(x, 0, sizeof(*x));
	x->kind = STEP_MSG;
	x->request = below(s, 8) == 0 ? (uint32_t)rnd(s) :
		below(s, VU_MAX_REQUEST + 2);
	x->flags = below(s, 4) == 0 ? (uint32_t)rnd(s) :
		VU_VERSION | (below(s, 2) ? VU_FLAG_NEED_REPLY : 0);
	x->size = x->send_len = below(s, 3) == 0 ? below(s, 64) :
		8 * below(s, 6);
	for (i = 0; i < x->size; i++)
		x->payload[i] = (uint8_t)rnd(s);
	x->nfds = (int)below(s, 3);
	for (i = 0; i < (unsigned int)x->nfds; i++)
		x->fds[i] = (uint8_t)below(s, FDK_COUNT);
}

static void
mutate(struct session *s)
{
	unsigned int at = below(s, s->nr_steps);
	struct step *x = &s->steps[at], tmp;

	switch (below(s, 9)) {
	case 0:		/* drop */
		memmove(x, x + 1, (s->nr_steps - at - 1) * sizeof(*x));
		s->nr_steps--;
		break;
	case 1:		/* repeat */
		if (s->nr_steps < MAX_STEPS) {
			memmove(x + 1, x, (s->nr_steps - at) * sizeof(*x));
			s->nr_steps++;
		}
		break;
	case 2:		/* move */
		tmp = *x;
		*x = s->steps[below(s, s->nr_steps)];
		s->steps[below(s, s->nr_steps)] = tmp;
		break;
	case 3:
		insert_random(s, at);
		break;
	case 4:
		if (x->request == VU_SET_MEM_TABLE)
			mutate_table(s, x);
		else
			mutate_field(s, x);
		break;
	case 5:
		mutate_fds(s, x);
		break;
	case 6:		/* the size field lies (payload sent as before) */
		x->size = below(s, 2) ? (uint32_t)interesting(s, 4) :
			x->size + below(s, 16) - 8;
		break;
	case 7:		/* the connection cut here */
		s->nr_steps = at;
		break;
	default:
		mutate_field(s, x);
		break;
	}
}

/* ---- running a session --------------------------------------------------------- */

static int
make_fd(struct session *s, enum fd_kind k)
{
	int p[2], fd;

	switch (k) {
	case FDK_MEM:
		return dup(s->mem.fd);
	case FDK_KICK0: case FDK_KICK1: case FDK_KICK2:
		return dup(s->kick[k - FDK_KICK0]);
	case FDK_CALL0: case FDK_CALL1: case FDK_CALL2:
		return dup(s->call[k - FDK_CALL0]);
	case FDK_EVENTFD:
		return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	case FDK_PIPE_NO_READER:
	case FDK_PIPE_READ:
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
			return -1;
		close(k == FDK_PIPE_READ ? p[1] : p[0]);
		return k == FDK_PIPE_READ ? p[0] : p[1];
	case FDK_SOCKET:
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p) != 0)
			return -1;
		close(p[1]);
		return p[0];
	case FDK_SHORT_MEMFD:
		fd = memfd_create("fuzz-short", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, 4096) != 0) {
			close(fd);
			return -1;
		}
		return fd;
	case FDK_RDONLY:
		return open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	case FDK_DEVNULL:
	default:
		return open("/dev/null", O_RDWR | O_CLOEXEC);
	}
}

static void
drain_replies(struct session *s)
{
	struct pollfd pfd = { .fd = s->c.sock, .events = POLLIN };
	uint8_t buf[1024];

	while (poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN) &&
			recv(s->c.sock, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static int
send_step(struct session *s, const struct step *x)
{
	uint8_t buf[VU_HDR_SIZE + VU_MAX_PAYLOAD];
	int fds[VU_MAX_FDS], i, n = 0, ret;
	uint32_t hdr[3] = { x->request, x->flags, x->size };

	memcpy(buf, hdr, sizeof(hdr));
	memcpy(buf + VU_HDR_SIZE, x->payload, x->send_len);
	for (i = 0; i < x->nfds; i++) {
		fds[n] = make_fd(s, (enum fd_kind)x->fds[i]);
		if (fds[n] >= 0)
			n++;
	}
	ret = vu_raw_send_bytes(&s->c, buf, VU_HDR_SIZE + x->send_len, fds, n);
	for (i = 0; i < n; i++)
		close(fds[i]);
	s->msgs++;
	return ret;
}

/*
 * Make descriptor head (already written) of ring v available and kick;
 * now and then with a wrong ring entry or a jump of the avail index.
 */
static void
ring_publish(struct session *s, unsigned int v, uint16_t head)
{
	struct vring_avail *a = (void *)(s->mem.va + (s->avail[v] - MEM_GPA));

	a->ring[s->avail_idx[v] % RING] = below(s, 16) == 0 ?
		(uint16_t)rnd(s) : head;
	s->avail_idx[v]++;
	if (below(s, 16) == 0)
		s->avail_idx[v] = (uint16_t)rnd(s);
	__atomic_store_n(&a->idx, s->avail_idx[v], __ATOMIC_RELEASE);
	eventfd_write(s->kick[v], 1);
}

/* Write a descriptor in the next free slot of ring v; its index. */
static uint16_t
ring_desc(struct session *s, unsigned int v, uint64_t addr, uint32_t len,
		uint16_t flags, uint16_t next)
{
	struct vring_desc *d = (void *)(s->mem.va + (s->desc[v] - MEM_GPA));
	uint16_t i = (uint16_t)(s->next_desc[v]++ % RING);

	d[i] = (struct vring_desc){ addr, len, flags, next };
	return i;
}

/* One descriptor, well-formed or random, made available. */
static void
ring_post(struct session *s, unsigned int v, uint64_t addr, uint32_t len,
		uint16_t flags)
{
	uint16_t head;

	if (below(s, 8) == 0)
		head = ring_desc(s, v, interesting(s, 8),
			(uint32_t)interesting(s, 4), (uint16_t)interesting(s, 2),
			(uint16_t)interesting(s, 2));
	else
		head = ring_desc(s, v, addr, len, flags, 0);
	ring_publish(s, v, head);
}

/* Frames in flight: RX buffers on vring 0, a frame on vring 1. */
static void
run_traffic(struct session *s)
{
	uint64_t buf = MEM_GPA + MEM_SIZE / 2 + 4096 * below(s, 64);
	uint8_t *p = s->mem.va + (buf - MEM_GPA);
	unsigned int i;

	memset(p, 0, 12);
	memset(p + 12, 0xff, 6);
	for (i = 0; i < 4; i++)
		ring_post(s, 0, buf + 2048 + 512 * i, 512, VRING_DESC_F_WRITE);
	ring_post(s, 1, buf, 12 + 64, 0);
}

/* A control request (RX class, PROMISC on) with its ack on the CVQ. */
static void
run_ctrl(struct session *s)
{
	uint64_t req = MEM_GPA + MEM_SIZE - 8192;
	uint8_t *p = s->mem.va + (req - MEM_GPA);
	uint16_t ack, head;

	p[0] = 0;
	p[1] = 0;
	p[2] = 1;
	ack = ring_desc(s, 2, req + 64, 1, VRING_DESC_F_WRITE, 0);
	if (below(s, 8) == 0)
		ack = (uint16_t)interesting(s, 2);
	head = ring_desc(s, 2, req, 3, VRING_DESC_F_NEXT, ack);
	ring_publish(s, 2, head);
}

static int
session_init(struct session *s, uint64_t seed, unsigned long index)
{
	unsigned int v;
	uint64_t off = 0;

	memset(s, 0, sizeof(*s));
	s->rng = splitmix(seed ^ splitmix(index));
	if (vu_raw_mem_create(&s->mem, MEM_SIZE, MEM_GPA) < 0)
		return -1;
	for (v = 0; v < NR_VRINGS; v++) {
		s->kick[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		s->call[v] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		s->vring_idx[v] = v < 2 ? (uint16_t)v : 4;	/* CVQ of 2 pairs */
		s->desc[v] = MEM_GPA + off;
		s->avail[v] = s->desc[v] + 16 * RING;
		s->used[v] = s->desc[v] + 4096;
		off += 8192;
	}
	return 0;
}

static void
session_fini(struct session *s)
{
	unsigned int v;

	vu_raw_close(&s->c);
	for (v = 0; v < NR_VRINGS; v++) {
		close(s->kick[v]);
		close(s->call[v]);
	}
	vu_raw_mem_destroy(&s->mem);
}

/* One session; returns the number of steps run. */
static unsigned int
run_session(struct session *s, const char *sock)
{
	unsigned int i, n = below(s, 7);

	build_template(s);
	for (i = 0; i < n && s->nr_steps > 0; i++)
		mutate(s);
	if (vu_raw_connect(&s->c, sock, 3000) < 0)
		return 0;
	for (i = 0; i < s->nr_steps; i++) {
		const struct step *x = &s->steps[i];

		if (x->kind == STEP_TRAFFIC)
			run_traffic(s);
		else if (x->kind == STEP_CTRL)
			run_ctrl(s);
		else if (send_step(s, x) < 0)
			break;	/* the backend closed the connection */
		drain_replies(s);
	}
	/* Let the backend act on what it has before the connection goes. */
	if (below(s, 2) == 0)
		usleep(2000);
	return i;
}

int
hm_fuzz(const struct hm_target *t, unsigned long seed, unsigned long sessions,
		unsigned int seconds)
{
	const char *first_env = getenv("HM_FUZZ_FIRST");
	unsigned long i = first_env != NULL ? strtoul(first_env, NULL, 0) : 0;
	unsigned long done = 0, msgs = 0, steps = 0, goods = 0;
	uint64_t start = fe_now_ns(), deadline = start + seconds * 1000000000ULL;
	struct session *s = malloc(sizeof(*s));
	char what[96], why[512];

	if (s == NULL)
		return -1;
	for (; sessions == 0 || done < sessions; i++, done++) {
		if (fe_now_ns() >= deadline)
			break;
		if (session_init(s, seed, i) < 0) {
			printf("FAIL: session %lu: no guest memory\n", i);
			break;
		}
		steps += run_session(s, t->sock);
		msgs += s->msgs;
		session_fini(s);
		snprintf(what, sizeof(what), "session %lu (seed %lu)", i, seed);
		if (!hm_backend_alive(t->pid)) {
			printf("FAIL: %s: the backend (pid %d) died\n", what,
				(int)t->pid);
			goto fail;
		}
		if (hm_good_client(t->sock, why, sizeof(why)) < 0 ||
				(done % OTHER_EVERY == 0 &&
				 hm_good_client(t->other_sock, why, sizeof(why)) < 0)) {
			printf("FAIL: %s: backend alive but %s\n", what, why);
			goto fail;
		}
		goods += 1 + (done % OTHER_EVERY == 0);
		if (done % 500 == 0)
			printf("fuzz: %lu sessions, %lu messages, %.0f s\n", done, msgs,
				(double)(fe_now_ns() - start) / 1e9);
	}
	printf("fuzz: %lu sessions (%lu messages, %lu steps) in %.1f s, seed %lu:"
		" backend alive after each, %lu good frontends served\n", done,
		msgs, steps, (double)(fe_now_ns() - start) / 1e9, seed, goods);
	free(s);
	return done > 0 ? 0 : -1;
fail:
	printf("fuzz: failed at session %lu after %lu sessions; replay with"
		" HM_FUZZ_FIRST=%lu and seed %lu\n", i, done, i, seed);
	free(s);
	return -1;
}
