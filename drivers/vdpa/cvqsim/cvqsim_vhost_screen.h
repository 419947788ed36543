/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VHOST_SCREEN_H
#define CVQSIM_VHOST_SCREEN_H

/**
 * @file
 * Screening of raw vhost-user messages before DPDK 22.11's vhost library
 * acts on them (the rte_vhost_extern_callback_register pre-handler): what
 * the library takes unchecked and would crash the process on (a memory
 * region its fd does not cover, a GET_CONFIG larger than its buffer, an
 * inflight fd for a feature never agreed) is refused here.
 *
 * Pure C apart from fstat/fcntl on the message's descriptors: the unit
 * tests call it without EAL.
 *
 *   struct cvqsim_screen_ctx ctx = { .protocol_features = ..., ... };
 *   switch (cvqsim_screen_msg(&ctx, msg, why, sizeof(why))) {
 *   case CVQSIM_SCREEN_PASS: ...the library handles it
 *   case CVQSIM_SCREEN_REFUSE: ...RTE_VHOST_MSG_RESULT_ERR
 *   case CVQSIM_SCREEN_REPLY: ...RTE_VHOST_MSG_RESULT_REPLY (msg rewritten)
 *   }
 */

#include <stddef.h>
#include <stdint.h>

/*
 * The message as the pre-handler gets it: DPDK 22.11's struct
 * vhu_msg_context (lib/vhost/vhost_user.h, not installed): the packed
 * VhostUserMsg (12-byte header, then a 632-byte payload union), then
 * int fds[8], then int fd_num. Measured against the v22.11.11 header.
 */
#define CVQSIM_VU_HDR_SIZE	12u
#define CVQSIM_VU_PAYLOAD_MAX	632u
#define CVQSIM_VU_FDS_OFF	(CVQSIM_VU_HDR_SIZE + CVQSIM_VU_PAYLOAD_MAX)
#define CVQSIM_VU_MAX_FDS	8
#define CVQSIM_VU_FD_NUM_OFF	(CVQSIM_VU_FDS_OFF + 4 * CVQSIM_VU_MAX_FDS)
#define CVQSIM_VU_CTX_SIZE	(CVQSIM_VU_FD_NUM_OFF + 4)
/* The library's bounds: memory regions per table, GET_CONFIG buffer. */
#define CVQSIM_VU_MAX_REGIONS	8
#define CVQSIM_VU_CONFIG_MAX	256u

/* vhost-user requests the screen knows. */
enum cvqsim_vu_request {
	CVQSIM_VU_GET_FEATURES = 1,
	CVQSIM_VU_SET_MEM_TABLE = 5,
	CVQSIM_VU_SET_LOG_BASE = 6,
	CVQSIM_VU_SET_LOG_FD = 7,
	CVQSIM_VU_SET_VRING_KICK = 12,
	CVQSIM_VU_SET_VRING_CALL = 13,
	CVQSIM_VU_SET_VRING_ERR = 14,
	CVQSIM_VU_GET_QUEUE_NUM = 17,
	CVQSIM_VU_SEND_RARP = 19,
	CVQSIM_VU_NET_SET_MTU = 20,
	CVQSIM_VU_SET_SLAVE_REQ_FD = 21,
	CVQSIM_VU_IOTLB_MSG = 22,
	CVQSIM_VU_GET_CONFIG = 24,
	CVQSIM_VU_SET_CONFIG = 25,
	CVQSIM_VU_CRYPTO_CREATE_SESS = 26,
	CVQSIM_VU_CRYPTO_CLOSE_SESS = 27,
	CVQSIM_VU_POSTCOPY_ADVISE = 28,
	CVQSIM_VU_POSTCOPY_LISTEN = 29,
	CVQSIM_VU_POSTCOPY_END = 30,
	CVQSIM_VU_GET_INFLIGHT_FD = 31,
	CVQSIM_VU_SET_INFLIGHT_FD = 32,
	CVQSIM_VU_SET_STATUS = 39,
	CVQSIM_VU_GET_STATUS = 40,
};

/** What the screen knows of the connection. */
struct cvqsim_screen_ctx {
	uint64_t features;		/**< negotiated virtio features */
	uint64_t protocol_features;	/**< negotiated protocol features */
	uint32_t config_size;		/**< bytes of the device config space */
};

enum cvqsim_screen_verdict {
	CVQSIM_SCREEN_PASS,	/**< let the vhost library handle it */
	CVQSIM_SCREEN_REFUSE,	/**< refused: fds closed, reason in why */
	CVQSIM_SCREEN_REPLY,	/**< answered in place (an empty GET_CONFIG) */
};

/**
 * Screen one message (the pre-handler's @p msg, CVQSIM_VU_CTX_SIZE bytes).
 * On REFUSE and REPLY every descriptor the message carried is closed and
 * its slot set to -1 (the library closes none of a message a pre-handler
 * handled), and @p why says what was wrong (without the request name).
 */
enum cvqsim_screen_verdict cvqsim_screen_msg(const struct cvqsim_screen_ctx *ctx,
		void *msg, char *why, size_t why_len);

/** The request code of a pre-handler message. */
uint32_t cvqsim_vu_msg_request(const void *msg);

/** Name of a request ("SET_MEM_TABLE"), or "request N" in @p buf. */
const char *cvqsim_vu_request_name(uint32_t request, char *buf, size_t len);

#endif /* CVQSIM_VHOST_SCREEN_H */
