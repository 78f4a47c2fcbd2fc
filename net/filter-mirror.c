/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object filter-mirror,netdev=N,outdev=CHARDEV[,queue=][,vnet_hdr_support=]:
 * a copy of every frame goes to the chardev (length-prefixed), and the
 * frame itself continues unchanged.
 */
#include "net/filter.h"
#include "qapi/error.h"

#define TYPE_FILTER_MIRROR "filter-mirror"

typedef struct MirrorState {
    NetFilterState parent_obj;
    char *outdev;
    bool vnet_hdr;
    Chardev *chr_out;
} MirrorState;

#define FILTER_MIRROR(obj) OBJECT_CHECK(MirrorState, (obj), TYPE_FILTER_MIRROR)

static ssize_t mirror_receive_iov(NetFilterState *nf, NetClientState *sender,
                                  const struct iovec *iov, int iovcnt)
{
    MirrorState *s = FILTER_MIRROR(nf);

    netfilter_chr_send(s->chr_out, nf, s->vnet_hdr, iov, iovcnt);
    return 0;
}

static bool mirror_setup(NetFilterState *nf, GError **errp)
{
    MirrorState *s = FILTER_MIRROR(nf);

    if (!s->outdev) {
        error_set(errp, ERROR_CLASS_DEVICE_NOT_FOUND,
                  "filter-mirror parameter 'outdev' cannot be empty");
        return false;
    }
    s->chr_out = netfilter_find_chardev(s->outdev, "", errp);
    if (!s->chr_out || !qemu_chr_fe_claim(s->chr_out, errp)) {
        s->chr_out = NULL;
        return false;
    }
    return true;
}

static void mirror_cleanup(NetFilterState *nf)
{
    MirrorState *s = FILTER_MIRROR(nf);

    if (s->chr_out) {
        qemu_chr_fe_release(s->chr_out);
        s->chr_out = NULL;
    }
}

static char *get_outdev(Object *obj, GError **errp)
{
    return g_strdup(FILTER_MIRROR(obj)->outdev);
}

static void set_outdev(Object *obj, const char *v, GError **errp)
{
    MirrorState *s = FILTER_MIRROR(obj);

    g_free(s->outdev);
    s->outdev = g_strdup(v);
}

static bool get_vnet_hdr(Object *obj, GError **errp)
{
    return FILTER_MIRROR(obj)->vnet_hdr;
}

static void set_vnet_hdr(Object *obj, bool v, GError **errp)
{
    FILTER_MIRROR(obj)->vnet_hdr = v;
}

static void mirror_finalize(Object *obj)
{
    g_free(FILTER_MIRROR(obj)->outdev);
}

static void mirror_class_init(ObjectClass *oc, void *data)
{
    NetFilterClass *nfc = NETFILTER_CLASS(oc);

    nfc->setup = mirror_setup;
    nfc->cleanup = mirror_cleanup;
    nfc->receive_iov = mirror_receive_iov;
    object_class_property_add_str(oc, "outdev", get_outdev, set_outdev);
    object_class_property_add_bool(oc, "vnet_hdr_support", get_vnet_hdr,
                                   set_vnet_hdr);
}

static void mirror_register(void)
{
    static const TypeInfo info = {
        .name = TYPE_FILTER_MIRROR,
        .parent = TYPE_NETFILTER,
        .instance_size = sizeof(MirrorState),
        .instance_finalize = mirror_finalize,
        .class_init = mirror_class_init,
    };

    type_register_static(&info);
}
type_init(mirror_register)
