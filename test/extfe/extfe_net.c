/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The datapath of extfe: frames of its own making (Ethernet, optional
 * 802.1Q tag, IPv4 or IPv6, UDP or TCP, a tagged payload with a pattern),
 * transmitted with a virtio-net header on the TX rings, received into
 * buffers posted on the RX rings, and checked on the way in against our
 * view of the device state: the receive queue the device chose (RSS over
 * our own Toeplitz hash, or the sending pair), the hash it reported, the
 * payload intact, the order of each flow.
 *
 * Receive queue of pair p is vring 2p, transmit vring 2p + 1 (virtio 1.4
 * "Virtqueues" of the network device).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "extfe.h"

#define TAG_MAGIC	0x21454658u	/* "XFE!" */
#define TAG_LEN		16u
#define DEF_PAYLOAD	64u
#define QUIET_MS	20

struct frame {
	uint8_t dst[6], src[6];
	int vlan;		/* -1: untagged */
	int l3;			/* 4 or 6 */
	int l4;			/* IPPROTO_UDP or IPPROTO_TCP */
	uint8_t sip[16], dip[16];
	uint16_t sport, dport, sport_range, dport_range;
	uint32_t payload;
};

/* What a received frame carries, as we parse it. */
struct parsed {
	int vlan;
	int l3, l4;
	const uint8_t *sip, *dip;
	uint16_t sport, dport;
	const uint8_t *payload;
	uint32_t payload_len;
};

static void
frame_defaults(const struct xfe *x, struct frame *f)
{
	static const uint8_t src[6] = { 0x52, 0x54, 0x00, 0x78, 0x66, 0x01 };

	memset(f, 0, sizeof(*f));
	memcpy(f->dst, x->view.mac, 6);
	memcpy(f->src, src, 6);
	f->vlan = -1;
	f->l3 = 4;
	f->l4 = IPPROTO_UDP;
	inet_pton(AF_INET, "10.0.0.1", f->sip);
	inet_pton(AF_INET, "10.0.0.2", f->dip);
	f->sport = 1024;
	f->dport = 1024;
	f->payload = DEF_PAYLOAD;
}

static bool
is_number(const char *s)
{
	uint64_t v;

	return xfe_parse_u64(s, 65535, &v) == 0;
}

static int
parse_addrs(struct xfe *x, struct frame *f, char **argv, unsigned int argc,
		unsigned int *i, int af)
{
	if (*i + 2 >= argc || strchr(argv[*i + 1], af == AF_INET ? '.' : ':') ==
			NULL)
		return 0;
	if (inet_pton(af, argv[*i + 1], f->sip) != 1 ||
			inet_pton(af, argv[*i + 2], f->dip) != 1)
		return xfe_fail(x, -EINVAL, "send: bad %s addresses",
			af == AF_INET ? "IPv4" : "IPv6");
	*i += 2;
	return 0;
}

static int
parse_frame(struct xfe *x, struct frame *f, char **argv, unsigned int argc,
		uint64_t *count, uint64_t *queue)
{
	uint64_t v;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < argc && ret == 0; i++) {
		const char *w = argv[i], *n = i + 1 < argc ? argv[i + 1] : "";

		if (strcmp(w, "bcast") == 0) {
			memset(f->dst, 0xff, 6);
		} else if (strcmp(w, "mcast") == 0) {
			memcpy(f->dst, "\x01\x00\x5e\x00\x00\x01", 6);
		} else if (strcmp(w, "ipv4") == 0 || strcmp(w, "ipv6") == 0) {
			f->l3 = w[3] == '4' ? 4 : 6;
			if (f->l3 == 6) {
				inet_pton(AF_INET6, "fd00::1", f->sip);
				inet_pton(AF_INET6, "fd00::2", f->dip);
			}
			ret = parse_addrs(x, f, argv, argc, &i,
				f->l3 == 4 ? AF_INET : AF_INET6);
		} else if (strcmp(w, "udp") == 0 || strcmp(w, "tcp") == 0) {
			f->l4 = w[0] == 'u' ? IPPROTO_UDP : IPPROTO_TCP;
			if (i + 2 < argc && is_number(argv[i + 1]) &&
					is_number(argv[i + 2])) {
				f->sport = (uint16_t)strtoul(argv[i + 1], NULL, 0);
				f->dport = (uint16_t)strtoul(argv[i + 2], NULL, 0);
				i += 2;
			}
		} else if (i + 1 >= argc) {
			ret = xfe_fail(x, -EINVAL, "send: '%s' needs a value", w);
		} else if (strcmp(w, "count") == 0) {
			ret = xfe_parse_u64(n, 100000, count);
			i++;
		} else if (strcmp(w, "queue") == 0) {
			ret = xfe_parse_u64(n, XFE_MAX_PAIRS - 1, queue);
			i++;
		} else if (strcmp(w, "dst") == 0 || strcmp(w, "src") == 0) {
			ret = xfe_parse_mac(n, w[0] == 'd' ? f->dst : f->src);
			i++;
		} else if (strcmp(w, "vlan") == 0) {
			ret = xfe_parse_u64(n, 4095, &v);
			f->vlan = (int)v;
			i++;
		} else if (strcmp(w, "sport-range") == 0 ||
				strcmp(w, "dport-range") == 0) {
			ret = xfe_parse_u64(n, 65535, &v);
			*(w[0] == 's' ? &f->sport_range : &f->dport_range) =
				(uint16_t)v;
			i++;
		} else if (strcmp(w, "len") == 0) {
			ret = xfe_parse_u64(n, 1400, &v);
			f->payload = (uint32_t)v;
			i++;
		} else {
			ret = xfe_fail(x, -EINVAL, "send: unknown word '%s'", w);
		}
		if (ret < 0 && x->err[0] == '\0')
			xfe_fail(x, ret, "send: bad value for '%s'", w);
	}
	if (ret == 0 && f->payload < TAG_LEN)
		ret = xfe_fail(x, -EINVAL, "send: len is at least %u", TAG_LEN);
	return ret < 0 ? -EINVAL : 0;
}

static void
put16be(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
get16be(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)xfe_get_le(p, 4);
}

static uint16_t
ip_csum(const uint8_t *p, unsigned int len)
{
	uint32_t sum = 0;
	unsigned int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16be(p + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint8_t
pattern(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 7 + i);
}

/* Frame i of a send; its tag names the pair and the flow sequence. */
static uint32_t
build(const struct frame *f, uint32_t i, uint16_t pair, uint32_t seq,
		uint8_t *b)
{
	uint32_t off = 12, l4_len = (f->l4 == IPPROTO_TCP ? 20 : 8) + f->payload;
	uint16_t sport = (uint16_t)(f->sport + (f->sport_range > 1 ?
		i % f->sport_range : 0));
	uint16_t dport = (uint16_t)(f->dport + (f->dport_range > 1 ?
		i % f->dport_range : 0));
	uint8_t *ip, *l4, *pl;
	uint32_t k;

	memcpy(b, f->dst, 6);
	memcpy(b + 6, f->src, 6);
	if (f->vlan >= 0) {
		put16be(b + off, 0x8100);
		put16be(b + off + 2, (uint16_t)f->vlan);
		off += 4;
	}
	put16be(b + off, f->l3 == 4 ? 0x0800 : 0x86dd);
	ip = b + off + 2;
	if (f->l3 == 4) {
		memset(ip, 0, 20);
		ip[0] = 0x45;
		put16be(ip + 2, (uint16_t)(20 + l4_len));
		put16be(ip + 4, (uint16_t)seq);
		ip[8] = 64;
		ip[9] = (uint8_t)f->l4;
		memcpy(ip + 12, f->sip, 4);
		memcpy(ip + 16, f->dip, 4);
		put16be(ip + 10, ip_csum(ip, 20));
		l4 = ip + 20;
	} else {
		memset(ip, 0, 40);
		ip[0] = 0x60;
		put16be(ip + 4, (uint16_t)l4_len);
		ip[6] = (uint8_t)f->l4;
		ip[7] = 64;
		memcpy(ip + 8, f->sip, 16);
		memcpy(ip + 24, f->dip, 16);
		l4 = ip + 40;
	}
	memset(l4, 0, l4_len - f->payload);
	put16be(l4, sport);
	put16be(l4 + 2, dport);
	if (f->l4 == IPPROTO_UDP) {
		put16be(l4 + 4, (uint16_t)l4_len);
		pl = l4 + 8;
	} else {
		l4[12] = 5 << 4;
		l4[13] = 0x18;		/* PSH ACK */
		put16be(l4 + 14, 65535);
		pl = l4 + 20;
	}
	xfe_put_le(pl, TAG_MAGIC, 4);
	xfe_put_le(pl + 4, pair, 4);
	xfe_put_le(pl + 8, seq, 4);
	xfe_put_le(pl + 12, f->payload, 4);
	for (k = TAG_LEN; k < f->payload; k++)
		pl[k] = pattern(seq, k);
	return (uint32_t)(pl + f->payload - b);
}

/* Completed transmissions: their descriptors back, counted per pair. */
static int
reap_tx(struct xfe *x)
{
	struct xfe_used u;
	unsigned int p;
	int ret;

	for (p = 0; p < x->nr_pairs; p++) {
		while ((ret = xfe_ring_used(x, &x->rings[2 * p + 1], &u)) > 0)
			x->pq[p].tx_done++;
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
post_rx(struct xfe *x, uint16_t pair)
{
	struct xfe_ring *r = &x->rings[2 * pair];
	uint16_t head = r->free_head;
	struct xfe_seg s = { xfe_gpa(x, x->rxbuf[pair] +
		(size_t)head * XFE_BUF_SIZE), XFE_BUF_SIZE, true };

	return xfe_ring_add(r, &s, 1, head, NULL, 0);
}

int
xfe_net_setup(struct xfe *x)
{
	uint16_t p, i;
	int ret;

	for (p = 0; p < x->nr_pairs; p++)
		for (i = 0; i < x->ring_size; i++) {
			ret = post_rx(x, p);
			if (ret < 0)
				return xfe_fail(x, ret, "RX buffers");
		}
	return 0;
}

int
xfe_send(struct xfe *x, char **argv, unsigned int argc)
{
	struct frame f;
	uint64_t count = 1, queue = 0, deadline;
	struct xfe_ring *r;
	struct xfe_seg s;
	uint32_t i, len;
	uint8_t *b;
	uint16_t head;
	int ret;

	frame_defaults(x, &f);
	if (parse_frame(x, &f, argv, argc, &count, &queue) < 0)
		return -EINVAL;
	if (queue >= x->nr_pairs)
		return xfe_fail(x, -EINVAL, "send: queue %u, the device has %u"
			" pairs", (unsigned int)queue, x->nr_pairs);
	r = &x->rings[2 * queue + 1];
	for (i = 0; i < count; i++) {
		deadline = xfe_now_ms() + 2000;
		while (r->num_free == 0) {
			ret = reap_tx(x);
			if (ret < 0)
				return ret;
			if (xfe_now_ms() > deadline)
				return xfe_fail(x, -ENOSPC, "send: TX ring %u full"
					" for 2 s", r->index);
			nanosleep(&(struct timespec){ 0, 100000 }, NULL);
		}
		head = r->free_head;
		b = x->txbuf[queue] + (size_t)head * XFE_BUF_SIZE;
		memset(b, 0, x->hdr_len);
		len = build(&f, i, (uint16_t)queue, x->tx_seq[queue]++,
			b + x->hdr_len);
		s = (struct xfe_seg){ xfe_gpa(x, b), x->hdr_len + len, false };
		ret = xfe_ring_add(r, &s, 1, head, NULL, 0);
		if (ret < 0)
			return xfe_fail(x, ret, "send: TX ring %u", r->index);
		x->pq[queue].tx_pkts++;
	}
	xfe_ring_kick(r);
	return 0;
}

/* ---- receive ---- */

uint32_t
xfe_toeplitz(const uint8_t *key, unsigned int key_len, const uint8_t *in,
		unsigned int len)
{
	uint32_t h = 0, v = 0;
	unsigned int i, b;

	for (i = 0; i < 4; i++)
		v = v << 8 | (i < key_len ? key[i] : 0);
	for (i = 0; i < len; i++)
		for (b = 0; b < 8; b++) {
			if (in[i] & (0x80 >> b))
				h ^= v;
			v = v << 1 | ((i + 4 < key_len ?
				key[i + 4] : 0) >> (7 - b) & 1);
		}
	return h;
}

static int
parse_rx(const uint8_t *b, uint32_t len, struct parsed *p)
{
	uint32_t off = 12, ihl;
	const uint8_t *l4;
	uint16_t et;

	memset(p, 0, sizeof(*p));
	p->vlan = -1;
	if (len < 14)
		return -EINVAL;
	et = get16be(b + off);
	if (et == 0x8100 && len >= 18) {
		p->vlan = get16be(b + off + 2) & 0xfff;
		off += 4;
		et = get16be(b + off);
	}
	off += 2;
	if (et == 0x0800 && len >= off + 20) {
		ihl = (b[off] & 0xfu) * 4u;
		p->l3 = 4;
		p->l4 = b[off + 9];
		p->sip = b + off + 12;
		p->dip = b + off + 16;
		off += ihl;
	} else if (et == 0x86dd && len >= off + 40) {
		p->l3 = 6;
		p->l4 = b[off + 6];
		p->sip = b + off + 8;
		p->dip = b + off + 24;
		off += 40;
	} else {
		return -EINVAL;
	}
	l4 = b + off;
	if ((p->l4 != IPPROTO_UDP && p->l4 != IPPROTO_TCP) ||
			len < off + (p->l4 == IPPROTO_TCP ? 20u : 8u))
		return -EINVAL;
	p->sport = get16be(l4);
	p->dport = get16be(l4 + 2);
	off += p->l4 == IPPROTO_TCP ? 20u : 8u;
	p->payload = b + off;
	p->payload_len = len - off;
	return 0;
}

/* virtio 1.4 "Hash calculation for incoming packets": which fields, which
 * report type (1 IPv4, 2 TCPv4, 3 UDPv4, 4 IPv6, 5 TCPv6, 6 UDPv6). */
static uint16_t
expected_hash(const struct parsed *p, uint32_t types, const uint8_t *key,
		unsigned int key_len, uint32_t *hash)
{
	uint8_t in[36];
	unsigned int alen = p->l3 == 4 ? 4 : 16, n = 2 * alen;
	uint32_t base = p->l3 == 4 ? 0 : 3;	/* type bits of IPv6: << 3 */
	uint16_t report;

	memcpy(in, p->sip, alen);
	memcpy(in + alen, p->dip, alen);
	if (p->l4 == IPPROTO_TCP && (types & (2u << base))) {
		report = (uint16_t)(p->l3 == 4 ? 2 : 5);
	} else if (p->l4 == IPPROTO_UDP && (types & (4u << base))) {
		report = (uint16_t)(p->l3 == 4 ? 3 : 6);
	} else if (types & (1u << base)) {
		*hash = xfe_toeplitz(key, key_len, in, n);
		return (uint16_t)(p->l3 == 4 ? 1 : 4);
	} else {
		*hash = 0;
		return 0;
	}
	in[n] = (uint8_t)(p->sport >> 8);
	in[n + 1] = (uint8_t)p->sport;
	in[n + 2] = (uint8_t)(p->dport >> 8);
	in[n + 3] = (uint8_t)p->dport;
	*hash = xfe_toeplitz(key, key_len, in, n + 4);
	return report;
}

static void
check_flow(struct xfe *x, const struct parsed *p, uint16_t q, uint16_t *from)
{
	uint32_t seq, plen, k;

	*from = UINT16_MAX;
	if (p->payload_len < TAG_LEN || get32(p->payload) != TAG_MAGIC) {
		x->checks.bad_payload++;
		return;
	}
	plen = get32(p->payload + 12);
	seq = get32(p->payload + 8);
	if (plen != p->payload_len || get32(p->payload + 4) >= x->nr_pairs) {
		x->checks.bad_payload++;
		return;
	}
	for (k = TAG_LEN; k < plen; k++)
		if (p->payload[k] != pattern(seq, k)) {
			x->checks.bad_payload++;
			return;
		}
	*from = (uint16_t)get32(p->payload + 4);
	if (x->rx_seen[*from][q] && (int32_t)(seq - x->rx_last_seq[*from][q]) <= 0)
		x->rx_out_of_order++;
	x->rx_seen[*from][q] = true;
	x->rx_last_seq[*from][q] = seq;
}

/* Where the device should have put it: RSS over our hash, else the pair
 * that sent it (automatic steering), pair 0 without multiqueue. */
static void
check_steering(struct xfe *x, const struct parsed *p, uint16_t q,
		uint16_t from)
{
	const struct xfe_view *v = &x->view;
	uint32_t hash;
	uint16_t want = from;

	if (!xfe_has(x, XFE_F_MQ) && !xfe_has(x, XFE_F_RSS))
		want = 0;
	else if (v->rss && v->table_len > 0)
		want = expected_hash(p, v->rss_types, v->rss_key, v->rss_key_len,
			&hash) != 0 ? v->table[hash & (v->table_len - 1u)] :
			v->unclassified;
	if (want == q)
		x->checks.steer_ok++;
	else
		x->checks.steer_bad++;
}

static void
check_hash(struct xfe *x, const struct parsed *p, const uint8_t *hdr,
		struct xfe_last_rx *last)
{
	const struct xfe_view *v = &x->view;
	uint32_t want_hash = 0;
	uint16_t want = 0;

	if (x->hdr_len < 20) {
		x->checks.hash_none++;
		x->checks.hash_ok++;
		return;
	}
	last->hash_value = get32(hdr + 12);
	last->hash_report = (uint16_t)(hdr[16] | hdr[17] << 8);
	if (last->hash_report != 0)
		x->rx_hash_reported++;
	else
		x->checks.hash_none++;
	if (v->rss)
		want = expected_hash(p, v->rss_types, v->rss_key, v->rss_key_len,
			&want_hash);
	else if (v->hash_types != 0)
		want = expected_hash(p, v->hash_types, v->hash_key,
			v->hash_key_len, &want_hash);
	if (want == last->hash_report &&
			(want == 0 || want_hash == last->hash_value))
		x->checks.hash_ok++;
	else
		x->checks.hash_bad++;
}

static void
rx_one(struct xfe *x, uint16_t q, const uint8_t *buf, uint32_t len)
{
	struct xfe_last_rx *last = &x->last[q];
	struct parsed p;
	uint16_t from;

	x->recv_total++;
	x->recv_q[q]++;
	x->pq[q].rx_pkts++;
	memset(last, 0, sizeof(*last));
	last->len = len - x->hdr_len;
	last->flags = buf[0];
	last->num_buffers = (uint16_t)(buf[10] | buf[11] << 8);
	if (parse_rx(buf + x->hdr_len, len - x->hdr_len, &p) < 0) {
		x->checks.bad_payload++;
		return;
	}
	if (p.vlan >= 0) {
		x->checks.vlan_tagged++;
		last->vlan = (uint16_t)p.vlan;
	}
	check_hash(x, &p, buf, last);
	check_flow(x, &p, q, &from);
	if (from != UINT16_MAX)
		check_steering(x, &p, q, from);
}

/* Every used RX buffer: checked, then given back. */
static int
drain_rx(struct xfe *x, unsigned int *got)
{
	struct xfe_used u;
	uint16_t p;
	int ret;

	for (p = 0; p < x->nr_pairs; p++) {
		struct xfe_ring *r = &x->rings[2 * p];
		bool posted = false;

		while ((ret = xfe_ring_used(x, r, &u)) > 0) {
			if (u.len < x->hdr_len)
				return xfe_fail(x, -EPROTO, "vring %u: used length"
					" %u is shorter than the %u-byte header",
					r->index, u.len, x->hdr_len);
			rx_one(x, p, x->rxbuf[p] + (size_t)u.cookie *
				XFE_BUF_SIZE, u.len);
			(*got)++;
			ret = post_rx(x, p);
			if (ret < 0)
				return xfe_fail(x, ret, "RX ring %u", r->index);
			posted = true;
		}
		if (ret < 0)
			return ret;
		if (posted)
			xfe_ring_kick(r);
	}
	return 0;
}

static bool
tx_settled(const struct xfe *x)
{
	unsigned int p;

	for (p = 0; p < x->nr_pairs; p++)
		if (x->pq[p].tx_done < x->pq[p].tx_pkts)
			return false;
	return true;
}

/* Receive until every frame sent was completed and the rings stayed
 * quiet, or until the timeout. */
int
xfe_recv(struct xfe *x, unsigned int timeout_ms)
{
	uint64_t deadline = xfe_now_ms() + timeout_ms, quiet = xfe_now_ms();
	unsigned int got, p;
	int ret;

	x->recv_done = true;
	x->recv_total = 0;
	memset(x->recv_q, 0, sizeof(x->recv_q));
	for (;;) {
		got = 0;
		ret = reap_tx(x);
		if (ret == 0)
			ret = drain_rx(x, &got);
		if (ret < 0)
			return ret;
		if (got > 0)
			quiet = xfe_now_ms();
		if (tx_settled(x) && xfe_now_ms() - quiet >= QUIET_MS)
			break;
		if (xfe_now_ms() >= deadline)
			break;
		nanosleep(&(struct timespec){ 0, 200000 }, NULL);
	}
	if (x->quiet)
		return 0;
	printf("extfe: received %llu frames:", (unsigned long long)x->recv_total);
	for (p = 0; p < x->nr_pairs; p++)
		printf(" q%u %llu", p, (unsigned long long)x->recv_q[p]);
	printf("\n");
	return 0;
}
