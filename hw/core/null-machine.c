/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The "none" machine: no board devices and, unless -m says so, no RAM. */
#include "hw/boards.h"

static void machine_none_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "none";
    mc->desc = "empty machine";
    mc->max_cpus = 1;
    mc->default_ram_size = 0;
    mc->default_ram_id = "ram";
}

static void machine_none_register_types(void)
{
    static const TypeInfo machine_none_info = {
        .name = MACHINE_TYPE_NAME("none"),
        .parent = TYPE_MACHINE,
        .class_init = machine_none_class_init,
    };

    type_register_static(&machine_none_info);
}

type_init(machine_none_register_types)
