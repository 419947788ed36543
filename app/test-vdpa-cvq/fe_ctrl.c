/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Control commands through the real control virtqueue: one request is
 * [class, cmd, data...] readable and [ack, result...] writable, laid out
 * in descriptors as the caller chooses, so the device's decoder sees every
 * shape a driver may legally produce.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fe_ctrl.h"
#include "fe_vu.h"

/* BYTES puts every byte in its own descriptor: bounded by one chain. */
#define BYTES_MAX_DESCS	DRV_VQ_INDIRECT_MAX

static const char *const layout_names[FE_LAYOUT_MAX] = {
	[FE_LAYOUT_SPLIT] = "split",
	[FE_LAYOUT_ONE] = "one",
	[FE_LAYOUT_BYTES] = "bytes",
	[FE_LAYOUT_INDIRECT] = "indirect",
};

const char *
fe_ctrl_layout_name(enum fe_ctrl_layout l)
{
	return (unsigned int)l < FE_LAYOUT_MAX ? layout_names[l] : "?";
}

enum fe_ctrl_layout
fe_ctrl_layout_from_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < FE_LAYOUT_MAX; i++)
		if (strcasecmp(name, layout_names[i]) == 0)
			return (enum fe_ctrl_layout)i;
	return FE_LAYOUT_MAX;
}

int
fe_ctrl_set_layout(struct fe_dev *dev, enum fe_ctrl_layout layout)
{
	if ((unsigned int)layout >= FE_LAYOUT_MAX)
		return fe_err(dev, -EINVAL, "unknown control layout %d", layout);
	dev->layout = layout;
	return 0;
}

enum fe_ctrl_layout
fe_ctrl_get_layout(const struct fe_dev *dev)
{
	return dev->layout;
}

/* Every slot free, in the free list in order; nothing in flight. */
static void
slots_reset(struct fe_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->ctrl_ring_size; i++) {
		dev->cslots[i].in_use = false;
		dev->cslots[i].stale = false;
		dev->cslots[i].next_free = i + 1 < dev->ctrl_ring_size ?
			(uint16_t)(i + 1) : FE_CTRL_NO_SLOT;
	}
	dev->ctrl_free = dev->ctrl_ring_size > 0 ? 0 : FE_CTRL_NO_SLOT;
	dev->ctrl_in_flight = 0;
	dev->ctrl_stale = 0;
	dev->ctrl_last = NULL;
}

int
fe_ctrl_setup(struct fe_dev *dev)
{
	uint16_t i;

	dev->cslots = calloc(dev->ctrl_ring_size, sizeof(*dev->cslots));
	if (dev->cslots == NULL)
		return -ENOMEM;
	for (i = 0; i < dev->ctrl_ring_size; i++) {
		struct fe_ctrl_slot *s = &dev->cslots[i];

		/* Separate allocations so that every area is its own buffer:
		 * a device reading past the header hits data, not the ack.
		 */
		s->rbuf = drv_mem_alloc(&dev->mem, 2 + FE_CTRL_MAX_DATA, 64);
		s->wbuf = drv_mem_alloc(&dev->mem, 1 + FE_CTRL_MAX_RESULT, 64);
		if (s->rbuf == NULL || s->wbuf == NULL)
			return -ENOMEM;
	}
	slots_reset(dev);
	return 0;
}

void
fe_ctrl_forget(struct fe_dev *dev)
{
	if (dev->cslots == NULL)
		return;
	slots_reset(dev);
}

unsigned int
fe_ctrl_in_flight(const struct fe_dev *dev)
{
	return dev->ctrl_in_flight;
}

static int
ctrl_ready(struct fe_dev *dev)
{
	if (dev->ctrl_idx < 0 || dev->cslots == NULL)
		return fe_err(dev, -ENOTSUP, "no control queue (CTRL_VQ not negotiated)");
	if (dev->state != FE_STATE_RUNNING)
		return fe_err(dev, dev->state == FE_STATE_BROKEN ? -ECONNRESET :
			-EINVAL, "device is %s", fe_state_name(dev->state));
	return 0;
}

/* Commands in flight that someone still waits for (not timed out). */
static unsigned int
live_in_flight(const struct fe_dev *dev)
{
	return dev->ctrl_in_flight - dev->ctrl_stale;
}

static void
mark_stale(struct fe_dev *dev, struct fe_ctrl_slot *s)
{
	if (s->in_use && !s->stale) {
		s->stale = true;
		dev->ctrl_stale++;
	}
}

/* The descriptor list of one request in the chosen layout. */
static int
build_chain(struct fe_dev *dev, struct fe_ctrl_slot *s,
		const struct fe_ctrl_req *req, size_t data_len,
		struct drv_buf *b, unsigned int *nb)
{
	unsigned int n = 0, i;
	size_t off;

	switch (req->layout) {
	case FE_LAYOUT_ONE:
		b[n++] = (struct drv_buf){ s->rbuf, (uint32_t)(2 + data_len), false };
		b[n++] = (struct drv_buf){ s->wbuf,
			(uint32_t)(1 + req->result_len), true };
		break;
	case FE_LAYOUT_BYTES:
		if (2 + data_len + 1 + req->result_len > BYTES_MAX_DESCS)
			return fe_err(dev, -E2BIG,
				"layout 'bytes' takes at most %u bytes in all",
				BYTES_MAX_DESCS);
		for (i = 0; i < 2 + data_len; i++)
			b[n++] = (struct drv_buf){ s->rbuf + i, 1, false };
		for (i = 0; i < 1 + req->result_len; i++)
			b[n++] = (struct drv_buf){ s->wbuf + i, 1, true };
		break;
	case FE_LAYOUT_SPLIT:
	case FE_LAYOUT_INDIRECT:
		b[n++] = (struct drv_buf){ s->rbuf, 2, false };
		off = 2;
		for (i = 0; i < req->n_data; i++) {
			if (req->data[i].iov_len == 0)
				continue;
			if (n + 2 >= DRV_VQ_INDIRECT_MAX)
				return fe_err(dev, -E2BIG, "too many data segments");
			b[n++] = (struct drv_buf){ s->rbuf + off,
				(uint32_t)req->data[i].iov_len, false };
			off += req->data[i].iov_len;
		}
		b[n++] = (struct drv_buf){ s->wbuf, 1, true };
		if (req->result_len > 0)
			b[n++] = (struct drv_buf){ s->wbuf + 1,
				(uint32_t)req->result_len, true };
		break;
	default:
		return fe_err(dev, -EINVAL, "unknown control layout %d",
			req->layout);
	}
	if (req->layout != FE_LAYOUT_INDIRECT && n > dev->cvq.size)
		return fe_err(dev, -E2BIG, "%u descriptors do not fit a ring of %u",
			n, dev->cvq.size);
	*nb = n;
	return 0;
}

/* What a request may be whatever the ring holds; its data length. */
static int
ctrl_check(struct fe_dev *dev, const struct fe_ctrl_req *req, size_t *data_len)
{
	unsigned int i;

	*data_len = 0;
	for (i = 0; i < req->n_data; i++)
		*data_len += req->data[i].iov_len;
	if (*data_len > FE_CTRL_MAX_DATA)
		return fe_err(dev, -E2BIG, "command data over %u bytes",
			FE_CTRL_MAX_DATA);
	if (req->result_len > FE_CTRL_MAX_RESULT)
		return fe_err(dev, -E2BIG, "result over %u bytes",
			FE_CTRL_MAX_RESULT);
	if (req->layout == FE_LAYOUT_INDIRECT &&
			!(dev->features & FE_BIT(28)))
		return fe_err(dev, -ENOTSUP,
			"layout 'indirect' needs INDIRECT_DESC negotiated");
	return 0;
}

/*
 * Add one checked request to the ring, stamped t_submit (no kick). When
 * the slots or the ring are full: -ENOSPC and no message (a batch meets it
 * in its loop; fe_ctrl_submit words it).
 */
static int
ctrl_add(struct fe_dev *dev, const struct fe_ctrl_req *req, size_t data_len,
		uint64_t t_submit)
{
	struct drv_buf bufs[BYTES_MAX_DESCS + 4];
	struct fe_ctrl_slot *s;
	unsigned int i, nb = 0;
	size_t off;
	int ret;

	if (dev->ctrl_free == FE_CTRL_NO_SLOT)
		return -ENOSPC;
	s = &dev->cslots[dev->ctrl_free];
	s->rbuf[0] = req->class_;
	s->rbuf[1] = req->cmd;
	off = 2;
	for (i = 0; i < req->n_data; i++) {
		memcpy(s->rbuf + off, req->data[i].iov_base, req->data[i].iov_len);
		off += req->data[i].iov_len;
	}
	/* Linux pre-fills the status with 0xff: the device must write it. */
	s->wbuf[0] = FE_CTRL_ACK_UNSET;
	memset(s->wbuf + 1, 0, req->result_len);
	s->result_len = req->result_len;
	s->tag = req->tag;
	s->stale = false;

	ret = build_chain(dev, s, req, data_len, bufs, &nb);
	if (ret < 0)
		return ret;
	ret = drv_vq_add(&dev->cvq, bufs, nb, req->layout == FE_LAYOUT_INDIRECT,
		s);
	if (ret == -ENOSPC)
		return ret;
	if (ret < 0)
		return fe_err(dev, ret, "%s", dev->cvq.err);
	dev->ctrl_free = s->next_free;
	s->in_use = true;
	s->t_submit = t_submit;
	dev->ctrl_in_flight++;
	dev->ctrl_last = s;
	return 0;
}

int
fe_ctrl_submit(struct fe_dev *dev, const struct fe_ctrl_req *req)
{
	size_t data_len;
	int ret;

	ret = ctrl_ready(dev);
	if (ret == 0)
		ret = ctrl_check(dev, req, &data_len);
	if (ret < 0)
		return ret;
	ret = ctrl_add(dev, req, data_len, fe_now_ns());
	if (ret == -ENOSPC)
		return fe_err(dev, ret, dev->ctrl_free == FE_CTRL_NO_SLOT ?
			"all control slots in flight" : "control ring full");
	return ret;
}

int
fe_ctrl_kick(struct fe_dev *dev)
{
	int ret;

	if (dev->ctrl_idx < 0)
		return fe_err(dev, -ENOTSUP, "no control queue");
	ret = drv_vq_kick(&dev->cvq);
	if (ret < 0)
		return fe_err(dev, ret, "kick of the control queue: %s",
			strerror(-ret));
	return 0;
}

/* Reap one completion (stale or not). 1 with *slot set, 0 none, -errno. */
static int
reap(struct fe_dev *dev, struct fe_ctrl_slot **slot, uint32_t *len)
{
	void *cookie;
	int ret;

	ret = drv_vq_get_used(&dev->cvq, &cookie, len);
	if (ret < 0)
		return fe_err(dev, ret, "%s", dev->cvq.err);
	if (ret == 0)
		return 0;
	*slot = cookie;
	(*slot)->in_use = false;
	(*slot)->next_free = dev->ctrl_free;
	dev->ctrl_free = (uint16_t)(*slot - dev->cslots);
	dev->ctrl_in_flight--;
	if ((*slot)->stale)
		dev->ctrl_stale--;
	return 1;
}

static void
fill_result(struct fe_ctrl_slot *s, uint32_t used_len, uint64_t now,
		struct fe_ctrl_res *res)
{
	uint32_t n = used_len > 1 ? used_len - 1 : 0;

	if (n > s->result_len)
		n = (uint32_t)s->result_len;
	res->ack = s->wbuf[0];
	res->used_len = used_len;
	res->rtt_ns = now - s->t_submit;
	res->tag = s->tag;
	res->result_len = n;
	memcpy(res->result, s->wbuf + 1, n);
}

int
fe_ctrl_poll(struct fe_dev *dev, struct fe_ctrl_res *res)
{
	struct fe_ctrl_slot *s = NULL;
	uint32_t len;
	int ret;

	if (dev->ctrl_idx < 0 || dev->cslots == NULL)
		return fe_err(dev, -ENOTSUP, "no control queue");
	for (;;) {
		ret = reap(dev, &s, &len);
		if (ret <= 0)
			return ret;
		if (!s->stale)
			break;
	}
	fill_result(s, len, fe_now_ns(), res);
	return 1;
}

/*
 * Wait for any completion: spin for ctrl_spin_ns, then sleep on the call
 * eventfd in slices of at most 1 ms (a device may complete without
 * signalling). Returns 1 if something is pending, 0 at the deadline.
 */
static int
wait_used(struct fe_dev *dev, uint64_t start, uint64_t deadline)
{
	uint64_t now;
	bool irq = false;
	int ret = 0;

	for (;;) {
		if (drv_vq_used_pending(&dev->cvq) > 0) {
			ret = 1;
			break;
		}
		now = fe_now_ns();
		if (now >= deadline)
			break;
		if (now - start < dev->cfg.ctrl_spin_ns)
			continue;
		if (!irq) {
			drv_vq_enable_interrupts(&dev->cvq, true);
			irq = true;
			continue;	/* re-check after asking */
		}
		if (fe_sock_dead(dev)) {
			ret = -ECONNRESET;
			break;
		}
		drv_vq_wait_call(&dev->cvq, deadline - now < 1000000ULL ?
			deadline - now : 1000000ULL);
	}
	if (irq)
		drv_vq_enable_interrupts(&dev->cvq, false);
	return ret;
}

int
fe_ctrl_ex(struct fe_dev *dev, const struct fe_ctrl_req *req,
		struct fe_ctrl_res *res)
{
	struct fe_ctrl_slot *mine, *s = NULL;
	uint64_t start, deadline;
	uint32_t len;
	int ret;

	ret = ctrl_ready(dev);
	if (ret < 0)
		return ret;
	if (live_in_flight(dev) > 0)
		return fe_err(dev, -EBUSY,
			"asynchronous control commands still in flight");
	ret = fe_ctrl_submit(dev, req);
	if (ret < 0)
		return ret;
	mine = dev->ctrl_last;
	ret = fe_ctrl_kick(dev);
	if (ret < 0)
		return ret;
	start = mine->t_submit;
	deadline = start + (uint64_t)dev->cfg.ctrl_timeout_ms * 1000000ULL;
	for (;;) {
		ret = reap(dev, &s, &len);
		if (ret < 0)
			return ret;
		if (ret == 1 && s == mine) {
			fill_result(s, len, fe_now_ns(), res);
			return 0;
		}
		if (ret == 1)
			continue;	/* a stale one from an earlier timeout */
		ret = wait_used(dev, start, deadline);
		if (ret < 0)
			return fe_err(dev, ret,
				"backend closed the connection while waiting for class %u cmd %u",
				req->class_, req->cmd);
		if (ret == 0) {
			mark_stale(dev, mine);
			return fe_err(dev, -ETIMEDOUT,
				"control command class %u cmd %u: no answer in %u ms",
				req->class_, req->cmd, dev->cfg.ctrl_timeout_ms);
		}
	}
}

int
fe_ctrl(struct fe_dev *dev, uint8_t class_, uint8_t cmd, const void *data,
		size_t len, void *result, size_t result_len, uint8_t *ack,
		uint32_t *used_len)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)data, .iov_len = len };
	struct fe_ctrl_req req = {
		.class_ = class_, .cmd = cmd,
		.data = &iov, .n_data = len > 0 ? 1 : 0,
		.result_len = result_len, .layout = dev->layout,
	};
	struct fe_ctrl_res res;
	int ret;

	ret = fe_ctrl_ex(dev, &req, &res);
	if (ret < 0)
		return ret;
	if (ack != NULL)
		*ack = res.ack;
	if (used_len != NULL)
		*used_len = res.used_len;
	if (result != NULL && result_len > 0) {
		memset(result, 0, result_len);
		memcpy(result, res.result, res.result_len);
	}
	return 0;
}

/*
 * Commands of this shape the ring holds at once: each takes its chain's
 * descriptors (one with an indirect table) and a slot.
 */
static int
ctrl_capacity(struct fe_dev *dev, const struct fe_ctrl_req *req,
		size_t data_len, unsigned int *cap)
{
	struct drv_buf bufs[BYTES_MAX_DESCS + 4];
	unsigned int nb = 0;
	int ret;

	ret = build_chain(dev, &dev->cslots[0], req, data_len, bufs, &nb);
	if (ret < 0)
		return ret;
	if (req->layout == FE_LAYOUT_INDIRECT)
		nb = 1;
	*cap = dev->cvq.size / nb;
	if (*cap > dev->ctrl_ring_size)
		*cap = dev->ctrl_ring_size;
	return 0;
}

static void
batch_count(struct fe_ctrl_bench *st, const struct fe_ctrl_slot *s, uint64_t now)
{
	uint64_t rtt = now - s->t_submit;

	st->completed++;
	if (s->wbuf[0] == 0)
		st->ok++;
	else
		st->err++;
	st->rtt_sum_ns += rtt;
	if (rtt < st->rtt_min_ns)
		st->rtt_min_ns = rtt;
	if (rtt > st->rtt_max_ns)
		st->rtt_max_ns = rtt;
}

/*
 * Each turn of the loop reads the clock once: completions reaped and
 * commands submitted in that turn share the timestamp (round trips are
 * exact to one turn). The request is checked once; depth is capped at what
 * the ring holds, so a submission is refused only while timed-out commands
 * still hold descriptors, and then silently.
 */
int
fe_ctrl_batch(struct fe_dev *dev, const struct fe_ctrl_req *req,
		uint64_t count, unsigned int depth, struct fe_ctrl_bench *st)
{
	const uint64_t timeout_ns = (uint64_t)dev->cfg.ctrl_timeout_ms * 1000000ULL;
	uint64_t submitted = 0, start, now, last_progress;
	struct fe_ctrl_slot *s;
	unsigned int cap = 0, added;
	size_t data_len = 0;
	bool progress;
	uint32_t len;
	int ret;

	memset(st, 0, sizeof(*st));
	st->rtt_min_ns = UINT64_MAX;
	ret = ctrl_ready(dev);
	if (ret == 0)
		ret = ctrl_check(dev, req, &data_len);
	if (ret == 0)
		ret = ctrl_capacity(dev, req, data_len, &cap);
	if (ret < 0)
		return ret;
	if (live_in_flight(dev) > 0)
		return fe_err(dev, -EBUSY,
			"asynchronous control commands still in flight");
	if (depth > cap)
		depth = cap;
	if (depth == 0)
		depth = 1;
	start = fe_now_ns();
	now = start;
	last_progress = start;
	while (st->completed < count) {
		progress = false;
		while ((ret = reap(dev, &s, &len)) == 1) {
			if (s->stale)
				continue;
			batch_count(st, s, now);
			progress = true;
		}
		if (ret < 0)
			goto out;
		added = 0;
		while (submitted < count && live_in_flight(dev) < depth) {
			ret = ctrl_add(dev, req, data_len, now);
			if (ret == -ENOSPC)
				break;	/* timed-out commands hold the ring */
			if (ret < 0)
				goto out;
			submitted++;
			added++;
		}
		if (added > 0) {
			ret = fe_ctrl_kick(dev);
			if (ret < 0)
				goto out;
		}
		if (progress) {
			last_progress = now;
		} else if (now - last_progress > timeout_ns) {
			uint16_t i;

			st->timeouts = live_in_flight(dev);
			for (i = 0; i < dev->ctrl_ring_size; i++)
				mark_stale(dev, &dev->cslots[i]);
			ret = fe_err(dev, -ETIMEDOUT,
				"control batch: nothing completed in %u ms (%" PRIu64
				" of %" PRIu64 " done)", dev->cfg.ctrl_timeout_ms,
				st->completed, count);
			goto out;
		} else if (now - last_progress > dev->cfg.ctrl_spin_ns) {
			if (fe_sock_dead(dev)) {
				ret = fe_err(dev, -ECONNRESET,
					"backend closed the connection during a control batch");
				goto out;
			}
			fe_idle();
		}
		now = fe_now_ns();
	}
	ret = 0;
out:
	st->total_ns = fe_now_ns() - start;
	if (st->completed == 0)
		st->rtt_min_ns = 0;
	return ret;
}
