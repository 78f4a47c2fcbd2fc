/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio core: split virtqueues in guest RAM, the status byte, features,
 * config space and reset.
 *
 * The rings are written by the guest, so nothing read from them is
 * trusted: every index is bounded, every chain is counted against the
 * queue (or indirect table) size, every buffer must lie wholly in RAM.
 * The first violation marks the device broken (virtio_error) and nothing
 * more is processed until the driver resets it.
 */
#include <stdarg.h>
#include <string.h>

#include "hw/virtio/virtio.h"
#include "hw/qdev-properties.h"
#include "qapi/error.h"
#include "migration/vmstate.h"
#include "system/runstate.h"

/* ---- Little-endian ring fields ----------------------------------------- */

static inline uint16_t ld16(const uint8_t *p)
{
    return p[0] | (p[1] << 8);
}

static inline uint32_t ld32(const uint8_t *p)
{
    return ld16(p) | (uint32_t)ld16(p + 2) << 16;
}

static inline uint64_t ld64(const uint8_t *p)
{
    return ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static inline void st16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

static inline void st32(uint8_t *p, uint32_t v)
{
    st16(p, v);
    st16(p + 2, v >> 16);
}

static size_t vring_avail_size(unsigned int num)
{
    return 4 + 2 * num + 2;     /* flags, idx, ring[num], used_event */
}

static size_t vring_used_size(unsigned int num)
{
    return 4 + 8 * num + 2;     /* flags, idx, ring[num], avail_event */
}

/* ---- Errors ------------------------------------------------------------- */

void virtio_error(VirtIODevice *vdev, const char *fmt, ...)
{
    va_list ap;

    if (vdev->broken) {
        return;
    }
    vdev->broken = true;
    if (!vdev->broken_logged) {
        g_autofree char *msg = NULL;
        g_autofree char *path = object_get_canonical_path(OBJECT(vdev));

        va_start(ap, fmt);
        msg = g_strdup_vprintf(fmt, ap);
        va_end(ap);
        /* One line per device: a hostile guest must not flood the log. */
        error_report("%s (%s): %s; device needs reset", vdev->name,
                     path ? path : "?", msg);
        vdev->broken_logged = true;
    }
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1)) {
        vdev->status |= VIRTIO_CONFIG_S_NEEDS_RESET;
        virtio_notify_config(vdev);
    }
}

/* ---- Mapping the rings --------------------------------------------------- */

bool virtio_queue_ready(VirtQueue *vq)
{
    return vq->num && vq->desc;
}

/*
 * Host views of the three ring parts.  Done at each entry point rather
 * than once at enable so that a ring that stopped being RAM is noticed.
 */
static bool vq_map(VirtQueue *vq)
{
    unsigned int num = vq->num;

    vq->desc_p = dma_memory_map(vq->desc, (hwaddr)num * sizeof(VRingDesc));
    vq->avail_p = dma_memory_map(vq->avail, vring_avail_size(num));
    vq->used_p = dma_memory_map(vq->used, vring_used_size(num));
    if (!vq->desc_p || !vq->avail_p || !vq->used_p) {
        virtio_error(vq->vdev, "virtqueue %u: ring outside guest RAM "
                     "(desc 0x%" HWADDR_PRIx " avail 0x%" HWADDR_PRIx
                     " used 0x%" HWADDR_PRIx ", size %u)", vq->queue_index,
                     vq->desc, vq->avail, vq->used, num);
        vq->desc_p = NULL;
        vq->avail_p = NULL;
        vq->used_p = NULL;
        return false;
    }
    return true;
}

static bool vq_usable(VirtQueue *vq)
{
    return !vq->vdev->broken && virtio_queue_ready(vq) && vq_map(vq);
}

static uint16_t vring_avail_idx(VirtQueue *vq)
{
    return ld16(vq->avail_p + 2);
}

static uint16_t vring_avail_flags(VirtQueue *vq)
{
    return ld16(vq->avail_p);
}

static uint16_t vring_avail_ring(VirtQueue *vq, unsigned int i)
{
    return ld16(vq->avail_p + 4 + 2 * i);
}

static uint16_t vring_used_event(VirtQueue *vq)
{
    return ld16(vq->avail_p + 4 + 2 * vq->num);
}

static void vring_mark_used_dirty(VirtQueue *vq, size_t off, size_t len)
{
    dma_memory_mark_dirty(vq->used + off, len);
}

static void vring_set_avail_event(VirtQueue *vq, uint16_t val)
{
    size_t off = 4 + 8 * vq->num;

    st16(vq->used_p + off, val);
    vring_mark_used_dirty(vq, off, 2);
}

static void vring_set_used_flags(VirtQueue *vq, uint16_t flags)
{
    st16(vq->used_p, flags);
    vring_mark_used_dirty(vq, 0, 2);
}

/* ---- Popping chains ------------------------------------------------------ */

/*
 * How many chains the driver made available.  An index that moved by more
 * than the queue size cannot be honest: the device is broken until reset.
 * QEMU's words, which call it the used index; it is the driver's
 * available index, and the text says so too.
 */
static bool vq_pending(VirtQueue *vq, uint16_t *pending)
{
    uint16_t idx = vring_avail_idx(vq);
    uint16_t n = idx - vq->last_avail_idx;

    if (n > vq->num) {
        virtio_error(vq->vdev, "virtqueue %u: Guest moved used index from "
                     "%u to %u (the available index; queue size %u)",
                     vq->queue_index, vq->last_avail_idx, idx, vq->num);
        return false;
    }
    *pending = n;
    return true;
}

bool virtio_queue_empty(VirtQueue *vq)
{
    uint16_t n;

    if (!vq_usable(vq) || !vq_pending(vq, &n)) {
        return true;
    }
    return n == 0;
}

/*
 * Descriptor i of a table in guest RAM, copied field by field: the table
 * may sit at any address the guest likes (an indirect one at an odd one).
 */
static void vring_desc_read(const uint8_t *table, unsigned int i,
                            VRingDesc *d)
{
    const uint8_t *p = table + (size_t)i * sizeof(VRingDesc);

    d->addr = ld64(p);
    d->len = ld32(p + 8);
    d->flags = ld16(p + 12);
    d->next = ld16(p + 14);
}

/* Map one buffer into elem; false (device broken) if it is not plain RAM. */
static bool vq_map_desc(VirtQueue *vq, VirtQueueElement *elem,
                        const VRingDesc *d)
{
    uint64_t addr = d->addr;
    uint32_t len = d->len;
    uint16_t flags = d->flags;
    void *p;

    if (len == 0) {
        virtio_error(vq->vdev, "virtqueue %u: zero-length descriptor in "
                     "chain %u", vq->queue_index, elem->index);
        return false;
    }
    p = dma_memory_map(addr, len);
    if (!p) {
        virtio_error(vq->vdev, "virtqueue %u: descriptor buffer 0x%" PRIx64
                     "+0x%x is outside guest RAM", vq->queue_index, addr, len);
        return false;
    }
    if (flags & VRING_DESC_F_WRITE) {
        elem->in_addr[elem->in_num] = addr;
        elem->in_sg[elem->in_num].iov_base = p;
        elem->in_sg[elem->in_num].iov_len = len;
        elem->in_num++;
        elem->in_len += len;
    } else {
        if (elem->in_num) {
            virtio_error(vq->vdev, "virtqueue %u: device-readable "
                         "descriptor after a device-writable one",
                         vq->queue_index);
            return false;
        }
        elem->out_sg[elem->out_num].iov_base = p;
        elem->out_sg[elem->out_num].iov_len = len;
        elem->out_num++;
        elem->out_len += len;
    }
    return true;
}

/*
 * Walk the chain starting at head.  Each table (the ring's or an indirect
 * one) holds at most max descriptors, so a chain visiting more than max is
 * a loop; this bounds the walk whatever the guest wrote.
 */
static bool vq_read_chain(VirtQueue *vq, VirtQueueElement *elem,
                          unsigned int head)
{
    const uint8_t *table = vq->desc_p;
    unsigned int max = vq->num, i = head, count = 0;
    VRingDesc d;

    if (head >= vq->num) {
        virtio_error(vq->vdev, "virtqueue %u: descriptor head %u out of "
                     "range (queue size %u)", vq->queue_index, head,
                     vq->num);
        return false;
    }
    vring_desc_read(table, i, &d);
    if (d.flags & VRING_DESC_F_INDIRECT) {
        uint64_t addr = d.addr;
        uint32_t len = d.len;

        if (d.flags & VRING_DESC_F_NEXT) {
            virtio_error(vq->vdev, "virtqueue %u: indirect descriptor with "
                         "the NEXT flag", vq->queue_index);
            return false;
        }
        if (len == 0 || len % sizeof(VRingDesc) ||
            len / sizeof(VRingDesc) > VIRTQUEUE_MAX_SIZE) {
            virtio_error(vq->vdev, "virtqueue %u: invalid indirect table "
                         "size %u", vq->queue_index, len);
            return false;
        }
        table = dma_memory_map(addr, len);
        if (!table) {
            virtio_error(vq->vdev, "virtqueue %u: indirect table 0x%" PRIx64
                         "+0x%x is outside guest RAM", vq->queue_index,
                         addr, len);
            return false;
        }
        max = len / sizeof(VRingDesc);
        i = 0;
    }
    for (;;) {
        uint16_t flags;

        if (++count > max) {
            virtio_error(vq->vdev, "virtqueue %u: descriptor chain %u loops "
                         "or is longer than its table (%u)", vq->queue_index,
                         head, max);
            return false;
        }
        vring_desc_read(table, i, &d);
        flags = d.flags;
        if (flags & VRING_DESC_F_INDIRECT) {
            virtio_error(vq->vdev, "virtqueue %u: nested or chained "
                         "indirect descriptor", vq->queue_index);
            return false;
        }
        if (!vq_map_desc(vq, elem, &d)) {
            return false;
        }
        if (!(flags & VRING_DESC_F_NEXT)) {
            return true;
        }
        i = d.next;
        if (i >= max) {
            virtio_error(vq->vdev, "virtqueue %u: descriptor next %u out of "
                         "range (%u)", vq->queue_index, i, max);
            return false;
        }
    }
}

VirtQueueElement *virtqueue_pop(VirtQueue *vq)
{
    VirtQueueElement *elem;
    uint16_t pending;
    unsigned int head;

    if (!vq_usable(vq) || !vq_pending(vq, &pending) || pending == 0) {
        return NULL;
    }
    /*
     * 40 KiB, mostly never written: allocated when a queue is first used,
     * not at realize, and not cleared (pop sets what it uses).
     */
    if (!vq->elem) {
        vq->elem = g_new(VirtQueueElement, 1);
    }
    elem = vq->elem;
    head = vring_avail_ring(vq, vq->last_avail_idx % vq->num);
    elem->index = head;
    elem->in_num = elem->out_num = 0;
    elem->in_len = elem->out_len = 0;
    if (!vq_read_chain(vq, elem, head)) {
        return NULL;
    }
    vq->last_avail_idx++;
    vq->inuse++;
    if (vq->notification &&
        virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        vring_set_avail_event(vq, vq->last_avail_idx);
    }
    return elem;
}

void virtqueue_unpop(VirtQueue *vq, unsigned int n)
{
    n = MIN(n, vq->inuse);
    vq->last_avail_idx -= n;
    vq->inuse -= n;
}

bool virtqueue_avail_bytes(VirtQueue *vq, size_t in_bytes)
{
    size_t total = 0;
    unsigned int popped = 0;
    VirtQueueElement *elem;

    while (total < in_bytes && (elem = virtqueue_pop(vq))) {
        popped++;
        total += elem->in_len;
    }
    virtqueue_unpop(vq, popped);
    return total >= in_bytes && total > 0;
}

/* ---- Returning chains ---------------------------------------------------- */

/* Used entry idx past the used index: head, len. */
static void vring_used_write(VirtQueue *vq, unsigned int head,
                             unsigned int len, unsigned int idx)
{
    unsigned int slot = (uint16_t)(vq->used_idx + idx) % vq->num;
    size_t off = 4 + 8 * slot;

    st32(vq->used_p + off, head);
    st32(vq->used_p + off + 4, len);
    vring_mark_used_dirty(vq, off, 8);
}

void virtqueue_fill(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len, unsigned int idx)
{
    unsigned int left = len;

    if (vq->vdev->broken || !vq->used_p) {
        return;
    }
    /* What the device wrote into the buffers must reach migration. */
    for (unsigned int i = 0; i < elem->in_num && left; i++) {
        unsigned int n = MIN(left, elem->in_sg[i].iov_len);

        dma_memory_mark_dirty(elem->in_addr[i], n);
        left -= n;
    }
    vring_used_write(vq, elem->index, len, idx);
}

void virtqueue_fill_read(VirtQueue *vq, unsigned int head, unsigned int idx)
{
    if (vq->vdev->broken || !vq->used_p) {
        return;
    }
    vring_used_write(vq, head, 0, idx);
}

void virtqueue_flush(VirtQueue *vq, unsigned int count)
{
    if (vq->vdev->broken || !vq->used_p) {
        return;
    }
    /* The entries must be visible before the index that publishes them. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->used_idx += count;
    st16(vq->used_p + 2, vq->used_idx);
    vring_mark_used_dirty(vq, 2, 2);
    vq->inuse -= MIN(count, vq->inuse);
    /* Wrapped past the last interrupt's index: it no longer tells. */
    if ((uint16_t)(vq->used_idx - vq->signalled_used) < count) {
        vq->signalled_used_valid = false;
    }
}

void virtqueue_push(VirtQueue *vq, const VirtQueueElement *elem,
                    unsigned int len)
{
    virtqueue_fill(vq, elem, len, 0);
    virtqueue_flush(vq, 1);
}

/* ---- Notifications ------------------------------------------------------- */

static void virtio_transport_notify(VirtIODevice *vdev, uint16_t vector)
{
    BusState *bus = DEVICE(vdev)->parent_bus;
    VirtioBusClass *k;

    if (!bus) {
        return;
    }
    k = VIRTIO_BUS_GET_CLASS(bus);
    if (k->notify) {
        k->notify(bus->parent, vector);
    }
}

/* vring_need_event: did new_idx move past the index the driver waits for? */
static bool vring_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
    return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

static bool virtio_should_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    uint16_t old, new_idx;
    bool valid;

    if (!vq->avail_p) {
        return false;
    }
    if (virtio_vdev_has_feature(vdev, VIRTIO_F_NOTIFY_ON_EMPTY) &&
        !vq->inuse && vring_avail_idx(vq) == vq->last_avail_idx) {
        return true;
    }
    if (!virtio_vdev_has_feature(vdev, VIRTIO_RING_F_EVENT_IDX)) {
        return !(vring_avail_flags(vq) & VRING_AVAIL_F_NO_INTERRUPT);
    }
    valid = vq->signalled_used_valid;
    old = vq->signalled_used;
    new_idx = vq->signalled_used = vq->used_idx;
    vq->signalled_used_valid = true;
    return !valid || vring_need_event(vring_used_event(vq), new_idx, old);
}

void virtio_notify(VirtIODevice *vdev, VirtQueue *vq)
{
    if (vdev->broken || !virtio_should_notify(vdev, vq)) {
        return;
    }
    vdev->isr |= 0x01;
    virtio_transport_notify(vdev, vq->vector);
}

void virtio_notify_config(VirtIODevice *vdev)
{
    if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) {
        return;
    }
    vdev->isr |= 0x03;
    vdev->generation++;
    virtio_transport_notify(vdev, vdev->config_vector);
}

void virtio_config_changed(VirtIODevice *vdev)
{
    virtio_config_refresh(vdev);
    virtio_notify_config(vdev);
}

void virtio_queue_set_notification(VirtQueue *vq, bool enable)
{
    vq->notification = enable;
    if (!vq_usable(vq)) {
        return;
    }
    if (virtio_vdev_has_feature(vq->vdev, VIRTIO_RING_F_EVENT_IDX)) {
        if (enable) {
            vring_set_avail_event(vq, vring_avail_idx(vq));
        }
    } else {
        vring_set_used_flags(vq, enable ? 0 : VRING_USED_F_NO_NOTIFY);
    }
}

void virtio_queue_notify(VirtIODevice *vdev, int n)
{
    VirtQueue *vq;

    if (n < 0 || n >= VIRTIO_QUEUE_ALLOC) {
        return;
    }
    vq = &vdev->vq[n];
    if (vdev->broken || !vq->num_default || !virtio_queue_ready(vq) ||
        !vq->handle_output) {
        return;
    }
    vq->handle_output(vdev, vq);
}

/* ---- Queues -------------------------------------------------------------- */

VirtQueue *virtio_add_queue(VirtIODevice *vdev, int queue_size,
                            VirtIOHandleOutput handle_output)
{
    int i;

    for (i = 0; i < VIRTIO_QUEUE_ALLOC; i++) {
        if (!vdev->vq[i].num_default) {
            break;
        }
    }
    g_assert(i < VIRTIO_QUEUE_ALLOC && queue_size > 0 &&
             queue_size <= VIRTQUEUE_MAX_SIZE);
    vdev->vq[i].num = vdev->vq[i].num_default = queue_size;
    vdev->vq[i].handle_output = handle_output;
    return &vdev->vq[i];
}

void virtio_del_queue(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = virtio_queue_at(vdev, n);

    if (!vq) {
        return;
    }
    g_clear_pointer(&vq->elem, g_free);
    vq->num = vq->num_default = 0;
    vq->handle_output = NULL;
}

int virtio_get_num_queues(VirtIODevice *vdev)
{
    int i;

    for (i = 0; i < VIRTIO_QUEUE_ALLOC && vdev->vq[i].num_default; i++) {
    }
    return i;
}

void virtio_queue_set_num(VirtIODevice *vdev, int n, int num)
{
    VirtQueue *vq = virtio_queue_at(vdev, n);

    if (!vq) {
        return;
    }
    /* A queue cannot be made to exist or vanish, nor exceed the maximum. */
    if (!!num != !!vq->num_default || num < 0 || num > VIRTQUEUE_MAX_SIZE) {
        return;
    }
    vq->num = num;
}

void virtio_queue_set_rings(VirtIODevice *vdev, int n, hwaddr desc,
                            hwaddr avail, hwaddr used)
{
    VirtQueue *vq = virtio_queue_at(vdev, n);

    if (!vq || !vq->num_default) {
        return;
    }
    vq->desc = desc;
    vq->avail = avail;
    vq->used = used;
    vq->desc_p = NULL;
    vq->avail_p = NULL;
    vq->used_p = NULL;
}

void virtio_queue_set_addr(VirtIODevice *vdev, int n, hwaddr addr)
{
    VirtQueue *vq = virtio_queue_at(vdev, n);
    hwaddr avail, used;

    if (!vq || !vq->num_default) {
        return;
    }
    avail = addr + (hwaddr)vq->num * sizeof(VRingDesc);
    used = (avail + 4 + 2 * vq->num + VIRTIO_PCI_VRING_ALIGN - 1) &
           ~(hwaddr)(VIRTIO_PCI_VRING_ALIGN - 1);
    virtio_queue_set_rings(vdev, n, addr, addr ? avail : 0, addr ? used : 0);
}

void virtio_queue_reset(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = virtio_queue_at(vdev, n);

    if (!vq) {
        return;
    }
    vq->desc = vq->avail = vq->used = 0;
    vq->desc_p = NULL;
    vq->avail_p = NULL;
    vq->used_p = NULL;
    vq->num = vq->num_default;
    vq->enabled = false;
    vq->vector = VIRTIO_NO_VECTOR;
    vq->last_avail_idx = 0;
    vq->used_idx = 0;
    vq->signalled_used = 0;
    vq->signalled_used_valid = false;
    vq->notification = true;
    vq->inuse = 0;
}

void virtio_queue_enable(VirtIODevice *vdev, int n)
{
    VirtQueue *vq = virtio_queue_at(vdev, n);

    if (vq) {
        vq->enabled = true;
    }
}

/* ---- Status, features, config ------------------------------------------- */

void virtio_reset(VirtIODevice *vdev)
{
    VirtioDeviceClass *k = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (k->reset) {
        k->reset(vdev);
    }
    vdev->status = 0;
    vdev->isr = 0;
    vdev->queue_sel = 0;
    vdev->guest_features = 0;
    vdev->config_vector = VIRTIO_NO_VECTOR;
    vdev->broken = false;
    vdev->started = false;
    for (int i = 0; i < VIRTIO_QUEUE_ALLOC; i++) {
        virtio_queue_reset(vdev, i);
    }
}

static bool virtio_validate_features(VirtIODevice *vdev)
{
    VirtioDeviceClass *k = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (virtio_has_feature(vdev->host_features, VIRTIO_F_ACCESS_PLATFORM) &&
        !virtio_vdev_has_feature(vdev, VIRTIO_F_ACCESS_PLATFORM)) {
        return false;
    }
    return k->validate_features ? k->validate_features(vdev) : true;
}

bool virtio_set_status(VirtIODevice *vdev, uint8_t val)
{
    VirtioDeviceClass *k = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (virtio_vdev_has_feature(vdev, VIRTIO_F_VERSION_1) &&
        !(vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) &&
        (val & VIRTIO_CONFIG_S_FEATURES_OK) &&
        !virtio_validate_features(vdev)) {
        return false;
    }
    if (val & VIRTIO_CONFIG_S_DRIVER_OK) {
        vdev->started = true;
    }
    if (k->set_status) {
        k->set_status(vdev, val);
    }
    vdev->status = val;
    return true;
}

int virtio_set_features(VirtIODevice *vdev, uint64_t val)
{
    VirtioDeviceClass *k = VIRTIO_DEVICE_GET_CLASS(vdev);
    bool bad = val & ~vdev->host_features;

    /* The features are frozen once the driver said FEATURES_OK. */
    if (vdev->status & VIRTIO_CONFIG_S_FEATURES_OK) {
        return -1;
    }
    val &= vdev->host_features;
    if (k->set_features) {
        k->set_features(vdev, val);
    }
    vdev->guest_features = val;
    return bad ? -1 : 0;
}

void virtio_config_refresh(VirtIODevice *vdev)
{
    VirtioDeviceClass *k = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (k->get_config && vdev->config_len) {
        k->get_config(vdev, vdev->config);
    }
}

void virtio_config_write(VirtIODevice *vdev, uint32_t addr, uint64_t val,
                         unsigned size)
{
    VirtioDeviceClass *k = VIRTIO_DEVICE_GET_CLASS(vdev);

    if (addr + size > vdev->config_len) {
        return;
    }
    /*
     * As QEMU: into the bytes last read, not refreshed first, so a driver
     * writing two fields in turn (virtio-input's select, then subsel)
     * hands set_config both.
     */
    for (unsigned i = 0; i < size; i++) {
        vdev->config[addr + i] = val >> (8 * i);
    }
    if (k->set_config) {
        k->set_config(vdev, vdev->config);
    }
}

/* ---- Setup --------------------------------------------------------------- */

void virtio_init(VirtIODevice *vdev, uint16_t device_id, size_t config_size)
{
    vdev->device_id = device_id;
    vdev->config_len = config_size;
    vdev->config = config_size ? g_malloc0(config_size) : NULL;
    vdev->vq = g_new0(VirtQueue, VIRTIO_QUEUE_ALLOC);
    for (int i = 0; i < VIRTIO_QUEUE_ALLOC; i++) {
        vdev->vq[i].vdev = vdev;
        vdev->vq[i].queue_index = i;
        vdev->vq[i].vector = VIRTIO_NO_VECTOR;
        vdev->vq[i].notification = true;
    }
    vdev->config_vector = VIRTIO_NO_VECTOR;
}

void virtio_cleanup(VirtIODevice *vdev)
{
    if (vdev->vq) {
        for (int i = 0; i < VIRTIO_QUEUE_ALLOC; i++) {
            g_free(vdev->vq[i].elem);
        }
    }
    g_clear_pointer(&vdev->vq, g_free);
    g_clear_pointer(&vdev->config, g_free);
}

VirtIODevice *virtio_bus_get_device(VirtioBusState *bus)
{
    BusState *b = BUS(bus);

    return b->children ? VIRTIO_DEVICE(b->children->data) : NULL;
}

/* ---- iovec helpers ------------------------------------------------------- */

size_t virtio_iov_from_buf(const struct iovec *iov, unsigned int iov_cnt,
                           size_t offset, const void *buf, size_t bytes)
{
    size_t done = 0;

    for (unsigned int i = 0; i < iov_cnt && done < bytes; i++) {
        size_t n;

        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        n = MIN(iov[i].iov_len - offset, bytes - done);
        memcpy((uint8_t *)iov[i].iov_base + offset,
               (const uint8_t *)buf + done, n);
        done += n;
        offset = 0;
    }
    return done;
}

size_t virtio_iov_to_buf(const struct iovec *iov, unsigned int iov_cnt,
                         size_t offset, void *buf, size_t bytes)
{
    size_t done = 0;

    for (unsigned int i = 0; i < iov_cnt && done < bytes; i++) {
        size_t n;

        if (offset >= iov[i].iov_len) {
            offset -= iov[i].iov_len;
            continue;
        }
        n = MIN(iov[i].iov_len - offset, bytes - done);
        memcpy((uint8_t *)buf + done,
               (const uint8_t *)iov[i].iov_base + offset, n);
        done += n;
        offset = 0;
    }
    return done;
}

/* ---- QOM ------------------------------------------------------------------ */

static void virtio_vmstate_change(void *opaque, bool running, RunState state)
{
    VirtIODevice *vdev = opaque;
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);

    vdev->vm_running = running;
    if (vdc->vmstate_change) {
        vdc->vmstate_change(vdev, running);
    }
}

static void virtio_device_realize(DeviceState *dev, GError **errp)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);
    BusState *bus = dev->parent_bus;
    VirtioBusClass *k = bus ? VIRTIO_BUS_GET_CLASS(bus) : NULL;
    GError *err = NULL;

    if (vdc->realize) {
        vdc->realize(vdev, &err);
        if (err) {
            g_propagate_error(errp, err);
            return;
        }
    }
    if (k && k->pre_plugged) {
        k->pre_plugged(bus->parent, &err);
    }
    if (!err && vdc->get_features) {
        vdev->host_features = vdc->get_features(vdev, vdev->host_features);
    }
    if (!err && k && k->device_plugged) {
        k->device_plugged(bus->parent, &err);
    }
    if (err) {
        if (vdc->unrealize) {
            vdc->unrealize(vdev);
        }
        g_propagate_error(errp, err);
        return;
    }
    virtio_reset(vdev);
    vdev->vm_running = runstate_is_running();
    qemu_add_vm_change_state_handler(virtio_vmstate_change, vdev);
}

static void virtio_device_unrealize(DeviceState *dev)
{
    VirtIODevice *vdev = VIRTIO_DEVICE(dev);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(dev);
    BusState *bus = dev->parent_bus;

    qemu_del_vm_change_state_handler(virtio_vmstate_change, vdev);
    if (bus && VIRTIO_BUS_GET_CLASS(bus)->device_unplugged) {
        VIRTIO_BUS_GET_CLASS(bus)->device_unplugged(bus->parent);
    }
    if (vdc->unrealize) {
        vdc->unrealize(vdev);
    }
}

static void virtio_device_reset(DeviceState *dev)
{
    virtio_reset(VIRTIO_DEVICE(dev));
}

/* ---- Migration ------------------------------------------------------------ */

static const VMStateDescription vmstate_virtqueue = {
    .name = "virtqueue",
    .version_id = 1,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT32_MAX(num, VirtQueue, VIRTQUEUE_MAX_SIZE),
        VMSTATE_UINT64(desc, VirtQueue),
        VMSTATE_UINT64(avail, VirtQueue),
        VMSTATE_UINT64(used, VirtQueue),
        VMSTATE_BOOL(enabled, VirtQueue),
        VMSTATE_UINT16(vector, VirtQueue),
        VMSTATE_UINT16(last_avail_idx, VirtQueue),
        VMSTATE_UINT16(used_idx, VirtQueue),
        VMSTATE_UINT16(signalled_used, VirtQueue),
        VMSTATE_BOOL(signalled_used_valid, VirtQueue),
        VMSTATE_BOOL(notification, VirtQueue),
        VMSTATE_END_OF_LIST()
    },
};

/* Only the queues the device has (same configuration on both sides). */
static uint64_t virtio_vmstate_num_queues(void *opaque)
{
    return virtio_get_num_queues(opaque);
}

static bool virtio_device_post_load(void *opaque, int version_id,
                                    GError **errp)
{
    VirtIODevice *vdev = opaque;
    int nq = virtio_get_num_queues(vdev);

    if (vdev->guest_features & ~vdev->host_features) {
        error_setg(errp, "guest features 0x%" PRIx64 " not offered here "
                   "(0x%" PRIx64 ")", vdev->guest_features,
                   vdev->host_features);
        return false;
    }
    if (vdev->queue_sel >= VIRTIO_QUEUE_MAX) {
        error_setg(errp, "queue_sel %u out of range", vdev->queue_sel);
        return false;
    }
    for (int i = 0; i < nq; i++) {
        VirtQueue *vq = &vdev->vq[i];

        if (!vq->num) {
            error_setg(errp, "virtqueue %d has size 0", i);
            return false;
        }
        /* Ring views are re-derived at the next use. */
        vq->desc_p = NULL;
        vq->avail_p = NULL;
        vq->used_p = NULL;
        vq->inuse = 0;
    }
    vdev->started = vdev->status & VIRTIO_CONFIG_S_DRIVER_OK;
    vdev->broken_logged = false;
    virtio_config_refresh(vdev);
    return true;
}

const VMStateDescription vmstate_virtio_device = {
    .name = "virtio-device",
    .version_id = 1,
    .post_load = virtio_device_post_load,
    .fields = (const VMStateField[]) {
        VMSTATE_UINT8(status, VirtIODevice),
        VMSTATE_UINT8(isr, VirtIODevice),
        VMSTATE_UINT16(queue_sel, VirtIODevice),
        VMSTATE_UINT64(guest_features, VirtIODevice),
        VMSTATE_UINT16(config_vector, VirtIODevice),
        VMSTATE_UINT8(generation, VirtIODevice),
        VMSTATE_BOOL(broken, VirtIODevice),
        VMSTATE_STRUCT_VARRAY_POINTER_FN(vq, VirtIODevice,
                                         virtio_vmstate_num_queues,
                                         VIRTIO_QUEUE_ALLOC, vmstate_virtqueue,
                                         VirtQueue),
        VMSTATE_END_OF_LIST()
    },
};

static void virtio_device_class_init(ObjectClass *oc, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(oc);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_CLASS(oc);

    dc->realize = virtio_device_realize;
    dc->unrealize = virtio_device_unrealize;
    dc->reset = virtio_device_reset;
    dc->bus_type = TYPE_VIRTIO_BUS;
    dc->user_creatable = false;
    dc->vmsd = &vmstate_virtio_device;
    vdc->legacy_features |= VIRTIO_LEGACY_FEATURES;
}

static const TypeInfo virtio_types[] = {
    {
        .name = TYPE_VIRTIO_DEVICE,
        .parent = TYPE_DEVICE,
        .instance_size = sizeof(VirtIODevice),
        .class_size = sizeof(VirtioDeviceClass),
        .abstract = true,
        .class_init = virtio_device_class_init,
    }, {
        .name = TYPE_VIRTIO_BUS,
        .parent = TYPE_BUS,
        .instance_size = sizeof(VirtioBusState),
        .class_size = sizeof(VirtioBusClass),
        .abstract = true,
    },
};

static void virtio_register_types(void)
{
    type_register_static_array(virtio_types, G_N_ELEMENTS(virtio_types));
}

type_init(virtio_register_types)
