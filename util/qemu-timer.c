/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Timers.  Virtual-clock timers sit in a list sorted by deadline.  Under
 * qtest they run only when the test moves the clock; under tcg the clock
 * follows the host's monotonic clock while the VM runs (and stands still
 * while it is stopped, as QEMU's does), and one GLib source wakes the main
 * loop at the earliest deadline.  Realtime and host timers are GLib
 * sources with a ready time, so the main loop's poll sleeps exactly until
 * the next one is due.
 */
#include "qemu/timer.h"

#include <glib.h>
#include <time.h>

struct QEMUTimer {
    QEMUClockType type;
    int scale;
    QEMUTimerCB *cb;
    void *opaque;
    int64_t expire_ns;
    bool pending;
    GSource *source;            /* realtime/host timers */
};

typedef struct TimerSource {
    GSource source;
    QEMUTimer *timer;
} TimerSource;

static int64_t virtual_clock_ns;        /* while not following or stopped */
/* Pending virtual timers, earliest deadline first (FIFO among equals). */
static GList *virtual_timers;
/* tcg: virtual = monotonic + virtual_offset while virtual_running. */
static bool virtual_follows_host;
static bool virtual_running;
static int64_t virtual_offset;
static GSource *virtual_source;

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return ts.tv_sec * NANOSECONDS_PER_SECOND + ts.tv_nsec;
}

int64_t qemu_clock_get_ns(QEMUClockType type)
{
    switch (type) {
    case QEMU_CLOCK_VIRTUAL:
        if (virtual_running) {
            return clock_ns(CLOCK_MONOTONIC) + virtual_offset;
        }
        return virtual_clock_ns;
    case QEMU_CLOCK_HOST:
        return clock_ns(CLOCK_REALTIME);
    case QEMU_CLOCK_REALTIME:
    default:
        /* Same clock as g_get_monotonic_time(), which GLib polls against. */
        return clock_ns(CLOCK_MONOTONIC);
    }
}

static gboolean timer_source_dispatch(GSource *source, GSourceFunc unused,
                                      gpointer data)
{
    QEMUTimer *ts = ((TimerSource *)source)->timer;

    g_source_set_ready_time(source, -1);
    ts->pending = false;
    ts->cb(ts->opaque);
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_source_funcs = {
    .dispatch = timer_source_dispatch,
};

QEMUTimer *timer_new(QEMUClockType type, int scale, QEMUTimerCB *cb,
                     void *opaque)
{
    QEMUTimer *ts = g_new0(QEMUTimer, 1);

    ts->type = type;
    ts->scale = scale;
    ts->cb = cb;
    ts->opaque = opaque;
    if (type != QEMU_CLOCK_VIRTUAL) {
        ts->source = g_source_new(&timer_source_funcs, sizeof(TimerSource));
        ((TimerSource *)ts->source)->timer = ts;
        g_source_set_ready_time(ts->source, -1);
        g_source_attach(ts->source, NULL);
    }
    return ts;
}

/* tcg: wake the main loop when the earliest virtual timer falls due. */
static void virtual_source_rearm(void)
{
    int64_t ready_us = -1;

    if (!virtual_source) {
        return;
    }
    if (virtual_running && virtual_timers) {
        int64_t mono = ((QEMUTimer *)virtual_timers->data)->expire_ns -
                       virtual_offset;
        ready_us = mono < 0 ? 0 : mono / 1000 + 1;
    }
    g_source_set_ready_time(virtual_source, ready_us);
}

static gboolean virtual_source_dispatch(GSource *source, GSourceFunc unused,
                                        gpointer data)
{
    g_source_set_ready_time(source, -1);
    qemu_clock_advance_virtual(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    virtual_source_rearm();
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs virtual_source_funcs = {
    .dispatch = virtual_source_dispatch,
};

void qemu_clock_virtual_follow_host(void)
{
    if (virtual_source) {
        return;
    }
    virtual_follows_host = true;
    virtual_source = g_source_new(&virtual_source_funcs, sizeof(GSource));
    g_source_set_ready_time(virtual_source, -1);
    g_source_attach(virtual_source, NULL);
}

void qemu_clock_virtual_run(bool run)
{
    if (!virtual_follows_host || run == virtual_running) {
        return;
    }
    if (run) {
        virtual_offset = virtual_clock_ns - clock_ns(CLOCK_MONOTONIC);
    } else {
        virtual_clock_ns = clock_ns(CLOCK_MONOTONIC) + virtual_offset;
    }
    virtual_running = run;
    virtual_source_rearm();
}

void qemu_clock_virtual_set(int64_t ns)
{
    if (virtual_running) {
        virtual_offset = ns - clock_ns(CLOCK_MONOTONIC);
    } else {
        virtual_clock_ns = ns;
    }
    virtual_source_rearm();
}

static gint compare_deadline(gconstpointer a, gconstpointer b)
{
    const QEMUTimer *ta = a, *tb = b;

    /* Never 0, so a newly armed timer goes after equal deadlines. */
    return ta->expire_ns < tb->expire_ns ? -1 : 1;
}

void timer_mod(QEMUTimer *ts, int64_t expire_time)
{
    int64_t ns;

    timer_del(ts);
    if (__builtin_mul_overflow(expire_time, (int64_t)ts->scale, &ns)) {
        ns = expire_time < 0 ? INT64_MIN : INT64_MAX;
    }
    ts->expire_ns = ns;
    ts->pending = true;
    if (ts->type == QEMU_CLOCK_VIRTUAL) {
        virtual_timers = g_list_insert_sorted(virtual_timers, ts,
                                              compare_deadline);
        virtual_source_rearm();
        return;
    }

    /* Convert to the monotonic microseconds GLib schedules with. */
    int64_t now = qemu_clock_get_ns(ts->type);
    int64_t delta = ns > now ? ns - now : 0;
    int64_t mono = clock_ns(CLOCK_MONOTONIC);
    int64_t ready_us;

    if (delta > INT64_MAX - mono - 1000) {
        ready_us = INT64_MAX / 1000;
    } else {
        /* Rounded up: firing a microsecond late is fine, early is not. */
        ready_us = (mono + delta + 999) / 1000;
    }
    g_source_set_ready_time(ts->source, ready_us);
}

void timer_del(QEMUTimer *ts)
{
    if (!ts || !ts->pending) {
        return;
    }
    ts->pending = false;
    if (ts->type == QEMU_CLOCK_VIRTUAL) {
        virtual_timers = g_list_remove(virtual_timers, ts);
        virtual_source_rearm();
    } else {
        g_source_set_ready_time(ts->source, -1);
    }
}

void timer_free(QEMUTimer *ts)
{
    if (!ts) {
        return;
    }
    timer_del(ts);
    if (ts->source) {
        g_source_destroy(ts->source);
        g_source_unref(ts->source);
    }
    g_free(ts);
}

bool timer_pending(QEMUTimer *ts)
{
    return ts && ts->pending;
}

int64_t qemu_clock_deadline_virtual(void)
{
    if (!virtual_timers) {
        return -1;
    }
    return ((QEMUTimer *)virtual_timers->data)->expire_ns;
}

void qemu_clock_advance_virtual(int64_t dest_ns)
{
    if (virtual_running) {
        /* The clock runs by itself: run what is due, move it if asked. */
        while (virtual_timers) {
            QEMUTimer *ts = virtual_timers->data;

            if (ts->expire_ns > dest_ns) {
                break;
            }
            virtual_timers = g_list_delete_link(virtual_timers,
                                                virtual_timers);
            ts->pending = false;
            ts->cb(ts->opaque);
        }
        if (dest_ns > qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL)) {
            qemu_clock_virtual_set(dest_ns);
        }
        virtual_source_rearm();
        return;
    }
    /*
     * One timer at a time, re-reading the list head each round: a callback
     * may arm, re-arm or free any timer, including the next one.
     */
    while (virtual_timers) {
        QEMUTimer *ts = virtual_timers->data;

        if (ts->expire_ns > dest_ns) {
            break;
        }
        virtual_timers = g_list_delete_link(virtual_timers, virtual_timers);
        ts->pending = false;
        if (ts->expire_ns > virtual_clock_ns) {
            virtual_clock_ns = ts->expire_ns;
        }
        ts->cb(ts->opaque);
    }
    if (dest_ns > virtual_clock_ns) {
        virtual_clock_ns = dest_ns;
    }
}
