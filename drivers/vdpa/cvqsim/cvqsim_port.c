/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * VF-parent mode: the device's datapath over an rte_ethdev port, the port's
 * set-up and its link. The control commands' side is cvqsim_port_ctrl.c.
 * See cvqsim_port.h for the threading rules.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"
#include "cvqsim_net.h"
#include "cvqsim_port.h"
#include "cvqsim_port_ctrl.h"

/* Descriptors per port queue, and mbufs per queue pair in the pool. */
#define PORT_RING_SIZE		512
#define PORT_POOL_PER_QUEUE	(2 * PORT_RING_SIZE + PORT_BURST)
#define PORT_POOL_CACHE		64
/* Frames of one receive or transmit burst, segments of a receive burst. */
#define PORT_BURST		32
#define PORT_RX_SEGS		(4 * PORT_BURST)
#define PORT_LINK_PERIOD_MS	100
/* TX bursts a full port queue is retried before its frames are dropped. */
#define PORT_TX_RETRIES		4

struct cvqsim_port {
	struct cvqsim_port_ctrl ctrl;	/* the decoder's backend */
	char name[RTE_ETH_NAME_MAX_LEN];
	uint16_t id;
	uint64_t owner_id;
	bool configured_here;		/* the device configured and started it */
	uint16_t nb_rxq;
	uint16_t nb_txq;
	struct rte_mempool *pool;
	uint32_t max_frame;		/* bytes one TX mbuf holds */

	/* The receive burst being delivered, its segments (poller). */
	struct rte_mbuf *rx[PORT_BURST];
	uint16_t nb_rx;
	struct iovec rx_iov[PORT_RX_SEGS];
	/* The transmit burst being built (poller). */
	struct rte_mbuf *tx[PORT_BURST];
	uint16_t nb_tx;

	uint64_t link_next;		/* timer cycle of the next link check */
	uint8_t link_up;		/* last seen (atomic: info readers) */
	struct rte_pmd_cvqsim_port_stats stats;
};

static void
port_count(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
		__ATOMIC_RELAXED);
}

/*
 * Datapath
 */

uint16_t
cvqsim_port_rx_queues(const struct cvqsim_dev *dev)
{
	const struct cvqsim_port *p = dev->port;

	/*
	 * Every started queue: those the device set up follow the pairs in
	 * use where the port can stop queues; frames of a queue beyond them
	 * are steered among the pairs in use.
	 */
	return p->configured_here ? p->ctrl.rxq_started : p->nb_rxq;
}

unsigned int
cvqsim_port_rx_burst(struct cvqsim_dev *dev, uint16_t q,
		struct cvqsim_port_frame *frames, unsigned int max)
{
	struct cvqsim_port *p = dev->port;
	unsigned int i, nseg = 0;

	p->nb_rx = rte_eth_rx_burst(p->id, q, p->rx,
		(uint16_t)RTE_MIN(max, RTE_DIM(p->rx)));
	for (i = 0; i < p->nb_rx; i++) {
		const struct rte_mbuf *seg = p->rx[i];

		frames[i].iov = &p->rx_iov[nseg];
		frames[i].nr = 0;
		frames[i].len = p->rx[i]->pkt_len;
		for (; seg != NULL; seg = seg->next) {
			if (nseg == RTE_DIM(p->rx_iov)) {
				/* More segments than the burst has room for. */
				frames[i].len = 0;
				break;
			}
			p->rx_iov[nseg].iov_base = rte_pktmbuf_mtod(seg, void *);
			p->rx_iov[nseg].iov_len = seg->data_len;
			nseg++;
			frames[i].nr++;
		}
	}
	port_count(&p->stats.rx_frames, p->nb_rx);
	return p->nb_rx;
}

void
cvqsim_port_rx_release(struct cvqsim_dev *dev, unsigned int dropped)
{
	struct cvqsim_port *p = dev->port;

	rte_pktmbuf_free_bulk(p->rx, p->nb_rx);
	p->nb_rx = 0;
	if (dropped > 0)
		port_count(&p->stats.rx_dropped, dropped);
}

/* Copy len bytes at offset off of the iovecs to dst. */
static void
port_copy_in(uint8_t *dst, const struct iovec *iov, unsigned int nr,
		uint32_t off, uint32_t len)
{
	unsigned int i;

	for (i = 0; i < nr && len > 0; i++) {
		uint32_t n;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		n = RTE_MIN(len, (uint32_t)(iov[i].iov_len - off));
		memcpy(dst, (const uint8_t *)iov[i].iov_base + off, n);
		dst += n;
		len -= n;
		off = 0;
	}
}

int
cvqsim_port_tx_frame(struct cvqsim_dev *dev, const struct iovec *iov,
		unsigned int nr, uint32_t off, uint32_t len,
		const struct cvqsim_port_csum *csum)
{
	struct cvqsim_port *p = dev->port;
	struct rte_mbuf *m;
	uint8_t *data;

	m = len <= p->max_frame ? rte_pktmbuf_alloc(p->pool) : NULL;
	if (m == NULL) {
		port_count(&p->stats.tx_dropped, 1);
		return -ENOBUFS;
	}
	data = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)len);
	port_copy_in(data, iov, nr, off, len);
	if (csum->needed) {
		/* The field holds the pseudo-header sum: it is part of the sum. */
		uint16_t c = (uint16_t)~rte_raw_cksum(data + csum->start,
			len - csum->start);

		if (c == 0)
			c = 0xffff;
		memcpy(data + csum->start + csum->offset, &c, sizeof(c));
	}
	p->tx[p->nb_tx++] = m;
	return 0;
}

unsigned int
cvqsim_port_tx_flush(struct cvqsim_dev *dev, uint16_t pair)
{
	struct cvqsim_port *p = dev->port;
	uint16_t q = pair % p->nb_txq, sent = 0;
	unsigned int tries;

	for (tries = 0; tries < PORT_TX_RETRIES && sent < p->nb_tx; tries++)
		sent += rte_eth_tx_burst(p->id, q, p->tx + sent,
			(uint16_t)(p->nb_tx - sent));
	if (sent < p->nb_tx) {
		rte_pktmbuf_free_bulk(p->tx + sent, p->nb_tx - sent);
		port_count(&p->stats.tx_dropped, p->nb_tx - sent);
	}
	port_count(&p->stats.tx_frames, sent);
	p->nb_tx = 0;
	return sent;
}

bool
cvqsim_port_link_poll(struct cvqsim_dev *dev)
{
	struct cvqsim_port *p = dev->port;
	struct rte_eth_link link;
	uint64_t now = rte_get_timer_cycles();

	if (now < p->link_next)
		return false;
	p->link_next = now + rte_get_timer_hz() * PORT_LINK_PERIOD_MS / 1000;
	if (rte_eth_link_get_nowait(p->id, &link) != 0)
		return false;
	__atomic_store_n(&p->link_up, link.link_status == RTE_ETH_LINK_UP,
		__ATOMIC_RELAXED);
	if (!cvqsim_net_set_link(&dev->net, link.link_status == RTE_ETH_LINK_UP))
		return false;
	port_count(&p->stats.link_changes, 1);
	CVQSIM_DEV_LOG(INFO, dev, "port %s link %s", p->name,
		link.link_status == RTE_ETH_LINK_UP ? "up" : "down");
	return true;
}

void
cvqsim_port_info_get(const struct cvqsim_dev *dev,
		struct rte_pmd_cvqsim_port_info *info)
{
	const struct cvqsim_port *p = dev->port;
	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "%s", p->name);
	info->port_id = p->id;
	info->nb_rx_queues = p->nb_rxq;
	info->nb_tx_queues = p->nb_txq;
	info->rx_queues_started = __atomic_load_n(&p->ctrl.rxq_started,
		__ATOMIC_RELAXED);
	info->configured_by_device = p->configured_here;
	info->link_up = __atomic_load_n(&p->link_up, __ATOMIC_RELAXED);
	info->stats.rx_frames = __atomic_load_n(&p->stats.rx_frames,
		__ATOMIC_RELAXED);
	info->stats.rx_dropped = __atomic_load_n(&p->stats.rx_dropped,
		__ATOMIC_RELAXED);
	info->stats.tx_frames = __atomic_load_n(&p->stats.tx_frames,
		__ATOMIC_RELAXED);
	info->stats.tx_dropped = __atomic_load_n(&p->stats.tx_dropped,
		__ATOMIC_RELAXED);
	info->stats.link_changes = __atomic_load_n(&p->stats.link_changes,
		__ATOMIC_RELAXED);
	cvqsim_port_ctrl_cmds_get(&p->ctrl, info);
}

/*
 * Attach and detach
 */

/* Take the port for this device; -EBUSY when someone else owns it. */
static int
port_own(struct cvqsim_dev *dev, struct cvqsim_port *p)
{
	struct rte_eth_dev_owner owner;
	int ret;

	ret = rte_eth_dev_owner_get(p->id, &owner);
	if (ret == 0 && owner.id != RTE_ETH_DEV_NO_OWNER) {
		CVQSIM_DEV_LOG(ERR, dev, "port=%s: the port is busy: owned by"
			" '%s' (give each cvqsim device a port of its own)",
			p->name, owner.name);
		return -EBUSY;
	}
	if (ret == 0)
		ret = rte_eth_dev_owner_new(&p->owner_id);
	if (ret == 0) {
		owner.id = p->owner_id;
		snprintf(owner.name, sizeof(owner.name), "%s", dev->name);
		ret = rte_eth_dev_owner_set(p->id, &owner);
	}
	if (ret != 0)
		CVQSIM_DEV_LOG(ERR, dev, "port=%s: cannot take ownership: %s",
			p->name, strerror(-ret));
	return ret;
}

static int
port_setup_queues(struct cvqsim_port *p)
{
	int socket = rte_eth_dev_socket_id(p->id);
	uint16_t q;
	int ret;

	for (q = 0; q < p->nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(p->id, q, PORT_RING_SIZE, socket,
			NULL, p->pool);
		if (ret != 0)
			return ret;
	}
	for (q = 0; q < p->nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(p->id, q, PORT_RING_SIZE, socket,
			NULL);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/*
 * A port nobody configured: one receive and one transmit queue per pair
 * (fewer if the port has fewer: pairs then share them), RSS across them
 * when the port has it, the VLAN filter offload available when it has it.
 */
static int
port_configure(struct cvqsim_dev *dev, struct cvqsim_port *p,
		const struct rte_eth_dev_info *info)
{
	struct rte_eth_conf conf;
	uint16_t nq = dev->conf.max_pairs;
	int ret;

	memset(&conf, 0, sizeof(conf));
	nq = RTE_MIN(nq, RTE_MIN(info->max_rx_queues, info->max_tx_queues));
	if (nq == 0)
		return -ENOTSUP;
	if (nq > 1 && info->flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = info->flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	}
	ret = rte_eth_dev_configure(p->id, nq, nq, &conf);
	if (ret != 0)
		return ret;
	p->nb_rxq = nq;
	p->nb_txq = nq;
	ret = port_setup_queues(p);
	if (ret != 0)
		return ret;
	p->configured_here = true;
	return rte_eth_dev_start(p->id);
}

static int
port_pool_create(struct cvqsim_dev *dev, struct cvqsim_port *p)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t room = RTE_MAX((uint32_t)RTE_MBUF_DEFAULT_DATAROOM,
		(uint32_t)dev->conf.mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN);

	snprintf(name, sizeof(name), "cvqsim_port_%u", dev->index);
	p->pool = rte_pktmbuf_pool_create(name,
		PORT_POOL_PER_QUEUE * dev->conf.max_pairs, PORT_POOL_CACHE, 0,
		(uint16_t)(room + RTE_PKTMBUF_HEADROOM),
		rte_eth_dev_socket_id(p->id));
	p->max_frame = room;
	return p->pool == NULL ? -rte_errno : 0;
}

/* What the control path needs to know of the port, and its start state. */
static void
port_ctrl_init(struct cvqsim_dev *dev, struct cvqsim_port *p,
		const struct rte_eth_dev_info *info)
{
	struct cvqsim_port_ctrl *c = &p->ctrl;

	c->net = &dev->net;
	c->dev_name = dev->name;
	c->name = p->name;
	c->port_id = p->id;
	c->queues_owned = p->configured_here;
	c->nb_rxq = p->nb_rxq;
	c->rxq_started = p->nb_rxq;	/* rte_eth_dev_start started them */
	c->reta_size = info->reta_size;
	c->rss_offloads = info->flow_type_rss_offloads;
	c->vlan_filter_capable = p->configured_here &&
		(info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_VLAN_FILTER);
	cvqsim_port_ctrl_reset(c);
}

/*
 * Configure and start the port, unless the application already started
 * it (rte_eth_dev_configure then answers -EBUSY): its queues are used as
 * they are, pairs spread over them.
 */
static int
port_start(struct cvqsim_dev *dev, struct cvqsim_port *p,
		const struct rte_eth_dev_info *info)
{
	int ret = port_configure(dev, p, info);

	if (ret != -EBUSY)
		return ret;
	p->nb_rxq = info->nb_rx_queues;
	p->nb_txq = info->nb_tx_queues;
	return p->nb_rxq == 0 || p->nb_txq == 0 ? -EINVAL : 0;
}

static void
port_free(struct cvqsim_port *p)
{
	rte_mempool_free(p->pool);
	rte_free(p->ctrl.hw_uc);
	rte_free(p);
}

int
cvqsim_port_attach(struct cvqsim_dev *dev, const char *name)
{
	struct rte_eth_dev_info info;
	struct cvqsim_port *p;
	int ret;

	p = rte_zmalloc("cvqsim_port", sizeof(*p), RTE_CACHE_LINE_SIZE);
	if (p == NULL)
		return -ENOMEM;
	p->ctrl.hw_uc = rte_calloc("cvqsim_port_uc", dev->conf.mac_table,
		sizeof(*p->ctrl.hw_uc), 0);
	if (p->ctrl.hw_uc == NULL) {
		port_free(p);
		return -ENOMEM;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	if (rte_eth_dev_get_port_by_name(name, &p->id) != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "port=%s: no such ethdev port (create it"
			" first: its --vdev before %s's on the command line)",
			name, dev->name);
		port_free(p);
		return -ENODEV;
	}
	ret = port_own(dev, p);
	if (ret != 0) {
		port_free(p);
		return ret;
	}
	ret = rte_eth_dev_info_get(p->id, &info);
	if (ret == 0)
		ret = port_pool_create(dev, p);
	if (ret == 0)
		ret = port_start(dev, p, &info);
	if (ret != 0) {
		CVQSIM_DEV_LOG(ERR, dev, "port=%s: cannot set the port up: %s",
			name, strerror(ret < 0 ? -ret : ret));
		if (p->configured_here)
			rte_eth_dev_stop(p->id);
		rte_eth_dev_owner_unset(p->id, p->owner_id);
		port_free(p);
		return ret;
	}
	port_ctrl_init(dev, p, &info);
	dev->port = p;
	cvqsim_port_link_poll(dev);
	CVQSIM_DEV_LOG(NOTICE, dev, "port %s (port id %u): %u rx / %u tx queues"
		"%s, link %s", name, p->id, p->nb_rxq, p->nb_txq,
		p->configured_here ? ", set up by the device" : "",
		dev->net.state.status & VIRTIO_NET_S_LINK_UP ? "up" : "down");
	return 0;
}

void
cvqsim_port_detach(struct cvqsim_dev *dev)
{
	struct cvqsim_port *p = dev->port;

	if (p == NULL)
		return;
	dev->port = NULL;
	if (p->nb_tx > 0)
		rte_pktmbuf_free_bulk(p->tx, p->nb_tx);
	/* At EAL cleanup the port's own vdev may have gone first. */
	if (rte_eth_dev_is_valid_port(p->id)) {
		if (p->configured_here)
			rte_eth_dev_stop(p->id);
		rte_eth_dev_owner_unset(p->id, p->owner_id);
	}
	port_free(p);
}

struct cvqsim_port_ctrl *
cvqsim_port_ctrl_of(struct cvqsim_dev *dev)
{
	return &dev->port->ctrl;
}

void
cvqsim_port_reset(struct cvqsim_dev *dev)
{
	struct cvqsim_port *p = dev->port;

	if (p == NULL)
		return;
	cvqsim_port_ctrl_reset(&p->ctrl);
	p->link_next = 0;
	cvqsim_port_link_poll(dev);
}
