/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI buses: the "PCI" and "PCIE" bus types, bus numbers as the guest
 * programs them into bridges, INTx routing state of a root bus, and the
 * host side of configuration cycles.
 */
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_bridge.h"

/* ---- Buses ---------------------------------------------------------- */

static void pci_bus_init(Object *obj)
{
    PCIBus *bus = PCI_BUS(obj);

    bus->acpi_bsel = -1;
}

static char *pci_bus_get_dev_path(DeviceState *dev)
{
    PCIDevice *d = PCI_DEVICE(dev);

    return g_strdup_printf("0000:%02x:%02x.%x", pci_bus_num(d->bus),
                           PCI_SLOT(d->devfn), PCI_FUNC(d->devfn));
}

static void pci_bus_class_init(ObjectClass *oc, void *data)
{
    BusClass *bc = BUS_CLASS(oc);

    bc->get_dev_path = pci_bus_get_dev_path;
    bc->max_dev = PCI_SLOT_MAX * PCI_FUNC_MAX;
}

static const TypeInfo pci_bus_info = {
    .name = TYPE_PCI_BUS,
    .parent = TYPE_BUS,
    .instance_size = sizeof(PCIBus),
    .instance_init = pci_bus_init,
    .class_init = pci_bus_class_init,
};

static const TypeInfo pcie_bus_info = {
    .name = TYPE_PCIE_BUS,
    .parent = TYPE_PCI_BUS,
};

PCIBus *pci_root_bus_new(DeviceState *parent, const char *name,
                         MemoryRegion *mem, MemoryRegion *io,
                         const char *typename)
{
    PCIBus *bus = PCI_BUS(qbus_new(typename, parent, name));

    bus->address_space_mem = mem;
    bus->address_space_io = io;
    return bus;
}

void pci_bus_irqs(PCIBus *bus, pci_set_irq_fn set_irq, pci_map_irq_fn map_irq,
                  void *opaque, int nirq)
{
    bus->set_irq = set_irq;
    bus->map_irq = map_irq;
    bus->irq_opaque = opaque;
    bus->nirq = nirq;
    g_free(bus->irq_count);
    bus->irq_count = g_new0(int, nirq);
}

bool pci_bus_is_root(PCIBus *bus)
{
    return bus->parent_dev == NULL;
}

bool pci_bus_is_express(PCIBus *bus)
{
    return object_dynamic_cast(OBJECT(bus), TYPE_PCIE_BUS) != NULL;
}

int pci_bus_num(PCIBus *bus)
{
    if (pci_bus_is_root(bus)) {
        return 0;
    }
    return bus->parent_dev->config[PCI_SECONDARY_BUS];
}

PCIBus *pci_get_bus(PCIDevice *dev)
{
    return dev->bus;
}

PCIBus *pci_device_root_bus(PCIDevice *dev)
{
    PCIBus *bus = dev->bus;

    while (!pci_bus_is_root(bus)) {
        bus = bus->parent_dev->bus;
    }
    return bus;
}

GList *pci_bus_child_buses(PCIBus *bus)
{
    GList *out = NULL;

    /* The bus keeps children in plug order: prepend for newest first. */
    for (GList *l = bus->qbus.children; l; l = l->next) {
        PCIDevice *d = (PCIDevice *)object_dynamic_cast(l->data,
                                                        TYPE_PCI_BRIDGE);
        if (d) {
            out = g_list_prepend(out, PCI_BRIDGE(d)->sec_bus);
        }
    }
    return out;
}

PCIBus *pci_find_bus_nr(PCIBus *bus, int bus_num)
{
    if (pci_bus_num(bus) == bus_num) {
        return bus;
    }
    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        PCIDevice *d = bus->devices[devfn];
        PCIBus *sec;

        if (!d || !object_dynamic_cast(OBJECT(d), TYPE_PCI_BRIDGE)) {
            continue;
        }
        sec = PCI_BRIDGE(d)->sec_bus;
        if (d->config[PCI_SECONDARY_BUS] == bus_num &&
            d->config[PCI_SECONDARY_BUS] != 0) {
            return sec;
        }
        if (bus_num > d->config[PCI_SECONDARY_BUS] &&
            bus_num <= d->config[PCI_SUBORDINATE_BUS]) {
            PCIBus *found = pci_find_bus_nr(sec, bus_num);
            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

PCIDevice *pci_find_device(PCIBus *root, int bus_num, uint8_t devfn)
{
    PCIBus *bus = pci_find_bus_nr(root, bus_num);

    return bus ? bus->devices[devfn] : NULL;
}

static uint32_t all_ones(int len)
{
    return len >= 4 ? 0xffffffffu : (1u << (len * 8)) - 1;
}

uint32_t pci_host_config_read(PCIDevice *dev, uint32_t addr, uint32_t limit,
                              int len)
{
    if (!dev || !pci_device_is_visible(dev) || addr >= limit ||
        addr >= dev->config_size) {
        return all_ones(len);
    }
    limit = MIN(limit, dev->config_size);
    len = MIN((uint32_t)len, limit - addr);
    return PCI_DEVICE_GET_CLASS(dev)->config_read(dev, addr, len);
}

void pci_host_config_write(PCIDevice *dev, uint32_t addr, uint32_t limit,
                           uint32_t val, int len)
{
    if (!dev || !pci_device_is_visible(dev) || addr >= limit ||
        addr >= dev->config_size) {
        return;
    }
    limit = MIN(limit, dev->config_size);
    len = MIN((uint32_t)len, limit - addr);
    PCI_DEVICE_GET_CLASS(dev)->config_write(dev, addr, val, len);
}

static void pci_bus_register_types(void)
{
    type_register_static(&pci_bus_info);
    type_register_static(&pcie_bus_info);
}

type_init(pci_bus_register_types)
