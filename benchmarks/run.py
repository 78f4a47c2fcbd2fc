#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Print baton's speed figures as a table: `python3 benchmarks/run.py BUILD`.

The load generators are the C programs bench-qmp and bench-qtest built into
BUILD/benchmarks/; this script runs them, takes medians and compares with the
targets of the issues.  Rows named "limit:" are the machine's own ceilings
measured in the same run (bench-limits, raw sockets); a figure compared with
one shows its share in the "of limit" column.  Benchmarks are not tests: whatever happens, the exit
status is 0 and a figure that could not be measured shows as "n/a".
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

REPEAT = 3          # runs of each throughput figure; the median is shown
SPAWN_RUNS = 30     # the issue asks for the median of at least 20


def one_cpu():
    """A CPU to pin to, or None where affinity cannot be set."""
    try:
        return min(os.sched_getaffinity(0))
    except (AttributeError, OSError, ValueError):
        return None


def run_bench(prog, args, timeout=120, cpu=None):
    """Run one generator; return {key: [values]} or an error string.

    With cpu set, the generator and the binary it starts (which inherits
    the affinity) share that CPU: round trips then measure the code paths
    rather than the cross-CPU wake-up latency of the host, which on small
    VMs varies several-fold from run to run.
    """
    def pin():
        os.sched_setaffinity(0, {cpu})

    try:
        p = subprocess.run([prog] + args, capture_output=True, text=True,
                           timeout=timeout,
                           preexec_fn=pin if cpu is not None else None)
    except subprocess.TimeoutExpired:
        return 'timed out after %d s' % timeout
    except OSError as e:
        return str(e)
    values = {}
    for line in p.stdout.splitlines():
        parts = line.split(None, 1)
        if len(parts) != 2:
            continue
        try:
            values.setdefault(parts[0], []).append(float(parts[1]))
        except ValueError:
            values.setdefault(parts[0], []).append(parts[1])
    if p.returncode != 0 and not values:
        err = (p.stderr.strip().splitlines() or ['exit %d' % p.returncode])
        return err[-1][:100]
    return values


def median_of(prog, args, key, repeat, cpu=None):
    """Median of `key` over `repeat` runs (each run may print it many times)."""
    samples = []
    errors = []
    for _ in range(repeat):
        r = run_bench(prog, args, cpu=cpu)
        if isinstance(r, str):
            errors.append(r)
            continue
        samples += [v for v in r.get(key, []) if isinstance(v, float)]
    if not samples:
        return None, (errors[0] if errors else 'no %s reported' % key)
    return statistics.median(samples), None


def fmt_rate(v):
    return 'n/a' if v is None else '{:,.0f} /s'.format(v)


def fmt_mbps(v):
    return 'n/a' if v is None else '{:,.0f} MB/s'.format(v)


def fmt_ms(v):
    return 'n/a' if v is None else '%.2f ms' % v


def add_libvirt(add, r):
    """The rows of bench-libvirt.py's samples (r: its run_bench result)."""
    def med(key):
        if isinstance(r, str) or not r.get(key):
            return None
        return statistics.median(v for v in r[key] if isinstance(v, float))

    err = r if isinstance(r, str) else \
        ' '.join(str(e) for e in r.get('error', [])) or None
    v = med('probe_ms')
    add('libvirt: virsh domcapabilities, empty cache (median)', v,
        fmt_ms(v), '<= 1000 ms', lambda x: x <= 1000, err=err)
    v = med('start_traffic_ms')
    add('libvirt: virsh start to the primary carrying traffic (median)', v,
        fmt_ms(v), '<= 200 ms', lambda x: x <= 200,
        baseline='virsh start returns: %s; guest, cont to traffic: %s' % (
            fmt_ms(med('start_return_ms')), fmt_ms(med('start_guest_ms'))))
    v = med('migrate_pair_ms')
    add('libvirt: virsh migrate --live, 1 GiB, failover pair (median)', v,
        fmt_ms(v), '-', None,
        baseline='without the pair: %s' % fmt_ms(med('migrate_nopair_ms')))


QEMU_IDLE_RSS_MIB = 28     # QEMU 8.1 idle, this machine (issue 14)


def add_evacuation(add, bench_guest, binary, vms=32, mib=256):
    """Host evacuation (issue 14): vms VMs of mib MiB, each with a failover
    pair and its guest running, migrated at once to as many destinations."""
    r = run_bench(bench_guest, [binary, 'evacuate', str(vms), str(mib)],
                  timeout=900)

    def one(key):
        return None if isinstance(r, str) else (r.get(key) or [None])[0]
    err = r if isinstance(r, str) else None
    what = 'evacuation, %d VMs of %d MiB with a failover pair' % (vms, mib)
    back = one('evac_primary_back')
    add(what + ': every primary back on its destination', back,
        'n/a' if back is None else '%d of %d' % (back, vms),
        '%d' % vms, lambda x: x == vms, err=err)
    v = one('evac_total_ms')
    add(what + ': total time (all migrations at once)', v, fmt_ms(v), '-',
        None)
    for key, figure in [('evac_downtime_ms', 'downtime per VM')] + [
            ('evac_outage_ms_' + w, 'outage in window ' + w)
            for w in ('unplug', 'switch-over', 're-plug')]:
        med, worst = one(key + '_median'), one(key + '_worst')
        add('%s: %s, median' % (what, figure), med, fmt_ms(med), '-', None,
            baseline='worst: %s' % fmt_ms(worst))
    v = one('evac_lost_replies')
    add(what + ': echo replies lost', v, 'n/a' if v is None else '%d' % v,
        '-', None)
    v = one('evac_rss_src_total_mib')
    add(what + ': RSS of the %d sources' % vms, v,
        'n/a' if v is None else '%.0f MiB' % v, '-', None,
        baseline='%d QEMU 8.1 at idle: ~%d MiB' % (vms,
                                                   vms * QEMU_IDLE_RSS_MIB))


def add_limits(add, limits, build):
    """The machine's ceilings that need no baton: memory and stream copy."""
    prog = os.path.join(build, 'benchmarks', 'bench-limits')
    # One program prints all of them; its runs are few and slow.
    runs = [run_bench(prog, ['fault']) for _ in range(REPEAT)]
    for key, figure in (
            ('fault_4k_1t_MBps', 'fresh memory written, 4 KiB pages, 1 thread'),
            ('fault_4k_2t_MBps', 'fresh memory written, 4 KiB pages, 2 threads'),
            ('fault_huge_1t_MBps', 'fresh memory written, huge pages, 1 thread'),
            ('fault_huge_2t_MBps',
             'fresh memory written, huge pages, 2 threads'),
            ('fault_recycled_huge_1t_MBps',
             'just-freed memory written, huge pages, 1 thread'),
            ('fault_recycled_huge_2t_MBps',
             'just-freed memory written, huge pages, 2 threads')):
        samples = [v for r in runs if not isinstance(r, str)
                   for v in r.get(key, []) if isinstance(v, float)]
        v = statistics.median(samples) if samples else None
        err = None if samples else next(
            (r for r in runs if isinstance(r, str)), 'no %s reported' % key)
        limits[key] = v
        add('limit: ' + figure, v, fmt_mbps(v), '-', None, err=err)
    for key, figure in (('raw_unix_MBps', 'unix stream socket copy'),
                        ('raw_tcp_MBps', 'tcp loopback copy')):
        v, err = median_of(prog, ['stream'], key, REPEAT)
        limits[key] = v
        add('limit: ' + figure, v, fmt_mbps(v), '-', None, err=err)


def add_qemu_side_by_side(add, binary, bench_qmp):
    """Start-up, idle RSS and QMP round trips of baton and of QEMU, both
    without qtest (Debian's QEMU has no qtest accelerator), tcg, -S."""
    qemu = shutil.which('qemu-system-x86_64')
    if not qemu:
        add('QEMU side by side', None, 'absent', '-', None,
            baseline='qemu-system-x86_64 is not installed')
        return
    for name, prog in (('baton', binary), ('QEMU', qemu)):
        r = run_bench(bench_qmp, [prog, 'plain', '7'])

        def med(key):
            if isinstance(r, str) or not r.get(key):
                return None
            return statistics.median(v for v in r[key]
                                     if isinstance(v, float))
        err = r if isinstance(r, str) else None
        v = med('plain_spawn_ms')
        add('%s, tcg -S: spawn to QMP greeting (median of 7)' % name, v,
            fmt_ms(v), '-', None, err=err)
        v = med('plain_rss_kib')
        add('%s, tcg -S: RSS with QMP up, -m 128M' % name, v,
            'n/a' if v is None else '%.1f MiB' % (v / 1024), '-', None)
        v = med('plain_qmp_rt_per_s')
        add('%s, tcg -S: query-status round trips' % name, v, fmt_rate(v),
            '-', None)
    add_plain_migration(add, (('baton', binary), ('QEMU', qemu)), bench_qmp)


PLAIN_MIG_MIB = 1024


def add_plain_migration(add, binaries, bench_qmp):
    """A memory-backend-file VM (share=on) whose file holds random data,
    migrated over a unix socket to a second process of the same binary:
    migrate to completed, without and with multifd.  The runs alternate
    between the binaries, so that both meet the same machine."""
    with tempfile.TemporaryDirectory(prefix='bench-plain-mig-') as tmp:
        path = os.path.join(tmp, 'guest.ram')
        with open(path, 'wb') as f:
            for _ in range(PLAIN_MIG_MIB):
                f.write(os.urandom(1 << 20))
        for channels in (0, 4):
            samples = {name: [] for name, _ in binaries}
            errors = {}
            for _ in range(REPEAT):
                for name, prog in binaries:
                    r = run_bench(bench_qmp, [prog, 'plain-migrate', path,
                                              str(PLAIN_MIG_MIB),
                                              str(channels)], timeout=300)
                    if isinstance(r, str):
                        errors[name] = r
                        continue
                    samples[name] += [v for v in r.get('plain_migrate_MBps',
                                                       [])
                                      if isinstance(v, float)]
            for name, _ in binaries:
                v = statistics.median(samples[name]) \
                    if samples[name] else None
                add('%s, tcg -S: migrate a 1 GiB memory-backend-file of '
                    'random data, %s (median of %d)' % (
                        name, 'multifd 4 channels' if channels
                        else 'one channel', REPEAT), v, fmt_mbps(v), '-',
                    None, err=None if v else errors.get(name, 'no samples'))


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    binary = os.path.abspath(os.path.join(build, 'baton-system-x86_64'))
    bench_qmp = os.path.join(build, 'benchmarks', 'bench-qmp')
    bench_qtest = os.path.join(build, 'benchmarks', 'bench-qtest')
    rows = []       # (figure, measured, target, verdict, of limit, baseline)
    notes = []
    limits = {}     # the machine's own ceilings, measured in this run

    def verdict(value, ok):
        if value is None or ok is None:
            return '-'
        return 'met' if ok(value) else 'MISSED'

    def add(figure, value, shown, target, ok, baseline='', err=None,
            share=None):
        """share: (figure, limit) in the same unit, shown as a percentage."""
        pct = '-'
        if share and share[0] is not None and share[1]:
            pct = '%.0f%%' % (100.0 * share[0] / share[1])
        rows.append((figure, shown, target, verdict(value, ok), pct,
                     baseline))
        if err:
            notes.append('%s: %s' % (figure, err))

    print('load average at the start: %s' % ' '.join(
        '%.2f' % x for x in os.getloadavg()))
    add_limits(add, limits, build)

    for p in (binary, bench_qmp, bench_qtest):
        if not os.path.exists(p):
            notes.append('missing %s (build first: make)' % p)

    # spawn to QMP greeting
    r = run_bench(bench_qmp, [binary, 'spawn', str(SPAWN_RUNS)])
    v = err = None
    if isinstance(r, str):
        err = r
    elif r.get('spawn_ms'):
        v = statistics.median(r['spawn_ms'])
    else:
        err = 'no samples'
    add('spawn to QMP greeting (median of %d)' % SPAWN_RUNS, v, fmt_ms(v),
        '<= 10 ms', lambda x: x <= 10, err=err)

    # q35 with 32 root ports and 32 devices (issue 3)
    r = run_bench(bench_qmp, [binary, 'spawn-q35', '21'])
    v = err = None
    if isinstance(r, str):
        err = r
    elif r.get('spawn_q35_ms'):
        v = statistics.median(r['spawn_q35_ms'])
    else:
        err = 'no samples'
    add('q35, 32 root ports + 32 virtio-net: ready for QMP (median of 21)',
        v, fmt_ms(v), '<= 20 ms', lambda x: x <= 20, err=err)

    # resident memory at idle
    r = run_bench(bench_qmp, [binary, 'rss'])
    v = err = None
    if isinstance(r, str):
        err = r
    elif r.get('rss_kib') and r['rss_kib'][0] > 0:
        v = r['rss_kib'][0] / 1024
    else:
        err = 'VmRSS not readable'
    add('RSS at idle, -m 128M', v, 'n/a' if v is None else '%.1f MiB' % v,
        '<= 8 MiB', lambda x: x <= 8, err=err)

    # Round trips, unpinned and on one CPU, each beside a unix socket echo
    # doing the same ping-pong as the raw baseline.
    cpu = one_cpu()
    placements = [(None, '')]
    if cpu is not None:
        placements.append((cpu, ', one CPU'))
    for pin, suffix in placements:
        echo, _ = median_of(bench_qmp, [binary, 'echo-rt', '1'],
                            'echo_rt_per_s', REPEAT, cpu=pin)
        limits['echo' + suffix] = echo
        add('limit: unix socket echo round trips' + suffix, echo,
            fmt_rate(echo), '-', None)
        base = 'unix socket echo: ' + fmt_rate(echo)
        v, err = median_of(bench_qmp, [binary, 'qmp-rt', '1'],
                           'qmp_rt_per_s', REPEAT, cpu=pin)
        add('query-status round trips' + suffix, v, fmt_rate(v),
            '>= 20,000 /s', lambda x: x >= 20000, baseline=base, err=err,
            share=(v, echo))
        # Each outl or inl is one round trip, as one echo is: the socket's
        # own ping-pong rate is the ceiling, 90% of it the target.
        v, err = median_of(bench_qtest, [binary, 'pio', '1'],
                           'qtest_pio_rt_per_s', REPEAT, cpu=pin)
        add('qtest outl/inl round trips' + suffix, v, fmt_rate(v),
            '>= 90% of echo',
            None if echo is None else (lambda x, e=echo: x >= 0.9 * e),
            baseline=base, err=err, share=(v, echo))
        v, err = median_of(bench_qtest, [binary, 'mem', '1'],
                           'qtest_mem_rt_per_s', REPEAT, cpu=pin)
        add('qtest writel/readl round trips' + suffix, v, fmt_rate(v), '-',
            None, err=err, share=(v, echo))

    # a 1 MiB QMP message
    r = run_bench(bench_qmp, [binary, 'big', '5'])
    v = err = None
    if isinstance(r, str):
        err = r
    elif r.get('big_ms'):
        v = statistics.median(r['big_ms'])
        if r.get('big_reply'):
            err = 'reply was not a success: %s' % r['big_reply'][0][:80]
    else:
        err = 'no samples'
    add('1 MiB QMP message answered (median of 5)', v, fmt_ms(v), '<= 20 ms',
        lambda x: x <= 20, baseline='QEMU 8.1: > 10 s', err=err)

    # a 1 MiB string argument processed (issue 13: QEMU takes up to 64 MiB)
    r = run_bench(bench_qmp, [binary, 'big-arg', '5'])
    v = err = None
    if isinstance(r, str):
        err = r
    elif r.get('big_arg_ms'):
        v = statistics.median(r['big_arg_ms'])
        if r.get('big_arg_reply'):
            err = 'reply was not a success: %s' % r['big_arg_reply'][0][:80]
    else:
        err = 'no samples'
    add('1 MiB string argument processed (median of 5)', v, fmt_ms(v),
        '<= 20 ms', lambda x: x <= 20, err=err)

    # virtio-net device-side, rings filled in guest RAM, dgram unix sink
    # (issue 4); the raw figure is the same socket written directly.
    bench_vn = os.path.join(build, 'benchmarks', 'bench-virtio-net')
    r = run_bench(bench_vn, [], timeout=300)

    def vn(key):
        return None if isinstance(r, str) else (r.get(key) or [None])[0]

    def fmt_vn(v, unit):
        return 'n/a' if v is None else (
            fmt_rate(v) if unit == 'pps' else '%.2f Gbit/s' % v)

    for size, unit in ((64, 'pps'), (1500, 'gbps')):
        for kind, what in (('raw', 'one frame per send()'),
                           ('raw-mmsg', 'sendmmsg()')):
            v = vn('%s-%d-%s' % (kind, size, unit))
            limits['%s-%d' % (kind, size)] = v
            add('limit: unix dgram, %d-byte frames, %s' % (size, what), v,
                fmt_vn(v, unit), '-', None)
    raw64, mmsg64 = limits['raw-64'], limits['raw-mmsg-64']
    v = vn('tx-64-pps')
    add('virtio-net TX, 64-byte frames', v, fmt_vn(v, 'pps'),
        '>= 1.5x send()',
        None if raw64 is None else (lambda x: x >= 1.5 * raw64),
        baseline='sendmmsg(): ' + fmt_vn(mmsg64, 'pps'),
        err=r if isinstance(r, str) else None, share=(v, raw64))
    v = vn('tx-1500-gbps')
    add('virtio-net TX, 1500-byte frames', v, fmt_vn(v, 'gbps'),
        '>= 5 Gbit/s', lambda x: x >= 5,
        baseline='sendmmsg(): ' + fmt_vn(limits['raw-mmsg-1500'], 'gbps'),
        err=r if isinstance(r, str) else None,
        share=(v, limits['raw-mmsg-1500']))
    for size, unit in ((64, 'pps'), (1500, 'gbps')):
        v = vn('rx-%d-%s' % (size, unit))
        add('virtio-net RX, %d-byte frames (from the backend)' % size, v,
            fmt_vn(v, unit), '-', None,
            err=r if isinstance(r, str) else None)
        v = vn('rx-sock-%d-%s' % (size, unit))
        add('virtio-net RX, %d-byte frames (through the socket)' % size, v,
            fmt_vn(v, unit), '-', None,
            err=r if isinstance(r, str) else None,
            share=(v, limits['raw-mmsg-%d' % size]))

    # Migration over a unix socket (issue 6).
    bench_mig = os.path.join(build, 'benchmarks', 'bench-migration')
    r = run_bench(bench_mig, [binary, 'zero4g'], timeout=300)
    v = None if isinstance(r, str) else (r.get('zero4g_ms') or [None])[0]
    add('migrate a mostly-zero 4 GiB guest', v, fmt_ms(v), '<= 1000 ms',
        lambda x: x <= 1000, err=r if isinstance(r, str) else None)
    v = None if isinstance(r, str) else (r.get('zero4g_downtime_ms') or
                                         [None])[0]
    add('downtime, mostly-zero 4 GiB guest (STOP to RESUME)', v, fmt_ms(v),
        '<= 10 ms', lambda x: x <= 10, err=r if isinstance(r, str) else None)
    # Compared with the socket writing into fresh memory, as the
    # destination's guest RAM is; the plain socket figure is shown too.
    r = run_bench(bench_mig, [binary, 'random1g'], timeout=300)
    raw = fresh = mig = None
    if not isinstance(r, str):
        raw = (r.get('raw_unix_MBps') or [None])[0]
        fresh = (r.get('raw_unix_fresh_MBps') or [None])[0]
        mig = (r.get('random1g_MBps') or [None])[0]
    ratio = mig / fresh if mig and fresh else None
    add('migrate 1 GiB of random RAM', ratio,
        'n/a' if ratio is None else '%.0f MB/s (%.0f%%)' % (mig, ratio * 100),
        '>= 70% of raw', lambda x: x >= 0.7,
        baseline='unix socket: %s (%s into fresh memory)' % (
            'n/a' if raw is None else '%.0f MB/s' % raw,
            'n/a' if fresh is None else '%.0f MB/s' % fresh),
        err=r if isinstance(r, str) else None,
        share=(mig, limits.get('fault_huge_2t_MBps')))
    # multifd (issue 14): the destination receives, and faults guest RAM
    # in, on one thread per channel; the ceiling is fresh memory written
    # with huge pages on two threads.  It gets a mix of fresh and
    # just-freed memory, so the figure is also shown against the other
    # ceilings it may meet: just-freed memory and the socket copy.
    r = run_bench(bench_mig, [binary, 'random1g-multifd'], timeout=900)
    lim = limits.get('fault_huge_2t_MBps')
    others = (('just-freed huge 2t', limits.get('fault_recycled_huge_2t_MBps')),
              ('unix socket copy', limits.get('raw_unix_MBps')))
    for n in (1, 2, 4):
        v = None if isinstance(r, str) else \
            (r.get('random1g_mf%d_MBps' % n) or [None])[0]
        add('migrate 1 GiB of random RAM, multifd, %d channel%s' % (
            n, 's' if n > 1 else ''), v / lim if v and lim else None,
            fmt_mbps(v), '>= 80% of fresh huge 2t fault-in',
            lambda x: x >= 0.8, err=r if isinstance(r, str) else None,
            share=(v, lim), baseline='; '.join(
                '%s %s (%s)' % (what, fmt_mbps(x), '%.0f%%' % (100.0 * v / x)
                                if v and x else 'n/a')
                for what, x in others))
    v, err = median_of(bench_mig, [binary, 'downtime'], 'downtime_ms',
                       REPEAT)
    add('downtime with 8 devices (STOP to RESUME)', v, fmt_ms(v), '<= 5 ms',
        lambda x: x <= 5, err=err)

    # Failover across migration (issue 7) and negotiation (issue 5).
    bench_fo = os.path.join(build, 'benchmarks', 'bench-failover')
    r = run_bench(bench_fo, [binary, 'latency', '21'])
    for key, figure in (('unplug_ms', 'migrate to UNPLUG_PRIMARY'),
                        ('eject_active_ms', 'guest eject to active')):
        v = err = None
        if isinstance(r, str):
            err = r
        elif r.get(key):
            v = statistics.median(r[key])
        else:
            err = 'no samples'
        add(figure + ' (median of 21)', v, fmt_ms(v), '<= 1 ms',
            lambda x: x <= 1, err=err)
    r16 = run_bench(bench_fo, [binary, 'pairs', '16'])
    r0 = run_bench(bench_fo, [binary, 'pairs', '0'])
    v = None if isinstance(r16, str) else (r16.get('e2e_ms') or [None])[0]
    base = None if isinstance(r0, str) else (r0.get('e2e_ms') or [None])[0]
    add('16 failover pairs out and in (migrate to RESUME)', v, fmt_ms(v),
        '-', None, baseline='same NICs without failover: %s' % fmt_ms(base),
        err=r16 if isinstance(r16, str) else None)
    v = err = None
    if isinstance(r16, str):
        err = r16
    elif r16.get('negotiated_ms'):
        v = statistics.median(r16['negotiated_ms'])
    add('FEATURES_OK to FAILOVER_NEGOTIATED (median of 16)', v, fmt_ms(v),
        '<= 1 ms', lambda x: x <= 1, err=err)
    v = None if isinstance(r16, str) else \
        (r16.get('negotiate_all_ms') or [None])[0]
    add('16 pairs negotiated (first FEATURES_OK to last event)', v,
        fmt_ms(v), '<= 10 ms', lambda x: x <= 10,
        err=r16 if isinstance(r16, str) else None)

    # The built-in guest under -accel tcg (issue 10).
    bench_guest = os.path.join(build, 'benchmarks', 'bench-guest')
    v, err = median_of(bench_guest, [binary, 'cont', '7'],
                       'cont_to_traffic_ms', 1)
    add('tcg: cont to the primary carrying traffic (median of 7)', v,
        fmt_ms(v), '<= 20 ms', lambda x: x <= 20, err=err)
    r = run_bench(bench_guest, [binary, 'migrate', '1024'])
    for window in ('unplug', 'switch-over', 're-plug'):
        v = lost = err = None
        if isinstance(r, str):
            err = r
        elif r.get('outage_ms_' + window):
            v = r['outage_ms_' + window][0]
            lost = r['lost_' + window][0]
        else:
            err = 'no %s window reported' % window
        add('tcg: 1 GiB failover migration, outage in window %s' % window,
            v, fmt_ms(v), '-', None,
            baseline='' if lost is None else 'lost replies: %d' % lost,
            err=err)
    v = None if isinstance(r, str) else (r.get('lost_outside') or [None])[0]
    add('tcg: 1 GiB failover migration, replies lost outside windows', v,
        'n/a' if v is None else '%d' % v, '0', lambda x: x == 0,
        err=r if isinstance(r, str) else None)
    v, err = median_of(bench_guest, [binary, 'idle', '5'], 'idle_cpu_pct', 1)
    add('tcg: idle guest (echo every 20 ms), CPU of one core', v,
        'n/a' if v is None else '%.1f %%' % v, '<= 5 %', lambda x: x <= 5,
        err=err)

    add_evacuation(add, bench_guest, binary)

    # libvirt 9.0 driving baton (issue 11), private daemons as in the test.
    r = run_bench(sys.executable, [
        os.path.join(os.path.dirname(os.path.abspath(__file__)),
                     'bench-libvirt.py'), binary,
        os.path.join(os.path.abspath(build), 'benchmarks', 'libvirt-work')],
        timeout=900)
    add_libvirt(add, r)

    # Fuzz targets (build-fuzz): executions per second, 5 s each.
    fuzz_build = sys.argv[2] if len(sys.argv) > 2 else None
    if fuzz_build:
        src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        fuzz = os.path.join(src, 'tests', 'fuzz')
        for t in ('loadvm', 'qmp', 'qtest', 'virtio-net', 'pci-config'):
            exe = os.path.join(fuzz_build, 'tests', 'fuzz', 'fuzz-' + t)
            r = run_bench(os.path.join(fuzz, 'run-fuzz.py'),
                          ['--bench', '--seconds', '5', exe,
                           os.path.join(fuzz, 'corpus', t)], timeout=180)
            v = None if isinstance(r, str) else \
                (r.get('fuzz-%s-execs-per-s' % t) or [None])[0]
            add('fuzz-%s executions per second' % t, v,
                '-' if v is None else '%d/s' % v, '-', None,
                err=r if isinstance(r, str) else None)

    add_qemu_side_by_side(add, binary, bench_qmp)
    headers = ('figure', 'measured', 'target', '', 'of limit', 'baseline')
    widths = [max(len(str(row[i])) for row in rows + [headers])
              for i in range(len(headers))]
    line = '  '.join('%-*s' % (w, h) for w, h in zip(widths, headers))
    print(line.rstrip())
    print('  '.join('-' * w for w in widths))
    for row in rows:
        print('  '.join('%-*s' % (w, c) for w, c in zip(widths, row)).rstrip())
    for n in notes:
        print('note: ' + n)
    print('(%d CPUs, load average %s at the end; medians of %d runs of 1 s '
          'for round trips; "one CPU" pins the client and the binary to the '
          'same CPU; "of limit": the figure as a share of the "limit:" row '
          'it is compared with)'
          % (os.cpu_count() or 0, ' '.join('%.2f' % x for x in
                                          os.getloadavg()), REPEAT))
    return 0


if __name__ == '__main__':
    try:
        main()
    except Exception as e:      # never fail `make bench`
        print('benchmark run aborted: %s' % e)
    sys.exit(0)
