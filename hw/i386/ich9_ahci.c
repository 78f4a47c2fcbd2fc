/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ich9-ahci (00:1f.2): the ICH9 SATA controller's identity and config
 * space (BAR4 index/data I/O, BAR5 AHCI registers, MSI then SATA
 * capability).  No disks are emulated: the BARs read as zero.
 */
#include "qapi/error.h"
#include "hw/i386/ich9.h"

#define ICH9_AHCI_MSI_OFFSET    0x80
#define ICH9_AHCI_SATA_OFFSET   0xa8
#define ICH9_AHCI_SATA_SIZE     0x08
#define ICH9_IDP_BAR            4
#define ICH9_IDP_SIZE           0x20
#define ICH9_ABAR               5
#define ICH9_ABAR_SIZE          0x1000

typedef struct ICH9AHCIState {
    PCIDevice parent_obj;
    MemoryRegion idp;
    MemoryRegion abar;
} ICH9AHCIState;

static uint64_t stub_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void stub_write(void *opaque, hwaddr addr, uint64_t val,
                       unsigned size)
{
}

static const MemoryRegionOps stub_ops = {
    .read = stub_read,
    .write = stub_write,
};

static void ich9_ahci_realize(PCIDevice *d, GError **errp)
{
    ICH9AHCIState *s = (ICH9AHCIState *)d;
    int pos;

    d->config[PCI_INTERRUPT_PIN] = 1;
    memory_region_init_io(&s->idp, OBJECT(d), &stub_ops, s, "ahci-idp",
                          ICH9_IDP_SIZE);
    pci_register_bar(d, ICH9_IDP_BAR, PCI_BASE_ADDRESS_SPACE_IO, &s->idp);
    memory_region_init_io(&s->abar, OBJECT(d), &stub_ops, s, "ahci",
                          ICH9_ABAR_SIZE);
    pci_register_bar(d, ICH9_ABAR, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->abar);
    /* SATA first: the list then reads MSI (0x80) -> SATA (0xa8). */
    pos = pci_add_capability(d, PCI_CAP_ID_SATA, ICH9_AHCI_SATA_OFFSET,
                             ICH9_AHCI_SATA_SIZE, errp);
    if (pos < 0) {
        return;
    }
    pci_set_word(d->config + pos + 2, 0x10);            /* revision 1.0 */
    /* Index/data pair in BAR4 (BARLOC 0x8), at offset 4 dwords (0x40). */
    pci_set_long(d->config + pos + 4, (ICH9_IDP_BAR + 4) | (4 << 4));
    msi_init(d, ICH9_AHCI_MSI_OFFSET, 1, false, false, errp);
}

static void ich9_ahci_exit(PCIDevice *d)
{
    ICH9AHCIState *s = (ICH9AHCIState *)d;

    memory_region_finalize(&s->idp);
    memory_region_finalize(&s->abar);
}

static void ich9_ahci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = ich9_ahci_realize;
    pc->exit = ich9_ahci_exit;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x2922;
    pc->revision = 0x02;
    pc->class_id = PCI_CLASS_STORAGE_SATA;
    pc->class_prog = 0x01;
    dc->desc = "ICH9 AHCI";
    dc->category = DEVICE_CATEGORY_STORAGE;
    dc->hotpluggable = false;
}

static const TypeInfo ich9_ahci_info = {
    .name = TYPE_ICH9_AHCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(ICH9AHCIState),
    .class_init = ich9_ahci_class_init,
};

static void ich9_ahci_register_types(void)
{
    type_register_static(&ich9_ahci_info);
}

type_init(ich9_ahci_register_types)
