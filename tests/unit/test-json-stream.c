/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The QMP input splitter: framing, QEMU's dialect, limits, recovery. */
#include <string.h>
#include "qapi/error.h"
#include "qemu/json-stream.h"
#include "monitor/monitor.h"
#include "monitor/monitor-internal.h"

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

/* The last value seen must be a clean parse of {"execute": "cont"}. */
static void assert_ends_clean(Collected *c)
{
    g_assert_cmpuint(c->values->len, >=, 2);
    g_assert_cmpstr(NTH(c, c->values->len - 1), ==, "{\"execute\": \"cont\"}");
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
    g_string_append(big, "\"}}");
    start = g_get_monotonic_time();
    json_stream_feed(js, big->str, big->len);
    /* Linear scan: 64 MiB is nowhere near ten seconds, even under ASan. */
    g_assert_cmpint(g_get_monotonic_time() - start, <, 10 * G_USEC_PER_SEC);
    g_assert_cmpuint(c->values->len, >=, 1);
    g_assert_cmpstr(NTH(c, 0), ==, "ERR: JSON token size limit exceeded");
    /* What follows the cut is read as new input; 0xFF resynchronises. */
    feed_str(js, "\xff{\"execute\": \"cont\"}");
    assert_ends_clean(c);
    g_string_free(big, TRUE);
    json_stream_free(js);
    collected_free(c);
}

/* QEMU processes a 1 MiB string argument (the old limit refused it). */
static void test_mebibyte_string(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    GString *big = g_string_new("{\"s\": \"");
    gint64 start;

    while (big->len < 1024 * 1024 + 7) {
        g_string_append_c(big, 'a' + big->len % 26);
    }
    g_string_append(big, "\"}");
    start = g_get_monotonic_time();
    json_stream_feed(js, big->str, big->len);
    g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_cmpstr(NTH(c, 0), ==, big->str);
    g_string_free(big, TRUE);
    json_stream_free(js);
    collected_free(c);
}

static GString *nested(int depth)
{
    GString *s = g_string_new(NULL);

    for (int i = 0; i < depth; i++) {
        g_string_append(s, i % 2 ? "[" : "{\"a\": ");
    }
    g_string_append(s, "1");
    for (int i = depth - 1; i >= 0; i--) {
        g_string_append(s, i % 2 ? "]" : "}");
    }
    return s;
}

static void test_depth_limit(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    GString *ok = nested(JSON_STREAM_MAX_DEPTH);
    GString *deep = nested(JSON_STREAM_MAX_DEPTH + 1);

    json_stream_feed(js, ok->str, ok->len);
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_cmpstr(NTH(c, 0), ==, ok->str);
    json_stream_feed(js, deep->str, deep->len);
    g_assert_cmpuint(c->values->len, >=, 2);
    g_assert_cmpstr(NTH(c, 1), ==, "ERR: JSON nesting depth limit exceeded");
    feed_str(js, "\xff{\"execute\": \"cont\"}");
    assert_ends_clean(c);
    g_string_free(ok, TRUE);
    g_string_free(deep, TRUE);
    json_stream_free(js);
    collected_free(c);
}

/*
 * QMP's documented recovery: whatever state the parser is in (inside a
 * string, an object, after a truncated value), a control character or
 * 0xFF is a lexical error that is answered and leaves it clean.
 */
static void test_resync(void)
{
    static const struct {
        const char *garbage;
        const char *reply;
    } cases[] = {
        { "{'execute': 'cont', 'id': 'unterminated\xff",
          "ERR: JSON parse error, stray ''unterminated\xff'" },
        { "{\"execute\": \"cont\", \"id\": \"x\x01",
          "ERR: JSON parse error, stray '\"x\x01'" },
        { "{\"a\": {\"b\": [1, 2\xff", "ERR: JSON parse error, stray '\xff'" },
        { "{\"execute\":\x01", "ERR: JSON parse error, stray '\x01'" },
        { "[[[{{\x1b", "ERR: JSON parse error, stray '\x1b'" },
        { "{\"a\": 12\xfe", "ERR: JSON parse error, stray '\xfe'" },
        { "{'bad \n", "ERR: JSON parse error, stray ''bad \n'" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Collected *c = collected_new();
        JsonStream *js = json_stream_new(collect, c);

        feed_str(js, cases[i].garbage);
        g_assert_cmpuint(c->values->len, ==, 1);
        g_assert_cmpstr(NTH(c, 0), ==, cases[i].reply);
        feed_str(js, "{\"execute\": \"cont\"}");
        g_assert_cmpuint(c->values->len, ==, 2);
        assert_ends_clean(c);
        json_stream_free(js);
        collected_free(c);
    }
}

/* After a lexical error, bytes up to a structural character are skipped. */
static void test_recovery_skips(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "{\xff junk 'and \"more\" 12{\"execute\": \"cont\"}");
    g_assert_cmpuint(c->values->len, ==, 2);
    g_assert_cmpstr(NTH(c, 0), ==, "ERR: JSON parse error, stray '\xff'");
    assert_ends_clean(c);
    /* A second 0xFF while resynchronising is one more error, no more. */
    feed_str(js, "%%p\xff\xff{\"execute\": \"cont\"}");
    g_assert_cmpuint(c->values->len, ==, 6);
    g_assert_cmpstr(NTH(c, 2), ==, "ERR: JSON parse error, stray '%'");
    g_assert_cmpstr(NTH(c, 3), ==, "ERR: JSON parse error, stray '\xff'");
    g_assert_cmpstr(NTH(c, 4), ==, "ERR: JSON parse error, stray '\xff'");
    assert_ends_clean(c);
    json_stream_free(js);
    collected_free(c);
}

static void test_lexical_errors(void)
{
    static const struct {
        const char *in;
        const char *reply;
    } cases[] = {
        { "{\"a\": 01}", "ERR: JSON parse error, stray '01'" },
        { "{\"a\": -x}", "ERR: JSON parse error, stray '-x'" },
        { "{\"a\": 1.}", "ERR: JSON parse error, stray '1.}'" },
        { "{\"a\": 1e+}", "ERR: JSON parse error, stray '1e+}'" },
        { "{\"a\": True}", "ERR: JSON parse error, stray 'T'" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Collected *c = collected_new();
        JsonStream *js = json_stream_new(collect, c);

        feed_str(js, cases[i].in);
        g_assert_cmpuint(c->values->len, >=, 1);
        g_assert_cmpstr(NTH(c, 0), ==, cases[i].reply);
        json_stream_free(js);
        collected_free(c);
    }
}

static void test_duplicate_key(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);

    feed_str(js, "{\"execute\": \"query-status\", \"id\": \"a\", "
                 "\"execute\": \"query-version\"}"
                 "{\"a\": {\"b\": 1, 'b': 2}}{\"a\": {\"b\": 1}, \"b\": 1}");
    g_assert_cmpuint(c->values->len, ==, 3);
    g_assert_cmpstr(NTH(c, 0), ==, "ERR: JSON parse error, duplicate key");
    g_assert_cmpstr(NTH(c, 1), ==, "ERR: JSON parse error, duplicate key");
    g_assert_cmpstr(NTH(c, 2), ==, "{\"a\": {\"b\": 1}, \"b\": 1}");
    json_stream_free(js);
    collected_free(c);
}

static void keep_string(void *opaque, JsonNode *value, GError *err)
{
    char **out = opaque;

    g_assert_null(err);
    *out = g_strdup(json_node_get_string(value));
    json_node_unref(value);
}

/* Strings are modified UTF-8: U+0000 is kept, as "\xC0\x80". */
static void test_strings(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    g_autofree char *s = NULL;

    feed_str(js, "[\"query-status\\u0000\", \"\\u00e9\\uD83D\\uDE00\xc3\xa9\","
                 " \"\xc0\x80\"]");
    g_assert_cmpuint(c->values->len, ==, 1);
    g_assert_cmpstr(NTH(c, 0), ==, "[\"query-status\\u0000\", "
                    "\"\\u00E9\\uD83D\\uDE00\\u00E9\", \"\\u0000\"]");
    json_stream_free(js);
    collected_free(c);

    js = json_stream_new(keep_string, &s);
    feed_str(js, "\"a\\u0000b\"");
    g_assert_cmpstr(s, ==, "a\xc0\x80" "b");
    json_stream_free(js);
}

static void test_bad_strings(void)
{
    static const struct {
        const char *in;
        const char *reply;
    } cases[] = {
        { "\"\xc3\x28\"", "invalid UTF-8 sequence in string" },
        { "\"\xed\xa0\x80\"", "invalid UTF-8 sequence in string" },
        { "\"\xc1\xbf\"", "invalid UTF-8 sequence in string" },
        { "\"\\uD800\"", "\\uD800 is not a valid Unicode character" },
        { "\"\\uD800\\u0041\"", "\\uD800 is not a valid Unicode character" },
        { "\"\\uFFFF\"", "\\uFFFF is not a valid Unicode character" },
        { "\"\\u12G4\"", "\\u12G4 is not a valid Unicode character" },
        { "\"\\u1\"", "\\u1\" is not a valid Unicode character" },
        { "\"\\x\"", "invalid escape sequence in string" },
    };

    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        Collected *c = collected_new();
        JsonStream *js = json_stream_new(collect, c);
        g_autofree char *want = g_strdup_printf("ERR: JSON parse error, %s",
                                                cases[i].reply);

        feed_str(js, cases[i].in);
        g_assert_cmpuint(c->values->len, ==, 1);
        g_assert_cmpstr(NTH(c, 0), ==, want);
        json_stream_free(js);
        collected_free(c);
    }
}

/* int64, else exact uint64, else double: QEMU's QNum. */
static void test_numbers(void)
{
    Collected *c = collected_new();
    JsonStream *js = json_stream_new(collect, c);
    GString *huge = g_string_new("[1");

    for (int i = 0; i < 399; i++) {
        g_string_append_c(huge, '0');
    }
    g_string_append(huge, "]");
    feed_str(js, "[9223372036854775807, -9223372036854775808, "
                 "9223372036854775808, 18446744073709551615, "
                 "18446744073709551616, -9223372036854775809, -0, 1.5e3]");
    json_stream_feed(js, huge->str, huge->len);
    g_assert_cmpuint(c->values->len, ==, 2);
    g_assert_cmpstr(NTH(c, 0), ==,
                    "[9223372036854775807, -9223372036854775808, "
                    "9223372036854775808, 18446744073709551615, "
                    "1.8446744073709552e+19, -9.2233720368547758e+18, 0, "
                    "1500]");
    g_assert_cmpstr(NTH(c, 1), ==, "[inf]");
    g_string_free(huge, TRUE);
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

/*
 * Stream errors are rendered without building the response object; the
 * text must be what the object would render to, in both layouts.
 */
static void test_render_error(void)
{
    static const char *const msgs[] = {
        "JSON parse error, stray '\xff'",
        "quote \" backslash \\ newline \n tab \t \x01",
        "caf\xc3\xa9 \xf0\x9f\x98\x80 \xc3",
        "",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(msgs); i++) {
        for (int pretty = 0; pretty < 2; pretty++) {
            GError *err = NULL;
            JsonObject *rsp;
            JsonNode *node;
            g_autofree char *want = NULL;
            g_autofree char *got = NULL;

            error_set(&err, i % 2 ? ERROR_CLASS_COMMAND_NOT_FOUND
                                  : ERROR_CLASS_GENERIC_ERROR, "%s", msgs[i]);
            rsp = qmp_error_response(err);
            node = json_node_init_object(json_node_alloc(), rsp);
            want = qmp_json_to_string(node, pretty);
            got = qmp_error_to_string(err, pretty);
            g_assert_cmpstr(got, ==, want);
            json_node_unref(node);
            json_object_unref(rsp);
            g_error_free(err);
        }
    }
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
    g_test_add_func("/json-stream/mebibyte-string", test_mebibyte_string);
    g_test_add_func("/json-stream/depth-limit", test_depth_limit);
    g_test_add_func("/json-stream/resync", test_resync);
    g_test_add_func("/json-stream/recovery-skips", test_recovery_skips);
    g_test_add_func("/json-stream/lexical-errors", test_lexical_errors);
    g_test_add_func("/json-stream/duplicate-key", test_duplicate_key);
    g_test_add_func("/json-stream/strings", test_strings);
    g_test_add_func("/json-stream/bad-strings", test_bad_strings);
    g_test_add_func("/json-stream/numbers", test_numbers);
    g_test_add_func("/json-stream/reset", test_reset);
    g_test_add_func("/json-stream/render", test_render);
    g_test_add_func("/json-stream/render-pretty", test_render_pretty);
    g_test_add_func("/json-stream/render-error", test_render_error);
    return g_test_run();
}
