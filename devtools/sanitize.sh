#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Build cvqsim with AddressSanitizer + UndefinedBehaviorSanitizer (and
# LeakSanitizer, part of ASan) and run test suites under it.
#
#   devtools/sanitize.sh [--quick] [--cc gcc|clang] [SUITE...]
#   devtools/sanitize.sh --thread [SUITE...]
#
# Default suites: fast-tests driver-tests, plus scenario and hostile when
# the build defines them. --quick runs fast-tests only (the CI short run).
# Any sanitizer report fails the test that produced it (abort_on_error,
# halt_on_error), and the script exits non-zero.
#
# --thread builds with ThreadSanitizer instead (clang, build-tsan) and runs
# fast-tests and driver-tests by default; see "ThreadSanitizer" below.
#
# What it takes to run DPDK processes under ASan (found here, DPDK 22.11
# from Debian, gcc 12 and clang 14):
# - EAL with --no-huge works under ASan as is (no shadow conflicts: the
#   memory is memfd-backed and mapped wherever the kernel puts it).
# - The Debian DPDK libraries are not instrumented; LeakSanitizer still
#   sees their malloc()s. At exit EAL, the vhost library and the app free
#   what they own after rte_eal_cleanup(); nothing had to be suppressed.
#   devtools/sanitize.supp is where a suppression would go, each with why.
# - verify_asan_link_order=0: the driver-test scripts start the app under
#   stdbuf(1), which LD_PRELOADs libstdbuf.so ahead of the ASan runtime.
#   The order check is about interposition, which libstdbuf does not do.
# - An uninstrumented host loading the instrumented plugin (testpmd -d)
#   needs the ASan runtime preloaded: the tests that do that (probe*) get
#   TESTPMD pointing to a wrapper that preloads it with leak detection off
#   for testpmd itself. Other tests keep the plain testpmd, which runs at
#   full speed (their timing-sensitive checks need it).
# - gcc is the default: its -fsanitize=address links libasan into the
#   plugin, which the plugin's -Wl,--no-undefined needs. clang needs
#   -shared-libasan on every link and its runtime directory on the
#   library path; --cc clang sets both.
# - Sanitized tests are 2-5x slower: meson's timeouts are multiplied by
#   SANITIZE_TIMEOUT_MULTIPLIER (default 5).
#
# ThreadSanitizer (--thread):
# - clang, -Db_sanitize=thread -Db_lundef=false: clang links the TSan
#   runtime into executables only, so the plugin's __tsan_* references are
#   resolved by the host process (meson's b_lundef is what adds
#   --no-undefined to the plugin in the other builds).
# - -DRTE_FORCE_INTRINSICS: DPDK's x86 headers take rte_spinlock (poll_lock)
#   and rte_atomic* with inline assembly, which TSan cannot see, so every
#   access under poll_lock would look racy. With it the same locks are
#   built from the __atomic builtins TSan knows (the lock word and its
#   meaning are the same; the DPDK libraries keep their own code).
# - Any report fails the process that made it at exit (exitcode=66) and is
#   written to BUILD/tsan-reports/report.PID: any file there fails the run
#   (a script may ignore the exit status of a process it stopped).
# - devtools/tsan.supp lists the races inside DPDK's own libraries, which
#   Debian builds without instrumentation (TSan sees only one side of
#   their synchronisation); each entry says why. Nothing of cvqsim, the app
#   or the tests is suppressed.
# - An uninstrumented host loading the plugin (testpmd -d, the probe test)
#   gets a TSan runtime preloaded by a wrapper, as for ASan: gcc's libtsan,
#   as clang 14's crashes when preloaded.
# - Tests run 5-15x slower: timeouts are multiplied by 10.
#
# Environment: SANITIZE_BUILD_DIR (default <repo>/build-asan for gcc,
# <repo>/build-asan-clang for clang), SANITIZE_TIMEOUT_MULTIPLIER.

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
QUICK=0
THREAD=0
CCNAME=gcc
SUITES=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--thread) THREAD=1; CCNAME=clang ;;
	--cc) CCNAME=${2:?--cc needs gcc or clang}; shift ;;
	-h|--help) sed -n '3,56p' "$0"; exit 0 ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) SUITES+=("$1") ;;
	esac
	shift
done
case $THREAD/$CCNAME in
1/*) DEFAULT_BUILD=$ROOT/build-tsan ;;
0/gcc) DEFAULT_BUILD=$ROOT/build-asan ;;
0/clang) DEFAULT_BUILD=$ROOT/build-asan-clang ;;
*) echo "--cc gcc or clang" >&2; exit 2 ;;
esac
BUILD=${SANITIZE_BUILD_DIR:-$DEFAULT_BUILD}
MULT=${SANITIZE_TIMEOUT_MULTIPLIER:-$([ $THREAD = 1 ] && echo 10 || echo 5)}

log() {
	printf '[sanitize] %s\n' "$*"
}

# ---- build ------------------------------------------------------------------
setup_args=(-Db_sanitize=address,undefined -Db_lundef=false -Dtests=true)
if [ "$THREAD" = 1 ]; then
	setup_args=(-Db_sanitize=thread -Db_lundef=false -Dtests=true
		-Dc_args=-DRTE_FORCE_INTRINSICS)
	# clang 14's shared TSan runtime crashes when preloaded into a program
	# not built with it (even /bin/true); gcc's libtsan is the same
	# compiler-rt runtime with the same __tsan_* entry points and works.
	RT=$(gcc -print-file-name=libtsan.so)
elif [ "$CCNAME" = clang ]; then
	ASAN_RT_DIR=$(dirname "$(clang -print-file-name=libclang_rt.asan-x86_64.so)")
	setup_args+=(-Dc_link_args=-shared-libasan)
	export LD_LIBRARY_PATH=$ASAN_RT_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	RT=$ASAN_RT_DIR/libclang_rt.asan-x86_64.so
else
	RT=$(gcc -print-file-name=libasan.so)
fi
if [ ! -f "$BUILD/build.ninja" ]; then
	log "configuring $BUILD ($CCNAME)"
	CC=$CCNAME meson setup "$BUILD" "$ROOT" "${setup_args[@]}" \
		>"$BUILD.setup.log" 2>&1 || {
		cat "$BUILD.setup.log"
		exit 1
	}
	rm -f "$BUILD.setup.log"
fi
log "building $BUILD"
ninja -C "$BUILD" >"$BUILD/sanitize-build.log" 2>&1 || {
	tail -n 40 "$BUILD/sanitize-build.log"
	exit 1
}

# ---- runtime options -------------------------------------------------------
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:verify_asan_link_order=0
export ASAN_OPTIONS
export LSAN_OPTIONS=suppressions=$ROOT/devtools/sanitize.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Reports into files too: a script may not look at the exit status of
# every process it stops.
TSAN_REPORTS=$BUILD/tsan-reports
rm -rf "$TSAN_REPORTS"
mkdir -p "$TSAN_REPORTS"
TSAN_OPTIONS=suppressions=$ROOT/devtools/tsan.supp:exitcode=66
TSAN_OPTIONS=$TSAN_OPTIONS:second_deadlock_stack=1:history_size=4
# No 1 s pause at every exit (the default): driver-tests start hundreds of
# processes.
TSAN_OPTIONS=$TSAN_OPTIONS:atexit_sleep_ms=0
export TSAN_OPTIONS=$TSAN_OPTIONS:log_path=$TSAN_REPORTS/report
mkdir -p "$BUILD/sanitize-bin"
TESTPMD_WRAPPER=$BUILD/sanitize-bin/dpdk-testpmd
cat >"$TESTPMD_WRAPPER" <<WRAP
#!/bin/sh
# testpmd is not instrumented; the cvqsim plugin it loads with -d is.
LD_PRELOAD=$RT ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \\
	exec ${TESTPMD:-/usr/bin/dpdk-testpmd} "\$@"
WRAP
chmod +x "$TESTPMD_WRAPPER"

# ---- suites ----------------------------------------------------------------
if [ ${#SUITES[@]} -eq 0 ]; then
	if [ "$QUICK" = 1 ]; then
		SUITES=(fast-tests)
	elif [ "$THREAD" = 1 ]; then
		SUITES=(fast-tests driver-tests)
	else
		SUITES=(fast-tests driver-tests)
		for s in scenario hostile; do
			meson test -C "$BUILD" --list --suite "$s" >/dev/null 2>&1 &&
				SUITES+=("$s")
		done
	fi
fi

# Tests of a suite, by name (meson test --list prints "project:suite / name").
suite_tests() {
	meson test -C "$BUILD" --no-rebuild --list --suite "$1" 2>/dev/null |
		sed -n 's|^[^ ]* / ||p'
}

fail=0
declare -A RESULT
for s in "${SUITES[@]}"; do
	plain=()
	plugin=()
	while read -r t; do
		[ -n "$t" ] || continue
		case $t in
		probe*) plugin+=("$t") ;;
		*) plain+=("$t") ;;
		esac
	done < <(suite_tests "$s")
	if [ ${#plain[@]} -eq 0 ] && [ ${#plugin[@]} -eq 0 ]; then
		log "suite $s: no tests"
		RESULT[$s]="no tests"
		continue
	fi
	rc=0
	log "suite $s: ${#plain[@]} + ${#plugin[@]} tests"
	if [ ${#plain[@]} -gt 0 ]; then
		meson test -C "$BUILD" --no-rebuild --timeout-multiplier "$MULT" \
			--logbase "sanitize-$s" "${plain[@]}" || rc=1
	fi
	if [ ${#plugin[@]} -gt 0 ]; then
		TESTPMD=$TESTPMD_WRAPPER meson test -C "$BUILD" --no-rebuild \
			--timeout-multiplier "$MULT" --logbase "sanitize-$s-plugin" \
			"${plugin[@]}" || rc=1
	fi
	RESULT[$s]=$([ $rc = 0 ] && echo ok || echo FAIL)
	[ $rc = 0 ] || fail=1
done

# Sanitizer reports in any log, even of tests that passed (e.g. a child
# process whose exit status a script ignored).
found='^(==[0-9]+==ERROR: (Address|Leak)Sanitizer|.*runtime error:|WARNING: ThreadSanitizer)'
reports=$(grep -lE "$found" \
	"$BUILD"/meson-logs/sanitize-*.txt 2>/dev/null)
echo
log "summary ($CCNAME$([ $THREAD = 1 ] && echo ", thread"), $BUILD)"
for s in "${SUITES[@]}"; do
	printf '  %-14s %s\n' "$s" "${RESULT[$s]}"
done
tsan=$(ls "$TSAN_REPORTS" 2>/dev/null)
if [ -n "$tsan" ]; then
	log "ThreadSanitizer reports in $TSAN_REPORTS:"
	grep -h '^SUMMARY' "$TSAN_REPORTS"/* | sort | uniq -c | sort -rn
	fail=1
fi
if [ -n "$reports" ]; then
	log "sanitizer reports in: $reports"
	fail=1
fi
exit $fail
