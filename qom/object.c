/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model: type registry, classes, instances, properties and the
 * composition tree.  Types are registered by constructors before main() and
 * their classes are built lazily on first use, so registration order does
 * not matter.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "qom/object.h"
#include "qapi/error.h"
#include "qemu/option.h"

struct TypeImpl {
    char *name;
    char *parent_name;
    TypeImpl *parent;
    size_t instance_size;
    size_t class_size;
    bool abstract;
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    void (*class_init)(ObjectClass *oc, void *data);
    void *class_data;
    GPtrArray *interface_names;     /* char * */
    ObjectClass *klass;             /* built on first use */
};

static GHashTable *type_table;      /* name -> TypeImpl * */

static GHashTable *type_table_get(void)
{
    if (!type_table) {
        type_table = g_hash_table_new(g_str_hash, g_str_equal);
    }
    return type_table;
}

void type_register_static(const TypeInfo *info)
{
    TypeImpl *ti = g_new0(TypeImpl, 1);

    g_assert(info->name);
    /* A duplicate name is a programming error in a type_init(). */
    g_assert(!g_hash_table_contains(type_table_get(), info->name));
    ti->name = g_strdup(info->name);
    ti->parent_name = g_strdup(info->parent);
    ti->instance_size = info->instance_size;
    ti->class_size = info->class_size;
    ti->abstract = info->abstract;
    ti->instance_init = info->instance_init;
    ti->instance_post_init = info->instance_post_init;
    ti->instance_finalize = info->instance_finalize;
    ti->class_init = info->class_init;
    ti->class_data = info->class_data;
    ti->interface_names = g_ptr_array_new();
    for (const InterfaceInfo *ii = info->interfaces; ii && ii->type; ii++) {
        g_ptr_array_add(ti->interface_names, (char *)ii->type);
    }
    g_hash_table_insert(type_table_get(), ti->name, ti);
}

void type_register_static_array(const TypeInfo *infos, int nr)
{
    for (int i = 0; i < nr; i++) {
        type_register_static(&infos[i]);
    }
}

static TypeImpl *type_get_by_name(const char *name)
{
    return name ? g_hash_table_lookup(type_table_get(), name) : NULL;
}

static TypeImpl *type_get_parent(TypeImpl *ti)
{
    if (!ti->parent && ti->parent_name) {
        ti->parent = type_get_by_name(ti->parent_name);
        g_assert(ti->parent);
    }
    return ti->parent;
}

static bool type_is_ancestor(TypeImpl *ti, TypeImpl *ancestor)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti == ancestor) {
            return true;
        }
    }
    return false;
}

static size_t type_class_size(TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->class_size) {
            return ti->class_size;
        }
    }
    return sizeof(ObjectClass);
}

static size_t type_instance_size(TypeImpl *ti)
{
    for (; ti; ti = type_get_parent(ti)) {
        if (ti->instance_size) {
            return ti->instance_size;
        }
    }
    return sizeof(Object);
}

static void type_initialize(TypeImpl *ti);

/*
 * Each class carries its own copy of every interface class it implements,
 * so a class_init may override interface methods without touching the
 * parent's.
 */
static InterfaceClass *interface_class_new(ObjectClass *concrete,
                                           TypeImpl *iface,
                                           InterfaceClass *inherited)
{
    size_t size;
    InterfaceClass *ic;

    type_initialize(iface);
    size = type_class_size(iface);
    ic = g_malloc0(size);
    memcpy(ic, inherited ? (void *)inherited : (void *)iface->klass, size);
    ic->parent_class.type = iface;
    ic->parent_class.interfaces = NULL;
    ic->parent_class.properties = g_hash_table_new(g_str_hash, g_str_equal);
    ic->concrete_class = concrete;
    ic->interface_type = iface;
    return ic;
}

static bool class_has_interface(ObjectClass *oc, TypeImpl *iface)
{
    for (GSList *l = oc->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;
        if (type_is_ancestor(ic->interface_type, iface)) {
            return true;
        }
    }
    return false;
}

static void type_initialize(TypeImpl *ti)
{
    TypeImpl *parent;
    size_t size;
    ObjectClass *oc;

    if (ti->klass) {
        return;
    }
    parent = type_get_parent(ti);
    size = type_class_size(ti);
    oc = g_malloc0(size);
    if (parent) {
        type_initialize(parent);
        memcpy(oc, parent->klass, type_class_size(parent));
    }
    oc->type = ti;
    /* Interfaces have no instances of their own. */
    if (parent && type_is_ancestor(ti, type_get_by_name(TYPE_INTERFACE))) {
        ti->abstract = true;
    }
    oc->properties = g_hash_table_new(g_str_hash, g_str_equal);
    oc->interfaces = NULL;
    ti->klass = oc;

    if (parent) {
        for (GSList *l = parent->klass->interfaces; l; l = l->next) {
            InterfaceClass *pic = l->data;
            oc->interfaces = g_slist_append(oc->interfaces,
                interface_class_new(oc, pic->interface_type, pic));
        }
    }
    for (guint i = 0; i < ti->interface_names->len; i++) {
        TypeImpl *iface = type_get_by_name(ti->interface_names->pdata[i]);

        g_assert(iface);
        if (!class_has_interface(oc, iface)) {
            oc->interfaces = g_slist_append(oc->interfaces,
                interface_class_new(oc, iface, NULL));
        }
    }
    if (ti->class_init) {
        ti->class_init(oc, ti->class_data);
    }
}

/* Classes */

ObjectClass *object_class_by_name(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);

    if (!ti) {
        return NULL;
    }
    type_initialize(ti);
    return ti->klass;
}

const char *object_class_get_name(ObjectClass *oc)
{
    return oc->type->name;
}

ObjectClass *object_class_get_parent(ObjectClass *oc)
{
    TypeImpl *parent = type_get_parent(oc->type);

    if (!parent) {
        return NULL;
    }
    type_initialize(parent);
    return parent->klass;
}

bool object_class_is_abstract(ObjectClass *oc)
{
    return oc->type->abstract;
}

ObjectClass *object_class_dynamic_cast(ObjectClass *oc, const char *typename)
{
    TypeImpl *target;

    if (!oc) {
        return NULL;
    }
    target = type_get_by_name(typename);
    if (!target) {
        return NULL;
    }
    if (type_is_ancestor(oc->type, target)) {
        return oc;
    }
    for (GSList *l = oc->interfaces; l; l = l->next) {
        InterfaceClass *ic = l->data;
        if (type_is_ancestor(ic->interface_type, target)) {
            return &ic->parent_class;
        }
    }
    return NULL;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *oc,
                                              const char *typename)
{
    ObjectClass *ret = object_class_dynamic_cast(oc, typename);

    if (!ret) {
        g_error("class '%s' is not a '%s'",
                oc ? object_class_get_name(oc) : "(null)", typename);
    }
    return ret;
}

static gint class_name_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(object_class_get_name((ObjectClass *)a),
                  object_class_get_name((ObjectClass *)b));
}

GSList *object_class_get_list(const char *implements, bool include_abstract)
{
    GSList *list = NULL;
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init(&iter, type_table_get());
    while (g_hash_table_iter_next(&iter, NULL, &value)) {
        TypeImpl *ti = value;

        type_initialize(ti);
        if (implements && !object_class_dynamic_cast(ti->klass, implements)) {
            continue;
        }
        if (!include_abstract && ti->abstract) {
            continue;
        }
        list = g_slist_prepend(list, ti->klass);
    }
    return g_slist_sort(list, class_name_cmp);
}

/* Objects */

static void object_property_free(ObjectProperty *prop)
{
    g_free(prop->name);
    g_free(prop->type);
    g_free(prop->description);
    if (prop->defval) {
        json_node_unref(prop->defval);
    }
    g_free(prop);
}

static void object_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);

    if (parent) {
        object_init_with_type(obj, parent);
    }
    if (ti->instance_init) {
        ti->instance_init(obj);
    }
}

static void object_post_init_with_type(Object *obj, TypeImpl *ti)
{
    TypeImpl *parent = type_get_parent(ti);

    if (parent) {
        object_post_init_with_type(obj, parent);
    }
    if (ti->instance_post_init) {
        ti->instance_post_init(obj);
    }
}

Object *object_new(const char *typename)
{
    TypeImpl *ti = type_get_by_name(typename);
    Object *obj;

    if (!ti) {
        g_error("unknown type '%s'", typename);
    }
    type_initialize(ti);
    /* Callers check user input with object_class_is_abstract first. */
    g_assert(!ti->abstract);
    obj = g_malloc0(type_instance_size(ti));
    obj->klass = ti->klass;
    obj->properties = g_hash_table_new(g_str_hash, g_str_equal);
    obj->prop_order = g_ptr_array_new();
    obj->ref = 1;
    object_init_with_type(obj, ti);
    object_post_init_with_type(obj, ti);
    return obj;
}

static void object_property_del_all(Object *obj)
{
    /* Releasing one property may remove others: re-check each round. */
    while (obj->prop_order->len) {
        ObjectProperty *prop = g_ptr_array_index(obj->prop_order,
                                                 obj->prop_order->len - 1);
        object_property_del(obj, prop->name);
    }
}

static void object_finalize(Object *obj)
{
    object_property_del_all(obj);
    for (TypeImpl *ti = obj->klass->type; ti; ti = type_get_parent(ti)) {
        if (ti->instance_finalize) {
            ti->instance_finalize(obj);
        }
    }
    g_hash_table_destroy(obj->properties);
    g_ptr_array_free(obj->prop_order, true);
    g_free(obj);
}

Object *object_ref(void *opaque)
{
    Object *obj = opaque;

    if (obj) {
        obj->ref++;
    }
    return obj;
}

void object_unref(void *opaque)
{
    Object *obj = opaque;

    if (!obj) {
        return;
    }
    g_assert(obj->ref > 0);
    if (--obj->ref == 0) {
        object_finalize(obj);
    }
}

ObjectClass *object_get_class(Object *obj)
{
    return obj->klass;
}

const char *object_get_typename(Object *obj)
{
    return obj->klass->type->name;
}

Object *object_dynamic_cast(Object *obj, const char *typename)
{
    if (obj && object_class_dynamic_cast(obj->klass, typename)) {
        return obj;
    }
    return NULL;
}

Object *object_dynamic_cast_assert(Object *obj, const char *typename)
{
    if (!object_dynamic_cast(obj, typename)) {
        g_error("object of type '%s' is not a '%s'",
                obj ? object_get_typename(obj) : "(null)", typename);
    }
    return obj;
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

static const char *json_text(JsonNode *value)
{
    if (value && JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_STRING) {
        return json_node_get_string(value);
    }
    return NULL;
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
    if (json_is_int(value)) {
        *out = json_node_get_int(value);
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
    if (value && JSON_NODE_HOLDS_VALUE(value) &&
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
    const char *text = json_text(value);

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
    return qom_value_from_int((int64_t)*(const uint64_t *)prop->opaque);
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

/* Links */

static JsonNode *path_value(Object *target)
{
    g_autofree char *path = target ? object_get_canonical_path(target) : NULL;

    return qom_value_from_str(path ? path : "");
}

static Object *const_link_resolve(Object *obj, ObjectProperty *prop)
{
    return prop->opaque;
}

static JsonNode *const_link_get(Object *obj, ObjectProperty *prop,
                                GError **errp)
{
    return path_value(prop->opaque);
}

void object_property_add_const_link(Object *obj, const char *name,
                                    Object *target)
{
    g_autofree char *type = g_strdup_printf("link<%s>",
                                            object_get_typename(target));
    ObjectProperty *prop = object_property_add(obj, name, type,
                                               const_link_get, NULL, NULL,
                                               target);
    if (prop) {
        prop->resolve = const_link_resolve;
    }
}

typedef struct LinkProperty {
    Object **targetp;
    char *target_type;
} LinkProperty;

static Object *link_resolve(Object *obj, ObjectProperty *prop)
{
    LinkProperty *lp = prop->opaque;

    return *lp->targetp;
}

static JsonNode *link_get(Object *obj, ObjectProperty *prop, GError **errp)
{
    LinkProperty *lp = prop->opaque;

    return path_value(*lp->targetp);
}

static bool link_set(Object *obj, ObjectProperty *prop, JsonNode *value,
                     GError **errp)
{
    LinkProperty *lp = prop->opaque;
    const char *path;
    Object *target = NULL;
    bool ambiguous = false;

    if (!qom_value_to_str(value, prop->name, &path, errp)) {
        return false;
    }
    if (*path) {
        target = object_resolve_path_type(path, lp->target_type, &ambiguous);
        if (!target) {
            if (ambiguous) {
                error_setg(errp, "Path '%s' is ambiguous", path);
            } else if (object_resolve_path(path, NULL)) {
                error_setg(errp, "Invalid parameter type for '%s', "
                           "expected: %s", prop->name, lp->target_type);
            } else {
                error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                          "Device '%s' not found", path);
            }
            return false;
        }
    }
    object_ref(target);
    object_unref(*lp->targetp);
    *lp->targetp = target;
    return true;
}

static void link_release(Object *obj, ObjectProperty *prop)
{
    LinkProperty *lp = prop->opaque;

    object_unref(*lp->targetp);
    *lp->targetp = NULL;
    g_free(lp->target_type);
    g_free(lp);
}

void object_property_add_link(Object *obj, const char *name,
                              const char *typename, Object **targetp)
{
    g_autofree char *type = g_strdup_printf("link<%s>", typename);
    LinkProperty *lp = g_new0(LinkProperty, 1);
    ObjectProperty *prop;

    lp->targetp = targetp;
    lp->target_type = g_strdup(typename);
    prop = object_property_add(obj, name, type, link_get, link_set,
                               link_release, lp);
    g_assert(prop);
    prop->resolve = link_resolve;
}

/* Composition tree */

static Object *child_resolve(Object *obj, ObjectProperty *prop)
{
    return prop->opaque;
}

static JsonNode *child_get(Object *obj, ObjectProperty *prop, GError **errp)
{
    return path_value(prop->opaque);
}

static void child_release(Object *obj, ObjectProperty *prop)
{
    Object *child = prop->opaque;

    if (child->klass->unparent) {
        child->klass->unparent(child);
    }
    child->parent = NULL;
    object_unref(child);
}

ObjectProperty *object_property_try_add_child(Object *parent,
                                              const char *name,
                                              Object *child)
{
    g_autofree char *type = NULL;
    ObjectProperty *prop;

    g_assert(!child->parent);
    type = g_strdup_printf("child<%s>", object_get_typename(child));
    prop = object_property_add(parent, name, type, child_get, NULL,
                               child_release, child);
    if (!prop) {
        return NULL;
    }
    prop->resolve = child_resolve;
    object_ref(child);
    child->parent = parent;
    return prop;
}

void object_property_add_child(Object *parent, const char *name,
                               Object *child)
{
    ObjectProperty *prop = object_property_try_add_child(parent, name, child);

    /* Internal callers pick unique names; a clash is a bug. */
    g_assert(prop);
}

static ObjectProperty *child_property_of(Object *parent, Object *child)
{
    for (guint i = 0; i < parent->prop_order->len; i++) {
        ObjectProperty *prop = parent->prop_order->pdata[i];

        if (prop->resolve == child_resolve && prop->opaque == child) {
            return prop;
        }
    }
    return NULL;
}

void object_unparent(Object *obj)
{
    ObjectProperty *prop;

    if (!obj->parent) {
        return;
    }
    prop = child_property_of(obj->parent, obj);
    g_assert(prop);
    object_property_del(obj->parent, prop->name);
}

Object *object_get_root(void)
{
    static Object *root;

    if (!root) {
        root = object_new(TYPE_CONTAINER);
    }
    return root;
}

const char *object_get_canonical_path_component(Object *obj)
{
    ObjectProperty *prop;

    if (!obj->parent) {
        return NULL;
    }
    prop = child_property_of(obj->parent, obj);
    return prop ? prop->name : NULL;
}

char *object_get_canonical_path(Object *obj)
{
    Object *root = object_get_root();
    GString *path;
    GPtrArray *parts;

    if (obj == root) {
        return g_strdup("/");
    }
    parts = g_ptr_array_new();
    for (; obj != root; obj = obj->parent) {
        const char *part = object_get_canonical_path_component(obj);

        if (!part) {
            g_ptr_array_free(parts, true);
            return NULL;
        }
        g_ptr_array_add(parts, (char *)part);
    }
    path = g_string_new(NULL);
    for (guint i = parts->len; i > 0; i--) {
        g_string_append_c(path, '/');
        g_string_append(path, parts->pdata[i - 1]);
    }
    g_ptr_array_free(parts, true);
    return g_string_free(path, false);
}

Object *object_resolve_path_component(Object *parent, const char *part)
{
    ObjectProperty *prop = object_property_find(parent, part);

    if (!prop || !prop->resolve) {
        return NULL;
    }
    return prop->resolve(parent, prop);
}

static Object *resolve_abs(Object *parent, char **parts, const char *typename)
{
    Object *obj = parent;

    for (; *parts; parts++) {
        if (!**parts) {
            continue;   /* "a//b" and a trailing '/' */
        }
        obj = object_resolve_path_component(obj, *parts);
        if (!obj) {
            return NULL;
        }
    }
    return object_dynamic_cast(obj, typename);
}

/*
 * A partial path may start at any object of the tree.  Every match counts,
 * even the same object reached twice (through links): QEMU calls that
 * ambiguous too.
 */
static Object *resolve_partial(Object *parent, char **parts,
                               const char *typename, bool *ambiguous)
{
    Object *found = resolve_abs(parent, parts, typename);

    for (guint i = 0; i < parent->prop_order->len; i++) {
        ObjectProperty *prop = parent->prop_order->pdata[i];
        Object *obj;

        if (prop->resolve != child_resolve) {
            continue;
        }
        obj = resolve_partial(prop->opaque, parts, typename, ambiguous);
        if (*ambiguous) {
            return NULL;
        }
        if (obj) {
            if (found) {
                *ambiguous = true;
                return NULL;
            }
            found = obj;
        }
    }
    return found;
}

Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", 0);
    bool amb = false;
    Object *obj;

    if (!typename) {
        typename = TYPE_OBJECT;
    }
    if (path[0] == '/') {
        obj = resolve_abs(object_get_root(), parts, typename);
    } else {
        obj = resolve_partial(object_get_root(), parts, typename, &amb);
    }
    if (ambiguous) {
        *ambiguous = amb;
    }
    return obj;
}

Object *object_resolve_path(const char *path, bool *ambiguous)
{
    return object_resolve_path_type(path, TYPE_OBJECT, ambiguous);
}

Object *object_resolve_path_at(Object *parent, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", 0);

    if (path[0] == '/') {
        parent = object_get_root();
    }
    return resolve_abs(parent, parts, TYPE_OBJECT);
}

int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque)
{
    g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func(
        object_unref);

    /* Snapshot with references: fn may unparent children. */
    for (guint i = 0; i < obj->prop_order->len; i++) {
        ObjectProperty *prop = obj->prop_order->pdata[i];

        if (prop->resolve == child_resolve) {
            g_ptr_array_add(children, object_ref(prop->opaque));
        }
    }
    for (guint i = 0; i < children->len; i++) {
        int ret = fn(children->pdata[i], opaque);
        if (ret) {
            return ret;
        }
    }
    return 0;
}

typedef struct RecursiveVisit {
    int (*fn)(Object *child, void *opaque);
    void *opaque;
} RecursiveVisit;

static int child_foreach_recursive(Object *child, void *opaque)
{
    RecursiveVisit *rv = opaque;
    int ret = rv->fn(child, rv->opaque);

    return ret ? ret : object_child_foreach(child, child_foreach_recursive,
                                            rv);
}

int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque)
{
    RecursiveVisit rv = { fn, opaque };

    return object_child_foreach(obj, child_foreach_recursive, &rv);
}

/* Base types */

static JsonNode *object_get_type(Object *obj, ObjectProperty *prop,
                                 GError **errp)
{
    return qom_value_from_str(object_get_typename(obj));
}

static void object_class_init(ObjectClass *oc, void *data)
{
    object_class_property_add(oc, "type", "string", object_get_type, NULL,
                              NULL, NULL);
}

static void register_types(void)
{
    static const TypeInfo object_info = {
        .name = TYPE_OBJECT,
        .instance_size = sizeof(Object),
        .class_size = sizeof(ObjectClass),
        .class_init = object_class_init,
        .abstract = true,
    };
    static const TypeInfo interface_info = {
        .name = TYPE_INTERFACE,
        .class_size = sizeof(InterfaceClass),
        .abstract = true,
    };

    type_register_static(&object_info);
    type_register_static(&interface_info);
}

type_init(register_types)
