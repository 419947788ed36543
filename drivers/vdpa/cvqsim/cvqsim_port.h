/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_PORT_H
#define CVQSIM_PORT_H

/*
 * VF-parent mode (devarg port=<ethdev name>): the device's datapath is a
 * real DPDK port instead of the loopback. Frames the driver transmits leave
 * through the port; frames the port receives reach the driver through the
 * device's own receive filter and steering (always: they give the exact
 * virtio semantics, whatever the port can do). Control commands are applied
 * to the device model and, where the port supports them, programmed onto
 * the port through rte_ethdev, so that it drops early what the driver does
 * not want; each command's path (software, hardware, both) is recorded.
 *
 * Threads: attach/detach run at probe/remove. Everything else runs on the
 * device's poller inside its pass (poll_lock held): the RX/TX bursts, the
 * control commands (through the decoder) and the link check. Counters are
 * written by the poller with relaxed atomic stores and read by any thread
 * (cvqsim_port_info_get).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include "cvqsim_ctrl.h"
#include "rte_pmd_cvqsim.h"

struct cvqsim_dev;
struct cvqsim_port;

/*
 * Find the ethdev port `name`, take ownership of it (a busy port, owned
 * by someone else, is refused), configure and start it when nobody has.
 * Logs what is wrong, naming the port. Returns 0 or a negative errno.
 */
int cvqsim_port_attach(struct cvqsim_dev *dev, const char *name);
/* Stop the port if the device configured it, release it. */
void cvqsim_port_detach(struct cvqsim_dev *dev);

/*
 * The control path's view of the port: the decoder's ctx with
 * cvqsim_port_ctrl_ops (cvqsim_port_ctrl.h).
 */
struct cvqsim_port_ctrl *cvqsim_port_ctrl_of(struct cvqsim_dev *dev);
/*
 * The device model was reset (poll_lock held): the port's filters back to
 * what the model accepts after reset, the link state into the new config.
 */
void cvqsim_port_reset(struct cvqsim_dev *dev);
/* A received frame: len bytes in nr iovecs (the mbuf's segments). */
struct cvqsim_port_frame {
	const struct iovec *iov;
	unsigned int nr;
	uint32_t len;
};

/* Port receive queues to poll now: those of the pairs in use. */
uint16_t cvqsim_port_rx_queues(const struct cvqsim_dev *dev);
/*
 * A burst of at most max frames from port queue q (max <= CVQSIM_DP_BURST).
 * The frames stay valid until cvqsim_port_rx_release(), which frees them
 * and counts `dropped` of them as not placed in the driver's buffers.
 */
unsigned int cvqsim_port_rx_burst(struct cvqsim_dev *dev, uint16_t q,
		struct cvqsim_port_frame *frames, unsigned int max);
void cvqsim_port_rx_release(struct cvqsim_dev *dev, unsigned int dropped);
/*
 * A checksum the device completes on the way out (the driver asked for
 * NEEDS_CSUM): the 16-bit one's complement sum from `start` to the end of
 * the frame is stored at start + offset.
 */
struct cvqsim_port_csum {
	bool needed;
	uint16_t start;
	uint16_t offset;
};

/*
 * Queue one transmitted frame: len bytes at offset off of the iovecs (the
 * frame, after the virtio-net header). Returns 0, or -ENOBUFS when no mbuf
 * was left (the frame is dropped and counted).
 */
int cvqsim_port_tx_frame(struct cvqsim_dev *dev, const struct iovec *iov,
		unsigned int nr, uint32_t off, uint32_t len,
		const struct cvqsim_port_csum *csum);
/* Send what the transmit burst of `pair` queued; returns frames sent. */
unsigned int cvqsim_port_tx_flush(struct cvqsim_dev *dev, uint16_t pair);
/*
 * Check the port's link now and then (at most every 100 ms); returns true
 * when the config-space status changed (LINK_UP), so a config change must
 * be signalled.
 */
bool cvqsim_port_link_poll(struct cvqsim_dev *dev);

void cvqsim_port_info_get(const struct cvqsim_dev *dev,
		struct rte_pmd_cvqsim_port_info *info);

#endif /* CVQSIM_PORT_H */
