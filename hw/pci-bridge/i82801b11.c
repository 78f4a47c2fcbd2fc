/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * i82801b11-bridge: the ICH9 DMI-to-PCI bridge (8086:244e rev 0x92,
 * class 0604 with prog-if 01, subtractive decode), what libvirt calls
 * "dmi-to-pci-bridge" on q35: a conventional PCI bus behind pcie.0.  Its
 * only capability is the bridge subsystem vendor id at 0x50 (0:0).  Its
 * bus is hot-pluggable through ACPI (ICH9-LPC) when the bridge was
 * cold-plugged; it has no native hotplug controller.
 */
#include "qapi/error.h"
#include "hw/pci/pci_bridge.h"
#include "migration/vmstate.h"

#define TYPE_I82801B11_BRIDGE "i82801b11-bridge"
#define I82801B11_SSVID_OFFSET 0x50

static void i82801b11_bridge_realize(PCIDevice *d, GError **errp)
{
    pci_bridge_initfn(d, TYPE_PCI_BUS, errp);
    if (pci_bridge_ssvid_init(d, I82801B11_SSVID_OFFSET, 0, 0, errp) < 0) {
        pci_bridge_exitfn(d);
        return;
    }
    d->config[PCI_CLASS_PROG] = 0x01;   /* subtractive decode */
}

static const VMStateDescription vmstate_bridge = {
    .name = "i82801b11_bridge",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, PCIBridge),
        VMSTATE_END_OF_LIST()
    },
};

static void i82801b11_bridge_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = i82801b11_bridge_realize;
    pc->exit = pci_bridge_exitfn;
    pc->reset = pci_bridge_reset_and_map;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x244e;
    pc->revision = 0x92;
    pc->class_id = PCI_CLASS_BRIDGE_PCI;
    dc->vmsd = &vmstate_bridge;
    dc->category = DEVICE_CATEGORY_BRIDGE;
}

static const TypeInfo i82801b11_bridge_info = {
    .name = TYPE_I82801B11_BRIDGE,
    .parent = TYPE_PCI_BRIDGE,
    .instance_size = sizeof(PCIBridge),
    .class_init = i82801b11_bridge_class_init,
};

static void i82801b11_bridge_register_types(void)
{
    type_register_static(&i82801b11_bridge_info);
}

type_init(i82801b11_bridge_register_types)
