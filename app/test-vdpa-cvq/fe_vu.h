/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_VU_H
#define FE_VU_H

/*
 * The vhost-user protocol as the frontend speaks it (fe_vu.c): the
 * messages (QEMU docs/interop/vhost-user.rst), sending a request with its
 * file descriptors, waiting for a reply, and the socket's health.
 */

#include <stdbool.h>
#include <stdint.h>

#include "fe_dev.h"
#include "vu_msg.h"


/* Whether the backend connection has hung up (checked without blocking). */
bool fe_sock_dead(struct fe_dev *dev);

/**
 * Send one raw vhost-user message (hardening): request code, payload,
 * optional fds. With @p reply set, waits for a reply and copies up to
 * @p reply_len bytes of its payload into @p reply.
 */
int fe_vu_raw(struct fe_dev *dev, uint32_t request, uint32_t flags,
		const void *payload, uint32_t size, const int *fds, int nfds,
		void *reply, uint32_t reply_len);


/*
 * A request that expects no reply; with REPLY_ACK negotiated, asks for
 * the ack and checks it. 0 or -errno with the device's error set.
 */
int fe_vu_set(struct fe_dev *dev, uint32_t request, const void *payload,
		uint32_t size, const int *fds, int nfds);
int fe_vu_set_u64(struct fe_dev *dev, uint32_t request, uint64_t v);
/* A request with a reply: payload in, the reply message out. */
int fe_vu_get(struct fe_dev *dev, uint32_t request, const void *payload,
		uint32_t size, struct vu_msg *reply);
/* A request whose reply is one u64. */
int fe_vu_get_u64(struct fe_dev *dev, uint32_t request, uint64_t *v);

#endif /* FE_VU_H */
