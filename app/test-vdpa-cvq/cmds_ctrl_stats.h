/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_CTRL_STATS_H
#define CMDS_CTRL_STATS_H

/* ctrl stats query, ctrl stats get (cmds_ctrl_stats.c). */

#include <stdbool.h>

void cmds_ctrl_stats_query(void);
void cmds_ctrl_stats_get(const char *args);

#endif /* CMDS_CTRL_STATS_H */
