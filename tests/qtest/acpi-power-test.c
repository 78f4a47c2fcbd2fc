/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * acpi-power-test: power and reset as the guest drives them on q35.
 * The power button (system_powerdown) through PM1_STS/PM1_EN and the
 * SCI, sleep states through PM1_CNT.SLP_TYP/SLP_EN, and the reset
 * control register at 0xcf9; with -no-shutdown and -no-reboot as QEMU.
 */
#include "libqtest.h"
#include "libqos/pci.h"
#include "libqos/pci-hotplug.h"

#define PMBASE 0x600
#define PM1_STS (PMBASE + 0x00)
#define PM1_EN (PMBASE + 0x02)
#define PM1_CNT (PMBASE + 0x04)
#define PWRBTN 0x0100
#define SCI_EN 0x0001
#define SLP_EN 0x2000
#define SLP_TYP(n) ((n) << 10)
#define RST_CNT 0xcf9
#define SCI_GSI 9

/* What firmware does after every reset: map the PM block. */
static void pm_enable(QTestState *qts)
{
    QPCIBus *bus = qpci_new_pc(qts);

    ich9_pm_enable(bus, PMBASE);
    qpci_free_pc(bus);
}

static QTestState *start(const char *extra)
{
    QTestState *qts = qtest_initf("-M q35 -nodefaults %s", extra);

    pm_enable(qts);
    qtest_irq_intercept_in(qts, "ioapic");
    return qts;
}

static char *run_status(QTestState *qts)
{
    g_autoptr(JsonNode) ret =
        qtest_qmp_assert_success_ref(qts, "{'execute': 'query-status'}");

    return g_strdup(json_object_get_string_member(json_node_get_object(ret),
                                                  "status"));
}

/* Wait for SHUTDOWN and check what it says. */
static void expect_shutdown(QTestState *qts, bool guest, const char *reason)
{
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpint(json_object_get_boolean_member(data, "guest"), ==, guest);
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    reason);
}

static void expect_reset(QTestState *qts, bool guest, const char *reason)
{
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts, "RESET");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpint(json_object_get_boolean_member(data, "guest"), ==, guest);
    g_assert_cmpstr(json_object_get_string_member(data, "reason"), ==,
                    reason);
}

static void test_power_button(void)
{
    QTestState *qts = start("");

    qtest_outw(qts, PM1_CNT, SCI_EN);
    /* Button not enabled by the guest: the press is not latched. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    qtest_qmp_eventwait(qts, "POWERDOWN");
    g_assert_cmphex(qtest_inw(qts, PM1_STS), ==, 0);
    g_assert_false(qtest_get_irq(qts, SCI_GSI));

    qtest_outw(qts, PM1_EN, PWRBTN);
    qtest_qmp_assert_success(qts, "{'execute': 'system_powerdown'}");
    qtest_qmp_eventwait(qts, "POWERDOWN");
    g_assert_cmphex(qtest_inw(qts, PM1_STS), ==, PWRBTN);
    g_assert_true(qtest_get_irq(qts, SCI_GSI));
    /* Write 1 to clear: the SCI goes with it. */
    qtest_outw(qts, PM1_STS, PWRBTN);
    g_assert_cmphex(qtest_inw(qts, PM1_STS), ==, 0);
    g_assert_false(qtest_get_irq(qts, SCI_GSI));
    /* The guest ignoring the button leaves the VM running. */
    g_autofree char *st = run_status(qts);
    g_assert_cmpstr(st, ==, "running");
    qtest_quit(qts);
}

/* What a guest does after the button: S5 (SLP_TYP 0 in QEMU's DSDT). */
static void test_s5_poweroff(void)
{
    QTestState *qts = start("");

    qtest_outw(qts, PM1_CNT, SCI_EN | SLP_TYP(0) | SLP_EN);
    expect_shutdown(qts, true, "guest-shutdown");
    qtest_wait_qemu(qts);           /* exit status 0 */
    qtest_quit(qts);
}

static void test_s4_poweroff(void)
{
    QTestState *qts = start("");

    qtest_outw(qts, PM1_CNT, SLP_TYP(2) | SLP_EN);
    qtest_qmp_eventwait(qts, "SUSPEND_DISK");
    expect_shutdown(qts, true, "guest-shutdown");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

/* S3 is not modelled: the write is kept (SLP_EN reads 0), nothing else. */
static void test_s3_ignored(void)
{
    QTestState *qts = start("");
    g_autofree char *st = NULL;

    qtest_outw(qts, PM1_CNT, SCI_EN | SLP_TYP(1) | SLP_EN);
    g_assert_cmphex(qtest_inw(qts, PM1_CNT), ==, SCI_EN | SLP_TYP(1));
    st = run_status(qts);
    g_assert_cmpstr(st, ==, "running");
    g_assert_null(qtest_qmp_event_ref(qts, "SHUTDOWN"));
    qtest_quit(qts);
}

static void test_no_shutdown(void)
{
    QTestState *qts = start("-no-shutdown");
    g_autofree char *st = NULL;
    g_autofree char *st2 = NULL;

    qtest_outw(qts, PM1_CNT, SLP_TYP(0) | SLP_EN);
    expect_shutdown(qts, true, "guest-shutdown");
    qtest_qmp_eventwait(qts, "STOP");
    st = run_status(qts);
    g_assert_cmpstr(st, ==, "shutdown");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Resetting the Virtual Machine is required",
                           "{'execute': 'cont'}");
    /* libvirt's reboot of such a VM: reset, then cont. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    expect_reset(qts, false, "host-qmp-system-reset");
    st2 = run_status(qts);
    g_assert_cmpstr(st2, ==, "prelaunch");
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "RESUME");
    pm_enable(qts);
    /* A second power-off stops it again; quit still ends the process. */
    qtest_outw(qts, PM1_CNT, SLP_TYP(0) | SLP_EN);
    expect_shutdown(qts, true, "guest-shutdown");
    qtest_qmp_eventwait(qts, "STOP");
    qtest_qmp_assert_success(qts, "{'execute': 'quit'}");
    expect_shutdown(qts, false, "host-qmp-quit");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

static void test_reset_control(void)
{
    QTestState *qts = start("");
    QPCIBus *bus;
    QPCIDevice mch;

    g_assert_cmphex(qtest_inb(qts, RST_CNT), ==, 0);
    /* SYS_RST and FULL_RST are kept; other bits are not. */
    qtest_outb(qts, RST_CNT, 0xfa);
    g_assert_cmphex(qtest_inb(qts, RST_CNT), ==, 0x0a);
    /* The PCI address register next to it still takes dwords. */
    bus = qpci_new_pc(qts);
    mch = qpci_device_at(bus, QPCI_DEVFN(0, 0));
    g_assert_cmphex(qpci_config_readl(&mch, 0), ==, 0x29c08086);
    qpci_free_pc(bus);

    /* RST_CPU: a reset the guest asked for. */
    qtest_outb(qts, RST_CNT, 0x06);
    expect_reset(qts, true, "guest-reset");
    g_assert_cmphex(qtest_inb(qts, RST_CNT), ==, 0);
    /* Reset undid the guest's PM set-up. */
    g_assert_cmphex(qtest_inw(qts, PM1_CNT), ==, 0xffff);
    qtest_outb(qts, RST_CNT, 0x0e);
    expect_reset(qts, true, "guest-reset");
    g_autofree char *st = run_status(qts);
    g_assert_cmpstr(st, ==, "running");
    qtest_quit(qts);
}

static void test_no_reboot(void)
{
    QTestState *qts = start("-no-reboot");

    qtest_outb(qts, RST_CNT, 0x06);
    expect_shutdown(qts, true, "guest-reset");
    g_assert_null(qtest_qmp_event_ref(qts, "RESET"));
    qtest_wait_qemu(qts);
    qtest_quit(qts);

    /* system_reset too, as in QEMU. */
    qts = start("-no-reboot");
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    expect_shutdown(qts, false, "host-qmp-system-reset");
    qtest_wait_qemu(qts);
    qtest_quit(qts);

    /* Both: the guest's reboot stops the VM. */
    qts = start("-no-reboot -no-shutdown");
    qtest_outb(qts, RST_CNT, 0x06);
    expect_shutdown(qts, true, "guest-reset");
    qtest_qmp_eventwait(qts, "STOP");
    g_autofree char *st = run_status(qts);
    g_assert_cmpstr(st, ==, "shutdown");
    qtest_quit(qts);
}

static void test_stopped_reset(void)
{
    QTestState *qts = start("");
    g_autofree char *st = NULL;

    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    expect_reset(qts, false, "host-qmp-system-reset");
    /* As QEMU: a reset while not running starts over from prelaunch. */
    st = run_status(qts);
    g_assert_cmpstr(st, ==, "prelaunch");
    qtest_quit(qts);
}

/*
 * libvirt's reboot of a -no-shutdown VM that powered off: system_reset and
 * cont, the second sent as soon as the first is answered.  As in QEMU the
 * reset happens before the next command runs, however the two arrive;
 * here in one write, which would expose any gap every time.
 */
static void test_reset_then_cont(void)
{
    QTestState *qts = start("-no-shutdown");

    for (int i = 0; i < 50; i++) {
        g_autoptr(JsonObject) r1 = NULL;
        g_autoptr(JsonObject) r2 = NULL;
        g_autofree char *st = NULL;

        pm_enable(qts);
        qtest_outw(qts, PM1_CNT, SLP_TYP(0) | SLP_EN);
        expect_shutdown(qts, true, "guest-shutdown");
        qtest_qmp_eventwait(qts, "STOP");
        qtest_qmp_send_raw(qts, "{\"execute\": \"system_reset\"}\n"
                           "{\"execute\": \"cont\"}\n");
        r1 = qtest_qmp_receive(qts);
        r2 = qtest_qmp_receive(qts);
        g_assert_true(json_object_has_member(r1, "return"));
        g_assert_true(json_object_has_member(r2, "return"));
        expect_reset(qts, false, "host-qmp-system-reset");
        qtest_qmp_eventwait(qts, "RESUME");
        st = run_status(qts);
        g_assert_cmpstr(st, ==, "running");
    }
    qtest_quit(qts);
}

/* A quit ends the process before a command sent with it runs. */
static void test_quit_then_command(void)
{
    QTestState *qts = start("");
    g_autoptr(JsonObject) r1 = NULL;

    qtest_qmp_send_raw(qts, "{\"execute\": \"quit\"}\n"
                       "{\"execute\": \"stop\"}\n");
    r1 = qtest_qmp_receive(qts);
    g_assert_true(json_object_has_member(r1, "return"));
    expect_shutdown(qts, false, "host-qmp-quit");
    g_assert_null(qtest_qmp_event_ref(qts, "STOP"));
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/acpi-power/power-button", test_power_button);
    qtest_add_func("/acpi-power/s5-poweroff", test_s5_poweroff);
    qtest_add_func("/acpi-power/s4-poweroff", test_s4_poweroff);
    qtest_add_func("/acpi-power/s3-ignored", test_s3_ignored);
    qtest_add_func("/acpi-power/no-shutdown", test_no_shutdown);
    qtest_add_func("/acpi-power/reset-control", test_reset_control);
    qtest_add_func("/acpi-power/no-reboot", test_no_reboot);
    qtest_add_func("/acpi-power/stopped-reset", test_stopped_reset);
    qtest_add_func("/acpi-power/reset-then-cont", test_reset_then_cont);
    qtest_add_func("/acpi-power/quit-then-command", test_quit_then_command);
    return g_test_run();
}
