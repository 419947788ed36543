/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* The frontend's configuration defaults and the feature bits by name. */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fe_config.h"

/* Guest physical address of guest memory: not its virtual address. */
#define DEFAULT_GPA_BASE	0x40000000ULL

void
fe_config_init(struct fe_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->feature_mask = FE_FEATURES_ALL;
	cfg->protocol_mask = FE_PROTOCOL_ALL;
	cfg->ring_size = 256;
	cfg->ctrl_ring_size = 64;
	cfg->rx_buf_len = 2048;
	cfg->gpa_base = DEFAULT_GPA_BASE;
	cfg->ctrl_timeout_ms = 1000;
	cfg->reply_timeout_ms = 10000;
	cfg->connect_timeout_ms = 5000;
	cfg->ctrl_spin_ns = 20000;
}

static const char *const feature_names[64] = {
	[VIRTIO_NET_F_CSUM] = "CSUM",
	[VIRTIO_NET_F_GUEST_CSUM] = "GUEST_CSUM",
	[VIRTIO_NET_F_CTRL_GUEST_OFFLOADS] = "CTRL_GUEST_OFFLOADS",
	[VIRTIO_NET_F_MTU] = "MTU",
	[VIRTIO_NET_F_MAC] = "MAC",
	[VIRTIO_NET_F_GSO] = "GSO",
	[VIRTIO_NET_F_GUEST_TSO4] = "GUEST_TSO4",
	[VIRTIO_NET_F_GUEST_TSO6] = "GUEST_TSO6",
	[VIRTIO_NET_F_GUEST_ECN] = "GUEST_ECN",
	[VIRTIO_NET_F_GUEST_UFO] = "GUEST_UFO",
	[VIRTIO_NET_F_HOST_TSO4] = "HOST_TSO4",
	[VIRTIO_NET_F_HOST_TSO6] = "HOST_TSO6",
	[VIRTIO_NET_F_HOST_ECN] = "HOST_ECN",
	[VIRTIO_NET_F_HOST_UFO] = "HOST_UFO",
	[VIRTIO_NET_F_MRG_RXBUF] = "MRG_RXBUF",
	[VIRTIO_NET_F_STATUS] = "STATUS",
	[VIRTIO_NET_F_CTRL_VQ] = "CTRL_VQ",
	[VIRTIO_NET_F_CTRL_RX] = "CTRL_RX",
	[VIRTIO_NET_F_CTRL_VLAN] = "CTRL_VLAN",
	[VIRTIO_NET_F_CTRL_RX_EXTRA] = "CTRL_RX_EXTRA",
	[VIRTIO_NET_F_GUEST_ANNOUNCE] = "GUEST_ANNOUNCE",
	[VIRTIO_NET_F_MQ] = "MQ",
	[VIRTIO_NET_F_CTRL_MAC_ADDR] = "CTRL_MAC_ADDR",
	[24] = "NOTIFY_ON_EMPTY",
	[26] = "LOG_ALL",
	[27] = "ANY_LAYOUT",
	[28] = "INDIRECT_DESC",
	[29] = "EVENT_IDX",
	[30] = "PROTOCOL_FEATURES",
	[32] = "VERSION_1",
	[33] = "ACCESS_PLATFORM",
	[34] = "RING_PACKED",
	[35] = "IN_ORDER",
	[36] = "ORDER_PLATFORM",
	[37] = "SR_IOV",
	[38] = "NOTIFICATION_DATA",
	[40] = "RING_RESET",
	[VIRTIO_NET_F_DEVICE_STATS] = "DEVICE_STATS",
	[VIRTIO_NET_F_HASH_TUNNEL] = "HASH_TUNNEL",
	[VIRTIO_NET_F_VQ_NOTF_COAL] = "VQ_NOTF_COAL",
	[VIRTIO_NET_F_NOTF_COAL] = "NOTF_COAL",
	[54] = "GUEST_USO4",
	[55] = "GUEST_USO6",
	[56] = "HOST_USO",
	[VIRTIO_NET_F_HASH_REPORT] = "HASH_REPORT",
	[59] = "GUEST_HDRLEN",
	[VIRTIO_NET_F_RSS] = "RSS",
	[VIRTIO_NET_F_RSC_EXT] = "RSC_EXT",
	[VIRTIO_NET_F_STANDBY] = "STANDBY",
	[VIRTIO_NET_F_SPEED_DUPLEX] = "SPEED_DUPLEX",
};

const char *
fe_feature_name(unsigned int bit)
{
	return bit < 64 ? feature_names[bit] : NULL;
}

int
fe_feature_bit(const char *name)
{
	unsigned int i;

	if (strncasecmp(name, "VIRTIO_NET_F_", 13) == 0)
		name += 13;
	else if (strncasecmp(name, "VIRTIO_F_", 9) == 0)
		name += 9;
	else if (strncasecmp(name, "VIRTIO_RING_F_", 14) == 0)
		name += 14;
	for (i = 0; i < 64; i++)
		if (feature_names[i] != NULL &&
				strcasecmp(feature_names[i], name) == 0)
			return (int)i;
	return -1;
}

int
fe_features_format(uint64_t features, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i;
	int n;

	if (len > 0)
		buf[0] = '\0';
	for (i = 0; i < 64; i++) {
		if (!(features & FE_BIT(i)))
			continue;
		if (feature_names[i] != NULL)
			n = snprintf(buf + off, off < len ? len - off : 0, "%s%s",
				off > 0 ? " " : "", feature_names[i]);
		else
			n = snprintf(buf + off, off < len ? len - off : 0,
				"%sbit%u", off > 0 ? " " : "", i);
		if (n < 0)
			return n;
		off += (size_t)n;
	}
	return (int)off;
}
