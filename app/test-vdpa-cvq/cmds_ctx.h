/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_CTX_H
#define CMDS_CTX_H

/*
 * The context every command reads and writes (one thread runs every
 * command: the main lcore; the device answers from its own threads), and
 * the messages of a command: its output, its errors, a failed expectation.
 * Below every cmds_*.c file that runs a command.
 */

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmdline_parse.h>
#include <rte_vdpa.h>

#include "cmds_args.h"
#include "frontend.h"

struct cmdline;
struct cmds_options;

/* Most MAC addresses the view keeps per class (the device's maximum). */
#define CMDS_VIEW_MACS		4096
#define CMDS_RSS_TABLE_MAX	128
/* Named results of the last control command (stats records, VQ_GET). */
#define CMDS_MAX_RESULTS	512

/*
 * The virtio-net device model as the application knows it: what the
 * frontend set with acknowledged commands, starting from the reset defaults
 * (QEMU's: promiscuous on). cmds_view_get() gives the device's own state
 * instead (rte_pmd_cvqsim_net_state_get) when the device is in this process.
 */
struct cmds_view {
	bool valid;			/* a frontend was started */
	uint64_t features;		/* negotiated */
	uint8_t mac[6];			/* primary MAC */
	uint16_t max_pairs;
	uint16_t pairs;			/* queue pairs in use */
	uint8_t promisc, allmulti, alluni, nomulti, nouni, nobcast;
	uint32_t n_uc, n_mc;
	bool uc_overflow, mc_overflow;
	uint8_t (*uc)[6];		/* CMDS_VIEW_MACS entries each */
	uint8_t (*mc)[6];
	uint32_t vlans[4096 / 32];	/* bit set: VID accepted */
	/* RSS_CONFIG in force (else automatic steering). */
	bool rss;
	uint32_t hash_types;		/* from RSS_CONFIG or HASH_CONFIG */
	uint8_t key_len;
	uint8_t key[CMDS_RSS_KEY_LEN];
	uint16_t table_len;
	uint16_t table[CMDS_RSS_TABLE_MAX];
	uint16_t unclassified;
	uint32_t tunnel_types;
	uint64_t offloads;
	uint32_t coal_tx_usecs, coal_tx_pkts, coal_rx_usecs, coal_rx_pkts;
	uint32_t coal_vq_usecs[2 * FE_MAX_PAIRS];
	uint32_t coal_vq_pkts[2 * FE_MAX_PAIRS];
};

/* One named number a command produced ("vq0.rx_packets", ...). */
struct cmds_result {
	char name[48];
	uint64_t value;
};

/* What the last recv saw. */
struct cmds_recv {
	bool done;
	uint64_t total;
	uint64_t per_queue[FE_MAX_PAIRS];
	/* Frames sent since the recv before, and what the device dropped
	 * meanwhile (device in this process): filter verdicts, no receive
	 * buffer, a queue pair not in use. */
	uint64_t sent;
	uint64_t dropped, drop_filter, drop_no_buffer, drop_inactive;
	uint64_t missing;	/* sent, neither received nor counted dropped */
};

/* Frame checks accumulated by recv since the last "clear stats". */
struct cmds_rx_checks {
	uint64_t frames;
	uint64_t steer_ok, steer_bad;	/* arrived on the queue expected */
	uint64_t hash_ok, hash_bad;	/* reported hash = our Toeplitz */
	uint64_t hash_none;		/* no hash reported */
	uint64_t l4_csum_ok, l4_csum_bad, l4_csum_partial;
	uint64_t needs_csum, data_valid;/* header flags seen */
	uint64_t vlan_tagged;
	uint64_t bad_payload;		/* tag or pattern damaged */
};

struct cmds_ctx {
	struct cmds_options *opts;
	volatile sig_atomic_t *quit;
	struct cmdline *cl;

	/* The frontend (NULL when this process only hosts devices). */
	struct fe_dev *fe;
	/* The device attached to our socket when it lives in this process. */
	struct rte_vdpa_device *vdpa;
	char vdpa_name[64];
	const char *socket;

	/* The command table and the librte_cmdline instance parsing with it. */
	cmdline_parse_ctx_t *table;
	bool quit_requested;		/* "quit" was run */

	/* Where the current command comes from (batch) for messages. */
	bool batch;
	const char *file;
	unsigned int line;
	bool cmd_failed;		/* the current command failed */
	char last_error[1024];		/* the message of the last error */
	const char *usage;		/* usage of the command running */
	bool try_failed;		/* the command of the last "try" failed */
	unsigned int nr_commands, nr_expects, nr_failures;

	/* Control queue. */
	int last_ack;			/* -1 none yet, else the ack byte */
	uint64_t ctrl_needs;		/* features the next command's data needs */
	char last_ctrl[64];		/* what was sent, for messages */
	uint64_t ctrl_sent, ctrl_ok, ctrl_err;
	struct cmds_result results[CMDS_MAX_RESULTS];
	unsigned int nr_results;

	struct cmds_recv recv;
	uint64_t sent_since_recv;	/* frames sent since the last recv */
	struct cmds_rx_checks rx;
	struct cmds_view view;
};

extern struct cmds_ctx cmds;

/* A fresh context for a session with these options (NULL: none) and
 * signal flag (NULL: none). */
void cmds_ctx_init(struct cmds_options *opts, volatile sig_atomic_t *quit);

/* A command error: printed, and the command counts as failed. */
void cmds_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Output of a command (stdout, flushed per command). */
void cmds_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A command error about its arguments: the reason, then "; usage: " and
 * the usage of the command being run (cmds.usage). */
void cmds_arg_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failed expectation: "expect failed at FILE:LINE: expected X, saw Y". */
void cmds_expect_failed(const char *expected, const char *saw);

/* The frontend, or NULL with an error printed ("no frontend ..."). */
struct fe_dev *cmds_need_fe(void);
/* The in-process device, or NULL with an error printed. */
struct rte_vdpa_device *cmds_need_vdpa(void);

#endif /* CMDS_CTX_H */
