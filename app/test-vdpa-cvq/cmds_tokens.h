/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CMDS_TOKENS_H
#define CMDS_TOKENS_H

/*
 * Shorthands for librte_cmdline token definitions, for the files of the
 * command table (cmds_table*.c): a fixed word or choice, a number, and a
 * token's address in an instance's token list.
 */

#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>

#define TOK_FIXED(st, field, str) \
	static cmdline_parse_token_string_t st ## _ ## field = \
		TOKEN_STRING_INITIALIZER(struct st, field, str)
#define TOK_NUM(st, field, type) \
	static cmdline_parse_token_num_t st ## _ ## field = \
		TOKEN_NUM_INITIALIZER(struct st, field, type)
#define TOK(st, field) ((void *)&st ## _ ## field)
#define T(tok) ((void *)&(tok))

#endif /* CMDS_TOKENS_H */
