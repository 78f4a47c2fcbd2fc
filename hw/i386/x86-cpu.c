/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86 CPU objects.  baton emulates no guest ISA: a CPU here is an inert
 * device that only carries its place in the topology, so that QOM, the
 * CPU queries and libvirt see what QEMU under qtest shows ("cpu" ->
 * "x86_64-cpu" -> "qemu64-x86_64-cpu" at /machine/unattached/device[N]).
 */
#include "hw/qdev-properties.h"

#define TYPE_CPU "cpu"
#define TYPE_X86_CPU "x86_64-cpu"

typedef struct X86CPU {
    DeviceState parent_obj;
    uint32_t apic_id;
    int32_t node_id;
    int32_t socket_id;
    int32_t die_id;
    int32_t core_id;
    int32_t thread_id;
    bool start_powered_off;
} X86CPU;

static Property x86_cpu_properties[] = {
    DEFINE_PROP_UINT32("apic-id", X86CPU, apic_id, 0xffffffff),
    DEFINE_PROP_INT32("node-id", X86CPU, node_id, -1),
    DEFINE_PROP_INT32("socket-id", X86CPU, socket_id, 0),
    DEFINE_PROP_INT32("die-id", X86CPU, die_id, 0),
    DEFINE_PROP_INT32("core-id", X86CPU, core_id, 0),
    DEFINE_PROP_INT32("thread-id", X86CPU, thread_id, 0),
    DEFINE_PROP_BOOL("start-powered-off", X86CPU, start_powered_off, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void cpu_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);

    dc->category = DEVICE_CATEGORY_CPU;
    /* Only boards create CPUs: baton has no CPU hotplug. */
    dc->user_creatable = false;
}

static void x86_cpu_class_init(ObjectClass *oc, void *data)
{
    device_class_set_props(DEVICE_CLASS(oc), x86_cpu_properties);
}

static void qemu64_cpu_class_init(ObjectClass *oc, void *data)
{
    DEVICE_CLASS(oc)->desc = "QEMU Virtual CPU version 2.5+";
}

static const TypeInfo x86_cpu_types[] = {
    {
        .name = TYPE_CPU,
        .parent = TYPE_DEVICE,
        .abstract = true,
        .class_init = cpu_class_init,
    }, {
        .name = TYPE_X86_CPU,
        .parent = TYPE_CPU,
        .instance_size = sizeof(X86CPU),
        .abstract = true,
        .class_init = x86_cpu_class_init,
    }, {
        .name = "qemu64-" TYPE_X86_CPU,
        .parent = TYPE_X86_CPU,
        .class_init = qemu64_cpu_class_init,
    },
};

static void x86_cpu_register_types(void)
{
    type_register_static_array(x86_cpu_types, G_N_ELEMENTS(x86_cpu_types));
}

type_init(x86_cpu_register_types)
