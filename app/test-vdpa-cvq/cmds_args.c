/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Argument parsing shared by the commands: numbers, MACs, hex strings and
 * the name lists of hash types, offloads, tunnel and statistics types.
 */

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/virtio_net.h>

#include "cmds_args.h"

/* Spec names, lower case; the bit is the hash type mask. */
const struct cmds_name cmds_hash_type_names[] = {
	{ "ipv4", 1u << 0 },
	{ "tcpv4", 1u << 1 },
	{ "udpv4", 1u << 2 },
	{ "ipv6", 1u << 3 },
	{ "tcpv6", 1u << 4 },
	{ "udpv6", 1u << 5 },
	{ "ip_ex", 1u << 6 },
	{ "tcp_ex", 1u << 7 },
	{ "udp_ex", 1u << 8 },
	{ NULL, 0 },
};

/* Receive offloads: the bit is the feature bit of the offload. */
const struct cmds_name cmds_offload_names[] = {
	{ "guest_csum", 1ULL << VIRTIO_NET_F_GUEST_CSUM },
	{ "guest_tso4", 1ULL << VIRTIO_NET_F_GUEST_TSO4 },
	{ "guest_tso6", 1ULL << VIRTIO_NET_F_GUEST_TSO6 },
	{ "guest_ecn", 1ULL << VIRTIO_NET_F_GUEST_ECN },
	{ "guest_ufo", 1ULL << VIRTIO_NET_F_GUEST_UFO },
	{ "guest_uso4", 1ULL << 54 },
	{ "guest_uso6", 1ULL << 55 },
	{ "guest_hdrlen", 1ULL << 59 },
	{ "rsc_ext", 1ULL << 61 },
	{ NULL, 0 },
};

const struct cmds_name cmds_tunnel_names[] = {
	{ "gre_2784", 1u << 0 },
	{ "gre_2890", 1u << 1 },
	{ "gre_7676", 1u << 2 },
	{ "gre_udp", 1u << 3 },
	{ "vxlan", 1u << 4 },
	{ "vxlan_gpe", 1u << 5 },
	{ "geneve", 1u << 6 },
	{ "ipip", 1u << 7 },
	{ "nvgre", 1u << 8 },
	{ NULL, 0 },
};

const struct cmds_name cmds_stats_type_names[] = {
	{ "rx_basic", 1ULL << 0 },
	{ "rx_csum", 1ULL << 1 },
	{ "rx_gso", 1ULL << 2 },
	{ "rx_speed", 1ULL << 3 },
	{ "tx_basic", 1ULL << 16 },
	{ "tx_csum", 1ULL << 17 },
	{ "tx_gso", 1ULL << 18 },
	{ "tx_speed", 1ULL << 19 },
	{ "cvq", 1ULL << 32 },
	{ NULL, 0 },
};

/* Class 0 commands; the bit is the command number. */
const struct cmds_name cmds_rx_mode_names[] = {
	{ "promisc", VIRTIO_NET_CTRL_RX_PROMISC },
	{ "allmulti", VIRTIO_NET_CTRL_RX_ALLMULTI },
	{ "alluni", VIRTIO_NET_CTRL_RX_ALLUNI },
	{ "nomulti", VIRTIO_NET_CTRL_RX_NOMULTI },
	{ "nouni", VIRTIO_NET_CTRL_RX_NOUNI },
	{ "nobcast", VIRTIO_NET_CTRL_RX_NOBCAST },
	{ NULL, 0 },
};

/* The RSS verification key of the spec's hash examples (Microsoft's). */
const uint8_t cmds_default_rss_key[CMDS_RSS_KEY_LEN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

unsigned int
cmds_split(char *s, char **argv, unsigned int max)
{
	unsigned int n = 0;

	while (*s != '\0' && n < max) {
		while (isspace((unsigned char)*s))
			*s++ = '\0';
		if (*s == '\0')
			break;
		argv[n++] = s;
		while (*s != '\0' && !isspace((unsigned char)*s))
			s++;
	}
	return n;
}

int
cmds_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0' || x > max)
		return -EINVAL;
	*v = x;
	return 0;
}

int
cmds_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
			&b[4], &b[5], &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

char *
cmds_fmt_mac(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

int
cmds_parse_names(const char *s, const struct cmds_name *names,
		uint64_t *mask, const char **bad)
{
	static char word[64];
	uint64_t m = 0;
	const char *p = s;

	*bad = NULL;
	if (strcasecmp(s, "none") == 0 || strcmp(s, "0") == 0) {
		*mask = 0;
		return 0;
	}
	if (isdigit((unsigned char)s[0]))
		return cmds_parse_u64(s, UINT64_MAX, mask);
	while (*p != '\0') {
		size_t len = strcspn(p, ",");
		unsigned int i;

		if (len == 0 || len >= sizeof(word)) {
			*bad = "empty or overlong name";
			return -EINVAL;
		}
		memcpy(word, p, len);
		word[len] = '\0';
		for (i = 0; names[i].name != NULL; i++)
			if (strcasecmp(names[i].name, word) == 0)
				break;
		if (names[i].name == NULL) {
			*bad = word;
			return -EINVAL;
		}
		m |= names[i].bit;
		p += len;
		if (*p == ',')
			p++;
	}
	*mask = m;
	return 0;
}

int
cmds_fmt_names(uint64_t mask, const struct cmds_name *names, char *buf,
		size_t len)
{
	uint64_t rest = mask;
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	if (mask == 0)
		return snprintf(buf, len, "none");
	for (i = 0; names[i].name != NULL; i++) {
		if (!(mask & names[i].bit))
			continue;
		off += snprintf(buf + off, off < len ? len - off : 0, "%s%s",
			off ? "," : "", names[i].name);
		rest &= ~names[i].bit;
	}
	if (rest != 0)
		off += snprintf(buf + off, off < len ? len - off : 0,
			"%s0x%" PRIx64, off ? "," : "", rest);
	return (int)off;
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
cmds_parse_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (*s != '\0') {
		int hi, lo;

		if (*s == ':' || *s == '-' || *s == '.') {
			s++;
			continue;
		}
		hi = hex_digit(s[0]);
		lo = hi < 0 ? -1 : hex_digit(s[1]);
		if (hi < 0 || lo < 0 || n == max)
			return -EINVAL;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (int)n;
}
