/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_HELP_H
#define CMDS_HELP_H

/* The text of help (cmds_help.c). */

/* The commands of a help section (all, show, ctrl, traffic, device,
 * expect). */
void cmds_help(const char *section);

#endif /* CMDS_HELP_H */
