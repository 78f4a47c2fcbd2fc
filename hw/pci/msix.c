/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MSI-X: a vector table and a pending-bit array living in a BAR.  A masked
 * vector records its message as pending and sends it when unmasked.
 */
#include "qapi/error.h"
#include "hw/pci/pci.h"

static bool msix_function_masked(PCIDevice *dev)
{
    return dev->config[dev->msix_cap + PCI_MSIX_FLAGS + 1] &
           (PCI_MSIX_FLAGS_MASKALL >> 8);
}

bool msix_enabled(PCIDevice *dev)
{
    return dev->msix_cap &&
           (dev->config[dev->msix_cap + PCI_MSIX_FLAGS + 1] &
            (PCI_MSIX_FLAGS_ENABLE >> 8));
}

static bool msix_vector_masked(PCIDevice *dev, unsigned vector)
{
    uint8_t *e = dev->msix_table + vector * PCI_MSIX_ENTRY_SIZE;

    return msix_function_masked(dev) ||
           (pci_get_long(e + PCI_MSIX_ENTRY_VECTOR_CTRL) &
            PCI_MSIX_ENTRY_CTRL_MASKBIT);
}

static void msix_send(PCIDevice *dev, unsigned vector)
{
    uint8_t *e = dev->msix_table + vector * PCI_MSIX_ENTRY_SIZE;

    if (!(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return;
    }
    address_space_write_sized(&address_space_memory, pci_get_quad(e), 4,
                              pci_get_long(e + PCI_MSIX_ENTRY_DATA));
}

static void msix_set_pending(PCIDevice *dev, unsigned vector, bool on)
{
    uint8_t bit = 1u << (vector % 8);

    if (on) {
        dev->msix_pba[vector / 8] |= bit;
    } else {
        dev->msix_pba[vector / 8] &= ~bit;
    }
}

static bool msix_is_pending(PCIDevice *dev, unsigned vector)
{
    return dev->msix_pba[vector / 8] & (1u << (vector % 8));
}

/* Deliver what became deliverable after an unmask. */
static void msix_flush_pending(PCIDevice *dev)
{
    if (!msix_enabled(dev)) {
        return;
    }
    for (int v = 0; v < dev->msix_entries; v++) {
        if (msix_is_pending(dev, v) && !msix_vector_masked(dev, v)) {
            msix_set_pending(dev, v, false);
            msix_send(dev, v);
        }
    }
}

void msix_notify(PCIDevice *dev, unsigned vector)
{
    if (!msix_enabled(dev) || vector >= (unsigned)dev->msix_entries) {
        return;
    }
    if (msix_vector_masked(dev, vector)) {
        msix_set_pending(dev, vector, true);
        return;
    }
    msix_send(dev, vector);
}

static uint64_t msix_table_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;

    return pci_get_long(dev->msix_table + (addr & ~3));
}

static void msix_table_write(void *opaque, hwaddr addr, uint64_t val,
                             unsigned size)
{
    PCIDevice *dev = opaque;

    pci_set_long(dev->msix_table + (addr & ~3), val);
    msix_flush_pending(dev);
}

static const MemoryRegionOps msix_table_ops = {
    .read = msix_table_read,
    .write = msix_table_write,
    .impl_min_access_size = 4,
    .impl_max_access_size = 4,
};

static uint64_t msix_pba_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *dev = opaque;
    uint32_t len = ((dev->msix_entries + 63) / 64) * 8;

    return addr + 4 <= len ? pci_get_long(dev->msix_pba + addr) : 0;
}

static void msix_pba_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    /* The PBA is read-only. */
}

static const MemoryRegionOps msix_pba_ops = {
    .read = msix_pba_read,
    .write = msix_pba_write,
    .impl_min_access_size = 4,
    .impl_max_access_size = 4,
};

int msix_init(PCIDevice *dev, unsigned short nentries, MemoryRegion *bar,
              uint8_t table_bar_nr, uint32_t table_offset,
              uint8_t pba_bar_nr, uint32_t pba_offset, uint8_t cap_pos,
              GError **errp)
{
    uint32_t table_size = nentries * PCI_MSIX_ENTRY_SIZE;
    uint32_t pba_size = ((nentries + 63) / 64) * 8;
    int pos;

    if (!nentries || nentries > 2048 ||
        table_offset + table_size > bar->size ||
        pba_offset + pba_size > bar->size) {
        error_setg(errp, "MSI-X: table or PBA does not fit the BAR");
        return -1;
    }
    pos = pci_add_capability(dev, PCI_CAP_ID_MSIX, cap_pos, 12, errp);
    if (pos < 0) {
        return -1;
    }
    dev->msix_cap = pos;
    dev->msix_entries = nentries;
    pci_set_word(dev->config + pos + PCI_MSIX_FLAGS, nentries - 1);
    pci_set_long(dev->config + pos + PCI_MSIX_TABLE,
                 table_offset | table_bar_nr);
    pci_set_long(dev->config + pos + PCI_MSIX_PBA, pba_offset | pba_bar_nr);
    dev->wmask[pos + PCI_MSIX_FLAGS + 1] =
        (PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8;
    dev->msix_table = g_malloc0(table_size);
    dev->msix_pba = g_malloc0(pba_size);
    msix_reset(dev);
    memory_region_init_io(&dev->msix_table_mmio, OBJECT(dev), &msix_table_ops,
                          dev, "msix-table", table_size);
    memory_region_add_subregion(bar, table_offset, &dev->msix_table_mmio);
    memory_region_init_io(&dev->msix_pba_mmio, OBJECT(dev), &msix_pba_ops,
                          dev, "msix-pba", pba_size);
    memory_region_add_subregion(bar, pba_offset, &dev->msix_pba_mmio);
    return pos;
}

void msix_write_config(PCIDevice *dev, uint32_t addr, uint32_t val, int len)
{
    uint32_t ctl = dev->msix_cap + PCI_MSIX_FLAGS;

    if (addr + len <= ctl || addr > ctl + 1) {
        return;
    }
    msix_flush_pending(dev);
}

void msix_reset(PCIDevice *dev)
{
    if (!dev->msix_cap || !dev->msix_table) {
        return;
    }
    dev->config[dev->msix_cap + PCI_MSIX_FLAGS + 1] &=
        ~((PCI_MSIX_FLAGS_ENABLE | PCI_MSIX_FLAGS_MASKALL) >> 8);
    memset(dev->msix_table, 0, dev->msix_entries * PCI_MSIX_ENTRY_SIZE);
    for (int v = 0; v < dev->msix_entries; v++) {
        pci_set_long(dev->msix_table + v * PCI_MSIX_ENTRY_SIZE +
                     PCI_MSIX_ENTRY_VECTOR_CTRL, PCI_MSIX_ENTRY_CTRL_MASKBIT);
    }
    memset(dev->msix_pba, 0, ((dev->msix_entries + 63) / 64) * 8);
}

void msix_uninit(PCIDevice *dev)
{
    if (!dev->msix_table) {
        return;
    }
    memory_region_finalize(&dev->msix_table_mmio);
    memory_region_finalize(&dev->msix_pba_mmio);
    g_clear_pointer(&dev->msix_table, g_free);
    g_clear_pointer(&dev->msix_pba, g_free);
    dev->msix_cap = 0;
    dev->msix_entries = 0;
}
