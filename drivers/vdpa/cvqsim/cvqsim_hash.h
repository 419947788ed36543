/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_HASH_H
#define CVQSIM_HASH_H

/*
 * Frame parsing and the Toeplitz hash of virtio-net RSS and hash report
 * (virtio 1.4 "Hash calculation for incoming packets"): Ethernet with up to
 * two VLAN tags, IPv4, IPv6 with its extension headers (Home Address
 * option, Type 2 Routing Header), TCP/UDP ports, and the inner headers of
 * the tunnels HASH_TUNNEL names. Pure C; the hash is rte_softrss.
 */

#include <stdbool.h>
#include <stdint.h>

/*
 * Hash a frame with explicit parameters (what the model's RX steering uses): returns the
 * VIRTIO_NET_HASH_REPORT_* of the rule that applied (NONE: no hash) and
 * the hash in *hash. key must be 40 bytes, zero-padded, 4-byte aligned.
 */
uint16_t cvqsim_hash_frame(const uint8_t *frame, uint32_t len,
		uint32_t hash_types, uint32_t tunnel_types, const uint8_t *key,
		uint32_t *hash);

/* Where the outer TCP or UDP header of a frame is (cvqsim_hash_parse_l4). */
struct cvqsim_hash_l4 {
	uint8_t version;	/* IP version: 4 or 6 */
	uint8_t proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	uint32_t l3_off;	/* offset of the IP header */
	uint32_t l4_off;	/* offset of the TCP/UDP header */
};

/*
 * The outer TCP or UDP header of the frame whose first len bytes are
 * frame, by the same parser as the hash (Ethernet, up to two VLAN tags):
 * true with *out filled, false when there is none it can name (not IP,
 * another protocol, a fragment, IPv6 extension headers, headers cut by
 * len).
 */
bool cvqsim_hash_parse_l4(const uint8_t *frame, uint32_t len,
		struct cvqsim_hash_l4 *out);

#endif /* CVQSIM_HASH_H */
