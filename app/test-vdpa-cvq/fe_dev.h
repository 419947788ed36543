/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_DEV_H
#define FE_DEV_H

/*
 * The frontend device object: its state, shared by the frontend's files
 * (frontend.c brings it up, fe_vu.c talks vhost-user, fe_rings.c lays out
 * its rings, fe_ctrl.c and fe_traffic.c drive them), and what all of them
 * use: the error message, the state's name, the clock, the short wait.
 * Users of the frontend call the functions of frontend.h; this struct is
 * theirs to read only in tests that inject faults.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "drv_vq.h"
#include "fe_config.h"
#include "frames.h"

struct fe_dev;
struct fe_pair;
struct fe_ctrl_slot;

enum fe_state {
	FE_STATE_CREATED,	/**< no connection */
	FE_STATE_CONNECTED,	/**< offers known, not negotiated */
	FE_STATE_RUNNING,	/**< DRIVER_OK sent */
	FE_STATE_STOPPED,	/**< rings disabled, bases kept */
	FE_STATE_BROKEN,	/**< backend gone or protocol error */
};
const char *fe_state_name(enum fe_state s);

/** Last error message of the device ("" if none). */
const char *fe_dev_error(const struct fe_dev *dev);

struct fe_dev {
	struct fe_config cfg;
	char *path;
	int sock;
	enum fe_state state;
	char err[256];

	struct drv_mem mem;
	bool rings_built;	/* rings carved and initialised */

	uint64_t dev_features;
	uint64_t features;
	uint64_t proto_offered;
	uint64_t proto;
	uint16_t queue_num;
	uint16_t max_pairs;	/* device max, before negotiation */
	uint16_t nr_pairs;
	int ctrl_idx;		/* -1: no CVQ */
	uint16_t nr_vrings;	/* highest created vring + 1 */
	uint16_t hdr_len;
	bool mrg;
	uint8_t status;
	uint16_t ring_size;
	uint16_t ctrl_ring_size;
	uint32_t rx_buf_len;
	uint32_t tx_slot_len;

	bool have_config;
	uint32_t config_len;
	uint8_t config[256];

	struct fe_pair *pairs;	/* nr_pairs */
	struct drv_vq cvq;
	struct fe_ctrl_slot *cslots; /* ctrl_ring_size */
	unsigned int ctrl_in_flight;	/* slots in use, stale ones included */
	unsigned int ctrl_stale;	/* of which timed out */
	uint16_t ctrl_free;		/* first free slot, FE_CTRL_NO_SLOT */
	struct fe_ctrl_slot *ctrl_last;	/* slot of the last submission */
	enum fe_ctrl_layout layout;

	uint16_t *bases;	/* per vring, from GET_VRING_BASE */
	/* per vring: 0 no base, 1 base from stop not yet used, 2 used */
	uint8_t *have_base;

	bool check_on;
	struct frame_spec check;
	uint32_t tx_seq;	/* next sequence number, all queues */

	uint64_t reconnects;
};

/* Set the error message and return ret (a negative errno). */
int fe_err(struct fe_dev *dev, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Sleep briefly while waiting for the device (it may share our CPUs). */
void fe_idle(void);

/** CLOCK_MONOTONIC in ns (timing hooks). */
uint64_t fe_now_ns(void);

#endif /* FE_DEV_H */
