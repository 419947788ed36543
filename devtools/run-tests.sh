#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Every test of the default run, from a fresh clone: install what is
# missing, build with gcc (warnings are errors) and run every meson test
# suite except the benchmarks (perf-tests), then build with clang too.
#
# Env: BUILD_DIR (default build-tests), CLANG_BUILD_DIR (build-tests-clang),
#      SKIP_CLANG=1 to skip the clang build.

set -eu

src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$src"
"$src/devtools/install-deps.sh"

build=${BUILD_DIR:-build-tests}
clang_build=${CLANG_BUILD_DIR:-build-tests-clang}

# Configure a build directory; meson's output only when it fails.
setup() {
	local dir=$1 out
	shift
	if [ -f "$dir/build.ninja" ]; then
		out=$(meson setup --reconfigure "$dir" 2>&1)
	else
		out=$("$@" meson setup "$dir" 2>&1)
	fi || { echo "$out"; echo "=== meson setup $dir failed"; return 1; }
}

echo "=== build (gcc) in $build"
setup "$build" env CC=gcc
ninja -C "$build"

echo "=== tests (every suite but perf-tests)"
rc=0
meson test -C "$build" --no-suite perf-tests --print-errorlogs || rc=$?

if [ -z "${SKIP_CLANG:-}" ]; then
	echo "=== build (clang) in $clang_build"
	setup "$clang_build" env CC=clang
	ninja -C "$clang_build" || rc=1
fi

if [ "$rc" = 0 ]; then
	echo "=== all tests passed"
else
	echo "=== FAILED (see $build/meson-logs/testlog.txt)"
fi
exit "$rc"
