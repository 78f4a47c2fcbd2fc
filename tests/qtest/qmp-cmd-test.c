/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The queries management software and QEMU's qmp-cmd-test send on every
 * start: machine types, CPUs, chardevs, balloon, memory, command-line
 * options, QOM type properties, and the empty lists of subsystems baton
 * does not have.  Every query-* command in the schema must answer.
 */
#include <string.h>

#include "libqtest.h"

static JsonNode *ret(QTestState *qts, const char *cmd)
{
    return qtest_qmp_assert_success_ref(qts, "%s", cmd);
}

/* The element of array a whose string member key equals value, or NULL. */
static JsonObject *find(JsonArray *a, const char *key, const char *value)
{
    for (guint i = 0; i < json_array_get_length(a); i++) {
        JsonObject *o = json_array_get_object_element(a, i);

        if (!g_strcmp0(json_object_get_string_member_with_default(o, key,
                                                                  NULL),
                       value)) {
            return o;
        }
    }
    return NULL;
}

static void test_target_and_machines(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    g_autoptr(JsonNode) target = ret(qts, "{'execute': 'query-target'}");
    g_autoptr(JsonNode) machines = ret(qts, "{'execute': 'query-machines'}");
    JsonArray *m = json_node_get_array(machines);
    JsonObject *q35 = find(m, "name", "pc-q35-8.1");
    JsonObject *none = find(m, "name", "none");
    JsonObject *pc;

    g_assert_cmpstr(json_object_get_string_member(
                        json_node_get_object(target), "arch"), ==, "x86_64");
    g_assert_nonnull(q35);
    g_assert_cmpstr(json_object_get_string_member(q35, "alias"), ==, "q35");
    /* QEMU 8.1's x86_64 default is pc, not q35. */
    g_assert_false(json_object_has_member(q35, "is-default"));
    g_assert_true(json_object_get_boolean_member(q35, "hotpluggable-cpus"));
    g_assert_true(json_object_get_boolean_member(q35, "acpi"));
    g_assert_cmpint(json_object_get_int_member(q35, "cpu-max"), ==, 288);
    g_assert_cmpstr(json_object_get_string_member(q35, "default-cpu-type"),
                    ==, "qemu64-x86_64-cpu");
    g_assert_cmpstr(json_object_get_string_member(q35, "default-ram-id"),
                    ==, "pc.ram");
    g_assert_nonnull(none);
    g_assert_false(json_object_has_member(none, "alias"));
    g_assert_false(json_object_has_member(none, "is-default"));
    g_assert_false(json_object_get_boolean_member(none, "acpi"));
    g_assert_cmpint(json_object_get_int_member(none, "cpu-max"), ==, 1);
    pc = find(m, "name", "pc-i440fx-8.1");
    g_assert_nonnull(pc);
    g_assert_cmpstr(json_object_get_string_member(pc, "alias"), ==, "pc");
    g_assert_true(json_object_get_boolean_member(pc, "is-default"));
    g_assert_cmpint(json_object_get_int_member(pc, "cpu-max"), ==, 255);
    g_assert_cmpstr(json_object_get_string_member(pc, "default-cpu-type"),
                    ==, "qemu64-x86_64-cpu");
    /* Each entry is a machine -machine accepts: one per registered type. */
    for (guint i = 0; i < json_array_get_length(m); i++) {
        const char *name = json_object_get_string_member(
            json_array_get_object_element(m, i), "name");
        g_autofree char *type = g_strdup_printf("%s-machine", name);
        g_autoptr(JsonNode) props = qtest_qmp_assert_success_ref(qts,
            "{'execute': 'qom-list-properties', "
            "'arguments': {'typename': '%s'}}", type);

        g_assert_nonnull(props);
    }
}

static void test_cpus(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M q35 -smp 2,maxcpus=3");
    g_autoptr(JsonNode) cpus = ret(qts, "{'execute': 'query-cpus-fast'}");
    g_autoptr(JsonNode) hp = ret(qts,
                                 "{'execute': 'query-hotpluggable-cpus'}");
    g_autoptr(JsonNode) props = ret(qts, "{'execute': 'qom-list', "
        "'arguments': {'path': '/machine/unattached/device[0]'}}");
    g_autoptr(JsonNode) type = ret(qts, "{'execute': 'qom-get', "
        "'arguments': {'path': '/machine/unattached/device[1]', "
        "'property': 'type'}}");
    JsonArray *c = json_node_get_array(cpus);
    JsonArray *h = json_node_get_array(hp);
    guint present = 0;

    g_assert_cmpint(json_array_get_length(c), ==, 2);
    for (guint i = 0; i < 2; i++) {
        JsonObject *o = json_array_get_object_element(c, i);
        g_autofree char *path =
            g_strdup_printf("/machine/unattached/device[%u]", i);
        JsonObject *p = json_object_get_object_member(o, "props");

        g_assert_cmpint(json_object_get_int_member(o, "cpu-index"), ==, i);
        g_assert_cmpstr(json_object_get_string_member(o, "qom-path"), ==,
                        path);
        g_assert_cmpstr(json_object_get_string_member(o, "target"), ==,
                        "x86_64");
        g_assert_cmpint(json_object_get_int_member(o, "thread-id"), >, 0);
        g_assert_cmpint(json_object_get_int_member(p, "socket-id"), ==, i);
        g_assert_cmpint(json_object_get_int_member(p, "core-id"), ==, 0);
        g_assert_cmpint(json_object_get_int_member(p, "thread-id"), ==, 0);
        g_assert_false(json_object_has_member(p, "die-id"));
    }
    /* libvirt looks for a CPU where QEMU puts the first one. */
    g_assert_nonnull(find(json_node_get_array(props), "name", "apic-id"));
    g_assert_cmpstr(json_node_get_string(type), ==, "qemu64-x86_64-cpu");

    g_assert_cmpint(json_array_get_length(h), ==, 3);
    for (guint i = 0; i < 3; i++) {
        JsonObject *o = json_array_get_object_element(h, i);

        g_assert_cmpstr(json_object_get_string_member(o, "type"), ==,
                        "qemu64-x86_64-cpu");
        g_assert_cmpint(json_object_get_int_member(o, "vcpus-count"), ==, 1);
        present += json_object_has_member(o, "qom-path");
    }
    g_assert_cmpint(present, ==, 2);
    /* The one not present comes first, as QEMU lists them. */
    g_assert_false(json_object_has_member(
        json_array_get_object_element(h, 0), "qom-path"));
}

/* The pc machine has its CPUs where QEMU puts them too. */
static void test_cpus_pc(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M pc -smp 1");
    g_autoptr(JsonNode) cpus = ret(qts, "{'execute': 'query-cpus-fast'}");
    JsonObject *o = json_array_get_object_element(json_node_get_array(cpus),
                                                  0);

    g_assert_cmpint(json_array_get_length(json_node_get_array(cpus)), ==, 1);
    g_assert_cmpstr(json_object_get_string_member(o, "qom-path"), ==,
                    "/machine/unattached/device[0]");
}

static void test_smp_errors(void)
{
    g_autoptr(QTestState) none = qtest_init("-M none");
    g_autoptr(JsonNode) cpus = ret(none, "{'execute': 'query-cpus-fast'}");

    /* The none machine has no CPUs and cannot hot-plug any. */
    g_assert_cmpint(json_array_get_length(json_node_get_array(cpus)), ==, 0);
    qtest_qmp_expect_error(none, "GenericError",
                           "machine does not support hot-plugging CPUs",
                           "{'execute': 'query-hotpluggable-cpus'}");
}

static void test_name_uuid(void)
{
    g_autoptr(QTestState) plain = qtest_init("-M none");
    g_autoptr(QTestState) named = qtest_init(
        "-M none -name guest=vm1,debug-threads=on "
        "-uuid 550E8400-e29b-41d4-a716-446655440000");
    g_autoptr(JsonNode) n0 = ret(plain, "{'execute': 'query-name'}");
    g_autoptr(JsonNode) u0 = ret(plain, "{'execute': 'query-uuid'}");
    g_autoptr(JsonNode) n1 = ret(named, "{'execute': 'query-name'}");
    g_autoptr(JsonNode) u1 = ret(named, "{'execute': 'query-uuid'}");

    g_assert_cmpint(json_object_get_size(json_node_get_object(n0)), ==, 0);
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(u0),
                                                  "UUID"), ==,
                    "00000000-0000-0000-0000-000000000000");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(n1),
                                                  "name"), ==, "vm1");
    g_assert_cmpstr(json_object_get_string_member(json_node_get_object(u1),
                                                  "UUID"), ==,
                    "550e8400-e29b-41d4-a716-446655440000");
}

static void test_chardev(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M none -chardev null,id=nul0");
    g_autoptr(JsonNode) chr = ret(qts, "{'execute': 'query-chardev'}");
    g_autoptr(JsonNode) be = ret(qts,
                                 "{'execute': 'query-chardev-backends'}");
    JsonObject *nul = find(json_node_get_array(chr), "label", "nul0");
    JsonArray *b = json_node_get_array(be);

    g_assert_nonnull(nul);
    g_assert_true(json_object_has_member(nul, "filename"));
    g_assert_true(json_object_has_member(nul, "frontend-open"));
    g_assert_false(json_object_get_boolean_member(nul, "frontend-open"));
    g_assert_nonnull(find(b, "name", "socket"));
    g_assert_nonnull(find(b, "name", "null"));
}

static void test_balloon(void)
{
    g_autoptr(QTestState) bare = qtest_init("-M q35 -m 256");
    g_autoptr(QTestState) qts = qtest_init(
        "-M q35 -m 256 -device virtio-balloon-pci,id=balloon0 "
        "-device pcie-root-port,id=rp1,chassis=1");
    g_autoptr(JsonNode) info = NULL;

    qtest_qmp_expect_error(bare, "DeviceNotActive",
                           "No balloon device has been activated",
                           "{'execute': 'query-balloon'}");
    qtest_qmp_expect_error(bare, "DeviceNotActive",
                           "No balloon device has been activated",
                           "{'execute': 'balloon', "
                           "'arguments': {'value': 268435456}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'target' expects a size",
                           "{'execute': 'balloon', "
                           "'arguments': {'value': 0}}");
    /* What libvirt sends at start: the whole RAM, so nothing to inflate. */
    qtest_qmp_assert_success(qts, "{'execute': 'balloon', "
                             "'arguments': {'value': 268435456}}");
    info = ret(qts, "{'execute': 'query-balloon'}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(info),
                                               "actual"), ==, 268435456);
    /* A second balloon is refused. */
    qtest_qmp_expect_error(qts, "GenericError",
                           "Only one balloon device is supported",
                           "{'execute': 'device_add', 'arguments': "
                           "{'driver': 'virtio-balloon-pci', 'id': 'b2', "
                           "'bus': 'rp1'}}");
}

static void test_memory(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M q35 -m 64 -object memory-backend-ram,id=extra,size=1M");
    g_autoptr(JsonNode) sum = ret(qts,
                                  "{'execute': 'query-memory-size-summary'}");
    g_autoptr(JsonNode) memdev = ret(qts, "{'execute': 'query-memdev'}");
    JsonObject *s = json_node_get_object(sum);
    JsonObject *m = find(json_node_get_array(memdev), "id", "extra");

    g_assert_cmpint(json_object_get_int_member(s, "base-memory"), ==,
                    64 << 20);
    g_assert_cmpint(json_object_get_int_member(s, "plugged-memory"), ==, 0);
    g_assert_nonnull(m);
    g_assert_cmpint(json_object_get_int_member(m, "size"), ==, 1 << 20);
    g_assert_cmpstr(json_object_get_string_member(m, "policy"), ==,
                    "default");
    g_assert_true(json_object_has_member(m, "host-nodes"));
}

static void test_command_line_options(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    g_autoptr(JsonNode) all = ret(qts,
                                  "{'execute': 'query-command-line-options'}");
    g_autoptr(JsonNode) machine = ret(qts,
        "{'execute': 'query-command-line-options', "
        "'arguments': {'option': 'machine'}}");
    JsonArray *a = json_node_get_array(all);
    JsonArray *mp;
    JsonObject *chardev = find(a, "option", "chardev");

    g_assert_nonnull(find(a, "option", "device"));
    g_assert_nonnull(find(a, "option", "smp-opts"));
    g_assert_nonnull(chardev);
    g_assert_nonnull(find(json_object_get_array_member(chardev, "parameters"),
                          "name", "fd"));
    /* Options baton only accepts and ignores are not claimed. */
    g_assert_null(find(a, "option", "sandbox"));
    g_assert_cmpint(json_array_get_length(json_node_get_array(machine)), ==,
                    1);
    mp = json_object_get_array_member(json_array_get_object_element(
        json_node_get_array(machine), 0), "parameters");
    g_assert_cmpstr(json_object_get_string_member(find(mp, "name", "type"),
                                                  "help"), ==,
                    "machine type");
    g_assert_cmpstr(json_object_get_string_member(find(mp, "name", "hpet"),
                                                  "type"), ==, "boolean");
    qtest_qmp_expect_error(qts, "GenericError", "invalid option name: nope",
                           "{'execute': 'query-command-line-options', "
                           "'arguments': {'option': 'nope'}}");
}

static void test_qom_list_properties(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    g_autoptr(JsonNode) file = ret(qts, "{'execute': 'qom-list-properties', "
        "'arguments': {'typename': 'memory-backend-file'}}");
    g_autoptr(JsonNode) machine = ret(qts,
        "{'execute': 'qom-list-properties', "
        "'arguments': {'typename': 'machine'}}");

    g_assert_nonnull(find(json_node_get_array(file), "name", "mem-path"));
    g_assert_nonnull(find(json_node_get_array(file), "name", "size"));
    /* An abstract type: its class properties. */
    g_assert_nonnull(find(json_node_get_array(machine), "name",
                          "memory-backend"));
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Class 'nope' not found",
                           "{'execute': 'qom-list-properties', "
                           "'arguments': {'typename': 'nope'}}");
}

/* -add-fd sets as query-fdsets lists them (the shell gives fd 7). */
static void test_fdsets(void)
{
    g_autoptr(QTestState) qts = qtest_init(
        "-M none -add-fd set=3,fd=7,opaque=log0 7>/dev/null");
    g_autoptr(JsonNode) sets = ret(qts, "{'execute': 'query-fdsets'}");
    JsonArray *a = json_node_get_array(sets);
    JsonObject *set;
    JsonArray *fds;

    g_assert_cmpint(json_array_get_length(a), ==, 1);
    set = json_array_get_object_element(a, 0);
    g_assert_cmpint(json_object_get_int_member(set, "fdset-id"), ==, 3);
    fds = json_object_get_array_member(set, "fds");
    g_assert_cmpint(json_array_get_length(fds), ==, 1);
    g_assert_cmpstr(json_object_get_string_member(
                        json_array_get_object_element(fds, 0), "opaque"), ==,
                    "log0");
    g_assert_cmpint(json_object_get_int_member(
                        json_array_get_object_element(fds, 0), "fd"), >=, 0);
}

/* What libvirt's save, managedsave and migrate set: QEMU's bound is SIZE_MAX. */
static void test_max_bandwidth(void)
{
    g_autoptr(QTestState) qts = qtest_init("-M none");
    g_autoptr(JsonNode) p = NULL;

    qtest_qmp_assert_success(qts, "{'execute': 'migrate-set-parameters', "
                             "'arguments': {'max-bandwidth': "
                             "9223372036853727232}}");
    p = ret(qts, "{'execute': 'query-migrate-parameters'}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(p),
                                               "max-bandwidth"), ==,
                    9223372036853727232LL);
}

static void assert_empty(QTestState *qts, const char *cmd)
{
    g_autoptr(JsonNode) r = qtest_qmp_assert_success_ref(qts, "%s", cmd);

    g_assert_cmpint(json_array_get_length(json_node_get_array(r)), ==, 0);
}

static void test_absent_subsystems(void)
{
    static const char *const cmds[] = {
        "{'execute': 'query-named-block-nodes', 'arguments': {'flat': true}}",
        "{'execute': 'query-block'}",
        "{'execute': 'query-blockstats', 'arguments': {'query-nodes': true}}",
        "{'execute': 'query-jobs'}",
        "{'execute': 'query-tpm-models'}",
        "{'execute': 'query-tpm-types'}",
        "{'execute': 'query-tpm'}",
        "{'execute': 'query-iothreads'}",
        "{'execute': 'query-yank'}",
        "{'execute': 'query-migrationthreads'}",
        "{'execute': 'query-memory-devices'}",
        "{'execute': 'query-acpi-ospm-status'}",
    };
    g_autoptr(QTestState) qts = qtest_init("-M q35");
    g_autoptr(JsonNode) cur = ret(qts,
                                  "{'execute': 'query-current-machine'}");

    for (size_t i = 0; i < G_N_ELEMENTS(cmds); i++) {
        assert_empty(qts, cmds[i]);
    }
    g_assert_false(json_object_get_boolean_member(
        json_node_get_object(cur), "wakeup-suspend-support"));
}

/* As QEMU's qmp-cmd-test: the queries that fail on a bare machine. */
static const char *query_error_class(const char *cmd)
{
    if (!strcmp(cmd, "query-acpi-ospm-status") ||
        !strcmp(cmd, "query-hotpluggable-cpus")) {
        return "GenericError";
    }
    if (!strcmp(cmd, "query-balloon")) {
        return "DeviceNotActive";
    }
    return NULL;
}

static bool has_mandatory_args(JsonArray *schema, const char *type)
{
    JsonObject *t = find(schema, "name", type);
    JsonArray *m;

    if (!t || !json_object_has_member(t, "members")) {
        return false;
    }
    m = json_object_get_array_member(t, "members");
    for (guint i = 0; i < json_array_get_length(m); i++) {
        if (!json_object_has_member(json_array_get_object_element(m, i),
                                    "default")) {
            return true;
        }
    }
    return false;
}

static void test_every_query(void)
{
    g_autoptr(QTestState) qts = qtest_init("-nodefaults -machine none");
    g_autoptr(JsonNode) schema = ret(qts, "{'execute': 'query-qmp-schema'}");
    JsonArray *s = json_node_get_array(schema);
    guint n = 0;

    for (guint i = 0; i < json_array_get_length(s); i++) {
        JsonObject *e = json_array_get_object_element(s, i);
        const char *name = json_object_get_string_member(e, "name");
        const char *cls;
        g_autoptr(JsonObject) rsp = NULL;

        if (strcmp(json_object_get_string_member(e, "meta-type"),
                   "command") ||
            (!g_str_has_prefix(name, "query-") &&
             !g_str_has_prefix(name, "x-query-")) ||
            has_mandatory_args(s, json_object_get_string_member(e,
                                                                "arg-type"))) {
            continue;
        }
        rsp = qtest_qmp(qts, "{'execute': '%s'}", name);
        cls = query_error_class(name);
        if (cls) {
            JsonObject *err = json_object_get_object_member(rsp, "error");

            g_assert_nonnull(err);
            g_assert_cmpstr(json_object_get_string_member(err, "class"), ==,
                            cls);
        } else if (!json_object_has_member(rsp, "return")) {
            g_error("%s failed", name);
        }
        n++;
    }
    g_assert_cmpint(n, >=, 30);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/qmp-cmd/target-and-machines", test_target_and_machines);
    qtest_add_func("/qmp-cmd/cpus", test_cpus);
    qtest_add_func("/qmp-cmd/cpus-pc", test_cpus_pc);
    qtest_add_func("/qmp-cmd/cpus-none-machine", test_smp_errors);
    qtest_add_func("/qmp-cmd/name-uuid", test_name_uuid);
    qtest_add_func("/qmp-cmd/chardev", test_chardev);
    qtest_add_func("/qmp-cmd/balloon", test_balloon);
    qtest_add_func("/qmp-cmd/memory", test_memory);
    qtest_add_func("/qmp-cmd/command-line-options",
                   test_command_line_options);
    qtest_add_func("/qmp-cmd/qom-list-properties", test_qom_list_properties);
    qtest_add_func("/qmp-cmd/fdsets", test_fdsets);
    qtest_add_func("/qmp-cmd/max-bandwidth", test_max_bandwidth);
    qtest_add_func("/qmp-cmd/absent-subsystems", test_absent_subsystems);
    qtest_add_func("/qmp-cmd/every-query", test_every_query);
    return g_test_run();
}
