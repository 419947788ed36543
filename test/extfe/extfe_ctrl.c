/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Control commands, encoded from virtio 1.4 "Control Virtqueue" (5.1.6.5):
 *
 *   struct virtio_net_ctrl { u8 class; u8 command; u8 data[];   (driver)
 *                            u8 ack; u8 result[]; };            (device)
 *
 * all fields little-endian. "ctrl CLASS ARGS" of the scenario language is
 * parsed here, sent in the current layout, and on VIRTIO_NET_OK applied
 * to our view of the device (struct xfe_view), which "expect state" and
 * the receive checks read.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "extfe.h"

#define ACK_OK		0
#define ACK_ERR		1

enum { COAL_TX = 0, COAL_RX = 1, COAL_VQ_SET = 2, COAL_VQ_GET = 3 };

/* The Toeplitz key of the spec's RSS example (Microsoft's verification key). */
static const uint8_t default_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* Statistics types: the bit in a types bitmap is 1 << (reply type). */
static const struct xfe_name stats_names[] = {
	{ "rx_basic", 1ULL << 0 }, { "rx_csum", 1ULL << 1 },
	{ "rx_gso", 1ULL << 2 }, { "rx_speed", 1ULL << 3 },
	{ "tx_basic", 1ULL << 16 }, { "tx_csum", 1ULL << 17 },
	{ "tx_gso", 1ULL << 18 }, { "tx_speed", 1ULL << 19 },
	{ "cvq", 1ULL << 32 }, { NULL, 0 },
};

static const char *const rx_modes[] = { "promisc", "allmulti", "alluni",
	"nomulti", "nouni", "nobcast" };

static void
put16(uint8_t *p, uint16_t v)
{
	xfe_put_le(p, v, 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	xfe_put_le(p, v, 4);
}

/* A Toeplitz key after its length byte. */
static void
put_key(uint8_t *p, const uint8_t *key, uint8_t key_len)
{
	p[0] = key_len;
	if (key_len > 0)
		memcpy(p + 1, key, key_len);
}

/* ---- one request ---- */

struct req {
	uint8_t out[XFE_CTRL_OUT_MAX];
	uint32_t out_len;
	uint32_t result_len;	/* device-writable bytes after the ack */
	/* Where the data starts, for the SPLIT layout's cut. */
	uint32_t hdr_len;
	bool overflow;		/* longer than out[]: refused before sending */
};

static void
req_init(struct req *r, uint8_t class, uint8_t cmd)
{
	r->out[0] = class;
	r->out[1] = cmd;
	r->out_len = 2;
	r->result_len = 0;
	r->hdr_len = 2;
	r->overflow = false;
}

/* Room for len more bytes; past the end, a scratch area and the request
 * is marked too long (callers need not check). */
static uint8_t *
req_put(struct req *r, uint32_t len)
{
	static uint8_t spill[XFE_CTRL_OUT_MAX];
	uint8_t *p = r->out + r->out_len;

	if (len > sizeof(spill) || r->out_len + len > sizeof(r->out)) {
		r->overflow = true;
		return spill;
	}
	r->out_len += len;
	return p;
}

/* Cut the request into descriptors in the current layout. */
static unsigned int
req_segments(struct xfe *x, const struct req *r, uint8_t *out, uint8_t *in,
		struct xfe_seg *s, unsigned int max)
{
	uint32_t in_len = 1 + r->result_len, i;
	unsigned int n = 0;

	switch (x->layout) {
	case XFE_LAYOUT_ONE:
		s[n++] = (struct xfe_seg){ xfe_gpa(x, out), r->out_len, false };
		s[n++] = (struct xfe_seg){ xfe_gpa(x, in), in_len, true };
		return n;
	case XFE_LAYOUT_BYTES:
		if (r->out_len + in_len > max)
			return 0;
		for (i = 0; i < r->out_len; i++)
			s[n++] = (struct xfe_seg){ xfe_gpa(x, out + i), 1, false };
		for (i = 0; i < in_len; i++)
			s[n++] = (struct xfe_seg){ xfe_gpa(x, in + i), 1, true };
		return n;
	case XFE_LAYOUT_SPLIT:
	case XFE_LAYOUT_INDIRECT:
		/* As Linux's virtnet_send_command: header, data, ack, result. */
		s[n++] = (struct xfe_seg){ xfe_gpa(x, out), r->hdr_len, false };
		if (r->out_len > r->hdr_len)
			s[n++] = (struct xfe_seg){ xfe_gpa(x, out + r->hdr_len),
				r->out_len - r->hdr_len, false };
		s[n++] = (struct xfe_seg){ xfe_gpa(x, in), 1, true };
		if (r->result_len > 0)
			s[n++] = (struct xfe_seg){ xfe_gpa(x, in + 1),
				r->result_len, true };
		return n;
	}
	return 0;
}

static int
wait_used(struct xfe *x, struct xfe_ring *cvq, struct xfe_used *u)
{
	uint64_t deadline = xfe_now_ms() + x->ctrl_timeout_ms;
	struct timespec ts = { 0, 50 * 1000 };
	int ret;

	for (;;) {
		ret = xfe_ring_used(x, cvq, u);
		if (ret != 0)
			return ret < 0 ? ret : 0;
		if (xfe_now_ms() > deadline)
			return xfe_fail(x, -ETIMEDOUT, "'%s': no answer from the"
				" device in %u ms", x->ctrl.what,
				x->ctrl_timeout_ms);
		nanosleep(&ts, NULL);
	}
}

/* Send r, wait for the device; the ack in x->ctrl.ack, the result in in. */
static int
req_submit(struct xfe *x, const struct req *r, uint8_t **result)
{
	struct xfe_ring *cvq = &x->rings[x->nr_rings - 1];
	uint8_t *out = x->ctrl_in_mem2 ? x->ctrl_out2 : x->ctrl_out;
	uint8_t *in = x->ctrl_in_mem2 ? x->ctrl_in2 : x->ctrl_in;
	uint8_t *ind = x->ctrl_in_mem2 ? x->ctrl_ind2 : x->ctrl_ind;
	static struct xfe_seg s[XFE_MAX_RING];
	struct xfe_used u;
	unsigned int n;
	int ret;

	if (!xfe_has(x, XFE_F_CTRL_VQ) || !cvq->up)
		return xfe_fail(x, -ENOTSUP, "'%s': no control queue",
			x->ctrl.what);
	if (1 + r->result_len > XFE_CTRL_IN_MAX)
		return xfe_fail(x, -E2BIG, "'%s': reply too large", x->ctrl.what);
	memcpy(out, r->out, r->out_len);
	/* The device must write the ack: a value it never writes. */
	memset(in, 0xa5, 1 + r->result_len);
	n = req_segments(x, r, out, in, s, cvq->size);
	if (n == 0 || (x->layout != XFE_LAYOUT_INDIRECT && n > cvq->size))
		return xfe_fail(x, -ENOSPC, "'%s': %u descriptors, the control"
			" ring has %u", x->ctrl.what, n, cvq->size);
	if (x->layout == XFE_LAYOUT_INDIRECT && !xfe_has(x, XFE_F_INDIRECT_DESC))
		return xfe_fail(x, -ENOTSUP, "indirect layout: INDIRECT_DESC"
			" not negotiated");
	ret = xfe_ring_add(cvq, s, n, 0,
		x->layout == XFE_LAYOUT_INDIRECT ? ind : NULL, xfe_gpa(x, ind));
	if (ret < 0)
		return xfe_fail(x, ret, "'%s': control ring full", x->ctrl.what);
	xfe_ring_kick(cvq);
	x->ctrl.sent++;
	ret = wait_used(x, cvq, &u);
	if (ret < 0)
		return ret;
	x->ctrl.used_len = u.len;
	x->ctrl.ack = u.len >= 1 ? in[0] : -1;
	if (x->ctrl.ack == ACK_OK)
		x->ctrl.ok++;
	else
		x->ctrl.err++;
	*result = in + 1;
	return 0;
}

/* ---- the classes ---- */

static int
bad_args(struct xfe *x, const char *what)
{
	return xfe_fail(x, -EINVAL, "ctrl: %s", what);
}

static int
enc_rx(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	unsigned int i;

	if (argc != 2 || (strcmp(argv[1], "on") && strcmp(argv[1], "off")))
		return bad_args(x, "rx MODE on|off");
	for (i = 0; i < 6; i++)
		if (strcmp(argv[0], rx_modes[i]) == 0)
			break;
	if (i == 6)
		return bad_args(x, "rx: promisc allmulti alluni nomulti nouni"
			" nobcast");
	req_init(r, C_RX, (uint8_t)i);
	*req_put(r, 1) = strcmp(argv[1], "on") == 0;
	return 0;
}

/* A MAC list: "a,b,c", "-" (empty) or "gen N" (generated). */
static int
mac_list(struct xfe *x, struct req *r, char **argv, unsigned int argc,
		unsigned int *i, bool mc)
{
	uint8_t *cnt = req_put(r, 4), *p, mac[6];
	char buf[2048], *tok, *save = NULL;
	uint32_t n = 0;
	uint64_t gen;

	if (*i < argc && strcmp(argv[*i], "gen") == 0) {
		if (*i + 1 >= argc || xfe_parse_u64(argv[*i + 1], 1024, &gen) < 0)
			return bad_args(x, "mac table: gen N");
		for (n = 0; n < gen; n++) {
			p = req_put(r, 6);
			memcpy(p, mc ? "\x01\x00\x5e\x00" : "\x02\x00\x00\x00", 4);
			p[4] = (uint8_t)(n >> 8);
			p[5] = (uint8_t)n;
		}
		*i += 2;
	} else if (*i < argc && strcmp(argv[*i], "-") != 0) {
		snprintf(buf, sizeof(buf), "%s", argv[*i]);
		for (tok = strtok_r(buf, ",", &save); tok != NULL;
				tok = strtok_r(NULL, ",", &save), n++) {
			p = req_put(r, 6);
			if (xfe_parse_mac(tok, mac) < 0)
				return bad_args(x, "mac table: bad MAC list");
			memcpy(p, mac, 6);
		}
		*i += 1;
	} else if (*i < argc) {
		*i += 1;
	}
	put32(cnt, n);
	return 0;
}

static int
enc_mac(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	unsigned int i = 1;
	int ret;

	if (argc == 2 && strcmp(argv[0], "addr") == 0) {
		req_init(r, C_MAC, 1);
		return xfe_parse_mac(argv[1], req_put(r, 6)) < 0 ?
			bad_args(x, "mac addr MAC") : 0;
	}
	if (argc < 1 || strcmp(argv[0], "table") != 0)
		return bad_args(x, "mac addr MAC | mac table [uc L] [mc L]");
	req_init(r, C_MAC, 0);
	if (i < argc && strcmp(argv[i], "uc") == 0) {
		i++;
		ret = mac_list(x, r, argv, argc, &i, false);
	} else {
		put32(req_put(r, 4), 0);
		ret = 0;
	}
	if (ret == 0 && i < argc && strcmp(argv[i], "mc") == 0) {
		i++;
		ret = mac_list(x, r, argv, argc, &i, true);
	} else if (ret == 0) {
		put32(req_put(r, 4), 0);
	}
	if (ret == 0 && i != argc)
		return bad_args(x, "mac table: unexpected words");
	return ret;
}

static int
enc_vlan(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint64_t vid;

	if (argc != 2 || (strcmp(argv[0], "add") && strcmp(argv[0], "del")) ||
			xfe_parse_u64(argv[1], 65535, &vid) < 0)
		return bad_args(x, "vlan add|del VID");
	req_init(r, C_VLAN, argv[0][0] == 'a' ? 0 : 1);
	put16(req_put(r, 2), (uint16_t)vid);
	return 0;
}

static int
parse_key(struct xfe *x, const char *s, const uint8_t **key, uint8_t *len)
{
	if (strcmp(s, "default") == 0) {
		*key = default_key;
		*len = sizeof(default_key);
	} else if (strcmp(s, "none") == 0) {
		*key = NULL;
		*len = 0;
	} else {
		return bad_args(x, "key default|none");
	}
	return 0;
}

/* "rss [types T] [key K] [table LIST] [tablelen N] [unclassified Q]
 * [pairs N]": RSS_CONFIG; the list repeats to tablelen entries. */
static int
enc_rss(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint16_t list[XFE_MAX_RING], nlist = 0, len, i;
	uint64_t types = 0, tlen = 0, uncl = 0, pairs = x->nr_pairs, v;
	const uint8_t *key = NULL;
	char buf[1024], *tok, *save = NULL;
	uint8_t key_len = 0, *p;
	unsigned int a;

	list[nlist++] = 0;
	for (a = 0; a + 1 < argc; a += 2) {
		const char *w = argv[a], *val = argv[a + 1];

		if (strcmp(w, "types") == 0) {
			if (xfe_parse_names(val, xfe_hash_names, &types) < 0)
				return bad_args(x, "rss types");
		} else if (strcmp(w, "key") == 0) {
			if (parse_key(x, val, &key, &key_len) < 0)
				return -EINVAL;
		} else if (strcmp(w, "table") == 0) {
			nlist = 0;
			snprintf(buf, sizeof(buf), "%s", val);
			for (tok = strtok_r(buf, ",", &save); tok != NULL &&
					nlist < XFE_MAX_RING;
					tok = strtok_r(NULL, ",", &save)) {
				if (xfe_parse_u64(tok, 65535, &v) < 0)
					return bad_args(x, "rss table");
				list[nlist++] = (uint16_t)v;
			}
		} else if (strcmp(w, "tablelen") == 0) {
			if (xfe_parse_u64(val, XFE_MAX_RING, &tlen) < 0)
				return bad_args(x, "rss tablelen");
		} else if (strcmp(w, "unclassified") == 0) {
			if (xfe_parse_u64(val, 65535, &uncl) < 0)
				return bad_args(x, "rss unclassified");
		} else if (strcmp(w, "pairs") == 0) {
			if (xfe_parse_u64(val, 65535, &pairs) < 0)
				return bad_args(x, "rss pairs");
		} else {
			return bad_args(x, "rss: types key table tablelen"
				" unclassified pairs");
		}
	}
	if (a != argc || nlist == 0)
		return bad_args(x, "rss: WORD VALUE pairs");
	len = (uint16_t)(tlen != 0 ? tlen : nlist);
	req_init(r, C_MQ, MQ_RSS);
	p = req_put(r, 8 + 2u * len + 3 + key_len);
	put32(p, (uint32_t)types);
	put16(p + 4, (uint16_t)(len - 1));	/* indirection_table_mask */
	put16(p + 6, (uint16_t)uncl);
	for (i = 0; i < len; i++)
		put16(p + 8 + 2 * i, list[i % nlist]);
	p += 8 + 2u * len;
	put16(p, (uint16_t)pairs);		/* max_tx_vq */
	put_key(p + 2, key, key_len);
	return 0;
}

static int
enc_hash(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint64_t types = 0;
	const uint8_t *key = NULL;
	uint8_t key_len = 0, *p;

	if (argc == 2 && strcmp(argv[0], "tunnel") == 0) {
		if (xfe_parse_names(argv[1], xfe_tunnel_names, &types) < 0)
			return bad_args(x, "hash tunnel TYPES");
		req_init(r, C_TUNNEL, 0);
		put32(req_put(r, 4), (uint32_t)types);
		return 0;
	}
	if (argc != 4 || strcmp(argv[0], "types") || strcmp(argv[2], "key") ||
			xfe_parse_names(argv[1], xfe_hash_names, &types) < 0 ||
			parse_key(x, argv[3], &key, &key_len) < 0)
		return bad_args(x, "hash types T key default|none | hash tunnel T");
	/* struct virtio_net_hash_config: types, 4 reserved le16, key. */
	req_init(r, C_MQ, MQ_HASH);
	p = req_put(r, 4 + 8 + 1 + key_len);
	memset(p, 0, 13);
	put32(p, (uint32_t)types);
	put_key(p + 12, key, key_len);
	return 0;
}

static int
enc_coal(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint64_t vq = 0, usecs, pkts;
	unsigned int a = 1;
	uint8_t cmd, *p;

	if (argc == 3 && strcmp(argv[0], "vq") == 0 &&
			strcmp(argv[2], "get") == 0) {
		if (xfe_parse_u64(argv[1], 65535, &vq) < 0)
			return bad_args(x, "coal vq N get");
		req_init(r, C_COAL, COAL_VQ_GET);
		p = req_put(r, 4);
		put16(p, (uint16_t)vq);
		put16(p + 2, 0);
		r->result_len = 8;
		return 0;
	}
	if (argc >= 1 && strcmp(argv[0], "tx") == 0) {
		cmd = COAL_TX;
	} else if (argc >= 1 && strcmp(argv[0], "rx") == 0) {
		cmd = COAL_RX;
	} else if (argc >= 2 && strcmp(argv[0], "vq") == 0 &&
			xfe_parse_u64(argv[1], 65535, &vq) == 0) {
		cmd = COAL_VQ_SET;
		a = 2;
	} else {
		return bad_args(x, "coal tx|rx|vq N usecs U pkts P | coal vq N get");
	}
	if (argc != a + 4 || strcmp(argv[a], "usecs") ||
			strcmp(argv[a + 2], "pkts") ||
			xfe_parse_u64(argv[a + 1], UINT32_MAX, &usecs) < 0 ||
			xfe_parse_u64(argv[a + 3], UINT32_MAX, &pkts) < 0)
		return bad_args(x, "coal: usecs U pkts P");
	req_init(r, C_COAL, cmd);
	if (cmd == COAL_VQ_SET) {
		/* struct virtio_net_ctrl_coal_vq: vqn, reserved, coal. */
		p = req_put(r, 12);
		put16(p, (uint16_t)vq);
		put16(p + 2, 0);
		p += 4;
	} else {
		/* struct virtio_net_ctrl_coal_tx/rx: max_packets, usecs. */
		p = req_put(r, 8);
	}
	put32(p, (uint32_t)pkts);
	put32(p + 4, (uint32_t)usecs);
	return 0;
}

/* Bytes of a statistics record of each reply type (header + counters). */
static uint32_t
stats_record_size(unsigned int type)
{
	switch (type) {
	case 0: case 16: return 8 + 6 * 8;	/* rx_basic, tx_basic */
	case 32: return 8 + 2 * 8;		/* cvq */
	case 1: case 17: return 8 + 2 * 8;	/* rx_csum, tx_csum */
	case 2: case 18: return 8 + 4 * 8;	/* rx_gso, tx_gso */
	case 3: case 19: return 8 + 2 * 8;	/* speed */
	}
	return 0;
}

static uint32_t
stats_reply_size(uint64_t types)
{
	uint32_t n = 0;
	unsigned int t;

	for (t = 0; t < 64; t++)
		if (types & (1ULL << t))
			n += stats_record_size(t);
	return n;
}

static uint64_t
supported_stats(const struct xfe *x)
{
	if (x->ctrl.have_supported)
		return x->ctrl.supported_stats;
	return (1ULL << 0) | (1ULL << 16) | (1ULL << 32);
}

static void
stats_put(struct req *r, uint16_t vq, uint64_t types)
{
	uint8_t *p = req_put(r, 16);

	memset(p, 0, 16);
	put16(p, vq);
	put32(p + 8, (uint32_t)types);
	put32(p + 12, (uint32_t)(types >> 32));
	r->result_len += stats_reply_size(types);
}

/* "stats query" | "stats get all|(vq N types T)... [buf N]". */
static int
enc_stats(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint64_t vq, types, buf = 0, sup = supported_stats(x);
	unsigned int a = 1;
	uint16_t q;

	if (argc == 1 && strcmp(argv[0], "query") == 0) {
		req_init(r, C_STATS, 0);
		r->result_len = 8;
		return 0;
	}
	if (argc < 2 || strcmp(argv[0], "get") != 0)
		return bad_args(x, "stats query | stats get ...");
	req_init(r, C_STATS, 1);
	if (strcmp(argv[1], "all") == 0) {
		for (q = 0; q < 2 * x->view.pairs; q++)
			stats_put(r, q, sup & (q % 2 == 0 ? 0xffffULL :
				0xffff0000ULL));
		stats_put(r, xfe_cvq_index(x), sup & (1ULL << 32));
		a = 2;
	}
	while (a + 3 < argc + 0 && strcmp(argv[a], "vq") == 0) {
		if (xfe_parse_u64(argv[a + 1], 65535, &vq) < 0 ||
				strcmp(argv[a + 2], "types") != 0 ||
				xfe_parse_names(argv[a + 3], stats_names, &types) < 0)
			return bad_args(x, "stats get vq N types T");
		stats_put(r, (uint16_t)vq, types);
		a += 4;
	}
	if (a + 1 < argc + 0 && strcmp(argv[a], "buf") == 0) {
		if (xfe_parse_u64(argv[a + 1], XFE_CTRL_IN_MAX - 1, &buf) < 0)
			return bad_args(x, "stats get ... buf N");
		a += 2;
	}
	if (a != argc)
		return bad_args(x, "stats get: unexpected words");
	if (buf != 0)
		r->result_len = (uint32_t)buf;
	if (r->result_len == 0)
		r->result_len = 8;
	return 0;
}

/* "raw CLASS CMD [HEX]": bytes as they are. */
static int
enc_raw(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint64_t class, cmd;
	unsigned int i, b;
	size_t n;

	if (argc < 2 || argc > 3 || xfe_parse_u64(argv[0], 255, &class) < 0 ||
			xfe_parse_u64(argv[1], 255, &cmd) < 0)
		return bad_args(x, "raw CLASS CMD [HEX]");
	req_init(r, (uint8_t)class, (uint8_t)cmd);
	n = argc == 3 ? strlen(argv[2]) : 0;
	if (n % 2 != 0 || n / 2 > XFE_CTRL_OUT_MAX - 2)
		return bad_args(x, "raw: HEX is whole bytes");
	for (i = 0; i < n / 2; i++) {
		if (sscanf(argv[2] + 2 * i, "%2x", &b) != 1)
			return bad_args(x, "raw: HEX");
		*req_put(r, 1) = (uint8_t)b;
	}
	return 0;
}

static int
encode(struct xfe *x, struct req *r, char **argv, unsigned int argc)
{
	uint64_t v;
	char *w = argv[0];

	argv++;
	argc--;
	if (strcmp(w, "rx") == 0)
		return enc_rx(x, r, argv, argc);
	if (strcmp(w, "mac") == 0)
		return enc_mac(x, r, argv, argc);
	if (strcmp(w, "vlan") == 0)
		return enc_vlan(x, r, argv, argc);
	if (strcmp(w, "announce") == 0 && argc == 1 && !strcmp(argv[0], "ack")) {
		req_init(r, C_ANNOUNCE, 0);
		return 0;
	}
	if (strcmp(w, "mq") == 0 && argc == 2 && !strcmp(argv[0], "pairs") &&
			xfe_parse_u64(argv[1], 65535, &v) == 0) {
		req_init(r, C_MQ, MQ_PAIRS);
		put16(req_put(r, 2), (uint16_t)v);
		return 0;
	}
	if (strcmp(w, "rss") == 0)
		return enc_rss(x, r, argv, argc);
	if (strcmp(w, "hash") == 0)
		return enc_hash(x, r, argv, argc);
	if (strcmp(w, "offloads") == 0 && argc == 1) {
		if (xfe_parse_names(argv[0], xfe_offload_names, &v) < 0)
			return bad_args(x, "offloads LIST");
		req_init(r, C_OFFLOADS, 0);
		put32(req_put(r, 4), (uint32_t)v);
		put32(req_put(r, 4), (uint32_t)(v >> 32));
		return 0;
	}
	if (strcmp(w, "coal") == 0)
		return enc_coal(x, r, argv, argc);
	if (strcmp(w, "stats") == 0)
		return enc_stats(x, r, argv, argc);
	if (strcmp(w, "raw") == 0)
		return enc_raw(x, r, argv, argc);
	return xfe_fail(x, -EINVAL, "ctrl %s: unknown class", w);
}

/* ---- results and the view ---- */

static void
stats_counter(struct xfe *x, uint16_t vq, const char *name, const uint8_t *p)
{
	struct xfe_ctrl_result *c = &x->ctrl;

	if (c->nr_counters >= sizeof(c->counters) / sizeof(c->counters[0]))
		return;
	c->counters[c->nr_counters].vq = vq;
	c->counters[c->nr_counters].name = name;
	c->counters[c->nr_counters].value = xfe_get_le(p, 8);
	c->nr_counters++;
}

/* Records that fit whole in what the device wrote; a cut one ends it. */
static void
parse_stats_reply(struct xfe *x, const uint8_t *p, uint32_t len)
{
	static const char *const rx[] = { "rx_notifications", "rx_packets",
		"rx_bytes", "rx_interrupts", "rx_drops", "rx_drop_overruns" };
	static const char *const tx[] = { "tx_notifications", "tx_packets",
		"tx_bytes", "tx_interrupts", "tx_drops", "tx_drop_malformed" };
	static const char *const cvq[] = { "command_num", "ok_num" };
	uint32_t off = 0, size, i;
	uint16_t vq;

	while (off + 8 <= len) {
		size = (uint32_t)xfe_get_le(p + off + 6, 2);
		vq = (uint16_t)xfe_get_le(p + off + 2, 2);
		if (size < 8 || size > len - off)
			break;
		x->ctrl.records++;
		for (i = 0; i < (size - 8) / 8 && i < 6; i++) {
			const uint8_t *v = p + off + 8 + 8 * i;

			if (p[off] == 0)
				stats_counter(x, vq, rx[i], v);
			else if (p[off] == 16)
				stats_counter(x, vq, tx[i], v);
			else if (p[off] == 32 && i < 2)
				stats_counter(x, vq, cvq[i], v);
		}
		off += size;
	}
}

static void
apply_result(struct xfe *x, const struct req *r, const uint8_t *res,
		uint32_t res_len)
{
	if (r->out[0] == C_COAL && r->out[1] == COAL_VQ_GET && res_len >= 8) {
		x->ctrl.max_packets = (uint32_t)xfe_get_le(res, 4);
		x->ctrl.max_usecs = (uint32_t)xfe_get_le(res + 4, 4);
	} else if (r->out[0] == C_STATS && r->out[1] == 0 && res_len >= 8) {
		x->ctrl.supported_stats = xfe_get_le(res, 8);
		x->ctrl.have_supported = true;
	} else if (r->out[0] == C_STATS && r->out[1] == 1) {
		parse_stats_reply(x, res, res_len);
	}
}

int
xfe_ctrl(struct xfe *x, char **argv, unsigned int argc)
{
	static struct req r;
	uint8_t *res = NULL;
	uint32_t res_len;
	unsigned int i;
	size_t off = 0;
	int ret;

	x->ctrl.what[0] = '\0';
	for (i = 0; i < argc && off < sizeof(x->ctrl.what); i++)
		off += (size_t)snprintf(x->ctrl.what + off,
			sizeof(x->ctrl.what) - off, "%s%s", i ? " " : "", argv[i]);
	if (argc == 0)
		return bad_args(x, "a class");
	ret = encode(x, &r, argv, argc);
	if (ret < 0)
		return ret;
	if (r.overflow)
		return bad_args(x, "the request is longer than extfe's buffer");
	x->ctrl.records = 0;
	x->ctrl.nr_counters = 0;
	ret = req_submit(x, &r, &res);
	if (ret < 0)
		return ret;
	res_len = x->ctrl.used_len > 1 ? x->ctrl.used_len - 1 : 0;
	printf("extfe: ctrl %s: %s, used length %u\n", x->ctrl.what,
		x->ctrl.ack == ACK_OK ? "OK" : x->ctrl.ack == ACK_ERR ? "ERR" :
		"no ack", x->ctrl.used_len);
	if (x->ctrl.ack != ACK_OK)
		return 0;
	apply_result(x, &r, res, res_len);
	xfe_view_apply(x, r.out);
	return 0;
}

int
xfe_ctrl_layout(struct xfe *x, const char *name)
{
	static const char *const names[] = { "split", "one", "bytes",
		"indirect" };
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (strcmp(name, names[i]) == 0) {
			x->layout = (enum xfe_layout)i;
			return 0;
		}
	return xfe_fail(x, -EINVAL, "layout %s: split, one, bytes or indirect",
		name);
}
