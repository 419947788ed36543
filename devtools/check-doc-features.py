#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
"""Check that the feature matrix of the guide tells what the driver offers.

Usage: check-doc-features.py [SRCDIR]

Compares the virtio and vhost-user rows of doc/guides/vdpadevs/features/
cvqsim.ini with the feature bits named in cvqsim_offered_features() and
cvqsim_offered_protocol_features() of drivers/vdpa/cvqsim/cvqsim_dev.c: a
row marked Y or P must be offered, an offered bit must have its row marked.
Prints one line per mismatch and exits 1 when there is any.
"""

import configparser
import os
import re
import sys

# Feature table row -> the macro of its bit. Rows not listed here (kernel
# modules, architectures, documentation) have no bit to compare.
ROW_MACROS = {
    'csum': 'VIRTIO_NET_F_CSUM',
    'guest csum': 'VIRTIO_NET_F_GUEST_CSUM',
    'mac': 'VIRTIO_NET_F_MAC',
    'gso': 'VIRTIO_NET_F_GSO',
    'guest tso4': 'VIRTIO_NET_F_GUEST_TSO4',
    'guest tso6': 'VIRTIO_NET_F_GUEST_TSO6',
    'ecn': 'VIRTIO_NET_F_GUEST_ECN',
    'ufo': 'VIRTIO_NET_F_GUEST_UFO',
    'host tso4': 'VIRTIO_NET_F_HOST_TSO4',
    'host tso6': 'VIRTIO_NET_F_HOST_TSO6',
    'mrg rxbuf': 'VIRTIO_NET_F_MRG_RXBUF',
    'ctrl vq': 'VIRTIO_NET_F_CTRL_VQ',
    'ctrl rx': 'VIRTIO_NET_F_CTRL_RX',
    'any layout': 'VIRTIO_F_ANY_LAYOUT',
    'guest announce': 'VIRTIO_NET_F_GUEST_ANNOUNCE',
    'mq': 'VIRTIO_NET_F_MQ',
    'version 1': 'VIRTIO_F_VERSION_1',
    'log all': 'VHOST_F_LOG_ALL',
    'indirect desc': 'VIRTIO_RING_F_INDIRECT_DESC',
    'event idx': 'VIRTIO_RING_F_EVENT_IDX',
    'mtu': 'VIRTIO_NET_F_MTU',
    'in_order': 'VIRTIO_F_IN_ORDER',
    'IOMMU platform': 'VIRTIO_F_IOMMU_PLATFORM',
    'packed': 'VIRTIO_F_RING_PACKED',
    'proto mq': 'VHOST_USER_PROTOCOL_F_MQ',
    'proto log shmfd': 'VHOST_USER_PROTOCOL_F_LOG_SHMFD',
    'proto rarp': 'VHOST_USER_PROTOCOL_F_RARP',
    'proto reply ack': 'VHOST_USER_PROTOCOL_F_REPLY_ACK',
    'proto host notifier': 'VHOST_USER_PROTOCOL_F_HOST_NOTIFIER',
    'proto pagefault': 'VHOST_USER_PROTOCOL_F_PAGEFAULT',
    'status': 'VIRTIO_NET_F_STATUS',
    'ctrl vlan': 'VIRTIO_NET_F_CTRL_VLAN',
    'ctrl rx extra': 'VIRTIO_NET_F_CTRL_RX_EXTRA',
    'ctrl mac addr': 'VIRTIO_NET_F_CTRL_MAC_ADDR',
    'ctrl guest offloads': 'VIRTIO_NET_F_CTRL_GUEST_OFFLOADS',
    'rss': 'VIRTIO_NET_F_RSS',
    'hash report': 'VIRTIO_NET_F_HASH_REPORT',
    'notf coal': 'VIRTIO_NET_F_NOTF_COAL',
    'vq notf coal': 'VIRTIO_NET_F_VQ_NOTF_COAL',
    'device stats': 'VIRTIO_NET_F_DEVICE_STATS',
    'hash tunnel': 'VIRTIO_NET_F_HASH_TUNNEL',
    'proto config': 'VHOST_USER_PROTOCOL_F_CONFIG',
    'proto slave req': 'VHOST_USER_PROTOCOL_F_SLAVE_REQ',
    'proto status': 'VHOST_USER_PROTOCOL_F_STATUS',
}
# Other spellings of the same bit.
ALIASES = {'VIRTIO_F_ACCESS_PLATFORM': 'VIRTIO_F_IOMMU_PLATFORM',
           'VHOST_USER_PROTOCOL_F_BACKEND_REQ': 'VHOST_USER_PROTOCOL_F_SLAVE_REQ'}
# Bits of the vhost-user handshake itself, not device features.
NOT_FEATURES = {'VHOST_USER_F_PROTOCOL_FEATURES'}
OFFER_FUNCTIONS = ('cvqsim_offered_features', 'cvqsim_offered_protocol_features')
FEATURE_MACRO_RE = re.compile(r'\b(VIRTIO|VHOST)_[A-Z0-9_]*F_[A-Z0-9_]+\b')


def read_features(path):
    parser = configparser.ConfigParser(delimiters=('=',), comment_prefixes=(';',),
                                       interpolation=None)
    parser.optionxform = str
    with open(path, encoding='utf-8') as f:
        parser.read_file(f)
    return dict(parser['Features'].items())


def function_body(text, name):
    """Text of the body of the definition of name (name at column 0)."""
    m = re.search(r'^%s\([^)]*\)\s*\n\{' % re.escape(name), text, re.M)
    if not m:
        return None
    depth = 0
    for k in range(m.end() - 1, len(text)):
        if text[k] == '{':
            depth += 1
        elif text[k] == '}':
            depth -= 1
            if depth == 0:
                return text[m.end():k]
    return None


def main(argv):
    src = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(
        os.path.abspath(__file__)), '..')
    features_dir = os.path.join(src, 'doc', 'guides', 'vdpadevs', 'features')
    ini = os.path.join(features_dir, 'cvqsim.ini')
    ops = os.path.join(src, 'drivers', 'vdpa', 'cvqsim', 'cvqsim_dev.c')
    problems = []

    known = read_features(os.path.join(features_dir, 'default.ini'))
    for row in ROW_MACROS:
        if row not in known:
            problems.append('default.ini: no row "%s" (check-doc-features.py maps it)' % row)
    rows = read_features(ini)

    with open(ops, encoding='utf-8') as f:
        text = re.sub(r'/\*.*?\*/', ' ', f.read(), flags=re.S)
    offered = set()
    for name in OFFER_FUNCTIONS:
        body = function_body(text, name)
        if body is None:
            problems.append('%s: no definition of %s()' % (ops, name))
            continue
        for m in FEATURE_MACRO_RE.finditer(body):
            macro = ALIASES.get(m.group(0), m.group(0))
            if macro not in NOT_FEATURES:
                offered.add(macro)

    mapped = set(ROW_MACROS.values())
    for row, macro in ROW_MACROS.items():
        marked = rows.get(row, '') in ('Y', 'P')
        if marked and macro not in offered:
            problems.append('%s: "%s" is marked but %s is not offered' % (ini, row, macro))
        elif macro in offered and not marked:
            problems.append('%s: %s is offered but "%s" is not marked' % (ini, macro, row))
    for macro in sorted(offered - mapped):
        problems.append('%s: offered %s has no row in the feature table' % (ops, macro))

    for p in problems:
        print(p)
    if not problems:
        print('check-doc-features: %d offered bits match %s' % (len(offered), ini))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
