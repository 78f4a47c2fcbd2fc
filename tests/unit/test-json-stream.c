/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The QMP input splitter: framing, QEMU's dialect, limits, recovery. */
#include <string.h>
#include "qapi/error.h"
#include "monitor/json-stream.h"
#include "monitor/monitor.h"

typedef struct Collected {
    GPtrArray *values;          /* char *: rendered value or "ERR: msg" */
} Collected;

static void collect(void *opaque, JsonNode *value, GError *err)
{
    Collected *c = opaque;

    if (err) {
        g_ptr_array_add(c->values, g_strdup_printf("ERR: %s", err->message));
        g_error_free(err);
    } else {
        g_ptr_array_add(c->values, qmp_json_to_string(value, false));
        json_node_unref(value);
    }
}

static Collected *collected_new(void)
{
    Collected *c = g_new0(Collected, 1);

    c->values = g_ptr_array_new_with_free_func(g_free);
    return c;
}

static void collected_free(Collected *c)
{
    g_ptr_array_free(c->values, TRUE);
    g_free(c);
}

#define NTH(c, i) ((const char *)g_ptr_array_index((c)->values, (i)))

static void feed_str(JsonStream *js, const char *s)
{
    json_stream_feed(js, s, strlen(s));
}

static void test_many_in_one_chunk(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "{\"a\": 1}{\"b\": [1, 2]}\n  {\"c\": {\"d\": \"}\"}}\r\n");
    g_assert_cmpuint(c->values->len, ==, 3);
    g_assert_cmpstr(NTH(c, 0), ==, "{\"a\": 1}");
    g_assert_cmpstr(NTH(c, 1), ==, "{\"b\": [1, 2]}");
    g_assert_cmpstr(NTH(c, 2), ==, "{\"c\": {\"d\": \"}\"}}");
    json_stream_free(js);
    collected_free(c);
}

static void test_byte_by_byte(void)
{
    const char *in = "{\"execute\": \"query-status\", \"id\": "
                     "[1, \"x\\\"}\"]}";
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    for (size_t i = 0; in[i]; i++) {
        g_assert_cmpuint(c->values->len, ==, 0);
        json_stream_feed(js, in + i, 1);
    }
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_cmpstr(NTH(c, 0), ==,
                    "{\"execute\": \"query-status\", \"id\": [1, \"x\\\"}\"]}");
    json_stream_free(js);
    collected_free(c);
}

static void test_single_quotes(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "{'execute': 'qom-get', 'arguments': "
                 "{'path': 'it\\'s \"here\"', 'property': \"a'b\"}}");
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_cmpstr(NTH(c, 0), ==,
                    "{\"execute\": \"qom-get\", \"arguments\": "
                    "{\"path\": \"it's \\\"here\\\"\", "
                    "\"property\": \"a'b\"}}");
    json_stream_free(js);
    collected_free(c);
}

static void test_top_level_scalars(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "42 'str' true [1] foo }\n{}");
    g_assert_cmpuint(c->values->len, ==, 7);
    g_assert_cmpstr(NTH(c, 0), ==, "42");
    g_assert_cmpstr(NTH(c, 1), ==, "\"str\"");
    g_assert_cmpstr(NTH(c, 2), ==, "true");
    g_assert_cmpstr(NTH(c, 3), ==, "[1]");
    g_assert_cmpstr(NTH(c, 4), ==,
                    "ERR: JSON parse error, invalid keyword 'foo'");
    g_assert_cmpstr(NTH(c, 5), ==, "ERR: JSON parse error, expecting value");
    g_assert_cmpstr(NTH(c, 6), ==, "{}");
    json_stream_free(js);
    collected_free(c);
}

static void test_garbage_then_recovery(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "{\"execute\": nonsense}{\"execute\": \"cont\"}"
                 "{\"a\": }{\"n\": [1e5, -2E-3, true, false, null]}");
    g_assert_cmpuint(c->values->len, ==, 4);
    g_assert_cmpstr(NTH(c, 0), ==,
                    "ERR: JSON parse error, invalid keyword 'nonsense'");
    g_assert_cmpstr(NTH(c, 1), ==, "{\"execute\": \"cont\"}");
    g_assert_true(g_str_has_prefix(NTH(c, 2), "ERR: JSON parse error, "));
    g_assert_null(strstr(NTH(c, 2), "<data>"));
    g_assert_cmpstr(NTH(c, 3), ==,
                    "{\"n\": [100000, -0.002, true, false, null]}");
    json_stream_free(js);
    collected_free(c);
}

static void test_size_limit(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    GString *big = g_string_new("{\"execute\": \"x\", "
                                "\"arguments\": {\"s\": \"");
    gint64 start;

    while (big->len < JSON_STREAM_MAX_SIZE + 100) {
        g_string_append(big, "abcdefgh{}[]'");
    }
    g_string_append(big, "\"}}{\"execute\": \"cont\"}");
    start = g_get_monotonic_time();
    json_stream_feed(js, big->str, big->len);
    /* Linear scan: a megabyte is nowhere near a second. */
    g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
    g_assert_cmpuint(c->values->len, ==, 2);
    g_assert_cmpstr(NTH(c, 0), ==, "ERR: JSON token size limit exceeded");
    g_assert_cmpstr(NTH(c, 1), ==, "{\"execute\": \"cont\"}");
    g_string_free(big, TRUE);
    json_stream_free(js);
    collected_free(c);
}

static void test_just_under_size_limit(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    GString *big = g_string_new("{\"s\": \"");

    while (big->len < JSON_STREAM_MAX_SIZE - 100) {
        g_string_append_c(big, 'x');
    }
    g_string_append(big, "\"}");
    json_stream_feed(js, big->str, big->len);
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_false(g_str_has_prefix(NTH(c, 0), "ERR"));
    g_string_free(big, TRUE);
    json_stream_free(js);
    collected_free(c);
}

static void test_depth_limit(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    GString *deep = g_string_new(NULL);
    int i;

    for (i = 0; i < JSON_STREAM_MAX_DEPTH + 10; i++) {
        g_string_append(deep, "{\"a\": [");
    }
    for (i = 0; i < JSON_STREAM_MAX_DEPTH + 10; i++) {
        g_string_append(deep, "]}");
    }
    g_string_append(deep, "{\"execute\": \"cont\"}");
    json_stream_feed(js, deep->str, deep->len);
    g_assert_cmpuint(c->values->len, ==, 2);
    g_assert_cmpstr(NTH(c, 0), ==, "ERR: JSON nesting depth limit exceeded");
    g_assert_cmpstr(NTH(c, 1), ==, "{\"execute\": \"cont\"}");
    g_string_free(deep, TRUE);
    json_stream_free(js);
    collected_free(c);
}

static void test_reset(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "{\"half\": ['abc");
    json_stream_reset(js);
    feed_str(js, "{\"whole\": 1}");
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_cmpstr(NTH(c, 0), ==, "{\"whole\": 1}");
    json_stream_free(js);
    collected_free(c);
}

static void test_render(void)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autofree char *s = NULL;

    g_assert_true(json_parser_load_from_data(
        p, "{\"a\": [1, -2.5, true, null, \"\\u00e9\\n\\t\\\"\\\\\"], "
           "\"b\": {}, \"c\": []}", -1, NULL));
    s = qmp_json_to_string(json_parser_get_root(p), false);
    g_assert_cmpstr(s, ==, "{\"a\": [1, -2.5, true, null, "
                           "\"\\u00E9\\n\\t\\\"\\\\\"], \"b\": {}, \"c\": []}");
}

static void test_render_pretty(void)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_autofree char *s = NULL;

    g_assert_true(json_parser_load_from_data(
        p, "{\"a\": [1, \"x\"], \"b\": {}}", -1, NULL));
    s = qmp_json_to_string(json_parser_get_root(p), true);
    /* QEMU's -qmp-pretty layout: even an empty {} is broken over lines. */
    g_assert_cmpstr(s, ==, "{\n    \"a\": [\n        1,\n        \"x\"\n"
                           "    ],\n    \"b\": {\n    }\n}");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/json-stream/many-in-one-chunk", test_many_in_one_chunk);
    g_test_add_func("/json-stream/byte-by-byte", test_byte_by_byte);
    g_test_add_func("/json-stream/single-quotes", test_single_quotes);
    g_test_add_func("/json-stream/top-level-scalars", test_top_level_scalars);
    g_test_add_func("/json-stream/garbage-then-recovery",
                    test_garbage_then_recovery);
    g_test_add_func("/json-stream/size-limit", test_size_limit);
    g_test_add_func("/json-stream/just-under-size-limit",
                    test_just_under_size_limit);
    g_test_add_func("/json-stream/depth-limit", test_depth_limit);
    g_test_add_func("/json-stream/reset", test_reset);
    g_test_add_func("/json-stream/render", test_render);
    g_test_add_func("/json-stream/render-pretty", test_render_pretty);
    return g_test_run();
}
