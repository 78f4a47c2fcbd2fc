/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libqos virtio: status, features and split virtqueues in guest RAM.
 */
#include <string.h>

#include "virtio.h"

uint8_t qvirtio_get_status(QVirtioDevice *d)
{
    return d->bus->get_status(d);
}

void qvirtio_set_status(QVirtioDevice *d, uint8_t status)
{
    d->bus->set_status(d, status);
}

void qvirtio_reset(QVirtioDevice *d)
{
    qvirtio_set_status(d, 0);
    g_assert_cmphex(qvirtio_get_status(d), ==, 0);
}

static void add_status(QVirtioDevice *d, uint8_t bits)
{
    uint8_t want = qvirtio_get_status(d) | bits;

    qvirtio_set_status(d, want);
    g_assert_cmphex(qvirtio_get_status(d), ==, want);
}

void qvirtio_set_acknowledge(QVirtioDevice *d)
{
    add_status(d, QVIRTIO_ACKNOWLEDGE);
}

void qvirtio_set_driver(QVirtioDevice *d)
{
    add_status(d, QVIRTIO_DRIVER);
}

void qvirtio_set_features_ok(QVirtioDevice *d)
{
    add_status(d, QVIRTIO_FEATURES_OK);
}

void qvirtio_set_driver_ok(QVirtioDevice *d)
{
    add_status(d, QVIRTIO_DRIVER_OK);
}

uint64_t qvirtio_get_features(QVirtioDevice *d)
{
    return d->bus->get_features(d);
}

void qvirtio_set_features(QVirtioDevice *d, uint64_t features)
{
    d->features = features;
    d->bus->set_features(d, features);
}

static size_t avail_size(uint16_t n)
{
    return 6 + 2 * n;
}

static size_t used_size(uint16_t n)
{
    return 6 + 8 * n;
}

QVirtQueue *qvirtqueue_setup(QVirtioDevice *d, QGuestAllocator *alloc,
                             uint16_t index)
{
    QVirtQueue *vq = g_new0(QVirtQueue, 1);
    size_t total;

    d->bus->queue_select(d, index);
    vq->index = index;
    vq->size = d->bus->queue_size(d);
    g_assert_cmpint(vq->size, >, 0);
    vq->event_idx = d->features & (1ULL << QVIRTIO_F_EVENT_IDX);
    /* The legacy layout (used ring page-aligned) suits both transports. */
    total = 16 * vq->size + avail_size(vq->size);
    total = ((total + 4095) & ~(size_t)4095) + used_size(vq->size);
    vq->desc = guest_alloc(alloc, total);
    vq->avail = vq->desc + 16 * vq->size;
    vq->used = (vq->avail + avail_size(vq->size) + 4095) & ~4095ULL;
    qtest_memset(d->qts, vq->desc, 0, total);
    d->bus->queue_set(d, vq->desc, vq->avail, vq->used);
    return vq;
}

void qvirtqueue_cleanup(QVirtQueue *vq, QGuestAllocator *alloc)
{
    if (vq) {
        guest_free(alloc, vq->desc);
        g_free(vq);
    }
}

void qvirtio_write_desc_at(QTestState *qts, uint64_t at, uint64_t addr,
                           uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t d[16];

    for (int b = 0; b < 8; b++) {
        d[b] = addr >> (8 * b);
    }
    for (int b = 0; b < 4; b++) {
        d[8 + b] = len >> (8 * b);
    }
    d[12] = flags;
    d[13] = flags >> 8;
    d[14] = next;
    d[15] = next >> 8;
    qtest_memwrite(qts, at, d, sizeof(d));
}

void qvirtqueue_write_desc(QTestState *qts, QVirtQueue *vq, uint16_t i,
                           uint64_t addr, uint32_t len, uint16_t flags,
                           uint16_t next)
{
    qvirtio_write_desc_at(qts, vq->desc + 16 * (uint64_t)(i % vq->size),
                          addr, len, flags, next);
}

uint16_t qvirtqueue_add(QTestState *qts, QVirtQueue *vq, uint64_t addr,
                        uint32_t len, bool write, bool next)
{
    uint16_t i = vq->free_head % vq->size;

    vq->free_head = (i + 1) % vq->size;
    qvirtqueue_write_desc(qts, vq, i, addr, len,
                          (write ? QVRING_DESC_F_WRITE : 0) |
                          (next ? QVRING_DESC_F_NEXT : 0), vq->free_head);
    return i;
}

uint16_t qvirtqueue_add_indirect(QTestState *qts, QVirtQueue *vq,
                                 uint64_t table, uint16_t n)
{
    uint16_t i = vq->free_head % vq->size;

    vq->free_head = (i + 1) % vq->size;
    qvirtqueue_write_desc(qts, vq, i, table, 16 * n, QVRING_DESC_F_INDIRECT,
                          0);
    return i;
}

void qvirtqueue_set_avail_idx(QTestState *qts, QVirtQueue *vq, uint16_t idx)
{
    vq->avail_idx = idx;
    qtest_writew(qts, vq->avail + 2, idx);
}

void qvirtqueue_publish(QTestState *qts, QVirtQueue *vq, uint16_t head)
{
    qtest_writew(qts, vq->avail + 4 + 2 * (vq->avail_idx % vq->size), head);
    qvirtqueue_set_avail_idx(qts, vq, vq->avail_idx + 1);
    if (vq->event_idx) {
        /* used_event: interrupt after every entry. */
        qtest_writew(qts, vq->avail + 4 + 2 * vq->size, vq->last_used_idx);
    }
}

void qvirtqueue_kick(QVirtioDevice *d, QVirtQueue *vq, uint16_t head)
{
    qvirtqueue_publish(d->qts, vq, head);
    d->bus->queue_notify(d, vq->index);
}

bool qvirtqueue_get_used(QTestState *qts, QVirtQueue *vq, uint32_t *id,
                         uint32_t *len)
{
    uint16_t idx = qtest_readw(qts, vq->used + 2);
    uint64_t e;

    if (idx == vq->last_used_idx) {
        return false;
    }
    e = vq->used + 4 + 8 * (uint64_t)(vq->last_used_idx % vq->size);
    if (id) {
        *id = qtest_readl(qts, e);
    }
    if (len) {
        *len = qtest_readl(qts, e + 4);
    }
    vq->last_used_idx++;
    return true;
}

bool qvirtqueue_wait_used(QTestState *qts, QVirtQueue *vq, uint32_t *id,
                          uint32_t *len, int64_t timeout_us)
{
    int64_t end = g_get_monotonic_time() + timeout_us;

    /* Each read is a round trip that lets the device's main loop run. */
    while (!qvirtqueue_get_used(qts, vq, id, len)) {
        if (g_get_monotonic_time() > end) {
            return false;
        }
        g_usleep(200);
    }
    return true;
}
