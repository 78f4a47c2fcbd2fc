/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcp: and unix: URIs.  The source connects without blocking the main
 * loop; the destination listens and takes the first connection.
 */
#include "migration/internal.h"

#include <errno.h>
#include <unistd.h>
#include <glib-unix.h>

#include "qapi/error.h"
#include "qemu/sockets.h"

/* addr is what follows "tcp:" or "unix:". */
static bool parse_addr(const char *addr, bool is_unix, SockAddr *a,
                       GError **errp)
{
    if (is_unix) {
        return socket_addr_set_unix(a, addr, false, errp);
    }
    return inet_parse(a, addr, errp);
}

/*
 * Big buffers: a migration stream is bulk data.  Set before connecting,
 * as the TCP window scale is fixed by the handshake.
 */
static void tune_socket(int fd, int family)
{
    int size = 4 << 20;

    if (family != AF_UNIX) {
        socket_set_nodelay(fd);
    }
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/* Outgoing */

typedef struct Connecting {
    SocketConnect *conn;
    MigConnectedFunc *cb;
    void *opaque;
} Connecting;

static Connecting *connecting;

static void connect_done(int fd, GError *err, void *opaque)
{
    Connecting *c = opaque;

    connecting = NULL;
    c->cb(fd, 0, err, c->opaque);
    g_free(c);
}

bool mig_socket_connect(const char *addr, bool is_unix, MigConnectedFunc *cb,
                        void *opaque, GError **errp)
{
    g_auto(SockAddr) a = { 0 };
    GError *err = NULL;
    Connecting *c;

    if (!parse_addr(addr, is_unix, &a, &err)) {
        goto fail;
    }
    c = g_new0(Connecting, 1);
    c->cb = cb;
    c->opaque = opaque;
    /* Connected or in progress: the answer comes from the main loop. */
    c->conn = socket_connect_async(&a, tune_socket, connect_done, c, &err);
    if (!c->conn) {
        g_free(c);
        goto fail;
    }
    connecting = c;
    return true;

fail:
    /* Asynchronous like QEMU: migrate returns {}, then the state fails. */
    cb(-1, 0, err, opaque);
    return true;
}

void mig_socket_connect_cancel(void)
{
    if (connecting) {
        socket_connect_cancel(connecting->conn);
        g_free(connecting);
        connecting = NULL;
    }
}

/* Extra connections (multifd channels) */

struct MigExtraConnect {
    SocketConnect *conn;
    MigConnectedFunc *cb;
    void *opaque;
};

static void extra_done(int fd, GError *err, void *opaque)
{
    MigExtraConnect *c = opaque;
    MigConnectedFunc *cb = c->cb;
    void *cb_opaque = c->opaque;

    g_free(c);
    cb(fd, 0, err, cb_opaque);
}

MigExtraConnect *mig_connect_extra(const char *uri, MigConnectedFunc *cb,
                                   void *opaque, GError **errp)
{
    g_auto(SockAddr) a = { 0 };
    bool is_unix = g_str_has_prefix(uri, "unix:");
    MigExtraConnect *c;

    if (!parse_addr(uri + (is_unix ? 5 : 4), is_unix, &a, errp)) {
        return NULL;
    }
    c = g_new0(MigExtraConnect, 1);
    c->cb = cb;
    c->opaque = opaque;
    c->conn = socket_connect_async(&a, tune_socket, extra_done, c, errp);
    if (!c->conn) {
        g_free(c);
        return NULL;
    }
    return c;
}

void mig_connect_extra_abandon(MigExtraConnect *c)
{
    if (c) {
        socket_connect_cancel(c->conn);
        g_free(c);
    }
}

/* Incoming */

typedef struct Listening {
    MigAcceptFunc *cb;
    void *opaque;
    int fd;
    guint watch;
} Listening;

static Listening *listening;

void mig_listen_stop(void)
{
    if (listening) {
        g_source_remove(listening->watch);
        close(listening->fd);
        g_free(listening);
        listening = NULL;
    }
}

static gboolean accept_ready(gint lfd, GIOCondition cond, gpointer data)
{
    Listening *l = data;
    int fd = socket_accept(lfd);

    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    tune_socket(fd, AF_INET);
    /* QEMU leaves the socket file behind; so do we. */
    if (!l->cb(fd, 0, l->opaque)) {
        /* Not l->watch: this callback's own source goes by returning. */
        l->watch = 0;
        close(l->fd);
        g_free(l);
        listening = NULL;
        return G_SOURCE_REMOVE;
    }
    return G_SOURCE_CONTINUE;
}

/* Where we listen, for query-migrate: the port the kernel chose for :0. */
static MigrationSocketAddressList *describe(int fd, const SockAddr *a)
{
    MigrationSocketAddressList *list = g_new0(MigrationSocketAddressList, 1);
    MigrationSocketAddress *m = g_new0(MigrationSocketAddress, 1);
    g_auto(SockAddr) bound = { 0 };

    list->value = m;
    if (a->type == SOCK_ADDR_UNIX) {
        m->type = SOCKET_ADDRESS_TYPE_UNIX;
        m->path = g_strdup(a->path);
        return list;
    }
    m->type = SOCKET_ADDRESS_TYPE_INET;
    if (socket_local_address(fd, &bound, NULL)) {
        m->host = g_steal_pointer(&bound.host);
        m->port = g_steal_pointer(&bound.port);
    } else {
        m->host = g_strdup("");
        m->port = g_strdup("");
    }
    return list;
}

bool mig_socket_listen(const char *addr, bool is_unix, MigAcceptFunc *cb,
                       void *opaque, MigrationSocketAddressList **addrs,
                       GError **errp)
{
    g_auto(SockAddr) a = { 0 };
    Listening *l;
    int fd;

    if (!parse_addr(addr, is_unix, &a, errp)) {
        return false;
    }
    fd = socket_listen(&a, errp);
    if (fd < 0) {
        return false;
    }
    /*
     * Room for the main channel and every multifd channel at once: a unix
     * socket refuses a connect (EAGAIN) when the backlog is full.
     */
    listen(fd, MIG_MF_MAX_CHANNELS + 1);
    mig_listen_stop();
    l = g_new0(Listening, 1);
    l->cb = cb;
    l->opaque = opaque;
    l->fd = fd;
    *addrs = describe(fd, &a);
    l->watch = g_unix_fd_add(fd, G_IO_IN, accept_ready, l);
    listening = l;
    return true;
}
