/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * query-pci: every function on every bus reachable through programmed
 * bridges, in QEMU's shape.  Devices behind a bridge appear only once its
 * secondary bus number is non-zero and leads to a bus.
 */
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "hw/pci/pci_bridge.h"
#include "hw/boards.h"

static const struct {
    uint16_t class;
    const char *desc;
} pci_class_names[] = {
    { 0x0001, "VGA controller" },
    { 0x0100, "SCSI controller" },
    { 0x0101, "IDE controller" },
    { 0x0102, "Floppy controller" },
    { 0x0103, "IPI controller" },
    { 0x0104, "RAID controller" },
    { 0x0105, "ATA controller" },
    { 0x0106, "SATA controller" },
    { 0x0107, "SAS controller" },
    { 0x0108, "NVMe controller" },
    { 0x0180, "Storage controller" },
    { 0x0200, "Ethernet controller" },
    { 0x0201, "Token Ring controller" },
    { 0x0280, "Network controller" },
    { 0x0300, "VGA controller" },
    { 0x0302, "3D controller" },
    { 0x0380, "Display controller" },
    { 0x0400, "Video controller" },
    { 0x0401, "Audio controller" },
    { 0x0403, "Audio controller" },
    { 0x0480, "Multimedia controller" },
    { 0x0500, "RAM controller" },
    { 0x0580, "Memory controller" },
    { 0x0600, "Host bridge" },
    { 0x0601, "ISA bridge" },
    { 0x0604, "PCI bridge" },
    { 0x0680, "Bridge" },
    { 0x0700, "Serial port" },
    { 0x0780, "Communication controller" },
    { 0x0800, "PIC" },
    { 0x0880, "System peripheral" },
    { 0x0c03, "USB controller" },
    { 0x0c05, "SMBus" },
    { 0x0c80, "Serial bus controller" },
};

char *pci_class_desc(uint16_t class)
{
    for (size_t i = 0; i < G_N_ELEMENTS(pci_class_names); i++) {
        if (pci_class_names[i].class == class) {
            return g_strdup(pci_class_names[i].desc);
        }
    }
    return NULL;
}

static PciDeviceInfoList *query_pci_devices(PCIBus *bus, int bus_num);

static PciMemoryRegionList *query_pci_regions(PCIDevice *dev)
{
    PciMemoryRegionList *head = NULL, **tail = &head;

    for (int i = 0; i < PCI_NUM_REGIONS; i++) {
        PCIIORegion *r = &dev->io_regions[i];
        PciMemoryRegion *reg;

        if (!r->size) {
            continue;
        }
        reg = g_new0(PciMemoryRegion, 1);
        reg->bar = i;
        reg->address = (int64_t)r->addr;
        reg->size = r->size;
        if (r->type & PCI_BASE_ADDRESS_SPACE_IO) {
            reg->type = g_strdup("io");
        } else {
            reg->type = g_strdup("memory");
            reg->has_prefetch = true;
            reg->prefetch = r->type & PCI_BASE_ADDRESS_MEM_PREFETCH;
            reg->has_mem_type_64 = true;
            reg->mem_type_64 = r->type & PCI_BASE_ADDRESS_MEM_TYPE_64;
        }
        *tail = g_new0(PciMemoryRegionList, 1);
        (*tail)->value = reg;
        tail = &(*tail)->next;
    }
    return head;
}

static PciMemoryRange *bridge_range(PCIDevice *dev, uint8_t type)
{
    PciMemoryRange *r = g_new0(PciMemoryRange, 1);

    r->base = pci_bridge_get_base(dev, type);
    r->limit = pci_bridge_get_limit(dev, type);
    return r;
}

static PciBridgeInfo *query_pci_bridge(PCIDevice *dev, PCIBus *bus)
{
    PciBridgeInfo *info = g_new0(PciBridgeInfo, 1);
    PciBusInfo *b = g_new0(PciBusInfo, 1);
    uint8_t sec = dev->config[PCI_SECONDARY_BUS];

    b->number = dev->config[PCI_PRIMARY_BUS];
    b->secondary = sec;
    b->subordinate = dev->config[PCI_SUBORDINATE_BUS];
    b->io_range = bridge_range(dev, PCI_BASE_ADDRESS_SPACE_IO);
    b->memory_range = bridge_range(dev, PCI_BASE_ADDRESS_SPACE_MEMORY);
    b->prefetchable_range = bridge_range(dev, PCI_BASE_ADDRESS_MEM_PREFETCH);
    info->bus = b;
    if (sec) {
        PCIBus *child = pci_find_bus_nr(bus, sec);

        if (child) {
            /*
             * An empty bus gives an empty list, which the generated
             * visitor (like QEMU's) leaves out.
             */
            info->devices = query_pci_devices(child, sec);
        }
    }
    return info;
}

static PciDeviceInfo *query_pci_device(PCIDevice *dev, PCIBus *bus,
                                       int bus_num)
{
    PciDeviceInfo *info = g_new0(PciDeviceInfo, 1);
    uint16_t class = pci_get_word(dev->config + PCI_CLASS_DEVICE);
    uint8_t type = dev->config[PCI_HEADER_TYPE] &
                   ~PCI_HEADER_TYPE_MULTI_FUNCTION;

    info->bus = bus_num;
    info->slot = PCI_SLOT(dev->devfn);
    info->function = PCI_FUNC(dev->devfn);
    info->class_info = g_new0(PciDeviceClass, 1);
    info->class_info->class = class;
    info->class_info->desc = pci_class_desc(class);
    info->id = g_new0(PciDeviceId, 1);
    info->id->vendor = pci_get_word(dev->config + PCI_VENDOR_ID);
    info->id->device = pci_get_word(dev->config + PCI_DEVICE_ID);
    info->regions = query_pci_regions(dev);
    info->qdev_id = g_strdup(qdev_id_or_empty(DEVICE(dev)));
    info->irq_pin = dev->config[PCI_INTERRUPT_PIN];
    if (info->irq_pin) {
        info->has_irq = true;
        info->irq = dev->config[PCI_INTERRUPT_LINE];
    }
    if (type == PCI_HEADER_TYPE_BRIDGE) {
        info->pci_bridge = query_pci_bridge(dev, bus);
    } else {
        info->id->has_subsystem = true;
        info->id->subsystem = pci_get_word(dev->config + PCI_SUBSYSTEM_ID);
        info->id->has_subsystem_vendor = true;
        info->id->subsystem_vendor =
            pci_get_word(dev->config + PCI_SUBSYSTEM_VENDOR_ID);
    }
    return info;
}

static PciDeviceInfoList *query_pci_devices(PCIBus *bus, int bus_num)
{
    PciDeviceInfoList *head = NULL, **tail = &head;

    for (int devfn = 0; devfn < PCI_SLOT_MAX * PCI_FUNC_MAX; devfn++) {
        PCIDevice *dev = bus->devices[devfn];

        if (!dev) {
            continue;
        }
        *tail = g_new0(PciDeviceInfoList, 1);
        (*tail)->value = query_pci_device(dev, bus, bus_num);
        tail = &(*tail)->next;
    }
    return head;
}

/* The host bridge's bus (pcie.0 on q35, pci.0 on pc). */
static int find_root_bus(Object *obj, void *opaque)
{
    PCIBus **out = opaque;
    PCIBus *bus = (PCIBus *)object_dynamic_cast(obj, TYPE_PCI_BUS);

    if (bus && pci_bus_is_root(bus)) {
        *out = bus;
        return 1;
    }
    return 0;
}

PciInfoList *qmp_query_pci(GError **errp)
{
    PciInfoList *head = NULL;
    PCIBus *root = NULL;

    object_child_foreach_recursive(qdev_get_machine(), find_root_bus, &root);
    if (root) {
        PciInfo *info = g_new0(PciInfo, 1);

        info->bus = pci_bus_num(root);
        info->devices = query_pci_devices(root, info->bus);
        head = g_new0(PciInfoList, 1);
        head->value = info;
    }
    return head;
}
