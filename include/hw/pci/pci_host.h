/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PC configuration mechanism #1, shared by the PC host bridges (q35,
 * i440FX): CONFIG_ADDRESS at 0xcf8 latches bus/device/function/register,
 * CONFIG_DATA at 0xcfc reads or writes that register of the root bus.
 */
#ifndef HW_PCI_PCI_HOST_H
#define HW_PCI_PCI_HOST_H

#include "hw/pci/pci.h"

typedef struct PCIConfigPort {
    PCIBus *bus;                /* the root bus the cycles go to */
    uint32_t config_reg;        /* latched CONFIG_ADDRESS */
    MemoryRegion conf_io;       /* 0xcf8 */
    MemoryRegion data_io;       /* 0xcfc */
} PCIConfigPort;

/* Claim 0xcf8 and 0xcfc in io for the root bus `bus`. */
void pci_config_port_init(PCIConfigPort *p, Object *owner, PCIBus *bus,
                          MemoryRegion *io);

#endif
