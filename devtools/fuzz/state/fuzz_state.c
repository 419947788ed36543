/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * libFuzzer harness: the saved-state parser, cvqsim_state_restore()
 * (cvqsim_state_restore.c), with the control queue decoder and the device
 * model behind it.
 *
 * Input: one mode byte, then the state. Mode bit 0 set: the harness
 * recomputes the state's CRC-32C first, so that mutations reach the part
 * parser instead of stopping at the checksum. Invariants:
 * - no memory error, leak or UB (ASan, LSan, UBSan), whatever the input;
 * - refused: -EBADMSG, -ENOTSUP or -EINVAL, a message, and not one byte of
 *   the device's state changed;
 * - accepted: saving the device gives a state that restores into a fresh
 *   device to the same canonical state, and saving that one gives the same
 *   bytes (save is a fixed point of restore).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_hash_crc.h>

#include "cvqsim_state.h"

#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_state: " __VA_ARGS__);		\
		fprintf(stderr, "\n");					\
		abort();						\
	}								\
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The device every seed of devtools/fuzz/state/corpus was written for. */
static const struct cvqsim_net_params params = {
	.mac = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 },
	.max_queue_pairs = 4,
	.mtu = 1500,
	.speed = 10000,
	.duplex = 1,
	.link_up = true,
	.mac_table_entries = 16,
	.supported_tunnel_types = CVQSIM_NET_TUNNEL_TYPES_SUPPORTED,
};

/* Every feature bit below 64: what the state may negotiate is up to it. */
#define OFFERED	(~0ULL)

static struct cvqsim_net dev, fresh;
static struct cvqsim_net_state before, after, a, b;

static void
reseal(uint8_t *s, size_t len)
{
	uint32_t crc;

	if (len < CVQSIM_STATE_HDR_LEN)
		return;
	memset(s + 20, 0, 4);
	crc = rte_hash_crc(s, (uint32_t)len, 0xffffffff);
	s[20] = (uint8_t)crc;
	s[21] = (uint8_t)(crc >> 8);
	s[22] = (uint8_t)(crc >> 16);
	s[23] = (uint8_t)(crc >> 24);
}

static void
check_round_trip(void)
{
	struct cvqsim_state_err err;
	uint8_t *s1, *s2;
	size_t l1, l2;
	int ret;

	FUZZ_CHECK(cvqsim_state_save(&dev, NULL, &s1, &l1) == 0, "save");
	FUZZ_CHECK(cvqsim_net_init(&fresh, &params) == 0, "init");
	ret = cvqsim_state_restore(&fresh, OFFERED, s1, l1, NULL, &err);
	FUZZ_CHECK(ret == 0, "own save refused: %s", err.msg);
	cvqsim_state_canonical(&dev, &a);
	cvqsim_state_canonical(&fresh, &b);
	FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0, "restored state differs");
	FUZZ_CHECK(cvqsim_state_save(&fresh, NULL, &s2, &l2) == 0, "save 2");
	FUZZ_CHECK(l1 == l2 && memcmp(s1, s2, l1) == 0,
		"save not a fixed point (%zu, %zu bytes)", l1, l2);
	free(s1);
	free(s2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cvqsim_state_err err;
	uint8_t *s;
	size_t len;
	int ret;

	if (size < 1)
		return 0;
	len = size - 1;
	s = malloc(len + 1);
	FUZZ_CHECK(s != NULL, "memory");
	memcpy(s, data + 1, len);
	if (data[0] & 1)
		reseal(s, len);
	FUZZ_CHECK(cvqsim_net_init(&dev, &params) == 0, "init");
	cvqsim_net_state_get(&dev, &before);
	ret = cvqsim_state_restore(&dev, OFFERED, s, len, NULL, &err);
	if (ret != 0) {
		FUZZ_CHECK(ret == -EBADMSG || ret == -ENOTSUP ||
			ret == -EINVAL, "error %d", ret);
		FUZZ_CHECK(err.code == ret && err.msg[0] != '\0',
			"refused without a message");
		cvqsim_net_state_get(&dev, &after);
		FUZZ_CHECK(memcmp(&before, &after, sizeof(before)) == 0,
			"refused state changed the device: %s", err.msg);
	} else {
		check_round_trip();
	}
	free(s);
	return 0;
}
