/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_PRIV_H
#define CMDS_PRIV_H

/*
 * Internals shared by the command files (cmds*.c). Not for main.c.
 *
 *   cmds.c          librte_cmdline glue: the command table, help, the batch
 *                   and interactive loops
 *   cmds_session.c  options and roles: the in-process device, the frontend
 *   cmds_view.c     the device model as the application sees it
 *   cmds_ctrl.c     control-queue commands: encode, send, print the ack
 *   cmds_traffic.c  send / recv and the per-frame checks (steering, hash)
 *   cmds_show.c     show ...
 *   cmds_expect.c   expect ... and the counters by name
 *   cmds_args.c     argument parsing shared by the above
 *   cmds_line.c     one line: parse errors explained; the prompt
 *   cmds_help.c     the text of help
 *   cmds_port.c     the port of a port-backed device: show port, port.*
 *
 * One thread runs every command (the main lcore); the device answers from
 * its own threads.
 */

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <cmdline_parse.h>
#include <rte_vdpa.h>

#include "cmds.h"
#include "frontend.h"

struct cmdline;

/* Most MAC addresses the view keeps per class (the device's maximum). */
#define CMDS_VIEW_MACS		4096
#define CMDS_RSS_KEY_LEN	40
#define CMDS_RSS_TABLE_MAX	128
/* Longest argument string of one command (librte_cmdline's multi-string). */
#define CMDS_ARGS_MAX		4096
/* Named results of the last control command (stats records, VQ_GET). */
#define CMDS_MAX_RESULTS	512

/* Hash types the spec defines (bit = 1 << (report - 1)). */
#define CMDS_HASH_TYPES_ALL	0x1ffu

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

/* ---- messages (cmds.c) ---- */

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

/* Parse and run one line (ending in '\n'): 0, or -1 if it failed. */
int cmds_exec_line(const char *line);
bool cmds_quit_requested(void);

/* The commands of a help section (all, show, ctrl, traffic, device,
 * expect), cmds_help.c. */
void cmds_help(const char *section);

/* ---- one line, the prompt (cmds_line.c) ---- */

/*
 * Say in one error why librte_cmdline could not parse line (ret its
 * CMDLINE_PARSE_* code): the word at fault, the range, the usage.
 */
void cmds_explain_parse_error(cmdline_parse_ctx_t *table, const char *line,
		int ret);
/* The prompt on stdin until quit, Ctrl-D or *quit (parses with cmds.cl). */
void cmds_interact(const char *prompt, volatile sig_atomic_t *quit);

/* ---- session (cmds_session.c) ---- */

int cmds_session_start(const struct backend_conf *be);
void cmds_session_stop(void);
/* fe_dev_stop + fe_dev_resume, keeping the view. */
int cmds_session_stop_fe(void);
int cmds_session_reconnect(void);

/* ---- view (cmds_view.c) ---- */

int cmds_view_init(void);
void cmds_view_free(void);
/* Reset defaults for the negotiated features of the frontend. */
void cmds_view_reset(const struct fe_dev_info *info);
/*
 * The view to show or check, and where it comes from: the device's state
 * when the device is in this process, else "frontend" (what the frontend
 * set with acknowledged commands).
 */
const struct cmds_view *cmds_view_get(const char **source);
bool cmds_view_vlan(const struct cmds_view *v, uint16_t vid);
bool cmds_view_has_mac(const struct cmds_view *v, const uint8_t mac[6],
		bool multicast);

/* ---- control queue (cmds_ctrl.c) ---- */

/*
 * Send one command built from segments, print "<what>: OK|ERR" (noting when
 * feature gate_bit, if >= 0, was not negotiated), record the ack and copy
 * up to result_len bytes of result on OK. Returns the ack (>= 0), or
 * -errno with the error printed (no ack: timeout, dead backend).
 */
int cmds_ctrl_send(const char *what, int gate_bit, uint8_t cls, uint8_t cmd,
		const struct iovec *segs, unsigned int n_segs, void *result,
		size_t result_len, uint32_t *result_got);
/* Forget the named results of the previous command; add one. */
void cmds_results_clear(void);
void cmds_result_add(const char *name, uint64_t value);

void cmds_ctrl_rx(const char *mode, bool on);
void cmds_ctrl_mac_addr(const uint8_t mac[6]);
void cmds_ctrl_mac_table(const char *args);
void cmds_ctrl_vlan(bool add, uint16_t vid);
void cmds_ctrl_mq_pairs(uint16_t pairs);
void cmds_ctrl_rss(const char *args, bool hash_only);
void cmds_ctrl_offloads(const char *args);
void cmds_ctrl_coal(bool tx, uint32_t usecs, uint32_t pkts);
void cmds_ctrl_coal_vq_set(uint16_t vq, uint32_t usecs, uint32_t pkts);
void cmds_ctrl_coal_vq_get(uint16_t vq);
void cmds_ctrl_announce_ack(void);
void cmds_ctrl_stats_query(void);
void cmds_ctrl_stats_get(const char *args);
void cmds_ctrl_hash_tunnel(const char *args);
void cmds_ctrl_raw(const char *args);
void cmds_ctrl_layout(const char *name);

/* ---- traffic (cmds_traffic.c) ---- */

void cmds_send(const char *args);
void cmds_recv(const char *args);
/* Toeplitz hash of a parsed frame under hash types and key, with the
 * report type; returns VIRTIO_NET_HASH_REPORT_NONE when no rule applies. */
uint16_t cmds_frame_hash(const uint8_t *frame, uint32_t len,
		uint32_t hash_types, const uint8_t *key, uint32_t *hash);

/* ---- show (cmds_show.c) ---- */

void cmds_show_device(void);
void cmds_show_groups(void);
/* The VMM's view (shadow.c) of the first interface, and its switch. */
void cmds_show_shadow(void);
void cmds_shadow_set(bool on);
void cmds_show_config(void);
/* Fresh GET_CONFIG of the config space (28 bytes at most) into c. */
int cmds_read_config(uint8_t *c, uint32_t *len);
void cmds_show_state(void);
void cmds_show_stats(void);
void cmds_show_features(void);

/* ---- the port of a port-backed device (cmds_port.c) ---- */
void cmds_show_port(void);
/* port.NAME counters; -ENOENT unknown, -ENOTSUP with *why set. */
int cmds_port_stat(const char *name, uint64_t *value, const char **why);
/* port link up|down: the port's link as a cable would (a test's hook). */
void cmds_port_link(const char *args);
void cmds_clear_stats(void);
void cmds_device_announce(void);

/* ---- expect and counters (cmds_expect.c) ---- */

/* A counter by name; 0, or -ENOENT / -ENOTSUP with *why set. */
int cmds_stat_lookup(const char *name, uint64_t *value, const char **why);
void cmds_expect_ack(bool ok);
void cmds_expect_rx(uint64_t count, int queue);
void cmds_expect_stat(const char *args);
void cmds_expect_state(const char *args);

/* ---- argument parsing (cmds_args.c) ---- */

/* Split a string in place on blanks; returns the count (<= max). */
unsigned int cmds_split(char *s, char **argv, unsigned int max);
int cmds_parse_u64(const char *s, uint64_t max, uint64_t *v);
int cmds_parse_mac(const char *s, uint8_t mac[6]);
char *cmds_fmt_mac(const uint8_t mac[6], char buf[18]);
/* "a,b,c" of names from a table, or a number; "none" = 0. */
struct cmds_name {
	const char *name;
	uint64_t bit;			/* mask value */
};
int cmds_parse_names(const char *s, const struct cmds_name *names,
		uint64_t *mask, const char **bad);
int cmds_fmt_names(uint64_t mask, const struct cmds_name *names, char *buf,
		size_t len);
/* Hex bytes "6d5a56da..." or "6d:5a:..."; returns the length or -EINVAL. */
int cmds_parse_hex(const char *s, uint8_t *out, size_t max);

extern const struct cmds_name cmds_hash_type_names[];
extern const struct cmds_name cmds_offload_names[];
extern const struct cmds_name cmds_tunnel_names[];
extern const struct cmds_name cmds_stats_type_names[];
extern const struct cmds_name cmds_rx_mode_names[];
/* The 40-byte Microsoft verification key: "key default". */
extern const uint8_t cmds_default_rss_key[CMDS_RSS_KEY_LEN];

#endif /* CMDS_PRIV_H */
