/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static device properties, through baton-test-device (one property of
 * each type): defaults, text parsing, QEMU's errors, typed JSON values and
 * the refusal to change anything once the device is realized.
 */
#include <string.h>

#include "hw/qdev-properties.h"
#include "qapi/error.h"
#include "system/qdev-monitor.h"

#define TYPE_TEST "baton-test-device"

static DeviceState *new_dev(void)
{
    return qdev_new(TYPE_TEST);
}

/* Set from text and return the property read back as compact JSON. */
static char *parse_and_get(DeviceState *dev, const char *name,
                           const char *text)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(JsonGenerator) gen = json_generator_new();

    if (!qdev_prop_parse(dev, name, text, &err)) {
        return g_strdup_printf("error: %s", err->message);
    }
    node = object_property_get(OBJECT(dev), name, &err);
    g_assert_no_error(err);
    json_generator_set_root(gen, node);
    return json_generator_to_data(gen, NULL);
}

#define ASSERT_PARSE(dev, name, text, expect) do {          \
        g_autofree char *got_ = parse_and_get(dev, name, text); \
        g_assert_cmpstr(got_, ==, expect);                   \
    } while (0)

static void test_types(void)
{
    DeviceState *dev = new_dev();
    static const struct {
        const char *name, *type;
    } expect[] = {
        { "flag", "bool" }, { "bit0", "bool" }, { "bit40", "bool" },
        { "u8", "uint8" }, { "u16", "uint16" }, { "u32", "uint32" },
        { "i32", "int32" }, { "u64", "uint64" }, { "i64", "int64" },
        { "size", "size" }, { "str", "str" }, { "mac", "str" },
        { "mode", "OnOffAuto" }, { "addr", "int32" },
        { "realized", "bool" }, { "parent_bus", "link<bus>" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(expect); i++) {
        ObjectProperty *prop = object_property_find(OBJECT(dev),
                                                    expect[i].name);
        g_assert_nonnull(prop);
        g_assert_cmpstr(prop->type, ==, expect[i].type);
    }
    object_unref(dev);
}

static void test_defaults(void)
{
    DeviceState *dev = new_dev();
    g_autoptr(GError) err = NULL;
    ObjectPropertyInfoList *list, *l;
    int seen = 0;

    g_assert_false(object_property_get_bool(OBJECT(dev), "flag", NULL));
    g_assert_true(object_property_get_bool(OBJECT(dev), "bit0", NULL));
    g_assert_cmpint(object_property_get_int(OBJECT(dev), "i32", NULL), ==, -32);
    g_assert_cmpuint(object_property_get_uint(OBJECT(dev), "size", NULL), ==,
                     1024 * 1024);
    g_assert_cmpint(object_property_get_int(OBJECT(dev), "addr", NULL), ==, -1);
    object_unref(dev);

    /* device-list-properties shows the defaults, and no qdev internals. */
    list = qmp_device_list_properties(TYPE_TEST, &err);
    g_assert_no_error(err);
    for (l = list; l; l = l->next) {
        ObjectPropertyInfo *info = l->value;

        g_assert_cmpstr(info->name, !=, "realized");
        g_assert_cmpstr(info->name, !=, "type");
        if (!strcmp(info->name, "mode")) {
            g_assert_cmpstr(json_node_get_string(info->default_value), ==,
                            "auto");
            g_assert_cmpstr(info->description, ==, "on/off/auto");
            seen++;
        } else if (!strcmp(info->name, "flag")) {
            g_assert_false(json_node_get_boolean(info->default_value));
            seen++;
        } else if (!strcmp(info->name, "addr")) {
            g_assert_cmpint(json_node_get_int(info->default_value), ==, -1);
            seen++;
        } else if (!strcmp(info->name, "str") || !strcmp(info->name, "mac")) {
            g_assert_null(info->default_value);
            seen++;
        }
    }
    g_assert_cmpint(seen, ==, 5);
    qapi_free_ObjectPropertyInfoList(list);

    g_assert_null(qmp_device_list_properties("nope", &err));
    g_assert_cmpstr(err->message, ==, "Device 'nope' not found");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);
    g_clear_error(&err);
    g_assert_null(qmp_device_list_properties("device", &err));
    g_assert_cmpstr(err->message, ==,
                    "Parameter 'typename' expects a non-abstract device type");
}

static void test_bool_and_bits(void)
{
    DeviceState *dev = new_dev();

    ASSERT_PARSE(dev, "flag", "on", "true");
    ASSERT_PARSE(dev, "flag", "no", "false");
    ASSERT_PARSE(dev, "flag", "true", "true");
    ASSERT_PARSE(dev, "flag", "2", "error: Parameter 'flag' expects 'on' or 'off'");
    ASSERT_PARSE(dev, "bit0", "off", "false");
    ASSERT_PARSE(dev, "bit40", "on", "true");
    object_unref(dev);
}

static void test_integers(void)
{
    DeviceState *dev = new_dev();

    ASSERT_PARSE(dev, "u8", "255", "255");
    ASSERT_PARSE(dev, "u8", "0x10", "16");
    ASSERT_PARSE(dev, "u8", "256", "error: Parameter 'u8' expects uint8_t");
    ASSERT_PARSE(dev, "u8", "abc", "error: Parameter 'u8' expects integer");
    ASSERT_PARSE(dev, "u8", "", "error: Parameter 'u8' expects integer");
    ASSERT_PARSE(dev, "u16", "65536", "error: Parameter 'u16' expects uint16_t");
    ASSERT_PARSE(dev, "u32", "4294967295", "4294967295");
    ASSERT_PARSE(dev, "u32", "4294967296",
                 "error: Parameter 'u32' expects uint32_t");
    ASSERT_PARSE(dev, "i32", "-2147483648", "-2147483648");
    ASSERT_PARSE(dev, "i32", "2147483648",
                 "error: Parameter 'i32' expects int32_t");
    ASSERT_PARSE(dev, "i64", "-9223372036854775808", "-9223372036854775808");
    ASSERT_PARSE(dev, "i64", "1.5", "error: Parameter 'i64' expects integer");
    ASSERT_PARSE(dev, "u64", "1234", "1234");
    object_unref(dev);
}

static void test_size(void)
{
    DeviceState *dev = new_dev();

    ASSERT_PARSE(dev, "size", "2M", "2097152");
    ASSERT_PARSE(dev, "size", "4k", "4096");
    ASSERT_PARSE(dev, "size", "1G", "1073741824");
    ASSERT_PARSE(dev, "size", "512", "512");
    ASSERT_PARSE(dev, "size", "1x", "error: Parameter 'size' expects size");
    object_unref(dev);
}

static void test_strings_and_mac(void)
{
    DeviceState *dev = new_dev();

    ASSERT_PARSE(dev, "str", "hello, world", "\"hello, world\"");
    ASSERT_PARSE(dev, "str", "", "\"\"");
    ASSERT_PARSE(dev, "mac", "52:54:00:12:34:56", "\"52:54:00:12:34:56\"");
    ASSERT_PARSE(dev, "mac", "52-54-00-AB-cd-EF", "\"52:54:00:ab:cd:ef\"");
    ASSERT_PARSE(dev, "mac", "52:54:00:12:34",
                 "error: Property 'baton-test-device.mac' doesn't take value "
                 "'52:54:00:12:34'");
    ASSERT_PARSE(dev, "mac", "52:54:00:12:34:567",
                 "error: Property 'baton-test-device.mac' doesn't take value "
                 "'52:54:00:12:34:567'");
    object_unref(dev);
}

static void test_enum(void)
{
    DeviceState *dev = new_dev();

    ASSERT_PARSE(dev, "mode", "on", "\"on\"");
    ASSERT_PARSE(dev, "mode", "off", "\"off\"");
    ASSERT_PARSE(dev, "mode", "auto", "\"auto\"");
    ASSERT_PARSE(dev, "mode", "maybe",
                 "error: Parameter 'mode' does not accept value 'maybe'");
    object_unref(dev);
}

static void test_pci_devfn(void)
{
    DeviceState *dev = new_dev();
    const char *bad = "error: Property 'baton-test-device.addr' doesn't take "
                      "value '%s'";
    const char *bad_values[] = { "20", "3.8", "x", "3.", "-1", "3.1x" };

    ASSERT_PARSE(dev, "addr", "3", "24");
    ASSERT_PARSE(dev, "addr", "0x3", "24");
    ASSERT_PARSE(dev, "addr", "3.1", "25");
    ASSERT_PARSE(dev, "addr", "1f.7", "255");
    ASSERT_PARSE(dev, "addr", "0a", "80");
    for (size_t i = 0; i < G_N_ELEMENTS(bad_values); i++) {
        g_autofree char *expect = g_strdup_printf(bad, bad_values[i]);
        ASSERT_PARSE(dev, "addr", bad_values[i], expect);
    }
    /* Typed JSON is the devfn itself. */
    g_assert_true(object_property_set_int(OBJECT(dev), "addr", 9, NULL));
    g_assert_cmpint(object_property_get_int(OBJECT(dev), "addr", NULL), ==, 9);
    object_unref(dev);
}

static void test_typed_json(void)
{
    DeviceState *dev = new_dev();
    g_autoptr(GError) err = NULL;

    g_assert_true(object_property_set_int(OBJECT(dev), "u32", 7, NULL));
    g_assert_cmpuint(object_property_get_uint(OBJECT(dev), "u32", NULL), ==, 7);
    g_assert_true(object_property_set_bool(OBJECT(dev), "flag", true, NULL));
    g_assert_false(object_property_set_int(OBJECT(dev), "u8", 300, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'u8' expects uint8_t");
    g_clear_error(&err);
    g_assert_false(object_property_set_bool(OBJECT(dev), "str", true, &err));
    g_assert_cmpstr(err->message, ==,
                    "Invalid parameter type for 'str', expected: string");
    g_clear_error(&err);
    /* QEMU's unsigned input reports any non-number this way. */
    g_assert_false(object_property_set_bool(OBJECT(dev), "u8", true, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'u8' expects uint64");
    object_unref(dev);
}

static char *set_typed(DeviceState *dev, const char *name, JsonNode *value)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(JsonNode) v = value;
    bool ok;

    qom_set_typed_input(true);
    ok = object_property_set(OBJECT(dev), name, v, &err);
    qom_set_typed_input(false);
    return ok ? g_strdup("OK") : g_strdup(err->message);
}

#define ASSERT_TYPED(dev, name, value, expect) do {            \
        g_autofree char *got_ = set_typed(dev, name, value);    \
        g_assert_cmpstr(got_, ==, expect);                      \
    } while (0)

/*
 * qom-set's values are typed JSON, as QEMU's QObject input visitor takes
 * them: text is not parsed, integers must fit the property's type.
 */
static void test_typed_input(void)
{
    DeviceState *dev = new_dev();

    ASSERT_TYPED(dev, "i64", qom_value_from_str("5"),
                 "Invalid parameter type for 'i64', expected: integer");
    ASSERT_TYPED(dev, "i32", qom_value_from_str("5"),
                 "Invalid parameter type for 'i32', expected: integer");
    ASSERT_TYPED(dev, "u32", qom_value_from_str("5"),
                 "Parameter 'u32' expects uint64");
    ASSERT_TYPED(dev, "size", qom_value_from_str("1M"),
                 "Parameter 'size' expects uint64");
    ASSERT_TYPED(dev, "flag", qom_value_from_str("on"),
                 "Invalid parameter type for 'flag', expected: boolean");
    ASSERT_TYPED(dev, "i64", qom_value_from_uint(1ULL << 63),
                 "Invalid parameter type for 'i64', expected: integer");
    ASSERT_TYPED(dev, "u8", qom_value_from_uint(1ULL << 63),
                 "Parameter 'u8' expects uint8_t");
    ASSERT_TYPED(dev, "u64", json_node_init_double(json_node_alloc(), 1e19),
                 "Parameter 'u64' expects uint64");
    ASSERT_TYPED(dev, "u64", qom_value_from_uint(UINT64_MAX), "OK");
    g_assert_cmpuint(object_property_get_uint(OBJECT(dev), "u64", NULL), ==,
                     UINT64_MAX);
    ASSERT_TYPED(dev, "str", qom_value_from_str("5"), "OK");
    /* The same text, from the command line, is parsed. */
    ASSERT_PARSE(dev, "u32", "5", "5");
    object_unref(dev);
}

static void test_set_after_realize(void)
{
    DeviceState *dev = new_dev();
    DeviceState *named = new_dev();
    g_autoptr(GError) err = NULL;

    g_assert_true(qdev_realize(dev, NULL, &err));
    g_assert_no_error(err);
    g_assert_true(object_property_get_bool(OBJECT(dev), "realized", NULL));
    g_assert_false(qdev_prop_parse(dev, "u8", "1", &err));
    g_assert_cmpstr(err->message, ==,
                    "Attempt to set property 'u8' on anonymous device "
                    "(type 'baton-test-device') after it was realized");
    g_clear_error(&err);

    named->id = g_strdup("t1");
    g_assert_true(qdev_realize(named, NULL, NULL));
    g_assert_false(qdev_prop_parse(named, "str", "x", &err));
    g_assert_cmpstr(err->message, ==,
                    "Attempt to set property 'str' on device 't1' "
                    "(type 'baton-test-device') after it was realized");

    object_unparent(OBJECT(dev));
    object_unref(dev);
    object_unparent(OBJECT(named));
    object_unref(named);
}

static void test_realize_failure(void)
{
    DeviceState *dev = new_dev();
    g_autoptr(GError) err = NULL;

    g_assert_true(qdev_prop_parse(dev, "fail-realize", "on", NULL));
    g_assert_false(qdev_realize(dev, NULL, &err));
    g_assert_cmpstr(err->message, ==,
                    "baton-test-device: realize failed on request");
    /* Left unrealized and outside the tree. */
    g_assert_false(dev->realized);
    g_assert_null(OBJECT(dev)->parent);
    object_unref(dev);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qdev-props/types", test_types);
    g_test_add_func("/qdev-props/defaults", test_defaults);
    g_test_add_func("/qdev-props/bool-and-bits", test_bool_and_bits);
    g_test_add_func("/qdev-props/integers", test_integers);
    g_test_add_func("/qdev-props/size", test_size);
    g_test_add_func("/qdev-props/strings-and-mac", test_strings_and_mac);
    g_test_add_func("/qdev-props/enum", test_enum);
    g_test_add_func("/qdev-props/pci-devfn", test_pci_devfn);
    g_test_add_func("/qdev-props/typed-json", test_typed_json);
    g_test_add_func("/qdev-props/typed-input", test_typed_input);
    g_test_add_func("/qdev-props/set-after-realize", test_set_after_realize);
    g_test_add_func("/qdev-props/realize-failure", test_realize_failure);
    return g_test_run();
}
