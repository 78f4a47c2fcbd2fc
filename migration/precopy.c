/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Pre-copy: RAM goes out in passes from the main loop, a chunk at a time
 * while the channel is writable and within max-bandwidth; once what is
 * left fits downtime-limit the guest stops and the rest and the device
 * state follow (completion).
 */
#include "migration/migration.h"

#include "qapi/error.h"
#include "qapi/qapi-events.h"
#include "system/runstate.h"

#include <glib-unix.h>

/* Longest stretch of main-loop time one pump call may take. */
#define PUMP_BUDGET_NS          (10 * SCALE_MS)
/* Rate-limit window. */
#define WINDOW_NS               (100 * SCALE_MS)
#define CHUNK_BYTES             (1u << 20)
/* Caps of the time `active` lasts at least (see min_active_ns()). */
#define MIN_ACTIVE_NS           WINDOW_NS
#define SEEN_GRACE_NS           (1000 * SCALE_MS)

static gboolean pump(gint fd, GIOCondition cond, gpointer opaque);

void migration_watch_output(void)
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
    migration_watch_output();
    return G_SOURCE_REMOVE;
}

void migration_pass_event(void)
{
    if (migrate_events_enabled()) {
        qapi_event_send_migration_pass(ram_save_stats(mig.rs)
                                       ->dirty_sync_count);
    }
}

/* Stop the guest and send everything that is left; then completed. */
static void migration_complete(void)
{
    GError *err = NULL;
    uint64_t before;

    /*
     * From here the switch-over writes the stream itself.  A pump still
     * watching the channel (the PING it was flushing when its answer
     * timed out) would otherwise wake after END, find a pass to finish
     * and send a second PING the destination must refuse.
     */
    g_clear_handle_id(&mig.out_watch, g_source_remove);
    g_clear_handle_id(&mig.rate_timer, g_source_remove);
    g_clear_handle_id(&mig.switchover_timer, g_source_remove);
    mig.stop_ms = now_ms();
    vm_stop(RUN_STATE_FINISH_MIGRATE);
    ram_save_sync(mig.rs);
    migration_pass_event();
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
    migration_update_rates();
    if (mig.return_path) {
        /* Completed only once the destination says it loaded all this. */
        mig.awaiting_verdict = true;
        mig_rp_deadline(MIG_RP_TIMEOUT_MS);
        return;
    }
    migration_finish_complete();
}

static gboolean ping_timeout(gpointer opaque)
{
    mig.ping_timer = 0;
    /* A destination this far behind gets the rest in the downtime. */
    migration_complete();
    return G_SOURCE_REMOVE;
}

bool migration_pong(GError **errp)
{
    if (!mig.pings_unanswered) {
        error_setg(errp, "unexpected data from the destination on the "
                   "migration channel");
        return false;
    }
    mig.pings_unanswered--;
    if (mig.ping_timer && !mig.pings_unanswered &&
        mig.status == MIGRATION_STATUS_ACTIVE) {
        g_source_remove(mig.ping_timer);
        mig.ping_timer = 0;
        migration_complete();
    }
    return true;
}

/*
 * The rest fits downtime-limit, but the destination may still be working
 * through what the passes sent: an idle 4 GiB guest's whole first pass
 * is a megabyte of zero-page runs the source writes in milliseconds and
 * the destination takes tens of milliseconds to apply (first touches of
 * fresh guest RAM).  Stopping the guest now would put that catch-up into
 * the downtime.  So, with a return path, a PING section goes out and the
 * guest runs on until the destination answers that it loaded everything
 * up to it; pages dirtied meanwhile go in the final pass, without another
 * MIGRATION_PASS (the events stay QEMU's).  After downtime-limit without
 * an answer the switch-over goes ahead anyway.  multifd's channels are
 * not waited for; exec: and files have no return path.
 */
static bool switchover_waits_for_destination(void)
{
    int64_t limit = migrate_params()->downtime_limit;

    if (mig.mf || !mig.return_path) {
        return false;
    }
    savevm_put_ping(mig.ch->out);
    mig.pings_unanswered++;
    mig.ping_timer = g_timeout_add(MAX(limit, 1), ping_timeout, NULL);
    /* The pump only flushes while the PING is unanswered. */
    migration_watch_output();
    return true;
}

/* A pass is over: start the next one, or finish if the rest fits. */
static bool end_of_pass(void)
{
    uint64_t pages = ram_save_sync(mig.rs);
    double bw = migration_bandwidth();
    int64_t limit = migrate_params()->downtime_limit;

    migration_pass_event();
    migration_update_rates();
    if (bw > 0) {
        mig.expected_downtime = (double)(pages << TARGET_PAGE_BITS) / bw;
    }
    if (!pages || (bw > 0 && mig.expected_downtime <= limit)) {
        if (switchover_waits_for_destination()) {
            return true;
        }
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
        migration_watch_output();
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
        if (mig.status != MIGRATION_STATUS_ACTIVE || mig.ping_timer ||
            mig.awaiting_verdict) {
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
                if (mig.ping_timer) {
                    /* Go on flushing: the PING may not be out yet. */
                    return G_SOURCE_CONTINUE;
                }
                mig.out_watch = 0;
                return G_SOURCE_REMOVE;
            }
        }
        if (now - start > PUMP_BUDGET_NS) {
            return G_SOURCE_CONTINUE;
        }
    }
}

void migration_bandwidth_changed(void)
{
    if (mig.status == MIGRATION_STATUS_ACTIVE && !mig.awaiting_verdict) {
        /* A new limit applies from the next window. */
        mig.window_bytes = 0;
        if (mig.rate_timer) {
            g_source_remove(mig.rate_timer);
            mig.rate_timer = 0;
            migration_watch_output();
        }
        if (mig.switchover_timer) {
            g_source_remove(mig.switchover_timer);
            mig.switchover_timer = 0;
            switchover_wait_over(NULL);
        }
    }
}
