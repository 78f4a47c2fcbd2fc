/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-limits: what this machine itself can do, measured in the same run
 * as baton's figures so that each figure can be shown as a share of its
 * ceiling (benchmarks/run.py).  Nothing of baton runs here.
 *
 *   bench-limits fault    writing fresh anonymous memory, page by page,
 *                         as a migration destination fills guest RAM:
 *                         "fault_<4k|huge>_<1|2>t_MBps R" and
 *                         "fault_recycled_huge_<1|2>t_MBps R" (see below)
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
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <glib.h>

#define PAGE 4096
#define CHUNK (256 << 10)
#define SECONDS 1.0

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

/* ---- Fresh memory ----------------------------------------------------- */

/*
 * Fresh memory has two prices in a VM such as this one.  Pages the guest
 * kernel freed a moment ago are still backed by the host and fault in at
 * memory speed (with huge pages ~12 GB/s a thread); pages the guest never
 * used, or gave back to the host (free page reporting), need the host to
 * back them as well and come 20-40 times slower.  A pass timed as a whole
 * measures whatever mix the allocator hands out, which depends on what
 * was freed just before and on which CPU: the two threads of one pass
 * differed up to five-fold.  So each 2 MiB chunk is timed on its own and
 * counted as host-backed anew ("fresh") below 2 GB/s, as recycled above;
 * the two show as clearly separate groups.  A pass goes on until it met
 * FAULT_WANT chunks of the kind it measures (or its mapping ends: then
 * the machine has one price, and all chunks count), and passes stay mapped
 * until the end, so that each takes new memory rather than the previous
 * one's.  Threads start together at a barrier.
 *
 *   fault_<4k|huge>_<1|2>t_MBps       fresh chunks
 *   fault_recycled_huge_<1|2>t_MBps   chunks of memory just unmapped
 *
 * A migration destination's guest RAM is mostly fresh in this sense (its
 * receiving threads spend most of their time clearing first-touched huge
 * pages), which is why the first figures are the ceiling it is held to.
 */
#define FAULT_CHUNK ((size_t)2 << 20)
#define FAULT_MAP ((size_t)1 << 30)
#define FAULT_FRESH_BPS 2e9
#define FAULT_WANT 64

typedef struct FaultPass {
    bool fresh;                 /* measuring fresh chunks, or recycled */
    int seen;                   /* chunks of that kind so far (atomic) */
} FaultPass;

typedef struct FaultJob {
    FaultPass *pass;
    uint8_t *base;
    size_t len;
    pthread_barrier_t *start;
    double s[2];                /* [fresh] seconds, chunks */
    size_t chunks[2];
} FaultJob;

static double now_fine(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *fault_thread(void *opaque)
{
    FaultJob *j = opaque;
    FaultPass *p = j->pass;

    pthread_barrier_wait(j->start);
    for (size_t c = 0; c < j->len; c += FAULT_CHUNK) {
        double t0 = now_fine(), t;
        bool fresh;

        if (__atomic_load_n(&p->seen, __ATOMIC_RELAXED) >= FAULT_WANT) {
            break;
        }
        /* Each page written whole, as a received page is. */
        for (size_t off = 0; off < FAULT_CHUNK; off += PAGE) {
            memset(j->base + c + off, 0xa5, PAGE);
        }
        t = now_fine() - t0;
        fresh = FAULT_CHUNK / t < FAULT_FRESH_BPS;
        j->s[fresh] += t;
        j->chunks[fresh]++;
        if (fresh == p->fresh) {
            __atomic_fetch_add(&p->seen, 1, __ATOMIC_RELAXED);
        }
    }
    return NULL;
}

/*
 * One pass over new memory on that many threads; the mapping is left in
 * *map (FAULT_MAP + FAULT_CHUNK bytes).  MB/s of the chunks of the kind
 * measured, the threads' rates added up (they ran side by side).
 */
static double fault_pass(bool huge, int threads, bool fresh, void **map)
{
    size_t map_len = FAULT_MAP + FAULT_CHUNK;
    uint8_t *m = mmap(NULL, map_len, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    uint8_t *base;
    pthread_barrier_t start;
    pthread_t th[2];
    FaultJob jobs[2] = { 0 };
    FaultPass pass = { .fresh = fresh };
    double rate = 0, all = 0;
    int kind = fresh;

    *map = NULL;
    if (m == MAP_FAILED) {
        return -1;
    }
    *map = m;
    /* 2 MiB aligned, so huge pages can back all of it. */
    base = (uint8_t *)(((uintptr_t)m + FAULT_CHUNK - 1) &
                       ~(uintptr_t)(FAULT_CHUNK - 1));
    /* Unavailable huge pages leave the 4 KiB figure, as QEMU falls back. */
    madvise(base, FAULT_MAP, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
    pthread_barrier_init(&start, NULL, threads + 1);
    for (int i = 0; i < threads; i++) {
        jobs[i].pass = &pass;
        jobs[i].base = base + FAULT_MAP / threads * i;
        jobs[i].len = FAULT_MAP / threads;
        jobs[i].start = &start;
        pthread_create(&th[i], NULL, fault_thread, &jobs[i]);
    }
    pthread_barrier_wait(&start);
    for (int i = 0; i < threads; i++) {
        FaultJob *j = &jobs[i];

        pthread_join(th[i], NULL);
        if (j->chunks[kind]) {
            rate += j->chunks[kind] * FAULT_CHUNK / j->s[kind];
        }
        all += (j->chunks[0] + j->chunks[1]) * FAULT_CHUNK /
               (j->s[0] + j->s[1]);
    }
    pthread_barrier_destroy(&start);
    return (pass.seen >= FAULT_WANT ? rate : all) / 1e6;
}

static void bench_fault(void)
{
    void *maps[6];
    int n = 0;

    for (int huge = 0; huge <= 1; huge++) {
        for (int threads = 1; threads <= 2; threads++) {
            double v = fault_pass(huge, threads, true, &maps[n++]);

            printf("fault_%s_%dt_MBps %.0f\n", huge ? "huge" : "4k", threads,
                   v);
        }
    }
    /* Memory freed a moment ago: the huge passes' again. */
    for (int threads = 1; threads <= 2; threads++) {
        if (maps[1 + threads]) {
            munmap(maps[1 + threads], FAULT_MAP + FAULT_CHUNK);
            maps[1 + threads] = NULL;
        }
        printf("fault_recycled_huge_%dt_MBps %.0f\n", threads,
               fault_pass(true, threads, false, &maps[n++]));
    }
    for (int i = 0; i < n; i++) {
        if (maps[i]) {
            munmap(maps[i], FAULT_MAP + FAULT_CHUNK);
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
