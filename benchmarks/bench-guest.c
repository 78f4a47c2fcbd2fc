/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-guest BINARY MODE: the built-in guest (-accel tcg), timed.
 *
 *   cont N       N runs: a failover pair started with -S, then cont;
 *                "cont_to_traffic_ms T" is the guest's clock (which starts
 *                at cont) on its console line saying echo replies come
 *                through the primary: negotiation, hot-add, bind, link
 *                up, ARP and the first echo round trip.
 *   migrate MIB  a MIB MiB VM with a failover pair migrated over tcp with
 *                the default knobs; the destination's outage report:
 *                "outage_ms_<window> T", "lost_<window> N",
 *                "lost_outside N", "total_ms T" (migrate to RESUME).
 *   idle S       the guest's cost: CPU time of the baton process over S s
 *                once the primary carries traffic, "idle_cpu_pct P" (of
 *                one CPU).
 *   evacuate N MIB  host evacuation: N such VMs migrated at once to N
 *                destinations (see bench_evacuate).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libqtest.h"
#include "libqos/guest-console.h"

static char *dir;

/* The guest's "[   1.234567]" stamp of a console line, in ms. */
static double stamp_ms(const char *line)
{
    const char *p = strchr(line, '[');

    return p ? strtod(p + 1, NULL) * 1000.0 : -1;
}

static int free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
        getsockname(fd, (struct sockaddr *)&sa, &len)) {
        exit(1);
    }
    close(fd);
    return ntohs(sa.sin_port);
}

static void bench_cont(int n)
{
    for (int i = 0; i < n; i++) {
        GuestConsole con;
        QTestState *qts = guest_vm_start(&con, dir, "cont",
                                         guest_failover_pair, true);
        g_autofree char *line = NULL;

        qtest_qmp_assert_success(qts, "{'execute': 'cont'}");
        line = guest_console_wait(&con, "echo replies through eth1", 30);
        printf("cont_to_traffic_ms %.3f\n", stamp_ms(line));
        fflush(stdout);
        qtest_quit(qts);
        guest_console_clear(&con);
    }
}

/* The destination guest's failover report, as its console says it. */
#define MAX_WINDOWS 8
typedef struct GuestReport {
    int nwindows;
    char name[MAX_WINDOWS][32];
    long long outage[MAX_WINDOWS];
    unsigned lost[MAX_WINDOWS];
    int lost_outside;           /* -1: not reported */
} GuestReport;

static void read_report(GuestConsole *con, GuestReport *r)
{
    g_autofree char *all = guest_console_read(con);
    const char *from = strstr(all, "failover report");
    g_auto(GStrv) lines = g_strsplit(from ? from : "", "\n", -1);

    r->nwindows = 0;
    r->lost_outside = -1;
    for (int i = 0; lines[i]; i++) {
        const char *w = strstr(lines[i], "window ");
        const char *o = strstr(lines[i], "outside windows: lost ");
        int k = r->nwindows;
        long long len;
        unsigned late;

        if (w && k < MAX_WINDOWS &&
            sscanf(w, "window %31[^:]: %lld ms long, outage %lld ms, lost "
                   "%u, late %u", r->name[k], &len, &r->outage[k],
                   &r->lost[k], &late) == 5) {
            r->nwindows++;
        } else if (o) {
            r->lost_outside = atoi(o + strlen("outside windows: lost "));
        }
    }
}

static void bench_migrate(int mib)
{
    GuestConsole scon, dcon;
    g_autofree char *uri = g_strdup_printf("tcp:127.0.0.1:%d", free_port());
    g_autofree char *sargs = g_strdup_printf("%s -m %d", guest_failover_pair,
                                             mib);
    g_autofree char *dargs = g_strdup_printf("%s -m %d -incoming %s",
                                             guest_failover_pair, mib, uri);
    QTestState *src = guest_vm_start(&scon, dir, "msrc", sargs, false);
    QTestState *dst;
    gint64 t0;

    g_free(guest_console_wait(&scon, "echo replies through eth1", 30));
    dst = guest_vm_start(&dcon, dir, "mdst", dargs, false);
    t0 = g_get_monotonic_time();
    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': '%s'}}", uri);
    qtest_qmp_eventwait(dst, "RESUME");
    printf("total_ms %.1f\n", (g_get_monotonic_time() - t0) / 1000.0);
    g_free(guest_console_wait(&dcon, "failover report", 60));
    g_free(guest_console_wait(&dcon, "outside windows:", 30));
    {
        GuestReport r = { 0 };

        read_report(&dcon, &r);
        for (int i = 0; i < r.nwindows; i++) {
            printf("outage_ms_%s %lld\nlost_%s %u\n", r.name[i],
                   r.outage[i], r.name[i], r.lost[i]);
        }
        if (r.lost_outside >= 0) {
            printf("lost_outside %d\n", r.lost_outside);
        }
    }
    fflush(stdout);
    qtest_quit(src);
    qtest_quit(dst);
    guest_console_clear(&scon);
    guest_console_clear(&dcon);
}

static long vmrss_kib(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
    g_autofree char *text = NULL;
    const char *p;

    if (!g_file_get_contents(path, &text, NULL, NULL)) {
        return -1;
    }
    p = strstr(text, "\nVmRSS:");
    return p ? strtol(p + 7, NULL, 10) : -1;
}

/* An event's QMP timestamp, in s of the real-time clock. */
static double event_s(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    return json_object_get_int_member(ts, "seconds") +
           json_object_get_int_member(ts, "microseconds") / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* "<key>_median V" and "<key>_worst V" over n values. */
static void print_spread(const char *key, double *v, int n)
{
    if (!n) {
        return;
    }
    qsort(v, n, sizeof(*v), cmp_double);
    printf("%s_median %.2f\n%s_worst %.2f\n", key,
           n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, key, v[n - 1]);
}

/* Is a device with this id on the machine's PCI buses (query-pci)? */
static bool has_pci_device(QTestState *qts, const char *id)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'query-pci'}");
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), rsp);
    g_autofree char *text = json_to_string(node, false);
    g_autofree char *want = g_strdup_printf("\"qdev_id\":\"%s\"", id);

    return strstr(text, want) != NULL;
}

/*
 * Host evacuation: n VMs of mib MiB, each with a failover pair and its
 * guest running, all migrated at once over tcp to n destinations on this
 * machine.  "evac_total_ms" (first migrate sent to last RESUME),
 * downtime per VM (source STOP to destination RESUME) and the outage of
 * each window as the destination guests report it, median and worst;
 * "evac_rss_total_mib" of the sources before and of the destinations
 * after; "evac_primary_back N" destinations with primary0 plugged again.
 */
static void bench_evacuate(int n, int mib)
{
    g_autofree QTestState **src = g_new0(QTestState *, n);
    g_autofree QTestState **dst = g_new0(QTestState *, n);
    g_autofree GuestConsole *scon = g_new0(GuestConsole, n);
    g_autofree GuestConsole *dcon = g_new0(GuestConsole, n);
    g_autofree double *down = g_new0(double, n);
    g_autofree double *outage = g_new0(double, n * MAX_WINDOWS);
    g_auto(GStrv) uri = g_new0(char *, n + 1);
    g_autofree char *sargs = g_strdup_printf("%s -m %d", guest_failover_pair,
                                             mib);
    char names[MAX_WINDOWS][32];
    int nwin = 0, back = 0, lost = 0;
    long rss = 0;
    double t0, last = 0;

    for (int i = 0; i < n; i++) {
        g_autofree char *name = g_strdup_printf("src%d", i);

        src[i] = guest_vm_start(&scon[i], dir, name, sargs, false);
        qtest_set_timeout(src[i], 300);
    }
    for (int i = 0; i < n; i++) {
        g_autofree char *name = g_strdup_printf("dst%d", i);
        g_autofree char *dargs = NULL;

        g_free(guest_console_wait(&scon[i], "echo replies through eth1",
                                  120));
        rss += vmrss_kib(qtest_pid(src[i]));
        uri[i] = g_strdup_printf("tcp:127.0.0.1:%d", free_port());
        dargs = g_strdup_printf("%s -m %d -incoming %s", guest_failover_pair,
                                mib, uri[i]);
        dst[i] = guest_vm_start(&dcon[i], dir, name, dargs, false);
        qtest_set_timeout(dst[i], 300);
    }
    printf("evac_rss_src_total_mib %.1f\n", rss / 1024.0);
    t0 = g_get_real_time() / 1e6;
    for (int i = 0; i < n; i++) {
        qtest_qmp_assert_success(src[i], "{'execute': 'migrate', "
                                 "'arguments': {'uri': '%s'}}", uri[i]);
    }
    for (int i = 0; i < n; i++) {
        g_autoptr(JsonObject) stop = qtest_qmp_eventwait_ref(src[i], "STOP");
        g_autoptr(JsonObject) resume = qtest_qmp_eventwait_ref(dst[i],
                                                               "RESUME");

        down[i] = (event_s(resume) - event_s(stop)) * 1e3;
        last = MAX(last, event_s(resume));
    }
    printf("evac_total_ms %.1f\n", (last - t0) * 1e3);
    print_spread("evac_downtime_ms", down, n);
    rss = 0;
    for (int i = 0; i < n; i++) {
        GuestReport r;

        g_free(guest_console_wait(&dcon[i], "outside windows:", 300));
        read_report(&dcon[i], &r);
        for (int k = 0; k < r.nwindows; k++) {
            int w;

            for (w = 0; w < nwin && strcmp(names[w], r.name[k]); w++) {
            }
            if (w == nwin && nwin < MAX_WINDOWS) {
                g_strlcpy(names[nwin++], r.name[k], sizeof(names[0]));
            }
            if (w < MAX_WINDOWS) {
                outage[w * n + i] = r.outage[k];
            }
            lost += r.lost[k];
        }
        lost += MAX(r.lost_outside, 0);
        back += has_pci_device(dst[i], "primary0");
        rss += vmrss_kib(qtest_pid(dst[i]));
    }
    for (int w = 0; w < nwin; w++) {
        g_autofree char *key = g_strdup_printf("evac_outage_ms_%s",
                                               names[w]);

        print_spread(key, outage + w * n, n);
    }
    printf("evac_lost_replies %d\n", lost);
    printf("evac_rss_dst_total_mib %.1f\n", rss / 1024.0);
    printf("evac_primary_back %d\nevac_vms %d\n", back, n);
    fflush(stdout);
    for (int i = 0; i < n; i++) {
        qtest_quit(src[i]);
        qtest_quit(dst[i]);
        guest_console_clear(&scon[i]);
        guest_console_clear(&dcon[i]);
    }
}

/* utime + stime of pid, in clock ticks. */
static long long cpu_ticks(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
    g_autofree char *text = NULL;
    const char *p;
    long long ut = 0, st = 0;

    if (!g_file_get_contents(path, &text, NULL, NULL) ||
        !(p = strrchr(text, ')'))) {
        return -1;
    }
    /* after ") ": state, then fields 4..; utime and stime are 14 and 15 */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld",
               &ut, &st) != 2) {
        return -1;
    }
    return ut + st;
}

static void bench_idle(int secs)
{
    GuestConsole con;
    QTestState *qts = guest_vm_start(&con, dir, "idle", guest_failover_pair,
                                     false);
    long long t0, t1;
    gint64 w0, w1;

    g_free(guest_console_wait(&con, "echo replies through eth1", 30));
    t0 = cpu_ticks(qtest_pid(qts));
    w0 = g_get_monotonic_time();
    g_usleep(secs * G_USEC_PER_SEC);    /* the interval being measured */
    t1 = cpu_ticks(qtest_pid(qts));
    w1 = g_get_monotonic_time();
    printf("idle_cpu_pct %.2f\n", 100.0 * (t1 - t0) / sysconf(_SC_CLK_TCK) /
           ((w1 - w0) / 1e6));
    qtest_quit(qts);
    guest_console_clear(&con);
}

int main(int argc, char **argv)
{
    int n;

    if (argc < 4) {
        fprintf(stderr, "usage: %s BINARY cont N|migrate MIB|idle S|"
                "evacuate N MIB\n", argv[0]);
        return 2;
    }
    g_setenv("QTEST_QEMU_BINARY", argv[1], true);
    dir = g_dir_make_tmp("baton-bench-guest-XXXXXX", NULL);
    n = atoi(argv[3]);
    if (!strcmp(argv[2], "cont")) {
        bench_cont(n);
    } else if (!strcmp(argv[2], "migrate")) {
        bench_migrate(n);
    } else if (!strcmp(argv[2], "idle")) {
        bench_idle(n);
    } else if (!strcmp(argv[2], "evacuate")) {
        bench_evacuate(n, argc > 4 ? atoi(argv[4]) : 256);
    }
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", dir);
    if (system(cmd)) {
        /* a leftover temporary directory */
    }
    return 0;
}
