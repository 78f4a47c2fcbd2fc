#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make demo: virtio-net failover across a live migration, on one machine.

Runs BUILD/demo/failover-demo (see docs/system/demo.rst): a source and a
destination baton, a network peer, a guest driver that behaves like Linux
net_failover and a management step that migrates over tcp.  This wrapper
only checks the build, bounds the run and reports the verdict; the exit
status is the demo's (0 only if nothing was lost).

usage: demo.py [BUILD] [--quick]
"""
import os
import signal
import subprocess
import sys
import time

# The demo itself finishes in a couple of seconds; this is the hard stop.
TIMEOUT = 30


def main():
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    opts = [a for a in sys.argv[1:] if a.startswith('--')]
    build = args[0] if args else 'build'
    binary = os.path.join(build, 'baton-system-x86_64')
    demo = os.path.join(build, 'demo', 'failover-demo')
    for path in (binary, demo):
        if not os.access(path, os.X_OK):
            print('demo: %s is missing; run make first' % path)
            return 1

    env = dict(os.environ, QTEST_QEMU_BINARY=os.path.abspath(binary))
    print('baton failover demo: source and destination baton, a guest '
          'driver (libqos) that\nbehaves like Linux net_failover, a '
          'network peer answering its requests, and a\nmigration over '
          'tcp driven through QMP.\n', flush=True)
    start = time.monotonic()
    # Own session, so a stuck run can be killed with everything it started.
    proc = subprocess.Popen([demo] + opts, env=env, start_new_session=True)
    try:
        status = proc.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        print('demo: FAILED: no result after %d s (killed)' % TIMEOUT)
        return 1
    except KeyboardInterrupt:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return 1
    elapsed = time.monotonic() - start
    if status < 0:
        print('demo: FAILED: killed by signal %d after %.1f s'
              % (-status, elapsed))
        return 1
    print('demo: %s in %.1f s' % ('passed' if status == 0 else 'FAILED',
                                  elapsed))
    return 0 if status == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
