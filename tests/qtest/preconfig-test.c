/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * preconfig-test: --preconfig stops before the machine exists.  QMP is
 * served with only the commands QEMU's schema allows there, query-status
 * says prelaunch, and x-exit-preconfig builds the machine, its devices and
 * starts it -- once (QEMU's qmp-test /qmp/preconfig, and what follows).
 */
#include <string.h>
#include "libqtest.h"
#include "libqmp.h"

static const char *status(QTestState *qts)
{
    static char buf[32];
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    JsonObject *ret = json_object_get_object_member(rsp, "return");

    g_assert_nonnull(ret);
    g_strlcpy(buf, json_object_get_string_member(ret, "status"), sizeof(buf));
    return buf;
}

static void test_preconfig_none(void)
{
    QTestState *qts = qtest_init("-nodefaults -machine none --preconfig");

    /* Allowed before the machine: no error. */
    qtest_qmp_assert_success(qts, "{'execute': 'query-commands'}");
    qtest_qmp_assert_success(qts, "{'execute': 'query-machines'}");
    /* Not allowed: QEMU's words. */
    qtest_qmp_expect_error(qts, "GenericError",
                           "The command 'query-cpus-fast' is permitted only "
                           "after machine initialization has completed",
                           "{'execute': 'query-cpus-fast'}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "The command 'device_add' is permitted only "
                           "after machine initialization has completed",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'virtio-net-pci'}}");
    g_assert_cmpstr(status(qts), ==, "prelaunch");

    qtest_qmp_assert_success(qts, "{'execute': 'x-exit-preconfig'}");
    qtest_qmp_eventwait(qts, "RESUME");
    g_assert_cmpstr(status(qts), ==, "running");
    /* Only once. */
    qtest_qmp_expect_error(qts, "GenericError",
                           "The command is permitted only before machine "
                           "initialization",
                           "{'execute': 'x-exit-preconfig'}");
    qtest_qmp_assert_success(qts, "{'execute': 'query-cpus-fast'}");
    qtest_quit(qts);
}

/* The command line's devices appear only when preconfig ends; -S holds. */
static void test_preconfig_q35_devices(void)
{
    QTestState *qts = qtest_init("-M q35 -nodefaults -S --preconfig "
                                 "-netdev user,id=n0 "
                                 "-device virtio-net-pci,netdev=n0,id=nic0,"
                                 "addr=0x3");
    g_autoptr(JsonObject) rsp = NULL;

    rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                    "{'path': '/machine/peripheral/nic0', 'property': "
                    "'type'}}");
    g_assert_true(qmp_rsp_is_err(rsp));
    g_clear_pointer(&rsp, json_object_unref);
    /* Before the machine exists, nothing answers at 0xcf8. */
    qtest_outl(qts, 0xcf8, 0x80001800);
    g_assert_cmphex(qtest_inl(qts, 0xcfc), ==, 0xffffffff);

    qtest_qmp_assert_success(qts, "{'execute': 'x-exit-preconfig'}");
    g_assert_cmpstr(status(qts), ==, "prelaunch");
    /* The NIC from -device is now at 00:03.0. */
    qtest_outl(qts, 0xcf8, 0x80001800);
    g_assert_cmphex(qtest_inl(qts, 0xcfc), ==, 0x10001af4);
    rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                    "{'path': '/machine/peripheral/nic0', 'property': "
                    "'type'}}");
    g_assert_cmpstr(json_object_get_string_member(rsp, "return"), ==,
                    "virtio-net-pci");
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    qtest_qmp_eventwait(qts, "RESUME");
    g_assert_cmpstr(status(qts), ==, "running");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/preconfig/none", test_preconfig_none);
    qtest_add_func("/preconfig/q35-devices", test_preconfig_q35_devices);
    return g_test_run();
}
