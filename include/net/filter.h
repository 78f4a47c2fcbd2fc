/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Network filters (-object filter-mirror, filter-redirector, filter-buffer,
 * filter-dump): user-creatable objects attached to one backend (netdev=),
 * in a chain that frames pass through between the backend and its NIC.
 *
 * Directions, named from the backend as QEMU names them: "tx" frames are
 * those the backend sends (from the network to the guest), "rx" those it
 * receives (from the guest); queue=all takes both.  tx frames walk the
 * chain in order, rx frames in reverse.  A filter's receive_iov returns 0
 * to pass a frame on, or its size to take it (dropped, held or sent
 * elsewhere); a held frame continues later with qemu_netfilter_pass_to_next.
 */
#ifndef NET_FILTER_H
#define NET_FILTER_H

#include "chardev/char.h"
#include "net/net.h"
#include "qom/object.h"
#include "qapi/qapi-types.h"        /* NetFilterDirection */

#define TYPE_NETFILTER "netfilter"

typedef struct NetFilterState {
    Object parent_obj;
    char *netdev_id;
    NetClientState *netdev;     /* once complete; NULL after it went away */
    NetFilterDirection direction;
    bool on;                    /* status=on */
    char *position;             /* "head", "tail" or "id=<filter>" */
    bool insert_before;         /* insert=before (default behind) */
} NetFilterState;

typedef struct NetFilterClass {
    ObjectClass parent_class;
    /* Check the type's own properties and take its resources. */
    bool (*setup)(NetFilterState *nf, GError **errp);
    /* Give them back (also for a filter whose setup failed). */
    void (*cleanup)(NetFilterState *nf);
    /* status changed (on is the new value). */
    void (*status_changed)(NetFilterState *nf);
    ssize_t (*receive_iov)(NetFilterState *nf, NetClientState *sender,
                           const struct iovec *iov, int iovcnt);
} NetFilterClass;

#define NETFILTER(obj) OBJECT_CHECK(NetFilterState, (obj), TYPE_NETFILTER)
#define NETFILTER_CLASS(oc) \
    OBJECT_CLASS_CHECK(NetFilterClass, (oc), TYPE_NETFILTER)
#define NETFILTER_GET_CLASS(obj) \
    OBJECT_GET_CLASS(NetFilterClass, (obj), TYPE_NETFILTER)

/*
 * Run nc's filters on a frame from sender (direction: TX when nc sends
 * it, RX when nc receives it).  Returns 0 if every filter passed it on,
 * else what the filter that took it returned.
 */
ssize_t netfilter_chain_receive(NetClientState *nc,
                                NetFilterDirection direction,
                                NetClientState *sender,
                                const struct iovec *iov, int iovcnt);
/*
 * Continue a frame nf took (or produced, filter-redirector's indev) from
 * sender: through the filters after nf, then to sender's peer.
 */
ssize_t qemu_netfilter_pass_to_next(NetClientState *sender,
                                    const struct iovec *iov, int iovcnt,
                                    NetFilterState *nf);
/*
 * filter-mirror's and filter-redirector's framing on a chardev: the
 * frame's length as 4 big-endian bytes, with vnet_hdr the backend's
 * virtio-net header length the same way, then the frame.  Frames are
 * dropped while nobody is connected.
 */
void netfilter_chr_send(Chardev *chr, NetFilterState *nf, bool vnet_hdr,
                        const struct iovec *iov, int iovcnt);
/* Look up a chardev property's target; "PREFIX'ID' not found" if none. */
Chardev *netfilter_find_chardev(const char *id, const char *prefix,
                                GError **errp);

/* nc is being deleted: its filters go with it (QEMU removes them too). */
void netfilter_netdev_gone(NetClientState *nc);
/* For "info network": "  - ID: type=TYPE,netdev=...,status=on\n" lines. */
void netfilter_print_info(GString *out, NetClientState *nc);

#endif
