/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_TRAFFIC_H
#define FE_TRAFFIC_H

/*
 * The data queues of a frontend (fe_traffic.c): frames out on TX, frames
 * in from RX with their checks, and the per-queue counters.
 */

#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_net.h>

#include "drv_vq.h"
#include "fe_dev.h"
#include "frames.h"

/** Per data queue pair counters (driver view). */
struct fe_q_stats {
	uint64_t tx_pkts, tx_bytes;	/**< frames handed to the device */
	uint64_t tx_done;		/**< TX completions reaped */
	uint64_t tx_full;		/**< ring full, frame not sent */
	uint64_t rx_pkts, rx_bytes;	/**< frames received (bytes: L2) */
	uint64_t rx_bufs;		/**< used RX buffers consumed */
	uint64_t rx_merged;		/**< frames with num_buffers > 1 */
	uint64_t rx_bad_hdr;		/**< bad num_buffers / length */
	uint64_t rx_check_ok, rx_check_bad; /**< fe_rx_set_check results */
	uint64_t rx_out_of_order;	/**< seq below the previous one */
	uint64_t rx_hash_reported;	/**< hash_report != NONE */
};

/** One received frame as the callback sees it (valid during the call). */
struct fe_rx_pkt {
	uint16_t queue;			/**< pair index */
	const uint8_t *data;		/**< L2 frame (contiguous copy) */
	uint32_t len;
	struct virtio_net_hdr_v1_hash hdr; /**< hash fields 0 unless HASH_REPORT */
	uint16_t num_buffers;
	struct frame_info info;		/**< frame_parse() of data */
	int check;			/**< 0 ok, -EINVAL bad, 1 not checked */
};
typedef void (*fe_rx_cb)(const struct fe_rx_pkt *pkt, void *arg);

/**
 * Send @p n frames of stream @p spec (spec->count when @p n is 0) on the TX
 * queue of pair @p q. Sequence numbers come from one counter shared by all
 * queues. Reclaims completed TX buffers as needed and waits up to
 * ctrl_timeout_ms for room. Also works on a stopped (or broken) device:
 * the frames wait in the ring and the device sends them after
 * fe_dev_resume (in-flight state survives). Returns the number of frames
 * queued (>= 0) or -errno.
 */
int fe_tx(struct fe_dev *dev, uint16_t q, const struct frame_spec *spec,
		uint32_t n);
/** Send one prebuilt frame with a given net header (NULL: zeroed). */
int fe_tx_frame(struct fe_dev *dev, uint16_t q, const void *frame,
		uint32_t len, const struct virtio_net_hdr_v1 *hdr);
/**
 * Consume received frames of pair @p q (up to @p max, 0 = all pending),
 * refill RX buffers, call @p cb (may be NULL) per frame. Returns the number
 * of frames or -errno.
 */
int fe_rx_poll(struct fe_dev *dev, uint16_t q, unsigned int max,
		fe_rx_cb cb, void *arg);
/**
 * Poll every created RX queue until nothing arrived for @p quiet_ms or
 * @p timeout_ms elapsed. Returns frames received or -errno.
 */
int fe_rx_drain(struct fe_dev *dev, uint32_t quiet_ms, uint32_t timeout_ms,
		fe_rx_cb cb, void *arg);
/**
 * Check every received frame against @p spec (frame_check) and count in
 * rx_check_ok / rx_check_bad; NULL disables. The spec is copied.
 */
void fe_rx_set_check(struct fe_dev *dev, const struct frame_spec *spec);
/** Last frame received on pair @p q: header and info copied, data points
 * to a per-queue copy valid until the next poll of that queue (-ENOENT if
 * nothing was received yet). */
int fe_rx_last(const struct fe_dev *dev, uint16_t q, struct fe_rx_pkt *pkt);
int fe_stats_get(const struct fe_dev *dev, uint16_t q, struct fe_q_stats *st);
/** Sum over every created pair. */
int fe_stats_total(const struct fe_dev *dev, struct fe_q_stats *st);
void fe_stats_reset(struct fe_dev *dev);

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

/* Data queues: allocate buffers, post RX buffers, forget state
 * (frontend.c). */
int fe_traffic_setup(struct fe_dev *dev);
void fe_traffic_post_rx(struct fe_dev *dev);
void fe_traffic_forget(struct fe_dev *dev);
void fe_traffic_free(struct fe_dev *dev);
/* Reap TX completions of a pair; returns how many. */
int fe_tx_reclaim(struct fe_dev *dev, struct fe_pair *p);

#endif /* FE_TRAFFIC_H */
