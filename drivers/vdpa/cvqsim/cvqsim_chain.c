/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * What both ring layouts share to turn descriptors into a chain
 * (cvqsim_chain.h): buffer translation with a one-entry TLB, the chain's
 * iovecs, indirect tables, and the first violation breaking the queue.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>

#include "cvqsim_chain.h"

static void
vq_vreason(struct cvqsim_vq *vq, const char *fmt, va_list ap)
{
	vsnprintf(vq->error_buf, sizeof(vq->error_buf), fmt, ap);
	vq->error = vq->error_buf;
}

int
cvqsim_vq_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vq_vreason(vq, fmt, ap);
	va_end(ap);
	vq->broken = true;
	vq->stats.errors++;
	return err;
}

int
cvqsim_vq_setup_fail(struct cvqsim_vq *vq, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vq_vreason(vq, fmt, ap);
	va_end(ap);
	CVQSIM_VQ_SET_PEEKED(vq->ready, false);
	return err;
}

/*
 * Translate one buffer. The last mapping hit usually contains the next
 * buffer too: that case costs a few compares instead of a binary search.
 * Returns iovecs written, -EFAULT or -E2BIG.
 */
static inline int
vq_map_buf(struct cvqsim_vq *vq, uint64_t iova, uint32_t len, uint32_t perm,
		struct iovec *iov, unsigned int max_iov)
{
	const struct cvqsim_as_map *m;
	uint64_t off = iova - vq->tlb_iova;

	/* vq_check_rings() emptied the cache if the AS changed since. */
	if (likely(off < vq->tlb_size && len <= vq->tlb_size - off &&
			(vq->tlb_perm & perm) == perm)) {
		if (unlikely(max_iov == 0))
			return -E2BIG;
		iov->iov_base = (void *)(uintptr_t)(vq->tlb_hva + off);
		iov->iov_len = len;
		return 1;
	}

	m = cvqsim_as_lookup(vq->as, iova);
	if (m == NULL)
		return -EFAULT;
	vq->tlb_iova = m->iova;
	vq->tlb_size = m->size;
	vq->tlb_hva = m->hva;
	vq->tlb_perm = m->perm;
	off = iova - m->iova;
	if (len <= m->size - off && (m->perm & perm) == perm && max_iov > 0) {
		iov->iov_base = (void *)(uintptr_t)(m->hva + off);
		iov->iov_len = len;
		return 1;
	}
	/* Straddling several mappings, or an error to report: the general path. */
	return cvqsim_as_translate_iov(vq->as, iova, len, perm, iov, max_iov);
}

void
cvqsim_vq_chain_start(struct cvqsim_vq_walk *w, struct cvqsim_chain *c,
		uint16_t head)
{
	c->head = head;
	c->nr_out = 0;
	c->nr_in = 0;
	c->out_len = 0;
	c->in_len = 0;
	w->in_indirect = false;
	w->seen_writable = false;
	w->total = 0;
}

const void *
cvqsim_vq_map_indirect(struct cvqsim_vq *vq, struct cvqsim_vq_walk *w,
		uint64_t addr, uint32_t len, uint32_t entry_size, uint32_t i,
		uint32_t *entries, int *err)
{
	const void *table;

	*err = -EIO;
	if (unlikely(!vq->indirect)) {
		cvqsim_vq_fail(vq, -EIO,
			"descriptor %u is indirect but VIRTIO_RING_F_INDIRECT_DESC"
			" was not negotiated", i);
		return NULL;
	}
	if (unlikely(w->in_indirect)) {
		cvqsim_vq_fail(vq, -EIO,
			"indirect descriptor %u inside an indirect table", i);
		return NULL;
	}
	if (unlikely(len == 0 || len % entry_size != 0)) {
		cvqsim_vq_fail(vq, -EIO,
			"indirect descriptor %u: table length %u not a non-zero"
			" multiple of %u", i, len, entry_size);
		return NULL;
	}
	*entries = len / entry_size;
	if (unlikely(*entries > CVQSIM_VQ_MAX_SIZE)) {
		cvqsim_vq_fail(vq, -EIO,
			"indirect descriptor %u: table of %u entries exceeds %u",
			i, *entries, CVQSIM_VQ_MAX_SIZE);
		return NULL;
	}
	/*
	 * Like QEMU, the table must be contiguous in one mapping (a guest
	 * allocates it as one physically contiguous block).
	 */
	table = cvqsim_as_translate(vq->as, addr, len, CVQSIM_PERM_RO);
	if (unlikely(table == NULL)) {
		*err = -EFAULT;
		cvqsim_vq_fail(vq, -EFAULT,
			"indirect descriptor %u: table [0x%" PRIx64 ", +%u) not"
			" inside one readable mapping", i, addr, len);
		return NULL;
	}
	w->in_indirect = true;
	return table;
}

int
cvqsim_vq_add_buf(struct cvqsim_vq *vq, struct cvqsim_vq_walk *w,
		struct cvqsim_chain *c, const struct cvqsim_vq_buf *b)
{
	unsigned int used = c->nr_out + c->nr_in;
	uint32_t perm = b->writable ? CVQSIM_PERM_WO : CVQSIM_PERM_RO;
	int n;

	if (b->writable)
		w->seen_writable = true;
	else if (unlikely(w->seen_writable))
		return cvqsim_vq_fail(vq, -EIO,
			"readable descriptor %u after a writable one%s", b->index,
			w->in_indirect ? " (indirect table)" : "");
	w->total += b->len;
	if (unlikely(w->total > UINT32_MAX))
		return cvqsim_vq_fail(vq, -EIO,
			"chain from head %u longer than 4 GiB at descriptor %u",
			c->head, b->index);
	/* Legal but carries nothing. */
	if (b->len == 0)
		return 0;

	n = vq_map_buf(vq, b->addr, b->len, perm, &c->iov[used],
		CVQSIM_CHAIN_MAX_IOV - used);
	if (unlikely(n == -E2BIG))
		return cvqsim_vq_fail(vq, -EIO,
			"chain from head %u needs more than %u iovecs",
			c->head, CVQSIM_CHAIN_MAX_IOV);
	if (unlikely(n < 0))
		return cvqsim_vq_fail(vq, -EFAULT,
			"descriptor %u%s: buffer [0x%" PRIx64 ", +%u) not mapped %s",
			b->index, w->in_indirect ? " (indirect table)" : "",
			b->addr, b->len, cvqsim_as_perm_name(perm));
	if (b->writable) {
		c->nr_in += n;
		c->in_len += b->len;
	} else {
		c->nr_out += n;
		c->out_len += b->len;
	}
	return 0;
}
