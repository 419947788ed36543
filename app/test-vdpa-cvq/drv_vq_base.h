/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef DRV_VQ_BASE_H
#define DRV_VQ_BASE_H

/*
 * What both ring layouts of the driver-side virtqueue work on
 * (drv_vq_base.c): the queue object, the buffers of a chain, raw
 * descriptors, the faults it can inject and their names, its error
 * message. drv_vq.h is the interface over both layouts: drv_vq.c (the
 * split ring and the dispatch) calls drv_vq_packed.c, both build on this.
 */

#include <stdbool.h>
#include <stdint.h>

#include <linux/virtio_ring.h>

#include "drv_mem.h"

/** One buffer of a chain: our pointer (translated to a GPA by drv_vq_add). */
struct drv_buf {
	void *va;		/**< inside guest memory (or anything, see raw) */
	uint32_t len;
	bool writable;		/**< device-writable (VRING_DESC_F_WRITE) */
};

/**
 * Faults drv_vq can write on purpose. Armed with drv_vq_inject(); each is
 * one-shot and applies to the next drv_vq_add() (chain faults) or the next
 * drv_vq_publish() (avail faults).
 */
enum drv_vq_fault {
	DRV_VQ_FAULT_NONE = 0,
	/** avail ring entry = ring size + 7 (head index beyond the table) */
	DRV_VQ_FAULT_HEAD_OUT_OF_RANGE,
	/** last descriptor of the chain has NEXT pointing to the head: loop */
	DRV_VQ_FAULT_DESC_LOOP,
	/** a NEXT index beyond the descriptor table */
	DRV_VQ_FAULT_NEXT_OUT_OF_RANGE,
	/** first descriptor length 0 */
	DRV_VQ_FAULT_LEN_ZERO,
	/** first descriptor length 0xffffffff (4 GiB - 1) */
	DRV_VQ_FAULT_LEN_4G,
	/** first descriptor address outside every memory region */
	DRV_VQ_FAULT_ADDR_UNMAPPED,
	/** first descriptor address near 2^64 so that addr + len wraps */
	DRV_VQ_FAULT_ADDR_WRAP,
	/** indirect table whose first entry is itself INDIRECT (nested) */
	DRV_VQ_FAULT_NESTED_INDIRECT,
	/** indirect descriptor whose length is not a multiple of 16 */
	DRV_VQ_FAULT_INDIRECT_LEN_ODD,
	/** a readable descriptor after a writable one */
	DRV_VQ_FAULT_READ_AFTER_WRITE,
	/** the next publish moves avail->idx by ring size + 1 (split only) */
	DRV_VQ_FAULT_AVAIL_IDX_JUMP,
	/**
	 * packed only: the second descriptor of the chain carries the other
	 * lap's wrap counter (a single buffer is cut in two for it)
	 */
	DRV_VQ_FAULT_WRAP_LIE,
	/**
	 * packed only: the chain goes under the buffer id of the previous
	 * chain still in flight, so one id is completed twice
	 */
	DRV_VQ_FAULT_ID_IN_FLIGHT,
	/** packed only: a direct descriptor, then an indirect one chained to it */
	DRV_VQ_FAULT_INDIRECT_IN_CHAIN,
	/**
	 * packed only: at the next publish the chain's head flips between
	 * available and used under the device, ending used-looking
	 */
	DRV_VQ_FAULT_AVAIL_FLIP,
	DRV_VQ_FAULT_MAX
};

/** Printable name of a fault ("head-out-of-range", ...). */
const char *drv_vq_fault_name(enum drv_vq_fault f);
/** Fault from its name; DRV_VQ_FAULT_MAX if unknown. */
enum drv_vq_fault drv_vq_fault_from_name(const char *name);

/** drv_vq_init() flags. */
#define DRV_VQ_F_EVENT_IDX	(1u << 0) /**< VIRTIO_RING_F_EVENT_IDX negotiated */
#define DRV_VQ_F_INDIRECT	(1u << 1) /**< VIRTIO_RING_F_INDIRECT_DESC negotiated */
#define DRV_VQ_F_PACKED		(1u << 2) /**< VIRTIO_F_RING_PACKED negotiated */

/** Maximum descriptors in one indirect table (per head). */
#define DRV_VQ_INDIRECT_MAX	128

/** Counters of one virtqueue (driver view). */
struct drv_vq_stats {
	uint64_t added;		/**< chains made available */
	uint64_t completed;	/**< used entries consumed */
	uint64_t kicks;		/**< eventfd writes */
	uint64_t kicks_suppressed; /**< kicks skipped (NO_NOTIFY / avail_event) */
	uint64_t calls;		/**< call eventfd reads that returned a count */
	uint64_t full;		/**< drv_vq_add refused: no free descriptors */
	uint64_t bad_used;	/**< invalid used entries from the device */
	uint64_t faults;	/**< faults injected */
};

/** Per-head (packed: per buffer id) bookkeeping (internal). */
struct drv_vq_slot {
	void *cookie;
	uint16_t ndesc;		/**< descriptors of the ring used by the chain */
	uint16_t last;		/**< last descriptor of the chain (for free) */
	bool in_flight;
	bool indirect;
};

struct drv_vq {
	uint16_t index;		/**< virtqueue index (vring number) */
	uint16_t size;		/**< power of two */
	uint32_t flags;		/**< DRV_VQ_F_* */
	struct drv_mem *mem;

	/**
	 * The three areas: split descriptor table, avail and used rings, or
	 * packed descriptor ring, driver and device event suppression (in
	 * SET_VRING_ADDR's desc, avail and used fields alike).
	 */
	union {
		struct {
			struct vring_desc *desc;
			struct vring_avail *avail;
			struct vring_used *used;
		};
		struct {
			struct vring_packed_desc *pdesc;
			struct vring_packed_desc_event *driver_event;
			struct vring_packed_desc_event *device_event;
		};
	};
	uint64_t desc_gpa, avail_gpa, used_gpa;
	/** per-head indirect tables: size * DRV_VQ_INDIRECT_MAX descriptors
	 * (16 bytes in both layouts) */
	struct vring_desc *indirect;

	int kickfd;		/**< eventfd the driver writes; -1 if none */
	int callfd;		/**< eventfd the device writes; -1 if none */

	uint16_t avail_idx;	/**< shadow of avail->idx (next to publish) */
	uint16_t published;	/**< avail->idx at the last kick decision */
	uint16_t last_used;	/**< next used entry to consume */
	uint16_t free_head;
	uint16_t num_free;	/**< free descriptors of the ring */
	uint16_t *next_free;	/**< free list links (packed: of ids) */
	struct drv_vq_slot *slots; /**< per head (packed: per id) */

	/* packed ring: positions and wrap counters, heads not yet published */
	uint16_t avail_pos, used_pos, kick_pos;
	bool avail_wrap, used_wrap, kick_wrap;
	uint16_t nr_pend;
	uint16_t *pend_pos;	/**< head positions to publish, size entries */
	uint16_t *pend_flags;	/**< and the flags that make them available */
	uint16_t flip_pos;	/**< head the AVAIL_FLIP fault flips */

	enum drv_vq_fault armed;
	bool tainted;		/**< a fault was written: expect no completion */
	struct drv_vq_stats stats;
	char err[128];		/**< last error */
};

/** One descriptor for drv_vq_add_raw(): written as given. */
struct drv_raw_desc {
	uint64_t addr;		/**< a GPA, or anything */
	uint32_t len;
	uint16_t flags;		/**< VRING_DESC_F_NEXT / _WRITE / _INDIRECT */
};
/* Record an error string: "vq N: msg (a, b)". */
void drv_vq_err(struct drv_vq *vq, const char *msg, unsigned long a,
		unsigned long b);
/* Apply a chain fault to the first buffer of a chain or table. */
void drv_vq_fault_first(const struct drv_vq *vq, uint64_t *addr, uint32_t *len,
		enum drv_vq_fault f);

#endif /* DRV_VQ_BASE_H */
