/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_POLLER_H
#define CVQSIM_POLLER_H

/*
 * Who runs the datapath's passes (devarg poll=): a busy-polling thread, an
 * rte_service, or an adaptive thread that sleeps on the kick eventfds; the
 * thread's lock-free look at the rings, and the sync that keeps that look
 * away from memory about to be unmapped.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "cvqsim_devargs.h"
#include "cvqsim_placement.h"

struct cvqsim_dev;

struct cvqsim_poller {
	enum cvqsim_poll_mode mode;
	int wake_fd;			/* eventfd: control path -> poller */
	bool stop;			/* written under poll_lock */
	bool thread_running;
	pthread_t thread;
	struct cvqsim_placement placement;	/* the poll thread's CPU */
	bool service_registered;
	uint32_t service_id;
	/*
	 * The poll thread (thread and adaptive modes) looks at the rings
	 * without poll_lock and takes it only for a pass that may find work
	 * (cvqsim_poller_poll_if_work). Such a look may still use rings the
	 * control path just tore down: before guest memory can be unmapped,
	 * the control path waits in cvqsim_poller_sync() until the poller has
	 * seen its request between two passes (sync_ack) or is offline
	 * (asleep, stopped: it looks at nothing).
	 */
	bool peek;			/* fixed at start: a poll thread peeks */
	bool online;			/* the poll thread may be peeking */
	uint64_t sync_req;		/* bumped by cvqsim_poller_sync() */
	uint64_t sync_ack;		/* last sync_req seen between passes */
	/* Some coalesced notification may be pending (poller-owned). */
	bool coal_armed;
	/* Counters, owned by the poller. */
	uint64_t passes;
	uint64_t sleeps;
};

int cvqsim_poller_start(struct cvqsim_dev *dev);
void cvqsim_poller_stop(struct cvqsim_dev *dev);
/* Tell the poller the queue set changed (e.g. leave an idle sleep). */
void cvqsim_poller_wake(struct cvqsim_dev *dev);
/* One pass over the device; returns the number of chains processed. */
unsigned int cvqsim_poller_poll(struct cvqsim_dev *dev);
/*
 * The poll thread's pass: a look at the rings in use without poll_lock,
 * then cvqsim_poller_poll() only if it saw something (an empty pass costs
 * no atomic instruction); between passes it answers cvqsim_poller_sync().
 */
unsigned int cvqsim_poller_poll_if_work(struct cvqsim_dev *dev);
/*
 * The control path's hold on the device: once cvqsim_poller_quiesce()
 * returns, no pass runs (a pass in progress has ended) until
 * cvqsim_poller_resume(); what passes read (queues, address spaces, the
 * model, the device state) may change in between and is seen by the next
 * pass. It is poll_lock: keep it short, take it after ctl_lock, and call
 * cvqsim_poller_wake() after it when the poller must look again soon.
 */
void cvqsim_poller_quiesce(struct cvqsim_dev *dev);
void cvqsim_poller_resume(struct cvqsim_dev *dev);
/*
 * Control path, not quiesced, after tearing queues down and before
 * guest memory may be unmapped (SET_MEM_TABLE, end of the connection):
 * wait until the poll thread can no longer be reading the old rings.
 */
void cvqsim_poller_sync(struct cvqsim_dev *dev);

#endif /* CVQSIM_POLLER_H */
