#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Regenerate the migration-stream seeds of tests/fuzz/corpus after a
stream format change: a baton with fuzz-loadvm.c's command line writes a
few pages of RAM and migrates to a file (stream-valid), and the other
seeds are that stream broken in one way each (the loader must refuse them
with a clear error).

usage: make-loadvm-corpus.py BUILD CORPUS_DIR
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

# Must match fuzz_loadvm_init() in fuzz-loadvm.c (minus -incoming).
ARGS = ['-M', 'q35', '-nodefaults', '-m', '16M', '-display', 'none',
        '-device', 'pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2',
        '-device', 'pci-testdev,id=td0,bus=rp0']
TIMEOUT = 20


def crc32c(data, crc=0):
    crc ^= 0xffffffff
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82f63b78 if crc & 1 else 0)
    return crc ^ 0xffffffff


def connect(path):
    deadline = time.monotonic() + TIMEOUT
    while True:
        s = socket.socket(socket.AF_UNIX)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def qmp(f, cmd, args=None):
    msg = {'execute': cmd}
    if args:
        msg['arguments'] = args
    f.write(json.dumps(msg) + '\n')
    f.flush()
    while True:
        r = json.loads(f.readline())
        if 'return' in r or 'error' in r:
            return r


def make_valid(binary, tmp):
    out = os.path.join(tmp, 'stream')
    qsock = os.path.join(tmp, 'qmp')
    tsock = os.path.join(tmp, 'qtest')
    proc = subprocess.Popen([binary] + ARGS + [
        '-qmp', 'unix:%s,server=on,wait=off' % qsock,
        '-qtest', 'unix:%s,server=on,wait=off' % tsock])
    try:
        q = connect(qsock).makefile('rw')
        q.readline()
        qmp(q, 'qmp_capabilities')
        t = connect(tsock).makefile('rw')
        for addr, val in ((0x1000, 0x5a), (0x2345, 0xa5), (0x7000, 1)):
            t.write('writeb 0x%x 0x%x\n' % (addr, val))
            t.flush()
            assert t.readline().startswith('OK')
        qmp(q, 'migrate', {'uri': 'exec:cat > %s' % out})
        deadline = time.monotonic() + TIMEOUT
        while qmp(q, 'query-migrate')['return'].get('status') != 'completed':
            assert time.monotonic() < deadline, 'migration did not complete'
            time.sleep(0.05)
        qmp(q, 'quit')
        proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with open(out, 'rb') as f:
        return f.read()


def sections(stream):
    """(offset, type, payload) of each section after the header."""
    pos, res = 8, []
    while pos + 5 <= len(stream):
        kind, length = struct.unpack_from('>BI', stream, pos)
        res.append((pos, kind, stream[pos + 5:pos + 5 + length]))
        pos += 5 + length + 4
    return res


def section(kind, payload):
    head = struct.pack('>BI', kind, len(payload))
    return head + payload + struct.pack('>I', crc32c(head + payload))


def device_id_changed(valid):
    """td0's device ID (config byte 2, fixed) changed, checksum right."""
    for pos, kind, payload in sections(valid):
        n = struct.unpack_from('>H', payload)[0] if kind == 0x03 else 0
        if payload[2:2 + n] != b'/machine/peripheral/td0':
            continue
        at = payload.index(b'\x36\x1b\x05\x00') + 2  # pci-testdev's ids
        bad = payload[:at] + bytes([payload[at] ^ 0x03]) + payload[at + 1:]
        return (valid[:pos] + section(0x03, bad) +
                valid[pos + 5 + len(payload) + 4:])
    raise AssertionError('no td0 section')


def main():
    build, corpus = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        valid = make_valid(os.path.join(build, 'baton-system-x86_64'), tmp)
    secs = sections(valid)
    header = valid[:8]
    ram = [s for s in secs if s[1] == 0x02]
    first_ram = ram[0][0]
    config_end = secs[1][0]
    seeds = {
        'stream-valid': valid,
        'stream-header-only': header,
        'stream-huge-length': header + b'\x02\xff\xff\xff\xff',
        'stream-truncated': valid[:len(valid) // 2],
        # One byte of page data flipped: the section checksum fails.
        'stream-bitflip': (valid[:ram[0][0] + 5 + 20] +
                           bytes([valid[ram[0][0] + 5 + 20] ^ 0x10]) +
                           valid[ram[0][0] + 5 + 21:]),
        # A RAM record beyond the block, with a correct checksum.
        'stream-ram-out-of-range': (
            valid[:config_end] +
            section(0x02, b'\x00\x00' + b'\x02' + struct.pack('>II',
                                                             0xffff0, 4))),
        'stream-unknown-device': (
            valid[:config_end] +
            section(0x03, struct.pack('>H', 13) + b'/machine/nope')),
        # A byte of config space the device fixes (its device ID).
        'stream-pci-fixed-byte': device_id_changed(valid),
        # A whole RAM section missing, every checksum intact: END catches it.
        'stream-missing-ram-section': (
            valid[:first_ram] + valid[first_ram + 5 + len(ram[0][2]) + 4:]),
    }
    for name, data in seeds.items():
        with open(os.path.join(corpus, name), 'wb') as f:
            f.write(data)
    print('%d seeds written to %s (valid stream: %d bytes, %d sections)'
          % (len(seeds), corpus, len(valid), len(secs)))


if __name__ == '__main__':
    main()
