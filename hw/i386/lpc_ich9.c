/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICH9-LPC (00:1f.0): the LPC/ISA bridge, its ACPI PM I/O block (PM1,
 * GPE0, SCI on GSI 9; the power button and sleep states S5/S4), the reset
 * control register at 0xcf9, the ACPI PCI hotplug controller, and PCI
 * interrupt routing (PIRQ A..H to GSI 16..23).
 *
 * With acpi-pci-hotplug-with-bridge-support (the default) it is the
 * hotplug handler of pcie.0 and of the cold-plugged root ports' buses;
 * without it root ports use native PCIe hotplug and 0xcc0 is unclaimed.
 */
#include "qapi/error.h"
#include "hw/i386/ich9.h"
#include "hw/i386/ioapic.h"
#include "migration/vmstate.h"
#include "hw/qdev-properties.h"
#include "qemu/timer.h"
#include "system/runstate.h"
#include "system/system.h"
#include "qapi/qapi-events.h"

#define PM1_STS         0x00
#define PM1_EN          0x02
#define PM1_CNT         0x04
#define PM_TMR          0x08
#define PM1_CNT_SCI_EN  0x01
#define PM1_CNT_SLP_EN  (1u << 13)
#define PM1_PWRBTN      (1u << 8)       /* PM1_STS and PM1_EN */
#define ICH9_RST_CNT_IOPORT 0xcf9
#define RST_CNT_RST_CPU 0x04
#define RST_CNT_KEEP    0x0a            /* SYS_RST and FULL_RST */
#define PM_TIMER_FREQ   3579545ULL

/* ---- Interrupt routing -------------------------------------------------- */

int ich9_lpc_map_irq(PCIDevice *dev, int pin)
{
    int slot = PCI_SLOT(dev->devfn);

    /* The chipset's own devices (25..31) use PIRQ A..D; slots rotate
     * over E..H, as the ACPI routing table QEMU generates says. */
    if (slot >= 25) {
        return pin;
    }
    return 4 + (slot + pin) % 4;
}

void ich9_lpc_set_irq(void *opaque, int pirq, int level)
{
    ICH9LPCState *lpc = opaque;

    if (lpc->ioapic) {
        ioapic_set_gsi(lpc->ioapic, ICH9_PIRQ_GSI_BASE + pirq, level);
    }
}

/* ---- PM block ----------------------------------------------------------- */

static void ich9_update_sci(ICH9LPCState *lpc)
{
    bool level = false;

    for (int i = 0; i < ICH9_PMIO_GPE0_LEN / 2; i++) {
        level |= (lpc->gpe0_sts[i] & lpc->gpe0_en[i]) != 0;
    }
    level |= (lpc->pm1_sts & lpc->pm1_en) != 0;
    if (!(lpc->pm1_cnt & PM1_CNT_SCI_EN)) {
        level = false;
    }
    if (level != lpc->sci_level) {
        lpc->sci_level = level;
        if (lpc->ioapic) {
            ioapic_set_gsi(lpc->ioapic, ICH9_SCI_GSI, level);
        }
    }
}

static void ich9_send_pcihp_event(void *opaque)
{
    ICH9LPCState *lpc = opaque;

    lpc->gpe0_sts[0] |= ICH9_GPE_PCIHP;
    ich9_update_sci(lpc);
}

/*
 * SLP_EN enters the state SLP_TYP names, with QEMU's encoding (its DSDT's
 * \_S5 is 0, \_S4 is s4_val): S5 powers off, S4 powers off after
 * SUSPEND_DISK.  S3 (1) is not modelled: with no CPU to stop there is
 * nothing for a wake-up to resume, so the write is ignored.  SLP_EN
 * itself always reads 0.
 */
static void ich9_pm1_cnt_write(ICH9LPCState *lpc, uint32_t val)
{
    unsigned typ = (val >> 10) & 7;

    lpc->pm1_cnt = val & ~PM1_CNT_SLP_EN;
    if (!(val & PM1_CNT_SLP_EN)) {
        return;
    }
    if (typ == 0) {
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    } else if (typ == lpc->s4_val) {
        qapi_event_send_suspend_disk();
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_GUEST_SHUTDOWN);
    }
}

/* system_powerdown: the press is latched only while the guest enabled it. */
static void ich9_powerdown(void *opaque)
{
    ICH9LPCState *lpc = opaque;

    if (lpc->pm1_en & PM1_PWRBTN) {
        lpc->pm1_sts |= PM1_PWRBTN;
        ich9_update_sci(lpc);
    }
}

static uint64_t pm_read(void *opaque, hwaddr addr, unsigned size)
{
    ICH9LPCState *lpc = opaque;
    uint32_t gpe = ICH9_PMIO_GPE0_STS;

    if (addr >= gpe && addr < gpe + ICH9_PMIO_GPE0_LEN) {
        unsigned i = addr - gpe;
        return i < ICH9_PMIO_GPE0_LEN / 2 ? lpc->gpe0_sts[i] :
               lpc->gpe0_en[i - ICH9_PMIO_GPE0_LEN / 2];
    }
    switch (addr) {
    case PM1_STS:
        return lpc->pm1_sts & 0xff;
    case PM1_STS + 1:
        return lpc->pm1_sts >> 8;
    case PM1_EN:
        return lpc->pm1_en & 0xff;
    case PM1_EN + 1:
        return lpc->pm1_en >> 8;
    case PM1_CNT ... PM1_CNT + 3:
        return (lpc->pm1_cnt >> ((addr - PM1_CNT) * 8)) & 0xff;
    case PM_TMR ... PM_TMR + 3: {
        uint64_t ticks = (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) *
                         PM_TIMER_FREQ / NANOSECONDS_PER_SECOND;
        return ((ticks & 0xffffff) >> ((addr - PM_TMR) * 8)) & 0xff;
    }
    }
    return 0;
}

static void pm_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    ICH9LPCState *lpc = opaque;
    uint32_t gpe = ICH9_PMIO_GPE0_STS;

    if (addr >= gpe && addr < gpe + ICH9_PMIO_GPE0_LEN) {
        unsigned i = addr - gpe;
        if (i < ICH9_PMIO_GPE0_LEN / 2) {
            lpc->gpe0_sts[i] &= ~val;           /* write 1 to clear */
        } else {
            lpc->gpe0_en[i - ICH9_PMIO_GPE0_LEN / 2] = val;
        }
    } else if (addr == PM1_STS || addr == PM1_STS + 1) {
        lpc->pm1_sts &= ~(val << ((addr - PM1_STS) * 8));
    } else if (addr == PM1_EN || addr == PM1_EN + 1) {
        int sh = (addr - PM1_EN) * 8;
        lpc->pm1_en = (lpc->pm1_en & ~(0xff << sh)) | ((val & 0xff) << sh);
    } else if (addr >= PM1_CNT && addr < PM1_CNT + 4) {
        int sh = (addr - PM1_CNT) * 8;
        ich9_pm1_cnt_write(lpc, (lpc->pm1_cnt & ~(0xffu << sh)) |
                                ((uint32_t)(val & 0xff) << sh));
    }
    ich9_update_sci(lpc);
}

static const MemoryRegionOps pm_ops = {
    .read = pm_read,
    .write = pm_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 1,
};

/* ---- Reset control (0xcf9) ---------------------------------------------- */

static uint64_t rst_cnt_read(void *opaque, hwaddr addr, unsigned size)
{
    return ((ICH9LPCState *)opaque)->rst_cnt;
}

static void rst_cnt_write(void *opaque, hwaddr addr, uint64_t val,
                          unsigned size)
{
    ICH9LPCState *lpc = opaque;

    if (val & RST_CNT_RST_CPU) {
        qemu_system_reset_request(SHUTDOWN_CAUSE_GUEST_RESET);
        return;
    }
    lpc->rst_cnt = val & RST_CNT_KEEP;
}

static const MemoryRegionOps rst_cnt_ops = {
    .read = rst_cnt_read,
    .write = rst_cnt_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 1,
};

static void ich9_pm_iospace_update(ICH9LPCState *lpc)
{
    PCIDevice *d = &lpc->parent_obj;
    uint32_t base = pci_get_long(d->config + ICH9_LPC_PMBASE) & 0xff80;
    bool en = d->config[ICH9_LPC_ACPI_CTRL] & ICH9_LPC_ACPI_CTRL_ACPI_EN;

    if (lpc->pm_io_mapped) {
        memory_region_del_subregion(get_system_io(), &lpc->pm_io);
        lpc->pm_io_mapped = false;
    }
    if (en) {
        lpc->pm_base = base;
        memory_region_add_subregion(get_system_io(), base, &lpc->pm_io);
        lpc->pm_io_mapped = true;
    }
}

static void ich9_lpc_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                                  int len)
{
    pci_default_write_config(d, addr, val, len);
    if (addr < ICH9_LPC_ACPI_CTRL + 1 && addr + len > ICH9_LPC_PMBASE) {
        ich9_pm_iospace_update(ICH9_LPC_DEVICE(d));
    }
}

static void ich9_lpc_reset(PCIDevice *d)
{
    ICH9LPCState *lpc = ICH9_LPC_DEVICE(d);

    pci_set_long(d->config + ICH9_LPC_PMBASE, 0x1);     /* I/O space */
    d->config[ICH9_LPC_ACPI_CTRL] = 0;
    for (int i = 0; i < 4; i++) {
        d->config[0x60 + i] = 0x80;     /* PIRQ routing: disabled */
        d->config[0x68 + i] = 0x80;
    }
    lpc->pm1_sts = 0;
    lpc->pm1_en = 0;
    lpc->pm1_cnt = 0;
    lpc->rst_cnt = 0;
    memset(lpc->gpe0_sts, 0, sizeof(lpc->gpe0_sts));
    memset(lpc->gpe0_en, 0, sizeof(lpc->gpe0_en));
    ich9_update_sci(lpc);
    ich9_pm_iospace_update(lpc);
}

/* Runs after device resets: hotplug numbering and pending ejects. */
static void ich9_lpc_system_reset(void *opaque)
{
    ICH9LPCState *lpc = opaque;

    if (lpc->use_acpi_hotplug_bridge) {
        acpi_pcihp_reset(&lpc->acpi_pci_hotplug);
    }
}

static void ich9_lpc_realize(PCIDevice *d, GError **errp)
{
    ICH9LPCState *lpc = ICH9_LPC_DEVICE(d);

    pci_set_long(d->wmask + ICH9_LPC_PMBASE, 0xff80);
    d->wmask[ICH9_LPC_ACPI_CTRL] = ICH9_LPC_ACPI_CTRL_ACPI_EN | 0x07;
    memset(d->wmask + 0x60, 0x8f, 4);
    memset(d->wmask + 0x68, 0x8f, 4);
    memory_region_init_io(&lpc->pm_io, OBJECT(d), &pm_ops, lpc, "ich9-pm",
                          ICH9_PMIO_SIZE);
    lpc->acpi_pci_hotplug.send_event = ich9_send_pcihp_event;
    lpc->acpi_pci_hotplug.opaque = lpc;
    if (lpc->use_acpi_hotplug_bridge) {
        acpi_pcihp_init(OBJECT(d), &lpc->acpi_pci_hotplug, d->bus,
                        get_system_io(), ACPI_PCIHP_ADDR_ICH9);
    }
    /* Over one byte of the PCI address register at 0xcf8, as on ICH9. */
    memory_region_init_io(&lpc->rst_cnt_io, OBJECT(d), &rst_cnt_ops, lpc,
                          "lpc-reset-control", 1);
    memory_region_add_subregion_overlap(get_system_io(), ICH9_RST_CNT_IOPORT,
                                        &lpc->rst_cnt_io, 1);
    qemu_register_powerdown_notifier(ich9_powerdown, lpc);
    lpc->isa_bus = isa_bus_new(DEVICE(d), get_system_io());
    if (lpc->ioapic) {
        isa_bus_connect_irqs(lpc->isa_bus, lpc->ioapic);
    }
    ich9_lpc_reset(d);
    qemu_register_reset(ich9_lpc_system_reset, lpc);
}

static void ich9_lpc_exit(PCIDevice *d)
{
    ICH9LPCState *lpc = ICH9_LPC_DEVICE(d);

    qemu_unregister_reset(ich9_lpc_system_reset, lpc);
    qemu_unregister_powerdown_notifier(ich9_powerdown, lpc);
}

/* ---- Hotplug handler (ACPI PCI hotplug) --------------------------------- */

static void ich9_pre_plug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    acpi_pcihp_device_pre_plug_cb(&ICH9_LPC_DEVICE(h)->acpi_pci_hotplug, dev,
                                  errp);
}

static void ich9_plug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    acpi_pcihp_device_plug_cb(OBJECT(h), &ICH9_LPC_DEVICE(h)->acpi_pci_hotplug,
                              dev, errp);
}

static void ich9_unplug_request(HotplugHandler *h, DeviceState *dev,
                                GError **errp)
{
    acpi_pcihp_device_unplug_request_cb(&ICH9_LPC_DEVICE(h)->acpi_pci_hotplug,
                                        dev, errp);
}

static void ich9_unplug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    acpi_pcihp_device_unplug_cb(&ICH9_LPC_DEVICE(h)->acpi_pci_hotplug, dev,
                                errp);
}

static bool ich9_is_hotpluggable_bus(HotplugHandler *h, BusState *bus)
{
    return acpi_pcihp_is_hotpluggable_bus(
        &ICH9_LPC_DEVICE(h)->acpi_pci_hotplug, bus);
}

static Property ich9_lpc_props[] = {
    DEFINE_PROP_BOOL("acpi-pci-hotplug-with-bridge-support", ICH9LPCState,
                     use_acpi_hotplug_bridge, true),
    DEFINE_PROP_BOOL("x-keep-pci-slot-hpc", ICH9LPCState, keep_pci_slot_hpc,
                     true),
    /* libvirt sets these from <pm>; baton builds no ACPI tables. */
    DEFINE_PROP_UINT8("disable_s3", ICH9LPCState, disable_s3, 0),
    DEFINE_PROP_UINT8("disable_s4", ICH9LPCState, disable_s4, 0),
    DEFINE_PROP_UINT8("s4_val", ICH9LPCState, s4_val, 2),
    DEFINE_PROP_END_OF_LIST(),
};

static bool ich9_lpc_post_load(void *opaque, int version_id, GError **errp)
{
    ICH9LPCState *lpc = opaque;

    ich9_pm_iospace_update(lpc);
    ich9_update_sci(lpc);
    return true;
}

/* Config space, the ACPI PM registers and the ACPI hotplug registers. */
static const VMStateDescription vmstate_ich9_lpc = {
    .name = "ich9-lpc",
    .version_id = 2,
    .minimum_version_id = 1,
    .post_load = ich9_lpc_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, ICH9LPCState),
        VMSTATE_UINT16(pm1_sts, ICH9LPCState),
        VMSTATE_UINT16(pm1_en, ICH9LPCState),
        VMSTATE_UINT32(pm1_cnt, ICH9LPCState),
        VMSTATE_BUFFER(gpe0_sts, ICH9LPCState),
        VMSTATE_BUFFER(gpe0_en, ICH9LPCState),
        VMSTATE_STRUCT(acpi_pci_hotplug, ICH9LPCState, vmstate_acpi_pcihp,
                       AcpiPciHpState),
        /* Added in version 2: streams from before still load. */
        { .name = "rst_cnt", .kind = VMS_UINT8, .size = 1, .num = 1,
          .offset = offsetof(ICH9LPCState, rst_cnt), .version_id = 2 },
        VMSTATE_END_OF_LIST()
    },
};

static void ich9_lpc_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    HotplugHandlerClass *hc = OBJECT_CLASS_CHECK(HotplugHandlerClass, oc,
                                                 TYPE_HOTPLUG_HANDLER);

    pc->realize = ich9_lpc_realize;
    pc->exit = ich9_lpc_exit;
    pc->reset = ich9_lpc_reset;
    pc->config_write = ich9_lpc_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x2918;
    pc->revision = 0x02;
    pc->class_id = PCI_CLASS_BRIDGE_ISA;
    dc->desc = "ICH9 LPC bridge";
    dc->vmsd = &vmstate_ich9_lpc;
    dc->user_creatable = false;
    dc->hotpluggable = false;
    device_class_set_props(dc, ich9_lpc_props);
    hc->pre_plug = ich9_pre_plug;
    hc->plug = ich9_plug;
    hc->unplug_request = ich9_unplug_request;
    hc->unplug = ich9_unplug;
    hc->is_hotpluggable_bus = ich9_is_hotpluggable_bus;
}

static const InterfaceInfo ich9_lpc_interfaces[] = {
    { TYPE_HOTPLUG_HANDLER },
    { NULL },
};

static const TypeInfo ich9_lpc_info = {
    .name = TYPE_ICH9_LPC_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(ICH9LPCState),
    .class_init = ich9_lpc_class_init,
    .interfaces = ich9_lpc_interfaces,
};

static void ich9_lpc_register_types(void)
{
    type_register_static(&ich9_lpc_info);
}

type_init(ich9_lpc_register_types)
