/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICH9: the LPC/ISA bridge at 00:1f.0 ("ICH9-LPC") with its ACPI PM block
 * (PM1, GPE0, SCI) and the ACPI PCI hotplug controller; the AHCI
 * (00:1f.2, "ich9-ahci") and SMBus (00:1f.3, "ICH9-SMB") functions, which
 * baton models as configuration space only.
 */
#ifndef HW_I386_ICH9_H
#define HW_I386_ICH9_H

#include "hw/pci/pci.h"
#include "hw/acpi/pcihp.h"
#include "hw/isa/isa.h"

#define TYPE_ICH9_LPC_DEVICE "ICH9-LPC"
#define TYPE_ICH9_AHCI "ich9-ahci"
#define TYPE_ICH9_SMB_DEVICE "ICH9-SMB"

#define ICH9_LPC_DEV 31
#define ICH9_LPC_FUNC 0
#define ICH9_SATA1_FUNC 2
#define ICH9_SMB_FUNC 3

#define ICH9_LPC_PMBASE         0x40
#define ICH9_LPC_ACPI_CTRL      0x44
#define  ICH9_LPC_ACPI_CTRL_ACPI_EN 0x80
#define ICH9_PMIO_SIZE          128
#define ICH9_PMIO_GPE0_STS      0x20
#define ICH9_PMIO_GPE0_LEN      16
#define ICH9_GPE_PCIHP          0x02    /* GPE0 status bit 1 */
#define ICH9_SCI_GSI            9

#define ICH9_PIRQ_GSI_BASE      16

typedef struct ICH9LPCState {
    PCIDevice parent_obj;
    /* ACPI PM block */
    MemoryRegion pm_io;
    bool pm_io_mapped;
    uint32_t pm_base;
    uint16_t pm1_sts;
    uint16_t pm1_en;
    uint32_t pm1_cnt;
    uint8_t gpe0_sts[ICH9_PMIO_GPE0_LEN / 2];
    uint8_t gpe0_en[ICH9_PMIO_GPE0_LEN / 2];
    int sci_level;
    MemoryRegion rst_cnt_io;    /* reset control at 0xcf9 */
    uint8_t rst_cnt;
    AcpiPciHpState acpi_pci_hotplug;
    /* Properties */
    bool use_acpi_hotplug_bridge;   /* acpi-pci-hotplug-with-bridge-support */
    bool keep_pci_slot_hpc;         /* x-keep-pci-slot-hpc */
    /* Sleep states offered to the guest; stored only (no ACPI tables). */
    uint8_t disable_s3;
    uint8_t disable_s4;
    uint8_t s4_val;
    /* Interrupt routing: PIRQ A..H and SCI, towards the IOAPIC. */
    DeviceState *ioapic;
    ISABus *isa_bus;            /* "isa.0": ISA IRQ n is GSI n */
} ICH9LPCState;

#define ICH9_LPC_DEVICE(obj) \
    OBJECT_CHECK(ICH9LPCState, (obj), TYPE_ICH9_LPC_DEVICE)

/* Route INTx of the root bus: PIRQ of (slot, pin). */
int ich9_lpc_map_irq(PCIDevice *dev, int pin);
void ich9_lpc_set_irq(void *opaque, int pirq, int level);

#endif
