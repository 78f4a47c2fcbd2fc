/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP commands that act: each calls the QMP command doing the work and
 * prints its error as QEMU does ("Error: ...").
 */
#include <string.h>
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qemu/option.h"
#include "qemu/qemu-print.h"
#include "qom/object_interfaces.h"
#include "net/net.h"
#include "system/qdev-monitor.h"
#include "monitor/monitor.h"
#include "qemu/json-stream.h"
#include "monitor/hmp-internal.h"

void hmp_quit(MonitorHMP *mon, JsonObject *args)
{
    /* The process is going: a readline monitor reads and prompts no more. */
    mon->quitting = true;
    qmp_quit(NULL);
}

/* A QMP command without arguments or result: run it, print its error. */
static void run_plain(MonitorHMP *mon, void (*fn)(GError **))
{
    GError *err = NULL;

    fn(&err);
    hmp_handle_error(mon, err);
}

void hmp_exit_preconfig(MonitorHMP *mon, JsonObject *args)
{
    run_plain(mon, qmp_x_exit_preconfig);
}

void hmp_stop(MonitorHMP *mon, JsonObject *args)
{
    run_plain(mon, qmp_stop);
}

void hmp_cont(MonitorHMP *mon, JsonObject *args)
{
    run_plain(mon, qmp_cont);
}

void hmp_system_reset(MonitorHMP *mon, JsonObject *args)
{
    run_plain(mon, qmp_system_reset);
}

void hmp_system_powerdown(MonitorHMP *mon, JsonObject *args)
{
    run_plain(mon, qmp_system_powerdown);
}

void hmp_cpu(MonitorHMP *mon, JsonObject *args)
{
    if (!hmp_set_cpu(mon, hmp_arg_int(args, "index", -1))) {
        hmp_printf(mon, "invalid CPU index\n");
    }
}

/* "key=value,..." as the JSON object of strings a QMP command takes. */
static JsonObject *opts_to_json(const QemuOpts *opts)
{
    JsonObject *obj = json_object_new();

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        json_object_set_string_member(obj, o->name, o->str);
    }
    return obj;
}

/*
 * Options given to an 'O' argument (the parser checked their syntax);
 * none given: empty options.
 */
static QemuOpts *hmp_arg_opts(JsonObject *args, const char *name,
                              const char *implied)
{
    const char *text = hmp_arg_str(args, name);

    return text ? qemu_opts_parse(text, implied, NULL) : qemu_opts_new();
}

/* Run a hand-marshalled QMP command (device_add, netdev_add). */
static void run_marshalled(MonitorHMP *mon,
                           void (*fn)(JsonObject *, JsonNode **, GError **),
                           const QemuOpts *opts)
{
    g_autoptr(JsonObject) obj = opts_to_json(opts);
    JsonNode *ret = NULL;
    GError *err = NULL;

    fn(obj, &ret, &err);
    if (ret) {
        json_node_unref(ret);
    }
    hmp_handle_error(mon, err);
}

void hmp_device_add(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(QemuOpts) opts = hmp_arg_opts(args, "device", "driver");

    /* "help" and "DRIVER,help" print what -device would print. */
    if (qdev_device_help(opts)) {
        return;
    }
    run_marshalled(mon, qmp_marshal_device_add, opts);
}

void hmp_device_del(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;

    qmp_device_del(hmp_arg_str(args, "id"), &err);
    hmp_handle_error(mon, err);
}

void hmp_netdev_add(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(QemuOpts) opts = hmp_arg_opts(args, "netdev", "type");
    const char *type = qemu_opt_get(opts, "type");
    GError *err = NULL;

    if (type && (!strcmp(type, "help") || !strcmp(type, "?"))) {
        qemu_printf("Available netdev backend types:\n");
        net_print_backend_types();
        return;
    }
    /* As -netdev (and QEMU's monitor): key=value text, not typed JSON. */
    net_client_init(opts, true, &err);
    hmp_handle_error(mon, err);
}

void hmp_netdev_del(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;

    qmp_netdev_del(hmp_arg_str(args, "id"), &err);
    hmp_handle_error(mon, err);
}

void hmp_set_link(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;

    qmp_set_link(hmp_arg_str(args, "name"), hmp_arg_bool(args, "up", true),
                 &err);
    hmp_handle_error(mon, err);
}

void hmp_object_add(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;
    g_autoptr(QemuOpts) opts = qemu_opts_parse(hmp_arg_str(args, "object"),
                                               "qom-type", &err);

    if (opts && !user_creatable_print_help(opts)) {
        user_creatable_add_opts(opts, &err);
    }
    hmp_handle_error(mon, err);
}

void hmp_object_del(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;

    qmp_object_del(hmp_arg_str(args, "id"), &err);
    hmp_handle_error(mon, err);
}

void hmp_balloon(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;

    qmp_balloon(hmp_arg_int(args, "value", 0), &err);
    hmp_handle_error(mon, err);
}

void hmp_qom_list(MonitorHMP *mon, JsonObject *args)
{
    const char *path = hmp_arg_str(args, "path");
    ObjectPropertyInfoList *list;
    GError *err = NULL;

    if (!path) {
        hmp_printf(mon, "/\n");
        return;
    }
    list = qmp_qom_list(path, &err);
    for (ObjectPropertyInfoList *l = list; l; l = l->next) {
        hmp_printf(mon, "%s (%s)\n", l->value->name, l->value->type);
    }
    qapi_free_ObjectPropertyInfoList(list);
    hmp_handle_error(mon, err);
}

void hmp_qom_get(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;
    JsonNode *val = qmp_qom_get(hmp_arg_str(args, "path"),
                                hmp_arg_str(args, "property"), &err);

    if (!err) {
        g_autofree char *text = val ? qmp_json_to_string(val, true)
                                    : g_strdup("null");

        hmp_printf(mon, "%s\n", text);
    }
    if (val) {
        json_node_unref(val);
    }
    hmp_handle_error(mon, err);
}

void hmp_qom_set(MonitorHMP *mon, JsonObject *args)
{
    const char *path = hmp_arg_str(args, "path");
    const char *prop = hmp_arg_str(args, "property");
    const char *value = hmp_arg_str(args, "value");
    GError *err = NULL;

    if (hmp_arg_bool(args, "json", false)) {
        JsonNode *val = json_parse_string(value, &err);

        if (val) {
            qmp_qom_set(path, prop, val, &err);
            json_node_unref(val);
        }
    } else {
        bool ambiguous = false;
        Object *obj = object_resolve_path(path, &ambiguous);

        if (!obj) {
            error_set(&err, ERROR_CLASS_DEVICE_NOT_FOUND,
                      "Device '%s' not found", path);
        } else {
            if (ambiguous) {
                hmp_printf(mon, "Warning: Path '%s' is ambiguous\n", path);
            }
            object_property_parse(obj, prop, value, &err);
        }
    }
    hmp_handle_error(mon, err);
}
