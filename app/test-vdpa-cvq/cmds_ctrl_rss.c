/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * ctrl rss and ctrl hash: VIRTIO_NET_CTRL_MQ_RSS_CONFIG and
 * VIRTIO_NET_CTRL_MQ_HASH_CONFIG built from keyword arguments (hash types,
 * key, indirection table, unclassified queue, pairs), sent, and on OK kept
 * in the view.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_common.h>

#include "cmds_args.h"
#include "cmds_ctrl.h"
#include "cmds_ctx.h"
#include "cmds_view.h"
#include "cmds_ctrl_rss.h"

/* Parameters of "ctrl rss" / "ctrl hash". */
struct rss_args {
	uint32_t types;
	int key_len;
	uint8_t key[255];
	unsigned int table_len;
	uint16_t table[CMDS_RSS_TABLE_MAX];
	uint16_t unclassified;
	uint16_t pairs;
	bool pairs_given;
	bool pad;			/* Linux's extra trailing byte */
};

static int
rss_table(const char *list, const char *len_arg, struct rss_args *a)
{
	char copy[1024], *save = NULL, *tok;
	unsigned int n = 0, i;
	uint64_t v;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		if (n == CMDS_RSS_TABLE_MAX || cmds_parse_u64(tok, 0x7fff, &v) < 0) {
			cmds_arg_error("bad table entry '%s' (at most %u entries of 0..32767)",
				tok, CMDS_RSS_TABLE_MAX);
			return -EINVAL;
		}
		a->table[n++] = (uint16_t)v;
	}
	if (n == 0) {
		cmds_arg_error("empty indirection table");
		return -EINVAL;
	}
	a->table_len = n;
	if (len_arg != NULL) {
		if (cmds_parse_u64(len_arg, CMDS_RSS_TABLE_MAX, &v) < 0 || v < n) {
			cmds_arg_error("tablelen %s: %u..%u", len_arg, n,
				CMDS_RSS_TABLE_MAX);
			return -EINVAL;
		}
		/* Repeat the list: "table 0,1 tablelen 128". */
		for (i = n; i < v; i++)
			a->table[i] = a->table[i % n];
		a->table_len = (unsigned int)v;
	}
	return 0;
}

static int
rss_parse(const char *args, bool hash_only, struct rss_args *a)
{
	char copy[CMDS_ARGS_MAX], *argv[16];
	const char *table = NULL, *table_len = NULL, *bad;
	unsigned int argc, i, k;
	uint64_t v;

	memset(a, 0, sizeof(*a));
	a->types = 0x3f;	/* the six types Linux enables */
	a->key_len = CMDS_RSS_KEY_LEN;
	memcpy(a->key, cmds_default_rss_key, CMDS_RSS_KEY_LEN);
	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	for (i = 0; i < argc; i += 2) {
		const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (val == NULL && strcmp(key, "pad") != 0) {
			cmds_arg_error("%s needs a value", key);
			return -EINVAL;
		}
		if (strcmp(key, "types") == 0) {
			if (cmds_parse_names(val, cmds_hash_type_names, &v, &bad) < 0 ||
					v > UINT32_MAX) {
				cmds_arg_error("hash types '%s': names are ipv4,tcpv4,udpv4,"
					"ipv6,tcpv6,udpv6,ip_ex,tcp_ex,udp_ex, none or a mask",
					bad ? bad : val);
				return -EINVAL;
			}
			a->types = (uint32_t)v;
		} else if (strcmp(key, "key") == 0) {
			if (strcmp(val, "default") == 0) {
				a->key_len = CMDS_RSS_KEY_LEN;
				memcpy(a->key, cmds_default_rss_key, CMDS_RSS_KEY_LEN);
			} else if (strcasecmp(val, "none") == 0) {
				a->key_len = 0;
			} else {
				a->key_len = cmds_parse_hex(val, a->key, sizeof(a->key));
				if (a->key_len <= 0) {
					cmds_arg_error("key: 'default', 'none' or hex bytes");
					return -EINVAL;
				}
			}
		} else if (strcmp(key, "pad") == 0) {
			a->pad = true;
			i--;
		} else if (hash_only) {
			cmds_arg_error("ctrl hash takes types, key and pad only, not %s",
				key);
			return -EINVAL;
		} else if (strcmp(key, "table") == 0) {
			table = val;
		} else if (strcmp(key, "tablelen") == 0) {
			table_len = val;
		} else if (strcmp(key, "unclassified") == 0) {
			if (cmds_parse_u64(val, 0x7fff, &v) < 0) {
				cmds_arg_error("unclassified: a queue number");
				return -EINVAL;
			}
			a->unclassified = (uint16_t)v;
		} else if (strcmp(key, "pairs") == 0) {
			if (cmds_parse_u64(val, UINT16_MAX, &v) < 0) {
				cmds_arg_error("pairs: 0..65535");
				return -EINVAL;
			}
			a->pairs = (uint16_t)v;
			a->pairs_given = true;
		} else {
			cmds_arg_error("unknown rss parameter '%s'", key);
			return -EINVAL;
		}
	}
	if (hash_only)
		return 0;
	if (table != NULL) {
		if (rss_table(table, table_len, a) < 0)
			return -EINVAL;
	} else {
		/* Linux's default: entry i = i mod pairs, the longest table. */
		uint16_t p = a->pairs_given && a->pairs > 0 ? a->pairs :
			cmds.view.max_pairs ? cmds.view.max_pairs : 1;

		a->table_len = CMDS_RSS_TABLE_MAX;
		for (k = 0; k < a->table_len; k++)
			a->table[k] = (uint16_t)(k % p);
	}
	if (!a->pairs_given) {
		/* Enough pairs for every queue the table names. */
		a->pairs = (uint16_t)(a->unclassified + 1);
		for (k = 0; k < a->table_len; k++)
			if (a->table[k] + 1u > a->pairs)
				a->pairs = (uint16_t)(a->table[k] + 1);
	}
	return 0;
}

void
cmds_ctrl_rss(const char *args, bool hash_only)
{
	static uint8_t head[12 + 2 * CMDS_RSS_TABLE_MAX], tail[4 + 255];
	struct cmds_view *v = &cmds.view;
	struct rss_args a;
	struct iovec iov[2];
	size_t head_len, tail_len;
	char what[256], types[128];
	unsigned int k;

	if (rss_parse(args, hash_only, &a) < 0)
		return;
	cmds_fmt_names(a.types, cmds_hash_type_names, types, sizeof(types));
	cvqsim_put_le32(head, a.types);
	if (hash_only) {
		/* hash_types, reserved[4], then key length and key. */
		memset(head + 4, 0, 8);
		head_len = 12;
	} else {
		cvqsim_put_le16(head + 4, (uint16_t)(a.table_len - 1));
		cvqsim_put_le16(head + 6, a.unclassified);
		for (k = 0; k < a.table_len; k++)
			cvqsim_put_le16(head + 8 + 2 * k, a.table[k]);
		head_len = 8 + 2 * (size_t)a.table_len;
	}
	tail_len = 0;
	if (!hash_only) {
		cvqsim_put_le16(tail, a.pairs);
		tail_len = 2;
	}
	tail[tail_len++] = (uint8_t)a.key_len;
	memcpy(tail + tail_len, a.key, (size_t)a.key_len);
	tail_len += (size_t)a.key_len;
	if (a.pad)
		tail[tail_len++] = 0;
	iov[0] = (struct iovec){ head, head_len };
	iov[1] = (struct iovec){ tail, tail_len };
	if (hash_only)
		snprintf(what, sizeof(what), "ctrl hash types %s key %d bytes",
			types, a.key_len);
	else
		snprintf(what, sizeof(what),
			"ctrl rss types %s key %d bytes table %u pairs %u", types,
			a.key_len, a.table_len, a.pairs);
	if (cmds_ctrl_send(what, hash_only ? VIRTIO_NET_F_HASH_REPORT :
			VIRTIO_NET_F_RSS, VIRTIO_NET_CTRL_MQ,
			hash_only ? VIRTIO_NET_CTRL_MQ_HASH_CONFIG :
			VIRTIO_NET_CTRL_MQ_RSS_CONFIG, iov, 2, NULL, 0,
			NULL) != VIRTIO_NET_OK)
		return;
	v->hash_types = a.types;
	v->key_len = (uint8_t)RTE_MIN(a.key_len, CMDS_RSS_KEY_LEN);
	memset(v->key, 0, sizeof(v->key));
	memcpy(v->key, a.key, v->key_len);
	if (hash_only) {
		/* HASH_CONFIG ends RSS steering; the pair count stays. */
		v->rss = false;
		return;
	}
	/* Hash types 0 without a key turns RSS off (QEMU). */
	v->rss = !(a.types == 0 && a.key_len == 0);
	v->table_len = (uint16_t)a.table_len;
	memcpy(v->table, a.table, sizeof(a.table[0]) * a.table_len);
	v->unclassified = a.unclassified;
	v->pairs = a.pairs;
}
