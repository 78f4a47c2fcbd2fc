/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Run state, stop/cont, reset and shutdown. */
#include "qapi/error.h"
#include "qapi/qapi-events.h"
#include "qemu/main-loop.h"
#include "system/runstate.h"
#include "hw/boards.h"
#include "hw/qdev-core.h"

static RunState current_run_state = RUN_STATE_PRELAUNCH;
static bool autostart = true;
static bool no_shutdown;
static bool no_reboot;

void runstate_set_no_shutdown(bool on)
{
    no_shutdown = on;
}

void runstate_set_no_reboot(bool on)
{
    no_reboot = on;
}

void runstate_set_autostart(bool on)
{
    autostart = on;
}

bool runstate_get_autostart(void)
{
    return autostart;
}

RunState runstate_get(void)
{
    return current_run_state;
}

typedef struct VMChangeEntry {
    VMChangeStateHandler *cb;
    void *opaque;
} VMChangeEntry;

static GArray *vm_change_handlers;

void qemu_add_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque)
{
    VMChangeEntry e = { cb, opaque };

    if (!vm_change_handlers) {
        vm_change_handlers = g_array_new(FALSE, FALSE, sizeof(VMChangeEntry));
    }
    g_array_append_val(vm_change_handlers, e);
}

void qemu_del_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque)
{
    for (guint i = 0; vm_change_handlers && i < vm_change_handlers->len; i++) {
        VMChangeEntry *e = &g_array_index(vm_change_handlers, VMChangeEntry,
                                          i);

        if (e->cb == cb && e->opaque == opaque) {
            g_array_remove_index(vm_change_handlers, i);
            return;
        }
    }
}

void runstate_set(RunState state)
{
    bool was_running = runstate_is_running();

    current_run_state = state;
    if (was_running == runstate_is_running() || !vm_change_handlers) {
        return;
    }
    for (guint i = 0; i < vm_change_handlers->len; i++) {
        VMChangeEntry *e = &g_array_index(vm_change_handlers, VMChangeEntry,
                                          i);
        e->cb(e->opaque, !was_running, state);
    }
}

bool runstate_check(RunState state)
{
    return current_run_state == state;
}

bool runstate_is_running(void)
{
    return current_run_state == RUN_STATE_RUNNING;
}

void vm_stop(RunState state)
{
    bool was_running = runstate_is_running();

    runstate_set(state);
    if (was_running) {
        qapi_event_send_stop();
    }
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_RUNNING);
    qapi_event_send_resume();
}

/* Whether the guest, rather than the host, caused a reset or shutdown. */
static bool shutdown_caused_by_guest(ShutdownCause cause)
{
    return cause > SHUTDOWN_CAUSE_HOST_UI &&
           cause != SHUTDOWN_CAUSE_SUBSYSTEM_RESET;
}

typedef struct ResetEntry {
    QEMUResetHandler *func;
    void *opaque;
} ResetEntry;

static GArray *reset_handlers;

void qemu_register_reset(QEMUResetHandler *func, void *opaque)
{
    ResetEntry e = { func, opaque };

    if (!reset_handlers) {
        reset_handlers = g_array_new(FALSE, FALSE, sizeof(ResetEntry));
    }
    g_array_append_val(reset_handlers, e);
}

void qemu_unregister_reset(QEMUResetHandler *func, void *opaque)
{
    for (guint i = 0; reset_handlers && i < reset_handlers->len; i++) {
        ResetEntry *e = &g_array_index(reset_handlers, ResetEntry, i);
        if (e->func == func && e->opaque == opaque) {
            g_array_remove_index(reset_handlers, i);
            return;
        }
    }
}

void qemu_system_reset(ShutdownCause reason)
{
    MachineState *ms = current_machine;

    if (ms && MACHINE_GET_CLASS(ms)->reset) {
        MACHINE_GET_CLASS(ms)->reset(ms, reason);
    } else {
        bus_cold_reset(sysbus_get_default());
    }
    /* Handlers may unregister themselves: walk a copy. */
    if (reset_handlers) {
        g_autoptr(GArray) copy = g_array_copy(reset_handlers);
        for (guint i = 0; i < copy->len; i++) {
            ResetEntry *e = &g_array_index(copy, ResetEntry, i);
            e->func(e->opaque);
        }
    }
    if (reason != SHUTDOWN_CAUSE_NONE) {
        qapi_event_send_reset(shutdown_caused_by_guest(reason), reason);
    }
}

static ShutdownCause pending_reset = SHUTDOWN_CAUSE_NONE;
static bool reset_pending;
static QEMUBH *reset_bh;

static void reset_bh_cb(void *opaque)
{
    ShutdownCause reason = pending_reset;

    pending_reset = SHUTDOWN_CAUSE_NONE;
    reset_pending = false;
    qemu_system_reset(reason);
    /* A machine reset while not running restarts from the beginning. */
    if (!runstate_check(RUN_STATE_RUNNING) &&
        !runstate_check(RUN_STATE_INMIGRATE) &&
        !runstate_check(RUN_STATE_FINISH_MIGRATE)) {
        runstate_set(RUN_STATE_PRELAUNCH);
    }
}

/*
 * Deferred to the main loop so that a reset requested from inside a
 * device's register write does not tear that device down under its feet.
 */
void qemu_system_reset_request(ShutdownCause reason)
{
    if (no_reboot && reason != SHUTDOWN_CAUSE_SUBSYSTEM_RESET) {
        qemu_system_shutdown_request(reason);
        return;
    }
    if (!reset_bh) {
        reset_bh = qemu_bh_new(reset_bh_cb, NULL);
    }
    pending_reset = reason;
    reset_pending = true;
    qemu_bh_schedule(reset_bh);
}

static bool shutdown_requested;
static ShutdownCause shutdown_cause;
static QEMUBH *shutdown_bh;

static void shutdown_bh_cb(void *opaque)
{
    qemu_bh_delete(shutdown_bh);
    shutdown_bh = NULL;
    qapi_event_send_shutdown(shutdown_caused_by_guest(shutdown_cause),
                             shutdown_cause);
    /* 'quit' and signals end the process even with -no-shutdown. */
    if (no_shutdown && shutdown_cause != SHUTDOWN_CAUSE_HOST_QMP_QUIT &&
        shutdown_cause != SHUTDOWN_CAUSE_HOST_SIGNAL) {
        vm_stop(RUN_STATE_SHUTDOWN);
        shutdown_requested = false;
        return;
    }
    runstate_set(RUN_STATE_SHUTDOWN);
    main_loop_exit(0);
}

/*
 * Acted on from the main loop, as in QEMU: a 'quit' command's reply goes
 * out before the SHUTDOWN event, and a signal handler does no real work.
 */
void qemu_system_shutdown_request(ShutdownCause reason)
{
    if (shutdown_requested) {
        return;
    }
    shutdown_requested = true;
    shutdown_cause = reason;
    shutdown_bh = qemu_bh_new(shutdown_bh_cb, NULL);
    qemu_bh_schedule(shutdown_bh);
}

static GArray *powerdown_handlers;     /* ResetEntry: same shape */
static QEMUBH *powerdown_bh;
static bool powerdown_pending;

void qemu_register_powerdown_notifier(QEMUPowerdownHandler *fn,
                                      void *opaque)
{
    ResetEntry e = { fn, opaque };

    if (!powerdown_handlers) {
        powerdown_handlers = g_array_new(FALSE, FALSE, sizeof(ResetEntry));
    }
    g_array_append_val(powerdown_handlers, e);
}

void qemu_unregister_powerdown_notifier(QEMUPowerdownHandler *fn,
                                        void *opaque)
{
    for (guint i = 0; powerdown_handlers && i < powerdown_handlers->len;
         i++) {
        ResetEntry *e = &g_array_index(powerdown_handlers, ResetEntry, i);
        if (e->func == fn && e->opaque == opaque) {
            g_array_remove_index(powerdown_handlers, i);
            return;
        }
    }
}

static void powerdown_bh_cb(void *opaque)
{
    powerdown_pending = false;
    qapi_event_send_powerdown();
    for (guint i = 0; powerdown_handlers && i < powerdown_handlers->len;
         i++) {
        ResetEntry *e = &g_array_index(powerdown_handlers, ResetEntry, i);
        e->func(e->opaque);
    }
}

/* Deferred like the other requests: the command's reply comes first. */
void qemu_system_powerdown_request(void)
{
    if (!powerdown_bh) {
        powerdown_bh = qemu_bh_new(powerdown_bh_cb, NULL);
    }
    powerdown_pending = true;
    qemu_bh_schedule(powerdown_bh);
}

/*
 * QEMU's main loop acts on these requests between two monitor commands,
 * in this order; libvirt's reboot relies on it (system_reset, then cont
 * right after the reply: the cont must find the VM reset).
 */
void qemu_system_handle_requests(void)
{
    if (shutdown_bh) {
        shutdown_bh_cb(NULL);   /* deletes, and so cancels, shutdown_bh */
    }
    if (reset_pending) {
        qemu_bh_cancel(reset_bh);
        reset_bh_cb(NULL);
    }
    if (powerdown_pending) {
        qemu_bh_cancel(powerdown_bh);
        powerdown_bh_cb(NULL);
    }
}

typedef struct ExitEntry {
    QEMUExitNotifier *fn;
    void *opaque;
} ExitEntry;

static GSList *exit_notifiers;

void qemu_add_exit_notifier(QEMUExitNotifier *fn, void *opaque)
{
    ExitEntry *e = g_new(ExitEntry, 1);

    e->fn = fn;
    e->opaque = opaque;
    exit_notifiers = g_slist_prepend(exit_notifiers, e);
}

void qemu_run_exit_notifiers(void)
{
    GSList *list = exit_notifiers;

    exit_notifiers = NULL;
    for (GSList *l = list; l; l = l->next) {
        ExitEntry *e = l->data;
        e->fn(e->opaque);
    }
    g_slist_free_full(list, g_free);
}
