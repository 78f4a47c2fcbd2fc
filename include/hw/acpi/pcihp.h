/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI PCI hotplug (the 0xcc0 register block): UP, DOWN, EJ, RMV, SEL and
 * AIDX, with buses selected by their BSEL number.  The owner (ICH9 LPC)
 * implements the hotplug-handler interface by calling the callbacks here,
 * and raises its GPE when we ask it to.
 */
#ifndef HW_ACPI_PCIHP_H
#define HW_ACPI_PCIHP_H

#include "hw/pci/pci.h"

#define ACPI_PCIHP_ADDR_ICH9 0x0cc0
#define ACPI_PCIHP_SIZE 0x0018
#define ACPI_PCIHP_PROP_BSEL "acpi-pcihp-bsel"
#define ACPI_PCIHP_MAX_HOTPLUG_BUS 256

typedef struct AcpiPciHpPciStatus {
    uint32_t up;
    uint32_t down;
    uint32_t hotplug_enable;    /* RMV */
} AcpiPciHpPciStatus;

typedef struct AcpiPciHpState {
    AcpiPciHpPciStatus acpi_pcihp_pci_status[ACPI_PCIHP_MAX_HOTPLUG_BUS];
    uint32_t hotplug_select;    /* SEL */
    uint32_t acpi_index;        /* latched by AIDX */
    PCIBus *root;
    MemoryRegion io;
    bool numbered;              /* BSEL numbers assigned (first reset) */
    bool root_hotplug_enabled;
    /* Called when a GPE (bit 1, PCI hotplug) must be raised. */
    void (*send_event)(void *opaque);
    void *opaque;
} AcpiPciHpState;

/* Migration state (hw/acpi/pcihp-vmstate.c). */
extern const VMStateDescription vmstate_acpi_pcihp;

void acpi_pcihp_init(Object *owner, AcpiPciHpState *s, PCIBus *root,
                     MemoryRegion *io, uint16_t io_base);
void acpi_pcihp_reset(AcpiPciHpState *s);
bool acpi_pcihp_is_hotpluggable_bus(AcpiPciHpState *s, BusState *bus);
void acpi_pcihp_device_pre_plug_cb(AcpiPciHpState *s, DeviceState *dev,
                                   GError **errp);
void acpi_pcihp_device_plug_cb(Object *handler, AcpiPciHpState *s,
                               DeviceState *dev, GError **errp);
void acpi_pcihp_device_unplug_request_cb(AcpiPciHpState *s,
                                         DeviceState *dev, GError **errp);
void acpi_pcihp_device_unplug_cb(AcpiPciHpState *s, DeviceState *dev,
                                 GError **errp);

#endif
