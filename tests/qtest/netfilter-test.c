/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network filters, as QEMU's test-filter-mirror, test-filter-redirector
 * and test-netfilter use them: -nic with a socket backend on a socketpair,
 * filters on its backend, frames read back from chardev sockets; filters
 * added and removed at run time, with and without their backend.
 * Without a NIC, a hub joins two socket backends so a test socket can
 * also see what passes through a filter.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libqtest.h"
#include "libqos/stream-peer.h"

static char *tmp_dir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

static void make_pair(int sv[2])
{
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), ==, 0);
}

static void expect_frame(int fd, const char *want)
{
    char buf[256] = "";

    g_assert_cmpuint(qstream_fd_recv(fd, buf, sizeof(buf) - 1), ==,
                     strlen(want) + 1);
    g_assert_cmpstr(buf, ==, want);
}

static void send_str(int fd, const char *s)
{
    qstream_fd_send(fd, s, strlen(s) + 1);
}

/* Everything sent before now has been dealt with by the main loop. */
static void sync_qmp(QTestState *qts)
{
    qtest_qmp_assert_success(qts, "{'execute': 'query-status'}");
}

/* test-filter-mirror: a copy of the backend's frame on the chardev. */
static void test_mirror(void)
{
    int send_sock[2], recv_sock[2];
    QTestState *qts;

    make_pair(send_sock);
    make_pair(recv_sock);
    qts = qtest_initf("-nic socket,id=qtest-bn0,fd=%d "
                      "-chardev socket,id=mirror0,fd=%d "
                      "-object filter-mirror,id=qtest-f0,netdev=qtest-bn0,"
                      "queue=tx,outdev=mirror0", send_sock[1], recv_sock[1]);
    sync_qmp(qts);
    send_str(send_sock[0], "Hello! filter-mirror~");
    expect_frame(recv_sock[0], "Hello! filter-mirror~");
    qtest_quit(qts);
    for (int i = 0; i < 2; i++) {
        close(send_sock[i]);
        close(recv_sock[i]);
    }
}

/*
 * Mirror with vnet_hdr_support and on rx: the copy carries the header
 * length word, and the frame itself still reaches the other side.
 */
static void test_mirror_passes_frames(void)
{
    int a[2], b[2], m[2];
    QTestState *qts;
    char buf[64];

    make_pair(a);
    make_pair(b);
    make_pair(m);
    qts = qtest_initf("-M none -netdev socket,id=s0,fd=%d "
                      "-netdev socket,id=s1,fd=%d "
                      "-netdev hubport,id=h0,hubid=0,netdev=s0 "
                      "-netdev hubport,id=h1,hubid=0,netdev=s1 "
                      "-chardev socket,id=m0,fd=%d "
                      "-object filter-mirror,id=f0,netdev=s1,queue=rx,"
                      "outdev=m0,vnet_hdr_support=on", a[1], b[1], m[1]);
    sync_qmp(qts);
    send_str(a[0], "to b");
    expect_frame(b[0], "to b");
    /* length 5 ("to b\0"), vnet header length 0 (not a tap), frame */
    qstream_fd_read(m[0], buf, 4 + 4 + 5);
    g_assert_cmpmem(buf, 8, "\0\0\0\x05\0\0\0\0", 8);
    g_assert_cmpstr(buf + 8, ==, "to b");
    /* tx frames of s1 (towards the hub) are not rx: no copy */
    send_str(b[0], "to a");
    expect_frame(a[0], "to a");
    sync_qmp(qts);
    g_assert_true(qstream_fd_idle(m[0]));
    qtest_quit(qts);
    for (int i = 0; i < 2; i++) {
        close(a[i]);
        close(b[i]);
        close(m[i]);
    }
}

typedef struct Redir {
    int backend[2];
    char *path[2];
    QTestState *qts;
} Redir;

/* test-filter-redirector's set-up: three redirectors, two chardev paths. */
static void redir_start(Redir *r, const char *queue, const char *f0,
                        const char *f1, const char *f2)
{
    make_pair(r->backend);
    r->path[0] = tmp_path("redirector0");
    r->path[1] = tmp_path("redirector1");
    r->qts = qtest_initf(
        "-nic socket,id=qtest-bn0,fd=%d "
        "-chardev socket,id=redirector0,path=%s,server=on,wait=off "
        "-chardev socket,id=redirector1,path=%s,server=on,wait=off "
        "-chardev socket,id=redirector2,path=%s "
        "-object filter-redirector,id=qtest-f0,netdev=qtest-bn0,queue=%s,%s "
        "-object filter-redirector,id=qtest-f1,netdev=qtest-bn0,queue=%s,%s "
        "-object filter-redirector,id=qtest-f2,netdev=qtest-bn0,queue=%s,%s",
        r->backend[1], r->path[0], r->path[1], r->path[0],
        queue, f0, queue, f1, queue, f2);
}

static void redir_end(Redir *r)
{
    qtest_quit(r->qts);
    for (int i = 0; i < 2; i++) {
        close(r->backend[i]);
        unlink(r->path[i]);
        g_free(r->path[i]);
    }
}

/* Backend -> f0 -> redirector0 -> redirector2 -> f1 -> f2 -> redirector1 */
static void test_redirector_tx(void)
{
    Redir r;
    int recv_sock;

    redir_start(&r, "tx", "outdev=redirector0", "indev=redirector2",
                "outdev=redirector1");
    recv_sock = qtest_unix_connect(r.path[1]);
    sync_qmp(r.qts);
    send_str(r.backend[0], "Hello!!");
    expect_frame(recv_sock, "Hello!!");
    close(recv_sock);
    redir_end(&r);
}

/* redirector1 -> f2 -> f1 -> redirector2 -> redirector0 -> f0 -> backend */
static void test_redirector_rx(void)
{
    Redir r;
    int send_sock;

    redir_start(&r, "rx", "indev=redirector0", "outdev=redirector2",
                "indev=redirector1");
    send_sock = qtest_unix_connect(r.path[1]);
    sync_qmp(r.qts);
    send_str(send_sock, "Hello!!");
    expect_frame(r.backend[0], "Hello!!");
    close(send_sock);
    redir_end(&r);
}

static QTestState *redir_rx_one(int backend[2], const char *path,
                                const char *extra)
{
    make_pair(backend);
    return qtest_initf(
        "-nic socket,id=qtest-bn0,fd=%d "
        "-chardev socket,id=redirector0,path=%s,server=on,wait=off "
        "-object filter-redirector,id=qtest-f0,netdev=qtest-bn0,"
        "queue=rx,indev=redirector0%s", backend[1], path, extra);
}

static void set_status(QTestState *qts, const char *v)
{
    qtest_qmp_assert_success(qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': '/objects/qtest-f0', "
                             "'property': 'status', 'value': '%s'}}", v);
}

/*
 * status=off: what arrives on indev waits unread; status=on lets it
 * through.  off_at_start: created with status=off.
 */
static void redirector_status(bool off_at_start)
{
    g_autofree char *path = tmp_path("redirector0");
    g_autoptr(JsonObject) rsp = NULL;
    int backend[2], send_sock;
    QTestState *qts;

    qts = redir_rx_one(backend, path, off_at_start ? ",status=off" : "");
    send_sock = qtest_unix_connect(path);
    sync_qmp(qts);
    if (!off_at_start) {
        set_status(qts, "off");
    }
    rsp = qtest_qmp(qts, "{'execute': 'qom-get', 'arguments': "
                    "{'path': '/objects/qtest-f0', 'property': 'status'}}");
    g_assert_cmpstr(json_object_get_string_member(rsp, "return"), ==, "off");
    send_str(send_sock, "Hello!!");
    sync_qmp(qts);
    sync_qmp(qts);
    g_assert_true(qstream_fd_idle(backend[0]));
    set_status(qts, "on");
    expect_frame(backend[0], "Hello!!");
    send_str(send_sock, "Hello2!!");
    expect_frame(backend[0], "Hello2!!");
    qtest_qmp_expect_error(qts, "GenericError", "Invalid value for netfilter "
                           "status, should be 'on' or 'off'",
                           "{'execute': 'qom-set', 'arguments': "
                           "{'path': '/objects/qtest-f0', "
                           "'property': 'status', 'value': 'maybe'}}");
    close(send_sock);
    qtest_quit(qts);
    close(backend[0]);
    close(backend[1]);
    unlink(path);
}

static void test_redirector_status(void)
{
    redirector_status(false);
}

static void test_redirector_init_status_off(void)
{
    redirector_status(true);
}

/* A second connection on indev after the first closed works too. */
static void test_redirector_rx_event_opened(void)
{
    g_autofree char *path = tmp_path("redirector0");
    int backend[2], send_sock;
    QTestState *qts;

    qts = redir_rx_one(backend, path, "");
    send_sock = qtest_unix_connect(path);
    sync_qmp(qts);
    /* an empty frame is dropped (not retried for ever) */
    g_assert_cmpint(write(send_sock, "\0\0\0\0", 4), ==, 4);
    sync_qmp(qts);
    /* half a frame, then the connection goes */
    g_assert_cmpint(write(send_sock, "\0\0\0\x08He", 6), ==, 6);
    sync_qmp(qts);
    close(send_sock);
    sync_qmp(qts);
    send_sock = qtest_unix_connect(path);
    sync_qmp(qts);
    send_str(send_sock, "Hello2!!");
    expect_frame(backend[0], "Hello2!!");
    /* a frame too big for any network: that connection is dropped */
    g_assert_cmpint(write(send_sock, "\x7f\xff\xff\xff", 4), ==, 4);
    {
        struct pollfd p = { .fd = send_sock, .events = POLLIN };
        char c;

        g_assert_cmpint(poll(&p, 1, 20000), ==, 1);
        g_assert_cmpint(read(send_sock, &c, 1), ==, 0);
    }
    close(send_sock);
    send_sock = qtest_unix_connect(path);
    sync_qmp(qts);
    send_str(send_sock, "Hello3!!");
    expect_frame(backend[0], "Hello3!!");
    close(send_sock);
    qtest_quit(qts);
    close(backend[0]);
    close(backend[1]);
    unlink(path);
}

/* With vnet_hdr_support, indev's frames carry a header-length word too. */
static void test_redirector_vnet_hdr(void)
{
    g_autofree char *path = tmp_path("redirector0");
    int backend[2], send_sock;
    QTestState *qts;

    qts = redir_rx_one(backend, path, ",vnet_hdr_support=on");
    send_sock = qtest_unix_connect(path);
    sync_qmp(qts);
    g_assert_cmpint(write(send_sock, "\0\0\0\x06\0\0\0\x0cvnet!", 14),
                    ==, 14);
    expect_frame(backend[0], "vnet!");
    close(send_sock);
    qtest_quit(qts);
    close(backend[0]);
    close(backend[1]);
    unlink(path);
}

static void filter_add(QTestState *qts, const char *id)
{
    qtest_qmp_assert_success(qts, "{'execute': 'object-add', 'arguments': "
                             "{'qom-type': 'filter-buffer', 'id': '%s', "
                             "'netdev': 'qtest-bn0', 'queue': 'rx', "
                             "'interval': 1000}}", id);
}

static void object_del(QTestState *qts, const char *id)
{
    qtest_qmp_assert_success(qts, "{'execute': 'object-del', 'arguments': "
                             "{'id': '%s'}}", id);
}

static bool object_exists(QTestState *qts, const char *id)
{
    g_autoptr(JsonObject) rsp = qtest_qmp(qts, "{'execute': 'qom-list', "
                                          "'arguments': {'path': "
                                          "'/objects'}}");
    JsonArray *list = json_object_get_array_member(rsp, "return");

    for (guint i = 0; i < json_array_get_length(list); i++) {
        JsonObject *p = json_array_get_object_element(list, i);

        if (!strcmp(json_object_get_string_member(p, "name"), id)) {
            return true;
        }
    }
    return false;
}

/* test-netfilter: add and remove filters, and the backend under them. */
static void test_netfilter_add_remove(void)
{
    g_autoptr(QTestState) qts = qtest_init("-nic user,id=qtest-bn0");

    /* one filter, removed */
    filter_add(qts, "qtest-f0");
    g_assert_true(object_exists(qts, "qtest-f0"));
    object_del(qts, "qtest-f0");
    g_assert_false(object_exists(qts, "qtest-f0"));
    /* one filter, its backend removed: the filter goes with it */
    filter_add(qts, "qtest-f0");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 'qtest-bn0'}}");
    g_assert_false(object_exists(qts, "qtest-f0"));
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'user', 'id': 'qtest-bn0'}}");
    /* two filters, removed */
    filter_add(qts, "qtest-f0");
    filter_add(qts, "qtest-f1");
    object_del(qts, "qtest-f0");
    object_del(qts, "qtest-f1");
    /* two filters, their backend removed */
    filter_add(qts, "qtest-f0");
    filter_add(qts, "qtest-f1");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 'qtest-bn0'}}");
    g_assert_false(object_exists(qts, "qtest-f0"));
    g_assert_false(object_exists(qts, "qtest-f1"));
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'user', 'id': 'qtest-bn0'}}");
}

static void expect_add_error(QTestState *qts, const char *args,
                             const char *msg)
{
    qtest_qmp_expect_error(qts, "GenericError", msg,
                           "{'execute': 'object-add', 'arguments': "
                           "{'id': 'bad', %s}}", args);
    g_assert_false(object_exists(qts, "bad"));
}

static void test_netfilter_errors(void)
{
    g_autoptr(QTestState) qts = qtest_init("-nic user,id=qtest-bn0 "
                                           "-chardev null,id=c0");

    expect_add_error(qts, "'qom-type': 'filter-buffer', 'netdev': 'nope', "
                     "'interval': 1000",
                     "Parameter 'netdev' expects a network backend id");
    expect_add_error(qts, "'qom-type': 'filter-buffer', 'interval': 1000",
                     "Parameter 'netdev' is required");
    expect_add_error(qts, "'qom-type': 'filter-buffer', "
                     "'netdev': 'qtest-bn0'",
                     "Parameter 'interval' expects a non-zero interval");
    expect_add_error(qts, "'qom-type': 'filter-buffer', "
                     "'netdev': 'qtest-bn0', 'interval': 0",
                     "Property 'filter-buffer.interval' requires a "
                     "positive value");
    expect_add_error(qts, "'qom-type': 'filter-buffer', "
                     "'netdev': 'qtest-bn0', 'interval': 1, 'queue': 'up'",
                     "Parameter 'queue' does not accept value 'up'");
    expect_add_error(qts, "'qom-type': 'filter-buffer', "
                     "'netdev': 'qtest-bn0', 'interval': 1, "
                     "'status': 'maybe'",
                     "Invalid value for netfilter status, should be 'on' "
                     "or 'off'");
    expect_add_error(qts, "'qom-type': 'filter-buffer', "
                     "'netdev': 'qtest-bn0', 'interval': 1, "
                     "'position': 'middle'",
                     "Parameter 'position' expects 'head', 'tail' or "
                     "'id=<id>'");
    expect_add_error(qts, "'qom-type': 'filter-buffer', "
                     "'netdev': 'qtest-bn0', 'interval': 1, "
                     "'position': 'id=nope'", "filter 'nope' not found");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "filter-mirror parameter "
                           "'outdev' cannot be empty",
                           "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-mirror', 'id': 'bad', "
                           "'netdev': 'qtest-bn0'}}");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
                           "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-mirror', 'id': 'bad', "
                           "'netdev': 'qtest-bn0', 'outdev': 'nope'}}");
    expect_add_error(qts, "'qom-type': 'filter-redirector', "
                     "'netdev': 'qtest-bn0'",
                     "filter redirector needs 'indev' or 'outdev' at least "
                     "one property set");
    expect_add_error(qts, "'qom-type': 'filter-redirector', "
                     "'netdev': 'qtest-bn0', 'indev': 'c0', 'outdev': 'c0'",
                     "'indev' and 'outdev' could not be same for filter "
                     "redirector");
    /* the monitor's own chardev is taken */
    qtest_qmp_expect_error(qts, "GenericError",
                           "Device 'char0' is in use",
                           "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-redirector', 'id': 'bad', "
                           "'netdev': 'qtest-bn0', "
                           "'indev': 'char0'}}");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "IN Device 'nope' not "
                           "found", "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-redirector', 'id': 'bad', "
                           "'netdev': 'qtest-bn0', 'indev': 'nope'}}");
    expect_add_error(qts, "'qom-type': 'filter-dump', 'netdev': 'qtest-bn0'",
                     "dump filter needs 'file' property set!");
    expect_add_error(qts, "'qom-type': 'filter-dump', 'netdev': 'qtest-bn0', "
                     "'file': '/nonexistent/x.pcap'",
                     "net dump: can't open /nonexistent/x.pcap: No such "
                     "file or directory");
    expect_add_error(qts, "'qom-type': 'filter-dump', 'netdev': 'qtest-bn0', "
                     "'file': '/tmp/x.pcap', 'maxlen': 0",
                     "Property 'filter-dump.maxlen' doesn't take value '0'");
    qtest_qmp_expect_error(qts, "GenericError", "object 'nope' not found",
                           "{'execute': 'object-del', 'arguments': "
                           "{'id': 'nope'}}");
    /* still serving */
    filter_add(qts, "qtest-f0");
    object_del(qts, "qtest-f0");
}

/* Two socket backends on a hub, a mirror (m0) in front of a filter. */
typedef struct HubRig {
    int a[2], b[2], m[2];
    QTestState *qts;
} HubRig;

static void hub_rig_start(HubRig *h, const char *filter)
{
    make_pair(h->a);
    make_pair(h->b);
    make_pair(h->m);
    h->qts = qtest_initf("-M none -netdev socket,id=s0,fd=%d "
                         "-netdev socket,id=s1,fd=%d "
                         "-netdev hubport,id=h0,hubid=0,netdev=s0 "
                         "-netdev hubport,id=h1,hubid=0,netdev=s1 "
                         "-chardev socket,id=m0,fd=%d "
                         "-object filter-mirror,id=fm,netdev=s0,queue=tx,"
                         "outdev=m0 -object %s",
                         h->a[1], h->b[1], h->m[1], filter);
    sync_qmp(h->qts);
}

static void hub_rig_end(HubRig *h)
{
    qtest_quit(h->qts);
    for (int i = 0; i < 2; i++) {
        close(h->a[i]);
        close(h->b[i]);
        close(h->m[i]);
    }
}

/* Send on a; the mirror's copy shows the frame went into the chain. */
static void hub_rig_send(HubRig *h, const char *s)
{
    send_str(h->a[0], s);
    expect_frame(h->m[0], s);
    sync_qmp(h->qts);
}

/* filter-buffer holds frames for interval µs of guest time. */
static void test_buffer(void)
{
    HubRig h;

    hub_rig_start(&h, "filter-buffer,id=fb,netdev=s0,queue=tx,"
                  "interval=1000");
    hub_rig_send(&h, "held");
    g_assert_true(qstream_fd_idle(h.b[0]));
    qtest_clock_step(h.qts, 999 * 1000);
    sync_qmp(h.qts);
    g_assert_true(qstream_fd_idle(h.b[0]));
    qtest_clock_step(h.qts, 1000);
    expect_frame(h.b[0], "held");
    /* off: what is held goes now, and frames pass */
    hub_rig_send(&h, "held again");
    g_assert_true(qstream_fd_idle(h.b[0]));
    qtest_qmp_assert_success(h.qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': '/objects/fb', 'property': 'status', "
                             "'value': 'off'}}");
    expect_frame(h.b[0], "held again");
    hub_rig_send(&h, "straight");
    expect_frame(h.b[0], "straight");
    /* object-del releases what it holds */
    qtest_qmp_assert_success(h.qts, "{'execute': 'qom-set', 'arguments': "
                             "{'path': '/objects/fb', 'property': 'status', "
                             "'value': 'on'}}");
    hub_rig_send(&h, "last");
    object_del(h.qts, "fb");
    expect_frame(h.b[0], "last");
    hub_rig_end(&h);
}

/* filter-dump writes a pcap file; maxlen cuts what it stores. */
static void test_dump(void)
{
    g_autofree char *file = tmp_path("dump.pcap");
    g_autofree char *filter = g_strdup_printf(
        "filter-dump,id=fd,netdev=s0,queue=tx,file=%s,maxlen=6", file);
    g_autofree uint8_t *data = NULL;
    uint32_t w[6];
    gsize len;
    HubRig h;

    hub_rig_start(&h, filter);
    hub_rig_send(&h, "0123456789");
    expect_frame(h.b[0], "0123456789");
    object_del(h.qts, "fd");
    g_assert_true(g_file_get_contents(file, (char **)&data, &len, NULL));
    g_assert_cmpuint(len, ==, 24 + 16 + 6);
    memcpy(w, data, 24);
    g_assert_cmphex(w[0], ==, 0xa1b2c3d4);
    g_assert_cmphex(w[1], ==, 2 | 4 << 16);     /* version 2.4 */
    g_assert_cmpuint(w[4], ==, 6);              /* snaplen */
    g_assert_cmpuint(w[5], ==, 1);              /* Ethernet */
    memcpy(w, data + 24, 16);
    g_assert_cmpuint(w[2], ==, 6);              /* caplen */
    g_assert_cmpuint(w[3], ==, 11);             /* len */
    g_assert_cmpmem(data + 40, 6, "012345", 6);
    hub_rig_end(&h);
    unlink(file);
}

/*
 * position=head puts a buffer before the mirror: the mirror sees a frame
 * only when the buffer passes it on (to the rest of the chain, then the
 * peer).  A chardev serves one filter.
 */
static void test_position(void)
{
    HubRig h;

    hub_rig_start(&h, "filter-buffer,id=fb,netdev=s0,queue=tx,"
                  "interval=1000,position=head");
    send_str(h.a[0], "first");
    sync_qmp(h.qts);
    sync_qmp(h.qts);
    g_assert_true(qstream_fd_idle(h.m[0]));
    g_assert_true(qstream_fd_idle(h.b[0]));
    qtest_clock_step(h.qts, 1000 * 1000);
    expect_frame(h.m[0], "first");
    expect_frame(h.b[0], "first");
    object_del(h.qts, "fb");
    /* insert=before a filter of another backend */
    qtest_qmp_expect_error(h.qts, "GenericError",
                           "filter 'fm' belongs to a different netdev",
                           "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-buffer', 'id': 'x', "
                           "'netdev': 's1', 'interval': 1, "
                           "'position': 'id=fm', 'insert': 'before'}}");
    qtest_qmp_expect_error(h.qts, "GenericError",
                           "Invalid value for netfilter insert, should be "
                           "'before' or 'behind'",
                           "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-buffer', 'id': 'x', "
                           "'netdev': 's0', 'interval': 1, "
                           "'insert': 'aside'}}");
    qtest_qmp_expect_error(h.qts, "GenericError", "Device 'm0' is in use",
                           "{'execute': 'object-add', 'arguments': "
                           "{'qom-type': 'filter-mirror', 'id': 'x', "
                           "'netdev': 's1', 'outdev': 'm0'}}");
    /* the mirror still mirrors */
    hub_rig_send(&h, "second");
    expect_frame(h.b[0], "second");
    hub_rig_end(&h);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("netfilter-test-XXXXXX", NULL);
    qtest_add_func("/netfilter/mirror", test_mirror);
    qtest_add_func("/netfilter/mirror-passes-frames",
                   test_mirror_passes_frames);
    qtest_add_func("/netfilter/redirector_tx", test_redirector_tx);
    qtest_add_func("/netfilter/redirector_rx", test_redirector_rx);
    qtest_add_func("/netfilter/redirector_status", test_redirector_status);
    qtest_add_func("/netfilter/redirector_init_status_off",
                   test_redirector_init_status_off);
    qtest_add_func("/netfilter/redirector_rx_event_opened",
                   test_redirector_rx_event_opened);
    qtest_add_func("/netfilter/redirector-vnet-hdr",
                   test_redirector_vnet_hdr);
    qtest_add_func("/netfilter/add-remove", test_netfilter_add_remove);
    qtest_add_func("/netfilter/errors", test_netfilter_errors);
    qtest_add_func("/netfilter/buffer", test_buffer);
    qtest_add_func("/netfilter/dump", test_dump);
    qtest_add_func("/netfilter/position", test_position);
    ret = g_test_run();
    g_rmdir(tmp_dir);
    g_free(tmp_dir);
    return ret;
}
