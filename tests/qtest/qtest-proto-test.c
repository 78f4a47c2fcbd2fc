/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest wire protocol, line by line, as libqtest and hand-written
 * clients see it: every command's reply format, memory round trips of each
 * width, the virtual clock, IRQ interception, and malformed lines answered
 * with FAIL while the process keeps serving both qtest and QMP.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "libqtest.h"

#define MACHINE "-M none -m 16M "

/* Send one line, expect exactly this reply. */
static void cmd_expect(QTestState *s, const char *line, const char *reply)
{
    g_autofree char *got = qtest_raw_cmd(s, "%s", line);

    g_assert_cmpstr(got, ==, reply);
}

static void assert_alive(QTestState *s)
{
    g_autoptr(JsonObject) r = NULL;

    cmd_expect(s, "endianness", "OK little");
    r = qtest_qmp(s, "{'execute': 'query-status'}");
    g_assert_true(json_object_has_member(r, "return"));
}

static void test_io_ports(void)
{
    QTestState *s = qtest_init(MACHINE);

    cmd_expect(s, "endianness", "OK little");
    /* Nothing decodes these ports: all-ones, at least 4 hex digits. */
    cmd_expect(s, "inb 0x1234", "OK 0x00ff");
    cmd_expect(s, "inw 0x1234", "OK 0xffff");
    cmd_expect(s, "inl 0x1234", "OK 0xffffffff");
    cmd_expect(s, "outb 0x80 0x1", "OK");
    cmd_expect(s, "outw 0x80 0x1234", "OK");
    cmd_expect(s, "outl 0xcf8 0x80000800", "OK");
    cmd_expect(s, "inb 0xffff", "OK 0x00ff");
    g_assert_cmphex(qtest_inl(s, 0x10), ==, 0xffffffff);
    qtest_quit(s);
}

static void test_memory_widths(void)
{
    QTestState *s = qtest_init(MACHINE);

    cmd_expect(s, "writeb 0x1000 0xaa", "OK");
    cmd_expect(s, "readb 0x1000", "OK 0x00000000000000aa");
    cmd_expect(s, "writew 0x1002 0xbbcc", "OK");
    cmd_expect(s, "readw 0x1002", "OK 0x000000000000bbcc");
    cmd_expect(s, "writel 0x1004 0x11223344", "OK");
    cmd_expect(s, "readl 0x1004", "OK 0x0000000011223344");
    cmd_expect(s, "writeq 0x1008 0x0102030405060708", "OK");
    cmd_expect(s, "readq 0x1008", "OK 0x0102030405060708");
    /* Little-endian layout in memory. */
    cmd_expect(s, "readq 0x1000", "OK 0x11223344bbcc00aa");
    cmd_expect(s, "read 0x1008 0x3", "OK 0x080706");
    /* A value wider than the access is truncated. */
    cmd_expect(s, "writeb 0x1010 0x1ff", "OK");
    cmd_expect(s, "readw 0x1010", "OK 0x00000000000000ff");
    /* Decimal and octal arguments parse like strtoul base 0. */
    cmd_expect(s, "writeb 4096 010", "OK");
    cmd_expect(s, "readb 0x1000", "OK 0x0000000000000008");
    /* At and past the lengths short-cut in parsing: still strtoull's. */
    cmd_expect(s, "writeq 0x1008 0xFFFFFFFFFFFFFFFF", "OK");
    cmd_expect(s, "readq 0x1008", "OK 0xffffffffffffffff");
    cmd_expect(s, "writeb 0x1000 0X00000000000000000ab", "OK");
    cmd_expect(s, "readb 0x1000", "OK 0x00000000000000ab");
    cmd_expect(s, "writew 0x1000 18446744073709551615", "OK");
    cmd_expect(s, "readw 0x1000", "OK 0x000000000000ffff");
    cmd_expect(s, "writeb 0x1000 9999999999999999999", "OK");
    cmd_expect(s, "readb 0x1000", "OK 0x00000000000000ff");
    cmd_expect(s, "writeb 0x1000 -2", "OK");
    cmd_expect(s, "readb 0x1000", "OK 0x00000000000000fe");
    cmd_expect(s, "writeb 0x1000 0", "OK");
    cmd_expect(s, "readb 0x1000", "OK 0x0000000000000000");
    /* Words past the last argument are ignored. */
    cmd_expect(s, "writeb 0x1000 0x7 a b c d e f", "OK");
    cmd_expect(s, "readb 0x1000 x", "OK 0x0000000000000007");
    /* Beyond RAM nothing answers: reads 0, writes vanish. */
    cmd_expect(s, "writel 0x40000000 0x1", "OK");
    cmd_expect(s, "readl 0x40000000", "OK 0x0000000000000000");

    qtest_writel(s, 0x2000, 0xcafef00d);
    g_assert_cmphex(qtest_readl(s, 0x2000), ==, 0xcafef00d);
    g_assert_cmphex(qtest_readw(s, 0x2002), ==, 0xcafe);
    g_assert_cmphex(qtest_readb(s, 0x2000), ==, 0x0d);
    qtest_writeq(s, 0x2008, 0xfedcba9876543210ULL);
    g_assert_cmphex(qtest_readq(s, 0x2008), ==, 0xfedcba9876543210ULL);
    qtest_quit(s);
}

static void test_buffers(void)
{
    QTestState *s = qtest_init(MACHINE);
    const size_t size = 1 << 20;
    g_autofree uint8_t *data = g_malloc(size);
    g_autofree uint8_t *back = g_malloc0(size);

    cmd_expect(s, "write 0x3000 0x4 0xdeadbeef", "OK");
    cmd_expect(s, "read 0x3000 0x4", "OK 0xdeadbeef");
    /* Short data is zero-filled, extra digits ignored. */
    cmd_expect(s, "write 0x3000 0x4 0x11", "OK");
    cmd_expect(s, "read 0x3000 0x4", "OK 0x11000000");
    cmd_expect(s, "write 0x3000 0x1 0x223344", "OK");
    cmd_expect(s, "read 0x3000 0x2", "OK 0x2200");
    cmd_expect(s, "write 0x3000 0x2 0x", "ERR invalid argument size");
    cmd_expect(s, "b64write 0x3000 0x3 AQID", "OK");
    cmd_expect(s, "read 0x3000 0x3", "OK 0x010203");
    cmd_expect(s, "b64read 0x3000 0x3", "OK AQID");
    cmd_expect(s, "b64read 0x3000 0x4", "OK AQIDAA==");
    cmd_expect(s, "b64write 0x3000 0x1 AQ", "ERR invalid argument size");
    cmd_expect(s, "memset 0x3000 0x3 0x5a", "OK");
    cmd_expect(s, "read 0x3000 0x4", "OK 0x5a5a5a00");
    cmd_expect(s, "memset 0x3000 0 0x5a", "OK");

    for (size_t i = 0; i < size; i++) {
        data[i] = g_test_rand_int() & 0xff;
    }
    qtest_memwrite(s, 0x100000, data, size);
    qtest_memread(s, 0x100000, back, size);
    g_assert_true(memcmp(data, back, size) == 0);
    memset(back, 0, size);
    qtest_bufwrite(s, 0x200000, data, size);
    qtest_bufread(s, 0x200000, back, size);
    g_assert_true(memcmp(data, back, size) == 0);
    qtest_memset(s, 0x200000, 0xee, 16);
    g_assert_cmphex(qtest_readq(s, 0x200008), ==, 0xeeeeeeeeeeeeeeeeULL);
    g_assert_cmphex(qtest_readb(s, 0x200010), ==, data[16]);
    qtest_quit(s);
}

static void test_clock(void)
{
    QTestState *s = qtest_init(MACHINE);

    /* The virtual clock starts at 0 and moves only when told. */
    cmd_expect(s, "clock_step", "OK 0");
    cmd_expect(s, "clock_step 100", "OK 100");
    cmd_expect(s, "clock_step 0x10", "OK 116");
    cmd_expect(s, "clock_set 5000", "OK 5000");
    cmd_expect(s, "clock_set 10", "OK 5000");
    g_assert_cmpint(qtest_clock_step(s, 1000), ==, 6000);
    g_assert_cmpint(qtest_clock_set(s, 1000000000), ==, 1000000000);
    g_assert_cmpint(qtest_clock_step_next(s), ==, 1000000000);
    qtest_quit(s);
}

static void test_malformed(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autofree char *line = NULL;

    cmd_expect(s, "", "FAIL Empty command");
    cmd_expect(s, "bogus 1 2", "FAIL Unknown command 'bogus'");
    cmd_expect(s, "endianness\r", "FAIL Unknown command 'endianness\r'");
    cmd_expect(s, "inb", "FAIL Missing argument for 'inb'");
    cmd_expect(s, "outl 0xcf8", "FAIL Missing argument for 'outl'");
    cmd_expect(s, "inb zz", "FAIL Invalid number 'zz'");
    cmd_expect(s, "outb 0x10000 0x1", "FAIL I/O port 0x10000 out of range");
    cmd_expect(s, "writel 0x1000 0x1x", "FAIL Invalid number '0x1x'");
    cmd_expect(s, "writel 0x1000 0x", "FAIL Invalid number '0x'");
    cmd_expect(s, "writel 0x1000 0x10000000000000000",
               "FAIL Invalid number '0x10000000000000000'");
    cmd_expect(s, "writel 0x1000 18446744073709551616",
               "FAIL Invalid number '18446744073709551616'");
    cmd_expect(s, "writel 0x1000 12a", "FAIL Invalid number '12a'");
    cmd_expect(s, "set_irq_in /machine/nope unnamed-gpio-in 0",
               "FAIL Missing argument for 'set_irq_in'");
    /* Two spaces make an empty word, as in QEMU. */
    cmd_expect(s, "readb  0x1000", "FAIL Invalid number ''");
    cmd_expect(s, "read 0x1000 0", "FAIL Invalid size 0");
    cmd_expect(s, "read 0x1000 0x100000000", "FAIL Size 4294967296 too large");
    cmd_expect(s, "write 0x1000", "FAIL Missing argument for 'write'");
    cmd_expect(s, "write 0x1000 0x2 0xzz11", "FAIL Invalid hex data");
    cmd_expect(s, "b64write 0x1000 0x10 AQID",
               "FAIL b64write: data length mismatch (told 16, found 3)");
    cmd_expect(s, "clock_step abc", "FAIL Invalid number 'abc'");
    cmd_expect(s, "clock_set", "FAIL Missing argument for 'clock_set'");
    cmd_expect(s, "irq_intercept_in /machine/nope", "FAIL Unknown device");
    cmd_expect(s, "irq_intercept_out /machine", "FAIL Unknown device");
    cmd_expect(s, "set_irq_in /machine/nope unnamed-gpio-in 0 1",
               "FAIL Unknown device");
    cmd_expect(s, "module_load a b", "FAIL");
    assert_alive(s);
    qtest_quit(s);
}

/* Many commands per write, and one command split over several writes. */
static void test_framing(void)
{
    QTestState *s = qtest_init(MACHINE);
    g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL;
    GString *many = g_string_new(NULL);

    qtest_sendf_raw(s, "writeb 0x1000 0x42\nendianness\nread");
    r1 = qtest_recv_line(s);
    r2 = qtest_recv_line(s);
    g_assert_cmpstr(r1, ==, "OK");
    g_assert_cmpstr(r2, ==, "OK little");
    qtest_sendf_raw(s, "b 0x10");
    qtest_sendf_raw(s, "00\n");
    r3 = qtest_recv_line(s);
    g_assert_cmpstr(r3, ==, "OK 0x0000000000000042");

    for (int i = 0; i < 1000; i++) {
        g_string_append_printf(many, "outl 0x80 0x%x\n", i);
    }
    g_string_append(many, "inb 0x80\n");
    qtest_send_raw(s, many->str, many->len);
    for (int i = 0; i < 1000; i++) {
        g_autofree char *r = qtest_recv_line(s);
        g_assert_cmpstr(r, ==, "OK");
    }
    r4 = qtest_recv_line(s);
    g_assert_cmpstr(r4, ==, "OK 0x00ff");
    g_string_free(many, TRUE);

    /* A large write: 4 MiB of data is 8 MiB of hex on one line. */
    const size_t size = 4 << 20;
    g_autofree uint8_t *data = g_malloc(size);
    g_autofree uint8_t *back = g_malloc(size);
    for (size_t i = 0; i < size; i++) {
        data[i] = i * 13;
    }
    qtest_memwrite(s, 0x400000, data, size);
    qtest_bufread(s, 0x400000, back, size);
    g_assert_true(memcmp(data, back, size) == 0);
    assert_alive(s);
    qtest_quit(s);
}

static void test_irq_intercept_out(void)
{
    QTestState *s = qtest_init(MACHINE "-device baton-test-device,id=td "
                               "-device baton-test-device,id=td2 ");

    cmd_expect(s, "irq_intercept_out td", "OK");
    cmd_expect(s, "irq_intercept_out td", "OK");
    cmd_expect(s, "irq_intercept_in td2", "FAIL IRQ intercept already enabled");
    /* The device passes its input to its output: seen as IRQ lines. */
    qtest_sendf_raw(s, "set_irq_in td unnamed-gpio-in 0 1\n");
    g_autofree char *irq = qtest_recv_line_any(s);
    g_assert_cmpstr(irq, ==, "IRQ raise 0");
    g_autofree char *ok = qtest_recv_line_any(s);
    g_assert_cmpstr(ok, ==, "OK");
    /* Same level again: no message. */
    cmd_expect(s, "set_irq_in td unnamed-gpio-in 0 1", "OK");
    qtest_set_irq_in(s, "td", "unnamed-gpio-in", 0, 0);
    g_assert_false(qtest_get_irq(s, 0));
    qtest_set_irq_in(s, "td", "unnamed-gpio-in", 0, 1);
    g_assert_true(qtest_get_irq(s, 0));
    cmd_expect(s, "set_irq_in td unnamed-gpio-in 5 1",
               "FAIL GPIO number out of range");
    cmd_expect(s, "set_irq_in td named 0 1", "FAIL Unknown GPIO 'named'");
    qtest_quit(s);
}

static void test_irq_intercept_in(void)
{
    QTestState *s = qtest_init(MACHINE "-device baton-test-device,id=td ");

    qtest_irq_intercept_in(s, "/machine/peripheral/td");
    qtest_set_irq_in(s, "td", "unnamed-gpio-in", 0, 1);
    g_assert_true(qtest_get_irq(s, 0));
    qtest_set_irq_in(s, "td", "unnamed-gpio-in", 0, 0);
    g_assert_false(qtest_get_irq(s, 0));
    qtest_quit(s);
}

static void test_log(void)
{
    g_autofree char *dir = g_dir_make_tmp("baton-qtest-log-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "qtest.log", NULL);
    g_autofree char *log = NULL;
    /* A later -qtest-log wins over the one libqtest passes. */
    QTestState *s = qtest_initf(MACHINE "-qtest-log %s ", path);

    cmd_expect(s, "outb 0x80 0x1", "OK");
    cmd_expect(s, "inb 0x80", "OK 0x00ff");
    cmd_expect(s, "", "FAIL Empty command");
    cmd_expect(s, "inb  0x80", "FAIL Invalid number ''");
    qtest_quit(s);
    g_assert_true(g_file_get_contents(path, &log, NULL, NULL));
    g_assert_nonnull(strstr(log, "] OPENED\n"));
    g_assert_true(g_str_has_prefix(log, "[I "));
    g_assert_true(g_regex_match_simple(
        "\\[R \\+[0-9]+\\.[0-9]{6}\\] outb 0x80 0x1\n"
        "\\[S \\+[0-9]+\\.[0-9]{6}\\] OK\n", log, 0, 0));
    g_assert_true(g_regex_match_simple(
        "\\[S \\+[0-9]+\\.[0-9]{6}\\] OK 0x00ff\n", log, 0, 0));
    /* Lines are logged as received, an empty one without a space. */
    g_assert_true(g_regex_match_simple(
        "\\[R \\+[0-9]+\\.[0-9]{6}\\]\n"
        "\\[S \\+[0-9]+\\.[0-9]{6}\\] FAIL Empty command\n"
        "\\[R \\+[0-9]+\\.[0-9]{6}\\] inb  0x80\n"
        "\\[S \\+[0-9]+\\.[0-9]{6}\\] FAIL Invalid number ''\n",
        log, 0, 0));
    g_unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qtest-proto/io-ports", test_io_ports);
    qtest_add_func("/qtest-proto/memory-widths", test_memory_widths);
    qtest_add_func("/qtest-proto/buffers", test_buffers);
    qtest_add_func("/qtest-proto/clock", test_clock);
    qtest_add_func("/qtest-proto/malformed", test_malformed);
    qtest_add_func("/qtest-proto/framing", test_framing);
    qtest_add_func("/qtest-proto/irq-intercept-out", test_irq_intercept_out);
    qtest_add_func("/qtest-proto/irq-intercept-in", test_irq_intercept_in);
    qtest_add_func("/qtest-proto/log", test_log);
    return g_test_run();
}
