/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-xhci (1b36:000d, class 0c0330): the USB 3 controller libvirt adds
 * to every q35 domain that does not say <controller type='usb'
 * model='none'/>, and virt-install writes.  Its PCI function is QEMU's:
 * IDs, class, a 64-bit BAR0 of 16 KiB with the xHCI register layout, MSI
 * and MSI-X with one vector per interrupter, a PCIe endpoint capability on
 * PCIe buses.  baton models no USB devices, so the controller has nothing
 * to schedule: it halts and starts, resets, and every root port reads as
 * powered and empty.  Registers a driver programs read back what it wrote.
 */
#include "qapi/error.h"
#include "hw/pci/pci.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"

#define TYPE_QEMU_XHCI "qemu-xhci"
#define XHCI_DEVICE_ID 0x000d
#define XHCI_CLASS_SERIAL_USB 0x0c03

#define XHCI_LEN_REGS 0x4000
#define XHCI_OFF_OPER 0x40          /* CAPLENGTH */
#define XHCI_OFF_PORTS 0x440
#define XHCI_OFF_RUNTIME 0x1000
#define XHCI_OFF_DOORBELL 0x2000
#define XHCI_OFF_MSIX_TABLE 0x3000
#define XHCI_OFF_MSIX_PBA 0x3800
#define XHCI_MAXPORTS_2 15
#define XHCI_MAXPORTS_3 15
#define XHCI_MAXINTRS 16
#define XHCI_MAXSLOTS 64

#define USBCMD_RS (1u << 0)
#define USBCMD_HCRST (1u << 1)
#define USBSTS_HCH (1u << 0)
/* A root port with no device: powered, link in RxDetect. */
#define PORTSC_EMPTY 0x2a0

typedef struct XHCIPCIState {
    PCIDevice parent_obj;
    MemoryRegion mem;
    uint32_t numports_2;
    uint32_t numports_3;
    uint32_t numintrs;
    uint32_t numslots;
    OnOffAuto msi;
    OnOffAuto msix;
    bool streams;
    /* Operational (0x40..0x43f) and runtime registers, as written. */
    uint32_t oper[(XHCI_OFF_PORTS - XHCI_OFF_OPER) / 4];
    uint32_t runtime[(0x20 + 0x20 * XHCI_MAXINTRS) / 4];
} XHCIPCIState;

#define QEMU_XHCI(obj) OBJECT_CHECK(XHCIPCIState, (obj), TYPE_QEMU_XHCI)

static uint32_t numports(XHCIPCIState *s)
{
    return s->numports_2 + s->numports_3;
}

/* Capability registers and the two Supported Protocol capabilities. */
static uint32_t cap_read(XHCIPCIState *s, hwaddr addr)
{
    switch (addr) {
    case 0x00:
        return 0x01000000 | XHCI_OFF_OPER;      /* HCIVERSION 1.0 */
    case 0x04:
        return (numports(s) << 24) | (s->numintrs << 8) | s->numslots;
    case 0x08:
        return 0x0000000f;
    case 0x10:                                  /* xECP at 0x20, AC64 */
        return 0x00080001 | ((s->streams ? 7 : 0) << 12);
    case 0x14:
        return XHCI_OFF_DOORBELL;
    case 0x18:
        return XHCI_OFF_RUNTIME;
    case 0x20:
        return 0x02000402;                      /* USB 2.0, next +4 */
    case 0x24:
    case 0x34:
        return 0x20425355;                      /* "USB " */
    case 0x28:
        return (s->numports_2 << 8) | (s->numports_3 + 1);
    case 0x30:
        return 0x03000002;                      /* USB 3.0, last */
    case 0x38:
        return (s->numports_3 << 8) | 1;
    default:
        return 0;
    }
}

static void xhci_reset_regs(XHCIPCIState *s)
{
    memset(s->oper, 0, sizeof(s->oper));
    memset(s->runtime, 0, sizeof(s->runtime));
    s->oper[1] = USBSTS_HCH;
}

static uint64_t xhci_mem_read(void *opaque, hwaddr addr, unsigned size)
{
    XHCIPCIState *s = opaque;
    uint32_t val;

    if (addr < XHCI_OFF_OPER) {
        val = cap_read(s, addr & ~3);
    } else if (addr < XHCI_OFF_PORTS) {
        val = s->oper[(addr - XHCI_OFF_OPER) / 4];
        if (addr - XHCI_OFF_OPER == 0x08) {
            val = 1;                            /* PAGESIZE: 4 KiB */
        }
    } else if (addr < XHCI_OFF_PORTS + 0x10 * numports(s)) {
        val = (addr - XHCI_OFF_PORTS) % 0x10 == 0 ? PORTSC_EMPTY : 0;
    } else if (addr >= XHCI_OFF_RUNTIME &&
               addr < XHCI_OFF_RUNTIME + sizeof(s->runtime)) {
        val = s->runtime[(addr - XHCI_OFF_RUNTIME) / 4];
    } else {
        val = 0;
    }
    return val >> ((addr & 3) * 8);
}

static void usbcmd_write(XHCIPCIState *s, uint32_t val)
{
    if (val & USBCMD_HCRST) {
        xhci_reset_regs(s);
        return;
    }
    s->oper[0] = val;
    /* Running with nothing to do: only HCH follows RS. */
    s->oper[1] = (s->oper[1] & ~USBSTS_HCH) |
                 ((val & USBCMD_RS) ? 0 : USBSTS_HCH);
}

static void xhci_mem_write(void *opaque, hwaddr addr, uint64_t val,
                           unsigned size)
{
    XHCIPCIState *s = opaque;
    hwaddr off;

    if (size != 4 || (addr & 3)) {
        return;             /* xHCI registers are dwords (QEMU ignores) */
    }
    if (addr >= XHCI_OFF_OPER && addr < XHCI_OFF_PORTS) {
        off = addr - XHCI_OFF_OPER;
        if (off == 0x00) {
            usbcmd_write(s, val);
        } else if (off == 0x04) {
            s->oper[1] &= ~(val & 0x41c);       /* RW1C status bits */
        } else if (off != 0x08) {
            s->oper[off / 4] = val;
        }
    } else if (addr >= XHCI_OFF_RUNTIME + 0x20 &&
               addr < XHCI_OFF_RUNTIME + sizeof(s->runtime)) {
        s->runtime[(addr - XHCI_OFF_RUNTIME) / 4] = val;
    }
    /* Port registers, doorbells: no device, nothing to act on. */
}

static const MemoryRegionOps xhci_mem_ops = {
    .read = xhci_mem_read,
    .write = xhci_mem_write,
    .impl_min_access_size = 4,
    .impl_max_access_size = 4,
};

static void xhci_realize(PCIDevice *d, GError **errp)
{
    XHCIPCIState *s = QEMU_XHCI(d);

    /* Out-of-range sizes are clamped, as QEMU does, not refused. */
    s->numports_2 = MIN(s->numports_2, XHCI_MAXPORTS_2);
    s->numports_3 = MIN(s->numports_3, XHCI_MAXPORTS_3);
    s->numintrs = MAX(1, MIN(s->numintrs, XHCI_MAXINTRS));
    while (s->numintrs & (s->numintrs - 1)) {
        s->numintrs++;                          /* a power of two */
    }
    s->numslots = MAX(1, MIN(s->numslots, XHCI_MAXSLOTS));
    d->config[PCI_CLASS_PROG] = 0x30;           /* xHCI */
    d->config[PCI_INTERRUPT_PIN] = 1;
    d->config[PCI_CACHE_LINE_SIZE] = 0x10;
    d->config[0x60] = 0x30;                     /* SBRN: USB 3.0 */
    memory_region_init_io(&s->mem, OBJECT(d), &xhci_mem_ops, s, "xhci",
                          XHCI_LEN_REGS);
    if (pci_bus_is_express(pci_get_bus(d)) &&
        pcie_cap_init(d, 0xa0, PCI_EXP_TYPE_ENDPOINT, 0, errp) < 0) {
        return;
    }
    if (s->msi != ON_OFF_AUTO_OFF &&
        msi_init(d, 0x70, s->numintrs, true, false, errp) < 0) {
        return;
    }
    pci_register_bar(d, 0, PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64, &s->mem);
    if (s->msix != ON_OFF_AUTO_OFF &&
        msix_init(d, s->numintrs, &s->mem, 0, XHCI_OFF_MSIX_TABLE, 0,
                  XHCI_OFF_MSIX_PBA, 0x90, errp) < 0) {
        return;
    }
    xhci_reset_regs(s);
}

static void xhci_exit(PCIDevice *d)
{
    XHCIPCIState *s = QEMU_XHCI(d);

    if (d->msix_cap) {
        msix_uninit(d);
    }
    memory_region_finalize(&s->mem);
}

static void xhci_reset(PCIDevice *d)
{
    xhci_reset_regs(QEMU_XHCI(d));
}

static Property xhci_props[] = {
    DEFINE_PROP_ON_OFF_AUTO("msi", XHCIPCIState, msi, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_ON_OFF_AUTO("msix", XHCIPCIState, msix, ON_OFF_AUTO_AUTO),
    DEFINE_PROP_BOOL("streams", XHCIPCIState, streams, true),
    DEFINE_PROP_UINT32("intrs", XHCIPCIState, numintrs, XHCI_MAXINTRS),
    DEFINE_PROP_UINT32("slots", XHCIPCIState, numslots, XHCI_MAXSLOTS),
    DEFINE_PROP_UINT32("p2", XHCIPCIState, numports_2, 4),
    DEFINE_PROP_UINT32("p3", XHCIPCIState, numports_3, 4),
    DEFINE_PROP_END_OF_LIST(),
};

static void xhci_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = xhci_realize;
    pc->exit = xhci_exit;
    pc->reset = xhci_reset;
    pc->vendor_id = PCI_VENDOR_ID_REDHAT;
    pc->device_id = XHCI_DEVICE_ID;
    pc->revision = 0x01;
    pc->class_id = XHCI_CLASS_SERIAL_USB;
    dc->desc = "xHCI USB controller (no USB devices)";
    dc->category = DEVICE_CATEGORY_USB;
    device_class_set_props(dc, xhci_props);
}

static const TypeInfo xhci_info = {
    .name = TYPE_QEMU_XHCI,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(XHCIPCIState),
    .class_init = xhci_class_init,
};

static void xhci_register_types(void)
{
    type_register_static(&xhci_info);
}

type_init(xhci_register_types)
