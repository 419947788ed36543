/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FRONTEND_H
#define FRONTEND_H

/**
 * @file
 * A vhost-user frontend: the virtio-net driver side of a device reached
 * through a vhost-user socket, passing the control queue to the device as a
 * real vring (no stock frontend does: DPDK virtio-user strips CTRL_VQ, QEMU
 * emulates the CVQ).
 *
 * Life cycle (each step returns 0 or -errno and keeps a message readable
 * with fe_dev_error()):
 *
 *   fe_config_init(&cfg); cfg.socket_path = "...";
 *   fe_dev_create(&cfg, &dev, err, sizeof(err));  guest memory, no I/O
 *   fe_dev_connect(dev);   socket, SET_OWNER, GET_FEATURES,
 *                          GET_PROTOCOL_FEATURES/SET_PROTOCOL_FEATURES,
 *                          GET_QUEUE_NUM, GET_CONFIG: what the device offers
 *   fe_dev_start(dev);     SET_FEATURES, status ACK|DRIVER|FEATURES_OK,
 *                          SET_MEM_TABLE, every vring (NUM, BASE, ADDR, KICK,
 *                          CALL, ENABLE), SET_STATUS(DRIVER_OK), RX buffers
 *   ... fe_ctrl(), fe_tx(), fe_rx_poll() ...
 *   fe_dev_stop(dev);      SET_VRING_ENABLE 0 + GET_VRING_BASE on every
 *                          vring; the returned indices are kept
 *   fe_dev_resume(dev);    new connection, same features, same memory and
 *                          rings, SET_VRING_BASE from the kept indices: what
 *                          was in flight survives
 *   fe_dev_destroy(dev);   closes everything (stops first if running)
 *
 * fe_dev_open() does create + connect + start.
 *
 * Virtqueue layout: rx k at 2k, tx k at 2k+1, the control queue at
 * 2 * max_pairs when MQ or RSS is negotiated, at 2 otherwise (max_pairs from
 * the config space's max_virtqueue_pairs, else GET_QUEUE_NUM). Exactly the
 * vrings used are created: cfg.nr_pairs data pairs (all enabled at start,
 * since a DPDK backend that called rte_vhost_driver_set_features only
 * configures the device once every created vring is ready) and the CVQ.
 *
 * Guest memory is a memfd mapped MAP_SHARED (no hugepages) with a GPA base
 * (default 0x40000000) different from its virtual address: descriptors carry
 * GPAs; ring addresses in SET_VRING_ADDR are our virtual addresses, as the
 * vhost-user protocol wants.
 *
 * Threading: one thread drives a fe_dev (no internal thread, no lock). Two
 * fe_devs may be driven by two threads. The backend may live in the same
 * process (it answers from its own thread, e.g. DPDK's vhost-events).
 *
 * Robustness: no exit(), no abort(); a backend that dies gives -EPIPE or
 * -ECONNRESET with "backend closed the connection"; a backend that writes
 * garbage in the used ring gives -EIO.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drv_vq.h"
#include "fe_config.h"
#include "fe_ctrl.h"
#include "fe_dev.h"
#include "fe_rings.h"
#include "fe_traffic.h"
#include "fe_vu.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Allocate a device and its guest memory. Nothing is sent. Returns 0 and
 * the device in @p out, or -errno with a message in @p err.
 */
int fe_dev_create(const struct fe_config *cfg, struct fe_dev **out,
		char *err, size_t errlen);
/** Connect and learn what the device offers (see the file comment). */
int fe_dev_connect(struct fe_dev *dev);
/**
 * Connected device: negotiate, build fresh rings, bring the device to
 * DRIVER_OK. Stopped device: restart on the same connection with the same
 * rings from the bases fe_dev_stop kept (frames queued meanwhile go out).
 */
int fe_dev_start(struct fe_dev *dev);
/** Disable every vring and collect its base (GET_VRING_BASE). */
int fe_dev_stop(struct fe_dev *dev);
/**
 * After fe_dev_stop (or a dead backend): reconnect (same socket path),
 * renegotiate the same features, re-send the same memory table and rings,
 * restart each vring at the index the device reported (or our own avail
 * index if it could not report one) and bring the device to DRIVER_OK.
 */
int fe_dev_resume(struct fe_dev *dev);
/**
 * The socket the next fe_dev_resume() connects to: another backend, where
 * the device continues with the same memory, rings and features (live
 * migration between backends). Not while connected (-EBUSY).
 */
int fe_dev_set_socket(struct fe_dev *dev, const char *path);
/**
 * Reset: like stop, then forget every ring (fresh, zeroed rings on the next
 * fe_dev_start). Use it after a fault injection tainted a ring.
 */
int fe_dev_reset(struct fe_dev *dev);
/** Close the connection without any message (simulates a crash). */
void fe_dev_disconnect(struct fe_dev *dev);
/** Stop if running, close, free. NULL is ignored. */
void fe_dev_destroy(struct fe_dev *dev);
/** create + connect + start; on failure nothing is left allocated. */
int fe_dev_open(const struct fe_config *cfg, struct fe_dev **out,
		char *err, size_t errlen);

struct fe_dev_info {
	enum fe_state state;
	const char *socket_path;
	uint64_t device_features;	/**< GET_FEATURES */
	uint64_t features;		/**< negotiated (SET_FEATURES) */
	uint64_t protocol_offered;	/**< GET_PROTOCOL_FEATURES */
	uint64_t protocol_features;	/**< negotiated */
	uint16_t queue_num;		/**< GET_QUEUE_NUM (0 if not asked) */
	uint16_t max_pairs;		/**< device max_virtqueue_pairs */
	uint16_t nr_pairs;		/**< data pairs created */
	uint16_t nr_vrings;		/**< vrings created (data + cvq) */
	int32_t ctrl_vq;		/**< CVQ vring index, -1 if none */
	uint16_t hdr_len;		/**< net header bytes: 12 or 20 */
	uint16_t ring_size, ctrl_ring_size;
	uint32_t rx_buf_len;
	bool mergeable;
	uint8_t status;			/**< last status we set */
	uint8_t mac[6];			/**< config mac (if MAC negotiated) */
	uint16_t mtu;			/**< config mtu (if MTU) */
	uint16_t link_status;		/**< config status (if STATUS) */
	bool have_config;		/**< GET_CONFIG answered */
	uint32_t config_len;
	uint8_t config[256];		/**< raw config space */
	uint64_t gpa_base, mem_size;
	uint64_t reconnects;		/**< successful fe_dev_resume calls */
};
int fe_dev_info_get(const struct fe_dev *dev, struct fe_dev_info *info);

/** Fresh GET_CONFIG of @p len bytes at @p off into @p buf. */
int fe_dev_read_config(struct fe_dev *dev, uint32_t off, void *buf,
		uint32_t len);
/** GET_STATUS (needs the STATUS protocol feature). */
int fe_dev_get_status(struct fe_dev *dev, uint8_t *status);
/** Vring index of the CVQ, or -ENOTSUP if CTRL_VQ is not negotiated. */
int fe_ctrl_vq_index(const struct fe_dev *dev);
/** Base kept by the last fe_dev_stop for vring @p vring. */
int fe_dev_vring_base(const struct fe_dev *dev, uint16_t vring,
		uint16_t *base);

#ifdef __cplusplus
}
#endif

#endif /* FRONTEND_H */
