/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef DRV_VQ_H
#define DRV_VQ_H

/**
 * @file
 * Driver side of a virtqueue, split or packed (DRV_VQ_F_PACKED), the way a
 * virtio driver in a guest sees it, living in "guest memory" shared with
 * the device. The split ring is in drv_vq.c, the packed ring's own parts in
 * drv_vq_packed.c; the API is the same for both.
 *
 * Guest memory (struct drv_mem) is one memfd mapped MAP_SHARED in this
 * process. It has a guest-physical address (GPA) base that differs from its
 * virtual address, so the device must really translate: every descriptor
 * carries a GPA, never a pointer of ours.
 *
 * A split drv_vq owns a descriptor table, an avail ring and a used ring
 * carved from guest memory, a free list of descriptors, per-chain cookies
 * and, when indirect descriptors are used, one indirect table per head. A
 * packed one owns a descriptor ring and the two event suppression areas,
 * its wrap counters, a free list of buffer ids and one indirect table per
 * id.
 *
 * Everything the device writes (used ring, used ids, lengths) is validated:
 * a misbehaving device gets -EIO and an error string, never a crash.
 *
 * A fault-injection hook (drv_vq_inject) makes the next chain added, or the
 * next publication, deliberately malformed, and raw writers
 * (drv_vq_write_desc_raw, drv_vq_push_avail_raw, drv_vq_set_avail_idx_raw)
 * write whatever the caller wants. After a fault the ring is "tainted": the
 * device may never complete it; stop the device and start with fresh rings.
 *
 * Threading: a drv_vq is driven by one thread (the one driving its fe_dev).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/virtio_ring.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Guest memory: one shared mapping with a GPA base, and a bump allocator. */
struct drv_mem {
	int fd;			/**< memfd, passed with SET_MEM_TABLE */
	uint8_t *va;		/**< our mapping */
	uint64_t gpa;		/**< guest-physical address of va[0] */
	uint64_t size;		/**< bytes */
	uint64_t used;		/**< bump allocator offset */
};

/** Create guest memory of @p size bytes (rounded up to 2 MiB) at GPA @p gpa. */
int drv_mem_init(struct drv_mem *mem, uint64_t size, uint64_t gpa);
/** Unmap and close. Safe on a zeroed or already freed drv_mem. */
void drv_mem_free(struct drv_mem *mem);
/**
 * Carve @p len bytes aligned to @p align (power of two) out of guest memory,
 * zeroed. Returns the pointer, or NULL when memory is exhausted.
 */
void *drv_mem_alloc(struct drv_mem *mem, uint64_t len, uint64_t align);
/** GPA of a pointer inside guest memory; UINT64_MAX if outside. */
uint64_t drv_mem_gpa(const struct drv_mem *mem, const void *va);
/** Pointer for a GPA range inside guest memory; NULL if not fully inside. */
void *drv_mem_va(const struct drv_mem *mem, uint64_t gpa, uint64_t len);

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

/**
 * Allocate the rings in @p mem and the eventfds. @p size is a power of two
 * (1..32768). Creates a non-blocking kick eventfd and call eventfd.
 * Returns 0 or -errno (-ENOMEM when guest memory is exhausted).
 */
int drv_vq_init(struct drv_vq *vq, struct drv_mem *mem, uint16_t index,
		uint16_t size, uint32_t flags);
/** Close the eventfds and free host-side arrays (guest memory stays). */
void drv_vq_free(struct drv_vq *vq);
/**
 * Forget all chains and zero the rings, keeping memory and eventfds:
 * a fresh queue as after init (used after a device reset).
 */
void drv_vq_reset(struct drv_vq *vq);
/**
 * Set the ring position on resume: avail index, used index, as a device
 * reported them (GET_VRING_BASE; packed: position with the wrap counter in
 * bit 15). Only valid with nothing in flight, or when the slots in flight
 * stay in flight (then only last_used moves).
 */
void drv_vq_set_base(struct drv_vq *vq, uint16_t avail_idx, uint16_t used_idx);
/**
 * The driver's next avail position as a vring base: the avail index
 * (split), the position with the wrap counter in bit 15 (packed; a fresh
 * ring is at 0x8000). What SET_VRING_BASE carries for a fresh ring.
 */
uint16_t drv_vq_avail_base(const struct drv_vq *vq);
/**
 * Where the device's used entries end, as a vring base: used->idx (split),
 * or the position and wrap counter after the last used descriptor the
 * device wrote (packed). What a frontend resumes from when the device
 * could not report its base.
 */
uint16_t drv_vq_device_used_base(const struct drv_vq *vq);

/**
 * Add a chain of @p n buffers; readable ones must come before writable ones.
 * With @p indirect (needs DRV_VQ_F_INDIRECT) the chain goes through one
 * indirect table and uses one ring descriptor. Not yet visible to the
 * device: call drv_vq_publish() or drv_vq_kick().
 * Returns 0, -ENOSPC if the ring is full, -EINVAL (bad buffer, address not
 * in guest memory, order), -E2BIG (too many for the table).
 */
int drv_vq_add(struct drv_vq *vq, const struct drv_buf *bufs, unsigned int n,
		bool indirect, void *cookie);
/** Make added chains visible to the device (write barrier + avail->idx). */
void drv_vq_publish(struct drv_vq *vq);
/**
 * Publish and notify the device if it wants it (VRING_USED_F_NO_NOTIFY, or
 * avail_event with EVENT_IDX). Returns 1 if the kick eventfd was written,
 * 0 if suppressed, -errno on a write failure.
 */
int drv_vq_kick(struct drv_vq *vq);
/** Write the kick eventfd unconditionally. 0 or -errno. */
int drv_vq_notify(struct drv_vq *vq);

/**
 * Take one used entry. Returns 1 and fills @p cookie and @p len, 0 if none,
 * -EIO if the device wrote an invalid entry (unknown id, id not in flight,
 * used->idx running ahead by more than the ring size); see vq->err.
 */
int drv_vq_get_used(struct drv_vq *vq, void **cookie, uint32_t *len);
/** Number of used entries the device has published and we have not taken. */
uint16_t drv_vq_used_pending(const struct drv_vq *vq);
/** Chains made available and not yet used. */
uint16_t drv_vq_in_flight(const struct drv_vq *vq);

/**
 * Ask for (on) or suppress (off) used-buffer notifications: sets or clears
 * VRING_AVAIL_F_NO_INTERRUPT and, with EVENT_IDX, used_event = last_used.
 */
void drv_vq_enable_interrupts(struct drv_vq *vq, bool on);
/**
 * Wait up to @p timeout_ns for the call eventfd (poll), consuming its count.
 * Returns 1 if signalled, 0 on timeout, -errno on error.
 */
int drv_vq_wait_call(struct drv_vq *vq, uint64_t timeout_ns);
/** Read and clear the call eventfd without blocking: count, 0 or -errno. */
int drv_vq_read_call(struct drv_vq *vq);

/* ---- fault injection ---- */

/**
 * Arm a one-shot fault for the next add or publish. 0, -EINVAL, or
 * -ENOTSUP for a fault of the other ring layout.
 */
int drv_vq_inject(struct drv_vq *vq, enum drv_vq_fault fault);
/**
 * Write one descriptor of the table verbatim (no free-list change); packed:
 * of the ring, @p next going into its id field.
 */
int drv_vq_write_desc_raw(struct drv_vq *vq, uint16_t idx, uint64_t addr,
		uint32_t len, uint16_t flags, uint16_t next);
/** Put any value in the next avail ring slot and advance the shadow index
 * (split rings only; nothing on a packed one). */
void drv_vq_push_avail_raw(struct drv_vq *vq, uint16_t head);
/** Write avail->idx verbatim, shadow follows (split only). */
void drv_vq_set_avail_idx_raw(struct drv_vq *vq, uint16_t idx);

/** One descriptor for drv_vq_add_raw(): written as given. */
struct drv_raw_desc {
	uint64_t addr;		/**< a GPA, or anything */
	uint32_t len;
	uint16_t flags;		/**< VRING_DESC_F_NEXT / _WRITE / _INDIRECT */
};
/**
 * Make a chain of @p n raw descriptors available, in either layout,
 * unchecked: split, at descriptors head, head + 1, ... (mod size) linked by
 * next, head put in the avail ring; packed, at the next ring positions
 * with the driver's wrap counter, under the next free buffer id, the head
 * available at the next publish. No chain is recorded in flight; the ring
 * is tainted. Returns 0 or -EINVAL (n is 0 or exceeds the ring).
 */
int drv_vq_add_raw(struct drv_vq *vq, const struct drv_raw_desc *d,
		unsigned int n);

#ifdef __cplusplus
}
#endif

#endif /* DRV_VQ_H */
