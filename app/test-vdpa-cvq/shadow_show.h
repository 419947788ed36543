/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef SHADOW_SHOW_H
#define SHADOW_SHOW_H

/* "show shadow": the shadow's copy of the device state against the device's. */

#include <stdio.h>

/**
 * Print the shadow's view of interface @p iface (its device model, its
 * counters) and compare the model with rte_pmd_cvqsim_net_state_get().
 * Returns 0 when they are equal, 1 when they differ (the fields printed),
 * -ENODEV when the interface was never shadowed.
 */
int shadow_show(FILE *f, unsigned int iface);

/**
 * shadow_show() for every interface that was shadowed. Returns the number
 * that differ from their device.
 */
unsigned int shadow_check(FILE *f);

#endif /* SHADOW_SHOW_H */
