/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The i440FX host ("i440FX-pcihost", a system-bus device owning pci.0 and
 * the 0xcf8/0xcfc configuration ports) and its PCI function at 00:00.0
 * ("i440FX") with the PAM and SMRAM registers.
 */
#ifndef HW_PCI_HOST_I440FX_H
#define HW_PCI_HOST_I440FX_H

#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"

#define TYPE_I440FX_PCI_HOST_BRIDGE "i440FX-pcihost"
#define TYPE_I440FX_PCI_DEVICE "i440FX"

#define I440FX_COREBOOT_RAM_SIZE 0x57   /* RAM in 8 MiB units, max 255 */
#define I440FX_PAM      0x59
#define I440FX_PAM_SIZE 7
#define I440FX_SMRAM    0x72
#define I440FX_SMRAM_DEFAULT 0x02       /* C_BASE_SEG: SMRAM at 0xa0000 */

typedef struct I440FXState {
    DeviceState parent_obj;
    PCIBus *bus;                /* pci.0 */
    MemoryRegion pci_mem;       /* PCI memory space (below RAM) */
    PCIConfigPort cfg;          /* 0xcf8/0xcfc */
} I440FXState;

#define I440FX_PCI_HOST_BRIDGE(obj) \
    OBJECT_CHECK(I440FXState, (obj), TYPE_I440FX_PCI_HOST_BRIDGE)

/* Build the host and 00:00.0; returns the host (child "i440fx"). */
I440FXState *i440fx_host_create(Object *machine, uint64_t ram_size,
                                GError **errp);

#endif
