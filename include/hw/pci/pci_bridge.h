/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI-to-PCI bridges (type-1 header).  The secondary bus has its own
 * memory and I/O containers; the bridge's I/O, memory and prefetchable
 * windows are aliases of them mapped into the primary bus's spaces, so an
 * access inside a window reaches a BAR behind the bridge only if that BAR
 * really decodes the address.
 */
#ifndef HW_PCI_PCI_BRIDGE_H
#define HW_PCI_PCI_BRIDGE_H

#include "hw/pci/pci.h"

#define TYPE_PCI_BRIDGE "base-pci-bridge"

typedef struct PCIBridge {
    PCIDevice parent_obj;
    PCIBus *sec_bus;
    MemoryRegion address_space_mem;     /* secondary bus memory */
    MemoryRegion address_space_io;      /* secondary bus I/O */
    MemoryRegion alias_io;
    MemoryRegion alias_mem;
    MemoryRegion alias_pref;
    bool windows_mapped;
    char *bus_name;
} PCIBridge;

typedef struct PCIBridgeClass {
    PCIDeviceClass parent_class;
    const char *bus_type;       /* type of the secondary bus */
} PCIBridgeClass;

#define PCI_BRIDGE(obj) OBJECT_CHECK(PCIBridge, (obj), TYPE_PCI_BRIDGE)
#define PCI_BRIDGE_CLASS(oc) \
    OBJECT_CLASS_CHECK(PCIBridgeClass, (oc), TYPE_PCI_BRIDGE)
#define PCI_BRIDGE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(PCIBridgeClass, (obj), TYPE_PCI_BRIDGE)

/* Realize helpers for bridge devices: header masks, secondary bus, windows. */
void pci_bridge_initfn(PCIDevice *dev, const char *bus_type, GError **errp);
void pci_bridge_exitfn(PCIDevice *dev);
void pci_bridge_reset(PCIDevice *dev);
/* Reset, then map the (now reset) windows: a plain bridge's reset. */
void pci_bridge_reset_and_map(PCIDevice *dev);
/* Close all windows (base > limit), as root ports do at reset. */
void pci_bridge_disable_base_limit(PCIDevice *dev);
void pci_bridge_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                             int len);
void pci_bridge_update_mappings(PCIBridge *br);
PCIBus *pci_bridge_get_sec_bus(PCIBridge *br);

/* Decoded windows, as query-pci reports them. */
pcibus_t pci_bridge_get_base(PCIDevice *dev, uint8_t type);
pcibus_t pci_bridge_get_limit(PCIDevice *dev, uint8_t type);

/* Bridge subsystem vendor id capability (id 0x0d). */
int pci_bridge_ssvid_init(PCIDevice *dev, uint8_t offset, uint16_t svid,
                          uint16_t ssid, GError **errp);

#endif
