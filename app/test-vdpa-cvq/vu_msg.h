/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef VU_MSG_H
#define VU_MSG_H

/*
 * vhost-user messages as the specification (QEMU
 * docs/interop/vhost-user.rst) lays them out: the request codes, the
 * header flags, the payloads our clients send or read. One definition for
 * the app's frontend (fe_vu.c) and the tests' raw client
 * (test/hostile/vu_raw.h); DPDK keeps its own in lib/vhost's private
 * vhost_user.h and the kernel has none (vhost-user is not a kernel ABI).
 */

#include <stdint.h>

/* Requests (frontend -> backend). */
enum vu_request {
	VU_GET_FEATURES = 1,
	VU_SET_FEATURES = 2,
	VU_SET_OWNER = 3,
	VU_RESET_OWNER = 4,
	VU_SET_MEM_TABLE = 5,
	VU_SET_LOG_BASE = 6,
	VU_SET_LOG_FD = 7,
	VU_SET_VRING_NUM = 8,
	VU_SET_VRING_ADDR = 9,
	VU_SET_VRING_BASE = 10,
	VU_GET_VRING_BASE = 11,
	VU_SET_VRING_KICK = 12,
	VU_SET_VRING_CALL = 13,
	VU_SET_VRING_ERR = 14,
	VU_GET_PROTOCOL_FEATURES = 15,
	VU_SET_PROTOCOL_FEATURES = 16,
	VU_GET_QUEUE_NUM = 17,
	VU_SET_VRING_ENABLE = 18,
	VU_SEND_RARP = 19,
	VU_NET_SET_MTU = 20,
	VU_SET_SLAVE_REQ_FD = 21,
	VU_IOTLB_MSG = 22,
	VU_GET_CONFIG = 24,
	VU_SET_CONFIG = 25,
	VU_POSTCOPY_ADVISE = 28,
	VU_GET_INFLIGHT_FD = 31,
	VU_SET_INFLIGHT_FD = 32,
	VU_SET_STATUS = 39,
	VU_GET_STATUS = 40,
	VU_MAX_REQUEST = 41,
};

#define VU_VERSION		0x1u
#define VU_FLAG_REPLY		(1u << 2)
#define VU_FLAG_NEED_REPLY	(1u << 3)
#define VU_HDR_SIZE		12u
#define VU_MAX_PAYLOAD		632u	/* DPDK 22.11's largest payload */
#define VU_MAX_FDS		8
#define VU_MAX_REGIONS		8
/* The vring index bits of a KICK/CALL/ERR payload. */
#define VU_VRING_IDX_MASK	0xffu

struct vu_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uaddr;
	uint64_t mmap_offset;
};

struct vu_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	union {
		uint64_t u64;
		struct {
			uint32_t index;
			uint32_t num;
		} state;
		struct {
			uint32_t index;
			uint32_t flags;
			uint64_t desc;
			uint64_t used;
			uint64_t avail;
			uint64_t log;
		} addr;
		struct {
			uint32_t nregions;
			uint32_t padding;
			struct vu_mem_region regions[VU_MAX_REGIONS];
		} mem;
		struct {
			uint32_t offset;
			uint32_t size;
			uint32_t flags;
			uint8_t region[256];
		} cfg;
		struct {
			uint64_t mmap_size;
			uint64_t mmap_offset;
			uint16_t num_queues;
			uint16_t queue_size;
		} inflight;
		uint8_t raw[VU_MAX_PAYLOAD];
	} p;
} __attribute__((packed));

#endif /* VU_MSG_H */
