/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in guest across migration, as a user sees it: two batons
 * under -accel tcg, a failover pair, `migrate` over tcp (and to a file
 * and back).  The guest ejects the primary by itself when asked, the
 * migration passes wait-unplug, and on the destination the same guest
 * continues from the migrated RAM (no second firmware start): it notices
 * the switch-over, binds the re-plugged primary, carries traffic and
 * prints its outage report.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libqtest.h"
#include "libqos/guest-console.h"
#include "libqos/migrate.h"

static char *tmpdir;

/* A free local TCP port (the destination listens on it next). */
static int free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sa, &len), ==, 0);
    close(fd);
    return ntohs(sa.sin_port);
}

/* What the source's console shows: the guest let the primary go. */
static void expect_source_ejected(GuestConsole *con)
{
    guest_expect(con, "eject request for primary eth1");
    guest_expect(con, "primary eth1 unregistered, TX via standby");
    guest_expect(con, "ejected");
}

/* The destination's console: the same guest, continuing. */
static void expect_continued(QTestState *dst, GuestConsole *con)
{
    guest_expect(con, "(migration switch-over)");
    guest_expect(con, "registered as primary");
    guest_expect(con, "link up, TX via primary");
    guest_expect(con, "echo replies through eth1");
    guest_expect(con, "failover report after migration");
    guest_expect(con, "window unplug:");
    guest_expect(con, "window switch-over:");
    guest_expect(con, "window re-plug:");
    guest_expect(con, "outside windows: lost 0");
    g_assert_false(guest_console_has(con, "firmware start"));
}

static void test_tcp(const char *extra)
{
    GuestConsole scon, dcon;
    int port = free_port();
    g_autofree char *uri = g_strdup_printf("tcp:127.0.0.1:%d", port);
    g_autofree char *sargs = g_strdup_printf("%s %s", guest_failover_pair,
                                             extra);
    g_autofree char *dargs = g_strdup_printf("%s %s -incoming %s",
                                             guest_failover_pair, extra, uri);
    QTestState *src = guest_vm_start(&scon, tmpdir, "src", sargs, false);
    QTestState *dst;

    guest_expect_failover_up(src, &scon);
    dst = guest_vm_start(&dcon, tmpdir, "dst", dargs, false);
    mig_start(src, uri);
    mig_wait_status(src, "completed");
    expect_source_ejected(&scon);
    qtest_qmp_eventwait(dst, "RESUME");
    expect_continued(dst, &dcon);
    qtest_quit(src);
    qtest_quit(dst);
    guest_console_clear(&scon);
    guest_console_clear(&dcon);
}

static void test_tcp_acpi(void)
{
    test_tcp("");
}

static void test_tcp_native(void)
{
    test_tcp("-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off");
}

/* migrate to a file, then a new baton restores it and the guest goes on. */
static void test_file(void)
{
    GuestConsole scon, dcon;
    g_autofree char *file = g_build_filename(tmpdir, "saved", NULL);
    g_autofree char *out = g_strdup_printf("exec:cat > %s", file);
    g_autofree char *dargs = g_strdup_printf("%s -incoming 'exec:cat %s'",
                                             guest_failover_pair, file);
    QTestState *src = guest_vm_start(&scon, tmpdir, "fsrc",
                                     guest_failover_pair, false);
    QTestState *dst;

    guest_expect_failover_up(src, &scon);
    mig_start(src, out);
    mig_wait_status(src, "completed");
    expect_source_ejected(&scon);
    qtest_quit(src);

    dst = guest_vm_start(&dcon, tmpdir, "fdst", dargs, false);
    qtest_qmp_eventwait(dst, "RESUME");
    expect_continued(dst, &dcon);
    qtest_quit(dst);
    guest_console_clear(&scon);
    guest_console_clear(&dcon);
}

/* Bounded wait until the destination has loaded the stream. */
static void wait_loaded(QTestState *qts)
{
    gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;

    for (;;) {
        g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
            "{'execute': 'query-status'}");
        const char *st = json_object_get_string_member(
            json_node_get_object(ret), "status");

        if (strcmp(st, "inmigrate")) {
            return;
        }
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(10 * 1000);
    }
}

/* A destination listening on a fresh tcp port; cont'ed (autostart). */
static QTestState *start_destination(GuestConsole *con, const char *name,
                                     char **uri)
{
    g_autofree char *args = NULL;

    *uri = g_strdup_printf("tcp:127.0.0.1:%d", free_port());
    args = g_strdup_printf("%s -incoming %s", guest_failover_pair, *uri);
    return guest_vm_start(con, tmpdir, name, args, false);
}

/*
 * There and back: the guest that came from a migration migrates again,
 * and reports its windows on each destination.
 */
static void test_ping_pong(void)
{
    GuestConsole c1, c2, c3;
    g_autofree char *uri2 = NULL, *uri3 = NULL;
    QTestState *q1 = guest_vm_start(&c1, tmpdir, "pp1", guest_failover_pair,
                                    false);
    QTestState *q2, *q3;

    guest_expect_failover_up(q1, &c1);
    q2 = start_destination(&c2, "pp2", &uri2);
    mig_start(q1, uri2);
    mig_wait_status(q1, "completed");
    qtest_qmp_eventwait(q2, "RESUME");
    expect_continued(q2, &c2);

    q3 = start_destination(&c3, "pp3", &uri3);
    mig_start(q2, uri3);
    mig_wait_status(q2, "completed");
    expect_source_ejected(&c2);
    qtest_qmp_eventwait(q3, "RESUME");
    expect_continued(q3, &c3);
    qtest_quit(q1);
    qtest_quit(q2);
    qtest_quit(q3);
    guest_console_clear(&c1);
    guest_console_clear(&c2);
    guest_console_clear(&c3);
}

/*
 * Before the guest ever ran (-S): nothing is negotiated, the destination
 * stays stopped like the source, and boots the guest on cont.
 */
static void test_before_boot(void)
{
    GuestConsole scon, dcon;
    g_autofree char *uri = NULL;
    QTestState *src = guest_vm_start(&scon, tmpdir, "bb-src",
                                     guest_failover_pair, true);
    QTestState *dst = start_destination(&dcon, "bb-dst", &uri);

    mig_start(src, uri);
    mig_wait_status(src, "completed");
    /* The source was not running: neither is the destination, until cont. */
    wait_loaded(dst);
    g_assert_false(guest_console_has(&dcon, "firmware start"));
    qtest_qmp_assert_success(dst, "{'execute': 'cont'}");
    guest_expect(&dcon, "firmware start (boot 1)");
    guest_expect_failover_up(dst, &dcon);
    g_assert_false(guest_console_has(&scon, "firmware start"));
    qtest_quit(src);
    qtest_quit(dst);
    guest_console_clear(&scon);
    guest_console_clear(&dcon);
}

/*
 * Migration started right as the guest starts: whatever point of boot,
 * negotiation or hot-add the stream catches it at, the destination ends
 * with the primary carrying the traffic.
 */
static void test_during_boot(void)
{
    GuestConsole scon, dcon;
    g_autofree char *uri = NULL;
    QTestState *src = guest_vm_start(&scon, tmpdir, "db-src",
                                     guest_failover_pair, true);
    QTestState *dst = start_destination(&dcon, "db-dst", &uri);

    mig_enable_events(src);
    qtest_qmp_send(src, "{'execute': 'cont'}");
    qtest_qmp_send(src, "{'execute': 'migrate', 'arguments': "
                   "{'uri': '%s'}}", uri);
    qtest_qmp_assert_success(src, "{'execute': 'query-status'}");
    mig_wait_status(src, "completed");
    qtest_qmp_eventwait(dst, "RESUME");
    guest_expect(&dcon, "registered as primary");
    guest_expect(&dcon, "link up, TX via primary");
    guest_expect(&dcon, "echo replies through eth1");
    qtest_quit(src);
    qtest_quit(dst);
    guest_console_clear(&scon);
    guest_console_clear(&dcon);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("baton-guest-mig-XXXXXX", NULL);
    qtest_add_func("builtin-guest-migration/tcp-acpi", test_tcp_acpi);
    qtest_add_func("builtin-guest-migration/tcp-native", test_tcp_native);
    qtest_add_func("builtin-guest-migration/file", test_file);
    qtest_add_func("builtin-guest-migration/ping-pong", test_ping_pong);
    qtest_add_func("builtin-guest-migration/before-boot", test_before_boot);
    qtest_add_func("builtin-guest-migration/during-boot", test_during_boot);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
    if (system(cmd)) {
        /* a leftover temporary directory */
    }
    return ret;
}
