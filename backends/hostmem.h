/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Memory backends: an object owning one RAM block named after its id. */
#ifndef BACKENDS_HOSTMEM_H
#define BACKENDS_HOSTMEM_H

#include "exec/memory.h"
#include "qom/object.h"

#define TYPE_MEMORY_BACKEND "memory-backend"
#define TYPE_MEMORY_BACKEND_RAM "memory-backend-ram"
#define TYPE_MEMORY_BACKEND_FILE "memory-backend-file"

typedef struct HostMemoryBackend {
    Object parent_obj;
    uint64_t size;
    bool share;
    bool prealloc;
    bool merge;
    bool dump;
    char *mem_path;             /* memory-backend-file */
    bool discard_data;          /* memory-backend-file, accepted */
    RAMBlock *block;            /* once complete */
} HostMemoryBackend;

typedef struct HostMemoryBackendClass {
    ObjectClass parent_class;
    RAMBlock *(*alloc)(HostMemoryBackend *b, const char *id, GError **errp);
} HostMemoryBackendClass;

#define MEMORY_BACKEND(obj) \
    OBJECT_CHECK(HostMemoryBackend, (obj), TYPE_MEMORY_BACKEND)
#define MEMORY_BACKEND_GET_CLASS(obj) \
    OBJECT_GET_CLASS(HostMemoryBackendClass, (obj), TYPE_MEMORY_BACKEND)
#define MEMORY_BACKEND_CLASS(oc) \
    OBJECT_CLASS_CHECK(HostMemoryBackendClass, (oc), TYPE_MEMORY_BACKEND)

/* A bool property stored at offset in the backend (file/ram specific). */
void hostmem_class_add_bool(ObjectClass *oc, const char *name, size_t offset);

#endif
