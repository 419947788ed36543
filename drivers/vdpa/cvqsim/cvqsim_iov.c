/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>

#include "cvqsim_iov.h"

size_t
cvqsim_iov_to_buf_slow(const struct iovec *iov, unsigned int nr_iov,
		size_t offset, void *buf, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < nr_iov && done < len; i++) {
		size_t n;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - offset;
		if (n > len - done)
			n = len - done;
		memcpy((char *)buf + done, (const char *)iov[i].iov_base + offset, n);
		done += n;
		offset = 0;
	}
	return done;
}

size_t
cvqsim_buf_to_iov_slow(const struct iovec *iov, unsigned int nr_iov,
		size_t offset, const void *buf, size_t len)
{
	size_t done = 0;
	unsigned int i;

	for (i = 0; i < nr_iov && done < len; i++) {
		size_t n;

		if (offset >= iov[i].iov_len) {
			offset -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - offset;
		if (n > len - done)
			n = len - done;
		memcpy((char *)iov[i].iov_base + offset, (const char *)buf + done, n);
		done += n;
		offset = 0;
	}
	return done;
}

/* Copy len bytes from src (at src_off) to dst (at dst_off); returns copied. */
size_t
cvqsim_iov_copy(const struct iovec *dst, unsigned int nr_dst, size_t dst_off,
		const struct iovec *src, unsigned int nr_src, size_t src_off,
		size_t len)
{
	unsigned int d = 0, s = 0;
	size_t done = 0;

	while (d < nr_dst && dst_off >= dst[d].iov_len)
		dst_off -= dst[d++].iov_len;
	while (s < nr_src && src_off >= src[s].iov_len)
		src_off -= src[s++].iov_len;
	while (done < len && d < nr_dst && s < nr_src) {
		size_t n = RTE_MIN(dst[d].iov_len - dst_off,
			src[s].iov_len - src_off);

		n = RTE_MIN(n, len - done);
		/*
		 * Both sides are guest memory: a frontend may post an RX
		 * buffer overlapping the TX buffer being delivered.
		 */
		memmove((char *)dst[d].iov_base + dst_off,
			(const char *)src[s].iov_base + src_off, n);
		done += n;
		dst_off += n;
		src_off += n;
		if (dst_off == dst[d].iov_len) {
			d++;
			dst_off = 0;
		}
		if (src_off == src[s].iov_len) {
			s++;
			src_off = 0;
		}
	}
	return done;
}

/*
 * The Internet checksum (RFC 1071) of len bytes of iovecs from offset, in
 * the host-order form rte_raw_cksum() gives (store it as is). A piece that
 * starts at an odd distance from the start has its bytes in the other
 * halves of the 16-bit words: its partial sum is byte-swapped.
 */
uint16_t
cvqsim_iov_cksum(const struct iovec *iov, unsigned int nr, size_t off, size_t len)
{
	uint32_t sum = 0;
	size_t done = 0;
	unsigned int i = 0;

	while (i < nr && off >= iov[i].iov_len)
		off -= iov[i++].iov_len;
	for (; i < nr && done < len; i++, off = 0) {
		size_t n = RTE_MIN(iov[i].iov_len - off, len - done);
		uint32_t part;

		part = __rte_raw_cksum_reduce(__rte_raw_cksum(
			(const char *)iov[i].iov_base + off, n, 0));
		if (done & 1)
			part = rte_bswap16((uint16_t)part);
		sum += part;
		done += n;
	}
	return (uint16_t)__rte_raw_cksum_reduce(sum);
}
