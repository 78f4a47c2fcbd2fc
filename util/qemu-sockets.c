/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one socket layer: addresses, resolution, listen/bind/connect (also
 * without blocking) and reading back where a socket is.
 */
#include "qemu/sockets.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>

#include "qapi/error.h"

/* Addresses */

void socket_addr_clear(SockAddr *a)
{
    g_free(a->host);
    g_free(a->port);
    g_free(a->path);
    memset(a, 0, sizeof(*a));
}

void socket_addr_set_inet(SockAddr *a, const char *host, const char *port)
{
    socket_addr_clear(a);
    a->type = SOCK_ADDR_INET;
    a->host = g_strdup(host ? host : "");
    a->port = g_strdup(port);
}

bool socket_addr_set_unix(SockAddr *a, const char *path, bool abstract,
                          GError **errp)
{
    struct sockaddr_un un;

    /* Abstract names take the leading NUL byte, files the trailing one. */
    if (strlen(path) + 1 > sizeof(un.sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return false;
    }
    socket_addr_clear(a);
    a->type = SOCK_ADDR_UNIX;
    a->path = g_strdup(path);
    a->abstract = abstract;
    return true;
}

bool inet_parse(SockAddr *a, const char *str, GError **errp)
{
    g_autofree char *host = NULL;
    const char *port;

    if (str[0] == '[') {
        const char *close = strchr(str, ']');

        if (!close || close[1] != ':') {
            error_setg(errp, "error parsing address '%s'", str);
            return false;
        }
        host = g_strndup(str + 1, close - str - 1);
        port = close + 2;
    } else {
        const char *colon = strrchr(str, ':');

        if (!colon) {
            error_setg(errp, "error parsing address '%s'", str);
            return false;
        }
        host = g_strndup(str, colon - str);
        port = colon + 1;
    }
    g_autofree char *p = g_strndup(port, strcspn(port, ","));
    socket_addr_set_inet(a, host, p);
    return true;
}

char *socket_addr_to_string(const SockAddr *a)
{
    if (a->type == SOCK_ADDR_UNIX) {
        return g_strdup(a->path);
    }
    if (strchr(a->host, ':')) {
        return g_strdup_printf("[%s]:%s", a->host, a->port);
    }
    return g_strdup_printf("%s:%s", a->host, a->port);
}

/* Resolution */

typedef struct Candidate {
    struct sockaddr_storage ss;
    socklen_t len;
} Candidate;

static socklen_t unix_sockaddr(const SockAddr *a, struct sockaddr_storage *ss)
{
    struct sockaddr_un *un = (struct sockaddr_un *)ss;
    size_t len = strlen(a->path);

    memset(un, 0, sizeof(*un));
    un->sun_family = AF_UNIX;
    if (a->abstract) {
        /* The name is exactly its bytes after the NUL: no padding. */
        memcpy(un->sun_path + 1, a->path, len);
        return offsetof(struct sockaddr_un, sun_path) + 1 + len;
    }
    memcpy(un->sun_path, a->path, len);
    return sizeof(*un);
}

/*
 * Every address a stands for, in getaddrinfo's order.  passive: for bind,
 * where an empty host means any address rather than this machine.
 */
static GArray *resolve_all(const SockAddr *a, bool passive, int type,
                           GError **errp)
{
    GArray *out = g_array_new(false, true, sizeof(Candidate));
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC,
        .ai_socktype = type,
        .ai_flags = passive ? AI_PASSIVE : 0,
    };
    struct addrinfo *res = NULL;
    Candidate c;
    int rc;

    if (a->type == SOCK_ADDR_UNIX) {
        c.len = unix_sockaddr(a, &c.ss);
        g_array_append_val(out, c);
        return out;
    }
    rc = getaddrinfo(a->host[0] ? a->host : NULL, a->port, &hints, &res);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s", a->host,
                   a->port, gai_strerror(rc));
        g_array_free(out, true);
        return NULL;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        memset(&c, 0, sizeof(c));
        memcpy(&c.ss, ai->ai_addr, ai->ai_addrlen);
        c.len = ai->ai_addrlen;
        g_array_append_val(out, c);
    }
    freeaddrinfo(res);
    return out;
}

bool socket_resolve(const SockAddr *a, struct sockaddr_storage *ss,
                    socklen_t *len, GError **errp)
{
    g_autoptr(GArray) all = resolve_all(a, false, SOCK_DGRAM, errp);
    Candidate *pick;

    if (!all) {
        return false;
    }
    pick = &g_array_index(all, Candidate, 0);
    for (guint i = 0; i < all->len; i++) {
        if (g_array_index(all, Candidate, i).ss.ss_family == AF_INET) {
            pick = &g_array_index(all, Candidate, i);
            break;
        }
    }
    *ss = pick->ss;
    *len = pick->len;
    return true;
}

/* Sockets */

void socket_set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

void socket_set_nodelay(int fd)
{
    int one = 1;

    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

void socket_unlink(const SockAddr *a)
{
    if (a->type == SOCK_ADDR_UNIX && !a->abstract) {
        unlink(a->path);
    }
}

int socket_accept(int listen_fd)
{
    int fd;

    do {
        fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

/*
 * A socket bound to the first of a's addresses that takes it, listening
 * too if asked.  Non-blocking.
 */
static int bind_first(const SockAddr *a, int type, bool do_listen,
                      GError **errp)
{
    g_autoptr(GArray) all = resolve_all(a, true, type, errp);
    int err = EADDRNOTAVAIL;
    int one = 1;

    if (!all) {
        return -1;
    }
    /* A socket file left by an earlier run would make bind fail. */
    socket_unlink(a);
    for (guint i = 0; i < all->len; i++) {
        Candidate *c = &g_array_index(all, Candidate, i);
        int fd = socket(c->ss.ss_family, type | SOCK_CLOEXEC, 0);

        if (fd < 0) {
            err = errno;
            continue;
        }
        if (a->type == SOCK_ADDR_INET) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        }
        if (bind(fd, (struct sockaddr *)&c->ss, c->len) < 0) {
            err = errno;
            close(fd);
            continue;
        }
        if (do_listen && listen(fd, 1) < 0) {
            error_setg_errno(errp, errno, "Failed to listen on socket");
            close(fd);
            socket_unlink(a);
            return -1;
        }
        socket_set_nonblock(fd);
        return fd;
    }
    if (a->type == SOCK_ADDR_UNIX) {
        error_setg_errno(errp, err, "Failed to bind socket to %s", a->path);
    } else {
        error_setg_errno(errp, err, "Failed to bind socket");
    }
    return -1;
}

int socket_listen(const SockAddr *a, GError **errp)
{
    return bind_first(a, SOCK_STREAM, true, errp);
}

int socket_bind(const SockAddr *a, int type, GError **errp)
{
    return bind_first(a, type, false, errp);
}

static void connect_error(const SockAddr *a, int err, GError **errp)
{
    g_autofree char *desc = socket_addr_to_string(a);

    error_setg_errno(errp, err, "Failed to connect to '%s'", desc);
}

int socket_connect(const SockAddr *a, GError **errp)
{
    g_autoptr(GArray) all = resolve_all(a, false, SOCK_STREAM, errp);
    int err = ECONNREFUSED;

    if (!all) {
        return -1;
    }
    for (guint i = 0; i < all->len; i++) {
        Candidate *c = &g_array_index(all, Candidate, i);
        int fd = socket(c->ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int rc;

        if (fd < 0) {
            err = errno;
            continue;
        }
        do {
            rc = connect(fd, (struct sockaddr *)&c->ss, c->len);
        } while (rc < 0 && errno == EINTR);
        if (rc == 0) {
            socket_set_nonblock(fd);
            return fd;
        }
        err = errno;
        close(fd);
    }
    connect_error(a, err, errp);
    return -1;
}

/* Connecting from the main loop */

struct SocketConnect {
    SockAddr addr;              /* for the message */
    GArray *all;
    guint next;                 /* candidate to try after the current one */
    int fd;
    int err;                    /* of the last failed attempt */
    guint watch;
    SocketPrepareFunc *prepare;
    SocketConnectFunc *cb;
    void *opaque;
};

static void connecting_free(SocketConnect *c)
{
    if (c->watch) {
        g_source_remove(c->watch);
    }
    socket_addr_clear(&c->addr);
    g_array_free(c->all, true);
    g_free(c);
}

static gboolean connect_ready(gint fd, GIOCondition cond, gpointer data);

/* Start on the next candidate; false when none is left. */
static bool connect_next(SocketConnect *c)
{
    while (c->next < c->all->len) {
        Candidate *cand = &g_array_index(c->all, Candidate, c->next++);
        int fd = socket(cand->ss.ss_family,
                        SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

        if (fd < 0) {
            c->err = errno;
            continue;
        }
        if (c->prepare) {
            c->prepare(fd, cand->ss.ss_family);
        }
        /*
         * Connected at once or in progress: either way the answer comes
         * from the main loop.  Anything else, even EAGAIN from a unix
         * socket with a full backlog, is a failure.
         */
        if (connect(fd, (struct sockaddr *)&cand->ss, cand->len) == 0 ||
            errno == EINPROGRESS) {
            c->fd = fd;
            c->watch = g_unix_fd_add(fd, G_IO_OUT, connect_ready, c);
            return true;
        }
        c->err = errno;
        close(fd);
    }
    return false;
}

static gboolean connect_ready(gint fd, GIOCondition cond, gpointer data)
{
    SocketConnect *c = data;
    socklen_t len = sizeof(c->err);
    GError *err = NULL;

    c->watch = 0;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &c->err, &len) < 0) {
        c->err = errno;
    }
    if (!c->err) {
        c->cb(fd, NULL, c->opaque);
        connecting_free(c);
        return G_SOURCE_REMOVE;
    }
    close(fd);
    c->fd = -1;
    if (connect_next(c)) {
        return G_SOURCE_REMOVE;
    }
    connect_error(&c->addr, c->err, &err);
    c->cb(-1, err, c->opaque);
    connecting_free(c);
    return G_SOURCE_REMOVE;
}

SocketConnect *socket_connect_async(const SockAddr *a,
                                    SocketPrepareFunc *prepare,
                                    SocketConnectFunc *cb, void *opaque,
                                    GError **errp)
{
    GArray *all = resolve_all(a, false, SOCK_STREAM, errp);
    SocketConnect *c;

    if (!all) {
        return NULL;
    }
    c = g_new0(SocketConnect, 1);
    c->addr.type = a->type;
    c->addr.host = g_strdup(a->host);
    c->addr.port = g_strdup(a->port);
    c->addr.path = g_strdup(a->path);
    c->addr.abstract = a->abstract;
    c->all = all;
    c->fd = -1;
    c->err = ECONNREFUSED;
    c->prepare = prepare;
    c->cb = cb;
    c->opaque = opaque;
    if (!connect_next(c)) {
        connect_error(a, c->err, errp);
        connecting_free(c);
        return NULL;
    }
    return c;
}

void socket_connect_cancel(SocketConnect *c)
{
    if (c->fd >= 0) {
        close(c->fd);
    }
    connecting_free(c);
}

/* Where a socket is */

static bool from_sockaddr(const struct sockaddr_storage *ss, socklen_t len,
                          SockAddr *out, GError **errp)
{
    if (ss->ss_family == AF_UNIX) {
        const struct sockaddr_un *un = (const struct sockaddr_un *)ss;
        size_t off = offsetof(struct sockaddr_un, sun_path);
        size_t n = len > off ? len - off : 0;
        bool abstract = n > 0 && un->sun_path[0] == '\0';
        const char *p = un->sun_path + abstract;

        n -= abstract;
        socket_addr_clear(out);
        out->type = SOCK_ADDR_UNIX;
        out->path = g_strndup(p, abstract ? n : strnlen(p, n));
        out->abstract = abstract;
        return true;
    }
    if (ss->ss_family == AF_INET || ss->ss_family == AF_INET6) {
        char host[NI_MAXHOST] = "", port[NI_MAXSERV] = "";
        int rc = getnameinfo((const struct sockaddr *)ss, len, host,
                             sizeof(host), port, sizeof(port),
                             NI_NUMERICHOST | NI_NUMERICSERV);

        if (rc != 0) {
            error_setg(errp, "Cannot format numeric socket address: %s",
                       gai_strerror(rc));
            return false;
        }
        socket_addr_set_inet(out, host, port);
        return true;
    }
    error_setg(errp, "Unknown socket address family %d", ss->ss_family);
    return false;
}

/* getsockname() or getpeername(), which share their signature. */
static bool query_address(int fd, bool peer, SockAddr *out, GError **errp)
{
    struct sockaddr_storage ss = { 0 };
    socklen_t len = sizeof(ss);
    int rc = peer ? getpeername(fd, (struct sockaddr *)&ss, &len)
                  : getsockname(fd, (struct sockaddr *)&ss, &len);

    if (rc < 0) {
        error_setg_errno(errp, errno, "Unable to query %s socket address",
                         peer ? "remote" : "local");
        return false;
    }
    return from_sockaddr(&ss, len, out, errp);
}

bool socket_local_address(int fd, SockAddr *out, GError **errp)
{
    return query_address(fd, false, out, errp);
}

bool socket_peer_address(int fd, SockAddr *out, GError **errp)
{
    return query_address(fd, true, out, errp);
}
