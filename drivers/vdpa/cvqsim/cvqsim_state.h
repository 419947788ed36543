/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_STATE_H
#define CVQSIM_STATE_H

/*
 * Device state <-> virtio 1.4 device parts (admin-cmds-device-parts.tex,
 * device-parts.tex, device-types/net "Device parts").
 *
 * A saved state is a small cvqsim header (magic, version, length, CRC-32C)
 * followed by what VIRTIO_ADMIN_CMD_DEV_PARTS_GET (TYPE_ALL) would return:
 * a list of struct virtio_dev_part (16-byte header, then the value), in the
 * spec's order:
 *   0x100 DEV_FEATURES (optional)  offered features, checked on restore
 *   0x101 DRV_FEATURES             negotiated features
 *   0x102 PCI_COMMON_CFG           num_queues (offset 18) only
 *   0x103 DEVICE_STATUS            virtio device status
 *   0x104 VQ_CFG                   one per virtqueue: size, enabled, rings
 *   0x200 VIRTIO_NET_DEV_PART_CVQ_CFG_PART, one per control command whose
 *         configuration differs from reset, value = the command's data:
 *         MAC_ADDR_SET, MAC_TABLE_SET, VQ_PAIRS_SET / RSS_CONFIG /
 *         HASH_CONFIG, RX modes, VLAN (the whole table, 512 bytes).
 *   0xCF00..0xCF07 cvqsim's own parts (CVQSIM_PART_*): what the spec has no
 *         part for. The spec reserves 0x0600-0xFFFF; these types are ours,
 *         never a spec part, and a spec consumer must not take them for one.
 *
 * Restore has two paths, which give byte-identical device state:
 * - cvqsim_state_restore(): the parts, as DEV_PARTS_SET would apply them.
 * - the replay list (cvqsim_state_replay_build()): the control commands a
 *   VMM sends on the destination's control queue, in QEMU's order
 *   (net/vhost-vdpa.c vhost_vdpa_net_load): MAC_ADDR_SET, MAC_TABLE_SET,
 *   RSS_CONFIG / HASH_CONFIG / VQ_PAIRS_SET, GUEST_OFFLOADS_SET, RX modes,
 *   one VLAN_ADD per VLAN; then what QEMU does not replay and cvqsim does:
 *   NOTF_COAL TX_SET/RX_SET/VQ_SET and HASH_TUNNEL_SET.
 *
 * Pure C, no EAL. Not thread-safe on one struct cvqsim_net: the caller
 * saves from a stopped device (or accepts a snapshot of a running one) and
 * restores while the device's owner thread is stopped.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cvqsim_net.h"

/*
 * Version of the container and of cvqsim's own parts; newer is refused.
 * 2: the STATS part carries no GSO counters (the device never counted
 * any). Version 1 states still load: their GSO counters are dropped.
 */
#define CVQSIM_STATE_VERSION		2
#define CVQSIM_STATE_MAGIC		"CVQSIMST"
#define CVQSIM_STATE_HDR_LEN		32
/* Virtqueues a state describes: 127 pairs and the control queue. */
#define CVQSIM_STATE_MAX_VQS		(2 * RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 1)
/* Largest state accepted by the parser (a full MAC table is ~25 KiB). */
#define CVQSIM_STATE_MAX_LEN		(1u << 20)

/* Part types: the spec's common and net parts. */
#define VIRTIO_DEV_PART_DEV_FEATURES		0x100
#define VIRTIO_DEV_PART_DRV_FEATURES		0x101
#define VIRTIO_DEV_PART_PCI_COMMON_CFG		0x102
#define VIRTIO_DEV_PART_DEVICE_STATUS		0x103
#define VIRTIO_DEV_PART_VQ_CFG			0x104
#define VIRTIO_DEV_PART_VQ_NOTIFY_CFG		0x105
#define VIRTIO_NET_DEV_PART_CVQ_CFG_PART	0x200
#define VIRTIO_DEV_PART_F_OPTIONAL		0	/* bit of flags */
#define VIRTIO_DEV_PART_HDR_LEN			16

/*
 * cvqsim's own parts (device-specific, outside the spec).
 * NET_CONFIG  config space and creation parameters (restore refuses a
 *             device created with other parameters), status bits
 * OFFLOADS    le64 enabled guest offloads (GUEST_OFFLOADS_SET has no part)
 * TUNNEL      le32 enabled tunnel types (HASH_TUNNEL_SET)
 * COAL        le32 tx max_packets, max_usecs, rx max_packets, max_usecs
 * VQ_COAL     selector vq_index: le32 max_packets, max_usecs, one per
 *             queue whose VQ_SET value differs from its direction's
 * VQ_STATE    selector vq_index: le16 last_avail_idx, le16 last_used_idx
 *             (packed rings: wrap counter in bit 15)
 * STATS       le64 counters: announces, receive filter verdicts, then per
 *             pair the receive and transmit queue counters
 */
#define CVQSIM_PART_NET_CONFIG		0xcf00
#define CVQSIM_PART_OFFLOADS		0xcf01
#define CVQSIM_PART_TUNNEL		0xcf02
#define CVQSIM_PART_COAL		0xcf03
#define CVQSIM_PART_VQ_COAL		0xcf04
#define CVQSIM_PART_VQ_STATE		0xcf05
#define CVQSIM_PART_STATS		0xcf06

/* One virtqueue as the transport knows it (vhost side, not the model). */
struct cvqsim_state_vq {
	uint16_t size;
	uint16_t last_avail_idx;	/* packed: wrap counter in bit 15 */
	uint16_t last_used_idx;
	bool enabled;			/* control queue only; data: the model */
	uint64_t desc;			/* guest addresses of the rings */
	uint64_t driver;
	uint64_t device;
};

/* What the transport adds to the model: features offered, status, rings. */
struct cvqsim_state_dev {
	uint64_t offered_features;
	uint8_t device_status;		/* VIRTIO_CONFIG_S_* */
	uint16_t nr_vqs;		/* entries of vq[] in use */
	struct cvqsim_state_vq vq[CVQSIM_STATE_MAX_VQS];
};

/* Why a state was refused: an errno and one line for the user. */
struct cvqsim_state_err {
	int code;
	char msg[160];
};

/*
 * Serialize the model (a consistent snapshot of it) and the transport's
 * part. On success *out is a malloc'ed buffer of *len bytes (free()).
 * Returns 0, -ENOMEM, or -EINVAL for a state no part can express (a bug).
 */
int cvqsim_state_save(const struct cvqsim_net *net,
		const struct cvqsim_state_dev *dev, uint8_t **out, size_t *len);

/*
 * Check a saved state completely against this device (same creation
 * parameters, features within offered_features, every control part
 * accepted by the decoder) and only then load it into net. dev_out (may be
 * NULL) receives the transport's part: status and rings, for the caller to
 * apply. Returns 0, or a negative errno with err filled and net unchanged:
 * -EBADMSG truncated or corrupt (bad magic, length, checksum, part layout),
 * -ENOTSUP a newer version or a part this build does not know,
 * -EINVAL a valid state this device cannot take (parameters, features,
 * a command the decoder refuses), -ENOMEM.
 */
int cvqsim_state_restore(struct cvqsim_net *net, uint64_t offered_features,
		const uint8_t *buf, size_t len, struct cvqsim_state_dev *dev_out,
		struct cvqsim_state_err *err);

/*
 * The negotiated features a state carries (its DRV_FEATURES part), after
 * checking its header and checksum. 0 or -EBADMSG / -ENOTSUP with err.
 */
int cvqsim_state_features(const uint8_t *buf, size_t len, uint64_t *features,
		struct cvqsim_state_err *err);

/*
 * Both restore paths on net's state, on scratch copies: save it, restore
 * the parts into a fresh model, and replay the control commands into
 * another; both must give net's canonical state byte for byte. Returns 0
 * with the saved length and the number of replayed commands, -EPROTO when
 * a path differs, or the error of the step that failed (err says which).
 */
int cvqsim_state_check(const struct cvqsim_net *net, uint64_t offered_features,
		size_t *len, uint32_t *commands, struct cvqsim_state_err *err);

/* One control command of the replay list. */
struct cvqsim_state_cmd {
	uint8_t cls;
	uint8_t cmd;
	uint32_t len;			/* bytes of data */
	const uint8_t *data;		/* command-specific data */
};

struct cvqsim_state_replay {
	uint32_t n;
	struct cvqsim_state_cmd *cmds;
	uint8_t *data;			/* storage behind cmds[].data */
};

/*
 * The control commands that bring a reset device, features negotiated and
 * every data queue of the layout enabled, to net's configuration (QEMU's
 * order, see above). Returns 0 or -ENOMEM. Free with
 * cvqsim_state_replay_free().
 */
int cvqsim_state_replay_build(const struct cvqsim_net *net,
		struct cvqsim_state_replay *r);
void cvqsim_state_replay_free(struct cvqsim_state_replay *r);

/*
 * Send every command of the list through a decoder bound to net, as the
 * control queue would. Returns 0, or -EINVAL at the first command the
 * decoder refuses (*failed = its index).
 */
int cvqsim_state_replay_apply(struct cvqsim_net *net,
		const struct cvqsim_state_replay *r, uint32_t *failed);

/*
 * The model's state with what is not configuration (generation, the
 * announces counter) cleared: what "byte-identical" compares.
 */
void cvqsim_state_canonical(const struct cvqsim_net *net,
		struct cvqsim_net_state *out);

#endif /* CVQSIM_STATE_H */
