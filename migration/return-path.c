/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The return path: on a socket, the destination answers the source on the
 * same connection, so the source reports `completed` only once the
 * destination has loaded and checked the whole stream.
 *
 *   destination -> source   LOADED, or FAILED with the reason
 *   source -> destination   COMMIT (a section after END), after LOADED
 *   destination -> source   PONG, for each PING section, once loaded
 *
 * The destination starts the guest only after COMMIT, and the source
 * stops for good only after LOADED: whatever is lost in between, at most
 * one side runs the guest.  Pipes (exec:, fd: naming a pipe or a file)
 * carry no answer: the source completes once everything was written.
 */
#include "migration/internal.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib-unix.h>

#include "qapi/error.h"

#define RP_HEAD         7       /* u32 magic, u8 type, u16 length */
#define RP_TAIL         4       /* u32 CRC-32C of head and payload */

bool mig_fd_is_socket(int fd)
{
    struct stat st;

    return fd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Destination */

bool mig_rp_send(int fd, uint8_t type, const char *reason)
{
    g_autoptr(GByteArray) b = g_byte_array_new();
    size_t len = reason ? MIN(strlen(reason), MIG_MAX_NAME) : 0;
    size_t off = 0;

    mig_put_u32(b, MIG_RP_MAGIC);
    mig_put_u8(b, type);
    mig_put_u16(b, len);
    g_byte_array_append(b, (const guint8 *)reason, len);
    mig_put_u32(b, mig_crc32c(0, b->data, b->len));
    /* A few bytes into an idle socket: they fit, but be safe with EINTR. */
    while (off < b->len) {
        ssize_t n = send(fd, b->data + off, b->len - off,
                         MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        off += n;
    }
    return true;
}

/* Source */

typedef struct RpWatch {
    int fd;
    guint watch;
    guint timer;
    GByteArray *in;
    MigRpFunc *cb;
} RpWatch;

static RpWatch rp;

void mig_rp_stop(void)
{
    if (rp.watch) {
        g_source_remove(rp.watch);
        rp.watch = 0;
    }
    if (rp.timer) {
        g_source_remove(rp.timer);
        rp.timer = 0;
    }
    g_clear_pointer(&rp.in, g_byte_array_unref);
    rp.fd = -1;
}

/* Stop watching, then tell migration.c (which may start a new watch). */
static void rp_report(MigRpEvent ev, GError *err)
{
    MigRpFunc *cb = rp.cb;

    mig_rp_stop();
    cb(ev, err);
}

/*
 * One complete message at the start of rp.in: 1 (*used: its size), need
 * more: 0, bad: -1.
 */
static int rp_parse(uint8_t *type, char **reason, size_t *used)
{
    MigReader r;
    uint32_t magic, crc;
    uint16_t len;
    const uint8_t *p;

    mig_reader_init(&r, rp.in->data, rp.in->len);
    if (!mig_get_u32(&r, &magic)) {
        return 0;
    }
    if (magic != MIG_RP_MAGIC) {
        return -1;
    }
    if (!mig_get_u8(&r, type) || !mig_get_u16(&r, &len)) {
        return 0;
    }
    if (len > MIG_MAX_NAME) {
        return -1;
    }
    if (!mig_get_bytes(&r, len, &p) || !mig_get_u32(&r, &crc)) {
        return 0;
    }
    if (crc != mig_crc32c(0, rp.in->data, RP_HEAD + len) ||
        (*type != MIG_RP_LOADED && *type != MIG_RP_FAILED &&
         *type != MIG_RP_PONG) ||
        (*type != MIG_RP_FAILED && len) || memchr(p, 0, len)) {
        return -1;
    }
    *reason = g_strndup((const char *)p, len);
    *used = RP_HEAD + len + RP_TAIL;
    return 1;
}

static gboolean rp_readable(gint fd, GIOCondition cond, gpointer opaque)
{
    uint8_t buf[256];
    ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
                  errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        rp.watch = 0;
        rp_report(MIG_RP_EV_CLOSED, n < 0
                  ? g_error_new(BATON_ERROR, 0, "migration channel: %s",
                                g_strerror(errno))
                  : NULL);
        return G_SOURCE_REMOVE;
    }
    g_byte_array_append(rp.in, buf, n);
    for (;;) {
        g_autofree char *reason = NULL;
        uint8_t type;
        size_t used;

        switch (rp_parse(&type, &reason, &used)) {
        case 0:
            return G_SOURCE_CONTINUE;
        case 1:
            g_byte_array_remove_range(rp.in, 0, used);
            if (type == MIG_RP_PONG) {
                rp.cb(MIG_RP_EV_PONG, NULL);
                if (!rp.in) {
                    return G_SOURCE_REMOVE;     /* it stopped the watch */
                }
                continue;
            }
            rp.watch = 0;
            if (type == MIG_RP_LOADED) {
                rp_report(MIG_RP_EV_LOADED, NULL);
            } else {
                rp_report(MIG_RP_EV_FAILED, g_error_new(BATON_ERROR, 0,
                          "the destination failed to load the migration "
                          "stream: %s", reason));
            }
            return G_SOURCE_REMOVE;
        default:
            rp.watch = 0;
            rp_report(MIG_RP_EV_FAILED, g_error_new(BATON_ERROR, 0,
                      "unexpected data from the destination on the "
                      "migration channel"));
            return G_SOURCE_REMOVE;
        }
    }
}

void mig_rp_poll(int timeout_ms)
{
    int64_t end = g_get_monotonic_time() + timeout_ms * G_TIME_SPAN_MILLISECOND;
    guint watch;

    while ((watch = rp.watch)) {
        int64_t left = end - g_get_monotonic_time();
        GPollFD pfd = { rp.fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };

        if (left < 0 || g_poll(&pfd, 1, left / G_TIME_SPAN_MILLISECOND) <= 0) {
            return;
        }
        if (rp_readable(rp.fd, pfd.revents, NULL) == G_SOURCE_REMOVE) {
            /* Unless a callback's mig_rp_stop() removed it already. */
            GSource *src = g_main_context_find_source_by_id(NULL, watch);

            if (src && !g_source_is_destroyed(src)) {
                g_source_remove(watch);
            }
            return;
        }
    }
}

void mig_rp_watch(int fd, MigRpFunc *cb)
{
    mig_rp_stop();
    rp.fd = fd;
    rp.cb = cb;
    rp.in = g_byte_array_new();
    rp.watch = g_unix_fd_add(fd, G_IO_IN | G_IO_HUP | G_IO_ERR, rp_readable,
                             NULL);
}

static gboolean rp_timeout(gpointer opaque)
{
    rp.timer = 0;
    rp_report(MIG_RP_EV_FAILED, g_error_new(BATON_ERROR, 0,
              "the destination did not confirm the load within %u s of "
              "the end of the stream", GPOINTER_TO_UINT(opaque) / 1000));
    return G_SOURCE_REMOVE;
}

void mig_rp_deadline(unsigned timeout_ms)
{
    if (rp.timer) {
        g_source_remove(rp.timer);
    }
    rp.timer = g_timeout_add(timeout_ms, rp_timeout,
                             GUINT_TO_POINTER(timeout_ms));
}
