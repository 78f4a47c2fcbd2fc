/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The network peer: one unix datagram socket that every NIC backend of
 * both batons (-netdev dgram) talks to.  It answers each request frame
 * with a reply to whichever backend sent it, so a reply always comes back
 * on the NIC the request left by, as on a real switched network.  It runs
 * in its own thread so frames keep flowing while the guest is busy.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "demo.h"

const char *const demo_path_name[PATH__MAX] = {
    [PATH_SRC_STANDBY] = "src-standby",
    [PATH_SRC_PRIMARY] = "src-primary",
    [PATH_DST_STANDBY] = "dst-standby",
    [PATH_DST_PRIMARY] = "dst-primary",
};

struct DemoPeer {
    int fd;
    int stop_pipe[2];
    char *path;
    GThread *thread;
    GMutex lock;                /* guards everything below */
    uint64_t count[PATH__MAX];
    uint32_t seen[DEMO_MAX_SEQ];
    GArray *times;
};

/* Backends bind DIR/<path name>.sock: the sender's address says which. */
static int path_of_sender(const struct sockaddr_un *from, socklen_t len)
{
    const char *base;

    if (len <= sizeof(sa_family_t)) {
        return -1;
    }
    base = strrchr(from->sun_path, '/');
    base = base ? base + 1 : from->sun_path;
    for (int i = 0; i < PATH__MAX; i++) {
        size_t n = strlen(demo_path_name[i]);

        if (!strncmp(base, demo_path_name[i], n) &&
            !strcmp(base + n, ".sock")) {
            return i;
        }
    }
    return -1;
}

static void peer_answer(DemoPeer *p, uint8_t *frame, ssize_t len,
                        const struct sockaddr_un *from, socklen_t fromlen)
{
    DemoPayload pl;
    uint8_t mac[6];
    int path = path_of_sender(from, fromlen);

    if (len < 14 + (ssize_t)sizeof(pl) || path < 0 ||
        frame[12] != DEMO_ETHERTYPE >> 8 ||
        frame[13] != (DEMO_ETHERTYPE & 0xff)) {
        return;                 /* not ours: a real network ignores it */
    }
    memcpy(&pl, frame + 14, sizeof(pl));
    if (memcmp(pl.magic, "BATN", 4) || pl.kind != DEMO_KIND_REQUEST ||
        pl.seq >= DEMO_MAX_SEQ || pl.attempt >= 32) {
        return;
    }
    g_mutex_lock(&p->lock);
    p->count[path]++;
    p->seen[pl.seq] |= 1u << pl.attempt;
    {
        int64_t now = g_get_monotonic_time();
        g_array_append_val(p->times, now);
    }
    g_mutex_unlock(&p->lock);

    /* The reply: addresses swapped, same sequence and attempt. */
    memcpy(mac, frame, 6);
    memcpy(frame, frame + 6, 6);
    memcpy(frame + 6, mac, 6);
    pl.kind = DEMO_KIND_REPLY;
    pl.path = path;
    memcpy(frame + 14, &pl, sizeof(pl));
    /* A backend that went away (its baton quit) is not our problem. */
    (void)sendto(p->fd, frame, len, MSG_DONTWAIT,
                 (const struct sockaddr *)from, fromlen);
}

static gpointer peer_thread(gpointer opaque)
{
    DemoPeer *p = opaque;
    uint8_t frame[2048];

    for (;;) {
        struct pollfd fds[2] = {
            { .fd = p->fd, .events = POLLIN },
            { .fd = p->stop_pipe[0], .events = POLLIN },
        };

        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fds[1].revents) {
            break;
        }
        for (;;) {
            struct sockaddr_un from;
            socklen_t fromlen = sizeof(from);
            ssize_t n = recvfrom(p->fd, frame, sizeof(frame), MSG_DONTWAIT,
                                 (struct sockaddr *)&from, &fromlen);

            if (n < 0) {
                break;
            }
            peer_answer(p, frame, n, &from, fromlen);
        }
    }
    return NULL;
}

DemoPeer *demo_peer_start(const char *dir, GError **errp)
{
    DemoPeer *p = g_new0(DemoPeer, 1);
    struct sockaddr_un addr = { .sun_family = AF_UNIX };

    p->path = g_build_filename(dir, "peer.sock", NULL);
    if (strlen(p->path) >= sizeof(addr.sun_path)) {
        g_set_error(errp, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG,
                    "socket path too long: %s", p->path);
        goto fail;
    }
    strcpy(addr.sun_path, p->path);
    p->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (p->fd < 0 ||
        bind(p->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        pipe(p->stop_pipe) < 0) {
        g_set_error(errp, G_FILE_ERROR, g_file_error_from_errno(errno),
                    "peer socket %s: %s", p->path, g_strerror(errno));
        goto fail;
    }
    g_mutex_init(&p->lock);
    p->times = g_array_new(FALSE, FALSE, sizeof(int64_t));
    p->thread = g_thread_new("peer", peer_thread, p);
    return p;

fail:
    if (p->fd >= 0) {
        close(p->fd);
    }
    g_free(p->path);
    g_free(p);
    return NULL;
}

const char *demo_peer_path(DemoPeer *p)
{
    return p->path;
}

void demo_peer_stop(DemoPeer *p)
{
    if (p->thread) {
        (void)!write(p->stop_pipe[1], "x", 1);
        g_thread_join(p->thread);
        p->thread = NULL;
    }
}

void demo_peer_free(DemoPeer *p)
{
    demo_peer_stop(p);
    close(p->fd);
    close(p->stop_pipe[0]);
    close(p->stop_pipe[1]);
    unlink(p->path);
    g_free(p->path);
    g_array_free(p->times, TRUE);
    g_mutex_clear(&p->lock);
    g_free(p);
}

uint64_t demo_peer_count(DemoPeer *p, DemoPath path)
{
    uint64_t n;

    g_mutex_lock(&p->lock);
    n = p->count[path];
    g_mutex_unlock(&p->lock);
    return n;
}

uint32_t demo_peer_seen(DemoPeer *p, uint32_t seq)
{
    uint32_t m;

    g_mutex_lock(&p->lock);
    m = seq < DEMO_MAX_SEQ ? p->seen[seq] : 0;
    g_mutex_unlock(&p->lock);
    return m;
}

GArray *demo_peer_times(DemoPeer *p)
{
    return p->times;
}
