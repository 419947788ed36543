#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Every test of the default run, from a fresh clone: install what is
# missing, then
#   1. gcc build (warnings are errors) with the guides (sphinx -W), and every
#      meson suite of the default setup: style, fast-tests, driver-tests,
#      scenarios, hostile (perf-tests and slow-tests are left out);
#   2. clang build (warnings are errors) and its fast-tests;
#   3. AddressSanitizer + UndefinedBehaviorSanitizer build and its fast-tests,
#      scenarios and hostile suites (devtools/sanitize.sh);
#   4. ThreadSanitizer build and its fast-tests and driver-tests
#      (devtools/sanitize.sh --thread: any data race fails it);
#   5. every libFuzzer harness for a short bounded time (devtools/fuzz.sh);
#   6. the benchmark's smoke run: it works, not how fast (devtools/bench).
# and print a table of the stages. Exit status 0 only if every stage passed.
#
# Env: BUILD_DIR (default build-tests), CLANG_BUILD_DIR (build-tests-clang),
#      FUZZ_SECONDS (per harness, default 10), SKIP="clang asan tsan fuzz
#      bench" (stages to leave out).

set -u

src=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
cd "$src"
"$src/devtools/install-deps.sh" || exit 1

build=${BUILD_DIR:-build-tests}
clang_build=${CLANG_BUILD_DIR:-build-tests-clang}
fuzz_seconds=${FUZZ_SECONDS:-10}
skip=" ${SKIP:-} "
names=()
results=()
rc=0

# Configure a build directory; meson's output only when it fails.
setup() {
	local dir=$1 cc=$2 out
	shift 2
	if [ -f "$dir/build.ninja" ]; then
		out=$(meson setup --reconfigure "$dir" "$@" 2>&1)
	else
		out=$(CC=$cc meson setup "$dir" "$@" 2>&1)
	fi || { echo "$out"; echo "=== meson setup $dir failed"; return 1; }
}

# Run a stage: a name and a command; record its result and duration.
stage() {
	local name=$1 start=$SECONDS status
	shift
	if [[ "$skip" == *" $name "* ]]; then
		names+=("$name")
		results+=("skipped")
		return
	fi
	echo
	echo "=== stage $name: $*"
	"$@"
	status=$?
	names+=("$name")
	if [ "$status" = 0 ]; then
		results+=("ok ($((SECONDS - start)) s)")
	else
		results+=("FAILED ($((SECONDS - start)) s, exit $status)")
		rc=1
	fi
}

gcc_build_and_test() {
	setup "$build" gcc -Denable_docs=true || return 1
	ninja -C "$build" || return 1
	meson test -C "$build" --no-suite perf-tests --print-errorlogs
}

clang_build_and_test() {
	setup "$clang_build" clang || return 1
	ninja -C "$clang_build" || return 1
	meson test -C "$clang_build" --suite fast-tests --print-errorlogs
}

stage gcc gcc_build_and_test
stage clang clang_build_and_test
stage asan bash "$src/devtools/sanitize.sh" fast-tests scenarios hostile
stage tsan bash "$src/devtools/sanitize.sh" --thread fast-tests driver-tests
stage fuzz bash "$src/devtools/fuzz.sh" "$fuzz_seconds"
stage bench /usr/bin/python3 "$src/devtools/bench" --smoke

echo
echo "=== summary"
for i in "${!names[@]}"; do
	printf '  %-6s %s\n' "${names[$i]}" "${results[$i]}"
done
if [ "$rc" = 0 ]; then
	echo "=== all tests passed"
else
	echo "=== FAILED (logs: $build/meson-logs/testlog.txt and the output above)"
fi
exit "$rc"
