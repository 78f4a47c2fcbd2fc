/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The C that scripts/qapi/gen.py writes, exercised through the test schema
 * (tests/unit/qapi/qapi-schema-test.json): enums, structs to and from
 * JSON, marshallers and their error texts, events, introspection.
 */
#include <string.h>
#include "qapi/error.h"
#include "qapi/test-qapi-commands.h"
#include "qapi/test-qapi-events.h"
#include "qapi/test-qapi-introspect.h"
#include "qapi/test-qapi-visit.h"
#include "qemu/json-stream.h"
#include "monitor/monitor.h"

/* ---- handlers of the test commands ------------------------------------ */

static char *last_call;

TestInner *qmp_test_cmd(const char *name, bool has_count, int64_t count,
                        TestColourList *colours, GError **errp)
{
    TestInner *ret;
    int n = 0;

    if (!strcmp(name, "fail")) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  name);
        return NULL;
    }
    for (; colours; colours = colours->next) {
        n++;
    }
    g_free(last_call);
    last_call = g_strdup_printf("%s has_count=%d count=%" G_GINT64_FORMAT
                                " colours=%d", name, has_count, count, n);
    ret = g_new0(TestInner, 1);
    ret->colour = TEST_COLOUR_LIGHT_GREEN;
    ret->note = g_strdup(name);
    return ret;
}

strList *qmp_test_noargs(GError **errp)
{
    return NULL;                /* the empty list, not an error */
}

void qmp_test_boxed(TestInner *arg, GError **errp)
{
    g_free(last_call);
    last_call = g_strdup_printf("boxed %s %s", TestColour_str(arg->colour),
                                arg->note ? arg->note : "(null)");
}

JsonNode *qmp_test_struct_args(TestColour colour, const char *note,
                               GError **errp)
{
    return json_node_init_int(json_node_alloc(), colour);
}

TestShapeList *qmp_test_draw(TestDrawing *arg, GError **errp)
{
    TestShapeList *shapes = arg->shapes;

    arg->shapes = NULL;
    return shapes;
}

/* ---- helpers ---------------------------------------------------------- */

static void keep_value(void *opaque, JsonNode *value, GError *err)
{
    if (err) {
        g_error("bad test JSON: %s", err->message);
    }
    *(JsonNode **)opaque = value;
}

/* Parsed as QMP input is, so numbers are classified as QMP's are. */
static JsonNode *parse(const char *text)
{
    JsonNode *value = NULL;
    JsonStream *js = json_stream_new(keep_value, &value);

    json_stream_feed(js, text, strlen(text));
    json_stream_feed(js, " ", 1);       /* ends a bare number */
    json_stream_free(js);
    g_assert_nonnull(value);
    return value;
}

static char *render(JsonNode *n)
{
    return qmp_json_to_string(n, false);
}

/* Run a command of the test schema: the reply text or "CLASS: desc". */
static char *call(const char *name, const char *args_json)
{
    const QmpCommand *cmd = test_qmp_find_command(name);
    g_autoptr(JsonNode) args = args_json ? parse(args_json) : NULL;
    JsonNode *ret = NULL;
    GError *err = NULL;
    char *s;

    g_assert_nonnull(cmd);
    cmd->fn(args ? json_node_get_object(args) : NULL, &ret, &err);
    if (err) {
        g_assert_null(ret);
        s = g_strdup_printf("%s: %s", error_class_name(error_get_class(err)),
                            err->message);
        g_error_free(err);
        return s;
    }
    g_assert_nonnull(ret);
    s = render(ret);
    json_node_unref(ret);
    return s;
}

/* ---- tests ------------------------------------------------------------ */

static void test_enum(void)
{
    GError *err = NULL;

    g_assert_cmpint(TEST_COLOUR_RED, ==, 0);
    g_assert_cmpint(TEST_COLOUR_BLUE, ==, 2);
    g_assert_cmpint(TestColour__MAX, ==, 3);
    g_assert_cmpint(TMODE_SLOW, ==, 1);          /* explicit prefix */
    g_assert_cmpint(TESTHTTP_VERSION2_KIND_ONE, ==, 0);
    g_assert_cmpstr(TestColour_str(TEST_COLOUR_LIGHT_GREEN), ==,
                    "light-green");
    g_assert_cmpint(qapi_enum_parse(&TestColour_lookup, "blue", -1, NULL),
                    ==, TEST_COLOUR_BLUE);
    g_assert_cmpint(qapi_enum_parse(&TestColour_lookup, NULL, 7, NULL),
                    ==, 7);
    g_assert_cmpint(qapi_enum_parse(&TestColour_lookup, "pink", -1, &err),
                    ==, -1);
    g_assert_cmpstr(err->message, ==, "invalid parameter value: pink");
    g_error_free(err);
    /* The real schema's names, as other parts of baton use them. */
    g_assert_cmpstr(RunState_str(RUN_STATE_INMIGRATE), ==, "inmigrate");
    g_assert_cmpstr(ShutdownCause_str(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET),
                    ==, "host-qmp-system-reset");
    g_assert_cmpstr(OnOffAuto_str(ON_OFF_AUTO_AUTO), ==, "auto");
    g_assert_cmpint(QMP_CAPABILITY_OOB, ==, 0);
}

static const char all_json[] =
    "{'base-id': 7, 's': 'str', 'i': -5, 'u8': 255, 'i32': -2147483648, "
    "'u64': 4096, 'sz': 1048576, 'b': true, 'n': 2.5, "
    "'a': {'x': [1, 'y', null]}, 'mode': 'slow', "
    "'inner': {'colour': 'red'}, "
    "'inners': [{'colour': 'blue', 'note': 'n1'}, {'colour': 'light-green'}], "
    "'strs': ['p', 'q'], 'opt-int': 0, 'default': false}";

static void test_struct_roundtrip(void)
{
    g_autoptr(JsonNode) in = parse(all_json);
    g_autoptr(JsonNode) out = NULL;
    g_autoptr(TestAll) all = NULL;
    GError *err = NULL;
    g_autofree char *a = NULL, *b = NULL;

    all = qapi_TestAll_from_json(in, NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpint(all->base_id, ==, 7);
    g_assert_cmpstr(all->s, ==, "str");
    g_assert_cmpint(all->u8, ==, 255);
    g_assert_cmpint(all->i32, ==, G_MININT32);
    g_assert_cmpfloat(all->n, ==, 2.5);
    g_assert_cmpint(all->mode, ==, TMODE_SLOW);
    g_assert_cmpint(all->inner->colour, ==, TEST_COLOUR_RED);
    g_assert_null(all->inner->note);
    g_assert_cmpstr(all->inners->value->note, ==, "n1");
    g_assert_cmpint(all->inners->next->value->colour, ==,
                    TEST_COLOUR_LIGHT_GREEN);
    g_assert_null(all->inners->next->next);
    g_assert_cmpstr(all->strs->next->value, ==, "q");
    g_assert_true(all->has_opt_int);
    g_assert_cmpint(all->opt_int, ==, 0);
    g_assert_null(all->opt_str);
    g_assert_null(all->opt_inner);
    g_assert_true(all->has_q_default);
    g_assert_false(all->q_default);

    /* Back to JSON: same members, in schema order, absent ones omitted. */
    out = qapi_TestAll_to_json(all);
    a = render(in);
    b = render(out);
    g_assert_cmpstr(a, ==, b);
}

static void test_struct_optional_flags(void)
{
    g_autoptr(TestAll) all = g_new0(TestAll, 1);
    g_autoptr(JsonNode) out = NULL;
    g_autofree char *s = NULL;

    all->s = g_strdup("x");
    all->inner = g_new0(TestInner, 1);
    all->opt_int = 99;          /* has_opt_int is false: not sent */
    all->q_default = true;
    all->has_q_default = true;
    out = qapi_TestAll_to_json(all);
    s = render(out);
    g_assert_cmpstr(s, ==,
                    "{\"base-id\": 0, \"s\": \"x\", \"i\": 0, \"u8\": 0, "
                    "\"i32\": 0, \"u64\": 0, \"sz\": 0, \"b\": false, "
                    "\"n\": 0, \"a\": null, \"mode\": \"fast\", "
                    "\"inner\": {\"colour\": \"red\"}, \"inners\": [], "
                    "\"strs\": [], \"default\": true}");
}

/* Parse all_json with one member replaced (or removed if value is NULL). */
static char *input_error(const char *member, const char *value)
{
    g_autoptr(JsonNode) in = parse(all_json);
    JsonObject *o = json_node_get_object(in);
    g_autoptr(TestAll) all = NULL;
    GError *err = NULL;
    char *msg;

    if (value) {
        json_object_set_member(o, member, parse(value));
    } else {
        json_object_remove_member(o, member);
    }
    all = qapi_TestAll_from_json(in, NULL, &err);
    if (!err) {
        return g_strdup("OK");
    }
    g_assert_null(all);
    msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

#define ASSERT_INPUT_ERROR(member, value, expected) do { \
        g_autofree char *msg_ = input_error(member, value); \
        g_assert_cmpstr(msg_, ==, expected); \
    } while (0)

static void test_struct_errors(void)
{
    ASSERT_INPUT_ERROR("s", NULL, "Parameter 's' is missing");
    ASSERT_INPUT_ERROR("base-id", NULL, "Parameter 'base-id' is missing");
    ASSERT_INPUT_ERROR("bogus", "1", "Parameter 'bogus' is unexpected");
    ASSERT_INPUT_ERROR("s", "1",
                       "Invalid parameter type for 's', expected: string");
    ASSERT_INPUT_ERROR("i", "'1'",
                       "Invalid parameter type for 'i', expected: integer");
    ASSERT_INPUT_ERROR("i", "1.5",
                       "Invalid parameter type for 'i', expected: integer");
    ASSERT_INPUT_ERROR("b", "'on'",
                       "Invalid parameter type for 'b', expected: boolean");
    ASSERT_INPUT_ERROR("n", "true",
                       "Invalid parameter type for 'n', expected: number");
    ASSERT_INPUT_ERROR("n", "3", "OK");          /* integers are numbers */
    ASSERT_INPUT_ERROR("a", "'anything'", "OK");
    ASSERT_INPUT_ERROR("inner", "[]",
                       "Invalid parameter type for 'inner', expected: object");
    ASSERT_INPUT_ERROR("strs", "{}",
                       "Invalid parameter type for 'strs', expected: array");
    ASSERT_INPUT_ERROR("u8", "256", "Parameter 'u8' expects uint8_t");
    ASSERT_INPUT_ERROR("u8", "-1", "Parameter 'u8' expects uint8_t");
    ASSERT_INPUT_ERROR("i32", "2147483648", "Parameter 'i32' expects int32_t");
    ASSERT_INPUT_ERROR("u64", "'1'", "Parameter 'u64' expects uint64");
    ASSERT_INPUT_ERROR("u8", "'1'", "Parameter 'u8' expects uint64");
    ASSERT_INPUT_ERROR("mode", "'medium'",
                       "Parameter 'mode' does not accept value 'medium'");
    ASSERT_INPUT_ERROR("mode", "2",
                       "Invalid parameter type for 'mode', expected: string");
    /* Nested members are named by their path. */
    ASSERT_INPUT_ERROR("inner", "{}", "Parameter 'inner.colour' is missing");
    ASSERT_INPUT_ERROR("inner", "{'colour': 'red', 'x': 1}",
                       "Parameter 'inner.x' is unexpected");
    ASSERT_INPUT_ERROR("inners", "[{'colour': 'red'}, {'colour': 'grey'}]",
                       "Parameter 'colour' does not accept value 'grey'");
    ASSERT_INPUT_ERROR("strs", "['a', 2]",
                       "Invalid parameter type for 'strs[1]', expected: "
                       "string");
}

/*
 * Integers beyond a member's type, as QEMU refuses them: int64 members take
 * what fits int64, uint64 (and size) members any 64-bit integer; 2^64,
 * below -2^63 and longer numbers are doubles that no integer member takes.
 */
static void test_integer_limits(void)
{
    g_autoptr(GString) digits400 = g_string_new("1");
    static const char *const beyond_all[] = {
        "18446744073709551616", "-9223372036854775809", "1e3",
    };

    while (digits400->len < 400) {
        g_string_append_c(digits400, '7');
    }
    for (size_t i = 0; i <= G_N_ELEMENTS(beyond_all); i++) {
        const char *v = i < G_N_ELEMENTS(beyond_all) ? beyond_all[i]
                                                     : digits400->str;

        ASSERT_INPUT_ERROR("i", v,
                           "Invalid parameter type for 'i', expected: integer");
        ASSERT_INPUT_ERROR("i32", v, "Invalid parameter type for 'i32', "
                           "expected: integer");
        ASSERT_INPUT_ERROR("u64", v, "Parameter 'u64' expects uint64");
        ASSERT_INPUT_ERROR("sz", v, "Parameter 'sz' expects uint64");
        ASSERT_INPUT_ERROR("u8", v, "Parameter 'u8' expects uint64");
    }
    ASSERT_INPUT_ERROR("i", "9223372036854775807", "OK");
    ASSERT_INPUT_ERROR("i", "-9223372036854775808", "OK");
    ASSERT_INPUT_ERROR("i", "9223372036854775808",
                       "Invalid parameter type for 'i', expected: integer");
    ASSERT_INPUT_ERROR("i32", "18446744073709551615",
                       "Invalid parameter type for 'i32', expected: integer");
    ASSERT_INPUT_ERROR("u8", "9223372036854775808",
                       "Parameter 'u8' expects uint8_t");
    ASSERT_INPUT_ERROR("u64", "-1", "OK");      /* wraps, as in QEMU */
    ASSERT_INPUT_ERROR("sz", "18446744073709551615", "OK");
    ASSERT_INPUT_ERROR("n", "18446744073709551615", "OK");
}

/* uint64 values above INT64_MAX go back out unsigned and exact. */
static void test_uint64_roundtrip(void)
{
    g_autoptr(JsonNode) in = parse(all_json);
    g_autoptr(JsonNode) out = NULL;
    g_autoptr(TestAll) all = NULL;
    g_autofree char *text = NULL;
    GError *err = NULL;

    json_object_set_member(json_node_get_object(in), "u64",
                           parse("18446744073709551615"));
    json_object_set_member(json_node_get_object(in), "sz",
                           parse("9223372036854775808"));
    all = qapi_TestAll_from_json(in, NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpuint(all->u64, ==, UINT64_MAX);
    g_assert_cmpuint(all->sz, ==, 1ULL << 63);
    out = qapi_TestAll_to_json(all);
    text = render(out);
    g_assert_nonnull(strstr(text, "\"u64\": 18446744073709551615, "
                                  "\"sz\": 9223372036854775808,"));
}

static void test_marshal(void)
{
    g_autofree char *r1 = call("test-cmd", "{'name': 'n', 'count': 3, "
                                           "'colours': ['red', 'blue']}");
    g_autofree char *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL;

    g_assert_cmpstr(r1, ==, "{\"colour\": \"light-green\", \"note\": \"n\"}");
    g_assert_cmpstr(last_call, ==, "n has_count=1 count=3 colours=2");
    r2 = call("test-cmd", "{'name': 'm'}");
    g_assert_cmpstr(last_call, ==, "m has_count=0 count=0 colours=0");
    /* A list return that is empty is [] (NULL is not an error). */
    r3 = call("test-noargs", NULL);
    g_assert_cmpstr(r3, ==, "[]");
    r4 = call("test-boxed", "{'colour': 'blue', 'note': 'boxed!'}");
    g_assert_cmpstr(r4, ==, "{}");
    g_assert_cmpstr(last_call, ==, "boxed blue boxed!");
    r5 = call("test-struct-args", "{'colour': 'blue'}");
    g_assert_cmpstr(r5, ==, "2");
    g_assert_null(test_qmp_find_command("no-such-command"));
}

#define ASSERT_CALL(cmd, args, expected) do { \
        g_autofree char *r_ = call(cmd, args); \
        g_assert_cmpstr(r_, ==, expected); \
    } while (0)

static void test_marshal_errors(void)
{
    ASSERT_CALL("test-cmd", "{}",
                "GenericError: Parameter 'name' is missing");
    ASSERT_CALL("test-cmd", NULL,
                "GenericError: Parameter 'name' is missing");
    ASSERT_CALL("test-cmd", "{'name': 'x', 'cont': 1}",
                "GenericError: Parameter 'cont' is unexpected");
    ASSERT_CALL("test-cmd", "{'name': 'x', 'count': 'one'}",
                "GenericError: Invalid parameter type for 'count', "
                "expected: integer");
    ASSERT_CALL("test-cmd", "{'name': 'x', 'colours': ['red', 'rot']}",
                "GenericError: Parameter 'null' does not accept "
                "value 'rot'");
    /* The handler's own error keeps its class. */
    ASSERT_CALL("test-cmd", "{'name': 'fail'}",
                "DeviceNotFound: Device 'fail' not found");
    ASSERT_CALL("test-noargs", "{'x': 1}",
                "GenericError: Parameter 'x' is unexpected");
    ASSERT_CALL("test-boxed", "{'note': 'n'}",
                "GenericError: Parameter 'colour' is missing");
}

static void test_command_table(void)
{
    static const char *const names[] = {
        "test-cmd", "test-noargs", "test-boxed", "test-struct-args",
        "test-draw",
    };

    g_assert_cmpuint(test_qmp_commands_count, ==, G_N_ELEMENTS(names));
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        g_assert_cmpstr(test_qmp_commands[i].name, ==, names[i]);
        g_assert_true(test_qmp_find_command(names[i]) == &test_qmp_commands[i]);
    }
    /* The main schema's table has the commands QEMU clients rely on. */
    g_assert_nonnull(qmp_find_command("qmp_capabilities"));
    g_assert_nonnull(qmp_find_command("device_add"));
    g_assert_true(qmp_find_command("query-status")->allow_preconfig);
    g_assert_false(qmp_find_command("stop")->allow_preconfig);
}

static JsonObject *find_info(JsonArray *a, const char *name)
{
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(o, "name"), name)) {
            return o;
        }
    }
    return NULL;
}

static void test_introspect(void)
{
    g_autoptr(JsonNode) schema = parse(test_qmp_schema_json);
    JsonArray *a = json_node_get_array(schema);
    JsonObject *cmd, *args, *en, *ev, *member;
    JsonArray *members;

    cmd = find_info(a, "test-cmd");
    g_assert_nonnull(cmd);
    g_assert_cmpstr(json_object_get_string_member(cmd, "meta-type"), ==,
                    "command");
    g_assert_cmpstr(json_object_get_string_member(cmd, "ret-type"), ==,
                    "TestInner");
    args = find_info(a, json_object_get_string_member(cmd, "arg-type"));
    g_assert_nonnull(args);
    g_assert_cmpstr(json_object_get_string_member(args, "meta-type"), ==,
                    "object");
    members = json_object_get_array_member(args, "members");
    g_assert_cmpuint(json_array_get_length(members), ==, 3);
    member = json_array_get_object_element(members, 1);
    g_assert_cmpstr(json_object_get_string_member(member, "name"), ==,
                    "count");
    g_assert_cmpstr(json_object_get_string_member(member, "type"), ==, "int");
    g_assert_true(json_object_has_member(member, "default"));  /* optional */
    g_assert_nonnull(find_info(a, "[TestColour]"));
    en = find_info(a, "TestColour");
    g_assert_cmpstr(json_object_get_string_member(en, "meta-type"), ==,
                    "enum");
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(en, "values"), 1), ==,
                    "light-green");
    ev = find_info(a, "TEST_EVENT");
    g_assert_cmpstr(json_object_get_string_member(ev, "meta-type"), ==,
                    "event");
    g_assert_cmpstr(json_object_get_string_member(find_info(a, "int"),
                                                  "json-type"), ==, "int");
}

static void test_union(void)
{
    g_autoptr(JsonNode) in = parse(
        "[{\"kind\": \"circle\", \"radius\": 3, \"filled\": true},"
        " {\"kind\": \"square\", \"side\": 4, \"label\": \"sq\"},"
        " {\"kind\": \"dot\"}]");
    g_autoptr(JsonNode) bad_member = parse(
        "{\"kind\": \"square\", \"radius\": 3, \"side\": 1}");
    g_autoptr(JsonNode) bad_kind = parse("{\"kind\": \"cube\"}");
    g_autoptr(JsonNode) missing = parse("{\"kind\": \"circle\"}");
    g_autoptr(TestShapeList) shapes = NULL;
    g_autoptr(JsonNode) out = NULL;
    g_autofree char *text = NULL;
    GError *err = NULL;

    shapes = qapi_TestShapeList_from_json(in, NULL, &err);
    g_assert_no_error(err);
    g_assert_cmpint(shapes->value->kind, ==, TEST_SHAPE_KIND_CIRCLE);
    g_assert_cmpint(shapes->value->u.circle.radius, ==, 3);
    g_assert_true(shapes->value->u.circle.has_filled);
    g_assert_cmpint(shapes->next->value->u.square.side, ==, 4);
    g_assert_cmpstr(shapes->next->value->label, ==, "sq");
    g_assert_cmpint(shapes->next->next->value->kind, ==, TEST_SHAPE_KIND_DOT);
    out = qapi_TestShapeList_to_json(shapes);
    text = render(out);
    g_assert_cmpstr(text, ==,
                    "[{\"kind\": \"circle\", \"radius\": 3, "
                    "\"filled\": true}, {\"kind\": \"square\", "
                    "\"label\": \"sq\", \"side\": 4}, "
                    "{\"kind\": \"dot\"}]");

    /* A member of another variant is unexpected in this one. */
    g_assert_null(qapi_TestShape_from_json(bad_member, NULL, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'radius' is unexpected");
    g_clear_error(&err);
    g_assert_null(qapi_TestShape_from_json(bad_kind, NULL, &err));
    g_assert_cmpstr(err->message, ==,
                    "Parameter 'kind' does not accept value 'cube'");
    g_clear_error(&err);
    g_assert_null(qapi_TestShape_from_json(missing, NULL, &err));
    g_assert_cmpstr(err->message, ==, "Parameter 'radius' is missing");
    g_clear_error(&err);
}

static void test_introspect_union(void)
{
    g_autoptr(JsonNode) schema = parse(test_qmp_schema_json);
    JsonArray *a = json_node_get_array(schema);
    JsonObject *u = find_info(a, "TestShape");
    JsonObject *cmd = find_info(a, "test-draw");
    JsonObject *kind = find_info(a, "TestShapeKind");
    JsonObject *drawing = find_info(a, "TestDrawing");
    JsonArray *variants = json_object_get_array_member(u, "variants");
    JsonObject *pen;

    g_assert_cmpstr(json_object_get_string_member(u, "tag"), ==, "kind");
    g_assert_cmpuint(json_array_get_length(variants), ==, 2);
    g_assert_cmpstr(json_object_get_string_member(
                        json_array_get_object_element(variants, 1), "case"),
                    ==, "square");
    g_assert_cmpstr(json_object_get_string_member(
                        json_array_get_object_element(variants, 1), "type"),
                    ==, "TestSquare");
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(u, "features"), 0), ==,
                    "shape-feature");
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(cmd, "features"), 0), ==,
                    "json-cli");
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(
                            json_array_get_object_element(
                                json_object_get_array_member(kind, "members"),
                                2), "features"), 0), ==, "tiny");
    pen = json_array_get_object_element(
        json_object_get_array_member(drawing, "members"), 1);
    g_assert_cmpstr(json_array_get_string_element(
                        json_object_get_array_member(pen, "features"), 0), ==,
                    "deprecated");
    /* Types without features carry no "features" member at all. */
    g_assert_false(json_object_has_member(find_info(a, "TestSquare"),
                                          "features"));
}

static void test_events(void)
{
    /* No monitor is listening: nothing is built, nothing leaks. */
    qapi_event_send_test_event(NULL, 3);
    qapi_event_send_test_event("dev0", 4);
    qapi_event_send_test_empty_event();
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/qapi-gen/enum", test_enum);
    g_test_add_func("/qapi-gen/struct-roundtrip", test_struct_roundtrip);
    g_test_add_func("/qapi-gen/struct-optional-flags",
                    test_struct_optional_flags);
    g_test_add_func("/qapi-gen/struct-errors", test_struct_errors);
    g_test_add_func("/qapi-gen/integer-limits", test_integer_limits);
    g_test_add_func("/qapi-gen/uint64-roundtrip", test_uint64_roundtrip);
    g_test_add_func("/qapi-gen/marshal", test_marshal);
    g_test_add_func("/qapi-gen/marshal-errors", test_marshal_errors);
    g_test_add_func("/qapi-gen/command-table", test_command_table);
    g_test_add_func("/qapi-gen/introspect", test_introspect);
    g_test_add_func("/qapi-gen/events", test_events);
    g_test_add_func("/qapi-gen/union", test_union);
    g_test_add_func("/qapi-gen/introspect-union", test_introspect_union);
    int ret = g_test_run();
    g_free(last_call);
    return ret;
}
