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
 *   control path writes poller.wake_fd after every change so it re-reads
 *   the queue set.
 * - The device model (net) changes only under poll_lock: control commands
 *   are decoded and applied by the poller inside its pass (a command is in
 *   force before its used entry is published and for every later frame);
 *   feature negotiation, vring enables, resets and announce take poll_lock
 *   from the control path. Other threads read the model without a lock
 *   through its seqcount (cvqsim_net_state_get) and its counters one by
 *   one.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/queue.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_spinlock.h>

#include "cvqsim_sdk.h"
#include "cvqsim_as.h"
#include "cvqsim_ctrl.h"
#include "cvqsim_net.h"
#include "cvqsim_placement.h"
#include "cvqsim_vq.h"

#define CVQSIM_DRIVER_NAME	vdpa_cvqsim

/*
 * Queue pairs: the vhost library holds at most 256 vrings (VHOST_MAX_VRING
 * in lib/vhost/vhost.h, 22.11) and rejects any message naming a higher
 * index. The control queue of an N-pair device is vring 2N, so N <= 127.
 */
#define CVQSIM_MAX_QUEUE_PAIRS	127
#define CVQSIM_DEF_MTU		1500
#define CVQSIM_MIN_MTU		68	/* virtio-net: mtu >= 68 */
#define CVQSIM_MAX_MTU		9000
#define CVQSIM_DEF_MAC_TABLE	64	/* QEMU's MAC_TABLE_ENTRIES */
#define CVQSIM_MAX_MAC_TABLE	4096

/* Data queues pop at most this many TX chains per pass. */
#define CVQSIM_DP_BURST		32
/* Most RX chains one frame may be merged into (num_buffers). */
#define CVQSIM_DP_MAX_MRG	64
/*
 * Bytes of a frame (after its virtio-net header) linearised for the receive
 * filter and the steering hash: Ethernet, two VLAN tags, IPv6 with
 * extension headers, one level of encapsulation.
 */
#define CVQSIM_DP_PEEK_LEN	256

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
};

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
};

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
	 * (cvqsim_dp_poll_if_work). Such a look may still use rings the
	 * control path just tore down: before guest memory can be unmapped,
	 * the control path waits in cvqsim_dp_sync() until the poller has
	 * seen its request between two passes (sync_ack) or is offline
	 * (asleep, stopped: it looks at nothing).
	 */
	bool peek;			/* fixed at start: a poll thread peeks */
	bool online;			/* the poll thread may be peeking */
	uint64_t sync_req;		/* bumped by cvqsim_dp_sync() */
	uint64_t sync_ack;		/* last sync_req seen between passes */
	/* Some coalesced notification may be pending (poller-owned). */
	bool coal_armed;
	/* Counters, owned by the poller. */
	uint64_t passes;
	uint64_t sleeps;
};

/*
 * Per-device scratch space of the datapath (one poller per device), and
 * the control queue decoder (its 32 KB request buffer is scratch too; its
 * counters are read by other threads, tear-free, like the vq counters).
 */
struct cvqsim_dp_scratch {
	struct cvqsim_chain tx;
	struct cvqsim_chain rx[CVQSIM_DP_MAX_MRG];
	uint32_t rx_len[CVQSIM_DP_MAX_MRG];	/* bytes written per RX chain */
	struct cvqsim_chain ctrl;
	uint16_t touched_rx[CVQSIM_DP_BURST];	/* RX slots of this burst */
	uint32_t touched_frames[CVQSIM_DP_BURST]; /* frames on each */
	unsigned int nr_touched_rx;
	/* Model counters of this burst: the TX pair's, each touched RX's. */
	struct cvqsim_net_tally tx_tally;
	struct cvqsim_net_tally rx_tally[CVQSIM_DP_BURST];
	uint8_t peek[CVQSIM_DP_PEEK_LEN];
	struct cvqsim_ctrl ctrl_dec;
};

/* Device-wide datapath counters, written by the poller only. */
struct cvqsim_dp_stats {
	uint64_t rx_inactive;		/* steered to a queue not in use */
	uint64_t rx_overruns;		/* no receive buffer */
	uint64_t tx_malformed;		/* bad header or checksum request */
	uint64_t tx_csum_completed;	/* checksum completed by the device */
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

/* cvqsim.c: the device list. */
struct cvqsim_dev *cvqsim_dev_from_vdpa(const struct rte_vdpa_device *vdpa);
struct cvqsim_dev *cvqsim_dev_from_vid(int vid);
struct cvqsim_dev *cvqsim_dev_from_name(const char *name);
/* Call fn on every device, in probe order, with the list locked. */
void cvqsim_dev_foreach(void (*fn)(struct cvqsim_dev *dev, void *arg),
		void *arg);
const char *cvqsim_poll_mode_name(enum cvqsim_poll_mode mode);

/* cvqsim_ops.c */
extern struct rte_vdpa_dev_ops cvqsim_vdpa_ops;
uint64_t cvqsim_offered_features(const struct cvqsim_devargs *conf);
uint64_t cvqsim_offered_protocol_features(void);
/*
 * Tell the frontend the config space changed (VHOST_USER_SLAVE_CONFIG_CHANGE_MSG)
 * when it negotiated the slave channel and CONFIG; otherwise the driver sees
 * the change on its next config read. Returns 0 when the message was sent.
 * Call without poll_lock.
 */
int cvqsim_notify_config_change(struct cvqsim_dev *dev, int vid);
/* Times the vhost library called get_dev_type (during registration). */
uint64_t cvqsim_ops_dev_type_calls(void);
/*
 * Check through the public vDPA API that the vhost library reaches our ops
 * (a registration must have called get_dev_type since the count given).
 */
int cvqsim_ops_selftest(struct cvqsim_dev *dev, uint64_t dev_type_calls_before);
/* Stats exported per queue, in get_stats order. */
unsigned int cvqsim_stats_count(void);
const char *cvqsim_stat_name(unsigned int i);
/* The counters of a queue since its last reset_stats, in that order. */
void cvqsim_queue_stats(const struct cvqsim_queue *q, uint64_t *values);
/*
 * Device-wide counters (struct rte_pmd_cvqsim_stats) as a flat list, in the
 * order of their names; get_stats appends them on the control queue's qid.
 */
unsigned int cvqsim_dev_stats_count(void);
const char *cvqsim_dev_stat_name(unsigned int i);
void cvqsim_dev_stats_values(const struct rte_pmd_cvqsim_stats *st,
		uint64_t *values);

/* cvqsim_api.c: the device-wide counters, read from any thread. */
void cvqsim_dev_stats_get(struct cvqsim_dev *dev,
		struct rte_pmd_cvqsim_stats *st);

/* cvqsim_dp.c: the poller. */
int cvqsim_dp_start(struct cvqsim_dev *dev);
void cvqsim_dp_stop(struct cvqsim_dev *dev);
/* Tell the poller the queue set changed (e.g. leave an idle sleep). */
void cvqsim_dp_wake(struct cvqsim_dev *dev);
/* One pass over the device; returns the number of chains processed. */
unsigned int cvqsim_dp_poll(struct cvqsim_dev *dev);
/*
 * The poll thread's pass: a look at the rings in use without poll_lock,
 * then cvqsim_dp_poll() only if it saw something (an empty pass costs no
 * atomic instruction); between passes it answers cvqsim_dp_sync().
 */
unsigned int cvqsim_dp_poll_if_work(struct cvqsim_dev *dev);
/*
 * Control path, without poll_lock, after tearing queues down and before
 * guest memory may be unmapped (SET_MEM_TABLE, end of the connection):
 * wait until the poll thread can no longer be reading the old rings.
 */
void cvqsim_dp_sync(struct cvqsim_dev *dev);
/* The control queue decoder of the device (in its datapath scratch). */
static inline struct cvqsim_ctrl *
cvqsim_dev_ctrl(struct cvqsim_dev *dev)
{
	return &dev->scratch->ctrl_dec;
}

#endif /* CVQSIM_DEV_H */
