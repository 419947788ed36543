/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef PROC_CHECK_H
#define PROC_CHECK_H

/**
 * @file
 * What the process-level checks share (the test and hostile *_check.c):
 * one process hosts cvqsim devices behind vhost-user sockets (the app's
 * backend module) and drives them with the app's frontend.
 *
 *   static struct pc_dev devs[] = {
 *           { .vdev = "vdpa_cvqsim0,queues=2", .pairs = 2 },
 *   };
 *   int main(int argc, char **argv)
 *   {
 *           struct pc_env env = { .tag = "mine", .devs = devs,
 *                   .nr_devs = RTE_DIM(devs) };
 *
 *           return pc_main(argc, argv, &env, run);
 *   }
 *
 * pc_init: usage (CHECK WORK_DIR [CASE...]), stdout line-buffered, the EAL
 * log into WORK_DIR/backend.log, EAL with --no-huge -m256 --no-pci -l0 and
 * a private --file-prefix, one --vdev per device, a socket WORK_DIR/NAME.sock
 * per device and the backend started on them. pc_exit undoes it all and
 * prints PASS or FAIL, the verdict test/driver/check.sh looks for.
 *
 * Each check prints what it verified, one line per step; a failed CHECK
 * prints "FAIL line N: ..." and makes the step return -1.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "frontend.h"

struct rte_vdpa_device;

/** Fail the current step (return -1) with a message unless @p cond. */
#define CHECK(cond, fmt, ...) do { \
	if (!(cond)) { \
		printf("FAIL line %d: " fmt "\n", __LINE__, ##__VA_ARGS__); \
		return -1; \
	} \
} while (0)

/** One cvqsim device of the process and the frontend driving it. */
struct pc_dev {
	const char *vdev;	/**< --vdev argument, "vdpa_cvqsimN[,devargs]" */
	uint16_t pairs;		/**< pairs put in use after open (0 or 1: one) */
	char name[64];		/**< device name: vdev up to the first comma */
	char sock[256];		/**< WORK_DIR/NAME.sock */
	struct rte_vdpa_device *vdpa;
	struct fe_dev *fe;	/**< NULL until pc_open_frontend() */
};

struct pc_env {
	const char *tag;	/**< in the file prefix: cvqsim-TAG-PID */
	struct pc_dev *devs;	/**< probed at EAL init, served by the backend */
	unsigned int nr_devs;	/**< 0: no device, no backend (the check's own) */
	const char *const *eal_args; /**< more EAL arguments, NULL-terminated */
};

/**
 * Set up the process as described above. Returns 0, or -1 after printing
 * why (then return pc_exit(-1)); exits with status 2 on a usage error.
 */
int pc_init(int argc, char **argv, const struct pc_env *env);
/** Tear everything down, print PASS or FAIL; the exit status for main. */
int pc_exit(int ret);
/** The whole main(): pc_init, @p run if that worked, pc_exit. */
int pc_main(int argc, char **argv, const struct pc_env *env, int (*run)(void));

/** The work directory (sockets, logs) given on the command line. */
const char *pc_work_dir(void);
/** Whether case @p name runs: every case, or those named after WORK_DIR. */
bool pc_selected(const char *name);

/** From now on pc_log_count() reads only what the EAL log gets after this. */
void pc_log_mark(void);
/**
 * Lines of the EAL log (since the last mark) containing @p pat; the last of
 * them, without its newline, in @p last when not NULL.
 */
unsigned int pc_log_count(const char *pat, char *last, size_t last_len);
/** pc_log_count() of "NAME: what" lines, the driver's per-device lines. */
unsigned int pc_dev_log_count(const struct pc_dev *d, const char *what,
		char *last, size_t last_len);

/**
 * Open the frontend of @p d on its socket (@p cfg: NULL for the defaults,
 * else its socket_path is set here) and put d->pairs pairs in use.
 */
int pc_open_frontend(struct pc_dev *d, struct fe_config *cfg);
/** VQ_PAIRS_SET to d->pairs (nothing for one pair); ack must be OK. */
int pc_set_pairs(struct pc_dev *d);
/** One control command that must be acked VIRTIO_NET_OK. */
int pc_ctrl_ok(struct fe_dev *fe, uint8_t class_, uint8_t cmd,
		const void *data, size_t len, const char *what);

/**
 * SET_MEM_TABLE with the frontend's guest memory cut at @p split into two
 * regions, the second @p gap bytes of GPA further (0: the same GPAs as
 * before); the device must acknowledge it.
 */
int pc_mem_table_split(struct pc_dev *d, uint64_t split, uint64_t gap);

/** Wait up to @p ms for the device's virtio status to be @p want. */
int pc_wait_status(const struct pc_dev *d, int want, unsigned int ms);
/** A counter of queue @p qid (rte_vdpa_get_stats); UINT64_MAX if none. */
uint64_t pc_counter(const struct pc_dev *d, uint16_t qid, const char *name);
/** A per-queue counter summed over every queue, the control queue too. */
uint64_t pc_counter_total(const struct pc_dev *d, const char *name);

struct frame_spec;
/** The stream pc_send_frames() sends: broadcast, raw L2, @p len bytes. */
void pc_frame_spec(struct frame_spec *spec, uint32_t len);
/**
 * @p n broadcast frames of @p len bytes (raw L2, tagged payload: frames.h)
 * on every pair in use, without waiting. Returns the frames queued.
 */
int pc_send_frames(struct pc_dev *d, unsigned int n, uint32_t len);
/** Receive until @p want frames came or 3 s passed; frames received. */
int pc_rx_expect(struct pc_dev *d, int want);
/**
 * pc_send_frames() then receive until all came back or 3 s passed: frames
 * back, -1 if not all were sent.
 */
int pc_loop_frames(struct pc_dev *d, unsigned int n, uint32_t len);
/** pc_loop_frames() must get every frame back. */
int pc_check_traffic(struct pc_dev *d, unsigned int n, uint32_t len,
		const char *what);

#endif /* PROC_CHECK_H */
