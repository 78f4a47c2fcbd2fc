/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Multifd, source side: RAM pages go over `multifd-channels` extra
 * connections, one thread each, while the main channel keeps the order
 * (CONFIG first, then after the last pass a MULTIFD section that makes the
 * destination wait for the channels, then device state and END).
 *
 * The main thread takes pages from the to-do set and queues them as jobs;
 * a channel's thread finds zero pages, records what it sends in the RAM
 * digest and writes the packet with writev straight from guest RAM.  A
 * pass ends with SYNC on every channel, and the next pass starts only once
 * every channel has written everything before it, so a page is never in
 * flight twice.  Threads wake the main loop through an eventfd.
 */
#include "migration/internal.h"

#include <errno.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <glib-unix.h>

#include "qapi/error.h"

#define QUEUE_LEN       4

typedef struct MfCmd {
    uint8_t type;               /* MIG_MF_PAGES, _SYNC, _BYE */
    uint32_t epoch;
    RamJob job;
} MfCmd;

typedef struct MfChannel {
    MultifdSend *mf;
    int index;
    int fd;
    GThread *thread;
    MfCmd queue[QUEUE_LEN];
    unsigned head, len;         /* under mf->lock */
    bool busy;                  /* the thread works on queue[head] */
    uint64_t packets;           /* PAGES packets written */
} MfChannel;

struct MultifdSend {
    int n;
    MfChannel *ch;
    GMutex lock;
    GCond cond;
    bool quit;
    GError *err;                /* the first channel error */
    int wake_fd;                /* eventfd: a job was done */
    unsigned next;              /* round robin */
    uint32_t epoch;             /* the pass being sent */
    bool sync_queued;
    uint64_t bytes;             /* written on all channels (atomic) */
};

static void wake_main(MultifdSend *mf)
{
    uint64_t one = 1;

    if (write(mf->wake_fd, &one, sizeof(one)) < 0) {
        /* the counter is full: the main loop is awake anyway */
    }
}

static bool write_iov(MfChannel *c, struct iovec *iov, int cnt,
                      GError **errp)
{
    while (cnt) {
        ssize_t n = writev(c->fd, iov, MIN(cnt, IOV_MAX));

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            error_setg_errno(errp, errno, "multifd channel %d: Unable to "
                             "write to socket", c->index);
            return false;
        }
        __atomic_fetch_add(&c->mf->bytes, n, __ATOMIC_RELAXED);
        while (cnt && (size_t)n >= iov->iov_len) {
            n -= iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt) {
            iov->iov_base = (uint8_t *)iov->iov_base + n;
            iov->iov_len -= n;
        }
    }
    return true;
}

static void put_head(GByteArray *b, uint8_t type, uint16_t block,
                     uint32_t epoch, uint32_t runs)
{
    mig_put_u8(b, type);
    mig_put_u8(b, 0);
    mig_put_u16(b, block);
    mig_put_u32(b, epoch);
    mig_put_u32(b, runs);
    mig_put_u32(b, 0);          /* CRC, once the run table is there */
}

/* The CRC covers the head's first 12 bytes and the run table. */
static void seal_head(GByteArray *b)
{
    uint32_t crc = mig_crc32c(0, b->data, 12);

    crc = mig_crc32c(crc, b->data + MIG_MF_HEAD, b->len - MIG_MF_HEAD);
    b->data[12] = crc >> 24;
    b->data[13] = crc >> 16;
    b->data[14] = crc >> 8;
    b->data[15] = crc;
}

/*
 * One PAGES packet: runs of zero and data pages, written from guest RAM
 * (or from buf, MIG_JOB_PAGES pages, when read from the block's file).
 */
static bool send_pages(MfChannel *c, MfCmd *cmd, GByteArray *b,
                       struct iovec *iov, uint8_t *buf, GError **errp)
{
    RamJob *job = &cmd->job;
    uint32_t nruns = 0, normal = 0, zero = 0;
    int cnt = 1;

    g_byte_array_set_size(b, 0);
    put_head(b, MIG_MF_PAGES, job->index, cmd->epoch, 0);
    for (uint32_t r = 0; r < job->nruns; r++) {
        uint64_t page = job->runs[r].first;
        uint64_t end = page + job->runs[r].count;
        uint8_t *data = ram_read_pages(job->block, page, job->runs[r].count,
                                       buf);

        buf += (size_t)job->runs[r].count << TARGET_PAGE_BITS;
        while (page < end) {
            uint8_t *host = data +
                            ((page - job->runs[r].first) << TARGET_PAGE_BITS);
            bool is_zero = ram_page_is_zero(host);
            uint64_t run = 1;

            while (page + run < end &&
                   ram_page_is_zero(host + (run << TARGET_PAGE_BITS)) ==
                   is_zero) {
                run++;
            }
            mig_put_u8(b, is_zero ? MIG_RAM_ZERO : MIG_RAM_DATA);
            mig_put_u32(b, page);
            mig_put_u32(b, run);
            nruns++;
            if (is_zero) {
                ram_digest_zero(job->digest, page, run);
                zero += run;
            } else {
                ram_digest_data(job->digest, page, run, host);
                iov[cnt].iov_base = host;
                iov[cnt].iov_len = run << TARGET_PAGE_BITS;
                cnt++;
                normal += run;
            }
            page += run;
        }
    }
    b->data[8] = nruns >> 24;
    b->data[9] = nruns >> 16;
    b->data[10] = nruns >> 8;
    b->data[11] = nruns;
    seal_head(b);
    iov[0].iov_base = b->data;
    iov[0].iov_len = b->len;
    __atomic_fetch_add(&job->stats->normal, normal, __ATOMIC_RELAXED);
    __atomic_fetch_add(&job->stats->duplicate, zero, __ATOMIC_RELAXED);
    __atomic_fetch_add(&job->stats->transferred,
                       b->len + ((uint64_t)normal << TARGET_PAGE_BITS),
                       __ATOMIC_RELAXED);
    if (!write_iov(c, iov, cnt, errp)) {
        return false;
    }
    c->packets++;
    return true;
}

static bool send_cmd(MfChannel *c, MfCmd *cmd, GByteArray *b,
                     struct iovec *iov, uint8_t *buf, GError **errp)
{
    if (cmd->type == MIG_MF_PAGES) {
        return send_pages(c, cmd, b, iov, buf, errp);
    }
    g_byte_array_set_size(b, 0);
    put_head(b, cmd->type, 0, cmd->epoch, 0);
    seal_head(b);
    iov[0].iov_base = b->data;
    iov[0].iov_len = b->len;
    return write_iov(c, iov, 1, errp);
}

static gpointer channel_run(gpointer opaque)
{
    MfChannel *c = opaque;
    MultifdSend *mf = c->mf;
    g_autoptr(GByteArray) b = g_byte_array_new();
    struct iovec *iov = g_new(struct iovec, MIG_JOB_PAGES + 1);
    uint8_t *buf = g_malloc((size_t)MIG_JOB_PAGES << TARGET_PAGE_BITS);

    g_mutex_lock(&mf->lock);
    for (;;) {
        GError *err = NULL;
        bool ok;

        while (!mf->quit && !c->len) {
            g_cond_wait(&mf->cond, &mf->lock);
        }
        if (mf->quit) {
            break;
        }
        c->busy = true;
        g_mutex_unlock(&mf->lock);
        ok = send_cmd(c, &c->queue[c->head], b, iov, buf, &err);
        g_mutex_lock(&mf->lock);
        c->busy = false;
        c->head = (c->head + 1) % QUEUE_LEN;
        c->len--;
        if (!ok) {
            if (!mf->err) {
                mf->err = err;
            } else {
                g_error_free(err);
            }
            mf->quit = true;
            g_cond_broadcast(&mf->cond);
        }
        wake_main(mf);
    }
    g_mutex_unlock(&mf->lock);
    g_free(iov);
    g_free(buf);
    return NULL;
}

static void put_hello(uint8_t *h, const uint8_t *id, int index, int n)
{
    g_autoptr(GByteArray) b = g_byte_array_new();

    mig_put_u32(b, MIG_MF_MAGIC);
    mig_put_u32(b, MIG_VERSION);
    g_byte_array_append(b, id, MIG_MF_ID);
    mig_put_u16(b, index);
    mig_put_u16(b, n);
    mig_put_u32(b, mig_crc32c(0, b->data, b->len));
    memcpy(h, b->data, MIG_MF_HELLO);
}

MultifdSend *multifd_send_new(const int *fds, int n, const uint8_t *id,
                              GError **errp)
{
    MultifdSend *mf = g_new0(MultifdSend, 1);

    mf->n = n;
    mf->ch = g_new0(MfChannel, n);
    mf->epoch = 1;
    g_mutex_init(&mf->lock);
    g_cond_init(&mf->cond);
    mf->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    for (int i = 0; i < n; i++) {
        MfChannel *c = &mf->ch[i];

        c->mf = mf;
        c->index = i;
        c->fd = fds[i];
        g_unix_set_fd_nonblocking(c->fd, FALSE, NULL);
    }
    for (int i = 0; i < n; i++) {
        uint8_t hello[MIG_MF_HELLO];
        struct iovec iov = { hello, sizeof(hello) };

        put_hello(hello, id, i, n);
        if (!write_iov(&mf->ch[i], &iov, 1, errp)) {
            multifd_send_free(mf);
            return NULL;
        }
    }
    for (int i = 0; i < n; i++) {
        mf->ch[i].thread = g_thread_new("multifd-send", channel_run,
                                        &mf->ch[i]);
    }
    return mf;
}

void multifd_send_free(MultifdSend *mf)
{
    if (!mf) {
        return;
    }
    g_mutex_lock(&mf->lock);
    mf->quit = true;
    g_cond_broadcast(&mf->cond);
    g_mutex_unlock(&mf->lock);
    for (int i = 0; i < mf->n; i++) {
        /* A thread blocked in writev returns from it now. */
        shutdown(mf->ch[i].fd, SHUT_RDWR);
    }
    for (int i = 0; i < mf->n; i++) {
        if (mf->ch[i].thread) {
            g_thread_join(mf->ch[i].thread);
        }
        close(mf->ch[i].fd);
    }
    if (mf->err) {
        g_error_free(mf->err);
    }
    close(mf->wake_fd);
    g_mutex_clear(&mf->lock);
    g_cond_clear(&mf->cond);
    g_free(mf->ch);
    g_free(mf);
}

void multifd_send_kick(MultifdSend *mf)
{
    wake_main(mf);
}

int multifd_send_wake_fd(MultifdSend *mf)
{
    return mf->wake_fd;
}

uint64_t multifd_send_bytes(MultifdSend *mf)
{
    return mf ? __atomic_load_n(&mf->bytes, __ATOMIC_RELAXED) : 0;
}

/*
 * Under the lock: the channel whose turn it is, or the next one with a
 * free queue slot.  The turn moves on only once a job was queued there:
 * a look that queues nothing must not skip the channel.
 */
static MfChannel *free_channel(MultifdSend *mf)
{
    for (int k = 0; k < mf->n; k++) {
        MfChannel *c = &mf->ch[(mf->next + k) % mf->n];

        if (c->len < QUEUE_LEN) {
            return c;
        }
    }
    return NULL;
}

static void enqueue(MfChannel *c, uint8_t type, uint32_t epoch,
                    const RamJob *job)
{
    MfCmd *cmd = &c->queue[(c->head + c->len) % QUEUE_LEN];

    cmd->type = type;
    cmd->epoch = epoch;
    if (job) {
        cmd->job = *job;
    }
    c->len++;
}

static bool all_idle(MultifdSend *mf)
{
    for (int i = 0; i < mf->n; i++) {
        if (mf->ch[i].len) {
            return false;
        }
    }
    return true;
}

/* Under the lock: queue one command on every channel (room permitting). */
static bool enqueue_all(MultifdSend *mf, uint8_t type)
{
    for (int i = 0; i < mf->n; i++) {
        if (mf->ch[i].len == QUEUE_LEN) {
            return false;
        }
    }
    for (int i = 0; i < mf->n; i++) {
        enqueue(&mf->ch[i], type, mf->epoch, NULL);
    }
    g_cond_broadcast(&mf->cond);
    return true;
}

MultifdFill multifd_send_fill(MultifdSend *mf, RamSaveState *rs,
                              size_t max_bytes, size_t *queued,
                              GError **errp)
{
    RamJob *job = g_new(RamJob, 1);
    MultifdFill ret = MULTIFD_FULL;
    uint64_t drain;

    /* Let the eventfd fire again for what completes from now on. */
    if (read(mf->wake_fd, &drain, sizeof(drain)) < 0) {
        /* nothing was pending */
    }
    *queued = 0;
    g_mutex_lock(&mf->lock);
    while (!mf->err) {
        MfChannel *c;

        if (mf->sync_queued) {
            ret = all_idle(mf) ? MULTIFD_PASS_DONE : MULTIFD_FULL;
            break;
        }
        c = free_channel(mf);
        if (!c || *queued >= max_bytes) {
            ret = c ? MULTIFD_QUEUED : MULTIFD_FULL;
            break;
        }
        if (!ram_save_take_job(rs, job, MIG_JOB_PAGES)) {
            if (!enqueue_all(mf, MIG_MF_SYNC)) {
                break;
            }
            mf->sync_queued = true;
            continue;
        }
        enqueue(c, MIG_MF_PAGES, mf->epoch, job);
        mf->next = (c->index + 1) % mf->n;
        g_cond_broadcast(&mf->cond);
        *queued += (size_t)job->pages << TARGET_PAGE_BITS;
    }
    if (mf->err) {
        g_propagate_error(errp, g_error_copy(mf->err));
        ret = MULTIFD_ERROR;
    } else if (ret == MULTIFD_PASS_DONE) {
        /* The next pass starts with the next sync of the dirty bitmaps. */
        mf->sync_queued = false;
        mf->epoch++;
    }
    g_mutex_unlock(&mf->lock);
    g_free(job);
    return ret;
}

/* Wait (at most timeout_ms in all) for the channels to move. */
static bool wait_wake(MultifdSend *mf, int64_t deadline, GError **errp)
{
    uint64_t drain;

    if (!mig_wait_fd(mf->wake_fd, POLLIN, deadline, errp)) {
        return false;
    }
    if (read(mf->wake_fd, &drain, sizeof(drain)) < 0) {
        /* raced with another reader: nothing lost, the state is rechecked */
    }
    return true;
}

bool multifd_send_flush_all(MultifdSend *mf, RamSaveState *rs,
                            int timeout_ms, GError **errp)
{
    int64_t deadline = g_get_monotonic_time() / 1000 + timeout_ms;
    size_t queued;

    for (;;) {
        switch (multifd_send_fill(mf, rs, SIZE_MAX, &queued, errp)) {
        case MULTIFD_PASS_DONE:
            return true;
        case MULTIFD_ERROR:
            return false;
        case MULTIFD_QUEUED:
            continue;
        case MULTIFD_FULL:
            if (!wait_wake(mf, deadline, errp)) {
                return false;
            }
            continue;
        }
    }
}

bool multifd_send_finish(MultifdSend *mf, GByteArray *main_out,
                         int timeout_ms, GError **errp)
{
    int64_t deadline = g_get_monotonic_time() / 1000 + timeout_ms;
    size_t sec;
    bool queued = false;

    g_mutex_lock(&mf->lock);
    while (!mf->err && !(queued && all_idle(mf))) {
        if (!queued) {
            queued = enqueue_all(mf, MIG_MF_BYE);
        }
        g_mutex_unlock(&mf->lock);
        if (!wait_wake(mf, deadline, errp)) {
            return false;
        }
        g_mutex_lock(&mf->lock);
    }
    if (mf->err) {
        g_propagate_error(errp, g_error_copy(mf->err));
        g_mutex_unlock(&mf->lock);
        return false;
    }
    g_mutex_unlock(&mf->lock);
    sec = mig_section_begin(main_out, MIG_SEC_MULTIFD);
    mig_put_u16(main_out, mf->n);
    for (int i = 0; i < mf->n; i++) {
        mig_put_u64(main_out, mf->ch[i].packets);
    }
    mig_section_end(main_out, sec);
    return true;
}

/* Connecting the channels (main loop) */

typedef struct MfConnect {
    int n;
    int done;
    int *fds;
    MigExtraConnect **conn;
    uint8_t id[MIG_MF_ID];
    guint timer;
    MultifdConnectedFunc *cb;
} MfConnect;

static MfConnect *connecting;

static void connect_free(MfConnect *mc)
{
    for (int i = 0; i < mc->n; i++) {
        mig_connect_extra_abandon(mc->conn[i]);
        if (mc->fds[i] >= 0) {
            close(mc->fds[i]);
        }
    }
    if (mc->timer) {
        g_source_remove(mc->timer);
    }
    g_free(mc->fds);
    g_free(mc->conn);
    g_free(mc);
}

void multifd_send_connect_cancel(void)
{
    if (connecting) {
        connect_free(g_steal_pointer(&connecting));
    }
}

static void connect_end(GError *err)
{
    MfConnect *mc = g_steal_pointer(&connecting);
    MultifdConnectedFunc *cb = mc->cb;
    MultifdSend *mf = NULL;

    if (!err) {
        mf = multifd_send_new(mc->fds, mc->n, mc->id, &err);
        /* The channels are mf's now (or closed by it on failure). */
        for (int i = 0; i < mc->n; i++) {
            mc->fds[i] = -1;
        }
    }
    connect_free(mc);
    cb(mf, err);
}

static gboolean connect_timeout(gpointer opaque)
{
    connecting->timer = 0;
    connect_end(g_error_new(BATON_ERROR, 0, "multifd: %d of %d channels "
                            "connected within %d s", connecting->done,
                            connecting->n, MIG_MF_TIMEOUT_MS / 1000));
    return G_SOURCE_REMOVE;
}

static void channel_connected(int fd, GPid child, GError *err, void *opaque)
{
    int i = GPOINTER_TO_INT(opaque);

    connecting->conn[i] = NULL;
    if (err) {
        g_prefix_error(&err, "multifd channel %d: ", i);
        connect_end(err);
        return;
    }
    connecting->fds[i] = fd;
    if (++connecting->done == connecting->n) {
        connect_end(NULL);
    }
}

bool multifd_send_connect(const char *uri, int n, const uint8_t *id,
                          MultifdConnectedFunc *cb, GError **errp)
{
    MfConnect *mc = g_new0(MfConnect, 1);

    multifd_send_connect_cancel();
    mc->n = n;
    mc->fds = g_new(int, n);
    mc->conn = g_new0(MigExtraConnect *, n);
    memcpy(mc->id, id, MIG_MF_ID);
    mc->cb = cb;
    for (int i = 0; i < n; i++) {
        mc->fds[i] = -1;
    }
    connecting = mc;
    for (int i = 0; i < n; i++) {
        mc->conn[i] = mig_connect_extra(uri, channel_connected,
                                        GINT_TO_POINTER(i), errp);
        if (!mc->conn[i]) {
            g_prefix_error(errp, "multifd channel %d: ", i);
            multifd_send_connect_cancel();
            return false;
        }
    }
    mc->timer = g_timeout_add(MIG_MF_TIMEOUT_MS, connect_timeout, NULL);
    return true;
}
