/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PIIX4_PM (00:01.3): the power management function of the pc machine.
 *
 * PM1 status/enable/control (the power button of system_powerdown) and
 * the ACPI PM timer at the base the guest
 * writes at 0x40 (enabled by bit 0 of 0x80); GPE0 at 0xafe0; the SCI on
 * GSI 9; and ACPI PCI hotplug at 0xae00 (hw/acpi/pcihp.c, shared with
 * ICH9): with acpi-root-pci-hotplug it is the hotplug handler of pci.0
 * (BSEL 0), with acpi-pci-hotplug-with-bridge-support also of cold-plugged
 * bridges' buses.  The SMBus at 0xb100 is register values only.
 */
#include "qapi/error.h"
#include "hw/isa/piix.h"
#include "hw/i386/ioapic.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "qemu/timer.h"
#include "system/runstate.h"

#define PIIX4_PMBA          0x40        /* PM base address */
#define PIIX4_PMREGMISC     0x80        /* bit 0: PM I/O space enable */
#define PIIX4_SMBBA         0x90
#define PIIX4_SMBHSTCFG     0xd2
#define PIIX4_PM_IO_SIZE    64
#define PM1_STS             0x00
#define PM1_EN              0x02
#define PM1_CNT             0x04
#define PM_TMR              0x08
#define PM1_PWRBTN          0x0100      /* PM1 status/enable: power button */
#define PM_TIMER_FREQ       3579545ULL
#define PIIX4_GPE_PCIHP     0x02        /* GPE0 status bit 1 */

static void piix4_update_sci(PIIX4PMState *s)
{
    bool level = (s->pm1_sts & s->pm1_en) != 0;

    for (int i = 0; i < PIIX4_PM_GPE_LEN / 2; i++) {
        level |= (s->gpe_sts[i] & s->gpe_en[i]) != 0;
    }
    if (level != s->sci_level) {
        s->sci_level = level;
        if (s->ioapic) {
            ioapic_set_gsi(s->ioapic, PIIX4_PM_SCI_GSI, level);
        }
    }
}

static void piix4_send_pcihp_event(void *opaque)
{
    PIIX4PMState *s = opaque;

    s->gpe_sts[0] |= PIIX4_GPE_PCIHP;
    piix4_update_sci(s);
}

/* system_powerdown: as on q35, latched only while the guest enabled it. */
static void piix4_powerdown(void *opaque)
{
    PIIX4PMState *s = opaque;

    if (s->pm1_en & PM1_PWRBTN) {
        s->pm1_sts |= PM1_PWRBTN;
        piix4_update_sci(s);
    }
}

/* ---- PM1 and the PM timer (byte accesses) ------------------------------- */

static uint64_t pm_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;
    uint32_t v;

    switch (addr & ~1) {
    case PM1_STS:
        v = s->pm1_sts;
        break;
    case PM1_EN:
        v = s->pm1_en;
        break;
    case PM1_CNT:
        v = s->pm1_cnt;
        break;
    default:
        if (addr >= PM_TMR && addr < PM_TMR + 4) {
            uint64_t ticks = (uint64_t)qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) *
                             PM_TIMER_FREQ / NANOSECONDS_PER_SECOND;
            return ((ticks & 0xffffff) >> ((addr - PM_TMR) * 8)) & 0xff;
        }
        return 0;
    }
    return (v >> ((addr & 1) * 8)) & 0xff;
}

static void pm_write(void *opaque, hwaddr addr, uint64_t val, unsigned size)
{
    PIIX4PMState *s = opaque;
    int sh = (addr & 1) * 8;
    uint16_t byte = (val & 0xff) << sh;

    switch (addr & ~1) {
    case PM1_STS:
        s->pm1_sts &= ~byte;            /* write 1 to clear */
        break;
    case PM1_EN:
        s->pm1_en = (s->pm1_en & ~(0xff << sh)) | byte;
        break;
    case PM1_CNT:
        /* Sleep requests are not modelled: the bits are kept. */
        s->pm1_cnt = (s->pm1_cnt & ~(0xff << sh)) | byte;
        break;
    }
    piix4_update_sci(s);
}

static const MemoryRegionOps pm_ops = {
    .read = pm_read,
    .write = pm_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 1,
};

/* ---- GPE0 at 0xafe0: status (write 1 to clear), then enable ------------- */

static uint64_t gpe_read(void *opaque, hwaddr addr, unsigned size)
{
    PIIX4PMState *s = opaque;
    unsigned half = PIIX4_PM_GPE_LEN / 2;

    return addr < half ? s->gpe_sts[addr] : s->gpe_en[addr - half];
}

static void gpe_write(void *opaque, hwaddr addr, uint64_t val,
                      unsigned size)
{
    PIIX4PMState *s = opaque;
    unsigned half = PIIX4_PM_GPE_LEN / 2;

    if (addr < half) {
        s->gpe_sts[addr] &= ~val;
    } else {
        s->gpe_en[addr - half] = val;
    }
    piix4_update_sci(s);
}

static const MemoryRegionOps gpe_ops = {
    .read = gpe_read,
    .write = gpe_write,
    .impl_min_access_size = 1,
    .impl_max_access_size = 1,
};

/* ---- Configuration space ------------------------------------------------ */

static void piix4_pm_io_update(PIIX4PMState *s)
{
    PCIDevice *d = &s->parent_obj;

    if (s->pm_io_mapped) {
        memory_region_del_subregion(get_system_io(), &s->pm_io);
        s->pm_io_mapped = false;
    }
    if (d->config[PIIX4_PMREGMISC] & 1) {
        uint32_t base = pci_get_long(d->config + PIIX4_PMBA) & 0xffc0;

        memory_region_add_subregion(get_system_io(), base, &s->pm_io);
        s->pm_io_mapped = true;
    }
}

static void piix4_pm_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                                  int len)
{
    pci_default_write_config(d, addr, val, len);
    if ((addr < PIIX4_PMBA + 4 && addr + len > PIIX4_PMBA) ||
        (addr <= PIIX4_PMREGMISC && addr + len > PIIX4_PMREGMISC)) {
        piix4_pm_io_update(PIIX4_PM(d));
    }
}

static void piix4_pm_reset(PCIDevice *d)
{
    PIIX4PMState *s = PIIX4_PM(d);

    memset(d->config + 0x58, 0, 4);
    d->config[PIIX4_PMBA] = 0x01;       /* I/O space indicator */
    d->config[PIIX4_PMREGMISC] = 0;
    if (!s->smm_enabled) {
        d->config[0x5b] = 0x02;         /* SMM "already initialised" */
    }
    s->pm1_sts = 0;
    s->pm1_en = 0;
    s->pm1_cnt = 0;
    memset(s->gpe_sts, 0, sizeof(s->gpe_sts));
    memset(s->gpe_en, 0, sizeof(s->gpe_en));
    piix4_update_sci(s);
    piix4_pm_io_update(s);
}

/* Runs after device resets: hotplug numbering and pending ejects. */
static void piix4_pm_system_reset(void *opaque)
{
    PIIX4PMState *s = opaque;

    acpi_pcihp_reset(&s->acpi_pci_hotplug);
}

static bool piix4_pm_has_pcihp(PIIX4PMState *s)
{
    return s->use_acpi_hotplug_bridge || s->use_acpi_root_pci_hotplug;
}

static void piix4_pm_realize(PCIDevice *d, GError **errp)
{
    PIIX4PMState *s = PIIX4_PM(d);

    /* As in QEMU, everything past the standard header is writable. */
    memset(d->wmask + 0x40, 0xff, PCI_CONFIG_SPACE_SIZE - 0x40);
    d->config[PCI_STATUS] = 0x80;
    d->config[PCI_STATUS + 1] = 0x02;
    d->config[PCI_INTERRUPT_PIN] = 1;
    d->config[PIIX4_SMBBA] = s->smb_io_base | 1;
    d->config[PIIX4_SMBBA + 1] = s->smb_io_base >> 8;
    d->config[PIIX4_SMBHSTCFG] = 0x09;
    memory_region_init_io(&s->pm_io, OBJECT(d), &pm_ops, s, "piix4-pm",
                          PIIX4_PM_IO_SIZE);
    memory_region_init_io(&s->gpe_io, OBJECT(d), &gpe_ops, s, "acpi-gpe0",
                          PIIX4_PM_GPE_LEN);
    memory_region_add_subregion(get_system_io(), PIIX4_PM_GPE_BASE,
                                &s->gpe_io);
    s->acpi_pci_hotplug.send_event = piix4_send_pcihp_event;
    s->acpi_pci_hotplug.opaque = s;
    s->acpi_pci_hotplug.root_hotplug_enabled = s->use_acpi_root_pci_hotplug;
    if (piix4_pm_has_pcihp(s)) {
        acpi_pcihp_init(OBJECT(d), &s->acpi_pci_hotplug, d->bus,
                        get_system_io(), ACPI_PCIHP_ADDR_PIIX4);
        qemu_register_reset(piix4_pm_system_reset, s);
    }
    qemu_register_powerdown_notifier(piix4_powerdown, s);
    piix4_pm_reset(d);
}

static void piix4_pm_exit(PCIDevice *d)
{
    PIIX4PMState *s = PIIX4_PM(d);

    if (piix4_pm_has_pcihp(s)) {
        qemu_unregister_reset(piix4_pm_system_reset, s);
    }
    qemu_unregister_powerdown_notifier(piix4_powerdown, s);
}

/* ---- Hotplug handler (ACPI PCI hotplug) --------------------------------- */

static AcpiPciHpState *pcihp_of(HotplugHandler *h)
{
    return &PIIX4_PM(h)->acpi_pci_hotplug;
}

static void piix4_pre_plug(HotplugHandler *h, DeviceState *dev,
                           GError **errp)
{
    acpi_pcihp_device_pre_plug_cb(pcihp_of(h), dev, errp);
}

static void piix4_plug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    acpi_pcihp_device_plug_cb(OBJECT(h), pcihp_of(h), dev, errp);
}

static void piix4_unplug_request(HotplugHandler *h, DeviceState *dev,
                                 GError **errp)
{
    acpi_pcihp_device_unplug_request_cb(pcihp_of(h), dev, errp);
}

static void piix4_unplug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    acpi_pcihp_device_unplug_cb(pcihp_of(h), dev, errp);
}

static bool piix4_is_hotpluggable_bus(HotplugHandler *h, BusState *bus)
{
    return acpi_pcihp_is_hotpluggable_bus(pcihp_of(h), bus);
}

static Property piix4_pm_props[] = {
    DEFINE_PROP_UINT32("smb_io_base", PIIX4PMState, smb_io_base, 0),
    DEFINE_PROP_UINT8("disable_s3", PIIX4PMState, disable_s3, 0),
    DEFINE_PROP_UINT8("disable_s4", PIIX4PMState, disable_s4, 0),
    DEFINE_PROP_UINT8("s4_val", PIIX4PMState, s4_val, 2),
    DEFINE_PROP_BOOL("acpi-pci-hotplug-with-bridge-support", PIIX4PMState,
                     use_acpi_hotplug_bridge, true),
    DEFINE_PROP_BOOL("acpi-root-pci-hotplug", PIIX4PMState,
                     use_acpi_root_pci_hotplug, true),
    DEFINE_PROP_BOOL("smm-enabled", PIIX4PMState, smm_enabled, false),
    DEFINE_PROP_END_OF_LIST(),
};

static bool piix4_pm_post_load(void *opaque, int version_id, GError **errp)
{
    PIIX4PMState *s = opaque;

    piix4_pm_io_update(s);
    piix4_update_sci(s);
    return true;
}

static const VMStateDescription vmstate_piix4_pm = {
    .name = "piix4_pm",
    .version_id = 3,
    .post_load = piix4_pm_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, PIIX4PMState),
        VMSTATE_UINT16(pm1_sts, PIIX4PMState),
        VMSTATE_UINT16(pm1_en, PIIX4PMState),
        VMSTATE_UINT16(pm1_cnt, PIIX4PMState),
        VMSTATE_BUFFER(gpe_sts, PIIX4PMState),
        VMSTATE_BUFFER(gpe_en, PIIX4PMState),
        VMSTATE_STRUCT(acpi_pci_hotplug, PIIX4PMState, vmstate_acpi_pcihp,
                       AcpiPciHpState),
        VMSTATE_END_OF_LIST()
    },
};

static void piix4_pm_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);
    HotplugHandlerClass *hc = OBJECT_CLASS_CHECK(HotplugHandlerClass, oc,
                                                 TYPE_HOTPLUG_HANDLER);

    pc->realize = piix4_pm_realize;
    pc->exit = piix4_pm_exit;
    pc->reset = piix4_pm_reset;
    pc->config_write = piix4_pm_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7113;             /* 82371AB power management */
    pc->revision = 0x03;
    pc->class_id = PCI_CLASS_BRIDGE_OTHER;
    dc->desc = "PM";
    dc->vmsd = &vmstate_piix4_pm;
    dc->user_creatable = false;
    dc->hotpluggable = false;
    device_class_set_props(dc, piix4_pm_props);
    hc->pre_plug = piix4_pre_plug;
    hc->plug = piix4_plug;
    hc->unplug_request = piix4_unplug_request;
    hc->unplug = piix4_unplug;
    hc->is_hotpluggable_bus = piix4_is_hotpluggable_bus;
}

static const InterfaceInfo piix4_pm_interfaces[] = {
    { TYPE_HOTPLUG_HANDLER },
    { NULL },
};

static const TypeInfo piix4_pm_info = {
    .name = TYPE_PIIX4_PM,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PIIX4PMState),
    .class_init = piix4_pm_class_init,
    .interfaces = piix4_pm_interfaces,
};

static void piix4_pm_register_types(void)
{
    type_register_static(&piix4_pm_info);
}

type_init(piix4_pm_register_types)
