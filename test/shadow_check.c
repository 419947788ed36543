/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * shadow-check: the app's shadow control queue (app/test-vdpa-cvq/shadow.c,
 * the VMM role) between the app's frontend (the guest) and a cvqsim
 * device, in one process.
 *
 * Cases, in order (each on a new connection):
 *   relay        commands relayed through the shadow ring: acked OK, in
 *                force on the device, the shadow's state equal to the
 *                device's; telemetry /cvqsim/info shows the control-queue
 *                group on ASID 1 and the data group on ASID 0 meanwhile
 *   guest-names-shadow
 *                a guest chain whose ack buffer is the shadow's used ring
 *                (IOVA of ASID 1, not in the guest's memory): the shadow
 *                refuses it without a byte written there, the device never
 *                sees it, the data queues go on
 *   hostile      malformed guest control chains (loop, head out of range,
 *                nested indirect, address wrap, unmapped, avail index
 *                jump): the shadow refuses each with the device's own
 *                checks, the device sees none, the data queues go on
 *   dpdk-case    shadow off: the next connection is in the DPDK case (both
 *                groups on ASID 0, ASID 1 empty, the device serves the
 *                guest's control queue); shadow on: the VM case again
 *   restore      QEMU's restore order: only the control queue enabled at
 *                DRIVER_OK, the state replayed, then the data queues: the
 *                very first frames obey the replayed state
 *
 *   shadow-check WORK_DIR [CASE...]
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_pmd_cvqsim.h>

#include "backend.h"
#include "drv_vq.h"
#include "proc_check.h"
#include "shadow.h"
#include "shadow_show.h"

#define FRAMES		16
#define FRAME_LEN	128

static struct pc_dev devs[1] = {
	{ .vdev = "vdpa_cvqsim0,queues=1", .pairs = 1 },
};
#define D (&devs[0])

/* /cvqsim/info of the device, through this process's telemetry socket. */
static int
telemetry_info(char *out, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *cmd = "/cvqsim/info,vdpa_cvqsim0";
	ssize_t n;
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	CHECK(fd >= 0, "socket");
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
			recv(fd, out, len - 1, 0) <= 0 ||
			send(fd, cmd, strlen(cmd), 0) < 0 ||
			(n = recv(fd, out, len - 1, 0)) <= 0) {
		close(fd);
		CHECK(false, "telemetry at %s: %s", sun.sun_path, strerror(errno));
	}
	out[n] = '\0';
	close(fd);
	return 0;
}

static int
reconnect(struct fe_config *cfg)
{
	fe_dev_destroy(D->fe);
	D->fe = NULL;
	return pc_open_frontend(D, cfg);
}

static int
shadow_equal(const char *what)
{
	CHECK(shadow_show(stdout, 0) == 0, "%s: the shadow's state is not the"
		" device's", what);
	return 0;
}

static int
case_relay(void)
{
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0, 0x77 };
	const uint8_t vid[2] = { 42, 0 };
	struct rte_pmd_cvqsim_net_state *st = malloc(sizeof(*st));
	struct shadow_info si;
	char tel[4096];

	CHECK(st != NULL, "memory");
	if (reconnect(NULL) < 0 ||
			pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX,
				VIRTIO_NET_CTRL_RX_PROMISC, "\0", 1, "promisc off") < 0 ||
			pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_MAC,
				VIRTIO_NET_CTRL_MAC_ADDR_SET, mac, 6, "MAC") < 0 ||
			pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_VLAN,
				VIRTIO_NET_CTRL_VLAN_ADD, vid, 2, "VLAN 42") < 0)
		return -1;
	CHECK(shadow_info_get(0, &si) == 0 && si.vm_case && si.relayed == 3 &&
		si.ok == 3 && si.mismatches == 0, "relayed %" PRIu64 ", ok %"
		PRIu64, si.relayed, si.ok);
	CHECK(rte_pmd_cvqsim_net_state_get(D->vdpa, st) == 0 &&
		st->rx_mode.promisc == 0 && memcmp(st->mac, mac, 6) == 0 &&
		(st->vlan_filter[42 / 32] & (1u << (42 % 32))), "not in force");
	free(st);
	if (shadow_equal("relay") < 0 || telemetry_info(tel, sizeof(tel)) < 0)
		return -1;
	CHECK(strstr(tel, "\"group_cvq_asid\":1") != NULL &&
		strstr(tel, "\"group_data_asid\":0") != NULL, "telemetry: %s", tel);
	printf("relay: 3 commands through the shadow ring; telemetry"
		" group_data_asid 0, group_cvq_asid 1\n");
	return 0;
}

static int
case_guest_names_shadow(void)
{
	struct drv_vq *cvq = fe_dev_vq(D->fe, (uint16_t)fe_ctrl_vq_index(D->fe));
	/* The shadow's used ring: first page after its descriptor table. */
	const uint64_t target = SHADOW_IOVA + 0x1000;
	uint64_t before = pc_counter(D, (uint16_t)fe_ctrl_vq_index(D->fe),
		"ctrl_commands");
	uint8_t *hdr = drv_mem_alloc(cvq->mem, 16, 16);
	struct shadow_info si;
	uint16_t head;
	unsigned int i;

	CHECK(hdr != NULL, "guest memory");
	hdr[0] = VIRTIO_NET_CTRL_RX;
	hdr[1] = VIRTIO_NET_CTRL_RX_PROMISC;
	hdr[2] = 1;
	/* Two descriptors of our own: the request, then the "ack" buffer. */
	head = (uint16_t)(cvq->size - 2);
	drv_vq_write_desc_raw(cvq, head, drv_mem_gpa(cvq->mem, hdr), 3,
		VRING_DESC_F_NEXT, (uint16_t)(head + 1));
	drv_vq_write_desc_raw(cvq, (uint16_t)(head + 1), target, 64,
		VRING_DESC_F_WRITE, 0);
	drv_vq_push_avail_raw(cvq, head);
	drv_vq_publish(cvq);
	drv_vq_notify(cvq);
	for (i = 0; i < 300; i++) {
		CHECK(shadow_info_get(0, &si) == 0, "shadow info");
		if (si.guest_faults > 0)
			break;
		usleep(10000);
	}
	CHECK(si.guest_faults == 1, "the shadow did not refuse the chain");
	CHECK(pc_counter(D, (uint16_t)fe_ctrl_vq_index(D->fe), "ctrl_commands") ==
		before, "the device saw the chain");
	printf("guest-names-shadow: chain with its ack at IOVA 0x%" PRIx64
		" refused by the shadow, the device saw nothing\n", target);
	return pc_check_traffic(D, FRAMES, FRAME_LEN, "data queues");
}

/* One malformed guest control chain on a new connection. */
static int
hostile_one(enum drv_vq_fault f)
{
	const struct iovec data = { .iov_base = (void *)(uintptr_t)"\1",
		.iov_len = 1 };
	struct fe_ctrl_req req = {
		.class_ = VIRTIO_NET_CTRL_RX, .cmd = VIRTIO_NET_CTRL_RX_PROMISC,
		.data = &data, .n_data = 1,
		.layout = f == DRV_VQ_FAULT_NESTED_INDIRECT ||
			f == DRV_VQ_FAULT_INDIRECT_LEN_ODD ? FE_LAYOUT_INDIRECT :
			FE_LAYOUT_SPLIT,
	};
	struct shadow_info si;
	uint16_t cvq;
	unsigned int i;

	if (reconnect(NULL) < 0)
		return -1;
	cvq = (uint16_t)fe_ctrl_vq_index(D->fe);
	CHECK(drv_vq_inject(fe_dev_vq(D->fe, cvq), f) == 0, "inject");
	CHECK(fe_ctrl_submit(D->fe, &req) == 0 && fe_ctrl_kick(D->fe) >= 0,
		"%s: submit", drv_vq_fault_name(f));
	for (i = 0; i < 300; i++) {
		CHECK(shadow_info_get(0, &si) == 0, "shadow info");
		if (si.guest_faults > 0)
			break;
		usleep(10000);
	}
	CHECK(si.guest_faults == 1 && si.relayed == 0, "%s: guest faults %"
		PRIu64 ", relayed %" PRIu64, drv_vq_fault_name(f),
		si.guest_faults, si.relayed);
	CHECK(pc_counter(D, cvq, "ctrl_commands") == 0, "%s: the device saw it",
		drv_vq_fault_name(f));
	printf("hostile: %s refused by the shadow\n", drv_vq_fault_name(f));
	return pc_check_traffic(D, FRAMES, FRAME_LEN, "data queues");
}

static int
case_hostile(void)
{
	static const enum drv_vq_fault faults[] = {
		DRV_VQ_FAULT_DESC_LOOP, DRV_VQ_FAULT_HEAD_OUT_OF_RANGE,
		DRV_VQ_FAULT_NEXT_OUT_OF_RANGE, DRV_VQ_FAULT_NESTED_INDIRECT,
		DRV_VQ_FAULT_INDIRECT_LEN_ODD, DRV_VQ_FAULT_ADDR_WRAP,
		DRV_VQ_FAULT_ADDR_UNMAPPED, DRV_VQ_FAULT_READ_AFTER_WRITE,
		DRV_VQ_FAULT_AVAIL_IDX_JUMP,
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(faults); i++)
		if (hostile_one(faults[i]) < 0)
			return -1;
	return 0;
}

static int
case_dpdk(void)
{
	struct shadow_info si;

	CHECK(shadow_set(0, false) == 0, "shadow off");
	if (reconnect(NULL) < 0)
		return -1;
	CHECK(rte_pmd_cvqsim_group_asid(D->vdpa, RTE_PMD_CVQSIM_GROUP_CVQ) == 0,
		"DPDK case: control-queue group not on ASID 0");
	CHECK(rte_pmd_cvqsim_iotlb_query(D->vdpa, 1, 0, NULL, 0) == 0,
		"DPDK case: the shadow's memory still in ASID 1");
	if (pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
			"\0", 1, "DPDK case") < 0)
		return -1;
	CHECK(shadow_info_get(0, &si) == 0 && !si.vm_case && si.relayed == 0,
		"the shadow relayed in the DPDK case");
	CHECK(shadow_set(0, true) == 0, "shadow on");
	if (reconnect(NULL) < 0 || pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX,
			VIRTIO_NET_CTRL_RX_PROMISC, "\1", 1, "VM case") < 0)
		return -1;
	CHECK(rte_pmd_cvqsim_group_asid(D->vdpa, RTE_PMD_CVQSIM_GROUP_CVQ) == 1,
		"VM case: control-queue group not on ASID 1");
	CHECK(shadow_info_get(0, &si) == 0 && si.vm_case && si.relayed == 1,
		"VM case: relayed %" PRIu64, si.relayed);
	printf("dpdk-case: DPDK case and VM case across reconnects\n");
	return shadow_equal("dpdk-case");
}

static int
case_restore(void)
{
	struct fe_config cfg;
	const uint8_t on = 1, off = 0;
	int cvq, got;
	uint16_t i;

	fe_config_init(&cfg);
	cfg.cvq_first = true;
	if (reconnect(&cfg) < 0)
		return -1;
	cvq = fe_ctrl_vq_index(D->fe);
	/* The replay: not promiscuous, broadcast refused. */
	if (pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_PROMISC,
			&off, 1, "PROMISC off") < 0 ||
			pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX,
				VIRTIO_NET_CTRL_RX_NOBCAST, &on, 1, "NOBCAST on") < 0)
		return -1;
	for (i = 0; i < cvq; i++)
		CHECK(fe_vring_enable(D->fe, i, true) == 0, "enable vring %u", i);
	/* The very first frames are broadcasts: every one dropped. */
	got = pc_loop_frames(D, FRAMES, FRAME_LEN);
	CHECK(got == 0, "%d of the first frames got through NOBCAST", got);
	if (pc_ctrl_ok(D->fe, VIRTIO_NET_CTRL_RX, VIRTIO_NET_CTRL_RX_NOBCAST,
			&off, 1, "NOBCAST off") < 0 ||
			pc_check_traffic(D, FRAMES, FRAME_LEN, "after NOBCAST off") < 0)
		return -1;
	printf("restore: control queue first, state replayed, data queues"
		" later: the first frames obeyed it\n");
	return shadow_equal("restore");
}

static int
run(void)
{
	if (pc_selected("relay") && case_relay() < 0)
		return -1;
	if (pc_selected("guest-names-shadow") && case_guest_names_shadow() < 0)
		return -1;
	if (pc_selected("hostile") && case_hostile() < 0)
		return -1;
	if (pc_selected("dpdk-case") && case_dpdk() < 0)
		return -1;
	if (pc_selected("restore") && case_restore() < 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	struct pc_env env = { .tag = "shadow", .devs = devs,
		.nr_devs = RTE_DIM(devs) };
	struct backend_conf be = { .nr_ifaces = 1, .shadow_cvq = { true } };
	int ret = pc_init(argc, argv, &env);

	if (ret == 0)
		ret = shadow_setup(&be) == 0 ? run() : -1;
	fe_dev_destroy(D->fe);
	D->fe = NULL;
	shadow_teardown();
	return pc_exit(ret);
}
