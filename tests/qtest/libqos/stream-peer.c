/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <glib.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>

#include "stream-peer.h"

#define PEER_TIMEOUT_S 20

void qstream_peer_listen(QStreamPeer *p)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };

    p->dir = g_dir_make_tmp("stream-peer-XXXXXX", NULL);
    g_assert(p->dir);
    p->path = g_build_filename(p->dir, "sock", NULL);
    g_assert_cmpuint(strlen(p->path), <, sizeof(sa.sun_path));
    g_strlcpy(sa.sun_path, p->path, sizeof(sa.sun_path));
    p->listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
    g_assert_cmpint(p->listen_fd, >=, 0);
    g_assert_cmpint(bind(p->listen_fd, (struct sockaddr *)&sa, sizeof(sa)),
                    ==, 0);
    g_assert_cmpint(listen(p->listen_fd, 1), ==, 0);
    p->fd = -1;
}

void qstream_peer_accept(QStreamPeer *p)
{
    struct pollfd pfd = { .fd = p->listen_fd, .events = POLLIN };
    struct timeval tv = { .tv_sec = PEER_TIMEOUT_S };

    g_assert_cmpint(poll(&pfd, 1, PEER_TIMEOUT_S * 1000), ==, 1);
    p->fd = accept(p->listen_fd, NULL, NULL);
    g_assert_cmpint(p->fd, >=, 0);
    /* A read that would block for ever fails the test instead. */
    g_assert_cmpint(setsockopt(p->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
                               sizeof(tv)), ==, 0);
}

void qstream_peer_close(QStreamPeer *p)
{
    if (p->fd >= 0) {
        close(p->fd);
    }
    close(p->listen_fd);
    unlink(p->path);
    g_rmdir(p->dir);
    g_free(p->path);
    g_free(p->dir);
}

void qstream_fd_read(int fd, void *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        ssize_t r;

        g_assert_cmpint(poll(&pfd, 1, PEER_TIMEOUT_S * 1000), ==, 1);
        r = read(fd, (uint8_t *)buf + done, len - done);
        g_assert_cmpint(r, >, 0);
        done += r;
    }
}

size_t qstream_fd_recv(int fd, void *buf, size_t max)
{
    uint32_t be;
    size_t len;

    qstream_fd_read(fd, &be, 4);
    len = GUINT32_FROM_BE(be);
    g_assert_cmpuint(len, <=, max);
    qstream_fd_read(fd, buf, len);
    return len;
}

void qstream_fd_send(int fd, const void *frame, size_t len)
{
    uint32_t be = GUINT32_TO_BE(len);

    g_assert_cmpint(write(fd, &be, 4), ==, 4);
    g_assert_cmpint(write(fd, frame, len), ==, (ssize_t)len);
}

bool qstream_fd_idle(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    return poll(&pfd, 1, 0) == 0;
}

size_t qstream_peer_recv(QStreamPeer *p, uint8_t *buf, size_t max)
{
    return qstream_fd_recv(p->fd, buf, max);
}

void qstream_peer_send(QStreamPeer *p, const uint8_t *frame, size_t len)
{
    qstream_fd_send(p->fd, frame, len);
}

void qstream_make_frame(uint8_t *f, size_t len, const uint8_t *dst,
                        uint8_t seed)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
    f[12] = 0x08;
    f[13] = 0x00;
    for (size_t i = 14; i < len; i++) {
        f[i] = seed + i;
    }
}
