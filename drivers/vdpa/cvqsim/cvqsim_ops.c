/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The rte_vdpa_dev_ops glue: what the vhost library asks of the device.
 *
 * Queues come up one by one on set_vring_state(q, 1), independently of
 * dev_conf: once the application exposes the device's features with
 * rte_vhost_driver_set_features(), the vhost library calls dev_conf only
 * when every vring the frontend created is ready, which never happens
 * with a frontend that creates more queues than it enables (virtio-user
 * queues=2 with one active pair). dev_conf then only means "configured"
 * (and rebuilds AS 0 when the memory table changed under dev_close).
 *
 * set_vring_state and set_features may run with every vq access_lock of
 * the vhost device held (before dev_conf): only vhost getters that take no
 * lock are called from here (get_mem_table, get_vhost_vring,
 * get_vring_base, set_vring_base, get_negotiated_features).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cycles.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"
#include "rte_pmd_cvqsim.h"

#define BIT64(n) (UINT64_C(1) << (n))

/*
 * What the device offers: the control queue and every command class the
 * decoder and the model implement and the datapath enforces (receive
 * filter, VLAN table, MAC address, announce, multiqueue, RSS and hash
 * report with inner hashing of tunnels, guest offloads, notification
 * coalescing, statistics), checksum
 * offload both ways (the loopback completes the checksum when the driver
 * did not enable GUEST_CSUM). No segmentation offload (HOST_TSO*,
 * GUEST_TSO*): the loopback cannot segment.
 */
uint64_t
cvqsim_offered_features(const struct cvqsim_devargs *conf)
{
	uint64_t f = BIT64(VIRTIO_F_VERSION_1) |
		BIT64(VIRTIO_F_ANY_LAYOUT) |
		BIT64(VIRTIO_RING_F_INDIRECT_DESC) |
		BIT64(VIRTIO_RING_F_EVENT_IDX) |
		BIT64(VIRTIO_NET_F_CSUM) |
		BIT64(VIRTIO_NET_F_GUEST_CSUM) |
		BIT64(VIRTIO_NET_F_MRG_RXBUF) |
		BIT64(VIRTIO_NET_F_MAC) |
		BIT64(VIRTIO_NET_F_MTU) |
		BIT64(VIRTIO_NET_F_STATUS) |
		BIT64(VIRTIO_NET_F_CTRL_VQ) |
		BIT64(VIRTIO_NET_F_CTRL_RX) |
		BIT64(VIRTIO_NET_F_CTRL_RX_EXTRA) |
		BIT64(VIRTIO_NET_F_CTRL_VLAN) |
		BIT64(VIRTIO_NET_F_GUEST_ANNOUNCE) |
		BIT64(VIRTIO_NET_F_CTRL_MAC_ADDR) |
		BIT64(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) |
		BIT64(VIRTIO_NET_F_RSS) |
		BIT64(VIRTIO_NET_F_HASH_REPORT) |
		BIT64(VIRTIO_NET_F_NOTF_COAL) |
		BIT64(VIRTIO_NET_F_VQ_NOTF_COAL) |
		BIT64(VIRTIO_NET_F_DEVICE_STATS) |
		BIT64(VIRTIO_NET_F_HASH_TUNNEL) |
		BIT64(VHOST_USER_F_PROTOCOL_FEATURES);

	/* Like QEMU: multiqueue is offered only with more than one pair. */
	if (conf->max_pairs > 1)
		f |= BIT64(VIRTIO_NET_F_MQ);
	return f;
}

uint64_t
cvqsim_offered_protocol_features(void)
{
	/*
	 * SLAVE_REQ carries the config-change notification sent when the
	 * device stops on a ring violation. No LOG_SHMFD: no dirty logging.
	 */
	return BIT64(VHOST_USER_PROTOCOL_F_MQ) |
		BIT64(VHOST_USER_PROTOCOL_F_REPLY_ACK) |
		BIT64(VHOST_USER_PROTOCOL_F_SLAVE_REQ) |
		BIT64(VHOST_USER_PROTOCOL_F_CONFIG) |
		BIT64(VHOST_USER_PROTOCOL_F_STATUS);
}

int
cvqsim_notify_config_change(struct cvqsim_dev *dev, int vid)
{
	const uint64_t need = BIT64(VHOST_USER_PROTOCOL_F_SLAVE_REQ) |
		BIT64(VHOST_USER_PROTOCOL_F_CONFIG);
	uint64_t negotiated = 0;

	if (vid < 0 || rte_vhost_get_negotiated_protocol_features(vid,
			&negotiated) != 0 || (negotiated & need) != need) {
		CVQSIM_DEV_LOG(DEBUG, dev, "no config-change message: the"
			" frontend did not negotiate SLAVE_REQ and CONFIG");
		return -ENOTSUP;
	}
	if (rte_vhost_slave_config_change(vid, false) != 0) {
		CVQSIM_DEV_LOG(WARNING, dev, "config-change message not sent");
		return -EIO;
	}
	return 0;
}

uint16_t
cvqsim_cvq_index(const struct cvqsim_dev *dev, uint64_t features)
{
	if (features & (BIT64(VIRTIO_NET_F_MQ) | BIT64(VIRTIO_NET_F_RSS)))
		return (uint16_t)(2 * dev->conf.max_pairs);
	return 2;
}

int
cvqsim_vring_to_slot(const struct cvqsim_dev *dev, uint64_t features,
		uint16_t vring)
{
	uint16_t cvq = cvqsim_cvq_index(dev, features);

	if ((features & BIT64(VIRTIO_NET_F_CTRL_VQ)) && vring == cvq)
		return cvqsim_cvq_slot(dev);
	if (vring < cvq)
		return vring;
	return -1;
}

/* Stats, per queue, in this order. */
static const char * const cvqsim_stat_names[] = {
	"chains",
	"packets",
	"bytes",
	"drops",
	"errors",
	"kicks",
	"notifies",
	"notifies_suppressed",
};

unsigned int
cvqsim_stats_count(void)
{
	return RTE_DIM(cvqsim_stat_names);
}

/*
 * Device-wide counters (struct rte_pmd_cvqsim_stats), exported after the
 * per-queue ones on the control queue's qid only: control commands per
 * class and outcome, receive filter verdicts, datapath drops.
 */
#define CVQSIM_NR_CLASS_SLOTS	(RTE_PMD_CVQSIM_CTRL_CLASSES + 1)
#define CVQSIM_DEV_STATS \
	(3 + 2 * CVQSIM_NR_CLASS_SLOTS + RTE_PMD_CVQSIM_RX_VERDICT_MAX + 4)
#define CVQSIM_ALL_STATS	(RTE_DIM(cvqsim_stat_names) + CVQSIM_DEV_STATS)

static char cvqsim_dev_stat_names[CVQSIM_DEV_STATS][RTE_VDPA_STATS_NAME_SIZE];

/* "drop-vlan" -> "rx_filter_drop_vlan" */
static void
verdict_stat_name(char *buf, size_t len, unsigned int v)
{
	char *c;

	snprintf(buf, len, "rx_filter_%s", rte_pmd_cvqsim_rx_verdict_name(v));
	for (c = buf; *c != '\0'; c++)
		if (*c == '-')
			*c = '_';
}

RTE_INIT(cvqsim_dev_stat_names_init)
{
	unsigned int i = 0, k;

	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"ctrl_commands");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"ctrl_no_ack");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"ctrl_oversize");
	for (k = 0; k < CVQSIM_NR_CLASS_SLOTS; k++) {
		snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
			"ctrl_%s_ok", rte_pmd_cvqsim_ctrl_class_name((uint8_t)k));
		snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
			"ctrl_%s_err", rte_pmd_cvqsim_ctrl_class_name((uint8_t)k));
	}
	for (k = 0; k < RTE_PMD_CVQSIM_RX_VERDICT_MAX; k++)
		verdict_stat_name(cvqsim_dev_stat_names[i++],
			RTE_VDPA_STATS_NAME_SIZE, k);
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"rx_inactive");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"rx_overruns");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"tx_malformed");
	snprintf(cvqsim_dev_stat_names[i++], RTE_VDPA_STATS_NAME_SIZE,
		"tx_csum_completed");
	RTE_VERIFY(i == CVQSIM_DEV_STATS);
}

unsigned int
cvqsim_dev_stats_count(void)
{
	return CVQSIM_DEV_STATS;
}

const char *
cvqsim_dev_stat_name(unsigned int i)
{
	return i < CVQSIM_DEV_STATS ? cvqsim_dev_stat_names[i] : NULL;
}

void
cvqsim_dev_stats_values(const struct rte_pmd_cvqsim_stats *st, uint64_t *v)
{
	unsigned int i = 0, k;

	v[i++] = st->ctrl_commands;
	v[i++] = st->ctrl_no_ack;
	v[i++] = st->ctrl_oversize;
	for (k = 0; k < CVQSIM_NR_CLASS_SLOTS; k++) {
		v[i++] = st->ctrl_ok[k];
		v[i++] = st->ctrl_err[k];
	}
	for (k = 0; k < RTE_PMD_CVQSIM_RX_VERDICT_MAX; k++)
		v[i++] = st->rx_filter[k];
	v[i++] = st->rx_inactive;
	v[i++] = st->rx_overruns;
	v[i++] = st->tx_malformed;
	v[i++] = st->tx_csum_completed;
}

const char *
cvqsim_stat_name(unsigned int i)
{
	return i < RTE_DIM(cvqsim_stat_names) ? cvqsim_stat_names[i] : NULL;
}

static void
stats_values(const struct cvqsim_vq_stats *s, uint64_t v[])
{
	v[0] = s->chains;
	v[1] = s->packets;
	v[2] = s->bytes;
	v[3] = s->drops;
	v[4] = s->errors;
	v[5] = s->kicks;
	v[6] = s->notifies;
	v[7] = s->notifies_suppressed;
}

/*
 * The poller owns the counters; the reader takes a racy but tear-free
 * snapshot (aligned 64-bit loads) and subtracts the reset baseline.
 */
void
cvqsim_queue_stats(const struct cvqsim_queue *q, uint64_t *values)
{
	uint64_t base[RTE_DIM(cvqsim_stat_names)];
	unsigned int i;

	stats_values(&q->vq.stats, values);
	stats_values(&q->stats_base, base);
	for (i = 0; i < RTE_DIM(base); i++)
		values[i] -= base[i];
}

/* Device ops (no vid). */

static int
cvqsim_get_queue_num(struct rte_vdpa_device *vdpa, uint32_t *queue_num)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	*queue_num = dev->conf.max_pairs;
	return 0;
}

static int
cvqsim_get_features(struct rte_vdpa_device *vdpa, uint64_t *features)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	*features = dev->features;
	return 0;
}

static int
cvqsim_get_protocol_features(struct rte_vdpa_device *vdpa, uint64_t *features)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);

	if (dev == NULL)
		return -ENODEV;
	*features = dev->protocol_features;
	return 0;
}

static uint64_t cvqsim_dev_type_calls;

/*
 * Called by rte_vdpa_register_device() under the vDPA list lock: no lookup
 * here, and never fail (a failure makes 22.11 return a device it never
 * listed).
 */
static int
cvqsim_get_dev_type(struct rte_vdpa_device *vdpa, uint32_t *type)
{
	__atomic_fetch_add(&cvqsim_dev_type_calls, 1, __ATOMIC_RELAXED);
	*type = RTE_VHOST_VDPA_DEVICE_TYPE_NET;
	return 0;
}

static const char *
any_stat_name(unsigned int i)
{
	if (i < RTE_DIM(cvqsim_stat_names))
		return cvqsim_stat_names[i];
	return cvqsim_dev_stat_name(i - RTE_DIM(cvqsim_stat_names));
}

/*
 * Per-queue counters first, then the device-wide ones: every qid reports
 * all of them, the device-wide ones are non-zero on the control queue's
 * qid only (so sums over queues stay right).
 */
static int
cvqsim_get_stats_names(struct rte_vdpa_device *vdpa,
		struct rte_vdpa_stat_name *names, unsigned int size)
{
	unsigned int i, n = CVQSIM_ALL_STATS;

	if (cvqsim_dev_from_vdpa(vdpa) == NULL)
		return -ENODEV;
	if (names == NULL)
		return (int)n;
	for (i = 0; i < n && i < size; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s",
			any_stat_name(i));
	return (int)i;
}

static struct cvqsim_queue *
queue_of_qid(struct cvqsim_dev *dev, int qid)
{
	int slot;

	if (qid < 0 || qid > UINT16_MAX)
		return NULL;
	slot = cvqsim_vring_to_slot(dev, cvqsim_layout_features(dev),
		(uint16_t)qid);
	return slot < 0 ? NULL : &dev->queues[slot];
}

static int
cvqsim_get_stats(struct rte_vdpa_device *vdpa, int qid,
		struct rte_vdpa_stat *stats, unsigned int n)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	uint64_t now[CVQSIM_ALL_STATS];
	struct rte_pmd_cvqsim_stats st;
	unsigned int i, nr = RTE_DIM(cvqsim_stat_names);
	struct cvqsim_queue *q;

	if (dev == NULL)
		return -ENODEV;
	q = queue_of_qid(dev, qid);
	if (q == NULL || stats == NULL)
		return -EINVAL;
	cvqsim_queue_stats(q, now);
	/* The device-wide control counters belong to the control queue's qid. */
	if (q == &dev->queues[cvqsim_cvq_slot(dev)]) {
		cvqsim_dev_stats_get(dev, &st);
		cvqsim_dev_stats_values(&st, &now[nr]);
		nr = CVQSIM_ALL_STATS;
	}
	for (i = 0; i < n && i < nr; i++) {
		stats[i].id = i;
		stats[i].value = now[i];
	}
	return (int)i;
}

static int
cvqsim_reset_stats(struct rte_vdpa_device *vdpa, int qid)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vdpa(vdpa);
	struct cvqsim_queue *q;

	if (dev == NULL)
		return -ENODEV;
	q = queue_of_qid(dev, qid);
	if (q == NULL)
		return -EINVAL;
	q->stats_base = q->vq.stats;
	return 0;
}

/* Connection ops (vid). */

/*
 * The device model and every device-wide counter back to their reset state
 * (a new connection, or the driver's reset). Under poll_lock.
 */
static void
reset_model(struct cvqsim_dev *dev)
{
	cvqsim_net_reset(&dev->net);
	cvqsim_ctrl_stats_reset(cvqsim_dev_ctrl(dev));
	memset(&dev->dp_stats, 0, sizeof(dev->dp_stats));
}

/*
 * Forget the connection's state. A new connection is a new device instance:
 * the model and the device-wide counters start from their reset values
 * then (new_conn). When a connection ends they are kept, so that what the
 * last frontend did can still be read (state, counters) until the next one.
 */
static void
connection_reset(struct cvqsim_dev *dev, bool new_conn)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++) {
		dev->queues[i].enabled = false;
		dev->queues[i].owns_indices = false;
		dev->queues[i].paused = false;
	}
	dev->configured = false;
	dev->features_valid = false;
	dev->status_proto = false;
	dev->driver_status = 0;
	rte_spinlock_lock(&dev->poll_lock);
	dev->failed = false;
	dev->device_status = 0;
	dev->config_change = false;
	dev->cvq_serve = true;
	if (new_conn) {
		memset(&dev->setup_time, 0, sizeof(dev->setup_time));
		reset_model(dev);
	}
	rte_spinlock_unlock(&dev->poll_lock);
}

/*
 * Whether the poller serves the control queue (ctl_lock held): the device
 * uses no buffer before the driver set DRIVER_OK (virtio 1.x "Device
 * Status Field"). That is known when the frontend uses the STATUS protocol
 * feature (SET_STATUS messages; the vhost library also calls dev_conf only
 * after DRIVER_OK then); without it, the control queue is served once its
 * vring is enabled.
 */
static void
cvq_gate_update(struct cvqsim_dev *dev)
{
	bool serve = !dev->status_proto ||
		(dev->driver_status & VIRTIO_CONFIG_S_DRIVER_OK) != 0;

	rte_spinlock_lock(&dev->poll_lock);
	dev->cvq_serve = serve;
	rte_spinlock_unlock(&dev->poll_lock);
	cvqsim_dp_wake(dev);
}

static const struct rte_vhost_user_extern_ops cvqsim_msg_hooks;

/*
 * The device serving vid, with ctl_lock held, binding vid when no
 * connection is bound. A second connection on the same socket is refused:
 * the device has one set of queues.
 */
static struct cvqsim_dev *
dev_lock_vid(int vid, const char *op)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);

	if (dev == NULL) {
		CVQSIM_LOG(ERR, "%s: vid %d is not attached to a cvqsim device",
			op, vid);
		return NULL;
	}
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->vid == -1) {
		dev->vid = vid;
		connection_reset(dev, true);
		if (rte_vhost_extern_callback_register(vid, &cvqsim_msg_hooks,
				dev) != 0)
			CVQSIM_DEV_LOG(WARNING, dev, "cannot hook the vhost-user"
				" messages: a memory table change while queues run"
				" before dev_conf is not handled");
		CVQSIM_DEV_LOG(INFO, dev, "bound to vhost device %d", vid);
	} else if (dev->vid != vid) {
		CVQSIM_DEV_LOG(ERR, dev, "%s: refusing vhost device %d: already"
			" serving vhost device %d", op, vid, dev->vid);
		pthread_mutex_unlock(&dev->ctl_lock);
		return NULL;
	}
	return dev;
}

static void
refresh_features(struct cvqsim_dev *dev)
{
	uint64_t f;

	if (rte_vhost_get_negotiated_features(dev->vid, &f) == 0) {
		dev->negotiated = f;
		dev->features_valid = true;
	}
	if (!dev->status_proto &&
			rte_vhost_get_negotiated_protocol_features(dev->vid, &f) == 0 &&
			(f & BIT64(VHOST_USER_PROTOCOL_F_STATUS))) {
		dev->status_proto = true;
		cvq_gate_update(dev);
	}
}

static bool
mem_table_equal(const struct cvqsim_dev *dev, const struct rte_vhost_memory *mem)
{
	uint32_t i;

	if (dev->mem == NULL || dev->nr_mem != mem->nregions)
		return false;
	for (i = 0; i < mem->nregions; i++) {
		const struct rte_vhost_mem_region *r = &mem->regions[i];

		if (dev->mem[i].gpa != r->guest_phys_addr ||
				dev->mem[i].hva != r->host_user_addr ||
				dev->mem[i].size != r->size)
			return false;
	}
	return true;
}

/*
 * Build AS 0 from the vhost-user memory table when it differs from the one
 * it was built from: iova = guest physical address, hva = this process's
 * mapping, read-write. Queues set up on the old table re-translate their
 * rings on their next use (the AS generation changed), or stop the device
 * if the rings are no longer mapped.
 */
static int
dev_sync_as(struct cvqsim_dev *dev)
{
	struct cvqsim_as *as0 = &dev->as_set.as[0];
	struct rte_vhost_memory *mem = NULL;
	struct cvqsim_mem_region *regions;
	uint32_t i;
	int ret = 0;

	if (rte_vhost_get_mem_table(dev->vid, &mem) != 0 || mem == NULL) {
		CVQSIM_DEV_LOG(ERR, dev, "no memory table from the frontend yet");
		return -ENODATA;
	}
	if (mem_table_equal(dev, mem)) {
		free(mem);
		return 0;
	}
	regions = calloc(mem->nregions ? mem->nregions : 1, sizeof(*regions));
	if (regions == NULL) {
		free(mem);
		return -ENOMEM;
	}

	rte_spinlock_lock(&dev->poll_lock);
	cvqsim_as_clear(as0);
	for (i = 0; i < mem->nregions; i++) {
		const struct rte_vhost_mem_region *r = &mem->regions[i];

		regions[i].gpa = r->guest_phys_addr;
		regions[i].hva = r->host_user_addr;
		regions[i].size = r->size;
		ret = cvqsim_as_map(as0, r->guest_phys_addr, r->size,
			r->host_user_addr, CVQSIM_PERM_RW);
		if (ret < 0) {
			CVQSIM_DEV_LOG(ERR, dev, "memory region %u [0x%" PRIx64
				", +0x%" PRIx64 ") rejected by AS 0: %s", i,
				r->guest_phys_addr, r->size, strerror(-ret));
			cvqsim_as_clear(as0);
			break;
		}
	}
	rte_spinlock_unlock(&dev->poll_lock);

	free(dev->mem);
	if (ret < 0) {
		dev->mem = NULL;
		dev->nr_mem = 0;
		free(regions);
	} else {
		dev->mem = regions;
		dev->nr_mem = mem->nregions;
		CVQSIM_DEV_LOG(INFO, dev, "AS 0 built from %u memory regions",
			mem->nregions);
	}
	free(mem);
	return ret;
}

/* Guest address of a pointer into the frontend's memory, like ifc's hva_to_gpa. */
static int
hva_to_iova(const struct cvqsim_dev *dev, const void *ptr, uint64_t *iova)
{
	uint64_t hva = (uint64_t)(uintptr_t)ptr;
	uint32_t i;

	for (i = 0; i < dev->nr_mem; i++) {
		const struct cvqsim_mem_region *r = &dev->mem[i];

		if (hva >= r->hva && hva - r->hva < r->size) {
			*iova = r->gpa + (hva - r->hva);
			return 0;
		}
	}
	return -EFAULT;
}

/* With every enabled queue served again, a failed device has recovered. */
static void
dev_check_recovered(struct cvqsim_dev *dev)
{
	uint16_t i;

	if (!dev->failed)
		return;
	for (i = 0; i < dev->nr_queues; i++)
		if (dev->queues[i].enabled && !dev->queues[i].vq.ready)
			return;
	rte_spinlock_lock(&dev->poll_lock);
	dev->failed = false;
	dev->device_status &= ~VIRTIO_CONFIG_S_NEEDS_RESET;
	rte_spinlock_unlock(&dev->poll_lock);
	CVQSIM_DEV_LOG(NOTICE, dev, "recovered: every enabled queue set up again");
}

/*
 * Serve vring (in dev->queues[slot]): map its rings through the AS of the
 * queue's group and resume at the indices the vhost library holds (set by
 * the frontend's SET_VRING_BASE, or handed back by queue_stop).
 */
static void
setup_time_queue(struct cvqsim_dev *dev, uint64_t cycles)
{
	struct cvqsim_setup_time *t = &dev->setup_time;

	t->queue_start_cycles += cycles;
	t->queue_start_max_cycles = RTE_MAX(t->queue_start_max_cycles, cycles);
	t->queues_started++;
}

static int
queue_start(struct cvqsim_dev *dev, uint16_t vring, int slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	uint64_t t0 = rte_rdtsc();
	struct rte_vhost_vring vr;
	uint64_t desc, avail, used;
	uint16_t last_avail, last_used;
	int ret;

	ret = dev_sync_as(dev);
	if (ret < 0)
		return ret;
	if (rte_vhost_get_vhost_vring(dev->vid, vring, &vr) != 0 ||
			vr.desc == NULL || vr.avail == NULL || vr.used == NULL) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: rings not available", vring);
		return -ENODATA;
	}
	if (hva_to_iova(dev, vr.desc, &desc) < 0 ||
			hva_to_iova(dev, vr.avail, &avail) < 0 ||
			hva_to_iova(dev, vr.used, &used) < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: rings outside the memory table",
			vring);
		return -EFAULT;
	}
	if (rte_vhost_get_vring_base(dev->vid, vring, &last_avail, &last_used) != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: no ring base", vring);
		return -ENODATA;
	}

	rte_spinlock_lock(&dev->poll_lock);
	ret = cvqsim_vq_setup(&q->vq,
		cvqsim_as_set_group_as(&dev->as_set, q->vq.group),
		desc, avail, used, vr.size, last_avail, last_used,
		dev->negotiated & BIT64(VIRTIO_RING_F_EVENT_IDX),
		dev->negotiated & BIT64(VIRTIO_RING_F_INDIRECT_DESC));
	if (ret == 0) {
		q->vq.index = vring;
		q->vq.kickfd = vr.kickfd >= 0 ? vr.kickfd : -1;
		q->vq.callfd = vr.callfd >= 0 ? vr.callfd : -1;
		q->owns_indices = true;
		q->coal_pending = 0;
		/* Every mode starts busy-polling: no kicks wanted. */
		cvqsim_vq_enable_kick(&q->vq, false);
	}
	rte_spinlock_unlock(&dev->poll_lock);

	if (ret < 0) {
		CVQSIM_DEV_LOG(ERR, dev, "vring %u: cannot set up: %s", vring,
			q->vq.error ? q->vq.error : strerror(-ret));
		return ret;
	}
	/* The log line is not part of the cost (INFO is off by default). */
	setup_time_queue(dev, rte_rdtsc() - t0);
	CVQSIM_DEV_LOG(INFO, dev, "vring %u up (group %u): size %u, avail %u,"
		" used %u, kickfd %d, callfd %d", vring, q->vq.group, vr.size,
		last_avail, last_used, q->vq.kickfd, q->vq.callfd);
	dev_check_recovered(dev);
	cvqsim_dp_wake(dev);
	return 0;
}

/*
 * Stop serving a queue; once poll_lock is ours the poller is outside the
 * device and will not touch the queue again. Hand the indices back to the
 * vhost library: GET_VRING_BASE replies with them, and a later enable
 * without a new SET_VRING_BASE resumes from them.
 */
static void
queue_stop(struct cvqsim_dev *dev, int slot)
{
	struct cvqsim_queue *q = &dev->queues[slot];
	bool was_ready;

	rte_spinlock_lock(&dev->poll_lock);
	was_ready = q->vq.ready;
	cvqsim_vq_teardown(&q->vq);
	rte_spinlock_unlock(&dev->poll_lock);

	if (!q->owns_indices)
		return;
	/*
	 * Only once per setup: a later stop must not overwrite what the
	 * frontend sets with SET_VRING_BASE in between.
	 */
	q->owns_indices = false;
	rte_vhost_set_vring_base(dev->vid, q->vq.index, q->vq.last_avail_idx,
		q->vq.used_idx);
	if (was_ready)
		CVQSIM_DEV_LOG(INFO, dev, "vring %u down: avail %u, used %u",
			q->vq.index, q->vq.last_avail_idx, q->vq.used_idx);
}

/*
 * SET_MEM_TABLE unmaps the frontend's old memory inside the vhost library.
 * It calls dev_close first only when the device is configured, and dev_conf
 * may never come (see the file comment) while queues already run: so stop
 * every served queue before the message is handled, and serve them again,
 * through an AS rebuilt from the new table, once it is.
 */
#define CVQSIM_VHOST_USER_SET_MEM_TABLE	5	/* vhost-user message numbers */
#define CVQSIM_VHOST_USER_SET_STATUS	39
/* The message: u32 request, u32 flags, u32 size, then the payload. */
#define CVQSIM_VHOST_USER_PAYLOAD_OFF	12

static uint32_t
msg_request(const void *msg)
{
	uint32_t request;

	memcpy(&request, msg, sizeof(request));
	return request;
}

static bool
is_set_mem_table(const void *msg)
{
	return msg_request(msg) == CVQSIM_VHOST_USER_SET_MEM_TABLE;
}

/*
 * SET_STATUS: the driver status byte. DRIVER_OK opens the control queue;
 * 0 is a device reset: the model returns to its reset state (the driver
 * negotiates again) and NEEDS_RESET is cleared.
 */
static void
on_set_status(struct cvqsim_dev *dev, const void *msg)
{
	uint64_t status;

	memcpy(&status, (const uint8_t *)msg + CVQSIM_VHOST_USER_PAYLOAD_OFF,
		sizeof(status));
	dev->status_proto = true;
	dev->driver_status = (uint8_t)status;
	if (status == 0) {
		rte_spinlock_lock(&dev->poll_lock);
		reset_model(dev);
		if (!dev->failed)
			dev->device_status &= ~VIRTIO_CONFIG_S_NEEDS_RESET;
		rte_spinlock_unlock(&dev->poll_lock);
	}
	cvq_gate_update(dev);
}

static enum rte_vhost_msg_result
cvqsim_pre_msg(int vid, void *msg)
{
	struct cvqsim_dev *dev;
	uint16_t i;

	if (msg_request(msg) == CVQSIM_VHOST_USER_SET_STATUS) {
		dev = dev_lock_vid(vid, "SET_STATUS");
		if (dev != NULL) {
			on_set_status(dev, msg);
			pthread_mutex_unlock(&dev->ctl_lock);
		}
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	}
	if (!is_set_mem_table(msg))
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	dev = dev_lock_vid(vid, "SET_MEM_TABLE");
	if (dev == NULL)
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	for (i = 0; i < dev->nr_queues; i++) {
		if (!dev->queues[i].vq.ready)
			continue;
		queue_stop(dev, i);
		dev->queues[i].paused = true;
	}
	rte_spinlock_lock(&dev->poll_lock);
	cvqsim_as_clear(&dev->as_set.as[0]);
	rte_spinlock_unlock(&dev->poll_lock);
	/* The library unmaps the old memory next: no look at its rings. */
	cvqsim_dp_sync(dev);
	free(dev->mem);
	dev->mem = NULL;
	dev->nr_mem = 0;
	pthread_mutex_unlock(&dev->ctl_lock);
	return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

static enum rte_vhost_msg_result
cvqsim_post_msg(int vid, void *msg)
{
	struct cvqsim_dev *dev;
	uint16_t i;

	if (!is_set_mem_table(msg))
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	dev = dev_lock_vid(vid, "SET_MEM_TABLE");
	if (dev == NULL)
		return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
	for (i = 0; i < dev->nr_queues; i++) {
		struct cvqsim_queue *q = &dev->queues[i];

		if (!q->paused)
			continue;
		q->paused = false;
		if (q->enabled && !q->vq.ready)
			queue_start(dev, q->vq.index, i);
	}
	pthread_mutex_unlock(&dev->ctl_lock);
	return RTE_VHOST_MSG_RESULT_NOT_HANDLED;
}

static const struct rte_vhost_user_extern_ops cvqsim_msg_hooks = {
	.pre_msg_handle = cvqsim_pre_msg,
	.post_msg_handle = cvqsim_post_msg,
};

static int
cvqsim_set_vring_state(int vid, int vring, int state)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	int slot, ret = 0;

	if (dev == NULL)
		return -ENODEV;
	refresh_features(dev);
	slot = vring < 0 || vring > UINT16_MAX ? -1 :
		cvqsim_vring_to_slot(dev, cvqsim_layout_features(dev),
			(uint16_t)vring);
	if (slot < 0) {
		CVQSIM_DEV_LOG(WARNING, dev, "vring %d is not a queue of this"
			" device (%u pairs, features 0x%" PRIx64 "): ignored",
			vring, dev->conf.max_pairs, cvqsim_layout_features(dev));
		pthread_mutex_unlock(&dev->ctl_lock);
		return -EINVAL;
	}
	dev->queues[slot].enabled = state != 0;
	if (slot != cvqsim_cvq_slot(dev)) {
		rte_spinlock_lock(&dev->poll_lock);
		cvqsim_net_set_vq_enabled(&dev->net, (uint16_t)vring, state != 0);
		rte_spinlock_unlock(&dev->poll_lock);
	}
	if (state)
		ret = queue_start(dev, (uint16_t)vring, slot);
	else
		queue_stop(dev, slot);
	pthread_mutex_unlock(&dev->ctl_lock);
	return ret;
}

static int
cvqsim_set_features(int vid)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	uint16_t i;

	if (dev == NULL)
		return -ENODEV;
	refresh_features(dev);
	rte_spinlock_lock(&dev->poll_lock);
	cvqsim_net_set_features(&dev->net, dev->negotiated);
	/* set_features marks every data vq enabled: restore what is known. */
	for (i = 0; i < cvqsim_cvq_index(dev, dev->negotiated); i++)
		cvqsim_net_set_vq_enabled(&dev->net, i, dev->queues[i].enabled);
	/*
	 * A vhost-user frontend that keeps the control queue to itself
	 * (virtio-user and QEMU clear CTRL_VQ in SET_FEATURES but keep MQ)
	 * never sends VQ_PAIRS_SET: it puts pairs in use by enabling their
	 * vrings. Every pair is then in use as far as the model goes, and the
	 * enabled vrings decide.
	 */
	if (!(dev->negotiated & BIT64(VIRTIO_NET_F_CTRL_VQ)) &&
			(dev->negotiated & (BIT64(VIRTIO_NET_F_MQ) |
				BIT64(VIRTIO_NET_F_RSS))))
		cvqsim_net_ctrl_ops.vq_pairs_set(&dev->net,
			cvqsim_net_queue_pairs_max(&dev->net));
	rte_spinlock_unlock(&dev->poll_lock);
	CVQSIM_DEV_LOG(INFO, dev, "features negotiated: 0x%" PRIx64,
		dev->negotiated);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

static int
cvqsim_dev_conf(int vid)
{
	uint64_t t0 = rte_rdtsc();
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	uint64_t cycles;
	uint16_t i;
	int ret;

	if (dev == NULL)
		return -ENODEV;
	refresh_features(dev);
	ret = dev_sync_as(dev);
	if (ret < 0) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return ret;
	}
	dev->configured = true;
	/* With STATUS, the vhost library configures only after DRIVER_OK. */
	if (dev->status_proto) {
		dev->driver_status |= VIRTIO_CONFIG_S_DRIVER_OK;
		cvq_gate_update(dev);
	}
	/*
	 * Queues already enabled but not served were stopped by a dev_close
	 * for a memory table change (the vhost library does not re-enable
	 * them): serve them again. A device stopped by a ring violation is
	 * not restarted here: after NEEDS_RESET it waits for the driver to
	 * set its queues up again or to reset it.
	 */
	for (i = 0; i < dev->nr_queues && !dev->failed; i++) {
		struct cvqsim_queue *q = &dev->queues[i];

		if (q->enabled && !q->vq.ready)
			queue_start(dev, q->vq.index, i);
	}
	cycles = rte_rdtsc() - t0;
	dev->setup_time.dev_conf_cycles = cycles;
	dev->setup_time.dev_conf_calls++;
	CVQSIM_DEV_LOG(INFO, dev, "configured (vhost device %d) in %.1f us", vid,
		(double)cvqsim_cycles_to_ns(cycles) / 1e3);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

static void
stop_all_queues(struct cvqsim_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->nr_queues; i++)
		queue_stop(dev, i);
}

static int
cvqsim_dev_close(int vid)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);

	if (dev == NULL)
		return -ENODEV;
	stop_all_queues(dev);
	dev->configured = false;
	CVQSIM_DEV_LOG(INFO, dev, "closed (vhost device %d)", vid);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

/* The connection is gone; runs before the frontend's memory is unmapped. */
static int
cvqsim_dev_cleanup(int vid)
{
	struct cvqsim_dev *dev = cvqsim_dev_from_vid(vid);
	uint16_t i;

	if (dev == NULL)
		return -ENODEV;
	pthread_mutex_lock(&dev->ctl_lock);
	if (dev->vid != vid) {
		pthread_mutex_unlock(&dev->ctl_lock);
		return 0;
	}
	rte_spinlock_lock(&dev->poll_lock);
	for (i = 0; i < dev->nr_queues; i++)
		cvqsim_vq_teardown(&dev->queues[i].vq);
	cvqsim_as_clear(&dev->as_set.as[0]);
	rte_spinlock_unlock(&dev->poll_lock);
	/* The library unmaps the memory next: no look at its rings. */
	cvqsim_dp_sync(dev);
	free(dev->mem);
	dev->mem = NULL;
	dev->nr_mem = 0;
	connection_reset(dev, false);
	dev->vid = -1;
	CVQSIM_DEV_LOG(INFO, dev, "released vhost device %d", vid);
	pthread_mutex_unlock(&dev->ctl_lock);
	cvqsim_dp_wake(dev);
	return 0;
}

static int
cvqsim_get_config(int vid, uint8_t *config, uint32_t size)
{
	struct cvqsim_dev *dev = dev_lock_vid(vid, __func__);
	uint32_t len;

	if (dev == NULL)
		return -ENODEV;
	/* Only the fields the offered features make present (QEMU's rule). */
	len = RTE_MIN(size, cvqsim_net_config_size(dev->features));
	memset(config, 0, size);
	rte_spinlock_lock(&dev->poll_lock);
	cvqsim_net_config_read(&dev->net, 0, config, len);
	rte_spinlock_unlock(&dev->poll_lock);
	pthread_mutex_unlock(&dev->ctl_lock);
	return 0;
}

struct rte_vdpa_dev_ops cvqsim_vdpa_ops = {
	.get_queue_num = cvqsim_get_queue_num,
	.get_features = cvqsim_get_features,
	.get_protocol_features = cvqsim_get_protocol_features,
	.dev_conf = cvqsim_dev_conf,
	.dev_close = cvqsim_dev_close,
	.dev_cleanup = cvqsim_dev_cleanup,
	.set_vring_state = cvqsim_set_vring_state,
	.set_features = cvqsim_set_features,
	.get_stats_names = cvqsim_get_stats_names,
	.get_stats = cvqsim_get_stats,
	.reset_stats = cvqsim_reset_stats,
	.get_config = cvqsim_get_config,
	.get_dev_type = cvqsim_get_dev_type,
};

uint64_t
cvqsim_ops_dev_type_calls(void)
{
	return __atomic_load_n(&cvqsim_dev_type_calls, __ATOMIC_RELAXED);
}

#define SELFTEST_FAIL(dev, fmt, ...) do { \
	CVQSIM_DEV_LOG(ERR, dev, "self-test: " fmt, ##__VA_ARGS__); \
	return -EPROTO; \
} while (0)

/*
 * Go through the public vDPA API the way an application does and check
 * that each call lands in our ops with our values: a wrong member offset in
 * cvqsim_sdk.h would call another op or read garbage.
 */
int
cvqsim_ops_selftest(struct cvqsim_dev *dev, uint64_t dev_type_calls_before)
{
	unsigned int nstats = CVQSIM_ALL_STATS, i;
	struct rte_vdpa_stat_name names[CVQSIM_ALL_STATS];
	struct rte_vdpa_stat stats[CVQSIM_ALL_STATS];
	uint64_t features = 0, pfeatures = 0;
	uint32_t qnum = 0;
	uint16_t cvq;
	int ret;

	if (cvqsim_ops_dev_type_calls() == dev_type_calls_before)
		SELFTEST_FAIL(dev, "registration did not call get_dev_type");
	if (rte_vdpa_find_device_by_name(dev->name) != dev->vdpa)
		SELFTEST_FAIL(dev, "rte_vdpa_find_device_by_name(\"%s\") does not"
			" return the registered device", dev->name);
	if (rte_vdpa_get_rte_device(dev->vdpa) != &dev->vdev->device)
		SELFTEST_FAIL(dev, "rte_vdpa_get_rte_device does not return our"
			" rte_device");
	ret = rte_vdpa_get_queue_num(dev->vdpa, &qnum);
	if (ret != 0 || qnum != dev->conf.max_pairs)
		SELFTEST_FAIL(dev, "rte_vdpa_get_queue_num: ret %d, %u pairs,"
			" expected %u", ret, qnum, dev->conf.max_pairs);
	ret = rte_vdpa_get_features(dev->vdpa, &features);
	if (ret != 0 || features != dev->features)
		SELFTEST_FAIL(dev, "rte_vdpa_get_features: ret %d, 0x%" PRIx64
			", expected 0x%" PRIx64, ret, features, dev->features);
	ret = rte_vdpa_get_protocol_features(dev->vdpa, &pfeatures);
	if (ret != 0 || pfeatures != dev->protocol_features)
		SELFTEST_FAIL(dev, "rte_vdpa_get_protocol_features: ret %d, 0x%"
			PRIx64 ", expected 0x%" PRIx64, ret, pfeatures,
			dev->protocol_features);
	ret = rte_vdpa_get_stats_names(dev->vdpa, NULL, 0);
	if (ret != (int)nstats)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats_names(NULL): %d, expected %u",
			ret, nstats);
	memset(names, 0, sizeof(names));
	ret = rte_vdpa_get_stats_names(dev->vdpa, names, nstats);
	if (ret != (int)nstats)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats_names: %d, expected %u",
			ret, nstats);
	for (i = 0; i < nstats; i++)
		if (strcmp(names[i].name, any_stat_name(i)) != 0)
			SELFTEST_FAIL(dev, "stat name %u is \"%.*s\", expected \"%s\"",
				i, (int)sizeof(names[i].name), names[i].name,
				any_stat_name(i));
	/* A data queue has the per-queue counters, the control queue all. */
	ret = rte_vdpa_get_stats(dev->vdpa, 0, stats, nstats);
	if (ret != (int)RTE_DIM(cvqsim_stat_names))
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats(queue 0): %d, expected %u",
			ret, (unsigned int)RTE_DIM(cvqsim_stat_names));
	cvq = cvqsim_cvq_index(dev, cvqsim_layout_features(dev));
	ret = rte_vdpa_get_stats(dev->vdpa, cvq, stats, nstats);
	if (ret != (int)nstats)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats(queue %u): %d, expected %u",
			cvq, ret, nstats);
	for (i = 0; i < nstats; i++)
		if (stats[i].id != i || stats[i].value != 0)
			SELFTEST_FAIL(dev, "stat %u: id %" PRIu64 " value %" PRIu64
				", expected id %u value 0", i, stats[i].id,
				stats[i].value, i);
	ret = rte_vdpa_reset_stats(dev->vdpa, 0);
	if (ret != 0)
		SELFTEST_FAIL(dev, "rte_vdpa_reset_stats(queue 0): %d", ret);
	ret = rte_vdpa_get_stats(dev->vdpa, (uint16_t)dev->nr_queues, stats, nstats);
	if (ret != -EINVAL)
		SELFTEST_FAIL(dev, "rte_vdpa_get_stats(queue %u) accepted a queue"
			" the device does not have: %d", dev->nr_queues, ret);
	CVQSIM_DEV_LOG(DEBUG, dev, "self-test passed");
	return 0;
}
