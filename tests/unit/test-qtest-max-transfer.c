/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qtest_set_max_transfer() (include/system/qtest.h), the cap the qtest
 * fuzz target puts on what one read or write command may ask for: above
 * it the command fails with "FAIL Size N too large" and touches nothing,
 * up to it the command works; the cap never goes above the protocol's
 * own 64 MiB.  A lowered cap bounds memset as well; by default memset,
 * which fills in place, has no limit.  The qtest server runs in this process on a small q35
 * machine; its replies go to a file, read back after each command.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "chardev/char.h"
#include "system/qtest.h"
#include "system/system.h"

#define CAP             (64 * 1024)
#define PROTOCOL_MAX    (64u << 20)
#define ADDR            0x10000

static Chardev *chr;
static char *dir;
static char *out_path;
static size_t out_seen;         /* reply bytes already returned */

/* Send one command line (with its newline); return the reply to it. */
static char *command(const char *line)
{
    g_autofree char *all = NULL;
    gsize len;
    char *reply;

    qemu_chr_be_write(chr, (const uint8_t *)line, strlen(line));
    g_assert_true(g_file_get_contents(out_path, &all, &len, NULL));
    g_assert_cmpuint(len, >, out_seen);
    g_assert_cmpint(all[len - 1], ==, '\n');
    reply = g_strndup(all + out_seen, len - out_seen);
    out_seen = len;
    return reply;
}

static void assert_reply(const char *line, const char *want)
{
    g_autofree char *reply = command(line);

    /* A read that should have been refused: its start says enough. */
    reply[MIN(strlen(reply), 64)] = '\0';
    g_assert_cmpstr(reply, ==, want);
}

/* "OK 0x" and size bytes of hex: size bytes were read. */
static void assert_read_ok(uint64_t size)
{
    g_autofree char *line = g_strdup_printf("read 0x%x %" G_GUINT64_FORMAT
                                            "\n", ADDR, size);
    g_autofree char *reply = command(line);

    g_assert_true(g_str_has_prefix(reply, "OK 0x"));
    g_assert_cmpuint(strlen(reply), ==, strlen("OK 0x") + 2 * size + 1);
}

static void assert_too_large(const char *fmt, uint64_t size)
{
    g_autofree char *line = g_strdup_printf(fmt, ADDR, size);
    g_autofree char *want = g_strdup_printf("FAIL Size %" G_GUINT64_FORMAT
                                            " too large\n", size);

    assert_reply(line, want);
}

/* Every kind of transfer one byte above the cap is refused. */
static void assert_capped_at(uint64_t cap)
{
    assert_too_large("read 0x%x %" G_GUINT64_FORMAT "\n", cap + 1);
    assert_too_large("b64read 0x%x %" G_GUINT64_FORMAT "\n", cap + 1);
    assert_too_large("write 0x%x %" G_GUINT64_FORMAT " 0x00\n", cap + 1);
    assert_too_large("b64write 0x%x %" G_GUINT64_FORMAT " AA==\n", cap + 1);
}

static void assert_memset_capped_at(uint64_t cap)
{
    assert_too_large("memset 0x%x %" G_GUINT64_FORMAT " 0x5a\n", cap + 1);
}

/* Without a call, only the protocol's 64 MiB limits a transfer. */
static void test_default(void)
{
    g_autofree char *fill = g_strdup_printf("memset 0x%x %u 0x5a\n",
                                            ADDR, PROTOCOL_MAX + 1);

    assert_read_ok(CAP + 1);
    assert_too_large("read 0x%x %" G_GUINT64_FORMAT "\n", PROTOCOL_MAX + 1);
    /* Beyond 16 MiB of RAM nothing answers: the fill is quick. */
    assert_reply(fill, "OK\n");
    assert_reply("readb 0x10000\n", "OK 0x000000000000005a\n");
}

static void test_cap(void)
{
    g_autofree char *data = NULL;
    g_autofree char *line = NULL;
    g_autofree char *fill = NULL;

    qtest_set_max_transfer(CAP);
    assert_reply("writeb 0x10000 0xab\n", "OK\n");
    assert_capped_at(CAP);
    assert_memset_capped_at(CAP);
    /* The refused writes and fill wrote nothing. */
    assert_reply("readb 0x10000\n", "OK 0x00000000000000ab\n");

    /* At the cap, both directions work. */
    data = g_strnfill(2 * CAP, 'c');
    line = g_strdup_printf("write 0x%x %u 0x%s\n", ADDR, CAP, data);
    assert_reply(line, "OK\n");
    assert_reply("readb 0x10000\n", "OK 0x00000000000000cc\n");
    assert_read_ok(CAP);
    fill = g_strdup_printf("memset 0x%x %u 0x11\n", ADDR, CAP);
    assert_reply(fill, "OK\n");
    assert_reply("readb 0x10000\n", "OK 0x0000000000000011\n");
}

/* Asking for more than the protocol allows leaves it at 64 MiB. */
static void test_cap_bounded(void)
{
    qtest_set_max_transfer(UINT64_MAX);
    assert_read_ok(CAP + 1);
    assert_capped_at(PROTOCOL_MAX);
    /* Back at the protocol's limit, memset is unbounded again. */
    assert_reply("memset 0x10000 0x4000001 0x22\n", "OK\n");
}

int main(int argc, char **argv)
{
    g_autofree char *spec = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    dir = g_dir_make_tmp("baton-qtest-cap-XXXXXX", NULL);
    g_assert(dir);
    out_path = g_build_filename(dir, "replies", NULL);
    spec = g_strdup_printf("file:%s", out_path);
    {
        const char *args[] = {
            "test-qtest-max-transfer", "-M", "q35", "-nodefaults",
            "-m", "16M", "-display", "none", "-qtest", spec,
            "-qtest-log", "none", NULL,
        };

        qemu_init(G_N_ELEMENTS(args) - 1, (char **)args);
    }
    chr = qemu_chr_find("qtest");
    g_assert(chr);
    /* The order matters: the cap is the server's, set for good. */
    g_test_add_func("/qtest/max-transfer/default", test_default);
    g_test_add_func("/qtest/max-transfer/cap", test_cap);
    g_test_add_func("/qtest/max-transfer/bounded", test_cap_bounded);
    ret = g_test_run();
    g_unlink(out_path);
    g_rmdir(dir);
    g_free(out_path);
    g_free(dir);
    return ret;
}
