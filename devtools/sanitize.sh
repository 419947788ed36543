#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Build cvqsim with AddressSanitizer + UndefinedBehaviorSanitizer (and
# LeakSanitizer, part of ASan) and run test suites under it.
#
#   devtools/sanitize.sh [--quick] [--cc gcc|clang] [SUITE...]
#
# Default suites: fast-tests driver-tests, plus scenario and hostile when
# the build defines them. --quick runs fast-tests only (the CI short run).
# Any sanitizer report fails the test that produced it (abort_on_error,
# halt_on_error), and the script exits non-zero.
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
# Environment: SANITIZE_BUILD_DIR (default <repo>/build-asan for gcc,
# <repo>/build-asan-clang for clang), SANITIZE_TIMEOUT_MULTIPLIER.

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
QUICK=0
CCNAME=gcc
SUITES=()
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--cc) CCNAME=${2:?--cc needs gcc or clang}; shift ;;
	-h|--help) sed -n '3,40p' "$0"; exit 0 ;;
	-*) echo "unknown option $1" >&2; exit 2 ;;
	*) SUITES+=("$1") ;;
	esac
	shift
done
case $CCNAME in
gcc) DEFAULT_BUILD=$ROOT/build-asan ;;
clang) DEFAULT_BUILD=$ROOT/build-asan-clang ;;
*) echo "--cc gcc or clang" >&2; exit 2 ;;
esac
BUILD=${SANITIZE_BUILD_DIR:-$DEFAULT_BUILD}
MULT=${SANITIZE_TIMEOUT_MULTIPLIER:-5}

log() {
	printf '[sanitize] %s\n' "$*"
}

# ---- build ------------------------------------------------------------------
setup_args=(-Db_sanitize=address,undefined -Db_lundef=false -Dtests=true)
if [ "$CCNAME" = clang ]; then
	ASAN_RT_DIR=$(dirname "$(clang -print-file-name=libclang_rt.asan-x86_64.so)")
	setup_args+=(-Dc_link_args=-shared-libasan)
	export LD_LIBRARY_PATH=$ASAN_RT_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	ASAN_RT=$ASAN_RT_DIR/libclang_rt.asan-x86_64.so
else
	ASAN_RT=$(gcc -print-file-name=libasan.so)
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
mkdir -p "$BUILD/sanitize-bin"
TESTPMD_WRAPPER=$BUILD/sanitize-bin/dpdk-testpmd
cat >"$TESTPMD_WRAPPER" <<WRAP
#!/bin/sh
# testpmd is not instrumented; the cvqsim plugin it loads with -d is.
LD_PRELOAD=$ASAN_RT ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \\
	exec ${TESTPMD:-/usr/bin/dpdk-testpmd} "\$@"
WRAP
chmod +x "$TESTPMD_WRAPPER"

# ---- suites ----------------------------------------------------------------
if [ ${#SUITES[@]} -eq 0 ]; then
	if [ "$QUICK" = 1 ]; then
		SUITES=(fast-tests)
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
reports=$(grep -lE '^(==[0-9]+==ERROR: (Address|Leak)Sanitizer|.*runtime error:)' \
	"$BUILD"/meson-logs/sanitize-*.txt 2>/dev/null)
echo
log "summary ($CCNAME, $BUILD)"
for s in "${SUITES[@]}"; do
	printf '  %-14s %s\n' "$s" "${RESULT[$s]}"
done
if [ -n "$reports" ]; then
	log "sanitizer reports in: $reports"
	fail=1
fi
exit $fail
