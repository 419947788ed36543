/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FE_CONFIG_H
#define FE_CONFIG_H

/*
 * What a frontend (frontend.h) is asked for: the features it implements and
 * their names, its limits, its configuration with the defaults, and how it
 * lays out control commands. Below every other fe_*.c file.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_net.h>

/* Feature bits newer than the installed kernel uapi header. */
#ifndef VIRTIO_NET_F_DEVICE_STATS
#define VIRTIO_NET_F_DEVICE_STATS	50
#endif
#ifndef VIRTIO_NET_F_HASH_TUNNEL
#define VIRTIO_NET_F_HASH_TUNNEL	51
#endif
#ifndef VIRTIO_NET_F_VQ_NOTF_COAL
#define VIRTIO_NET_F_VQ_NOTF_COAL	52
#endif
#ifndef VIRTIO_NET_F_NOTF_COAL
#define VIRTIO_NET_F_NOTF_COAL		53
#endif
#define FE_F_PROTOCOL_FEATURES		30	/**< VHOST_USER_F_PROTOCOL_FEATURES */
#define FE_F_RING_PACKED		34	/**< VIRTIO_F_RING_PACKED */

/** Feature bit helper. */
#define FE_BIT(b)	(1ULL << (b))

/** Every feature this frontend implements (see the brief's list). */
#define FE_FEATURES_ALL (FE_BIT(32) /* VERSION_1 */ | \
	FE_BIT(27) /* ANY_LAYOUT */ | FE_BIT(28) /* INDIRECT_DESC */ | \
	FE_BIT(29) /* EVENT_IDX */ | FE_BIT(VIRTIO_NET_F_MRG_RXBUF) | \
	FE_BIT(VIRTIO_NET_F_MAC) | FE_BIT(VIRTIO_NET_F_MTU) | \
	FE_BIT(VIRTIO_NET_F_STATUS) | FE_BIT(VIRTIO_NET_F_CTRL_VQ) | \
	FE_BIT(VIRTIO_NET_F_CTRL_RX) | FE_BIT(VIRTIO_NET_F_CTRL_VLAN) | \
	FE_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA) | \
	FE_BIT(VIRTIO_NET_F_GUEST_ANNOUNCE) | FE_BIT(VIRTIO_NET_F_MQ) | \
	FE_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	FE_BIT(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | \
	FE_BIT(VIRTIO_NET_F_NOTF_COAL) | FE_BIT(VIRTIO_NET_F_VQ_NOTF_COAL) | \
	FE_BIT(VIRTIO_NET_F_DEVICE_STATS) | FE_BIT(VIRTIO_NET_F_HASH_TUNNEL) | \
	FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT) | \
	FE_BIT(FE_F_RING_PACKED) | FE_BIT(FE_F_PROTOCOL_FEATURES))

/* vhost-user protocol feature bits this frontend knows. */
#define FE_PROTO_MQ		0
#define FE_PROTO_LOG_SHMFD	1
#define FE_PROTO_REPLY_ACK	3
#define FE_PROTO_CONFIG		9
#define FE_PROTO_STATUS		16
#define FE_PROTOCOL_ALL (FE_BIT(FE_PROTO_MQ) | FE_BIT(FE_PROTO_LOG_SHMFD) | \
	FE_BIT(FE_PROTO_REPLY_ACK) | FE_BIT(FE_PROTO_CONFIG) | \
	FE_BIT(FE_PROTO_STATUS))

/**
 * Most data queue pairs one fe_dev creates: the most a vhost-user device
 * can have with a control queue (256 vrings, the CVQ of 127 pairs is 254).
 */
#define FE_MAX_PAIRS		127
/** Largest command data (after the 2-byte header) and result. */
#define FE_CTRL_MAX_DATA	8192
#define FE_CTRL_MAX_RESULT	1024

struct fe_config {
	const char *socket_path;	/**< vhost-user server socket (required) */
	/** Features the frontend may accept (default FE_FEATURES_ALL). */
	uint64_t feature_mask;
	/**
	 * When non-zero: SET_FEATURES with exactly these bits, unchecked
	 * against the offer and dependencies (hardening tests).
	 */
	uint64_t force_features;
	/** Protocol features the frontend may accept (default FE_PROTOCOL_ALL). */
	uint64_t protocol_mask;
	/** Data queue pairs to create; 0 = the device maximum (capped). */
	uint16_t nr_pairs;
	uint16_t ring_size;		/**< data rings (default 256) */
	uint16_t ctrl_ring_size;	/**< control ring (default 64) */
	/** RX buffer bytes incl. the net header (default 2048; with
	 * MRG_RXBUF smaller values exercise merging). */
	uint32_t rx_buf_len;
	uint64_t mem_size;		/**< guest memory; 0 = computed */
	uint64_t gpa_base;		/**< default 0x40000000 */
	uint32_t ctrl_timeout_ms;	/**< fe_ctrl wait (default 1000) */
	uint32_t reply_timeout_ms;	/**< vhost-user replies (default 10000) */
	uint32_t connect_timeout_ms;	/**< socket appears (default 5000) */
	/** Busy-poll this long before sleeping on the call eventfd (ns;
	 * default 20000). */
	uint32_t ctrl_spin_ns;
	/**
	 * Drive packed virtqueues (VIRTIO_F_RING_PACKED): the device must
	 * offer it. Default false: split rings, RING_PACKED refused.
	 */
	bool packed;
	bool no_reply_ack;		/**< do not set need_reply (testing) */
	/**
	 * QEMU's restore order on a migration destination: only the control
	 * queue is enabled before DRIVER_OK; the caller enables the data
	 * vrings later (fe_vring_enable), after replaying the state.
	 */
	bool cvq_first;
	bool verbose;			/**< log every vhost-user message */
};

/** Fill @p cfg with the defaults above (socket_path NULL). */
void fe_config_init(struct fe_config *cfg);

/** How a command is laid out in descriptors. */
enum fe_ctrl_layout {
	FE_LAYOUT_SPLIT,	/**< header | each data segment | ack [| result] */
	FE_LAYOUT_ONE,		/**< header+data in one readable | ack+result */
	FE_LAYOUT_BYTES,	/**< one byte per descriptor, both directions */
	FE_LAYOUT_INDIRECT,	/**< the SPLIT chain through an indirect table */
	FE_LAYOUT_MAX
};
/** Feature bit name ("CTRL_VQ", "VERSION_1", ...) or NULL. */
const char *fe_feature_name(unsigned int bit);
/** Bit of a feature name (case-insensitive, with or without the
 * VIRTIO_NET_F_ prefix), or -1. */
int fe_feature_bit(const char *name);
/** "VERSION_1 CTRL_VQ ..." into buf; returns snprintf's result. */
int fe_features_format(uint64_t features, char *buf, size_t len);

#endif /* FE_CONFIG_H */
