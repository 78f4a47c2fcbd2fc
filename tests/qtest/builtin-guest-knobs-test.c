/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in guest's knobs, fw_cfg files under opt/org.baton/ given
 * with -fw_cfg (libvirt's <sysinfo type='fwcfg'>), each one as a user sees
 * it: console lines, QMP events and migration states.  A knob that does
 * not parse stops baton at start-up naming it.
 */
#include <string.h>
#include <sys/wait.h>

#include "libqtest.h"
#include "libqos/guest-console.h"
#include "libqos/migrate.h"
#include "libqos/query-pci.h"

static char *tmpdir;

static char *knob(const char *name, const char *value)
{
    return g_strdup_printf("-fw_cfg name=opt/org.baton/%s,string=%s", name,
                           value);
}

static QTestState *start_with(GuestConsole *con, const char *name,
                              const char *knobs)
{
    g_autofree char *args = g_strdup_printf("%s %s", guest_failover_pair,
                                            knobs);

    return guest_vm_start(con, tmpdir, name, args, false);
}

/* Run the binary expecting exit status 1; return its stderr. */
static char *start_failing(const char *knobs)
{
    g_autofree char *cmd = g_strdup_printf(
        "exec %s -display none %s %s", g_getenv("QTEST_QEMU_BINARY"),
        guest_failover_pair, knobs);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_autoptr(GError) err = NULL;
    g_autofree char *out = NULL;
    char *errout = NULL;
    int wstatus;

    g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL,
                               &out, &errout, &wstatus, &err));
    g_test_message("stderr: %s", errout);
    g_assert_true(WIFEXITED(wstatus));
    g_assert_cmpint(WEXITSTATUS(wstatus), ==, 1);
    return errout;
}

static void test_bad_values(void)
{
    static const struct {
        const char *name, *value, *want;
    } cases[] = {
        { "eject-delay-ms", "soon", "fw_cfg file 'opt/org.baton/"
          "eject-delay-ms': invalid value 'soon' (expected milliseconds or "
          "'never')" },
        { "standby-aware", "maybe", "fw_cfg file 'opt/org.baton/"
          "standby-aware': invalid value 'maybe' (expected on or off)" },
        { "ping-target", "10.0.2", "invalid value '10.0.2' (expected an "
          "IPv4 address)" },
        { "ping-interval-ms", "-5", "invalid value '-5'" },
        { "link-up-delay-ms", "1e3", "invalid value '1e3'" },
        { "hotplug", "2", "fw_cfg file 'opt/org.baton/hotplug'" },
        { "colour", "blue", "fw_cfg file 'opt/org.baton/colour': unknown "
          "knob" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *k = knob(cases[i].name, cases[i].value);
        g_autofree char *err = start_failing(k);

        g_assert_nonnull(strstr(err, cases[i].want));
    }
}

/* A slow guest: the migration waits in wait-unplug; cancel re-plugs. */
static void test_eject_delay_cancel(void)
{
    GuestConsole con;
    g_autofree char *k = knob("eject-delay-ms", "1500");
    QTestState *qts = start_with(&con, "delay", k);

    guest_expect_failover_up(qts, &con);
    mig_start(qts, "exec:cat > /dev/null");
    guest_expect(&con, "eject request for primary eth1, delayed");
    mig_wait_status(qts, "wait-unplug");
    qtest_qmp_assert_success(qts, "{'execute': 'migrate_cancel'}");
    guest_expect(&con, "primary eth1 unregistered");
    guest_expect(&con, "ejected");
    /* Plugged back at once: the guest binds it again. */
    guest_expect(&con, "registered as primary");
    guest_expect(&con, "link up, TX via primary");
    mig_wait_status(qts, "cancelled");
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* A guest that never lets go: the migration stays in wait-unplug. */
static void test_eject_never(void)
{
    GuestConsole con;
    g_autofree char *k = knob("eject-delay-ms", "never");
    QTestState *qts = start_with(&con, "never", k);

    guest_expect_failover_up(qts, &con);
    mig_start(qts, "exec:cat > /dev/null");
    guest_expect(&con, "ignored (eject-delay-ms=never)");
    mig_wait_status(qts, "wait-unplug");
    g_assert_true(qpci_query_has(qts, "primary0"));
    g_assert_false(guest_console_has(&con, "ejected"));
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* A driver that does not know STANDBY: no failover, the standby works. */
static void test_standby_unaware(void)
{
    GuestConsole con;
    g_autofree char *k = knob("standby-aware", "off");
    QTestState *qts = start_with(&con, "unaware", k);

    guest_expect(&con, "eth0 " GUEST_MAC "\r");
    guest_expect(&con, "echo replies through eth0");
    g_assert_null(qtest_qmp_event_ref(qts, "FAILOVER_NEGOTIATED"));
    g_assert_false(qpci_query_has(qts, "primary0"));
    g_assert_false(guest_console_has(&con, "registered as primary"));
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* The guest's clock stamp of a console line, ms. */
static double stamp_ms(const char *line)
{
    return g_ascii_strtod(strchr(line, '[') + 1, NULL) * 1000;
}

static void test_link_up_delay(void)
{
    GuestConsole con;
    g_autofree char *k = knob("link-up-delay-ms", "300");
    QTestState *qts = start_with(&con, "linkup", k);
    g_autofree char *reg = guest_console_wait(&con, "registered as primary",
                                              30);
    g_autofree char *up = guest_console_wait(&con, "link up, TX via primary",
                                             30);

    g_assert_cmpfloat(stamp_ms(up) - stamp_ms(reg), >=, 300);
    qtest_quit(qts);
    guest_console_clear(&con);
}

static void test_traffic_knobs(void)
{
    GuestConsole con;
    g_autofree char *k1 = knob("ping-target", "10.0.2.2");
    g_autofree char *k2 = knob("ping-interval-ms", "100");
    g_autofree char *k = g_strdup_printf("%s %s", k1, k2);
    QTestState *qts = start_with(&con, "traffic", k);
    g_autofree char *k0 = knob("ping-interval-ms", "0");
    GuestConsole con0;
    QTestState *q0;

    guest_expect(&con, "echo to 10.0.2.2 every 100 ms");
    guest_expect(&con, "echo replies through eth1");
    qtest_quit(qts);
    guest_console_clear(&con);

    q0 = start_with(&con0, "notraffic", k0);
    guest_expect(&con0, "no echo traffic");
    guest_expect(&con0, "link up, TX via primary");
    g_assert_false(guest_console_has(&con0, "echo replies"));
    qtest_quit(q0);
    guest_console_clear(&con0);
}

/* Hotplug handling off: the primary is plugged but never bound. */
static void test_hotplug_off(void)
{
    GuestConsole con;
    g_autofree char *k = knob("hotplug", "off");
    QTestState *qts = start_with(&con, "hpoff", k);

    guest_expect(&con, "PCI hotplug event ignored (hotplug=off)");
    guest_expect(&con, "echo replies through eth0");
    g_assert_true(qpci_query_has(qts, "primary0"));
    g_assert_false(guest_console_has(&con, "registered as primary"));
    qtest_quit(qts);
    guest_console_clear(&con);
}

/* The guest reboots by itself: a guest-reset, then firmware again. */
static void test_reboot(void)
{
    GuestConsole con;
    g_autofree char *k = knob("reboot-after-ms", "300");
    QTestState *qts = start_with(&con, "reboot", k);
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    guest_expect(&con, "firmware start (boot 1)");
    guest_expect(&con, "reboot: Restarting system");
    ev = qtest_qmp_eventwait_ref(qts, "RESET");
    data = json_object_get_object_member(ev, "data");
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-reset");
    guest_expect(&con, "firmware start (boot 2)");
    guest_expect(&con, "link up, TX via primary");
    qtest_quit(qts);
    guest_console_clear(&con);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("baton-guest-knobs-XXXXXX", NULL);
    qtest_add_func("builtin-guest-knobs/bad-values", test_bad_values);
    qtest_add_func("builtin-guest-knobs/eject-delay-cancel",
                   test_eject_delay_cancel);
    qtest_add_func("builtin-guest-knobs/eject-never", test_eject_never);
    qtest_add_func("builtin-guest-knobs/standby-unaware",
                   test_standby_unaware);
    qtest_add_func("builtin-guest-knobs/link-up-delay", test_link_up_delay);
    qtest_add_func("builtin-guest-knobs/traffic", test_traffic_knobs);
    qtest_add_func("builtin-guest-knobs/hotplug-off", test_hotplug_off);
    qtest_add_func("builtin-guest-knobs/reboot", test_reboot);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmpdir);
    if (system(cmd)) {
        /* a leftover temporary directory */
    }
    return ret;
}
