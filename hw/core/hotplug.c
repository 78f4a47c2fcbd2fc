/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The hotplug-handler interface: thin wrappers, missing methods succeed. */
#include "hw/hotplug.h"

void hotplug_handler_pre_plug(HotplugHandler *h, DeviceState *dev,
                              GError **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    if (hc->pre_plug) {
        hc->pre_plug(h, dev, errp);
    }
}

void hotplug_handler_plug(HotplugHandler *h, DeviceState *dev, GError **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    if (hc->plug) {
        hc->plug(h, dev, errp);
    }
}

void hotplug_handler_unplug_request(HotplugHandler *h, DeviceState *dev,
                                    GError **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    if (hc->unplug_request) {
        hc->unplug_request(h, dev, errp);
    }
}

void hotplug_handler_unplug(HotplugHandler *h, DeviceState *dev,
                            GError **errp)
{
    HotplugHandlerClass *hc = HOTPLUG_HANDLER_GET_CLASS(h);

    if (hc->unplug) {
        hc->unplug(h, dev, errp);
    }
}

static void hotplug_register_types(void)
{
    static const TypeInfo hotplug_handler_info = {
        .name = TYPE_HOTPLUG_HANDLER,
        .parent = TYPE_INTERFACE,
        .class_size = sizeof(HotplugHandlerClass),
    };

    type_register_static(&hotplug_handler_info);
}

type_init(hotplug_register_types)
