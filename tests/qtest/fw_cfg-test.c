/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fw_cfg-test: -fw_cfg files as the firmware (or the built-in guest)
 * reads them through the directory at key 0x19.
 */
#include <string.h>
#include <unistd.h>
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/fw_cfg/string-and-file", test_string_and_file);
    return g_test_run();
}
