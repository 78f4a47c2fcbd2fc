/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The outgoing migration's state, shared by migration.c (the state machine
 * and its QMP commands), precopy.c (the passes, the rate limit and the
 * completion) and migration-stats.c (query-migrate and its rates).
 */
#ifndef MIGRATION_MIGRATION_H
#define MIGRATION_MIGRATION_H

#include "migration/internal.h"
#include "qemu/timer.h"

/* Completion writes block the main loop; give up on a stuck peer. */
#define COMPLETE_TIMEOUT_MS     30000

typedef struct MigrationState {
    MigrationStatus status;
    char *error_desc;
    MigChannel *ch;
    RamSaveState *rs;
    guint out_watch;
    guint rate_timer;
    guint cancel_timer;
    guint switchover_timer;     /* the first pass ended early: wait */
    guint ping_timer;           /* PING sent: the switch-over waits */
    unsigned pings_unanswered;  /* PING sections without PONG yet */
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

/* The one outgoing migration (migration.c); only the main thread uses it. */
extern MigrationState mig;

static inline int64_t now_ms(void)
{
    return qemu_clock_get_ms(QEMU_CLOCK_REALTIME);
}

/* migration.c */
void migration_fail(GError *err);
void migration_finish_complete(void);

/* precopy.c */
void migration_watch_output(void);
/* The destination answered a PING (return path). */
bool migration_pong(GError **errp);
void migration_pass_event(void);

/* migration-stats.c */
uint64_t migration_bytes_written(void);
double migration_bandwidth(void);
void migration_update_rates(void);

/* incoming.c */
MigrationInfo *migration_incoming_query(void);

#endif
