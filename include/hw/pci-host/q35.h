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
#include "hw/pci-host/pam.h"

#define TYPE_Q35_HOST_DEVICE "q35-pcihost"
#define TYPE_MCH_PCI_DEVICE "mch"

#define MCH_HOST_BRIDGE_VENDOR_ID       0x8086
#define MCH_HOST_BRIDGE_DEVICE_ID       0x29c0
#define MCH_HOST_BRIDGE_PCIEXBAR        0x60
#define MCH_HOST_BRIDGE_PCIEXBAR_DEFAULT 0xb0000000ULL
#define MCH_HOST_BRIDGE_PCIEXBAREN      0x1
#define MCH_HOST_BRIDGE_PCIEXBAR_LENGTH_MASK 0x6

/* Extended TSEG size in MiB (QEMU's register; 0xffff asks for it). */
#define MCH_HOST_BRIDGE_EXT_TSEG_MBYTES         0x50
#define MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_QUERY   0xffff
#define MCH_HOST_BRIDGE_EXT_TSEG_MBYTES_MAX     0xfff

#define MCH_HOST_BRIDGE_PAM0            0x90
#define MCH_HOST_BRIDGE_PAM_SIZE        7

/* SMRAM at SMBASE (QEMU's register; 0xff negotiates, bit 1 locks). */
#define MCH_HOST_BRIDGE_F_SMBASE        0x9c
#define MCH_HOST_BRIDGE_F_SMBASE_QUERY  0xff
#define MCH_HOST_BRIDGE_F_SMBASE_IN_RAM 0x01
#define MCH_HOST_BRIDGE_F_SMBASE_LCK    0x02
#define MCH_HOST_BRIDGE_SMBASE_ADDR     0x30000
#define MCH_HOST_BRIDGE_SMBASE_SIZE     0x20000

#define MCH_HOST_BRIDGE_SMRAM           0x9d
#define MCH_HOST_BRIDGE_SMRAM_D_OPEN    0x40
#define MCH_HOST_BRIDGE_SMRAM_D_CLS     0x20
#define MCH_HOST_BRIDGE_SMRAM_D_LCK     0x10
#define MCH_HOST_BRIDGE_SMRAM_G_SMRAME  0x08
#define MCH_HOST_BRIDGE_SMRAM_DEFAULT   0x02    /* C_BASE_SEG, hardwired */
#define MCH_HOST_BRIDGE_SMRAM_WMASK     0x78
#define MCH_HOST_BRIDGE_SMRAM_WMASK_LCK MCH_HOST_BRIDGE_SMRAM_D_CLS
#define MCH_HOST_BRIDGE_SMRAM_C_BASE    0xa0000
#define MCH_HOST_BRIDGE_SMRAM_C_SIZE    0x20000

#define MCH_HOST_BRIDGE_ESMRAMC         0x9e
#define MCH_HOST_BRIDGE_ESMRAMC_H_SMRAME 0x80
#define MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_MASK 0x06
#define MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_1MB  0x00
#define MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_2MB  0x02
#define MCH_HOST_BRIDGE_ESMRAMC_TSEG_SZ_8MB  0x04
#define MCH_HOST_BRIDGE_ESMRAMC_T_EN    0x01
#define MCH_HOST_BRIDGE_ESMRAMC_DEFAULT 0x38    /* SM_CACHE, SM_L1, SM_L2 */
#define MCH_HOST_BRIDGE_ESMRAMC_WMASK   0x87

typedef struct MCHPCIState {
    PCIDevice parent_obj;
    struct Q35PCIHost *host;
    uint16_t ext_tseg_mbytes;   /* property extended-tseg-mbytes */
    bool has_smram_at_smbase;   /* property smbase-smram */
    uint64_t below_4g_mem_size;
    /*
     * What a CPU outside SMM sees: the legacy window shows PCI space
     * unless D_OPEN; TSEG and a locked SMBASE area are holes reading
     * all-ones.  (There is no CPU, so no SMM view is built.)
     */
    MemoryRegion smram_region;      /* 0xa0000: alias of PCI space */
    MemoryRegion open_high_smram;   /* 0xfeda0000: alias of RAM 0xa0000 */
    MemoryRegion tseg_blackhole;
    MemoryRegion smbase_blackhole;
    PAMState pam;                   /* 0xc0000..0xfffff from PAM0..6 */
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
/* After migration: decode ECAM, SMRAM, TSEG and SMBASE from the registers. */
void mch_post_load_update(MCHPCIState *mch);

#endif
