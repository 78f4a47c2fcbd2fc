/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev dgram (QEMU 7.2+) and the udp= mode of -netdev socket: one frame
 * per datagram, no framing.  The send path is sendmsg() straight from the
 * sender's iovec, so a frame costs no allocation and no copy here; a burst
 * from the NIC (one kick) leaves in one sendmmsg(), and reading takes many
 * datagrams per recvmmsg().
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>

#include "net/clients.h"
#include "qapi/error.h"

/*
 * A batch (net.h): up to DGRAM_BATCH frames, their pieces pointing at the
 * sender's memory, sent with one sendmmsg() when the batch ends.  Reading,
 * DGRAM_RX_BATCH datagrams come with one recvmmsg().
 */
#define DGRAM_BATCH 64
#define DGRAM_BATCH_IOV 1024
#define DGRAM_RX_BATCH 32

typedef struct NetDgramState {
    NetClientState *nc;
    int fd;
    NetFdWatch watch;
    struct sockaddr_storage remote;
    socklen_t remote_len;       /* 0: no destination yet */
    bool learn_remote;          /* answer whoever wrote last */
    bool connected;             /* fd is connected to remote */
    bool no_connect;            /* passed fd or multicast: never connect() */
    char *unlink_path;          /* our bound unix socket */
    /* frames held in the current batch */
    struct mmsghdr out[DGRAM_BATCH];
    struct iovec out_iov[DGRAM_BATCH_IOV];
    unsigned int out_n, out_iov_n;
    /* reading: DGRAM_RX_BATCH buffers of NET_BUFSIZE, allocated on use */
    uint8_t *in_buf;
    struct mmsghdr in[DGRAM_RX_BATCH];
    struct iovec in_iov[DGRAM_RX_BATCH];
    struct sockaddr_storage in_from[DGRAM_RX_BATCH];
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
    if (s->learn_remote || s->no_connect) {
        return;
    }
    s->connected = connect(s->fd, (struct sockaddr *)&s->remote,
                           s->remote_len) == 0;
}

static bool dgram_would_block(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS;
}

/* A frame the socket refused for good: lost, counted, reconnect. */
static void dgram_lost(NetDgramState *s, int err)
{
    /* No listener at the other end (yet): the frame is lost. */
    s->nc->rx_dropped++;
    if (s->connected || err == ENOTCONN) {
        /* A unix peer that went away unconnects us; try again. */
        dgram_connect(s);
    }
}

/*
 * Send the batch.  What the socket cannot take now goes back, in order, to
 * the head of our queue (copied: the sender's memory is given back when
 * the batch ends) and waits for G_IO_OUT.
 */
static void dgram_flush_batch(NetDgramState *s)
{
    unsigned int done = 0;

    while (done < s->out_n) {
        int n = sendmmsg(s->fd, s->out + done, s->out_n - done,
                         MSG_DONTWAIT | MSG_NOSIGNAL);

        if (n > 0) {
            done += n;
        } else if (errno == EINTR) {
            continue;
        } else if (dgram_would_block(errno)) {
            for (unsigned int i = done; i < s->out_n; i++) {
                struct msghdr *m = &s->out[i].msg_hdr;

                qemu_net_queue_insert(s->nc, i - done, m->msg_iov,
                                      m->msg_iovlen);
            }
            net_fd_watch_set(&s->watch, s->watch.cond | G_IO_OUT);
            break;
        } else {
            dgram_lost(s, errno);
            done++;
        }
    }
    s->out_n = 0;
    s->out_iov_n = 0;
}

/* Hold the frame for the batch's sendmmsg; false if it must wait. */
static bool dgram_batch_add(NetDgramState *s, const struct iovec *iov,
                            int iovcnt)
{
    struct msghdr *m;

    if (s->out_n == DGRAM_BATCH || s->out_iov_n + iovcnt > DGRAM_BATCH_IOV) {
        dgram_flush_batch(s);
        if (!g_queue_is_empty(s->nc->queue)) {
            return false;       /* behind the frames put back */
        }
    }
    memcpy(s->out_iov + s->out_iov_n, iov, iovcnt * sizeof(*iov));
    m = &s->out[s->out_n++].msg_hdr;
    *m = (struct msghdr) {
        .msg_name = s->connected ? NULL : &s->remote,
        .msg_namelen = s->connected ? 0 : s->remote_len,
        .msg_iov = s->out_iov + s->out_iov_n,
        .msg_iovlen = iovcnt,
    };
    s->out_iov_n += iovcnt;
    return true;
}

static void dgram_batch_end(NetClientState *nc)
{
    dgram_flush_batch(nc->opaque);
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
    if (!s->remote_len && !s->connected) {
        nc->rx_dropped++;       /* nobody to send to yet */
        return size;
    }
    if (nc->batch_depth && iovcnt <= DGRAM_BATCH_IOV) {
        return dgram_batch_add(s, iov, iovcnt) ? size : 0;
    }
    /* Alone: after what a batch holds, so order is kept. */
    if (s->out_n) {
        dgram_flush_batch(s);
        if (!g_queue_is_empty(nc->queue)) {
            return 0;
        }
    }
    if (iovcnt > IOV_MAX) {
        /* More pieces than sendmsg takes: rare enough to copy. */
        flat = g_malloc(size);
        one.iov_base = flat;
        one.iov_len = net_iov_to_buf(iov, iovcnt, flat);
        msg.msg_iov = &one;
        msg.msg_iovlen = 1;
    }
    do {
        n = sendmsg(s->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && dgram_would_block(errno)) {
        net_fd_watch_set(&s->watch, s->watch.cond | G_IO_OUT);
        return 0;
    }
    if (n < 0) {
        dgram_lost(s, errno);
    }
    return size;
}

/*
 * Up to two recvmmsg() of DGRAM_RX_BATCH datagrams, handed to the peer as
 * one batch (one interrupt).  What the peer cannot take waits in its
 * queue; we stop reading until it drains.
 */
static void dgram_read(NetDgramState *s)
{
    NetClientState *peer;

    if (!s->in_buf) {
        s->in_buf = g_malloc((size_t)DGRAM_RX_BATCH * NET_BUFSIZE);
    }
    peer = qemu_net_batch_begin(s->nc);
    for (int round = 0; round < 2 && qemu_can_send_packet(s->nc); round++) {
        int n;

        for (int i = 0; i < DGRAM_RX_BATCH; i++) {
            s->in_iov[i].iov_base = s->in_buf + (size_t)i * NET_BUFSIZE;
            s->in_iov[i].iov_len = NET_BUFSIZE;
            s->in[i].msg_hdr = (struct msghdr) {
                .msg_name = &s->in_from[i],
                .msg_namelen = sizeof(s->in_from[i]),
                .msg_iov = &s->in_iov[i],
                .msg_iovlen = 1,
            };
        }
        n = recvmmsg(s->fd, s->in, DGRAM_RX_BATCH, MSG_DONTWAIT, NULL);
        if (n <= 0) {
            break;
        }
        for (int i = 0; i < n; i++) {
            socklen_t fromlen = s->in[i].msg_hdr.msg_namelen;

            if (s->learn_remote && fromlen > sizeof(sa_family_t)) {
                memcpy(&s->remote, &s->in_from[i], fromlen);
                s->remote_len = fromlen;
            }
            qemu_send_packet(s->nc, s->in_iov[i].iov_base,
                             s->in[i].msg_len);
        }
        if (n < DGRAM_RX_BATCH) {
            break;
        }
    }
    qemu_net_batch_end(peer);
}

static gboolean dgram_ready(int fd, GIOCondition cond, void *opaque)
{
    NetDgramState *s = opaque;

    if (cond & G_IO_OUT) {
        qemu_flush_queued_packets(s->nc);
    }
    if (cond & G_IO_IN) {
        dgram_read(s);
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
    g_free(s->in_buf);
    g_free(s);
}

static const NetClientInfo dgram_info = {
    .type = "dgram",
    .receive_iov = dgram_receive,
    .send_ready = dgram_send_ready,
    .batch_end = dgram_batch_end,
    .cleanup = dgram_cleanup,
};

static NetDgramState *dgram_state_new(const char *model, const char *id,
                                      int fd)
{
    NetDgramState *s = g_new0(NetDgramState, 1);

    s->fd = fd;
    s->nc = qemu_new_net_client(&dgram_info, NULL, model, id, s);
    s->watch.fd = -1;
    net_fd_watch_init(&s->watch, fd, dgram_ready, s);
    dgram_update_watch(s);
    return s;
}

/* "127.0.0.1:5555", from fd's own address or from ss. */
static char *sockaddr_text(int fd, const struct sockaddr_storage *ss,
                           socklen_t len)
{
    struct sockaddr_storage mine = { 0 };
    char host[INET6_ADDRSTRLEN] = "";
    int port = 0;

    if (fd >= 0) {
        len = sizeof(mine);
        getsockname(fd, (struct sockaddr *)&mine, &len);
        ss = &mine;
    }
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ss;

        inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
        port = ntohs(in->sin_port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;

        inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
        port = ntohs(in6->sin6_port);
    }
    return g_strdup_printf("%s:%d", host, port);
}

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
    s = dgram_state_new(model, id, fd);
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
    if (local && remote && local->type == SOCK_ADDR_UNIX) {
        qemu_set_info_str(s->nc, "udp=%s:%s", local->path, remote->path);
    } else if (local && remote) {
        g_autofree char *me = sockaddr_text(fd, NULL, 0);
        g_autofree char *peer = sockaddr_text(-1, &to, to_len);

        qemu_set_info_str(s->nc, "udp=%s/%s", me, peer);
    }
    return s->nc;
}

NetClientState *net_dgram_new_fd(const char *model, const char *id, int fd)
{
    struct sockaddr_storage me = { 0 };
    socklen_t me_len = sizeof(me);
    NetDgramState *s;

    socket_set_nonblock(fd);
    s = dgram_state_new(model, id, fd);
    /* Whoever made it connected it (a socketpair) or will tell us. */
    s->connected = true;
    s->no_connect = true;
    if (getsockname(fd, (struct sockaddr *)&me, &me_len) == 0) {
        qemu_set_info_str(s->nc, "fd=%d %s", fd,
                          me.ss_family == AF_UNIX ? "unix" : "inet");
    } else {
        qemu_set_info_str(s->nc, "fd=%d", fd);
    }
    return s->nc;
}

static bool mcast_join(int fd, const struct sockaddr_in *group,
                       const struct in_addr *local, GError **errp)
{
    struct ip_mreq imr = {
        .imr_multiaddr = group->sin_addr,
        .imr_interface.s_addr = local ? local->s_addr : htonl(INADDR_ANY),
    };
    char ip[INET_ADDRSTRLEN];
    int one = 1;

    inet_ntop(AF_INET, &group->sin_addr, ip, sizeof(ip));
    /* Several processes on one host share the group's port. */
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
        error_setg_errno(errp, errno, "can't set socket option SO_REUSEADDR");
        return false;
    }
    if (bind(fd, (const struct sockaddr *)group, sizeof(*group)) < 0) {
        error_setg_errno(errp, errno, "can't bind ip=%s to socket", ip);
        return false;
    }
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &imr,
                   sizeof(imr)) < 0) {
        error_setg_errno(errp, errno, "can't add socket to multicast group "
                         "%s", ip);
        return false;
    }
    if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &one,
                   sizeof(one)) < 0) {
        error_setg_errno(errp, errno, "can't force multicast message to "
                         "loopback");
        return false;
    }
    if (local && setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, local,
                            sizeof(*local)) < 0) {
        error_setg_errno(errp, errno, "can't set the default network send "
                         "interface");
        return false;
    }
    return true;
}

NetClientState *net_dgram_new_mcast(const char *model, const char *id,
                                    const SockAddr *group,
                                    const SockAddr *local, GError **errp)
{
    struct sockaddr_storage to = { 0 };
    socklen_t to_len = 0;
    struct sockaddr_in *g = (struct sockaddr_in *)&to;
    struct in_addr laddr;
    char ip[INET_ADDRSTRLEN];
    NetDgramState *s;
    int fd;

    if (group->type != SOCK_ADDR_INET) {
        error_setg(errp, "multicast only support inet type");
        return NULL;
    }
    if (!socket_resolve(group, &to, &to_len, errp)) {
        return NULL;
    }
    if (local && (local->type != SOCK_ADDR_INET ||
                  inet_pton(AF_INET, local->host, &laddr) != 1)) {
        error_setg(errp, "localaddr '%s' is not a valid IPv4 address",
                   local->type == SOCK_ADDR_INET ? local->host : local->path);
        return NULL;
    }
    fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        error_setg_errno(errp, errno, "can't create datagram socket");
        return NULL;
    }
    if (!mcast_join(fd, g, local ? &laddr : NULL, errp)) {
        close(fd);
        return NULL;
    }
    s = dgram_state_new(model, id, fd);
    s->remote = to;
    s->remote_len = to_len;
    s->no_connect = true;       /* replies come from members, not the group */
    inet_ntop(AF_INET, &g->sin_addr, ip, sizeof(ip));
    qemu_set_info_str(s->nc, "mcast=%s:%d", ip, ntohs(g->sin_port));
    return s->nc;
}

static bool dgram_is_multicast(const SockAddr *a)
{
    struct in_addr in;

    return a->type == SOCK_ADDR_INET && a->host &&
           inet_pton(AF_INET, a->host, &in) == 1 &&
           IN_MULTICAST(ntohl(in.s_addr));
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
    if (has_remote && !net_sockaddr_is_fd(opts, "remote")) {
        if (!net_parse_sockaddr(opts, "remote", &remote, errp)) {
            return NULL;
        }
        if (dgram_is_multicast(&remote)) {
            if (has_local && !net_parse_sockaddr(opts, "local", &local,
                                                 errp)) {
                return NULL;
            }
            return net_dgram_new_mcast("dgram", id, &remote,
                                       has_local ? &local : NULL, errp);
        }
        socket_addr_clear(&remote);
    }
    if (!has_local) {
        error_setg(errp, "dgram requires local= parameter");
        return NULL;
    }
    if (net_sockaddr_is_fd(opts, "local")) {
        int fd;

        if (has_remote) {
            error_setg(errp, "don't set remote with local.fd");
            return NULL;
        }
        fd = net_parse_fd_addr(opts, "local", errp);
        return fd < 0 ? NULL : net_dgram_new_fd("dgram", id, fd);
    }
    if (!has_remote) {
        error_setg(errp, "type=inet or type=unix requires remote parameter");
        return NULL;
    }
    if (net_parse_sockaddr(opts, "local", &local, errp) &&
        net_parse_sockaddr(opts, "remote", &remote, errp)) {
        if (local.type != remote.type) {
            error_setg(errp, "remote and local types must be the same");
            return NULL;
        }
        nc = net_dgram_new("dgram", id, &local, &remote, errp);
    }
    return nc;
}
