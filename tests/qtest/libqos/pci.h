/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos PCI: a guest-side PCI driver for qtests.  Configuration cycles go
 * through 0xcf8/0xcfc the way QEMU's libqos does it (unaligned offsets in
 * the address latch, data always at 0xcfc); BARs are sized and placed by
 * bump allocators; bridges are numbered like QEMU's
 * qpci_secondary_buses_init().
 *
 * A device address ("devfn" below) is bus << 8 | slot << 3 | function.
 */
#ifndef LIBQOS_PCI_H
#define LIBQOS_PCI_H

#include "libqtest.h"

#define QPCI_DEVFN(slot, fn) (((slot) << 3) | (fn))
#define QPCI_BDF(bus, slot, fn) (((bus) << 8) | QPCI_DEVFN(slot, fn))

typedef struct QPCIBus {
    QTestState *qts;
    uint64_t pio_alloc_ptr, pio_limit;
    uint64_t mmio_alloc_ptr, mmio_limit;
} QPCIBus;

typedef struct QPCIDevice {
    QPCIBus *bus;
    int devfn;                  /* bus << 8 | devfn */
} QPCIDevice;

typedef struct QPCIBar {
    uint64_t addr;
    bool is_io;
} QPCIBar;

/* The PC/q35 layout: I/O 0xc000-0xffff, MMIO 0xe0000000-0xffffffff. */
QPCIBus *qpci_new_pc(QTestState *qts);
void qpci_free_pc(QPCIBus *bus);

uint8_t qpci_config_readb(QPCIDevice *dev, uint8_t offset);
uint16_t qpci_config_readw(QPCIDevice *dev, uint8_t offset);
uint32_t qpci_config_readl(QPCIDevice *dev, uint8_t offset);
void qpci_config_writeb(QPCIDevice *dev, uint8_t offset, uint8_t value);
void qpci_config_writew(QPCIDevice *dev, uint8_t offset, uint16_t value);
void qpci_config_writel(QPCIDevice *dev, uint8_t offset, uint32_t value);

/* A device handle if a function answers at devfn, else NULL (g_free). */
QPCIDevice *qpci_device_find(QPCIBus *bus, int devfn);
/* Handle without probing (for functions that may be absent). */
QPCIDevice qpci_device_at(QPCIBus *bus, int devfn);
/* Call fn for every function answering with vendor (0xffff: any). */
void qpci_device_foreach(QPCIBus *bus, int vendor_id,
                         void (*fn)(QPCIDevice *dev, int devfn, void *data),
                         void *data);
/* Set IO, MEMORY and MASTER in the command register (asserting it). */
void qpci_device_enable(QPCIDevice *dev);
uint8_t qpci_find_capability(QPCIDevice *dev, uint8_t id, uint8_t start);

/* Size BAR barno, allocate space for it and program it. */
QPCIBar qpci_iomap(QPCIDevice *dev, int barno, uint64_t *sizeptr);
void qpci_iounmap(QPCIDevice *dev, QPCIBar bar);
/* Pre-placed BAR at a chosen address (for overlap tests). */
QPCIBar qpci_legacy_iomap(QPCIDevice *dev, uint16_t addr);

uint8_t qpci_io_readb(QPCIDevice *dev, QPCIBar bar, uint64_t off);
uint16_t qpci_io_readw(QPCIDevice *dev, QPCIBar bar, uint64_t off);
uint32_t qpci_io_readl(QPCIDevice *dev, QPCIBar bar, uint64_t off);
uint64_t qpci_io_readq(QPCIDevice *dev, QPCIBar bar, uint64_t off);
void qpci_io_writeb(QPCIDevice *dev, QPCIBar bar, uint64_t off, uint8_t v);
void qpci_io_writew(QPCIDevice *dev, QPCIBar bar, uint64_t off, uint16_t v);
void qpci_io_writel(QPCIDevice *dev, QPCIBar bar, uint64_t off, uint32_t v);
void qpci_io_writeq(QPCIDevice *dev, QPCIBar bar, uint64_t off, uint64_t v);

/*
 * Number the buses behind the bridges on bus `busnr` and below, as QEMU's
 * libqos does; returns the last bus number used.
 */
int qpci_secondary_buses_init(QPCIBus *bus);

/* MSI-X: enable with vector `entry` sending `data` to guest address addr. */
void qpci_msix_enable(QPCIDevice *dev);
void qpci_msix_set_vector(QPCIDevice *dev, QPCIBar table, int entry,
                          uint64_t addr, uint32_t data);

#endif
