/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_TEST_VQ_UTIL_H
#define CVQSIM_TEST_VQ_UTIL_H

/*
 * What the ring engine's tests of both layouts (test_vq.c, test_vq_packed.c)
 * share: page-aligned zeroed memory for rings and buffers, and one pop that
 * must succeed.
 */

#include <stdlib.h>
#include <string.h>

#include "cvqsim_vq.h"
#include "test.h"

static inline void *
test_vq_zalloc(size_t len)
{
	void *p = aligned_alloc(4096, len);

	if (p != NULL)
		memset(p, 0, len);
	return p;
}

/* cvqsim_vq_pop() must return one chain; the ring's error if it does not. */
static inline int
test_vq_pop_ok(struct cvqsim_vq *vq, struct cvqsim_chain *chain)
{
	int ret = cvqsim_vq_pop(vq, chain);

	TEST_ASSERT_EQUAL(ret, 1, "pop returned %d: %s", ret,
		vq->error ? vq->error : "");
	return TEST_SUCCESS;
}

#endif /* CVQSIM_TEST_VQ_UTIL_H */
