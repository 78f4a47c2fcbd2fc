/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The main loop: GLib's default context, plus bottom halves. */
#ifndef QEMU_MAIN_LOOP_H
#define QEMU_MAIN_LOOP_H

#include <glib.h>
#include <stdbool.h>
#include <sys/types.h>

typedef void QEMUBHFunc(void *opaque);
typedef struct QEMUBH QEMUBH;

/* A callback run once from the main loop after qemu_bh_schedule. */
QEMUBH *qemu_bh_new(QEMUBHFunc *cb, void *opaque);
void qemu_bh_schedule(QEMUBH *bh);      /* idempotent while pending */
void qemu_bh_cancel(QEMUBH *bh);
void qemu_bh_delete(QEMUBH *bh);        /* NULL ok; may be called from cb */

/* Run until main_loop_exit(); returns the status passed to it. */
int main_loop_run(void);
void main_loop_exit(int status);
/* Run one iteration without blocking (used by tests and shutdown paths). */
void main_loop_poll_once(bool blocking);

/*
 * SIGTERM/SIGINT/SIGHUP call the termination handler (without one, the
 * main loop exits with status 0); SIGPIPE is ignored.  main_loop_run()
 * does this itself; code that waits in the main loop earlier (a server
 * chardev with wait=on) calls it first.  Idempotent.
 */
void main_loop_init_signals(void);
/* The system emulator turns those signals into a host-signal shutdown. */
void main_loop_set_termination_handler(void (*fn)(void));
/* main_loop_exit() was called and main_loop_run() has not returned yet. */
bool main_loop_exit_requested(void);
/*
 * A termination signal arrived (even if its handler has not run yet) or
 * main_loop_exit() was called.  Code that waits outside the main loop
 * (the switch-over of a migration) checks this to give up in time: the
 * loop answers signals and QMP only once it is back.
 */
bool main_loop_termination_pending(void);

/*
 * Read-ahead: one descriptor whose peer talks in quick request/reply
 * turns (the qtest socket) may be waited on with a blocking read instead
 * of a poll of every descriptor.  After main_loop_arm_read_ahead() (the
 * reply has gone out), the next iteration that would block for at least
 * wait_us calls read(opaque), which waits on fd for up to wait_us:
 *   > 0  bytes were read and kept for the fd's dispatch;
 *     0  something other than data (EOF, an error): dispatch will see it;
 *   < 0  nothing came in time: the iteration polls as usual.
 * Other descriptors are polled at least every millisecond meanwhile; a
 * poll that finds one of them ready turns read-ahead off for the next
 * millisecond, and an iteration with a bottom half or timer due sooner
 * never waits.  A NULL read unregisters opaque's descriptor.
 */
typedef ssize_t MainLoopReadAhead(void *opaque);
void main_loop_set_read_ahead(int fd, unsigned wait_us,
                              MainLoopReadAhead *read, void *opaque);
void main_loop_arm_read_ahead(void);
/* Read-ahead waits that got data, and that timed out (for tests). */
void main_loop_read_ahead_stats(unsigned *hits, unsigned *misses);

#endif
