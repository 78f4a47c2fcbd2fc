/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multifd, destination side: one thread per channel reads packets and
 * receives their pages straight into guest RAM (the copy out of the socket
 * is the only one, and faulting the memory in happens on that thread's
 * core).  At each SYNC the channels wait for each other, so a page of the
 * next pass never lands before the same page of the previous one.  The
 * main channel's MULTIFD section waits until every channel said BYE.
 *
 * Channels are held from their hello until CONFIG says which migration
 * they must belong to; one that is not expected, comes twice, belongs to
 * another migration, or does not come within MIG_MF_TIMEOUT_MS fails the
 * load.  Threads tell the main loop through an eventfd.
 */
#include "migration/internal.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <glib-unix.h>

#include "qapi/error.h"

typedef struct MrChannel {
    MultifdRecv *mr;
    int index;
    int fd;                     /* -1 until it connected */
    GThread *thread;
    uint64_t packets;
} MrChannel;

struct MultifdRecv {
    RamLoadState *rl;
    int n;
    uint8_t id[MIG_MF_ID];
    MrChannel *ch;
    int arrived;
    GMutex lock;
    GCond cond;
    int at_sync;                /* channels waiting at the current SYNC */
    uint64_t generation;        /* SYNCs passed by all */
    int finished;               /* channels that said BYE */
    bool quit;
    GError *err;
    int wake_fd;
    guint wake_watch;
    guint deadline;
};

/*
 * Connections that said hello before CONFIG (fd, then the hello).  Held
 * for MIG_MF_TIMEOUT_MS at most, and only while their source keeps them
 * open: a source that died or gave up before its main channel arrived
 * must not leave this side waiting in `setup` for ever.
 */
typedef struct Pending {
    int fd;
    uint8_t hello[MIG_MF_HELLO];
    guint watch;
} Pending;

static GPtrArray *pending;
static guint pending_deadline;
static MultifdRecv *current;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Any thread: the first error wins; everybody stops. */
static void set_error(MultifdRecv *mr, GError *err)
{
    g_mutex_lock(&mr->lock);
    if (!mr->err) {
        mr->err = err;
    } else {
        g_error_free(err);
    }
    mr->quit = true;
    g_cond_broadcast(&mr->cond);
    g_mutex_unlock(&mr->lock);
}

static void wake_main(MultifdRecv *mr)
{
    uint64_t one = 1;

    if (write(mr->wake_fd, &one, sizeof(one)) < 0) {
        /* the counter is full: the main loop is awake anyway */
    }
}

static bool read_fd(void *opaque, void *buf, size_t len, GError **errp)
{
    MrChannel *c = opaque;
    uint8_t *p = buf;

    while (len) {
        ssize_t n = recv(c->fd, p, len, MSG_WAITALL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            error_setg(errp, "multifd channel %d: %s", c->index,
                       n < 0 ? g_strerror(errno)
                             : "unexpected end of the channel");
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

/* Wait until every channel reached this SYNC; false if stopping. */
static bool barrier(MultifdRecv *mr)
{
    bool ok;

    g_mutex_lock(&mr->lock);
    if (++mr->at_sync == mr->n) {
        mr->at_sync = 0;
        mr->generation++;
        g_cond_broadcast(&mr->cond);
    } else {
        uint64_t gen = mr->generation;

        while (gen == mr->generation && !mr->quit) {
            g_cond_wait(&mr->cond, &mr->lock);
        }
    }
    ok = !mr->quit;
    g_mutex_unlock(&mr->lock);
    return ok;
}

static bool recv_pages(MrChannel *c, const uint8_t *head, uint32_t nruns,
                       GError **errp)
{
    uint8_t table[MIG_JOB_PAGES * 9];
    uint32_t crc, pages = 0;

    if (!nruns || nruns > MIG_JOB_PAGES) {
        error_setg(errp, "multifd channel %d: packet with %u runs",
                   c->index, nruns);
        return false;
    }
    if (!read_fd(c, table, nruns * 9, errp)) {
        return false;
    }
    crc = mig_crc32c(mig_crc32c(0, head, 12), table, nruns * 9);
    if (crc != be32(head + 12)) {
        error_setg(errp, "multifd channel %d: checksum mismatch", c->index);
        return false;
    }
    for (uint32_t i = 0; i < nruns; i++) {
        const uint8_t *t = table + i * 9;
        uint32_t count = be32(t + 5);

        if (count > MIG_JOB_PAGES - pages) {
            error_setg(errp, "multifd channel %d: packet of more than %d "
                       "pages", c->index, MIG_JOB_PAGES);
            return false;
        }
        pages += count;
        if (!ram_load_run(c->mr->rl, be16(head + 2), t[0], be32(t + 1),
                          count, read_fd, c, errp)) {
            return false;
        }
    }
    c->packets++;
    return true;
}

/* Packets until BYE; false on any error (errp set) or when stopping. */
static bool channel_loop(MrChannel *c, GError **errp)
{
    uint32_t epoch = 1;

    for (;;) {
        uint8_t head[MIG_MF_HEAD];
        uint32_t nruns;

        if (!read_fd(c, head, sizeof(head), errp)) {
            return false;
        }
        nruns = be32(head + 8);
        if (head[1] || be32(head + 4) != epoch) {
            error_setg(errp, "multifd channel %d: packet of pass %u in "
                       "pass %u", c->index, be32(head + 4), epoch);
            return false;
        }
        if (head[0] == MIG_MF_PAGES) {
            if (!recv_pages(c, head, nruns, errp)) {
                return false;
            }
            continue;
        }
        if (nruns || be32(head + 12) != mig_crc32c(0, head, 12) ||
            (head[0] != MIG_MF_SYNC && head[0] != MIG_MF_BYE)) {
            error_setg(errp, "multifd channel %d: bad packet", c->index);
            return false;
        }
        if (head[0] == MIG_MF_BYE) {
            return true;
        }
        if (!barrier(c->mr)) {
            return false;
        }
        epoch++;
    }
}

static gpointer channel_run(gpointer opaque)
{
    MrChannel *c = opaque;
    MultifdRecv *mr = c->mr;
    GError *err = NULL;

    if (channel_loop(c, &err)) {
        g_mutex_lock(&mr->lock);
        mr->finished++;
        g_mutex_unlock(&mr->lock);
    } else if (err) {
        set_error(mr, err);
    }
    wake_main(mr);
    return NULL;
}

static gboolean wake(gint fd, GIOCondition cond, gpointer opaque)
{
    MultifdRecv *mr = opaque;
    GError *err = NULL;
    uint64_t drain;

    if (read(fd, &drain, sizeof(drain)) < 0) {
        /* spurious */
    }
    g_mutex_lock(&mr->lock);
    if (mr->err) {
        err = g_error_copy(mr->err);
    }
    g_mutex_unlock(&mr->lock);
    /* Either call may free mr. */
    if (err) {
        mr->wake_watch = 0;
        incoming_multifd_failed(err);
        return G_SOURCE_REMOVE;
    }
    incoming_multifd_progress();
    return G_SOURCE_CONTINUE;
}

static gboolean deadline_over(gpointer opaque)
{
    MultifdRecv *mr = opaque;

    mr->deadline = 0;
    incoming_multifd_failed(g_error_new(BATON_ERROR, 0, "multifd: %d of %d "
                            "channels connected within %d s", mr->arrived,
                            mr->n, MIG_MF_TIMEOUT_MS / 1000));
    return G_SOURCE_REMOVE;
}

static bool hello_valid(const uint8_t *h)
{
    return be32(h) == MIG_MF_MAGIC && be32(h + 4) == MIG_VERSION &&
           be32(h + 28) == mig_crc32c(0, h, 28);
}

/* Take a channel into the migration: false (errp) if it does not fit. */
static bool attach(MultifdRecv *mr, int fd, const uint8_t *h, GError **errp)
{
    int index = be16(h + 24);
    MrChannel *c;

    if (!hello_valid(h)) {
        error_setg(errp, "multifd: a channel with a malformed hello");
        return false;
    }
    if (memcmp(h + 8, mr->id, MIG_MF_ID)) {
        error_setg(errp, "multifd channel %d belongs to another migration",
                   index);
        return false;
    }
    if (be16(h + 26) != mr->n || index >= mr->n) {
        error_setg(errp, "multifd channel %d of %d: this migration has %d "
                   "channels", index, be16(h + 26), mr->n);
        return false;
    }
    c = &mr->ch[index];
    if (c->fd >= 0) {
        error_setg(errp, "multifd channel %d connected twice", index);
        return false;
    }
    c->fd = fd;
    g_unix_set_fd_nonblocking(fd, FALSE, NULL);
    c->thread = g_thread_new("multifd-recv", channel_run, c);
    if (++mr->arrived == mr->n && mr->deadline) {
        g_source_remove(mr->deadline);
        mr->deadline = 0;
    }
    return true;
}

static void free_pending(void)
{
    if (pending_deadline) {
        g_source_remove(pending_deadline);
        pending_deadline = 0;
    }
    if (pending) {
        for (guint i = 0; i < pending->len; i++) {
            Pending *p = g_ptr_array_index(pending, i);

            if (p->watch) {
                g_source_remove(p->watch);
            }
            close(p->fd);
            g_free(p);
        }
        g_ptr_array_set_size(pending, 0);
    }
}

static void pending_failed(GError *err)
{
    free_pending();
    incoming_multifd_failed(err);
}

static gboolean pending_closed(gint fd, GIOCondition cond, gpointer opaque)
{
    Pending *p = opaque;

    p->watch = 0;
    pending_failed(g_error_new(BATON_ERROR, 0, "multifd channel %d: "
                               "unexpected end of the channel",
                               be16(p->hello + 24)));
    return G_SOURCE_REMOVE;
}

static gboolean pending_timeout(gpointer opaque)
{
    pending_deadline = 0;
    pending_failed(g_error_new(BATON_ERROR, 0, "multifd: a channel "
                               "connected, but the migration stream did "
                               "not begin within %d s",
                               MIG_MF_TIMEOUT_MS / 1000));
    return G_SOURCE_REMOVE;
}

void multifd_recv_add_channel(int fd, const uint8_t *hello)
{
    GError *err = NULL;
    Pending *p;

    if (current) {
        if (!attach(current, fd, hello, &err)) {
            /* The source hears why on the main channel before this closes. */
            incoming_multifd_failed(err);
            close(fd);
        }
        return;
    }
    if (!pending) {
        pending = g_ptr_array_new();
    }
    p = g_new(Pending, 1);
    p->fd = fd;
    memcpy(p->hello, hello, MIG_MF_HELLO);
    /*
     * Packets may follow the hello before CONFIG is read: they wait
     * unread, so only the end of the channel wakes this.  A TCP peer's
     * close shows as POLLRDHUP alone, without G_IO_HUP.
     */
    p->watch = g_unix_fd_add(fd, G_IO_HUP | G_IO_ERR | POLLRDHUP,
                             pending_closed, p);
    g_ptr_array_add(pending, p);
    if (!pending_deadline) {
        pending_deadline = g_timeout_add(MIG_MF_TIMEOUT_MS, pending_timeout,
                                         NULL);
    }
}

MultifdRecv *multifd_recv_start(RamLoadState *rl, int n, const uint8_t *id,
                                GError **errp)
{
    MultifdRecv *mr;

    if (!n) {
        if (pending && pending->len) {
            error_setg(errp, "multifd: a channel came, but the source does "
                       "not use multifd");
            return NULL;
        }
        return NULL;
    }
    if (!migrate_multifd_enabled()) {
        error_setg(errp, "the source uses multifd (%d channels), but "
                   "capability 'multifd' is off here", n);
        return NULL;
    }
    if (n != migrate_params()->multifd_channels) {
        error_setg(errp, "the source uses %d multifd channels, "
                   "multifd-channels is %u here", n,
                   (unsigned)migrate_params()->multifd_channels);
        return NULL;
    }
    mr = g_new0(MultifdRecv, 1);
    mr->rl = rl;
    mr->n = n;
    memcpy(mr->id, id, MIG_MF_ID);
    mr->ch = g_new0(MrChannel, n);
    for (int i = 0; i < n; i++) {
        mr->ch[i].mr = mr;
        mr->ch[i].index = i;
        mr->ch[i].fd = -1;
    }
    g_mutex_init(&mr->lock);
    g_cond_init(&mr->cond);
    mr->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    mr->wake_watch = g_unix_fd_add(mr->wake_fd, G_IO_IN, wake, mr);
    mr->deadline = g_timeout_add(MIG_MF_TIMEOUT_MS, deadline_over, mr);
    current = mr;
    if (pending_deadline) {
        g_source_remove(pending_deadline);
        pending_deadline = 0;
    }
    while (pending && pending->len) {
        Pending *p = g_ptr_array_index(pending, 0);

        /* Its thread reads it from now on. */
        if (p->watch) {
            g_source_remove(p->watch);
            p->watch = 0;
        }
        if (!attach(mr, p->fd, p->hello, errp)) {
            /*
             * Left pending: closed with mr, after the source was told
             * why (the caller fails the load and frees mr).
             */
            break;
        }
        g_free(g_ptr_array_steal_index(pending, 0));
    }
    return mr;
}

void multifd_recv_free(MultifdRecv *mr)
{
    if (!mr) {
        free_pending();
        return;
    }
    g_mutex_lock(&mr->lock);
    mr->quit = true;
    g_cond_broadcast(&mr->cond);
    g_mutex_unlock(&mr->lock);
    for (int i = 0; i < mr->n; i++) {
        if (mr->ch[i].fd >= 0) {
            shutdown(mr->ch[i].fd, SHUT_RDWR);
        }
    }
    for (int i = 0; i < mr->n; i++) {
        if (mr->ch[i].thread) {
            g_thread_join(mr->ch[i].thread);
        }
        if (mr->ch[i].fd >= 0) {
            close(mr->ch[i].fd);
        }
    }
    if (mr->wake_watch) {
        g_source_remove(mr->wake_watch);
    }
    if (mr->deadline) {
        g_source_remove(mr->deadline);
    }
    close(mr->wake_fd);
    if (mr->err) {
        g_error_free(mr->err);
    }
    g_mutex_clear(&mr->lock);
    g_cond_clear(&mr->cond);
    if (current == mr) {
        current = NULL;
    }
    g_free(mr->ch);
    g_free(mr);
    free_pending();
}

bool multifd_recv_done(MultifdRecv *mr)
{
    bool done;

    g_mutex_lock(&mr->lock);
    done = mr->finished == mr->n;
    g_mutex_unlock(&mr->lock);
    return done;
}

bool multifd_recv_check(MultifdRecv *mr, MigReader *r, GError **errp)
{
    uint16_t n;

    if (!mig_get_u16(r, &n) || n != mr->n) {
        error_setg(errp, "malformed multifd section");
        return false;
    }
    for (int i = 0; i < n; i++) {
        uint64_t packets;

        if (!mig_get_u64(r, &packets)) {
            error_setg(errp, "malformed multifd section");
            return false;
        }
        if (packets != mr->ch[i].packets) {
            error_setg(errp, "multifd channel %d: %" PRIu64 " packets "
                       "received, the source sent %" PRIu64, i,
                       mr->ch[i].packets, packets);
            return false;
        }
    }
    if (mig_reader_left(r)) {
        error_setg(errp, "malformed multifd section");
        return false;
    }
    return true;
}
