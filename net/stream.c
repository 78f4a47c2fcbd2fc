/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev stream (QEMU 7.2+): frames over one stream socket, each preceded
 * by its length as 4 big-endian bytes.  As a server it serves one client
 * at a time and listens again when that client leaves; as a client it
 * reconnects every reconnect= seconds if asked to.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/clients.h"
#include "qapi/error.h"
#include "qapi/qapi-events.h"

typedef struct NetStreamState {
    NetClientState *nc;
    NetStreamConn conn;
    SockAddr addr;
    bool server;
    int listen_fd;
    NetFdWatch listen_watch;
    unsigned reconnect;         /* seconds, 0: never */
    guint reconnect_id;
} NetStreamState;

static bool stream_can_receive(NetClientState *nc)
{
    NetStreamState *s = nc->opaque;

    return net_stream_conn_can_receive(&s->conn);
}

static ssize_t stream_receive(NetClientState *nc, const struct iovec *iov,
                              int iovcnt)
{
    NetStreamState *s = nc->opaque;

    return net_stream_conn_receive(&s->conn, iov, iovcnt);
}

static void stream_send_ready(NetClientState *nc)
{
    NetStreamState *s = nc->opaque;

    net_stream_conn_send_ready(&s->conn);
}

static void stream_batch_end(NetClientState *nc)
{
    NetStreamState *s = nc->opaque;

    net_stream_conn_batch_end(&s->conn);
}

static void stream_cleanup(NetClientState *nc)
{
    NetStreamState *s = nc->opaque;

    net_stream_conn_destroy(&s->conn);
    net_fd_watch_stop(&s->listen_watch);
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        socket_unlink(&s->addr);
    }
    if (s->reconnect_id) {
        g_source_remove(s->reconnect_id);
    }
    socket_addr_clear(&s->addr);
    g_free(s);
}

static const NetClientInfo stream_info = {
    .type = "stream",
    .can_receive = stream_can_receive,
    .receive_iov = stream_receive,
    .send_ready = stream_send_ready,
    .batch_end = stream_batch_end,
    .cleanup = stream_cleanup,
};

/* A SocketAddress as QMP shows it. */
static JsonNode *socket_address_json(const SockAddr *a)
{
    JsonObject *o = json_object_new();
    JsonNode *node = json_node_alloc();

    if (a->type == SOCK_ADDR_UNIX) {
        json_object_set_string_member(o, "type", "unix");
        json_object_set_string_member(o, "path", a->path);
    } else {
        json_object_set_string_member(o, "type", "inet");
        json_object_set_string_member(o, "host", a->host);
        json_object_set_string_member(o, "port", a->port);
    }
    json_node_init_object(node, o);
    json_object_unref(o);
    return node;
}

static void stream_connected(NetStreamState *s, int fd)
{
    g_auto(SockAddr) peer = { 0 };
    JsonNode *addr;

    net_stream_conn_attach(&s->conn, fd);
    /*
     * The server reports who came in, a client where it went; a unix
     * client has no name, so both ends show the listening path.
     */
    if (!socket_peer_address(fd, &peer, NULL)) {
        socket_addr_set_inet(&peer, "", "");
    }
    if (peer.type == SOCK_ADDR_UNIX && s->addr.path) {
        g_free(peer.path);
        peer.path = g_strdup(s->addr.path);
    }
    if (peer.type == SOCK_ADDR_UNIX) {
        qemu_set_info_str(s->nc, "unix:%s", peer.path ? peer.path : "");
    } else {
        qemu_set_info_str(s->nc, "tcp:%s:%s", peer.host, peer.port);
    }
    addr = socket_address_json(&peer);
    qapi_event_send_netdev_stream_connected(s->nc->name, addr);
    json_node_unref(addr);
}

static gboolean stream_accept(int fd, GIOCondition cond, void *opaque)
{
    NetStreamState *s = opaque;
    int cfd = socket_accept(fd);

    if (cfd < 0) {
        return G_SOURCE_CONTINUE;
    }
    /* One client at a time: others wait in the backlog. */
    net_fd_watch_set(&s->listen_watch, 0);
    stream_connected(s, cfd);
    return G_SOURCE_CONTINUE;
}

static gboolean stream_reconnect(void *opaque);

static void stream_closed(NetStreamConn *c)
{
    NetStreamState *s = c->nc->opaque;

    qemu_set_info_str(s->nc, "%s", "");
    qapi_event_send_netdev_stream_disconnected(s->nc->name);
    if (s->server) {
        net_fd_watch_set(&s->listen_watch, G_IO_IN);
    } else if (s->reconnect && !s->reconnect_id) {
        s->reconnect_id = g_timeout_add_seconds(s->reconnect,
                                                stream_reconnect, s);
    }
}

static gboolean stream_reconnect(void *opaque)
{
    NetStreamState *s = opaque;
    int fd = socket_connect(&s->addr, NULL);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    s->reconnect_id = 0;
    stream_connected(s, fd);
    return G_SOURCE_REMOVE;
}

NetClientState *net_stream_new(const char *model, const char *id,
                               SockAddr *addr, bool server,
                               unsigned reconnect, GError **errp)
{
    NetStreamState *s = g_new0(NetStreamState, 1);
    GError *err = NULL;
    int fd = -1;

    s->listen_fd = -1;
    s->listen_watch.fd = -1;
    s->server = server;
    s->reconnect = reconnect;
    if (server) {
        s->listen_fd = socket_listen(addr, errp);
        if (s->listen_fd < 0) {
            g_free(s);
            return NULL;
        }
    } else {
        fd = socket_connect(addr, &err);
        if (fd < 0 && !reconnect) {
            g_propagate_error(errp, err);
            g_free(s);
            return NULL;
        }
        if (fd < 0) {
            /* Keep trying, as asked: the guest's link simply waits. */
            warn_report("%s: %s", id, err->message);
            g_clear_error(&err);
        }
    }
    s->addr = *addr;            /* takes addr's strings */
    memset(addr, 0, sizeof(*addr));

    s->nc = qemu_new_net_client(&stream_info, NULL, model, id, s);
    net_stream_conn_init(&s->conn, s->nc, stream_closed);
    if (server) {
        net_fd_watch_init(&s->listen_watch, s->listen_fd, stream_accept, s);
        net_fd_watch_set(&s->listen_watch, G_IO_IN);
    } else if (fd >= 0) {
        stream_connected(s, fd);
    } else {
        s->reconnect_id = g_timeout_add_seconds(reconnect, stream_reconnect,
                                                s);
    }
    return s->nc;
}

NetClientState *net_stream_new_fd(const char *model, const char *id, int fd,
                                  bool server)
{
    NetStreamState *s = g_new0(NetStreamState, 1);

    s->listen_fd = -1;
    s->listen_watch.fd = -1;
    s->server = server;
    socket_set_nonblock(fd);
    s->nc = qemu_new_net_client(&stream_info, NULL, model, id, s);
    net_stream_conn_init(&s->conn, s->nc, stream_closed);
    if (server) {
        s->listen_fd = fd;
        net_fd_watch_init(&s->listen_watch, fd, stream_accept, s);
        net_fd_watch_set(&s->listen_watch, G_IO_IN);
    } else {
        stream_connected(s, fd);
    }
    return s->nc;
}

NetClientState *net_init_stream(QemuOpts *opts, const char *id,
                                GError **errp)
{
    static const char *const allowed[] = { "server", "reconnect", NULL };
    static const char *const addr_prefix[] = { "addr", NULL };
    const char *rc = qemu_opt_get(opts, "reconnect");
    g_auto(SockAddr) addr = { 0 };
    GError *err = NULL;
    unsigned reconnect = 0;
    bool server;

    if (!net_opts_check(opts, allowed, addr_prefix, errp)) {
        return NULL;
    }
    server = qemu_opt_get_bool(opts, "server", false, &err);
    if (err) {
        g_propagate_error(errp, err);
        return NULL;
    }
    if (rc) {
        char *end;
        unsigned long v = strtoul(rc, &end, 10);

        if (!*rc || *end || v > G_MAXUINT32) {
            error_setg(errp, "Parameter 'reconnect' expects uint32_t");
            return NULL;
        }
        reconnect = v;
    }
    if (net_sockaddr_is_fd(opts, "addr")) {
        int fd = net_parse_fd_addr(opts, "addr", errp);

        return fd < 0 ? NULL : net_stream_new_fd("stream", id, fd, server);
    }
    if (!net_parse_sockaddr(opts, "addr", &addr, errp)) {
        return NULL;
    }
    return net_stream_new("stream", id, &addr, server, reconnect, errp);
}
