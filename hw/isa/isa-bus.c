/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ISA bus.  It only routes: ports into the I/O space the bridge gave
 * it, and IRQ numbers onto the lines the board connected.
 */
#include "qapi/error.h"
#include "hw/isa/isa.h"

ISABus *isa_bus_new(DeviceState *bridge, MemoryRegion *io)
{
    ISABus *bus = ISA_BUS(qbus_new(TYPE_ISA_BUS, bridge, "isa.0"));

    bus->address_space_io = io;
    return bus;
}

void isa_bus_connect_irqs(ISABus *bus, DeviceState *irq_dev)
{
    for (int i = 0; i < ISA_NUM_IRQS && i < irq_dev->num_gpio_in; i++) {
        bus->irqs[i] = qdev_get_gpio_in(irq_dev, i);
    }
}

ISABus *isa_device_bus(ISADevice *dev)
{
    return ISA_BUS(DEVICE(dev)->parent_bus);
}

qemu_irq isa_get_irq(ISADevice *dev, unsigned isairq)
{
    if (isairq >= ISA_NUM_IRQS) {
        return NULL;
    }
    return isa_device_bus(dev)->irqs[isairq];
}

void isa_register_ioport(ISADevice *dev, MemoryRegion *io, uint16_t start)
{
    memory_region_add_subregion(isa_device_bus(dev)->address_space_io, start,
                                io);
}

void isa_unregister_ioport(ISADevice *dev, MemoryRegion *io)
{
    if (memory_region_is_mapped(io)) {
        memory_region_del_subregion(isa_device_bus(dev)->address_space_io,
                                    io);
    }
}

static void isa_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_ISA_BUS;
    /* Nothing on an ISA bus is hot-pluggable, as on real PCs. */
    dc->hotpluggable = false;
}

static void isa_register_types(void)
{
    static const TypeInfo isa_bus_info = {
        .name = TYPE_ISA_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(ISABus),
    };
    static const TypeInfo isa_device_info = {
        .name = TYPE_ISA_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(ISADevice),
        .abstract = true,
        .class_init = isa_device_class_init,
    };

    type_register_static(&isa_bus_info);
    type_register_static(&isa_device_info);
}

type_init(isa_register_types)
