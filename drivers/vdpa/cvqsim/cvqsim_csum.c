/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Receive checksum validation (cvqsim_csum.h): locate the outer TCP or UDP
 * header (cvqsim_hash.c's parser), then the pseudo-header sum plus the sum
 * over the segment, wherever the frame lies in guest memory, must be
 * 0xffff (RFC 1071), as rte_ipv4_udptcp_cksum_verify() checks a contiguous
 * one.
 */

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>

#include "cvqsim_csum.h"
#include "cvqsim_hash.h"
#include "cvqsim_iov.h"

/*
 * Bytes read ahead to find the headers: Ethernet with two VLAN tags (22),
 * IPv4 with options (60) or IPv6 (40), and the TCP checksum field (18).
 */
#define CSUM_HDRS_LEN	128

#define TCP_HDR_MIN	20
#define TCP_CSUM_OFF	16
#define UDP_HDR_LEN	8
#define UDP_CSUM_OFF	6

/*
 * The length of the TCP/UDP segment as the IP header says, and its
 * pseudo-header sum; false when the frame does not hold the datagram.
 */
static bool
csum_segment(const uint8_t *hdrs, const struct cvqsim_hash_l4 *l4,
		uint32_t len, uint32_t *seg_len, uint16_t *phdr)
{
	const uint8_t *ip = hdrs + l4->l3_off;
	uint32_t ip_hlen = l4->l4_off - l4->l3_off, total;

	if (l4->version == 4) {
		const struct rte_ipv4_hdr *ip4 = (const void *)ip;

		total = rte_be_to_cpu_16(ip4->total_length);
		if (total < ip_hlen || total > len - l4->l3_off)
			return false;
		*seg_len = total - ip_hlen;
		*phdr = rte_ipv4_phdr_cksum(ip4, 0);
		return true;
	}
	/*
	 * IPv6: no extension header (cvqsim_hash_parse_l4 names no L4 header
	 * behind one), so the payload is the segment and the fixed header's
	 * next header its protocol, as rte_ipv6_phdr_cksum() takes them.
	 */
	total = rte_be_to_cpu_16(((const struct rte_ipv6_hdr *)(const void *)ip)->payload_len);
	if (total > len - l4->l4_off)
		return false;
	*seg_len = total;
	*phdr = rte_ipv6_phdr_cksum((const void *)ip, 0);
	return true;
}

enum cvqsim_csum_verdict
cvqsim_csum_verify(const struct iovec *iov, unsigned int nr, uint32_t off,
		uint32_t len)
{
	uint8_t hdrs[CSUM_HDRS_LEN];
	uint32_t n = RTE_MIN(len, (uint32_t)sizeof(hdrs));
	bool tcp;
	struct cvqsim_hash_l4 l4;
	uint32_t seg_len, field, sum;
	uint16_t phdr;

	if (cvqsim_iov_to_buf(iov, nr, off, hdrs, n) != n ||
			!cvqsim_hash_parse_l4(hdrs, n, &l4) ||
			!csum_segment(hdrs, &l4, len, &seg_len, &phdr))
		return CVQSIM_CSUM_NONE;
	tcp = l4.proto == IPPROTO_TCP;
	field = l4.l4_off + (tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF);
	if (seg_len < (tcp ? TCP_HDR_MIN : UDP_HDR_LEN) || field + 2 > n)
		return CVQSIM_CSUM_NONE;
	/* UDP over IPv4 may go without a checksum: nothing to validate. */
	if (!tcp && l4.version == 4 && hdrs[field] == 0 && hdrs[field + 1] == 0)
		return CVQSIM_CSUM_NONE;
	sum = (uint32_t)phdr + cvqsim_iov_cksum(iov, nr, off + l4.l4_off, seg_len);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff ? CVQSIM_CSUM_VALID : CVQSIM_CSUM_BAD;
}
