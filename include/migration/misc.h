/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the rest of baton sees of migration: its state, notifiers at the
 * points of an outgoing migration where devices have to act (failover
 * unplugs its primaries at setup and re-plugs them on failure or cancel),
 * the "unplug pending" checks that hold a migration in wait-unplug, and a
 * hook run on the destination as each device's state is loaded.
 */
#ifndef MIGRATION_MISC_H
#define MIGRATION_MISC_H

#include <stdbool.h>
#include "hw/qdev-core.h"
#include "qapi/qapi-types.h"

/* Outgoing state (none before the first migrate). */
MigrationStatus migration_get_status(void);
/* setup, wait-unplug, active, cancelling, device, pre-switchover. */
bool migration_is_running(void);
/* An incoming migration is loading its stream. */
bool migration_incoming_in_progress(void);

typedef enum MigrationEventType {
    /*
     * The outgoing channel is connected and no data has been sent yet
     * (inside `migrate` for exec:/fd:, after the connect for tcp:/unix:).
     */
    MIG_EVENT_SETUP,
    MIG_EVENT_COMPLETED,        /* source: the destination has everything */
    MIG_EVENT_FAILED,           /* source: the migration failed */
    MIG_EVENT_CANCELLED,        /* source: migrate_cancel finished */
    /*
     * Destination: every section was loaded and checked; the VM has not
     * been started yet.  Devices that must act on the loaded state as a
     * whole (failover plugs its primaries: the hotplug controllers' state
     * has been restored by then) do it here.
     */
    MIG_EVENT_INCOMING_LOADED,
} MigrationEventType;

typedef void MigrationNotifyFunc(MigrationEventType event, void *opaque);
/* Most recently added notifier runs first, as in QEMU. */
void migration_add_notifier(MigrationNotifyFunc *fn, void *opaque);
void migration_remove_notifier(MigrationNotifyFunc *fn, void *opaque);

/*
 * wait-unplug: after setup, the migration waits while any registered
 * check returns true.  It does not poll: whoever can clear the condition
 * (the guest ejecting a device) calls migration_unplug_pending_changed(),
 * and the migration moves on to active as soon as no check is pending.
 * On cancel from setup/wait-unplug the source waits (at most 30 s) the
 * same way before reporting cancelled.
 */
typedef bool MigrationUnplugPendingFunc(void *opaque);
void migration_add_unplug_pending_check(MigrationUnplugPendingFunc *fn,
                                        void *opaque);
void migration_remove_unplug_pending_check(MigrationUnplugPendingFunc *fn,
                                           void *opaque);
void migration_unplug_pending_changed(void);

/*
 * Preconditions of `migrate` beyond the generic ones: each registered
 * check may refuse the command with an error (failover refuses a paused
 * guest with a plugged primary: nobody would answer the unplug request).
 */
typedef bool MigrationStartCheckFunc(void *opaque, GError **errp);
void migration_add_start_check(MigrationStartCheckFunc *fn, void *opaque);
void migration_remove_start_check(MigrationStartCheckFunc *fn, void *opaque);

/*
 * Leave dev's state out of the stream (failover: an unplugged primary) or
 * put it back.  An excluded device is not expected on the destination.
 */
void vmstate_set_device_excluded(DeviceState *dev, bool excluded);
bool vmstate_device_excluded(DeviceState *dev);

/*
 * Destination: called after dev's section was loaded (after its
 * post_load), in stream order.
 */
typedef void MigrationDeviceLoadedFunc(DeviceState *dev, void *opaque);
void migration_add_device_loaded_hook(MigrationDeviceLoadedFunc *fn,
                                      void *opaque);
void migration_remove_device_loaded_hook(MigrationDeviceLoadedFunc *fn,
                                         void *opaque);

/* Start-up: -incoming URI|defer, after devices exist (system/vl.c). */
void migration_incoming_startup(const char *uri);
/* Register the migration bits (qdev's "migration active" check, ...). */
void migration_init(void);

#endif
