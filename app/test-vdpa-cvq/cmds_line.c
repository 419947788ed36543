/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * One line of commands, the same way from a script and at the prompt:
 *
 * - cmds_exec_line() parses and runs it; when librte_cmdline cannot parse
 *   it, the line is matched again token by token against the command
 *   table to say what is wrong in one line: the unknown command, the word
 *   that is not among the choices, the number out of range, the missing
 *   argument or the extra words, with the usage of the command;
 * - cmds_interact() is the prompt: librte_cmdline's line editor (rdline)
 *   with our validate callback, so that a parse error reads as in a script
 *   instead of a bare "Bad arguments", and a completion that lists each
 *   word once with the usages it leads to.
 */

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_etheraddr.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <cmdline_rdline.h>

#include <rte_common.h>

#include "cmds_ctx.h"
#include "cmds_line.h"

/* ---- explaining a parse error ---- */

/* How far a line goes into one command. */
struct line_match {
	unsigned int depth;	/* tokens matched */
	const char *stop;	/* the line where matching stopped */
	bool complete;		/* every token matched */
};

static bool
end_of_line(const char *p)
{
	return *p == '\0' || *p == '\n' || *p == '\r' || *p == '#';
}

static void
match_line(cmdline_parse_inst_t *inst, const char *line, struct line_match *m)
{
	const char *p = line;
	unsigned int i;
	int n;

	for (i = 0; inst->tokens[i] != NULL; i++) {
		cmdline_parse_token_hdr_t *tok = inst->tokens[i];

		p += strspn(p, " \t");
		if (end_of_line(p))
			break;
		n = tok->ops->parse(tok, p, NULL, 0);
		if (n < 0)
			break;
		p += n;
	}
	p += strspn(p, " \t");
	m->depth = i;
	m->stop = p;
	m->complete = inst->tokens[i] == NULL;
}

/* Word number i of s (blank-separated) into buf; "" past the end. */
static void
nth_word(const char *s, unsigned int i, char *buf, size_t len)
{
	size_t n;

	for (;;) {
		s += strspn(s, " \t");
		n = strcspn(s, " \t\n");
		if (i-- == 0 || n == 0)
			break;
		s += n;
	}
	snprintf(buf, len, "%.*s", (int)RTE_MIN(n, len - 1), s);
}

static uint64_t
num_max(const cmdline_parse_token_num_t *tok)
{
	switch (tok->num_data.type) {
	case RTE_UINT8:
		return UINT8_MAX;
	case RTE_UINT16:
		return UINT16_MAX;
	case RTE_UINT32:
		return UINT32_MAX;
	default:
		return UINT64_MAX;
	}
}

/* What token tok expects, named as the usage names it (name). */
static void
explain_bad_word(cmdline_parse_token_hdr_t *tok, const char *name,
		const char *word, char *buf, size_t len)
{
	char *end;

	if (tok->ops == &cmdline_token_num_ops) {
		const cmdline_parse_token_num_t *num = (const void *)tok;

		(void)strtoull(word, &end, 0);
		if (end == word || *end != '\0' || word[0] == '-')
			snprintf(buf, len, "%s '%s' is not a number (0..%" PRIu64 ")",
				name, word, num_max(num));
		else
			snprintf(buf, len, "%s %s is out of range 0..%" PRIu64, name,
				word, num_max(num));
	} else if (tok->ops == &cmdline_token_etheraddr_ops) {
		RTE_SET_USED(name);
		snprintf(buf, len, "'%s' is not a MAC address"
			" (XX:XX:XX:XX:XX:XX)", word);
	} else {
		snprintf(buf, len, "'%s' is not one of %s", word, name);
	}
}

/* The usages of the commands that went deepest, each once. */
static void
usages(cmdline_parse_ctx_t *table, const struct line_match *m,
		unsigned int depth, char *buf, size_t len)
{
	size_t off = 0;
	unsigned int i, j;

	buf[0] = '\0';
	for (i = 0; table[i] != NULL && off < len; i++) {
		const char *help = table[i]->help_str;
		bool shown = false;

		if (m[i].depth != depth || help == NULL)
			continue;
		/* "ctrl rss" is said by "ctrl rss [types LIST] ...". */
		for (j = 0; table[j] != NULL; j++)
			if (j != i && m[j].depth == depth &&
					table[j]->help_str != NULL &&
					strlen(table[j]->help_str) > strlen(help) &&
					strncmp(table[j]->help_str, help,
						strlen(help)) == 0)
				shown = true;
		if (!shown)
			off += (size_t)snprintf(buf + off, len - off, "%s%s",
				off == 0 ? "" : " | ", help);
	}
}

/* The first words of every command, for an unknown one. */
static void
command_words(cmdline_parse_ctx_t *table, char *buf, size_t len)
{
	char word[32], key[40], seen[1024] = " ";
	size_t off = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; table[i] != NULL && off < len; i++) {
		nth_word(table[i]->help_str, 0, word, sizeof(word));
		snprintf(key, sizeof(key), " %s ", word);
		if (strstr(seen, key) != NULL)
			continue;
		strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
			off == 0 ? "" : " ", word);
	}
}

/* The words a fixed-string token takes ("a#b" -> "a|b"); false if any. */
static bool
token_choices(cmdline_parse_token_hdr_t *tok, char *buf, size_t len)
{
	const cmdline_parse_token_string_t *st = (const void *)tok;
	const char *c;
	size_t off = strlen(buf);

	if (tok->ops != &cmdline_token_string_ops || st->string_data.str == NULL ||
			st->string_data.str[0] == '\0')
		return false;
	for (c = st->string_data.str; *c != '\0' && off + 1 < len; c++)
		buf[off++] = *c == '#' ? '|' : *c;
	buf[off] = '\0';
	return true;
}

/* The choices of every command stopped at depth on a fixed string. */
static void
all_choices(cmdline_parse_ctx_t *table, const struct line_match *m,
		unsigned int depth, char *buf, size_t len)
{
	char one[256], key[260], seen[1024];
	unsigned int i;
	char *w, *save;

	buf[0] = '\0';
	snprintf(seen, sizeof(seen), "|");
	for (i = 0; table[i] != NULL; i++) {
		one[0] = '\0';
		if (m[i].depth != depth || m[i].complete ||
				!token_choices(table[i]->tokens[depth], one,
					sizeof(one)))
			continue;
		for (w = strtok_r(one, "|", &save); w != NULL;
				w = strtok_r(NULL, "|", &save)) {
			snprintf(key, sizeof(key), "|%s|", w);
			if (strstr(seen, key) != NULL)
				continue;
			strncat(seen, key + 1, sizeof(seen) - strlen(seen) - 1);
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s",
				buf[0] == '\0' ? "" : "|", w);
		}
	}
}

/* Among the commands stopped at depth, the one that says most. */
static const char *
explain_stop(cmdline_parse_ctx_t *table, const struct line_match *m,
		unsigned int depth, char *buf, size_t len)
{
	const char *missing = NULL, *extra = NULL;
	char name[256], word[128];
	unsigned int i;

	for (i = 0; table[i] != NULL; i++) {
		if (m[i].depth != depth)
			continue;
		nth_word(table[i]->help_str, depth, name, sizeof(name));
		if (m[i].complete) {
			if (!end_of_line(m[i].stop))
				extra = m[i].stop;
			continue;
		}
		if (end_of_line(m[i].stop)) {
			if (missing == NULL) {
				snprintf(buf, len, "missing %s", name);
				missing = buf;
			}
			continue;
		}
		/* A word there that the token refuses: the best reason. */
		nth_word(m[i].stop, 0, word, sizeof(word));
		if (table[i]->tokens[depth]->ops == &cmdline_token_string_ops)
			all_choices(table, m, depth, name, sizeof(name));
		explain_bad_word(table[i]->tokens[depth], name, word, buf, len);
		return buf;
	}
	if (missing != NULL)
		return missing;
	if (extra != NULL) {
		nth_word(extra, 0, word, sizeof(word));
		snprintf(buf, len, "unexpected '%s' at the end", word);
		return buf;
	}
	return "cannot parse";
}

void
cmds_explain_parse_error(cmdline_parse_ctx_t *table, const char *line,
		int ret)
{
	struct line_match m[128];
	char reason[512], usage[1024], shown[256], word[64];
	unsigned int i, n, depth = 0;

	snprintf(shown, sizeof(shown), "%.*s", (int)strcspn(line, "\r\n"),
		line);
	if (ret == CMDLINE_PARSE_AMBIGUOUS) {
		cmds_error("%s: ambiguous command", shown);
		return;
	}
	for (n = 0; table[n] != NULL && n < RTE_DIM(m); n++) {
		match_line(table[n], line, &m[n]);
		depth = RTE_MAX(depth, m[n].depth);
	}
	if (depth == 0) {
		nth_word(line, 0, word, sizeof(word));
		command_words(table, usage, sizeof(usage));
		cmds_error("unknown command '%s'; the commands: %s (help lists"
			" them)", word, usage);
		return;
	}
	for (i = 0; i < n; i++)
		if (table[i]->help_str == NULL)
			m[i].depth = 0;
	explain_stop(table, m, depth, reason, sizeof(reason));
	usages(table, m, depth, usage, sizeof(usage));
	cmds_error("%s: %s; usage: %s", shown, reason, usage);
}

int
cmds_exec_line(const char *line)
{
	int ret;

	cmds.cmd_failed = false;
	ret = cmdline_parse(cmds.cl, line);
	if (ret < 0)
		cmds_explain_parse_error(cmds.table, line, ret);
	return cmds.cmd_failed ? -1 : 0;
}

/* ---- the prompt ---- */

/* Completion choices, grouped by word: built at the first call. */
struct choice {
	char word[64];
	char usage[512];
};

#define MAX_CHOICES	64

static struct {
	struct choice c[MAX_CHOICES];
	unsigned int n, next;
} choices;

static void
choice_add(const char *line)
{
	char word[64];
	const char *help = strstr(line, "]: ");
	unsigned int i;
	size_t off;

	nth_word(line, 0, word, sizeof(word));
	help = help != NULL ? help + 3 : "";
	for (i = 0; i < choices.n; i++)
		if (strcmp(choices.c[i].word, word) == 0)
			break;
	if (i == choices.n) {
		if (choices.n == MAX_CHOICES)
			return;
		choices.n++;
		snprintf(choices.c[i].word, sizeof(choices.c[i].word), "%s", word);
		snprintf(choices.c[i].usage, sizeof(choices.c[i].usage), "%s", help);
		return;
	}
	/* A usage another one of the word starts with says nothing new. */
	if (strstr(choices.c[i].usage, help) != NULL)
		return;
	off = strlen(choices.c[i].usage);
	snprintf(choices.c[i].usage + off, sizeof(choices.c[i].usage) - off,
		" | %s", help);
}

/*
 * rdline's completion: cmdline_complete() lists one choice per command,
 * so "ctrl <TAB>" showed "mac" three times; gather them first and give
 * each word once, with the usages it leads to.
 */
static int
tty_complete(struct rdline *rdl, const char *buf, char *dst,
		unsigned int size, int *state)
{
	char line[CMDLINE_PARSE_RESULT_BUFSIZE];
	int ret, st;

	RTE_SET_USED(rdl);
	if (*state <= 0) {
		st = *state;
		ret = cmdline_complete(cmds.cl, buf, &st, line, sizeof(line));
		if (ret != 1) {
			/* Nothing, or the word completed. */
			snprintf(dst, size, "%s", line);
			return ret;
		}
		choices.n = 0;
		choices.next = 0;
		do {
			choice_add(line);
			ret = cmdline_complete(cmds.cl, buf, &st, line,
				sizeof(line));
		} while (ret == 1);
	}
	if (choices.next >= choices.n)
		return 0;
	snprintf(dst, size, "%-10s %s", choices.c[choices.next].word,
		choices.c[choices.next].usage);
	choices.next++;
	*state = (int)choices.next;
	return 1;
}

static int
tty_write_char(struct rdline *rdl, char c)
{
	RTE_SET_USED(rdl);
	return (int)write(STDOUT_FILENO, &c, 1);
}

static void
tty_validate(struct rdline *rdl, const char *buf, unsigned int size)
{
	RTE_SET_USED(rdl);
	RTE_SET_USED(size);
	cmds_exec_line(buf);
	fflush(stdout);
}

/* Add a line to the history unless it repeats the last one. */
static void
tty_history(struct rdline *rdl)
{
	const char *line = rdline_get_buffer(rdl);
	const char *last = rdline_get_history_item(rdl, 0);
	size_t len = strcspn(line, "\n");

	if (len == 0)
		return;
	if (last != NULL && strlen(last) == len && strncmp(last, line, len) == 0)
		return;
	rdline_add_history(rdl, line);
}

void
cmds_interact(const char *prompt, volatile sig_atomic_t *quit)
{
	struct termios saved, raw;
	bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	struct rdline *rdl;
	char c;
	int ret;

	rdl = rdline_new(tty_write_char, tty_validate, tty_complete, NULL);
	if (rdl == NULL) {
		printf("cannot start the command line\n");
		return;
	}
	if (tty) {
		/* As cmdline_stdin_new(): keys one by one, no echo, ^C a key. */
		raw = saved;
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ISIG);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	rdline_newline(rdl, prompt);
	while (!cmds.quit_requested && !(quit != NULL && *quit)) {
		/* Wake up now and then to see a SIGTERM's quit flag. */
		if (poll(&pfd, 1, 200) <= 0)
			continue;
		if (read(STDIN_FILENO, &c, 1) <= 0)
			break;
		ret = rdline_char_in(rdl, c);
		if (ret == RDLINE_RES_VALIDATED) {
			tty_history(rdl);
			if (!cmds.quit_requested)
				rdline_newline(rdl, prompt);
		} else if (ret == RDLINE_RES_EOF || ret == RDLINE_RES_EXITED) {
			break;
		}
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	rdline_free(rdl);
}
