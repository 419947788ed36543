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
 *   device's queues. The control path takes it to set up, quiesce or tear
 *   down a queue and to rebuild an address space: once it holds the lock,
 *   the poller is outside the device and will see the new state on its next
 *   pass. Lock order: ctl_lock, then poll_lock.
 * - The poller sleeps (idle device, adaptive mode) outside poll_lock; the
 *   control path wakes it (cvqsim_poller_wake) after every change so it
 *   re-reads the queue set.
 * - The device model (net) changes only under poll_lock: control commands
 *   are decoded and applied by the poller inside its pass (a command is in
 *   force before its used entry is published and for every later frame);
 *   feature negotiation, vring enables, resets and announce take poll_lock
 *   from the control path. Other threads read the model without a lock
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
#include "cvqsim_dp.h"
#include "cvqsim_log_dirty.h"
#include "rte_pmd_cvqsim.h"
#include "cvqsim_net.h"
#include "cvqsim_poller.h"
#include "cvqsim_port.h"
#include "cvqsim_vq.h"

#define CVQSIM_DRIVER_NAME	vdpa_cvqsim

/* One virtqueue of the device and its connection state. */
struct cvqsim_queue {
	struct cvqsim_vq vq;		/* ring engine; vq.ready == served */
	/* The vhost library's view: last set_vring_state() value. */
	bool enabled;
	/*
	 * vq's indices are newer than the vhost library's copy (set up since
	 * they were last handed back): queue_stop hands them back once.
	 */
	bool owns_indices;
	/* Stopped for a SET_MEM_TABLE, to be restarted after it. */
	bool paused;
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
	 * VM case (cvqsim_iotlb.c), group not on ASID 0: the ring the VMM
	 * gave (ctl_lock), and a stop by a fault (poll_lock): counted,
	 * logged once, until the VMM gives a ring again.
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

	/* Connection state, under ctl_lock (and poll_lock where noted). */
	int vid;			/* -1 when no connection is bound */
	bool configured;		/* dev_conf succeeded, no dev_close yet */
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
	uint64_t msgs_refused;		/* vhost-user messages screened out */
	struct cvqsim_setup_time setup_time;

	/*
	 * The virtio-net model: config space, and the state the control queue
	 * sets. Changed only under poll_lock (by the poller, or by the control
	 * path while the poller is outside the device).
	 */
	struct cvqsim_net net;

	/* Queues: 2 * max_pairs data queues, then the control queue. */
	uint16_t nr_queues;
	struct cvqsim_queue *queues;

	/*
	 * Device stopped after a ring violation (under poll_lock). The virtio
	 * status NEEDS_RESET is recorded in device_status.
	 */
	bool failed;
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
 * The control queue's virtqueue index: 2 * max_pairs with MQ or RSS,
 * else 2 (virtio 1.x 5.1.2).
 */
uint16_t cvqsim_cvq_index(const struct cvqsim_dev *dev, uint64_t features);

/*
 * Slot in dev->queues of virtqueue index vring under features, or -1 when
 * the device has no such queue (beyond the pairs, or the control queue
 * index without CTRL_VQ).
 */
int cvqsim_vring_to_slot(const struct cvqsim_dev *dev, uint64_t features,
		uint16_t vring);

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

/* The control queue decoder of the device (in its datapath scratch). */
static inline struct cvqsim_ctrl *
cvqsim_dev_ctrl(struct cvqsim_dev *dev)
{
	return &dev->scratch->ctrl_dec;
}

#endif /* CVQSIM_DEV_H */
