#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
#
# The kernel side of a net_tap port, over AF_PACKET on the tap interface:
#   capture IFACE COUNT TIMEOUT READY   wait for COUNT frames the guest sent
#       (the app's tagged raw frames, ethertype 0x88b5), check each one's tag
#       and pattern; touch READY once the socket listens; print the
#       destination MAC they carried; exit 1 if fewer arrive or one is bad
#   inject IFACE DST COUNT              send COUNT tagged raw frames to DST
#       from the kernel side (they reach the guest through the port), with
#       the app's tag and pattern so that its recv checks them
# The tag is the app's (app/test-vdpa-cvq/frames.c): magic, stream, seq,
# payload length, then byte i of the payload is (seq * 7 + i) & 0xff.

import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETHERTYPE = 0x88b5
MAGIC = 0x43565146
TAG_LEN = 16
PACKET_OUTGOING = 4


def tag_ok(frame):
    """Whether a frame carries the app's tag and an intact pattern."""
    if len(frame) < 14 + TAG_LEN:
        return False
    pay = frame[14:]
    magic, _stream, seq, plen = struct.unpack(">IIII", pay[:TAG_LEN])
    if magic != MAGIC or plen > len(pay):
        return False
    return all(pay[i] == (seq * 7 + i) & 0xff for i in range(TAG_LEN, plen))


def build(dst, src, stream, seq, plen):
    pay = bytearray(struct.pack(">IIII", MAGIC, stream, seq, plen))
    pay += bytes((seq * 7 + i) & 0xff for i in range(TAG_LEN, plen))
    return dst + src + struct.pack(">H", ETHERTYPE) + bytes(pay)


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def mac_text(raw):
    return ":".join("%02x" % b for b in raw)


def capture(iface, count, timeout, ready):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((iface, 0))
    s.settimeout(0.2)
    open(ready, "w").close()
    got, bad, dst = 0, 0, None
    deadline = time.monotonic() + timeout
    while got + bad < count and time.monotonic() < deadline:
        try:
            frame, addr = s.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[2] == PACKET_OUTGOING or len(frame) < 14:
            continue
        if struct.unpack(">H", frame[12:14])[0] != ETHERTYPE:
            continue        # kernel chatter, not the guest's frames
        if tag_ok(frame):
            got += 1
            dst = frame[:6]
        else:
            bad += 1
    print("kernel received %d tagged frames (%d bad) from the guest, dst %s"
          % (got, bad, mac_text(dst) if dst else "-"))
    if dst:
        print("dst " + mac_text(dst))
    return 0 if got == count and bad == 0 else 1


def inject(iface, dst, count):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    src = open("/sys/class/net/%s/address" % iface).read().strip()
    for seq in range(count):
        # Sizes 64..1000 bytes of payload: small and large frames.
        plen = 64 + (seq * 97) % 937
        s.send(build(mac_bytes(dst), mac_bytes(src), 0, 5000 + seq, plen))
    print("kernel sent %d tagged frames to %s" % (count, dst))
    return 0


def main(argv):
    if len(argv) == 6 and argv[1] == "capture":
        return capture(argv[2], int(argv[3]), float(argv[4]), argv[5])
    if len(argv) == 5 and argv[1] == "inject":
        return inject(argv[2], argv[3], int(argv[4]))
    sys.stderr.write(__doc__ or "usage: tap.py capture|inject ...\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
