/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_EXPECT_H
#define CMDS_EXPECT_H

/* expect ... and the counters by name (cmds_expect.c). */

#include <stdbool.h>
#include <stdint.h>

/* A counter by name; 0, or -ENOENT / -ENOTSUP with *why set. */
int cmds_stat_lookup(const char *name, uint64_t *value, const char **why);
void cmds_expect_ack(bool ok);
void cmds_expect_rx(uint64_t count, int queue);
void cmds_expect_stat(const char *args);
void cmds_expect_state(const char *args);

#endif /* CMDS_EXPECT_H */
