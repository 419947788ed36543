/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The grammars of the control-queue commands with a fixed form ("ctrl rx",
 * "ctrl mac addr", "ctrl vlan", "ctrl mq pairs", "ctrl coal ...", "ctrl
 * announce ack", "ctrl stats query"): typed tokens, each handing its
 * values to its handler in cmds_ctrl.c. The command table (cmds_table.c)
 * lists them.
 */

#include <string.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_etheraddr.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "cmds_ctrl.h"
#include "cmds_ctrl_rss.h"
#include "cmds_ctrl_stats.h"
#include "cmds_table_ctrl.h"
#include "cmds_tokens.h"

struct cmd_ctrl_rx {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t rx;
	cmdline_fixed_string_t mode;
	cmdline_fixed_string_t onoff;
};

static void
cmd_ctrl_rx_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_rx *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_rx(r->mode, strcmp(r->onoff, "on") == 0);
}

TOK_FIXED(cmd_ctrl_rx, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_rx, rx, "rx");
TOK_FIXED(cmd_ctrl_rx, mode, "promisc#allmulti#alluni#nomulti#nouni#nobcast");
TOK_FIXED(cmd_ctrl_rx, onoff, "on#off");

cmdline_parse_inst_t cmd_ctrl_rx_inst = {
	.f = cmd_ctrl_rx_parsed,
	.help_str = "ctrl rx promisc|allmulti|alluni|nomulti|nouni|nobcast on|off",
	.tokens = { TOK(cmd_ctrl_rx, ctrl), TOK(cmd_ctrl_rx, rx),
		TOK(cmd_ctrl_rx, mode), TOK(cmd_ctrl_rx, onoff), NULL },
};

struct cmd_ctrl_mac_addr {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t mac;
	cmdline_fixed_string_t addr;
	struct rte_ether_addr ea;
};

static void
cmd_ctrl_mac_addr_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_mac_addr *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_mac_addr(r->ea.addr_bytes);
}

TOK_FIXED(cmd_ctrl_mac_addr, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_mac_addr, mac, "mac");
TOK_FIXED(cmd_ctrl_mac_addr, addr, "addr");
static cmdline_parse_token_etheraddr_t cmd_ctrl_mac_addr_ea =
	TOKEN_ETHERADDR_INITIALIZER(struct cmd_ctrl_mac_addr, ea);

cmdline_parse_inst_t cmd_ctrl_mac_addr_inst = {
	.f = cmd_ctrl_mac_addr_parsed,
	.help_str = "ctrl mac addr XX:XX:XX:XX:XX:XX",
	.tokens = { TOK(cmd_ctrl_mac_addr, ctrl), TOK(cmd_ctrl_mac_addr, mac),
		TOK(cmd_ctrl_mac_addr, addr), TOK(cmd_ctrl_mac_addr, ea), NULL },
};

struct cmd_ctrl_vlan {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t vlan;
	cmdline_fixed_string_t op;
	uint16_t vid;
};

static void
cmd_ctrl_vlan_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_vlan *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_vlan(strcmp(r->op, "add") == 0, r->vid);
}

TOK_FIXED(cmd_ctrl_vlan, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_vlan, vlan, "vlan");
TOK_FIXED(cmd_ctrl_vlan, op, "add#del");
TOK_NUM(cmd_ctrl_vlan, vid, RTE_UINT16);

cmdline_parse_inst_t cmd_ctrl_vlan_inst = {
	.f = cmd_ctrl_vlan_parsed,
	.help_str = "ctrl vlan add|del VID",
	.tokens = { TOK(cmd_ctrl_vlan, ctrl), TOK(cmd_ctrl_vlan, vlan),
		TOK(cmd_ctrl_vlan, op), TOK(cmd_ctrl_vlan, vid), NULL },
};

struct cmd_ctrl_mq {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t mq;
	cmdline_fixed_string_t pairs;
	uint16_t n;
};

static void
cmd_ctrl_mq_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_mq *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_mq_pairs(r->n);
}

TOK_FIXED(cmd_ctrl_mq, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_mq, mq, "mq");
TOK_FIXED(cmd_ctrl_mq, pairs, "pairs");
TOK_NUM(cmd_ctrl_mq, n, RTE_UINT16);

cmdline_parse_inst_t cmd_ctrl_mq_inst = {
	.f = cmd_ctrl_mq_parsed,
	.help_str = "ctrl mq pairs N",
	.tokens = { TOK(cmd_ctrl_mq, ctrl), TOK(cmd_ctrl_mq, mq),
		TOK(cmd_ctrl_mq, pairs), TOK(cmd_ctrl_mq, n), NULL },
};

struct cmd_ctrl_coal {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t coal;
	cmdline_fixed_string_t dir;
	cmdline_fixed_string_t usecs;
	uint32_t u;
	cmdline_fixed_string_t pkts;
	uint32_t p;
};

static void
cmd_ctrl_coal_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_coal *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_coal(strcmp(r->dir, "tx") == 0, r->u, r->p);
}

TOK_FIXED(cmd_ctrl_coal, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_coal, coal, "coal");
TOK_FIXED(cmd_ctrl_coal, dir, "tx#rx");
TOK_FIXED(cmd_ctrl_coal, usecs, "usecs");
TOK_NUM(cmd_ctrl_coal, u, RTE_UINT32);
TOK_FIXED(cmd_ctrl_coal, pkts, "pkts");
TOK_NUM(cmd_ctrl_coal, p, RTE_UINT32);

cmdline_parse_inst_t cmd_ctrl_coal_inst = {
	.f = cmd_ctrl_coal_parsed,
	.help_str = "ctrl coal tx|rx usecs U pkts P",
	.tokens = { TOK(cmd_ctrl_coal, ctrl), TOK(cmd_ctrl_coal, coal),
		TOK(cmd_ctrl_coal, dir), TOK(cmd_ctrl_coal, usecs),
		TOK(cmd_ctrl_coal, u), TOK(cmd_ctrl_coal, pkts),
		TOK(cmd_ctrl_coal, p), NULL },
};

struct cmd_ctrl_coal_vq {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t coal;
	cmdline_fixed_string_t vq;
	uint16_t q;
	cmdline_fixed_string_t usecs;
	uint32_t u;
	cmdline_fixed_string_t pkts;
	uint32_t p;
};

static void
cmd_ctrl_coal_vq_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_coal_vq *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_coal_vq_set(r->q, r->u, r->p);
}

TOK_FIXED(cmd_ctrl_coal_vq, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_coal_vq, coal, "coal");
TOK_FIXED(cmd_ctrl_coal_vq, vq, "vq");
TOK_NUM(cmd_ctrl_coal_vq, q, RTE_UINT16);
TOK_FIXED(cmd_ctrl_coal_vq, usecs, "usecs");
TOK_NUM(cmd_ctrl_coal_vq, u, RTE_UINT32);
TOK_FIXED(cmd_ctrl_coal_vq, pkts, "pkts");
TOK_NUM(cmd_ctrl_coal_vq, p, RTE_UINT32);

cmdline_parse_inst_t cmd_ctrl_coal_vq_inst = {
	.f = cmd_ctrl_coal_vq_parsed,
	.help_str = "ctrl coal vq VQ usecs U pkts P",
	.tokens = { TOK(cmd_ctrl_coal_vq, ctrl), TOK(cmd_ctrl_coal_vq, coal),
		TOK(cmd_ctrl_coal_vq, vq), TOK(cmd_ctrl_coal_vq, q),
		TOK(cmd_ctrl_coal_vq, usecs), TOK(cmd_ctrl_coal_vq, u),
		TOK(cmd_ctrl_coal_vq, pkts), TOK(cmd_ctrl_coal_vq, p), NULL },
};

struct cmd_ctrl_coal_get {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t coal;
	cmdline_fixed_string_t vq;
	uint16_t q;
	cmdline_fixed_string_t get;
};

static void
cmd_ctrl_coal_get_parsed(void *res, struct cmdline *cl, void *data)
{
	struct cmd_ctrl_coal_get *r = res;

	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_coal_vq_get(r->q);
}

TOK_FIXED(cmd_ctrl_coal_get, ctrl, "ctrl");
TOK_FIXED(cmd_ctrl_coal_get, coal, "coal");
TOK_FIXED(cmd_ctrl_coal_get, vq, "vq");
TOK_NUM(cmd_ctrl_coal_get, q, RTE_UINT16);
TOK_FIXED(cmd_ctrl_coal_get, get, "get");

cmdline_parse_inst_t cmd_ctrl_coal_get_inst = {
	.f = cmd_ctrl_coal_get_parsed,
	.help_str = "ctrl coal vq VQ get",
	.tokens = { TOK(cmd_ctrl_coal_get, ctrl), TOK(cmd_ctrl_coal_get, coal),
		TOK(cmd_ctrl_coal_get, vq), TOK(cmd_ctrl_coal_get, q),
		TOK(cmd_ctrl_coal_get, get), NULL },
};

/* "ctrl announce ack" and "ctrl stats query": two fixed words. */
struct cmd_ctrl_word2 {
	cmdline_fixed_string_t ctrl;
	cmdline_fixed_string_t w1;
	cmdline_fixed_string_t w2;
};

static void
cmd_ctrl_announce_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_announce_ack();
}

static void
cmd_ctrl_stats_query_parsed(void *res, struct cmdline *cl, void *data)
{
	RTE_SET_USED(res);
	RTE_SET_USED(cl);
	RTE_SET_USED(data);
	cmds_ctrl_stats_query();
}

TOK_FIXED(cmd_ctrl_word2, ctrl, "ctrl");
static cmdline_parse_token_string_t cmd_ctrl_announce_w1 =
	TOKEN_STRING_INITIALIZER(struct cmd_ctrl_word2, w1, "announce");
static cmdline_parse_token_string_t cmd_ctrl_announce_w2 =
	TOKEN_STRING_INITIALIZER(struct cmd_ctrl_word2, w2, "ack");
static cmdline_parse_token_string_t cmd_ctrl_stats_w1 =
	TOKEN_STRING_INITIALIZER(struct cmd_ctrl_word2, w1, "stats");
static cmdline_parse_token_string_t cmd_ctrl_stats_w2 =
	TOKEN_STRING_INITIALIZER(struct cmd_ctrl_word2, w2, "query");

cmdline_parse_inst_t cmd_ctrl_announce_inst = {
	.f = cmd_ctrl_announce_parsed,
	.help_str = "ctrl announce ack",
	.tokens = { TOK(cmd_ctrl_word2, ctrl), T(cmd_ctrl_announce_w1),
		T(cmd_ctrl_announce_w2), NULL },
};

cmdline_parse_inst_t cmd_ctrl_stats_query_inst = {
	.f = cmd_ctrl_stats_query_parsed,
	.help_str = "ctrl stats query",
	.tokens = { TOK(cmd_ctrl_word2, ctrl), T(cmd_ctrl_stats_w1),
		T(cmd_ctrl_stats_w2), NULL },
};
