/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef DRV_MEM_H
#define DRV_MEM_H

/*
 * Guest memory (drv_mem.c): one memfd mapped MAP_SHARED in this process,
 * with a guest-physical address (GPA) base that differs from its virtual
 * address, so the device must really translate; a bump allocator carves
 * rings and buffers out of it.
 */

#include <stdint.h>

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

#endif /* DRV_MEM_H */
