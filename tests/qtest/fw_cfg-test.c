/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg-test: -fw_cfg files as the firmware (or the built-in guest)
 * reads them through the directory at key 0x19; the items QEMU's
 * fw_cfg-test reads on both PC machines (signature, id, UUID from -uuid,
 * RAM size, nographic, CPUs, NUMA, boot menu) and the -boot files
 * etc/boot-fail-wait and etc/boot-menu-wait, with QEMU's errors for bad
 * -boot values.
 */
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqos/fw_cfg.h"

static void test_string_and_file(void)
{
    g_autofree char *dir = g_dir_make_tmp("fw_cfg-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "blob", NULL);
    QTestState *qts;
    uint16_t key;
    char buf[32] = { 0 };

    g_assert_true(g_file_set_contents(path, "file\ncontent", 12, NULL));
    qts = qtest_initf("-M q35 -nodefaults "
                      "-fw_cfg name=opt/org.baton/eject-delay,string=250 "
                      "-fw_cfg opt/org.baton/blob,file=%s", path);
    /* The string without a NUL, as QEMU stores it. */
    g_assert_cmpuint(qfw_cfg_find_file(qts, "opt/org.baton/eject-delay",
                                       &key), ==, 3);
    qfw_cfg_read_data(qts, key, buf, 3);
    g_assert_cmpstr(buf, ==, "250");
    g_assert_cmpuint(qfw_cfg_find_file(qts, "opt/org.baton/blob", &key), ==,
                     12);
    qfw_cfg_read_data(qts, key, buf, 12);
    g_assert_cmpmem(buf, 12, "file\ncontent", 12);
    g_assert_cmpuint(qfw_cfg_find_file(qts, "opt/org.baton/none", &key), ==,
                     0);
    /* The board's own files are still there. */
    g_assert_cmpuint(qfw_cfg_find_file(qts, "etc/e820", &key), ==, 20);
    qtest_quit(qts);
    unlink(path);
    g_rmdir(dir);
}

static const char *const machines[] = { "q35", "pc" };

static QTestState *start_on(const char *machine, const char *args)
{
    return qtest_initf("-M %s %s", machine, args);
}

static void test_items(const void *data)
{
    const char *machine = data;
    static const uint8_t uuid[16] = {
        0x46, 0x00, 0xcb, 0x32, 0x38, 0xec, 0x4b, 0x2f,
        0x8a, 0xcb, 0x81, 0xc6, 0xea, 0x54, 0xf2, 0xd8,
    };
    uint8_t buf[24];
    QTestState *qts = start_on(machine, "");

    qfw_cfg_read_data(qts, 0x00, buf, 4);
    g_assert_cmpmem(buf, 4, "QEMU", 4);
    g_assert_cmphex(qfw_cfg_get_u32(qts, 0x01), ==, 3);   /* with DMA */
    /* No -uuid: all zero. */
    qfw_cfg_read_data(qts, 0x02, buf, 16);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
    g_assert_cmpuint(qfw_cfg_get_u64(qts, 0x03), ==, 128 << 20);
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x04), ==, 0);  /* nographic */
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x05), ==, 1);  /* CPUs */
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x0f), ==, 1);  /* max CPUs */
    /* NUMA: no nodes, then one (zero) node number per CPU. */
    qfw_cfg_read_data(qts, 0x0d, buf, 24);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(buf[i], ==, 0);
    }
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x0e), ==, 0);  /* boot menu */
    qtest_quit(qts);

    qts = start_on(machine, "-uuid 4600cb32-38ec-4b2f-8acb-81c6ea54f2d8 "
                   "-smp 2,maxcpus=4 -boot menu=on");
    qfw_cfg_read_data(qts, 0x02, buf, 16);
    g_assert_cmpmem(buf, 16, uuid, 16);
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x05), ==, 2);
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x0f), ==, 4);
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x0e), ==, 1);
    qtest_quit(qts);
}

static uint32_t boot_fail_wait(QTestState *qts)
{
    uint16_t key;
    uint32_t v = 0;

    g_assert_cmpuint(qfw_cfg_find_file(qts, "etc/boot-fail-wait", &key), ==,
                     4);
    qfw_cfg_read_data(qts, key, &v, 4);
    return GUINT32_FROM_LE(v);
}

static void test_boot_files(const void *data)
{
    const char *machine = data;
    uint16_t key, v = 0;
    QTestState *qts;

    /* Without -boot: "never reboot", and no menu wait. */
    qts = start_on(machine, "");
    g_assert_cmphex(boot_fail_wait(qts), ==, UINT32_MAX);
    g_assert_cmpuint(qfw_cfg_find_file(qts, "etc/boot-menu-wait", &key), ==,
                     0);
    qtest_quit(qts);

    qts = start_on(machine, "-boot reboot-timeout=15");
    g_assert_cmpuint(boot_fail_wait(qts), ==, 15);
    qtest_quit(qts);

    qts = start_on(machine, "-boot reboot-timeout=-1");
    g_assert_cmphex(boot_fail_wait(qts), ==, UINT32_MAX);
    qtest_quit(qts);

    qts = start_on(machine, "-boot order=c,menu=on,splash-time=12");
    g_assert_cmpuint(qfw_cfg_find_file(qts, "etc/boot-menu-wait", &key), ==,
                     2);
    qfw_cfg_read_data(qts, key, &v, 2);
    g_assert_cmpuint(GUINT16_FROM_LE(v), ==, 12);
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x0e), ==, 1);
    qtest_quit(qts);

    /* -nographic is graphics=off for the firmware. */
    qts = start_on(machine, "-nographic -serial none");
    g_assert_cmpuint(qfw_cfg_get_u16(qts, 0x04), ==, 1);
    qtest_quit(qts);
}

static void expect_exit_error(const char *args, const char *msg)
{
    int status;
    g_autofree char *err = qtest_run_stderr(args, &status);
    g_autofree char *want = g_strdup_printf("baton-system-x86_64: %s\n", msg);

    g_assert_true(WIFEXITED(status));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_cmpstr(err, ==, want);
}

static void test_boot_errors(void)
{
    expect_exit_error("-M q35 -boot reboot-timeout=65536",
                      "reboot timeout is invalid,it should be a value "
                      "between -1 and 65535");
    expect_exit_error("-M pc -boot reboot-timeout=-2",
                      "reboot timeout is invalid,it should be a value "
                      "between -1 and 65535");
    expect_exit_error("-M q35 -boot splash-time=65536",
                      "splash-time is invalid,it should be a value "
                      "between 0 and 65535");
    expect_exit_error("-M q35 -boot splash-time=-1",
                      "splash-time is invalid,it should be a value "
                      "between 0 and 65535");
    expect_exit_error("-M q35 -boot reboot-timeout=soon",
                      "Parameter 'boot.reboot-timeout' expects integer");
    expect_exit_error("-M q35 -boot menu=maybe",
                      "Parameter 'boot.menu' expects 'on' or 'off'");
    expect_exit_error("-M q35 -boot color=blue",
                      "Parameter 'boot.color' is unexpected");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/fw_cfg/string-and-file", test_string_and_file);
    for (size_t i = 0; i < G_N_ELEMENTS(machines); i++) {
        g_autofree char *items = g_strdup_printf("/fw_cfg/%s/items",
                                                 machines[i]);
        g_autofree char *boot = g_strdup_printf("/fw_cfg/%s/boot-files",
                                                machines[i]);

        qtest_add_data_func(items, machines[i], test_items);
        qtest_add_data_func(boot, machines[i], test_boot_files);
    }
    qtest_add_func("/fw_cfg/boot-errors", test_boot_errors);
    return g_test_run();
}
