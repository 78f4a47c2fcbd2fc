/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-failover BINARY MODE: failover across migration, timed.
 *
 *   latency N   one pair, N rounds of: migrate (exec to /dev/null), the
 *               guest ejects, cancel in active (the primary comes back).
 *               "unplug_ms T" per round: migrate sent -> UNPLUG_PRIMARY;
 *               "eject_active_ms T": the guest's eject sent -> MIGRATION
 *               active.
 *   pairs K     K pairs (K = 0: the same 2*K NICs without failover) out
 *               and in over a unix socket, the guest ejecting each primary
 *               as soon as it is asked: "e2e_ms T" from migrate sent to
 *               the destination's RESUME; with K > 0 also
 *               "negotiated_ms T" per pair (FEATURES_OK written ->
 *               FAILOVER_NEGOTIATED) and "negotiate_all_ms T" (first
 *               FEATURES_OK -> last FAILOVER_NEGOTIATED, the drivers
 *               having been brought up to their feature choice first).
 *
 * Times come from the events' timestamps (the binary's wall clock) against
 * the client's wall clock taken just before it sends: both are the host's
 * clock, and the difference includes one socket hop.
 */
#include "libqtest.h"
#include "libqos/virtio-net.h"
#include "libqos/pci-hotplug.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PAIRS 16

static char *dir;

static double wall_s(void)
{
    return g_get_real_time() / 1e6;
}

static double event_time(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    return json_object_get_int_member(ts, "seconds") +
           json_object_get_int_member(ts, "microseconds") / 1e6;
}

/* The MIGRATION event with that status (earlier ones skipped). */
static JsonObject *wait_status(QTestState *qts, const char *status)
{
    for (;;) {
        JsonObject *ev = qtest_qmp_eventwait_ref(qts, "MIGRATION");
        const char *st = json_object_get_string_member(
            json_object_get_object_member(ev, "data"), "status");

        if (!strcmp(st, status)) {
            return ev;
        }
        if (!strcmp(st, "failed")) {
            fprintf(stderr, "migration failed\n");
            exit(1);
        }
        json_object_unref(ev);
    }
}

/* 2*n root ports, two per slot: standby i behind rp(2i), primary rp(2i+1). */
static char *machine_args(int n, bool failover)
{
    GString *s = g_string_new("-M q35 -nodefaults -m 128M "
        "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=on ");

    for (int i = 0; i < 2 * n; i++) {
        g_string_append_printf(s, "-device pcie-root-port,id=rp%d,bus=pcie.0,"
                               "addr=0x%x.%d%s,chassis=%d ", i, i / 2 + 1,
                               i % 2, i % 2 ? "" : ",multifunction=on", i + 1);
    }
    for (int i = 0; i < n; i++) {
        g_string_append_printf(s, "-netdev user,id=s%d -netdev user,id=p%d "
            "-device virtio-net,bus=rp%d,id=standby%d,netdev=s%d,"
            "mac=52:54:00:00:%02x:01%s "
            "-device virtio-net,bus=rp%d,id=primary%d,netdev=p%d,"
            "mac=52:54:00:00:%02x:02",
            i, i, 2 * i, i, i, i, failover ? ",failover=on" : "",
            2 * i + 1, i, i, i);
        if (failover) {
            g_string_append_printf(s, ",failover_pair_id=standby%d", i);
        }
        g_string_append_c(s, ' ');
    }
    return g_string_free(s, false);
}

/* libqos's driver on the standby of pair i, up to its feature choice. */
static void driver_prepare(QVirtioPCIDevice *p, QPCIBus *bus, int i)
{
    QVirtioDevice *d = &p->vdev;
    uint64_t f;

    g_assert(qvirtio_pci_init(p, bus, QPCI_BDF(2 * i + 1, 0, 0)));
    qvirtio_reset(d);
    qvirtio_set_acknowledge(d);
    qvirtio_set_driver(d);
    f = qvirtio_get_features(d) & ~((1ULL << 30) | (1ULL << 28) |
                                    (1ULL << 29));
    qvirtio_set_features(d, f);
}

/* FEATURES_OK and DRIVER_OK: failover decides at the first. */
static void driver_finish(QVirtioPCIDevice *p)
{
    qvirtio_set_features_ok(&p->vdev);
    qvirtio_set_driver_ok(&p->vdev);
}

/*
 * The firmware's part for the two-per-slot ports (libqos numbers and maps
 * function 0 only): port i gets bus i + 1.
 */
static void map_ports(QPCIBus *bus, int nports)
{
    for (int i = 0; i < nports; i++) {
        QPCIDevice port = qpci_device_at(bus, QPCI_DEVFN(i / 2 + 1, i % 2));

        /* primary, secondary, subordinate bus numbers */
        qpci_config_writeb(&port, 0x18, 0);
        qpci_config_writeb(&port, 0x19, i + 1);
        qpci_config_writeb(&port, 0x1a, i + 1);
        qpci_device_enable(&port);
        qpci_iomap(&port, 4, NULL);
    }
}

static int primary_bsel(QTestState *qts, int i)
{
    g_autofree char *path = g_strdup_printf("/machine/peripheral/rp%d/rp%d",
                                            2 * i + 1, 2 * i + 1);

    return acpi_pcihp_bsel(qts, path);
}

static void eject_primary(QTestState *qts, int i)
{
    acpi_pcihp_eject(qts, primary_bsel(qts, i), 0);
}

static void enable_events(QTestState *qts)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
}

static void bench_latency(int rounds)
{
    g_autofree char *args = machine_args(1, true);
    QTestState *qts = qtest_init(args);
    QPCIBus *bus = qpci_new_pc(qts);
    QVirtioPCIDevice drv;
    int bsel;

    map_ports(bus, 2);
    driver_prepare(&drv, bus, 0);
    driver_finish(&drv);
    qtest_qmp_eventwait(qts, "FAILOVER_NEGOTIATED");
    /* Enough RAM, slowly enough, to cancel while active. */
    qtest_memset(qts, 0x100000, 0x5a, 4 << 20);
    qtest_qmp_assert_success(qts, "{'execute': 'migrate-set-parameters', "
                             "'arguments': {'max-bandwidth': 1048576}}");
    enable_events(qts);
    bsel = primary_bsel(qts, 0);
    for (int r = 0; r < rounds; r++) {
        g_autoptr(JsonObject) unplug = NULL;
        g_autoptr(JsonObject) active = NULL;
        g_autoptr(JsonObject) ret = NULL;
        int sv[2];
        double t0, t1;

        /*
         * fd: rather than exec: so that spawning a shell is not what is
         * measured; the stream goes to a socket nobody reads (the
         * migration is cancelled long before its buffer matters).
         */
        g_assert(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
        ret = qtest_qmp_fds(qts, &sv[1], 1, "{'execute': 'getfd', "
                            "'arguments': {'fdname': 'mig'}}");
        g_assert(json_object_has_member(ret, "return"));
        close(sv[1]);
        t0 = wall_s();
        qtest_qmp_assert_success(qts, "{'execute': 'migrate', 'arguments': "
                                 "{'uri': 'fd:mig'}}");
        unplug = qtest_qmp_eventwait_ref(qts, "UNPLUG_PRIMARY");
        printf("unplug_ms %.3f\n", (event_time(unplug) - t0) * 1e3);
        json_object_unref(wait_status(qts, "wait-unplug"));
        /* Only the EJ write itself is inside the measured interval. */
        acpi_pcihp_select(qts, bsel);
        t1 = wall_s();
        qtest_outl(qts, ACPI_PCIHP_EJ, 1);
        active = wait_status(qts, "active");
        printf("eject_active_ms %.3f\n", (event_time(active) - t1) * 1e3);
        qtest_qmp_assert_success(qts, "{'execute': 'migrate_cancel'}");
        json_object_unref(wait_status(qts, "cancelled"));
        close(sv[0]);
    }
    qpci_free_pc(bus);
    qtest_quit(qts);
}

static void bench_pairs(int n)
{
    g_autofree char *sock = g_build_filename(dir, "pairs.sock", NULL);
    g_autofree char *args = machine_args(n ? n : MAX_PAIRS, n > 0);
    QTestState *dst = qtest_initf("%s -incoming unix:%s", args, sock);
    QTestState *src = qtest_init(args);
    QPCIBus *bus = qpci_new_pc(src);
    int npairs = n ? n : MAX_PAIRS;
    double first = 0, last = 0, t0;
    QVirtioPCIDevice drv[MAX_PAIRS];
    g_autoptr(JsonObject) resume = NULL;

    map_ports(bus, 2 * npairs);
    /*
     * Every driver gets as far as its feature choice; then FEATURES_OK
     * goes to one standby after the other, as a guest probing its NICs.
     */
    for (int i = 0; i < npairs; i++) {
        driver_prepare(&drv[i], bus, i);
    }
    for (int i = 0; i < npairs; i++) {
        double t = wall_s();

        if (!i) {
            first = t;
        }
        driver_finish(&drv[i]);
        if (n) {
            g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(
                src, "FAILOVER_NEGOTIATED");

            printf("negotiated_ms %.3f\n", (event_time(ev) - t) * 1e3);
            last = event_time(ev);
        }
    }
    if (n) {
        printf("negotiate_all_ms %.3f\n", (last - first) * 1e3);
    }
    enable_events(src);
    t0 = wall_s();
    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'unix:%s'}}", sock);
    for (int i = 0; i < n; i++) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(src,
                                                           "UNPLUG_PRIMARY");
        const char *id = json_object_get_string_member(
            json_object_get_object_member(ev, "data"), "device-id");

        eject_primary(src, atoi(id + strlen("primary")));
    }
    json_object_unref(wait_status(src, "completed"));
    resume = qtest_qmp_eventwait_ref(dst, "RESUME");
    printf("e2e_ms %.3f\n", (event_time(resume) - t0) * 1e3);
    qpci_free_pc(bus);
    qtest_quit(src);
    qtest_quit(dst);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 2 ? argv[2] : "";
    int arg = argc > 3 ? atoi(argv[3]) : 0;

    if (argc < 3) {
        fprintf(stderr, "usage: bench-failover BINARY latency N | pairs K\n");
        return 2;
    }
    g_setenv("QTEST_QEMU_BINARY", argv[1], TRUE);
    dir = g_dir_make_tmp("bench-failover-XXXXXX", NULL);
    if (!strcmp(mode, "latency")) {
        bench_latency(arg > 0 ? arg : 20);
    } else if (!strcmp(mode, "pairs") && arg >= 0 && arg <= MAX_PAIRS) {
        bench_pairs(arg);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    rmdir(dir);
    return 0;
}
