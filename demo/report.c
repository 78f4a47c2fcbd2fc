/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The demo's ping-like report, computed from what the guest sent and
 * received and what the peer saw.
 */
#include <inttypes.h>
#include <stdio.h>

#include "demo.h"

/* A request farther than this from every window is an unexplained loss. */
#define WINDOW_SLACK_US 100000

/* Longest gap between consecutive times that overlaps [a, b], in ms. */
static double outage(GArray *times, int64_t a, int64_t b)
{
    int64_t worst = 0;

    for (guint i = 1; i < times->len; i++) {
        int64_t x = g_array_index(times, int64_t, i - 1);
        int64_t y = g_array_index(times, int64_t, i);

        if (x <= b && y >= a && y - x > worst) {
            worst = y - x;
        }
    }
    return worst / 1000.0;
}

/* How far t lies outside [w->a, w->b] (0 inside). */
static int64_t window_distance(const DemoWindow *w, int64_t t)
{
    return t < w->a ? w->a - t : t > w->b ? t - w->b : 0;
}

static int nearest_window(const DemoWindow *w, int n, int64_t t)
{
    int best = 0;

    for (int i = 1; i < n; i++) {
        if (window_distance(&w[i], t) < window_distance(&w[best], t)) {
            best = i;
        }
    }
    return best;
}

int demo_report_windows(Guest *g, DemoPeer *peer, const DemoWindow *w,
                        int n)
{
    g_autofree int *sent = g_new0(int, n);
    g_autofree int *lost_out = g_new0(int, n);
    g_autofree int *lost_back = g_new0(int, n);
    int stray = 0;

    for (int i = 0; i < n; i++) {
        if (!w[i].a || !w[i].b) {
            printf("  %-12s did not happen\n", w[i].name);
            return -1;
        }
    }
    for (uint32_t s = 0; s < g->next_seq; s++) {
        uint32_t seen = demo_peer_seen(peer, s);
        int best = nearest_window(w, n, g->first_sent[s]);
        int64_t dist = window_distance(&w[best], g->first_sent[s]);

        if (!dist) {
            sent[best]++;
        }
        if ((seen & 1) && (g->replied_mask[s] & 1)) {
            continue;
        }
        if (dist > WINDOW_SLACK_US) {
            stray++;
        } else if (!(seen & 1)) {
            lost_out[best]++;
        } else {
            lost_back[best]++;
        }
    }
    for (int i = 0; i < n; i++) {
        printf("  %-12s %6.2f ms, %3d requests sent in it; guest->peer: "
               "%d lost, longest silence %.1f ms; peer->guest: %d lost, "
               "longest silence %.1f ms\n", w[i].name,
               (w[i].b - w[i].a) / 1000.0, sent[i], lost_out[i],
               outage(demo_peer_times(peer), w[i].a, w[i].b),
               lost_back[i], outage(g->reply_times, w[i].a, w[i].b));
    }
    if (stray) {
        printf("  %d first transmissions lost outside the windows\n", stray);
    }
    return stray;
}

void demo_report_paths(Guest *g, DemoPeer *peer)
{
    printf("\nFrames per path (requests seen by the peer):\n");
    for (int p = 0; p < PATH__MAX; p++) {
        printf("  %-12s %6" PRIu64 "\n", demo_path_name[p],
               demo_peer_count(peer, p));
    }
    printf("  guest: %u requests, %u answered, %" PRIu64
           " retransmissions, standby rx %" PRIu64 " (dropped %" PRIu64
           "), primary rx %" PRIu64 "\n", g->next_seq,
           g->next_seq - guest_unanswered(g), g->retransmits,
           g->standby.rx_frames, g->standby.rx_dropped,
           g->primary.rx_frames);
}
