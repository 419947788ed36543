/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_VIEW_H
#define CMDS_VIEW_H

/* The device model as the application sees it (cmds_view.c). */

#include <stdbool.h>
#include <stdint.h>

#include "cmds_ctx.h"

int cmds_view_init(void);
void cmds_view_free(void);
/* Reset defaults for the negotiated features of the frontend. */
void cmds_view_reset(const struct fe_dev_info *info);
/*
 * The view to show or check, and where it comes from: the device's state
 * when the device is in this process, else "frontend" (what the frontend
 * set with acknowledged commands).
 */
const struct cmds_view *cmds_view_get(const char **source);
bool cmds_view_vlan(const struct cmds_view *v, uint16_t vid);
bool cmds_view_has_mac(const struct cmds_view *v, const uint8_t mac[6],
		bool multicast);

#endif /* CMDS_VIEW_H */
