/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcg-accel: what QEMU calls its software CPU.  baton translates no
 * instructions; the built-in guest (guest/) runs in the vCPU's place,
 * touching the machine only as a CPU can.  It and the virtual clock run
 * only while the VM runs.
 */
#include "qemu/accel.h"
#include "qemu/timer.h"
#include "system/runstate.h"
#include "guest/guest-cpu.h"

static void tcg_vm_state_change(void *opaque, bool running, RunState state)
{
    qemu_clock_virtual_run(running);
}

static bool tcg_init_machine(GError **errp)
{
    qemu_clock_virtual_follow_host();
    qemu_add_vm_change_state_handler(tcg_vm_state_change, NULL);
    return true;
}

/* The machine exists: the built-in guest takes the vCPU's place. */
static bool tcg_setup_post(GError **errp)
{
    if (!guest_check_knobs(errp)) {
        return false;
    }
    guest_cpu_init();
    return true;
}

static void tcg_accel_class_init(ObjectClass *oc, void *data)
{
    AccelClass *ac = ACCEL_CLASS(oc);

    ac->name = "tcg";
    ac->init_machine = tcg_init_machine;
    ac->setup_post = tcg_setup_post;
}

static const TypeInfo tcg_accel_info = {
    .name = ACCEL_CLASS_NAME("tcg"),
    .parent = TYPE_ACCEL,
    .class_init = tcg_accel_class_init,
};

static void tcg_accel_register_types(void)
{
    type_register_static(&tcg_accel_info);
}

type_init(tcg_accel_register_types)
