#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# dpdk-test-vdpa-cvq's command line as a person meets it, at the prompt
# (-i, keys piped in) and in a script:
#   same     the mistakes of every parse error class give the same one-line
#            message at the prompt and in a script, with the usage;
#   help     help prints no literal '%%'; completion lists each word once;
#   backend  in the backend role, show state / show config / expect state
#            read the device in this process;
#   gated    a control command refused because the frontend did not
#            negotiate the feature its data needs says so;
#   drops    recv says how many frames the device dropped, and why.
#
#   app-cmdline.sh [CASE...]    (env CVQSIM_APP: the app)

. "$(dirname "$0")/lib.sh"


# run NAME VDEV-ARGS APP-ARGS... < input: the app's output in $T_DIR/NAME.log
run() {
	local name=$1 vdev=$2
	shift 2
	timeout 40 "$CVQSIM_APP" --no-huge -m 256 --no-pci \
		--file-prefix "cvqsim-$name-$$" "${T_EAL[@]}" \
		--vdev "vdpa_cvqsim0,$vdev,cpu=1" -- "$@" >"$T_DIR/$name.log" 2>&1
}

MISTAKES=(
	"bogus 1 2"
	"ctrl rx promisc"
	"ctrl vlan add 70000"
	"expect ack maybe"
	"help bogus"
	"ctrl mac addr 02:00:00:00:00"
	"show state extra"
	"ctrl mq pairs two"
	"sleep 999999"
	"ctrl rss table 1,x"
)

case_same() {
	local m i=0 prompt script
	for m in "${MISTAKES[@]}"; do
		echo "try $m"
	done >"$T_DIR/same.cmd"
	run same-script queues=2 --self --cmdline-file "$T_DIR/same.cmd" ||
		t_fail "same: the script failed"
	{ printf '%s\n' "${MISTAKES[@]}"; echo quit; } |
		run same-prompt queues=2 --self -i ||
		t_fail "same: the prompt session failed"
	for m in "${MISTAKES[@]}"; do
		i=$((i + 1))
		script=$(grep -F "error at $T_DIR/same.cmd:$i: " "$T_DIR/same-script.log" |
			sed 's/^error at [^ ]*: //')
		prompt=$(grep -F "error: " "$T_DIR/same-prompt.log" |
			sed -n "${i}p" | sed 's/^.*error: //')
		[ -n "$script" ] || t_fail "same: '$m': no error in the script"
		[ "$script" = "$prompt" ] ||
			t_fail "same: '$m': script says '$script', prompt says '$prompt'"
		case $script in
		*"; usage: "*|"unknown command '"*"(help lists them)") ;;
		*) t_fail "same: '$m': no usage in '$script'" ;;
		esac
		t_log "same: $m -> $script"
	done
	grep -q "Bad arguments" "$T_DIR/same-prompt.log" &&
		t_fail "same: a bare 'Bad arguments' at the prompt"
	return 0
}

case_help() {
	local n w
	# "ctrl " then TAB lists the words; Ctrl-A Ctrl-K clear the line.
	printf 'help\nctrl \t\001\013quit\n' | run help queues=2 --self -i ||
		t_fail "help: the prompt session failed"
	grep -q '%%' "$T_DIR/help.log" && t_fail "help: a literal '%%' in help"
	grep -q 'table i%pairs' "$T_DIR/help.log" ||
		t_fail "help: the RSS table default is not printed"
	for w in mac rss hash coal stats rx vlan; do
		n=$(grep -c "^ $w  " "$T_DIR/help.log")
		[ "$n" = 1 ] || t_fail "help: completion lists '$w' $n times"
	done
	grep -q "^ mac .*ctrl mac addr .* | ctrl mac table" "$T_DIR/help.log" ||
		t_fail "help: the 'mac' choice does not give both usages"
	t_log "help: no '%%', every completion word once"
}

case_backend() {
	printf '%s\n' "show state" "show config" "expect state promisc on" \
		"expect state config max_pairs 2" quit |
		run backend queues=2 --iface "$T_DIR/be.sock" -i ||
		t_fail "backend: the session failed"
	grep -q "no frontend" "$T_DIR/backend.log" &&
		t_fail "backend: a device command asks for a frontend"
	grep -q "^device model (source: device" "$T_DIR/backend.log" ||
		t_fail "backend: show state does not show the device"
	grep -q "max_virtqueue_pairs 2" "$T_DIR/backend.log" ||
		t_fail "backend: show config does not show the device's config"
	grep -q "^error" "$T_DIR/backend.log" && t_fail "backend: an error"
	t_log "backend: show state, show config, expect state work"
}

case_gated() {
	printf 'ctrl offloads guest_csum\nexpect ack err\nctrl vlan add 5\nexpect ack err\n' \
		>"$T_DIR/gated.cmd"
	run gated queues=2 --self --fe-features-off CTRL_VLAN \
		--cmdline-file "$T_DIR/gated.cmd" || t_fail "gated: the script failed"
	grep -q "ctrl offloads guest_csum (0x2): ERR (GUEST_CSUM not negotiated)" \
		"$T_DIR/gated.log" || t_fail "gated: no note on the offload's feature"
	grep -q "ctrl vlan add 5: ERR (CTRL_VLAN not negotiated)" \
		"$T_DIR/gated.log" || t_fail "gated: no note on CTRL_VLAN"
	t_log "gated: the missing features are named"
}

case_drops() {
	local got lost
	printf 'send count 64\nrecv\n' >"$T_DIR/drops.cmd"
	run drops queues=1 --self --fe-queue-size 16 \
		--cmdline-file "$T_DIR/drops.cmd" || t_fail "drops: the script failed"
	# How many find no buffer depends on how far the device got before
	# recv refilled the ring: at least 16 come back, and every frame is
	# either received or named as dropped.
	got=$(sed -n 's/^received \([0-9]*\) frames: q0 [0-9]*$/\1/p' "$T_DIR/drops.log")
	lost=$(sed -n 's/^  the device dropped \([0-9]*\) of the 64 frames sent: '\
'no receive buffer \([0-9]*\)$/\1 \2/p' "$T_DIR/drops.log")
	[ -n "$got" ] && [ "$got" -ge 16 ] || t_fail "drops: received '$got'"
	[ -n "$lost" ] || t_fail "drops: recv does not say what was dropped"
	# shellcheck disable=SC2086 # two numbers
	set -- $lost
	[ "$1" = "$2" ] && [ $((got + $1)) = 64 ] ||
		t_fail "drops: $got received and $1 dropped ($2 no buffer) of 64"
	t_log "drops: $got received, $1 named as dropped for want of buffers"
}

[ $# -gt 0 ] || set -- same help backend gated drops
t_app_cases "$@"
