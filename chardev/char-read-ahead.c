/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Read-ahead for a connected socket: after a reply has gone out, the main
 * loop waits for the next request with one blocking recvmsg instead of
 * poll + recvmsg (see main_loop_set_read_ahead).  The socket is made
 * blocking with a receive timeout for that wait; every other read and
 * write on it passes MSG_DONTWAIT, so nothing else can block on it.
 */
#include "chardev/char-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>

#include "qemu/main-loop.h"

static ssize_t chr_read_ahead(void *opaque)
{
    Chardev *chr = opaque;
    int want = chr->fe_can_read ? chr->fe_can_read(chr->fe_opaque) : 0;
    ssize_t n;

    if (want <= 0 || chr->rbuf_ready > 0) {
        return -1;
    }
    if (!chr->rbuf) {
        chr->rbuf = g_malloc(CHR_READ_BUF);
    }
    n = chr_recv(chr, chr->rbuf, MIN(want, CHR_READ_BUF), true);
    if (n > 0) {
        chr->rbuf_ready = n;
        return n;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
                  errno == EINTR)) {
        return -1;
    }
    return 0;                   /* EOF or an error: the dispatch reads it */
}

void chr_read_ahead_start(Chardev *chr)
{
    struct timeval tv = { .tv_sec = chr->read_ahead_us / G_USEC_PER_SEC,
                          .tv_usec = chr->read_ahead_us % G_USEC_PER_SEC };
    int fd = chr->in_fd;
    int flags;

    if (!chr->read_ahead_us || !chr->connected || !chr->is_socket || fd < 0) {
        return;
    }
    flags = fcntl(fd, F_GETFL);
    if (flags < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
        return;                 /* no read-ahead: the loop polls as always */
    }
    main_loop_set_read_ahead(fd, chr->read_ahead_us, chr_read_ahead, chr);
}

void chr_read_ahead_stop(Chardev *chr)
{
    main_loop_set_read_ahead(-1, 0, NULL, chr);
    chr->rbuf_ready = 0;
}

void qemu_chr_fe_set_read_ahead(Chardev *chr, unsigned wait_us)
{
    chr_read_ahead_stop(chr);
    chr->read_ahead_us = wait_us;
    chr_read_ahead_start(chr);
}
