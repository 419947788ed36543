/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_IOV_H
#define CVQSIM_IOV_H

/*
 * Copies between iovec arrays and flat buffers, and the Internet checksum
 * over iovecs: what the ring engine, the control queue decoder and the
 * datapath do with the guest buffers a chain maps. Pure C.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>

/* General case of the copy helpers below (any number of iovecs). */
size_t cvqsim_iov_to_buf_slow(const struct iovec *iov, unsigned int nr_iov,
		size_t offset, void *buf, size_t len);
size_t cvqsim_buf_to_iov_slow(const struct iovec *iov, unsigned int nr_iov,
		size_t offset, const void *buf, size_t len);

/*
 * Copy helpers between a flat buffer and an iovec array at an offset; they
 * return the bytes copied (less than len when the iovecs end first).
 * Inline for the usual case, a range inside the first iovec (a frame's
 * net header and first bytes, a control request, the ack byte): the call
 * and the loop cost more than such a copy (devtools/bench: a 64-byte
 * frame took 153 instructions in these helpers, a small command 180).
 */
static inline size_t
cvqsim_iov_to_buf(const struct iovec *iov, unsigned int nr_iov,
		size_t offset, void *buf, size_t len)
{
	if (nr_iov > 0 && len > 0 && offset <= iov[0].iov_len &&
			len <= iov[0].iov_len - offset) {
		memcpy(buf, (const char *)iov[0].iov_base + offset, len);
		return len;
	}
	return cvqsim_iov_to_buf_slow(iov, nr_iov, offset, buf, len);
}

static inline size_t
cvqsim_buf_to_iov(const struct iovec *iov, unsigned int nr_iov,
		size_t offset, const void *buf, size_t len)
{
	if (nr_iov > 0 && len > 0 && offset <= iov[0].iov_len &&
			len <= iov[0].iov_len - offset) {
		memcpy((char *)iov[0].iov_base + offset, buf, len);
		return len;
	}
	return cvqsim_buf_to_iov_slow(iov, nr_iov, offset, buf, len);
}

/*
 * Copy len bytes from src (at src_off) to dst (at dst_off); returns the
 * bytes copied. The ranges may overlap (both sides are guest memory).
 */
size_t cvqsim_iov_copy(const struct iovec *dst, unsigned int nr_dst,
		size_t dst_off, const struct iovec *src, unsigned int nr_src,
		size_t src_off, size_t len);

/*
 * The Internet checksum (RFC 1071) of len bytes of iov from offset off, in
 * the host-order form rte_raw_cksum() gives.
 */
uint16_t cvqsim_iov_cksum(const struct iovec *iov, unsigned int nr,
		size_t off, size_t len);

#endif /* CVQSIM_IOV_H */
