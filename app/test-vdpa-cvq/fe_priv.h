/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_PRIV_H
#define FE_PRIV_H

/*
 * Internals of the frontend shared by frontend.c (vhost-user client and
 * bring-up), fe_ctrl.c (control queue) and fe_traffic.c (data queues).
 * Not for users of frontend.h.
 */

#include <stdarg.h>

#include "frontend.h"

/* One data queue pair: rings, TX slots, RX buffers, receive assembly. */
struct fe_pair {
	struct drv_vq rx;
	struct drv_vq tx;

	uint8_t *tx_bufs;	/* ring_size slots of tx_slot_len (guest) */
	uint16_t *tx_free;	/* stack of free slot numbers */
	uint16_t tx_nfree;

	uint8_t *rx_bufs;	/* ring_size buffers of rx_buf_len (guest) */

	/* A frame being gathered from several mergeable buffers. */
	uint8_t *asm_buf;	/* FRAME_MAX_LEN + header */
	uint32_t asm_len;
	uint16_t asm_left;
	uint16_t asm_nbuf;
	struct virtio_net_hdr_v1_hash asm_hdr;

	uint8_t *last_buf;	/* copy of the last frame received */
	struct fe_rx_pkt last;
	bool have_last;
	bool have_seq;
	uint32_t last_seq;

	struct fe_q_stats st;
};

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

/* Whether the backend connection has hung up (checked without blocking). */
bool fe_sock_dead(struct fe_dev *dev);

/* Sleep briefly while waiting for the device (it may share our CPUs). */
void fe_idle(void);

/* Allocate the control slots in guest memory; reset them. */
int fe_ctrl_setup(struct fe_dev *dev);
void fe_ctrl_forget(struct fe_dev *dev);

/* Data queues: allocate buffers, post RX buffers, forget state. */
int fe_traffic_setup(struct fe_dev *dev);
void fe_traffic_post_rx(struct fe_dev *dev);
void fe_traffic_forget(struct fe_dev *dev);
void fe_traffic_free(struct fe_dev *dev);
/* Reap TX completions of a pair; returns how many. */
int fe_tx_reclaim(struct fe_dev *dev, struct fe_pair *p);

#endif /* FE_PRIV_H */
