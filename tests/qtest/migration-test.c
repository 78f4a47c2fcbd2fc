/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * migration-test: two baton processes with the same command line, the
 * destination with -incoming.  Guest RAM and device state written on the
 * source must read back the same on the destination; failures and
 * cancels leave the source running.  Damaged streams: migration-stream-test.
 */
#include "libqtest.h"
#include "libqos/stream-peer.h"
#include "libqos/pci.h"
#include "libqos/pci-hotplug.h"
#include "libqos/malloc.h"
#include "libqos/virtio-net.h"
#include "libqos/migrate.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define MACHINE "-M q35 -nodefaults -m 64M "
#define RAM_BASE 0x100000ULL

/* --- helpers ------------------------------------------------------------ */

/* Some scattered pages of recognisable data. */
static void write_ram(QTestState *qts, uint32_t seed)
{
    uint8_t page[4096];

    for (int i = 0; i < 8; i++) {
        mig_fill_pattern(page, sizeof(page), seed + i);
        qtest_memwrite(qts, RAM_BASE + (uint64_t)i * 0x123000, page,
                       sizeof(page));
    }
}

static void check_ram(QTestState *qts, uint32_t seed)
{
    uint8_t page[4096], got[4096];

    for (int i = 0; i < 8; i++) {
        mig_fill_pattern(page, sizeof(page), seed + i);
        qtest_memread(qts, RAM_BASE + (uint64_t)i * 0x123000, got,
                      sizeof(got));
        g_assert(memcmp(page, got, sizeof(page)) == 0);
    }
    /* A page that was never written is still zero. */
    qtest_memread(qts, RAM_BASE + 0x3000000, got, sizeof(got));
    memset(page, 0, sizeof(page));
    g_assert(memcmp(page, got, sizeof(page)) == 0);
}

/* Source side of a plain migration to uri, ending completed. */
static void migrate_and_complete(QTestState *src, const char *uri)
{
    mig_start(src, uri);
    mig_wait_status(src, "completed");
}

static void check_destination(QTestState *dst, uint32_t seed)
{
    g_autofree char *rs = NULL;
    g_autofree char *ms = NULL;

    qtest_qmp_eventwait(dst, "RESUME");
    rs = mig_run_status(dst);
    g_assert_cmpstr(rs, ==, "running");
    ms = mig_status(dst);
    g_assert_cmpstr(ms, ==, "completed");
    check_ram(dst, seed);
}

static void test_parameters(void)
{
    QTestState *qts = qtest_init(MACHINE);
    JsonNode *ret;
    JsonObject *p;
    JsonArray *caps;

    ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-migrate-parameters'}");
    p = json_node_get_object(ret);
    g_assert_cmpint(json_object_get_int_member(p, "downtime-limit"), ==, 300);
    g_assert_cmpint(json_object_get_int_member(p, "max-bandwidth"), ==,
                    134217728);
    g_assert_cmpint(json_object_get_int_member(p, "multifd-channels"), ==, 2);
    json_node_unref(ret);

    mig_set_param(qts, "downtime-limit", 42);
    ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-migrate-parameters'}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(ret),
                                               "downtime-limit"), ==, 42);
    json_node_unref(ret);
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'downtime_limit' expects an integer in the range of 0 to "
        "2000 seconds",
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'downtime-limit': 2000001}}");

    /* multifd-channels: a uint8, at least 1, as QEMU words it. */
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'multifd_channels' expects a value between 1 and 255",
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'multifd-channels': 0}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'multifd-channels' expects uint8_t",
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'multifd-channels': 256}}");
    /* The table keeps QEMU's order: the first bad member is reported. */
    qtest_qmp_expect_error(qts, "GenericError",
        "Parameter 'compress_level' expects a value between 0 and 9",
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'multifd-channels': 0, 'compress-level': 10}}");
    mig_set_param(qts, "multifd-channels", 255);
    ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-migrate-parameters'}");
    g_assert_cmpint(json_object_get_int_member(json_node_get_object(ret),
                                               "multifd-channels"), ==, 255);
    json_node_unref(ret);

    ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-migrate-capabilities'}");
    caps = json_node_get_array(ret);
    g_assert_cmpuint(json_array_get_length(caps), ==, 23);
    for (guint i = 0; i < json_array_get_length(caps); i++) {
        g_assert_false(json_object_get_boolean_member(
            json_array_get_object_element(caps, i), "state"));
    }
    json_node_unref(ret);

    /* Never migrated: {} */
    g_autoptr(JsonObject) info = mig_query(qts);
    g_assert_cmpint(json_object_get_size(info), ==, 0);

    /* User-creatable memory backends come and go. */
    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': "
        "{'qom-type': 'memory-backend-ram', 'id': 'extra', 'size': 1048576}}");
    qtest_qmp_expect_error(qts, "GenericError",
        "attempt to add duplicate property 'extra' to object "
        "(type 'container')",
        "{'execute': 'object-add', 'arguments': {'qom-type': "
        "'memory-backend-ram', 'id': 'extra', 'size': 4096}}");
    qtest_qmp_assert_success(qts, "{'execute': 'object-del', 'arguments': "
                             "{'id': 'extra'}}");
    qtest_qmp_expect_error(qts, "GenericError", "object 'extra' not found",
        "{'execute': 'object-del', 'arguments': {'id': 'extra'}}");
    qtest_quit(qts);
}

/* --- transports --------------------------------------------------------- */

static void test_unix(void)
{
    g_autofree char *sock = mig_tmp_path("mig.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-incoming %s", uri);
    QTestState *src = qtest_init(MACHINE);
    g_autoptr(JsonObject) info = NULL;
    g_autofree char *rs = NULL;

    write_ram(src, 1);
    migrate_and_complete(src, uri);
    qtest_qmp_eventwait(src, "STOP");
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "postmigrate");

    info = mig_query(src);
    g_assert(json_object_has_member(info, "total-time"));
    g_assert(json_object_has_member(info, "setup-time"));
    g_assert(json_object_has_member(info, "downtime"));
    g_assert(!json_object_has_member(info, "expected-downtime"));
    JsonObject *ram = json_object_get_object_member(info, "ram");
    g_assert_cmpint(json_object_get_int_member(ram, "total"), >=, 64 << 20);
    g_assert_cmpint(json_object_get_int_member(ram, "normal"), >=, 8);
    g_assert_cmpint(json_object_get_int_member(ram, "page-size"), ==, 4096);
    g_assert_cmpint(json_object_get_int_member(ram, "remaining"), ==, 0);
    g_assert_cmpint(json_object_get_int_member(ram, "dirty-sync-count"),
                    >=, 3);

    check_destination(dst, 1);
    /* A second migrate needs a cont first. */
    qtest_qmp_expect_error(src, "GenericError",
        "Can't migrate the vm that was paused due to previous migration",
        "{'execute': 'migrate', 'arguments': {'uri': '%s'}}", uri);
    qtest_quit(src);
    qtest_quit(dst);
}

static void test_events(void)
{
    g_autofree char *sock = mig_tmp_path("ev.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-incoming %s", uri);
    QTestState *src = qtest_init(MACHINE);
    const char *expect[] = {
        "MIGRATION setup", "MIGRATION_PASS 1", "MIGRATION active",
        "MIGRATION_PASS 2", "STOP", "MIGRATION_PASS 3",
        "MIGRATION completed",
    };
    guint n = 0;

    mig_enable_events(src);
    /* Read the reply and the events in the order they come. */
    qtest_qmp_send(src, "{'execute': 'migrate', 'arguments': {'uri': '%s'}}",
                   uri);
    while (n < G_N_ELEMENTS(expect)) {
        g_autoptr(JsonObject) ev = qtest_qmp_receive_dict(src);
        const char *name;
        g_autofree char *text = NULL;

        if (!json_object_has_member(ev, "event")) {
            continue;
        }
        name = json_object_get_string_member(ev, "event");
        if (!strcmp(name, "MIGRATION")) {
            text = g_strdup_printf("%s %s", name, json_object_get_string_member(
                json_object_get_object_member(ev, "data"), "status"));
        } else if (!strcmp(name, "MIGRATION_PASS")) {
            text = g_strdup_printf("%s %" PRId64, name, json_object_get_int_member(
                json_object_get_object_member(ev, "data"), "pass"));
        } else {
            text = g_strdup(name);
        }
        g_assert_cmpstr(text, ==, expect[n]);
        n++;
    }
    qtest_qmp_eventwait(dst, "RESUME");
    qtest_quit(src);
    qtest_quit(dst);
}

static void test_tcp(void)
{
    QTestState *dst = qtest_init(MACHINE "-incoming tcp:127.0.0.1:0");
    QTestState *src = qtest_init(MACHINE);
    g_autoptr(JsonObject) info = mig_query(dst);
    JsonArray *addrs = json_object_get_array_member(info, "socket-address");
    JsonObject *a = json_array_get_object_element(addrs, 0);
    g_autofree char *uri = NULL;

    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "setup");
    g_assert_cmpstr(json_object_get_string_member(a, "type"), ==, "inet");
    uri = g_strdup_printf("tcp:127.0.0.1:%s",
                          json_object_get_string_member(a, "port"));
    write_ram(src, 2);
    migrate_and_complete(src, uri);
    check_destination(dst, 2);
    qtest_quit(src);
    qtest_quit(dst);
}

static void test_exec(void)
{
    g_autofree char *file = mig_tmp_path("exec.mig");
    g_autofree char *out = g_strdup_printf("exec:cat > %s", file);
    QTestState *src = qtest_init(MACHINE);
    QTestState *dst;

    write_ram(src, 3);
    migrate_and_complete(src, out);
    qtest_quit(src);
    /*
     * defer: with -incoming "exec:..." the load could finish (and RESUME
     * be sent) before our QMP handshake is over.
     */
    dst = qtest_init(MACHINE "-incoming defer");
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': 'exec:cat %s'}}", file);
    check_destination(dst, 3);
    qtest_quit(dst);
}

static void test_fd(void)
{
    g_autofree char *sock = mig_tmp_path("fd.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-incoming %s", uri);
    QTestState *src = qtest_init(MACHINE);
    g_autoptr(JsonObject) rsp = NULL;
    /* Connect ourselves and hand the socket over with getfd. */
    int fd = qtest_unix_connect(sock);

    rsp = qtest_qmp_fds(src, &fd, 1, "{'execute': 'getfd', 'arguments': "
                        "{'fdname': 'mig'}}");
    g_assert(!qmp_rsp_is_err(rsp));
    close(fd);
    write_ram(src, 4);
    migrate_and_complete(src, "fd:mig");
    check_destination(dst, 4);
    qtest_quit(src);
    qtest_quit(dst);
}

static void test_defer(void)
{
    g_autofree char *sock = mig_tmp_path("defer.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *plain = qtest_init(MACHINE);
    QTestState *dst = qtest_init(MACHINE "-incoming defer");
    QTestState *src = qtest_init(MACHINE);
    g_autofree char *rs = mig_run_status(dst);
    g_autoptr(JsonObject) ev = NULL;

    qtest_qmp_expect_error(plain, "GenericError",
        "'-incoming' was not specified on the command line",
        "{'execute': 'migrate-incoming', 'arguments': {'uri': '%s'}}", uri);
    qtest_quit(plain);

    g_assert_cmpstr(rs, ==, "inmigrate");
    qtest_qmp_expect_error(dst, "GenericError",
        "Guest is waiting for an incoming migration",
        "{'execute': 'migrate', 'arguments': {'uri': '%s'}}", uri);
    /* setup is announced before the URI is even looked at; retry works. */
    qtest_qmp_expect_error(dst, "GenericError",
        "unknown migration protocol: foo:bar",
        "{'execute': 'migrate-incoming', 'arguments': {'uri': 'foo:bar'}}");
    ev = qtest_qmp_eventwait_ref(dst, "MIGRATION");
    g_assert_cmpstr(json_object_get_string_member(
        json_object_get_object_member(ev, "data"), "status"), ==, "setup");
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': '%s'}}", uri);
    qtest_qmp_expect_error(dst, "GenericError",
        "The incoming migration has already been started",
        "{'execute': 'migrate-incoming', 'arguments': {'uri': '%s'}}", uri);

    write_ram(src, 5);
    migrate_and_complete(src, uri);
    check_destination(dst, 5);
    qtest_quit(src);
    qtest_quit(dst);
}

/* -S on the destination: loaded, but paused until cont. */
static void test_dest_paused(void)
{
    g_autofree char *sock = mig_tmp_path("paused.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-S -incoming %s", uri);
    QTestState *src = qtest_init(MACHINE);
    g_autofree char *rs = NULL;

    mig_enable_events(dst);
    migrate_and_complete(src, uri);
    g_free(mig_wait_event(dst, "completed", NULL));
    rs = mig_run_status(dst);
    g_assert_cmpstr(rs, ==, "paused");
    g_assert(!qtest_qmp_event_ref(dst, "RESUME"));
    qtest_qmp_assert_success(dst, "{'execute': 'cont'}");
    qtest_qmp_eventwait(dst, "RESUME");
    qtest_quit(src);
    qtest_quit(dst);
}

/* Guest RAM from a prepared file (memory-backend-file, share=on). */
static void test_memory_backend_file(void)
{
    g_autofree char *sock = mig_tmp_path("mem.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    g_autofree char *memfile = mig_tmp_path("guest.ram");
    g_autofree uint8_t *mem = g_malloc0(64 << 20);
    g_autofree uint8_t *got = g_malloc(64 * 4096);
    QTestState *src, *dst;

    mig_fill_pattern(mem + RAM_BASE, 64 * 4096, 123);
    g_assert(g_file_set_contents(memfile, (char *)mem, 64 << 20, NULL));
    dst = qtest_initf(MACHINE "-object memory-backend-ram,id=mem,size=64M "
                      "-machine memory-backend=mem -incoming %s", uri);
    src = qtest_initf(MACHINE "-object memory-backend-file,id=mem,size=64M,"
                      "mem-path=%s,share=on -machine memory-backend=mem",
                      memfile);
    qtest_memread(src, RAM_BASE, got, 64 * 4096);
    g_assert(memcmp(got, mem + RAM_BASE, 64 * 4096) == 0);
    qtest_qmp_expect_error(src, "GenericError",
        "object 'mem' is in use, can not be deleted",
        "{'execute': 'object-del', 'arguments': {'id': 'mem'}}");
    migrate_and_complete(src, uri);
    qtest_qmp_eventwait(dst, "RESUME");
    qtest_memread(dst, RAM_BASE, got, 64 * 4096);
    g_assert(memcmp(got, mem + RAM_BASE, 64 * 4096) == 0);
    qtest_quit(src);
    qtest_quit(dst);
}

/* --- pre-copy with a guest writing ----------------------------------- */

#define DIRTY_PAGES 64

static void test_dirty_precopy(void)
{
    g_autofree char *sock = mig_tmp_path("dirty.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-incoming %s", uri);
    QTestState *src = qtest_init(MACHINE);
    g_autofree uint8_t *mem = g_malloc(DIRTY_PAGES * 4096);
    g_autofree uint8_t *got = g_malloc(DIRTY_PAGES * 4096);
    /* The pages of the last round of writes, and what they held before. */
    g_autofree uint8_t *before = g_malloc(4 * 4096);
    uint32_t last[4] = { 0 };
    int nlast = 0;
    uint32_t seed = 77;
    int64_t passes = 0;

    mig_fill_pattern(mem, DIRTY_PAGES * 4096, seed);
    qtest_memwrite(src, RAM_BASE, mem, DIRTY_PAGES * 4096);
    /* Slow enough for several passes; never converge while we write. */
    mig_set_param(src, "max-bandwidth", 512 << 10);
    mig_set_param(src, "downtime-limit", 0);
    mig_start(src, uri);
    g_free(mig_wait_event(src, "active", NULL));

    while (passes < 4) {
        g_autoptr(JsonObject) info = mig_query(src);
        const char *status = json_object_get_string_member(info, "status");
        JsonObject *ram;

        /*
         * Only a pass that ends with nothing dirty completes; on a loaded
         * host our writes may pause that long.  The result must still be
         * identical.
         */
        if (!strcmp(status, "completed")) {
            break;
        }
        g_assert_cmpstr(status, ==, "active");
        ram = json_object_get_object_member(info, "ram");
        g_assert(json_object_has_member(info, "expected-downtime"));
        g_assert(json_object_has_member(info, "total-time"));
        g_assert(!json_object_has_member(info, "downtime"));
        passes = json_object_get_int_member(ram, "dirty-sync-count");
        /*
         * The guest keeps changing pages here and there: four distinct
         * pages, whose old contents are kept, since the switch-over may
         * come between any two of these writes.
         */
        nlast = 0;
        while (nlast < 4) {
            uint32_t page = (uint32_t)g_random_int_range(0, DIRTY_PAGES);
            bool seen = false;

            for (int i = 0; i < nlast; i++) {
                seen |= last[i] == page;
            }
            if (seen) {
                continue;
            }
            memcpy(before + nlast * 4096, mem + page * 4096, 4096);
            last[nlast++] = page;
            mig_fill_pattern(mem + page * 4096, 4096, ++seed);
            qtest_memwrite(src, RAM_BASE + page * 4096, mem + page * 4096,
                           4096);
        }
    }
    g_assert_cmpint(passes, >=, 2);
    mig_set_param(src, "max-bandwidth", 1 << 30);
    mig_set_param(src, "downtime-limit", 300);
    mig_wait_status(src, "completed");

    qtest_qmp_eventwait(dst, "RESUME");
    qtest_memread(dst, RAM_BASE, got, DIRTY_PAGES * 4096);
    /*
     * Every page holds its last value, except that the last round of
     * writes raced the switch-over (the query before it said active, the
     * source may have stopped since): those pages hold the new value or
     * the one before, nothing else.
     */
    for (uint32_t p = 0; p < DIRTY_PAGES; p++) {
        bool ok = !memcmp(mem + p * 4096, got + p * 4096, 4096);

        for (int i = 0; !ok && i < nlast; i++) {
            ok = last[i] == p &&
                 !memcmp(before + i * 4096, got + p * 4096, 4096);
        }
        if (!ok) {
            g_test_message("page %u differs on the destination", p);
        }
        g_assert_true(ok);
    }
    qtest_quit(src);
    qtest_quit(dst);
}

/* --- device state ------------------------------------------------------- */

#define PCI_MACHINE MACHINE \
    "-device pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2 " \
    "-device pci-testdev,id=td0,bus=rp0 " \
    "-device pcie-root-port,id=rp1,chassis=1,slot=2,addr=0x3 "

static void test_pci_state(void)
{
    g_autofree char *sock = mig_tmp_path("pci.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(PCI_MACHINE "-incoming defer");
    QTestState *src = qtest_init(PCI_MACHINE);
    QPCIBus *bus = qpci_new_pc(src);
    QPCIBus *dbus = qpci_new_pc(dst);
    QPCIDevice rp = qpci_device_at(bus, QPCI_DEVFN(2, 0));
    QPCIDevice drp = qpci_device_at(dbus, QPCI_DEVFN(2, 0));
    QPCIDevice *td, *dtd;
    QPCIBar bar;
    uint32_t busregs, bar0;
    uint64_t addr;
    int bsel;

    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 2);
    busregs = qpci_config_readl(&rp, 0x18);
    td = qpci_device_find(bus, QPCI_BDF((busregs >> 8) & 0xff, 0, 0));
    g_assert(td);
    qpci_device_enable(&rp);
    qpci_iomap(&rp, 4, NULL);   /* the memory window, as libqos does */
    bar = qpci_iomap(td, 0, NULL);
    qpci_device_enable(td);
    qpci_io_writel(td, bar, 0, 0xcafef00d);
    bar0 = qpci_config_readl(td, 0x10);
    addr = bar0 & ~0xfULL;
    g_assert_cmphex(qtest_readl(src, addr), ==, 0xcafef00d);

    /* A hot-unplug request the guest has not answered yet: DOWN bit. */
    qtest_qmp_device_add(dst, "pci-testdev", "hp0", "{'bus': 'rp1'}");
    qtest_qmp_device_add(src, "pci-testdev", "hp0", "{'bus': 'rp1'}");
    bsel = acpi_pcihp_bsel(src, "/machine/peripheral/rp1/rp1");
    g_assert_cmpint(bsel, >=, 0);
    qtest_qmp_device_del_send(src, "hp0");
    g_assert_cmphex(acpi_pcihp_down(src, bsel), ==, 1);
    g_assert_cmphex(acpi_pcihp_down(dst, bsel), ==, 0);

    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': '%s'}}", uri);
    migrate_and_complete(src, uri);
    qtest_qmp_eventwait(dst, "RESUME");

    g_assert_cmphex(qpci_config_readl(&drp, 0x18), ==, busregs);
    dtd = qpci_device_find(dbus, QPCI_BDF((busregs >> 8) & 0xff, 0, 0));
    g_assert(dtd);
    g_assert_cmphex(qpci_config_readl(dtd, 0x10), ==, bar0);
    g_assert_cmphex(qpci_config_readw(dtd, 0x04) & 0x2, ==, 0x2);
    /* The BAR decodes at the same address on the destination. */
    qtest_writel(dst, addr, 0x12345678);
    g_assert_cmphex(qtest_readl(dst, addr), ==, 0x12345678);
    g_assert_cmphex(acpi_pcihp_down(dst, bsel), ==, 1);

    g_free(td);
    g_free(dtd);
    qpci_free_pc(bus);
    qpci_free_pc(dbus);
    qtest_quit(src);
    qtest_quit(dst);
}

/*
 * A device with its INTx line asserted migrates: the interrupt-status
 * bit of the PCI status register is run-time state, not a mismatch.
 */
#define INTX_MACHINE MACHINE \
    "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1 " \
    "-netdev hubport,id=n0,hubid=0 " \
    "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0 "

static void test_intx_pending(void)
{
    g_autofree char *sock = mig_tmp_path("intx.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(INTX_MACHINE "-incoming defer");
    QTestState *src = qtest_init(INTX_MACHINE);
    QGuestAllocator alloc;
    QPCIBus *bus, *dbus;
    QVirtioNet n;
    QPCIDevice *dnic;

    pc_alloc_init(&alloc, src);
    bus = qpci_new_pc(src);
    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 1);
    qvirtio_net_map_root_ports(bus, 1);
    qvirtio_net_start(&n, bus, &alloc, QPCI_BDF(1, 0, 0), 0, false);
    /* A config change with MSI-X off raises INTx (status bit 3). */
    qtest_qmp_assert_success(src, "{'execute': 'set_link', 'arguments': "
                             "{'name': 'nic0', 'up': false}}");
    g_assert_cmphex(qpci_config_readw(&n.pci.pdev, 0x06) & 0x08, ==, 0x08);

    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': '%s'}}", uri);
    migrate_and_complete(src, uri);
    qtest_qmp_eventwait(dst, "RESUME");

    dbus = qpci_new_pc(dst);
    dnic = qpci_device_find(dbus, QPCI_BDF(1, 0, 0));
    g_assert(dnic);
    g_assert_cmphex(qpci_config_readw(dnic, 0x06) & 0x08, ==, 0x08);

    g_free(dnic);
    qpci_free_pc(dbus);
    qvirtio_net_stop(&n);
    qpci_free_pc(bus);
    alloc_destroy(&alloc);
    qtest_quit(src);
    qtest_quit(dst);
}

/*
 * Frames through a virtio-net queue across migration.  Each process has
 * its own stream netdev connected to a socket the test listens on; the
 * guest driver (libqos structures, guest RAM) moves with the migration
 * and carries on against the destination without re-initialising.
 */
#define NET_TIMEOUT_US (5 * 1000 * 1000)
#define NET_MAC_CMDLINE "52:54:00:12:34:56"
#define NET_MACHINE MACHINE \
    "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1 " \
    "-netdev stream,id=n0,server=off,addr.type=unix,addr.path=%s " \
    "-device virtio-net-pci,bus=root0,netdev=n0,id=nic0," \
    "mac=" NET_MAC_CMDLINE " "

/* The guest sends a frame; the peer must read exactly it. */
static void net_check_tx(QVirtioNet *n, QStreamPeer *p, size_t len,
                         uint8_t seed)
{
    uint8_t frame[1514], got[2048];

    qstream_make_frame(frame, len, (const uint8_t *)"\xff\xff\xff\xff\xff\xff",
                   seed);
    qvirtio_net_tx(n, frame, len);
    g_assert_cmpuint(qstream_peer_recv(p, got, sizeof(got)), ==, len);
    g_assert(memcmp(got, frame, len) == 0);
}

/* The next used RX entry is head, holding the frame after the header. */
static void net_check_rx(QTestState *qts, QVirtioNet *n, uint16_t head,
                         uint64_t buf, const uint8_t *frame, size_t len)
{
    uint8_t got[2048];
    uint32_t id, used_len;

    g_assert(qvirtqueue_wait_used(qts, n->rx, &id, &used_len,
                                  NET_TIMEOUT_US));
    g_assert_cmpuint(id, ==, head);
    g_assert_cmpuint(used_len, ==, n->hdr_len + len);
    qtest_memread(qts, buf, got, used_len);
    g_assert_cmpint(got[10] | got[11] << 8, ==, 1);     /* num_buffers */
    g_assert(memcmp(got + n->hdr_len, frame, len) == 0);
}

/* A control-queue command; returns the device's ack byte. */
static uint8_t net_ctrl(QTestState *qts, QVirtioNet *n, uint8_t cls,
                        uint8_t cmd, const void *data, size_t len)
{
    uint64_t buf = guest_alloc(n->alloc, 64);
    uint8_t hdr[2] = { cls, cmd };
    uint16_t head;
    uint32_t id;
    uint8_t ack;

    g_assert(n->ctrl);
    qtest_memwrite(qts, buf, hdr, sizeof(hdr));
    qtest_memwrite(qts, buf + 16, data, len);
    qtest_writeb(qts, buf + 32, 0xff);
    head = qvirtqueue_add(qts, n->ctrl, buf, sizeof(hdr), false, true);
    qvirtqueue_add(qts, n->ctrl, buf + 16, len, false, true);
    qvirtqueue_add(qts, n->ctrl, buf + 32, 1, true, false);
    qvirtqueue_kick(&n->pci.vdev, n->ctrl, head);
    g_assert(qvirtqueue_wait_used(qts, n->ctrl, &id, NULL, NET_TIMEOUT_US));
    g_assert_cmpuint(id, ==, head);
    ack = qtest_readb(qts, buf + 32);
    guest_free(n->alloc, buf);
    return ack;
}

static char *net_main_mac(QTestState *qts)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'query-rx-filter', 'arguments': {'name': 'nic0'}}");
    JsonArray *list = json_node_get_array(ret);

    g_assert_cmpuint(json_array_get_length(list), ==, 1);
    return g_strdup(json_object_get_string_member(
                        json_array_get_object_element(list, 0), "main-mac"));
}

/* The property keeps the command line's MAC, as QEMU's does. */
static char *net_qom_mac(QTestState *qts)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': 'qom-get', 'arguments': "
        "{'path': '/machine/peripheral/nic0', 'property': 'mac'}}");

    return g_strdup(json_node_get_string(ret));
}

static void test_virtio_net_frames(void)
{
    static const uint8_t new_mac[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };
    static const uint8_t other_mac[6] = { 0x52, 0x54, 0x00, 0x99, 0x99, 0x99 };
    enum { SPARE = 3, TX_BEFORE = 2 };
    g_autofree char *sock = mig_tmp_path("net.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    g_autofree char *mac = NULL;
    g_autofree char *dmac = NULL;
    g_autofree char *prop = NULL;
    QTestState *src, *dst;
    QGuestAllocator alloc;
    QPCIBus *bus, *dbus;
    QStreamPeer sp, dp;
    QVirtioNet n;
    uint8_t frame[1514], off = 0;
    uint64_t rxbuf[1 + SPARE];
    uint16_t rxhead[1 + SPARE];
    uint16_t tx_used;

    qstream_peer_listen(&sp);
    qstream_peer_listen(&dp);
    dst = qtest_initf(NET_MACHINE "-incoming defer", dp.path);
    qstream_peer_accept(&dp);
    src = qtest_initf(NET_MACHINE, sp.path);
    qstream_peer_accept(&sp);

    pc_alloc_init(&alloc, src);
    bus = qpci_new_pc(src);
    g_assert_cmpint(qpci_secondary_buses_init(bus), ==, 1);
    qvirtio_net_map_root_ports(bus, 1);
    qvirtio_net_start(&n, bus, &alloc, QPCI_BDF(1, 0, 0), 0, false);

    /* Run-time receive filter: a new MAC, and only frames to it. */
    g_assert_cmpint(net_ctrl(src, &n, 1, 1, new_mac, 6), ==, 0);
    g_assert_cmpint(net_ctrl(src, &n, 0, 0, &off, 1), ==, 0);
    mac = net_main_mac(src);
    g_assert_cmpstr(mac, ==, "52:54:00:ab:cd:ef");

    /* Frames both ways on the source. */
    for (int i = 0; i < TX_BEFORE; i++) {
        net_check_tx(&n, &sp, i ? 60 : 342, i);
    }
    for (int i = 0; i <= SPARE; i++) {
        rxbuf[i] = guest_alloc(&alloc, 2048);
        qtest_memset(src, rxbuf[i], 0xa5, 2048);
    }
    rxhead[0] = qvirtqueue_add(src, n.rx, rxbuf[0], 2048, true, false);
    qvirtqueue_kick(&n.pci.vdev, n.rx, rxhead[0]);
    qstream_make_frame(frame, 98, new_mac, 7);
    qstream_peer_send(&sp, frame, 98);
    net_check_rx(src, &n, rxhead[0], rxbuf[0], frame, 98);

    /* Buffers the guest posts now stay unused until after migration. */
    for (int i = 1; i <= SPARE; i++) {
        rxhead[i] = qvirtqueue_add(src, n.rx, rxbuf[i], 2048, true, false);
        qvirtqueue_kick(&n.pci.vdev, n.rx, rxhead[i]);
    }
    g_assert_cmpuint(qtest_readw(src, n.rx->used + 2), ==, 1);
    tx_used = qtest_readw(src, n.tx->used + 2);
    g_assert_cmpuint(tx_used, ==, TX_BEFORE);
    g_assert_cmpuint(n.tx->last_used_idx, ==, TX_BEFORE);

    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': '%s'}}", uri);
    migrate_and_complete(src, uri);
    qtest_qmp_eventwait(dst, "RESUME");

    /*
     * The source is stopped for good and completes nothing more: a driver
     * that still kicks it (qtest can) finds no completion the destination
     * does not have.  The driver's ring state is put back afterwards.
     */
    {
        QVirtQueue saved = *n.tx;
        uint64_t buf = guest_alloc(&alloc, n.hdr_len + 60);
        uint16_t head;

        qtest_memset(src, buf, 0, n.hdr_len + 60);
        head = qvirtqueue_add(src, n.tx, buf, n.hdr_len + 60, false, false);
        qvirtqueue_kick(&n.pci.vdev, n.tx, head);
        g_assert_cmpuint(qtest_readw(src, n.tx->used + 2), ==, tx_used);
        g_assert(qstream_fd_idle(sp.fd));
        guest_free(&alloc, buf);
        *n.tx = saved;
    }

    /*
     * The same driver, now talking to the destination: only the handles
     * that name a process change.  BARs and rings are where they were.
     */
    dbus = qpci_new_pc(dst);
    n.pci.vdev.qts = dst;
    n.pci.pdev.bus = dbus;
    g_assert_cmphex(qvirtio_get_status(&n.pci.vdev), ==, 0x0f);
    g_assert_cmpuint(qtest_readw(dst, n.rx->used + 2), ==, 1);
    g_assert_cmpuint(qtest_readw(dst, n.tx->used + 2), ==, tx_used);
    dmac = net_main_mac(dst);
    g_assert_cmpstr(dmac, ==, mac);
    prop = net_qom_mac(dst);
    g_assert_cmpstr(prop, ==, NET_MAC_CMDLINE);

    /*
     * RX into the buffers posted before migration, in order.  A frame for
     * another MAC goes first: the filter migrated if it is dropped (the
     * stream keeps order, so the next frame shows it was looked at).
     */
    qstream_make_frame(frame, 120, other_mac, 11);
    qstream_peer_send(&dp, frame, 120);
    qstream_make_frame(frame, 150, new_mac, 13);
    qstream_peer_send(&dp, frame, 150);
    net_check_rx(dst, &n, rxhead[1], rxbuf[1], frame, 150);
    qstream_make_frame(frame, 1514, new_mac, 17);
    qstream_peer_send(&dp, frame, 1514);
    net_check_rx(dst, &n, rxhead[2], rxbuf[2], frame, 1514);
    g_assert_cmpuint(qtest_readw(dst, n.rx->used + 2), ==, 3);
    /* The last spare buffer is untouched, its contents migrated. */
    for (int i = 0; i < 2048; i += 512) {
        g_assert_cmphex(qtest_readb(dst, rxbuf[SPARE] + i), ==, 0xa5);
    }

    /* TX continues the used index from where the source left it. */
    net_check_tx(&n, &dp, 200, 23);
    g_assert_cmpuint(qtest_readw(dst, n.tx->used + 2), ==, tx_used + 1);
    g_assert_cmpuint(n.tx->last_used_idx, ==, tx_used + 1);

    qvirtio_net_stop(&n);
    qpci_free_pc(bus);
    qpci_free_pc(dbus);
    alloc_destroy(&alloc);
    qtest_quit(src);
    qtest_quit(dst);
    qstream_peer_close(&sp);
    qstream_peer_close(&dp);
}

/* The destination must have the same devices. */
static void test_device_mismatch(void)
{
    g_autofree char *file = mig_tmp_path("mismatch.mig");
    g_autofree char *out = g_strdup_printf("exec:cat > %s", file);
    QTestState *src = qtest_init(PCI_MACHINE);
    QTestState *dst;

    migrate_and_complete(src, out);
    qtest_quit(src);
    dst = qtest_init(MACHINE "-incoming defer");
    qtest_set_expected_status(dst, 1);
    /* The process may be gone before the reply: don't wait for one. */
    qtest_qmp_send(dst, "{'execute': 'migrate-incoming', "
                   "'arguments': {'uri': 'exec:cat %s'}}", file);
    qtest_wait_qemu(dst);
    qtest_quit(dst);
}

/* --- failure and cancel ----------------------------------------------- */

static void start_slow_migration(QTestState *src, const char *uri)
{
    g_autofree uint8_t *mem = g_malloc(256 * 4096);

    mig_fill_pattern(mem, 256 * 4096, 9);
    qtest_memwrite(src, RAM_BASE, mem, 256 * 4096);
    mig_set_param(src, "max-bandwidth", 100 * 1024);
    mig_start(src, uri);
    g_free(mig_wait_event(src, "active", NULL));
}

static void test_cancel_active(void)
{
    g_autofree char *sock = mig_tmp_path("cancel.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(PCI_MACHINE "-incoming %s", uri);
    QTestState *src = qtest_init(PCI_MACHINE);
    g_autoptr(JsonObject) info = NULL;
    g_autofree char *rs = NULL;
    g_autofree char *st = NULL;

    /* Nothing running: a no-op. */
    qtest_qmp_assert_success(src, "{'execute': 'migrate_cancel'}");
    start_slow_migration(src, uri);
    qtest_qmp_expect_error(src, "GenericError",
        "device_add not allowed while migrating",
        "{'execute': 'device_add', 'arguments': {'driver': 'pci-testdev', "
        "'bus': 'rp1'}}");
    qtest_qmp_expect_error(src, "GenericError",
        "There's a migration process in progress",
        "{'execute': 'migrate', 'arguments': {'uri': '%s'}}", uri);
    qtest_qmp_expect_error(src, "GenericError",
        "There's a migration process in progress",
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
    /* Its channels are open: their number cannot change now. */
    qtest_qmp_expect_error(src, "GenericError",
        "There's a migration process in progress",
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'multifd-channels': 4}}");
    mig_set_param(src, "multifd-channels", 2);
    qtest_qmp_assert_success(src, "{'execute': 'migrate_cancel'}");
    g_free(mig_wait_event(src, "cancelling", NULL));
    st = mig_wait_event(src, "cancelled", NULL);
    info = mig_query(src);
    g_assert_cmpstr(json_object_get_string_member(info, "status"), ==,
                    "cancelled");
    g_assert_cmpint(json_object_get_size(info), ==, 1);
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "running");
    g_assert(!qtest_qmp_event_ref(src, "STOP"));
    /* The destination saw the stream end early and gave up. */
    qtest_set_expected_status(dst, 1);
    qtest_wait_qemu(dst);
    qtest_quit(dst);

    /* Nothing lost: the next migration carries everything. */
    g_autofree char *sock2 = mig_tmp_path("cancel2.sock");
    g_autofree char *uri2 = g_strdup_printf("unix:%s", sock2);
    QTestState *dst2 = qtest_initf(PCI_MACHINE "-incoming %s", uri2);
    write_ram(src, 6);
    mig_set_param(src, "max-bandwidth", 1 << 30);
    mig_migrate(src, uri2);
    g_free(mig_wait_event(src, "completed", NULL));
    check_destination(dst2, 6);
    qtest_quit(dst2);
    qtest_quit(src);
}

/*
 * Cancel while still connecting: a TCP listener whose accept queue is full
 * drops the SYN, so the connect stays in progress (state setup).
 */
static void test_cancel_setup(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    int clients[4];
    QTestState *src = qtest_init(MACHINE);
    g_autofree char *uri = NULL;
    g_autofree char *st = NULL;
    g_autofree char *rs = NULL;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    g_assert_cmpint(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(lfd, 0), ==, 0);
    g_assert_cmpint(getsockname(lfd, (struct sockaddr *)&sa, &len), ==, 0);
    for (int i = 0; i < 4; i++) {
        clients[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(clients[i], (struct sockaddr *)&sa, sizeof(sa));
    }
    uri = g_strdup_printf("tcp:127.0.0.1:%d", ntohs(sa.sin_port));
    mig_start(src, uri);
    g_free(mig_wait_event(src, "setup", NULL));
    st = mig_status(src);
    g_assert_cmpstr(st, ==, "setup");
    qtest_qmp_assert_success(src, "{'execute': 'migrate_cancel'}");
    g_free(mig_wait_event(src, "cancelling", NULL));
    g_free(mig_wait_event(src, "cancelled", NULL));
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "running");
    for (int i = 0; i < 4; i++) {
        close(clients[i]);
    }
    close(lfd);
    qtest_quit(src);
}

static void test_dest_killed(void)
{
    g_autofree char *sock = mig_tmp_path("killed.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *dst = qtest_initf(MACHINE "-incoming %s", uri);
    QTestState *src = qtest_init(MACHINE);
    g_autoptr(JsonObject) info = NULL;
    g_autofree char *rs = NULL;

    start_slow_migration(src, uri);
    /* SIGTERM: the destination goes away in the middle of the stream. */
    qtest_quit(dst);
    mig_wait_status(src, "failed");
    info = mig_query(src);
    g_assert(json_object_has_member(info, "error-desc"));
    rs = mig_run_status(src);
    g_assert_cmpstr(rs, ==, "running");
    qtest_quit(src);
}

static void test_connect_refused(void)
{
    g_autofree char *sock = mig_tmp_path("nobody.sock");
    g_autofree char *uri = g_strdup_printf("unix:%s", sock);
    QTestState *src = qtest_init(MACHINE);
    g_autoptr(JsonObject) info = NULL;
    g_autofree char *st = NULL;
    g_autofree char *want = g_strdup_printf("Failed to connect to '%s': "
                                            "No such file or directory", sock);

    mig_start(src, uri);
    st = mig_wait_event(src, "failed", NULL);
    info = mig_query(src);
    g_assert_cmpstr(json_object_get_string_member(info, "error-desc"), ==,
                    want);
    /*
     * Unknown scheme: the error at once, and failed with it as the reason
     * (QEMU 8.2 on; QEMU 8.1 answers {} and loses the reason).
     */
    qtest_qmp_expect_error(src, "GenericError",
        "Parameter 'uri' expects a valid migration protocol",
        "{'execute': 'migrate', 'arguments': {'uri': 'foo:bar'}}");
    g_free(mig_wait_event(src, "failed", NULL));
    g_clear_pointer(&info, json_object_unref);
    info = mig_query(src);
    g_assert_cmpstr(json_object_get_string_member(info, "error-desc"), ==,
                    "Parameter 'uri' expects a valid migration protocol");
    qtest_quit(src);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);

    qtest_add_func("/migration/parameters", test_parameters);
    qtest_add_func("/migration/unix", test_unix);
    qtest_add_func("/migration/events", test_events);
    qtest_add_func("/migration/tcp", test_tcp);
    qtest_add_func("/migration/exec", test_exec);
    qtest_add_func("/migration/fd", test_fd);
    qtest_add_func("/migration/defer", test_defer);
    qtest_add_func("/migration/dest-paused", test_dest_paused);
    qtest_add_func("/migration/dirty-precopy", test_dirty_precopy);
    qtest_add_func("/migration/memory-backend-file",
                   test_memory_backend_file);
    qtest_add_func("/migration/pci-state", test_pci_state);
    qtest_add_func("/migration/intx-pending", test_intx_pending);
    qtest_add_func("/migration/virtio-net-frames", test_virtio_net_frames);
    qtest_add_func("/migration/device-mismatch", test_device_mismatch);
    qtest_add_func("/migration/cancel-active", test_cancel_active);
    qtest_add_func("/migration/cancel-setup", test_cancel_setup);
    qtest_add_func("/migration/dest-killed", test_dest_killed);
    qtest_add_func("/migration/connect-refused", test_connect_refused);
    ret = g_test_run();
    mig_tmp_cleanup();
    return ret;
}
