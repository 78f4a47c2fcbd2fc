/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-migration BINARY MODE: migration speed over a unix socket.
 *
 *   zero4g    a 4 GiB guest, mostly never-written pages: "zero4g_ms T"
 *             (migrate to completed, wall clock) and "zero4g_downtime_ms D"
 *             (source STOP to destination RESUME)
 *   random1g  1 GiB of random data in a memory-backend-file, and the raw
 *             throughput of a unix socket measured the same way, into a
 *             reused buffer and into fresh memory: "raw_unix_MBps R",
 *             "raw_unix_fresh_MBps F", "random1g_MBps M"
 *   random1g-multifd  the same 1 GiB with the multifd capability on both
 *             sides, 1, 2 and 4 channels: "random1g_mf<N>_MBps M"
 *   downtime  8 PCI devices, a few dirty pages: "downtime_ms D" (source
 *             STOP to destination RESUME, from the events' timestamps)
 *
 * Lines "key value" on stdout, as benchmarks/run.py reads them.
 */
#include "libqtest.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static char *dir;

static double now_s(void)
{
    return g_get_monotonic_time() / 1e6;
}

static double event_time(JsonObject *ev)
{
    JsonObject *ts = json_object_get_object_member(ev, "timestamp");

    return json_object_get_int_member(ts, "seconds") +
           json_object_get_int_member(ts, "microseconds") / 1e6;
}

static void wait_completed(QTestState *src)
{
    for (;;) {
        g_autoptr(JsonObject) ev = qtest_qmp_eventwait_ref(src, "MIGRATION");
        const char *st = json_object_get_string_member(
            json_object_get_object_member(ev, "data"), "status");
        if (!strcmp(st, "completed")) {
            return;
        }
        if (!strcmp(st, "failed")) {
            fprintf(stderr, "migration failed\n");
            exit(1);
        }
    }
}

/* MIGRATION events on, max-bandwidth out of the way (1 TiB/s). */
static void unthrottled_with_events(QTestState *src)
{
    qtest_qmp_assert_success(src,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'events', 'state': true}]}}");
    qtest_qmp_assert_success(src, "{'execute': 'migrate-set-parameters', "
                             "'arguments': {'max-bandwidth': %llu}}",
                             1ULL << 40);
}

/* multifd with n channels on qts (none: n == 0). */
static void set_multifd(QTestState *qts, int n)
{
    if (!n) {
        return;
    }
    qtest_qmp_assert_success(qts,
        "{'execute': 'migrate-set-capabilities', 'arguments': "
        "{'capabilities': [{'capability': 'multifd', 'state': true}]}}");
    qtest_qmp_assert_success(qts, "{'execute': 'migrate-set-parameters', "
                             "'arguments': {'multifd-channels': %d}}", n);
}

/*
 * Start the pair, migrate (multifd with that many channels, 0: without),
 * return the seconds from migrate to completed.
 */
static double migrate_pair_mf(const char *src_args, const char *dst_args,
                              void (*prepare)(QTestState *src), int channels)
{
    g_autofree char *sock = g_build_filename(dir, "bench.sock", NULL);
    QTestState *dst = qtest_initf("%s -incoming defer", dst_args);
    QTestState *src = qtest_init(src_args);
    double t0, t1;

    qtest_set_timeout(src, 120);
    qtest_set_timeout(dst, 120);
    set_multifd(dst, channels);
    set_multifd(src, channels);
    qtest_qmp_assert_success(dst, "{'execute': 'migrate-incoming', "
                             "'arguments': {'uri': 'unix:%s'}}", sock);
    if (prepare) {
        prepare(src);
    }
    unthrottled_with_events(src);
    t0 = now_s();
    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'unix:%s'}}", sock);
    wait_completed(src);
    t1 = now_s();
    qtest_qmp_eventwait(dst, "RESUME");
    qtest_quit(src);
    qtest_quit(dst);
    return t1 - t0;
}

static double migrate_pair(const char *src_args, const char *dst_args,
                           void (*prepare)(QTestState *src))
{
    return migrate_pair_mf(src_args, dst_args, prepare, 0);
}

static void scatter_writes(QTestState *src)
{
    /* A few hundred written pages across the guest; the rest untouched. */
    for (uint64_t i = 0; i < 256; i++) {
        qtest_writeq(src, 0x100000 + i * 0x10000, i * 0x0101010101ULL + 1);
    }
}

/* Also the downtime (source STOP to destination RESUME) of that guest. */
static void bench_zero4g(void)
{
    g_autofree char *sock = g_build_filename(dir, "zero4g.sock", NULL);
    const char *args = "-M q35 -nodefaults -m 4G";
    QTestState *dst = qtest_initf("%s -incoming unix:%s", args, sock);
    QTestState *src = qtest_init(args);
    g_autoptr(JsonObject) stop = NULL;
    g_autoptr(JsonObject) resume = NULL;
    double t0, t1;

    qtest_set_timeout(src, 120);
    qtest_set_timeout(dst, 120);
    scatter_writes(src);
    unthrottled_with_events(src);
    t0 = now_s();
    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'unix:%s'}}", sock);
    stop = qtest_qmp_eventwait_ref(src, "STOP");
    wait_completed(src);
    t1 = now_s();
    resume = qtest_qmp_eventwait_ref(dst, "RESUME");
    printf("zero4g_ms %.1f\n", (t1 - t0) * 1e3);
    printf("zero4g_downtime_ms %.2f\n",
           (event_time(resume) - event_time(stop)) * 1e3);
    qtest_quit(src);
    qtest_quit(dst);
}

/*
 * The same path as the stream: 1 MiB writes into a unix socket.  The
 * reader either reuses one buffer (the socket alone) or, like a
 * destination filling its guest RAM, reads into fresh memory (the socket
 * plus the host giving it new pages, which dominates on some VMs).
 */
static double raw_unix_MBps(uint64_t total, bool fresh)
{
    int sv[2];
    pid_t pid;
    g_autofree char *buf = g_malloc(1 << 20);
    double t0, t1;
    int status;

    memset(buf, 0x5a, 1 << 20);
    g_assert(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    pid = fork();
    if (pid == 0) {
        char *dst = fresh ? mmap(NULL, total, PROT_READ | PROT_WRITE,
                                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) : NULL;
        uint64_t off = 0;
        ssize_t n;

        close(sv[0]);
        while ((n = read(sv[1], fresh ? dst + off : buf, 1 << 20)) > 0) {
            off = fresh ? MIN(off + n, total - (1 << 20)) : 0;
        }
        _exit(0);
    }
    close(sv[1]);
    t0 = now_s();
    for (uint64_t done = 0; done < total;) {
        ssize_t n = write(sv[0], buf, 1 << 20);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        g_assert(n > 0);
        done += n;
    }
    close(sv[0]);
    waitpid(pid, &status, 0);
    t1 = now_s();
    return total / (t1 - t0) / 1e6;
}

#define RANDOM_DST_ARGS "-M q35 -nodefaults -m 1G " \
    "-object memory-backend-ram,id=mem,size=1G -machine memory-backend=mem"

/* A file of 1 GiB of random data, guest RAM of the source (g_free). */
static char *random_source_args(char **file)
{
    int in = open("/dev/urandom", O_RDONLY);
    int out;
    g_autofree char *buf = g_malloc(1 << 20);

    *file = g_build_filename(dir, "random.ram", NULL);
    out = open(*file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert(in >= 0 && out >= 0);
    for (int i = 0; i < 1024; i++) {
        g_assert(read(in, buf, 1 << 20) == 1 << 20);
        g_assert(write(out, buf, 1 << 20) == 1 << 20);
    }
    close(in);
    close(out);
    return g_strdup_printf("-M q35 -nodefaults -m 1G -object "
                           "memory-backend-file,id=mem,size=1G,"
                           "mem-path=%s,share=on "
                           "-machine memory-backend=mem", *file);
}

static void bench_random1g(void)
{
    g_autofree char *file = NULL;
    g_autofree char *src_args = random_source_args(&file);
    double t;

    printf("raw_unix_MBps %.0f\n", raw_unix_MBps(1ULL << 30, false));
    printf("raw_unix_fresh_MBps %.0f\n", raw_unix_MBps(1ULL << 30, true));
    t = migrate_pair(src_args, RANDOM_DST_ARGS, NULL);
    printf("random1g_MBps %.0f\n", (1ULL << 30) / t / 1e6);
    unlink(file);
}

/* The destination receives on one thread per channel. */
static void bench_random1g_multifd(void)
{
    g_autofree char *file = NULL;
    g_autofree char *src_args = random_source_args(&file);

    for (int n = 1; n <= 4; n *= 2) {
        double t = migrate_pair_mf(src_args, RANDOM_DST_ARGS, NULL, n);

        printf("random1g_mf%d_MBps %.0f\n", n, (1ULL << 30) / t / 1e6);
        fflush(stdout);
    }
    unlink(file);
}

static void bench_downtime(void)
{
    g_autofree char *sock = g_build_filename(dir, "down.sock", NULL);
    const char *args = "-M q35 -nodefaults -m 128M "
        "-device pcie-root-port,id=rp0,chassis=1,slot=1,addr=0x2 "
        "-device pcie-root-port,id=rp1,chassis=1,slot=2,addr=0x3 "
        "-device pcie-root-port,id=rp2,chassis=1,slot=3,addr=0x4 "
        "-device pcie-root-port,id=rp3,chassis=1,slot=4,addr=0x5 "
        "-device pci-testdev,id=t0,bus=rp0 -device pci-testdev,id=t1,bus=rp1 "
        "-device pci-testdev,id=t2,bus=rp2 -device pci-testdev,id=t3,bus=rp3";
    QTestState *dst = qtest_initf("%s -incoming unix:%s", args, sock);
    QTestState *src = qtest_init(args);
    g_autoptr(JsonObject) stop = NULL;
    g_autoptr(JsonObject) resume = NULL;

    scatter_writes(src);
    qtest_qmp_assert_success(src, "{'execute': 'migrate', 'arguments': "
                             "{'uri': 'unix:%s'}}", sock);
    stop = qtest_qmp_eventwait_ref(src, "STOP");
    resume = qtest_qmp_eventwait_ref(dst, "RESUME");
    printf("downtime_ms %.2f\n", (event_time(resume) - event_time(stop)) * 1e3);
    qtest_quit(src);
    qtest_quit(dst);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 2 ? argv[2] : "";

    if (argc < 3) {
        fprintf(stderr, "usage: bench-migration BINARY "
                "zero4g|random1g|random1g-multifd|downtime\n");
        return 2;
    }
    g_setenv("QTEST_QEMU_BINARY", argv[1], TRUE);
    dir = g_dir_make_tmp("bench-migration-XXXXXX", NULL);
    if (!strcmp(mode, "zero4g")) {
        bench_zero4g();
    } else if (!strcmp(mode, "random1g")) {
        bench_random1g();
    } else if (!strcmp(mode, "random1g-multifd")) {
        bench_random1g_multifd();
    } else if (!strcmp(mode, "downtime")) {
        bench_downtime();
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    rmdir(dir);
    return 0;
}
