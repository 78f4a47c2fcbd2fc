/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network clients: peering, frame delivery with bounded queues, the
 * registry of backends, and the QMP commands netdev_add, netdev_del and
 * set_link.  The backends themselves live in the other files of net/.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "net/net.h"
#include "net/clients.h"
#include "net/filter.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-visit.h"
#include "system/system.h"
#include "qemu/qemu-print.h"

typedef struct NetPacket {
    size_t size;
    uint8_t data[];
} NetPacket;

/* Every client, NICs included, in creation order. */
static GPtrArray *net_clients;

/* Clients whose queue is being delivered (guards against re-entry). */
static GHashTable *flushing;

/*
 * A client created without a name (a NIC with no id) is called after its
 * model with a counter, "virtio-net-pci.0", ".1", ...: QEMU's names, which
 * `info network`, filters and announce-self use.
 */
static char *net_client_assign_name(const char *model)
{
    unsigned n = 0;

    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (!g_strcmp0(nc->model, model)) {
            n++;
        }
    }
    return g_strdup_printf("%s.%u", model, n);
}

NetClientState *qemu_new_net_client(const NetClientInfo *info,
                                    NetClientState *peer, const char *model,
                                    const char *name, void *opaque)
{
    NetClientState *nc = g_new0(NetClientState, 1);

    nc->info = info;
    nc->model = g_strdup(model);
    nc->name = name ? g_strdup(name) : net_client_assign_name(model);
    nc->opaque = opaque;
    nc->queue = g_queue_new();
    nc->filters = g_queue_new();
    if (!net_clients) {
        net_clients = g_ptr_array_new();
    }
    g_ptr_array_add(net_clients, nc);
    if (peer) {
        qemu_net_set_peer(nc, peer);
    }
    return nc;
}

static void unpeer(NetClientState *nc)
{
    NetClientState *peer = nc->peer;

    if (peer) {
        peer->peer = NULL;
        nc->peer = NULL;
        /* A backend given back by its NIC may be taken by another one. */
        peer->claimed = false;
        nc->claimed = false;
    }
}

void qemu_net_set_peer(NetClientState *a, NetClientState *b)
{
    if (a->peer == b) {
        return;
    }
    unpeer(a);
    if (b) {
        unpeer(b);
        a->peer = b;
        b->peer = a;
    }
}

void qemu_purge_queued_packets(NetClientState *nc)
{
    g_queue_clear_full(nc->queue, g_free);
}

void qemu_del_net_client(NetClientState *nc)
{
    if (!nc) {
        return;
    }
    netfilter_netdev_gone(nc);
    unpeer(nc);
    if (net_clients) {
        g_ptr_array_remove(net_clients, nc);
    }
    if (nc->info->cleanup) {
        nc->info->cleanup(nc);
    }
    qemu_purge_queued_packets(nc);
    g_queue_free(nc->queue);
    g_queue_free(nc->filters);
    g_free(nc->name);
    g_free(nc->model);
    g_free(nc);
}

static size_t iov_total(const struct iovec *iov, int iovcnt)
{
    size_t n = 0;

    for (int i = 0; i < iovcnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

static NetPacket *packet_new(const struct iovec *iov, int iovcnt,
                             size_t size)
{
    NetPacket *p = g_malloc(sizeof(*p) + size);
    size_t off = 0;

    p->size = size;
    for (int i = 0; i < iovcnt; i++) {
        memcpy(p->data + off, iov[i].iov_base, iov[i].iov_len);
        off += iov[i].iov_len;
    }
    return p;
}

static bool enqueue(NetClientState *nc, const struct iovec *iov, int iovcnt,
                    size_t size)
{
    if (g_queue_get_length(nc->queue) >= NET_QUEUE_MAX_PACKETS) {
        nc->rx_dropped++;
        return false;
    }
    g_queue_push_tail(nc->queue, packet_new(iov, iovcnt, size));
    nc->rx_queued++;
    return true;
}

void qemu_net_queue_insert(NetClientState *nc, unsigned pos,
                           const struct iovec *iov, int iovcnt)
{
    NetPacket *p = NULL;

    /*
     * A frame of nc's own queue, delivered in this flush and not written
     * after all, goes back as it is: a socket that takes a few frames at
     * a time would otherwise have the rest copied again at every try.
     */
    for (guint i = 0; nc->flush_held && iovcnt == 1 &&
         i < nc->flush_held->len; i++) {
        NetPacket *h = g_ptr_array_index(nc->flush_held, i);

        if (h->data == iov->iov_base) {
            p = g_ptr_array_steal_index(nc->flush_held, i);
            break;
        }
    }
    if (!p) {
        p = packet_new(iov, iovcnt, iov_total(iov, iovcnt));
        nc->rx_queued++;
    }
    g_queue_push_nth(nc->queue, p, pos);
}

NetClientState *qemu_net_batch_begin(NetClientState *sender)
{
    NetClientState *peer = sender->peer;

    if (peer) {
        peer->batch_depth++;
    }
    return peer;
}

void qemu_net_batch_end(NetClientState *receiver)
{
    if (receiver && receiver->batch_depth && !--receiver->batch_depth &&
        receiver->info->batch_end) {
        receiver->info->batch_end(receiver);
    }
}

static bool can_receive_now(NetClientState *nc)
{
    return !nc->info->can_receive || nc->info->can_receive(nc);
}

ssize_t qemu_sendv_packet(NetClientState *sender, const struct iovec *iov,
                          int iovcnt)
{
    NetClientState *peer = sender->peer;
    size_t size = iov_total(iov, iovcnt);
    ssize_t ret;

    /*
     * An empty frame is nothing on any wire, and a receiver taking one
     * would return 0, which means "queue it and retry": a retry loop.
     */
    if (!peer || sender->link_down || size > NET_BUFSIZE || size == 0) {
        sender->tx_dropped++;
        return 0;
    }
    /* A filter that takes the frame answers for it. */
    ret = netfilter_chain_receive(sender, NET_FILTER_DIRECTION_TX, sender,
                                  iov, iovcnt);
    if (!ret) {
        ret = netfilter_chain_receive(peer, NET_FILTER_DIRECTION_RX, sender,
                                      iov, iovcnt);
    }
    if (ret) {
        sender->tx_packets++;
        return ret < 0 ? 0 : ret;
    }
    return qemu_net_deliver_iov(sender, iov, iovcnt);
}

ssize_t qemu_net_deliver_iov(NetClientState *sender, const struct iovec *iov,
                             int iovcnt)
{
    NetClientState *peer = sender->peer;
    size_t size = iov_total(iov, iovcnt);
    ssize_t ret;

    /* Filters pass frames here too (a redirector's may be empty). */
    if (!peer || size == 0 || size > NET_BUFSIZE) {
        sender->tx_dropped++;
        return 0;
    }
    if (peer->link_down) {
        peer->rx_dropped++;
        return 0;
    }
    /* Frames already waiting go first, so order is kept. */
    if (g_queue_is_empty(peer->queue) && can_receive_now(peer)) {
        ret = peer->info->receive_iov(peer, iov, iovcnt);
        if (ret > 0) {
            peer->rx_packets++;
            sender->tx_packets++;
            return size;
        }
        if (ret < 0) {
            peer->rx_dropped++;
            return 0;
        }
    }
    if (!enqueue(peer, iov, iovcnt, size)) {
        return 0;
    }
    sender->tx_packets++;
    return size;
}

ssize_t qemu_send_packet(NetClientState *sender, const uint8_t *buf,
                         size_t size)
{
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = size };

    return qemu_sendv_packet(sender, &iov, 1);
}

bool qemu_can_send_packet(NetClientState *sender)
{
    NetClientState *peer = sender->peer;

    /* Without a peer, or with its link down, frames are dropped anyway. */
    if (!peer || peer->link_down) {
        return true;
    }
    if (!g_queue_is_empty(peer->queue)) {
        return false;
    }
    /*
     * Filters see a frame when it is sent, as in QEMU, whether or not the
     * peer can take it now; so with filters one frame may be read to wait
     * in the peer's queue (a redirector may take it elsewhere).
     */
    return !g_queue_is_empty(sender->filters) ||
           !g_queue_is_empty(peer->filters) || can_receive_now(peer);
}

void qemu_flush_queued_packets(NetClientState *nc)
{
    g_autoptr(GPtrArray) delivered = g_ptr_array_new_with_free_func(g_free);

    if (!flushing) {
        flushing = g_hash_table_new(NULL, NULL);
    }
    if (g_hash_table_contains(flushing, nc)) {
        return;
    }
    g_hash_table_add(flushing, nc);
    /*
     * One batch: what nc holds of these frames is written at its end, so
     * the delivered ones are freed only after it.
     */
    nc->batch_depth++;
    nc->flush_held = delivered;
    while (!g_queue_is_empty(nc->queue) && can_receive_now(nc)) {
        /* The head stays queued while delivered, so re-entrant sends queue. */
        NetPacket *p = g_queue_peek_head(nc->queue);
        struct iovec iov = { .iov_base = p->data, .iov_len = p->size };
        ssize_t ret = nc->info->receive_iov(nc, &iov, 1);

        if (ret == 0) {
            break;
        }
        if (ret < 0) {
            nc->rx_dropped++;
        } else {
            nc->rx_packets++;
        }
        /* The batch may have put frames back in front of p. */
        g_queue_remove(nc->queue, p);
        g_ptr_array_add(delivered, p);
    }
    qemu_net_batch_end(nc);
    nc->flush_held = NULL;
    g_hash_table_remove(flushing, nc);
    if (g_queue_is_empty(nc->queue) && nc->peer &&
        nc->peer->info->send_ready) {
        nc->peer->info->send_ready(nc->peer);
    }
}

void qemu_flush_or_purge_queued_packets(NetClientState *nc)
{
    qemu_flush_queued_packets(nc);
    qemu_purge_queued_packets(nc);
}

/* "info network" */

void qemu_set_info_str(NetClientState *nc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    g_vsnprintf(nc->info_str, sizeof(nc->info_str), fmt, ap);
    va_end(ap);
}

void qemu_format_nic_info_str(NetClientState *nc, const uint8_t mac[6])
{
    qemu_set_info_str(nc, "model=%s,macaddr=%02x:%02x:%02x:%02x:%02x:%02x",
                      nc->model, mac[0], mac[1], mac[2], mac[3], mac[4],
                      mac[5]);
}

static void print_net_client(GString *out, NetClientState *nc)
{
    g_string_append_printf(out, "%s: index=0,type=%s,%s\n", nc->name,
                           nc->info->type, nc->info_str);
    netfilter_print_info(out, nc);
}

void net_info_network(GString *out)
{
    net_hub_info(out, print_net_client);
    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);
        bool is_nic = !strcmp(nc->info->type, "nic");

        if (net_hub_id_for_client(nc, NULL)) {
            continue;           /* shown with its hub */
        }
        if (!nc->peer || is_nic) {
            print_net_client(out, nc);
        }
        if (nc->peer && is_nic) {
            g_string_append(out, " \\ ");
            print_net_client(out, nc->peer);
        }
    }
}

/* Registry */

NetClientState *qemu_find_netdev(const char *id)
{
    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (nc->is_netdev && !g_strcmp0(nc->name, id)) {
            return nc;
        }
    }
    return NULL;
}

NetClientState *qemu_find_net_client(const char *name)
{
    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (!g_strcmp0(nc->name, name)) {
            return nc;
        }
    }
    return NULL;
}

bool qemu_netdev_claim(NetClientState *backend, const char *owner_type,
                       GError **errp)
{
    if (backend->claimed || backend->peer) {
        error_setg(errp, "Property '%s.netdev' can't take value '%s', "
                   "it's in use", owner_type, backend->name);
        return false;
    }
    backend->claimed = true;
    return true;
}

typedef struct NetBackendType {
    const char *name;
    NetInitFunc *init;
} NetBackendType;

static const NetBackendType backend_types[] = {
    { "user", net_init_user },
    { "tap", net_init_tap },
    { "socket", net_init_socket },
    { "stream", net_init_stream },
    { "dgram", net_init_dgram },
    { "hubport", net_init_hubport },
};

/* QEMU 8.1's NetClientDriver values baton does not implement. */
static const char *const other_types[] = {
    "none", "nic", "l2tpv3", "vde", "bridge", "netmap", "vhost-user",
    "vhost-vdpa", "vmnet-host", "vmnet-shared", "vmnet-bridged",
};

static bool type_is_modern(const char *type)
{
    return !strcmp(type, "stream") || !strcmp(type, "dgram");
}

NetClientState *net_client_init(QemuOpts *opts, bool is_hotplug,
                                GError **errp)
{
    const char *type = qemu_opt_get(opts, "type");
    const char *id = qemu_opt_get(opts, "id");
    const NetBackendType *bt = NULL;
    NetClientState *nc;

    if (!type) {
        error_setg(errp, "Parameter 'type' is missing");
        return NULL;
    }
    if (!id) {
        error_setg(errp, "Parameter 'id' is missing");
        return NULL;
    }
    /* -nic makes ids starting with '#' for backends given none. */
    if (!id_wellformed(id) && (is_hotplug || id[0] != '#')) {
        error_setg(errp, "Parameter 'id' expects an identifier");
        return NULL;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(backend_types); i++) {
        if (!strcmp(backend_types[i].name, type)) {
            bt = &backend_types[i];
        }
    }
    if (!bt) {
        for (size_t i = 0; i < G_N_ELEMENTS(other_types); i++) {
            if (!strcmp(other_types[i], type)) {
                error_setg(errp, "network backend '%s' is not compiled into "
                           "this binary", type);
                return NULL;
            }
        }
        error_setg(errp, "Parameter 'type' does not accept value '%s'", type);
        return NULL;
    }
    if (qemu_find_netdev(id)) {
        /* -netdev's legacy types are caught by QemuOpts, with its words. */
        if (!is_hotplug && !type_is_modern(type)) {
            error_setg(errp, "Duplicate ID '%s' for netdev", id);
        } else {
            error_setg(errp, "Duplicate ID '%s'", id);
        }
        return NULL;
    }
    nc = bt->init(opts, id, errp);
    if (nc) {
        nc->is_netdev = true;
    }
    return nc;
}

void net_print_backend_types(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(backend_types); i++) {
        qemu_printf("%s\n", backend_types[i].name);
    }
}

/* The option as the user might have typed it, for error locations. */
static char *netdev_opts_to_arg(QemuOpts *opts)
{
    GString *s = g_string_new(NULL);

    for (guint i = 0; i < opts->list->len; i++) {
        QemuOpt *o = g_ptr_array_index(opts->list, i);

        if (i) {
            g_string_append_c(s, ',');
        }
        if (!(i == 0 && !strcmp(o->name, "type"))) {
            g_string_append_printf(s, "%s=", o->name);
        }
        for (const char *p = o->str; *p; p++) {
            if (*p == ',') {
                g_string_append_c(s, ',');
            }
            g_string_append_c(s, *p);
        }
    }
    return g_string_free(s, false);
}

bool net_init_clients(GError **errp)
{
    GPtrArray *all = qemu_netdev_opts();
    GError *err = NULL;

    for (guint i = 0; all && i < all->len; i++) {
        QemuOpts *opts = g_ptr_array_index(all, i);

        if (!net_client_init(opts, false, &err)) {
            g_autofree char *arg = netdev_opts_to_arg(opts);

            g_propagate_prefixed_error(errp, err, "-netdev %s: ", arg);
            return false;
        }
    }
    return net_nic_init_backends(errp);
}

void net_cleanup(void)
{
    g_autoptr(GPtrArray) doomed = g_ptr_array_new();

    /* Backends only: NICs belong to their devices, which free them. */
    for (guint i = 0; net_clients && i < net_clients->len; i++) {
        NetClientState *nc = g_ptr_array_index(net_clients, i);

        if (strcmp(nc->info->type, "nic")) {
            g_ptr_array_add(doomed, nc);
        }
    }
    for (guint i = 0; i < doomed->len; i++) {
        qemu_del_net_client(g_ptr_array_index(doomed, i));
    }
    net_nic_cleanup();
}

bool qemu_set_link(const char *name, bool up, GError **errp)
{
    NetClientState *nc = qemu_find_net_client(name);

    if (!nc) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  name);
        return false;
    }
    nc->link_down = !up;
    if (nc->info->link_status_changed) {
        nc->info->link_status_changed(nc);
    }
    if (nc->peer) {
        /*
         * As QEMU: a NIC's link follows its backend's, but a hub port or
         * backend peer keeps its own, so a hub's other ports still talk.
         */
        if (!strcmp(nc->peer->info->type, "nic")) {
            nc->peer->link_down = !up;
        }
        if (nc->peer->info->link_status_changed) {
            nc->peer->info->link_status_changed(nc->peer);
        }
    }
    if (up && nc->peer) {
        qemu_flush_queued_packets(nc->peer);
        qemu_flush_queued_packets(nc);
    }
    return true;
}

/* QMP */

void qmp_set_link(const char *name, bool up, GError **errp)
{
    qemu_set_link(name, up, errp);
}

void qmp_netdev_del(const char *id, GError **errp)
{
    NetClientState *nc = qemu_find_netdev(id);

    if (!nc) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "Device '%s' not found",
                  id);
        return;
    }
    qemu_del_net_client(nc);
}

static bool check_str_arg(JsonObject *args, const char *name, GError **errp)
{
    JsonNode *n = json_object_get_member(args, name);

    if (!n) {
        error_setg(errp, "Parameter '%s' is missing", name);
        return false;
    }
    if (!JSON_NODE_HOLDS_VALUE(n) ||
        json_node_get_value_type(n) != G_TYPE_STRING) {
        error_setg(errp, "Invalid parameter type for '%s', expected: string",
                   name);
        return false;
    }
    return true;
}

void qmp_marshal_netdev_add(JsonObject *args, JsonNode **ret, GError **errp)
{
    g_autoptr(QemuOpts) opts = qemu_opts_new();
    g_autoptr(JsonNode) node = json_node_init_object(json_node_alloc(), args);
    g_autoptr(Netdev) checked = NULL;

    if (!check_str_arg(args, "type", errp) ||
        !check_str_arg(args, "id", errp)) {
        return;
    }
    /*
     * The arguments are a Netdev, checked as QEMU's visitor checks them
     * (types, required and unknown members); the backend then reads them
     * as it reads -netdev.
     */
    checked = qapi_Netdev_from_json(node, NULL, errp);
    if (!checked) {
        return;
    }
    /* type and id first, as on the command line */
    qemu_opt_set(opts, "type", json_object_get_string_member(args, "type"));
    qemu_opt_set(opts, "id", json_object_get_string_member(args, "id"));
    qemu_opts_add_json_nested(opts, args, (const char *const[]) {
                                  "type", "id", NULL });
    if (!net_client_init(opts, true, errp)) {
        return;
    }
    g_autoptr(JsonObject) empty = json_object_new();
    *ret = json_node_init_object(json_node_alloc(), empty);
}
