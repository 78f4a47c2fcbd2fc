/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -object filter-buffer,netdev=N,interval=USECS[,queue=]: frames are held
 * and released together every interval microseconds of guest (virtual)
 * time, so with qtest they move on clock_step.  status=off releases what
 * is held and lets frames through.
 */
#include "net/clients.h"
#include "net/filter.h"
#include "qapi/error.h"
#include "qemu/timer.h"

#define TYPE_FILTER_BUFFER "filter-buffer"

typedef struct BufferedFrame {
    NetFilterDirection dir;     /* who sent it: the backend (tx) or its NIC */
    size_t len;
    uint8_t data[];
} BufferedFrame;

typedef struct FilterBufferState {
    NetFilterState parent_obj;
    uint32_t interval;          /* microseconds */
    QEMUTimer *timer;
    GQueue frames;
} FilterBufferState;

#define FILTER_BUFFER(obj) \
    OBJECT_CHECK(FilterBufferState, (obj), TYPE_FILTER_BUFFER)

static void buffer_flush(NetFilterState *nf)
{
    FilterBufferState *s = FILTER_BUFFER(nf);
    BufferedFrame *f;

    while ((f = g_queue_pop_head(&s->frames))) {
        struct iovec iov = { .iov_base = f->data, .iov_len = f->len };

        /* The backend (or its NIC) may be gone: then the frame is too. */
        if (nf->netdev) {
            qemu_netfilter_pass_to_next(f->dir == NET_FILTER_DIRECTION_TX
                                        ? nf->netdev : nf->netdev->peer,
                                        &iov, 1, nf);
        }
        g_free(f);
    }
}

static void buffer_arm(FilterBufferState *s)
{
    timer_mod(s->timer, qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL) / SCALE_US +
              s->interval);
}

static void buffer_release(void *opaque)
{
    buffer_flush(opaque);
    buffer_arm(opaque);
}

static ssize_t buffer_receive_iov(NetFilterState *nf, NetClientState *sender,
                                  const struct iovec *iov, int iovcnt)
{
    FilterBufferState *s = FILTER_BUFFER(nf);
    BufferedFrame *f;
    size_t len = 0;

    for (int i = 0; i < iovcnt; i++) {
        len += iov[i].iov_len;
    }
    if (g_queue_get_length(&s->frames) >= NET_QUEUE_MAX_PACKETS) {
        return len;             /* full: dropped, as a full queue drops */
    }
    f = g_malloc(sizeof(*f) + len);
    f->dir = sender == nf->netdev ? NET_FILTER_DIRECTION_TX
                                  : NET_FILTER_DIRECTION_RX;
    f->len = net_iov_to_buf(iov, iovcnt, f->data);
    g_queue_push_tail(&s->frames, f);
    return len;
}

static bool buffer_setup(NetFilterState *nf, GError **errp)
{
    FilterBufferState *s = FILTER_BUFFER(nf);

    if (!s->interval) {
        error_setg(errp, "Parameter 'interval' expects a non-zero interval");
        return false;
    }
    s->timer = timer_new(QEMU_CLOCK_VIRTUAL, SCALE_US, buffer_release, s);
    if (nf->on) {
        buffer_arm(s);
    }
    return true;
}

static void buffer_status_changed(NetFilterState *nf)
{
    FilterBufferState *s = FILTER_BUFFER(nf);

    if (nf->on) {
        buffer_arm(s);
    } else {
        timer_del(s->timer);
        buffer_flush(nf);
    }
}

static void buffer_cleanup(NetFilterState *nf)
{
    FilterBufferState *s = FILTER_BUFFER(nf);

    timer_free(s->timer);
    s->timer = NULL;
    buffer_flush(nf);
}

static JsonNode *get_interval(Object *obj, ObjectProperty *prop,
                              GError **errp)
{
    return qom_value_from_int(FILTER_BUFFER(obj)->interval);
}

static bool set_interval(Object *obj, ObjectProperty *prop, JsonNode *value,
                         GError **errp)
{
    uint64_t v;

    if (!qom_value_to_uint(value, "interval", &v, errp)) {
        return false;
    }
    if (v > UINT32_MAX) {
        error_setg(errp, "Parameter 'interval' expects uint32_t");
        return false;
    }
    if (!v) {
        error_setg(errp, "Property 'filter-buffer.interval' requires a "
                   "positive value");
        return false;
    }
    FILTER_BUFFER(obj)->interval = v;
    return true;
}

static void buffer_class_init(ObjectClass *oc, void *data)
{
    NetFilterClass *nfc = NETFILTER_CLASS(oc);

    nfc->setup = buffer_setup;
    nfc->cleanup = buffer_cleanup;
    nfc->status_changed = buffer_status_changed;
    nfc->receive_iov = buffer_receive_iov;
    object_class_property_add(oc, "interval", "uint32", get_interval,
                              set_interval, NULL, NULL);
}

static void buffer_register(void)
{
    static const TypeInfo info = {
        .name = TYPE_FILTER_BUFFER,
        .parent = TYPE_NETFILTER,
        .instance_size = sizeof(FilterBufferState),
        .class_init = buffer_class_init,
    };

    type_register_static(&info);
}
type_init(buffer_register)
