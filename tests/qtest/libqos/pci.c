/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libqos PCI: config cycles, BAR mapping, bus numbering. */
#include "pci.h"

#define PCI_VENDOR_ID           0x00
#define PCI_COMMAND             0x04
#define PCI_STATUS              0x06
#define PCI_CLASS_DEVICE        0x0a
#define PCI_HEADER_TYPE         0x0e
#define PCI_BASE_ADDRESS_0      0x10
#define PCI_PRIMARY_BUS         0x18
#define PCI_SECONDARY_BUS       0x19
#define PCI_SUBORDINATE_BUS     0x1a
#define PCI_CAPABILITY_LIST     0x34
#define PCI_CAP_ID_VNDR         0x09
#define PCI_CAP_ID_MSIX         0x11
#define PCI_STATUS_CAP_LIST     0x10
#define PCI_COMMAND_IO          0x1
#define PCI_COMMAND_MEMORY      0x2
#define PCI_COMMAND_MASTER      0x4
#define PCI_CLASS_BRIDGE_PCI    0x0604

QPCIBus *qpci_new_pc(QTestState *qts)
{
    QPCIBus *bus = g_new0(QPCIBus, 1);

    bus->qts = qts;
    bus->pio_alloc_ptr = 0xc000;
    bus->pio_limit = 0x10000;
    bus->mmio_alloc_ptr = 0xe0000000;
    bus->mmio_limit = 0x100000000ULL;
    return bus;
}

void qpci_free_pc(QPCIBus *bus)
{
    g_free(bus);
}

/* The offset's low bits go into the latch; data is always at 0xcfc. */
static void cfg_addr(QPCIDevice *dev, uint8_t offset)
{
    qtest_outl(dev->bus->qts, 0xcf8,
               (1u << 31) | ((uint32_t)dev->devfn << 8) | offset);
}

uint8_t qpci_config_readb(QPCIDevice *dev, uint8_t offset)
{
    cfg_addr(dev, offset);
    return qtest_inb(dev->bus->qts, 0xcfc);
}

uint16_t qpci_config_readw(QPCIDevice *dev, uint8_t offset)
{
    cfg_addr(dev, offset);
    return qtest_inw(dev->bus->qts, 0xcfc);
}

uint32_t qpci_config_readl(QPCIDevice *dev, uint8_t offset)
{
    cfg_addr(dev, offset);
    return qtest_inl(dev->bus->qts, 0xcfc);
}

void qpci_config_writeb(QPCIDevice *dev, uint8_t offset, uint8_t value)
{
    cfg_addr(dev, offset);
    qtest_outb(dev->bus->qts, 0xcfc, value);
}

void qpci_config_writew(QPCIDevice *dev, uint8_t offset, uint16_t value)
{
    cfg_addr(dev, offset);
    qtest_outw(dev->bus->qts, 0xcfc, value);
}

void qpci_config_writel(QPCIDevice *dev, uint8_t offset, uint32_t value)
{
    cfg_addr(dev, offset);
    qtest_outl(dev->bus->qts, 0xcfc, value);
}

QPCIDevice qpci_device_at(QPCIBus *bus, int devfn)
{
    QPCIDevice d = { .bus = bus, .devfn = devfn };

    return d;
}

QPCIDevice *qpci_device_find(QPCIBus *bus, int devfn)
{
    QPCIDevice d = qpci_device_at(bus, devfn);

    if (qpci_config_readw(&d, PCI_VENDOR_ID) == 0xffff) {
        return NULL;
    }
    return g_memdup2(&d, sizeof(d));
}

void qpci_device_foreach(QPCIBus *bus, int vendor_id,
                         void (*fn)(QPCIDevice *dev, int devfn, void *data),
                         void *data)
{
    for (int slot = 0; slot < 32; slot++) {
        for (int fn_nr = 0; fn_nr < 8; fn_nr++) {
            g_autofree QPCIDevice *dev =
                qpci_device_find(bus, QPCI_DEVFN(slot, fn_nr));

            if (!dev) {
                if (fn_nr == 0) {
                    break;
                }
                continue;
            }
            if (vendor_id == 0xffff ||
                qpci_config_readw(dev, PCI_VENDOR_ID) == vendor_id) {
                fn(dev, QPCI_DEVFN(slot, fn_nr), data);
            }
        }
    }
}

void qpci_device_enable(QPCIDevice *dev)
{
    uint16_t cmd = qpci_config_readw(dev, PCI_COMMAND);

    cmd |= PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    qpci_config_writew(dev, PCI_COMMAND, cmd);
    cmd = qpci_config_readw(dev, PCI_COMMAND);
    g_assert_cmphex(cmd & PCI_COMMAND_IO, ==, PCI_COMMAND_IO);
    g_assert_cmphex(cmd & PCI_COMMAND_MEMORY, ==, PCI_COMMAND_MEMORY);
    g_assert_cmphex(cmd & PCI_COMMAND_MASTER, ==, PCI_COMMAND_MASTER);
}

uint8_t qpci_find_capability(QPCIDevice *dev, uint8_t id, uint8_t start)
{
    uint8_t addr = start ? qpci_config_readb(dev, start + 1) :
                           qpci_config_readb(dev, PCI_CAPABILITY_LIST);
    int guard = 48;

    while (addr && guard--) {
        if (qpci_config_readb(dev, addr) == id) {
            return addr;
        }
        addr = qpci_config_readb(dev, addr + 1);
    }
    return 0;
}

QPCIBar qpci_iomap(QPCIDevice *dev, int barno, uint64_t *sizeptr)
{
    uint8_t off = PCI_BASE_ADDRESS_0 + barno * 4;
    QPCIBus *bus = dev->bus;
    uint32_t addr, io_type;
    uint64_t size, loc;
    QPCIBar bar;

    qpci_config_writel(dev, off, 0xffffffff);
    addr = qpci_config_readl(dev, off);
    io_type = addr & 1;
    addr &= io_type ? ~3u : ~0xfu;
    g_assert(addr);             /* the BAR must exist */
    size = 1ULL << __builtin_ctz(addr);
    if (sizeptr) {
        *sizeptr = size;
    }
    if (io_type) {
        loc = (bus->pio_alloc_ptr + size - 1) & ~(size - 1);
        g_assert(loc + size <= bus->pio_limit);
        bus->pio_alloc_ptr = loc + size;
    } else {
        loc = (bus->mmio_alloc_ptr + size - 1) & ~(size - 1);
        g_assert(loc + size <= bus->mmio_limit);
        bus->mmio_alloc_ptr = loc + size;
    }
    /* Only the low dword: the upper half of a 64-bit BAR stays 0. */
    qpci_config_writel(dev, off, loc);
    bar.addr = loc;
    bar.is_io = io_type;
    return bar;
}

void qpci_iounmap(QPCIDevice *dev, QPCIBar bar)
{
    /* Bump allocators: nothing to give back. */
}

QPCIBar qpci_legacy_iomap(QPCIDevice *dev, uint16_t addr)
{
    QPCIBar bar = { .addr = addr, .is_io = true };

    return bar;
}

#define IO_ACCESSOR(w, T)                                                     \
T qpci_io_read##w(QPCIDevice *dev, QPCIBar bar, uint64_t off)                 \
{                                                                             \
    QTestState *qts = dev->bus->qts;                                          \
    return bar.is_io ? (T)qtest_in##w(qts, bar.addr + off) :                  \
                       (T)qtest_read##w(qts, bar.addr + off);                 \
}                                                                             \
void qpci_io_write##w(QPCIDevice *dev, QPCIBar bar, uint64_t off, T v)        \
{                                                                             \
    QTestState *qts = dev->bus->qts;                                          \
    if (bar.is_io) {                                                          \
        qtest_out##w(qts, bar.addr + off, v);                                 \
    } else {                                                                  \
        qtest_write##w(qts, bar.addr + off, v);                               \
    }                                                                         \
}

IO_ACCESSOR(b, uint8_t)
IO_ACCESSOR(w, uint16_t)
IO_ACCESSOR(l, uint32_t)

uint64_t qpci_io_readq(QPCIDevice *dev, QPCIBar bar, uint64_t off)
{
    QTestState *qts = dev->bus->qts;

    if (bar.is_io) {
        return qtest_inl(qts, bar.addr + off) |
               ((uint64_t)qtest_inl(qts, bar.addr + off + 4) << 32);
    }
    return qtest_readq(qts, bar.addr + off);
}

void qpci_io_writeq(QPCIDevice *dev, QPCIBar bar, uint64_t off, uint64_t v)
{
    QTestState *qts = dev->bus->qts;

    if (bar.is_io) {
        qtest_outl(qts, bar.addr + off, v);
        qtest_outl(qts, bar.addr + off + 4, v >> 32);
    } else {
        qtest_writeq(qts, bar.addr + off, v);
    }
}

/* Red Hat resource-reserve capability: bus numbers to keep behind a port. */
static int bridge_bus_reserve(QPCIDevice *dev)
{
    uint8_t cap = 0;

    while ((cap = qpci_find_capability(dev, PCI_CAP_ID_VNDR, cap))) {
        if (qpci_config_readb(dev, cap + 3) == 1) {     /* type: reserve */
            uint32_t res = qpci_config_readl(dev, cap + 4);
            return res == 0xffffffff ? 0 : (int)res;
        }
    }
    return 0;
}

static bool is_bridge(QPCIDevice *dev)
{
    return qpci_config_readw(dev, PCI_VENDOR_ID) != 0xffff &&
           qpci_config_readw(dev, PCI_CLASS_DEVICE) == PCI_CLASS_BRIDGE_PCI;
}

static int secondary_buses_rec(QPCIBus *qbus, int bus, int last)
{
    /* Pass 1: park every bridge on this bus out of the way. */
    for (int slot = 0; slot < 32; slot++) {
        QPCIDevice d = qpci_device_at(qbus, QPCI_BDF(bus, slot, 0));

        if (is_bridge(&d)) {
            qpci_config_writeb(&d, PCI_SECONDARY_BUS, 255);
            qpci_config_writeb(&d, PCI_SUBORDINATE_BUS, 0);
        }
    }
    /* Pass 2: number them in slot order, depth first. */
    for (int slot = 0; slot < 32; slot++) {
        QPCIDevice d = qpci_device_at(qbus, QPCI_BDF(bus, slot, 0));
        int sec;

        if (!is_bridge(&d)) {
            continue;
        }
        if (qpci_config_readb(&d, PCI_PRIMARY_BUS) != bus) {
            qpci_config_writeb(&d, PCI_PRIMARY_BUS, bus);
        }
        sec = ++last;
        if (qpci_config_readb(&d, PCI_SECONDARY_BUS) != sec) {
            qpci_config_writeb(&d, PCI_SECONDARY_BUS, sec);
        }
        qpci_config_writeb(&d, PCI_SUBORDINATE_BUS, 255);
        last = secondary_buses_rec(qbus, sec, last);
        last += bridge_bus_reserve(&d);
        qpci_config_writeb(&d, PCI_SUBORDINATE_BUS, last);
    }
    return last;
}

int qpci_secondary_buses_init(QPCIBus *bus)
{
    return secondary_buses_rec(bus, 0, 0);
}

void qpci_msix_enable(QPCIDevice *dev)
{
    uint8_t cap = qpci_find_capability(dev, PCI_CAP_ID_MSIX, 0);
    uint16_t ctl;

    g_assert(cap);
    ctl = qpci_config_readw(dev, cap + 2);
    qpci_config_writew(dev, cap + 2, (ctl | 0x8000) & ~0x4000);
}

void qpci_msix_set_vector(QPCIDevice *dev, QPCIBar table, int entry,
                          uint64_t addr, uint32_t data)
{
    uint64_t off = entry * 16;

    qpci_io_writel(dev, table, off, addr);
    qpci_io_writel(dev, table, off + 4, addr >> 32);
    qpci_io_writel(dev, table, off + 8, data);
    qpci_io_writel(dev, table, off + 12, 0);    /* unmask */
}
