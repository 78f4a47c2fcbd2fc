#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the hand-made seeds of the qmp, qtest, virtio-net and pci-config
fuzz targets into tests/fuzz/corpus/ (the loader's are made by
make-loadvm-corpus.py).  The binary seeds follow the operation encoding
of fuzz-virtio-net.c and fuzz-pci-config.c.

usage: make-corpus.py [CORPUS_DIR]
"""
import os
import struct
import sys

CAPS = b'{"execute": "qmp_capabilities"}\n'

QMP = {
    'status': CAPS + b'{"execute": "query-status", "id": 1}\n',
    'introspect': CAPS + b'{"execute": "query-qmp-schema"}\n'
                         b'{"execute": "query-commands"}\n',
    'pci': CAPS + b'{"execute": "query-pci"}\n',
    'failover': CAPS + b'{"execute": "__org.baton_query-failover"}\n'
                       b'{"execute": "device_del", '
                       b'"arguments": {"id": "primary0"}}\n',
    'device-add': CAPS + b'{"execute": "device_add", "arguments": '
                         b'{"driver": "virtio-net-pci", "id": "n9", '
                         b'"bus": "rp2"}}\n{"execute": "device_del", '
                         b'"arguments": {"id": "n9"}}\n',
    'device-add-bus-empty': CAPS + b'{"execute": "device_add", "arguments":'
                                   b' {"driver": "virtio-net-pci", "bus": "",'
                                   b' "netdev": "n2", "id": "odd"}}\n',
    'qom': CAPS + b'{"execute": "qom-list", "arguments": '
                  b'{"path": "/machine/peripheral/standby0"}}\n'
                  b'{"execute": "qom-get", "arguments": {"path": '
                  b'"/machine/peripheral/standby0", "property": "mac"}}\n'
                  b'{"execute": "qom-set", "arguments": {"path": '
                  b'"/machine/peripheral/standby0", "property": "x-x", '
                  b'"value": 1}}\n',
    'migrate-params': CAPS + b'{"execute": "migrate-set-parameters", '
                             b'"arguments": {"downtime-limit": 100, '
                             b'"max-bandwidth": 1000000}}\n'
                             b'{"execute": "migrate-set-capabilities", '
                             b'"arguments": {"capabilities": [{"capability":'
                             b' "events", "state": true}]}}\n'
                             b'{"execute": "query-migrate"}\n',
    'run-state': CAPS + b'{"execute": "stop"}\n{"execute": "cont"}\n'
                        b'{"execute": "system_reset"}\n',
    'link': CAPS + b'{"execute": "set_link", "arguments": '
                   b'{"name": "hs0", "up": false}}\n'
                   b'{"execute": "query-rx-filter"}\n',
    'broken': b'{"execute": "qmp_capabilities"\n{"exec\x00ute": [}\xff\n'
              b'{"execute": "query-version"}\n',
}

QTEST = {
    'pci-probe': b'outl 0xcf8 0x80000000\ninl 0xcfc\n'
                 b'outl 0xcf8 0x80001000\ninl 0xcfc\n',
    'memory': b'writeb 0x1000 0x5a\nreadb 0x1000\nwritel 0x2000 0x12345678\n'
              b'readq 0x2000\nmemset 0x3000 64 0x11\nread 0x3000 64\n'
              b'b64write 0x4000 4 AAECAw==\nb64read 0x4000 4\n'
              b'write 0x5000 2 0xbeef\n',
    'clock': b'clock_step\nclock_step 1000000\nclock_set 5000000000\n',
    'irq': b'irq_intercept_in ioapic\nset_irq_in /machine/ioapic unnamed-gpio-in 3 1\n'
           b'irq_intercept_out /machine/peripheral/nic0\n',
    'junk': b'readb\nwritew 0x1\ninb 0x10000\nfoo bar\n\n' + b'x' * 300 + b'\n',
}


def op_desc(q, i, addr, length, flags, nxt):
    return (bytes([1, q]) + struct.pack('<H', i) + b'\x00' +
            struct.pack('<I', addr)[:3] + struct.pack('<HBH', length,
                                                      flags, nxt))


def op_ram(off, data):
    return bytes([0]) + struct.pack('<I', off)[:3] + bytes([len(data)]) + data


def op_publish(q, head):
    return bytes([2, q]) + struct.pack('<H', head)


def op_frame(data):
    return bytes([4]) + struct.pack('<H', len(data)) + data


# Buffer offsets are relative to BUFS (0x300000); RAM ops to RINGS (0x200000).
FRAME = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01\x08\x00' + bytes(range(46))
HDR = bytes(12)
ALL = b'\xff' * 8

VIRTIO_NET = {
    # TX: header + frame in one buffer, then header only (an empty frame).
    'tx': ALL + op_ram(0x100000, HDR + FRAME) +
          op_desc(1, 0, 0, 12 + len(FRAME), 0, 0) + op_publish(1, 0) +
          op_ram(0x100100, HDR) + op_desc(1, 1, 0x100, 12, 0, 0) +
          op_publish(1, 1),
    # TX chained over two descriptors.
    'tx-chain': ALL + op_ram(0x100000, HDR) + op_ram(0x100040, FRAME) +
                op_desc(1, 0, 0, 12, 1, 1) +
                op_desc(1, 1, 0x40, len(FRAME), 0, 0) + op_publish(1, 0),
    # RX: a writable buffer, then a frame from the network.
    'rx': ALL + op_desc(0, 0, 0x1000, 2048, 2, 0) + op_publish(0, 0) +
          op_frame(FRAME) + op_frame(FRAME),
    # Control queue: set promiscuous mode.
    'ctrl': ALL + op_ram(0x100200, b'\x00\x00\x01') +
            op_desc(2, 0, 0x200, 2, 1, 1) + op_desc(2, 1, 0x202, 1, 1, 2) +
            op_desc(2, 2, 0x300, 1, 2, 0) + op_publish(2, 0),
    # Legacy-less features: no MRG_RXBUF, no indirect, no event idx.
    'features-min': b'\x20\x00\x00\x00\x00\x00\x00\x00' +
                    op_desc(0, 0, 0x1000, 2048, 2, 0) + op_publish(0, 0) +
                    op_frame(FRAME),
    # Indirect table at an odd address.
    'indirect-odd': ALL + op_ram(0x100000, HDR + FRAME) +
                    op_ram(0x100801, struct.pack('<QIHH', 0x300000, 12, 1, 1) +
                           struct.pack('<QIHH', 0x30000c, len(FRAME), 0, 0)) +
                    op_desc(1, 0, 0x801, 32, 4, 0) + op_publish(1, 0),
}


def cfg_w(bus, devfn, off, size_sel, val):
    return bytes([0, bus, devfn, off, size_sel]) + struct.pack('<I', val)


def ecam_w(bus, devfn, off, size_sel, val):
    return bytes([2, bus, devfn]) + struct.pack('<H', off) + \
        bytes([size_sel]) + struct.pack('<I', val)


RP0 = 0x10          # root port rp0 at 00:02.0
PCI = {
    # Bus numbers behind the ports, then read the devices behind them.
    'bridges': cfg_w(0, RP0, 0x18, 2, 0x000101) +
               cfg_w(0, 0x18, 0x18, 2, 0x000202) +
               bytes([1, 1, 0, 0, 2]) + bytes([1, 2, 0, 0, 2]) +
               bytes([3, 1, 0]) + struct.pack('<H', 0) + bytes([2]),
    # Native hotplug: slot control power off, then on (PCIe cap at 0x40).
    'slot-power': cfg_w(0, RP0, 0x58, 1, 0x07e1) + cfg_w(0, RP0, 0x58, 1,
                                                         0x01e1) +
                  bytes([5, 0x10, 0x27]),
    # BARs sized and placed, memory and bus master on.
    'bars': cfg_w(1, 0, 0x10, 2, 0xffffffff) + cfg_w(1, 0, 0x10, 2,
                                                     0xe0000000) +
            cfg_w(1, 0, 0x04, 1, 0x7) + ecam_w(1, 0, 0x20, 2, 0xffffffff),
    # ACPI PCI hotplug: select a bus, eject slot 0.
    'acpi-eject': bytes([4, 0xd0, 2]) + struct.pack('<I', 1) +
                  bytes([4, 0xc8, 2]) + struct.pack('<I', 1) +
                  bytes([5, 0xff, 0xff]),
    # MSI-X and the extended space through ECAM.
    'ecam': ecam_w(0, RP0, 0x100, 2, 0xffffffff) +
            ecam_w(1, 0, 0xffc, 2, 0x12345678) +
            bytes([3, 0, RP0]) + struct.pack('<H', 0x148) + bytes([2]),
}


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'corpus')
    for target, seeds in (('qmp', QMP), ('qtest', QTEST),
                          ('virtio-net', VIRTIO_NET), ('pci-config', PCI)):
        d = os.path.join(corpus, target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
    print('seeds written to %s' % corpus)


if __name__ == '__main__':
    main()
