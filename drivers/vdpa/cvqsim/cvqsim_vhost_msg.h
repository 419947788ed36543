/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VHOST_MSG_H
#define CVQSIM_VHOST_MSG_H

struct cvqsim_dev;

/*
 * Hook the raw vhost-user messages of connection vid that the driver
 * handles itself (SET_MEM_TABLE, SET_STATUS). Failure is logged: the
 * device then works without them.
 */
void cvqsim_vhost_msg_attach(struct cvqsim_dev *dev, int vid);

#endif /* CVQSIM_VHOST_MSG_H */
