/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Inside the chardev layer.  A chardev is a byte stream over one or two
 * file descriptors (a connected socket, stdin/stdout, a file); backends
 * only differ in how they obtain those descriptors, so char.c does all the
 * reading, queued writing and event delivery, and the backend files only
 * open things.
 */
#ifndef CHARDEV_CHAR_INTERNAL_H
#define CHARDEV_CHAR_INTERNAL_H

#include "chardev/char.h"

/* Input is read in chunks of up to this much. */
#define CHR_READ_BUF 65536

struct Chardev {
    char *label;
    char *backend;              /* "socket", "stdio", "file", "pty", "null" */
    char *filename;             /* QEMU-style description for messages */

    /* frontend */
    IOCanReadHandler *fe_can_read;
    IOReadHandler *fe_read;
    IOEventHandler *fe_event;
    void *fe_opaque;
    bool fe_open;               /* OPENED delivered, CLOSED not yet */
    bool fe_claimed;            /* a device frontend owns it */
    guint open_idle;            /* OPENED waiting to be delivered */

    /* the current connection */
    bool connected;
    bool discard;               /* null backend: writes vanish */
    bool is_socket;             /* non-blocking writes, SCM_RIGHTS */
    bool write_failed;          /* peer gone; disconnect pending */
    bool drop_when_full;        /* non-blocking out_fd: drop, not fail */
    int in_fd;                  /* -1: nothing to read */
    int out_fd;                 /* -1: nothing to write to */
    bool close_fds;             /* ours to close on disconnect */
    unsigned conn_gen;          /* bumped on every disconnect */
    GSource *io_source;
    GByteArray *outq;           /* bytes the peer has not taken yet */
    gsize outq_head;
    GArray *msgfds;             /* received with SCM_RIGHTS, not taken */
    uint8_t *rbuf;
    ssize_t rbuf_ready;         /* read ahead into rbuf, not delivered */
    unsigned read_ahead_us;     /* the frontend's read-ahead wait, 0: off */
    unsigned ra_spin_skip;      /* read-ahead waits left without looking */
    unsigned ra_spin_hits, ra_spin_misses;
    guint disconnect_idle;

    /* backend hooks */
    void (*on_disconnect)(Chardev *chr);        /* after CLOSED */
    void (*close)(Chardev *chr);                /* at cleanup */
    void *be_opaque;
};

/*
 * Make fds the current connection and tell the frontend (OPENED, from the
 * main loop).  in_fd and out_fd may be the same socket; -1 for none.
 */
void chr_connect(Chardev *chr, int in_fd, int out_fd, bool is_socket,
                 bool close_fds);
/* Drop the connection: CLOSED to the frontend, then on_disconnect. */
void chr_disconnect(Chardev *chr);
ssize_t chr_recv(Chardev *chr, uint8_t *buf, size_t len, bool wait);
/* Read up to len (<= CHR_READ_BUF) into chr->rbuf. */
ssize_t chr_recv_rbuf(Chardev *chr, size_t len, bool wait);
void chr_read_ahead_start(Chardev *chr);
void chr_read_ahead_stop(Chardev *chr);

/* Backends: parse opts and open.  False with errp set on failure. */
bool chr_open_socket(Chardev *chr, QemuOpts *opts, GError **errp);
bool chr_open_stdio(Chardev *chr, QemuOpts *opts, GError **errp);
bool chr_open_file(Chardev *chr, QemuOpts *opts, GError **errp);
bool chr_open_pty(Chardev *chr, QemuOpts *opts, GError **errp);

/* "Invalid parameter 'x'" for any key not in allowed (NULL-terminated). */
bool chr_check_params(QemuOpts *opts, const char *const *allowed,
                      GError **errp);

#endif
