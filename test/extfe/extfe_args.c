/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The words of the scenario language extfe reads: numbers, MAC addresses,
 * and the names of hash types, tunnel types and receive offloads (their
 * bits as virtio 1.4 defines them).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <netinet/ether.h>

#include "extfe.h"

const struct xfe_name xfe_hash_names[] = {
	{ "ipv4", 1u << 0 }, { "tcpv4", 1u << 1 }, { "udpv4", 1u << 2 },
	{ "ipv6", 1u << 3 }, { "tcpv6", 1u << 4 }, { "udpv6", 1u << 5 },
	{ "ip_ex", 1u << 6 }, { "tcp_ex", 1u << 7 }, { "udp_ex", 1u << 8 },
	{ NULL, 0 },
};

const struct xfe_name xfe_tunnel_names[] = {
	{ "gre_2784", 1u << 0 }, { "gre_2890", 1u << 1 },
	{ "gre_7676", 1u << 2 }, { "gre_udp", 1u << 3 }, { "vxlan", 1u << 4 },
	{ "vxlan_gpe", 1u << 5 }, { "geneve", 1u << 6 }, { "ipip", 1u << 7 },
	{ "nvgre", 1u << 8 }, { NULL, 0 },
};

/* Receive offloads: the bit of each is its feature bit. */
const struct xfe_name xfe_offload_names[] = {
	{ "guest_csum", 1ULL << 1 }, { "guest_tso4", 1ULL << 7 },
	{ "guest_tso6", 1ULL << 8 }, { "guest_ecn", 1ULL << 9 },
	{ "guest_ufo", 1ULL << 10 }, { "guest_uso4", 1ULL << 54 },
	{ "guest_uso6", 1ULL << 55 }, { NULL, 0 },
};

int
xfe_parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	char *end;

	if (s == NULL || *s == '\0' || *s == '-')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return errno != 0 || *end != '\0' || *v > max ? -EINVAL : 0;
}

int
xfe_parse_names(const char *s, const struct xfe_name *t, uint64_t *v)
{
	char buf[256], *tok, *save = NULL;
	unsigned int i;

	*v = 0;
	if (strcmp(s, "none") == 0)
		return 0;
	if (xfe_parse_u64(s, UINT64_MAX, v) == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; t[i].name != NULL; i++)
			if (strcasecmp(tok, t[i].name) == 0)
				break;
		if (t[i].name == NULL)
			return -EINVAL;
		*v |= t[i].bit;
	}
	return 0;
}

int
xfe_parse_mac(const char *s, uint8_t mac[6])
{
	struct ether_addr a;

	if (ether_aton_r(s, &a) == NULL)
		return -EINVAL;
	memcpy(mac, a.ether_addr_octet, 6);
	return 0;
}
