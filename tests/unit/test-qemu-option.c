/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The key=value option syntax shared by -device, -netdev, -chardev... */
#include "qapi/error.h"
#include "qemu/option.h"

static QemuOpts *parse_ok(const char *s, const char *implied)
{
    GError *err = NULL;
    QemuOpts *opts = qemu_opts_parse(s, implied, &err);
    g_assert_no_error(err);
    g_assert_nonnull(opts);
    return opts;
}

static void test_implied_key(void)
{
    g_autoptr(QemuOpts) o = parse_ok("virtio-net-pci,id=nic0,mac=52:54:00:00:00:01",
                                     "driver");
    g_assert_cmpstr(qemu_opt_get(o, "driver"), ==, "virtio-net-pci");
    g_assert_cmpstr(qemu_opt_get(o, "id"), ==, "nic0");
    g_assert_cmpstr(qemu_opt_get(o, "mac"), ==, "52:54:00:00:00:01");
    g_assert_cmpuint(o->list->len, ==, 3);
}

static void test_explicit_first_key(void)
{
    g_autoptr(QemuOpts) o = parse_ok("driver=e1000e,id=x", "driver");
    g_assert_cmpstr(qemu_opt_get(o, "driver"), ==, "e1000e");
}

static void test_comma_escape(void)
{
    g_autoptr(QemuOpts) o = parse_ok("file,path=/tmp/a,,b,,,id=c", "backend");
    g_assert_cmpstr(qemu_opt_get(o, "path"), ==, "/tmp/a,b,");
    g_assert_cmpstr(qemu_opt_get(o, "id"), ==, "c");
    g_autofree char *s = qemu_opts_to_string(o);
    g_assert_cmpstr(s, ==, "backend=file,path=/tmp/a,,b,,,id=c");
}

static void test_flags(void)
{
    g_autoptr(QemuOpts) o = parse_ok("socket,id=m,server,nowait", "backend");
    g_assert_cmpstr(qemu_opt_get(o, "server"), ==, "on");
    g_assert_cmpstr(qemu_opt_get(o, "wait"), ==, "off");
}

static void test_last_value_wins(void)
{
    g_autoptr(QemuOpts) o = parse_ok("a=1,a=2", NULL);
    g_assert_cmpstr(qemu_opt_get(o, "a"), ==, "2");
    qemu_opt_unset(o, "a");
    g_assert_false(qemu_opt_has(o, "a"));
}

static void test_bool_spellings(void)
{
    const char *on[] = { "on", "yes", "true", "y" };
    const char *off[] = { "off", "no", "false", "n" };
    bool b;

    for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
        g_assert_true(qapi_bool_parse("x", on[i], &b, NULL));
        g_assert_true(b);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(off); i++) {
        g_assert_true(qapi_bool_parse("x", off[i], &b, NULL));
        g_assert_false(b);
    }
    GError *err = NULL;
    g_assert_false(qapi_bool_parse("failover", "maybe", &b, &err));
    g_assert_cmpstr(err->message, ==,
                    "Parameter 'failover' expects 'on' or 'off'");
    g_error_free(err);
}

static void test_sizes(void)
{
    uint64_t v;
    GError *err = NULL;

    g_assert_true(qemu_strtosz("s", "4096", &v, NULL));
    g_assert_cmpuint(v, ==, 4096);
    g_assert_true(qemu_strtosz("s", "2k", &v, NULL));
    g_assert_cmpuint(v, ==, 2048);
    g_assert_true(qemu_strtosz("s", "1.5G", &v, NULL));
    g_assert_cmpuint(v, ==, 3ULL << 29);
    g_assert_true(qemu_strtosz_MiB("size", "128", &v, NULL));
    g_assert_cmpuint(v, ==, 128ULL << 20);
    g_assert_true(qemu_strtosz_MiB("size", "1G", &v, NULL));
    g_assert_cmpuint(v, ==, 1ULL << 30);
    g_assert_false(qemu_strtosz("size", "12Q", &v, &err));
    g_assert_true(g_str_has_prefix(err->message,
        "Parameter 'size' expects a non-negative number below 2^64"));
    g_clear_error(&err);
    g_assert_false(qemu_strtosz("size", "-1", &v, NULL));
    g_assert_false(qemu_strtosz("size", "", &v, NULL));
    g_assert_false(qemu_strtosz("size", "99999999999999999999", &v, NULL));
    g_assert_false(qemu_strtosz("size", "20000000E", &v, NULL));
}

static void test_ids(void)
{
    g_assert_true(id_wellformed("standby0"));
    g_assert_true(id_wellformed("a-b.c_d"));
    g_assert_false(id_wellformed("0abc"));
    g_assert_false(id_wellformed("a b"));
    g_assert_false(id_wellformed(""));
}

static void test_empty_parameter(void)
{
    GError *err = NULL;
    QemuOpts *o = qemu_opts_parse("a=1,,b", NULL, &err);
    /* ",," is a literal comma inside the value */
    g_assert_no_error(err);
    g_assert_cmpstr(qemu_opt_get(o, "a"), ==, "1,b");
    qemu_opts_free(o);
    o = qemu_opts_parse("a=1,=x", NULL, &err);
    g_assert_null(o);
    g_assert_cmpstr(err->message, ==, "Invalid parameter ''");
    g_error_free(err);
}

static void test_from_json(void)
{
    g_autoptr(JsonParser) p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p,
        "{\"driver\": \"virtio-net\", \"rombar\": 0, \"failover\": true,"
        " \"list\": [1], \"obj\": {}}", -1, NULL));
    JsonObject *args = json_node_get_object(json_parser_get_root(p));
    g_autoptr(QemuOpts) o = qemu_opts_from_json(args);
    g_assert_cmpstr(qemu_opt_get(o, "driver"), ==, "virtio-net");
    g_assert_cmpstr(qemu_opt_get(o, "rombar"), ==, "0");
    g_assert_cmpstr(qemu_opt_get(o, "failover"), ==, "on");
    g_assert_false(qemu_opt_has(o, "list"));
    g_assert_false(qemu_opt_has(o, "obj"));
}

static void test_json_nested(void)
{
    GError *err = NULL;
    g_autoptr(QemuOpts) o = qemu_opts_parse_json(
        "{\"type\": \"user\", \"id\": \"n0\", \"restrict\": false, "
        "\"addr\": {\"type\": \"inet\", \"port\": 5555}, "
        "\"hostfwd\": [{\"str\": \"tcp::1-:22\"}, {\"str\": \"tcp::2-:80\"}]}",
        true, &err);
    g_autofree char *s = NULL;

    g_assert_no_error(err);
    s = qemu_opts_to_string(o);
    g_assert_cmpstr(s, ==, "type=user,id=n0,restrict=off,addr.type=inet,"
                    "addr.port=5555,hostfwd=tcp::1-:22,hostfwd=tcp::2-:80");

    g_assert_null(qemu_opts_parse_json("[1]", true, &err));
    g_assert_cmpstr(err->message, ==, "JSON option must be an object");
    g_clear_error(&err);
    g_assert_null(qemu_opts_parse_json("{\"a\":", false, &err));
    g_assert_cmpstr(err->message, ==, "JSON parse error, premature EOI");
    g_clear_error(&err);
}

/*
 * The command line's JSON is read by QMP's parser: QEMU's dialect (single
 * quotes) and its strictness (a key at most once, one value).
 */
static void test_json_strict(void)
{
    GError *err = NULL;
    g_autoptr(QemuOpts) o = qemu_opts_parse_json(
        "{'driver': 'virtio-net-pci', \"id\": 'n\\'1', 'big': "
        "18446744073709551615}", false, &err);

    g_assert_no_error(err);
    g_assert_cmpstr(qemu_opt_get(o, "id"), ==, "n'1");
    g_assert_cmpstr(qemu_opt_get(o, "big"), ==, "18446744073709551615");

    g_assert_null(qemu_opts_parse_json(
        "{\"driver\": \"virtio-net-pci\", \"id\": \"a\", \"id\": \"b\"}",
        false, &err));
    g_assert_cmpstr(err->message, ==, "JSON parse error, duplicate key");
    g_clear_error(&err);
    g_assert_null(qemu_opts_parse_json(
        "{\"type\": \"user\", \"id\": \"n0\", "
        "\"addr\": {\"port\": 1, \"port\": 2}}", true, &err));
    g_assert_cmpstr(err->message, ==, "JSON parse error, duplicate key");
    g_clear_error(&err);
    g_assert_null(qemu_opts_parse_json("{\"a\": 1} {\"b\": 2}", true,
                                       &err));
    g_assert_cmpstr(err->message, ==, "Expecting at most one JSON value");
    g_clear_error(&err);
    g_assert_null(qemu_opts_parse_json("{\"a\": tru}", true, &err));
    g_assert_true(g_str_has_prefix(err->message, "JSON parse error, "));
    g_clear_error(&err);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/option/implied-key", test_implied_key);
    g_test_add_func("/option/explicit-first-key", test_explicit_first_key);
    g_test_add_func("/option/comma-escape", test_comma_escape);
    g_test_add_func("/option/flags", test_flags);
    g_test_add_func("/option/last-value-wins", test_last_value_wins);
    g_test_add_func("/option/bool-spellings", test_bool_spellings);
    g_test_add_func("/option/sizes", test_sizes);
    g_test_add_func("/option/ids", test_ids);
    g_test_add_func("/option/empty-parameter", test_empty_parameter);
    g_test_add_func("/option/from-json", test_from_json);
    g_test_add_func("/option/json-nested", test_json_nested);
    g_test_add_func("/option/json-strict", test_json_strict);
    return g_test_run();
}
