# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Helpers for the driver-tests: start and stop DPDK processes by PID, drive
# an interactive testpmd through a fifo, read its counters. Sourced by the
# test scripts; every process started here is stopped on exit.

set -u

CVQSIM_APP=${CVQSIM_APP:-}
CVQSIM_PLUGIN=${CVQSIM_PLUGIN:-}
TESTPMD=${TESTPMD:-$(command -v dpdk-testpmd || echo /usr/bin/dpdk-testpmd)}
# Per-test time budget, seconds (meson's own timeout is the backstop).
TEST_BUDGET=${TEST_BUDGET:-55}

T_NAME=$(basename "$0" .sh)
T_START=$SECONDS
T_PIDS=()
T_DIR=
T_OK=0

t_log() {
	printf '[%s %3ds] %s\n' "$T_NAME" $((SECONDS - T_START)) "$*"
}

# Show the tail of every log of this test (on failure).
t_dump_logs() {
	local f
	for f in "$T_DIR"/*.log; do
		[ -f "$f" ] || continue
		echo "----- $(basename "$f") (last 40 lines) -----"
		tail -n 40 "$f"
	done
}

t_fail() {
	t_log "FAIL: $*"
	t_dump_logs
	exit 1
}

t_skip() {
	t_log "SKIP: $*"
	exit 77
}

# Stop a process we started: SIGINT, then SIGKILL after $2 seconds.
t_stop_pid() {
	local pid=$1 grace=${2:-5} i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < grace * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	t_log "pid $pid did not stop on SIGINT: SIGKILL"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

t_cleanup() {
	local pid
	exec 3>&- 2>/dev/null
	for pid in "${T_PIDS[@]}"; do
		t_stop_pid "$pid" 3
	done
	if [ "$T_OK" = 1 ] && [ -z "${KEEP_LOGS:-}" ]; then
		rm -rf "$T_DIR"
	elif [ -n "$T_DIR" ]; then
		echo "logs kept in $T_DIR"
	fi
}

# t_init: a private work dir (sockets, fifos, logs) and the exit trap.
t_init() {
	T_DIR=$(mktemp -d "${TMPDIR:-/tmp}/cvqsim-$T_NAME.XXXXXX") ||
		t_fail "mktemp"
	trap t_cleanup EXIT
	trap 'exit 130' INT TERM
}

t_check_budget() {
	[ $((SECONDS - T_START)) -lt "$TEST_BUDGET" ] ||
		t_fail "over the ${TEST_BUDGET}s budget"
}

t_need_testpmd() {
	[ -x "$TESTPMD" ] || t_skip "dpdk-testpmd not found (apt-get install dpdk)"
}

# Wait until file $1 matches regex $2 at least $3 times, for $4 seconds.
t_wait_log() {
	local file=$1 re=$2 count=${3:-1} timeout=${4:-20} i n
	for ((i = 0; i < timeout * 10; i++)); do
		n=$(grep -cE -- "$re" "$file" 2>/dev/null)
		[ "${n:-0}" -ge "$count" ] && return 0
		sleep 0.1
	done
	return 1
}

t_wait_socket() {
	local path=$1 timeout=${2:-20} i
	for ((i = 0; i < timeout * 10; i++)); do
		[ -S "$path" ] && return 0
		sleep 0.1
	done
	return 1
}

# Start the app as a backend: t_start_backend NAME EAL-AND-APP-ARGS...
# Sets BE_PID and BE_LOG.
t_start_backend() {
	local name=$1
	shift
	BE_LOG=$T_DIR/$name.log
	BE_PREFIX=cvqsim-$name-$$
	"$CVQSIM_APP" --no-huge -m 256 --no-pci --file-prefix "$BE_PREFIX" \
		"$@" >"$BE_LOG" 2>&1 &
	BE_PID=$!
	T_PIDS+=("$BE_PID")
}

# Query the backend's telemetry socket: t_telemetry CMD -> the JSON value of
# CMD on stdout ({"/cvqsim/info": VALUE} -> VALUE).
t_telemetry() {
	local sock=/var/run/dpdk/$BE_PREFIX/dpdk_telemetry.v2
	[ "$(id -u)" = 0 ] || sock=${XDG_RUNTIME_DIR:-/tmp}/dpdk/$BE_PREFIX/dpdk_telemetry.v2
	/usr/bin/python3 - "$sock" "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.recv(1024)
s.send(sys.argv[2].encode())
print(json.dumps(json.loads(s.recv(65536).decode())[sys.argv[2].split(',')[0]]))
PY
}

# Start testpmd interactive, commands read from a fifo on fd 3:
# t_start_testpmd NAME EAL-ARGS... -- TESTPMD-ARGS...  Sets TP_PID, TP_LOG.
# Evaluate a Python expression over JSON (as d): t_json JSON EXPR.
t_json() {
	/usr/bin/python3 -c \
		'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' \
		"$1" "$2"
}

t_start_testpmd() {
	local name=$1 fifo
	shift
	TP_LOG=$T_DIR/$name.log
	fifo=$T_DIR/$name.fifo
	mkfifo "$fifo" || t_fail "mkfifo"
	# Its default mbuf pool (about 180000 mbufs, initialised one by one)
	# costs 1.5 s at every start, 15 s under a sanitizer: 8192 are plenty
	# for the few bursts a test has in flight. Callers end with testpmd's
	# own options (after --), so the option goes last.
	stdbuf -oL "$TESTPMD" --no-huge -m 256 --no-pci \
		--file-prefix "cvqsim-$name-$$" "$@" --total-num-mbufs=8192 \
		<"$fifo" >"$TP_LOG" 2>&1 &
	TP_PID=$!
	T_PIDS+=("$TP_PID")
	exec 3>"$fifo"
}

# Send one command to testpmd.
t_tp() {
	echo "$*" >&3 || t_fail "testpmd is gone (command: $*)"
}

# Run testpmd's "stop" and read the accumulated forward counters of that
# session into TP_RX and TP_TX.
t_tp_stop_counters() {
	local before block
	before=$(wc -l <"$TP_LOG")
	t_tp stop
	local i
	for ((i = 0; i < 100; i++)); do
		tail -n +"$((before + 1))" "$TP_LOG" | grep -q '^Done\.' && break
		sleep 0.1
	done
	block=$(tail -n +"$((before + 1))" "$TP_LOG" |
		sed -n '/Accumulated forward statistics/,/++++++++++++++++$/p')
	TP_RX=$(echo "$block" | sed -n 's/.*RX-packets: *\([0-9]*\).*/\1/p' | head -1)
	TP_TX=$(echo "$block" | sed -n 's/.*TX-packets: *\([0-9]*\).*/\1/p' | head -1)
	[ -n "$TP_RX" ] && [ -n "$TP_TX" ] ||
		t_fail "no forward statistics after stop"
}

# Assert a forwarding session passed traffic: RX > 0, |TX - RX| <= margin.
t_assert_loop() {
	local what=$1 margin=$2 diff
	diff=$((TP_TX - TP_RX))
	[ "$diff" -lt 0 ] && diff=$((-diff))
	t_log "$what: testpmd sent $TP_TX, received $TP_RX"
	[ "$TP_RX" -gt 0 ] || t_fail "$what: testpmd received nothing"
	[ "$diff" -le "$margin" ] ||
		t_fail "$what: sent $TP_TX, received $TP_RX: more than $margin apart"
}

# CPU time (utime + stime, in clock ticks) of thread $2 (comm) of pid $1.
t_thread_ticks() {
	local pid=$1 name=$2 t
	for t in /proc/"$pid"/task/*; do
		[ "$(cat "$t/comm" 2>/dev/null)" = "$name" ] || continue
		awk '{ print $14 + $15 }' "$t/stat"
		return 0
	done
	return 1
}

t_pass() {
	T_OK=1
	t_log "PASS ($((SECONDS - T_START))s)"
	exit 0
}

# Tests of the app in cases: t_app_cases CASE... runs the functions
# case_CASE in order, each within the budget, then passes. T_EAL holds the
# EAL options the cases share (main lcore 0, quiet vhost and EAL logs).
T_EAL=(-l 0 --log-level=lib.vhost.config:warning --log-level=lib.eal:warning)

t_app_cases() {
	local c
	[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set or not executable"
	t_init
	for c in "$@"; do
		"case_$c"
		t_check_budget
	done
	t_pass
}

