/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VHOST_MSG_H
#define CVQSIM_VHOST_MSG_H

struct cvqsim_dev;

/*
 * Hook the raw vhost-user messages of connection vid: every one is
 * screened (cvqsim_vhost_screen.h), and the driver handles SET_MEM_TABLE
 * and SET_STATUS itself. Called when the connection binds the device, or
 * earlier from the application's new_connection through
 * rte_pmd_cvqsim_vhost_connection(). Returns 0, or -EIO (logged: the
 * device then works without them).
 */
int cvqsim_vhost_msg_attach(struct cvqsim_dev *dev, int vid);

#endif /* CVQSIM_VHOST_MSG_H */
