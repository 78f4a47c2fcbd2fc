/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What query-migrate shows of the outgoing migration: status, times,
 * RAM counters and the rates measured while it is active.
 */
#include "migration/migration.h"

#include "qapi/qapi-commands.h"

/* Bytes written on the main channel and the multifd channels. */
uint64_t migration_bytes_written(void)
{
    return mig.ch->written + multifd_send_bytes(mig.mf);
}

/* Bytes per millisecond seen so far in active (0: unknown). */
double migration_bandwidth(void)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - mig.active_ns;
    uint64_t bytes = migration_bytes_written() - mig.active_written;

    if (ns < SCALE_MS || !bytes) {
        return 0;
    }
    return (double)bytes * SCALE_MS / ns;
}

void migration_update_rates(void)
{
    int64_t ns = qemu_clock_get_ns(QEMU_CLOCK_REALTIME) - mig.active_ns;
    const RamStats *st = ram_save_stats(mig.rs);

    if (ns > 0) {
        mig.mbps = (double)(migration_bytes_written() - mig.active_written) *
                   8 * 1e3 / ns;
        mig.pages_per_second = (st->normal + st->duplicate) *
                               (double)NANOSECONDS_PER_SECOND / ns;
    }
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
