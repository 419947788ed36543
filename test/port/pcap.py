#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
"""Write or compare the pcap files of the VF-parent round trip.

  pcap.py write FILE N   N Ethernet/IPv4/UDP frames of mixed sizes (60 to
                         1514 bytes), each numbered in its payload
  pcap.py feed FIFO REF N GO [K GO2]
                         the same N frames into REF, and through FIFO (a
                         named pipe the pcap port reads): the header at
                         once, the frames once file GO exists, then end of
                         file; with K and GO2, only the first K frames
                         once GO exists, the others once GO2 exists
  pcap.py same A B       B holds the frames of A, byte for byte, in order
"""
import os
import struct
import sys
import time

LINKTYPE_ETHERNET = 1


def frames_of(path):
    with open(path, 'rb') as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit(f'{path}: not a pcap file ({len(data)} bytes)')
    magic = struct.unpack('<I', data[:4])[0]
    endian = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + 'IIII', data[off:off + 16])
        out.append(data[off + 16:off + 16 + incl])
        off += 16 + incl
    return out


def csum(b):
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(i, size):
    payload_len = size - 14 - 20 - 8
    payload = struct.pack('!I', i) + bytes((i + k) & 0xff
                                           for k in range(payload_len - 4))
    udp = struct.pack('!HHHH', 1024 + i, 2048, 8 + payload_len, 0) + payload
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i, 0, 64, 17,
                     0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    eth = bytes.fromhex('0263767100000200000000010800')
    return eth + ip + udp


HEADER = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535,
                     LINKTYPE_ETHERNET)


def records(n):
    sizes = [60, 64, 128, 256, 512, 1000, 1514, 333, 77, 1400]
    out = b''
    for i in range(n):
        fr = frame(i, sizes[i % len(sizes)])
        out += struct.pack('<IIII', i, 0, len(fr), len(fr)) + fr
    return out


def write(path, n):
    with open(path, 'wb') as f:
        f.write(HEADER + records(n))


def wait_for(go, end):
    while not os.path.exists(go):
        if time.monotonic() > end:
            raise SystemExit(f'feed: {go} never appeared')
        time.sleep(0.05)


def feed(fifo, ref, n, go, k=None, go2=None, timeout=90):
    write(ref, n)
    recs = records(n)
    if k is None:
        k = n
    # Offset of frame k in the records.
    off = 0
    for _ in range(k):
        off += 16 + struct.unpack('<IIII', recs[off:off + 16])[2]
    with open(fifo, 'wb') as f:
        f.write(HEADER)
        f.flush()
        end = time.monotonic() + timeout
        wait_for(go, end)
        f.write(recs[:off])
        f.flush()
        if off < len(recs):
            wait_for(go2, end)
            f.write(recs[off:])


def same(a, b):
    fa, fb = frames_of(a), frames_of(b)
    for i, (x, y) in enumerate(zip(fa, fb)):
        if x != y:
            print(f'frame {i} differs: sent {len(x)} bytes, got {len(y)}')
            return 1
    if len(fa) != len(fb):
        print(f'{len(fa)} frames sent, {len(fb)} came back')
        return 1
    print(f'{len(fa)} frames, byte for byte and in order')
    return 0


if __name__ == '__main__':
    if sys.argv[1] == 'write':
        write(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == 'feed':
        if len(sys.argv) > 6:
            feed(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5],
                 int(sys.argv[6]), sys.argv[7])
        else:
            feed(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif sys.argv[1] == 'same':
        sys.exit(same(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
