/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef BE_EVENTS_H
#define BE_EVENTS_H

/**
 * @file
 * The vhost library's event thread ("vhost-events"), woken when a server
 * socket starts listening.
 *
 * In DPDK 22.11 that thread sleeps in poll() with a 1 s timeout over the
 * file descriptors it had when it went to sleep. rte_vhost_driver_start()
 * adds a server socket's listening descriptor without waking it (only a
 * new connection does), so the first frontend to connect waits up to a
 * second before the library accepts it. DPDK 24.07 moved the thread to
 * epoll, which sees a new descriptor at once; until then, a signal whose
 * handler does nothing makes poll() fail with EINTR, and the thread's loop
 * polls again over the descriptors it has now.
 *
 * Only while the process has no vhost-user connection: a connection's
 * reads have a timeout (be_sock_bound_io), and a read with SO_RCVTIMEO
 * interrupted by a signal fails with EINTR even under SA_RESTART.
 */

/*
 * Wake the event thread if it exists. Returns 0, -ESRCH if there is no
 * such thread, or another negative errno.
 */
int be_events_wake(void);

#endif /* BE_EVENTS_H */
