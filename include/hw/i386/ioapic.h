/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The I/O APIC as qtest sees it: /machine/ioapic, a device with 24 unnamed
 * GPIO inputs (GSIs).  No CPU consumes the interrupts; tests watch them
 * with "irq_intercept_in ioapic".
 */
#ifndef HW_I386_IOAPIC_H
#define HW_I386_IOAPIC_H

#include "hw/qdev-core.h"

#define TYPE_IOAPIC "ioapic"
#define IOAPIC_NUM_PINS 24

typedef struct IOAPICState {
    DeviceState parent_obj;
    uint32_t irr;               /* current input levels */
} IOAPICState;

#define IOAPIC(obj) OBJECT_CHECK(IOAPICState, (obj), TYPE_IOAPIC)

DeviceState *ioapic_create(Object *machine, GError **errp);
void ioapic_set_gsi(DeviceState *ioapic, int gsi, int level);

/*
 * Delivery to the CPU: called on every change of an input's level (the
 * accelerator registers it; with none, interrupts go nowhere, as before).
 */
typedef void IOAPICKickHook(void *opaque, int gsi, int level);
void ioapic_set_kick_hook(IOAPICKickHook *fn, void *opaque);

#endif
