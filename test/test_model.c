/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <stdbool.h>
#include <string.h>

#include "test_model.h"

const uint8_t test_model_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };

int
test_model_init(struct cvqsim_net *net, uint16_t pairs, uint16_t mac_table)
{
	struct cvqsim_net_params p = {
		.max_queue_pairs = pairs,
		.mtu = 1500,
		.speed = 10000,
		.duplex = 1,
		.link_up = true,
		.mac_table_entries = mac_table,
		.supported_tunnel_types = CVQSIM_NET_TUNNEL_TYPES_SUPPORTED,
	};

	memcpy(p.mac, test_model_mac, 6);
	return cvqsim_net_init(net, &p);
}
