/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memory-backend-file: guest RAM mapped from a file (mem-path), private
 * or shared (share=on), so a guest can start with prepared contents.
 */
#include "backends/hostmem.h"

#include "qapi/error.h"

static RAMBlock *file_backend_alloc(HostMemoryBackend *b, const char *id,
                                    GError **errp)
{
    if (!b->mem_path) {
        error_setg(errp, "mem-path property not set");
        return NULL;
    }
    return ram_block_new_from_file(id, b->size, b->mem_path, b->share, errp);
}

static char *get_mem_path(Object *obj, GError **errp)
{
    return g_strdup(MEMORY_BACKEND(obj)->mem_path);
}

static void set_mem_path(Object *obj, const char *v, GError **errp)
{
    HostMemoryBackend *b = MEMORY_BACKEND(obj);

    if (b->block) {
        error_setg(errp, "cannot change property 'mem-path' of %s",
                   object_get_typename(obj));
        return;
    }
    g_free(b->mem_path);
    b->mem_path = g_strdup(v);
}

static void file_backend_finalize(Object *obj)
{
    g_free(MEMORY_BACKEND(obj)->mem_path);
}

static void file_backend_class_init(ObjectClass *oc, void *data)
{
    MEMORY_BACKEND_CLASS(oc)->alloc = file_backend_alloc;
    object_class_property_add_str(oc, "mem-path", get_mem_path,
                                  set_mem_path);
    hostmem_class_add_bool(oc, "discard-data",
                           offsetof(HostMemoryBackend, discard_data));
}

static const TypeInfo file_backend_info = {
    .name = TYPE_MEMORY_BACKEND_FILE,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = file_backend_class_init,
    .instance_finalize = file_backend_finalize,
};

static void file_backend_register(void)
{
    type_register_static(&file_backend_info);
}
type_init(file_backend_register)
