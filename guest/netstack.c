/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's network traffic: IPv4 10.0.2.15/24 (what slirp's DHCP would
 * hand out), ARP for the next hop, then ICMP echo requests to the target
 * (by default slirp's gateway 10.0.2.2) at a steady rate through the
 * failover device's active slave, like `ping -i`.
 *
 * Every request is tracked by sequence number; a reply later than 100 ms
 * is late, none within 3 s is lost.  Failover windows (unplug,
 * switch-over or pause, re-plug) collect the lost and late replies of
 * requests sent in or near them, and the longest silence between two
 * replies that overlaps them; a report is printed once a migration's
 * windows are over.
 */
#include <string.h>

#include "guest/guest.h"

#define ETH_P_ARP       0x0806
#define ETH_P_IP        0x0800
#define GUEST_IP        (10u << 24 | 2 << 8 | 15)
#define NETMASK         0xffffff00u
#define GATEWAY         (10u << 24 | 2 << 8 | 2)
#define ICMP_ID         0xba70
#define LATE_NS         (100 * 1000000ll)
#define LOST_NS         (3000 * 1000000ll)
#define NEAR_NS         (1000 * 1000000ll)      /* window attribution slack */
#define ARP_RETRY_NS    (500 * 1000000ll)
#define REPORT_DELAY_NS (LOST_NS + 500 * 1000000ll)  /* after every verdict */
#define PAUSE_NS        (1000000ll)     /* clocks agree to microseconds */

static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static uint16_t get_be16(const uint8_t *p)
{
    return p[0] << 8 | p[1];
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint16_t csum(const uint8_t *p, size_t len)
{
    uint32_t s = 0;

    for (size_t i = 0; i + 1 < len; i += 2) {
        s += get_be16(p + i);
    }
    if (len & 1) {
        s += p[len - 1] << 8;
    }
    while (s >> 16) {
        s = (s & 0xffff) + (s >> 16);
    }
    return ~s;
}

static uint32_t next_hop(GuestState *g)
{
    uint32_t t = g->knobs.ping_target;

    return (t & NETMASK) == (g->ip & NETMASK) ? t : GATEWAY;
}

static void xmit(GuestState *g, const uint8_t *f, uint32_t len)
{
    int nic = failover_tx_nic(g);

    if (nic >= 0) {
        virtio_net_xmit(g, nic, f, len);
    }
}

static void eth_header(GuestState *g, uint8_t *f, const uint8_t *dst,
                       uint16_t type)
{
    int nic = failover_tx_nic(g);

    memcpy(f, dst, 6);
    memcpy(f + 6, nic >= 0 ? g->nics[nic].mac : bcast, 6);
    put_be16(f + 12, type);
}

static void send_arp(GuestState *g, uint16_t op, const uint8_t *tha,
                     uint32_t tpa)
{
    uint8_t f[60] = { 0 };
    int nic = failover_tx_nic(g);

    if (nic < 0) {
        return;
    }
    eth_header(g, f, op == 1 ? bcast : tha, ETH_P_ARP);
    put_be16(f + 14, 1);
    put_be16(f + 16, ETH_P_IP);
    f[18] = 6;
    f[19] = 4;
    put_be16(f + 20, op);
    memcpy(f + 22, g->nics[nic].mac, 6);
    put_be32(f + 28, g->ip);
    memcpy(f + 32, op == 1 ? (const uint8_t *)"\0\0\0\0\0\0" : tha, 6);
    put_be32(f + 38, tpa);
    xmit(g, f, sizeof(f));
}

/* An IPv4 ICMP message of type/code with payload to dst. */
static void send_icmp(GuestState *g, uint32_t dst, uint8_t type,
                      const uint8_t *icmp_rest, uint32_t rest_len)
{
    uint8_t f[14 + 20 + 8 + 64] = { 0 };
    uint8_t *ip = f + 14, *icmp = ip + 20;
    uint32_t ilen = MIN(rest_len, 64u) + 4;

    eth_header(g, f, g->target_mac, ETH_P_IP);
    ip[0] = 0x45;
    put_be16(ip + 2, 20 + ilen);
    put_be16(ip + 4, g->next_seq);
    ip[8] = 64;
    ip[9] = 1;
    put_be32(ip + 12, g->ip);
    put_be32(ip + 16, dst);
    put_be16(ip + 10, csum(ip, 20));
    icmp[0] = type;
    memcpy(icmp + 4, icmp_rest, ilen - 4);
    put_be16(icmp + 2, csum(icmp, ilen));
    xmit(g, f, 14 + 20 + ilen);
}

/* ---- failover windows ----------------------------------------------- */

void netstack_window_open(GuestState *g, const char *name, int64_t start)
{
    GuestWindow *w;

    for (uint32_t i = 0; i < g->nwindows; i++) {
        if (!strcmp(g->windows[i].name, name) && !g->windows[i].end) {
            return;             /* open already */
        }
    }
    if (g->nwindows == GUEST_WINDOWS) {
        memmove(g->windows, g->windows + 1,
                sizeof(GuestWindow) * (GUEST_WINDOWS - 1));
        g->nwindows--;
    }
    w = &g->windows[g->nwindows++];
    memset(w, 0, sizeof(*w));
    g_strlcpy(w->name, name, sizeof(w->name));
    w->start = start;
    g->report_at = 0;
}

void netstack_window_close(GuestState *g, const char *name)
{
    for (uint32_t i = 0; i < g->nwindows; i++) {
        if (!strcmp(g->windows[i].name, name) && !g->windows[i].end) {
            g->windows[i].end = guest_wall();
        }
    }
    for (uint32_t i = 0; i < g->nwindows; i++) {
        if (!g->windows[i].end) {
            return;
        }
    }
    /* All over: report once the stragglers had time to arrive. */
    g->report_at = guest_now() + REPORT_DELAY_NS;
}

static GuestWindow *window_near(GuestState *g, int64_t t)
{
    for (uint32_t i = 0; i < g->nwindows; i++) {
        GuestWindow *w = &g->windows[i];
        if (t >= w->start - NEAR_NS && (!w->end || t <= w->end + NEAR_NS)) {
            return w;
        }
    }
    return NULL;
}

static void count_outcome(GuestState *g, int64_t sent, bool lost)
{
    GuestWindow *w = window_near(g, sent);

    if (lost) {
        g->lost_total++;
        if (w) {
            w->lost++;
        } else {
            g->lost_outside++;
        }
    } else {
        g->late_total++;
        if (w) {
            w->late++;
        } else {
            g->late_outside++;
        }
    }
}

static void note_reply(GuestState *g, int64_t now)
{
    int64_t last = g->last_reply_wall;

    for (uint32_t i = 0; last && i < g->nwindows; i++) {
        GuestWindow *w = &g->windows[i];
        int64_t end = w->end ? w->end : now;

        if (last <= end && now >= w->start) {
            w->outage = MAX(w->outage, now - last);
        }
    }
    g->last_reply_wall = now;
    g->replies++;
}

static void report(GuestState *g)
{
    bool migrated = false;

    for (uint32_t i = 0; i < g->nwindows; i++) {
        migrated |= !strcmp(g->windows[i].name, "switch-over");
    }
    if (migrated) {
        g->migrations++;
    }
    guest_log(g, "failover report%s: %u window(s)", migrated ?
              " after migration" : "", g->nwindows);
    for (uint32_t i = 0; i < g->nwindows; i++) {
        GuestWindow *w = &g->windows[i];
        guest_log(g, "  window %s: %lld ms long, outage %lld ms, lost %u, "
                  "late %u", w->name,
                  (long long)((w->end - w->start) / 1000000),
                  (long long)(w->outage / 1000000), w->lost, w->late);
    }
    guest_log(g, "  outside windows: lost %llu, late %llu; replies %llu",
              (unsigned long long)g->lost_outside,
              (unsigned long long)g->late_outside,
              (unsigned long long)g->replies);
    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        GuestNic *n = &g->nics[i];
        if (n->used) {
            guest_log(g, "  eth%d: tx %llu, rx %llu, rx dropped %llu", i,
                      (unsigned long long)n->tx_frames,
                      (unsigned long long)n->rx_frames,
                      (unsigned long long)n->rx_dropped);
        }
    }
    g->nwindows = 0;
    g->report_at = 0;
}

/* ---- receive -------------------------------------------------------- */

static void rx_arp(GuestState *g, const uint8_t *f, uint32_t len)
{
    uint16_t op;
    uint32_t spa, tpa;

    if (len < 42 || get_be16(f + 14) != 1 || get_be16(f + 16) != ETH_P_IP) {
        return;
    }
    op = get_be16(f + 20);
    spa = get_be32(f + 28);
    tpa = get_be32(f + 38);
    if (op == 2 && spa == next_hop(g) && !g->arp_done) {
        memcpy(g->target_mac, f + 22, 6);
        g->arp_done = 1;
        g->next_send = guest_now();
        guest_log(g, "arp: %u.%u.%u.%u is at %02x:%02x:%02x:%02x:%02x:%02x",
                  spa >> 24, (spa >> 16) & 255, (spa >> 8) & 255, spa & 255,
                  f[22], f[23], f[24], f[25], f[26], f[27]);
    } else if (op == 1 && tpa == g->ip) {
        send_arp(g, 2, f + 22, spa);
    }
}

static void rx_icmp(GuestState *g, const uint8_t *ip, uint32_t len)
{
    uint32_t ihl = (ip[0] & 15) * 4;
    const uint8_t *icmp = ip + ihl;
    uint32_t ilen;

    if (ihl < 20 || len < ihl + 8 || get_be16(ip + 2) > len ||
        get_be16(ip + 2) < ihl + 8) {
        return;
    }
    ilen = get_be16(ip + 2) - ihl;
    if (icmp[0] == 8) {
        /* Echo request: answer, as any IP stack. */
        send_icmp(g, get_be32(ip + 12), 0, icmp + 4, ilen - 4);
    } else if (icmp[0] == 0 && get_be16(icmp + 4) == ICMP_ID) {
        uint16_t seq = get_be16(icmp + 6);
        int64_t *sent = &g->sent_wall[seq % GUEST_TRACK];
        int64_t now = guest_wall();

        if (!*sent) {
            return;             /* a duplicate, or counted lost already */
        }
        if (!g->nics[g->rx_nic].replied) {
            g->nics[g->rx_nic].replied = 1;
            guest_log(g, "net: echo replies through eth%d", g->rx_nic);
        }
        if (now - *sent > LATE_NS) {
            count_outcome(g, *sent, false);
        }
        *sent = 0;
        note_reply(g, now);
    }
}

void netstack_rx(GuestState *g, int nic, const uint8_t *f, uint32_t len)
{
    int tx = failover_tx_nic(g);

    if (!failover_rx_allowed(g, nic)) {
        g->nics[nic].rx_dropped++;
        return;
    }
    if (len < 14 || (memcmp(f, bcast, 6) &&
                     (tx < 0 || memcmp(f, g->nics[tx].mac, 6)))) {
        return;
    }
    g->rx_nic = nic;
    switch (get_be16(f + 12)) {
    case ETH_P_ARP:
        rx_arp(g, f, len);
        break;
    case ETH_P_IP:
        if (len >= 34 && f[14 + 9] == 1 && get_be32(f + 30) == g->ip) {
            rx_icmp(g, f + 14, len - 14);
        }
        break;
    }
}

/* ---- time ----------------------------------------------------------- */

void netstack_init(GuestState *g)
{
    uint32_t t = g->knobs.ping_target;

    g->ip = GUEST_IP;
    g->arp_done = 0;
    g->next_send = guest_now();
    if (!g->knobs.ping_interval_ms) {
        guest_log(g, "net: %u.%u.%u.%u/24, no echo traffic", GUEST_IP >> 24,
                  (GUEST_IP >> 16) & 255, (GUEST_IP >> 8) & 255,
                  GUEST_IP & 255);
        return;
    }
    guest_log(g, "net: %u.%u.%u.%u/24, echo to %u.%u.%u.%u every %lld ms",
              GUEST_IP >> 24, (GUEST_IP >> 16) & 255, (GUEST_IP >> 8) & 255,
              GUEST_IP & 255, t >> 24, (t >> 16) & 255, (t >> 8) & 255,
              t & 255, (long long)g->knobs.ping_interval_ms);
}

/*
 * Wall time jumping ahead of guest time since the last run: the VM was
 * stopped (a pause, or a migration's switch-over).  First thing in a run.
 */
void netstack_check_pause(GuestState *g)
{
    int64_t now = guest_now(), wall = guest_wall();
    int64_t stopped;
    bool after_unplug = false;

    if (!g->last_wall) {
        g->last_virt = now;
        g->last_wall = wall;
        return;
    }
    stopped = (wall - g->last_wall) - (now - g->last_virt);
    if (stopped < PAUSE_NS) {
        return;
    }
    for (uint32_t i = 0; i < g->nwindows; i++) {
        after_unplug |= !strcmp(g->windows[i].name, "unplug");
    }
    netstack_window_open(g, after_unplug ? "switch-over" : "pause",
                         g->last_wall);
    netstack_window_close(g, after_unplug ? "switch-over" : "pause");
    guest_log(g, "clock: the VM was stopped for %lld ms%s",
              (long long)(stopped / 1000000),
              after_unplug ? " (migration switch-over)" : "");
    g->last_virt = now;
    g->last_wall = wall;
}

void netstack_tick(GuestState *g)
{
    int64_t now = guest_now(), wall = guest_wall();
    int64_t iv = g->knobs.ping_interval_ms * 1000000;

    g->last_virt = now;
    g->last_wall = wall;
    if (g->report_at && now >= g->report_at) {
        report(g);
    } else if (g->report_at) {
        guest_set_wake(g, g->report_at);
    }
    if (!iv || failover_tx_nic(g) < 0) {
        return;
    }
    for (int i = 0; i < GUEST_TRACK; i++) {
        if (g->sent_wall[i] && wall - g->sent_wall[i] > LOST_NS) {
            count_outcome(g, g->sent_wall[i], true);
            g->sent_wall[i] = 0;
        }
    }
    if (now < g->next_send) {
        guest_set_wake(g, g->next_send);
        return;
    }
    if (!g->arp_done) {
        send_arp(g, 1, bcast, next_hop(g));
        g->next_send = now + MAX(ARP_RETRY_NS, iv);
    } else {
        uint8_t rest[4 + 56] = { 0 };
        uint16_t seq = g->next_seq++;

        put_be16(rest, ICMP_ID);
        put_be16(rest + 2, seq);
        if (g->sent_wall[seq % GUEST_TRACK]) {
            count_outcome(g, g->sent_wall[seq % GUEST_TRACK], true);
        }
        g->sent_wall[seq % GUEST_TRACK] = wall;
        send_icmp(g, g->knobs.ping_target, 8, rest, sizeof(rest));
        g->next_send += iv;
        if (g->next_send < now) {
            g->next_send = now + iv;    /* do not burst to catch up */
        }
    }
    guest_set_wake(g, g->next_send);
}
