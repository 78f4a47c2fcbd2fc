/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvirt-schema-test: what libvirt 9.0 reads in query-qmp-schema to
 * choose its command-line forms and capability flags, and that what the
 * schema claims works: -device/-netdev/-object and netdev_add/object-add
 * in the JSON forms libvirt writes, and the schema's lists of backends
 * and object types matching what baton really has.
 */
#include <string.h>

#include "libqtest.h"

static JsonArray *schema;
static JsonNode *schema_node;

static JsonObject *lookup(const char *name)
{
    for (guint i = 0; i < json_array_get_length(schema); i++) {
        JsonObject *e = json_array_get_object_element(schema, i);

        if (!strcmp(json_object_get_string_member(e, "name"), name)) {
            return e;
        }
    }
    return NULL;
}

/* Follow a type name through arrays to the element type. */
static JsonObject *resolve(const char *name)
{
    JsonObject *e = lookup(name);

    while (e && !strcmp(json_object_get_string_member(e, "meta-type"),
                        "array")) {
        e = lookup(json_object_get_string_member(e, "element-type"));
    }
    return e;
}

static bool in_list(JsonObject *e, const char *list, const char *key,
                    const char *want)
{
    JsonArray *a;

    if (!json_object_has_member(e, list)) {
        return false;
    }
    a = json_object_get_array_member(e, list);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonNode *n = json_array_get_element(a, i);
        const char *s = JSON_NODE_HOLDS_OBJECT(n)
            ? json_object_get_string_member(json_node_get_object(n), key)
            : json_node_get_string(n);

        if (!strcmp(s, want)) {
            return true;
        }
    }
    return false;
}

/* The element of e's array @list whose @key is @want, as its "type". */
static const char *find_type(JsonObject *e, const char *list,
                             const char *key, const char *want)
{
    JsonArray *a;

    if (!json_object_has_member(e, list)) {
        return NULL;
    }
    a = json_object_get_array_member(e, list);
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *v = json_array_get_object_element(a, i);

        if (!strcmp(json_object_get_string_member(v, key), want)) {
            return json_object_get_string_member(v, "type");
        }
    }
    return NULL;
}

static const char *variant_type(JsonObject *e, const char *tag)
{
    return find_type(e, "variants", "case", tag);
}

static const char *member_type(JsonObject *e, const char *name)
{
    return find_type(e, "members", "name", name);
}

/*
 * libvirt's schema query language (src/qemu/qemu_qapi.c): a command name,
 * then arg-type/ret-type, member names, "+case" for a union branch,
 * "^value" for an enum value and "$feature" for a feature.
 */
static bool schema_has(const char *query)
{
    g_auto(GStrv) parts = g_strsplit(query, "/", -1);
    JsonObject *e = lookup(parts[0]);

    for (int i = 1; e && parts[i]; i++) {
        const char *p = parts[i];
        const char *next;

        if (p[0] == '$') {
            return in_list(e, "features", NULL, p + 1) && !parts[i + 1];
        }
        if (p[0] == '^') {
            return in_list(e, "values", NULL, p + 1) && !parts[i + 1];
        }
        if (!strcmp(p, "arg-type") || !strcmp(p, "ret-type")) {
            next = json_object_get_string_member(e, p);
        } else if (p[0] == '+') {
            next = variant_type(e, p + 1);
        } else {
            next = member_type(e, p);
        }
        e = next ? resolve(next) : NULL;
    }
    return e != NULL;
}

/* The queries of libvirt 9.0's virQEMUCapsQMPSchemaQueries, answered as
 * QEMU 8.1 answers them for what baton implements. */
static void test_libvirt_queries(void)
{
    static const char *const present[] = {
        "device_add/$json-cli-hotplug",
        "device_add/$json-cli",
        "netdev_add/arg-type/type/^dgram",
        "netdev_add/arg-type/+stream",
        "object-add/arg-type/qom-type/^secret",
        "query-hotpluggable-cpus/ret-type/props/die-id",
        "query-iothreads/ret-type/poll-max-ns",
        "query-named-block-nodes/arg-type/flat",
        "query-migrate/ret-type/blocked-reasons",
        /* what the JSON forms carry */
        "netdev_add/arg-type/+stream/addr/+unix/path",
        "netdev_add/arg-type/+dgram/remote/+inet/port",
        "netdev_add/arg-type/+user/hostfwd/str",
        "netdev_add/arg-type/+tap/vhost",
        "object-add/arg-type/+secret/file",
        "object-add/arg-type/+memory-backend-ram/size",
    };
    /* Features baton does not have: libvirt must not think it does. */
    static const char *const absent[] = {
        "netdev_add/arg-type/+vhost-vdpa",
        "object-add/arg-type/+iothread/thread-pool-max",
        "object-add/arg-type/+sev-guest/kernel-hashes",
        "blockdev-add/arg-type/+file/aio/^io_uring",
        "chardev-add/arg-type/backend/+socket/data/reconnect",
        "set-numa-node/arg-type/+hmat-lb",
        "query-display-options/ret-type/+sdl",
        "screendump/arg-type/device",
        "calc-dirty-rate/arg-type/mode",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(present); i++) {
        if (!schema_has(present[i])) {
            g_error("schema lacks %s", present[i]);
        }
    }
    for (size_t i = 0; i < G_N_ELEMENTS(absent); i++) {
        if (schema_has(absent[i])) {
            g_error("schema claims %s", absent[i]);
        }
    }
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The variants of a union as a sorted, comma-separated string. */
static char *variant_cases(const char *type)
{
    JsonArray *a = json_object_get_array_member(lookup(type), "variants");
    g_autoptr(GPtrArray) cases = g_ptr_array_new();

    for (guint i = 0; i < json_array_get_length(a); i++) {
        g_ptr_array_add(cases, (char *)json_object_get_string_member(
                            json_array_get_object_element(a, i), "case"));
    }
    g_ptr_array_sort(cases, cmp_str);
    g_ptr_array_add(cases, NULL);
    return g_strjoinv(",", (char **)cases->pdata);
}

/* ObjectOptions names exactly the user-creatable types baton has. */
static void test_object_types(void)
{
    g_autoptr(QTestState) qts = qtest_init("-machine none");
    g_autoptr(JsonNode) types = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-list-types', "
        "'arguments': {'implements': 'user-creatable'}}");
    JsonArray *a = json_node_get_array(types);
    g_autoptr(GPtrArray) names = g_ptr_array_new();
    g_autofree char *want = NULL;
    g_autofree char *cases = variant_cases("ObjectOptions");

    for (guint i = 0; i < json_array_get_length(a); i++) {
        g_ptr_array_add(names, (char *)json_object_get_string_member(
                            json_array_get_object_element(a, i), "name"));
    }
    g_ptr_array_sort(names, cmp_str);
    g_ptr_array_add(names, NULL);
    want = g_strjoinv(",", (char **)names->pdata);
    g_assert_cmpstr(cases, ==, want);
}

/*
 * Netdev's branches are the backends baton has; every other QEMU type
 * is refused as by a QEMU built without it.
 */
static void test_netdev_types(void)
{
    g_autoptr(QTestState) qts = qtest_init("-machine none");
    g_autofree char *cases = variant_cases("Netdev");
    JsonArray *values = json_object_get_array_member(
        lookup("NetClientDriver"), "values");

    g_assert_cmpstr(cases, ==, "dgram,hubport,socket,stream,tap,user");
    for (guint i = 0; i < json_array_get_length(values); i++) {
        const char *v = json_array_get_string_element(values, i);
        g_autofree char *msg = NULL;

        if (variant_type(lookup("Netdev"), v)) {
            continue;
        }
        msg = g_strdup_printf("network backend '%s' is not compiled into "
                              "this binary", v);
        qtest_qmp_expect_error(qts, "GenericError", msg,
                               "{'execute': 'netdev_add', 'arguments': "
                               "{'type': '%s', 'id': 'n%u'}}", v, i);
    }
}

/* The JSON netdev_add/object-add arguments the schema describes work. */
static void test_json_hotplug(void)
{
    g_autoptr(QTestState) qts = qtest_init("-machine none");
    g_autofree char *dir = g_dir_make_tmp("libvirt-schema-XXXXXX", NULL);
    g_autofree char *sock = g_build_filename(dir, "s", NULL);

    qtest_qmp_assert_success(qts,
        "{'execute': 'netdev_add', 'arguments': {'type': 'user', "
        "'id': 'u0', 'net': '10.0.3.0/24', 'restrict': false, "
        "'hostfwd': [{'str': 'tcp:127.0.0.1:0-:22'}], "
        "'dnssearch': [{'str': 'example.org'}]}}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'netdev_add', 'arguments': {'type': 'stream', "
        "'id': 's0', 'server': true, "
        "'addr': {'type': 'unix', 'path': '%s'}}}", sock);
    qtest_qmp_assert_success(qts,
        "{'execute': 'netdev_add', 'arguments': {'type': 'dgram', "
        "'id': 'd0', 'local': {'type': 'inet', 'host': '127.0.0.1', "
        "'port': '0'}, 'remote': {'type': 'inet', 'host': '127.0.0.1', "
        "'port': '9'}}}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'netdev_add', 'arguments': {'type': 'hubport', "
        "'id': 'h0', 'hubid': 1, 'netdev': 'u0'}}");
    /* Checked against the Netdev union as QEMU's visitor checks it. */
    qtest_qmp_expect_error(qts, "GenericError",
        "Invalid parameter type for 'restrict', expected: boolean",
        "{'execute': 'netdev_add', 'arguments': {'type': 'user', "
        "'id': 'u1', 'restrict': 'yes'}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'bogus' is unexpected",
        "{'execute': 'netdev_add', 'arguments': {'type': 'user', "
        "'id': 'u1', 'bogus': 1}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'addr.path' is missing",
        "{'execute': 'netdev_add', 'arguments': {'type': 'stream', "
        "'id': 's1', 'addr': {'type': 'unix'}}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Invalid parameter type for 'hubid', expected: integer",
        "{'execute': 'netdev_add', 'arguments': {'type': 'hubport', "
        "'id': 'h1', 'hubid': '1'}}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'object-add', 'arguments': {'qom-type': 'secret', "
        "'id': 'sec0', 'format': 'raw', 'data': 'letmein'}}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'memory-backend-ram', 'id': 'm0', 'size': 1048576, "
        "'share': false}}");
    qtest_qmp_assert_success(qts,
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'filter-buffer', 'id': 'f0', 'netdev': 'u0', 'queue': 'tx', "
        "'interval': 1000}}");
    qtest_quit(qts);
    qts = NULL;
    unlink(sock);
    rmdir(dir);
}

int main(int argc, char **argv)
{
    QTestState *qts;
    int ret;

    g_test_init(&argc, &argv, NULL);
    qts = qtest_init("-machine none");
    schema_node = qtest_qmp_assert_success_ref(qts,
                                               "{'execute': "
                                               "'query-qmp-schema'}");
    schema = json_node_get_array(schema_node);
    qtest_quit(qts);

    qtest_add_func("/libvirt-schema/queries", test_libvirt_queries);
    qtest_add_func("/libvirt-schema/object-types", test_object_types);
    qtest_add_func("/libvirt-schema/netdev-types", test_netdev_types);
    qtest_add_func("/libvirt-schema/json-hotplug", test_json_hotplug);
    ret = g_test_run();
    json_node_unref(schema_node);
    return ret;
}
