/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in guest under -accel tcg, observed only as a user would: QMP
 * events and replies, and the console bytes written to -serial file:.
 * No driver of ours touches the machine: the guest negotiates STANDBY,
 * the primary is plugged, bound and carries the echo traffic to slirp's
 * gateway.
 */
#include <string.h>

#include "libqtest.h"
#include "libqos/guest-console.h"
#include "libqos/query-pci.h"

#define WAIT_S 30
#define MAC "52:54:00:6b:3c:58"

static char *tmpdir;

/* A q35 failover pair as libvirt writes it, slirp behind both NICs. */
static const char failover_pair[] =
    "-M q35 -nodefaults -accel tcg "
    "-device pcie-root-port,id=root0,chassis=1,addr=0x2 "
    "-device pcie-root-port,id=root1,chassis=2,addr=0x3 "
    "-netdev user,id=hs0 "
    "-device virtio-net-pci,netdev=hs0,id=standby0,failover=on,bus=root0,"
    "mac=" MAC " "
    "-netdev user,id=hs1 "
    "-device virtio-net-pci,netdev=hs1,id=primary0,"
    "failover_pair_id=standby0,bus=root1,mac=" MAC;

/* Start stopped (-S) so no event is sent before QMP is ready, then cont. */
static QTestState *start_stopped(GuestConsole *con, const char *name,
                                 const char *args)
{
    g_autofree char *serial = NULL;
    g_autofree char *all = NULL;

    guest_console_init(con, tmpdir, name);
    serial = guest_console_arg(con);
    all = g_strdup_printf("-S %s %s", serial, args);
    return qtest_init_without_qtest(all);
}

static QTestState *start(GuestConsole *con, const char *name,
                         const char *args)
{
    QTestState *qts = start_stopped(con, name, args);

    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    return qts;
}

static void expect(GuestConsole *con, const char *text)
{
    g_autofree char *line = guest_console_wait(con, text, WAIT_S);

    g_test_message("console: %s", line);
}

/* Boot to "the primary carries the traffic". */
static void expect_failover_up(QTestState *qts, GuestConsole *con)
{
    expect(con, MAC " (STANDBY)");
    expect(con, "is its standby");
    expect(con, "registered as primary");
    expect(con, "link up, TX via primary");
    expect(con, "echo replies through eth1");
    g_assert_true(qpci_query_has(qts, "primary0"));
}

static void test_acpi_failover(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "acpi", failover_pair);
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts,
                                                       "FAILOVER_NEGOTIATED");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpstr(json_object_get_string_member(data, "device-id"), ==,
                    "standby0");
    expect(&con, "pci hotplug: ACPI (acpiphp)");
    expect_failover_up(qts, &con);
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_native_failover(void)
{
    GuestConsole con;
    g_autofree char *args = g_strdup_printf(
        "%s -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
        failover_pair);
    QTestState *qts = start(&con, "native", args);

    qtest_qmp_eventwait(qts, "FAILOVER_NEGOTIATED");
    expect(&con, "pci hotplug: native PCIe (pciehp)");
    expect_failover_up(qts, &con);
    g_assert_true(guest_console_has(&con, "card present, slot powered on"));
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* -S: the vCPU does not run before cont. */
static void test_prelaunch(void)
{
    GuestConsole con;
    QTestState *qts = start_stopped(&con, "prelaunch", failover_pair);

    /* A QMP round trip: had the guest run, it would have written. */
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    g_assert_false(guest_console_has(&con, "firmware start"));
    g_assert_null(qtest_qmp_event_ref(qts, "FAILOVER_NEGOTIATED"));
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "FAILOVER_NEGOTIATED");
    expect(&con, "firmware start (boot 1)");
    expect_failover_up(qts, &con);
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* system_reset: the guest starts again in firmware and binds again. */
static void test_reset(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "reset", failover_pair);

    expect_failover_up(qts, &con);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    expect(&con, "firmware start (boot 2)");
    expect(&con, "is its standby");
    expect(&con, "link up, TX via primary");
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* stop/cont: the guest notices the time it did not run. */
static void test_pause(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "pause", failover_pair);

    expect_failover_up(qts, &con);
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    g_usleep(100 * 1000);       /* the pause being measured */
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    expect(&con, "the VM was stopped for");
    expect(&con, "window pause:");
    expect(&con, "outside windows: lost 0");
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_no_nics(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "nonics", "-M q35 -nodefaults -accel tcg");

    expect(&con, "no network interface found; idle");
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_small_ram(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "smallram",
                            "-M q35 -nodefaults -accel tcg -m 1M");

    expect(&con, "guest RAM is 1024 KiB, the guest needs");
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    qtest_quit(qts);
    guest_console_clear(&con);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("baton-guest-XXXXXX", NULL);
    qtest_add_func("builtin-guest/acpi-failover", test_acpi_failover);
    qtest_add_func("builtin-guest/native-failover", test_native_failover);
    qtest_add_func("builtin-guest/prelaunch", test_prelaunch);
    qtest_add_func("builtin-guest/reset", test_reset);
    qtest_add_func("builtin-guest/pause", test_pause);
    qtest_add_func("builtin-guest/no-nics", test_no_nics);
    qtest_add_func("builtin-guest/small-ram", test_small_ram);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
    if (system(cmd)) {
        /* nothing to do: a leftover temporary directory */
    }
    return ret;
}
