# SPDX-License-Identifier: GPL-2.0-or-later
"""What libvirt reports about a domain, for the libvirt test and benchmarks:
the QMP events libvirt received (virsh qemu-monitor-event), the QMP
traffic in libvirtd's log (what baton answered), and the guest's console
file in a daemon's private log directory."""
import json
import os
import re
import subprocess
import threading
import time

import libvirt_sandbox as sb

TIMEOUT = 60            # one wait; the machine may be loaded


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


# ---- events libvirt received from baton (virsh qemu-monitor-event) -------

class Events:
    """`virsh qemu-monitor-event --loop` against one daemon: every QMP event
    libvirt received, for any domain, in order."""

    LINE = re.compile(r"event (\S+)(?: at \S+)? for domain '([^']*)': (.*)$")

    def __init__(self, daemon):
        self.proc = daemon.virsh_bg('qemu-monitor-event', '--loop',
                                    '--timestamp')
        self.events = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            m = self.LINE.search(line.strip())
            if not m:
                continue
            try:
                data = json.loads(m.group(3))
            except ValueError:
                data = None
            with self.cond:
                self.events.append((m.group(1), data))
                self.cond.notify_all()

    def mark(self):
        with self.cond:
            return len(self.events)

    def wait(self, name, since=0, match=None, timeout=TIMEOUT):
        """Index of the first event `name` at or after `since` whose data
        satisfies match(data)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for i in range(since, len(self.events)):
                    ev, data = self.events[i]
                    if ev == name and (match is None or match(data)):
                        return i
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure('no %s event within %d s (got: %s)' %
                                  (name, timeout, self.names(since)))
                self.cond.wait(left)

    def names(self, since=0):
        with self.cond:
            return ' '.join(e[0] for e in self.events[since:])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def migration_status(status):
    return lambda d: isinstance(d, dict) and d.get('status') == status


# ---- libvirtd's log: what baton answered ---------------------------------

# Errors QEMU 8.1 gives too: libvirt asks every binary for devices it may
# lack; DeviceNotFound is how QEMU says a type is not compiled in.
EXPECTED_ERRORS = {
    ('device-list-properties', 'DeviceNotFound'),
}

SEND = re.compile(r'QEMU_MONITOR_SEND_MSG: mon=(\S+) msg=(\{.*\})')
REPLY = re.compile(r'QEMU_MONITOR_RECV_REPLY: mon=(\S+) reply=(\{.*\})')
STDERR = re.compile(r'qemuProcessReportLogError:\d+ : (.*)')


def _json_after(rx, line):
    """(monitor, object) when rx (monitor, JSON groups) matches line."""
    m = rx.search(line)
    if not m:
        return None
    try:
        return m.group(1), json.loads(m.group(2))
    except ValueError:
        return None


class LogScanner:
    """Reads a daemon's libvirtd.log incrementally."""

    def __init__(self, path):
        self.path = path
        self.offset = 0
        self.sent = {}          # (mon, id) -> request
        self.replies = []       # (request, reply)
        self.startup_errors = []

    def scan(self):
        try:
            with open(self.path, 'rb') as f:
                f.seek(self.offset)
                data = f.read()
        except OSError:
            return
        data = data[:data.rfind(b'\n') + 1]      # only whole lines
        self.offset += len(data)
        for line in data.decode('utf-8', 'replace').splitlines():
            sent = _json_after(SEND, line)
            if sent:
                self.sent[(sent[0], sent[1].get('id'))] = sent[1]
                continue
            got = _json_after(REPLY, line)
            if got:
                req = self.sent.pop((got[0], got[1].get('id')), {})
                self.replies.append((req, got[1]))
                continue
            m = STDERR.search(line)
            if m:
                self.startup_errors.append(m.group(1))

    def baton_side_errors(self, allowed=()):
        """Errors from baton since the last call, as readable strings.
        allowed: (command, text in the error) pairs a step expects."""
        self.scan()
        out = []
        for req, rep in self.replies:
            err = rep.get('error')
            if not err:
                continue
            key = (req.get('execute'), err.get('class'))
            if key in EXPECTED_ERRORS or any(
                    cmd == key[0] and text in (err.get('desc') or '')
                    for cmd, text in allowed):
                continue
            out.append('%s %s -> %s: %s' % (
                req.get('execute'), json.dumps(req.get('arguments', {})),
                err.get('class'), err.get('desc')))
        out += ['emulator: ' + e for e in self.startup_errors]
        self.replies = []
        self.startup_errors = []
        return out

    def reply_to(self, command, pred=lambda req: True):
        """The last reply libvirt got for `command` (after scan())."""
        self.scan()
        for req, rep in reversed(self.replies):
            if req.get('execute') == command and pred(req):
                return rep
        return None


def sanitizer_errors(daemon):
    """Sanitizer reports and baton errors in the domains' stderr logs."""
    out = []
    logdir = daemon.path('log', 'qemu')
    for name in sorted(os.listdir(logdir)) if os.path.isdir(logdir) else []:
        if not name.endswith('.log') or name.endswith('-serial.log'):
            continue
        with open(os.path.join(logdir, name), errors='replace') as f:
            for line in f:
                if ('Sanitizer' in line or 'runtime error:' in line):
                    out.append('%s: %s' % (name, line.strip()))
    return out


# ---- the guest's console (a file in the daemon's private log dir) -------

class Console:
    """The serial log of domain `name` (<serial type='file'> under
    /var/log/libvirt/qemu/NAME-serial.log in the daemon's namespace)."""

    def __init__(self, daemon, name):
        self.path = daemon.path('log', 'qemu', name + '-serial.log')

    def text(self):
        try:
            with open(self.path, errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def mark(self):
        return len(self.text())

    def wait(self, pattern, since=0, timeout=TIMEOUT):
        rx = re.compile(pattern, re.M)

        def found():
            return rx.search(self.text()[since:])
        try:
            return sb.wait_until(found, timeout, 'console: ' + pattern)
        except TimeoutError as e:
            tail = self.text()[since:][-600:]
            raise Failure('%s; console tail: %r' % (e, tail))


class PtyConsole(Console):
    """A <serial type='pty'> console: the terminal libvirt reports, read
    the way `virsh console` reads it, from when it is opened."""

    def __init__(self, path):
        self.path = path
        self.fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
        self.chunks = []
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                data = os.read(self.fd, 4096)
            except OSError:
                return          # the emulator closed the terminal
            if not data:
                return
            with self.lock:
                self.chunks.append(data.decode(errors='replace'))

    def text(self):
        with self.lock:
            return ''.join(self.chunks)

    def close(self):
        os.close(self.fd)
