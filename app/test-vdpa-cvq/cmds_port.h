/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_PORT_H
#define CMDS_PORT_H

/* The port of a port-backed device: show port, port.* (cmds_port.c). */

#include <stdint.h>

void cmds_show_port(void);
/* port.NAME counters; -ENOENT unknown, -ENOTSUP with *why set. */
int cmds_port_stat(const char *name, uint64_t *value, const char **why);
/* port link up|down: the port's link as a cable would (a test's hook). */
void cmds_port_link(const char *args);

#endif /* CMDS_PORT_H */
