/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ISA bus ("isa.0", type ISA) behind a PC's LPC or PIIX bridge, and
 * the base of devices on it.  An ISA device claims I/O ports in the
 * system I/O space and drives ISA IRQ lines 0..15, which the board wires
 * to its interrupt controller (on q35 the I/O APIC, ISA IRQ n = GSI n).
 */
#ifndef HW_ISA_ISA_H
#define HW_ISA_ISA_H

#include "hw/qdev-core.h"
#include "exec/memory.h"

#define TYPE_ISA_BUS "ISA"
#define TYPE_ISA_DEVICE "isa-device"
#define ISA_NUM_IRQS 16

typedef struct ISABus {
    BusState parent_obj;
    MemoryRegion *address_space_io;
    qemu_irq irqs[ISA_NUM_IRQS];
} ISABus;

typedef struct ISADevice {
    DeviceState parent_obj;
} ISADevice;

#define ISA_BUS(obj) OBJECT_CHECK(ISABus, (obj), TYPE_ISA_BUS)
#define ISA_DEVICE(obj) OBJECT_CHECK(ISADevice, (obj), TYPE_ISA_DEVICE)

/* The bridge's bus "isa.0"; devices' ports go into io. */
ISABus *isa_bus_new(DeviceState *bridge, MemoryRegion *io);
/* Wire ISA IRQ n to input n of irq_dev (its unnamed GPIO inputs). */
void isa_bus_connect_irqs(ISABus *bus, DeviceState *irq_dev);

ISABus *isa_device_bus(ISADevice *dev);
/* ISA IRQ line isairq (0..15) of dev's bus; NULL if out of range. */
qemu_irq isa_get_irq(ISADevice *dev, unsigned isairq);
/* Map io at port start of the bus's I/O space. */
void isa_register_ioport(ISADevice *dev, MemoryRegion *io, uint16_t start);
void isa_unregister_ioport(ISADevice *dev, MemoryRegion *io);

#endif
