/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machines: the abstract "machine" type, finding one by name, and creating
 * /machine with its containers, system bus and RAM before the board's init.
 */
#include <stdio.h>
#include <string.h>

#include "hw/boards.h"
#include "qapi/error.h"

MachineState *current_machine;

Object *qdev_get_machine(void)
{
    if (current_machine) {
        return OBJECT(current_machine);
    }
    /* Before (or without) machine_create: a plain container stands in. */
    return container_get(object_get_root(), "/machine");
}

/* A class without an explicit name is called after its type: "X-machine". */
static const char *machine_class_name(MachineClass *mc)
{
    if (!mc->name) {
        const char *type = object_class_get_name(OBJECT_CLASS(mc));
        size_t len = strlen(type) - strlen(TYPE_MACHINE_SUFFIX);

        if (g_str_has_suffix(type, TYPE_MACHINE_SUFFIX)) {
            mc->name = g_strndup(type, len);
        } else {
            mc->name = g_strdup(type);
        }
    }
    return mc->name;
}

MachineClass *machine_find_class(const char *name)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;

        if (name ? (!strcmp(machine_class_name(mc), name) ||
                    (mc->alias && !strcmp(mc->alias, name)))
                 : mc->is_default) {
            return mc;
        }
    }
    return NULL;
}

void machine_print_help(void)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);

    printf("Supported machines are:\n");
    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        const char *name = machine_class_name(mc);

        if (mc->alias) {
            printf("%-20s %s (alias of %s)\n", mc->alias, mc->desc, name);
        }
        printf("%-20s %s%s\n", name, mc->desc,
               mc->is_default ? " (default)" : "");
    }
}

static bool machine_apply_opts(MachineState *ms, QemuOpts *opts,
                               GError **errp)
{
    if (!opts) {
        return true;
    }
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *opt = opts->list->pdata[i];

        if (!strcmp(opt->name, "type")) {
            continue;
        }
        if (!object_property_parse(OBJECT(ms), opt->name, opt->str, errp)) {
            return false;
        }
    }
    return true;
}

static bool machine_init_ram(MachineState *ms, MachineClass *mc,
                             GError **errp)
{
    const char *id = mc->default_ram_id ? mc->default_ram_id : "ram";

    ms->ram = g_new0(MemoryRegion, 1);
    if (ms->memory_backend) {
        RAMBlock *block = ram_block_by_name(ms->memory_backend);

        if (!block) {
            error_setg(errp, "Memory backend '%s' not found",
                       ms->memory_backend);
            g_clear_pointer(&ms->ram, g_free);
            return false;
        }
        memory_region_init_ram_from_block(ms->ram, OBJECT(ms), id, block);
    } else if (!memory_region_init_ram(ms->ram, OBJECT(ms), id,
                                       ms->ram_size, errp)) {
        g_clear_pointer(&ms->ram, g_free);
        return false;
    }
    ms->ram_block = ms->ram->ram_block;
    memory_region_add_subregion(get_system_memory(), 0, ms->ram);
    return true;
}

MachineState *machine_create(MachineClass *mc, QemuOpts *opts,
                             uint64_t ram_size, GError **errp)
{
    Object *obj = object_new(object_class_get_name(OBJECT_CLASS(mc)));
    MachineState *ms = MACHINE(obj);
    BusState *sysbus;
    Object *placeholder = object_resolve_path_component(object_get_root(),
                                                        "machine");

    /* Only unit tests create devices before the machine; drop theirs. */
    if (placeholder) {
        object_unparent(placeholder);
    }
    object_property_add_child(object_get_root(), "machine", obj);
    object_unref(obj);
    current_machine = ms;
    container_get(obj, "/peripheral");
    container_get(obj, "/peripheral-anon");
    sysbus = sysbus_get_default();
    if (!OBJECT(sysbus)->parent) {
        object_property_add_child(container_get(obj, "/unattached"),
                                  "sysbus", OBJECT(sysbus));
    }
    ms->main_bus = sysbus;

    if (!machine_apply_opts(ms, opts, errp)) {
        return NULL;
    }
    ms->ram_size = ram_size ? ram_size : mc->default_ram_size;
    if ((ms->ram_size || ms->memory_backend) &&
        !machine_init_ram(ms, mc, errp)) {
        return NULL;
    }
    if (mc->init) {
        GError *err = NULL;

        mc->init(ms, &err);
        if (err) {
            g_propagate_error(errp, err);
            return NULL;
        }
    }
    return ms;
}

static char *machine_get_memory_backend(Object *obj, GError **errp)
{
    return g_strdup(MACHINE(obj)->memory_backend);
}

static void machine_set_memory_backend(Object *obj, const char *v,
                                       GError **errp)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->memory_backend);
    ms->memory_backend = g_strdup(v);
}

static void machine_instance_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->memory_backend);
    if (ms->ram) {
        memory_region_finalize(ms->ram);
        g_free(ms->ram);
    }
    if (current_machine == ms) {
        current_machine = NULL;
    }
}

static void machine_class_init(ObjectClass *oc, void *data)
{
    object_class_property_add_str(oc, "memory-backend",
                                  machine_get_memory_backend,
                                  machine_set_memory_backend);
}

static void machine_register_types(void)
{
    static const TypeInfo machine_info = {
        .name = TYPE_MACHINE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(MachineState),
        .class_size = sizeof(MachineClass),
        .abstract = true,
        .instance_finalize = machine_instance_finalize,
        .class_init = machine_class_init,
    };

    type_register_static(&machine_info);
}

type_init(machine_register_types)
