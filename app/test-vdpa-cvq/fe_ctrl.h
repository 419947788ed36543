/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_CTRL_H
#define FE_CTRL_H

/*
 * The control queue of a frontend (fe_ctrl.c): commands laid out in
 * descriptors, sent one at a time or many in flight, their acks and
 * results.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "fe_config.h"
#include "fe_dev.h"

const char *fe_ctrl_layout_name(enum fe_ctrl_layout l);
/** Layout from its name ("split", "one", "bytes", "indirect"), or MAX. */
enum fe_ctrl_layout fe_ctrl_layout_from_name(const char *name);
/** Default layout of fe_ctrl() (initially FE_LAYOUT_SPLIT). */
int fe_ctrl_set_layout(struct fe_dev *dev, enum fe_ctrl_layout layout);
enum fe_ctrl_layout fe_ctrl_get_layout(const struct fe_dev *dev);

/** The ack byte the frontend pre-fills: the device must overwrite it. */
#define FE_CTRL_ACK_UNSET	0xff

struct fe_ctrl_req {
	uint8_t class_;
	uint8_t cmd;
	/** Command data as segments (SPLIT puts each in its descriptor). */
	const struct iovec *data;
	unsigned int n_data;
	size_t result_len;		/**< writable bytes after the ack */
	enum fe_ctrl_layout layout;
	uint64_t tag;			/**< caller's, returned in the result */
};

struct fe_ctrl_res {
	uint8_t ack;			/**< 0 OK, 1 ERR, 0xff untouched */
	uint32_t used_len;		/**< as written in the used ring */
	uint64_t rtt_ns;		/**< submit -> used seen */
	uint64_t tag;
	uint32_t result_len;		/**< bytes copied into result */
	uint8_t result[FE_CTRL_MAX_RESULT];
};

/**
 * Send one command through the control queue and wait for it (kick, spin
 * up to ctrl_spin_ns, then sleep on the call eventfd; ctrl_timeout_ms).
 * @p data/@p len is the command data (may be NULL/0); up to @p result_len
 * bytes written by the device after the ack are copied into @p result.
 * Returns 0 with @p ack (0 OK, 1 ERR, or whatever the device wrote) and
 * @p used_len filled (either may be NULL); -ENOTSUP if no CVQ, -ETIMEDOUT if
 * the device did not complete (the command stays in flight and is reaped
 * by a later call), -EIO on a bad used entry, -EPIPE if the backend died.
 */
int fe_ctrl(struct fe_dev *dev, uint8_t class_, uint8_t cmd,
		const void *data, size_t len, void *result, size_t result_len,
		uint8_t *ack, uint32_t *used_len);
/** fe_ctrl with a full request (segments, layout) and full result. */
int fe_ctrl_ex(struct fe_dev *dev, const struct fe_ctrl_req *req,
		struct fe_ctrl_res *res);
/**
 * Asynchronous: add one command to the ring (no kick). Returns 0,
 * -ENOSPC when the ring or the command slots are full.
 */
int fe_ctrl_submit(struct fe_dev *dev, const struct fe_ctrl_req *req);
/** Publish and notify submitted commands. 0 or -errno. */
int fe_ctrl_kick(struct fe_dev *dev);
/** Reap one completed command: 1 and @p res filled, 0 none, -errno. */
int fe_ctrl_poll(struct fe_dev *dev, struct fe_ctrl_res *res);
/** Commands submitted and not yet reaped. */
unsigned int fe_ctrl_in_flight(const struct fe_dev *dev);

struct fe_ctrl_bench {
	uint64_t completed, ok, err, timeouts;
	uint64_t total_ns;		/**< wall time of the whole batch */
	uint64_t rtt_min_ns, rtt_max_ns, rtt_sum_ns;
};
/**
 * Run @p count copies of @p req keeping up to @p depth in flight (throughput
 * benchmark). Fills @p st. 0, or -errno (a timeout of ctrl_timeout_ms with
 * nothing completing gives -ETIMEDOUT; st is filled up to there).
 */
int fe_ctrl_batch(struct fe_dev *dev, const struct fe_ctrl_req *req,
		uint64_t count, unsigned int depth, struct fe_ctrl_bench *st);

/* One control command slot: readable and writable areas in guest memory. */
struct fe_ctrl_slot {
	uint8_t *rbuf;		/* class, cmd, data (2 + FE_CTRL_MAX_DATA) */
	uint8_t *wbuf;		/* ack, result (1 + FE_CTRL_MAX_RESULT) */
	size_t result_len;
	uint64_t t_submit;
	uint64_t tag;
	bool in_use;
	bool stale;		/* timed out: discard when it completes */
	uint16_t next_free;	/* free list link (FE_CTRL_NO_SLOT: end) */
};

#define FE_CTRL_NO_SLOT	UINT16_MAX

/* Allocate the control slots in guest memory; reset them (frontend.c). */
int fe_ctrl_setup(struct fe_dev *dev);
void fe_ctrl_forget(struct fe_dev *dev);

#endif /* FE_CTRL_H */
