/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef HOSTILE_MSG_H
#define HOSTILE_MSG_H

/**
 * @file
 * What hostile-msg's cases and its fuzzer share: the backend under attack
 * and the checks that it survived.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct hm_target {
	pid_t pid;		/* the backend process */
	const char *sock;	/* the attacked device's socket */
	const char *other_sock;	/* another device of the same process */
};

/** The process exists and is not a zombie. */
bool hm_backend_alive(pid_t pid);
/**
 * A well-behaved frontend (the app's frontend library) connects to
 * @p sock, enables every queue pair, passes frames on each and a control
 * command. Returns 0, or -1 with the reason in @p why.
 */
int hm_good_client(const char *sock, char *why, size_t why_len);
/**
 * The backend is alive and both of its devices serve a good client;
 * prints "FAIL: <what>: ..." and returns -1 otherwise.
 */
int hm_check_backend(const struct hm_target *t, const char *what);

/** The fuzzer: @p sessions sessions (0: no limit) or @p seconds, seeded. */
int hm_fuzz(const struct hm_target *t, unsigned long seed,
		unsigned long sessions, unsigned int seconds);

#endif /* HOSTILE_MSG_H */
