/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * A raw vhost-user client: exactly the messages and descriptors it is
 * told to send. See vu_raw.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_ring.h>

#include "vu_raw.h"

static int
raw_err(struct vu_raw *c, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, sizeof(c->err), fmt, ap);
	va_end(ap);
	return ret;
}

int
vu_raw_connect(struct vu_raw *c, const char *path, unsigned int timeout_ms)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	unsigned int waited = 0;

	c->err[0] = '\0';
	c->sock = -1;
	if (strlen(path) >= sizeof(sa.sun_path))
		return raw_err(c, -ENAMETOOLONG, "socket path too long");
	strcpy(sa.sun_path, path);
	for (;;) {
		c->sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (c->sock < 0)
			return raw_err(c, -errno, "socket: %s", strerror(errno));
		if (connect(c->sock, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 0;
		close(c->sock);
		c->sock = -1;
		if (waited >= timeout_ms)
			return raw_err(c, -errno, "connect %s: %s", path,
				strerror(errno));
		usleep(10000);
		waited += 10;
	}
}

void
vu_raw_close(struct vu_raw *c)
{
	if (c->sock >= 0)
		close(c->sock);
	c->sock = -1;
}

int
vu_raw_send_bytes(struct vu_raw *c, const void *buf, size_t len,
		const int *fds, int nfds)
{
	char control[CMSG_SPACE(VU_MAX_FDS * sizeof(int))];
	struct iovec iov = { .iov_base = (void *)(uintptr_t)buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (nfds > VU_MAX_FDS)
		return raw_err(c, -EINVAL, "%d fds: at most %d", nfds,
			VU_MAX_FDS);
	if (nfds > 0) {
		struct cmsghdr *cm;

		memset(control, 0, sizeof(control));
		mh.msg_control = control;
		mh.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, (size_t)nfds * sizeof(int));
	}
	do {
		n = sendmsg(c->sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return raw_err(c, errno == ECONNRESET ? -EPIPE : -errno,
			"sendmsg: %s", strerror(errno));
	if ((size_t)n != len) {
		/* The rest without descriptors (a stream socket). */
		return vu_raw_send_bytes(c, (const uint8_t *)buf + n,
			len - (size_t)n, NULL, 0);
	}
	return 0;
}

int
vu_raw_send(struct vu_raw *c, uint32_t request, uint32_t flags,
		const void *payload, uint32_t size, const int *fds, int nfds)
{
	struct vu_msg m;

	if (size > sizeof(m.p))
		return raw_err(c, -EINVAL, "payload of %u bytes", size);
	m.request = request;
	m.flags = flags;
	m.size = size;
	if (size > 0)
		memcpy(&m.p, payload, size);
	return vu_raw_send_bytes(c, &m, VU_HDR_SIZE + size, fds, nfds);
}

/* Read exactly len bytes before the deadline (ms since an epoch). */
static int
read_full(struct vu_raw *c, void *buf, size_t len, unsigned int timeout_ms)
{
	struct pollfd pfd = { .fd = c->sock, .events = POLLIN };
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		int r = poll(&pfd, 1, (int)timeout_ms);

		if (r == 0)
			return raw_err(c, -ETIMEDOUT, "no reply within %u ms",
				timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return raw_err(c, -errno, "poll: %s", strerror(errno));
		n = recv(c->sock, (uint8_t *)buf + got, len - got, 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return raw_err(c, -EPIPE, "the backend closed the"
				" connection");
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return raw_err(c, -errno, "recv: %s", strerror(errno));
		got += (size_t)n;
	}
	return 0;
}

int
vu_raw_recv(struct vu_raw *c, struct vu_msg *msg, unsigned int timeout_ms)
{
	int ret;

	memset(msg, 0, sizeof(*msg));
	ret = read_full(c, msg, VU_HDR_SIZE, timeout_ms);
	if (ret < 0)
		return ret;
	if (msg->size > sizeof(msg->p))
		return raw_err(c, -EPROTO, "reply announces %u bytes", msg->size);
	ret = read_full(c, &msg->p, msg->size, timeout_ms);
	return ret < 0 ? ret : (int)msg->size;
}

bool
vu_raw_closed_by_peer(struct vu_raw *c, unsigned int timeout_ms)
{
	struct pollfd pfd = { .fd = c->sock, .events = POLLIN | POLLRDHUP };
	uint8_t b[64];

	for (;;) {
		int r = poll(&pfd, 1, (int)timeout_ms);

		if (r <= 0)
			return false;
		r = (int)recv(c->sock, b, sizeof(b), MSG_DONTWAIT);
		if (r == 0 || (r < 0 && errno == ECONNRESET))
			return true;
		if (r < 0)
			return false;
		/* A reply: drain it and look again. */
	}
}

int
vu_raw_get_u64(struct vu_raw *c, uint32_t request, uint64_t *value)
{
	struct vu_msg r;
	int ret = vu_raw_send(c, request, VU_VERSION, NULL, 0, NULL, 0);

	if (ret == 0)
		ret = vu_raw_recv(c, &r, 2000);
	if (ret < 0)
		return ret;
	if (r.request != request || ret != (int)sizeof(uint64_t))
		return raw_err(c, -EPROTO, "reply to %u: request %u, %d bytes",
			request, r.request, ret);
	*value = r.p.u64;
	return 0;
}

int
vu_raw_acked(struct vu_raw *c, uint32_t request, const void *payload,
		uint32_t size, const int *fds, int nfds)
{
	struct vu_msg r;
	int ret = vu_raw_send(c, request, VU_VERSION | VU_FLAG_NEED_REPLY,
		payload, size, fds, nfds);

	if (ret == 0)
		ret = vu_raw_recv(c, &r, 3000);
	if (ret < 0)
		return ret;
	if (r.request != request || ret != (int)sizeof(uint64_t))
		return raw_err(c, -EPROTO, "ack of %u: request %u, %d bytes",
			request, r.request, ret);
	return r.p.u64 == 0 ? 0 : 1;
}

/* ---- guest memory ------------------------------------------------------- */

int
vu_raw_mem_create(struct vu_raw_mem *m, uint64_t size, uint64_t gpa)
{
	memset(m, 0, sizeof(*m));
	m->fd = memfd_create("vu-raw-guest", MFD_CLOEXEC);
	if (m->fd < 0)
		return -errno;
	if (ftruncate(m->fd, (off_t)size) != 0)
		goto fail;
	m->va = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd, 0);
	if (m->va == MAP_FAILED)
		goto fail;
	m->size = size;
	m->gpa = gpa;
	return 0;
fail:
	close(m->fd);
	m->fd = -1;
	m->va = NULL;
	return -errno;
}

void
vu_raw_mem_destroy(struct vu_raw_mem *m)
{
	if (m->va != NULL)
		munmap(m->va, m->size);
	if (m->fd >= 0)
		close(m->fd);
	memset(m, 0, sizeof(*m));
	m->fd = -1;
}

void *
vu_raw_mem_alloc(struct vu_raw_mem *m, uint64_t len, uint64_t align,
		uint64_t *gpa)
{
	uint64_t off = (m->used + align - 1) & ~(align - 1);

	if (off + len > m->size)
		return NULL;
	m->used = off + len;
	*gpa = m->gpa + off;
	return m->va + off;
}

/* ---- session ------------------------------------------------------------- */

int
vu_raw_negotiate(struct vu_raw_session *s, const char *path,
		uint64_t feature_mask, uint64_t pf_mask)
{
	struct vu_raw *c = &s->c;
	uint64_t v;
	int ret;

	memset(s, 0, sizeof(*s));
	s->mem.fd = -1;
	ret = vu_raw_connect(c, path, 3000);
	if (ret < 0)
		return ret;
	ret = vu_raw_get_u64(c, VU_GET_FEATURES, &v);
	if (ret < 0)
		return ret;
	s->features = v & (feature_mask | 1ULL << VU_RAW_F_PROTOCOL_FEATURES);
	ret = vu_raw_send(c, VU_SET_FEATURES, VU_VERSION, &s->features,
		8, NULL, 0);
	if (ret == 0)
		ret = vu_raw_get_u64(c, VU_GET_PROTOCOL_FEATURES, &v);
	if (ret < 0)
		return ret;
	s->protocol_features = v & (pf_mask | 1ULL << VU_RAW_PF_REPLY_ACK);
	ret = vu_raw_send(c, VU_SET_PROTOCOL_FEATURES, VU_VERSION,
		&s->protocol_features, 8, NULL, 0);
	if (ret == 0)
		ret = vu_raw_send(c, VU_SET_OWNER, VU_VERSION, NULL, 0,
			NULL, 0);
	return ret;
}

int
vu_raw_set_mem_table(struct vu_raw *c, const struct vu_mem_region *r,
		uint32_t n, const int *fds)
{
	struct {
		uint32_t nregions, padding;
		struct vu_mem_region r[VU_MAX_REGIONS];
	} __attribute__((packed)) t;

	if (n > VU_MAX_REGIONS)
		return -EINVAL;
	t.nregions = n;
	t.padding = 0;
	memcpy(t.r, r, n * sizeof(*r));
	return vu_raw_acked(c, VU_SET_MEM_TABLE, &t, 8 + 32 * n, fds,
		(int)n);
}

int
vu_raw_session_open(struct vu_raw_session *s, const char *path,
		uint64_t feature_mask, uint64_t pf_mask, uint64_t mem_size)
{
	struct vu_mem_region r;
	int ret;

	ret = vu_raw_negotiate(s, path, feature_mask, pf_mask);
	if (ret < 0)
		return ret;
	ret = vu_raw_mem_create(&s->mem, mem_size, 0x40000000ULL);
	if (ret < 0)
		return raw_err(&s->c, ret, "guest memory: %s", strerror(-ret));
	r = (struct vu_mem_region){ s->mem.gpa, s->mem.size,
		(uint64_t)(uintptr_t)s->mem.va, 0 };
	ret = vu_raw_set_mem_table(&s->c, &r, 1, &s->mem.fd);
	if (ret != 0)
		return raw_err(&s->c, ret < 0 ? ret : -EPROTO,
			"SET_MEM_TABLE: %s", ret < 0 ? s->c.err : "refused");
	return 0;
}

int
vu_raw_session_vring(struct vu_raw_session *s, uint16_t index, uint16_t size)
{
	struct vu_raw_vring *vr;
	struct vu_raw *c = &s->c;
	struct { uint32_t index, flags; uint64_t desc, used, avail, log; }
		__attribute__((packed)) addr;
	struct { uint32_t index, num; } st;
	uint64_t idx = index;
	int ret;

	if (s->nr_vrings >= sizeof(s->vrings) / sizeof(s->vrings[0]))
		return raw_err(c, -ENOSPC, "too many vrings");
	vr = &s->vrings[s->nr_vrings];
	memset(vr, 0, sizeof(*vr));
	vr->index = index;
	vr->size = size;
	vr->desc = vu_raw_mem_alloc(&s->mem, 16ULL * size, 16, &vr->desc_gpa);
	vr->avail = vu_raw_mem_alloc(&s->mem, 6 + 2ULL * size, 2, &vr->avail_gpa);
	vr->used = vu_raw_mem_alloc(&s->mem, 6 + 8ULL * size, 4096, &vr->used_gpa);
	if (vr->desc == NULL || vr->avail == NULL || vr->used == NULL)
		return raw_err(c, -ENOMEM, "guest memory for vring %u", index);
	vr->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	vr->callfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	s->nr_vrings++;
	st.index = index;
	st.num = size;
	ret = vu_raw_send(c, VU_SET_VRING_CALL, VU_VERSION, &idx, 8,
		&vr->callfd, 1);
	if (ret == 0)
		ret = vu_raw_send(c, VU_SET_VRING_NUM, VU_VERSION, &st,
			sizeof(st), NULL, 0);
	st.num = 0;
	if (ret == 0)
		ret = vu_raw_send(c, VU_SET_VRING_BASE, VU_VERSION, &st,
			sizeof(st), NULL, 0);
	addr = (typeof(addr)){ index, 0, (uint64_t)(uintptr_t)vr->desc,
		(uint64_t)(uintptr_t)vr->used, (uint64_t)(uintptr_t)vr->avail, 0 };
	if (ret == 0)
		ret = vu_raw_send(c, VU_SET_VRING_ADDR, VU_VERSION, &addr,
			sizeof(addr), NULL, 0);
	if (ret == 0)
		ret = vu_raw_send(c, VU_SET_VRING_KICK, VU_VERSION, &idx, 8,
			&vr->kickfd, 1);
	st.num = 1;
	if (ret == 0)
		ret = vu_raw_acked(c, VU_SET_VRING_ENABLE, &st, sizeof(st),
			NULL, 0);
	if (ret > 0)
		return raw_err(c, -EPROTO, "SET_VRING_ENABLE %u refused", index);
	return ret;
}

int
vu_raw_session_status(struct vu_raw_session *s, uint8_t status)
{
	uint64_t v = status;

	if (!(s->protocol_features & (1ULL << VU_RAW_PF_STATUS)))
		return 0;
	return vu_raw_acked(&s->c, VU_SET_STATUS, &v, 8, NULL, 0) == 0 ? 0 :
		raw_err(&s->c, -EPROTO, "SET_STATUS 0x%x: %s", status, s->c.err);
}

void
vu_raw_session_close(struct vu_raw_session *s)
{
	unsigned int i;

	vu_raw_close(&s->c);
	for (i = 0; i < s->nr_vrings; i++) {
		close(s->vrings[i].kickfd);
		close(s->vrings[i].callfd);
	}
	s->nr_vrings = 0;
	vu_raw_mem_destroy(&s->mem);
}

int
vu_raw_vring_post(struct vu_raw_vring *vr, uint64_t addr, uint32_t len,
		uint16_t flags)
{
	struct vring_desc *d = vr->desc;
	struct vring_avail *a = vr->avail;
	uint16_t head = (uint16_t)(vr->avail_idx % vr->size);

	d[head].addr = addr;
	d[head].len = len;
	d[head].flags = flags;
	d[head].next = 0;
	a->ring[head] = head;
	vr->avail_idx++;
	__atomic_store_n(&a->idx, vr->avail_idx, __ATOMIC_RELEASE);
	return eventfd_write(vr->kickfd, 1) == 0 ? 0 : -errno;
}
