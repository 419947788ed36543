/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_DEV_H
#define CVQSIM_DEV_H

/*
 * One cvqsim device: what probe creates from the devargs, what the vDPA
 * ops drive from the vhost-user connection, and what the poller serves.
 *
 * Threads and locks:
 * - ctl_lock (mutex) serialises the control path: every vDPA op that takes
 *   a vid (vhost-events thread, or the application thread on unregister)
 *   and the public getters that need a consistent view.
 * - poll_lock (spinlock) is held by the poller for one whole pass over the
 *   device's queues. The control path takes it only through
 *   cvqsim_poller_quiesce()/cvqsim_poller_resume(), to set up or tear down
 *   a queue, to rebuild an address space, to change the model or the device
 *   state: once quiesced, the poller is outside the device and will see the
 *   new state on its next pass. Lock order: ctl_lock, then poll_lock.
 * - The poller sleeps (idle device, adaptive mode) outside poll_lock; the
 *   control path wakes it (cvqsim_poller_wake) after every change so it
 *   re-reads the queue set.
 * - The device model (net) changes only under poll_lock: control commands
 *   are decoded and applied by the poller inside its pass (a command is in
 *   force before its used entry is published and for every later frame);
 *   feature negotiation, vring enables, resets and announce quiesce the
 *   poller from the control path. Other threads read the model without a lock
 *   through its seqcount (cvqsim_net_state_get: a published copy) and its
 *   counters one by one; the queues' counters under poll_lock.
 * - What the thread poller peeks at without poll_lock (cvqsim_poller.c) is
 *   stored with atomics wherever it changes: vq ready/avail/as/ring_gen/
 *   last_avail_idx, the AS generation, cvq_serve, vid, the published
 *   curr_queue_pairs. ThreadSanitizer checks it (sanitize.sh --thread).
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_cycles.h>
#include <rte_spinlock.h>

#include "cvqsim_sdk.h"
#include "cvqsim_as.h"
#include "cvqsim_ctrl.h"
#include "cvqsim_devargs.h"
#include "cvqsim_dp_scratch.h"
#include "cvqsim_log_dirty.h"
#include "rte_pmd_cvqsim.h"
#include "cvqsim_net.h"
#include "cvqsim_poller.h"
#include "cvqsim_port.h"
#include "cvqsim_vq.h"

/*
 * The life of a queue, as the control path drives it (under ctl_lock and
 * the poller quiesced). Whether the ring engine serves the queue is
 * vq.ready: a STARTED queue is served until a ring violation stops the
 * device, which tears every vq down and leaves these states alone.
 *
 *   DISABLED --ENABLE--> ENABLED --START--> STARTED --STOP--> ENABLED
 *   ENABLED --PAUSE--> PAUSED --RESUME--> ENABLED    (around SET_MEM_TABLE)
 *   PAUSED --START--> STARTED                        (dev_conf came first)
 *   any --DISABLE or RESET--> DISABLED
 *
 * Transitions are made by cvqsim_queue_event() only (cvqsim_dev.c).
 */
enum cvqsim_queue_state {
	CVQSIM_QUEUE_DISABLED,	/* not enabled by the frontend */
	CVQSIM_QUEUE_ENABLED,	/* enabled; never started, or stopped */
	/*
	 * Set up from the indices the vhost library holds: vq's indices are
	 * newer than the library's copy until STOP hands them back (once).
	 */
	CVQSIM_QUEUE_STARTED,
	CVQSIM_QUEUE_PAUSED,	/* stopped for a SET_MEM_TABLE, started after */
	CVQSIM_QUEUE_STATES
};

enum cvqsim_queue_event {
	CVQSIM_QUEUE_ENABLE,	/* set_vring_state(1) */
	CVQSIM_QUEUE_DISABLE,	/* set_vring_state(0), after STOP */
	CVQSIM_QUEUE_START,	/* rings set up and served */
	CVQSIM_QUEUE_STOP,	/* served no more; indices handed back */
	CVQSIM_QUEUE_PAUSE,	/* before SET_MEM_TABLE, after STOP */
	CVQSIM_QUEUE_RESUME,	/* after SET_MEM_TABLE, before START */
	CVQSIM_QUEUE_RESET,	/* a new connection, or its end */
};

/* One virtqueue of the device and its connection state. */
struct cvqsim_queue {
	struct cvqsim_vq vq;		/* ring engine; vq.ready == served */
	enum cvqsim_queue_state state;	/* under ctl_lock */
	/* Snapshot taken by reset_stats; get_stats reports the difference. */
	struct cvqsim_vq_stats stats_base;
	/*
	 * Notification coalescing (data queues, poller-owned): used entries
	 * published since the last used-buffer notification, and the timer
	 * cycle of the first of them.
	 */
	uint32_t coal_pending;
	uint64_t coal_first;
	/*
	 * VM case, group not on ASID 0 (cvqsim_queue_isolated): the ring the
	 * VMM gave (ctl_lock; rte_pmd_cvqsim_vring_addr_set), and a stop by a
	 * fault (poll_lock; cvqsim_queue_fault): counted, logged once, until
	 * the VMM gives a ring again.
	 */
	bool vmm_set;
	struct rte_pmd_cvqsim_vring_addr vmm;
	bool faulted;
	bool fault_logged;
	uint64_t faults;
	/* Call fd whose failed notification was logged (poller-owned; -1). */
	int notify_failed_fd;
};

/*
 * The life of a device and its vhost-user connection:
 *
 *   DETACHED --BIND--> CONNECTED --CONF--> CONFIGURED --CLOSE--> CONNECTED
 *   CONNECTED or CONFIGURED --FAIL--> FAILED --RECOVER--> the state it left
 *   FAILED --CONF or CLOSE--> FAILED (they change the state it returns to)
 *   any --UNBIND--> DETACHED
 *
 * FAIL comes from the poller (a ring violation: every queue torn down,
 * NEEDS_RESET); RECOVER once every enabled queue is set up again. Queues
 * come and go in CONNECTED too: dev_conf may never come (cvqsim_ops.c).
 */
enum cvqsim_dev_state {
	CVQSIM_DEV_DETACHED,	/* no connection bound */
	CVQSIM_DEV_CONNECTED,	/* bound; dev_conf not (or no longer) in force */
	CVQSIM_DEV_CONFIGURED,	/* dev_conf succeeded, no dev_close since */
	CVQSIM_DEV_FAILED,	/* stopped by a ring violation: NEEDS_RESET */
	CVQSIM_DEV_STATES
};

enum cvqsim_dev_event {
	CVQSIM_DEV_BIND,	/* a connection's first op */
	CVQSIM_DEV_CONF,	/* dev_conf */
	CVQSIM_DEV_CLOSE,	/* dev_close */
	CVQSIM_DEV_FAIL,	/* the poller stopped the device */
	CVQSIM_DEV_RECOVER,	/* every enabled queue served again */
	CVQSIM_DEV_UNBIND,	/* the connection is gone */
};

/*
 * What the device's own side of a bring-up costs (rte_rdtsc cycles, under
 * ctl_lock): the last dev_conf, and every queue_start of the connection
 * (queues come up on SET_VRING_ENABLE, mostly before dev_conf). The rest
 * of a bring-up is vhost-user messages, outside the driver.
 */
struct cvqsim_setup_time {
	uint64_t dev_conf_cycles;	/* last dev_conf; 0: never called */
	uint64_t dev_conf_calls;
	uint64_t queue_start_cycles;	/* sum since the connection began */
	uint64_t queue_start_max_cycles;
	uint32_t queues_started;
};

/* Memory-table region AS 0 was built from (to detect changes). */
struct cvqsim_mem_region {
	uint64_t gpa;
	uint64_t hva;
	uint64_t size;
};

struct cvqsim_dev {
	TAILQ_ENTRY(cvqsim_dev) next;
	char name[64];
	unsigned int index;		/* numeric suffix of the name */
	struct rte_vdev_device *vdev;
	struct rte_vdpa_device *vdpa;
	struct cvqsim_devargs conf;
	uint64_t features;		/* offered */
	uint64_t protocol_features;	/* offered */

	pthread_mutex_t ctl_lock;
	rte_spinlock_t poll_lock;

	/*
	 * The device's life (cvqsim_dev_event() only): written with ctl_lock
	 * held and the poller quiesced, or by the poller in a pass (FAILED);
	 * read with cvqsim_dev_state_get().
	 */
	enum cvqsim_dev_state state;
	enum cvqsim_dev_state resume_state;	/* what FAILED returns to */

	/* Connection state, under ctl_lock (and poll_lock where noted). */
	int vid;			/* -1 when no connection is bound */
	bool features_valid;
	uint64_t negotiated;		/* valid when features_valid */
	struct cvqsim_as_set as_set;	/* changed under poll_lock */
	struct cvqsim_as_batch iotlb_batch;	/* the VMM's open batch */
	bool fault_report;		/* a queue faulted: log it (poll_lock) */
	/*
	 * Driver status as the frontend set it (VHOST_USER_SET_STATUS), when
	 * it uses the STATUS protocol feature (status_proto). The control queue
	 * is served only once DRIVER_OK is set (virtio: no buffer is used
	 * before DRIVER_OK); without STATUS, once its vring is enabled.
	 * cvq_serve is the poller's copy of that decision (under poll_lock).
	 */
	bool status_proto;
	uint8_t driver_status;
	bool cvq_serve;
	struct cvqsim_mem_region *mem;	/* AS 0 source, nr_mem entries */
	uint32_t nr_mem;
	/*
	 * A SET_MEM_TABLE passed the screen and went to the vhost library,
	 * which has not confirmed it (post-handler): if it failed, the
	 * library dropped its table (rte_vhost_get_mem_table would read
	 * NULL) and the device must not look for one.
	 */
	bool mem_table_pending;
	/* The VMM's memory table callback (under ctl_lock). */
	rte_pmd_cvqsim_mem_cb mem_cb;
	void *mem_cb_arg;
	uint64_t msgs_refused;		/* vhost-user messages screened out */
	struct cvqsim_setup_time setup_time;

	/*
	 * The virtio-net model: config space, and the state the control queue
	 * sets. Changed only under poll_lock (by the poller, or by the control
	 * path while the poller is outside the device).
	 */
	struct cvqsim_net net;
	/*
	 * The control queue decoder, bound to the model: its request buffer is
	 * the poller's, its counters are read by other threads (tear-free).
	 */
	struct cvqsim_ctrl ctrl;

	/* Queues: 2 * max_pairs data queues, then the control queue. */
	uint16_t nr_queues;
	struct cvqsim_queue *queues;

	/* Virtio device status bits the device sets (NEEDS_RESET). */
	uint8_t device_status;
	/* Send a config-change message once poll_lock is released. */
	bool config_change;
	uint64_t failures;
	char failure[160];

	struct cvqsim_poller poller;
	struct cvqsim_dp_scratch *scratch;
	struct cvqsim_dp_stats dp_stats;
	struct cvqsim_log_dirty log_dirty;
	/* A saved state to load at the next negotiation (under ctl_lock). */
	uint8_t *pending_state;
	size_t pending_len;
	/* VF-parent mode: the datapath's port (devarg port=); NULL: loopback. */
	struct cvqsim_port *port;
};

/* A duration in TSC cycles (rte_rdtsc) in nanoseconds. */
static inline uint64_t
cvqsim_cycles_to_ns(uint64_t cycles)
{
	uint64_t hz = rte_get_tsc_hz();

	return hz == 0 ? 0 : (uint64_t)((double)cycles * 1e9 / (double)hz);
}

/*
 * Queue indices: two names for the two concepts, used everywhere in the
 * driver.
 * - vq_index: the virtio spec's virtqueue index, what the driver and the
 *   frontend see: receiveq(pair + 1) is 2 * pair, transmitq(pair + 1) is
 *   2 * pair + 1, the control queue is 2 * N where N is max_virtqueue_pairs
 *   when VIRTIO_NET_F_MQ (or RSS) is negotiated and 1 otherwise
 *   (cvqsim_cvq_index). struct cvqsim_vq keeps it in its index field.
 * - slot: where a queue is stored, the index in dev->queues: data queues
 *   at their vq_index, the control queue always at 2 * conf.max_pairs
 *   (cvqsim_cvq_slot), whatever the negotiated layout.
 * A queue pair's number is `pair` (the spec's N-1 in receiveqN/transmitqN).
 * The vhost-user message and public API names (SET_VRING_*, vring_addr)
 * keep their names.
 */

/* Slot of the control queue in dev->queues. */
static inline uint16_t
cvqsim_cvq_slot(const struct cvqsim_dev *dev)
{
	return (uint16_t)(2 * dev->conf.max_pairs);
}

/* Features that decide the queue layout: negotiated, else offered. */
static inline uint64_t
cvqsim_layout_features(const struct cvqsim_dev *dev)
{
	return dev->features_valid ? dev->negotiated : dev->features;
}

/*
 * Slot in dev->queues of virtqueue vq_index under features, or -1 when
 * the device has no such queue (beyond the pairs, or the control queue
 * index without CTRL_VQ).
 */
int cvqsim_vq_index_to_slot(const struct cvqsim_dev *dev, uint64_t features,
		uint16_t vq_index);

/* The device list: lookups take its lock; NULL when not found. */
struct cvqsim_dev *cvqsim_dev_from_vdpa(const struct rte_vdpa_device *vdpa);
struct cvqsim_dev *cvqsim_dev_from_vid(int vid);
struct cvqsim_dev *cvqsim_dev_from_name(const char *name);
struct cvqsim_dev *cvqsim_dev_from_vdev(const struct rte_vdev_device *vdev);
/* Call fn on every device, in probe order, with the list locked. */
void cvqsim_dev_foreach(void (*fn)(struct cvqsim_dev *dev, void *arg),
		void *arg);
void cvqsim_dev_list_add(struct cvqsim_dev *dev);
void cvqsim_dev_list_remove(struct cvqsim_dev *dev);
/* Record the vDPA device registered for dev (under the list lock). */
void cvqsim_dev_set_vdpa(struct cvqsim_dev *dev, struct rte_vdpa_device *vdpa);

/*
 * A device from its devargs: the model, the queues (2 * max_pairs data
 * queues, then the control queue), nothing connected. NULL: out of memory
 * or parameters the model refuses (logged).
 */
struct cvqsim_dev *cvqsim_dev_alloc(const char *name, unsigned int index,
		const struct cvqsim_devargs *conf);
void cvqsim_dev_free(struct cvqsim_dev *dev);

/*
 * The one place device and queue states change: the transition an event
 * makes from the current state, checked against the diagrams above (a
 * move they do not allow is a driver bug: RTE_VERIFY).
 */
void cvqsim_dev_event(struct cvqsim_dev *dev, enum cvqsim_dev_event ev);
void cvqsim_queue_event(struct cvqsim_queue *q, enum cvqsim_queue_event ev);
const char *cvqsim_dev_state_name(enum cvqsim_dev_state state);

/* The device state, from any thread (the poller may be failing it). */
static inline enum cvqsim_dev_state
cvqsim_dev_state_get(const struct cvqsim_dev *dev)
{
	return __atomic_load_n(&dev->state, __ATOMIC_RELAXED);
}

/* Stopped by a ring violation (poller, or with the poller quiesced). */
static inline bool
cvqsim_dev_failed(const struct cvqsim_dev *dev)
{
	return dev->state == CVQSIM_DEV_FAILED;
}

/* dev_conf is in force (failed or not): no dev_close since. */
static inline bool
cvqsim_dev_configured(const struct cvqsim_dev *dev)
{
	enum cvqsim_dev_state state = cvqsim_dev_state_get(dev);

	return state == CVQSIM_DEV_CONFIGURED || (state == CVQSIM_DEV_FAILED &&
		dev->resume_state == CVQSIM_DEV_CONFIGURED);
}

/*
 * VM case: whether a violation of q stops q alone (its group is not on
 * ASID 0, so its ring is the VMM's, not the frontend's).
 */
static inline bool
cvqsim_queue_isolated(const struct cvqsim_dev *dev,
		const struct cvqsim_queue *q)
{
	return dev->as_set.group_asid[q->vq.group] != 0;
}

/*
 * Stop isolated queue q after a fault and count it (poll_lock held, the
 * poller's side); the poller logs it once its pass is over
 * (dev->fault_report).
 */
static inline void
cvqsim_queue_fault(struct cvqsim_dev *dev, struct cvqsim_queue *q)
{
	q->faulted = true;
	q->faults++;
	cvqsim_vq_teardown(&q->vq);
	dev->fault_report = true;
}

/*
 * The end of a connection for the VM case (poller quiesced): the rings
 * the VMM gave and the faults were that connection's. The group binding
 * and the VMM's address spaces stay.
 */
void cvqsim_dev_forget_vmm_rings(struct cvqsim_dev *dev);

/* The frontend enabled the queue (set_vring_state). */
static inline bool
cvqsim_queue_enabled(const struct cvqsim_queue *q)
{
	return q->state != CVQSIM_QUEUE_DISABLED;
}

/* The virtio and vhost-user features the device offers. */
uint64_t cvqsim_offered_features(const struct cvqsim_devargs *conf);
uint64_t cvqsim_offered_protocol_features(void);
/*
 * Tell the frontend the config space changed (VHOST_USER_SLAVE_CONFIG_CHANGE_MSG)
 * when it negotiated the slave channel and CONFIG; otherwise the driver sees
 * the change on its next config read. Returns 0 when the message was sent.
 * Call without poll_lock.
 */
int cvqsim_notify_config_change(struct cvqsim_dev *dev, int vid);

#endif /* CVQSIM_DEV_H */
