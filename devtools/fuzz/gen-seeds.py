#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
"""Write the hand-made seed inputs of the fuzz harnesses.

Each seed is a meaningful starting point in the input format its harness
documents at the top of its source: valid rings and chains for fuzz_vq,
one valid command of every control-queue class for fuzz_ctrl, IOTLB
sequences for fuzz_as, devargs strings for fuzz_devargs. The fuzzer mutates
from there. Usage: gen-seeds.py [DIR] (default: next to this script).
"""

import os
import struct
import sys


def le16(v):
    return struct.pack('<H', v)


def le32(v):
    return struct.pack('<I', v)


def le64(v):
    return struct.pack('<Q', v)


def write(root, target, name, data):
    d = os.path.join(root, target, 'corpus')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


# ---- fuzz_vq ----------------------------------------------------------------

def region(mode, perm, off8, size, material=0):
    return bytes([mode | perm << 2]) + le16(off8) + le16(size - 1) + le64(material)


def desc(addr, length, flags, nxt):
    return le64(addr) + le32(length) + le16(flags) + le16(nxt)


F_NEXT, F_WRITE, F_INDIRECT = 1, 2, 4
GPA = 0x40000000


def vq_seed(size_log2, descs, heads, flags=0, ops=b'', extra=b'', regions=None):
    size = 1 << size_log2
    if regions is None:
        regions = [region(0, 3, 0, 0x4000)]
    hdr = bytes([len(regions) - 1]) + b''.join(regions)
    hdr += bytes([flags, size_log2]) + le16(0) + le16(0)
    # The harness takes a slice of 4 bytes per operation: codes, operands.
    nr_ops = min(len(ops), 63)
    hdr += bytes([nr_ops]) + ops.ljust(4 * nr_ops, b'\0')[:4 * nr_ops]
    table = b''.join(descs).ljust(16 * size, b'\0')
    avail = le16(0) + le16(len(heads)) + b''.join(le16(h) for h in heads)
    avail = avail.ljust(6 + 2 * size, b'\0')
    mem = table + avail
    mem = mem.ljust((len(mem) + 3) & ~3, b'\0')
    mem = mem.ljust(0x1000, b'\0') + extra
    return hdr + mem


def vq_seeds(root):
    buf = GPA + 0x2000
    # One readable + one writable descriptor, ring of 8.
    write(root, 'vq', 'two-desc', vq_seed(3, [
        desc(buf, 64, F_NEXT, 1), desc(buf + 64, 64, F_WRITE, 0)], [0]))
    # Three chains, event idx.
    write(root, 'vq', 'three-chains', vq_seed(2, [
        desc(buf, 12, F_NEXT, 1), desc(buf + 12, 60, 0, 0),
        desc(buf + 128, 1500, F_WRITE, 0), desc(buf + 2048, 1, F_WRITE, 0)],
        [0, 2, 3], flags=1))
    # Indirect table of 3 entries at buf + 0x800.
    ind = desc(buf, 2, F_NEXT, 1) + desc(buf + 2, 6, F_NEXT, 2) + \
        desc(buf + 16, 1, F_WRITE, 0)
    write(root, 'vq', 'indirect', vq_seed(3, [
        desc(GPA + 0x3000, len(ind), F_INDIRECT, 0)], [0], flags=2,
        extra=b'\0' * 0x2000 + ind))
    # A buffer straddling two adjacent mappings.
    write(root, 'vq', 'straddle', vq_seed(3, [
        desc(GPA + 0x3f00, 0x200, F_WRITE, 0)], [0],
        regions=[region(0, 3, 0, 0x4000), region(0, 3, 0, 0x4000)]))
    # Operations: pop, push, flush, notify, kick, pop-all.
    write(root, 'vq', 'ops', vq_seed(3, [
        desc(buf, 64, 0, 0), desc(buf + 64, 64, F_WRITE, 0)], [0, 1],
        ops=bytes([0, 3, 4, 5, 6, 0, 7, 9, 1, 10, 1]) + b'\x40\0\0\0\x01\0\0\0'))


# ---- fuzz_vq_packed ---------------------------------------------------------

P_AVAIL, P_USED = 1 << 7, 1 << 15


def pdesc(addr, length, buf_id, flags):
    return le64(addr) + le32(length) + le16(buf_id) + le16(flags)


def pvq_seed(size_log2, descs, flags=0, ops=b'', extra=b'', base=0x8000):
    size = 1 << size_log2
    hdr = bytes([0]) + region(0, 3, 0, 0x4000)
    hdr += bytes([flags, size_log2]) + le16(base) + le16(base)
    nr_ops = min(len(ops), 63)
    hdr += bytes([nr_ops]) + ops.ljust(4 * nr_ops, b'\0')[:4 * nr_ops]
    ring = b''.join(descs).ljust(16 * size, b'\0')
    # driver event suppression (enabled), device event suppression
    mem = ring + le16(0) + le16(0) + le16(0) + le16(0)
    mem = mem.ljust(0x1000, b'\0') + extra
    return hdr + mem


def vq_packed_seeds(root):
    buf = GPA + 0x2000
    av = P_AVAIL        # available on the first lap (wrap counter 1)
    write(root, 'vq_packed', 'two-desc', pvq_seed(3, [
        pdesc(buf, 64, 0, av | F_NEXT), pdesc(buf + 64, 64, 0, av | F_WRITE)]))
    # Three chains, ids out of ring order, event idx.
    write(root, 'vq_packed', 'three-chains', pvq_seed(2, [
        pdesc(buf, 12, 9, av | F_NEXT), pdesc(buf + 12, 60, 2, av),
        pdesc(buf + 128, 1500, 0, av | F_WRITE),
        pdesc(buf + 2048, 1, 1, av | F_WRITE)], flags=1))
    ind = pdesc(buf, 2, 0, 0) + pdesc(buf + 2, 6, 0, 0) + \
        pdesc(buf + 16, 1, 0, F_WRITE)
    write(root, 'vq_packed', 'indirect', pvq_seed(3, [
        pdesc(GPA + 0x3000, len(ind), 5, av | F_INDIRECT)], flags=2,
        extra=b'\0' * 0x2000 + ind))
    # Resumed at position 2 of 4 with wrap 0: the chain wraps mid-way.
    write(root, 'vq_packed', 'wrap', pvq_seed(2, [
        pdesc(buf + 256, 8, 3, av | F_WRITE), pdesc(0, 0, 0, 0),
        pdesc(buf, 8, 0, P_USED | F_NEXT), pdesc(buf + 128, 8, 1, P_USED | F_WRITE)],
        base=0x0002))
    # Operations: pop, push, flush, notify, kick, pop-all, re-setup.
    write(root, 'vq_packed', 'ops', pvq_seed(3, [
        pdesc(buf, 64, 1, av), pdesc(buf + 64, 64, 0, av | F_WRITE)],
        flags=1, ops=bytes([0, 3, 4, 5, 6, 0, 7, 2, 1, 3, 11, 1]) +
        b'\x40\0\0\0\x01\0\0\0\x01\0\0\0'))


# ---- fuzz_ctrl --------------------------------------------------------------

def ctrl_header(pairs=3, mac_table=64, tunnel=0x1ff, misc=0x0c, fmode=1, fbits=0):
    # pairs: the harness makes 1 + pairs queue pairs; misc 0x0c: ring of 64.
    return bytes([fmode]) + le64(fbits) + bytes([pairs]) + le16(mac_table) + \
        le32(tunnel) + bytes([misc])


def ctrl_req(data, nr_out=2, nr_in=1, in_len=(1,), indirect=False, cuts=(2,)):
    ctl = (nr_out - 1) | (8 if indirect else 0) | nr_in << 4
    r = bytes([ctl]) + le16(len(data)) + data
    cuts = list(cuts) + [0] * nr_out
    r += bytes(cuts[:nr_out])
    for i in range(nr_in):
        r += le16(in_len[i] if i < len(in_len) else 1)
    return r


def ctrl_seeds(root):
    uc = bytes([0x02, 0, 0, 0, 0, 0x10])
    mc = bytes([0x01, 0, 0x5e, 0, 0, 1])
    key = bytes(range(40))
    table = b''.join(le16(i % 4) for i in range(8))
    cmds = {
        'rx-promisc': bytes([0, 0, 1]),
        'rx-nobcast': bytes([0, 5, 1]),
        'mac-table': bytes([1, 0]) + le32(1) + uc + le32(1) + mc,
        'mac-addr': bytes([1, 1]) + uc,
        'vlan-add': bytes([2, 0]) + le16(100),
        'vlan-del': bytes([2, 1]) + le16(100),
        'announce': bytes([3, 0]),
        'mq-pairs': bytes([4, 0]) + le16(2),
        'rss-config': bytes([4, 1]) + le32(0x3f) + le16(7) + le16(0) + table +
        le16(4) + bytes([40]) + key,
        'hash-config': bytes([4, 2]) + le32(0x3f) + b'\0' * 8 + bytes([40]) + key,
        'offloads': bytes([5, 0]) + le64(1 << 1),
        'coal-tx': bytes([6, 0]) + le32(32) + le32(100),
        'coal-vq-set': bytes([6, 2]) + le16(1) + le16(0) + le32(8) + le32(50),
        'coal-vq-get': bytes([6, 3]) + le16(1) + le16(0),
        'hash-tunnel': bytes([7, 0]) + le32(0x10),
        'stats-query': bytes([8, 0]),
        'stats-get': bytes([8, 1]) + le16(0) + b'\0' * 6 + le64(1) +
        le16(8) + b'\0' * 6 + le64(1 << 32),
    }
    for name, data in cmds.items():
        result = 1 + (512 if name.startswith(('stats', 'coal-vq-get')) else 0)
        # misc bit 0: an announcement is pending (ANNOUNCE_ACK is then OK).
        hdr = ctrl_header(misc=0x0d if name == 'announce' else 0x0c)
        write(root, 'ctrl', name, hdr + ctrl_req(data, in_len=(result,)))
    # Every command in one input, in four layouts.
    allreq = b''.join(ctrl_req(d, in_len=(600,)) for d in cmds.values())
    write(root, 'ctrl', 'all', ctrl_header() + allreq)
    onedesc = b''.join(ctrl_req(d, nr_out=1, in_len=(600,)) for d in cmds.values())
    write(root, 'ctrl', 'all-one-desc', ctrl_header() + onedesc)
    ind = b''.join(ctrl_req(d, indirect=True, in_len=(600,)) for d in cmds.values())
    write(root, 'ctrl', 'all-indirect', ctrl_header() + ind)
    split = b''.join(ctrl_req(d, nr_out=4, nr_in=2, in_len=(1, 600), cuts=(1, 1, 3))
                     for d in cmds.values())
    write(root, 'ctrl', 'all-split', ctrl_header() + split)
    # No ack byte, and a request at the size limit.
    write(root, 'ctrl', 'no-ack', ctrl_header() + ctrl_req(cmds['rx-promisc'], nr_in=0))
    # A length of 8 * n bytes (the harness's big-request encoding).
    big = bytes([1, 0]) + le32(2001) + uc * 2001 + le32(0)
    assert len(big) % 8 == 0
    r = bytes([0x11]) + le16(0xe000 + len(big) // 8) + big + bytes([2, 0]) + le16(1)
    write(root, 'ctrl', 'mac-table-2000', ctrl_header(mac_table=4096) + r)


# ---- fuzz_as ----------------------------------------------------------------

def as_seeds(root):
    # op byte: low 3 bits = op, bits 4-5 perm, bits 6-7 iovec room; coord and
    # length selectors: 0x00-0x3f = n pages.
    MAP, UNMAP, LOOKUP, XLATE, XIOV, CLEAR = 0, 3, 4, 5, 6, 7
    rw = 3 << 4
    seq = [
        bytes([MAP | rw, 0x01, 0x02]),          # map [1p, 3p) rw
        bytes([MAP | rw, 0x03, 0x02]),          # map [3p, 5p) adjacent
        bytes([MAP | 1 << 4, 0x08, 0x01]),      # map [8p, 9p) ro
        bytes([XIOV | 2 << 4 | 3 << 6, 0x01, 0x04]),   # across two maps
        bytes([XLATE | 1 << 4, 0x02, 0x81]),    # 1 byte
        bytes([LOOKUP, 0x07]),
        bytes([UNMAP, 0x01, 0x04]),             # both maps
        bytes([MAP | rw, 0x81, 0x01]),          # near the top of the space
        bytes([UNMAP, 0x02, 0x01]),             # splits nothing
        bytes([CLEAR | 8, 0x00]),
    ]
    write(root, 'as', 'basic', b''.join(seq))
    write(root, 'as', 'top', bytes([MAP | rw, 0xc0]) + le64(2**64 - 0x1000) +
          bytes([0x01]) + bytes([XIOV | rw, 0xc0]) + le64(2**64 - 0x800) +
          bytes([0xc0]) + le64(0x800))


# ---- fuzz_devargs -----------------------------------------------------------

def devargs_seeds(root):
    seeds = {
        'empty': '',
        'all': 'queues=4,mac=02:00:00:00:00:42,mtu=9000,mac_table=128,poll=adaptive,cpu=1',
        'service': 'queues=127,poll=service',
        'hex': 'queues=0x10,mtu=0x5dc',
        'bad-queues': 'queues=128',
        'dup': 'queues=2,queues=3',
        'unknown': 'bogus=1',
        'mac-short': 'mac=02:00:00:00:00',
        'mac-multicast': 'mac=01:00:5e:00:00:01',
        'no-value': 'queues',
        'list': 'mac=[02:00:00:00:00:01,02:00:00:00:00:02]',
    }
    for name, s in seeds.items():
        write(root, 'devargs', name, b'\x00' + s.encode())


# ---- fuzz_dp ----------------------------------------------------------------

def udp4_csum(frame):
    """The UDP checksum of an Ethernet + IPv4 (20 bytes) + UDP frame."""
    ip, udp = frame[14:34], frame[34:]
    udp_len = int.from_bytes(udp[4:6], 'big')
    data = ip[12:20] + bytes([0, 17]) + udp_len.to_bytes(2, 'big') + \
        udp[:6] + b'\0\0' + udp[8:udp_len]
    if len(data) % 2:
        data += b'\0'
    total = sum(int.from_bytes(data[i:i + 2], 'big') for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return (~total & 0xffff) or 0xffff


def dp_seed(tx_hdr=b'\0' * 12, frame_len=60, cvq_cmd=bytes([4, 0, 2, 0]),
            rx_len=256, passes=2, refused=0, udp_csum=None):
    """Both pairs and the CVQ of a 2-pair device with rings of 8, packed
    in region 0 as fuzz_dp lays them out, a frame on each TX queue, 4 RX
    buffers on each RX queue and one control request. udp_csum: None
    (checksum 0: none), 'right' or 'wrong' (the right one plus 1)."""
    size, region_len = 8, 0x1400
    mem = bytearray(region_len)
    bases = [224 * q for q in range(5)]

    def ring(q, descs, heads):
        base = bases[q]
        for i, d in enumerate(descs):
            mem[base + 16 * i:base + 16 * i + 16] = d
        avail = base + 16 * size
        mem[avail:avail + 4] = le16(0) + le16(len(heads))
        for i, h in enumerate(heads):
            mem[avail + 4 + 2 * i:avail + 6 + 2 * i] = le16(h)

    frame = bytes([0xff] * 6) + bytes([2, 0, 0, 0, 0, 1]) + b'\x08\x00'
    frame += bytes([0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1,
                    10, 0, 0, 2]) + le16(1024) + le16(1024) + le16(26) + le16(0)
    frame = frame.ljust(frame_len, b'\xab')
    if udp_csum is not None:
        # Network byte order for the UDP length (the other seeds do not care).
        frame = frame[:38] + (frame_len - 34).to_bytes(2, 'big') + frame[40:]
        c = udp4_csum(frame) + (udp_csum == 'wrong')
        frame = frame[:40] + (c & 0xffff).to_bytes(2, 'big') + frame[42:]
    for pair, (tx_off, rx_off) in enumerate(((0x500, 0x600), (0xa00, 0xb00))):
        pkt = tx_hdr + frame
        mem[tx_off:tx_off + len(pkt)] = pkt
        ring(2 * pair + 1, [desc(GPA + tx_off, len(pkt), 0, 0)], [0])
        ring(2 * pair, [desc(GPA + rx_off + rx_len * i, rx_len, F_WRITE, 0)
                        for i in range(4)], [0, 1, 2, 3])
    mem[0x1000:0x1000 + len(cvq_cmd)] = cvq_cmd
    ring(4, [desc(GPA + 0x1000, len(cvq_cmd), F_NEXT, 1),
             desc(GPA + 0x1010, 1, F_WRITE, 0)], [0])
    # One region: mode 0 (at the base GPA), read-write.
    hdr = bytes([0]) + bytes([0 | 3 << 2]) + le16(0) + le16(region_len - 1) + le64(0)
    hdr += le64(refused) + bytes([7] * 5) + bytes([passes - 1])
    hdr += b''.join(bytes([q]) + le16(0) for q in range(passes))
    return hdr + bytes(mem)


def dp_seeds(root):
    write(root, 'dp', 'two-pairs', dp_seed())
    # Checksum requested: NEEDS_CSUM, csum_start 34 (UDP), csum_offset 6.
    csum = bytes([1, 0]) + le16(0) + le16(0) + le16(34) + le16(6) + le16(0)
    write(root, 'dp', 'csum', dp_seed(tx_hdr=csum))
    # GUEST_CSUM (negotiated unless refused): frames without NEEDS_CSUM
    # have their UDP checksum validated, right (DATA_VALID) or wrong. The
    # 20-byte header of HASH_REPORT, which fuzz_dp negotiates too.
    for verdict in ('right', 'wrong'):
        write(root, 'dp', 'csum-' + verdict,
              dp_seed(tx_hdr=b'\0' * 20, udp_csum=verdict))
    # A frame larger than one RX buffer: merged over several.
    write(root, 'dp', 'merge', dp_seed(frame_len=700, rx_len=256))
    # Without MRG_RXBUF (bit 15): one buffer per frame, 10-byte header.
    write(root, 'dp', 'no-mrg', dp_seed(tx_hdr=b'\0' * 10, refused=1 << 15))
    # An RSS configuration through the control queue first.
    key = bytes(range(40))
    rss = bytes([4, 1]) + le32(0x3f) + le16(7) + le16(0) + \
        b''.join(le16(i % 2) for i in range(8)) + le16(2) + bytes([40]) + key
    write(root, 'dp', 'rss', dp_seed(cvq_cmd=rss, passes=3))


# ---- fuzz_cmdline -----------------------------------------------------------

def cmdline_seeds(root):
    """The scenario scripts of the app, 16 command lines per seed."""
    scen = os.path.join(root, '..', '..', 'app', 'test-vdpa-cvq', 'scenarios')
    extra = [
        'help', 'show device', 'show state', 'show stats',
        'ctrl raw 1 0 0100000002000000000001 result 8',
        'ctrl stats get vq 0 types rx_basic,rx_csum vq 2 types cvq buf 64',
        'ctrl rss types ipv4,udpv6 key 6d:5a:56 table 0,1,2,3 tablelen 8 pairs 4',
        'ctrl mac table uc 02:00:00:00:00:01,02:00:00:00:00:02 mc gen 3',
        'expect stat fe.q0.rx_pkts >= 1',
        'send queue 1 count 3 dst bcast vlan 100 ipv6 udp 1 2 len 100',
    ]
    write(root, 'cmdline', 'extra', '\n'.join(extra).encode())
    if not os.path.isdir(scen):
        return
    for name in sorted(os.listdir(scen)):
        if not name.endswith('.cmd'):
            continue
        with open(os.path.join(scen, name)) as f:
            lines = [l.rstrip('\n') for l in f
                     if l.strip() and not l.lstrip().startswith('#')]
        for i in range(0, len(lines), 16):
            write(root, 'cmdline', '%s-%d' % (name[:-4], i // 16),
                  '\n'.join(lines[i:i + 16]).encode())


# ---- fuzz_state -------------------------------------------------------------

def crc32c_dpdk(data):
    """rte_hash_crc(data, len, 0xffffffff): CRC-32C without the final xor."""
    crc = 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc


def part(ptype, value, sel=bytes(8), flags=0):
    return le16(ptype) + bytes([flags, 0]) + sel + le32(len(value)) + value


def state(parts, version=1):
    body = b''.join(parts)
    hdr = b'CVQSIMST' + le16(version) + le16(32) + le32(len(parts)) + \
        le32(len(body))
    hdr += le32(0) + bytes(8)
    crc = crc32c_dpdk(hdr + body)
    # fuzz_state's mode byte first: 0, the checksum is the state's own.
    return b'\0' + hdr[:20] + le32(crc) + hdr[24:] + body


def state_seeds(root):
    """States for fuzz_state's device (4 pairs, MTU 1500, 16 MACs)."""
    feat = (1 << 32) | (1 << 5) | (1 << 16) | (1 << 17) | (1 << 18) | \
        (1 << 19) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 60) | \
        (1 << 57) | (1 << 53) | (1 << 52) | (1 << 51)
    config = bytes([0x52, 0x54, 0, 0x12, 0x34, 0x56]) + le16(1) + le16(4) + \
        le16(1500) + le32(10000) + bytes([1, 40]) + le16(128) + \
        le32(0x1ff) + le32(0x1ff) + le16(16) + bytes(2)
    common = [part(0x101, le64(feat)), part(0x102, le16(9), le32(18) + bytes(4)),
              part(0x103, bytes([0x0f]))]
    common += [part(0x104, le16(256) + le16(0xffff) + le16(1) + bytes(26),
                    le16(q) + bytes(6)) for q in range(9)]
    cvq = lambda c, m, v: part(0x200, v, bytes([c, m]) + bytes(6))
    vlan = bytearray(512)
    vlan[100 // 8] |= 1 << (100 % 8)
    rss = le32(0x3f) + le16(7) + le16(1) + b''.join(le16(i % 4) for i in range(8))
    rss += le16(4) + bytes([40]) + bytes(range(40))
    net = [cvq(1, 1, bytes([0x52, 0x54, 0, 0x12, 0x34, 0x99])),
           cvq(1, 0, le32(1) + bytes([2, 0, 0, 0, 0, 1]) + le32(1) +
               bytes([1, 0, 0x5e, 0, 0, 1])),
           cvq(4, 1, rss), cvq(0, 0, b'\0'), cvq(0, 1, b'\1'),
           cvq(2, 0, bytes(vlan))]
    own = [part(0xcf00, config), part(0xcf02, le32(0x10)),
           part(0xcf03, le32(8) + le32(20) + le32(16) + le32(40)),
           part(0xcf04, le32(1) + le32(2), le16(3) + bytes(6))]
    # The STATS part: announces, 8 filter verdicts, then per pair the
    # receive and transmit counters: 10 and 8 (version 2), 14 and 14 with
    # the GSO counters version 1 carried.
    def stats(rx, tx):
        v = [le64(3)] + [le64(i) for i in range(8)]
        for p in range(4):
            v += [le64(p * 100 + i) for i in range(rx + tx)]
        return part(0xcf06, b''.join(v))
    write(root, 'state', 'stats-v1', state(common + own + [stats(14, 14)], 1))
    write(root, 'state', 'stats-v2', state(common + own + [stats(10, 8)], 2))
    write(root, 'state', 'minimal', state([part(0x101, le64(1 << 32)),
                                           part(0xcf00, config)]))
    write(root, 'state', 'rich', state(common + net + own))
    write(root, 'state', 'hash-config',
          state(common + [cvq(4, 2, le32(0x3) + bytes(8) + bytes([40]) +
                              bytes(40)), cvq(4, 0, le16(2))] + own[:1]))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    vq_seeds(root)
    vq_packed_seeds(root)
    ctrl_seeds(root)
    as_seeds(root)
    devargs_seeds(root)
    cmdline_seeds(root)
    dp_seeds(root)
    state_seeds(root)


if __name__ == '__main__':
    main()
