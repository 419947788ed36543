/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * extfe: an independent vhost-user frontend that runs the frontend side
 * of a scenario (the .cmd files of app/test-vdpa-cvq/scenarios) against a backend
 * socket, for the VM case (run.sh shadow-ext):
 *
 *   extfe --connect SOCK --script FILE [--fe-features-off LIST]
 *         [--fe-queue-size N] [--fe-ctrl-queue-size N] [--fe-ctrl-timeout MS]
 *         [--telemetry PATH --telemetry-dev NAME [--expect-cvq-asid N]]
 *
 * The scenario language's frontend lines: ctrl ..., set ctrl layout L,
 * expect ack|rx|stat|state ..., send ..., recv [timeout MS], sleep MS,
 * clear stats, device stop|reconnect, echo ..., try CMD; and of its
 * own: "device reconnect fresh" (every ring from index 0 again), and
 * "memtable same|add|drop|nocvq" (SET_MEM_TABLE again: the same
 * table, a second region added, which the control buffers then use, or
 * dropped; or once without the pages of the control ring, which the next
 * table or reconnect has again), and "expect error TEXT" after a "try".
 *
 * With --telemetry, the backend's /cvqsim/info must show the control-queue
 * group on ASID 1 and the data group on ASID 0 after every connection and
 * at the end (the VM case while this frontend is connected); with
 * --expect-cvq-asid 0, both groups on ASID 0 (the DPDK case).
 *
 * Exit status: 0 every expectation held, 1 one failed or a command could
 * not be run (the message says which line), 2 bad options.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "extfe.h"

#define MAX_ARGS	64
#define RECV_TIMEOUT_MS	3000

static struct xfe xfe;
static unsigned int line_no;
static unsigned int failures, expects;
/* The command "try" ran last: did it fail, and with what message. */
static bool try_failed;
static char try_err[sizeof(xfe.err)];

/* Feature names of --fe-features-off (virtio 1.4 bit numbers). */
const struct xfe_name xfe_feature_names[] = {
	{ "CTRL_GUEST_OFFLOADS", XFE_BIT(XFE_F_CTRL_GUEST_OFFLOADS) },
	{ "MTU", XFE_BIT(XFE_F_MTU) }, { "MAC", XFE_BIT(XFE_F_MAC) },
	{ "STATUS", XFE_BIT(XFE_F_STATUS) },
	{ "CTRL_VQ", XFE_BIT(XFE_F_CTRL_VQ) },
	{ "CTRL_RX", XFE_BIT(XFE_F_CTRL_RX) },
	{ "CTRL_VLAN", XFE_BIT(XFE_F_CTRL_VLAN) },
	{ "CTRL_RX_EXTRA", XFE_BIT(XFE_F_CTRL_RX_EXTRA) },
	{ "GUEST_ANNOUNCE", XFE_BIT(XFE_F_GUEST_ANNOUNCE) },
	{ "MQ", XFE_BIT(XFE_F_MQ) },
	{ "CTRL_MAC_ADDR", XFE_BIT(XFE_F_CTRL_MAC_ADDR) },
	{ "INDIRECT_DESC", XFE_BIT(XFE_F_INDIRECT_DESC) },
	{ "DEVICE_STATS", XFE_BIT(XFE_F_DEVICE_STATS) },
	{ "HASH_TUNNEL", XFE_BIT(XFE_F_HASH_TUNNEL) },
	{ "VQ_NOTF_COAL", XFE_BIT(XFE_F_VQ_NOTF_COAL) },
	{ "NOTF_COAL", XFE_BIT(XFE_F_NOTF_COAL) },
	{ "HASH_REPORT", XFE_BIT(XFE_F_HASH_REPORT) },
	{ "RSS", XFE_BIT(XFE_F_RSS) },
	{ NULL, 0 },
};

static void
expect_failed(const char *what, const char *want, const char *saw)
{
	failures++;
	printf("extfe: FAIL line %u: %s: expected %s, saw %s\n", line_no, what,
		want, saw);
}

/* ---- telemetry: the backend's view of groups and ASIDs ---- */

static int
tel_field(const char *json, const char *key, long *v)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(json, pat);
	if (p == NULL)
		return -ENOENT;
	p += strlen(pat);
	while (*p == ' ' || *p == ':')
		p++;
	*v = strtol(p, NULL, 10);
	return 0;
}

/* /cvqsim/info over the DPDK telemetry socket (SOCK_SEQPACKET, JSON). */
static void
tel_check(const char *when)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	static char buf[65536];
	char cmd[160];
	long cvq = -1, data = -1;
	ssize_t n;
	int fd;

	if (xfe.tel_path == NULL)
		return;
	expects++;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", xfe.tel_path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		expect_failed(when, "the backend's telemetry socket",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	snprintf(cmd, sizeof(cmd), "/cvqsim/info,%s", xfe.tel_dev);
	n = read(fd, buf, sizeof(buf) - 1);	/* the greeting */
	if (n > 0 && write(fd, cmd, strlen(cmd)) == (ssize_t)strlen(cmd))
		n = read(fd, buf, sizeof(buf) - 1);
	else
		n = -1;
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (n <= 0 || tel_field(buf, "group_cvq_asid", &cvq) < 0 ||
			tel_field(buf, "group_data_asid", &data) < 0) {
		expect_failed(when, "group_cvq_asid/group_data_asid in /cvqsim/info",
			n > 0 ? buf : "no reply");
		return;
	}
	printf("extfe: telemetry %s: group_cvq_asid %ld, group_data_asid %ld\n",
		when, cvq, data);
	if (cvq != (long)xfe.expect_cvq_asid || data != 0) {
		snprintf(cmd, sizeof(cmd), "cvq %ld, data %ld", cvq, data);
		expect_failed(when, xfe.expect_cvq_asid == 1 ?
			"the VM case: cvq group on ASID 1, data on 0" :
			"the DPDK case: both groups on ASID 0", cmd);
	}
}

/* ---- expect stat ---- */

static int
stat_fe(const char *f, uint64_t *v)
{
	unsigned int q;
	char name[32];
	uint64_t sum[3] = { 0, 0, 0 };

	if (sscanf(f, "q%u.%31s", &q, name) == 2) {
		if (q >= xfe.nr_pairs)
			return -ENOENT;
		if (!strcmp(name, "tx_pkts"))
			*v = xfe.pq[q].tx_pkts;
		else if (!strcmp(name, "tx_done"))
			*v = xfe.pq[q].tx_done;
		else if (!strcmp(name, "rx_pkts"))
			*v = xfe.pq[q].rx_pkts;
		else
			return -ENOENT;
		return 0;
	}
	for (q = 0; q < xfe.nr_pairs; q++) {
		sum[0] += xfe.pq[q].tx_pkts;
		sum[1] += xfe.pq[q].tx_done;
		sum[2] += xfe.pq[q].rx_pkts;
	}
	if (!strcmp(f, "tx_pkts"))
		*v = sum[0];
	else if (!strcmp(f, "tx_done"))
		*v = sum[1];
	else if (!strcmp(f, "rx_pkts"))
		*v = sum[2];
	else if (!strcmp(f, "reconnects"))
		*v = xfe.reconnects;
	else if (!strcmp(f, "rx_out_of_order"))
		*v = xfe.rx_out_of_order;
	else if (!strcmp(f, "rx_hash_reported"))
		*v = xfe.rx_hash_reported;
	else
		return -ENOENT;
	return 0;
}

static int
stat_ctrl(const char *f, uint64_t *v)
{
	const struct xfe_ctrl_result *c = &xfe.ctrl;
	char name[48];
	unsigned int q, i;

	if (sscanf(f, "vq%u.%47s", &q, name) == 2) {
		for (i = 0; i < c->nr_counters; i++)
			if (c->counters[i].vq == q &&
					!strcmp(c->counters[i].name, name)) {
				*v = c->counters[i].value;
				return 0;
			}
		return -ENOENT;
	}
	if (!strcmp(f, "sent"))
		*v = c->sent;
	else if (!strcmp(f, "ok"))
		*v = c->ok;
	else if (!strcmp(f, "err"))
		*v = c->err;
	else if (!strcmp(f, "used_len"))
		*v = c->used_len;
	else if (!strcmp(f, "supported_stats_types"))
		*v = c->supported_stats;
	else if (!strcmp(f, "max_usecs"))
		*v = c->max_usecs;
	else if (!strcmp(f, "max_packets"))
		*v = c->max_packets;
	else if (!strcmp(f, "records"))
		*v = c->records;
	else
		return -ENOENT;
	return 0;
}

static int
stat_rx(const char *f, uint64_t *v)
{
	const struct xfe_checks *k = &xfe.checks;
	const struct xfe_last_rx *l;
	char name[32];
	unsigned int q;
	int n = 0;

	if (sscanf(f, "q%u%n", &q, &n) == 1 && (f[n] == '\0' || f[n] == '.')) {
		if (q >= xfe.nr_pairs)
			return -ENOENT;
		if (f[n] == '\0') {
			*v = xfe.recv_q[q];
			return 0;
		}
		snprintf(name, sizeof(name), "%s", f + n + 1);
		l = &xfe.last[q];
		if (!strcmp(name, "hash_value"))
			*v = l->hash_value;
		else if (!strcmp(name, "hash_report"))
			*v = l->hash_report;
		else if (!strcmp(name, "vlan"))
			*v = l->vlan;
		else if (!strcmp(name, "len"))
			*v = l->len;
		else if (!strcmp(name, "flags"))
			*v = l->flags;
		else if (!strcmp(name, "num_buffers"))
			*v = l->num_buffers;
		else
			return -ENOENT;
		return 0;
	}
	if (!strcmp(f, "total"))
		*v = xfe.recv_total;
	else if (!strcmp(f, "steer_ok"))
		*v = k->steer_ok;
	else if (!strcmp(f, "steer_bad"))
		*v = k->steer_bad;
	else if (!strcmp(f, "hash_ok"))
		*v = k->hash_ok;
	else if (!strcmp(f, "hash_bad"))
		*v = k->hash_bad;
	else if (!strcmp(f, "hash_none"))
		*v = k->hash_none;
	else if (!strcmp(f, "bad_payload"))
		*v = k->bad_payload;
	else if (!strcmp(f, "vlan_tagged"))
		*v = k->vlan_tagged;
	else
		return -ENOENT;
	return 0;
}

static bool
compare(uint64_t got, const char *op, uint64_t want, int *bad_op)
{
	*bad_op = 0;
	if (!strcmp(op, "=="))
		return got == want;
	if (!strcmp(op, "!="))
		return got != want;
	if (!strcmp(op, "<"))
		return got < want;
	if (!strcmp(op, "<="))
		return got <= want;
	if (!strcmp(op, ">"))
		return got > want;
	if (!strcmp(op, ">="))
		return got >= want;
	*bad_op = 1;
	return false;
}

static int
expect_stat(char **argv, unsigned int argc)
{
	char want[128], saw[64];
	uint64_t got, v;
	int ret, bad_op;

	if (argc != 3 || xfe_parse_u64(argv[2], UINT64_MAX, &v) < 0)
		return xfe_fail(&xfe, -EINVAL, "expect stat NAME OP VALUE");
	if (!strncmp(argv[0], "fe.", 3))
		ret = stat_fe(argv[0] + 3, &got);
	else if (!strncmp(argv[0], "ctrl.", 5))
		ret = stat_ctrl(argv[0] + 5, &got);
	else if (!strncmp(argv[0], "rx.", 3))
		ret = stat_rx(argv[0] + 3, &got);
	else
		ret = -ENOENT;
	if (ret < 0)
		return xfe_fail(&xfe, -EINVAL, "expect stat %s: extfe has no such"
			" counter", argv[0]);
	expects++;
	if (compare(got, argv[1], v, &bad_op))
		return 0;
	if (bad_op)
		return xfe_fail(&xfe, -EINVAL, "expect stat: operator %s", argv[1]);
	snprintf(want, sizeof(want), "%s %s %s", argv[0], argv[1], argv[2]);
	snprintf(saw, sizeof(saw), "%" PRIu64 " (0x%" PRIx64 ")", got, got);
	expect_failed("expect stat", want, saw);
	return 0;
}

/* ---- expect state ---- */

enum vtype { V_BOOL, V_NUM, V_MAC, V_HASH, V_TUNNEL, V_OFFLOADS };

struct value {
	enum vtype type;
	uint64_t num;
	uint8_t mac[6];
};

static uint32_t
cfg32(unsigned int off)
{
	const uint8_t *c = xfe.config;

	return (uint32_t)c[off] | (uint32_t)c[off + 1] << 8 |
		(uint32_t)c[off + 2] << 16 | (uint32_t)c[off + 3] << 24;
}

static int
config_field(const char *f, struct value *v)
{
	uint16_t status;

	if (xfe_read_config(&xfe) < 0)
		return -EIO;
	status = (uint16_t)(xfe.config[6] | xfe.config[7] << 8);
	v->type = V_NUM;
	if (!strcmp(f, "mac")) {
		v->type = V_MAC;
		memcpy(v->mac, xfe.config, 6);
	} else if (!strcmp(f, "link") || !strcmp(f, "announce")) {
		v->type = V_BOOL;
		v->num = (status & (f[0] == 'l' ? 1u : 2u)) != 0;
	} else if (!strcmp(f, "status")) {
		v->num = status;
	} else if (!strcmp(f, "max_pairs")) {
		v->num = (uint16_t)(xfe.config[8] | xfe.config[9] << 8);
	} else if (!strcmp(f, "mtu")) {
		v->num = (uint16_t)(xfe.config[10] | xfe.config[11] << 8);
	} else if (!strcmp(f, "hash_types")) {
		v->type = V_HASH;
		v->num = cfg32(20);
	} else if (!strcmp(f, "tunnel_types")) {
		v->type = V_TUNNEL;
		v->num = xfe.config_len >= 28 ? cfg32(24) : 0;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int
state_field(const char *f, struct value *v)
{
	const struct xfe_view *w = &xfe.view;
	const char *const modes[] = { "promisc", "allmulti", "alluni",
		"nomulti", "nouni", "nobcast", "rss" };
	const bool vals[] = { w->promisc, w->allmulti, w->alluni, w->nomulti,
		w->nouni, w->nobcast, w->rss };
	uint64_t vid;
	unsigned int i;

	memset(v, 0, sizeof(*v));
	if (!strncmp(f, "config.", 7))
		return config_field(f + 7, v);
	for (i = 0; i < 7; i++)
		if (!strcmp(f, modes[i])) {
			v->type = V_BOOL;
			v->num = vals[i];
			return 0;
		}
	v->type = V_NUM;
	if (!strncmp(f, "vlan.", 5) && xfe_parse_u64(f + 5, 4095, &vid) == 0) {
		v->type = V_BOOL;
		v->num = (w->vlans[vid / 8] >> (vid % 8)) & 1;
	} else if (!strcmp(f, "mac")) {
		v->type = V_MAC;
		memcpy(v->mac, w->mac, 6);
	} else if (!strcmp(f, "pairs")) {
		v->num = w->pairs;
	} else if (!strcmp(f, "max_pairs")) {
		v->num = xfe.max_pairs;
	} else if (!strcmp(f, "table_len")) {
		v->num = w->table_len;
	} else if (!strcmp(f, "unclassified")) {
		v->num = w->unclassified;
	} else if (!strcmp(f, "key_len")) {
		v->num = w->rss_key_len;
	} else if (!strcmp(f, "hash_types")) {
		v->type = V_HASH;
		v->num = w->rss ? w->rss_types : w->hash_types;
	} else if (!strcmp(f, "tunnel_types")) {
		v->type = V_TUNNEL;
		v->num = w->tunnel_types;
	} else if (!strcmp(f, "offloads")) {
		v->type = V_OFFLOADS;
		v->num = w->offloads;
	} else {
		return -ENOENT;
	}
	return 0;
}

/* on/off and their synonyms (link up/down). */
static int
parse_bool(const char *s, uint64_t *v)
{
	static const struct xfe_name words[] = { { "on", 1 }, { "off", 0 },
		{ "up", 1 }, { "down", 0 }, { "1", 1 }, { "0", 0 },
		{ NULL, 0 } };
	unsigned int i;

	for (i = 0; words[i].name != NULL; i++)
		if (strcasecmp(s, words[i].name) == 0) {
			*v = words[i].bit;
			return 0;
		}
	return -EINVAL;
}

static int
parse_value(const char *s, const struct value *like, struct value *out)
{
	*out = *like;
	switch (like->type) {
	case V_BOOL:
		return parse_bool(s, &out->num);
	case V_NUM:
		return xfe_parse_u64(s, UINT64_MAX, &out->num);
	case V_MAC:
		return xfe_parse_mac(s, out->mac);
	case V_HASH:
		return xfe_parse_names(s, xfe_hash_names, &out->num);
	case V_TUNNEL:
		return xfe_parse_names(s, xfe_tunnel_names, &out->num);
	case V_OFFLOADS:
		return xfe_parse_names(s, xfe_offload_names, &out->num);
	}
	return -EINVAL;
}

static void
format_value(const struct value *v, char *buf, size_t len)
{
	if (v->type == V_MAC)
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
			v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
	else if (v->type == V_BOOL)
		snprintf(buf, len, "%s", v->num ? "on" : "off");
	else
		snprintf(buf, len, "%" PRIu64 " (0x%" PRIx64 ")", v->num, v->num);
}

static int
expect_state(char **argv, unsigned int argc)
{
	char path[128], want[160], saw[64];
	struct value got, exp;
	size_t off = 0;
	unsigned int i;

	if (argc < 2)
		return xfe_fail(&xfe, -EINVAL, "expect state FIELD VALUE");
	path[0] = '\0';
	for (i = 0; i + 1 < argc && off < sizeof(path); i++)
		off += (size_t)snprintf(path + off, sizeof(path) - off, "%s%s",
			i ? "." : "", argv[i]);
	if (state_field(path, &got) < 0)
		return xfe_fail(&xfe, -EINVAL, "expect state %s: extfe has no"
			" such field", path);
	if (parse_value(argv[argc - 1], &got, &exp) < 0)
		return xfe_fail(&xfe, -EINVAL, "expect state %s: bad value '%s'",
			path, argv[argc - 1]);
	expects++;
	if (got.type == V_MAC ? !memcmp(got.mac, exp.mac, 6) : got.num == exp.num)
		return 0;
	format_value(&exp, saw, sizeof(saw));
	snprintf(want, sizeof(want), "%s %s", path, saw);
	format_value(&got, saw, sizeof(saw));
	expect_failed("expect state", want, saw);
	return 0;
}

/* ---- expect ack / rx ---- */

static int
expect_ack(char **argv, unsigned int argc)
{
	bool ok;
	char saw[160];

	if (argc != 1 || (strcmp(argv[0], "ok") && strcmp(argv[0], "err")))
		return xfe_fail(&xfe, -EINVAL, "expect ack ok|err");
	ok = argv[0][0] == 'o';
	expects++;
	if (xfe.ctrl.ack == (ok ? 0 : 1))
		return 0;
	if (xfe.ctrl.ack < 0)
		snprintf(saw, sizeof(saw), "no ack for '%s'", xfe.ctrl.what);
	else
		snprintf(saw, sizeof(saw), "ack %d for '%s'", xfe.ctrl.ack,
			xfe.ctrl.what);
	expect_failed("expect ack", ok ? "OK" : "ERR", saw);
	return 0;
}

static int
expect_rx(char **argv, unsigned int argc)
{
	uint64_t n, q = 0, got;
	char want[64], saw[32];
	bool on_q = argc == 4;

	if ((argc != 1 && argc != 4) || xfe_parse_u64(argv[0], UINT64_MAX, &n) < 0 ||
			(on_q && (strcmp(argv[1], "on") || strcmp(argv[2], "queue") ||
			xfe_parse_u64(argv[3], XFE_MAX_PAIRS - 1, &q) < 0)))
		return xfe_fail(&xfe, -EINVAL, "expect rx N [on queue Q]");
	if (!xfe.recv_done)
		return xfe_fail(&xfe, -EINVAL, "expect rx before any recv");
	expects++;
	got = on_q ? xfe.recv_q[q] : xfe.recv_total;
	if (got == n)
		return 0;
	snprintf(want, sizeof(want), "%" PRIu64 " frames%s", n,
		on_q ? " on that queue" : "");
	snprintf(saw, sizeof(saw), "%" PRIu64, got);
	expect_failed("expect rx", want, saw);
	return 0;
}

/* ---- the lines ---- */

static int run_cmd(char **argv, unsigned int argc);

/* "try CMD": CMD may fail; "expect error" then judges how. */
static int
try_cmd(char **argv, unsigned int argc)
{
	if (argc == 0)
		return 0;
	try_err[0] = '\0';
	try_failed = run_cmd(argv, argc) < 0;
	if (try_failed) {
		snprintf(try_err, sizeof(try_err), "%s", xfe.err);
		printf("extfe: try: %s\n", try_err);
	}
	return 0;
}

/* "expect error [TEXT]": the command tried last failed, its message
 * containing TEXT (the words joined by single spaces). */
static int
expect_error(char **argv, unsigned int argc)
{
	char want[256] = "";
	unsigned int i;
	size_t len = 0;

	for (i = 0; i < argc && len < sizeof(want); i++)
		len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s",
			i ? " " : "", argv[i]);
	expects++;
	if (!try_failed)
		expect_failed("expect error", "the command tried last to fail",
			"it succeeded");
	else if (strstr(try_err, want) == NULL)
		expect_failed("expect error", want, try_err);
	return 0;
}

static int
device_cmd(char **argv, unsigned int argc)
{
	int ret;

	bool fresh = argc == 2 && !strcmp(argv[1], "fresh");
	unsigned int i;

	if (argc == 1 && !strcmp(argv[0], "stop"))
		return xfe.connected ? xfe_stop(&xfe) : 0;
	if ((argc != 1 && !fresh) || strcmp(argv[0], "reconnect"))
		return xfe_fail(&xfe, -EINVAL, "device stop|reconnect [fresh]");
	if (xfe.connected) {
		ret = xfe_stop(&xfe);
		if (ret < 0)
			return ret;
	}
	/* fresh: every ring empty from index 0, as a driver that reset the
	 * device; what it had made available is forgotten. */
	for (i = 0; fresh && i < xfe.nr_rings; i++) {
		xfe_ring_reset(&xfe.rings[i]);
		xfe.rings[i].base = 0;
	}
	if (fresh) {
		ret = xfe_net_setup(&xfe);	/* the receive buffers again */
		if (ret < 0)
			return ret;
	}
	ret = xfe_connect(&xfe);
	if (ret < 0)
		return ret;
	xfe.reconnects++;
	tel_check("after the reconnect");
	return 0;
}

static int
run_cmd(char **argv, unsigned int argc)
{
	const char *c = argv[0];
	uint64_t ms;

	argv++;
	argc--;
	if (!strcmp(c, "try"))
		return try_cmd(argv, argc);
	if (!strcmp(c, "ctrl"))
		return xfe_ctrl(&xfe, argv, argc);
	if (!strcmp(c, "send"))
		return xfe_send(&xfe, argv, argc);
	if (!strcmp(c, "recv")) {
		ms = RECV_TIMEOUT_MS;
		if (argc == 2 && !strcmp(argv[0], "timeout") &&
				xfe_parse_u64(argv[1], 600000, &ms) == 0)
			return xfe_recv(&xfe, (unsigned int)ms);
		return argc == 0 ? xfe_recv(&xfe, RECV_TIMEOUT_MS) :
			xfe_fail(&xfe, -EINVAL, "recv [timeout MS]");
	}
	if (!strcmp(c, "expect") && argc >= 1) {
		if (!strcmp(argv[0], "ack"))
			return expect_ack(argv + 1, argc - 1);
		if (!strcmp(argv[0], "rx"))
			return expect_rx(argv + 1, argc - 1);
		if (!strcmp(argv[0], "stat"))
			return expect_stat(argv + 1, argc - 1);
		if (!strcmp(argv[0], "state"))
			return expect_state(argv + 1, argc - 1);
		if (!strcmp(argv[0], "error"))
			return expect_error(argv + 1, argc - 1);
	}
	if (!strcmp(c, "set") && argc == 3 && !strcmp(argv[0], "ctrl") &&
			!strcmp(argv[1], "layout"))
		return xfe_ctrl_layout(&xfe, argv[2]);
	if (!strcmp(c, "sleep") && argc == 1 &&
			xfe_parse_u64(argv[0], 600000, &ms) == 0) {
		usleep((useconds_t)(ms * 1000));
		return 0;
	}
	if (!strcmp(c, "clear") && argc == 1 && !strcmp(argv[0], "stats")) {
		memset(&xfe.checks, 0, sizeof(xfe.checks));
		xfe.rx_hash_reported = 0;
		return 0;
	}
	if (!strcmp(c, "device"))
		return device_cmd(argv, argc);
	if (!strcmp(c, "memtable") && argc == 1 && !strcmp(argv[0], "nocvq"))
		return xfe_mem_table_nocvq(&xfe);
	if (!strcmp(c, "memtable") && argc == 1 && (!strcmp(argv[0], "same") ||
			!strcmp(argv[0], "add") || !strcmp(argv[0], "drop")))
		return xfe_mem_table(&xfe, !strcmp(argv[0], "add") ||
			(!strcmp(argv[0], "same") && xfe.mem2_in_table));
	if (!strcmp(c, "echo"))
		return 0;
	return xfe_fail(&xfe, -EINVAL, "'%s': not a command extfe runs", c);
}

static int
run_script(const char *path)
{
	char line[4096], *argv[MAX_ARGS], *save = NULL, *tok, *hash;
	unsigned int argc;
	FILE *f = fopen(path, "r");

	if (f == NULL) {
		fprintf(stderr, "extfe: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line_no++;
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		argc = 0;
		for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL &&
				argc < MAX_ARGS; tok = strtok_r(NULL, " \t\r\n", &save))
			argv[argc++] = tok;
		if (argc == 0)
			continue;
		xfe.err[0] = '\0';
		if (run_cmd(argv, argc) < 0) {
			printf("extfe: ERROR line %u (%s): %s\n", line_no, argv[0],
				xfe.err);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static void
usage(void)
{
	fprintf(stderr, "usage: extfe --connect SOCK --script FILE"
		" [--fe-features-off LIST] [--fe-queue-size N]\n"
		"       [--fe-ctrl-queue-size N] [--fe-ctrl-timeout MS]"
		" [--telemetry PATH --telemetry-dev NAME\n"
		"       [--expect-cvq-asid 0|1]]\n");
}

static int
ring_size_arg(const char *s, uint16_t *v)
{
	uint64_t n;

	if (xfe_parse_u64(s, XFE_MAX_RING, &n) < 0 || n < 2 || (n & (n - 1)))
		return -1;
	*v = (uint16_t)n;
	return 0;
}

static int
parse_options(int argc, char **argv, const char **script)
{
	static const struct option opts[] = {
		{ "connect", required_argument, NULL, 'c' },
		{ "script", required_argument, NULL, 's' },
		{ "fe-features-off", required_argument, NULL, 'f' },
		{ "fe-queue-size", required_argument, NULL, 'q' },
		{ "fe-ctrl-queue-size", required_argument, NULL, 'Q' },
		{ "fe-ctrl-timeout", required_argument, NULL, 't' },
		{ "telemetry", required_argument, NULL, 'T' },
		{ "telemetry-dev", required_argument, NULL, 'D' },
		{ "expect-cvq-asid", required_argument, NULL, 'A' },
		{ "packed", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': xfe.sock_path = optarg; break;
		case 's': *script = optarg; break;
		case 'f':
			if (xfe_parse_names(optarg, xfe_feature_names,
					&xfe.features_off) < 0)
				return -1;
			break;
		case 'q':
			if (ring_size_arg(optarg, &xfe.ring_size) < 0)
				return -1;
			break;
		case 'Q':
			if (ring_size_arg(optarg, &xfe.ctrl_ring_size) < 0)
				return -1;
			break;
		case 't':
			if (xfe_parse_u64(optarg, 600000, &v) < 0)
				return -1;
			xfe.ctrl_timeout_ms = (unsigned int)v;
			break;
		case 'T': xfe.tel_path = optarg; break;
		case 'D': xfe.tel_dev = optarg; break;
		case 'A':
			if (xfe_parse_u64(optarg, 1, &v) < 0)
				return -1;
			xfe.expect_cvq_asid = (unsigned int)v;
			break;
		case 'p':
			fprintf(stderr, "extfe: split rings only (--packed)\n");
			return -1;
		default:
			return -1;
		}
	}
	if (xfe.sock_path == NULL || *script == NULL || optind != argc ||
			(xfe.tel_path != NULL && xfe.tel_dev == NULL))
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *script = NULL;
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	xfe.ring_size = 256;
	xfe.ctrl_ring_size = 64;
	xfe.ctrl_timeout_ms = 5000;
	xfe.ctrl.ack = -1;
	xfe.expect_cvq_asid = 1;
	if (parse_options(argc, argv, &script) < 0) {
		usage();
		return 2;
	}
	if (xfe_mem_init(&xfe) < 0 || xfe_connect(&xfe) < 0) {
		printf("extfe: ERROR: %s\n", xfe.err);
		return 1;
	}
	tel_check("after connecting");
	ret = run_script(script);
	if (ret == 0 && xfe.connected)
		tel_check("at the end");
	xfe_disconnect(&xfe);
	printf("extfe: %s: %u expectations, %u failed%s\n", script, expects,
		failures, ret < 0 ? ", stopped by an error" : "");
	return ret < 0 || failures > 0 ? 1 : 0;
}
