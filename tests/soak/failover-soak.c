/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * failover-soak (make soak): randomised live migrations of a VM with
 * failover pairs (ACPI or native hotplug, one or two pairs), with a fault
 * at a random moment: the destination killed or stopped, the source
 * killed, the channel closed, migrate_cancel, a stream byte flipped (the
 * channel goes through a proxy here), a RAM byte changed with its section
 * re-checksummed (only the end of the stream can tell), the destination
 * killed once it loaded everything and answered (its answer held back),
 * a multifd channel closed or damaged, or none.  Half of the migrations
 * use multifd (2 to 4 channels).  After each migration:
 *
 *  - the source runs (or, if the migration completed, the destination
 *    does), its RAM byte-identical to what the guest wrote;
 *  - every primary is in query-pci exactly once, on exactly the side
 *    that runs the guest;
 *  - what the guest sees of each primary's slot (its config space, and
 *    Presence Detect State for native hotplug) agrees with query-pci;
 *  - a following migration, without faults, completes.
 *
 * Usage: failover-soak [ITERATIONS [SEED]]; iteration i has seed SEED + i
 * (`failover-soak 1 N` replays the one with seed N).  Each runs in a
 * child process (an assertion there is a violation, not the end of the
 * soak); the tally is printed per fault.  Exit status 1 if any iteration
 * broke an invariant.  QTEST_QEMU_BINARY names the binary.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libqtest.h"
#include "libqos/mig-proxy.h"
#include "libqos/migrate.h"
#include "libqos/pci-hotplug.h"
#include "libqos/query-pci.h"
#include "libqos/virtio-net.h"

#define MACHINE "-M q35 -nodefaults -m 64M " \
    "-global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=%s " \
    "-device pcie-root-port,id=root0,bus=pcie.0,addr=0x1,chassis=1 " \
    "-device pcie-root-port,id=root1,bus=pcie.0,addr=0x2,chassis=2 " \
    "-device pcie-root-port,id=root2,bus=pcie.0,addr=0x3,chassis=3 " \
    "-device pcie-root-port,id=root3,bus=pcie.0,addr=0x4,chassis=4 " \
    "-netdev user,id=hs0 -netdev user,id=hs1 " \
    "-netdev user,id=hs2 -netdev user,id=hs3 " \
    "-device virtio-net,bus=root0,id=standby0,failover=on,netdev=hs0 " \
    "-device virtio-net,bus=root1,id=primary0,failover_pair_id=standby0," \
    "netdev=hs1 "
#define PAIR1 "-device virtio-net,bus=root2,id=standby1,failover=on," \
    "netdev=hs2 -device virtio-net,bus=root3,id=primary1," \
    "failover_pair_id=standby1,netdev=hs3 "
#define RAM_BASE 0x100000ULL

typedef enum Fault {
    F_NONE, F_CANCEL, F_DEST_KILL, F_DEST_STOP, F_SRC_KILL, F_CLOSE, F_FLIP,
    F_FLIP_RAM, F_DEST_KILL_END, F_MF_CLOSE, F_MF_FLIP,
    F_COUNT
} Fault;

static const char *const fault_names[F_COUNT] = {
    "none", "cancel", "destination-killed", "destination-stopped",
    "source-killed", "channel-closed", "byte-flipped", "ram-edited",
    "destination-killed-at-end", "multifd-channel-closed",
    "multifd-byte-flipped",
};

/* What the proxy does for each fault. */
static const MigProxyFault proxy_faults[F_COUNT] = {
    [F_CLOSE] = MIG_PROXY_CLOSE,
    [F_FLIP] = MIG_PROXY_FLIP,
    [F_FLIP_RAM] = MIG_PROXY_FLIP_RAM,
    [F_DEST_KILL_END] = MIG_PROXY_HOLD_ANSWER,
    [F_MF_CLOSE] = MIG_PROXY_CH_CLOSE,
    [F_MF_FLIP] = MIG_PROXY_CH_FLIP,
};

typedef struct Scenario {
    bool native;
    int pairs;
    Fault fault;
    bool guest_ejects;          /* the guest answers an unplug request */
    unsigned delay_us;          /* when the fault hits */
    uint64_t at_byte;           /* channel faults: where in the stream */
    int channels;               /* multifd channels, 0: none */
    int channel;                /* multifd faults: which one */
    size_t ram;
    uint32_t seed;
} Scenario;

typedef struct Machine {
    QTestState *qts;
    QPCIBus *bus;
    bool native;
    int pairs;
} Machine;

static char *tmpdir;
static bool verbose;

/* Where the iteration is, for the report of one that dies (SOAK_VERBOSE). */
static void phase(const char *what)
{
    if (verbose) {
        printf("    %s\n", what);
        fflush(stdout);
    }
}

/* ---- Machines and the guest ------------------------------------------ */

/* SIGKILL and reap: libqtest then has nothing left to wait for. */
static void machine_kill(QTestState *qts)
{
    kill(qtest_pid(qts), SIGKILL);
    for (int i = 0; i < 10000 && qtest_probe_child(qts); i++) {
        g_usleep(1000);
    }
}

/* Was pair p's unplug request left unanswered (state unplug-requested)? */
static bool unplug_pending(QTestState *qts, int p)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': '__org.baton_query-failover'}");
    JsonArray *pairs = json_node_get_array(ret);
    g_autofree char *standby = g_strdup_printf("standby%d", p);

    for (guint i = 0; i < json_array_get_length(pairs); i++) {
        JsonObject *o = json_array_get_object_element(pairs, i);

        if (!strcmp(json_object_get_string_member(o, "standby"), standby)) {
            return !strcmp(json_object_get_string_member(o, "state"),
                           "unplug-requested");
        }
    }
    return false;
}

static void machine_start(Machine *m, const Scenario *sc, const char *extra)
{
    m->native = sc->native;
    m->pairs = sc->pairs;
    m->qts = qtest_initf(MACHINE "%s%s", sc->native ? "off" : "on",
                         sc->pairs > 1 ? PAIR1 : "", extra);
    m->bus = qpci_new_pc(m->qts);
    /* Before any source connects (a destination listens already). */
    if (sc->channels) {
        mig_set_cap(m->qts, "multifd", true);
        mig_set_param(m->qts, "multifd-channels", sc->channels);
    }
}

static void machine_free(Machine *m)
{
    qpci_free_pc(m->bus);
    m->bus = NULL;
}

static QPCIDevice port_of(Machine *m, int root)
{
    return qpci_device_at(m->bus, QPCI_DEVFN(root + 1, 0));
}

/* Primary p is behind root port 2p + 1, on bus 2p + 2. */
static int primary_root(int p)
{
    return 2 * p + 1;
}

static void guest_take_primary(Machine *m, int p)
{
    if (m->native) {
        QPCIDevice port = port_of(m, primary_root(p));

        qpcie_slot_clear_status(&port, SLTSTA_PDC | SLTSTA_ABP | SLTSTA_CC);
        qpcie_slot_power_on(&port);
    }
}

/* The guest's firmware and drivers: STANDBY accepted on every pair. */
static void guest_boot(Machine *m)
{
    g_assert_cmpint(qpci_secondary_buses_init(m->bus), ==, 4);
    qvirtio_net_map_root_ports(m->bus, 4);
    for (int p = 0; p < m->pairs; p++) {
        qvirtio_net_negotiate(m->bus, QPCI_BDF(2 * p + 1, 0, 0), true);
        guest_take_primary(m, p);
    }
}

static void guest_eject(Machine *m, int p)
{
    if (m->native) {
        QPCIDevice port = port_of(m, primary_root(p));

        qpcie_slot_power_off(&port);
    } else {
        g_autofree char *path = g_strdup_printf(
            "/machine/peripheral/root%d/root%d", primary_root(p),
            primary_root(p));

        acpi_pcihp_eject(m->qts, acpi_pcihp_bsel(m->qts, path), 0);
    }
}

static uint16_t vendor_of_primary(Machine *m, int p)
{
    QPCIDevice dev = qpci_device_at(m->bus, QPCI_BDF(2 * p + 2, 0, 0));

    return qpci_config_readw(&dev, 0);
}

static void fill(uint8_t *buf, size_t len, uint32_t seed)
{
    for (size_t i = 0; i < len; i++) {
        seed = seed * 1103515245 + 12345;
        buf[i] = seed >> 16;
    }
}

static bool ram_equal(QTestState *qts, const uint8_t *want, size_t len)
{
    g_autofree uint8_t *got = g_malloc(len);

    qtest_memread(qts, RAM_BASE, got, len);
    return !memcmp(got, want, len);
}

static void set_params(QTestState *qts, const Scenario *sc)
{
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
    mig_set_cap(qts, "multifd", sc->channels > 0);
    if (sc->channels) {
        mig_set_param(qts, "multifd-channels", sc->channels);
    }
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-parameters', 'arguments': "
        "{'__org.baton_unplug-timeout': 500}}");
}

static char *query_status(QTestState *qts, const char *cmd, const char *key)
{
    g_autoptr(JsonNode) ret = qtest_qmp_assert_success_ref(qts,
        "{'execute': '%s'}", cmd);
    JsonObject *o = json_node_get_object(ret);

    return g_strdup(json_object_has_member(o, key)
                    ? json_object_get_string_member(o, key) : "none");
}

/*
 * Until the migration reaches a final state; the guest ejects if asked.
 * kill: once the source stopped, wait for the destination's answer on
 * the proxy, then kill the destination.
 */
static char *wait_final_kill(Machine *m, bool eject, MigProxy *proxy,
                             Machine *kill)
{
    for (;;) {
        /* Events read along with an earlier reply first (the guest's
         * eject reads QOM), then what comes. */
        JsonObject *queued = qtest_qmp_event_ref(m->qts, "UNPLUG_PRIMARY");
        g_autoptr(JsonObject) msg = queued ? queued :
            kill ? qtest_qmp_event_ref(m->qts, "STOP") : NULL;

        if (!msg) {
            msg = qtest_qmp_event_ref(m->qts, "MIGRATION");
        }
        const char *ev;

        if (!msg) {
            msg = qtest_qmp_receive_dict(m->qts);
        }
        ev = json_object_has_member(msg, "event")
             ? json_object_get_string_member(msg, "event") : "";
        JsonObject *data = json_object_has_member(msg, "data")
                           ? json_object_get_object_member(msg, "data")
                           : NULL;

        if (verbose && *ev) {
            g_autofree char *line = g_strdup_printf(
                "event %s %s", ev, data && json_object_has_member(data,
                    "device-id") ? json_object_get_string_member(data,
                    "device-id") : data && json_object_has_member(data,
                    "status") ? json_object_get_string_member(data, "status")
                    : "");
            phase(line);
        }
        if (!strcmp(ev, "STOP") && kill &&
            mig_proxy_wait_answer(proxy, 120)) {
            phase("destination answered: killing it");
            machine_kill(kill->qts);
            kill = NULL;
        }
        if (!strcmp(ev, "UNPLUG_PRIMARY") && eject) {
            const char *id = json_object_get_string_member(data,
                                                           "device-id");
            guest_eject(m, id[7] - '0');
        } else if (!strcmp(ev, "MIGRATION")) {
            const char *st = json_object_get_string_member(data, "status");

            if (!strcmp(st, "completed") || !strcmp(st, "failed") ||
                !strcmp(st, "cancelled")) {
                return g_strdup(st);
            }
        }
    }
}

static char *wait_final(Machine *m, bool eject)
{
    return wait_final_kill(m, eject, NULL, NULL);
}

/*
 * While the destination is asked whether it runs, it may exit (its load
 * failed) and libqtest aborts on the closed socket: that is the answer.
 */
static volatile sig_atomic_t asking_destination;

static void on_abort(int sig)
{
    static const char msg[] = "  violation: source completed but the "
        "destination did not load the stream: the guest is lost (paused "
        "source)\n";

    if (asking_destination) {
        if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0) {
            /* nothing more to say */
        }
        _exit(1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/*
 * The destination of a completed migration: running, or gone because its
 * load failed (the source could not know: its bytes were all written).
 */
static bool destination_resumed(QTestState *qts)
{
    struct sigaction sa = { .sa_handler = on_abort };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGABRT, &sa, NULL);
    asking_destination = true;
    for (int i = 0; i < 3000; i++) {
        g_autofree char *st = NULL;

        if (!qtest_probe_child(qts)) {
            return false;
        }
        st = query_status(qts, "query-status", "status");
        if (!strcmp(st, "running")) {
            asking_destination = false;
            return true;
        }
        g_usleep(10000);
    }
    asking_destination = false;
    return false;
}

/* ---- Invariants ------------------------------------------------------- */

static GString *violations;

static void violation(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static void violation(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_string_append(violations, violations->len ? "; " : "");
    g_string_append_vprintf(violations, fmt, ap);
    va_end(ap);
    phase(violations->str);
}

/*
 * m runs the guest: the guest takes back what was plugged again, then
 * every primary is listed once and the guest's view agrees.
 */
static void check_owner(Machine *m, const char *side)
{
    for (int p = 0; p < m->pairs; p++) {
        g_autofree char *id = g_strdup_printf("primary%d", p);
        bool listed = qpci_query_has(m->qts, id);

        if (!listed) {
            violation("%s: %s not in query-pci", side, id);
            continue;
        }
        if (m->native) {
            QPCIDevice port = port_of(m, primary_root(p));

            if (!(qpcie_slot_status(&port) & SLTSTA_PDS)) {
                violation("%s: %s listed but slot status 0x%x lacks "
                          "presence", side, id, qpcie_slot_status(&port));
            }
            guest_take_primary(m, p);
        }
        if (vendor_of_primary(m, p) != 0x1af4) {
            violation("%s: %s listed but the guest reads vendor 0x%x", side,
                      id, vendor_of_primary(m, p));
        }
    }
}

/*
 * The side that does not run the guest: its primaries may still exist
 * (QEMU keeps an ejected failover primary too) but the guest there must
 * not see them.
 */
static void check_not_owner(Machine *m, const char *side)
{
    for (int p = 0; p < m->pairs; p++) {
        if (vendor_of_primary(m, p) != 0xffff) {
            violation("%s: primary%d still visible to the guest there", side,
                      p);
        }
    }
}

/* A clean migration from m to a new destination must complete. */
static void follow_up(Machine *m, const Scenario *sc, const uint8_t *ram)
{
    g_autofree char *sock = g_build_filename(tmpdir, "again.sock", NULL);
    g_autofree char *extra = g_strdup_printf("-incoming unix:%s", sock);
    g_autofree char *st = NULL;
    Machine d;

    machine_start(&d, sc, extra);
    set_params(m->qts, sc);
    qtest_qmp_assert_success(m->qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'unix:%s'}}", sock);
    phase("following migration");
    st = wait_final(m, true);
    if (strcmp(st, "completed")) {
        violation("following migration %s", st);
    } else {
        qtest_qmp_eventwait(d.qts, "RESUME");
        if (!ram_equal(d.qts, ram, sc->ram)) {
            violation("following migration: RAM differs");
        }
        check_owner(&d, "next destination");
    }
    machine_free(&d);
    qtest_quit(d.qts);
}

/* ---- One iteration ---------------------------------------------------- */

static void run(const Scenario *sc)
{
    g_autofree char *dsock = g_build_filename(tmpdir, "dst.sock", NULL);
    g_autofree char *psock = g_build_filename(tmpdir, "proxy.sock", NULL);
    g_autofree char *extra = g_strdup_printf("-incoming unix:%s", dsock);
    g_autofree uint8_t *ram = g_malloc(sc->ram);
    g_autofree char *st = NULL, *run_st = NULL;
    MigProxy *proxy;
    Machine src, dst;
    bool src_alive = true, dst_alive = true, dst_done = false;

    phase("start");
    machine_start(&dst, sc, extra);
    machine_start(&src, sc, "");
    guest_boot(&src);
    phase("booted");
    fill(ram, sc->ram, sc->seed);
    qtest_memwrite(src.qts, RAM_BASE, ram, sc->ram);
    set_params(src.qts, sc);
    proxy = mig_proxy_start(psock, dsock, proxy_faults[sc->fault],
                            sc->at_byte, sc->channel);
    qtest_qmp_assert_success(src.qts, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'unix:%s'}}", psock);
    if (sc->fault == F_CANCEL || sc->fault == F_DEST_KILL ||
        sc->fault == F_DEST_STOP || sc->fault == F_SRC_KILL) {
        g_usleep(sc->delay_us);
    }
    switch (sc->fault) {
    case F_CANCEL:
        qtest_qmp(src.qts, "{'execute': 'migrate_cancel'}");
        break;
    case F_DEST_KILL:
        machine_kill(dst.qts);
        dst_alive = false;
        break;
    case F_DEST_STOP:
        kill(qtest_pid(dst.qts), SIGSTOP);
        qtest_qmp(src.qts, "{'execute': 'migrate_cancel'}");
        break;
    case F_SRC_KILL:
        machine_kill(src.qts);
        src_alive = false;
        break;
    default:
        break;
    }
    phase("fault injected");
    if (src_alive) {
        /*
         * The guest answers the unplug requests after the fault (they
         * wait in the QMP queue meanwhile); one that never answers is
         * only waited for by a cancel (which gives up after 500 ms).
         */
        st = wait_final_kill(&src, sc->guest_ejects ||
                             (sc->fault != F_CANCEL &&
                              sc->fault != F_DEST_STOP), proxy,
                             sc->fault == F_DEST_KILL_END ? &dst : NULL);
        if (sc->fault == F_DEST_KILL_END && !qtest_probe_child(dst.qts)) {
            dst_alive = false;
        }
        run_st = query_status(src.qts, "query-status", "status");
        phase(st);
    }
    if (sc->fault == F_DEST_STOP) {
        machine_kill(dst.qts);
        dst_alive = false;
    }
    if (dst_alive && !src_alive) {
        /*
         * A source killed before it sent anything never reached the
         * destination, which waits on (as QEMU's does): with the proxy
         * gone, nothing can reach it any more.
         */
        int reached = mig_proxy_stop(proxy);

        proxy = NULL;
        if (!reached) {
            qtest_quit(dst.qts);
            dst.qts = NULL;
            dst_alive = false;
        }
    }
    if (dst_alive) {
        /* A failed load ends the destination with status 1. */
        if (src_alive && !strcmp(st, "completed")) {
            dst_done = destination_resumed(dst.qts);
            dst_alive = dst_done;
        } else {
            qtest_set_expected_status(dst.qts, 1);
            qtest_wait_qemu(dst.qts);
            dst_alive = false;
        }
    }

    if (src_alive && !strcmp(st, "completed")) {
        if (!dst_done) {
            violation("source completed but the destination did not load "
                      "the stream: the guest is lost (paused source)");
        } else {
            if (!ram_equal(dst.qts, ram, sc->ram)) {
                violation("destination RAM differs");
            }
            check_owner(&dst, "destination");
            check_not_owner(&src, "source");
            if (strcmp(run_st, "postmigrate")) {
                violation("source run state %s after completion", run_st);
            }
            follow_up(&dst, sc, ram);
        }
    } else if (src_alive) {
        if (strcmp(run_st, "running")) {
            violation("source %s after %s migration", run_st, st);
        }
        if (!ram_equal(src.qts, ram, sc->ram)) {
            violation("source RAM changed");
        }
        /* A request the guest never answered: it answers now. */
        for (int p = 0; p < sc->pairs; p++) {
            if (unplug_pending(src.qts, p)) {
                guest_eject(&src, p);
            }
        }
        check_owner(&src, "source");
        follow_up(&src, sc, ram);
    }
    phase("checked");
    if (proxy) {
        mig_proxy_stop(proxy);
    }
    machine_free(&src);
    machine_free(&dst);
    qtest_quit(src.qts);
    qtest_quit(dst.qts);
}

/* ---- The soak --------------------------------------------------------- */

/* Everything about an iteration follows from its seed. */
static void pick(Scenario *sc, uint32_t seed)
{
    g_autoptr(GRand) r = g_rand_new_with_seed(seed);

    sc->seed = seed;
    sc->native = g_rand_boolean(r);
    sc->pairs = g_rand_int_range(r, 1, 3);
    sc->fault = g_rand_int_range(r, 0, F_COUNT);
    sc->guest_ejects = g_rand_int_range(r, 0, 4) != 0;
    sc->delay_us = g_rand_int_range(r, 0, 60000);
    sc->ram = (size_t)g_rand_int_range(r, 1, 5) << 20;
    /* A stream is the header, config, sc->ram of pages, devices, END. */
    sc->at_byte = g_rand_int_range(r, 0, sc->ram + 64 * 1024);
    sc->channels = g_rand_boolean(r) ? g_rand_int_range(r, 2, 5) : 0;
    sc->channel = 0;
    /* Narrowing down: SOAK_FAULT=name, SOAK_PAIRS=n, SOAK_HOTPLUG=native. */
    for (int f = 0; f < F_COUNT; f++) {
        if (!g_strcmp0(g_getenv("SOAK_FAULT"), fault_names[f])) {
            sc->fault = f;
        }
    }
    if (g_getenv("SOAK_PAIRS")) {
        sc->pairs = CLAMP(atoi(g_getenv("SOAK_PAIRS")), 1, 2);
    }
    if (g_getenv("SOAK_HOTPLUG")) {
        sc->native = !strcmp(g_getenv("SOAK_HOTPLUG"), "native");
    }
    if (g_getenv("SOAK_MULTIFD")) {
        sc->channels = CLAMP(atoi(g_getenv("SOAK_MULTIFD")), 0, 8);
    }
    if (sc->fault == F_MF_CLOSE || sc->fault == F_MF_FLIP) {
        sc->channels = MAX(sc->channels, 2);
        sc->channel = g_rand_int_range(r, 0, sc->channels);
        /* Each channel carries its share of the RAM. */
        sc->at_byte = g_rand_int_range(r, 0, sc->ram / sc->channels + 4096);
    }
}

static void describe(const Scenario *sc, char *buf, size_t len)
{
    g_autofree char *mf = sc->channels
        ? g_strdup_printf(", multifd %d (channel %d)", sc->channels,
                          sc->channel)
        : g_strdup("");

    snprintf(buf, len, "seed %u: %s, %d pair%s, %s, fault %s at %u us / "
             "byte %" PRIu64 ", %zu MiB%s", sc->seed,
             sc->native ? "native" : "acpi", sc->pairs,
             sc->pairs > 1 ? "s" : "", sc->guest_ejects ? "guest ejects" :
             "guest slow", fault_names[sc->fault], sc->delay_us, sc->at_byte,
             sc->ram >> 20, mf);
}

/* One iteration in a child: 0 ok, 1 a violation (printed), else died. */
static int run_child(const Scenario *sc)
{
    pid_t pid = fork();
    int status;

    g_assert(pid >= 0);
    if (pid == 0) {
        setpgid(0, 0);
        violations = g_string_new(NULL);
        run(sc);
        if (violations->len) {
            printf("  violation: %s\n", violations->str);
            fflush(stdout);
            _exit(1);
        }
        _exit(0);
    }
    setpgid(pid, pid);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    /* Whatever the iteration left running goes with it. */
    kill(-pid, SIGKILL);
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status) ? 1 : 0;
    }
    printf("  violation: iteration died (signal %d)\n", WTERMSIG(status));
    return 2;
}

int main(int argc, char **argv)
{
    int iterations = argc > 1 ? atoi(argv[1]) : 200;
    uint32_t seed = argc > 2 ? strtoul(argv[2], NULL, 0)
                             : (uint32_t)g_get_real_time();
    int runs[F_COUNT] = { 0 }, bad[F_COUNT] = { 0 }, total_bad = 0;

    if (!g_getenv("QTEST_QEMU_BINARY")) {
        fprintf(stderr, "failover-soak: set QTEST_QEMU_BINARY\n");
        return 2;
    }
    verbose = g_getenv("SOAK_VERBOSE");
    /* The proxy writing to a killed destination gets EPIPE, not death. */
    signal(SIGPIPE, SIG_IGN);
    tmpdir = g_dir_make_tmp("failover-soak-XXXXXX", NULL);
    g_assert(tmpdir);
    printf("failover-soak: %d iterations, seed %u\n", iterations, seed);
    for (int i = 0; i < iterations; i++) {
        Scenario sc;
        char what[256];
        int res;

        pick(&sc, seed + i);
        describe(&sc, what, sizeof(what));
        printf("[%d/%d] %s\n", i + 1, iterations, what);
        fflush(stdout);
        res = run_child(&sc);
        runs[sc.fault]++;
        if (res) {
            bad[sc.fault]++;
            total_bad++;
        }
    }
    printf("\nfault                  runs  violations\n");
    for (int f = 0; f < F_COUNT; f++) {
        printf("%-22s %5d  %5d\n", fault_names[f], runs[f], bad[f]);
    }
    printf("total                  %5d  %5d\n", iterations, total_bad);
    for (const char *const *n = (const char *const[]){
             "dst.sock", "proxy.sock", "again.sock", NULL }; *n; n++) {
        g_autofree char *path = g_build_filename(tmpdir, *n, NULL);
        unlink(path);
    }
    rmdir(tmpdir);
    return total_bad ? 1 : 0;
}
