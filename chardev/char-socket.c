/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The socket backend: unix or tcp, as a server (one client at a time; the
 * next is accepted when the current one leaves) or as a client connecting
 * at creation.  libqtest relies on the client mode: it listens, and the
 * binary connects to it.
 */
#include "chardev/char-internal.h"

#include <errno.h>
#include <glib-unix.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qapi/error.h"
#include "qemu/main-loop.h"

typedef struct SocketChardev {
    bool is_unix;
    bool is_listen;
    char *path;                 /* unix */
    char *host, *port;          /* tcp */
    int listen_fd;
    guint accept_id;
    bool unlink_path;           /* we created the listening socket file */
    uint64_t reconnect_s;       /* client: retry period, 0 = never */
    guint reconnect_id;
} SocketChardev;

static const char *const socket_params[] = {
    "path", "host", "port", "to", "ipv4", "ipv6", "server", "wait",
    "nodelay", "reconnect", NULL,
};

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void socket_connected(Chardev *chr, int fd)
{
    SocketChardev *s = chr->be_opaque;
    int one = 1;

    set_nonblock(fd);
    if (!s->is_unix) {
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    }
    chr_connect(chr, fd, fd, true, true);
}

static bool unix_addr(const char *path, struct sockaddr_un *sun,
                      GError **errp)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path)) {
        error_setg(errp, "UNIX socket path '%s' is too long", path);
        return false;
    }
    strcpy(sun->sun_path, path);
    return true;
}

static int unix_connect(const char *path, GError **errp)
{
    struct sockaddr_un sun;
    int fd;

    if (!unix_addr(path, &sun, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    while (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        if (errno != EINTR) {
            error_setg_errno(errp, errno, "Failed to connect to '%s'", path);
            close(fd);
            return -1;
        }
    }
    return fd;
}

static int unix_listen(const char *path, GError **errp)
{
    struct sockaddr_un sun;
    int fd;

    if (!unix_addr(path, &sun, errp)) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "Failed to create socket");
        return -1;
    }
    /* A stale socket file from an earlier run would make bind fail. */
    unlink(path);
    if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        error_setg_errno(errp, errno, "Failed to bind socket to %s", path);
        close(fd);
        return -1;
    }
    if (listen(fd, 1) < 0) {
        error_setg_errno(errp, errno, "Failed to listen on socket");
        close(fd);
        unlink(path);
        return -1;
    }
    return fd;
}

static struct addrinfo *tcp_resolve(const char *host, const char *port,
                                    bool passive, GError **errp)
{
    struct addrinfo hints = {
        .ai_family = AF_UNSPEC,
        .ai_socktype = SOCK_STREAM,
        .ai_flags = passive ? AI_PASSIVE : 0,
    };
    struct addrinfo *res = NULL;
    int rc;

    rc = getaddrinfo(host && *host ? host : NULL, port, &hints, &res);
    if (rc != 0) {
        error_setg(errp, "address resolution failed for %s:%s: %s",
                   host ? host : "", port, gai_strerror(rc));
        return NULL;
    }
    return res;
}

static int tcp_connect(const char *host, const char *port, GError **errp)
{
    struct addrinfo *res = tcp_resolve(host, port, false, errp);
    int err = ECONNREFUSED;
    int fd = -1;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "Failed to connect to '%s:%s'",
                         host ? host : "", port);
    }
    return fd;
}

static int tcp_listen(const char *host, const char *port, GError **errp)
{
    struct addrinfo *res = tcp_resolve(host, port, true, errp);
    int err = EADDRNOTAVAIL;
    int fd = -1;
    int one = 1;

    if (!res) {
        return -1;
    }
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
                    ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
            listen(fd, 1) == 0) {
            break;
        }
        err = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        error_setg_errno(errp, err, "Failed to bind socket");
    }
    return fd;
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    SocketChardev *s = chr->be_opaque;
    int cfd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);

    if (cfd < 0) {
        return G_SOURCE_CONTINUE;   /* EAGAIN, or the client gave up */
    }
    /* One client at a time: stop accepting until this one leaves. */
    s->accept_id = 0;
    socket_connected(chr, cfd);
    return G_SOURCE_REMOVE;
}

static void start_listening(Chardev *chr)
{
    SocketChardev *s = chr->be_opaque;

    if (s->listen_fd >= 0 && !s->accept_id) {
        s->accept_id = g_unix_fd_add(s->listen_fd, G_IO_IN, on_accept, chr);
    }
}

static int socket_try_connect(SocketChardev *s, GError **errp)
{
    return s->is_unix ? unix_connect(s->path, errp)
                      : tcp_connect(s->host, s->port, errp);
}

static gboolean on_reconnect(gpointer data)
{
    Chardev *chr = data;
    SocketChardev *s = chr->be_opaque;
    int fd;

    if (chr->connected) {
        s->reconnect_id = 0;
        return G_SOURCE_REMOVE;
    }
    fd = socket_try_connect(s, NULL);
    if (fd < 0) {
        return G_SOURCE_CONTINUE;
    }
    s->reconnect_id = 0;
    socket_connected(chr, fd);
    return G_SOURCE_REMOVE;
}

static void schedule_reconnect(Chardev *chr)
{
    SocketChardev *s = chr->be_opaque;

    if (s->reconnect_s && !s->reconnect_id) {
        s->reconnect_id = g_timeout_add_seconds(s->reconnect_s, on_reconnect,
                                                chr);
    }
}

static void socket_on_disconnect(Chardev *chr)
{
    SocketChardev *s = chr->be_opaque;

    if (s->is_listen) {
        start_listening(chr);
    } else {
        schedule_reconnect(chr);
    }
}

static void socket_close(Chardev *chr)
{
    SocketChardev *s = chr->be_opaque;

    if (!s) {
        return;
    }
    if (s->accept_id) {
        g_source_remove(s->accept_id);
    }
    if (s->reconnect_id) {
        g_source_remove(s->reconnect_id);
    }
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        if (s->unlink_path) {
            unlink(s->path);
        }
    }
    g_free(s->path);
    g_free(s->host);
    g_free(s->port);
    g_free(s);
    chr->be_opaque = NULL;
}

/* True/false for a boolean option; *given tells whether it was set. */
static bool get_bool(QemuOpts *opts, const char *name, bool def, bool *given,
                     GError **errp)
{
    if (given) {
        *given = qemu_opt_has(opts, name);
    }
    return qemu_opt_get_bool(opts, name, def, errp);
}

bool chr_open_socket(Chardev *chr, QemuOpts *opts, GError **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    const char *host = qemu_opt_get(opts, "host");
    const char *port = qemu_opt_get(opts, "port");
    GError *err = NULL;
    bool has_wait = false, is_listen, is_wait = true;
    uint64_t reconnect = 0;
    SocketChardev *s;

    if (!chr_check_params(opts, socket_params, errp)) {
        return false;
    }
    is_listen = get_bool(opts, "server", false, NULL, &err);
    if (!err) {
        is_wait = get_bool(opts, "wait", true, &has_wait, &err);
    }
    if (!err && qemu_opt_has(opts, "reconnect")) {
        const char *r = qemu_opt_get(opts, "reconnect");
        char *end;
        reconnect = g_ascii_strtoull(r, &end, 10);
        if (!*r || *end) {
            error_setg(&err, "Parameter 'reconnect' expects a number");
        }
    }
    if (err) {
        g_propagate_error(errp, err);
        return false;
    }
    if (!path) {
        if (!host) {
            error_setg(errp, "chardev: socket: no host given");
            return false;
        }
        if (!port) {
            error_setg(errp, "chardev: socket: no port given");
            return false;
        }
    }
    if (!is_listen && has_wait) {
        error_setg(errp, "'wait' option is incompatible with socket in "
                   "client connect mode");
        return false;
    }
    if (is_listen && reconnect) {
        error_setg(errp, "'reconnect' option is incompatible with socket in "
                   "server listen mode");
        return false;
    }

    s = g_new0(SocketChardev, 1);
    s->is_unix = path != NULL;
    s->is_listen = is_listen;
    s->path = g_strdup(path);
    s->host = g_strdup(host);
    s->port = g_strdup(port);
    s->listen_fd = -1;
    s->reconnect_s = reconnect;
    chr->be_opaque = s;
    chr->close = socket_close;
    chr->on_disconnect = socket_on_disconnect;
    if (s->is_unix) {
        chr->filename = g_strdup_printf("unix:%s%s", path,
                                        is_listen ? ",server=on" : "");
    } else {
        chr->filename = g_strdup_printf("tcp:%s:%s%s", host, port,
                                        is_listen ? ",server=on" : "");
    }

    if (!is_listen) {
        int fd = socket_try_connect(s, reconnect ? NULL : errp);
        if (fd < 0) {
            if (!reconnect) {
                return false;
            }
            schedule_reconnect(chr);
            return true;
        }
        socket_connected(chr, fd);
        return true;
    }

    s->listen_fd = s->is_unix ? unix_listen(path, errp)
                              : tcp_listen(host, port, errp);
    if (s->listen_fd < 0) {
        return false;
    }
    s->unlink_path = s->is_unix;
    set_nonblock(s->listen_fd);
    start_listening(chr);
    if (is_wait) {
        /*
         * As QEMU at start-up: block until the first client is there.  The
         * main loop spins meanwhile so that SIGTERM is still honoured.
         */
        fprintf(stderr, "baton-system-x86_64: info: QEMU waiting for "
                "connection on: disconnected:%s\n", chr->filename);
        main_loop_init_signals();
        while (!chr->connected && !main_loop_exit_requested()) {
            g_main_context_iteration(NULL, TRUE);
        }
    }
    return true;
}
