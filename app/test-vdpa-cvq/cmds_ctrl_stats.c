/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * ctrl stats query and ctrl stats get: VIRTIO_NET_CTRL_STATS, the
 * capabilities, then the records of the queues asked for, walked and kept
 * as named results ("vq0.rx_packets", ...).
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
#include "cmds_ctrl_stats.h"

/* Classes and commands newer than the installed uapi header. */
#define CTRL_STATS		8
#define CTRL_STATS_QUERY	0
#define CTRL_STATS_GET		1

/* Most queues one "ctrl stats get" names. */
#define STATS_GET_MAX		64

void
cmds_ctrl_stats_query(void)
{
	uint8_t res[8];
	uint32_t got;
	char names[160];
	uint64_t types;

	if (cmds_ctrl_send("ctrl stats query", VIRTIO_NET_F_DEVICE_STATS,
			CTRL_STATS, CTRL_STATS_QUERY, NULL, 0, res, sizeof(res),
			&got) != VIRTIO_NET_OK)
		return;
	if (got < sizeof(res)) {
		cmds_error("ctrl stats query: OK with %u result bytes, 8 expected",
			got);
		return;
	}
	types = cvqsim_get_le64(res);
	cmds_fmt_names(types, cmds_stats_type_names, names, sizeof(names));
	cmds_out("  supported_stats_types 0x%" PRIx64 " (%s)\n", types, names);
	cmds_result_add("supported_stats_types", types);
}

/* Counter names of each reply type, in record order. */
struct stats_layout {
	uint8_t type;
	uint16_t size;
	const char *counters[6];
};

static const struct stats_layout stats_layouts[] = {
	{ 0, 56, { "rx_notifications", "rx_packets", "rx_bytes",
		"rx_interrupts", "rx_drops", "rx_drop_overruns" } },
	{ 1, 40, { "rx_csum_valid", "rx_needs_csum", "rx_csum_none",
		"rx_csum_bad" } },
	{ 2, 40, { "rx_gso_packets", "rx_gso_bytes", "rx_gso_packets_coalesced",
		"rx_gso_bytes_coalesced" } },
	{ 3, 24, { "rx_ratelimit_packets", "rx_ratelimit_bytes" } },
	{ 16, 56, { "tx_notifications", "tx_packets", "tx_bytes",
		"tx_interrupts", "tx_drops", "tx_drop_malformed" } },
	{ 17, 24, { "tx_csum_none", "tx_needs_csum" } },
	{ 18, 56, { "tx_gso_packets", "tx_gso_bytes", "tx_gso_segments",
		"tx_gso_segments_bytes", "tx_gso_packets_noseg",
		"tx_gso_bytes_noseg" } },
	{ 19, 24, { "tx_ratelimit_packets", "tx_ratelimit_bytes" } },
	{ 32, 24, { "command_num", "ok_num" } },
};

static const struct stats_layout *
stats_layout_of(uint8_t type)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(stats_layouts); i++)
		if (stats_layouts[i].type == type)
			return &stats_layouts[i];
	return NULL;
}

static const char *
stats_type_name(uint8_t type)
{
	unsigned int i;

	for (i = 0; cmds_stats_type_names[i].name != NULL; i++)
		if (cmds_stats_type_names[i].bit == 1ULL << type)
			return cmds_stats_type_names[i].name;
	return "?";
}

/* Bytes of the records the types ask for. */
static size_t
stats_reply_size(uint64_t types)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(stats_layouts); i++)
		if (types & (1ULL << stats_layouts[i].type))
			n += stats_layouts[i].size;
	return n;
}

/* Print and record every record of a STATS_GET reply; -EPROTO if bad. */
static int
stats_walk(const uint8_t *p, uint32_t len)
{
	uint32_t off = 0, records = 0;

	while (off + 8 <= len) {
		const struct stats_layout *l = stats_layout_of(p[off]);
		uint16_t vq = cvqsim_get_le16(p + off + 2), size = cvqsim_get_le16(p + off + 6);
		unsigned int k;
		char name[48];

		if (l == NULL || size != l->size) {
			cmds_error("stats record at %u: type %u size %u is not a "
				"record of the spec", off, p[off], size);
			return -EPROTO;
		}
		if (off + size > len)
			break;	/* cut at the end of our buffer */
		cmds_out("  vq %u %s:", vq, stats_type_name(p[off]));
		for (k = 0; k < RTE_DIM(l->counters) && l->counters[k]; k++) {
			uint64_t c = cvqsim_get_le64(p + off + 8 + 8 * k);

			cmds_out(" %s %" PRIu64, l->counters[k], c);
			snprintf(name, sizeof(name), "vq%u.%s", vq, l->counters[k]);
			cmds_result_add(name, c);
		}
		cmds_out("\n");
		records++;
		off += size;
	}
	cmds_result_add("records", records);
	cmds_result_add("bytes", len);
	return 0;
}

void
cmds_ctrl_stats_get(const char *args)
{
	static uint8_t req[STATS_GET_MAX * 16];
	static uint8_t res[FE_CTRL_MAX_RESULT];
	char copy[CMDS_ARGS_MAX], *argv[2 * STATS_GET_MAX + 4];
	const struct cmds_view *v = &cmds.view;
	unsigned int argc, i, n = 0;
	size_t want = 0;
	bool buf_given = false;
	uint64_t val, types;
	const char *bad;
	struct iovec iov;
	uint32_t got;
	char what[96];

	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "all") == 0) {
			uint16_t q;

			/* What Linux's ethtool -S asks: every active queue, the CVQ. */
			for (q = 0; q < 2 * v->pairs && n + 1 < STATS_GET_MAX; q++) {
				types = q % 2 ? 1ULL << 16 : 1ULL << 0;
				memset(req + 16 * n, 0, 16);
				cvqsim_put_le16(req + 16 * n, q);
				cvqsim_put_le64(req + 16 * n + 8, types);
				want += stats_reply_size(types);
				n++;
			}
			memset(req + 16 * n, 0, 16);
			cvqsim_put_le16(req + 16 * n, (uint16_t)(2 * v->max_pairs));
			cvqsim_put_le64(req + 16 * n + 8, 1ULL << 32);
			want += stats_reply_size(1ULL << 32);
			n++;
		} else if (strcmp(argv[i], "vq") == 0 && i + 3 < argc &&
				strcmp(argv[i + 2], "types") == 0) {
			if (n == STATS_GET_MAX ||
					cmds_parse_u64(argv[i + 1], UINT16_MAX, &val) < 0 ||
					cmds_parse_names(argv[i + 3], cmds_stats_type_names,
						&types, &bad) < 0) {
				cmds_arg_error("ctrl stats get: at most %u queues, VQ"
					" 0..65535, LIST of rx_basic,rx_csum,rx_gso,rx_speed,"
					"tx_basic,tx_csum,tx_gso,tx_speed,cvq or a mask",
					STATS_GET_MAX);
				return;
			}
			memset(req + 16 * n, 0, 16);
			cvqsim_put_le16(req + 16 * n, (uint16_t)val);
			cvqsim_put_le64(req + 16 * n + 8, types);
			want += stats_reply_size(types);
			n++;
			i += 3;
		} else if (strcmp(argv[i], "buf") == 0 && i + 1 < argc) {
			if (cmds_parse_u64(argv[++i], FE_CTRL_MAX_RESULT, &val) < 0) {
				cmds_arg_error("buf: 0..%u bytes", FE_CTRL_MAX_RESULT);
				return;
			}
			want = (size_t)val;
			buf_given = true;
		} else {
			cmds_arg_error("ctrl stats get: unexpected '%s'", argv[i]);
			return;
		}
	}
	if (n == 0) {
		cmds_arg_error("ctrl stats get: no queue named");
		return;
	}
	if (want > FE_CTRL_MAX_RESULT) {
		if (buf_given) {
			cmds_arg_error("buf over %u bytes", FE_CTRL_MAX_RESULT);
			return;
		}
		want = FE_CTRL_MAX_RESULT;
	}
	iov = (struct iovec){ req, 16 * (size_t)n };
	snprintf(what, sizeof(what), "ctrl stats get (%u queue%s, %zu-byte reply)",
		n, n > 1 ? "s" : "", want);
	if (cmds_ctrl_send(what, VIRTIO_NET_F_DEVICE_STATS, CTRL_STATS,
			CTRL_STATS_GET, &iov, 1, res, want, &got) != VIRTIO_NET_OK)
		return;
	if (stats_walk(res, got) < 0)
		return;
}
