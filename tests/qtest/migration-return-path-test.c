/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration-return-path-test: on a socket the source reports `completed`
 * only after the destination said it loaded and checked the stream.  A
 * proxy between the two damages the stream where only its end can tell,
 * or lets the destination die after it received everything: the source
 * reports `failed`, runs on, and the next migration completes; so it
 * does when a PONG comes that no PING asked for.  Also: the guest stops
 * for the switch-over only once the destination took what the passes
 * sent, or after downtime-limit without its PONG; a SIGTERM while the
 * switch-over waits for a stalled destination ends the source at once,
 * and a destination too slow to answer in time still gets a stream that
 * ends with END.
 */
#include "libqtest.h"
#include "libqos/migrate.h"
#include "libqos/mig-proxy.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MACHINE "-M q35 -nodefaults -m 64M "
#define RAM_BASE 0x100000ULL
#define PAGES 64

static void write_pages(QTestState *qts, uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(PAGES * 4096);

    for (size_t i = 0; i < PAGES * 4096; i++) {
        buf[i] = seed + i * 7 + i / 4096;
    }
    qtest_memwrite(qts, RAM_BASE, buf, PAGES * 4096);
}

static void check_pages(QTestState *qts, uint8_t seed)
{
    g_autofree uint8_t *buf = g_malloc(PAGES * 4096);

    qtest_memread(qts, RAM_BASE, buf, PAGES * 4096);
    for (size_t i = 0; i < PAGES * 4096; i++) {
        g_assert_cmpuint(buf[i], ==, (uint8_t)(seed + i * 7 + i / 4096));
    }
}

/* The source failed with a reason starting with want and runs on. */
static void check_source_failed(QTestState *src, const char *want)
{
    g_autoptr(JsonObject) info = mig_query(src);
    g_autofree char *rs = NULL;
    const char *desc;

    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "failed");
    desc = json_object_get_string_member(info, "error-desc");
    if (!g_str_has_prefix(desc, want)) {
        g_test_message("error-desc: %s", desc);
        g_assert_not_reached();
    }
    /* It had stopped for the switch-over: it runs again. */
    qtest_qmp_eventwait(src, "RESUME");
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "running");
}

/* Nothing lost on the source: a migration without a proxy completes. */
static void migrate_again(QTestState *src, uint8_t seed)
{
    g_autofree char *sock = mig_tmp_path("again.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-incoming %s", uri);
    g_autofree char *rs = NULL;

    mig_migrate(src, uri);
    mig_wait_status(src, "completed");
    qtest_qmp_eventwait(dst, "RESUME");
    rs = mig_status(dst);
    g_assert_cmpstr(rs, ==, "completed");
    check_pages(dst, seed);
    qtest_quit(dst);
}

typedef struct Setup {
    QTestState *src;
    QTestState *dst;
    MigProxy *proxy;
    char *uri;                  /* the proxy's */
} Setup;

static void setup(Setup *s, MigProxyFault fault, uint64_t at, uint8_t seed)
{
    g_autofree char *dsock = mig_tmp_path("dst.sock");
    g_autofree char *psock = mig_tmp_path("proxy.sock");

    s->dst = qtest_initf(MACHINE "-incoming unix:%s", dsock);
    s->src = qtest_init(MACHINE);
    s->proxy = mig_proxy_start(psock, dsock, fault, at, 0);
    s->uri = g_strdup_printf("unix:%s", psock);
    write_pages(s->src, seed);
    mig_enable_events(s->src);
    mig_enable_events(s->dst);
}

static void teardown(Setup *s)
{
    mig_proxy_stop(s->proxy);
    qtest_quit(s->src);
    qtest_quit(s->dst);
    g_free(s->uri);
}

static void test_success(void)
{
    Setup s;
    g_autofree char *rs = NULL;

    setup(&s, MIG_PROXY_PASS, 0, 1);
    mig_migrate(s.src, s.uri);
    mig_wait_status(s.src, "completed");
    /* The destination answered before the source called it completed. */
    g_assert_true(mig_proxy_wait_answer(s.proxy, 0));
    rs = mig_run_status(s.src);
    g_assert_cmpstr(rs, ==, "postmigrate");
    g_free(mig_wait_event(s.dst, "completed", NULL));
    qtest_qmp_eventwait(s.dst, "RESUME");
    check_pages(s.dst, 1);
    teardown(&s);
}

/*
 * One byte of RAM changed on the way, its section re-checksummed: every
 * section loads, and only the END section tells.  All bytes
 * were written, so without an answer the source would say completed.
 */
static void test_corrupt_at_end(void)
{
    Setup s;

    setup(&s, MIG_PROXY_FLIP_RAM, 0, 2);
    qtest_set_expected_status(s.dst, 1);
    mig_migrate(s.src, s.uri);
    mig_wait_status(s.src, "failed");
    /* END vouches for the sections' checksums: the edit shows there. */
    check_source_failed(s.src, "the destination failed to load the "
                        "migration stream: altered stream");
    /* The destination gave up (status 1), as a failed load does. */
    qtest_wait_qemu(s.dst);
    migrate_again(s.src, 2);
    teardown(&s);
}

/*
 * The destination received and loaded everything, answered, and died
 * before its answer got through: the source must not call that completed.
 */
static void test_dest_killed_at_end(void)
{
    Setup s;
    g_autofree char *st = NULL;
    g_autofree char *dst_st = NULL;

    setup(&s, MIG_PROXY_HOLD_ANSWER, 0, 3);
    mig_migrate(s.src, s.uri);
    g_assert_true(mig_proxy_wait_answer(s.proxy, 120));
    /* Loaded, waiting for the source's go: not running, not completed. */
    dst_st = mig_status(s.dst);
    g_assert_cmpstr(dst_st, ==, "active");
    st = mig_status(s.src);
    g_assert_cmpstr(st, ==, "active");
    kill(qtest_pid(s.dst), SIGKILL);
    /* Reaped here: libqtest then expects nothing more of it. */
    for (int i = 0; i < 10000 && qtest_probe_child(s.dst); i++) {
        g_usleep(1000);
    }
    mig_wait_status(s.src, "failed");
    check_source_failed(s.src, "the destination closed the migration "
                        "channel before confirming the load");
    migrate_again(s.src, 3);
    teardown(&s);
}

/* Wait for the MIGRATION_PASS event of pass n (or a later one). */
static void wait_pass(QTestState *qts, int64_t n)
{
    for (;;) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts,
                                                           "MIGRATION_PASS");
        JsonObject *data = json_object_get_object_member(ev, "data");

        if (json_object_get_int_member(data, "pass") >= n) {
            return;
        }
    }
}

/*
 * The proxy stops taking the stream after 160 KiB of the first pass's
 * 256 KiB; the rest fits in the source's socket.  The pass is over and
 * nothing is left to send, but the destination has not loaded it all:
 * stopping the guest now would put the destination's catch-up into the
 * downtime.  The guest runs on, `active`, until the destination answered
 * the PING that follows the pass.
 */
#define STALL_AT (160 * 1024)

static void test_switchover_waits(void)
{
    Setup s;
    g_autofree char *rs = NULL;
    g_autofree char *st = NULL;

    setup(&s, MIG_PROXY_STALL, STALL_AT, 5);
    /* Long enough that only the destination's answer ends the wait. */
    mig_set_param(s.src, "downtime-limit", 600000);
    mig_migrate(s.src, s.uri);
    wait_pass(s.src, 2);
    rs = mig_run_status(s.src);
    g_assert_cmpstr(rs, ==, "running");
    st = mig_status(s.src);
    g_assert_cmpstr(st, ==, "active");
    mig_proxy_release(s.proxy);
    mig_wait_status(s.src, "completed");
    qtest_qmp_eventwait(s.dst, "RESUME");
    check_pages(s.dst, 5);
    teardown(&s);
}

/* While it waits, migrate_cancel ends the migration; nothing is lost. */
static void test_switchover_wait_cancelled(void)
{
    Setup s;
    g_autofree char *rs = NULL;

    setup(&s, MIG_PROXY_STALL, STALL_AT, 6);
    mig_set_param(s.src, "downtime-limit", 600000);
    qtest_set_expected_status(s.dst, 1);
    mig_migrate(s.src, s.uri);
    wait_pass(s.src, 2);
    qtest_qmp_assert_success(s.src, "{'execute': 'migrate_cancel'}");
    mig_wait_status(s.src, "cancelled");
    rs = mig_run_status(s.src);
    g_assert_cmpstr(rs, ==, "running");
    /* The destination gets the rest, then the end of the channel. */
    mig_proxy_release(s.proxy);
    qtest_wait_qemu(s.dst);
    migrate_again(s.src, 6);
    teardown(&s);
}

/*
 * SIGTERM while the switch-over writes to a destination that stopped
 * reading.  The proxy stalls as above, so no PONG comes and the switch-over
 * starts after downtime-limit; RAM dirtied meanwhile makes the final pass
 * far larger than the sockets hold.  The source, guest stopped, waits for
 * its socket outside the main loop (for up to 30 s); it must give up at
 * once, resume the guest and exit as SIGTERM makes it: status 0.
 */
#define DIRTY_BYTES (16u << 20)
#define EXIT_WAIT_MS 10000

/* Wait up to ms for the process to end (without reaping it). */
static bool wait_pid_exit(pid_t pid, int ms)
{
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    struct pollfd pfd = { .fd = pidfd, .events = POLLIN };
    int r;

    g_assert_cmpint(pidfd, >=, 0);
    do {
        r = poll(&pfd, 1, ms);
    } while (r < 0 && errno == EINTR);
    close(pidfd);
    return r == 1;
}

static void test_sigterm_in_switchover(void)
{
    g_autoptr(JsonObject) shutdown = NULL;
    Setup s;
    int64_t start;
    bool exited;

    setup(&s, MIG_PROXY_STALL, STALL_AT, 9);
    mig_set_param(s.src, "downtime-limit", 3000);
    /* The stream ends early for the destination: it gives up. */
    qtest_set_expected_status(s.dst, 1);
    mig_migrate(s.src, s.uri);
    wait_pass(s.src, 2);
    qtest_memset(s.src, RAM_BASE, 0x5a, DIRTY_BYTES);
    /* Sent as the switch-over stops the guest, before it writes. */
    qtest_qmp_eventwait(s.src, "STOP");
    g_assert_true(mig_proxy_fired(s.proxy));
    start = g_get_monotonic_time();
    kill(qtest_pid(s.src), SIGTERM);
    exited = wait_pid_exit(qtest_pid(s.src), EXIT_WAIT_MS);
    g_test_message("source exited %" G_GINT64_FORMAT " ms after SIGTERM",
                   (g_get_monotonic_time() - start) / 1000);
    g_assert_true(exited);
    /* Reaped, with the status checked: 0, as for any SIGTERM. */
    qtest_wait_qemu(s.src);
    /* What it said before it went: failed, the guest resumed, shutdown. */
    g_free(mig_wait_event(s.src, "failed", NULL));
    qtest_qmp_eventwait(s.src, "RESUME");
    shutdown = qtest_qmp_eventwait_ref(s.src, "SHUTDOWN");
    g_assert_cmpstr(json_object_get_string_member(
                        json_object_get_object_member(shutdown, "data"),
                        "reason"), ==, "host-signal");
    mig_proxy_release(s.proxy);
    qtest_wait_qemu(s.dst);
    teardown(&s);
}

/* An event's timestamp, in microseconds. */
static int64_t event_us(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    return json_object_get_int_member(ts, "seconds") * G_USEC_PER_SEC +
           json_object_get_int_member(ts, "microseconds");
}

/*
 * The destination's PONG never reaches the source: the switch-over waits
 * downtime-limit for it, then goes ahead, and the migration completes as
 * usual.  Measured between the events: the last MIGRATION_PASS before the
 * guest stopped (the PING went out right after it) and that STOP.
 */
#define PING_WAIT_MS 2000

static void test_switchover_without_pong(void)
{
    Setup s;
    g_autoptr(JsonObject) stop = NULL;
    g_autoptr(JsonObject) done = NULL;
    g_autofree char *rs = NULL;
    g_autofree char *dst_st = NULL;
    int64_t pass_us = 0, waited_us, done_us;
    JsonObject *ev;

    setup(&s, MIG_PROXY_DROP_PONG, 0, 7);
    mig_set_param(s.src, "downtime-limit", PING_WAIT_MS);
    mig_migrate(s.src, s.uri);
    stop = qtest_qmp_eventwait_ref(s.src, "STOP");
    /* The passes' events came before STOP and are queued. */
    while ((ev = qtest_qmp_event_ref(s.src, "MIGRATION_PASS"))) {
        if (event_us(ev) <= event_us(stop)) {
            pass_us = event_us(ev);
        }
        json_object_unref(ev);
    }
    g_assert_cmpint(pass_us, >, 0);
    g_assert_true(mig_proxy_fired(s.proxy));
    waited_us = event_us(stop) - pass_us;
    g_test_message("STOP %" G_GINT64_FORMAT " ms after the last pass",
                   waited_us / 1000);
    /*
     * At least about downtime-limit (the timer may count from the start of
     * the main-loop iteration that sent the PING), and not until some
     * other, longer timeout.
     */
    g_assert_cmpint(waited_us, >=, PING_WAIT_MS * 3 / 4 * 1000);
    g_assert_cmpint(waited_us, <, (PING_WAIT_MS + 10000) * 1000);

    /* Still `active` until then: the next state is completed. */
    for (;;) {
        g_autofree char *st = NULL;

        done = qtest_qmp_eventwait_ref(s.src, "MIGRATION");
        st = g_strdup(json_object_get_string_member(
                          json_object_get_object_member(done, "data"),
                          "status"));
        if (strcmp(st, "active") && strcmp(st, "setup")) {
            g_assert_cmpstr(st, ==, "completed");
            break;
        }
        g_clear_pointer(&done, json_object_unref);
    }
    done_us = event_us(done);
    g_assert_cmpint(done_us - pass_us, >=, PING_WAIT_MS * 3 / 4 * 1000);
    rs = mig_run_status(s.src);
    g_assert_cmpstr(rs, ==, "postmigrate");

    qtest_qmp_eventwait(s.dst, "RESUME");
    dst_st = mig_status(s.dst);
    g_assert_cmpstr(dst_st, ==, "completed");
    g_free(rs);
    rs = mig_run_status(s.dst);
    g_assert_cmpstr(rs, ==, "running");
    check_pages(s.dst, 7);
    teardown(&s);
}

/*
 * A PONG no PING asked for (the proxy sends it before anything from the
 * destination): the source cannot trust the return path any more.  It
 * fails with the return path's "unexpected data" error and runs on.
 */
static void test_unsolicited_pong(void)
{
    Setup s;
    g_autoptr(JsonObject) info = NULL;
    g_autofree char *rs = NULL;

    setup(&s, MIG_PROXY_EXTRA_PONG, 0, 8);
    qtest_set_expected_status(s.dst, 1);
    mig_migrate(s.src, s.uri);
    mig_wait_status(s.src, "failed");
    g_assert_true(mig_proxy_fired(s.proxy));
    info = mig_query(s.src);
    g_assert_cmpstr(json_object_get_string_member(info, "error-desc"), ==,
                    "unexpected data from the destination on the "
                    "migration channel");
    rs = mig_run_status(s.src);
    g_assert_cmpstr(rs, ==, "running");
    /* The destination saw the stream end early and gave up. */
    qtest_wait_qemu(s.dst);
    migrate_again(s.src, 8);
    teardown(&s);
}

/*
 * A slow destination: the passes put more in the source's socket than it
 * takes before it reports writable again, so the PING before the
 * switch-over waits in the source to be written, and with downtime-limit
 * at 1 ms its answer times out first.  The switch-over then writes the
 * PING, the rest and END itself; nothing may follow END (the pump, left
 * watching the channel, once woke and sent a second PING there, and the
 * destination refused the stream).
 */
#define TRICKLE_BYTES_PER_MS 8192
#define TRICKLE_FILL (6u << 20)

static void test_switchover_slow_destination(void)
{
    g_autofree char *dst_st = NULL;
    Setup s;

    setup(&s, MIG_PROXY_TRICKLE, TRICKLE_BYTES_PER_MS, 20);
    qtest_memset(s.src, RAM_BASE + PAGES * 4096, 0x5a, TRICKLE_FILL);
    mig_set_param(s.src, "downtime-limit", 1);
    mig_migrate(s.src, s.uri);
    mig_wait_status(s.src, "completed");
    qtest_qmp_eventwait(s.dst, "RESUME");
    dst_st = mig_status(s.dst);
    g_assert_cmpstr(dst_st, ==, "completed");
    check_pages(s.dst, 20);
    teardown(&s);
}

/* exec: has no one to answer: completed once everything was written. */
static void test_exec_unchanged(void)
{
    g_autofree char *file = mig_tmp_path("exec.mig");
    g_autofree char *uri = g_strdup_printf("exec:cat > %s", file);
    QTestState *src = qtest_init(MACHINE);
    QTestState *dst;

    write_pages(src, 4);
    mig_start(src, uri);
    mig_wait_status(src, "completed");
    qtest_quit(src);
    dst = qtest_init(MACHINE "-incoming defer");
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': 'exec:cat %s'}}", file);
    qtest_qmp_eventwait(dst, "RESUME");
    check_pages(dst, 4);
    qtest_quit(dst);
    unlink(file);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/migration/return-path/success", test_success);
    qtest_add_func("/migration/return-path/corrupt-at-end",
                   test_corrupt_at_end);
    qtest_add_func("/migration/return-path/dest-killed-at-end",
                   test_dest_killed_at_end);
    qtest_add_func("/migration/return-path/exec-unchanged",
                   test_exec_unchanged);
    qtest_add_func("/migration/switchover/waits-for-destination",
                   test_switchover_waits);
    qtest_add_func("/migration/switchover/wait-cancelled",
                   test_switchover_wait_cancelled);
    qtest_add_func("/migration/switchover/sigterm",
                   test_sigterm_in_switchover);
    qtest_add_func("/migration/switchover/no-pong",
                   test_switchover_without_pong);
    qtest_add_func("/migration/switchover/slow-destination",
                   test_switchover_slow_destination);
    qtest_add_func("/migration/return-path/unsolicited-pong",
                   test_unsolicited_pong);
    ret = g_test_run();
    mig_tmp_cleanup();
    return ret;
}
