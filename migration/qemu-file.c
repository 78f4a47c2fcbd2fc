/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Byte-level plumbing of the migration stream: big-endian encoding, the
 * bounded reader for untrusted input, section framing with CRC-32C, and
 * the buffered non-blocking channel the source writes through.
 */
#include "migration/internal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib-unix.h>

#include "qapi/error.h"
#include "qemu/main-loop.h"

/* Encoding */

void mig_put_u8(GByteArray *b, uint8_t v)
{
    g_byte_array_append(b, &v, 1);
}

void mig_put_u16(GByteArray *b, uint16_t v)
{
    uint8_t d[2] = { v >> 8, v };
    g_byte_array_append(b, d, 2);
}

void mig_put_u32(GByteArray *b, uint32_t v)
{
    uint8_t d[4] = { v >> 24, v >> 16, v >> 8, v };
    g_byte_array_append(b, d, 4);
}

void mig_put_u64(GByteArray *b, uint64_t v)
{
    mig_put_u32(b, v >> 32);
    mig_put_u32(b, v);
}

void mig_put_str(GByteArray *b, const char *s)
{
    size_t n = strlen(s);

    g_assert(n <= MIG_MAX_NAME);
    mig_put_u16(b, n);
    g_byte_array_append(b, (const guint8 *)s, n);
}

size_t mig_section_begin(GByteArray *b, uint8_t type)
{
    size_t start = b->len;

    mig_put_u8(b, type);
    mig_put_u32(b, 0);          /* length, patched by mig_section_end */
    return start;
}

static MigStreamTally out_tally;

void mig_tally_add(MigStreamTally *t, uint32_t section_crc)
{
    uint8_t be[4] = { section_crc >> 24, section_crc >> 16,
                      section_crc >> 8, section_crc };

    t->sections++;
    t->digest = mig_crc32c(t->digest, be, sizeof(be));
}

void mig_out_tally_reset(void)
{
    memset(&out_tally, 0, sizeof(out_tally));
}

MigStreamTally mig_out_tally(void)
{
    return out_tally;
}

void mig_section_end(GByteArray *b, size_t start)
{
    uint32_t len = b->len - start - MIG_SECTION_HEAD;
    uint8_t *h = b->data + start + 1;
    uint32_t crc;

    g_assert(len <= MIG_MAX_SECTION);
    h[0] = len >> 24;
    h[1] = len >> 16;
    h[2] = len >> 8;
    h[3] = len;
    crc = mig_crc32c(0, b->data + start, MIG_SECTION_HEAD + len);
    mig_put_u32(b, crc);
    mig_tally_add(&out_tally, crc);
}

/* Bounded reader */

bool mig_get_bytes(MigReader *r, size_t n, const uint8_t **p)
{
    if (n > mig_reader_left(r)) {
        return false;
    }
    *p = r->data + r->pos;
    r->pos += n;
    return true;
}

bool mig_get_u8(MigReader *r, uint8_t *v)
{
    const uint8_t *p;

    if (!mig_get_bytes(r, 1, &p)) {
        return false;
    }
    *v = p[0];
    return true;
}

bool mig_get_u16(MigReader *r, uint16_t *v)
{
    const uint8_t *p;

    if (!mig_get_bytes(r, 2, &p)) {
        return false;
    }
    *v = (uint16_t)(p[0] << 8 | p[1]);
    return true;
}

bool mig_get_u32(MigReader *r, uint32_t *v)
{
    const uint8_t *p;

    if (!mig_get_bytes(r, 4, &p)) {
        return false;
    }
    *v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
    return true;
}

bool mig_get_u64(MigReader *r, uint64_t *v)
{
    uint32_t hi, lo;

    if (!mig_get_u32(r, &hi) || !mig_get_u32(r, &lo)) {
        return false;
    }
    *v = (uint64_t)hi << 32 | lo;
    return true;
}

bool mig_get_str(MigReader *r, char **s)
{
    uint16_t n;
    const uint8_t *p;

    if (!mig_get_u16(r, &n) || n > MIG_MAX_NAME || !mig_get_bytes(r, n, &p) ||
        memchr(p, 0, n)) {
        return false;
    }
    *s = g_strndup((const char *)p, n);
    return true;
}

/* Channel */

static void reap_child(GPid pid, gint status, gpointer opaque)
{
    g_spawn_close_pid(pid);
}

MigChannel *mig_channel_new(int fd, GPid child)
{
    MigChannel *ch = g_new0(MigChannel, 1);

    ch->fd = fd;
    ch->child = child;
    ch->out = g_byte_array_new();
    g_unix_set_fd_nonblocking(fd, TRUE, NULL);
    return ch;
}

void mig_channel_free(MigChannel *ch)
{
    if (!ch) {
        return;
    }
    if (ch->fd >= 0) {
        close(ch->fd);
    }
    if (ch->child) {
        /*
         * The command got EOF on its stdin and ends by itself.  Wait a
         * little for it, as QEMU does, so that "exec:cat > FILE" has
         * written FILE when the migration is reported completed; a
         * command that does not end is reaped whenever it does.
         */
        int64_t deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        int status;
        pid_t r;

        while ((r = waitpid(ch->child, &status, WNOHANG)) == 0 &&
               g_get_monotonic_time() < deadline) {
            g_usleep(1000);
        }
        if (r == ch->child) {
            g_spawn_close_pid(ch->child);
        } else {
            g_child_watch_add(ch->child, reap_child, NULL);
        }
    }
    g_byte_array_unref(ch->out);
    g_free(ch);
}

size_t mig_channel_pending(MigChannel *ch)
{
    return ch->out->len - ch->out_pos;
}

bool mig_channel_flush(MigChannel *ch, bool *would_block, GError **errp)
{
    *would_block = false;
    while (ch->out_pos < ch->out->len) {
        ssize_t n = write(ch->fd, ch->out->data + ch->out_pos,
                          ch->out->len - ch->out_pos);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                *would_block = true;
                break;
            }
            error_setg_errno(errp, errno, "%s",
                             ch->child ? "Unable to write to command"
                                       : "Unable to write to socket");
            return false;
        }
        ch->out_pos += n;
        ch->written += n;
    }
    if (ch->out_pos == ch->out->len) {
        g_byte_array_set_size(ch->out, 0);
        ch->out_pos = 0;
    } else if (ch->out_pos > (4u << 20)) {
        /* Keep the buffer from growing: drop what was written. */
        g_byte_array_remove_range(ch->out, 0, ch->out_pos);
        ch->out_pos = 0;
    }
    return true;
}

/*
 * Slices of the waits below: a signal wakes poll() only when it lands on
 * this thread, and a multifd thread may take it instead.
 */
#define WAIT_SLICE_MS 100

bool mig_wait_fd(int fd, short events, int64_t deadline_ms, GError **errp)
{
    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = events };
        int64_t left = deadline_ms - g_get_monotonic_time() / 1000;
        int r;

        /* The main loop ends the process once it is back: go there. */
        if (main_loop_termination_pending()) {
            error_setg(errp, "Migration interrupted: the process is "
                       "terminating");
            return false;
        }
        if (left <= 0) {
            error_setg(errp, "Timed out writing the migration stream");
            return false;
        }
        r = poll(&pfd, 1, MIN(left, WAIT_SLICE_MS));
        if (r > 0) {
            return true;
        }
        if (r < 0 && errno != EINTR) {
            error_setg_errno(errp, errno, "poll");
            return false;
        }
    }
}

bool mig_channel_flush_all(MigChannel *ch, int timeout_ms, GError **errp)
{
    while (mig_channel_pending(ch)) {
        bool would_block;

        if (!mig_channel_flush(ch, &would_block, errp)) {
            return false;
        }
        if (!would_block) {
            break;
        }
        if (!mig_wait_fd(ch->fd, POLLOUT,
                         g_get_monotonic_time() / 1000 + timeout_ms, errp)) {
            return false;
        }
    }
    return true;
}
