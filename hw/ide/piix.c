/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * piix3-ide (00:01.1): the PIIX3 IDE function's identity and config
 * space (legacy-mode IDE, bus-master BAR 4).  No disks are emulated: the
 * bus-master registers read as zero.
 */
#include "qapi/error.h"
#include "hw/isa/piix.h"

#define PIIX_IDE_BMDMA_BAR  4
#define PIIX_IDE_BMDMA_SIZE 16

typedef struct PIIXIDEState {
    PCIDevice parent_obj;
    MemoryRegion bmdma;
} PIIXIDEState;

static uint64_t bmdma_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void bmdma_write(void *opaque, hwaddr addr, uint64_t val,
                        unsigned size)
{
}

static const MemoryRegionOps bmdma_ops = {
    .read = bmdma_read,
    .write = bmdma_write,
};

static void piix_ide_reset(PCIDevice *d)
{
    pci_set_word(d->config + PCI_COMMAND, 0);
    /* Fast back-to-back capable, medium DEVSEL timing. */
    pci_set_word(d->config + PCI_STATUS, 0x0280);
}

static void piix_ide_realize(PCIDevice *d, GError **errp)
{
    PIIXIDEState *s = (PIIXIDEState *)d;

    memory_region_init_io(&s->bmdma, OBJECT(d), &bmdma_ops, s, "piix-bmdma",
                          PIIX_IDE_BMDMA_SIZE);
    pci_register_bar(d, PIIX_IDE_BMDMA_BAR, PCI_BASE_ADDRESS_SPACE_IO,
                     &s->bmdma);
    piix_ide_reset(d);
}

static void piix_ide_exit(PCIDevice *d)
{
    memory_region_finalize(&((PIIXIDEState *)d)->bmdma);
}

static void piix_ide_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = piix_ide_realize;
    pc->exit = piix_ide_exit;
    pc->reset = piix_ide_reset;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7010;             /* 82371SB IDE */
    pc->class_id = PCI_CLASS_STORAGE_IDE;
    pc->class_prog = 0x80;              /* bus master, legacy ports */
    dc->desc = "IDE controller";
    dc->category = DEVICE_CATEGORY_STORAGE;
    dc->hotpluggable = false;
}

static const TypeInfo piix_ide_info = {
    .name = TYPE_PIIX3_IDE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PIIXIDEState),
    .class_init = piix_ide_class_init,
};

static void piix_ide_register_types(void)
{
    type_register_static(&piix_ide_info);
}

type_init(piix_ide_register_types)
