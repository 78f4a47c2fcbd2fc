/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The socket backend: unix or tcp, as a server (one client at a time; the
 * next is accepted when the current one leaves) or as a client connecting
 * at creation.  libqtest relies on the client mode: it listens, and the
 * binary connects to it.  fd=N takes a socket the parent process opened:
 * libvirt passes a listening one for server=on, a connected one otherwise.
 */
#include "chardev/char-internal.h"

#include <errno.h>
#include <glib-unix.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "qapi/error.h"
#include "qemu/main-loop.h"
#include "qemu/sockets.h"

typedef struct SocketChardev {
    SockAddr addr;
    bool is_listen;
    int listen_fd;
    guint accept_id;
    bool unlink_path;           /* we created the listening socket file */
    uint64_t reconnect_s;       /* client: retry period, 0 = never */
    guint reconnect_id;
} SocketChardev;

static const char *const socket_params[] = {
    "path", "host", "port", "to", "ipv4", "ipv6", "server", "wait",
    "nodelay", "reconnect", "fd", NULL,
};

/* fd=N: an inherited descriptor, which must be a socket. */
static int socket_get_inherited_fd(const char *str, GError **errp)
{
    char *end;
    guint64 n = g_ascii_strtoull(str, &end, 10);
    struct stat st;

    if (!*str || *end || n > G_MAXINT) {
        error_setg(errp, "Unable to parse FD number %s: Invalid argument",
                   str);
        return -1;
    }
    if (fstat((int)n, &st) < 0 || !S_ISSOCK(st.st_mode)) {
        error_setg(errp, "File descriptor '%s' is not a socket", str);
        return -1;
    }
    return (int)n;
}

static void socket_connected(Chardev *chr, int fd)
{
    SocketChardev *s = chr->be_opaque;

    socket_set_nonblock(fd);
    if (s->addr.type == SOCK_ADDR_INET) {
        socket_set_nodelay(fd);
    }
    chr_connect(chr, fd, fd, true, true);
}

static gboolean on_accept(gint fd, GIOCondition cond, gpointer data)
{
    Chardev *chr = data;
    SocketChardev *s = chr->be_opaque;
    int cfd = socket_accept(s->listen_fd);

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

static gboolean on_reconnect(gpointer data)
{
    Chardev *chr = data;
    SocketChardev *s = chr->be_opaque;
    int fd;

    if (chr->connected) {
        s->reconnect_id = 0;
        return G_SOURCE_REMOVE;
    }
    fd = socket_connect(&s->addr, NULL);
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
            socket_unlink(&s->addr);
        }
    }
    socket_addr_clear(&s->addr);
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

static void socket_wait_for_client(Chardev *chr)
{
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

static bool socket_open_fd(Chardev *chr, const char *fdstr, bool is_listen,
                           bool is_wait, uint64_t reconnect, GError **errp)
{
    SocketChardev *s;
    int fd;

    if (reconnect) {
        /* An inherited socket cannot be opened again. */
        error_setg(errp, "'reconnect' option is incompatible with 'fd'");
        return false;
    }
    fd = socket_get_inherited_fd(fdstr, errp);
    if (fd < 0) {
        return false;
    }
    s = g_new0(SocketChardev, 1);
    s->is_listen = is_listen;
    s->listen_fd = -1;
    chr->be_opaque = s;
    chr->close = socket_close;
    chr->on_disconnect = socket_on_disconnect;
    chr->filename = g_strdup_printf("fd:%s%s", fdstr,
                                    is_listen ? ",server=on" : "");
    if (!is_listen) {
        socket_connected(chr, fd);
        return true;
    }
    /* libvirt hands over a listening socket; listen() again is harmless. */
    if (listen(fd, 1) < 0) {
        error_setg(errp, "Failed to listen on socket: %s", g_strerror(errno));
        return false;
    }
    socket_set_nonblock(fd);
    s->listen_fd = fd;
    start_listening(chr);
    if (is_wait) {
        socket_wait_for_client(chr);
    }
    return true;
}

bool chr_open_socket(Chardev *chr, QemuOpts *opts, GError **errp)
{
    const char *path = qemu_opt_get(opts, "path");
    const char *host = qemu_opt_get(opts, "host");
    const char *port = qemu_opt_get(opts, "port");
    const char *fdstr = qemu_opt_get(opts, "fd");
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
    if ((path != NULL) + (host != NULL) + (fdstr != NULL) > 1) {
        error_setg(errp, "chardev: socket: 'path', 'host' and 'fd' are "
                   "mutually exclusive");
        return false;
    }
    if (!path && !fdstr) {
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

    if (fdstr) {
        return socket_open_fd(chr, fdstr, is_listen, is_wait, reconnect,
                              errp);
    }
    s = g_new0(SocketChardev, 1);
    if (path) {
        if (!socket_addr_set_unix(&s->addr, path, false, errp)) {
            g_free(s);
            return false;
        }
    } else {
        socket_addr_set_inet(&s->addr, host, port);
    }
    s->is_listen = is_listen;
    s->listen_fd = -1;
    s->reconnect_s = reconnect;
    chr->be_opaque = s;
    chr->close = socket_close;
    chr->on_disconnect = socket_on_disconnect;
    if (path) {
        chr->filename = g_strdup_printf("unix:%s%s", path,
                                        is_listen ? ",server=on" : "");
    } else {
        chr->filename = g_strdup_printf("tcp:%s:%s%s", host, port,
                                        is_listen ? ",server=on" : "");
    }

    if (!is_listen) {
        int fd = socket_connect(&s->addr, reconnect ? NULL : errp);
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

    s->listen_fd = socket_listen(&s->addr, errp);
    if (s->listen_fd < 0) {
        return false;
    }
    s->unlink_path = path != NULL;
    start_listening(chr);
    if (is_wait) {
        socket_wait_for_client(chr);
    }
    return true;
}
