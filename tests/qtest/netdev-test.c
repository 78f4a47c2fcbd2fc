/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network backends seen from outside: -netdev errors, netdev_add /
 * netdev_del / set_link over QMP, and frames on real sockets.  Without a
 * NIC, hub ports join backends to each other, so a test socket can play
 * the guest (e.g. ask the user backend for a DHCP lease).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_tun.h>

#include "libqtest.h"
#include "libqos/stream-peer.h"

static char *tmp_dir;

static char *tmp_path(const char *name)
{
    return g_build_filename(tmp_dir, name, NULL);
}

/* Run the binary with args; return its status and first stderr line. */
static int run_fail(const char *args, char **first_line)
{
    g_autofree char *cmd = g_strdup_printf(
        "exec timeout 30 %s -qtest null %s", g_getenv("QTEST_QEMU_BINARY"),
        args);
    char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    g_autofree char *err = NULL;
    g_autoptr(GError) gerr = NULL;
    int status;

    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &gerr));
    *first_line = g_strndup(err, strcspn(err, "\n"));
    g_test_message("%s -> %d: %s", args, status, err);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void expect_cmdline_error(const char *args, const char *msg)
{
    g_autofree char *line = NULL;
    g_autofree char *want = g_strdup_printf(": %s", msg);

    g_assert_cmpint(run_fail(args, &line), ==, 1);
    if (!g_str_has_suffix(line, want)) {
        g_error("'%s' printed '%s', expected it to end with '%s'", args, line,
                want);
    }
}

static void test_cmdline_errors(void)
{
    expect_cmdline_error("-netdev '{\"type\": \"user\", \"id\": \"n0\", "
                         "\"id\": \"n1\"}'", "JSON parse error, duplicate key");
    expect_cmdline_error("-netdev foo,id=n0",
                         "-netdev foo,id=n0: Parameter 'type' does not "
                         "accept value 'foo'");
    expect_cmdline_error("-netdev user", "Parameter 'id' is missing");
    expect_cmdline_error("-netdev stream,id=s0",
                         "Parameter 'addr' is missing");
    expect_cmdline_error("-netdev stream,id=s0,addr.type=inet,"
                         "addr.host=no-such-host.invalid,addr.port=1",
                         "address resolution failed for "
                         "no-such-host.invalid:1: Name or service not known");
    expect_cmdline_error("-netdev user,id=u0,hostfwd=tcp:127.0.0.1:x-:22",
                         "Invalid host forwarding rule "
                         "'tcp:127.0.0.1:x-:22' (Bad host port)");
    expect_cmdline_error("-netdev user,id=u0 -netdev user,id=u0",
                         "Duplicate ID 'u0' for netdev");
    expect_cmdline_error("-netdev socket,id=k0,connect=127.0.0.1",
                         "host address '127.0.0.1' doesn't contain ':' "
                         "separating host from port");
    expect_cmdline_error("-netdev user,id=u0,frobnicate=on",
                         "Invalid parameter 'frobnicate'");
    expect_cmdline_error("-netdev stream,id=s0,addr.type=fd,addr.str=nope",
                         "Invalid file descriptor number 'nope'");
    expect_cmdline_error("-netdev stream,id=s0,addr.type=fd,addr.str=987",
                         "File descriptor '987' is not a socket");
    expect_cmdline_error("-netdev stream,id=s0,addr.type=fd",
                         "Parameter 'addr.str' is missing");
    expect_cmdline_error("-netdev dgram,id=d0,local.type=fd,local.str=2,"
                         "remote.type=inet,remote.host=127.0.0.1,"
                         "remote.port=1", "don't set remote with local.fd");
    expect_cmdline_error("-netdev dgram,id=d0,remote.type=inet,"
                         "remote.host=230.0.0.1,remote.port=1234,"
                         "local.type=unix,local.path=/x",
                         "localaddr '/x' is not a valid IPv4 address");
    expect_cmdline_error("-netdev dgram,id=d0,local.type=unix,"
                         "local.path=/tmp/x",
                         "type=inet or type=unix requires remote parameter");
    expect_cmdline_error("-netdev dgram,id=d0,local.type=unix,"
                         "local.path=/tmp/x,remote.type=inet,"
                         "remote.host=127.0.0.1,remote.port=1",
                         "remote and local types must be the same");
    expect_cmdline_error("-netdev socket,id=k0,fd=987",
                         "File descriptor '987' is not a socket");
    expect_cmdline_error("-netdev user,id=n0 -object filter-buffer,id=f0,"
                         "netdev=nope,interval=1000",
                         "Parameter 'netdev' expects a network backend id");
    expect_cmdline_error("-netdev user,id=n0 -object filter-mirror,id=f0,"
                         "netdev=n0,outdev=nope", "Device 'nope' not found");
}

/* Two socket pairs: baton gets [1] of each, the test keeps [0]. */
static void socket_pairs(int type, int a[2], int b[2])
{
    g_assert_cmpint(socketpair(AF_UNIX, type, 0, a), ==, 0);
    g_assert_cmpint(socketpair(AF_UNIX, SOCK_STREAM, 0, b), ==, 0);
}

static void close_pairs(int a[2], int b[2])
{
    for (int i = 0; i < 2; i++) {
        close(a[i]);
        close(b[i]);
    }
}

/*
 * netdev-socket's stream/fd: a connected socket passed by number; here
 * joined by a hub to a socket backend on another passed fd.
 */
static void test_stream_fd(void)
{
    int a[2], b[2];
    char buf[64];
    QTestState *qts;

    socket_pairs(SOCK_STREAM, a, b);
    qts = qtest_initf("-M none -netdev stream,id=st0,addr.type=fd,"
                      "addr.str=%d -netdev socket,id=s1,fd=%d "
                      "-netdev hubport,id=h0,hubid=0,netdev=st0 "
                      "-netdev hubport,id=h1,hubid=0,netdev=s1", a[1], b[1]);
    qstream_fd_send(a[0], "over fd", 8);
    g_assert_cmpuint(qstream_fd_recv(b[0], buf, sizeof(buf)), ==, 8);
    g_assert_cmpstr(buf, ==, "over fd");
    qstream_fd_send(b[0], "back", 5);
    g_assert_cmpuint(qstream_fd_recv(a[0], buf, sizeof(buf)), ==, 5);
    g_assert_cmpstr(buf, ==, "back");
    qtest_quit(qts);
    close_pairs(a, b);
}

/* netdev_add with a socket handed to the monitor with getfd. */
static void test_stream_getfd(void)
{
    g_autoptr(JsonObject) rsp = NULL;
    int a[2], b[2];
    char buf[64];
    QTestState *qts;

    socket_pairs(SOCK_STREAM, a, b);
    qts = qtest_initf("-M none -netdev socket,id=s1,fd=%d "
                      "-netdev hubport,id=h1,hubid=0,netdev=s1", b[1]);
    qtest_qmp_expect_error(qts, "GenericError", "File descriptor named "
                           "'nope' has not been found",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'stream', 'id': 'st0', 'addr': "
                           "{'type': 'fd', 'str': 'nope'}}}");
    rsp = qtest_qmp_fds(qts, &a[1], 1, "{'execute': 'getfd', 'arguments': "
                        "{'fdname': 'sock'}}");
    g_assert_true(json_object_has_member(rsp, "return"));
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'stream', 'id': 'st0', 'addr': "
                             "{'type': 'fd', 'str': 'sock'}}}");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'hubport', 'id': 'h0', 'hubid': 0, "
                             "'netdev': 'st0'}}");
    qstream_fd_send(a[0], "named", 6);
    g_assert_cmpuint(qstream_fd_recv(b[0], buf, sizeof(buf)), ==, 6);
    g_assert_cmpstr(buf, ==, "named");
    qtest_quit(qts);
    close_pairs(a, b);
}

static void recv_datagram(int fd, const char *want)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char buf[64] = "";

    g_assert_cmpint(poll(&p, 1, 20000), ==, 1);
    g_assert_cmpint(recv(fd, buf, sizeof(buf) - 1, 0), ==, strlen(want) + 1);
    g_assert_cmpstr(buf, ==, want);
}

/* netdev-socket's dgram/fd: one frame per datagram on a passed socket. */
static void test_dgram_fd(void)
{
    int a[2], b[2];
    char buf[64];
    QTestState *qts;

    socket_pairs(SOCK_DGRAM, a, b);
    qts = qtest_initf("-M none -netdev dgram,id=d0,local.type=fd,"
                      "local.str=%d -netdev socket,id=s1,fd=%d "
                      "-netdev hubport,id=h0,hubid=0,netdev=d0 "
                      "-netdev hubport,id=h1,hubid=0,netdev=s1", a[1], b[1]);
    g_assert_cmpint(send(a[0], "datagram", 9, 0), ==, 9);
    g_assert_cmpuint(qstream_fd_recv(b[0], buf, sizeof(buf)), ==, 9);
    g_assert_cmpstr(buf, ==, "datagram");
    qstream_fd_send(b[0], "reply", 6);
    recv_datagram(a[0], "reply");
    qtest_quit(qts);
    close_pairs(a, b);
}

/* A member of group:port, or -1 if this host cannot join groups. */
static int mcast_member(const char *group, int port)
{
    struct sockaddr_in in = { .sin_family = AF_INET,
                              .sin_port = htons(port) };
    struct ip_mreq mreq = { .imr_interface.s_addr = htonl(INADDR_ANY) };
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int one = 1;

    inet_pton(AF_INET, group, &in.sin_addr);
    mreq.imr_multiaddr = in.sin_addr;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&in, sizeof(in)) < 0 ||
        setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq,
                   sizeof(mreq)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * netdev-socket's dgram/mcast: remote= a multicast group and no local=;
 * frames go to the group and what the group carries comes in.
 */
static void test_dgram_mcast(void)
{
    int port = 20000 + g_random_int_range(0, 20000);
    int member = mcast_member("230.0.0.1", port);
    struct sockaddr_in group = { .sin_family = AF_INET,
                                 .sin_port = htons(port) };
    int a[2], b[2];
    char buf[64];
    QTestState *qts;

    if (member < 0) {
        g_test_skip("this host cannot join a multicast group");
        return;
    }
    inet_pton(AF_INET, "230.0.0.1", &group.sin_addr);
    socket_pairs(SOCK_STREAM, a, b);
    qts = qtest_initf("-M none -netdev dgram,id=d0,remote.type=inet,"
                      "remote.host=230.0.0.1,remote.port=%d "
                      "-netdev socket,id=s1,fd=%d "
                      "-netdev hubport,id=h0,hubid=0,netdev=d0 "
                      "-netdev hubport,id=h1,hubid=0,netdev=s1",
                      port, b[1]);
    qstream_fd_send(b[0], "to group", 9);
    recv_datagram(member, "to group");
    /* baton is a member too: it hears itself, then the test */
    g_assert_cmpuint(qstream_fd_recv(b[0], buf, sizeof(buf)), ==, 9);
    g_assert_cmpint(sendto(member, "from group", 11, 0,
                           (struct sockaddr *)&group, sizeof(group)), ==, 11);
    g_assert_cmpuint(qstream_fd_recv(b[0], buf, sizeof(buf)), ==, 11);
    g_assert_cmpstr(buf, ==, "from group");
    qtest_quit(qts);
    close(member);
    close_pairs(a, b);
}

static void test_netdev_add_del(void)
{
    g_autoptr(QTestState) qts = qtest_init("-netdev user,id=cli0");

    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'user', 'id': 'u1'}}");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'hubport', 'id': 'h1', 'hubid': 3}}");
    qtest_qmp_expect_error(qts, "GenericError", "Duplicate ID 'u1'",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'user', 'id': 'u1'}}");
    qtest_qmp_expect_error(qts, "GenericError", "Duplicate ID 'cli0'",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'user', 'id': 'cli0'}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'type' is missing",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'id': 'x'}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'id' is missing",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'user'}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'type' does not accept value 'foo'",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'foo', 'id': 'x'}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'id' expects an identifier",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'user', 'id': '0bad'}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'addr' is missing",
                           "{'execute': 'netdev_add', 'arguments': "
                           "{'type': 'stream', 'id': 's9'}}");

    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 'u1'}}");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 'cli0'}}");
    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'u1' not found",
                           "{'execute': 'netdev_del', 'arguments': "
                           "{'id': 'u1'}}");
    /* The id is free again. */
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'user', 'id': 'u1'}}");
}

static void test_set_link(void)
{
    g_autoptr(QTestState) qts = qtest_init("-netdev user,id=u0");

    qtest_qmp_expect_error(qts, "DeviceNotFound", "Device 'nope' not found",
                           "{'execute': 'set_link', 'arguments': "
                           "{'name': 'nope', 'up': false}}");
    qtest_qmp_expect_error(qts, "GenericError",
                           "Parameter 'up' is missing",
                           "{'execute': 'set_link', 'arguments': "
                           "{'name': 'u0'}}");
    qtest_qmp_assert_success(qts, "{'execute': 'set_link', 'arguments': "
                             "{'name': 'u0', 'up': false}}");
    qtest_qmp_assert_success(qts, "{'execute': 'set_link', 'arguments': "
                             "{'name': 'u0', 'up': true}}");
}

/* Sockets */

/* Wait until each netdev in ids (NULL-terminated) reports a connection. */
static void wait_connected(QTestState *qts, const char *const *ids)
{
    g_autoptr(GHashTable) want = g_hash_table_new(g_str_hash, g_str_equal);

    for (; *ids; ids++) {
        g_hash_table_add(want, (char *)*ids);
    }
    while (g_hash_table_size(want)) {
        g_autoptr(JsonObject) ev =
            qtest_qmp_eventwait_ref(qts, "NETDEV_STREAM_CONNECTED");
        JsonObject *data = json_object_get_object_member(ev, "data");
        JsonObject *addr = json_object_get_object_member(data, "addr");

        g_assert_cmpstr(json_object_get_string_member(addr, "type"), ==,
                        "unix");
        g_assert_true(g_hash_table_remove(
            want, json_object_get_string_member(data, "netdev-id")));
    }
}

static void test_stream_server_frames(void)
{
    g_autofree char *p0 = tmp_path("st0");
    g_autofree char *p1 = tmp_path("st1");
    g_autofree char *p2 = tmp_path("st2");
    QTestState *qts = qtest_initf(
        "-netdev stream,id=s0,server=on,addr.type=unix,addr.path=%s "
        "-netdev hubport,id=h0,hubid=0,netdev=s0 "
        /* libvirt's JSON form, nested address included */
        "-netdev '{\"type\": \"stream\", \"id\": \"s1\", "
        "\"server\": true, \"addr\": {\"type\": \"unix\", "
        "\"path\": \"%s\"}}' "
        "-netdev hubport,id=h1,hubid=0,netdev=s1", p0, p1);
    static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                       0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
                                       0x08, 0x06, 'h', 'i' };
    uint8_t buf[2048];
    int a = qtest_unix_connect(p0), b = qtest_unix_connect(p1), c;

    /* Both connections must be accepted before frames can pass. */
    wait_connected(qts, (const char *const[]){ "s0", "s1", NULL });
    qstream_fd_send(a, frame, sizeof(frame));
    g_assert_cmpuint(qstream_fd_recv(b, buf, sizeof(buf)), ==,
                     sizeof(frame));
    g_assert_cmpmem(buf, sizeof(frame), frame, sizeof(frame));
    qstream_fd_send(b, "back", 4);
    g_assert_cmpuint(qstream_fd_recv(a, buf, sizeof(buf)), ==, 4);
    g_assert_cmpmem(buf, 4, "back", 4);

    /* netdev_add takes the address as a nested object, as QEMU does. */
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'stream', 'id': 's2', 'server': true, "
                             "'addr': {'type': 'unix', 'path': '%s'}}}", p2);
    c = qtest_unix_connect(p2);
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'hubport', 'id': 'h2', 'hubid': 0, "
                             "'netdev': 's2'}}");
    wait_connected(qts, (const char *const[]){ "s2", NULL });
    qstream_fd_send(c, frame, sizeof(frame));
    g_assert_cmpuint(qstream_fd_recv(a, buf, sizeof(buf)), ==,
                     sizeof(frame));
    g_assert_cmpuint(qstream_fd_recv(b, buf, sizeof(buf)), ==,
                     sizeof(frame));

    /* A client that leaves makes room for the next one. */
    close(a);
    qtest_qmp_eventwait(qts, "NETDEV_STREAM_DISCONNECTED");
    a = qtest_unix_connect(p0);
    wait_connected(qts, (const char *const[]){ "s0", NULL });
    qstream_fd_send(b, "again", 5);
    g_assert_cmpuint(qstream_fd_recv(a, buf, sizeof(buf)), ==, 5);

    close(a);
    close(b);
    close(c);
    qtest_quit(qts);
}

static int free_tcp_port(void)
{
    struct sockaddr_in in = { .sin_family = AF_INET,
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(in);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int port;

    g_assert_cmpint(bind(fd, (struct sockaddr *)&in, sizeof(in)), ==, 0);
    g_assert_cmpint(getsockname(fd, (struct sockaddr *)&in, &len), ==, 0);
    port = ntohs(in.sin_port);
    close(fd);
    return port;
}

static void test_user_hostfwd(void)
{
    int port = free_tcp_port();
    g_autoptr(QTestState) qts = qtest_initf(
        "-netdev user,id=u0,hostfwd=tcp:127.0.0.1:%d-:22", port);
    struct sockaddr_in in = { .sin_family = AF_INET,
                              .sin_port = htons(port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    g_assert_cmpint(connect(fd, (struct sockaddr *)&in, sizeof(in)), ==, 0);
    close(fd);

    /* The port closes with the backend. */
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 'u0'}}");
    fd = socket(AF_INET, SOCK_STREAM, 0);
    g_assert_cmpint(connect(fd, (struct sockaddr *)&in, sizeof(in)), ==, -1);
    g_assert_cmpint(errno, ==, ECONNREFUSED);
    close(fd);
}

static uint16_t ip_checksum(const uint8_t *p, size_t len)
{
    uint32_t sum = 0;

    for (size_t i = 0; i + 1 < len; i += 2) {
        sum += p[i] << 8 | p[i + 1];
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum;
}

/* Ethernet + IPv4 + UDP 68->67 + BOOTP with "DHCP discover". */
static size_t build_dhcp_discover(uint8_t *f)
{
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    uint8_t *ip = f + 14, *udp = ip + 20, *bootp = udp + 8;
    size_t bootp_len = 240 + 4, udp_len = 8 + bootp_len;
    size_t ip_len = 20 + udp_len;
    uint16_t sum;

    memset(f, 0, 14 + ip_len);
    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    f[12] = 0x08;                       /* IPv4 */
    ip[0] = 0x45;
    ip[2] = ip_len >> 8;
    ip[3] = ip_len;
    ip[8] = 64;                         /* TTL */
    ip[9] = 17;                         /* UDP */
    memset(ip + 16, 0xff, 4);           /* to 255.255.255.255 */
    sum = ip_checksum(ip, 20);
    ip[10] = sum >> 8;
    ip[11] = sum;
    udp[1] = 68;
    udp[3] = 67;
    udp[4] = udp_len >> 8;
    udp[5] = udp_len;
    bootp[0] = 1;                       /* BOOTREQUEST */
    bootp[1] = 1;                       /* Ethernet */
    bootp[2] = 6;
    bootp[4] = 0xba;                    /* xid */
    bootp[5] = 0x70;
    memcpy(bootp + 28, mac, 6);
    memcpy(bootp + 236, "\x63\x82\x53\x63", 4);   /* magic cookie */
    memcpy(bootp + 240, "\x35\x01\x01\xff", 4);   /* DISCOVER, end */
    return 14 + ip_len;
}

static void test_user_dhcp(void)
{
    g_autofree char *path = tmp_path("guest");
    QTestState *qts = qtest_initf(
        "-netdev user,id=u0 -netdev hubport,id=hu,hubid=5,netdev=u0 "
        "-netdev stream,id=g0,server=on,addr.type=unix,addr.path=%s "
        "-netdev hubport,id=hg,hubid=5,netdev=g0", path);
    uint8_t frame[2048], reply[2048];
    size_t len = build_dhcp_discover(frame);
    int fd = qtest_unix_connect(path);
    uint32_t rlen;
    const uint8_t *bootp;

    wait_connected(qts, (const char *const[]){ "g0", NULL });
    qstream_fd_send(fd, frame, len);
    rlen = qstream_fd_recv(fd, reply, sizeof(reply));
    g_assert_cmpuint(rlen, >, 14 + 20 + 8 + 240);
    g_assert_cmpuint(reply[12], ==, 0x08);      /* IPv4 */
    g_assert_cmpuint(reply[14 + 9], ==, 17);    /* UDP */
    bootp = reply + 14 + 20 + 8;
    g_assert_cmpuint(bootp[0], ==, 2);          /* BOOTREPLY */
    g_assert_cmpmem(bootp + 4, 2, "\xba\x70", 2);
    /* Offered 10.0.2.15 by 10.0.2.2, QEMU's defaults. */
    g_assert_cmpmem(bootp + 16, 4, "\x0a\x00\x02\x0f", 4);
    g_assert_cmpmem(reply + 14 + 12, 4, "\x0a\x00\x02\x02", 4);
    close(fd);
    qtest_quit(qts);
}

static bool tap_usable(void)
{
    struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
    int fd = open("/dev/net/tun", O_RDWR);
    bool ok;

    if (fd < 0) {
        return false;
    }
    ok = ioctl(fd, TUNSETIFF, &ifr) == 0;
    close(fd);
    return ok;
}

static void test_tap(void)
{
    QTestState *qts;

    if (!tap_usable()) {
        g_test_skip("/dev/net/tun is not usable here");
        return;
    }
    qts = qtest_init("-netdev tap,id=t0,ifname=batontest%d,script=no,"
                     "downscript=no");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_add', 'arguments': "
                             "{'type': 'tap', 'id': 't1', 'script': 'no', "
                             "'downscript': 'no', 'vnet_hdr': true}}");
    qtest_qmp_assert_success(qts, "{'execute': 'netdev_del', 'arguments': "
                             "{'id': 't1'}}");
    qtest_quit(qts);
}

int main(int argc, char **argv)
{
    int ret;

    g_test_init(&argc, &argv, NULL);
    tmp_dir = g_dir_make_tmp("baton-netdev-test-XXXXXX", NULL);
    qtest_add_func("netdev/cmdline-errors", test_cmdline_errors);
    qtest_add_func("netdev/add-del", test_netdev_add_del);
    qtest_add_func("netdev/set-link", test_set_link);
    qtest_add_func("netdev/stream/server-frames", test_stream_server_frames);
    qtest_add_func("netdev/user/hostfwd", test_user_hostfwd);
    qtest_add_func("netdev/user/dhcp", test_user_dhcp);
    qtest_add_func("netdev/tap", test_tap);
    qtest_add_func("netdev/stream/fd", test_stream_fd);
    qtest_add_func("netdev/stream/getfd", test_stream_getfd);
    qtest_add_func("netdev/dgram/fd", test_dgram_fd);
    qtest_add_func("netdev/dgram/mcast", test_dgram_mcast);
    ret = g_test_run();
    g_autofree char *cmd = g_strdup_printf("rm -rf %s", tmp_dir);
    (void)!system(cmd);
    g_free(tmp_dir);
    return ret;
}
