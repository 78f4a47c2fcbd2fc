/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stream and datagram sockets for every part that talks to the outside:
 * chardevs, the net backends and migration.  An address is kept as the
 * user wrote it and resolved when a socket is made, so a client that
 * reconnects later follows a name that now points elsewhere.
 *
 * Every socket made here is close-on-exec.  Listening, bound and connected
 * sockets come back non-blocking; accepted ones are as accept4() gives
 * them (blocking), since some users read them with blocking calls.
 */
#ifndef QEMU_SOCKETS_H
#define QEMU_SOCKETS_H

#include <stdbool.h>
#include <sys/socket.h>
#include <glib.h>

typedef enum SockAddrType {
    SOCK_ADDR_INET,
    SOCK_ADDR_UNIX,
} SockAddrType;

typedef struct SockAddr {
    SockAddrType type;
    char *host;                 /* inet; "": any address / this machine */
    char *port;                 /* inet; a number or a service name */
    char *path;                 /* unix */
    bool abstract;              /* unix: Linux abstract name, no file */
} SockAddr;

/* Free the strings; a can be reused afterwards. */
void socket_addr_clear(SockAddr *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SockAddr, socket_addr_clear)

void socket_addr_set_inet(SockAddr *a, const char *host, const char *port);
/* "UNIX socket path '%s' is too long" if it does not fit a sockaddr_un. */
bool socket_addr_set_unix(SockAddr *a, const char *path, bool abstract,
                          GError **errp);
/*
 * "host:port" or "[v6addr]:port"; host may be empty; anything after a
 * comma in port (",ipv4", ...) is ignored.  "error parsing address '%s'".
 */
bool inet_parse(SockAddr *a, const char *str, GError **errp);
/* For messages: "host:port", "[v6addr]:port" or the path. */
char *socket_addr_to_string(const SockAddr *a);

/*
 * A listening stream socket (backlog 1: callers serve one client at a
 * time).  inet: each resolved address is tried in turn; unix: a stale
 * socket file is removed first.
 */
int socket_listen(const SockAddr *a, GError **errp);
/* A bound socket of type (SOCK_DGRAM) on the first address that binds. */
int socket_bind(const SockAddr *a, int type, GError **errp);
/*
 * A connected stream socket.  Blocks while connecting; each resolved
 * address is tried in turn.  "Failed to connect to 'ADDR'" with the last
 * error.
 */
int socket_connect(const SockAddr *a, GError **errp);

/*
 * Connecting without blocking the main loop.  On success the result is
 * reported once from the main loop: cb(fd, NULL) or cb(-1, err) (err
 * passes to cb).  prepare, if set, is called on each new socket before it
 * connects: buffer sizes only count for the TCP window if set that early.
 * NULL with *errp set when no address could even start connecting.
 */
typedef void SocketConnectFunc(int fd, GError *err, void *opaque);
typedef void SocketPrepareFunc(int fd, int family);
typedef struct SocketConnect SocketConnect;
SocketConnect *socket_connect_async(const SockAddr *a,
                                    SocketPrepareFunc *prepare,
                                    SocketConnectFunc *cb, void *opaque,
                                    GError **errp);
/* Give up before cb ran: cb is not called. */
void socket_connect_cancel(SocketConnect *c);

/*
 * One address, IPv4 preferred ("localhost" means 127.0.0.1 to most
 * users): where a datagram socket sends to.
 */
bool socket_resolve(const SockAddr *a, struct sockaddr_storage *ss,
                    socklen_t *len, GError **errp);

/* accept4() with close-on-exec, retried on EINTR; -1 when none waits. */
int socket_accept(int listen_fd);
/* Remove a's socket file, if it has one. */
void socket_unlink(const SockAddr *a);
void socket_set_nonblock(int fd);
/* Small writes go out at once: no-op on non-TCP sockets. */
void socket_set_nodelay(int fd);

/* Where fd is bound / connected to, with a numeric host and port. */
bool socket_local_address(int fd, SockAddr *out, GError **errp);
bool socket_peer_address(int fd, SockAddr *out, GError **errp);

#endif
