/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <rte_byteorder.h>
/*
 * rte_thash.h pulls rte_mbuf.h, whose headers test GCC_VERSION because
 * Debian's rte_config.h says RTE_TOOLCHAIN_GCC; clang never defines it,
 * and -Wundef would reject DPDK's own header.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wundef"
#include <rte_thash.h>
#pragma GCC diagnostic pop

#include "cvqsim_hash.h"
#include "cvqsim_virtio.h"

#define ETH_HDR_LEN	14	/* destination, source, ethertype */

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100
#define ETHERTYPE_QINQ		0x88a8
#define ETHERTYPE_TEB		0x6558	/* transparent Ethernet bridging */
#define IPPROTO_V4		4	/* IPv4 in IP */
#define IPPROTO_V6		41	/* IPv6 in IP */
#define IPPROTO_GRE_		47
#define IP6_HOPOPTS		0
#define IP6_ROUTING		43
#define IP6_FRAGMENT		44
#define IP6_AH			51
#define IP6_DSTOPTS		60
#define IP6_MAX_EXT		8	/* extension headers walked at most */
#define IP6_OPT_PAD1		0
#define IP6_OPT_HOME_ADDRESS	0xc9
#define UDP_PORT_VXLAN		4789
#define UDP_PORT_VXLAN_GPE	4790
#define UDP_PORT_GENEVE		6081
#define UDP_PORT_GRE		4754	/* GRE-in-UDP, RFC 8086 */
#define GRE_C			0x8000
#define GRE_R			0x4000
#define GRE_K			0x2000
#define GRE_S			0x1000
#define GRE_VERSION		0x0007

/* What hashing needs from one IP header and what follows it. */
struct flow {
	uint8_t version;	/* 4, 6, or 0: not IP */
	uint8_t proto;		/* L4 protocol (IPv6: after the ext headers) */
	bool l4;		/* TCP/UDP ports readable, not a fragment */
	bool fragment;		/* IPv4/IPv6 fragment: no L4 header */
	bool ext;		/* IPv6 with extension headers */
	const uint8_t *src;	/* 4 or 16 bytes */
	const uint8_t *dst;
	const uint8_t *home;	/* IPv6 Home Address option, or NULL */
	const uint8_t *rt2;	/* IPv6 Type 2 Routing Header address, or NULL */
	const uint8_t *l4p;	/* L4 header */
	uint32_t l4len;		/* bytes of it in the buffer */
};

static inline uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static void
flow_set_l4(struct flow *f, const uint8_t *p, uint32_t len, uint8_t proto,
		bool fragment)
{
	f->proto = proto;
	f->fragment = fragment;
	f->l4p = p;
	f->l4len = len;
	f->l4 = !fragment && (proto == IPPROTO_TCP || proto == IPPROTO_UDP) &&
		len >= 4;
}

/*
 * IPv4: header complete in the buffer; a fragment (MF set or offset not 0)
 * has no L4 header for hashing (QEMU).
 */
static bool
parse_ipv4(const uint8_t *p, uint32_t len, struct flow *f)
{
	uint32_t hlen;
	bool fragment;

	if (len < 20 || (p[0] >> 4) != 4)
		return false;
	hlen = (uint32_t)(p[0] & 0xf) * 4;
	if (hlen < 20 || hlen > len)
		return false;
	f->version = 4;
	f->src = p + 12;
	f->dst = p + 16;
	fragment = (be16(p + 6) & 0x3fff) != 0;
	flow_set_l4(f, p + hlen, len - hlen, p[9], fragment);
	return true;
}

static inline bool
is_ipv6_ext(uint8_t next)
{
	return next == IP6_HOPOPTS || next == IP6_ROUTING ||
		next == IP6_FRAGMENT || next == IP6_DSTOPTS || next == IP6_AH;
}

/* Destination options: find a Home Address option (16-byte address). */
static void
scan_dstopts(const uint8_t *h, uint32_t hlen, struct flow *f)
{
	uint32_t off = 2;

	while (off < hlen) {
		if (h[off] == IP6_OPT_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > hlen || off + 2 + h[off + 1] > hlen)
			return;
		if (h[off] == IP6_OPT_HOME_ADDRESS && h[off + 1] == 16)
			f->home = h + off + 2;
		off += 2u + h[off + 1];
	}
}

/*
 * IPv6: walk hop-by-hop, routing, fragment, destination options and AH
 * headers (at most IP6_MAX_EXT). Notes for the _EX hash types: a Type 2
 * Routing Header with one address gives the destination, a Home Address
 * option the source. A non-first or non-last fragment has no L4 header
 * (QEMU: fragments hash as IP only); an extension header cut by the
 * buffer end leaves no L4 header either.
 */
static bool
parse_ipv6(const uint8_t *p, uint32_t len, struct flow *f)
{
	uint32_t off = 40, hlen, n;
	bool fragment = false;
	uint8_t next;

	if (len < 40 || (p[0] >> 4) != 6)
		return false;
	f->version = 6;
	f->src = p + 8;
	f->dst = p + 24;
	next = p[6];
	for (n = 0; is_ipv6_ext(next); n++) {
		const uint8_t *h = p + off;

		f->ext = true;
		if (n == IP6_MAX_EXT)
			goto truncated;
		if (len - off < 8)
			goto truncated;
		if (next == IP6_FRAGMENT)
			hlen = 8;
		else if (next == IP6_AH)
			hlen = ((uint32_t)h[1] + 2) * 4;
		else
			hlen = ((uint32_t)h[1] + 1) * 8;
		if (hlen > len - off)
			goto truncated;
		if (next == IP6_DSTOPTS)
			scan_dstopts(h, hlen, f);
		else if (next == IP6_ROUTING && h[2] == 2 && h[3] == 1 &&
				hlen >= 24)
			f->rt2 = h + 8;
		else if (next == IP6_FRAGMENT && (be16(h + 2) & 0xfff9) != 0)
			fragment = true;
		next = h[0];
		off += hlen;
	}
	flow_set_l4(f, p + off, len - off, next, fragment);
	return true;
truncated:
	flow_set_l4(f, p + off, 0, next, true);
	return true;
}

static bool
parse_ip(uint16_t ethertype, const uint8_t *p, uint32_t len, struct flow *f)
{
	memset(f, 0, sizeof(*f));
	if (ethertype == ETHERTYPE_IPV4)
		return parse_ipv4(p, len, f);
	if (ethertype == ETHERTYPE_IPV6)
		return parse_ipv6(p, len, f);
	return false;
}

/* Ethernet with up to two VLAN tags: the ethertype and the L3 offset. */
static bool
parse_eth(const uint8_t *p, uint32_t len, uint16_t *ethertype, uint32_t *off)
{
	uint32_t o = 12;
	uint16_t type;
	int tags;

	if (len < ETH_HDR_LEN)
		return false;
	type = be16(p + o);
	for (tags = 0; tags < 2 && (type == ETHERTYPE_VLAN ||
			type == ETHERTYPE_QINQ); tags++) {
		o += 4;
		if (len < o + 2)
			return false;
		type = be16(p + o);
	}
	*ethertype = type;
	*off = o + 2;
	return true;
}

/* The inner headers an encapsulation carries: Ethernet or IP. */
static bool
parse_inner(uint16_t proto, const uint8_t *p, uint32_t len, struct flow *f)
{
	uint16_t type;
	uint32_t off;

	if (proto == ETHERTYPE_TEB) {
		if (!parse_eth(p, len, &type, &off))
			return false;
		return parse_ip(type, p + off, len - off, f);
	}
	return parse_ip(proto, p, len, f);
}

/*
 * GRE (RFC 2784 base header, RFC 2890 key and sequence number), version 0,
 * no routing. The encapsulation types it matches: GRE_2784 without key and
 * sequence, GRE_2890 with either, GRE_7676 when the outer header is IPv6,
 * NVGRE for a keyed GRE carrying Ethernet. Returns the matched types and
 * points *inner / *proto at the payload.
 */
static uint32_t
gre_match(const uint8_t *g, uint32_t len, bool outer_v6, const uint8_t **inner,
		uint32_t *inner_len, uint16_t *proto)
{
	uint32_t hlen = 4, types = 0;
	uint16_t flags;

	if (len < 4)
		return 0;
	flags = be16(g);
	if ((flags & (GRE_R | GRE_VERSION)) != 0)
		return 0;
	hlen += (flags & GRE_C) ? 4 : 0;
	hlen += (flags & GRE_K) ? 4 : 0;
	hlen += (flags & GRE_S) ? 4 : 0;
	if (hlen > len)
		return 0;
	*proto = be16(g + 2);
	*inner = g + hlen;
	*inner_len = len - hlen;
	if (flags & (GRE_K | GRE_S))
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2890;
	else
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784;
	if (outer_v6)
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_7676;
	if ((flags & GRE_K) && *proto == ETHERTYPE_TEB)
		types |= VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE;
	return types;
}

/* UDP encapsulations, recognised by their IANA destination port. */
static uint32_t
udp_tunnel_match(const uint8_t *u, uint32_t len, const uint8_t **inner,
		uint32_t *inner_len, uint16_t *proto)
{
	const uint8_t *h = u + 8;
	uint32_t hlen, opt;

	if (len < 8)
		return 0;
	hlen = len - 8;
	switch (be16(u + 2)) {
	case UDP_PORT_VXLAN:
		if (hlen < 8)
			return 0;
		*proto = ETHERTYPE_TEB;
		*inner = h + 8;
		*inner_len = hlen - 8;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN;
	case UDP_PORT_VXLAN_GPE:
		if (hlen < 8)
			return 0;
		/* Next protocol: 1 IPv4, 2 IPv6, 3 Ethernet. */
		if (h[3] == 1)
			*proto = ETHERTYPE_IPV4;
		else if (h[3] == 2)
			*proto = ETHERTYPE_IPV6;
		else if (h[3] == 3)
			*proto = ETHERTYPE_TEB;
		else
			return 0;
		*inner = h + 8;
		*inner_len = hlen - 8;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN_GPE;
	case UDP_PORT_GENEVE:
		if (hlen < 8)
			return 0;
		opt = (uint32_t)(h[0] & 0x3f) * 4;
		if (hlen < 8 + opt)
			return 0;
		*proto = be16(h + 2);
		*inner = h + 8 + opt;
		*inner_len = hlen - 8 - opt;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE;
	case UDP_PORT_GRE:
		if (gre_match(h, hlen, false, inner, inner_len, proto) == 0)
			return 0;
		return VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_UDP;
	default:
		return 0;
	}
}

/*
 * One level of encapsulation (spec): when the outer packet is an enabled
 * encapsulation type and its inner packet is IP, hash the inner one.
 */
static void
apply_tunnel(struct flow *f, uint32_t enabled)
{
	const uint8_t *inner = NULL;
	uint32_t inner_len = 0, types = 0;
	uint16_t proto = 0;
	struct flow in;

	if (f->fragment || f->l4len == 0)
		return;
	switch (f->proto) {
	case IPPROTO_V4:
	case IPPROTO_V6:
		types = VIRTIO_NET_HASH_TUNNEL_TYPE_IPIP;
		proto = f->proto == IPPROTO_V4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
		inner = f->l4p;
		inner_len = f->l4len;
		break;
	case IPPROTO_GRE_:
		types = gre_match(f->l4p, f->l4len, f->version == 6, &inner,
				&inner_len, &proto);
		break;
	case IPPROTO_UDP:
		if (f->l4)
			types = udp_tunnel_match(f->l4p, f->l4len, &inner,
					&inner_len, &proto);
		break;
	default:
		break;
	}
	if ((types & enabled) == 0)
		return;
	if (parse_inner(proto, inner, inner_len, &in))
		*f = in;
}

/* Load 16 address bytes as four host-order words (rte_softrss input). */
static inline void
load_v6(uint32_t *w, const uint8_t *a)
{
	w[0] = be32(a);
	w[1] = be32(a + 4);
	w[2] = be32(a + 8);
	w[3] = be32(a + 12);
}

/*
 * Toeplitz over src || dst [|| sport || dport] with DPDK's rte_softrss,
 * whose input is an array of host-order 32-bit words of the network-order
 * byte string (the layout of struct rte_ipv4_tuple / rte_ipv6_tuple).
 */
static uint32_t
toeplitz(const struct flow *f, const uint8_t *src, const uint8_t *dst,
		bool ports, const uint8_t *key)
{
	uint32_t t[RTE_THASH_V6_L4_LEN];
	uint32_t n;

	if (f->version == 4) {
		t[0] = be32(src);
		t[1] = be32(dst);
		n = RTE_THASH_V4_L3_LEN;
	} else {
		load_v6(&t[0], src);
		load_v6(&t[4], dst);
		n = RTE_THASH_V6_L3_LEN;
	}
	if (ports)
		t[n++] = be32(f->l4p);	/* sport << 16 | dport */
	return rte_softrss(t, n, key);
}

/* The spec's hash rule ladders (see "Hash calculation for incoming ..."). */
static uint16_t
hash_flow(const struct flow *f, uint32_t types, const uint8_t *key,
		uint32_t *hash)
{
	bool tcp = f->l4 && f->proto == IPPROTO_TCP;
	bool udp = f->l4 && f->proto == IPPROTO_UDP;

	if (f->version == 4) {
		if ((types & VIRTIO_NET_RSS_HASH_TYPE_TCPv4) && tcp) {
			*hash = toeplitz(f, f->src, f->dst, true, key);
			return VIRTIO_NET_HASH_REPORT_TCPv4;
		}
		if ((types & VIRTIO_NET_RSS_HASH_TYPE_UDPv4) && udp) {
			*hash = toeplitz(f, f->src, f->dst, true, key);
			return VIRTIO_NET_HASH_REPORT_UDPv4;
		}
		if (types & VIRTIO_NET_RSS_HASH_TYPE_IPv4) {
			*hash = toeplitz(f, f->src, f->dst, false, key);
			return VIRTIO_NET_HASH_REPORT_IPv4;
		}
		return VIRTIO_NET_HASH_REPORT_NONE;
	}
	if (f->version != 6)
		return VIRTIO_NET_HASH_REPORT_NONE;
	/*
	 * The _EX types apply to packets WITH extension headers (spec); QEMU
	 * also uses them without, which hashes the same bytes but reports
	 * *_EX: we follow the spec.
	 */
	if (f->ext) {
		const uint8_t *src = f->home != NULL ? f->home : f->src;
		const uint8_t *dst = f->rt2 != NULL ? f->rt2 : f->dst;

		if ((types & VIRTIO_NET_RSS_HASH_TYPE_TCP_EX) && tcp) {
			*hash = toeplitz(f, src, dst, true, key);
			return VIRTIO_NET_HASH_REPORT_TCPv6_EX;
		}
		if ((types & VIRTIO_NET_RSS_HASH_TYPE_UDP_EX) && udp) {
			*hash = toeplitz(f, src, dst, true, key);
			return VIRTIO_NET_HASH_REPORT_UDPv6_EX;
		}
		if (types & VIRTIO_NET_RSS_HASH_TYPE_IP_EX) {
			*hash = toeplitz(f, src, dst, false, key);
			return VIRTIO_NET_HASH_REPORT_IPv6_EX;
		}
	}
	if ((types & VIRTIO_NET_RSS_HASH_TYPE_TCPv6) && tcp) {
		*hash = toeplitz(f, f->src, f->dst, true, key);
		return VIRTIO_NET_HASH_REPORT_TCPv6;
	}
	if ((types & VIRTIO_NET_RSS_HASH_TYPE_UDPv6) && udp) {
		*hash = toeplitz(f, f->src, f->dst, true, key);
		return VIRTIO_NET_HASH_REPORT_UDPv6;
	}
	if (types & VIRTIO_NET_RSS_HASH_TYPE_IPv6) {
		*hash = toeplitz(f, f->src, f->dst, false, key);
		return VIRTIO_NET_HASH_REPORT_IPv6;
	}
	return VIRTIO_NET_HASH_REPORT_NONE;
}

uint16_t
cvqsim_hash_frame(const uint8_t *frame, uint32_t len, uint32_t hash_types,
		uint32_t tunnel_types, const uint8_t *key, uint32_t *hash)
{
	struct flow f;
	uint16_t type;
	uint32_t off;

	*hash = 0;
	if (hash_types == 0 || !parse_eth(frame, len, &type, &off) ||
			!parse_ip(type, frame + off, len - off, &f))
		return VIRTIO_NET_HASH_REPORT_NONE;
	if (tunnel_types != 0)
		apply_tunnel(&f, tunnel_types);
	return hash_flow(&f, hash_types, key, hash);
}

bool
cvqsim_hash_parse_l4(const uint8_t *frame, uint32_t len,
		struct cvqsim_hash_l4 *out)
{
	struct flow f;
	uint16_t type;
	uint32_t off;

	if (!parse_eth(frame, len, &type, &off) ||
			!parse_ip(type, frame + off, len - off, &f) || !f.l4 ||
			f.ext)
		return false;
	out->version = f.version;
	out->proto = f.proto;
	out->l3_off = off;
	out->l4_off = (uint32_t)(f.l4p - frame);
	return true;
}
