/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef VU_RAW_H
#define VU_RAW_H

/**
 * @file
 * A raw vhost-user client for hostile tests: it sends exactly the bytes
 * and file descriptors (SCM_RIGHTS) it is told to, checks nothing, and
 * reads replies with a timeout. No EAL; plain C.
 *
 *   vu_raw_connect(&c, path, 2000);
 *   vu_raw_send(&c, VU_GET_FEATURES, VU_VERSION, NULL, 0, NULL, 0);
 *   vu_raw_recv(&c, &reply, 1000);
 *   vu_raw_close(&c);
 *
 * vu_raw_session_*() build a well-formed session step by step (features,
 * guest memory in a memfd, vrings) for the cases that attack a running
 * device.
 */

#include <stdbool.h>
#include <stdint.h>

#include "vu_msg.h"

#define VU_RAW_F_PROTOCOL_FEATURES	30
#define VU_RAW_PF_MQ			0
#define VU_RAW_PF_REPLY_ACK		3
#define VU_RAW_PF_CONFIG		9
#define VU_RAW_PF_INFLIGHT_SHMFD	12
#define VU_RAW_PF_STATUS		16

struct vu_raw {
	int sock;
	char err[256];
};

/** Connect to a vhost-user server socket, retrying up to @p timeout_ms. */
int vu_raw_connect(struct vu_raw *c, const char *path, unsigned int timeout_ms);
void vu_raw_close(struct vu_raw *c);

/**
 * Send @p len bytes as they are, with @p nfds descriptors attached. Returns
 * 0 or a negative errno (-EPIPE once the backend closed the connection).
 */
int vu_raw_send_bytes(struct vu_raw *c, const void *buf, size_t len,
		const int *fds, int nfds);
/** Send one message: header (request, flags, size) and @p size bytes. */
int vu_raw_send(struct vu_raw *c, uint32_t request, uint32_t flags,
		const void *payload, uint32_t size, const int *fds, int nfds);
/**
 * Read one message within @p timeout_ms. Returns the payload size, -EPIPE
 * when the backend closed the connection, -ETIMEDOUT, or another errno.
 */
int vu_raw_recv(struct vu_raw *c, struct vu_msg *msg,
		unsigned int timeout_ms);
/** Whether the backend closed the connection (within @p timeout_ms). */
bool vu_raw_closed_by_peer(struct vu_raw *c, unsigned int timeout_ms);

/* ---- a well-formed session, step by step -------------------------------- */

/** Guest memory: a memfd mapped here, registered at GPA gpa. */
struct vu_raw_mem {
	int fd;
	uint8_t *va;
	uint64_t size;
	uint64_t gpa;
	uint64_t used;		/* bump allocator */
};

int vu_raw_mem_create(struct vu_raw_mem *m, uint64_t size, uint64_t gpa);
void vu_raw_mem_destroy(struct vu_raw_mem *m);
/** Zeroed, @p align-aligned guest memory; its GPA in @p gpa. NULL if full. */
void *vu_raw_mem_alloc(struct vu_raw_mem *m, uint64_t len, uint64_t align,
		uint64_t *gpa);

/** A split vring in guest memory, with its kick and call eventfds. */
struct vu_raw_vring {
	uint16_t index;
	uint16_t size;
	uint16_t avail_idx;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	void *desc, *avail, *used;
	int kickfd, callfd;
};

/** The steps of a session; the values the backend accepted. */
struct vu_raw_session {
	struct vu_raw c;
	struct vu_raw_mem mem;
	uint64_t features;		/* negotiated */
	uint64_t protocol_features;	/* negotiated */
	struct vu_raw_vring vrings[3];
	unsigned int nr_vrings;
};

/** Round trip with a u64 reply (GET_FEATURES, ...). */
int vu_raw_get_u64(struct vu_raw *c, uint32_t request, uint64_t *value);
/**
 * Send a message with NEED_REPLY and read the REPLY_ACK. Returns 0 if the
 * backend acknowledged (0), 1 if it refused (non-zero ack), or a negative
 * errno (-EPIPE: it closed the connection).
 */
int vu_raw_acked(struct vu_raw *c, uint32_t request, const void *payload,
		uint32_t size, const int *fds, int nfds);

/**
 * Connect and negotiate: every offered feature in @p feature_mask (plus
 * PROTOCOL_FEATURES), the protocol features in @p pf_mask (REPLY_ACK is
 * always asked for), SET_OWNER. No memory table.
 */
int vu_raw_negotiate(struct vu_raw_session *s, const char *path,
		uint64_t feature_mask, uint64_t pf_mask);
/** SET_MEM_TABLE of @p n regions (NEED_REPLY): as vu_raw_acked(). */
int vu_raw_set_mem_table(struct vu_raw *c, const struct vu_mem_region *r,
		uint32_t n, const int *fds);
/**
 * vu_raw_negotiate(), then a memory table of one region of
 * @p mem_size bytes (a memfd). Every offered feature in @p feature_mask.
 */
int vu_raw_session_open(struct vu_raw_session *s, const char *path,
		uint64_t feature_mask, uint64_t pf_mask, uint64_t mem_size);
/** Set up vring @p index (NUM, BASE, ADDR, KICK, CALL, ENABLE 1). */
int vu_raw_session_vring(struct vu_raw_session *s, uint16_t index,
		uint16_t size);
/** SET_STATUS with @p status (if STATUS was negotiated; else no-op). */
int vu_raw_session_status(struct vu_raw_session *s, uint8_t status);
/** Close the connection and free the guest memory and the eventfds. */
void vu_raw_session_close(struct vu_raw_session *s);

/** Make descriptor chain [addr, len, flags] available on @p vr; kick. */
int vu_raw_vring_post(struct vu_raw_vring *vr, uint64_t addr, uint32_t len,
		uint16_t flags);

#endif /* VU_RAW_H */
