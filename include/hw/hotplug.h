/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The hotplug-handler interface.  A bus points at the object that handles
 * plugging devices into it (a root port, the ACPI hotplug controller); qdev
 * calls pre_plug/plug around realize and unplug_request/unplug for
 * device_del.  unplug_request only asks the guest; the device goes away
 * when the handler calls qdev_unplug_complete (after the guest ejected).
 */
#ifndef HW_HOTPLUG_H
#define HW_HOTPLUG_H

#include "qom/object.h"

#define TYPE_HOTPLUG_HANDLER "hotplug-handler"

typedef struct DeviceState DeviceState;
typedef struct BusState BusState;
typedef struct HotplugHandler HotplugHandler;   /* an Object implementing it */

typedef struct HotplugHandlerClass {
    InterfaceClass parent;
    void (*pre_plug)(HotplugHandler *h, DeviceState *dev, GError **errp);
    void (*plug)(HotplugHandler *h, DeviceState *dev, GError **errp);
    void (*unplug_request)(HotplugHandler *h, DeviceState *dev,
                           GError **errp);
    void (*unplug)(HotplugHandler *h, DeviceState *dev, GError **errp);
    /* NULL means every bus it handles is hotpluggable. */
    bool (*is_hotpluggable_bus)(HotplugHandler *h, BusState *bus);
} HotplugHandlerClass;

#define HOTPLUG_HANDLER(obj) \
    ((HotplugHandler *)object_dynamic_cast_assert(OBJECT(obj), \
                                                  TYPE_HOTPLUG_HANDLER))
#define HOTPLUG_HANDLER_GET_CLASS(obj) \
    OBJECT_GET_CLASS(HotplugHandlerClass, (obj), TYPE_HOTPLUG_HANDLER)

/* Each calls the method if the class has one; missing methods succeed. */
void hotplug_handler_pre_plug(HotplugHandler *h, DeviceState *dev,
                              GError **errp);
void hotplug_handler_plug(HotplugHandler *h, DeviceState *dev, GError **errp);
void hotplug_handler_unplug_request(HotplugHandler *h, DeviceState *dev,
                                    GError **errp);
void hotplug_handler_unplug(HotplugHandler *h, DeviceState *dev,
                            GError **errp);

#endif
