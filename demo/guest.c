/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest: a libqos driver that follows Linux net_failover's rules.
 *
 * - The standby (virtio-net with VIRTIO_NET_F_STANDBY) is the failover
 *   device's permanent slave.  A hot-added NIC whose MAC equals the
 *   standby's is registered as the primary ("attached"), and becomes the
 *   TX path once its driver is up and its link reports up.
 * - While a primary is registered, frames arriving on the standby are not
 *   delivered (Linux's rx_handler returns RX_HANDLER_EXACT for them).
 * - An ACPI unplug request (DOWN bit) unregisters the primary, the driver
 *   lets go of it and the guest writes EJ; TX falls back to the standby.
 *
 * Nothing here sleeps: the caller calls guest_tick() at its own pace.
 */
#include <string.h>

#include "demo.h"
#include "libqos/pci-hotplug.h"

#define DEMO_RX_LEN 2048
#define DEMO_TX_SLOT 128
#define DEMO_RTO_US 40000       /* retransmit an unanswered request */
#define DRIVER_DROP ((1ULL << QVIRTIO_F_INDIRECT_DESC) | \
                     (1ULL << QVIRTIO_F_EVENT_IDX) | \
                     (1ULL << QVIRTIO_NET_F_CTRL_VQ))

static const uint8_t peer_mac[6] = { 0x52, 0x54, 0x00, 0xfa, 0xee, 0x01 };

static int root_port_secondary(QPCIBus *bus, int slot)
{
    QPCIDevice port = qpci_device_at(bus, QPCI_DEVFN(slot, 0));

    return qpci_config_readb(&port, 0x19);   /* secondary bus number */
}

void guest_init(Guest *g, QTestState *qts, bool native)
{
    memset(g, 0, sizeof(*g));
    g->native = native;
    g->qts = qts;
    g->bus = qpci_new_pc(qts);
    pc_alloc_init(&g->alloc, qts);
    /* Firmware's job: number the buses behind the two root ports. */
    qpci_secondary_buses_init(g->bus);
    qvirtio_net_map_root_ports(g->bus, 2);
    g->standby_busnr = root_port_secondary(g->bus, 1);
    g->primary_busnr = root_port_secondary(g->bus, 2);
    /* What the guest learns from the ACPI tables: the bus's BSEL. */
    g->primary_bsel = acpi_pcihp_bsel(qts, "/machine/peripheral/root1/root1");
    g->reply_times = g_array_new(FALSE, FALSE, sizeof(int64_t));
}

static void nic_post_rx(Guest *g, GuestNic *nic, int i)
{
    QVirtQueue *rx = nic->n.rx;
    uint64_t buf = nic->rxbufs + (uint64_t)i * DEMO_RX_LEN;
    uint16_t head = qvirtqueue_add(g->qts, rx, buf, DEMO_RX_LEN, true, false);

    nic->rx_of_head[head] = i;
    nic->rx_slot[i].posted_at = rx->avail_idx;
    nic->rx_slot[i].in_ring = true;
    qvirtqueue_kick(&nic->n.pci.vdev, rx, head);
}

static void nic_read_mac(QVirtioDevice *d, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        mac[i] = d->bus->config_readb(d, i);
    }
}

static void nic_start(Guest *g, GuestNic *nic, int busnr)
{
    qvirtio_net_start(&nic->n, g->bus, &g->alloc, QPCI_BDF(busnr, 0, 0),
                      DRIVER_DROP, false);
    g_assert_cmpuint(nic->n.rx->size, <=, G_N_ELEMENTS(nic->rx_of_head));
    /* Linux drives virtio-pci with MSI-X; the demo polls the rings, so
     * no vector is assigned, and reading the ISR drops any INTx raised
     * before MSI-X was on. */
    qpci_msix_enable(&nic->n.pci.pdev);
    nic->n.pci.vdev.bus->get_isr(&nic->n.pci.vdev);
    nic_read_mac(&nic->n.pci.vdev, nic->mac);
    nic->rxbufs = guest_alloc(&g->alloc, DEMO_RX_BUFS * DEMO_RX_LEN);
    nic->txbufs = guest_alloc(&g->alloc, nic->n.tx->size * DEMO_TX_SLOT);
    for (int i = 0; i < DEMO_RX_BUFS; i++) {
        nic_post_rx(g, nic, i);
    }
    nic->started = true;
}

/* The driver lets go of a device that is being ejected. */
static void nic_release(Guest *g, GuestNic *nic)
{
    qvirtio_net_stop(&nic->n);
    guest_free(&g->alloc, nic->rxbufs);
    guest_free(&g->alloc, nic->txbufs);
    nic->started = false;
}

void guest_start_standby(Guest *g)
{
    nic_start(g, &g->standby, g->standby_busnr);
    g_assert(g->standby.n.pci.vdev.features &
             (1ULL << QVIRTIO_NET_F_STANDBY));
}

static bool link_up(GuestNic *nic)
{
    QVirtioDevice *d = &nic->n.pci.vdev;

    return d->bus->config_readw(d, 6) & 1;
}

static bool nic_tx(Guest *g, GuestNic *nic, uint32_t seq, uint8_t attempt)
{
    QVirtQueue *tx = nic->n.tx;
    uint8_t buf[12 + DEMO_FRAME_LEN] = { 0 };
    uint8_t *f = buf + nic->n.hdr_len;
    DemoPayload pl = { .magic = "BATN", .seq = seq,
                       .kind = DEMO_KIND_REQUEST, .attempt = attempt,
                       .path = guest_tx_path(g) };
    uint64_t addr;
    uint16_t head;

    if ((uint16_t)(tx->avail_idx - tx->last_used_idx) >= tx->size - 1) {
        return false;           /* ring full: the device is not draining */
    }
    memcpy(f, peer_mac, 6);
    memcpy(f + 6, nic->mac, 6);
    f[12] = DEMO_ETHERTYPE >> 8;
    f[13] = DEMO_ETHERTYPE & 0xff;
    memcpy(f + 14, &pl, sizeof(pl));
    head = tx->free_head % tx->size;
    addr = nic->txbufs + (uint64_t)head * DEMO_TX_SLOT;
    qtest_memwrite(g->qts, addr, buf, nic->n.hdr_len + DEMO_FRAME_LEN);
    head = qvirtqueue_add(g->qts, tx, addr, nic->n.hdr_len + DEMO_FRAME_LEN,
                          false, false);
    qvirtqueue_kick(&nic->n.pci.vdev, tx, head);
    nic->tx_frames++;
    return true;
}

static void take_reply(Guest *g, const uint8_t *f, uint32_t len)
{
    DemoPayload pl;
    int64_t now = g_get_monotonic_time();

    if (len < 14 + sizeof(pl) || f[12] != DEMO_ETHERTYPE >> 8 ||
        f[13] != (DEMO_ETHERTYPE & 0xff)) {
        return;
    }
    memcpy(&pl, f + 14, sizeof(pl));
    if (memcmp(pl.magic, "BATN", 4) || pl.kind != DEMO_KIND_REPLY ||
        pl.seq >= g->next_seq || pl.attempt >= 32) {
        return;
    }
    g->replied_mask[pl.seq] |= 1u << pl.attempt;
    if (!g->replied_at[pl.seq]) {
        g->replied_at[pl.seq] = now;
        g->outstanding--;
        g_array_append_val(g->reply_times, now);
    }
}

/* Retire sent frames and take in received ones; `deliver` as above. */
static void nic_poll(Guest *g, GuestNic *nic, bool deliver)
{
    uint32_t id, len;
    uint8_t buf[DEMO_RX_LEN];

    while (qvirtqueue_get_used(g->qts, nic->n.tx, &id, &len)) {
        /* nothing to free: TX slots are per descriptor */
    }
    while (qvirtqueue_get_used(g->qts, nic->n.rx, &id, &len)) {
        int i;

        if (id >= nic->n.rx->size || len > DEMO_RX_LEN ||
            len < nic->n.hdr_len) {
            continue;           /* a device bug; do not trust it */
        }
        i = nic->rx_of_head[id];
        nic->rx_slot[i].in_ring = false;
        if (deliver) {
            qtest_memread(g->qts, nic->rxbufs + (uint64_t)i * DEMO_RX_LEN,
                          buf, len);
            take_reply(g, buf + nic->n.hdr_len, len - nic->n.hdr_len);
            nic->rx_frames++;
        } else {
            nic->rx_dropped++;
        }
        nic_post_rx(g, nic, i);
    }
}

DemoPath guest_tx_path(Guest *g)
{
    if (g->primary_state == PRIMARY_UP) {
        return g->on_destination ? PATH_DST_PRIMARY : PATH_SRC_PRIMARY;
    }
    return g->on_destination ? PATH_DST_STANDBY : PATH_SRC_STANDBY;
}

static GuestNic *tx_nic(Guest *g)
{
    return g->primary_state == PRIMARY_UP ? &g->primary : &g->standby;
}

/* The guest's half of an unplug request: let go, then eject. */
static void primary_release(Guest *g)
{
    /* net_failover unregisters the slave, then the driver is removed. */
    g->t_down_seen = g_get_monotonic_time();
    g->primary_state = PRIMARY_ABSENT;
    if (g->primary.started) {
        nic_release(g, &g->primary);
    }
    g->t_ejected = g_get_monotonic_time();
    g->t_ejected_real = g_get_real_time();
    g->t_action = g->t_ejected;
}

/* A NIC appeared in the primary's slot: register it if it pairs by MAC. */
static const char *primary_probe(Guest *g)
{
    QVirtioPCIDevice probe;
    uint8_t mac[6];

    if (!qvirtio_pci_init(&probe, g->bus, QPCI_BDF(g->primary_busnr, 0, 0))) {
        return NULL;            /* nothing answers: a stale event */
    }
    nic_read_mac(&probe.vdev, mac);
    g->t_action = g_get_monotonic_time();
    if (memcmp(mac, g->standby.mac, 6)) {
        return "hot-added NIC has another MAC: not a failover slave";
    }
    g->t_attach = g->t_action;
    g->t_up = 0;
    g->primary_state = PRIMARY_ATTACHED;
    return "NIC with the standby's MAC registered as primary";
}

/* ACPI: what the GPE handler finds in the primary's bus registers. */
static const char *hotplug_acpi(Guest *g)
{
    const char *what;

    if (g->primary_bsel < 0) {
        return NULL;
    }
    if ((acpi_pcihp_down(g->qts, g->primary_bsel) & 1) &&
        g->primary_state != PRIMARY_ABSENT) {
        primary_release(g);
        acpi_pcihp_eject(g->qts, g->primary_bsel, 0);
        return "saw DOWN on the primary's slot, released it, wrote EJ";
    }
    if ((acpi_pcihp_up(g->qts, g->primary_bsel) & 1) &&
        g->primary_state == PRIMARY_ABSENT && (what = primary_probe(g))) {
        return g->primary_state == PRIMARY_ATTACHED ?
               "saw UP: NIC with the standby's MAC registered as primary" :
               what;
    }
    return NULL;
}

/*
 * Native PCIe (pciehp): a presence change with a card present is a
 * hot-add (power the slot on if the card arrived in an unpowered slot);
 * the attention button with a primary in use is an unplug request,
 * answered by powering the slot off.
 */
static const char *hotplug_native(Guest *g)
{
    QPCIDevice port = qpci_device_at(g->bus, QPCI_DEVFN(2, 0));
    uint16_t sta = qpcie_slot_status(&port);

    if ((sta & SLTSTA_PDC) && (sta & SLTSTA_PDS) &&
        g->primary_state == PRIMARY_ABSENT) {
        qpcie_slot_clear_status(&port, SLTSTA_PDC | SLTSTA_ABP);
        if (qpcie_slot_control(&port) & SLTCTL_PCC) {
            qpcie_slot_power_on(&port);
        }
        return primary_probe(g) && g->primary_state == PRIMARY_ATTACHED ?
               "presence detect: slot powered, NIC with the standby's MAC "
               "registered as primary" : NULL;
    }
    if ((sta & SLTSTA_ABP) && g->primary_state != PRIMARY_ABSENT) {
        qpcie_slot_clear_status(&port, SLTSTA_ABP);
        primary_release(g);
        qpcie_slot_power_off(&port);
        return "attention button on the primary's slot: released it, "
               "slot powered off";
    }
    return NULL;
}

static const char *guest_hotplug(Guest *g)
{
    return g->native ? hotplug_native(g) : hotplug_acpi(g);
}

static void guest_retransmit(Guest *g, int64_t now)
{
    int budget = 8;

    for (uint32_t s = 0; s < g->next_seq && budget; s++) {
        if (g->replied_at[s] || now - g->last_sent[s] < DEMO_RTO_US ||
            g->attempts[s] >= 31) {
            continue;
        }
        if (nic_tx(g, tx_nic(g), s, g->attempts[s] + 1)) {
            g->attempts[s]++;
            g->last_sent[s] = now;
            g->retransmits++;
            budget--;
        }
    }
}

const char *guest_tick(Guest *g, bool send)
{
    const char *action = guest_hotplug(g);
    int64_t now;

    if (g->standby.started) {
        nic_poll(g, &g->standby, g->primary_state == PRIMARY_ABSENT);
    }
    if (g->primary_state == PRIMARY_UP) {
        nic_poll(g, &g->primary, true);
    }
    if (!action && g->primary_state == PRIMARY_ATTACHED) {
        /* ndo_open: the driver binds; TX moves once the link is up. */
        if (!g->primary.started) {
            nic_start(g, &g->primary, g->primary_busnr);
        }
        if (link_up(&g->primary)) {
            g->primary_state = PRIMARY_UP;
            g->t_up = g_get_monotonic_time();
            g->t_action = g->t_up;
            action = "primary driver up, link up: TX moves to the primary";
        }
    }
    now = g_get_monotonic_time();
    guest_retransmit(g, now);
    if (send && g->next_seq < DEMO_MAX_SEQ) {
        uint32_t s = g->next_seq;

        if (nic_tx(g, tx_nic(g), s, 0)) {
            g->next_seq++;
            g->first_sent[s] = g->last_sent[s] = now;
            g->outstanding++;
        }
    }
    return action;
}

static void vq_resync(QTestState *qts, QVirtQueue *vq)
{
    /* Guest RAM is the truth: a write that raced the source's stop never
     * reached the destination, so take the index the device will see. */
    vq->avail_idx = qtest_readw(qts, vq->avail + 2);
}

/*
 * A stopped VM's device completes nothing, and the source stopped before
 * its device state was sent: the driver cannot have taken a completion
 * the destination does not have.  If it had, polling the destination would
 * walk ~65536 stale used entries, re-posting each buffer.
 */
static char *vq_check_used(QTestState *qts, QVirtQueue *vq, const char *name)
{
    uint16_t used = qtest_readw(qts, vq->used + 2);
    uint16_t ahead = vq->last_used_idx - used;

    if (ahead && ahead <= vq->size) {
        return g_strdup_printf("the standby's %s queue: the driver took %u "
                               "completion(s) on the stopped source that the "
                               "destination does not have (used index %u, "
                               "the driver's %u)", name, ahead, used,
                               vq->last_used_idx);
    }
    return NULL;
}

char *guest_move(Guest *g, QTestState *qts)
{
    GuestNic *nic = &g->standby;
    char *err;

    g->qts = qts;
    g->bus->qts = qts;
    g->on_destination = true;
    g->t_attach_src = g->t_attach;
    g->t_up_src = g->t_up;
    g->t_attach = g->t_up = 0;
    nic->n.pci.vdev.qts = qts;
    if ((err = vq_check_used(qts, nic->n.rx, "RX")) ||
        (err = vq_check_used(qts, nic->n.tx, "TX"))) {
        return err;
    }
    vq_resync(qts, nic->n.rx);
    vq_resync(qts, nic->n.tx);
    for (int i = 0; i < DEMO_RX_BUFS; i++) {
        RxSlot *s = &nic->rx_slot[i];

        if (s->in_ring &&
            (uint16_t)(s->posted_at - nic->n.rx->avail_idx) < 0x8000) {
            nic_post_rx(g, nic, i);     /* its publication was lost */
        }
    }
    g->primary_bsel = acpi_pcihp_bsel(qts, "/machine/peripheral/root1/root1");
    return NULL;
}

uint32_t guest_unanswered(Guest *g)
{
    return g->outstanding;
}

void guest_cleanup(Guest *g)
{
    g_array_free(g->reply_times, TRUE);
    g->reply_times = NULL;
    alloc_destroy(&g->alloc);
    qpci_free_pc(g->bus);
    g->bus = NULL;
}
