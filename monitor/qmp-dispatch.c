/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * From a parsed request to a response: shape checks with QEMU's error
 * texts, the negotiation gate, then the generated marshaller.
 */
#include <string.h>
#include "qapi/error.h"
#include "hw/qdev-core.h"
#include "qapi/qapi-commands.h"
#include "monitor/monitor-internal.h"

JsonObject *qmp_error_response(const GError *err)
{
    JsonObject *rsp = json_object_new();
    JsonObject *e = json_object_new();

    json_object_set_string_member(e, "class",
                                  error_class_name(error_get_class(err)));
    json_object_set_string_member(e, "desc", err->message);
    json_object_set_object_member(rsp, "error", e);
    return rsp;
}

/*
 * The checks QEMU makes on the request object, in its order: member types
 * and unknown members first, then the presence of 'execute'.
 */
static bool check_request(Monitor *mon, JsonObject *req, const char **name,
                          bool *oob, GError **errp)
{
    JsonObjectIter it;
    const char *key;
    JsonNode *val;

    *name = NULL;
    *oob = false;
    json_object_iter_init_ordered(&it, req);
    while (json_object_iter_next_ordered(&it, &key, &val)) {
        if (!strcmp(key, "execute") ||
            (!strcmp(key, "exec-oob") && mon->oob_enabled)) {
            if (!JSON_NODE_HOLDS_VALUE(val) ||
                json_node_get_value_type(val) != G_TYPE_STRING) {
                error_setg(errp, "QMP input member '%s' must be a string",
                           key);
                return false;
            }
            *name = json_node_get_string(val);
            *oob = key[4] == '-';
        } else if (!strcmp(key, "arguments")) {
            if (!JSON_NODE_HOLDS_OBJECT(val)) {
                error_setg(errp,
                           "QMP input member 'arguments' must be an object");
                return false;
            }
        } else if (strcmp(key, "id")) {
            error_setg(errp, "QMP input member '%s' is unexpected", key);
            return false;
        }
    }
    if (!*name) {
        error_setg(errp, "QMP input lacks member 'execute'");
        return false;
    }
    return true;
}

/* Commands switched off in this process (name -> reason). */
static GHashTable *disabled;

void qmp_disable_command(const char *name, const char *reason)
{
    if (!disabled) {
        disabled = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                         g_free);
    }
    g_hash_table_insert(disabled, g_strdup(name), g_strdup(reason));
}

static JsonObject *run_command(Monitor *mon, JsonObject *req, GError **errp)
{
    const char *name;
    const QmpCommand *cmd;
    JsonObject *args = NULL;
    JsonNode *ret = NULL;
    JsonObject *rsp;
    bool oob;

    if (!check_request(mon, req, &name, &oob, errp)) {
        return NULL;
    }
    cmd = qmp_find_command(name);
    if (mon->negotiating && (!cmd || strcmp(name, "qmp_capabilities"))) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Expecting capabilities negotiation with "
                  "'qmp_capabilities'");
        return NULL;
    }
    if (!cmd) {
        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "The command %s has not been found", name);
        return NULL;
    }
    if (disabled && g_hash_table_contains(disabled, name)) {
        const char *why = g_hash_table_lookup(disabled, name);

        error_set(errp, ERROR_CLASS_COMMAND_NOT_FOUND,
                  "Command %s has been disabled%s%s", name,
                  why ? ": " : "", why ? why : "");
        return NULL;
    }
    if (oob) {
        /* No command here is safe to run out of band. */
        error_setg(errp, "The command %s does not support OOB", name);
        return NULL;
    }
    if (!cmd->allow_preconfig && !qdev_machine_creation_done_p()) {
        /* --preconfig: only what QEMU's schema allows before the machine. */
        error_setg(errp, "The command '%s' is permitted only after machine "
                   "initialization has completed", name);
        return NULL;
    }
    if (json_object_has_member(req, "arguments")) {
        args = json_object_get_object_member(req, "arguments");
    }
    cmd->fn(args, &ret, errp);
    if (errp && *errp) {
        if (ret) {
            json_node_unref(ret);
        }
        return NULL;
    }
    rsp = json_object_new();
    if (!ret) {
        /* A hand-written marshaller that returns nothing: QEMU's {}. */
        g_autoptr(JsonObject) empty = json_object_new();

        ret = json_node_init_object(json_node_alloc(), empty);
    }
    json_object_set_member(rsp, "return", ret);
    return rsp;
}

JsonObject *qmp_dispatch(Monitor *mon, JsonNode *request)
{
    GError *err = NULL;
    JsonObject *req;
    JsonObject *rsp;

    if (!JSON_NODE_HOLDS_OBJECT(request)) {
        error_setg(&err, "QMP input must be a JSON object");
        rsp = qmp_error_response(err);
        g_error_free(err);
        return rsp;
    }
    req = json_node_get_object(request);
    rsp = run_command(mon, req, &err);
    if (!rsp) {
        rsp = qmp_error_response(err);
        g_error_free(err);
    }
    if (json_object_has_member(req, "id")) {
        json_object_set_member(rsp, "id",
                               json_node_copy(json_object_get_member(req,
                                                                     "id")));
    }
    return rsp;
}
