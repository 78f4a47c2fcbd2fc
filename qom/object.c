/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model: type registry, classes, instances, links and the
 * composition tree (the other properties are in object-props.c).  Types
 * are registered by constructors before main() and their classes are
 * built lazily on first use, so registration order does not matter.
 */
#include <string.h>

#include "qom/object.h"
#include "qom/object-internal.h"
#include "qapi/error.h"

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
    /* The parent's cached casts answer for the parent, not for oc. */
    memset(oc->cast_name, 0, sizeof(oc->cast_name));
    oc->cast_next = 0;
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

/*
 * The _assert casts take TYPE_ constants, so a typename pointer names one
 * type for good and can key a cache.  (Not the plain casts: their names
 * may come from input and be freed, and another name could then reuse
 * the address.)
 */
static ObjectClass *class_cast_cached(ObjectClass *oc, const char *typename)
{
    ObjectClass *ret;

    if (!oc) {
        return NULL;
    }
    for (unsigned i = 0; i < OBJECT_CLASS_CAST_CACHE; i++) {
        if (oc->cast_name[i] == typename) {
            return oc->cast_result[i];
        }
    }
    ret = object_class_dynamic_cast(oc, typename);
    if (ret) {
        unsigned i = oc->cast_next++ % OBJECT_CLASS_CAST_CACHE;

        oc->cast_name[i] = typename;
        oc->cast_result[i] = ret;
    }
    return ret;
}

ObjectClass *object_class_dynamic_cast_assert(ObjectClass *oc,
                                              const char *typename)
{
    ObjectClass *ret = class_cast_cached(oc, typename);

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
    if (!obj || !class_cast_cached(obj->klass, typename)) {
        g_error("object of type '%s' is not a '%s'",
                obj ? object_get_typename(obj) : "(null)", typename);
    }
    return obj;
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
