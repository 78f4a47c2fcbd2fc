/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's main loop: one run per wake-up.  A run loads GuestState
 * from guest RAM, boots (firmware, then the OS) if RAM holds no running
 * guest, otherwise takes the pending interrupts and handles every source
 * a driver would look at, then stores the state with its next timer.
 */
#include <string.h>

#include "guest/guest.h"
#include "guest/guest-cpu.h"
#include "qapi/error.h"

static void guest_store(GuestState *g)
{
    gram_write(GUEST_STATE_ADDR, g, sizeof(*g));
}

void guest_set_wake(GuestState *g, int64_t at)
{
    if (at >= 0 && (g->wake_at < 0 || at < g->wake_at)) {
        g->wake_at = at;
    }
}

/* Interrupts latched since the last run, taken (cleared) at once. */
static GuestCpu take_interrupts(void)
{
    GuestCpu cpu, zero = { 0 };

    gram_read(GUEST_CPU_ADDR, &cpu, sizeof(cpu));
    gram_write(GUEST_CPU_ADDR, &zero, sizeof(zero));
    return cpu;
}

static bool interrupts_pending(void)
{
    GuestCpu cpu;

    gram_read(GUEST_CPU_ADDR, &cpu, sizeof(cpu));
    for (int i = 0; i < 8; i++) {
        if (cpu.irr[i]) {
            return true;
        }
    }
    return cpu.gsi != 0;
}

static int count_nics(GuestState *g)
{
    int n = 0;

    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        n += g->nics[i].used;
    }
    return n;
}

static void os_start(GuestState *g)
{
    g->standby = g->primary = -1;
    g->primary_state = PRIMARY_ABSENT;
    hotplug_init(g);
    /* Bind what the firmware found, bus by bus. */
    for (int bus = 0; bus < 256; bus++) {
        int bridge = bus ? firmware_bridge_of_bus(g, bus) : -1;

        if (bus && bridge < 0) {
            continue;
        }
        for (int devfn = 0; devfn < 256; devfn++) {
            if ((pci_cfg_read(bus, devfn, 0, 2) & 0xffff) == 0xffff) {
                continue;
            }
            /*
             * Not configured by the firmware: hot-added since (the
             * primary, plugged when the standby negotiated).  Its hotplug
             * event announces it.
             */
            if (!(pci_cfg_read(bus, devfn, 4, 2) & 2)) {
                continue;
            }
            virtio_net_probe(g, bus, devfn, bridge);
        }
    }
    netstack_init(g);
    g->booted_at = guest_now();
    if (!count_nics(g)) {
        guest_log(g, "net: no network interface found; idle");
    }
    g->phase = PHASE_OS;
}

/* From reset: a fresh state, then firmware and OS start-up. */
static void guest_boot(GuestState *g)
{
    GError *err = NULL;
    uint32_t boots = g->size == sizeof(*g) ? g->boots : 0;

    memset(g, 0, sizeof(*g));
    g->magic = GUEST_MAGIC;
    g->version = GUEST_VERSION;
    g->size = sizeof(*g);
    g->boots = boots + 1;
    g->wake_at = -1;
    guest_log(g, "baton built-in guest: firmware start (boot %u)", g->boots);
    if (guest_ram_size() < GUEST_MIN_RAM) {
        guest_log(g, "guest RAM is %llu KiB, the guest needs %llu KiB; idle",
                  (unsigned long long)guest_ram_size() >> 10,
                  (unsigned long long)GUEST_MIN_RAM >> 10);
        g->phase = PHASE_IDLE;
        return;
    }
    if (!guest_knobs_read(&g->knobs, &err)) {
        guest_log(g, "knobs: %s; using the defaults", err->message);
        g_error_free(err);
        guest_knobs_read(&g->knobs, NULL);
    }
    firmware_boot(g);
    guest_log(g, "OS start");
    os_start(g);
}

int64_t guest_run(void)
{
    g_autofree GuestState *g = g_new0(GuestState, 1);
    GuestCpu cpu;

    /* The state struct must fit below the NIC area in the smallest RAM. */
    G_STATIC_ASSERT(GUEST_STATE_ADDR + sizeof(GuestState) <= GUEST_NIC_AREA);
    if (guest_ram_size() < GUEST_NIC_AREA) {
        return -1;              /* not even room for the state */
    }
    gram_read(GUEST_STATE_ADDR, g, sizeof(*g));
    cpu = take_interrupts();
    if (g->magic != GUEST_MAGIC || g->version != GUEST_VERSION ||
        g->size != sizeof(*g)) {
        guest_boot(g);
    }
    g->wake_at = -1;
    if (g->phase != PHASE_OS) {
        guest_store(g);
        return -1;
    }
    (void)cpu;                  /* every source is looked at below */
    netstack_check_pause(g);
    power_sci(g);
    if (g->phase != PHASE_OS) {
        guest_store(g);
        return -1;
    }
    hotplug_sci(g);
    for (uint32_t i = 0; i < g->nbridges; i++) {
        hotplug_native_event(g, i);
    }
    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        if (g->nics[i].used) {
            virtio_net_poll(g, i, true);
        }
    }
    failover_tick(g);
    netstack_tick(g);
    power_tick(g);
    guest_store(g);
    if (interrupts_pending()) {
        guest_yield();          /* an interrupt arrived during the run */
    }
    return g->wake_at;
}

bool guest_check_knobs(GError **errp)
{
    GuestKnobs k;

    return guest_knobs_read(&k, errp);
}
