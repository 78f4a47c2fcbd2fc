/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Machines: the abstract "machine" type, finding one by name, and creating
 * /machine with its containers, system bus and RAM before the board's init.
 */
#include <stdio.h>
#include <string.h>

#include "hw/boards.h"
#include "qom/object_interfaces.h"
#include "qapi/error.h"
#include "qapi/util.h"

MachineState *current_machine;
BootConfig boot_config;

Object *qdev_get_machine(void)
{
    if (current_machine) {
        return OBJECT(current_machine);
    }
    /* Before (or without) machine_create: a plain container stands in. */
    return container_get(object_get_root(), "/machine");
}

/* A class without an explicit name is called after its type: "X-machine". */
const char *machine_class_get_name(MachineClass *mc)
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

        if (name ? (!strcmp(machine_class_get_name(mc), name) ||
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
        const char *name = machine_class_get_name(mc);

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

/*
 * As QEMU 8.1: RAM without -machine memory-backend= is a memory-backend-ram
 * named after the machine's RAM id (/objects/pc.ram, /objects/ram), which
 * query-memdev lists and object-del may not remove.
 */
static bool machine_create_default_memdev(MachineState *ms, const char *id,
                                          GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    g_autofree char *size = g_strdup_printf("%" G_GUINT64_FORMAT,
                                            ms->ram_size);
    Object *obj;

    qemu_opt_set(opts, "qom-type", "memory-backend-ram");
    qemu_opt_set(opts, "id", id);
    qemu_opt_set(opts, "size", size);
    obj = user_creatable_add_opts(opts, errp);
    if (!obj) {
        return false;
    }
    ms->memory_backend = g_strdup(id);
    return true;
}

static bool machine_init_ram(MachineState *ms, MachineClass *mc,
                             bool size_given, GError **errp)
{
    const char *id = mc->default_ram_id ? mc->default_ram_id : "ram";

    if (!ms->memory_backend && ms->ram_size &&
        !machine_create_default_memdev(ms, id, errp)) {
        return false;
    }
    ms->ram = g_new0(MemoryRegion, 1);
    if (ms->memory_backend) {
        RAMBlock *block = ram_block_by_name(ms->memory_backend);
        uint64_t backend_size;

        if (!block) {
            error_setg(errp, "Memory backend '%s' not found",
                       ms->memory_backend);
            g_clear_pointer(&ms->ram, g_free);
            return false;
        }
        backend_size = block->size;
        /* Without -m the backend decides the size. */
        if (size_given && ms->ram_size != backend_size) {
            error_setg(errp, "Size specified by -m option must match size "
                       "of explicitly specified 'memory-backend' property");
            g_clear_pointer(&ms->ram, g_free);
            return false;
        }
        ms->ram_size = backend_size;
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
    if (!machine_smp_init(ms, mc, errp)) {
        return NULL;
    }
    ms->ram_size = ram_size ? ram_size : mc->default_ram_size;
    if ((ms->ram_size || ms->memory_backend) &&
        !machine_init_ram(ms, mc, ram_size != 0, errp)) {
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

static JsonNode *machine_get_bool_field(Object *obj, ObjectProperty *prop,
                                        GError **errp)
{
    bool *p = (bool *)((uint8_t *)obj + GPOINTER_TO_SIZE(prop->opaque));

    return qom_value_from_bool(*p);
}

static bool machine_set_bool_field(Object *obj, ObjectProperty *prop,
                                   JsonNode *value, GError **errp)
{
    bool *p = (bool *)((uint8_t *)obj + GPOINTER_TO_SIZE(prop->opaque));

    return qom_value_to_bool(value, prop->name, p, errp);
}

void machine_class_add_bool(ObjectClass *oc, const char *name, size_t offset)
{
    object_class_property_add(oc, name, "bool", machine_get_bool_field,
                              machine_set_bool_field, NULL,
                              GSIZE_TO_POINTER(offset));
}

static JsonNode *machine_get_on_off_auto(Object *obj, ObjectProperty *prop,
                                         GError **errp)
{
    int *p = (int *)((uint8_t *)obj + GPOINTER_TO_SIZE(prop->opaque));

    return qom_value_from_str(qapi_enum_lookup(&OnOffAuto_lookup, *p));
}

static bool machine_set_on_off_auto(Object *obj, ObjectProperty *prop,
                                    JsonNode *value, GError **errp)
{
    int *p = (int *)((uint8_t *)obj + GPOINTER_TO_SIZE(prop->opaque));
    const char *s;

    if (!qom_value_to_str(value, prop->name, &s, errp)) {
        return false;
    }
    for (int i = 0; i < OnOffAuto_lookup.size; i++) {
        if (!strcmp(OnOffAuto_lookup.array[i], s)) {
            *p = i;
            return true;
        }
    }
    error_setg(errp, "Parameter '%s' does not accept value '%s'",
               prop->name, s);
    return false;
}

void machine_class_add_on_off_auto(ObjectClass *oc, const char *name,
                                   size_t offset)
{
    object_class_property_add(oc, name, "OnOffAuto", machine_get_on_off_auto,
                              machine_set_on_off_auto, NULL,
                              GSIZE_TO_POINTER(offset));
}

static char *machine_get_kernel_irqchip(Object *obj, GError **errp)
{
    return g_strdup(MACHINE(obj)->kernel_irqchip);
}

/* Without KVM there is no in-kernel irqchip; the value is only kept. */
static void machine_set_kernel_irqchip(Object *obj, const char *v,
                                       GError **errp)
{
    MachineState *ms = MACHINE(obj);

    if (strcmp(v, "on") && strcmp(v, "off") && strcmp(v, "split")) {
        error_setg(errp, "Parameter 'kernel-irqchip' does not accept "
                   "value '%s'", v);
        return;
    }
    g_free(ms->kernel_irqchip);
    ms->kernel_irqchip = g_strdup(v);
}

static void machine_instance_init(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    ms->dump_guest_core = true;
    ms->mem_merge = true;
    ms->graphics = true;
}

static void machine_instance_finalize(Object *obj)
{
    MachineState *ms = MACHINE(obj);

    g_free(ms->memory_backend);
    g_free(ms->kernel_irqchip);
    g_free(ms->cpu_type);
    if (ms->cpus) {
        g_ptr_array_free(ms->cpus, TRUE);
    }
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
    /* Accepted as QEMU does; baton has no USB, core dumps of guest RAM,
     * KSM, display or KVM irqchip to apply them to. */
    machine_class_add_bool(oc, "usb", offsetof(MachineState, usb));
    machine_class_add_bool(oc, "dump-guest-core",
                           offsetof(MachineState, dump_guest_core));
    machine_class_add_bool(oc, "mem-merge",
                           offsetof(MachineState, mem_merge));
    machine_class_add_bool(oc, "graphics", offsetof(MachineState, graphics));
    machine_class_add_bool(oc, "suppress-vmdesc",
                           offsetof(MachineState, suppress_vmdesc));
    object_class_property_add_str(oc, "kernel-irqchip",
                                  machine_get_kernel_irqchip,
                                  machine_set_kernel_irqchip);
}

static void machine_register_types(void)
{
    static const TypeInfo machine_info = {
        .name = TYPE_MACHINE,
        .parent = TYPE_OBJECT,
        .instance_size = sizeof(MachineState),
        .class_size = sizeof(MachineClass),
        .abstract = true,
        .instance_init = machine_instance_init,
        .instance_finalize = machine_instance_finalize,
        .class_init = machine_class_init,
    };

    type_register_static(&machine_info);
}

type_init(machine_register_types)
