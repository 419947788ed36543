/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_SHOW_H
#define CMDS_SHOW_H

/* show ... (cmds_show.c). */

#include <stdbool.h>
#include <stdint.h>

void cmds_show_device(void);
void cmds_show_groups(void);
/* The VMM's view (shadow.c) of the first interface, and its switch. */
void cmds_show_shadow(void);
void cmds_shadow_set(bool on);
void cmds_show_config(void);
/* Fresh GET_CONFIG of the config space (28 bytes at most) into c. */
int cmds_read_config(uint8_t *c, uint32_t *len);
void cmds_show_state(void);
void cmds_show_stats(void);
void cmds_show_features(void);
/* clear stats: the device's counters (in this process) and ours. */
void cmds_clear_stats(void);
/* device announce: the device asks the driver to announce itself. */
void cmds_device_announce(void);

#endif /* CMDS_SHOW_H */
