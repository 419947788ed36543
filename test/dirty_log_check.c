/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * dirty-log-check: every guest page the device writes while VHOST_F_LOG_ALL
 * is negotiated is marked in the frontend's dirty log (cvqsim_log_dirty.c).
 *
 * The app's frontend hands the device a log (SET_LOG_BASE with a memfd,
 * LOG_SHMFD) and turns LOG_ALL on with SET_FEATURES while running, as QEMU
 * does when a migration starts. Then, per window: the log is cleared and
 * guest memory copied, frames go through the loopback (receive buffers,
 * receive and transmit used entries and indices) and a control command is
 * acknowledged (ack byte, control used entry and index); once the device
 * has published all of it, every byte that changed in memory the device
 * may write (used rings, buffers of descriptors marked WRITE) must lie on
 * a page marked in the log. The frontend writes nothing there meanwhile
 * (its receive refills happen between windows), so the difference is the
 * device's writes and nothing else.
 *
 * The rings have 1024 entries and the traffic first moves their indices
 * past entry 600, so that used entries and used index sit on different
 * pages: each kind of write is alone on some page. Then the check proves
 * it would notice one kind not logged: with the driver's test knob
 * CVQSIM_TEST_LOG_DIRTY_SKIP naming a kind (rx, ctrl, used, idx), the same
 * window must find changed bytes of that kind on unmarked pages.
 *
 * Last, LOG_ALL off logs nothing, and a frontend that vanishes while the
 * device logs (frames in flight) leaves the backend serving the next one.
 * Then the same coverage in the VM case (a second device behind the app's
 * shadow control queue): the guest's control-queue acks and used ring are
 * written, and logged, by the app.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include <rte_common.h>

#include "backend.h"
#include "drv_vq.h"
#include "proc_check.h"
#include "shadow.h"

#define RING		1024
#define WARMUP		600
#define WINDOW_FRAMES	8
#define LOG_PAGE	4096
#define F_LOG_ALL		26

enum kind { K_RX, K_CTRL, K_USED, K_IDX, K_MAX };
static const char *const kind_name[K_MAX] = { "rx", "ctrl", "used", "idx" };

/* The DPDK case, and the VM case (the app's shadow control queue). */
static struct pc_dev devs[] = {
	{ .vdev = "vdpa_cvqsim0,queues=1", .pairs = 1 },
	{ .vdev = "vdpa_cvqsim1,queues=1", .pairs = 1 },
};

static struct drv_mem *mem;
static uint8_t *snap;
static uint8_t *log_map;
static uint64_t log_len;
static int log_fd = -1;
/* Per byte of guest memory: 0 not device-writable, else kind + 1. */
static uint8_t *kind_of;

static int
log_setup(struct fe_dev *fe)
{
	struct { uint64_t size, offset; } base;
	uint8_t dummy[8];
	int ret;

	log_len = RTE_ALIGN_CEIL((mem->gpa + mem->size) / LOG_PAGE / 8 + 1,
		(uint64_t)LOG_PAGE);
	log_fd = memfd_create("cvqsim-dirty-log", MFD_CLOEXEC);
	CHECK(log_fd >= 0 && ftruncate(log_fd, (off_t)log_len) == 0,
		"log memfd: %s", strerror(errno));
	log_map = mmap(NULL, log_len, PROT_READ | PROT_WRITE, MAP_SHARED,
		log_fd, 0);
	CHECK(log_map != MAP_FAILED, "log mmap: %s", strerror(errno));
	base.size = log_len;
	base.offset = 0;
	ret = fe_vu_raw(fe, VU_SET_LOG_BASE, 0, &base, sizeof(base), &log_fd,
		1, dummy, 0);
	CHECK(ret >= 0, "SET_LOG_BASE: %s", fe_dev_error(fe));
	printf("log: %" PRIu64 " KiB bitmap for guest memory at 0x%" PRIx64
		" + %" PRIu64 " MiB (SET_LOG_BASE)\n", log_len >> 10, mem->gpa,
		mem->size >> 20);
	return 0;
}

/* SET_FEATURES while running, LOG_ALL on or off; waits for the ack. */
static int
log_all(struct fe_dev *fe, bool on)
{
	struct fe_dev_info info;
	uint64_t f, ack = 1;
	int ret;

	CHECK(fe_dev_info_get(fe, &info) == 0, "info");
	f = info.features | (on ? FE_BIT(F_LOG_ALL) : 0);
	ret = fe_vu_raw(fe, VU_SET_FEATURES, VU_VERSION | VU_FLAG_NEED_REPLY, &f, sizeof(f),
		NULL, 0, &ack, sizeof(ack));
	CHECK(ret >= 0 && ack == 0, "SET_FEATURES LOG_ALL=%d: %s (ack %"
		PRIu64 ")", on, fe_dev_error(fe), ack);
	return 0;
}

static void
mark(uint64_t gpa, uint64_t len, enum kind k)
{
	uint64_t i;

	if (gpa < mem->gpa || gpa - mem->gpa >= mem->size ||
			len > mem->size - (gpa - mem->gpa))
		return;
	for (i = 0; i < len; i++)
		kind_of[gpa - mem->gpa + i] = (uint8_t)(k + 1);
}

/* What the device may write: used rings, descriptors marked WRITE. */
static void
writable_areas(struct fe_dev *fe)
{
	int cvq = fe_ctrl_vq_index(fe);
	uint16_t v, i;

	memset(kind_of, 0, mem->size);
	for (v = 0; v <= (uint16_t)cvq; v++) {
		struct drv_vq *q = fe_dev_vq(fe, v);

		if (q == NULL)
			continue;
		mark(q->used_gpa, 4, K_IDX);
		mark(q->used_gpa + 4, 8u * q->size, K_USED);
		mark(q->used_gpa + 4 + 8u * q->size, 2, K_IDX);
		for (i = 0; i < q->size; i++)
			if (q->desc[i].flags & VRING_DESC_F_WRITE)
				mark(q->desc[i].addr, q->desc[i].len,
					v == cvq ? K_CTRL : K_RX);
	}
}

static bool
logged(uint64_t gpa)
{
	uint64_t page = gpa / LOG_PAGE;

	return page / 8 < log_len &&
		(log_map[page / 8] & (1u << (page % 8))) != 0;
}

/* Wait until the device published n more receive entries. */
static int
wait_rx_used(struct drv_vq *rx, uint16_t from, uint16_t n)
{
	uint64_t end = fe_now_ns() + 2000000000ULL;

	while ((uint16_t)(__atomic_load_n(&rx->used->idx, __ATOMIC_ACQUIRE) -
			from) < n) {
		CHECK(fe_now_ns() < end, "receive entries not published");
		usleep(1000);
	}
	return 0;
}

/*
 * One window; counts changed device-writable bytes per kind (changed) and
 * those on pages the log does not mark (missed).
 */
static int
window(struct pc_dev *d, uint64_t changed[K_MAX], uint64_t missed[K_MAX])
{
	struct drv_vq *rx = fe_dev_vq(d->fe, 0);
	static const uint8_t promisc_on[2] = { 1, 0 };
	static unsigned int window_no;
	uint8_t ack = 0xff, want;
	uint16_t rx_from;
	uint64_t i;

	CHECK(fe_rx_drain(d->fe, 50, 2000, NULL, NULL) >= 0, "drain");
	memset(log_map, 0, log_len);
	memcpy(snap, mem->va, mem->size);
	rx_from = __atomic_load_n(&rx->used->idx, __ATOMIC_ACQUIRE);
	CHECK(pc_send_frames(d, WINDOW_FRAMES, 128) == WINDOW_FRAMES, "send");
	/*
	 * The frontend reuses one command slot: alternate an ERR and an OK
	 * command so that the device's ack byte differs from the last one.
	 */
	want = (window_no++ % 2 == 0) ? VIRTIO_NET_ERR : VIRTIO_NET_OK;
	CHECK(fe_ctrl(d->fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
		promisc_on, want == VIRTIO_NET_OK ? 1 : 2, NULL, 0, &ack,
		NULL) == 0 && ack == want, "control command: ack %u, want %u",
		ack, want);
	CHECK(wait_rx_used(rx, rx_from, WINDOW_FRAMES) == 0, "receive");
	/* The transmit completions follow in the same pass. */
	usleep(20000);
	writable_areas(d->fe);
	memset(changed, 0, sizeof(uint64_t) * K_MAX);
	memset(missed, 0, sizeof(uint64_t) * K_MAX);
	for (i = 0; i < mem->size; i++) {
		if (kind_of[i] == 0 || snap[i] == mem->va[i])
			continue;
		changed[kind_of[i] - 1]++;
		if (!logged(mem->gpa + i))
			missed[kind_of[i] - 1]++;
	}
	return 0;
}

static void
print_counts(const char *what, const uint64_t changed[K_MAX],
		const uint64_t missed[K_MAX])
{
	printf("%s: changed/unlogged bytes: rx %" PRIu64 "/%" PRIu64
		", ctrl %" PRIu64 "/%" PRIu64 ", used %" PRIu64 "/%" PRIu64
		", idx %" PRIu64 "/%" PRIu64 "\n", what,
		changed[K_RX], missed[K_RX], changed[K_CTRL], missed[K_CTRL],
		changed[K_USED], missed[K_USED], changed[K_IDX], missed[K_IDX]);
}

static int
check_covered(struct pc_dev *d, const char *what)
{
	uint64_t changed[K_MAX], missed[K_MAX];
	int k;

	CHECK(window(d, changed, missed) == 0, "window");
	print_counts(what, changed, missed);
	for (k = 0; k < K_MAX; k++) {
		CHECK(changed[k] > 0, "no %s write in the window", kind_name[k]);
		CHECK(missed[k] == 0, "%" PRIu64 " bytes of %s writes on pages "
			"the log does not mark", missed[k], kind_name[k]);
	}
	return 0;
}

/* With kind k not logged (driver knob), the window must notice. */
static int
check_notices(struct pc_dev *d, int k)
{
	uint64_t changed[K_MAX], missed[K_MAX];
	char what[32];

	setenv("CVQSIM_TEST_LOG_DIRTY_SKIP", kind_name[k], 1);
	CHECK(log_all(d->fe, false) == 0 && log_all(d->fe, true) == 0,
		"renegotiate");
	CHECK(window(d, changed, missed) == 0, "window");
	snprintf(what, sizeof(what), "skip %s", kind_name[k]);
	print_counts(what, changed, missed);
	CHECK(missed[k] > 0, "%s writes not logged went unnoticed",
		kind_name[k]);
	return 0;
}

/* LOG_ALL off: nothing is logged any more. */
static int
check_off(struct pc_dev *d)
{
	uint64_t changed[K_MAX], missed[K_MAX];
	uint64_t i, marked = 0;

	unsetenv("CVQSIM_TEST_LOG_DIRTY_SKIP");
	CHECK(log_all(d->fe, false) == 0, "LOG_ALL off");
	CHECK(window(d, changed, missed) == 0, "window");
	for (i = 0; i < log_len; i++)
		marked += log_map[i] != 0;
	CHECK(marked == 0, "%" PRIu64 " log bytes marked with LOG_ALL off",
		marked);
	printf("off: LOG_ALL cleared, nothing logged\n");
	return 0;
}

/*
 * The connection dropped while logging (a frontend that crashes during a
 * migration): the backend serves the next frontend, logging off.
 */
static int
check_dropped(struct pc_dev *d)
{
	unsetenv("CVQSIM_TEST_LOG_DIRTY_SKIP");
	CHECK(log_all(d->fe, true) == 0, "LOG_ALL on");
	CHECK(pc_send_frames(d, 64, 128) == 64, "send");
	fe_dev_disconnect(d->fe);
	fe_dev_destroy(d->fe);
	d->fe = NULL;
	mem = NULL;
	CHECK(pc_open_frontend(d, NULL) == 0, "the next frontend");
	CHECK(pc_check_traffic(d, 64, 128, "after the drop") == 0, "traffic");
	printf("dropped: a frontend gone while logging, the next one served\n");
	return 0;
}

static void
log_release(void)
{
	free(snap);
	free(kind_of);
	snap = NULL;
	kind_of = NULL;
	if (log_map != NULL && log_map != MAP_FAILED)
		munmap(log_map, log_len);
	log_map = NULL;
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

/* Frontend, log, warm-up (indices past entry 600), LOG_ALL on. */
static int
dev_setup(struct pc_dev *d)
{
	struct fe_config cfg;

	fe_config_init(&cfg);
	cfg.ring_size = RING;
	CHECK(pc_open_frontend(d, &cfg) == 0, "open frontend");
	mem = fe_dev_vq(d->fe, 0)->mem;
	snap = malloc(mem->size);
	kind_of = malloc(mem->size);
	CHECK(snap != NULL && kind_of != NULL, "memory");
	CHECK(log_setup(d->fe) == 0, "log setup");
	CHECK(pc_check_traffic(d, WARMUP, 128, "warm-up") == 0, "warm-up");
	CHECK(log_all(d->fe, true) == 0, "LOG_ALL on");
	return 0;
}

static int
run(void)
{
	struct pc_dev *d = &devs[0];
	int k;

	CHECK(dev_setup(d) == 0, "set-up");
	CHECK(check_covered(d, "log all") == 0, "covered");
	for (k = 0; k < K_MAX; k++)
		CHECK(check_notices(d, k) == 0, "notices %s", kind_name[k]);
	CHECK(check_off(d) == 0, "off");
	CHECK(check_dropped(d) == 0, "dropped");
	log_release();
	/*
	 * The VM case: the acks and used entries of the guest's control
	 * queue are the shadow's writes (the app), the device writes only
	 * into the shadow ring, outside guest memory.
	 */
	d = &devs[1];
	CHECK(dev_setup(d) == 0, "VM case set-up");
	CHECK(check_covered(d, "log all, VM case") == 0, "VM case covered");
	return 0;
}

int
main(int argc, char **argv)
{
	struct pc_env env = { .tag = "dirtylog", .devs = devs,
		.nr_devs = RTE_DIM(devs) };
	struct backend_conf be = { .nr_ifaces = 2, .shadow_cvq = { false, true } };
	int ret = pc_init(argc, argv, &env);

	if (ret == 0)
		ret = shadow_setup(&be) == 0 ? run() : -1;
	log_release();
	for (unsigned int i = 0; i < RTE_DIM(devs); i++) {
		fe_dev_destroy(devs[i].fe);
		devs[i].fe = NULL;
	}
	shadow_teardown();
	return pc_exit(ret);
}
