/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * "show shadow": the shadow's copy of the device state next to the
 * device's own (rte_pmd_cvqsim_net_state_get), field by field.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>

#include <rte_common.h>

#include <rte_pmd_cvqsim.h>

#include "shadow_show.h"
#include "shadow_table.h"

/* Print each field where the shadow's model and the device differ. */
static unsigned int
state_diff(FILE *f, const struct rte_pmd_cvqsim_net_state *s,
		const struct rte_pmd_cvqsim_net_state *d)
{
	unsigned int n = 0;

#define DIFF_SCALAR(field) do {						\
	if (s->field != d->field) {					\
		fprintf(f, "    %s: shadow 0x%" PRIx64 ", device 0x%"	\
			PRIx64 "\n", #field, (uint64_t)s->field,	\
			(uint64_t)d->field);				\
		n++;							\
	}								\
} while (0)
#define DIFF_BYTES(field, len) do {					\
	if (memcmp(&s->field, &d->field, (len)) != 0) {			\
		fprintf(f, "    %s differs\n", #field);			\
		n++;							\
	}								\
} while (0)
	DIFF_SCALAR(features);
	DIFF_BYTES(mac, sizeof(s->mac));
	DIFF_SCALAR(status);
	DIFF_SCALAR(max_queue_pairs);
	DIFF_SCALAR(mtu);
	DIFF_SCALAR(curr_queue_pairs);
	DIFF_BYTES(rx_mode, sizeof(s->rx_mode));
	DIFF_SCALAR(mac_table_capacity);
	DIFF_SCALAR(uc_count);
	DIFF_SCALAR(mc_count);
	DIFF_SCALAR(uc_overflow);
	DIFF_SCALAR(mc_overflow);
	if (s->uc_count == d->uc_count && s->mc_count == d->mc_count)
		DIFF_BYTES(macs, (size_t)(s->uc_count + s->mc_count) * 6);
	DIFF_BYTES(vlan_filter, sizeof(s->vlan_filter));
	DIFF_BYTES(rss, sizeof(s->rss));
	DIFF_SCALAR(tunnel_types);
	DIFF_SCALAR(guest_offloads);
	DIFF_BYTES(coal_tx, sizeof(s->coal_tx));
	DIFF_BYTES(coal_rx, sizeof(s->coal_rx));
	DIFF_BYTES(coal_vq, sizeof(s->coal_vq));
	DIFF_BYTES(vq_enabled, sizeof(s->vq_enabled));
	DIFF_SCALAR(announces);
#undef DIFF_SCALAR
#undef DIFF_BYTES
	return n;
}

static void
state_print(FILE *f, const struct rte_pmd_cvqsim_net_state *s)
{
	const struct rte_pmd_cvqsim_net_rx_mode *m = &s->rx_mode;
	unsigned int vlans = 0, i;

	for (i = 0; i < RTE_DIM(s->vlan_filter); i++)
		vlans += (unsigned int)__builtin_popcount(s->vlan_filter[i]);
	fprintf(f, "  model: features 0x%" PRIx64 ", mac %02x:%02x:%02x:%02x:"
		"%02x:%02x, status 0x%x\n", s->features, s->mac[0], s->mac[1],
		s->mac[2], s->mac[3], s->mac[4], s->mac[5], s->status);
	fprintf(f, "  rx modes: promisc %u allmulti %u alluni %u nomulti %u"
		" nouni %u nobcast %u\n", m->promisc, m->allmulti, m->alluni,
		m->nomulti, m->nouni, m->nobcast);
	fprintf(f, "  mac table: %u unicast%s, %u multicast%s; vlans %u\n",
		s->uc_count, s->uc_overflow ? " (overflow)" : "", s->mc_count,
		s->mc_overflow ? " (overflow)" : "", vlans);
	fprintf(f, "  queue pairs %u of %u; steering %s, hash types 0x%x;"
		" tunnel types 0x%x\n", s->curr_queue_pairs, s->max_queue_pairs,
		s->rss.steering ? "rss" : "automatic", s->rss.hash_types,
		s->tunnel_types);
	fprintf(f, "  offloads 0x%" PRIx64 "; coalescing tx %u/%u rx %u/%u;"
		" announces %" PRIu64 "\n", s->guest_offloads,
		s->coal_tx.max_usecs, s->coal_tx.max_packets,
		s->coal_rx.max_usecs, s->coal_rx.max_packets, s->announces);
}

static int
shadow_show_locked(FILE *f, struct shadow *sh,
		struct rte_pmd_cvqsim_net_state *mine,
		struct rte_pmd_cvqsim_net_state *dev)
{
	const struct shadow_info *st = &sh->stats;
	unsigned int n;

	fprintf(f, "shadow of iface %u: %s; group data on ASID %d, group cvq"
		" on ASID %d\n", sh->iface,
		sh->vm_case ? "VM case" : sh->wanted ? "on (next connection)" :
		"off (DPDK case)",
		rte_pmd_cvqsim_group_asid(sh->dev, RTE_PMD_CVQSIM_GROUP_DATA),
		rte_pmd_cvqsim_group_asid(sh->dev, RTE_PMD_CVQSIM_GROUP_CVQ));
	fprintf(f, "  relayed %" PRIu64 " (ok %" PRIu64 ", err %" PRIu64 "),"
		" guest faults %" PRIu64 ", device faults %" PRIu64
		", model mismatches %" PRIu64 ", memory table changes %" PRIu64
		"\n", st->relayed, st->ok, st->err, st->guest_faults,
		st->device_faults, st->mismatches, st->mem_changes);
	if (!sh->model_ok) {
		fprintf(f, "  no state relayed yet on this connection\n");
		return 0;
	}
	cvqsim_net_state_get(&sh->model, mine);
	state_print(f, mine);
	if (rte_pmd_cvqsim_net_state_get(sh->dev, dev) != 0)
		return 1;
	n = state_diff(f, mine, dev);
	fprintf(f, "  %s the device state (rte_pmd_cvqsim_net_state_get)\n",
		n == 0 ? "equals" : "DIFFERS from");
	return n == 0 ? 0 : 1;
}

int
shadow_show(FILE *f, unsigned int iface)
{
	struct rte_pmd_cvqsim_net_state *a, *b;
	struct shadow *sh = shadow_of(iface);
	int ret;

	if (sh == NULL || sh->dev == NULL)
		return -ENODEV;
	a = malloc(sizeof(*a));
	b = malloc(sizeof(*b));
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -ENOMEM;
	}
	pthread_mutex_lock(&sh->lock);
	ret = shadow_show_locked(f, sh, a, b);
	pthread_mutex_unlock(&sh->lock);
	free(a);
	free(b);
	fflush(f);
	return ret;
}

unsigned int
shadow_check(FILE *f)
{
	unsigned int i, bad = 0;

	for (i = 0; i < shadow_count(); i++)
		if (shadow_of(i)->used && shadow_show(f, i) != 0)
			bad++;
	return bad;
}
