/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Devices from user options: -device, device_add, device_del,
 * device-list-properties and the -device help listings.  The checks run in
 * QEMU's order, because users (and the failover code) see which error or
 * hiding decision comes first.
 */
#include <stdio.h>
#include <string.h>

#include "system/qdev-monitor.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "monitor/monitor.h"
#include "qapi/error.h"
#include "qemu/option.h"
#include "qemu/timer.h"
#include "qemu/qemu-print.h"

/* Short names users may give instead of the real driver (x86 table). */
static const struct {
    const char *typename;
    const char *alias;
} qdev_alias_table[] = {
    { "e1000", "e1000-82540em" },
    { "ich9-ahci", "ahci" },
    { "lsi53c895a", "lsi" },
    { "virtio-9p-pci", "virtio-9p" },
    { "virtio-balloon-pci", "virtio-balloon" },
    { "virtio-blk-pci", "virtio-blk" },
    { "virtio-gpu-pci", "virtio-gpu" },
    { "virtio-input-host-pci", "virtio-input-host" },
    { "virtio-iommu-pci", "virtio-iommu" },
    { "virtio-keyboard-pci", "virtio-keyboard" },
    { "virtio-mouse-pci", "virtio-mouse" },
    { "virtio-net-pci", "virtio-net" },
    { "virtio-rng-pci", "virtio-rng" },
    { "virtio-scsi-pci", "virtio-scsi" },
    { "virtio-serial-pci", "virtio-serial" },
    { "virtio-tablet-pci", "virtio-tablet" },
};

/* Ids of -device options hidden at start-up: QEMU keeps them reserved. */
static GHashTable *reserved_ids;
static int anon_count;

const char *qdev_driver_by_alias(const char *alias)
{
    for (size_t i = 0; i < G_N_ELEMENTS(qdev_alias_table); i++) {
        if (!strcmp(qdev_alias_table[i].alias, alias)) {
            return qdev_alias_table[i].typename;
        }
    }
    return NULL;
}

static const char *qdev_class_get_alias(DeviceClass *dc)
{
    const char *name = object_class_get_name(OBJECT_CLASS(dc));

    for (size_t i = 0; i < G_N_ELEMENTS(qdev_alias_table); i++) {
        if (!strcmp(qdev_alias_table[i].typename, name)) {
            return qdev_alias_table[i].alias;
        }
    }
    return NULL;
}

static Object *qdev_get_peripheral(void)
{
    return container_get(qdev_get_machine(), "/peripheral");
}

static Object *qdev_get_peripheral_anon(void)
{
    return container_get(qdev_get_machine(), "/peripheral-anon");
}

/* The device class for a -device driver name, with QEMU's refusals. */
static DeviceClass *qdev_get_device_class(const char **driver, GError **errp)
{
    const char *original = *driver;
    ObjectClass *oc = object_class_by_name(*driver);
    DeviceClass *dc;

    if (!oc) {
        const char *typename = qdev_driver_by_alias(*driver);

        if (typename) {
            *driver = typename;
            oc = object_class_by_name(typename);
        }
    }
    if (!object_class_dynamic_cast(oc, TYPE_DEVICE)) {
        if (*driver != original) {
            error_setg(errp, "'%s' (alias '%s') is not a valid device model "
                       "name", original, *driver);
        } else {
            error_setg(errp, "'%s' is not a valid device model name",
                       *driver);
        }
        return NULL;
    }
    if (object_class_is_abstract(oc)) {
        error_setg(errp, "Parameter 'driver' expects a non-abstract device "
                   "type");
        return NULL;
    }
    dc = DEVICE_CLASS(oc);
    if (!dc->user_creatable ||
        (qdev_machine_creation_done_p() && !dc->hotpluggable)) {
        error_setg(errp, "Parameter 'driver' expects a pluggable device type");
        return NULL;
    }
    return dc;
}

static bool qdev_set_id(DeviceState *dev, const char *id, GError **errp)
{
    if (id) {
        if (!object_property_try_add_child(qdev_get_peripheral(), id,
                                           OBJECT(dev))) {
            error_setg(errp, "Duplicate device ID '%s'", id);
            return false;
        }
        dev->id = g_strdup(id);
    } else {
        g_autofree char *name = g_strdup_printf("device[%d]", anon_count++);

        object_property_add_child(qdev_get_peripheral_anon(), name,
                                  OBJECT(dev));
    }
    return true;
}

static bool is_reserved_option(const char *name)
{
    return !strcmp(name, "driver") || !strcmp(name, "bus") ||
           !strcmp(name, "id");
}

static bool qdev_set_properties(DeviceState *dev, QemuOpts *opts,
                                GError **errp)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = opts->list->pdata[i];

        if (is_reserved_option(opt->name)) {
            continue;
        }
        if (!object_property_parse(OBJECT(dev), opt->name, opt->str, errp)) {
            return false;
        }
    }
    return true;
}

/* A hidden device being re-created: skip the hide check; maybe coldplug. */
typedef enum QdevAddMode {
    QDEV_ADD_USER,
    QDEV_ADD_UNHIDDEN,
    QDEV_ADD_UNHIDDEN_COLD,
} QdevAddMode;

static DeviceState *qdev_device_add_mode(QemuOpts *opts, bool from_json,
                                         QdevAddMode mode, GError **errp)
{
    const char *driver = qemu_opt_get(opts, "driver");
    const char *path = qemu_opt_get(opts, "bus");
    const char *id = qemu_opt_get(opts, "id");
    bool ready = qdev_machine_creation_done_p() &&
                 mode != QDEV_ADD_UNHIDDEN_COLD;
    GError *err = NULL;
    DeviceClass *dc;
    BusState *bus = NULL;
    DeviceState *dev;

    if (id && !id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    if (!driver) {
        error_setg(errp, "Parameter 'driver' is missing");
        return NULL;
    }
    dc = qdev_get_device_class(&driver, errp);
    if (!dc) {
        return NULL;
    }

    if (path) {
        bus = qbus_find(path, errp);
        if (!bus) {
            return NULL;
        }
        if (!dc->bus_type || !object_dynamic_cast(OBJECT(bus), dc->bus_type)) {
            error_setg(errp, "Device '%s' can't go on %s bus", driver,
                       object_get_typename(OBJECT(bus)));
            return NULL;
        }
    } else if (dc->bus_type) {
        bus = qbus_find_recursive(sysbus_get_default(), NULL, dc->bus_type);
        if (!bus || qbus_is_full(bus)) {
            error_setg(errp, "No '%s' bus found for device '%s'",
                       dc->bus_type, driver);
            return NULL;
        }
    }

    /* Listeners decide before any other check (failover relies on it). */
    if (mode == QDEV_ADD_USER &&
        qdev_should_hide_device(opts, from_json, &err)) {
        if (bus && !qbus_is_hotpluggable(bus)) {
            error_setg(errp, "Bus '%s' does not support hotplugging",
                       bus->name);
        } else if (!ready && id) {
            if (!reserved_ids) {
                reserved_ids = g_hash_table_new_full(g_str_hash, g_str_equal,
                                                     g_free, NULL);
            }
            g_hash_table_add(reserved_ids, g_strdup(id));
        }
        return NULL;
    }
    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }

    if (ready && bus && !qbus_is_hotpluggable(bus)) {
        error_setg(errp, "Bus '%s' does not support hotplugging", bus->name);
        return NULL;
    }
    if (mode == QDEV_ADD_USER && qdev_migration_active()) {
        error_setg(errp, "device_add not allowed while migrating");
        return NULL;
    }
    dev = qdev_new(driver);
    if (mode == QDEV_ADD_UNHIDDEN_COLD) {
        dev->hotplugged = false;
    }
    if (ready) {
        if (!qdev_hotplug_allowed(dev, errp)) {
            goto fail;
        }
        if (!bus && !qdev_get_machine_hotplug_handler(dev)) {
            error_setg(errp, "Device '%s' can not be hotplugged on this "
                       "machine", driver);
            goto fail;
        }
    }
    if (!qdev_set_id(dev, id, errp)) {
        goto fail;
    }
    dev->opts = qemu_opts_copy(opts);
    if (!qdev_set_properties(dev, opts, errp) ||
        !qdev_realize(dev, bus, errp)) {
        goto fail;
    }
    object_unref(dev);      /* the composition tree holds it */
    return dev;

fail:
    object_unparent(OBJECT(dev));
    object_unref(dev);
    return NULL;
}

DeviceState *qdev_device_add(QemuOpts *opts, bool from_json, GError **errp)
{
    return qdev_device_add_mode(opts, from_json, QDEV_ADD_USER, errp);
}

DeviceState *qdev_device_add_unhidden(QemuOpts *opts, bool coldplug,
                                      GError **errp)
{
    return qdev_device_add_mode(opts, false, coldplug ?
                                QDEV_ADD_UNHIDDEN_COLD : QDEV_ADD_UNHIDDEN,
                                errp);
}

static QdevDeviceDelHook *device_del_hook;

void qdev_set_device_del_hook(QdevDeviceDelHook *fn)
{
    device_del_hook = fn;
}

/* QMP */

void qmp_marshal_device_add(JsonObject *args, JsonNode **ret, GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_from_json(args);
    const char *id = qemu_opt_get(opts, "id");
    GError *err = NULL;

    if (id && !id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return;
    }
    if (id && reserved_ids && g_hash_table_contains(reserved_ids, id)) {
        error_setg(errp, "Duplicate ID '%s' for device", id);
        return;
    }
    qdev_device_add(opts, false, &err);
    if (err) {
        g_propagate_error(errp, err);
        return;
    }
    g_autoptr(JsonObject) empty = json_object_new();
    *ret = json_node_init_object(json_node_alloc(), empty);
}

static DeviceState *find_device_state(const char *id, GError **errp)
{
    Object *obj = object_resolve_path_at(qdev_get_peripheral(), id);
    DeviceState *dev;

    if (!obj) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  id);
        return NULL;
    }
    dev = (DeviceState *)object_dynamic_cast(obj, TYPE_DEVICE);
    if (!dev) {
        error_setg(errp, "%s is not a hotpluggable device", id);
        return NULL;
    }
    return dev;
}

void qmp_device_del(const char *id, GError **errp)
{
    Object *obj = object_resolve_path_at(qdev_get_peripheral(), id);
    DeviceState *dev;

    /* A listener that hides devices may own this id (or this device). */
    if (device_del_hook &&
        device_del_hook(id, obj ? (DeviceState *)
                        object_dynamic_cast(obj, TYPE_DEVICE) : NULL, errp)) {
        return;
    }
    dev = find_device_state(id, errp);
    if (!dev) {
        return;
    }
    /* A pending request expires at its deadline; 0 means never. */
    if (dev->pending_deleted_event &&
        (dev->pending_deleted_expires_ms == 0 ||
         dev->pending_deleted_expires_ms >
         qemu_clock_get_ms(QEMU_CLOCK_VIRTUAL))) {
        error_setg(errp, "Device %s is already in the process of unplug", id);
        return;
    }
    qdev_unplug(dev, errp);
}

static bool is_qdev_internal_property(const char *name)
{
    return !strcmp(name, "type") || !strcmp(name, "realized") ||
           !strcmp(name, "hotpluggable") || !strcmp(name, "hotplugged") ||
           !strcmp(name, "parent_bus") || g_str_has_prefix(name, "legacy-");
}

static void list_property(ObjectProperty *prop, void *opaque)
{
    ObjectPropertyInfoList ***tail = opaque;
    ObjectPropertyInfoList *elem;
    ObjectPropertyInfo *info;

    if (is_qdev_internal_property(prop->name)) {
        return;
    }
    info = g_new0(ObjectPropertyInfo, 1);
    info->name = g_strdup(prop->name);
    info->type = g_strdup(prop->type);
    info->description = g_strdup(prop->description);
    info->default_value = prop->defval ? json_node_copy(prop->defval) : NULL;
    elem = g_new0(ObjectPropertyInfoList, 1);
    elem->value = info;
    **tail = elem;
    *tail = &elem->next;
}

ObjectPropertyInfoList *qmp_device_list_properties(const char *typename,
                                                   GError **errp)
{
    ObjectClass *oc = object_class_by_name(typename);
    ObjectPropertyInfoList *head = NULL;
    ObjectPropertyInfoList **tail = &head;
    Object *obj;

    if (!oc) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  typename);
        return NULL;
    }
    if (!object_class_dynamic_cast(oc, TYPE_DEVICE) ||
        object_class_is_abstract(oc)) {
        error_setg(errp, "Parameter 'typename' expects a non-abstract device "
                   "type");
        return NULL;
    }
    /* An instance shows properties its instance_init adds, too. */
    obj = object_new(typename);
    object_property_foreach(obj, list_property, &tail);
    object_unref(obj);
    return head;
}

/* Help */

static const char *const category_order[] = {
    DEVICE_CATEGORY_BRIDGE, DEVICE_CATEGORY_USB, DEVICE_CATEGORY_STORAGE,
    DEVICE_CATEGORY_NETWORK, DEVICE_CATEGORY_INPUT, DEVICE_CATEGORY_DISPLAY,
    DEVICE_CATEGORY_SOUND, DEVICE_CATEGORY_MISC, DEVICE_CATEGORY_CPU,
    DEVICE_CATEGORY_WATCHDOG, "Uncategorized devices",
};

static size_t category_index(DeviceClass *dc)
{
    size_t last = G_N_ELEMENTS(category_order) - 1;

    for (size_t i = 0; dc->category && i < last; i++) {
        if (!strcmp(dc->category, category_order[i])) {
            return i;
        }
    }
    return last;
}

static gint class_name_casecmp(gconstpointer a, gconstpointer b)
{
    return g_ascii_strcasecmp(object_class_get_name((ObjectClass *)a),
                              object_class_get_name((ObjectClass *)b));
}

static void qdev_print_devinfo(DeviceClass *dc)
{
    const char *alias = qdev_class_get_alias(dc);

    qemu_printf("name \"%s\"", object_class_get_name(OBJECT_CLASS(dc)));
    if (dc->bus_type) {
        qemu_printf(", bus %s", dc->bus_type);
    }
    if (alias) {
        qemu_printf(", alias \"%s\"", alias);
    }
    if (dc->desc) {
        qemu_printf(", desc \"%s\"", dc->desc);
    }
    if (!dc->user_creatable) {
        qemu_printf(", no-user");
    }
    qemu_printf("\n");
}

static void qdev_print_devinfos(void)
{
    GSList *list = g_slist_sort(object_class_get_list(TYPE_DEVICE, false),
                                class_name_casecmp);

    for (size_t cat = 0; cat < G_N_ELEMENTS(category_order); cat++) {
        bool printed = false;

        for (GSList *l = list; l; l = l->next) {
            DeviceClass *dc = DEVICE_CLASS(l->data);

            if (category_index(dc) != cat || !dc->user_creatable) {
                continue;
            }
            if (!printed) {
                qemu_printf("%s%s:\n", cat ? "\n" : "", category_order[cat]);
                printed = true;
            }
            qdev_print_devinfo(dc);
        }
    }
    g_slist_free(list);
}

static char *property_help(ObjectPropertyInfo *info)
{
    GString *s = g_string_new(NULL);

    g_string_append_printf(s, "  %s=<%s>", info->name, info->type);
    if (info->description || info->default_value) {
        /* Descriptions line up in a column when the name is short. */
        while (s->len < 24) {
            g_string_append_c(s, ' ');
        }
        g_string_append(s, " - ");
    }
    if (info->description) {
        g_string_append(s, info->description);
    }
    if (info->default_value) {
        g_autofree char *json = qmp_json_to_string(info->default_value,
                                                   false);
        g_string_append_printf(s, " (default: %s)", json);
    }
    return g_string_free(s, false);
}

static gint pstrcmp(gconstpointer a, gconstpointer b)
{
    return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static bool is_help_option(const char *s)
{
    return s && (!strcmp(s, "help") || !strcmp(s, "?"));
}

bool qdev_device_help(QemuOpts *opts)
{
    const char *driver = qemu_opt_get(opts, "driver");
    g_autoptr(GPtrArray) lines = NULL;
    ObjectPropertyInfoList *props;
    GError *err = NULL;

    if (is_help_option(driver)) {
        qdev_print_devinfos();
        return true;
    }
    if (!driver || !(qemu_opt_has(opts, "help") || qemu_opt_has(opts, "?"))) {
        return false;
    }
    if (!object_class_by_name(driver) && qdev_driver_by_alias(driver)) {
        driver = qdev_driver_by_alias(driver);
    }
    props = qmp_device_list_properties(driver, &err);
    if (err) {
        error_report_err(err);
        return true;
    }
    if (props) {
        qemu_printf("%s options:\n", driver);
    } else {
        qemu_printf("There are no options for %s.\n", driver);
    }
    lines = g_ptr_array_new_with_free_func(g_free);
    for (ObjectPropertyInfoList *l = props; l; l = l->next) {
        g_ptr_array_add(lines, property_help(l->value));
    }
    g_ptr_array_sort(lines, pstrcmp);
    for (guint i = 0; i < lines->len; i++) {
        qemu_printf("%s\n", (char *)lines->pdata[i]);
    }
    qapi_free_ObjectPropertyInfoList(props);
    return true;
}
