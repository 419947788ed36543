/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * hostile-check: a hostile vhost-user frontend against the cvqsim backend.
 *
 * One process hosts two cvqsim devices (the app's backend module) and
 * drives each with the app's frontend. Device A (2 pairs) gets one hostile
 * act per case: rings, descriptors, indirect tables, control requests and
 * memory tables a well-behaved driver never writes. Device B (1 pair) is the
 * bystander.
 *
 * Per case, when the act breaks the rules:
 * - the backend survives (this process is the backend);
 * - device A stops: virtio status NEEDS_RESET, exactly one more error in
 *   its queue counters, exactly one more "device stopped" log line, which
 *   gives the reason;
 * - device B passes traffic meanwhile and never stops;
 * - a new connection to A (the hostile frontend gone, a fresh one opened)
 *   brings A back: status 0, traffic passes.
 * When the act is legal (zero-length buffer, a memory table split in two
 * regions while frames are in flight), A must keep working instead, with
 * nothing counted as an error. When the specification lets the device
 * either take or ignore what the act wrote (a descriptor that flips
 * between available and used under it), the backend survives, B is
 * unaffected and a new connection brings A back.
 *
 * With HOSTILE_RING=packed every frontend drives packed virtqueues, and the
 * cases of that layout run: the ones both layouts share, and those only a
 * packed ring can carry (wrap counter lies, an id completed twice, an
 * indirect descriptor chained, flags flipping under the device).
 *
 *   hostile-check WORK_DIR [CASE...]     (default: every case)
 *
 * Prints one "case NAME: ..." line per case, then PASS or FAIL.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_config.h>
#include <linux/virtio_ring.h>

#include <rte_common.h>

#include <rte_pmd_cvqsim.h>

#include "drv_vq.h"
#include "fe_dev.h"
#include "frames.h"
#include "proc_check.h"

#define RING_SIZE	64
#define FRAMES		32
#define FRAME_LEN	128
#define STOP_WAIT_MS	3000

static struct pc_dev devs[2] = {
	{ .vdev = "vdpa_cvqsim0,queues=2,poll=thread", .pairs = 2 },
	{ .vdev = "vdpa_cvqsim1,poll=adaptive", .pairs = 1 },
};
#define A (&devs[0])
#define B (&devs[1])

/* HOSTILE_RING=packed: packed virtqueues. */
static bool packed;

static void
make_frame(uint8_t *frame, unsigned int len)
{
	struct frame_spec spec;

	pc_frame_spec(&spec, len);
	frame_build(&spec, 0, frame, len);
}

static int
check_traffic(struct pc_dev *d, const char *what)
{
	return pc_check_traffic(d, FRAMES, FRAME_LEN, what);
}

static int
open_frontend(struct pc_dev *d)
{
	struct fe_config cfg;

	fe_config_init(&cfg);
	cfg.ring_size = RING_SIZE;
	cfg.packed = packed;
	/* Room for the hostile buffers and tables the cases carve. */
	cfg.mem_size = 32 << 20;
	return pc_open_frontend(d, &cfg);
}

/* The hostile frontend goes away; a new one connects and must work. */
static int
reconnect(struct pc_dev *d)
{
	fe_dev_destroy(d->fe);
	d->fe = NULL;
	if (open_frontend(d) < 0 || pc_wait_status(d, 0, STOP_WAIT_MS) < 0)
		return -1;
	return check_traffic(d, "new connection");
}

/* ---- hostile acts ---------------------------------------------------------------- */

enum expect {
	STOPS,		/* a ring violation: the device stops */
	NO_ACK,		/* no writable byte: completed empty, NEEDS_RESET */
	WORKS,		/* legal: the device keeps going */
	SURVIVES,	/* the device may take it or wait: no crash, recovers */
};

/* Which ring layouts a case runs on (0: both). */
#define R_SPLIT		1
#define R_PACKED	2

struct hcase {
	const char *name;
	int (*act)(struct pc_dev *d, const struct hcase *c);
	enum expect expect;
	unsigned int rings;		/* R_* mask, 0 for both */
	enum drv_vq_fault fault;	/* for the injector's acts */
	enum fe_ctrl_layout layout;	/* for control queue acts */
	int arg;			/* act-specific */
};

static struct drv_vq *
tx0(struct pc_dev *d)
{
	return fe_dev_vq(d->fe, 1);
}

static struct drv_vq *
cvq(struct pc_dev *d)
{
	int idx = fe_ctrl_vq_index(d->fe);

	return idx < 0 ? NULL : fe_dev_vq(d->fe, (uint16_t)idx);
}

/* A fault of the frontend's injector on TX 0, carried by one frame. */
static int
act_tx_fault(struct pc_dev *d, const struct hcase *c)
{
	enum drv_vq_fault f = c->fault;
	uint8_t frame[FRAME_LEN];

	make_frame(frame, sizeof(frame));
	CHECK(drv_vq_inject(tx0(d), f) == 0, "inject %s", drv_vq_fault_name(f));
	CHECK(fe_tx_frame(d->fe, 0, frame, sizeof(frame), NULL) == 1,
		"send: %s", fe_dev_error(d->fe));
	return 0;
}

/* Make one raw chain available, in the ring's layout, and kick. */
static int
raw_publish(struct drv_vq *vq, const struct drv_raw_desc *descs, unsigned int n)
{
	CHECK(drv_vq_add_raw(vq, descs, n) == 0, "raw chain of %u", n);
	drv_vq_publish(vq);
	drv_vq_notify(vq);
	return 0;
}

/* Zeroed guest memory the frontend does not use, and its GPA. */
static void *
guest_alloc(struct drv_vq *vq, uint64_t len, uint64_t *gpa)
{
	void *p = drv_mem_alloc(vq->mem, len, 16);

	*gpa = p != NULL ? drv_mem_gpa(vq->mem, p) : 0;
	return p;
}

/*
 * TX 0: one INDIRECT descriptor whose table has c->arg entries of 1 byte
 * each, 2 bytes apart (never merged into one iovec). With more than 256
 * (CVQSIM_CHAIN_MAX_IOV) that is too many buffers; a negative arg makes
 * a 16-entry table whose last entry chains back to entry 3: a loop (split
 * rings: a packed table has no next field).
 */
static int
act_tx_indirect(struct pc_dev *d, const struct hcase *c)
{
	unsigned int n = c->arg > 0 ? (unsigned int)c->arg : 16;
	int loop_to = c->arg > 0 ? -1 : 3;
	struct drv_vq *vq = tx0(d);
	uint64_t tgpa, bgpa;
	void *table = guest_alloc(vq, 16ULL * n, &tgpa);
	struct vring_packed_desc *pt = table;
	struct vring_desc *t = table;
	struct drv_raw_desc head = { 0, 16 * n, VRING_DESC_F_INDIRECT };
	unsigned int i;

	CHECK(table != NULL && guest_alloc(vq, 2ULL * n, &bgpa) != NULL,
		"guest memory for a %u-entry table", n);
	head.addr = tgpa;
	for (i = 0; i < n && packed; i++) {
		pt[i].addr = bgpa + 2 * i;
		pt[i].len = 1;
	}
	for (i = 0; i < n && !packed; i++) {
		t[i].addr = bgpa + 2 * i;
		t[i].len = 1;
		t[i].flags = i + 1 < n ? VRING_DESC_F_NEXT : 0;
		t[i].next = (uint16_t)(i + 1);
	}
	if (loop_to >= 0 && !packed) {
		t[n - 1].flags = VRING_DESC_F_NEXT;
		t[n - 1].next = (uint16_t)loop_to;
	}
	return raw_publish(vq, &head, 1);
}

/* A buffer starting in guest memory and ending past its end. */
static int
act_tx_straddle_end(struct pc_dev *d, const struct hcase *c)
{
	struct drv_vq *vq = tx0(d);
	struct drv_raw_desc b = { vq->mem->gpa + vq->mem->size - 8, 64, 0 };

	return raw_publish(vq, &b, 1);
}

/*
 * Packed: a frame made available under the buffer id of a chain still in
 * flight (sent, not yet reclaimed). When the device still holds the first
 * (both in one TX burst), it refuses the second and stops; when it has
 * already completed the first, it completes the id again and the frontend
 * must notice the second completion of an id it no longer has in flight.
 * One of the two must happen.
 */
static int
act_tx_id_in_flight(struct pc_dev *d, const struct hcase *c)
{
	struct drv_vq *vq = tx0(d);
	uint64_t bad = vq->stats.bad_used;
	uint8_t frame[FRAME_LEN];
	unsigned int i;

	make_frame(frame, sizeof(frame));
	CHECK(fe_tx_frame(d->fe, 0, frame, sizeof(frame), NULL) == 1,
		"send: %s", fe_dev_error(d->fe));
	CHECK(drv_vq_inject(vq, DRV_VQ_FAULT_ID_IN_FLIGHT) == 0, "inject");
	CHECK(fe_tx_frame(d->fe, 0, frame, sizeof(frame), NULL) == 1,
		"send: %s", fe_dev_error(d->fe));
	for (i = 0; i < 100 && vq->stats.bad_used == bad &&
			rte_pmd_cvqsim_device_status(d->vdpa) == 0; i++) {
		fe_tx_reclaim(d->fe, &d->fe->pairs[0]);
		usleep(10000);
	}
	if (rte_pmd_cvqsim_device_status(d->vdpa) != 0) {
		struct rte_pmd_cvqsim_vq_info info;

		CHECK(rte_pmd_cvqsim_vq_info_get(d->vdpa, 1, &info) == 0 &&
			strstr(info.error, "made available again") != NULL,
			"stopped, but not for the id in flight: %s", info.error);
		printf("case %s: the device still held the id: %s\n", c->name,
			info.error);
		return 0;
	}
	CHECK(vq->stats.bad_used == bad + 1,
		"the id completed twice: %" PRIu64 " bad used entries seen",
		vq->stats.bad_used - bad);
	fe_rx_drain(d->fe, 50, 1000, NULL, NULL);
	printf("case %s: the device completed the id twice, the frontend saw"
		" it (%s)\n", c->name, vq->err);
	return 0;
}

/* A control command through the frontend's CVQ, not waited for. */
static int
cvq_submit(struct pc_dev *d, enum fe_ctrl_layout layout)
{
	static const uint8_t on = 1;
	struct iovec data = { .iov_base = (void *)(uintptr_t)&on, .iov_len = 1 };
	struct fe_ctrl_req req = {
		.class_ = 0,	/* VIRTIO_NET_CTRL_RX */
		.cmd = 0,	/* PROMISC */
		.data = &data,
		.n_data = 1,
		.layout = layout,
	};

	CHECK(fe_ctrl_submit(d->fe, &req) == 0, "submit: %s",
		fe_dev_error(d->fe));
	CHECK(fe_ctrl_kick(d->fe) == 0, "kick: %s", fe_dev_error(d->fe));
	return 0;
}

static int
act_cvq_fault(struct pc_dev *d, const struct hcase *c)
{
	CHECK(drv_vq_inject(cvq(d), c->fault) == 0, "inject %s",
		drv_vq_fault_name(c->fault));
	return cvq_submit(d, c->layout);
}

/*
 * A control request [class, cmd, data] with no ack descriptor at all, or
 * (arg 1) with an "ack" descriptor the device may only read.
 */
static int
act_cvq_raw(struct pc_dev *d, const struct hcase *c)
{
	bool readonly_ack = c->arg != 0;
	struct drv_vq *vq = cvq(d);
	uint64_t rgpa, agpa;
	uint8_t *req = guest_alloc(vq, 3, &rgpa);
	struct drv_raw_desc descs[2] = {
		{ rgpa, 3, readonly_ack ? VRING_DESC_F_NEXT : 0 },
		{ 0, 1, 0 },
	};

	CHECK(req != NULL && guest_alloc(vq, 1, &agpa) != NULL, "guest memory");
	descs[0].addr = rgpa;
	descs[1].addr = agpa;
	req[0] = 0;	/* RX */
	req[1] = 0;	/* PROMISC */
	req[2] = 1;
	return raw_publish(vq, descs, readonly_ack ? 2 : 1);
}

/* RX 0: avail->idx moved by more than the ring size at the next refill. */
static int
act_rx_avail_jump(struct pc_dev *d, const struct hcase *c)
{
	unsigned int i;

	CHECK(drv_vq_inject(fe_dev_vq(d->fe, 0), DRV_VQ_FAULT_AVAIL_IDX_JUMP) == 0,
		"inject");
	/* One frame consumes one buffer; the refill publishes the jump. */
	pc_send_frames(d, 1, FRAME_LEN);
	fe_rx_drain(d->fe, 50, 1000, NULL, NULL);
	/*
	 * The device reads avail->idx again only after using every buffer it
	 * already knew of: keep the frames coming until it does.
	 */
	for (i = 0; i < 2 * RING_SIZE / 8; i++) {
		if (rte_pmd_cvqsim_device_status(d->vdpa) != 0)
			break;
		pc_send_frames(d, 8, FRAME_LEN);
		fe_rx_drain(d->fe, 20, 500, NULL, NULL);
	}
	return 0;
}

/* A page boundary inside the TX buffers of pair 0: frames straddle it. */
static uint64_t
split_in_tx_buffers(struct pc_dev *d)
{
	const struct drv_mem *m = &d->fe->mem;
	uint64_t off = (uint64_t)(d->fe->pairs[0].tx_bufs - m->va);

	return (off + 4096 + 100) & ~4095ULL;
}

/*
 * Legal: the memory table changes to two adjacent regions while frames
 * are in flight. Every frame must come back, including those whose buffer
 * now spans both regions.
 */
static int
act_mem_split_in_flight(struct pc_dev *d, const struct hcase *c)
{
	unsigned int rebuilt = pc_dev_log_count(d, "AS 0 built from 2 memory regions",
		NULL, 0);
	int sent = pc_send_frames(d, FRAMES, FRAME_LEN);
	int got;

	if (pc_mem_table_split(d, split_in_tx_buffers(d), 0) < 0)
		return -1;
	got = fe_rx_drain(d->fe, 100, 3000, NULL, NULL);
	CHECK(got == sent, "frames in flight across the table change: sent %d,"
		" received %d", sent, got);
	/* Every TX slot once more: some buffers straddle the regions. */
	sent = pc_send_frames(d, RING_SIZE, FRAME_LEN);
	got = fe_rx_drain(d->fe, 100, 3000, NULL, NULL);
	CHECK(got == sent, "after the split: sent %d, received %d", sent, got);
	CHECK(pc_dev_log_count(d, "AS 0 built from 2 memory regions", NULL, 0) ==
		rebuilt + 1, "the device did not rebuild AS 0 from the new table");
	return 0;
}

/* The second region moves to other GPAs: buffers there are unmapped now. */
static int
act_mem_gap(struct pc_dev *d, const struct hcase *c)
{
	if (pc_mem_table_split(d, split_in_tx_buffers(d), 16 << 20) < 0)
		return -1;
	pc_send_frames(d, 4, FRAME_LEN);
	return 0;
}

/*
 * Stop, then resume on a new connection telling the device (SET_VRING_BASE)
 * that TX 0's next available entry is 1000 further than the ring says: the
 * avail index then looks more than a ring ahead. The vhost library resets
 * a base that disagrees with the used ring's index to that index (and logs
 * "mismatches"), so the used index is moved along too.
 */
static int
act_resume_bad_base(struct pc_dev *d, const struct hcase *c)
{
	struct drv_vq *vq = tx0(d);
	uint8_t frame[FRAME_LEN];

	CHECK(fe_dev_stop(d->fe) == 0, "stop: %s", fe_dev_error(d->fe));
	d->fe->bases[1] = (uint16_t)(d->fe->bases[1] + 1000);
	__atomic_store_n(&vq->used->idx, d->fe->bases[1], __ATOMIC_RELEASE);
	CHECK(fe_dev_resume(d->fe) == 0, "resume: %s", fe_dev_error(d->fe));
	make_frame(frame, sizeof(frame));
	CHECK(fe_tx_frame(d->fe, 0, frame, sizeof(frame), NULL) == 1,
		"send: %s", fe_dev_error(d->fe));
	return 0;
}

/* ---- cases ------------------------------------------------------------------- */

/* What each kind of violation counts and logs (once per act). */
static const struct {
	const char *counter;
	const char *log;
} verdicts[] = {
	[STOPS] = { "errors", "device stopped" },
	[NO_ACK] = { "ctrl_no_ack", "control request without a writable byte" },
};

#define TX_FAULT_R(n, f, e, r) { .name = n, .act = act_tx_fault, .expect = e, \
	.fault = DRV_VQ_FAULT_ ## f, .rings = r }
#define TX_FAULT(n, f, e) TX_FAULT_R(n, f, e, 0)
#define CVQ_FAULT_R(n, f, l, r) { .name = n, .act = act_cvq_fault, \
	.expect = STOPS, .fault = DRV_VQ_FAULT_ ## f, .layout = FE_LAYOUT_ ## l, \
	.rings = r }
#define CVQ_FAULT(n, f, l) CVQ_FAULT_R(n, f, l, 0)
#define ACT_R(n, a, e, x, r) { .name = n, .act = a, .expect = e, .arg = x, \
	.rings = r }
#define ACT(n, a, e, x) ACT_R(n, a, e, x, 0)

static const struct hcase cases[] = {
	TX_FAULT("tx-head-out-of-range", HEAD_OUT_OF_RANGE, STOPS),
	TX_FAULT("tx-desc-loop", DESC_LOOP, STOPS),
	TX_FAULT_R("tx-next-out-of-range", NEXT_OUT_OF_RANGE, STOPS, R_SPLIT),
	TX_FAULT("tx-len-zero", LEN_ZERO, WORKS),
	TX_FAULT("tx-len-4g", LEN_4G, STOPS),
	TX_FAULT("tx-addr-unmapped", ADDR_UNMAPPED, STOPS),
	TX_FAULT("tx-addr-wrap", ADDR_WRAP, STOPS),
	TX_FAULT_R("tx-avail-idx-jump", AVAIL_IDX_JUMP, STOPS, R_SPLIT),
	/* Packed: the wrap counter of the other lap on a chain's second
	 * descriptor; flags flipping under the device; an id twice. */
	TX_FAULT_R("tx-wrap-lie", WRAP_LIE, STOPS, R_PACKED),
	TX_FAULT_R("tx-avail-flip", AVAIL_FLIP, SURVIVES, R_PACKED),
	ACT_R("tx-id-in-flight", act_tx_id_in_flight, SURVIVES, 0, R_PACKED),
	ACT("tx-straddle-memory-end", act_tx_straddle_end, STOPS, 0),
	ACT("tx-chain-too-many-buffers", act_tx_indirect, STOPS, 300),
	ACT_R("tx-indirect-loop", act_tx_indirect, STOPS, -1, R_SPLIT),
	ACT_R("rx-avail-idx-jump", act_rx_avail_jump, STOPS, 0, R_SPLIT),
	CVQ_FAULT_R("cvq-wrap-lie", WRAP_LIE, SPLIT, R_PACKED),
	CVQ_FAULT_R("cvq-indirect-in-chain", INDIRECT_IN_CHAIN, SPLIT, R_PACKED),
	CVQ_FAULT("cvq-head-out-of-range", HEAD_OUT_OF_RANGE, SPLIT),
	CVQ_FAULT("cvq-nested-indirect", NESTED_INDIRECT, INDIRECT),
	CVQ_FAULT("cvq-indirect-odd-length", INDIRECT_LEN_ODD, INDIRECT),
	CVQ_FAULT("cvq-read-after-write", READ_AFTER_WRITE, SPLIT),
	CVQ_FAULT("cvq-len-4g", LEN_4G, SPLIT),
	ACT("cvq-no-ack", act_cvq_raw, NO_ACK, 0),
	ACT("cvq-readonly-ack", act_cvq_raw, NO_ACK, 1),
	ACT("mem-table-split-in-flight", act_mem_split_in_flight, WORKS, 0),
	ACT("mem-table-gap", act_mem_gap, STOPS, 0),
	/* Found by fuzzing: dev_conf restarted queues a violation stopped. */
	{ .name = "resume-bad-vring-base", .act = act_resume_bad_base,
		.expect = STOPS, .rings = R_SPLIT },
};

/* Where A's control queue's next used entry goes (a vring base). */
static uint16_t
cvq_used_mark(struct pc_dev *d)
{
	return drv_vq_device_used_base(cvq(d));
}

/* Packed: the used descriptor at mark, written with nothing in it. */
static int
check_completed_empty_packed(struct pc_dev *d, uint16_t mark)
{
	const struct drv_vq *vq = cvq(d);
	const struct vring_packed_desc *u = &vq->pdesc[mark & 0x7fff];
	uint16_t flags = __atomic_load_n(&u->flags, __ATOMIC_ACQUIRE);
	uint16_t used = (1u << VRING_PACKED_DESC_F_AVAIL) |
		(1u << VRING_PACKED_DESC_F_USED);

	CHECK((flags & used) == (mark & 0x8000 ? used : 0),
		"no used descriptor at %u (flags 0x%x)", mark & 0x7fff, flags);
	CHECK(!(flags & VRING_DESC_F_WRITE) && u->len == 0,
		"used descriptor says %u bytes written (flags 0x%x)", u->len, flags);
	return 0;
}

/* The act must have left A's control queue with one empty completion. */
static int
check_completed_empty(struct pc_dev *d, uint16_t used_before)
{
	const struct drv_vq *vq = cvq(d);
	uint16_t idx;

	if (packed)
		return check_completed_empty_packed(d, used_before);
	idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	const struct vring_used_elem *e = &vq->used->ring[(uint16_t)(idx - 1) %
		vq->size];

	CHECK(idx == (uint16_t)(used_before + 1), "used index %u, expected %u",
		idx, (uint16_t)(used_before + 1));
	CHECK(e->len == 0, "used length %u, expected 0", e->len);
	return 0;
}

static int
run_legal(const struct hcase *c, uint64_t errors, uint64_t drops)
{
	/* Give a wrong stop the time to happen before looking. */
	usleep(100000);
	CHECK(rte_pmd_cvqsim_device_status(A->vdpa) == 0,
		"%s: legal, but the device status is 0x%x", c->name,
		rte_pmd_cvqsim_device_status(A->vdpa));
	CHECK(pc_counter_total(A, "errors") == errors,
		"%s: legal, but errors went %" PRIu64 " -> %" PRIu64,
		c->name, errors, pc_counter_total(A, "errors"));
	if (check_traffic(A, "after a legal act") < 0)
		return -1;
	printf("case %s: legal, device kept working (drops %" PRIu64 " -> %"
		PRIu64 ")\n", c->name, drops, pc_counter_total(A, "drops"));
	return 0;
}

/* Taken or ignored, both allowed: no crash, B fine, A comes back. */
static int
run_survives(const struct hcase *c, uint64_t errors)
{
	uint8_t st;

	usleep(200000);
	st = rte_pmd_cvqsim_device_status(A->vdpa);
	CHECK(st == 0 || st == VIRTIO_CONFIG_S_NEEDS_RESET,
		"%s: device status 0x%x", c->name, st);
	CHECK(pc_counter_total(A, "errors") <= errors + 1,
		"%s: errors %" PRIu64 " -> %" PRIu64, c->name, errors,
		pc_counter_total(A, "errors"));
	CHECK(check_traffic(B, "bystander") == 0, "%s: the other device",
		c->name);
	if (reconnect(A) < 0) {
		printf("FAIL: %s: a new connection did not bring the device back\n",
			c->name);
		return -1;
	}
	printf("case %s: %s, B unaffected, new connection ok\n", c->name,
		st != 0 ? "device stopped" : "device kept its state");
	return 0;
}

static int
run_case(const struct hcase *c)
{
	/* Legal and survivable acts are judged by the ring error counter. */
	enum expect v = c->expect == NO_ACK ? NO_ACK : STOPS;
	const char *counter = verdicts[v].counter;
	const char *what = verdicts[v].log;
	uint64_t count = pc_counter_total(A, counter);
	uint64_t drops = pc_counter_total(A, "drops");
	unsigned int lines = pc_dev_log_count(A, what, NULL, 0);
	uint16_t cvq_used = cvq_used_mark(A);
	char line[512] = "";
	char *reason;

	if (c->act(A, c) < 0)
		return -1;
	if (c->expect == WORKS)
		return run_legal(c, count, drops);
	if (c->expect == SURVIVES)
		return run_survives(c, count);

	if (pc_wait_status(A, VIRTIO_CONFIG_S_NEEDS_RESET, STOP_WAIT_MS) < 0) {
		printf("FAIL: %s: no NEEDS_RESET\n", c->name);
		return -1;
	}
	CHECK(pc_counter_total(A, counter) == count + 1,
		"%s: %s %" PRIu64 " -> %" PRIu64 ", expected one more", c->name,
		counter, count, pc_counter_total(A, counter));
	/* The log line is written right after the status: allow a moment. */
	usleep(50000);
	CHECK(pc_dev_log_count(A, what, line, sizeof(line)) == lines + 1,
		"%s: %u '%s' lines, expected %u", c->name,
		pc_dev_log_count(A, what, NULL, 0), what, lines + 1);
	if (c->expect == NO_ACK && check_completed_empty(A, cvq_used) < 0)
		return -1;
	CHECK(check_traffic(B, "bystander") == 0, "%s: the other device",
		c->name);
	CHECK(rte_pmd_cvqsim_device_status(B->vdpa) == 0, "%s: B status 0x%x",
		c->name, rte_pmd_cvqsim_device_status(B->vdpa));
	if (reconnect(A) < 0) {
		printf("FAIL: %s: a new connection did not bring the device back\n",
			c->name);
		return -1;
	}
	line[strcspn(line, "\n")] = '\0';
	reason = strstr(line, what);
	printf("case %s: %s, NEEDS_RESET, 1 %s, B unaffected, new connection ok:"
		" %s\n", c->name, c->expect == STOPS ? "stopped" : "completed empty",
		counter, reason != NULL ? reason : line);
	return 0;
}

static int
run(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < RTE_DIM(devs); i++)
		if (open_frontend(&devs[i]) < 0)
			return -1;
	if (check_traffic(A, "start") < 0 || check_traffic(B, "start") < 0)
		return -1;
	for (i = 0; i < RTE_DIM(cases); i++) {
		if (!pc_selected(cases[i].name))
			continue;
		if (cases[i].rings != 0 &&
				!(cases[i].rings & (packed ? R_PACKED : R_SPLIT)))
			continue;
		if (run_case(&cases[i]) < 0)
			return -1;
		n++;
	}
	CHECK(pc_dev_log_count(B, "device stopped", NULL, 0) == 0 &&
		pc_dev_log_count(B, verdicts[NO_ACK].log, NULL, 0) == 0,
		"the bystander stopped");
	CHECK(check_traffic(B, "end") == 0, "bystander at the end");
	printf("%u cases passed\n", n);
	return n > 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	/* The driver's INFO lines say when AS 0 is rebuilt. */
	static const char *const eal_args[] = {
		"--log-level=pmd.vdpa.cvqsim:info", NULL,
	};
	const char *ring = getenv("HOSTILE_RING");
	const struct pc_env env = {
		.tag = "hostile",
		.devs = devs,
		.nr_devs = RTE_DIM(devs),
		.eal_args = eal_args,
	};

	packed = ring != NULL && strcmp(ring, "packed") == 0;

	return pc_main(argc, argv, &env, run);
}
