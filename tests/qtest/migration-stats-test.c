/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration-stats-test: query-migrate's RAM counters after a migration,
 * as QEMU 8.1 counts them (libvirt shows them in `virsh domjobinfo`).
 * A zero page counts as duplicate whether or not it was ever written;
 * transferred is every byte of the stream.
 */
#include <string.h>
#include <unistd.h>

#include "libqtest.h"
#include "libqos/migrate.h"

#define RAM_MIB 128
#define PAGES (RAM_MIB * 256)
#define RAM_BASE 0x100000ULL

static JsonObject *migrate_and_query(QTestState *src, const char *uri)
{
    g_autoptr(JsonNode) ret = NULL;
    JsonObject *info;

    mig_start(src, uri);
    mig_wait_status(src, "completed");
    ret = qtest_qmp_assert_success_ref(src, "{'execute': 'query-migrate'}");
    info = json_node_get_object(ret);
    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "completed");
    return json_object_ref(json_object_get_object_member(info, "ram"));
}

static int64_t get(JsonObject *ram, const char *name)
{
    g_assert_true(json_object_has_member(ram, name));
    return json_object_get_int_member(ram, name);
}

/*
 * @data_pages pages of data and @zero_pages pages written with zeroes;
 * the rest of RAM never written.
 */
static void check_counters(int data_pages, int zero_pages)
{
    g_autofree char *dir = g_dir_make_tmp("migration-stats-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "mig", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    const char *args = "-M q35 -nodefaults -m " G_STRINGIFY(RAM_MIB) "M";
    QTestState *dst = qtest_initf("%s -incoming %s", args, uri);
    QTestState *src = qtest_init(args);
    g_autoptr(JsonObject) ram = NULL;
    uint8_t page[4096];

    for (int i = 0; i < data_pages + zero_pages; i++) {
        memset(page, i < data_pages ? 0x5a : 0, sizeof(page));
        qtest_memwrite(src, RAM_BASE + (uint64_t)i * 0x11000, page,
                       sizeof(page));
    }
    ram = migrate_and_query(src, uri);

    g_assert_cmpint(get(ram, "total"), ==, (int64_t)RAM_MIB << 20);
    g_assert_cmpint(get(ram, "duplicate"), ==, PAGES - data_pages);
    g_assert_cmpint(get(ram, "normal"), ==, data_pages);
    g_assert_cmpint(get(ram, "normal-bytes"), ==, data_pages * 4096);
    g_assert_cmpint(get(ram, "remaining"), ==, 0);
    /* The stream: the data pages, device state, headers; little else. */
    g_assert_cmpint(get(ram, "transferred"), >, data_pages * 4096);
    g_assert_cmpint(get(ram, "transferred"), <,
                    data_pages * 4096 + (256 << 10));
    g_assert_cmpint(get(ram, "pages-per-second"), >, 0);
    g_assert_cmpfloat(json_object_get_double_member(ram, "mbps"), >, 0);

    qtest_qmp_eventwait(dst, "RESUME");
    qtest_quit(src);
    qtest_quit(dst);
    unlink(sock);
    rmdir(dir);
}

/* 128 MiB never written: every page is a duplicate, none normal. */
static void test_never_written(void)
{
    check_counters(0, 0);
}

/* Written pages: data ones are normal, zero ones duplicate. */
static void test_written(void)
{
    check_counters(24, 40);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/migration-stats/never-written", test_never_written);
    qtest_add_func("/migration-stats/written", test_written);
    return g_test_run();
}
