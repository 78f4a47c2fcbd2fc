/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network clients.  A NIC (virtio-net's frontend) and a backend (-netdev:
 * user, stream, dgram, socket, tap, hubport) are two NetClientStates that
 * are each other's peer; a frame sent by one is received by the other.
 *
 * Backpressure: when the receiver cannot take a frame now (can_receive
 * false or receive returns 0), the frame waits in the receiver's queue,
 * up to NET_QUEUE_MAX_PACKETS; beyond that it is dropped and counted in
 * the receiver's rx_dropped.  The receiver calls qemu_flush_queued_packets
 * when it can take frames again.  Nothing is dropped silently.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include "qemu/option.h"

#define NET_QUEUE_MAX_PACKETS 10000
/* Largest frame a client may send (as QEMU: 64 KiB + room for headers). */
#define NET_BUFSIZE (4096 + 65536)

typedef struct NetClientState NetClientState;

typedef struct NetClientInfo {
    const char *type;           /* "nic", "user", "stream", "tap", ... */
    /* May this client take a frame now?  NULL: always. */
    bool (*can_receive)(NetClientState *nc);
    /*
     * Take a frame (iov: one frame in pieces).  Return its size when taken
     * or dropped on purpose, 0 to have it queued and retried after
     * qemu_flush_queued_packets(nc).
     */
    ssize_t (*receive_iov)(NetClientState *nc, const struct iovec *iov,
                           int iovcnt);
    void (*link_status_changed)(NetClientState *nc);
    /* Free what the client owns (not nc itself). */
    void (*cleanup)(NetClientState *nc);
    /*
     * nc's peer emptied its queue (qemu_flush_queued_packets): a backend
     * that stopped reading its socket because qemu_can_send_packet() was
     * false starts reading again.  NULL: nothing to do.
     */
    void (*send_ready)(NetClientState *nc);
    /*
     * The batch of frames given to receive_iov since nc->batch_depth
     * went from 0 to 1 is complete (qemu_net_batch_end): write what was
     * held in one system call, raise one interrupt.  NULL: nothing held.
     */
    void (*batch_end)(NetClientState *nc);
} NetClientInfo;

struct NetClientState {
    const NetClientInfo *info;
    NetClientState *peer;
    char *name;                 /* netdev id, or the NIC's device id/path */
    char *model;                /* "virtio-net-pci", "user", ... */
    bool link_down;
    bool is_netdev;             /* created by -netdev / netdev_add */
    bool has_vnet_hdr;          /* frames carry a virtio-net header (tap) */
    void *opaque;               /* the owner (device or backend state) */
    GQueue *queue;              /* frames waiting for this client */
    uint64_t rx_queued;         /* frames that had to wait */
    uint64_t rx_dropped;        /* frames dropped because the queue was full */
    uint64_t rx_packets, tx_packets;
    uint64_t tx_dropped;        /* sent with no peer or with the link down */
    bool claimed;               /* a NIC has taken this backend */
    /* What "info network" shows after the type, as QEMU words it. */
    char info_str[256];
    GQueue *filters;            /* NetFilterState * (net/filter.h), in order */
    /*
     * > 0 while a sender gives this client a burst of frames: receive_iov
     * may hold them (their memory stays valid until the batch ends) and
     * write or signal them all at once in info->batch_end.
     */
    unsigned batch_depth;
    GPtrArray *flush_held;      /* queued frames delivered in this flush */
};

/* Create a client; peer may be NULL (set later with qemu_net_set_peer). */
NetClientState *qemu_new_net_client(const NetClientInfo *info,
                                    NetClientState *peer, const char *model,
                                    const char *name, void *opaque);
/* Unpeer and free (calls info->cleanup). */
void qemu_del_net_client(NetClientState *nc);
void qemu_net_set_peer(NetClientState *a, NetClientState *b);

/*
 * Send one frame from sender to its peer.  Returns the size if the peer
 * took it (or it was queued), 0 if it was dropped (no peer, link down,
 * empty, queue full: counted).
 */
ssize_t qemu_send_packet(NetClientState *sender, const uint8_t *buf,
                         size_t size);
ssize_t qemu_sendv_packet(NetClientState *sender, const struct iovec *iov,
                          int iovcnt);
/*
 * The last step of qemu_sendv_packet, after the filters: to the peer or
 * its queue.  For filters passing a frame on (net/filter.c).
 */
ssize_t qemu_net_deliver_iov(NetClientState *sender, const struct iovec *iov,
                             int iovcnt);
/* nc can receive again: deliver what waits in its queue, in order. */
void qemu_flush_queued_packets(NetClientState *nc);
/* Drop what waits in nc's queue (device reset), counting nothing. */
void qemu_purge_queued_packets(NetClientState *nc);
/*
 * Deliver what nc can take now and drop the rest: a NIC's reset does this
 * to its backend, so no frame of the old driver waits there.
 */
void qemu_flush_or_purge_queued_packets(NetClientState *nc);
/*
 * Would a frame from sender be taken right away (peer present, nothing
 * waiting in its queue, peer's can_receive true or filters on the way)?
 * Backends stop reading their socket while this is false and resume in
 * info->send_ready.
 */
bool qemu_can_send_packet(NetClientState *sender);

/*
 * Batching: frames sender gives its peer between qemu_net_batch_begin and
 * qemu_net_batch_end may be held by the peer and written in one system
 * call (sendmmsg, writev) at the end; the sender keeps their memory valid
 * until then.  begin returns the peer (NULL: none), which end takes.
 * Frames are never reordered: what the peer could not write is put back
 * at the head of its queue with qemu_net_queue_insert.
 */
NetClientState *qemu_net_batch_begin(NetClientState *sender);
void qemu_net_batch_end(NetClientState *receiver);
/*
 * A batch ended when it goes out of scope:
 * G_GNUC_UNUSED g_auto(NetBatch) b = { begin } (clang calls a guard unused).
 */
typedef struct NetBatch {
    NetClientState *receiver;
} NetBatch;
static inline void qemu_net_batch_clear(NetBatch *b)
{
    qemu_net_batch_end(b->receiver);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(NetBatch, qemu_net_batch_clear)
/*
 * Put a copy of a frame into nc's queue at position pos (0: the head),
 * for a batch nc took but could not write; never dropped, whatever the
 * queue's length (a batch is bounded).
 */
void qemu_net_queue_insert(NetClientState *nc, unsigned pos,
                           const struct iovec *iov, int iovcnt);

/* Set nc->info_str (truncated to fit). */
void qemu_set_info_str(NetClientState *nc, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);
/* A NIC's info string: "model=virtio-net-pci,macaddr=52:54:00:12:34:56". */
void qemu_format_nic_info_str(NetClientState *nc, const uint8_t mac[6]);
/*
 * HMP "info network": hubs with their ports, then every NIC followed by
 * its backend (" \\ " line) and every backend without a NIC, one
 * "NAME: index=0,type=TYPE,INFO" line each, then the backend's filters.
 */
void net_info_network(GString *out);

/* "52:54:00:12:34:56" (or with '-') into mac[6]; false if malformed. */
bool net_parse_macaddr(uint8_t *mac, const char *str);

/*
 * -nic (net/nic.c).  net_nic_parse records one (type implied; "none" and
 * errors in mac= are handled here, "help" prints and exits; loc is the
 * option as given, for later errors); its backend
 * is made by net_init_clients, its NIC by net_nic_create_devices on the
 * machine's default model (NULL: the machine has none, only a warning).
 */
bool net_nic_parse(QemuOpts *opts, const char *loc, GError **errp);
bool net_nic_init_backends(GError **errp);
bool net_nic_create_devices(const char *default_model, GError **errp);
void net_nic_cleanup(void);
/* The -netdev types, one a line (for "-nic help"). */
void net_print_backend_types(void);

/* Backends (-netdev / netdev_add) by id. */
NetClientState *qemu_find_netdev(const char *id);
/*
 * A NIC device takes a backend (its "netdev" property): only one NIC may
 * have a given backend.  owner_type is the device's type name, for QEMU's
 * error "Property 'virtio-net-pci.netdev' can't take value 'x', it's in
 * use".  Then create the NIC with qemu_new_net_client(&info, backend, ...);
 * qemu_del_net_client(nic) gives the backend back.
 */
bool qemu_netdev_claim(NetClientState *backend, const char *owner_type,
                       GError **errp);
/* Any client (NIC or backend) by name, for set_link. */
NetClientState *qemu_find_net_client(const char *name);
/* Create every -netdev given on the command line (system/vl.c). */
bool net_init_clients(GError **errp);
/* Create one backend from options ("type" + "id" + backend keys). */
NetClientState *net_client_init(QemuOpts *opts, bool is_hotplug,
                                GError **errp);
/* Free every client (at exit). */
void net_cleanup(void);

/* set_link: both sides of a NIC/backend pair see the new state. */
bool qemu_set_link(const char *name, bool up, GError **errp);

#endif
