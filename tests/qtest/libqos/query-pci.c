/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "query-pci.h"

static bool devices_have(JsonArray *devs, const char *id)
{
    for (guint i = 0; devs && i < json_array_get_length(devs); i++) {
        JsonObject *d = json_array_get_object_element(devs, i);

        if (!g_strcmp0(json_object_get_string_member(d, "qdev_id"), id)) {
            return true;
        }
        if (json_object_has_member(d, "pci_bridge")) {
            JsonObject *br = json_object_get_object_member(d, "pci_bridge");

            if (json_object_has_member(br, "devices") &&
                devices_have(json_object_get_array_member(br, "devices"),
                             id)) {
                return true;
            }
        }
    }
    return false;
}

bool qpci_query_has(QTestState *qts, const char *id)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-pci'}");
    JsonArray *buses = json_node_get_array(ret);

    for (guint i = 0; i < json_array_get_length(buses); i++) {
        JsonObject *b = json_array_get_object_element(buses, i);

        if (devices_have(json_object_get_array_member(b, "devices"), id)) {
            return true;
        }
    }
    return false;
}
