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

static char *tmpdir;

static QTestState *start_stopped(GuestConsole *con, const char *name,
                                 const char *args)
{
    return guest_vm_start(con, tmpdir, name, args, true);
}

static QTestState *start(GuestConsole *con, const char *name,
                         const char *args)
{
    return guest_vm_start(con, tmpdir, name, args, false);
}

static void test_acpi_failover(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "acpi", guest_failover_pair);
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts,
                                                       "FAILOVER_NEGOTIATED");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpstr(json_object_get_string_member(data, "device-id"), ==,
                    "standby0");
    guest_expect(&con, "pci hotplug: ACPI (acpiphp)");
    guest_expect_failover_up(qts, &con);
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_native_failover(void)
{
    GuestConsole con;
    g_autofree char *args = g_strdup_printf(
        "%s -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off",
        guest_failover_pair);
    QTestState *qts = start(&con, "native", args);

    qtest_qmp_eventwait(qts, "FAILOVER_NEGOTIATED");
    guest_expect(&con, "pci hotplug: native PCIe (pciehp)");
    guest_expect_failover_up(qts, &con);
    g_assert_true(guest_console_has(&con, "card present, slot powered on"));
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* -S: the vCPU does not run before cont. */
static void test_prelaunch(void)
{
    GuestConsole con;
    QTestState *qts = start_stopped(&con, "prelaunch", guest_failover_pair);

    /* A QMP round trip: had the guest run, it would have written. */
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    g_assert_false(guest_console_has(&con, "firmware start"));
    g_assert_null(qtest_qmp_event_ref(qts, "FAILOVER_NEGOTIATED"));
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "FAILOVER_NEGOTIATED");
    guest_expect(&con, "firmware start (boot 1)");
    guest_expect_failover_up(qts, &con);
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* system_reset: the guest starts again in firmware and binds again. */
static void test_reset(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "reset", guest_failover_pair);

    guest_expect_failover_up(qts, &con);
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(qts, "RESET");
    guest_expect(&con, "firmware start (boot 2)");
    guest_expect(&con, "is its standby");
    guest_expect(&con, "link up, TX via primary");
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* stop/cont: the guest notices the time it did not run. */
static void test_pause(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "pause", guest_failover_pair);

    guest_expect_failover_up(qts, &con);
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    g_usleep(100 * 1000);       /* the pause being measured */
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    guest_expect(&con, "the VM was stopped for");
    guest_expect(&con, "window pause:");
    guest_expect(&con, "outside windows: lost 0");
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* system_powerdown: the guest powers off cleanly; baton exits 0. */
static void test_powerdown(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "powerdown", guest_failover_pair);
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    guest_expect_failover_up(qts, &con);
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    guest_expect(&con, "ACPI: power button pressed, powering off");
    guest_expect(&con, "reboot: Power down");
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-shutdown");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* With -no-shutdown baton stops instead, as QEMU; QMP stays up. */
static void test_powerdown_no_shutdown(void)
{
    GuestConsole con;
    g_autofree char *args = g_strdup_printf("-no-shutdown %s",
                                            guest_failover_pair);
    QTestState *qts = start(&con, "noshutdown", args);
    g_autoptr(JsonNode) ret = NULL;

    guest_expect_failover_up(qts, &con);
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    guest_expect(&con, "reboot: Power down");
    qtest_qmp_eventwait(qts, "SHUTDOWN");
    qtest_qmp_eventwait(qts, "STOP");
    ret = qtest_qmp_assert_success_ref(qts, "{'execute': 'query-status'}");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(ret),
                                                  "status"), ==, "shutdown");
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_no_nics(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "nonics", "-M q35 -nodefaults -accel tcg");

    guest_expect(&con, "no network interface found; idle");
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_small_ram(void)
{
    GuestConsole con;
    QTestState *qts = start(&con, "smallram",
                            "-M q35 -nodefaults -accel tcg -m 1M");

    guest_expect(&con, "guest RAM is 1024 KiB, the guest needs");
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
    qtest_add_func("builtin-guest/powerdown", test_powerdown);
    qtest_add_func("builtin-guest/powerdown-no-shutdown",
                   test_powerdown_no_shutdown);
    qtest_add_func("builtin-guest/no-nics", test_no_nics);
    qtest_add_func("builtin-guest/small-ram", test_small_ram);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
    if (system(cmd)) {
        /* nothing to do: a leftover temporary directory */
    }
    return ret;
}
