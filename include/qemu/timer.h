/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Timers on two clocks.  QEMU_CLOCK_VIRTUAL is guest time: with qtest it
 * moves only with clock_step/clock_set, which run the timers that fall due.
 * QEMU_CLOCK_REALTIME is the host's monotonic clock, served by the GLib main
 * loop.  QEMU_CLOCK_HOST is wall-clock time (event timestamps).
 */
#ifndef QEMU_TIMER_H
#define QEMU_TIMER_H

#include <stdbool.h>
#include <stdint.h>

#define NANOSECONDS_PER_SECOND 1000000000LL
#define SCALE_MS 1000000
#define SCALE_US 1000
#define SCALE_NS 1

typedef enum {
    QEMU_CLOCK_REALTIME,
    QEMU_CLOCK_VIRTUAL,
    QEMU_CLOCK_HOST,
} QEMUClockType;

typedef void QEMUTimerCB(void *opaque);
typedef struct QEMUTimer QEMUTimer;

int64_t qemu_clock_get_ns(QEMUClockType type);
static inline int64_t qemu_clock_get_ms(QEMUClockType type)
{
    return qemu_clock_get_ns(type) / SCALE_MS;
}

/* scale: SCALE_NS, SCALE_US or SCALE_MS for the units of timer_mod. */
QEMUTimer *timer_new(QEMUClockType type, int scale, QEMUTimerCB *cb,
                     void *opaque);
static inline QEMUTimer *timer_new_ns(QEMUClockType t, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(t, SCALE_NS, cb, opaque);
}
static inline QEMUTimer *timer_new_ms(QEMUClockType t, QEMUTimerCB *cb,
                                      void *opaque)
{
    return timer_new(t, SCALE_MS, cb, opaque);
}
/* Arm to fire when the clock reaches expire_time (in the timer's scale). */
void timer_mod(QEMUTimer *ts, int64_t expire_time);
void timer_del(QEMUTimer *ts);
void timer_free(QEMUTimer *ts);         /* deletes first; NULL ok */
bool timer_pending(QEMUTimer *ts);

/* Virtual clock, driven by qtest. */
/*
 * Deadline (absolute virtual time) of the next virtual timer in ns, -1 if
 * none is armed.
 */
int64_t qemu_clock_deadline_virtual(void);
/*
 * Advance the virtual clock to dest_ns (never backwards), running the
 * timers that fall due in deadline order; during each callback the clock
 * reads that timer's deadline.  Callbacks may re-arm or delete any timer.
 */
void qemu_clock_advance_virtual(int64_t dest_ns);

/*
 * tcg: from now on the virtual clock follows the host's monotonic clock
 * while running (qemu_clock_virtual_run(true)) and stands still while
 * stopped; due timers run from the main loop.
 */
void qemu_clock_virtual_follow_host(void);
void qemu_clock_virtual_run(bool run);
/* Set the virtual clock (an incoming migration brings the source's). */
void qemu_clock_virtual_set(int64_t ns);

#endif
