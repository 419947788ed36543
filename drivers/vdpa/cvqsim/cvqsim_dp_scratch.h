/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DP_SCRATCH_H
#define CVQSIM_DP_SCRATCH_H

/*
 * The datapath's working state of one device: the chains, headers and
 * counters of the burst in progress (one poller per device, so one
 * scratch), and the device-wide datapath counters. Data only: the device
 * (cvqsim_dev.h) embeds it, the three datapath files fill it.
 */

#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_net.h>

#include "cvqsim_chain.h"
#include "cvqsim_net.h"
#include "cvqsim_net_rx.h"

/* Data queues pop at most this many TX chains per pass. */
#define CVQSIM_DP_BURST		32
/* Most RX chains one frame may be merged into (num_buffers). */
#define CVQSIM_DP_MAX_MRG	64
/*
 * Bytes of a frame (after its virtio-net header) linearised for the receive
 * filter and the steering hash: Ethernet, two VLAN tags, IPv6 with
 * extension headers, one level of encapsulation.
 */
#define CVQSIM_DP_PEEK_LEN	256
/* No RX queue (the fast path's RX chains popped ahead). */
#define CVQSIM_DP_NO_SLOT	UINT16_MAX

/* Per-device scratch space of the datapath (one poller per device). */
struct cvqsim_dp_scratch {
	struct cvqsim_chain tx;
	struct cvqsim_chain rx[CVQSIM_DP_MAX_MRG];
	uint32_t rx_len[CVQSIM_DP_MAX_MRG];	/* bytes written per RX chain */
	struct cvqsim_chain ctrl;
	uint16_t touched_rx[CVQSIM_DP_BURST];	/* RX slots of this burst */
	uint32_t touched_frames[CVQSIM_DP_BURST]; /* frames on each */
	unsigned int nr_touched_rx;
	/* Model counters of this burst: the TX pair's, each touched RX's. */
	struct cvqsim_net_tally tx_tally;
	struct cvqsim_net_tally rx_tally[CVQSIM_DP_BURST];
	uint8_t peek[CVQSIM_DP_PEEK_LEN];
	/*
	 * The fast path (cvqsim_dp_fast.c): the burst's small TX chains and
	 * the heads of every TX chain of the burst; RX chains popped ahead
	 * from one RX queue (rxb_slot) and the used entries it owes that
	 * queue; the burst's TX counters, added to the queue's once per burst.
	 */
	/*
	 * One entry more than a burst pops: the loops prefetch the next
	 * chain's buffer without a bounds test (a prefetch of a stale address
	 * is harmless).
	 */
	struct cvqsim_small_chain txb[CVQSIM_DP_BURST + 1];
	uint16_t tx_heads[CVQSIM_DP_BURST];
	struct cvqsim_small_chain rxb[CVQSIM_DP_BURST + 1];
	uint16_t rxb_slot;		/* CVQSIM_DP_NO_SLOT: none */
	uint16_t rxb_next;		/* next of rxb[0 .. rxb_nr) to use */
	uint16_t rxb_nr;
	uint16_t rx_heads[CVQSIM_DP_BURST];
	uint32_t rx_lens[CVQSIM_DP_BURST];
	uint16_t nr_rx_used;
	/* Of the nr_rx_used frames: their receive checksum counters. */
	uint32_t rx_needs_csum;
	uint32_t rx_csum_valid;
	uint32_t rx_csum_bad;
	uint64_t rx_bytes;
	uint32_t fast_tx_packets;
	uint32_t fast_tx_needs_csum;	/* of fast_tx_packets */
	uint64_t fast_tx_bytes;
	/*
	 * GUEST_CSUM on for the burst: NEEDS_CSUM frames pass with their
	 * partial checksum, the others have theirs validated.
	 */
	bool guest_csum;
	/*
	 * The burst's frames are judged alike (cvqsim_net_rx_plain): all
	 * but runts go to plain_slot (-1: not plain, or that queue not
	 * active) with the receive header rx_hdr_plain when they ask no
	 * checksum.
	 */
	bool plain;
	int plain_slot;
	struct cvqsim_net_rx_steer plain_st;
	struct virtio_net_hdr_v1_hash rx_hdr_plain;
	/*
	 * Plain, to an active queue, 12-byte headers: the frames that ask for
	 * nothing take the shortest way (dp_deliver_plain): frames of
	 * CVQSIM_NET_RX_NO_RUNT + [0, plain_frame_span] bytes.
	 */
	bool plain_hdr12;
	uint32_t plain_frame_span;
	uint32_t fast_accepted;		/* filter verdicts to count */
	uint32_t fast_plain;		/* frames of dp_deliver_plain */
};

/* Device-wide datapath counters, written by the poller only. */
struct cvqsim_dp_stats {
	uint64_t rx_inactive;		/* steered to a queue not in use */
	uint64_t rx_overruns;		/* no receive buffer */
	uint64_t tx_malformed;		/* bad header or checksum request */
	uint64_t tx_csum_completed;	/* checksum completed by the device */
};

#endif /* CVQSIM_DP_SCRATCH_H */
