/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef BACKEND_H
#define BACKEND_H

/**
 * @file
 * The backend role: cvqsim devices exposed behind vhost-user sockets.
 *
 * The n-th socket is attached to the n-th cvqsim device in probe order.
 * Each socket exposes the device's own features and protocol features
 * (rte_vhost_driver_set_features / _set_protocol_features), so that MAC,
 * STATUS and CONFIG are not masked by the vhost library's defaults.
 * Devices polled by an rte_service (devarg poll=service) are mapped to the
 * EAL service cores of -s / -S, or else to the worker lcores of -l (made
 * service lcores), several devices per lcore when there are more devices.
 *
 *   backend_setup(&conf);   register, attach, start every socket
 *   ... run ...
 *   backend_teardown();     unregister every socket (closes connections)
 *   backend_print_stats(stdout);
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_vdpa.h>

#define BACKEND_MAX_IFACES	32

struct backend_conf {
	const char *ifaces[BACKEND_MAX_IFACES];	/* vhost-user socket paths */
	unsigned int nr_ifaces;
	bool client;		/* connect to the sockets (vhost-user client) */
	/* --shadow-cvq: the VMM role (shadow.h) for these interfaces. */
	bool shadow_cvq[BACKEND_MAX_IFACES];
};

/*
 * Connection events of an interface, for a role that acts as the VMM of the
 * device (shadow.c). They run in the vhost-events thread, after the driver
 * saw the same event (vring_state_changed: after its set_vring_state).
 */
struct backend_conn_ops {
	void (*new_connection)(unsigned int iface, struct rte_vdpa_device *dev,
			int vid);
	void (*destroy_connection)(unsigned int iface, int vid);
	void (*vring_state_changed)(unsigned int iface, int vid, uint16_t vring,
			bool enable);
};

/* Install (or remove, NULL) the connection hooks; before connections come. */
void backend_set_conn_ops(const struct backend_conn_ops *ops);

/* The device of interface iface, NULL beyond the interfaces set up. */
struct rte_vdpa_device *backend_iface_dev(unsigned int iface);

/* Returns 0, or a negative errno with the reason logged. */
int backend_setup(const struct backend_conf *conf);

/* Unregister every socket set up so far; safe to call twice. */
void backend_teardown(void);

/*
 * Per-queue counters of every attached device (rte_vdpa_get_stats), then
 * one summary line per device:
 *   "<dev> summary: tx_packets N rx_packets N drops N errors N"
 * Returns the total of the devices' errors counters.
 */
unsigned long backend_print_stats(FILE *f);

/*
 * --stats-period: since the previous call (the first only takes the
 * counters, with f NULL), per device and queue the packet and bit rates
 * and the counters that are not zero, control commands per second:
 *   "######## <dev> (<path>): last 2.0 s ########"
 *   "  vq   1 tx   pps 1500       bps 1272000      packets=3000 ..."
 *   "  vq   2 cvq  cmd/s 3          ctrl_commands=6 ..."
 */
void backend_print_period(FILE *f);

#endif /* BACKEND_H */
