/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_CTRL_H
#define CVQSIM_CTRL_H

/*
 * The virtio-net control virtqueue decoder.
 *
 * Input: one request chain already popped and translated through the CVQ's
 * address space (struct cvqsim_chain: nr_out readable iovecs, then nr_in
 * writable ones). The descriptor layout does not matter: class, command and
 * data are gathered from the readable iovecs into a bounded buffer owned by
 * the decoder (the guest cannot change them afterwards), the command is
 * validated completely, and only then applied through struct cvqsim_ctrl_ops.
 * The ack byte (and, for NOTF_COAL_VQ_GET and STATS_QUERY/GET, the result
 * after it) is written at offset 0 of the writable iovecs.
 *
 * Rules (spec = virtio 1.4 device-types/net; QEMU where the spec leaves a
 * choice):
 * - A command whose gating feature was not negotiated, an unknown class or
 *   command, a missing or extra byte, an out-of-range value: ERR, and
 *   nothing changes (no callback is called; unlike QEMU, a rejected
 *   RSS_CONFIG leaves the previous RSS configuration in force rather than
 *   disabling RSS). Tolerated extras, because real
 *   drivers send them: RSS_CONFIG and HASH_CONFIG may carry ONE trailing
 *   byte after the key (Linux sizes the trailer with its C struct, which has
 *   one byte of padding); NOTF_COAL_VQ_GET may carry 2 (vq_index only) or 4
 *   (vq_index + reserved) bytes. Reserved fields are ignored (HASH_CONFIG's
 *   reserved[] carries max_tx_vq from Linux).
 * - Requests longer than CVQSIM_CTRL_MAX_REQ bytes are answered ERR without
 *   being read.
 * - No writable byte at all: no ack can be written. cvqsim_ctrl_process()
 *   returns -ENOBUFS with *used_len = 0; nothing is applied. Recommended
 *   handling (cvqsim's choice): complete the chain with used length 0 so the
 *   driver's synchronous wait ends, and set DEVICE_NEEDS_RESET as QEMU does,
 *   because the driver broke the framing rules.
 * - Used length = bytes written into the writable part: 1 for the ack, plus
 *   the result of VQ_GET (8) and STATS_QUERY (8) / STATS_GET (the records,
 *   cut at the end of the driver's buffer as the spec requires) on OK.
 * Every decision is documented at its validation function in cvqsim_ctrl.c.
 *
 * Multi-byte fields are little-endian (VIRTIO_F_VERSION_1). A legacy driver
 * uses its native order, which on the little-endian hosts cvqsim runs on is
 * the same.
 *
 * Pure C: no EAL, no vhost, no allocation per command. Not thread-safe: one
 * thread processes a CVQ at a time.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cvqsim_virtio.h"
#include "cvqsim_vq.h"

/*
 * Largest readable part (class + command + data) accepted, in bytes: a MAC
 * table of 4096 addresses, or a STATS_GET of 2047 queues.
 */
#define CVQSIM_CTRL_MAX_REQ		32768
/* Largest RSS indirection table the decoder can carry to the backend. */
#define CVQSIM_CTRL_RSS_TABLE_MAX	1024
/*
 * Receive offloads GUEST_OFFLOADS_SET may enable (bit = feature bit), when
 * negotiated. RSC_EXT and GUEST_HDRLEN are included: QEMU takes bit 61 as
 * its RSC switch and Linux puts bit 59 in the offloads it restores.
 */
#define CVQSIM_CTRL_GUEST_OFFLOADS					\
	((1ULL << VIRTIO_NET_F_GUEST_CSUM) | (1ULL << VIRTIO_NET_F_GUEST_TSO4) | \
	 (1ULL << VIRTIO_NET_F_GUEST_TSO6) | (1ULL << VIRTIO_NET_F_GUEST_ECN) |  \
	 (1ULL << VIRTIO_NET_F_GUEST_UFO) | (1ULL << VIRTIO_NET_F_GUEST_USO4) |  \
	 (1ULL << VIRTIO_NET_F_GUEST_USO6) | (1ULL << VIRTIO_NET_F_GUEST_HDRLEN) | \
	 (1ULL << VIRTIO_NET_F_RSC_EXT))
/* Classes 0..9 are defined by the spec; counters index unknown ones here. */
#define CVQSIM_CTRL_NR_CLASSES		10
#define CVQSIM_CTRL_CLASS_OTHER		CVQSIM_CTRL_NR_CLASSES

/*
 * What the backend tells the decoder before each command: everything the
 * validation depends on. Filled by ops->get_info().
 */
struct cvqsim_ctrl_info {
	uint64_t features;		/* negotiated features */
	/* Queue pairs that exist: max_virtqueue_pairs with MQ or RSS, else 1. */
	uint16_t max_queue_pairs;
	uint16_t rss_max_indirection_table_length;
	uint8_t rss_max_key_size;
	uint32_t supported_hash_types;
	uint32_t supported_tunnel_types;
	/* VIRTIO_NET_STATS_TYPE_* the backend can count (before gating). */
	uint64_t supported_stats_types;
	/* Config status has VIRTIO_NET_S_ANNOUNCE set. */
	bool announce_pending;
};

/*
 * Parameters of a validated RSS_CONFIG or HASH_CONFIG. Queue numbers are
 * 0-based pairs (v means receiveq v+1). For HASH_CONFIG, table_len is 1,
 * table[0] and unclassified_queue are 0 and max_tx_vq is 0 (pair count
 * unchanged).
 */
struct cvqsim_ctrl_rss {
	uint32_t hash_types;
	uint16_t table_len;		/* power of two, >= 1 */
	uint16_t unclassified_queue;
	uint16_t max_tx_vq;		/* new pair count for RSS_CONFIG */
	uint8_t key_len;		/* 0 only when hash_types is 0 */
	const uint8_t *key;		/* key_len bytes, valid during the call */
	const uint16_t *table;		/* table_len entries, valid during the call */
};

/* Coalescing parameters, host byte order. */
struct cvqsim_ctrl_coal {
	uint32_t max_packets;
	uint32_t max_usecs;
};

/*
 * The apply interface: what a device (cvqsim's model, or a real VF driver
 * reusing the decoder) implements. ctx is the opaque pointer given to
 * cvqsim_ctrl_init().
 *
 * Queries (get_info, vq_enabled, stats_read, coal_vq_get) must not change
 * state. Apply callbacks are called once per command, only after it has been
 * fully validated against get_info(); they return 0, or a negative errno if
 * the device could not apply the command, in which case they must have
 * changed nothing (the decoder then answers ERR).
 *
 * A NULL apply callback means "not supported": the command gets ERR.
 * get_info is mandatory. vq_enabled may be NULL: every data queue below
 * 2 * max_queue_pairs is then considered enabled.
 */
struct cvqsim_ctrl_ops {
	void (*get_info)(void *ctx, struct cvqsim_ctrl_info *info);
	/* Data virtqueue vq (0 .. 2 * max_queue_pairs - 1) is enabled. */
	bool (*vq_enabled)(void *ctx, uint16_t vq_index);

	/* Class 0: cmd is VIRTIO_NET_CTRL_RX_PROMISC .. _NOBCAST. */
	int (*rx_mode)(void *ctx, uint8_t cmd, bool on);
	/* Class 1: uc/mc are n_uc/n_mc 6-byte addresses (any count). */
	int (*mac_table_set)(void *ctx, const uint8_t *uc, uint32_t n_uc,
			const uint8_t *mc, uint32_t n_mc);
	int (*mac_addr_set)(void *ctx, const uint8_t mac[6]);
	/* Class 2: vid <= 4095. */
	int (*vlan)(void *ctx, uint16_t vid, bool add);
	/* Class 3: only called while announce_pending; clears it. */
	int (*announce_ack)(void *ctx);
	/* Class 4: pairs in 1 .. max_queue_pairs; turns RSS steering off. */
	int (*vq_pairs_set)(void *ctx, uint16_t pairs);
	int (*rss_config)(void *ctx, const struct cvqsim_ctrl_rss *rss);
	int (*hash_config)(void *ctx, const struct cvqsim_ctrl_rss *hash);
	/* Class 5: offloads only has negotiated receive-offload bits. */
	int (*guest_offloads_set)(void *ctx, uint64_t offloads);
	/* Class 6: tx = true for TX_SET. vq is an enabled data queue. */
	int (*coal_set)(void *ctx, bool tx, const struct cvqsim_ctrl_coal *c);
	int (*coal_vq_set)(void *ctx, uint16_t vq_index,
			const struct cvqsim_ctrl_coal *c);
	int (*coal_vq_get)(void *ctx, uint16_t vq_index, struct cvqsim_ctrl_coal *c);
	/* Class 7: types is a subset of supported_tunnel_types. */
	int (*hash_tunnel_set)(void *ctx, uint32_t types);
	/*
	 * Class 8: the counters of one record, host order, for data queue vq
	 * and reply type type_bit (VIRTIO_NET_STATS_TYPE_REPLY_*, never CVQ:
	 * the decoder answers CVQ records from its own counters). n is the
	 * number of le64 counters of that record.
	 */
	int (*stats_read)(void *ctx, uint16_t vq_index, uint8_t type_bit,
			uint64_t *counters, unsigned int n);
};

/* Outcome counters, per class (index CVQSIM_CTRL_CLASS_OTHER: class >= 10). */
struct cvqsim_ctrl_stats {
	uint64_t ok[CVQSIM_CTRL_NR_CLASSES + 1];
	uint64_t err[CVQSIM_CTRL_NR_CLASSES + 1];
	uint64_t commands;	/* requests seen, acked or not */
	uint64_t oversize;	/* ERR because longer than CVQSIM_CTRL_MAX_REQ */
	uint64_t no_ack;	/* chains without a writable byte */
};

struct cvqsim_ctrl {
	const struct cvqsim_ctrl_ops *ops;
	void *ctx;
	struct cvqsim_ctrl_stats stats;
	/* Scratch, reused by every command (no allocation per command). */
	uint16_t rss_table[CVQSIM_CTRL_RSS_TABLE_MAX];
	uint8_t req[CVQSIM_CTRL_MAX_REQ];
};

/* Bind a decoder to its backend and zero its counters. */
void cvqsim_ctrl_init(struct cvqsim_ctrl *ctrl,
		const struct cvqsim_ctrl_ops *ops, void *ctx);

/* Zero the counters (device reset). */
void cvqsim_ctrl_stats_reset(struct cvqsim_ctrl *ctrl);

/*
 * Decode, validate, apply and acknowledge one request.
 * Returns VIRTIO_NET_OK or VIRTIO_NET_ERR (the ack written) with *used_len
 * set to the bytes written, or -ENOBUFS when the chain has no writable byte
 * (*used_len = 0, nothing applied; see the file comment).
 */
int cvqsim_ctrl_process(struct cvqsim_ctrl *ctrl,
		const struct cvqsim_chain *chain, uint32_t *used_len);

/*
 * Stats types a driver may request given the negotiated features and what
 * the backend supports: the STATS_QUERY answer.
 */
uint64_t cvqsim_ctrl_stats_types_allowed(uint64_t features,
		uint64_t supported);

/* Name of a class for logs ("rx", "mac", ... "unknown"). */
const char *cvqsim_ctrl_class_name(uint8_t cls);

#endif /* CVQSIM_CTRL_H */
