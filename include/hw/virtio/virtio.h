/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio core: a virtio device (the "backend" half of e.g. virtio-net-pci)
 * plugged into a virtio bus that its transport (virtio-pci) owns.
 *
 * The device keeps the feature bits, the status byte, its config space and
 * split virtqueues that live in guest RAM.  Everything in guest RAM is
 * written by the guest and is treated as hostile: any inconsistency marks
 * the device broken (DEVICE_NEEDS_RESET), logs one line and stops
 * processing, never crashes and never touches memory outside RAM.
 */
#ifndef HW_VIRTIO_VIRTIO_H
#define HW_VIRTIO_VIRTIO_H

#include <sys/uio.h>
#include "hw/qdev-core.h"
#include "exec/memory.h"

#define TYPE_VIRTIO_DEVICE "virtio-device"
#define TYPE_VIRTIO_BUS "virtio-bus"

/* Device status bits. */
#define VIRTIO_CONFIG_S_ACKNOWLEDGE     0x01
#define VIRTIO_CONFIG_S_DRIVER          0x02
#define VIRTIO_CONFIG_S_DRIVER_OK       0x04
#define VIRTIO_CONFIG_S_FEATURES_OK     0x08
#define VIRTIO_CONFIG_S_NEEDS_RESET     0x40
#define VIRTIO_CONFIG_S_FAILED          0x80

/* Transport-independent feature bits. */
#define VIRTIO_F_NOTIFY_ON_EMPTY        24
#define VIRTIO_F_ANY_LAYOUT             27
#define VIRTIO_RING_F_INDIRECT_DESC     28
#define VIRTIO_RING_F_EVENT_IDX         29
#define VIRTIO_F_BAD_FEATURE            30
#define VIRTIO_F_VERSION_1              32
#define VIRTIO_F_ACCESS_PLATFORM        33
#define VIRTIO_F_RING_PACKED            34
#define VIRTIO_F_RING_RESET             40

/* Bits only a legacy (pre-1.0) driver may see. */
#define VIRTIO_LEGACY_FEATURES ((1ULL << VIRTIO_F_BAD_FEATURE) | \
                                (1ULL << VIRTIO_F_NOTIFY_ON_EMPTY) | \
                                (1ULL << VIRTIO_F_ANY_LAYOUT))

/* Split ring layout. */
#define VRING_DESC_F_NEXT               1
#define VRING_DESC_F_WRITE              2
#define VRING_DESC_F_INDIRECT           4
#define VRING_USED_F_NO_NOTIFY          1
#define VRING_AVAIL_F_NO_INTERRUPT      1

typedef struct VRingDesc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags;
    uint16_t next;
} VRingDesc;

typedef struct VRingUsedElem {
    uint32_t id;
    uint32_t len;
} VRingUsedElem;

#define VIRTIO_QUEUE_MAX 1024           /* queues per device */
#define VIRTQUEUE_MAX_SIZE 1024         /* descriptors per queue */
/*
 * Queues a device can have (virtio-net: RX, TX, control; the balloon up
 * to five).  The index space a driver selects in is VIRTIO_QUEUE_MAX; an
 * index past these is a queue that does not exist.  Only these are
 * allocated: start-up touches no memory for the other thousand.
 */
#define VIRTIO_QUEUE_ALLOC 8
#define VIRTIO_NO_VECTOR 0xffff

/* Legacy (virtio 0.9) rings: avail after the descriptors, used page-aligned. */
#define VIRTIO_PCI_VRING_ALIGN 4096

typedef struct VirtIODevice VirtIODevice;
typedef struct VirtQueue VirtQueue;
typedef void (*VirtIOHandleOutput)(VirtIODevice *vdev, VirtQueue *vq);

/*
 * One popped descriptor chain, already mapped: out_sg the device reads
 * (driver -> device), in_sg the device writes.  Owned by its queue and
 * valid until the next virtqueue_pop on that queue.
 */
typedef struct VirtQueueElement {
    unsigned int index;         /* head descriptor */
    unsigned int out_num;
    unsigned int in_num;
    size_t out_len;             /* bytes in out_sg / in_sg */
    size_t in_len;
    hwaddr in_addr[VIRTQUEUE_MAX_SIZE];
    struct iovec in_sg[VIRTQUEUE_MAX_SIZE];
    struct iovec out_sg[VIRTQUEUE_MAX_SIZE];
} VirtQueueElement;

struct VirtQueue {
    VirtIODevice *vdev;
    uint16_t queue_index;
    unsigned int num;           /* current size (driver may shrink it) */
    unsigned int num_default;   /* size at reset; 0: queue does not exist */
    hwaddr desc;                /* guest addresses of the three parts */
    hwaddr avail;
    hwaddr used;
    bool enabled;               /* modern queue_enable */
    uint16_t vector;
    uint16_t last_avail_idx;
    uint16_t used_idx;          /* next used index the device writes */
    uint16_t signalled_used;    /* used idx at the last interrupt */
    bool signalled_used_valid;
    bool notification;          /* driver kicks wanted */
    unsigned int inuse;         /* popped, not yet pushed */
    VirtIOHandleOutput handle_output;
    VirtQueueElement *elem;     /* scratch of virtqueue_pop, at first use */
    /*
     * Host views of the rings, refreshed at each entry point.  Bytes only:
     * the guest chooses the alignment, so fields are copied out, never
     * loaded through a struct pointer.
     */
    uint8_t *desc_p;
    uint8_t *avail_p;
    uint8_t *used_p;
};

struct VirtIODevice {
    DeviceState parent_obj;
    const char *name;           /* "virtio-net": prefix of log lines */
    uint16_t device_id;         /* virtio device id (1: net) */
    uint8_t status;
    uint8_t isr;                /* bit 0 queue, bit 1 config */
    uint16_t queue_sel;
    uint64_t host_features;     /* properties, then get_features() */
    uint64_t guest_features;    /* accepted by set_features */
    uint64_t backend_features;
    size_t config_len;
    uint8_t *config;
    uint16_t config_vector;
    uint8_t generation;
    VirtQueue *vq;              /* VIRTIO_QUEUE_ALLOC of them */
    bool broken;                /* hostile ring seen; cleared by reset */
    bool broken_logged;         /* the one log line per device was written */
    bool started;               /* DRIVER_OK seen */
    bool vm_running;            /* the VM runs: queues may be processed */
};

typedef struct VirtioDeviceClass {
    DeviceClass parent;
    void (*realize)(VirtIODevice *vdev, GError **errp);
    void (*unrealize)(VirtIODevice *vdev);
    /* Offered features from what the properties allow. */
    uint64_t (*get_features)(VirtIODevice *vdev, uint64_t requested);
    /* Called on every driver_feature write (modern) / GUEST_FEATURES. */
    void (*set_features)(VirtIODevice *vdev, uint64_t val);
    /* Checked when FEATURES_OK is set; false refuses it. */
    bool (*validate_features)(VirtIODevice *vdev);
    void (*get_config)(VirtIODevice *vdev, uint8_t *config);
    void (*set_config)(VirtIODevice *vdev, const uint8_t *config);
    void (*reset)(VirtIODevice *vdev);
    void (*set_status)(VirtIODevice *vdev, uint8_t val);
    /*
     * The VM started or stopped running (vdev->vm_running already says
     * so).  A stopped VM's device leaves the rings alone, as QEMU's do: a
     * driver that still kicks (qtest) or frames that arrive wait for this.
     */
    void (*vmstate_change)(VirtIODevice *vdev, bool running);
    uint64_t legacy_features;   /* hidden from modern drivers */
} VirtioDeviceClass;

#define VIRTIO_DEVICE(obj) OBJECT_CHECK(VirtIODevice, (obj), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_CLASS(oc) \
    OBJECT_CLASS_CHECK(VirtioDeviceClass, (oc), TYPE_VIRTIO_DEVICE)
#define VIRTIO_DEVICE_GET_CLASS(obj) \
    OBJECT_GET_CLASS(VirtioDeviceClass, (obj), TYPE_VIRTIO_DEVICE)

/*
 * The transport's side, implemented by the bus the device sits on.
 */
typedef struct VirtioBusState {
    BusState parent_obj;
} VirtioBusState;

typedef struct VirtioBusClass {
    BusClass parent;
    /* Raise the interrupt for vector (queue or config). */
    void (*notify)(DeviceState *proxy, uint16_t vector);
    /* Before get_features: e.g. add VERSION_1 for a modern transport. */
    void (*pre_plugged)(DeviceState *proxy, GError **errp);
    /* After get_features: build BARs/capabilities from the device. */
    void (*device_plugged)(DeviceState *proxy, GError **errp);
    void (*device_unplugged)(DeviceState *proxy);
    /* Does the transport present a modern (virtio 1.0) interface? */
    bool (*has_modern)(DeviceState *proxy);
} VirtioBusClass;

#define VIRTIO_BUS(obj) OBJECT_CHECK(VirtioBusState, (obj), TYPE_VIRTIO_BUS)
#define VIRTIO_BUS_CLASS(oc) \
    OBJECT_CLASS_CHECK(VirtioBusClass, (oc), TYPE_VIRTIO_BUS)
#define VIRTIO_BUS_GET_CLASS(obj) \
    OBJECT_GET_CLASS(VirtioBusClass, (obj), TYPE_VIRTIO_BUS)

/*
 * Migration state of the generic part (status, features, queues); a
 * device's own description nests it over its VirtIODevice member.
 */
typedef struct VMStateDescription VMStateDescription;
extern const VMStateDescription vmstate_virtio_device;

/* The device on a transport's bus, or NULL. */
VirtIODevice *virtio_bus_get_device(VirtioBusState *bus);

/* Common feature properties (on the device and aliased on proxies). */
#define DEFINE_VIRTIO_COMMON_FEATURES(_state, _field) \
    DEFINE_PROP_BIT64("indirect_desc", _state, _field, \
                      VIRTIO_RING_F_INDIRECT_DESC, true), \
    DEFINE_PROP_BIT64("event_idx", _state, _field, \
                      VIRTIO_RING_F_EVENT_IDX, true), \
    DEFINE_PROP_BIT64("notify_on_empty", _state, _field, \
                      VIRTIO_F_NOTIFY_ON_EMPTY, true), \
    DEFINE_PROP_BIT64("any_layout", _state, _field, \
                      VIRTIO_F_ANY_LAYOUT, true), \
    DEFINE_PROP_BIT64("iommu_platform", _state, _field, \
                      VIRTIO_F_ACCESS_PLATFORM, false), \
    DEFINE_PROP_BIT64("packed", _state, _field, \
                      VIRTIO_F_RING_PACKED, false), \
    DEFINE_PROP_BIT64("queue_reset", _state, _field, \
                      VIRTIO_F_RING_RESET, true)

static inline bool virtio_has_feature(uint64_t features, unsigned int fbit)
{
    return features & (1ULL << fbit);
}

static inline bool virtio_vdev_has_feature(VirtIODevice *vdev,
                                           unsigned int fbit)
{
    return virtio_has_feature(vdev->guest_features, fbit);
}

/* Device setup (from the device's realize). */
void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_size);
void virtio_cleanup(VirtIODevice *vdev);
VirtQueue *virtio_add_queue(VirtIODevice *vdev, int queue_size,
                            VirtIOHandleOutput handle_output);
void virtio_del_queue(VirtIODevice *vdev, int n);

/* Transport-facing operations. */
void virtio_reset(VirtIODevice *vdev);
/* Store the status byte; false if FEATURES_OK was refused. */
bool virtio_set_status(VirtIODevice *vdev, uint8_t val);
/* Accept val (masked to the offered bits) unless FEATURES_OK is set. */
int virtio_set_features(VirtIODevice *vdev, uint64_t val);
void virtio_queue_notify(VirtIODevice *vdev, int n);
void virtio_config_changed(VirtIODevice *vdev);
/* Refresh the config bytes from the device (get_config). */
void virtio_config_refresh(VirtIODevice *vdev);
void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint64_t val,
                         unsigned size);

int virtio_get_num_queues(VirtIODevice *vdev);
static inline VirtQueue *virtio_get_queue(VirtIODevice *vdev, int n)
{
    return &vdev->vq[n];
}
/* Queue n of the index space, or NULL where no queue can be. */
static inline VirtQueue *virtio_queue_at(VirtIODevice *vdev, unsigned int n)
{
    return n < VIRTIO_QUEUE_ALLOC ? &vdev->vq[n] : NULL;
}
void virtio_queue_set_num(VirtIODevice *vdev, int n, int num);
void virtio_queue_set_rings(VirtIODevice *vdev, int n, hwaddr desc,
                            hwaddr avail, hwaddr used);
/* Legacy: one page frame address, rings laid out contiguously. */
void virtio_queue_set_addr(VirtIODevice *vdev, int n, hwaddr addr);
void virtio_queue_reset(VirtIODevice *vdev, int n);
void virtio_queue_enable(VirtIODevice *vdev, int n);

/*
 * Mark the device broken: set NEEDS_RESET (modern drivers), notify a
 * config change and log one line per device.  Processing stops until reset.
 */
void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* Virtqueues */
bool virtio_queue_ready(VirtQueue *vq);
bool virtio_queue_empty(VirtQueue *vq);
/* Next available chain, or NULL (empty, not ready, or broken). */
VirtQueueElement *virtqueue_pop(VirtQueue *vq);
/* Give back the last n popped elements not yet pushed. */
void virtqueue_unpop(VirtQueue *vq, unsigned int n);
/*
 * Used entry idx (counted from the next used index) for elem, which the
 * device wrote len bytes into (marked dirty); visible after flush.
 */
void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len, unsigned int idx);
/* The same for a chain the device only read (used length 0). */
void virtqueue_fill_read(VirtQueue *vq, unsigned int head, unsigned int idx);
void virtqueue_flush(VirtQueue *vq, unsigned int count);
void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len);
/* Interrupt the driver if it asked for it (event index / flags). */
void virtio_notify(VirtIODevice *vdev, VirtQueue *vq);
void virtio_notify_config(VirtIODevice *vdev);
/* Ask for (or suppress) kicks from the driver. */
void virtio_queue_set_notification(VirtQueue *vq, bool enable);
/*
 * Are there at least in_bytes of device-writable buffer available?
 * Walks chains without consuming them.
 */
bool virtqueue_avail_bytes(VirtQueue *vq, size_t in_bytes);

/* Copy helpers over iovecs; return the bytes copied. */
size_t virtio_iov_from_buf(const struct iovec *iov, unsigned int iov_cnt,
                           size_t offset, const void *buf, size_t bytes);
size_t virtio_iov_to_buf(const struct iovec *iov, unsigned int iov_cnt,
                         size_t offset, void *buf, size_t bytes);

#endif
