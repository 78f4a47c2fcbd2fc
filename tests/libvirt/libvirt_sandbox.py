# SPDX-License-Identifier: GPL-2.0-or-later
"""A private libvirtd (with its virtlogd) for tests and benchmarks.

Each Daemon runs in its own mount namespace (`unshare --mount
--propagation private`, plus `--uts` when it needs its own host name),
where the directories libvirt uses (/etc/libvirt, /run/libvirt,
/var/lib/libvirt, /var/cache/libvirt, /var/log/libvirt) are bind mounts of
directories under the test's own work directory, so the machine's libvirt
configuration and state are never seen or changed.  The configuration
comes from tests/libvirt/ with the run's paths appended.

libvirtd resolves the user `libvirt-qemu` and the groups `libvirt-qemu`
and `kvm` at start-up even when qemu.conf says to run as root; Debian
creates them in libvirt-daemon-system, which the tests do not install.
So the namespace also gets copies of /etc/passwd and /etc/group with
those entries added, bind-mounted over the real ones: they exist only
there.

Clients reach a daemon through its socket's real path, outside the
namespace (qemu+unix:///system?socket=...), or over TCP when it listens.
"""
import os
import shutil
import signal
import socket
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LIBVIRT_DIRS = {
    'etc': '/etc/libvirt',
    'run': '/run/libvirt',
    'lib': '/var/lib/libvirt',
    'cache': '/var/cache/libvirt',
    'log': '/var/log/libvirt',
}
TOOLS = ('libvirtd', 'virtlogd', 'virsh', 'unshare', 'nsenter')


def why_unusable():
    """None when private daemons can run here, else the reason."""
    for tool in TOOLS:
        if not shutil.which(tool) and not os.path.exists('/usr/sbin/' + tool):
            return ('%s not installed (scripts/install-deps installs '
                    'libvirt-daemon libvirt-daemon-driver-qemu '
                    'libvirt-clients)' % tool)
    if os.geteuid() != 0:
        return 'needs root for a private mount namespace'
    r = subprocess.run(['unshare', '--mount', '--propagation', 'private',
                        'true'], capture_output=True, text=True)
    if r.returncode != 0:
        return 'unshare --mount fails here: ' + r.stderr.strip()
    return None


def free_tcp_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_until(pred, timeout, what):
    """Poll pred() until it is true; raise TimeoutError naming `what`."""
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() > deadline:
            raise TimeoutError('timed out after %.0f s waiting for %s'
                               % (timeout, what))
        time.sleep(0.02)


def _tool(name):
    return shutil.which(name) or '/usr/sbin/' + name


class Daemon:
    """libvirtd + virtlogd in a private mount namespace under `root`."""

    def __init__(self, root, host_uuid, hostname=None, tcp_port=None):
        self.root = os.path.abspath(root)
        self.host_uuid = host_uuid
        self.hostname = hostname
        self.tcp_port = tcp_port
        self.log = os.path.join(self.root, 'libvirtd.log')
        self.ns_pid = None          # virtlogd: lives as long as the test

    def path(self, key, *rest):
        """Real path of a file that the namespace sees under /etc/libvirt
        ('etc'), /run/libvirt ('run'), ..."""
        return os.path.join(self.root, key, *rest)

    @property
    def uri(self):
        return 'qemu+unix:///system?socket=' + self.path('run',
                                                         'libvirt-sock')

    @property
    def tcp_uri(self):
        return 'qemu+tcp://127.0.0.1:%d/system' % self.tcp_port

    def _prepare(self):
        if os.path.exists(self.root):
            shutil.rmtree(self.root)
        for key in LIBVIRT_DIRS:
            os.makedirs(self.path(key))
        for sub in ('lib/qemu', 'log/qemu', 'cache/qemu', 'run/qemu'):
            os.makedirs(os.path.join(self.root, sub), exist_ok=True)
        for conf in ('qemu.conf', 'libvirtd.conf', 'virtlogd.conf'):
            shutil.copy(os.path.join(HERE, conf), self.path('etc', conf))
        with open(self.path('etc', 'libvirtd.conf'), 'a') as f:
            f.write('\n# appended by the test for this run\n')
            f.write('log_outputs = "1:file:%s"\n' % self.log)
            f.write('host_uuid = "%s"\n' % self.host_uuid)
            if self.tcp_port:
                f.write('listen_tls = 0\nlisten_tcp = 1\n'
                        'listen_addr = "127.0.0.1"\n'
                        'auth_tcp = "none"\ntcp_port = "%d"\n'
                        % self.tcp_port)
        with open(self.path('etc', 'virtlogd.conf'), 'a') as f:
            f.write('log_outputs = "3:file:%s"\n'
                    % os.path.join(self.root, 'virtlogd.log'))
        self._users()
        # Mount points that libvirt-daemon-system would have made: made
        # here, empty, when missing, and left in place: removing one while
        # another run's namespace has a mount on it would detach that mount.
        for target in LIBVIRT_DIRS.values():
            os.makedirs(target, exist_ok=True)

    def _users(self):
        with open('/etc/passwd') as f:
            passwd = f.read()
        with open('/etc/group') as f:
            group = f.read()
        users = [l.split(':')[0] for l in passwd.splitlines()]
        groups = [l.split(':')[0] for l in group.splitlines()]
        if not passwd.endswith('\n'):
            passwd += '\n'
        if not group.endswith('\n'):
            group += '\n'
        for name, gid in (('kvm', 64990), ('libvirt-qemu', 64991)):
            if name not in groups:
                group += '%s:x:%d:\n' % (name, gid)
        if 'libvirt-qemu' not in users:
            passwd += ('libvirt-qemu:x:64991:64991:libvirt test user:'
                       '/var/lib/libvirt:/usr/sbin/nologin\n')
        with open(os.path.join(self.root, 'passwd'), 'w') as f:
            f.write(passwd)
        with open(os.path.join(self.root, 'group'), 'w') as f:
            f.write(group)

    def _libvirtd_argv(self):
        argv = [_tool('libvirtd'), '-d', '-p',
                os.path.join(self.root, 'libvirtd.pid'),
                '-f', '/etc/libvirt/libvirtd.conf']
        if self.tcp_port:
            argv.append('--listen')
        return argv

    def start(self, timeout=60):
        self._prepare()
        lines = ['set -e']
        lines.append('mount --bind %s/passwd /etc/passwd' % self.root)
        lines.append('mount --bind %s/group /etc/group' % self.root)
        for key, target in LIBVIRT_DIRS.items():
            lines.append('mount --bind %s %s' % (self.path(key), target))
        if self.hostname:
            lines.append('hostname %s' % self.hostname)
        lines.append('%s -d -p %s/virtlogd.pid -f /etc/libvirt/virtlogd.conf'
                     % (_tool('virtlogd'), self.root))
        lines.append(' '.join(self._libvirtd_argv()))
        script = os.path.join(self.root, 'start.sh')
        with open(script, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        cmd = ['unshare', '--mount', '--propagation', 'private']
        if self.hostname:
            cmd.append('--uts')
        r = subprocess.run(cmd + ['sh', script], capture_output=True,
                           text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError('starting libvirtd failed: ' +
                               (r.stderr or r.stdout).strip())
        self.ns_pid = self._pid('virtlogd', timeout)
        self._wait_ready(timeout)

    def _pid(self, name, timeout):
        pidfile = os.path.join(self.root, name + '.pid')

        def read():
            try:
                with open(pidfile) as f:
                    return int(f.read().strip() or 0)
            except (OSError, ValueError):
                return 0
        return wait_until(read, timeout, name + "'s pid file")

    def _wait_ready(self, timeout):
        def ready():
            r = subprocess.run(['virsh', '-c', self.uri, 'uri'],
                               capture_output=True, text=True)
            return r.returncode == 0
        wait_until(ready, timeout, 'libvirtd to answer')

    def virsh(self, *args, timeout=120, check=True, uri=None):
        """Run virsh against this daemon; return its CompletedProcess."""
        cmd = ['virsh', '-q', '-c', uri or self.uri] + list(args)
        r = subprocess.run(cmd, capture_output=True, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError('virsh %s: %s' % (' '.join(args),
                                                 (r.stderr or
                                                  r.stdout).strip()))
        return r

    def virsh_bg(self, *args):
        """A long-running virsh (events) whose stdout the caller reads."""
        return subprocess.Popen(['virsh', '-q', '-c', self.uri] + list(args),
                                stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True,
                                bufsize=1)

    def _kill_pidfile(self, name, timeout=30):
        pidfile = os.path.join(self.root, name + '.pid')
        try:
            with open(pidfile) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            return

        def gone():
            try:
                os.kill(pid, 0)
                return False
            except ProcessLookupError:
                return True
        try:
            wait_until(gone, timeout, name + ' to exit')
        except TimeoutError:
            os.kill(pid, signal.SIGKILL)

    def restart_libvirtd(self, timeout=60):
        """Stop libvirtd only (domains keep running) and start it again in
        the same namespace, as `systemctl restart libvirtd` would."""
        self._kill_pidfile('libvirtd')
        try:
            os.unlink(os.path.join(self.root, 'libvirtd.pid'))
        except FileNotFoundError:
            pass
        cmd = ['nsenter', '--target', str(self.ns_pid), '--mount']
        if self.hostname:
            cmd.append('--uts')
        subprocess.run(cmd + self._libvirtd_argv(), check=True,
                       timeout=timeout)
        self._pid('libvirtd', timeout)
        self._wait_ready(timeout)

    def stop(self):
        """Destroy this daemon's domains, stop both daemons."""
        if self.ns_pid:
            try:
                r = self.virsh('list', '--name', check=False, timeout=30)
                for name in r.stdout.split():
                    self.virsh('destroy', name, check=False, timeout=30)
            except (subprocess.TimeoutExpired, OSError):
                pass
            self._kill_pidfile('libvirtd')
            self._kill_pidfile('virtlogd')
            self.ns_pid = None
