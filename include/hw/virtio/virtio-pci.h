/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio over PCI: the proxy PCI function that carries a virtio device on
 * its "virtio-bus".  Modern (virtio 1.0) registers live in a 16 KiB 64-bit
 * BAR 4 described by vendor capabilities; transitional devices also have
 * the legacy I/O BAR 0; MSI-X sits in BAR 1.
 */
#ifndef HW_VIRTIO_VIRTIO_PCI_H
#define HW_VIRTIO_VIRTIO_PCI_H

#include "hw/pci/pci.h"
#include "hw/virtio/virtio.h"
#include "hw/qdev-properties.h"     /* OnOffAuto */

#define TYPE_VIRTIO_PCI "virtio-pci"
#define TYPE_VIRTIO_PCI_BUS "virtio-pci-bus"

#define PCI_DEVICE_ID_VIRTIO_NET        0x1000
#define PCI_DEVICE_ID_VIRTIO_10_BASE    0x1040

/* Virtio vendor capability cfg_type values. */
#define VIRTIO_PCI_CAP_COMMON_CFG       1
#define VIRTIO_PCI_CAP_NOTIFY_CFG       2
#define VIRTIO_PCI_CAP_ISR_CFG          3
#define VIRTIO_PCI_CAP_DEVICE_CFG       4
#define VIRTIO_PCI_CAP_PCI_CFG          5

/* Modern BAR layout. */
#define VIRTIO_PCI_MODERN_BAR           4
#define VIRTIO_PCI_MSIX_BAR             1
#define VIRTIO_PCI_LEGACY_BAR           0
#define VIRTIO_PCI_COMMON_OFF           0x0000
#define VIRTIO_PCI_ISR_OFF              0x1000
#define VIRTIO_PCI_DEVICE_OFF           0x2000
#define VIRTIO_PCI_NOTIFY_OFF           0x3000
#define VIRTIO_PCI_REGION_SIZE          0x1000
#define VIRTIO_PCI_NOTIFY_MULTIPLIER    4

/* Common configuration registers. */
#define VIRTIO_PCI_COMMON_DFSELECT      0x00
#define VIRTIO_PCI_COMMON_DF            0x04
#define VIRTIO_PCI_COMMON_GFSELECT      0x08
#define VIRTIO_PCI_COMMON_GF            0x0c
#define VIRTIO_PCI_COMMON_MSIX          0x10
#define VIRTIO_PCI_COMMON_NUMQ          0x12
#define VIRTIO_PCI_COMMON_STATUS        0x14
#define VIRTIO_PCI_COMMON_CFGGENERATION 0x15
#define VIRTIO_PCI_COMMON_Q_SELECT      0x16
#define VIRTIO_PCI_COMMON_Q_SIZE        0x18
#define VIRTIO_PCI_COMMON_Q_MSIX        0x1a
#define VIRTIO_PCI_COMMON_Q_ENABLE      0x1c
#define VIRTIO_PCI_COMMON_Q_NOFF        0x1e
#define VIRTIO_PCI_COMMON_Q_DESCLO      0x20
#define VIRTIO_PCI_COMMON_Q_DESCHI      0x24
#define VIRTIO_PCI_COMMON_Q_AVAILLO     0x28
#define VIRTIO_PCI_COMMON_Q_AVAILHI     0x2c
#define VIRTIO_PCI_COMMON_Q_USEDLO      0x30
#define VIRTIO_PCI_COMMON_Q_USEDHI      0x34
#define VIRTIO_PCI_COMMON_Q_NDATA       0x38
#define VIRTIO_PCI_COMMON_Q_RESET       0x3a

/* Legacy I/O BAR registers. */
#define VIRTIO_PCI_HOST_FEATURES        0
#define VIRTIO_PCI_GUEST_FEATURES       4
#define VIRTIO_PCI_QUEUE_PFN            8
#define VIRTIO_PCI_QUEUE_NUM            12
#define VIRTIO_PCI_QUEUE_SEL            14
#define VIRTIO_PCI_QUEUE_NOTIFY         16
#define VIRTIO_PCI_STATUS               18
#define VIRTIO_PCI_ISR                  19
#define VIRTIO_MSI_CONFIG_VECTOR        20
#define VIRTIO_MSI_QUEUE_VECTOR         22
#define VIRTIO_PCI_CONFIG_OFF(msix)     ((msix) ? 24 : 20)
#define VIRTIO_PCI_QUEUE_ADDR_SHIFT     12

/* "vectors" not given: the device picks (2 per queue pair + 2 for net). */
#define DEV_NVECTORS_UNSPECIFIED        0xffffffffu

typedef struct VirtIOPCIQueue {
    uint16_t num;
    bool enabled;
    uint32_t desc[2];
    uint32_t avail[2];
    uint32_t used[2];
} VirtIOPCIQueue;

typedef struct VirtIOPCIProxy {
    PCIDevice pci_dev;
    VirtioBusState *bus;        /* "virtio-bus", the device's bus */
    MemoryRegion legacy_bar;    /* I/O BAR 0 (transitional) */
    MemoryRegion modern_bar;    /* BAR 4 container */
    MemoryRegion common;
    MemoryRegion isr;
    MemoryRegion device;
    MemoryRegion notify;
    MemoryRegion msix_bar;      /* BAR 1 */
    bool bars_ready;
    uint8_t config_cap;         /* offset of the PCI_CFG capability */

    /* Properties */
    OnOffAuto disable_legacy;
    bool disable_modern;
    uint32_t nvectors;
    bool ioeventfd;
    bool modern_pio_notify;
    bool page_per_vq;
    bool disable_pcie;
    bool ats;
    bool aer;
    bool migrate_extra;
    bool bus_master_bug;
    bool ignore_backend_features;
    bool pcie_deverr_init;
    bool pcie_lnkctl_init;
    bool pcie_pm_init;
    bool pcie_flr_init;

    /* Register state */
    uint32_t dfselect;
    uint32_t gfselect;
    uint32_t guest_features[2];
    VirtIOPCIQueue vqs[VIRTIO_QUEUE_ALLOC];
} VirtIOPCIProxy;

typedef struct VirtioPCIClass {
    PCIDeviceClass parent_class;
    /* The concrete device's realize: creates and realizes its backend. */
    void (*realize)(VirtIOPCIProxy *proxy, GError **errp);
} VirtioPCIClass;

#define VIRTIO_PCI(obj) OBJECT_CHECK(VirtIOPCIProxy, (obj), TYPE_VIRTIO_PCI)
#define VIRTIO_PCI_CLASS(oc) \
    OBJECT_CLASS_CHECK(VirtioPCIClass, (oc), TYPE_VIRTIO_PCI)
#define VIRTIO_PCI_GET_CLASS(obj) \
    OBJECT_GET_CLASS(VirtioPCIClass, (obj), TYPE_VIRTIO_PCI)

/* The proxy's own properties, for the concrete types' tables. */
#define DEFINE_VIRTIO_PCI_PROPERTIES(_state) \
    DEFINE_PROP_BOOL("virtio-pci-bus-master-bug-migration", _state, \
                     bus_master_bug, false), \
    DEFINE_PROP_BOOL("migrate-extra", _state, migrate_extra, true), \
    DEFINE_PROP_BOOL("modern-pio-notify", _state, modern_pio_notify, \
                     false), \
    DEFINE_PROP_BOOL("x-disable-pcie", _state, disable_pcie, false), \
    DEFINE_PROP_BOOL("page-per-vq", _state, page_per_vq, false), \
    DEFINE_PROP_BOOL("x-ignore-backend-features", _state, \
                     ignore_backend_features, false), \
    DEFINE_PROP_BOOL("ats", _state, ats, false), \
    DEFINE_PROP_BOOL("x-pcie-deverr-init", _state, pcie_deverr_init, true), \
    DEFINE_PROP_BOOL("x-pcie-lnkctl-init", _state, pcie_lnkctl_init, true), \
    DEFINE_PROP_BOOL("x-pcie-pm-init", _state, pcie_pm_init, true), \
    DEFINE_PROP_BOOL("x-pcie-flr-init", _state, pcie_flr_init, true), \
    DEFINE_PROP_BOOL("aer", _state, aer, false)

/* Generic types only: choose transitional or modern-only. */
#define DEFINE_VIRTIO_PCI_GENERIC_PROPERTIES(_state) \
    DEFINE_PROP_ON_OFF_AUTO("disable-legacy", _state, disable_legacy, \
                            ON_OFF_AUTO_AUTO), \
    DEFINE_PROP_BOOL("disable-modern", _state, disable_modern, false)

bool virtio_pci_modern(VirtIOPCIProxy *proxy);
bool virtio_pci_legacy(VirtIOPCIProxy *proxy);
/* Create the proxy's "virtio-bus" (from the concrete instance_init). */
void virtio_pci_bus_new(VirtIOPCIProxy *proxy);

/*
 * Instance inits of the -transitional / -non-transitional variants: they
 * pin disable-legacy/disable-modern instead of offering the properties.
 */
void virtio_pci_transitional_instance_init(Object *obj);
void virtio_pci_non_transitional_instance_init(Object *obj);

#endif
