/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_TEST_PKT_H
#define CVQSIM_TEST_PKT_H

/*
 * Frame builders for the device-model unit tests (net_autotest,
 * thash_autotest): headers written byte by byte in network order, only as
 * much as the receive filter and the steering code read.
 */

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cvqsim_net.h"

#define PKT_MAX		256
#define PKT_NO_VLAN	0xffffffffu

struct pkt {
	uint8_t b[PKT_MAX];
	uint32_t len;
};

static inline void
pkt_put8(struct pkt *p, uint8_t v)
{
	p->b[p->len++] = v;
}

static inline void
pkt_put16(struct pkt *p, uint16_t v)
{
	pkt_put8(p, (uint8_t)(v >> 8));
	pkt_put8(p, (uint8_t)v);
}

static inline void
pkt_put32(struct pkt *p, uint32_t v)
{
	pkt_put16(p, (uint16_t)(v >> 16));
	pkt_put16(p, (uint16_t)v);
}

static inline void
pkt_bytes(struct pkt *p, const void *v, uint32_t n)
{
	memcpy(p->b + p->len, v, n);
	p->len += n;
}

static inline void
pkt_zero(struct pkt *p, uint32_t n)
{
	memset(p->b + p->len, 0, n);
	p->len += n;
}

/* Ethernet header, with an 802.1Q tag unless tci is PKT_NO_VLAN. */
static inline void
pkt_eth(struct pkt *p, const uint8_t *dst, const uint8_t *src, uint32_t tci,
		uint16_t ethertype)
{
	static const uint8_t dflt_src[6] = { 0x02, 0, 0, 0, 0, 0xfe };

	p->len = 0;
	pkt_bytes(p, dst, 6);
	pkt_bytes(p, src != NULL ? src : dflt_src, 6);
	if (tci != PKT_NO_VLAN) {
		pkt_put16(p, 0x8100);
		pkt_put16(p, (uint16_t)tci);
	}
	pkt_put16(p, ethertype);
}

/* IPv4 header without options; frag = flags and offset field. */
static inline void
pkt_ipv4(struct pkt *p, uint32_t src, uint32_t dst, uint8_t proto,
		uint16_t frag)
{
	pkt_put8(p, 0x45);
	pkt_put8(p, 0);
	pkt_put16(p, 100);	/* total length: not checked */
	pkt_put16(p, 1);	/* id */
	pkt_put16(p, frag);
	pkt_put8(p, 64);
	pkt_put8(p, proto);
	pkt_put16(p, 0);	/* checksum: not checked */
	pkt_put32(p, src);
	pkt_put32(p, dst);
}

static inline void
pkt_ipv6(struct pkt *p, const uint8_t *src, const uint8_t *dst, uint8_t next)
{
	pkt_put32(p, 0x60000000);
	pkt_put16(p, 100);
	pkt_put8(p, next);
	pkt_put8(p, 64);
	pkt_bytes(p, src, 16);
	pkt_bytes(p, dst, 16);
}

/* TCP (20 bytes) or UDP (8 bytes) header with the given ports. */
static inline void
pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	pkt_put16(p, sport);
	pkt_put16(p, dport);
	pkt_zero(p, 16);
}

static inline void
pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	pkt_put16(p, sport);
	pkt_put16(p, dport);
	pkt_put16(p, 8);
	pkt_put16(p, 0);
}

/* a.b.c.d as a host-order 32-bit value. */
#define IP4(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

/*
 * Count one frame of pair in the model's statistics as the datapath does
 * for a burst of one: received (rx) or sent, with its virtio-net header
 * (NULL: packets and bytes only).
 */
static inline void
pkt_count(struct cvqsim_net *net, uint16_t pair,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes, bool rx)
{
	struct cvqsim_net_tally t;

	memset(&t, 0, sizeof(t));
	if (hdr == NULL) {
		t.packets = 1;
		t.bytes = bytes;
	} else if (rx) {
		cvqsim_net_tally_rx(&t, hdr, bytes, false);
	} else {
		cvqsim_net_tally_tx(&t, hdr, bytes);
	}
	if (rx)
		cvqsim_net_count_rx_tally(net, pair, &t);
	else
		cvqsim_net_count_tx_tally(net, pair, &t);
}

#endif /* CVQSIM_TEST_PKT_H */
