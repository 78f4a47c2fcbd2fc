/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object rng-builtin: QEMU's random-number backend for virtio-rng.  baton
 * has no virtio-rng, so nothing reads from it; the object exists so that
 * configurations naming one (QEMU's readconfig-test, management tools)
 * start, and shows at /objects/ID.
 */
#include "qom/object_interfaces.h"

#define TYPE_RNG_BACKEND "rng-backend"
#define TYPE_RNG_BUILTIN "rng-builtin"

static const InterfaceInfo rng_interfaces[] = {
    { TYPE_USER_CREATABLE },
    { NULL },
};

static void rng_register(void)
{
    static const TypeInfo backend_info = {
        .name = TYPE_RNG_BACKEND,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .interfaces = rng_interfaces,
    };
    static const TypeInfo builtin_info = {
        .name = TYPE_RNG_BUILTIN,
        .parent = TYPE_RNG_BACKEND,
    };

    type_register_static(&backend_info);
    type_register_static(&builtin_info);
}
type_init(rng_register)
