/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PIIX3 south bridge functions of the pc machine: the PCI-to-ISA
 * bridge at 00:01.0 ("PIIX3", PIRQ routing), its IDE function at 00:01.1
 * ("piix3-ide", configuration space only) and the PIIX4 power management
 * function at 00:01.3 ("PIIX4_PM", ACPI PM, GPE and PCI hotplug).
 */
#ifndef HW_ISA_PIIX_H
#define HW_ISA_PIIX_H

#include "hw/pci/pci.h"
#include "hw/acpi/pcihp.h"

#define TYPE_PIIX3_DEVICE "PIIX3"
#define TYPE_PIIX3_IDE "piix3-ide"
#define TYPE_PIIX4_PM "PIIX4_PM"

#define PIIX_PIRQCA     0x60            /* PIRQ A..D route registers */
#define PIIX_NUM_PIRQS  4
#define PIIX_NUM_PIC_IRQS 16

typedef struct PIIX3State {
    PCIDevice parent_obj;
    uint16_t pirq_levels;       /* bit per PIRQ */
    uint16_t isa_levels;        /* bit per ISA IRQ as last driven */
    DeviceState *ioapic;        /* ISA IRQ n is GSI n */
    struct ISABus *isa_bus;     /* "isa.0" */
} PIIX3State;

#define PIIX3_DEVICE(obj) OBJECT_CHECK(PIIX3State, (obj), TYPE_PIIX3_DEVICE)

/* INTx routing of pci.0: slot s pin p goes to PIRQ (s - 1 + p) & 3. */
int piix3_map_irq(PCIDevice *dev, int pin);
void piix3_set_irq(void *opaque, int pirq, int level);

#define PIIX4_PM_GPE_BASE   0xafe0
#define PIIX4_PM_GPE_LEN    4
#define ACPI_PCIHP_ADDR_PIIX4 0xae00
#define PIIX4_PM_SCI_GSI    9
#define PIIX4_PM_SMB_BASE   0xb100      /* what the pc machine sets */

typedef struct PIIX4PMState {
    PCIDevice parent_obj;
    MemoryRegion pm_io;         /* PM1 and the PM timer, at PMBA */
    bool pm_io_mapped;
    MemoryRegion gpe_io;        /* GPE0 at 0xafe0 */
    uint16_t pm1_sts;
    uint16_t pm1_en;
    uint16_t pm1_cnt;
    uint8_t gpe_sts[PIIX4_PM_GPE_LEN / 2];
    uint8_t gpe_en[PIIX4_PM_GPE_LEN / 2];
    int sci_level;
    AcpiPciHpState acpi_pci_hotplug;
    DeviceState *ioapic;
    /* Properties (QEMU's names) */
    uint32_t smb_io_base;
    bool use_acpi_hotplug_bridge;   /* acpi-pci-hotplug-with-bridge-support */
    bool use_acpi_root_pci_hotplug; /* acpi-root-pci-hotplug */
    bool smm_enabled;
    uint8_t disable_s3;
    uint8_t disable_s4;
    uint8_t s4_val;
} PIIX4PMState;

#define PIIX4_PM(obj) OBJECT_CHECK(PIIX4PMState, (obj), TYPE_PIIX4_PM)

#endif
