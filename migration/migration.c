/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The outgoing migration: state machine, pre-copy driven from the main
 * loop, completion, failure and cancel, and the QMP commands around it.
 *
 * Everything runs on the main thread.  The stream is produced in chunks
 * while the channel's fd is writable, for at most a few milliseconds at a
 * time, so QMP and qtest are served between chunks and every device and
 * RAM access happens where the devices live.
 */
#include "migration/internal.h"
#include "migration/misc.h"

#include "hw/qdev-core.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-events.h"
#include "qapi/qapi-visit.h"
#include "qemu/timer.h"
#include "system/runstate.h"

#include <errno.h>
#include <inttypes.h>
#include <glib-unix.h>
#include <sys/socket.h>

/* Longest stretch of main-loop time one pump call may take. */
#define PUMP_BUDGET_NS          (10 * SCALE_MS)
/* Rate-limit window. */
#define WINDOW_NS               (100 * SCALE_MS)
#define CHUNK_BYTES             (1u << 20)
/* Completion writes block the main loop; give up on a stuck peer. */
#define COMPLETE_TIMEOUT_MS     30000
/* Caps of the time `active` lasts at least (see min_active_ns()). */
#define MIN_ACTIVE_NS           WINDOW_NS
#define SEEN_GRACE_NS           (1000 * SCALE_MS)
/* How long a failure waits for the destination's reason. */
#define RP_REASON_WAIT_MS       500
/* QEMU looks at pending failover unplugs every 250 ms. */
#define UNPLUG_CHECK_MS         250

typedef struct MigrationState {
    MigrationStatus status;
    char *error_desc;
    MigChannel *ch;
    RamSaveState *rs;
    guint out_watch;
    guint rate_timer;
    guint cancel_timer;
    guint switchover_timer;     /* the first pass ended early: wait */
    guint unplug_limit_timer;   /* __org.baton_wait-unplug-limit */
    guint peer_watch;           /* setup/wait-unplug: the peer going away */
    bool connecting;
    bool return_path;           /* a socket: the destination answers */
    char *uri;
    MultifdSend *mf;            /* multifd: RAM goes over these */
    uint64_t multifd_bytes;     /* written on them, when they are gone */
    uint8_t mf_id[MIG_MF_ID];
    bool awaiting_verdict;      /* END sent: LOADED must come */
    int64_t stop_ms;            /* when the guest was stopped */
    bool setup_notified;        /* MIG_EVENT_SETUP ran */
    bool cancel_waits_unplug;
    bool vm_was_running;
    int64_t start_ms;
    int64_t unplug_since_ms;    /* UNPLUG_PRIMARY sent: checks count from */
    int64_t setup_time;
    int64_t total_time;         /* frozen when over */
    int64_t downtime;
    int64_t expected_downtime;
    int64_t active_ns;          /* when active began */
    int64_t active_seen_ns;     /* when query-migrate first reported it */
    uint64_t active_written;    /* channel bytes when active began */
    int64_t window_start;
    uint64_t window_bytes;
    double mbps;
    uint64_t pages_per_second;
    uint64_t downtime_bytes;
    RamStats final_stats;
    bool have_final_stats;
    uint64_t final_written;     /* channel bytes, once the channel is gone */
} MigrationState;

static MigrationState mig = { .status = MIGRATION_STATUS_NONE };

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

static int64_t now_ms(void)
{
    return qemu_clock_get_ms(QEMU_CLOCK_REALTIME);
}

static void remove_source(guint *id)
{
    if (*id) {
        g_source_remove(*id);
        *id = 0;
    }
}

/* Tear-down shared by completion, failure and cancel. */
static void cleanup(void)
{
    remove_source(&mig.unplug_limit_timer);
    remove_source(&mig.peer_watch);
    if (mig.out_watch) {
        g_source_remove(mig.out_watch);
        mig.out_watch = 0;
    }
    if (mig.rate_timer) {
        g_source_remove(mig.rate_timer);
        mig.rate_timer = 0;
    }
    if (mig.cancel_timer) {
        g_source_remove(mig.cancel_timer);
        mig.cancel_timer = 0;
    }
    remove_source(&mig.switchover_timer);
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

static void migration_fail(GError *err)
{
    /*
     * A destination that gave up says why on the return path before it
     * closes anything: its reason says more than our broken pipe.  Give
     * it a moment, as it may travel behind (through a proxy, say).
     */
    if (mig.return_path && migration_is_running()) {
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

/* Pumping */

static gboolean pump(gint fd, GIOCondition cond, gpointer opaque);

static void watch_output(void)
{
    if (!mig.out_watch && mig.mf) {
        /* The main channel is idle: the channels' progress drives us. */
        mig.out_watch = g_unix_fd_add(multifd_send_wake_fd(mig.mf), G_IO_IN,
                                      pump, NULL);
        /* Look at once, from the main loop. */
        multifd_send_kick(mig.mf);
    } else if (!mig.out_watch && mig.ch) {
        mig.out_watch = g_unix_fd_add(mig.ch->fd, G_IO_OUT, pump, NULL);
    }
}

static gboolean rate_window_over(gpointer opaque)
{
    mig.rate_timer = 0;
    watch_output();
    return G_SOURCE_REMOVE;
}

static void pass_event(void)
{
    if (migrate_events_enabled()) {
        qapi_event_send_migration_pass(ram_save_stats(mig.rs)
                                       ->dirty_sync_count);
    }
}

/* Bytes written on the main channel and the multifd channels. */
static uint64_t bytes_written(void)
{
    return mig.ch->written + multifd_send_bytes(mig.mf);
}

/* Bytes per millisecond seen so far in active (0: unknown). */
static double bandwidth(void)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - mig.active_ns;
    uint64_t bytes = bytes_written() - mig.active_written;

    if (ns < SCALE_MS || !bytes) {
        return 0;
    }
    return (double)bytes * SCALE_MS / ns;
}

static void update_rates(void)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - mig.active_ns;
    const RamStats *st = ram_save_stats(mig.rs);

    if (ns > 0) {
        mig.mbps = (double)(bytes_written() - mig.active_written) * 8 * 1e3 /
                   ns;
        mig.pages_per_second = (st->normal + st->duplicate) *
                               (double)NANOSECONDS_PER_SECOND / ns;
    }
}

/* Everything was sent (and, with a return path, loaded): completed. */
static void migration_finish_complete(void)
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

/* Stop the guest and send everything that is left; then completed. */
static void migration_complete(void)
{
    GError *err = NULL;
    uint64_t before;

    mig.stop_ms = now_ms();
    vm_stop(RUN_STATE_FINISH_MIGRATE);
    ram_save_sync(mig.rs);
    pass_event();
    before = ram_save_stats(mig.rs)->transferred;
    if (mig.mf) {
        /* The last pages, then the channels' end: before device state. */
        if (!multifd_send_flush_all(mig.mf, mig.rs, COMPLETE_TIMEOUT_MS,
                                    &err) ||
            !multifd_send_finish(mig.mf, mig.ch->out, COMPLETE_TIMEOUT_MS,
                                 &err)) {
            migration_fail(err);
            return;
        }
    }
    while (!mig.mf && ram_save_chunk(mig.rs, mig.ch->out, 8 * CHUNK_BYTES)) {
        if (!mig_channel_flush_all(mig.ch, COMPLETE_TIMEOUT_MS, &err)) {
            migration_fail(err);
            return;
        }
    }
    savevm_put_devices_and_end(mig.ch->out, mig.vm_was_running &&
                               runstate_check(RUN_STATE_FINISH_MIGRATE));
    if (!mig_channel_flush_all(mig.ch, COMPLETE_TIMEOUT_MS, &err)) {
        migration_fail(err);
        return;
    }
    mig.downtime_bytes = ram_save_stats(mig.rs)->transferred - before;
    update_rates();
    if (mig.return_path) {
        /* Completed only once the destination says it loaded all this. */
        mig.awaiting_verdict = true;
        mig_rp_deadline(MIG_RP_TIMEOUT_MS);
        return;
    }
    migration_finish_complete();
}

/* A pass is over: start the next one, or finish if the rest fits. */
static bool end_of_pass(void)
{
    uint64_t pages = ram_save_sync(mig.rs);
    double bw = bandwidth();
    int64_t limit = migrate_params()->downtime_limit;

    pass_event();
    update_rates();
    if (bw > 0) {
        mig.expected_downtime = (double)(pages << TARGET_PAGE_BITS) / bw;
    }
    if (!pages || (bw > 0 && mig.expected_downtime <= limit)) {
        migration_complete();
        return true;
    }
    return false;
}

/*
 * How long `active` lasts at least.  QEMU's first pass reads every page of
 * guest RAM, so even an idle guest stays in `active` long enough for a
 * client polling query-migrate to see it and cancel (QEMU's own failover
 * test depends on it).  baton skips never-written pages and would be done
 * in microseconds, so the first pass is given the time guest RAM would
 * take at max-bandwidth, at most one rate-limit window: at the default
 * 128 MiB/s that is 100 ms for any guest of 12.8 MiB or more; at 1 TiB/s
 * a 4 GiB guest waits 4 ms; max-bandwidth 0 (no limit) waits nothing.
 */
static int64_t min_active_ns(int64_t cap)
{
    uint64_t bw = migrate_params()->max_bandwidth;
    double ns;

    if (!bw || !mig.rs) {
        return 0;
    }
    ns = (double)ram_save_stats(mig.rs)->total * NANOSECONDS_PER_SECOND / bw;
    return MIN(ns, (double)cap);
}

static bool switchover_too_early(int64_t now);

static gboolean switchover_wait_over(gpointer opaque)
{
    mig.switchover_timer = 0;
    if (!switchover_too_early(qemu_clock_get_ns(QEMU_CLOCK_REALTIME)) &&
        !end_of_pass()) {
        watch_output();
    }
    return G_SOURCE_REMOVE;
}

/*
 * The pass is done before `active` had its minimum time: finish later.
 * A client that polls query-migrate for `active` and then cancels (QEMU's
 * failover test) may poll late and be slow to send the cancel on a loaded
 * host: once a query-migrate has reported `active`, it lasts up to
 * SEEN_GRACE_NS more (the same RAM-at-max-bandwidth time, larger cap).
 */
static bool switchover_too_early(int64_t now)
{
    int64_t end = mig.active_ns + min_active_ns(MIN_ACTIVE_NS);
    int64_t wait;

    if (mig.active_seen_ns) {
        end = MAX(end, mig.active_seen_ns + min_active_ns(SEEN_GRACE_NS));
    }
    wait = end - now;

    if (wait <= 0) {
        return false;
    }
    mig.switchover_timer = g_timeout_add((wait + SCALE_MS - 1) / SCALE_MS,
                                         switchover_wait_over, NULL);
    return true;
}

/*
 * Up to room bytes of RAM: into the main channel's buffer, or queued on
 * the multifd channels (FULL: wait until they move).
 */
static MultifdFill send_ram(size_t room, size_t *added, GError **errp)
{
    size_t before = mig.ch->out->len;

    if (mig.mf) {
        return multifd_send_fill(mig.mf, mig.rs, room, added, errp);
    }
    if (!ram_save_chunk(mig.rs, mig.ch->out, room)) {
        return MULTIFD_PASS_DONE;
    }
    *added = mig.ch->out->len - before;
    return MULTIFD_QUEUED;
}

static gboolean pump(gint fd, GIOCondition cond, gpointer opaque)
{
    int64_t start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    uint64_t limit = migrate_params()->max_bandwidth / 10;     /* per window */
    GError *err = NULL;

    for (;;) {
        bool would_block;
        int64_t now = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);

        if (!mig_channel_flush(mig.ch, &would_block, &err)) {
            mig.out_watch = 0;
            migration_fail(err);
            return G_SOURCE_REMOVE;
        }
        if (would_block) {
            return G_SOURCE_CONTINUE;
        }
        if (mig.status != MIGRATION_STATUS_ACTIVE) {
            mig.out_watch = 0;
            return G_SOURCE_REMOVE;
        }
        if (now - mig.window_start >= WINDOW_NS) {
            mig.window_start = now;
            mig.window_bytes = 0;
        }
        if (limit && mig.window_bytes >= limit) {
            int64_t wait = WINDOW_NS - (now - mig.window_start);
            mig.rate_timer = g_timeout_add(MAX(1, wait / SCALE_MS),
                                           rate_window_over, NULL);
            mig.out_watch = 0;
            return G_SOURCE_REMOVE;
        }
        size_t room = limit ? MIN(CHUNK_BYTES, limit - mig.window_bytes)
                            : CHUNK_BYTES;
        size_t added = 0;
        MultifdFill fill = send_ram(room, &added, &err);

        if (fill == MULTIFD_ERROR) {
            mig.out_watch = 0;
            migration_fail(err);
            return G_SOURCE_REMOVE;
        }
        mig.window_bytes += added;
        if (fill == MULTIFD_FULL) {
            return G_SOURCE_CONTINUE;
        }
        if (fill == MULTIFD_PASS_DONE) {
            if (switchover_too_early(now)) {
                mig.out_watch = 0;
                return G_SOURCE_REMOVE;
            }
            if (end_of_pass()) {
                mig.out_watch = 0;
                return G_SOURCE_REMOVE;
            }
        }
        if (now - start > PUMP_BUDGET_NS) {
            return G_SOURCE_CONTINUE;
        }
    }
}

static void enter_active(void)
{
    remove_source(&mig.unplug_limit_timer);
    remove_source(&mig.peer_watch);
    mig.setup_time = now_ms() - mig.start_ms;
    mig.active_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    mig.active_seen_ns = 0;
    mig.active_written = bytes_written();
    mig.window_start = mig.active_ns;
    mig.window_bytes = 0;
    set_status(MIGRATION_STATUS_ACTIVE);
    watch_output();
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
    pass_event();
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
        remove_source(&mig.out_watch);
        /* A cancel ends as cancelled, whatever the peer does now. */
        remove_source(&mig.peer_watch);
        remove_source(&mig.unplug_limit_timer);
        mig.cancel_timer = g_timeout_add(cancel_wait_ms(), cancel_wait_over,
                                         NULL);
        return;
    }
    migration_finish_cancel();
}

static MigrationStats *ram_stats(void)
{
    MigrationStats *st = g_new0(MigrationStats, 1);
    const RamStats *rs = mig.rs ? ram_save_stats(mig.rs) : &mig.final_stats;

    /* As QEMU 8.1: every byte of the stream, not only RAM's. */
    st->multifd_bytes = mig.mf ? multifd_send_bytes(mig.mf)
                               : mig.multifd_bytes;
    st->transferred = (mig.ch ? mig.ch->written : mig.final_written) +
                      st->multifd_bytes;
    st->remaining = mig.rs ? ram_save_remaining_bytes(mig.rs) : 0;
    st->total = rs->total;
    st->duplicate = rs->duplicate;
    st->normal = rs->normal;
    st->normal_bytes = rs->normal << TARGET_PAGE_BITS;
    st->dirty_pages_rate = rs->dirty_pages_rate;
    st->mbps = mig.mbps;
    st->dirty_sync_count = rs->dirty_sync_count;
    st->page_size = TARGET_PAGE_SIZE;
    st->pages_per_second = mig.pages_per_second;
    st->downtime_bytes = mig.downtime_bytes;
    st->precopy_bytes = rs->transferred > mig.downtime_bytes
                        ? rs->transferred - mig.downtime_bytes : 0;
    return st;
}

MigrationInfo *migration_incoming_query(void);

MigrationInfo *qmp_query_migrate(GError **errp)
{
    MigrationInfo *info;

    if (mig.status == MIGRATION_STATUS_NONE) {
        info = migration_incoming_query();
        return info ? info : g_new0(MigrationInfo, 1);
    }
    info = g_new0(MigrationInfo, 1);
    info->has_status = true;
    info->status = mig.status;
    if (mig.status == MIGRATION_STATUS_ACTIVE && !mig.active_seen_ns) {
        mig.active_seen_ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    }
    switch (mig.status) {
    case MIGRATION_STATUS_ACTIVE:
    case MIGRATION_STATUS_CANCELLING:
    case MIGRATION_STATUS_PRE_SWITCHOVER:
    case MIGRATION_STATUS_DEVICE:
        info->has_setup_time = true;
        info->setup_time = mig.status == MIGRATION_STATUS_CANCELLING &&
                           mig.cancel_waits_unplug ? 0 : mig.setup_time;
        info->has_total_time = true;
        info->total_time = now_ms() - mig.start_ms;
        info->has_expected_downtime = true;
        info->expected_downtime = mig.expected_downtime;
        info->ram = ram_stats();
        break;
    case MIGRATION_STATUS_COMPLETED:
        info->has_setup_time = true;
        info->setup_time = mig.setup_time;
        info->has_total_time = true;
        info->total_time = mig.total_time;
        info->has_downtime = true;
        info->downtime = mig.downtime;
        info->ram = ram_stats();
        break;
    case MIGRATION_STATUS_FAILED:
        info->error_desc = g_strdup(mig.error_desc);
        break;
    default:
        break;
    }
    if (mig.status == MIGRATION_STATUS_WAIT_UNPLUG ||
        (mig.status == MIGRATION_STATUS_CANCELLING &&
         mig.cancel_waits_unplug)) {
        info->has___org_baton_unplug_pending = true;
        info->__org_baton_unplug_pending = migration_unplug_pending_count();
    }
    return info;
}

void migration_bandwidth_changed(void)
{
    if (mig.status == MIGRATION_STATUS_ACTIVE && !mig.awaiting_verdict) {
        /* A new limit applies from the next window. */
        mig.window_bytes = 0;
        if (mig.rate_timer) {
            g_source_remove(mig.rate_timer);
            mig.rate_timer = 0;
            watch_output();
        }
        if (mig.switchover_timer) {
            g_source_remove(mig.switchover_timer);
            mig.switchover_timer = 0;
            switchover_wait_over(NULL);
        }
    }
}

static bool qdev_sees_migration(void)
{
    return migration_is_running();
}

static void __attribute__((constructor)) migration_register(void)
{
    qdev_set_migration_active_check(qdev_sees_migration);
}
