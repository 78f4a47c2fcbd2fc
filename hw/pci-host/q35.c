/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * q35 host: pcie.0, the MCH at 00:00.0, configuration cycles through
 * 0xcf8/0xcfc and through the MMCONFIG window placed by PCIEXBAR.
 */
#include "qapi/error.h"
#include "hw/pci-host/q35.h"
#include "hw/pci/pci_host.h"
#include "hw/boards.h"

/* ---- MMCONFIG ----------------------------------------------------------- */

static PCIDevice *mmcfg_target(Q35PCIHost *s, hwaddr addr)
{
    return pci_find_device(s->bus, (addr >> 20) & 0xff, (addr >> 12) & 0xff);
}

static uint64_t mmcfg_read(void *opaque, hwaddr addr, unsigned size)
{
    Q35PCIHost *s = opaque;

    return pci_host_config_read(mmcfg_target(s, addr), addr & 0xfff,
                                PCIE_CONFIG_SPACE_SIZE, size);
}

static void mmcfg_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
    Q35PCIHost *s = opaque;

    pci_host_config_write(mmcfg_target(s, addr), addr & 0xfff,
                          PCIE_CONFIG_SPACE_SIZE, val, size);
}

static const MemoryRegionOps mmcfg_ops = {
    .read = mmcfg_read,
    .write = mmcfg_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

void q35_host_mmcfg_update(Q35PCIHost *s, uint64_t pciexbar)
{
    uint64_t size, base;

    if (s->mmcfg_mapped) {
        memory_region_del_subregion(get_system_memory(), &s->mmcfg);
        s->mmcfg_mapped = false;
    }
    if (!(pciexbar & MCH_HOST_BRIDGE_PCIEXBAREN)) {
        return;
    }
    switch ((pciexbar & MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK) >> 1) {
    case 0:
        size = 256 << 20;
        break;
    case 1:
        size = 128 << 20;
        break;
    case 2:
        size = 64 << 20;
        break;
    default:
        return;         /* reserved encoding: decode nothing */
    }
    base = pciexbar & 0xffffffff0ULL & ~(size - 1);
    s->mmcfg_base = base;
    s->mmcfg_size = size;
    memory_region_set_size(&s->mmcfg, size);
    memory_region_add_subregion(get_system_memory(), base, &s->mmcfg);
    s->mmcfg_mapped = true;
}

/* ---- The host device ---------------------------------------------------- */

static void q35_host_realize(DeviceState *dev, GError **errp)
{
    Q35PCIHost *s = Q35_HOST_DEVICE(dev);

    /* PCI space sits below RAM: windows over RAM never hide it. */
    memory_region_init(&s->pci_mem, OBJECT(s), "pci", UINT64_MAX);
    memory_region_add_subregion_overlap(get_system_memory(), 0, &s->pci_mem,
                                        -1);
    memory_region_init_io(&s->mmcfg, OBJECT(s), &mmcfg_ops, s,
                          "pcie-mmcfg-mmio", 256 << 20);
    s->bus = pci_root_bus_new(dev, "pcie.0", &s->pci_mem, get_system_io(),
                              TYPE_PCIE_BUS);
    pci_config_port_init(&s->cfg, OBJECT(s), s->bus, get_system_io());
}

static void q35_host_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->realize = q35_host_realize;
    dc->user_creatable = false;
    dc->desc = "Q35 PCI Express host bridge";
    dc->vmsd = &vmstate_q35_host;
}

static const TypeInfo q35_host_info = {
    .name = TYPE_Q35_HOST_DEVICE,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(Q35PCIHost),
    .class_init = q35_host_class_init,
};

/* ---- MCH (00:00.0) ------------------------------------------------------ */

static void mch_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                             int len)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(d);

    pci_default_write_config(d, addr, val, len);
    if (addr < MCH_HOST_BRIDGE_PCIEXBAR + 8 &&
        addr + len > MCH_HOST_BRIDGE_PCIEXBAR && mch->host) {
        q35_host_mmcfg_update(mch->host,
                              pci_get_quad(d->config +
                                           MCH_HOST_BRIDGE_PCIEXBAR));
    }
}

static void mch_reset(PCIDevice *d)
{
    MCHPCIState *mch = MCH_PCI_DEVICE(d);

    pci_set_quad(d->config + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT);
    if (mch->host) {
        q35_host_mmcfg_update(mch->host, MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT);
    }
}

static void mch_realize(PCIDevice *d, GError **errp)
{
    /* Base bits 35:26, length and enable are writable. */
    pci_set_quad(d->wmask + MCH_HOST_BRIDGE_PCIEXBAR,
                 0xffc000000ULL | MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK |
                 MCH_HOST_BRIDGE_PCIEXBAREN);
    pci_set_quad(d->config + MCH_HOST_BRIDGE_PCIEXBAR,
                 MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT);
}

static void mch_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = mch_realize;
    pc->reset = mch_reset;
    pc->config_write = mch_write_config;
    pc->vendor_id = MCH_HOST_BRIDGE_VENDOR_ID;
    pc->device_id = MCH_HOST_BRIDGE_DEVICE_ID;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_BRIDGE_HOST;
    dc->desc = "Host bridge";
    dc->vmsd = &vmstate_mch;
    dc->user_creatable = false;
    dc->hotpluggable = false;
}

static const TypeInfo mch_info = {
    .name = TYPE_MCH_PCI_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(MCHPCIState),
    .class_init = mch_class_init,
};

Q35PCIHost *q35_host_create(Object *machine, GError **errp)
{
    DeviceState *host = qdev_new(TYPE_Q35_HOST_DEVICE);
    Q35PCIHost *s = Q35_HOST_DEVICE(host);
    DeviceState *mch;

    object_property_add_child(machine, "q35", OBJECT(host));
    if (!qdev_realize_and_unref(host, sysbus_get_default(), errp)) {
        return NULL;
    }
    mch = qdev_new(TYPE_MCH_PCI_DEVICE);
    PCI_DEVICE(mch)->devfn = 0;
    MCH_PCI_DEVICE(mch)->host = s;
    object_property_add_child(OBJECT(host), "mch", OBJECT(mch));
    if (!qdev_realize_and_unref(mch, BUS(s->bus), errp)) {
        return NULL;
    }
    s->mch = MCH_PCI_DEVICE(mch);
    return s;
}

static void q35_register_types(void)
{
    type_register_static(&q35_host_info);
    type_register_static(&mch_info);
}

type_init(q35_register_types)
