/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioapic: 24 interrupt inputs.  It records levels; qtest takes its inputs
 * over with "irq_intercept_in ioapic", and under tcg a level change wakes
 * the vCPU through the kick hook.
 */
#include "qapi/error.h"
#include "hw/i386/ioapic.h"

static IOAPICKickHook *kick_hook;
static void *kick_opaque;

void ioapic_set_kick_hook(IOAPICKickHook *fn, void *opaque)
{
    kick_hook = fn;
    kick_opaque = opaque;
}

static void ioapic_set_irq(void *opaque, int n, int level)
{
    IOAPICState *s = opaque;
    uint32_t old;

    if (n < 0 || n >= IOAPIC_NUM_PINS) {
        return;
    }
    old = s->irr;
    if (level) {
        s->irr |= 1u << n;
    } else {
        s->irr &= ~(1u << n);
    }
    if (kick_hook && old != s->irr) {
        kick_hook(kick_opaque, n, level != 0);
    }
}

void ioapic_set_gsi(DeviceState *dev, int gsi, int level)
{
    if (gsi >= 0 && gsi < dev->num_gpio_in) {
        qemu_set_irq(dev->gpio_in[gsi], level);
    }
}

static void ioapic_instance_init(Object *obj)
{
    qdev_init_gpio_in(DEVICE(obj), ioapic_set_irq, IOAPIC_NUM_PINS);
}

static void ioapic_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->desc = "I/O APIC";
    dc->user_creatable = false;
}

static const TypeInfo ioapic_info = {
    .name = TYPE_IOAPIC,
    .parent = TYPE_SYS_BUS_DEVICE,
    .instance_size = sizeof(IOAPICState),
    .instance_init = ioapic_instance_init,
    .class_init = ioapic_class_init,
};

DeviceState *ioapic_create(Object *machine, GError **errp)
{
    DeviceState *dev = qdev_new(TYPE_IOAPIC);

    object_property_add_child(machine, "ioapic", OBJECT(dev));
    if (!qdev_realize_and_unref(dev, sysbus_get_default(), errp)) {
        return NULL;
    }
    return dev;
}

static void ioapic_register_types(void)
{
    type_register_static(&ioapic_info);
}

type_init(ioapic_register_types)
