/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The built-in guest: what runs in the vCPU's place under -accel tcg.  A
 * small firmware (PCI enumeration) and a small OS modelled on Linux
 * (virtio-net, net_failover, ACPI and native PCI hotplug, ARP and ICMP
 * echo, a console on the 16550).
 *
 * Rules that make it a guest and not a device-model shortcut:
 *  - it touches the machine only as a CPU can: port I/O and MMIO through
 *    address_space_io/address_space_memory, guest RAM, and the interrupts
 *    the platform delivers (MSI writes to the LAPIC window, I/O APIC
 *    lines);
 *  - all of its state lives in guest RAM (GuestState at GUEST_STATE_ADDR,
 *    rings and buffers above it), so migration, save/restore and reset
 *    need nothing else: the host side keeps only "runnable" and a wake-up
 *    timer computed from RAM (guest/cpu.c).
 *
 * A run loads GuestState from RAM, handles whatever is pending, and stores
 * it back with the next wake-up time.  Nothing spins: between runs the
 * guest is "halted" until an interrupt or its timer.
 */
#ifndef GUEST_GUEST_H
#define GUEST_GUEST_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

/* Guest-physical layout (all below 4 MiB; smaller RAM: the guest idles). */
#define GUEST_CPU_ADDR        0x0007f000ull  /* GuestCpu: pending interrupts */
#define GUEST_STATE_ADDR      0x00080000ull  /* GuestState */
#define GUEST_NIC_AREA        0x00100000ull  /* per-NIC rings and buffers */
#define GUEST_NIC_AREA_SIZE   0x00040000ull  /* 256 KiB each */
#define GUEST_MAX_NICS        4
#define GUEST_MIN_RAM         (GUEST_NIC_AREA + \
                               GUEST_MAX_NICS * GUEST_NIC_AREA_SIZE)

#define GUEST_MAGIC           0x5453474e54414221ull  /* "!BATNGST" */
#define GUEST_VERSION         1

#define GUEST_MAX_BRIDGES     32
#define GUEST_QSIZE           64
#define GUEST_BUF_SIZE        1536
#define GUEST_WINDOWS         4
#define GUEST_TRACK           256     /* echo requests tracked */

/* The LAPIC's MSI window; vectors the guest hands out. */
#define GUEST_MSI_ADDR        0xfee00000ull
#define GUEST_VEC_NIC_BASE    0x40    /* + nic * 4 + {config, rx, tx} */
#define GUEST_VEC_PORT_BASE   0x80    /* + bridge index: slot events */

/*
 * The interrupt state a LAPIC holds (IRR) plus the I/O APIC lines that
 * rose: written by the platform side (guest/cpu.c) at any time, taken
 * and cleared by the guest.  Kept apart from GuestState so an interrupt
 * arriving during a run is never overwritten by the run's own store.
 */
typedef struct GuestCpu {
    uint32_t irr[8];            /* MSI vectors pending */
    uint32_t gsi;               /* I/O APIC inputs that rose */
    uint32_t reserved;
} GuestCpu;

typedef enum GuestPhase {
    PHASE_FIRMWARE = 0,         /* from reset: enumerate and configure */
    PHASE_OS,                   /* the OS runs */
    PHASE_IDLE,                 /* nothing to do (said why on the console) */
    PHASE_OFF,                  /* powered off */
} GuestPhase;

/* A bridge the firmware configured (root ports and PCI bridges). */
typedef struct GuestBridge {
    uint8_t bus, devfn;         /* where the bridge itself sits */
    uint8_t secondary, subordinate;
    uint8_t exp_cap;            /* PCIe capability offset, 0 if none */
    uint8_t native_hp;          /* slot with hot-plug we handle natively */
    uint8_t bsel_valid;
    uint8_t pad;
    uint32_t bsel;              /* ACPI hotplug select, learned or derived */
    uint32_t mem_base, mem_limit, mem_next;     /* non-prefetchable */
    uint32_t pref_base, pref_limit, pref_next;  /* prefetchable */
} GuestBridge;

typedef enum NicRole {
    NIC_NONE = 0,
    NIC_STANDBY,                /* virtio-net that negotiated STANDBY */
    NIC_PRIMARY,                /* same MAC as a standby: failover slave */
    NIC_PLAIN,                  /* an ordinary NIC */
} NicRole;

typedef enum PrimaryState {
    PRIMARY_ABSENT = 0,
    PRIMARY_ATTACHED,           /* registered, link not up (yet) */
    PRIMARY_UP,
    PRIMARY_RELEASING,          /* unplug requested, eject delayed */
} PrimaryState;

typedef struct GuestNic {
    uint8_t used;
    uint8_t role;               /* NicRole */
    uint8_t bus, devfn;
    uint8_t bridge;             /* index of the parent bridge, 0xff: bus 0 */
    uint8_t mac[6];
    uint8_t link_up;
    uint8_t standby_acked;      /* STANDBY negotiated */
    uint8_t replied;            /* an echo reply came in through it */
    uint8_t pad[2];
    uint64_t bar;               /* BAR of the virtio structures */
    uint64_t msix_table;        /* MSI-X table address */
    uint32_t common, isr, device, notify, notify_mult;
    uint16_t notify_off[2];
    uint16_t rx_avail, rx_used, tx_avail, tx_used;
    uint64_t area;              /* rings and buffers in guest RAM */
    uint64_t rx_frames, rx_dropped, tx_frames;
    int64_t up_at;              /* virtual ns when it may count as up */
} GuestNic;

/* A failover window: unplug, switch-over, re-plug. */
typedef struct GuestWindow {
    char name[16];
    int64_t start, end;         /* wall ns; end 0: still open */
    int64_t outage;             /* longest silence between replies, ns */
    uint32_t lost, late;
} GuestWindow;

typedef struct GuestKnobs {
    int64_t eject_delay_ms;     /* -1: never eject */
    int64_t link_up_delay_ms;
    int64_t ping_interval_ms;   /* 0: no traffic */
    int64_t reboot_after_ms;    /* 0: never reboot by itself */
    uint32_t ping_target;       /* IPv4, host order */
    uint8_t standby_aware;
    uint8_t hotplug;
    uint8_t pad[2];
} GuestKnobs;

typedef struct GuestState {
    uint64_t magic;
    uint32_t version;
    uint32_t size;
    uint32_t phase;             /* GuestPhase */
    uint32_t boots;
    int64_t booted_at;          /* virtual ns of the OS start */
    int64_t wake_at;            /* virtual ns of the next timer, -1: none */
    int64_t last_virt, last_wall;       /* the previous run */
    GuestKnobs knobs;

    /* firmware */
    uint32_t nbridges;
    GuestBridge bridges[GUEST_MAX_BRIDGES];
    uint32_t mmio_next, mmio_end;
    uint8_t acpi_hp;            /* ACPI PCI hotplug registers present */
    uint8_t root_hp;            /* the root bus is ACPI hotplug bus 0 */
    uint8_t pad1[2];
    uint16_t pmbase;
    uint16_t pad2;

    /* net_failover */
    GuestNic nics[GUEST_MAX_NICS];
    int32_t standby, primary;   /* NIC indexes, -1: none */
    uint32_t primary_state;     /* PrimaryState */
    int64_t eject_at;           /* virtual ns: eject the releasing primary */

    /* netstack */
    uint32_t ip;
    uint8_t target_mac[6];
    uint8_t arp_done;
    uint8_t rx_nic;             /* the NIC the frame being handled came in */
    uint32_t next_seq;
    int64_t next_send;          /* virtual ns */
    int64_t sent_wall[GUEST_TRACK];     /* 0: answered or never sent */
    int64_t last_reply_wall;
    uint64_t replies, lost_total, late_total;
    uint64_t lost_outside, late_outside;

    /* migration report */
    GuestWindow windows[GUEST_WINDOWS];
    uint32_t nwindows;
    uint32_t migrations;
    int64_t report_at;          /* wall ns: print the report */
} GuestState;

/* ---- machine access, only what a CPU has (guest/cpu.c) -------------- */
uint32_t gio_in(uint16_t port, unsigned size);
void gio_out(uint16_t port, unsigned size, uint32_t val);
uint64_t gmmio_read(uint64_t addr, unsigned size);
void gmmio_write(uint64_t addr, unsigned size, uint64_t val);
void gram_read(uint64_t addr, void *buf, uint64_t len);
void gram_write(uint64_t addr, const void *buf, uint64_t len);
int64_t guest_now(void);        /* virtual ns: the guest's TSC */
int64_t guest_wall(void);       /* wall ns: its RTC */
uint64_t guest_ram_size(void);
/* Ask to run again soon (more work than one run should do). */
void guest_yield(void);

/* PCI configuration space through 0xcf8/0xcfc (guest/firmware.c). */
uint32_t pci_cfg_read(uint8_t bus, uint8_t devfn, uint8_t off, unsigned size);
void pci_cfg_write(uint8_t bus, uint8_t devfn, uint8_t off, unsigned size,
                   uint32_t val);
uint8_t pci_find_cap(uint8_t bus, uint8_t devfn, uint8_t id, uint8_t start);

/* guest/guest.c */
void guest_set_wake(GuestState *g, int64_t at);

/* guest/console.c */
void guest_log(GuestState *g, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* guest/knobs.c */
bool guest_knobs_read(GuestKnobs *k, GError **errp);

/* guest/firmware.c */
void firmware_boot(GuestState *g);
/* Assign a hot-added device's BARs in its bridge's windows. */
void firmware_configure_slot(GuestState *g, int bridge);
/* The bridge index whose secondary bus is bus, -1 if none. */
int firmware_bridge_of_bus(GuestState *g, uint8_t bus);
void firmware_release_slot(GuestState *g, int bridge);

/* guest/virtio-net-drv.c */
bool virtio_net_probe(GuestState *g, uint8_t bus, uint8_t devfn, int bridge);
void virtio_net_remove(GuestState *g, int nic);
bool virtio_net_link_up(GuestState *g, int nic);
/* Take received frames: deliver(g, nic, frame, len) for each. */
void virtio_net_poll(GuestState *g, int nic, bool deliver);
bool virtio_net_xmit(GuestState *g, int nic, const uint8_t *frame,
                     uint32_t len);

/* guest/net-failover.c */
void failover_register(GuestState *g, int nic);
void failover_unregister(GuestState *g, int nic);
int failover_tx_nic(GuestState *g);
bool failover_rx_allowed(GuestState *g, int nic);
void failover_tick(GuestState *g);
/* An unplug request for the primary: release, then eject (maybe later). */
void failover_unplug_requested(GuestState *g, int nic);

/* guest/hotplug.c */
void hotplug_init(GuestState *g);
void hotplug_sci(GuestState *g);
void hotplug_native_event(GuestState *g, int bridge);
void hotplug_eject(GuestState *g, int nic);

/* guest/netstack.c */
void netstack_init(GuestState *g);
void netstack_rx(GuestState *g, int nic, const uint8_t *frame, uint32_t len);
void netstack_tick(GuestState *g);
void netstack_check_pause(GuestState *g);
void netstack_window_open(GuestState *g, const char *name, int64_t start);
void netstack_window_close(GuestState *g, const char *name);

/* guest/power.c */
void power_sci(GuestState *g);
void power_tick(GuestState *g);

#endif
