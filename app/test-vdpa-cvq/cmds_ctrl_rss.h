/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_CTRL_RSS_H
#define CMDS_CTRL_RSS_H

/* ctrl rss, ctrl hash (cmds_ctrl_rss.c). */

#include <stdbool.h>

/* "ctrl rss ARGS" (RSS_CONFIG) or, with hash_only, "ctrl hash types ARGS"
 * (HASH_CONFIG). */
void cmds_ctrl_rss(const char *args, bool hash_only);

#endif /* CMDS_CTRL_RSS_H */
