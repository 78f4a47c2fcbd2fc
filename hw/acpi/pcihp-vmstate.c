/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration state of ACPI PCI hotplug: per bus (BSEL) the UP, DOWN and RMV
 * bitmaps, the selected bus (SEL) and the latched ACPI index.  Bus
 * numbering (BSEL) is a function of the device tree, the same on both
 * sides, so it is not sent.
 */
#include "hw/acpi/pcihp.h"
#include "migration/vmstate.h"

static const VMStateDescription vmstate_pcihp_pci_status = {
    .name = "acpi-pcihp/bus",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32(up, AcpiPciHpPciStatus),
        VMSTATE_UINT32(down, AcpiPciHpPciStatus),
        VMSTATE_UINT32(hotplug_enable, AcpiPciHpPciStatus),
        VMSTATE_END_OF_LIST()
    },
};

const VMStateDescription vmstate_acpi_pcihp = {
    .name = "acpi-pcihp",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_STRUCT_ARRAY(acpi_pcihp_pci_status, AcpiPciHpState,
                             ACPI_PCIHP_MAX_HOTPLUG_BUS,
                             vmstate_pcihp_pci_status, AcpiPciHpPciStatus),
        VMSTATE_UINT32(hotplug_select, AcpiPciHpState),
        VMSTATE_UINT32(acpi_index, AcpiPciHpState),
        VMSTATE_END_OF_LIST()
    },
};
