#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""libvirt's figures (issue 11), as a user of virsh sees them, with the
private daemons of the libvirt test (tests/libvirt/libvirt_sandbox.py).

usage: bench-libvirt.py BATON_BINARY WORKDIR [RUNS]

Prints "key value" lines, one per sample, for benchmarks/run.py:
  probe_ms              virsh domcapabilities for a binary libvirt has not
                        probed yet (a fresh copy each time: an empty cache)
  start_return_ms       virsh start until it returns
  start_traffic_ms      virsh start until the guest's console says its echo
                        replies come through the primary
  start_guest_ms        of that, the guest's own time: its console's
                        timestamp (time since it started running) on that line
  migrate_pair_ms       virsh migrate --live of a 1 GiB domain with a
                        failover pair, command to return
  migrate_nopair_ms     the same domain without the primary
or "error TEXT" when libvirt cannot run here.
"""
import os
import re
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'libvirt'))
import libvirt_sandbox as sb  # noqa: E402
from libvirt_domain import DOMAIN, write_domain_xml  # noqa: E402
from libvirt_observe import Console  # noqa: E402

VIA_PRIMARY = 'net: echo replies through eth1'
NOPAIR = 'baton-nopair'


def emit(key, seconds):
    print('%s %.1f' % (key, seconds * 1000), flush=True)


def wait_console(con, since, text, timeout=60):
    """Wall time at which text appeared on the console after `since`,
    polled every millisecond."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in con.text()[since:]:
            return time.monotonic()
        time.sleep(0.001)
    raise TimeoutError('console never said %r' % text)


def bench_probe(d, baton, workdir, runs):
    for i in range(runs):
        copy = os.path.join(workdir, 'probe-%d' % i, 'baton-system-x86_64')
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        shutil.copy2(baton, copy)
        t0 = time.monotonic()
        d.virsh('domcapabilities', '--emulatorbin', copy, '--virttype',
                'qemu', '--machine', 'q35')
        emit('probe_ms', time.monotonic() - t0)


def bench_start(d, baton, workdir, runs):
    d.virsh('define', write_domain_xml(os.path.join(workdir, 'start.xml'),
                                       baton))
    con = Console(d, DOMAIN)
    for _ in range(runs):
        at = len(con.text())
        t0 = time.monotonic()
        d.virsh('start', DOMAIN)
        emit('start_return_ms', time.monotonic() - t0)
        emit('start_traffic_ms', wait_console(con, at, VIA_PRIMARY) - t0)
        m = re.search(r'\[ *([0-9.]+)\] ' + VIA_PRIMARY, con.text()[at:])
        if m:
            emit('start_guest_ms', float(m.group(1)))
        d.virsh('destroy', DOMAIN)
    d.virsh('undefine', DOMAIN)


def bench_migrate(a, b, baton, workdir, runs):
    """1 GiB, with and without the primary, there and back again."""
    for name, key, primary in ((DOMAIN, 'migrate_pair_ms', True),
                               (NOPAIR, 'migrate_nopair_ms', False)):
        path = os.path.join(workdir, name + '-1g.xml')
        a.virsh('define', write_domain_xml(path, baton, name=name,
                                           primary=primary, memory_mib=1024))
        a.virsh('start', name)
        con = Console(a, name)
        wait_console(con, 0, VIA_PRIMARY if primary else
                     'net: echo replies through eth0')
        here, there = a, b
        for _ in range(runs):
            t0 = time.monotonic()
            here.virsh('migrate', '--live', '--persistent',
                       '--undefinesource', name, there.tcp_uri,
                       'tcp://127.0.0.1', timeout=300)
            emit(key, time.monotonic() - t0)
            here, there = there, here
        here.virsh('destroy', name)
        here.virsh('undefine', name)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    baton, workdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    reason = sb.why_unusable()
    if reason:
        print('error ' + reason)
        return
    a = sb.Daemon(os.path.join(workdir, 'a'),
                  '6f3b1f8e-5d1e-4c0e-9f55-0000000000c1',
                  tcp_port=sb.free_tcp_port())
    b = sb.Daemon(os.path.join(workdir, 'b'),
                  '6f3b1f8e-5d1e-4c0e-9f55-0000000000c2',
                  hostname='baton-bench-b', tcp_port=sb.free_tcp_port())
    try:
        a.start()
        b.start()
        for step in (lambda: bench_probe(a, baton, workdir, runs),
                     lambda: bench_start(a, baton, workdir, runs),
                     lambda: bench_migrate(a, b, baton, workdir, runs - 1)):
            try:
                step()
            except Exception as e:      # the other figures still count
                print('error %s' % str(e).splitlines()[-1][:200],
                      flush=True)
    finally:
        b.stop()
        a.stop()


if __name__ == '__main__':
    main()
