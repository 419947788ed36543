#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Lifecycle under load: the app hosts two cvqsim devices; lifecycle-fe
# connects to device 0 LIFECYCLE_CYCLES times (default 500, bounded by the
# time budget) with frames and control commands in flight at every
# disconnect (graceful, abrupt, and stop/resume), while frontends on
# device 1 are SIGKILLed mid-traffic LIFECYCLE_KILLS times (default 20).
# Afterwards the backend must have as many open fds and threads as before,
# not have grown its RSS by more than LIFECYCLE_RSS_KB (default 8192; not
# under ASan, whose quarantine keeps freed memory), and
# both devices must pass traffic and control commands on a new connection.
# At the end the backend stops on SIGINT with exit status 0; when the app
# is built with ASan (devtools/sanitize.sh), LeakSanitizer runs at its exit
# and any leak report fails the test.
#
# Usage: lifecycle.sh LIFECYCLE_FE_BINARY   (env: CVQSIM_APP)

. "$(dirname "$0")/../driver/lib.sh"

FE=${1:?usage: $0 lifecycle-fe-binary}
CYCLES=${LIFECYCLE_CYCLES:-500}
KILLS=${LIFECYCLE_KILLS:-20}
RSS_SLACK_KB=${LIFECYCLE_RSS_KB:-8192}
TEST_BUDGET=${TEST_BUDGET:-280}

[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set or not executable"
t_init
ASAN=0
if nm -D "$CVQSIM_APP" 2>/dev/null | grep -q __asan_init ||
		ldd "$CVQSIM_APP" 2>/dev/null | grep -q libasan; then
	ASAN=1
fi

SOCK0=$T_DIR/dev0.sock
SOCK1=$T_DIR/dev1.sock
t_start_backend backend -l 0 \
	--vdev "vdpa_cvqsim0,queues=2,poll=adaptive" \
	--vdev "vdpa_cvqsim1,poll=adaptive" \
	-- --iface "$SOCK0" --iface "$SOCK1"
t_wait_socket "$SOCK0" 20 && t_wait_socket "$SOCK1" 20 ||
	t_fail "backend sockets not created"

proc_counts() {
	FDS=$(ls "/proc/$BE_PID/fd" 2>/dev/null | wc -l)
	THREADS=$(ls "/proc/$BE_PID/task" 2>/dev/null | wc -l)
	RSS=$(awk '/^VmRSS:/ { print $2 }' "/proc/$BE_PID/status")
}

check_devices() {
	local what=$1 s
	for s in "$SOCK0" "$SOCK1"; do
		"$FE" "$s" check >>"$T_DIR/fe-check.log" 2>&1 ||
			t_fail "$what: device at $(basename "$s") does not work" \
				"($(tail -n 1 "$T_DIR/fe-check.log"))"
	done
}

# Warm-up: the first connections create what the backend keeps for good.
check_devices "warm-up"
sleep 1
proc_counts
FDS0=$FDS THREADS0=$THREADS RSS0=$RSS
t_log "backend pid $BE_PID: $FDS0 fds, $THREADS0 threads, RSS $RSS0 kB"

# SIGKILLed frontends on device 1, in the background of the cycles.
(
	for ((k = 0; k < KILLS; k++)); do
		out=$T_DIR/fe-kill.$k.out
		: >"$out"
		"$FE" "$SOCK1" traffic >"$out" 2>&1 &
		pid=$!
		for ((i = 0; i < 150; i++)); do
			grep -q RUNNING "$out" && break
			sleep 0.1
		done
		grep -q RUNNING "$out" ||
			echo "kill $k: not running after 15 s: $(tail -n 1 "$out")"
		sleep 0.$((RANDOM % 4 + 1))
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null
		echo "killed $k (running after $i x 0.1 s)"
	done
) >"$T_DIR/kills.log" 2>&1 &
KILLER=$!
T_PIDS+=("$KILLER")

left=$((TEST_BUDGET - (SECONDS - T_START) - 40))
[ "$left" -gt 10 ] || t_fail "no time left for the cycles"
"$FE" "$SOCK0" cycles "$CYCLES" "$left" >"$T_DIR/cycles.log" 2>&1
rc=$?
t_log "$(tail -n 1 "$T_DIR/cycles.log")"
[ "$rc" = 0 ] || t_fail "cycles failed"
wait "$KILLER"
grep -q "not running" "$T_DIR/kills.log" && t_fail "$(grep 'not running' "$T_DIR/kills.log")"
t_log "$(grep -c '^killed' "$T_DIR/kills.log") frontends SIGKILLed mid-traffic"
kill -0 "$BE_PID" 2>/dev/null || t_fail "the backend died"

# The backend releases a connection asynchronously: let it settle.
for ((i = 0; i < 50; i++)); do
	proc_counts
	[ "$FDS" = "$FDS0" ] && [ "$THREADS" = "$THREADS0" ] && break
	sleep 0.1
done
t_log "after: $FDS fds, $THREADS threads, RSS $RSS kB"
[ "$FDS" = "$FDS0" ] || {
	ls -l "/proc/$BE_PID/fd" >"$T_DIR/fds.log"
	t_fail "open fds $FDS0 -> $FDS"
}
[ "$THREADS" = "$THREADS0" ] || t_fail "threads $THREADS0 -> $THREADS"
if [ "$ASAN" = 1 ]; then
	# ASan keeps freed memory in its quarantine (256 MB by default) to
	# catch uses after free, so RSS grows with every free: no measure of
	# growth here. LeakSanitizer checks for leaks at exit instead, and the
	# unsanitized build checks the RSS.
	t_log "RSS grew by $((RSS - RSS0)) kB: not checked under ASan"
else
	[ $((RSS - RSS0)) -le "$RSS_SLACK_KB" ] ||
		t_fail "RSS grew by $((RSS - RSS0)) kB (> $RSS_SLACK_KB)"
fi

check_devices "after the cycles"
t_log "both devices pass traffic and control commands on a new connection"

kill -INT "$BE_PID"
for ((i = 0; i < 100; i++)); do
	kill -0 "$BE_PID" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$BE_PID" 2>/dev/null && t_fail "the backend did not stop on SIGINT"
wait "$BE_PID"
rc=$?
grep -q 'Sanitizer' "$BE_LOG" && t_fail "sanitizer report at exit"
[ "$rc" = 0 ] || t_fail "the backend exited with $rc"
if [ "$ASAN" = 1 ]; then
	t_log "backend exited cleanly; LeakSanitizer found no leak"
else
	t_log "backend exited cleanly (not an ASan build: leaks not checked)"
fi
t_pass
