/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI hotplug, both ways a Linux guest on q35 meets it:
 *  - ACPI (acpiphp): the hotplug GPE (GPE0 bit 1) raises the SCI; the
 *    handler selects each hotplug bus (BSEL) at 0xcd0, reads the slots
 *    that came up (0xcc0, cleared by the read) and those asked to go
 *    (0xcc4), and ejects a slot by writing its bit to 0xcc8;
 *  - native PCIe (pciehp): each hot-plug capable root port signals slot
 *    events by MSI-X; a presence change with a card present is a hot-add
 *    (power the slot on), the attention button is an unplug request,
 *    answered by powering the slot off.
 * The GPE and slot status are also looked at on every run, which is what
 * a guest resumed on a migration destination finds pending.
 */
#include <string.h>

#include "guest/guest.h"

#define PCIHP_UP        0xcc0
#define PCIHP_DOWN      0xcc4
#define PCIHP_EJ        0xcc8
#define PCIHP_SEL       0xcd0

#define LPC_DEVFN       (0x1f << 3)
#define LPC_PMBASE      0x40
#define LPC_ACPI_CTRL   0x44
#define PMBASE          0x600
#define PM1_STS         0x00
#define PM1_EN          0x02
#define PM1_CNT         0x04
#define GPE0_STS        0x20
#define GPE0_EN         0x28
#define GPE_PCIHP       0x02
#define PM1_PWRBTN      0x0100

#define EXP_FLAGS       0x02
#define EXP_SLTCAP      0x14
#define EXP_SLTCTL      0x18
#define EXP_SLTSTA      0x1a
#define SLTCAP_HPC      0x0040
#define SLTCTL_ABPE     0x0001
#define SLTCTL_PDCE     0x0008
#define SLTCTL_HPIE     0x0020
#define SLTCTL_PIC      0x0300
#define SLTCTL_PIC_ON   0x0100
#define SLTCTL_PIC_OFF  0x0300
#define SLTCTL_PCC      0x0400
#define SLTSTA_ABP      0x0001
#define SLTSTA_PDC      0x0008
#define SLTSTA_CC       0x0010
#define SLTSTA_PDS      0x0040

static uint16_t slot_read(GuestBridge *br, uint8_t reg)
{
    return pci_cfg_read(br->bus, br->devfn, br->exp_cap + reg, 2);
}

static void slot_write(GuestBridge *br, uint8_t reg, uint16_t v)
{
    pci_cfg_write(br->bus, br->devfn, br->exp_cap + reg, 2, v);
}

static void port_msix(GuestState *g, int idx)
{
    GuestBridge *br = &g->bridges[idx];
    uint8_t cap = pci_find_cap(br->bus, br->devfn, 0x11, 0);
    uint32_t table, lo;
    uint64_t base;
    uint16_t ctrl;

    if (!cap) {
        return;                 /* INTx: the I/O APIC line wakes us */
    }
    table = pci_cfg_read(br->bus, br->devfn, cap + 4, 4);
    lo = pci_cfg_read(br->bus, br->devfn, 0x10 + (table & 7) * 4, 4);
    base = (lo & ~0xfull) + (table & ~7u);
    gmmio_write(base, 4, GUEST_MSI_ADDR);
    gmmio_write(base + 4, 4, 0);
    gmmio_write(base + 8, 4, GUEST_VEC_PORT_BASE + idx);
    gmmio_write(base + 12, 4, 0);
    ctrl = pci_cfg_read(br->bus, br->devfn, cap + 2, 2);
    pci_cfg_write(br->bus, br->devfn, cap + 2, 2, (ctrl | 0x8000) & ~0x4000);
}

void hotplug_init(GuestState *g)
{
    /* ACPI PM block: what the DSDT's _INI and the SCI handler set up. */
    pci_cfg_write(0, LPC_DEVFN, LPC_PMBASE, 4, PMBASE | 1);
    pci_cfg_write(0, LPC_DEVFN, LPC_ACPI_CTRL, 1, 0x80);
    g->pmbase = PMBASE;
    gio_out(PMBASE + GPE0_STS, 1, 0xff);
    gio_out(PMBASE + GPE0_EN, 1, GPE_PCIHP);
    gio_out(PMBASE + PM1_STS, 2, 0xffff);
    gio_out(PMBASE + PM1_EN, 2, PM1_PWRBTN);
    gio_out(PMBASE + PM1_CNT, 2, gio_in(PMBASE + PM1_CNT, 2) | 1);

    g->acpi_hp = gio_in(PCIHP_SEL, 4) != 0xffffffff;
    for (uint32_t i = 0; i < g->nbridges; i++) {
        GuestBridge *br = &g->bridges[i];
        uint16_t flags, ctl;

        br->native_hp = 0;
        if (g->acpi_hp || !br->exp_cap) {
            continue;
        }
        flags = pci_cfg_read(br->bus, br->devfn, br->exp_cap + EXP_FLAGS, 2);
        if (!(flags & 0x100) || !(pci_cfg_read(br->bus, br->devfn,
                                  br->exp_cap + EXP_SLTCAP, 4) & SLTCAP_HPC)) {
            continue;
        }
        br->native_hp = 1;
        port_msix(g, i);
        slot_write(br, EXP_SLTSTA, 0xffff);
        ctl = slot_read(br, EXP_SLTCTL);
        ctl |= SLTCTL_ABPE | SLTCTL_PDCE | SLTCTL_HPIE;
        if (slot_read(br, EXP_SLTSTA) & SLTSTA_PDS) {
            ctl = (ctl & ~(SLTCTL_PCC | SLTCTL_PIC)) | SLTCTL_PIC_ON;
        }
        slot_write(br, EXP_SLTCTL, ctl);
        slot_write(br, EXP_SLTSTA, SLTSTA_CC);
    }
    guest_log(g, "pci hotplug: %s", g->acpi_hp ? "ACPI (acpiphp)" :
              "native PCIe (pciehp)");
}

static int nic_at(GuestState *g, uint8_t bus, uint8_t slot)
{
    for (int i = 0; i < GUEST_MAX_NICS; i++) {
        if (g->nics[i].used && g->nics[i].bus == bus &&
            (g->nics[i].devfn >> 3) == slot) {
            return i;
        }
    }
    return -1;
}

/* A device appeared on bus/slot: configure it, bind a driver. */
static void slot_added(GuestState *g, int bridge, uint8_t bus, uint8_t slot)
{
    firmware_configure_slot(g, bridge);
    for (int fn = 0; fn < 8; fn++) {
        uint8_t devfn = slot << 3 | fn;

        if ((pci_cfg_read(bus, devfn, 0, 2) & 0xffff) == 0xffff) {
            continue;
        }
        guest_log(g, "pci %02x:%02x.%x: hot-added [%04x:%04x]", bus, slot, fn,
                  pci_cfg_read(bus, devfn, 0, 2),
                  pci_cfg_read(bus, devfn, 2, 2));
        virtio_net_probe(g, bus, devfn, bridge);
    }
}

/* The OS is done with the slot: ACPI EJ, or native power-off. */
static void eject_slot(GuestState *g, int bridge, uint8_t slot)
{
    if (g->acpi_hp) {
        uint32_t bsel = bridge >= 0 ? g->bridges[bridge].bsel : 0;
        gio_out(PCIHP_SEL, 4, bsel);
        gio_out(PCIHP_EJ, 4, 1u << slot);
    } else if (bridge >= 0) {
        GuestBridge *br = &g->bridges[bridge];
        slot_write(br, EXP_SLTCTL, slot_read(br, EXP_SLTCTL) | SLTCTL_PCC |
                   SLTCTL_PIC_OFF);
    }
    firmware_release_slot(g, bridge);
}

/* The OS was asked to let go of what is on bus/slot. */
static void slot_remove_request(GuestState *g, int bridge, uint8_t bus,
                                uint8_t slot)
{
    int nic = nic_at(g, bus, slot);

    if (nic >= 0 && nic == g->primary) {
        failover_unplug_requested(g, nic);
        return;
    }
    guest_log(g, "pci %02x:%02x: eject request", bus, slot);
    if (nic >= 0) {
        failover_unregister(g, nic);
        virtio_net_remove(g, nic);
    }
    eject_slot(g, bridge, slot);
}

static void acpi_bus(GuestState *g, int bridge, uint32_t bsel)
{
    uint8_t bus = bridge >= 0 ? g->bridges[bridge].secondary : 0;
    uint32_t up, down;

    gio_out(PCIHP_SEL, 4, bsel);
    up = gio_in(PCIHP_UP, 4);
    down = gio_in(PCIHP_DOWN, 4);
    for (int slot = 0; slot < 32; slot++) {
        if (up & (1u << slot)) {
            slot_added(g, bridge, bus, slot);
        }
        if ((down & (1u << slot)) && !(g->eject_at &&
                                       nic_at(g, bus, slot) == g->primary)) {
            slot_remove_request(g, bridge, bus, slot);
        }
    }
}

void hotplug_sci(GuestState *g)
{
    uint8_t sts;

    if (!g->acpi_hp) {
        return;
    }
    sts = gio_in(g->pmbase + GPE0_STS, 1);
    if (!(sts & GPE_PCIHP)) {
        return;
    }
    gio_out(g->pmbase + GPE0_STS, 1, GPE_PCIHP);
    if (!g->knobs.hotplug) {
        guest_log(g, "ACPI: PCI hotplug event ignored (hotplug=off)");
        return;
    }
    if (g->root_hp) {
        acpi_bus(g, -1, 0);
    }
    for (uint32_t i = 0; i < g->nbridges; i++) {
        if (g->bridges[i].bsel_valid) {
            acpi_bus(g, i, g->bridges[i].bsel);
        }
    }
}

void hotplug_native_event(GuestState *g, int idx)
{
    GuestBridge *br = &g->bridges[idx];
    uint16_t sta, ctl;
    uint8_t bus = br->secondary;

    if (!br->native_hp) {
        return;
    }
    sta = slot_read(br, EXP_SLTSTA);
    if (sta == 0xffff || !(sta & (SLTSTA_PDC | SLTSTA_ABP))) {
        return;
    }
    if (!g->knobs.hotplug) {
        slot_write(br, EXP_SLTSTA, sta & (SLTSTA_PDC | SLTSTA_ABP));
        guest_log(g, "pciehp %02x:%02x.%x: slot event ignored (hotplug=off)",
                  br->bus, br->devfn >> 3, br->devfn & 7);
        return;
    }
    if (sta & SLTSTA_PDC) {
        /* A presence change: the plug also pressed the button; take both. */
        slot_write(br, EXP_SLTSTA, SLTSTA_PDC | SLTSTA_ABP);
        if (sta & SLTSTA_PDS) {
            ctl = slot_read(br, EXP_SLTCTL);
            if (ctl & SLTCTL_PCC) {
                slot_write(br, EXP_SLTCTL, (ctl & ~(SLTCTL_PCC | SLTCTL_PIC)) |
                           SLTCTL_PIC_ON);
            }
            if (nic_at(g, bus, 0) < 0) {
                guest_log(g, "pciehp %02x:%02x.%x: card present, slot "
                          "powered on", br->bus, br->devfn >> 3,
                          br->devfn & 7);
                slot_added(g, idx, bus, 0);
            }
        } else {
            int nic = nic_at(g, bus, 0);
            if (nic >= 0) {
                failover_unregister(g, nic);
                virtio_net_remove(g, nic);
            }
            firmware_release_slot(g, idx);
        }
        return;
    }
    /* The attention button: the host asks for the card. */
    slot_write(br, EXP_SLTSTA, SLTSTA_ABP);
    if (sta & SLTSTA_PDS) {
        int nic = nic_at(g, bus, 0);
        if (nic >= 0 && nic == g->primary && g->eject_at) {
            return;
        }
        guest_log(g, "pciehp %02x:%02x.%x: attention button pressed",
                  br->bus, br->devfn >> 3, br->devfn & 7);
        slot_remove_request(g, idx, bus, 0);
    }
}

/* Finish an unplug the OS agreed to: eject the primary's slot. */
void hotplug_eject(GuestState *g, int nic)
{
    GuestNic *n = &g->nics[nic];
    int bridge = n->bridge == 0xff ? -1 : n->bridge;
    uint8_t slot = n->devfn >> 3;

    eject_slot(g, bridge, slot);
    guest_log(g, "pci %02x:%02x: ejected", n->bus, slot);
}
