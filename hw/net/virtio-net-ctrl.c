/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net control queue and receive filter: RX modes, the MAC table,
 * VLAN filtering, announce acks and guest offloads; the filter applied to
 * incoming frames; NIC_RX_FILTER_CHANGED and query-rx-filter.
 *
 * NIC_RX_FILTER_CHANGED is rate-limited as in QEMU: after one event no
 * more are sent for that NIC until a management tool reads the filter with
 * query-rx-filter.
 */
#include <string.h>

#include "hw/virtio/virtio-net.h"
#include "qapi/error.h"
#include "qapi/qapi-commands.h"
#include "qapi/qapi-events.h"

#define ETH_ALEN 6
/* Largest command accepted: two full MAC tables and then some. */
#define CTRL_MAX_DATA 4096

static const uint8_t eth_bcast[ETH_ALEN] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/* ---- Filter state -------------------------------------------------------- */

void virtio_net_rx_filter_reset(VirtIONet *n)
{
    n->promisc = true;
    n->allmulti = n->alluni = false;
    n->nomulti = n->nouni = n->nobcast = false;
    n->mac_table.in_use = 0;
    n->mac_table.first_multi = 0;
    n->mac_table.multi_overflow = false;
    n->mac_table.uni_overflow = false;
    if (n->mac_table.macs) {
        memset(n->mac_table.macs, 0, MAC_TABLE_ENTRIES * ETH_ALEN);
    }
    if (n->vlans) {
        memset(n->vlans, 0, MAX_VLAN / 8);
    }
}

void virtio_net_rx_filter_changed(VirtIONet *n)
{
    g_autofree char *path = NULL;

    if (!n->rx_filter_event_enabled) {
        return;
    }
    path = object_get_canonical_path(OBJECT(n));
    qapi_event_send_nic_rx_filter_changed(n->nic_name, path ? path : "");
    n->rx_filter_event_enabled = false;
}

static bool mac_in(const VirtIONet *n, const uint8_t *mac, uint32_t from,
                   uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        if (!memcmp(mac, n->mac_table.macs + i * ETH_ALEN, ETH_ALEN)) {
            return true;
        }
    }
    return false;
}

bool virtio_net_receive_filter(VirtIONet *n, const uint8_t *buf, size_t size)
{
    if (n->promisc) {
        return true;
    }
    if (size < ETH_ALEN) {
        return false;
    }
    if (size >= 16 && buf[12] == 0x81 && buf[13] == 0x00) {
        unsigned int vid = ((buf[14] << 8) | buf[15]) & 0xfff;

        if (!(n->vlans[vid >> 5] & (1u << (vid & 0x1f)))) {
            return false;
        }
    }
    if (buf[0] & 1) {
        if (!memcmp(buf, eth_bcast, ETH_ALEN)) {
            return !n->nobcast;
        }
        if (n->nomulti) {
            return false;
        }
        if (n->allmulti || n->mac_table.multi_overflow) {
            return true;
        }
        return mac_in(n, buf, n->mac_table.first_multi, n->mac_table.in_use);
    }
    if (n->nouni) {
        return false;
    }
    if (n->alluni || n->mac_table.uni_overflow ||
        !memcmp(buf, n->mac.a, ETH_ALEN)) {
        return true;
    }
    return mac_in(n, buf, 0, n->mac_table.first_multi);
}

/* ---- Commands ------------------------------------------------------------ */

static uint8_t ctrl_rx(VirtIONet *n, uint8_t cmd, const uint8_t *data,
                       size_t len)
{
    bool on;

    if (len != 1) {
        return VIRTIO_NET_ERR;
    }
    on = data[0];
    switch (cmd) {
    case VIRTIO_NET_CTRL_RX_PROMISC:
        n->promisc = on;
        break;
    case VIRTIO_NET_CTRL_RX_ALLMULTI:
        n->allmulti = on;
        break;
    case VIRTIO_NET_CTRL_RX_ALLUNI:
        n->alluni = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOMULTI:
        n->nomulti = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOUNI:
        n->nouni = on;
        break;
    case VIRTIO_NET_CTRL_RX_NOBCAST:
        n->nobcast = on;
        break;
    default:
        return VIRTIO_NET_ERR;
    }
    virtio_net_rx_filter_changed(n);
    return VIRTIO_NET_OK;
}

/* One table of a MAC_TABLE_SET: le32 count then count addresses. */
static bool ctrl_mac_table(const uint8_t *data, size_t len, size_t *pos,
                           uint32_t *entries)
{
    if (len - *pos < 4) {
        return false;
    }
    *entries = data[*pos] | (data[*pos + 1] << 8) |
               (data[*pos + 2] << 16) | ((uint32_t)data[*pos + 3] << 24);
    *pos += 4;
    if (*entries > (len - *pos) / ETH_ALEN) {
        return false;
    }
    return true;
}

static uint8_t ctrl_mac(VirtIONet *n, uint8_t cmd, const uint8_t *data,
                        size_t len)
{
    uint8_t macs[MAC_TABLE_ENTRIES * ETH_ALEN];
    uint32_t uni, multi, in_use = 0, first_multi;
    bool uni_overflow = false, multi_overflow = false;
    size_t pos = 0;

    if (cmd == VIRTIO_NET_CTRL_MAC_ADDR_SET) {
        if (len != ETH_ALEN) {
            return VIRTIO_NET_ERR;
        }
        memcpy(n->mac.a, data, ETH_ALEN);
        qemu_format_nic_info_str(n->nic, n->mac.a);
        virtio_net_rx_filter_changed(n);
        return VIRTIO_NET_OK;
    }
    if (cmd != VIRTIO_NET_CTRL_MAC_TABLE_SET) {
        return VIRTIO_NET_ERR;
    }
    if (!ctrl_mac_table(data, len, &pos, &uni)) {
        return VIRTIO_NET_ERR;
    }
    if (uni <= MAC_TABLE_ENTRIES) {
        memcpy(macs, data + pos, uni * ETH_ALEN);
        in_use = uni;
    } else {
        uni_overflow = true;
    }
    pos += (size_t)uni * ETH_ALEN;
    first_multi = in_use;
    if (!ctrl_mac_table(data, len, &pos, &multi) ||
        (size_t)multi * ETH_ALEN != len - pos) {
        return VIRTIO_NET_ERR;
    }
    if (in_use + multi <= MAC_TABLE_ENTRIES) {
        memcpy(macs + in_use * ETH_ALEN, data + pos, multi * ETH_ALEN);
        in_use += multi;
    } else {
        multi_overflow = true;
    }
    memcpy(n->mac_table.macs, macs, in_use * ETH_ALEN);
    n->mac_table.in_use = in_use;
    n->mac_table.first_multi = first_multi;
    n->mac_table.uni_overflow = uni_overflow;
    n->mac_table.multi_overflow = multi_overflow;
    virtio_net_rx_filter_changed(n);
    return VIRTIO_NET_OK;
}

static uint8_t ctrl_vlan(VirtIONet *n, uint8_t cmd, const uint8_t *data,
                         size_t len)
{
    uint16_t vid;

    if (len != 2) {
        return VIRTIO_NET_ERR;
    }
    vid = data[0] | (data[1] << 8);
    if (vid >= MAX_VLAN) {
        return VIRTIO_NET_ERR;
    }
    if (cmd == VIRTIO_NET_CTRL_VLAN_ADD) {
        n->vlans[vid >> 5] |= 1u << (vid & 0x1f);
    } else if (cmd == VIRTIO_NET_CTRL_VLAN_DEL) {
        n->vlans[vid >> 5] &= ~(1u << (vid & 0x1f));
    } else {
        return VIRTIO_NET_ERR;
    }
    virtio_net_rx_filter_changed(n);
    return VIRTIO_NET_OK;
}

static uint8_t ctrl_announce(VirtIONet *n, uint8_t cmd)
{
    if (cmd == VIRTIO_NET_CTRL_ANNOUNCE_ACK &&
        (n->status & VIRTIO_NET_S_ANNOUNCE)) {
        n->status &= ~VIRTIO_NET_S_ANNOUNCE;
        return VIRTIO_NET_OK;
    }
    return VIRTIO_NET_ERR;
}

static uint8_t ctrl_offloads(VirtIONet *n, uint8_t cmd, const uint8_t *data,
                             size_t len)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint64_t offloads = 0;
    uint64_t supported = vdev->guest_features &
                         ((1ULL << VIRTIO_NET_F_GUEST_CSUM) |
                          (1ULL << VIRTIO_NET_F_GUEST_TSO4) |
                          (1ULL << VIRTIO_NET_F_GUEST_TSO6) |
                          (1ULL << VIRTIO_NET_F_GUEST_ECN) |
                          (1ULL << VIRTIO_NET_F_GUEST_UFO));

    if (len != 8 || cmd != 0 ||
        !virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS)) {
        return VIRTIO_NET_ERR;
    }
    for (int i = 7; i >= 0; i--) {
        offloads = (offloads << 8) | data[i];
    }
    if (offloads & ~supported) {
        return VIRTIO_NET_ERR;
    }
    n->curr_guest_offloads = offloads;
    return VIRTIO_NET_OK;
}

static uint8_t ctrl_dispatch(VirtIONet *n, uint8_t cls, uint8_t cmd,
                             const uint8_t *data, size_t len)
{
    switch (cls) {
    case VIRTIO_NET_CTRL_RX:
        return ctrl_rx(n, cmd, data, len);
    case VIRTIO_NET_CTRL_MAC:
        return ctrl_mac(n, cmd, data, len);
    case VIRTIO_NET_CTRL_VLAN:
        return ctrl_vlan(n, cmd, data, len);
    case VIRTIO_NET_CTRL_ANNOUNCE:
        return ctrl_announce(n, cmd);
    case VIRTIO_NET_CTRL_GUEST_OFFLOADS:
        return ctrl_offloads(n, cmd, data, len);
    default:
        return VIRTIO_NET_ERR;
    }
}

void virtio_net_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    VirtQueueElement *elem;
    g_autofree uint8_t *buf = g_malloc(CTRL_MAX_DATA + 2);

    while ((elem = virtqueue_pop(vq))) {
        uint8_t status = VIRTIO_NET_ERR;
        size_t len;

        if (elem->in_len < 1 || elem->out_len < 2) {
            virtio_error(vdev, "virtio-net ctrl missing headers");
            return;
        }
        if (elem->out_len <= CTRL_MAX_DATA + 2) {
            len = virtio_iov_to_buf(elem->out_sg, elem->out_num, 0, buf,
                                    elem->out_len);
            status = ctrl_dispatch(n, buf[0], buf[1], buf + 2, len - 2);
        }
        virtio_iov_from_buf(elem->in_sg, elem->in_num, 0, &status, 1);
        virtqueue_push(vq, elem, 1);
        virtio_notify(vdev, vq);
    }
}

/* ---- query-rx-filter ----------------------------------------------------- */

static RxState rx_state(bool none, bool all)
{
    return none ? RX_STATE_NONE : all ? RX_STATE_ALL : RX_STATE_NORMAL;
}

static char *mac_str(const uint8_t *m)
{
    return g_strdup_printf("%02x:%02x:%02x:%02x:%02x:%02x",
                           m[0], m[1], m[2], m[3], m[4], m[5]);
}

static strList *mac_list(const VirtIONet *n, uint32_t from, uint32_t to)
{
    strList *head = NULL, **tail = &head;

    for (uint32_t i = from; i < to; i++) {
        strList *e = g_new0(strList, 1);

        e->value = mac_str(n->mac_table.macs + i * ETH_ALEN);
        *tail = e;
        tail = &e->next;
    }
    return head;
}

static RxFilterInfo *virtio_net_query_rx_filter(VirtIONet *n)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    RxFilterInfo *info = g_new0(RxFilterInfo, 1);
    intList **tail = &info->vlan_table;

    info->name = g_strdup(n->nic->name);
    info->promiscuous = n->promisc;
    info->unicast = rx_state(n->nouni, n->alluni);
    info->multicast = rx_state(n->nomulti, n->allmulti);
    info->broadcast_allowed = !n->nobcast;
    info->multicast_overflow = n->mac_table.multi_overflow;
    info->unicast_overflow = n->mac_table.uni_overflow;
    info->main_mac = mac_str(n->mac.a);
    info->unicast_table = mac_list(n, 0, n->mac_table.first_multi);
    info->multicast_table = mac_list(n, n->mac_table.first_multi,
                                     n->mac_table.in_use);
    if (virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_VLAN)) {
        info->vlan = RX_STATE_NORMAL;
        for (int vid = 0; vid < MAX_VLAN; vid++) {
            if (n->vlans[vid >> 5] & (1u << (vid & 0x1f))) {
                intList *e = g_new0(intList, 1);

                e->value = vid;
                *tail = e;
                tail = &e->next;
            }
        }
    } else {
        info->vlan = RX_STATE_ALL;
    }
    /* Read: the next change may be reported again. */
    n->rx_filter_event_enabled = true;
    return info;
}

RxFilterInfoList *qmp_query_rx_filter(const char *name, GError **errp)
{
    RxFilterInfoList *head = NULL, **tail = &head;
    bool found = false;

    for (GList *l = virtio_net_list(); l; l = l->next) {
        VirtIONet *n = l->data;
        RxFilterInfoList *e;

        if (!n->nic || (name && strcmp(n->nic->name, name))) {
            continue;
        }
        found = true;
        e = g_new0(RxFilterInfoList, 1);
        e->value = virtio_net_query_rx_filter(n);
        *tail = e;
        tail = &e->next;
    }
    if (name && !found) {
        if (qemu_find_netdev(name)) {
            error_setg(errp, "net client(%s) isn't a NIC", name);
        } else {
            error_setg(errp, "invalid net client name: %s", name);
        }
        qapi_free_RxFilterInfoList(head);
        return NULL;
    }
    return head;
}
