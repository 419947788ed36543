/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_NET_RX_H
#define CVQSIM_NET_RX_H

/*
 * What the datapath asks of the virtio-net model for each frame: whether
 * the receive filter passes it, and the receive queue and hash it gets.
 * Pure C; reads the model's state under the same rule as the model.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cvqsim_net.h"

/* Result of cvqsim_net_rx_steer(). */
struct cvqsim_net_rx_steer {
	uint16_t pair;		/* receive pair: receiveq(pair + 1) */
	uint16_t hash_report;	/* VIRTIO_NET_HASH_REPORT_*, NONE if no hash */
	uint32_t hash_value;	/* 0 when hash_report is NONE */
};

/*
 * Datapath, per frame. frame points at the Ethernet header (after the
 * virtio-net header), len is how many bytes of the frame are linear there:
 * at least the headers (the caller linearises up to 256 bytes); anything
 * cut short is treated as absent.
 */

/* Receive filter (QEMU's precedence, spec 1.4 "Packet Receive Filtering"). */
enum cvqsim_net_rx_verdict cvqsim_net_rx_filter(const struct cvqsim_net *net,
		const uint8_t *frame, uint32_t len);

/*
 * A frame too short for the filter to read its destination (and its VLAN
 * tag when tagged): dropped as a runt in every mode, promiscuous included.
 */
static inline bool
cvqsim_net_rx_runt(const uint8_t *frame, uint32_t len)
{
	if (len < 14)
		return true;
	return frame[12] == 0x81 && frame[13] == 0x00 && len < 18;
}

/* No frame of this many bytes is a runt, tagged or not. */
#define CVQSIM_NET_RX_NO_RUNT	18

/*
 * Whether the model judges every frame sent by tx_pair alike, its length
 * aside: promiscuous (the filter accepts all but runts) and automatic
 * steering with no hash to compute (no RSS steering, no hash report).
 * Then cvqsim_net_rx_filter() of a frame is ACCEPT unless
 * cvqsim_net_rx_runt(), and cvqsim_net_rx_steer() gives *out. The state
 * changes only between two of the datapath's bursts: it asks once per
 * burst and calls the two per frame only when this says no.
 */
bool cvqsim_net_rx_plain(const struct cvqsim_net *net, uint16_t tx_pair,
		struct cvqsim_net_rx_steer *out);

/*
 * Pick the receive pair and the hash to report.
 * - RSS steering on: the Toeplitz hash (rte_softrss) of the enabled hash
 *   types indexes the indirection table; no hash -> unclassified_queue.
 * - Otherwise automatic steering: a flow is received on the pair that sent
 *   it (tx_pair), if that pair is in use, else on pair 0.
 * - hash_report/hash_value are filled when HASH_REPORT is negotiated and a
 *   hash was computed (hash types from RSS_CONFIG or HASH_CONFIG).
 * The caller drops the frame if the chosen queue is not ready.
 */
void cvqsim_net_rx_steer(const struct cvqsim_net *net, uint16_t tx_pair,
		const uint8_t *frame, uint32_t len,
		struct cvqsim_net_rx_steer *out);

/* Name of a verdict for logs and telemetry ("accept", "drop-vlan", ...). */
const char *cvqsim_net_rx_verdict_name(enum cvqsim_net_rx_verdict v);

#endif /* CVQSIM_NET_RX_H */
