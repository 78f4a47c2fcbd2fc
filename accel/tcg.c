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
#include "migration/vmstate.h"

/*
 * The virtual clock travels with the VM, as in QEMU's "timer" section:
 * guest time on the destination continues from the source's, so deadlines
 * the guest keeps in RAM stay meaningful.  Saved while the VM is stopped.
 */
typedef struct TimersState {
    int64_t cpu_ticks_offset;   /* no TSC here: 0 */
    int64_t dummy;
    int64_t cpu_clock_offset;   /* the virtual clock, ns */
} TimersState;

static TimersState timers_state;

static void timer_pre_save(void *opaque)
{
    timers_state.cpu_clock_offset = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static bool timer_post_load(void *opaque, int version_id, GError **errp)
{
    qemu_clock_virtual_set(timers_state.cpu_clock_offset);
    return true;
}

static const VMStateDescription vmstate_timers = {
    .name = "timer",
    .version_id = 2,
    .pre_save = timer_pre_save,
    .post_load = timer_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_INT64(cpu_ticks_offset, TimersState),
        VMSTATE_INT64(dummy, TimersState),
        VMSTATE_INT64(cpu_clock_offset, TimersState),
        VMSTATE_END_OF_LIST()
    },
};

static void tcg_vm_state_change(void *opaque, bool running, RunState state)
{
    qemu_clock_virtual_run(running);
}

static bool tcg_init_machine(GError **errp)
{
    qemu_clock_virtual_follow_host();
    qemu_add_vm_change_state_handler(tcg_vm_state_change, NULL);
    vmstate_register_global("timer", &vmstate_timers, &timers_state);
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
