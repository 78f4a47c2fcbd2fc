/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in guest's knobs, fw_cfg files under opt/org.baton/ given
 * with -fw_cfg (libvirt's <sysinfo type='fwcfg'>), each one as a user sees
 * it: console lines, QMP events and migration states.  A knob that does
 * not parse stops baton at start-up naming it.
 */
#include <stdarg.h>
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

typedef struct KnobVm {
    GuestConsole con;
    QTestState *qts;
} KnobVm;

/*
 * The failover pair and the built-in guest, with the knobs given as
 * name, value, ..., NULL.
 */
static G_GNUC_NULL_TERMINATED void knob_vm_start(KnobVm *vm,
                                                 const char *vmname, ...)
{
    g_autoptr(GString) args = g_string_new(guest_failover_pair);
    const char *name;
    va_list ap;

    va_start(ap, vmname);
    while ((name = va_arg(ap, const char *))) {
        g_autofree char *k = knob(name, va_arg(ap, const char *));

        g_string_append_printf(args, " %s", k);
    }
    va_end(ap);
    vm->qts = guest_vm_start(&vm->con, tmpdir, vmname, args->str, false);
}

static void knob_vm_stop(KnobVm *vm)
{
    qtest_quit(vm->qts);
    guest_console_clear(&vm->con);
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

/* Failover up, migrate: the guest says what it does with the eject. */
static void migrate_to_wait_unplug(KnobVm *vm, const char *guest_says)
{
    guest_expect_failover_up(vm->qts, &vm->con);
    mig_start(vm->qts, "exec:cat > /dev/null");
    guest_expect(&vm->con, guest_says);
    mig_wait_status(vm->qts, "wait-unplug");
}

/* A slow guest: the migration waits in wait-unplug; cancel re-plugs. */
static void test_eject_delay_cancel(void)
{
    KnobVm vm;

    knob_vm_start(&vm, "delay", "eject-delay-ms", "1500", NULL);
    migrate_to_wait_unplug(&vm, "eject request for primary eth1, delayed");
    qtest_qmp_assert_success(vm.qts, "{'execute': 'migrate_cancel'}");
    guest_expect(&vm.con, "primary eth1 unregistered");
    guest_expect(&vm.con, "ejected");
    /* Plugged back at once: the guest binds it again. */
    guest_expect(&vm.con, "registered as primary");
    guest_expect(&vm.con, "link up, TX via primary");
    mig_wait_status(vm.qts, "cancelled");
    knob_vm_stop(&vm);
}

/* A guest that never lets go: the migration stays in wait-unplug. */
static void test_eject_never(void)
{
    KnobVm vm;

    knob_vm_start(&vm, "never", "eject-delay-ms", "never", NULL);
    migrate_to_wait_unplug(&vm, "ignored (eject-delay-ms=never)");
    g_assert_true(qpci_query_has(vm.qts, "primary0"));
    g_assert_false(guest_console_has(&vm.con, "ejected"));
    knob_vm_stop(&vm);
}

/* A driver that does not know STANDBY: no failover, the standby works. */
static void test_standby_unaware(void)
{
    KnobVm vm;

    knob_vm_start(&vm, "unaware", "standby-aware", "off", NULL);
    guest_expect(&vm.con, "eth0 " GUEST_MAC "\r");
    guest_expect(&vm.con, "echo replies through eth0");
    g_assert_null(qtest_qmp_event_ref(vm.qts, "FAILOVER_NEGOTIATED"));
    g_assert_false(qpci_query_has(vm.qts, "primary0"));
    g_assert_false(guest_console_has(&vm.con, "registered as primary"));
    knob_vm_stop(&vm);
}

/* The guest's clock stamp of a console line, ms. */
static double stamp_ms(const char *line)
{
    return g_ascii_strtod(strchr(line, '[') + 1, NULL) * 1000;
}

static void test_link_up_delay(void)
{
    g_autofree char *reg = NULL, *up = NULL;
    KnobVm vm;

    knob_vm_start(&vm, "linkup", "link-up-delay-ms", "300", NULL);
    reg = guest_console_wait(&vm.con, "registered as primary", 30);
    up = guest_console_wait(&vm.con, "link up, TX via primary", 30);
    g_assert_cmpfloat(stamp_ms(up) - stamp_ms(reg), >=, 300);
    knob_vm_stop(&vm);
}

static void test_traffic_knobs(void)
{
    KnobVm vm, vm0;

    knob_vm_start(&vm, "traffic", "ping-target", "10.0.2.2",
                  "ping-interval-ms", "100", NULL);
    guest_expect(&vm.con, "echo to 10.0.2.2 every 100 ms");
    guest_expect(&vm.con, "echo replies through eth1");
    knob_vm_stop(&vm);

    knob_vm_start(&vm0, "notraffic", "ping-interval-ms", "0", NULL);
    guest_expect(&vm0.con, "no echo traffic");
    guest_expect(&vm0.con, "link up, TX via primary");
    g_assert_false(guest_console_has(&vm0.con, "echo replies"));
    knob_vm_stop(&vm0);
}

/* Hotplug handling off: the primary is plugged but never bound. */
static void test_hotplug_off(void)
{
    KnobVm vm;

    knob_vm_start(&vm, "hpoff", "hotplug", "off", NULL);
    guest_expect(&vm.con, "PCI hotplug event ignored (hotplug=off)");
    guest_expect(&vm.con, "echo replies through eth0");
    g_assert_true(qpci_query_has(vm.qts, "primary0"));
    g_assert_false(guest_console_has(&vm.con, "registered as primary"));
    knob_vm_stop(&vm);
}

/* The guest reboots by itself: a guest-reset, then firmware again. */
static void test_reboot(void)
{
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;
    KnobVm vm;

    knob_vm_start(&vm, "reboot", "reboot-after-ms", "300", NULL);
    guest_expect(&vm.con, "firmware start (boot 1)");
    guest_expect(&vm.con, "reboot: Restarting system");
    ev = qtest_qmp_eventwait_ref(vm.qts, "RESET");
    data = json_object_get_object_member(ev, "data");
    g_assert_true(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    "guest-reset");
    guest_expect(&vm.con, "firmware start (boot 2)");
    guest_expect(&vm.con, "link up, TX via primary");
    knob_vm_stop(&vm);
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
