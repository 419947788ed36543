/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DP_FRAME_H
#define CVQSIM_DP_FRAME_H

/*
 * One frame as both datapath paths judge it: the negotiated header, the
 * transmit header's checks and the receive header. Inline only, shared by
 * the burst loop (cvqsim_dp.c), the fast path (cvqsim_dp_fast.c) and the
 * general path (cvqsim_dp_deliver.c), so that both paths accept and reject
 * exactly the same frames.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ether.h>

#include "cvqsim_csum.h"
#include "cvqsim_dev.h"

#define DP_BIT64(n) (UINT64_C(1) << (n))

static inline bool
cvqsim_dp_has(const struct cvqsim_dev *dev, unsigned int bit)
{
	return (dev->net.state.features & DP_BIT64(bit)) != 0;
}

/*
 * The virtio-net header both directions carry, per the negotiated features
 * (virtio 1.4 "Packet Transmission": with HASH_REPORT the header is
 * virtio_net_hdr_v1_hash in both directions).
 */
static inline uint32_t
cvqsim_dp_hdr_len(const struct cvqsim_dev *dev)
{
	if (cvqsim_dp_has(dev, VIRTIO_NET_F_HASH_REPORT))
		return sizeof(struct virtio_net_hdr_v1_hash);
	if (cvqsim_dp_has(dev, VIRTIO_F_VERSION_1) || cvqsim_dp_has(dev, VIRTIO_NET_F_MRG_RXBUF))
		return sizeof(struct virtio_net_hdr_mrg_rxbuf);
	return sizeof(struct virtio_net_hdr);
}

/* GUEST_CSUM negotiated and enabled (GUEST_OFFLOADS_SET). */
static inline bool
cvqsim_dp_guest_csum(const struct cvqsim_dev *dev)
{
	return cvqsim_dp_has(dev, VIRTIO_NET_F_GUEST_CSUM) &&
		(dev->net.state.guest_offloads & DP_BIT64(VIRTIO_NET_F_GUEST_CSUM));
}

/* A receive pair frames may be placed on: in use, enabled and served. */
static inline bool
cvqsim_dp_rx_active(const struct cvqsim_dev *dev, uint16_t pair)
{
	return pair < dev->net.state.curr_queue_pairs && pair < dev->conf.max_pairs &&
		cvqsim_net_vq_enabled(&dev->net, (uint16_t)(2 * pair)) &&
		dev->queues[2 * pair].vq.ready;
}

/* What the datapath learnt from a TX chain's virtio-net header. */
struct cvqsim_dp_tx_info {
	struct virtio_net_hdr_v1_hash hdr;	/* as sent, host order */
	uint32_t frame_len;			/* bytes after the header */
	uint16_t csum_start;
	uint16_t csum_offset;
	bool needs_csum;
};

/*
 * Check the TX header (read by dp_tx_parse, or in place by the fast path:
 * both paths judge a frame here). The device offers no segmentation offload,
 * and a checksum request needs VIRTIO_NET_F_CSUM and a checksum field
 * inside the frame: anything else is a malformed frame (dropped, counted).
 * Whatever the header says, nothing outside the frame is ever read or
 * written.
 */
static inline bool
cvqsim_dp_tx_check(const struct cvqsim_dev *dev, struct cvqsim_dp_tx_info *ti)
{
	if (unlikely((ti->hdr.hdr.gso_type & ~VIRTIO_NET_HDR_GSO_ECN) !=
			VIRTIO_NET_HDR_GSO_NONE))
		return false;
	/*
	 * With VIRTIO_NET_F_MTU the device must not pass received frames
	 * larger than the MTU plus the link-level header (here Ethernet with
	 * one VLAN tag): an oversize frame from a misbehaving driver is
	 * dropped as malformed instead of delivered.
	 */
	if (unlikely(cvqsim_dp_has(dev, VIRTIO_NET_F_MTU) &&
			ti->frame_len > (uint32_t)dev->conf.mtu +
			RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN))
		return false;
	if (!(ti->hdr.hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM))
		return true;
	ti->needs_csum = true;
	ti->csum_start = rte_le_to_cpu_16(ti->hdr.hdr.csum_start);
	ti->csum_offset = rte_le_to_cpu_16(ti->hdr.hdr.csum_offset);
	if (!cvqsim_dp_has(dev, VIRTIO_NET_F_CSUM))
		return false;
	/* The 2-byte field at csum_start + csum_offset lies in the frame. */
	return (uint32_t)ti->csum_start + ti->csum_offset + 2 <= ti->frame_len;
}

/*
 * The receive header, and whether the device completes the checksum
 * itself: a NEEDS_CSUM frame keeps its partial checksum (NEEDS_CSUM,
 * csum_start/offset passed through) only when GUEST_CSUM is negotiated and
 * enabled (GUEST_OFFLOADS_SET); otherwise the driver must get a complete
 * checksum and flags 0 (virtio 1.4 "Processing of Incoming Packets").
 */
static inline bool
cvqsim_dp_rx_hdr(const struct cvqsim_dev *dev, const struct cvqsim_dp_tx_info *ti,
		const struct cvqsim_net_rx_steer *st, uint16_t num_buffers,
		struct virtio_net_hdr_v1_hash *rh)
{
	bool guest_csum = cvqsim_dp_guest_csum(dev);
	bool complete = ti->needs_csum && !guest_csum;

	memset(rh, 0, sizeof(*rh));
	rh->hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE;
	if (ti->needs_csum && guest_csum) {
		rh->hdr.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		rh->hdr.csum_start = rte_cpu_to_le_16(ti->csum_start);
		rh->hdr.csum_offset = rte_cpu_to_le_16(ti->csum_offset);
	}
	rh->hdr.num_buffers = rte_cpu_to_le_16(num_buffers);
	rh->hash_value = rte_cpu_to_le_32(st->hash_value);
	rh->hash_report = rte_cpu_to_le_16(st->hash_report);
	return complete;
}

/*
 * Write a receive header unless the buffer already holds it, as DPDK's
 * vhost library does (ASSIGN_UNLESS_EQUAL in its virtio_net.c) and its
 * virtio PMD does for the transmit header. A driver that recycles its
 * receive buffers finds there the header the device wrote last time:
 * DPDK's virtio PMD puts every mbuf's header at the same place in its
 * headroom and leaves an already zero transmit header unwritten. Not
 * writing identical bytes leaves the driver's cached copy of the line
 * valid, so its read of num_buffers hits instead of fetching the line
 * from the device's CPU: a cross-CPU miss per frame less on the driver's
 * side (the perf guide has the loopback figures). Where the bytes differ,
 * the compare reads a line the write would have fetched anyway. Guest
 * memory ends up the same either way; the dirty log covers the header
 * whether written or not (the general path logs whole chains).
 */
static inline void
cvqsim_dp_put_rx_hdr12(void *dst, const void *hdr)
{
	uint64_t old_lo, new_lo;
	uint32_t old_hi, new_hi;

	memcpy(&old_lo, dst, sizeof(old_lo));
	memcpy(&new_lo, hdr, sizeof(new_lo));
	memcpy(&old_hi, RTE_PTR_ADD(dst, 8), sizeof(old_hi));
	memcpy(&new_hi, RTE_PTR_ADD(hdr, 8), sizeof(new_hi));
	if (old_lo != new_lo || old_hi != new_hi)
		memcpy(dst, hdr, sizeof(struct virtio_net_hdr_mrg_rxbuf));
}

/* The same for a header of hdr_len bytes (12, or 20 with the hash). */
static inline void
cvqsim_dp_put_rx_hdr(void *dst, const void *hdr, uint32_t hdr_len)
{
	if (likely(hdr_len == sizeof(struct virtio_net_hdr_mrg_rxbuf)))
		cvqsim_dp_put_rx_hdr12(dst, hdr);
	else if (memcmp(dst, hdr, hdr_len) != 0)
		memcpy(dst, hdr, hdr_len);
}

/*
 * With GUEST_CSUM, a frame the driver gets without NEEDS_CSUM has its
 * TCP/UDP checksum validated (the frame at offset start of the iovecs
 * src), as a NIC's receive checksum offload does: right, it is delivered
 * with DATA_VALID (set in rh); wrong, without it (rx_csum_bad). Returns
 * whether it was wrong.
 */
static inline bool
cvqsim_dp_rx_csum_validate(const struct iovec *src, unsigned int nr_src,
		uint32_t start, uint32_t frame_len,
		struct virtio_net_hdr_v1_hash *rh)
{
	switch (cvqsim_csum_verify(src, nr_src, start, frame_len)) {
	case CVQSIM_CSUM_VALID:
		rh->hdr.flags |= VIRTIO_NET_HDR_F_DATA_VALID;
		return false;
	case CVQSIM_CSUM_BAD:
		return true;
	default:
		return false;
	}
}

#endif /* CVQSIM_DP_FRAME_H */
