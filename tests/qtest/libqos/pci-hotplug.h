/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos PCI hotplug: what a guest does to take part in hotplug.
 *
 * ACPI PCI hotplug (q35 default): registers at 0xcc0, buses selected by
 * their BSEL number.  Native PCIe hotplug: the slot registers of a root
 * port's PCI Express capability.
 */
#ifndef LIBQOS_PCI_HOTPLUG_H
#define LIBQOS_PCI_HOTPLUG_H

#include "pci.h"

#define ACPI_PCIHP_BASE 0xcc0
#define ACPI_PCIHP_UP   (ACPI_PCIHP_BASE + 0x00)
#define ACPI_PCIHP_DOWN (ACPI_PCIHP_BASE + 0x04)
#define ACPI_PCIHP_EJ   (ACPI_PCIHP_BASE + 0x08)
#define ACPI_PCIHP_RMV  (ACPI_PCIHP_BASE + 0x0c)
#define ACPI_PCIHP_SEL  (ACPI_PCIHP_BASE + 0x10)
#define ACPI_PCIHP_AIDX (ACPI_PCIHP_BASE + 0x14)

/* BSEL of a bus, from the bus's QOM property (-1 if it has none). */
int acpi_pcihp_bsel(QTestState *qts, const char *bus_path);
void acpi_pcihp_select(QTestState *qts, uint32_t bsel);
uint32_t acpi_pcihp_up(QTestState *qts, uint32_t bsel);
uint32_t acpi_pcihp_down(QTestState *qts, uint32_t bsel);
void acpi_pcihp_eject(QTestState *qts, uint32_t bsel, int slot);
/* Map the ICH9 ACPI PM block at pmbase and enable it (PMBASE, ACPI_CNTL). */
void ich9_pm_enable(QPCIBus *bus, uint16_t pmbase);
/* GPE0 status (bit 1 = PCI hotplug); enables the PM block at pmbase. */
uint8_t ich9_gpe0_status(QPCIBus *bus, uint16_t pmbase);
void ich9_gpe0_clear(QPCIBus *bus, uint16_t pmbase, uint8_t bits);

/* Native hotplug on a root port (dev is the port). */
#define SLTSTA_ABP 0x0001
#define SLTSTA_PDC 0x0008
#define SLTSTA_CC 0x0010
#define SLTSTA_PDS 0x0040
#define SLTSTA_DLLSC 0x0100
#define SLTCTL_ABPE 0x0001
#define SLTCTL_PDCE 0x0008
#define SLTCTL_CCIE 0x0010
#define SLTCTL_HPIE 0x0020
#define SLTCTL_PIC 0x0300
#define SLTCTL_PIC_ON 0x0100
#define SLTCTL_PIC_BLINK 0x0200
#define SLTCTL_PIC_OFF 0x0300
#define SLTCTL_PCC 0x0400

uint8_t qpcie_exp_cap(QPCIDevice *port);
uint16_t qpcie_slot_status(QPCIDevice *port);
uint16_t qpcie_slot_control(QPCIDevice *port);
void qpcie_slot_write_control(QPCIDevice *port, uint16_t ctl);
/* Write 1s to clear slot status events. */
void qpcie_slot_clear_status(QPCIDevice *port, uint16_t bits);
/* Power the slot on (PCC=0, power indicator on). */
void qpcie_slot_power_on(QPCIDevice *port);
/* Power the slot off with the indicator off: the guest's removal. */
void qpcie_slot_power_off(QPCIDevice *port);

#endif
