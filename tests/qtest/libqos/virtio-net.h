/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos virtio-net: bring a virtio-net-pci up as a guest driver would and
 * move frames through its queues.
 */
#ifndef LIBQOS_VIRTIO_NET_H
#define LIBQOS_VIRTIO_NET_H

#include "virtio-pci.h"

#define QVIRTIO_NET_F_MAC       5
#define QVIRTIO_NET_F_MRG_RXBUF 15
#define QVIRTIO_NET_F_STATUS    16
#define QVIRTIO_NET_F_CTRL_VQ   17
#define QVIRTIO_NET_F_STANDBY   62

typedef struct QVirtioNet {
    QVirtioPCIDevice pci;
    QGuestAllocator *alloc;
    QVirtQueue *rx;
    QVirtQueue *tx;
    QVirtQueue *ctrl;
    size_t hdr_len;             /* 12 with VERSION_1 or MRG_RXBUF, else 10 */
} QVirtioNet;

/*
 * What libqos does to the root ports at slots 1..n of bus 0 (numbered by
 * qpci_secondary_buses_init): enable them and "map" their BAR 4, which
 * programs overlapping memory windows.
 */
void qvirtio_net_map_root_ports(QPCIBus *bus, int nports);

/*
 * Reset, ACKNOWLEDGE, DRIVER, features (offered & ~drop), FEATURES_OK,
 * the three queues, DRIVER_OK.  legacy: through the I/O BAR.
 */
void qvirtio_net_start(QVirtioNet *n, QPCIBus *bus, QGuestAllocator *alloc,
                       int devfn, uint64_t drop, bool legacy);
void qvirtio_net_stop(QVirtioNet *n);
/*
 * What QEMU's failover test does as the guest driver of the NIC at devfn:
 * reset, ACKNOWLEDGE, DRIVER, every offered feature but indirect
 * descriptors, event index and bit 30 (and STANDBY unless standby),
 * FEATURES_OK (asserting it was accepted), DRIVER_OK.  No queues.
 */
void qvirtio_net_negotiate(QPCIBus *bus, int devfn, bool standby);

/* Send a frame; waits until the device has used the buffer. */
void qvirtio_net_tx(QVirtioNet *n, const void *frame, size_t len);
/* Offer an RX buffer of len bytes at guest address buf. */
void qvirtio_net_rx_post(QVirtioNet *n, uint64_t buf, uint32_t len);

#endif
