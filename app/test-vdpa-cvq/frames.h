/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FRAMES_H
#define FRAMES_H

/**
 * @file
 * Building, parsing and checking test frames. Pure C, no EAL.
 *
 * A frame_spec describes a stream: Ethernet (optional 802.1Q tag), IPv4 or
 * IPv6, UDP or TCP, a payload. Frame i of a stream carries in its payload a
 * 16-byte tag (magic, stream id, sequence number, payload length) followed
 * by a pattern derived from the sequence number, so a receiver can tell
 * which frame arrived, whether it was damaged, and whether it came in order.
 *
 * Text form (frame_spec_parse), tokens separated by spaces, any order:
 *   dst=MAC src=MAC vlan=VID pcp=N ipv4|ipv6 udp|tcp sip=IP dip=IP
 *   sport=N dport=N sport-range=N dport-range=N len=N count=N stream=N
 *   ethertype=0xNNNN (raw L2 only: "raw")
 * e.g. "dst=52:54:00:12:34:56 vlan=100 ipv4 udp sip=10.0.0.1 dip=10.0.0.2
 *       sport=1000 sport-range=64 dport=4789 len=100 count=32"
 * len is the L4 payload size; sport-range=N makes frame i use
 * sport + (i % N) (spreads flows over RSS queues).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FRAME_L3_NONE	0	/**< raw L2 frame: ethertype + payload */
#define FRAME_L3_IPV4	4
#define FRAME_L3_IPV6	6

#define FRAME_L4_UDP	17
#define FRAME_L4_TCP	6

/** Bytes of the tag at the start of every payload. */
#define FRAME_TAG_LEN	16
/** "CVQF" */
#define FRAME_TAG_MAGIC	0x43565146u
/** Largest frame frame_build() produces (no FCS). */
#define FRAME_MAX_LEN	9216

struct frame_spec {
	uint8_t dst[6];
	uint8_t src[6];
	bool has_vlan;
	uint16_t vlan_tci;	/**< VID | PCP << 13 */
	uint16_t ethertype;	/**< only for FRAME_L3_NONE */
	uint8_t l3;		/**< FRAME_L3_* */
	uint8_t l4;		/**< FRAME_L4_* (ignored for FRAME_L3_NONE) */
	uint8_t sip[16];	/**< IPv4 in the first 4 bytes, network order */
	uint8_t dip[16];
	uint16_t sport, dport;
	uint16_t sport_range;	/**< >1: sport + (seq % range) */
	uint16_t dport_range;
	uint32_t payload_len;	/**< L4 payload bytes (>= FRAME_TAG_LEN) */
	uint32_t count;		/**< frames in the stream */
	uint32_t stream;	/**< stream id written in the tag */
};

/** What frame_parse() found in a frame. */
struct frame_info {
	uint8_t dst[6];
	uint8_t src[6];
	bool has_vlan;
	uint16_t vlan_tci;
	uint16_t ethertype;	/**< after the VLAN tag */
	uint8_t l3;		/**< FRAME_L3_* or NONE if not IP */
	uint8_t l4;		/**< IP protocol (UDP/TCP or other) */
	uint8_t sip[16];
	uint8_t dip[16];
	uint16_t sport, dport;
	uint32_t l4_payload_off; /**< offset of the L4 payload in the frame */
	uint32_t l4_payload_len;
	bool has_tag;		/**< payload starts with a valid tag */
	uint32_t stream;
	uint32_t seq;
	bool pattern_ok;	/**< tag present and payload pattern intact */
	bool l3_csum_ok;	/**< IPv4 header checksum (true for IPv6) */
};

/** Defaults: broadcast-free unicast dst 52:54:00:00:00:02, src ...:01,
 * IPv4 UDP 10.0.0.1:1024 -> 10.0.0.2:1024, len 64, count 1. */
void frame_spec_init(struct frame_spec *spec);
/**
 * Parse the text form over the current contents of @p spec (call
 * frame_spec_init first for defaults). Returns 0 or -EINVAL with a message
 * in @p err.
 */
int frame_spec_parse(struct frame_spec *spec, const char *text,
		char *err, size_t errlen);
/** Text form of a spec; returns snprintf's result. */
int frame_spec_format(const struct frame_spec *spec, char *buf, size_t len);
/** Length of every frame of the stream (L2, no FCS). */
uint32_t frame_len(const struct frame_spec *spec);
/**
 * Build frame @p seq of the stream into @p buf. Returns its length, or 0 if
 * @p cap is too small or the spec is invalid.
 */
uint32_t frame_build(const struct frame_spec *spec, uint32_t seq,
		uint8_t *buf, uint32_t cap);
/**
 * The TCP/UDP pseudo-header sum of the stream, folded, not complemented:
 * what a driver leaves in the checksum field of a frame whose checksum the
 * device completes (VIRTIO_NET_HDR_F_NEEDS_CSUM).
 */
uint16_t frame_pseudo_csum(const struct frame_spec *spec);
/** Parse a frame. Returns 0, or -EINVAL if shorter than an Ethernet header. */
int frame_parse(const uint8_t *frame, uint32_t len, struct frame_info *info);
/**
 * Check a received frame against the stream it should belong to: headers
 * equal to what frame_build() would produce for the frame's own sequence
 * number, tag, length, pattern. Returns 0 and the sequence number in @p seq,
 * or -EINVAL with the first mismatch described in @p err.
 */
int frame_check(const struct frame_spec *spec, const uint8_t *frame,
		uint32_t len, uint32_t *seq, char *err, size_t errlen);

/** MAC parse "aa:bb:cc:dd:ee:ff"; 0 or -EINVAL. */
int frame_parse_mac(const char *s, uint8_t mac[6]);
/** MAC format into buf (>= 18 bytes). Returns buf. */
char *frame_format_mac(const uint8_t mac[6], char *buf);

#ifdef __cplusplus
}
#endif

#endif /* FRAMES_H */
