/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos virtio: a guest-side virtio driver for qtests.  The transport
 * (virtio-pci, modern or legacy) is in virtio-pci.h; this part knows the
 * status byte, feature negotiation and split virtqueues built in guest RAM
 * with the libqos allocator.
 */
#ifndef LIBQOS_VIRTIO_H
#define LIBQOS_VIRTIO_H

#include "libqtest.h"
#include "malloc.h"

#define QVIRTIO_ACKNOWLEDGE     0x01
#define QVIRTIO_DRIVER          0x02
#define QVIRTIO_DRIVER_OK       0x04
#define QVIRTIO_FEATURES_OK     0x08
#define QVIRTIO_NEEDS_RESET     0x40
#define QVIRTIO_FAILED          0x80

#define QVIRTIO_F_INDIRECT_DESC 28
#define QVIRTIO_F_EVENT_IDX     29
#define QVIRTIO_F_BAD_FEATURE   30
#define QVIRTIO_F_VERSION_1     32

#define QVRING_DESC_F_NEXT      1
#define QVRING_DESC_F_WRITE     2
#define QVRING_DESC_F_INDIRECT  4
#define QVRING_AVAIL_F_NO_INTERRUPT 1

typedef struct QVirtioDevice QVirtioDevice;

/* What a transport provides. */
typedef struct QVirtioBus {
    uint8_t (*get_status)(QVirtioDevice *d);
    void (*set_status)(QVirtioDevice *d, uint8_t status);
    uint64_t (*get_features)(QVirtioDevice *d);
    void (*set_features)(QVirtioDevice *d, uint64_t features);
    uint64_t (*get_guest_features)(QVirtioDevice *d);
    uint8_t (*config_readb)(QVirtioDevice *d, uint64_t off);
    uint16_t (*config_readw)(QVirtioDevice *d, uint64_t off);
    uint32_t (*config_readl)(QVirtioDevice *d, uint64_t off);
    uint8_t (*get_isr)(QVirtioDevice *d);
    void (*queue_select)(QVirtioDevice *d, uint16_t index);
    uint16_t (*queue_size)(QVirtioDevice *d);
    /* Program and enable the selected queue's rings. */
    void (*queue_set)(QVirtioDevice *d, uint64_t desc, uint64_t avail,
                      uint64_t used);
    void (*queue_notify)(QVirtioDevice *d, uint16_t index);
} QVirtioBus;

struct QVirtioDevice {
    const QVirtioBus *bus;
    QTestState *qts;
    uint16_t device_type;
    uint64_t features;          /* negotiated */
};

typedef struct QVirtQueue {
    uint16_t index;
    uint16_t size;
    uint64_t desc;
    uint64_t avail;
    uint64_t used;
    uint16_t free_head;         /* next descriptor to hand out */
    uint16_t avail_idx;         /* driver's copy */
    uint16_t last_used_idx;
    bool event_idx;
} QVirtQueue;

uint8_t qvirtio_get_status(QVirtioDevice *d);
void qvirtio_set_status(QVirtioDevice *d, uint8_t status);
/* Write 0 and check it reads back 0. */
void qvirtio_reset(QVirtioDevice *d);
void qvirtio_set_acknowledge(QVirtioDevice *d);
void qvirtio_set_driver(QVirtioDevice *d);
void qvirtio_set_features_ok(QVirtioDevice *d);
void qvirtio_set_driver_ok(QVirtioDevice *d);
uint64_t qvirtio_get_features(QVirtioDevice *d);
void qvirtio_set_features(QVirtioDevice *d, uint64_t features);

/* Allocate, clear and enable queue index (size as the device says). */
QVirtQueue *qvirtqueue_setup(QVirtioDevice *d, QGuestAllocator *alloc,
                             uint16_t index);
void qvirtqueue_cleanup(QVirtQueue *vq, QGuestAllocator *alloc);
/* A descriptor at any guest address (an indirect table's entry). */
void qvirtio_write_desc_at(QTestState *qts, uint64_t at, uint64_t addr,
                           uint32_t len, uint16_t flags, uint16_t next);
/* Write descriptor i (raw: any values, for hostile-ring tests). */
void qvirtqueue_write_desc(QTestState *qts, QVirtQueue *vq, uint16_t i,
                           uint64_t addr, uint32_t len, uint16_t flags,
                           uint16_t next);
/*
 * Add a buffer; with next, it is chained to the one added after it.
 * Returns its descriptor index.
 */
uint16_t qvirtqueue_add(QTestState *qts, QVirtQueue *vq, uint64_t addr,
                        uint32_t len, bool write, bool next);
/* An indirect table of n descriptors at table (already written). */
uint16_t qvirtqueue_add_indirect(QTestState *qts, QVirtQueue *vq,
                                 uint64_t table, uint16_t n);
/* Put head in the available ring (idx moves by one) and notify. */
void qvirtqueue_kick(QVirtioDevice *d, QVirtQueue *vq, uint16_t head);
/* Publish without notifying; raw index for hostile tests. */
void qvirtqueue_publish(QTestState *qts, QVirtQueue *vq, uint16_t head);
void qvirtqueue_set_avail_idx(QTestState *qts, QVirtQueue *vq, uint16_t idx);
/* Next used entry, if the device returned one. */
bool qvirtqueue_get_used(QTestState *qts, QVirtQueue *vq, uint32_t *id,
                         uint32_t *len);
/*
 * Wait (bounded, timeout_us of real time) for a used entry; the device may
 * be fed asynchronously (frames from a socket).
 */
bool qvirtqueue_wait_used(QTestState *qts, QVirtQueue *vq, uint32_t *id,
                          uint32_t *len, int64_t timeout_us);

#endif
