/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tcp: and unix: URIs.  The source connects without blocking the main
 * loop; the destination listens and takes the first connection.
 */
#include "migration/internal.h"

#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "qapi/error.h"

/* "host:port", "[v6addr]:port"; host may be empty. */
static bool split_host_port(const char *s, char **host, char **port,
                            GError **errp)
{
    const char *colon;

    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':') {
            error_setg(errp, "error parsing address '%s'", s);
            return false;
        }
        *host = g_strndup(s + 1, close - s - 1);
        *port = g_strdup(close + 2);
        return true;
    }
    colon = strrchr(s, ':');
    if (!colon) {
        error_setg(errp, "error parsing address '%s'", s);
        return false;
    }
    *host = g_strndup(s, colon - s);
    *port = g_strdup(colon + 1);
    /* Options after a comma (",ipv4", ...) are accepted and ignored. */
    char *comma = strchr(*port, ',');
    if (comma) {
        *comma = 0;
    }
    return true;
}

static struct addrinfo *resolve(const char *host, const char *port,
                                bool passive, GError **errp)
{
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = passive ? AI_PASSIVE : 0,
    };
    struct addrinfo *res = NULL;
    int r;

    if (!*host || !strcmp(host, "0")) {
        host = passive ? NULL : "localhost";
        if (passive) {
            hints.ai_family = AF_INET;
        }
    }
    r = getaddrinfo(host, port, &hints, &res);
    if (r) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   host ? host : "", port, gai_strerror(r));
        return NULL;
    }
    return res;
}

static void tune_socket(int fd, int family)
{
    int one = 1;
    int size = 4 << 20;

    if (family != AF_UNIX) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

/* Outgoing */

typedef struct Connecting {
    int fd;
    guint watch;
    char *desc;                 /* for the error message */
    MigConnectedFunc *cb;
    void *opaque;
} Connecting;

static Connecting *connecting;

static void connecting_free(Connecting *c)
{
    if (c->watch) {
        g_source_remove(c->watch);
    }
    g_free(c->desc);
    g_free(c);
}

static gboolean connect_done(gint fd, GIOCondition cond, gpointer data)
{
    Connecting *c = data;
    int err = 0;
    socklen_t len = sizeof(err);
    GError *gerr = NULL;

    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
        err = errno;
    }
    c->watch = 0;
    connecting = NULL;
    if (err) {
        error_setg_errno(&gerr, err, "Failed to connect to '%s'", c->desc);
        close(fd);
        fd = -1;
    }
    c->cb(fd, 0, gerr, c->opaque);
    connecting_free(c);
    return G_SOURCE_REMOVE;
}

bool mig_socket_connect(const char *addr, bool is_unix, MigConnectedFunc *cb,
                        void *opaque, GError **errp)
{
    Connecting *c = g_new0(Connecting, 1);
    GError *err = NULL;
    int fd = -1;
    int r = -1;
    int saved_errno = 0;

    c->cb = cb;
    c->opaque = opaque;
    c->desc = g_strdup(addr);
    if (is_unix) {
        struct sockaddr_un un = { .sun_family = AF_UNIX };
        if (strlen(addr) >= sizeof(un.sun_path)) {
            error_setg(&err, "UNIX socket path '%s' is too long", addr);
            goto fail;
        }
        strcpy(un.sun_path, addr);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0) {
            error_setg_errno(&err, errno, "Failed to create socket");
            goto fail;
        }
        tune_socket(fd, AF_UNIX);
        r = connect(fd, (struct sockaddr *)&un, sizeof(un));
        saved_errno = errno;
    } else {
        g_autofree char *host = NULL, *port = NULL;
        struct addrinfo *res, *ai;

        if (!split_host_port(addr, &host, &port, &err) ||
            !(res = resolve(host, port, false, &err))) {
            goto fail;
        }
        /* The first address family that gives a socket; no fallbacks. */
        for (ai = res; ai; ai = ai->ai_next) {
            fd = socket(ai->ai_family,
                        SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
            if (fd >= 0) {
                tune_socket(fd, ai->ai_family);
                r = connect(fd, ai->ai_addr, ai->ai_addrlen);
                saved_errno = errno;
                break;
            }
        }
        freeaddrinfo(res);
        if (fd < 0) {
            error_setg_errno(&err, errno, "Failed to create socket");
            goto fail;
        }
    }
    /* A unix socket with a full backlog says EAGAIN: that is a failure. */
    if (r < 0 && saved_errno != EINPROGRESS) {
        error_setg_errno(&err, saved_errno, "Failed to connect to '%s'",
                         addr);
        close(fd);
        goto fail;
    }
    /* Connected or in progress: report from the main loop either way. */
    c->fd = fd;
    c->watch = g_unix_fd_add(fd, G_IO_OUT, connect_done, c);
    connecting = c;
    return true;

fail:
    /* Asynchronous like QEMU: migrate returns {}, then the state fails. */
    cb(-1, 0, err, opaque);
    connecting_free(c);
    return true;
}

void mig_socket_connect_cancel(void)
{
    if (connecting) {
        close(connecting->fd);
        connecting_free(connecting);
        connecting = NULL;
    }
}

/* Incoming */

typedef struct Listening {
    int fd;
    char *unix_path;
    MigAcceptFunc *cb;
    void *opaque;
} Listening;

static gboolean accept_ready(gint lfd, GIOCondition cond, gpointer data)
{
    Listening *l = data;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

    if (fd < 0) {
        return errno == EINTR || errno == EAGAIN ? G_SOURCE_CONTINUE
                                                 : G_SOURCE_REMOVE;
    }
    tune_socket(fd, AF_INET);
    close(lfd);
    /* QEMU leaves the socket file behind; so do we. */
    l->cb(fd, 0, l->opaque);
    g_free(l->unix_path);
    g_free(l);
    return G_SOURCE_REMOVE;
}

static MigrationSocketAddressList *describe(int fd, bool is_unix,
                                            const char *path)
{
    MigrationSocketAddressList *list = g_new0(MigrationSocketAddressList, 1);
    MigrationSocketAddress *a = g_new0(MigrationSocketAddress, 1);
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    char host[NI_MAXHOST] = "", port[NI_MAXSERV] = "";

    list->value = a;
    if (is_unix) {
        a->type = SOCKET_ADDRESS_TYPE_UNIX;
        a->path = g_strdup(path);
        return list;
    }
    a->type = SOCKET_ADDRESS_TYPE_INET;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        getnameinfo((struct sockaddr *)&ss, len, host, sizeof(host), port,
                    sizeof(port), NI_NUMERICHOST | NI_NUMERICSERV);
    }
    a->host = g_strdup(host);
    a->port = g_strdup(port);
    return list;
}

bool mig_socket_listen(const char *addr, bool is_unix, MigAcceptFunc *cb,
                       void *opaque, MigrationSocketAddressList **addrs,
                       GError **errp)
{
    int fd = -1;
    int one = 1;

    if (is_unix) {
        struct sockaddr_un un = { .sun_family = AF_UNIX };
        if (strlen(addr) >= sizeof(un.sun_path)) {
            error_setg(errp, "UNIX socket path '%s' is too long", addr);
            return false;
        }
        strcpy(un.sun_path, addr);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        unlink(addr);
        if (fd < 0 || bind(fd, (struct sockaddr *)&un, sizeof(un)) < 0) {
            error_setg_errno(errp, errno, "Failed to bind socket to %s",
                             addr);
            goto fail;
        }
    } else {
        g_autofree char *host = NULL, *port = NULL;
        struct addrinfo *res;

        if (!split_host_port(addr, &host, &port, errp) ||
            !(res = resolve(host, port, true, errp))) {
            return false;
        }
        fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        }
        if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) < 0) {
            error_setg_errno(errp, errno, "Failed to bind socket");
            freeaddrinfo(res);
            goto fail;
        }
        freeaddrinfo(res);
    }
    if (listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket");
        goto fail;
    }
    Listening *l = g_new0(Listening, 1);
    l->fd = fd;
    l->cb = cb;
    l->opaque = opaque;
    l->unix_path = is_unix ? g_strdup(addr) : NULL;
    *addrs = describe(fd, is_unix, addr);
    g_unix_fd_add(fd, G_IO_IN, accept_ready, l);
    return true;

fail:
    if (fd >= 0) {
        close(fd);
    }
    return false;
}
