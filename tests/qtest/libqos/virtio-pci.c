/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos virtio-pci transport, modern and legacy.
 */
#include <string.h>

#include "virtio-pci.h"

#define PCI_CAP_ID_VNDR 0x09

/* Modern common configuration */
#define CC_DFSELECT     0x00
#define CC_DF           0x04
#define CC_GFSELECT     0x08
#define CC_GF           0x0c
#define CC_MSIX         0x10
#define CC_STATUS       0x14
#define CC_Q_SELECT     0x16
#define CC_Q_SIZE       0x18
#define CC_Q_ENABLE     0x1c
#define CC_Q_NOFF       0x1e
#define CC_Q_DESCLO     0x20
#define CC_Q_DESCHI     0x24
#define CC_Q_AVAILLO    0x28
#define CC_Q_AVAILHI    0x2c
#define CC_Q_USEDLO     0x30
#define CC_Q_USEDHI     0x34

/* Legacy I/O BAR */
#define LEG_HOST_FEATURES       0
#define LEG_GUEST_FEATURES      4
#define LEG_QUEUE_PFN           8
#define LEG_QUEUE_NUM           12
#define LEG_QUEUE_SEL           14
#define LEG_QUEUE_NOTIFY        16
#define LEG_STATUS              18
#define LEG_ISR                 19
#define LEG_CONFIG              20      /* without MSI-X enabled */

static QVirtioPCIDevice *to_pci(QVirtioDevice *d)
{
    return (QVirtioPCIDevice *)d;
}

uint32_t qvirtio_pci_common_readl(QVirtioPCIDevice *d, uint64_t off)
{
    return qpci_io_readl(&d->pdev, d->bar, d->common + off);
}

uint16_t qvirtio_pci_common_readw(QVirtioPCIDevice *d, uint64_t off)
{
    return qpci_io_readw(&d->pdev, d->bar, d->common + off);
}

void qvirtio_pci_common_writel(QVirtioPCIDevice *d, uint64_t off, uint32_t v)
{
    qpci_io_writel(&d->pdev, d->bar, d->common + off, v);
}

void qvirtio_pci_common_writew(QVirtioPCIDevice *d, uint64_t off, uint16_t v)
{
    qpci_io_writew(&d->pdev, d->bar, d->common + off, v);
}

uint32_t qvirtio_pci_legacy_readl(QVirtioPCIDevice *d, uint64_t off)
{
    return qpci_io_readl(&d->pdev, d->bar, off);
}

void qvirtio_pci_set_msix_config(QVirtioPCIDevice *d, uint16_t vector)
{
    qvirtio_pci_common_writew(d, CC_MSIX, vector);
}

/* ---- Modern ---- */

static uint8_t m_get_status(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readb(&p->pdev, p->bar, p->common + CC_STATUS);
}

static void m_set_status(QVirtioDevice *d, uint8_t s)
{
    QVirtioPCIDevice *p = to_pci(d);

    qpci_io_writeb(&p->pdev, p->bar, p->common + CC_STATUS, s);
}

static uint64_t m_get_features(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);
    uint64_t lo, hi;

    qvirtio_pci_common_writel(p, CC_DFSELECT, 0);
    lo = qvirtio_pci_common_readl(p, CC_DF);
    qvirtio_pci_common_writel(p, CC_DFSELECT, 1);
    hi = qvirtio_pci_common_readl(p, CC_DF);
    return hi << 32 | lo;
}

static void m_set_features(QVirtioDevice *d, uint64_t f)
{
    QVirtioPCIDevice *p = to_pci(d);

    /* Low dword first, then the high one, as QEMU's libqos. */
    qvirtio_pci_common_writel(p, CC_GFSELECT, 0);
    qvirtio_pci_common_writel(p, CC_GF, f);
    qvirtio_pci_common_writel(p, CC_GFSELECT, 1);
    qvirtio_pci_common_writel(p, CC_GF, f >> 32);
}

static uint64_t m_get_guest_features(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);
    uint64_t lo, hi;

    qvirtio_pci_common_writel(p, CC_GFSELECT, 0);
    lo = qvirtio_pci_common_readl(p, CC_GF);
    qvirtio_pci_common_writel(p, CC_GFSELECT, 1);
    hi = qvirtio_pci_common_readl(p, CC_GF);
    return hi << 32 | lo;
}

static uint8_t m_config_readb(QVirtioDevice *d, uint64_t off)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readb(&p->pdev, p->bar, p->device + off);
}

static uint16_t m_config_readw(QVirtioDevice *d, uint64_t off)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readw(&p->pdev, p->bar, p->device + off);
}

static uint32_t m_config_readl(QVirtioDevice *d, uint64_t off)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readl(&p->pdev, p->bar, p->device + off);
}

static uint8_t m_get_isr(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readb(&p->pdev, p->bar, p->isr);
}

static void m_queue_select(QVirtioDevice *d, uint16_t i)
{
    qvirtio_pci_common_writew(to_pci(d), CC_Q_SELECT, i);
}

static uint16_t m_queue_size(QVirtioDevice *d)
{
    return qvirtio_pci_common_readw(to_pci(d), CC_Q_SIZE);
}

static void m_queue_set(QVirtioDevice *d, uint64_t desc, uint64_t avail,
                        uint64_t used)
{
    QVirtioPCIDevice *p = to_pci(d);

    qvirtio_pci_common_writel(p, CC_Q_DESCLO, desc);
    qvirtio_pci_common_writel(p, CC_Q_DESCHI, desc >> 32);
    qvirtio_pci_common_writel(p, CC_Q_AVAILLO, avail);
    qvirtio_pci_common_writel(p, CC_Q_AVAILHI, avail >> 32);
    qvirtio_pci_common_writel(p, CC_Q_USEDLO, used);
    qvirtio_pci_common_writel(p, CC_Q_USEDHI, used >> 32);
    qvirtio_pci_common_writew(p, CC_Q_ENABLE, 1);
}

static void m_queue_notify(QVirtioDevice *d, uint16_t i)
{
    QVirtioPCIDevice *p = to_pci(d);
    uint16_t noff;

    qvirtio_pci_common_writew(p, CC_Q_SELECT, i);
    noff = qvirtio_pci_common_readw(p, CC_Q_NOFF);
    qpci_io_writew(&p->pdev, p->bar, p->notify + noff * p->notify_mult, i);
}

static const QVirtioBus modern_bus = {
    .get_status = m_get_status,
    .set_status = m_set_status,
    .get_features = m_get_features,
    .set_features = m_set_features,
    .get_guest_features = m_get_guest_features,
    .config_readb = m_config_readb,
    .config_readw = m_config_readw,
    .config_readl = m_config_readl,
    .get_isr = m_get_isr,
    .queue_select = m_queue_select,
    .queue_size = m_queue_size,
    .queue_set = m_queue_set,
    .queue_notify = m_queue_notify,
};

/* ---- Legacy ---- */

static uint8_t l_get_status(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readb(&p->pdev, p->bar, LEG_STATUS);
}

static void l_set_status(QVirtioDevice *d, uint8_t s)
{
    QVirtioPCIDevice *p = to_pci(d);

    qpci_io_writeb(&p->pdev, p->bar, LEG_STATUS, s);
}

static uint64_t l_get_features(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readl(&p->pdev, p->bar, LEG_HOST_FEATURES);
}

static void l_set_features(QVirtioDevice *d, uint64_t f)
{
    QVirtioPCIDevice *p = to_pci(d);

    qpci_io_writel(&p->pdev, p->bar, LEG_GUEST_FEATURES, f);
}

static uint64_t l_get_guest_features(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readl(&p->pdev, p->bar, LEG_GUEST_FEATURES);
}

static uint8_t l_config_readb(QVirtioDevice *d, uint64_t off)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readb(&p->pdev, p->bar, LEG_CONFIG + off);
}

static uint16_t l_config_readw(QVirtioDevice *d, uint64_t off)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readw(&p->pdev, p->bar, LEG_CONFIG + off);
}

static uint32_t l_config_readl(QVirtioDevice *d, uint64_t off)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readl(&p->pdev, p->bar, LEG_CONFIG + off);
}

static uint8_t l_get_isr(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readb(&p->pdev, p->bar, LEG_ISR);
}

static void l_queue_select(QVirtioDevice *d, uint16_t i)
{
    QVirtioPCIDevice *p = to_pci(d);

    qpci_io_writew(&p->pdev, p->bar, LEG_QUEUE_SEL, i);
}

static uint16_t l_queue_size(QVirtioDevice *d)
{
    QVirtioPCIDevice *p = to_pci(d);

    return qpci_io_readw(&p->pdev, p->bar, LEG_QUEUE_NUM);
}

static void l_queue_set(QVirtioDevice *d, uint64_t desc, uint64_t avail,
                        uint64_t used)
{
    QVirtioPCIDevice *p = to_pci(d);

    /* The legacy layout is implied by the page frame number. */
    qpci_io_writel(&p->pdev, p->bar, LEG_QUEUE_PFN, desc >> 12);
}

static void l_queue_notify(QVirtioDevice *d, uint16_t i)
{
    QVirtioPCIDevice *p = to_pci(d);

    qpci_io_writew(&p->pdev, p->bar, LEG_QUEUE_NOTIFY, i);
}

static const QVirtioBus legacy_bus = {
    .get_status = l_get_status,
    .set_status = l_set_status,
    .get_features = l_get_features,
    .set_features = l_set_features,
    .get_guest_features = l_get_guest_features,
    .config_readb = l_config_readb,
    .config_readw = l_config_readw,
    .config_readl = l_config_readl,
    .get_isr = l_get_isr,
    .queue_select = l_queue_select,
    .queue_size = l_queue_size,
    .queue_set = l_queue_set,
    .queue_notify = l_queue_notify,
};

/* ---- Probe ---- */

static bool find_caps(QVirtioPCIDevice *d)
{
    uint8_t cap = 0;
    int bar = -1;

    while ((cap = qpci_find_capability(&d->pdev, PCI_CAP_ID_VNDR, cap))) {
        uint8_t type = qpci_config_readb(&d->pdev, cap + 3);
        uint8_t cbar = qpci_config_readb(&d->pdev, cap + 4);
        uint32_t off = qpci_config_readl(&d->pdev, cap + 8);

        if (type < 1 || type > 5) {
            continue;
        }
        d->cap_off[type] = cap;
        if (type == QVIRTIO_PCI_CAP_PCI_CFG) {
            continue;
        }
        if (bar >= 0 && cbar != bar) {
            return false;       /* all must be in one BAR */
        }
        bar = cbar;
        switch (type) {
        case QVIRTIO_PCI_CAP_COMMON:
            d->common = off;
            break;
        case QVIRTIO_PCI_CAP_NOTIFY:
            d->notify = off;
            d->notify_mult = qpci_config_readl(&d->pdev, cap + 16);
            break;
        case QVIRTIO_PCI_CAP_ISR:
            d->isr = off;
            break;
        case QVIRTIO_PCI_CAP_DEVICE:
            d->device = off;
            break;
        }
    }
    d->bar_idx = bar;
    return d->cap_off[QVIRTIO_PCI_CAP_COMMON] != 0;
}

static bool pci_init(QVirtioPCIDevice *d, QPCIBus *bus, int devfn,
                     bool legacy)
{
    uint16_t vendor, id;

    memset(d, 0, sizeof(*d));
    d->pdev = qpci_device_at(bus, devfn);
    vendor = qpci_config_readw(&d->pdev, 0);
    id = qpci_config_readw(&d->pdev, 2);
    if (vendor != 0x1af4 || id < 0x1000 || id > 0x107f) {
        return false;
    }
    d->vdev.qts = bus->qts;
    d->vdev.device_type = id >= 0x1040 ? id - 0x1040 :
                          qpci_config_readw(&d->pdev, 0x2e);
    /* No COMMON capability: the legacy interface, as QEMU's libqos. */
    d->modern = find_caps(d) && !legacy;
    qpci_device_enable(&d->pdev);
    if (d->modern) {
        d->vdev.bus = &modern_bus;
        d->bar = qpci_iomap(&d->pdev, d->bar_idx, NULL);
    } else {
        d->vdev.bus = &legacy_bus;
        d->bar_idx = 0;
        d->bar = qpci_iomap(&d->pdev, 0, NULL);
    }
    return true;
}

bool qvirtio_pci_init(QVirtioPCIDevice *d, QPCIBus *bus, int devfn)
{
    return pci_init(d, bus, devfn, false);
}

bool qvirtio_pci_init_legacy(QVirtioPCIDevice *d, QPCIBus *bus, int devfn)
{
    return pci_init(d, bus, devfn, true);
}
