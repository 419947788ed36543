/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/* Address space (IOTLB) unit tests: mapping table, lookup, translation. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "cvqsim_as.h"
#include "test.h"

/* Non-identity IOVAs so that a translation bug cannot go unnoticed. */
#define IOVA_BASE	0x100000000ULL
#define HVA_BASE	0x7f0000000000ULL

static struct cvqsim_as as;

static int
ut_setup(void)
{
	cvqsim_as_init(&as, 0);
	return TEST_SUCCESS;
}

static void
ut_teardown(void)
{
	cvqsim_as_fini(&as);
}

/* The table must stay sorted and non-overlapping. */
static int
check_sorted(void)
{
	uint32_t i;

	for (i = 1; i < as.nr_maps; i++)
		TEST_ASSERT(as.maps[i - 1].iova + as.maps[i - 1].size <= as.maps[i].iova,
			"maps %u and %u out of order or overlapping", i - 1, i);
	return TEST_SUCCESS;
}

static int
test_map_sorted_lookup(void)
{
	static const uint64_t order[] = { 5, 1, 9, 3, 7, 0, 8, 2, 6, 4 };
	uint64_t gen = as.generation;
	unsigned int i;

	/* Ten 4 KiB maps with 4 KiB holes, inserted out of order. */
	for (i = 0; i < RTE_DIM(order); i++) {
		uint64_t k = order[i];

		TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + k * 0x2000, 0x1000,
			HVA_BASE + k * 0x10000, k % 2 ? CVQSIM_PERM_RO : CVQSIM_PERM_RW),
			"map %u", i);
	}
	TEST_ASSERT_EQUAL(as.nr_maps, 10u, "nr_maps %u", as.nr_maps);
	TEST_ASSERT(as.generation > gen, "generation not bumped");
	TEST_ASSERT_SUCCESS(check_sorted(), "sorted");

	for (i = 0; i < 10; i++) {
		uint64_t start = IOVA_BASE + i * 0x2000;
		const struct cvqsim_as_map *m;

		m = cvqsim_as_lookup(&as, start);
		TEST_ASSERT_NOT_NULL(m, "first byte of map %u", i);
		TEST_ASSERT_EQUAL(m->hva, HVA_BASE + i * 0x10000, "hva of map %u", i);
		m = cvqsim_as_lookup(&as, start + 0xfff);
		TEST_ASSERT(m != NULL && m->iova == start, "last byte of map %u", i);
		TEST_ASSERT_NULL(cvqsim_as_lookup(&as, start + 0x1000), "hole after map %u", i);
		TEST_ASSERT_NULL(cvqsim_as_lookup(&as, start - 1), "hole before map %u", i);
	}
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, 0), "iova 0");
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, UINT64_MAX), "iova max");
	return TEST_SUCCESS;
}

static int
test_map_overlap(void)
{
	uint64_t gen;

	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x1000, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "base map");
	gen = as.generation;
	/* identical, overlapping the start, the end, containing, contained */
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE + 0x1000, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), -EINVAL, "identical");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE + 0x800, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), -EINVAL, "overlaps start");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE + 0x1fff, 0x10, HVA_BASE,
		CVQSIM_PERM_RW), -EINVAL, "overlaps end");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE, 0x10000, HVA_BASE,
		CVQSIM_PERM_RW), -EINVAL, "contains");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE + 0x1800, 0x10, HVA_BASE,
		CVQSIM_PERM_RW), -EINVAL, "contained");
	TEST_ASSERT_EQUAL(as.nr_maps, 1u, "failed maps must not be added");
	TEST_ASSERT_EQUAL(as.generation, gen, "failed maps must not bump generation");
	/* touching on either side is fine */
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE + 0x10000,
		CVQSIM_PERM_RO), "adjacent below");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x2000, 0x1000,
		HVA_BASE + 0x20000, CVQSIM_PERM_WO), "adjacent above");
	TEST_ASSERT_EQUAL(as.nr_maps, 3u, "nr_maps");
	return check_sorted();
}

static int
test_map_bad_args(void)
{
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE, 0, HVA_BASE, CVQSIM_PERM_RW),
		-EINVAL, "size 0");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, UINT64_MAX - 0xfff, 0x2000, HVA_BASE,
		CVQSIM_PERM_RW), -EINVAL, "iova wrap");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, 1, UINT64_MAX, HVA_BASE, CVQSIM_PERM_RW),
		-EINVAL, "iova wrap by one");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE, 0x2000, UINT64_MAX - 0xfff,
		CVQSIM_PERM_RW), -EINVAL, "hva wrap");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE, 0),
		-EINVAL, "perm 0");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE, 0x4),
		-EINVAL, "unknown perm bit");
	TEST_ASSERT_EQUAL(as.nr_maps, 0u, "nothing added");
	/* Ending exactly at the top of the IOVA space does not wrap. */
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, UINT64_MAX - 0x1000, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "map at the top");
	TEST_ASSERT_NOT_NULL(cvqsim_as_lookup(&as, UINT64_MAX - 1), "top byte mapped");
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, UINT64_MAX), "beyond the map");
	/* A whole-space translate must not wrap into a hit. */
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, UINT64_MAX - 0x1000, UINT64_MAX,
		CVQSIM_PERM_RO), "huge length");
	return TEST_SUCCESS;
}

static int
test_map_limit(void)
{
	uint32_t i;

	for (i = 0; i < CVQSIM_AS_MAX_MAPS; i++)
		TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + (uint64_t)i * 0x2000,
			0x1000, HVA_BASE + (uint64_t)i * 0x1000, CVQSIM_PERM_RW), "map %u", i);
	TEST_ASSERT_EQUAL(as.nr_maps, (uint32_t)CVQSIM_AS_MAX_MAPS, "full");
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, 0, 0x1000, HVA_BASE, CVQSIM_PERM_RW),
		-ENOSPC, "one more than the limit");
	/* Overlap is reported before fullness: the call is wrong either way. */
	TEST_ASSERT_EQUAL(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE, CVQSIM_PERM_RW),
		-EINVAL, "overlap when full");
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, IOVA_BASE + 0x2000, 0x1000), 1, "unmap one");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, 0, 0x1000, HVA_BASE, CVQSIM_PERM_RW),
		"room again");
	TEST_ASSERT_EQUAL(as.maps[0].iova, 0ull, "new map sorted first");
	return check_sorted();
}

static int
test_unmap(void)
{
	uint64_t gen;
	int i;

	for (i = 0; i < 4; i++)
		TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + i * 0x1000, 0x1000,
			HVA_BASE + i * 0x1000, CVQSIM_PERM_RW), "map %d", i);
	gen = as.generation;
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, IOVA_BASE, 0), -EINVAL, "size 0");
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, UINT64_MAX, 2), -EINVAL, "wrap");
	/* would split maps 1 and 2 */
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, IOVA_BASE + 0x1800, 0x1000), -EINVAL,
		"split");
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, IOVA_BASE + 0x1000, 0xfff), -EINVAL,
		"short by one");
	TEST_ASSERT_EQUAL(as.nr_maps, 4u, "a failed unmap removes nothing");
	TEST_ASSERT_EQUAL(as.generation, gen, "a failed unmap changes nothing");
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, IOVA_BASE + 0x10000, 0x1000), 0,
		"nothing there");
	/* Maps 1 and 2 exactly. */
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, IOVA_BASE + 0x1000, 0x2000), 2, "two");
	TEST_ASSERT(as.generation > gen, "generation bumped");
	TEST_ASSERT_EQUAL(as.nr_maps, 2u, "two left");
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, IOVA_BASE + 0x1000), "map 1 gone");
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, IOVA_BASE + 0x2fff), "map 2 gone");
	TEST_ASSERT_NOT_NULL(cvqsim_as_lookup(&as, IOVA_BASE + 0xfff), "map 0 kept");
	TEST_ASSERT_NOT_NULL(cvqsim_as_lookup(&as, IOVA_BASE + 0x3000), "map 3 kept");
	/* A range larger than everything, up to the very top of the space. */
	TEST_ASSERT_EQUAL(cvqsim_as_unmap(&as, 0, UINT64_MAX), 2, "everything");
	TEST_ASSERT_EQUAL(as.nr_maps, 0u, "empty");
	return TEST_SUCCESS;
}

static int
test_translate_perm(void)
{
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RO), "ro");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x1000, 0x1000,
		HVA_BASE + 0x1000, CVQSIM_PERM_WO), "wo");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x2000, 0x1000,
		HVA_BASE + 0x2000, CVQSIM_PERM_RW), "rw");

	TEST_ASSERT_EQUAL((uintptr_t)cvqsim_as_translate(&as, IOVA_BASE + 0x10, 0x10,
		CVQSIM_PERM_RO), (uintptr_t)(HVA_BASE + 0x10), "ro read");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x10, 0x10,
		CVQSIM_PERM_WO), "ro write");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x10, 0x10,
		CVQSIM_PERM_RW), "ro readwrite");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x1010, 0x10,
		CVQSIM_PERM_RO), "wo read");
	TEST_ASSERT_EQUAL((uintptr_t)cvqsim_as_translate(&as, IOVA_BASE + 0x1010, 0x10,
		CVQSIM_PERM_WO), (uintptr_t)(HVA_BASE + 0x1010), "wo write");
	TEST_ASSERT_NOT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x2000, 0x1000,
		CVQSIM_PERM_RW), "rw readwrite");
	TEST_ASSERT_NOT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x2000, 0x1000,
		CVQSIM_PERM_RO), "rw read");
	return TEST_SUCCESS;
}

static int
test_translate_range(void)
{
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "map a");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x1000, 0x1000,
		HVA_BASE + 0x5000, CVQSIM_PERM_RW), "map b, adjacent");

	TEST_ASSERT_EQUAL((uintptr_t)cvqsim_as_translate(&as, IOVA_BASE, 0x1000,
		CVQSIM_PERM_RO), (uintptr_t)HVA_BASE, "whole map");
	TEST_ASSERT_EQUAL((uintptr_t)cvqsim_as_translate(&as, IOVA_BASE + 0xfff, 1,
		CVQSIM_PERM_RO), (uintptr_t)(HVA_BASE + 0xfff), "last byte");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0xfff, 2, CVQSIM_PERM_RO),
		"straddles two maps");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x1800, 0x801,
		CVQSIM_PERM_RO), "runs past the end");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x1800, UINT64_MAX,
		CVQSIM_PERM_RO), "wraps");
	TEST_ASSERT_EQUAL((uintptr_t)cvqsim_as_translate(&as, IOVA_BASE + 0x1800, 0,
		CVQSIM_PERM_RO), (uintptr_t)(HVA_BASE + 0x5800), "len 0 mapped");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE + 0x2000, 0, CVQSIM_PERM_RO),
		"len 0 unmapped");
	TEST_ASSERT_NULL(cvqsim_as_translate(&as, IOVA_BASE - 1, 1, CVQSIM_PERM_RO),
		"below");
	return TEST_SUCCESS;
}

static int
test_translate_iov(void)
{
	struct iovec iov[4];

	memset(iov, 0, sizeof(iov));
	/* a and b adjacent in IOVA, not in host memory; c follows b in both. */
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "a");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x1000, 0x1000,
		HVA_BASE + 0x10000, CVQSIM_PERM_RW), "b");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x2000, 0x1000,
		HVA_BASE + 0x11000, CVQSIM_PERM_RO), "c");
	/* d after a hole */
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x4000, 0x1000,
		HVA_BASE + 0x20000, CVQSIM_PERM_RW), "d");

	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x10, 0x20,
		CVQSIM_PERM_WO, iov, 4), 1, "inside one map");
	TEST_ASSERT(iov[0].iov_base == (void *)(uintptr_t)(HVA_BASE + 0x10) &&
		iov[0].iov_len == 0x20, "one iovec");

	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0xff0, 0x20,
		CVQSIM_PERM_WO, iov, 4), 2, "straddle a and b");
	TEST_ASSERT(iov[0].iov_base == (void *)(uintptr_t)(HVA_BASE + 0xff0) &&
		iov[0].iov_len == 0x10, "first part");
	TEST_ASSERT(iov[1].iov_base == (void *)(uintptr_t)(HVA_BASE + 0x10000) &&
		iov[1].iov_len == 0x10, "second part");

	/* b and c are contiguous in host memory too: one iovec */
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x1800, 0x1000,
		CVQSIM_PERM_RO, iov, 4), 1, "merge b and c");
	TEST_ASSERT(iov[0].iov_base == (void *)(uintptr_t)(HVA_BASE + 0x10800) &&
		iov[0].iov_len == 0x1000, "merged");

	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x800, 0x2000,
		CVQSIM_PERM_RO, iov, 4), 2, "a, b, c");
	TEST_ASSERT_EQUAL(iov[1].iov_len, (size_t)0x1800, "b and c merged");

	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x800, 0x2000,
		CVQSIM_PERM_WO, iov, 4), -EFAULT, "c is read-only");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x2800, 0x1000,
		CVQSIM_PERM_RO, iov, 4), -EFAULT, "hole after c");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x3000, 0x10,
		CVQSIM_PERM_RO, iov, 4), -EFAULT, "starts in the hole");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE - 0x10, 0x20,
		CVQSIM_PERM_RO, iov, 4), -EFAULT, "starts below");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0xff0, 0x20,
		CVQSIM_PERM_RO, iov, 1), -E2BIG, "needs two iovecs, has one");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE, 0x10,
		CVQSIM_PERM_RO, iov, 0), -E2BIG, "no iovec at all");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE, 0,
		CVQSIM_PERM_RO, iov, 4), 0, "len 0");
	TEST_ASSERT_EQUAL(cvqsim_as_translate_iov(&as, IOVA_BASE + 0x4000, UINT64_MAX,
		CVQSIM_PERM_RO, iov, 4), -EFAULT, "wrap");
	return TEST_SUCCESS;
}

static int
test_clear_fini(void)
{
	uint64_t gen;

	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "map");
	gen = as.generation;
	cvqsim_as_clear(&as);
	TEST_ASSERT(as.generation != gen, "clear bumps generation");
	TEST_ASSERT_EQUAL(as.nr_maps, 0u, "cleared");
	TEST_ASSERT(as.maps != NULL && as.cap_maps > 0, "clear keeps the table");
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, IOVA_BASE), "no mapping after clear");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "map again");
	gen = as.generation;
	cvqsim_as_fini(&as);
	TEST_ASSERT(as.maps == NULL && as.nr_maps == 0 && as.cap_maps == 0, "freed");
	TEST_ASSERT(as.generation != gen, "fini bumps generation");
	TEST_ASSERT_NULL(cvqsim_as_lookup(&as, IOVA_BASE), "no mapping after fini");
	return TEST_SUCCESS;
}

static int
test_as_set(void)
{
	struct cvqsim_as_set set;

	cvqsim_as_set_init(&set);
	TEST_ASSERT_EQUAL(set.as[0].asid, 0u, "asid 0");
	TEST_ASSERT_EQUAL(set.as[1].asid, 1u, "asid 1");
	TEST_ASSERT(cvqsim_as_set_group_as(&set, CVQSIM_GROUP_DATA) == &set.as[0],
		"data group on AS 0");
	TEST_ASSERT(cvqsim_as_set_group_as(&set, CVQSIM_GROUP_CVQ) == &set.as[0],
		"cvq group on AS 0 by default");
	TEST_ASSERT_SUCCESS(cvqsim_as_set_bind(&set, CVQSIM_GROUP_CVQ, 1), "bind");
	TEST_ASSERT(cvqsim_as_set_group_as(&set, CVQSIM_GROUP_CVQ) == &set.as[1],
		"cvq group on AS 1");
	TEST_ASSERT(cvqsim_as_set_group_as(&set, CVQSIM_GROUP_DATA) == &set.as[0],
		"data group unchanged");
	TEST_ASSERT_EQUAL(cvqsim_as_set_bind(&set, CVQSIM_NUM_GROUPS, 0), -EINVAL,
		"bad group");
	TEST_ASSERT_EQUAL(cvqsim_as_set_bind(&set, 0, CVQSIM_NUM_AS), -EINVAL,
		"bad asid");
	TEST_ASSERT_EQUAL(set.group_asid[0], 0u, "failed bind changes nothing");

	/* The two address spaces are independent. */
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&set.as[1], IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "map in AS 1");
	TEST_ASSERT_NOT_NULL(cvqsim_as_translate(cvqsim_as_set_group_as(&set,
		CVQSIM_GROUP_CVQ), IOVA_BASE, 1, CVQSIM_PERM_RO), "seen by the cvq group");
	TEST_ASSERT_NULL(cvqsim_as_translate(cvqsim_as_set_group_as(&set,
		CVQSIM_GROUP_DATA), IOVA_BASE, 1, CVQSIM_PERM_RO), "not by the data group");
	cvqsim_as_set_fini(&set);
	TEST_ASSERT_NULL(set.as[1].maps, "fini frees");
	return TEST_SUCCESS;
}

static int
test_query(void)
{
	struct cvqsim_as_map out[4];

	TEST_ASSERT_EQUAL(cvqsim_as_query(&as, 0, NULL, 0), 0u, "empty");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x2000, 0x1000,
		HVA_BASE, CVQSIM_PERM_WO), "map b");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE, 0x1000,
		HVA_BASE + 0x5000, CVQSIM_PERM_RO), "map a");
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&as, IOVA_BASE + 0x8000, 0x800,
		HVA_BASE + 0x9000, CVQSIM_PERM_RW), "map c");
	memset(out, 0xa5, sizeof(out));
	TEST_ASSERT_EQUAL(cvqsim_as_query(&as, 0, out, 2), 3u, "count");
	TEST_ASSERT(out[0].iova == IOVA_BASE && out[0].perm == CVQSIM_PERM_RO &&
		out[0].hva == HVA_BASE + 0x5000 && out[0].size == 0x1000,
		"first in IOVA order");
	TEST_ASSERT(out[1].iova == IOVA_BASE + 0x2000 &&
		out[1].perm == CVQSIM_PERM_WO, "second");
	TEST_ASSERT_EQUAL(out[2].iova, 0xa5a5a5a5a5a5a5a5ULL, "max respected");
	TEST_ASSERT_EQUAL(cvqsim_as_query(&as, 2, out, 4), 3u, "from 2");
	TEST_ASSERT(out[0].iova == IOVA_BASE + 0x8000 && out[0].size == 0x800,
		"third from offset 2");
	TEST_ASSERT_EQUAL(cvqsim_as_query(&as, 7, out, 4), 3u, "past the end");
	return TEST_SUCCESS;
}

/*
 * A batch is invisible until commit, then all of it is there at once with
 * one new generation per changed AS; the old tables live until release.
 */
static int
test_batch(void)
{
	struct cvqsim_as_set set;
	struct cvqsim_as_batch b;
	uint64_t gen0, gen1;
	uint32_t changed;

	cvqsim_as_set_init(&set);
	cvqsim_as_batch_init(&b);
	TEST_ASSERT_SUCCESS(cvqsim_as_map(&set.as[1], IOVA_BASE, 0x1000, HVA_BASE,
		CVQSIM_PERM_RW), "live map");
	gen0 = set.as[0].generation;
	gen1 = set.as[1].generation;

	TEST_ASSERT_EQUAL(cvqsim_as_batch_map(&b, &set, 1, IOVA_BASE + 0x1000,
		0x1000, HVA_BASE + 0x1000, CVQSIM_PERM_RO), -EINVAL, "map without begin");
	TEST_ASSERT_SUCCESS(cvqsim_as_batch_begin(&b), "begin");
	TEST_ASSERT_EQUAL(cvqsim_as_batch_begin(&b), -EBUSY, "nested begin");
	TEST_ASSERT_SUCCESS(cvqsim_as_batch_map(&b, &set, 1, IOVA_BASE + 0x1000,
		0x1000, HVA_BASE + 0x1000, CVQSIM_PERM_RO), "batch map");
	TEST_ASSERT_EQUAL(cvqsim_as_batch_unmap(&b, &set, 1, IOVA_BASE, 0x1000), 1,
		"batch unmap of a live mapping");
	TEST_ASSERT_EQUAL(cvqsim_as_batch_map(&b, &set, 1, IOVA_BASE + 0x1800,
		0x10, HVA_BASE, CVQSIM_PERM_RO), -EINVAL, "overlap inside the batch");
	TEST_ASSERT_EQUAL(cvqsim_as_batch_map(&b, &set, CVQSIM_NUM_AS, 0, 1, 0,
		CVQSIM_PERM_RO), -EINVAL, "bad asid");

	/* Nothing is live yet: readers see the old table, same generation. */
	TEST_ASSERT_NOT_NULL(cvqsim_as_translate(&set.as[1], IOVA_BASE, 1,
		CVQSIM_PERM_WO), "old mapping still live");
	TEST_ASSERT_NULL(cvqsim_as_translate(&set.as[1], IOVA_BASE + 0x1000, 1,
		CVQSIM_PERM_RO), "new mapping not live yet");
	TEST_ASSERT_EQUAL(set.as[1].generation, gen1, "generation before commit");
	TEST_ASSERT_NOT_NULL(cvqsim_as_translate(cvqsim_as_batch_view(&b, &set, 1),
		IOVA_BASE + 0x1000, 1, CVQSIM_PERM_RO), "the view has it");
	TEST_ASSERT(cvqsim_as_batch_view(&b, &set, 0) == &set.as[0],
		"untouched AS: the view is the live one");

	changed = cvqsim_as_batch_commit(&b, &set);
	TEST_ASSERT_EQUAL(changed, 1u << 1, "only AS 1 changed: 0x%x", changed);
	TEST_ASSERT_NULL(cvqsim_as_translate(&set.as[1], IOVA_BASE, 1,
		CVQSIM_PERM_RO), "unmapped at commit");
	TEST_ASSERT_NOT_NULL(cvqsim_as_translate(&set.as[1], IOVA_BASE + 0x1000,
		0x1000, CVQSIM_PERM_RO), "mapped at commit");
	TEST_ASSERT_NULL(cvqsim_as_translate(&set.as[1], IOVA_BASE + 0x1000, 1,
		CVQSIM_PERM_WO), "read-only: no device write");
	TEST_ASSERT_EQUAL(set.as[1].generation, gen1 + 1, "one new generation");
	TEST_ASSERT_EQUAL(set.as[0].generation, gen0, "AS 0 untouched");
	TEST_ASSERT_EQUAL(set.as[1].asid, 1u, "ids stay");
	/* The old table is kept for readers until release. */
	TEST_ASSERT(b.copy[1].nr_maps == 1 && b.copy[1].maps[0].iova == IOVA_BASE,
		"old table kept");
	cvqsim_as_batch_release(&b);
	TEST_ASSERT_NULL(b.copy[1].maps, "released");

	/* An empty batch changes nothing. */
	TEST_ASSERT_SUCCESS(cvqsim_as_batch_begin(&b), "begin 2");
	TEST_ASSERT_EQUAL(cvqsim_as_batch_commit(&b, &set), 0u, "empty batch");
	TEST_ASSERT_EQUAL(set.as[1].generation, gen1 + 1, "no new generation");
	/* An abandoned batch frees its copies and leaves the AS alone. */
	TEST_ASSERT_SUCCESS(cvqsim_as_batch_begin(&b), "begin 3");
	TEST_ASSERT_EQUAL(cvqsim_as_batch_unmap(&b, &set, 1, 0, UINT64_MAX), 1,
		"unmap all in the batch");
	cvqsim_as_batch_release(&b);
	TEST_ASSERT_EQUAL(set.as[1].nr_maps, 1u, "abandoned batch not applied");
	cvqsim_as_set_fini(&set);
	return TEST_SUCCESS;
}

/* Random maps and unmaps against a byte-granular model of the space. */
static int
test_random_against_model(void)
{
	enum { SLOTS = 256, GRAN = 0x100 };
	static int32_t owner[SLOTS];	/* map number per slot, -1 free */
	unsigned int seed = 12345, round;
	int next_id = 0;

	memset(owner, -1, sizeof(owner));
	for (round = 0; round < 20000; round++) {
		uint32_t start = rand_r(&seed) % SLOTS;
		uint32_t len = 1 + rand_r(&seed) % 8;
		bool free_range = true, whole_maps = true;
		uint32_t s;
		int ret;

		if (start + len > SLOTS)
			len = SLOTS - start;
		for (s = start; s < start + len; s++)
			free_range &= owner[s] < 0;
		if (rand_r(&seed) % 2) {
			ret = cvqsim_as_map(&as, IOVA_BASE + start * GRAN, len * GRAN,
				HVA_BASE + start * GRAN, CVQSIM_PERM_RW);
			TEST_ASSERT_EQUAL(ret, free_range ? 0 : -EINVAL,
				"round %u map [%u, +%u): %d", round, start, len, ret);
			if (ret == 0) {
				for (s = start; s < start + len; s++)
					owner[s] = next_id;
				next_id++;
			}
		} else {
			/* maps cut by either edge make the unmap fail */
			if (owner[start] >= 0 && start > 0 &&
					owner[start - 1] == owner[start])
				whole_maps = false;
			if (owner[start + len - 1] >= 0 && start + len < SLOTS &&
					owner[start + len] == owner[start + len - 1])
				whole_maps = false;
			ret = cvqsim_as_unmap(&as, IOVA_BASE + start * GRAN, len * GRAN);
			TEST_ASSERT(whole_maps ? ret >= 0 : ret == -EINVAL,
				"round %u unmap [%u, +%u): %d", round, start, len, ret);
			if (ret >= 0)
				for (s = start; s < start + len; s++)
					owner[s] = -1;
		}
		TEST_ASSERT_SUCCESS(check_sorted(), "round %u", round);
		s = rand_r(&seed) % SLOTS;
		TEST_ASSERT_EQUAL(cvqsim_as_lookup(&as, IOVA_BASE + s * GRAN + 7) != NULL,
			owner[s] >= 0, "round %u lookup slot %u", round, s);
	}
	return TEST_SUCCESS;
}

static struct unit_test_suite as_suite = {
	.suite_name = "cvqsim address space",
	.unit_test_cases = {
		TEST_CASE_ST(ut_setup, ut_teardown, test_map_sorted_lookup),
		TEST_CASE_ST(ut_setup, ut_teardown, test_map_overlap),
		TEST_CASE_ST(ut_setup, ut_teardown, test_map_bad_args),
		TEST_CASE_ST(ut_setup, ut_teardown, test_map_limit),
		TEST_CASE_ST(ut_setup, ut_teardown, test_unmap),
		TEST_CASE_ST(ut_setup, ut_teardown, test_translate_perm),
		TEST_CASE_ST(ut_setup, ut_teardown, test_translate_range),
		TEST_CASE_ST(ut_setup, ut_teardown, test_translate_iov),
		TEST_CASE_ST(ut_setup, ut_teardown, test_clear_fini),
		TEST_CASE(test_as_set),
		TEST_CASE_ST(ut_setup, ut_teardown, test_query),
		TEST_CASE(test_batch),
		TEST_CASE_ST(ut_setup, ut_teardown, test_random_against_model),
		TEST_CASES_END()
	}
};

static int
test_as(void)
{
	return unit_test_suite_runner(&as_suite);
}

REGISTER_TEST_COMMAND(as_autotest, test_as);
