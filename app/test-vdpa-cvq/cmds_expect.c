/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Script assertions and the counters they read by name.
 *
 * Counters ("expect stat NAME OP VALUE", OP one of == != < <= > >=):
 *   fe.FIELD, fe.qN.FIELD   frontend per pair / total: tx_pkts tx_bytes
 *                           tx_done tx_full rx_pkts rx_bytes rx_bufs
 *                           rx_merged rx_bad_hdr rx_out_of_order
 *                           rx_hash_reported; fe.reconnects
 *   ctrl.sent|ok|err        control commands answered, by ack
 *   ctrl.NAME               results of the last control command: used_len,
 *                           supported_stats_types, max_usecs, max_packets,
 *                           records, vqN.COUNTER (STATS_GET), result_len
 *   rx.total, rx.qN         frames of the last recv (all, on pair N)
 *   rx.sent, rx.dropped, rx.drop_filter|drop_no_buffer|drop_inactive,
 *   rx.missing              frames sent before it, dropped by the device,
 *                           neither received nor dropped
 *   rx.CHECK                checks since "clear stats": frames steer_ok
 *                           steer_bad hash_ok hash_bad hash_none
 *                           bad_payload vlan_tagged needs_csum data_valid
 *   rx.qN.FIELD             last frame on pair N: hash_value hash_report
 *                           flags num_buffers len vlan
 *   dev.vqN.NAME            device (in this process), rte_vdpa stats of vq N
 *   dev.rx|tx|cvq.NAME      the same summed over the RX, TX or control queue
 *   port.NAME               the port of a port-backed device (cmds_port.c)
 *
 * State fields ("expect state FIELD VALUE"; FIELD words may be separated by
 * blanks or dots): see state_field().
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_vdpa.h>

#include <rte_pmd_cvqsim.h>

#include "cmds_args.h"
#include "cmds_ctx.h"
#include "cmds_expect.h"
#include "cmds_port.h"
#include "cmds_show.h"
#include "cmds_traffic.h"
#include "cmds_view.h"

#define EXPECT_MAX_STATS	128

void
cmds_expect_ack(bool ok)
{
	char saw[128];

	cmds.nr_expects++;
	if (cmds.last_ack == (ok ? VIRTIO_NET_OK : VIRTIO_NET_ERR))
		return;
	if (cmds.last_ack < 0)
		snprintf(saw, sizeof(saw), "no answered control command");
	else if (cmds.last_ack <= VIRTIO_NET_ERR)
		snprintf(saw, sizeof(saw), "%s for '%s'",
			cmds.last_ack == VIRTIO_NET_OK ? "OK" : "ERR", cmds.last_ctrl);
	else
		snprintf(saw, sizeof(saw), "ack 0x%02x for '%s'", cmds.last_ack,
			cmds.last_ctrl);
	cmds_expect_failed(ok ? "ack OK" : "ack ERR", saw);
}

void
cmds_expect_rx(uint64_t count, int queue)
{
	char want[64], saw[64];
	uint64_t got;

	cmds.nr_expects++;
	if (!cmds.recv.done) {
		cmds_expect_failed("a recv before 'expect rx'", "none");
		return;
	}
	if (queue >= FE_MAX_PAIRS) {
		cmds_error("queue %d: at most %u pairs", queue, FE_MAX_PAIRS);
		return;
	}
	got = queue < 0 ? cmds.recv.total : cmds.recv.per_queue[queue];
	if (got == count)
		return;
	if (queue < 0) {
		snprintf(want, sizeof(want), "%" PRIu64 " frames", count);
		snprintf(saw, sizeof(saw), "%" PRIu64, got);
	} else {
		snprintf(want, sizeof(want), "%" PRIu64 " frames on queue %d",
			count, queue);
		snprintf(saw, sizeof(saw), "%" PRIu64 " (%" PRIu64 " in all)", got,
			cmds.recv.total);
	}
	cmds_expect_failed(want, saw);
}

/* ---- counters ---- */

static int
fe_field(const struct fe_q_stats *st, const char *f, uint64_t *v)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
#define F(x) { #x, offsetof(struct fe_q_stats, x) }
		F(tx_pkts), F(tx_bytes), F(tx_done), F(tx_full), F(rx_pkts),
		F(rx_bytes), F(rx_bufs), F(rx_merged), F(rx_bad_hdr),
		F(rx_check_ok), F(rx_check_bad), F(rx_out_of_order),
		F(rx_hash_reported),
#undef F
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(fields); i++)
		if (strcmp(fields[i].name, f) == 0) {
			memcpy(v, (const uint8_t *)st + fields[i].off, sizeof(*v));
			return 0;
		}
	return -ENOENT;
}

/* "qN.rest" -> N and rest; -1 if the name does not start with qN. */
static int
queue_prefix(const char *name, const char **rest)
{
	char *end;
	unsigned long q;

	if (name[0] != 'q' && strncmp(name, "vq", 2) != 0)
		return -1;
	name += name[0] == 'q' ? 1 : 2;
	q = strtoul(name, &end, 10);
	if (end == name || (*end != '.' && *end != '\0') || q > 0xffff)
		return -1;
	*rest = *end == '.' ? end + 1 : end;
	return (int)q;
}

static int
stat_fe(const char *name, uint64_t *v, const char **why)
{
	struct fe_dev *fe = cmds.fe;
	struct fe_q_stats st;
	struct fe_dev_info info;
	const char *rest;
	int q;

	if (fe == NULL) {
		*why = "no frontend in this process";
		return -ENOTSUP;
	}
	if (strcmp(name, "reconnects") == 0) {
		fe_dev_info_get(fe, &info);
		*v = info.reconnects;
		return 0;
	}
	q = queue_prefix(name, &rest);
	if (q >= 0) {
		if (fe_stats_get(fe, (uint16_t)q, &st) < 0) {
			*why = "no such queue pair";
			return -ENOENT;
		}
		name = rest;
	} else {
		fe_stats_total(fe, &st);
	}
	return fe_field(&st, name, v);
}

static int
stat_ctrl(const char *name, uint64_t *v)
{
	unsigned int i;

	if (strcmp(name, "sent") == 0)
		*v = cmds.ctrl_sent;
	else if (strcmp(name, "ok") == 0)
		*v = cmds.ctrl_ok;
	else if (strcmp(name, "err") == 0)
		*v = cmds.ctrl_err;
	else {
		for (i = 0; i < cmds.nr_results; i++)
			if (strcmp(cmds.results[i].name, name) == 0) {
				*v = cmds.results[i].value;
				return 0;
			}
		return -ENOENT;
	}
	return 0;
}

static int
stat_rx_last(int q, const char *f, uint64_t *v, const char **why)
{
	struct fe_rx_pkt pkt;

	if (cmds.fe == NULL || fe_rx_last(cmds.fe, (uint16_t)q, &pkt) < 0) {
		*why = "nothing received on that queue";
		return -ENOENT;
	}
	if (strcmp(f, "hash_value") == 0)
		*v = pkt.hdr.hash_value;
	else if (strcmp(f, "hash_report") == 0)
		*v = pkt.hdr.hash_report;
	else if (strcmp(f, "flags") == 0)
		*v = pkt.hdr.hdr.flags;
	else if (strcmp(f, "num_buffers") == 0)
		*v = pkt.num_buffers;
	else if (strcmp(f, "len") == 0)
		*v = pkt.len;
	else if (strcmp(f, "vlan") == 0)
		*v = pkt.info.has_vlan ? (pkt.info.vlan_tci & 0xfff) : 0;
	else
		return -ENOENT;
	return 0;
}

static int
stat_rx(const char *name, uint64_t *v, const char **why)
{
	static const struct {
		const char *name;
		size_t off;
	} checks[] = {
#define C(x) { #x, offsetof(struct cmds_rx_checks, x) }
		C(frames), C(steer_ok), C(steer_bad), C(hash_ok), C(hash_bad),
		C(hash_none), C(bad_payload), C(vlan_tagged), C(needs_csum),
		C(data_valid),
#undef C
	};
	const char *rest;
	unsigned int i;
	int q;

	static const struct {
		const char *name;
		size_t off;
	} last[] = {
#define L(x) { #x, offsetof(struct cmds_recv, x) }
		L(total), L(sent), L(dropped), L(drop_filter), L(drop_no_buffer),
		L(drop_inactive), L(missing),
#undef L
	};

	for (i = 0; i < RTE_DIM(last); i++)
		if (strcmp(last[i].name, name) == 0) {
			memcpy(v, (const uint8_t *)&cmds.recv + last[i].off,
				sizeof(*v));
			return 0;
		}
	q = queue_prefix(name, &rest);
	if (q >= 0) {
		if (q >= FE_MAX_PAIRS)
			return -ENOENT;
		if (*rest == '\0') {
			*v = cmds.recv.per_queue[q];
			return 0;
		}
		return stat_rx_last(q, rest, v, why);
	}
	for (i = 0; i < RTE_DIM(checks); i++)
		if (strcmp(checks[i].name, name) == 0) {
			memcpy(v, (const uint8_t *)&cmds.rx + checks[i].off,
				sizeof(*v));
			return 0;
		}
	return -ENOENT;
}

/* One rte_vdpa stat of one vq; -ENOENT if the name is not a stat. */
static int
dev_vq_stat(uint16_t vq, const char *name, uint64_t *v)
{
	struct rte_vdpa_stat_name names[EXPECT_MAX_STATS];
	struct rte_vdpa_stat vals[EXPECT_MAX_STATS];
	int nr, n, k;

	nr = rte_vdpa_get_stats_names(cmds.vdpa, names, RTE_DIM(names));
	if (nr <= 0)
		return -ENOENT;
	n = rte_vdpa_get_stats(cmds.vdpa, vq, vals, (unsigned int)nr);
	if (n <= 0)
		return -ENOENT;
	for (k = 0; k < n; k++)
		if (vals[k].id < (uint64_t)nr &&
				strcmp(names[vals[k].id].name, name) == 0) {
			*v = vals[k].value;
			return 0;
		}
	return -ENOENT;
}

static int
stat_dev(const char *name, uint64_t *v, const char **why)
{
	const char *rest = NULL;
	uint32_t pairs;
	uint16_t vq;
	int q, group, kind;
	uint64_t x, sum = 0;
	bool found = false;

	if (cmds.vdpa == NULL) {
		*why = "the device is not in this process";
		return -ENOTSUP;
	}
	q = queue_prefix(name, &rest);
	if (q >= 0)
		return dev_vq_stat((uint16_t)q, rest, v);
	/* kind: 0 rx, 1 tx, 2 cvq */
	if (strncmp(name, "rx.", 3) == 0)
		kind = 0;
	else if (strncmp(name, "tx.", 3) == 0)
		kind = 1;
	else if (strncmp(name, "cvq.", 4) == 0)
		kind = 2;
	else
		return -ENOENT;
	rest = strchr(name, '.') + 1;
	if (rte_vdpa_get_queue_num(cmds.vdpa, &pairs) != 0)
		return -ENOENT;
	for (vq = 0; vq <= 2 * pairs; vq++) {
		group = rte_pmd_cvqsim_vq_group(cmds.vdpa, vq);
		if (group < 0)
			continue;
		if (group == RTE_PMD_CVQSIM_GROUP_CVQ ? kind != 2 :
				kind != (vq % 2))
			continue;
		if (dev_vq_stat(vq, rest, &x) == 0) {
			sum += x;
			found = true;
		}
	}
	*v = sum;
	return found ? 0 : -ENOENT;
}

int
cmds_stat_lookup(const char *name, uint64_t *value, const char **why)
{
	int ret = -ENOENT;

	*why = NULL;
	if (strncmp(name, "fe.", 3) == 0)
		ret = stat_fe(name + 3, value, why);
	else if (strncmp(name, "ctrl.", 5) == 0)
		ret = stat_ctrl(name + 5, value);
	else if (strncmp(name, "rx.", 3) == 0)
		ret = stat_rx(name + 3, value, why);
	else if (strncmp(name, "dev.", 4) == 0)
		ret = stat_dev(name + 4, value, why);
	else if (strncmp(name, "port.", 5) == 0)
		ret = cmds_port_stat(name + 5, value, why);
	if (ret == -ENOENT && *why == NULL)
		*why = "unknown counter (see 'help expect')";
	return ret;
}

static bool
compare(uint64_t a, const char *op, uint64_t b, bool *ok)
{
	if (strcmp(op, "==") == 0)
		*ok = a == b;
	else if (strcmp(op, "!=") == 0)
		*ok = a != b;
	else if (strcmp(op, "<") == 0)
		*ok = a < b;
	else if (strcmp(op, "<=") == 0)
		*ok = a <= b;
	else if (strcmp(op, ">") == 0)
		*ok = a > b;
	else if (strcmp(op, ">=") == 0)
		*ok = a >= b;
	else
		return false;
	return true;
}

void
cmds_expect_stat(const char *args)
{
	char copy[CMDS_ARGS_MAX], *argv[4], want[160], saw[64];
	const char *why;
	uint64_t v, got;
	unsigned int argc;
	bool ok;

	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	if (argc != 3 || cmds_parse_u64(argv[2], UINT64_MAX, &v) < 0 ||
			!compare(0, argv[1], 0, &ok)) {
		cmds_arg_error("expect stat: a NAME, an operator among"
			" ==|!=|<|<=|>|>= and a VALUE 0..2^64-1");
		return;
	}
	if (cmds_stat_lookup(argv[0], &got, &why) < 0) {
		cmds_arg_error("expect stat %s: %s", argv[0], why);
		return;
	}
	cmds.nr_expects++;
	compare(got, argv[1], v, &ok);
	if (ok)
		return;
	snprintf(want, sizeof(want), "%s %s %s", argv[0], argv[1], argv[2]);
	snprintf(saw, sizeof(saw), "%" PRIu64 " (0x%" PRIx64 ")", got, got);
	cmds_expect_failed(want, saw);
}

/* ---- state ---- */

enum vtype { V_BOOL, V_NUM, V_MAC, V_MASK };

struct field_val {
	enum vtype type;
	uint64_t num;			/* V_BOOL, V_NUM, V_MASK */
	uint8_t mac[6];
	const struct cmds_name *names;	/* V_MASK, NULL: plain number */
};

static void
fv_bool(struct field_val *f, bool b)
{
	f->type = V_BOOL;
	f->num = b;
}

static void
fv_num(struct field_val *f, uint64_t n)
{
	f->type = V_NUM;
	f->num = n;
}

static void
fv_mask(struct field_val *f, uint64_t m, const struct cmds_name *names)
{
	f->type = V_MASK;
	f->num = m;
	f->names = names;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

static int
config_field(const char *f, struct field_val *out, const char **why)
{
	uint8_t c[28];
	uint32_t len;
	uint16_t status;

	if (cmds_read_config(c, &len) < 0) {
		*why = "GET_CONFIG failed";
		return -EIO;
	}
	status = (uint16_t)(c[6] | c[7] << 8);
	if (strcmp(f, "mac") == 0) {
		out->type = V_MAC;
		memcpy(out->mac, c, 6);
	} else if (strcmp(f, "link") == 0) {
		fv_bool(out, status & VIRTIO_NET_S_LINK_UP);
	} else if (strcmp(f, "announce") == 0) {
		fv_bool(out, status & VIRTIO_NET_S_ANNOUNCE);
	} else if (strcmp(f, "status") == 0) {
		fv_num(out, status);
	} else if (strcmp(f, "max_pairs") == 0) {
		fv_num(out, (uint16_t)(c[8] | c[9] << 8));
	} else if (strcmp(f, "mtu") == 0) {
		fv_num(out, (uint16_t)(c[10] | c[11] << 8));
	} else if (strcmp(f, "rss_max_key_size") == 0) {
		fv_num(out, c[17]);
	} else if (strcmp(f, "rss_max_table_len") == 0) {
		fv_num(out, (uint16_t)(c[18] | c[19] << 8));
	} else if (strcmp(f, "hash_types") == 0) {
		fv_mask(out, le32(c + 20), cmds_hash_type_names);
	} else if (strcmp(f, "tunnel_types") == 0) {
		fv_mask(out, len >= 28 ? le32(c + 24) : 0, cmds_tunnel_names);
	} else {
		return -ENOENT;
	}
	return 0;
}

static int
coal_field(const struct cmds_view *v, const char *f, struct field_val *out)
{
	const char *rest;
	bool usecs;
	int q;

	if (strncmp(f, "tx.", 3) == 0 || strncmp(f, "rx.", 3) == 0) {
		usecs = strcmp(f + 3, "usecs") == 0;
		if (!usecs && strcmp(f + 3, "pkts") != 0)
			return -ENOENT;
		if (f[0] == 't')
			fv_num(out, usecs ? v->coal_tx_usecs : v->coal_tx_pkts);
		else
			fv_num(out, usecs ? v->coal_rx_usecs : v->coal_rx_pkts);
		return 0;
	}
	q = queue_prefix(f, &rest);
	if (q < 0 || q >= (int)RTE_DIM(v->coal_vq_usecs))
		return -ENOENT;
	if (strcmp(rest, "usecs") == 0)
		fv_num(out, v->coal_vq_usecs[q]);
	else if (strcmp(rest, "pkts") == 0)
		fv_num(out, v->coal_vq_pkts[q]);
	else
		return -ENOENT;
	return 0;
}

/*
 * Fields of "expect state" (after joining words with dots):
 *   promisc allmulti alluni nomulti nouni nobcast rss uc_overflow
 *   mc_overflow                              on|off
 *   mac                                      MAC (the primary MAC)
 *   pairs max_pairs uc_count mc_count table_len unclassified key_len
 *   table.I                                  numbers
 *   hash_types tunnel_types offloads         names or a mask
 *   vlan.ID  uc.MAC  mc.MAC                  on|off (in the filter)
 *   coal.tx|rx.usecs|pkts  coal.vqN.usecs|pkts   numbers
 *   config.mac|link|announce|status|max_pairs|mtu|rss_max_key_size|
 *   rss_max_table_len|hash_types|tunnel_types    fresh GET_CONFIG
 */
static int
state_field(const char *f, struct field_val *out, const char **why)
{
	const struct cmds_view *v = cmds_view_get(NULL);
	uint8_t mac[6];
	uint64_t n;

	memset(out, 0, sizeof(*out));
	if (strncmp(f, "config.", 7) == 0)
		return config_field(f + 7, out, why);
	if (strncmp(f, "coal.", 5) == 0)
		return coal_field(v, f + 5, out);
	if (strncmp(f, "vlan.", 5) == 0) {
		if (cmds_parse_u64(f + 5, 4095, &n) < 0)
			return -ENOENT;
		fv_bool(out, cmds_view_vlan(v, (uint16_t)n));
	} else if (strncmp(f, "uc.", 3) == 0 || strncmp(f, "mc.", 3) == 0) {
		if (cmds_parse_mac(f + 3, mac) < 0)
			return -ENOENT;
		fv_bool(out, cmds_view_has_mac(v, mac, f[0] == 'm'));
	} else if (strncmp(f, "table.", 6) == 0) {
		if (cmds_parse_u64(f + 6, CMDS_RSS_TABLE_MAX - 1, &n) < 0)
			return -ENOENT;
		fv_num(out, n < v->table_len ? v->table[n] : 0);
	} else if (strcmp(f, "promisc") == 0) {
		fv_bool(out, v->promisc);
	} else if (strcmp(f, "allmulti") == 0) {
		fv_bool(out, v->allmulti);
	} else if (strcmp(f, "alluni") == 0) {
		fv_bool(out, v->alluni);
	} else if (strcmp(f, "nomulti") == 0) {
		fv_bool(out, v->nomulti);
	} else if (strcmp(f, "nouni") == 0) {
		fv_bool(out, v->nouni);
	} else if (strcmp(f, "nobcast") == 0) {
		fv_bool(out, v->nobcast);
	} else if (strcmp(f, "rss") == 0) {
		fv_bool(out, v->rss);
	} else if (strcmp(f, "uc_overflow") == 0) {
		fv_bool(out, v->uc_overflow);
	} else if (strcmp(f, "mc_overflow") == 0) {
		fv_bool(out, v->mc_overflow);
	} else if (strcmp(f, "mac") == 0) {
		out->type = V_MAC;
		memcpy(out->mac, v->mac, 6);
	} else if (strcmp(f, "pairs") == 0) {
		fv_num(out, v->pairs);
	} else if (strcmp(f, "max_pairs") == 0) {
		fv_num(out, v->max_pairs);
	} else if (strcmp(f, "uc_count") == 0) {
		fv_num(out, v->n_uc);
	} else if (strcmp(f, "mc_count") == 0) {
		fv_num(out, v->n_mc);
	} else if (strcmp(f, "table_len") == 0) {
		fv_num(out, v->table_len);
	} else if (strcmp(f, "unclassified") == 0) {
		fv_num(out, v->unclassified);
	} else if (strcmp(f, "key_len") == 0) {
		fv_num(out, v->key_len);
	} else if (strcmp(f, "hash_types") == 0) {
		fv_mask(out, v->hash_types, cmds_hash_type_names);
	} else if (strcmp(f, "tunnel_types") == 0) {
		fv_mask(out, v->tunnel_types, cmds_tunnel_names);
	} else if (strcmp(f, "offloads") == 0) {
		fv_mask(out, v->offloads, cmds_offload_names);
	} else {
		return -ENOENT;
	}
	return 0;
}

static int
parse_expected(const char *s, const struct field_val *like,
		struct field_val *out)
{
	const char *bad;

	*out = *like;
	switch (like->type) {
	case V_BOOL:
		if (!strcasecmp(s, "on") || !strcasecmp(s, "up") ||
				!strcasecmp(s, "yes") || !strcmp(s, "1"))
			out->num = 1;
		else if (!strcasecmp(s, "off") || !strcasecmp(s, "down") ||
				!strcasecmp(s, "no") || !strcmp(s, "0"))
			out->num = 0;
		else
			return -EINVAL;
		return 0;
	case V_NUM:
		return cmds_parse_u64(s, UINT64_MAX, &out->num);
	case V_MAC:
		return cmds_parse_mac(s, out->mac);
	case V_MASK:
		return cmds_parse_names(s, like->names, &out->num, &bad);
	}
	return -EINVAL;
}

static void
format_value(const struct field_val *f, char *buf, size_t len)
{
	char names[160];

	switch (f->type) {
	case V_BOOL:
		snprintf(buf, len, "%s", f->num ? "on" : "off");
		break;
	case V_NUM:
		snprintf(buf, len, "%" PRIu64, f->num);
		break;
	case V_MAC:
		cmds_fmt_mac(f->mac, buf);
		break;
	case V_MASK:
		cmds_fmt_names(f->num, f->names, names, sizeof(names));
		snprintf(buf, len, "%s (0x%" PRIx64 ")", names, f->num);
		break;
	}
}

void
cmds_expect_state(const char *args)
{
	char copy[CMDS_ARGS_MAX], *argv[8], path[256], want[320], saw[200];
	struct field_val got, exp;
	const char *why = "unknown field (see 'help expect')";
	unsigned int argc, i;
	size_t off = 0;

	/* Backend role: the device's own state, no frontend needed. */
	if (cmds.vdpa == NULL && cmds_need_fe() == NULL)
		return;
	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	if (argc < 2) {
		cmds_arg_error("expect state: a FIELD and a VALUE");
		return;
	}
	path[0] = '\0';
	for (i = 0; i + 1 < argc; i++)
		off += (size_t)snprintf(path + off, off < sizeof(path) ?
			sizeof(path) - off : 0, "%s%s", i ? "." : "", argv[i]);
	if (off >= sizeof(path) || state_field(path, &got, &why) < 0) {
		cmds_arg_error("expect state %s: %s", path, why);
		return;
	}
	if (parse_expected(argv[argc - 1], &got, &exp) < 0) {
		cmds_arg_error("expect state %s: '%s' is not a value of this field",
			path, argv[argc - 1]);
		return;
	}
	cmds.nr_expects++;
	if (got.type == V_MAC ? memcmp(got.mac, exp.mac, 6) == 0 :
			got.num == exp.num)
		return;
	format_value(&exp, saw, sizeof(saw));
	snprintf(want, sizeof(want), "%s %s", path, saw);
	format_value(&got, saw, sizeof(saw));
	cmds_expect_failed(want, saw);
}
