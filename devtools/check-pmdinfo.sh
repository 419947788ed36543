#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Check the PMD info the plugin carries, as DPDK's own tool reads it:
# dpdk-pmdinfo.py must find the driver DRIVER in PLUGIN, and report the
# parameter string that SOURCE declares with RTE_PMD_REGISTER_PARAM_STRING,
# and every parameter key must be a string the source knows (SOURCE, or one
# of the KEY_SOURCEs: the files that parse the keys).
# Usage: check-pmdinfo.sh PLUGIN SOURCE [DRIVER [KEY_SOURCE...]]

set -eu

if [ $# -lt 2 ]; then
	echo "usage: $0 PLUGIN SOURCE [DRIVER [KEY_SOURCE...]]" >&2
	exit 2
fi
plugin=$1
source=$2
driver=${3:-vdpa_cvqsim}
shift $(($# < 3 ? $# : 3))
key_sources=("$source" "$@")

fail()
{
	echo "check-pmdinfo: FAIL: $*" >&2
	exit 1
}

pmdinfo=$(command -v dpdk-pmdinfo.py || true)
[ -n "$pmdinfo" ] || pmdinfo=/usr/bin/dpdk-pmdinfo.py
[ -x "$pmdinfo" ] || fail "dpdk-pmdinfo.py not found (Debian package: dpdk)"
[ -f "$plugin" ] || fail "no plugin at $plugin"
[ -f "$source" ] || fail "no driver source at $source"

# The parameter string as the source declares it: the string literals
# between RTE_PMD_REGISTER_PARAM_STRING(<driver>, and the closing ");".
expected=$(awk -v drv="$driver" '
	index($0, "RTE_PMD_REGISTER_PARAM_STRING(" drv ",") { on = 1 }
	on { print }
	on && /\);/ { exit }' "$source" |
	grep -o '"[^"]*"' | sed 's/^"//; s/"$//' | tr -d '\n')
[ -n "$expected" ] || fail "$source has no RTE_PMD_REGISTER_PARAM_STRING($driver, ...)"

json=$("$pmdinfo" "$plugin") || fail "$pmdinfo $plugin exited with $?"

# One line per entry named $driver: its params (or <none>).
found=$(printf '%s' "$json" | /usr/bin/python3 -c 'import json, sys
[print(d.get("params", "<none>")) for d in json.load(sys.stdin) if d.get("name") == sys.argv[1]]
' "$driver") || fail "dpdk-pmdinfo.py output is not the expected JSON: $json"

count=$(printf '%s' "$found" | grep -c '' || true)
[ "$count" -eq 1 ] || fail "expected one '$driver' entry in $plugin, found $count: $json"
[ "$found" = "$expected" ] ||
	fail "params differ: plugin has '$found', $source declares '$expected'"

# Every key=<...> of the string must be a string literal of the source, so
# the documented keys are the ones the driver parses.
for kv in $found; do
	key=${kv%%=*}
	[ "$key" != "$kv" ] || fail "parameter '$kv' is not of the form key=<value>"
	grep -q "\"$key\"" "${key_sources[@]}" ||
		fail "key '$key' is documented but not in ${key_sources[*]}"
done

echo "check-pmdinfo: $driver found in $(basename "$plugin"), params: $found"
