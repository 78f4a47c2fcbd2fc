/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PC configuration mechanism #1 (0xcf8/0xcfc), one implementation for
 * every PC host bridge.
 */
#include "hw/pci/pci_host.h"

#define CONFIG_ENABLE 0x80000000u

static uint32_t all_ones(unsigned size)
{
    return size >= 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

static uint64_t conf_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIConfigPort *p = opaque;

    return (p->config_reg >> (addr * 8)) & all_ones(size);
}

static void conf_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
    PCIConfigPort *p = opaque;

    /* Only a full dword write at 0xcf8 latches an address. */
    if (addr == 0 && size == 4) {
        p->config_reg = val;
    }
}

static const MemoryRegionOps conf_ops = {
    .read = conf_read,
    .write = conf_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

static PCIDevice *conf_target(PCIConfigPort *p, uint32_t reg)
{
    return pci_find_device(p->bus, (reg >> 16) & 0xff, (reg >> 8) & 0xff);
}

static uint64_t data_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIConfigPort *p = opaque;
    uint32_t reg = p->config_reg;

    if (!(reg & CONFIG_ENABLE)) {
        return all_ones(size);
    }
    /* The latched low bits are OR-ed with the port offset. */
    return pci_host_config_read(conf_target(p, reg), (reg | addr) & 0xff,
                                PCI_CONFIG_SPACE_SIZE, size);
}

static void data_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
    PCIConfigPort *p = opaque;
    uint32_t reg = p->config_reg;

    if (!(reg & CONFIG_ENABLE)) {
        return;
    }
    pci_host_config_write(conf_target(p, reg), (reg | addr) & 0xff,
                          PCI_CONFIG_SPACE_SIZE, val, size);
}

static const MemoryRegionOps data_ops = {
    .read = data_read,
    .write = data_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

void pci_config_port_init(PCIConfigPort *p, Object *owner, PCIBus *bus,
                          MemoryRegion *io)
{
    p->bus = bus;
    memory_region_init_io(&p->conf_io, owner, &conf_ops, p, "pci-conf-idx",
                          4);
    memory_region_add_subregion(io, 0xcf8, &p->conf_io);
    memory_region_init_io(&p->data_io, owner, &data_ops, p, "pci-conf-data",
                          4);
    memory_region_add_subregion(io, 0xcfc, &p->data_io);
}
