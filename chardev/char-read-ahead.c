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
#include <sched.h>
#include <sys/socket.h>

#include "qemu/main-loop.h"

/*
 * Before sleeping, look a few times without blocking.  A client on the
 * other CPU answers within microseconds, and catching its request awake
 * saves the sleep and the cross-CPU wake-up, the largest cost of a round
 * trip on a small virtual machine (a plain echo server measured 40% more
 * round trips this way).  Each look yields the CPU, so a client on our
 * own CPU runs meanwhile; after looking in vain we sleep at once for the
 * next waits, as QEMU's adaptive polling backs off.
 */
#define READ_AHEAD_SPINS 8
#define READ_AHEAD_SPIN_BACKOFF 64      /* waits without looking */

static ssize_t read_ahead_spin(Chardev *chr, size_t len)
{
    ssize_t n = -1;

    if (chr->ra_spin_skip > 0) {
        chr->ra_spin_skip--;
        return -1;
    }
    for (int i = 0; i < READ_AHEAD_SPINS; i++) {
        n = chr_recv_rbuf(chr, len, false);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
            chr->ra_spin_hits++;
            return n < 0 ? 0 : n;
        }
        /* A client waiting for our CPU gets it now. */
        sched_yield();
    }
    chr->ra_spin_misses++;
    chr->ra_spin_skip = READ_AHEAD_SPIN_BACKOFF;
    return -1;
}

static ssize_t chr_read_ahead(void *opaque)
{
    Chardev *chr = opaque;
    int want = chr->fe_can_read ? chr->fe_can_read(chr->fe_opaque) : 0;
    ssize_t n;

    if (want <= 0 || chr->rbuf_ready > 0) {
        return -1;
    }
    n = read_ahead_spin(chr, want);
    if (n == 0) {
        return 0;               /* EOF or an error: the dispatch reads it */
    }
    if (n < 0) {
        n = chr_recv_rbuf(chr, want, true);
    }
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

void qemu_chr_read_ahead_spins(Chardev *chr, unsigned *hits,
                               unsigned *misses)
{
    *hits = chr->ra_spin_hits;
    *misses = chr->ra_spin_misses;
}

void qemu_chr_fe_set_read_ahead(Chardev *chr, unsigned wait_us)
{
    chr_read_ahead_stop(chr);
    chr->read_ahead_us = wait_us;
    chr_read_ahead_start(chr);
}
