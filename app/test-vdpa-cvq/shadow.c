/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The shadow control queue (shadow.h): the application as the VMM.
 *
 * Threads: the vhost-events thread runs the connection hooks (bind, map,
 * attach to the guest's control queue, detach); the relay thread serves
 * every attached guest control queue. Each shadow's lock is held by the
 * relay for one whole request, so a hook never sees half a request.
 *
 * QEMU's shadow control queue (net/vhost-vdpa.c) is the model: two bounce
 * buffers in the VMM's own address space, the guest's request copied once
 * before anything looks at it, the VMM's device model updated only on
 * VIRTIO_NET_OK. Unlike QEMU it forwards every class (the device owns the
 * announce bit here) and it does not rewrite an oversized MAC table: the
 * device applies QEMU's overflow rule itself.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_log.h>
#include <rte_vhost.h>

#include <rte_pmd_cvqsim.h>

#include "cvqsim_as.h"
#include "cvqsim_ctrl.h"
#include "cvqsim_net.h"
#include "cvqsim_vq.h"
#include "drv_vq.h"
#include "shadow.h"
#include "shadow_guest.h"
#include "shadow_table.h"

static pthread_t relay_thread;
static bool relay_running;
static bool relay_stop;

/* ---- our memory in ASID 1 ---- */

static int
shadow_mem_init(struct shadow *sh)
{
	int ret = drv_mem_init(&sh->mem, SHADOW_MEM_SIZE, SHADOW_IOVA);

	if (ret < 0)
		return ret;
	ret = drv_vq_init(&sh->svq, &sh->mem, 0, SHADOW_RING_SIZE, 0);
	if (ret < 0)
		return ret;
	sh->req = drv_mem_alloc(&sh->mem, SHADOW_REQ_MAX, 64);
	sh->resp = drv_mem_alloc(&sh->mem, SHADOW_RESP_MAX, 64);
	return sh->req == NULL || sh->resp == NULL ? -ENOMEM : 0;
}

/*
 * ASID 1 for this connection, in one batch: our old mappings out, and for
 * the VM case each piece of ours in, with the access the device needs and
 * no more.
 */
static int
shadow_map(struct shadow *sh, bool map)
{
	const struct drv_vq *q = &sh->svq;
	const struct rte_pmd_cvqsim_iotlb_entry e[] = {
		{ q->desc_gpa, 16u * q->size, (uintptr_t)q->desc,
			RTE_PMD_CVQSIM_PERM_RO, 0 },
		{ q->avail_gpa, 6 + 2u * q->size, (uintptr_t)q->avail,
			RTE_PMD_CVQSIM_PERM_RO, 0 },
		{ q->used_gpa, 6 + 8u * q->size, (uintptr_t)q->used,
			RTE_PMD_CVQSIM_PERM_WO, 0 },
		{ drv_mem_gpa(&sh->mem, sh->req), SHADOW_REQ_MAX,
			(uintptr_t)sh->req, RTE_PMD_CVQSIM_PERM_RO, 0 },
		{ drv_mem_gpa(&sh->mem, sh->resp), SHADOW_RESP_MAX,
			(uintptr_t)sh->resp, RTE_PMD_CVQSIM_PERM_WO, 0 },
	};
	unsigned int i;
	int ret;

	ret = rte_pmd_cvqsim_iotlb_batch_begin(sh->dev);
	if (ret == 0)
		ret = rte_pmd_cvqsim_iotlb_invalidate(sh->dev, 1, SHADOW_IOVA,
			sh->mem.size);
	for (i = 0; map && ret >= 0 && i < RTE_DIM(e); i++)
		ret = rte_pmd_cvqsim_iotlb_update(sh->dev, 1, &e[i]);
	if (rte_pmd_cvqsim_iotlb_batch_end(sh->dev) != 0 && ret >= 0)
		ret = -EIO;
	if (ret < 0)
		SH_LOG(ERR, sh, "cannot %s the shadow ring in ASID 1: %s",
			map ? "map" : "unmap", strerror(-ret));
	return ret < 0 ? ret : 0;
}

/*
 * This connection's case: the control-queue group on ASID 1 with our ring
 * there (VM), or on ASID 0 with nothing of ours in ASID 1 (DPDK).
 */
static int
shadow_apply_case(struct shadow *sh)
{
	int ret = rte_pmd_cvqsim_group_asid_set(sh->dev,
		RTE_PMD_CVQSIM_GROUP_CVQ, sh->wanted ? 1 : 0);

	if (ret == -EBUSY)
		return ret;
	if (ret == 0)
		ret = shadow_map(sh, sh->wanted);
	sh->vm_case = sh->wanted && ret == 0;
	if (sh->wanted && ret < 0) {
		SH_LOG(ERR, sh, "staying in the DPDK case: %s", strerror(-ret));
		rte_pmd_cvqsim_group_asid_set(sh->dev, RTE_PMD_CVQSIM_GROUP_CVQ, 0);
	}
	sh->used |= sh->vm_case;
	SH_LOG(INFO, sh, "connection %d: the %s", sh->vid, sh->vm_case ?
		"VM case (control queue group on ASID 1)" :
		"DPDK case (every group on ASID 0)");
	return 0;
}

/* ---- our copy of the device state ---- */

/* Read what the config space says once, at the connection's first attach. */
static void
model_init(struct shadow *sh)
{
	struct rte_pmd_cvqsim_net_state *st = malloc(sizeof(*st));
	struct cvqsim_net_params p;

	memset(&p, 0, sizeof(p));
	if (st != NULL && rte_pmd_cvqsim_net_state_get(sh->dev, st) == 0) {
		memcpy(p.mac, st->mac, sizeof(p.mac));
		p.max_queue_pairs = st->max_queue_pairs;
		p.mtu = st->mtu;
		p.speed = st->speed;
		p.duplex = st->duplex;
		p.link_up = (st->status & VIRTIO_NET_S_LINK_UP) != 0;
		p.mac_table_entries = st->mac_table_capacity;
		p.supported_hash_types = st->supported_hash_types;
		p.supported_tunnel_types = st->supported_tunnel_types;
	}
	free(st);
	if (cvqsim_net_init(&sh->model, &p) != 0)
		SH_LOG(ERR, sh, "device parameters refused by the model");
	cvqsim_ctrl_init(&sh->dec, &cvqsim_net_ctrl_ops, &sh->model);
	sh->model_ok = true;
	sh->model_features = 0;
}

/* FEATURES_OK as the device saw it: what its set_features did. */
static void
model_sync_features(struct shadow *sh, uint64_t features)
{
	uint16_t i, cvq;

	if (!sh->model_ok)
		model_init(sh);
	if (sh->model_features == features)
		return;
	cvqsim_net_set_features(&sh->model, features);
	cvq = cvqsim_cvq_index(sh->model.state.features,
		sh->model.state.max_queue_pairs);
	for (i = 0; i < cvq && i < SHADOW_MAX_VRINGS; i++)
		cvqsim_net_set_vq_enabled(&sh->model, i, sh->vq_enabled[i]);
	sh->model_features = features;
}

/*
 * The device acknowledged OK: apply the same bytes (our copy) to our model
 * through the same decoder. It must agree; if not, say so and count it.
 */
static void
model_apply(struct shadow *sh, uint32_t out_len, uint32_t in_len)
{
	struct cvqsim_chain *l = &sh->local;
	uint32_t used = 0;

	l->head = 0;
	l->nr_out = 1;
	l->iov[0].iov_base = sh->req;
	l->iov[0].iov_len = out_len;
	l->out_len = out_len;
	l->nr_in = 1;
	l->iov[1].iov_base = sh->scratch;
	l->iov[1].iov_len = in_len;
	l->in_len = in_len;
	sh->scratch[0] = VIRTIO_NET_ERR;
	cvqsim_ctrl_process(&sh->dec, l, &used);
	if (used >= 1 && sh->scratch[0] == VIRTIO_NET_OK)
		return;
	sh->stats.mismatches++;
	SH_LOG(WARNING, sh, "class %u command %u: the device said OK, the"
		" shadow's model refused it", out_len > 0 ? sh->req[0] : 0,
		out_len > 1 ? sh->req[1] : 0);
}

/* Point the device's control queue at a fresh shadow ring. */
static int
shadow_ring_start(struct shadow *sh, uint16_t vring)
{
	struct rte_pmd_cvqsim_vring_addr a;

	drv_vq_reset(&sh->svq);
	sh->svq.index = vring;
	drv_vq_enable_interrupts(&sh->svq, true);
	memset(&a, 0, sizeof(a));
	a.desc = sh->svq.desc_gpa;
	a.avail = sh->svq.avail_gpa;
	a.used = sh->svq.used_gpa;
	a.size = sh->svq.size;
	a.kickfd = sh->svq.kickfd;
	a.callfd = sh->svq.callfd;
	return rte_pmd_cvqsim_vring_addr_set(sh->dev, vring, &a);
}

static void
shadow_attach(struct shadow *sh, uint16_t vring)
{
	uint64_t features = 0;
	int ret;

	rte_vhost_get_negotiated_features(sh->vid, &features);
	model_sync_features(sh, features);
	ret = shadow_guest_setup(sh, vring, features);
	if (ret == 0)
		ret = shadow_ring_start(sh, vring);
	if (ret < 0) {
		SH_LOG(ERR, sh, "cannot shadow control queue %u: %s", vring,
			strerror(-ret));
		return;
	}
	sh->cvq = vring;
	sh->attached = true;
	sh->guest_broken = false;
	sh->device_broken = false;
	SH_LOG(INFO, sh, "relaying control queue %u through the shadow ring"
		" at IOVA 0x%" PRIx64 " (ASID 1)", vring, sh->svq.desc_gpa);
	shadow_relay_wake();
}

static void
shadow_detach(struct shadow *sh)
{
	if (!sh->attached)
		return;
	sh->attached = false;
	sh->mem_paused = false;
	rte_pmd_cvqsim_vring_addr_set(sh->dev, sh->cvq, NULL);
	cvqsim_vq_teardown(&sh->gvq);
}

/* ---- relay ---- */

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Whether the device still serves its control queue. */
static bool
device_cvq_alive(struct shadow *sh)
{
	struct rte_pmd_cvqsim_vq_info info;

	if (rte_pmd_cvqsim_vq_info_get(sh->dev, sh->cvq, &info) != 0)
		return false;
	if (info.faulted)
		SH_LOG(ERR, sh, "the device stopped control queue %u (ASID %u):"
			" %s", sh->cvq, info.asid, info.error);
	return !info.faulted && info.enabled;
}

/* Our copy through the shadow ring; the device's reply in sh->resp. */
static int
device_forward(struct shadow *sh, uint32_t out_len, uint32_t in_len,
		uint32_t *used_len)
{
	struct drv_buf b[2];
	uint64_t start = now_ns(), now, checked = start;
	unsigned int n = 0;
	void *cookie;
	uint32_t len;
	int ret;

	b[n++] = (struct drv_buf){ sh->req, out_len, false };
	if (in_len > 0)
		b[n++] = (struct drv_buf){ sh->resp, in_len, true };
	ret = drv_vq_add(&sh->svq, b, n, false, sh);
	if (ret < 0)
		return ret;
	drv_vq_kick(&sh->svq);
	for (;;) {
		ret = drv_vq_get_used(&sh->svq, &cookie, &len);
		if (ret == 1) {
			*used_len = RTE_MIN(len, in_len);
			return 0;
		}
		if (ret < 0)
			return -EIO;
		now = now_ns();
		if (now - start > SHADOW_ACK_TIMEOUT_NS)
			return -ETIMEDOUT;
		/* A polling device answers within microseconds: spin first. */
		if (now - start < SHADOW_SPIN_NS)
			continue;
		/* A stopped queue never answers: ask, now and then. */
		if (now - checked > SHADOW_ALIVE_CHECK_NS) {
			if (!device_cvq_alive(sh))
				return -ETIMEDOUT;
			checked = now;
		}
		drv_vq_wait_call(&sh->svq, 1000 * 1000);
	}
}

static void
relay_reply_err(struct shadow *sh, uint32_t in_len, uint32_t *used_len)
{
	sh->resp[0] = VIRTIO_NET_ERR;
	*used_len = in_len > 0 ? 1 : 0;
}

/* One guest request; 1 when one was completed, 0 none, -1 ring broken. */
static int
relay_one(struct shadow *sh)
{
	struct cvqsim_chain *c = &sh->chain;
	uint32_t out_len, in_len, used_len = 0;
	int ret;

	ret = cvqsim_vq_pop(&sh->gvq, c);
	if (ret == 0)
		return 0;
	if (ret < 0) {
		sh->guest_broken = true;
		sh->stats.guest_faults++;
		SH_LOG(ERR, sh, "guest control queue %u broken, not relayed: %s",
			sh->cvq, sh->gvq.error);
		return -1;
	}
	/* One read of guest memory: everything after looks at our copy. */
	out_len = RTE_MIN(c->out_len, (uint32_t)SHADOW_REQ_MAX);
	in_len = RTE_MIN(c->in_len, (uint32_t)SHADOW_RESP_MAX);
	cvqsim_iov_to_buf(c->iov, c->nr_out, 0, sh->req, out_len);
	if (sh->device_broken) {
		relay_reply_err(sh, in_len, &used_len);
	} else if (device_forward(sh, out_len, in_len, &used_len) < 0) {
		sh->device_broken = true;
		sh->stats.device_faults++;
		SH_LOG(ERR, sh, "no reply from the device's control queue: the"
			" guest gets VIRTIO_NET_ERR until it restarts the queue");
		relay_reply_err(sh, in_len, &used_len);
	} else if (used_len >= 1 && sh->resp[0] == VIRTIO_NET_OK) {
		sh->stats.ok++;
		model_apply(sh, out_len, in_len);
	}
	if (used_len == 0 || sh->resp[0] != VIRTIO_NET_OK)
		sh->stats.err++;
	shadow_guest_complete(sh, c, used_len);
	sh->stats.relayed++;
	return 1;
}

/* Serve the guest's ring; true when it may hold more right now. */
static bool
relay_shadow(struct shadow *sh)
{
	unsigned int i = 0;
	bool more = false;

	pthread_mutex_lock(&sh->lock);
	if (sh->attached && !sh->guest_broken && !sh->mem_paused) {
		cvqsim_vq_drain_kick(&sh->gvq);
		while (i < SHADOW_BURST && relay_one(sh) > 0)
			i++;
		more = i == SHADOW_BURST;
		/*
		 * Empty: ask for a kick, then look once more, as a request
		 * published before the kick was asked for kicks nobody.
		 */
		if (!more && !sh->guest_broken) {
			shadow_guest_want_kick(sh);
			more = cvqsim_vq_avail_count(&sh->gvq) > 0;
		}
	}
	pthread_mutex_unlock(&sh->lock);
	return more;
}

static void *
relay_main(void *arg)
{
	struct pollfd pfd[BACKEND_MAX_IFACES + 1];
	bool more = false;
	unsigned int i, n;

	RTE_SET_USED(arg);
	while (!__atomic_load_n(&relay_stop, __ATOMIC_ACQUIRE)) {
		n = 0;
		pfd[n++] = (struct pollfd){ .fd = shadow_wake_fd(), .events = POLLIN };
		for (i = 0; i < shadow_count(); i++) {
			struct shadow *sh = shadow_of(i);

			pthread_mutex_lock(&sh->lock);
			if (sh->attached && !sh->guest_broken &&
					!sh->mem_paused && sh->gvq.kickfd >= 0)
				pfd[n++] = (struct pollfd){ .fd = sh->gvq.kickfd,
					.events = POLLIN };
			pthread_mutex_unlock(&sh->lock);
		}
		/*
		 * The timeout also covers a kick sent before we asked for it;
		 * with nothing attached, only a wake-up ends the wait.
		 */
		if (poll(pfd, n, more ? 0 : n > 1 ? SHADOW_POLL_MS : -1) > 0 &&
				(pfd[0].revents & POLLIN))
			shadow_wake_drain();
		more = false;
		for (i = 0; i < shadow_count(); i++)
			more |= relay_shadow(shadow_of(i));
	}
	return NULL;
}

/* ---- connection hooks (vhost-events thread) ---- */

/*
 * The case is set here, before the frontend enables a queue. While the
 * last connection's control queue still runs (the vhost library cleans it
 * up after accepting this one) the binding is refused: it is set at this
 * connection's first vring event then, which comes after that cleanup.
 */
static void
on_new_connection(unsigned int iface, struct rte_vdpa_device *dev, int vid)
{
	struct shadow *sh = shadow_of(iface);

	if (sh == NULL)
		return;
	pthread_mutex_lock(&sh->lock);
	shadow_detach(sh);
	sh->dev = dev;
	sh->vid = vid;
	sh->model_ok = false;
	memset(sh->vq_enabled, 0, sizeof(sh->vq_enabled));
	memset(&sh->stats, 0, sizeof(sh->stats));
	sh->vm_case = false;
	sh->case_pending = shadow_apply_case(sh) == -EBUSY;
	pthread_mutex_unlock(&sh->lock);
}

static void
on_destroy_connection(unsigned int iface, int vid)
{
	struct shadow *sh = shadow_of(iface);

	if (sh == NULL)
		return;
	pthread_mutex_lock(&sh->lock);
	if (sh->vid == vid) {
		shadow_detach(sh);
		sh->vid = -1;
	}
	pthread_mutex_unlock(&sh->lock);
}

static void
on_vring_state(unsigned int iface, int vid, uint16_t vring, bool enable)
{
	struct shadow *sh = shadow_of(iface);
	bool cvq;

	if (sh == NULL)
		return;
	pthread_mutex_lock(&sh->lock);
	if (sh->vid == vid && sh->case_pending)
		sh->case_pending = shadow_apply_case(sh) == -EBUSY;
	if (sh->vid != vid || !sh->vm_case) {
		pthread_mutex_unlock(&sh->lock);
		return;
	}
	cvq = rte_pmd_cvqsim_vq_group(sh->dev, vring) == RTE_PMD_CVQSIM_GROUP_CVQ;
	if (!cvq && vring < SHADOW_MAX_VRINGS) {
		sh->vq_enabled[vring] = enable;
		if (sh->model_ok)
			cvqsim_net_set_vq_enabled(&sh->model, vring, enable);
	} else if (cvq && enable) {
		shadow_detach(sh);
		shadow_attach(sh, vring);
	} else if (cvq && vring == sh->cvq) {
		shadow_detach(sh);
	}
	pthread_mutex_unlock(&sh->lock);
}

static const struct backend_conn_ops shadow_conn_ops = {
	.new_connection = on_new_connection,
	.destroy_connection = on_destroy_connection,
	.vring_state_changed = on_vring_state,
};

/* ---- setup, commands ---- */

static void
shadow_free(struct shadow *sh)
{
	if (sh->dev != NULL)
		rte_pmd_cvqsim_mem_event_register(sh->dev, NULL, NULL);
	/* Out of ASID 1 before the memory goes. */
	if (sh->dev != NULL && sh->used) {
		shadow_map(sh, false);
		rte_pmd_cvqsim_group_asid_set(sh->dev, RTE_PMD_CVQSIM_GROUP_CVQ, 0);
	}
	drv_vq_free(&sh->svq);
	drv_mem_free(&sh->mem);
	cvqsim_as_fini(&sh->guest_as);
	pthread_mutex_destroy(&sh->lock);
	free(sh);
}

int
shadow_setup(const struct backend_conf *be)
{
	unsigned int i;
	int ret;

	ret = shadow_wake_open();
	if (ret < 0)
		return ret;
	for (i = 0; i < be->nr_ifaces; i++) {
		struct shadow *sh = calloc(1, sizeof(*sh));

		if (sh == NULL)
			return -ENOMEM;
		if (shadow_table_add(sh) < 0) {
			free(sh);
			return -ENOSPC;
		}
		pthread_mutex_init(&sh->lock, NULL);
		sh->iface = i;
		sh->vid = -1;
		sh->dev = backend_iface_dev(i);
		sh->wanted = be->shadow_cvq[i];
		cvqsim_as_init(&sh->guest_as, 0);
		ret = shadow_mem_init(sh);
		if (ret == 0 && sh->dev != NULL)
			ret = rte_pmd_cvqsim_mem_event_register(sh->dev,
				shadow_guest_mem_event, sh);
		if (ret < 0)
			return ret;
	}
	ret = pthread_create(&relay_thread, NULL, relay_main, NULL);
	if (ret != 0)
		return -ret;
	relay_running = true;
	backend_set_conn_ops(&shadow_conn_ops);
	return 0;
}

void
shadow_teardown(void)
{
	unsigned int i;

	backend_set_conn_ops(NULL);
	if (relay_running) {
		__atomic_store_n(&relay_stop, true, __ATOMIC_RELEASE);
		shadow_relay_wake();
		pthread_join(relay_thread, NULL);
		relay_running = false;
	}
	for (i = 0; i < shadow_count(); i++)
		shadow_free(shadow_of(i));
	shadow_table_clear();
	shadow_wake_close();
}

int
shadow_set(unsigned int iface, bool on)
{
	struct shadow *sh;

	if (shadow_count() == 0)
		return -ENOTSUP;
	sh = shadow_of(iface);
	if (sh == NULL)
		return -ENODEV;
	pthread_mutex_lock(&sh->lock);
	sh->wanted = on;
	pthread_mutex_unlock(&sh->lock);
	return 0;
}

int
shadow_info_get(unsigned int iface, struct shadow_info *info)
{
	struct shadow *sh = shadow_of(iface);

	if (sh == NULL)
		return -ENODEV;
	pthread_mutex_lock(&sh->lock);
	*info = sh->stats;
	info->vm_case = sh->vm_case;
	info->attached = sh->attached;
	pthread_mutex_unlock(&sh->lock);
	return 0;
}

void
shadow_announce(struct rte_vdpa_device *dev)
{
	unsigned int i;

	for (i = 0; i < shadow_count(); i++) {
		struct shadow *sh = shadow_of(i);

		pthread_mutex_lock(&sh->lock);
		if (sh->dev == dev && sh->vm_case && sh->model_ok)
			cvqsim_net_announce(&sh->model);
		pthread_mutex_unlock(&sh->lock);
	}
}
