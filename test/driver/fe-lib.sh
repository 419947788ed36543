# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# What the frontend driver tests share: a private directory and socket, the
# processes they start (stopped by PID at exit) and their DPDK runtime
# directories, logs kept on failure. Source it after setting NAME.

START=$SECONDS
DIR=$(mktemp -d "${TMPDIR:-/tmp}/cvqsim-$NAME.XXXXXX") || exit 1
SOCK=$DIR/vhost.sock
PIDS=()
PREFIXES=()
OK=0

log() {
	printf '[%s %3ds] %s\n' "$NAME" $((SECONDS - START)) "$*"
}

stop_pid() {
	local pid=$1 sig=${2:-INT} i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -"$sig" "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

cleanup() {
	local pid p
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	for p in "${PREFIXES[@]}"; do
		rm -rf "/var/run/dpdk/$p"
	done
	if [ "$OK" = 1 ]; then
		rm -rf "$DIR"
	else
		for p in "$DIR"/*.log; do
			[ -f "$p" ] || continue
			echo "----- $(basename "$p") (last 30 lines) -----"
			tail -n 30 "$p"
		done
		echo "logs kept in $DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	log "FAIL: $*"
	exit 1
}

# Wait up to 30 s for $SOCK while process $1 (named $2 in messages) lives.
wait_socket() {
	local pid=$1 what=$2 i
	for ((i = 0; i < 300; i++)); do
		[ -S "$SOCK" ] && return 0
		kill -0 "$pid" 2>/dev/null || fail "$what exited"
		sleep 0.1
	done
	fail "$what: no socket after 30 s"
}

# Run one frontend-check and keep its output.
check() {
	local tag=$1
	shift
	log "check $tag: $*"
	timeout 120 "$CHECK" --socket "$SOCK" "$@" >"$DIR/check-$tag.log" 2>&1
	local rc=$?
	grep -v '^open: offered' "$DIR/check-$tag.log" | sed 's/^/    /'
	[ $rc = 0 ] || fail "check $tag exited $rc"
}
