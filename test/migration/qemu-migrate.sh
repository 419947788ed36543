#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# Live migration of a Linux guest between two QEMUs whose vhost-user
# backends are two dpdk-test-vdpa-cvq processes hosting cvqsim devices
# (suite slow-tests, about a minute).
#
#   backend A (cvqsim, dirty logging) <- QEMU src  --migrate-->  QEMU dst
#   backend B (cvqsim)                <- QEMU dst (-incoming)
#
# The guest is Debian's kernel with a busybox initramfs built here: it
# loads the virtio modules, brings eth0 up and keeps sending ARP requests
# (the cvqsim loopback hands each back to it), printing its eth0 receive
# counter twice a second on the serial console. The test migrates while
# the guest runs, waits for "completed", and checks that the guest goes on
# receiving on the destination: its counter keeps growing in the
# destination's console, past its value at the switch. It reports the
# total time and the downtime QEMU measured, and that backend A saw
# LOG_ALL switched on (dirty logging) during the migration.
#
# Needs (Debian 12): apt-get install qemu-system-x86 linux-image-amd64
#   busybox-static cpio kmod socat  (devtools/install-deps.sh --migration)
# QEMU runs with -accel tcg (no usable KVM here), guest memory in a shared
# memfd (vhost-user), MSI-X off on the NIC (vectors=0: QEMU 7.2 + TCG +
# vhost-user crashes at DRIVER_OK with MSI-X).
#
# First the migration is interrupted: the destination QEMU is killed while
# the source copies memory with dirty logging on. The migration must fail,
# the guest keep receiving on the source (backend A turns logging off
# again) and backend B serve the next destination QEMU, to which the guest
# then moves.
#
# Usage: qemu-migrate.sh   (CVQSIM_APP: dpdk-test-vdpa-cvq; the result line
#        "migration: total N ms, downtime M ms" goes to stdout)

. "$(dirname "$0")/../driver/lib.sh"

TEST_BUDGET=${TEST_BUDGET:-240}
QEMU=${QEMU:-$(command -v qemu-system-x86_64 || true)}
KERNEL=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
MEM_MB=${MIG_MEM_MB:-512}

[ -x "$CVQSIM_APP" ] || t_fail "CVQSIM_APP not set"
[ -n "$QEMU" ] || t_skip "qemu-system-x86_64 not installed (see the header)"
[ -n "$KERNEL" ] || t_skip "no /boot/vmlinuz-* (apt-get install linux-image-amd64)"
command -v busybox >/dev/null && busybox --list | grep -qx arping ||
	t_skip "busybox-static not installed"
command -v socat >/dev/null || t_skip "socat not installed"
command -v cpio >/dev/null || t_skip "cpio not installed"
KVER=${KERNEL#/boot/vmlinuz-}
MODDIR=/lib/modules/$KVER/kernel
[ -d "$MODDIR" ] || t_skip "no modules for $KVER"

t_init
QEMU_PIDS=()

# ---- the guest: busybox initramfs --------------------------------------
build_initramfs() {
	local root=$T_DIR/initramfs m
	mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
	cp "$(command -v busybox)" "$root/bin/busybox"
	for m in drivers/virtio/virtio_ring drivers/virtio/virtio \
		drivers/virtio/virtio_pci_modern_dev \
		drivers/virtio/virtio_pci_legacy_dev drivers/virtio/virtio_pci \
		net/core/failover drivers/net/net_failover \
		drivers/net/virtio_net; do
		[ -f "$MODDIR/$m.ko" ] || t_skip "module $m.ko missing in $MODDIR"
		cp "$MODDIR/$m.ko" "$root/lib/modules/"
	done
	cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev \
	virtio_pci failover net_failover virtio_net; do
	insmod /lib/modules/$m.ko
done
ip link set eth0 up
ip addr add 10.99.0.1/24 dev eth0
echo "GUEST UP"
# ARP requests for a neighbour that does not exist: the loopback of the
# cvqsim device gives each one back to eth0.
(while true; do arping -c 1 -w 1 -I eth0 10.99.0.2 >/dev/null 2>&1; done) &
while true; do
	echo "RX $(cat /sys/class/net/eth0/statistics/rx_packets)"
	sleep 0.5
done
EOF
	chmod +x "$root/init"
	(cd "$root" && find . | cpio -o -H newc 2>/dev/null | gzip -1) \
		>"$T_DIR/initramfs.gz" || t_fail "cpio"
}

# ---- processes --------------------------------------------------------------
start_backend() {
	local name=$1
	"$CVQSIM_APP" --no-huge -m 256 --no-pci -l 0 \
		--file-prefix "cvqsim-mig-$name-$$" \
		--log-level=pmd.vdpa.cvqsim:info \
		--vdev vdpa_cvqsim0,queues=1 -- --iface "$T_DIR/$name.sock" \
		>"$T_DIR/backend-$name.log" 2>&1 &
	T_PIDS+=($!)
	t_wait_socket "$T_DIR/$name.sock" 20 || t_fail "backend $name: no socket"
}

# start_qemu NAME SOCKET [extra args]
start_qemu() {
	local name=$1 sock=$2
	shift 2
	"$QEMU" -accel tcg -m "$MEM_MB" -smp 1 -nodefaults -display none \
		-object memory-backend-memfd,id=mem,size="${MEM_MB}M",share=on \
		-numa node,memdev=mem \
		-kernel "$KERNEL" -initrd "$T_DIR/initramfs.gz" \
		-append "console=ttyS0 quiet panic=-1" -no-reboot \
		-serial "file:$T_DIR/console-$name.log" \
		-monitor "unix:$T_DIR/mon-$name.sock,server,nowait" \
		-chardev "socket,id=chr0,path=$sock" \
		-netdev vhost-user,id=net0,chardev=chr0 \
		-device virtio-net-pci,netdev=net0,vectors=0,mac=52:54:00:c5:00:01 \
		"$@" >"$T_DIR/qemu-$name.log" 2>&1 &
	T_PIDS+=($!)
	QEMU_PIDS+=($!)
}

monitor() {
	echo "$2" | socat - "UNIX-CONNECT:$T_DIR/mon-$1.sock" 2>/dev/null |
		tr -d '\r'
}

# Last receive counter the guest printed on console NAME.
rx_count() {
	local n
	n=$(grep -aoE '^RX [0-9]+' "$T_DIR/console-$1.log" 2>/dev/null |
		tail -n 1 | cut -d' ' -f2)
	echo "${n:-0}"
}

# Poll the source's "info migrate" until the migration ends; sets INFO and
# STATUS (completed, failed or cancelled).
wait_migration() {
	local i
	STATUS=
	for ((i = 0; i < 1200; i++)); do
		INFO=$(monitor src "info migrate")
		STATUS=$(sed -n 's/^Migration status: *\([a-z-]*\).*/\1/p' \
			<<<"$INFO" | head -n 1)
		case $STATUS in
		completed|failed|cancelled) return 0 ;;
		esac
		sleep 0.1
	done
}

# The guest's counter on console NAME grows within 5 s.
still_receiving() {
	local from i
	from=$(rx_count "$1")
	for ((i = 0; i < 50; i++)); do
		[ "$(rx_count "$1")" -gt "${from:-0}" ] && return 0
		sleep 0.1
	done
	return 1
}

build_initramfs
start_backend a
start_backend b
PORT=$((20000 + $$ % 20000))
start_qemu src "$T_DIR/a.sock"
start_qemu dst1 "$T_DIR/b.sock" -incoming "tcp:127.0.0.1:$PORT"

t_wait_log "$T_DIR/console-src.log" '^GUEST UP' 1 90 ||
	t_fail "guest did not boot on the source"
t_wait_log "$T_DIR/console-src.log" '^RX [1-9]' 3 60 ||
	t_fail "guest receives nothing on the source"
t_log "guest up on the source, receiving (eth0 rx_packets $(rx_count src))"
t_check_budget

# Interrupted: the destination dies while the source copies memory (dirty
# logging on). The migration fails, the guest goes on on the source, and
# backend B, whose frontend vanished, serves the next QEMU.
monitor src "migrate -d tcp:127.0.0.1:$PORT" >/dev/null
t_wait_log "$T_DIR/backend-a.log" "dirty logging on" 1 20 ||
	t_fail "backend A: LOG_ALL never switched on"
offs=$(grep -c "dirty logging off" "$T_DIR/backend-a.log")
kill -KILL "${QEMU_PIDS[1]}"
wait_migration
[ "$STATUS" = failed ] || t_fail "migration to a dead destination: $STATUS"
t_wait_log "$T_DIR/backend-a.log" "dirty logging off" $((offs + 1)) 20 ||
	t_fail "backend A: LOG_ALL not switched off after the failure"
still_receiving src || t_fail "guest stopped receiving after the failure"
t_log "destination killed during the copy: migration failed, the guest" \
	"keeps receiving on the source, backend A logging off again"

start_qemu dst "$T_DIR/b.sock" -incoming "tcp:127.0.0.1:$((PORT + 1))"
sleep 1
before=$(rx_count src)
monitor src "migrate -d tcp:127.0.0.1:$((PORT + 1))" >/dev/null
wait_migration
status=$STATUS
info=$INFO
[ "$status" = completed ] || { echo "$info"; t_fail "migration $status"; }
total=$(sed -n 's/^total time: *\([0-9]*\) ms.*/\1/p' <<<"$info")
downtime=$(sed -n 's/^downtime: *\([0-9]*\) ms.*/\1/p' <<<"$info")
at_switch=$(rx_count src)
t_log "migration completed: total ${total:-?} ms, downtime ${downtime:-?} ms" \
	"(guest rx_packets $before at the start, $at_switch at the switch)"
echo "migration: total ${total:-?} ms, downtime ${downtime:-?} ms"

# The guest runs on the destination now and must keep receiving.
t_wait_log "$T_DIR/console-dst.log" '^RX [0-9]+' 6 60 ||
	t_fail "no console output from the guest on the destination"
first=$(grep -aoE '^RX [0-9]+' "$T_DIR/console-dst.log" | head -n 1 |
	cut -d' ' -f2)
# A loaded machine runs the TCG guest slowly: up to 30 s for more frames.
for ((i = 0; i < 300; i++)); do
	last=$(rx_count dst)
	[ "$last" -gt "${first:-0}" ] && break
	sleep 0.1
done
t_log "destination: guest rx_packets $first -> $last"
[ "${first:-0}" -ge "${at_switch:-0}" ] ||
	t_fail "counter went back ($first < $at_switch): not the same guest"
[ "${last:-0}" -gt "${first:-0}" ] ||
	t_fail "the guest receives nothing on the destination"
# The QEMUs first: a backend gone under a running QEMU only adds noise.
for pid in "${QEMU_PIDS[@]}"; do
	t_stop_pid "$pid" 5
done
grep -q "dirty logging on" "$T_DIR/backend-a.log" ||
	t_fail "backend A never had LOG_ALL on"
grep -q "dirty logging on" "$T_DIR/backend-b.log" &&
	t_log "note: backend B logged too (the destination QEMU asked for it)"
t_pass
