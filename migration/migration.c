/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The outgoing migration's state machine: setup and the channels, the
 * failover unplug wait, completion, failure and cancel, and the QMP
 * commands that start and cancel it.  The passes themselves are in
 * precopy.c, query-migrate in migration-stats.c.
 *
 * Everything runs on the main thread.  The stream is produced in chunks
 * while the channel's fd is writable, for at most a few milliseconds at a
 * time, so QMP and qtest are served between chunks and every device and
 * RAM access happens where the devices live.
 */
#include "migration/migration.h"
#include "migration/misc.h"

#include "hw/qdev-core.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-events.h"
#include "qapi/qapi-visit.h"
#include "qemu/main-loop.h"
#include "system/runstate.h"

#include <errno.h>
#include <inttypes.h>
#include <glib-unix.h>
#include <sys/socket.h>

/* How long a failure waits for the destination's reason. */
#define RP_REASON_WAIT_MS       500
/* QEMU looks at pending failover unplugs every 250 ms. */
#define UNPLUG_CHECK_MS         250

MigrationState mig = { .status = MIGRATION_STATUS_NONE };

/* State */

MigrationStatus migration_get_status(void)
{
    return mig.status;
}

static bool status_is_running(MigrationStatus s)
{
    switch (s) {
    case MIGRATION_STATUS_SETUP:
    case MIGRATION_STATUS_WAIT_UNPLUG:
    case MIGRATION_STATUS_ACTIVE:
    case MIGRATION_STATUS_CANCELLING:
    case MIGRATION_STATUS_PRE_SWITCHOVER:
    case MIGRATION_STATUS_DEVICE:
    case MIGRATION_STATUS_POSTCOPY_ACTIVE:
    case MIGRATION_STATUS_POSTCOPY_PAUSED:
    case MIGRATION_STATUS_POSTCOPY_RECOVER:
        return true;
    default:
        return false;
    }
}

bool migration_is_running(void)
{
    return status_is_running(mig.status);
}

static void set_status(MigrationStatus s)
{
    mig.status = s;
    if (migrate_events_enabled()) {
        qapi_event_send_migration(s);
    }
}

/* Tear-down shared by completion, failure and cancel. */
static void cleanup(void)
{
    g_clear_handle_id(&mig.unplug_limit_timer, g_source_remove);
    g_clear_handle_id(&mig.peer_watch, g_source_remove);
    g_clear_handle_id(&mig.out_watch, g_source_remove);
    g_clear_handle_id(&mig.rate_timer, g_source_remove);
    g_clear_handle_id(&mig.cancel_timer, g_source_remove);
    g_clear_handle_id(&mig.switchover_timer, g_source_remove);
    g_clear_handle_id(&mig.ping_timer, g_source_remove);
    mig.pings_unanswered = 0;
    mig_rp_stop();
    mig.awaiting_verdict = false;
    multifd_send_connect_cancel();
    if (mig.mf) {
        mig.multifd_bytes = multifd_send_bytes(mig.mf);
    }
    multifd_send_free(g_steal_pointer(&mig.mf));
    if (mig.connecting) {
        mig_connect_cancel();
        mig.connecting = false;
    }
    if (mig.rs) {
        mig.final_stats = *ram_save_stats(mig.rs);
        mig.have_final_stats = true;
    }
    ram_save_free(g_steal_pointer(&mig.rs));
    if (mig.ch) {
        mig.final_written = mig.ch->written;
    }
    mig_channel_free(g_steal_pointer(&mig.ch));
    mig.total_time = now_ms() - mig.start_ms;
}

/* Failed or cancelled: the guest carries on as before. */
static void restart_guest(void)
{
    if (runstate_check(RUN_STATE_FINISH_MIGRATE)) {
        if (mig.vm_was_running) {
            vm_start();
        } else {
            runstate_set(RUN_STATE_PAUSED);
        }
    }
}

void migration_fail(GError *err)
{
    /*
     * A destination that gave up says why on the return path before it
     * closes anything: its reason says more than our broken pipe.  Give
     * it a moment, as it may travel behind (through a proxy, say); not
     * when the process is on its way out.
     */
    if (mig.return_path && migration_is_running() &&
        !main_loop_termination_pending()) {
        mig_rp_poll(RP_REASON_WAIT_MS);
    }
    if (!migration_is_running()) {
        g_clear_error(&err);
        return;
    }
    g_free(mig.error_desc);
    mig.error_desc = err ? g_strdup(err->message) : NULL;
    g_clear_error(&err);
    cleanup();
    set_status(MIGRATION_STATUS_FAILED);
    restart_guest();
    if (mig.setup_notified) {
        migration_call_notifiers(MIG_EVENT_FAILED);
    }
}

static void migration_finish_cancel(void)
{
    cleanup();
    set_status(MIGRATION_STATUS_CANCELLED);
    restart_guest();
    if (mig.setup_notified) {
        migration_call_notifiers(MIG_EVENT_CANCELLED);
    }
}

/* Everything was sent (and, with a return path, loaded): completed. */
void migration_finish_complete(void)
{
    mig.downtime = now_ms() - mig.stop_ms;
    cleanup();
    set_status(MIGRATION_STATUS_COMPLETED);
    runstate_set(RUN_STATE_POSTMIGRATE);
    migration_call_notifiers(MIG_EVENT_COMPLETED);
}

/* The destination answered on the return path, or the channel ended. */
static void return_path_event(MigRpEvent ev, GError *err)
{
    GError *local = NULL;

    if (!migration_is_running() ||
        mig.status == MIGRATION_STATUS_CANCELLING) {
        /* A cancel ends as cancelled, whatever the peer does now. */
        g_clear_error(&err);
        return;
    }
    switch (ev) {
    case MIG_RP_EV_PONG:
        if (!migration_pong(&local)) {
            migration_fail(local);
        }
        return;
    case MIG_RP_EV_LOADED:
        if (!mig.awaiting_verdict) {
            migration_fail(g_error_new(BATON_ERROR, 0, "unexpected data "
                                       "from the destination on the "
                                       "migration channel"));
            return;
        }
        /* From here on the destination runs the guest, not us. */
        savevm_put_commit(mig.ch->out);
        if (!mig_channel_flush_all(mig.ch, COMPLETE_TIMEOUT_MS, &local)) {
            migration_fail(local);
            return;
        }
        migration_finish_complete();
        return;
    case MIG_RP_EV_FAILED:
        migration_fail(err);
        return;
    case MIG_RP_EV_CLOSED:
        if (err) {
            migration_fail(err);
        } else if (mig.status == MIGRATION_STATUS_WAIT_UNPLUG) {
            migration_fail(g_error_new(BATON_ERROR, 0, "the destination "
                                       "closed the migration channel while "
                                       "the guest was unplugging its "
                                       "failover primaries"));
        } else {
            migration_fail(g_error_new(BATON_ERROR, 0, "the destination "
                                       "closed the migration channel%s",
                                       mig.awaiting_verdict
                                       ? " before confirming the load" : ""));
        }
        return;
    }
}

static void enter_active(void)
{
    g_clear_handle_id(&mig.unplug_limit_timer, g_source_remove);
    g_clear_handle_id(&mig.peer_watch, g_source_remove);
    mig.setup_time = now_ms() - mig.start_ms;
    mig.active_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    mig.active_seen_ns = 0;
    mig.active_written = migration_bytes_written();
    mig.window_start = mig.active_ns;
    mig.window_bytes = 0;
    set_status(MIGRATION_STATUS_ACTIVE);
    migration_watch_output();
}

/*
 * Nothing is written while the guest ejects its failover primaries, so a
 * destination that went away would only be noticed at the first write,
 * after the guest gave up its NIC for nothing.  A socket is watched by the
 * return path all along; on a pipe, an error means the reader is gone.
 */
static gboolean peer_event(gint fd, GIOCondition cond, gpointer opaque)
{
    char byte;
    ssize_t n = recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        && !(cond & (G_IO_HUP | G_IO_ERR))) {
        return G_SOURCE_CONTINUE;
    }
    mig.peer_watch = 0;
    if (n > 0) {
        migration_fail(g_error_new(BATON_ERROR, 0, "unexpected data from "
                                   "the destination on the migration "
                                   "channel"));
    } else {
        migration_fail(g_error_new(BATON_ERROR, 0, "the destination closed "
                                   "the migration channel while the guest "
                                   "was unplugging its failover primaries"));
    }
    return G_SOURCE_REMOVE;
}

static gboolean unplug_limit_over(gpointer opaque)
{
    mig.unplug_limit_timer = 0;
    migration_fail(g_error_new(BATON_ERROR, 0, "the guest did not eject "
                               "%d failover primary device(s) within the "
                               "wait-unplug limit of %" PRIu64 " ms",
                               migration_unplug_pending_count(),
                               migrate_params()->
                               __org_baton_wait_unplug_limit));
    return G_SOURCE_REMOVE;
}

static void enter_wait_unplug(void)
{
    uint64_t limit = migrate_params()->__org_baton_wait_unplug_limit;

    set_status(MIGRATION_STATUS_WAIT_UNPLUG);
    if (!mig.return_path) {
        mig.peer_watch = g_unix_fd_add(mig.ch->fd,
                                       G_IO_IN | G_IO_HUP | G_IO_ERR,
                                       peer_event, NULL);
    }
    if (limit) {
        mig.unplug_limit_timer = g_timeout_add(limit, unplug_limit_over,
                                               NULL);
    }
}

static gboolean cancel_wait_over(gpointer opaque)
{
    mig.cancel_timer = 0;
    migration_finish_cancel();
    return G_SOURCE_REMOVE;
}

void migration_unplug_pending_changed(void)
{
    if (migration_unplug_pending()) {
        return;
    }
    if (mig.status == MIGRATION_STATUS_WAIT_UNPLUG) {
        enter_active();
    } else if (mig.status == MIGRATION_STATUS_CANCELLING &&
               mig.cancel_waits_unplug) {
        mig.cancel_waits_unplug = false;
        migration_finish_cancel();
    }
}

/* The channels are up: unplug failover primaries, then the first pass. */
static void setup_continue(void)
{
    GError *err = NULL;
    bool would_block;

    mig.setup_notified = true;
    mig.unplug_since_ms = now_ms();
    migration_call_notifiers(MIG_EVENT_SETUP);
    if (mig.status != MIGRATION_STATUS_SETUP) {
        return;
    }
    mig.rs = ram_save_setup();
    ram_save_sync(mig.rs);
    migration_pass_event();
    if (!mig_channel_flush(mig.ch, &would_block, &err)) {
        migration_fail(err);
        return;
    }
    if (migration_unplug_pending()) {
        enter_wait_unplug();
        return;
    }
    enter_active();
}

static void multifd_connected(MultifdSend *mf, GError *err)
{
    if (err) {
        migration_fail(err);
        return;
    }
    mig.mf = mf;
    setup_continue();
}

static void connected(int fd, GPid child, GError *err, void *opaque)
{
    int channels = migrate_multifd_enabled()
                   ? migrate_params()->multifd_channels : 0;

    mig.connecting = false;
    if (mig.status != MIGRATION_STATUS_SETUP) {
        /* Cancelled meanwhile. */
        g_clear_error(&err);
        if (fd >= 0) {
            MigChannel *ch = mig_channel_new(fd, child);
            mig_channel_free(ch);
        }
        return;
    }
    if (err) {
        migration_fail(err);
        return;
    }
    mig.ch = mig_channel_new(fd, child);
    mig.return_path = mig_fd_is_socket(fd);
    if (mig.return_path) {
        mig_rp_watch(fd, return_path_event);
    }
    for (int i = 0; i < MIG_MF_ID; i++) {
        mig.mf_id[i] = g_random_int();
    }
    /*
     * CONFIG first: a destination that cannot take this stream (multifd
     * off there, another machine) says so before anything else happens.
     */
    savevm_put_config(mig.ch->out,
                      mig.return_path ? MIG_CONFIG_RETURN_PATH : 0,
                      channels, mig.mf_id);
    if (!channels) {
        setup_continue();
        return;
    }
    if (!mig_channel_flush_all(mig.ch, COMPLETE_TIMEOUT_MS, &err) ||
        !multifd_send_connect(mig.uri, channels, mig.mf_id,
                              multifd_connected, &err)) {
        migration_fail(err);
    }
}

/* QMP */

void qmp_migrate(const char *uri, bool has_blk, bool blk, bool has_inc,
                 bool inc, bool has_detach, bool detach, bool has_resume,
                 bool resume, GError **errp)
{
    GError *err = NULL;

    if (!migrate_uri_check(uri, errp)) {
        return;
    }
    if (migration_is_running()) {
        error_setg(errp, "There's a migration process in progress");
        return;
    }
    if (runstate_check(RUN_STATE_INMIGRATE)) {
        error_setg(errp, "Guest is waiting for an incoming migration");
        return;
    }
    if (runstate_check(RUN_STATE_POSTMIGRATE)) {
        error_setg(errp, "Can't migrate the vm that was paused due to "
                   "previous migration");
        return;
    }
    if ((has_blk && blk) || (has_inc && inc)) {
        error_setg(errp, "Block migration is not supported");
        return;
    }
    if (has_resume && resume) {
        error_setg(errp, "Cannot resume if there is no paused migration");
        return;
    }
    if (!migration_start_checks(errp)) {
        return;
    }
    g_clear_pointer(&mig.error_desc, g_free);
    mig.start_ms = now_ms();
    mig.setup_time = 0;
    mig.downtime = 0;
    mig.total_time = 0;
    mig.mbps = 0;
    mig.pages_per_second = 0;
    mig.downtime_bytes = 0;
    mig.multifd_bytes = 0;
    mig.have_final_stats = false;
    mig.final_written = 0;
    mig.expected_downtime = migrate_params()->downtime_limit;
    mig.setup_notified = false;
    mig.cancel_waits_unplug = false;
    mig.vm_was_running = runstate_is_running();
    mig.return_path = false;
    g_free(mig.uri);
    mig.uri = g_strdup(uri);
    set_status(MIGRATION_STATUS_SETUP);
    mig.connecting = true;
    if (!mig_connect_outgoing(uri, connected, NULL, &err)) {
        /*
         * The migration fails and the error is the answer, as QEMU does
         * for fd: without a descriptor.  For an unknown scheme QEMU 8.1
         * answers {} and loses the error (8.2 answers it, as we do).
         */
        mig.connecting = false;
        migration_fail(g_error_copy(err));
        g_propagate_error(errp, err);
    }
}

/*
 * QEMU notices the cancel at its next 250 ms unplug check and only then
 * starts waiting (120 checks, 30 s): total-time at `cancelled` is above
 * the wait.  The guest's eject still ends the wait at once.
 */
static guint cancel_wait_ms(void)
{
    int64_t since = now_ms() - mig.unplug_since_ms;

    return UNPLUG_CHECK_MS - since % UNPLUG_CHECK_MS +
           migrate_params()->__org_baton_unplug_timeout;
}

void qmp_migrate_cancel(GError **errp)
{
    MigrationStatus old = mig.status;

    if (!migration_is_running()) {
        return;
    }
    set_status(MIGRATION_STATUS_CANCELLING);
    if (old == MIGRATION_STATUS_CANCELLING) {
        return;
    }
    if ((old == MIGRATION_STATUS_SETUP ||
         old == MIGRATION_STATUS_WAIT_UNPLUG) && mig.setup_notified &&
        migration_unplug_pending()) {
        /* The guest was asked to unplug: let it finish (or time out). */
        mig.cancel_waits_unplug = true;
        g_clear_handle_id(&mig.out_watch, g_source_remove);
        /* A cancel ends as cancelled, whatever the peer does now. */
        g_clear_handle_id(&mig.peer_watch, g_source_remove);
        g_clear_handle_id(&mig.unplug_limit_timer, g_source_remove);
        mig.cancel_timer = g_timeout_add(cancel_wait_ms(), cancel_wait_over,
                                         NULL);
        return;
    }
    migration_finish_cancel();
}

static bool qdev_sees_migration(void)
{
    return migration_is_running();
}

static void __attribute__((constructor)) migration_register(void)
{
    qdev_set_migration_active_check(qdev_sees_migration);
}
