/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The far end of a `-netdev stream,server=off,addr.type=unix,...`: the
 * test listens, the netdev connects, frames travel with QEMU's stream
 * framing (a 4-byte big-endian length, then the frame).  Every wait is
 * bounded (5 s) so a broken device fails the test instead of hanging it.
 */
#ifndef LIBQOS_STREAM_PEER_H
#define LIBQOS_STREAM_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct QStreamPeer {
    char *dir;
    char *path;         /* give this as addr.path= */
    int listen_fd;
    int fd;
} QStreamPeer;

/* Listen on a fresh socket path in a private temporary directory. */
void qstream_peer_listen(QStreamPeer *p);
/* Wait for the netdev to connect (it may do so asynchronously). */
void qstream_peer_accept(QStreamPeer *p);
void qstream_peer_close(QStreamPeer *p);
/* Read one frame into buf (asserting it fits max); returns its length. */
size_t qstream_peer_recv(QStreamPeer *p, uint8_t *buf, size_t max);
void qstream_peer_send(QStreamPeer *p, const uint8_t *frame, size_t len);

/* An IPv4 Ethernet frame to dst from 02:00:00:00:00:01, payload from seed. */
/*
 * The same framing (4-byte big-endian length, then the frame) on any
 * stream socket the test holds; reads fail the test after a few seconds
 * without data.
 */
size_t qstream_fd_recv(int fd, void *buf, size_t max);
void qstream_fd_send(int fd, const void *frame, size_t len);
/* Exactly len bytes from fd, or the test fails. */
void qstream_fd_read(int fd, void *buf, size_t len);
/* Nothing waiting to be read on fd right now. */
bool qstream_fd_idle(int fd);

void qstream_make_frame(uint8_t *f, size_t len, const uint8_t *dst,
                        uint8_t seed);

#endif
