#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Self-test of check-style: a tree of sample files, each good or with known
# violations, and the exact list of violations check-style must report for
# it. A rule that stops firing, or a false positive on the good samples,
# makes this test fail.
# Usage: test-check-style.sh [CHECK_STYLE]

set -eu

check_style=${1:-$(dirname "$(readlink -f "$0")")/check-style}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
drv=$work/drivers/vdpa/cvqsim
mkdir -p "$drv" "$work/app/x" "$work/devtools"

# --- good samples: no violation expected --------------------------------
cat > "$drv/cvqsim_good.h" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef CVQSIM_GOOD_H
#define CVQSIM_GOOD_H

/*
 * A URL in a comment is not a // comment: http://example.org/x.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cvqsim_good {
	int a;
} __attribute__((packed));

extern int cvqsim_good_count;

int cvqsim_good_sum(int a,
		int b);
int (*cvqsim_good_hook)(int a);

static inline int
cvqsim_good_twice(int a)
{
	return 2 * a;
}

#ifdef __cplusplus
}
#endif

#endif /* CVQSIM_GOOD_H */
EOF

cat > "$drv/cvqsim_good.c" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#include <stdio.h>

#include "cvqsim_good.h"

#define GOOD_MACRO(x) do {	\
	if(x)			\
		puts("//");	\
} while (0)

int cvqsim_good_count;

static const struct cvqsim_good table[] = {
	{ .a = 1 },
	{ .a = 2 },
};

static int
local_helper(int a)
{
	const char *s = "// not a comment, { not a brace";

	if (a > 0 && s[0] == '/')
		return a;
	for (;;)
		break;
	return table[0].a;
}

RTE_INIT(cvqsim_good_init)
{
	cvqsim_good_count = 0;
}

int
cvqsim_good_sum(int a,
		int b)
{
	return local_helper(a) + b;
}

int
rte_pmd_cvqsim_good(void)
{
	return 0;
}
EOF

printf '%s\n' \
	'# SPDX-License-Identifier: BSD-3-Clause' \
	'# Copyright(c) 2026 The cvqsim authors' \
	'' \
	"sources = ['a.c'," \
	"	    'b.c']" \
	'if true' \
	"	x = '''" \
	'    free text in a multi-line string' \
	"'''" \
	'endif' > "$work/meson.build"

printf '%s\n' \
	'#!/bin/sh' \
	'# SPDX-License-Identifier: BSD-3-Clause' \
	'# Copyright(c) 2026 The cvqsim authors' \
	'cat <<- END' \
	'    heredoc text is not indentation' \
	'	END' \
	'if true; then' \
	'	echo ok' \
	'fi' > "$work/devtools/good-script"

printf '%s\n' \
	'#!/usr/bin/python3' \
	'# SPDX-License-Identifier: BSD-3-Clause' \
	'# Copyright(c) 2026 The cvqsim authors' \
	'def f():' \
	'    return 1' > "$work/devtools/good.py"

# A literal block quotes output as it is; a paragraph must wrap.
{
	printf '%s\n' '..  SPDX-License-Identifier: BSD-3-Clause' \
		'    Copyright(c) 2026 The cvqsim authors' '' 'Title' '=====' '' \
		'.. code-block:: console' '' "   \$ echo $(printf 'x%.0s' $(seq 1 110))" '' \
		'Text.'
} > "$work/good.rst"
{
	printf '%s\n' '..  SPDX-License-Identifier: BSD-3-Clause' \
		'    Copyright(c) 2026 The cvqsim authors' ''
	printf '%s\n' "$(printf 'word%.0s ' $(seq 1 24))word"
} > "$work/bad.rst"

# Application code may name its functions freely.
cat > "$work/app/x/main.c" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

int
main(void)
{
	return 0;
}
EOF

# --- bad samples ----------------------------------------------------------
cat > "$drv/cvqsim_bad.c" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

int gcount;

int foo_bar(int a)
{
	// a C++ comment
	if(a)
		return 1;
    return 0;
}

static int
local_ok(void) {
	return 0;
}

  int
cvqsim_indented(void)
{
 	return 0;
}

int
	cvqsim_tabbed(void)
{
	return 0;
}

int cvqsim_one_line(void) { return 0; }
EOF

cat > "$drv/cvqsim_bad.h" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef OTHER_NAME_H
#define OTHER_NAME_H

int helper(void);

#endif
int cvqsim_after_guard(void);
EOF

cat > "$drv/rte_pmd_cvqsim.h" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef RTE_PMD_CVQSIM_H
#define RTE_PMD_CVQSIM_H

int rte_pmd_cvqsim_fine(void);
int cvqsim_not_public(void);

#endif /* RTE_PMD_CVQSIM_H */
EOF

cat > "$drv/cvqsim_noguard.h" <<'EOF'
/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

int cvqsim_x(void);
EOF

printf '%s\n' '/* Copyright nobody */' '' 'int cvqsim_y;' > "$drv/cvqsim_nospdx.c"

# Whitespace problems made with printf so that this script stays clean.
{
	printf '%s\n' '/* SPDX-License-Identifier: BSD-3-Clause' \
		' * Copyright(c) 2026 The cvqsim authors' ' */' ''
	printf 'int cvqsim_z; \n'
	printf 'int cvqsim_w;\r\n'
	printf 'static const char *long_line = "%s";\n' "$(printf 'x%.0s' $(seq 1 90))"
	printf 'int cvqsim_v;'
} > "$drv/cvqsim_ws.c"

printf '%s\n' \
	'# SPDX-License-Identifier: BSD-3-Clause' \
	'# Copyright(c) 2026 The cvqsim authors' \
	'' \
	'if true' \
	'    x = 1' \
	' 	y = 2' \
	'endif' > "$drv/meson.build"

printf '%s\n' \
	'#!/bin/bash' \
	'# Copyright(c) 2026 The cvqsim authors' \
	'if true; then' \
	'  echo bad' \
	'fi' > "$work/devtools/bad-script"

printf '%s\n' \
	'#!/usr/bin/python3' \
	'# SPDX-License-Identifier: BSD-3-Clause' \
	'# Copyright(c) 2026 The cvqsim authors' \
	'def f():' \
	'	return 1' > "$work/devtools/bad.py"

# D/ stands for the driver directory.
sed 's|^D/|drivers/vdpa/cvqsim/|' > "$work/expected" <<'EOF'
devtools/bad-script:2: line must be '# SPDX-License-Identifier: BSD-3-Clause'
devtools/bad-script:4: indentation with spaces only (use tabs)
devtools/bad.py:5: tab in indentation (python uses spaces)
D/cvqsim_bad.c:12: indentation with spaces only (use tabs)
D/cvqsim_bad.c:16: function 'local_ok': opening brace must be alone at column 0
D/cvqsim_bad.c:20: indentation with spaces only (use tabs)
D/cvqsim_bad.c:23: space before tab in indentation
D/cvqsim_bad.c:27: function 'cvqsim_tabbed': name must start at column 0
D/cvqsim_bad.c:32: function 'cvqsim_one_line': opening brace must be alone at column 0
D/cvqsim_bad.c:32: function 'cvqsim_one_line': return type must be on its own line
D/cvqsim_bad.c:5: variable 'gcount' is not static: name it cvqsim_* (rte_pmd_cvqsim_* if public)
D/cvqsim_bad.c:7: function 'foo_bar' is not static: name it cvqsim_* (rte_pmd_cvqsim_* if public)
D/cvqsim_bad.c:7: function 'foo_bar': return type must be on its own line
D/cvqsim_bad.c:9: // comment (use /* */)
D/cvqsim_bad.c:10: missing space after 'if'
D/cvqsim_bad.h:11: header must end with the #endif of its include guard
D/cvqsim_bad.h:5: include guard 'OTHER_NAME_H' does not name the file (CVQSIM_BAD)
D/cvqsim_bad.h:8: function 'helper' is not static: name it cvqsim_* (rte_pmd_cvqsim_* if public)
D/cvqsim_noguard.h:5: header must start with an include guard (#ifndef)
D/cvqsim_nospdx.c:1: first line must be '/* SPDX-License-Identifier: BSD-3-Clause'
D/cvqsim_ws.c:5: trailing whitespace
D/cvqsim_ws.c:6: DOS line ending (CR)
D/cvqsim_ws.c:7: line is 124 columns, more than 100
D/cvqsim_ws.c:8: no newline at end of file
D/meson.build:5: indentation with spaces only (use tabs)
D/meson.build:6: space before tab in indentation
D/rte_pmd_cvqsim.h:9: public API function 'cvqsim_not_public' must be named rte_pmd_cvqsim_*
bad.rst:4: line is 124 columns, more than 100
EOF

status=0
(cd "$work" && "$check_style" .) > "$work/got" 2> "$work/stderr" || status=$?
if [ "$status" -ne 1 ]; then
	echo "check-style exited $status on the samples, expected 1"
	cat "$work/stderr"
	exit 1
fi
if ! diff -u <(LC_ALL=C sort "$work/expected") <(LC_ALL=C sort "$work/got"); then
	echo 'check-style: reported violations differ from the expected list (- expected, + got)'
	exit 1
fi
n=$(wc -l < "$work/expected")

# The good samples alone must pass.
rm -f "$drv"/cvqsim_bad.* "$drv"/cvqsim_noguard.h "$drv"/cvqsim_nospdx.c \
	"$drv"/cvqsim_ws.c "$drv"/meson.build "$drv"/rte_pmd_cvqsim.h \
	"$work"/devtools/bad-script "$work"/devtools/bad.py "$work"/bad.rst \
	"$work"/expected "$work"/got "$work"/stderr
if ! out=$(cd "$work" && "$check_style" . 2>&1); then
	echo 'check-style: false positive on the good samples:'
	echo "$out"
	exit 1
fi
echo "check-style self-test: $n expected violations reported, good samples clean"
