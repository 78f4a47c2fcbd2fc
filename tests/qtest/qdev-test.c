/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device_add, device_del, device-list-properties and -device help, with
 * baton-test-device: cold-plugged on the system bus, it offers a hotplug
 * bus "<id>.0" on which further test devices come and go.
 */
#include <string.h>

#include "libqtest.h"

#define ARGS "-M none -device baton-test-device,id=tb"

static void add_error(QTestState *qts, const char *args, const char *desc)
{
    qtest_qmp_expect_error(qts, "GenericError", desc,
                           "{'execute': 'device_add', 'arguments': %s}", args);
}

static void assert_gone(QTestState *qts, const char *path)
{
    g_autofree char *desc = g_strdup_printf("Device '%s' not found", path);

    qtest_qmp_expect_error(qts, "DeviceNotFound", desc,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '%s', 'property': 'type'}}", path);
}

static char *qom_get_str(QTestState *qts, const char *path, const char *prop)
{
    g_autoptr(JsonNode) v = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '%s', 'property': '%s'}}", path, prop);

    return g_strdup(json_node_get_string(v));
}

/* Wait for DEVICE_DELETED and check its data members. */
static void expect_deleted(QTestState *qts, const char *id, const char *path)
{
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts, "DEVICE_DELETED");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_nonnull(data);
    if (id) {
        g_assert_cmpstr(json_object_get_string_member(data, "device"), ==, id);
    } else {
        g_assert_false(json_object_has_member(data, "device"));
    }
    g_assert_cmpstr(json_object_get_string_member(data, "path"), ==, path);
    g_assert_true(json_object_has_member(ev, "timestamp"));
}

static void test_add_and_del(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);
    g_autofree char *bus = NULL;

    qtest_qmp_device_add(qts, "baton-test-device", "d1",
                         "{'bus': 'tb.0', 'u8': 7, 'flag': true, "
                         "'str': 'x', 'mac': '52:54:00:00:00:01'}");
    g_assert_true(qtest_qom_get_bool(qts, "/machine/peripheral/d1",
                                     "realized"));
    g_assert_true(qtest_qom_get_bool(qts, "d1", "hotplugged"));
    g_assert_true(qtest_qom_get_bool(qts, "d1", "flag"));
    bus = qom_get_str(qts, "d1", "parent_bus");
    g_assert_cmpstr(bus, ==, "/machine/peripheral/tb/tb.0");

    qtest_qmp_assert_success(qts,
        "{'execute': 'device_del', 'arguments': {'id': 'd1'}}");
    expect_deleted(qts, "d1", "/machine/peripheral/d1");
    assert_gone(qts, "d1");

    /* The id is free again; a QOM path works for device_del as well. */
    qtest_qmp_device_add(qts, "baton-test-device", "d1", "{'bus': 'tb.0'}");
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', "
                             "'arguments': {'id': '/machine/peripheral/d1'}}");
    expect_deleted(qts, "d1", "/machine/peripheral/d1");
}

static void test_anonymous(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);

    qtest_qmp_device_add(qts, "baton-test-device", NULL, "{'bus': 'tb.0'}");
    g_assert_true(qtest_qom_get_bool(qts, "/machine/peripheral-anon/device[0]",
                                     "realized"));
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', 'arguments': "
                             "{'id': '/machine/peripheral-anon/device[0]'}}");
    expect_deleted(qts, NULL, "/machine/peripheral-anon/device[0]");
}

static void test_children_deleted_first(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);

    qtest_qmp_device_add(qts, "baton-test-device", "outer", "{'bus': 'tb.0'}");
    qtest_qmp_device_add(qts, "baton-test-device", "inner",
                         "{'bus': 'outer.0'}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'device_del', 'arguments': {'id': 'outer'}}");
    expect_deleted(qts, "inner", "/machine/peripheral/inner");
    expect_deleted(qts, "outer", "/machine/peripheral/outer");
    assert_gone(qts, "inner");
}

static void test_add_errors(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);

    add_error(qts, "{'id': 'x'}", "Parameter 'driver' is missing");
    add_error(qts, "{'driver': 'foo'}", "'foo' is not a valid device model name");
    add_error(qts, "{'driver': 'container'}",
              "'container' is not a valid device model name");
    add_error(qts, "{'driver': 'device'}",
              "Parameter 'driver' expects a non-abstract device type");
    add_error(qts, "{'driver': 'baton-test-device', 'id': '1x'}",
              "Parameter 'id' expects an identifier");
    add_error(qts, "{'driver': 'baton-test-device', 'id': 'a b'}",
              "Parameter 'id' expects an identifier");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'nope'}",
              "Bus 'nope' not found");
    add_error(qts, "{'driver': 'baton-test-device', 'id': 'x'}",
              "Bus 'main-system-bus' does not support hotplugging");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', 'foo': 1}",
              "Property 'baton-test-device.foo' not found");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', 'u8': 300}",
              "Parameter 'u8' expects uint8_t");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', "
              "'flag': 'maybe'}", "Parameter 'flag' expects 'on' or 'off'");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', "
              "'mac': 'xx'}",
              "Property 'baton-test-device.mac' doesn't take value 'xx'");

    /* A failed device leaves nothing behind, and its id stays free. */
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', "
              "'id': 'broken', 'fail-realize': true}",
              "baton-test-device: realize failed on request");
    assert_gone(qts, "broken");
    qtest_qmp_device_add(qts, "baton-test-device", "broken", "{'bus': 'tb.0'}");

    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', "
              "'id': 'broken'}", "Duplicate device ID 'broken'");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': 'tb.0', "
              "'id': 'tb'}", "Duplicate device ID 'tb'");
}

/* Odd bus paths are errors, never a crash (an empty one once was). */
static void test_bus_paths(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);

    add_error(qts, "{'driver': 'baton-test-device', 'bus': ''}",
              "Bus '' not found");
    add_error(qts, "{'driver': 'baton-test-device', 'bus': '', 'id': 'odd'}",
              "Bus '' not found");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'baton-test-device', "
                           "'bus': 'tb.0/nope'}}");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'baton-test-device', 'bus': '/nope'}}");
    /* Still serving, and the right path still works. */
    qtest_qmp_device_add(qts, "baton-test-device", "ok", "{'bus': 'tb.0'}");
}

static void test_del_errors(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);

    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
        "{'execute': 'device_del', 'arguments': {'id': 'nope'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Bus 'main-system-bus' does not support hotplugging",
        "{'execute': 'device_del', 'arguments': {'id': 'tb'}}");
    qtest_qmp_expect_error(qts, "GenericError", "Parameter 'id' is missing",
        "{'execute': 'device_del', 'arguments': {}}");
}

static void test_pending_unplug(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M none -device baton-test-device,id=ta,async-unplug=on");

    qtest_qmp_device_add(qts, "baton-test-device", "slow", "{'bus': 'ta.0'}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'device_del', 'arguments': {'id': 'slow'}}");
    /* Requested, not done: the device is still there. */
    g_assert_true(qtest_qom_get_bool(qts, "slow", "realized"));
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    qtest_qmp_expect_error(qts, "GenericError",
        "Device slow is already in the process of unplug",
        "{'execute': 'device_del', 'arguments': {'id': 'slow'}}");

    /* Like ACPI hotplug, a reset finishes what the guest did not. */
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    expect_deleted(qts, "slow", "/machine/peripheral/slow");
    assert_gone(qts, "slow");
}

/*
 * A listener may hide a device (failover's primary): creation "succeeds"
 * with nothing created, but a bus that cannot hotplug is still refused,
 * and a -device hidden at start-up keeps its id reserved.
 */
static void test_hidden_device(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M none -device baton-test-device,id=tb,hide-id=h1 "
        "-device baton-test-device,id=tb2,hide-id=h2 "
        "-device baton-test-device,id=h1,bus=tb.0");

    assert_gone(qts, "h1");
    add_error(qts, "{'driver': 'baton-test-device', 'id': 'h1', "
              "'bus': 'tb.0'}", "Duplicate ID 'h1' for device");

    qtest_qmp_device_add(qts, "baton-test-device", "h2", "{'bus': 'tb.0'}");
    assert_gone(qts, "h2");
    /* Not reserved by a QMP-hidden device: the same add succeeds again. */
    qtest_qmp_device_add(qts, "baton-test-device", "h2", "{'bus': 'tb.0'}");
    add_error(qts, "{'driver': 'baton-test-device', 'id': 'h2'}",
              "Bus 'main-system-bus' does not support hotplugging");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'h2' not found",
        "{'execute': 'device_del', 'arguments': {'id': 'h2'}}");
}

static void test_list_properties(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    g_autoptr(JsonNode) props = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'device-list-properties', "
        "'arguments': {'typename': 'baton-test-device'}}");
    JsonArray *list = json_node_get_array(props);
    bool found_flag = false;

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *o = json_array_get_object_element(list, i);
        const char *name = json_object_get_string_member(o, "name");

        g_assert_cmpstr(name, !=, "realized");
        g_assert_cmpstr(name, !=, "parent_bus");
        if (!strcmp(name, "flag")) {
            g_assert_cmpstr(json_object_get_string_member(o, "type"), ==,
                            "bool");
            g_assert_false(json_object_get_boolean_member(o, "default-value"));
            found_flag = true;
        }
    }
    g_assert_true(found_flag);

    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
        "{'execute': 'device-list-properties', "
        "'arguments': {'typename': 'nope'}}");
    /* Aliases are for -device/device_add only. */
    qtest_qmp_expect_error(qts, "DeviceNotFound",
        "Device 'virtio-net' not found",
        "{'execute': 'device-list-properties', "
        "'arguments': {'typename': 'virtio-net'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'typename' expects a non-abstract device type",
        "{'execute': 'device-list-properties', "
        "'arguments': {'typename': 'device'}}");
}

/* Run the binary directly, as a user typing -device help would. */
static char *run_binary(const char *args, int *status)
{
    g_autofree char *cmd = g_strdup_printf("%s %s",
                                           g_getenv("QTEST_QEMU_BINARY"),
                                           args);
    g_autoptr(GError) err = NULL;
    g_auto(GStrv) argv = NULL;
    char *out = NULL;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, &err));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, status, &err));
    g_assert_no_error(err);
    return out;
}

static void test_device_help(void)
{
    int status;
    g_autofree char *list = run_binary("-M none -device help", &status);
    g_autofree char *opts = NULL;

    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(list, "Misc devices:\n"));
    g_assert_nonnull(strstr(list, "name \"baton-test-device\", bus System, "
                            "desc \"device for qdev tests\"\n"));

    opts = run_binary("-M none -device baton-test-device,help", &status);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_assert_true(g_str_has_prefix(opts, "baton-test-device options:\n"));
    /* "  name=<type>" padded to 24 columns, then " - description". */
    g_assert_nonnull(strstr(opts, "\n  u8=<uint8>" "            "
                            " -  (default: 8)\n"));
    g_assert_nonnull(strstr(opts, "\n  mode=<OnOffAuto>" "      "
                            " - on/off/auto (default: \"auto\")\n"));
    g_assert_nonnull(strstr(opts, "\n  str=<str>\n"));
    /* Sorted by name. */
    g_assert_true(strstr(opts, "  addr=") < strstr(opts, "  u8="));
}

static int64_t qom_get_int(QTestState *qts, const char *path,
                           const char *prop)
{
    g_autoptr(JsonNode) v = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '%s', 'property': '%s'}}", path, prop);

    return json_node_get_int(v);
}

/* -global sets defaults; a device's own options still win. */
static void test_global(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M none -global baton-test-device.u8=9 "
        "-global driver=baton-test-device,property=u16,value=5 "
        "-device baton-test-device,id=tb,u16=6");

    g_assert_cmpint(qom_get_int(qts, "/machine/peripheral/tb", "u8"), ==, 9);
    g_assert_cmpint(qom_get_int(qts, "/machine/peripheral/tb", "u16"), ==, 6);
    qtest_qmp_device_add(qts, "baton-test-device", "d1", "{'bus': 'tb.0'}");
    g_assert_cmpint(qom_get_int(qts, "/machine/peripheral/d1", "u8"), ==, 9);
    g_assert_cmpint(qom_get_int(qts, "/machine/peripheral/d1", "u16"), ==, 5);
}

static void test_global_errors(void)
{
    int status;
    g_autofree char *out = NULL;
    g_autofree char *cmd = g_strdup_printf("%s -M none "
        "-global baton-test-device.u8=300 -device baton-test-device,id=tb",
        g_getenv("QTEST_QEMU_BINARY"));
    g_autofree char *err = NULL;
    g_auto(GStrv) argv = NULL;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_nonnull(strstr(err, "-device baton-test-device,id=tb: can't "
                            "apply global baton-test-device.u8=300: "));

    /* A malformed -global names the option. */
    g_strfreev(argv);
    g_free(out);
    g_free(err);
    g_free(cmd);
    cmd = g_strdup_printf("%s -M none -global nodot",
                          g_getenv("QTEST_QEMU_BINARY"));
    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    g_assert_true(g_str_has_prefix(err, "baton-system-x86_64: -global nodot: "));
}

/* libvirt's JSON form of -device, typed values and commas included. */
static void test_json_device(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M none -device '{\"driver\": \"baton-test-device\", "
        "\"id\": \"tb\", \"u8\": 7, \"flag\": true, "
        "\"str\": \"a,b\"}'");
    g_autofree char *str = NULL;
    g_autoptr(JsonNode) flag = NULL;

    g_assert_cmpint(qom_get_int(qts, "/machine/peripheral/tb", "u8"), ==, 7);
    str = qom_get_str(qts, "/machine/peripheral/tb", "str");
    g_assert_cmpstr(str, ==, "a,b");
    flag = qtest_qmp_assert_success_ref(qts, "{'execute': 'qom-get', "
        "'arguments': {'path': 'tb', 'property': 'flag'}}");
    g_assert_true(json_node_get_boolean(flag));
}

/* The first line the binary prints on stderr when args make it fail. */
static char *cmdline_failure(const char *args)
{
    int status;
    g_autofree char *out = NULL, *err = NULL;
    g_autofree char *cmd = g_strdup_printf("%s -M none %s",
                                           g_getenv("QTEST_QEMU_BINARY"),
                                           args);
    g_auto(GStrv) argv = NULL;

    g_assert_true(g_shell_parse_argv(cmd, NULL, &argv, NULL));
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, NULL));
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    return g_strndup(err, strcspn(err, "\n"));
}

static void test_json_device_errors(void)
{
    g_autofree char *e1 = cmdline_failure("-device '{\"driver\": '");
    g_autofree char *e2 = cmdline_failure(
        "-device '{\"driver\": \"pci-testdev\", \"id\": \"a\", "
        "\"id\": \"b\"}'");
    g_autofree char *e3 = cmdline_failure(
        "-object '{\"qom-type\": \"secret\", \"id\": \"s0\", "
        "\"data\": \"x\", \"data\": \"y\"}'");

    g_assert_cmpstr(e1, ==, "baton-system-x86_64: -device {\"driver\": : "
                    "JSON parse error, premature EOI");
    /* A key given twice is refused, as QEMU's parser refuses it. */
    g_assert_cmpstr(e2, ==, "baton-system-x86_64: -device {\"driver\": "
                    "\"pci-testdev\", \"id\": \"a\", \"id\": \"b\"}: "
                    "JSON parse error, duplicate key");
    g_assert_true(g_str_has_suffix(e3, "}: JSON parse error, duplicate key"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qdev/add-and-del", test_add_and_del);
    qtest_add_func("/qdev/anonymous", test_anonymous);
    qtest_add_func("/qdev/children-deleted-first", test_children_deleted_first);
    qtest_add_func("/qdev/add-errors", test_add_errors);
    qtest_add_func("/qdev/bus-paths", test_bus_paths);
    qtest_add_func("/qdev/del-errors", test_del_errors);
    qtest_add_func("/qdev/pending-unplug", test_pending_unplug);
    qtest_add_func("/qdev/hidden-device", test_hidden_device);
    qtest_add_func("/qdev/list-properties", test_list_properties);
    qtest_add_func("/qdev/device-help", test_device_help);
    qtest_add_func("/qdev/global", test_global);
    qtest_add_func("/qdev/json-device", test_json_device);
    qtest_add_func("/qdev/json-device-errors", test_json_device_errors);
    qtest_add_func("/qdev/global-errors", test_global_errors);
    return g_test_run();
}
