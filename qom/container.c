/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Containers: plain objects that only group children in the composition
 * tree (/machine/peripheral, /machine/unattached, ...).
 */
#include <string.h>

#include "qom/object.h"

Object *container_get(Object *root, const char *path)
{
    g_auto(GStrv) parts = g_strsplit(path, "/", 0);
    Object *obj = root;

    for (char **part = parts; *part; part++) {
        Object *child;

        if (!**part) {
            continue;
        }
        child = object_resolve_path_component(obj, *part);
        if (!child) {
            child = object_new(TYPE_CONTAINER);
            object_property_add_child(obj, *part, child);
            object_unref(child);    /* the parent holds it now */
        }
        obj = child;
    }
    return obj;
}

static void container_register_types(void)
{
    static const TypeInfo container_info = {
        .name = TYPE_CONTAINER,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(Object),
    };

    type_register_static(&container_info);
}

type_init(container_register_types)
