/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef RTE_PMD_CVQSIM_H
#define RTE_PMD_CVQSIM_H

/**
 * @file
 * cvqsim: a software virtio-net vDPA device with a device-side control
 * virtqueue.
 *
 * Devices are named by their vDPA handle, as returned by
 * rte_vdpa_find_device_by_name("vdpa_cvqsim0").
 *
 * @warning
 * @b EXPERIMENTAL: this API may change without prior notice.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_compat.h>
#include <rte_vdpa.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Most queue pairs a device has (vhost-user: 256 vrings, CVQ included). */
#define RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS	127
/** Largest MAC filter table (unicast + multicast entries). */
#define RTE_PMD_CVQSIM_MAC_TABLE_MAX	4096
/** RSS key size and indirection table length the device advertises. */
#define RTE_PMD_CVQSIM_RSS_KEY_SIZE	40
#define RTE_PMD_CVQSIM_RSS_TABLE_LEN	128
/** VLAN ids of the VLAN filter table. */
#define RTE_PMD_CVQSIM_VLAN_IDS		4096
/** Control queue classes defined by virtio 1.4 (0 .. 9). */
#define RTE_PMD_CVQSIM_CTRL_CLASSES	10

/** Virtqueue group of every receive and transmit queue. */
#define RTE_PMD_CVQSIM_GROUP_DATA	0
/** Virtqueue group of the control queue. */
#define RTE_PMD_CVQSIM_GROUP_CVQ	1

/**
 * Whether a vDPA device is a cvqsim device.
 *
 * @return 1 if it is, 0 if not.
 */
__rte_experimental
int rte_pmd_cvqsim_is_cvqsim(struct rte_vdpa_device *dev);

/**
 * Number of virtqueue groups of the device (2: data queues, control queue).
 *
 * @return the count, or -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_num_groups(struct rte_vdpa_device *dev);

/**
 * Number of address spaces (ASIDs) of the device.
 *
 * @return the count, or -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_num_as(struct rte_vdpa_device *dev);

/**
 * Virtqueue group of a virtqueue.
 *
 * The control queue is the last virtqueue: index 2 * max_queue_pairs when
 * VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS is negotiated, 2 otherwise. Before
 * features are negotiated the offered features decide.
 *
 * @return the group, or -EINVAL (not cvqsim, index out of range).
 */
__rte_experimental
int rte_pmd_cvqsim_vq_group(struct rte_vdpa_device *dev, uint16_t vq_index);

/**
 * Address space a virtqueue group is bound to.
 *
 * @return the ASID, or -EINVAL (not cvqsim, bad group).
 */
__rte_experimental
int rte_pmd_cvqsim_group_asid(struct rte_vdpa_device *dev, uint32_t group);

/**
 * Virtio device status bits the device sets by itself: VIRTIO_CONFIG_S_NEEDS_RESET
 * (0x40) from the moment it stopped because the frontend broke a ring, until
 * the frontend sets every enabled queue up again.
 *
 * @return the bits (>= 0), or -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_device_status(struct rte_vdpa_device *dev);

/** Receive modes (control class 0), 0 or 1 each. */
struct rte_pmd_cvqsim_net_rx_mode {
	uint8_t promisc;
	uint8_t allmulti;
	uint8_t alluni;
	uint8_t nomulti;
	uint8_t nouni;
	uint8_t nobcast;
};

/** Hash parameters and receive steering (control class 4). */
struct rte_pmd_cvqsim_net_rss {
	/**
	 * RSS_CONFIG is in force (indirection table, unclassified queue).
	 * Off after reset, VQ_PAIRS_SET and HASH_CONFIG: the last
	 * multiqueue command decides the mode.
	 */
	uint8_t steering;
	/** A hash is computed: hash_types != 0 from RSS_CONFIG/HASH_CONFIG. */
	uint8_t hashing;
	uint8_t key_len;
	uint8_t pad;
	uint32_t hash_types;		/**< VIRTIO_NET_RSS_HASH_TYPE_* */
	uint16_t table_len;		/**< power of two */
	uint16_t unclassified_queue;	/**< queue pair (receiveq N + 1) */
	uint16_t table[RTE_PMD_CVQSIM_RSS_TABLE_LEN];
	/** Zero-padded to 40 bytes. */
	uint8_t key[RTE_PMD_CVQSIM_RSS_KEY_SIZE] __attribute__((aligned(4)));
};

/** Notification coalescing parameters of one virtqueue (class 6). */
struct rte_pmd_cvqsim_net_coal {
	uint32_t max_packets;
	uint32_t max_usecs;
};

/**
 * The virtio-net device model: config space, and everything the control
 * queue and feature negotiation set. This is the device's own state
 * structure (the driver keeps exactly this), copied whole by
 * rte_pmd_cvqsim_net_state_get(). Host byte order.
 */
struct rte_pmd_cvqsim_net_state {
	uint64_t generation;		/**< bumped by every change */
	uint64_t features;		/**< negotiated (0 before FEATURES_OK) */
	/** Config space. mac is also the primary MAC of the receive filter. */
	uint8_t mac[6];
	uint16_t status;		/**< VIRTIO_NET_S_LINK_UP | _ANNOUNCE */
	uint16_t max_queue_pairs;	/**< config max_virtqueue_pairs */
	uint16_t mtu;
	uint32_t speed;
	uint8_t duplex;
	uint8_t rss_max_key_size;
	uint16_t rss_max_indirection_table_length;
	uint32_t supported_hash_types;
	uint32_t supported_tunnel_types;
	/** Pairs in use: 1 after reset, VQ_PAIRS_SET / RSS_CONFIG max_tx_vq. */
	uint16_t curr_queue_pairs;
	struct rte_pmd_cvqsim_net_rx_mode rx_mode;
	/**
	 * MAC filter (QEMU semantics): macs[0 .. uc_count) are unicast,
	 * macs[uc_count .. uc_count + mc_count) multicast. A list that did not
	 * fit sets its overflow flag and stores nothing: that class is then
	 * accepted whole.
	 */
	uint16_t mac_table_capacity;
	uint16_t uc_count;
	uint16_t mc_count;
	uint8_t uc_overflow;
	uint8_t mc_overflow;
	uint8_t macs[RTE_PMD_CVQSIM_MAC_TABLE_MAX][6];
	/** Bit vid set = accepted. All ones when CTRL_VLAN is not negotiated. */
	uint32_t vlan_filter[RTE_PMD_CVQSIM_VLAN_IDS / 32];
	struct rte_pmd_cvqsim_net_rss rss;
	uint32_t tunnel_types;		/**< enabled_tunnel_types */
	uint64_t guest_offloads;	/**< enabled receive offloads (feature bits) */
	/** Coalescing: last TX_SET / RX_SET, and per data vq (2 * pair + tx). */
	struct rte_pmd_cvqsim_net_coal coal_tx;
	struct rte_pmd_cvqsim_net_coal coal_rx;
	struct rte_pmd_cvqsim_net_coal coal_vq[2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS];
	/** Data vq enabled by the driver: bit vq of vq_enabled[vq / 64]. */
	uint64_t vq_enabled[(2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 63) / 64];
	uint64_t announces;		/**< times ANNOUNCE was raised */
};

/** What the receive filter decided for a frame (all but ACCEPT drop it). */
enum rte_pmd_cvqsim_rx_verdict {
	RTE_PMD_CVQSIM_RX_ACCEPT = 0,
	RTE_PMD_CVQSIM_RX_DROP_RUNT,	/**< shorter than an Ethernet header */
	RTE_PMD_CVQSIM_RX_DROP_VLAN,	/**< 802.1Q VID not in the VLAN table */
	RTE_PMD_CVQSIM_RX_DROP_NOBCAST,	/**< broadcast while NOBCAST */
	RTE_PMD_CVQSIM_RX_DROP_NOMULTI,	/**< multicast while NOMULTI */
	RTE_PMD_CVQSIM_RX_DROP_MULTI,	/**< multicast not in the MAC table */
	RTE_PMD_CVQSIM_RX_DROP_NOUNI,	/**< unicast while NOUNI */
	RTE_PMD_CVQSIM_RX_DROP_UNI,	/**< unicast: not primary, not in table */
	RTE_PMD_CVQSIM_RX_VERDICT_MAX
};

/** Device-wide counters of the control queue and of the datapath. */
struct rte_pmd_cvqsim_stats {
	/** Control requests seen (acknowledged or not). */
	uint64_t ctrl_commands;
	/**
	 * Commands acknowledged VIRTIO_NET_OK / VIRTIO_NET_ERR per class
	 * (index RTE_PMD_CVQSIM_CTRL_CLASSES: classes the spec does not define).
	 */
	uint64_t ctrl_ok[RTE_PMD_CVQSIM_CTRL_CLASSES + 1];
	uint64_t ctrl_err[RTE_PMD_CVQSIM_CTRL_CLASSES + 1];
	/** Requests without a writable byte (completed empty, NEEDS_RESET). */
	uint64_t ctrl_no_ack;
	/** Requests over the decoder's size limit (acknowledged ERR). */
	uint64_t ctrl_oversize;
	/** Receive filter: [ACCEPT] frames accepted, the others per reason. */
	uint64_t rx_filter[RTE_PMD_CVQSIM_RX_VERDICT_MAX];
	/** Frames steered to a receive queue that is not in use (dropped). */
	uint64_t rx_inactive;
	/** Frames dropped for want of receive buffers. */
	uint64_t rx_overruns;
	/** Transmitted frames dropped: bad virtio-net header or checksum request. */
	uint64_t tx_malformed;
	/** Frames whose checksum the device completed (offload not enabled). */
	uint64_t tx_csum_completed;
};

/**
 * A consistent copy of the device model: receive modes, MAC and VLAN
 * tables, queue pairs, RSS, offloads, coalescing, config status.
 *
 * @return 0, or -EINVAL (not a cvqsim device, state NULL).
 */
__rte_experimental
int rte_pmd_cvqsim_net_state_get(struct rte_vdpa_device *dev,
		struct rte_pmd_cvqsim_net_state *state);

/**
 * Ask the driver to announce itself (as after a migration): set
 * VIRTIO_NET_S_ANNOUNCE in the config status and send a config-change
 * message to the frontend (needs the SLAVE_REQ and CONFIG protocol
 * features). The driver acknowledges with the control command
 * VIRTIO_NET_CTRL_ANNOUNCE_ACK, which clears the bit.
 *
 * @return 0 when the bit was raised, -EALREADY if it is already set,
 *   -ENOTSUP unless GUEST_ANNOUNCE and CTRL_VQ are negotiated (QEMU's rule),
 *   -ENOTCONN without a frontend, -EINVAL if dev is not a cvqsim device.
 */
__rte_experimental
int rte_pmd_cvqsim_announce(struct rte_vdpa_device *dev);

/**
 * Device-wide counters (since the frontend connected).
 *
 * @return 0, or -EINVAL (not a cvqsim device, stats NULL).
 */
__rte_experimental
int rte_pmd_cvqsim_stats_get(struct rte_vdpa_device *dev,
		struct rte_pmd_cvqsim_stats *stats);

/**
 * What the device's own side of a bring-up cost, measured with rte_rdtsc
 * (the rest of a bring-up is vhost-user messages, outside the driver).
 * Queues are set up one by one when the frontend enables them, mostly
 * before dev_conf, which the vhost library calls once every vring is ready.
 */
struct rte_pmd_cvqsim_setup_time {
	/** Duration of the last dev_conf; 0 if it was never called. */
	uint64_t dev_conf_ns;
	/** dev_conf calls since the frontend connected. */
	uint64_t dev_conf_calls;
	/** Time spent setting queues up since the frontend connected. */
	uint64_t queue_start_ns;
	/** Longest single queue setup. */
	uint64_t queue_start_max_ns;
	/** Queue setups since the frontend connected. */
	uint32_t queues_started;
};

/**
 * Bring-up cost of the current (or last) connection, kept until the next
 * frontend connects.
 *
 * @return 0, or -EINVAL (not a cvqsim device, t NULL).
 */
__rte_experimental
int rte_pmd_cvqsim_setup_time_get(struct rte_vdpa_device *dev,
		struct rte_pmd_cvqsim_setup_time *t);

/**
 * Name of a receive filter verdict ("accept", "drop-vlan", ...).
 *
 * @return the name, "?" for an unknown value.
 */
__rte_experimental
const char *rte_pmd_cvqsim_rx_verdict_name(enum rte_pmd_cvqsim_rx_verdict v);

/**
 * Name of a control queue class ("rx", "mac", ... "unknown" from 10 on).
 */
__rte_experimental
const char *rte_pmd_cvqsim_ctrl_class_name(uint8_t cls);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_CVQSIM_H */
