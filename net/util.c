/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the socket-based backends: option checks, socket
 * addresses, fd watches and the length-prefixed stream framing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <glib-unix.h>

#include "net/clients.h"
#include "monitor/monitor.h"
#include "qapi/error.h"

/* Options */

static const char *const addr_keys[] = {
    "type", "host", "port", "numeric", "to", "ipv4", "ipv6", "keep-alive",
    "path", "abstract", "tight", "str", NULL,
};

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++) {
        if (!strcmp(*list, s)) {
            return true;
        }
    }
    return false;
}

static bool is_addr_key(const char *const *prefixes, const char *key)
{
    for (; prefixes && *prefixes; prefixes++) {
        size_t n = strlen(*prefixes);

        if (!strncmp(key, *prefixes, n) && key[n] == '.' &&
            in_list(addr_keys, key + n + 1)) {
            return true;
        }
    }
    return false;
}

bool net_opts_check(const QemuOpts *opts, const char *const *allowed,
                    const char *const *addr_prefixes, GError **errp)
{
    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (strcmp(o->name, "type") && strcmp(o->name, "id") &&
            !in_list(allowed, o->name) &&
            !is_addr_key(addr_prefixes, o->name)) {
            error_setg(errp, "Invalid parameter '%s'", o->name);
            return false;
        }
    }
    return true;
}

/* Socket addresses */

static const char *addr_opt(const QemuOpts *opts, const char *prefix,
                            const char *key)
{
    g_autofree char *name = g_strdup_printf("%s.%s", prefix, key);

    return qemu_opt_get(opts, name);
}

static bool has_prefix_keys(const QemuOpts *opts, const char *prefix)
{
    size_t n = strlen(prefix);

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (!strncmp(o->name, prefix, n) && o->name[n] == '.') {
            return true;
        }
    }
    return false;
}

bool net_parse_sockaddr(const QemuOpts *opts, const char *prefix,
                        SockAddr *out, GError **errp)
{
    const char *type = addr_opt(opts, prefix, "type");

    memset(out, 0, sizeof(*out));
    if (!type) {
        if (has_prefix_keys(opts, prefix)) {
            error_setg(errp, "Parameter '%s.type' is missing", prefix);
        } else {
            error_setg(errp, "Parameter '%s' is missing", prefix);
        }
        return false;
    }
    if (!strcmp(type, "inet")) {
        const char *host = addr_opt(opts, prefix, "host");
        const char *port = addr_opt(opts, prefix, "port");

        if (!host) {
            error_setg(errp, "Parameter '%s.host' is missing", prefix);
            return false;
        }
        if (!port) {
            error_setg(errp, "Parameter '%s.port' is missing", prefix);
            return false;
        }
        socket_addr_set_inet(out, host, port);
        return true;
    }
    if (!strcmp(type, "unix")) {
        const char *path = addr_opt(opts, prefix, "path");
        const char *abs = addr_opt(opts, prefix, "abstract");
        bool abstract = false;

        if (!path) {
            error_setg(errp, "Parameter '%s.path' is missing", prefix);
            return false;
        }
        if (abs) {
            g_autofree char *name = g_strdup_printf("%s.abstract", prefix);
            if (!qapi_bool_parse(name, abs, &abstract, errp)) {
                return false;
            }
        }
        return socket_addr_set_unix(out, path, abstract, errp);
    }
    if (!strcmp(type, "fd") || !strcmp(type, "vsock")) {
        error_setg(errp, "Parameter '%s.type' does not accept value '%s' "
                   "(only inet and unix addresses are supported)",
                   prefix, type);
        return false;
    }
    error_setg(errp, "Parameter '%s.type' does not accept value '%s'", prefix,
               type);
    return false;
}

bool net_parse_macaddr(uint8_t *mac, const char *str)
{
    for (int i = 0; i < 6; i++) {
        const char *p = str + i * 3;

        if (!g_ascii_isxdigit(p[0]) || !g_ascii_isxdigit(p[1])) {
            return false;
        }
        if (i == 5 ? p[2] != '\0' : (p[2] != ':' && p[2] != '-')) {
            return false;
        }
        mac[i] = g_ascii_xdigit_value(p[0]) << 4 |
                 g_ascii_xdigit_value(p[1]);
    }
    return true;
}

bool net_sockaddr_is_fd(const QemuOpts *opts, const char *prefix)
{
    return !g_strcmp0(addr_opt(opts, prefix, "type"), "fd");
}

int net_parse_fd(const char *str, GError **errp)
{
    Monitor *mon = monitor_cur();
    int type;
    socklen_t len = sizeof(type);
    char *end;
    long v;

    /* As QEMU: a name is a descriptor given to this monitor with getfd. */
    if (!g_ascii_isdigit(*str) && mon) {
        return monitor_get_fd(mon, str, errp);
    }
    v = strtol(str, &end, 10);
    if (!g_ascii_isdigit(*str) || *end || v > INT_MAX) {
        error_setg(errp, "Invalid file descriptor number '%s'", str);
        return -1;
    }
    if (getsockopt(v, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg(errp, "File descriptor '%s' is not a socket", str);
        return -1;
    }
    return v;
}

int net_parse_fd_addr(const QemuOpts *opts, const char *prefix,
                      GError **errp)
{
    const char *str = addr_opt(opts, prefix, "str");

    if (!str) {
        error_setg(errp, "Parameter '%s.str' is missing", prefix);
        return -1;
    }
    return net_parse_fd(str, errp);
}

bool net_parse_host_port(const char *str, SockAddr *out, GError **errp)
{
    const char *colon = strrchr(str, ':');
    char *end;
    long port;

    memset(out, 0, sizeof(*out));
    /* The legacy option's own messages, checked before the generic ones. */
    if (!colon) {
        error_setg(errp, "host address '%s' doesn't contain ':' separating "
                   "host from port", str);
        return false;
    }
    port = strtol(colon + 1, &end, 10);
    if (colon[1] == '\0' || *end || port < 0 || port > 65535) {
        error_setg(errp, "port number '%s' is invalid", colon + 1);
        return false;
    }
    return inet_parse(out, str, errp);
}

/* fd watches */

void net_fd_watch_init(NetFdWatch *w, int fd, NetFdFunc *fn, void *opaque)
{
    net_fd_watch_stop(w);
    w->fd = fd;
    w->fn = fn;
    w->opaque = opaque;
}

GIOCondition net_fd_watch_wanted(NetClientState *nc)
{
    GIOCondition cond = 0;

    if (qemu_can_send_packet(nc)) {
        cond |= G_IO_IN;
    }
    if (!g_queue_is_empty(nc->queue)) {
        cond |= G_IO_OUT;
    }
    return cond;
}

void net_fd_watch_set(NetFdWatch *w, GIOCondition cond)
{
    if (w->id && w->cond == cond) {
        return;
    }
    net_fd_watch_stop(w);
    w->cond = cond;
    if (cond && w->fd >= 0) {
        w->id = g_unix_fd_add(w->fd, cond, (GUnixFDSourceFunc)w->fn,
                              w->opaque);
    }
}

void net_fd_watch_stop(NetFdWatch *w)
{
    if (w->id) {
        g_source_remove(w->id);
        w->id = 0;
    }
    w->cond = 0;
}

/* Framing */

void net_frame_reader_init(NetFrameReader *r)
{
    memset(r, 0, sizeof(*r));
    r->buf = g_malloc(NET_BUFSIZE);
}

void net_frame_reader_reset(NetFrameReader *r)
{
    r->hdr_len = 0;
    r->frame_len = 0;
    r->got = 0;
}

void net_frame_reader_destroy(NetFrameReader *r)
{
    g_free(r->buf);
    r->buf = NULL;
}

static uint32_t ldl_be(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

bool net_frame_reader_feed(NetFrameReader *r, const uint8_t *data,
                           size_t len, NetFrameFunc *deliver, void *opaque,
                           GError **errp)
{
    uint32_t hdr_size = r->vnet_hdr ? 8 : 4;

    while (len > 0) {
        size_t n;

        if (r->hdr_len < hdr_size) {
            n = MIN(len, hdr_size - r->hdr_len);
            memcpy(r->hdr + r->hdr_len, data, n);
            r->hdr_len += n;
            data += n;
            len -= n;
            if (r->hdr_len < hdr_size) {
                break;
            }
            r->frame_len = ldl_be(r->hdr);
            r->vnet_hdr_len = r->vnet_hdr ? ldl_be(r->hdr + 4) : 0;
            r->got = 0;
            if (r->frame_len > NET_BUFSIZE) {
                error_setg(errp, "oversized frame (%u bytes) received, "
                           "connection terminated", r->frame_len);
                net_frame_reader_reset(r);
                return false;
            }
        }
        n = MIN(len, r->frame_len - r->got);
        memcpy(r->buf + r->got, data, n);
        r->got += n;
        data += n;
        len -= n;
        if (r->got == r->frame_len) {
            uint32_t flen = r->frame_len;

            net_frame_reader_reset(r);
            deliver(opaque, r->buf, flen);
        }
    }
    return true;
}

size_t net_iov_to_buf(const struct iovec *iov, int iovcnt, uint8_t *buf)
{
    size_t off = 0;

    for (int i = 0; i < iovcnt; i++) {
        memcpy(buf + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    return off;
}

ssize_t net_stream_write_frame(int fd, const struct iovec *iov, int iovcnt,
                               size_t frame_size)
{
    struct iovec v[IOV_MAX];
    uint8_t hdr[4] = { frame_size >> 24, frame_size >> 16, frame_size >> 8,
                       frame_size };
    struct msghdr msg = { .msg_iov = v };
    g_autofree uint8_t *flat = NULL;
    ssize_t n;

    v[0].iov_base = hdr;
    v[0].iov_len = 4;
    if (iovcnt < IOV_MAX) {
        memcpy(&v[1], iov, iovcnt * sizeof(*iov));
        msg.msg_iovlen = iovcnt + 1;
    } else {
        /* More pieces than sendmsg takes: rare enough to copy. */
        flat = g_malloc(frame_size);
        net_iov_to_buf(iov, iovcnt, flat);
        v[1].iov_base = flat;
        v[1].iov_len = frame_size;
        msg.msg_iovlen = 2;
    }
    do {
        n = sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return 0;
    }
    return n;
}

/* A connected stream socket carrying frames */

/*
 * A batch (net.h): frames with their length headers, written with one
 * sendmsg() when the batch ends.  The frames' pieces point at the
 * sender's memory.
 */
#define STREAM_BATCH 64
#define STREAM_BATCH_IOV 1024           /* <= IOV_MAX */

struct NetStreamBatch {
    struct iovec iov[STREAM_BATCH_IOV];
    unsigned int iov_n;
    unsigned int n;
    struct {
        uint8_t hdr[4];
        unsigned int first;             /* its header's index in iov */
        unsigned int cnt;               /* header included */
        size_t size;                    /* frame bytes, header excluded */
    } frame[STREAM_BATCH];
};

static void conn_update_watch(NetStreamConn *c)
{
    GIOCondition cond;

    if (c->fd < 0) {
        return;
    }
    cond = net_fd_watch_wanted(c->nc);
    if (c->pending) {
        cond |= G_IO_OUT;
    }
    net_fd_watch_set(&c->watch, cond);
}

static void conn_deliver(void *opaque, const uint8_t *frame, size_t len)
{
    NetStreamConn *c = opaque;

    qemu_send_packet(c->nc, frame, len);
}

static void conn_close(NetStreamConn *c)
{
    net_stream_conn_detach(c);
    if (c->on_close) {
        c->on_close(c);
    }
}

/* Returns false once the connection is gone. */
static bool conn_write_pending(NetStreamConn *c)
{
    ssize_t n;

    while (c->pending) {
        n = send(c->fd, c->pending + c->pending_off,
                 c->pending_len - c->pending_off, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return true;
        }
        if (n <= 0) {
            conn_close(c);
            return false;
        }
        c->pending_off += n;
        if (c->pending_off == c->pending_len) {
            g_clear_pointer(&c->pending, g_free);
            c->pending_len = c->pending_off = 0;
        }
    }
    return true;
}

static gboolean conn_ready(int fd, GIOCondition cond, void *opaque)
{
    NetStreamConn *c = opaque;
    uint8_t buf[65536];

    if (cond & G_IO_OUT) {
        if (!conn_write_pending(c)) {
            return G_SOURCE_CONTINUE;
        }
        if (!c->pending) {
            qemu_flush_queued_packets(c->nc);
            if (c->fd < 0) {
                return G_SOURCE_CONTINUE;
            }
        }
    }
    if (cond & (G_IO_IN | G_IO_HUP | G_IO_ERR)) {
        /* What one wake-up reads reaches the guest with one interrupt. */
        G_GNUC_UNUSED g_auto(NetBatch) batch =
            { qemu_net_batch_begin(c->nc) };

        /* A bounded number of reads, so one busy socket cannot starve. */
        for (int i = 0; i < 16 && qemu_can_send_packet(c->nc); i++) {
            g_autoptr(GError) err = NULL;
            ssize_t n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);

            if (n < 0 && errno == EINTR) {
                continue;
            }
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                break;
            }
            if (n <= 0) {
                conn_close(c);
                return G_SOURCE_CONTINUE;
            }
            if (!net_frame_reader_feed(&c->reader, buf, n, conn_deliver, c,
                                       &err)) {
                error_report("%s: %s", c->nc->name, err->message);
                conn_close(c);
                return G_SOURCE_CONTINUE;
            }
            if (c->fd < 0) {
                return G_SOURCE_CONTINUE;
            }
        }
    }
    conn_update_watch(c);
    return G_SOURCE_CONTINUE;
}

void net_stream_conn_init(NetStreamConn *c, NetClientState *nc,
                          void (*on_close)(NetStreamConn *c))
{
    memset(c, 0, sizeof(*c));
    c->nc = nc;
    c->fd = -1;
    c->watch.fd = -1;
    c->on_close = on_close;
    net_frame_reader_init(&c->reader);
}

void net_stream_conn_attach(NetStreamConn *c, int fd)
{
    net_stream_conn_detach(c);
    /* Frames are small and latency matters more than segment count. */
    socket_set_nodelay(fd);
    socket_set_nonblock(fd);
    c->fd = fd;
    net_frame_reader_reset(&c->reader);
    net_fd_watch_init(&c->watch, fd, conn_ready, c);
    conn_update_watch(c);
    /* Frames queued while disconnected can go now. */
    qemu_flush_queued_packets(c->nc);
}

void net_stream_conn_detach(NetStreamConn *c)
{
    net_fd_watch_stop(&c->watch);
    c->watch.fd = -1;
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
    g_clear_pointer(&c->pending, g_free);
    c->pending_len = c->pending_off = 0;
    if (c->batch) {
        /* Held for a connection that is gone: lost, as a write would be. */
        c->nc->rx_dropped += c->batch->n;
        c->batch->n = c->batch->iov_n = 0;
    }
    net_frame_reader_reset(&c->reader);
}

void net_stream_conn_destroy(NetStreamConn *c)
{
    c->on_close = NULL;
    net_stream_conn_detach(c);
    net_frame_reader_destroy(&c->reader);
    g_clear_pointer(&c->batch, g_free);
}

/* Keep the unwritten rest of frame f, from byte done of header + frame. */
static void stream_keep_pending(NetStreamConn *c, const struct iovec *iov,
                                unsigned int cnt, size_t total, size_t done)
{
    c->pending = g_malloc(total);
    net_iov_to_buf(iov, cnt, c->pending);
    c->pending_len = total;
    c->pending_off = done;
}

/*
 * Write the batch.  A frame the socket took in part keeps its rest in
 * pending, as one frame written alone does; the frames after it go back,
 * in order, to the head of the queue.
 */
static void stream_flush_batch(NetStreamConn *c)
{
    NetStreamBatch *b = c->batch;
    struct msghdr msg = { .msg_iov = b->iov, .msg_iovlen = b->iov_n };
    unsigned int i = 0, back = 0;
    ssize_t n;

    if (!b->n) {
        return;
    }
    do {
        n = sendmsg(c->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        c->nc->rx_dropped += b->n;
        b->n = b->iov_n = 0;
        conn_close(c);
        return;
    }
    for (size_t left = n < 0 ? 0 : n; i < b->n; i++) {
        size_t total = 4 + b->frame[i].size;

        if (left < total) {
            if (left) {
                stream_keep_pending(c, b->iov + b->frame[i].first,
                                    b->frame[i].cnt, total, left);
                i++;
            }
            break;
        }
        left -= total;
    }
    for (; i < b->n; i++) {
        qemu_net_queue_insert(c->nc, back++, b->iov + b->frame[i].first + 1,
                              b->frame[i].cnt - 1);
    }
    if (c->pending || back) {
        net_fd_watch_set(&c->watch, c->watch.cond | G_IO_OUT);
    }
    b->n = b->iov_n = 0;
}

void net_stream_conn_batch_end(NetStreamConn *c)
{
    if (c->batch && c->fd >= 0) {
        stream_flush_batch(c);
    }
}

/* Hold a frame for the batch's writev; false if it must wait. */
static bool stream_batch_add(NetStreamConn *c, const struct iovec *iov,
                             int iovcnt, size_t size)
{
    NetStreamBatch *b;
    unsigned int k;

    if (!c->batch) {
        c->batch = g_new0(NetStreamBatch, 1);
    }
    b = c->batch;
    if (b->n == STREAM_BATCH || b->iov_n + iovcnt + 1 > STREAM_BATCH_IOV) {
        stream_flush_batch(c);
        if (c->fd < 0 || c->pending || !g_queue_is_empty(c->nc->queue)) {
            return false;
        }
    }
    k = b->n++;
    b->frame[k].hdr[0] = size >> 24;
    b->frame[k].hdr[1] = size >> 16;
    b->frame[k].hdr[2] = size >> 8;
    b->frame[k].hdr[3] = size;
    b->frame[k].first = b->iov_n;
    b->frame[k].cnt = iovcnt + 1;
    b->frame[k].size = size;
    b->iov[b->iov_n].iov_base = b->frame[k].hdr;
    b->iov[b->iov_n++].iov_len = 4;
    memcpy(b->iov + b->iov_n, iov, iovcnt * sizeof(*iov));
    b->iov_n += iovcnt;
    return true;
}

bool net_stream_conn_can_receive(NetStreamConn *c)
{
    return c->fd < 0 || !c->pending;
}

ssize_t net_stream_conn_receive(NetStreamConn *c, const struct iovec *iov,
                                int iovcnt)
{
    size_t size = 0, total;
    ssize_t n;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    if (c->fd < 0) {
        /* Not connected: the frame is lost, as on an unplugged cable. */
        c->nc->rx_dropped++;
        return size;
    }
    if (c->nc->batch_depth && iovcnt < STREAM_BATCH_IOV) {
        return stream_batch_add(c, iov, iovcnt, size) ? size : 0;
    }
    /* Alone: after what a batch holds, so order is kept. */
    if (c->batch && c->batch->n) {
        stream_flush_batch(c);
        if (c->fd < 0 || c->pending || !g_queue_is_empty(c->nc->queue)) {
            return c->fd < 0 ? size : 0;
        }
    }
    n = net_stream_write_frame(c->fd, iov, iovcnt, size);
    if (n < 0) {
        c->nc->rx_dropped++;
        conn_close(c);
        return size;
    }
    if (n == 0) {
        net_fd_watch_set(&c->watch, c->watch.cond | G_IO_OUT);
        return 0;
    }
    total = size + 4;
    if ((size_t)n < total) {
        /* Keep the rest of this one frame; later ones wait in the queue. */
        uint8_t hdr[4] = { size >> 24, size >> 16, size >> 8, size };

        c->pending = g_malloc(total);
        memcpy(c->pending, hdr, 4);
        net_iov_to_buf(iov, iovcnt, c->pending + 4);
        c->pending_len = total;
        c->pending_off = n;
        net_fd_watch_set(&c->watch, c->watch.cond | G_IO_OUT);
    }
    return size;
}

void net_stream_conn_send_ready(NetStreamConn *c)
{
    conn_update_watch(c);
}
