/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pci-testdev (1b36:0005): a small PCI device for tests.  BAR0 is 4 KiB
 * of memory, BAR1 256 I/O ports, and with membar=SIZE BAR2 is a 64-bit
 * prefetchable memory BAR.  Every BAR is scratch storage that reads back
 * what was written, so a test can tell where a BAR decodes.
 */
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/qdev-properties.h"

#define TYPE_PCI_TESTDEV "pci-testdev"
#define TESTDEV_MEMSIZE 0x1000
#define TESTDEV_IOSIZE 0x100
#define TESTDEV_SCRATCH_MAX (1u << 20)

typedef struct TestBar {
    MemoryRegion mr;
    uint8_t *buf;
    uint64_t len;               /* storage; larger BARs mirror it */
} TestBar;

typedef struct PCITestDevState {
    PCIDevice parent_obj;
    TestBar bars[3];
    uint64_t membar_size;
} PCITestDevState;

#define PCI_TESTDEV(obj) OBJECT_CHECK(PCITestDevState, (obj), TYPE_PCI_TESTDEV)

static uint64_t testbar_read(void *opaque, hwaddr addr, unsigned size)
{
    TestBar *b = opaque;
    uint64_t val = 0;

    for (unsigned i = 0; i < size; i++) {
        val |= (uint64_t)b->buf[(addr + i) % b->len] << (8 * i);
    }
    return val;
}

static void testbar_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    TestBar *b = opaque;

    for (unsigned i = 0; i < size; i++) {
        b->buf[(addr + i) % b->len] = val >> (8 * i);
    }
}

static const MemoryRegionOps testbar_ops = {
    .read = testbar_read,
    .write = testbar_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 8,
};

static void testbar_init(PCITestDevState *s, int nr, const char *name,
                         uint64_t size)
{
    TestBar *b = &s->bars[nr];

    b->len = MIN(size, TESTDEV_SCRATCH_MAX);
    b->buf = g_malloc0(b->len);
    memory_region_init_io(&b->mr, OBJECT(s), &testbar_ops, b, name, size);
}

static void pci_testdev_realize(PCIDevice *d, GError **errp)
{
    PCITestDevState *s = PCI_TESTDEV(d);
    uint64_t mb = s->membar_size;

    if (mb && (mb & (mb - 1))) {
        error_setg(errp, "PCI region size must be a power of two");
        return;
    }
    d->config[PCI_INTERRUPT_PIN] = 0;
    testbar_init(s, 0, "pci-testdev-mmio", TESTDEV_MEMSIZE);
    pci_register_bar(d, 0, PCI_BASE_ADDRESS_SPACE_MEMORY, &s->bars[0].mr);
    testbar_init(s, 1, "pci-testdev-portio", TESTDEV_IOSIZE);
    pci_register_bar(d, 1, PCI_BASE_ADDRESS_SPACE_IO, &s->bars[1].mr);
    if (mb) {
        testbar_init(s, 2, "pci-testdev-membar", mb);
        pci_register_bar(d, 2, PCI_BASE_ADDRESS_SPACE_MEMORY |
                         PCI_BASE_ADDRESS_MEM_PREFETCH |
                         PCI_BASE_ADDRESS_MEM_TYPE_64, &s->bars[2].mr);
    }
}

static void pci_testdev_exit(PCIDevice *d)
{
    PCITestDevState *s = PCI_TESTDEV(d);

    for (int i = 0; i < 3; i++) {
        if (s->bars[i].buf) {
            memory_region_finalize(&s->bars[i].mr);
            g_clear_pointer(&s->bars[i].buf, g_free);
        }
    }
}

static Property pci_testdev_props[] = {
    DEFINE_PROP_SIZE("membar", PCITestDevState, membar_size, 0),
    DEFINE_PROP_END_OF_LIST(),
};

static void pci_testdev_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = pci_testdev_realize;
    pc->exit = pci_testdev_exit;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = 0x0005;
    pc->revision = 0;
    pc->class_id = PCI_CLASS_OTHERS;
    dc->desc = "PCI Test Device";
    dc->category = DEVICE_CATEGORY_MISC;
    device_class_set_props(dc, pci_testdev_props);
}

static const TypeInfo pci_testdev_info = {
    .name = TYPE_PCI_TESTDEV,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PCITestDevState),
    .class_init = pci_testdev_class_init,
};

static void pci_testdev_register_types(void)
{
    type_register_static(&pci_testdev_info);
}

type_init(pci_testdev_register_types)
