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

/**
 * Most queue pairs a device has: the vhost library holds at most 256 vrings
 * (VHOST_MAX_VRING, 22.11) and rejects any message naming a higher index;
 * the control queue of an N-pair device is vring 2N, so N <= 127.
 */
#define RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS	127
/** MAC filter table (unicast + multicast entries): default (QEMU's), most. */
#define RTE_PMD_CVQSIM_MAC_TABLE_DEFAULT	64
#define RTE_PMD_CVQSIM_MAC_TABLE_MAX	4096
/** MTU: default, least (virtio-net: mtu >= 68), most. */
#define RTE_PMD_CVQSIM_MTU_DEFAULT	1500
#define RTE_PMD_CVQSIM_MTU_MIN		68
#define RTE_PMD_CVQSIM_MTU_MAX		9000
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
 * Screen every vhost-user message of a new connection from its first one.
 *
 * Call it from the application's rte_vhost_device_ops.new_connection for
 * a socket a cvqsim device is attached to. The driver then refuses, before
 * the vhost library acts on them, the messages that library would take
 * unchecked and crash on: memory tables whose regions their fds do not
 * cover (or empty, wrapping, overlapping), requests of protocol features
 * that were not negotiated (SET_INFLIGHT_FD, ...), GET_CONFIG beyond the
 * config space, kick/call fds that are not eventfds (see the hardening
 * guide). Without this call the driver starts screening at the first
 * message that reaches the device (SET_FEATURES), and what comes before
 * goes to the library unscreened.
 *
 * @param vid
 *   The vhost device id new_connection was given.
 * @return
 *   0, -ENODEV if no cvqsim device is attached to the connection's
 *   socket, -EIO if the vhost library refused the hooks.
 */
__rte_experimental
int rte_pmd_cvqsim_vhost_connection(int vid);

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
 * @name Address spaces and the IOTLB (the VM case)
 *
 * Modelled on the Linux vhost-vdpa uAPI (VHOST_BACKEND_F_IOTLB_ASID):
 * VHOST_VDPA_GET_VRING_GROUP is rte_pmd_cvqsim_vq_group(),
 * VHOST_VDPA_SET_GROUP_ASID rte_pmd_cvqsim_group_asid_set(),
 * VHOST_IOTLB_UPDATE / VHOST_IOTLB_INVALIDATE of struct vhost_msg_v2 (with
 * its asid) rte_pmd_cvqsim_iotlb_update() / _invalidate(),
 * VHOST_IOTLB_BATCH_BEGIN / _END rte_pmd_cvqsim_iotlb_batch_begin() / _end().
 *
 * ASID 0 is the frontend's memory: the vhost-user memory table, IOVA =
 * guest physical address, read-write; the driver rebuilds it on every
 * SET_MEM_TABLE, so the IOTLB calls refuse it. ASID 1 belongs to the host
 * application (the VMM): it is empty until the application maps its own
 * memory there. A VMM that shadows the control queue binds group
 * RTE_PMD_CVQSIM_GROUP_CVQ to ASID 1, maps its shadow ring and buffers
 * there and points the control queue at them with
 * rte_pmd_cvqsim_vring_addr_set(): the frontend (guest) can then name none
 * of that memory, and the device reaches none of the guest's through the
 * control queue.
 *
 * Every access of a queue goes through its group's AS, rings included,
 * with the permission the access needs (device reads: RO, device writes:
 * WO). An access the AS does not allow is a fault: in a group on ASID 0 it
 * stops the device (NEEDS_RESET), as any ring violation of the frontend
 * does; in a group on another ASID it stops that queue only, counted in its
 * "errors" and logged once with the ASID and the IOVA, while the data
 * queues go on. Unmapping memory a running queue uses stops that queue the
 * same way on its next access; when an IOTLB call returns, the device no
 * longer uses what it removed, and the application may free it.
 *
 * The group binding and the mappings of ASID 1 are the VMM's: they stay
 * across connections (as with VHOST_BACKEND_F_IOTLB_PERSIST) until the VMM
 * changes them, which it does in its vhost new_connection callback: the
 * vhost library may accept a new connection before it has cleaned up the
 * last one, so the end of a connection cannot be the place. The rings set
 * with rte_pmd_cvqsim_vring_addr_set() and the faults are the
 * connection's: forgotten at its end. The DPDK case is every group on
 * ASID 0, as the device starts.
 * @{
 */

/** Device reads the mapping (driver -> device), VHOST_ACCESS_RO. */
#define RTE_PMD_CVQSIM_PERM_RO	0x1
/** Device writes the mapping (device -> driver), VHOST_ACCESS_WO. */
#define RTE_PMD_CVQSIM_PERM_WO	0x2
/** Both, VHOST_ACCESS_RW. */
#define RTE_PMD_CVQSIM_PERM_RW	0x3
/** Most mappings in one address space. */
#define RTE_PMD_CVQSIM_AS_MAX_MAPS	1024

/** One IOTLB entry: [iova, iova + size) -> uaddr in this process. */
struct rte_pmd_cvqsim_iotlb_entry {
	uint64_t iova;
	uint64_t size;		/**< > 0; iova + size does not wrap */
	uint64_t uaddr;		/**< host virtual address of iova */
	uint32_t perm;		/**< RTE_PMD_CVQSIM_PERM_* */
	uint32_t pad;
};

/**
 * Bind a virtqueue group to an address space (VHOST_VDPA_SET_GROUP_ASID).
 *
 * Allowed only while no queue of the group is served: between connections,
 * or on a connection before the frontend enables the group's queues (the
 * vhost new_connection callback is the place). A queue that is running
 * must not change its address space under the driver's feet, so Linux
 * drivers refuse it after DRIVER_OK and so do we. Binding a group to the
 * ASID it is on is always allowed (nothing changes). The data queues'
 * rings are the frontend's, in ASID 0: their group stays there.
 *
 * @return 0, -EBUSY (a queue of the group is served), -ENOTSUP (the data
 *   group on an ASID other than 0), -EINVAL (not a cvqsim device, bad
 *   group or ASID).
 */
__rte_experimental
int rte_pmd_cvqsim_group_asid_set(struct rte_vdpa_device *dev,
		uint32_t group, uint32_t asid);

/**
 * Add a mapping to an address space (VHOST_IOTLB_UPDATE). Inside a batch
 * it takes effect at rte_pmd_cvqsim_iotlb_batch_end().
 *
 * @return 0, -EINVAL (not cvqsim, entry NULL, size 0, wrap-around, overlap
 *   with an existing mapping, bad permission, bad ASID), -EPERM (ASID 0:
 *   the memory table owns it), -ENOSPC (RTE_PMD_CVQSIM_AS_MAX_MAPS),
 *   -ENOMEM.
 */
__rte_experimental
int rte_pmd_cvqsim_iotlb_update(struct rte_vdpa_device *dev, uint32_t asid,
		const struct rte_pmd_cvqsim_iotlb_entry *entry);

/**
 * Remove every mapping inside [iova, iova + size) (VHOST_IOTLB_INVALIDATE).
 * Outside a batch, once it returns the device no longer reads or writes the
 * removed memory; a running queue whose rings or buffers were there stops
 * at its next access (a fault, see above).
 *
 * @return the number of mappings removed (>= 0), -EINVAL (not cvqsim, size
 *   0, a range that would split a mapping, bad ASID), -EPERM (ASID 0),
 *   -ENOMEM.
 */
__rte_experimental
int rte_pmd_cvqsim_iotlb_invalidate(struct rte_vdpa_device *dev,
		uint32_t asid, uint64_t iova, uint64_t size);

/**
 * Open a batch (VHOST_IOTLB_BATCH_BEGIN): the updates and invalidations
 * until rte_pmd_cvqsim_iotlb_batch_end() are applied at once, atomically
 * with respect to the queues: a queue sees every one of them or none.
 *
 * @return 0, -EBUSY (a batch is open), -EINVAL (not cvqsim).
 */
__rte_experimental
int rte_pmd_cvqsim_iotlb_batch_begin(struct rte_vdpa_device *dev);

/**
 * Apply the open batch (VHOST_IOTLB_BATCH_END). When it returns, the device
 * no longer uses the memory the batch removed.
 *
 * @return 0, -EINVAL (not cvqsim, no open batch).
 */
__rte_experimental
int rte_pmd_cvqsim_iotlb_batch_end(struct rte_vdpa_device *dev);

/**
 * The mappings of an address space, in IOVA order: up to max entries from
 * the first-th one (entries may be NULL when max is 0). Inside a batch it
 * shows the batch's view.
 *
 * @return the number of mappings of the AS (>= 0), -EINVAL (not cvqsim,
 *   bad ASID, entries NULL with max > 0).
 */
__rte_experimental
int rte_pmd_cvqsim_iotlb_query(struct rte_vdpa_device *dev, uint32_t asid,
		uint32_t first, struct rte_pmd_cvqsim_iotlb_entry *entries,
		uint32_t max);

/** Ring of a virtqueue in its group's address space (VMM-owned). */
struct rte_pmd_cvqsim_vring_addr {
	uint64_t desc;		/**< IOVA of the descriptor table (RO) */
	uint64_t avail;		/**< IOVA of the avail ring (RO) */
	uint64_t used;		/**< IOVA of the used ring (WO) */
	uint16_t size;		/**< power of two */
	uint16_t last_avail_idx;	/**< where the device starts popping */
	uint16_t used_idx;	/**< where the device starts pushing */
	uint16_t pad;
	int kickfd;		/**< eventfd the VMM kicks, or -1 */
	int callfd;		/**< eventfd the device signals, or -1 */
	/**
	 * VIRTIO_RING_F_EVENT_IDX / _INDIRECT_DESC bits the ring uses, and
	 * VIRTIO_F_RING_PACKED for a packed ring: desc is then its descriptor
	 * ring (RW), avail and used the driver and device event suppression
	 * areas, size any value up to 32768, and the two indices carry the
	 * wrap counter in bit 15 (a fresh ring: 0x8000).
	 */
	uint64_t ring_features;
};

/**
 * Point a virtqueue whose group is bound to an ASID other than 0 at a ring
 * in that address space (what VHOST_SET_VRING_ADDR/NUM/BASE/KICK/CALL do on
 * vhost-vdpa): the VMM's shadow ring instead of the frontend's. The queue
 * is served from it while the frontend has the virtqueue enabled (and,
 * for the control queue, after DRIVER_OK); set while it is served, the
 * queue restarts on the new ring, which also restarts a queue stopped by a
 * fault. addr NULL forgets the ring (the queue stops). The fds stay the
 * caller's. The frontend's own ring of that virtqueue is never touched.
 *
 * @return 0, -EPERM (the queue's group is on ASID 0: its rings come from
 *   the frontend), -EINVAL (not cvqsim, no such queue, bad size), or the
 *   error of the ring setup (-EFAULT: rings not mapped with the access they
 *   need) with the reason logged.
 */
__rte_experimental
int rte_pmd_cvqsim_vring_addr_set(struct rte_vdpa_device *dev,
		uint16_t vq_index, const struct rte_pmd_cvqsim_vring_addr *addr);

/**
 * State of a virtqueue as the device sees it.
 */
struct rte_pmd_cvqsim_vq_info {
	uint8_t enabled;	/**< the frontend enabled the vring */
	uint8_t served;		/**< the device serves it now */
	uint8_t faulted;	/**< stopped by a fault (group not on ASID 0) */
	uint8_t pad;
	uint32_t group;
	uint32_t asid;		/**< its group's ASID */
	/** vring base: next avail and used (packed: wrap counter in bit 15) */
	uint16_t last_avail_idx;
	uint16_t used_idx;
	uint64_t faults;	/**< faults of this queue since the connection */
	char error[128];	/**< reason of the last fault or violation */
};

/**
 * @return 0, -EINVAL (not cvqsim, no such queue, info NULL).
 */
__rte_experimental
int rte_pmd_cvqsim_vq_info_get(struct rte_vdpa_device *dev, uint16_t vq_index,
		struct rte_pmd_cvqsim_vq_info *info);

/** What a VMM hears of the frontend's memory table (VHOST_USER_SET_MEM_TABLE). */
enum rte_pmd_cvqsim_mem_event {
	/**
	 * The vhost library is about to unmap the table the frontend had:
	 * when the callback returns, the VMM no longer touches guest memory
	 * through host addresses it took from that table.
	 */
	RTE_PMD_CVQSIM_MEM_CHANGING,
	/**
	 * The new table is in force (rte_vhost_get_mem_table,
	 * rte_vhost_get_vhost_vring give its addresses): translate again.
	 */
	RTE_PMD_CVQSIM_MEM_CHANGED,
};

/** Memory table callback: the device, the connection, the event, arg. */
typedef void (*rte_pmd_cvqsim_mem_cb)(struct rte_vdpa_device *dev, int vid,
		enum rte_pmd_cvqsim_mem_event event, void *arg);

/**
 * Hear of the frontend's memory table changes (QEMU's memory listener, for
 * a VMM whose shadow control queue reads the guest's ring): cb is called
 * with RTE_PMD_CVQSIM_MEM_CHANGING before every SET_MEM_TABLE is handled,
 * and with RTE_PMD_CVQSIM_MEM_CHANGED once the vhost library took it (not
 * if it failed: the library then has no table until the next one). It runs
 * on the vhost-user message thread, with no lock of the driver held; it may
 * call the driver's public functions. The device's queues on ASID 0 stop
 * and resume around the change by themselves; a queue on the VMM's ring
 * resumes at the indices it stopped at. One callback per device: a new
 * one replaces the last, cb NULL removes it.
 *
 * @return 0, -EINVAL (not a cvqsim device).
 */
__rte_experimental
int rte_pmd_cvqsim_mem_event_register(struct rte_vdpa_device *dev,
		rte_pmd_cvqsim_mem_cb cb, void *arg);

/** @} */

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
 * Save the device's state: the virtio 1.4 device parts (what
 * VIRTIO_ADMIN_CMD_DEV_PARTS_GET of every part returns: features, status,
 * virtqueues, one VIRTIO_NET_DEV_PART_CVQ_CFG_PART per control
 * configuration that differs from reset) and cvqsim's own parts
 * (coalescing, tunnel hashing, ring indices, statistics), under a header
 * with a version and a CRC-32C. The layout is in the driver guide.
 *
 * A consistent snapshot: taken between two passes of the poller. To move a
 * device, stop the frontend first so that nothing changes after the save.
 *
 * @param buf
 *   Set to a buffer allocated with malloc() (release it with free()).
 * @return 0, -EINVAL (not a cvqsim device, NULL argument), -ENOMEM.
 */
__rte_experimental
int rte_pmd_cvqsim_state_save(struct rte_vdpa_device *dev, uint8_t **buf,
		size_t *len);

/**
 * Restore a state saved by rte_pmd_cvqsim_state_save() on a device
 * created with the same device arguments (possibly in another process).
 *
 * Everything is checked before anything changes: a truncated, corrupt,
 * newer-version or foreign state (other device arguments, features this
 * device does not offer, a control configuration it refuses) is refused
 * with a message in @p err, and the device is left as it was.
 *
 * When a frontend has negotiated features, the state is loaded at once
 * (the features must equal the saved ones). Otherwise it is kept and
 * loaded when the next frontend negotiates them, before any data queue is
 * enabled: QEMU's order on a migration destination, the control
 * configuration first, the data queues afterwards. Ring indices are the
 * frontend's (SET_VRING_BASE) and are not taken from the state.
 *
 * @return 0 (loaded, or kept for the next negotiation: see the log),
 *   -EINVAL (not a cvqsim device, bad argument, a state this device cannot
 *   take), -EBADMSG (truncated, corrupt), -ENOTSUP (newer version or
 *   unknown part), -ENOMEM.
 */
__rte_experimental
int rte_pmd_cvqsim_state_restore(struct rte_vdpa_device *dev,
		const uint8_t *buf, size_t len, char *err, size_t err_len);

/**
 * Check that the device's current state survives both restore paths: save
 * it, load the parts into a scratch device and replay, on another, the
 * control commands a VMM sends on a migration destination (QEMU's order);
 * both must give the device's state byte for byte (change and announce
 * counters aside).
 *
 * @return 0 with the saved length and the number of replayed commands;
 *   -EPROTO with the path that differs in @p err; other errors as for
 *   rte_pmd_cvqsim_state_restore().
 */
__rte_experimental
int rte_pmd_cvqsim_state_check(struct rte_vdpa_device *dev, size_t *len,
		uint32_t *commands, char *err, size_t err_len);

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

/*
 * VF-parent mode (devarg port=<ethdev name>): the device's datapath is a
 * DPDK port, and control commands are programmed onto it where it can.
 */

/** A command is enforced by the device's own filter and steering. */
#define RTE_PMD_CVQSIM_PATH_SOFTWARE	0x1
/** A command was programmed onto the port (always with SOFTWARE too). */
#define RTE_PMD_CVQSIM_PATH_HARDWARE	0x2
/** Entries of rte_pmd_cvqsim_port_info.cmds. */
#define RTE_PMD_CVQSIM_PORT_CMDS	24

/** How one control command was applied on a port-backed device. */
struct rte_pmd_cvqsim_port_cmd {
	uint8_t cls;		/**< VIRTIO_NET_CTRL_* class */
	uint8_t cmd;		/**< command (0 for every NOTF_COAL set) */
	/** RTE_PMD_CVQSIM_PATH_* bits of its last application; 0: never. */
	uint8_t last_path;
	uint64_t software;	/**< applications in software only */
	uint64_t both;		/**< applications in software and on the port */
};

/** Counters of the port's datapath. */
struct rte_pmd_cvqsim_port_stats {
	uint64_t rx_frames;	/**< received from the port */
	/**
	 * Of those, not placed in the driver's buffers: filtered, steered to
	 * a queue not in use, no receive buffer (the device's per-reason
	 * counters say which), or too many segments.
	 */
	uint64_t rx_dropped;
	uint64_t tx_frames;	/**< sent on the port */
	uint64_t tx_dropped;	/**< port queue full, no mbuf, or oversize */
	uint64_t link_changes;	/**< LINK_UP changes signalled to the driver */
};

/** A port-backed device's port and what went to it. */
struct rte_pmd_cvqsim_port_info {
	char name[64];			/**< the port's ethdev name */
	uint16_t port_id;
	uint16_t nb_rx_queues;
	uint16_t nb_tx_queues;
	uint16_t rx_queues_started;	/**< follows the pairs in use */
	uint8_t configured_by_device;	/**< the device set the port up */
	uint8_t link_up;
	struct rte_pmd_cvqsim_port_stats stats;
	uint16_t nb_cmds;		/**< valid entries of cmds */
	struct rte_pmd_cvqsim_port_cmd cmds[RTE_PMD_CVQSIM_PORT_CMDS];
};

/**
 * The port of a port-backed device, its counters and the path each
 * control command took. Any thread.
 *
 * @return 0; -EINVAL not a cvqsim device or info NULL; -ENOTSUP the
 *   device has no port (loopback).
 */
__rte_experimental
int rte_pmd_cvqsim_port_info_get(struct rte_vdpa_device *dev,
		struct rte_pmd_cvqsim_port_info *info);

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_CVQSIM_H */
