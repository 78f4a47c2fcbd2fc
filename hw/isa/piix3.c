/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PIIX3 (00:01.0): the PCI-to-ISA bridge of the pc machine.  What a guest
 * sees of it is its configuration space (QEMU's reset values) and the
 * PIRQ route registers 0x60..0x63: PIRQ A..D go to the ISA IRQ written
 * there (bit 7 disables), and ISA IRQ n reaches the I/O APIC as GSI n.
 * Its ISA bus "isa.0" carries the COM ports of -serial; their IRQ n is
 * GSI n too.
 */
#include "qapi/error.h"
#include "hw/isa/piix.h"
#include "hw/i386/ioapic.h"
#include "hw/isa/isa.h"
#include "migration/vmstate.h"

int piix3_map_irq(PCIDevice *dev, int pin)
{
    return (PCI_SLOT(dev->devfn) - 1 + pin) & 3;
}

/* An ISA IRQ is the OR of every asserted PIRQ routed to it. */
static void piix3_update_isa(PIIX3State *s)
{
    const uint8_t *route = s->parent_obj.config + PIIX_PIRQCA;
    uint16_t levels = 0;

    for (int pirq = 0; pirq < PIIX_NUM_PIRQS; pirq++) {
        if ((s->pirq_levels & (1u << pirq)) &&
            route[pirq] < PIIX_NUM_PIC_IRQS) {
            levels |= 1u << route[pirq];
        }
    }
    for (int irq = 0; irq < PIIX_NUM_PIC_IRQS; irq++) {
        uint16_t bit = 1u << irq;

        if ((levels ^ s->isa_levels) & bit && s->ioapic) {
            ioapic_set_gsi(s->ioapic, irq, !!(levels & bit));
        }
    }
    s->isa_levels = levels;
}

void piix3_set_irq(void *opaque, int pirq, int level)
{
    PIIX3State *s = opaque;

    if (pirq < 0 || pirq >= PIIX_NUM_PIRQS) {
        return;
    }
    if (level) {
        s->pirq_levels |= 1u << pirq;
    } else {
        s->pirq_levels &= ~(1u << pirq);
    }
    piix3_update_isa(s);
}

static void piix3_write_config(PCIDevice *d, uint32_t addr, uint32_t val,
                               int len)
{
    pci_default_write_config(d, addr, val, len);
    if (addr < PIIX_PIRQCA + PIIX_NUM_PIRQS && addr + len > PIIX_PIRQCA) {
        piix3_update_isa(PIIX3_DEVICE(d));
    }
}

/* QEMU's reset values, register by register. */
static const struct {
    uint8_t reg;
    uint8_t val;
} piix3_reset_values[] = {
    { 0x04, 0x07 }, { 0x05, 0x00 }, { 0x06, 0x00 }, { 0x07, 0x02 },
    { 0x4c, 0x4d }, { 0x4e, 0x03 }, { 0x4f, 0x00 },
    { 0x60, 0x80 }, { 0x61, 0x80 }, { 0x62, 0x80 }, { 0x63, 0x80 },
    { 0x69, 0x02 }, { 0x70, 0x80 }, { 0x76, 0x0c }, { 0x77, 0x0c },
    { 0x78, 0x02 }, { 0x79, 0x00 }, { 0x80, 0x00 }, { 0x82, 0x00 },
    { 0xa0, 0x08 }, { 0xa2, 0x00 }, { 0xa3, 0x00 }, { 0xa4, 0x00 },
    { 0xa5, 0x00 }, { 0xa6, 0x00 }, { 0xa7, 0x00 }, { 0xa8, 0x0f },
    { 0xaa, 0x00 }, { 0xab, 0x00 }, { 0xac, 0x00 }, { 0xae, 0x00 },
};

static void piix3_reset(PCIDevice *d)
{
    PIIX3State *s = PIIX3_DEVICE(d);

    for (size_t i = 0; i < G_N_ELEMENTS(piix3_reset_values); i++) {
        d->config[piix3_reset_values[i].reg] = piix3_reset_values[i].val;
    }
    s->pirq_levels = 0;
    piix3_update_isa(s);
}

static void piix3_realize(PCIDevice *d, GError **errp)
{
    PIIX3State *s = PIIX3_DEVICE(d);

    s->isa_bus = isa_bus_new(DEVICE(d), get_system_io());
    if (s->ioapic) {
        isa_bus_connect_irqs(s->isa_bus, s->ioapic);
    }
    /* As in QEMU, everything past the standard header is writable. */
    memset(d->wmask + 0x40, 0xff, PCI_CONFIG_SPACE_SIZE - 0x40);
    piix3_reset(d);
}

static bool piix3_post_load(void *opaque, int version_id, GError **errp)
{
    piix3_update_isa(opaque);
    return true;
}

static const VMStateDescription vmstate_piix3 = {
    .name = "PIIX3",
    .version_id = 3,
    .post_load = piix3_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_PCI_DEVICE(parent_obj, PIIX3State),
        VMSTATE_UINT16(pirq_levels, PIIX3State),
        VMSTATE_END_OF_LIST()
    },
};

static void piix3_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    PCIDeviceClass *pc = PCI_DEVICE_CLASS(oc);

    pc->realize = piix3_realize;
    pc->reset = piix3_reset;
    pc->config_write = piix3_write_config;
    pc->vendor_id = PCI_VENDOR_ID_INTEL;
    pc->device_id = 0x7000;             /* 82371SB ISA */
    pc->class_id = PCI_CLASS_BRIDGE_ISA;
    dc->desc = "ISA bridge";
    dc->vmsd = &vmstate_piix3;
    dc->user_creatable = false;
    dc->hotpluggable = false;
}

static const TypeInfo piix3_info = {
    .name = TYPE_PIIX3_DEVICE,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(PIIX3State),
    .class_init = piix3_class_init,
};

static void piix3_register_types(void)
{
    type_register_static(&piix3_info);
}

type_init(piix3_register_types)
