/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos virtio-pci: find a virtio function, then drive it through the
 * modern capabilities (BAR 4 on QEMU) or, without a COMMON capability,
 * the legacy I/O BAR 0, as QEMU's libqos decides.
 */
#ifndef LIBQOS_VIRTIO_PCI_H
#define LIBQOS_VIRTIO_PCI_H

#include "pci.h"
#include "virtio.h"

#define QVIRTIO_PCI_CAP_COMMON  1
#define QVIRTIO_PCI_CAP_NOTIFY  2
#define QVIRTIO_PCI_CAP_ISR     3
#define QVIRTIO_PCI_CAP_DEVICE  4
#define QVIRTIO_PCI_CAP_PCI_CFG 5

typedef struct QVirtioPCIDevice {
    QVirtioDevice vdev;         /* first: a QVirtioDevice * casts back */
    QPCIDevice pdev;
    bool modern;
    int bar_idx;
    QPCIBar bar;
    uint32_t common, isr, device, notify;       /* offsets in the BAR */
    uint32_t notify_mult;
    uint8_t cap_off[6];         /* config offset of each virtio cap */
} QVirtioPCIDevice;

/*
 * Probe devfn (bus << 8 | devfn) for a virtio function, enable it and map
 * its BAR.  False if no virtio function answers there.
 */
bool qvirtio_pci_init(QVirtioPCIDevice *d, QPCIBus *bus, int devfn);
/* Same, but always through the legacy I/O BAR 0 (transitional devices). */
bool qvirtio_pci_init_legacy(QVirtioPCIDevice *d, QPCIBus *bus, int devfn);
/* Legacy register access, for tests of the I/O BAR itself. */
uint32_t qvirtio_pci_legacy_readl(QVirtioPCIDevice *d, uint64_t off);
/* Common configuration access (modern). */
uint32_t qvirtio_pci_common_readl(QVirtioPCIDevice *d, uint64_t off);
uint16_t qvirtio_pci_common_readw(QVirtioPCIDevice *d, uint64_t off);
void qvirtio_pci_common_writel(QVirtioPCIDevice *d, uint64_t off,
                               uint32_t v);
void qvirtio_pci_common_writew(QVirtioPCIDevice *d, uint64_t off,
                               uint16_t v);
/* Route config vector / queue vectors to MSI-X entries (modern). */
void qvirtio_pci_set_msix_config(QVirtioPCIDevice *d, uint16_t vector);

#endif
