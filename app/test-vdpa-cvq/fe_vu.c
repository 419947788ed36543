/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * vhost-user protocol client: requests out (with their fds), replies in,
 * REPLY_ACK, a socket that died. The messages follow the vhost-user
 * specification (QEMU docs/interop/vhost-user.rst); the code is this
 * project's own.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fe_vu.h"

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
int
fe_vu_set(struct fe_dev *dev, uint32_t request, const void *payload,
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

int
fe_vu_set_u64(struct fe_dev *dev, uint32_t request, uint64_t v)
{
	return fe_vu_set(dev, request, &v, sizeof(v), NULL, 0);
}

/* A request with a reply: payload in, reply payload out. */
int
fe_vu_get(struct fe_dev *dev, uint32_t request, const void *payload,
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

int
fe_vu_get_u64(struct fe_dev *dev, uint32_t request, uint64_t *v)
{
	struct vu_msg reply;
	int ret;

	ret = fe_vu_get(dev, request, NULL, 0, &reply);
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

