/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The command table of librte_cmdline: every command's grammar and the
 * handler it runs (the handlers live in the cmds_*.c file of their
 * concept; this file only maps words to them).
 *
 * Fixed grammars use typed tokens (choices, numbers, Ethernet addresses);
 * commands with optional keyword arguments take the rest of the line as
 * one multi-string token and parse it in the cmds_*.c file that owns them.
 * "try", "expect error", "echo", "sleep" and "quit" are the table's own.
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_etheraddr.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "cmds_args.h"
#include "cmds_ctrl.h"
#include "cmds_ctrl_rss.h"
#include "cmds_ctrl_stats.h"
#include "cmds_ctx.h"
#include "cmds_expect.h"
#include "cmds_help.h"
#include "cmds_line.h"
#include "cmds_port.h"
#include "cmds_session.h"
#include "cmds_show.h"
#include "cmds_table.h"
#include "cmds_table_ctrl.h"
#include "cmds_tokens.h"
#include "cmds_traffic.h"
#include "migrate.h"

/* ---- show / clear ---- */

struct cmd_show {
	cmdline_fixed_string_t show;
	cmdline_fixed_string_t what;
};

static void
cmd_show_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_show *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	if (strcmp(r->what, "device") == 0)
		cmds_show_device();
	else if (strcmp(r->what, "groups") == 0)
		cmds_show_groups();
	else if (strcmp(r->what, "config") == 0)
		cmds_show_config();
	else if (strcmp(r->what, "state") == 0)
		cmds_show_state();
	else if (strcmp(r->what, "stats") == 0)
		cmds_show_stats();
	else if (strcmp(r->what, "shadow") == 0)
		cmds_show_shadow();
	else if (strcmp(r->what, "port") == 0)
		cmds_show_port();
	else
		cmds_show_features();
}

TOK_FIXED(cmd_show, show, "show");
TOK_FIXED(cmd_show, what,
	"device#groups#config#state#stats#features#shadow#port");

static cmdline_parse_inst_t cmd_show_inst = {
	.f = cmd_show_parsed,
	.help_str = "show device|groups|config|state|stats|features|shadow|port",
	.tokens = { TOK(cmd_show, show), TOK(cmd_show, what), NULL },
};

/* device shadow on|off: the VM or the DPDK case from the next connection. */
struct cmd_shadow {
	cmdline_fixed_string_t device;
	cmdline_fixed_string_t shadow;
	cmdline_fixed_string_t onoff;
};

static void
cmd_shadow_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_shadow *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_shadow_set(strcmp(r->onoff, "on") == 0);
}

TOK_FIXED(cmd_shadow, device, "device");
TOK_FIXED(cmd_shadow, shadow, "shadow");
TOK_FIXED(cmd_shadow, onoff, "on#off");

static cmdline_parse_inst_t cmd_shadow_inst = {
	.f = cmd_shadow_parsed,
	.help_str = "device shadow on|off: relay the control queue (VM case)"
		" from the next connection on, or not (DPDK case)",
	.tokens = { TOK(cmd_shadow, device), TOK(cmd_shadow, shadow),
		TOK(cmd_shadow, onoff), NULL },
};

struct cmd_clear {
	cmdline_fixed_string_t clear;
	cmdline_fixed_string_t stats;
};

static void
cmd_clear_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_clear_stats();
}

TOK_FIXED(cmd_clear, clear, "clear");
TOK_FIXED(cmd_clear, stats, "stats");

static cmdline_parse_inst_t cmd_clear_inst = {
	.f = cmd_clear_parsed,
	.help_str = "clear stats",
	.tokens = { TOK(cmd_clear, clear), TOK(cmd_clear, stats), NULL },
};

/* ---- commands taking the rest of the line ---- */

/*
 * One structure and callback for every "WORDS... REST" command: the
 * instance's data names the handler; REST may be empty.
 */
struct cmd_rest {
	cmdline_fixed_string_t w1;
	cmdline_fixed_string_t w2;
	cmdline_fixed_string_t w3;
	cmdline_multi_string_t rest;
};

typedef void (*rest_fn)(const char *rest);

/* What a "WORDS... REST" instance runs, and its usage for errors. */
struct rest_cmd {
	rest_fn fn;
	const char *usage;
};

static void
rest_run(const struct rest_cmd *rc, const char *rest)
{
	const char *outer = cmds.usage;	/* "try" runs a command inside */

	cmds.usage = rc->usage;
	rc->fn(rest);
	cmds.usage = outer;
}

static void
cmd_rest_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_rest *r = res;

	RTE_SET_USED(cl);
	rest_run(data, r->rest);
}

static void
cmd_word_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	rest_run(data, "");
}

static void
rss_fn(const char *rest)
{
	cmds_ctrl_rss(rest, false);
}

static void
hash_fn(const char *rest)
{
	char buf[CMDS_ARGS_MAX];

	/* The "types" word was a token; hand it back to the parser. */
	snprintf(buf, sizeof(buf), "types %s", rest);
	cmds_ctrl_rss(buf, true);
}

static void
expect_state_fn(const char *rest)
{
	cmds_expect_state(rest);
}

/*
 * try COMMAND: run it, keep its error for "expect error" instead of
 * failing the script.
 */
static void
try_fn(const char *rest)
{
	static bool trying;
	char line[CMDS_ARGS_MAX + 2];

	if (trying) {
		cmds_error("try COMMAND: COMMAND cannot be another try");
		return;
	}
	snprintf(line, sizeof(line), "%s\n", rest);
	cmds.last_error[0] = '\0';
	trying = true;
	cmds.try_failed = cmds_exec_line(line) != 0;
	trying = false;
	cmds.cmd_failed = false;
}

static void
expect_error_fn(const char *rest)
{
	char saw[sizeof(cmds.last_error) + 8];

	cmds.nr_expects++;
	snprintf(saw, sizeof(saw), "'%s'", cmds.last_error);
	if (!cmds.try_failed)
		cmds_expect_failed("the command tried last to fail", "it succeed");
	else if (strstr(cmds.last_error, rest) == NULL)
		cmds_expect_failed(rest, saw);
}

static void
echo_fn(const char *rest)
{
	cmds_out("%s\n", rest);
}

static void
sleep_fn(const char *rest)
{
	struct timespec ts;
	uint64_t ms;

	if (cmds_parse_u64(rest, 60000, &ms) < 0) {
		cmds_arg_error("sleep: MS is 0..60000");
		return;
	}
	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static void
device_announce_fn(const char *rest)
{
	RTE_SET_USED(rest);
	cmds_device_announce();
}

static void
device_stop_fn(const char *rest)
{
	RTE_SET_USED(rest);
	cmds_session_stop_fe();
}

static void
device_reconnect_fn(const char *rest)
{
	RTE_SET_USED(rest);
	cmds_session_reconnect();
}

#define REST_TOK(name, field, str) \
	static cmdline_parse_token_string_t name = \
		TOKEN_STRING_INITIALIZER(struct cmd_rest, field, str)

REST_TOK(tok_ctrl, w1, "ctrl");
REST_TOK(tok_mac, w2, "mac");
REST_TOK(tok_table, w3, "table");
REST_TOK(tok_rss, w2, "rss");
REST_TOK(tok_hash, w2, "hash");
REST_TOK(tok_types, w3, "types");
REST_TOK(tok_tunnel, w3, "tunnel");
REST_TOK(tok_offloads, w2, "offloads");
REST_TOK(tok_stats, w2, "stats");
REST_TOK(tok_get, w3, "get");
REST_TOK(tok_raw, w2, "raw");
REST_TOK(tok_set, w1, "set");
REST_TOK(tok_ctrl2, w2, "ctrl");
REST_TOK(tok_layout, w3, "layout");
REST_TOK(tok_send, w1, "send");
REST_TOK(tok_recv, w1, "recv");
REST_TOK(tok_expect, w1, "expect");
REST_TOK(tok_stat, w2, "stat");
REST_TOK(tok_state, w2, "state");
REST_TOK(tok_echo, w1, "echo");
REST_TOK(tok_try, w1, "try");
REST_TOK(tok_error, w2, "error");
REST_TOK(tok_sleep, w1, "sleep");
REST_TOK(tok_device, w1, "device");
REST_TOK(tok_announce, w2, "announce");
REST_TOK(tok_stop, w2, "stop");
REST_TOK(tok_reconnect, w2, "reconnect");
REST_TOK(tok_migrate, w1, "migrate");
REST_TOK(tok_port, w1, "port");
REST_TOK(tok_link, w2, "link");
REST_TOK(tok_rest, rest, TOKEN_STRING_MULTI);
static cmdline_parse_token_string_t tok_layout_name =
	TOKEN_STRING_INITIALIZER(struct cmd_rest, rest, "split#one#bytes#indirect");

#define REST_INST(name, fn, help, ...) \
	static const struct rest_cmd name ## _cmd = { fn, help }; \
	static cmdline_parse_inst_t name = { \
		.f = cmd_rest_parsed, \
		.data = (void *)(uintptr_t)&name ## _cmd, \
		.help_str = help, \
		.tokens = { __VA_ARGS__, NULL }, \
	}
#define WORD_INST(name, fn, help, ...) \
	static const struct rest_cmd name ## _cmd = { fn, help }; \
	static cmdline_parse_inst_t name = { \
		.f = cmd_word_parsed, \
		.data = (void *)(uintptr_t)&name ## _cmd, \
		.help_str = help, \
		.tokens = { __VA_ARGS__, NULL }, \
	}

REST_INST(cmd_mac_table_inst, cmds_ctrl_mac_table,
	"ctrl mac table [uc MAC,MAC,...|gen N|-] [mc MAC,...|gen N|-]",
	T(tok_ctrl), T(tok_mac), T(tok_table), T(tok_rest));
WORD_INST(cmd_mac_table0_inst, cmds_ctrl_mac_table, "ctrl mac table",
	T(tok_ctrl), T(tok_mac), T(tok_table));
REST_INST(cmd_rss_inst, rss_fn,
	"ctrl rss [types LIST] [key default|none|HEX] [table Q,Q,...] "
	"[tablelen N] [unclassified Q] [pairs N] [pad]",
	T(tok_ctrl), T(tok_rss), T(tok_rest));
WORD_INST(cmd_rss0_inst, rss_fn, "ctrl rss", T(tok_ctrl), T(tok_rss));
REST_INST(cmd_hash_inst, hash_fn,
	"ctrl hash types LIST [key default|none|HEX] [pad]",
	T(tok_ctrl), T(tok_hash), T(tok_types), T(tok_rest));
REST_INST(cmd_tunnel_inst, cmds_ctrl_hash_tunnel,
	"ctrl hash tunnel TYPES|none",
	T(tok_ctrl), T(tok_hash), T(tok_tunnel), T(tok_rest));
REST_INST(cmd_offloads_inst, cmds_ctrl_offloads,
	"ctrl offloads MASK|NAME,NAME...|none",
	T(tok_ctrl), T(tok_offloads), T(tok_rest));
REST_INST(cmd_stats_get_inst, cmds_ctrl_stats_get,
	"ctrl stats get all | vq VQ types LIST [vq ...] [buf BYTES]",
	T(tok_ctrl), T(tok_stats), T(tok_get), T(tok_rest));
REST_INST(cmd_raw_inst, cmds_ctrl_raw,
	"ctrl raw CLASS CMD [HEXDATA] [result BYTES]",
	T(tok_ctrl), T(tok_raw), T(tok_rest));
REST_INST(cmd_layout_inst, cmds_ctrl_layout,
	"set ctrl layout split|one|bytes|indirect",
	T(tok_set), T(tok_ctrl2), T(tok_layout), T(tok_layout_name));
REST_INST(cmd_send_inst, cmds_send,
	"send [queue Q] [count N] [dst MAC|bcast|mcast] [src MAC] [vlan ID] "
	"[ipv4|ipv6 [SRC DST]] [udp|tcp [SPORT DPORT]] [len L] "
	"[sport-range N] [dport-range N]",
	T(tok_send), T(tok_rest));
WORD_INST(cmd_send0_inst, cmds_send, "send", T(tok_send));
REST_INST(cmd_recv_inst, cmds_recv, "recv [timeout MS]",
	T(tok_recv), T(tok_rest));
WORD_INST(cmd_recv0_inst, cmds_recv, "recv", T(tok_recv));
REST_INST(cmd_expect_stat_inst, cmds_expect_stat,
	"expect stat NAME ==|!=|<|<=|>|>= VALUE",
	T(tok_expect), T(tok_stat), T(tok_rest));
REST_INST(cmd_expect_state_inst, expect_state_fn,
	"expect state FIELD VALUE",
	T(tok_expect), T(tok_state), T(tok_rest));
REST_INST(cmd_expect_error_inst, expect_error_fn, "expect error TEXT",
	T(tok_expect), T(tok_error), T(tok_rest));
REST_INST(cmd_try_inst, try_fn, "try COMMAND", T(tok_try), T(tok_rest));
REST_INST(cmd_echo_inst, echo_fn, "echo TEXT", T(tok_echo), T(tok_rest));
REST_INST(cmd_sleep_inst, sleep_fn, "sleep MS", T(tok_sleep), T(tok_rest));
WORD_INST(cmd_dev_announce_inst, device_announce_fn, "device announce",
	T(tok_device), T(tok_announce));
WORD_INST(cmd_dev_stop_inst, device_stop_fn, "device stop",
	T(tok_device), T(tok_stop));
WORD_INST(cmd_dev_reconnect_inst, device_reconnect_fn, "device reconnect",
	T(tok_device), T(tok_reconnect));
REST_INST(cmd_migrate_inst, cmds_migrate,
	"migrate save FILE | restore FILE | check | stop | resume SOCKET",
	T(tok_migrate), T(tok_rest));
REST_INST(cmd_port_link_inst, cmds_port_link, "port link up|down",
	T(tok_port), T(tok_link), T(tok_rest));

/* ---- expect: fixed grammars ---- */

struct cmd_expect_ack {
	cmdline_fixed_string_t expect;
	cmdline_fixed_string_t ack;
	cmdline_fixed_string_t what;
};

static void
cmd_expect_ack_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_expect_ack *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_expect_ack(strcmp(r->what, "ok") == 0);
}

TOK_FIXED(cmd_expect_ack, expect, "expect");
TOK_FIXED(cmd_expect_ack, ack, "ack");
TOK_FIXED(cmd_expect_ack, what, "ok#err");

static cmdline_parse_inst_t cmd_expect_ack_inst = {
	.f = cmd_expect_ack_parsed,
	.help_str = "expect ack ok|err",
	.tokens = { TOK(cmd_expect_ack, expect), TOK(cmd_expect_ack, ack),
		TOK(cmd_expect_ack, what), NULL },
};

struct cmd_expect_rx {
	cmdline_fixed_string_t expect;
	cmdline_fixed_string_t rx;
	uint32_t count;
	cmdline_fixed_string_t on;
	cmdline_fixed_string_t queue;
	uint16_t q;
};

static void
cmd_expect_rx_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_expect_rx *r = res;

	RTE_SET_USED(cl);
	cmds_expect_rx(r->count, data != NULL ? (int)r->q : -1);
}

TOK_FIXED(cmd_expect_rx, expect, "expect");
TOK_FIXED(cmd_expect_rx, rx, "rx");
TOK_NUM(cmd_expect_rx, count, RTE_UINT32);
TOK_FIXED(cmd_expect_rx, on, "on");
TOK_FIXED(cmd_expect_rx, queue, "queue");
TOK_NUM(cmd_expect_rx, q, RTE_UINT16);

static cmdline_parse_inst_t cmd_expect_rx_inst = {
	.f = cmd_expect_rx_parsed,
	.data = NULL,
	.help_str = "expect rx COUNT",
	.tokens = { TOK(cmd_expect_rx, expect), TOK(cmd_expect_rx, rx),
		TOK(cmd_expect_rx, count), NULL },
};

static cmdline_parse_inst_t cmd_expect_rxq_inst = {
	.f = cmd_expect_rx_parsed,
	.data = (void *)1,
	.help_str = "expect rx COUNT on queue Q",
	.tokens = { TOK(cmd_expect_rx, expect), TOK(cmd_expect_rx, rx),
		TOK(cmd_expect_rx, count), TOK(cmd_expect_rx, on),
		TOK(cmd_expect_rx, queue), TOK(cmd_expect_rx, q), NULL },
};

/* ---- help, quit ---- */

struct cmd_help {
	cmdline_fixed_string_t help;
	cmdline_fixed_string_t section;
};

static void
cmd_help_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_help *r = res;

	RTE_SET_USED(cl);
	cmds_help(data != NULL ? r->section : "all");
}

TOK_FIXED(cmd_help, help, "help");
TOK_FIXED(cmd_help, section, "all#show#ctrl#traffic#device#expect");

static cmdline_parse_inst_t cmd_help_inst = {
	.f = cmd_help_parsed,
	.data = NULL,
	.help_str = "help",
	.tokens = { TOK(cmd_help, help), NULL },
};

static cmdline_parse_inst_t cmd_help_section_inst = {
	.f = cmd_help_parsed,
	.data = (void *)1,
	.help_str = "help all|show|ctrl|traffic|device|expect",
	.tokens = { TOK(cmd_help, help), TOK(cmd_help, section), NULL },
};

struct cmd_quit {
	cmdline_fixed_string_t quit;
};

static void
cmd_quit_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds.quit_requested = true;
}

TOK_FIXED(cmd_quit, quit, "quit");

static cmdline_parse_inst_t cmd_quit_inst = {
	.f = cmd_quit_parsed,
	.help_str = "quit",
	.tokens = { TOK(cmd_quit, quit), NULL },
};

static cmdline_parse_ctx_t table[] = {
	&cmd_show_inst,
	&cmd_clear_inst,
	&cmd_ctrl_rx_inst,
	&cmd_ctrl_mac_addr_inst,
	&cmd_mac_table_inst,
	&cmd_mac_table0_inst,
	&cmd_ctrl_vlan_inst,
	&cmd_ctrl_mq_inst,
	&cmd_rss_inst,
	&cmd_rss0_inst,
	&cmd_hash_inst,
	&cmd_tunnel_inst,
	&cmd_offloads_inst,
	&cmd_ctrl_coal_inst,
	&cmd_ctrl_coal_vq_inst,
	&cmd_ctrl_coal_get_inst,
	&cmd_ctrl_announce_inst,
	&cmd_ctrl_stats_query_inst,
	&cmd_stats_get_inst,
	&cmd_raw_inst,
	&cmd_layout_inst,
	&cmd_send_inst,
	&cmd_send0_inst,
	&cmd_recv_inst,
	&cmd_recv0_inst,
	&cmd_dev_announce_inst,
	&cmd_dev_stop_inst,
	&cmd_dev_reconnect_inst,
	&cmd_shadow_inst,
	&cmd_migrate_inst,
	&cmd_port_link_inst,
	&cmd_expect_ack_inst,
	&cmd_expect_rx_inst,
	&cmd_expect_rxq_inst,
	&cmd_expect_stat_inst,
	&cmd_expect_state_inst,
	&cmd_expect_error_inst,
	&cmd_try_inst,
	&cmd_echo_inst,
	&cmd_sleep_inst,
	&cmd_help_inst,
	&cmd_help_section_inst,
	&cmd_quit_inst,
	NULL,
};

struct cmdline *
cmds_table_cmdline(int out_fd)
{
	struct cmdline *cl = cmdline_new(table, "", -1, out_fd);

	if (cl != NULL) {
		cmds.cl = cl;
		cmds.table = table;
	}
	return cl;
}

void
cmds_table_cmdline_free(void)
{
	if (cmds.cl != NULL)
		cmdline_free(cmds.cl);
	cmds.cl = NULL;
}
