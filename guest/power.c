/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ACPI power: the power button (PM1 status bit 8, raising the SCI) makes
 * the OS shut down as Linux does on "acpi button: power": let the NICs
 * go, then enter S5 by writing SLP_TYP 0 with SLP_EN to PM1_CNT (q35's
 * _S5 package is 0).  With reboot-after-ms the OS reboots by itself, as
 * Linux's reboot does on q35: through the reset control register at
 * 0xcf9 (SYS_RST, then SYS_RST with RST_CPU).
 */
#include "guest/guest.h"

#define PM1_STS         0x00
#define PM1_CNT         0x04
#define PM1_PWRBTN      0x0100
#define PM1_SLP_EN      0x2000
#define PM1_SLP_TYP     0x1c00

void power_sci(GuestState *g)
{
    uint16_t sts = gio_in(g->pmbase + PM1_STS, 2);
    uint16_t cnt;

    if (sts == 0xffff || !(sts & PM1_PWRBTN)) {
        return;
    }
    gio_out(g->pmbase + PM1_STS, 2, PM1_PWRBTN);
    guest_log(g, "ACPI: power button pressed, powering off");
    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        if (g->nics[i].used) {
            virtio_net_remove(g, i);
        }
    }
    g->standby = g->primary = -1;
    g->primary_state = PRIMARY_ABSENT;
    g->phase = PHASE_OFF;
    guest_log(g, "reboot: Power down");
    cnt = gio_in(g->pmbase + PM1_CNT, 2) & ~PM1_SLP_TYP;
    gio_out(g->pmbase + PM1_CNT, 2, cnt | PM1_SLP_EN);
}

void power_tick(GuestState *g)
{
    int64_t at;

    if (!g->knobs.reboot_after_ms) {
        return;
    }
    at = g->booted_at + g->knobs.reboot_after_ms * 1000000;
    if (guest_now() < at) {
        guest_set_wake(g, at);
        return;
    }
    guest_log(g, "reboot: Restarting system");
    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        if (g->nics[i].used) {
            virtio_net_remove(g, i);
        }
    }
    g->phase = PHASE_OFF;
    gio_out(0xcf9, 1, 0x02);
    gio_out(0xcf9, 1, 0x06);
}
