/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef TEST_MODEL_H
#define TEST_MODEL_H

/*
 * The virtio-net device model the unit tests start from (no EAL): link up,
 * MTU 1500, 10 Gb/s full duplex, every tunnel type, primary MAC
 * test_model_mac; reset, no feature negotiated yet.
 */

#include <stdint.h>

#include "cvqsim_net.h"

extern const uint8_t test_model_mac[6];

/* cvqsim_net_init with those parameters; its result. */
int test_model_init(struct cvqsim_net *net, uint16_t pairs,
		uint16_t mac_table);

#endif /* TEST_MODEL_H */
