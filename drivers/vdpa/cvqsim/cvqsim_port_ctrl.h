/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_PORT_CTRL_H
#define CVQSIM_PORT_CTRL_H

/*
 * VF-parent mode, control path: the decoder's backend for a port-backed
 * device (cvqsim_port_ctrl_ops, ctx: a struct cvqsim_port_ctrl). Every
 * command is applied to the device model first (when the model refuses,
 * nothing changed anywhere), then programmed onto the port where rte_ethdev
 * can express it; the path each command took is recorded.
 *
 * Runs where the model's mutators run: on the device's poller, inside its
 * pass. The per-command records are written with relaxed atomic stores and
 * read from any thread (cvqsim_port_ctrl_cmds_get).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>

#include "cvqsim_ctrl.h"
#include "rte_pmd_cvqsim.h"

struct cvqsim_net;

struct cvqsim_port_ctrl {
	/* Set by the port's attach, fixed afterwards. */
	struct cvqsim_net *net;		/* the device model */
	const char *dev_name;		/* for logs */
	const char *name;		/* the port's ethdev name */
	uint16_t port_id;
	bool queues_owned;		/* one port queue per pair, ours */
	uint16_t nb_rxq;
	uint16_t reta_size;		/* 0: no RSS on the port */
	uint64_t rss_offloads;		/* the port's flow_type_rss_offloads */
	bool vlan_filter_capable;
	struct rte_ether_addr *hw_uc;	/* room for the device's mac_table */

	/* What the port holds of the driver's filter. */
	bool hw_uc_ok;			/* every table unicast added */
	bool hw_mc_ok;			/* multicast list set */
	uint32_t nb_hw_uc;
	bool vlan_filter_on;
	uint32_t hw_vlan[RTE_PMD_CVQSIM_VLAN_IDS / 32];	/* VIDs added */
	/* Port receive queues 0 .. rxq_started - 1 are started (atomic). */
	uint16_t rxq_started;

	struct rte_pmd_cvqsim_port_cmd cmds[RTE_PMD_CVQSIM_PORT_CMDS];
};

extern const struct cvqsim_ctrl_ops cvqsim_port_ctrl_ops;

/*
 * The device was reset: bring the port's filters back to what the model
 * accepts after a reset (its MAC, no table, no VLAN filter, modes).
 */
void cvqsim_port_ctrl_reset(struct cvqsim_port_ctrl *p);

/* The per-command paths, into info->cmds and info->nb_cmds. */
void cvqsim_port_ctrl_cmds_get(const struct cvqsim_port_ctrl *p,
		struct rte_pmd_cvqsim_port_info *info);

#endif /* CVQSIM_PORT_CTRL_H */
