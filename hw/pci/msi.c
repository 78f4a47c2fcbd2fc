/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MSI capability: a message (address, data) the function writes to signal. */
#include "qapi/error.h"
#include "hw/pci/pci.h"

#define PCI_MSI_DATA_32 8
#define PCI_MSI_DATA_64 12

static bool msi_is_64(PCIDevice *dev)
{
    return pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS) &
           PCI_MSI_FLAGS_64BIT;
}

int msi_init(PCIDevice *dev, uint8_t offset, unsigned nr_vectors,
             bool msi64bit, bool per_vector_mask, GError **errp)
{
    unsigned log2 = g_bit_storage(nr_vectors) - 1;
    uint8_t size = msi64bit ? 0xe : 0xa;
    uint16_t flags = log2 << 1;
    int pos;

    if (per_vector_mask) {
        size += 0xa;
        flags |= PCI_MSI_FLAGS_MASKBIT;
    }
    if (msi64bit) {
        flags |= PCI_MSI_FLAGS_64BIT;
    }
    pos = pci_add_capability(dev, PCI_CAP_ID_MSI, offset, size, errp);
    if (pos < 0) {
        return -1;
    }
    dev->msi_cap = pos;
    pci_set_word(dev->config + pos + PCI_MSI_FLAGS, flags);
    pci_set_word(dev->wmask + pos + PCI_MSI_FLAGS,
                 PCI_MSI_FLAGS_QSIZE | PCI_MSI_FLAGS_ENABLE);
    pci_set_long(dev->wmask + pos + PCI_MSI_ADDRESS_LO, 0xfffffffc);
    if (msi64bit) {
        pci_set_long(dev->wmask + pos + PCI_MSI_ADDRESS_HI, 0xffffffff);
    }
    pci_set_word(dev->wmask + pos +
                 (msi64bit ? PCI_MSI_DATA_64 : PCI_MSI_DATA_32), 0xffff);
    if (per_vector_mask) {
        uint8_t mask_off = pos + (msi64bit ? 0x10 : 0xc);
        pci_set_long(dev->wmask + mask_off,
                     0xffffffff >> (32 - nr_vectors));
    }
    return pos;
}

bool msi_enabled(PCIDevice *dev)
{
    return dev->msi_cap &&
           (pci_get_word(dev->config + dev->msi_cap + PCI_MSI_FLAGS) &
            PCI_MSI_FLAGS_ENABLE);
}

void msi_notify(PCIDevice *dev, unsigned vector)
{
    uint8_t *c = dev->config + dev->msi_cap;
    uint16_t flags;
    unsigned nvec;
    uint64_t addr;
    uint32_t data;

    if (!msi_enabled(dev)) {
        return;
    }
    flags = pci_get_word(c + PCI_MSI_FLAGS);
    nvec = 1u << ((flags & PCI_MSI_FLAGS_QSIZE) >> 4);
    if (vector >= nvec) {
        return;
    }
    if (flags & PCI_MSI_FLAGS_MASKBIT) {
        uint32_t mask = pci_get_long(c + (msi_is_64(dev) ? 0x10 : 0xc));
        if (mask & (1u << vector)) {
            return;
        }
    }
    addr = pci_get_long(c + PCI_MSI_ADDRESS_LO);
    if (msi_is_64(dev)) {
        addr |= (uint64_t)pci_get_long(c + PCI_MSI_ADDRESS_HI) << 32;
    }
    data = pci_get_word(c + (msi_is_64(dev) ? PCI_MSI_DATA_64 :
                                              PCI_MSI_DATA_32));
    data = (data & ~(nvec - 1)) | vector;
    /* Without bus mastering the write never leaves the function. */
    if (!(pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_MASTER)) {
        return;
    }
    address_space_write_sized(&address_space_memory, addr, 4, data);
}
