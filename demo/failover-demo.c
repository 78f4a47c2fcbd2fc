/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failover-demo: the whole virtio-net failover story on one machine.
 *
 * Two batons (source and destination, same devices), a network peer that
 * answers requests, a guest driver that behaves like Linux net_failover,
 * and a management step that migrates the guest over tcp via QMP.  The
 * guest "moves" with the migration: it drives the source over its qtest
 * connection until the source stops, and the destination once it resumes.
 * Prints a timeline and a ping-like outage report; exits 0 only if every
 * request was answered and the primary ended up on the destination.
 *
 * Environment: QTEST_QEMU_BINARY names the baton binary (as for qtests).
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

#define MAC "52:54:00:fa:11:01"
#define INTERVAL_US 2000        /* one request every 2 ms: 500 per second */
#define STEP_TIMEOUT_US (3 * G_USEC_PER_SEC)

typedef struct Demo {
    bool quick;
    bool native;
    bool tty;
    char *dir;
    DemoPeer *peer;
    QTestState *src, *dst;
    Guest guest;
    int64_t t0, t0_real;
    int64_t next_send;
    bool sending;

    /* Timeline, monotonic µs (0 = not reached). */
    int64_t t_migrate, t_unplug_primary, t_wait_unplug, t_active;
    int64_t t_completed, t_freeze, t_thaw, t_dst_negotiated;
    int64_t active_real;        /* wall clock of MIGRATION active */
    int last_pct;
    char src_status[32];
} Demo;

static Demo demo;
static const char *volatile current_step = "start";
static struct sigaction libqtest_abrt;

/* ---- Output ---------------------------------------------------------- */

static double ms_since_start(int64_t mono)
{
    return (mono - demo.t0) / 1000.0;
}

static void tl(int64_t mono, const char *who, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void tl(int64_t mono, const char *who, const char *fmt, ...)
{
    g_autofree char *text = NULL;
    va_list ap;

    va_start(ap, fmt);
    text = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (demo.tty && demo.last_pct >= 0) {
        printf("\r\033[K");
    }
    printf("%s%8.1f ms%s  %-11s %s\n", demo.tty ? "\033[2m" : "",
           ms_since_start(mono), demo.tty ? "\033[0m" : "", who, text);
    fflush(stdout);
}

static void progress(int pct, int64_t done, int64_t total)
{
    char bar[41];
    int fill = pct * 40 / 100;

    if (pct == demo.last_pct || (!demo.tty && pct / 25 == demo.last_pct / 25
                                 && pct != 100)) {
        return;
    }
    memset(bar, '#', fill);
    memset(bar + fill, '.', 40 - fill);
    bar[40] = 0;
    printf("%s             RAM         [%s] %3d%%  %" PRId64 "/%" PRId64
           " MiB%s", demo.tty ? "\r\033[K" : "", bar, pct, done >> 20,
           total >> 20, demo.tty ? "" : "\n");
    fflush(stdout);
    demo.last_pct = pct;
}

static void end_progress(void)
{
    if (demo.tty && demo.last_pct >= 0) {
        printf("\n");
    }
    demo.last_pct = -1;
}

/* Requests the peer has seen on each path so far, for the timeline. */
static char *path_counts(void)
{
    GString *str = g_string_new("frames so far:");

    for (int p = 0; p < PATH__MAX; p++) {
        uint64_t n = demo_peer_count(demo.peer, p);

        if (n) {
            g_string_append_printf(str, " %s %" PRIu64, demo_path_name[p],
                                   n);
        }
    }
    return g_string_free(str, FALSE);
}

/* ---- Failing clearly ----------------------------------------------- */

static void kill_batons(void)
{
    if (demo.src && qtest_pid(demo.src) > 0) {
        kill(qtest_pid(demo.src), SIGKILL);
    }
    if (demo.dst && qtest_pid(demo.dst) > 0) {
        kill(qtest_pid(demo.dst), SIGKILL);
    }
}

static void remove_dir(void)
{
    g_autoptr(GDir) d = NULL;
    const char *name;

    if (!demo.dir || !(d = g_dir_open(demo.dir, 0, NULL))) {
        return;
    }
    while ((name = g_dir_read_name(d))) {
        g_autofree char *p = g_build_filename(demo.dir, name, NULL);
        unlink(p);
    }
    rmdir(demo.dir);
}

static G_GNUC_NORETURN G_GNUC_PRINTF(1, 2) void fail(const char *fmt, ...)
{
    g_autofree char *msg = NULL;
    va_list ap;

    va_start(ap, fmt);
    msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    end_progress();
    printf("\nDEMO FAILED at step '%s': %s\n", current_step, msg);
    fflush(stdout);
    kill_batons();
    remove_dir();
    exit(1);
}

/* A libqtest assertion (a baton that died or timed out): name the step. */
static void abrt_handler(int sig)
{
    static const char pre[] = "\nDEMO FAILED at step '";
    static const char post[] = "' (see the message above)\n";
    const char *step = current_step;

    (void)!write(1, pre, sizeof(pre) - 1);
    (void)!write(1, step, strlen(step));
    (void)!write(1, post, sizeof(post) - 1);
    kill_batons();
    sigaction(SIGABRT, &libqtest_abrt, NULL);
    raise(sig);
}

static void step(const char *name)
{
    current_step = name;
}

/* ---- QMP helpers ----------------------------------------------------- */

static int64_t event_mono(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");
    int64_t real;

    if (!ts) {
        return g_get_monotonic_time();
    }
    real = json_object_get_int_member(ts, "seconds") * G_USEC_PER_SEC +
           json_object_get_int_member(ts, "microseconds");
    return demo.t0 + (real - demo.t0_real);
}

static int64_t event_real(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    return ts ? json_object_get_int_member(ts, "seconds") * G_USEC_PER_SEC +
                json_object_get_int_member(ts, "microseconds") : 0;
}

static JsonObject *event_data(JsonObject *ev)
{
    return json_object_get_object_member(ev, "data");
}

static void qmp_ok(QTestState *qts, const char *what, const char *cmd)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "%s", cmd);

    if (!json_object_has_member(rsp, "return")) {
        g_autofree char *text = qmp_to_string(rsp);
        fail("%s: %s", what, text);
    }
}

/* query-migrate; the reply also pulls in pending events. */
static JsonObject *query_migrate(QTestState *qts)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts,
                                          "{'execute': 'query-migrate'}");

    if (!json_object_has_member(rsp, "return")) {
        fail("query-migrate failed");
    }
    return json_object_ref(json_object_get_object_member(rsp, "return"));
}

static void check_alive(QTestState *qts, const char *who)
{
    if (!qtest_probe_child(qts)) {
        fail("the %s baton exited", who);
    }
}

/* ---- The guest's pace ------------------------------------------------ */

/* Run the guest once; send if a request is due.  Paces the loop. */
static void guest_step(void)
{
    int64_t now = g_get_monotonic_time();
    bool due = demo.sending && now >= demo.next_send;
    const char *action;

    if (due) {
        demo.next_send += INTERVAL_US;
        if (demo.next_send < now) {
            demo.next_send = now + INTERVAL_US;
        }
    }
    action = guest_tick(&demo.guest, due);
    if (action) {
        tl(demo.guest.t_action, demo.guest.on_destination ?
           "guest@dst" : "guest@src", "%s", action);
    }
    now = g_get_monotonic_time();
    if (now < demo.next_send) {
        /* pacing, not synchronisation: the next request is not due */
        g_usleep(MIN(demo.next_send - now, 500));
    }
}

/* Keep the guest running until cond() holds or the step times out. */
static void run_until(bool (*cond)(void), int64_t timeout_us,
                      const char *what)
{
    int64_t deadline = g_get_monotonic_time() + timeout_us;

    while (!cond()) {
        if (g_get_monotonic_time() > deadline) {
            fail("%s did not happen within %" PRId64 " ms", what,
                 timeout_us / 1000);
        }
        guest_step();
    }
}

static int64_t traffic_until;

static bool traffic_done(void)
{
    return g_get_monotonic_time() >= traffic_until;
}

static bool primary_up(void)
{
    return demo.guest.primary_state == PRIMARY_UP;
}

static bool drained(void)
{
    return guest_unanswered(&demo.guest) == 0;
}

/* ---- Set-up ------------------------------------------------------------ */

static char *baton_args(const char *side, bool incoming)
{
    return g_strdup_printf(
        "-M q35 -nodefaults -m 256M %s"
        "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1 "
        "-device pcie-root-port,id=root1,bus=pcie.0,addr=0x2,chassis=2 "
        "-netdev dgram,id=hs0,local.type=unix,local.path=%s/%s-standby.sock,"
        "remote.type=unix,remote.path=%s "
        "-netdev dgram,id=hs1,local.type=unix,local.path=%s/%s-primary.sock,"
        "remote.type=unix,remote.path=%s "
        "-device virtio-net-pci,bus=root0,id=standby0,failover=on,"
        "netdev=hs0,mac=" MAC " "
        "-device virtio-net-pci,bus=root1,id=primary0,"
        "failover_pair_id=standby0,netdev=hs1,mac=" MAC " %s",
        demo.native ? "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support"
                      "=off " : "",
        demo.dir, side, demo_peer_path(demo.peer),
        demo.dir, side, demo_peer_path(demo.peer),
        incoming ? "-incoming defer" : "");
}

static QTestState *start_baton(const char *side, bool incoming)
{
    g_autofree char *args = baton_args(side, incoming);
    QTestState *qts = qtest_init(args);

    qtest_set_timeout(qts, 5);
    qmp_ok(qts, "enable the events capability",
           "{'execute': 'migrate-set-capabilities', 'arguments': "
           "{'capabilities': [{'capability': 'events', 'state': true}]}}");
    return qts;
}

/* migrate-incoming on an ephemeral port; the port the destination got. */
static char *listen_incoming(void)
{
    g_autoptr(JsonObject) info = NULL;
    JsonArray *addrs;
    JsonObject *a;

    qmp_ok(demo.dst, "migrate-incoming",
           "{'execute': 'migrate-incoming', 'arguments': "
           "{'uri': 'tcp:127.0.0.1:0'}}");
    info = query_migrate(demo.dst);
    addrs = json_object_has_member(info, "socket-address") ?
            json_object_get_array_member(info, "socket-address") : NULL;
    if (!addrs || !json_array_get_length(addrs)) {
        fail("the destination's query-migrate has no socket-address");
    }
    a = json_array_get_object_element(addrs, 0);
    return g_strdup_printf("tcp:127.0.0.1:%s",
                           json_object_get_string_member(a, "port"));
}

/* ---- Migration -------------------------------------------------------- */

static void show_ram(JsonObject *info);

static void handle_src_migration_event(JsonObject *ev)
{
    const char *st = json_object_get_string_member(event_data(ev), "status");
    int64_t t = event_mono(ev);

    if (strcmp(st, "completed")) {
        tl(t, "source", "MIGRATION %s", st);
    }
    g_strlcpy(demo.src_status, st, sizeof(demo.src_status));
    if (!strcmp(st, "wait-unplug")) {
        demo.t_wait_unplug = t;
    } else if (!strcmp(st, "active")) {
        demo.t_active = t;
        demo.active_real = event_real(ev);
        if (!demo.t_wait_unplug) {
            fail("the source went active without wait-unplug%s: the "
                 "primary was not unplugged first",
                 demo.t_unplug_primary ? "" : " and without UNPLUG_PRIMARY");
        }
        if (demo.guest.t_ejected_real) {
            tl(t, "source", "wait-unplug lasted %.3f ms; the guest's "
               "eject -> active: %.3f ms", (t - demo.t_wait_unplug) / 1000.0,
               (demo.active_real - demo.guest.t_ejected_real) / 1000.0);
        }
    } else if (!strcmp(st, "completed")) {
        g_autoptr(JsonObject) info = query_migrate(demo.src);

        demo.t_completed = t;
        demo.last_pct = -1;
        show_ram(info);
        end_progress();
        tl(t, "source", "completed: setup-time %" PRId64 " ms (includes "
           "wait-unplug), total-time %" PRId64 " ms, downtime %" PRId64
           " ms", json_object_get_int_member(info, "setup-time"),
           json_object_get_int_member(info, "total-time"),
           json_object_get_int_member(info, "downtime"));
        return;
    } else if (!strcmp(st, "failed") || !strcmp(st, "cancelled")) {
        g_autoptr(JsonObject) info = query_migrate(demo.src);
        const char *err = json_object_has_member(info, "error-desc") ?
            json_object_get_string_member(info, "error-desc") : "no reason";
        fail("migration %s: %s", st, err);
    }
}

/* Events of the given names, oldest first (baton's timestamps). */
static GPtrArray *take_events(QTestState *qts, const char *const *names)
{
    GPtrArray *evs = g_ptr_array_new_with_free_func(
        (GDestroyNotify)json_object_unref);
    JsonObject *ev;

    for (int i = 0; names[i]; i++) {
        while ((ev = qtest_qmp_event_ref(qts, names[i]))) {
            g_ptr_array_add(evs, ev);
        }
    }
    for (guint i = 1; i < evs->len; i++) {
        for (guint j = i; j > 0 && event_real(evs->pdata[j - 1]) >
                                   event_real(evs->pdata[j]); j--) {
            gpointer t = evs->pdata[j];
            evs->pdata[j] = evs->pdata[j - 1];
            evs->pdata[j - 1] = t;
        }
    }
    return evs;
}

static const char *event_name(JsonObject *ev)
{
    return json_object_get_string_member(ev, "event");
}

static void source_events(void)
{
    static const char *const names[] = {
        "UNPLUG_PRIMARY", "MIGRATION", "STOP", NULL
    };
    g_autoptr(GPtrArray) evs = take_events(demo.src, names);

    for (guint i = 0; i < evs->len; i++) {
        JsonObject *ev = evs->pdata[i];

        if (!strcmp(event_name(ev), "UNPLUG_PRIMARY")) {
            demo.t_unplug_primary = event_mono(ev);
            tl(demo.t_unplug_primary, "source", "UNPLUG_PRIMARY %s "
               "(%.3f ms after migrate)",
               json_object_get_string_member(event_data(ev), "device-id"),
               (demo.t_unplug_primary - demo.t_migrate) / 1000.0);
        } else if (!strcmp(event_name(ev), "MIGRATION")) {
            handle_src_migration_event(ev);
        } else {
            g_autofree char *counts = path_counts();

            demo.t_freeze = event_mono(ev);
            end_progress();
            tl(demo.t_freeze, "source", "STOP: the guest is frozen (%s)",
               counts);
        }
    }
}

static void show_ram(JsonObject *info)
{
    JsonObject *ram;
    int64_t total, remaining;

    if (!json_object_has_member(info, "ram")) {
        return;
    }
    ram = json_object_get_object_member(info, "ram");
    total = json_object_get_int_member(ram, "total");
    remaining = json_object_get_int_member(ram, "remaining");
    if (total > 0) {
        progress((int)((total - remaining) * 100 / total),
                 total - remaining, total);
    }
}

static void destination_events(void);

/* query-migrate in wait-unplug counts the primaries still pending. */
static void show_pending(JsonObject *info)
{
    static bool shown;
    const char *st = json_object_has_member(info, "status") ?
                     json_object_get_string_member(info, "status") : "";

    if (!shown && !strcmp(st, "wait-unplug") &&
        json_object_has_member(info, "__org.baton_unplug-pending")) {
        tl(g_get_monotonic_time(), "management", "query-migrate: "
           "wait-unplug, %" PRId64 " primary unplug(s) pending",
           json_object_get_int_member(info, "__org.baton_unplug-pending"));
        shown = true;
    }
}

/* Management: migrate, and follow the source until it stopped. */
static void migrate_out(const char *uri)
{
    g_autofree char *cmd = g_strdup_printf(
        "{'execute': 'migrate', 'arguments': {'uri': '%s'}}", uri);
    int64_t deadline;

    step("migrate");
    demo.t_migrate = g_get_monotonic_time();
    tl(demo.t_migrate, "management", "migrate %s", uri);
    qmp_ok(demo.src, "migrate", cmd);
    deadline = demo.t_migrate + 4 * STEP_TIMEOUT_US;
    step("UNPLUG_PRIMARY");
    while (!demo.t_freeze) {
        g_autoptr(JsonObject) info = NULL;
        int64_t now = g_get_monotonic_time();

        if (now > deadline) {
            fail("the source did not complete (last status '%s')",
                 demo.src_status);
        }
        if (!demo.t_unplug_primary && now - demo.t_migrate >
            STEP_TIMEOUT_US) {
            fail("no UNPLUG_PRIMARY within %d ms of migrate (status "
                 "'%s'): failover across migration is missing",
                 (int)(STEP_TIMEOUT_US / 1000), demo.src_status);
        }
        info = query_migrate(demo.src);
        source_events();
        show_pending(info);
        if (demo.t_unplug_primary && !demo.guest.t_ejected) {
            step("wait-unplug: the guest ejects the primary");
        } else if (demo.t_active && !demo.t_freeze) {
            step("active: RAM pre-copy");
            show_ram(info);
        }
        /* The destination's side of the story, as it happens. */
        check_alive(demo.dst, "destination");
        json_object_unref(query_migrate(demo.dst));
        destination_events();
        if (!demo.t_freeze) {
            guest_step();
        }
    }
    end_progress();
}

static void destination_events(void)
{
    static const char *const names[] = {
        "FAILOVER_NEGOTIATED", "MIGRATION", "RESUME", NULL
    };
    g_autoptr(GPtrArray) evs = take_events(demo.dst, names);

    for (guint i = 0; i < evs->len; i++) {
        JsonObject *ev = evs->pdata[i];
        const char *name = event_name(ev);

        if (!strcmp(name, "FAILOVER_NEGOTIATED")) {
            demo.t_dst_negotiated = event_mono(ev);
            tl(demo.t_dst_negotiated, "destination", "FAILOVER_NEGOTIATED "
               "%s: the standby's state says STANDBY, primary plugged",
               json_object_get_string_member(event_data(ev), "device-id"));
        } else if (!strcmp(name, "MIGRATION")) {
            tl(event_mono(ev), "destination", "MIGRATION %s",
               json_object_get_string_member(event_data(ev), "status"));
        } else {
            demo.t_thaw = event_mono(ev);
            tl(demo.t_thaw, "destination", "RESUME: the guest runs again");
        }
    }
}

/* The guest is frozen: wait (bounded) for the destination to resume. */
static void switch_over(void)
{
    int64_t deadline = g_get_monotonic_time() + 2 * STEP_TIMEOUT_US;
    g_autofree char *err = NULL;

    step("switch-over: destination loads and resumes");
    while (!demo.t_thaw || !demo.t_completed) {
        check_alive(demo.dst, "destination");
        if (g_get_monotonic_time() > deadline) {
            fail(demo.t_thaw ? "the destination resumed but the source "
                 "stays '%s'" : "the destination did not resume (source "
                 "'%s')", demo.src_status);
        }
        json_object_unref(query_migrate(demo.dst));
        destination_events();
        json_object_unref(query_migrate(demo.src));
        source_events();
        if (!demo.t_thaw || !demo.t_completed) {
            g_usleep(200);      /* bounded wait on both batons */
        }
    }
    if (!demo.t_dst_negotiated) {
        fail("the destination resumed without FAILOVER_NEGOTIATED: the "
             "standby's negotiated features did not migrate");
    }
    err = guest_move(&demo.guest, demo.dst);
    if (err) {
        fail("%s", err);
    }
    tl(g_get_monotonic_time(), "guest@dst", "runs on the destination now");
}

/* The guest learns of the primary by a hot-add signal, as on the source. */
static void destination_primary(void)
{
    int64_t deadline = g_get_monotonic_time() + STEP_TIMEOUT_US;

    while (!primary_up()) {
        if (g_get_monotonic_time() > deadline) {
            QPCIDevice d = qpci_device_at(demo.guest.bus,
                QPCI_BDF(demo.guest.primary_busnr, 0, 0));

            if (qpci_config_readw(&d, 0) != 0xffff) {
                fail("primary0 is on the destination's bus %d but no "
                     "hot-add was signalled (the ACPI UP bit of its slot "
                     "reads 0): a guest never notices it",
                     demo.guest.primary_busnr);
            }
            fail("no primary appeared on the destination within %d ms",
                 (int)(STEP_TIMEOUT_US / 1000));
        }
        guest_step();
    }
}

/* The source's own account of the unplug (failover query). */
static void show_unplug_latency(void)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(demo.src,
        "{'execute': '__org.baton_query-failover'}");
    JsonArray *pairs;

    if (!json_object_has_member(rsp, "return")) {
        return;
    }
    pairs = json_object_get_array_member(rsp, "return");
    for (guint i = 0; i < json_array_get_length(pairs); i++) {
        JsonObject *p = json_array_get_object_element(pairs, i);
        JsonObject *u;

        if (!json_object_has_member(p, "migration-unplug")) {
            continue;
        }
        u = json_object_get_object_member(p, "migration-unplug");
        if (json_object_has_member(u, "latency-us")) {
            printf("  source's failover query: %s's primary ejected "
                   "%.3f ms after the unplug request\n",
                   json_object_get_string_member(p, "standby"),
                   json_object_get_int_member(u, "latency-us") / 1000.0);
        }
    }
}

/* ---- Report ------------------------------------------------------------ */

static int report(void)
{
    Guest *g = &demo.guest;
    uint32_t unanswered = guest_unanswered(g);
    int64_t unplug_start = demo.t_unplug_primary ? demo.t_unplug_primary
                                                 : g->t_down_seen;
    int stray;
    DemoWindow w[] = {
        { "first plug", g->t_attach_src, g->t_up_src },
        { "unplug", unplug_start, demo.t_active },
        { "switch-over", demo.t_freeze, demo.t_thaw },
        { "re-plug", g->t_attach, g->t_up },
    };

    printf("\nOutage per window (a request counts as lost if its first "
           "transmission got no reply;\nthe guest retransmits after "
           "40 ms, so the application loses nothing):\n");
    stray = demo_report_windows(g, demo.peer, w, G_N_ELEMENTS(w));
    show_unplug_latency();
    printf("  attached-but-not-up window: %.3f ms on the source, %.3f ms on "
           "the destination;\n  standby frames dropped by the net_failover "
           "rule meanwhile: %" PRIu64 "\n",
           (g->t_up_src - g->t_attach_src) / 1000.0,
           (g->t_up - g->t_attach) / 1000.0, g->standby.rx_dropped);

    demo_report_paths(g, demo.peer);

    if (unanswered) {
        printf("\nDEMO FAILED: %u requests were never answered\n",
               unanswered);
        return 1;
    }
    if (stray < 0) {
        printf("\nDEMO FAILED: a failover window is missing\n");
        return 1;
    }
    if (stray) {
        printf("\nDEMO FAILED: %d requests lost outside the failover "
               "windows\n", stray);
        return 1;
    }
    if (g->primary_state != PRIMARY_UP ||
        !demo_peer_count(demo.peer, PATH_DST_PRIMARY)) {
        printf("\nDEMO FAILED: the primary did not carry traffic on the "
               "destination\n");
        return 1;
    }
    printf("\nOK: migrated with failover in %.1f ms end to end, nothing "
           "lost\n", (demo.t_thaw - demo.t_migrate) / 1000.0);
    return 0;
}

/* ---- main ------------------------------------------------------------ */

int main(int argc, char **argv)
{
    g_autoptr(GError) err = NULL;
    g_autofree char *uri = NULL;
    struct sigaction sa = { .sa_handler = abrt_handler };
    int64_t phase_us;
    uint64_t fill;
    int status;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) {
            demo.quick = true;
        } else if (!strcmp(argv[i], "--native")) {
            demo.native = true;
        } else {
            fprintf(stderr, "usage: %s [--quick] [--native]\n", argv[0]);
            return 2;
        }
    }
    if (!g_getenv("QTEST_QEMU_BINARY")) {
        fprintf(stderr, "failover-demo: set QTEST_QEMU_BINARY\n");
        return 2;
    }
    phase_us = demo.quick ? 100000 : 600000;
    fill = demo.quick ? (8 << 20) : (48 << 20);
    demo.tty = isatty(1);
    demo.last_pct = -1;
    demo.t0 = g_get_monotonic_time();
    demo.t0_real = g_get_real_time();

    step("network peer");
    demo.dir = g_dir_make_tmp("baton-demo-XXXXXX", &err);
    if (!demo.dir || !(demo.peer = demo_peer_start(demo.dir, &err))) {
        fail("%s", err->message);
    }

    step("start the source baton");
    demo.src = start_baton("src", false);
    /* libqtest installed its SIGABRT handler; ours names the step first */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, &libqtest_abrt);
    tl(g_get_monotonic_time(), "source", "q35, root0: standby0 "
       "(failover=on), root1: primary0 (failover_pair_id=standby0), MAC "
       MAC ", -netdev dgram to the peer, %s hotplug",
       demo.native ? "native PCIe" : "ACPI");
    step("start the destination baton");
    demo.dst = start_baton("dst", true);
    uri = listen_incoming();
    destination_events();
    tl(g_get_monotonic_time(), "destination", "same devices, "
       "-incoming defer, migrate-incoming listens on %s", uri);

    step("negotiation");
    guest_init(&demo.guest, demo.src, demo.native);
    guest_start_standby(&demo.guest);
    {
        g_autoptr(JsonObject) ev = NULL;

        /* any command pulls in the event emitted during the write */
        json_object_unref(query_migrate(demo.src));
        ev = qtest_qmp_event_ref(demo.src, "FAILOVER_NEGOTIATED");
        if (!ev) {
            fail("no FAILOVER_NEGOTIATED after the guest acked STANDBY");
        }
        tl(event_mono(ev), "source", "guest acked VIRTIO_NET_F_STANDBY on "
           "standby0 -> FAILOVER_NEGOTIATED");
    }
    /* Something worth migrating: guest pages with data. */
    qtest_memset(demo.src, guest_alloc(&demo.guest.alloc, fill), 0x5a, fill);
    qmp_ok(demo.src, "max-bandwidth",
           "{'execute': 'migrate-set-parameters', 'arguments': "
           "{'max-bandwidth': 104857600}}");

    step("primary hot-added on the source");
    demo.sending = true;
    demo.next_send = g_get_monotonic_time();
    run_until(primary_up, STEP_TIMEOUT_US, "the primary coming up");
    traffic_until = g_get_monotonic_time() + phase_us;
    step("traffic through the primary");
    run_until(traffic_done, phase_us + STEP_TIMEOUT_US, "traffic");
    {
        g_autofree char *counts = path_counts();

        tl(g_get_monotonic_time(), "guest@src", "traffic via %s (%s)",
           demo_path_name[guest_tx_path(&demo.guest)], counts);
    }

    migrate_out(uri);
    switch_over();

    step("primary plugged on the destination");
    destination_primary();
    traffic_until = g_get_monotonic_time() + phase_us;
    step("traffic on the destination");
    run_until(traffic_done, phase_us + STEP_TIMEOUT_US, "traffic");

    step("drain: every request answered");
    demo.sending = false;
    run_until(drained, STEP_TIMEOUT_US, "answers to all requests");
    {
        g_autofree char *counts = path_counts();

        tl(g_get_monotonic_time(), "guest@dst", "all %u requests answered "
           "(%s)", demo.guest.next_seq, counts);
    }

    demo_peer_stop(demo.peer);
    status = report();

    step("shut down");
    qtest_quit(demo.dst);
    demo.dst = NULL;
    qtest_quit(demo.src);
    demo.src = NULL;
    guest_cleanup(&demo.guest);
    demo_peer_free(demo.peer);
    remove_dir();
    g_free(demo.dir);
    return status;
}
