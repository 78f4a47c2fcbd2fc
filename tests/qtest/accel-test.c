/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Accelerators as a management tool sees them: -accel tcg and libvirt's
 * probe line (-machine none,accel=kvm:tcg) start, query-kvm and
 * qom-list-types tell the truth, and under tcg the virtual clock runs
 * only while the VM runs.  (Refusals are in cmdline-test.)
 */
#include <string.h>

#include "libqtest.h"

static bool list_has_name(JsonArray *list, const char *name)
{
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *o = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return true;
        }
    }
    return false;
}

static void assert_status(QTestState *qts, const char *status)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-status'}");
    JsonObject *o = json_node_get_object(ret);

    g_assert_cmpstr(json_object_get_string_member(o, "status"), ==, status);
}

static void assert_no_kvm(QTestState *qts)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-kvm'}");
    JsonObject *o = json_node_get_object(ret);

    g_assert_false(json_object_get_boolean_member(o, "enabled"));
    g_assert_false(json_object_get_boolean_member(o, "present"));
}

static void test_tcg_starts(void)
{
    g_autoptr(QTestState) qts =
        qtest_init_without_qtest("-accel tcg -M q35 -nodefaults");

    assert_status(qts, "running");
    assert_no_kvm(qts);
}

/* libvirt's capability probe: what it asks and what it decides from. */
static void test_libvirt_probe(void)
{
    g_autoptr(QTestState) qts = qtest_init_without_qtest(
        "-S -no-user-config -nodefaults -nographic "
        "-machine none,accel=kvm:tcg");
    g_autoptr(JsonNode) types = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-list-types', 'arguments': "
        "{'implements': 'accel'}}");
    g_autoptr(JsonNode) all = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-list-types', 'arguments': {'abstract': true}}");

    assert_status(qts, "prelaunch");
    assert_no_kvm(qts);
    g_assert_true(list_has_name(json_node_get_array(types), "tcg-accel"));
    g_assert_true(list_has_name(json_node_get_array(types), "qtest-accel"));
    g_assert_false(list_has_name(json_node_get_array(types), "kvm-accel"));
    g_assert_true(list_has_name(json_node_get_array(all), "accel"));
}

/* The virtual clock as "clock_step 0" reports it, in ns. */
static int64_t vclock(QTestState *qts)
{
    return qtest_clock_step(qts, 0);
}

/* Bounded wait until the clock has moved past t. */
static int64_t wait_clock_past(QTestState *qts, int64_t t)
{
    gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
    int64_t now;

    while ((now = vclock(qts)) <= t) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        g_usleep(1000);
    }
    return now;
}

/*
 * Under tcg guest time runs by itself while the VM runs and stands still
 * while it is stopped.  (QEMU allows -qtest beside tcg; libqtest's own
 * "-accel qtest" comes after ours and is not needed.)
 */
static void test_tcg_clock(void)
{
    g_autoptr(QTestState) qts = qtest_init("-accel tcg -M none -S");
    int64_t t0 = vclock(qts), t1, t2, t3;

    /* -S: not started, no time passes. */
    g_usleep(20 * 1000);
    g_assert_cmpint(vclock(qts), ==, t0);

    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    t1 = wait_clock_past(qts, t0);
    qtest_qmp_assert_success(qts, "{'execute': 'stop'}");
    t2 = vclock(qts);
    g_assert_cmpint(t2, >=, t1);
    g_usleep(20 * 1000);
    g_assert_cmpint(vclock(qts), ==, t2);

    /* It resumes where it stopped, not at the host's time. */
    qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
    t3 = wait_clock_past(qts, t2);
    g_assert_cmpint(t3 - t2, <, 5 * 1000 * 1000 * 1000LL);
}

/* Under qtest the clock moves only when the test moves it, as before. */
static void test_qtest_clock(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    int64_t t0 = vclock(qts);

    g_usleep(20 * 1000);
    g_assert_cmpint(vclock(qts), ==, t0);
    g_assert_cmpint(qtest_clock_step(qts, 1000), ==, t0 + 1000);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);

    qtest_add_func("accel/tcg-starts", test_tcg_starts);
    qtest_add_func("accel/libvirt-probe", test_libvirt_probe);
    qtest_add_func("accel/tcg-clock", test_tcg_clock);
    qtest_add_func("accel/qtest-clock", test_qtest_clock);
    return g_test_run();
}
