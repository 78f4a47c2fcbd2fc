/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Devices: creation, realize/unrealize around the bus's hotplug handler,
 * unplug with DEVICE_DELETED, reset, GPIO lines and device listeners.
 */
#include <string.h>

#include "hw/qdev-core.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/qapi-events.h"

static bool machine_creation_done;
static GPtrArray *device_listeners;
static bool (*migration_active)(void);

void qdev_set_migration_active_check(bool (*active)(void))
{
    migration_active = active;
}

bool qdev_migration_active(void)
{
    return migration_active && migration_active();
}

bool qdev_machine_creation_done_p(void)
{
    return machine_creation_done;
}

void qdev_machine_creation_done(void)
{
    machine_creation_done = true;
}

DeviceState *qdev_new(const char *typename)
{
    return DEVICE(object_new(typename));
}

const char *qdev_id_or_empty(DeviceState *dev)
{
    return dev->id ? dev->id : "";
}

/* Hotplug handlers */

HotplugHandler *qdev_get_machine_hotplug_handler(DeviceState *dev)
{
    Object *m = qdev_get_machine();
    MachineClass *mc;

    if (!object_dynamic_cast(m, TYPE_MACHINE)) {
        return NULL;
    }
    mc = MACHINE_GET_CLASS(m);
    return mc->get_hotplug_handler ?
           mc->get_hotplug_handler(MACHINE(m), dev) : NULL;
}

HotplugHandler *qdev_get_hotplug_handler(DeviceState *dev)
{
    HotplugHandler *h = qdev_get_machine_hotplug_handler(dev);

    if (!h && dev->parent_bus && dev->parent_bus->hotplug_handler) {
        h = HOTPLUG_HANDLER(dev->parent_bus->hotplug_handler);
    }
    return h;
}

bool qdev_hotplug_allowed(DeviceState *dev, GError **errp)
{
    Object *m = qdev_get_machine();
    MachineClass *mc;

    if (!object_dynamic_cast(m, TYPE_MACHINE)) {
        return true;
    }
    mc = MACHINE_GET_CLASS(m);
    return mc->hotplug_allowed ?
           mc->hotplug_allowed(MACHINE(m), dev, errp) : true;
}

/* Device listeners */

void device_listener_register(DeviceListener *listener)
{
    if (!device_listeners) {
        device_listeners = g_ptr_array_new();
    }
    g_ptr_array_add(device_listeners, listener);
}

void device_listener_unregister(DeviceListener *listener)
{
    if (device_listeners) {
        g_ptr_array_remove(device_listeners, listener);
    }
}

bool qdev_should_hide_device(const QemuOpts *opts, bool from_json,
                             GError **errp)
{
    if (!device_listeners) {
        return false;
    }
    for (guint i = 0; i < device_listeners->len; i++) {
        DeviceListener *l = device_listeners->pdata[i];
        GError *err = NULL;

        if (l->hide_device && l->hide_device(l, opts, from_json, &err)) {
            return true;
        }
        if (err) {
            g_propagate_error(errp, err);
            return false;
        }
    }
    return false;
}

static void listeners_call(bool realize, DeviceState *dev)
{
    if (!device_listeners) {
        return;
    }
    /* Realize in registration order, unrealize in reverse. */
    for (guint n = 0; n < device_listeners->len; n++) {
        guint i = realize ? n : device_listeners->len - 1 - n;
        DeviceListener *l = device_listeners->pdata[i];

        if (realize && l->realize) {
            l->realize(l, dev);
        } else if (!realize && l->unrealize) {
            l->unrealize(l, dev);
        }
    }
}

/* Realize */

static bool device_set_parent_bus(DeviceState *dev, BusState *bus,
                                  GError **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dc->bus_type || !object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
        error_setg(errp, "Device '%s' can't go on %s bus",
                   object_get_typename(OBJECT(dev)),
                   object_get_typename(OBJECT(bus)));
        return false;
    }
    bus_add_child(bus, dev);
    return true;
}

static void device_unset_parent_bus(DeviceState *dev)
{
    if (dev->parent_bus) {
        bus_remove_child(dev->parent_bus, dev);
    }
}

static bool device_realize(DeviceState *dev, GError **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    HotplugHandler *h = qdev_get_hotplug_handler(dev);
    GError *err = NULL;

    if (h) {
        hotplug_handler_pre_plug(h, dev, &err);
        if (err) {
            goto fail;
        }
    }
    if (dc->realize) {
        dc->realize(dev, &err);
        if (err) {
            goto fail;
        }
    }
    dev->realized = true;
    for (GList *l = dev->child_buses; l; l = l->next) {
        qbus_realize(l->data);
    }
    listeners_call(true, dev);
    if (h) {
        hotplug_handler_plug(h, dev, &err);
        if (err) {
            qdev_unrealize(dev);
            goto fail;
        }
    }
    return true;

fail:
    g_propagate_error(errp, err);
    return false;
}

bool qdev_realize(DeviceState *dev, BusState *bus, GError **errp)
{
    bool added_to_tree = false;

    g_assert(!dev->realized);
    if (dev->global_error) {
        g_propagate_error(errp, g_error_copy(dev->global_error));
        return false;
    }
    if (bus && !device_set_parent_bus(dev, bus, errp)) {
        return false;
    }
    if (!OBJECT(dev)->parent) {
        Object *unattached = container_get(qdev_get_machine(), "/unattached");

        object_property_add_child(unattached, "device[*]", OBJECT(dev));
        added_to_tree = true;
    }
    if (!device_realize(dev, errp)) {
        object_ref(dev);
        if (added_to_tree) {
            object_unparent(OBJECT(dev));
        }
        device_unset_parent_bus(dev);
        object_unref(dev);
        return false;
    }
    return true;
}

bool qdev_realize_and_unref(DeviceState *dev, BusState *bus, GError **errp)
{
    bool ok = qdev_realize(dev, bus, errp);

    object_unref(dev);
    return ok;
}

void qdev_unrealize(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    if (!dev->realized) {
        return;
    }
    for (GList *l = dev->child_buses; l; l = l->next) {
        qbus_unrealize(l->data);
    }
    if (dc->unrealize) {
        dc->unrealize(dev);
    }
    dev->realized = false;
    listeners_call(false, dev);
}

bool qdev_prop_parse(DeviceState *dev, const char *name, const char *value,
                     GError **errp)
{
    return object_property_parse(OBJECT(dev), name, value, errp);
}

/* Unplug */

void qdev_unplug(DeviceState *dev, GError **errp)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);
    HotplugHandler *h;
    HotplugHandlerClass *hc;
    GError *err = NULL;

    if (dev->parent_bus && !qbus_is_hotpluggable(dev->parent_bus)) {
        error_setg(errp, "Bus '%s' does not support hotplugging",
                   dev->parent_bus->name);
        return;
    }
    if (!dc->hotpluggable) {
        error_setg(errp, "Device '%s' does not support hotplugging",
                   object_get_typename(OBJECT(dev)));
        return;
    }
    if (qdev_migration_active() && !dev->allow_unplug_during_migration) {
        error_setg(errp, "device_del not allowed while migrating");
        return;
    }
    h = qdev_get_hotplug_handler(dev);
    if (!h) {
        error_setg(errp, "Device '%s' does not support hotplugging",
                   object_get_typename(OBJECT(dev)));
        return;
    }
    hc = HOTPLUG_HANDLER_GET_CLASS(h);
    /* The handler may complete (and free dev) before returning. */
    object_ref(dev);
    if (hc->unplug_request) {
        dev->pending_deleted_event = true;
        hotplug_handler_unplug_request(h, dev, &err);
        if (err) {
            dev->pending_deleted_event = false;
        }
    } else {
        hotplug_handler_unplug(h, dev, &err);
        if (!err) {
            qdev_unplug_complete(dev);
        }
    }
    object_unref(dev);
    if (err) {
        g_propagate_error(errp, err);
    }
}

typedef struct DeletedDevice {
    DeviceState *dev;
    char *id;
    char *path;
} DeletedDevice;

static void collect_deleted(DeviceState *dev, GArray *out);

static int collect_child_object(Object *child, void *opaque)
{
    DeviceState *cdev = (DeviceState *)object_dynamic_cast(child,
                                                           TYPE_DEVICE);
    BusState *bus = (BusState *)object_dynamic_cast(child, TYPE_BUS);

    if (cdev) {
        collect_deleted(cdev, opaque);
    } else if (bus) {
        for (GList *l = bus->children; l; l = l->next) {
            collect_deleted(l->data, opaque);
        }
    }
    return 0;
}

static bool already_collected(DeviceState *dev, GArray *out)
{
    for (guint i = 0; i < out->len; i++) {
        if (g_array_index(out, DeletedDevice, i).dev == dev) {
            return true;
        }
    }
    return false;
}

/*
 * Post-order: a device's children (QOM children such as a virtio backend,
 * and devices on its buses) are reported before the device itself.  A
 * device can be reached both ways (a virtio backend is the proxy's QOM
 * child and sits on its virtio bus) but is reported once.
 */
static void collect_deleted(DeviceState *dev, GArray *out)
{
    DeletedDevice d;

    if (already_collected(dev, out)) {
        return;
    }
    object_child_foreach(OBJECT(dev), collect_child_object, out);
    if (dev->realized) {
        d.dev = dev;
        d.id = g_strdup(dev->id);
        d.path = object_get_canonical_path(OBJECT(dev));
        if (d.path) {
            g_array_append_val(out, d);
        } else {
            g_free(d.id);
        }
    }
}

void qdev_unplug_complete(DeviceState *dev)
{
    g_autoptr(GArray) deleted = g_array_new(false, false,
                                            sizeof(DeletedDevice));

    collect_deleted(dev, deleted);
    object_ref(dev);
    qdev_unrealize(dev);
    object_unparent(OBJECT(dev));
    device_unset_parent_bus(dev);
    object_unref(dev);
    for (guint i = 0; i < deleted->len; i++) {
        DeletedDevice *d = &g_array_index(deleted, DeletedDevice, i);

        qapi_event_send_device_deleted(d->id, d->path);
        g_free(d->id);
        g_free(d->path);
    }
}

/* Tree walks */

BusState *qdev_get_child_bus(DeviceState *dev, const char *name)
{
    for (GList *l = dev->child_buses; l; l = l->next) {
        BusState *bus = l->data;

        if (!strcmp(bus->name, name)) {
            return bus;
        }
    }
    return NULL;
}

DeviceState *qdev_find_recursive(BusState *bus, const char *id)
{
    for (GList *l = bus->children; l; l = l->next) {
        DeviceState *dev = l->data;

        if (dev->id && !strcmp(dev->id, id)) {
            return dev;
        }
        for (GList *b = dev->child_buses; b; b = b->next) {
            DeviceState *found = qdev_find_recursive(b->data, id);
            if (found) {
                return found;
            }
        }
    }
    return NULL;
}

void device_cold_reset(DeviceState *dev)
{
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    /* Children first: a parent's reset may look at reset children. */
    for (GList *l = dev->child_buses; l; l = l->next) {
        bus_cold_reset(l->data);
    }
    if (dc->reset) {
        dc->reset(dev);
    }
}

/* GPIO */

void qdev_init_gpio_in(DeviceState *dev, qemu_irq_handler handler, int n)
{
    int first = dev->num_gpio_in;

    dev->gpio_in = g_renew(qemu_irq, dev->gpio_in, first + n);
    for (int i = 0; i < n; i++) {
        dev->gpio_in[first + i] = qemu_allocate_irq(handler, dev, first + i);
    }
    dev->num_gpio_in += n;
}

void qdev_init_gpio_out(DeviceState *dev, qemu_irq *pins, int n)
{
    int first = dev->num_gpio_out;

    dev->gpio_out = g_renew(qemu_irq *, dev->gpio_out, first + n);
    for (int i = 0; i < n; i++) {
        dev->gpio_out[first + i] = &pins[i];
    }
    dev->num_gpio_out += n;
}

qemu_irq qdev_get_gpio_in(DeviceState *dev, int n)
{
    g_assert(n >= 0 && n < dev->num_gpio_in);
    return dev->gpio_in[n];
}

void qdev_connect_gpio_out(DeviceState *dev, int n, qemu_irq irq)
{
    g_assert(n >= 0 && n < dev->num_gpio_out);
    *dev->gpio_out[n] = irq;
}

/* The device type */

static JsonNode *device_get_realized(Object *obj, ObjectProperty *prop,
                                     GError **errp)
{
    return qom_value_from_bool(DEVICE(obj)->realized);
}

static bool device_set_realized(Object *obj, ObjectProperty *prop,
                                JsonNode *value, GError **errp)
{
    DeviceState *dev = DEVICE(obj);
    bool v;

    if (!qom_value_to_bool(value, prop->name, &v, errp)) {
        return false;
    }
    if (v && !dev->realized) {
        return device_realize(dev, errp);
    }
    if (!v && dev->realized) {
        qdev_unrealize(dev);
    }
    return true;
}

static JsonNode *device_get_hotpluggable(Object *obj, ObjectProperty *prop,
                                         GError **errp)
{
    DeviceState *dev = DEVICE(obj);
    DeviceClass *dc = DEVICE_GET_CLASS(dev);

    return qom_value_from_bool(dc->hotpluggable &&
                               (!dev->parent_bus ||
                                qbus_is_hotpluggable(dev->parent_bus)));
}

static JsonNode *device_get_hotplugged(Object *obj, ObjectProperty *prop,
                                       GError **errp)
{
    return qom_value_from_bool(DEVICE(obj)->hotplugged);
}

static Object *device_parent_bus_resolve(Object *obj, ObjectProperty *prop)
{
    return OBJECT(DEVICE(obj)->parent_bus);
}

static JsonNode *device_get_parent_bus(Object *obj, ObjectProperty *prop,
                                       GError **errp)
{
    DeviceState *dev = DEVICE(obj);
    g_autofree char *path = NULL;

    if (!dev->parent_bus) {
        return json_node_init_null(json_node_alloc());
    }
    path = object_get_canonical_path(OBJECT(dev->parent_bus));
    return qom_value_from_str(path ? path : "");
}

static void device_unparent(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    qdev_unrealize(dev);
    while (dev->child_buses) {
        BusState *bus = dev->child_buses->data;

        dev->child_buses = g_list_remove(dev->child_buses, bus);
        object_unparent(OBJECT(bus));
    }
    device_unset_parent_bus(dev);
}

static void device_instance_init(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    dev->hotplugged = machine_creation_done;
    dev->instance_id_alias = -1;
    qdev_prop_set_defaults(dev);
}

static void device_instance_post_init(Object *obj)
{
    qdev_prop_set_globals(DEVICE(obj));
}

static void device_instance_finalize(Object *obj)
{
    DeviceState *dev = DEVICE(obj);

    qdev_prop_release_all(dev);
    for (int i = 0; i < dev->num_gpio_in; i++) {
        qemu_free_irq(dev->gpio_in[i]);
    }
    g_free(dev->gpio_in);
    g_free(dev->gpio_out);
    g_free(dev->id);
    g_clear_error(&dev->global_error);
    if (dev->opts) {
        qemu_opts_free(dev->opts);
    }
}

static void device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    ObjectProperty *prop;

    oc->unparent = device_unparent;
    /* Most devices can be hot-plugged where the bus allows it. */
    dc->hotpluggable = true;
    dc->user_creatable = true;
    object_class_property_add(oc, "realized", "bool", device_get_realized,
                              device_set_realized, NULL, NULL);
    object_class_property_add(oc, "hotpluggable", "bool",
                              device_get_hotpluggable, NULL, NULL, NULL);
    object_class_property_add(oc, "hotplugged", "bool",
                              device_get_hotplugged, NULL, NULL, NULL);
    prop = object_class_property_add(oc, "parent_bus", "link<bus>",
                                     device_get_parent_bus, NULL, NULL, NULL);
    prop->resolve = device_parent_bus_resolve;
}

static void qdev_register_types(void)
{
    static const TypeInfo device_info = {
        .name = TYPE_DEVICE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(DeviceState),
        .class_size = sizeof(DeviceClass),
        .abstract = true,
        .instance_init = device_instance_init,
        .instance_post_init = device_instance_post_init,
        .instance_finalize = device_instance_finalize,
        .class_init = device_class_init,
    };

    type_register_static(&device_info);
}

type_init(qdev_register_types)
