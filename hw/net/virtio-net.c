/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net device: feature set, config space, link status and the data
 * path between the guest's rings and the peer backend.
 *
 * TX: a kick on the TX queue sends every available chain (minus the
 * guest's virtio-net header, unless the backend takes headers) to the
 * peer and returns it at once; the net layer queues or counts drops.
 * RX: the backend hands us a frame; it is filtered (ctrl queue state), then
 * copied with a header into one buffer or, with MRG_RXBUF, as many as it
 * needs.  No buffer: we return 0 and the net layer keeps the frame until
 * the guest adds buffers and kicks the RX queue.
 */
#include <string.h>

#include "hw/virtio/virtio-net.h"
#include "qapi/error.h"
#include "migration/vmstate.h"

#define ETH_ALEN 6
#define MAC_DEFAULT_FIRST 0x56
#define MAC_DEFAULT_LAST 0xff
#define VIRTIO_NET_CTRL_QUEUE_SIZE 64
/* Frames handed to the backend as one batch, and room for their pieces. */
#define TX_BATCH 64
#define TX_IOV_MAX (2 * (VIRTQUEUE_MAX_SIZE + sizeof(VirtioNetHdr)))

/* Bits that need a backend able to carry a virtio-net header. */
#define VNET_HDR_FEATURES ((1ULL << VIRTIO_NET_F_CSUM) | \
                           (1ULL << VIRTIO_NET_F_GUEST_CSUM) | \
                           (1ULL << VIRTIO_NET_F_GUEST_TSO4) | \
                           (1ULL << VIRTIO_NET_F_GUEST_TSO6) | \
                           (1ULL << VIRTIO_NET_F_GUEST_ECN) | \
                           (1ULL << VIRTIO_NET_F_GUEST_UFO) | \
                           (1ULL << VIRTIO_NET_F_HOST_TSO4) | \
                           (1ULL << VIRTIO_NET_F_HOST_TSO6) | \
                           (1ULL << VIRTIO_NET_F_HOST_ECN) | \
                           (1ULL << VIRTIO_NET_F_HOST_UFO) | \
                           (1ULL << VIRTIO_NET_F_HASH_REPORT))

static GList *virtio_net_devices;
static const VirtioNetFailoverOps *failover_ops;

GList *virtio_net_list(void)
{
    return virtio_net_devices;
}

void virtio_net_set_failover_ops(const VirtioNetFailoverOps *ops)
{
    failover_ops = ops;
}

void virtio_net_failover_features_ok(VirtIONet *n, uint64_t features)
{
    if (failover_ops && failover_ops->features_set) {
        failover_ops->features_set(n, features);
    }
}

/* ---- Default MAC addresses ----------------------------------------------- */

/*
 * 52:54:00:12:34:NN with NN the first value from 0x56 no NIC uses; a user
 * MAC in that range takes its slot too, as QEMU counts them.
 */
static uint32_t mac_slots[256];
static const uint8_t mac_base[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34 };

static bool mac_is_zero(const MACAddr *mac)
{
    static const MACAddr zero;

    return !memcmp(mac, &zero, sizeof(zero));
}

static uint32_t mac_slot_take(MACAddr *mac)
{
    if (!mac_is_zero(mac)) {
        if (memcmp(mac->a, mac_base, ETH_ALEN - 1) ||
            mac->a[5] < MAC_DEFAULT_FIRST) {
            return 0;
        }
        mac_slots[mac->a[5]]++;
        return mac->a[5];
    }
    memcpy(mac->a, mac_base, ETH_ALEN - 1);
    for (uint32_t i = MAC_DEFAULT_FIRST; i <= MAC_DEFAULT_LAST; i++) {
        if (!mac_slots[i]) {
            mac_slots[i]++;
            mac->a[5] = i;
            return i;
        }
    }
    /* All taken: share the first one rather than fail. */
    mac_slots[MAC_DEFAULT_FIRST]++;
    mac->a[5] = MAC_DEFAULT_FIRST;
    return MAC_DEFAULT_FIRST;
}

static void mac_slot_free(uint32_t slot)
{
    if (slot && mac_slots[slot]) {
        mac_slots[slot]--;
    }
}

/* ---- Features and config ------------------------------------------------- */

static bool peer_has_vnet_hdr(VirtIONet *n)
{
    return n->nic && n->nic->peer && n->nic->peer->has_vnet_hdr;
}

static uint64_t virtio_net_get_features(VirtIODevice *vdev, uint64_t requested)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    uint64_t f = requested | n->conf.host_features;

    f |= 1ULL << VIRTIO_NET_F_MAC;
    if (n->conf.host_mtu) {
        f |= 1ULL << VIRTIO_NET_F_MTU;
    }
    if (n->conf.speed >= 0 || n->conf.duplex_str) {
        f |= 1ULL << VIRTIO_NET_F_SPEED_DUPLEX;
    }
    if (n->conf.failover) {
        f |= 1ULL << VIRTIO_NET_F_STANDBY;
    }
    if (!peer_has_vnet_hdr(n)) {
        f &= ~VNET_HDR_FEATURES;
    }
    return f;
}

static void virtio_net_set_features(VirtIODevice *vdev, uint64_t features)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    n->mergeable_rx_bufs = virtio_has_feature(features,
                                              VIRTIO_NET_F_MRG_RXBUF);
    n->guest_hdr_len = (n->mergeable_rx_bufs ||
                        virtio_has_feature(features, VIRTIO_F_VERSION_1)) ?
                       sizeof(VirtioNetHdrMrgRxbuf) : sizeof(VirtioNetHdr);
    /* Without VLAN filtering every VLAN passes. */
    memset(n->vlans, virtio_has_feature(features, VIRTIO_NET_F_CTRL_VLAN) ?
           0 : 0xff, MAX_VLAN / 8);
    n->curr_guest_offloads = features & ((1ULL << VIRTIO_NET_F_GUEST_CSUM) |
                                         (1ULL << VIRTIO_NET_F_GUEST_TSO4) |
                                         (1ULL << VIRTIO_NET_F_GUEST_TSO6) |
                                         (1ULL << VIRTIO_NET_F_GUEST_ECN) |
                                         (1ULL << VIRTIO_NET_F_GUEST_UFO));
    virtio_net_failover_features_ok(n, features);
}

/* Config length: up to the last field a feature makes present. */
static size_t virtio_net_config_size(uint64_t f)
{
    size_t size = 6;                            /* mac */

    if (virtio_has_feature(f, VIRTIO_NET_F_STATUS)) {
        size = 8;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_MQ)) {
        size = 10;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_MTU)) {
        size = 12;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_SPEED_DUPLEX)) {
        size = 17;
    }
    if (virtio_has_feature(f, VIRTIO_NET_F_RSS) ||
        virtio_has_feature(f, VIRTIO_NET_F_HASH_REPORT)) {
        size = 24;
    }
    return size;
}

static void virtio_net_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    uint8_t cfg[24] = { 0 };

    memcpy(cfg, n->mac.a, ETH_ALEN);
    cfg[6] = n->status;
    cfg[7] = n->status >> 8;
    cfg[8] = 1;                                 /* max_virtqueue_pairs */
    cfg[10] = n->conf.host_mtu;
    cfg[11] = n->conf.host_mtu >> 8;
    cfg[12] = n->conf.speed;
    cfg[13] = n->conf.speed >> 8;
    cfg[14] = n->conf.speed >> 16;
    cfg[15] = n->conf.speed >> 24;
    cfg[16] = n->duplex;
    memcpy(config, cfg, MIN(vdev->config_len, sizeof(cfg)));
}

static void virtio_net_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    /* Only a legacy driver without CTRL_MAC_ADDR sets the MAC this way. */
    if (!virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_MAC_ADDR) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) &&
        memcmp(config, n->mac.a, ETH_ALEN)) {
        memcpy(n->mac.a, config, ETH_ALEN);
        qemu_format_nic_info_str(n->nic, n->mac.a);
    }
}

/* ---- Link status ----------------------------------------------------------- */

static void virtio_net_set_link_status(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint16_t old = n->status;

    if (nc->link_down) {
        n->status &= ~VIRTIO_NET_S_LINK_UP;
    } else {
        n->status |= VIRTIO_NET_S_LINK_UP;
    }
    if (n->status != old && virtio_has_feature(vdev->host_features,
                                               VIRTIO_NET_F_STATUS)) {
        virtio_notify_config(vdev);
    }
}

void virtio_net_announce(VirtIONet *n)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);

    if (virtio_vdev_has_feature(vdev, VIRTIO_NET_F_GUEST_ANNOUNCE) &&
        virtio_vdev_has_feature(vdev, VIRTIO_NET_F_CTRL_VQ)) {
        n->status |= VIRTIO_NET_S_ANNOUNCE;
        virtio_notify_config(vdev);
    }
}

/* ---- RX ------------------------------------------------------------------- */

static bool virtio_net_can_receive(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);

    /*
     * A stopped VM's rings are left alone (QEMU: vm_running): the backend
     * holds the frames until it runs again.  Otherwise a source stopped
     * for migration would go on filling buffers after its device state was
     * sent, and a driver still polling it (qtest) would see completions
     * the destination never heard of.
     */
    return vdev->vm_running &&
           (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && !vdev->broken &&
           virtio_queue_ready(n->rx_vq);
}

/* The header the guest gets in front of a frame. */
static void virtio_net_rx_header(VirtIONet *n, const struct iovec *iov,
                                 int iovcnt, size_t *skip,
                                 VirtioNetHdrMrgRxbuf *hdr)
{
    memset(hdr, 0, sizeof(*hdr));
    *skip = 0;
    if (n->has_vnet_hdr) {
        virtio_iov_to_buf(iov, iovcnt, 0, &hdr->hdr, sizeof(hdr->hdr));
        *skip = sizeof(hdr->hdr);
    }
}

static size_t iov_total(const struct iovec *iov, int iovcnt)
{
    size_t len = 0;

    for (int i = 0; i < iovcnt; i++) {
        len += iov[i].iov_len;
    }
    return len;
}

/*
 * Copy bytes [off, off + len) of the frame iov into dst at dst_off;
 * returns the bytes copied.
 */
static size_t copy_frame(const struct iovec *dst, unsigned int dst_cnt,
                         size_t dst_off, const struct iovec *iov, int iovcnt,
                         size_t off, size_t len)
{
    size_t done = 0;

    for (int i = 0; i < iovcnt && done < len; i++) {
        size_t n;

        if (off >= iov[i].iov_len) {
            off -= iov[i].iov_len;
            continue;
        }
        n = MIN(iov[i].iov_len - off, len - done);
        n = virtio_iov_from_buf(dst, dst_cnt, dst_off + done,
                                (const uint8_t *)iov[i].iov_base + off, n);
        if (!n) {
            break;
        }
        done += n;
        off = 0;
    }
    return done;
}

static ssize_t virtio_net_receive(NetClientState *nc, const struct iovec *iov,
                                  int iovcnt)
{
    VirtIONet *n = nc->opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    VirtQueue *vq = n->rx_vq;
    size_t total = iov_total(iov, iovcnt), skip, size, off = 0;
    struct iovec hdr_iov[sizeof(VirtioNetHdrMrgRxbuf)];
    unsigned int hdr_cnt = 0, used = 0;
    VirtioNetHdrMrgRxbuf hdr;
    uint8_t peek[64];
    size_t peek_len;

    if (!virtio_net_can_receive(nc)) {
        return 0;
    }
    virtio_net_rx_header(n, iov, iovcnt, &skip, &hdr);
    if (total < skip) {
        return total;
    }
    size = total - skip;
    peek_len = copy_frame(&(struct iovec){ peek, sizeof(peek) }, 1, 0, iov,
                          iovcnt, skip, MIN(size, sizeof(peek)));
    if (!virtio_net_receive_filter(n, peek, peek_len)) {
        return total;
    }
    if (virtio_queue_empty(vq)) {
        return vdev->broken ? total : 0;
    }
    while (off < size || used == 0) {
        VirtQueueElement *elem = virtqueue_pop(vq);
        size_t len = 0, room;

        if (!elem) {
            /* Out of buffers mid-frame: give them back, retry later. */
            virtqueue_unpop(vq, used);
            return vdev->broken ? total : 0;
        }
        if (elem->in_num == 0) {
            virtio_error(vdev, "virtio-net receive queue contains no in "
                         "buffers");
            return total;
        }
        if (used == 0) {
            if (elem->in_len < n->guest_hdr_len) {
                virtio_error(vdev, "virtio-net: RX buffer shorter than the "
                             "header (%zu < %zu)", elem->in_len,
                             n->guest_hdr_len);
                return total;
            }
            /* Remember where num_buffers goes before elem is reused. */
            for (unsigned int i = 0, covered = 0;
                 i < elem->in_num && covered < n->guest_hdr_len; i++) {
                hdr_iov[hdr_cnt++] = elem->in_sg[i];
                covered += elem->in_sg[i].iov_len;
            }
            len = n->guest_hdr_len;
        }
        room = elem->in_len - len;
        len += copy_frame(elem->in_sg, elem->in_num, len, iov, iovcnt,
                          skip + off, MIN(room, size - off));
        off += len - (used == 0 ? n->guest_hdr_len : 0);
        virtqueue_fill(vq, elem, len, used++);
        if (!n->mergeable_rx_bufs) {
            break;
        }
    }
    if (off < size) {
        /* One buffer only and the frame did not fit: drop it, as QEMU. */
        virtqueue_unpop(vq, used);
        n->rx_dropped++;
        return total;
    }
    hdr.num_buffers = GUINT16_TO_LE(used);
    virtio_iov_from_buf(hdr_iov, hdr_cnt, 0, &hdr, n->guest_hdr_len);
    virtqueue_flush(vq, used);
    /* In a burst from the backend, one interrupt at its end. */
    if (nc->batch_depth) {
        n->rx_notify_pending = true;
    } else {
        virtio_notify(vdev, vq);
    }
    return total;
}

static void virtio_net_rx_batch_end(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;

    if (n->rx_notify_pending) {
        n->rx_notify_pending = false;
        virtio_notify(VIRTIO_DEVICE(n), n->rx_vq);
    }
}

static void virtio_net_handle_rx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    /* New buffers: frames the backend holds for us can come now. */
    if (n->nic) {
        qemu_flush_queued_packets(n->nic);
    }
}

/* ---- TX ------------------------------------------------------------------- */

/* Append the iovecs covering bytes [off, off + len) of sg to out. */
static unsigned int iov_slice(struct iovec *out, unsigned int cnt,
                              const struct iovec *sg, unsigned int sg_cnt,
                              size_t off, size_t len)
{
    for (unsigned int i = 0; i < sg_cnt && len; i++) {
        size_t n;

        if (off >= sg[i].iov_len) {
            off -= sg[i].iov_len;
            continue;
        }
        n = MIN(sg[i].iov_len - off, len);
        out[cnt].iov_base = (uint8_t *)sg[i].iov_base + off;
        out[cnt++].iov_len = n;
        len -= n;
        off = 0;
    }
    return cnt;
}

/*
 * The backend writes the batch it held (one sendmmsg or writev), then
 * every frame of it is completed with one used-index update.
 */
static void virtio_net_tx_batch_end(VirtIONet *n, VirtQueue *vq,
                                    NetClientState *peer, unsigned int *done)
{
    qemu_net_batch_end(peer);
    if (!n->tx_batch) {
        return;
    }
    for (unsigned int i = 0; i < n->tx_batch; i++) {
        virtqueue_fill_read(vq, n->tx_heads[i], i);
    }
    virtqueue_flush(vq, n->tx_batch);
    *done += n->tx_batch;
    n->tx_batch = 0;
    n->tx_iov_used = 0;
}

/* Most pieces one frame can take in tx_iov: its chain plus the header. */
#define TX_FRAME_IOV_MAX (VIRTQUEUE_MAX_SIZE + sizeof(VirtioNetHdr))

/*
 * Every chain of one kick, in batches of up to TX_BATCH frames handed to
 * the backend together (a dgram backend sends them with one sendmmsg), and
 * one interrupt at the end, if the driver's event index asks for it.
 */
static void virtio_net_handle_tx(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    VirtQueueElement *elem;
    NetClientState *peer;
    unsigned int done = 0;

    /*
     * Re-entered from the backend (its queue drained while we send): the
     * outer call goes on popping, and owns the batch.
     */
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    /* Kicked while the VM is stopped (a qtest driver): sent on cont. */
    if (!vdev->vm_running) {
        n->tx_waiting = true;
        return;
    }
    if (n->tx_busy) {
        n->tx_again = true;
        return;
    }
    n->tx_busy = true;
again:
    n->tx_again = false;
    peer = n->nic ? qemu_net_batch_begin(n->nic) : NULL;
    for (;;) {
        struct iovec *iov = n->tx_iov + n->tx_iov_used;
        unsigned int cnt = 0;
        bool link_up = n->nic && n->nic->peer && !n->nic->link_down;

        /*
         * While the backend cannot take more, frames stay in the guest's
         * ring (as on real hardware) instead of overflowing the backend's
         * queue; net_virtio_send_ready picks up where this stopped.
         */
        if (link_up && !qemu_can_send_packet(n->nic)) {
            break;
        }
        if (n->tx_batch == TX_BATCH ||
            n->tx_iov_used + TX_FRAME_IOV_MAX > TX_IOV_MAX) {
            virtio_net_tx_batch_end(n, vq, peer, &done);
            peer = n->nic ? qemu_net_batch_begin(n->nic) : NULL;
            continue;
        }
        elem = virtqueue_pop(vq);
        if (!elem) {
            break;
        }

        if (elem->out_num < 1 || elem->out_len < n->guest_hdr_len) {
            /* What came before it goes out and is completed first. */
            virtio_net_tx_batch_end(n, vq, peer, &done);
            n->tx_busy = false;
            virtio_error(vdev, "virtio-net header not in first element "
                         "(%zu bytes)", elem->out_len);
            return;
        }
        /*
         * A link that is down drops what the guest sends, and a chain
         * holding only the header is an empty frame: completed, never
         * sent (QEMU's stream backend would send it as a zero-length
         * frame and then wait for ever for it to complete).
         */
        if (elem->out_len == n->guest_hdr_len) {
            if (n->nic) {
                n->nic->tx_dropped++;
            }
        } else if (link_up) {
            if (n->has_vnet_hdr) {
                /* The backend takes the short header, as a tap does. */
                cnt = iov_slice(iov, cnt, elem->out_sg, elem->out_num,
                                0, sizeof(VirtioNetHdr));
            }
            cnt = iov_slice(iov, cnt, elem->out_sg, elem->out_num,
                            n->guest_hdr_len,
                            elem->out_len - n->guest_hdr_len);
            n->tx_iov_used += cnt;
            qemu_sendv_packet(n->nic, iov, cnt);
        }
        n->tx_heads[n->tx_batch++] = elem->index;
    }
    virtio_net_tx_batch_end(n, vq, peer, &done);
    if (n->tx_again && !vdev->broken &&
        (vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        goto again;
    }
    n->tx_busy = false;
    if (done) {
        virtio_notify(vdev, vq);
    }
}

/* ---- Status and reset ---------------------------------------------------- */

/* The VM runs again: frames held meanwhile come in, kicks are served. */
static void virtio_net_vmstate_change(VirtIODevice *vdev, bool running)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (!running || !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    if (n->nic) {
        qemu_flush_queued_packets(n->nic);
    }
    if (n->tx_waiting) {
        n->tx_waiting = false;
        virtio_net_handle_tx(vdev, n->tx_vq);
    }
}

static void virtio_net_set_status(VirtIODevice *vdev, uint8_t status)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if ((status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        failover_ops && failover_ops->features_ok) {
        /* Features are final now; a raw feature write may still change. */
        failover_ops->features_ok(n, vdev->guest_features);
    }
    if ((status & VIRTIO_CONFIG_S_DRIVER_OK) &&
        !(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && n->nic) {
        /* The device went live: what waited for it may come in. */
        vdev->status = status;
        qemu_flush_queued_packets(n->nic);
    }
}

/*
 * A failover standby forgets what the previous driver acked: QEMU's proxy
 * keeps both driver-feature dwords across a reset, so a new driver that
 * writes only the low one would inherit STANDBY from the old one.
 */
static void virtio_net_clear_driver_features(VirtIONet *n)
{
    BusState *bus = DEVICE(n)->parent_bus;
    VirtIOPCIProxy *proxy;

    if (!bus || !bus->parent) {
        return;
    }
    proxy = (VirtIOPCIProxy *)object_dynamic_cast(OBJECT(bus->parent),
                                                  TYPE_VIRTIO_PCI);
    if (proxy) {
        proxy->guest_features[0] = 0;
        proxy->guest_features[1] = 0;
    }
}

static void virtio_net_reset(VirtIODevice *vdev)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    virtio_net_rx_filter_reset(n);
    n->mac = n->conf.macaddr;
    n->status &= ~VIRTIO_NET_S_ANNOUNCE;
    n->mergeable_rx_bufs = false;
    n->guest_hdr_len = sizeof(VirtioNetHdr);
    n->curr_guest_offloads = 0;
    n->rx_notify_pending = false;
    n->tx_waiting = false;
    if (n->nic) {
        qemu_purge_queued_packets(n->nic);
        /* TX frames of the old driver that the backend still holds. */
        if (n->nic->peer) {
            qemu_flush_or_purge_queued_packets(n->nic->peer);
        }
    }
    if (failover_ops && failover_ops->reset) {
        failover_ops->reset(n);
    }
    if (n->conf.failover) {
        virtio_net_clear_driver_features(n);
    }
}

/* ---- Realize ---------------------------------------------------------------- */

static void net_virtio_send_ready(NetClientState *nc)
{
    VirtIONet *n = nc->opaque;

    virtio_net_handle_tx(VIRTIO_DEVICE(n), n->tx_vq);
}

static const NetClientInfo net_virtio_info = {
    .type = "nic",
    .send_ready = net_virtio_send_ready,
    .can_receive = virtio_net_can_receive,
    .receive_iov = virtio_net_receive,
    .link_status_changed = virtio_net_set_link_status,
    .batch_end = virtio_net_rx_batch_end,
};

static bool virtio_net_check_conf(VirtIONet *n, const char *type,
                                  GError **errp)
{
    VirtioNetConf *c = &n->conf;

    if (c->rx_queue_size < 256 || c->rx_queue_size > VIRTQUEUE_MAX_SIZE ||
        (c->rx_queue_size & (c->rx_queue_size - 1))) {
        error_setg(errp, "Invalid rx_queue_size (= %u), must be a power of 2 "
                   "between %d and %d.", c->rx_queue_size, 256,
                   VIRTQUEUE_MAX_SIZE);
        return false;
    }
    if (c->tx_queue_size < 256 || c->tx_queue_size > 256 ||
        (c->tx_queue_size & (c->tx_queue_size - 1))) {
        error_setg(errp, "Invalid tx_queue_size (= %u), must be a power of 2 "
                   "between %d and %d", c->tx_queue_size, 256, 256);
        return false;
    }
    if (c->duplex_str && strcmp(c->duplex_str, "half") &&
        strcmp(c->duplex_str, "full")) {
        error_setg(errp, "'duplex' must be 'half' or 'full'");
        return false;
    }
    n->duplex = !c->duplex_str ? 0xff : !strcmp(c->duplex_str, "full");
    if (c->speed < -1) {
        error_setg(errp, "'speed' must be between 0 and INT_MAX");
        return false;
    }
    return true;
}

static void virtio_net_free(VirtIONet *n);

static void virtio_net_device_realize(VirtIODevice *vdev, GError **errp)
{
    VirtIONet *n = VIRTIO_NET(vdev);
    const char *model = n->nic_model ? n->nic_model : TYPE_VIRTIO_NET;
    NetClientState *peer = NULL;
    uint64_t f = n->conf.host_features | (1ULL << VIRTIO_NET_F_MAC);
    GError *err = NULL;

    if (!virtio_net_check_conf(n, model, errp)) {
        return;
    }
    if (n->conf.netdev) {
        peer = qemu_find_netdev(n->conf.netdev);
        if (!peer) {
            error_setg(errp, "Property '%s.netdev' can't find value '%s'",
                       model, n->conf.netdev);
            return;
        }
        if (peer->peer) {
            error_setg(errp, "Property '%s.netdev' can't take value '%s', "
                       "it's in use", model, n->conf.netdev);
            return;
        }
    }
    if (n->conf.host_mtu) {
        f |= 1ULL << VIRTIO_NET_F_MTU;
    }
    if (n->conf.speed >= 0 || n->conf.duplex_str) {
        f |= 1ULL << VIRTIO_NET_F_SPEED_DUPLEX;
    }
    virtio_init(vdev, VIRTIO_ID_NET, virtio_net_config_size(f));
    vdev->name = "virtio-net";
    n->rx_vq = virtio_add_queue(vdev, n->conf.rx_queue_size,
                                virtio_net_handle_rx);
    n->tx_vq = virtio_add_queue(vdev, n->conf.tx_queue_size,
                                virtio_net_handle_tx);
    n->ctrl_vq = virtio_add_queue(vdev, VIRTIO_NET_CTRL_QUEUE_SIZE,
                                  virtio_net_handle_ctrl);
    n->tx_iov = g_new(struct iovec, TX_IOV_MAX);
    n->tx_heads = g_new(uint16_t, TX_BATCH);
    n->mac_table.macs = g_malloc0(MAC_TABLE_ENTRIES * ETH_ALEN);
    n->vlans = g_malloc0(MAX_VLAN / 8);
    n->mac_index = mac_slot_take(&n->conf.macaddr);
    n->mac = n->conf.macaddr;
    n->nic = qemu_new_net_client(&net_virtio_info, peer, model,
                                 n->nic_name, n);
    qemu_format_nic_info_str(n->nic, n->mac.a);
    n->has_vnet_hdr = peer_has_vnet_hdr(n);
    n->status = n->nic->link_down ? 0 : VIRTIO_NET_S_LINK_UP;
    n->rx_filter_event_enabled = true;
    virtio_net_rx_filter_reset(n);
    n->guest_hdr_len = sizeof(VirtioNetHdr);
    if (failover_ops && failover_ops->realize) {
        failover_ops->realize(n, &err);
        if (err) {
            virtio_net_free(n);
            g_propagate_error(errp, err);
            return;
        }
    }
    virtio_net_devices = g_list_append(virtio_net_devices, n);
}

/* Undo what realize set up, except the failover registration. */
static void virtio_net_free(VirtIONet *n)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(n);

    if (n->nic) {
        qemu_del_net_client(n->nic);
        n->nic = NULL;
    }
    mac_slot_free(n->mac_index);
    n->mac_index = 0;
    g_clear_pointer(&n->tx_iov, g_free);
    g_clear_pointer(&n->tx_heads, g_free);
    g_clear_pointer(&n->mac_table.macs, g_free);
    g_clear_pointer(&n->vlans, g_free);
    virtio_cleanup(vdev);
}

static void virtio_net_device_unrealize(VirtIODevice *vdev)
{
    VirtIONet *n = VIRTIO_NET(vdev);

    if (failover_ops && failover_ops->unrealize) {
        failover_ops->unrealize(n);
    }
    virtio_net_devices = g_list_remove(virtio_net_devices, n);
    virtio_net_free(n);
}

void virtio_net_conf_copy(VirtioNetConf *dst, const VirtioNetConf *src)
{
    g_free(dst->netdev);
    g_free(dst->duplex_str);
    g_free(dst->tx);
    *dst = *src;
    dst->netdev = g_strdup(src->netdev);
    dst->duplex_str = g_strdup(src->duplex_str);
    dst->tx = g_strdup(src->tx);
}

static void virtio_net_instance_finalize(Object *obj)
{
    VirtIONet *n = VIRTIO_NET(obj);

    g_free(n->nic_name);
    g_free(n->nic_model);
}

static Property virtio_net_properties[] = {
    DEFINE_VIRTIO_NET_PROPERTIES(VirtIONet, conf),
    DEFINE_PROP_END_OF_LIST(),
};

/* ---- Migration ------------------------------------------------------------ */

static bool virtio_net_post_load(void *opaque, int version_id, GError **errp)
{
    VirtIONet *n = opaque;
    VirtIODevice *vdev = VIRTIO_DEVICE(n);
    uint64_t f = vdev->guest_features;

    if (n->mac_table.in_use > MAC_TABLE_ENTRIES ||
        n->mac_table.first_multi > n->mac_table.in_use) {
        error_setg(errp, "MAC table of %u entries (first multicast %u) "
                   "does not fit %d", n->mac_table.in_use,
                   n->mac_table.first_multi, MAC_TABLE_ENTRIES);
        return false;
    }
    /* What set_features derives from the features, minus its side effects. */
    n->mergeable_rx_bufs = virtio_has_feature(f, VIRTIO_NET_F_MRG_RXBUF);
    n->guest_hdr_len = (n->mergeable_rx_bufs ||
                        virtio_has_feature(f, VIRTIO_F_VERSION_1)) ?
                       sizeof(VirtioNetHdrMrgRxbuf) : sizeof(VirtioNetHdr);
    /* The link is this host's backend's, not the source's. */
    if (n->nic && n->nic->link_down) {
        n->status &= ~VIRTIO_NET_S_LINK_UP;
    } else {
        n->status |= VIRTIO_NET_S_LINK_UP;
    }
    virtio_config_refresh(vdev);
    if ((vdev->status & VIRTIO_CONFIG_S_DRIVER_OK) && n->nic) {
        qemu_flush_queued_packets(n->nic);
    }
    return true;
}

/*
 * The standby's negotiated features (STANDBY among them) travel in the
 * nested virtio-device state: that is what re-creates failover on the
 * destination.
 */
static const VMStateDescription vmstate_virtio_net = {
    .name = "virtio-net",
    .version_id = 1,
    .post_load = virtio_net_post_load,
    .fields = (const VMStateField[]) {
        { .name = "virtio", .kind = VMS_STRUCT, .offset = 0,
          .size = sizeof(VirtIODevice), .vmsd = &vmstate_virtio_device },
        VMSTATE_BUFFER(mac.a, VirtIONet),
        VMSTATE_UINT16(status, VirtIONet),
        VMSTATE_UINT64(curr_guest_offloads, VirtIONet),
        VMSTATE_BOOL(promisc, VirtIONet),
        VMSTATE_BOOL(allmulti, VirtIONet),
        VMSTATE_BOOL(alluni, VirtIONet),
        VMSTATE_BOOL(nomulti, VirtIONet),
        VMSTATE_BOOL(nouni, VirtIONet),
        VMSTATE_BOOL(nobcast, VirtIONet),
        VMSTATE_UINT32(mac_table.in_use, VirtIONet),
        VMSTATE_UINT32(mac_table.first_multi, VirtIONet),
        VMSTATE_BOOL(mac_table.multi_overflow, VirtIONet),
        VMSTATE_BOOL(mac_table.uni_overflow, VirtIONet),
        VMSTATE_BUFFER_POINTER(mac_table.macs, VirtIONet,
                               MAC_TABLE_ENTRIES * ETH_ALEN),
        VMSTATE_BUFFER_POINTER(vlans, VirtIONet, MAX_VLAN / 8),
        VMSTATE_END_OF_LIST()
    },
};

static void virtio_net_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    device_class_set_props(dc, virtio_net_properties);
    dc->category = DEVICE_CATEGORY_NETWORK;
    dc->vmsd = &vmstate_virtio_net;
    vdc->realize = virtio_net_device_realize;
    vdc->unrealize = virtio_net_device_unrealize;
    vdc->get_features = virtio_net_get_features;
    vdc->set_features = virtio_net_set_features;
    vdc->get_config = virtio_net_get_config;
    vdc->set_config = virtio_net_set_config;
    vdc->set_status = virtio_net_set_status;
    vdc->vmstate_change = virtio_net_vmstate_change;
    vdc->reset = virtio_net_reset;
    vdc->legacy_features |= 1ULL << VIRTIO_NET_F_GSO;
}

static const TypeInfo virtio_net_info = {
    .name = TYPE_VIRTIO_NET,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIONet),
    .instance_finalize = virtio_net_instance_finalize,
    .class_init = virtio_net_class_init,
};

static void virtio_net_register_types(void)
{
    type_register_static(&virtio_net_info);
}

type_init(virtio_net_register_types)
