/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net TX/RX batching against a real dgram netdev: a burst the
 * guest publishes with one kick reaches the wire whole and in order (also
 * when the socket takes only part of it), a burst read from the socket
 * lands in the guest's buffers in order, and the interrupts the guest gets
 * are one per burst, or as the event index (VIRTIO_RING_F_EVENT_IDX)
 * asks.  The device sits on a virtio bus of ours that counts interrupts.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "hw/virtio/virtio-net.h"
#include "net/net.h"
#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/option.h"
#include "system/runstate.h"

#define RAM_SIZE (16 << 20)
#define QSIZE 256
#define HDR 12
#define TIMEOUT_US (20 * G_USEC_PER_SEC)

/* ---- A virtio bus that counts interrupts ------------------------------ */

#define TYPE_COUNTING_BUS "test-counting-virtio-bus"

static unsigned int interrupts;

static void counting_notify(DeviceState *proxy, uint16_t vector)
{
    interrupts++;
}

static void counting_bus_class_init(ObjectClass *oc, void *data)
{
    VirtioBusClass *k = VIRTIO_BUS_CLASS(oc);

    k->notify = counting_notify;
}

static const TypeInfo counting_bus_info = {
    .name = TYPE_COUNTING_BUS,
    .parent = TYPE_VIRTIO_BUS,
    .instance_size = sizeof(VirtioBusState),
    .class_size = sizeof(VirtioBusClass),
    .class_init = counting_bus_class_init,
};

/* ---- Guest RAM and rings ---------------------------------------------- */

static uint8_t *ram;
static char *tmp_dir;

static hwaddr ring_base(int q)
{
    return 0x100000 + q * 0x10000;
}

static hwaddr avail_of(int q)
{
    return ring_base(q) + 16 * QSIZE;
}

static hwaddr used_of(int q)
{
    return avail_of(q) + 0x1000;
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

static uint32_t rd32(hwaddr a)
{
    return rd16(a) | (uint32_t)rd16(a + 2) << 16;
}

static void write_desc(int q, int i, uint64_t buf, uint32_t len,
                       uint16_t flags, uint16_t next)
{
    uint8_t *p = ram + ring_base(q) + 16 * i;

    for (int b = 0; b < 8; b++) {
        p[b] = buf >> (8 * b);
    }
    for (int b = 0; b < 4; b++) {
        p[8 + b] = len >> (8 * b);
    }
    p[12] = flags;
    p[13] = flags >> 8;
    p[14] = next;
    p[15] = next >> 8;
}

/* The driver's used_event: after the avail ring. */
static void set_used_event(int q, uint16_t v)
{
    wr16(avail_of(q) + 4 + 2 * QSIZE, v);
}

/* ---- The device and its peer ------------------------------------------ */

typedef struct Rig {
    bool stream;                /* a stream netdev over tcp, not dgram */
    VirtIODevice *vdev;
    DeviceState *dev;
    BusState *bus;
    NetClientState *backend;
    int peer;                   /* our socket at the netdev's remote */
    char *local_path, *peer_path;
    uint16_t tx_avail, rx_avail;
} Rig;

static int bound_socket(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    return fd;
}

static void connect_to(int fd, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    g_assert_cmpint(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
}

/*
 * A tcp listener whose connections take little at a time (a small
 * receive buffer), so a burst meets a full socket part-way.
 */
static int tcp_listener(int *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), small = 4096;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    g_assert_cmpint(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), ==, 0);
    g_assert_cmpint(listen(fd, 1), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sa, &len), ==, 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static void setup_queue(VirtIODevice *vdev, int q)
{
    virtio_queue_set_num(vdev, q, QSIZE);
    virtio_queue_set_rings(vdev, q, ring_base(q), avail_of(q), used_of(q));
    virtio_queue_enable(vdev, q);
}

/*
 * connect_back: the peer connects to the netdev's socket, as a second
 * dgram netdev naming ours would; without it, a unix datagram receiver
 * queues only a few frames from us (net.unix.max_dgram_qlen) and a burst
 * meets a full socket.
 */
static void rig_backend(Rig *r, const char *id, bool connect_back)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    GError *err = NULL;

    qemu_opt_set(opts, "id", id);
    if (r->stream) {
        int port, lfd = tcp_listener(&port);
        g_autofree char *ports = g_strdup_printf("%d", port);

        qemu_opt_set(opts, "type", "stream");
        qemu_opt_set(opts, "server", "off");
        qemu_opt_set(opts, "addr.type", "inet");
        qemu_opt_set(opts, "addr.host", "127.0.0.1");
        qemu_opt_set(opts, "addr.port", ports);
        r->backend = net_client_init(opts, false, &err);
        g_assert_no_error(err);
        r->peer = accept4(lfd, NULL, NULL, SOCK_NONBLOCK);
        g_assert_cmpint(r->peer, >=, 0);
        close(lfd);
        return;
    }
    r->peer = bound_socket(r->peer_path);
    qemu_opt_set(opts, "type", "dgram");
    qemu_opt_set(opts, "local.type", "unix");
    qemu_opt_set(opts, "local.path", r->local_path);
    qemu_opt_set(opts, "remote.type", "unix");
    qemu_opt_set(opts, "remote.path", r->peer_path);
    r->backend = net_client_init(opts, false, &err);
    g_assert_no_error(err);
    if (connect_back) {
        connect_to(r->peer, r->local_path);
    }
}

static void rig_start(Rig *r, bool event_idx, bool connect_back)
{
    static int n;
    g_autofree char *id = g_strdup_printf("vb%d", n++);
    bool stream = r->stream;
    GError *err = NULL;
    uint64_t f;

    memset(r, 0, sizeof(*r));
    r->stream = stream;
    memset(ram + 0x100000, 0, 0x40000);
    r->local_path = g_strdup_printf("%s/%s-local", tmp_dir, id);
    r->peer_path = g_strdup_printf("%s/%s-peer", tmp_dir, id);
    rig_backend(r, id, connect_back);

    r->bus = qbus_new(TYPE_COUNTING_BUS, NULL, NULL);
    r->dev = DEVICE(object_new(TYPE_VIRTIO_NET));
    g_assert(qdev_prop_parse(r->dev, "netdev", id, &err));
    g_assert(qdev_realize_and_unref(r->dev, r->bus, &err));
    g_assert_no_error(err);
    r->vdev = VIRTIO_DEVICE(r->dev);
    f = r->vdev->host_features | (1ULL << VIRTIO_F_VERSION_1);
    f &= ~(1ULL << VIRTIO_F_NOTIFY_ON_EMPTY);
    if (!event_idx) {
        f &= ~(1ULL << VIRTIO_RING_F_EVENT_IDX);
    }
    virtio_set_features(r->vdev, f);
    g_assert_cmpint(virtio_vdev_has_feature(r->vdev,
                                            VIRTIO_RING_F_EVENT_IDX), ==,
                    event_idx);
    setup_queue(r->vdev, 0);
    setup_queue(r->vdev, 1);
    virtio_set_status(r->vdev, VIRTIO_CONFIG_S_ACKNOWLEDGE |
                      VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK |
                      VIRTIO_CONFIG_S_DRIVER_OK);
    interrupts = 0;
}

static void rig_stop(Rig *r)
{
    object_unparent(OBJECT(r->dev));
    object_unref(OBJECT(r->bus));
    qemu_del_net_client(r->backend);
    close(r->peer);
    if (!r->stream) {
        unlink(r->peer_path);
    }
    g_free(r->local_path);
    g_free(r->peer_path);
}

/* Frame i: its length and bytes, all different. */
static size_t frame_len(int i)
{
    static const size_t lens[] = { 60, 64, 1514, 128, 999, 1500, 61 };

    return lens[i % G_N_ELEMENTS(lens)];
}

static uint8_t frame_byte(int i, size_t off)
{
    return (uint8_t)(i * 37 + off * 7 + (off >> 8));
}

/*
 * Publish frames first..first+count-1 in the TX ring, without kicking (at
 * most 85 in flight).
 * Every third frame is split: header alone, then the data in two pieces.
 */
static void tx_publish(Rig *r, int first, int count)
{
    for (int k = 0; k < count; k++) {
        int i = first + k;
        int head = (i % 85) * 3;     /* three descriptors each */
        uint64_t buf = 0x400000 + (uint64_t)(i % 128) * 0x1000;
        size_t len = frame_len(i);

        memset(ram + buf, 0, HDR);
        for (size_t off = 0; off < len; off++) {
            ram[buf + HDR + off] = frame_byte(i, off);
        }
        if (i % 3 == 2) {
            write_desc(1, head, buf, HDR, VRING_DESC_F_NEXT, head + 1);
            write_desc(1, head + 1, buf + HDR, 10, VRING_DESC_F_NEXT,
                       head + 2);
            write_desc(1, head + 2, buf + HDR + 10, len - 10, 0, 0);
        } else {
            write_desc(1, head, buf, HDR + len, 0, 0);
        }
        wr16(avail_of(1) + 4 + 2 * (r->tx_avail % QSIZE), head);
        r->tx_avail++;
    }
    wr16(avail_of(1) + 2, r->tx_avail);
}

/* Exactly len bytes of the stream, running the main loop meanwhile. */
static void read_exact(int fd, uint8_t *buf, size_t len, gint64 deadline)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n = recv(fd, buf + got, len - got, 0);

        if (n > 0) {
            got += n;
            continue;
        }
        g_assert_cmpint(n, <, 0);
        g_assert_cmpint(errno, ==, EAGAIN);
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        main_loop_poll_once(false);
    }
}

/* One frame: a datagram, or a length and the frame on a stream. */
static ssize_t read_frame(Rig *r, uint8_t *buf, size_t size, gint64 deadline)
{
    ssize_t n;

    if (r->stream) {
        uint8_t hdr[4];

        read_exact(r->peer, hdr, 4, deadline);
        n = (size_t)hdr[0] << 24 | hdr[1] << 16 | hdr[2] << 8 | hdr[3];
        g_assert_cmpint(n, <=, size);
        read_exact(r->peer, buf, n, deadline);
        return n;
    }
    while ((n = recv(r->peer, buf, size, 0)) < 0) {
        g_assert_cmpint(errno, ==, EAGAIN);
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        main_loop_poll_once(false);
    }
    return n;
}

/* Read frames from the peer socket, running the main loop meanwhile. */
static void expect_on_wire(Rig *r, int first, int count)
{
    gint64 deadline = g_get_monotonic_time() + TIMEOUT_US;
    uint8_t buf[2048];

    for (int k = 0; k < count; k++) {
        int i = first + k;
        ssize_t n = read_frame(r, buf, sizeof(buf), deadline);

        g_assert_cmpint(n, ==, frame_len(i));
        for (size_t off = 0; off < (size_t)n; off++) {
            if (buf[off] != frame_byte(i, off)) {
                g_error("frame %d byte %zu: 0x%02x, expected 0x%02x", i,
                        off, buf[off], frame_byte(i, off));
            }
        }
    }
}

static void expect_nothing_more(Rig *r)
{
    uint8_t buf[2048];

    for (int i = 0; i < 10; i++) {
        main_loop_poll_once(false);
    }
    g_assert_cmpint(recv(r->peer, buf, sizeof(buf), 0), ==, -1);
}

static void kick(Rig *r, int q)
{
    virtio_queue_notify(r->vdev, q);
}

/* ---- TX ------------------------------------------------------------------ */

/*
 * 80 frames (more than one batch), one kick, a socket that takes about
 * ten at a time: all on the wire, whole and in order, every chain
 * completed once, and one interrupt for the kick (no event index: the
 * device signals when it returns buffers, once per kick); the frames the
 * device left in the ring while the socket was full come with one more.
 */
static void test_tx_burst_order(void)
{
    Rig r = { 0 };

    rig_start(&r, false, false);
    tx_publish(&r, 0, 80);
    kick(&r, 1);
    g_assert_cmpuint(interrupts, ==, 1);
    expect_on_wire(&r, 0, 80);
    g_assert_cmpuint(rd16(used_of(1) + 2), ==, 80);
    for (int k = 0; k < 80; k++) {
        g_assert_cmpuint(rd32(used_of(1) + 4 + 8 * k), ==, k * 3);
    }
    g_assert_cmpuint(interrupts, <=, 2);
    expect_nothing_more(&r);
    g_assert_cmpuint(r.backend->rx_dropped, ==, 0);
    rig_stop(&r);
}

/*
 * A stream netdev over tcp whose peer reads little at a time: bursts of a
 * kick leave in one writev, a frame the socket took in part is finished
 * first, the rest waits in order; every frame arrives whole, framed, in
 * order, once.
 */
static void test_tx_burst_stream(void)
{
    Rig r = { .stream = true };

    rig_start(&r, false, false);
    for (int round = 0; round < 4; round++) {
        tx_publish(&r, round * 80, 80);
        kick(&r, 1);
        /* Let the socket fill before anything is read. */
        for (int i = 0; i < 20; i++) {
            main_loop_poll_once(false);
        }
        expect_on_wire(&r, round * 80, 80);
    }
    g_assert_cmpuint(rd16(used_of(1) + 2), ==, 320);
    g_assert_cmpuint(r.backend->rx_dropped, ==, 0);
    expect_nothing_more(&r);
    rig_stop(&r);
}

/* The same with a peer that keeps up: still all of it, in order. */
static void test_tx_burst_connected(void)
{
    Rig r = { 0 };

    rig_start(&r, false, true);
    tx_publish(&r, 0, 64);
    kick(&r, 1);
    expect_on_wire(&r, 0, 64);
    tx_publish(&r, 64, 70);
    kick(&r, 1);
    expect_on_wire(&r, 64, 70);
    g_assert_cmpuint(rd16(used_of(1) + 2), ==, 134);
    g_assert_cmpuint(interrupts, ==, 2);
    expect_nothing_more(&r);
    rig_stop(&r);
}

/*
 * With the event index the driver says after which used entry it wants
 * an interrupt: one when a burst passes it, whatever the burst's size,
 * none while it is not passed.  (The first completion after a reset
 * always interrupts, as in QEMU: the device has not signalled yet.)
 */
static void test_tx_event_idx(void)
{
    Rig r = { 0 };

    rig_start(&r, true, true);
    set_used_event(1, 5);
    tx_publish(&r, 0, 4);
    kick(&r, 1);
    expect_on_wire(&r, 0, 4);
    g_assert_cmpuint(interrupts, ==, 1);
    set_used_event(1, 39);      /* after the 40th entry */
    tx_publish(&r, 4, 16);
    kick(&r, 1);
    expect_on_wire(&r, 4, 16);
    g_assert_cmpuint(interrupts, ==, 1);
    tx_publish(&r, 20, 30);
    kick(&r, 1);
    expect_on_wire(&r, 20, 30);
    g_assert_cmpuint(interrupts, ==, 2);
    set_used_event(1, 1000);
    tx_publish(&r, 50, 8);
    kick(&r, 1);
    expect_on_wire(&r, 50, 8);
    g_assert_cmpuint(interrupts, ==, 2);
    /* The device tells the driver it wants a kick for the next one. */
    g_assert_cmpuint(rd16(used_of(1) + 4 + 8 * QSIZE), ==, 58);
    rig_stop(&r);
}

/* ---- RX ------------------------------------------------------------------ */

static void rx_post(Rig *r, int count)
{
    for (int k = 0; k < count; k++) {
        int head = r->rx_avail % QSIZE;

        write_desc(0, head, 0x800000 + (uint64_t)head * 0x1000, 2048,
                   VRING_DESC_F_WRITE, 0);
        wr16(avail_of(0) + 4 + 2 * head, head);
        r->rx_avail++;
    }
    wr16(avail_of(0) + 2, r->rx_avail);
}

/* Frames to the netdev; on a stream, all of them with one write. */
static void peer_send(Rig *r, int first, int count)
{
    g_autoptr(GByteArray) all = g_byte_array_new();
    uint8_t buf[2048];

    for (int k = 0; k < count; k++) {
        int i = first + k;
        size_t len = frame_len(i);
        uint8_t hdr[4] = { len >> 24, len >> 16, len >> 8, len };

        for (size_t off = 0; off < len; off++) {
            buf[off] = frame_byte(i, off);
        }
        /* The frames must pass the MAC filter: broadcast. */
        memset(buf, 0xff, 6);
        if (r->stream) {
            g_byte_array_append(all, hdr, 4);
            g_byte_array_append(all, buf, len);
        } else {
            g_assert_cmpint(send(r->peer, buf, len, 0), ==, len);
        }
    }
    if (r->stream) {
        g_assert_cmpint(send(r->peer, all->data, all->len, 0), ==, all->len);
    }
}

/* Run the main loop until the RX used index reaches want. */
static void wait_rx_used(uint16_t want)
{
    gint64 deadline = g_get_monotonic_time() + TIMEOUT_US;

    while (rd16(used_of(0) + 2) != want) {
        g_assert_cmpint(g_get_monotonic_time(), <, deadline);
        main_loop_poll_once(false);
    }
}

static void expect_in_guest(int first_used, int first, int count)
{
    for (int k = 0; k < count; k++) {
        int i = first + k;
        hwaddr e = used_of(0) + 4 + 8 * ((first_used + k) % QSIZE);
        uint32_t head = rd32(e), len = rd32(e + 4);
        const uint8_t *p = ram + 0x800000 + (uint64_t)head * 0x1000 + HDR;

        g_assert_cmpuint(head, ==, (first_used + k) % QSIZE);
        g_assert_cmpuint(len, ==, HDR + frame_len(i));
        for (size_t off = 6; off < frame_len(i); off++) {
            g_assert_cmpuint(p[off], ==, frame_byte(i, off));
        }
    }
}

/* 24 frames waiting in the socket come in with one interrupt. */
static void test_rx_burst(void)
{
    Rig r = { 0 };

    rig_start(&r, false, true);
    rx_post(&r, 64);
    kick(&r, 0);
    peer_send(&r, 0, 24);
    wait_rx_used(24);
    expect_in_guest(0, 0, 24);
    g_assert_cmpuint(interrupts, ==, 1);
    rig_stop(&r);
}

/* The same from a stream: what one read brings, one interrupt. */
static void test_rx_burst_stream(void)
{
    Rig r = { .stream = true };

    rig_start(&r, false, true);
    rx_post(&r, 64);
    kick(&r, 0);
    peer_send(&r, 0, 12);
    wait_rx_used(12);
    expect_in_guest(0, 0, 12);
    g_assert_cmpuint(interrupts, ==, 1);
    rig_stop(&r);
}

/*
 * More frames than buffers: the rest waits (never dropped) and comes in,
 * in order, when the guest adds buffers; each kick's worth with one
 * interrupt at most.
 */
static void test_rx_out_of_buffers(void)
{
    Rig r = { 0 };

    rig_start(&r, false, true);
    rx_post(&r, 10);
    kick(&r, 0);
    peer_send(&r, 0, 30);
    wait_rx_used(10);
    expect_in_guest(0, 0, 10);
    rx_post(&r, 40);
    kick(&r, 0);
    wait_rx_used(30);
    expect_in_guest(10, 10, 20);
    g_assert_cmpuint(interrupts, <=, 4);
    g_assert_cmpuint(VIRTIO_NET(r.vdev)->rx_dropped, ==, 0);
    rig_stop(&r);
}

static void test_rx_event_idx(void)
{
    Rig r = { 0 };

    rig_start(&r, true, true);
    rx_post(&r, 64);
    set_used_event(0, 3);
    kick(&r, 0);
    peer_send(&r, 0, 2);
    wait_rx_used(2);
    g_assert_cmpuint(interrupts, ==, 1);    /* the first after reset */
    set_used_event(0, 15);      /* after the 16th */
    peer_send(&r, 2, 6);
    wait_rx_used(8);
    g_assert_cmpuint(interrupts, ==, 1);
    peer_send(&r, 8, 12);
    wait_rx_used(20);
    g_assert_cmpuint(interrupts, ==, 2);
    set_used_event(0, 1000);
    peer_send(&r, 20, 5);
    wait_rx_used(25);
    g_assert_cmpuint(interrupts, ==, 2);
    expect_in_guest(0, 0, 25);
    rig_stop(&r);
}

int main(int argc, char **argv)
{
    static MemoryRegion ram_mr;
    GError *err = NULL;
    int ret;

    g_test_init(&argc, &argv, NULL);
    type_register_static(&counting_bus_info);
    tmp_dir = g_dir_make_tmp("baton-test-vnet-XXXXXX", NULL);
    g_assert(memory_region_init_ram(&ram_mr, NULL, "ram", RAM_SIZE, &err));
    memory_region_add_subregion(get_system_memory(), 0, &ram_mr);
    ram = memory_region_get_ram_ptr(&ram_mr);
    /* The VM runs: a stopped VM's devices leave their rings alone. */
    runstate_set(RUN_STATE_RUNNING);

    g_test_add_func("/virtio-net/batch/tx-burst-order", test_tx_burst_order);
    g_test_add_func("/virtio-net/batch/tx-burst-connected",
                    test_tx_burst_connected);
    g_test_add_func("/virtio-net/batch/tx-event-idx", test_tx_event_idx);
    g_test_add_func("/virtio-net/batch/tx-burst-stream",
                    test_tx_burst_stream);
    g_test_add_func("/virtio-net/batch/rx-burst", test_rx_burst);
    g_test_add_func("/virtio-net/batch/rx-burst-stream",
                    test_rx_burst_stream);
    g_test_add_func("/virtio-net/batch/rx-out-of-buffers",
                    test_rx_out_of_buffers);
    g_test_add_func("/virtio-net/batch/rx-event-idx", test_rx_event_idx);
    ret = g_test_run();
    g_rmdir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
