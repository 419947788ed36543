/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The guest's side of the shadow control queue (shadow_guest.h): its
 * memory, seen through the vhost-user memory table, its control ring,
 * served by the driver's ring engine, and every write of the shadow into
 * that memory. A memory table change re-translates all of it.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_log.h>
#include <rte_vhost.h>

#include <rte_pmd_cvqsim.h>

#include "cvqsim_as.h"
#include "cvqsim_vq.h"
#include "shadow_guest.h"
#include "shadow_table.h"

static int
guest_as_build(struct shadow *sh)
{
	struct rte_vhost_memory *mem = NULL;
	uint32_t i;
	int ret = 0;

	cvqsim_as_clear(&sh->guest_as);
	sh->nr_regions = 0;
	if (rte_vhost_get_mem_table(sh->vid, &mem) != 0 || mem == NULL)
		return -ENODATA;
	for (i = 0; i < mem->nregions && i < SHADOW_MAX_REGIONS; i++) {
		const struct rte_vhost_mem_region *r = &mem->regions[i];

		ret = cvqsim_as_map(&sh->guest_as, r->guest_phys_addr, r->size,
			r->host_user_addr, CVQSIM_PERM_RW);
		if (ret < 0)
			break;
		sh->regions[i] = (struct shadow_region){
			r->guest_phys_addr, r->host_user_addr, r->size };
		sh->nr_regions = i + 1;
	}
	free(mem);
	return ret;
}

static int
guest_gpa(const struct shadow *sh, const void *p, uint64_t *gpa)
{
	uint64_t hva = (uintptr_t)p;
	uint32_t i;

	for (i = 0; i < sh->nr_regions; i++) {
		const struct shadow_region *r = &sh->regions[i];

		if (hva >= r->hva && hva - r->hva < r->size) {
			*gpa = r->gpa + (hva - r->hva);
			return 0;
		}
	}
	return -EFAULT;
}

/*
 * Every write of the shadow into guest memory: the device's reply bytes
 * into the guest's writable buffers, the used entry and the ring base the
 * vhost library reports on GET_VRING_BASE. Each is marked in the dirty
 * log (VM case: the VMM logs what it writes into the guest, the device
 * only its own writes, cvqsim_log_dirty.c).
 */
/* Mark guest memory the shadow wrote (a no-op unless LOG_ALL is on). */
static void
shadow_log(const struct shadow *sh, const volatile void *p, uint64_t len)
{
	uint64_t gpa;

	if (len > 0 && guest_gpa(sh, (const void *)(uintptr_t)p, &gpa) == 0)
		rte_vhost_log_write(sh->vid, gpa, len);
}

void
shadow_guest_complete(struct shadow *sh, const struct cvqsim_chain *c,
		uint32_t used_len)
{
	struct cvqsim_vq_written w;
	uint16_t last_avail, last_used;
	uint32_t i, left = used_len, n;

	if (used_len > 0)
		cvqsim_buf_to_iov(&c->iov[c->nr_out], c->nr_in, 0, sh->resp,
			used_len);
	for (i = c->nr_out; i < c->nr_out + c->nr_in && left > 0; i++) {
		n = (uint32_t)RTE_MIN((size_t)left, c->iov[i].iov_len);
		shadow_log(sh, c->iov[i].iov_base, n);
		left -= n;
	}
	cvqsim_vq_push(&sh->gvq, c->head, used_len);
	/* The used entry and what publishes it, in either ring layout. */
	cvqsim_vq_unflushed(&sh->gvq, &w);
	for (i = 0; i < w.nr; i++)
		shadow_log(sh, w.entries[i].iov_base, w.entries[i].iov_len);
	cvqsim_vq_flush(&sh->gvq);
	if (w.publish.iov_len > 0)
		shadow_log(sh, w.publish.iov_base, w.publish.iov_len);
	cvqsim_vq_notify(&sh->gvq);
	/* Packed guest rings: the wrap counters travel in bit 15. */
	cvqsim_vq_get_base(&sh->gvq, &last_avail, &last_used);
	rte_vhost_set_vring_base(sh->vid, sh->cvq, last_avail, last_used);
}

/*
 * Ask the guest for a kick on its next request (a write into its used
 * ring's flags or avail_event: guest memory, like shadow_guest_complete).
 */
void
shadow_guest_want_kick(struct shadow *sh)
{
	struct iovec r[2];
	unsigned int i, n;

	cvqsim_vq_enable_kick(&sh->gvq, true);
	/* The fields it wrote, in either ring layout. */
	n = cvqsim_vq_device_fields(&sh->gvq, r);
	for (i = 0; i < n; i++)
		shadow_log(sh, r[i].iov_base, r[i].iov_len);
}

int
shadow_guest_setup(struct shadow *sh, uint16_t vring, uint64_t features)
{
	struct rte_vhost_vring vr;
	uint64_t desc, avail, used;
	uint16_t last_avail, last_used;
	int ret;

	ret = guest_as_build(sh);
	if (ret < 0)
		return ret;
	if (rte_vhost_get_vhost_vring(sh->vid, vring, &vr) != 0 ||
			guest_gpa(sh, vr.desc, &desc) < 0 ||
			guest_gpa(sh, vr.avail, &avail) < 0 ||
			guest_gpa(sh, vr.used, &used) < 0 ||
			rte_vhost_get_vring_base(sh->vid, vring, &last_avail,
				&last_used) != 0)
		return -EFAULT;
	cvqsim_vq_init(&sh->gvq, vring, CVQSIM_GROUP_CVQ);
	ret = cvqsim_vq_setup(&sh->gvq, &sh->guest_as, desc, avail, used,
		vr.size, last_avail, last_used, features);
	if (ret < 0) {
		SH_LOG(ERR, sh, "guest control queue: %s", sh->gvq.error);
		return ret;
	}
	sh->gvq.kickfd = vr.kickfd;
	sh->gvq.callfd = vr.callfd;
	/* The relay sleeps on the guest's kicks. */
	shadow_guest_want_kick(sh);
	return 0;
}

/*
 * The frontend changes its memory table (rte_pmd_cvqsim_mem_event_register,
 * on the vhost-user message thread). Before the vhost library unmaps the
 * old table: wait for the request being relayed (the relay holds the lock
 * for a whole request), then forget every host address taken from it.
 * Once the new one is in: translate the guest's ring again, from the
 * indices the shadow handed to the vhost library, and relay on. The
 * device's ring is ours, in ASID 1: the table does not touch it.
 */
void
shadow_guest_mem_event(struct rte_vdpa_device *dev, int vid,
		enum rte_pmd_cvqsim_mem_event event, void *arg)
{
	struct shadow *sh = arg;
	uint64_t features = 0;

	RTE_SET_USED(dev);
	pthread_mutex_lock(&sh->lock);
	if (sh->vid != vid || !sh->attached) {
		pthread_mutex_unlock(&sh->lock);
		return;
	}
	if (event == RTE_PMD_CVQSIM_MEM_CHANGING && !sh->mem_paused) {
		cvqsim_vq_teardown(&sh->gvq);
		cvqsim_as_clear(&sh->guest_as);
		sh->nr_regions = 0;
		sh->mem_paused = true;
		sh->stats.mem_changes++;
	} else if (event == RTE_PMD_CVQSIM_MEM_CHANGED && sh->mem_paused) {
		sh->mem_paused = false;
		rte_vhost_get_negotiated_features(vid, &features);
		if (shadow_guest_setup(sh, sh->cvq, features) < 0) {
			sh->guest_broken = true;
			sh->stats.guest_faults++;
			SH_LOG(ERR, sh, "guest control queue %u: not in the new"
				" memory table, not relayed", sh->cvq);
		} else if (sh->guest_broken) {
			/* As QEMU's virtio_error(): broken until set up anew. */
			SH_LOG(WARNING, sh, "guest control queue %u translated"
				" through the new memory table (%u regions) but"
				" broken: relayed again once the driver sets the"
				" device up anew", sh->cvq, sh->nr_regions);
		} else {
			SH_LOG(INFO, sh, "guest control queue %u translated"
				" through the new memory table (%u regions)",
				sh->cvq, sh->nr_regions);
		}
		shadow_relay_wake();
	}
	pthread_mutex_unlock(&sh->lock);
}
