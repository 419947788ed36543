/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_CSUM_H
#define CVQSIM_CSUM_H

/*
 * Receive checksum validation, as a NIC's receive checksum offload does
 * it: with VIRTIO_NET_F_GUEST_CSUM the device may set
 * VIRTIO_NET_HDR_F_DATA_VALID on a frame whose checksum it validated
 * (virtio 1.4 "Processing of Incoming Packets"); the receive checksum
 * statistics count the frames it found valid, bad, or could not check
 * (rx_csum_valid, rx_csum_bad, rx_csum_none). Pure C: the pseudo-header
 * sums are DPDK's (rte_ip.h), the sum over the frame cvqsim_iov_cksum().
 */

#include <stdint.h>
#include <sys/uio.h>

enum cvqsim_csum_verdict {
	/*
	 * Not checked: not TCP or UDP over IPv4 or IPv6 (without extension
	 * headers), an IP fragment, a header or length the frame does not
	 * hold, or UDP over IPv4 without a checksum (0).
	 */
	CVQSIM_CSUM_NONE,
	CVQSIM_CSUM_VALID,	/* the TCP/UDP checksum is right */
	CVQSIM_CSUM_BAD,	/* the TCP/UDP checksum is wrong */
};

/*
 * Validate the outer TCP or UDP checksum of the frame of len bytes at
 * offset off of iov (Ethernet, up to two VLAN tags). Bytes after the IP
 * datagram (Ethernet padding) are not part of it.
 */
enum cvqsim_csum_verdict cvqsim_csum_verify(const struct iovec *iov,
		unsigned int nr, uint32_t off, uint32_t len);

#endif /* CVQSIM_CSUM_H */
