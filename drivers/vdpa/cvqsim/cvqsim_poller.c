/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The poller: who runs the datapath's passes (devarg poll=).
 * - thread:   a thread of the driver busy-polls while any queue is served;
 *             it looks at the avail indices without poll_lock and takes the
 *             lock only for a pass that may find work (an empty pass costs
 *             no atomic instruction, and the control path rarely finds the
 *             lock held by a preempted poller); cvqsim_poller_sync() keeps
 *             those looks away from memory about to be unmapped;
 * - service:  an rte_service component; the application maps it to a
 *             service lcore (service name = device name); every pass
 *             takes poll_lock;
 * - adaptive: like thread, but after a bounded idle spin it enables the
 *             driver's kicks, re-checks the rings (a buffer made available
 *             before the enable would otherwise never be kicked) and sleeps
 *             in poll() on the kick eventfds.
 * A pass takes poll_lock, runs the datapath (cvqsim_dp.c), and once the
 * lock is released reports a device failure or a NEEDS_RESET to the
 * frontend.
 */

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <linux/virtio_ring.h>

#include <rte_byteorder.h>
#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_pause.h>
#include <rte_service_component.h>
#include <rte_string_fns.h>
#include <rte_thread.h>

#include "cvqsim_dev.h"
#include "cvqsim_dp.h"
#include "cvqsim_log.h"
#include "cvqsim_log_dirty.h"
#include "cvqsim_placement.h"
#include "cvqsim_poller.h"
#include "rte_pmd_cvqsim.h"

/* Adaptive mode: idle passes before sleeping, and the longest sleep. */
#define POLLER_ADAPTIVE_IDLE_PASSES	2048
#define POLLER_SLEEP_MS		1000
/* Idle wait (no queue served) before re-checking the stop flag. */
#define POLLER_IDLE_WAIT_MS		200
/* Idle passes between two checks that some queue is served, minus one. */
#define POLLER_READY_CHECK_MASK	255

static unsigned int
poller_count_ready(const struct cvqsim_dev *dev)
{
	unsigned int n = 0;
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		n += __atomic_load_n(&dev->queues[i].vq.ready, __ATOMIC_RELAXED);
	return n;
}

/* Log the failure and tell the frontend, outside poll_lock. */
static void __rte_cold
poller_report_failure(struct cvqsim_dev *dev, const char *failure, int vid)
{
	CVQSIM_DEV_LOG(ERR, dev, "device stopped (NEEDS_RESET): %s", failure);
	cvqsim_notify_config_change(dev, vid);
}

/* A control request could not be acknowledged: NEEDS_RESET was recorded. */
static void __rte_cold
poller_report_needs_reset(struct cvqsim_dev *dev, int vid)
{
	CVQSIM_DEV_LOG(ERR, dev, "control request without a writable byte:"
		" completed empty, device needs reset");
	cvqsim_notify_config_change(dev, vid);
}

/*
 * The poll thread and cvqsim_poller_sync(). Between two passes the poller
 * reads sync_req (acquire) and acknowledges it: a request it has seen
 * there was made after the control path's teardown, so every later look
 * at the rings sees that teardown, and every earlier one is over
 * (release). Offline (asleep, stopped) it looks at nothing; coming back
 * online, the fence makes either the control path see it online, or it
 * see the request.
 */
static inline void
poller_quiescent(struct cvqsim_poller *p)
{
	uint64_t req = __atomic_load_n(&p->sync_req, __ATOMIC_ACQUIRE);

	if (req != p->sync_ack)
		__atomic_store_n(&p->sync_ack, req, __ATOMIC_RELEASE);
}

static void
poller_offline(struct cvqsim_poller *p)
{
	__atomic_store_n(&p->online, false, __ATOMIC_RELEASE);
}

static void
poller_online(struct cvqsim_poller *p)
{
	if (!p->peek)
		return;
	__atomic_store_n(&p->online, true, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	poller_quiescent(p);
}

void
cvqsim_poller_quiesce(struct cvqsim_dev *dev)
{
	rte_spinlock_lock(&dev->poll_lock);
}

void
cvqsim_poller_resume(struct cvqsim_dev *dev)
{
	rte_spinlock_unlock(&dev->poll_lock);
}

void
cvqsim_poller_sync(struct cvqsim_dev *dev)
{
	struct cvqsim_poller *p = &dev->poller;
	unsigned int spins = 0;
	uint64_t req;

	if (!p->peek)
		return;
	req = __atomic_add_fetch(&p->sync_req, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&p->online, __ATOMIC_SEQ_CST) &&
			__atomic_load_n(&p->sync_ack, __ATOMIC_ACQUIRE) < req) {
		/* The poll thread may share our CPU: let it run its pass. */
		if (++spins < 64)
			rte_pause();
		else
			sched_yield();
	}
}

/*
 * Whether a pass may find work: a TX queue of a pair in use or the served
 * control queue has new entries, or a coalesced notification waits for its
 * time. What is found is then processed under poll_lock; what a stale read
 * misses is seen on a later pass.
 */
static bool
poller_peek(const struct cvqsim_dev *dev)
{
	/* The published copy: the model itself is written with plain stores. */
	uint16_t pairs = RTE_MIN(__atomic_load_n(
		&dev->net.published.curr_queue_pairs, __ATOMIC_RELAXED),
		dev->conf.max_pairs);
	uint16_t pair;

	/* Frames from a port are seen only by polling it: always a pass. */
	if (dev->poller.coal_armed || dev->port != NULL)
		return true;
	for (pair = 0; pair < pairs; pair++)
		if (cvqsim_vq_peek(&dev->queues[2 * pair + 1].vq))
			return true;
	return __atomic_load_n(&dev->cvq_serve, __ATOMIC_RELAXED) &&
		cvqsim_vq_peek(&dev->queues[cvqsim_cvq_slot(dev)].vq);
}

unsigned int
cvqsim_poller_poll_if_work(struct cvqsim_dev *dev)
{
	unsigned int work = 0;

	if (poller_peek(dev))
		work = cvqsim_poller_poll(dev);
	else
		__atomic_store_n(&dev->poller.passes, dev->poller.passes + 1,
			__ATOMIC_RELAXED);
	poller_quiescent(&dev->poller);
	return work;
}

/* Log each new fault once, naming the ASID and the address. */
static void __rte_cold
poller_report_faults(struct cvqsim_dev *dev)
{
	char reason[sizeof(dev->queues[0].vq.error_buf)];
	uint16_t i, vq_index;
	uint32_t group, asid;

	for (i = 0; i < dev->nr_queues; i++) {
		struct cvqsim_queue *q = &dev->queues[i];

		rte_spinlock_lock(&dev->poll_lock);
		if (!q->faulted || q->fault_logged) {
			rte_spinlock_unlock(&dev->poll_lock);
			continue;
		}
		q->fault_logged = true;
		vq_index = q->vq.index;
		group = q->vq.group;
		asid = dev->as_set.group_asid[group];
		snprintf(reason, sizeof(reason), "%s",
			q->vq.error != NULL ? q->vq.error : "fault");
		rte_spinlock_unlock(&dev->poll_lock);
		CVQSIM_DEV_LOG(ERR, dev, "vring %u (group %u) stopped: fault in"
			" ASID %u: %s; the other queues go on", vq_index, group,
			asid, reason);
	}
}

/*
 * One pass under poll_lock: the TX queues (unless data_queues is false:
 * the adaptive poller woken by the control queue alone), the control
 * queue, the coalescing timers; then, outside the lock, what must be told.
 */
static inline unsigned int
poller_pass(struct cvqsim_dev *dev, bool data_queues)
{
	char failure[sizeof(dev->failure)];
	unsigned int work;
	bool was_failed, config_change, fault;
	int vid;

	rte_spinlock_lock(&dev->poll_lock);
	was_failed = cvqsim_dev_failed(dev);
	work = cvqsim_dp_burst(dev, data_queues);
	__atomic_store_n(&dev->poller.passes, dev->poller.passes + 1,
		__ATOMIC_RELAXED);
	vid = __atomic_load_n(&dev->vid, __ATOMIC_RELAXED);
	if (cvqsim_dev_failed(dev) && !was_failed) {
		memcpy(failure, dev->failure, sizeof(failure));
		dev->config_change = false;
		rte_spinlock_unlock(&dev->poll_lock);
		/*
		 * A config-change message may wait for the frontend, which may
		 * wait for the vhost-events thread: never block it in
		 * cvqsim_poller_sync() meanwhile.
		 */
		poller_offline(&dev->poller);
		poller_report_failure(dev, failure, vid);
		poller_online(&dev->poller);
		return work;
	}
	config_change = dev->config_change;
	dev->config_change = false;
	fault = dev->fault_report;
	dev->fault_report = false;
	rte_spinlock_unlock(&dev->poll_lock);
	if (unlikely(fault))
		poller_report_faults(dev);
	if (unlikely(config_change)) {
		poller_offline(&dev->poller);
		poller_report_needs_reset(dev, vid);
		poller_online(&dev->poller);
	}
	return work;
}

unsigned int
cvqsim_poller_poll(struct cvqsim_dev *dev)
{
	return poller_pass(dev, true);
}

/* Poller plumbing. */

void
cvqsim_poller_wake(struct cvqsim_dev *dev)
{
	if (dev->poller.wake_fd >= 0)
		eventfd_write(dev->poller.wake_fd, 1);
}

static void
poller_drain_wake(struct cvqsim_dev *dev)
{
	eventfd_t v;

	eventfd_read(dev->poller.wake_fd, &v);
}

static bool
poller_should_stop(struct cvqsim_dev *dev)
{
	return __atomic_load_n(&dev->poller.stop, __ATOMIC_ACQUIRE);
}

/* Whether a wake-up came from anything but the control queue's kick. */
static bool
poller_data_kicked(const struct cvqsim_dev *dev, const struct pollfd *pfd,
		const uint16_t *slot_of, unsigned int n)
{
	unsigned int i;

	if (pfd[n].revents != 0)
		return true;	/* wake_fd: the control path changed something */
	for (i = 0; i < n; i++)
		if (pfd[i].revents != 0 && slot_of[i] != cvqsim_cvq_slot(dev))
			return true;
	return false;
}

/*
 * Adaptive mode: enable the kicks of the queues that bring work (TX queues
 * and the control queue; RX buffers alone never make work for a loopback),
 * re-check their rings, and sleep until a kick or a wake-up. Woken, serve
 * the device first and only then disable the kicks again and drain the
 * eventfds: what woke us is answered one lock round, a ring write and a
 * read() per queue sooner, and a kick meanwhile only costs the driver a
 * syscall. A TX queue that did not kick had nothing when we slept (its
 * kicks were on): when only the control queue kicked, that first pass
 * serves the control queue alone (the next one serves everything).
 */
static void
poller_sleep_on_kicks(struct cvqsim_dev *dev)
{
	struct pollfd pfd[2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 2];
	uint16_t slot_of[RTE_DIM(pfd)];
	unsigned int n = 0, i;
	bool pending = false, woken = false;
	uint16_t slot;

	rte_spinlock_lock(&dev->poll_lock);
	/* A coalesced notification waits for its timer: no sleep. */
	pending = dev->poller.coal_armed;
	for (slot = 0; slot < dev->nr_queues && !pending; slot++) {
		struct cvqsim_vq *vq = &dev->queues[slot].vq;

		if (!vq->ready || (slot % 2 == 0 && slot != cvqsim_cvq_slot(dev)))
			continue;
		if (vq->kickfd < 0) {
			pending = true;	/* cannot sleep on a queue without kicks */
			break;
		}
		cvqsim_vq_enable_kick(vq, true);
		cvqsim_log_dirty_used_hdr(dev, vq);
		if (cvqsim_vq_avail_count(vq) != 0)
			pending = true;
		pfd[n].fd = vq->kickfd;
		pfd[n].events = POLLIN;
		slot_of[n] = slot;
		n++;
	}
	rte_spinlock_unlock(&dev->poll_lock);

	if (!pending) {
		pfd[n].fd = dev->poller.wake_fd;
		pfd[n].events = POLLIN;
		poller_offline(&dev->poller);
		woken = poll(pfd, n + 1, POLLER_SLEEP_MS) > 0;
		poller_online(&dev->poller);
		__atomic_store_n(&dev->poller.sleeps, dev->poller.sleeps + 1,
			__ATOMIC_RELAXED);
		if (woken)
			poller_pass(dev, poller_data_kicked(dev, pfd, slot_of, n));
		if (woken && (pfd[n].revents & POLLIN))
			poller_drain_wake(dev);
	}
	if (!woken)
		for (i = 0; i < n; i++)
			pfd[i].revents = 0;

	rte_spinlock_lock(&dev->poll_lock);
	for (i = 0; i < n; i++) {
		struct cvqsim_vq *vq = &dev->queues[slot_of[i]].vq;

		/* The queue may have been replaced while we slept. */
		if (!vq->ready || vq->kickfd != pfd[i].fd)
			continue;
		cvqsim_vq_enable_kick(vq, false);
		cvqsim_log_dirty_used_hdr(dev, vq);
		if (pfd[i].revents & POLLIN) {
			cvqsim_vq_drain_kick(vq);
			/* Driver notifications of data queues (STATS_GET). */
			if (slot_of[i] != cvqsim_cvq_slot(dev))
				cvqsim_net_count_kick(&dev->net, slot_of[i]);
		}
	}
	rte_spinlock_unlock(&dev->poll_lock);
}

/* No queue served: wait for the control path to change that. */
static void
poller_idle_wait(struct cvqsim_dev *dev)
{
	struct pollfd pfd = { .fd = dev->poller.wake_fd, .events = POLLIN };

	poller_offline(&dev->poller);
	if (poll(&pfd, 1, POLLER_IDLE_WAIT_MS) > 0)
		poller_drain_wake(dev);
	poller_online(&dev->poller);
}

static void *
poller_thread_main(void *arg)
{
	struct cvqsim_dev *dev = arg;
	bool adaptive = dev->poller.mode == CVQSIM_POLL_ADAPTIVE;
	unsigned int idle = 0;
	bool unserved = false;
	sigset_t pipe_set;

	/*
	 * A call fd may be a pipe or socket whose reader is gone: its write
	 * must fail with EPIPE (counted), not kill the process.
	 */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, NULL);
	poller_online(&dev->poller);
	while (!poller_should_stop(dev)) {
		if (cvqsim_poller_poll_if_work(dev) > 0) {
			idle = 0;
			continue;
		}
		idle++;
		/*
		 * Nothing served: wait for the control path. Checked on the
		 * first idle pass and then now and then (it walks every queue).
		 */
		if ((idle & POLLER_READY_CHECK_MASK) == 1 && poller_count_ready(dev) == 0) {
			poller_idle_wait(dev);
			idle = 0;
			unserved = true;
			continue;
		}
		if (unlikely(unserved)) {
			/* Serving again: lcores may have started polling since. */
			cvqsim_placement_recheck(&dev->poller.placement, dev->name);
			unserved = false;
		}
		/* A port does not kick: a port-backed device never sleeps. */
		if (adaptive && idle >= POLLER_ADAPTIVE_IDLE_PASSES &&
				dev->port == NULL) {
			poller_sleep_on_kicks(dev);
			idle = 0;
			continue;
		}
		rte_pause();
	}
	poller_offline(&dev->poller);
	return NULL;
}

static int32_t
poller_service_run(void *arg)
{
	return cvqsim_poller_poll(arg) > 0 ? 0 : -EAGAIN;
}

static int
poller_start_thread(struct cvqsim_dev *dev)
{
	char name[RTE_MAX_THREAD_NAME_LEN];
	int ret;

	snprintf(name, sizeof(name), "cvqsim-poll%u", dev->index);
	ret = rte_ctrl_thread_create(&dev->poller.thread, name, NULL,
		poller_thread_main, dev);
	if (ret != 0)
		return -ret;
	dev->poller.thread_running = true;
	return cvqsim_placement_pin(&dev->poller.placement, dev->name,
		dev->poller.thread, dev->conf.cpu);
}

static int
poller_start_service(struct cvqsim_dev *dev)
{
	struct rte_service_spec spec;
	int ret;

	memset(&spec, 0, sizeof(spec));
	if (rte_strscpy(spec.name, dev->name, sizeof(spec.name)) < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "poll=service: the device name is longer"
			" than a service name (%zu characters)", sizeof(spec.name) - 1);
		return -ENAMETOOLONG;
	}
	spec.callback = poller_service_run;
	spec.callback_userdata = dev;
	spec.socket_id = SOCKET_ID_ANY;
	/* Not MT-safe: one lcore at a time runs a device. */
	ret = rte_service_component_register(&spec, &dev->poller.service_id);
	if (ret != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "cannot register service \"%s\": %s",
			spec.name, strerror(-ret));
		return ret;
	}
	dev->poller.service_registered = true;
	rte_service_component_runstate_set(dev->poller.service_id, 1);
	CVQSIM_DEV_LOG(INFO, dev, "service \"%s\" (id %u) registered: map it to a"
		" service lcore", spec.name, dev->poller.service_id);
	return 0;
}

int
cvqsim_poller_start(struct cvqsim_dev *dev)
{
	int ret;

	dev->poller.mode = dev->conf.poll;
	dev->poller.placement.cpu = -1;
	dev->poller.stop = false;
	/* A service lcore may stop calling us at any time: it never peeks. */
	dev->poller.peek = dev->poller.mode != CVQSIM_POLL_SERVICE;
	dev->poller.online = false;
	dev->poller.coal_armed = false;
	dev->poller.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (dev->poller.wake_fd < 0)
		return -errno;
	if (dev->poller.mode == CVQSIM_POLL_SERVICE)
		ret = poller_start_service(dev);
	else
		ret = poller_start_thread(dev);
	if (ret < 0)
		cvqsim_poller_stop(dev);
	return ret;
}

void
cvqsim_poller_stop(struct cvqsim_dev *dev)
{
	struct cvqsim_poller *p = &dev->poller;
	uint64_t deadline;

	__atomic_store_n(&p->stop, true, __ATOMIC_RELEASE);
	if (p->thread_running) {
		cvqsim_poller_wake(dev);
		pthread_join(p->thread, NULL);
		p->thread_running = false;
		cvqsim_placement_release(&p->placement);
	}
	if (p->service_registered) {
		rte_service_component_runstate_set(p->service_id, 0);
		/* Wait (bounded) for a service lcore to leave the callback. */
		deadline = rte_get_timer_cycles() + rte_get_timer_hz();
		while (rte_service_may_be_active(p->service_id) == 1 &&
				rte_get_timer_cycles() < deadline)
			rte_pause();
		/*
		 * The last pass released poll_lock: taking it orders that pass
		 * before the device is freed, also for ThreadSanitizer, which
		 * does not see rte_service's own synchronisation.
		 */
		rte_spinlock_lock(&dev->poll_lock);
		rte_spinlock_unlock(&dev->poll_lock);
		rte_service_component_unregister(p->service_id);
		p->service_registered = false;
	}
	if (p->wake_fd >= 0) {
		close(p->wake_fd);
		p->wake_fd = -1;
	}
}
