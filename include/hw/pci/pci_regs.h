/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI configuration-space register offsets and bits, as the PCI Local Bus,
 * PCI-to-PCI Bridge and PCI Express specifications number them.
 */
#ifndef HW_PCI_PCI_REGS_H
#define HW_PCI_PCI_REGS_H

#define PCI_CONFIG_SPACE_SIZE   0x100
#define PCIE_CONFIG_SPACE_SIZE  0x1000

/* Common header */
#define PCI_VENDOR_ID           0x00
#define PCI_DEVICE_ID           0x02
#define PCI_COMMAND             0x04
#define  PCI_COMMAND_IO         0x0001
#define  PCI_COMMAND_MEMORY     0x0002
#define  PCI_COMMAND_MASTER     0x0004
#define  PCI_COMMAND_SERR       0x0100
#define  PCI_COMMAND_INTX_DISABLE 0x0400
#define PCI_STATUS              0x06
#define  PCI_STATUS_INTERRUPT   0x0008
#define  PCI_STATUS_CAP_LIST    0x0010
#define  PCI_STATUS_PARITY      0x0100
#define  PCI_STATUS_SIG_TARGET_ABORT  0x0800
#define  PCI_STATUS_REC_TARGET_ABORT  0x1000
#define  PCI_STATUS_REC_MASTER_ABORT  0x2000
#define  PCI_STATUS_SIG_SYSTEM_ERROR  0x4000
#define  PCI_STATUS_DETECTED_PARITY   0x8000
#define PCI_REVISION_ID         0x08
#define PCI_CLASS_PROG          0x09
#define PCI_CLASS_DEVICE        0x0a
#define PCI_CACHE_LINE_SIZE     0x0c
#define PCI_LATENCY_TIMER       0x0d
#define PCI_HEADER_TYPE         0x0e
#define  PCI_HEADER_TYPE_NORMAL 0x00
#define  PCI_HEADER_TYPE_BRIDGE 0x01
#define  PCI_HEADER_TYPE_MULTI_FUNCTION 0x80
#define PCI_BIST                0x0f
#define PCI_BASE_ADDRESS_0      0x10
#define  PCI_BASE_ADDRESS_SPACE_IO      0x01
#define  PCI_BASE_ADDRESS_SPACE_MEMORY  0x00
#define  PCI_BASE_ADDRESS_MEM_TYPE_64   0x04
#define  PCI_BASE_ADDRESS_MEM_PREFETCH  0x08
#define  PCI_BASE_ADDRESS_MEM_MASK      (~0x0fULL)
#define  PCI_BASE_ADDRESS_IO_MASK       (~0x03ULL)
#define PCI_SUBSYSTEM_VENDOR_ID 0x2c
#define PCI_SUBSYSTEM_ID        0x2e
#define PCI_ROM_ADDRESS         0x30
#define  PCI_ROM_ADDRESS_ENABLE 0x01
#define PCI_CAPABILITY_LIST     0x34
#define PCI_INTERRUPT_LINE      0x3c
#define PCI_INTERRUPT_PIN       0x3d

/* Type-1 (bridge) header */
#define PCI_PRIMARY_BUS         0x18
#define PCI_SECONDARY_BUS       0x19
#define PCI_SUBORDINATE_BUS     0x1a
#define PCI_SEC_LATENCY_TIMER   0x1b
#define PCI_IO_BASE             0x1c
#define PCI_IO_LIMIT            0x1d
#define  PCI_IO_RANGE_TYPE_32   0x01
#define  PCI_IO_RANGE_MASK      0xf0
#define PCI_SEC_STATUS          0x1e
#define PCI_MEMORY_BASE         0x20
#define PCI_MEMORY_LIMIT        0x22
#define  PCI_MEMORY_RANGE_MASK  0xfff0
#define PCI_PREF_MEMORY_BASE    0x24
#define PCI_PREF_MEMORY_LIMIT   0x26
#define  PCI_PREF_RANGE_TYPE_64 0x01
#define PCI_PREF_BASE_UPPER32   0x28
#define PCI_PREF_LIMIT_UPPER32  0x2c
#define PCI_IO_BASE_UPPER16     0x30
#define PCI_IO_LIMIT_UPPER16    0x32
#define PCI_ROM_ADDRESS1        0x38
#define PCI_BRIDGE_CONTROL      0x3e

/* Capability ids */
#define PCI_CAP_ID_PM           0x01
#define PCI_CAP_ID_MSI          0x05
#define PCI_CAP_ID_VNDR         0x09
#define PCI_CAP_ID_SSVID        0x0d
#define PCI_CAP_ID_EXP          0x10
#define PCI_CAP_ID_MSIX         0x11
#define PCI_CAP_ID_SATA         0x12
#define PCI_CAP_LIST_ID         0
#define PCI_CAP_LIST_NEXT       1

/* MSI */
#define PCI_MSI_FLAGS           2
#define  PCI_MSI_FLAGS_ENABLE   0x0001
#define  PCI_MSI_FLAGS_QMASK    0x000e
#define  PCI_MSI_FLAGS_QSIZE    0x0070
#define  PCI_MSI_FLAGS_64BIT    0x0080
#define  PCI_MSI_FLAGS_MASKBIT  0x0100
#define PCI_MSI_ADDRESS_LO      4
#define PCI_MSI_ADDRESS_HI      8

/* MSI-X */
#define PCI_MSIX_FLAGS          2
#define  PCI_MSIX_FLAGS_QSIZE   0x07ff
#define  PCI_MSIX_FLAGS_MASKALL 0x4000
#define  PCI_MSIX_FLAGS_ENABLE  0x8000
#define PCI_MSIX_TABLE          4
#define PCI_MSIX_PBA            8
#define  PCI_MSIX_BIR_MASK      0x7
#define PCI_MSIX_ENTRY_SIZE     16
#define PCI_MSIX_ENTRY_DATA     8
#define PCI_MSIX_ENTRY_VECTOR_CTRL 12
#define  PCI_MSIX_ENTRY_CTRL_MASKBIT 1

/* PCI Express capability */
#define PCI_EXP_FLAGS           0x02
#define  PCI_EXP_FLAGS_SLOT     0x0100  /* slot implemented */
#define  PCI_EXP_TYPE_ENDPOINT  0x0
#define  PCI_EXP_TYPE_ROOT_PORT 0x4
#define  PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_DEVCAP          0x04
#define PCI_EXP_DEVCTL          0x08
#define PCI_EXP_DEVSTA          0x0a
#define PCI_EXP_LNKCAP          0x0c
#define PCI_EXP_LNKCTL          0x10
#define PCI_EXP_LNKSTA          0x12
#define  PCI_EXP_LNKSTA_DLLLA   0x2000
#define PCI_EXP_SLTCAP          0x14
#define  PCI_EXP_SLTCAP_ABP     0x00000001
#define  PCI_EXP_SLTCAP_PCP     0x00000002
#define  PCI_EXP_SLTCAP_AIP     0x00000008
#define  PCI_EXP_SLTCAP_PIP     0x00000010
#define  PCI_EXP_SLTCAP_HPS     0x00000020
#define  PCI_EXP_SLTCAP_HPC     0x00000040
#define  PCI_EXP_SLTCAP_EIP     0x00020000
#define  PCI_EXP_SLTCAP_PSN_SHIFT 19
#define PCI_EXP_SLTCTL          0x18
#define  PCI_EXP_SLTCTL_ABPE    0x0001
#define  PCI_EXP_SLTCTL_PFDE    0x0002
#define  PCI_EXP_SLTCTL_MRLSCE  0x0004
#define  PCI_EXP_SLTCTL_PDCE    0x0008
#define  PCI_EXP_SLTCTL_CCIE    0x0010
#define  PCI_EXP_SLTCTL_HPIE    0x0020
#define  PCI_EXP_SLTCTL_AIC     0x00c0
#define  PCI_EXP_SLTCTL_AIC_OFF 0x00c0
#define  PCI_EXP_SLTCTL_PIC     0x0300
#define  PCI_EXP_SLTCTL_PIC_ON  0x0100
#define  PCI_EXP_SLTCTL_PIC_BLINK 0x0200
#define  PCI_EXP_SLTCTL_PIC_OFF 0x0300
#define  PCI_EXP_SLTCTL_PCC     0x0400
#define  PCI_EXP_SLTCTL_EIC     0x0800
#define  PCI_EXP_SLTCTL_DLLSCE  0x1000
#define PCI_EXP_SLTSTA          0x1a
#define  PCI_EXP_SLTSTA_ABP     0x0001
#define  PCI_EXP_SLTSTA_PFD     0x0002
#define  PCI_EXP_SLTSTA_MRLSC   0x0004
#define  PCI_EXP_SLTSTA_PDC     0x0008
#define  PCI_EXP_SLTSTA_CC      0x0010
#define  PCI_EXP_SLTSTA_MRLSS   0x0020
#define  PCI_EXP_SLTSTA_PDS     0x0040
#define  PCI_EXP_SLTSTA_EIS     0x0080
#define  PCI_EXP_SLTSTA_DLLSC   0x0100
#define PCI_EXP_RTCTL           0x1c
#define PCI_EXP_RTSTA           0x20
#define PCI_EXP_DEVCAP2         0x24
#define PCI_EXP_DEVCTL2         0x28
#define PCI_EXP_LNKCAP2         0x2c
#define PCI_EXP_LNKCTL2         0x30
#define PCI_EXP_LNKSTA2         0x32
#define PCI_EXP_VER2_SIZEOF     0x3c

/* Extended capabilities */
#define PCI_EXT_CAP_ID_ERR      0x0001
#define PCI_EXT_CAP_ID_ACS      0x000d
#define PCI_ERR_UNCOR_MASK      0x08
#define PCI_ERR_UNCOR_SEVER     0x0c
#define PCI_ERR_COR_MASK        0x14
#define PCI_ERR_SIZEOF          0x48
#define PCI_ACS_SIZEOF          0x08

/* Devfn helpers */
#define PCI_DEVFN(slot, func)   ((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn)         (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)         ((devfn) & 0x07)
#define PCI_SLOT_MAX            32
#define PCI_FUNC_MAX            8
#define PCI_NUM_REGIONS         7
#define PCI_ROM_SLOT            6
#define PCI_NUM_PINS            4

/* Vendors and classes used by the built-in devices */
#define PCI_VENDOR_ID_INTEL     0x8086
#define PCI_VENDOR_ID_REDHAT    0x1b36
#define PCI_VENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBVENDOR_ID_REDHAT_QUMRANET 0x1af4
#define PCI_SUBDEVICE_ID_QEMU   0x1100

#define PCI_CLASS_STORAGE_IDE   0x0101
#define PCI_CLASS_STORAGE_SATA  0x0106
#define PCI_CLASS_NETWORK_ETHERNET 0x0200
#define PCI_CLASS_BRIDGE_HOST   0x0600
#define PCI_CLASS_BRIDGE_ISA    0x0601
#define PCI_CLASS_BRIDGE_PCI    0x0604
#define PCI_CLASS_BRIDGE_OTHER  0x0680
#define PCI_CLASS_SERIAL_SMBUS  0x0c05
#define PCI_CLASS_OTHERS        0xff

#endif
