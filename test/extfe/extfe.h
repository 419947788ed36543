/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef EXTFE_H
#define EXTFE_H

/*
 * extfe: a small vhost-user frontend written for the tests, independent of
 * dpdk-test-vdpa-cvq's own frontend (no code in common with it). It plays
 * the guest of the VM case: its own split rings in a memfd it shares as the
 * memory table, its own control-command encoder written from the virtio
 * 1.4 text, its own frames, Toeplitz hash and receive checks. The socket
 * and message layer is test/hostile/vu_raw.[ch]. It runs the scenario
 * language's frontend lines (ctrl, expect, send, recv, ...), see
 * extfe_main.c.
 *
 * Everything the device writes (used ids, used lengths, reply bytes) is
 * checked before it is used: a device that lies makes extfe fail with a
 * message, never crash.
 */

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vu_raw.h"

#define XFE_MAX_PAIRS		16
#define XFE_MAX_VRINGS		(2 * XFE_MAX_PAIRS + 1)
#define XFE_MAX_RING		1024
#define XFE_BUF_SIZE		2048u	/* one TX or RX buffer: header + frame */
#define XFE_MEM_SIZE		(64ULL << 20)
#define XFE_MEM_GPA		0x40000000ULL
#define XFE_PAGE		4096ULL
#define XFE_MEM2_SIZE		(4ULL << 20)
#define XFE_MEM2_GPA		0x80000000ULL
#define XFE_CTRL_OUT_MAX	8192u
#define XFE_CTRL_IN_MAX		8192u
#define XFE_KEY_MAX		64

/* A guest memory region: a memfd mapped here, with a bump allocator. */
struct xfe_region {
	int fd;
	uint8_t *va;
	uint64_t gpa, size, used;
};

/* One split virtqueue, driver side. */
struct xfe_ring {
	uint16_t index;
	uint16_t size;
	bool up;			/* set up on the current connection */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t avail_idx;		/* next avail index we publish */
	uint16_t last_used;		/* next used entry we read */
	uint16_t free_head, num_free;
	uint16_t next_free[XFE_MAX_RING];
	/* Per head: descriptors of the chain (0: not in flight), its cookie. */
	uint16_t chain_len[XFE_MAX_RING];
	uint32_t chain_in[XFE_MAX_RING];	/* device-writable bytes */
	uint32_t cookie[XFE_MAX_RING];
	int kickfd, callfd;
	uint16_t base;			/* GET_VRING_BASE at the last stop */
};

/* What the device said about a chain: head, its cookie, used length. */
struct xfe_used {
	uint16_t head;
	uint32_t cookie;
	uint32_t len;
};

/* Control-command layouts: how the request is cut into descriptors. */
enum xfe_layout { XFE_LAYOUT_SPLIT, XFE_LAYOUT_ONE, XFE_LAYOUT_BYTES,
	XFE_LAYOUT_INDIRECT };

/* Our view of the device state: what the acknowledged commands set. */
struct xfe_view {
	uint8_t mac[6];
	bool promisc, allmulti, alluni, nomulti, nouni, nobcast;
	uint16_t pairs;
	bool rss;		/* RSS_CONFIG in force (else automatic) */
	uint32_t rss_types;
	uint8_t rss_key[XFE_KEY_MAX];
	uint8_t rss_key_len;
	uint16_t table[XFE_MAX_RING];
	uint16_t table_len;
	uint16_t unclassified;
	uint32_t hash_types;	/* HASH_CONFIG (hash report without RSS) */
	uint8_t hash_key[XFE_KEY_MAX];
	uint8_t hash_key_len;
	uint32_t tunnel_types;
	uint64_t offloads;
	uint8_t vlans[512];	/* bit per VID */
};

/* Counters of the receive checks ("expect stat rx.NAME"), cleared by
 * "clear stats". */
struct xfe_checks {
	uint64_t steer_ok, steer_bad, hash_ok, hash_bad, hash_none;
	uint64_t bad_payload, vlan_tagged;
};

/* The last frame received on a pair ("rx.qN.FIELD"). */
struct xfe_last_rx {
	uint32_t hash_value;
	uint16_t hash_report;
	uint16_t vlan;
	uint32_t len;
	uint8_t flags;
	uint16_t num_buffers;
};

struct xfe_pair_stats {
	uint64_t tx_pkts, tx_done, rx_pkts;
};

/* The result of the last control command ("ctrl.NAME"). */
struct xfe_ctrl_result {
	int ack;			/* -1: none yet */
	uint32_t used_len;
	uint64_t sent, ok, err;
	uint64_t supported_stats;	/* last STATS_QUERY */
	bool have_supported;
	uint32_t max_usecs, max_packets;
	uint32_t records;
	/* STATS_GET counters: vq, name, value */
	unsigned int nr_counters;
	struct { uint16_t vq; const char *name; uint64_t value; } counters[128];
	char what[96];			/* the command, for messages */
};

struct xfe {
	/* Options. */
	const char *sock_path;
	uint64_t features_off;
	uint16_t ring_size, ctrl_ring_size;
	unsigned int ctrl_timeout_ms;
	const char *tel_path, *tel_dev;
	bool quiet;			/* no line per recv (extfe-check) */
	unsigned int expect_cvq_asid;	/* 1: the VM case, 0: the DPDK case */
	/* The connection. */
	struct vu_raw c;
	bool connected;
	uint64_t dev_features, features, proto;
	uint8_t config[32];
	uint32_t config_len;
	uint16_t max_pairs;	/* the device's */
	uint16_t nr_pairs;	/* set up: max_pairs with MQ, else 1 */
	uint32_t hdr_len;
	uint64_t reconnects;
	/* Guest memory: the first region, and a second one once added. */
	struct xfe_region mem, mem2;
	bool mem2_in_table;
	bool ctrl_in_mem2;	/* control buffers now in the second region */
	struct xfe_ring rings[XFE_MAX_VRINGS];
	unsigned int nr_rings;		/* data rings + the control ring */
	uint8_t *txbuf[XFE_MAX_PAIRS], *rxbuf[XFE_MAX_PAIRS];
	uint8_t *ctrl_out, *ctrl_in, *ctrl_ind;
	uint8_t *ctrl_out2, *ctrl_in2, *ctrl_ind2;
	enum xfe_layout layout;
	/* State and counters. */
	struct xfe_view view;
	struct xfe_checks checks;
	struct xfe_pair_stats pq[XFE_MAX_PAIRS];
	struct xfe_last_rx last[XFE_MAX_PAIRS];
	uint32_t tx_seq[XFE_MAX_PAIRS];
	uint32_t rx_last_seq[XFE_MAX_PAIRS][XFE_MAX_PAIRS];
	bool rx_seen[XFE_MAX_PAIRS][XFE_MAX_PAIRS];
	uint64_t rx_out_of_order, rx_hash_reported;
	struct xfe_ctrl_result ctrl;
	/* The last recv. */
	bool recv_done;
	uint64_t recv_total, recv_q[XFE_MAX_PAIRS];
	char err[512];
};

/* Feature bits extfe knows (virtio 1.4). */
#define XFE_BIT(b)		(1ULL << (b))
#define XFE_F_MTU		3
#define XFE_F_MAC		5
#define XFE_F_STATUS		16
#define XFE_F_CTRL_VQ		17
#define XFE_F_CTRL_RX		18
#define XFE_F_CTRL_VLAN		19
#define XFE_F_CTRL_RX_EXTRA	20
#define XFE_F_GUEST_ANNOUNCE	21
#define XFE_F_MQ		22
#define XFE_F_CTRL_MAC_ADDR	23
#define XFE_F_CTRL_GUEST_OFFLOADS 2
#define XFE_F_INDIRECT_DESC	28
#define XFE_F_VERSION_1		32
#define XFE_F_DEVICE_STATS	50
#define XFE_F_HASH_TUNNEL	51
#define XFE_F_VQ_NOTF_COAL	52
#define XFE_F_NOTF_COAL		53
#define XFE_F_HASH_REPORT	57
#define XFE_F_RSS		60

/* Little-endian fields at any alignment (virtio 1.4 structures). */
static inline void
xfe_put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	v = htole64(v);
	memcpy(p, &v, n);
}

static inline uint64_t
xfe_get_le(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	memcpy(&v, p, n);
	return le64toh(v);
}

/* Set xfe->err; returns ret. */
int xfe_fail(struct xfe *x, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
uint64_t xfe_now_ms(void);

/* ---- extfe_vu.c: the vhost-user session ---- */
int xfe_mem_init(struct xfe *x);
int xfe_connect(struct xfe *x);
int xfe_stop(struct xfe *x);
void xfe_disconnect(struct xfe *x);
/* SET_MEM_TABLE again: "same" the table as it is, "add" with a second
 * region (then the control buffers move into it). */
int xfe_mem_table(struct xfe *x, bool add);
/* SET_MEM_TABLE once without the control ring's pages (the first region
 * in two around them); the next table, or a reconnect, has them again. */
int xfe_mem_table_nocvq(struct xfe *x);
bool xfe_has(const struct xfe *x, unsigned int bit);
uint16_t xfe_cvq_index(const struct xfe *x);
int xfe_read_config(struct xfe *x);
/* Guest memory: allocate @p len bytes of region @p r; GPA of a pointer. */
void *xfe_alloc(struct xfe_region *r, uint64_t len, uint64_t align);
uint64_t xfe_gpa(const struct xfe *x, const void *p);

/* ---- extfe_ring.c: split rings ---- */
int xfe_ring_alloc(struct xfe *x, struct xfe_ring *r, uint16_t index,
		uint16_t size, bool own_pages);
void xfe_ring_reset(struct xfe_ring *r);
/* Descriptors: gpa, len, write. */
struct xfe_seg {
	uint64_t gpa;
	uint32_t len;
	bool write;
};
/* Make a chain available (indirect: table at ind/ind_gpa). -ENOSPC full. */
int xfe_ring_add(struct xfe_ring *r, const struct xfe_seg *s, unsigned int n,
		uint32_t cookie, void *ind, uint64_t ind_gpa);
int xfe_ring_kick(struct xfe_ring *r);
/* 1: a used entry in *u, 0: none, <0: the device broke the ring (x->err). */
int xfe_ring_used(struct xfe *x, struct xfe_ring *r, struct xfe_used *u);
unsigned int xfe_ring_in_flight(const struct xfe_ring *r);

/* Control classes and commands (virtio 1.4). */
enum { C_RX = 0, C_MAC = 1, C_VLAN = 2, C_ANNOUNCE = 3, C_MQ = 4,
	C_OFFLOADS = 5, C_COAL = 6, C_TUNNEL = 7, C_STATS = 8 };
enum { MQ_PAIRS = 0, MQ_RSS = 1, MQ_HASH = 2 };

/* ---- extfe_ctrl.c: control commands ---- */
/* "ctrl ARGS": encode, send, wait for the ack, update the view on OK. */
int xfe_ctrl(struct xfe *x, char **argv, unsigned int argc);
int xfe_ctrl_layout(struct xfe *x, const char *name);
/* ---- extfe_view.c: the device state as acknowledged ---- */
void xfe_view_reset(struct xfe *x);
/* Request req (class, command, data) was acknowledged OK: apply it. */
void xfe_view_apply(struct xfe *x, const uint8_t *req);
/* Names of bits: "a,b,c" | "none" | a number. */
struct xfe_name {
	const char *name;
	uint64_t bit;
};
extern const struct xfe_name xfe_hash_names[], xfe_tunnel_names[],
	xfe_offload_names[], xfe_feature_names[];
int xfe_parse_names(const char *s, const struct xfe_name *t, uint64_t *v);
int xfe_parse_mac(const char *s, uint8_t mac[6]);
int xfe_parse_u64(const char *s, uint64_t max, uint64_t *v);

/* ---- extfe_net.c: frames, TX, RX and their checks ---- */
int xfe_net_setup(struct xfe *x);	/* RX buffers on every RX ring */
int xfe_send(struct xfe *x, char **argv, unsigned int argc);
int xfe_recv(struct xfe *x, unsigned int timeout_ms);
uint32_t xfe_toeplitz(const uint8_t *key, unsigned int key_len,
		const uint8_t *in, unsigned int len);

#endif /* EXTFE_H */
