/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef SHADOW_TABLE_H
#define SHADOW_TABLE_H

/*
 * The shadows of the interfaces (one per interface, set up by shadow.c) and
 * the relay thread's wake-up: what the relay (shadow.c), the guest side
 * (shadow_guest.c) and "show shadow" (shadow_show.c) share, below all three.
 */

#include <pthread.h>
#include <rte_log.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_vdpa.h>

#include "cvqsim_as.h"
#include "cvqsim_ctrl.h"
#include "cvqsim_iov.h"
#include "cvqsim_net.h"
#include "cvqsim_vq.h"
#include "drv_vq.h"

#define SH_LOG(level, sh, fmt, ...) \
	rte_log(RTE_LOG_ ## level, RTE_LOGTYPE_USER1, "SHADOW: iface %u: " \
		fmt "\n", (sh)->iface, ##__VA_ARGS__)

#define SHADOW_MEM_SIZE		(2u << 20)
#define SHADOW_RING_SIZE	16
/* One byte over the decoder's limit: an oversized request stays oversized. */
#define SHADOW_REQ_MAX		(CVQSIM_CTRL_MAX_REQ + 1)
#define SHADOW_RESP_MAX		65536
#define SHADOW_ACK_TIMEOUT_NS	(3ULL * 1000 * 1000 * 1000)
#define SHADOW_POLL_MS		5
/* Spin this long for the device's answer before sleeping on its call. */
#define SHADOW_SPIN_NS		(50ULL * 1000)
#define SHADOW_ALIVE_CHECK_NS	(100ULL * 1000 * 1000)
#define SHADOW_BURST		8
#define SHADOW_MAX_VRINGS	256
#define SHADOW_MAX_REGIONS	32

/** What the shadow of an interface did on its current (or last) connection. */
struct shadow_info {
	bool vm_case;		/**< the control-queue group is on ASID 1 */
	bool attached;		/**< relaying the guest's control queue */
	uint64_t relayed;	/**< guest requests completed */
	uint64_t ok;		/**< acknowledged VIRTIO_NET_OK by the device */
	uint64_t err;		/**< VIRTIO_NET_ERR or no ack */
	uint64_t guest_faults;	/**< the guest's control ring broke */
	uint64_t device_faults;	/**< the device's control queue stopped */
	uint64_t mismatches;	/**< device OK, the shadow's model refused */
	uint64_t mem_changes;	/**< memory tables the guest ring moved to */
};

struct shadow_region {
	uint64_t gpa, hva, size;
};

struct shadow {
	pthread_mutex_t lock;
	unsigned int iface;
	struct rte_vdpa_device *dev;
	bool wanted;		/* shadow the next connections */
	bool used;		/* some connection was shadowed */
	int vid;		/* this connection, -1 none */
	bool vm_case;		/* this connection: CVQ group on ASID 1 */
	bool case_pending;	/* binding refused (-EBUSY): retry */
	/* The guest's control queue, as the shadow serves it. */
	bool attached;
	bool guest_broken;	/* its ring broke: nothing more is popped */
	bool mem_paused;	/* between the two memory table events */
	bool device_broken;	/* the device's CVQ stopped: answer ERR */
	uint16_t cvq;
	bool vq_enabled[SHADOW_MAX_VRINGS];
	struct cvqsim_as guest_as;
	struct shadow_region regions[SHADOW_MAX_REGIONS];
	uint32_t nr_regions;
	struct cvqsim_vq gvq;
	struct cvqsim_chain chain;	/* the guest's request */
	struct cvqsim_chain local;	/* our copy, for our model */
	/* Our ring and buffers, in our memory (ASID 1). */
	struct drv_mem mem;
	struct drv_vq svq;
	uint8_t *req;
	uint8_t *resp;
	/* Our copy of the device state. */
	bool model_ok;
	uint64_t model_features;
	struct cvqsim_net model;
	struct cvqsim_ctrl dec;
	uint8_t scratch[SHADOW_RESP_MAX];
	struct shadow_info stats;	/* its counters */
};

/* Add sh as the next interface's shadow: 0, or -ENOSPC. */
int shadow_table_add(struct shadow *sh);
/* The number of shadows (interfaces 0 .. n - 1). */
unsigned int shadow_count(void);
/* The shadow of interface iface, NULL if there is none. */
struct shadow *shadow_of(unsigned int iface);
/* Forget every shadow (the caller freed them). */
void shadow_table_clear(void);

/* The relay thread's wake-up (an eventfd): 0 or a negative errno. */
int shadow_wake_open(void);
void shadow_wake_close(void);
/* The fd to poll for a wake-up, and take the wake-ups it holds. */
int shadow_wake_fd(void);
void shadow_wake_drain(void);
/* Wake the relay thread: a guest control queue to serve again. */
void shadow_relay_wake(void);

#endif /* SHADOW_TABLE_H */
