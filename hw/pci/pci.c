/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PCI core: the abstract pci-device, configuration space with its
 * masks, BAR mapping, capabilities and INTx.  Buses are in pci_bus.c,
 * hotplug state in pci-hotplug.c.
 */
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pci_bridge.h"
#include "hw/qdev-properties.h"

/* ---- Config space ----------------------------------------------------- */

bool pci_is_express(PCIDevice *dev)
{
    return dev->cap_present & QEMU_PCI_CAP_EXPRESS;
}

uint32_t pci_config_size(PCIDevice *dev)
{
    return dev->config_size;
}

uint32_t pci_default_read_config(PCIDevice *dev, uint32_t addr, int len)
{
    uint32_t val = 0;

    for (int i = 0; i < len && addr + i < dev->config_size; i++) {
        val |= (uint32_t)dev->config[addr + i] << (8 * i);
    }
    return val;
}

static bool ranges_overlap(uint32_t a, int alen, uint32_t b, int blen)
{
    return a < b + blen && b < a + alen;
}

static int pci_rom_offset(PCIDevice *dev)
{
    return (dev->config[PCI_HEADER_TYPE] & 0x7f) == PCI_HEADER_TYPE_BRIDGE ?
           PCI_ROM_ADDRESS1 : PCI_ROM_ADDRESS;
}

static void pci_update_irq_disabled(PCIDevice *dev, bool was_disabled);

void pci_default_write_config(PCIDevice *dev, uint32_t addr, uint32_t val,
                              int len)
{
    bool was_disabled = pci_get_word(dev->config + PCI_COMMAND) &
                        PCI_COMMAND_INTX_DISABLE;

    for (int i = 0; i < len && addr + i < dev->config_size; i++) {
        uint32_t a = addr + i;
        uint8_t b = val >> (8 * i);
        uint8_t wm = dev->wmask[a], w1c = dev->w1cmask[a];

        dev->config[a] = (dev->config[a] & ~wm) | (b & wm);
        dev->config[a] &= ~(b & w1c);
    }
    if (ranges_overlap(addr, len, PCI_BASE_ADDRESS_0, 24) ||
        ranges_overlap(addr, len, pci_rom_offset(dev), 4) ||
        ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_mappings(dev);
    }
    if (ranges_overlap(addr, len, PCI_COMMAND, 2)) {
        pci_update_irq_disabled(dev, was_disabled);
    }
    if (dev->msix_cap) {
        msix_write_config(dev, addr, val, len);
    }
}

/* ---- BARs ------------------------------------------------------------- */

static int pci_bar_offset(PCIDevice *dev, int reg)
{
    return reg == PCI_ROM_SLOT ? pci_rom_offset(dev) :
           PCI_BASE_ADDRESS_0 + reg * 4;
}

void pci_register_bar(PCIDevice *dev, int region_num, uint8_t type,
                      MemoryRegion *memory)
{
    PCIIORegion *r = &dev->io_regions[region_num];
    uint64_t size = memory->size;
    uint64_t wmask = ~(size - 1);
    int off = pci_bar_offset(dev, region_num);

    g_assert(size && !(size & (size - 1)));
    r->addr = PCI_BAR_UNMAPPED;
    r->size = size;
    r->type = type;
    r->memory = memory;
    r->address_space = (type & PCI_BASE_ADDRESS_SPACE_IO) ?
                       dev->bus->address_space_io :
                       dev->bus->address_space_mem;
    if (region_num == PCI_ROM_SLOT) {
        wmask |= PCI_ROM_ADDRESS_ENABLE;
    }
    pci_set_long(dev->config + off, type);
    if (!(type & PCI_BASE_ADDRESS_SPACE_IO) &&
        (type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
        pci_set_quad(dev->wmask + off, wmask);
        pci_set_quad(dev->cmask + off, ~0ULL);
    } else {
        pci_set_long(dev->wmask + off, wmask & 0xffffffff);
        pci_set_long(dev->cmask + off, 0xffffffff);
    }
}

/* Where the BAR decodes now, honouring the command register. */
static pcibus_t pci_bar_address(PCIDevice *d, int reg, uint8_t type,
                                pcibus_t size)
{
    uint16_t cmd = pci_get_word(d->config + PCI_COMMAND);
    int off = pci_bar_offset(d, reg);
    pcibus_t addr, last;

    if (type & PCI_BASE_ADDRESS_SPACE_IO) {
        if (!(cmd & PCI_COMMAND_IO)) {
            return PCI_BAR_UNMAPPED;
        }
        addr = pci_get_long(d->config + off) & ~(size - 1);
        last = addr + size - 1;
        if (last <= addr || last >= UINT32_MAX || addr == 0) {
            return PCI_BAR_UNMAPPED;
        }
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY)) {
        return PCI_BAR_UNMAPPED;
    }
    addr = (type & PCI_BASE_ADDRESS_MEM_TYPE_64) ?
           pci_get_quad(d->config + off) : pci_get_long(d->config + off);
    if (reg == PCI_ROM_SLOT && !(addr & PCI_ROM_ADDRESS_ENABLE)) {
        return PCI_BAR_UNMAPPED;
    }
    addr &= ~(size - 1);
    last = addr + size - 1;
    if (last <= addr || last == PCI_BAR_UNMAPPED || addr == 0) {
        return PCI_BAR_UNMAPPED;
    }
    if (!(type & PCI_BASE_ADDRESS_MEM_TYPE_64) && last >= UINT32_MAX) {
        return PCI_BAR_UNMAPPED;
    }
    return addr;
}

void pci_update_mappings(PCIDevice *d)
{
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &d->io_regions[i];
        pcibus_t addr;

        if (!r->memory) {
            continue;
        }
        addr = pci_bar_address(d, i, r->type, r->size);
        if (!d->has_power) {
            addr = PCI_BAR_UNMAPPED;
        }
        if (addr == r->addr) {
            continue;
        }
        if (r->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(r->address_space, r->memory);
        }
        r->addr = addr;
        if (addr != PCI_BAR_UNMAPPED) {
            /* Above the bridge windows' default priority 0 of containers. */
            memory_region_add_subregion_overlap(r->address_space, addr,
                                                r->memory, 1);
        }
    }
}

pcibus_t pci_get_bar_addr(PCIDevice *dev, int region_num)
{
    return dev->io_regions[region_num].addr;
}

MemoryRegion *pci_address_space(PCIDevice *dev)
{
    return dev->bus->address_space_mem;
}

MemoryRegion *pci_address_space_io(PCIDevice *dev)
{
    return dev->bus->address_space_io;
}

static void pci_unmap_bars(PCIDevice *d)
{
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &d->io_regions[i];

        if (r->memory && r->addr != PCI_BAR_UNMAPPED) {
            memory_region_del_subregion(r->address_space, r->memory);
            r->addr = PCI_BAR_UNMAPPED;
        }
    }
}

/* ---- Capabilities ----------------------------------------------------- */

static uint8_t pci_find_space(PCIDevice *dev, uint8_t size)
{
    int offset = 0x40;

    for (int i = 0x40; i < PCI_CONFIG_SPACE_SIZE; i++) {
        if (dev->used[i]) {
            offset = i + 1;
        } else if (i - offset + 1 == size) {
            return offset;
        }
    }
    return 0;
}

int pci_add_capability(PCIDevice *dev, uint8_t cap_id, uint8_t offset,
                       uint8_t size, GError **errp)
{
    if (!offset) {
        offset = pci_find_space(dev, size);
        if (!offset) {
            error_setg(errp, "PCI: no space for capability 0x%x", cap_id);
            return -1;
        }
    } else if (offset < 0x40 || offset + size > PCI_CONFIG_SPACE_SIZE) {
        error_setg(errp, "PCI: capability 0x%x at 0x%x out of range",
                   cap_id, offset);
        return -1;
    } else {
        for (int i = offset; i < offset + size; i++) {
            if (dev->used[i]) {
                error_setg(errp, "%s:%02x:%02x.%x Attempt to add PCI "
                           "capability %x at offset %x overlaps existing "
                           "capability", dev->name, pci_bus_num(dev->bus),
                           PCI_SLOT(dev->devfn), PCI_FUNC(dev->devfn),
                           cap_id, offset);
                return -1;
            }
        }
    }
    dev->config[offset + PCI_CAP_LIST_ID] = cap_id;
    dev->config[offset + PCI_CAP_LIST_NEXT] = dev->config[PCI_CAPABILITY_LIST];
    dev->config[PCI_CAPABILITY_LIST] = offset;
    dev->config[PCI_STATUS] |= PCI_STATUS_CAP_LIST;
    memset(dev->used + offset, 0xff, size);
    /* The capability header is read-only; the rest is up to its owner. */
    memset(dev->wmask + offset, 0, size);
    memset(dev->cmask + offset, 0xff, size);
    return offset;
}

uint8_t pci_find_capability(PCIDevice *dev, uint8_t cap_id)
{
    uint8_t pos = dev->config[PCI_CAPABILITY_LIST];
    int guard = 64;

    while (pos && guard--) {
        if (dev->config[pos] == cap_id) {
            return pos;
        }
        pos = dev->config[pos + PCI_CAP_LIST_NEXT];
    }
    return 0;
}

void pcie_add_capability(PCIDevice *dev, uint16_t cap_id, uint8_t cap_ver,
                         uint16_t offset, uint16_t size)
{
    uint32_t header = cap_id | ((uint32_t)cap_ver << 16);

    g_assert(offset >= PCI_CONFIG_SPACE_SIZE &&
             offset + size <= dev->config_size);
    /* Chain after the last extended capability. */
    if (offset != PCI_CONFIG_SPACE_SIZE) {
        uint16_t prev = PCI_CONFIG_SPACE_SIZE, next;

        while ((next = pci_get_long(dev->config + prev) >> 20) != 0) {
            prev = next;
        }
        pci_set_long(dev->config + prev,
                     pci_get_long(dev->config + prev) |
                     ((uint32_t)offset << 20));
    }
    pci_set_long(dev->config + offset, header);
    memset(dev->wmask + offset, 0, size);
    memset(dev->used + offset, 0xff, size);
}

/* ---- INTx ------------------------------------------------------------- */

int pci_intx(PCIDevice *dev)
{
    return dev->config[PCI_INTERRUPT_PIN] - 1;
}

static void pci_change_irq_level(PCIDevice *dev, int pin, int change)
{
    PCIBus *bus = dev->bus;

    while (!pci_bus_is_root(bus)) {
        /* A bridge swizzles by the slot of the device below it. */
        pin = (PCI_SLOT(dev->devfn) + pin) % PCI_NUM_PINS;
        dev = bus->parent_dev;
        bus = dev->bus;
    }
    if (!bus->map_irq || !bus->set_irq) {
        return;
    }
    int irq = bus->map_irq(dev, pin);
    if (irq < 0 || irq >= bus->nirq) {
        return;
    }
    bus->irq_count[irq] += change;
    bus->set_irq(bus->irq_opaque, irq, bus->irq_count[irq] != 0);
}

static bool pci_irq_disabled(PCIDevice *dev)
{
    return pci_get_word(dev->config + PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
}

void pci_set_irq(PCIDevice *dev, int level)
{
    int pin = pci_intx(dev);

    level = !!level;
    if (pin < 0 || pin >= PCI_NUM_PINS || level == dev->irq_state) {
        return;
    }
    dev->irq_state = level;
    if (level) {
        dev->config[PCI_STATUS] |= PCI_STATUS_INTERRUPT;
    } else {
        dev->config[PCI_STATUS] &= ~PCI_STATUS_INTERRUPT;
    }
    if (!pci_irq_disabled(dev)) {
        pci_change_irq_level(dev, pin, level ? 1 : -1);
    }
}

static void pci_update_irq_disabled(PCIDevice *dev, bool was_disabled)
{
    bool disabled = pci_irq_disabled(dev);
    int pin = pci_intx(dev);

    if (disabled == was_disabled || !dev->irq_state || pin < 0 ||
        pin >= PCI_NUM_PINS) {
        return;
    }
    pci_change_irq_level(dev, pin, disabled ? -1 : 1);
}

/* ---- The pci-device type ---------------------------------------------- */

static void pci_init_masks(PCIDevice *d)
{
    pci_set_word(d->wmask + PCI_COMMAND,
                 PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                 PCI_COMMAND_SERR | PCI_COMMAND_INTX_DISABLE);
    d->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
    d->wmask[PCI_LATENCY_TIMER] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
    pci_set_word(d->w1cmask + PCI_STATUS,
                 PCI_STATUS_PARITY | PCI_STATUS_SIG_TARGET_ABORT |
                 PCI_STATUS_REC_TARGET_ABORT | PCI_STATUS_REC_MASTER_ABORT |
                 PCI_STATUS_SIG_SYSTEM_ERROR | PCI_STATUS_DETECTED_PARITY);
    /* The standard header is fixed apart from the writable registers. */
    memset(d->cmask, 0xff, 0x40);
    /*
     * ...and the status registers, whose event bits (INTx pending, errors)
     * change at run time: a migration with an interrupt pending is fine.
     */
    pci_set_word(d->cmask + PCI_STATUS, PCI_STATUS_CAP_LIST);
    pci_set_word(d->cmask + PCI_SEC_STATUS, 0);
    memset(d->used, 0xff, 0x40);
}

static bool pci_init_multifunction(PCIBus *bus, PCIDevice *dev, GError **errp)
{
    int slot = PCI_SLOT(dev->devfn);

    if (dev->cap_present & QEMU_PCI_CAP_MULTIFUNCTION) {
        dev->config[PCI_HEADER_TYPE] |= PCI_HEADER_TYPE_MULTI_FUNCTION;
    }
    if (PCI_FUNC(dev->devfn)) {
        PCIDevice *f0 = bus->devices[PCI_DEVFN(slot, 0)];

        if (f0 && !(f0->cap_present & QEMU_PCI_CAP_MULTIFUNCTION)) {
            error_setg(errp, "PCI: single function device can't be "
                       "populated in function %x.%x", slot,
                       PCI_FUNC(dev->devfn));
            return false;
        }
        return true;
    }
    if (dev->cap_present & QEMU_PCI_CAP_MULTIFUNCTION) {
        return true;
    }
    for (int fn = 1; fn < PCI_FUNC_MAX; fn++) {
        if (bus->devices[PCI_DEVFN(slot, fn)]) {
            error_setg(errp, "PCI: %x.0 indicates single function, but "
                       "%x.%x is already populated.", slot, slot, fn);
            return false;
        }
    }
    return true;
}

static bool pci_claim_devfn(PCIBus *bus, PCIDevice *dev, GError **errp)
{
    const char *name = dev->name;

    if (dev->devfn < 0) {
        for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX;
             devfn += PCI_FUNC_MAX) {
            if (!bus->devices[devfn]) {
                dev->devfn = devfn;
                return true;
            }
        }
        error_setg(errp, "PCI: no slot/function available for %s, all in "
                   "use or reserved", name);
        return false;
    }
    if (dev->devfn > 0xff) {
        error_setg(errp, "PCI: invalid devfn %d for %s", dev->devfn, name);
        return false;
    }
    if (bus->devices[dev->devfn]) {
        PCIDevice *o = bus->devices[dev->devfn];

        error_setg(errp, "PCI: slot %d function %d not available for %s, in "
                   "use by %s,id \"%s\"", PCI_SLOT(dev->devfn),
                   PCI_FUNC(dev->devfn), name, o->name,
                   o->qdev.id ? o->qdev.id : "(null)");
        return false;
    }
    if (dev->qdev.hotplugged && PCI_FUNC(dev->devfn) &&
        bus->devices[PCI_DEVFN(PCI_SLOT(dev->devfn), 0)]) {
        PCIDevice *f0 = bus->devices[PCI_DEVFN(PCI_SLOT(dev->devfn), 0)];

        error_setg(errp, "PCI: slot %d function 0 already occupied by %s, "
                   "new func %s cannot be exposed to guest.",
                   PCI_SLOT(dev->devfn), f0->name, name);
        return false;
    }
    return true;
}

/*
 * A root or downstream port links to one device, Device 0 (PCIe base spec
 * 7.3.1), and guests scan no other slot behind it: a device elsewhere would
 * never be seen.  QEMU 8.1 only warns, later QEMU refuses, both for PCIe
 * devices only; we refuse any device, since none would be seen.
 */
static bool pci_check_slot_behind_port(PCIBus *bus, PCIDevice *d,
                                       GError **errp)
{
    PCIDevice *port = bus->parent_dev;
    unsigned type;

    if (!PCI_SLOT(d->devfn) || !port ||
        !port->exp.exp_cap) {
        return true;
    }
    type = (pci_get_word(port->config + port->exp.exp_cap + PCI_EXP_FLAGS) >>
            4) & 0xf;
    if (type != PCI_EXP_TYPE_ROOT_PORT && type != PCI_EXP_TYPE_DOWNSTREAM) {
        return true;
    }
    error_setg(errp, "PCI: slot %d is not valid for %s, parent device only "
               "allows plugging into slot 0.", PCI_SLOT(d->devfn), d->name);
    return false;
}

static void pci_config_free(PCIDevice *d)
{
    g_clear_pointer(&d->config, g_free);
    g_clear_pointer(&d->wmask, g_free);
    g_clear_pointer(&d->cmask, g_free);
    g_clear_pointer(&d->w1cmask, g_free);
    g_clear_pointer(&d->used, g_free);
}

/* ROM BAR contents: a file, or the size QEMU's default ROM would have. */
static uint64_t pci_rom_read(void *opaque, hwaddr addr, unsigned size)
{
    PCIDevice *d = opaque;

    return addr < d->rom_data_len ? d->rom_data[addr] : 0;
}

static const MemoryRegionOps pci_rom_ops = {
    .read = pci_rom_read,
    .impl_min_access_size = 1,
    .impl_max_access_size = 1,
};

static bool pci_add_option_rom(PCIDevice *d, bool is_default, GError **errp)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(d);
    uint64_t size = 0;

    if (!d->romfile || !*d->romfile) {
        return true;
    }
    if (!d->rombar) {
        if (d->qdev.hotplugged) {
            error_setg(errp, "Hot-plugged device without ROM bar can't have "
                       "an option ROM");
            return false;
        }
        return true;
    }
    if (g_file_test(d->romfile, G_FILE_TEST_IS_REGULAR)) {
        gchar *data = NULL;
        gsize len = 0;

        if (g_file_get_contents(d->romfile, &data, &len, NULL)) {
            d->rom_data = (uint8_t *)data;
            d->rom_data_len = len;
            size = len;
        }
        if (!size) {
            error_setg(errp, "romfile \"%s\" is empty", d->romfile);
            return false;
        }
    } else if (is_default && pc->romsize) {
        /* The firmware images are not shipped; keep QEMU's BAR size. */
        size = pc->romsize;
    } else {
        error_setg(errp, "failed to find romfile \"%s\"", d->romfile);
        return false;
    }
    size = size < 2 ? 2 : 1ULL << g_bit_storage(size - 1);
    g_autofree char *name = g_strdup_printf("%s.rom", d->name);
    memory_region_init_io(&d->rom, OBJECT(d), &pci_rom_ops, d, name, size);
    d->has_rom = true;
    pci_register_bar(d, PCI_ROM_SLOT, 0, &d->rom);
    return true;
}

static void pci_qdev_unrealize(DeviceState *qdev);

static void pci_qdev_realize(DeviceState *qdev, GError **errp)
{
    PCIDevice *d = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(d);
    PCIBus *bus = (PCIBus *)object_dynamic_cast(OBJECT(qdev->parent_bus),
                                                TYPE_PCI_BUS);
    GError *err = NULL;
    bool is_default_rom = false;

    if (!bus) {
        error_setg(errp, "PCI device needs a PCI bus");
        return;
    }
    g_strlcpy(d->name, object_get_typename(OBJECT(d)), sizeof(d->name));
    if (!pci_claim_devfn(bus, d, errp)) {
        return;
    }
    d->bus = bus;
    if (pc->is_express && pci_bus_is_express(bus)) {
        d->cap_present |= QEMU_PCI_CAP_EXPRESS;
    }
    if (!pci_check_slot_behind_port(bus, d, errp)) {
        d->bus = NULL;
        return;
    }
    d->config_size = pci_is_express(d) ? PCIE_CONFIG_SPACE_SIZE :
                                         PCI_CONFIG_SPACE_SIZE;
    d->config = g_malloc0(d->config_size);
    d->wmask = g_malloc0(d->config_size);
    d->cmask = g_malloc0(d->config_size);
    d->w1cmask = g_malloc0(d->config_size);
    d->used = g_malloc0(d->config_size);
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        d->io_regions[i].addr = PCI_BAR_UNMAPPED;
    }
    d->has_power = true;
    pci_set_word(d->config + PCI_VENDOR_ID, pc->vendor_id);
    pci_set_word(d->config + PCI_DEVICE_ID, pc->device_id);
    d->config[PCI_REVISION_ID] = pc->revision;
    d->config[PCI_CLASS_PROG] = pc->class_prog;
    pci_set_word(d->config + PCI_CLASS_DEVICE, pc->class_id);
    d->config[PCI_HEADER_TYPE] = pc->is_bridge ? PCI_HEADER_TYPE_BRIDGE :
                                                 PCI_HEADER_TYPE_NORMAL;
    if (!pc->is_bridge) {
        pci_set_word(d->config + PCI_SUBSYSTEM_VENDOR_ID,
                     pc->subsystem_vendor_id ? pc->subsystem_vendor_id :
                     PCI_SUBVENDOR_ID_REDHAT_QUMRANET);
        pci_set_word(d->config + PCI_SUBSYSTEM_ID,
                     pc->subsystem_vendor_id ? pc->subsystem_id :
                     PCI_SUBDEVICE_ID_QEMU);
    }
    pci_init_masks(d);
    if (!pci_init_multifunction(bus, d, errp)) {
        pci_config_free(d);
        d->bus = NULL;
        return;
    }
    bus->devices[d->devfn] = d;

    if (pc->realize) {
        pc->realize(d, &err);
        if (err) {
            g_propagate_error(errp, err);
            bus->devices[d->devfn] = NULL;
            pci_unmap_bars(d);
            pci_config_free(d);
            d->bus = NULL;
            return;
        }
    }
    if (d->failover_pair_id) {
        const char *msg = NULL;

        if (!pci_bus_is_express(bus)) {
            msg = "failover primary device must be on PCIExpress bus";
        } else if (pci_get_word(d->config + PCI_CLASS_DEVICE) !=
                   PCI_CLASS_NETWORK_ETHERNET) {
            msg = "failover primary device is not an Ethernet device";
        } else if ((d->cap_present & QEMU_PCI_CAP_MULTIFUNCTION) ||
                   PCI_FUNC(d->devfn)) {
            msg = "failover: primary device must be in its own PCI slot";
        }
        if (msg) {
            error_setg(errp, "%s", msg);
            pci_qdev_unrealize(qdev);
            return;
        }
        qdev->allow_unplug_during_migration = true;
    }
    if (!d->romfile && pc->romfile) {
        d->romfile = g_strdup(pc->romfile);
        is_default_rom = true;
    }
    if (!pci_add_option_rom(d, is_default_rom, errp)) {
        pci_qdev_unrealize(qdev);
        return;
    }
}

static void pci_qdev_unrealize(DeviceState *qdev)
{
    PCIDevice *d = PCI_DEVICE(qdev);
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(d);

    if (!d->bus) {
        return;
    }
    pci_set_irq(d, 0);
    if (pc->exit) {
        pc->exit(d);
    }
    pci_unmap_bars(d);
    msix_uninit(d);
    if (d->has_rom) {
        memory_region_finalize(&d->rom);
        d->has_rom = false;
    }
    g_clear_pointer(&d->rom_data, g_free);
    d->rom_data_len = 0;
    memset(d->io_regions, 0, sizeof(d->io_regions));
    d->bus->devices[d->devfn] = NULL;
    d->bus = NULL;
    pci_config_free(d);
}

void pci_device_reset(PCIDevice *d)
{
    PCIDeviceClass *pc = PCI_DEVICE_GET_CLASS(d);
    uint16_t cmd_mask;

    if (!d->config) {
        return;
    }
    pci_set_irq(d, 0);
    cmd_mask = pci_get_word(d->wmask + PCI_COMMAND) |
               pci_get_word(d->w1cmask + PCI_COMMAND);
    pci_set_word(d->config + PCI_COMMAND,
                 pci_get_word(d->config + PCI_COMMAND) & ~cmd_mask);
    pci_set_word(d->config + PCI_STATUS,
                 pci_get_word(d->config + PCI_STATUS) &
                 ~pci_get_word(d->w1cmask + PCI_STATUS));
    d->config[PCI_CACHE_LINE_SIZE] = 0;
    d->config[PCI_INTERRUPT_LINE] = 0;
    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &d->io_regions[i];
        int off = pci_bar_offset(d, i);

        if (!r->memory) {
            continue;
        }
        if (!(r->type & PCI_BASE_ADDRESS_SPACE_IO) &&
            (r->type & PCI_BASE_ADDRESS_MEM_TYPE_64)) {
            pci_set_quad(d->config + off, r->type);
        } else {
            pci_set_long(d->config + off, r->type);
        }
    }
    pci_update_mappings(d);
    if (d->msi_cap) {
        uint16_t f = pci_get_word(d->config + d->msi_cap + PCI_MSI_FLAGS);
        f &= ~(PCI_MSI_FLAGS_ENABLE | PCI_MSI_FLAGS_QSIZE);
        pci_set_word(d->config + d->msi_cap + PCI_MSI_FLAGS, f);
    }
    msix_reset(d);
    if (pc->reset) {
        pc->reset(d);
    }
}

static void pci_qdev_reset(DeviceState *qdev)
{
    pci_device_reset(PCI_DEVICE(qdev));
}

static Property pci_props[] = {
    DEFINE_PROP_PCI_DEVFN("addr", PCIDevice, devfn, -1),
    DEFINE_PROP_STRING("romfile", PCIDevice, romfile),
    DEFINE_PROP_UINT32("rombar", PCIDevice, rombar, 1),
    DEFINE_PROP_BIT("multifunction", PCIDevice, cap_present,
                    QEMU_PCI_CAP_MULTIFUNCTION_BITNR, false),
    DEFINE_PROP_STRING("failover_pair_id", PCIDevice, failover_pair_id),
    DEFINE_PROP_END_OF_LIST(),
};

static void pci_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    dc->realize = pci_qdev_realize;
    dc->unrealize = pci_qdev_unrealize;
    dc->reset = pci_qdev_reset;
    dc->bus_type = TYPE_PCI_BUS;
    dc->vmsd = &vmstate_pci_device;
    dc->hotpluggable = true;
    dc->user_creatable = true;
    device_class_set_props(dc, pci_props);
    pc->config_read = pci_default_read_config;
    pc->config_write = pci_default_write_config;
}

static const TypeInfo pci_device_info = {
    .name = TYPE_PCI_DEVICE,
    .parent = TYPE_DEVICE,
    .instance_size = sizeof(PCIDevice),
    .class_size = sizeof(PCIDeviceClass),
    .abstract = true,
    .class_init = pci_device_class_init,
};

static PCIDevice *pci_create(PCIBus *bus, int devfn, const char *name,
                             bool multifunction)
{
    DeviceState *dev = qdev_new(name);
    PCIDevice *d = PCI_DEVICE(dev);
    GError *err = NULL;

    d->devfn = devfn;
    if (multifunction) {
        d->cap_present |= QEMU_PCI_CAP_MULTIFUNCTION;
    }
    if (!qdev_realize_and_unref(dev, BUS(bus), &err)) {
        error_report_err(err);
        return NULL;
    }
    return d;
}

PCIDevice *pci_create_simple(PCIBus *bus, int devfn, const char *name)
{
    return pci_create(bus, devfn, name, false);
}

PCIDevice *pci_create_simple_multifunction(PCIBus *bus, int devfn,
                                           const char *name)
{
    return pci_create(bus, devfn, name, true);
}

static void pci_register_types(void)
{
    type_register_static(&pci_device_info);
}

type_init(pci_register_types)
