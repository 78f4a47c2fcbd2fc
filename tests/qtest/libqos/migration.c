/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration as management drives it, for tests that migrate a VM but are
 * about something else (a guest, a device): one way to start and follow.
 */
#include <string.h>

#include "migration.h"

void qmigrate_events_on(QTestState *qts)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
}

void qmigrate_start(QTestState *qts, const char *uri)
{
    qmigrate_events_on(qts);
    qtest_qmp_assert_success(qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': '%s'}}", uri);
}

void qmigrate_wait_status(QTestState *qts, const char *status)
{
    for (;;) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts, "MIGRATION");
        const char *s = json_object_get_string_member(
            json_object_get_object_member(ev, "data"), "status");

        g_test_message("MIGRATION %s", s);
        if (!strcmp(s, status)) {
            return;
        }
        g_assert_cmpstr(s, !=, "failed");
    }
}
