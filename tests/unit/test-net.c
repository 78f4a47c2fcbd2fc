/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network clients in one process: frames between peers, bounded queues
 * with counted drops, hubs, the stream framing and real sockets behind the
 * stream and dgram backends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "net/net.h"
#include "net/clients.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"

/* A test NIC: records what it receives, can refuse frames on demand. */
typedef struct TestNic {
    NetClientState *nc;
    GPtrArray *frames;          /* of GBytes */
    bool refuse;                /* can_receive false */
    bool busy;                  /* receive_iov returns 0 */
    int link_changes;
    int send_ready_calls;
} TestNic;

static bool test_can_receive(NetClientState *nc)
{
    TestNic *t = nc->opaque;

    return !t->refuse;
}

static ssize_t test_receive(NetClientState *nc, const struct iovec *iov,
                            int iovcnt)
{
    TestNic *t = nc->opaque;
    GByteArray *b = g_byte_array_new();

    if (t->busy) {
        g_byte_array_unref(b);
        return 0;
    }
    for (int i = 0; i < iovcnt; i++) {
        g_byte_array_append(b, iov[i].iov_base, iov[i].iov_len);
    }
    g_ptr_array_add(t->frames, g_byte_array_free_to_bytes(b));
    return g_bytes_get_size(g_ptr_array_index(t->frames,
                                              t->frames->len - 1));
}

static void test_link_changed(NetClientState *nc)
{
    TestNic *t = nc->opaque;

    t->link_changes++;
}

static void test_send_ready(NetClientState *nc)
{
    TestNic *t = nc->opaque;

    t->send_ready_calls++;
}

static const NetClientInfo test_nic_info = {
    .type = "nic",
    .can_receive = test_can_receive,
    .receive_iov = test_receive,
    .link_status_changed = test_link_changed,
    .send_ready = test_send_ready,
};

static TestNic *test_nic_new(const char *name, NetClientState *peer)
{
    TestNic *t = g_new0(TestNic, 1);

    t->frames = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
    t->nc = qemu_new_net_client(&test_nic_info, peer, "test-nic", name, t);
    return t;
}

static void test_nic_free(TestNic *t)
{
    qemu_del_net_client(t->nc);
    g_ptr_array_unref(t->frames);
    g_free(t);
}

static void assert_frame(TestNic *t, guint i, const void *data, size_t len)
{
    GBytes *b;

    g_assert_cmpuint(t->frames->len, >, i);
    b = g_ptr_array_index(t->frames, i);
    g_assert_cmpmem(g_bytes_get_data(b, NULL), g_bytes_get_size(b), data,
                    len);
}

static NetClientState *netdev_new(const char *spec)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuOpts) opts = qemu_opts_parse(spec, "type", &err);
    NetClientState *nc;

    g_assert_no_error(err);
    nc = net_client_init(opts, true, &err);
    g_assert_no_error(err);
    g_assert_nonnull(nc);
    return nc;
}

static char *netdev_error(const char *spec)
{
    g_autoptr(GError) err = NULL;
    g_autoptr(QemuOpts) opts = qemu_opts_parse(spec, "type", &err);

    g_assert_no_error(err);
    g_assert_null(net_client_init(opts, true, &err));
    g_assert_nonnull(err);
    return g_strdup(err->message);
}

/* Run the main loop until cond() holds, for at most 5 seconds. */
static bool wait_for(bool (*cond)(void *), void *opaque)
{
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    while (!cond(opaque)) {
        if (g_get_monotonic_time() > deadline) {
            return false;
        }
        g_main_context_iteration(NULL, false);
        g_usleep(100);
    }
    return true;
}

static bool has_frames(void *opaque)
{
    TestNic *t = opaque;

    return t->frames->len > 0;
}

/* Tests */

static void test_peers_exchange(void)
{
    TestNic *a = test_nic_new("a", NULL);
    TestNic *b = test_nic_new("b", a->nc);

    g_assert_true(a->nc->peer == b->nc);
    g_assert_true(b->nc->peer == a->nc);
    g_assert_cmpint(qemu_send_packet(a->nc, (const uint8_t *)"ping", 4), ==,
                    4);
    g_assert_cmpint(qemu_send_packet(b->nc, (const uint8_t *)"pong!", 5), ==,
                    5);
    assert_frame(b, 0, "ping", 4);
    assert_frame(a, 0, "pong!", 5);
    g_assert_cmpuint(a->nc->tx_packets, ==, 1);
    g_assert_cmpuint(b->nc->rx_packets, ==, 1);

    /* A frame in pieces arrives whole. */
    struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
    g_assert_cmpint(qemu_sendv_packet(a->nc, iov, 2), ==, 5);
    assert_frame(b, 1, "abcde", 5);

    /* Without a peer the frame is dropped, and counted. */
    test_nic_free(b);
    g_assert_null(a->nc->peer);
    g_assert_cmpint(qemu_send_packet(a->nc, (const uint8_t *)"x", 1), ==, 0);
    g_assert_cmpuint(a->nc->tx_dropped, ==, 1);
    test_nic_free(a);
}

static void test_queue_and_drops(void)
{
    TestNic *a = test_nic_new("a", NULL);
    TestNic *b = test_nic_new("b", a->nc);
    uint32_t i;

    b->refuse = true;
    g_assert_false(qemu_can_send_packet(a->nc));
    for (i = 0; i < NET_QUEUE_MAX_PACKETS + 7; i++) {
        qemu_send_packet(a->nc, (const uint8_t *)&i, sizeof(i));
    }
    g_assert_cmpuint(b->frames->len, ==, 0);
    g_assert_cmpuint(g_queue_get_length(b->nc->queue), ==,
                     NET_QUEUE_MAX_PACKETS);
    g_assert_cmpuint(b->nc->rx_queued, ==, NET_QUEUE_MAX_PACKETS);
    g_assert_cmpuint(b->nc->rx_dropped, ==, 7);

    /* The receiver is ready: everything that waited arrives, in order. */
    b->refuse = false;
    qemu_flush_queued_packets(b->nc);
    g_assert_cmpuint(b->frames->len, ==, NET_QUEUE_MAX_PACKETS);
    for (i = 0; i < NET_QUEUE_MAX_PACKETS; i++) {
        assert_frame(b, i, &i, sizeof(i));
    }
    g_assert_true(g_queue_is_empty(b->nc->queue));
    g_assert_cmpint(a->send_ready_calls, ==, 1);
    g_assert_true(qemu_can_send_packet(a->nc));

    /* receive returning 0 queues the frame too; later frames keep order. */
    g_ptr_array_set_size(b->frames, 0);
    b->busy = true;
    qemu_send_packet(a->nc, (const uint8_t *)"1", 1);
    qemu_send_packet(a->nc, (const uint8_t *)"2", 1);
    g_assert_cmpuint(g_queue_get_length(b->nc->queue), ==, 2);
    b->busy = false;
    qemu_send_packet(a->nc, (const uint8_t *)"3", 1);
    g_assert_cmpuint(b->frames->len, ==, 0);
    qemu_flush_queued_packets(b->nc);
    g_assert_cmpuint(b->frames->len, ==, 3);
    assert_frame(b, 0, "1", 1);
    assert_frame(b, 2, "3", 1);

    /* Reset: the queue is emptied without delivering. */
    b->refuse = true;
    qemu_send_packet(a->nc, (const uint8_t *)"4", 1);
    qemu_purge_queued_packets(b->nc);
    g_assert_true(g_queue_is_empty(b->nc->queue));

    test_nic_free(b);
    test_nic_free(a);
}

static void test_link_down(void)
{
    NetClientState *be = netdev_new("hubport,id=lk0,hubid=7");
    TestNic *nic = test_nic_new("nic0", NULL);
    g_autoptr(GError) err = NULL;

    g_assert_true(qemu_netdev_claim(be, "virtio-net-pci", &err));
    qemu_net_set_peer(nic->nc, be);
    g_assert_false(qemu_netdev_claim(be, "virtio-net-pci", &err));
    g_assert_cmpstr(err->message, ==, "Property 'virtio-net-pci.netdev' "
                    "can't take value 'lk0', it's in use");

    g_assert_true(qemu_set_link("lk0", false, NULL));
    g_assert_true(be->link_down);
    g_assert_true(nic->nc->link_down);
    g_assert_cmpint(nic->link_changes, ==, 1);
    g_assert_cmpint(qemu_send_packet(nic->nc, (const uint8_t *)"x", 1), ==, 0);
    g_assert_cmpuint(nic->nc->tx_dropped, ==, 1);
    g_assert_true(qemu_set_link("nic0", true, NULL));
    g_assert_false(nic->nc->link_down);

    g_clear_error(&err);
    g_assert_false(qemu_set_link("nope", true, &err));
    g_assert_cmpstr(err->message, ==, "Device 'nope' not found");
    g_assert_cmpint(error_get_class(err), ==, ERROR_CLASS_DEVICE_NOT_FOUND);

    /* The NIC goes away: the backend may be taken again. */
    test_nic_free(nic);
    g_assert_true(qemu_netdev_claim(be, "virtio-net-pci", NULL));
    qemu_del_net_client(be);
}

static void test_hub(void)
{
    NetClientState *p[3];
    TestNic *n[3];

    for (int i = 0; i < 3; i++) {
        g_autofree char *spec = g_strdup_printf("hubport,id=hp%d,hubid=1", i);
        g_autofree char *name = g_strdup_printf("hn%d", i);

        p[i] = netdev_new(spec);
        n[i] = test_nic_new(name, p[i]);
    }
    g_assert_cmpint(net_hub_port_count(1), ==, 3);
    qemu_send_packet(n[0]->nc, (const uint8_t *)"hello", 5);
    g_assert_cmpuint(n[0]->frames->len, ==, 0);
    assert_frame(n[1], 0, "hello", 5);
    assert_frame(n[2], 0, "hello", 5);

    /* A port whose NIC is busy queues on its own; the others still get it. */
    n[2]->refuse = true;
    qemu_send_packet(n[1]->nc, (const uint8_t *)"again", 5);
    assert_frame(n[0], 0, "again", 5);
    g_assert_cmpuint(n[2]->frames->len, ==, 1);
    n[2]->refuse = false;
    qemu_flush_queued_packets(n[2]->nc);
    assert_frame(n[2], 1, "again", 5);

    for (int i = 0; i < 3; i++) {
        test_nic_free(n[i]);
        qemu_del_net_client(p[i]);
    }
    g_assert_cmpint(net_hub_port_count(1), ==, 0);
}

static void test_errors(void)
{
    g_autofree char *e1 = netdev_error("foo,id=x");
    g_autofree char *e2 = netdev_error("user,id=1x");
    g_autofree char *e3 = netdev_error("hubport,id=x");
    g_autofree char *e4 = netdev_error("stream,id=x,addr.type=udp");
    g_autofree char *e5 = netdev_error("stream,id=x,addr.type=unix");
    g_autofree char *e6 = netdev_error("socket,id=x");
    g_autofree char *e7 = netdev_error("user,id=x,net=10.0.2.0/33");
    g_autofree char *e8 = netdev_error("user,id=x,hostfwd=sctp::1-:2");
    g_autofree char *e9 = netdev_error("hubport,id=x,hubid=0,bogus=1");
    g_autofree char *e10 = netdev_error("vde,id=x");
    /* The address's strings are freed on the way out (LSan: 23 bytes). */
    g_autofree char *e13 = netdev_error("stream,id=x,addr.type=inet,"
                                        "addr.host=no-such-host.invalid,"
                                        "addr.port=1");
    g_autofree char *e14 = netdev_error("stream,id=x,server=on,"
                                        "addr.type=inet,addr.host=192.0.2.1,"
                                        "addr.port=1");
    NetClientState *nc;

    g_assert_cmpstr(e1, ==, "Parameter 'type' does not accept value 'foo'");
    g_assert_true(g_str_has_prefix(e13, "address resolution failed for "
                                   "no-such-host.invalid:1"));
    g_assert_true(g_str_has_prefix(e14, "Failed to bind socket"));
    g_assert_cmpstr(e2, ==, "Parameter 'id' expects an identifier");
    g_assert_cmpstr(e3, ==, "Parameter 'hubid' is missing");
    g_assert_cmpstr(e4, ==,
                    "Parameter 'addr.type' does not accept value 'udp'");
    g_assert_cmpstr(e5, ==, "Parameter 'addr.path' is missing");
    g_assert_cmpstr(e6, ==, "exactly one of listen=, connect=, mcast= or "
                    "udp= is required");
    g_assert_cmpstr(e7, ==,
                    "Invalid netmask provided (must be in range 4-32)");
    g_assert_cmpstr(e8, ==, "Invalid host forwarding rule 'sctp::1-:2' "
                    "(Bad protocol name)");
    g_assert_cmpstr(e9, ==, "Invalid parameter 'bogus'");
    g_assert_cmpstr(e10, ==,
                    "network backend 'vde' is not compiled into this binary");

    nc = netdev_new("hubport,id=dup,hubid=3");
    g_autofree char *e11 = netdev_error("hubport,id=dup,hubid=3");
    g_assert_cmpstr(e11, ==, "Duplicate ID 'dup'");
    qemu_del_net_client(nc);
}

/* Framing */

typedef struct Frames {
    GPtrArray *got;
} Frames;

static void collect_frame(void *opaque, const uint8_t *frame, size_t len)
{
    Frames *f = opaque;

    g_ptr_array_add(f->got, g_bytes_new(frame, len));
}

static void test_framing_partial(void)
{
    NetFrameReader r;
    Frames f = {
        g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref)
    };
    g_autoptr(GByteArray) wire = g_byte_array_new();
    static const size_t sizes[] = { 60, 1, 1514, 0, 65535 };
    g_autoptr(GError) err = NULL;

    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        uint8_t hdr[4] = { sizes[i] >> 24, sizes[i] >> 16, sizes[i] >> 8,
                           sizes[i] };
        g_byte_array_append(wire, hdr, 4);
        for (size_t j = 0; j < sizes[i]; j++) {
            uint8_t b = i * 31 + j;
            g_byte_array_append(wire, &b, 1);
        }
    }

    /* Byte by byte, then in uneven chunks: the same frames come out. */
    for (int pass = 0; pass < 2; pass++) {
        size_t off = 0, step = 1;

        net_frame_reader_init(&r);
        g_ptr_array_set_size(f.got, 0);
        while (off < wire->len) {
            size_t n = MIN(step, wire->len - off);
            g_assert_true(net_frame_reader_feed(&r, wire->data + off, n,
                                                collect_frame, &f, NULL));
            off += n;
            if (pass) {
                step = step * 3 + 1;
            }
        }
        g_assert_cmpuint(f.got->len, ==, G_N_ELEMENTS(sizes));
        for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
            GBytes *b = g_ptr_array_index(f.got, i);
            const uint8_t *d = g_bytes_get_data(b, NULL);

            g_assert_cmpuint(g_bytes_get_size(b), ==, sizes[i]);
            if (sizes[i]) {
                g_assert_cmpuint(d[sizes[i] - 1], ==,
                                 (uint8_t)(i * 31 + sizes[i] - 1));
            }
        }
        net_frame_reader_destroy(&r);
    }

    /* A header announcing more than NET_BUFSIZE is refused. */
    net_frame_reader_init(&r);
    uint8_t huge[4] = { 0x01, 0x00, 0x00, 0x00 };
    g_assert_false(net_frame_reader_feed(&r, huge, 4, collect_frame, &f,
                                         &err));
    g_assert_nonnull(strstr(err->message, "oversized frame"));
    net_frame_reader_destroy(&r);
    g_ptr_array_unref(f.got);
}

/* Sockets */

static char *tmp_dir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

static int unix_socket(int type, const char *path, bool do_bind)
{
    struct sockaddr_un un = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, type, 0);

    g_assert_cmpint(fd, >=, 0);
    g_strlcpy(un.sun_path, path, sizeof(un.sun_path));
    if (do_bind) {
        g_assert_cmpint(bind(fd, (struct sockaddr *)&un, sizeof(un)), ==, 0);
    } else {
        g_assert_cmpint(connect(fd, (struct sockaddr *)&un, sizeof(un)), ==,
                        0);
    }
    return fd;
}

static void test_dgram_unix(void)
{
    g_autofree char *local = tmp_path("dgram-local");
    g_autofree char *remote = tmp_path("dgram-remote");
    g_autofree char *spec = g_strdup_printf(
        "dgram,id=dg0,local.type=unix,local.path=%s,"
        "remote.type=unix,remote.path=%s", local, remote);
    int sink = unix_socket(SOCK_DGRAM, remote, true);
    NetClientState *be = netdev_new(spec);
    TestNic *nic = test_nic_new("dgnic", be);
    uint8_t buf[2048];
    struct sockaddr_un to = { .sun_family = AF_UNIX };

    /* NIC -> backend -> socket: one datagram per frame. */
    qemu_send_packet(nic->nc, (const uint8_t *)"frame-one", 9);
    qemu_send_packet(nic->nc, (const uint8_t *)"frame-2", 7);
    g_assert_cmpint(recv(sink, buf, sizeof(buf), 0), ==, 9);
    g_assert_cmpmem(buf, 9, "frame-one", 9);
    g_assert_cmpint(recv(sink, buf, sizeof(buf), 0), ==, 7);

    /* socket -> backend -> NIC */
    g_strlcpy(to.sun_path, local, sizeof(to.sun_path));
    g_assert_cmpint(sendto(sink, "from-host", 9, 0, (struct sockaddr *)&to,
                           sizeof(to)), ==, 9);
    g_assert_true(wait_for(has_frames, nic));
    assert_frame(nic, 0, "from-host", 9);

    test_nic_free(nic);
    qemu_del_net_client(be);
    close(sink);
    unlink(remote);
    g_assert_false(g_file_test(local, G_FILE_TEST_EXISTS));
}

static void test_stream_server(void)
{
    g_autofree char *path = tmp_path("stream-sock");
    g_autofree char *spec = g_strdup_printf(
        "stream,id=st0,server=on,addr.type=unix,addr.path=%s", path);
    NetClientState *be = netdev_new(spec);
    TestNic *nic = test_nic_new("stnic", be);
    int fd = unix_socket(SOCK_STREAM, path, false);
    uint8_t buf[64];
    size_t got = 0;

    /* The test writes a frame in three pieces: the NIC gets it whole. */
    g_assert_cmpint(write(fd, "\0\0", 2), ==, 2);
    g_main_context_iteration(NULL, false);
    g_assert_cmpint(write(fd, "\0\5he", 4), ==, 4);
    g_main_context_iteration(NULL, false);
    g_assert_cmpint(write(fd, "llo", 3), ==, 3);
    g_assert_true(wait_for(has_frames, nic));
    assert_frame(nic, 0, "hello", 5);

    /* And a frame from the NIC is on the wire with its length first. */
    qemu_send_packet(nic->nc, (const uint8_t *)"abc", 3);
    while (got < 7) {
        ssize_t n = read(fd, buf + got, sizeof(buf) - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpmem(buf, 7, "\0\0\0\3abc", 7);

    /* A frame in many pieces (a long descriptor chain) goes out whole. */
    struct iovec iov[100];
    uint8_t bytes[100], wire[104];
    for (int i = 0; i < 100; i++) {
        bytes[i] = i;
        iov[i] = (struct iovec){ .iov_base = &bytes[i], .iov_len = 1 };
    }
    g_assert_cmpint(qemu_sendv_packet(nic->nc, iov, 100), ==, 100);
    for (got = 0; got < sizeof(wire);) {
        ssize_t n = read(fd, wire + got, sizeof(wire) - got);
        g_assert_cmpint(n, >, 0);
        got += n;
    }
    g_assert_cmpmem(wire, 4, "\0\0\0\x64", 4);
    g_assert_cmpmem(wire + 4, 100, bytes, 100);

    close(fd);
    test_nic_free(nic);
    qemu_del_net_client(be);
}

static int free_port(int type)
{
    struct sockaddr_in in = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(in);
    int fd = socket(AF_INET, type, 0);
    int port;

    g_assert_cmpint(bind(fd, (struct sockaddr *)&in, sizeof(in)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&in, &len), ==, 0);
    port = ntohs(in.sin_port);
    close(fd);
    return port;
}

static char *info_network(void)
{
    GString *s = g_string_new("");

    net_info_network(s);
    return g_string_free(s, false);
}

static bool info_is(void *opaque)
{
    g_autofree char *text = info_network();

    return !strcmp(text, opaque);
}

static bool ipv6_usable(void)
{
    struct sockaddr_in6 in6 = { .sin6_family = AF_INET6,
                                .sin6_addr = IN6ADDR_LOOPBACK_INIT };
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    bool ok = fd >= 0 &&
              bind(fd, (struct sockaddr *)&in6, sizeof(in6)) == 0;

    if (fd >= 0) {
        close(fd);
    }
    return ok;
}

/* The server's line once connected: "tcp:HOST:" and the client's port. */
static bool server_info_has(void *opaque)
{
    g_autofree char *text = info_network();

    return g_str_has_prefix(text, opaque);
}

static void stream_inet_info(const char *host, const char *shown)
{
    int port = free_port(SOCK_STREAM);
    g_autofree char *srv = g_strdup_printf(
        "stream,id=st0,server=on,addr.type=inet,addr.host=%s,addr.port=%d",
        host, port);
    g_autofree char *cli = g_strdup_printf(
        "stream,id=st1,addr.type=inet,addr.host=%s,addr.port=%d", host, port);
    g_autofree char *server_line = g_strdup_printf(
        "st0: index=0,type=stream,tcp:%s:", shown);
    g_autofree char *client_line = g_strdup_printf(
        "st1: index=0,type=stream,tcp:%s:%d\n", shown, port);
    g_autofree char *text = NULL;
    NetClientState *s0 = netdev_new(srv);
    NetClientState *s1 = netdev_new(cli);

    g_assert_true(wait_for(server_info_has, server_line));
    text = info_network();
    g_assert_true(g_str_has_suffix(text, client_line));
    qemu_del_net_client(s1);
    qemu_del_net_client(s0);
}

/*
 * "info network" as QEMU's netdev-socket test reads it: one line per
 * backend without a NIC, the info string as QEMU words it.
 */
static void test_info_strings(void)
{
    g_autofree char *path = tmp_path("info-sock");
    g_autofree char *p0 = tmp_path("info-d0");
    g_autofree char *p1 = tmp_path("info-d1");
    g_autofree char *srv = g_strdup_printf(
        "stream,id=st0,server=on,addr.type=unix,addr.path=%s", path);
    g_autofree char *cli = g_strdup_printf(
        "stream,id=st1,addr.type=unix,addr.path=%s", path);
    int u0 = free_port(SOCK_DGRAM), u1 = free_port(SOCK_DGRAM);
    g_autofree char *udp = g_strdup_printf(
        "dgram,id=d0,local.type=inet,local.host=127.0.0.1,local.port=%d,"
        "remote.type=inet,remote.host=127.0.0.1,remote.port=%d", u0, u1);
    g_autofree char *dunix = g_strdup_printf(
        "dgram,id=d1,local.type=unix,local.path=%s,remote.type=unix,"
        "remote.path=%s", p0, p1);
    g_autofree char *want = NULL;
    g_autofree char *text = NULL;
    g_autofree char *sfd = NULL, *dfd = NULL;
    NetClientState *nc[4];
    int sv[2], dv[2];

    /* a listening server shows nothing yet; once connected, the path */
    nc[0] = netdev_new(srv);
    g_free(text);
    text = info_network();
    g_assert_cmpstr(text, ==, "st0: index=0,type=stream,\n");
    nc[1] = netdev_new(cli);
    want = g_strdup_printf("st0: index=0,type=stream,unix:%s\n"
                           "st1: index=0,type=stream,unix:%s\n", path, path);
    g_assert_true(wait_for(info_is, want));
    qemu_del_net_client(nc[1]);
    qemu_del_net_client(nc[0]);

    /* user; a hub lists its ports, newest first, with their peers */
    nc[0] = netdev_new("user,id=u0");
    g_free(text);
    text = info_network();
    g_assert_cmpstr(text, ==,
                    "u0: index=0,type=user,net=10.0.2.0,restrict=off\n");
    nc[1] = netdev_new("hubport,id=h0,hubid=5,netdev=u0");
    nc[2] = netdev_new("hubport,id=h1,hubid=5");
    g_free(text);
    text = info_network();
    g_assert_cmpstr(text, ==, "hub 5\n \\ h1\n \\ h0: u0: index=0,"
                    "type=user,net=10.0.2.0,restrict=off\n");
    for (int i = 2; i >= 1; i--) {
        qemu_del_net_client(nc[i]);
    }
    /* a backend's filters follow its line */
    {
        g_autoptr(GError) err = NULL;
        g_autoptr(QemuOpts) fo = qemu_opts_parse(
            "filter-buffer,id=f0,netdev=u0,queue=rx,interval=1000",
            "qom-type", &err);

        g_assert_nonnull(user_creatable_add_opts(fo, &err));
        g_assert_no_error(err);
        g_free(text);
        text = info_network();
        g_assert_cmpstr(text, ==, "u0: index=0,type=user,net=10.0.2.0,"
                        "restrict=off\nfilters:\n  - f0: type=filter-buffer,"
                        "insert=behind,interval=1000,netdev=u0,"
                        "position=tail,queue=rx,status=on\n");
    }
    qemu_del_net_client(nc[0]);
    g_clear_pointer(&text, g_free);

    /* tcp: the client shows its server, the server its client */
    stream_inet_info("127.0.0.1", "127.0.0.1");
    if (ipv6_usable()) {
        stream_inet_info("::1", "::1");
    }

    nc[0] = netdev_new(udp);
    nc[1] = netdev_new(dunix);
    g_free(want);
    want = g_strdup_printf("d0: index=0,type=dgram,udp=127.0.0.1:%d/"
                           "127.0.0.1:%d\nd1: index=0,type=dgram,udp=%s:%s\n",
                           u0, u1, p0, p1);
    g_free(text);
    text = info_network();
    g_assert_cmpstr(text, ==, want);
    qemu_del_net_client(nc[1]);
    qemu_del_net_client(nc[0]);

    /* passed descriptors */
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_DGRAM, 0, dv), ==, 0);
    sfd = g_strdup_printf("stream,id=sf,addr.type=fd,addr.str=%d", sv[0]);
    dfd = g_strdup_printf("dgram,id=df,local.type=fd,local.str=%d", dv[0]);
    nc[0] = netdev_new(sfd);
    nc[1] = netdev_new(dfd);
    nc[2] = netdev_new("dgram,id=mc,remote.type=inet,remote.host=230.0.0.1,"
                       "remote.port=1234");
    g_free(want);
    want = g_strdup_printf("sf: index=0,type=stream,unix:\n"
                           "df: index=0,type=dgram,fd=%d unix\n"
                           "mc: index=0,type=dgram,mcast=230.0.0.1:1234\n",
                           dv[0]);
    g_free(text);
    text = info_network();
    g_assert_cmpstr(text, ==, want);

    /* in creation order; a NIC, then its backend on a " \\ " line */
    {
        TestNic *nic = test_nic_new("nic0", nc[0]);
        static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };

        g_free(nic->nc->model);
        nic->nc->model = g_strdup("virtio-net-pci");
        qemu_format_nic_info_str(nic->nc, mac);
        g_free(want);
        want = g_strdup_printf("df: index=0,type=dgram,fd=%d unix\n"
                               "mc: index=0,type=dgram,"
                               "mcast=230.0.0.1:1234\n"
                               "nic0: index=0,type=nic,model=virtio-net-pci,"
                               "macaddr=52:54:00:12:34:56\n"
                               " \\ sf: index=0,type=stream,unix:\n",
                               dv[0]);
        g_free(text);
        text = info_network();
        g_assert_cmpstr(text, ==, want);
        test_nic_free(nic);
    }
    for (int i = 0; i < 3; i++) {
        qemu_del_net_client(nc[i]);
    }
    close(sv[1]);
    close(dv[1]);
}

/* Two legacy socket backends talking to each other, TCP then UDP. */
static void test_socket_legacy(void)
{
    int tport = free_port(SOCK_STREAM);
    int u1 = free_port(SOCK_DGRAM), u2 = free_port(SOCK_DGRAM);
    g_autofree char *ls = g_strdup_printf("socket,id=sl,listen=127.0.0.1:%d",
                                          tport);
    g_autofree char *cs = g_strdup_printf("socket,id=sc,connect=127.0.0.1:%d",
                                          tport);
    g_autofree char *us1 = g_strdup_printf(
        "socket,id=su1,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d", u2, u1);
    g_autofree char *us2 = g_strdup_printf(
        "socket,id=su2,udp=127.0.0.1:%d,localaddr=127.0.0.1:%d", u1, u2);
    NetClientState *l = netdev_new(ls), *c = netdev_new(cs);
    NetClientState *a = netdev_new(us1), *b = netdev_new(us2);
    TestNic *nl = test_nic_new("nl", l), *nc = test_nic_new("nc", c);
    TestNic *na = test_nic_new("na", a), *nb = test_nic_new("nb", b);
    gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;

    /* The listener accepts from the main loop; resend until it has. */
    while (!nl->frames->len && g_get_monotonic_time() < deadline) {
        qemu_send_packet(nc->nc, (const uint8_t *)"over-tcp", 8);
        for (int i = 0; i < 10; i++) {
            g_main_context_iteration(NULL, false);
        }
        g_usleep(1000);
    }
    assert_frame(nl, 0, "over-tcp", 8);
    qemu_send_packet(nl->nc, (const uint8_t *)"back", 4);
    g_assert_true(wait_for(has_frames, nc));
    assert_frame(nc, 0, "back", 4);

    qemu_send_packet(na->nc, (const uint8_t *)"over-udp", 8);
    g_assert_true(wait_for(has_frames, nb));
    assert_frame(nb, 0, "over-udp", 8);

    test_nic_free(nl);
    test_nic_free(nc);
    test_nic_free(na);
    test_nic_free(nb);
    qemu_del_net_client(l);
    qemu_del_net_client(c);
    qemu_del_net_client(a);
    qemu_del_net_client(b);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("baton-test-net-XXXXXX", NULL);
    g_test_add_func("/net/peers/exchange", test_peers_exchange);
    g_test_add_func("/net/queue/bounded-and-counted", test_queue_and_drops);
    g_test_add_func("/net/link/set-link", test_link_down);
    g_test_add_func("/net/hub/forwarding", test_hub);
    g_test_add_func("/net/netdev/errors", test_errors);
    g_test_add_func("/net/stream/framing-partial", test_framing_partial);
    g_test_add_func("/net/dgram/unix", test_dgram_unix);
    g_test_add_func("/net/stream/server-unix", test_stream_server);
    g_test_add_func("/net/socket/legacy-tcp-udp", test_socket_legacy);
    g_test_add_func("/net/info-strings", test_info_strings);
    ret = g_test_run();
    rmdir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
