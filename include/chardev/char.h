/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Character devices: byte streams the monitor and qtest talk over.
 * Backends: socket (unix or tcp; server with wait=on/off or client),
 * stdio, file, null.  One frontend per chardev.
 *
 * Writes never block the main loop: what the peer cannot take now is
 * buffered and flushed in order when the socket becomes writable.
 */
#ifndef CHARDEV_CHAR_H
#define CHARDEV_CHAR_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include "qemu/option.h"

typedef struct Chardev Chardev;

typedef enum {
    CHR_EVENT_OPENED,           /* a peer connected (or client connected) */
    CHR_EVENT_CLOSED,           /* the peer went away */
} QEMUChrEvent;

/* How many bytes the frontend can take now (0: pause reading). */
typedef int IOCanReadHandler(void *opaque);
typedef void IOReadHandler(void *opaque, const uint8_t *buf, int size);
typedef void IOEventHandler(void *opaque, QEMUChrEvent event);

/*
 * -chardev BACKEND,id=ID,...  (opts keys as QEMU's: "backend" implied,
 * path, host, port, server, wait, reconnect, mux (rejected), append ...).
 * Errors are QEMU's where it has them, e.g. "chardev: opening backend
 * \"socket\" failed".
 */
Chardev *qemu_chr_new_from_opts(QemuOpts *opts, GError **errp);
/*
 * Shorthand forms used by -qmp, -qtest, -serial: "unix:PATH[,server=on,
 * wait=off]", "tcp:HOST:PORT[,server=on,...]", "stdio", "file:PATH",
 * "null".  label becomes the chardev id.
 */
Chardev *qemu_chr_new(const char *label, const char *spec, GError **errp);
Chardev *qemu_chr_find(const char *id);
const char *qemu_chr_get_label(Chardev *chr);
/* Close and free every chardev (at exit). */
void qemu_chr_cleanup(void);

/*
 * Attach the frontend.  If the chardev is already connected the OPENED
 * event is delivered from the main loop after this returns.
 */
void qemu_chr_fe_set_handlers(Chardev *chr, IOCanReadHandler *can_read,
                              IOReadHandler *fd_read, IOEventHandler *event,
                              void *opaque);
/*
 * A device frontend (a -device chardev= property) takes the chardev for
 * itself: false with "device 'ID' is in use" if a device, monitor or
 * qtest already has it.  Release detaches the frontend's handlers.
 */
bool qemu_chr_fe_claim(Chardev *chr, GError **errp);
void qemu_chr_fe_release(Chardev *chr);
/* Queue all of buf for the peer; returns len, or -1 if not connected. */
int qemu_chr_fe_write_all(Chardev *chr, const uint8_t *buf, int len);
/* Drop the current connection (a server then waits for the next one). */
void qemu_chr_fe_disconnect(Chardev *chr);
bool qemu_chr_fe_is_connected(Chardev *chr);
/*
 * File descriptors received with SCM_RIGHTS on a unix socket since the
 * last call (QMP getfd).  Returns how many were stored in fds (up to num);
 * the caller owns them.
 */
int qemu_chr_fe_get_msgfds(Chardev *chr, int *fds, int num);
/* Block until everything queued is written (at exit); bounded by timeout. */
void qemu_chr_fe_flush(Chardev *chr, int timeout_ms);
/*
 * For a frontend whose peer waits for each reply before it sends again
 * (qtest): once a reply has gone out, wait up to wait_us for the next
 * request with a blocking read rather than a poll (see
 * main_loop_set_read_ahead); 0 turns it off.  Socket backends only;
 * others ignore it.
 */
void qemu_chr_fe_set_read_ahead(Chardev *chr, unsigned wait_us);
/* Read-ahead looks that found a request, and that did not (for tests). */
void qemu_chr_read_ahead_spins(Chardev *chr, unsigned *hits,
                               unsigned *misses);

/*
 * In-process input, as if buf had arrived from the peer (fuzz targets
 * drive QMP and qtest through these): delivered to the frontend now, in
 * pieces as large as it says it can read; returns the bytes taken.
 */
int qemu_chr_be_write(Chardev *chr, const uint8_t *buf, int len);
/* A new session: CLOSED then OPENED to the frontend, if it has one. */
void qemu_chr_be_reopen(Chardev *chr);

#endif
