/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-mouse-device (virtio id 18, input): QEMU 8.1's virtio mouse as a
 * guest driver sees it.  The driver writes select/subsel into config
 * space and reads back the matching entry: the name "QEMU Virtio Mouse",
 * the device ids (BUS_VIRTUAL, 0x0627:0x0002 version 2), the EV_REL axes
 * (X, Y, wheel) and the EV_KEY buttons; an unknown pair reads zeros.
 * baton has no display or input backend, so the event queue only holds
 * the driver's buffers; status messages (LEDs) are consumed and dropped.
 */
#include <string.h>

#include "qapi/error.h"
#include "hw/virtio/virtio.h"
#include "hw/qdev-properties.h"

#define TYPE_VIRTIO_MOUSE "virtio-mouse-device"
#define VIRTIO_ID_INPUT 18
#define VIRTIO_INPUT_QUEUE_SIZE 64

#define VIRTIO_INPUT_CFG_ID_NAME    0x01
#define VIRTIO_INPUT_CFG_ID_SERIAL  0x02
#define VIRTIO_INPUT_CFG_ID_DEVIDS  0x03
#define VIRTIO_INPUT_CFG_EV_BITS    0x11

#define EV_KEY      0x01
#define EV_REL      0x02
#define BUS_VIRTUAL 0x06

/* Linux input codes of the buttons QEMU maps for its mouse. */
static const uint16_t mouse_buttons[] = {
    0x110, 0x111, 0x112,        /* BTN_LEFT, BTN_RIGHT, BTN_MIDDLE */
    0x151, 0x150,               /* BTN_GEAR_UP, BTN_GEAR_DOWN (wheel) */
    0x113, 0x114,               /* BTN_SIDE, BTN_EXTRA */
    0x14a,                      /* BTN_TOUCH */
};

/* One entry of the select/subsel table (virtio 1.x, 5.8.4). */
typedef struct VirtIOInputConfig {
    uint8_t select;
    uint8_t subsel;
    uint8_t size;
    uint8_t reserved[5];
    uint8_t u[128];
} VirtIOInputConfig;

typedef struct VirtIOInput {
    VirtIODevice parent_obj;
    VirtIOInputConfig *cfg;     /* the table, cfg_count entries */
    unsigned cfg_count;
    size_t cfg_size;            /* config space: 8 + the largest entry */
    uint8_t cfg_select, cfg_subsel;
    /* Properties */
    char *serial;
    bool wheel_axis;
} VirtIOInput;

#define VIRTIO_MOUSE(obj) OBJECT_CHECK(VirtIOInput, (obj), TYPE_VIRTIO_MOUSE)

static VirtIOInputConfig *virtio_input_add(VirtIOInput *vi, uint8_t select,
                                           uint8_t subsel)
{
    VirtIOInputConfig *c;

    vi->cfg = g_renew(VirtIOInputConfig, vi->cfg, vi->cfg_count + 1);
    c = &vi->cfg[vi->cfg_count++];
    memset(c, 0, sizeof(*c));
    c->select = select;
    c->subsel = subsel;
    return c;
}

static void virtio_input_add_string(VirtIOInput *vi, uint8_t select,
                                    const char *s, bool with_nul)
{
    VirtIOInputConfig *c = virtio_input_add(vi, select, 0);

    g_strlcpy((char *)c->u, s, sizeof(c->u));
    c->size = MIN(strlen(s) + (with_nul ? 1 : 0), sizeof(c->u));
}

static void virtio_input_set_bit(VirtIOInputConfig *c, unsigned bit)
{
    c->u[bit / 8] |= 1 << (bit % 8);
    c->size = MAX(c->size, bit / 8 + 1);
}

static void virtio_mouse_build_config(VirtIOInput *vi)
{
    VirtIOInputConfig *c;
    uint16_t ids[4] = {
        GUINT16_TO_LE(BUS_VIRTUAL), GUINT16_TO_LE(0x0627),
        GUINT16_TO_LE(0x0002), GUINT16_TO_LE(vi->wheel_axis ? 2 : 1),
    };

    /* QEMU counts the name's NUL (a static table), not the serial's. */
    virtio_input_add_string(vi, VIRTIO_INPUT_CFG_ID_NAME,
                            "QEMU Virtio Mouse", true);
    c = virtio_input_add(vi, VIRTIO_INPUT_CFG_ID_DEVIDS, 0);
    memcpy(c->u, ids, sizeof(ids));
    c->size = sizeof(ids);
    c = virtio_input_add(vi, VIRTIO_INPUT_CFG_EV_BITS, EV_REL);
    virtio_input_set_bit(c, 0);                 /* REL_X */
    virtio_input_set_bit(c, 1);                 /* REL_Y */
    if (vi->wheel_axis) {
        virtio_input_set_bit(c, 8);             /* REL_WHEEL */
    }
    c = virtio_input_add(vi, VIRTIO_INPUT_CFG_EV_BITS, EV_KEY);
    for (size_t i = 0; i < G_N_ELEMENTS(mouse_buttons); i++) {
        virtio_input_set_bit(c, mouse_buttons[i]);
    }
    if (vi->serial) {
        virtio_input_add_string(vi, VIRTIO_INPUT_CFG_ID_SERIAL, vi->serial,
                                false);
    }
}

static void virtio_input_get_config(VirtIODevice *vdev, uint8_t *config)
{
    VirtIOInput *vi = VIRTIO_MOUSE(vdev);

    memset(config, 0, vi->cfg_size);
    for (unsigned i = 0; i < vi->cfg_count; i++) {
        if (vi->cfg[i].select == vi->cfg_select &&
            vi->cfg[i].subsel == vi->cfg_subsel) {
            memcpy(config, &vi->cfg[i], vi->cfg_size);
            return;
        }
    }
}

static void virtio_input_set_config(VirtIODevice *vdev, const uint8_t *config)
{
    VirtIOInput *vi = VIRTIO_MOUSE(vdev);

    vi->cfg_select = config[0];
    vi->cfg_subsel = config[1];
    virtio_notify_config(vdev);
}

static void virtio_input_handle_evt(VirtIODevice *vdev, VirtQueue *vq)
{
    /* Buffers for events: kept until there is something to report. */
}

static void virtio_input_handle_sts(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement *elem;

    while ((elem = virtqueue_pop(vq))) {
        virtqueue_push(vq, elem, 0);
    }
    virtio_notify(vdev, vq);
}

static void virtio_input_reset(VirtIODevice *vdev)
{
    VirtIOInput *vi = VIRTIO_MOUSE(vdev);

    vi->cfg_select = 0;
    vi->cfg_subsel = 0;
}

static void virtio_input_realize(VirtIODevice *vdev, GError **errp)
{
    VirtIOInput *vi = VIRTIO_MOUSE(vdev);

    virtio_mouse_build_config(vi);
    vi->cfg_size = 0;
    for (unsigned i = 0; i < vi->cfg_count; i++) {
        vi->cfg_size = MAX(vi->cfg_size, vi->cfg[i].size);
    }
    vi->cfg_size += 8;
    virtio_init(vdev, VIRTIO_ID_INPUT, vi->cfg_size);
    vdev->name = "virtio-input";
    virtio_add_queue(vdev, VIRTIO_INPUT_QUEUE_SIZE, virtio_input_handle_evt);
    virtio_add_queue(vdev, VIRTIO_INPUT_QUEUE_SIZE, virtio_input_handle_sts);
}

static void virtio_input_unrealize(VirtIODevice *vdev)
{
    VirtIOInput *vi = VIRTIO_MOUSE(vdev);

    virtio_cleanup(vdev);
    g_clear_pointer(&vi->cfg, g_free);
    vi->cfg_count = 0;
}

static Property virtio_mouse_properties[] = {
    DEFINE_VIRTIO_COMMON_FEATURES(VirtIOInput, parent_obj.host_features),
    DEFINE_PROP_STRING("serial", VirtIOInput, serial),
    DEFINE_PROP_BOOL("wheel-axis", VirtIOInput, wheel_axis, true),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_mouse_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    device_class_set_props(dc, virtio_mouse_properties);
    dc->category = DEVICE_CATEGORY_INPUT;
    vdc->realize = virtio_input_realize;
    vdc->unrealize = virtio_input_unrealize;
    vdc->get_config = virtio_input_get_config;
    vdc->set_config = virtio_input_set_config;
    vdc->reset = virtio_input_reset;
}

static const TypeInfo virtio_mouse_info = {
    .name = TYPE_VIRTIO_MOUSE,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOInput),
    .class_init = virtio_mouse_class_init,
};

static void virtio_input_register_types(void)
{
    type_register_static(&virtio_mouse_info);
}

type_init(virtio_input_register_types)
