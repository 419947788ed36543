/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_TABLE_H
#define CMDS_TABLE_H

/* The command table (cmds_table.c): what each line of commands can say. */

/*
 * A librte_cmdline instance over the command table writing to out_fd
 * (parse only: no terminal, no prompt), made cmds.cl. NULL on failure.
 */
struct cmdline *cmds_table_cmdline(int out_fd);
/* Free cmds.cl. */
void cmds_table_cmdline_free(void);

#endif /* CMDS_TABLE_H */
