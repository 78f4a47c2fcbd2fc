/* SPDX-License-Identifier: GPL-2.0-or-later */
/* memory-backend-ram: anonymous guest RAM, allocated lazily (share=on:
 * a shared mapping). */
#include "backends/hostmem.h"

#include "qapi/error.h"

static RAMBlock *ram_backend_alloc(HostMemoryBackend *b, const char *id,
                                   GError **errp)
{
    return ram_block_new_anon(id, b->size, b->share, errp);
}

static void ram_backend_class_init(ObjectClass *oc, void *data)
{
    MEMORY_BACKEND_CLASS(oc)->alloc = ram_backend_alloc;
}

static const TypeInfo ram_backend_info = {
    .name = TYPE_MEMORY_BACKEND_RAM,
    .parent = TYPE_MEMORY_BACKEND,
    .class_init = ram_backend_class_init,
};

static void ram_backend_register(void)
{
    type_register_static(&ram_backend_info);
}
type_init(ram_backend_register)
