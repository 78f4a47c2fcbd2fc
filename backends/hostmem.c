/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory backend base type and user-creatable objects: -object and
 * object-add set the properties, then the backend allocates its RAM block
 * (named after the object's id, which -machine memory-backend=ID finds).
 */
#include "backends/hostmem.h"
#include "backends/secret.h"
#include "qom/object_interfaces.h"

#include <stdio.h>

#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"

/* Properties */

static JsonNode *get_size(Object *obj, ObjectProperty *prop, GError **errp)
{
    JsonNode *n = json_node_alloc();

    json_node_init_int(n, MEMORY_BACKEND(obj)->size);
    return n;
}

static bool set_size(Object *obj, ObjectProperty *prop, JsonNode *value,
                     GError **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);
    uint64_t v;

    if (b->block) {
        error_setg(errp, "cannot change property 'size' of %s",
                   object_get_typename(obj));
        return false;
    }
    if (JSON_NODE_HOLDS_VALUE(value) &&
        json_node_get_value_type(value) == G_TYPE_STRING) {
        if (!qemu_strtosz("size", json_node_get_string(value), &v, errp)) {
            return false;
        }
    } else if (!qom_value_to_uint(value, "size", &v, errp)) {
        return false;
    }
    if (!v) {
        error_setg(errp, "Parameter 'size' expects a non-zero size");
        return false;
    }
    b->size = v;
    return true;
}

static JsonNode *get_bool(Object *obj, ObjectProperty *prop, GError **errp)
{
    bool *p = (bool *)((uint8_t *)obj + GPOINTER_TO_SIZE(prop->opaque));

    return qom_value_from_bool(*p);
}

static bool set_bool(Object *obj, ObjectProperty *prop, JsonNode *value,
                     GError **errp)
{
    bool *p = (bool *)((uint8_t *)obj + GPOINTER_TO_SIZE(prop->opaque));

    if (MEMORY_BACKEND(obj)->block) {
        error_setg(errp, "cannot change property '%s' of %s", prop->name,
                   object_get_typename(obj));
        return false;
    }
    return qom_value_to_bool(value, prop->name, p, errp);
}

void hostmem_class_add_bool(ObjectClass *oc, const char *name, size_t offset)
{
    object_class_property_add(oc, name, "bool", get_bool, set_bool, NULL,
                              GSIZE_TO_POINTER(offset));
}

static void hostmem_init(Object *obj)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    b->merge = true;
    b->dump = true;
}

static void hostmem_finalize(Object *obj)
{
    ram_block_free(g_steal_pointer(&MEMORY_BACKEND(obj)->block));
}

static void hostmem_class_init(ObjectClass *oc, void *data)
{
    object_class_property_add(oc, "size", "int", get_size, set_size, NULL,
                              NULL);
    hostmem_class_add_bool(oc, "share", offsetof(HostMemoryBackend, share));
    hostmem_class_add_bool(oc, "prealloc",
                           offsetof(HostMemoryBackend, prealloc));
    hostmem_class_add_bool(oc, "merge", offsetof(HostMemoryBackend, merge));
    hostmem_class_add_bool(oc, "dump", offsetof(HostMemoryBackend, dump));
}

static const TypeInfo hostmem_info = {
    .name = TYPE_MEMORY_BACKEND,
    .parent = TYPE_OBJECT,
    .abstract = true,
    .instance_size = sizeof(HostMemoryBackend),
    .class_size = sizeof(HostMemoryBackendClass),
    .instance_init = hostmem_init,
    .instance_finalize = hostmem_finalize,
    .class_init = hostmem_class_init,
};

static void hostmem_register(void)
{
    type_register_static(&hostmem_info);
}
type_init(hostmem_register)

/* User-creatable objects */

static bool hostmem_complete(HostMemoryBackend *b, const char *id,
                             GError **errp)
{
    if (!b->size) {
        error_setg(errp, "can't create backend with size 0");
        return false;
    }
    b->block = MEMORY_BACKEND_GET_CLASS(b)->alloc(b, id, errp);
    return b->block != NULL;
}

static Object *objects_container(void)
{
    return container_get(object_get_root(), "/objects");
}

bool user_creatable_print_help(const QemuOpts *opts)
{
    const char *type = qemu_opt_get(opts, "qom-type");

    if (type && !strcmp(type, "help")) {
        printf("List of user creatable objects:\n");
        printf("  %s\n  %s\n  %s\n", TYPE_MEMORY_BACKEND_FILE,
               TYPE_MEMORY_BACKEND_RAM, TYPE_SECRET);
        return true;
    }
    return false;
}

Object *user_creatable_add_opts(QemuOpts *opts, GError **errp)
{
    const char *type = qemu_opt_get(opts, "qom-type");
    const char *id = qemu_opt_get(opts, "id");
    ObjectClass *oc;
    Object *obj;

    if (!type) {
        error_setg(errp, "Parameter 'qom-type' is missing");
        return NULL;
    }
    oc = object_class_by_name(type);
    if (!oc || object_class_is_abstract(oc) ||
        (!object_class_dynamic_cast(oc, TYPE_MEMORY_BACKEND) &&
         !object_class_dynamic_cast(oc, TYPE_SECRET))) {
        error_setg(errp, "invalid object type: %s", type);
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    if (object_resolve_path_component(objects_container(), id)) {
        error_setg(errp, "attempt to add duplicate property '%s' to object "
                   "(type 'container')", id);
        return NULL;
    }
    obj = object_new(type);
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);
        if (!strcmp(o->name, "qom-type") || !strcmp(o->name, "id")) {
            continue;
        }
        if (!object_property_parse(obj, o->name, o->str, errp)) {
            object_unref(obj);
            return NULL;
        }
    }
    if (object_dynamic_cast(obj, TYPE_SECRET)
        ? !secret_complete(SECRET(obj), errp)
        : !hostmem_complete(MEMORY_BACKEND(obj), id, errp)) {
        object_unref(obj);
        return NULL;
    }
    object_property_add_child(objects_container(), id, obj);
    object_unref(obj);
    return obj;
}

bool user_creatable_del(const char *id, GError **errp)
{
    Object *obj = object_resolve_path_component(objects_container(), id);

    if (!obj) {
        error_setg(errp, "object '%s' not found", id);
        return false;
    }
    if (current_machine && current_machine->memory_backend &&
        !strcmp(current_machine->memory_backend, id)) {
        error_setg(errp, "object '%s' is in use, can not be deleted", id);
        return false;
    }
    object_unparent(obj);
    return true;
}

void qmp_marshal_object_add(JsonObject *args, JsonNode **ret, GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_from_json(args);

    if (!user_creatable_add_opts(opts, errp)) {
        return;
    }
    g_autoptr(JsonObject) empty = json_object_new();
    *ret = json_node_init_object(json_node_alloc(), empty);
}

void qmp_object_del(const char *id, GError **errp)
{
    user_creatable_del(id, errp);
}
