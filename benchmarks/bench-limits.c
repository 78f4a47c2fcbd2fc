/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-limits: what this machine itself can do, measured in the same run
 * as baton's figures so that each figure can be shown as a share of its
 * ceiling (benchmarks/run.py).  Nothing of baton runs here.
 *
 *   bench-limits fault    writing fresh anonymous memory, page by page,
 *                         as a migration destination fills guest RAM:
 *                         "fault_<4k|huge>_<1|2>t_MBps R"
 *   bench-limits stream   one connection copying 256 KiB writes into a
 *                         reused buffer: "raw_unix_MBps R", "raw_tcp_MBps R"
 *
 * The datagram ceilings (one frame per sendto, sendmmsg) are measured by
 * bench-virtio-net with the same sink as the device's frames.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <glib.h>

#define FAULT_BYTES ((size_t)256 << 20)
#define PAGE 4096
#define CHUNK (256 << 10)
#define SECONDS 1.0

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

/* ---- Fresh memory ----------------------------------------------------- */

typedef struct FaultJob {
    uint8_t *base;
    size_t len;
} FaultJob;

static void *fault_thread(void *opaque)
{
    FaultJob *j = opaque;

    /* Each page written whole, as a received page is. */
    for (size_t off = 0; off < j->len; off += PAGE) {
        memset(j->base + off, 0xa5, PAGE);
    }
    return NULL;
}

static double fault_rate(bool huge, int threads)
{
    /* 2 MiB aligned, so huge pages can back all of it. */
    size_t map_len = FAULT_BYTES + (2 << 20);
    uint8_t *map = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *base;
    pthread_t th[2];
    FaultJob jobs[2];
    double t0, t = 0;

    if (map == MAP_FAILED) {
        return -1;
    }
    base = (uint8_t *)(((uintptr_t)map + (2 << 20) - 1) &
                       ~(uintptr_t)((2 << 20) - 1));
    /* Unavailable huge pages leave the 4 KiB figure, as QEMU falls back. */
    madvise(base, FAULT_BYTES, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    t0 = now();
    for (int i = 0; i < threads; i++) {
        jobs[i].base = base + FAULT_BYTES / threads * i;
        jobs[i].len = FAULT_BYTES / threads;
        pthread_create(&th[i], NULL, fault_thread, &jobs[i]);
    }
    for (int i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
    }
    t = now() - t0;
    munmap(map, map_len);
    return FAULT_BYTES / t / 1e6;
}

static void bench_fault(void)
{
    for (int huge = 0; huge <= 1; huge++) {
        for (int threads = 1; threads <= 2; threads++) {
            printf("fault_%s_%dt_MBps %.0f\n", huge ? "huge" : "4k", threads,
                   fault_rate(huge, threads));
        }
    }
}

/* ---- Stream sockets ----------------------------------------------------- */

static volatile bool stop_writer;

static void *writer_thread(void *opaque)
{
    int fd = GPOINTER_TO_INT(opaque);
    static uint8_t buf[CHUNK];

    while (!stop_writer) {
        if (write(fd, buf, sizeof(buf)) < 0 && errno != EINTR) {
            break;
        }
    }
    shutdown(fd, SHUT_WR);
    return NULL;
}

/* Bytes per second from wfd to rfd, read into one reused buffer. */
static double copy_rate(int wfd, int rfd)
{
    static uint8_t buf[CHUNK];
    uint64_t got = 0;
    pthread_t th;
    double t0, t = 0;

    stop_writer = false;
    pthread_create(&th, NULL, writer_thread, GINT_TO_POINTER(wfd));
    t0 = now();
    do {
        ssize_t n = read(rfd, buf, sizeof(buf));

        if (n <= 0) {
            break;
        }
        got += n;
        t = now();
    } while (t - t0 < SECONDS);
    stop_writer = true;
    /* Drain until the writer has seen stop and shut its end. */
    while (read(rfd, buf, sizeof(buf)) > 0) {
    }
    pthread_join(th, NULL);
    close(wfd);
    close(rfd);
    return got / (t - t0) / 1e6;
}

static bool tcp_pair(int fds[2])
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int l = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(l, 1) < 0 || getsockname(l, (struct sockaddr *)&sa, &len)) {
        return false;
    }
    fds[0] = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fds[0], (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        return false;
    }
    fds[1] = accept(l, NULL, NULL);
    close(l);
    setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fds[1] >= 0;
}

static void bench_stream(void)
{
    int fds[2];

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0) {
        printf("raw_unix_MBps %.0f\n", copy_rate(fds[0], fds[1]));
    }
    if (tcp_pair(fds)) {
        printf("raw_tcp_MBps %.0f\n", copy_rate(fds[0], fds[1]));
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(mode, "fault")) {
        bench_fault();
    } else if (!strcmp(mode, "stream")) {
        bench_stream();
    } else {
        fprintf(stderr, "usage: bench-limits fault|stream\n");
        return 2;
    }
    return 0;
}
