/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frames.h"

#define ETH_HDR_LEN	14
#define VLAN_TAG_LEN	4
#define IPV4_HDR_LEN	20
#define IPV6_HDR_LEN	40
#define UDP_HDR_LEN	8
#define TCP_HDR_LEN	20
#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_VLAN	0x8100
#define ETHERTYPE_QINQ	0x88a8
/* Local experimental ethertype, for raw L2 streams. */
#define ETHERTYPE_RAW	0x88b5

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* One's complement sum of a byte string, big-endian 16-bit words. */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void
frame_spec_init(struct frame_spec *spec)
{
	static const uint8_t dst[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x02 };
	static const uint8_t src[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };

	memset(spec, 0, sizeof(*spec));
	memcpy(spec->dst, dst, 6);
	memcpy(spec->src, src, 6);
	spec->ethertype = ETHERTYPE_RAW;
	spec->l3 = FRAME_L3_IPV4;
	spec->l4 = FRAME_L4_UDP;
	spec->sip[0] = 10;
	spec->sip[3] = 1;
	spec->dip[0] = 10;
	spec->dip[3] = 2;
	spec->sport = 1024;
	spec->dport = 1024;
	spec->payload_len = 64;
	spec->count = 1;
}

int
frame_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
			&b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = (uint8_t)b[i];
	}
	return 0;
}

char *
frame_format_mac(const uint8_t mac[6], char *buf)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

static int
parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* An address token: the family it parses as must match the stream's L3. */
static int
parse_ip(const char *s, uint8_t out[16], uint8_t *family)
{
	uint8_t tmp[16];

	if (inet_pton(AF_INET, s, tmp) == 1) {
		memset(out, 0, 16);
		memcpy(out, tmp, 4);
		*family = FRAME_L3_IPV4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, tmp) == 1) {
		memcpy(out, tmp, 16);
		*family = FRAME_L3_IPV6;
		return 0;
	}
	return -EINVAL;
}

static int
spec_token(struct frame_spec *spec, const char *tok, uint8_t *sfam,
		uint8_t *dfam, char *err, size_t errlen)
{
	const char *eq = strchr(tok, '=');
	char key[32];
	const char *val;
	uint64_t v;
	size_t klen;

	if (eq == NULL) {
		if (strcasecmp(tok, "ipv4") == 0)
			spec->l3 = FRAME_L3_IPV4;
		else if (strcasecmp(tok, "ipv6") == 0)
			spec->l3 = FRAME_L3_IPV6;
		else if (strcasecmp(tok, "raw") == 0)
			spec->l3 = FRAME_L3_NONE;
		else if (strcasecmp(tok, "udp") == 0)
			spec->l4 = FRAME_L4_UDP;
		else if (strcasecmp(tok, "tcp") == 0)
			spec->l4 = FRAME_L4_TCP;
		else if (strcasecmp(tok, "novlan") == 0)
			spec->has_vlan = false;
		else
			goto bad;
		return 0;
	}
	klen = (size_t)(eq - tok);
	if (klen == 0 || klen >= sizeof(key))
		goto bad;
	memcpy(key, tok, klen);
	key[klen] = '\0';
	val = eq + 1;

	if (strcasecmp(key, "dst") == 0) {
		if (frame_parse_mac(val, spec->dst) < 0)
			goto bad;
	} else if (strcasecmp(key, "src") == 0) {
		if (frame_parse_mac(val, spec->src) < 0)
			goto bad;
	} else if (strcasecmp(key, "vlan") == 0) {
		if (parse_uint(val, 4095, &v) < 0)
			goto bad;
		spec->has_vlan = true;
		spec->vlan_tci = (spec->vlan_tci & 0xf000) | (uint16_t)v;
	} else if (strcasecmp(key, "pcp") == 0) {
		if (parse_uint(val, 7, &v) < 0)
			goto bad;
		spec->vlan_tci = (spec->vlan_tci & 0x0fff) | (uint16_t)(v << 13);
	} else if (strcasecmp(key, "sip") == 0) {
		if (parse_ip(val, spec->sip, sfam) < 0)
			goto bad;
	} else if (strcasecmp(key, "dip") == 0) {
		if (parse_ip(val, spec->dip, dfam) < 0)
			goto bad;
	} else if (strcasecmp(key, "sport") == 0) {
		if (parse_uint(val, 65535, &v) < 0)
			goto bad;
		spec->sport = (uint16_t)v;
	} else if (strcasecmp(key, "dport") == 0) {
		if (parse_uint(val, 65535, &v) < 0)
			goto bad;
		spec->dport = (uint16_t)v;
	} else if (strcasecmp(key, "sport-range") == 0) {
		if (parse_uint(val, 65535, &v) < 0)
			goto bad;
		spec->sport_range = (uint16_t)v;
	} else if (strcasecmp(key, "dport-range") == 0) {
		if (parse_uint(val, 65535, &v) < 0)
			goto bad;
		spec->dport_range = (uint16_t)v;
	} else if (strcasecmp(key, "len") == 0) {
		if (parse_uint(val, FRAME_MAX_LEN, &v) < 0 || v < FRAME_TAG_LEN)
			goto bad;
		spec->payload_len = (uint32_t)v;
	} else if (strcasecmp(key, "count") == 0) {
		if (parse_uint(val, UINT32_MAX, &v) < 0)
			goto bad;
		spec->count = (uint32_t)v;
	} else if (strcasecmp(key, "stream") == 0) {
		if (parse_uint(val, UINT32_MAX, &v) < 0)
			goto bad;
		spec->stream = (uint32_t)v;
	} else if (strcasecmp(key, "ethertype") == 0) {
		if (parse_uint(val, 0xffff, &v) < 0 || v < 0x600)
			goto bad;
		spec->ethertype = (uint16_t)v;
	} else {
		goto bad;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad frame token '%s'", tok);
	return -EINVAL;
}

static void
default_ip(uint8_t ip[16], uint8_t family, uint8_t host)
{
	memset(ip, 0, 16);
	if (family == FRAME_L3_IPV6) {
		ip[0] = 0xfd;
		ip[15] = host;
	} else {
		ip[0] = 10;
		ip[3] = host;
	}
}

int
frame_spec_parse(struct frame_spec *spec, const char *text, char *err,
		size_t errlen)
{
	struct frame_spec tmp = *spec;
	uint8_t sfam = 0, dfam = 0;
	char tok[128];
	const char *p = text;
	size_t n;
	int ret;

	if (errlen > 0)
		err[0] = '\0';
	while (*p != '\0') {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		n = 0;
		while (p[n] != '\0' && !isspace((unsigned char)p[n]))
			n++;
		if (n >= sizeof(tok)) {
			snprintf(err, errlen, "frame token too long");
			return -EINVAL;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		ret = spec_token(&tmp, tok, &sfam, &dfam, err, errlen);
		if (ret < 0)
			return ret;
	}
	/* An address given in the other family than the stream's is a typo. */
	if (tmp.l3 != FRAME_L3_NONE && ((sfam != 0 && sfam != tmp.l3) ||
			(dfam != 0 && dfam != tmp.l3))) {
		snprintf(err, errlen, "address family does not match ipv%u",
			tmp.l3);
		return -EINVAL;
	}
	if (tmp.l3 != spec->l3 && tmp.l3 != FRAME_L3_NONE) {
		/* Family switched: default addresses for the ones not given,
		 * 10.0.0.1 -> 10.0.0.2 or fd00::1 -> fd00::2.
		 */
		if (sfam == 0)
			default_ip(tmp.sip, tmp.l3, 1);
		if (dfam == 0)
			default_ip(tmp.dip, tmp.l3, 2);
	}
	if (frame_len(&tmp) > FRAME_MAX_LEN) {
		snprintf(err, errlen, "frame longer than %u bytes", FRAME_MAX_LEN);
		return -EINVAL;
	}
	*spec = tmp;
	return 0;
}

int
frame_spec_format(const struct frame_spec *spec, char *buf, size_t len)
{
	char dst[18], src[18], sip[INET6_ADDRSTRLEN], dip[INET6_ADDRSTRLEN];
	char vlan[32] = "";
	int af = spec->l3 == FRAME_L3_IPV6 ? AF_INET6 : AF_INET;

	frame_format_mac(spec->dst, dst);
	frame_format_mac(spec->src, src);
	if (spec->has_vlan)
		snprintf(vlan, sizeof(vlan), " vlan=%u pcp=%u",
			spec->vlan_tci & 0xfff, spec->vlan_tci >> 13);
	if (spec->l3 == FRAME_L3_NONE)
		return snprintf(buf, len,
			"dst=%s src=%s%s raw ethertype=0x%04x len=%u count=%u stream=%u",
			dst, src, vlan, spec->ethertype, spec->payload_len,
			spec->count, spec->stream);
	inet_ntop(af, spec->sip, sip, sizeof(sip));
	inet_ntop(af, spec->dip, dip, sizeof(dip));
	return snprintf(buf, len,
		"dst=%s src=%s%s ipv%u %s sip=%s dip=%s sport=%u dport=%u "
		"sport-range=%u dport-range=%u len=%u count=%u stream=%u",
		dst, src, vlan, spec->l3,
		spec->l4 == FRAME_L4_TCP ? "tcp" : "udp", sip, dip,
		spec->sport, spec->dport, spec->sport_range, spec->dport_range,
		spec->payload_len, spec->count, spec->stream);
}

static uint32_t
l2_len(const struct frame_spec *spec)
{
	return ETH_HDR_LEN + (spec->has_vlan ? VLAN_TAG_LEN : 0);
}

static uint32_t
l3_len(const struct frame_spec *spec)
{
	switch (spec->l3) {
	case FRAME_L3_IPV4:
		return IPV4_HDR_LEN;
	case FRAME_L3_IPV6:
		return IPV6_HDR_LEN;
	default:
		return 0;
	}
}

static uint32_t
l4_len(const struct frame_spec *spec)
{
	if (spec->l3 == FRAME_L3_NONE)
		return 0;
	return spec->l4 == FRAME_L4_TCP ? TCP_HDR_LEN : UDP_HDR_LEN;
}

uint32_t
frame_len(const struct frame_spec *spec)
{
	return l2_len(spec) + l3_len(spec) + l4_len(spec) + spec->payload_len;
}

static uint8_t
pattern_byte(uint32_t seq, uint32_t i)
{
	return (uint8_t)(seq * 7u + i);
}

static uint16_t
port_of(uint16_t base, uint16_t range, uint32_t seq)
{
	if (range <= 1)
		return base;
	return (uint16_t)(base + seq % range);
}

/* One's complement sum of the TCP/UDP pseudo-header, not folded. */
static uint32_t
pseudo_sum(const struct frame_spec *spec, uint32_t l4len)
{
	uint8_t pseudo[8];
	uint32_t sum = 0;
	unsigned int alen = spec->l3 == FRAME_L3_IPV6 ? 16 : 4;

	sum = csum_add(sum, spec->sip, alen);
	sum = csum_add(sum, spec->dip, alen);
	put32(pseudo, l4len);
	put32(pseudo + 4, spec->l4);
	return csum_add(sum, pseudo, 8);
}

uint16_t
frame_pseudo_csum(const struct frame_spec *spec)
{
	return (uint16_t)~csum_fold(pseudo_sum(spec,
		l4_len(spec) + spec->payload_len));
}

/* TCP/UDP checksum over the pseudo-header and the whole L4 segment. */
static uint16_t
l4_csum(const struct frame_spec *spec, const uint8_t *l4, uint32_t l4len)
{
	uint16_t c = csum_fold(csum_add(pseudo_sum(spec, l4len), l4, l4len));

	/* UDP sends a computed 0 as 0xffff (0 means "no checksum"). */
	if (c == 0 && spec->l4 == FRAME_L4_UDP)
		c = 0xffff;
	return c;
}

uint32_t
frame_build(const struct frame_spec *spec, uint32_t seq, uint8_t *buf,
		uint32_t cap)
{
	uint32_t len = frame_len(spec);
	uint32_t off, l4off, l4len, i;
	uint8_t *pay;

	if (len > cap || len > FRAME_MAX_LEN || spec->payload_len < FRAME_TAG_LEN)
		return 0;
	if (spec->l3 != FRAME_L3_NONE && spec->l3 != FRAME_L3_IPV4 &&
			spec->l3 != FRAME_L3_IPV6)
		return 0;
	memcpy(buf, spec->dst, 6);
	memcpy(buf + 6, spec->src, 6);
	off = 12;
	if (spec->has_vlan) {
		put16(buf + off, ETHERTYPE_VLAN);
		put16(buf + off + 2, spec->vlan_tci);
		off += 4;
	}
	put16(buf + off, spec->l3 == FRAME_L3_IPV4 ? ETHERTYPE_IPV4 :
		spec->l3 == FRAME_L3_IPV6 ? ETHERTYPE_IPV6 : spec->ethertype);
	off += 2;

	l4off = off + l3_len(spec);
	l4len = l4_len(spec) + spec->payload_len;
	if (spec->l3 == FRAME_L3_IPV4) {
		uint8_t *ip = buf + off;

		memset(ip, 0, IPV4_HDR_LEN);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(IPV4_HDR_LEN + l4len));
		put16(ip + 4, (uint16_t)seq);
		put16(ip + 6, 0x4000);	/* DF */
		ip[8] = 64;
		ip[9] = spec->l4;
		memcpy(ip + 12, spec->sip, 4);
		memcpy(ip + 16, spec->dip, 4);
		put16(ip + 10, csum_fold(csum_add(0, ip, IPV4_HDR_LEN)));
	} else if (spec->l3 == FRAME_L3_IPV6) {
		uint8_t *ip = buf + off;

		memset(ip, 0, IPV6_HDR_LEN);
		put32(ip, 0x60000000);
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = spec->l4;
		ip[7] = 64;
		memcpy(ip + 8, spec->sip, 16);
		memcpy(ip + 24, spec->dip, 16);
	}

	pay = buf + l4off + l4_len(spec);
	put32(pay, FRAME_TAG_MAGIC);
	put32(pay + 4, spec->stream);
	put32(pay + 8, seq);
	put32(pay + 12, spec->payload_len);
	for (i = FRAME_TAG_LEN; i < spec->payload_len; i++)
		pay[i] = pattern_byte(seq, i);

	if (spec->l3 != FRAME_L3_NONE) {
		uint8_t *l4 = buf + l4off;

		put16(l4, port_of(spec->sport, spec->sport_range, seq));
		put16(l4 + 2, port_of(spec->dport, spec->dport_range, seq));
		if (spec->l4 == FRAME_L4_TCP) {
			memset(l4 + 4, 0, TCP_HDR_LEN - 4);
			put32(l4 + 4, seq);
			l4[12] = 5 << 4;
			l4[13] = 0x18;	/* PSH | ACK */
			put16(l4 + 14, 65535);
			put16(l4 + 16, l4_csum(spec, l4, l4len));
		} else {
			put16(l4 + 4, (uint16_t)l4len);
			put16(l4 + 6, 0);
			put16(l4 + 6, l4_csum(spec, l4, l4len));
		}
	}
	return len;
}

int
frame_parse(const uint8_t *frame, uint32_t len, struct frame_info *info)
{
	uint32_t off = 12, l4off = 0, l4_hlen = 0, l4_total = 0;
	uint16_t et;
	const uint8_t *pay;

	memset(info, 0, sizeof(*info));
	if (len < ETH_HDR_LEN)
		return -EINVAL;
	memcpy(info->dst, frame, 6);
	memcpy(info->src, frame + 6, 6);
	et = get16(frame + off);
	if ((et == ETHERTYPE_VLAN || et == ETHERTYPE_QINQ) &&
			len >= ETH_HDR_LEN + VLAN_TAG_LEN) {
		info->has_vlan = true;
		info->vlan_tci = get16(frame + off + 2);
		off += 4;
		et = get16(frame + off);
	}
	off += 2;
	info->ethertype = et;
	info->l3_csum_ok = true;

	if (et == ETHERTYPE_IPV4 && len >= off + IPV4_HDR_LEN &&
			(frame[off] >> 4) == 4) {
		uint32_t ihl = (frame[off] & 0xf) * 4u;
		uint32_t tot = get16(frame + off + 2);

		if (ihl < IPV4_HDR_LEN || len < off + ihl || tot < ihl ||
				off + tot > len)
			return 0;
		info->l3 = FRAME_L3_IPV4;
		info->l4 = frame[off + 9];
		memcpy(info->sip, frame + off + 12, 4);
		memcpy(info->dip, frame + off + 16, 4);
		info->l3_csum_ok = csum_fold(csum_add(0, frame + off, ihl)) == 0;
		l4off = off + ihl;
		l4_total = tot - ihl;
	} else if (et == ETHERTYPE_IPV6 && len >= off + IPV6_HDR_LEN &&
			(frame[off] >> 4) == 6) {
		uint32_t plen = get16(frame + off + 4);

		if (off + IPV6_HDR_LEN + plen > len)
			return 0;
		info->l3 = FRAME_L3_IPV6;
		info->l4 = frame[off + 6];
		memcpy(info->sip, frame + off + 8, 16);
		memcpy(info->dip, frame + off + 24, 16);
		l4off = off + IPV6_HDR_LEN;
		l4_total = plen;
	} else {
		/* Not IP: the payload follows the ethertype. */
		info->l4_payload_off = off;
		info->l4_payload_len = len - off;
		goto tag;
	}

	if (info->l4 == FRAME_L4_UDP && l4_total >= UDP_HDR_LEN)
		l4_hlen = UDP_HDR_LEN;
	else if (info->l4 == FRAME_L4_TCP && l4_total >= TCP_HDR_LEN)
		l4_hlen = (frame[l4off + 12] >> 4) * 4u;
	if (l4_hlen == 0 || l4_hlen > l4_total)
		return 0;
	info->sport = get16(frame + l4off);
	info->dport = get16(frame + l4off + 2);
	info->l4_payload_off = l4off + l4_hlen;
	info->l4_payload_len = l4_total - l4_hlen;

tag:
	if (info->l4_payload_len < FRAME_TAG_LEN)
		return 0;
	pay = frame + info->l4_payload_off;
	if (get32(pay) != FRAME_TAG_MAGIC ||
			get32(pay + 12) > info->l4_payload_len)
		return 0;
	info->has_tag = true;
	info->stream = get32(pay + 4);
	info->seq = get32(pay + 8);
	info->pattern_ok = true;
	for (uint32_t i = FRAME_TAG_LEN; i < get32(pay + 12); i++) {
		if (pay[i] != pattern_byte(info->seq, i)) {
			info->pattern_ok = false;
			break;
		}
	}
	return 0;
}

int
frame_check(const struct frame_spec *spec, const uint8_t *frame, uint32_t len,
		uint32_t *seq, char *err, size_t errlen)
{
	uint8_t expect[FRAME_MAX_LEN];
	struct frame_info info;
	uint32_t elen, i;

	if (frame_parse(frame, len, &info) < 0) {
		snprintf(err, errlen, "runt frame (%u bytes)", len);
		return -EINVAL;
	}
	if (!info.has_tag) {
		snprintf(err, errlen, "no tag in the payload");
		return -EINVAL;
	}
	if (info.stream != spec->stream) {
		snprintf(err, errlen, "stream %u, expected %u", info.stream,
			spec->stream);
		return -EINVAL;
	}
	elen = frame_build(spec, info.seq, expect, sizeof(expect));
	if (elen == 0) {
		snprintf(err, errlen, "invalid reference spec");
		return -EINVAL;
	}
	if (len != elen) {
		snprintf(err, errlen, "seq %u: length %u, expected %u",
			info.seq, len, elen);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (frame[i] != expect[i]) {
			snprintf(err, errlen,
				"seq %u: byte %u is 0x%02x, expected 0x%02x",
				info.seq, i, frame[i], expect[i]);
			return -EINVAL;
		}
	}
	if (seq != NULL)
		*seq = info.seq;
	return 0;
}
