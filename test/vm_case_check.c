/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * vm-case-check: the VM case through the public API, with this program as
 * the VMM. On every connection it binds the control-queue group to ASID 1,
 * maps its own ring and buffers there (nothing of the guest) and points the
 * device's control queue at that ring; the app's frontend plays the guest
 * and drives the data queues through ASID 0.
 *
 * Cases (each on a new connection):
 *   basic        a command through the VMM's ring reaches the model; the
 *                groups are on ASIDs 0 and 1, the IOTLB holds the five
 *                mappings with their permissions; ASID 0 is refused to the
 *                IOTLB calls, a rebind while the queue runs is -EBUSY
 *   guest-only   a VMM descriptor naming guest memory (mapped in ASID 0
 *                only): the control queue stops, the fault is counted and
 *                logged once with ASID 1 and the address, the device is
 *                not reset and the data queues keep passing traffic
 *   perm-write   the reply buffer mapped read-only: the ack is a fault
 *   perm-read    the request buffer mapped write-only: reading it is one
 *   perm-ring    the used ring mapped read-only: the ring is refused
 *   invalidate   the VMM's memory unmapped from ASID 1 while the control
 *                queue runs, then freed: the queue stops at its next look,
 *                nothing touches the freed memory, data goes on; a new
 *                ring restarts the queue
 *   dpdk-case    after all that, a connection without the VMM's binding is
 *                back in the DPDK case (both groups on ASID 0)
 *
 * Each fault case fails on a build that translates the control queue
 * through ASID 0 (the VMM's ring is not there, guest memory is).
 *
 *   vm-case-check WORK_DIR [CASE...]
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_pmd_cvqsim.h>

#include "backend.h"
#include "drv_vq.h"
#include "proc_check.h"

#define VMM_IOVA	0x200000000000ULL
#define VMM_RING	16
#define FE_GPA		0x40000000ULL	/* the frontend's default GPA base */
#define WAIT_MS		3000

static struct pc_dev devs[1] = {
	{ .vdev = "vdpa_cvqsim0,queues=1", .pairs = 1 },
};
#define D (&devs[0])

/* The VMM: its memory, ring, buffers and what the hooks did. */
static struct vmm {
	bool bind;			/* bind and map on the next connection */
	uint32_t perm_req, perm_resp, perm_used;
	struct drv_mem mem;
	struct drv_vq vq;
	uint8_t *req, *resp;
	int bind_ret, map_ret, addr_ret;
	bool case_pending;		/* bind refused: retry at a vring event */
	int cvq;			/* the control queue's index, -1 */
} vm;

static int
vmm_map(struct rte_vdpa_device *dev)
{
	const struct drv_vq *q = &vm.vq;
	const struct rte_pmd_cvqsim_iotlb_entry e[] = {
		{ q->desc_gpa, 16u * q->size, (uintptr_t)q->desc,
			RTE_PMD_CVQSIM_PERM_RO, 0 },
		{ q->avail_gpa, 6 + 2u * q->size, (uintptr_t)q->avail,
			RTE_PMD_CVQSIM_PERM_RO, 0 },
		{ q->used_gpa, 6 + 8u * q->size, (uintptr_t)q->used,
			vm.perm_used, 0 },
		{ drv_mem_gpa(&vm.mem, vm.req), 4096, (uintptr_t)vm.req,
			vm.perm_req, 0 },
		{ drv_mem_gpa(&vm.mem, vm.resp), 4096, (uintptr_t)vm.resp,
			vm.perm_resp, 0 },
	};
	unsigned int i;
	int ret;

	/* Replace whatever the last connection left, in one batch. */
	ret = rte_pmd_cvqsim_iotlb_batch_begin(dev);
	if (ret == 0)
		ret = rte_pmd_cvqsim_iotlb_invalidate(dev, 1, VMM_IOVA,
			vm.mem.size);
	for (i = 0; vm.bind && ret >= 0 && i < RTE_DIM(e); i++)
		ret = rte_pmd_cvqsim_iotlb_update(dev, 1, &e[i]);
	if (rte_pmd_cvqsim_iotlb_batch_end(dev) != 0 && ret >= 0)
		ret = -EIO;
	return ret < 0 ? ret : 0;
}

/* This connection's case; -EBUSY while the last one's queue runs. */
static int
vmm_apply_case(struct rte_vdpa_device *dev)
{
	vm.bind_ret = rte_pmd_cvqsim_group_asid_set(dev,
		RTE_PMD_CVQSIM_GROUP_CVQ, vm.bind ? 1 : 0);
	if (vm.bind_ret == -EBUSY)
		return -EBUSY;
	vm.map_ret = vmm_map(dev);
	return 0;
}

static void
vmm_new_connection(unsigned int iface, struct rte_vdpa_device *dev, int vid)
{
	RTE_SET_USED(iface);
	RTE_SET_USED(vid);
	vm.cvq = -1;
	vm.addr_ret = -ENOENT;
	vm.case_pending = vmm_apply_case(dev) == -EBUSY;
}

static int
vmm_ring_start(struct rte_vdpa_device *dev, uint16_t vring)
{
	struct rte_pmd_cvqsim_vring_addr a;

	drv_vq_reset(&vm.vq);
	drv_vq_enable_interrupts(&vm.vq, true);
	memset(&a, 0, sizeof(a));
	a.desc = vm.vq.desc_gpa;
	a.avail = vm.vq.avail_gpa;
	a.used = vm.vq.used_gpa;
	a.size = vm.vq.size;
	a.kickfd = vm.vq.kickfd;
	a.callfd = vm.vq.callfd;
	return rte_pmd_cvqsim_vring_addr_set(dev, vring, &a);
}

static void
vmm_vring_state(unsigned int iface, int vid, uint16_t vring, bool enable)
{
	RTE_SET_USED(iface);
	RTE_SET_USED(vid);
	if (vm.case_pending)
		vm.case_pending = vmm_apply_case(D->vdpa) == -EBUSY;
	if (!vm.bind || !enable || rte_pmd_cvqsim_vq_group(D->vdpa, vring) !=
			RTE_PMD_CVQSIM_GROUP_CVQ)
		return;
	vm.cvq = vring;
	vm.addr_ret = vmm_ring_start(D->vdpa, vring);
}

static const struct backend_conn_ops vmm_ops = {
	.new_connection = vmm_new_connection,
	.vring_state_changed = vmm_vring_state,
};

static int
vmm_init(void)
{
	CHECK(drv_mem_init(&vm.mem, 2u << 20, VMM_IOVA) == 0, "VMM memory");
	CHECK(drv_vq_init(&vm.vq, &vm.mem, 0, VMM_RING, 0) == 0, "VMM ring");
	vm.req = drv_mem_alloc(&vm.mem, 4096, 4096);
	vm.resp = drv_mem_alloc(&vm.mem, 4096, 4096);
	CHECK(vm.req != NULL && vm.resp != NULL, "VMM buffers");
	return 0;
}

/* A new connection with the VMM's binding (bind) and these permissions. */
static int
vmm_connect(bool bind, uint32_t perm_req, uint32_t perm_resp, uint32_t perm_used)
{
	fe_dev_destroy(D->fe);
	D->fe = NULL;
	vm.bind = bind;
	vm.perm_req = perm_req;
	vm.perm_resp = perm_resp;
	vm.perm_used = perm_used;
	CHECK(pc_open_frontend(D, NULL) == 0, "frontend");
	CHECK(!vm.case_pending && vm.bind_ret == 0 && vm.map_ret == 0,
		"bind %d, map %d", vm.bind_ret, vm.map_ret);
	if (bind) {
		CHECK(vm.bind_ret == 0 && vm.map_ret == 0, "bind %d, map %d",
			vm.bind_ret, vm.map_ret);
		CHECK(vm.cvq >= 0, "the frontend enabled no control queue");
	}
	return 0;
}

/* RX_PROMISC (on) on the VMM's ring, not yet published; its head. */
static int
vmm_promisc_add(uint8_t on)
{
	struct drv_buf b[2] = {
		{ vm.req, 3, false }, { vm.resp, 1, true },
	};
	int head = vm.vq.free_head;

	vm.req[0] = VIRTIO_NET_CTRL_RX;
	vm.req[1] = VIRTIO_NET_CTRL_RX_PROMISC;
	vm.req[2] = on;
	vm.resp[0] = 0xff;
	CHECK(drv_vq_add(&vm.vq, b, 2, false, &vm) == 0, "add: %s", vm.vq.err);
	return head;
}

/* RX_PROMISC (on) through the VMM's ring; the ack, or -1 on no answer. */
static int
vmm_promisc(uint8_t on)
{
	uint32_t len = 0;
	void *cookie;
	unsigned int i;

	if (vmm_promisc_add(on) < 0)
		return -1;
	drv_vq_kick(&vm.vq);
	for (i = 0; i < WAIT_MS; i++) {
		if (drv_vq_get_used(&vm.vq, &cookie, &len) == 1)
			return len == 1 ? vm.resp[0] : -1;
		drv_vq_wait_call(&vm.vq, 1000 * 1000);
	}
	return -1;
}

static int
wait_fault(struct rte_pmd_cvqsim_vq_info *info)
{
	unsigned int i;

	for (i = 0; i < WAIT_MS / 10; i++) {
		CHECK(rte_pmd_cvqsim_vq_info_get(D->vdpa, (uint16_t)vm.cvq, info)
			== 0, "vq_info");
		if (info->faulted)
			return 0;
		usleep(10000);
	}
	CHECK(false, "the control queue did not stop (served %u, faults %"
		PRIu64 ")", info->served, info->faults);
}

/* The fault stopped the control queue alone, once, said where. */
static int
check_fault(const char *addr_text, const char *what)
{
	struct rte_pmd_cvqsim_vq_info info;
	char last[512];

	if (wait_fault(&info) < 0)
		return -1;
	CHECK(info.faults == 1 && !info.served && info.asid == 1,
		"%s: faults %" PRIu64 ", served %u, ASID %u", what, info.faults,
		info.served, info.asid);
	CHECK(strstr(info.error, addr_text) != NULL, "%s: reason '%s' does not"
		" name %s", what, info.error, addr_text);
	usleep(100 * 1000);
	CHECK(pc_log_count("fault in ASID 1", last, sizeof(last)) == 1,
		"%s: not logged once", what);
	CHECK(strstr(last, addr_text) != NULL, "%s: log line '%s'", what, last);
	CHECK(rte_pmd_cvqsim_device_status(D->vdpa) == 0,
		"%s: the device was reset", what);
	printf("%s: control queue stopped, counted once, logged: %s\n", what,
		strstr(last, "vring"));
	return pc_check_traffic(D, 32, 128, "data queues after the fault");
}

static int
case_basic(void)
{
	struct rte_pmd_cvqsim_iotlb_entry e[8];
	struct rte_pmd_cvqsim_net_state *st = malloc(sizeof(*st));
	int n;

	CHECK(st != NULL, "memory");
	if (vmm_connect(true, RTE_PMD_CVQSIM_PERM_RO, RTE_PMD_CVQSIM_PERM_WO,
			RTE_PMD_CVQSIM_PERM_WO) < 0)
		return -1;
	CHECK(vm.addr_ret == 0, "vring_addr_set: %d", vm.addr_ret);
	CHECK(rte_pmd_cvqsim_group_asid(D->vdpa, RTE_PMD_CVQSIM_GROUP_CVQ) == 1 &&
		rte_pmd_cvqsim_group_asid(D->vdpa, RTE_PMD_CVQSIM_GROUP_DATA) == 0,
		"groups not on ASIDs 0 and 1");
	CHECK(vmm_promisc(0) == VIRTIO_NET_OK, "RX_PROMISC off not acked OK");
	CHECK(rte_pmd_cvqsim_net_state_get(D->vdpa, st) == 0 &&
		st->rx_mode.promisc == 0, "promisc still on in the model");
	free(st);
	n = rte_pmd_cvqsim_iotlb_query(D->vdpa, 1, 0, e, RTE_DIM(e));
	CHECK(n == 5 && e[0].iova == vm.vq.desc_gpa &&
		e[0].perm == RTE_PMD_CVQSIM_PERM_RO &&
		e[4].perm == RTE_PMD_CVQSIM_PERM_WO, "ASID 1 holds %d mappings", n);
	CHECK(rte_pmd_cvqsim_iotlb_query(D->vdpa, 0, 0, NULL, 0) >= 1,
		"ASID 0 has the memory table");
	CHECK(rte_pmd_cvqsim_iotlb_update(D->vdpa, 0, &e[0]) == -EPERM,
		"ASID 0 is the memory table's");
	CHECK(rte_pmd_cvqsim_group_asid_set(D->vdpa, RTE_PMD_CVQSIM_GROUP_CVQ, 0)
		== -EBUSY, "rebind while the control queue runs");
	CHECK(rte_pmd_cvqsim_group_asid_set(D->vdpa, RTE_PMD_CVQSIM_GROUP_DATA, 1)
		== -ENOTSUP, "data group on the VMM's ASID");
	printf("basic: RX_PROMISC through the VMM's ring in ASID 1, 5 mappings,"
		" ASID 0 refused, rebind -EBUSY\n");
	return pc_check_traffic(D, 32, 128, "data queues in ASID 0");
}

static int
case_guest_only(void)
{
	int head;

	if (vmm_connect(true, RTE_PMD_CVQSIM_PERM_RO, RTE_PMD_CVQSIM_PERM_WO,
			RTE_PMD_CVQSIM_PERM_WO) < 0)
		return -1;
	pc_log_mark();
	head = vmm_promisc_add(0);
	if (head < 0)
		return -1;
	/* The request descriptor names guest memory (GPA 0x40001000). */
	drv_vq_write_desc_raw(&vm.vq, (uint16_t)head, FE_GPA + 0x1000, 3,
		VRING_DESC_F_NEXT, vm.vq.desc[head].next);
	drv_vq_kick(&vm.vq);
	return check_fault("0x40001000", "guest-only");
}

static int
case_perm(uint32_t req, uint32_t resp, const char *addr, const char *what)
{
	if (vmm_connect(true, req, resp, RTE_PMD_CVQSIM_PERM_WO) < 0)
		return -1;
	CHECK(vm.addr_ret == 0, "vring_addr_set: %d", vm.addr_ret);
	pc_log_mark();
	if (vmm_promisc_add(1) < 0)
		return -1;
	drv_vq_kick(&vm.vq);
	return check_fault(addr, what);
}

static int
case_perm_ring(void)
{
	struct rte_pmd_cvqsim_vq_info info;

	if (vmm_connect(true, RTE_PMD_CVQSIM_PERM_RO, RTE_PMD_CVQSIM_PERM_WO,
			RTE_PMD_CVQSIM_PERM_RO) < 0)
		return -1;
	CHECK(vm.addr_ret == -EFAULT, "read-only used ring accepted: %d",
		vm.addr_ret);
	CHECK(rte_pmd_cvqsim_vq_info_get(D->vdpa, (uint16_t)vm.cvq, &info) == 0 &&
		!info.served && strstr(info.error, "used ring") != NULL,
		"reason: %s", info.error);
	printf("perm-ring: %s\n", info.error);
	return pc_check_traffic(D, 32, 128, "data queues");
}

static int
case_invalidate(void)
{
	char text[32];
	int n;

	if (vmm_connect(true, RTE_PMD_CVQSIM_PERM_RO, RTE_PMD_CVQSIM_PERM_WO,
			RTE_PMD_CVQSIM_PERM_WO) < 0)
		return -1;
	CHECK(vmm_promisc(0) == VIRTIO_NET_OK, "first command");
	pc_log_mark();
	n = rte_pmd_cvqsim_iotlb_invalidate(D->vdpa, 1, VMM_IOVA, vm.mem.size);
	CHECK(n == 5, "invalidate removed %d mappings", n);
	/* Freed: a device look at it from now on is a crash. */
	drv_vq_free(&vm.vq);
	drv_mem_free(&vm.mem);
	snprintf(text, sizeof(text), "0x%" PRIx64, (uint64_t)VMM_IOVA);
	if (check_fault(text, "invalidate") < 0)
		return -1;
	/* The VMM maps new memory and restarts the queue on it. */
	if (vmm_init() < 0)
		return -1;
	vm.perm_used = RTE_PMD_CVQSIM_PERM_WO;
	vm.bind = true;
	CHECK(vmm_map(D->vdpa) == 0, "map again");
	CHECK(vmm_ring_start(D->vdpa, (uint16_t)vm.cvq) == 0, "new ring");
	CHECK(vmm_promisc(1) == VIRTIO_NET_OK, "command after the restart");
	printf("invalidate: the queue restarted on a new ring\n");
	return 0;
}

static int
case_dpdk(void)
{
	if (vmm_connect(false, 0, 0, 0) < 0)
		return -1;
	CHECK(rte_pmd_cvqsim_group_asid(D->vdpa, RTE_PMD_CVQSIM_GROUP_CVQ) == 0,
		"control queue group still on the VMM's ASID");
	CHECK(rte_pmd_cvqsim_iotlb_query(D->vdpa, 1, 0, NULL, 0) == 0,
		"ASID 1 not emptied at the end of the connection");
	CHECK(pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
		"\1", 1, "RX_PROMISC in the DPDK case") == 0, "DPDK case");
	printf("dpdk-case: both groups on ASID 0, the frontend's control queue"
		" served directly\n");
	return 0;
}

static int
run(void)
{
	const uint32_t ro = RTE_PMD_CVQSIM_PERM_RO, wo = RTE_PMD_CVQSIM_PERM_WO;
	char req[32], resp[32];

	if (vmm_init() < 0)
		return -1;
	backend_set_conn_ops(&vmm_ops);
	snprintf(req, sizeof(req), "0x%" PRIx64, drv_mem_gpa(&vm.mem, vm.req));
	snprintf(resp, sizeof(resp), "0x%" PRIx64, drv_mem_gpa(&vm.mem, vm.resp));
	if (pc_selected("basic") && case_basic() < 0)
		return -1;
	if (pc_selected("guest-only") && case_guest_only() < 0)
		return -1;
	if (pc_selected("perm-write") && case_perm(ro, ro, resp, "perm-write") < 0)
		return -1;
	if (pc_selected("perm-read") && case_perm(wo, wo, req, "perm-read") < 0)
		return -1;
	if (pc_selected("perm-ring") && case_perm_ring() < 0)
		return -1;
	if (pc_selected("invalidate") && case_invalidate() < 0)
		return -1;
	if (pc_selected("dpdk-case") && case_dpdk() < 0)
		return -1;
	backend_set_conn_ops(NULL);
	return 0;
}

int
main(int argc, char **argv)
{
	struct pc_env env = { .tag = "vm", .devs = devs,
		.nr_devs = RTE_DIM(devs) };
	int ret = pc_init(argc, argv, &env);

	if (ret == 0)
		ret = run();
	return pc_exit(ret);
}
