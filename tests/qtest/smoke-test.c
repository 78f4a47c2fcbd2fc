/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Smoke test: the binary starts under libqtest, answers QMP and qtest,
 * and stops with exit status 0.
 */
#include <signal.h>
#include <string.h>
#include "libqtest.h"

static const char *str_member(JsonObject *obj, const char *name)
{
    g_assert_true(json_object_has_member(obj, name));
    return json_object_get_string_member(obj, name);
}

static void assert_status(QTestState *qts, const char *status, bool running)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'query-status'}");
    JsonObject *ret;

    g_assert_true(json_object_has_member(rsp, "return"));
    ret = json_object_get_object_member(rsp, "return");
    g_assert_cmpstr(str_member(ret, "status"), ==, status);
    g_assert_cmpint(json_object_get_boolean_member(ret, "running"), ==,
                    running);
    g_assert_false(json_object_get_boolean_member(ret, "singlestep"));
}

static void test_start_stop(void)
{
    QTestState *qts = qtest_init("");

    g_assert_true(qtest_probe_child(qts));
    qtest_quit(qts);
}

static void test_query_status(void)
{
    g_autoptr(QTestState) qts = qtest_init("");

    assert_status(qts, "running", true);
}

static void test_stop_cont(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) stop = NULL;
    g_autoptr(JsonObject) resume = NULL;

    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    stop = qtest_qmp_eventwait_ref(qts, "STOP");
    g_assert_true(json_object_has_member(stop, "timestamp"));
    assert_status(qts, "paused", false);

    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    resume = qtest_qmp_eventwait_ref(qts, "RESUME");
    g_assert_true(json_object_has_member(resume, "timestamp"));
    assert_status(qts, "running", true);
}

static void test_qtest_roundtrip(void)
{
    g_autoptr(QTestState) qts = qtest_init("-m 16M");
    uint8_t in[64], out[64];

    g_assert_false(qtest_big_endian(qts));

    qtest_writeb(qts, 0x1000, 0xaa);
    g_assert_cmphex(qtest_readb(qts, 0x1000), ==, 0xaa);
    qtest_writew(qts, 0x1002, 0xbeef);
    g_assert_cmphex(qtest_readw(qts, 0x1002), ==, 0xbeef);
    qtest_writel(qts, 0x1004, 0xdeadbeef);
    g_assert_cmphex(qtest_readl(qts, 0x1004), ==, 0xdeadbeef);
    qtest_writeq(qts, 0x1008, 0x0123456789abcdefULL);
    g_assert_cmphex(qtest_readq(qts, 0x1008), ==, 0x0123456789abcdefULL);
    /* little-endian layout */
    g_assert_cmphex(qtest_readb(qts, 0x1008), ==, 0xef);

    for (int i = 0; i < sizeof(in); i++) {
        in[i] = i * 7 + 1;
    }
    qtest_memwrite(qts, 0x2000, in, sizeof(in));
    memset(out, 0, sizeof(out));
    qtest_memread(qts, 0x2000, out, sizeof(out));
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));

    memset(out, 0, sizeof(out));
    qtest_bufwrite(qts, 0x3000, in, sizeof(in));
    qtest_bufread(qts, 0x3000, out, sizeof(out));
    g_assert_cmpmem(in, sizeof(in), out, sizeof(out));

    qtest_memset(qts, 0x3000, 0x5a, 16);
    qtest_bufread(qts, 0x3000, out, 16);
    for (int i = 0; i < 16; i++) {
        g_assert_cmphex(out[i], ==, 0x5a);
    }

    g_assert_cmpint(qtest_clock_step(qts, 1000), ==, 1000);
    g_assert_cmpint(qtest_clock_set(qts, 5000), ==, 5000);
    g_assert_cmpint(qtest_clock_set(qts, 10), ==, 5000);
}

static void test_quit(void)
{
    QTestState *qts = qtest_init("");
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'quit'}");
    g_autoptr(JsonObject) ev = NULL;
    JsonObject *data;

    g_assert_true(json_object_has_member(rsp, "return"));
    ev = qtest_qmp_eventwait_ref(qts, "SHUTDOWN");
    data = json_object_get_object_member(ev, "data");
    g_assert_false(json_object_get_boolean_member(data, "guest"));
    g_assert_cmpstr(str_member(data, "reason"), ==, "host-qmp-quit");
    qtest_wait_qemu(qts);
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("smoke/start-stop", test_start_stop);
    qtest_add_func("smoke/query-status", test_query_status);
    qtest_add_func("smoke/stop-cont", test_stop_cont);
    qtest_add_func("smoke/qtest-roundtrip", test_qtest_roundtrip);
    qtest_add_func("smoke/quit", test_quit);

    return g_test_run();
}
