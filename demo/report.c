/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The demo's ping-like report, computed from what the guest sent and
 * received and what the peer saw.
 */
#include <inttypes.h>
#include <stdio.h>

#include "demo.h"

/*
 * A request farther than this from every window is an unexplained loss:
 * 100 ms, or four times the slowest round trip of the steady state when
 * that is longer (a loaded host delays frames on their way, so a frame
 * in flight when a window opens is that window's loss, not a stray).
 */
#define WINDOW_SLACK_US 100000
#define WINDOW_SLACK_RTTS 4

static gint cmp_i64(gconstpointer a, gconstpointer b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* The 95th percentile round trip of requests answered at once, in µs. */
static int64_t steady_rtt_p95(Guest *g)
{
    g_autoptr(GArray) rtt = g_array_new(false, false, sizeof(int64_t));

    for (uint32_t s = 0; s < g->next_seq; s++) {
        if (g->replied_at[s] && !g->attempts[s] &&
            (g->replied_mask[s] & 1)) {
            int64_t d = g->replied_at[s] - g->first_sent[s];

            g_array_append_val(rtt, d);
        }
    }
    if (!rtt->len) {
        return 0;
    }
    g_array_sort(rtt, cmp_i64);
    return g_array_index(rtt, int64_t, (rtt->len * 95) / 100 >= rtt->len ?
                         rtt->len - 1 : (rtt->len * 95) / 100);
}

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
    int64_t slack = MAX(WINDOW_SLACK_US,
                        WINDOW_SLACK_RTTS * steady_rtt_p95(g));

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
        if (dist > slack) {
            /* Unexplained: say enough to find it in the timeline. */
            printf("  request %u: first sent %.1f ms from the start of %s, %s, "
                   "%u transmission(s), %s\n", s,
                   (g->first_sent[s] - w[best].a) / 1000.0, w[best].name,
                   (seen & 1) ? "reached the peer" :
                   "never reached the peer", g->attempts[s] + 1,
                   g->replied_at[s] ? "answered later" : "never answered");
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
        printf("  %d first transmissions lost outside the windows "
               "(farther than %.1f ms from each)\n", stray, slack / 1000.0);
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
