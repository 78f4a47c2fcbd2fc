/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device-plug-test: QEMU's device-plug-test x86 cases, written again.  A
 * device_del of a device the guest never ejects is only a request; the
 * next system reset completes it (ACPI hotplug) and DEVICE_DELETED says
 * so -- on pc's pci.0 and on q35 behind a pcie-pci-bridge on a root
 * port, with -device in both the key=value and the JSON form.
 */
#include <string.h>
#include "libqtest.h"
#include "libqmp.h"

static void device_del_request(QTestState *qts, const char *id)
{
    qtest_qmp_assert_success(qts, "{'execute': 'device_del', 'arguments': "
                             "{'id': '%s'}}", id);
}

/* Other devices may go along; the one asked for comes last. */
static void wait_device_deleted(QTestState *qts, const char *id)
{
    for (;;) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts,
                                                           "DEVICE_DELETED");
        JsonObject *data = json_object_get_object_member(ev, "data");

        if (data && json_object_has_member(data, "device") &&
            !strcmp(json_object_get_string_member(data, "device"), id)) {
            return;
        }
    }
}

static void unplug_on_reset(const char *args)
{
    QTestState *qts = qtest_init(args);

    device_del_request(qts, "dev0");
    /* Still there: nobody ejected it. */
    g_assert_null(qtest_qmp_event_ref(qts, "DEVICE_DELETED"));
    qtest_qmp_assert_success(qts, "{'execute': 'system_reset'}");
    wait_device_deleted(qts, "dev0");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'dev0' not found",
                           "{'execute': 'device_del', 'arguments': "
                           "{'id': 'dev0'}}");
    qtest_quit(qts);
}

static void test_pci_unplug_request(void)
{
    unplug_on_reset("-M pc -device virtio-mouse-pci,id=dev0");
}

static void test_pci_unplug_json_request(void)
{
    unplug_on_reset("-M pc -device "
                    "'{\"driver\": \"virtio-mouse-pci\", \"id\": \"dev0\"}'");
}

static void test_q35_pci_unplug_request(void)
{
    unplug_on_reset("-M q35 "
                    "-device pcie-root-port,id=p1 "
                    "-device pcie-pci-bridge,bus=p1,id=b1 "
                    "-device virtio-mouse-pci,bus=b1,id=dev0");
}

static void test_q35_pci_unplug_json_request(void)
{
    unplug_on_reset("-M q35 "
                    "-device pcie-root-port,id=p1 "
                    "-device pcie-pci-bridge,bus=p1,id=b1 "
                    "-device '{\"driver\": \"virtio-mouse-pci\", "
                    "\"bus\": \"b1\", \"id\": \"dev0\"}'");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/device-plug/pci-unplug-request",
                   test_pci_unplug_request);
    qtest_add_func("/device-plug/pci-unplug-json-request",
                   test_pci_unplug_json_request);
    qtest_add_func("/device-plug/q35-pci-unplug-request",
                   test_q35_pci_unplug_request);
    qtest_add_func("/device-plug/q35-pci-unplug-json-request",
                   test_q35_pci_unplug_json_request);
    return g_test_run();
}
