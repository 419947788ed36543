#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Run one scenario of dpdk-test-vdpa-cvq.
#
#   run.sh self  APP SCENARIO.cmd   backend and frontend in one process,
#                                   then "migrate check" on the device state
#   run.sh split APP SCENARIO.cmd   a backend process, then a frontend
#                                   process connected to it (--connect)
#   run.sh shadow APP SCENARIO.cmd  self, the backend in the VM case
#   run.sh shadow-split APP SCN     split, the backend in the VM case
#                                   (--shadow-cvq: the control queue goes
#                                   through the app's shadow ring in ASID
#                                   1); at the end the shadow's state must
#                                   equal the device's ("show shadow")
#   run.sh shadow-ext APP SCN       shadow-split with an independent
#                                   frontend, test/extfe (EXTFE=path):
#                                   not the app's own; it also checks the
#                                   backend's telemetry (/cvqsim/info: the
#                                   control-queue group on ASID 1, the
#                                   data group on ASID 0) while connected
#   run.sh ext APP SCN              the same frontend against a backend
#                                   in the DPDK case (both groups on
#                                   ASID 0, as telemetry must show)
#
# A scenario may carry directives in comments:
#   #@ vdev: ARGS    devargs of the device after "vdpa_cvqsim0," (queues=4)
#   #@ args: OPTS    frontend options (e.g. --fe-features-off CTRL_VLAN)
#   #@ modes: LIST   the modes it can run in (default "self split")
#   #@ port: VDEV    VF-parent mode over the port --vdev VDEV creates
#   #@ layouts: LIST the ring layouts it can run in (default "split packed")
#   #@ backend-log: TEXT  the log of the process hosting the device must
#                    contain TEXT (a fixed string; one line per TEXT)
#
# Env: SCENARIO_PORT=VDEV  runs the device in VF-parent mode over the port
#      created by --vdev VDEV (e.g. net_ring0): port=<its name>.
# SCENARIO_LAYOUT=packed runs the frontend on packed virtqueues (--packed);
# the default is split.
#
# Every process is started here and stopped by its PID; each gets its own
# --file-prefix and the socket lives in a private directory. The whole run
# is bounded by SCENARIO_BUDGET seconds (default 60). Exit status: 0 pass,
# 1 fail, 77 skip (mode not supported by the scenario).

set -u

MODE=${1:-}
APP=${2:-}
SCN=${3:-}
BUDGET=${SCENARIO_BUDGET:-60}
LAYOUT=${SCENARIO_LAYOUT:-split}

case $MODE in
self | split) BASE=$MODE SHADOW=() ;;
shadow) BASE=self SHADOW=(--shadow-cvq) ;;
shadow-split) BASE=split SHADOW=(--shadow-cvq) ;;
shadow-ext) BASE=split SHADOW=(--shadow-cvq) ;;
ext) BASE=split SHADOW=() ;;
*) SCN= ;;
esac
if [ -z "$SCN" ]; then
	echo "usage: $0 self|split|shadow|shadow-split|shadow-ext|ext APP SCENARIO.cmd" >&2
	exit 2
fi
EXT_ASID=()
case $MODE in
shadow-ext | ext)
	if [ ! -x "${EXTFE:-}" ]; then
		echo "$MODE: EXTFE must name the extfe executable" >&2
		exit 2
	fi
	[ "$MODE" = ext ] && EXT_ASID=(--expect-cvq-asid 0)
	;;
esac
[ -x "$APP" ] || { echo "$APP: not executable" >&2; exit 1; }
[ -r "$SCN" ] || { echo "$SCN: not readable" >&2; exit 1; }

NAME=$(basename "$SCN" .cmd)
START=$SECONDS
PIDS=()
DIR=
OK=0

directive() {
	sed -n "s/^#@ *$1: *//p" "$SCN" | head -n 1
}

VDEV_ARGS=$(directive vdev)
VDEV_ARGS=${VDEV_ARGS:-queues=4}
FE_ARGS=$(directive args)
MODES=$(directive modes)
MODES=${MODES:-self split}
LAYOUTS=$(directive layouts)
LAYOUTS=${LAYOUTS:-split packed}

case " $MODES " in
*" $BASE "*) ;;
*) echo "SKIP: $NAME runs in: $MODES"; exit 77 ;;
esac
case " $LAYOUTS " in
*" $LAYOUT "*) ;;
*) echo "SKIP: $NAME runs on: $LAYOUTS rings"; exit 77 ;;
esac
[ "$LAYOUT" = packed ] && FE_ARGS="--packed $FE_ARGS"

log() {
	printf '[%s/%s/%s %3ds] %s\n' "$NAME" "$MODE" "$LAYOUT" \
		$((SECONDS - START)) "$*"
}

# Stop a process of ours: SIGINT, SIGKILL after $2 seconds. Returns its
# exit status (127 if it was already reaped).
stop_pid() {
	local pid=$1 grace=${2:-5} i
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return; }
	kill -INT "$pid" 2>/dev/null
	for ((i = 0; i < grace * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "pid $pid did not stop on SIGINT: SIGKILL"
		kill -KILL "$pid" 2>/dev/null
	fi
	wait "$pid" 2>/dev/null
}

cleanup() {
	local pid
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid" 3
	done
	if [ -n "$DIR" ]; then
		if [ "$OK" = 1 ] && [ -z "${KEEP_LOGS:-}" ]; then
			rm -rf "$DIR"
		else
			echo "logs kept in $DIR"
		fi
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Wait for pid $1 until the budget ends; its exit status, or 124.
wait_pid() {
	local pid=$1
	while kill -0 "$pid" 2>/dev/null; do
		if [ $((SECONDS - START)) -ge "$BUDGET" ]; then
			log "over the ${BUDGET}s budget: stopping pid $pid"
			stop_pid "$pid" 5
			return 124
		fi
		sleep 0.1
	done
	wait "$pid"
}

DIR=$(mktemp -d "${TMPDIR:-/tmp}/cvqsim-scn-$NAME.XXXXXX") || exit 1
SOCK=$DIR/vhost.sock
EAL=(--no-huge -m 256 --no-pci -l 0
	--log-level=lib.vhost.config:warning --log-level=lib.eal:warning)
# The device's poll thread on the other CPU than the main threads.
VDEV="vdpa_cvqsim0,$VDEV_ARGS,cpu=1"
# VF-parent mode: the port's vdev first, so that probe finds it.
PORT_VDEV=()
SCENARIO_PORT=${SCENARIO_PORT:-$(directive port)}
if [ -n "$SCENARIO_PORT" ]; then
	PORT_VDEV=(--vdev "$SCENARIO_PORT")
	VDEV="$VDEV,port=${SCENARIO_PORT%%,*}"
fi
# A loaded machine may delay the device's answers: wait up to 5 s for each.
# shellcheck disable=SC2206 # options are words
FE_OPTS=(--fe-ctrl-timeout 5000 $FE_ARGS)

# The log of the process that hosts the device.
BE_LOG_FILE=$DIR/backend.log
if [ "$BASE" = self ]; then
	# Then the device state the scenario left must come back the same,
	# byte for byte, restored from its device parts and by replaying the
	# control commands (QEMU's order): "migrate check".
	{ cat "$SCN"; printf '\nmigrate check\n'; } >"$DIR/scenario.cmd"
	log "one process: --vdev $VDEV --self ${SHADOW[*]} ${FE_ARGS}"
	"$APP" "${EAL[@]}" --file-prefix "cvqsim-scn-$NAME-$$" \
		"${PORT_VDEV[@]}" --vdev "$VDEV" -- \
		--self --iface "$SOCK" "${SHADOW[@]}" "${FE_OPTS[@]}" \
		--cmdline-file "$DIR/scenario.cmd" >"$BE_LOG_FILE" 2>&1 &
	PID=$!
	PIDS+=("$PID")
	wait_pid "$PID"
	status=$?
	cat "$BE_LOG_FILE"
else
	log "backend process: --vdev $VDEV --iface $SOCK"
	"$APP" "${EAL[@]}" --file-prefix "cvqsim-scn-be-$NAME-$$" \
		"${PORT_VDEV[@]}" --vdev "$VDEV" -- --iface "$SOCK" "${SHADOW[@]}" \
		>"$BE_LOG_FILE" 2>&1 &
	BE_PID=$!
	PIDS+=("$BE_PID")
	for ((i = 0; i < 200; i++)); do
		[ -S "$SOCK" ] && break
		kill -0 "$BE_PID" 2>/dev/null || break
		sleep 0.1
	done
	if [ ! -S "$SOCK" ]; then
		log "FAIL: the backend did not create $SOCK"
		cat "$DIR/backend.log"
		exit 1
	fi
	if [ -n "${EXTFE:-}" ] && [ "${MODE%ext}" != "$MODE" ]; then
		# DPDK's runtime directory of the backend's --file-prefix.
		RUN_DIR=${XDG_RUNTIME_DIR:-/tmp}
		[ "$(id -u)" = 0 ] && RUN_DIR=/var/run
		TEL=$RUN_DIR/dpdk/cvqsim-scn-be-$NAME-$$/dpdk_telemetry.v2
		log "external frontend: $EXTFE --connect $SOCK ${FE_ARGS}"
		"$EXTFE" --connect "$SOCK" --script "$SCN" "${FE_OPTS[@]}" \
			--telemetry "$TEL" --telemetry-dev vdpa_cvqsim0 \
			"${EXT_ASID[@]}" &
	else
		log "frontend process: --connect $SOCK ${FE_ARGS}"
		"$APP" "${EAL[@]}" --file-prefix "cvqsim-scn-fe-$NAME-$$" -- \
			--connect "$SOCK" "${FE_OPTS[@]}" --cmdline-file "$SCN" &
	fi
	FE_PID=$!
	PIDS+=("$FE_PID")
	wait_pid "$FE_PID"
	status=$?
	# The backend exits non-zero when the device counted ring errors.
	stop_pid "$BE_PID" 5
	be_status=$?
	echo "----- backend log -----"
	cat "$DIR/backend.log"
	if [ "$status" = 0 ] && [ "$be_status" != 0 ]; then
		log "the backend exited with status $be_status"
		status=1
	fi
fi

# The VM case: the shadow relayed, and its state is the device's.
if [ "$status" = 0 ] && [ ${#SHADOW[@]} -gt 0 ]; then
	if ! grep -q 'equals the device state' "$BE_LOG_FILE" ||
			grep -q 'DIFFERS from the device state' "$BE_LOG_FILE"; then
		log "the shadow's state is not the device's (show shadow above)"
		status=1
	fi
fi

# What the device's process must have said.
while IFS= read -r want; do
	[ "$status" = 0 ] && [ -n "$want" ] || continue
	if ! grep -qF -- "$want" "$BE_LOG_FILE"; then
		log "the backend log does not say: $want"
		status=1
	fi
done < <(sed -n 's/^#@ *backend-log: *//p' "$SCN")

if [ "$status" = 0 ]; then
	OK=1
	log "PASS ($((SECONDS - START))s)"
	exit 0
fi
log "FAIL (status $status)"
exit 1
