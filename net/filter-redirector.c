/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object filter-redirector,netdev=N[,indev=CHARDEV][,outdev=CHARDEV]
 * [,queue=][,vnet_hdr_support=]: frames of the chosen direction leave
 * through outdev instead of continuing (length-prefixed, as
 * filter-mirror), and frames arriving on indev enter the chain right after
 * this filter, as if this filter had passed them on.  Chains of
 * redirectors (COLO) move traffic between processes this way.
 */
#include "net/filter.h"
#include "net/clients.h"
#include "qapi/error.h"

#define TYPE_FILTER_REDIRECTOR "filter-redirector"

typedef struct RedirectorState {
    NetFilterState parent_obj;
    char *indev;
    char *outdev;
    bool vnet_hdr;
    Chardev *chr_in;
    Chardev *chr_out;
    NetFrameReader reader;
} RedirectorState;

#define FILTER_REDIRECTOR(obj) \
    OBJECT_CHECK(RedirectorState, (obj), TYPE_FILTER_REDIRECTOR)

static ssize_t redirector_receive_iov(NetFilterState *nf,
                                      NetClientState *sender,
                                      const struct iovec *iov, int iovcnt)
{
    RedirectorState *s = FILTER_REDIRECTOR(nf);
    ssize_t size = 0;

    if (!s->chr_out) {
        return 0;               /* an indev-only redirector passes frames on */
    }
    netfilter_chr_send(s->chr_out, nf, s->vnet_hdr, iov, iovcnt);
    for (int i = 0; i < iovcnt; i++) {
        size += iov[i].iov_len;
    }
    return size;
}

/* A whole frame arrived on indev. */
static void redirector_frame_in(void *opaque, const uint8_t *buf, size_t len)
{
    NetFilterState *nf = opaque;
    struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

    if (!nf->netdev) {
        return;
    }
    if (nf->direction != NET_FILTER_DIRECTION_RX) {
        qemu_netfilter_pass_to_next(nf->netdev, &iov, 1, nf);
    }
    if (nf->direction != NET_FILTER_DIRECTION_TX && nf->netdev) {
        qemu_netfilter_pass_to_next(nf->netdev->peer, &iov, 1, nf);
    }
}

/* status=off: leave what arrives on indev unread until status=on. */
static int redirector_can_read(void *opaque)
{
    NetFilterState *nf = opaque;

    return nf->on ? NET_BUFSIZE : 0;
}

static void redirector_read(void *opaque, const uint8_t *buf, int size)
{
    RedirectorState *s = FILTER_REDIRECTOR(opaque);
    g_autoptr(GError) err = NULL;

    if (!net_frame_reader_feed(&s->reader, buf, size, redirector_frame_in,
                               s, &err)) {
        /* Out of step with the sender: drop the connection. */
        warn_report("filter-redirector: %s", err->message);
        qemu_chr_fe_disconnect(s->chr_in);
    }
}

/* Each connection on indev starts at a frame boundary. */
static void redirector_event(void *opaque, QEMUChrEvent event)
{
    net_frame_reader_reset(&FILTER_REDIRECTOR(opaque)->reader);
}

/* Give the chardevs back (release also drops indev's handlers). */
static void redirector_release(RedirectorState *s)
{
    if (s->chr_in) {
        qemu_chr_fe_release(s->chr_in);
        net_frame_reader_destroy(&s->reader);
        s->chr_in = NULL;
    }
    if (s->chr_out) {
        qemu_chr_fe_release(s->chr_out);
        s->chr_out = NULL;
    }
}

static bool redirector_setup(NetFilterState *nf, GError **errp)
{
    RedirectorState *s = FILTER_REDIRECTOR(nf);

    if (!s->indev && !s->outdev) {
        error_setg(errp, "filter redirector needs 'indev' or 'outdev' at "
                   "least one property set");
        return false;
    }
    if (s->indev && s->outdev && !strcmp(s->indev, s->outdev)) {
        error_setg(errp, "'indev' and 'outdev' could not be same for filter "
                   "redirector");
        return false;
    }
    if (s->indev) {
        s->chr_in = netfilter_find_chardev(s->indev, "IN ", errp);
        if (!s->chr_in || !qemu_chr_fe_claim(s->chr_in, errp)) {
            s->chr_in = NULL;
            return false;
        }
    }
    if (s->outdev) {
        s->chr_out = netfilter_find_chardev(s->outdev, "OUT ", errp);
        if (!s->chr_out || !qemu_chr_fe_claim(s->chr_out, errp)) {
            s->chr_out = NULL;
            redirector_release(s);
            return false;
        }
    }
    if (s->chr_in) {
        net_frame_reader_init(&s->reader);
        s->reader.vnet_hdr = s->vnet_hdr;
        qemu_chr_fe_set_handlers(s->chr_in, redirector_can_read,
                                 redirector_read, redirector_event, s);
    }
    return true;
}

static void redirector_cleanup(NetFilterState *nf)
{
    redirector_release(FILTER_REDIRECTOR(nf));
}

static char *get_indev(Object *obj, GError **errp)
{
    return g_strdup(FILTER_REDIRECTOR(obj)->indev);
}

static void set_indev(Object *obj, const char *v, GError **errp)
{
    RedirectorState *s = FILTER_REDIRECTOR(obj);

    g_free(s->indev);
    s->indev = g_strdup(v);
}

static char *get_outdev(Object *obj, GError **errp)
{
    return g_strdup(FILTER_REDIRECTOR(obj)->outdev);
}

static void set_outdev(Object *obj, const char *v, GError **errp)
{
    RedirectorState *s = FILTER_REDIRECTOR(obj);

    g_free(s->outdev);
    s->outdev = g_strdup(v);
}

static bool get_vnet_hdr(Object *obj, GError **errp)
{
    return FILTER_REDIRECTOR(obj)->vnet_hdr;
}

static void set_vnet_hdr(Object *obj, bool v, GError **errp)
{
    FILTER_REDIRECTOR(obj)->vnet_hdr = v;
}

static void redirector_finalize(Object *obj)
{
    RedirectorState *s = FILTER_REDIRECTOR(obj);

    g_free(s->indev);
    g_free(s->outdev);
}

static void redirector_class_init(ObjectClass *oc, void *data)
{
    NetFilterClass *nfc = NETFILTER_CLASS(oc);

    nfc->setup = redirector_setup;
    nfc->cleanup = redirector_cleanup;
    nfc->receive_iov = redirector_receive_iov;
    object_class_property_add_str(oc, "indev", get_indev, set_indev);
    object_class_property_add_str(oc, "outdev", get_outdev, set_outdev);
    object_class_property_add_bool(oc, "vnet_hdr_support", get_vnet_hdr,
                                   set_vnet_hdr);
}

static void redirector_register(void)
{
    static const TypeInfo info = {
        .name = TYPE_FILTER_REDIRECTOR,
        .parent = TYPE_NETFILTER,
        .instance_size = sizeof(RedirectorState),
        .instance_finalize = redirector_finalize,
        .class_init = redirector_class_init,
    };

    type_register_static(&info);
}
type_init(redirector_register)
