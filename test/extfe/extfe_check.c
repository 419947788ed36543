/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * extfe against a lying device: the device's half of the rings is forged
 * here (used index, used ids, used lengths) and extfe must refuse each lie
 * with a message naming it, never use it. No backend, no EAL.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_ring.h>

#include "extfe.h"

static unsigned int failed;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failed++; \
		printf("FAIL %s:%d: ", __func__, __LINE__); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

/* The device "uses" head id with length len. */
static void
forge_used(struct xfe_ring *r, uint32_t id, uint32_t len, uint16_t advance)
{
	uint16_t idx = r->used->idx;

	r->used->ring[idx % r->size].id = id;
	r->used->ring[idx % r->size].len = len;
	__atomic_store_n(&r->used->idx, (uint16_t)(idx + advance),
		__ATOMIC_RELEASE);
}

static void
expect_refused(struct xfe *x, struct xfe_ring *r, const char *what,
		const char *msg)
{
	struct xfe_used u;
	int ret;

	x->err[0] = '\0';
	ret = xfe_ring_used(x, r, &u);
	CHECK(ret == -EPROTO, "%s: %d, not -EPROTO", what, ret);
	CHECK(strstr(x->err, msg) != NULL, "%s: message '%s' lacks '%s'", what,
		x->err, msg);
	printf("refused %s: %s\n", what, x->err);
}

static void
check_used_ring(struct xfe *x)
{
	struct xfe_ring *r = &x->rings[0];
	struct xfe_seg s[2] = { { 0x40000000, 64, false },
		{ 0x40001000, 128, true } };
	struct xfe_used u;
	uint16_t head;

	xfe_ring_reset(r);
	head = r->free_head;
	CHECK(xfe_ring_add(r, s, 2, 77, NULL, 0) == 0, "add");
	CHECK(r->num_free == r->size - 2, "two descriptors taken");

	forge_used(r, head, 0, 2);
	expect_refused(x, r, "an index two ahead with one chain in flight",
		"ahead");
	r->used->idx = 0;
	forge_used(r, r->size + 3, 0, 1);
	expect_refused(x, r, "an id past the ring", "no chain in flight");
	r->used->idx = 0;
	forge_used(r, (uint16_t)(head + 1), 0, 1);
	expect_refused(x, r, "an id that is no head in flight",
		"no chain in flight");
	r->used->idx = 0;
	forge_used(r, head, 129, 1);
	expect_refused(x, r, "a length past the writable bytes", "writable");
	/* Nothing was taken by the refusals: the true entry still works. */
	r->used->idx = 0;
	forge_used(r, head, 128, 1);
	CHECK(xfe_ring_used(x, r, &u) == 1 && u.cookie == 77 && u.len == 128,
		"the honest entry");
	CHECK(r->num_free == r->size, "descriptors back");
	CHECK(xfe_ring_used(x, r, &u) == 0, "nothing more");
	/* The same chain completed twice: nothing is in flight any more. */
	forge_used(r, head, 0, 1);
	expect_refused(x, r, "a chain completed twice", "ahead");
}

static void
check_rx_length(struct xfe *x)
{
	struct xfe_ring *r = &x->rings[0];
	int ret;

	xfe_ring_reset(r);
	xfe_ring_reset(&x->rings[1]);
	CHECK(xfe_net_setup(x) == 0, "RX buffers: %s", x->err);
	/* A frame shorter than the virtio-net header. */
	forge_used(r, r->avail->ring[0], 5, 1);
	x->err[0] = '\0';
	ret = xfe_recv(x, 100);
	CHECK(ret == -EPROTO && strstr(x->err, "header") != NULL,
		"short RX: %d '%s'", ret, x->err);
	printf("refused a 5-byte receive: %s\n", x->err);
}

/*
 * Whatever bytes the device writes into a receive buffer, within the
 * length it reports: parsed and checked without reading past them
 * (ASan/UBSan builds), counted, never trusted.
 */
static void
check_rx_garbage(struct xfe *x)
{
	struct xfe_ring *r = &x->rings[0];
	uint64_t frames = 0;
	unsigned int i, k, len;
	uint8_t *b;

	xfe_ring_reset(r);
	xfe_ring_reset(&x->rings[1]);
	CHECK(xfe_net_setup(x) == 0, "RX buffers: %s", x->err);
	srand(11);
	x->quiet = true;
	for (i = 0; i < 20000; i++) {
		uint16_t head = r->avail->ring[r->used->idx % r->size];

		b = x->rxbuf[0] + (size_t)head * XFE_BUF_SIZE;
		len = x->hdr_len + (unsigned int)rand() % (XFE_BUF_SIZE -
			x->hdr_len + 1);
		for (k = 0; k < len; k++)
			b[k] = (uint8_t)rand();
		/* Mostly IPv4 or IPv6, some tagged: deeper into the parser. */
		if (i % 4 != 0) {
			k = x->hdr_len + 12;
			if (i % 8 == 1) {
				b[k] = 0x81;
				b[k + 1] = 0x00;
				k += 4;
			}
			b[k] = i % 3 ? 0x08 : 0x86;
			b[k + 1] = i % 3 ? 0x00 : 0xdd;
			b[k + 2] = i % 3 ? (uint8_t)(0x40 | (rand() & 0xf)) : 0x60;
			b[k + (i % 3 ? 11 : 8)] = i % 2 ? 17 : 6;
		}
		forge_used(r, head, len, 1);
		if (xfe_recv(x, 0) < 0) {
			CHECK(false, "frame %u refused: %s", i, x->err);
			return;
		}
		frames += x->recv_total;
	}
	CHECK(frames == 20000, "%llu of 20000 frames seen",
		(unsigned long long)frames);
	printf("20000 random frames received and checked: %llu bad payloads\n",
		(unsigned long long)x->checks.bad_payload);
}

int
main(void)
{
	static struct xfe x;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (xfe_mem_init(&x) < 0) {
		printf("memory: %s\n", x.err);
		return 1;
	}
	x.nr_pairs = 1;
	x.ring_size = 8;
	x.hdr_len = 12;
	x.nr_rings = 2;
	x.rxbuf[0] = xfe_alloc(&x.mem, XFE_BUF_SIZE * 8ULL, 64);
	if (xfe_ring_alloc(&x, &x.rings[0], 0, 8, false) < 0 ||
			xfe_ring_alloc(&x, &x.rings[1], 1, 8, false) < 0) {
		printf("rings: %s\n", x.err);
		return 1;
	}
	check_used_ring(&x);
	check_rx_length(&x);
	check_rx_garbage(&x);
	printf("%s\n", failed ? "FAILED" : "all lies refused");
	return failed ? 1 : 0;
}
