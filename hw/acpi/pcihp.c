/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI PCI hotplug registers (0xcc0): the guest selects a bus by its BSEL
 * number in SEL, reads hot-added slots from UP (clear on read) and slots
 * with a pending removal from DOWN, and ejects a slot by writing EJ.
 *
 * BSEL numbers are handed out once, at the first reset: depth first from
 * the root, newest bridge first, to every hotpluggable bus.
 */
#include "qapi/error.h"
#include "hw/acpi/pcihp.h"
#include "hw/pci/pci_bridge.h"
#include "hw/pci/pcie.h"
#include "qemu/timer.h"

#define PCI_UP_BASE     0x00
#define PCI_DOWN_BASE   0x04
#define PCI_EJ_BASE     0x08
#define PCI_RMV_BASE    0x0c
#define PCI_SEL_BASE    0x10
#define PCI_AIDX_BASE   0x14

static void acpi_pcihp_number_bus(AcpiPciHpState *s, PCIBus *bus, int *next)
{
    if (*next < ACPI_PCIHP_MAX_HOTPLUG_BUS &&
        qbus_is_hotpluggable(BUS(bus))) {
        bus->acpi_bsel = (*next)++;
        object_property_add_uint32_ptr(OBJECT(bus), ACPI_PCIHP_PROP_BSEL,
                                       (const uint32_t *)&bus->acpi_bsel);
    }
    GList *children = pci_bus_child_buses(bus);
    for (GList *l = children; l; l = l->next) {
        acpi_pcihp_number_bus(s, l->data, next);
    }
    g_list_free(children);
}

static PCIBus *find_bus_by_bsel(PCIBus *bus, int bsel)
{
    PCIBus *found = NULL;

    if (bus->acpi_bsel == bsel) {
        return bus;
    }
    GList *children = pci_bus_child_buses(bus);
    for (GList *l = children; l && !found; l = l->next) {
        found = find_bus_by_bsel(l->data, bsel);
    }
    g_list_free(children);
    return found;
}

/* Devices the guest may not eject: cold-plugged bridges and the like. */
static bool acpi_pcihp_no_hotplug(PCIDevice *d)
{
    DeviceClass *dc = DEVICE_GET_CLASS(d);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(d);

    return (pc->is_bridge && !d->qdev.hotplugged) || !dc->hotpluggable;
}

static uint32_t acpi_pcihp_rmv(PCIBus *bus)
{
    uint32_t rmv = ~0u;

    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        PCIDevice *d = bus->devices[devfn];

        if (d && acpi_pcihp_no_hotplug(d)) {
            rmv &= ~(1u << PCI_SLOT(devfn));
        }
    }
    return rmv;
}

static void acpi_pcihp_eject_slot(AcpiPciHpState *s, unsigned bsel,
                                  uint32_t slots)
{
    PCIBus *bus;
    int slot;
    PCIDevice *funcs[PCI_FUNC_MAX];
    int n = 0;

    if (!slots) {
        return;
    }
    slot = __builtin_ctz(slots);
    s->acpi_pcihp_pci_status[bsel].up &= ~(1u << slot);
    s->acpi_pcihp_pci_status[bsel].down &= ~(1u << slot);
    bus = find_bus_by_bsel(s->root, bsel);
    if (!bus) {
        return;
    }
    /* Collect first: ejecting changes the bus. */
    for (int fn = PCI_FUNC_MAX - 1; fn >= 0; fn--) {
        PCIDevice *d = bus->devices[PCI_DEVFN(slot, fn)];

        if (d && !acpi_pcihp_no_hotplug(d)) {
            funcs[n++] = d;
        }
    }
    for (int i = 0; i < n; i++) {
        pci_device_guest_eject(funcs[i]);
    }
}

static uint64_t pcihp_read(void *opaque, hwaddr addr, unsigned size)
{
    AcpiPciHpState *s = opaque;
    uint32_t bsel = s->hotplug_select;
    uint32_t val = 0;
    PCIBus *bus;

    if (size != 4) {
        return ~0ULL;
    }
    switch (addr) {
    case PCI_SEL_BASE:
        return bsel;
    case PCI_AIDX_BASE:
        val = s->acpi_index;
        s->acpi_index = 0;
        return val;
    }
    if (bsel >= ACPI_PCIHP_MAX_HOTPLUG_BUS) {
        return 0;
    }
    switch (addr) {
    case PCI_UP_BASE:
        val = s->acpi_pcihp_pci_status[bsel].up;
        s->acpi_pcihp_pci_status[bsel].up = 0;
        break;
    case PCI_DOWN_BASE:
        val = s->acpi_pcihp_pci_status[bsel].down;
        break;
    case PCI_RMV_BASE:
        bus = find_bus_by_bsel(s->root, bsel);
        val = bus ? acpi_pcihp_rmv(bus) : 0;
        break;
    }
    return val;
}

static void pcihp_write(void *opaque, hwaddr addr, uint64_t data,
                        unsigned size)
{
    AcpiPciHpState *s = opaque;

    if (size != 4) {
        return;
    }
    s->acpi_index = 0;
    switch (addr) {
    case PCI_EJ_BASE:
        if (s->hotplug_select < ACPI_PCIHP_MAX_HOTPLUG_BUS) {
            acpi_pcihp_eject_slot(s, s->hotplug_select, data);
        }
        break;
    case PCI_SEL_BASE:
        s->hotplug_select = data;
        break;
    case PCI_AIDX_BASE:
        /* No device carries an acpi-index yet: the latch reads 0. */
        break;
    }
}

static const MemoryRegionOps pcihp_ops = {
    .read = pcihp_read,
    .write = pcihp_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 4,
};

void acpi_pcihp_init(Object *owner, AcpiPciHpState *s, PCIBus *root,
                     MemoryRegion *io, uint16_t io_base)
{
    s->root = root;
    memory_region_init_io(&s->io, owner, &pcihp_ops, s, "acpi-pci-hotplug",
                          ACPI_PCIHP_SIZE);
    memory_region_add_subregion(io, io_base, &s->io);
}

void acpi_pcihp_reset(AcpiPciHpState *s)
{
    if (!s->numbered) {
        int next = 0;

        acpi_pcihp_number_bus(s, s->root, &next);
        s->numbered = true;
    }
    /* Pending removals complete on reset, as if the guest had ejected. */
    for (unsigned bsel = 0; bsel < ACPI_PCIHP_MAX_HOTPLUG_BUS; bsel++) {
        while (s->acpi_pcihp_pci_status[bsel].down) {
            uint32_t down = s->acpi_pcihp_pci_status[bsel].down;

            acpi_pcihp_eject_slot(s, bsel, down & -down);
        }
    }
}

bool acpi_pcihp_is_hotpluggable_bus(AcpiPciHpState *s, BusState *bus)
{
    PCIBus *pbus = (PCIBus *)object_dynamic_cast(OBJECT(bus), TYPE_PCI_BUS);
    Object *parent = OBJECT(bus->parent);

    if (!pbus) {
        return false;
    }
    if (pci_bus_is_root(pbus)) {
        return s->root_hotplug_enabled;
    }
    if (parent && PCI_DEVICE(parent)->exp.exp_cap) {
        PCIDevice *port = PCI_DEVICE(parent);
        uint8_t *c = port->config + port->exp.exp_cap;

        /* A port with a slot (root port): only if its slot is hot-plug
         * capable; a PCIe-to-PCI bridge has no slot and always is. */
        if (pci_get_word(c + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_SLOT) {
            return pci_get_long(c + PCI_EXP_SLTCAP) & PCI_EXP_SLTCAP_HPC;
        }
    }
    return true;
}

static int acpi_pcihp_get_bsel(PCIBus *bus)
{
    return bus->acpi_bsel;
}

void acpi_pcihp_device_pre_plug_cb(AcpiPciHpState *s, DeviceState *dev,
                                   GError **errp)
{
    /* Before realize: only the qdev bus is known. */
    PCIBus *bus = PCI_BUS(dev->parent_bus);

    if (dev->hotplugged && acpi_pcihp_get_bsel(bus) < 0) {
        error_setg(errp, "Unsupported bus. Bus doesn't have property '"
                   ACPI_PCIHP_PROP_BSEL "' set");
    }
}

void acpi_pcihp_device_plug_cb(Object *handler, AcpiPciHpState *s,
                               DeviceState *dev, GError **errp)
{
    PCIDevice *d = PCI_DEVICE(dev);
    int bsel;

    if (!dev->hotplugged) {
        /* Cold-plugged bridges get their slots managed by ACPI. */
        PCIBridge *br = (PCIBridge *)object_dynamic_cast(OBJECT(dev),
                                                         TYPE_PCI_BRIDGE);
        if (br) {
            qbus_set_hotplug_handler(BUS(br->sec_bus), handler);
        }
        return;
    }
    bsel = acpi_pcihp_get_bsel(d->bus);
    if (bsel < 0) {
        error_setg(errp, "Unsupported bus. Bus doesn't have property '"
                   ACPI_PCIHP_PROP_BSEL "' set");
        return;
    }
    if (d->bus->parent_dev && d->bus->parent_dev->exp.exp_cap) {
        pcie_cap_slot_enable_power(d->bus->parent_dev);
    }
    s->acpi_pcihp_pci_status[bsel].up |= 1u << PCI_SLOT(d->devfn);
    if (s->send_event) {
        s->send_event(s->opaque);
    }
}

void acpi_pcihp_device_unplug_request_cb(AcpiPciHpState *s,
                                         DeviceState *dev, GError **errp)
{
    PCIDevice *d = PCI_DEVICE(dev);
    int bsel = acpi_pcihp_get_bsel(d->bus);

    if (bsel < 0) {
        error_setg(errp, "Unsupported bus. Bus doesn't have property '"
                   ACPI_PCIHP_PROP_BSEL "' set");
        return;
    }
    /* Expires "now": under an unstepped qtest clock (0) it never does. */
    dev->pending_deleted_event = true;
    dev->pending_deleted_expires_ms = qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL);
    s->acpi_pcihp_pci_status[bsel].down |= 1u << PCI_SLOT(d->devfn);
    if (s->send_event) {
        s->send_event(s->opaque);
    }
}

void acpi_pcihp_device_unplug_cb(AcpiPciHpState *s, DeviceState *dev,
                                 GError **errp)
{
    /* Completion goes through pci_device_guest_eject(). */
}
