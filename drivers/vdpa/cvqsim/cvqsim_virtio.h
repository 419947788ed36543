/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_VIRTIO_H
#define CVQSIM_VIRTIO_H

/*
 * virtio-net definitions cvqsim needs beyond the installed kernel uapi.
 *
 * Debian 12 ships the Linux 6.1 <linux/virtio_net.h>: it has every feature
 * bit up to NOTF_COAL (53), RSS/HASH_REPORT, the hash types and reports, the
 * RSS and HASH_CONFIG structs and the NOTF_COAL TX/RX commands. What the
 * virtio 1.3/1.4 specification added later is declared here, each group
 * under a guard so that a newer uapi header (which defines the same names
 * with the same values) takes precedence. Values and layouts are those of
 * the OASIS specification (device-types/net/description.tex).
 */

#include <stdint.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

/* Feature bits the 6.1 header lacks. */
#ifndef VIRTIO_NET_F_DEVICE_STATS
#define VIRTIO_NET_F_DEVICE_STATS	50	/* class 8: device statistics */
#endif
#ifndef VIRTIO_NET_F_HASH_TUNNEL
#define VIRTIO_NET_F_HASH_TUNNEL	51	/* class 7: inner header hash */
#endif
#ifndef VIRTIO_NET_F_VQ_NOTF_COAL
#define VIRTIO_NET_F_VQ_NOTF_COAL	52	/* class 6 cmds 2-3: per-vq coalescing */
#endif
#ifndef VIRTIO_NET_F_GUEST_USO4
#define VIRTIO_NET_F_GUEST_USO4		54	/* driver can receive USOv4 */
#endif
#ifndef VIRTIO_NET_F_GUEST_USO6
#define VIRTIO_NET_F_GUEST_USO6		55	/* driver can receive USOv6 */
#endif
#ifndef VIRTIO_NET_F_HOST_USO
#define VIRTIO_NET_F_HOST_USO		56	/* device can receive USO */
#endif
#ifndef VIRTIO_NET_F_GUEST_HDRLEN
#define VIRTIO_NET_F_GUEST_HDRLEN	59	/* driver gives the exact hdr_len */
#endif

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4	5	/* USO (IPv4 and IPv6 UDP) */
#endif

/* Class 6, per-virtqueue notification coalescing (spec 1.3). */
#ifndef VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET
#define VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET	2
#define VIRTIO_NET_CTRL_NOTF_COAL_VQ_GET	3

/* Coalescing parameters of one queue or of all TX (RX) queues. */
struct virtio_net_ctrl_coal {
	__le32 max_packets;
	__le32 max_usecs;
};

/* VQ_SET data; VQ_GET sends vqn + reserved and reads back coal. */
struct virtio_net_ctrl_coal_vq {
	__le16 vqn;		/* the spec calls it vq_index */
	__le16 reserved;	/* ignored by the device */
	struct virtio_net_ctrl_coal coal;
};
#endif

/* Class 7, inner header hash of encapsulated packets (spec 1.3). */
#ifndef VIRTIO_NET_CTRL_HASH_TUNNEL
#define VIRTIO_NET_CTRL_HASH_TUNNEL		7
#define VIRTIO_NET_CTRL_HASH_TUNNEL_SET		0

/* HASH_TUNNEL_SET data (the spec's struct virtnet_hash_tunnel). */
struct virtio_net_hash_tunnel {
	__le32 enabled_tunnel_types;
};
#endif

/* Encapsulation types (enabled_tunnel_types, supported_tunnel_types). */
#ifndef VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784
#define VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2784	(1 << 0)	/* RFC 2784 */
#define VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_2890	(1 << 1)	/* RFC 2890 */
#define VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_7676	(1 << 2)	/* RFC 7676 */
#define VIRTIO_NET_HASH_TUNNEL_TYPE_GRE_UDP	(1 << 3)	/* RFC 8086 */
#define VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN	(1 << 4)
#define VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN_GPE	(1 << 5)
#define VIRTIO_NET_HASH_TUNNEL_TYPE_GENEVE	(1 << 6)
#define VIRTIO_NET_HASH_TUNNEL_TYPE_IPIP	(1 << 7)
#define VIRTIO_NET_HASH_TUNNEL_TYPE_NVGRE	(1 << 8)
#endif

/* Class 8, device statistics (spec 1.4). */
#ifndef VIRTIO_NET_CTRL_STATS
#define VIRTIO_NET_CTRL_STATS		8
#define VIRTIO_NET_CTRL_STATS_QUERY	0
#define VIRTIO_NET_CTRL_STATS_GET	1

/* Type bits of supported_stats_types and types_bitmap. */
#define VIRTIO_NET_STATS_TYPE_RX_BASIC	(1ULL << 0)
#define VIRTIO_NET_STATS_TYPE_RX_CSUM	(1ULL << 1)
#define VIRTIO_NET_STATS_TYPE_RX_GSO	(1ULL << 2)
#define VIRTIO_NET_STATS_TYPE_RX_SPEED	(1ULL << 3)
#define VIRTIO_NET_STATS_TYPE_TX_BASIC	(1ULL << 16)
#define VIRTIO_NET_STATS_TYPE_TX_CSUM	(1ULL << 17)
#define VIRTIO_NET_STATS_TYPE_TX_GSO	(1ULL << 18)
#define VIRTIO_NET_STATS_TYPE_TX_SPEED	(1ULL << 19)
#define VIRTIO_NET_STATS_TYPE_CVQ	(1ULL << 32)

/* QUERY result. */
struct virtio_net_stats_capabilities {
	__le64 supported_stats_types[1];
};

/* GET data: an array of these 16-byte requests. */
struct virtio_net_ctrl_queue_stats {
	struct {
		__le16 vq_index;
		__le16 reserved[3];
		__le64 types_bitmap[1];
	} stats[1];
};

/* Header of each record of the GET result; type is the bit number. */
#define VIRTIO_NET_STATS_TYPE_REPLY_RX_BASIC	0
#define VIRTIO_NET_STATS_TYPE_REPLY_RX_CSUM	1
#define VIRTIO_NET_STATS_TYPE_REPLY_RX_GSO	2
#define VIRTIO_NET_STATS_TYPE_REPLY_RX_SPEED	3
#define VIRTIO_NET_STATS_TYPE_REPLY_TX_BASIC	16
#define VIRTIO_NET_STATS_TYPE_REPLY_TX_CSUM	17
#define VIRTIO_NET_STATS_TYPE_REPLY_TX_GSO	18
#define VIRTIO_NET_STATS_TYPE_REPLY_TX_SPEED	19
#define VIRTIO_NET_STATS_TYPE_REPLY_CVQ		32
struct virtio_net_stats_reply_hdr {
	uint8_t type;
	uint8_t reserved;
	__le16 vq_index;
	__le16 reserved1;
	__le16 size;		/* whole record, this header included */
};

struct virtio_net_stats_cvq {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 command_num;
	__le64 ok_num;
};

struct virtio_net_stats_rx_basic {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 rx_notifications;
	__le64 rx_packets;
	__le64 rx_bytes;
	__le64 rx_interrupts;
	__le64 rx_drops;
	__le64 rx_drop_overruns;
};

struct virtio_net_stats_tx_basic {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 tx_notifications;
	__le64 tx_packets;
	__le64 tx_bytes;
	__le64 tx_interrupts;
	__le64 tx_drops;
	__le64 tx_drop_malformed;
};

struct virtio_net_stats_rx_csum {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 rx_csum_valid;
	__le64 rx_needs_csum;
	__le64 rx_csum_none;
	__le64 rx_csum_bad;
};

struct virtio_net_stats_tx_csum {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 tx_csum_none;
	__le64 tx_needs_csum;
};

struct virtio_net_stats_rx_gso {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 rx_gso_packets;
	__le64 rx_gso_bytes;
	__le64 rx_gso_packets_coalesced;
	__le64 rx_gso_bytes_coalesced;
};

struct virtio_net_stats_tx_gso {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 tx_gso_packets;
	__le64 tx_gso_bytes;
	__le64 tx_gso_segments;
	__le64 tx_gso_segments_bytes;
	__le64 tx_gso_packets_noseg;
	__le64 tx_gso_bytes_noseg;
};

struct virtio_net_stats_rx_speed {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 rx_ratelimit_packets;	/* rx_packets_allowance_exceeded */
	__le64 rx_ratelimit_bytes;	/* rx_bytes_allowance_exceeded */
};

struct virtio_net_stats_tx_speed {
	struct virtio_net_stats_reply_hdr hdr;
	__le64 tx_ratelimit_packets;	/* tx_packets_allowance_exceeded */
	__le64 tx_ratelimit_bytes;	/* tx_bytes_allowance_exceeded */
};
#endif

/*
 * The full 1.3+ config layout: the 6.1 struct virtio_net_config stops at
 * supported_hash_types (24 bytes); supported_tunnel_types follows it.
 */
struct cvqsim_virtio_net_config {
	uint8_t mac[6];
	__le16 status;
	__le16 max_virtqueue_pairs;
	__le16 mtu;
	__le32 speed;
	uint8_t duplex;
	uint8_t rss_max_key_size;
	__le16 rss_max_indirection_table_length;
	__le32 supported_hash_types;
	__le32 supported_tunnel_types;
} __attribute__((packed));

/* Every hash type of the spec (IPv4 .. UDP_EX). */
#define CVQSIM_VIRTIO_NET_HASH_TYPE_ALL		0x1ffu

/* Sizes of the GET result records, header included (spec 1.4). */
#define CVQSIM_STATS_RX_BASIC_SIZE	56
#define CVQSIM_STATS_RX_CSUM_SIZE	40
#define CVQSIM_STATS_RX_GSO_SIZE	40
#define CVQSIM_STATS_RX_SPEED_SIZE	24
#define CVQSIM_STATS_TX_BASIC_SIZE	56
#define CVQSIM_STATS_TX_CSUM_SIZE	24
#define CVQSIM_STATS_TX_GSO_SIZE	56
#define CVQSIM_STATS_TX_SPEED_SIZE	24
#define CVQSIM_STATS_CVQ_SIZE		24

/*
 * The control queue's virtqueue index (virtio 1.x "Device Types / Network
 * Device / Virtqueues"): 2N when VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS is in
 * features (N = max_virtqueue_pairs), else 2. The one place it is computed.
 */
static inline uint16_t
cvqsim_cvq_index(uint64_t features, uint16_t max_pairs)
{
	if (features & ((UINT64_C(1) << VIRTIO_NET_F_MQ) |
			(UINT64_C(1) << VIRTIO_NET_F_RSS)))
		return (uint16_t)(2 * max_pairs);
	return 2;
}

#endif /* CVQSIM_VIRTIO_H */
