/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DEVARGS_H
#define CVQSIM_DEVARGS_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

enum cvqsim_poll_mode {
	CVQSIM_POLL_THREAD,	/* a busy-polling thread owned by the driver */
	CVQSIM_POLL_SERVICE,	/* an rte_service the application maps */
	CVQSIM_POLL_ADAPTIVE,	/* busy-poll, sleep on the kick fds when idle */
};

/* What the devargs set; fixed for the life of the device. */
struct cvqsim_devargs {
	uint16_t max_pairs;
	struct rte_ether_addr mac;
	uint16_t mtu;
	uint32_t mac_table;
	enum cvqsim_poll_mode poll;
	int cpu;			/* -1: the driver chooses (cvqsim_placement.h) */
	char port[64];			/* VF-parent mode's ethdev; "": loopback */
	bool in_order;			/* offer VIRTIO_F_IN_ORDER */
};

/*
 * Parse the devargs string of device name (args may be NULL or empty) into
 * conf, starting from the defaults: 1 queue pair, MAC 02:63:76:71:hi:lo
 * from index (the numeric suffix of the name), MTU 1500, 64 MAC table
 * entries, poll=thread, no CPU, no port (loopback), IN_ORDER offered.
 * Every key is checked (unknown keys and keys given twice are errors too)
 * and each problem is logged once, at ERR, naming the key and what was
 * expected.
 * Returns 0, or -EINVAL with conf partly filled (the caller discards it).
 */
int cvqsim_devargs_parse(const char *name, const char *args,
		unsigned int index, struct cvqsim_devargs *conf);

/* "thread", "service", "adaptive". */
const char *cvqsim_poll_mode_name(enum cvqsim_poll_mode mode);

#endif /* CVQSIM_DEVARGS_H */
