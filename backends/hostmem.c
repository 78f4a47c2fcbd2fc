/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memory backend base type: -object and object-add set the
 * properties, then completing the object allocates its RAM block (named
 * after the object's id, which -machine memory-backend=ID finds).
 */
#include "backends/hostmem.h"
#include "qom/object_interfaces.h"

#include <string.h>

#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"

/* Properties */

static JsonNode *get_size(Object *obj, ObjectProperty *prop, GError **errp)
{
    return qom_value_from_uint(MEMORY_BACKEND(obj)->size);
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
    if (qom_value_is_text(value)) {
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

static bool hostmem_complete(Object *obj, GError **errp);
static bool hostmem_can_be_deleted(Object *obj);

static void hostmem_class_init(ObjectClass *oc, void *data)
{
    UserCreatableClass *ucc = USER_CREATABLE_CLASS(oc);

    ucc->complete = hostmem_complete;
    ucc->can_be_deleted = hostmem_can_be_deleted;
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
    .interfaces = (const InterfaceInfo[]) {
        { TYPE_USER_CREATABLE },
        { NULL },
    },
};

static void hostmem_register(void)
{
    type_register_static(&hostmem_info);
}
type_init(hostmem_register)

/* User-creatable */

static bool hostmem_complete(Object *obj, GError **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (!b->size) {
        error_setg(errp, "can't create backend with size 0");
        return false;
    }
    b->block = MEMORY_BACKEND_GET_CLASS(b)->alloc(
        b, object_get_canonical_path_component(obj), errp);
    if (b->block && b->prealloc && !ram_block_prealloc(b->block, errp)) {
        ram_block_free(b->block);
        b->block = NULL;
    }
    return b->block != NULL;
}

/* The machine's RAM (-machine memory-backend=ID) stays while it runs. */
static bool hostmem_can_be_deleted(Object *obj)
{
    const char *id = object_get_canonical_path_component(obj);

    return !current_machine || !current_machine->memory_backend ||
           strcmp(current_machine->memory_backend, id);
}

/* query-memdev: the memory backends under /objects. */
static int memdev_one(Object *obj, void *opaque)
{
    MemdevList ***tail = opaque;
    HostMemoryBackend *b;
    MemdevList *elt;
    Memdev *m;

    if (!object_dynamic_cast(obj, TYPE_MEMORY_BACKEND)) {
        return 0;
    }
    b = MEMORY_BACKEND(obj);
    m = g_new0(Memdev, 1);
    m->id = g_strdup(object_get_canonical_path_component(obj));
    m->size = b->size;
    m->merge = b->merge;
    m->dump = b->dump;
    m->prealloc = b->prealloc;
    m->share = b->share;
    m->has_reserve = true;
    m->reserve = true;
    m->policy = HOST_MEM_POLICY_DEFAULT;
    elt = g_new0(MemdevList, 1);
    elt->value = m;
    **tail = elt;
    *tail = &elt->next;
    return 0;
}

MemdevList *qmp_query_memdev(GError **errp)
{
    MemdevList *head = NULL, **tail = &head;

    object_child_foreach(object_get_objects_root(), memdev_one, &tail);
    return head;
}
