/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * "show ...", "clear stats" and the device-side actions: what the device
 * offers and reports (through the vDPA and cvqsim APIs when it lives in
 * this process, through vhost-user otherwise) and what the frontend knows.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_bus.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_dev.h>
#include <rte_vdpa.h>

#include <rte_pmd_cvqsim.h>

#include "cmds_args.h"
#include "cmds_ctx.h"
#include "cmds_opts.h"
#include "cmds_show.h"
#include "cmds_view.h"
#include "shadow.h"
#include "shadow_show.h"

#define SHOW_MAX_STATS	128

static const char *
vq_kind(uint16_t vq, int cvq_index)
{
	if ((int)vq == cvq_index)
		return "cvq";
	return vq % 2 ? "tx" : "rx";
}

void
cmds_show_device(void)
{
	struct fe_dev_info info;
	char buf[1024], mac[18];
	uint64_t f;
	uint32_t pairs;

	if (cmds.vdpa != NULL) {
		cmds_out("device %s (in this process), socket %s\n", cmds.vdpa_name,
			cmds.socket != NULL ? cmds.socket : "-");
		if (rte_vdpa_get_queue_num(cmds.vdpa, &pairs) == 0)
			cmds_out("  max queue pairs %u\n", pairs);
		if (rte_vdpa_get_features(cmds.vdpa, &f) == 0)
			cmds_out("  offered features 0x%" PRIx64 "\n", f);
		if (rte_vdpa_get_protocol_features(cmds.vdpa, &f) == 0)
			cmds_out("  offered protocol features 0x%" PRIx64 "\n", f);
	}
	if (cmds.fe == NULL) {
		if (cmds.vdpa == NULL)
			cmds_error("no device and no frontend in this process");
		return;
	}
	fe_dev_info_get(cmds.fe, &info);
	cmds_out("frontend: %s, socket %s\n", fe_state_name(info.state),
		info.socket_path);
	fe_features_format(info.features, buf, sizeof(buf));
	cmds_out("  negotiated 0x%" PRIx64 ": %s\n", info.features, buf);
	cmds_out("  protocol features 0x%" PRIx64 " (offered 0x%" PRIx64 ")\n",
		info.protocol_features, info.protocol_offered);
	cmds_out("  device max pairs %u, pairs created %u, vrings %u, "
		"control queue %d\n", info.max_pairs, info.nr_pairs, info.nr_vrings,
		info.ctrl_vq);
	cmds_out("  ring size %u, control ring size %u, rx buffer %u bytes%s, "
		"net header %u bytes\n", info.ring_size, info.ctrl_ring_size,
		info.rx_buf_len, info.mergeable ? " (mergeable)" : "",
		info.hdr_len);
	cmds_out("  mac %s, mtu %u, guest memory %" PRIu64 " MiB at GPA 0x%"
		PRIx64 "\n", cmds_fmt_mac(info.mac, mac), info.mtu,
		info.mem_size >> 20, info.gpa_base);
	cmds_out("  control layout %s, reconnects %" PRIu64 "\n",
		fe_ctrl_layout_name(fe_ctrl_get_layout(cmds.fe)), info.reconnects);
}

void
cmds_show_groups(void)
{
	struct rte_vdpa_device *dev = cmds_need_vdpa();
	int groups, spaces, g, group, cvq = -1;
	uint32_t pairs;
	uint16_t vq;

	if (dev == NULL)
		return;
	groups = rte_pmd_cvqsim_num_groups(dev);
	spaces = rte_pmd_cvqsim_num_as(dev);
	if (groups < 0 || spaces < 0 || rte_vdpa_get_queue_num(dev, &pairs) != 0) {
		cmds_error("%s: not a cvqsim device", cmds.vdpa_name);
		return;
	}
	if (cmds.fe != NULL)
		cvq = fe_ctrl_vq_index(cmds.fe);
	cmds_out("device %s: %d virtqueue groups, %d address spaces\n",
		cmds.vdpa_name, groups, spaces);
	for (g = 0; g < groups; g++)
		cmds_out("  group %d (%s) -> AS %d\n", g,
			g == RTE_PMD_CVQSIM_GROUP_CVQ ? "control queue" : "data queues",
			rte_pmd_cvqsim_group_asid(dev, (uint32_t)g));
	for (vq = 0; vq <= 2 * pairs; vq++) {
		group = rte_pmd_cvqsim_vq_group(dev, vq);
		if (group < 0)
			continue;
		cmds_out("  vq %3u %-3s group %d\n", vq,
			group == RTE_PMD_CVQSIM_GROUP_CVQ ? "cvq" : vq_kind(vq, cvq),
			group);
	}
}

static uint16_t
le16_at(const uint8_t *c, uint32_t off)
{
	return (uint16_t)(c[off] | c[off + 1] << 8);
}

static uint32_t
le32_at(const uint8_t *c, uint32_t off)
{
	return le16_at(c, off) | (uint32_t)le16_at(c, off + 2) << 16;
}

/* Fresh GET_CONFIG of what the device exposes (28 bytes at most). */
/*
 * Without a frontend (backend role), the config space of the device in
 * this process, laid out as GET_CONFIG returns it (little endian).
 */
static int
config_from_device(uint8_t *c, uint32_t *len)
{
	static struct rte_pmd_cvqsim_net_state st;
	uint16_t v16;
	uint32_t v32;

	if (rte_pmd_cvqsim_net_state_get(cmds.vdpa, &st) != 0) {
		cmds_error("cannot read the state of %s", cmds.vdpa_name);
		return -EIO;
	}
	memset(c, 0, 28);
	memcpy(c, st.mac, 6);
	v16 = rte_cpu_to_le_16(st.status);
	memcpy(c + 6, &v16, 2);
	v16 = rte_cpu_to_le_16(st.max_queue_pairs);
	memcpy(c + 8, &v16, 2);
	v16 = rte_cpu_to_le_16(st.mtu);
	memcpy(c + 10, &v16, 2);
	v32 = rte_cpu_to_le_32(st.speed);
	memcpy(c + 12, &v32, 4);
	c[16] = st.duplex;
	c[17] = st.rss_max_key_size;
	v16 = rte_cpu_to_le_16(st.rss_max_indirection_table_length);
	memcpy(c + 18, &v16, 2);
	v32 = rte_cpu_to_le_32(st.supported_hash_types);
	memcpy(c + 20, &v32, 4);
	v32 = rte_cpu_to_le_32(st.supported_tunnel_types);
	memcpy(c + 24, &v32, 4);
	*len = 28;
	return 0;
}

int
cmds_read_config(uint8_t *c, uint32_t *len)
{
	struct fe_dev *fe;
	struct fe_dev_info info;

	if (cmds.fe == NULL && cmds.vdpa != NULL)
		return config_from_device(c, len);
	fe = cmds_need_fe();
	if (fe == NULL)
		return -ENODEV;
	fe_dev_info_get(fe, &info);
	*len = info.config_len > 0 && info.config_len <= 28 ? info.config_len : 28;
	/* supported_tunnel_types (bytes 24..27) exists with HASH_TUNNEL. */
	if (info.device_features & FE_BIT(VIRTIO_NET_F_HASH_TUNNEL))
		*len = 28;
	memset(c, 0, 28);
	if (fe_dev_read_config(fe, 0, c, *len) < 0) {
		cmds_error("GET_CONFIG: %s", fe_dev_error(fe));
		return -EIO;
	}
	return 0;
}

void
cmds_show_config(void)
{
	uint8_t c[28];
	char mac[18], names[160];
	uint32_t len;
	uint16_t status;

	if (cmds_read_config(c, &len) < 0)
		return;
	status = le16_at(c, 6);
	cmds_out("virtio_net_config (%u bytes, %s):\n", len, cmds.fe != NULL ?
		"GET_CONFIG" : "the device in this process");
	cmds_out("  mac %s\n", cmds_fmt_mac(c, mac));
	if (len >= 8)
		cmds_out("  status 0x%04x (%s%s)\n", status,
			status & VIRTIO_NET_S_LINK_UP ? "link up" : "link down",
			status & VIRTIO_NET_S_ANNOUNCE ? ", announce" : "");
	if (len >= 10)
		cmds_out("  max_virtqueue_pairs %u\n", le16_at(c, 8));
	if (len >= 12)
		cmds_out("  mtu %u\n", le16_at(c, 10));
	if (len >= 17) {
		uint32_t speed = le32_at(c, 12);

		if (speed == UINT32_MAX)
			cmds_out("  speed unknown");
		else
			cmds_out("  speed %u Mb/s", speed);
		cmds_out(", duplex %s\n", c[16] == 1 ? "full" : c[16] == 0 ?
			"half" : "unknown");
	}
	if (len >= 24) {
		cmds_fmt_names(le32_at(c, 20), cmds_hash_type_names, names,
			sizeof(names));
		cmds_out("  rss_max_key_size %u, rss_max_indirection_table_length "
			"%u\n  supported_hash_types 0x%x (%s)\n", c[17], le16_at(c, 18),
			le32_at(c, 20), names);
	}
	if (len >= 28) {
		cmds_fmt_names(le32_at(c, 24), cmds_tunnel_names, names,
			sizeof(names));
		cmds_out("  supported_tunnel_types 0x%x (%s)\n", le32_at(c, 24),
			names);
	}
}

static const char *
onoff(unsigned int v)
{
	return v ? "on" : "off";
}

static void
show_macs(const char *what, uint8_t (*tab)[6], uint32_t n, bool overflow)
{
	char mac[18];
	uint32_t i;

	cmds_out("  %s: %u%s", what, n, overflow ? " (overflow: all accepted)" :
		"");
	for (i = 0; i < n && i < 8; i++)
		cmds_out(" %s", cmds_fmt_mac(tab[i], mac));
	cmds_out("%s\n", n > 8 ? " ..." : "");
}

void
cmds_show_state(void)
{
	const char *source;
	const struct cmds_view *v = cmds_view_get(&source);
	char mac[18], names[160];
	unsigned int vid, n = 0, k;

	/* Backend role: the device's own state, no frontend needed. */
	if (cmds.vdpa == NULL && cmds_need_fe() == NULL)
		return;
	cmds_out("device model (source: %s)\n", source);
	cmds_out("  rx modes: promisc %s allmulti %s alluni %s nomulti %s "
		"nouni %s nobcast %s\n", onoff(v->promisc), onoff(v->allmulti),
		onoff(v->alluni), onoff(v->nomulti), onoff(v->nouni),
		onoff(v->nobcast));
	cmds_out("  mac %s\n", cmds_fmt_mac(v->mac, mac));
	show_macs("unicast table", v->uc, v->n_uc, v->uc_overflow);
	show_macs("multicast table", v->mc, v->n_mc, v->mc_overflow);
	if (!(v->features & FE_BIT(VIRTIO_NET_F_CTRL_VLAN))) {
		cmds_out("  vlans: all (CTRL_VLAN not negotiated)\n");
	} else {
		cmds_out("  vlans:");
		for (vid = 0; vid < 4096; vid++)
			if (cmds_view_vlan(v, (uint16_t)vid) && n++ < 32)
				cmds_out(" %u", vid);
		cmds_out("%s (%u)\n", n == 0 ? " none" : n > 32 ? " ..." : "", n);
	}
	cmds_out("  queue pairs %u of %u\n", v->pairs, v->max_pairs);
	cmds_fmt_names(v->hash_types, cmds_hash_type_names, names, sizeof(names));
	cmds_out("  steering %s, hash types %s, key %u bytes\n",
		v->rss ? "rss" : "automatic", names, v->key_len);
	if (v->rss) {
		cmds_out("  indirection table (%u):", v->table_len);
		for (k = 0; k < v->table_len && k < 32; k++)
			cmds_out(" %u", v->table[k]);
		cmds_out("%s, unclassified %u\n", v->table_len > 32 ? " ..." : "",
			v->unclassified);
	}
	cmds_fmt_names(v->tunnel_types, cmds_tunnel_names, names, sizeof(names));
	cmds_out("  tunnel types %s\n", names);
	cmds_fmt_names(v->offloads, cmds_offload_names, names, sizeof(names));
	cmds_out("  offloads 0x%" PRIx64 " (%s)\n", v->offloads, names);
	cmds_out("  coalescing: tx usecs %u pkts %u, rx usecs %u pkts %u\n",
		v->coal_tx_usecs, v->coal_tx_pkts, v->coal_rx_usecs,
		v->coal_rx_pkts);
	for (k = 0; k < 2u * v->pairs && k < RTE_DIM(v->coal_vq_usecs); k++)
		if (v->coal_vq_usecs[k] != (k % 2 ? v->coal_tx_usecs :
				v->coal_rx_usecs) || v->coal_vq_pkts[k] !=
				(k % 2 ? v->coal_tx_pkts : v->coal_rx_pkts))
			cmds_out("    vq %u: usecs %u pkts %u\n", k,
				v->coal_vq_usecs[k], v->coal_vq_pkts[k]);
}

static void
show_device_stats(void)
{
	struct rte_vdpa_stat_name names[SHOW_MAX_STATS];
	struct rte_vdpa_stat vals[SHOW_MAX_STATS];
	int nr, n, k, cvq = -1;
	uint32_t pairs;
	uint16_t vq;

	nr = rte_vdpa_get_stats_names(cmds.vdpa, names, RTE_DIM(names));
	if (nr <= 0 || rte_vdpa_get_queue_num(cmds.vdpa, &pairs) != 0) {
		cmds_out("device %s: no statistics\n", cmds.vdpa_name);
		return;
	}
	if (cmds.fe != NULL)
		cvq = fe_ctrl_vq_index(cmds.fe);
	cmds_out("device %s (rte_vdpa_get_stats):\n", cmds.vdpa_name);
	for (vq = 0; vq <= 2 * pairs; vq++) {
		n = rte_vdpa_get_stats(cmds.vdpa, vq, vals, (unsigned int)nr);
		if (n <= 0)
			continue;
		cmds_out("  vq %3u %-3s", vq,
			rte_pmd_cvqsim_vq_group(cmds.vdpa, vq) ==
			RTE_PMD_CVQSIM_GROUP_CVQ ? "cvq" : vq_kind(vq, cvq));
		for (k = 0; k < n; k++)
			if (vals[k].id < (uint64_t)nr)
				cmds_out(" %s=%" PRIu64, names[vals[k].id].name,
					vals[k].value);
		cmds_out("\n");
	}
}

void
cmds_show_stats(void)
{
	struct fe_dev_info info;
	struct fe_q_stats st;
	const struct cmds_rx_checks *c = &cmds.rx;
	uint16_t q;

	if (cmds.fe != NULL) {
		fe_dev_info_get(cmds.fe, &info);
		cmds_out("frontend queues:\n  %-5s %10s %10s %10s %10s %10s %8s %8s\n",
			"pair", "tx_pkts", "tx_done", "tx_full", "rx_pkts", "rx_bytes",
			"rx_bad", "hashed");
		for (q = 0; q <= info.nr_pairs; q++) {
			char name[8];

			if (q < info.nr_pairs) {
				fe_stats_get(cmds.fe, q, &st);
				snprintf(name, sizeof(name), "%u", q);
			} else {
				fe_stats_total(cmds.fe, &st);
				snprintf(name, sizeof(name), "total");
			}
			cmds_out("  %-5s %10" PRIu64 " %10" PRIu64 " %10" PRIu64 " %10"
				PRIu64 " %10" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n", name,
				st.tx_pkts, st.tx_done, st.tx_full, st.rx_pkts, st.rx_bytes,
				st.rx_bad_hdr, st.rx_hash_reported);
		}
		cmds_out("control queue: sent %" PRIu64 ", OK %" PRIu64 ", ERR %"
			PRIu64 "\n", cmds.ctrl_sent, cmds.ctrl_ok, cmds.ctrl_err);
		cmds_out("frames checked: %" PRIu64 ", steering ok %" PRIu64 " bad %"
			PRIu64 ", hash ok %" PRIu64 " bad %" PRIu64 " none %" PRIu64
			", bad payload %" PRIu64 ", vlan tagged %" PRIu64 "\n",
			c->frames, c->steer_ok, c->steer_bad, c->hash_ok, c->hash_bad,
			c->hash_none, c->bad_payload, c->vlan_tagged);
	}
	if (cmds.vdpa != NULL)
		show_device_stats();
	if (cmds.fe == NULL && cmds.vdpa == NULL)
		cmds_error("no device and no frontend in this process");
}

void
cmds_show_features(void)
{
	struct fe_dev_info info;
	uint64_t offered = 0, mask = 0, nego = 0, any;
	unsigned int bit;

	if (cmds.fe != NULL) {
		fe_dev_info_get(cmds.fe, &info);
		offered = info.device_features;
		nego = info.features;
		mask = cmds.opts->fe.feature_mask;
	} else if (cmds.vdpa == NULL || rte_vdpa_get_features(cmds.vdpa,
			&offered) != 0) {
		cmds_error("no device and no frontend in this process");
		return;
	}
	any = offered | nego | (cmds.fe != NULL ? mask : 0);
	cmds_out("  %-3s %-20s %-8s %-9s %s\n", "bit", "feature", "offered",
		"frontend", "negotiated");
	for (bit = 0; bit < 64; bit++) {
		const char *name = fe_feature_name(bit);

		if (!(any & FE_BIT(bit)))
			continue;
		cmds_out("  %-3u %-20s %-8s %-9s %s\n", bit, name ? name : "?",
			offered & FE_BIT(bit) ? "yes" : "-",
			cmds.fe == NULL ? "" : mask & FE_BIT(bit) ? "yes" : "-",
			cmds.fe == NULL ? "" : nego & FE_BIT(bit) ? "yes" : "-");
	}
}

void
cmds_clear_stats(void)
{
	uint32_t pairs;
	uint16_t vq;

	if (cmds.fe != NULL)
		fe_stats_reset(cmds.fe);
	if (cmds.vdpa != NULL && rte_vdpa_get_queue_num(cmds.vdpa, &pairs) == 0)
		for (vq = 0; vq <= 2 * pairs; vq++)
			rte_vdpa_reset_stats(cmds.vdpa, vq);
	cmds.ctrl_sent = cmds.ctrl_ok = cmds.ctrl_err = 0;
	memset(&cmds.rx, 0, sizeof(cmds.rx));
	memset(&cmds.recv, 0, sizeof(cmds.recv));
	cmds_out("statistics cleared\n");
}

void
cmds_device_announce(void)
{
	struct rte_vdpa_device *dev = cmds_need_vdpa();
	int ret;

	if (dev == NULL)
		return;
	ret = rte_pmd_cvqsim_announce(dev);
	if (ret < 0) {
		cmds_error("device announce: %s", strerror(-ret));
		return;
	}
	/* The VMM raised it: its copy of the device state raises it too. */
	shadow_announce(dev);
	cmds_out("device %s: announce requested\n", cmds.vdpa_name);
}

void
cmds_show_shadow(void)
{
	int ret;

	if (cmds_need_vdpa() == NULL)
		return;
	ret = shadow_show(stdout, 0);
	if (ret == -ENODEV)
		cmds_error("show shadow: no shadow control queue (--shadow-cvq)");
	else if (ret != 0)
		cmds_error("show shadow: the shadow's state differs from the device's");
}

void
cmds_shadow_set(bool on)
{
	int ret = shadow_set(0, on);

	if (ret < 0) {
		cmds_error("device shadow: %s", ret == -ENOTSUP ?
			"start the application with --shadow-cvq" :
			strerror(-ret));
		return;
	}
	cmds_out("device shadow %s from the next connection\n", on ? "on" : "off");
}
