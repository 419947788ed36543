/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_NET_H
#define CVQSIM_NET_H

/*
 * The virtio-net device model: the state the control queue sets and the
 * per-frame decisions the datapath takes from it (receive filter, RX queue
 * selection with RSS or automatic steering, hash report), plus the device
 * statistics STATS_GET reports.
 *
 * It is the default backend of the CVQ decoder: cvqsim_net_ctrl_ops with the
 * struct cvqsim_net as ctx.
 *
 * Threads and consistency:
 * - Every mutator (CVQ commands through the ops, set_features, reset,
 *   announce, set_link, set_vq_enabled) and every datapath function run on
 *   the thread that owns the device (its poll thread), or while that thread
 *   is stopped. They need no lock between them.
 * - Other threads only read: cvqsim_net_state_get() copies the state under a
 *   seqcount (the writer bumps it around each change; the reader retries
 *   while a change is in flight, so the copy is always one consistent
 *   state), and cvqsim_net_stats_get() reads each counter with a relaxed
 *   atomic load (each counter is exact, the set is not a single instant).
 *   Counters are written only by the owning thread with relaxed atomic
 *   stores, so no counter update needs a locked instruction.
 *
 * Pure C: no EAL. DPDK is used for header-only helpers (rte_softrss,
 * rte_seqcount, byte order).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_seqcount.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_virtio.h"
#include "rte_pmd_cvqsim.h"

/* Encapsulations the steering code can look into for inner hashing. */
#define CVQSIM_NET_TUNNEL_TYPES_SUPPORTED				\
	(VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784 |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2890 |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_7676 |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_UDP |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN_GPE |			\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_IPIP |				\
	 VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE)
/* Statistics types the model counts (STATS_QUERY before feature gating). */
#define CVQSIM_NET_STATS_TYPES_SUPPORTED				\
	(VIRTIO_NET_STATS_TYPE_RX_BASIC | VIRTIO_NET_STATS_TYPE_RX_CSUM | \
	 VIRTIO_NET_STATS_TYPE_RX_GSO | VIRTIO_NET_STATS_TYPE_TX_BASIC |  \
	 VIRTIO_NET_STATS_TYPE_TX_CSUM | VIRTIO_NET_STATS_TYPE_TX_GSO |   \
	 VIRTIO_NET_STATS_TYPE_CVQ)

/* Device parameters, fixed at creation (devargs). */
struct cvqsim_net_params {
	uint8_t mac[6];
	uint16_t max_queue_pairs;	/* 1 .. RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS */
	uint16_t mtu;			/* config mtu (68 .. 65535) */
	uint32_t speed;			/* Mbit/s, 0xffffffff = unknown */
	uint8_t duplex;			/* 1 full, 0 half, 0xff unknown */
	bool link_up;			/* initial VIRTIO_NET_S_LINK_UP */
	/* 0 = RTE_PMD_CVQSIM_MAC_TABLE_DEFAULT; at most RTE_PMD_CVQSIM_MAC_TABLE_MAX. */
	uint16_t mac_table_entries;
	/* 0 = all nine types. */
	uint32_t supported_hash_types;
	/* Subset of CVQSIM_NET_TUNNEL_TYPES_SUPPORTED (0 = none). */
	uint32_t supported_tunnel_types;
};

/*
 * The model's state is the public struct rte_pmd_cvqsim_net_state (one
 * definition, in rte_pmd_cvqsim.h, with its parts rte_pmd_cvqsim_net_rx_mode,
 * _rss and _coal): rte_pmd_cvqsim_net_state_get() hands it out whole.
 * cvqsim_net_state is its name inside the driver and its tests.
 */
#define cvqsim_net_state	rte_pmd_cvqsim_net_state

/*
 * Per-queue counters (virtio 1.4 device statistics), wrapping at 2^64: those
 * of struct virtio_net_stats_rx_basic/_rx_csum and _tx_basic/_tx_csum, in
 * their order (the STATS_GET reply copies them). The device does nothing
 * the GSO types count (it offers no segmentation or coalescing feature and
 * drops a transmitted GSO frame as malformed): the reply writes their
 * fields as 0 and the model carries no counter for them.
 */
struct cvqsim_net_rxq_stats {
	uint64_t notifications;		/* driver kicks on this receiveq */
	uint64_t packets;		/* frames passed to the driver */
	uint64_t bytes;
	uint64_t interrupts;		/* used-buffer notifications sent */
	uint64_t drops;			/* every drop steered to this queue */
	uint64_t drop_overruns;		/* of which: no receive buffer */
	uint64_t csum_valid;		/* delivered with DATA_VALID */
	uint64_t needs_csum;		/* delivered with NEEDS_CSUM */
	uint64_t csum_none;		/* delivered with neither, unchecked */
	uint64_t csum_bad;		/* validated, checksum wrong (no flag) */
};

struct cvqsim_net_txq_stats {
	uint64_t notifications;		/* driver kicks on this transmitq */
	uint64_t packets;		/* frames sent (into the loopback) */
	uint64_t bytes;
	uint64_t interrupts;		/* used-buffer notifications sent */
	uint64_t drops;			/* every frame taken and not sent */
	uint64_t drop_malformed;	/* of which: bad header or chain */
	uint64_t csum_none;		/* sent without NEEDS_CSUM */
	uint64_t needs_csum;		/* sent with NEEDS_CSUM */
};

/*
 * Receive filter verdict; everything but ACCEPT is a drop reason. The public
 * enum rte_pmd_cvqsim_rx_verdict is the definition (its counters are public).
 */
#define cvqsim_net_rx_verdict		rte_pmd_cvqsim_rx_verdict
#define CVQSIM_NET_RX_ACCEPT		RTE_PMD_CVQSIM_RX_ACCEPT
#define CVQSIM_NET_RX_DROP_RUNT		RTE_PMD_CVQSIM_RX_DROP_RUNT
#define CVQSIM_NET_RX_DROP_VLAN		RTE_PMD_CVQSIM_RX_DROP_VLAN
#define CVQSIM_NET_RX_DROP_NOBCAST	RTE_PMD_CVQSIM_RX_DROP_NOBCAST
#define CVQSIM_NET_RX_DROP_NOMULTI	RTE_PMD_CVQSIM_RX_DROP_NOMULTI
#define CVQSIM_NET_RX_DROP_MULTI	RTE_PMD_CVQSIM_RX_DROP_MULTI
#define CVQSIM_NET_RX_DROP_NOUNI	RTE_PMD_CVQSIM_RX_DROP_NOUNI
#define CVQSIM_NET_RX_DROP_UNI		RTE_PMD_CVQSIM_RX_DROP_UNI
#define CVQSIM_NET_RX_VERDICT_MAX	RTE_PMD_CVQSIM_RX_VERDICT_MAX

struct cvqsim_net_stats {
	struct cvqsim_net_rxq_stats rxq[RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS];
	struct cvqsim_net_txq_stats txq[RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS];
	/* Receive filter outcomes: [ACCEPT] accepted, others per drop reason. */
	uint64_t rx_filter[CVQSIM_NET_RX_VERDICT_MAX];
};

struct cvqsim_net {
	rte_seqcount_t seq;		/* guards published */
	struct cvqsim_net_params params;
	struct cvqsim_net_state state;	/* the model: its writer's own */
	struct cvqsim_net_stats stats;
	/*
	 * state as of the last change, for readers on other threads
	 * (cvqsim_net_state_get, config reads): copied in and out with relaxed
	 * atomic loads and stores inside the seqcount, so that the torn copy a
	 * reader retries is not a data race (C11; ThreadSanitizer).
	 */
	struct cvqsim_net_state published;
};

/*
 * Lifecycle, called by the driver.
 */

/*
 * Set the parameters and reset. Returns 0, or -EINVAL for out-of-range
 * parameters (max_queue_pairs, mac_table_entries, mtu, tunnel types).
 */
int cvqsim_net_init(struct cvqsim_net *net,
		const struct cvqsim_net_params *params);

/*
 * Device reset (status 0), with QEMU's defaults: promiscuous on, other RX
 * modes off, empty MAC table, primary MAC = params.mac, VLAN table empty,
 * one queue pair, RSS and hashing off, coalescing 0, tunnel types 0,
 * ANNOUNCE clear, no feature negotiated (guest offloads 0). Statistics are
 * zeroed too.
 */
void cvqsim_net_reset(struct cvqsim_net *net);

/*
 * The driver accepted features (FEATURES_OK). Sets the negotiated features,
 * enables every negotiated receive offload (the spec: offloads start on),
 * fills the VLAN table with ones when CTRL_VLAN was not negotiated (all VLANs
 * pass) or clears it when it was, and marks every data queue of the
 * negotiated layout enabled.
 */
void cvqsim_net_set_features(struct cvqsim_net *net, uint64_t features);

/* Pairs of data queues that exist: max_queue_pairs with MQ or RSS, else 1. */
uint16_t cvqsim_net_queue_pairs_max(const struct cvqsim_net *net);

/*
 * The driver enabled or disabled data vq (SET_VRING_ENABLE, queue reset).
 * Re-enabling a queue resets its coalescing to the last TX_SET/RX_SET.
 */
void cvqsim_net_set_vq_enabled(struct cvqsim_net *net, uint16_t vq_index,
		bool enabled);
bool cvqsim_net_vq_enabled(const struct cvqsim_net *net, uint16_t vq_index);

/*
 * Replace the whole state (and the counters, unless stats is NULL) with a
 * restored one, as one change for seqcount readers: migration restore.
 * Called by the owning thread, or while it is stopped.
 */
void cvqsim_net_state_load(struct cvqsim_net *net,
		const struct cvqsim_net_state *st,
		const struct cvqsim_net_stats *stats);

/*
 * Ask the driver to announce itself (after a migration, or on request): sets
 * VIRTIO_NET_S_ANNOUNCE. Returns true when status changed, and the caller
 * then signals a config change; false (nothing done) unless both
 * GUEST_ANNOUNCE and CTRL_VQ were negotiated (QEMU's rule) or when the bit
 * is already set.
 */
bool cvqsim_net_announce(struct cvqsim_net *net);

/* Set or clear LINK_UP. Returns true when status changed (signal config). */
bool cvqsim_net_set_link(struct cvqsim_net *net, bool up);

/*
 * Config space.
 */

/* Size of virtio_net_config the offered features make present (QEMU rule). */
uint32_t cvqsim_net_config_size(uint64_t offered_features);

/*
 * Copy len bytes of the little-endian config image at offset into buf.
 * Returns the bytes copied (0 past the 28-byte image).
 */
uint32_t cvqsim_net_config_read(const struct cvqsim_net *net,
		uint32_t offset, void *buf, uint32_t len);

/*
 * The control queue backend (ctx = struct cvqsim_net *).
 */
extern const struct cvqsim_ctrl_ops cvqsim_net_ctrl_ops;



/*
 * Counters, written only by the owning thread. The datapath increments them
 * with these helpers (relaxed atomic stores: readers see whole values).
 */
static inline void
cvqsim_net_count(uint64_t *counter, uint64_t n)
{
	__atomic_store_n(counter, __atomic_load_n(counter, __ATOMIC_RELAXED) + n,
		__ATOMIC_RELAXED);
}

/* Filter verdict of one frame (accepted or drop reason). */
static inline void
cvqsim_net_count_filter(struct cvqsim_net *net, enum cvqsim_net_rx_verdict v)
{
	cvqsim_net_count(&net->stats.rx_filter[v], 1);
}

/*
 * The counters of a burst of frames of one queue, gathered in the poller's
 * scratch and added to the model's at the end of the burst: one atomic
 * store per counter and burst instead of per frame.
 */
struct cvqsim_net_tally {
	uint64_t packets;
	uint64_t bytes;
	uint64_t csum_valid;		/* receive only: DATA_VALID */
	uint64_t needs_csum;
	uint64_t csum_none;
	uint64_t csum_bad;		/* receive only: validated, wrong */
};

/* A frame sent with the virtio-net header hdr. */
static inline void
cvqsim_net_tally_tx(struct cvqsim_net_tally *t,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes)
{
	t->packets++;
	t->bytes += bytes;
	if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		t->needs_csum++;
	else
		t->csum_none++;
}

/*
 * A frame received with the virtio-net header hdr; csum_bad: the device
 * validated its checksum and found it wrong (delivered without DATA_VALID).
 */
static inline void
cvqsim_net_tally_rx(struct cvqsim_net_tally *t,
		const struct virtio_net_hdr_v1 *hdr, uint32_t bytes, bool csum_bad)
{
	t->packets++;
	t->bytes += bytes;
	if (hdr->flags & VIRTIO_NET_HDR_F_DATA_VALID)
		t->csum_valid++;
	else if (hdr->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		t->needs_csum++;
	else if (csum_bad)
		t->csum_bad++;
	else
		t->csum_none++;
}

/* Add the frames of a tally sent by transmit pair q / received on pair q. */
void cvqsim_net_count_tx_tally(struct cvqsim_net *net, uint16_t pair,
		const struct cvqsim_net_tally *t);
void cvqsim_net_count_rx_tally(struct cvqsim_net *net, uint16_t pair,
		const struct cvqsim_net_tally *t);

/* A frame taken from transmitq q and not sent; malformed or not. */
void cvqsim_net_count_tx_drop(struct cvqsim_net *net, uint16_t pair,
		bool malformed);
/* A frame steered to receive pair q and dropped; overrun = no buffer. */
void cvqsim_net_count_rx_drop(struct cvqsim_net *net, uint16_t pair,
		bool overrun);
/* A driver notification (kick) on data vq / a device interrupt on data vq. */
void cvqsim_net_count_kick(struct cvqsim_net *net, uint16_t vq_index);
void cvqsim_net_count_interrupt(struct cvqsim_net *net, uint16_t vq_index);

/*
 * Introspection, from any thread.
 */

/* A consistent copy of the state (seqcount read side). */
void cvqsim_net_state_get(const struct cvqsim_net *net,
		struct cvqsim_net_state *out);
/* A copy of the counters (each read atomically). */
void cvqsim_net_stats_get(const struct cvqsim_net *net,
		struct cvqsim_net_stats *out);

#endif /* CVQSIM_NET_H */
