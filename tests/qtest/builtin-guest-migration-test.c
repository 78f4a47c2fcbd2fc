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

/* Wait for MIGRATION with `status`; fail on failed/cancelled otherwise. */
static void wait_migration(QTestState *qts, const char *status)
{
    for (;;) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts, "MIGRATION");
        const char *s = json_object_get_string_member(
            json_object_get_object_member(ev, "data"), "status");

        g_test_message("MIGRATION %s", s);
        if (!strcmp(s, status)) {
            return;
        }
        g_assert_cmpstr(s, !=, "failed");
    }
}

static void start_migration(QTestState *src, const char *uri)
{
    qtest_qmp_assert_success(src,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': '%s'}}", uri);
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
    start_migration(src, uri);
    wait_migration(src, "completed");
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
    start_migration(src, out);
    wait_migration(src, "completed");
    expect_source_ejected(&scon);
    qtest_quit(src);

    dst = guest_vm_start(&dcon, tmpdir, "fdst", dargs, false);
    qtest_qmp_eventwait(dst, "RESUME");
    expect_continued(dst, &dcon);
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
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
    if (system(cmd)) {
        /* a leftover temporary directory */
    }
    return ret;
}
