/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Screening of raw vhost-user messages: what DPDK 22.11's vhost library
 * takes unchecked and would crash the process on is refused before it
 * acts. See cvqsim_vhost_screen.h and the hardening guide's "Hostile
 * vhost-user messages" for each rule and the crash it prevents.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cvqsim_vhost_screen.h"

/* Protocol feature bits (vhost-user specification). */
#define PF_MQ			0
#define PF_LOG_SHMFD		1
#define PF_RARP			2
#define PF_NET_MTU		4
#define PF_SLAVE_REQ		5
#define PF_CRYPTO_SESSION	7
#define PF_PAGEFAULT		8
#define PF_CONFIG		9
#define PF_INFLIGHT_SHMFD	12
#define PF_STATUS		16
#define F_IOMMU_PLATFORM	33	/* VIRTIO_F_ACCESS_PLATFORM */

#define VRING_NOFD_MASK		(1u << 8)

struct vu_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uaddr;
	uint64_t mmap_offset;
};

struct vu_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
};

static int
screen_why(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static struct vu_hdr
msg_hdr(const void *msg)
{
	struct vu_hdr h;

	memcpy(&h, msg, sizeof(h));
	return h;
}

static const uint8_t *
msg_payload(const void *msg)
{
	return (const uint8_t *)msg + CVQSIM_VU_HDR_SIZE;
}

static int
msg_fd_num(const void *msg)
{
	int n;

	memcpy(&n, (const uint8_t *)msg + CVQSIM_VU_FD_NUM_OFF, sizeof(n));
	return n < 0 ? 0 : n > CVQSIM_VU_MAX_FDS ? CVQSIM_VU_MAX_FDS : n;
}

static int
msg_fd(const void *msg, int i)
{
	int fd;

	memcpy(&fd, (const uint8_t *)msg + CVQSIM_VU_FDS_OFF + 4 * i, sizeof(fd));
	return fd;
}

static void
msg_close_fds(void *msg)
{
	const int none = -1;
	int i, n = msg_fd_num(msg);

	for (i = 0; i < n; i++) {
		int fd = msg_fd(msg, i);

		if (fd >= 0)
			close(fd);
		memcpy((uint8_t *)msg + CVQSIM_VU_FDS_OFF + 4 * i, &none,
			sizeof(none));
	}
}

uint32_t
cvqsim_vu_msg_request(const void *msg)
{
	return msg_hdr(msg).request;
}

const char *
cvqsim_vu_request_name(uint32_t request, char *buf, size_t len)
{
	static const char *const names[] = {
		[1] = "GET_FEATURES", [2] = "SET_FEATURES", [3] = "SET_OWNER",
		[4] = "RESET_OWNER", [5] = "SET_MEM_TABLE", [6] = "SET_LOG_BASE",
		[7] = "SET_LOG_FD", [8] = "SET_VRING_NUM", [9] = "SET_VRING_ADDR",
		[10] = "SET_VRING_BASE", [11] = "GET_VRING_BASE",
		[12] = "SET_VRING_KICK", [13] = "SET_VRING_CALL",
		[14] = "SET_VRING_ERR", [15] = "GET_PROTOCOL_FEATURES",
		[16] = "SET_PROTOCOL_FEATURES", [17] = "GET_QUEUE_NUM",
		[18] = "SET_VRING_ENABLE", [19] = "SEND_RARP",
		[20] = "NET_SET_MTU", [21] = "SET_SLAVE_REQ_FD",
		[22] = "IOTLB_MSG", [24] = "GET_CONFIG", [25] = "SET_CONFIG",
		[26] = "CRYPTO_CREATE_SESS", [27] = "CRYPTO_CLOSE_SESS",
		[28] = "POSTCOPY_ADVISE", [29] = "POSTCOPY_LISTEN",
		[30] = "POSTCOPY_END", [31] = "GET_INFLIGHT_FD",
		[32] = "SET_INFLIGHT_FD", [39] = "SET_STATUS", [40] = "GET_STATUS",
	};

	if (request < sizeof(names) / sizeof(names[0]) && names[request] != NULL)
		return names[request];
	snprintf(buf, len, "request %u", request);
	return buf;
}

/*
 * The protocol feature a request belongs to (-1: none). The vhost library
 * serves these requests whether or not the feature was agreed; a frontend
 * may only send them once it was (vhost-user specification).
 */
static int
request_protocol_feature(uint32_t request)
{
	switch (request) {
	case CVQSIM_VU_GET_QUEUE_NUM:
		return PF_MQ;
	case CVQSIM_VU_SET_LOG_BASE:
		return PF_LOG_SHMFD;
	case CVQSIM_VU_SEND_RARP:
		return PF_RARP;
	case CVQSIM_VU_NET_SET_MTU:
		return PF_NET_MTU;
	case CVQSIM_VU_SET_SLAVE_REQ_FD:
		return PF_SLAVE_REQ;
	case CVQSIM_VU_CRYPTO_CREATE_SESS:
	case CVQSIM_VU_CRYPTO_CLOSE_SESS:
		return PF_CRYPTO_SESSION;
	case CVQSIM_VU_POSTCOPY_ADVISE:
	case CVQSIM_VU_POSTCOPY_LISTEN:
	case CVQSIM_VU_POSTCOPY_END:
		return PF_PAGEFAULT;
	case CVQSIM_VU_GET_CONFIG:
	case CVQSIM_VU_SET_CONFIG:
		return PF_CONFIG;
	case CVQSIM_VU_GET_INFLIGHT_FD:
	case CVQSIM_VU_SET_INFLIGHT_FD:
		return PF_INFLIGHT_SHMFD;
	case CVQSIM_VU_SET_STATUS:
	case CVQSIM_VU_GET_STATUS:
		return PF_STATUS;
	default:
		return -1;
	}
}

/* [a, a + len) wraps past 2^64 (len > 0). */
static bool
range_wraps(uint64_t a, uint64_t len)
{
	return len - 1 > UINT64_MAX - a;
}

static bool
ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

/*
 * The file behind fd holds [offset, offset + len): a regular file (memfd,
 * tmpfs, hugetlbfs) at least that long. Mapping past a file's end works,
 * touching it is SIGBUS.
 */
static int
fd_covers(int fd, uint64_t offset, uint64_t len, const char *what, char *why,
		size_t why_len)
{
	struct stat st;

	if (fd < 0 || fstat(fd, &st) != 0)
		return screen_why(why, why_len, "%s: fd %d: %s", what, fd,
			fd < 0 ? "missing" : strerror(errno));
	if (!S_ISREG(st.st_mode))
		return screen_why(why, why_len, "%s: fd %d is not a regular file"
			" (mode 0%o): its size cannot be checked", what, fd,
			(unsigned int)(st.st_mode & S_IFMT));
	if (len > UINT64_MAX - offset || (uint64_t)st.st_size < offset + len)
		return screen_why(why, why_len, "%s: the fd holds %" PRIu64
			" bytes, the message uses [0x%" PRIx64 ", +0x%" PRIx64 ")",
			what, (uint64_t)st.st_size, offset, len);
	return 0;
}

static int
check_region(const struct vu_region *r, uint32_t i, int fd, char *why,
		size_t len)
{
	char what[32];

	snprintf(what, sizeof(what), "region %u", i);
	if (r->size == 0)
		return screen_why(why, len, "%s: size 0", what);
	if (range_wraps(r->gpa, r->size) || range_wraps(r->uaddr, r->size) ||
			range_wraps(r->mmap_offset, r->size))
		return screen_why(why, len, "%s: [gpa 0x%" PRIx64 ", uaddr 0x%"
			PRIx64 ", offset 0x%" PRIx64 "] + 0x%" PRIx64
			" wraps past 2^64", what, r->gpa, r->uaddr,
			r->mmap_offset, r->size);
	return fd_covers(fd, r->mmap_offset, r->size, what, why, len);
}

/*
 * SET_MEM_TABLE: at most 8 regions, one fd each, every region non-empty,
 * not wrapping, backed by its fd, and no two regions overlapping in guest
 * physical or in frontend virtual addresses.
 */
static int
check_mem_table(const void *msg, char *why, size_t len)
{
	const uint8_t *p = msg_payload(msg);
	struct vu_region r[CVQSIM_VU_MAX_REGIONS];
	uint32_t n, i, j;

	if (msg_hdr(msg).size < 8)
		return screen_why(why, len, "payload of %u bytes",
			msg_hdr(msg).size);
	memcpy(&n, p, sizeof(n));
	if (n > CVQSIM_VU_MAX_REGIONS)
		return screen_why(why, len, "%u regions, at most %u", n,
			CVQSIM_VU_MAX_REGIONS);
	if (msg_hdr(msg).size < 8 + n * sizeof(r[0]))
		return screen_why(why, len, "%u regions in a payload of %u bytes",
			n, msg_hdr(msg).size);
	if ((uint32_t)msg_fd_num(msg) != n)
		return screen_why(why, len, "%u regions but %d fds", n,
			msg_fd_num(msg));
	memcpy(r, p + 8, n * sizeof(r[0]));
	for (i = 0; i < n; i++) {
		if (check_region(&r[i], i, msg_fd(msg, (int)i), why, len) < 0)
			return -1;
		for (j = 0; j < i; j++) {
			if (ranges_overlap(r[i].gpa, r[i].size, r[j].gpa,
					r[j].size))
				return screen_why(why, len, "regions %u and %u"
					" overlap in guest physical addresses", j, i);
			if (ranges_overlap(r[i].uaddr, r[i].size, r[j].uaddr,
					r[j].size))
				return screen_why(why, len, "regions %u and %u"
					" overlap in frontend addresses", j, i);
		}
	}
	return 0;
}

/* An fd the device writes to or reads from as an event counter. */
static int
check_eventfd(int fd, const char *what, char *why, size_t len)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return screen_why(why, len, "%s: fd %d: %s", what, fd,
			strerror(errno));
	target[n] = '\0';
	if (strcmp(target, "anon_inode:[eventfd]") != 0)
		return screen_why(why, len, "%s: fd %d is %s, not an eventfd",
			what, fd, target);
	return 0;
}

/* SET_VRING_KICK/CALL/ERR and SET_LOG_FD: an eventfd, or none with NOFD. */
static int
check_vring_fd(const void *msg, char *why, size_t len)
{
	uint32_t request = msg_hdr(msg).request;
	uint64_t u64 = 0;

	if (msg_hdr(msg).size >= sizeof(u64))
		memcpy(&u64, msg_payload(msg), sizeof(u64));
	if (request != CVQSIM_VU_SET_LOG_FD && (u64 & VRING_NOFD_MASK)) {
		if (msg_fd_num(msg) != 0)
			return screen_why(why, len, "NOFD with %d fds",
				msg_fd_num(msg));
		return 0;
	}
	if (msg_fd_num(msg) != 1)
		return screen_why(why, len, "%d fds, expected 1", msg_fd_num(msg));
	return check_eventfd(msg_fd(msg, 0), "the fd", why, len);
}

/* SET_SLAVE_REQ_FD: a socket, the library sends on it. */
static int
check_slave_fd(const void *msg, char *why, size_t len)
{
	struct stat st;

	if (msg_fd_num(msg) != 1 || fstat(msg_fd(msg, 0), &st) != 0)
		return screen_why(why, len, "%d fds, expected one socket",
			msg_fd_num(msg));
	if (!S_ISSOCK(st.st_mode))
		return screen_why(why, len, "fd %d is not a socket",
			msg_fd(msg, 0));
	return 0;
}

/* SET_LOG_BASE: the log fd covers mmap_offset + mmap_size. */
static int
check_log_base(const void *msg, char *why, size_t len)
{
	uint64_t log[2];

	if (msg_hdr(msg).size != sizeof(log) || msg_fd_num(msg) != 1)
		return screen_why(why, len, "payload of %u bytes and %d fds",
			msg_hdr(msg).size, msg_fd_num(msg));
	memcpy(log, msg_payload(msg), sizeof(log));
	if (log[0] == 0)
		return screen_why(why, len, "log of size 0");
	return fd_covers(msg_fd(msg, 0), log[1], log[0], "log", why, len);
}

/* SET_INFLIGHT_FD (if ever agreed): the fd covers the area. */
static int
check_inflight(const void *msg, char *why, size_t len)
{
	uint64_t area[2];

	if (msg_hdr(msg).size != 24 || msg_fd_num(msg) != 1)
		return screen_why(why, len, "payload of %u bytes and %d fds",
			msg_hdr(msg).size, msg_fd_num(msg));
	memcpy(area, msg_payload(msg), sizeof(area));
	return fd_covers(msg_fd(msg, 0), area[1], area[0], "inflight area",
		why, len);
}

/*
 * GET_CONFIG/SET_CONFIG: {offset, size, flags, region[256]}. The library
 * hands the device a 256-byte buffer and the size unchecked, and ignores
 * the offset of a GET_CONFIG (its reply would label bytes from offset 0 as
 * those at the offset): only reads from offset 0, writes within the
 * config space.
 */
static int
check_config(const struct cvqsim_screen_ctx *ctx, const void *msg, char *why,
		size_t len)
{
	uint32_t cfg[2];
	bool get = msg_hdr(msg).request == CVQSIM_VU_GET_CONFIG;

	if (msg_hdr(msg).size < 12)
		return screen_why(why, len, "payload of %u bytes",
			msg_hdr(msg).size);
	memcpy(cfg, msg_payload(msg), sizeof(cfg));
	if (get && cfg[0] != 0)
		return screen_why(why, len, "read at offset %u: the vhost library"
			" cannot serve an offset", cfg[0]);
	if (cfg[1] > CVQSIM_VU_CONFIG_MAX || cfg[0] > ctx->config_size ||
			cfg[1] > ctx->config_size - cfg[0])
		return screen_why(why, len, "[%u, +%u) beyond the %u bytes of"
			" config space", cfg[0], cfg[1], ctx->config_size);
	if (!get && msg_hdr(msg).size < 12 + cfg[1])
		return screen_why(why, len, "%u bytes to write in a payload of"
			" %u", cfg[1], msg_hdr(msg).size);
	return 0;
}

static int
check_request(const struct cvqsim_screen_ctx *ctx, const void *msg, char *why,
		size_t len)
{
	switch (msg_hdr(msg).request) {
	case CVQSIM_VU_SET_MEM_TABLE:
		return check_mem_table(msg, why, len);
	case CVQSIM_VU_SET_VRING_KICK:
	case CVQSIM_VU_SET_VRING_CALL:
	case CVQSIM_VU_SET_VRING_ERR:
	case CVQSIM_VU_SET_LOG_FD:
		return check_vring_fd(msg, why, len);
	case CVQSIM_VU_SET_SLAVE_REQ_FD:
		return check_slave_fd(msg, why, len);
	case CVQSIM_VU_SET_LOG_BASE:
		return check_log_base(msg, why, len);
	case CVQSIM_VU_SET_INFLIGHT_FD:
		return check_inflight(msg, why, len);
	case CVQSIM_VU_GET_CONFIG:
	case CVQSIM_VU_SET_CONFIG:
		return check_config(ctx, msg, why, len);
	case CVQSIM_VU_IOTLB_MSG:
		if (!(ctx->features & (1ULL << F_IOMMU_PLATFORM)))
			return screen_why(why, len, "IOMMU_PLATFORM not negotiated");
		return 0;
	default:
		return 0;
	}
}

enum cvqsim_screen_verdict
cvqsim_screen_msg(const struct cvqsim_screen_ctx *ctx, void *msg, char *why,
		size_t why_len)
{
	struct vu_hdr h = msg_hdr(msg);
	int pf = request_protocol_feature(h.request);

	why[0] = '\0';
	if (pf >= 0 && !(ctx->protocol_features & (1ULL << pf)))
		screen_why(why, why_len, "protocol feature %d not negotiated", pf);
	else if (check_request(ctx, msg, why, why_len) == 0)
		return CVQSIM_SCREEN_PASS;
	msg_close_fds(msg);
	if (h.request == CVQSIM_VU_GET_CONFIG) {
		/* The library's own failure reply: no config bytes. */
		h.size = 0;
		memcpy(msg, &h, sizeof(h));
		return CVQSIM_SCREEN_REPLY;
	}
	return CVQSIM_SCREEN_REFUSE;
}
