/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef BE_SOCK_H
#define BE_SOCK_H

/**
 * @file
 * The backend's vhost-user socket paths, checked before the vhost library
 * sees them, and the watch over a client socket that is not connected.
 *
 * The vhost library binds a server socket without looking at what is
 * there and, when the bind fails, unlinks the path on unregister: a
 * socket in use by a live backend would be taken from it, and a stale one
 * (left by a killed process) makes the first start fail. In client mode it
 * retries every second without a word after the first failure.
 *
 *   be_sock_check(path, client)    refuse or clean up before registering
 *   be_sock_watch_start(path)      client: log while not connected, once
 *   be_sock_watch_connected(path)  per back-off step (1, 2, 4 ... 64 s)
 *   be_sock_watch_stop(path)
 *   be_sock_bound_io(path)         a connection's reads and writes time out
 */

#include <stdbool.h>

/* Back-off steps of the client watch: 1 s, doubling up to this. */
#define BE_SOCK_WATCH_MAX_S	64

/*
 * Check a socket path before rte_vhost_driver_register():
 * - its directory must exist (-ENOENT: "directory ... does not exist");
 * - server: a path that is not a socket is refused (-EEXIST); a socket a
 *   live process listens on is refused and left alone (-EADDRINUSE); a
 *   stale socket (connection refused) is removed.
 * Returns 0 or a negative errno, with a one-line reason logged.
 */
int be_sock_check(const char *path, bool client);

/*
 * Client sockets: from now on, until be_sock_watch_connected(), log once
 * per back-off step that the socket is still not connected and why (no
 * socket there, nothing accepting). Paths are kept by pointer.
 */
int be_sock_watch_start(const char *path);
/* The vhost library connected the socket: stop logging. */
void be_sock_watch_connected(const char *path);
/* The connection closed: the library reconnects, log again from 1 s. */
void be_sock_watch_disconnected(const char *path);
/* Forget the path (before unregistering it). */
void be_sock_watch_stop(const char *path);

/*
 * Bound the reads and writes of the connections of a socket path in time
 * (SO_RCVTIMEO, SO_SNDTIMEO of BE_SOCK_IO_TIMEOUT_MS): a frontend that
 * stalls mid-message loses its connection instead of holding the vhost
 * library's only event thread, and with it every socket of the process.
 * Call from new_connection. Returns how many connections it bounded.
 */
#define BE_SOCK_IO_TIMEOUT_MS	1000
unsigned int be_sock_bound_io(const char *path);

#endif /* BE_SOCK_H */
