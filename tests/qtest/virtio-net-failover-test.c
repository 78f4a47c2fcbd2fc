/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-failover-test: a virtio-net standby (failover=on) and its
 * primary on a running q35 machine, with the guest side done by libqos.
 * What is checked is what users see: query-pci, qom-get of the primary's
 * MAC, FAILOVER_NEGOTIATED and its payload, errors, and the pair states
 * reported by __org.baton_query-failover.
 */
#include <stdlib.h>
#include <string.h>

#include "libqtest.h"
#include "libqos/query-pci.h"
#include "libqos/virtio-net.h"
#include "libqos/pci-hotplug.h"

#define MACHINE "-M q35 -nodefaults " \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=on "
#define PORTS4 \
    "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1 " \
    "-device pcie-root-port,id=root1,bus=pcie.0,addr=0x2,chassis=2 " \
    "-device pcie-root-port,id=root2,bus=pcie.0,addr=0x3,chassis=3 " \
    "-device pcie-root-port,id=root3,bus=pcie.0,addr=0x4,chassis=4 "
#define NETDEVS "-netdev user,id=hs0 -netdev user,id=hs1 " \
    "-netdev user,id=hs2 -netdev user,id=hs3 "
#define STANDBY0 "-device virtio-net,bus=root0,id=standby0,failover=on," \
    "netdev=hs0,mac=52:54:00:11:11:11 "
#define PRIMARY0 "-device virtio-net,bus=root1,id=primary0," \
    "failover_pair_id=standby0,netdev=hs1,mac=52:54:00:11:11:12 "
#define MAC_PRIMARY0 "52:54:00:11:11:12"
#define F_STANDBY (1ULL << 62)
#define QUERY "{'execute': '__org.baton_query-failover'}"

typedef struct Machine {
    QTestState *qts;
    QPCIBus *bus;
} Machine;

static void machine_start(Machine *m, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

static void machine_enumerate(Machine *m)
{
    g_assert_cmpint(qpci_secondary_buses_init(m->bus), ==, 4);
    qvirtio_net_map_root_ports(m->bus, 4);
}

static void machine_start(Machine *m, const char *fmt, ...)
{
    g_autofree char *extra = NULL;
    va_list ap;

    va_start(ap, fmt);
    extra = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    m->qts = qtest_initf(MACHINE PORTS4 NETDEVS "%s", extra);
    m->bus = qpci_new_pc(m->qts);
    machine_enumerate(m);
}

static void machine_stop(Machine *m)
{
    qpci_free_pc(m->bus);
    qtest_quit(m->qts);
}

/* ---- What management sees ---------------------------------------------- */

/* query-pci lists it and its MAC reads back through QOM. */
static void check_card(QTestState *qts, const char *id, const char *mac,
                       bool present)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/%s", id);

    g_assert_cmpint(qpci_query_has(qts, id), ==, present);
    if (present) {
        g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
            "{'execute': 'qom-get', 'arguments': {'path': '%s', "
            "'property': 'mac'}}", path);
        g_assert_cmpstr(json_node_get_string(ret), ==, mac);
    } else {
        qtest_qmp_expect_error(qts, "DeviceNotFound", NULL,
            "{'execute': 'qom-get', 'arguments': {'path': '%s', "
            "'property': 'mac'}}", path);
    }
}

/* The query's entry for a standby id, or NULL. */
static JsonObject *pair_info(QTestState *qts, const char *standby)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts, QUERY);
    JsonArray *pairs = json_node_get_array(ret);

    for (guint i = 0; i < json_array_get_length(pairs); i++) {
        JsonObject *p = json_array_get_object_element(pairs, i);

        if (!strcmp(json_object_get_string_member(p, "standby"), standby)) {
            return json_object_ref(p);
        }
    }
    return NULL;
}

static void check_state(QTestState *qts, const char *standby,
                        const char *state)
{
    g_autoptr(JsonObject) p = pair_info(qts, standby);

    if (!state) {
        g_assert_null(p);
        return;
    }
    g_assert_nonnull(p);
    g_assert_cmpstr(json_object_get_string_member(p, "state"), ==, state);
}

static void expect_negotiated(QTestState *qts, const char *standby)
{
    g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts,
                                                       "FAILOVER_NEGOTIATED");
    JsonObject *data = json_object_get_object_member(ev, "data");

    g_assert_cmpstr(json_object_get_string_member(data, "device-id"), ==,
                    standby);
}

static void expect_no_negotiated(QTestState *qts)
{
    /* A round trip first: events are sent before the reply. */
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
    g_assert_null(qtest_qmp_event_ref(qts, "FAILOVER_NEGOTIATED"));
}

/* ---- The guest ---------------------------------------------------------- */

static void negotiate(Machine *m, int bus, bool standby)
{
    qvirtio_net_negotiate(m->bus, QPCI_BDF(bus, 0, 0), standby);
}

static uint16_t vendor_at(Machine *m, int bus)
{
    QPCIDevice dev = qpci_device_at(m->bus, QPCI_BDF(bus, 0, 0));

    return qpci_config_readw(&dev, 0);
}

/* ---- Start-up and hiding ------------------------------------------------ */

static void test_on(void)
{
    Machine m;
    g_autoptr(JsonObject) p = NULL;

    machine_start(&m, STANDBY0 PRIMARY0);
    check_card(m.qts, "standby0", "52:54:00:11:11:11", true);
    check_card(m.qts, "primary0", NULL, false);
    g_assert_cmphex(vendor_at(&m, 2), ==, 0xffff);
    check_state(m.qts, "standby0", "hidden");
    p = pair_info(m.qts, "standby0");
    g_assert_cmpstr(json_object_get_string_member(p, "primary"), ==,
                    "primary0");
    g_assert_cmpstr(json_object_get_string_member(p, "hotplug"), ==, "acpi");
    g_assert_false(json_object_get_boolean_member(p, "negotiated"));

    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    g_assert_cmphex(vendor_at(&m, 2), ==, 0x1af4);
    check_state(m.qts, "standby0", "plugged");
    g_clear_pointer(&p, json_object_unref);
    p = pair_info(m.qts, "standby0");
    g_assert_true(json_object_get_boolean_member(p, "negotiated"));
    {
        JsonArray *t = json_object_get_array_member(p, "transitions");
        JsonObject *last = json_array_get_object_element(
            t, json_array_get_length(t) - 1);

        g_assert_cmpint(json_array_get_length(t), ==, 2);
        g_assert_cmpstr(json_object_get_string_member(last, "state"), ==,
                        "plugged");
        g_assert_cmpstr(json_object_get_string_member(last, "reason"), ==,
                        "negotiated");
        g_assert_cmpint(json_object_get_int_member(last, "time-us"), >,
                        1600000000LL * 1000000);
    }
    machine_stop(&m);
}

/* QEMU 8.1 shows a primary listed before its standby: baton hides it. */
static void test_primary_first(void)
{
    Machine m;

    machine_start(&m, PRIMARY0 STANDBY0);
    check_card(m.qts, "primary0", NULL, false);
    check_state(m.qts, "standby0", "hidden");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    machine_stop(&m);
}

static void test_mismatch_and_off(void)
{
    Machine m;

    /* Pair id naming nothing: an ordinary device, as in QEMU. */
    machine_start(&m, STANDBY0 "-device virtio-net,bus=root1,id=primary0,"
                  "failover_pair_id=standby1,netdev=hs1,"
                  "mac=52:54:00:11:11:12");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    check_state(m.qts, "standby1", NULL);
    machine_stop(&m);

    /* Listed before the device it names: still ordinary in the end. */
    machine_start(&m, "-device virtio-net,bus=root1,id=primary0,"
                  "failover_pair_id=standby1,netdev=hs1,"
                  "mac=52:54:00:11:11:12 " STANDBY0);
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    check_state(m.qts, "standby1", NULL);
    machine_stop(&m);

    /* A failover=off standby, either order. */
    machine_start(&m, "-device virtio-net,bus=root0,id=standby0,"
                  "failover=off,netdev=hs0 " PRIMARY0);
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    check_state(m.qts, "standby0", NULL);
    machine_stop(&m);
    machine_start(&m, PRIMARY0 "-device virtio-net,bus=root0,id=standby0,"
                  "failover=off,netdev=hs0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    machine_stop(&m);
}

static void test_guest_off(void)
{
    Machine m;

    machine_start(&m, STANDBY0 PRIMARY0);
    negotiate(&m, 1, false);
    expect_no_negotiated(m.qts);
    check_card(m.qts, "primary0", NULL, false);
    check_state(m.qts, "standby0", "hidden");
    machine_stop(&m);
}

/* STANDBY in a raw feature write that the driver drops before FEATURES_OK. */
static void test_decided_at_features_ok(void)
{
    Machine m;
    QVirtioPCIDevice p;
    QVirtioDevice *d = &p.vdev;
    uint64_t f;

    machine_start(&m, STANDBY0 PRIMARY0);
    g_assert(qvirtio_pci_init(&p, m.bus, QPCI_BDF(1, 0, 0)));
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    f = qvirtio_get_features(d);
    qvirtio_set_features(d, f);
    expect_no_negotiated(m.qts);
    check_state(m.qts, "standby0", "hidden");
    qvirtio_set_features(d, f & ~F_STANDBY);
    qvirtio_set_features_ok(d);
    expect_no_negotiated(m.qts);
    check_card(m.qts, "primary0", NULL, false);

    /*
     * A new driver after a reset that writes only the low dword: the old
     * high dword (with STANDBY) must not count.
     */
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    qvirtio_set_features(d, f);
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    qvirtio_pci_common_writel(&p, 0x08, 0);
    qvirtio_pci_common_writel(&p, 0x0c, (uint32_t)f);
    qvirtio_set_status(d, 0x0b);
    expect_no_negotiated(m.qts);
    check_state(m.qts, "standby0", "hidden");
    machine_stop(&m);
}

/* ---- Hotplug ----------------------------------------------------------- */

#define ADD_PRIMARY0 "{'execute': 'device_add', 'arguments': " \
    "{'driver': 'virtio-net', 'id': 'primary0', 'bus': 'root1', " \
    "'failover_pair_id': 'standby0', 'netdev': 'hs1', " \
    "'mac': '52:54:00:11:11:12'}}"

static void test_hotplug(void)
{
    Machine m;

    /* Added while the standby has not negotiated: hidden until it does. */
    machine_start(&m, STANDBY0);
    qtest_qmp_assert_success(m.qts, ADD_PRIMARY0);
    check_card(m.qts, "primary0", NULL, false);
    check_state(m.qts, "standby0", "hidden");
    /* The same again is accepted and changes nothing (QEMU too). */
    qtest_qmp_assert_success(m.qts, ADD_PRIMARY0);
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    machine_stop(&m);

    /* Added after negotiation: plugged at once. */
    machine_start(&m, STANDBY0);
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_state(m.qts, "standby0", "absent");
    qtest_qmp_assert_success(m.qts, ADD_PRIMARY0);
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    check_state(m.qts, "standby0", "plugged");
    machine_stop(&m);
}

/* A primary plugged before its standby exists stays plugged. */
static void test_hotplug_reverse(void)
{
    Machine m;

    machine_start(&m, "%s", "");
    qtest_qmp_assert_success(m.qts, ADD_PRIMARY0);
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    qtest_qmp_assert_success(m.qts, "{'execute': 'device_add', 'arguments': "
        "{'driver': 'virtio-net', 'id': 'standby0', 'bus': 'root0', "
        "'failover': true, 'netdev': 'hs0'}}");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    check_state(m.qts, "standby0", "plugged");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    machine_stop(&m);
}

/* ---- Bad input ---------------------------------------------------------- */

/* baton refuses to start: exit status != 0, msg on stderr. */
static void expect_start_failure(const char *args, const char *msg)
{
    g_autofree char *cmd = g_strdup_printf("%s " MACHINE "-display none %s",
                                           getenv("QTEST_QEMU_BINARY"),
                                           args);
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_assert_true(g_spawn_command_line_sync(cmd, &out, &err, &status,
                                            NULL));
    g_assert_false(g_spawn_check_wait_status(status, NULL));
    if (!strstr(err, msg)) {
        g_printerr("stderr: %s\nexpected: %s\n", err, msg);
        g_assert_not_reached();
    }
}

static void test_errors(void)
{
    Machine m;

    machine_start(&m, STANDBY0);
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Device with failover_pair_id needs to have id",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'bus': 'root1', 'failover_pair_id': 'standby0'}}");
    /* Hidden on pcie.0: refused, but the options are kept (QEMU too). */
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Bus 'pcie.0' does not support hotplugging",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'id': 'primary0', 'failover_pair_id': 'standby0'}}");
    check_state(m.qts, "standby0", "hidden");
    /* A second primary for the same standby. */
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Cannot attach more than one primary device to 'standby0': "
        "'primary0' and 'primary1'",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'id': 'primary1', 'bus': 'root2', 'failover_pair_id': 'standby0'}}");
    check_card(m.qts, "primary1", NULL, false);
    /* Naming itself, naming a root port, sharing a slot. */
    qtest_qmp_expect_error(m.qts, "GenericError", NULL,
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'id': 'self0', 'bus': 'root2', 'failover': true, "
        "'failover_pair_id': 'self0'}}");
    check_card(m.qts, "self0", NULL, false);
    qtest_qmp_expect_error(m.qts, "GenericError",
        "failover_pair_id 'root3' of 'p3' names a pcie-root-port, not a "
        "virtio-net device",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'id': 'p3', 'bus': 'root2', 'failover_pair_id': 'root3'}}");
    check_card(m.qts, "p3", NULL, false);
    qtest_qmp_assert_success(m.qts, "{'execute': 'device_add', 'arguments': "
        "{'driver': 'virtio-net', 'id': 'standby2', 'bus': 'root2', "
        "'failover': true, 'netdev': 'hs2'}}");
    qtest_qmp_expect_error(m.qts, "GenericError",
        "failover: primary device must be in its own PCI slot",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'id': 'p4', 'bus': 'root3', 'multifunction': 'on', "
        "'failover_pair_id': 'standby2'}}");
    check_state(m.qts, "standby2", "absent");
    /* A standby without id; a wrongly typed property. */
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Device with failover=on needs to have id",
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'bus': 'root3', 'failover': true}}");
    qtest_qmp_expect_error(m.qts, "GenericError", NULL,
        "{'execute': 'device_add', 'arguments': {'driver': 'virtio-net', "
        "'id': 'bad0', 'bus': 'root3', 'failover': 'maybe'}}");
    check_card(m.qts, "bad0", NULL, false);
    /* Still running and usable. */
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    machine_stop(&m);

    /* At start-up the pcie.0 case stops baton, as QEMU. */
    expect_start_failure("-netdev user,id=hs0 "
        "-device pcie-root-port,id=root0,chassis=1 " STANDBY0
        "-device virtio-net,id=primary0,failover_pair_id=standby0",
        "-device virtio-net,id=primary0,failover_pair_id=standby0: "
        "Bus 'pcie.0' does not support hotplugging");
}

/* ---- Life cycle --------------------------------------------------------- */

static void test_system_reset(void)
{
    Machine m;

    machine_start(&m, STANDBY0 PRIMARY0);
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_state(m.qts, "standby0", "plugged");
    qtest_qmp_assert_success(m.qts, "{'execute': 'system_reset'}");
    qtest_qmp_eventwait(m.qts, "RESET");
    check_state(m.qts, "standby0", "unplugged");
    machine_enumerate(&m);
    g_assert_cmphex(vendor_at(&m, 2), ==, 0xffff);
    /* Firmware without failover: nothing comes back. */
    negotiate(&m, 1, false);
    expect_no_negotiated(m.qts);
    g_assert_cmphex(vendor_at(&m, 2), ==, 0xffff);
    /* The next STANDBY negotiation hot-adds it again. */
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_state(m.qts, "standby0", "plugged");
    g_assert_cmphex(vendor_at(&m, 2), ==, 0x1af4);
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    machine_stop(&m);
}

static void test_virtio_reset(void)
{
    Machine m;
    int bsel;
    QVirtioPCIDevice p;

    machine_start(&m, STANDBY0 PRIMARY0);
    bsel = acpi_pcihp_bsel(m.qts, "/machine/peripheral/root1/root1");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    /* The driver resets the standby: the guest is asked to unplug. */
    g_assert(qvirtio_pci_init(&p, m.bus, QPCI_BDF(1, 0, 0)));
    qvirtio_reset(&p.vdev);
    check_state(m.qts, "standby0", "unplug-requested");
    g_assert_cmphex(acpi_pcihp_down(m.qts, bsel), ==, 1);
    acpi_pcihp_eject(m.qts, bsel, 0);
    check_state(m.qts, "standby0", "unplugged");
    g_assert_cmphex(vendor_at(&m, 2), ==, 0xffff);
    g_assert_null(qtest_qmp_event_ref(m.qts, "DEVICE_DELETED"));
    /* Re-negotiation without STANDBY keeps it away; with it, back. */
    negotiate(&m, 1, false);
    expect_no_negotiated(m.qts);
    check_state(m.qts, "standby0", "unplugged");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_state(m.qts, "standby0", "plugged");
    g_assert_cmphex(acpi_pcihp_up(m.qts, bsel), ==, 1);
    g_assert_cmphex(vendor_at(&m, 2), ==, 0x1af4);
    machine_stop(&m);
}

static void test_standby_del(void)
{
    Machine m;
    g_autoptr(JsonObject) p = NULL;
    int bsel;

    machine_start(&m, STANDBY0 PRIMARY0);
    bsel = acpi_pcihp_bsel(m.qts, "/machine/peripheral/root0/root0");
    qtest_qmp_device_del_send(m.qts, "standby0");
    acpi_pcihp_eject(m.qts, bsel, 0);
    qtest_qmp_eventwait(m.qts, "DEVICE_DELETED");
    /* The hidden primary waits for the next standby of that id. */
    p = pair_info(m.qts, "standby0");
    g_assert_false(json_object_get_boolean_member(p, "standby-present"));
    g_assert_cmpstr(json_object_get_string_member(p, "state"), ==, "hidden");
    qtest_qmp_assert_success(m.qts, "{'execute': 'device_add', 'arguments': "
        "{'driver': 'virtio-net', 'id': 'standby0', 'bus': 'root0', "
        "'failover': true, 'netdev': 'hs0'}}");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);

    /* A plugged primary stays with the guest when its standby goes. */
    qtest_qmp_device_del_send(m.qts, "standby0");
    acpi_pcihp_eject(m.qts, bsel, 0);
    qtest_qmp_eventwait(m.qts, "DEVICE_DELETED");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    check_state(m.qts, "standby0", "plugged");
    machine_stop(&m);
}

static void test_primary_del(void)
{
    Machine m;
    g_autoptr(JsonObject) ev = NULL;
    int bsel;

    /* Hidden: device_del forgets it and reports it deleted. */
    machine_start(&m, STANDBY0 PRIMARY0);
    qtest_qmp_assert_success(m.qts, "{'execute': 'device_del', "
                             "'arguments': {'id': 'primary0'}}");
    ev = qtest_qmp_eventwait_ref(m.qts, "DEVICE_DELETED");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "device"), ==, "primary0");
    check_state(m.qts, "standby0", "absent");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", NULL, false);
    machine_stop(&m);

    /* Plugged: a normal unplug; it does not come back. */
    machine_start(&m, STANDBY0 PRIMARY0);
    bsel = acpi_pcihp_bsel(m.qts, "/machine/peripheral/root1/root1");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    qtest_qmp_device_del_send(m.qts, "primary0");
    acpi_pcihp_eject(m.qts, bsel, 0);
    qtest_qmp_eventwait(m.qts, "DEVICE_DELETED");
    check_state(m.qts, "standby0", "absent");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", NULL, false);
    machine_stop(&m);
}

static void test_multi(void)
{
    Machine m;

    machine_start(&m, STANDBY0 PRIMARY0
        "-device virtio-net,bus=root2,id=standby1,failover=on,netdev=hs2 "
        "-device virtio-net,bus=root3,id=primary1,failover_pair_id=standby1,"
        "netdev=hs3,mac=52:54:00:22:22:22");
    negotiate(&m, 3, true);
    expect_negotiated(m.qts, "standby1");
    check_card(m.qts, "primary1", "52:54:00:22:22:22", true);
    check_card(m.qts, "primary0", NULL, false);
    check_state(m.qts, "standby0", "hidden");
    negotiate(&m, 1, true);
    expect_negotiated(m.qts, "standby0");
    check_card(m.qts, "primary0", MAC_PRIMARY0, true);
    machine_stop(&m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    qtest_add_func("/failover/params/on", test_on);
    qtest_add_func("/failover/params/primary-first", test_primary_first);
    qtest_add_func("/failover/params/mismatch-and-off",
                   test_mismatch_and_off);
    qtest_add_func("/failover/params/guest-off", test_guest_off);
    qtest_add_func("/failover/params/features-ok", test_decided_at_features_ok);
    qtest_add_func("/failover/hotplug/hidden", test_hotplug);
    qtest_add_func("/failover/hotplug/reverse", test_hotplug_reverse);
    qtest_add_func("/failover/errors", test_errors);
    qtest_add_func("/failover/life/system-reset", test_system_reset);
    qtest_add_func("/failover/life/virtio-reset", test_virtio_reset);
    qtest_add_func("/failover/life/standby-del", test_standby_del);
    qtest_add_func("/failover/life/primary-del", test_primary_del);
    qtest_add_func("/failover/multi", test_multi);
    return g_test_run();
}
