#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Install the Debian 12 packages cvqsim needs, only those that are missing
# (as root, or through sudo).
#
#   install-deps.sh              what the build and the default tests need
#   install-deps.sh --migration  also QEMU, a Debian kernel and busybox for
#                                the live migration test (slow-tests,
#                                test/migration/qemu-migrate.sh)

set -eu

# clang and libclang-rt-14-dev: the clang build, the libFuzzer harnesses and
# the sanitizer runtimes; python3-sphinx: the guides.
PACKAGES="dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config
python3-pyelftools gcc clang libclang-rt-14-dev python3-sphinx"
if [ "${1:-}" = --migration ]; then
	PACKAGES="$PACKAGES qemu-system-x86 linux-image-amd64 busybox-static
cpio kmod socat"
fi

missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "installing:$missing"
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
$sudo apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $missing
