/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI Express root ports: the generic Red Hat port ("pcie-root-port") and
 * models that differ from it only in ids, capability layout and
 * interrupts ("ioh3420").  A subclass fills PCIERootPortClass.
 */
#ifndef HW_PCI_BRIDGE_PCIE_ROOT_PORT_H
#define HW_PCI_BRIDGE_PCIE_ROOT_PORT_H

#include "hw/pci/pci_bridge.h"

#define TYPE_PCIE_ROOT_PORT "pcie-root-port"

typedef struct PCIERootPort {
    PCIBridge parent_obj;
    MemoryRegion msix_bar;
    /* Properties */
    uint8_t chassis;
    uint16_t slot;
    uint8_t port;
    bool hotplug;
    bool power_controller_present;
    bool disable_acs;
    uint32_t bus_reserve;
    uint64_t io_reserve;
    uint64_t mem_reserve;
    uint64_t pref32_reserve;
    uint64_t pref64_reserve;
    bool chassis_slot_added;
} PCIERootPort;

typedef struct PCIERootPortClass {
    PCIDeviceClass parent_class;
    uint16_t ssvid;             /* bridge subsystem vendor id */
    uint8_t ssvid_offset;
    uint8_t exp_offset;
    uint16_t aer_offset;
    uint16_t acs_offset;        /* 0: no ACS */
    uint8_t msi_offset;         /* 0: one MSI-X vector in BAR0 instead */
    uint8_t msi_vectors;
    uint8_t link_speed;         /* 0: 2.5 GT/s x1 (pcie_cap_init) */
    uint8_t link_width;
} PCIERootPortClass;

#define PCIE_ROOT_PORT(obj) \
    OBJECT_CHECK(PCIERootPort, (obj), TYPE_PCIE_ROOT_PORT)
#define PCIE_ROOT_PORT_CLASS(oc) \
    OBJECT_CLASS_CHECK(PCIERootPortClass, (oc), TYPE_PCIE_ROOT_PORT)
#define PCIE_ROOT_PORT_GET_CLASS(obj) \
    OBJECT_GET_CLASS(PCIERootPortClass, (obj), TYPE_PCIE_ROOT_PORT)

#endif
