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
        g_autofree char *all = guest_console_read(&dcon);
        g_auto(GStrv) lines = g_strsplit(strstr(all, "failover report"),
                                         "\n", -1);

        for (int i = 0; lines[i]; i++) {
            char name[32];
            long long len, outage;
            unsigned lost, late;
            const char *w = strstr(lines[i], "window ");
            const char *o = strstr(lines[i], "outside windows: lost ");

            if (w && sscanf(w, "window %31[^:]: %lld ms long, outage %lld "
                            "ms, lost %u, late %u", name, &len, &outage,
                            &lost, &late) == 5) {
                printf("outage_ms_%s %lld\nlost_%s %u\n", name, outage,
                       name, lost);
            } else if (o) {
                printf("lost_outside %u\n",
                       (unsigned)atoi(o + strlen("outside windows: lost ")));
            }
        }
    }
    fflush(stdout);
    qtest_quit(src);
    qtest_quit(dst);
    guest_console_clear(&scon);
    guest_console_clear(&dcon);
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

    if (argc != 4) {
        fprintf(stderr, "usage: %s BINARY cont N|migrate MIB|idle S\n",
                argv[0]);
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
    }
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", dir);
    if (system(cmd)) {
        /* a leftover temporary directory */
    }
    return 0;
}
