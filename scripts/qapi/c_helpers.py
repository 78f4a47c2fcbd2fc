# SPDX-License-Identifier: GPL-2.0-or-later
"""C support code pasted into the generated visitor and command files.

Static helpers, so that a test schema generated with a prefix can live in
the same program as the main schema without clashing symbols.
"""

VISIT_HELPERS = r'''#include <string.h>
#include "qemu/json-num.h"
static G_GNUC_UNUSED char *qapi_member_name(const char *prefix,
                                            const char *member)
{
    return prefix ? g_strdup_printf("%s.%s", prefix, member)
                  : g_strdup(member);
}

/*
 * QEMU names a bad enum or integer value by the member alone, and a list
 * element by "null": "a[0].mode" -> "mode", "enable[0]" -> "null".
 */
static G_GNUC_UNUSED const char *qapi_short_name(const char *name)
{
    const char *dot;

    if (!name || g_str_has_suffix(name, "]")) {
        return "null";
    }
    dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

static G_GNUC_UNUSED void qapi_type_error(GError **errp, const char *name,
                                          const char *expected)
{
    error_setg(errp, "Invalid parameter type for '%s', expected: %s",
               name ? name : "null", expected);
}

static G_GNUC_UNUSED bool qapi_check_unexpected(JsonObject *o,
                                                const char *name,
                                                const char *const *known,
                                                GError **errp)
{
    JsonObjectIter it;
    const char *key;
    JsonNode *val;

    json_object_iter_init(&it, o);
    while (json_object_iter_next(&it, &key, &val)) {
        const char *const *k;

        for (k = known; *k && strcmp(*k, key); k++) {
        }
        if (!*k) {
            g_autofree char *full = qapi_member_name(name, key);

            error_setg(errp, "Parameter '%s' is unexpected", full);
            return false;
        }
    }
    return true;
}

static G_GNUC_UNUSED bool qapi_holds(JsonNode *node, GType type)
{
    return JSON_NODE_HOLDS_VALUE(node) &&
           json_node_get_value_type(node) == type;
}

static G_GNUC_UNUSED bool qapi_in_str(JsonNode *node, const char *name,
                                      char **obj, GError **errp)
{
    if (!qapi_holds(node, G_TYPE_STRING)) {
        qapi_type_error(errp, name, "string");
        return false;
    }
    *obj = g_strdup(json_node_get_string(node));
    return true;
}

static G_GNUC_UNUSED bool qapi_in_bool(JsonNode *node, const char *name,
                                       bool *obj, GError **errp)
{
    if (!qapi_holds(node, G_TYPE_BOOLEAN)) {
        qapi_type_error(errp, name, "boolean");
        return false;
    }
    *obj = json_node_get_boolean(node);
    return true;
}

static G_GNUC_UNUSED bool qapi_in_number(JsonNode *node, const char *name,
                                         double *obj, GError **errp)
{
    if (!qapi_holds(node, G_TYPE_DOUBLE) && !json_node_is_integer(node)) {
        qapi_type_error(errp, name, "number");
        return false;
    }
    *obj = json_node_get_number(node);
    return true;
}

static G_GNUC_UNUSED bool qapi_in_any(JsonNode *node, const char *name,
                                      JsonNode **obj, GError **errp)
{
    *obj = json_node_copy(node);
    return true;
}

/*
 * Integers as QEMU's QObject input visitor checks them: int64 takes what
 * fits int64 (not 2^63 and up, nor a double such as 2^64 or 1e400)...
 */
static G_GNUC_UNUSED bool qapi_in_int64(JsonNode *node, const char *name,
                                        int64_t *obj, GError **errp)
{
    if (!json_node_get_try_int(node, obj)) {
        qapi_type_error(errp, name, "integer");
        return false;
    }
    return true;
}

/* ...uint64 takes any 64-bit integer, negative ones wrapping, as QEMU... */
static G_GNUC_UNUSED bool qapi_in_uint64(JsonNode *node, const char *name,
                                         uint64_t *obj, GError **errp)
{
    int64_t v;

    if (json_node_get_try_uint(node, obj)) {
        return true;
    }
    if (json_node_get_try_int(node, &v)) {
        *obj = v;
        return true;
    }
    error_setg(errp, "Parameter '%s' expects uint64", name ? name : "null");
    return false;
}

/* ...and a sized one is read as 64 bits, then range-checked. */
#define QAPI_IN_SIZED(type, ctype, wide, wide_ctype, check)                 \
static G_GNUC_UNUSED bool qapi_in_##type(JsonNode *node, const char *name, \
                                         ctype *obj, GError **errp)        \
{                                                                           \
    wide_ctype v;                                                           \
                                                                            \
    if (!qapi_in_##wide(node, name, &v, errp)) {                            \
        return false;                                                       \
    }                                                                       \
    if (!(check)) {                                                         \
        error_setg(errp, "Parameter '%s' expects %s",                       \
                   qapi_short_name(name), #ctype);                          \
        return false;                                                       \
    }                                                                       \
    *obj = v;                                                               \
    return true;                                                            \
}

QAPI_IN_SIZED(int8, int8_t, int64, int64_t, v >= INT8_MIN && v <= INT8_MAX)
QAPI_IN_SIZED(int16, int16_t, int64, int64_t, v >= INT16_MIN && v <= INT16_MAX)
QAPI_IN_SIZED(int32, int32_t, int64, int64_t, v >= INT32_MIN && v <= INT32_MAX)
QAPI_IN_SIZED(uint8, uint8_t, uint64, uint64_t, v <= UINT8_MAX)
QAPI_IN_SIZED(uint16, uint16_t, uint64, uint64_t, v <= UINT16_MAX)
QAPI_IN_SIZED(uint32, uint32_t, uint64, uint64_t, v <= UINT32_MAX)

static G_GNUC_UNUSED JsonNode *qapi_out_str(const char *s)
{
    JsonNode *n = json_node_alloc();

    json_node_init_string(n, s ? s : "");
    return n;
}

static G_GNUC_UNUSED JsonNode *qapi_out_int64(int64_t v)
{
    return json_node_init_int(json_node_alloc(), v);
}

#define qapi_out_int8 qapi_out_int64
#define qapi_out_int16 qapi_out_int64
#define qapi_out_int32 qapi_out_int64
#define qapi_out_uint8 qapi_out_int64
#define qapi_out_uint16 qapi_out_int64
#define qapi_out_uint32 qapi_out_int64
#define qapi_out_uint64 json_node_new_uint

static G_GNUC_UNUSED JsonNode *qapi_out_bool(bool v)
{
    return json_node_init_boolean(json_node_alloc(), v);
}

static G_GNUC_UNUSED JsonNode *qapi_out_number(double v)
{
    return json_node_init_double(json_node_alloc(), v);
}

static G_GNUC_UNUSED JsonNode *qapi_out_any(JsonNode *v)
{
    return v ? json_node_copy(v) : json_node_new(JSON_NODE_NULL);
}
'''

COMMAND_HELPERS = r'''#include <string.h>
/* The arguments as a node for the visitors; absent means {}. */
static G_GNUC_UNUSED JsonNode *qapi_args_node(JsonObject *args)
{
    JsonNode *node = json_node_alloc();

    if (args) {
        json_node_init_object(node, args);
    } else {
        g_autoptr(JsonObject) empty = json_object_new();

        json_node_init_object(node, empty);
    }
    return node;
}

static G_GNUC_UNUSED bool qapi_no_args(JsonObject *args, GError **errp)
{
    GList *names;

    if (!args || json_object_get_size(args) == 0) {
        return true;
    }
    names = json_object_get_members(args);
    error_setg(errp, "Parameter '%s' is unexpected",
               (const char *)names->data);
    g_list_free(names);
    return false;
}

static G_GNUC_UNUSED JsonNode *qapi_empty_object(void)
{
    g_autoptr(JsonObject) o = json_object_new();

    return json_node_init_object(json_node_alloc(), o);
}
'''
