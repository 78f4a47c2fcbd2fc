/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * net_failover, as Linux's drivers/net/net_failover.c bonds NICs:
 *  - a virtio-net that negotiated STANDBY creates the failover device and
 *    is its standby slave;
 *  - a NIC with the standby's MAC that appears later is registered as the
 *    primary slave;
 *  - TX goes through the primary while it is registered, running and its
 *    link is up, otherwise through the standby;
 *  - frames arriving on the standby are not delivered while a primary is
 *    registered (its rx_handler returns RX_HANDLER_EXACT for them);
 *  - when the primary is unplugged its driver goes, the slave is
 *    unregistered and TX falls back to the standby.
 */
#include <string.h>

#include "guest/guest.h"

static const char *mac_str(const uint8_t *m, char buf[18])
{
    g_snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
               m[0], m[1], m[2], m[3], m[4], m[5]);
    return buf;
}

void failover_register(GuestState *g, int nic)
{
    GuestNic *n = &g->nics[nic];
    char mac[18];

    if (n->standby_acked && g->standby < 0) {
        n->role = NIC_STANDBY;
        g->standby = nic;
        guest_log(g, "net_failover: failover device created, eth%d (%s) "
                  "is its standby", nic, mac_str(n->mac, mac));
        return;
    }
    if (g->standby >= 0 && g->primary < 0 &&
        !memcmp(n->mac, g->nics[g->standby].mac, 6)) {
        n->role = NIC_PRIMARY;
        g->primary = nic;
        g->primary_state = PRIMARY_ATTACHED;
        n->up_at = guest_now() + g->knobs.link_up_delay_ms * 1000000;
        guest_log(g, "net_failover: eth%d (%s) registered as primary", nic,
                  mac_str(n->mac, mac));
        if (g->nwindows) {
            /* Back after an unplug or a migration: the re-plug window. */
            netstack_window_open(g, "re-plug", guest_wall());
        }
        return;
    }
    n->role = NIC_PLAIN;
}

void failover_unregister(GuestState *g, int nic)
{
    if (nic == g->primary) {
        g->primary = -1;
        g->primary_state = PRIMARY_ABSENT;
        g->eject_at = 0;
        guest_log(g, "net_failover: primary eth%d unregistered, TX via "
                  "standby eth%d", nic, g->standby);
    } else if (nic == g->standby) {
        g->standby = -1;
        guest_log(g, "net_failover: standby eth%d gone", nic);
    }
}

int failover_tx_nic(GuestState *g)
{
    if (g->primary >= 0 && g->primary_state == PRIMARY_UP) {
        return g->primary;
    }
    if (g->standby >= 0) {
        return g->standby;
    }
    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        if (g->nics[i].used && g->nics[i].role == NIC_PLAIN) {
            return i;
        }
    }
    return -1;
}

bool failover_rx_allowed(GuestState *g, int nic)
{
    return !(nic == g->standby && g->primary >= 0);
}

void failover_unplug_requested(GuestState *g, int nic)
{
    int64_t delay = g->knobs.eject_delay_ms;

    if (g->eject_at) {
        return;                 /* being handled */
    }
    netstack_window_open(g, "unplug", guest_wall());
    if (delay < 0) {
        guest_log(g, "pci: eject request for primary eth%d ignored "
                  "(eject-delay-ms=never)", nic);
        g->eject_at = INT64_MAX;
        return;
    }
    guest_log(g, "pci: eject request for primary eth%d%s", nic,
              delay ? ", delayed" : "");
    g->eject_at = guest_now() + delay * 1000000 + 1;
}

/* The primary's driver lets go and the slot is ejected. */
static void primary_release(GuestState *g)
{
    int nic = g->primary;

    failover_unregister(g, nic);
    virtio_net_remove(g, nic);
    hotplug_eject(g, nic);
    netstack_window_close(g, "unplug");
}

void failover_tick(GuestState *g)
{
    int64_t now = guest_now();
    int p = g->primary;

    if (p < 0) {
        return;
    }
    if (g->eject_at && g->eject_at != INT64_MAX && now >= g->eject_at) {
        primary_release(g);
        return;
    }
    if (g->eject_at) {
        guest_set_wake(g, g->eject_at == INT64_MAX ? -1 : g->eject_at);
    }
    if (g->primary_state == PRIMARY_ATTACHED) {
        if (now < g->nics[p].up_at) {
            guest_set_wake(g, g->nics[p].up_at);
        } else if (virtio_net_link_up(g, p)) {
            g->primary_state = PRIMARY_UP;
            guest_log(g, "net_failover: primary eth%d link up, TX via "
                      "primary", p);
            if (g->nwindows) {
                netstack_window_close(g, "re-plug");
            }
        }
    } else if (g->primary_state == PRIMARY_UP && !virtio_net_link_up(g, p)) {
        g->primary_state = PRIMARY_ATTACHED;
        guest_log(g, "net_failover: primary eth%d link down, TX via "
                  "standby", p);
    }
}
