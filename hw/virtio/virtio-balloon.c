/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-balloon-device (virtio id 5): the minimum a guest driver needs to
 * bind.  libvirt adds a balloon to every guest and sets its target with
 * the balloon command: the target becomes num_pages in config space as in
 * QEMU, and query-balloon reports RAM minus what the guest says it gave.
 * Pages given on the inflate/deflate queues are simply acknowledged (no
 * host memory is returned), and statistics buffers are left queued (the
 * guest refills one only after the host returns it, so returning them
 * would spin).
 */
#include <string.h>

#include "qapi/error.h"
#include "hw/virtio/virtio.h"
#include "hw/qdev-properties.h"
#include "hw/boards.h"
#include "system/balloon.h"

#define TYPE_VIRTIO_BALLOON "virtio-balloon-device"
#define VIRTIO_ID_BALLOON 5
#define VIRTIO_BALLOON_F_STATS_VQ 1
#define VIRTIO_BALLOON_F_DEFLATE_ON_OOM 2
#define VIRTIO_BALLOON_QUEUE_SIZE 128
#define VIRTIO_BALLOON_CONFIG_SIZE 8    /* num_pages, actual */
#define VIRTIO_BALLOON_PFN_SHIFT 12

typedef struct VirtIOBalloon {
    VirtIODevice parent_obj;
    uint32_t num_pages;         /* pages the host asks the guest to give */
    uint32_t actual;            /* pages the guest reports as given back */
} VirtIOBalloon;

#define VIRTIO_BALLOON(obj) \
    OBJECT_CHECK(VirtIOBalloon, (obj), TYPE_VIRTIO_BALLOON)

/* Inflate and deflate: the page frame numbers need no action here. */
static void virtio_balloon_handle_pages(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtQueueElement *elem;
    bool pushed = false;

    while ((elem = virtqueue_pop(vq))) {
        virtqueue_push(vq, elem, 0);
        pushed = true;
    }
    if (pushed) {
        virtio_notify(vdev, vq);
    }
}

static void virtio_balloon_handle_stats(VirtIODevice *vdev, VirtQueue *vq)
{
    /* Nothing polls statistics: keep the buffer in the ring. */
}

static void virtio_balloon_get_config(VirtIODevice *vdev, uint8_t *config)
{
    uint32_t num_pages = GUINT32_TO_LE(VIRTIO_BALLOON(vdev)->num_pages);
    uint32_t actual = GUINT32_TO_LE(VIRTIO_BALLOON(vdev)->actual);

    memcpy(config, &num_pages, 4);
    memcpy(config + 4, &actual, 4);
}

static void virtio_balloon_set_config(VirtIODevice *vdev,
                                      const uint8_t *config)
{
    uint32_t actual;

    memcpy(&actual, config + 4, 4);
    VIRTIO_BALLOON(vdev)->actual = GUINT32_FROM_LE(actual);
}

static uint64_t virtio_balloon_get_features(VirtIODevice *vdev, uint64_t f)
{
    return f | (1ULL << VIRTIO_BALLOON_F_STATS_VQ);
}

static void virtio_balloon_reset(VirtIODevice *vdev)
{
    VIRTIO_BALLOON(vdev)->actual = 0;
}

static uint64_t balloon_ram_size(void)
{
    return current_machine ? current_machine->ram_size : 0;
}

static void virtio_balloon_to_target(void *opaque, uint64_t target)
{
    VirtIOBalloon *dev = opaque;
    uint64_t ram_size = balloon_ram_size();

    if (target > ram_size) {
        target = ram_size;
    }
    if (target) {
        dev->num_pages = (ram_size - target) >> VIRTIO_BALLOON_PFN_SHIFT;
        virtio_notify_config(VIRTIO_DEVICE(dev));
    }
}

static void virtio_balloon_stat(void *opaque, BalloonInfo *info)
{
    VirtIOBalloon *dev = opaque;

    info->actual = balloon_ram_size() -
                   ((uint64_t)dev->actual << VIRTIO_BALLOON_PFN_SHIFT);
}

static void virtio_balloon_realize(VirtIODevice *vdev, GError **errp)
{
    if (!qemu_add_balloon_handler(virtio_balloon_to_target,
                                  virtio_balloon_stat, vdev)) {
        error_setg(errp, "Only one balloon device is supported");
        return;
    }
    virtio_init(vdev, VIRTIO_ID_BALLOON, VIRTIO_BALLOON_CONFIG_SIZE);
    vdev->name = "virtio-balloon";
    virtio_add_queue(vdev, VIRTIO_BALLOON_QUEUE_SIZE,
                     virtio_balloon_handle_pages);
    virtio_add_queue(vdev, VIRTIO_BALLOON_QUEUE_SIZE,
                     virtio_balloon_handle_pages);
    virtio_add_queue(vdev, VIRTIO_BALLOON_QUEUE_SIZE,
                     virtio_balloon_handle_stats);
}

static void virtio_balloon_unrealize(VirtIODevice *vdev)
{
    qemu_remove_balloon_handler(vdev);
    virtio_cleanup(vdev);
}

static Property virtio_balloon_properties[] = {
    DEFINE_VIRTIO_COMMON_FEATURES(VirtIOBalloon, parent_obj.host_features),
    DEFINE_PROP_BIT64("deflate-on-oom", VirtIOBalloon,
                      parent_obj.host_features,
                      VIRTIO_BALLOON_F_DEFLATE_ON_OOM, false),
    DEFINE_PROP_END_OF_LIST(),
};

static void virtio_balloon_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    device_class_set_props(dc, virtio_balloon_properties);
    dc->category = DEVICE_CATEGORY_MISC;
    vdc->realize = virtio_balloon_realize;
    vdc->unrealize = virtio_balloon_unrealize;
    vdc->get_features = virtio_balloon_get_features;
    vdc->get_config = virtio_balloon_get_config;
    vdc->set_config = virtio_balloon_set_config;
    vdc->reset = virtio_balloon_reset;
}

static const TypeInfo virtio_balloon_info = {
    .name = TYPE_VIRTIO_BALLOON,
    .parent = TYPE_VIRTIO_DEVICE,
    .instance_size = sizeof(VirtIOBalloon),
    .class_init = virtio_balloon_class_init,
};

static void virtio_balloon_register_types(void)
{
    type_register_static(&virtio_balloon_info);
}

type_init(virtio_balloon_register_types)
