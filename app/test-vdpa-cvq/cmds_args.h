/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_ARGS_H
#define CMDS_ARGS_H

/* Argument parsing shared by the commands (cmds_args.c): words, numbers,
 * MAC addresses, name lists, hex bytes, and the name tables. */

#include <stddef.h>
#include <stdint.h>

#define CMDS_RSS_KEY_LEN	40
/* Longest argument string of one command (librte_cmdline's multi-string). */
#define CMDS_ARGS_MAX		4096
/* Hash types the spec defines (bit = 1 << (report - 1)). */
#define CMDS_HASH_TYPES_ALL	0x1ffu

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

#endif /* CMDS_ARGS_H */
