/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioh3420: the Intel X58 IOH's PCI Express root port (8086:3420 rev 2),
 * what older libvirt puts on q35.  It is pcie-root-port with Intel's
 * layout: subsystem-vendor capability at 0x40 (vendor 8086), MSI with two
 * vectors at 0x60 instead of MSI-X, the PCIe capability at 0x90, AER at
 * 0x100, no ACS and a 2.5 GT/s x1 link.  Slot, chassis, hotplug (native
 * or ACPI) and every property behave as on pcie-root-port.
 */
#include "hw/pci-bridge/pcie_root_port.h"

static void ioh3420_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    PCIERootPortClass *rpc = PCIE_ROOT_PORT_CLASS(oc);

    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x3420;
    pc->revision = 0x02;
    dc->desc = "Intel IOH device id 3420 PCIE Root Port";
    dc->vmsd = &vmstate_ioh3420;
    rpc->ssvid = PCI_VENDOR_ID_INTEL;
    rpc->ssvid_offset = 0x40;
    rpc->msi_offset = 0x60;
    rpc->msi_vectors = 2;
    rpc->exp_offset = 0x90;
    rpc->aer_offset = 0x100;
    rpc->acs_offset = 0;
    rpc->link_speed = 0;
    rpc->link_width = 0;
}

static const TypeInfo ioh3420_info = {
    .name = "ioh3420",
    .parent = TYPE_PCIE_ROOT_PORT,
    .class_init = ioh3420_class_init,
};

static void ioh3420_register_types(void)
{
    type_register_static(&ioh3420_info);
}

type_init(ioh3420_register_types)
