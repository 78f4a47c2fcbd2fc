/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev socket, the pre-7.2 spelling: listen=/connect= are a stream
 * backend (same 4-byte length framing), udp=+localaddr= a datagram one,
 * mcast= a multicast group, fd= a socket the user passed.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "net/clients.h"
#include "qapi/error.h"

/* fd=: a stream or datagram socket, whichever the descriptor is. */
static NetClientState *socket_fd_init(const char *id, const char *str,
                                      GError **errp)
{
    int fd = net_parse_fd(str, errp);
    int type;
    socklen_t len = sizeof(type);

    if (fd < 0) {
        return NULL;
    }
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        error_setg_errno(errp, errno, "socket: fd=%d: not a socket", fd);
        return NULL;
    }
    if (type == SOCK_DGRAM) {
        return net_dgram_new_fd("socket", id, fd);
    }
    if (type != SOCK_STREAM) {
        error_setg(errp, "socket type=%d for fd=%d must be either "
                   "SOCK_DGRAM or SOCK_STREAM", type, fd);
        return NULL;
    }
    return net_stream_new_fd("socket", id, fd, false);
}

NetClientState *net_init_socket(QemuOpts *opts, const char *id,
                                GError **errp)
{
    static const char *const allowed[] = {
        "listen", "connect", "udp", "localaddr", "mcast", "fd", NULL,
    };
    const char *listen = qemu_opt_get(opts, "listen");
    const char *connect = qemu_opt_get(opts, "connect");
    const char *udp = qemu_opt_get(opts, "udp");
    const char *mcast = qemu_opt_get(opts, "mcast");
    const char *localaddr = qemu_opt_get(opts, "localaddr");
    const char *fd = qemu_opt_get(opts, "fd");
    g_auto(SockAddr) a = { 0 };
    g_auto(SockAddr) b = { 0 };
    NetClientState *nc = NULL;

    if (!net_opts_check(opts, allowed, NULL, errp)) {
        return NULL;
    }
    if (!!fd + !!listen + !!connect + !!mcast + !!udp != 1) {
        error_setg(errp, "exactly one of listen=, connect=, mcast= or udp= "
                   "is required");
        return NULL;
    }
    if (localaddr && !mcast && !udp) {
        error_setg(errp, "localaddr= is only valid with mcast= or udp=");
        return NULL;
    }
    if (fd) {
        return socket_fd_init(id, fd, errp);
    }
    if (mcast) {
        if (net_parse_host_port(mcast, &b, errp) &&
            (!localaddr || net_parse_host_port(localaddr, &a, errp))) {
            nc = net_dgram_new_mcast("socket", id, &b, localaddr ? &a : NULL,
                                     errp);
        }
        return nc;
    }
    if (listen || connect) {
        if (net_parse_host_port(listen ? listen : connect, &a, errp)) {
            nc = net_stream_new("socket", id, &a, listen != NULL, 0, errp);
        }
    } else {
        if (!localaddr) {
            error_setg(errp, "localaddr= is mandatory with udp=");
            return NULL;
        }
        if (net_parse_host_port(udp, &b, errp) &&
            net_parse_host_port(localaddr, &a, errp)) {
            nc = net_dgram_new("socket", id, &a, &b, errp);
        }
    }
    return nc;
}
