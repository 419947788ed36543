/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Control-queue commands: each "ctrl ..." command encodes its data with the
 * virtio 1.4 byte layouts (little-endian, unaligned), in the segments a
 * Linux driver would use (the SPLIT layout puts each in its descriptor),
 * sends it through the frontend's control queue, prints the ack and any
 * result, and on OK applies it to the view (cmds_view.c).
 *
 * The application never refuses a command because a feature was not
 * negotiated: proving that the device answers ERR is the point. It only
 * notes it next to the ack.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/virtio_net.h>

#include <rte_common.h>

#include "cmds_args.h"
#include "cmds_ctrl.h"
#include "cmds_ctx.h"
#include "cmds_view.h"

/* Classes and commands newer than the installed uapi header. */
#define CTRL_NOTF_COAL_VQ_SET	2
#define CTRL_NOTF_COAL_VQ_GET	3
#define CTRL_HASH_TUNNEL	7
#define CTRL_HASH_TUNNEL_SET	0

/* The MAC table capacity the view assumes (the device's default). */
#define VIEW_MAC_TABLE		64

void
cmds_results_clear(void)
{
	cmds.nr_results = 0;
}

void
cmds_result_add(const char *name, uint64_t value)
{
	struct cmds_result *r;

	if (cmds.nr_results == CMDS_MAX_RESULTS)
		return;
	r = &cmds.results[cmds.nr_results++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->value = value;
}

static const char *
ack_text(int ack, char *buf, size_t len)
{
	if (ack == VIRTIO_NET_OK)
		return "OK";
	if (ack == VIRTIO_NET_ERR)
		return "ERR";
	if (ack == FE_CTRL_ACK_UNSET)
		snprintf(buf, len, "no ack (0xff left in place)");
	else
		snprintf(buf, len, "ack 0x%02x", ack);
	return buf;
}

/*
 * " (A, B not negotiated)": the gating feature and those the command's
 * data needs (cmds.ctrl_needs, cleared here) that the frontend did not
 * negotiate, the likely reason of an ERR.
 */
static void
ctrl_missing_note(int gate_bit, char *note, size_t len)
{
	uint64_t missing = cmds.ctrl_needs;
	size_t off = 0;
	unsigned int bit;

	cmds.ctrl_needs = 0;
	if (gate_bit >= 0)
		missing |= FE_BIT(gate_bit);
	missing &= ~cmds.view.features;
	note[0] = '\0';
	for (bit = 0; bit < 64 && off < len; bit++) {
		if (!(missing & FE_BIT(bit)))
			continue;
		const char *name = fe_feature_name(bit);

		if (name != NULL)
			off += (size_t)snprintf(note + off, len - off, "%s%s",
				off == 0 ? " (" : ", ", name);
		else
			off += (size_t)snprintf(note + off, len - off, "%sbit %u",
				off == 0 ? " (" : ", ", bit);
	}
	if (off > 0 && off < len)
		snprintf(note + off, len - off, " not negotiated)");
}

int
cmds_ctrl_send(const char *what, int gate_bit, uint8_t cls, uint8_t cmd,
		const struct iovec *segs, unsigned int n_segs, void *result,
		size_t result_len, uint32_t *result_got)
{
	static struct fe_ctrl_res res;
	struct fe_ctrl_req req;
	struct fe_dev *fe;
	char note[160] = "", buf[48];
	int ret;

	cmds_results_clear();
	snprintf(cmds.last_ctrl, sizeof(cmds.last_ctrl), "%s", what);
	cmds.last_ack = -1;
	if (result_got != NULL)
		*result_got = 0;
	fe = cmds_need_fe();
	if (fe == NULL)
		return -ENODEV;
	memset(&req, 0, sizeof(req));
	req.class_ = cls;
	req.cmd = cmd;
	req.data = segs;
	req.n_data = n_segs;
	req.result_len = result_len;
	req.layout = fe_ctrl_get_layout(fe);
	ret = fe_ctrl_ex(fe, &req, &res);
	if (ret < 0) {
		cmds_error("%s: no answer: %s", what, fe_dev_error(fe));
		return ret;
	}
	cmds.ctrl_sent++;
	cmds.last_ack = res.ack;
	if (res.ack == VIRTIO_NET_OK)
		cmds.ctrl_ok++;
	else
		cmds.ctrl_err++;
	ctrl_missing_note(gate_bit, note, sizeof(note));
	cmds_out("%s: %s%s\n", what, ack_text(res.ack, buf, sizeof(buf)), note);
	cmds_result_add("used_len", res.used_len);
	if (res.ack == VIRTIO_NET_OK && result != NULL && result_len > 0) {
		memset(result, 0, result_len);
		memcpy(result, res.result, res.result_len);
		if (result_got != NULL)
			*result_got = res.result_len;
	}
	return res.ack;
}

/* One data segment: the common case. */
static int
send1(const char *what, int gate, uint8_t cls, uint8_t cmd, const void *data,
		size_t len)
{
	struct iovec iov = { (void *)(uintptr_t)data, len };

	return cmds_ctrl_send(what, gate, cls, cmd, &iov, len ? 1 : 0, NULL, 0,
		NULL);
}

void
cmds_ctrl_rx(const char *mode, bool on)
{
	struct cmds_view *v = &cmds.view;
	uint8_t data = on ? 1 : 0;
	char what[64];
	unsigned int i;
	int gate;

	for (i = 0; cmds_rx_mode_names[i].name != NULL; i++)
		if (strcmp(cmds_rx_mode_names[i].name, mode) == 0)
			break;
	if (cmds_rx_mode_names[i].name == NULL) {
		cmds_arg_error("unknown rx mode %s", mode);
		return;
	}
	gate = cmds_rx_mode_names[i].bit <= VIRTIO_NET_CTRL_RX_ALLMULTI ?
		VIRTIO_NET_F_CTRL_RX : VIRTIO_NET_F_CTRL_RX_EXTRA;
	snprintf(what, sizeof(what), "ctrl rx %s %s", mode, on ? "on" : "off");
	if (send1(what, gate, VIRTIO_NET_CTRL_RX,
			(uint8_t)cmds_rx_mode_names[i].bit, &data, 1) != VIRTIO_NET_OK)
		return;
	switch (cmds_rx_mode_names[i].bit) {
	case VIRTIO_NET_CTRL_RX_PROMISC:
		v->promisc = data;
		break;
	case VIRTIO_NET_CTRL_RX_ALLMULTI:
		v->allmulti = data;
		break;
	case VIRTIO_NET_CTRL_RX_ALLUNI:
		v->alluni = data;
		break;
	case VIRTIO_NET_CTRL_RX_NOMULTI:
		v->nomulti = data;
		break;
	case VIRTIO_NET_CTRL_RX_NOUNI:
		v->nouni = data;
		break;
	default:
		v->nobcast = data;
		break;
	}
}

void
cmds_ctrl_mac_addr(const uint8_t mac[6])
{
	char what[64], buf[18];

	snprintf(what, sizeof(what), "ctrl mac addr %s", cmds_fmt_mac(mac, buf));
	if (send1(what, VIRTIO_NET_F_CTRL_MAC_ADDR, VIRTIO_NET_CTRL_MAC,
			VIRTIO_NET_CTRL_MAC_ADDR_SET, mac, 6) == VIRTIO_NET_OK)
		memcpy(cmds.view.mac, mac, 6);
}

/*
 * One list of "ctrl mac table": nothing, "-"/"none", "MAC,MAC,..." or
 * "gen N" (N addresses of the class, generated). Consumes argv entries up
 * to the next keyword; returns the count or -EINVAL.
 */
static int
mac_list(char **argv, unsigned int argc, unsigned int *i, bool multicast,
		uint8_t (*out)[6], unsigned int max)
{
	unsigned int n = 0;
	uint64_t gen;

	if (*i >= argc || strcmp(argv[*i], "uc") == 0 ||
			strcmp(argv[*i], "mc") == 0)
		return 0;
	if (strcmp(argv[*i], "gen") == 0) {
		if (*i + 1 >= argc || cmds_parse_u64(argv[*i + 1], max, &gen) < 0) {
			cmds_arg_error("gen takes a count up to %u", max);
			return -EINVAL;
		}
		for (n = 0; n < gen; n++) {
			/* 01:00:5e:00:hi:lo or 02:00:00:00:hi:lo */
			out[n][0] = multicast ? 0x01 : 0x02;
			out[n][1] = 0x00;
			out[n][2] = multicast ? 0x5e : 0x00;
			out[n][3] = 0x00;
			out[n][4] = (uint8_t)(n >> 8);
			out[n][5] = (uint8_t)n;
		}
		*i += 2;
		return (int)n;
	}
	if (strcmp(argv[*i], "-") != 0 && strcasecmp(argv[*i], "none") != 0) {
		char *save = NULL, *tok;

		for (tok = strtok_r(argv[*i], ",", &save); tok != NULL;
				tok = strtok_r(NULL, ",", &save)) {
			if (n == max || cmds_parse_mac(tok, out[n]) < 0) {
				cmds_arg_error("bad MAC list entry '%s' (at most %u)", tok,
					max);
				return -EINVAL;
			}
			if (((out[n][0] & 1) != 0) != multicast) {
				cmds_arg_error("%s is not a %s address", tok,
					multicast ? "multicast" : "unicast");
				return -EINVAL;
			}
			n++;
		}
	}
	(*i)++;
	return (int)n;
}

/* Apply an acknowledged table with QEMU's overflow rule. */
static void
view_mac_table(uint8_t (*uc)[6], unsigned int n_uc, uint8_t (*mc)[6],
		unsigned int n_mc)
{
	struct cmds_view *v = &cmds.view;

	v->uc_overflow = n_uc > VIEW_MAC_TABLE;
	v->n_uc = v->uc_overflow ? 0 : n_uc;
	memcpy(v->uc, uc, (size_t)v->n_uc * 6);
	v->mc_overflow = n_mc > VIEW_MAC_TABLE - v->n_uc;
	v->n_mc = v->mc_overflow ? 0 : n_mc;
	memcpy(v->mc, mc, (size_t)v->n_mc * 6);
}

void
cmds_ctrl_mac_table(const char *args)
{
	/* One request's data: counts and 1364 addresses at most. */
	static uint8_t uc[FE_CTRL_MAX_DATA / 6][6], mc[FE_CTRL_MAX_DATA / 6][6];
	static uint8_t seg_uc[FE_CTRL_MAX_DATA], seg_mc[FE_CTRL_MAX_DATA];
	const unsigned int max = (FE_CTRL_MAX_DATA - 8) / 6;
	char copy[CMDS_ARGS_MAX], *argv[8];
	unsigned int argc, i = 0;
	int n_uc = 0, n_mc = 0;
	bool seen_uc = false, seen_mc = false;
	struct iovec iov[2];
	char what[96];

	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	while (i < argc) {
		if (strcmp(argv[i], "uc") == 0 && !seen_uc) {
			i++;
			seen_uc = true;
			n_uc = mac_list(argv, argc, &i, false, uc, max);
		} else if (strcmp(argv[i], "mc") == 0 && !seen_mc) {
			i++;
			seen_mc = true;
			n_mc = mac_list(argv, argc, &i, true, mc, max);
		} else {
			cmds_arg_error("ctrl mac table: unexpected '%s' (uc LIST mc LIST)",
				argv[i]);
			return;
		}
		if (n_uc < 0 || n_mc < 0)
			return;
	}
	if ((unsigned int)(n_uc + n_mc) > max) {
		cmds_arg_error("ctrl mac table: %d addresses, at most %u in one command",
			n_uc + n_mc, max);
		return;
	}
	cvqsim_put_le32(seg_uc, (uint32_t)n_uc);
	memcpy(seg_uc + 4, uc, (size_t)n_uc * 6);
	cvqsim_put_le32(seg_mc, (uint32_t)n_mc);
	memcpy(seg_mc + 4, mc, (size_t)n_mc * 6);
	iov[0] = (struct iovec){ seg_uc, 4 + (size_t)n_uc * 6 };
	iov[1] = (struct iovec){ seg_mc, 4 + (size_t)n_mc * 6 };
	snprintf(what, sizeof(what), "ctrl mac table (%d unicast, %d multicast)",
		n_uc, n_mc);
	if (cmds_ctrl_send(what, VIRTIO_NET_F_CTRL_RX, VIRTIO_NET_CTRL_MAC,
			VIRTIO_NET_CTRL_MAC_TABLE_SET, iov, 2, NULL, 0,
			NULL) == VIRTIO_NET_OK)
		view_mac_table(uc, (unsigned int)n_uc, mc, (unsigned int)n_mc);
}

void
cmds_ctrl_vlan(bool add, uint16_t vid)
{
	struct cmds_view *v = &cmds.view;
	uint8_t data[2];
	char what[64];

	cvqsim_put_le16(data, vid);
	snprintf(what, sizeof(what), "ctrl vlan %s %u", add ? "add" : "del", vid);
	if (send1(what, VIRTIO_NET_F_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN,
			add ? VIRTIO_NET_CTRL_VLAN_ADD : VIRTIO_NET_CTRL_VLAN_DEL,
			data, 2) != VIRTIO_NET_OK || vid >= 4096)
		return;
	if (add)
		v->vlans[vid / 32] |= 1u << (vid % 32);
	else
		v->vlans[vid / 32] &= ~(1u << (vid % 32));
}

void
cmds_ctrl_mq_pairs(uint16_t pairs)
{
	uint8_t data[2];
	char what[64];

	cvqsim_put_le16(data, pairs);
	snprintf(what, sizeof(what), "ctrl mq pairs %u", pairs);
	if (send1(what, VIRTIO_NET_F_MQ, VIRTIO_NET_CTRL_MQ,
			VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, data, 2) != VIRTIO_NET_OK)
		return;
	cmds.view.pairs = pairs;
	/* The last MQ command decides the mode: automatic steering again. */
	cmds.view.rss = false;
}

void
cmds_ctrl_offloads(const char *args)
{
	char what[160], names[128];
	const char *bad;
	uint8_t data[8];
	uint64_t mask;

	if (cmds_parse_names(args, cmds_offload_names, &mask, &bad) < 0) {
		cmds_arg_error("offloads '%s': a mask, none, or names among guest_csum,"
			"guest_tso4,guest_tso6,guest_ecn,guest_ufo,guest_uso4,"
			"guest_uso6,guest_hdrlen,rsc_ext", bad ? bad : args);
		return;
	}
	cvqsim_put_le64(data, mask);
	cmds_fmt_names(mask, cmds_offload_names, names, sizeof(names));
	snprintf(what, sizeof(what), "ctrl offloads %s (0x%" PRIx64 ")", names,
		mask);
	/* Each offload bit is the feature bit of the same number. */
	cmds.ctrl_needs = mask;
	if (send1(what, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS,
			VIRTIO_NET_CTRL_GUEST_OFFLOADS,
			VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, data, 8) == VIRTIO_NET_OK)
		cmds.view.offloads = mask;
}

void
cmds_ctrl_coal(bool tx, uint32_t usecs, uint32_t pkts)
{
	struct cmds_view *v = &cmds.view;
	uint8_t data[8];
	char what[80];
	unsigned int q;

	cvqsim_put_le32(data, pkts);
	cvqsim_put_le32(data + 4, usecs);
	snprintf(what, sizeof(what), "ctrl coal %s usecs %u pkts %u",
		tx ? "tx" : "rx", usecs, pkts);
	if (send1(what, VIRTIO_NET_F_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL,
			tx ? VIRTIO_NET_CTRL_NOTF_COAL_TX_SET :
			VIRTIO_NET_CTRL_NOTF_COAL_RX_SET, data, 8) != VIRTIO_NET_OK)
		return;
	if (tx) {
		v->coal_tx_usecs = usecs;
		v->coal_tx_pkts = pkts;
	} else {
		v->coal_rx_usecs = usecs;
		v->coal_rx_pkts = pkts;
	}
	/* The last value written wins, global or per queue. */
	for (q = tx ? 1 : 0; q < RTE_DIM(v->coal_vq_usecs); q += 2) {
		v->coal_vq_usecs[q] = usecs;
		v->coal_vq_pkts[q] = pkts;
	}
}

void
cmds_ctrl_coal_vq_set(uint16_t vq, uint32_t usecs, uint32_t pkts)
{
	struct cmds_view *v = &cmds.view;
	uint8_t data[12];
	char what[80];

	cvqsim_put_le16(data, vq);
	cvqsim_put_le16(data + 2, 0);
	cvqsim_put_le32(data + 4, pkts);
	cvqsim_put_le32(data + 8, usecs);
	snprintf(what, sizeof(what), "ctrl coal vq %u usecs %u pkts %u", vq,
		usecs, pkts);
	if (send1(what, VIRTIO_NET_F_VQ_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL,
			CTRL_NOTF_COAL_VQ_SET, data, 12) != VIRTIO_NET_OK ||
			vq >= RTE_DIM(v->coal_vq_usecs))
		return;
	v->coal_vq_usecs[vq] = usecs;
	v->coal_vq_pkts[vq] = pkts;
}

void
cmds_ctrl_coal_vq_get(uint16_t vq)
{
	struct iovec iov;
	uint8_t data[4], res[8];
	uint32_t got;
	char what[64];

	cvqsim_put_le16(data, vq);
	cvqsim_put_le16(data + 2, 0);
	iov = (struct iovec){ data, 4 };
	snprintf(what, sizeof(what), "ctrl coal vq %u get", vq);
	if (cmds_ctrl_send(what, VIRTIO_NET_F_VQ_NOTF_COAL,
			VIRTIO_NET_CTRL_NOTF_COAL, CTRL_NOTF_COAL_VQ_GET, &iov, 1,
			res, sizeof(res), &got) != VIRTIO_NET_OK)
		return;
	if (got < sizeof(res)) {
		cmds_error("%s: OK with %u result bytes, 8 expected", what, got);
		return;
	}
	cmds_out("  vq %u: max_usecs %u max_packets %u\n", vq, cvqsim_get_le32(res + 4),
		cvqsim_get_le32(res));
	cmds_result_add("max_packets", cvqsim_get_le32(res));
	cmds_result_add("max_usecs", cvqsim_get_le32(res + 4));
}

void
cmds_ctrl_announce_ack(void)
{
	send1("ctrl announce ack", VIRTIO_NET_F_GUEST_ANNOUNCE,
		VIRTIO_NET_CTRL_ANNOUNCE, VIRTIO_NET_CTRL_ANNOUNCE_ACK, NULL, 0);
}

void
cmds_ctrl_hash_tunnel(const char *args)
{
	char what[160], names[128];
	const char *bad;
	uint8_t data[4];
	uint64_t mask;

	if (cmds_parse_names(args, cmds_tunnel_names, &mask, &bad) < 0 ||
			mask > UINT32_MAX) {
		cmds_arg_error("tunnel types '%s': a mask, none, or names among gre_2784,"
			"gre_2890,gre_7676,gre_udp,vxlan,vxlan_gpe,geneve,ipip,nvgre",
			bad ? bad : args);
		return;
	}
	cvqsim_put_le32(data, (uint32_t)mask);
	cmds_fmt_names(mask, cmds_tunnel_names, names, sizeof(names));
	snprintf(what, sizeof(what), "ctrl hash tunnel %s", names);
	if (send1(what, VIRTIO_NET_F_HASH_TUNNEL, CTRL_HASH_TUNNEL,
			CTRL_HASH_TUNNEL_SET, data, 4) == VIRTIO_NET_OK)
		cmds.view.tunnel_types = (uint32_t)mask;
}

void
cmds_ctrl_raw(const char *args)
{
	static uint8_t data[FE_CTRL_MAX_DATA], res[FE_CTRL_MAX_RESULT];
	char copy[CMDS_ARGS_MAX], *argv[8], what[64];
	unsigned int argc, i;
	uint64_t cls, cmd, rlen = 0;
	struct iovec iov;
	uint32_t got;
	int len = 0;

	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	if (argc < 2 || cmds_parse_u64(argv[0], 255, &cls) < 0 ||
			cmds_parse_u64(argv[1], 255, &cmd) < 0) {
		cmds_arg_error("ctrl raw: CLASS and CMD are numbers 0..255");
		return;
	}
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "result") == 0 && i + 1 < argc) {
			if (cmds_parse_u64(argv[++i], FE_CTRL_MAX_RESULT, &rlen) < 0) {
				cmds_arg_error("result: 0..%u bytes", FE_CTRL_MAX_RESULT);
				return;
			}
		} else if (len == 0) {
			len = cmds_parse_hex(argv[i], data, sizeof(data));
			if (len < 0) {
				cmds_arg_error("data: hex bytes, e.g. 0100 or 01:00");
				return;
			}
		} else {
			cmds_arg_error("ctrl raw: unexpected '%s'", argv[i]);
			return;
		}
	}
	iov = (struct iovec){ data, (size_t)len };
	snprintf(what, sizeof(what), "ctrl raw class %" PRIu64 " cmd %" PRIu64
		" (%d bytes)", cls, cmd, len);
	if (cmds_ctrl_send(what, -1, (uint8_t)cls, (uint8_t)cmd, &iov,
			len > 0 ? 1 : 0, res, (size_t)rlen, &got) != VIRTIO_NET_OK ||
			got == 0)
		return;
	cmds_out("  result:");
	for (i = 0; i < got; i++)
		cmds_out(" %02x", res[i]);
	cmds_out("\n");
	cmds_result_add("result_len", got);
}

void
cmds_ctrl_layout(const char *name)
{
	struct fe_dev *fe = cmds_need_fe();
	enum fe_ctrl_layout l;

	if (fe == NULL)
		return;
	l = fe_ctrl_layout_from_name(name);
	if (l == FE_LAYOUT_MAX || fe_ctrl_set_layout(fe, l) < 0) {
		cmds_arg_error("layout %s: split, one, bytes or indirect", name);
		return;
	}
	cmds_out("control commands now use layout %s\n", fe_ctrl_layout_name(l));
}
