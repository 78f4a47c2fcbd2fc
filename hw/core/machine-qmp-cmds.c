/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP about the machine: the target, machine types, CPUs, RAM size and
 * ACPI OSPM status, in QEMU 8.1's reply shapes.
 */
#include <unistd.h>
#include <sys/syscall.h>

#include "hw/boards.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"

TargetInfo *qmp_query_target(GError **errp)
{
    TargetInfo *info = g_new0(TargetInfo, 1);

    info->arch = SYS_EMU_TARGET_X86_64;
    return info;
}

/* The list follows the registered machine classes (object_class_get_list). */
MachineInfoList *qmp_query_machines(GError **errp)
{
    g_autoptr(GSList) list = object_class_get_list(TYPE_MACHINE, false);
    MachineInfoList *head = NULL, **tail = &head;

    for (GSList *l = list; l; l = l->next) {
        MachineClass *mc = l->data;
        MachineInfo *info = g_new0(MachineInfo, 1);
        MachineInfoList *elt = g_new0(MachineInfoList, 1);

        info->name = g_strdup(machine_class_get_name(mc));
        info->alias = g_strdup(mc->alias);
        if (mc->is_default) {
            info->has_is_default = info->is_default = true;
        }
        info->cpu_max = mc->max_cpus ? mc->max_cpus : 1;
        info->hotpluggable_cpus = mc->has_hotpluggable_cpus;
        info->numa_mem_supported = false;
        info->deprecated = false;
        info->default_cpu_type = g_strdup(mc->default_cpu_type);
        info->default_ram_id = g_strdup(mc->default_ram_id);
        /* As QEMU decides it: the machine type has an "acpi" property. */
        info->acpi = object_class_property_find(OBJECT_CLASS(mc), "acpi");
        elt->value = info;
        *tail = elt;
        tail = &elt->next;
    }
    return head;
}

/* No guest sleep states are emulated, so a suspended guest never wakes. */
CurrentMachineParams *qmp_query_current_machine(GError **errp)
{
    return g_new0(CurrentMachineParams, 1);
}

static MachineState *machine_or_error(GError **errp)
{
    if (!current_machine) {
        error_setg(errp, "No machine has been created");
    }
    return current_machine;
}

CpuInfoFastList *qmp_query_cpus_fast(GError **errp)
{
    MachineState *ms = current_machine;
    CpuInfoFastList *head = NULL, **tail = &head;
    GPtrArray *cpus = ms ? machine_cpus(ms) : NULL;

    for (guint i = 0; cpus && i < cpus->len; i++) {
        CpuInfoFast *info = g_new0(CpuInfoFast, 1);
        CpuInfoFastList *elt = g_new0(CpuInfoFastList, 1);

        info->cpu_index = i;
        info->qom_path = object_get_canonical_path(cpus->pdata[i]);
        /* The CPUs have no threads of their own: the main loop's. */
        info->thread_id = syscall(SYS_gettid);
        info->props = machine_cpu_props(ms, i);
        info->target = SYS_EMU_TARGET_X86_64;
        elt->value = info;
        *tail = elt;
        tail = &elt->next;
    }
    return head;
}

HotpluggableCPUList *qmp_query_hotpluggable_cpus(GError **errp)
{
    MachineState *ms = machine_or_error(errp);
    MachineClass *mc;
    HotpluggableCPUList *head = NULL;

    if (!ms) {
        return NULL;
    }
    mc = MACHINE_GET_CLASS(ms);
    if (!mc->has_hotpluggable_cpus) {
        error_setg(errp, "machine does not support hot-plugging CPUs");
        return NULL;
    }
    /* QEMU lists them from the last possible CPU to the first. */
    for (unsigned i = 0; i < ms->smp.max_cpus; i++) {
        HotpluggableCPU *cpu = g_new0(HotpluggableCPU, 1);
        HotpluggableCPUList *elt = g_new0(HotpluggableCPUList, 1);

        cpu->type = g_strdup(ms->cpu_type);
        cpu->vcpus_count = 1;
        cpu->props = machine_cpu_props(ms, i);
        if (i < ms->cpus->len) {
            cpu->qom_path = object_get_canonical_path(ms->cpus->pdata[i]);
        }
        elt->value = cpu;
        elt->next = head;
        head = elt;
    }
    return head;
}

MemoryInfo *qmp_query_memory_size_summary(GError **errp)
{
    MemoryInfo *info = g_new0(MemoryInfo, 1);

    info->base_memory = current_machine ? current_machine->ram_size : 0;
    /* A PC can hot-plug memory in QEMU; here nothing is ever plugged. */
    info->has_plugged_memory = true;
    info->plugged_memory = 0;
    return info;
}

MemoryDeviceInfoList *qmp_query_memory_devices(GError **errp)
{
    return NULL;
}

/* Only a machine with an ACPI device (q35's ICH9) reports OSPM status. */
ACPIOSTInfoList *qmp_query_acpi_ospm_status(GError **errp)
{
    MachineState *ms = current_machine;

    if (!ms || !object_class_property_find(object_get_class(OBJECT(ms)),
                                           "acpi")) {
        error_setg(errp, "command is not supported, missing ACPI device");
    }
    return NULL;
}
