/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * virtio-net driver over the modern virtio-pci transport, as Linux's
 * virtio_pci_modern + virtio_net bind it: find the vendor capabilities,
 * reset, ACKNOWLEDGE|DRIVER, read the offered features, accept
 * VERSION_1, MAC, STATUS and (STANDBY-aware, the default) STANDBY, writing
 * the low dword then the high one, FEATURES_OK, MSI-X vectors for config,
 * RX and TX, split rings in guest RAM, RX buffers posted, DRIVER_OK.
 *
 * Per-NIC guest RAM (GuestNic.area): RX rings at +0, TX rings at +0x1000,
 * RX buffers at +0x2000, TX buffers after them, GUEST_QSIZE of each.
 */
#include <string.h>

#include "guest/guest.h"

#define VIRTIO_VENDOR       0x1af4
#define CAP_VNDR            0x09
#define CAP_MSIX            0x11
#define CFG_COMMON          1
#define CFG_NOTIFY          2
#define CFG_ISR             3
#define CFG_DEVICE          4

#define CC_DFSELECT         0x00
#define CC_DF               0x04
#define CC_GFSELECT         0x08
#define CC_GF               0x0c
#define CC_MSIX             0x10
#define CC_STATUS           0x14
#define CC_Q_SELECT         0x16
#define CC_Q_SIZE           0x18
#define CC_Q_MSIX           0x1a
#define CC_Q_ENABLE         0x1c
#define CC_Q_NOFF           0x1e
#define CC_Q_DESC           0x20
#define CC_Q_AVAIL          0x28
#define CC_Q_USED           0x30

#define ST_ACK              1
#define ST_DRIVER           2
#define ST_DRIVER_OK        4
#define ST_FEATURES_OK      8
#define ST_FAILED           0x80

#define F_MAC               5
#define F_STATUS            16
#define F_VERSION_1         32
#define F_STANDBY           62

#define HDR_LEN             12  /* virtio_net_hdr_v1 */
#define VRING_DESC_F_WRITE  2
#define NO_VECTOR           0xffff

#define RX_RING(n)          ((n)->area)
#define TX_RING(n)          ((n)->area + 0x1000)
#define RX_BUF(n, i)        ((n)->area + 0x2000 + (uint64_t)(i) * GUEST_BUF_SIZE)
#define TX_BUF(n, i)        (RX_BUF(n, GUEST_QSIZE) + \
                             (uint64_t)(i) * GUEST_BUF_SIZE)
/* Split ring parts inside a 4 KiB ring area. */
#define DESC(r, i)          ((r) + (uint64_t)(i) * 16)
#define AVAIL(r)            ((r) + 0x400)
#define USED(r)             ((r) + 0x800)

static const uint8_t zero_page[0x1000];

static uint64_t bar_address(uint8_t bus, uint8_t devfn, int bar)
{
    uint8_t reg = 0x10 + bar * 4;
    uint32_t lo = pci_cfg_read(bus, devfn, reg, 4);
    uint64_t addr = lo & ~0xfull;

    if ((lo & 7) == 4 && bar < 5) {
        addr |= (uint64_t)pci_cfg_read(bus, devfn, reg + 4, 4) << 32;
    }
    return addr;
}

static void cc_w(GuestNic *n, uint32_t off, unsigned size, uint64_t v)
{
    gmmio_write(n->bar + n->common + off, size, v);
}

static uint64_t cc_r(GuestNic *n, uint32_t off, unsigned size)
{
    return gmmio_read(n->bar + n->common + off, size);
}

static void set_status(GuestNic *n, uint8_t s)
{
    cc_w(n, CC_STATUS, 1, s);
}

static uint8_t get_status(GuestNic *n)
{
    return cc_r(n, CC_STATUS, 1);
}

/* Find the vendor capabilities; all must sit in one memory BAR. */
static bool find_caps(GuestNic *n)
{
    uint8_t cap = 0;
    int bar = -1;
    bool common = false;

    while ((cap = pci_find_cap(n->bus, n->devfn, CAP_VNDR, cap))) {
        uint8_t type = pci_cfg_read(n->bus, n->devfn, cap + 3, 1);
        uint8_t cbar = pci_cfg_read(n->bus, n->devfn, cap + 4, 1);
        uint32_t off = pci_cfg_read(n->bus, n->devfn, cap + 8, 4);

        if (type < CFG_COMMON || type > CFG_DEVICE) {
            continue;
        }
        if (cbar > 5 || (bar >= 0 && cbar != bar)) {
            return false;
        }
        bar = cbar;
        switch (type) {
        case CFG_COMMON:
            n->common = off;
            common = true;
            break;
        case CFG_NOTIFY:
            n->notify = off;
            n->notify_mult = pci_cfg_read(n->bus, n->devfn, cap + 16, 4);
            break;
        case CFG_ISR:
            n->isr = off;
            break;
        case CFG_DEVICE:
            n->device = off;
            break;
        }
    }
    if (!common) {
        return false;
    }
    n->bar = bar_address(n->bus, n->devfn, bar);
    return n->bar != 0;
}

static void setup_msix(GuestNic *n, int idx)
{
    uint8_t cap = pci_find_cap(n->bus, n->devfn, CAP_MSIX, 0);
    uint32_t table;
    uint16_t ctrl;

    if (!cap) {
        n->msix_table = 0;
        return;
    }
    table = pci_cfg_read(n->bus, n->devfn, cap + 4, 4);
    n->msix_table = bar_address(n->bus, n->devfn, table & 7) + (table & ~7u);
    for (int v = 0; v < 3; v++) {
        uint64_t e = n->msix_table + v * 16;

        gmmio_write(e, 4, GUEST_MSI_ADDR);
        gmmio_write(e + 4, 4, 0);
        gmmio_write(e + 8, 4, GUEST_VEC_NIC_BASE + idx * 4 + v);
        gmmio_write(e + 12, 4, 0);              /* unmasked */
    }
    ctrl = pci_cfg_read(n->bus, n->devfn, cap + 2, 2);
    pci_cfg_write(n->bus, n->devfn, cap + 2, 2, (ctrl | 0x8000) & ~0x4000);
}

static bool setup_queue(GuestNic *n, uint16_t q, uint64_t ring, uint16_t vec)
{
    cc_w(n, CC_Q_SELECT, 2, q);
    if (cc_r(n, CC_Q_SIZE, 2) < GUEST_QSIZE) {
        return false;
    }
    cc_w(n, CC_Q_SIZE, 2, GUEST_QSIZE);
    cc_w(n, CC_Q_MSIX, 2, n->msix_table ? vec : NO_VECTOR);
    cc_w(n, CC_Q_DESC, 4, DESC(ring, 0));
    cc_w(n, CC_Q_DESC + 4, 4, 0);
    cc_w(n, CC_Q_AVAIL, 4, AVAIL(ring));
    cc_w(n, CC_Q_AVAIL + 4, 4, 0);
    cc_w(n, CC_Q_USED, 4, USED(ring));
    cc_w(n, CC_Q_USED + 4, 4, 0);
    n->notify_off[q] = cc_r(n, CC_Q_NOFF, 2);
    cc_w(n, CC_Q_ENABLE, 2, 1);
    return true;
}

static void notify(GuestNic *n, uint16_t q)
{
    gmmio_write(n->bar + n->notify + (uint64_t)n->notify_off[q] *
                n->notify_mult, 2, q);
}

static void put16(uint64_t addr, uint16_t v)
{
    v = GUINT16_TO_LE(v);
    gram_write(addr, &v, 2);
}

static uint16_t get16(uint64_t addr)
{
    uint16_t v;

    gram_read(addr, &v, 2);
    return GUINT16_FROM_LE(v);
}

static void put_desc(uint64_t ring, uint16_t i, uint64_t addr, uint32_t len,
                     uint16_t flags)
{
    uint8_t d[16] = { 0 };
    uint64_t a = GUINT64_TO_LE(addr);
    uint32_t l = GUINT32_TO_LE(len);
    uint16_t f = GUINT16_TO_LE(flags);

    memcpy(d, &a, 8);
    memcpy(d + 8, &l, 4);
    memcpy(d + 12, &f, 2);
    gram_write(DESC(ring, i), d, 16);
}

/* Offer RX descriptor id back to the device. */
static void rx_post(GuestNic *n, uint16_t id)
{
    put16(AVAIL(RX_RING(n)) + 4 + (n->rx_avail % GUEST_QSIZE) * 2, id);
    n->rx_avail++;
}

bool virtio_net_probe(GuestState *g, uint8_t bus, uint8_t devfn, int bridge)
{
    uint32_t id = pci_cfg_read(bus, devfn, 0, 4);
    uint16_t dev = id >> 16;
    uint64_t offered, want;
    GuestNic *n = NULL;
    int idx;

    if ((id & 0xffff) != VIRTIO_VENDOR ||
        !(dev == 0x1041 || (dev == 0x1000 &&
                            pci_cfg_read(bus, devfn, 0x2e, 2) == 1))) {
        return false;
    }
    for (idx = 0; idx < GUEST_MAX_NICS; idx++) {
        if (g->nics[idx].used && g->nics[idx].bus == bus &&
            g->nics[idx].devfn == devfn) {
            return false;       /* bound already */
        }
    }
    for (idx = 0; idx < GUEST_MAX_NICS && g->nics[idx].used; idx++) {
    }
    if (idx == GUEST_MAX_NICS) {
        guest_log(g, "virtio_net %02x:%02x.%x: no room for another NIC",
                  bus, devfn >> 3, devfn & 7);
        return false;
    }
    n = &g->nics[idx];
    memset(n, 0, sizeof(*n));
    n->bus = bus;
    n->devfn = devfn;
    n->bridge = bridge < 0 ? 0xff : bridge;
    n->area = GUEST_NIC_AREA + idx * GUEST_NIC_AREA_SIZE;
    if (!find_caps(n)) {
        guest_log(g, "virtio_net %02x:%02x.%x: no modern interface",
                  bus, devfn >> 3, devfn & 7);
        return false;
    }
    set_status(n, 0);
    set_status(n, ST_ACK);
    set_status(n, ST_ACK | ST_DRIVER);
    cc_w(n, CC_DFSELECT, 4, 0);
    offered = cc_r(n, CC_DF, 4);
    cc_w(n, CC_DFSELECT, 4, 1);
    offered |= cc_r(n, CC_DF, 4) << 32;
    want = 1ull << F_VERSION_1 | 1ull << F_MAC | 1ull << F_STATUS;
    if (g->knobs.standby_aware) {
        want |= 1ull << F_STANDBY;
    }
    want &= offered;
    if (!(want & 1ull << F_VERSION_1)) {
        set_status(n, ST_FAILED);
        return false;
    }
    /*
     * Low dword first, as Linux: with STANDBY, the high-dword write is
     * where the hypervisor learns the driver is failover-aware.
     */
    cc_w(n, CC_GFSELECT, 4, 0);
    cc_w(n, CC_GF, 4, (uint32_t)want);
    cc_w(n, CC_GFSELECT, 4, 1);
    cc_w(n, CC_GF, 4, (uint32_t)(want >> 32));
    set_status(n, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if (!(get_status(n) & ST_FEATURES_OK)) {
        set_status(n, ST_FAILED);
        guest_log(g, "virtio_net %02x:%02x.%x: features refused",
                  bus, devfn >> 3, devfn & 7);
        return false;
    }
    n->standby_acked = !!(want & 1ull << F_STANDBY);
    /* Fresh rings: RAM may hold an earlier binding's indexes. */
    gram_write(RX_RING(n), zero_page, sizeof(zero_page));
    gram_write(TX_RING(n), zero_page, sizeof(zero_page));
    setup_msix(n, idx);
    cc_w(n, CC_MSIX, 2, n->msix_table ? 0 : NO_VECTOR);
    if (!setup_queue(n, 0, RX_RING(n), 1) ||
        !setup_queue(n, 1, TX_RING(n), 2)) {
        set_status(n, ST_FAILED);
        return false;
    }
    put16(AVAIL(RX_RING(n)), 0);
    put16(AVAIL(TX_RING(n)), 0);
    for (uint16_t i = 0; i < GUEST_QSIZE; i++) {
        put_desc(RX_RING(n), i, RX_BUF(n, i), GUEST_BUF_SIZE,
                 VRING_DESC_F_WRITE);
        rx_post(n, i);
    }
    put16(AVAIL(RX_RING(n)) + 2, n->rx_avail);
    for (int i = 0; i < 6; i++) {
        n->mac[i] = gmmio_read(n->bar + n->device + i, 1);
    }
    set_status(n, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    notify(n, 0);
    n->used = 1;
    n->role = NIC_PLAIN;
    guest_log(g, "virtio_net %02x:%02x.%x: eth%d %02x:%02x:%02x:%02x:%02x:%02x"
              "%s", bus, devfn >> 3, devfn & 7, idx, n->mac[0], n->mac[1],
              n->mac[2], n->mac[3], n->mac[4], n->mac[5],
              n->standby_acked ? " (STANDBY)" : "");
    failover_register(g, idx);
    return true;
}

/* The driver lets go of the device: reset it, forget it. */
void virtio_net_remove(GuestState *g, int idx)
{
    GuestNic *n = &g->nics[idx];

    if (!n->used) {
        return;
    }
    set_status(n, 0);
    guest_log(g, "virtio_net: eth%d removed", idx);
    n->used = 0;
    n->role = NIC_NONE;
}

bool virtio_net_link_up(GuestState *g, int idx)
{
    GuestNic *n = &g->nics[idx];

    return gmmio_read(n->bar + n->device + 6, 2) & 1;
}

void virtio_net_poll(GuestState *g, int idx, bool deliver)
{
    GuestNic *n = &g->nics[idx];
    uint16_t used = get16(USED(RX_RING(n)) + 2);
    uint16_t posted = 0;
    uint8_t buf[GUEST_BUF_SIZE];

    n->tx_used = get16(USED(TX_RING(n)) + 2);
    for (int budget = 0; n->rx_used != used && budget < GUEST_QSIZE;
         budget++) {
        uint64_t e = USED(RX_RING(n)) + 4 + (n->rx_used % GUEST_QSIZE) * 8;
        uint32_t id, len;

        gram_read(e, &id, 4);
        gram_read(e + 4, &len, 4);
        id = GUINT32_FROM_LE(id);
        len = GUINT32_FROM_LE(len);
        n->rx_used++;
        if (id >= GUEST_QSIZE) {
            continue;           /* a broken device: do not trust it */
        }
        if (len > HDR_LEN && len <= GUEST_BUF_SIZE && deliver) {
            gram_read(RX_BUF(n, id), buf, len);
            n->rx_frames++;
            netstack_rx(g, idx, buf + HDR_LEN, len - HDR_LEN);
        } else {
            n->rx_dropped++;
        }
        rx_post(n, id);
        posted++;
    }
    if (posted) {
        put16(AVAIL(RX_RING(n)) + 2, n->rx_avail);
        notify(n, 0);
    }
    if (n->rx_used != used) {
        guest_yield();          /* more next time */
    }
}

bool virtio_net_xmit(GuestState *g, int idx, const uint8_t *frame,
                     uint32_t len)
{
    GuestNic *n = &g->nics[idx];
    uint8_t buf[GUEST_BUF_SIZE] = { 0 };
    uint16_t slot;

    n->tx_used = get16(USED(TX_RING(n)) + 2);
    if ((uint16_t)(n->tx_avail - n->tx_used) >= GUEST_QSIZE ||
        len + HDR_LEN > GUEST_BUF_SIZE) {
        return false;
    }
    slot = n->tx_avail % GUEST_QSIZE;
    memcpy(buf + HDR_LEN, frame, len);
    gram_write(TX_BUF(n, slot), buf, len + HDR_LEN);
    put_desc(TX_RING(n), slot, TX_BUF(n, slot), len + HDR_LEN, 0);
    put16(AVAIL(TX_RING(n)) + 4 + slot * 2, slot);
    n->tx_avail++;
    put16(AVAIL(TX_RING(n)) + 2, n->tx_avail);
    notify(n, 1);
    n->tx_frames++;
    return true;
}
