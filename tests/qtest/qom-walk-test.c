/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qom-walk-test: what QEMU's qom-test does, made stricter.  For every
 * machine type query-machines lists, start it and walk the whole
 * composition tree from "/": qom-list every object reached through child<>
 * properties (and every link<> target), qom-get every other property --
 * each must answer with a value, not an error.  The same again with the
 * devices baton has plugged in.  Also: the machine's RAM is a memory
 * backend under /objects, as query-memdev shows (readconfig-test's
 * x86/memdev).
 */
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include "libqtest.h"
#include "libqmp.h"

#define DEVICES \
    "-netdev user,id=n0 -device virtio-net-pci,netdev=n0,id=nic0 " \
    "-device virtio-balloon-pci -device virtio-mouse-pci " \
    "-device pci-testdev -chardev null,id=c0 -device isa-serial,chardev=c0 "
#define Q35_DEVICES \
    "-device pcie-root-port,id=rp0,chassis=1 -device ioh3420,id=rp1,chassis=2 " \
    "-device pcie-pci-bridge,id=pb,bus=rp0 -device i82801b11-bridge,id=dmi " \
    "-device pci-testdev,bus=pb -device virtio-mouse-pci,bus=dmi "

typedef struct Walk {
    QTestState *qts;
    unsigned objects, props;
} Walk;

static JsonArray *qom_list(Walk *w, const char *path, JsonObject **rsp)
{
    *rsp = qtest_qmp(w->qts, "{'execute': 'qom-list', 'arguments': "
                     "{'path': '%s'}}", path);
    if (!json_object_has_member(*rsp, "return")) {
        g_autofree char *s = qmp_to_string(*rsp);
        g_error("qom-list %s: %s", path, s);
    }
    return json_object_get_array_member(*rsp, "return");
}

static void walk(Walk *w, const char *path)
{
    g_autoptr(JsonObject) rsp = NULL;
    JsonArray *props = qom_list(w, path, &rsp);

    w->objects++;
    for (guint i = 0; i < json_array_get_length(props); i++) {
        JsonObject *p = json_array_get_object_element(props, i);
        const char *name = json_object_get_string_member(p, "name");
        const char *type = json_object_get_string_member(p, "type");
        g_autofree char *child = g_strdup_printf("%s/%s",
                                                 strcmp(path, "/") ? path : "",
                                                 name);

        if (g_str_has_prefix(type, "child<")) {
            walk(w, child);
        } else if (g_str_has_prefix(type, "link<")) {
            g_autoptr(JsonObject) target = qtest_qmp(w->qts,
                "{'execute': 'qom-get', 'arguments': "
                "{'path': '%s', 'property': '%s'}}", path, name);

            g_assert_true(json_object_has_member(target, "return"));
        } else {
            g_autoptr(JsonObject) got = qtest_qmp(w->qts,
                "{'execute': 'qom-get', 'arguments': "
                "{'path': '%s', 'property': '%s'}}", path, name);

            if (!json_object_has_member(got, "return")) {
                g_autofree char *s = qmp_to_string(got);
                g_error("qom-get %s %s (%s): %s", path, name, type, s);
            }
            w->props++;
        }
    }
}

static void walk_machine(const char *args)
{
    Walk w = { .qts = qtest_init(args) };

    walk(&w, "/");
    g_test_message("%s: %u objects, %u properties", args, w.objects,
                   w.props);
    g_assert_cmpuint(w.objects, >, 3);
    qtest_qmp_assert_success(w.qts, "{'execute': 'quit'}");
    qtest_quit(w.qts);
}

static void test_machine(const void *data)
{
    g_autofree char *args = g_strdup_printf("-machine %s",
                                            (const char *)data);

    walk_machine(args);
}

static void test_machine_devices(const void *data)
{
    const char *m = data;
    bool q35 = strstr(m, "q35") != NULL;
    g_autofree char *args = g_strdup_printf("-machine %s %s%s", m, DEVICES,
                                            q35 ? Q35_DEVICES : "");

    walk_machine(args);
}

static void expect_memdev(QTestState *qts, const char *id, uint64_t size)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts,
                                          "{'execute': 'query-memdev'}");
    JsonArray *list = json_object_get_array_member(rsp, "return");
    JsonObject *m;

    g_assert_cmpuint(json_array_get_length(list), ==, 1);
    m = json_array_get_object_element(list, 0);
    g_assert_cmpstr(json_object_get_string_member(m, "id"), ==, id);
    g_assert_cmpuint(json_object_get_int_member(m, "size"), ==, size);
    g_assert_true(json_object_get_boolean_member(m, "merge"));
    g_assert_cmpstr(json_object_get_string_member(m, "policy"), ==,
                    "default");
}

static void test_memdev(void)
{
    g_autofree char *dir = g_dir_make_tmp("qom-walk-XXXXXX", NULL);
    g_autofree char *cfg = g_build_filename(dir, "mem.cfg", NULL);
    g_autofree char *args = g_strdup_printf("-nodefaults -machine none "
                                            "-readconfig %s", cfg);
    g_autoptr(JsonObject) rsp = NULL;
    QTestState *qts;

    /* readconfig-test x86/memdev: [memory] size = "200" on -M none. */
    g_assert_true(g_file_set_contents(cfg, "[memory]\nsize = \"200\"", -1,
                                      NULL));
    qts = qtest_init(args);
    expect_memdev(qts, "ram", 200 << 20);
    qtest_quit(qts);
    unlink(cfg);
    g_rmdir(dir);

    /* -M none without -m has no RAM at all. */
    qts = qtest_init("-machine none");
    rsp = qtest_qmp(qts, "{'execute': 'query-memdev'}");
    g_assert_cmpuint(json_array_get_length(
                         json_object_get_array_member(rsp, "return")), ==, 0);
    qtest_quit(qts);

    /* q35's RAM is /objects/pc.ram, which stays. */
    qts = qtest_init("-M q35 -m 256");
    expect_memdev(qts, "pc.ram", 256 << 20);
    qtest_qmp_expect_error(qts, "GenericError",
                           "object 'pc.ram' is in use, can not be deleted",
                           "{'execute': 'object-del', 'arguments': "
                           "{'id': 'pc.ram'}}");
    g_clear_pointer(&rsp, json_object_unref);
    rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': {'path': "
                    "'/objects/pc.ram', 'property': 'size'}}");
    g_assert_cmpuint(json_object_get_int_member(rsp, "return"), ==,
                     256 << 20);
    qtest_quit(qts);

    /* An explicit backend is the one listed; no default one is made. */
    qts = qtest_init("-M q35 -object memory-backend-ram,id=mem0,size=64M "
                     "-machine memory-backend=mem0");
    expect_memdev(qts, "mem0", 64 << 20);
    qtest_quit(qts);
}

/* query-machines, from a throw-away -M none. */
static GPtrArray *machine_names(void)
{
    QTestState *qts = qtest_init("-machine none");
    g_autoptr(JsonObject) rsp = qtest_qmp(qts,
                                          "{'execute': 'query-machines'}");
    JsonArray *list = json_object_get_array_member(rsp, "return");
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *m = json_array_get_object_element(list, i);

        g_ptr_array_add(names,
                        g_strdup(json_object_get_string_member(m, "name")));
    }
    qtest_quit(qts);
    return names;
}

int main(int argc, char **argv)
{
    g_autoptr(GPtrArray) names = NULL;

    g_test_init(&argc, &argv, NULL);
    names = machine_names();
    g_assert_cmpuint(names->len, >=, 3);
    for (guint i = 0; i < names->len; i++) {
        const char *m = g_ptr_array_index(names, i);
        g_autofree char *bare = g_strdup_printf("/qom-walk/%s", m);
        g_autofree char *devs = g_strdup_printf("/qom-walk/%s/devices", m);

        qtest_add_data_func(bare, m, test_machine);
        if (strcmp(m, "none")) {
            qtest_add_data_func(devs, m, test_machine_devices);
        }
    }
    qtest_add_func("/qom-walk/memdev", test_memdev);
    return g_test_run();
}
