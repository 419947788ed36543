/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * state_autotest: device state in the virtio 1.4 device-parts form.
 * - The layout the spec defines (part headers, selectors, values, order).
 * - Save -> restore (the parts) and save -> replay (control commands in
 *   QEMU's order through the decoder) give byte-identical device state,
 *   for hand-made states and for hundreds of random command histories.
 * - Truncated, corrupt, newer-version, foreign-parameter and malformed
 *   states are refused with their error and leave the device unchanged.
 */

#include <errno.h>
#include <stdlib.h>
#include <sys/uio.h>

#include <rte_hash_crc.h>

#include "cvqsim_ctrl.h"
#include "cvqsim_state.h"
#include "cvqsim_state_priv.h"
#include "test.h"
#include "test_model.h"
#include "test_pkt.h"

#define F(bit)		(1ULL << (bit))
#define PAIRS		4
#define MAC_TABLE	16
#define HISTORIES	300

static const uint8_t *const primary = test_model_mac;

/* Everything the decoder and the model can negotiate. */
static const uint64_t all_features = F(VIRTIO_F_VERSION_1) |
	F(VIRTIO_NET_F_MAC) | F(VIRTIO_NET_F_STATUS) |
	F(VIRTIO_NET_F_CTRL_VQ) | F(VIRTIO_NET_F_CTRL_RX) |
	F(VIRTIO_NET_F_CTRL_RX_EXTRA) | F(VIRTIO_NET_F_CTRL_VLAN) |
	F(VIRTIO_NET_F_CTRL_MAC_ADDR) | F(VIRTIO_NET_F_MQ) |
	F(VIRTIO_NET_F_RSS) | F(VIRTIO_NET_F_HASH_REPORT) |
	F(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | F(VIRTIO_NET_F_GUEST_CSUM) |
	F(VIRTIO_NET_F_GUEST_TSO4) | F(VIRTIO_NET_F_GUEST_TSO6) |
	F(VIRTIO_NET_F_NOTF_COAL) | F(VIRTIO_NET_F_VQ_NOTF_COAL) |
	F(VIRTIO_NET_F_HASH_TUNNEL) | F(VIRTIO_NET_F_GUEST_ANNOUNCE);

static struct cvqsim_net *src, *dst;
static struct cvqsim_ctrl *ctrl;
static uint64_t rng = 88172645463325252ULL;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n != 0 ? (uint32_t)(rng % n) : 0;
}

static int
dev_init(struct cvqsim_net *n, uint16_t mac_table)
{
	return test_model_init(n, PAIRS, mac_table);
}

/* Send one command through the decoder; returns the ack. */
static int
cmd(uint8_t cls, uint8_t c, const void *data, uint32_t len)
{
	static struct cvqsim_chain ch;
	uint8_t hdr[2] = { cls, c }, ack = 0xff;
	uint32_t used;

	ch.nr_out = len != 0 ? 2 : 1;
	ch.nr_in = 1;
	ch.out_len = 2 + len;
	ch.in_len = 1;
	ch.iov[0] = (struct iovec){ hdr, 2 };
	ch.iov[1] = (struct iovec){ (void *)(uintptr_t)data, len };
	ch.iov[ch.nr_out] = (struct iovec){ &ack, 1 };
	cvqsim_ctrl_process(ctrl, &ch, &used);
	return ack;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
rand_mac_table(void)
{
	static uint8_t b[8 + 2 * (MAC_TABLE + 4) * 6];
	uint32_t n_uc = rnd(MAC_TABLE + 3), n_mc = rnd(MAC_TABLE + 3), i;

	put32(b, n_uc);
	for (i = 0; i < n_uc * 6; i++)
		b[4 + i] = (uint8_t)rnd(256) & (i % 6 == 0 ? 0xfe : 0xff);
	put32(b + 4 + n_uc * 6, n_mc);
	for (i = 0; i < n_mc * 6; i++)
		b[8 + n_uc * 6 + i] = (uint8_t)rnd(256) | (i % 6 == 0);
	cmd(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_TABLE_SET, b,
		8 + (n_uc + n_mc) * 6);
}

static void
rand_rss(bool rss)
{
	uint8_t b[8 + 2 * 128 + 3 + 40];
	uint16_t len = (uint16_t)(1u << rnd(8)), i, off;
	uint8_t key_len = rnd(4) == 0 ? 0 : 40;
	uint32_t types = key_len != 0 ? rnd(0x200) : 0;

	put32(b, types);
	if (!rss) {
		memset(b + 4, 0, 8);
		b[12] = key_len;
		for (i = 0; i < key_len; i++)
			b[13 + i] = (uint8_t)rnd(256);
		cmd(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_HASH_CONFIG, b,
			13u + key_len);
		return;
	}
	put16(b + 4, (uint16_t)(len - 1));
	put16(b + 6, (uint16_t)rnd(PAIRS));
	for (i = 0, off = 8; i < len; i++, off += 2)
		put16(b + off, (uint16_t)rnd(PAIRS));
	put16(b + off, (uint16_t)(1 + rnd(PAIRS)));
	b[off + 2] = key_len;
	for (i = 0; i < key_len; i++)
		b[off + 3 + i] = (uint8_t)rnd(256);
	cmd(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_RSS_CONFIG, b,
		off + 3u + key_len);
}

static void
rand_coal(void)
{
	uint8_t b[12];
	uint8_t c = (uint8_t)rnd(3);

	if (c == 2) {
		put16(b, (uint16_t)rnd(2 * PAIRS));
		put16(b + 2, 0);
		put32(b + 4, rnd(100));
		put32(b + 8, rnd(100));
		cmd(VIRTIO_NET_CTRL_NOTF_COAL, VIRTIO_NET_CTRL_NOTF_COAL_VQ_SET,
			b, 12);
		return;
	}
	put32(b, rnd(100));
	put32(b + 4, rnd(100));
	cmd(VIRTIO_NET_CTRL_NOTF_COAL, c, b, 8);
}

/* One random command (or queue enable change) a driver could send. */
static void
rand_step(struct cvqsim_net *n)
{
	uint8_t b[8] = { 0 };
	uint64_t offl;

	switch (rnd(11)) {
	case 0:
		b[0] = (uint8_t)rnd(2);
		cmd(VIRTIO_NET_CTRL_RX, (uint8_t)rnd(6), b, 1);
		break;
	case 1:
		memcpy(b, primary, 6);
		b[5] = (uint8_t)rnd(4);
		cmd(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET, b, 6);
		break;
	case 2:
		rand_mac_table();
		break;
	case 3:
		put16(b, (uint16_t)rnd(4096));
		cmd(VIRTIO_NET_CTRL_VLAN, (uint8_t)rnd(2), b, 2);
		break;
	case 4:
		put16(b, (uint16_t)(1 + rnd(PAIRS)));
		cmd(VIRTIO_NET_CTRL_MQ, VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, b, 2);
		break;
	case 5:
	case 6:
		rand_rss(rnd(3) != 0);
		break;
	case 7:
		offl = (n->state.features & CVQSIM_CTRL_GUEST_OFFLOADS) &
			((uint64_t)rnd(0x200) << 1);
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(offl >> (8 * i));
		cmd(VIRTIO_NET_CTRL_GUEST_OFFLOADS,
			VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET, b, 8);
		break;
	case 8:
		rand_coal();
		break;
	case 9:
		put32(b, rnd(0x200) & CVQSIM_NET_TUNNEL_TYPES_SUPPORTED);
		cmd(VIRTIO_NET_CTRL_HASH_TUNNEL,
			VIRTIO_NET_CTRL_HASH_TUNNEL_SET, b, 4);
		break;
	default:
		cvqsim_net_set_vq_enabled(n, (uint16_t)rnd(2 * PAIRS),
			rnd(3) != 0);
		break;
	}
}

/* A device with every kind of configuration set. */
static int
rich_state(struct cvqsim_net *n)
{
	static const uint8_t on = 1, off = 0;
	uint8_t b[64];

	TEST_ASSERT_SUCCESS(dev_init(n, MAC_TABLE), "init");
	cvqsim_net_set_features(n, all_features);
	cvqsim_ctrl_init(ctrl, &cvqsim_net_ctrl_ops, n);
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
		&off, 1), VIRTIO_NET_OK, "promisc off");
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_ALLMULTI,
		&on, 1), VIRTIO_NET_OK, "allmulti");
	memcpy(b, primary, 6);
	b[5] = 0x42;
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_MAC, VIRTIO_NET_CTRL_MAC_ADDR_SET,
		b, 6), VIRTIO_NET_OK, "mac");
	put16(b, 100);
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_VLAN, VIRTIO_NET_CTRL_VLAN_ADD,
		b, 2), VIRTIO_NET_OK, "vlan");
	put16(b, 3);
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_MQ,
		VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET, b, 2), VIRTIO_NET_OK, "pairs");
	put32(b, 7);
	put32(b + 4, 50);
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_NOTF_COAL,
		VIRTIO_NET_CTRL_NOTF_COAL_RX_SET, b, 8), VIRTIO_NET_OK, "coal");
	put32(b, VIRTIO_NET_HASH_TUNNEL_TYPE_VXLAN);
	TEST_ASSERT_EQUAL(cmd(VIRTIO_NET_CTRL_HASH_TUNNEL,
		VIRTIO_NET_CTRL_HASH_TUNNEL_SET, b, 4), VIRTIO_NET_OK, "tunnel");
	cvqsim_net_set_vq_enabled(n, 2 * PAIRS - 1, false);
	pkt_count(n, 1, NULL, 1234, true);
	return TEST_SUCCESS;
}

static int
same_state(const struct cvqsim_net *a, const struct cvqsim_net *b)
{
	static struct cvqsim_net_state sa, sb;

	cvqsim_state_canonical(a, &sa);
	cvqsim_state_canonical(b, &sb);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&sa, &sb, sizeof(sa),
		"device states differ");
	return TEST_SUCCESS;
}

/* Restore from the parts and from the replay list; compare with src. */
static int
check_both_paths(void)
{
	struct cvqsim_state_replay rl;
	struct cvqsim_state_err err;
	uint8_t *blob, *blob2;
	size_t len, len2;
	uint32_t failed = 0, vq;

	TEST_ASSERT_SUCCESS(cvqsim_state_save(src, NULL, &blob, &len), "save");
	TEST_ASSERT_SUCCESS(dev_init(dst, MAC_TABLE), "init dst");
	TEST_ASSERT_SUCCESS(cvqsim_state_restore(dst, all_features, blob, len,
		NULL, &err), "restore: %s", err.msg);
	TEST_ASSERT_SUCCESS(same_state(src, dst), "parts path");
	TEST_ASSERT_SUCCESS(cvqsim_state_save(dst, NULL, &blob2, &len2),
		"save again");
	TEST_ASSERT_EQUAL(len, len2, "saved lengths %zu %zu", len, len2);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(blob, blob2, len, "saved bytes");
	free(blob2);
	free(blob);

	/* The VMM's way: negotiate, replay on the CVQ, then enable queues. */
	TEST_ASSERT_SUCCESS(dev_init(dst, MAC_TABLE), "init dst");
	cvqsim_net_set_features(dst, src->state.features);
	TEST_ASSERT_SUCCESS(cvqsim_state_replay_build(src, &rl), "build");
	TEST_ASSERT_SUCCESS(cvqsim_state_replay_apply(dst, &rl, &failed),
		"replay refused command %u (class %u cmd %u)", failed,
		rl.cmds[failed].cls, rl.cmds[failed].cmd);
	for (vq = 0; vq < 2 * PAIRS; vq++)
		cvqsim_net_set_vq_enabled(dst, (uint16_t)vq,
			cvqsim_net_vq_enabled(src, (uint16_t)vq));
	cvqsim_state_replay_free(&rl);
	return same_state(src, dst);
}

static int
test_rich_state_both_paths(void)
{
	TEST_ASSERT_SUCCESS(rich_state(src), "rich state");
	return check_both_paths();
}

static int
test_reset_state_has_no_control_part(void)
{
	uint8_t *blob;
	size_t len, off;

	TEST_ASSERT_SUCCESS(dev_init(src, MAC_TABLE), "init");
	cvqsim_net_set_features(src, all_features);
	TEST_ASSERT_SUCCESS(cvqsim_state_save(src, NULL, &blob, &len), "save");
	for (off = CVQSIM_STATE_HDR_LEN; off < len;
			off += 16 + (blob[off + 12] | blob[off + 13] << 8))
		TEST_ASSERT(blob[off] != 0x00 || blob[off + 1] != 0x02,
			"reset device saved a CVQ_CFG_PART at %zu", off);
	free(blob);
	return check_both_paths();
}

/* Walk the parts: header layout, selectors and values per the spec. */
static int
test_spec_layout(void)
{
	uint8_t *blob, *p;
	size_t len, off;
	int seen_mac = 0, seen_promisc = 0, seen_vlan = 0, seen_pairs = 0;
	uint16_t last = 0;

	TEST_ASSERT_SUCCESS(rich_state(src), "rich state");
	TEST_ASSERT_SUCCESS(cvqsim_state_save(src, NULL, &blob, &len), "save");
	TEST_ASSERT(memcmp(blob, CVQSIM_STATE_MAGIC, 8) == 0, "magic");
	for (off = CVQSIM_STATE_HDR_LEN; off < len;) {
		uint16_t type = (uint16_t)(blob[off] | blob[off + 1] << 8);
		uint32_t vlen = blob[off + 12] | blob[off + 13] << 8 |
			blob[off + 14] << 16 | (uint32_t)blob[off + 15] << 24;

		p = blob + off + 16;
		TEST_ASSERT(type >= last || type >= CVQSIM_PART_NET_CONFIG,
			"order: 0x%x after 0x%x", type, last);
		last = type;
		if (type == VIRTIO_NET_DEV_PART_CVQ_CFG_PART) {
			uint8_t cls = blob[off + 4], c = blob[off + 5];

			if (cls == VIRTIO_NET_CTRL_MAC &&
					c == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
				TEST_ASSERT(vlen == 6 && p[5] == 0x42, "mac");
				seen_mac++;
			} else if (cls == VIRTIO_NET_CTRL_RX &&
					c == VIRTIO_NET_CTRL_RX_PROMISC) {
				TEST_ASSERT(vlen == 1 && p[0] == 0, "promisc");
				seen_promisc++;
			} else if (cls == VIRTIO_NET_CTRL_VLAN) {
				TEST_ASSERT(vlen == 512 && p[100 / 8] ==
					1 << (100 % 8), "vlan table");
				seen_vlan++;
			} else if (cls == VIRTIO_NET_CTRL_MQ &&
					c == VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET) {
				TEST_ASSERT(vlen == 2 && p[0] == 3, "pairs");
				seen_pairs++;
			}
		}
		off += 16 + vlen;
	}
	TEST_ASSERT_EQUAL(off, len, "parts fill the state exactly");
	TEST_ASSERT(seen_mac == 1 && seen_promisc == 1 && seen_vlan == 1 &&
		seen_pairs == 1, "parts %d %d %d %d", seen_mac, seen_promisc,
		seen_vlan, seen_pairs);
	free(blob);
	return TEST_SUCCESS;
}

static int
test_random_histories(void)
{
	static const uint64_t drop[] = { 0, F(VIRTIO_NET_F_HASH_REPORT),
		F(VIRTIO_NET_F_RSS), F(VIRTIO_NET_F_CTRL_VLAN) };
	uint32_t h, s, steps;

	for (h = 0; h < HISTORIES; h++) {
		TEST_ASSERT_SUCCESS(dev_init(src, MAC_TABLE), "init");
		cvqsim_net_set_features(src, all_features & ~drop[h % 4]);
		cvqsim_ctrl_init(ctrl, &cvqsim_net_ctrl_ops, src);
		steps = 1 + rnd(40);
		for (s = 0; s < steps; s++)
			rand_step(src);
		if (check_both_paths() != TEST_SUCCESS) {
			printf("history %u (%u steps) differs\n", h, steps);
			return TEST_FAILED;
		}
	}
	return TEST_SUCCESS;
}

/* dst holds a state; a refused restore must not change any byte of it. */
static int
refused(const uint8_t *blob, size_t len, int code, const char *what)
{
	static struct cvqsim_net_state before, after;
	struct cvqsim_state_err err;
	int ret;

	cvqsim_net_state_get(dst, &before);
	ret = cvqsim_state_restore(dst, all_features, blob, len, NULL, &err);
	TEST_ASSERT_EQUAL(ret, code, "%s: got %d (%s)", what, ret, err.msg);
	TEST_ASSERT(err.msg[0] != '\0', "%s: no message", what);
	cvqsim_net_state_get(dst, &after);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&before, &after, sizeof(before),
		"%s changed the device", what);
	return TEST_SUCCESS;
}

/* Recompute the checksum after an edit (a well-formed foreign state). */
static void
reseal(uint8_t *blob, size_t len)
{
	put32(blob + 20, 0);
	put32(blob + 20, rte_hash_crc(blob, (uint32_t)len, 0xffffffff));
}

static int
test_refusals(void)
{
	uint8_t *blob, *bad;
	size_t len, i;

	TEST_ASSERT_SUCCESS(rich_state(src), "rich state");
	TEST_ASSERT_SUCCESS(dev_init(dst, MAC_TABLE), "init dst");
	cvqsim_net_set_features(dst, F(VIRTIO_F_VERSION_1));
	TEST_ASSERT_SUCCESS(cvqsim_state_save(src, NULL, &blob, &len), "save");
	bad = malloc(len);
	for (i = 0; i < len; i += (i < 64 ? 1 : 7))
		TEST_ASSERT_SUCCESS(refused(blob, i, -EBADMSG, "truncated"),
			"at %zu", i);
	for (i = 0; i < len; i += (i < 64 ? 1 : 5)) {
		memcpy(bad, blob, len);
		bad[i] ^= 0x10;
		TEST_ASSERT_SUCCESS(refused(bad, len, (i == 8 || i == 9) ? -ENOTSUP :
			-EBADMSG, "corrupt"), "byte %zu", i);
	}
	memcpy(bad, blob, len);
	put16(bad + 8, CVQSIM_STATE_VERSION + 1);
	reseal(bad, len);
	TEST_ASSERT_SUCCESS(refused(bad, len, -ENOTSUP, "newer"), "version");
	/* A device created with another MTU refuses the state. */
	memcpy(bad, blob, len);
	for (i = CVQSIM_STATE_HDR_LEN; i < len;
			i += 16 + (bad[i + 12] | bad[i + 13] << 8))
		if (bad[i] == 0x00 && bad[i + 1] == 0xcf)
			bad[i + 16 + 10] ^= 1;
	reseal(bad, len);
	TEST_ASSERT_SUCCESS(refused(bad, len, -EINVAL, "parameters"), "mtu");
	/* Features this device does not offer. */
	TEST_ASSERT_EQUAL(cvqsim_state_restore(dst, F(VIRTIO_F_VERSION_1), blob,
		len, NULL, NULL), -EINVAL, "features not offered");
	/* An unknown mandatory part; the same part marked optional passes. */
	memcpy(bad, blob, len);
	put16(bad + len - cvqsim_state_stats_len(PAIRS) - 16, 0x5ff);
	reseal(bad, len);
	TEST_ASSERT_SUCCESS(refused(bad, len, -ENOTSUP, "unknown"), "part");
	bad[len - cvqsim_state_stats_len(PAIRS) - 16 + 2] = 1;
	reseal(bad, len);
	TEST_ASSERT_SUCCESS(cvqsim_state_restore(dst, all_features, bad, len,
		NULL, NULL), "optional unknown part skipped");
	free(bad);
	free(blob);
	return TEST_SUCCESS;
}

/*
 * One queue's counters as version 1 wrote them: the keep counters at *v,
 * then up to v1 counters of fill bytes. Returns where the next go.
 */
static uint8_t *
v1_counters(uint8_t *w, const uint8_t **v, uint32_t keep, uint32_t v1,
		uint8_t fill)
{
	memcpy(w, *v, 8 * keep);
	*v += 8 * keep;
	memset(w + 8 * keep, fill, 8 * (v1 - keep));
	return w + 8 * v1;
}

/*
 * A state saved by version 1, whose STATS part also carried the GSO
 * counters (always 0 then; here not, to see them dropped), made from this
 * version's save of the same device.
 */
static uint8_t *
as_version1(const uint8_t *blob, size_t len, size_t *len1)
{
	uint32_t stats = cvqsim_state_stats_len(PAIRS);
	uint32_t stats1 = cvqsim_state_stats_len_v(1, PAIRS);
	uint32_t head = 8 * (1 + CVQSIM_NET_RX_VERDICT_MAX), pair;
	size_t at = len - stats - 16;	/* the STATS part is the last */
	const uint8_t *v = blob + at + 16 + head;
	uint8_t *out, *w;

	*len1 = len - stats + stats1;
	out = malloc(*len1);
	if (out == NULL)
		return NULL;
	memcpy(out, blob, at + 16 + head);
	put16(out + 8, 1);
	put32(out + 16, (uint32_t)(*len1 - CVQSIM_STATE_HDR_LEN));
	put32(out + at + 12, stats1);
	w = out + at + 16 + head;
	for (pair = 0; pair < PAIRS; pair++) {
		w = v1_counters(w, &v, CVQSIM_STATE_RXQ_COUNTERS,
			CVQSIM_STATE_V1_RXQ_COUNTERS, 0x11);
		w = v1_counters(w, &v, CVQSIM_STATE_TXQ_COUNTERS,
			CVQSIM_STATE_V1_TXQ_COUNTERS, 0x22);
	}
	reseal(out, *len1);
	return out;
}

/*
 * A user's version 1 state still loads (its GSO counters dropped) and
 * gives the same device as the version 2 one; a version 1 header on the
 * version 2 layout is refused.
 */
static int
test_version1_loads(void)
{
	static struct cvqsim_net_stats want, got;
	struct cvqsim_state_err err;
	uint8_t *blob, *v1, *again;
	size_t len, len1, len2;
	struct cvqsim_net_tally t;

	TEST_ASSERT_SUCCESS(rich_state(src), "rich state");
	memset(&t, 0, sizeof(t));
	t.packets = 5;
	t.csum_valid = 2;
	t.csum_bad = 3;
	cvqsim_net_count_rx_tally(src, 2, &t);
	TEST_ASSERT_SUCCESS(cvqsim_state_save(src, NULL, &blob, &len), "save");
	TEST_ASSERT_EQUAL(blob[8] | blob[9] << 8, CVQSIM_STATE_VERSION,
		"saved version");
	v1 = as_version1(blob, len, &len1);
	TEST_ASSERT_NOT_NULL(v1, "v1");
	TEST_ASSERT_SUCCESS(dev_init(dst, MAC_TABLE), "init dst");
	TEST_ASSERT_SUCCESS(cvqsim_state_restore(dst, all_features, v1, len1,
		NULL, &err), "version 1 refused: %s", err.msg);
	TEST_ASSERT_SUCCESS(same_state(src, dst), "version 1 state");
	cvqsim_net_stats_get(src, &want);
	cvqsim_net_stats_get(dst, &got);
	TEST_ASSERT_BUFFERS_ARE_EQUAL(&want, &got, sizeof(want),
		"counters of the version 1 state");
	TEST_ASSERT_EQUAL(got.rxq[2].csum_bad, 3, "csum_bad kept");
	/* Saved again: today's version, the same bytes as src's save. */
	TEST_ASSERT_SUCCESS(cvqsim_state_save(dst, NULL, &again, &len2),
		"save again");
	TEST_ASSERT(len2 == len && memcmp(again, blob, len) == 0,
		"version 1 -> 2 round trip differs");
	free(again);
	/* Version 1 in the header, version 2's STATS length: malformed. */
	put16(blob + 8, 1);
	reseal(blob, len);
	TEST_ASSERT_SUCCESS(refused(blob, len, -EBADMSG, "v1 header, v2 part"),
		"v1 header");
	free(v1);
	free(blob);
	return TEST_SUCCESS;
}

static int
state_setup(void)
{
	src = malloc(sizeof(*src));
	dst = malloc(sizeof(*dst));
	ctrl = malloc(sizeof(*ctrl));
	TEST_ASSERT(src != NULL && dst != NULL && ctrl != NULL, "memory");
	return TEST_SUCCESS;
}

static void
state_teardown(void)
{
	free(src);
	free(dst);
	free(ctrl);
}

static struct unit_test_suite state_suite = {
	.suite_name = "device state (virtio 1.4 device parts)",
	.setup = state_setup,
	.teardown = state_teardown,
	.unit_test_cases = {
		TEST_CASE(test_reset_state_has_no_control_part),
		TEST_CASE(test_rich_state_both_paths),
		TEST_CASE(test_spec_layout),
		TEST_CASE(test_random_histories),
		TEST_CASE(test_refusals),
		TEST_CASE(test_version1_loads),
		TEST_CASES_END(),
	},
};

static int
state_autotest(void)
{
	return unit_test_suite_runner(&state_suite);
}

REGISTER_TEST_COMMAND(state_autotest, state_autotest);
