/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The VM run state (query-status), stop/cont, reset and shutdown requests.
 * Requests made from inside a device callback are acted on from the main
 * loop, as in QEMU.
 */
#ifndef SYSTEM_RUNSTATE_H
#define SYSTEM_RUNSTATE_H

#include <stdbool.h>
#include "qapi/qapi-types.h"

RunState runstate_get(void);
void runstate_set(RunState state);
bool runstate_is_running(void);
bool runstate_check(RunState state);

/*
 * Whether the VM starts by itself: off with -S; on an incoming-migration
 * destination 'cont' and 'stop' set and clear it, and the migration code
 * starts the VM after loading only if it is set.
 */
void runstate_set_autostart(bool on);
bool runstate_get_autostart(void);

/*
 * Called whenever the VM starts or stops running (any way: cont, stop,
 * migration, shutdown), after the new state is set.  This is where a vCPU
 * starts and stops executing.
 */
typedef void VMChangeStateHandler(void *opaque, bool running, RunState state);
void qemu_add_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque);
/* A device that goes away (unplug) removes its handler. */
void qemu_del_vm_change_state_handler(VMChangeStateHandler *cb, void *opaque);

/* Stop the VM (emits STOP if it was running) and enter state. */
void vm_stop(RunState state);
/* Start the VM (emits RESUME if it was not running). */
void vm_start(void);

/* Called on reset, in registration order, after device resets. */
typedef void QEMUResetHandler(void *opaque);
void qemu_register_reset(QEMUResetHandler *func, void *opaque);
void qemu_unregister_reset(QEMUResetHandler *func, void *opaque);

/* Reset the machine now: devices, then handlers; emits RESET. */
void qemu_system_reset(ShutdownCause reason);
void qemu_system_reset_request(ShutdownCause reason);
/* Emit SHUTDOWN and leave the main loop with exit status 0. */
void qemu_system_shutdown_request(ShutdownCause reason);

/*
 * -no-shutdown: a shutdown the guest (or its power button) asks for stops
 * the VM in state "shutdown" instead of exiting; 'quit' and signals still
 * exit.  -no-reboot: every reset request (the guest's, system_reset)
 * becomes a shutdown with the reset's cause.  QEMU's -action
 * shutdown=pause and reboot=shutdown.
 */
void runstate_set_no_shutdown(bool on);
void runstate_set_no_reboot(bool on);

/*
 * system_powerdown: from the main loop, emit POWERDOWN and call the
 * power-button handlers (the ACPI PM block presses its button).
 */
typedef void QEMUPowerdownHandler(void *opaque);
void qemu_register_powerdown_notifier(QEMUPowerdownHandler *fn,
                                      void *opaque);
void qemu_unregister_powerdown_notifier(QEMUPowerdownHandler *fn,
                                        void *opaque);
void qemu_system_powerdown_request(void);

/*
 * Act now on pending shutdown, reset and power-button requests, as QEMU's
 * main loop does before it runs the next monitor command.
 */
void qemu_system_handle_requests(void);

/* Called just before exit (after SHUTDOWN), in reverse registration order. */
typedef void QEMUExitNotifier(void *opaque);
void qemu_add_exit_notifier(QEMUExitNotifier *fn, void *opaque);
void qemu_run_exit_notifiers(void);

#endif
