/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The frontend's life cycle (frontend.h): create, connect and learn what
 * the device offers, negotiate, bring the device up, stop, resume on the
 * same or another socket, reset, destroy. The messages go through fe_vu.c,
 * the rings come from fe_rings.c.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/virtio_config.h>

#include "frontend.h"


/* ---- configuration ---- */

static bool
pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

int
fe_dev_create(const struct fe_config *cfg, struct fe_dev **out, char *err,
		size_t errlen)
{
	struct fe_dev *dev;

	*out = NULL;
	if (cfg->socket_path == NULL || cfg->socket_path[0] == '\0' ||
			strlen(cfg->socket_path) >=
			sizeof(((struct sockaddr_un *)NULL)->sun_path)) {
		snprintf(err, errlen, "socket path missing or too long");
		return -EINVAL;
	}
	if (!pow2(cfg->ring_size) || cfg->ring_size > 32768 ||
			!pow2(cfg->ctrl_ring_size) || cfg->ctrl_ring_size > 4096) {
		snprintf(err, errlen, "ring sizes must be powers of two");
		return -EINVAL;
	}
	if (cfg->rx_buf_len < 64 || cfg->rx_buf_len > 65536) {
		snprintf(err, errlen, "rx_buf_len must be 64..65536");
		return -EINVAL;
	}
	if (cfg->nr_pairs > FE_MAX_PAIRS) {
		snprintf(err, errlen, "at most %u queue pairs", FE_MAX_PAIRS);
		return -EINVAL;
	}
	if (cfg->gpa_base % 4096 != 0) {
		snprintf(err, errlen, "gpa_base must be page aligned");
		return -EINVAL;
	}
	dev = calloc(1, sizeof(*dev));
	if (dev == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	dev->cfg = *cfg;
	dev->path = strdup(cfg->socket_path);
	dev->cfg.socket_path = dev->path;
	dev->sock = -1;
	dev->mem.fd = -1;
	dev->ctrl_idx = -1;
	dev->cvq.kickfd = dev->cvq.callfd = -1;
	dev->layout = FE_LAYOUT_SPLIT;
	dev->state = FE_STATE_CREATED;
	if (dev->path == NULL) {
		free(dev);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (dev->cfg.ctrl_timeout_ms == 0)
		dev->cfg.ctrl_timeout_ms = 1000;
	if (dev->cfg.reply_timeout_ms == 0)
		dev->cfg.reply_timeout_ms = 10000;
	*out = dev;
	return 0;
}

static int
sock_connect(struct fe_dev *dev)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	uint64_t deadline = fe_now_ns() +
		(uint64_t)dev->cfg.connect_timeout_ms * 1000000ULL;
	int fd, ret;

	strncpy(sa.sun_path, dev->path, sizeof(sa.sun_path) - 1);
	for (;;) {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return fe_err(dev, -errno, "socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			break;
		ret = errno;
		close(fd);
		if ((ret != ENOENT && ret != ECONNREFUSED) ||
				fe_now_ns() >= deadline)
			return fe_err(dev, -ret, "connect %s: %s", dev->path,
				strerror(ret));
		usleep(10000);
	}
	dev->sock = fd;
	return 0;
}

static uint16_t
cfg_le16(const struct fe_dev *dev, uint32_t off)
{
	if (!dev->have_config || off + 2 > dev->config_len)
		return 0;
	return (uint16_t)(dev->config[off] | dev->config[off + 1] << 8);
}

/* GET_CONFIG of the first len bytes. DPDK's handler ignores the offset, so
 * always ask from offset 0. Returns 0, or -EIO if the device answered with
 * no data.
 */
static int
read_config(struct fe_dev *dev, uint32_t len, uint8_t *out)
{
	struct vu_msg reply;
	struct {
		uint32_t offset, size, flags;
		uint8_t region[256];
	} __attribute__((packed)) req = { .offset = 0, .size = len };
	int ret;

	if (len > sizeof(req.region))
		return fe_err(dev, -EINVAL, "config read beyond 256 bytes");
	ret = fe_vu_get(dev, VU_GET_CONFIG, &req, 12 + len, &reply);
	if (ret < 0)
		return ret;
	if (reply.size != 12 + len || reply.p.cfg.size != len)
		return fe_err(dev, -EIO,
			"device returned no config space (%u bytes asked)", len);
	memcpy(out, reply.p.cfg.region, len);
	return 0;
}

static void
learn_config(struct fe_dev *dev)
{
	static const uint32_t sizes[] = {
		sizeof(struct virtio_net_config), 12, 10
	};
	unsigned int i;

	dev->have_config = false;
	dev->config_len = 0;
	if (!(dev->proto & FE_BIT(FE_PROTO_CONFIG)))
		return;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (read_config(dev, sizes[i], dev->config) == 0) {
			dev->have_config = true;
			dev->config_len = sizes[i];
			return;
		}
		if (dev->sock < 0)
			return;	/* the connection died */
	}
}

/* Connect and learn the offer; also used by resume. */
static int
handshake(struct fe_dev *dev)
{
	uint64_t v;
	int ret;

	dev->proto = 0;
	ret = sock_connect(dev);
	if (ret < 0)
		return ret;
	ret = fe_vu_set(dev, VU_SET_OWNER, NULL, 0, NULL, 0);
	if (ret < 0)
		return ret;
	ret = fe_vu_get_u64(dev, VU_GET_FEATURES, &dev->dev_features);
	if (ret < 0)
		return ret;
	dev->proto_offered = 0;
	if (dev->dev_features & FE_BIT(FE_F_PROTOCOL_FEATURES)) {
		ret = fe_vu_get_u64(dev, VU_GET_PROTOCOL_FEATURES,
			&dev->proto_offered);
		if (ret < 0)
			return ret;
		v = dev->proto_offered & dev->cfg.protocol_mask & FE_PROTOCOL_ALL;
		ret = fe_vu_set_u64(dev, VU_SET_PROTOCOL_FEATURES, v);
		if (ret < 0)
			return ret;
		/* From here on REPLY_ACK applies. */
		dev->proto = v;
	}
	dev->queue_num = 0;
	if (dev->proto & FE_BIT(FE_PROTO_MQ)) {
		ret = fe_vu_get_u64(dev, VU_GET_QUEUE_NUM, &v);
		if (ret < 0)
			return ret;
		dev->queue_num = v > 0xffff ? 0xffff : (uint16_t)v;
	}
	learn_config(dev);
	if (dev->sock < 0)
		return -ECONNRESET;
	dev->status = 0;
	if (dev->proto & FE_BIT(FE_PROTO_STATUS)) {
		dev->status = VIRTIO_CONFIG_S_ACKNOWLEDGE;
		ret = fe_vu_set_u64(dev, VU_SET_STATUS, dev->status);
		if (ret < 0)
			return ret;
		dev->status |= VIRTIO_CONFIG_S_DRIVER;
		ret = fe_vu_set_u64(dev, VU_SET_STATUS, dev->status);
		if (ret < 0)
			return ret;
	}
	/* Device maximum: config space first (it also places the CVQ), then
	 * GET_QUEUE_NUM.
	 */
	v = cfg_le16(dev, offsetof(struct virtio_net_config,
		max_virtqueue_pairs));
	if (v < 1 || v > 0x8000)
		v = dev->queue_num;
	dev->max_pairs = (uint16_t)(v == 0 ? 1 : v);
	return 0;
}

int
fe_dev_connect(struct fe_dev *dev)
{
	int ret;

	if (dev->state != FE_STATE_CREATED && dev->state != FE_STATE_BROKEN)
		return fe_err(dev, -EBUSY, "already connected (%s)",
			fe_state_name(dev->state));
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	dev->err[0] = '\0';
	ret = handshake(dev);
	if (ret < 0) {
		if (dev->sock >= 0) {
			close(dev->sock);
			dev->sock = -1;
		}
		dev->state = dev->rings_built ? FE_STATE_BROKEN :
			FE_STATE_CREATED;
		return ret;
	}
	dev->state = FE_STATE_CONNECTED;
	return 0;
}

#define CTRL_DEPENDENT (FE_BIT(VIRTIO_NET_F_CTRL_RX) | \
	FE_BIT(VIRTIO_NET_F_CTRL_VLAN) | FE_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA) | \
	FE_BIT(VIRTIO_NET_F_GUEST_ANNOUNCE) | FE_BIT(VIRTIO_NET_F_MQ) | \
	FE_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	FE_BIT(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | \
	FE_BIT(VIRTIO_NET_F_NOTF_COAL) | FE_BIT(VIRTIO_NET_F_VQ_NOTF_COAL) | \
	FE_BIT(VIRTIO_NET_F_DEVICE_STATS) | FE_BIT(VIRTIO_NET_F_HASH_TUNNEL) | \
	FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT))

/* The features to ask for: offer & mask, minus what the spec's dependency
 * rules forbid (as Linux does: CTRL_VQ-dependent bits need CTRL_VQ).
 */
static uint64_t
choose_features(const struct fe_dev *dev)
{
	uint64_t f;

	if (dev->cfg.force_features != 0)
		return dev->cfg.force_features;
	f = dev->dev_features & dev->cfg.feature_mask & FE_FEATURES_ALL;
	/* The layout is the user's choice, not the device's offer. */
	if (!dev->cfg.packed)
		f &= ~FE_BIT(FE_F_RING_PACKED);
	if (!(f & FE_BIT(VIRTIO_NET_F_CTRL_VQ)))
		f &= ~CTRL_DEPENDENT;
	if (!(f & FE_BIT(VIRTIO_NET_F_CTRL_RX)))
		f &= ~FE_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA);
	if (!(f & (FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT))))
		f &= ~FE_BIT(VIRTIO_NET_F_HASH_TUNNEL);
	/* Without a device maximum we cannot place the CVQ of an MQ device. */
	if (dev->max_pairs == 0)
		f &= ~(FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS));
	if (!(dev->proto & FE_BIT(FE_PROTO_MQ)) && !dev->have_config)
		f &= ~(FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS));
	if (!(f & (FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT))))
		f &= ~FE_BIT(VIRTIO_NET_F_HASH_TUNNEL);
	return f;
}

/* Everything derived from the negotiated features. */
static int
derive_layout(struct fe_dev *dev)
{
	uint64_t f = dev->features;
	bool multi = f & (FE_BIT(VIRTIO_NET_F_MQ) | FE_BIT(VIRTIO_NET_F_RSS));
	uint16_t pairs = multi ? dev->max_pairs : 1;
	uint16_t mtu;

	if (!(f & FE_BIT(32)) && dev->cfg.force_features == 0)
		return fe_err(dev, -ENOTSUP,
			"device does not offer VERSION_1 (legacy is not supported)");
	if (dev->cfg.packed && !(f & FE_BIT(FE_F_RING_PACKED)) &&
			dev->cfg.force_features == 0)
		return fe_err(dev, -ENOTSUP,
			"packed rings asked, the device does not offer RING_PACKED");
	dev->mrg = f & FE_BIT(VIRTIO_NET_F_MRG_RXBUF);
	if (f & FE_BIT(VIRTIO_NET_F_HASH_REPORT))
		dev->hdr_len = sizeof(struct virtio_net_hdr_v1_hash);
	else if (f & (FE_BIT(32) | FE_BIT(VIRTIO_NET_F_MRG_RXBUF)))
		dev->hdr_len = sizeof(struct virtio_net_hdr_v1);
	else
		dev->hdr_len = sizeof(struct virtio_net_hdr);

	dev->nr_pairs = dev->cfg.nr_pairs ? dev->cfg.nr_pairs :
		(pairs < FE_MAX_PAIRS ? pairs : FE_MAX_PAIRS);
	if (dev->nr_pairs > pairs)
		return fe_err(dev, -EINVAL,
			"%u queue pairs asked, the device has %u%s: ask for %u at"
			" most, or give the device more (cvqsim: devarg queues=%u)",
			dev->nr_pairs, pairs, multi ? "" : " (MQ/RSS not negotiated)",
			pairs, dev->nr_pairs);
	dev->ctrl_idx = -1;
	dev->nr_vrings = (uint16_t)(2 * dev->nr_pairs);
	if (f & FE_BIT(VIRTIO_NET_F_CTRL_VQ)) {
		dev->ctrl_idx = 2 * pairs;
		/* Kick/call messages carry the vring index in 8 bits. */
		if (dev->ctrl_idx > (int)VU_VRING_IDX_MASK)
			return fe_err(dev, -ERANGE,
				"control queue index %d cannot be addressed over vhost-user",
				dev->ctrl_idx);
		dev->nr_vrings = (uint16_t)(dev->ctrl_idx + 1);
	}
	dev->ring_size = dev->cfg.ring_size;
	dev->ctrl_ring_size = dev->cfg.ctrl_ring_size;
	mtu = (f & FE_BIT(VIRTIO_NET_F_MTU)) ? cfg_le16(dev, 10) : 0;
	if (mtu < 1500)
		mtu = 1500;
	/* Largest frame: MTU + Ethernet + VLAN tag, within FRAME_MAX_LEN. */
	dev->tx_slot_len = mtu + 18u;
	if (dev->tx_slot_len > FRAME_MAX_LEN)
		dev->tx_slot_len = FRAME_MAX_LEN;
	dev->tx_slot_len = (dev->tx_slot_len + dev->hdr_len + 63u) & ~63u;
	dev->rx_buf_len = dev->cfg.rx_buf_len;
	if (!dev->mrg && dev->rx_buf_len < dev->tx_slot_len)
		dev->rx_buf_len = dev->tx_slot_len;
	if (dev->rx_buf_len <= dev->hdr_len)
		return fe_err(dev, -EINVAL, "rx_buf_len below the header size");
	return 0;
}

static int
set_status(struct fe_dev *dev, uint8_t status)
{
	int ret;

	if (!(dev->proto & FE_BIT(FE_PROTO_STATUS)))
		return 0;
	ret = fe_vu_set_u64(dev, VU_SET_STATUS, status);
	if (ret == 0)
		dev->status = status;
	return ret;
}

int
fe_dev_get_status(struct fe_dev *dev, uint8_t *status)
{
	uint64_t v;
	int ret;

	if (!(dev->proto & FE_BIT(FE_PROTO_STATUS)))
		return fe_err(dev, -ENOTSUP, "STATUS protocol feature not negotiated");
	ret = fe_vu_get_u64(dev, VU_GET_STATUS, &v);
	if (ret < 0)
		return ret;
	*status = (uint8_t)v;
	return 0;
}

/* Base a vring restarts from: the device's GET_VRING_BASE answer, else the
 * device's own completion index (what QEMU does after a backend crash).
 */
static uint16_t
resume_base(struct fe_dev *dev, struct drv_vq *vq)
{
	if (dev->have_base[vq->index] == 1)
		return dev->bases[vq->index];
	return drv_vq_device_used_base(vq);
}

/* SET_FEATURES through DRIVER_OK, on the current connection. */
static int
bring_up(struct fe_dev *dev, bool fresh)
{
	uint8_t st = VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER;
	uint16_t i;
	int ret;

	ret = fe_vu_set_u64(dev, VU_SET_FEATURES, dev->features);
	if (ret < 0)
		return ret;
	if (dev->proto & FE_BIT(FE_PROTO_STATUS)) {
		uint8_t got = 0;

		st |= VIRTIO_CONFIG_S_FEATURES_OK;
		ret = set_status(dev, st);
		if (ret < 0)
			return ret;
		ret = fe_dev_get_status(dev, &got);
		if (ret < 0)
			return ret;
		if (!(got & VIRTIO_CONFIG_S_FEATURES_OK))
			return fe_err(dev, -EPROTO,
				"device cleared FEATURES_OK: features 0x%" PRIx64
				" refused", dev->features);
	}
	if (fresh) {
		ret = fe_rings_build(dev);
		if (ret < 0)
			return ret;
	}
	ret = fe_rings_send_mem_table(dev);
	if (ret < 0)
		return ret;
	for (i = 0; i < dev->nr_vrings; i++) {
		struct drv_vq *vq = fe_dev_vq(dev, i);

		if (vq == NULL)
			continue;
		ret = fe_rings_send_vring(dev, vq, fresh ? drv_vq_avail_base(vq) :
			resume_base(dev, vq));
		if (ret < 0)
			return ret;
	}
	if (dev->features & FE_BIT(FE_F_PROTOCOL_FEATURES)) {
		for (i = 0; i < dev->nr_vrings; i++) {
			if (fe_dev_vq(dev, i) == NULL || (dev->cfg.cvq_first &&
					(int)i != fe_ctrl_vq_index(dev)))
				continue;
			ret = fe_vring_enable(dev, i, true);
			if (ret < 0)
				return ret;
		}
	}
	if (fresh)
		fe_traffic_post_rx(dev);
	ret = set_status(dev, st | VIRTIO_CONFIG_S_DRIVER_OK);
	if (ret < 0)
		return ret;
	for (i = 0; i < dev->nr_vrings; i++) {
		struct drv_vq *vq = fe_dev_vq(dev, i);

		if (vq != NULL) {
			drv_vq_publish(vq);
			drv_vq_notify(vq);
		}
		if (dev->have_base[i] == 1)
			dev->have_base[i] = 2;
	}
	dev->state = FE_STATE_RUNNING;
	return 0;
}

int
fe_dev_start(struct fe_dev *dev)
{
	int ret;

	if (dev->state == FE_STATE_STOPPED && dev->sock >= 0 &&
			dev->rings_built) {
		ret = bring_up(dev, false);
		goto out;
	}
	if (dev->state != FE_STATE_CONNECTED)
		return fe_err(dev, -EINVAL, "start needs a connected device (%s)",
			fe_state_name(dev->state));
	dev->features = choose_features(dev);
	ret = derive_layout(dev);
	if (ret < 0)
		return ret;
	ret = bring_up(dev, true);
out:
	if (ret < 0 && dev->state != FE_STATE_BROKEN)
		dev->state = FE_STATE_CONNECTED;
	return ret;
}

int
fe_dev_stop(struct fe_dev *dev)
{
	struct vu_msg reply;
	uint16_t i;
	int ret = 0;

	if (dev->state != FE_STATE_RUNNING)
		return fe_err(dev, -EINVAL, "stop needs a running device (%s)",
			fe_state_name(dev->state));
	if (dev->features & FE_BIT(FE_F_PROTOCOL_FEATURES)) {
		for (i = 0; i < dev->nr_vrings && ret == 0; i++)
			if (fe_dev_vq(dev, i) != NULL)
				ret = fe_vring_enable(dev, i, false);
	}
	for (i = 0; i < dev->nr_vrings && ret == 0; i++) {
		struct { uint32_t index, num; } st = { i, 0 };

		if (fe_dev_vq(dev, i) == NULL)
			continue;
		ret = fe_vu_get(dev, VU_GET_VRING_BASE, &st, sizeof(st), &reply);
		if (ret < 0)
			break;
		if (reply.size != 8 || reply.p.state.index != i) {
			ret = fe_err(dev, -EPROTO, "bad GET_VRING_BASE reply for %u",
				i);
			break;
		}
		dev->bases[i] = (uint16_t)reply.p.state.num;
		dev->have_base[i] = 1;
	}
	if (ret < 0 && dev->state != FE_STATE_BROKEN)
		return ret;
	if (dev->state != FE_STATE_BROKEN)
		dev->state = FE_STATE_STOPPED;
	return ret;
}

int
fe_dev_set_socket(struct fe_dev *dev, const char *path)
{
	char *p;

	if (dev->state == FE_STATE_RUNNING || dev->state == FE_STATE_CONNECTED)
		return fe_err(dev, -EBUSY, "connected: stop before changing "
			"the socket");
	if (path == NULL || path[0] == '\0' ||
			strlen(path) >= sizeof(((struct sockaddr_un *)NULL)->sun_path))
		return fe_err(dev, -EINVAL, "socket path missing or too long");
	p = strdup(path);
	if (p == NULL)
		return fe_err(dev, -ENOMEM, "out of memory");
	free(dev->path);
	dev->path = p;
	dev->cfg.socket_path = p;
	return 0;
}

int
fe_dev_resume(struct fe_dev *dev)
{
	uint64_t old_proto = dev->proto;
	int ret;

	if (!dev->rings_built ||
			(dev->state != FE_STATE_STOPPED &&
			 dev->state != FE_STATE_BROKEN))
		return fe_err(dev, -EINVAL,
			"resume needs a stopped or broken device with rings (%s)",
			fe_state_name(dev->state));
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	ret = handshake(dev);
	if (ret < 0)
		goto fail;
	if ((dev->features & ~dev->dev_features) != 0 &&
			dev->cfg.force_features == 0) {
		ret = fe_err(dev, -EPROTO,
			"device no longer offers features 0x%" PRIx64,
			dev->features & ~dev->dev_features);
		goto fail;
	}
	if (dev->proto != old_proto) {
		ret = fe_err(dev, -EPROTO,
			"protocol features changed (0x%" PRIx64 " -> 0x%" PRIx64 ")",
			old_proto, dev->proto);
		goto fail;
	}
	ret = bring_up(dev, false);
	if (ret < 0)
		goto fail;
	dev->reconnects++;
	return 0;
fail:
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	dev->state = FE_STATE_BROKEN;
	return ret;
}

int
fe_dev_reset(struct fe_dev *dev)
{
	int ret = 0;

	if (dev->state == FE_STATE_RUNNING)
		ret = fe_dev_stop(dev);
	if (dev->sock >= 0 && dev->state != FE_STATE_BROKEN) {
		int r = set_status(dev, 0);

		if (r < 0 && ret == 0)
			ret = r;
	}
	fe_ctrl_forget(dev);
	fe_traffic_forget(dev);
	fe_rings_free(dev);
	if (dev->sock >= 0 && dev->state != FE_STATE_BROKEN) {
		/* Status 0 undid ACKNOWLEDGE | DRIVER: do them again. */
		dev->state = FE_STATE_CONNECTED;
		if (dev->proto & FE_BIT(FE_PROTO_STATUS)) {
			int r = set_status(dev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
				VIRTIO_CONFIG_S_DRIVER);

			if (r < 0 && ret == 0)
				ret = r;
		}
	} else {
		if (dev->sock >= 0)
			close(dev->sock);
		dev->sock = -1;
		dev->state = FE_STATE_CREATED;
	}
	return ret;
}

void
fe_dev_disconnect(struct fe_dev *dev)
{
	if (dev->sock >= 0) {
		close(dev->sock);
		dev->sock = -1;
	}
	if (dev->state != FE_STATE_CREATED)
		dev->state = dev->rings_built ? FE_STATE_BROKEN : FE_STATE_CREATED;
}

void
fe_dev_destroy(struct fe_dev *dev)
{
	if (dev == NULL)
		return;
	if (dev->state == FE_STATE_RUNNING && dev->sock >= 0)
		fe_dev_stop(dev);
	if (dev->sock >= 0)
		close(dev->sock);
	fe_rings_free(dev);
	drv_mem_free(&dev->mem);
	free(dev->path);
	free(dev);
}

int
fe_dev_open(const struct fe_config *cfg, struct fe_dev **out, char *err,
		size_t errlen)
{
	struct fe_dev *dev;
	int ret;

	ret = fe_dev_create(cfg, &dev, err, errlen);
	if (ret < 0)
		return ret;
	ret = fe_dev_connect(dev);
	if (ret == 0)
		ret = fe_dev_start(dev);
	if (ret < 0) {
		snprintf(err, errlen, "%s", dev->err);
		fe_dev_destroy(dev);
		return ret;
	}
	*out = dev;
	return 0;
}

int
fe_dev_info_get(const struct fe_dev *dev, struct fe_dev_info *info)
{
	memset(info, 0, sizeof(*info));
	info->state = dev->state;
	info->socket_path = dev->path;
	info->device_features = dev->dev_features;
	info->features = dev->features;
	info->protocol_offered = dev->proto_offered;
	info->protocol_features = dev->proto;
	info->queue_num = dev->queue_num;
	info->max_pairs = dev->max_pairs;
	info->nr_pairs = dev->nr_pairs;
	info->nr_vrings = dev->nr_vrings;
	info->ctrl_vq = dev->ctrl_idx;
	info->hdr_len = dev->hdr_len;
	info->ring_size = dev->ring_size;
	info->ctrl_ring_size = dev->ctrl_ring_size;
	info->rx_buf_len = dev->rx_buf_len;
	info->mergeable = dev->mrg;
	info->status = dev->status;
	info->have_config = dev->have_config;
	info->config_len = dev->config_len;
	memcpy(info->config, dev->config, sizeof(info->config));
	if (dev->have_config && dev->config_len >= 6)
		memcpy(info->mac, dev->config, 6);
	info->link_status = cfg_le16(dev, 6);
	info->mtu = cfg_le16(dev, 10);
	info->gpa_base = dev->mem.gpa;
	info->mem_size = dev->mem.size;
	info->reconnects = dev->reconnects;
	return 0;
}

int
fe_dev_read_config(struct fe_dev *dev, uint32_t off, void *buf, uint32_t len)
{
	uint8_t tmp[256];
	int ret;

	if (!(dev->proto & FE_BIT(FE_PROTO_CONFIG)))
		return fe_err(dev, -ENOTSUP, "CONFIG protocol feature not negotiated");
	if (off > sizeof(tmp) || len > sizeof(tmp) - off)
		return fe_err(dev, -EINVAL, "config range beyond 256 bytes");
	ret = read_config(dev, off + len, tmp);
	if (ret < 0)
		return ret;
	memcpy(buf, tmp + off, len);
	if (off + len >= dev->config_len) {
		memcpy(dev->config, tmp, off + len);
		dev->config_len = off + len;
		dev->have_config = true;
	}
	return 0;
}

int
fe_ctrl_vq_index(const struct fe_dev *dev)
{
	return dev->ctrl_idx >= 0 ? dev->ctrl_idx : -ENOTSUP;
}

int
fe_dev_vring_base(const struct fe_dev *dev, uint16_t vring, uint16_t *base)
{
	if (dev->bases == NULL || vring >= dev->nr_vrings ||
			dev->have_base[vring] == 0)
		return -ENOENT;
	*base = dev->bases[vring];
	return 0;
}
