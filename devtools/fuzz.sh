#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Build the libFuzzer harnesses of devtools/fuzz/ (clang, ASan + UBSan) and
# run each for SECONDS (default 60), then print what each did: executions,
# rate, coverage, corpus size, and whether it found something.
#
#   devtools/fuzz.sh [SECONDS] [TARGET...]   targets: as vq vq_packed ctrl
#                                            state dp devargs cmdline
#
# Seeds come from devtools/fuzz/<target>/corpus and regressions/ (replayed
# first); what the fuzzer grows goes to a work directory, never into the
# tree. A finding (crash, leak, timeout, OOM) is saved in the work directory
# and makes the script exit 1; minimise it with
#   build-fuzz/devtools/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 FILE
# and keep it under devtools/fuzz/<target>/regressions/.
#
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz), FUZZ_WORK_DIR
# (default a new directory under ${TMPDIR:-/tmp}; a corpus already in
# WORK/<target>/corpus is continued), FUZZ_JOBS (parallel fuzzers,
# default 1: the machine has 2 cores).

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER=${1:-60}
shift 2>/dev/null
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(as vq vq_packed ctrl state dp devargs cmdline)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
WORK=${FUZZ_WORK_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/cvqsim-fuzz.XXXXXX")}
JOBS=${FUZZ_JOBS:-1}

case $SECONDS_PER in
''|*[!0-9]*) echo "usage: $0 [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac

# Inputs that may be large: guest memory for the ring harnesses.
max_len() {
	case $1 in
	vq|vq_packed|ctrl|dp) echo 16384 ;;
	state) echo 32768 ;;
	devargs) echo 512 ;;
	cmdline) echo 2048 ;;
	*) echo 4096 ;;
	esac
}

if [ ! -f "$BUILD/build.ninja" ]; then
	CC=clang meson setup "$BUILD" "$ROOT" -Dfuzz=true -Dtests=false \
		>"$WORK/setup.log" 2>&1 || {
		cat "$WORK/setup.log"
		exit 1
	}
fi
ninja -C "$BUILD" $(printf 'devtools/fuzz/fuzz_%s ' "${TARGETS[@]}") \
	>"$WORK/build.log" 2>&1 || {
	tail -n 40 "$WORK/build.log"
	exit 1
}

# run TARGET: one libFuzzer session; its log in $WORK/TARGET.log.
run() {
	local t=$1 dir=$WORK/$1 src=$ROOT/devtools/fuzz/$1 args=()
	mkdir -p "$dir/corpus"
	[ -f "$src/$t.dict" ] && args+=("-dict=$src/$t.dict")
	local seeds=("$src/corpus")
	[ -d "$src/regressions" ] && seeds+=("$src/regressions")
	"$BUILD/devtools/fuzz/fuzz_$t" "${args[@]}" \
		-max_total_time="$SECONDS_PER" -max_len="$(max_len "$t")" \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$dir/" "$dir/corpus" "${seeds[@]}" \
		>"$dir.log" 2>&1
	echo $? >"$dir.rc"
}

pids=()
for t in "${TARGETS[@]}"; do
	[ -d "$ROOT/devtools/fuzz/$t" ] || { echo "unknown target $t" >&2; exit 2; }
	run "$t" &
	pids+=($!)
	if [ ${#pids[@]} -ge "$JOBS" ]; then
		wait "${pids[0]}"
		pids=("${pids[@]:1}")
	fi
done
for p in ${pids[@]+"${pids[@]}"}; do
	wait "$p"
done

found=0
printf '%-8s %8s %12s %9s %6s %7s  %s\n' target seconds executions exec/s cov corpus result
for t in "${TARGETS[@]}"; do
	log=$WORK/$t.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	cov=$(grep -oE ' cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
	corpus=$(find "$WORK/$t/corpus" -type f | wc -l)
	artifacts=$(find "$WORK/$t" -maxdepth 1 -type f \
		\( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
		-o -name 'oom-*' -o -name 'slow-unit-*' \) | grep -v slow-unit)
	result=ok
	if [ -n "$artifacts" ] || [ "$(cat "$WORK/$t.rc")" != 0 ]; then
		result="FOUND: ${artifacts:-see $log}"
		found=1
	fi
	if [ -n "$secs" ]; then
		rate=$(( ${execs:-0} / (secs > 0 ? secs : 1) ))
	else
		# Stopped by a finding: no "Done" line, libFuzzer's own average.
		secs="-"
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	fi
	printf '%-8s %8s %12s %9s %6s %7s  %s\n' "$t" "$secs" "${execs:-?}" \
		"$rate" "${cov:-?}" "$corpus" "$result"
done
echo "logs, grown corpora and findings: $WORK"
exit $found
