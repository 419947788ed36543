/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The vhost-user session (QEMU docs/interop/vhost-user.rst) over the raw
 * message layer of test/hostile/vu_raw.h: feature and protocol-feature
 * negotiation, the device status (SET_STATUS), the config space
 * (GET_CONFIG), guest memory shared as the memory table, the vrings, a stop
 * (GET_VRING_BASE) and a reconnect that resumes every ring where it
 * stopped, and memory table changes while the device runs.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/virtio_config.h>

#include "extfe.h"

/* What extfe can drive; the scenario's --fe-features-off takes bits away. */
#define XFE_FEATURES (XFE_BIT(XFE_F_VERSION_1) | XFE_BIT(XFE_F_INDIRECT_DESC) | \
	XFE_BIT(XFE_F_MAC) | XFE_BIT(XFE_F_MTU) | XFE_BIT(XFE_F_STATUS) | \
	XFE_BIT(XFE_F_CTRL_VQ) | XFE_BIT(XFE_F_CTRL_RX) | \
	XFE_BIT(XFE_F_CTRL_VLAN) | XFE_BIT(XFE_F_CTRL_RX_EXTRA) | \
	XFE_BIT(XFE_F_GUEST_ANNOUNCE) | XFE_BIT(XFE_F_MQ) | \
	XFE_BIT(XFE_F_CTRL_MAC_ADDR) | XFE_BIT(XFE_F_CTRL_GUEST_OFFLOADS) | \
	XFE_BIT(XFE_F_NOTF_COAL) | XFE_BIT(XFE_F_VQ_NOTF_COAL) | \
	XFE_BIT(XFE_F_DEVICE_STATS) | XFE_BIT(XFE_F_HASH_TUNNEL) | \
	XFE_BIT(XFE_F_RSS) | XFE_BIT(XFE_F_HASH_REPORT))
/* Features that need the control queue (virtio 1.4, feature dependencies). */
#define XFE_CTRL_DEPENDENT (XFE_BIT(XFE_F_CTRL_RX) | XFE_BIT(XFE_F_CTRL_VLAN) | \
	XFE_BIT(XFE_F_CTRL_RX_EXTRA) | XFE_BIT(XFE_F_GUEST_ANNOUNCE) | \
	XFE_BIT(XFE_F_MQ) | XFE_BIT(XFE_F_CTRL_MAC_ADDR) | \
	XFE_BIT(XFE_F_CTRL_GUEST_OFFLOADS) | XFE_BIT(XFE_F_NOTF_COAL) | \
	XFE_BIT(XFE_F_VQ_NOTF_COAL) | XFE_BIT(XFE_F_DEVICE_STATS) | \
	XFE_BIT(XFE_F_HASH_TUNNEL) | XFE_BIT(XFE_F_RSS))
#define XFE_F_PROTOCOL_FEATURES	30
#define XFE_PF_WANTED (XFE_BIT(VU_RAW_PF_MQ) | XFE_BIT(VU_RAW_PF_REPLY_ACK) | \
	XFE_BIT(VU_RAW_PF_CONFIG) | XFE_BIT(VU_RAW_PF_STATUS))

int
xfe_fail(struct xfe *x, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, sizeof(x->err), fmt, ap);
	va_end(ap);
	return ret;
}

uint64_t
xfe_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool
xfe_has(const struct xfe *x, unsigned int bit)
{
	return (x->features & XFE_BIT(bit)) != 0;
}

uint16_t
xfe_cvq_index(const struct xfe *x)
{
	return (uint16_t)(2 * x->nr_pairs);
}

static int
region_create(struct xfe *x, struct xfe_region *r, uint64_t size, uint64_t gpa)
{
	memset(r, 0, sizeof(*r));
	r->fd = memfd_create("extfe-guest", MFD_CLOEXEC);
	if (r->fd < 0 || ftruncate(r->fd, (off_t)size) < 0)
		return xfe_fail(x, -errno, "guest memory: %s", strerror(errno));
	r->va = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (r->va == MAP_FAILED) {
		r->va = NULL;
		return xfe_fail(x, -errno, "guest memory: %s", strerror(errno));
	}
	r->gpa = gpa;
	r->size = size;
	return 0;
}

void *
xfe_alloc(struct xfe_region *r, uint64_t len, uint64_t align)
{
	uint64_t off = (r->used + align - 1) & ~(align - 1);

	if (r->va == NULL || off + len > r->size)
		return NULL;
	r->used = off + len;
	return r->va + off;
}

uint64_t
xfe_gpa(const struct xfe *x, const void *p)
{
	const uint8_t *b = p;

	if (x->mem2.va != NULL && b >= x->mem2.va && b < x->mem2.va + x->mem2.size)
		return x->mem2.gpa + (uint64_t)(b - x->mem2.va);
	return x->mem.gpa + (uint64_t)(b - x->mem.va);
}

int
xfe_mem_init(struct xfe *x)
{
	int ret = region_create(x, &x->mem, XFE_MEM_SIZE, XFE_MEM_GPA);

	if (ret < 0)
		return ret;
	x->ctrl_out = xfe_alloc(&x->mem, XFE_CTRL_OUT_MAX, 64);
	x->ctrl_in = xfe_alloc(&x->mem, XFE_CTRL_IN_MAX, 64);
	x->ctrl_ind = xfe_alloc(&x->mem, 16ULL * XFE_MAX_RING, 16);
	return x->ctrl_ind == NULL ? xfe_fail(x, -ENOMEM, "guest memory") : 0;
}

/* A message with a u64 payload, no reply. */
static int
send_u64(struct xfe *x, uint32_t req, uint64_t v)
{
	int ret = vu_raw_send(&x->c, req, VU_VERSION, &v, 8, NULL, 0);

	return ret < 0 ? xfe_fail(x, ret, "message %u: %s", req,
		strerror(-ret)) : 0;
}

/* A message the backend must acknowledge (REPLY_ACK negotiated). */
static int
send_acked(struct xfe *x, uint32_t req, const void *p, uint32_t size,
		const int *fds, int nfds)
{
	int ret;

	if (!(x->proto & XFE_BIT(VU_RAW_PF_REPLY_ACK))) {
		ret = vu_raw_send(&x->c, req, VU_VERSION, p, size, fds, nfds);
		return ret < 0 ? xfe_fail(x, ret, "message %u: %s", req,
			strerror(-ret)) : 0;
	}
	ret = vu_raw_acked(&x->c, req, p, size, fds, nfds);
	if (ret == 1)
		return xfe_fail(x, -EPROTO, "the backend refused message %u", req);
	return ret < 0 ? xfe_fail(x, ret, "message %u: %s (%s)", req,
		strerror(-ret), x->c.err) : 0;
}

static int
set_status(struct xfe *x, uint8_t status)
{
	if (!(x->proto & XFE_BIT(VU_RAW_PF_STATUS)))
		return 0;
	return send_acked(x, VU_SET_STATUS, &(uint64_t){ status }, 8,
		NULL, 0);
}

/* What to ask for: our set, minus the scenario's, within the offer, with
 * the spec's dependencies (no control queue: none of its features). */
static uint64_t
choose_features(const struct xfe *x)
{
	uint64_t f = x->dev_features & XFE_FEATURES & ~x->features_off;

	if (!(f & XFE_BIT(XFE_F_CTRL_VQ)))
		f &= ~XFE_CTRL_DEPENDENT;
	if (!(f & XFE_BIT(XFE_F_CTRL_RX)))
		f &= ~XFE_BIT(XFE_F_CTRL_RX_EXTRA);
	if (!(f & (XFE_BIT(XFE_F_RSS) | XFE_BIT(XFE_F_HASH_REPORT))))
		f &= ~XFE_BIT(XFE_F_HASH_TUNNEL);
	if (!(f & XFE_BIT(XFE_F_NOTF_COAL)))
		f &= ~XFE_BIT(XFE_F_VQ_NOTF_COAL);
	return f | (x->dev_features & XFE_BIT(XFE_F_PROTOCOL_FEATURES));
}

static int
negotiate(struct xfe *x)
{
	uint64_t v;
	int ret;

	ret = vu_raw_get_u64(&x->c, VU_GET_FEATURES, &x->dev_features);
	if (ret < 0)
		return xfe_fail(x, ret, "GET_FEATURES: %s", x->c.err);
	if (!(x->dev_features & XFE_BIT(XFE_F_VERSION_1)) ||
			!(x->dev_features & XFE_BIT(XFE_F_PROTOCOL_FEATURES)))
		return xfe_fail(x, -ENOTSUP, "the device offers 0x%llx: no"
			" VERSION_1 or PROTOCOL_FEATURES",
			(unsigned long long)x->dev_features);
	ret = vu_raw_get_u64(&x->c, VU_GET_PROTOCOL_FEATURES, &v);
	if (ret < 0)
		return xfe_fail(x, ret, "GET_PROTOCOL_FEATURES: %s", x->c.err);
	x->proto = v & XFE_PF_WANTED;
	ret = send_u64(x, VU_SET_PROTOCOL_FEATURES, x->proto);
	if (ret == 0)
		ret = vu_raw_send(&x->c, VU_SET_OWNER, VU_VERSION, NULL, 0,
			NULL, 0);
	if (ret == 0)
		ret = set_status(x, VIRTIO_CONFIG_S_ACKNOWLEDGE |
			VIRTIO_CONFIG_S_DRIVER);
	if (ret < 0)
		return ret;
	x->features = choose_features(x);
	ret = send_u64(x, VU_SET_FEATURES, x->features);
	if (ret == 0)
		ret = set_status(x, VIRTIO_CONFIG_S_ACKNOWLEDGE |
			VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
	return ret;
}

int
xfe_read_config(struct xfe *x)
{
	struct vu_msg m;
	struct { uint32_t offset, size, flags; uint8_t region[28]; }
		__attribute__((packed)) q = { 0, sizeof(q.region), 0, { 0 } };
	int ret;

	if (!(x->proto & XFE_BIT(VU_RAW_PF_CONFIG)))
		return xfe_fail(x, -ENOTSUP, "no CONFIG protocol feature");
	ret = vu_raw_send(&x->c, VU_GET_CONFIG, VU_VERSION, &q,
		sizeof(q), NULL, 0);
	if (ret == 0)
		ret = vu_raw_recv(&x->c, &m, 2000);
	if (ret < 0)
		return xfe_fail(x, ret, "GET_CONFIG: %s", strerror(-ret));
	if (m.request != VU_GET_CONFIG || m.size < 12 ||
			m.p.cfg.size > sizeof(q.region) || m.size < 12 + m.p.cfg.size)
		return xfe_fail(x, -EPROTO, "GET_CONFIG: a reply of %u bytes"
			" for request %u", m.size, m.request);
	memset(x->config, 0, sizeof(x->config));
	memcpy(x->config, m.p.cfg.region, m.p.cfg.size);
	x->config_len = m.p.cfg.size;
	return 0;
}

/*
 * The first region as one entry, or (hole_end > hole_start, page-aligned
 * offsets into it) as two around the hole: the second maps the same memfd
 * from the hole's end (mmap_offset).
 */
static uint32_t
mem_regions(const struct xfe *x, uint64_t hole_start, uint64_t hole_end,
		struct vu_mem_region *r, int *fds)
{
	const struct xfe_region *m = &x->mem;
	uint32_t n = 0;

	if (hole_end <= hole_start) {
		r[n] = (struct vu_mem_region){ m->gpa, m->size,
			(uint64_t)(uintptr_t)m->va, 0 };
		fds[n++] = m->fd;
		return n;
	}
	r[n] = (struct vu_mem_region){ m->gpa, hole_start,
		(uint64_t)(uintptr_t)m->va, 0 };
	fds[n++] = m->fd;
	r[n] = (struct vu_mem_region){ m->gpa + hole_end, m->size - hole_end,
		(uint64_t)(uintptr_t)(m->va + hole_end), hole_end };
	fds[n++] = m->fd;
	return n;
}

static int
send_mem_table_hole(struct xfe *x, uint64_t hole_start, uint64_t hole_end)
{
	struct vu_mem_region r[3];
	int fds[3];
	uint32_t n;
	int ret;

	n = mem_regions(x, hole_start, hole_end, r, fds);
	if (x->mem2_in_table) {
		r[n] = (struct vu_mem_region){ x->mem2.gpa, x->mem2.size,
			(uint64_t)(uintptr_t)x->mem2.va, 0 };
		fds[n++] = x->mem2.fd;
	}
	ret = vu_raw_set_mem_table(&x->c, r, n, fds);
	if (ret == 1)
		return xfe_fail(x, -EPROTO, "the backend refused the memory table");
	return ret < 0 ? xfe_fail(x, ret, "SET_MEM_TABLE: %s", x->c.err) : 0;
}

static int
send_mem_table(struct xfe *x)
{
	return send_mem_table_hole(x, 0, 0);
}

static int
ring_setup(struct xfe *x, struct xfe_ring *r)
{
	struct { uint32_t index, num; } st = { r->index, r->size };
	struct { uint32_t index, flags; uint64_t desc, used, avail, log; }
		__attribute__((packed)) a = { r->index, 0,
		(uint64_t)(uintptr_t)r->desc, (uint64_t)(uintptr_t)r->used,
		(uint64_t)(uintptr_t)r->avail, 0 };
	uint64_t idx = r->index;
	int ret;

	ret = vu_raw_send(&x->c, VU_SET_VRING_CALL, VU_VERSION, &idx, 8,
		&r->callfd, 1);
	if (ret == 0)
		ret = vu_raw_send(&x->c, VU_SET_VRING_NUM, VU_VERSION, &st,
			sizeof(st), NULL, 0);
	st.num = r->base;
	if (ret == 0)
		ret = vu_raw_send(&x->c, VU_SET_VRING_BASE, VU_VERSION, &st,
			sizeof(st), NULL, 0);
	if (ret == 0)
		ret = vu_raw_send(&x->c, VU_SET_VRING_ADDR, VU_VERSION, &a,
			sizeof(a), NULL, 0);
	if (ret == 0)
		ret = vu_raw_send(&x->c, VU_SET_VRING_KICK, VU_VERSION, &idx,
			8, &r->kickfd, 1);
	if (ret < 0)
		return xfe_fail(x, ret, "vring %u: %s", r->index, strerror(-ret));
	st.num = 1;
	ret = send_acked(x, VU_SET_VRING_ENABLE, &st, sizeof(st), NULL, 0);
	r->up = ret == 0;
	return ret;
}

/* The rings, once: their number follows the first connection's features. */
static int
rings_alloc(struct xfe *x)
{
	unsigned int i;
	int ret;

	x->nr_rings = 2u * x->nr_pairs + 1;
	for (i = 0; i < x->nr_rings; i++) {
		bool cvq = i + 1 == x->nr_rings;

		ret = xfe_ring_alloc(x, &x->rings[i], (uint16_t)i,
			cvq ? x->ctrl_ring_size : x->ring_size, cvq);
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < x->nr_pairs; i++) {
		x->txbuf[i] = xfe_alloc(&x->mem, (uint64_t)XFE_BUF_SIZE *
			x->ring_size, 64);
		x->rxbuf[i] = xfe_alloc(&x->mem, (uint64_t)XFE_BUF_SIZE *
			x->ring_size, 64);
		if (x->rxbuf[i] == NULL)
			return xfe_fail(x, -ENOMEM, "guest memory for buffers");
	}
	return xfe_net_setup(x);
}

int
xfe_connect(struct xfe *x)
{
	bool first = x->nr_rings == 0;
	uint16_t pairs = 1;
	unsigned int i;
	int ret;

	ret = vu_raw_connect(&x->c, x->sock_path, 5000);
	if (ret < 0)
		return xfe_fail(x, ret, "connect %s: %s", x->sock_path, x->c.err);
	x->connected = true;
	ret = negotiate(x);
	if (ret == 0)
		ret = xfe_read_config(x);
	if (ret < 0)
		return ret;
	x->max_pairs = (uint16_t)(x->config[8] | x->config[9] << 8);
	if (xfe_has(x, XFE_F_MQ) || xfe_has(x, XFE_F_RSS))
		pairs = x->max_pairs;
	if (pairs == 0 || pairs > XFE_MAX_PAIRS)
		return xfe_fail(x, -ENOTSUP, "the device has %u queue pairs,"
			" extfe drives 1..%u", pairs, XFE_MAX_PAIRS);
	if (!first && pairs != x->nr_pairs)
		return xfe_fail(x, -EPROTO, "the device has %u pairs now, %u"
			" before the reconnect", pairs, x->nr_pairs);
	x->nr_pairs = pairs;
	x->hdr_len = xfe_has(x, XFE_F_HASH_REPORT) ? 20 : 12;
	ret = send_mem_table(x);
	if (ret == 0 && first)
		ret = rings_alloc(x);
	for (i = 0; ret == 0 && i < x->nr_rings; i++)
		ret = ring_setup(x, &x->rings[i]);
	if (ret == 0)
		ret = set_status(x, VIRTIO_CONFIG_S_ACKNOWLEDGE |
			VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
			VIRTIO_CONFIG_S_DRIVER_OK);
	if (ret < 0)
		return ret;
	xfe_view_reset(x);
	printf("extfe: connected to %s: features 0x%llx, %u pairs, control"
		" queue %u\n", x->sock_path, (unsigned long long)x->features,
		x->nr_pairs, xfe_cvq_index(x));
	return 0;
}

/* GET_VRING_BASE on every ring (the device stops it and says where), then
 * the connection goes; the rings and their memory stay for a reconnect. */
int
xfe_stop(struct xfe *x)
{
	struct { uint32_t index, num; } st;
	struct vu_msg m;
	unsigned int i;
	int ret;

	for (i = 0; i < x->nr_rings; i++) {
		struct xfe_ring *r = &x->rings[i];

		if (!r->up)
			continue;
		st.index = r->index;
		st.num = 0;
		ret = vu_raw_send(&x->c, VU_GET_VRING_BASE, VU_VERSION,
			&st, sizeof(st), NULL, 0);
		if (ret == 0)
			ret = vu_raw_recv(&x->c, &m, 3000);
		if (ret < 0)
			return xfe_fail(x, ret, "GET_VRING_BASE %u: %s", r->index,
				strerror(-ret));
		if (m.request != VU_GET_VRING_BASE || m.size != 8 ||
				m.p.state.index != r->index)
			return xfe_fail(x, -EPROTO, "GET_VRING_BASE %u: reply"
				" %u of %u bytes", r->index, m.request, m.size);
		/* The device can only have taken what we made available. */
		if ((uint16_t)(r->avail_idx - m.p.state.num) > r->size)
			return xfe_fail(x, -EPROTO, "GET_VRING_BASE %u: base %u,"
				" our avail index %u", r->index, m.p.state.num,
				r->avail_idx);
		r->base = (uint16_t)m.p.state.num;
		r->up = false;
	}
	xfe_disconnect(x);
	return 0;
}

void
xfe_disconnect(struct xfe *x)
{
	if (x->connected)
		vu_raw_close(&x->c);
	x->connected = false;
}

int
xfe_mem_table(struct xfe *x, bool add)
{
	int ret;

	if (add && x->mem2.va == NULL) {
		ret = region_create(x, &x->mem2, XFE_MEM2_SIZE, XFE_MEM2_GPA);
		if (ret < 0)
			return ret;
		x->ctrl_out2 = xfe_alloc(&x->mem2, XFE_CTRL_OUT_MAX, 64);
		x->ctrl_in2 = xfe_alloc(&x->mem2, XFE_CTRL_IN_MAX, 64);
		x->ctrl_ind2 = xfe_alloc(&x->mem2, 16ULL * XFE_MAX_RING, 16);
	}
	x->mem2_in_table = add;
	ret = send_mem_table(x);
	/* From now on the control requests live where the new table says. */
	x->ctrl_in_mem2 = ret == 0 && add;
	return ret;
}

int
xfe_mem_table_nocvq(struct xfe *x)
{
	const struct xfe_ring *cvq;
	uint64_t start, end;

	if (x->nr_rings == 0 || !x->connected)
		return xfe_fail(x, -ENOTCONN, "memtable nocvq: not connected");
	cvq = &x->rings[x->nr_rings - 1];
	/* xfe_ring_alloc gave the control ring pages of its own. */
	start = cvq->desc_gpa - x->mem.gpa;
	end = cvq->used_gpa + 6 + 8ULL * cvq->size - x->mem.gpa;
	end = (end + XFE_PAGE - 1) & ~(XFE_PAGE - 1);
	return send_mem_table_hole(x, start, end);
}
