/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench-virtio-net: device-side virtio-net throughput.  The device runs in
 * this process (no PCI, no qtest): rings are filled directly in guest RAM,
 * frames go to (TX) or come from (RX) a `dgram` unix netdev whose other end
 * is a socket of ours.  Printed beside the raw throughput of the same
 * socket pair, which is the ceiling: one frame per send() ("raw-") and
 * many per sendmmsg() ("raw-mmsg-").
 *
 * Output lines: "<key> <value>" (packets/s or Gbit/s), for run.py.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <pthread.h>
#include <poll.h>

#include "hw/virtio/virtio-net.h"
#include "net/net.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "system/runstate.h"

#define RAM_SIZE (64 << 20)
#define QSIZE 256
#define HDR 12
#define SECONDS 1.0
#define BATCH 64

static uint8_t *ram;

/* Ring addresses in guest RAM (desc, avail, used per queue). */
static hwaddr ring_base(int q)
{
    return 0x100000 + q * 0x10000;
}

static void wr16(hwaddr a, uint16_t v)
{
    ram[a] = v;
    ram[a + 1] = v >> 8;
}

static uint16_t rd16(hwaddr a)
{
    return ram[a] | ram[a + 1] << 8;
}

static void setup_queue(VirtIODevice *vdev, int q)
{
    hwaddr d = ring_base(q), a = d + 16 * QSIZE, u = a + 0x1000;

    virtio_queue_set_num(vdev, q, QSIZE);
    virtio_queue_set_rings(vdev, q, d, a, u);
    virtio_queue_enable(vdev, q);
}

/* Descriptor i points at a fixed buffer of len bytes. */
static void write_desc(int q, int i, hwaddr buf, uint32_t len, uint16_t fl)
{
    uint8_t *p = ram + ring_base(q) + 16 * i;

    memcpy(p, &buf, 8);
    memcpy(p + 8, &len, 4);
    memcpy(p + 12, &fl, 2);
    memset(p + 14, 0, 2);
}

/*
 * Connected back to its sender, as two dgram netdevs naming each other
 * are: a unix datagram socket limits the queue of a receiver only for
 * senders it is not connected to (net.unix.max_dgram_qlen, 10).
 */
static void connect_back(int fd, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
}

static int sink_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    int sz = 8 << 20;

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
    return fd;
}

/*
 * The sink reads in its own thread and counts what really arrived: a unix
 * datagram queue is short, and what the device could not hand over is
 * queued or dropped by the backend, not delivered.
 */
static uint64_t sink_count;

static void *sink_thread(void *opaque)
{
    int fd = GPOINTER_TO_INT(opaque);
    static __thread uint8_t bufs[BATCH][2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov[BATCH];

    /* Many datagrams per call, so the sink is never the bottleneck. */
    for (int i = 0; i < BATCH; i++) {
        iov[i] = (struct iovec){ bufs[i], sizeof(bufs[i]) };
        msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
                                                 .msg_iovlen = 1 } };
    }
    for (;;) {
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);

        if (n < 0) {
            break;
        }
        __atomic_fetch_add(&sink_count, n, __ATOMIC_RELAXED);
    }
    return NULL;
}

static uint64_t sink_read(void)
{
    return __atomic_load_n(&sink_count, __ATOMIC_RELAXED);
}

/*
 * Wait for what an earlier figure left in the sink's socket to be read,
 * so that it is not counted in the next one.
 */
static void sink_quiesce(void)
{
    uint64_t last;

    do {
        last = sink_read();
        g_usleep(20000);
    } while (sink_read() != last);
}

static uint16_t tx_idx, rx_idx;

static double now(void)
{
    return g_get_monotonic_time() / 1e6;
}

static void report(const char *key, double pps, size_t frame)
{
    printf("%s-pps %.0f\n", key, pps);
    printf("%s-gbps %.3f\n", key, pps * frame * 8 / 1e9);
}

static gboolean tick_cb(void *opaque)
{
    return G_SOURCE_CONTINUE;
}

static double bench_tx(VirtIODevice *vdev, size_t frame)
{
    VirtQueue *vq = virtio_get_queue(vdev, 1);
    hwaddr avail = ring_base(1) + 16 * QSIZE;
    hwaddr used = avail + 0x1000;
    uint64_t start;
    double t0, t;
    guint tick;

    sink_quiesce();
    start = sink_read();
    t0 = now();
    /* Bounds a blocking wait below, whatever happens. */
    tick = g_timeout_add(10, tick_cb, NULL);

    for (int i = 0; i < QSIZE; i++) {
        write_desc(1, i, 0x400000 + i * 2048, HDR + frame, 0);
        wr16(avail + 4 + 2 * i, i);
    }
    do {
        /*
         * Keep the ring full, as a busy guest driver does: hand back
         * every slot the device has used, one kick per batch.  The device
         * leaves frames in the ring while the backend's socket is full.
         */
        uint16_t want = (uint16_t)(rd16(used + 2) + QSIZE);

        if (want != tx_idx) {
            tx_idx = want;
            wr16(avail + 2, tx_idx);
            virtio_queue_notify(vdev, 1);
            /* Let the backend flush what waited for the socket. */
            main_loop_poll_once(false);
        } else {
            /*
             * Nothing returned: the device waits for the socket, as a
             * main loop does, rather than spin against the reader.
             */
            main_loop_poll_once(true);
        }
        t = now();
    } while (t - t0 < SECONDS);
    g_source_remove(tick);
    g_assert(!vdev->broken && vq);
    return (sink_read() - start) / (t - t0);
}

static double bench_rx(VirtIODevice *vdev, NetClientState *backend,
                       size_t frame)
{
    hwaddr avail = ring_base(0) + 16 * QSIZE;
    hwaddr used = avail + 0x1000;
    uint8_t pkt[2048];
    uint64_t got = 0;
    double t0 = now(), t;

    memset(pkt, 0xff, 6);
    memset(pkt + 6, 0x02, frame - 6);
    for (int i = 0; i < QSIZE; i++) {
        write_desc(0, i, 0x800000 + i * 2048, 2048, VRING_DESC_F_WRITE);
        wr16(avail + 4 + 2 * i, i);
    }
    do {
        uint16_t before = rd16(used + 2);

        /* Every used buffer handed back: never more than the ring holds. */
        rx_idx = before + QSIZE;
        wr16(avail + 2, rx_idx);
        virtio_queue_notify(vdev, 0);
        for (int i = 0; i < QSIZE; i++) {
            qemu_send_packet(backend, pkt, frame);
        }
        got += (uint16_t)(rd16(used + 2) - before);
        t = now();
    } while (t - t0 < SECONDS);
    return got / (t - t0);
}

/*
 * RX through the socket: a thread writes frames into the backend's socket
 * as fast as it takes them (from the sink's socket, the only one the
 * connected backend hears), the device fills the RX ring, and we hand
 * back every used buffer at once, as a busy guest does.
 */
typedef struct Feeder {
    int fd;
    const char *to;
    size_t frame;
    volatile bool stop;
} Feeder;

static void *feeder_thread(void *opaque)
{
    Feeder *f = opaque;
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    static uint8_t pkt[2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov = { pkt, f->frame };

    memset(pkt, 0xff, 6);
    memset(pkt + 6, 0x02, sizeof(pkt) - 6);
    g_strlcpy(sa.sun_path, f->to, sizeof(sa.sun_path));
    for (int i = 0; i < BATCH; i++) {
        msgs[i] = (struct mmsghdr){ .msg_hdr = {
            .msg_name = &sa, .msg_namelen = sizeof(sa),
            .msg_iov = &iov, .msg_iovlen = 1 } };
    }
    while (!f->stop) {
        if (sendmmsg(f->fd, msgs, BATCH, MSG_DONTWAIT) < 0) {
            /* Full: sleep until it is not (bounded, to see stop). */
            struct pollfd pfd = { .fd = f->fd, .events = POLLOUT };

            poll(&pfd, 1, 10);
        }
    }
    return NULL;
}

static double bench_rx_sock(VirtIODevice *vdev, int fd, const char *to,
                            size_t frame)
{
    hwaddr avail = ring_base(0) + 16 * QSIZE;
    hwaddr used = avail + 0x1000;
    Feeder f = { .fd = fd, .to = to, .frame = frame };
    uint16_t last = rd16(used + 2);
    uint64_t got = 0;
    pthread_t th;
    guint tick;
    double t0 = now(), t;

    for (int i = 0; i < QSIZE; i++) {
        write_desc(0, i, 0x800000 + i * 2048, 2048, VRING_DESC_F_WRITE);
        wr16(avail + 4 + 2 * i, i);
    }
    tick = g_timeout_add(10, tick_cb, NULL);
    pthread_create(&th, NULL, feeder_thread, &f);
    do {
        uint16_t cur = rd16(used + 2), want = cur + QSIZE;

        /* Counted as we go: the 16-bit index wraps within a second. */
        got += (uint16_t)(cur - last);
        last = cur;

        if (want != rx_idx) {
            rx_idx = want;
            wr16(avail + 2, rx_idx);
            virtio_queue_notify(vdev, 0);
            main_loop_poll_once(false);
        } else {
            /* Nothing came: wait for the socket, as a main loop does. */
            main_loop_poll_once(true);
        }
        t = now();
    } while (t - t0 < SECONDS);
    g_source_remove(tick);
    f.stop = true;
    pthread_join(th, NULL);
    /* Take in what is still on its way, so the next figure starts clean. */
    for (int idle = 0; idle < 100; idle++) {
        uint16_t cur = rd16(used + 2);

        if (cur != last) {
            idle = 0;
            last = cur;
        }
        rx_idx = cur + QSIZE;
        wr16(avail + 2, rx_idx);
        virtio_queue_notify(vdev, 0);
        main_loop_poll_once(false);
        g_usleep(1000);
    }
    return got / (t - t0);
}

/*
 * The ceiling: the same socket written directly, one frame per send() or
 * BATCH frames per sendmmsg().
 */
static double bench_raw(int sink, const char *path, const char *src,
                        size_t frame, bool mmsg)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    static uint8_t pkt[2048];
    struct mmsghdr msgs[BATCH];
    struct iovec iov = { pkt, frame };
    uint64_t start;
    double t0, t;

    sink_quiesce();
    start = sink_read();
    t0 = now();

    for (int i = 0; i < BATCH; i++) {
        msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov,
                                                 .msg_iovlen = 1 } };
    }
    g_strlcpy(sa.sun_path, src, sizeof(sa.sun_path));
    unlink(src);
    g_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    connect_back(sink, src);
    connect_back(fd, path);
    do {
        for (int i = 0; i < QSIZE; i += mmsg ? BATCH : 1) {
            if (mmsg) {
                int sent = 0;

                while (sent < BATCH) {
                    int n = sendmmsg(fd, msgs + sent, BATCH - sent, 0);

                    g_assert(n > 0);
                    sent += n;
                }
            } else {
                g_assert(send(fd, pkt, frame, 0) == (ssize_t)frame);
            }
        }
        t = now();
    } while (t - t0 < SECONDS);
    close(fd);
    return (sink_read() - start) / (t - t0);
}

static bool wanted(const char *key, char **prefixes)
{
    for (; *prefixes; prefixes++) {
        if (g_str_has_prefix(key, *prefixes)) {
            return true;
        }
    }
    return false;
}

int main(int argc, char **argv)
{
    g_autofree char *dir = g_dir_make_tmp("bench-vnet-XXXXXX", NULL);
    g_autofree char *sink_path = g_build_filename(dir, "sink", NULL);
    g_autofree char *raw_path = g_build_filename(dir, "raw", NULL);
    g_autofree char *local = g_build_filename(dir, "local", NULL);
    g_autofree char *raw_src = g_build_filename(dir, "raw-src", NULL);
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    static MemoryRegion ram_mr;
    NetClientState *backend;
    DeviceState *dev;
    VirtIODevice *vdev;
    GError *err = NULL;
    int sink = sink_socket(sink_path), raw = sink_socket(raw_path);
    pthread_t th1, th2;
    static const size_t sizes[] = { 64, 1500 };

    /* Guest RAM at 0. */
    g_assert(memory_region_init_ram(&ram_mr, NULL, "ram", RAM_SIZE, &err));
    memory_region_add_subregion(get_system_memory(), 0, &ram_mr);
    ram = memory_region_get_ram_ptr(&ram_mr);
    /* The VM runs: a stopped VM's devices leave their rings alone. */
    runstate_set(RUN_STATE_RUNNING);

    qemu_opt_set(opts, "type", "dgram");
    qemu_opt_set(opts, "id", "n0");
    qemu_opt_set(opts, "local.type", "unix");
    qemu_opt_set(opts, "local.path", local);
    qemu_opt_set(opts, "remote.type", "unix");
    qemu_opt_set(opts, "remote.path", sink_path);
    backend = net_client_init(opts, false, &err);
    if (!backend) {
        fprintf(stderr, "dgram netdev: %s\n", err->message);
        return 1;
    }

    connect_back(sink, local);

    dev = DEVICE(object_new(TYPE_VIRTIO_NET));
    g_assert(qdev_prop_parse(dev, "netdev", "n0", &err));
    if (!qdev_realize(dev, NULL, &err)) {
        fprintf(stderr, "virtio-net: %s\n", err->message);
        return 1;
    }
    vdev = VIRTIO_DEVICE(dev);
    vdev->host_features |= 1ULL << VIRTIO_F_VERSION_1;
    virtio_set_features(vdev, vdev->host_features &
                        ~(1ULL << VIRTIO_RING_F_EVENT_IDX));
    setup_queue(vdev, 0);
    setup_queue(vdev, 1);
    virtio_set_status(vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
                      VIRTIO_CONFIG_S_DRIVER_OK);

    pthread_create(&th1, NULL, sink_thread, GINT_TO_POINTER(sink));
    pthread_create(&th2, NULL, sink_thread, GINT_TO_POINTER(raw));
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        g_autofree char *tx = g_strdup_printf("tx-%zu", sizes[i]);
        g_autofree char *rx = g_strdup_printf("rx-%zu", sizes[i]);
        g_autofree char *rw = g_strdup_printf("raw-%zu", sizes[i]);
        g_autofree char *rm = g_strdup_printf("raw-mmsg-%zu", sizes[i]);
        g_autofree char *rs = g_strdup_printf("rx-sock-%zu", sizes[i]);

        /* An argument runs only the figures starting with it (profiling). */
#define RUN(key) (argc < 2 || wanted(key, argv + 1))
        if (RUN(tx)) {
            report(tx, bench_tx(vdev, sizes[i]), sizes[i]);
        }
        if (RUN(rx)) {
            report(rx, bench_rx(vdev, backend, sizes[i]), sizes[i]);
        }
        if (RUN(rs)) {
            report(rs, bench_rx_sock(vdev, sink, local, sizes[i]), sizes[i]);
        }
        if (RUN(rw)) {
            report(rw, bench_raw(raw, raw_path, raw_src, sizes[i], false),
                   sizes[i]);
        }
        if (RUN(rm)) {
            report(rm, bench_raw(raw, raw_path, raw_src, sizes[i], true),
                   sizes[i]);
        }
        fflush(stdout);
    }
    /* The sink threads block in recv(): leave without joining them. */
    unlink(sink_path);
    unlink(raw_path);
    unlink(raw_src);
    unlink(local);
    g_rmdir(dir);
    return 0;
}
