/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The system bus: root of the qdev tree ("main-system-bus", type System),
 * home of board devices that are not on any real bus.
 */
#include "hw/qdev-core.h"

static BusState *main_system_bus;

BusState *sysbus_get_default(void)
{
    if (!main_system_bus) {
        main_system_bus = qbus_new(TYPE_SYSTEM_BUS, NULL, "main-system-bus");
        main_system_bus->realized = true;
    }
    return main_system_bus;
}

static void sys_bus_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->bus_type = TYPE_SYSTEM_BUS;
    /* Board parts: -device may not create them unless a type says so. */
    dc->user_creatable = false;
}

static void sysbus_register_types(void)
{
    static const TypeInfo system_bus_info = {
        .name = TYPE_SYSTEM_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(BusState),
    };
    static const TypeInfo sys_bus_device_info = {
        .name = TYPE_SYS_BUS_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(DeviceState),
        .abstract = true,
        .class_init = sys_bus_device_class_init,
    };

    type_register_static(&system_bus_info);
    type_register_static(&sys_bus_device_info);
}

type_init(sysbus_register_types)
