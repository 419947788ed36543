/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef MIGRATE_H
#define MIGRATE_H

/**
 * @file
 * Moving a device between two backend processes (migrate.c).
 *
 * The device side (a backend process, or --self): its state saved to a
 * file and restored from one with rte_pmd_cvqsim_state_save/_restore (the
 * virtio 1.4 device parts); a restore given before any frontend connects
 * (--restore FILE) is loaded when the frontend negotiates features, before
 * it enables the data queues: QEMU's order on a destination.
 *
 * The frontend side (--connect or --self): stop the device (its rings keep
 * their indices), then resume on another backend's socket with the same
 * guest memory, rings and features: what was in flight is served there.
 *
 *   backend A:  migrate save FILE        (after the frontend stopped)
 *   backend B:  --restore FILE, or "migrate restore FILE"
 *   frontend:   migrate stop ... migrate resume SOCKET_B
 *
 * "migrate check" runs both restore paths (the parts, the replay of the
 * control commands) on the device's current state and requires the same
 * bytes from each.
 */

#include <stddef.h>

struct rte_vdpa_device;

/** Save @p dev's state into @p path. 0 or -errno, @p msg says what. */
int migrate_save_file(struct rte_vdpa_device *dev, const char *path,
		char *msg, size_t len);
/** Restore @p dev from @p path (now, or at the next negotiation). */
int migrate_restore_file(struct rte_vdpa_device *dev, const char *path,
		char *msg, size_t len);

/** The "migrate ..." command of the command line. */
void cmds_migrate(const char *args);

#endif /* MIGRATE_H */
