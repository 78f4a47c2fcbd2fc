/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICH9-SMB (00:1f.3): the SMBus controller's identity and config space,
 * BAR4 an I/O window with nothing behind it (reads as zero).
 */
#include "qapi/error.h"
#include "hw/i386/ich9.h"

#define ICH9_SMB_BAR            4
#define ICH9_SMB_BAR_SIZE       0x40
#define ICH9_SMB_HOSTC          0x40

typedef struct ICH9SMBState {
    PCIDevice parent_obj;
    MemoryRegion io;
} ICH9SMBState;

static uint64_t smb_read(void *opaque, hwaddr addr, unsigned size)
{
    return 0;
}

static void smb_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
}

static const MemoryRegionOps smb_ops = {
    .read = smb_read,
    .write = smb_write,
};

static void ich9_smb_realize(PCIDevice *d, GError **errp)
{
    ICH9SMBState *s = (ICH9SMBState *)d;

    d->config[PCI_INTERRUPT_PIN] = 1;
    d->wmask[ICH9_SMB_HOSTC] = 0x1f;
    memory_region_init_io(&s->io, OBJECT(d), &smb_ops, s, "ich9-smbus",
                          ICH9_SMB_BAR_SIZE);
    pci_register_bar(d, ICH9_SMB_BAR, PCI_BASE_ADDRESS_SPACE_IO, &s->io);
}

static void ich9_smb_exit(PCIDevice *d)
{
    memory_region_finalize(&((ICH9SMBState *)d)->io);
}

static void ich9_smb_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = ich9_smb_realize;
    pc->exit = ich9_smb_exit;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x2930;
    pc->revision = 0x02;
    pc->class_id = PCI_CLASS_SERIAL_SMBUS;
    dc->desc = "ICH9 SMBus";
    dc->user_creatable = false;
    dc->hotpluggable = false;
}

static const TypeInfo ich9_smb_info = {
    .name = TYPE_ICH9_SMB_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(ICH9SMBState),
    .class_init = ich9_smb_class_init,
};

static void ich9_smb_register_types(void)
{
    type_register_static(&ich9_smb_info);
}

type_init(ich9_smb_register_types)
