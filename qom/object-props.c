/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Properties: adding, finding, listing and deleting them, getting and
 * setting them as JSON values or as C types, and the ready-made str, bool
 * and integer-pointer kinds.  Links and children, which tie properties to
 * the composition tree, are in object.c.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "qom/object.h"
#include "qom/object-internal.h"
#include "qapi/error.h"
#include "qemu/json-num.h"
#include "qemu/option.h"

void object_property_free(ObjectProperty *prop)
{
    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    if (prop->defval) {
        json_node_unref(prop->defval);
    }
    g_free(prop);
}

/* Properties */

static ObjectProperty *property_new(const char *name, const char *type,
                                    ObjectPropertyGet *get,
                                    ObjectPropertySet *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque)
{
    ObjectProperty *prop = g_new0(ObjectProperty, 1);

    prop->name = g_strdup(name);
    prop->type = g_strdup(type);
    prop->get = get;
    prop->set = set;
    prop->release = release;
    prop->opaque = opaque;
    return prop;
}

ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type, ObjectPropertyGet *get,
                                    ObjectPropertySet *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque)
{
    ObjectProperty *prop;
    size_t len = strlen(name);

    if (len >= 3 && !strcmp(name + len - 3, "[*]")) {
        g_autofree char *base = g_strndup(name, len - 3);

        for (int i = 0; i < INT_MAX; i++) {
            g_autofree char *full = g_strdup_printf("%s[%d]", base, i);

            if (!object_property_find(obj, full)) {
                return object_property_add(obj, full, type, get, set,
                                           release, opaque);
            }
        }
        return NULL;
    }
    if (object_property_find(obj, name)) {
        return NULL;
    }
    prop = property_new(name, type, get, set, release, opaque);
    g_hash_table_insert(obj->properties, prop->name, prop);
    g_ptr_array_add(obj->prop_order, prop);
    return prop;
}

ObjectProperty *object_class_property_add(ObjectClass *oc, const char *name,
                                          const char *type,
                                          ObjectPropertyGet *get,
                                          ObjectPropertySet *set,
                                          ObjectPropertyRelease *release,
                                          void *opaque)
{
    ObjectProperty *prop;

    /* Two class properties with one name is a bug in a class_init. */
    g_assert(!object_class_property_find(oc, name));
    prop = property_new(name, type, get, set, release, opaque);
    g_hash_table_insert(oc->properties, prop->name, prop);
    return prop;
}

void object_property_set_description(ObjectProperty *prop, const char *desc)
{
    g_free(prop->description);
    prop->description = g_strdup(desc);
}

void object_property_del(Object *obj, const char *name)
{
    ObjectProperty *prop = g_hash_table_lookup(obj->properties, name);

    if (!prop) {
        return;
    }
    g_hash_table_remove(obj->properties, name);
    g_ptr_array_remove(obj->prop_order, prop);
    if (prop->release) {
        prop->release(obj, prop);
    }
    object_property_free(prop);
}

ObjectProperty *object_class_property_find(ObjectClass *oc, const char *name)
{
    for (; oc; oc = object_class_get_parent(oc)) {
        ObjectProperty *prop = g_hash_table_lookup(oc->properties, name);
        if (prop) {
            return prop;
        }
    }
    return NULL;
}

ObjectProperty *object_property_find(Object *obj, const char *name)
{
    ObjectProperty *prop = g_hash_table_lookup(obj->properties, name);

    return prop ? prop : object_class_property_find(obj->klass, name);
}

static gint prop_name_cmp(gconstpointer a, gconstpointer b)
{
    const ObjectProperty *pa = *(ObjectProperty *const *)a;
    const ObjectProperty *pb = *(ObjectProperty *const *)b;

    return strcmp(pa->name, pb->name);
}

/* Class properties of oc and its parents, most derived first, each by name. */
static void class_props_collect(ObjectClass *oc, GPtrArray *out,
                                GHashTable *seen)
{
    for (; oc; oc = object_class_get_parent(oc)) {
        g_autoptr(GPtrArray) level = g_ptr_array_new();
        GHashTableIter iter;
        gpointer value;

        g_hash_table_iter_init(&iter, oc->properties);
        while (g_hash_table_iter_next(&iter, NULL, &value)) {
            g_ptr_array_add(level, value);
        }
        g_ptr_array_sort(level, prop_name_cmp);
        for (guint i = 0; i < level->len; i++) {
            ObjectProperty *prop = level->pdata[i];
            if (!g_hash_table_contains(seen, prop->name)) {
                g_hash_table_add(seen, prop->name);
                g_ptr_array_add(out, prop);
            }
        }
    }
}

void object_property_foreach(Object *obj,
                             void (*fn)(ObjectProperty *prop, void *opaque),
                             void *opaque)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    for (guint i = 0; i < obj->prop_order->len; i++) {
        ObjectProperty *prop = obj->prop_order->pdata[i];
        g_hash_table_add(seen, prop->name);
        g_ptr_array_add(all, prop);
    }
    class_props_collect(obj->klass, all, seen);
    /* Collected first: fn may add or remove properties. */
    for (guint i = 0; i < all->len; i++) {
        fn(all->pdata[i], opaque);
    }
}

void object_class_property_foreach(ObjectClass *oc,
                                   void (*fn)(ObjectProperty *prop,
                                              void *opaque),
                                   void *opaque)
{
    g_autoptr(GPtrArray) all = g_ptr_array_new();
    g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);

    class_props_collect(oc, all, seen);
    for (guint i = 0; i < all->len; i++) {
        fn(all->pdata[i], opaque);
    }
}

static ObjectProperty *object_property_find_err(Object *obj, const char *name,
                                                GError **errp)
{
    ObjectProperty *prop = object_property_find(obj, name);

    if (!prop) {
        error_setg(errp, "Property '%s.%s' not found",
                   object_get_typename(obj), name);
    }
    return prop;
}

JsonNode *object_property_get(Object *obj, const char *name, GError **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return NULL;
    }
    if (!prop->get) {
        error_setg(errp, "Property '%s.%s' is not readable",
                   object_get_typename(obj), name);
        return NULL;
    }
    return prop->get(obj, prop, errp);
}

bool object_property_set(Object *obj, const char *name, JsonNode *value,
                         GError **errp)
{
    ObjectProperty *prop = object_property_find_err(obj, name, errp);

    if (!prop) {
        return false;
    }
    if (!prop->set) {
        error_setg(errp, "Property '%s.%s' is not writable",
                   object_get_typename(obj), name);
        return false;
    }
    return prop->set(obj, prop, value, errp);
}

bool object_property_parse(Object *obj, const char *name, const char *string,
                           GError **errp)
{
    g_autoptr(JsonNode) value = qom_value_from_str(string);

    return object_property_set(obj, name, value, errp);
}

char *object_property_get_str(Object *obj, const char *name, GError **errp)
{
    g_autoptr(JsonNode) value = object_property_get(obj, name, errp);
    const char *s;

    if (!value || !qom_value_to_str(value, name, &s, errp)) {
        return NULL;
    }
    return g_strdup(s);
}

bool object_property_get_bool(Object *obj, const char *name, GError **errp)
{
    g_autoptr(JsonNode) value = object_property_get(obj, name, errp);
    bool b = false;

    if (value && JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_BOOLEAN) {
        return json_node_get_boolean(value);
    }
    if (value) {
        error_setg(errp, "Invalid parameter type for '%s', expected: boolean",
                   name);
    }
    return b;
}

static bool json_is_int(JsonNode *value)
{
    return value && JSON_NODE_HOLDS_VALUE(value) &&
           json_node_get_value_type(value) == G_TYPE_INT64;
}

int64_t object_property_get_int(Object *obj, const char *name, GError **errp)
{
    g_autoptr(JsonNode) value = object_property_get(obj, name, errp);

    if (json_is_int(value)) {
        return json_node_get_int(value);
    }
    if (value) {
        error_setg(errp, "Invalid parameter type for '%s', expected: integer",
                   name);
    }
    return -1;
}

uint64_t object_property_get_uint(Object *obj, const char *name,
                                  GError **errp)
{
    g_autoptr(JsonNode) value = object_property_get(obj, name, errp);

    if (json_is_int(value)) {
        return (uint64_t)json_node_get_int(value);
    }
    if (value) {
        error_setg(errp, "Invalid parameter type for '%s', expected: integer",
                   name);
    }
    return 0;
}

bool object_property_set_str(Object *obj, const char *name, const char *v,
                             GError **errp)
{
    g_autoptr(JsonNode) value = qom_value_from_str(v);

    return object_property_set(obj, name, value, errp);
}

bool object_property_set_bool(Object *obj, const char *name, bool v,
                              GError **errp)
{
    g_autoptr(JsonNode) value = qom_value_from_bool(v);

    return object_property_set(obj, name, value, errp);
}

bool object_property_set_int(Object *obj, const char *name, int64_t v,
                             GError **errp)
{
    g_autoptr(JsonNode) value = qom_value_from_int(v);

    return object_property_set(obj, name, value, errp);
}

bool object_property_set_uint(Object *obj, const char *name, uint64_t v,
                              GError **errp)
{
    /* JSON numbers are signed 64-bit here; the bits survive the trip. */
    g_autoptr(JsonNode) value = qom_value_from_int((int64_t)v);

    return object_property_set(obj, name, value, errp);
}

/* JSON values */

JsonNode *qom_value_from_str(const char *s)
{
    if (!s) {
        return json_node_init_null(json_node_alloc());
    }
    return json_node_init_string(json_node_alloc(), s);
}

JsonNode *qom_value_from_bool(bool v)
{
    return json_node_init_boolean(json_node_alloc(), v);
}

JsonNode *qom_value_from_int(int64_t v)
{
    return json_node_init_int(json_node_alloc(), v);
}

JsonNode *qom_value_from_uint(uint64_t v)
{
    return json_node_new_uint(v);
}

static bool typed_input;

void qom_set_typed_input(bool on)
{
    typed_input = on;
}

static const char *json_string(JsonNode *value)
{
    if (value && JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_STRING) {
        return json_node_get_string(value);
    }
    return NULL;
}

static const char *json_text(JsonNode *value)
{
    return typed_input ? NULL : json_string(value);
}

bool qom_value_is_text(JsonNode *value)
{
    return json_text(value) != NULL;
}

bool qom_value_to_bool(JsonNode *value, const char *name, bool *out,
                       GError **errp)
{
    const char *text = json_text(value);

    if (text) {
        if (!qapi_bool_parse(name, text, out, NULL)) {
            error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
            return false;
        }
        return true;
    }
    if (value && JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_BOOLEAN) {
        *out = json_node_get_boolean(value);
        return true;
    }
    error_setg(errp, "Invalid parameter type for '%s', expected: boolean",
               name);
    return false;
}

/* QEMU's qemu_strtoi64/u64 with base 0: whole string, 0x and 0 prefixes. */
static bool parse_int_text(const char *text, bool is_signed, int64_t *sval,
                           uint64_t *uval)
{
    char *end;

    if (!*text) {
        return false;
    }
    errno = 0;
    if (is_signed) {
        *sval = strtoll(text, &end, 0);
    } else {
        /* A negative number wraps, as strtoull does (QEMU 8.1 accepts it). */
        *uval = strtoull(text, &end, 0);
    }
    return errno == 0 && end != text && *end == '\0';
}

bool qom_value_to_int(JsonNode *value, const char *name, int64_t *out,
                      GError **errp)
{
    const char *text = json_text(value);
    uint64_t unused;

    if (text) {
        if (!parse_int_text(text, true, out, &unused)) {
            error_setg(errp, "Parameter '%s' expects integer", name);
            return false;
        }
        return true;
    }
    if (json_node_get_try_int(value, out)) {
        return true;
    }
    error_setg(errp, "Invalid parameter type for '%s', expected: integer",
               name);
    return false;
}

bool qom_value_to_uint(JsonNode *value, const char *name, uint64_t *out,
                       GError **errp)
{
    const char *text = json_text(value);
    int64_t unused;

    if (text) {
        if (!parse_int_text(text, false, &unused, out)) {
            error_setg(errp, "Parameter '%s' expects integer", name);
            return false;
        }
        return true;
    }
    if (json_is_int(value)) {
        *out = (uint64_t)json_node_get_int(value);
        return true;
    }
    if (!typed_input && value && JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_DOUBLE) {
        /* json-glib reads integers above INT64_MAX as doubles. */
        double d = json_node_get_double(value);
        if (d >= 0 && d < 18446744073709551616.0 && d == (uint64_t)d) {
            *out = (uint64_t)d;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' expects uint64", name);
    return false;
}

bool qom_value_to_str(JsonNode *value, const char *name, const char **out,
                      GError **errp)
{
    const char *text = json_string(value);

    if (!text) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   name);
        return false;
    }
    *out = text;
    return true;
}

/* Callback-backed str and bool properties */

typedef struct StringProperty {
    char *(*get)(Object *, GError **);
    void (*set)(Object *, const char *, GError **);
} StringProperty;

static JsonNode *property_get_str(Object *obj, ObjectProperty *prop,
                                  GError **errp)
{
    StringProperty *sp = prop->opaque;
    GError *err = NULL;
    g_autofree char *s = sp->get(obj, &err);

    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }
    return qom_value_from_str(s ? s : "");
}

static bool property_set_str(Object *obj, ObjectProperty *prop,
                             JsonNode *value, GError **errp)
{
    StringProperty *sp = prop->opaque;
    GError *err = NULL;
    const char *s;

    if (!qom_value_to_str(value, prop->name, &s, errp)) {
        return false;
    }
    sp->set(obj, s, &err);
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    return true;
}

static void property_release_opaque(Object *obj, ObjectProperty *prop)
{
    g_free(prop->opaque);
}

void object_property_add_str(Object *obj, const char *name,
                             char *(*get)(Object *, GError **),
                             void (*set)(Object *, const char *, GError **))
{
    StringProperty *sp = g_new0(StringProperty, 1);

    sp->get = get;
    sp->set = set;
    /* QOM's own string properties are "string"; qdev's are "str". */
    object_property_add(obj, name, "string", get ? property_get_str : NULL,
                        set ? property_set_str : NULL,
                        property_release_opaque, sp);
}

void object_class_property_add_str(ObjectClass *oc, const char *name,
                                   char *(*get)(Object *, GError **),
                                   void (*set)(Object *, const char *,
                                               GError **))
{
    StringProperty *sp = g_new0(StringProperty, 1);

    /* Class properties live as long as the program: no release. */
    sp->get = get;
    sp->set = set;
    object_class_property_add(oc, name, "string", get ? property_get_str : NULL,
                              set ? property_set_str : NULL, NULL, sp);
}

typedef struct BoolProperty {
    bool (*get)(Object *, GError **);
    void (*set)(Object *, bool, GError **);
} BoolProperty;

static JsonNode *property_get_bool(Object *obj, ObjectProperty *prop,
                                   GError **errp)
{
    BoolProperty *bp = prop->opaque;
    GError *err = NULL;
    bool v = bp->get(obj, &err);

    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }
    return qom_value_from_bool(v);
}

static bool property_set_bool(Object *obj, ObjectProperty *prop,
                              JsonNode *value, GError **errp)
{
    BoolProperty *bp = prop->opaque;
    GError *err = NULL;
    bool v;

    if (!qom_value_to_bool(value, prop->name, &v, errp)) {
        return false;
    }
    bp->set(obj, v, &err);
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    return true;
}

void object_property_add_bool(Object *obj, const char *name,
                              bool (*get)(Object *, GError **),
                              void (*set)(Object *, bool, GError **))
{
    BoolProperty *bp = g_new0(BoolProperty, 1);

    bp->get = get;
    bp->set = set;
    object_property_add(obj, name, "bool", get ? property_get_bool : NULL,
                        set ? property_set_bool : NULL,
                        property_release_opaque, bp);
}

void object_class_property_add_bool(ObjectClass *oc, const char *name,
                                    bool (*get)(Object *, GError **),
                                    void (*set)(Object *, bool, GError **))
{
    BoolProperty *bp = g_new0(BoolProperty, 1);

    bp->get = get;
    bp->set = set;
    object_class_property_add(oc, name, "bool",
                              get ? property_get_bool : NULL,
                              set ? property_set_bool : NULL, NULL, bp);
}

static JsonNode *property_get_uint8_ptr(Object *obj, ObjectProperty *prop,
                                        GError **errp)
{
    return qom_value_from_int(*(const uint8_t *)prop->opaque);
}

static JsonNode *property_get_uint32_ptr(Object *obj, ObjectProperty *prop,
                                         GError **errp)
{
    return qom_value_from_int(*(const uint32_t *)prop->opaque);
}

static JsonNode *property_get_uint64_ptr(Object *obj, ObjectProperty *prop,
                                         GError **errp)
{
    return qom_value_from_uint(*(const uint64_t *)prop->opaque);
}

void object_property_add_uint8_ptr(Object *obj, const char *name,
                                   const uint8_t *v)
{
    object_property_add(obj, name, "uint8", property_get_uint8_ptr, NULL,
                        NULL, (void *)v);
}

void object_property_add_uint32_ptr(Object *obj, const char *name,
                                    const uint32_t *v)
{
    object_property_add(obj, name, "uint32", property_get_uint32_ptr, NULL,
                        NULL, (void *)v);
}

void object_property_add_uint64_ptr(Object *obj, const char *name,
                                    const uint64_t *v)
{
    object_property_add(obj, name, "uint64", property_get_uint64_ptr, NULL,
                        NULL, (void *)v);
}

