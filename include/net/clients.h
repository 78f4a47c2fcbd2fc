/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the backends in net/ share: their constructors (called by
 * net_client_init), option checking, QEMU's two spellings of a socket
 * address, fd watches on the main loop, and the 4-byte big-endian length
 * framing of stream sockets.
 */
#ifndef NET_CLIENTS_H
#define NET_CLIENTS_H

#include "net/net.h"
#include "qemu/sockets.h"

/*
 * Constructors: create the backend named id from opts and return its
 * client (peer NULL), or NULL with *errp set.
 */
typedef NetClientState *NetInitFunc(QemuOpts *opts, const char *id,
                                    GError **errp);
NetInitFunc net_init_user;
NetInitFunc net_init_stream;
NetInitFunc net_init_dgram;
NetInitFunc net_init_socket;
NetInitFunc net_init_hubport;
NetInitFunc net_init_tap;

/* Hub ports by hub: for tests and for deleting an empty hub. */
int net_hub_port_count(int hub_id);
/* Is nc a hub port or joined to one?  *id (may be NULL): which hub. */
bool net_hub_id_for_client(NetClientState *nc, int *id);
/* "info network": each hub, its ports and what they are joined to. */
void net_hub_info(GString *out,
                  void (*print)(GString *out, NetClientState *nc));

/*
 * Reject keys outside allowed (NULL-terminated; "type" and "id" are always
 * allowed) and outside the socket-address keys under each prefix in
 * addr_prefixes (e.g. "addr"): "Invalid parameter 'KEY'".
 */
bool net_opts_check(const QemuOpts *opts, const char *const *allowed,
                    const char *const *addr_prefixes, GError **errp);

/*
 * QEMU 7.2+ spelling: PREFIX.type=inet|unix, PREFIX.host, PREFIX.port,
 * PREFIX.path, PREFIX.abstract.  Returns false with *errp set on a bad or
 * missing address; "Parameter 'PREFIX' is missing" when absent.
 */
bool net_parse_sockaddr(const QemuOpts *opts, const char *prefix,
                        SockAddr *out, GError **errp);
/* Legacy "host:port" (host may be empty: any address). */
bool net_parse_host_port(const char *str, SockAddr *out, GError **errp);

/*
 * A stream backend on addr (taken over, *addr is left empty): server listens and
 * serves one client at a time; a client connects now and, if reconnect is
 * non-zero, again every reconnect seconds after losing its server.
 */
NetClientState *net_stream_new(const char *model, const char *id,
                               SockAddr *addr, bool server,
                               unsigned reconnect, GError **errp);
/*
 * A stream backend on a socket the user passed (addr.type=fd, socket's
 * fd=): connected, or listening when server.  Takes fd.
 */
NetClientState *net_stream_new_fd(const char *model, const char *id, int fd,
                                  bool server);
/* A datagram backend on a socket the user passed (connected or bound). */
NetClientState *net_dgram_new_fd(const char *model, const char *id, int fd);
/*
 * Multicast (remote= a multicast group): join group on local's interface
 * (local may be NULL: any), send to the group, receive what it carries.
 */
NetClientState *net_dgram_new_mcast(const char *model, const char *id,
                                    const SockAddr *group,
                                    const SockAddr *local, GError **errp);

/* Is PREFIX.type=fd?  */
bool net_sockaddr_is_fd(const QemuOpts *opts, const char *prefix);
/*
 * The socket PREFIX.str names, or -1 with *errp set: a number the process
 * inherited or, under a monitor command, a name given to it with getfd
 * (then ours).
 */
int net_parse_fd_addr(const QemuOpts *opts, const char *prefix,
                      GError **errp);
int net_parse_fd(const char *str, GError **errp);

/*
 * A datagram backend: one frame per datagram, sent to remote (or, with no
 * remote, to whoever sent the last datagram to local).  local may be NULL
 * for an unbound client.
 */
NetClientState *net_dgram_new(const char *model, const char *id,
                              const SockAddr *local,
                              const SockAddr *remote, GError **errp);

/*
 * One fd watched by the main loop with a condition that changes (G_IO_IN
 * while the peer can take frames, G_IO_OUT while output is blocked).
 */
typedef gboolean NetFdFunc(int fd, GIOCondition cond, void *opaque);
typedef struct NetFdWatch {
    guint id;
    GIOCondition cond;
    int fd;
    NetFdFunc *fn;
    void *opaque;
} NetFdWatch;

void net_fd_watch_init(NetFdWatch *w, int fd, NetFdFunc *fn, void *opaque);
/*
 * What a backend fd is watched for: G_IO_IN while nc's peer can take
 * frames, G_IO_OUT while frames wait in nc's queue.
 */
GIOCondition net_fd_watch_wanted(NetClientState *nc);
/* Watch for cond (0: none); cheap when cond does not change. */
void net_fd_watch_set(NetFdWatch *w, GIOCondition cond);
void net_fd_watch_stop(NetFdWatch *w);

/*
 * Reassembly of length-prefixed frames from a byte stream that arrives in
 * arbitrary pieces.  Frames are handed to deliver() one at a time from an
 * internal buffer (no allocation per frame).
 */
typedef void NetFrameFunc(void *opaque, const uint8_t *frame, size_t len);
typedef struct NetFrameReader {
    /*
     * With vnet_hdr (filter-redirector's vnet_hdr_support), the length is
     * followed by the sender's virtio-net header length, 4 bytes too.
     */
    bool vnet_hdr;
    uint32_t vnet_hdr_len;      /* from the last such header */
    uint8_t hdr[8];
    uint32_t hdr_len;           /* header bytes received so far */
    uint32_t frame_len;         /* size announced by the header */
    uint32_t got;               /* frame bytes received so far */
    uint8_t *buf;               /* NET_BUFSIZE */
} NetFrameReader;

void net_frame_reader_init(NetFrameReader *r);
void net_frame_reader_reset(NetFrameReader *r);
void net_frame_reader_destroy(NetFrameReader *r);
/*
 * Consume len bytes.  Returns false (with *errp set) if a header announces
 * a frame larger than NET_BUFSIZE: the stream is then out of sync.
 */
bool net_frame_reader_feed(NetFrameReader *r, const uint8_t *data,
                           size_t len, NetFrameFunc *deliver, void *opaque,
                           GError **errp);

/* Copy a frame given in pieces into buf; returns its size. */
size_t net_iov_to_buf(const struct iovec *iov, int iovcnt, uint8_t *buf);

/*
 * Write one frame with its 4-byte header to a non-blocking stream socket.
 * Returns the bytes written (0 .. 4 + frame size) or -1 on a socket error;
 * a short count means the socket is full and the caller keeps the rest.
 */
ssize_t net_stream_write_frame(int fd, const struct iovec *iov, int iovcnt,
                               size_t frame_size);

/*
 * The frame-per-connection half of stream and socket backends: a
 * connected stream fd plus its reader, partial-write buffer and watch.
 * on_close is called when the peer hangs up or sends garbage.
 */
typedef struct NetStreamBatch NetStreamBatch;
typedef struct NetStreamConn {
    NetClientState *nc;
    int fd;
    NetFdWatch watch;
    NetFrameReader reader;
    uint8_t *pending;           /* rest of a frame the socket did not take */
    size_t pending_len, pending_off;
    void (*on_close)(struct NetStreamConn *c);
    NetStreamBatch *batch;      /* frames held for one writev, at first use */
} NetStreamConn;

void net_stream_conn_init(NetStreamConn *c, NetClientState *nc,
                          void (*on_close)(NetStreamConn *c));
/* Start using fd (takes ownership). */
void net_stream_conn_attach(NetStreamConn *c, int fd);
/* Close the connection, dropping a partly written frame. */
void net_stream_conn_detach(NetStreamConn *c);
void net_stream_conn_destroy(NetStreamConn *c);
bool net_stream_conn_can_receive(NetStreamConn *c);
ssize_t net_stream_conn_receive(NetStreamConn *c, const struct iovec *iov,
                                int iovcnt);
/* The peer can take frames again: resume reading. */
void net_stream_conn_send_ready(NetStreamConn *c);
/* The sender's batch is complete: write what it held with one writev. */
void net_stream_conn_batch_end(NetStreamConn *c);

#endif
