/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QMP as a hostile client sees it: after garbage the documented recovery
 * (a control character or 0xFF) gets one error and a clean parser; bytes
 * that are not UTF-8 are answered; and what QEMU refuses is refused with
 * QEMU's words: duplicate keys, U+0000 in a command name, integers beyond
 * a member's type, out-of-range migration parameters, capabilities without
 * the ones they need, unusable migration URIs, mistyped qom-set and
 * object-add values, devices behind a root port outside slot 0.
 */
#include <string.h>
#include "libqtest.h"
#include "libqos/migrate.h"

#define RP_MACHINE "-M q35 -nodefaults " \
    "-device pcie-root-port,id=rp1,chassis=1,slot=1,addr=0x1 " \
    "-device pcie-root-port,id=rp2,chassis=1,slot=2,addr=0x2 "

/* The parser is clean again: a plain request gets its plain answer. */
static void assert_recovered(QTestState *qts)
{
    qtest_qmp_expect_error(qts, "CommandNotFound",
                           "The command no-such-cmd has not been found",
                           "{'execute': 'no-such-cmd'}");
}

/* Malformed input: an error that answers no request (so has no id). */
static void send_expect_error(QTestState *qts, const char *raw,
                              const char *desc)
{
    g_autoptr(JsonObject) rsp =
        qtest_qmp_raw_expect_error_ref(qts, raw, "GenericError", desc);

    g_assert_false(json_object_has_member(rsp, "id"));
}

/* QEMU's own malformed-input cases (its qmp-test), each then recovered. */
static void test_malformed(void)
{
    g_autoptr(QTestState) qts = qtest_init("");

    send_expect_error(qts, "{]\n", "JSON parse error, expecting value");
    assert_recovered(qts);
    /* 0xFF goes back out as U+FFFD, as QEMU's JSON writer does. */
    send_expect_error(qts, "{\xff", "JSON parse error, stray '\xef\xbf\xbd'");
    assert_recovered(qts);
    send_expect_error(qts, "{\x01", "JSON parse error, stray '\x01'");
    assert_recovered(qts);
    send_expect_error(qts, "{'bad \xff",
                      "JSON parse error, stray ''bad \xef\xbf\xbd'");
    assert_recovered(qts);
    send_expect_error(qts, "{'execute': 'nonexistent', 'id':'\n",
                      "JSON parse error, stray ''\n'");
    assert_recovered(qts);
    send_expect_error(qts, "%p", "JSON parse error, stray '%'");
    assert_recovered(qts);
    send_expect_error(qts, "{'execute': 'query-status', 'id': '\xc3\x28'}",
                      "JSON parse error, invalid UTF-8 sequence in string");
    assert_recovered(qts);
}

/*
 * Input that leaves the parser waiting (an unterminated string, an open
 * brace, a truncated object) gets no answer until the client sends the
 * documented resynchronisation byte; then exactly one error, and the
 * next request is served.
 */
static void test_resync(void)
{
    static const char *const stuck[] = {
        "{'execute': 'query-status', 'id': 'never closed",
        "{'execute': 'query-status', 'arguments': {",
        "{'execute': 'query-status', 'id': [1, 2,",
        "{\"execute\": \"query-status\", \"id\": {\"a\": ",
        "[[[[{",
    };
    static const char resync[] = { '\xff', '\x01', '\x1b', '\x00', '\xfe' };
    g_autoptr(QTestState) qts = qtest_init("");

    for (size_t i = 0; i < G_N_ELEMENTS(stuck); i++) {
        for (size_t j = 0; j < G_N_ELEMENTS(resync); j++) {
            g_autoptr(JsonObject) rsp = NULL;

            qtest_qmp_send_bytes(qts, stuck[i], strlen(stuck[i]));
            qtest_qmp_send_bytes(qts, &resync[j], 1);
            rsp = qtest_qmp_receive(qts);
            g_assert_cmpstr(qmp_rsp_error_class(rsp), ==, "GenericError");
            g_assert_true(g_str_has_prefix(qmp_rsp_error_desc(rsp),
                                           "JSON parse error, stray '"));
            assert_recovered(qts);
        }
    }
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
}

/* A duplicate key is refused: the second "execute" must not run. */
static void test_duplicate_key(void)
{
    g_autoptr(QTestState) qts = qtest_init("");

    send_expect_error(qts, "{\"execute\": \"query-status\", \"id\": \"a\", "
                           "\"execute\": \"query-version\"}",
                      "JSON parse error, duplicate key");
    send_expect_error(qts, "{'execute': 'qom-get', 'arguments': "
                           "{'path': '/machine', 'property': 'type', "
                           "'path': '/'}}",
                      "JSON parse error, duplicate key");
    assert_recovered(qts);
}

/* U+0000 stays in the name (as "\xC0\x80"), so no command matches it. */
static void test_nul_in_name(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autofree char *line = NULL;

    qtest_qmp_send_raw(qts, "{'execute': 'query-status\\u0000'}\n");
    line = qtest_qmp_recv_line(qts);
    g_assert_cmpstr(line, ==, "{\"error\": {\"class\": \"CommandNotFound\", "
                    "\"desc\": \"The command query-status\\u0000 has not been "
                    "found\"}}\r\n");
    qtest_qmp_expect_error(qts, "CommandNotFound", NULL,
                           "{'execute': '\\u0000query-status'}");
}

/* Every integer member of migrate-set-parameters, beyond its type. */
static void test_integer_limits(void)
{
    static const char *const members[] = {
        "announce-initial", "announce-max", "announce-rounds",
        "announce-step", "max-bandwidth", "downtime-limit",
        "xbzrle-cache-size", "max-postcopy-bandwidth",
        "x-vcpu-dirty-limit-period", "vcpu-dirty-limit", "compress-level",
        "x-checkpoint-delay", "multifd-channels",
    };
    g_autoptr(GString) digits400 = g_string_new("9");
    const char *values[] = {
        "18446744073709551616", "-9223372036854775809", NULL, "1e2", "'1'",
    };
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) rsp = NULL;
    JsonObject *ret;

    while (digits400->len < 400) {
        g_string_append_c(digits400, '9');
    }
    values[2] = digits400->str;
    for (size_t i = 0; i < G_N_ELEMENTS(members); i++) {
        g_autofree char *desc = g_strdup_printf("Parameter '%s' expects "
                                                "uint64", members[i]);

        for (size_t j = 0; j < G_N_ELEMENTS(values); j++) {
            qtest_qmp_expect_error(qts, "GenericError", desc,
                "{'execute': 'migrate-set-parameters', "
                "'arguments': {'%s': %s}}", members[i], values[j]);
        }
    }
    /* Nothing was changed on the way. */
    rsp = qtest_qmp(qts, "{'execute': 'query-migrate-parameters'}");
    ret = json_object_get_object_member(rsp, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "announce-initial"), ==,
                    50);
    g_assert_cmpint(json_object_get_int_member(ret, "xbzrle-cache-size"), ==,
                    64 << 20);
    /* The largest uint64 is a uint64, and reads back exactly. */
    qtest_qmp_assert_success(qts, "{'execute': 'migrate-set-parameters', "
                             "'arguments': {'max-postcopy-bandwidth': "
                             "18446744073709551615}}");
    qtest_qmp_send_raw(qts, "{'execute': 'query-migrate-parameters'}\n");
    {
        g_autofree char *line = qtest_qmp_recv_line(qts);

        g_assert_nonnull(strstr(line, "\"max-postcopy-bandwidth\": "
                                      "18446744073709551615"));
    }
}

static void set_param_error(QTestState *qts, const char *member,
                            const char *value, const char *desc)
{
    qtest_qmp_expect_error(qts, "GenericError", desc,
                           "{'execute': 'migrate-set-parameters', "
                           "'arguments': {'%s': %s}}", member, value);
}

static void test_parameter_ranges(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) rsp = NULL;
    JsonObject *ret;

    set_param_error(qts, "multifd-zlib-level", "10",
        "Parameter 'multifd_zlib_level' expects a value between 0 and 9");
    set_param_error(qts, "multifd-zstd-level", "21",
        "Parameter 'multifd_zstd_level' expects a value between 0 and 20");
    for (int i = 0; i < 3; i++) {
        static const char *const bad[] = { "0", "2048", "12288" };

        set_param_error(qts, "xbzrle-cache-size", bad[i],
            "Parameter 'xbzrle_cache_size' expects a power of two no less "
            "than the target page size");
    }
    set_param_error(qts, "announce-initial", "100001",
        "Parameter 'announce_initial' expects a value between 0 and 100000");
    set_param_error(qts, "announce-max", "100001",
        "Parameter 'announce_max' expects a value between 0 and 100000");
    set_param_error(qts, "announce-rounds", "1001",
        "Parameter 'announce_rounds' expects a value between 0 and 1000");
    set_param_error(qts, "announce-step", "0",
        "Parameter 'announce_step' expects a value between 0 and 10000");
    set_param_error(qts, "announce-step", "10001",
        "Parameter 'announce_step' expects a value between 0 and 10000");
    set_param_error(qts, "x-vcpu-dirty-limit-period", "0",
        "Parameter 'x-vcpu-dirty-limit-period' expects a value between 1 "
        "and 1000");
    set_param_error(qts, "x-vcpu-dirty-limit-period", "1001",
        "Parameter 'x-vcpu-dirty-limit-period' expects a value between 1 "
        "and 1000");
    set_param_error(qts, "vcpu-dirty-limit", "0",
        "Parameter 'vcpu_dirty_limit' expects is invalid, it must greater "
        "then 1 MB/s");
    /* The edges are accepted. */
    qtest_qmp_assert_success(qts, "{'execute': 'migrate-set-parameters', "
        "'arguments': {'multifd-zlib-level': 9, 'multifd-zstd-level': 20, "
        "'xbzrle-cache-size': 4096, 'announce-initial': 100000, "
        "'announce-rounds': 1000, 'announce-step': 10000, "
        "'x-vcpu-dirty-limit-period': 1000, 'vcpu-dirty-limit': 1}}");
    rsp = qtest_qmp(qts, "{'execute': 'query-migrate-parameters'}");
    ret = json_object_get_object_member(rsp, "return");
    g_assert_cmpint(json_object_get_int_member(ret, "xbzrle-cache-size"), ==,
                    4096);
    g_assert_cmpint(json_object_get_int_member(ret, "announce-step"), ==,
                    10000);
}

static void set_caps(QTestState *qts, const char *caps, const char *desc)
{
    if (desc) {
        qtest_qmp_expect_error(qts, "GenericError", desc,
            "{'execute': 'migrate-set-capabilities', "
            "'arguments': {'capabilities': [%s]}}", caps);
    } else {
        qtest_qmp_assert_success(qts,
            "{'execute': 'migrate-set-capabilities', "
            "'arguments': {'capabilities': [%s]}}", caps);
    }
}

static bool cap_state(QTestState *qts, const char *name)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts,
        "{'execute': 'query-migrate-capabilities'}");
    JsonArray *a = json_object_get_array_member(rsp, "return");

    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *c = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(c, "capability"), name)) {
            return json_object_get_boolean_member(c, "state");
        }
    }
    g_assert_not_reached();
}

static void test_capability_dependencies(void)
{
    g_autoptr(QTestState) qts = qtest_init("");

    set_caps(qts, "{'capability': 'switchover-ack', 'state': true}",
             "Capability 'switchover-ack' requires capability 'return-path'");
    set_caps(qts, "{'capability': 'postcopy-preempt', 'state': true}",
             "Postcopy preempt requires postcopy-ram");
    g_assert_false(cap_state(qts, "switchover-ack"));
    g_assert_false(cap_state(qts, "postcopy-preempt"));
    /* Together in one call, they are fine... */
    set_caps(qts, "{'capability': 'return-path', 'state': true}, "
                  "{'capability': 'switchover-ack', 'state': true}", NULL);
    g_assert_true(cap_state(qts, "switchover-ack"));
    /* ...and the one needed cannot be taken away under the other. */
    set_caps(qts, "{'capability': 'return-path', 'state': false}",
             "Capability 'switchover-ack' requires capability 'return-path'");
    g_assert_true(cap_state(qts, "return-path"));
}

/* An unusable URI is answered at once; the machine keeps running. */
static void test_migrate_bad_uri(void)
{
    g_autoptr(QTestState) qts = qtest_init("");
    g_autoptr(JsonObject) info = NULL;

    qtest_qmp_expect_error(qts, "GenericError",
        "File descriptor named 'nosuch' has not been found",
        "{'execute': 'migrate', 'arguments': {'uri': 'fd:nosuch'}}");
    info = mig_query(qts);
    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "failed");
    g_assert_cmpstr(json_object_get_string_member(info, "error-desc"), ==,
                    "File descriptor named 'nosuch' has not been found");
    g_clear_pointer(&info, json_object_unref);
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'uri' expects a valid migration protocol",
        "{'execute': 'migrate', 'arguments': {'uri': 'gopher:x'}}");
    info = mig_query(qts);
    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "failed");
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
}

/* QMP values are typed: no text parsing where QEMU takes no text. */
static void test_typed_values(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M q35 -nodefaults");
    g_autoptr(JsonNode) v = NULL;

    qtest_qmp_expect_error(qts, "GenericError",
        "Invalid parameter type for 'graphics', expected: boolean",
        "{'execute': 'qom-set', 'arguments': {'path': '/machine', "
        "'property': 'graphics', 'value': 'off'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Invalid parameter type for 'graphics', expected: boolean",
        "{'execute': 'qom-set', 'arguments': {'path': '/machine', "
        "'property': 'graphics', 'value': 0}}");
    qtest_qmp_assert_success(qts, "{'execute': 'qom-set', 'arguments': "
        "{'path': '/machine', 'property': 'graphics', 'value': false}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'size' expects uint64",
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'memory-backend-ram', 'id': 'ram1', 'size': '1048576'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'size' expects uint64",
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'memory-backend-ram', 'id': 'ram1', 'size': 18446744073709551616}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Invalid parameter type for 'share', expected: boolean",
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'memory-backend-ram', 'id': 'ram1', 'size': 1048576, "
        "'share': 'on'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Invalid parameter type for 'id', expected: string",
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'memory-backend-ram', 'id': 1, 'size': 1048576}}");
    /* Nothing half-made was left behind: the right call works. */
    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': "
        "{'qom-type': 'memory-backend-ram', 'id': 'ram1', "
        "'size': 1048576}}");
    v = qtest_qmp_assert_success_ref(qts, "{'execute': 'qom-get', "
        "'arguments': {'path': '/objects/ram1', 'property': 'size'}}");
    g_assert_cmpint(json_node_get_int(v), ==, 1048576);
}

/* A root port has one slot: device 0.  Anything else is refused. */
static void test_root_port_slot(void)
{
    g_autoptr(QTestState) qts = qtest_init(RP_MACHINE);

    qtest_qmp_expect_error(qts, "GenericError",
        "PCI: slot 1 is not valid for pci-testdev, parent device only "
        "allows plugging into slot 0.",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'rp1', 'id': 'd1', 'addr': '0x1'}}");
    qtest_qmp_assert_success(qts, "{'execute': 'device_add', 'arguments': "
        "{'driver': 'pci-testdev', 'bus': 'rp1', 'id': 'd1'}}");
    /* A second device would silently get slot 1. */
    qtest_qmp_expect_error(qts, "GenericError",
        "PCI: slot 1 is not valid for virtio-net-pci, parent device only "
        "allows plugging into slot 0.",
        "{'execute': 'device_add', 'arguments': {'driver': "
        "'virtio-net-pci', 'bus': 'rp1', 'id': 'd2'}}");
    /* -device syntax takes numbers as text, as QEMU's does. */
    qtest_qmp_assert_success(qts, "{'execute': 'device_add', 'arguments': "
        "{'driver': 'virtio-net-pci', 'bus': 'rp2', 'id': 'd3', "
        "'addr': '0x0'}}");
    qtest_qmp_assert_success(qts, "{'execute': 'query-pci'}");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qmp-strict/malformed", test_malformed);
    qtest_add_func("/qmp-strict/resync", test_resync);
    qtest_add_func("/qmp-strict/duplicate-key", test_duplicate_key);
    qtest_add_func("/qmp-strict/nul-in-name", test_nul_in_name);
    qtest_add_func("/qmp-strict/integer-limits", test_integer_limits);
    qtest_add_func("/qmp-strict/parameter-ranges", test_parameter_ranges);
    qtest_add_func("/qmp-strict/capability-dependencies",
                   test_capability_dependencies);
    qtest_add_func("/qmp-strict/migrate-bad-uri", test_migrate_bad_uri);
    qtest_add_func("/qmp-strict/typed-values", test_typed_values);
    qtest_add_func("/qmp-strict/root-port-slot", test_root_port_slot);
    return g_test_run();
}
