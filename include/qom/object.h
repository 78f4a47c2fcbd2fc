/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The object model: named types with single inheritance plus interfaces,
 * properties whose values travel as JSON nodes, and the composition tree
 * (/machine, /machine/peripheral/ID, ...) that QMP's qom-* commands walk.
 *
 * Each type has one class struct, made by copying its parent's class and
 * running class_init.  An instance struct embeds its parent's instance
 * struct as its first member, so a pointer cast moves up the hierarchy.
 */
#ifndef QOM_OBJECT_H
#define QOM_OBJECT_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct TypeImpl TypeImpl;
typedef struct ObjectClass ObjectClass;
typedef struct Object Object;
typedef struct ObjectProperty ObjectProperty;
typedef struct InterfaceClass InterfaceClass;

#define TYPE_OBJECT "object"
#define TYPE_INTERFACE "interface"
#define TYPE_CONTAINER "container"

/* Getter: return a new JSON node with the property's value. */
typedef JsonNode *ObjectPropertyGet(Object *obj, ObjectProperty *prop,
                                    GError **errp);
/*
 * Setter.  value is either typed JSON (qom-set) or a JSON string holding
 * the text form (-device, device_add): setters accept both.
 */
typedef bool ObjectPropertySet(Object *obj, ObjectProperty *prop,
                               JsonNode *value, GError **errp);
typedef void ObjectPropertyRelease(Object *obj, ObjectProperty *prop);

struct ObjectProperty {
    char *name;
    char *type;                 /* "bool", "str", "uint32", "child<T>", ... */
    char *description;          /* may be NULL */
    ObjectPropertyGet *get;     /* NULL: not readable */
    ObjectPropertySet *set;     /* NULL: read-only */
    ObjectPropertyRelease *release;
    void *opaque;
    JsonNode *defval;           /* default value for device-list-properties */
    /*
     * Path resolution through this property: the object it leads to, or
     * NULL.  Set for child<> and link<> properties only.
     */
    Object *(*resolve)(Object *obj, ObjectProperty *prop);
};

#define OBJECT_CLASS_CAST_CACHE 4

struct ObjectClass {
    TypeImpl *type;
    GSList *interfaces;         /* InterfaceClass *, one per interface */
    GHashTable *properties;     /* name -> ObjectProperty *, class properties */
    /* Called when the object leaves the composition tree (devices unrealize). */
    void (*unparent)(Object *obj);
    /*
     * _assert casts that succeeded, keyed by the typename pointer: hot
     * paths (each PCI config access) cast with the same TYPE_ constant.
     */
    const char *cast_name[OBJECT_CLASS_CAST_CACHE];
    ObjectClass *cast_result[OBJECT_CLASS_CAST_CACHE];
    unsigned cast_next;
};

struct Object {
    ObjectClass *klass;
    GHashTable *properties;     /* name -> ObjectProperty *, instance ones */
    GPtrArray *prop_order;      /* the same ObjectProperty *, insertion order */
    Object *parent;             /* in the composition tree */
    uint32_t ref;
};

struct InterfaceClass {
    ObjectClass parent_class;
    ObjectClass *concrete_class; /* the class implementing it */
    TypeImpl *interface_type;
};

typedef struct InterfaceInfo {
    const char *type;
} InterfaceInfo;

typedef struct TypeInfo {
    const char *name;
    const char *parent;
    size_t instance_size;       /* 0: parent's */
    size_t class_size;          /* 0: parent's */
    bool abstract;
    void (*instance_init)(Object *obj);
    void (*instance_post_init)(Object *obj);
    void (*instance_finalize)(Object *obj);
    void (*class_init)(ObjectClass *oc, void *data);
    void *class_data;
    const InterfaceInfo *interfaces;    /* terminated by { NULL } */
} TypeInfo;

/* Register a type; normally called from a type_init() function. */
void type_register_static(const TypeInfo *info);
void type_register_static_array(const TypeInfo *infos, int nr);

/* Run fn at program start, before main(). */
#define type_init(fn) \
    static void __attribute__((constructor)) fn##_register_types(void) \
    { fn(); }

/* Classes */
ObjectClass *object_class_by_name(const char *typename);
const char *object_class_get_name(ObjectClass *oc);
ObjectClass *object_class_get_parent(ObjectClass *oc);
bool object_class_is_abstract(ObjectClass *oc);
/* oc if it is, inherits from or implements typename; else NULL. */
ObjectClass *object_class_dynamic_cast(ObjectClass *oc, const char *typename);
/* Same but aborts on a mismatch: only for internal casts, never on input. */
ObjectClass *object_class_dynamic_cast_assert(ObjectClass *oc,
                                              const char *typename);
/* Every class implementing `implements` (NULL: all), sorted by name. */
GSList *object_class_get_list(const char *implements, bool include_abstract);

/* Objects */
Object *object_new(const char *typename);
Object *object_ref(void *obj);
void object_unref(void *obj);
ObjectClass *object_get_class(Object *obj);
const char *object_get_typename(Object *obj);
Object *object_dynamic_cast(Object *obj, const char *typename);
Object *object_dynamic_cast_assert(Object *obj, const char *typename);

#define OBJECT(obj) ((Object *)(obj))
#define OBJECT_CLASS(oc) ((ObjectClass *)(oc))
#define OBJECT_GET_CLASS(cls, obj, typename) \
    ((cls *)object_class_dynamic_cast_assert(object_get_class(OBJECT(obj)), \
                                             (typename)))
#define OBJECT_CLASS_CHECK(cls, oc, typename) \
    ((cls *)object_class_dynamic_cast_assert(OBJECT_CLASS(oc), (typename)))
#define OBJECT_CHECK(type, obj, typename) \
    ((type *)object_dynamic_cast_assert(OBJECT(obj), (typename)))

/*
 * Properties.  A name ending in "[*]" gets the first free index ("device[0]",
 * "device[1]", ...).  Adding a name that exists returns NULL.
 */
ObjectProperty *object_property_add(Object *obj, const char *name,
                                    const char *type, ObjectPropertyGet *get,
                                    ObjectPropertySet *set,
                                    ObjectPropertyRelease *release,
                                    void *opaque);
ObjectProperty *object_class_property_add(ObjectClass *oc, const char *name,
                                          const char *type,
                                          ObjectPropertyGet *get,
                                          ObjectPropertySet *set,
                                          ObjectPropertyRelease *release,
                                          void *opaque);
void object_property_set_description(ObjectProperty *prop, const char *desc);
void object_property_del(Object *obj, const char *name);
/* Instance properties first, then the class chain.  NULL if absent. */
ObjectProperty *object_property_find(Object *obj, const char *name);
ObjectProperty *object_class_property_find(ObjectClass *oc, const char *name);
/* Call fn for every property of obj (instance and class), no order. */
void object_property_foreach(Object *obj,
                             void (*fn)(ObjectProperty *prop, void *opaque),
                             void *opaque);
void object_class_property_foreach(ObjectClass *oc,
                                   void (*fn)(ObjectProperty *prop,
                                              void *opaque),
                                   void *opaque);

/*
 * Errors are QEMU's: "Property '<type>.<name>' not found",
 * "Property '<name>' is not readable"/"... is not writable".
 */
JsonNode *object_property_get(Object *obj, const char *name, GError **errp);
bool object_property_set(Object *obj, const char *name, JsonNode *value,
                         GError **errp);
/* Set from text, as -device does. */
bool object_property_parse(Object *obj, const char *name, const char *string,
                           GError **errp);
char *object_property_get_str(Object *obj, const char *name, GError **errp);
bool object_property_get_bool(Object *obj, const char *name, GError **errp);
int64_t object_property_get_int(Object *obj, const char *name, GError **errp);
uint64_t object_property_get_uint(Object *obj, const char *name,
                                  GError **errp);
bool object_property_set_str(Object *obj, const char *name, const char *v,
                             GError **errp);
bool object_property_set_bool(Object *obj, const char *name, bool v,
                              GError **errp);
bool object_property_set_int(Object *obj, const char *name, int64_t v,
                             GError **errp);
bool object_property_set_uint(Object *obj, const char *name, uint64_t v,
                              GError **errp);

/* Simple typed properties backed by callbacks. */
void object_property_add_str(Object *obj, const char *name,
                             char *(*get)(Object *, GError **),
                             void (*set)(Object *, const char *, GError **));
void object_property_add_bool(Object *obj, const char *name,
                              bool (*get)(Object *, GError **),
                              void (*set)(Object *, bool, GError **));
void object_class_property_add_str(ObjectClass *oc, const char *name,
                                   char *(*get)(Object *, GError **),
                                   void (*set)(Object *, const char *,
                                               GError **));
void object_class_property_add_bool(ObjectClass *oc, const char *name,
                                    bool (*get)(Object *, GError **),
                                    void (*set)(Object *, bool, GError **));
/* A read-only integer property reading *v (type "uint8", "uint32", ...). */
void object_property_add_uint8_ptr(Object *obj, const char *name,
                                   const uint8_t *v);
void object_property_add_uint32_ptr(Object *obj, const char *name,
                                    const uint32_t *v);
void object_property_add_uint64_ptr(Object *obj, const char *name,
                                    const uint64_t *v);
/* A read-only "link<typename>" whose value is target's canonical path. */
void object_property_add_const_link(Object *obj, const char *name,
                                    Object *target);
/*
 * A settable "link<typename>" stored in *targetp (a reference is held).
 * qom-set takes a path; "" clears it.
 */
void object_property_add_link(Object *obj, const char *name,
                              const char *typename, Object **targetp);

/*
 * Reading property values from JSON: typed JSON or a JSON string with the
 * text form (-device syntax).  name is used in QEMU's error texts
 * ("Parameter 'NAME' expects integer", "Invalid parameter type for 'NAME',
 * expected: boolean", ...).  Integers accept 0x/0 prefixes as QEMU does.
 */
bool qom_value_to_bool(JsonNode *value, const char *name, bool *out,
                       GError **errp);
/*
 * While on, JSON strings are not text to parse: qom-set and object-add
 * pass typed JSON, which QEMU's QObject input visitor takes only with the
 * property's own type ("Parameter 'size' expects uint64" for "1048576").
 */
void qom_set_typed_input(bool on);
/* value is text to parse (a JSON string, and typed input is off). */
bool qom_value_is_text(JsonNode *value);
bool qom_value_to_int(JsonNode *value, const char *name, int64_t *out,
                      GError **errp);
bool qom_value_to_uint(JsonNode *value, const char *name, uint64_t *out,
                       GError **errp);
/* A string property only takes a JSON string; *out points into value. */
bool qom_value_to_str(JsonNode *value, const char *name, const char **out,
                      GError **errp);
JsonNode *qom_value_from_str(const char *s);       /* NULL s: JSON null */
JsonNode *qom_value_from_bool(bool v);
JsonNode *qom_value_from_int(int64_t v);
JsonNode *qom_value_from_uint(uint64_t v);

/* Composition tree */
/* Adds "child<type>" property `name` to parent, takes a reference. */
void object_property_add_child(Object *parent, const char *name,
                               Object *child);
/* Same, but returns NULL (and sets no error) if name is already taken. */
ObjectProperty *object_property_try_add_child(Object *parent,
                                              const char *name,
                                              Object *child);
/* Remove obj from its parent (drops the parent's reference). */
void object_unparent(Object *obj);
Object *object_get_root(void);
/* Get or create the container at path below root, e.g. "/machine/peripheral". */
Object *container_get(Object *root, const char *path);
char *object_get_canonical_path(Object *obj);      /* g_free */
const char *object_get_canonical_path_component(Object *obj);
Object *object_resolve_path_component(Object *parent, const char *part);
/*
 * Absolute ("/machine/peripheral/x") or partial ("x", "peripheral/x")
 * path.  A partial path matching more than one object sets *ambiguous.
 */
Object *object_resolve_path(const char *path, bool *ambiguous);
Object *object_resolve_path_type(const char *path, const char *typename,
                                 bool *ambiguous);
/* Absolute path, or a path relative to parent (no partial matching). */
Object *object_resolve_path_at(Object *parent, const char *path);
/* Visit children in insertion order; stop when fn returns non-zero. */
int object_child_foreach(Object *obj, int (*fn)(Object *child, void *opaque),
                         void *opaque);
int object_child_foreach_recursive(Object *obj,
                                   int (*fn)(Object *child, void *opaque),
                                   void *opaque);

#endif
