/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The q35 machine (pc-q35-8.1, alias q35), the default.  So far it is RAM
 * and the system bus; the PCI Express platform (host bridge, ICH9, root
 * ports, hotplug) is built by the q35 PCI work on top of this.
 */
#include "qapi/error.h"
#include "hw/boards.h"

static void pc_q35_init(MachineState *ms, GError **errp)
{
}

static void pc_q35_class_init(ObjectClass *oc, void *data)
{
    MachineClass *mc = MACHINE_CLASS(oc);

    mc->name = "pc-q35-8.1";
    mc->alias = "q35";
    mc->desc = "Standard PC (Q35 + ICH9, 2009)";
    mc->is_default = true;
    mc->default_ram_size = 128 * 1024 * 1024;
    mc->init = pc_q35_init;
}

static const TypeInfo pc_q35_info = {
    .name = MACHINE_TYPE_NAME("pc-q35-8.1"),
    .parent = TYPE_MACHINE,
    .class_init = pc_q35_class_init,
};

static void pc_q35_register_types(void)
{
    type_register_static(&pc_q35_info);
}

type_init(pc_q35_register_types)
