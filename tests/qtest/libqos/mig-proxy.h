/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A proxy between a migration source and its destination (unix sockets),
 * forwarding both ways (the destination answers on the return path), with
 * one fault injected: bytes flipped, the channel closed, an answer held
 * back, PONGs dropped or one added, or (multifd) a channel connected late, never, twice or with
 * another migration's id.  Knows the stream format of
 * docs/devel/migration.rst just enough to aim at a place in it.
 */
#ifndef LIBQOS_MIG_PROXY_H
#define LIBQOS_MIG_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum MigProxyFault {
    MIG_PROXY_PASS,
    MIG_PROXY_FLIP,             /* main channel: byte `at` XOR 0x20 */
    MIG_PROXY_CLOSE,            /* main channel: closed both ways at `at` */
    /* main: a byte of the first RAM page sent, its section re-checksummed */
    MIG_PROXY_FLIP_RAM,
    /* main: the destination's LOADED or FAILED never reaches the source */
    MIG_PROXY_HOLD_ANSWER,
    /* main: the destination's PONGs never reach the source */
    MIG_PROXY_DROP_PONG,
    /* main: the source gets a PONG before anything from the destination */
    MIG_PROXY_EXTRA_PONG,
    /*
     * main: reading from the source stops once `at` bytes went on, until
     * mig_proxy_release(): the rest waits in the source's socket
     */
    MIG_PROXY_STALL,
    /*
     * main: a slow destination: at most `at` bytes are read from the
     * source per millisecond, so its socket is full most of the time
     */
    MIG_PROXY_TRICKLE,
    /* multifd channel number `channel`: */
    MIG_PROXY_CH_NEVER,         /* never reaches the destination */
    MIG_PROXY_CH_LATE,          /* reaches it `at` ms late */
    MIG_PROXY_CH_TWICE,         /* is connected to it twice */
    MIG_PROXY_CH_WRONG_ID,      /* carries another migration's id */
    MIG_PROXY_CH_CLOSE,         /* closed both ways at its byte `at` */
    MIG_PROXY_CH_FLIP,          /* its byte `at` XOR 0x20 */
} MigProxyFault;

typedef struct MigProxy MigProxy;

/* Listen on from (a unix socket path); each connection goes on to `to`. */
MigProxy *mig_proxy_start(const char *from, const char *to,
                          MigProxyFault fault, uint64_t at, int channel);
/*
 * Wait up to timeout_s for the destination's answer to the end of the
 * stream on the main channel (LOADED or FAILED; PONG answers during the
 * migration do not count); false if it did not come.
 */
bool mig_proxy_wait_answer(MigProxy *p, int timeout_s);
/* MIG_PROXY_STALL: read from the source again. */
void mig_proxy_release(MigProxy *p);
/* Connections accepted from the source so far. */
int mig_proxy_connections(MigProxy *p);
/*
 * Whether the fault was applied: its byte was reached (FLIP, CLOSE,
 * STALL, the CH_ ones with a byte), the first RAM page flipped, an answer
 * or a PONG dropped, the extra PONG sent, or the channel it is aimed at connected (CH_NEVER, _LATE,
 * _TWICE, _WRONG_ID).  A fault past the end of what its channel carried
 * never fires.
 */
bool mig_proxy_fired(MigProxy *p);
/* Bytes forwarded from the source on multifd channel index, hello included. */
uint64_t mig_proxy_channel_bytes(MigProxy *p, int index);
/*
 * Close every connection and the listener; free p.  Returns how many
 * connections it had made to the destination.
 */
int mig_proxy_stop(MigProxy *p);

uint32_t mig_proxy_crc32c(uint32_t crc, const void *buf, size_t len);

#endif
