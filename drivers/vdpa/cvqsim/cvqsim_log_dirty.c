/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Dirty-page logging (cvqsim_log_dirty.h): guest writes of the poller
 * reported to the frontend's bitmap with rte_vhost_log_write().
 */

#include <stdlib.h>
#include <string.h>

#include <rte_bitops.h>
#include <rte_vhost.h>

#include "cvqsim_dev.h"
#include "cvqsim_log.h"
#include "cvqsim_log_dirty.h"

/*
 * Test knob of the coverage test (test/dirty_log_check.c): a comma list of
 * kinds ("rx,ctrl,used,idx") whose writes are NOT logged, to prove the
 * test notices each one missing. Read once per negotiation; never set it
 * outside that test.
 */
#define CVQSIM_LOG_DIRTY_SKIP_ENV	"CVQSIM_TEST_LOG_DIRTY_SKIP"

static const char *const kind_names[CVQSIM_LOG_DIRTY_KINDS] = {
	[CVQSIM_LOG_DIRTY_RX] = "rx",
	[CVQSIM_LOG_DIRTY_CTRL] = "ctrl",
	[CVQSIM_LOG_DIRTY_USED] = "used",
	[CVQSIM_LOG_DIRTY_USED_IDX] = "idx",
};

static uint32_t
skip_mask_from_env(void)
{
	const char *s = getenv(CVQSIM_LOG_DIRTY_SKIP_ENV);
	uint32_t mask = 0, k;

	if (s == NULL)
		return 0;
	for (k = 0; k < CVQSIM_LOG_DIRTY_KINDS; k++)
		if (strstr(s, kind_names[k]) != NULL)
			mask |= 1u << k;
	return mask;
}

void
cvqsim_log_dirty_update(struct cvqsim_dev *dev)
{
	bool on = dev->features_valid &&
		(dev->negotiated & RTE_BIT64(VHOST_F_LOG_ALL)) != 0;
	uint32_t skip = on ? skip_mask_from_env() : 0;

	if (on != dev->log_dirty.on)
		dev->log_dirty.switches++;
	dev->log_dirty.on = on;
	dev->log_dirty.skip = skip;
	if (skip != 0)
		CVQSIM_DEV_LOG(WARNING, dev, "dirty logging skips writes (%s=%s):"
			" migration is NOT safe", CVQSIM_LOG_DIRTY_SKIP_ENV,
			getenv(CVQSIM_LOG_DIRTY_SKIP_ENV));
	CVQSIM_DEV_LOG(INFO, dev, "dirty logging %s", on ? "on" : "off");
}

/* Guest physical address of host address hva, with the bytes left there. */
static bool
hva_to_gpa(const struct cvqsim_dev *dev, uintptr_t hva, uint64_t *gpa,
		uint64_t *room)
{
	uint32_t i;

	for (i = 0; i < dev->nr_mem; i++) {
		const struct cvqsim_mem_region *r = &dev->mem[i];

		if (hva >= r->hva && hva - r->hva < r->size) {
			*gpa = r->gpa + (hva - r->hva);
			*room = r->size - (hva - r->hva);
			return true;
		}
	}
	return false;
}

/* Mark [p, p + len) of host memory, region by region. */
static void
log_range(struct cvqsim_dev *dev, const void *p, uint64_t len,
		enum cvqsim_log_dirty_kind kind)
{
	uintptr_t hva = (uintptr_t)p;
	uint64_t gpa, room, n;

	if ((dev->log_dirty.skip & (1u << kind)) != 0)
		return;
	while (len > 0) {
		if (!hva_to_gpa(dev, hva, &gpa, &room)) {
			dev->log_dirty.outside++;
			return;
		}
		n = RTE_MIN(len, room);
		rte_vhost_log_write(dev->vid, gpa, n);
		dev->log_dirty.bytes[kind] += n;
		hva += n;
		len -= n;
	}
}

void
cvqsim_log_dirty_chain_slow(struct cvqsim_dev *dev, struct cvqsim_chain *c,
		uint32_t len, enum cvqsim_log_dirty_kind kind)
{
	const struct iovec *iov = cvqsim_chain_in_iov(c);
	uint32_t i, n;

	for (i = 0; i < c->nr_in && len > 0; i++) {
		n = (uint32_t)RTE_MIN((size_t)len, iov[i].iov_len);
		log_range(dev, iov[i].iov_base, n, kind);
		len -= n;
	}
}

void
cvqsim_log_dirty_publish_slow(struct cvqsim_dev *dev, struct cvqsim_vq *vq)
{
	struct cvqsim_vq_written w;
	unsigned int i;

	/* What the flush publishes, in either ring layout (cvqsim_vq.h). */
	cvqsim_vq_unflushed(vq, &w);
	for (i = 0; i < w.nr; i++)
		log_range(dev, w.entries[i].iov_base, w.entries[i].iov_len,
			CVQSIM_LOG_DIRTY_USED);
	cvqsim_vq_flush(vq);
	if (w.publish.iov_len == 0)
		return;
	log_range(dev, w.publish.iov_base, w.publish.iov_len,
		CVQSIM_LOG_DIRTY_USED_IDX);
	dev->log_dirty.publishes++;
}

void
cvqsim_log_dirty_used_hdr_slow(struct cvqsim_dev *dev, struct cvqsim_vq *vq)
{
	struct iovec r[2];
	unsigned int i, n = cvqsim_vq_device_fields(vq, r);

	for (i = 0; i < n; i++)
		log_range(dev, r[i].iov_base, r[i].iov_len,
			CVQSIM_LOG_DIRTY_USED_IDX);
}
