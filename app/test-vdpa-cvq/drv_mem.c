/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* Guest memory of the driver side: a memfd shared with the device. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "drv_mem.h"

#define MEM_ROUND	(2ULL << 20)

int
drv_mem_init(struct drv_mem *mem, uint64_t size, uint64_t gpa)
{
	void *va;
	int fd;

	memset(mem, 0, sizeof(*mem));
	mem->fd = -1;
	if (size == 0 || gpa % 4096 != 0)
		return -EINVAL;
	size = (size + MEM_ROUND - 1) & ~(MEM_ROUND - 1);
	fd = memfd_create("cvq-guest-mem", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)size) < 0) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	va = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (va == MAP_FAILED) {
		int ret = -errno;

		close(fd);
		return ret;
	}
	mem->fd = fd;
	mem->va = va;
	mem->gpa = gpa;
	mem->size = size;
	return 0;
}

void
drv_mem_free(struct drv_mem *mem)
{
	if (mem->va != NULL)
		munmap(mem->va, mem->size);
	if (mem->fd >= 0)
		close(mem->fd);
	mem->va = NULL;
	mem->fd = -1;
	mem->size = 0;
	mem->used = 0;
}

void *
drv_mem_alloc(struct drv_mem *mem, uint64_t len, uint64_t align)
{
	uint64_t off;

	if (align == 0 || (align & (align - 1)) != 0)
		return NULL;
	off = (mem->used + align - 1) & ~(align - 1);
	if (off > mem->size || len > mem->size - off)
		return NULL;
	mem->used = off + len;
	memset(mem->va + off, 0, len);
	return mem->va + off;
}

uint64_t
drv_mem_gpa(const struct drv_mem *mem, const void *va)
{
	const uint8_t *p = va;

	if (p < mem->va || p >= mem->va + mem->size)
		return UINT64_MAX;
	return mem->gpa + (uint64_t)(p - mem->va);
}

void *
drv_mem_va(const struct drv_mem *mem, uint64_t gpa, uint64_t len)
{
	if (gpa < mem->gpa || gpa - mem->gpa > mem->size ||
			len > mem->size - (gpa - mem->gpa))
		return NULL;
	return mem->va + (gpa - mem->gpa);
}
