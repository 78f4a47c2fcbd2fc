/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos virtio-net driver.
 */
#include <string.h>

#include "virtio-net.h"

void qvirtio_net_map_root_ports(QPCIBus *bus, int nports)
{
    for (int slot = 1; slot <= nports; slot++) {
        QPCIDevice port = qpci_device_at(bus, QPCI_DEVFN(slot, 0));

        qpci_device_enable(&port);
        qpci_iomap(&port, 4, NULL);
    }
}

void qvirtio_net_start(QVirtioNet *n, QPCIBus *bus, QGuestAllocator *alloc,
                       int devfn, uint64_t drop, bool legacy)
{
    QVirtioDevice *d = &n->pci.vdev;
    uint64_t f;

    memset(n, 0, sizeof(*n));
    g_assert(legacy ? qvirtio_pci_init_legacy(&n->pci, bus, devfn)
                    : qvirtio_pci_init(&n->pci, bus, devfn));
    g_assert_cmpint(d->device_type, ==, 1);
    n->alloc = alloc;
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    f = qvirtio_get_features(d) & ~drop &
        ~(1ULL << QVIRTIO_F_BAD_FEATURE);
    qvirtio_set_features(d, f);
    if (!legacy) {
        g_assert(f & (1ULL << QVIRTIO_F_VERSION_1));
        qvirtio_set_features_ok(d);
    }
    n->hdr_len = (f & ((1ULL << QVIRTIO_F_VERSION_1) |
                       (1ULL << QVIRTIO_NET_F_MRG_RXBUF))) ? 12 : 10;
    n->rx = qvirtqueue_setup(d, alloc, 0);
    n->tx = qvirtqueue_setup(d, alloc, 1);
    if (f & (1ULL << QVIRTIO_NET_F_CTRL_VQ)) {
        n->ctrl = qvirtqueue_setup(d, alloc, 2);
    }
    qvirtio_set_driver_ok(d);
}

void qvirtio_net_stop(QVirtioNet *n)
{
    qvirtqueue_cleanup(n->rx, n->alloc);
    qvirtqueue_cleanup(n->tx, n->alloc);
    qvirtqueue_cleanup(n->ctrl, n->alloc);
    n->rx = n->tx = n->ctrl = NULL;
}

void qvirtio_net_tx(QVirtioNet *n, const void *frame, size_t len)
{
    QTestState *qts = n->pci.vdev.qts;
    uint64_t buf = guest_alloc(n->alloc, n->hdr_len + len);
    uint16_t head;
    uint32_t id;

    qtest_memset(qts, buf, 0, n->hdr_len);
    qtest_memwrite(qts, buf + n->hdr_len, frame, len);
    head = qvirtqueue_add(qts, n->tx, buf, n->hdr_len + len, false, false);
    qvirtqueue_kick(&n->pci.vdev, n->tx, head);
    g_assert(qvirtqueue_wait_used(qts, n->tx, &id, NULL, 5 * 1000 * 1000));
    g_assert_cmpuint(id, ==, head);
    guest_free(n->alloc, buf);
}

void qvirtio_net_rx_post(QVirtioNet *n, uint64_t buf, uint32_t len)
{
    uint16_t head = qvirtqueue_add(n->pci.vdev.qts, n->rx, buf, len, true,
                                   false);

    qvirtqueue_kick(&n->pci.vdev, n->rx, head);
}

void qvirtio_net_negotiate(QPCIBus *bus, int devfn, bool standby)
{
    QVirtioPCIDevice p;
    QVirtioDevice *d = &p.vdev;
    uint64_t f;

    g_assert(qvirtio_pci_init(&p, bus, devfn));
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    f = qvirtio_get_features(d) & ~((1ULL << 30) | (1ULL << 28) |
                                    (1ULL << 29));
    if (!standby) {
        f &= ~(1ULL << QVIRTIO_NET_F_STANDBY);
    }
    qvirtio_set_features(d, f);
    qvirtio_set_features_ok(d);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0x0b);
    qvirtio_set_driver_ok(d);
}
