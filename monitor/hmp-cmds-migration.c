/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HMP migration commands: migrate, migrate_cancel, migrate_incoming,
 * migrate_set_capability, migrate_set_parameter and the info pages.  They
 * only call migration's QMP commands.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-visit.h"
#include "qemu/json-num.h"
#include "qemu/option.h"
#include "monitor/hmp-internal.h"
#include "monitor/monitor-internal.h"

void hmp_migrate(MonitorHMP *mon, JsonObject *args)
{
    bool blk = hmp_arg_bool(args, "blk", false);
    bool inc = hmp_arg_bool(args, "inc", false);
    GError *err = NULL;

    qmp_migrate(hmp_arg_str(args, "uri"), blk, blk, inc, inc, false, false,
                true, hmp_arg_bool(args, "resume", false), &err);
    if (hmp_handle_error(mon, err) || hmp_arg_bool(args, "detach", false)) {
        return;
    }
    /* Only a monitor with a terminal can hold its prompt until the end. */
    if (!mon->interactive) {
        hmp_printf(mon, "terminal does not allow synchronous migration, "
                   "continuing detached\n");
        return;
    }
    mon->wait_migration = true;
}

bool hmp_migration_running(GError **err_out)
{
    g_autoptr(MigrationInfo) info = qmp_query_migrate(NULL);

    /* As QEMU's monitor: only setup and active keep it waiting. */
    if (!info || !info->has_status ||
        info->status == MIGRATION_STATUS_SETUP ||
        info->status == MIGRATION_STATUS_ACTIVE) {
        return true;
    }
    if (info->error_desc) {
        g_set_error_literal(err_out, BATON_ERROR,
                            ERROR_CLASS_GENERIC_ERROR, info->error_desc);
    }
    return false;
}

void hmp_migrate_cancel(MonitorHMP *mon, JsonObject *args)
{
    qmp_migrate_cancel(NULL);
}

void hmp_migrate_incoming(MonitorHMP *mon, JsonObject *args)
{
    GError *err = NULL;

    qmp_migrate_incoming(hmp_arg_str(args, "uri"), &err);
    hmp_handle_error(mon, err);
}

void hmp_migrate_set_capability(MonitorHMP *mon, JsonObject *args)
{
    MigrationCapabilityStatusList caps = { 0 };
    MigrationCapabilityStatus cap = { 0 };
    GError *err = NULL;
    int val = qapi_enum_parse(&MigrationCapability_lookup,
                              hmp_arg_str(args, "capability"), -1, &err);

    if (val >= 0) {
        cap.capability = val;
        cap.state = hmp_arg_bool(args, "state", false);
        caps.value = &cap;
        qmp_migrate_set_capabilities(&caps, &err);
    }
    hmp_handle_error(mon, err);
}

/* ---- migrate_set_parameter -------------------------------------------- */

/* The introspection entry named name in the schema, or NULL. */
static JsonObject *schema_entry(JsonArray *schema, const char *name)
{
    for (guint i = 0; name && i < json_array_get_length(schema); i++) {
        JsonObject *e = json_array_get_object_element(schema, i);

        if (!g_strcmp0(json_object_get_string_member(e, "name"), name)) {
            return e;
        }
    }
    return NULL;
}

/*
 * The schema type of migrate-set-parameters' member param, read from
 * query-qmp-schema's data so the table is the schema itself.  Builtin
 * types give their name ("size", "uint8", "bool", "str"), enums "enum".
 */
static char *parameter_type(const char *param)
{
    JsonArray *schema = json_node_get_array(qmp_schema_node());
    JsonObject *cmd, *args, *type;
    JsonArray *members;

    cmd = schema_entry(schema, "migrate-set-parameters");
    args = cmd ? schema_entry(schema, json_object_get_string_member(
                                  cmd, "arg-type")) : NULL;
    members = args ? json_object_get_array_member(args, "members") : NULL;
    for (guint i = 0; members && i < json_array_get_length(members); i++) {
        JsonObject *m = json_array_get_object_element(members, i);
        const char *tname = json_object_get_string_member(m, "type");

        if (strcmp(json_object_get_string_member(m, "name"), param)) {
            continue;
        }
        type = schema_entry(schema, tname);
        if (type && !g_strcmp0(json_object_get_string_member_with_default(
                                   type, "meta-type", NULL), "enum")) {
            return g_strdup("enum");
        }
        return g_strdup(tname);
    }
    return NULL;
}

/* valuestr as the JSON value of a member of schema type type. */
static JsonNode *parameter_value(const char *param, const char *type,
                                 const char *valuestr, GError **errp)
{
    uint64_t u;
    char *end;
    bool b;

    if (!strcmp(type, "bool")) {
        return qapi_bool_parse(param, valuestr, &b, errp) ?
               json_node_init_boolean(json_node_alloc(), b) : NULL;
    }
    if (!strcmp(type, "size")) {
        /* QEMU's monitor reads max-bandwidth in MiB by default. */
        if (!strcmp(param, "max-bandwidth")) {
            if (!qemu_strtosz_MiB(param, valuestr, &u, NULL) ||
                u > INT64_MAX) {
                error_setg(errp, "Invalid size %s", valuestr);
                return NULL;
            }
        } else if (!qemu_strtosz(param, valuestr, &u, NULL)) {
            error_setg(errp, "Parameter '%s' expects size", param);
            return NULL;
        }
        return json_node_new_uint(u);
    }
    if (g_str_has_prefix(type, "int") || g_str_has_prefix(type, "uint")) {
        errno = 0;
        u = g_ascii_strtoull(valuestr, &end, 0);
        if (errno || end == valuestr || *end || *valuestr == '-') {
            error_setg(errp, "Parameter '%s' expects a uint64 value or range",
                       param);
            return NULL;
        }
        return json_node_new_uint(u);
    }
    return json_node_init_string(json_node_alloc(), valuestr);
}

void hmp_migrate_set_parameter(MonitorHMP *mon, JsonObject *args)
{
    const char *param = hmp_arg_str(args, "parameter");
    g_autofree char *type = parameter_type(param);
    const QmpCommand *cmd = qmp_find_command("migrate-set-parameters");
    GError *err = NULL;
    JsonNode *val;

    if (!type || !cmd) {
        error_setg(&err, "invalid parameter value: %s", param);
        hmp_handle_error(mon, err);
        return;
    }
    val = parameter_value(param, type, hmp_arg_str(args, "value"), &err);
    if (val) {
        g_autoptr(JsonObject) obj = json_object_new();
        JsonNode *ret = NULL;

        json_object_set_member(obj, param, val);
        cmd->fn(obj, &ret, &err);
        if (ret) {
            json_node_unref(ret);
        }
    }
    hmp_handle_error(mon, err);
}

/* ---- info ------------------------------------------------------------- */

void hmp_info_migrate(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(MigrationInfo) info = qmp_query_migrate(NULL);
    MigrationStats *ram;

    if (!info) {
        return;
    }
    if (info->blocked_reasons) {
        hmp_printf(mon, "Outgoing migration blocked:\n");
        for (strList *r = info->blocked_reasons; r; r = r->next) {
            hmp_printf(mon, "  %s\n", r->value);
        }
    }
    if (info->has_status) {
        hmp_printf(mon, "Migration status: %s",
                   MigrationStatus_str(info->status));
        if (info->status == MIGRATION_STATUS_FAILED && info->error_desc) {
            hmp_printf(mon, " (%s)\n", info->error_desc);
        } else {
            hmp_printf(mon, "\n");
        }
        hmp_printf(mon, "total time: %" PRIu64 " ms\n",
                   (uint64_t)info->total_time);
        if (info->has_expected_downtime) {
            hmp_printf(mon, "expected downtime: %" PRIu64 " ms\n",
                       (uint64_t)info->expected_downtime);
        } else if (info->has_downtime) {
            hmp_printf(mon, "downtime: %" PRIu64 " ms\n",
                       (uint64_t)info->downtime);
        }
        if (info->has_setup_time) {
            hmp_printf(mon, "setup: %" PRIu64 " ms\n",
                       (uint64_t)info->setup_time);
        }
    }
    ram = info->ram;
    if (!ram) {
        return;
    }
    hmp_printf(mon, "transferred ram: %" PRIu64 " kbytes\n",
               (uint64_t)ram->transferred >> 10);
    hmp_printf(mon, "throughput: %0.2f mbps\n", ram->mbps);
    hmp_printf(mon, "remaining ram: %" PRIu64 " kbytes\n",
               (uint64_t)ram->remaining >> 10);
    hmp_printf(mon, "total ram: %" PRIu64 " kbytes\n",
               (uint64_t)ram->total >> 10);
    hmp_printf(mon, "duplicate: %" PRIu64 " pages\n",
               (uint64_t)ram->duplicate);
    hmp_printf(mon, "skipped: %" PRIu64 " pages\n", (uint64_t)ram->skipped);
    hmp_printf(mon, "normal: %" PRIu64 " pages\n", (uint64_t)ram->normal);
    hmp_printf(mon, "normal bytes: %" PRIu64 " kbytes\n",
               (uint64_t)ram->normal_bytes >> 10);
    hmp_printf(mon, "dirty sync count: %" PRIu64 "\n",
               (uint64_t)ram->dirty_sync_count);
    hmp_printf(mon, "page size: %" PRIu64 " kbytes\n",
               (uint64_t)ram->page_size >> 10);
    hmp_printf(mon, "multifd bytes: %" PRIu64 " kbytes\n",
               ram->multifd_bytes >> 10);
    hmp_printf(mon, "pages-per-second: %" PRIu64 "\n",
               ram->pages_per_second);
    if (ram->dirty_pages_rate) {
        hmp_printf(mon, "dirty pages rate: %" PRIu64 " pages\n",
                   (uint64_t)ram->dirty_pages_rate);
    }
    if (ram->postcopy_requests) {
        hmp_printf(mon, "postcopy request count: %" PRIu64 "\n",
                   (uint64_t)ram->postcopy_requests);
    }
    if (ram->precopy_bytes) {
        hmp_printf(mon, "precopy ram: %" PRIu64 " kbytes\n",
                   ram->precopy_bytes >> 10);
    }
    if (ram->downtime_bytes) {
        hmp_printf(mon, "downtime ram: %" PRIu64 " kbytes\n",
                   ram->downtime_bytes >> 10);
    }
    if (ram->postcopy_bytes) {
        hmp_printf(mon, "postcopy ram: %" PRIu64 " kbytes\n",
                   ram->postcopy_bytes >> 10);
    }
}

void hmp_info_migrate_capabilities(MonitorHMP *mon, JsonObject *args)
{
    MigrationCapabilityStatusList *caps = qmp_query_migrate_capabilities(NULL);

    for (MigrationCapabilityStatusList *c = caps; c; c = c->next) {
        hmp_printf(mon, "%s: %s\n",
                   MigrationCapability_str(c->value->capability),
                   c->value->state ? "on" : "off");
    }
    qapi_free_MigrationCapabilityStatusList(caps);
}

/* The unit QEMU's "info migrate_parameters" writes after a value. */
static const char *parameter_unit(const char *name)
{
    static const char *const units[][2] = {
        { "announce-initial", " ms" }, { "announce-max", " ms" },
        { "announce-step", " ms" }, { "max-bandwidth", " bytes/second" },
        { "downtime-limit", " ms" }, { "x-checkpoint-delay", " ms" },
        { "xbzrle-cache-size", " bytes" },
        { "x-vcpu-dirty-limit-period", " ms" },
        { "vcpu-dirty-limit", " MB/s" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(units); i++) {
        if (!strcmp(units[i][0], name)) {
            return units[i][1];
        }
    }
    return "";
}

void hmp_info_migrate_parameters(MonitorHMP *mon, JsonObject *args)
{
    g_autoptr(MigrationParameters) params =
        qmp_query_migrate_parameters(NULL);
    g_autoptr(JsonNode) node = NULL;
    JsonObjectIter it;
    const char *name;
    JsonNode *val;

    if (!params) {
        return;
    }
    /* Every parameter in schema order, printed as QEMU prints its type. */
    node = qapi_MigrationParameters_to_json(params);
    json_object_iter_init_ordered(&it, json_node_get_object(node));
    while (json_object_iter_next_ordered(&it, &name, &val)) {
        GType t = JSON_NODE_HOLDS_VALUE(val) ? json_node_get_value_type(val)
                                             : G_TYPE_INVALID;

        if (t == G_TYPE_BOOLEAN) {
            hmp_printf(mon, "%s: %s\n", name,
                       json_node_get_boolean(val) ? "on" : "off");
        } else if (t == G_TYPE_INT64) {
            hmp_printf(mon, "%s: %" PRIu64 "%s\n", name,
                       (uint64_t)json_node_get_int(val),
                       parameter_unit(name));
        } else if (t == G_TYPE_STRING && g_str_has_prefix(name, "tls-")) {
            hmp_printf(mon, "%s: '%s'\n", name, json_node_get_string(val));
        } else if (t == G_TYPE_STRING) {
            hmp_printf(mon, "%s: %s\n", name, json_node_get_string(val));
        }
    }
}
