/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcie-pci-bridge: Red Hat's PCI Express-to-PCI bridge (1b36:000e), for
 * conventional PCI devices on q35.  Capabilities as QEMU lays them out:
 * PCIe (PCI bridge type) at 0x48, power management at 0x84, MSI (one
 * vector, 64-bit, maskable) at 0x8c, AER at 0x100.  QEMU's SHPC hotplug
 * controller (capability at 0x40 and BAR0) is not modelled: the bus is
 * hot-pluggable through ACPI (ICH9-LPC) when the bridge was cold-plugged.
 */
#include "qapi/error.h"
#include "hw/pci/pci_bridge.h"
#include "migration/vmstate.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"

#define TYPE_PCIE_PCI_BRIDGE "pcie-pci-bridge"
#define PCI_EXP_TYPE_PCI_BRIDGE 0x7
#define PPB_EXP_OFFSET  0x48
#define PPB_PM_OFFSET   0x84
#define PPB_MSI_OFFSET  0x8c
#define PPB_AER_OFFSET  0x100

typedef struct PCIEPCIBridge {
    PCIBridge parent_obj;
    OnOffAuto msi;
} PCIEPCIBridge;

#define PCIE_PCI_BRIDGE(obj) \
    OBJECT_CHECK(PCIEPCIBridge, (obj), TYPE_PCIE_PCI_BRIDGE)

static void pcie_pci_bridge_realize(PCIDevice *d, GError **errp)
{
    PCIEPCIBridge *s = PCIE_PCI_BRIDGE(d);
    int pm;

    pci_bridge_initfn(d, TYPE_PCI_BUS, errp);
    d->config[PCI_INTERRUPT_PIN] = 1;
    if (pcie_cap_init(d, PPB_EXP_OFFSET, PCI_EXP_TYPE_PCI_BRIDGE, 0,
                      errp) < 0) {
        goto fail;
    }
    pm = pci_add_capability(d, PCI_CAP_ID_PM, PPB_PM_OFFSET, 8, errp);
    if (pm < 0) {
        goto fail;
    }
    pci_set_word(d->config + pm + 2, 0x3);              /* PMC: version 3 */
    pci_set_word(d->wmask + pm + 4, 0x3);               /* power state */
    pcie_cap_arifwd_init(d);
    pcie_aer_init(d, PPB_AER_OFFSET);
    if (s->msi != ON_OFF_AUTO_OFF &&
        msi_init(d, PPB_MSI_OFFSET, 1, true, true, errp) < 0) {
        goto fail;
    }
    return;

fail:
    pci_bridge_exitfn(d);
}

static Property pcie_pci_bridge_properties[] = {
    DEFINE_PROP_ON_OFF_AUTO("msi", PCIEPCIBridge, msi, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_END_OF_LIST(),
};

static const VMStateDescription vmstate_bridge = {
    .name = "pcie-pci-bridge",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj.parent_obj, PCIEPCIBridge),
        VMSTATE_END_OF_LIST()
    },
};

static void pcie_pci_bridge_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = pcie_pci_bridge_realize;
    pc->exit = pci_bridge_exitfn;
    pc->reset = pci_bridge_reset_and_map;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = 0x000e;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_BRIDGE_PCI;
    pc->is_express = true;
    dc->vmsd = &vmstate_bridge;
    dc->category = DEVICE_CATEGORY_BRIDGE;
    device_class_set_props(dc, pcie_pci_bridge_properties);
}

static const TypeInfo pcie_pci_bridge_info = {
    .name = TYPE_PCIE_PCI_BRIDGE,
    .parent = TYPE_PCI_BRIDGE,
    .instance_size = sizeof(PCIEPCIBridge),
    .class_init = pcie_pci_bridge_class_init,
};

static void pcie_pci_bridge_register_types(void)
{
    type_register_static(&pcie_pci_bridge_info);
}

type_init(pcie_pci_bridge_register_types)
