# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The cvqsim authors
"""devtools/bench section 'port': VF-parent throughput (issue 16 item 4).

The same guest in every arm: Debian's dpdk-testpmd over net_virtio_user,
io forwarding on its one port (-l 0,1 --main-lcore 1: forwarding lcore on
CPU 0). The backend forwards between the guest and an ethdev port on CPU 1:

  C  cvqsim, port=PORT, cpu=1: dpdk-test-vdpa-cvq hosting the device whose
     datapath is the port (the guest's TX leaves through rte_eth_tx_burst,
     the port's RX reaches the guest through the receive filter)
  V  dpdk-testpmd, net_vhost0 and PORT, io forwarding between the two
     (-l 0,1 --main-lcore 0: forwarding lcore on CPU 1), DPDK's vhost PMD

Both arms do the same work per frame: port RX -> guest RX ring, guest io
forwarding, guest TX ring -> port TX.
  net_null  the port's RX makes frames of --size bytes as fast as it is
            polled, its TX frees them: the guest's receive rate is what the
            backend can feed it while it also drains the guest's TX
  net_ring  the port loops its TX back to its RX: the guest injects 16
            bursts of 32 frames (start tx_first 16) that circulate
            guest -> backend -> ring -> backend -> guest
The figures are the guest's RX-packets rate and the backend's CPU time per
frame (what the scheduler gave the backend process over the frames the
guest received: less sensitive to foreign load than the rate); the arms
alternate (C V C V ...) and each is the median of --runs runs, with the
foreign load of its window.
"""

import time

PORT_ARMS = {
    'C': 'cvqsim port=PORT,cpu=1 (dpdk-test-vdpa-cvq -l 0,1 --main-lcore 0)',
    'V': 'testpmd net_vhost0 + PORT io fwd (-l 0,1 --main-lcore 0)',
}


def port_vdev(port, size):
    """The --vdev of the port; net_null makes frames of `size` bytes."""
    if port == 'net_null':
        return 'net_null0,size=%d' % size
    return 'net_ring0'


def port_once(b, ctx, arm, port, size, warmup, window):
    """One run of arm C or V over `port`: pps at the guest's receive side."""
    sock = ctx.sock('port' + arm)
    lcores = '%d,%d' % (b.FE_CPU, b.BE_CPU)
    vdev = port_vdev(port, size)
    if arm == 'C':
        be = b.start_cvqsim_backend(ctx, [sock], 'queues=1,port=%s0,cpu=%d' % (
            port, b.BE_CPU), lcores=lcores, extra_eal=['--vdev', vdev])
    else:
        argv = [b.TESTPMD] + b.eal(ctx.unique('bench-pvh'), lcores, b.FE_CPU, 512)
        argv += ['--vdev', 'net_vhost0,iface=%s,queues=1' % sock, '--vdev', vdev,
                 '--', '-i', '--forward-mode=io', '--rxq=1', '--txq=1',
                 '--nb-cores=1', '--total-num-mbufs=16384']
        be = b.Proc('vhost-port-testpmd', argv, stdin=True)
        b.wait_socket(sock, be)
        be.send('start')
        be.wait_line(r'io packet forwarding', 20)
    fe = None
    try:
        argv = [b.TESTPMD] + b.eal(ctx.unique('bench-pfe'), lcores, b.BE_CPU, 512)
        argv += ['--vdev', 'net_virtio_user0,path=%s,queues=1' % sock, '--',
                 '-i', '--forward-mode=io', '--rxq=1', '--txq=1', '--nb-cores=1',
                 '--total-num-mbufs=16384', '--txpkts=%d' % size]
        fe = b.Proc('virtio-user-testpmd', argv, stdin=True)
        b.testpmd_port_rx(fe, timeout=60)
        # net_ring: frames must be put in flight; net_null feeds the guest
        fe.send('start tx_first 16' if port == 'net_ring' else 'start')
        fe.wait_line(r'io packet forwarding', 20)
        time.sleep(warmup)
        c0, t0 = b.testpmd_port_rx(fe)
        cw = b.CpuWindow([be.pid, fe.pid])
        be0 = sum(b.proc_cpu_ticks(be.pid).values())
        time.sleep(window)
        c1, t1 = b.testpmd_port_rx(fe)
        be1 = sum(b.proc_cpu_ticks(be.pid).values())
        load = cw.end()
        pps = (c1 - c0) / (t1 - t0)
        # the backend's CPU per frame: the time it was given, not the wall
        # clock, so that foreign load taking its CPU away counts less
        be_ns = (be1 - be0) / b.HZ * 1e9 / max(1, c1 - c0)
        fe.send('stop')
        fe.stop(quit_cmd='quit', timeout=15)
        fe = None
    finally:
        if fe is not None:
            fe.stop()
        if arm == 'C':
            rc, errors = b.stop_cvqsim_backend(be)
            if errors:
                raise b.BenchError('cvqsim reported %d ring errors\n%s' % (
                    errors, be.tail()))
        else:
            be.stop(quit_cmd='quit', timeout=15)
    if pps <= 0:
        raise b.BenchError('port arm %s over %s: no packet reached the guest (%d B)\n%s'
                           % (arm, port, size, be.tail()))
    return dict(pps=pps, backend_ns_per_frame=round(be_ns, 1), **load)


def bench_port(b, ctx, res):
    """Section 'port' of devtools/bench (b: the bench module)."""
    a = ctx.args
    cases = [(p, s) for p in ('net_null', 'net_ring') for s in (64, 1518)]
    warmup, window = a.warmup, a.window
    if a.smoke:
        # CI: proves both arms pass frames, in about two seconds per arm
        cases = [('net_null', 64)]
        warmup, window = 0.2, 0.3
    out = []
    for port, size in cases:
        runs = {arm: [] for arm in PORT_ARMS}
        for i in range(a.runs):
            for arm in PORT_ARMS:
                label = 'port %s %s %dB run %d' % (arm, port, size, i + 1)
                r = b.attempts(lambda: port_once(b, ctx, arm, port, size, warmup,
                                                 window), ctx, label)
                b.log('%s: %.3f Mpps, backend %.0f ns/frame (foreign %.2f CPUs)' % (
                    label, r['pps'] / 1e6, r['backend_ns_per_frame'],
                    r['foreign_cpus']))
                runs[arm].append(r)
        m = {arm: b.med([r['pps'] for r in runs[arm]]) for arm in runs}
        ns = {arm: b.med([r['backend_ns_per_frame'] for r in runs[arm]]) for arm in runs}
        # ratio of each alternated pair, then their median
        pair = [c['pps'] / v['pps'] for c, v in zip(runs['C'], runs['V'])]
        out.append({'port': port, 'size': size,
                    'cvqsim_mpps': round(m['C'] / 1e6, 3),
                    'vhost_mpps': round(m['V'] / 1e6, 3),
                    'ratio': round(m['C'] / m['V'], 2),
                    'ratio_pairs_median': round(b.med(pair), 2),
                    'cvqsim_backend_ns_per_frame': ns['C'],
                    'vhost_backend_ns_per_frame': ns['V'],
                    'cpu_ratio': round(ns['V'] / ns['C'], 2),
                    'foreign_cpus_median': round(b.med(
                        [r['foreign_cpus'] for arm in runs for r in runs[arm]]), 2),
                    'foreign_cpus_max': round(max(
                        r['foreign_cpus'] for arm in runs for r in runs[arm]), 2),
                    'arms': PORT_ARMS, 'runs': runs})
    res['port'] = out


def report_port(res):
    """Lines of the report for section 'port'."""
    L = ['', 'e. VF-parent (port=) throughput, guest testpmd io fwd over virtio-user, '
         'Mpps at the guest RX']
    for arm, what in PORT_ARMS.items():
        L.append('   %s = %s' % (arm, what))
    L.append('   backend ns/frame: CPU time the backend process got over the frames '
             'the guest received (V/C > 1: cvqsim spends less)')
    L.append('   %-9s %-5s %8s %8s %6s %10s %8s %8s %6s %14s' % (
        'port', 'size', 'C Mpps', 'V Mpps', 'C/V', 'pairs C/V', 'C ns/fr', 'V ns/fr',
        'V/C', 'foreign (max)'))
    for r in res['port']:
        L.append('   %-9s %-5d %8.3f %8.3f %6.2f %10.2f %8.0f %8.0f %6.2f %8.2f (%.2f)' % (
            r['port'], r['size'], r['cvqsim_mpps'], r['vhost_mpps'], r['ratio'],
            r['ratio_pairs_median'], r['cvqsim_backend_ns_per_frame'],
            r['vhost_backend_ns_per_frame'], r['cpu_ratio'], r['foreign_cpus_median'],
            r['foreign_cpus_max']))
    return L
