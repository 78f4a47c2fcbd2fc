/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The composition tree as a QMP client sees it: qom-list, qom-get, qom-set
 * and qom-list-types, on the "none" machine with two test devices.
 */
#include <string.h>

#include "libqtest.h"

#define ARGS "-M none -device baton-test-device,id=tb " \
             "-device baton-test-device,id=tb2,u8=42"

static JsonNode *ret_node(QTestState *qts, const char *cmd)
{
    return qtest_qmp_assert_success_ref(qts, "%s", cmd);
}

/* The "type" of property name in a qom-list reply, or NULL. */
static const char *list_type(JsonArray *list, const char *name)
{
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *o = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return json_object_get_string_member(o, "type");
        }
    }
    return NULL;
}

static void test_qom_list(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);
    g_autoptr(JsonNode) machine = ret_node(qts,
        "{'execute': 'qom-list', 'arguments': {'path': '/machine'}}");
    g_autoptr(JsonNode) periph = ret_node(qts,
        "{'execute': 'qom-list', 'arguments': {'path': '/machine/peripheral'}}");
    g_autoptr(JsonNode) dev = ret_node(qts,
        "{'execute': 'qom-list', 'arguments': {'path': 'tb'}}");
    JsonArray *m = json_node_get_array(machine);
    JsonArray *p = json_node_get_array(periph);
    JsonArray *d = json_node_get_array(dev);

    g_assert_cmpstr(list_type(m, "peripheral"), ==, "child<container>");
    g_assert_cmpstr(list_type(m, "peripheral-anon"), ==, "child<container>");
    g_assert_cmpstr(list_type(m, "unattached"), ==, "child<container>");
    g_assert_cmpstr(list_type(m, "type"), ==, "string");

    g_assert_cmpstr(list_type(p, "tb"), ==, "child<baton-test-device>");
    g_assert_cmpstr(list_type(p, "tb2"), ==, "child<baton-test-device>");

    g_assert_cmpstr(list_type(d, "u8"), ==, "uint8");
    g_assert_cmpstr(list_type(d, "mode"), ==, "OnOffAuto");
    g_assert_cmpstr(list_type(d, "realized"), ==, "bool");
    g_assert_cmpstr(list_type(d, "parent_bus"), ==, "link<bus>");
    g_assert_cmpstr(list_type(d, "tb.0"), ==, "child<baton-test-bus>");

    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device '/nope' not found",
        "{'execute': 'qom-list', 'arguments': {'path': '/nope'}}");
    /* Both devices have a parent_bus link: a partial path must be unique. */
    qtest_qmp_expect_error(qts, "GenericError",
        "Path 'parent_bus' is ambiguous",
        "{'execute': 'qom-list', 'arguments': {'path': 'parent_bus'}}");
}

static void test_qom_get(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);
    g_autoptr(JsonNode) u8 = ret_node(qts,
        "{'execute': 'qom-get', 'arguments': {'path': 'tb2', 'property': 'u8'}}");
    g_autoptr(JsonNode) type = ret_node(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '/machine/peripheral/tb', 'property': 'type'}}");
    g_autoptr(JsonNode) bus = ret_node(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': 'tb', 'property': 'parent_bus'}}");
    g_autoptr(JsonNode) mode = ret_node(qts,
        "{'execute': 'qom-get', 'arguments': {'path': 'tb', 'property': 'mode'}}");

    g_assert_cmpint(json_node_get_int(u8), ==, 42);
    g_assert_cmpstr(json_node_get_string(type), ==, "baton-test-device");
    g_assert_cmpstr(json_node_get_string(bus), ==, "/machine/unattached/sysbus");
    g_assert_cmpstr(json_node_get_string(mode), ==, "auto");
    g_assert_true(qtest_qom_get_bool(qts, "tb", "realized"));
    g_assert_false(qtest_qom_get_bool(qts, "tb", "hotplugged"));

    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
        "{'execute': 'qom-get', 'arguments': {'path': 'nope', 'property': 'x'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Property 'baton-test-device.foo' not found",
        "{'execute': 'qom-get', 'arguments': {'path': 'tb', 'property': 'foo'}}");
}

static void test_qom_set(void)
{
    g_autoptr(QTestState) qts = qtest_init(ARGS);

    qtest_qmp_expect_error(qts, "GenericError",
        "Attempt to set property 'u8' on device 'tb' (type "
        "'baton-test-device') after it was realized",
        "{'execute': 'qom-set', 'arguments': "
        "{'path': 'tb', 'property': 'u8', 'value': 1}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Property 'baton-test-device.type' is not writable",
        "{'execute': 'qom-set', 'arguments': "
        "{'path': 'tb', 'property': 'type', 'value': 'x'}}");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
        "{'execute': 'qom-set', 'arguments': "
        "{'path': 'nope', 'property': 'u8', 'value': 1}}");
    qtest_qmp_expect_error(qts, "GenericError", NULL,
        "{'execute': 'qom-set', 'arguments': {'path': 'tb', 'property': 'u8'}}");
}

/* Does a qom-list-types reply name type, and is it marked abstract? */
static bool types_has(JsonArray *list, const char *name, bool *abstract)
{
    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *o = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            *abstract = json_object_has_member(o, "abstract") &&
                        json_object_get_boolean_member(o, "abstract");
            return true;
        }
    }
    return false;
}

static void test_qom_list_types(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    g_autoptr(JsonNode) all = ret_node(qts, "{'execute': 'qom-list-types'}");
    g_autoptr(JsonNode) devs = ret_node(qts,
        "{'execute': 'qom-list-types', 'arguments': {'implements': 'device'}}");
    g_autoptr(JsonNode) abs = ret_node(qts,
        "{'execute': 'qom-list-types', "
        "'arguments': {'implements': 'device', 'abstract': true}}");
    g_autoptr(JsonNode) handlers = ret_node(qts,
        "{'execute': 'qom-list-types', "
        "'arguments': {'implements': 'hotplug-handler'}}");
    g_autoptr(JsonNode) none = ret_node(qts,
        "{'execute': 'qom-list-types', 'arguments': {'implements': 'nope'}}");
    bool is_abstract = true;
    JsonObject *first;

    g_assert_true(types_has(json_node_get_array(all), "container",
                            &is_abstract));
    g_assert_false(is_abstract);
    g_assert_false(types_has(json_node_get_array(all), "device",
                             &is_abstract));
    g_assert_true(types_has(json_node_get_array(devs), "baton-test-device",
                            &is_abstract));
    g_assert_false(types_has(json_node_get_array(devs), "container",
                             &is_abstract));
    g_assert_true(types_has(json_node_get_array(abs), "device",
                            &is_abstract));
    g_assert_true(is_abstract);
    g_assert_true(types_has(json_node_get_array(handlers),
                            "baton-test-device", &is_abstract));
    g_assert_cmpint(json_array_get_length(json_node_get_array(none)), ==, 0);

    /* Every entry names its parent type. */
    first = json_array_get_object_element(json_node_get_array(devs), 0);
    g_assert_true(json_object_has_member(first, "parent"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qom/list", test_qom_list);
    qtest_add_func("/qom/get", test_qom_get);
    qtest_add_func("/qom/set", test_qom_set);
    qtest_add_func("/qom/list-types", test_qom_list_types);
    return g_test_run();
}
