/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * vhost-user protocol client and device bring-up. Message formats follow
 * the vhost-user specification (QEMU docs/interop/vhost-user.rst); the code
 * is this project's own.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_config.h>

#include "fe_priv.h"

/* vhost-user requests (frontend -> backend). */
enum vu_request {
	VU_GET_FEATURES = 1,
	VU_SET_FEATURES = 2,
	VU_SET_OWNER = 3,
	VU_RESET_OWNER = 4,
	VU_SET_MEM_TABLE = 5,
	VU_SET_LOG_BASE = 6,
	VU_SET_LOG_FD = 7,
	VU_SET_VRING_NUM = 8,
	VU_SET_VRING_ADDR = 9,
	VU_SET_VRING_BASE = 10,
	VU_GET_VRING_BASE = 11,
	VU_SET_VRING_KICK = 12,
	VU_SET_VRING_CALL = 13,
	VU_SET_VRING_ERR = 14,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_GET_QUEUE_NUM = 17,
	VU_SET_VRING_ENABLE = 18,
	VU_GET_CONFIG = 24,
	VU_SET_CONFIG = 25,
	VU_SET_STATUS = 39,
	VU_GET_STATUS = 40,
};

#define VU_VERSION		0x1
#define VU_FLAG_REPLY		(1u << 2)
#define VU_FLAG_NEED_REPLY	(1u << 3)
#define VU_HDR_SIZE		12u
#define VU_MAX_FDS		8
#define VU_VRING_IDX_MASK	0xffu

struct vu_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uaddr;
	uint64_t mmap_offset;
};

struct vu_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	union {
		uint64_t u64;
		struct {
			uint32_t index;
			uint32_t num;
		} state;
		struct {
			uint32_t index;
			uint32_t flags;
			uint64_t desc;
			uint64_t used;
			uint64_t avail;
			uint64_t log;
		} addr;
		struct {
			uint32_t nregions;
			uint32_t padding;
			struct vu_mem_region regions[VU_MAX_FDS];
		} mem;
		struct {
			uint32_t offset;
			uint32_t size;
			uint32_t flags;
			uint8_t region[256];
		} cfg;
		uint8_t raw[512];
	} p;
} __attribute__((packed));

#define DEFAULT_GPA_BASE	0x40000000ULL

static const char *
vu_name(uint32_t req)
{
	static const char *const names[] = {
		[VU_GET_FEATURES] = "GET_FEATURES",
		[VU_SET_FEATURES] = "SET_FEATURES",
		[VU_SET_OWNER] = "SET_OWNER",
		[VU_RESET_OWNER] = "RESET_OWNER",
		[VU_SET_MEM_TABLE] = "SET_MEM_TABLE",
		[VU_SET_LOG_BASE] = "SET_LOG_BASE",
		[VU_SET_LOG_FD] = "SET_LOG_FD",
		[VU_SET_VRING_NUM] = "SET_VRING_NUM",
		[VU_SET_VRING_ADDR] = "SET_VRING_ADDR",
		[VU_SET_VRING_BASE] = "SET_VRING_BASE",
		[VU_GET_VRING_BASE] = "GET_VRING_BASE",
		[VU_SET_VRING_KICK] = "SET_VRING_KICK",
		[VU_SET_VRING_CALL] = "SET_VRING_CALL",
		[VU_SET_VRING_ERR] = "SET_VRING_ERR",
		[VU_GET_PROTOCOL_FEATURES] = "GET_PROTOCOL_FEATURES",
		[VU_SET_PROTOCOL_FEATURES] = "SET_PROTOCOL_FEATURES",
		[VU_GET_QUEUE_NUM] = "GET_QUEUE_NUM",
		[VU_SET_VRING_ENABLE] = "SET_VRING_ENABLE",
		[VU_GET_CONFIG] = "GET_CONFIG",
		[VU_SET_CONFIG] = "SET_CONFIG",
		[VU_SET_STATUS] = "SET_STATUS",
		[VU_GET_STATUS] = "GET_STATUS",
	};

	if (req < sizeof(names) / sizeof(names[0]) && names[req] != NULL)
		return names[req];
	return "UNKNOWN";
}

int
fe_err(struct fe_dev *dev, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->err, sizeof(dev->err), fmt, ap);
	va_end(ap);
	if (dev->cfg.verbose)
		fprintf(stderr, "fe: %s\n", dev->err);
	return ret;
}

const char *
fe_dev_error(const struct fe_dev *dev)
{
	return dev == NULL ? "no device" : dev->err;
}

uint64_t
fe_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void
fe_idle(void)
{
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 20000 };

	nanosleep(&ts, NULL);
}

const char *
fe_state_name(enum fe_state s)
{
	switch (s) {
	case FE_STATE_CREATED:
		return "created";
	case FE_STATE_CONNECTED:
		return "connected";
	case FE_STATE_RUNNING:
		return "running";
	case FE_STATE_STOPPED:
		return "stopped";
	case FE_STATE_BROKEN:
		return "broken";
	}
	return "?";
}

/* ---- feature names ---- */

static const char *const feature_names[64] = {
	[VIRTIO_NET_F_CSUM] = "CSUM",
	[VIRTIO_NET_F_GUEST_CSUM] = "GUEST_CSUM",
	[VIRTIO_NET_F_CTRL_GUEST_OFFLOADS] = "CTRL_GUEST_OFFLOADS",
	[VIRTIO_NET_F_MTU] = "MTU",
	[VIRTIO_NET_F_MAC] = "MAC",
	[VIRTIO_NET_F_GSO] = "GSO",
	[VIRTIO_NET_F_GUEST_TSO4] = "GUEST_TSO4",
	[VIRTIO_NET_F_GUEST_TSO6] = "GUEST_TSO6",
	[VIRTIO_NET_F_GUEST_ECN] = "GUEST_ECN",
	[VIRTIO_NET_F_GUEST_UFO] = "GUEST_UFO",
	[VIRTIO_NET_F_HOST_TSO4] = "HOST_TSO4",
	[VIRTIO_NET_F_HOST_TSO6] = "HOST_TSO6",
	[VIRTIO_NET_F_HOST_ECN] = "HOST_ECN",
	[VIRTIO_NET_F_HOST_UFO] = "HOST_UFO",
	[VIRTIO_NET_F_MRG_RXBUF] = "MRG_RXBUF",
	[VIRTIO_NET_F_STATUS] = "STATUS",
	[VIRTIO_NET_F_CTRL_VQ] = "CTRL_VQ",
	[VIRTIO_NET_F_CTRL_RX] = "CTRL_RX",
	[VIRTIO_NET_F_CTRL_VLAN] = "CTRL_VLAN",
	[VIRTIO_NET_F_CTRL_RX_EXTRA] = "CTRL_RX_EXTRA",
	[VIRTIO_NET_F_GUEST_ANNOUNCE] = "GUEST_ANNOUNCE",
	[VIRTIO_NET_F_MQ] = "MQ",
	[VIRTIO_NET_F_CTRL_MAC_ADDR] = "CTRL_MAC_ADDR",
	[24] = "NOTIFY_ON_EMPTY",
	[26] = "LOG_ALL",
	[27] = "ANY_LAYOUT",
	[28] = "INDIRECT_DESC",
	[29] = "EVENT_IDX",
	[30] = "PROTOCOL_FEATURES",
	[32] = "VERSION_1",
	[33] = "ACCESS_PLATFORM",
	[34] = "RING_PACKED",
	[35] = "IN_ORDER",
	[36] = "ORDER_PLATFORM",
	[37] = "SR_IOV",
	[38] = "NOTIFICATION_DATA",
	[40] = "RING_RESET",
	[VIRTIO_NET_F_DEVICE_STATS] = "DEVICE_STATS",
	[VIRTIO_NET_F_HASH_TUNNEL] = "HASH_TUNNEL",
	[VIRTIO_NET_F_VQ_NOTF_COAL] = "VQ_NOTF_COAL",
	[VIRTIO_NET_F_NOTF_COAL] = "NOTF_COAL",
	[54] = "GUEST_USO4",
	[55] = "GUEST_USO6",
	[56] = "HOST_USO",
	[VIRTIO_NET_F_HASH_REPORT] = "HASH_REPORT",
	[59] = "GUEST_HDRLEN",
	[VIRTIO_NET_F_RSS] = "RSS",
	[VIRTIO_NET_F_RSC_EXT] = "RSC_EXT",
	[VIRTIO_NET_F_STANDBY] = "STANDBY",
	[VIRTIO_NET_F_SPEED_DUPLEX] = "SPEED_DUPLEX",
};

const char *
fe_feature_name(unsigned int bit)
{
	return bit < 64 ? feature_names[bit] : NULL;
}

int
fe_feature_bit(const char *name)
{
	unsigned int i;

	if (strncasecmp(name, "VIRTIO_NET_F_", 13) == 0)
		name += 13;
	else if (strncasecmp(name, "VIRTIO_F_", 9) == 0)
		name += 9;
	else if (strncasecmp(name, "VIRTIO_RING_F_", 14) == 0)
		name += 14;
	for (i = 0; i < 64; i++)
		if (feature_names[i] != NULL &&
				strcasecmp(feature_names[i], name) == 0)
			return (int)i;
	return -1;
}

int
fe_features_format(uint64_t features, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;
	int n;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < 64; i++) {
		if (!(features & FE_BIT(i)))
			continue;
		if (feature_names[i] != NULL)
			n = snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off > 0 ? " " : "", feature_names[i]);
		else
			n = snprintf(buf + off, off < len ? len - off : 0,
				"%sbit%u", off > 0 ? " " : "", i);
		if (n < 0)
			return n;
		off += (size_t)n;
	}
	return (int)off;
}

/* ---- vhost-user transport ---- */

static int
sock_broken(struct fe_dev *dev, int err, const char *what)
{
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	dev->state = FE_STATE_BROKEN;
	if (err == EPIPE || err == ECONNRESET || err == 0)
		return fe_err(dev, err == 0 ? -ECONNRESET : -err,
			"backend closed the connection (%s)", what);
	return fe_err(dev, -err, "vhost-user socket error during %s: %s",
		what, strerror(err));
}

bool
fe_sock_dead(struct fe_dev *dev)
{
	struct pollfd pfd = { .fd = dev->sock, .events = POLLRDHUP };

	if (dev->sock < 0)
		return true;
	if (poll(&pfd, 1, 0) > 0 &&
			(pfd.revents & (POLLHUP | POLLRDHUP | POLLERR))) {
		sock_broken(dev, ECONNRESET, "wait");
		return true;
	}
	return false;
}

static int
vu_send(struct fe_dev *dev, struct vu_msg *msg, const int *fds, int nfds)
{
	char control[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
	struct iovec iov = { .iov_base = msg, .iov_len = VU_HDR_SIZE + msg->size };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (dev->sock < 0)
		return fe_err(dev, -ENOTCONN, "not connected to the backend");
	if (nfds < 0 || nfds > VU_MAX_FDS || msg->size > sizeof(msg->p))
		return fe_err(dev, -EINVAL, "bad vhost-user message");
	if (nfds > 0) {
		struct cmsghdr *c;

		memset(control, 0, sizeof(control));
		mh.msg_control = control;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
	}
	if (dev->cfg.verbose)
		fprintf(stderr, "fe: -> %s flags 0x%x size %u fds %d\n",
			vu_name(msg->request), msg->flags, msg->size, nfds);
	do {
		n = sendmsg(dev->sock, &mh, MSG_NOSIGNAL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return sock_broken(dev, errno, vu_name(msg->request));
	if ((size_t)n != iov.iov_len)
		return sock_broken(dev, EPIPE, vu_name(msg->request));
	return 0;
}

/* Read exactly len bytes within the reply timeout; closes passed fds. */
static int
vu_read_full(struct fe_dev *dev, void *buf, size_t len, uint64_t deadline,
		const char *what)
{
	uint8_t *p = buf;
	size_t got = 0;

	while (got < len) {
		char control[CMSG_SPACE(sizeof(int) * VU_MAX_FDS)];
		struct iovec iov = { .iov_base = p + got, .iov_len = len - got };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = control, .msg_controllen = sizeof(control),
		};
		struct pollfd pfd = { .fd = dev->sock, .events = POLLIN };
		uint64_t now = fe_now_ns();
		struct cmsghdr *c;
		ssize_t n;
		int ret;

		if (now >= deadline)
			return fe_err(dev, -ETIMEDOUT,
				"no reply to %s within %u ms", what,
				dev->cfg.reply_timeout_ms);
		ret = poll(&pfd, 1, (int)((deadline - now) / 1000000ULL) + 1);
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0)
			return sock_broken(dev, errno, what);
		if (ret == 0)
			continue;
		n = recvmsg(dev->sock, &mh, MSG_CMSG_CLOEXEC);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return sock_broken(dev, errno, what);
		if (n == 0)
			return sock_broken(dev, 0, what);
		/* A reply to our requests never carries fds: drop any. */
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
			if (c->cmsg_level == SOL_SOCKET &&
					c->cmsg_type == SCM_RIGHTS) {
				int nf = (int)((c->cmsg_len - CMSG_LEN(0)) /
					sizeof(int));
				int fdv[VU_MAX_FDS], i;

				if (nf > VU_MAX_FDS)
					nf = VU_MAX_FDS;
				memcpy(fdv, CMSG_DATA(c), sizeof(int) * nf);
				for (i = 0; i < nf; i++)
					close(fdv[i]);
			}
		}
		got += (size_t)n;
	}
	return 0;
}

static int
vu_recv_reply(struct fe_dev *dev, uint32_t request, struct vu_msg *reply)
{
	uint64_t deadline = fe_now_ns() +
		(uint64_t)dev->cfg.reply_timeout_ms * 1000000ULL;
	const char *what = vu_name(request);
	int ret;

	ret = vu_read_full(dev, reply, VU_HDR_SIZE, deadline, what);
	if (ret < 0)
		return ret;
	if (reply->size > sizeof(reply->p)) {
		sock_broken(dev, EPROTO, what);
		return fe_err(dev, -EPROTO,
			"backend reply to %s has a %u-byte payload", what,
			reply->size);
	}
	ret = vu_read_full(dev, &reply->p, reply->size, deadline, what);
	if (ret < 0)
		return ret;
	if (dev->cfg.verbose)
		fprintf(stderr, "fe: <- %s flags 0x%x size %u\n",
			vu_name(reply->request), reply->flags, reply->size);
	if (reply->request != request || !(reply->flags & VU_FLAG_REPLY) ||
			(reply->flags & 0x3) != VU_VERSION) {
		sock_broken(dev, EPROTO, what);
		return fe_err(dev, -EPROTO,
			"unexpected reply (request %u flags 0x%x) to %s",
			reply->request, reply->flags, what);
	}
	return 0;
}

static bool
reply_ack_on(const struct fe_dev *dev)
{
	return (dev->proto & FE_BIT(FE_PROTO_REPLY_ACK)) &&
		!dev->cfg.no_reply_ack;
}

/* A message that expects no reply; with REPLY_ACK, ask for and check one. */
static int
vu_set(struct fe_dev *dev, uint32_t request, const void *payload,
		uint32_t size, const int *fds, int nfds)
{
	struct vu_msg msg = { .request = request, .flags = VU_VERSION,
		.size = size };
	struct vu_msg reply;
	int ret;

	if (size > sizeof(msg.p))
		return fe_err(dev, -EINVAL, "payload too large");
	if (size > 0)
		memcpy(&msg.p, payload, size);
	if (reply_ack_on(dev))
		msg.flags |= VU_FLAG_NEED_REPLY;
	ret = vu_send(dev, &msg, fds, nfds);
	if (ret < 0 || !(msg.flags & VU_FLAG_NEED_REPLY))
		return ret;
	ret = vu_recv_reply(dev, request, &reply);
	if (ret < 0)
		return ret;
	if (reply.size != sizeof(uint64_t))
		return fe_err(dev, -EPROTO, "%s ack has %u bytes",
			vu_name(request), reply.size);
	if (reply.p.u64 != 0)
		return fe_err(dev, -EIO, "backend rejected %s (ack %" PRIu64 ")",
			vu_name(request), reply.p.u64);
	return 0;
}

static int
vu_set_u64(struct fe_dev *dev, uint32_t request, uint64_t v)
{
	return vu_set(dev, request, &v, sizeof(v), NULL, 0);
}

/* A request with a reply: payload in, reply payload out. */
static int
vu_get(struct fe_dev *dev, uint32_t request, const void *payload,
		uint32_t size, struct vu_msg *reply)
{
	struct vu_msg msg = { .request = request, .flags = VU_VERSION,
		.size = size };
	int ret;

	if (size > 0)
		memcpy(&msg.p, payload, size);
	ret = vu_send(dev, &msg, NULL, 0);
	if (ret < 0)
		return ret;
	return vu_recv_reply(dev, request, reply);
}

static int
vu_get_u64(struct fe_dev *dev, uint32_t request, uint64_t *v)
{
	struct vu_msg reply;
	int ret;

	ret = vu_get(dev, request, NULL, 0, &reply);
	if (ret < 0)
		return ret;
	if (reply.size != sizeof(uint64_t))
		return fe_err(dev, -EPROTO, "%s reply has %u bytes",
			vu_name(request), reply.size);
	*v = reply.p.u64;
	return 0;
}

int
fe_vu_raw(struct fe_dev *dev, uint32_t request, uint32_t flags,
		const void *payload, uint32_t size, const int *fds, int nfds,
		void *reply, uint32_t reply_len)
{
	struct vu_msg msg = { .request = request,
		.flags = flags ? flags : VU_VERSION, .size = size };
	struct vu_msg r;
	int ret;

	if (size > sizeof(msg.p))
		return fe_err(dev, -EINVAL, "raw payload larger than %zu",
			sizeof(msg.p));
	if (size > 0)
		memcpy(&msg.p, payload, size);
	ret = vu_send(dev, &msg, fds, nfds);
	if (ret < 0 || reply == NULL)
		return ret;
	ret = vu_recv_reply(dev, request, &r);
	if (ret < 0)
		return ret;
	memcpy(reply, &r.p, r.size < reply_len ? r.size : reply_len);
	return (int)r.size;
}

/* ---- configuration ---- */

void
fe_config_init(struct fe_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->feature_mask = FE_FEATURES_ALL;
	cfg->protocol_mask = FE_PROTOCOL_ALL;
	cfg->ring_size = 256;
	cfg->ctrl_ring_size = 64;
	cfg->rx_buf_len = 2048;
	cfg->gpa_base = DEFAULT_GPA_BASE;
	cfg->ctrl_timeout_ms = 1000;
	cfg->reply_timeout_ms = 10000;
	cfg->connect_timeout_ms = 5000;
	cfg->ctrl_spin_ns = 20000;
}

static bool
pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

int
fe_dev_create(const struct fe_config *cfg, struct fe_dev **out, char *err,
		size_t errlen)
{
	struct fe_dev *dev;

	*out = NULL;
	if (cfg->socket_path == NULL || cfg->socket_path[0] == '\0' ||
			strlen(cfg->socket_path) >=
			sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
		snprintf(err, errlen, "socket path missing or too long");
		return -EINVAL;
	}
	if (!pow2(cfg->ring_size) || cfg->ring_size > 32768 ||
			!pow2(cfg->ctrl_ring_size) || cfg->ctrl_ring_size > 4096) {
		snprintf(err, errlen, "ring sizes must be powers of two");
		return -EINVAL;
	}
	if (cfg->rx_buf_len < 64 || cfg->rx_buf_len > 65536) {
		snprintf(err, errlen, "rx_buf_len must be 64..65536");
		return -EINVAL;
	}
	if (cfg->nr_pairs > FE_MAX_PAIRS) {
		snprintf(err, errlen, "at most %u queue pairs", FE_MAX_PAIRS);
		return -EINVAL;
	}
	if (cfg->gpa_base % 4096 != 0) {
		snprintf(err, errlen, "gpa_base must be page aligned");
		return -EINVAL;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	dev->cfg = *cfg;
	dev->path = strdup(cfg->socket_path);
	dev->cfg.socket_path = dev->path;
	dev->sock = -1;
	dev->mem.fd = -1;
	dev->ctrl_idx = -1;
	dev->cvq.kickfd = dev->cvq.callfd = -1;
	dev->layout = FE_LAYOUT_SPLIT;
	dev->state = FE_STATE_CREATED;
	if (dev->path == NULL) {
		free(dev);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (dev->cfg.ctrl_timeout_ms == 0)
		dev->cfg.ctrl_timeout_ms = 1000;
	if (dev->cfg.reply_timeout_ms == 0)
		dev->cfg.reply_timeout_ms = 10000;
	*out = dev;
	return 0;
}

static int
sock_connect(struct fe_dev *dev)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t deadline = fe_now_ns() +
		(uint64_t)dev->cfg.connect_timeout_ms * 1000000ULL;
	int fd, ret;

	strncpy(sa.sun_path, dev->path, sizeof(sa.sun_path) - 1);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return fe_err(dev, -errno, "socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		ret = errno;
		close(fd);
		if ((ret != ENOENT && ret != ECONNREFUSED) ||
				fe_now_ns() >= deadline)
			return fe_err(dev, -ret, "connect %s: %s", dev->path,
				strerror(ret));
		usleep(10000);
	}
	dev->sock = fd;
	return 0;
}

static uint16_t
cfg_le16(const struct fe_dev *dev, uint32_t off)
{
	if (!dev->have_config || off + 2 > dev->config_len)
		return 0;
	return (uint16_t)(dev->config[off] | dev->config[off + 1] << 8);
}

/* GET_CONFIG of the first len bytes. DPDK's handler ignores the offset, so
 * always ask from offset 0. Returns 0, or -EIO if the device answered with
 * no data.
 */
static int
read_config(struct fe_dev *dev, uint32_t len, uint8_t *out)
{
	struct vu_msg reply;
	struct {
		uint32_t offset, size, flags;
		uint8_t region[256];
	} __attribute__((packed)) req = { .offset = 0, .size = len };
	int ret;

	if (len > sizeof(req.region))
		return fe_err(dev, -EINVAL, "config read beyond 256 bytes");
	ret = vu_get(dev, VU_GET_CONFIG, &req, 12 + len, &reply);
	if (ret < 0)
		return ret;
	if (reply.size != 12 + len || reply.p.cfg.size != len)
		return fe_err(dev, -EIO,
			"device returned no config space (%u bytes asked)", len);
	memcpy(out, reply.p.cfg.region, len);
	return 0;
}

static void
learn_config(struct fe_dev *dev)
{
	static const uint32_t sizes[] = {
		sizeof(struct virtio_net_config), 12, 10
	};
	unsigned int i;

	dev->have_config = false;
	dev->config_len = 0;
	if (!(dev->proto & FE_BIT(FE_PROTO_CONFIG)))
		return;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (read_config(dev, sizes[i], dev->config) == 0) {
			dev->have_config = true;
			dev->config_len = sizes[i];
			return;
		}
		if (dev->sock < 0)
			return;	/* the connection died */
	}
}

/* Connect and learn the offer; also used by resume. */
static int
handshake(struct fe_dev *dev)
{
	uint64_t v;
	int ret;

	dev->proto = 0;
	ret = sock_connect(dev);
	if (ret < 0)
		return ret;
	ret = vu_set(dev, VU_SET_OWNER, NULL, 0, NULL, 0);
	if (ret < 0)
		return ret;
	ret = vu_get_u64(dev, VU_GET_FEATURES, &dev->dev_features);
	if (ret < 0)
		return ret;
	dev->proto_offered = 0;
	if (dev->dev_features & FE_BIT(FE_F_PROTOCOL_FEATURES)) {
		ret = vu_get_u64(dev, VU_GET_PROTOCOL_FEATURES,
			&dev->proto_offered);
		if (ret < 0)
			return ret;
		v = dev->proto_offered & dev->cfg.protocol_mask & FE_PROTOCOL_ALL;
		ret = vu_set_u64(dev, VU_SET_PROTOCOL_FEATURES, v);
		if (ret < 0)
			return ret;
		/* From here on REPLY_ACK applies. */
		dev->proto = v;
	}
	dev->queue_num = 0;
	if (dev->proto & FE_BIT(FE_PROTO_MQ)) {
		ret = vu_get_u64(dev, VU_GET_QUEUE_NUM, &v);
		if (ret < 0)
			return ret;
		dev->queue_num = v > 0xffff ? 0xffff : (uint16_t)v;
	}
	learn_config(dev);
	if (dev->sock < 0)
		return -ECONNRESET;
	dev->status = 0;
	if (dev->proto & FE_BIT(FE_PROTO_STATUS)) {
		dev->status = VIRTIO_CONFIG_S_ACKNOWLEDGE;
		ret = vu_set_u64(dev, VU_SET_STATUS, dev->status);
		if (ret < 0)
			return ret;
		dev->status |= VIRTIO_CONFIG_S_DRIVER;
		ret = vu_set_u64(dev, VU_SET_STATUS, dev->status);
		if (ret < 0)
			return ret;
	}
	/* Device maximum: config space first (it also places the CVQ), then
	 * GET_QUEUE_NUM.
	 */
	v = cfg_le16(dev, offsetof(struct virtio_net_config,
		max_virtqueue_pairs));
	if (v < 1 || v > 0x8000)
		v = dev->queue_num;
	dev->max_pairs = (uint16_t)(v == 0 ? 1 : v);
	return 0;
}

int
fe_dev_connect(struct fe_dev *dev)
{
	int ret;

	if (dev->state != FE_STATE_CREATED && dev->state != FE_STATE_BROKEN)
		return fe_err(dev, -EBUSY, "already connected (%s)",
			fe_state_name(dev->state));
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	dev->err[0] = '\0';
	ret = handshake(dev);
	if (ret < 0) {
		if (dev->sock >= 0) {
			close(dev->sock);
			dev->sock = -1;
		}
		dev->state = dev->rings_built ? FE_STATE_BROKEN :
			FE_STATE_CREATED;
		return ret;
	}
	dev->state = FE_STATE_CONNECTED;
	return 0;
}

#define CTRL_DEPENDENT (FE_BIT(VIRTIO_NET_F_CTRL_RX) | \
	FE_BIT(VIRTIO_NET_F_CTRL_VLAN) | FE_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA) | \
	FE_BIT(VIRTIO_NET_F_GUEST_ANNOUNCE) | FE_BIT(VIRTIO_NET_F_MQ) | \
	FE_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	FE_BIT(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | \
	FE_BIT(VIRTIO_NET_F_NOTF_COAL) | FE_BIT(VIRTIO_NET_F_VQ_NOTF_COAL) | \
	FE_BIT(VIRTIO_NET_F_DEVICE_STATS) | FE_BIT(VIRTIO_NET_F_HASH_TUNNEL) | \
	FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT))

/* The features to ask for: offer & mask, minus what the spec's dependency
 * rules forbid (as Linux does: CTRL_VQ-dependent bits need CTRL_VQ).
 */
static uint64_t
choose_features(const struct fe_dev *dev)
{
	uint64_t f;

	if (dev->cfg.force_features != 0)
		return dev->cfg.force_features;
	f = dev->dev_features & dev->cfg.feature_mask & FE_FEATURES_ALL;
	/* The layout is the user's choice, not the device's offer. */
	if (!dev->cfg.packed)
		f &= ~FE_BIT(FE_F_RING_PACKED);
	if (!(f & FE_BIT(VIRTIO_NET_F_CTRL_VQ)))
		f &= ~CTRL_DEPENDENT;
	if (!(f & FE_BIT(VIRTIO_NET_F_CTRL_RX)))
		f &= ~FE_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA);
	if (!(f & (FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT))))
		f &= ~FE_BIT(VIRTIO_NET_F_HASH_TUNNEL);
	/* Without a device maximum we cannot place the CVQ of an MQ device. */
	if (dev->max_pairs == 0)
		f &= ~(FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS));
	if (!(dev->proto & FE_BIT(FE_PROTO_MQ)) && !dev->have_config)
		f &= ~(FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS));
	if (!(f & (FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT))))
		f &= ~FE_BIT(VIRTIO_NET_F_HASH_TUNNEL);
	return f;
}

/* Everything derived from the negotiated features. */
static int
derive_layout(struct fe_dev *dev)
{
	uint64_t f = dev->features;
	bool multi = f & (FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS));
	uint16_t pairs = multi ? dev->max_pairs : 1;
	uint16_t mtu;

	if (!(f & FE_BIT(32)) && dev->cfg.force_features == 0)
		return fe_err(dev, -ENOTSUP,
			"device does not offer VERSION_1 (legacy is not supported)");
	if (dev->cfg.packed && !(f & FE_BIT(FE_F_RING_PACKED)) &&
			dev->cfg.force_features == 0)
		return fe_err(dev, -ENOTSUP,
			"packed rings asked, the device does not offer RING_PACKED");
	dev->mrg = f & FE_BIT(VIRTIO_NET_F_MRG_RXBUF);
	if (f & FE_BIT(VIRTIO_NET_F_HASH_REPORT))
		dev->hdr_len = sizeof(struct virtio_net_hdr_v1_hash);
	else if (f & (FE_BIT(32) | FE_BIT(VIRTIO_NET_F_MRG_RXBUF)))
		dev->hdr_len = sizeof(struct virtio_net_hdr_v1);
	else
		dev->hdr_len = sizeof(struct virtio_net_hdr);

	dev->nr_pairs = dev->cfg.nr_pairs ? dev->cfg.nr_pairs :
		(pairs < FE_MAX_PAIRS ? pairs : FE_MAX_PAIRS);
	if (dev->nr_pairs > pairs)
		return fe_err(dev, -EINVAL,
			"%u queue pairs asked, the device has %u%s: ask for %u at"
			" most, or give the device more (cvqsim: devarg queues=%u)",
			dev->nr_pairs, pairs, multi ? "" : " (MQ/RSS not negotiated)",
			pairs, dev->nr_pairs);
	dev->ctrl_idx = -1;
	dev->nr_vrings = (uint16_t)(2 * dev->nr_pairs);
	if (f & FE_BIT(VIRTIO_NET_F_CTRL_VQ)) {
		dev->ctrl_idx = 2 * pairs;
		/* Kick/call messages carry the vring index in 8 bits. */
		if (dev->ctrl_idx > (int)VU_VRING_IDX_MASK)
			return fe_err(dev, -ERANGE,
				"control queue index %d cannot be addressed over vhost-user",
				dev->ctrl_idx);
		dev->nr_vrings = (uint16_t)(dev->ctrl_idx + 1);
	}
	dev->ring_size = dev->cfg.ring_size;
	dev->ctrl_ring_size = dev->cfg.ctrl_ring_size;
	mtu = (f & FE_BIT(VIRTIO_NET_F_MTU)) ? cfg_le16(dev, 10) : 0;
	if (mtu < 1500)
		mtu = 1500;
	/* Largest frame: MTU + Ethernet + VLAN tag, within FRAME_MAX_LEN. */
	dev->tx_slot_len = mtu + 18u;
	if (dev->tx_slot_len > FRAME_MAX_LEN)
		dev->tx_slot_len = FRAME_MAX_LEN;
	dev->tx_slot_len = (dev->tx_slot_len + dev->hdr_len + 63u) & ~63u;
	dev->rx_buf_len = dev->cfg.rx_buf_len;
	if (!dev->mrg && dev->rx_buf_len < dev->tx_slot_len)
		dev->rx_buf_len = dev->tx_slot_len;
	if (dev->rx_buf_len <= dev->hdr_len)
		return fe_err(dev, -EINVAL, "rx_buf_len below the header size");
	return 0;
}

static uint64_t
mem_needed(const struct fe_dev *dev)
{
	uint64_t ring = 4096ULL * 3 + 16ULL * dev->ring_size +
		8ULL * dev->ring_size + 4096;
	uint64_t per_pair = 2 * ring +
		(uint64_t)dev->ring_size * (dev->rx_buf_len + dev->tx_slot_len + 64);
	uint64_t ctrl = 4096ULL * 3 + 32ULL * dev->ctrl_ring_size +
		(uint64_t)dev->ctrl_ring_size * DRV_VQ_INDIRECT_MAX * 16 +
		(uint64_t)dev->ctrl_ring_size *
		(2 + FE_CTRL_MAX_DATA + 1 + FE_CTRL_MAX_RESULT + 128);

	return per_pair * dev->nr_pairs + ctrl + (1ULL << 20);
}

static void
free_rings(struct fe_dev *dev)
{
	uint16_t i;

	fe_traffic_free(dev);
	if (dev->pairs != NULL) {
		for (i = 0; i < dev->nr_pairs; i++) {
			drv_vq_free(&dev->pairs[i].rx);
			drv_vq_free(&dev->pairs[i].tx);
		}
		free(dev->pairs);
		dev->pairs = NULL;
	}
	drv_vq_free(&dev->cvq);
	free(dev->cslots);
	dev->cslots = NULL;
	free(dev->bases);
	free(dev->have_base);
	dev->bases = NULL;
	dev->have_base = NULL;
	dev->ctrl_in_flight = 0;
	dev->rings_built = false;
}

/* Carve guest memory into fresh rings and buffers. */
static int
build_rings(struct fe_dev *dev)
{
	uint32_t flags = 0, cflags;
	uint64_t need = dev->cfg.mem_size ? dev->cfg.mem_size : mem_needed(dev);
	uint16_t i;
	int ret;

	free_rings(dev);
	if (dev->mem.va == NULL || dev->mem.size < need) {
		drv_mem_free(&dev->mem);
		ret = drv_mem_init(&dev->mem, need, dev->cfg.gpa_base);
		if (ret < 0)
			return fe_err(dev, ret, "guest memory of %" PRIu64
				" bytes: %s", need, strerror(-ret));
	}
	dev->mem.used = 0;
	if (dev->features & FE_BIT(29))
		flags |= DRV_VQ_F_EVENT_IDX;
	if (dev->features & FE_BIT(FE_F_RING_PACKED))
		flags |= DRV_VQ_F_PACKED;
	cflags = flags;
	/* Only the CVQ gets indirect tables: the data path never uses them
	 * and they cost DRV_VQ_INDIRECT_MAX descriptors per ring entry.
	 */
	if (dev->features & FE_BIT(28))
		cflags |= DRV_VQ_F_INDIRECT;

	dev->pairs = calloc(dev->nr_pairs ? dev->nr_pairs : 1,
		sizeof(*dev->pairs));
	dev->bases = calloc(dev->nr_vrings, sizeof(*dev->bases));
	dev->have_base = calloc(dev->nr_vrings, sizeof(*dev->have_base));
	if (dev->pairs == NULL || dev->bases == NULL || dev->have_base == NULL)
		goto nomem;
	for (i = 0; i < dev->nr_pairs; i++) {
		ret = drv_vq_init(&dev->pairs[i].rx, &dev->mem, 2 * i,
			dev->ring_size, flags);
		if (ret == 0)
			ret = drv_vq_init(&dev->pairs[i].tx, &dev->mem, 2 * i + 1,
				dev->ring_size, flags);
		if (ret < 0)
			goto fail;
	}
	if (dev->ctrl_idx >= 0) {
		ret = drv_vq_init(&dev->cvq, &dev->mem, (uint16_t)dev->ctrl_idx,
			dev->ctrl_ring_size, cflags);
		if (ret < 0)
			goto fail;
		ret = fe_ctrl_setup(dev);
		if (ret < 0)
			goto fail;
	}
	ret = fe_traffic_setup(dev);
	if (ret < 0)
		goto fail;
	dev->rings_built = true;
	return 0;
nomem:
	ret = -ENOMEM;
fail:
	free_rings(dev);
	return fe_err(dev, ret, "building rings: %s", strerror(-ret));
}

/* Every created driver-side queue, by vring index. */
struct drv_vq *
fe_dev_vq(struct fe_dev *dev, uint16_t vring)
{
	if (!dev->rings_built)
		return NULL;
	if (dev->ctrl_idx >= 0 && vring == dev->ctrl_idx)
		return &dev->cvq;
	if (vring >= 2 * dev->nr_pairs)
		return NULL;
	return vring & 1 ? &dev->pairs[vring / 2].tx : &dev->pairs[vring / 2].rx;
}

static int
send_mem_table(struct fe_dev *dev)
{
	struct {
		uint32_t nregions, padding;
		struct vu_mem_region region;
	} __attribute__((packed)) m = {
		.nregions = 1,
		.region = {
			.gpa = dev->mem.gpa,
			.size = dev->mem.size,
			.uaddr = (uint64_t)(uintptr_t)dev->mem.va,
			.mmap_offset = 0,
		},
	};

	return vu_set(dev, VU_SET_MEM_TABLE, &m, sizeof(m), &dev->mem.fd, 1);
}

static int
setup_vring(struct fe_dev *dev, struct drv_vq *vq, uint16_t base)
{
	struct { uint32_t index, num; } st = { vq->index, vq->size };
	struct {
		uint32_t index, flags;
		uint64_t desc, used, avail, log;
	} __attribute__((packed)) addr = {
		.index = vq->index,
		/* Ring addresses are in the frontend's address space. */
		.desc = (uint64_t)(uintptr_t)vq->desc,
		.used = (uint64_t)(uintptr_t)vq->used,
		.avail = (uint64_t)(uintptr_t)vq->avail,
	};
	uint64_t idx = vq->index;
	int ret;

	ret = vu_set(dev, VU_SET_VRING_NUM, &st, sizeof(st), NULL, 0);
	if (ret < 0)
		return ret;
	st.num = base;
	ret = vu_set(dev, VU_SET_VRING_BASE, &st, sizeof(st), NULL, 0);
	if (ret < 0)
		return ret;
	ret = vu_set(dev, VU_SET_VRING_ADDR, &addr, sizeof(addr), NULL, 0);
	if (ret < 0)
		return ret;
	ret = vu_set(dev, VU_SET_VRING_CALL, &idx, sizeof(idx), &vq->callfd, 1);
	if (ret < 0)
		return ret;
	return vu_set(dev, VU_SET_VRING_KICK, &idx, sizeof(idx), &vq->kickfd, 1);
}

int
fe_vring_enable(struct fe_dev *dev, uint16_t vring, bool on)
{
	struct { uint32_t index, num; } st = { vring, on ? 1 : 0 };

	if (dev->sock < 0)
		return fe_err(dev, -ENOTCONN, "not connected");
	if (!(dev->features & FE_BIT(FE_F_PROTOCOL_FEATURES)))
		return fe_err(dev, -ENOTSUP,
			"SET_VRING_ENABLE needs PROTOCOL_FEATURES");
	return vu_set(dev, VU_SET_VRING_ENABLE, &st, sizeof(st), NULL, 0);
}

static int
set_status(struct fe_dev *dev, uint8_t status)
{
	int ret;

	if (!(dev->proto & FE_BIT(FE_PROTO_STATUS)))
		return 0;
	ret = vu_set_u64(dev, VU_SET_STATUS, status);
	if (ret == 0)
		dev->status = status;
	return ret;
}

int
fe_dev_get_status(struct fe_dev *dev, uint8_t *status)
{
	uint64_t v;
	int ret;

	if (!(dev->proto & FE_BIT(FE_PROTO_STATUS)))
		return fe_err(dev, -ENOTSUP, "STATUS protocol feature not negotiated");
	ret = vu_get_u64(dev, VU_GET_STATUS, &v);
	if (ret < 0)
		return ret;
	*status = (uint8_t)v;
	return 0;
}

/* Base a vring restarts from: the device's GET_VRING_BASE answer, else the
 * device's own completion index (what QEMU does after a backend crash).
 */
static uint16_t
resume_base(struct fe_dev *dev, struct drv_vq *vq)
{
	if (dev->have_base[vq->index] == 1)
		return dev->bases[vq->index];
	return drv_vq_device_used_base(vq);
}

/* SET_FEATURES through DRIVER_OK, on the current connection. */
static int
bring_up(struct fe_dev *dev, bool fresh)
{
	uint8_t st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	uint16_t i;
	int ret;

	ret = vu_set_u64(dev, VU_SET_FEATURES, dev->features);
	if (ret < 0)
		return ret;
	if (dev->proto & FE_BIT(FE_PROTO_STATUS)) {
		uint8_t got = 0;

		st |= VIRTIO_CONFIG_S_FEATURES_OK;
		ret = set_status(dev, st);
		if (ret < 0)
			return ret;
		ret = fe_dev_get_status(dev, &got);
		if (ret < 0)
			return ret;
		if (!(got & VIRTIO_CONFIG_S_FEATURES_OK))
			return fe_err(dev, -EPROTO,
				"device cleared FEATURES_OK: features 0x%" PRIx64
				" refused", dev->features);
	}
	if (fresh) {
		ret = build_rings(dev);
		if (ret < 0)
			return ret;
	}
	ret = send_mem_table(dev);
	if (ret < 0)
		return ret;
	for (i = 0; i < dev->nr_vrings; i++) {
		struct drv_vq *vq = fe_dev_vq(dev, i);

		if (vq == NULL)
			continue;
		ret = setup_vring(dev, vq, fresh ? drv_vq_avail_base(vq) :
			resume_base(dev, vq));
		if (ret < 0)
			return ret;
	}
	if (dev->features & FE_BIT(FE_F_PROTOCOL_FEATURES)) {
		for (i = 0; i < dev->nr_vrings; i++) {
			if (fe_dev_vq(dev, i) == NULL || (dev->cfg.cvq_first &&
					(int)i != fe_ctrl_vq_index(dev)))
				continue;
			ret = fe_vring_enable(dev, i, true);
			if (ret < 0)
				return ret;
		}
	}
	if (fresh)
		fe_traffic_post_rx(dev);
	ret = set_status(dev, st | VIRTIO_CONFIG_S_DRIVER_OK);
	if (ret < 0)
		return ret;
	for (i = 0; i < dev->nr_vrings; i++) {
		struct drv_vq *vq = fe_dev_vq(dev, i);

		if (vq != NULL) {
			drv_vq_publish(vq);
			drv_vq_notify(vq);
		}
		if (dev->have_base[i] == 1)
			dev->have_base[i] = 2;
	}
	dev->state = FE_STATE_RUNNING;
	return 0;
}

int
fe_dev_start(struct fe_dev *dev)
{
	int ret;

	if (dev->state == FE_STATE_STOPPED && dev->sock >= 0 &&
			dev->rings_built) {
		ret = bring_up(dev, false);
		goto out;
	}
	if (dev->state != FE_STATE_CONNECTED)
		return fe_err(dev, -EINVAL, "start needs a connected device (%s)",
			fe_state_name(dev->state));
	dev->features = choose_features(dev);
	ret = derive_layout(dev);
	if (ret < 0)
		return ret;
	ret = bring_up(dev, true);
out:
	if (ret < 0 && dev->state != FE_STATE_BROKEN)
		dev->state = FE_STATE_CONNECTED;
	return ret;
}

int
fe_dev_stop(struct fe_dev *dev)
{
	struct vu_msg reply;
	uint16_t i;
	int ret = 0;

	if (dev->state != FE_STATE_RUNNING)
		return fe_err(dev, -EINVAL, "stop needs a running device (%s)",
			fe_state_name(dev->state));
	if (dev->features & FE_BIT(FE_F_PROTOCOL_FEATURES)) {
		for (i = 0; i < dev->nr_vrings && ret == 0; i++)
			if (fe_dev_vq(dev, i) != NULL)
				ret = fe_vring_enable(dev, i, false);
	}
	for (i = 0; i < dev->nr_vrings && ret == 0; i++) {
		struct { uint32_t index, num; } st = { i, 0 };

		if (fe_dev_vq(dev, i) == NULL)
			continue;
		ret = vu_get(dev, VU_GET_VRING_BASE, &st, sizeof(st), &reply);
		if (ret < 0)
			break;
		if (reply.size != 8 || reply.p.state.index != i) {
			ret = fe_err(dev, -EPROTO, "bad GET_VRING_BASE reply for %u",
				i);
			break;
		}
		dev->bases[i] = (uint16_t)reply.p.state.num;
		dev->have_base[i] = 1;
	}
	if (ret < 0 && dev->state != FE_STATE_BROKEN)
		return ret;
	if (dev->state != FE_STATE_BROKEN)
		dev->state = FE_STATE_STOPPED;
	return ret;
}

int
fe_dev_set_socket(struct fe_dev *dev, const char *path)
{
	char *p;

	if (dev->state == FE_STATE_RUNNING || dev->state == FE_STATE_CONNECTED)
		return fe_err(dev, -EBUSY, "connected: stop before changing "
			"the socket");
	if (path == NULL || path[0] == '\0' ||
			strlen(path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path))
		return fe_err(dev, -EINVAL, "socket path missing or too long");
	p = strdup(path);
	if (p == NULL)
		return fe_err(dev, -ENOMEM, "out of memory");
	free(dev->path);
	dev->path = p;
	dev->cfg.socket_path = p;
	return 0;
}

int
fe_dev_resume(struct fe_dev *dev)
{
	uint64_t old_proto = dev->proto;
	int ret;

	if (!dev->rings_built ||
			(dev->state != FE_STATE_STOPPED &&
			 dev->state != FE_STATE_BROKEN))
		return fe_err(dev, -EINVAL,
			"resume needs a stopped or broken device with rings (%s)",
			fe_state_name(dev->state));
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	ret = handshake(dev);
	if (ret < 0)
		goto fail;
	if ((dev->features & ~dev->dev_features) != 0 &&
			dev->cfg.force_features == 0) {
		ret = fe_err(dev, -EPROTO,
			"device no longer offers features 0x%" PRIx64,
			dev->features & ~dev->dev_features);
		goto fail;
	}
	if (dev->proto != old_proto) {
		ret = fe_err(dev, -EPROTO,
			"protocol features changed (0x%" PRIx64 " -> 0x%" PRIx64 ")",
			old_proto, dev->proto);
		goto fail;
	}
	ret = bring_up(dev, false);
	if (ret < 0)
		goto fail;
	dev->reconnects++;
	return 0;
fail:
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	dev->state = FE_STATE_BROKEN;
	return ret;
}

int
fe_dev_reset(struct fe_dev *dev)
{
	int ret = 0;

	if (dev->state == FE_STATE_RUNNING)
		ret = fe_dev_stop(dev);
	if (dev->sock >= 0 && dev->state != FE_STATE_BROKEN) {
		int r = set_status(dev, 0);

		if (r < 0 && ret == 0)
			ret = r;
	}
	fe_ctrl_forget(dev);
	fe_traffic_forget(dev);
	free_rings(dev);
	if (dev->sock >= 0 && dev->state != FE_STATE_BROKEN) {
		/* Status 0 undid ACKNOWLEDGE | DRIVER: do them again. */
		dev->state = FE_STATE_CONNECTED;
		if (dev->proto & FE_BIT(FE_PROTO_STATUS)) {
			int r = set_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				VIRTIO_CONFIG_S_DRIVER);

			if (r < 0 && ret == 0)
				ret = r;
		}
	} else {
		if (dev->sock >= 0)
			close(dev->sock);
		dev->sock = -1;
		dev->state = FE_STATE_CREATED;
	}
	return ret;
}

void
fe_dev_disconnect(struct fe_dev *dev)
{
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	if (dev->state != FE_STATE_CREATED)
		dev->state = dev->rings_built ? FE_STATE_BROKEN : FE_STATE_CREATED;
}

void
fe_dev_destroy(struct fe_dev *dev)
{
	if (dev == NULL)
		return;
	if (dev->state == FE_STATE_RUNNING && dev->sock >= 0)
		fe_dev_stop(dev);
	if (dev->sock >= 0)
		close(dev->sock);
	free_rings(dev);
	drv_mem_free(&dev->mem);
	free(dev->path);
	free(dev);
}

int
fe_dev_open(const struct fe_config *cfg, struct fe_dev **out, char *err,
		size_t errlen)
{
	struct fe_dev *dev;
	int ret;

	ret = fe_dev_create(cfg, &dev, err, errlen);
	if (ret < 0)
		return ret;
	ret = fe_dev_connect(dev);
	if (ret == 0)
		ret = fe_dev_start(dev);
	if (ret < 0) {
		snprintf(err, errlen, "%s", dev->err);
		fe_dev_destroy(dev);
		return ret;
	}
	*out = dev;
	return 0;
}

int
fe_dev_info_get(const struct fe_dev *dev, struct fe_dev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->state = dev->state;
	info->socket_path = dev->path;
	info->device_features = dev->dev_features;
	info->features = dev->features;
	info->protocol_offered = dev->proto_offered;
	info->protocol_features = dev->proto;
	info->queue_num = dev->queue_num;
	info->max_pairs = dev->max_pairs;
	info->nr_pairs = dev->nr_pairs;
	info->nr_vrings = dev->nr_vrings;
	info->ctrl_vq = dev->ctrl_idx;
	info->hdr_len = dev->hdr_len;
	info->ring_size = dev->ring_size;
	info->ctrl_ring_size = dev->ctrl_ring_size;
	info->rx_buf_len = dev->rx_buf_len;
	info->mergeable = dev->mrg;
	info->status = dev->status;
	info->have_config = dev->have_config;
	info->config_len = dev->config_len;
	memcpy(info->config, dev->config, sizeof(info->config));
	if (dev->have_config && dev->config_len >= 6)
		memcpy(info->mac, dev->config, 6);
	info->link_status = cfg_le16(dev, 6);
	info->mtu = cfg_le16(dev, 10);
	info->gpa_base = dev->mem.gpa;
	info->mem_size = dev->mem.size;
	info->reconnects = dev->reconnects;
	return 0;
}

int
fe_dev_read_config(struct fe_dev *dev, uint32_t off, void *buf, uint32_t len)
{
	uint8_t tmp[256];
	int ret;

	if (!(dev->proto & FE_BIT(FE_PROTO_CONFIG)))
		return fe_err(dev, -ENOTSUP, "CONFIG protocol feature not negotiated");
	if (off > sizeof(tmp) || len > sizeof(tmp) - off)
		return fe_err(dev, -EINVAL, "config range beyond 256 bytes");
	ret = read_config(dev, off + len, tmp);
	if (ret < 0)
		return ret;
	memcpy(buf, tmp + off, len);
	if (off + len >= dev->config_len) {
		memcpy(dev->config, tmp, off + len);
		dev->config_len = off + len;
		dev->have_config = true;
	}
	return 0;
}

int
fe_ctrl_vq_index(const struct fe_dev *dev)
{
	return dev->ctrl_idx >= 0 ? dev->ctrl_idx : -ENOTSUP;
}

int
fe_dev_vring_base(const struct fe_dev *dev, uint16_t vring, uint16_t *base)
{
	if (dev->bases == NULL || vring >= dev->nr_vrings ||
			dev->have_base[vring] == 0)
		return -ENOENT;
	*base = dev->bases[vring];
	return 0;
}
