/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The failover demo: a guest that behaves like Linux net_failover, a
 * network peer that answers its requests, and the management that
 * migrates it.  All three share the frame format and the bookkeeping
 * below, from which the final report is computed.
 */
#ifndef DEMO_H
#define DEMO_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#include "libqtest.h"
#include "libqos/virtio-net.h"

#define DEMO_MAX_SEQ 16384
#define DEMO_FRAME_LEN 64
#define DEMO_ETHERTYPE 0x88b5           /* IEEE "local experimental" */
#define DEMO_KIND_REQUEST 1
#define DEMO_KIND_REPLY 2

/* Where a frame travelled: which NIC of which baton. */
typedef enum DemoPath {
    PATH_SRC_STANDBY,
    PATH_SRC_PRIMARY,
    PATH_DST_STANDBY,
    PATH_DST_PRIMARY,
    PATH__MAX,
} DemoPath;

extern const char *const demo_path_name[PATH__MAX];

/* Payload after the Ethernet header; little-endian on the wire. */
typedef struct DemoPayload {
    char magic[4];              /* "BATN" */
    uint32_t seq;
    uint8_t kind;
    uint8_t attempt;            /* 0 = first transmission */
    uint8_t path;               /* the path the request took */
} __attribute__((packed)) DemoPayload;

/* ---- peer.c: the far end of the network ------------------------------- */

typedef struct DemoPeer DemoPeer;

/* Bind dir/peer.sock and answer every request from a thread. */
DemoPeer *demo_peer_start(const char *dir, GError **errp);
const char *demo_peer_path(DemoPeer *p);
/* Stop the thread; the statistics below stay readable. */
void demo_peer_stop(DemoPeer *p);
void demo_peer_free(DemoPeer *p);
/* Requests received per path. */
uint64_t demo_peer_count(DemoPeer *p, DemoPath path);
/* Bit `attempt` set when that transmission of seq reached the peer. */
uint32_t demo_peer_seen(DemoPeer *p, uint32_t seq);
/* Monotonic µs of every request received, in order (for outages). */
GArray *demo_peer_times(DemoPeer *p);

/* ---- guest.c: the guest's net_failover driver ------------------------- */

typedef enum PrimaryState {
    PRIMARY_ABSENT,
    PRIMARY_ATTACHED,           /* registered with failover, link not up */
    PRIMARY_UP,
} PrimaryState;

#define DEMO_RX_BUFS 32

/* An RX buffer: whether it is in the ring, and at which avail index. */
typedef struct RxSlot {
    uint16_t posted_at;
    bool in_ring;
} RxSlot;

typedef struct GuestNic {
    QVirtioNet n;
    bool started;
    uint8_t mac[6];
    uint64_t rxbufs;            /* DEMO_RX_BUFS buffers of DEMO_RX_LEN */
    uint64_t txbufs;            /* one slot per TX descriptor */
    uint16_t rx_of_head[1024];  /* which RX buffer sits at a head */
    RxSlot rx_slot[DEMO_RX_BUFS];
    uint64_t rx_frames, rx_dropped, tx_frames;
} GuestNic;

typedef struct Guest {
    QTestState *qts;            /* the baton the guest currently runs on */
    bool on_destination;
    bool native;                /* native PCIe hotplug instead of ACPI */
    QPCIBus *bus;
    QGuestAllocator alloc;
    GuestNic standby, primary;
    PrimaryState primary_state;
    int primary_bsel;           /* ACPI hotplug BSEL of the primary's bus */
    int primary_busnr;
    int standby_busnr;

    /* Request bookkeeping. */
    uint32_t next_seq;
    int64_t first_sent[DEMO_MAX_SEQ];   /* µs, 0 = never */
    int64_t last_sent[DEMO_MAX_SEQ];
    uint8_t attempts[DEMO_MAX_SEQ];
    uint32_t replied_mask[DEMO_MAX_SEQ];
    int64_t replied_at[DEMO_MAX_SEQ];
    uint32_t outstanding;
    uint64_t retransmits;
    GArray *reply_times;        /* µs of every accepted reply, in order */

    /* Timeline hooks (µs, 0 = did not happen). */
    int64_t t_down_seen, t_ejected, t_attach, t_up;
    int64_t t_attach_src, t_up_src;     /* the first plug, on the source */
    int64_t t_action;           /* when the last reported action happened */
    int64_t t_ejected_real;     /* wall clock, to compare with events */
} Guest;

void guest_init(Guest *g, QTestState *qts, bool native);
/* Bring up the standby with STANDBY negotiated (FAILOVER_NEGOTIATED). */
void guest_start_standby(Guest *g);
/*
 * One step of the guest: handle hotplug notifications, take in RX,
 * retire TX, retransmit overdue requests, send a new request if `send`.
 * Returns a short description of a hotplug action taken (at t_action),
 * or NULL.
 */
const char *guest_tick(Guest *g, bool send);
/*
 * The guest now runs on `qts` (after migration): re-read ring indices.
 * Returns why the rings cannot be carried on with (free it), or NULL.
 */
char *guest_move(Guest *g, QTestState *qts);
uint32_t guest_unanswered(Guest *g);
/* Free what the driver holds on the host side (not guest memory). */
void guest_cleanup(Guest *g);
DemoPath guest_tx_path(Guest *g);

/* ---- report.c --------------------------------------------------------- */

/* A failover window, monotonic µs. */
typedef struct DemoWindow {
    const char *name;
    int64_t a, b;
} DemoWindow;

/*
 * Like ping: every request whose first transmission got no reply is
 * charged to the nearest window, by direction: it never reached the peer
 * (guest->peer) or its reply never reached the guest (peer->guest); the
 * outage is the longest silence overlapping the window, per direction.
 * Returns how many were lost far from every window, -1 if a window did
 * not happen.
 */
int demo_report_windows(Guest *g, DemoPeer *peer, const DemoWindow *w,
                        int n);
/* Frames per path and the guest's counters. */
void demo_report_paths(Guest *g, DemoPeer *peer);

#endif
