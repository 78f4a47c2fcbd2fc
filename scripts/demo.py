#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make demo: start baton on q35 with a failover command line of the form
libvirt generates and show the QMP conversation a management layer has
with it.  Later work grows this into the whole migration story."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

BUILD = sys.argv[1] if len(sys.argv) > 1 else 'build'
BINARY = os.path.join(BUILD, 'baton-system-x86_64')

# The shape of libvirt's <teaming> output, on q35 with root ports.
FAILOVER_ARGS = [
    '-netdev', 'user,id=hostua-backup0',
    '-device', 'pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1',
    '-device', 'pcie-root-port,id=root1,bus=pcie.0,addr=0x2,chassis=2',
    '-device', 'virtio-net-pci,failover=on,netdev=hostua-backup0,'
               'id=ua-backup0,mac=00:11:22:33:44:55,bus=root0',
    '-device', 'vfio-pci,host=0000:03:07.1,id=hostdev0,bus=root1,'
               'failover_pair_id=ua-backup0',
]


def say(kind, text):
    colour = {'->': '\033[36m', '<-': '\033[32m', '!!': '\033[33m',
              '==': '\033[1m'}.get(kind, '')
    reset = '\033[0m' if colour and sys.stdout.isatty() else ''
    if not sys.stdout.isatty():
        colour = ''
    print('%s%s %s%s' % (colour, kind, text, reset), flush=True)


class QMP:
    def __init__(self, path, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.settimeout(timeout)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)
        self.buf = b''
        self.dec = json.JSONDecoder()

    def recv(self):
        while True:
            text = self.buf.decode(errors='replace').lstrip()
            if text:
                try:
                    obj, end = self.dec.raw_decode(text)
                    self.buf = text[end:].encode()
                    return obj
                except ValueError:
                    pass
            data = self.sock.recv(65536)
            if not data:
                raise EOFError('baton closed the QMP connection')
            self.buf += data

    def cmd(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        say('->', json.dumps(msg))
        self.sock.sendall(json.dumps(msg).encode() + b'\n')
        while True:
            r = self.recv()
            if 'event' in r:
                say('<-', json.dumps(r))
                continue
            say('<-', json.dumps(r)[:300])
            return r


def start(extra, tmp):
    qmp_path = os.path.join(tmp, 'qmp.sock')
    args = [BINARY, '-M', 'q35', '-nodefaults', '-display', 'none',
            '-accel', 'qtest', '-qmp',
            'unix:%s,server=on,wait=off' % qmp_path] + extra
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    return proc, qmp_path


def main():
    if not os.path.exists(BINARY):
        print('demo: %s is missing; run make first' % BINARY)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        say('==', 'baton %s' % ' '.join(['-M q35'] + FAILOVER_ARGS))
        proc, path = start(FAILOVER_ARGS, tmp)
        try:
            proc.wait(timeout=0.5)
            err = proc.stderr.read().strip()
            say('!!', 'not yet: %s' % err)
            say('==', 'the failover devices come with later work; '
                'continuing with a bare q35 machine')
            proc, path = start([], tmp)
        except subprocess.TimeoutExpired:
            pass
        qmp = QMP(path)
        say('<-', json.dumps(qmp.recv()))
        qmp.cmd('qmp_capabilities')
        qmp.cmd('query-version')
        qmp.cmd('query-status')
        r = qmp.cmd('device-list-properties', typename='virtio-net-pci')
        if 'return' in r:
            names = [p['name'] for p in r['return']]
            say('==', 'libvirt sees failover support: %s' %
                ('failover' in names))
        qmp.cmd('qom-list', path='/machine/peripheral')
        qmp.cmd('stop')
        qmp.cmd('cont')
        qmp.cmd('quit')
        status = proc.wait(timeout=10)
        say('==', 'baton exited with status %d' % status)
        return 0 if status == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
