/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -netdev hubport: a hub joins its ports, and a frame arriving at one port
 * (from the port's peer, a NIC or another backend) leaves through every
 * other port.  A hub exists while it has ports.
 */
#include <stdlib.h>
#include <string.h>

#include "net/clients.h"
#include "qapi/error.h"

typedef struct NetHub {
    int id;
    GList *ports;               /* of NetHubPort * */
} NetHub;

typedef struct NetHubPort {
    NetClientState *nc;
    NetHub *hub;
} NetHubPort;

static GList *hubs;

static NetHub *hub_find(int id, bool create)
{
    NetHub *hub;

    for (GList *l = hubs; l; l = l->next) {
        hub = l->data;
        if (hub->id == id) {
            return hub;
        }
    }
    if (!create) {
        return NULL;
    }
    hub = g_new0(NetHub, 1);
    hub->id = id;
    hubs = g_list_append(hubs, hub);
    return hub;
}

int net_hub_port_count(int hub_id)
{
    NetHub *hub = hub_find(hub_id, false);

    return hub ? (int)g_list_length(hub->ports) : 0;
}

static ssize_t hub_port_receive(NetClientState *nc, const struct iovec *iov,
                                int iovcnt)
{
    NetHubPort *port = nc->opaque;
    size_t size = 0;

    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    for (GList *l = port->hub->ports; l; l = l->next) {
        NetHubPort *out = l->data;

        if (out != port) {
            /* Each destination queues (or drops, counted) on its own. */
            qemu_sendv_packet(out->nc, iov, iovcnt);
        }
    }
    return size;
}

static void hub_port_cleanup(NetClientState *nc)
{
    NetHubPort *port = nc->opaque;
    NetHub *hub = port->hub;

    hub->ports = g_list_remove(hub->ports, port);
    if (!hub->ports) {
        hubs = g_list_remove(hubs, hub);
        g_free(hub);
    }
    g_free(port);
}

static const NetClientInfo hub_port_info = {
    .type = "hubport",
    .receive_iov = hub_port_receive,
    .cleanup = hub_port_cleanup,
};

NetClientState *net_init_hubport(QemuOpts *opts, const char *id,
                                 GError **errp)
{
    static const char *const allowed[] = { "hubid", "netdev", NULL };
    const char *hubid = qemu_opt_get(opts, "hubid");
    const char *netdev = qemu_opt_get(opts, "netdev");
    NetClientState *peer = NULL;
    NetHubPort *port;
    char *end;
    long v;

    if (!net_opts_check(opts, allowed, NULL, errp)) {
        return NULL;
    }
    if (!hubid) {
        error_setg(errp, "Parameter 'hubid' is missing");
        return NULL;
    }
    v = strtol(hubid, &end, 0);
    if (!*hubid || *end || v < G_MININT32 || v > G_MAXINT32) {
        error_setg(errp, "Parameter 'hubid' expects int32_t");
        return NULL;
    }
    if (netdev) {
        peer = qemu_find_netdev(netdev);
        if (!peer) {
            error_setg(errp, "netdev '%s' not found", netdev);
            return NULL;
        }
        if (peer->peer || peer->claimed) {
            error_setg(errp, "netdev '%s' is already in use", netdev);
            return NULL;
        }
    }
    port = g_new0(NetHubPort, 1);
    port->hub = hub_find(v, true);
    port->hub->ports = g_list_append(port->hub->ports, port);
    port->nc = qemu_new_net_client(&hub_port_info, peer, "hubport", id, port);
    return port->nc;
}

static NetHubPort *hub_port_of(NetClientState *nc)
{
    return nc && nc->info == &hub_port_info ? nc->opaque : NULL;
}

bool net_hub_id_for_client(NetClientState *nc, int *id)
{
    NetHubPort *port = hub_port_of(nc);

    if (!port) {
        port = hub_port_of(nc->peer);
    }
    if (port && id) {
        *id = port->hub->id;
    }
    return port != NULL;
}

void net_hub_info(GString *out,
                  void (*print)(GString *out, NetClientState *nc))
{
    /* Newest first, as QEMU lists hubs and their ports. */
    for (GList *h = g_list_last(hubs); h; h = h->prev) {
        NetHub *hub = h->data;

        g_string_append_printf(out, "hub %d\n", hub->id);
        for (GList *l = g_list_last(hub->ports); l; l = l->prev) {
            NetHubPort *port = l->data;

            g_string_append_printf(out, " \\ %s", port->nc->name);
            if (port->nc->peer) {
                g_string_append(out, ": ");
                print(out, port->nc->peer);
            } else {
                g_string_append_c(out, '\n');
            }
        }
    }
}
