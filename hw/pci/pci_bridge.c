/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI-to-PCI bridge core: the type-1 header, bus numbers and the three
 * forwarding windows.  Each window is an alias of the secondary bus's
 * space mapped into the primary bus's space; because a container claims an
 * address only if something inside does, overlapping sibling windows route
 * an access to the bus that really has a BAR there.
 */
#include "qapi/error.h"
#include "hw/pci/pci_bridge.h"

#define PCI_BRIDGE_CTL_BUS_RESET 0x40

PCIBus *pci_bridge_get_sec_bus(PCIBridge *br)
{
    return br->sec_bus;
}

pcibus_t pci_bridge_get_base(PCIDevice *dev, uint8_t type)
{
    uint8_t *c = dev->config;
    pcibus_t base;

    if (type & PCI_BASE_ADDRESS_SPACE_IO) {
        base = (c[PCI_IO_BASE] & PCI_IO_RANGE_MASK) << 8;
        if ((c[PCI_IO_BASE] & 0x0f) == PCI_IO_RANGE_TYPE_32) {
            base |= (pcibus_t)pci_get_word(c + PCI_IO_BASE_UPPER16) << 16;
        }
    } else if (type & PCI_BASE_ADDRESS_MEM_PREFETCH) {
        base = (pcibus_t)(pci_get_word(c + PCI_PREF_MEMORY_BASE) &
                          PCI_MEMORY_RANGE_MASK) << 16;
        if (c[PCI_PREF_MEMORY_BASE] & PCI_PREF_RANGE_TYPE_64) {
            base |= (pcibus_t)pci_get_long(c + PCI_PREF_BASE_UPPER32) << 32;
        }
    } else {
        base = (pcibus_t)(pci_get_word(c + PCI_MEMORY_BASE) &
                          PCI_MEMORY_RANGE_MASK) << 16;
    }
    return base;
}

pcibus_t pci_bridge_get_limit(PCIDevice *dev, uint8_t type)
{
    uint8_t *c = dev->config;
    pcibus_t limit;

    if (type & PCI_BASE_ADDRESS_SPACE_IO) {
        limit = ((c[PCI_IO_LIMIT] & PCI_IO_RANGE_MASK) << 8) | 0xfff;
        if ((c[PCI_IO_LIMIT] & 0x0f) == PCI_IO_RANGE_TYPE_32) {
            limit |= (pcibus_t)pci_get_word(c + PCI_IO_LIMIT_UPPER16) << 16;
        }
    } else if (type & PCI_BASE_ADDRESS_MEM_PREFETCH) {
        limit = ((pcibus_t)(pci_get_word(c + PCI_PREF_MEMORY_LIMIT) &
                            PCI_MEMORY_RANGE_MASK) << 16) | 0xfffff;
        if (c[PCI_PREF_MEMORY_LIMIT] & PCI_PREF_RANGE_TYPE_64) {
            limit |= (pcibus_t)pci_get_long(c + PCI_PREF_LIMIT_UPPER32) << 32;
        }
    } else {
        limit = ((pcibus_t)(pci_get_word(c + PCI_MEMORY_LIMIT) &
                            PCI_MEMORY_RANGE_MASK) << 16) | 0xfffff;
    }
    return limit;
}

typedef struct Window {
    MemoryRegion *alias;
    MemoryRegion *target;       /* secondary space */
    MemoryRegion *parent;       /* primary space */
    uint8_t type;
    uint16_t cmd_bit;
    const char *name;
} Window;

static void pci_bridge_map_window(PCIBridge *br, Window *w, bool remap)
{
    PCIDevice *d = &br->parent_obj;
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    pcibus_t base = pci_bridge_get_base(d, w->type);
    pcibus_t limit = pci_bridge_get_limit(d, w->type);

    if (remap) {
        memory_region_finalize(w->alias);
    }
    if (limit < base || !(cmd & w->cmd_bit) || !w->parent) {
        /* A closed window forwards nothing: map an empty alias. */
        memory_region_init_alias(w->alias, OBJECT(br), w->name, w->target,
                                 0, 0);
        return;
    }
    memory_region_init_alias(w->alias, OBJECT(br), w->name, w->target, base,
                             limit - base + 1);
    memory_region_add_subregion_overlap(w->parent, base, w->alias, 1);
}

static void pci_bridge_windows(PCIBridge *br, bool remap)
{
    PCIBus *parent = br->parent_obj.bus;
    Window ws[] = {
        { &br->alias_io, &br->address_space_io, parent->address_space_io,
          PCI_BASE_ADDRESS_SPACE_IO, PCI_COMMAND_IO, "pci_bridge_io" },
        { &br->alias_mem, &br->address_space_mem, parent->address_space_mem,
          PCI_BASE_ADDRESS_SPACE_MEMORY, PCI_COMMAND_MEMORY,
          "pci_bridge_mem" },
        { &br->alias_pref, &br->address_space_mem, parent->address_space_mem,
          PCI_BASE_ADDRESS_MEM_PREFETCH, PCI_COMMAND_MEMORY,
          "pci_bridge_pref_mem" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(ws); i++) {
        pci_bridge_map_window(br, &ws[i], remap);
    }
    br->windows_mapped = true;
}

void pci_bridge_update_mappings(PCIBridge *br)
{
    pci_bridge_windows(br, br->windows_mapped);
}

void pci_bridge_disable_base_limit(PCIDevice *dev)
{
    uint8_t *c = dev->config;

    c[PCI_IO_BASE] |= PCI_IO_RANGE_MASK;
    c[PCI_IO_LIMIT] &= ~PCI_IO_RANGE_MASK;
    pci_set_word(c + PCI_MEMORY_BASE, pci_get_word(c + PCI_MEMORY_BASE) |
                 PCI_MEMORY_RANGE_MASK);
    pci_set_word(c + PCI_MEMORY_LIMIT, pci_get_word(c + PCI_MEMORY_LIMIT) &
                 ~PCI_MEMORY_RANGE_MASK);
    pci_set_word(c + PCI_PREF_MEMORY_BASE,
                 pci_get_word(c + PCI_PREF_MEMORY_BASE) |
                 PCI_MEMORY_RANGE_MASK);
    pci_set_word(c + PCI_PREF_MEMORY_LIMIT,
                 pci_get_word(c + PCI_PREF_MEMORY_LIMIT) &
                 ~PCI_MEMORY_RANGE_MASK);
    pci_set_long(c + PCI_PREF_BASE_UPPER32, 0);
    pci_set_long(c + PCI_PREF_LIMIT_UPPER32, 0);
}

void pci_bridge_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                             int len)
{
    PCIBridge *br = PCI_BRIDGE(dev);
    uint16_t old_ctl = pci_get_word(dev->config + PCI_BRIDGE_CONTROL);
    uint16_t new_ctl;

    pci_default_write_config(dev, addr, val, len);
    if (addr < PCI_COMMAND + 2 && addr + len > PCI_COMMAND) {
        pci_bridge_update_mappings(br);
    } else if (addr < PCI_IO_LIMIT_UPPER16 + 2 && addr + len > PCI_IO_BASE) {
        pci_bridge_update_mappings(br);
    }
    new_ctl = pci_get_word(dev->config + PCI_BRIDGE_CONTROL);
    if (~old_ctl & new_ctl & PCI_BRIDGE_CTL_BUS_RESET) {
        bus_cold_reset(BUS(br->sec_bus));
    }
}

void pci_bridge_reset(PCIDevice *dev)
{
    uint8_t *c = dev->config;

    c[PCI_PRIMARY_BUS] = 0;
    c[PCI_SECONDARY_BUS] = 0;
    c[PCI_SUBORDINATE_BUS] = 0;
    c[PCI_SEC_LATENCY_TIMER] = 0;
    pci_set_word(c + PCI_BRIDGE_CONTROL, 0);
    pci_set_word(c + PCI_SEC_STATUS, 0);
}

void pci_bridge_reset_and_map(PCIDevice *dev)
{
    pci_bridge_reset(dev);
    pci_bridge_update_mappings(PCI_BRIDGE(dev));
}

void pci_bridge_initfn(PCIDevice *dev, const char *bus_type, GError **errp)
{
    PCIBridge *br = PCI_BRIDGE(dev);
    DeviceState *qdev = DEVICE(dev);
    uint8_t *wm = dev->wmask;

    memset(wm + PCI_PRIMARY_BUS, 0xff, 4);
    wm[PCI_IO_BASE] = PCI_IO_RANGE_MASK;
    wm[PCI_IO_LIMIT] = PCI_IO_RANGE_MASK;
    pci_set_word(wm + PCI_MEMORY_BASE, PCI_MEMORY_RANGE_MASK);
    pci_set_word(wm + PCI_MEMORY_LIMIT, PCI_MEMORY_RANGE_MASK);
    pci_set_word(wm + PCI_PREF_MEMORY_BASE, PCI_MEMORY_RANGE_MASK);
    pci_set_word(wm + PCI_PREF_MEMORY_LIMIT, PCI_MEMORY_RANGE_MASK);
    pci_set_long(wm + PCI_PREF_BASE_UPPER32, 0xffffffff);
    pci_set_long(wm + PCI_PREF_LIMIT_UPPER32, 0xffffffff);
    pci_set_word(wm + PCI_BRIDGE_CONTROL, 0x0bff);
    pci_set_word(dev->w1cmask + PCI_SEC_STATUS, 0xf900);
    dev->config[PCI_PREF_MEMORY_BASE] = PCI_PREF_RANGE_TYPE_64;
    dev->config[PCI_PREF_MEMORY_LIMIT] = PCI_PREF_RANGE_TYPE_64;

    br->bus_name = g_strdup(qdev->id);
    br->sec_bus = PCI_BUS(qbus_new(bus_type, qdev, br->bus_name));
    br->sec_bus->parent_dev = dev;
    memory_region_init(&br->address_space_mem, OBJECT(br), "pci_bridge_pci",
                       UINT64_MAX);
    memory_region_init(&br->address_space_io, OBJECT(br), "pci_bridge_io",
                       0x10000);
    br->sec_bus->address_space_mem = &br->address_space_mem;
    br->sec_bus->address_space_io = &br->address_space_io;
    pci_bridge_update_mappings(br);
}

void pci_bridge_exitfn(PCIDevice *dev)
{
    PCIBridge *br = PCI_BRIDGE(dev);

    if (br->windows_mapped) {
        memory_region_finalize(&br->alias_io);
        memory_region_finalize(&br->alias_mem);
        memory_region_finalize(&br->alias_pref);
        br->windows_mapped = false;
    }
    g_clear_pointer(&br->bus_name, g_free);
}

int pci_bridge_ssvid_init(PCIDevice *dev, uint8_t offset, uint16_t svid,
                          uint16_t ssid, GError **errp)
{
    int pos = pci_add_capability(dev, PCI_CAP_ID_SSVID, offset, 8, errp);

    if (pos < 0) {
        return pos;
    }
    pci_set_word(dev->config + pos + 4, svid);
    pci_set_word(dev->config + pos + 6, ssid);
    return pos;
}

static void pci_bridge_class_init(ObjectClass *oc, void *data)
{
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->is_bridge = true;
    pc->config_write = pci_bridge_write_config;
}

static const TypeInfo pci_bridge_info = {
    .name = TYPE_PCI_BRIDGE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PCIBridge),
    .class_size = sizeof(PCIBridgeClass),
    .abstract = true,
    .class_init = pci_bridge_class_init,
};

static void pci_bridge_register_types(void)
{
    type_register_static(&pci_bridge_info);
}

type_init(pci_bridge_register_types)
