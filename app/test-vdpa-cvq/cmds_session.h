/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_SESSION_H
#define CMDS_SESSION_H

/* The session the options make: the in-process device, the frontend
 * (cmds_session.c). */

#include "backend.h"

int cmds_session_start(const struct backend_conf *be);
void cmds_session_stop(void);
/* fe_dev_stop + fe_dev_resume, keeping the view. */
int cmds_session_stop_fe(void);
int cmds_session_reconnect(void);

#endif /* CMDS_SESSION_H */
