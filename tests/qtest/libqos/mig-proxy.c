/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Migration proxy with faults (see mig-proxy.h).  One thread accepts; each
 * connection gets a thread that classifies it by its first bytes (the main
 * stream starts with "BTVM", a multifd channel with its 32-byte hello
 * "BTMF"), connects to the destination and copies both ways.
 */
#include "mig-proxy.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib.h>

#define MAIN_MAGIC      0x4254564dU     /* "BTVM" */
#define MF_MAGIC        0x42544d46U     /* "BTMF" */
#define MF_HELLO        32      /* magic, version, id[16], index, count, crc */
#define SEC_RAM         0x02
#define RAM_DATA        0x01
#define MAX_CHANNELS    16      /* counted per channel number */

/*
 * A return-path message (docs/devel/migration.rst): u32 magic, u8 type,
 * u16 payload length (big-endian), payload, u32 CRC-32C of all before it.
 */
#define RP_MAGIC        0x42545250U     /* "BTRP" */
#define RP_TYPE_AT      4
#define RP_LEN_AT       5
#define RP_HEAD         7       /* magic, type, length */
#define RP_TAIL         4       /* the CRC */
#define RP_PONG         3       /* the others: LOADED 1, FAILED 2 */

struct MigProxy {
    int listen_fd;
    int stop[2];                /* a pipe: readable once stopping */
    int release[2];             /* STALL: readable once released */
    char *to;
    MigProxyFault fault;
    uint64_t at;
    int channel;
    GThread *acceptor;
    GPtrArray *threads;
    GMutex lock;
    GCond cond;
    bool answered;
    int connections;
    int reached;                /* connections made to the destination */
    bool fired;                 /* the fault was applied */
    uint64_t ch_bytes[MAX_CHANNELS];    /* forwarded, per multifd channel */
};

typedef struct Pair {
    MigProxy *p;
    int src;
    int dst;
    int dst2;                   /* CH_TWICE: the second connection */
    bool main;
    int index;                  /* multifd channel number */
    uint64_t fwd;               /* bytes forwarded from the source */
    GByteArray *pending;        /* FLIP_RAM: bytes not yet forwarded */
    GByteArray *answers;        /* main: return-path bytes not yet parsed */
    bool flipped;
} Pair;

uint32_t mig_proxy_crc32c(uint32_t crc, const void *buf, size_t len)
{
    const uint8_t *p = buf;

    crc = ~crc;
    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ ((crc & 1) ? 0x82f63b78u : 0);
        }
    }
    return ~crc;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static int unix_connect(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    g_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool write_all(int fd, const uint8_t *b, size_t n)
{
    while (n) {
        ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        b += w;
        n -= w;
    }
    return true;
}

/* The whole message at m, whose head (RP_HEAD bytes) is there. */
static size_t rp_size(const uint8_t *m)
{
    return RP_HEAD + (m[RP_LEN_AT] << 8 | m[RP_LEN_AT + 1]) + RP_TAIL;
}

/* EXTRA_PONG: a PONG as the destination would send it. */
static bool send_pong(int fd)
{
    uint8_t m[RP_HEAD + RP_TAIL] = { 0 };

    put_be32(m, RP_MAGIC);
    m[RP_TYPE_AT] = RP_PONG;
    put_be32(m + RP_HEAD, mig_proxy_crc32c(0, m, RP_HEAD));
    return write_all(fd, m, sizeof(m));
}

/* Read exactly n bytes (the source's first bytes); false on EOF/stop. */
static bool read_all(Pair *pr, uint8_t *b, size_t n)
{
    while (n) {
        struct pollfd f[2] = { { pr->src, POLLIN }, { pr->p->stop[0], POLLIN } };
        ssize_t r;

        if (poll(f, 2, -1) < 0 && errno != EINTR) {
            return false;
        }
        if (f[1].revents) {
            return false;
        }
        if (!f[0].revents) {
            continue;
        }
        r = read(pr->src, b, n);
        if (r <= 0) {
            return false;
        }
        b += r;
        n -= r;
    }
    return true;
}

static void fire(MigProxy *p)
{
    g_mutex_lock(&p->lock);
    p->fired = true;
    g_mutex_unlock(&p->lock);
}

/* Is the fault aimed at this connection? */
static bool targeted(Pair *pr, MigProxyFault main_fault, MigProxyFault ch)
{
    if (pr->main) {
        return pr->p->fault == main_fault;
    }
    return pr->p->fault == ch && pr->index == pr->p->channel;
}

/*
 * FLIP_RAM: forward whole sections; in the first RAM section carrying
 * data, flip the first data byte and fix the section's checksum, so that
 * only the end of the stream (its RAM digest) can tell.
 */
static bool forward_sections(Pair *pr, int dst)
{
    GByteArray *b = pr->pending;
    size_t pos = 0;

    if (!pr->fwd) {
        if (b->len < 8) {
            return true;
        }
        pos = 8;
    }
    while (b->len - pos >= 5) {
        uint8_t *s = b->data + pos;
        size_t size = 5 + (size_t)be32(s + 1) + 4;

        if (b->len - pos < size) {
            break;
        }
        /* payload: u16 block, then u8 kind, u32 first, u32 count, data */
        if (!pr->flipped && s[0] == SEC_RAM && size > 5 + 2 + 9 + 4 &&
            s[5 + 2] == RAM_DATA) {
            s[5 + 2 + 9] ^= 0x20;
            put_be32(s + size - 4, mig_proxy_crc32c(0, s, size - 4));
            pr->flipped = true;
            fire(pr->p);
        }
        pos += size;
    }
    if (!pos) {
        return true;
    }
    if (!write_all(dst, b->data, pos)) {
        return false;
    }
    pr->fwd += pos;
    g_byte_array_remove_range(b, 0, pos);
    return true;
}

/* Source to destination: false once the connection is over. */
static bool from_source(Pair *pr, uint8_t *buf, ssize_t n)
{
    MigProxy *p = pr->p;

    if (pr->pending) {
        g_byte_array_append(pr->pending, buf, n);
        return forward_sections(pr, pr->dst);
    }
    if (targeted(pr, MIG_PROXY_FLIP, MIG_PROXY_CH_FLIP) &&
        pr->fwd <= p->at && p->at < pr->fwd + n) {
        buf[p->at - pr->fwd] ^= 0x20;
        fire(p);
    }
    if (targeted(pr, MIG_PROXY_CLOSE, MIG_PROXY_CH_CLOSE) &&
        pr->fwd + n > p->at) {
        fire(p);
        write_all(pr->dst, buf, p->at - pr->fwd);
        return false;
    }
    pr->fwd += n;
    if (!pr->main && pr->index < MAX_CHANNELS) {
        g_mutex_lock(&p->lock);
        p->ch_bytes[pr->index] += n;
        g_mutex_unlock(&p->lock);
    }
    if (!write_all(pr->dst, buf, n)) {
        return false;
    }
    return pr->dst2 < 0 || write_all(pr->dst2, buf, n);
}

/*
 * Destination to source (the return path), a message at a time.  PONG
 * answers a PING during the migration, which DROP_PONG keeps from the
 * source; LOADED or FAILED is the answer to the end of the stream, which
 * HOLD_ANSWER keeps from it.
 */
static bool from_destination(Pair *pr, uint8_t *buf, ssize_t n)
{
    MigProxy *p = pr->p;
    GByteArray *a = pr->answers;

    if (!pr->main) {
        return write_all(pr->src, buf, n);
    }
    g_byte_array_append(a, buf, n);
    while (a->len >= RP_HEAD && a->len >= rp_size(a->data)) {
        size_t len = rp_size(a->data);
        bool pong = a->data[RP_TYPE_AT] == RP_PONG;
        MigProxyFault drop = pong ? MIG_PROXY_DROP_PONG
                                  : MIG_PROXY_HOLD_ANSWER;

        if (!pong) {
            g_mutex_lock(&p->lock);
            p->answered = true;
            g_cond_broadcast(&p->cond);
            g_mutex_unlock(&p->lock);
        }
        if (p->fault == drop) {
            fire(p);
        } else if (!write_all(pr->src, a->data, len)) {
            return false;
        }
        g_byte_array_remove_range(a, 0, len);
    }
    return true;
}

/* STALL: the source is not read from now. */
static bool stalled(Pair *pr)
{
    MigProxy *p = pr->p;
    struct pollfd f = { p->release[0], POLLIN };

    if (pr->main && p->fault == MIG_PROXY_STALL && pr->fwd >= p->at &&
        poll(&f, 1, 0) == 0) {
        fire(p);
        return true;
    }
    return false;
}

static void copy_loop(Pair *pr)
{
    static uint8_t dummy[1];
    uint8_t *buf = g_malloc(1 << 16);

    for (;;) {
        bool stall = stalled(pr);
        /* A negative fd is left out by poll. */
        struct pollfd f[5] = {
            { stall ? -1 : pr->src, POLLIN }, { pr->dst, POLLIN },
            { pr->p->stop[0], POLLIN }, { pr->dst2, POLLIN },
            { stall ? pr->p->release[0] : -1, POLLIN },
        };
        ssize_t n;

        if (poll(f, 5, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (f[2].revents) {
            break;
        }
        if (f[0].revents) {
            bool slow = pr->main && pr->p->fault == MIG_PROXY_TRICKLE;

            if (slow) {
                /* A throttle, not a wait for anything. */
                g_usleep(1000);
            }
            n = read(pr->src, buf, slow ? MIN(1 << 16, pr->p->at) : 1 << 16);
            if (n <= 0 || !from_source(pr, buf, n)) {
                break;
            }
        }
        if (f[1].revents) {
            n = read(pr->dst, buf, 1 << 16);
            if (n <= 0 || !from_destination(pr, buf, n)) {
                break;
            }
        }
        if (pr->dst2 >= 0 && f[3].revents &&
            read(pr->dst2, dummy, sizeof(dummy)) <= 0) {
            break;
        }
    }
    g_free(buf);
}

static gpointer pair_run(gpointer opaque)
{
    Pair *pr = opaque;
    MigProxy *p = pr->p;
    uint8_t hello[MF_HELLO];
    size_t have = 4;

    pr->dst = pr->dst2 = -1;
    pr->answers = g_byte_array_new();
    if (!read_all(pr, hello, 4)) {
        goto out;
    }
    pr->main = be32(hello) == MAIN_MAGIC;
    if (be32(hello) == MF_MAGIC) {
        if (!read_all(pr, hello + 4, MF_HELLO - 4)) {
            goto out;
        }
        have = MF_HELLO;
        pr->index = hello[24] << 8 | hello[25];
        if (pr->index == p->channel && p->fault >= MIG_PROXY_CH_NEVER &&
            p->fault <= MIG_PROXY_CH_WRONG_ID) {
            /* These apply to the connection as a whole. */
            fire(p);
        }
        if (pr->index != p->channel) {
            /* not the channel the fault is meant for */
        } else if (p->fault == MIG_PROXY_CH_NEVER) {
            /* Hold the source's connection open, send nothing on. */
            uint8_t sink[4096];
            struct pollfd f[2] = { { pr->src, POLLIN },
                                   { p->stop[0], POLLIN } };

            while (poll(f, 2, -1) >= 0 && !f[1].revents &&
                   read(pr->src, sink, sizeof(sink)) > 0) {
            }
            goto out;
        } else if (p->fault == MIG_PROXY_CH_LATE) {
            struct pollfd f = { p->stop[0], POLLIN };

            if (poll(&f, 1, p->at) != 0) {
                goto out;
            }
        } else if (p->fault == MIG_PROXY_CH_WRONG_ID) {
            hello[8] ^= 0x01;
            put_be32(hello + 28, mig_proxy_crc32c(0, hello, 28));
        } else if (p->fault == MIG_PROXY_CH_TWICE) {
            /* It gets the same bytes as dst, hello included. */
            pr->dst2 = unix_connect(p->to);
        }
    }
    pr->dst = unix_connect(p->to);
    if (pr->dst < 0) {
        goto out;
    }
    g_mutex_lock(&p->lock);
    p->reached++;
    g_mutex_unlock(&p->lock);
    if (pr->main && p->fault == MIG_PROXY_EXTRA_PONG) {
        /* Ahead of all the destination says: no PING asked for it yet. */
        if (!send_pong(pr->src)) {
            goto out;
        }
        fire(p);
    }
    if (pr->main && p->fault == MIG_PROXY_FLIP_RAM) {
        pr->pending = g_byte_array_new();
        if (!from_source(pr, hello, have)) {
            goto out;
        }
    } else if (!from_source(pr, hello, have)) {
        goto out;
    }
    copy_loop(pr);
out:
    close(pr->src);
    if (pr->dst >= 0) {
        close(pr->dst);
    }
    if (pr->dst2 >= 0) {
        close(pr->dst2);
    }
    if (pr->pending) {
        g_byte_array_unref(pr->pending);
    }
    g_byte_array_unref(pr->answers);
    g_free(pr);
    return NULL;
}

static gpointer accept_run(gpointer opaque)
{
    MigProxy *p = opaque;

    for (;;) {
        struct pollfd f[2] = { { p->listen_fd, POLLIN },
                               { p->stop[0], POLLIN } };
        Pair *pr;
        int fd;

        if (poll(f, 2, -1) < 0 && errno != EINTR) {
            break;
        }
        if (f[1].revents) {
            break;
        }
        if (!f[0].revents) {
            continue;
        }
        fd = accept4(p->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            continue;
        }
        pr = g_new0(Pair, 1);
        pr->p = p;
        pr->src = fd;
        g_mutex_lock(&p->lock);
        p->connections++;
        g_ptr_array_add(p->threads, g_thread_new("mig-proxy", pair_run, pr));
        g_mutex_unlock(&p->lock);
    }
    return NULL;
}

MigProxy *mig_proxy_start(const char *from, const char *to,
                          MigProxyFault fault, uint64_t at, int channel)
{
    MigProxy *p = g_new0(MigProxy, 1);
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    p->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    g_assert(p->listen_fd >= 0);
    g_strlcpy(sa.sun_path, from, sizeof(sa.sun_path));
    unlink(from);
    g_assert(bind(p->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    g_assert(listen(p->listen_fd, 64) == 0);
    g_assert(pipe(p->stop) == 0);
    g_assert(pipe(p->release) == 0);
    p->to = g_strdup(to);
    p->fault = fault;
    p->at = at;
    p->channel = channel;
    p->threads = g_ptr_array_new();
    g_mutex_init(&p->lock);
    g_cond_init(&p->cond);
    p->acceptor = g_thread_new("mig-proxy-accept", accept_run, p);
    return p;
}

bool mig_proxy_wait_answer(MigProxy *p, int timeout_s)
{
    gint64 end = g_get_monotonic_time() + timeout_s * G_TIME_SPAN_SECOND;
    bool ok;

    g_mutex_lock(&p->lock);
    while (!p->answered && g_cond_wait_until(&p->cond, &p->lock, end)) {
    }
    ok = p->answered;
    g_mutex_unlock(&p->lock);
    return ok;
}

void mig_proxy_release(MigProxy *p)
{
    g_assert(write(p->release[1], "x", 1) == 1);
}

int mig_proxy_connections(MigProxy *p)
{
    int n;

    g_mutex_lock(&p->lock);
    n = p->connections;
    g_mutex_unlock(&p->lock);
    return n;
}

bool mig_proxy_fired(MigProxy *p)
{
    bool fired;

    g_mutex_lock(&p->lock);
    fired = p->fired;
    g_mutex_unlock(&p->lock);
    return fired;
}

uint64_t mig_proxy_channel_bytes(MigProxy *p, int index)
{
    uint64_t n;

    g_assert(index >= 0 && index < MAX_CHANNELS);
    g_mutex_lock(&p->lock);
    n = p->ch_bytes[index];
    g_mutex_unlock(&p->lock);
    return n;
}

int mig_proxy_stop(MigProxy *p)
{
    int reached;

    g_assert(write(p->stop[1], "x", 1) == 1);
    g_thread_join(p->acceptor);
    for (guint i = 0; i < p->threads->len; i++) {
        g_thread_join(g_ptr_array_index(p->threads, i));
    }
    g_ptr_array_unref(p->threads);
    close(p->listen_fd);
    close(p->stop[0]);
    close(p->stop[1]);
    close(p->release[0]);
    close(p->release[1]);
    reached = p->reached;
    g_mutex_clear(&p->lock);
    g_cond_clear(&p->cond);
    g_free(p->to);
    g_free(p);
    return reached;
}
