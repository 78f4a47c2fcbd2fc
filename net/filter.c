/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The netfilter base type: the properties every filter has (netdev, queue,
 * status, position, insert), attaching to a backend's chain when the
 * object is completed, and walking the chain.
 */
#include <string.h>

#include "net/filter.h"
#include "qapi/error.h"
#include "qom/object_interfaces.h"

static const char *const direction_names[] = {
    [NET_FILTER_DIRECTION_ALL] = "all",
    [NET_FILTER_DIRECTION_RX] = "rx",
    [NET_FILTER_DIRECTION_TX] = "tx",
};

static ssize_t filter_receive(NetFilterState *nf, NetFilterDirection dir,
                              NetClientState *sender,
                              const struct iovec *iov, int iovcnt)
{
    if (!nf->on ||
        (nf->direction != dir && nf->direction != NET_FILTER_DIRECTION_ALL)) {
        return 0;
    }
    return NETFILTER_GET_CLASS(nf)->receive_iov(nf, sender, iov, iovcnt);
}

/* tx frames go through the chain in order, rx frames in reverse. */
static GList *chain_step(GList *link, NetFilterDirection dir)
{
    return dir == NET_FILTER_DIRECTION_TX ? link->next : link->prev;
}

static ssize_t chain_from(GList *link, NetFilterDirection dir,
                          NetClientState *sender, const struct iovec *iov,
                          int iovcnt)
{
    for (; link; link = chain_step(link, dir)) {
        ssize_t ret = filter_receive(link->data, dir, sender, iov, iovcnt);

        if (ret) {
            return ret;
        }
    }
    return 0;
}

ssize_t netfilter_chain_receive(NetClientState *nc, NetFilterDirection dir,
                                NetClientState *sender,
                                const struct iovec *iov, int iovcnt)
{
    if (!nc->filters || g_queue_is_empty(nc->filters)) {
        return 0;
    }
    return chain_from(dir == NET_FILTER_DIRECTION_TX ? nc->filters->head
                                                     : nc->filters->tail,
                      dir, sender, iov, iovcnt);
}

static size_t iov_size(const struct iovec *iov, int iovcnt)
{
    size_t n = 0;

    for (int i = 0; i < iovcnt; i++) {
        n += iov[i].iov_len;
    }
    return n;
}

ssize_t qemu_netfilter_pass_to_next(NetClientState *sender,
                                    const struct iovec *iov, int iovcnt,
                                    NetFilterState *nf)
{
    NetFilterDirection dir = nf->direction;
    GList *link;
    ssize_t ret;

    if (!sender || !sender->peer || !nf->netdev) {
        return iov_size(iov, iovcnt);       /* nowhere to go */
    }
    if (dir == NET_FILTER_DIRECTION_ALL) {
        dir = sender == nf->netdev ? NET_FILTER_DIRECTION_TX
                                   : NET_FILTER_DIRECTION_RX;
    }
    link = g_queue_find(nf->netdev->filters, nf);
    ret = link ? chain_from(chain_step(link, dir), dir, sender, iov, iovcnt)
               : 0;
    if (ret) {
        return ret;
    }
    /* A filter may have deleted the backend on the way. */
    if (sender->peer) {
        qemu_net_deliver_iov(sender, iov, iovcnt);
    }
    return iov_size(iov, iovcnt);
}

void netfilter_chr_send(Chardev *chr, NetFilterState *nf, bool vnet_hdr,
                        const struct iovec *iov, int iovcnt)
{
    size_t size = iov_size(iov, iovcnt);
    /* QEMU's vnet_hdr_len: what a tap with vnet_hdr=on carries. */
    uint32_t hdr_len = nf->netdev && nf->netdev->has_vnet_hdr ? 12 : 0;
    uint8_t hdr[8] = {
        size >> 24, size >> 16, size >> 8, size,
        hdr_len >> 24, hdr_len >> 16, hdr_len >> 8, hdr_len,
    };

    if (!size || !qemu_chr_fe_is_connected(chr)) {
        return;
    }
    qemu_chr_fe_write_all(chr, hdr, vnet_hdr ? 8 : 4);
    for (int i = 0; i < iovcnt; i++) {
        qemu_chr_fe_write_all(chr, iov[i].iov_base, iov[i].iov_len);
    }
}

Chardev *netfilter_find_chardev(const char *id, const char *prefix,
                                GError **errp)
{
    Chardev *chr = qemu_chr_find(id);

    if (!chr) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND, "%sDevice '%s' not found",
                  prefix, id);
    }
    return chr;
}

/* Properties */

static char *get_netdev(Object *obj, GError **errp)
{
    return g_strdup(NETFILTER(obj)->netdev_id);
}

static void set_netdev(Object *obj, const char *v, GError **errp)
{
    NetFilterState *nf = NETFILTER(obj);

    g_free(nf->netdev_id);
    nf->netdev_id = g_strdup(v);
}

static char *get_queue(Object *obj, GError **errp)
{
    return g_strdup(direction_names[NETFILTER(obj)->direction]);
}

static void set_queue(Object *obj, const char *v, GError **errp)
{
    for (size_t i = 0; i < G_N_ELEMENTS(direction_names); i++) {
        if (!strcmp(v, direction_names[i])) {
            NETFILTER(obj)->direction = i;
            return;
        }
    }
    error_setg(errp, "Parameter 'queue' does not accept value '%s'", v);
}

static char *get_status(Object *obj, GError **errp)
{
    return g_strdup(NETFILTER(obj)->on ? "on" : "off");
}

static void set_status(Object *obj, const char *v, GError **errp)
{
    NetFilterState *nf = NETFILTER(obj);
    NetFilterClass *nfc = NETFILTER_GET_CLASS(obj);
    bool on = !strcmp(v, "on");

    if (!on && strcmp(v, "off")) {
        error_setg(errp, "Invalid value for netfilter status, should be 'on' "
                   "or 'off'");
        return;
    }
    if (nf->on == on) {
        return;
    }
    nf->on = on;
    if (nf->netdev && nfc->status_changed) {
        nfc->status_changed(nf);
    }
}

static char *get_position(Object *obj, GError **errp)
{
    return g_strdup(NETFILTER(obj)->position);
}

static void set_position(Object *obj, const char *v, GError **errp)
{
    NetFilterState *nf = NETFILTER(obj);

    g_free(nf->position);
    nf->position = g_strdup(v);
}

static char *get_insert(Object *obj, GError **errp)
{
    return g_strdup(NETFILTER(obj)->insert_before ? "before" : "behind");
}

static void set_insert(Object *obj, const char *v, GError **errp)
{
    if (strcmp(v, "before") && strcmp(v, "behind")) {
        error_setg(errp, "Invalid value for netfilter insert, should be "
                   "'before' or 'behind'");
        return;
    }
    NETFILTER(obj)->insert_before = !strcmp(v, "before");
}

/* Completion: find the backend and the place in its chain */

static bool find_position(NetFilterState *nf, NetClientState *nc,
                          GList **link, GError **errp)
{
    const char *id;
    Object *obj;

    *link = NULL;
    if (!strcmp(nf->position, "head") || !strcmp(nf->position, "tail")) {
        return true;
    }
    if (!g_str_has_prefix(nf->position, "id=")) {
        error_setg(errp, "Parameter 'position' expects 'head', 'tail' or "
                   "'id=<id>'");
        return false;
    }
    id = nf->position + 3;
    obj = object_resolve_path_component(object_get_objects_root(), id);
    if (!obj || !object_dynamic_cast(obj, TYPE_NETFILTER)) {
        error_setg(errp, "filter '%s' not found", id);
        return false;
    }
    *link = g_queue_find(nc->filters, obj);
    if (NETFILTER(obj)->netdev != nc || !*link) {
        error_setg(errp, "filter '%s' belongs to a different netdev", id);
        return false;
    }
    return true;
}

static bool netfilter_complete(Object *obj, GError **errp)
{
    NetFilterState *nf = NETFILTER(obj);
    NetFilterClass *nfc = NETFILTER_GET_CLASS(obj);
    NetClientState *nc;
    GList *at;

    if (!nf->netdev_id) {
        error_setg(errp, "Parameter 'netdev' is required");
        return false;
    }
    nc = qemu_find_netdev(nf->netdev_id);
    if (!nc) {
        error_setg(errp, "Parameter 'netdev' expects a network backend id");
        return false;
    }
    if (!find_position(nf, nc, &at, errp)) {
        return false;
    }
    nf->netdev = nc;
    if (nfc->setup && !nfc->setup(nf, errp)) {
        nf->netdev = NULL;
        return false;
    }
    if (at && nf->insert_before) {
        g_queue_insert_before(nc->filters, at, nf);
    } else if (at) {
        g_queue_insert_after(nc->filters, at, nf);
    } else if (!strcmp(nf->position, "head")) {
        g_queue_push_head(nc->filters, nf);
    } else {
        g_queue_push_tail(nc->filters, nf);
    }
    return true;
}

void netfilter_netdev_gone(NetClientState *nc)
{
    NetFilterState *nf;

    while (nc->filters && (nf = g_queue_pop_head(nc->filters))) {
        nf->netdev = NULL;
        object_unparent(OBJECT(nf));
    }
}

static void netfilter_init(Object *obj)
{
    NetFilterState *nf = NETFILTER(obj);

    nf->on = true;
    nf->position = g_strdup("tail");
}

static void netfilter_finalize(Object *obj)
{
    NetFilterState *nf = NETFILTER(obj);
    NetFilterClass *nfc = NETFILTER_GET_CLASS(obj);

    if (nfc->cleanup) {
        nfc->cleanup(nf);
    }
    if (nf->netdev) {
        g_queue_remove(nf->netdev->filters, nf);
    }
    g_free(nf->netdev_id);
    g_free(nf->position);
}

/* "info network" */

static gint prop_name_cmp(gconstpointer a, gconstpointer b)
{
    const ObjectProperty *pa = *(ObjectProperty *const *)a;
    const ObjectProperty *pb = *(ObjectProperty *const *)b;

    return strcmp(pa->name, pb->name);
}

static void add_prop(ObjectProperty *prop, void *opaque)
{
    if (prop->get && strcmp(prop->name, "type")) {
        g_ptr_array_add(opaque, prop);
    }
}

void netfilter_print_info(GString *out, NetClientState *nc)
{
    if (!nc->filters || g_queue_is_empty(nc->filters)) {
        return;
    }
    g_string_append(out, "filters:\n");
    for (GList *l = nc->filters->head; l; l = l->next) {
        Object *obj = l->data;
        g_autoptr(GPtrArray) props = g_ptr_array_new();

        g_string_append_printf(out, "  - %s: type=%s",
                               object_get_canonical_path_component(obj),
                               object_get_typename(obj));
        object_property_foreach(obj, add_prop, props);
        g_ptr_array_sort(props, prop_name_cmp);
        for (guint i = 0; i < props->len; i++) {
            ObjectProperty *prop = g_ptr_array_index(props, i);
            JsonNode *v = object_property_get(obj, prop->name, NULL);

            if (!v) {
                continue;
            }
            if (JSON_NODE_HOLDS_VALUE(v) &&
                json_node_get_value_type(v) == G_TYPE_STRING) {
                g_string_append_printf(out, ",%s=%s", prop->name,
                                       json_node_get_string(v));
            } else if (!JSON_NODE_HOLDS_NULL(v)) {
                g_autofree char *s = json_to_string(v, false);

                g_string_append_printf(out, ",%s=%s", prop->name, s);
            }
            json_node_unref(v);
        }
        g_string_append_c(out, '\n');
    }
}

static void netfilter_class_init(ObjectClass *oc, void *data)
{
    USER_CREATABLE_CLASS(oc)->complete = netfilter_complete;
    USER_CREATABLE_CLASS(oc)->late = true;
    object_class_property_add_str(oc, "netdev", get_netdev, set_netdev);
    object_class_property_add_str(oc, "queue", get_queue, set_queue);
    object_class_property_add_str(oc, "status", get_status, set_status);
    object_class_property_add_str(oc, "position", get_position,
                                  set_position);
    object_class_property_add_str(oc, "insert", get_insert, set_insert);
}

static const InterfaceInfo netfilter_interfaces[] = {
    { TYPE_USER_CREATABLE },
    { NULL },
};

static void netfilter_register(void)
{
    static const TypeInfo info = {
        .name = TYPE_NETFILTER,
        .parent = TYPE_OBJECT,
        .abstract = true,
        .instance_size = sizeof(NetFilterState),
        .class_size = sizeof(NetFilterClass),
        .instance_init = netfilter_init,
        .instance_finalize = netfilter_finalize,
        .class_init = netfilter_class_init,
        .interfaces = netfilter_interfaces,
    };

    type_register_static(&info);
}
type_init(netfilter_register)
