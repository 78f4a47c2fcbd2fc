/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Migration over QMP, for tests (see migrate.h). */
#include "migrate.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gstdio.h>

static char *tmp_dir;

JsonObject *mig_query(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                                                 "{'execute': 'query-migrate'}");
    JsonObject *obj = json_object_ref(json_node_get_object(ret));

    json_node_unref(ret);
    return obj;
}

char *mig_status(QTestState *qts)
{
    g_autoptr(JsonObject) info = mig_query(qts);

    return g_strdup(json_object_has_member(info, "status")
                    ? json_object_get_string_member(info, "status") : "");
}

char *mig_run_status(QTestState *qts)
{
    JsonNode *ret = qtest_qmp_assert_success_ref(qts,
                                                 "{'execute': 'query-status'}");
    char *s = g_strdup(json_object_get_string_member(
                           json_node_get_object(ret), "status"));

    json_node_unref(ret);
    return s;
}

void mig_set_cap(QTestState *qts, const char *cap, bool on)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': '%s', 'state': %s}]}}", cap,
        on ? "true" : "false");
}

void mig_enable_events(QTestState *qts)
{
    mig_set_cap(qts, "events", true);
}

void mig_set_param(QTestState *qts, const char *name, int64_t v)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'%s': %" PRId64 "}}", name, v);
}

void mig_migrate(QTestState *qts, const char *uri)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate', 'arguments': {'uri': '%s'}}", uri);
}

char *mig_wait_event(QTestState *qts, const char *a, const char *b)
{
    for (;;) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts, "MIGRATION");
        JsonObject *data = json_object_get_object_member(ev, "data");
        const char *st = json_object_get_string_member(data, "status");

        if (!strcmp(st, a) || (b && !strcmp(st, b))) {
            return g_strdup(st);
        }
    }
}

void mig_start(QTestState *qts, const char *uri)
{
    mig_enable_events(qts);
    mig_migrate(qts, uri);
}

void mig_wait_status(QTestState *qts, const char *status)
{
    const char *other = strcmp(status, "failed") ? "failed" : "completed";
    g_autofree char *st = mig_wait_event(qts, status, other);

    g_assert_cmpstr(st, ==, status);
}

void mig_fill_pattern(uint8_t *buf, size_t len, uint32_t seed)
{
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245 + 12345;
        buf[i] = seed >> 16;
    }
}

char *mig_tmp_path(const char *name)
{
    if (!tmp_dir) {
        g_autofree char *prog = g_path_get_basename(g_get_prgname() ?: "mig");
        g_autofree char *tmpl = g_strdup_printf("%s-XXXXXX", prog);

        tmp_dir = g_dir_make_tmp(tmpl, NULL);
        g_assert(tmp_dir);
    }
    return g_build_filename(tmp_dir, name, NULL);
}

void mig_tmp_cleanup(void)
{
    g_autoptr(GDir) dir = NULL;
    const char *name;

    if (!tmp_dir) {
        return;
    }
    dir = g_dir_open(tmp_dir, 0, NULL);
    while (dir && (name = g_dir_read_name(dir))) {
        g_autofree char *p = g_build_filename(tmp_dir, name, NULL);

        g_unlink(p);
    }
    g_rmdir(tmp_dir);
    g_clear_pointer(&tmp_dir, g_free);
}
