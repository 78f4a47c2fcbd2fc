/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The q35 host: the PCI Express root complex ("q35-pcihost", a system-bus
 * device owning pcie.0), its MCH function at 00:00.0 ("mch"), the
 * 0xcf8/0xcfc configuration mechanism and the MMCONFIG (ECAM) window set
 * by the MCH's PCIEXBAR register.
 */
#ifndef HW_PCI_HOST_Q35_H
#define HW_PCI_HOST_Q35_H

#include "hw/pci/pci.h"
#include "hw/pci/pci_host.h"

#define TYPE_Q35_HOST_DEVICE "q35-pcihost"
#define TYPE_MCH_PCI_DEVICE "mch"

#define MCH_HOST_BRIDGE_VENDOR_ID       0x8086
#define MCH_HOST_BRIDGE_DEVICE_ID       0x29c0
#define MCH_HOST_BRIDGE_PCIEXBAR        0x60
#define MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT 0xb0000000ULL
#define MCH_HOST_BRIDGE_PCIEXBAREN      0x1
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK 0x6

typedef struct MCHPCIState {
    PCIDevice parent_obj;
    struct Q35PCIHost *host;
} MCHPCIState;

typedef struct Q35PCIHost {
    DeviceState parent_obj;
    PCIBus *bus;                /* pcie.0 */
    MemoryRegion pci_mem;       /* PCI memory space (below RAM) */
    PCIConfigPort cfg;          /* 0xcf8/0xcfc */
    MemoryRegion mmcfg;         /* ECAM window */
    bool mmcfg_mapped;
    uint64_t mmcfg_base;
    uint64_t mmcfg_size;
    MCHPCIState *mch;
} Q35PCIHost;

#define Q35_HOST_DEVICE(obj) \
    OBJECT_CHECK(Q35PCIHost, (obj), TYPE_Q35_HOST_DEVICE)
#define MCH_PCI_DEVICE(obj) \
    OBJECT_CHECK(MCHPCIState, (obj), TYPE_MCH_PCI_DEVICE)

/* Migration state (hw/pci/pci-vmstate.c). */
extern const VMStateDescription vmstate_mch;
extern const VMStateDescription vmstate_q35_host;

/* Build the host and its MCH; returns the host (child "q35" of /machine). */
Q35PCIHost *q35_host_create(Object *machine, GError **errp);
/* Map/unmap the ECAM window from the PCIEXBAR value. */
void q35_host_mmcfg_update(Q35PCIHost *s, uint64_t pciexbar);

#endif
