/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Buses: the list of devices plugged into one, naming, lookup by name or
 * qdev path (device_add's "bus" argument) and the hotplug handler link.
 */
#include <string.h>

#include "hw/qdev-core.h"
#include "qapi/error.h"

void bus_add_child(BusState *bus, DeviceState *dev)
{
    g_assert(!dev->parent_bus);
    bus->children = g_list_append(bus->children, dev);
    bus->num_children++;
    dev->parent_bus = bus;
    object_ref(bus);
}

void bus_remove_child(BusState *bus, DeviceState *dev)
{
    g_assert(dev->parent_bus == bus);
    bus->children = g_list_remove(bus->children, dev);
    bus->num_children--;
    dev->parent_bus = NULL;
    object_unref(bus);
}

BusState *qbus_new(const char *typename, DeviceState *parent,
                   const char *name)
{
    BusState *bus = BUS(object_new(typename));

    if (name) {
        bus->name = g_strdup(name);
    } else if (parent && parent->id) {
        bus->name = g_strdup_printf("%s.%d", parent->id,
                                    g_list_length(parent->child_buses));
    } else {
        BusClass *bc = BUS_GET_CLASS(bus);
        g_autofree char *lower = g_ascii_strdown(typename, -1);

        bus->name = g_strdup_printf("%s.%d", lower, bc->automatic_ids++);
    }
    bus->parent = parent;
    if (parent) {
        parent->child_buses = g_list_append(parent->child_buses, bus);
        object_property_add_child(OBJECT(parent), bus->name, OBJECT(bus));
        object_unref(bus);      /* the parent's child property owns it */
        if (parent->realized) {
            qbus_realize(bus);
        }
    }
    return bus;
}

void qbus_set_hotplug_handler(BusState *bus, Object *handler)
{
    /* Weak: the handler is usually the bus's own parent device. */
    bus->hotplug_handler = handler;
}

bool qbus_is_hotpluggable(BusState *bus)
{
    HotplugHandler *h;
    HotplugHandlerClass *hc;

    if (!bus->hotplug_handler) {
        return false;
    }
    h = HOTPLUG_HANDLER(bus->hotplug_handler);
    hc = HOTPLUG_HANDLER_GET_CLASS(h);
    return hc->is_hotpluggable_bus ? hc->is_hotpluggable_bus(h, bus) : true;
}

bool qbus_is_full(BusState *bus)
{
    BusClass *bc = BUS_GET_CLASS(bus);

    return bc->max_dev && bus->num_children >= bc->max_dev;
}

void qbus_realize(BusState *bus)
{
    bus->realized = true;
}

void qbus_unrealize(BusState *bus)
{
    for (GList *l = bus->children; l; l = l->next) {
        qdev_unrealize(l->data);
    }
    bus->realized = false;
}

void bus_cold_reset(BusState *bus)
{
    BusClass *bc = BUS_GET_CLASS(bus);

    for (GList *l = bus->children; l; l = l->next) {
        device_cold_reset(l->data);
    }
    if (bc->reset) {
        bc->reset(bus);
    }
}

BusState *qbus_find_recursive(BusState *bus, const char *name,
                              const char *bus_typename)
{
    bool name_ok = !name || !strcmp(bus->name, name);
    bool type_ok = !bus_typename ||
                   object_dynamic_cast(OBJECT(bus), bus_typename);

    if (name_ok && type_ok && (name || !qbus_is_full(bus))) {
        return bus;
    }
    for (GList *l = bus->children; l; l = l->next) {
        DeviceState *dev = l->data;

        for (GList *b = dev->child_buses; b; b = b->next) {
            BusState *found = qbus_find_recursive(b->data, name,
                                                  bus_typename);
            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

/* A device on bus by id, then by type name, as qdev paths name them. */
static DeviceState *qbus_find_dev(BusState *bus, const char *elem)
{
    for (GList *l = bus->children; l; l = l->next) {
        DeviceState *dev = l->data;

        if (dev->id && !strcmp(dev->id, elem)) {
            return dev;
        }
    }
    for (GList *l = bus->children; l; l = l->next) {
        DeviceState *dev = l->data;

        if (!strcmp(object_get_typename(OBJECT(dev)), elem)) {
            return dev;
        }
    }
    return NULL;
}

/*
 * QEMU's qdev path: "name" finds a bus anywhere below the main bus;
 * "/dev/bus/dev/..." walks from the main bus; a path ending in a device
 * means that device's only bus.
 */
static BusState *qbus_find_qdev_path(const char *path, GError **errp)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", 0);
    char **p = parts;
    BusState *bus;

    if (path[0] == '/') {
        bus = sysbus_get_default();
        p++;
    } else {
        /* "" splits into no parts at all: it names no bus. */
        const char *first = parts[0] ? parts[0] : "";

        bus = qbus_find_recursive(sysbus_get_default(), first, NULL);
        if (!bus) {
            error_setg(errp, "Bus '%s' not found", first);
            return NULL;
        }
        p++;
    }
    for (;;) {
        DeviceState *dev;

        while (*p && !**p) {
            p++;
        }
        if (!*p) {
            break;
        }
        dev = qbus_find_dev(bus, *p);
        if (!dev) {
            error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Device '%s' not found", *p);
            return NULL;
        }
        p++;
        while (*p && !**p) {
            p++;
        }
        if (!*p) {
            int n = g_list_length(dev->child_buses);

            if (n == 1) {
                bus = dev->child_buses->data;
                break;
            }
            error_setg(errp, n ? "Device '%s' has multiple child buses"
                               : "Device '%s' has no child bus", p[-1]);
            return NULL;
        }
        bus = qdev_get_child_bus(dev, *p);
        if (!bus) {
            error_setg(errp, "Bus '%s' not found", *p);
            return NULL;
        }
        p++;
    }
    return bus;
}

BusState *qbus_find(const char *path, GError **errp)
{
    GError *err = NULL;
    BusState *bus = qbus_find_qdev_path(path, &err);

    if (!bus && path[0] == '/') {
        /* Also take a QOM path such as /machine/peripheral/root0/root0. */
        Object *obj = object_resolve_path_type(path, TYPE_BUS, NULL);

        bus = obj ? BUS(obj) : NULL;
    }
    if (!bus) {
        g_propagate_error(errp, err);
        return NULL;
    }
    g_clear_error(&err);
    if (qbus_is_full(bus)) {
        error_setg(errp, "Bus '%s' is full", path);
        return NULL;
    }
    return bus;
}

static Object *bus_hotplug_handler_resolve(Object *obj, ObjectProperty *prop)
{
    return BUS(obj)->hotplug_handler;
}

static JsonNode *bus_get_hotplug_handler(Object *obj, ObjectProperty *prop,
                                         GError **errp)
{
    Object *h = BUS(obj)->hotplug_handler;
    g_autofree char *path = h ? object_get_canonical_path(h) : NULL;

    return path ? qom_value_from_str(path)
                : json_node_init_null(json_node_alloc());
}

static JsonNode *bus_get_realized(Object *obj, ObjectProperty *prop,
                                  GError **errp)
{
    return qom_value_from_bool(BUS(obj)->realized);
}

static void bus_unparent(Object *obj)
{
    BusState *bus = BUS(obj);

    /* Devices on a bus go with it. */
    while (bus->children) {
        DeviceState *dev = bus->children->data;

        object_ref(dev);
        if (OBJECT(dev)->parent) {
            object_unparent(OBJECT(dev));
        }
        if (dev->parent_bus == bus) {
            bus_remove_child(bus, dev);
        }
        object_unref(dev);
    }
    if (bus->parent) {
        bus->parent->child_buses = g_list_remove(bus->parent->child_buses,
                                                 bus);
        bus->parent = NULL;
    }
    bus->realized = false;
}

static void bus_instance_finalize(Object *obj)
{
    g_free(BUS(obj)->name);
}

static void bus_class_init(ObjectClass *oc, void *data)
{
    ObjectProperty *prop;

    oc->unparent = bus_unparent;
    object_class_property_add(oc, "realized", "bool", bus_get_realized,
                              NULL, NULL, NULL);
    prop = object_class_property_add(oc, "hotplug-handler",
                                     "link<" TYPE_HOTPLUG_HANDLER ">",
                                     bus_get_hotplug_handler, NULL, NULL,
                                     NULL);
    prop->resolve = bus_hotplug_handler_resolve;
}

static void bus_register_types(void)
{
    static const TypeInfo bus_info = {
        .name = TYPE_BUS,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(BusState),
        .class_size = sizeof(BusClass),
        .abstract = true,
        .instance_finalize = bus_instance_finalize,
        .class_init = bus_class_init,
    };

    type_register_static(&bus_info);
}

type_init(bus_register_types)
