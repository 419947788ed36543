/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

/*
 * Reading a fuzzer input as a stream of little-endian fields. Past the end
 * every read gives zeros, so any input, however short, is a valid one: the
 * fuzzer never wastes executions on inputs a harness rejects.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_input {
	const uint8_t *p;
	size_t len;
};

static inline uint8_t
fuzz_u8(struct fuzz_input *in)
{
	uint8_t v = 0;

	if (in->len > 0) {
		v = in->p[0];
		in->p++;
		in->len--;
	}
	return v;
}

static inline uint16_t
fuzz_u16(struct fuzz_input *in)
{
	uint16_t lo = fuzz_u8(in);

	return (uint16_t)(lo | fuzz_u8(in) << 8);
}

static inline uint32_t
fuzz_u32(struct fuzz_input *in)
{
	uint32_t lo = fuzz_u16(in);

	return lo | (uint32_t)fuzz_u16(in) << 16;
}

static inline uint64_t
fuzz_u64(struct fuzz_input *in)
{
	uint64_t lo = fuzz_u32(in);

	return lo | (uint64_t)fuzz_u32(in) << 32;
}

/* Copy up to len bytes into buf, zero-fill the rest; returns bytes taken. */
static inline size_t
fuzz_bytes(struct fuzz_input *in, void *buf, size_t len)
{
	size_t n = len < in->len ? len : in->len;

	memcpy(buf, in->p, n);
	memset((uint8_t *)buf + n, 0, len - n);
	in->p += n;
	in->len -= n;
	return n;
}

/*
 * A broken invariant: abort so libFuzzer records the input as a crash,
 * with the reason on stderr.
 */
#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant '%s' broken: ",	\
			__FILE__, __LINE__, #cond);			\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

#endif /* FUZZ_INPUT_H */
