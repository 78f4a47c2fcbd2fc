/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run-state commands: query-status, stop, cont, system_reset,
 * system_powerdown, quit; and the guest's name and UUID.
 */
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "system/runstate.h"
#include "system/system.h"

StatusInfo *qmp_query_status(GError **errp)
{
    StatusInfo *info = g_new0(StatusInfo, 1);

    info->running = runstate_is_running();
    info->singlestep = false;
    info->status = runstate_get();
    return info;
}

void qmp_stop(GError **errp)
{
    /*
     * On an incoming-migration destination QEMU only cancels the start
     * after the migration; the state stays inmigrate and no STOP is sent.
     */
    if (runstate_check(RUN_STATE_INMIGRATE)) {
        runstate_set_autostart(false);
        return;
    }
    vm_stop(RUN_STATE_PAUSED);
}

void qmp_cont(GError **errp)
{
    if (runstate_check(RUN_STATE_INTERNAL_ERROR) ||
        runstate_check(RUN_STATE_SHUTDOWN)) {
        error_setg(errp, "Resetting the Virtual Machine is required");
        return;
    }
    if (runstate_check(RUN_STATE_SUSPENDED)) {
        return;
    }
    if (runstate_check(RUN_STATE_FINISH_MIGRATE)) {
        error_setg(errp, "Migration is not finalized yet");
        return;
    }
    /* On a destination the VM starts when the migration completes. */
    if (runstate_check(RUN_STATE_INMIGRATE)) {
        runstate_set_autostart(true);
        return;
    }
    vm_start();
}

void qmp_system_reset(GError **errp)
{
    qemu_system_reset_request(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
}

void qmp_system_powerdown(GError **errp)
{
    qemu_system_powerdown_request();
}

void qmp_quit(GError **errp)
{
    /*
     * The request is acted on from the main loop, so the {} reply is
     * queued before SHUTDOWN; monitor_cleanup() flushes it before exit.
     */
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}

NameInfo *qmp_query_name(GError **errp)
{
    NameInfo *info = g_new0(NameInfo, 1);

    info->name = g_strdup(qemu_name);
    return info;
}

UuidInfo *qmp_query_uuid(GError **errp)
{
    UuidInfo *info = g_new0(UuidInfo, 1);
    const uint8_t *u = qemu_uuid;

    /* All zeroes when -uuid was not given, as in QEMU. */
    info->UUID = g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-"
                                 "%02x%02x-%02x%02x%02x%02x%02x%02x",
                                 u[0], u[1], u[2], u[3], u[4], u[5], u[6],
                                 u[7], u[8], u[9], u[10], u[11], u[12],
                                 u[13], u[14], u[15]);
    return info;
}
