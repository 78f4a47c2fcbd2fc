/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI Express capability, extended capabilities and native hotplug of a
 * downstream port's slot (attention button, power controller, presence and
 * data-link-layer state, command completed, slot interrupt).
 */
#ifndef HW_PCI_PCIE_H
#define HW_PCI_PCIE_H

#include "hw/pci/pci.h"

/* PCIe capability version 2 of device/port type `type` at offset. */
int pcie_cap_init(PCIDevice *dev, uint8_t offset, uint8_t type, uint8_t port,
                  GError **errp);
/* Link speed (16 GT/s code 4) and width (32) in LnkCap. */
void pcie_cap_lnkcap_set(PCIDevice *dev, uint8_t speed, uint8_t width);
void pcie_cap_arifwd_init(PCIDevice *dev);
void pcie_aer_init(PCIDevice *dev, uint16_t offset);
void pcie_acs_init(PCIDevice *dev, uint16_t offset);

/* Slot: hot-plug capable slot with physical number slot_nr. */
void pcie_cap_slot_init(PCIDevice *dev, uint16_t slot_nr,
                        bool power_controller);
void pcie_cap_slot_reset(PCIDevice *dev);
/* Power of the functions below follows SltCtl PCC. */
void pcie_cap_update_power(PCIDevice *dev);
/*
 * Config write hook: old_sltctl is SltCtl before the write (already
 * applied to config).  Handles guest removal and command completed.
 */
void pcie_cap_slot_write_config(PCIDevice *dev, uint16_t old_sltctl,
                                uint32_t addr, uint32_t val, int len);
/* Re-evaluate the slot interrupt after RW1C writes to SltSta. */
void pcie_cap_slot_update_irq(PCIDevice *dev);
/* Tell the slot a device is present/absent without events (ACPI mode,
 * cold plug). */
void pcie_cap_slot_set_presence(PCIDevice *dev, bool present);

/* Switch slot power on (PCC = 0), as ACPI hotplug does on hot-add. */
void pcie_cap_slot_enable_power(PCIDevice *dev);

/* Hotplug handler methods of a port managing its own slot. */
void pcie_cap_slot_pre_plug_cb(PCIDevice *port, DeviceState *dev,
                               GError **errp);
void pcie_cap_slot_plug_cb(PCIDevice *port, DeviceState *dev, GError **errp);
void pcie_cap_slot_unplug_request_cb(PCIDevice *port, DeviceState *dev,
                                     GError **errp);
void pcie_cap_slot_unplug_cb(PCIDevice *port, DeviceState *dev,
                             GError **errp);

#endif
