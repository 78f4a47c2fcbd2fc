/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net-failover-migration-test: failover pairs across live
 * migration, with two baton processes and the guest played by libqos.
 *
 * Source: UNPLUG_PRIMARY, wait-unplug until the guest ejects, then the
 * usual migration; cancel, failure, a destination that dies, limits.
 * Destination: FAILOVER_NEGOTIATED from the loaded standby state, the
 * primary plugged, then RESUME.  What is asserted is what management and
 * the guest see: events and their order, query-migrate, query-pci, QOM,
 * the failover query, hotplug registers and config space.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "libqtest.h"
#include "libqos/migrate.h"
#include "libqos/query-pci.h"
#include "libqos/virtio-net.h"
#include "libqos/pci-hotplug.h"

#define MACHINE_ACPI "-M q35 -nodefaults -m 64M " \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=on "
#define MACHINE_NATIVE "-M q35 -nodefaults -m 64M " \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off "
#define PORTS4 \
    "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1 " \
    "-device pcie-root-port,id=root1,bus=pcie.0,addr=0x2,chassis=2 " \
    "-device pcie-root-port,id=root2,bus=pcie.0,addr=0x3,chassis=3 " \
    "-device pcie-root-port,id=root3,bus=pcie.0,addr=0x4,chassis=4 "
#define NETDEVS "-netdev user,id=hs0 -netdev user,id=hs1 " \
    "-netdev user,id=hs2 -netdev user,id=hs3 "
#define PAIR0 "-device virtio-net,bus=root0,id=standby0,failover=on," \
    "netdev=hs0,mac=52:54:00:11:11:11 " \
    "-device virtio-net,bus=root1,id=primary0," \
    "failover_pair_id=standby0,netdev=hs1,mac=52:54:00:11:11:12 "
#define PAIR1 "-device virtio-net,bus=root2,id=standby1,failover=on," \
    "netdev=hs2,mac=52:54:00:22:22:21 " \
    "-device virtio-net,bus=root3,id=primary1," \
    "failover_pair_id=standby1,netdev=hs3,mac=52:54:00:22:22:22 "
#define MAC0 "52:54:00:11:11:12"
#define MAC1 "52:54:00:22:22:22"
#define QUERY "{'execute': '__org.baton_query-failover'}"
#define RAM_BASE 0x100000ULL

static char *tmpdir;

typedef struct Machine {
    QTestState *qts;
    QPCIBus *bus;
    bool native;
} Machine;

/* ---- Machines ------------------------------------------------------------ */

static void machine_start(Machine *m, bool native, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);

static void machine_start(Machine *m, bool native, const char *fmt, ...)
{
    g_autofree char *extra = NULL;
    va_list ap;

    va_start(ap, fmt);
    extra = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    m->native = native;
    m->qts = qtest_initf("%s" PORTS4 NETDEVS "%s",
                         native ? MACHINE_NATIVE : MACHINE_ACPI, extra);
    m->bus = qpci_new_pc(m->qts);
}

/* The guest's firmware: bus numbers behind the ports, windows. */
static void machine_enumerate(Machine *m)
{
    g_assert_cmpint(qpci_secondary_buses_init(m->bus), ==, 4);
    qvirtio_net_map_root_ports(m->bus, 4);
}

static void early_forget(QTestState *qts);

static void machine_stop(Machine *m)
{
    early_forget(m->qts);
    qpci_free_pc(m->bus);
    qtest_quit(m->qts);
}

/* ---- Guest ------------------------------------------------------------- */


static void negotiate(Machine *m, int bus, bool standby)
{
    qvirtio_net_negotiate(m->bus, QPCI_BDF(bus, 0, 0), standby);
}

static uint16_t vendor_at(Machine *m, int bus)
{
    QPCIDevice dev = qpci_device_at(m->bus, QPCI_BDF(bus, 0, 0));

    return qpci_config_readw(&dev, 0);
}

static uint8_t status_at(Machine *m, int bus)
{
    QVirtioPCIDevice p;

    g_assert(qvirtio_pci_init(&p, m->bus, QPCI_BDF(bus, 0, 0)));
    return qvirtio_get_status(&p.vdev);
}

/* Root port index (0..3) that holds a primary: its slot registers. */
static QPCIDevice port_of(Machine *m, int root)
{
    return qpci_device_at(m->bus, QPCI_DEVFN(root + 1, 0));
}

static int bsel_of(Machine *m, int root)
{
    g_autofree char *path = g_strdup_printf(
        "/machine/peripheral/root%d/root%d", root, root);

    return acpi_pcihp_bsel(m->qts, path);
}

/* The guest lets go of the primary behind root port `root`. */
static void guest_eject(Machine *m, int root)
{
    if (m->native) {
        QPCIDevice port = port_of(m, root);

        qpcie_slot_power_off(&port);
    } else {
        acpi_pcihp_eject(m->qts, bsel_of(m, root), 0);
    }
}

/* Was an unplug request made for the slot of root port `root`? */
static bool unplug_requested(Machine *m, int root)
{
    if (m->native) {
        QPCIDevice port = port_of(m, root);

        return qpcie_slot_status(&port) & SLTSTA_ABP;
    }
    return acpi_pcihp_down(m->qts, bsel_of(m, root)) & 1;
}

/* A hot-add was signalled for that slot (the re-plug). */
static bool hotadd_signalled(Machine *m, int root)
{
    if (m->native) {
        QPCIDevice port = port_of(m, root);

        return qpcie_slot_status(&port) & SLTSTA_PDC;
    }
    return acpi_pcihp_up(m->qts, bsel_of(m, root)) & 1;
}

/* Some recognisable RAM, to see it arrive. */
static void write_ram(QTestState *qts, size_t bytes)
{
    qtest_memset(qts, RAM_BASE, 0x5a, bytes);
}

static void check_ram(QTestState *qts, size_t bytes)
{
    uint8_t buf[4096];

    for (size_t off = 0; off < bytes; off += bytes / 4) {
        qtest_memread(qts, RAM_BASE + off, buf, sizeof(buf));
        for (size_t i = 0; i < sizeof(buf); i++) {
            g_assert_cmphex(buf[i], ==, 0x5a);
        }
    }
}

/* ---- Management -------------------------------------------------------- */

/* The device exists in baton: query-pci lists it, QOM has its MAC. */
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
    }
}

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
    g_assert_not_reached();
}

static void check_state(QTestState *qts, const char *standby,
                        const char *state)
{
    g_autoptr(JsonObject) p = pair_info(qts, standby);

    g_assert_cmpstr(json_object_get_string_member(p, "state"), ==, state);
}

static JsonObject *query_migrate(QTestState *qts)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-migrate'}");

    return json_object_ref(json_node_get_object(ret));
}

static void check_status(QTestState *qts, const char *status, int pending)
{
    g_autoptr(JsonObject) info = query_migrate(qts);

    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    status);
    if (pending < 0) {
        g_assert_false(json_object_has_member(info,
                                              "__org.baton_unplug-pending"));
    } else {
        g_assert_cmpint(json_object_get_int_member(info,
                            "__org.baton_unplug-pending"), ==, pending);
    }
}

static void enable_events(QTestState *qts)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
}

static void set_param(QTestState *qts, const char *name, int64_t v)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'%s': %" PRId64 "}}", name, v);
}

/*
 * Wait for MIGRATION `status`; the states passed on the way are appended
 * to *trail (space separated) when trail is given.
 */
/* MIGRATION states read along with a command's reply, per QTestState. */
static GHashTable *early_states;

static void early_push(QTestState *qts, const char *st)
{
    GQueue *q;

    if (!early_states) {
        early_states = g_hash_table_new(NULL, NULL);
    }
    q = g_hash_table_lookup(early_states, qts);
    if (!q) {
        q = g_queue_new();
        g_hash_table_insert(early_states, qts, q);
    }
    g_queue_push_tail(q, g_strdup(st));
}

static char *next_state(QTestState *qts)
{
    GQueue *q = early_states ? g_hash_table_lookup(early_states, qts) : NULL;
    g_autoptr(JsonObject) ev = NULL;

    if (q && !g_queue_is_empty(q)) {
        return g_queue_pop_head(q);
    }
    ev = qtest_qmp_eventwait_ref(qts, "MIGRATION");
    return g_strdup(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "status"));
}

/* A machine is gone: forget what was read for it. */
static void early_forget(QTestState *qts)
{
    GQueue *q = early_states ? g_hash_table_lookup(early_states, qts) : NULL;

    if (q) {
        g_queue_free_full(q, g_free);
        g_hash_table_remove(early_states, qts);
    }
}

static void wait_failed(QTestState *qts);

static void wait_status(QTestState *qts, const char *status, GString *trail)
{
    for (;;) {
        g_autofree char *st = next_state(qts);

        if (trail) {
            g_string_append_printf(trail, "%s%s", trail->len ? " " : "", st);
        }
        if (!strcmp(st, status)) {
            return;
        }
        g_assert_cmpstr(st, !=, "failed");
    }
}

/*
 * migrate, reading the messages in the order they come: returns the
 * UNPLUG_PRIMARY device ids that arrived before the command's reply.
 */
static char *migrate_start(QTestState *qts, const char *uri)
{
    GString *ids = g_string_new("");

    qtest_qmp_send(qts, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
                   uri);
    for (;;) {
        g_autoptr(JsonObject) msg = qtest_qmp_receive_dict(qts);
        const char *ev;

        if (json_object_has_member(msg, "return")) {
            break;
        }
        g_assert_false(json_object_has_member(msg, "error"));
        ev = json_object_get_string_member(msg, "event");
        if (!strcmp(ev, "UNPLUG_PRIMARY")) {
            g_string_append_printf(ids, "%s%s", ids->len ? " " : "",
                json_object_get_string_member(
                    json_object_get_object_member(msg, "data"),
                    "device-id"));
        } else if (!strcmp(ev, "MIGRATION")) {
            early_push(qts, json_object_get_string_member(
                json_object_get_object_member(msg, "data"), "status"));
        }
    }
    return g_string_free(ids, false);
}

/* UNPLUG_PRIMARY events that come after the reply (socket transports). */
static char *unplug_events(QTestState *qts, int n)
{
    GString *ids = g_string_new("");

    for (int i = 0; i < n; i++) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(qts,
                                                           "UNPLUG_PRIMARY");

        g_string_append_printf(ids, "%s%s", ids->len ? " " : "",
            json_object_get_string_member(
                json_object_get_object_member(ev, "data"), "device-id"));
    }
    return g_string_free(ids, false);
}

/*
 * Destination: migrate-incoming, then the messages in order until RESUME.
 * Returns e.g. "MIGRATION:setup return FAILOVER_NEGOTIATED:standby0 RESUME".
 */
static char *incoming(QTestState *qts, const char *uri)
{
    GString *seq = g_string_new("");

    if (uri) {
        qtest_qmp_send(qts, "{'execute': 'migrate-incoming', "
                       "'arguments': {'uri': '%s'}}", uri);
    }
    for (;;) {
        g_autoptr(JsonObject) msg = qtest_qmp_receive_dict(qts);
        const char *ev;
        JsonObject *data;

        if (seq->len) {
            g_string_append_c(seq, ' ');
        }
        if (json_object_has_member(msg, "return")) {
            g_string_append(seq, "return");
            continue;
        }
        g_assert_false(json_object_has_member(msg, "error"));
        ev = json_object_get_string_member(msg, "event");
        data = json_object_has_member(msg, "data") ?
               json_object_get_object_member(msg, "data") : NULL;
        g_string_append(seq, ev);
        if (!strcmp(ev, "MIGRATION")) {
            g_string_append_printf(seq, ":%s",
                json_object_get_string_member(data, "status"));
        } else if (!strcmp(ev, "FAILOVER_NEGOTIATED")) {
            g_string_append_printf(seq, ":%s",
                json_object_get_string_member(data, "device-id"));
        } else if (!strcmp(ev, "RESUME")) {
            break;
        }
    }
    return g_string_free(seq, false);
}

/* ---- Out and in --------------------------------------------------------- */

typedef struct Case {
    bool native;
    const char *transport;      /* "exec", "unix", "multifd" (on unix) */
} Case;

/*
 * One pair (or two): source unplugs, waits, completes; destination plugs
 * every primary before it resumes.
 */
static void run_out_in(bool native, bool multi, const char *transport)
{
    g_autofree char *file = g_build_filename(tmpdir, "out-in.mig", NULL);
    g_autofree char *sock = g_build_filename(tmpdir, "out-in.sock", NULL);
    g_autofree char *out_uri = NULL, *in_uri = NULL;
    g_autofree char *ids = NULL, *seq = NULL;
    g_autoptr(GString) trail = g_string_new("");
    g_autoptr(JsonObject) p = NULL;
    bool exec = !strcmp(transport, "exec");
    bool multifd = !strcmp(transport, "multifd");
    Machine src, dst;
    const char *pairs = multi ? PAIR0 PAIR1 : PAIR0;

    if (exec) {
        out_uri = g_strdup_printf("exec:cat > %s", file);
        in_uri = g_strdup_printf("exec:cat %s", file);
    } else {
        out_uri = g_strdup_printf("unix:%s", sock);
        in_uri = g_strdup(out_uri);
    }
    machine_start(&dst, native, "%s -incoming defer", pairs);
    /* Hidden until the loaded standby state says STANDBY. */
    check_card(dst.qts, "primary0", NULL, false);
    if (multifd) {
        mig_set_cap(dst.qts, "multifd", true);
        mig_set_param(dst.qts, "multifd-channels", 3);
    }
    if (!exec) {
        g_autoptr(JsonObject) r = NULL;

        r = qtest_qmp(dst.qts, "{'execute': 'migrate-incoming', "
                      "'arguments': {'uri': '%s'}}", in_uri);
        g_assert_true(json_object_has_member(r, "return"));
    }
    machine_start(&src, native, "%s", pairs);
    machine_enumerate(&src);
    negotiate(&src, 1, true);
    if (multi) {
        negotiate(&src, 3, true);
    }
    check_card(src.qts, "primary0", MAC0, true);
    if (native) {
        /* Native hot-add: the guest powers the slot on. */
        QPCIDevice port = port_of(&src, 1);

        qpcie_slot_clear_status(&port, SLTSTA_PDC | SLTSTA_ABP);
        qpcie_slot_power_on(&port);
    }
    g_assert_cmphex(vendor_at(&src, 2), ==, 0x1af4);
    write_ram(src.qts, 1 << 20);
    enable_events(src.qts);
    if (multifd) {
        /* The channels are up before anything is unplugged. */
        mig_set_cap(src.qts, "multifd", true);
        mig_set_param(src.qts, "multifd-channels", 3);
    }

    ids = migrate_start(src.qts, out_uri);
    if (!exec) {
        /* After the asynchronous connect. */
        g_assert_cmpstr(ids, ==, "");
        g_free(ids);
        ids = unplug_events(src.qts, multi ? 2 : 1);
    }
    /* Most recently created standby first. */
    g_assert_cmpstr(ids, ==, multi ? "primary1 primary0" : "primary0");
    wait_status(src.qts, "wait-unplug", trail);
    g_assert_cmpstr(trail->str, ==, "setup wait-unplug");
    check_status(src.qts, "wait-unplug", multi ? 2 : 1);
    check_state(src.qts, "standby0", "unplug-requested");
    g_assert_true(unplug_requested(&src, 1));
    /* Still alive in baton, still seen by the guest until it ejects. */
    check_card(src.qts, "primary0", MAC0, true);
    g_assert_cmphex(vendor_at(&src, 2), ==, 0x1af4);

    guest_eject(&src, 1);
    check_state(src.qts, "standby0", "unplugged");
    g_assert_cmphex(vendor_at(&src, 2), ==, 0xffff);
    if (multi) {
        /* One of two: still waiting. */
        check_status(src.qts, "wait-unplug", 1);
        guest_eject(&src, 3);
        check_state(src.qts, "standby1", "unplugged");
    }
    g_string_truncate(trail, 0);
    wait_status(src.qts, "completed", trail);
    g_assert_cmpstr(trail->str, ==, "active completed");
    qtest_qmp_eventwait(src.qts, "STOP");
    /* The source keeps its primaries ejected, as QEMU does. */
    check_state(src.qts, "standby0", "unplugged");
    check_card(src.qts, "primary0", MAC0, true);
    g_assert_cmphex(vendor_at(&src, 2), ==, 0xffff);
    p = pair_info(src.qts, "standby0");
    {
        JsonObject *u = json_object_get_object_member(p, "migration-unplug");

        g_assert_nonnull(u);
        g_assert_cmpint(json_object_get_int_member(u, "latency-us"), >=, 0);
        g_assert_cmpint(json_object_get_int_member(u, "eject-time-us"), ==,
                        json_object_get_int_member(u, "request-time-us") +
                        json_object_get_int_member(u, "latency-us"));
    }

    /* Destination */
    if (exec) {
        seq = incoming(dst.qts, in_uri);
        g_assert_cmpstr(seq, ==, multi ?
            "MIGRATION:setup return FAILOVER_NEGOTIATED:standby0 "
            "FAILOVER_NEGOTIATED:standby1 RESUME" :
            "MIGRATION:setup return FAILOVER_NEGOTIATED:standby0 RESUME");
    } else {
        seq = incoming(dst.qts, NULL);
        g_assert_cmpstr(seq, ==, multi ?
            "FAILOVER_NEGOTIATED:standby0 FAILOVER_NEGOTIATED:standby1 "
            "RESUME" : "FAILOVER_NEGOTIATED:standby0 RESUME");
    }
    check_card(dst.qts, "standby0", "52:54:00:11:11:11", true);
    check_card(dst.qts, "primary0", MAC0, true);
    check_state(dst.qts, "standby0", "plugged");
    {
        g_autoptr(JsonObject) d = pair_info(dst.qts, "standby0");

        g_assert_true(json_object_get_boolean_member(d, "negotiated"));
    }
    /* The guest's view came along: bus numbers, standby driver state. */
    g_assert_cmphex(vendor_at(&dst, 1), ==, 0x1af4);
    g_assert_cmphex(status_at(&dst, 1), ==, 0x0f);
    g_assert_true(hotadd_signalled(&dst, 1));
    if (native) {
        /* The guest powered the slot off to eject: it powers it on. */
        QPCIDevice port = port_of(&dst, 1);

        qpcie_slot_power_on(&port);
    }
    g_assert_cmphex(vendor_at(&dst, 2), ==, 0x1af4);
    if (multi) {
        check_card(dst.qts, "primary1", MAC1, true);
        check_state(dst.qts, "standby1", "plugged");
        g_assert_cmphex(vendor_at(&dst, 4), ==, 0x1af4);
    }
    check_ram(dst.qts, 1 << 20);
    check_status(dst.qts, "completed", -1);
    machine_stop(&src);
    machine_stop(&dst);
}

static void test_out_in(const void *data)
{
    const Case *c = data;

    run_out_in(c->native, false, c->transport);
}

static void test_multi(void)
{
    run_out_in(false, true, "exec");
}

/* A guest that never accepted STANDBY: nothing to wait for. */
static void test_guest_off(void)
{
    g_autofree char *file = g_build_filename(tmpdir, "off.mig", NULL);
    g_autofree char *out = g_strdup_printf("exec:cat > %s", file);
    g_autofree char *in = g_strdup_printf("exec:cat %s", file);
    g_autofree char *ids = NULL, *seq = NULL;
    g_autoptr(GString) trail = g_string_new("");
    Machine src, dst;

    machine_start(&src, false, PAIR0);
    machine_enumerate(&src);
    negotiate(&src, 1, false);
    check_state(src.qts, "standby0", "hidden");
    enable_events(src.qts);
    ids = migrate_start(src.qts, out);
    g_assert_cmpstr(ids, ==, "");
    wait_status(src.qts, "completed", trail);
    g_assert_cmpstr(trail->str, ==, "setup active completed");
    machine_stop(&src);

    machine_start(&dst, false, PAIR0 "-incoming defer");
    seq = incoming(dst.qts, in);
    g_assert_cmpstr(seq, ==, "MIGRATION:setup return RESUME");
    check_state(dst.qts, "standby0", "hidden");
    check_card(dst.qts, "primary0", NULL, false);
    machine_stop(&dst);
}

/* ---- Cancel, failure, limits -------------------------------------------- */

/* A source with a negotiated pair, events on, migrating to uri. */
static void start_migrating_on(Machine *m, bool native, const char *uri,
                               size_t ram)
{
    g_autofree char *ids = NULL;

    machine_start(m, native, PAIR0);
    machine_enumerate(m);
    negotiate(m, 1, true);
    if (native) {
        /* The guest takes the hot-added primary: slot powered on. */
        QPCIDevice port = port_of(m, 1);

        qpcie_slot_clear_status(&port, SLTSTA_PDC | SLTSTA_ABP);
        qpcie_slot_power_on(&port);
    }
    if (ram) {
        write_ram(m->qts, ram);
    }
    enable_events(m->qts);
    ids = migrate_start(m->qts, uri);
    if (g_str_has_prefix(uri, "exec:")) {
        g_assert_cmpstr(ids, ==, "primary0");
    } else {
        g_free(unplug_events(m->qts, 1));
    }
    wait_status(m->qts, "wait-unplug", NULL);
}

static void start_migrating(Machine *m, const char *uri, size_t ram)
{
    start_migrating_on(m, false, uri, ram);
}

/* The primary is back with the guest: plugged, a hot-add signalled. */
static void check_replugged(Machine *m)
{
    check_state(m->qts, "standby0", "plugged");
    check_card(m->qts, "primary0", MAC0, true);
    g_assert_true(hotadd_signalled(m, 1));
    g_assert_cmphex(vendor_at(m, 2), ==, 0x1af4);
}

static void test_cancel_wait_unplug(const void *data)
{
    bool native = *(const bool *)data;
    g_autoptr(GString) trail = g_string_new("");
    g_autoptr(JsonObject) info = NULL;
    Machine m;

    start_migrating_on(&m, native, "exec:cat > /dev/null", 0);
    qtest_qmp_assert_success(m.qts, "{'execute': 'migrate_cancel'}");
    wait_status(m.qts, "cancelling", NULL);
    /* Waits for the guest, who has the request. */
    check_status(m.qts, "cancelling", 1);
    info = query_migrate(m.qts);
    g_assert_cmpint(json_object_get_int_member(info, "setup-time"), ==, 0);
    guest_eject(&m, 1);
    wait_status(m.qts, "cancelled", trail);
    g_assert_cmpstr(trail->str, ==, "cancelled");
    if (native) {
        QPCIDevice port = port_of(&m, 1);

        /*
         * The eject gave it straight back: present again (PDS) with the
         * change (PDC), the request (ABP) and the command (CC), as QEMU.
         */
        g_assert_cmphex(qpcie_slot_status(&port), ==,
                        SLTSTA_PDS | SLTSTA_CC | SLTSTA_PDC | SLTSTA_ABP);
        qpcie_slot_clear_status(&port, SLTSTA_PDC | SLTSTA_ABP | SLTSTA_CC);
        qpcie_slot_power_on(&port);
        g_assert_cmphex(qpcie_slot_status(&port) & SLTSTA_PDS, ==,
                        SLTSTA_PDS);
        g_assert_true(qpci_query_has(m.qts, "primary0"));
        check_state(m.qts, "standby0", "plugged");
        g_assert_cmphex(vendor_at(&m, 2), ==, 0x1af4);
    } else {
        check_replugged(&m);
    }
    g_assert_null(qtest_qmp_event_ref(m.qts, "STOP"));
    machine_stop(&m);
}

static void test_cancel_active(void)
{
    g_autoptr(GString) trail = g_string_new("");
    Machine m;

    machine_start(&m, false, PAIR0);
    machine_enumerate(&m);
    negotiate(&m, 1, true);
    write_ram(m.qts, 4 << 20);
    set_param(m.qts, "max-bandwidth", 1 << 20);
    enable_events(m.qts);
    g_free(migrate_start(m.qts, "exec:cat > /dev/null"));
    wait_status(m.qts, "wait-unplug", NULL);
    guest_eject(&m, 1);
    wait_status(m.qts, "active", NULL);
    check_status(m.qts, "active", -1);
    qtest_qmp_assert_success(m.qts, "{'execute': 'migrate_cancel'}");
    wait_status(m.qts, "cancelled", trail);
    g_assert_cmpstr(trail->str, ==, "cancelling cancelled");
    check_replugged(&m);
    machine_stop(&m);
}

/* The guest never ejects after a cancel: cancelled after the timeout. */
static void run_unplug_timeout(int64_t timeout_ms)
{
    g_autoptr(GString) trail = g_string_new("");
    Machine m;
    int64_t t0;

    machine_start(&m, false, PAIR0);
    machine_enumerate(&m);
    negotiate(&m, 1, true);
    if (timeout_ms) {
        set_param(m.qts, "__org.baton_unplug-timeout", timeout_ms);
    }
    enable_events(m.qts);
    g_free(migrate_start(m.qts, "exec:cat > /dev/null"));
    wait_status(m.qts, "wait-unplug", NULL);
    t0 = g_get_monotonic_time();
    qtest_qmp_assert_success(m.qts, "{'execute': 'migrate_cancel'}");
    wait_status(m.qts, "cancelled", trail);
    g_assert_cmpstr(trail->str, ==, "cancelling cancelled");
    g_assert_cmpint(g_get_monotonic_time() - t0, >=,
                    (timeout_ms ? timeout_ms : 30000) * 1000 - 1000);
    /* The guest never let go: it still has it, and still the request. */
    check_state(m.qts, "standby0", "unplug-requested");
    g_assert_cmphex(vendor_at(&m, 2), ==, 0x1af4);
    /* Its late eject gives it straight back. */
    guest_eject(&m, 1);
    check_replugged(&m);
    machine_stop(&m);
}

static void test_unplug_timeout(void)
{
    run_unplug_timeout(200);
}

static void test_unplug_timeout_default(void)
{
    run_unplug_timeout(0);
}

/* The optional wait-unplug limit: failed with a reason, primary kept. */
static void test_wait_unplug_limit(void)
{
    g_autoptr(JsonObject) info = NULL;
    g_autoptr(JsonNode) params = NULL;
    Machine m;

    machine_start(&m, false, PAIR0);
    machine_enumerate(&m);
    negotiate(&m, 1, true);
    params = qtest_qmp_assert_success_ref(m.qts,
        "{'execute': 'query-migrate-parameters'}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(params),
                    "__org.baton_wait-unplug-limit"), ==, 0);
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(params),
                    "__org.baton_unplug-timeout"), ==, 30000);
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Parameter '__org.baton_unplug-timeout' expects an integer in the "
        "range of 1 to 3600000 ms",
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'__org.baton_unplug-timeout': 0}}");
    set_param(m.qts, "__org.baton_wait-unplug-limit", 100);
    enable_events(m.qts);
    g_free(migrate_start(m.qts, "exec:cat > /dev/null"));
    wait_status(m.qts, "wait-unplug", NULL);
    wait_failed(m.qts);
    info = query_migrate(m.qts);
    g_assert_cmpstr(json_object_get_string_member(info, "error-desc"), ==,
                    "the guest did not eject 1 failover primary device(s) "
                    "within the wait-unplug limit of 100 ms");
    check_state(m.qts, "standby0", "unplug-requested");
    g_assert_cmphex(vendor_at(&m, 2), ==, 0x1af4);
    guest_eject(&m, 1);
    check_replugged(&m);
    machine_stop(&m);
}

static void wait_failed(QTestState *qts)
{
    for (;;) {
        g_autofree char *st = next_state(qts);

        if (!strcmp(st, "failed")) {
            return;
        }
        g_assert_cmpstr(st, !=, "completed");
    }
}

/* The destination dies while the guest is still deciding. */
static void test_dest_killed_wait_unplug(void)
{
    g_autofree char *sock = g_build_filename(tmpdir, "kill1.sock", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    g_autoptr(JsonObject) info = NULL;
    Machine src, dst;

    machine_start(&dst, false, PAIR0 "-incoming %s", uri);
    start_migrating(&src, uri, 0);
    qtest_kill_qemu(dst.qts);
    /* Noticed at once, not at the first write after the eject. */
    wait_failed(src.qts);
    info = query_migrate(src.qts);
    g_assert_nonnull(json_object_get_string_member(info, "error-desc"));
    /* The guest still has its primary; its eject now gives it back. */
    check_state(src.qts, "standby0", "unplug-requested");
    g_assert_cmphex(vendor_at(&src, 2), ==, 0x1af4);
    guest_eject(&src, 1);
    check_replugged(&src);
    machine_stop(&src);
    qpci_free_pc(dst.bus);
    qtest_quit(dst.qts);
}

static void test_dest_killed_active(void)
{
    g_autofree char *sock = g_build_filename(tmpdir, "kill2.sock", NULL);
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    Machine src, dst;
    g_autofree char *rs = NULL;

    machine_start(&dst, false, PAIR0 "-incoming %s", uri);
    machine_start(&src, false, PAIR0);
    machine_enumerate(&src);
    negotiate(&src, 1, true);
    write_ram(src.qts, 4 << 20);
    set_param(src.qts, "max-bandwidth", 1 << 20);
    enable_events(src.qts);
    g_free(migrate_start(src.qts, uri));
    g_free(unplug_events(src.qts, 1));
    wait_status(src.qts, "wait-unplug", NULL);
    guest_eject(&src, 1);
    wait_status(src.qts, "active", NULL);
    qtest_kill_qemu(dst.qts);
    wait_failed(src.qts);
    check_replugged(&src);
    {
        g_autoptr(JsonNode) st = qtest_qmp_assert_success_ref(src.qts,
            "{'execute': 'query-status'}");

        rs = g_strdup(json_object_get_string_member(
            json_node_get_object(st), "status"));
    }
    g_assert_cmpstr(rs, ==, "running");
    machine_stop(&src);
    qpci_free_pc(dst.bus);
    qtest_quit(dst.qts);
}

/* ---- Bad input --------------------------------------------------------- */

/* The guest ejects an empty slot, another bus, then the right one twice. */
static void test_bad_ejects(void)
{
    Machine m;

    start_migrating(&m, "exec:cat > /dev/null", 0);
    acpi_pcihp_eject(m.qts, bsel_of(&m, 1), 5);
    acpi_pcihp_eject(m.qts, bsel_of(&m, 3), 0);
    check_status(m.qts, "wait-unplug", 1);
    check_state(m.qts, "standby0", "unplug-requested");
    check_card(m.qts, "standby0", "52:54:00:11:11:11", true);
    guest_eject(&m, 1);
    guest_eject(&m, 1);
    wait_status(m.qts, "completed", NULL);
    check_state(m.qts, "standby0", "unplugged");
    check_card(m.qts, "primary0", MAC0, true);
    machine_stop(&m);
}

/* The guest ejects the standby's slot: deleted, as the guest asked. */
static void test_eject_standby(void)
{
    Machine m;

    start_migrating(&m, "exec:cat > /dev/null", 0);
    acpi_pcihp_eject(m.qts, bsel_of(&m, 0), 0);
    qtest_qmp_eventwait(m.qts, "DEVICE_DELETED");
    check_status(m.qts, "wait-unplug", 1);
    check_state(m.qts, "standby0", "unplug-requested");
    guest_eject(&m, 1);
    wait_status(m.qts, "completed", NULL);
    check_card(m.qts, "primary0", MAC0, true);
    machine_stop(&m);
}

/* system_reset completes pending requests; the migration moves on. */
static void test_system_reset(void)
{
    Machine m;

    start_migrating(&m, "exec:cat > /dev/null", 0);
    qtest_qmp_assert_success(m.qts, "{'execute': 'system_reset'}");
    wait_status(m.qts, "completed", NULL);
    check_state(m.qts, "standby0", "unplugged");
    /* Still alive (query-pci shows nothing behind the reset ports). */
    {
        g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(m.qts,
            "{'execute': 'qom-get', 'arguments': {'path': "
            "'/machine/peripheral/primary0', 'property': 'mac'}}");

        g_assert_cmpstr(json_node_get_string(ret), ==, MAC0);
    }
    machine_stop(&m);
}

/* The standby's driver starts over while the request is pending. */
static void test_renegotiate(void)
{
    Machine m;

    start_migrating(&m, "exec:cat > /dev/null", 0);
    negotiate(&m, 1, true);
    qtest_qmp_eventwait(m.qts, "FAILOVER_NEGOTIATED");
    check_status(m.qts, "wait-unplug", 1);
    check_state(m.qts, "standby0", "unplug-requested");
    guest_eject(&m, 1);
    wait_status(m.qts, "completed", NULL);
    check_state(m.qts, "standby0", "unplugged");
    machine_stop(&m);
}

/* QMP commands racing the migration: defined answers, nothing lost. */
static void test_qmp_races(void)
{
    Machine m;

    machine_start(&m, false, PAIR0);
    machine_enumerate(&m);
    negotiate(&m, 1, true);
    write_ram(m.qts, 4 << 20);
    set_param(m.qts, "max-bandwidth", 1 << 20);
    enable_events(m.qts);
    g_free(migrate_start(m.qts, "exec:cat > /dev/null"));
    wait_status(m.qts, "wait-unplug", NULL);

    qtest_qmp_expect_error(m.qts, "GenericError",
        "Device primary0 is already in the process of unplug",
        "{'execute': 'device_del', 'arguments': {'id': 'primary0'}}");
    qtest_qmp_expect_error(m.qts, "GenericError",
        "device_del not allowed while migrating",
        "{'execute': 'device_del', 'arguments': {'id': 'standby0'}}");
    qtest_qmp_expect_error(m.qts, "GenericError",
        "There's a migration process in progress",
        "{'execute': 'migrate', 'arguments': {'uri': 'exec:cat >/dev/null'}}");
    qtest_qmp_expect_error(m.qts, "GenericError",
        "'-incoming' was not specified on the command line",
        "{'execute': 'migrate-incoming', 'arguments': "
        "{'uri': 'exec:cat /dev/null'}}");
    check_status(m.qts, "wait-unplug", 1);

    guest_eject(&m, 1);
    wait_status(m.qts, "active", NULL);
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Device primary0 is a failover primary unplugged for the migration "
        "in progress; delete it when the migration is over",
        "{'execute': 'device_del', 'arguments': {'id': 'primary0'}}");
    qtest_qmp_assert_success(m.qts, "{'execute': 'migrate_cancel'}");
    wait_status(m.qts, "cancelled", NULL);
    check_replugged(&m);
    machine_stop(&m);
}

/* A paused guest could never answer the unplug request. */
static void test_paused(void)
{
    Machine m;
    g_autoptr(JsonObject) info = NULL;

    machine_start(&m, false, PAIR0);
    machine_enumerate(&m);
    negotiate(&m, 1, true);
    qtest_qmp_assert_success(m.qts, "{'execute': 'stop'}");
    qtest_qmp_expect_error(m.qts, "GenericError",
        "Cannot migrate a paused guest that has the failover primary device "
        "'primary0' plugged: the guest cannot unplug it; resume the guest "
        "with 'cont' first",
        "{'execute': 'migrate', 'arguments': {'uri': 'exec:cat >/dev/null'}}");
    info = query_migrate(m.qts);
    g_assert_cmpint(json_object_get_size(info), ==, 0);
    check_state(m.qts, "standby0", "plugged");
    g_assert_null(qtest_qmp_event_ref(m.qts, "UNPLUG_PRIMARY"));
    machine_stop(&m);
}

static const Case exec_acpi = { false, "exec" };
static const Case unix_acpi = { false, "unix" };
static const Case exec_native = { true, "exec" };
static const Case multifd_native = { true, "multifd" };

int main(int argc, char **argv)
{
    static const bool acpi_hp = false, native_hp = true;
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmpdir = g_dir_make_tmp("failover-mig-XXXXXX", NULL);
    g_assert_nonnull(tmpdir);

    qtest_add_data_func("/failover-migration/out-in/exec", &exec_acpi,
                        test_out_in);
    qtest_add_data_func("/failover-migration/out-in/unix", &unix_acpi,
                        test_out_in);
    qtest_add_data_func("/failover-migration/out-in/native", &exec_native,
                        test_out_in);
    qtest_add_data_func("/failover-migration/out-in/multifd",
                        &multifd_native, test_out_in);
    qtest_add_func("/failover-migration/multi", test_multi);
    qtest_add_func("/failover-migration/guest-off", test_guest_off);
    qtest_add_data_func("/failover-migration/cancel/wait-unplug",
                        &acpi_hp, test_cancel_wait_unplug);
    qtest_add_data_func("/failover-migration/cancel/wait-unplug/native",
                        &native_hp, test_cancel_wait_unplug);
    qtest_add_func("/failover-migration/cancel/active", test_cancel_active);
    qtest_add_func("/failover-migration/unplug-timeout", test_unplug_timeout);
    if (g_test_slow()) {
        qtest_add_func("/failover-migration/unplug-timeout/default",
                       test_unplug_timeout_default);
    }
    qtest_add_func("/failover-migration/wait-unplug-limit",
                   test_wait_unplug_limit);
    qtest_add_func("/failover-migration/dest-killed/wait-unplug",
                   test_dest_killed_wait_unplug);
    qtest_add_func("/failover-migration/dest-killed/active",
                   test_dest_killed_active);
    qtest_add_func("/failover-migration/bad/ejects", test_bad_ejects);
    qtest_add_func("/failover-migration/bad/renegotiate", test_renegotiate);
    qtest_add_func("/failover-migration/bad/eject-standby",
                   test_eject_standby);
    qtest_add_func("/failover-migration/bad/system-reset", test_system_reset);
    qtest_add_func("/failover-migration/bad/qmp-races", test_qmp_races);
    qtest_add_func("/failover-migration/bad/paused", test_paused);
    ret = g_test_run();
    {
        g_autofree char *cmd = g_strdup_printf("rm -rf '%s'", tmpdir);

        if (system(cmd)) {
            /* Leftovers in /tmp are harmless. */
        }
    }
    g_free(tmpdir);
    return ret;
}
