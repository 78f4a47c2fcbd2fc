/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev socket, the pre-7.2 spelling: listen=/connect= are a stream
 * backend (same 4-byte length framing), udp=+localaddr= a datagram one.
 */
#include <string.h>

#include "net/clients.h"
#include "qapi/error.h"

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
        error_setg(errp, "fd= is not supported; use -netdev stream or dgram");
        return NULL;
    }
    if (mcast) {
        error_setg(errp, "mcast= is not supported; use -netdev dgram");
        return NULL;
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
