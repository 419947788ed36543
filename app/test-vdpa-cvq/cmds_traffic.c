/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Traffic: "send" builds a stream (frames.h) and transmits it on one queue;
 * "recv" drains every receive queue and checks each frame against what the
 * view says the device must do:
 * - steering: with RSS in force, the queue the indirection table gives for
 *   the frame's Toeplitz hash (unclassified queue when no hash type
 *   applies); otherwise automatic steering: the pair that sent the flow if
 *   it is in use, else pair 0 (the frame's stream id is its TX pair);
 * - hash report (HASH_REPORT negotiated): the type and value of our own
 *   Toeplitz computation, NONE when hashing is off;
 * - the payload tag and pattern (frames.h).
 * The counts are readable as rx.* counters by "expect stat".
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/virtio_net.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_thash.h>

#include <rte_pmd_cvqsim.h>

#include "cmds_args.h"
#include "cmds_ctx.h"
#include "cmds_traffic.h"
#include "cmds_view.h"

/* The device's counters when the first frame since the last recv left. */
static struct rte_pmd_cvqsim_stats drops_base;

#define RECV_TIMEOUT_MS		3000
/* Nothing new for this long once every frame sent was completed: done. */
#define RECV_QUIET_MS		20

static bool
is_number(const char *s)
{
	uint64_t v;

	return cmds_parse_u64(s, UINT64_MAX, &v) == 0;
}

static bool
is_address(const char *s)
{
	return strchr(s, '.') != NULL || strchr(s, ':') != NULL;
}

static int
append(char *buf, size_t len, size_t *off, const char *fmt, const char *a,
		const char *b)
{
	int n = snprintf(buf + *off, len - *off, fmt, a, b);

	if (n < 0 || (size_t)n >= len - *off) {
		cmds_error("send: arguments too long");
		return -E2BIG;
	}
	*off += (size_t)n;
	return 0;
}

/*
 * "send" arguments to a frame spec: our "key value" words become the
 * "key=value" text frame_spec_parse() reads; queue and count are ours.
 */
static int
send_parse(const char *args, struct frame_spec *spec, uint16_t *queue,
		uint32_t *count)
{
	static const char * const pass[] = { "dst", "src", "vlan", "pcp", "len",
		"sport-range", "dport-range", "ethertype" };
	char copy[CMDS_ARGS_MAX], text[CMDS_ARGS_MAX], err[160], *argv[32];
	unsigned int argc, i, k;
	size_t off = 0;
	uint64_t v;

	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	text[0] = '\0';
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(w, "queue") == 0 || strcmp(w, "count") == 0) {
			if (next == NULL || cmds_parse_u64(next,
					strcmp(w, "queue") == 0 ? FE_MAX_PAIRS - 1 :
					1000000, &v) < 0) {
				cmds_arg_error("send: %s takes a number 0..%u", w,
					strcmp(w, "queue") == 0 ? FE_MAX_PAIRS - 1 :
					1000000);
				return -EINVAL;
			}
			if (strcmp(w, "queue") == 0)
				*queue = (uint16_t)v;
			else
				*count = (uint32_t)v;
			i++;
			continue;
		}
		if (strcmp(w, "bcast") == 0 || strcmp(w, "mcast") == 0) {
			if (append(text, sizeof(text), &off, "%s%s ", "dst=",
					w[0] == 'b' ? "ff:ff:ff:ff:ff:ff" :
					"01:00:5e:00:00:01") < 0)
				return -E2BIG;
			continue;
		}
		if (strcmp(w, "ipv4") == 0 || strcmp(w, "ipv6") == 0) {
			if (append(text, sizeof(text), &off, "%s%s ", w, "") < 0)
				return -E2BIG;
			if (next != NULL && is_address(next) && i + 2 < argc &&
					is_address(argv[i + 2])) {
				if (append(text, sizeof(text), &off, "sip=%s dip=%s ",
						next, argv[i + 2]) < 0)
					return -E2BIG;
				i += 2;
			}
			continue;
		}
		if (strcmp(w, "udp") == 0 || strcmp(w, "tcp") == 0) {
			if (append(text, sizeof(text), &off, "%s%s ", w, "") < 0)
				return -E2BIG;
			if (next != NULL && is_number(next) && i + 2 < argc &&
					is_number(argv[i + 2])) {
				if (append(text, sizeof(text), &off,
						"sport=%s dport=%s ", next, argv[i + 2]) < 0)
					return -E2BIG;
				i += 2;
			}
			continue;
		}
		for (k = 0; k < RTE_DIM(pass); k++)
			if (strcmp(w, pass[k]) == 0)
				break;
		if (k < RTE_DIM(pass)) {
			if (next == NULL) {
				cmds_arg_error("send: %s needs a value", w);
				return -EINVAL;
			}
			if (append(text, sizeof(text), &off, "%s=%s ", w, next) < 0)
				return -E2BIG;
			i++;
			continue;
		}
		/* raw, or key=value as frame_spec_parse takes it. */
		if (append(text, sizeof(text), &off, "%s%s ", w, "") < 0)
			return -E2BIG;
	}
	if (frame_spec_parse(spec, text, err, sizeof(err)) < 0) {
		cmds_arg_error("send: %s", err);
		return -EINVAL;
	}
	return 0;
}

void
cmds_send(const char *args)
{
	struct fe_dev *fe = cmds_need_fe();
	struct frame_spec spec;
	struct fe_dev_info info;
	uint32_t count = 1;
	uint16_t queue = 0;
	char desc[512];
	int ret;

	if (fe == NULL)
		return;
	frame_spec_init(&spec);
	/* By default, frames the device accepts: to its primary MAC. */
	if (cmds.view.valid)
		memcpy(spec.dst, cmds.view.mac, 6);
	if (send_parse(args, &spec, &queue, &count) < 0)
		return;
	fe_dev_info_get(fe, &info);
	if (queue >= info.nr_pairs) {
		cmds_arg_error("send: queue %u: Q is 0..%u (the frontend uses %u"
			" queue pair%s)", queue, info.nr_pairs - 1, info.nr_pairs,
			info.nr_pairs == 1 ? "" : "s");
		return;
	}
	spec.count = count;
	spec.stream = queue;	/* lets recv know the TX pair of a frame */
	/* What the device drops from here on is this traffic's. */
	if (cmds.sent_since_recv == 0 && cmds.vdpa != NULL)
		rte_pmd_cvqsim_stats_get(cmds.vdpa, &drops_base);
	ret = fe_tx(fe, queue, &spec, count);
	if (ret > 0)
		cmds.sent_since_recv += (uint64_t)ret;
	if (ret < 0) {
		cmds_error("send: %s", fe_dev_error(fe));
		return;
	}
	frame_spec_format(&spec, desc, sizeof(desc));
	cmds_out("sent %d frame%s on queue %u (%u bytes): %s\n", ret,
		ret == 1 ? "" : "s", queue, frame_len(&spec), desc);
	if ((uint32_t)ret != count)
		cmds_error("send: only %d of %u frames sent: %s", ret, count,
			fe_dev_error(fe));
}

/* The Toeplitz input of a flow: bytes in network order, as 32-bit words. */
static uint32_t
toeplitz(const uint8_t *bytes, unsigned int n, const uint8_t *key)
{
	/* rte_softrss() loads the key as 32-bit words: give it an aligned copy. */
	uint8_t aligned_key[CMDS_RSS_KEY_LEN] __rte_aligned(4);
	uint32_t words[9];
	unsigned int i;

	for (i = 0; i < n / 4; i++)
		words[i] = rte_be_to_cpu_32(*(const rte_be32_t *)(const void *)
			(bytes + 4 * i));
	memcpy(aligned_key, key, sizeof(aligned_key));
	return rte_softrss(words, n / 4, aligned_key);
}

uint16_t
cmds_frame_hash(const uint8_t *frame, uint32_t len, uint32_t hash_types,
		const uint8_t *key, uint32_t *hash)
{
	struct frame_info fi;
	uint8_t in[36];
	unsigned int alen;
	bool tcp, udp;
	uint16_t r_tcp, r_udp, r_ip;
	uint32_t t_tcp, t_udp, t_ip;

	*hash = 0;
	if (frame_parse(frame, len, &fi) < 0 ||
			(fi.l3 != FRAME_L3_IPV4 && fi.l3 != FRAME_L3_IPV6))
		return VIRTIO_NET_HASH_REPORT_NONE;
	alen = fi.l3 == FRAME_L3_IPV4 ? 4 : 16;
	memcpy(in, fi.sip, alen);
	memcpy(in + alen, fi.dip, alen);
	in[2 * alen] = (uint8_t)(fi.sport >> 8);
	in[2 * alen + 1] = (uint8_t)fi.sport;
	in[2 * alen + 2] = (uint8_t)(fi.dport >> 8);
	in[2 * alen + 3] = (uint8_t)fi.dport;
	tcp = fi.l4 == FRAME_L4_TCP;
	udp = fi.l4 == FRAME_L4_UDP;
	if (fi.l3 == FRAME_L3_IPV4) {
		t_tcp = VIRTIO_NET_RSS_HASH_TYPE_TCPv4;
		t_udp = VIRTIO_NET_RSS_HASH_TYPE_UDPv4;
		t_ip = VIRTIO_NET_RSS_HASH_TYPE_IPv4;
		r_tcp = VIRTIO_NET_HASH_REPORT_TCPv4;
		r_udp = VIRTIO_NET_HASH_REPORT_UDPv4;
		r_ip = VIRTIO_NET_HASH_REPORT_IPv4;
	} else {
		/* Our frames carry no extension header: the _EX types do not
		 * apply (the spec; QEMU would report *_EX). */
		t_tcp = VIRTIO_NET_RSS_HASH_TYPE_TCPv6;
		t_udp = VIRTIO_NET_RSS_HASH_TYPE_UDPv6;
		t_ip = VIRTIO_NET_RSS_HASH_TYPE_IPv6;
		r_tcp = VIRTIO_NET_HASH_REPORT_TCPv6;
		r_udp = VIRTIO_NET_HASH_REPORT_UDPv6;
		r_ip = VIRTIO_NET_HASH_REPORT_IPv6;
	}
	if ((hash_types & t_tcp) && tcp) {
		*hash = toeplitz(in, 2 * alen + 4, key);
		return r_tcp;
	}
	if ((hash_types & t_udp) && udp) {
		*hash = toeplitz(in, 2 * alen + 4, key);
		return r_udp;
	}
	if (hash_types & t_ip) {
		*hash = toeplitz(in, 2 * alen, key);
		return r_ip;
	}
	return VIRTIO_NET_HASH_REPORT_NONE;
}

static void
check_steering(const struct fe_rx_pkt *pkt, const struct cmds_view *v)
{
	uint16_t want, report;
	uint32_t hash;

	if (v->rss && v->table_len > 0) {
		report = cmds_frame_hash(pkt->data, pkt->len, v->hash_types, v->key,
			&hash);
		want = report == VIRTIO_NET_HASH_REPORT_NONE ? v->unclassified :
			v->table[hash & (v->table_len - 1u)];
	} else {
		if (!pkt->info.has_tag)
			return;	/* not ours: its TX pair is unknown */
		want = pkt->info.stream < v->pairs ? (uint16_t)pkt->info.stream : 0;
	}
	if (pkt->queue == want)
		cmds.rx.steer_ok++;
	else
		cmds.rx.steer_bad++;
}

static void
check_hash(const struct fe_rx_pkt *pkt, const struct cmds_view *v)
{
	uint16_t want;
	uint32_t hash = 0;

	if (!(v->features & FE_BIT(VIRTIO_NET_F_HASH_REPORT)))
		return;
	want = v->hash_types == 0 ? VIRTIO_NET_HASH_REPORT_NONE :
		cmds_frame_hash(pkt->data, pkt->len, v->hash_types, v->key, &hash);
	if (pkt->hdr.hash_report == VIRTIO_NET_HASH_REPORT_NONE)
		cmds.rx.hash_none++;
	if (pkt->hdr.hash_report == want &&
			(want == VIRTIO_NET_HASH_REPORT_NONE ||
			 pkt->hdr.hash_value == hash))
		cmds.rx.hash_ok++;
	else
		cmds.rx.hash_bad++;
}

static void
recv_one(const struct fe_rx_pkt *pkt, void *arg)
{
	const struct cmds_view *v = arg;

	cmds.recv.total++;
	if (pkt->queue < FE_MAX_PAIRS)
		cmds.recv.per_queue[pkt->queue]++;
	cmds.rx.frames++;
	if (!pkt->info.has_tag || !pkt->info.pattern_ok)
		cmds.rx.bad_payload++;
	if (pkt->info.has_vlan)
		cmds.rx.vlan_tagged++;
	if (pkt->hdr.hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
		cmds.rx.needs_csum++;
	if (pkt->hdr.hdr.flags & VIRTIO_NET_HDR_F_DATA_VALID)
		cmds.rx.data_valid++;
	check_steering(pkt, v);
	check_hash(pkt, v);
}

/*
 * Whether the device completed every frame we sent and, for a device in
 * this process with a port (VF-parent mode), the port gave back as many
 * frames as it took: a loopback port returns them a pass later, after
 * their completion. A port that keeps frames ends recv at its timeout.
 */
static bool
tx_settled(struct fe_dev *fe)
{
	struct rte_pmd_cvqsim_port_info port;
	struct fe_q_stats st;

	if (fe_stats_total(fe, &st) != 0 || st.tx_done < st.tx_pkts)
		return false;
	if (cmds.vdpa == NULL ||
			rte_pmd_cvqsim_port_info_get(cmds.vdpa, &port) != 0)
		return true;
	return port.stats.rx_frames >= port.stats.tx_frames;
}

/*
 * The frames sent since the last recv that did not come back: what the
 * device dropped and why when it is in this process, else the count.
 */
static void
recv_report_drops(void)
{
	struct cmds_recv *r = &cmds.recv;
	struct rte_pmd_cvqsim_stats now;
	char why[512];
	size_t off = 0;
	unsigned int v;
	uint64_t n;

	r->sent = cmds.sent_since_recv;
	cmds.sent_since_recv = 0;
	if (cmds.vdpa == NULL || rte_pmd_cvqsim_stats_get(cmds.vdpa, &now) != 0) {
		if (r->sent > r->total)
			cmds_out("  %" PRIu64 " of the %" PRIu64 " frames sent did not"
				" come back (the device is in another process: its"
				" statistics tell why)\n", r->sent - r->total, r->sent);
		return;
	}
	r->drop_no_buffer = now.rx_overruns - drops_base.rx_overruns;
	r->drop_inactive = now.rx_inactive - drops_base.rx_inactive;
	why[0] = '\0';
	if (r->drop_no_buffer > 0)
		off += (size_t)snprintf(why + off, sizeof(why) - off,
			", no receive buffer %" PRIu64, r->drop_no_buffer);
	for (v = RTE_PMD_CVQSIM_RX_ACCEPT + 1; v < RTE_PMD_CVQSIM_RX_VERDICT_MAX;
			v++) {
		n = now.rx_filter[v] - drops_base.rx_filter[v];
		r->drop_filter += n;
		if (n > 0 && off < sizeof(why))
			off += (size_t)snprintf(why + off, sizeof(why) - off,
				", filter %s %" PRIu64, rte_pmd_cvqsim_rx_verdict_name(
					(enum rte_pmd_cvqsim_rx_verdict)v), n);
	}
	if (r->drop_inactive > 0 && off < sizeof(why))
		snprintf(why + off, sizeof(why) - off,
			", queue pair not in use %" PRIu64, r->drop_inactive);
	r->dropped = r->drop_no_buffer + r->drop_filter + r->drop_inactive;
	if (r->sent > r->total + r->dropped)
		r->missing = r->sent - r->total - r->dropped;
	if (r->dropped > 0)
		cmds_out("  the device dropped %" PRIu64 " of the %" PRIu64
			" frames sent: %s\n", r->dropped, r->sent, why + 2);
}

void
cmds_recv(const char *args)
{
	struct fe_dev *fe = cmds_need_fe();
	char copy[CMDS_ARGS_MAX], *argv[4];
	struct fe_dev_info info;
	uint64_t timeout = RECV_TIMEOUT_MS, deadline;
	unsigned int argc;
	uint16_t q;
	int ret;

	if (fe == NULL)
		return;
	snprintf(copy, sizeof(copy), "%s", args);
	argc = cmds_split(copy, argv, RTE_DIM(argv));
	if (argc == 2 && strcmp(argv[0], "timeout") == 0) {
		if (cmds_parse_u64(argv[1], 600000, &timeout) < 0) {
			cmds_arg_error("recv: timeout MS is 0..600000");
			return;
		}
	} else if (argc != 0) {
		cmds_arg_error("recv: unexpected '%s'", argv[0]);
		return;
	}
	memset(&cmds.recv, 0, sizeof(cmds.recv));
	cmds.recv.done = true;
	deadline = fe_now_ns() + timeout * 1000000ULL;
	/*
	 * Receive until the device has completed every frame we sent (it
	 * delivers a frame before completing it) and the queues stayed quiet,
	 * or until the timeout: dropped frames then cost one quiet period.
	 */
	for (;;) {
		uint64_t now = fe_now_ns();
		uint32_t slice = now >= deadline ? 0 :
			(uint32_t)RTE_MIN((deadline - now) / 1000000ULL, 50ULL);
		bool settled = tx_settled(fe);

		ret = fe_rx_drain(fe, RECV_QUIET_MS, slice, recv_one,
			&cmds.view);
		if (ret < 0) {
			cmds_error("recv: %s", fe_dev_error(fe));
			return;
		}
		if ((settled && ret == 0) || fe_now_ns() >= deadline ||
				(cmds.quit != NULL && *cmds.quit))
			break;
	}
	fe_dev_info_get(fe, &info);
	cmds_out("received %" PRIu64 " frame%s:", cmds.recv.total,
		cmds.recv.total == 1 ? "" : "s");
	for (q = 0; q < info.nr_pairs; q++)
		cmds_out(" q%u %" PRIu64, q, cmds.recv.per_queue[q]);
	cmds_out("\n");
	recv_report_drops();
}
