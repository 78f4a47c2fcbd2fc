/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The firmware part, as SeaBIOS does it: walk the PCI hierarchy through
 * configuration mechanism #1 (0xcf8/0xcfc), number the buses behind
 * bridges depth first, size and place every BAR (largest first), open
 * bridge windows around what is behind them, with room for a hot-added
 * device behind every bridge, and enable the devices.
 */
#include <string.h>

#include "guest/guest.h"

#define PCI_VENDOR_ID       0x00
#define PCI_COMMAND         0x04
#define PCI_CLASS_DEVICE    0x0a
#define PCI_HEADER_TYPE     0x0e
#define PCI_BASE_ADDRESS_0  0x10
#define PCI_PRIMARY_BUS     0x18
#define PCI_IO_BASE         0x1c
#define PCI_MEMORY_BASE     0x20
#define PCI_PREF_MEMORY_BASE 0x24
#define PCI_PREF_BASE_UPPER32 0x28
#define PCI_PREF_LIMIT_UPPER32 0x2c
#define PCI_IO_BASE_UPPER16 0x30
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CMD_IO          0x1
#define PCI_CMD_MEM         0x2
#define PCI_CMD_MASTER      0x4

#define WINDOW_ALIGN        (1u << 20)  /* bridge memory windows: 1 MiB */
#define MMIO_START          0xc0000000u
#define MMIO_END            0xfec00000u  /* I/O APIC, LAPIC above */
#define IO_START            0xc000u
#define IO_END              0x10000u

/* ---- configuration mechanism #1 ------------------------------------ */

static uint32_t cfg_addr(uint8_t bus, uint8_t devfn, uint8_t off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)devfn << 8 |
           (off & 0xfc);
}

uint32_t pci_cfg_read(uint8_t bus, uint8_t devfn, uint8_t off, unsigned size)
{
    gio_out(0xcf8, 4, cfg_addr(bus, devfn, off));
    return gio_in(0xcfc + (off & 3), size);
}

void pci_cfg_write(uint8_t bus, uint8_t devfn, uint8_t off, unsigned size,
                   uint32_t val)
{
    gio_out(0xcf8, 4, cfg_addr(bus, devfn, off));
    gio_out(0xcfc + (off & 3), size, val);
}

uint8_t pci_find_cap(uint8_t bus, uint8_t devfn, uint8_t id, uint8_t start)
{
    uint8_t pos = start ? pci_cfg_read(bus, devfn, start + 1, 1)
                        : pci_cfg_read(bus, devfn, PCI_CAPABILITY_LIST, 1);

    for (int guard = 0; pos >= 0x40 && guard < 48; guard++) {
        if (pci_cfg_read(bus, devfn, pos, 1) == id) {
            return pos;
        }
        pos = pci_cfg_read(bus, devfn, pos + 1, 1);
    }
    return 0;
}

static bool is_bridge(uint8_t bus, uint8_t devfn)
{
    return (pci_cfg_read(bus, devfn, PCI_HEADER_TYPE, 1) & 0x7f) == 1;
}

/* ---- BARs ----------------------------------------------------------- */

typedef struct Bar {
    uint8_t bus, devfn, reg;
    bool io, is64, pref;
    uint32_t size;
} Bar;

/* Size one BAR as firmware does: all-ones, read back, restore. */
static bool bar_probe(uint8_t bus, uint8_t devfn, uint8_t reg, Bar *b)
{
    uint32_t old = pci_cfg_read(bus, devfn, reg, 4), mask;

    pci_cfg_write(bus, devfn, reg, 4, 0xffffffff);
    mask = pci_cfg_read(bus, devfn, reg, 4);
    pci_cfg_write(bus, devfn, reg, 4, old);
    memset(b, 0, sizeof(*b));
    b->bus = bus;
    b->devfn = devfn;
    b->reg = reg;
    if (!mask || mask == 0xffffffff) {
        b->is64 = (old & 7) == 4;
        return false;
    }
    b->io = mask & 1;
    if (b->io) {
        b->size = (~(mask & ~3u) + 1) & 0xffff;
    } else {
        b->is64 = (mask & 6) == 4;
        b->pref = mask & 8;
        b->size = ~(mask & ~0xfu) + 1;
    }
    return b->size != 0;
}

/* The memory BARs (and I/O BARs, if io_ok) of one function. */
static int device_bars(uint8_t bus, uint8_t devfn, Bar *out, bool bridge)
{
    int n = 0, nregs = bridge ? 2 : 6;

    for (int i = 0; i < nregs; i++) {
        Bar b;
        bool ok = bar_probe(bus, devfn, PCI_BASE_ADDRESS_0 + i * 4, &b);

        if (ok) {
            out[n++] = b;
        }
        if (b.is64) {
            i++;
        }
    }
    return n;
}

static void bar_set(const Bar *b, uint32_t addr)
{
    pci_cfg_write(b->bus, b->devfn, b->reg, 4, addr);
    if (b->is64) {
        pci_cfg_write(b->bus, b->devfn, b->reg + 4, 4, 0);
    }
}

static uint32_t align_up(uint32_t v, uint32_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static int bar_cmp(const void *a, const void *b)
{
    const Bar *x = a, *y = b;

    return x->size < y->size ? 1 : x->size > y->size ? -1 : 0;
}

/* ---- enumeration ---------------------------------------------------- */

static void enable_device(uint8_t bus, uint8_t devfn, const Bar *bars, int n)
{
    uint16_t cmd = PCI_CMD_MASTER;

    for (int i = 0; i < n; i++) {
        cmd |= bars[i].io ? PCI_CMD_IO : PCI_CMD_MEM;
    }
    pci_cfg_write(bus, devfn, PCI_COMMAND, 2, cmd);
}

/*
 * Place the BARs of every function on a bus inside [*mem, ...) and
 * [*pref, ...) (or the bus-0 I/O range), largest first so that every BAR
 * lands aligned without holes.
 */
static void place_bars(GuestState *g, Bar *bars, int n, uint32_t *mem,
                       uint32_t *pref, uint32_t *io)
{
    qsort(bars, n, sizeof(Bar), bar_cmp);
    for (int i = 0; i < n; i++) {
        uint32_t *next = bars[i].io ? io : (bars[i].pref && pref) ? pref : mem;
        uint32_t at;

        if (!next) {
            continue;           /* no I/O window here */
        }
        at = align_up(*next, bars[i].size);
        if (at < *next || (uint64_t)at + bars[i].size >
            (bars[i].io ? IO_END : MMIO_END)) {
            continue;           /* does not fit: left unassigned */
        }
        bar_set(&bars[i], at);
        *next = at + bars[i].size;
    }
}

static int scan_functions(uint8_t bus, uint8_t *devfns)
{
    int n = 0;

    for (int dev = 0; dev < 32; dev++) {
        uint8_t df = dev << 3;

        if ((pci_cfg_read(bus, df, PCI_VENDOR_ID, 2) & 0xffff) == 0xffff) {
            continue;
        }
        devfns[n++] = df;
        if (!(pci_cfg_read(bus, df, PCI_HEADER_TYPE, 1) & 0x80)) {
            continue;
        }
        for (int fn = 1; fn < 8; fn++) {
            if ((pci_cfg_read(bus, df | fn, PCI_VENDOR_ID, 2) & 0xffff) !=
                0xffff) {
                devfns[n++] = df | fn;
            }
        }
    }
    return n;
}

/* Memory needed behind a bridge: its devices plus room for a hot-add. */
static void bus_need(uint8_t bus, uint32_t *mem, uint32_t *pref)
{
    uint8_t devfns[256];
    int n = scan_functions(bus, devfns);
    uint32_t m = 0, p = 0;

    for (int i = 0; i < n; i++) {
        Bar bars[6];
        int nb;

        if (is_bridge(bus, devfns[i])) {
            uint8_t sec = pci_cfg_read(bus, devfns[i], PCI_PRIMARY_BUS + 1, 1);
            uint32_t cm, cp;

            bus_need(sec, &cm, &cp);
            m += cm;
            p += cp;
            nb = device_bars(bus, devfns[i], bars, true);
        } else {
            nb = device_bars(bus, devfns[i], bars, false);
        }
        for (int j = 0; j < nb; j++) {
            if (bars[j].io) {
                continue;
            }
            if (bars[j].pref) {
                p += align_up(bars[j].size, 4096);
            } else {
                m += align_up(bars[j].size, 4096);
            }
        }
    }
    *mem = MAX(align_up(m, WINDOW_ALIGN), WINDOW_ALIGN);
    *pref = MAX(align_up(p, WINDOW_ALIGN), WINDOW_ALIGN);
}

static void number_bridge(GuestState *g, uint8_t bus, uint8_t devfn,
                          uint8_t *last_bus);

/* Number the buses under bus (depth first) and record the bridges. */
static void number_bus(GuestState *g, uint8_t bus, uint8_t *last_bus)
{
    uint8_t devfns[256];
    int n = scan_functions(bus, devfns);

    for (int i = 0; i < n; i++) {
        if (is_bridge(bus, devfns[i])) {
            number_bridge(g, bus, devfns[i], last_bus);
        }
    }
}

static void number_bridge(GuestState *g, uint8_t bus, uint8_t devfn,
                          uint8_t *last_bus)
{
    GuestBridge *br;
    uint8_t sec = ++*last_bus;

    if (g->nbridges >= GUEST_MAX_BRIDGES || sec == 0) {
        return;
    }
    br = &g->bridges[g->nbridges++];
    memset(br, 0, sizeof(*br));
    br->bus = bus;
    br->devfn = devfn;
    br->secondary = sec;
    br->exp_cap = pci_find_cap(bus, devfn, 0x10, 0);
    /* primary, secondary, subordinate (open while scanning below) */
    pci_cfg_write(bus, devfn, PCI_PRIMARY_BUS, 4,
                  (pci_cfg_read(bus, devfn, PCI_PRIMARY_BUS, 4) & 0xff000000) |
                  0xff << 16 | sec << 8 | bus);
    number_bus(g, sec, last_bus);
    br->subordinate = *last_bus;
    pci_cfg_write(bus, devfn, PCI_PRIMARY_BUS + 2, 1, br->subordinate);
}

int firmware_bridge_of_bus(GuestState *g, uint8_t bus)
{
    for (uint32_t i = 0; i < g->nbridges; i++) {
        if (g->bridges[i].secondary == bus) {
            return i;
        }
    }
    return -1;
}

static void bridge_set_windows(GuestBridge *br)
{
    /* Memory windows in 1 MiB units; no I/O window (base above limit). */
    pci_cfg_write(br->bus, br->devfn, PCI_IO_BASE, 2, 0x00f0);
    pci_cfg_write(br->bus, br->devfn, PCI_IO_BASE_UPPER16, 4, 0);
    pci_cfg_write(br->bus, br->devfn, PCI_MEMORY_BASE, 4,
                  (br->mem_base >> 16) | (br->mem_limit & 0xfff00000));
    pci_cfg_write(br->bus, br->devfn, PCI_PREF_MEMORY_BASE, 4,
                  (br->pref_base >> 16) | (br->pref_limit & 0xfff00000));
    pci_cfg_write(br->bus, br->devfn, PCI_PREF_BASE_UPPER32, 4, 0);
    pci_cfg_write(br->bus, br->devfn, PCI_PREF_LIMIT_UPPER32, 4, 0);
}

/* Place windows and BARs below bus, inside [*mem) and [*pref). */
static void assign_bus(GuestState *g, uint8_t bus, uint32_t *mem,
                       uint32_t *pref, uint32_t *io)
{
    uint8_t devfns[256];
    int n = scan_functions(bus, devfns);
    Bar *bars = g_new(Bar, n * 6 + 1);
    int nb = 0;

    /* Bridges first: their windows are the largest, 1 MiB aligned. */
    for (int i = 0; i < n; i++) {
        int idx;
        GuestBridge *br;
        uint32_t need_m, need_p, m, p;
        int k;

        if (!is_bridge(bus, devfns[i])) {
            continue;
        }
        idx = -1;
        for (uint32_t j = 0; j < g->nbridges; j++) {
            if (g->bridges[j].bus == bus && g->bridges[j].devfn == devfns[i]) {
                idx = j;
            }
        }
        if (idx < 0) {
            continue;
        }
        br = &g->bridges[idx];
        bus_need(br->secondary, &need_m, &need_p);
        br->mem_base = align_up(*mem, WINDOW_ALIGN);
        br->mem_limit = br->mem_base + need_m - 1;
        br->pref_base = align_up(*pref, WINDOW_ALIGN);
        br->pref_limit = br->pref_base + need_p - 1;
        *mem = br->mem_limit + 1;
        *pref = br->pref_limit + 1;
        m = br->mem_base;
        p = br->pref_base;
        assign_bus(g, br->secondary, &m, &p, NULL);
        br->mem_next = m;
        br->pref_next = p;
        bridge_set_windows(br);
        k = device_bars(bus, devfns[i], bars + nb, true);
        nb += k;
        pci_cfg_write(bus, devfns[i], PCI_COMMAND, 2,
                      PCI_CMD_IO | PCI_CMD_MEM | PCI_CMD_MASTER);
    }
    for (int i = 0; i < n; i++) {
        if (!is_bridge(bus, devfns[i])) {
            nb += device_bars(bus, devfns[i], bars + nb, false);
        }
    }
    place_bars(g, bars, nb, mem, pref, io);
    for (int i = 0; i < n; i++) {
        Bar own[6];
        int k = 0;

        for (int j = 0; j < nb; j++) {
            if (bars[j].devfn == devfns[i] && k < 6) {
                own[k++] = bars[j];
            }
        }
        if (!is_bridge(bus, devfns[i])) {
            enable_device(bus, devfns[i], own, k);
        }
    }
    g_free(bars);
}

/*
 * ACPI hotplug select numbers, as the ACPI tables would give them: the
 * root bus first, then every bridge's bus depth first, the newest (here:
 * the highest-numbered slot) first.
 */
static void derive_bsel(GuestState *g, uint8_t bus, uint32_t *next)
{
    uint8_t devfns[256];
    int n = scan_functions(bus, devfns);

    for (int i = n - 1; i >= 0; i--) {
        int idx;

        if (!is_bridge(bus, devfns[i])) {
            continue;
        }
        for (uint32_t j = 0; j < g->nbridges; j++) {
            if (g->bridges[j].bus == bus && g->bridges[j].devfn == devfns[i]) {
                idx = j;
                g->bridges[idx].bsel = (*next)++;
                g->bridges[idx].bsel_valid = 1;
                derive_bsel(g, g->bridges[idx].secondary, next);
            }
        }
    }
}

void firmware_boot(GuestState *g)
{
    uint8_t last_bus = 0;
    uint32_t mem, pref, io = IO_START, bsel;
    uint64_t ram = guest_ram_size();

    g->nbridges = 0;
    number_bus(g, 0, &last_bus);
    /* The PCI hole starts above RAM (baton maps RAM from 0 contiguous). */
    mem = MAX(MMIO_START, (uint32_t)MIN(align_up((uint32_t)MIN(ram,
                                                   0xf0000000ull),
                                                   256u << 20),
                                          0xf0000000ull));
    pref = mem + 0x08000000u;   /* prefetchable: 128 MiB further up */
    assign_bus(g, 0, &mem, &pref, &io);
    g->mmio_next = MAX(pref, mem);
    g->mmio_end = MMIO_END;
    /* q35's pcie.0 takes no ACPI hotplug; i440fx's root bus is BSEL 0. */
    g->root_hp = (pci_cfg_read(0, 0, 2, 2) & 0xffff) == 0x1237;
    bsel = g->root_hp ? 1 : 0;
    derive_bsel(g, 0, &bsel);
    guest_log(g, "PCI: %u bridge(s), buses 0-%u, memory window at 0x%08x",
              g->nbridges, last_bus, MAX(MMIO_START, mem & 0xf0000000u));
    (void)io;
}

/* A device appeared behind bridge (-1: bus 0): place and enable it. */
void firmware_configure_slot(GuestState *g, int bridge)
{
    uint8_t bus = bridge >= 0 ? g->bridges[bridge].secondary : 0;
    uint8_t devfns[256];
    int n = scan_functions(bus, devfns);
    uint32_t io = IO_START;

    for (int i = 0; i < n; i++) {
        Bar bars[6];
        int nb;
        uint16_t cmd = pci_cfg_read(bus, devfns[i], PCI_COMMAND, 2);

        if (cmd & (PCI_CMD_MEM | PCI_CMD_IO)) {
            continue;           /* configured already */
        }
        nb = device_bars(bus, devfns[i], bars, false);
        if (bridge >= 0) {
            GuestBridge *br = &g->bridges[bridge];
            place_bars(g, bars, nb, &br->mem_next, &br->pref_next, NULL);
        } else {
            place_bars(g, bars, nb, &g->mmio_next, &g->mmio_next, &io);
        }
        enable_device(bus, devfns[i], bars, nb);
    }
}

/* The slot behind bridge is empty again: its window is free. */
void firmware_release_slot(GuestState *g, int bridge)
{
    if (bridge >= 0) {
        GuestBridge *br = &g->bridges[bridge];
        br->mem_next = br->mem_base;
        br->pref_next = br->pref_base;
    }
}
