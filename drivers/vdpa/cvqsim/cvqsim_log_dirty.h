/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_LOG_DIRTY_H
#define CVQSIM_LOG_DIRTY_H

/*
 * Dirty-page logging for live migration.
 *
 * With VHOST_F_LOG_ALL negotiated (a frontend turns it on with SET_FEATURES
 * after handing its log with SET_LOG_BASE, LOG_SHMFD), every guest page
 * the device writes is marked in the frontend's bitmap through the vhost
 * library's rte_vhost_log_write(), in the same poller pass as the write:
 * - receive buffers and control-queue acknowledgements (the writable part
 *   of a chain, as far as it was written), before the used entry that
 *   returns them;
 * - used entries, before the used index that publishes them; the index
 *   right after it is stored (logging it before the store would let a
 *   sync that falls in between clear the bit and miss the new value);
 * - the used ring's flags and avail_event when the poller changes them.
 * Host addresses go back to guest physical addresses through the memory
 * table AS 0 was built from; a write outside it (the control queue of the
 * VM case, in the VMM's own address space) is not guest memory: the VMM
 * logs what it copies into the guest itself.
 *
 * All of it runs on the poller, under poll_lock. With logging off each hook
 * costs one predictable branch.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_branch_prediction.h>

#include "cvqsim_vq.h"

struct cvqsim_dev;

/* What a logged write is, for statistics and the coverage test's knob. */
enum cvqsim_log_dirty_kind {
	CVQSIM_LOG_DIRTY_RX,		/* receive buffers */
	CVQSIM_LOG_DIRTY_CTRL,		/* control-queue ack and result */
	CVQSIM_LOG_DIRTY_USED,		/* used entries */
	CVQSIM_LOG_DIRTY_USED_IDX,	/* used index, flags, avail_event */
	CVQSIM_LOG_DIRTY_KINDS,
};

/*
 * The device's logging state (dev->log_dirty): switched under poll_lock by
 * the control path, counters written by the poller.
 */
struct cvqsim_log_dirty {
	bool on;			/* VHOST_F_LOG_ALL negotiated */
	uint32_t skip;			/* coverage test knob: kinds not logged */
	uint64_t switches;		/* times logging was turned on or off */
	uint64_t publishes;		/* used index publications logged */
	uint64_t outside;		/* writes outside the memory table */
	uint64_t bytes[CVQSIM_LOG_DIRTY_KINDS];	/* bytes logged per kind */
};

/*
 * Control path, after every SET_FEATURES (ctl_lock held, the poller
 * quiesced): logging is on exactly while LOG_ALL is negotiated.
 */
void cvqsim_log_dirty_update(struct cvqsim_dev *dev);

void cvqsim_log_dirty_chain_slow(struct cvqsim_dev *dev,
		struct cvqsim_chain *c, uint32_t len,
		enum cvqsim_log_dirty_kind kind);
void cvqsim_log_dirty_publish_slow(struct cvqsim_dev *dev,
		struct cvqsim_vq *vq);
void cvqsim_log_dirty_used_hdr_slow(struct cvqsim_dev *dev,
		struct cvqsim_vq *vq);

/*
 * The hooks at the write sites (macros: struct cvqsim_dev is complete only
 * where they are used). Off, each is one predictable branch.
 */

/* The device wrote the first len bytes of the writable part of chain c. */
#define cvqsim_log_dirty_chain(dev, c, len, kind) do {			\
	if (unlikely((dev)->log_dirty.on))				\
		cvqsim_log_dirty_chain_slow(dev, c, len, kind);	\
} while (0)

/* Publish vq's pushed used entries (cvqsim_vq_flush), logging them. */
#define cvqsim_log_dirty_publish(dev, vq) do {				\
	if (unlikely((dev)->log_dirty.on))				\
		cvqsim_log_dirty_publish_slow(dev, vq);		\
	else								\
		cvqsim_vq_flush(vq);					\
} while (0)

/* The poller wrote vq's used flags or avail_event (kick suppression). */
#define cvqsim_log_dirty_used_hdr(dev, vq) do {			\
	if (unlikely((dev)->log_dirty.on))				\
		cvqsim_log_dirty_used_hdr_slow(dev, vq);		\
} while (0)

#endif /* CVQSIM_LOG_DIRTY_H */
