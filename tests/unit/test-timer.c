/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Timers: the virtual clock moves only when told to and runs what falls
 * due, in order, with callbacks free to re-arm or delete timers; realtime
 * timers and bottom halves fire from the main loop.
 */
#include <glib.h>

#include "qemu/main-loop.h"
#include "qemu/timer.h"

typedef struct Record {
    GString *log;
    QEMUTimer *self;
    QEMUTimer *other;
    int64_t period;
    int remaining;
    const char *name;
} Record;

static void record_cb(void *opaque)
{
    Record *r = opaque;

    g_string_append_printf(r->log, "%s@%" G_GINT64_FORMAT " ", r->name,
                           qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL));
    if (r->remaining > 0 && --r->remaining > 0) {
        timer_mod(r->self, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) + r->period);
    }
    if (r->other) {
        timer_del(r->other);
    }
}

static void test_virtual_order(void)
{
    g_autoptr(GString) log = g_string_new(NULL);
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    Record a = { .log = log, .name = "a" }, b = { .log = log, .name = "b" };
    Record c = { .log = log, .name = "c" };

    a.self = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, &a);
    b.self = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, &b);
    c.self = timer_new(QEMU_CLOCK_VIRTUAL, SCALE_US, record_cb, &c);
    timer_mod(a.self, base + 300);
    timer_mod(b.self, base + 100);
    timer_mod(c.self, (base + 2000) / 1000);
    g_assert_true(timer_pending(a.self));
    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, base + 100);

    /* Nothing runs until the clock is moved. */
    g_assert_cmpstr(log->str, ==, "");
    qemu_clock_advance_virtual(base + 300);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, base + 300);
    g_autofree char *want = g_strdup_printf(
        "b@%" G_GINT64_FORMAT " a@%" G_GINT64_FORMAT " ", base + 100,
        base + 300);
    g_assert_cmpstr(log->str, ==, want);
    g_assert_false(timer_pending(a.self));
    g_assert_true(timer_pending(c.self));

    /* Never backwards. */
    qemu_clock_advance_virtual(base);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, base + 300);

    timer_free(a.self);
    timer_free(b.self);
    timer_free(c.self);
    g_assert_cmpint(qemu_clock_deadline_virtual(), ==, -1);
}

static void test_virtual_run(void)
{
    g_autoptr(GString) log = g_string_new(NULL);
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    Record a = { .log = log, .name = "a" }, b = { .log = log, .name = "b" };

    a.self = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, &a);
    b.self = timer_new_ms(QEMU_CLOCK_VIRTUAL, record_cb, &b);
    timer_mod(a.self, base + 300);
    timer_mod(b.self, 0);       /* already due: runs at the next step */
    qemu_clock_advance_virtual(base + 1000);
    g_autofree char *want = g_strdup_printf(
        "b@%" G_GINT64_FORMAT " a@%" G_GINT64_FORMAT " ", base,
        base + 300);
    g_assert_cmpstr(log->str, ==, want);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL), ==, base + 1000);
    timer_free(a.self);
    timer_free(b.self);
}

static void test_virtual_rearm(void)
{
    g_autoptr(GString) log = g_string_new(NULL);
    int64_t base = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
    Record r = { .log = log, .name = "t", .period = 10, .remaining = 3 };
    Record k = { .log = log, .name = "k" };

    g_string_truncate(log, 0);
    r.self = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, &r);
    k.self = timer_new_ns(QEMU_CLOCK_VIRTUAL, record_cb, &k);
    timer_mod(r.self, base + 10);
    /* k kills the periodic timer when it fires. */
    k.other = r.self;
    timer_mod(k.self, base + 25);
    qemu_clock_advance_virtual(base + 100);
    g_autofree char *want = g_strdup_printf(
        "t@%" G_GINT64_FORMAT " t@%" G_GINT64_FORMAT " k@%" G_GINT64_FORMAT
        " ", base + 10, base + 20, base + 25);
    g_assert_cmpstr(log->str, ==, want);
    g_assert_false(timer_pending(r.self));
    timer_free(r.self);
    timer_free(k.self);
}

static void free_self_cb(void *opaque)
{
    QEMUTimer **t = opaque;

    timer_free(*t);
    *t = NULL;
}

static void test_virtual_free_in_cb(void)
{
    QEMUTimer *t = timer_new_ns(QEMU_CLOCK_VIRTUAL, free_self_cb, &t);
    int64_t now = qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);

    timer_mod(t, now + 5);
    qemu_clock_advance_virtual(now + 5);
    g_assert_null(t);
}

static void flag_cb(void *opaque)
{
    (*(int *)opaque)++;
}

static void test_realtime(void)
{
    int fired = 0, bh_ran = 0, never = 0;
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, flag_cb, &fired);
    QEMUTimer *del = timer_new_ns(QEMU_CLOCK_REALTIME, flag_cb, &never);
    QEMUBH *bh = qemu_bh_new(flag_cb, &bh_ran);
    int64_t start = qemu_clock_get_ns(QEMU_CLOCK_REALTIME);
    int64_t limit = start + 5 * NANOSECONDS_PER_SECOND;

    /* The deadline is in whole ms, so it may be up to 1 ms before start+20. */
    int64_t due_ms = qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 20;

    timer_mod(t, due_ms);
    timer_mod(del, start + 1000);
    timer_del(del);
    qemu_bh_schedule(bh);
    qemu_bh_schedule(bh);
    while (!fired && qemu_clock_get_ns(QEMU_CLOCK_REALTIME) < limit) {
        main_loop_poll_once(true);
    }
    g_assert_cmpint(fired, ==, 1);
    g_assert_cmpint(bh_ran, ==, 1);
    g_assert_cmpint(never, ==, 0);
    g_assert_cmpint(qemu_clock_get_ns(QEMU_CLOCK_REALTIME), >=,
                    due_ms * SCALE_MS);
    g_assert_false(timer_pending(t));
    timer_free(t);
    timer_free(del);
    qemu_bh_delete(bh);
}

static void exit_cb(void *opaque)
{
    main_loop_exit(7);
}

static void test_main_loop_exit(void)
{
    QEMUTimer *t = timer_new_ms(QEMU_CLOCK_REALTIME, exit_cb, NULL);

    timer_mod(t, qemu_clock_get_ms(QEMU_CLOCK_REALTIME) + 1);
    g_assert_cmpint(main_loop_run(), ==, 7);
    timer_free(t);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timer/virtual/order", test_virtual_order);
    g_test_add_func("/timer/virtual/run", test_virtual_run);
    g_test_add_func("/timer/virtual/rearm", test_virtual_rearm);
    g_test_add_func("/timer/virtual/free-in-callback",
                    test_virtual_free_in_cb);
    g_test_add_func("/timer/realtime", test_realtime);
    g_test_add_func("/timer/main-loop-exit", test_main_loop_exit);
    return g_test_run();
}
