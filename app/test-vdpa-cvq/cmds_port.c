/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The port of a port-backed device (VF-parent mode, devarg port=), as the
 * application sees it: what rte_ethdev says of the port itself (modes, MAC
 * addresses, RETA, VLAN filter offload), the device's counters for it and
 * the path each control command took. "show port" prints it; the port.*
 * counters of "expect stat" read it; "port link up|down" sets the port's
 * link as a cable would:
 *
 *   port.promisc, port.allmulti      the port's modes (rte_ethdev), 0 or 1
 *   port.macs                        MAC addresses the port holds
 *   port.mac.XX-XX-XX-XX-XX-XX       1 when the port holds that address
 *   port.vlan_filter                 1 when the VLAN filter offload is on
 *   port.reta_size, port.reta.N      the port's RSS indirection table
 *   port.link_up, port.rx_queues_started, port.rx_frames, port.rx_dropped,
 *   port.tx_frames, port.tx_dropped, port.link_changes
 *   port.path.CLASS.CMD              last path of a command: 0 never,
 *                                    1 software, 3 software and port
 *                                    (CLASS, CMD: numbers or names as in
 *                                    "show port", e.g. port.path.rx.promisc)
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_pmd_cvqsim.h>

#include "cmds_ctx.h"
#include "cmds_port.h"

/* Command names of the classes a port-backed device reports. */
static const char *
port_cmd_name(uint8_t cls, uint8_t cmd)
{
	static const char * const rx[] = {
		"promisc", "allmulti", "alluni", "nomulti", "nouni", "nobcast",
	};

	switch (cls) {
	case VIRTIO_NET_CTRL_RX:
		return cmd < RTE_DIM(rx) ? rx[cmd] : "?";
	case VIRTIO_NET_CTRL_MAC:
		return cmd == VIRTIO_NET_CTRL_MAC_TABLE_SET ? "table_set" :
			"addr_set";
	case VIRTIO_NET_CTRL_VLAN:
		return cmd == VIRTIO_NET_CTRL_VLAN_ADD ? "add" : "del";
	case VIRTIO_NET_CTRL_ANNOUNCE:
		return "ack";
	case VIRTIO_NET_CTRL_MQ:
		return cmd == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET ? "vq_pairs_set" :
			cmd == VIRTIO_NET_CTRL_MQ_RSS_CONFIG ? "rss_config" :
			"hash_config";
	case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
		return "set";
	default:
		return "set";
	}
}

static const char *
path_name(uint8_t path)
{
	switch (path) {
	case 0:
		return "-";
	case RTE_PMD_CVQSIM_PATH_SOFTWARE:
		return "software";
	case RTE_PMD_CVQSIM_PATH_SOFTWARE | RTE_PMD_CVQSIM_PATH_HARDWARE:
		return "both";
	default:
		return "hardware";
	}
}

/* The device's port, or -1 with *why set. */
static int
port_info(struct rte_pmd_cvqsim_port_info *info, const char **why)
{
	int ret;

	if (cmds.vdpa == NULL) {
		*why = "the device is not in this process";
		return -ENOTSUP;
	}
	ret = rte_pmd_cvqsim_port_info_get(cmds.vdpa, info);
	if (ret == -ENOTSUP)
		*why = "the device has no port (loopback; devarg port=)";
	else if (ret < 0)
		*why = "cannot read the device's port";
	return ret;
}

/* MAC addresses the port holds (rte_eth_macaddrs_get); 0 when none. */
static int
port_macs(uint16_t port_id, struct rte_ether_addr *macs, unsigned int n)
{
	int nr = rte_eth_macaddrs_get(port_id, macs, n), i, k = 0;

	for (i = 0; i < nr; i++)
		if (!rte_is_zero_ether_addr(&macs[i]))
			macs[k++] = macs[i];
	return k;
}

static int
port_reta(uint16_t port_id, uint16_t size, uint16_t idx, uint64_t *v)
{
	struct rte_eth_rss_reta_entry64 reta[RTE_ETH_RSS_RETA_SIZE_512 /
		RTE_ETH_RETA_GROUP_SIZE];
	uint16_t i;

	if (size == 0 || size > RTE_ETH_RSS_RETA_SIZE_512 || idx >= size)
		return -ENOENT;
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < size / RTE_ETH_RETA_GROUP_SIZE + 1 &&
			i < RTE_DIM(reta); i++)
		reta[i].mask = UINT64_MAX;
	if (rte_eth_dev_rss_reta_query(port_id, reta, size) != 0)
		return -ENOENT;
	*v = reta[idx / RTE_ETH_RETA_GROUP_SIZE].reta[idx %
		RTE_ETH_RETA_GROUP_SIZE];
	return 0;
}

/* port.path.CLASS.CMD */
static int
port_path_stat(const struct rte_pmd_cvqsim_port_info *info, const char *name,
		uint64_t *v)
{
	char want[64];
	uint16_t i;

	for (i = 0; i < info->nb_cmds; i++) {
		const struct rte_pmd_cvqsim_port_cmd *c = &info->cmds[i];

		snprintf(want, sizeof(want), "%s.%s",
			rte_pmd_cvqsim_ctrl_class_name(c->cls),
			port_cmd_name(c->cls, c->cmd));
		if (strcmp(name, want) == 0) {
			*v = c->last_path;
			return 0;
		}
		snprintf(want, sizeof(want), "%u.%u", c->cls, c->cmd);
		if (strcmp(name, want) == 0) {
			*v = c->last_path;
			return 0;
		}
	}
	return -ENOENT;
}

static int
port_mac_stat(uint16_t port_id, const char *text, uint64_t *v)
{
	struct rte_ether_addr macs[RTE_PMD_CVQSIM_MAC_TABLE_MAX], want;
	char buf[RTE_ETHER_ADDR_FMT_SIZE];
	int n, i;

	snprintf(buf, sizeof(buf), "%s", text);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '-')
			buf[i] = ':';
	if (rte_ether_unformat_addr(buf, &want) != 0)
		return -ENOENT;
	n = port_macs(port_id, macs, RTE_DIM(macs));
	*v = 0;
	for (i = 0; i < n; i++)
		if (rte_is_same_ether_addr(&macs[i], &want))
			*v = 1;
	return 0;
}

int
cmds_port_stat(const char *name, uint64_t *v, const char **why)
{
	struct rte_ether_addr macs[RTE_PMD_CVQSIM_MAC_TABLE_MAX];
	struct rte_pmd_cvqsim_port_info info;
	const struct rte_pmd_cvqsim_port_stats *st = &info.stats;
	struct rte_eth_dev_info dev_info;
	char *end;

	if (port_info(&info, why) < 0)
		return -ENOTSUP;
	if (strcmp(name, "promisc") == 0)
		*v = rte_eth_promiscuous_get(info.port_id) == 1;
	else if (strcmp(name, "allmulti") == 0)
		*v = rte_eth_allmulticast_get(info.port_id) == 1;
	else if (strcmp(name, "macs") == 0)
		*v = (uint64_t)port_macs(info.port_id, macs, RTE_DIM(macs));
	else if (strncmp(name, "mac.", 4) == 0)
		return port_mac_stat(info.port_id, name + 4, v);
	else if (strcmp(name, "vlan_filter") == 0)
		*v = !!(rte_eth_dev_get_vlan_offload(info.port_id) &
			RTE_ETH_VLAN_FILTER_OFFLOAD);
	else if (strcmp(name, "reta_size") == 0 &&
			rte_eth_dev_info_get(info.port_id, &dev_info) == 0)
		*v = dev_info.reta_size;
	else if (strncmp(name, "reta.", 5) == 0 &&
			rte_eth_dev_info_get(info.port_id, &dev_info) == 0)
		return port_reta(info.port_id, dev_info.reta_size,
			(uint16_t)strtoul(name + 5, &end, 10), v);
	else if (strcmp(name, "link_up") == 0)
		*v = info.link_up;
	else if (strcmp(name, "rx_queues_started") == 0)
		*v = info.rx_queues_started;
	else if (strcmp(name, "rx_frames") == 0)
		*v = st->rx_frames;
	else if (strcmp(name, "rx_dropped") == 0)
		*v = st->rx_dropped;
	else if (strcmp(name, "tx_frames") == 0)
		*v = st->tx_frames;
	else if (strcmp(name, "tx_dropped") == 0)
		*v = st->tx_dropped;
	else if (strcmp(name, "link_changes") == 0)
		*v = st->link_changes;
	else if (strncmp(name, "path.", 5) == 0)
		return port_path_stat(&info, name + 5, v);
	else
		return -ENOENT;
	return 0;
}

static void
show_port_filter(uint16_t port_id)
{
	struct rte_ether_addr macs[RTE_PMD_CVQSIM_MAC_TABLE_MAX];
	char buf[RTE_ETHER_ADDR_FMT_SIZE];
	struct rte_eth_dev_info dev_info;
	uint64_t e;
	int n, i;

	cmds_out("  promiscuous %s, all-multicast %s, vlan filter %s\n",
		rte_eth_promiscuous_get(port_id) == 1 ? "on" : "off",
		rte_eth_allmulticast_get(port_id) == 1 ? "on" : "off",
		rte_eth_dev_get_vlan_offload(port_id) > 0 &&
		(rte_eth_dev_get_vlan_offload(port_id) &
		 RTE_ETH_VLAN_FILTER_OFFLOAD) ? "on" : "off");
	n = port_macs(port_id, macs, RTE_DIM(macs));
	cmds_out("  MAC addresses (%d):", n);
	for (i = 0; i < n; i++) {
		rte_ether_format_addr(buf, sizeof(buf), &macs[i]);
		cmds_out(" %s", buf);
	}
	cmds_out("\n");
	if (rte_eth_dev_info_get(port_id, &dev_info) != 0 ||
			dev_info.reta_size == 0)
		return;
	cmds_out("  RETA (%u):", dev_info.reta_size);
	for (i = 0; i < dev_info.reta_size && i < 16; i++)
		if (port_reta(port_id, dev_info.reta_size, (uint16_t)i, &e) == 0)
			cmds_out(" %" PRIu64, e);
	cmds_out("%s\n", dev_info.reta_size > 16 ? " ..." : "");
}

void
cmds_show_port(void)
{
	struct rte_pmd_cvqsim_port_info info;
	const struct rte_pmd_cvqsim_port_stats *st = &info.stats;
	const char *why = NULL;
	uint16_t i;

	if (port_info(&info, &why) < 0) {
		cmds_error("show port: %s", why);
		return;
	}
	cmds_out("port %s (port id %u): %u rx / %u tx queues, %u started%s,"
		" link %s\n", info.name, info.port_id, info.nb_rx_queues,
		info.nb_tx_queues, info.rx_queues_started,
		info.configured_by_device ? ", set up by the device" : "",
		info.link_up ? "up" : "down");
	show_port_filter(info.port_id);
	cmds_out("  rx %" PRIu64 " (dropped %" PRIu64 "), tx %" PRIu64
		" (dropped %" PRIu64 "), link changes %" PRIu64 "\n",
		st->rx_frames, st->rx_dropped, st->tx_frames, st->tx_dropped,
		st->link_changes);
	cmds_out("  %-28s %-9s %10s %10s\n", "command", "last path",
		"software", "both");
	for (i = 0; i < info.nb_cmds; i++) {
		const struct rte_pmd_cvqsim_port_cmd *c = &info.cmds[i];
		char name[48];

		snprintf(name, sizeof(name), "%s %s",
			rte_pmd_cvqsim_ctrl_class_name(c->cls),
			port_cmd_name(c->cls, c->cmd));
		cmds_out("  %-28s %-9s %10" PRIu64 " %10" PRIu64 "\n", name,
			path_name(c->last_path), c->software, c->both);
	}
}

void
cmds_port_link(const char *args)
{
	struct rte_pmd_cvqsim_port_info info;
	const char *why = NULL;
	bool up;
	int ret;

	if (strcmp(args, "up") == 0)
		up = true;
	else if (strcmp(args, "down") == 0)
		up = false;
	else {
		cmds_arg_error("port link: expected up or down, not '%s';"
			" usage: port link up|down", args);
		return;
	}
	if (port_info(&info, &why) < 0) {
		cmds_error("port link: %s", why);
		return;
	}
	ret = up ? rte_eth_dev_set_link_up(info.port_id) :
		rte_eth_dev_set_link_down(info.port_id);
	if (ret != 0)
		cmds_error("port link %s: port %s refused: %s", args, info.name,
			strerror(-ret));
	else
		cmds_out("port %s: link %s\n", info.name, args);
}
