/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_TABLE_CTRL_H
#define CMDS_TABLE_CTRL_H

/* The fixed-form control-queue commands' grammars (cmds_table_ctrl.c), for
 * the command table. */

#include <cmdline_parse.h>

extern cmdline_parse_inst_t cmd_ctrl_rx_inst;
extern cmdline_parse_inst_t cmd_ctrl_mac_addr_inst;
extern cmdline_parse_inst_t cmd_ctrl_vlan_inst;
extern cmdline_parse_inst_t cmd_ctrl_mq_inst;
extern cmdline_parse_inst_t cmd_ctrl_coal_inst;
extern cmdline_parse_inst_t cmd_ctrl_coal_vq_inst;
extern cmdline_parse_inst_t cmd_ctrl_coal_get_inst;
extern cmdline_parse_inst_t cmd_ctrl_announce_inst;
extern cmdline_parse_inst_t cmd_ctrl_stats_query_inst;

#endif /* CMDS_TABLE_CTRL_H */
