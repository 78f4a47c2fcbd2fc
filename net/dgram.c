/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev dgram (QEMU 7.2+) and the udp= mode of -netdev socket: one frame
 * per datagram, no framing.  The send path is sendmsg() straight from the
 * sender's iovec, so a frame costs no allocation and no copy here.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "net/clients.h"
#include "qapi/error.h"

typedef struct NetDgramState {
    NetClientState *nc;
    int fd;
    NetFdWatch watch;
    struct sockaddr_storage remote;
    socklen_t remote_len;       /* 0: no destination yet */
    bool learn_remote;          /* answer whoever wrote last */
    bool connected;             /* fd is connected to remote */
    char *unlink_path;          /* our bound unix socket */
    uint8_t *buf;               /* NET_BUFSIZE, for reading */
} NetDgramState;

static void dgram_update_watch(NetDgramState *s)
{
    net_fd_watch_set(&s->watch, net_fd_watch_wanted(s->nc));
}

/*
 * A connected socket skips the per-datagram address lookup (for a unix
 * path, a filesystem walk): it doubles the frame rate.  It also means only
 * remote may send to us, which is what remote= says anyway.
 */
static void dgram_connect(NetDgramState *s)
{
    if (s->learn_remote) {
        return;
    }
    s->connected = connect(s->fd, (struct sockaddr *)&s->remote,
                           s->remote_len) == 0;
}

static ssize_t dgram_receive(NetClientState *nc, const struct iovec *iov,
                             int iovcnt)
{
    NetDgramState *s = nc->opaque;
    struct msghdr msg = {
        .msg_name = s->connected ? NULL : &s->remote,
        .msg_namelen = s->connected ? 0 : s->remote_len,
        .msg_iov = (struct iovec *)iov,
        .msg_iovlen = iovcnt,
    };
    g_autofree uint8_t *flat = NULL;
    struct iovec one;
    size_t size = 0;
    ssize_t n;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (iovcnt > IOV_MAX) {
        /* More pieces than sendmsg takes: rare enough to copy. */
        flat = g_malloc(size);
        one.iov_base = flat;
        one.iov_len = net_iov_to_buf(iov, iovcnt, flat);
        msg.msg_iov = &one;
        msg.msg_iovlen = 1;
    }
    if (!s->remote_len) {
        nc->rx_dropped++;       /* nobody to send to yet */
        return size;
    }
    do {
        n = sendmsg(s->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 &&
        (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS)) {
        net_fd_watch_set(&s->watch, s->watch.cond | G_IO_OUT);
        return 0;
    }
    if (n < 0) {
        /* No listener at the other end (yet): the frame is lost. */
        nc->rx_dropped++;
        if (s->connected || errno == ENOTCONN) {
            /* A unix peer that went away unconnects us; try again. */
            dgram_connect(s);
        }
    }
    return size;
}

static gboolean dgram_ready(int fd, GIOCondition cond, void *opaque)
{
    NetDgramState *s = opaque;

    if (cond & G_IO_OUT) {
        qemu_flush_queued_packets(s->nc);
    }
    if (cond & G_IO_IN) {
        for (int i = 0; i < 64 && qemu_can_send_packet(s->nc); i++) {
            struct sockaddr_storage from;
            socklen_t fromlen = sizeof(from);
            ssize_t n = recvfrom(fd, s->buf, NET_BUFSIZE, MSG_DONTWAIT,
                                 (struct sockaddr *)&from, &fromlen);

            if (n < 0) {
                break;
            }
            if (s->learn_remote && fromlen > sizeof(sa_family_t)) {
                memcpy(&s->remote, &from, fromlen);
                s->remote_len = fromlen;
            }
            qemu_send_packet(s->nc, s->buf, n);
        }
    }
    dgram_update_watch(s);
    return G_SOURCE_CONTINUE;
}

static void dgram_send_ready(NetClientState *nc)
{
    dgram_update_watch(nc->opaque);
}

static void dgram_cleanup(NetClientState *nc)
{
    NetDgramState *s = nc->opaque;

    net_fd_watch_stop(&s->watch);
    close(s->fd);
    if (s->unlink_path) {
        unlink(s->unlink_path);
    }
    g_free(s->unlink_path);
    g_free(s->buf);
    g_free(s);
}

static const NetClientInfo dgram_info = {
    .type = "dgram",
    .receive_iov = dgram_receive,
    .send_ready = dgram_send_ready,
    .cleanup = dgram_cleanup,
};

NetClientState *net_dgram_new(const char *model, const char *id,
                              const SockAddr *local,
                              const SockAddr *remote, GError **errp)
{
    struct sockaddr_storage to = { 0 };
    socklen_t to_len = 0;
    NetDgramState *s;
    int fd;

    if (remote && !socket_resolve(remote, &to, &to_len, errp)) {
        return NULL;
    }
    if (local) {
        struct sockaddr_storage me = { 0 };
        socklen_t me_len = sizeof(me);

        fd = socket_bind(local, SOCK_DGRAM, errp);
        if (fd < 0) {
            return NULL;
        }
        getsockname(fd, (struct sockaddr *)&me, &me_len);
        if (remote && me.ss_family != to.ss_family) {
            error_setg(errp, "local and remote addresses are not of the same "
                       "family");
            close(fd);
            socket_unlink(local);
            return NULL;
        }
    } else {
        fd = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    0);
        if (fd < 0) {
            error_setg_errno(errp, errno, "can't create datagram socket");
            return NULL;
        }
    }
    s = g_new0(NetDgramState, 1);
    s->fd = fd;
    s->buf = g_malloc(NET_BUFSIZE);
    if (remote) {
        s->remote = to;
        s->remote_len = to_len;
    } else {
        s->learn_remote = true;
    }
    dgram_connect(s);
    if (local && local->type == SOCK_ADDR_UNIX && !local->abstract) {
        s->unlink_path = g_strdup(local->path);
    }
    s->nc = qemu_new_net_client(&dgram_info, NULL, model, id, s);
    s->watch.fd = -1;
    net_fd_watch_init(&s->watch, fd, dgram_ready, s);
    dgram_update_watch(s);
    return s->nc;
}

NetClientState *net_init_dgram(QemuOpts *opts, const char *id, GError **errp)
{
    static const char *const prefixes[] = { "local", "remote", NULL };
    g_auto(SockAddr) local = { 0 };
    g_auto(SockAddr) remote = { 0 };
    bool has_local = qemu_opt_get(opts, "local.type") != NULL;
    bool has_remote = qemu_opt_get(opts, "remote.type") != NULL;
    NetClientState *nc = NULL;

    if (!net_opts_check(opts, NULL, prefixes, errp)) {
        return NULL;
    }
    if (!has_local && !has_remote) {
        error_setg(errp, "local or remote must be specified");
        return NULL;
    }
    if (!has_local) {
        /* QEMU needs local= unless remote is a multicast group. */
        error_setg(errp, "dgram requires local= parameter");
        return NULL;
    }
    if (net_parse_sockaddr(opts, "local", &local, errp) &&
        (!has_remote || net_parse_sockaddr(opts, "remote", &remote, errp))) {
        nc = net_dgram_new("dgram", id, &local, has_remote ? &remote : NULL,
                           errp);
    }
    return nc;
}
